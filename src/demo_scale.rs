//! `repatrack demo --scale N`: a demo database at the size of a long operation, for measuring
//! (issue 19): N crossing events over the demo posts and the two years before today, a tenth
//! as many people, two agreements, verifications by a second person, closed days, each with its
//! audit entry.
//!
//! Everything goes through the services, as people's requests do, so the rows, the ledger and
//! the audit chain are exactly those the application writes, and `audit verify --state` holds.
//! What makes it fast is the connection and the batches, not a shortcut: the load commits without
//! waiting for the disk (`synchronous=OFF` on SQLite, `synchronous_commit=off` on PostgreSQL, for
//! this connection only) and syncs once at the end; and [`BATCH`] events go to one outer
//! transaction ([`db::in_batches`]), each service's own transaction a savepoint inside it, so the
//! pages every write touches are logged once per batch. A crash during the load loses the load,
//! not a person's record.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::connection::SimpleConnection;

use crate::audit::Actor;
use crate::db::{self, DbConn, scope::ScopedPost};
use crate::demo_story::{agreement_in_force, principal_of};
use crate::domain::agreement::{AgreementForm, Clause};
use crate::domain::event::{Category, EventForm};
use crate::domain::ids::{AgreementId, EventId};
use crate::domain::person::PersonForm;
use crate::domain::policy::Principal;
use crate::services::{days, events, people};

/// Progress: called with (work done, work in all) as the load goes.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// The demo's posts, in the order events rotate over them.
const POSTS: [&str; 3] = ["QAIM", "RABIA", "WALEED"];

/// Items to a transaction: each one's writes are savepoints inside it ([`db::in_batches`]).
const BATCH: u64 = 500;

/// Of the last month's events (days not yet closed), one in this many is left awaiting
/// verification, as a backlog would. Older days are closed, which needs every event verified.
const PENDING_ONE_IN: u64 = 50;

/// First names and family names the people are drawn from (Arabic, Latin).
const FIRST: [(&str, &str); 12] = [
    ("محمد", "Mohammed"),
    ("أحمد", "Ahmed"),
    ("علي", "Ali"),
    ("حسين", "Hussein"),
    ("عمر", "Omar"),
    ("خالد", "Khaled"),
    ("يوسف", "Youssef"),
    ("إبراهيم", "Ibrahim"),
    ("مصطفى", "Mustafa"),
    ("سامر", "Samer"),
    ("فادي", "Fadi"),
    ("ماهر", "Maher"),
];
const FAMILY: [(&str, &str); 10] = [
    ("الحسن", "Al-Hassan"),
    ("العلي", "Al-Ali"),
    ("الخطيب", "Al-Khatib"),
    ("الشامي", "Al-Shami"),
    ("المصري", "Al-Masri"),
    ("الحلبي", "Al-Halabi"),
    ("العبيدي", "Al-Obaidi"),
    ("الجبوري", "Al-Jubouri"),
    ("الدليمي", "Al-Dulaimi"),
    ("الزعبي", "Al-Zoubi"),
];

/// Who records and who verifies at each post: four eyes, within each one's posts.
struct Cast {
    /// By post: (recorder, verifier).
    by_post: Vec<(ScopedPost, Principal, Principal)>,
    /// The administrator: confirms agreements.
    admin: Principal,
    /// Proposes agreements and closes days (every post).
    supervisor: Principal,
}

impl Cast {
    /// The demo's admin, officer and the scale supervisor (every post), whom
    /// [`crate::commands::demo`] creates.
    fn load(conn: &mut DbConn) -> Result<Self, String> {
        let admin = principal_of(conn, "admin")?;
        let officer = principal_of(conn, "officer")?;
        let supervisor = principal_of(conn, SCALE_SUPERVISOR)?;
        let mut by_post = Vec::new();
        for code in POSTS {
            let post = ScopedPost::by_code(conn, &admin, code)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no post {code}"))?;
            // The officer records at Al-Qaim; the administrator elsewhere. The supervisor of
            // every post verifies.
            let recorder = if code == "QAIM" {
                officer.clone()
            } else {
                admin.clone()
            };
            by_post.push((post, recorder, supervisor.clone()));
        }
        Ok(Self {
            by_post,
            admin,
            supervisor,
        })
    }
}

/// The account that verifies and closes days at every post in a scaled demo.
pub const SCALE_SUPERVISOR: &str = "supervisor-all";

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Asia::Baghdad)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Loads the scaled demo; returns what to print.
pub fn load(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    events_wanted: u64,
    progress: Progress<'_>,
) -> Result<String, String> {
    match conn {
        DbConn::Sqlite(_) => conn.batch_execute("PRAGMA synchronous = OFF"),
        DbConn::Postgres(_) => conn.batch_execute("SET synchronous_commit = off"),
    }
    .map_err(|e| e.to_string())?;
    let outcome = fill(conn, now, events_wanted, progress);
    // Durable from here on, whatever happened.
    let synced = match conn {
        DbConn::Sqlite(_) => {
            conn.batch_execute("PRAGMA synchronous = FULL; PRAGMA wal_checkpoint(TRUNCATE);")
        }
        DbConn::Postgres(_) => conn.batch_execute("SET synchronous_commit = on; CHECKPOINT"),
    };
    let summary = outcome?;
    synced.map_err(|e| format!("syncing the loaded database: {e}"))?;
    Ok(summary)
}

fn fill(
    conn: &mut DbConn,
    now: DateTime<Utc>,
    events_wanted: u64,
    progress: Progress<'_>,
) -> Result<String, String> {
    let cast = Cast::load(conn)?;
    let actor = Actor::system();
    let people_wanted = events_wanted / 10;
    let total = events_wanted + people_wanted;
    let today = now.date_naive();
    let first_day = today - Duration::days(730);
    let start = first_day.and_hms_opt(6, 0, 0).unwrap_or_default().and_utc();
    // Events are spread evenly over the two years up to yesterday.
    let span_secs = (today - first_day).num_seconds() - 86_400;
    let agreements = [
        agreement(conn, &cast, now, "DEMO/RET-01", first_day)?,
        agreement(
            conn,
            &cast,
            now,
            "DEMO/RET-02",
            first_day + Duration::days(365),
        )?,
    ];
    // Present per post and category, as recorded (a return never takes more).
    let mut present = [[0_i64; 2]; 3];
    let mut latest_arrival: [Option<EventId>; 3] = [None; 3];
    let mut recorded = 0_u64;
    let mut pending = 0_u64;
    let mut registered = 0_u64;
    let mut last_closed = [first_day; 3];
    let per_item = |conn: &mut DbConn, i: u64| -> Result<(), Box<dyn std::error::Error>> {
        let at = start + Duration::seconds(span_secs * i as i64 / events_wanted.max(1) as i64);
        let p = (i % 3) as usize;
        let (post, recorder, verifier) = &cast.by_post[p];
        let category = if i.is_multiple_of(4) {
            Category::Civilian
        } else {
            Category::Military
        };
        let c = if category == Category::Civilian { 1 } else { 0 };
        let want_out = i % 3 == 2 && present[p][c] > 0;
        let headcount = if want_out {
            (1 + (i * 7) % 15).min(present[p][c] as u64) as i64
        } else {
            1 + ((i * 13) % 20) as i64
        };
        let cites = want_out && category == Category::Military;
        // The agreement in force on the event's day at the post (Baghdad time, as recorded).
        let local_day = at.with_timezone(&chrono_tz::Asia::Baghdad).date_naive();
        let agreement_id = cites.then(|| {
            if local_day >= first_day + Duration::days(365) {
                agreements[1]
            } else {
                agreements[0]
            }
        });
        let f = EventForm {
            occurred_at: local(at),
            direction: if want_out { "outbound" } else { "inbound" }.into(),
            category: category.as_str().into(),
            headcount: headcount.to_string(),
            officers: String::new(),
            wounded: String::new(),
            source: "Gate log".into(),
            reference: format!("GL-{i}"),
            notes: String::new(),
            agreement_id: agreement_id.map(|a| a.0.to_string()).unwrap_or_default(),
        }
        .parse(chrono_tz::Asia::Baghdad, now)
        .map_err(|e| e.to_string())?;
        let key = crate::routes::events::new_form_key();
        let id = events::create(conn, &actor, recorder, now, post, &f, &key)
            .map_err(|e| format!("event {i}: {e:?}"))?;
        recorded += 1;
        if want_out {
            present[p][c] -= headcount;
        } else {
            present[p][c] += headcount;
            latest_arrival[p] = Some(id);
        }
        let recent = at.date_naive() > today - Duration::days(31);
        if recent && i % PENDING_ONE_IN == PENDING_ONE_IN - 1 {
            pending += 1;
        } else {
            let version = db::events::find(conn, id)
                .map_err(|e| e.to_string())?
                .ok_or("the event just recorded")?
                .version;
            events::verify(conn, &actor, verifier, now, id, version)
                .map_err(|e| format!("verifying event {i}: {e:?}"))?;
        }
        // A tenth as many people, registered at the post of the arrival they came with.
        if i.is_multiple_of(10) && registered < people_wanted {
            register(conn, &cast, now, p, registered, latest_arrival[p])?;
            registered += 1;
        }
        // Days more than a month old are closed, a month at a time.
        let month_ago = at.date_naive() - Duration::days(30);
        if month_ago - last_closed[p] > Duration::days(30) {
            close_up_to(conn, &cast, now, p, month_ago)?;
            last_closed[p] = month_ago;
        }
        if i.is_multiple_of(1000) {
            progress(recorded + registered, total);
        }
        Ok(())
    };
    db::in_batches(conn, events_wanted, BATCH, per_item).map_err(|e| e.to_string())?;
    progress(total, total);
    Ok(format!(
        "Scaled demo: {recorded} events at {} from {first_day} to {} ({pending} awaiting verification), {registered} people, agreements DEMO/RET-01 and DEMO/RET-02, days closed up to a month before the last event.\n",
        POSTS.join(", "),
        today - Duration::days(1),
    ))
}

/// An agreement covering every demo post, in force from `from` for a year, put in force by two
/// people.
fn agreement(
    conn: &mut DbConn,
    cast: &Cast,
    now: DateTime<Utc>,
    reference: &str,
    from: NaiveDate,
) -> Result<AgreementId, String> {
    let form = AgreementForm {
        reference: reference.into(),
        title: format!("Returns through the demo posts ({reference})"),
        parties: "Republic of Iraq; Syrian authorities".into(),
        signed_on: from.to_string(),
        effective_from: from.to_string(),
        effective_to: (from + Duration::days(364)).to_string(),
        terms: "Returns in groups after coordination between the two sides.".into(),
        planned_headcount: String::new(),
        post_codes: POSTS.iter().map(|p| (*p).to_owned()).collect(),
        clauses: vec![Clause {
            kind: "no_reprisals".into(),
            text: "Returnees will face no harassment or punishment upon their return.".into(),
        }],
    }
    .parse()
    .map_err(|e| e.to_string())?;
    agreement_in_force(
        conn,
        &cast.supervisor,
        &cast.admin,
        now,
        &form,
        "Signed by both sides.",
        &format!("agreement {reference}"),
    )
}

/// Registers the `n`-th person at post `p`, with the arrival they came with.
fn register(
    conn: &mut DbConn,
    cast: &Cast,
    now: DateTime<Utc>,
    p: usize,
    n: u64,
    arrival: Option<EventId>,
) -> Result<(), String> {
    let (post, recorder, _) = &cast.by_post[p];
    let first = FIRST[(n % FIRST.len() as u64) as usize];
    let father = FIRST[((n / 7) % FIRST.len() as u64) as usize];
    let family = FAMILY[((n / 3) % FAMILY.len() as u64) as usize];
    let f = PersonForm {
        name_ar: format!("{} {} {}", first.0, father.0, family.0),
        name_latin: format!("{} {} {}", first.1, father.1, family.1),
        father_name: father.0.into(),
        family_name: family.0.into(),
        birth_year: (1970 + n % 35).to_string(),
        sex: "male".into(),
        service_number: format!("SN-{n}"),
        nationality: "SY".into(),
        inbound_event_id: arrival.map(|a| a.0.to_string()).unwrap_or_default(),
        ..PersonForm::default()
    }
    .parse(now.date_naive())
    .map_err(|e| e.to_string())?;
    let key = crate::routes::events::new_form_key();
    people::create(conn, &Actor::system(), recorder, now, post, &f, &key, true)
        .map_err(|e| format!("person {n}: {e:?}"))?;
    Ok(())
}

/// Closes the open days with entries up to `to` at post `p`.
fn close_up_to(
    conn: &mut DbConn,
    cast: &Cast,
    now: DateTime<Utc>,
    p: usize,
    to: NaiveDate,
) -> Result<(), String> {
    let (post, _, _) = &cast.by_post[p];
    match days::close_up_to(conn, &Actor::system(), &cast.supervisor, now, post, to) {
        Ok(_) => Ok(()),
        // Nothing open up to then (a quiet month).
        Err(events::EventError::Refused(_)) => Ok(()),
        Err(e) => Err(format!("closing days at {}: {e:?}", post.code)),
    }
}
