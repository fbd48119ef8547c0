//! The December 2024 story at Al-Qaim, for `repatrack demo`: arrivals from 7 December, a return
//! larger than those present (refused), the agreement with its no-reprisals clause in force from
//! 18 December, the returns under it (some verified, one pending), closed days, and quieter
//! traffic at Rabia and Al-Walid — so that every page has something true to show. Everything
//! goes through the services, as people's requests do: audited, four eyes, the ledger's rules.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Baghdad;

use crate::audit::Actor;
use crate::db::{self, DbConn, scope::ScopedPost};
use crate::domain::agreement::{AgreementForm, Clause};
use crate::domain::event::{EventFields, EventForm};
use crate::domain::ids::{EventId, UserId};
use crate::domain::policy::Principal;
use crate::domain::role::Role;
use crate::services::events::EventError;
use crate::services::{agreements, days, events};

/// The demo's people, as the services see them.
pub struct Cast {
    /// The administrator (all posts): records at Rabia and Al-Walid, confirms the agreement.
    pub admin: Principal,
    /// The supervisor of Qaim and Al-Walid.
    pub supervisor: Principal,
    /// The case officer at Qaim.
    pub officer: Principal,
}

/// A demo account by user name, with its posts, as the services see it.
pub fn principal_of(conn: &mut DbConn, name: &str) -> Result<Principal, String> {
    let user = db::users::find_by_username(conn, name)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no demo user {name}"))?;
    let role = Role::parse(&user.role).map_err(|e| e.message)?;
    let posts = db::users::post_ids(conn, UserId(user.id)).map_err(|e| e.to_string())?;
    Ok(Principal::user(
        UserId(user.id),
        role,
        user.all_posts,
        &posts,
    ))
}

impl Cast {
    /// The demo's accounts by user name, with their posts.
    pub fn load(conn: &mut DbConn) -> Result<Self, String> {
        Ok(Self {
            admin: principal_of(conn, "admin")?,
            supervisor: principal_of(conn, "supervisor")?,
            officer: principal_of(conn, "officer")?,
        })
    }
}

/// Creates an agreement as `supervisor` and puts it in force with a second person, `admin`
/// (four eyes): the demo's way to an agreement in force. Errors name `label`.
pub fn agreement_in_force(
    conn: &mut DbConn,
    supervisor: &Principal,
    admin: &Principal,
    now: DateTime<Utc>,
    form: &crate::domain::agreement::AgreementFields,
    reason: &str,
    label: &str,
) -> Result<crate::domain::ids::AgreementId, String> {
    let actor = Actor::system();
    let failed = |e: agreements::AgreementError| format!("{label}: {e:?}");
    let id = agreements::create(conn, &actor, supervisor, now, form).map_err(failed)?;
    agreements::request_status(conn, &actor, supervisor, now, id, 1, "active", reason)
        .map_err(failed)?;
    agreements::confirm(conn, &actor, admin, now, id, 2).map_err(failed)?;
    Ok(id)
}

fn failed(what: &str, e: EventError) -> String {
    match e {
        EventError::Refused(r) => format!("{what}: {r}"),
        other => format!("{what}: {other:?}"),
    }
}

/// One event of the story: when (at the post, `YYYY-MM-DDTHH:MM`), which way, who, how many.
struct Line<'a> {
    post: &'a str,
    at: &'a str,
    direction: &'a str,
    category: &'a str,
    headcount: &'a str,
    officers: &'a str,
    source: &'a str,
    notes: &'a str,
}

fn fields(
    line: &Line<'_>,
    agreement: Option<i64>,
    now: DateTime<Utc>,
) -> Result<EventFields, String> {
    EventForm {
        occurred_at: line.at.into(),
        direction: line.direction.into(),
        category: line.category.into(),
        headcount: line.headcount.into(),
        officers: line.officers.into(),
        wounded: String::new(),
        source: line.source.into(),
        reference: String::new(),
        notes: line.notes.into(),
        agreement_id: agreement.map(|a| a.to_string()).unwrap_or_default(),
    }
    .parse(Baghdad, now)
    .map_err(|e| e.to_string())
}

/// Records `line` as `who`; returns the event.
fn record(
    conn: &mut DbConn,
    who: &Principal,
    now: DateTime<Utc>,
    line: &Line<'_>,
    agreement: Option<i64>,
) -> Result<EventId, String> {
    let post = ScopedPost::by_code(conn, who, line.post)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no post {}", line.post))?;
    let f = fields(line, agreement, now)?;
    let key = crate::routes::events::new_form_key();
    events::create(conn, &Actor::system(), who, now, &post, &f, &key)
        .map_err(|e| failed(&format!("{} {}", line.post, line.at), e))
}

fn verify(
    conn: &mut DbConn,
    who: &Principal,
    now: DateTime<Utc>,
    id: EventId,
) -> Result<(), String> {
    let version = db::events::find(conn, id)
        .map_err(|e| e.to_string())?
        .map_or(1, |e| e.version);
    events::verify(conn, &Actor::system(), who, now, id, version)
        .map(|_| ())
        .map_err(|e| failed("verifying", e))
}

/// Loads the story; returns what to print about it.
pub fn load(conn: &mut DbConn, now: DateTime<Utc>) -> Result<String, String> {
    let cast = Cast::load(conn)?;
    let line = |post, at, direction, category, headcount, officers, source, notes| Line {
        post,
        at,
        direction,
        category,
        headcount,
        officers,
        source,
        notes,
    };
    let mut out = String::new();
    // 7–9 December: Syrian army personnel cross into Iraq at Al-Qaim as the former government
    // falls; civilians follow.
    let arrivals = [
        line(
            "QAIM",
            "2024-12-07T06:30",
            "inbound",
            "military",
            "640",
            "85",
            "Qaim border police, gate log",
            "Crossed with light arms, handed over at the gate.",
        ),
        line(
            "QAIM",
            "2024-12-07T18:10",
            "inbound",
            "military",
            "360",
            "40",
            "Qaim border police, gate log",
            "",
        ),
        line(
            "QAIM",
            "2024-12-08T09:00",
            "inbound",
            "military",
            "100",
            "5",
            "Anbar operations command report",
            "Group from Albu Kamal.",
        ),
        line(
            "QAIM",
            "2024-12-08T14:00",
            "inbound",
            "civilian",
            "60",
            "",
            "Qaim border police, gate log",
            "Families of personnel.",
        ),
        line(
            "QAIM",
            "2024-12-09T11:00",
            "inbound",
            "civilian",
            "25",
            "",
            "Red Crescent team",
            "",
        ),
    ];
    let mut qaim = Vec::new();
    for a in &arrivals {
        qaim.push(record(conn, &cast.officer, now, a, None)?);
    }
    for id in &qaim {
        verify(conn, &cast.supervisor, now, *id)?;
    }
    // A return larger than those present is refused, and says why.
    let too_many = line(
        "QAIM",
        "2024-12-10T10:00",
        "outbound",
        "military",
        "1300",
        "",
        "Qaim border police",
        "",
    );
    match record(conn, &cast.officer, now, &too_many, None) {
        Err(_) => {
            out.push_str("A return of 1,300 on 10 Dec 2024 was refused: only 1,100 were present.\n")
        }
        Ok(_) => return Err("the over-return was not refused".into()),
    }
    // Days 7–17 December are verified and closed.
    let post = ScopedPost::by_code(conn, &cast.supervisor, "QAIM")
        .map_err(|e| e.to_string())?
        .ok_or("no post QAIM")?;
    let to = chrono::NaiveDate::from_ymd_opt(2024, 12, 17).ok_or("a date")?;
    days::close_up_to(conn, &Actor::system(), &cast.supervisor, now, &post, to)
        .map_err(|e| failed("closing days", e))?;
    // 18 December: the agreement, with its no-reprisals clause, goes into force (two people).
    let agreement = AgreementForm {
        reference: "IQ-SY/2024/RET-01".into(),
        title: "Return of Syrian military personnel through Al-Qaim".into(),
        parties: "Republic of Iraq; Syrian interim authorities".into(),
        signed_on: "2024-12-18".into(),
        effective_from: "2024-12-18".into(),
        effective_to: String::new(),
        terms: "Soldiers and officers of the former government who crossed into Iraq in early December return through the Qaim crossing, in groups, after coordination between the two sides.".into(),
        planned_headcount: "1,100".into(),
        post_codes: vec!["QAIM".into()],
        clauses: vec![
            Clause {
                kind: "no_reprisals".into(),
                text: "Returning military personnel will face no harassment or punishment upon their return.".into(),
            },
            Clause {
                kind: "third_party_access".into(),
                text: "The ICRC may be present at each handover.".into(),
            },
        ],
    }
    .parse()
    .map_err(|e| e.to_string())?;
    let id = agreement_in_force(
        conn,
        &cast.supervisor,
        &cast.admin,
        now,
        &agreement,
        "Announced by the interim authorities on 18 December.",
        "agreement",
    )?;
    // The returns under it: two groups verified, the last awaiting verification.
    let returns = [
        line(
            "QAIM",
            "2024-12-18T10:00",
            "outbound",
            "military",
            "600",
            "70",
            "Handover record, Qaim",
            "ICRC present.",
        ),
        line(
            "QAIM",
            "2024-12-19T10:00",
            "outbound",
            "military",
            "400",
            "50",
            "Handover record, Qaim",
            "ICRC present.",
        ),
        line(
            "QAIM",
            "2024-12-20T09:30",
            "outbound",
            "military",
            "100",
            "10",
            "Handover record, Qaim",
            "",
        ),
    ];
    let mut returned = Vec::new();
    for r in &returns {
        returned.push(record(conn, &cast.officer, now, r, Some(id.0))?);
    }
    for event in &returned[..2] {
        verify(conn, &cast.supervisor, now, *event)?;
    }
    // Quieter traffic elsewhere: Rabia (pending: no supervisor of Rabia in the demo) and
    // Al-Walid (verified).
    for r in [
        line(
            "RABIA",
            "2024-12-09T08:00",
            "inbound",
            "civilian",
            "40",
            "",
            "Rabia border police",
            "",
        ),
        line(
            "RABIA",
            "2024-12-15T12:00",
            "outbound",
            "civilian",
            "12",
            "",
            "Rabia border police",
            "",
        ),
    ] {
        record(conn, &cast.admin, now, &r, None)?;
    }
    for r in [
        line(
            "WALEED",
            "2024-12-11T07:30",
            "inbound",
            "civilian",
            "18",
            "",
            "Al-Walid gate log",
            "",
        ),
        line(
            "WALEED",
            "2024-12-16T16:00",
            "outbound",
            "civilian",
            "6",
            "",
            "Al-Walid gate log",
            "",
        ),
    ] {
        let event = record(conn, &cast.admin, now, &r, None)?;
        verify(conn, &cast.supervisor, now, event)?;
    }
    out.push_str(
        "The December 2024 story at Al-Qaim: 1,100 military and 85 civilians arrived from 7 Dec; \
         days up to 17 Dec are closed; agreement IQ-SY/2024/RET-01 (no reprisals) is in force from \
         18 Dec; 1,000 returned under it (verified) and 100 more await verification.\n",
    );
    Ok(out)
}
