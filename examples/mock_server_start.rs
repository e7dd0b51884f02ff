//! How long `MockServer::start()` takes in-process, as a test suite starting one per test
//! pays it: prints `{"runs", "median_ms", "max_ms"}`. Used by `bench/run.py`.

use ion_mock::MockServer;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let server = MockServer::start().await;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        drop(server);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"runs\": {runs}, \"median_ms\": {:.2}, \"max_ms\": {:.2}}}",
        times[runs / 2],
        times[runs - 1]
    );
}
