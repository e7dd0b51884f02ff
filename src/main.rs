use clap::Parser;
use ion_mock::cli::Command;
use ion_mock::config::{Cli, Settings, init_tracing};
use ion_mock::startup::Application;
use std::io::Write;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
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
