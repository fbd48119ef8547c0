//! Crossing events: parsing the event form, and the balance invariant.
//!
//! Everything here is pure: no database, no clock. Callers pass the post's
//! time zone and "now" so that the rules can be tested deterministically.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::digits::ascii_digits;
use super::ids::AgreementId;
use super::{FieldError, FieldErrors, collect};

/// Every message key this module can raise (some are passed through helpers, so a scan of
/// `FieldError::new` calls cannot see them); a test checks each is translated.
pub const ERROR_KEYS: &[&str] = &[
    "required",
    "direction-invalid",
    "category-invalid",
    "number-invalid",
    "headcount-too-small",
    "number-too-large",
    "datetime-invalid",
    "time-nonexistent",
    "time-in-future",
    "time-too-early",
    "officers-exceed-headcount",
    "wounded-exceed-headcount",
    "too-long",
    "agreement-unknown",
];

/// Largest headcount (and officer/wounded count) accepted for one event.
pub const MAX_HEADCOUNT: i32 = 100_000;

/// How far ahead of "now" an event may be dated, to absorb clock skew
/// between the clerk's device and the server.
pub const FUTURE_TOLERANCE_MINUTES: i64 = 10;

/// Maximum length of the `source` field, in characters.
pub const SOURCE_MAX_CHARS: usize = 200;
/// Maximum length of the `reference` field, in characters.
pub const REFERENCE_MAX_CHARS: usize = 100;
/// Maximum length of the `notes` field, in characters.
pub const NOTES_MAX_CHARS: usize = 2000;

/// Whether people entered or left through the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// People arriving (adds to the balance).
    Inbound,
    /// People leaving (subtracts from the balance).
    Outbound,
}

impl Direction {
    /// Every direction, in display order.
    pub const ALL: [Direction; 2] = [Direction::Inbound, Direction::Outbound];

    /// The stable wire/database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    /// Parses the wire spelling (trimmed, ASCII case-insensitive).
    ///
    /// Empty input is reported as `required` rather than invalid, because an
    /// untouched select box is a different mistake from a tampered value.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        parse_choice(raw, "direction", "direction-invalid", &Self::ALL, |d| {
            d.as_str()
        })
    }
}

/// Which population an event counts; balances are kept per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Military personnel.
    Military,
    /// Civilians.
    Civilian,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 2] = [Category::Military, Category::Civilian];

    /// The stable wire/database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Military => "military",
            Category::Civilian => "civilian",
        }
    }

    /// Parses the wire spelling (trimmed, ASCII case-insensitive); empty
    /// input is `required`, like [`Direction::parse`].
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        parse_choice(raw, "category", "category-invalid", &Self::ALL, |c| {
            c.as_str()
        })
    }
}

/// Shared body of the enum parsers, so both report errors identically.
fn parse_choice<T: Copy>(
    raw: &str,
    field: &'static str,
    invalid_key: &'static str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::required(field));
    }
    all.iter()
        .copied()
        .find(|v| name(*v).eq_ignore_ascii_case(raw))
        .ok_or_else(|| {
            let allowed: Vec<&str> = all.iter().map(|v| name(*v)).collect();
            FieldError::new(field, invalid_key, "Choose one of the listed options.")
                .with_arg("allowed", allowed.join(", "))
        })
}

/// A validated number of people in one event: `1..=100_000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Headcount(i32);

impl Headcount {
    /// Parses user text: Arabic-Indic digits are accepted, surrounding
    /// whitespace is trimmed and the thousands separators `,` and `٬` are
    /// ignored. Errors are attached to `field`.
    pub fn parse(raw: &str, field: &'static str) -> Result<Self, FieldError> {
        match parse_count(raw, field)? {
            None => Err(FieldError::required(field)),
            Some(Count::Negative) | Some(Count::Value(0)) => {
                Err(FieldError::new(field, "headcount-too-small", "At least 1.")
                    .with_arg("min", "1"))
            }
            Some(Count::Value(n)) => Ok(Self(n)),
        }
    }

    /// The number of people.
    pub fn get(self) -> i32 {
        self.0
    }
}

/// Parses an optional count such as officers or wounded: empty means "not
/// recorded" (`None`), zero is allowed, the upper bound is the same as for
/// [`Headcount`].
pub fn parse_optional_count(raw: &str, field: &'static str) -> Result<Option<i32>, FieldError> {
    match parse_count(raw, field)? {
        None => Ok(None),
        Some(Count::Negative) => Err(number_invalid(field)),
        Some(Count::Value(n)) => Ok(Some(n)),
    }
}

/// Intermediate result of [`parse_count`], so callers pick their own
/// wording for the lower bound.
enum Count {
    /// A well-formed negative number.
    Negative,
    /// A non-negative number no larger than [`MAX_HEADCOUNT`].
    Value(i32),
}

/// Common number syntax for headcounts and optional counts. Returns `None`
/// for blank input.
fn parse_count(raw: &str, field: &'static str) -> Result<Option<Count>, FieldError> {
    let ascii = ascii_digits(raw);
    let trimmed = ascii.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    // Separators are dropped without checking grouping, as agreed for the
    // form; `٬` (U+066C) is the Arabic thousands separator. The Arabic
    // *decimal* separator `٫` (U+066B) is deliberately not accepted.
    let digits: String = body.chars().filter(|c| *c != ',' && *c != '٬').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(number_invalid(field));
    }
    if negative {
        return Ok(Some(Count::Negative));
    }
    // Any digit string that overflows u64 is certainly above the maximum, so
    // it gets the "too large" wording rather than "invalid".
    let too_large = || {
        FieldError::new(field, "number-too-large", "At most 100,000.")
            .with_arg("max", MAX_HEADCOUNT.to_string())
    };
    let value: u64 = digits.parse().map_err(|_| too_large())?;
    match i32::try_from(value) {
        Ok(n) if n <= MAX_HEADCOUNT => Ok(Some(Count::Value(n))),
        _ => Err(too_large()),
    }
}

fn number_invalid(field: &'static str) -> FieldError {
    FieldError::new(field, "number-invalid", "Use a whole number, like 120.")
}

/// Field name used for every date/time error.
const OCCURRED_AT: &str = "occurred_at";

/// A wall-clock time at a post, before its time zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalTime(NaiveDateTime);

impl LocalTime {
    /// Parses `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">`
    /// submits), optionally with `:SS`, a space instead of `T`, and
    /// Arabic-Indic digits. The shape is checked by hand because chrono's
    /// format parser also accepts single-digit fields and signed years.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let ascii = ascii_digits(raw);
        let s = ascii.trim().as_bytes();
        let invalid = || {
            FieldError::new(
                OCCURRED_AT,
                "datetime-invalid",
                "Use a date and time like 2024-12-19T14:30.",
            )
        };
        if s.len() != 16 && s.len() != 19 {
            return Err(invalid());
        }
        let literal_ok = s[4] == b'-'
            && s[7] == b'-'
            && (s[10] == b'T' || s[10] == b't' || s[10] == b' ')
            && s[13] == b':'
            && (s.len() == 16 || s[16] == b':');
        if !literal_ok {
            return Err(invalid());
        }
        // Reads an all-digit field; any other byte makes the input invalid.
        let num = |from: usize, to: usize| -> Option<u32> {
            s[from..to].iter().try_fold(0u32, |acc, b| {
                b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
            })
        };
        let parts = (
            num(0, 4),
            num(5, 7),
            num(8, 10),
            num(11, 13),
            num(14, 16),
            if s.len() == 19 { num(17, 19) } else { Some(0) },
        );
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(sec)) = parts else {
            return Err(invalid());
        };
        let year = i32::try_from(y).map_err(|_| invalid())?;
        let date = NaiveDate::from_ymd_opt(year, mo, d).ok_or_else(invalid)?;
        let time = NaiveTime::from_hms_opt(h, mi, sec).ok_or_else(invalid)?;
        Ok(Self(date.and_time(time)))
    }

    /// The wall-clock value.
    pub fn naive(self) -> NaiveDateTime {
        self.0
    }

    /// Places the wall-clock time in `tz`. In a DST fold the earlier instant
    /// wins (the first time the clock showed that reading); in a DST gap the
    /// reading never happened, so it is rejected rather than guessed.
    pub fn resolve(self, tz: Tz) -> Result<DateTime<Utc>, FieldError> {
        match tz.from_local_datetime(&self.0) {
            LocalResult::Single(dt) => Ok(dt.with_timezone(&Utc)),
            LocalResult::Ambiguous(a, b) => Ok(a.with_timezone(&Utc).min(b.with_timezone(&Utc))),
            LocalResult::None => Err(FieldError::new(
                OCCURRED_AT,
                "time-nonexistent",
                "That time does not exist in the post's time zone (the clocks skip it).",
            )
            .with_arg("zone", tz.name())),
        }
    }
}

/// Parses a `datetime-local` value and interprets it in the post's zone;
/// see [`LocalTime::parse`] and [`LocalTime::resolve`].
pub fn parse_local_datetime(raw: &str, tz: Tz) -> Result<DateTime<Utc>, FieldError> {
    LocalTime::parse(raw)?.resolve(tz)
}

/// The raw event form, exactly as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventForm {
    /// Local date and time at the post (`YYYY-MM-DDTHH:MM`).
    pub occurred_at: String,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// `military` or `civilian`.
    pub category: String,
    /// Number of people, required.
    pub headcount: String,
    /// Number of officers among them, optional.
    pub officers: String,
    /// Number of wounded among them, optional.
    pub wounded: String,
    /// Who reported the crossing, required.
    pub source: String,
    /// External document reference, optional.
    pub reference: String,
    /// Free text, optional.
    pub notes: String,
    /// The agreement a return was made under (its id), optional.
    pub agreement_id: String,
}

/// A validated event, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields {
    /// When the crossing happened.
    pub occurred_at: DateTime<Utc>,
    /// Entering or leaving.
    pub direction: Direction,
    /// Military or civilian.
    pub category: Category,
    /// Number of people, `1..=100_000`.
    pub headcount: i32,
    /// Officers among them, never above `headcount`.
    pub officers: Option<i32>,
    /// Wounded among them, never above `headcount`.
    pub wounded: Option<i32>,
    /// Who reported the crossing (trimmed, non-empty).
    pub source: String,
    /// External reference (trimmed, may be empty).
    pub reference: String,
    /// Notes (trimmed, may be empty).
    pub notes: String,
    /// The agreement cited, if any (whether it may be cited is checked on saving).
    pub agreement: Option<AgreementId>,
}

impl EventForm {
    /// Validates the whole form against the post's zone `tz`, reporting every
    /// problem at once so the clerk can fix them in one round trip.
    pub fn parse(&self, tz: Tz, now: DateTime<Utc>) -> Result<EventFields, FieldErrors> {
        let mut errors = FieldErrors::new();

        let occurred_at = collect(
            &mut errors,
            parse_local_datetime(&self.occurred_at, tz).and_then(|at| plausible_time(at, tz, now)),
        );
        let direction = collect(&mut errors, Direction::parse(&self.direction));
        let category = collect(&mut errors, Category::parse(&self.category));
        let headcount = collect(&mut errors, Headcount::parse(&self.headcount, "headcount"));
        let officers = collect(
            &mut errors,
            parse_optional_count(&self.officers, "officers"),
        );
        let wounded = collect(&mut errors, parse_optional_count(&self.wounded, "wounded"));

        // Cross-field checks only make sense when both sides parsed; a bad
        // headcount has already been reported on its own field.
        let officers = officers.map(|o| {
            collect(
                &mut errors,
                at_most_headcount(o, headcount, "officers", "officers-exceed-headcount"),
            )
        });
        let wounded = wounded.map(|w| {
            collect(
                &mut errors,
                at_most_headcount(w, headcount, "wounded", "wounded-exceed-headcount"),
            )
        });

        let source = collect(
            &mut errors,
            bounded_text(&self.source, "source", SOURCE_MAX_CHARS, true),
        );
        let reference = collect(
            &mut errors,
            bounded_text(&self.reference, "reference", REFERENCE_MAX_CHARS, false),
        );
        let notes = collect(
            &mut errors,
            bounded_text(&self.notes, "notes", NOTES_MAX_CHARS, false),
        );
        let agreement = collect(&mut errors, parse_agreement(&self.agreement_id));

        match (
            occurred_at,
            direction,
            category,
            headcount,
            officers,
            wounded,
            source,
            reference,
            notes,
            agreement,
        ) {
            (
                Some(occurred_at),
                Some(direction),
                Some(category),
                Some(headcount),
                Some(officers),
                Some(wounded),
                Some(source),
                Some(reference),
                Some(notes),
                Some(agreement),
            ) if errors.is_empty() => Ok(EventFields {
                occurred_at,
                direction,
                category,
                headcount: headcount.get(),
                officers: officers.flatten(),
                wounded: wounded.flatten(),
                source,
                reference,
                notes,
                agreement,
            }),
            _ => Err(errors),
        }
    }
}

/// The cited agreement's id: empty means none.
fn parse_agreement(raw: &str) -> Result<Option<AgreementId>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(|id| Some(AgreementId(id)))
        .ok_or_else(|| {
            FieldError::new(
                "agreement_id",
                "agreement-unknown",
                "Choose one of the listed agreements.",
            )
        })
}

/// The earliest year an event may be dated in. Back-dating is how late reports get recorded,
/// but a crossing before this is a mistyped year (a date field takes `0024` as readily as
/// `2024`), and one such event would put a day in year 24 into the ledger and every report.
pub const EARLIEST_YEAR: i32 = 1950;

/// Rejects times beyond the future tolerance, and before [`EARLIEST_YEAR`] at the post. The form
/// asks it while parsing; the services ask it again, so no caller can write an implausible time.
pub fn plausible_time(
    at: DateTime<Utc>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, FieldError> {
    if chrono::Datelike::year(&at.with_timezone(&tz)) < EARLIEST_YEAR {
        return Err(FieldError::new(
            OCCURRED_AT,
            "time-too-early",
            "Cannot be before 1950: check the year.",
        )
        .with_arg("year", EARLIEST_YEAR.to_string()));
    }
    if at > now + TimeDelta::minutes(FUTURE_TOLERANCE_MINUTES) {
        Err(FieldError::new(
            OCCURRED_AT,
            "time-in-future",
            "Cannot be more than 10 minutes in the future.",
        )
        .with_arg("minutes", FUTURE_TOLERANCE_MINUTES.to_string()))
    } else {
        Ok(at)
    }
}

/// Checks a sub-count against the headcount. When the headcount itself is
/// invalid the sub-count is accepted here, since there is nothing to compare
/// with and the headcount error is already shown.
fn at_most_headcount(
    value: Option<i32>,
    headcount: Option<Headcount>,
    field: &'static str,
    key: &'static str,
) -> Result<Option<i32>, FieldError> {
    match (value, headcount) {
        (Some(v), Some(h)) if v > h.get() => Err(FieldError::new(
            field,
            key,
            format!("Cannot be more than the headcount ({}).", h.get()),
        )
        .with_arg("headcount", h.get().to_string())),
        _ => Ok(value),
    }
}

/// Trims text and enforces a length limit counted in characters, not bytes,
/// because Arabic letters take two bytes each in UTF-8.
pub(crate) fn bounded_text(
    raw: &str,
    field: &'static str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(FieldError::required(field));
    }
    if text.chars().count() > max {
        return Err(
            FieldError::new(field, "too-long", format!("At most {max} characters."))
                .with_arg("max", max.to_string()),
        );
    }
    Ok(text.to_owned())
}

/// Where an event stands in the four-eyes process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Recorded, awaiting a second person.
    Pending,
    /// Checked by a supervisor other than the recorder; only a supervisor changes it now.
    Verified,
    /// Withdrawn with a reason; kept, but counts for nothing.
    Voided,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 3] = [Status::Pending, Status::Verified, Status::Voided];

    /// The stable wire/database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Verified => "verified",
            Status::Voided => "voided",
        }
    }

    /// The status with this spelling.
    pub fn from_str_opt(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Human-facing event reference such as `QAIM-2024-0042`: the post code as
/// given, the year, and the per-post-per-year number padded to at least four
/// digits (wider numbers are printed in full, never truncated).
pub fn reference(post_code: &str, year: i32, number: i64) -> String {
    format!("{post_code}-{year}-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{Asia::Baghdad, Europe::Berlin};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("test timestamp")
            .with_timezone(&Utc)
    }

    fn valid_form() -> EventForm {
        EventForm {
            occurred_at: "2024-12-19T14:30".into(),
            direction: "inbound".into(),
            category: "civilian".into(),
            headcount: "120".into(),
            officers: "".into(),
            wounded: "".into(),
            source: "Checkpoint log".into(),
            reference: "".into(),
            notes: "".into(),
            agreement_id: "".into(),
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_str_opt(s.as_str()), Some(s));
        }
        assert_eq!(Status::from_str_opt("deleted"), None);
    }

    #[test]
    fn enums_round_trip_and_reject() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.as_str()), Ok(d));
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Ok(c));
        }
        assert_eq!(Direction::parse(" Outbound "), Ok(Direction::Outbound));
        assert_eq!(
            Direction::parse("sideways").map_err(|e| e.key),
            Err("direction-invalid")
        );
        assert_eq!(
            Direction::parse("sideways").map_err(|e| e.field),
            Err("direction")
        );
        assert_eq!(
            Category::parse("police").map_err(|e| e.key),
            Err("category-invalid")
        );
        assert_eq!(Category::parse("").map_err(|e| e.key), Err("required"));
    }

    #[test]
    fn headcount_accepts_arabic_digits_and_separators() {
        let count = |raw: &str| Headcount::parse(raw, "headcount").map(Headcount::get);
        assert_eq!(count("١٬٢٠٠"), Ok(1200));
        assert_eq!(count("۱۲۰"), Ok(120));
        assert_eq!(count(" 1,200 "), Ok(1200));
        assert_eq!(count("100,000"), Ok(100_000));
        assert_eq!(count("1"), Ok(1));
    }

    #[test]
    fn headcount_errors() {
        let key = |raw: &str| Headcount::parse(raw, "headcount").map_err(|e| e.key);
        assert_eq!(key(""), Err("required"));
        assert_eq!(key("0"), Err("headcount-too-small"));
        assert_eq!(key("-3"), Err("headcount-too-small"));
        assert_eq!(key("1.5"), Err("number-invalid"));
        assert_eq!(key("١٫٥"), Err("number-invalid"));
        assert_eq!(key("12a"), Err("number-invalid"));
        assert_eq!(key(","), Err("number-invalid"));
        assert_eq!(key("100001"), Err("number-too-large"));
        assert_eq!(key("99999999999999999999999"), Err("number-too-large"));

        let err = Headcount::parse("0", "headcount").expect_err("zero");
        assert_eq!(err.message, "At least 1.");
        let err = Headcount::parse("abc", "people").expect_err("letters");
        assert_eq!(err.field, "people");
        assert_eq!(err.message, "Use a whole number, like 120.");
        let err = Headcount::parse("200000", "headcount").expect_err("large");
        assert_eq!(err.message, "At most 100,000.");
        assert_eq!(err.args, vec![("max", "100000".to_string())]);
    }

    #[test]
    fn optional_counts() {
        assert_eq!(parse_optional_count("", "officers"), Ok(None));
        assert_eq!(parse_optional_count("  ", "officers"), Ok(None));
        assert_eq!(parse_optional_count("0", "officers"), Ok(Some(0)));
        assert_eq!(parse_optional_count("٥", "wounded"), Ok(Some(5)));
        assert_eq!(
            parse_optional_count("-1", "wounded").map_err(|e| (e.field, e.key)),
            Err(("wounded", "number-invalid"))
        );
        assert_eq!(
            parse_optional_count("100001", "officers").map_err(|e| e.key),
            Err("number-too-large")
        );
    }

    #[test]
    fn datetime_formats_in_baghdad() {
        // Baghdad is UTC+3 all year.
        let want = utc("2024-12-19T11:30:00Z");
        assert_eq!(parse_local_datetime("2024-12-19T14:30", Baghdad), Ok(want));
        assert_eq!(parse_local_datetime("2024-12-19 14:30", Baghdad), Ok(want));
        assert_eq!(
            parse_local_datetime(" ٢٠٢٤-١٢-١٩T١٤:٣٠ ", Baghdad),
            Ok(want)
        );
        assert_eq!(
            parse_local_datetime("2024-12-19T14:30:00", Baghdad),
            Ok(want)
        );
    }

    #[test]
    fn datetime_rejects_bad_shapes() {
        for raw in [
            "",
            "2024-12-19",
            "2024-12-19T14:30Z",
            "2024-1-19T14:30",
            "2024-12-19T4:30",
            "2024-13-19T14:30",
            "2024-02-30T14:30",
            "2024-12-19T24:00",
            "2024-12-19T14:60",
            "2024/12/19T14:30",
            "+024-12-19T14:30",
        ] {
            let err = parse_local_datetime(raw, Baghdad).expect_err(raw);
            assert_eq!(
                (err.field, err.key),
                ("occurred_at", "datetime-invalid"),
                "{raw}"
            );
            assert_eq!(err.message, "Use a date and time like 2024-12-19T14:30.");
        }
    }

    #[test]
    fn berlin_dst_gap_is_rejected() {
        // 2024-03-31 02:00 CET jumps straight to 03:00 CEST.
        let err = parse_local_datetime("2024-03-31T02:30", Berlin).expect_err("gap");
        assert_eq!((err.field, err.key), ("occurred_at", "time-nonexistent"));
        assert_eq!(err.args, vec![("zone", "Europe/Berlin".to_string())]);
        assert_eq!(
            parse_local_datetime("2024-03-31T03:00", Berlin),
            Ok(utc("2024-03-31T01:00:00Z"))
        );
    }

    #[test]
    fn berlin_dst_fold_takes_earlier_instant() {
        // 2024-10-27 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
        assert_eq!(
            parse_local_datetime("2024-10-27T02:30", Berlin),
            Ok(utc("2024-10-27T00:30:00Z"))
        );
    }

    #[test]
    fn valid_form_parses() {
        let now = utc("2024-12-19T12:00:00Z");
        let mut form = valid_form();
        form.headcount = "١٬٢٠٠".into();
        form.officers = "0".into();
        form.wounded = "3".into();
        form.source = "  Border guard  ".into();
        form.reference = " QAIM-2024-0042 ".into();
        let fields = form.parse(Baghdad, now).expect("valid");
        assert_eq!(
            fields,
            EventFields {
                occurred_at: utc("2024-12-19T11:30:00Z"),
                direction: Direction::Inbound,
                category: Category::Civilian,
                headcount: 1200,
                officers: Some(0),
                wounded: Some(3),
                source: "Border guard".into(),
                reference: "QAIM-2024-0042".into(),
                notes: "".into(),
                agreement: None,
            }
        );
    }

    #[test]
    fn all_errors_are_collected() {
        let form = EventForm {
            occurred_at: "yesterday".into(),
            direction: "".into(),
            category: "police".into(),
            headcount: "3".into(),
            officers: "5".into(),
            wounded: "4".into(),
            source: "".into(),
            reference: "r".repeat(101),
            notes: "ن".repeat(2001),
            agreement_id: "x".into(),
        };
        let errors = form
            .parse(Baghdad, utc("2024-12-19T12:00:00Z"))
            .expect_err("invalid");
        let keys: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            keys,
            vec![
                ("occurred_at", "datetime-invalid"),
                ("direction", "required"),
                ("category", "category-invalid"),
                ("officers", "officers-exceed-headcount"),
                ("wounded", "wounded-exceed-headcount"),
                ("source", "required"),
                ("reference", "too-long"),
                ("notes", "too-long"),
                ("agreement_id", "agreement-unknown"),
            ]
        );
        let officers = errors.get("officers").expect("officers error");
        assert_eq!(officers.args, vec![("headcount", "3".to_string())]);
        assert_eq!(
            errors.get("notes").map(|e| e.args.clone()),
            Some(vec![("max", "2000".to_string())])
        );
    }

    #[test]
    fn officers_over_headcount_with_invalid_time() {
        let mut form = valid_form();
        form.occurred_at = "2024-12-19T25:00".into();
        form.headcount = "3".into();
        form.officers = "5".into();
        let errors = form
            .parse(Baghdad, utc("2024-12-19T12:00:00Z"))
            .expect_err("invalid");
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.get("occurred_at").map(|e| e.key),
            Some("datetime-invalid")
        );
        assert_eq!(
            errors.get("officers").map(|e| e.key),
            Some("officers-exceed-headcount")
        );
    }

    #[test]
    fn sub_counts_not_compared_with_invalid_headcount() {
        let mut form = valid_form();
        form.headcount = "0".into();
        form.officers = "5".into();
        let errors = form
            .parse(Baghdad, utc("2024-12-19T12:00:00Z"))
            .expect_err("invalid");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors.get("headcount").map(|e| e.key),
            Some("headcount-too-small")
        );
    }

    #[test]
    fn equal_sub_counts_are_fine() {
        let mut form = valid_form();
        form.headcount = "3".into();
        form.officers = "3".into();
        form.wounded = "3".into();
        let fields = form
            .parse(Baghdad, utc("2024-12-19T12:00:00Z"))
            .expect("valid");
        assert_eq!((fields.officers, fields.wounded), (Some(3), Some(3)));
    }

    #[test]
    fn future_tolerance_is_ten_minutes() {
        // Local 14:30 Baghdad == 11:30Z.
        let form = valid_form();
        assert!(form.parse(Baghdad, utc("2024-12-19T11:20:00Z")).is_ok());
        let errors = form
            .parse(Baghdad, utc("2024-12-19T11:19:59Z"))
            .expect_err("future");
        let err = errors.get("occurred_at").expect("time error");
        assert_eq!(err.key, "time-in-future");
        assert_eq!(err.args, vec![("minutes", "10".to_string())]);
    }

    #[test]
    fn a_mistyped_year_before_1950_is_refused() {
        let now = utc("2024-12-19T12:00:00Z");
        let mut form = valid_form();
        form.occurred_at = "0024-12-19T10:00".into();
        let errors = form.parse(Baghdad, now).expect_err("year 24");
        assert_eq!(
            errors.get("occurred_at").expect("time error").key,
            "time-too-early"
        );
        // The year as typed at the post counts (00:30 on 1 January is still 1949 in UTC).
        form.occurred_at = "1949-12-31T23:59".into();
        assert!(form.parse(Baghdad, now).is_err());
        form.occurred_at = "1950-01-01T00:30".into();
        assert!(form.parse(Baghdad, now).is_ok());
    }

    #[test]
    fn text_limits_count_characters() {
        let now = utc("2024-12-19T12:00:00Z");
        let mut form = valid_form();
        form.source = "م".repeat(200);
        form.reference = "x".repeat(100);
        form.notes = "ن".repeat(2000);
        assert!(form.parse(Baghdad, now).is_ok());
        form.source = "م".repeat(201);
        let errors = form.parse(Baghdad, now).expect_err("too long");
        let err = errors.get("source").expect("source error");
        assert_eq!(err.key, "too-long");
        assert_eq!(err.args, vec![("max", "200".to_string())]);
        form.source = "   ".into();
        let errors = form.parse(Baghdad, now).expect_err("blank");
        assert_eq!(errors.get("source").map(|e| e.key), Some("required"));
    }

    #[test]
    fn reference_format() {
        assert_eq!(reference("QAIM", 2024, 42), "QAIM-2024-0042");
        assert_eq!(reference("QAIM", 2024, 1), "QAIM-2024-0001");
        assert_eq!(reference("QAIM", 2025, 12345), "QAIM-2025-12345");
    }
}
