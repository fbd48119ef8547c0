//! `/events.csv`: crossing events with the filters of `/events`, oldest first.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use super::safe_cell;
use crate::db::schema::{agreements, border_posts, users};
use crate::db::{self, DbConn, events::Filter};
use crate::error::AppError;

/// The columns, in order (documented in the README; stable). `flags` follows the list of the
/// exports issue: `no_agreement_cited` marks a military return that cites no agreement.
pub const COLUMNS: &[&str] = &[
    "event_id",
    "reference",
    "post",
    "occurred_at_utc",
    "occurred_at_local",
    "direction",
    "category",
    "headcount",
    "officers",
    "wounded",
    "agreement",
    "source",
    "source_reference",
    "notes",
    "status",
    "recorded_by",
    "recorded_at_utc",
    "verified_by",
    "verified_at_utc",
    "void_reason",
    "flags",
];

/// `YYYY-MM-DDTHH:MM:SS` of a wall-clock time, written by hand: chrono's `format` parses its
/// pattern on every call, and an export formats millions of instants.
fn iso(out: &mut String, t: NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write as _;
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
}

/// An instant as ISO 8601 UTC, to the second: `2024-12-19T07:00:00Z`.
pub fn utc(at: NaiveDateTime) -> String {
    let mut out = String::with_capacity(20);
    iso(&mut out, at);
    out.push('Z');
    out
}

/// An instant at a post, ISO 8601 with the offset: `2024-12-19T10:00:00+03:00`.
pub fn local(at: NaiveDateTime, zone: Tz) -> String {
    use chrono::Offset;
    let local = at.and_utc().with_timezone(&zone);
    let offset = local.offset().fix().local_minus_utc();
    let mut out = String::with_capacity(25);
    iso(&mut out, local.naive_local());
    let (sign, offset) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    out.push(sign);
    out.push_str(&format!("{:02}:{:02}", offset / 3600, offset % 3600 / 60));
    out
}

/// Writes every matching event.
pub fn rows(conn: &mut DbConn, filter: &Filter, sink: &mut super::Sink) -> Result<(), AppError> {
    // The small tables, once: codes and zones of posts, user names, agreement references.
    let posts: HashMap<i64, (String, Tz)> = border_posts::table
        .select((border_posts::id, border_posts::code, border_posts::timezone))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, tz)| (id, (code, tz.parse().unwrap_or(chrono_tz::UTC))))
        .collect();
    let names: HashMap<i64, String> = users::table
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let references: HashMap<i64, String> = agreements::table
        .select((agreements::id, agreements::reference))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let count = |v: Option<i32>| v.map(|n| n.to_string()).unwrap_or_default();
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i)).map_or("", String::as_str);
    db::events::for_each(conn, filter, |e| {
        let (code, zone) = posts
            .get(&e.post_id)
            .map_or(("", chrono_tz::UTC), |(code, zone)| (code.as_str(), *zone));
        let agreement = e
            .agreement_id
            .and_then(|a| references.get(&a))
            .map_or("", String::as_str);
        sink.row([
            e.id.to_string().as_str(),
            &safe_cell(&e.reference),
            &safe_cell(code),
            &utc(e.occurred_at),
            &local(e.occurred_at, zone),
            &e.direction,
            &e.category,
            &e.headcount.to_string(),
            &count(e.officers),
            &count(e.wounded),
            &safe_cell(agreement),
            &safe_cell(&e.source),
            &safe_cell(&e.source_reference),
            &safe_cell(&e.notes),
            &e.status,
            &safe_cell(name(Some(e.recorded_by))),
            &utc(e.recorded_at),
            &safe_cell(name(e.verified_by)),
            &e.verified_at.map(utc).unwrap_or_default(),
            &safe_cell(e.void_reason.as_deref().unwrap_or_default()),
            if e.uncited() {
                "no_agreement_cited"
            } else {
                ""
            },
        ]) && !sink.gone()
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_as_iso_8601() {
        let at = chrono::NaiveDate::from_ymd_opt(2024, 12, 19)
            .and_then(|d| d.and_hms_opt(7, 0, 5))
            .expect("instant");
        assert_eq!(utc(at), "2024-12-19T07:00:05Z");
        assert_eq!(
            local(at, chrono_tz::Asia::Baghdad),
            "2024-12-19T10:00:05+03:00"
        );
        assert_eq!(
            local(at, chrono_tz::America::St_Johns),
            "2024-12-19T03:30:05-03:30"
        );
        assert_eq!(local(at, chrono_tz::UTC), "2024-12-19T07:00:05+00:00");
    }
}
