use clap::Parser;
use ion_mock::config::Cli;
use ion_mock::startup::Application;
use std::io::Write;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    ion_mock::config::init_tracing();
    let app = Application::build(cli.settings).await?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "ion-mock listening on {}", app.base_url())?;
    stdout.flush()?;
    drop(stdout);
    app.run_until_stopped().await?;
    Ok(())
}
