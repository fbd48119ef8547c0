//! A quick reader for instants where many are read at once (exports).
//!
//! SQLite keeps an instant as text, and diesel reads it by trying chrono patterns in turn, which
//! parse their pattern string on every call: at a million rows that was a tenth of an export's
//! time. [`Instant`] reads the form diesel itself writes (`YYYY-MM-DD HH:MM:SS[.fraction]`)
//! digit by digit and hands anything else to diesel's reader, so no stored form is refused
//! that diesel would have read. On PostgreSQL the value is binary and diesel's reader is used.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::Pg;
use diesel::sql_types::{Nullable, Timestamp};
use diesel::sqlite::Sqlite;

use super::conn::MultiBackend;

/// A UTC instant, as read from a `Timestamp` column; use with
/// `#[diesel(deserialize_as = Instant)]` on a `NaiveDateTime` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Instant(pub NaiveDateTime);

impl From<Instant> for NaiveDateTime {
    fn from(instant: Instant) -> Self {
        instant.0
    }
}

/// Reads `YYYY-MM-DD HH:MM:SS` with an optional `.fraction` (up to nanoseconds); `None` for
/// anything else, including impossible dates.
pub fn parse(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let nanos = match b.get(19) {
        None => 0,
        Some(b'.') if (21..=29).contains(&b.len()) => {
            let fraction = digits(20, b.len())?;
            // Nine digits at most, so the exponent is 0..=8 and the product below 10^9.
            fraction * 10u32.pow(u32::try_from(29 - b.len()).ok()?)
        }
        Some(_) => return None,
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5, 7)?, digits(8, 10)?)?.and_hms_nano_opt(
        digits(11, 13)?,
        digits(14, 16)?,
        digits(17, 19)?,
        nanos,
    )
}

impl FromSql<Timestamp, Sqlite> for Instant {
    fn from_sql(mut value: diesel::sqlite::SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        if let Some(at) = parse(value.read_text()) {
            return Ok(Self(at));
        }
        <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, Pg> for Instant {
    fn from_sql(value: diesel::pg::PgValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, MultiBackend> for Instant {
    fn from_sql(value: super::conn::MultiRawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

/// A nullable instant, read as [`Instant`] reads one (a listed event's verification and
/// voiding times).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeInstant(pub Option<NaiveDateTime>);

impl From<MaybeInstant> for Option<NaiveDateTime> {
    fn from(instant: MaybeInstant) -> Self {
        instant.0
    }
}

impl FromSql<Nullable<Timestamp>, MultiBackend> for MaybeInstant {
    fn from_sql(value: super::conn::MultiRawValue<'_>) -> deserialize::Result<Self> {
        <Instant as FromSql<Timestamp, MultiBackend>>::from_sql(value).map(|at| Self(Some(at.0)))
    }

    fn from_nullable_sql(
        value: Option<super::conn::MultiRawValue<'_>>,
    ) -> deserialize::Result<Self> {
        value.map_or(Ok(Self(None)), Self::from_sql)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use chrono::NaiveDateTime;

    fn chrono(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").expect("valid instant")
    }

    #[test]
    fn reads_what_diesel_writes_exactly_as_chrono_does() {
        for text in [
            "2024-12-19 07:00:05",
            "2024-12-19 07:00:05.1",
            "2024-12-19 07:00:05.25",
            "2024-12-19 07:00:05.123456",
            "2024-12-19 07:00:05.123456789",
            "2024-02-29 23:59:59",
            "0001-01-01 00:00:00",
        ] {
            assert_eq!(parse(text), Some(chrono(text)), "{text}");
        }
    }

    #[test]
    fn refuses_other_forms_so_diesel_reads_them() {
        for text in [
            "",
            "2024-12-19",
            "2024-12-19T07:00:05",
            "2024-12-19 07:00:05Z",
            "2024-12-19 07:00:05.",
            "2024-12-19 07:00:05.1234567890",
            "2023-02-29 07:00:05",
            "2024-13-19 07:00:05",
            "2024-12-19 24:00:05",
            "2024-12-19 07:0a:05",
            "2460663.5",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
