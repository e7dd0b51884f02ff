#!/usr/bin/env bash
# One command for the benchmark: installs the load generator, builds the release binary, runs
# bench/run.py. `bench/run.sh --compare` also measures the npm package oauth2-mock-server.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
command -v openssl >/dev/null || (apt-get update -qq && apt-get install -y -qq openssl) >/dev/null
if [[ " $* " == *" --compare "* ]] && [ ! -x bench/node_modules/.bin/oauth2-mock-server ]; then
  (cd bench && npm install --silent --no-save --no-audit --no-fund oauth2-mock-server@9 >/dev/null)
fi
cargo build --release --quiet --bin ion-mock
cargo build --release --quiet --example authcode_load --example mock_server_start
exec python3 bench/run.py "$@"
