//! `/events.csv`: crossing events with the filters of `/events`, oldest first.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use diesel::prelude::*;

use super::safe_cell;
use crate::db::schema::{agreements, border_posts, users};
use crate::db::{self, DbConn, event_lists::Filter};
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

/// Two ASCII digits of `n` (below 100).
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `YYYY-MM-DDTHH:MM:SS` of a wall-clock time, digit by digit: chrono's `format` parses its
/// pattern on every call and `write!` pads through the formatter, and an export formats
/// millions of instants.
fn push_iso(out: &mut String, t: NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    match u32::try_from(t.year()) {
        Ok(year) if year <= 9999 => {
            push_two(out, year / 100);
            push_two(out, year % 100);
        }
        // Outside 0..=9999 (the event form refuses years before 1950, but older rows may hold
        // one): as `{:04}` writes it, the form exports always had.
        _ => {
            use std::fmt::Write as _;
            let _ = write!(out, "{:04}", t.year());
        }
    }
    out.push('-');
    push_two(out, t.month());
    out.push('-');
    push_two(out, t.day());
    out.push('T');
    push_two(out, t.hour());
    out.push(':');
    push_two(out, t.minute());
    out.push(':');
    push_two(out, t.second());
}

/// Appends an instant as ISO 8601 UTC, to the second: `2024-12-19T07:00:00Z`.
fn push_utc(out: &mut String, at: NaiveDateTime) {
    push_iso(out, at);
    out.push('Z');
}

/// Appends an instant at a post, ISO 8601 with the offset: `2024-12-19T10:00:00+03:00`.
fn push_local(out: &mut String, at: NaiveDateTime, zone: Tz) {
    use chrono::Offset;
    let local = at.and_utc().with_timezone(&zone);
    let offset = local.offset().fix().local_minus_utc();
    push_iso(out, local.naive_local());
    out.push(if offset < 0 { '-' } else { '+' });
    let offset = offset.unsigned_abs();
    push_two(out, offset / 3600);
    out.push(':');
    push_two(out, offset % 3600 / 60);
}

/// An instant as ISO 8601 UTC, to the second: `2024-12-19T07:00:00Z`.
pub fn utc(at: NaiveDateTime) -> String {
    let mut out = String::with_capacity(20);
    push_utc(&mut out, at);
    out
}

/// The cells of one row that are made rather than read, in buffers reused from row to row (an
/// export writes a million rows; allocating each cell anew was a measurable part of its time).
#[derive(Default)]
struct Made {
    id: itoa::Buffer,
    headcount: itoa::Buffer,
    officers: itoa::Buffer,
    wounded: itoa::Buffer,
    occurred_utc: String,
    occurred_local: String,
    recorded_utc: String,
    verified_utc: String,
}

impl Made {
    /// An optional count: empty when not given.
    fn count(buffer: &mut itoa::Buffer, value: Option<i32>) -> &str {
        value.map_or("", |n| buffer.format(n))
    }
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
    let name = |id: Option<i64>| id.and_then(|i| names.get(&i)).map_or("", String::as_str);
    let mut made = Made::default();
    db::event_lists::for_each(conn, filter, |e| {
        let (code, zone) = posts
            .get(&e.post_id)
            .map_or(("", chrono_tz::UTC), |(code, zone)| (code.as_str(), *zone));
        let agreement = e
            .agreement_id
            .and_then(|a| references.get(&a))
            .map_or("", String::as_str);
        made.occurred_utc.clear();
        push_utc(&mut made.occurred_utc, e.occurred_at.0);
        made.occurred_local.clear();
        push_local(&mut made.occurred_local, e.occurred_at.0, zone);
        made.recorded_utc.clear();
        push_utc(&mut made.recorded_utc, e.recorded_at.0);
        made.verified_utc.clear();
        if let Some(at) = e.verified_at {
            push_utc(&mut made.verified_utc, at.0);
        }
        sink.row([
            made.id.format(e.id),
            &safe_cell(&e.reference),
            &safe_cell(code),
            &made.occurred_utc,
            &made.occurred_local,
            &e.direction,
            &e.category,
            made.headcount.format(e.headcount),
            Made::count(&mut made.officers, e.officers),
            Made::count(&mut made.wounded, e.wounded),
            &safe_cell(agreement),
            &safe_cell(&e.source),
            &safe_cell(&e.source_reference),
            &safe_cell(&e.notes),
            &e.status,
            &safe_cell(name(Some(e.recorded_by))),
            &made.recorded_utc,
            &safe_cell(name(e.verified_by)),
            &made.verified_utc,
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

    fn local(at: NaiveDateTime, zone: Tz) -> String {
        let mut out = String::new();
        push_local(&mut out, at, zone);
        out
    }

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
        let early = chrono::NaiveDate::from_ymd_opt(-1, 12, 31)
            .and_then(|d| d.and_hms_opt(21, 30, 0))
            .expect("instant");
        assert_eq!(utc(early), "-001-12-31T21:30:00Z");
        let late = chrono::NaiveDate::from_ymd_opt(10000, 1, 2)
            .and_then(|d| d.and_hms_opt(3, 4, 5))
            .expect("instant");
        assert_eq!(utc(late), "10000-01-02T03:04:05Z");
        let first = chrono::NaiveDate::from_ymd_opt(1, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("instant");
        assert_eq!(utc(first), "0001-01-01T00:00:00Z");
    }
}
