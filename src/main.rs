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
    /// Copy the SQLite database, while it serves, to FILE (never over an existing file), check
    /// the copy, and record its SHA-256, audit head and audit key fingerprint in FILE.json. On
    /// PostgreSQL, print the pg_dump command to use.
    Backup {
        /// Where to write the copy.
        file: std::path::PathBuf,
    },
    /// Replace the SQLite database with a checked copy of the backup FILE (stop the server
    /// first). Refuses a database holding users or audit entries unless given --force.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
        /// Replace a database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// Encrypt the plain SQLite database in place with the key in REPATRACK_DB_KEY (or
    /// REPATRACK_DB_KEY_FILE), after checking the encrypted copy (stop the server first).
    Encrypt,
    /// Load illustrative border posts, one user per role (prints their passwords once) and the
    /// December 2024 story at Al-Qaim.
    Demo {
        /// Run even if the database already has users (resets the demo users' passwords).
        #[arg(long)]
        force: bool,
        /// Posts and users only, no events or agreement.
        #[arg(long)]
        empty: bool,
        /// Instead of the story: N events (default 1,000,000) over the demo posts and the two
        /// years before today, a tenth as many people, agreements, verifications and closed
        /// days, all through the audited write path (for measuring).
        #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1000000", conflicts_with = "empty")]
        scale: Option<u64>,
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
    Verify(VerifyArgs),
    /// Sign the chain head now (if it moved since the last checkpoint) and print its receipt,
    /// to keep somewhere this server cannot reach.
    Receipt,
}

#[derive(Args)]
struct VerifyArgs {
    /// Also compare the business tables with the audited after-values, naming every row that
    /// differs or has no audit entry.
    #[arg(long)]
    state: bool,
    /// Also check the database against a receipt kept elsewhere (from `/audit/checkpoints/latest`
    /// or `repatrack audit receipt`): names a cut or rewritten tail.
    #[arg(long, value_name = "FILE")]
    receipt: Option<std::path::PathBuf>,
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
        Command::Audit(AuditCommand::Verify(args)) => audit_verify(&settings, &args),
        Command::Audit(AuditCommand::Receipt) => audit_receipt(&settings, &clock),
        Command::Export(args) => export(&settings, args, &clock),
        Command::Backup { file } => {
            repatrack::backup::backup(&settings, &file, &clock).map(|out| print(&out))
        }
        Command::Restore { file, force } => {
            repatrack::backup::restore(&settings, &file, force).map(|out| print(&out))
        }
        Command::Encrypt => repatrack::backup::encrypt(&settings).map(|out| print(&out)),
        Command::Demo {
            force,
            empty,
            scale,
        } => demo(&settings, force, empty, scale, &clock),
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
        let app = Application::build(settings.clone(), Clock::system()).map_err(|e| e.to_string())?;
        // The port actually bound (BIND may ask for port 0, "any free port").
        let bound = std::net::SocketAddr::new(bind.ip(), app.port());
        tracing::info!("repatrack listening on http://{bound} with database {database}");
        let warning = app
            .pool()
            .get()
            .ok()
            .and_then(|mut conn| startup::unencrypted_warning(&settings, &mut conn));
        if let Some(warning) = warning {
            tracing::warn!("{warning}");
        }
        if app.user_count() == Some(0) {
            tracing::warn!(
                "no user yet: create the first administrator with `repatrack user add NAME --role admin --all-posts` \
                 (password from REPATRACK_PASSWORD or standard input), or load demo data with `repatrack demo`"
            );
        }
        app.run_until_stopped().await.map_err(|e| format!("server stopped: {e}"))
    })
}

fn demo(
    settings: &Settings,
    force: bool,
    empty: bool,
    scale: Option<u64>,
    clock: &Clock,
) -> Result<(), String> {
    use repatrack::commands::DemoData;
    let mut bar = ProgressLine::new();
    let mut progress = |done, total| bar.show(done, total);
    let data = match (empty, scale) {
        (true, _) => DemoData::Empty,
        (false, Some(events)) => DemoData::Scale(events, &mut progress),
        (false, None) => DemoData::Story,
    };
    let out = repatrack::commands::demo(settings, force, data, clock)?;
    print(&out);
    Ok(())
}

/// A progress line on standard error: done of total, the rate, and the time left. Redrawn in
/// place on a terminal; elsewhere (a CI log) one line per tenth.
struct ProgressLine {
    started: std::time::Instant,
    terminal: bool,
    last_tenth: u64,
}

impl ProgressLine {
    fn new() -> Self {
        Self {
            started: std::time::Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            last_tenth: 0,
        }
    }

    #[allow(clippy::print_stderr)] // the progress of a command belongs on standard error
    fn show(&mut self, done: u64, total: u64) {
        let total = total.max(1);
        let tenth = done * 10 / total;
        if !self.terminal && tenth == self.last_tenth && done < total {
            return;
        }
        self.last_tenth = tenth;
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / elapsed;
        let left = if rate > 0.0 {
            (total - done.min(total)) as f64 / rate
        } else {
            0.0
        };
        let width = 30;
        let filled = (done.min(total) * width / total) as usize;
        let bar = format!(
            "[{}{}]",
            "#".repeat(filled),
            ".".repeat(width as usize - filled)
        );
        let line = format!(
            "{bar} {done}/{total} ({:.0}%), {rate:.0}/s, {:.0} s left",
            done as f64 * 100.0 / total as f64,
            left
        );
        if self.terminal {
            eprint!("\r{line}");
            if done >= total {
                eprintln!();
            }
        } else {
            eprintln!("{line}");
        }
    }
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

/// Checks the database against a receipt held elsewhere; the line to print when it holds.
fn check_receipt(
    conn: &mut repatrack::db::DbConn,
    path: &std::path::Path,
) -> Result<String, String> {
    use repatrack::audit::receipt::{Against, Receipt, check};
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let receipt = Receipt::parse(&text).map_err(|why| format!("{}: {why}", path.display()))?;
    if !receipt.signature_valid() {
        return Err(format!(
            "{}: the receipt's signature is not valid: it was altered or is not a receipt",
            path.display()
        ));
    }
    if let Some(key) = repatrack::audit::checkpoint::installed()
        && hex::encode(key.verifying_key().to_bytes()) != receipt.public_key
    {
        return Err(format!(
            "{}: the receipt is signed by another key than this database's",
            path.display()
        ));
    }
    match check(conn, &receipt).map_err(|e| format!("reading the audit trail: {e}"))? {
        Against::Holds => Ok(format!(
            "receipt holds: entry {} still has hash {}",
            receipt.seq, receipt.hash
        )),
        Against::CutTail { ends_at } => Err(format!(
            "audit trail cut: the receipt covers seq {}, the database ends at seq {ends_at}",
            receipt.seq
        )),
        Against::Rewritten => Err(format!(
            "audit trail rewritten: entry {} differs from the receipt",
            receipt.seq
        )),
    }
}

/// `repatrack audit receipt`.
fn audit_receipt(settings: &Settings, clock: &Clock) -> Result<(), String> {
    let mut conn = startup::prepare_connection(settings).map_err(|e| e.to_string())?;
    let key = repatrack::audit::checkpoint::install_from(settings)?;
    repatrack::audit::checkpoint::sign_now(&mut conn, key, clock.now())
        .map_err(|e| format!("signing the chain head: {e}"))?;
    match repatrack::audit::receipt::latest(&mut conn)
        .map_err(|e| format!("reading the checkpoints: {e}"))?
    {
        Some(receipt) => {
            print(&receipt.to_text());
            Ok(())
        }
        None => Err("the audit trail is empty: there is nothing to sign yet".to_owned()),
    }
}

fn audit_verify(settings: &Settings, args: &VerifyArgs) -> Result<(), String> {
    let mut conn = startup::prepare_connection(settings).map_err(|e| e.to_string())?;
    if repatrack::audit::checkpoint::install_existing(settings)?.is_none() {
        tracing::warn!(
            "no audit signing key here: checkpoints are checked against their own keys only"
        );
    }
    let report = repatrack::audit::verify::verify(&mut conn)
        .map_err(|e| format!("reading the audit trail: {e}"))?;
    if !report.intact() {
        return Err(report.summary());
    }
    print(&report.summary());
    if let Some(path) = &args.receipt {
        print(&check_receipt(&mut conn, path)?);
    }
    if args.state {
        let state = repatrack::audit::state::verify_state(&mut conn)
            .map_err(|e| format!("reading the tables: {e}"))?;
        for difference in &state.differences {
            print(&difference.line());
        }
        if !state.consistent() {
            return Err(state.summary());
        }
        print(&state.summary());
    }
    Ok(())
}
