//! The `repatrack` command: parse the command line, load the configuration, call the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use repatrack::clock::Clock;
use repatrack::config::Settings;
use repatrack::startup::{self, Application};

/// The record of people crossing a border and being returned.
#[derive(Parser)]
#[command(name = "repatrack", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    repatrack::telemetry::init();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("repatrack: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // Drivers (libpq) answer over several lines; an operator wants one.
            let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("repatrack: {one_line}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind;
        let database = settings.database.to_string();
        let app = Application::build(settings, Clock::system()).map_err(|e| e.to_string())?;
        tracing::info!("repatrack listening on http://{bind} with database {database}");
        app.run_until_stopped()
            .await
            .map_err(|e| format!("server stopped: {e}"))
    })
}

fn migrate(settings: &Settings) -> Result<(), String> {
    startup::prepare_database(settings).map_err(|e| e.to_string())?;
    tracing::info!(database = %settings.database, "database is up to date");
    Ok(())
}
