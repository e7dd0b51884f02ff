-- wrk script: client-credentials token requests with the fixture API key.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = os.getenv("BENCH_TOKEN_BODY") or
  "grant_type=client_credentials&client_id=acme-admin-key&client_secret=acme-admin-secret"
