//! What the operator commands do (`user add`, `demo`); `main.rs` only parses arguments.

use std::fmt::Write as _;

use rand::Rng;

use crate::audit::{Action, Actor};
use crate::auth::password::hash_blocking;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db;
use crate::domain::account::AccountForm;
use crate::domain::ids::UserId;
use crate::domain::post::PostForm;
use crate::error::AppError;
use crate::services::Refused;
use crate::services::accounts::{self, AccountError};
use crate::services::border_posts;
use crate::startup::prepare_connection;

fn open(settings: &Settings) -> Result<db::DbConn, String> {
    let conn = prepare_connection(settings).map_err(|e| e.to_string())?;
    // Writes from the command line are signed into checkpoints like the server's.
    crate::audit::checkpoint::install_from(settings)?;
    Ok(conn)
}

fn explain(error: AccountError) -> String {
    match error {
        AccountError::Invalid(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        AccountError::Database(e) => format!("database: {e}"),
        AccountError::Audit(e) => format!("audit: {e}"),
        AccountError::Stale(_) => "the account was changed meanwhile".to_owned(),
    }
}

/// `repatrack user add`: creates one account; returns the line to print.
pub fn user_add(
    settings: &Settings,
    form: &AccountForm,
    password: &str,
    clock: &Clock,
) -> Result<String, String> {
    let (fields, password) = form
        .parse(Some(password))
        .map_err(|e| explain(AccountError::Invalid(e)))?;
    let password = password.ok_or("password: Required.")?;
    let hash = hash_blocking(password.expose()).map_err(|e| e.to_string())?;
    let mut conn = open(settings)?;
    let id = accounts::create(&mut conn, &Actor::system(), clock.now(), &fields, &hash)
        .map_err(explain)?;
    Ok(format!(
        "created user {} ({}) with id {id}",
        fields.username, fields.role
    ))
}

/// The illustrative border posts of `repatrack demo`.
fn demo_posts() -> Vec<PostForm> {
    let post = |code: &str, en: &str, ar: &str, gov: &str, other: &str| PostForm {
        code: code.into(),
        name_en: en.into(),
        name_ar: ar.into(),
        country: "IQ".into(),
        neighbour_country: "SY".into(),
        governorate: gov.into(),
        counterpart_name: other.into(),
        timezone: "Asia/Baghdad".into(),
    };
    vec![
        post("QAIM", "Al-Qaim", "القائم", "Anbar", "Albu Kamal"),
        post("RABIA", "Rabia", "ربيعة", "Ninawa", "Al-Yarubiyah"),
        post("WALEED", "Al-Walid", "الوليد", "Anbar", "Al-Tanf"),
    ]
}

/// A password that is easy to read out and type: four groups of five, no look-alikes.
fn generated_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// What `repatrack demo` loads besides posts and users.
pub enum DemoData<'a> {
    /// Nothing (`--empty`).
    Empty,
    /// The December 2024 story at Al-Qaim.
    Story,
    /// `--scale N`: N events over two years, people, agreements (see [`crate::demo_scale`]),
    /// reporting progress as it goes.
    Scale(u64, crate::demo_scale::Progress<'a>),
}

/// `repatrack demo`: the three illustrative posts and one user per role, and on a database
/// without events the December 2024 story at Al-Qaim or a scaled load (`data`); returns what to
/// print, including each generated password (shown this once).
pub fn demo(
    settings: &Settings,
    force: bool,
    data: DemoData<'_>,
    clock: &Clock,
) -> Result<String, String> {
    let mut conn = open(settings)?;
    let existing = db::users::count(&mut conn).map_err(|e| e.to_string())?;
    if existing > 0 && !force {
        return Err(format!(
            "the database already has {existing} user(s); run `repatrack demo --force` to add the demo posts and reset the demo users' passwords"
        ));
    }
    let (now, actor) = (clock.now(), Actor::system());
    for form in demo_posts() {
        let post = form.parse_new().map_err(|e| e.to_string())?;
        match border_posts::create(&mut conn, &actor, now, &post) {
            Ok(_) | Err(Refused::Invalid(_)) => {} // already there (a run with --force)
            Err(other) => return Err(other.to_string()),
        }
    }
    let users = [
        ("admin", "Demo Administrator", "admin", true, vec![]),
        (
            "supervisor",
            "Demo Supervisor",
            "supervisor",
            false,
            vec!["QAIM".to_owned(), "WALEED".to_owned()],
        ),
        (
            "officer",
            "Demo Case Officer",
            "officer",
            false,
            vec!["QAIM".to_owned()],
        ),
        ("auditor", "Demo Auditor", "auditor", true, vec![]),
    ];
    // A scaled load needs a second person at every post to verify and close days.
    let scale_supervisor = (
        crate::demo_scale::SCALE_SUPERVISOR,
        "Demo Supervisor, all posts",
        "supervisor",
        true,
        vec![],
    );
    let users = users
        .into_iter()
        .chain(matches!(data, DemoData::Scale(..)).then_some(scale_supervisor));
    let mut out = String::from(
        "Demo border posts: QAIM, RABIA, WALEED.\nDemo users (passwords are shown only now):\n",
    );
    for (username, display_name, role, all_posts, post_codes) in users {
        let form = AccountForm {
            username: username.into(),
            display_name: display_name.into(),
            role: role.into(),
            all_posts,
            post_codes,
        };
        let password = generated_password();
        let (fields, _) = form
            .parse(Some(&password))
            .map_err(|e| explain(AccountError::Invalid(e)))?;
        let hash = hash_blocking(&password).map_err(|e| e.to_string())?;
        match db::users::find_by_username(&mut conn, username).map_err(|e| e.to_string())? {
            Some(user) => {
                let id = UserId(user.id);
                let reason = Some("repatrack demo --force");
                accounts::replace_password(
                    &mut conn,
                    &actor,
                    now,
                    id,
                    &hash,
                    None,
                    Action::UserPasswordReset,
                    reason,
                )
                .map_err(|e| e.to_string())?;
            }
            None => {
                accounts::create(&mut conn, &actor, now, &fields, &hash).map_err(explain)?;
            }
        }
        let _ = writeln!(out, "  {username:<11} {role:<11} {password}");
    }
    out.push_str(
        "Signing in as admin or supervisor first asks to set up a second factor (an authenticator app on a phone).\n",
    );
    let has_events = db::ledger::any_events(&mut conn).map_err(|e| e.to_string())?;
    match data {
        _ if has_events => {}
        DemoData::Empty => {}
        DemoData::Story => out.push_str(&crate::demo_story::load(&mut conn, now)?),
        DemoData::Scale(events, progress) => {
            out.push_str(&crate::demo_scale::load(&mut conn, now, events, progress)?);
        }
    }
    Ok(out)
}

/// Which export `repatrack export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// `/events.csv`.
    Events,
    /// `/agreements.csv`.
    Agreements,
    /// `/audit.csv`.
    Audit,
    /// `/reports/headcount.csv`.
    Headcount,
}

/// The filters `repatrack export` takes (each as the page's query field of the same name).
#[derive(Debug, Clone, Default)]
pub struct ExportFilters {
    /// A post code.
    pub post: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Prefix a UTF-8 BOM.
    pub bom: bool,
}

/// `repatrack export …`: writes to `out` the same bytes as the page's export for an
/// administrator with the same filters, and records the export in the trail (as `system`).
pub fn export(
    settings: &Settings,
    kind: ExportKind,
    filters: &ExportFilters,
    clock: &Clock,
    out: Box<dyn std::io::Write + Send>,
) -> Result<crate::export::Outcome, String> {
    use crate::domain::FieldErrors;
    use crate::export::{self, Export};
    let mut conn = open(settings)?;
    // The command line is the operator's, who reads every post.
    let operator = crate::domain::policy::Principal::operator();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let refused = |errors: FieldErrors| {
        errors
            .iter()
            .map(|e| format!("--{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ")
    };
    // Each kind reads its filters as its page does; the writing is the same for all.
    type Rows = Box<dyn FnOnce(&mut db::DbConn, &mut export::Sink) -> Result<(), AppError>>;
    let (name, query_string, columns, rows): (&'static str, String, &'static [&'static str], Rows) =
        match kind {
            ExportKind::Events => {
                let query = crate::views::events::EventQuery {
                    post: text(&filters.post),
                    from: text(&filters.from),
                    to: text(&filters.to),
                    ..Default::default()
                };
                let mut errors = FieldErrors::new();
                let filter = crate::routes::events::list::filter_in(
                    &mut conn,
                    operator.scope(),
                    &query,
                    &mut errors,
                )
                .map_err(|e| e.to_string())?;
                if !errors.is_empty() {
                    return Err(refused(errors));
                }
                (
                    "events",
                    query.query_string(),
                    export::events::COLUMNS,
                    Box::new(move |c, s| export::events::rows(c, &filter, s)),
                )
            }
            ExportKind::Agreements => {
                if filters.from.is_some() || filters.to.is_some() {
                    return Err("--from and --to do not apply to agreements (only --post)".into());
                }
                let query = crate::views::agreements::AgreementQuery {
                    post: text(&filters.post),
                    ..Default::default()
                };
                let filter =
                    crate::routes::agreements::list::filter_in(&mut conn, operator.scope(), &query)
                        .map_err(|e| e.to_string())?;
                (
                    "agreements",
                    query.query_string(),
                    export::agreements::COLUMNS,
                    Box::new(move |c, s| export::agreements::rows(c, &filter, s)),
                )
            }
            ExportKind::Audit => {
                let query = crate::views::audit::AuditQuery {
                    post: text(&filters.post),
                    from: text(&filters.from),
                    to: text(&filters.to),
                    ..Default::default()
                };
                let mut errors = FieldErrors::new();
                let filter = crate::routes::audit::list::filter_in(None, &query, &mut errors);
                if !errors.is_empty() {
                    return Err(refused(errors));
                }
                (
                    "audit",
                    query.query_string(),
                    export::audit::COLUMNS,
                    Box::new(move |c, s| export::audit::rows(c, &filter, s)),
                )
            }
            ExportKind::Headcount => {
                let query = crate::reports::HeadcountQuery {
                    post: text(&filters.post),
                    from: text(&filters.from),
                    to: text(&filters.to),
                    ..Default::default()
                };
                let today = clock.now().date_naive();
                let filter = crate::reports::filter_for(&mut conn, &operator, &query, today)
                    .map_err(|e| e.to_string())?
                    .map_err(refused)?;
                (
                    "headcount",
                    query.query_string(),
                    export::headcount::COLUMNS,
                    Box::new(move |c, s| export::headcount::rows(c, &filter, s)),
                )
            }
        };
    let export = Export {
        name,
        file_name: String::new(),
        filters: query_string,
        bom: filters.bom,
    };
    let outcome = export::write_csv(
        &mut conn,
        &Actor::system(),
        clock,
        export,
        columns,
        out,
        rows,
    );
    // An export nobody can find in the trail must not look like a success: the operator
    // is told, and the command fails, though the bytes were written.
    if let Some(reason) = &outcome.unrecorded {
        return Err(format!(
            "the export was written but could not be recorded in the audit trail: {reason}"
        ));
    }
    if outcome.complete {
        Ok(outcome)
    } else {
        Err("the export stopped before its end (see the log)".to_owned())
    }
}
