-- wrk script: an authenticated `me` query (the token verification path, revocation check included).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_TOKEN") or "")
wrk.body = '{"query":"{ me { id email organization { id domain } } }"}'
