//! The real binary as a child process: readiness lines read, stderr kept, SIGTERM to stop.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Process {
    pub child: Child,
    /// The lines printed on stdout up to and including the readiness line.
    pub lines: Vec<String>,
    /// `http(s)://` + the bound address, from the readiness line.
    pub base_url: String,
    stderr: Arc<Mutex<String>>,
}

impl Process {
    /// Starts `ion-mock ARGS` in `dir` and waits for `ion-mock listening on ...`.
    pub fn start(dir: &Path, args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ion-mock"))
            .args(args)
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut lines = Vec::new();
        let base_url = loop {
            let mut line = String::new();
            let n = stdout.read_line(&mut line).unwrap();
            assert!(
                n > 0,
                "exited before ready; stderr: {}",
                stderr.lock().unwrap()
            );
            let line = line.trim_end().to_owned();
            lines.push(line.clone());
            if let Some(url) = line.strip_prefix("ion-mock listening on ") {
                break url.to_owned();
            }
        };
        Self {
            child,
            lines,
            base_url,
            stderr,
        }
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// SIGTERM, then the exit status within 10 s.
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "no exit within 10 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
