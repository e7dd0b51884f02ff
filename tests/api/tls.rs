//! `--tls`: HTTPS with a certificate clients trust through one PEM file.

use crate::helpers::acme_key_token_response;
use crate::process::Process;
use serde_json::Value;
use std::process::Command;

fn client_trusting(pem_path: &str) -> reqwest::Client {
    let pem = std::fs::read(pem_path).expect("the printed PEM file exists");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn with_tls_a_client_trusting_the_printed_certificate_gets_discovery_and_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let server = Process::start(
        dir.path(),
        &[
            "--tls",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
        ],
    );
    assert_eq!(server.lines.len(), 2, "{:?}", server.lines);
    let pem = server.lines[0]
        .strip_prefix("ion-mock tls certificate ")
        .unwrap_or_else(|| panic!("certificate line first: {:?}", server.lines));
    assert!(pem.starts_with('/'), "an absolute path: {pem}");
    let base = &server.base_url;
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");

    let client = client_trusting(pem);
    for host_base in [base.clone(), base.replace("127.0.0.1", "localhost")] {
        let discovery: Value = client
            .get(format!(
                "{host_base}/realms/api-keys/.well-known/openid-configuration"
            ))
            .send()
            .await
            .unwrap_or_else(|e| panic!("HTTPS to {host_base}: {e:?}"))
            .json()
            .await
            .unwrap();
        assert_eq!(discovery["issuer"], format!("{base}/realms/api-keys"));
    }
    let token = acme_key_token_response(&client, base).await;
    assert_eq!(token["token_type"], "Bearer", "{token}");

    let untrusting = reqwest::Client::new()
        .get(format!("{base}/health"))
        .send()
        .await;
    assert!(
        untrusting.is_err(),
        "a client that trusts nothing is refused"
    );
}

#[tokio::test]
async fn with_a_given_certificate_and_key_the_server_presents_them() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let server = Process::start(
        dir.path(),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
        ],
    );
    assert_eq!(
        server.lines[0],
        format!("ion-mock tls certificate {}", cert.display())
    );
    let res = client_trusting(cert.to_str().unwrap())
        .get(server.base_url.replace("127.0.0.1", "localhost") + "/health")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[test]
fn a_certificate_without_its_key_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_ion-mock"))
        .args(["--tls-cert", "/nonexistent.pem", "--bind", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no readiness line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--tls-key"), "{stderr}");
}
