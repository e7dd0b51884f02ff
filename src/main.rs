use clap::Parser;
use ion_mock::cli::Command;
use ion_mock::config::{Cli, Settings, init_tracing};
use ion_mock::startup::Application;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    return_large_blocks_to_the_os();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("ion-mock: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(Cli::parse())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ion-mock: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => serve(cli.settings, cli.log_format).await,
        Some(Command::Serve(settings)) => serve(settings, cli.log_format).await,
        Some(command) => {
            init_tracing(cli.log_format, "warn");
            ion_mock::cli::run(command).await
        }
    }
}

async fn serve(settings: Settings, log_format: ion_mock::config::LogFormat) -> anyhow::Result<()> {
    init_tracing(log_format, "info");
    let app = Application::build(settings).await?;
    // The readiness lines are the only stdout output, and must reach a pipe at once.
    let mut stdout = std::io::stdout().lock();
    if let Some(pem) = app.tls_certificate() {
        writeln!(stdout, "ion-mock tls certificate {}", pem.display())?;
    }
    writeln!(stdout, "ion-mock listening on {}", app.base_url())?;
    stdout.flush()?;
    drop(stdout);
    app.run_until_stopped().await?;
    Ok(())
}

/// Each sign-in's Argon2 check allocates a 19 MiB block. After the first such block is freed,
/// glibc raises its mmap threshold above that size, so later blocks come from per-thread arenas
/// and stay resident when freed: a burst of sign-ins left the process at 255 MiB. A fixed
/// threshold keeps large blocks mapped on their own and returned to the system on free.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_large_blocks_to_the_os() {
    // SAFETY: mallopt only changes allocator parameters, and runs before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_large_blocks_to_the_os() {}
