//! People (DESIGN.md §3, Person; invariant 6): parsing the person form, and the lifecycle with
//! the person's own choice about returning.
//!
//! Pure: no database, no clock (callers pass "today" where a date must not be in the future).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::digits::ascii_digits;
use super::event::bounded_text;
use super::post::CountryCode;
use super::{FieldError, FieldErrors, collect, parse_date};

/// Every message key this module can raise; a test checks each is translated.
pub const ERROR_KEYS: &[&str] = &[
    "required",
    "too-long",
    "name-required",
    "choice-invalid",
    "birth-year-invalid",
    "birth-year-mismatch",
    "date-invalid",
    "date-in-future",
    "country-invalid",
    "event-unknown",
    "status-transition",
    "status-returned-by-manifest",
    "transferred-to-required",
    "person-not-returned",
];

/// Longest name field, in characters.
pub const NAME_MAX: usize = 200;
/// Longest short field (rank, unit, numbers), in characters.
pub const SHORT_MAX: usize = 100;
/// Longest free text (notes, vulnerabilities), in characters.
pub const TEXT_MAX: usize = 2000;
/// The earliest birth year accepted (the table's CHECK agrees).
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// A closed list of values stored as text: each has its stored spelling and the message id of
/// its label (`{prefix}-{value}`).
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $field:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The prefix of its labels' message ids.
            pub const LABELS: &'static str = $prefix;

            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value with this spelling.
            pub fn from_str_opt(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw.trim())
            }

            /// Parses a submitted value, blaming the form field.
            pub fn parse(raw: &str) -> Result<Self, FieldError> {
                Self::from_str_opt(raw).ok_or_else(|| {
                    FieldError::new($field, "choice-invalid", "Choose one of the listed values.")
                })
            }
        }
    };
}

choice!(
    /// How a person's health stands, for care and for the handover list.
    Medical, "medical", "medical" {
        /// Nothing to note.
        None => "none",
        /// Needs care.
        NeedsCare => "needs_care",
        /// Wounded.
        Wounded => "wounded",
        /// Taken to hospital.
        Evacuated => "evacuated",
    }
);

choice!(
    /// The identity document a person holds.
    DocumentType, "document", "id_document_type" {
        /// National identity card.
        NationalId => "national_id",
        /// Military identity card.
        MilitaryId => "military_id",
        /// Passport.
        Passport => "passport",
        /// Anything else.
        Other => "other",
    }
);

choice!(
    /// Sex, as recorded.
    Sex, "sex", "sex" {
        /// Male.
        Male => "male",
        /// Female.
        Female => "female",
    }
);

choice!(
    /// How a statement of the person's wish was heard.
    How, "how", "how" {
        /// In an interview.
        Interview => "interview",
        /// In writing.
        Written => "written",
        /// Through a third party (a relative, the ICRC).
        ThirdParty => "third_party",
    }
);

choice!(
    /// Where a person stands (invariant 6).
    PersonStatus, "person-status", "status" {
        /// Held at the post.
        Present => "present",
        /// Has said they wish to return.
        WishesToReturn => "wishes_to_return",
        /// Has said they do not wish to return: no return may include them.
        DeclinesReturn => "declines_return",
        /// Returned, by a verified return whose manifest names them.
        Returned => "returned",
        /// Handed to another authority.
        Transferred => "transferred",
        /// Died.
        Deceased => "deceased",
        /// Left without authorisation.
        Absconded => "absconded",
    }
);

impl PersonStatus {
    /// Whether this status is a statement of the person's own wish (it needs the date, who heard
    /// it and how).
    pub fn is_wish(self) -> bool {
        matches!(self, Self::WishesToReturn | Self::DeclinesReturn)
    }

    /// Whether this status closes the person's case at the post by a decision of the post
    /// (a supervisor's): transferred, deceased, absconded. (`returned` is not chosen at all: it
    /// comes from a verified return.)
    pub fn closes_case(self) -> bool {
        matches!(self, Self::Transferred | Self::Deceased | Self::Absconded)
    }

    /// The statuses a person in this one may be moved to by a status change (`returned` comes
    /// only from verifying a return, invariant 6).
    pub fn next(self) -> &'static [PersonStatus] {
        use PersonStatus::*;
        match self {
            Present => &[
                WishesToReturn,
                DeclinesReturn,
                Transferred,
                Deceased,
                Absconded,
            ],
            // A person may change their mind either way before they are returned.
            WishesToReturn => &[DeclinesReturn],
            DeclinesReturn => &[WishesToReturn, Present],
            Returned | Transferred | Deceased | Absconded => &[],
        }
    }

    /// Whether a return's manifest may name a person in this status: never one who declines,
    /// nor one no longer held (invariant 6).
    pub fn may_be_returned(self) -> bool {
        matches!(self, Self::Present | Self::WishesToReturn)
    }
}

choice!(
    /// Who told of a returned person.
    FollowupSource, "followup-source", "source" {
        /// Their family.
        Family => "family",
        /// The ICRC.
        Icrc => "icrc",
        /// The media.
        Media => "media",
        /// The person themselves.
        Person => "person",
    }
);

choice!(
    /// What was heard of a returned person.
    Finding, "finding", "finding" {
        /// Safe.
        Safe => "safe",
        /// No news.
        NoNews => "no_news",
        /// A reprisal is alleged.
        AllegedReprisal => "alleged_reprisal",
        /// A reprisal is confirmed.
        ConfirmedReprisal => "confirmed_reprisal",
    }
);

impl Finding {
    /// The observation this finding also is against an agreement's no-reprisals clause:
    /// `alleged_breach` or `confirmed_breach`; none for the others.
    pub fn breach(self) -> Option<&'static str> {
        match self {
            Self::AllegedReprisal => Some("alleged_breach"),
            Self::ConfirmedReprisal => Some("confirmed_breach"),
            Self::Safe | Self::NoNews => None,
        }
    }
}

/// The follow-up form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FollowupForm {
    /// `YYYY-MM-DD`.
    pub observed_on: String,
    /// Who told.
    pub source: String,
    /// What was heard, in one word.
    pub finding: String,
    /// What was heard.
    pub text: String,
}

/// A validated follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followup {
    /// When.
    pub observed_on: NaiveDate,
    /// Who told.
    pub source: FollowupSource,
    /// What, in one word.
    pub finding: Finding,
    /// What was heard.
    pub text: String,
}

impl FollowupForm {
    /// Validates the form, every problem at once; `today` bounds the date.
    pub fn parse(&self, today: NaiveDate) -> Result<Followup, FieldErrors> {
        let mut errors = FieldErrors::new();
        let observed_on = match collect(&mut errors, parse_date(&self.observed_on, "observed_on")) {
            Some(Some(d)) if d > today => {
                errors.push(FieldError::new(
                    "observed_on",
                    "date-in-future",
                    "This date is in the future.",
                ));
                None
            }
            Some(Some(d)) => Some(d),
            Some(None) => {
                errors.push(FieldError::required("observed_on"));
                None
            }
            None => None,
        };
        let source = collect(&mut errors, FollowupSource::parse(&self.source));
        let finding = collect(&mut errors, Finding::parse(&self.finding));
        let text = collect(
            &mut errors,
            bounded_text(&self.text, "text", TEXT_MAX, true),
        );
        match (observed_on, source, finding, text) {
            (Some(observed_on), Some(source), Some(finding), Some(text)) if errors.is_empty() => {
                Ok(Followup {
                    observed_on,
                    source,
                    finding,
                    text,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Checks that `from → to` is a step of the lifecycle.
pub fn transition(from: PersonStatus, to: PersonStatus) -> Result<(), FieldError> {
    if to == PersonStatus::Returned {
        return Err(FieldError::new(
            "status",
            "status-returned-by-manifest",
            "A person is returned only by verifying a return whose manifest names them.",
        ));
    }
    if from.next().contains(&to) {
        Ok(())
    } else {
        Err(FieldError::new(
            "status",
            "status-transition",
            format!(
                "A person who is {} cannot become {}.",
                from.as_str(),
                to.as_str()
            ),
        )
        .with_arg("from_status", from.as_str())
        .with_arg("to_status", to.as_str()))
    }
}

/// A person's reference: `QAIM-P-2024-0001`.
pub fn reference(post_code: &str, year: i32, number: i64) -> String {
    format!("{post_code}-P-{year}-{number:04}")
}

/// The raw person form, exactly as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    /// Name in Arabic script.
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Grandfather's name.
    pub grandfather_name: String,
    /// Family name.
    pub family_name: String,
    /// Mother's name.
    pub mother_name: String,
    /// `YYYY-MM-DD`, optional.
    pub birth_date: String,
    /// Four digits, optional (taken from the date when both are given, and must agree).
    pub birth_year: String,
    /// `male`, `female` or empty.
    pub sex: String,
    /// Rank.
    pub rank: String,
    /// Unit.
    pub unit: String,
    /// Service number.
    pub service_number: String,
    /// Document type, or empty.
    pub id_document_type: String,
    /// Document number.
    pub id_document_number: String,
    /// ISO country code, or empty.
    pub nationality: String,
    /// Medical state (defaults to `none`).
    pub medical: String,
    /// Free text.
    pub vulnerabilities: String,
    /// The arrival they came with (an event id), optional.
    pub inbound_event_id: String,
    /// Free text.
    pub notes: String,
}

/// A validated person, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonFields {
    /// Name in Arabic script (trimmed; this or `name_latin` non-empty).
    pub name_ar: String,
    /// Name in Latin script.
    pub name_latin: String,
    /// Father's name.
    pub father_name: String,
    /// Grandfather's name.
    pub grandfather_name: String,
    /// Family name.
    pub family_name: String,
    /// Mother's name.
    pub mother_name: String,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// `male`, `female` or empty.
    pub sex: String,
    /// Rank.
    pub rank: String,
    /// Unit.
    pub unit: String,
    /// Service number.
    pub service_number: String,
    /// Document type or empty.
    pub id_document_type: String,
    /// Document number.
    pub id_document_number: String,
    /// ISO code or empty.
    pub nationality: String,
    /// Medical state.
    pub medical: String,
    /// Free text.
    pub vulnerabilities: String,
    /// The arrival they came with.
    pub inbound_event_id: Option<i64>,
    /// Free text.
    pub notes: String,
}

/// The fields of a person in form order, as `(field, stored value)`: one list for the audit
/// trail's before/after, the history, the merge choices and the form.
pub const FIELDS: &[&str] = &[
    "name_ar",
    "name_latin",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "birth_date",
    "birth_year",
    "sex",
    "rank",
    "unit",
    "service_number",
    "id_document_type",
    "id_document_number",
    "nationality",
    "medical",
    "vulnerabilities",
    "inbound_event_id",
    "notes",
];

impl PersonFields {
    /// Each field's value as text (empty when not given), in [`FIELDS`] order.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        let opt = |v: Option<String>| v.unwrap_or_default();
        vec![
            ("name_ar", self.name_ar.clone()),
            ("name_latin", self.name_latin.clone()),
            ("father_name", self.father_name.clone()),
            ("grandfather_name", self.grandfather_name.clone()),
            ("family_name", self.family_name.clone()),
            ("mother_name", self.mother_name.clone()),
            ("birth_date", opt(self.birth_date.map(|d| d.to_string()))),
            ("birth_year", opt(self.birth_year.map(|y| y.to_string()))),
            ("sex", self.sex.clone()),
            ("rank", self.rank.clone()),
            ("unit", self.unit.clone()),
            ("service_number", self.service_number.clone()),
            ("id_document_type", self.id_document_type.clone()),
            ("id_document_number", self.id_document_number.clone()),
            ("nationality", self.nationality.clone()),
            ("medical", self.medical.clone()),
            ("vulnerabilities", self.vulnerabilities.clone()),
            (
                "inbound_event_id",
                opt(self.inbound_event_id.map(|e| e.to_string())),
            ),
            ("notes", self.notes.clone()),
        ]
    }

    /// The form that shows these values.
    pub fn form(&self) -> PersonForm {
        let mut form = PersonForm::default();
        for (field, value) in self.values() {
            form.set(field, value);
        }
        form
    }
}

impl PersonForm {
    /// One field's value by name (empty for a name not in [`FIELDS`]).
    pub fn get(&self, field: &str) -> &str {
        let f = self;
        match field {
            "name_ar" => &f.name_ar,
            "name_latin" => &f.name_latin,
            "father_name" => &f.father_name,
            "grandfather_name" => &f.grandfather_name,
            "family_name" => &f.family_name,
            "mother_name" => &f.mother_name,
            "birth_date" => &f.birth_date,
            "birth_year" => &f.birth_year,
            "sex" => &f.sex,
            "rank" => &f.rank,
            "unit" => &f.unit,
            "service_number" => &f.service_number,
            "id_document_type" => &f.id_document_type,
            "id_document_number" => &f.id_document_number,
            "nationality" => &f.nationality,
            "medical" => &f.medical,
            "vulnerabilities" => &f.vulnerabilities,
            "inbound_event_id" => &f.inbound_event_id,
            "notes" => &f.notes,
            _ => "",
        }
    }

    /// Sets one field by name (the merge and the form share [`FIELDS`]).
    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "name_ar" => &mut self.name_ar,
            "name_latin" => &mut self.name_latin,
            "father_name" => &mut self.father_name,
            "grandfather_name" => &mut self.grandfather_name,
            "family_name" => &mut self.family_name,
            "mother_name" => &mut self.mother_name,
            "birth_date" => &mut self.birth_date,
            "birth_year" => &mut self.birth_year,
            "sex" => &mut self.sex,
            "rank" => &mut self.rank,
            "unit" => &mut self.unit,
            "service_number" => &mut self.service_number,
            "id_document_type" => &mut self.id_document_type,
            "id_document_number" => &mut self.id_document_number,
            "nationality" => &mut self.nationality,
            "medical" => &mut self.medical,
            "vulnerabilities" => &mut self.vulnerabilities,
            "inbound_event_id" => &mut self.inbound_event_id,
            "notes" => &mut self.notes,
            _ => return,
        };
        *slot = value;
    }

    /// Validates the whole form, every problem at once. `today` bounds the birth date.
    pub fn parse(&self, today: NaiveDate) -> Result<PersonFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut text = |raw: &str, field: &'static str, max: usize| {
            collect(&mut errors, bounded_text(raw, field, max, false)).unwrap_or_default()
        };
        let name_ar = text(&self.name_ar, "name_ar", NAME_MAX);
        let name_latin = text(&self.name_latin, "name_latin", NAME_MAX);
        let father_name = text(&self.father_name, "father_name", NAME_MAX);
        let grandfather_name = text(&self.grandfather_name, "grandfather_name", NAME_MAX);
        let family_name = text(&self.family_name, "family_name", NAME_MAX);
        let mother_name = text(&self.mother_name, "mother_name", NAME_MAX);
        let rank = text(&self.rank, "rank", SHORT_MAX);
        let unit = text(&self.unit, "unit", SHORT_MAX);
        let service_number = text(
            &ascii_digits(&self.service_number),
            "service_number",
            SHORT_MAX,
        );
        let id_document_number = text(
            &ascii_digits(&self.id_document_number),
            "id_document_number",
            SHORT_MAX,
        );
        let vulnerabilities = text(&self.vulnerabilities, "vulnerabilities", TEXT_MAX);
        let notes = text(&self.notes, "notes", TEXT_MAX);
        if name_ar.is_empty() && name_latin.is_empty() && errors.get("name_ar").is_none() {
            errors.push(FieldError::new(
                "name_ar",
                "name-required",
                "Give the name in Arabic or in Latin letters (or both).",
            ));
        }
        let birth_date = collect(&mut errors, birth_date(&self.birth_date, today)).flatten();
        let birth_year =
            collect(&mut errors, birth_year(&self.birth_year, birth_date, today)).flatten();
        let choice = |raw: &str, parse: fn(&str) -> Result<&'static str, FieldError>| {
            if raw.trim().is_empty() {
                Ok(String::new())
            } else {
                parse(raw).map(str::to_owned)
            }
        };
        let sex = collect(
            &mut errors,
            choice(&self.sex, |r| Sex::parse(r).map(Sex::as_str)),
        )
        .unwrap_or_default();
        let id_document_type = collect(
            &mut errors,
            choice(&self.id_document_type, |r| {
                DocumentType::parse(r).map(DocumentType::as_str)
            }),
        )
        .unwrap_or_default();
        let medical = if self.medical.trim().is_empty() {
            Medical::None.as_str().to_owned()
        } else {
            collect(&mut errors, Medical::parse(&self.medical))
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default()
        };
        let nationality = if self.nationality.trim().is_empty() {
            String::new()
        } else {
            collect(
                &mut errors,
                CountryCode::parse(&self.nationality, "nationality"),
            )
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default()
        };
        let inbound_event_id =
            collect(&mut errors, parse_event_id(&self.inbound_event_id)).flatten();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PersonFields {
            name_ar,
            name_latin,
            father_name,
            grandfather_name,
            family_name,
            mother_name,
            birth_date,
            birth_year,
            sex,
            rank,
            unit,
            service_number,
            id_document_type,
            id_document_number,
            nationality,
            medical,
            vulnerabilities,
            inbound_event_id,
            notes,
        })
    }
}

fn birth_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let Some(date) = parse_date(raw, "birth_date")? else {
        return Ok(None);
    };
    if date > today {
        return Err(FieldError::new(
            "birth_date",
            "date-in-future",
            "This date is in the future.",
        ));
    }
    if date.year() < EARLIEST_BIRTH_YEAR {
        return Err(birth_year_invalid("birth_date", today));
    }
    Ok(Some(date))
}

fn birth_year_invalid(field: &'static str, today: NaiveDate) -> FieldError {
    FieldError::new(
        field,
        "birth-year-invalid",
        format!("Use a year from {EARLIEST_BIRTH_YEAR} to {}.", today.year()),
    )
    .with_arg("from", EARLIEST_BIRTH_YEAR.to_string())
    .with_arg("to", today.year().to_string())
}

/// The year of birth: from the date when there is one (a year typed as well must agree).
fn birth_year(
    raw: &str,
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<i32>, FieldError> {
    let ascii = ascii_digits(raw);
    let raw = ascii.trim();
    let typed = if raw.is_empty() {
        None
    } else {
        match raw.parse::<i32>() {
            Ok(y) if (EARLIEST_BIRTH_YEAR..=today.year()).contains(&y) => Some(y),
            _ => return Err(birth_year_invalid("birth_year", today)),
        }
    };
    match (typed, date) {
        (Some(y), Some(d)) if y != d.year() => Err(FieldError::new(
            "birth_year",
            "birth-year-mismatch",
            "The year of birth differs from the date of birth.",
        )),
        (_, Some(d)) => Ok(Some(d.year())),
        (typed, None) => Ok(typed),
    }
}

fn parse_event_id(raw: &str) -> Result<Option<i64>, FieldError> {
    let ascii = ascii_digits(raw);
    let raw = ascii.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| {
            FieldError::new(
                "inbound_event_id",
                "event-unknown",
                "Choose one of the listed arrivals.",
            )
        })
}

/// A statement of the person's wish, as submitted with a status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// When they said it.
    pub stated_on: NaiveDate,
    /// Who heard it (a name).
    pub heard_by: String,
    /// How.
    pub how: How,
}

/// A validated status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub to: PersonStatus,
    /// Why (required for a status that ends the case).
    pub reason: String,
    /// For a wish: the statement.
    pub statement: Option<Statement>,
    /// For a transfer: to whom.
    pub transferred_to: String,
}

/// The raw status form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    /// The new status.
    pub status: String,
    /// Why.
    pub reason: String,
    /// `YYYY-MM-DD`, for a wish.
    pub stated_on: String,
    /// Who heard it, for a wish.
    pub heard_by: String,
    /// `interview`, `written`, `third_party`, for a wish.
    pub how: String,
    /// The receiving authority, for a transfer.
    pub transferred_to: String,
}

impl StatusForm {
    /// Validates the change on its own (whether it is a step from the current status is
    /// [`transition`]'s answer, asked under the record's lock).
    pub fn parse(&self, today: NaiveDate) -> Result<StatusChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let to = collect(&mut errors, PersonStatus::parse(&self.status));
        let reason = collect(
            &mut errors,
            bounded_text(
                &self.reason,
                "reason",
                500,
                to.is_some_and(PersonStatus::closes_case),
            ),
        )
        .unwrap_or_default();
        let transferred_to = collect(
            &mut errors,
            bounded_text(&self.transferred_to, "transferred_to", NAME_MAX, false),
        )
        .unwrap_or_default();
        if to == Some(PersonStatus::Transferred) && transferred_to.is_empty() {
            errors.push(FieldError::new(
                "transferred_to",
                "transferred-to-required",
                "Say to which authority the person was transferred.",
            ));
        }
        let mut statement = None;
        if to.is_some_and(PersonStatus::is_wish) {
            let stated_on = match collect(&mut errors, parse_date(&self.stated_on, "stated_on")) {
                Some(Some(d)) if d > today => {
                    errors.push(FieldError::new(
                        "stated_on",
                        "date-in-future",
                        "This date is in the future.",
                    ));
                    None
                }
                Some(Some(d)) => Some(d),
                Some(None) => {
                    errors.push(FieldError::required("stated_on"));
                    None
                }
                None => None,
            };
            let heard_by = collect(
                &mut errors,
                bounded_text(&self.heard_by, "heard_by", NAME_MAX, true),
            );
            let how = collect(&mut errors, How::parse(&self.how));
            if let (Some(stated_on), Some(heard_by), Some(how)) = (stated_on, heard_by, how) {
                statement = Some(Statement {
                    stated_on,
                    heard_by,
                    how,
                });
            }
        }
        match to {
            Some(to) if errors.is_empty() => Ok(StatusChange {
                to,
                reason,
                statement,
                transferred_to: if to == PersonStatus::Transferred {
                    transferred_to
                } else {
                    String::new()
                },
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 12, 20).unwrap_or_default()
    }

    fn named(name_ar: &str) -> PersonForm {
        PersonForm {
            name_ar: name_ar.into(),
            ..PersonForm::default()
        }
    }

    #[test]
    fn a_name_in_either_script_is_enough_and_one_is_needed() {
        assert!(named("حسين علي").parse(today()).is_ok());
        let latin = PersonForm {
            name_latin: "Hussein Ali".into(),
            ..PersonForm::default()
        };
        assert!(latin.parse(today()).is_ok());
        let errors = named("  ").parse(today()).err().unwrap_or_default();
        assert_eq!(errors.get("name_ar").map(|e| e.key), Some("name-required"));
    }

    #[test]
    fn the_birth_year_comes_from_the_date_and_must_agree() {
        let mut f = named("حسين");
        f.birth_date = "١٩٩٨-٠٣-٠٤".into();
        let p = f.parse(today()).unwrap_or_default();
        assert_eq!(p.birth_year, Some(1998));
        f.birth_year = "1997".into();
        let errors = f.parse(today()).err().unwrap_or_default();
        assert_eq!(
            errors.get("birth_year").map(|e| e.key),
            Some("birth-year-mismatch")
        );
        let mut f = named("حسين");
        f.birth_year = "1899".into();
        let errors = f.parse(today()).err().unwrap_or_default();
        assert_eq!(
            errors.get("birth_year").map(|e| e.key),
            Some("birth-year-invalid")
        );
        f.birth_year = "2025".into();
        assert!(f.parse(today()).is_err(), "a year after today");
        f.birth_year = String::new();
        f.birth_date = "2024-12-21".into();
        let errors = f.parse(today()).err().unwrap_or_default();
        assert_eq!(
            errors.get("birth_date").map(|e| e.key),
            Some("date-in-future")
        );
    }

    #[test]
    fn choices_are_closed_lists_and_medical_defaults_to_none() {
        let mut f = named("حسين");
        let p = f.parse(today()).unwrap_or_default();
        assert_eq!(p.medical, "none");
        assert_eq!(p.sex, "");
        f.sex = "unknown".into();
        f.id_document_type = "driving_licence".into();
        f.medical = "fine".into();
        f.nationality = "XX".into();
        f.inbound_event_id = "abc".into();
        let errors = f.parse(today()).err().unwrap_or_default();
        let keys: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            keys,
            [
                ("sex", "choice-invalid"),
                ("id_document_type", "choice-invalid"),
                ("medical", "choice-invalid"),
                ("nationality", "country-invalid"),
                ("inbound_event_id", "event-unknown"),
            ]
        );
    }

    #[test]
    fn a_field_read_by_name_is_the_one_set_by_name() {
        let mut f = PersonForm::default();
        for (i, field) in FIELDS.iter().enumerate() {
            f.set(field, format!("v{i}"));
        }
        for (i, field) in FIELDS.iter().enumerate() {
            assert_eq!(f.get(field), format!("v{i}"));
        }
        assert_eq!(f.get("nope"), "");
    }

    #[test]
    fn values_and_form_round_trip() {
        let mut f = named("حسين علي");
        f.name_latin = "Hussein Ali".into();
        f.birth_year = "1990".into();
        f.inbound_event_id = "7".into();
        f.medical = "wounded".into();
        let p = f.parse(today()).unwrap_or_default();
        assert_eq!(p.form().parse(today()), Ok(p.clone()));
        assert_eq!(p.values().len(), FIELDS.len());
        for ((a, _), b) in p.values().iter().zip(FIELDS) {
            assert_eq!(a, b);
        }
    }

    #[test]
    fn the_lifecycle_of_invariant_6() {
        use PersonStatus::*;
        assert_eq!(transition(Present, WishesToReturn), Ok(()));
        assert_eq!(transition(Present, DeclinesReturn), Ok(()));
        assert_eq!(transition(DeclinesReturn, WishesToReturn), Ok(()));
        assert_eq!(transition(WishesToReturn, DeclinesReturn), Ok(()));
        for end in [Transferred, Deceased, Absconded] {
            assert_eq!(transition(Present, end), Ok(()));
            assert!(transition(end, Present).is_err());
        }
        assert_eq!(
            transition(WishesToReturn, Returned).map_err(|e| e.key),
            Err("status-returned-by-manifest")
        );
        assert_eq!(
            transition(Returned, Present).map_err(|e| e.key),
            Err("status-transition")
        );
        assert!(!DeclinesReturn.may_be_returned());
        assert!(WishesToReturn.may_be_returned());
        assert!(!Deceased.may_be_returned());
    }

    #[test]
    fn a_wish_needs_its_statement_and_a_transfer_its_authority() {
        let form = StatusForm {
            status: "declines_return".into(),
            ..StatusForm::default()
        };
        let errors = form.parse(today()).err().unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["stated_on", "heard_by", "how"]);
        let form = StatusForm {
            status: "declines_return".into(),
            stated_on: "2024-12-19".into(),
            heard_by: "Capt. Salim".into(),
            how: "interview".into(),
            ..StatusForm::default()
        };
        let change = form.parse(today()).unwrap_or_else(|_| StatusChange {
            to: PersonStatus::Present,
            reason: String::new(),
            statement: None,
            transferred_to: String::new(),
        });
        assert_eq!(change.to, PersonStatus::DeclinesReturn);
        assert_eq!(change.statement.map(|s| s.how), Some(How::Interview));
        let form = StatusForm {
            status: "transferred".into(),
            ..StatusForm::default()
        };
        let errors = form.parse(today()).err().unwrap_or_default();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("reason", "required"),
                ("transferred_to", "transferred-to-required")
            ]
        );
    }

    #[test]
    fn references_look_like_events_with_a_p() {
        assert_eq!(reference("QAIM", 2024, 1), "QAIM-P-2024-0001");
    }
}
