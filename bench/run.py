#!/usr/bin/env python3
"""ion-mock benchmark: throughput, latency, start time and memory, read against the machine's
RSA signing limit (`openssl speed rsa2048`) measured in the same run.

Run it with `bench/run.sh` (installs wrk, builds the release binary). `--compare` measures the
npm package oauth2-mock-server with the same loads and prints ratios. Everything listens on
127.0.0.1 only; every load is bounded in time.
"""
import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target/release/ion-mock"
FLOWS = ROOT / "target/release/examples/authcode_load"
MOCK_START = ROOT / "target/release/examples/mock_server_start"
O2 = ROOT / "bench/node_modules/.bin/oauth2-mock-server"
TOKEN_PATH = "/realms/api-keys/protocol/openid-connect/token"
KEY_FORM = {"grant_type": "client_credentials", "client_id": "acme-admin-key",
            "client_secret": "acme-admin-secret"}


def openssl_signs_per_s(processes):
    cmd = ["openssl", "speed", "-seconds", "3"] + (["-multi", str(processes)] if processes > 1 else []) + ["rsa2048"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rates = re.findall(r"^rsa\s+2048 bits\s+\S+s\s+\S+s\s+([\d.]+)", out, re.M)
    if not rates:
        raise SystemExit(f"cannot read openssl speed output:\n{out}")
    return float(rates[-1])


class Server:
    """A server process started with its readiness line; time to ready is measured."""

    def __init__(self, cmd, ready, env=None):
        started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, env=env)
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit(f"{cmd[0]} exited before it was ready")
            match = re.search(ready, line)
            if match:
                break
        self.ready_s = time.perf_counter() - started
        self.url = match.group(1).replace("localhost", "127.0.0.1")

    def rss_mib(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def ion(db_url):
    return Server([str(BIN), "--bind", "127.0.0.1:0", "--database-url", db_url],
                  r"ion-mock listening on (\S+)")


def oauth2_mock_server():
    return Server(["node", str(O2), "-a", "127.0.0.1", "-p", "0"], r"listening on (\S+)")


def wrk(url, connections, seconds, script=None, env=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", str(ROOT / "bench" / script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})}).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * unit[m.group(2)] if m else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": pct(50), "p99": pct(99), "errors": int(errors.group(1)) if errors else 0}


def post_form(url, form):
    data = urllib.parse.urlencode(form).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data)) as res:
        return json.load(res)


def median_ready(start, runs=10):
    times = []
    for _ in range(runs):
        server = start()
        times.append(server.ready_s)
        server.stop()
    return statistics.median(times) * 1000


def seed_scale(db_path, revoked, apps):
    """Bulk rows straight into SQLite: revoked token ids and registered apps."""
    db = sqlite3.connect(db_path)
    db.executemany("INSERT INTO revoked_tokens (jti, revoked_at) VALUES (?, 0)",
                   ((f"00000000-0000-4000-8000-{i:012d}",) for i in range(revoked)))
    db.executemany(
        "INSERT INTO clients (client_id, realm, org_id, kind, name, app_type, etag, created_at) "
        "VALUES (?, 'api-keys', 1, 'oauth_app', ?, 'spa', 'e', 0)",
        ((f"bench-app-{i}", f"Bench app {i}") for i in range(apps)))
    db.commit()
    db.close()


def row(name, value, unit, note=""):
    print(f"| {name} | {value:,.1f} {unit} | {note} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compare", action="store_true", help="also measure oauth2-mock-server")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each load")
    args = parser.parse_args()
    secs = args.seconds

    one, two = openssl_signs_per_s(1), openssl_signs_per_s(2)
    results = {}
    print("| measure | value | note |\n|---|---|---|")
    row("openssl speed rsa2048, 1 process", one, "signs/s")
    row("openssl speed rsa2048, 2 processes", two, "signs/s", "the machine's signing limit")

    server = ion("sqlite::memory:")
    time.sleep(1)
    results["idle_rss"] = server.rss_mib()
    base = server.url
    for c in (16, 64):
        r = wrk(base + TOKEN_PATH, c, secs, "token.lua")
        results[f"token{c}"] = r
        row(f"client-credentials tokens/s, c={c}", r["rps"], "req/s",
            f"{r['rps'] / two:.0%} of the 2-process limit; p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms; non-2xx {r['errors']}")
    for name, path in (("discovery", "/realms/api-keys/.well-known/openid-configuration"),
                       ("jwks", "/realms/api-keys/protocol/openid-connect/certs")):
        r = wrk(base + path, 64, max(secs // 2, 3))
        results[name] = r
        row(f"{name} requests/s, c=64", r["rps"], "req/s", f"p99 {r['p99']:.2f} ms")
    token = post_form(base + TOKEN_PATH, KEY_FORM)["access_token"]
    r = wrk(base + "/graphql", 64, max(secs // 2, 3), "graphql.lua", {"BENCH_TOKEN": token})
    row("/graphql `me` (token verification) req/s, c=64", r["rps"], "req/s", f"p99 {r['p99']:.2f} ms; non-2xx {r['errors']}")
    if FLOWS.exists():
        out = subprocess.run([str(FLOWS), base, "16", str(secs)], capture_output=True, text=True)
        if out.returncode == 0:
            flows = json.loads(out.stdout)
            row("authorization-code flows/s (signed-in session), c=16", flows["flows_per_s"], "flows/s",
                f"authorize -> code -> token; failures {flows['failures']}")
        else:
            print(f"| authorization-code flows | failed | {out.stderr.strip()[:200]} |")
    results["loaded_rss"] = server.rss_mib()
    server.stop()
    row("RSS idle (in-memory database)", results["idle_rss"], "MiB")
    row("RSS after the loads above", results["loaded_rss"], "MiB")

    with tempfile.TemporaryDirectory() as tmp:
        mem = median_ready(lambda: ion("sqlite::memory:"))
        counter = iter(range(100))
        fresh = median_ready(lambda: ion(f"sqlite://{tmp}/fresh{next(counter)}.db"))
        ion(f"sqlite://{tmp}/kept.db").stop()
        kept = median_ready(lambda: ion(f"sqlite://{tmp}/kept.db"))
        results["ready_mem"] = mem
        row("start to readiness, in-memory (median of 10)", mem, "ms")
        row("start to readiness, new file database (median of 10)", fresh, "ms")
        row("start to readiness, existing file database (median of 10)", kept, "ms")
        if MOCK_START.exists():
            started = json.loads(subprocess.run([str(MOCK_START), "20"], capture_output=True,
                                                text=True, check=True).stdout)
            row("MockServer::start() in-process (median of 20)", started["median_ms"], "ms",
                f"max {started['max_ms']:.1f} ms")

        empty = ion(f"sqlite://{tmp}/empty.db")
        base_rate = wrk(empty.url + TOKEN_PATH, 64, secs, "token.lua")["rps"]
        empty.stop()
        scaled_path = f"{tmp}/scaled.db"
        ion(f"sqlite://{scaled_path}").stop()
        seed_scale(scaled_path, 1_000_000, 10_000)
        scaled = ion(f"sqlite://{scaled_path}")
        scaled_rate = wrk(scaled.url + TOKEN_PATH, 64, secs, "token.lua")["rps"]
        scaled_token = post_form(scaled.url + TOKEN_PATH, KEY_FORM)["access_token"]
        me_rate = wrk(scaled.url + "/graphql", 64, max(secs // 2, 3), "graphql.lua", {"BENCH_TOKEN": scaled_token})
        scaled.stop()
        row("tokens/s, file database, empty, c=64", base_rate, "req/s")
        row("tokens/s, 1,000,000 revoked ids + 10,000 apps, c=64", scaled_rate, "req/s",
            f"{scaled_rate / base_rate:.0%} of the empty-database rate")
        row("/graphql `me` req/s with 1,000,000 revoked ids, c=64", me_rate["rps"], "req/s", f"p99 {me_rate['p99']:.2f} ms")

    if args.compare:
        o2_ready = median_ready(oauth2_mock_server)
        o2 = oauth2_mock_server()
        time.sleep(1)
        o2_idle = o2.rss_mib()
        o2_token = wrk(o2.url + "/token", 64, secs, "token.lua")
        o2_disc = wrk(o2.url + "/.well-known/openid-configuration", 64, max(secs // 2, 3))
        o2_jwks = wrk(o2.url + "/jwks", 64, max(secs // 2, 3))
        o2.stop()
        ours = results["token64"]
        print("\n| vs oauth2-mock-server | ion-mock | oauth2-mock-server | ratio | goal |\n|---|---|---|---|---|")
        for name, a, b, goal in (
            ("tokens/s, c=64", ours["rps"], o2_token["rps"], ">= 1.5x"),
            ("p99 ms, c=64", ours["p99"], o2_token["p99"], "<= 0.5x"),
            ("discovery req/s", results["discovery"]["rps"], o2_disc["rps"], ">= 1.5x"),
            ("JWKS req/s", results["jwks"]["rps"], o2_jwks["rps"], ">= 1.5x"),
            ("time to ready ms", results["ready_mem"], o2_ready, "<= 0.25x"),
            ("idle RSS MiB", results["idle_rss"], o2_idle, "<= 0.25x"),
        ):
            print(f"| {name} | {a:,.2f} | {b:,.2f} | {a / b:.2f}x | {goal} |")


if __name__ == "__main__":
    main()
