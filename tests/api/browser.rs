//! A real browser (headless Chromium, Debian's `chromium`) types into the login page, submits
//! it, and arrives at the app's callback with a code.

use crate::flow::{Authorize, register_app};
use crate::helpers::{TOKEN_PATH, spawn_app};
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

fn chromium() -> Option<PathBuf> {
    std::env::var_os("CHROME")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .map(PathBuf::from),
        )
        .find(|p| p.exists())
}

/// A stand-in for the app: answers every request and reports each request target.
async fn serve_callback(listener: TcpListener, targets: mpsc::UnboundedSender<String>) {
    while let Ok((mut stream, _)) = listener.accept().await {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head);
        if let Some(target) = head.split(' ').nth(1) {
            let _ = targets.send(target.to_owned());
        }
        let body = "<!DOCTYPE html><title>App</title><h1>Signed in</h1>";
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
    }
}

/// Types a wrong password first (and checks the form says so), then the right one. Returns
/// the browser, which must live until it has arrived at the callback.
fn sign_in_with_chromium(chrome: PathBuf, url: &str, shots: &Path) -> anyhow::Result<Browser> {
    let options = LaunchOptions::default_builder()
        .path(Some(chrome))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1100, 860)))
        // Generous: CI runs this beside the other tests on two cores.
        .idle_browser_timeout(Duration::from_secs(120))
        .args(vec![
            OsStr::new("--disable-dev-shm-usage"),
            OsStr::new("--disable-gpu"),
        ])
        .build()?;
    let browser = Browser::new(options)?;
    let tab = browser.new_tab()?;
    tab.set_default_timeout(Duration::from_secs(60));
    tab.navigate_to(url)?.wait_until_navigated()?;
    tab.wait_for_element("#username")?;
    std::fs::write(
        shots.join("login-page.png"),
        tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)?,
    )?;

    tab.wait_for_element("#username")?.click()?;
    tab.type_str("operator@acme.test")?;
    tab.wait_for_element("#password")?.click()?;
    tab.type_str("not-the-password")?;
    tab.wait_for_element("#kc-login")?.click()?;
    let alert = tab.wait_for_element(".alert")?.get_inner_text()?;
    anyhow::ensure!(
        alert.contains("Invalid username or password"),
        "alert said {alert:?}"
    );
    std::fs::write(
        shots.join("login-page-error.png"),
        tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)?,
    )?;

    // The email is kept; the password is typed again and submitted with Enter.
    tab.wait_for_element("#password")?.click()?;
    tab.type_str("operator")?;
    tab.press_key("Enter")?;
    Ok(browser)
}

#[tokio::test]
async fn a_real_browser_types_into_the_login_page_and_arrives_at_the_callback_with_a_code() {
    let Some(chrome) = chromium() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Chromium not found: .ci/run installs Debian's chromium (or set CHROME)"
        );
        eprintln!("SKIPPED: no Chromium found; install Debian's chromium or set CHROME");
        return;
    };
    let app = spawn_app().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!(
        "http://127.0.0.1:{}/callback",
        listener.local_addr().unwrap().port()
    );
    let (tx, mut targets) = mpsc::unbounded_channel();
    tokio::spawn(serve_callback(listener, tx));
    let registered = register_app(
        &app,
        &app.acme_admin_token().await,
        "regular_web",
        &[(&callback, "callback")],
    )
    .await;
    let url = Authorize::dashboard()
        .set("client_id", &registered.client_id)
        .set("redirect_uri", &callback)
        .set("state", "browser-state")
        .url(&app);

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = shots.clone();
    let browser = tokio::task::spawn_blocking(move || sign_in_with_chromium(chrome, &url, &dir))
        .await
        .unwrap()
        .expect("Chromium signs in");
    eprintln!("login page screenshots in {}", shots.display());

    let target = loop {
        let target = tokio::time::timeout(Duration::from_secs(60), targets.recv())
            .await
            .expect("the browser arrives at the callback")
            .expect("the callback server runs");
        if target.starts_with("/callback") {
            break target;
        }
    };
    drop(browser);
    let arrived = url::Url::parse(&format!("http://app{target}")).unwrap();
    let param = |name: &str| {
        arrived
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some("browser-state"));
    let code = param("code").expect("a code at the callback");

    let res = app
        .client
        .post(app.url(TOKEN_PATH))
        .basic_auth(&registered.client_id, registered.client_secret.as_deref())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", &callback),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the code from the browser exchanges");
}
