//! Load for the benchmark: full authorization-code flows with a signed-in session.
//!
//! `authcode_load BASE_URL CONCURRENCY SECONDS` signs each worker in once through the login
//! form, then loops authorize -> code -> token for SECONDS and prints
//! `{"flows_per_s": .., "flows": .., "failures": ..}`.

use reqwest::redirect::Policy;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CLIENT_ID: &str = "acme-dashboard";
const SECRET: &str = "acme-dashboard-secret";
const CALLBACK: &str = "http://localhost:3000/callback";

fn authorize_url(base: &str) -> String {
    format!(
        "{base}/realms/api-keys/protocol/openid-connect/auth?response_type=code&client_id={CLIENT_ID}\
         &redirect_uri={}&scope=openid%20email&state=bench",
        url::form_urlencoded::byte_serialize(CALLBACK.as_bytes()).collect::<String>()
    )
}

fn code_from(res: &reqwest::Response) -> Option<String> {
    let location = res.headers().get("location")?.to_str().ok()?;
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
}

async fn sign_in(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let url = authorize_url(base);
    client.get(&url).send().await?.error_for_status()?;
    let res = client
        .post(&url)
        .form(&[("username", "admin@acme.test"), ("password", "admin")])
        .send()
        .await?;
    code_from(&res)
        .map(|_| ())
        .ok_or_else(|| anyhow::anyhow!("sign-in did not redirect with a code: {}", res.status()))
}

async fn one_flow(client: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let res = client.get(authorize_url(base)).send().await?;
    let code = code_from(&res).ok_or_else(|| anyhow::anyhow!("no code: {}", res.status()))?;
    let token = client
        .post(format!(
            "{base}/realms/api-keys/protocol/openid-connect/token"
        ))
        .basic_auth(CLIENT_ID, Some(SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await?;
    token.error_for_status()?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, concurrency, seconds] = args.as_slice() else {
        anyhow::bail!("usage: authcode_load BASE_URL CONCURRENCY SECONDS");
    };
    let (concurrency, seconds): (usize, u64) = (concurrency.parse()?, seconds.parse()?);
    let flows = Arc::new(AtomicU64::new(0));
    let failures = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for _ in 0..concurrency {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()?;
        sign_in(&client, base).await?;
        clients.push(client);
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for client in clients {
        let (base, flows, failures) = (base.clone(), flows.clone(), failures.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                match one_flow(&client, &base).await {
                    Ok(()) => flows.fetch_add(1, Ordering::Relaxed),
                    Err(_) => failures.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    let started = Instant::now();
    for w in workers {
        w.await?;
    }
    let done = flows.load(Ordering::Relaxed);
    println!(
        "{{\"flows_per_s\": {:.1}, \"flows\": {done}, \"failures\": {}}}",
        done as f64 / started.elapsed().as_secs_f64(),
        failures.load(Ordering::Relaxed)
    );
    Ok(())
}
