//! The real binary, as a user starts it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the binary in `dir` and returns it with its readiness line.
pub fn start(dir: &std::path::Path, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ion-mock"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line.trim_end().to_owned())
}

/// SIGTERM, then the exit status within 10 s.
pub fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_binary_prints_one_readiness_line_serves_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, line) = start(dir.path(), &["--bind", "127.0.0.1:0"]);
    let base = line
        .strip_prefix("ion-mock listening on ")
        .unwrap_or_else(|| panic!("readiness line: {line:?}"));
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
    assert!(terminate(&mut child).success(), "exit status 0");
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
