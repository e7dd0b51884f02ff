//! The real binary, as a user starts it.

use crate::process::Process;
use std::process::Command;

#[tokio::test]
async fn the_binary_prints_one_readiness_line_serves_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Process::start(dir.path(), &["--bind", "127.0.0.1:0"]);
    assert_eq!(
        server.lines.len(),
        1,
        "exactly one line: {:?}",
        server.lines
    );
    let base = server.base_url.clone();
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
        "{base}"
    );
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        dir.path().join("ion-mock.db").exists(),
        "default database file in the working directory"
    );
    assert!(server.terminate().success(), "exit status 0");
}

#[test]
fn a_bad_fixture_file_stops_start_with_a_message_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[orgs]]\nid = 1\nname = \"A\"\ndomain = \"a\"\n[[users]]\nemail = \"x@a\"\nname = \"X\"\npassword = \"p\"\norg = \"zz\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ion-mock"))
        .args([
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
            "--fixtures",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no readiness line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.toml")
            && stderr.contains("users[0]")
            && stderr.contains("unknown org 'zz'"),
        "{stderr}"
    );
}
