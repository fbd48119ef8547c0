//! The `repatrack` command: parse the command line, load the configuration, call the library.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use repatrack::clock::Clock;
use repatrack::config::Settings;
use repatrack::domain::account::AccountForm;
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
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Work with the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a CSV export to standard output: the same bytes as the page's export for an
    /// administrator with the same filters (recorded in the audit trail).
    Export(ExportArgs),
    /// Load illustrative border posts, one user per role (prints their passwords once) and the
    /// December 2024 story at Al-Qaim.
    Demo {
        /// Run even if the database already has users (resets the demo users' passwords).
        #[arg(long)]
        force: bool,
        /// Posts and users only, no events or agreement.
        #[arg(long)]
        empty: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportKindArg {
    /// Crossing events (`/events.csv`).
    Events,
    /// Agreements (`/agreements.csv`).
    Agreements,
    /// The audit trail (`/audit.csv`).
    Audit,
    /// The headcount report (`/reports/headcount.csv`).
    Headcount,
}

#[derive(Args)]
struct ExportArgs {
    /// What to export.
    #[arg(value_enum)]
    kind: ExportKindArg,
    /// Only this border post (code).
    #[arg(long)]
    post: Option<String>,
    /// From this day, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// To this day, YYYY-MM-DD (inclusive).
    #[arg(long)]
    to: Option<String>,
    /// Start with a UTF-8 byte-order mark, for spreadsheet programs.
    #[arg(long)]
    bom: bool,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain: exit 0 and one line when intact, 1 naming the first broken seq.
    Verify,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password comes from REPATRACK_PASSWORD or, if unset, standard
    /// input; never from the command line, where other users of the machine could read it.
    Add(UserAddArgs),
}

#[derive(Args)]
struct UserAddArgs {
    /// Sign-in name (letters, digits, dots, dashes, underscores).
    username: String,
    /// admin, supervisor, officer or auditor.
    #[arg(long)]
    role: String,
    /// A border post the user may see and touch (repeat for several).
    #[arg(long = "post", value_name = "CODE")]
    posts: Vec<String>,
    /// The user sees every post.
    #[arg(long)]
    all_posts: bool,
    /// The name shown in the interface (default: the user name).
    #[arg(long)]
    display_name: Option<String>,
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
    let clock = Clock::system();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::User(UserCommand::Add(args)) => user_add(&settings, args, &clock),
        Command::Audit(AuditCommand::Verify) => audit_verify(&settings),
        Command::Export(args) => export(&settings, args, &clock),
        Command::Demo { force, empty } => {
            repatrack::commands::demo(&settings, force, empty, &clock).map(|out| print(&out))
        }
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

#[allow(clippy::print_stdout)] // command output belongs on standard output
fn print(text: &str) {
    print!("{text}");
    if !text.ends_with('\n') {
        println!();
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async move {
        let bind = settings.bind;
        let database = settings.database.to_string();
        let app = Application::build(settings, Clock::system()).map_err(|e| e.to_string())?;
        // The port actually bound (BIND may ask for port 0, "any free port").
        let bound = std::net::SocketAddr::new(bind.ip(), app.port());
        tracing::info!("repatrack listening on http://{bound} with database {database}");
        if app.user_count() == Some(0) {
            tracing::warn!(
                "no user yet: create the first administrator with `repatrack user add NAME --role admin --all-posts` \
                 (password from REPATRACK_PASSWORD or standard input), or load demo data with `repatrack demo`"
            );
        }
        app.run_until_stopped().await.map_err(|e| format!("server stopped: {e}"))
    })
}

fn migrate(settings: &Settings) -> Result<(), String> {
    startup::prepare_connection(settings).map_err(|e| e.to_string())?;
    tracing::info!(database = %settings.database, "database is up to date");
    Ok(())
}

fn read_password() -> Result<String, String> {
    if let Ok(password) = std::env::var("REPATRACK_PASSWORD") {
        return Ok(password);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password (15 characters or more): ")
            .map_err(|e| e.to_string());
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("reading the password: {e}"))?;
    // Only the line ending is removed: spaces are part of a pass phrase.
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

fn user_add(settings: &Settings, args: UserAddArgs, clock: &Clock) -> Result<(), String> {
    let password = read_password()?;
    let form = AccountForm {
        display_name: args.display_name.unwrap_or_default(),
        username: args.username,
        role: args.role,
        all_posts: args.all_posts,
        post_codes: args.posts,
    };
    let line = repatrack::commands::user_add(settings, &form, &password, clock)?;
    print(&line);
    Ok(())
}

fn export(settings: &Settings, args: ExportArgs, clock: &Clock) -> Result<(), String> {
    use repatrack::commands::{ExportFilters, ExportKind};
    let kind = match args.kind {
        ExportKindArg::Events => ExportKind::Events,
        ExportKindArg::Agreements => ExportKind::Agreements,
        ExportKindArg::Audit => ExportKind::Audit,
        ExportKindArg::Headcount => ExportKind::Headcount,
    };
    let filters = ExportFilters {
        post: args.post,
        from: args.from,
        to: args.to,
        bom: args.bom,
    };
    let out = Box::new(std::io::stdout());
    let outcome = repatrack::commands::export(settings, kind, &filters, clock, out)?;
    tracing::info!(rows = outcome.rows, sha256 = %outcome.sha256, "export written");
    Ok(())
}

fn audit_verify(settings: &Settings) -> Result<(), String> {
    let mut conn = startup::prepare_connection(settings).map_err(|e| e.to_string())?;
    if repatrack::audit::checkpoint::install_existing(settings)?.is_none() {
        tracing::warn!(
            "no audit signing key here: checkpoints are checked against their own keys only"
        );
    }
    let report = repatrack::audit::verify::verify(&mut conn)
        .map_err(|e| format!("reading the audit trail: {e}"))?;
    if report.intact() {
        print(&report.summary());
        Ok(())
    } else {
        Err(report.summary())
    }
}
