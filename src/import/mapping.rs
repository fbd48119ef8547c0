//! Which person field each column of a received list fills.
//!
//! The other side's lists have their own headers, in Arabic or English and spelled as their
//! office spells them. [`guess`] proposes a mapping from the headers; the officer corrects it
//! once and the caller remembers it per post ([`to_stored`], [`parse_stored`]), since the same
//! office sends the same layout each time. [`apply`] turns one row into a person form, fixing
//! the common spellings of values the form would otherwise refuse.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::digits::ascii_digits;
use crate::domain::person::{FIELDS, PersonForm};

mod values;

/// For each column of the file, the person field it fills (None: ignored).
pub type Mapping = Vec<Option<&'static str>>;

/// Header spellings (as [`key`] folds them) naming each field. Arabic ones are folded too:
/// no hamza seats, ة as ه, ى as ي, no diacritics.
const HEADERS: &[(&str, &[&str])] = &[
    (
        "name_ar",
        &[
            "arabic name",
            "name arabic",
            "name in arabic",
            "name ar",
            "full name arabic",
            "full name in arabic",
            "الاسم بالعربي",
            "الاسم بالعربيه",
            "الاسم باللغه العربيه",
        ],
    ),
    (
        "name_latin",
        &[
            "latin name",
            "english name",
            "name english",
            "name in english",
            "name latin",
            "name in latin",
            "name en",
            "full name english",
            "full name in english",
            "الاسم بالانكليزي",
            "الاسم بالانكليزيه",
            "الاسم بالانجليزي",
            "الاسم بالانجليزيه",
            "الاسم باللاتيني",
            "الاسم باللاتينيه",
        ],
    ),
    (
        "father_name",
        &[
            "father",
            "father name",
            "fathers name",
            "name of father",
            "اسم الاب",
            "الاب",
            "اسم الوالد",
        ],
    ),
    (
        "grandfather_name",
        &[
            "grandfather",
            "grandfather name",
            "grandfathers name",
            "grand father",
            "grand father name",
            "اسم الجد",
            "الجد",
        ],
    ),
    (
        "family_name",
        &[
            "family",
            "family name",
            "surname",
            "last name",
            "lastname",
            "tribe",
            "اللقب",
            "الكنيه",
            "اسم العائله",
            "العائله",
            "العشيره",
        ],
    ),
    (
        "mother_name",
        &[
            "mother",
            "mother name",
            "mothers name",
            "name of mother",
            "اسم الام",
            "الام",
            "اسم الوالده",
        ],
    ),
    (
        "birth_date",
        &[
            "date of birth",
            "dob",
            "d o b",
            "birth date",
            "birthdate",
            "born",
            "تاريخ الميلاد",
            "المواليد",
            "مواليد",
            "تاريخ التولد",
            "التولد",
            "المولد",
        ],
    ),
    (
        "birth_year",
        &[
            "year of birth",
            "birth year",
            "yob",
            "سنه الميلاد",
            "سنه التولد",
            "سنه المواليد",
        ],
    ),
    ("sex", &["sex", "gender", "الجنس"]),
    (
        "rank",
        &["rank", "military rank", "الرتبه", "الرتبه العسكريه"],
    ),
    (
        "unit",
        &[
            "unit",
            "military unit",
            "الوحده",
            "الوحده العسكريه",
            "القطعه",
            "القطعه العسكريه",
        ],
    ),
    (
        "service_number",
        &[
            "service number",
            "service no",
            "military number",
            "military no",
            "army number",
            "الرقم العسكري",
        ],
    ),
    (
        "id_document_number",
        &[
            "id number",
            "id no",
            "document number",
            "document no",
            "passport",
            "passport number",
            "passport no",
            "national id",
            "national id number",
            "رقم الهويه",
            "رقم الوثيقه",
            "رقم الجواز",
            "رقم جواز السفر",
            "رقم البطاقه",
            "رقم البطاقه الوطنيه",
        ],
    ),
    (
        "id_document_type",
        &[
            "document type",
            "type of document",
            "id type",
            "نوع الوثيقه",
            "نوع الهويه",
            "نوع المستمسك",
        ],
    ),
    ("nationality", &["nationality", "citizenship", "الجنسيه"]),
    (
        "medical",
        &[
            "medical",
            "health",
            "medical condition",
            "health condition",
            "health status",
            "الحاله الصحيه",
            "الوضع الصحي",
        ],
    ),
    (
        "vulnerabilities",
        &[
            "vulnerabilities",
            "vulnerability",
            "الفئات الهشه",
            "الهشاشه",
        ],
    ),
    (
        "notes",
        &[
            "notes",
            "note",
            "remarks",
            "comments",
            "ملاحظات",
            "الملاحظات",
            "ملاحظه",
        ],
    ),
];

/// A plain name header: the Arabic-script name when the header itself is in Arabic, the Latin
/// one otherwise (an office writing English headers writes names in Latin letters).
const PLAIN_NAME: &[&str] = &[
    "name",
    "full name",
    "names",
    "الاسم",
    "اسم",
    "الاسم الكامل",
    "الاسم الثلاثي",
    "الاسم الرباعي",
    "الاسماء",
];

/// Proposes which field each column fills, from its header alone: English and Arabic header
/// names, ignoring case, spacing, punctuation and diacritics. Never maps two columns to the
/// same field (the first column wins); unknown headers map to None.
pub fn guess(headers: &[String]) -> Mapping {
    let mut taken: Vec<&'static str> = Vec::new();
    headers
        .iter()
        .map(|header| {
            let field = field_for(header)?;
            if taken.contains(&field) {
                return None;
            }
            taken.push(field);
            Some(field)
        })
        .collect()
}

/// The field one header names, if any.
fn field_for(header: &str) -> Option<&'static str> {
    let key = key(header);
    if PLAIN_NAME.contains(&key.as_str()) {
        let arabic = key.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        return Some(if arabic { "name_ar" } else { "name_latin" });
    }
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|&(field, _)| field)
}

/// Text folded for comparing headers and values: lowercase, digits as ASCII, Latin accents and
/// Arabic diacritics and tatweel dropped, hamza seats and ة/ى unified, apostrophes dropped
/// ("Father's" → "fathers"), any other punctuation a single space.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in ascii_digits(text).nfkd().flat_map(char::to_lowercase) {
        match c {
            _ if is_combining_mark(c) => {}
            '\u{0640}' | '\'' | '’' | '‘' | '`' | 'ʼ' => {}
            'أ' | 'إ' | 'آ' => out.push('ا'),
            'ة' => out.push('ه'),
            'ى' => out.push('ي'),
            _ if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fills a person form from one row through a mapping, turning common spellings into the
/// values the form accepts (sex, document type, health, nationality, day-first dates, years
/// written as "1998.0"). Values it does not recognise pass through unchanged, so the form's
/// validation reports them beside their field. A bare year given as the birth date goes to
/// the birth year when no column gives that.
pub fn apply(mapping: &Mapping, row: &[String]) -> PersonForm {
    let mut form = PersonForm::default();
    for (field, value) in mapping.iter().zip(row) {
        if let Some(field) = field {
            form.set(field, values::normalise(field, value.trim()));
        }
    }
    if form.birth_year.is_empty() && values::is_year(&form.birth_date) {
        form.birth_year = std::mem::take(&mut form.birth_date);
    }
    form
}

/// A mapping as compact text to remember: a JSON array with a field name or null per column.
pub fn to_stored(m: &Mapping) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| String::from("[]"))
}

/// A remembered mapping read back, for a file with `columns` columns. None when the text is
/// not a stored mapping, was made for another number of columns, names a field that is not a
/// person field, or maps two columns to one field: the caller then guesses afresh.
pub fn parse_stored(text: &str, columns: usize) -> Option<Mapping> {
    let names: Vec<Option<String>> = serde_json::from_str(text).ok()?;
    if names.len() != columns {
        return None;
    }
    let mut mapping = Mapping::with_capacity(columns);
    for name in names {
        let field = match name {
            None => None,
            Some(name) => Some(*FIELDS.iter().find(|&&f| f == name)?),
        };
        if field.is_some() && mapping.contains(&field) {
            return None;
        }
        mapping.push(field);
    }
    Some(mapping)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn headers(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn english_headers_are_recognised_whatever_their_case_and_punctuation() {
        let mapping = guess(&headers(&[
            "No.",
            " Full  Name ",
            "Father's name",
            "SURNAME",
            "D.O.B",
            "Gender",
            "Military No",
            "Passport",
            "Nationality",
            "Health",
            "Remarks",
        ]));
        assert_eq!(
            mapping,
            vec![
                None,
                Some("name_latin"),
                Some("father_name"),
                Some("family_name"),
                Some("birth_date"),
                Some("sex"),
                Some("service_number"),
                Some("id_document_number"),
                Some("nationality"),
                Some("medical"),
                Some("notes"),
            ]
        );
    }

    #[test]
    fn arabic_headers_are_recognised_with_or_without_hamza_and_diacritics() {
        let mapping = guess(&headers(&[
            "ت",
            "الاسم الكامل",
            "اسم الأب",
            "اسم الام",
            "الكنية",
            "المواليد",
            "سنة الميلاد",
            "الجنس",
            "الرُّتبة",
            "القطعة",
            "الرقم العسكري",
            "رقم الهوية",
            "نوع الوثيقة",
            "الجنسية",
            "الحالة الصحية",
            "ملاحظات",
        ]));
        assert_eq!(
            mapping,
            vec![
                None,
                Some("name_ar"),
                Some("father_name"),
                Some("mother_name"),
                Some("family_name"),
                Some("birth_date"),
                Some("birth_year"),
                Some("sex"),
                Some("rank"),
                Some("unit"),
                Some("service_number"),
                Some("id_document_number"),
                Some("id_document_type"),
                Some("nationality"),
                Some("medical"),
                Some("notes"),
            ]
        );
    }

    #[test]
    fn plain_name_follows_the_header_script_and_a_field_is_taken_once() {
        let mapping = guess(&headers(&[
            "Name",
            "الاسم",
            "Father",
            "الأب",
            "Name in Arabic",
        ]));
        assert_eq!(
            mapping,
            vec![
                Some("name_latin"),
                Some("name_ar"),
                Some("father_name"),
                None,
                None
            ]
        );
    }

    #[test]
    fn apply_fills_the_form_and_normalises_common_spellings() {
        let mapping: Mapping = vec![
            Some("name_ar"),
            None,
            Some("sex"),
            Some("birth_date"),
            Some("birth_year"),
            Some("id_document_type"),
            Some("medical"),
            Some("nationality"),
            Some("service_number"),
        ];
        let row = headers(&[
            " حسين علي ",
            "ignored",
            "ذكر",
            "4/3/1998",
            "1998.0",
            "هوية",
            "جريح",
            "عراقي",
            "١٢٣٤٥",
        ]);
        let form = apply(&mapping, &row);
        assert_eq!(form.name_ar, "حسين علي");
        assert_eq!(form.sex, "male");
        assert_eq!(form.birth_date, "1998-03-04");
        assert_eq!(form.birth_year, "1998");
        assert_eq!(form.id_document_type, "national_id");
        assert_eq!(form.medical, "wounded");
        assert_eq!(form.nationality, "IQ");
        assert_eq!(form.notes, "");
        let today = chrono::NaiveDate::from_ymd_opt(2024, 12, 18).unwrap();
        assert!(form.parse(today).is_ok());
    }

    #[test]
    fn apply_knows_the_english_and_other_arabic_spellings() {
        let mapping: Mapping = vec![Some("sex"), Some("id_document_type"), Some("birth_date")];
        let cases = [
            (
                ["M", "National ID", "04/03/1998"],
                ["male", "national_id", "1998-03-04"],
            ),
            (
                ["Female", "Passport", "4-3-1998"],
                ["female", "passport", "1998-03-04"],
            ),
            (
                ["أنثى", "جواز سفر", "1998/3/4"],
                ["female", "passport", "1998-03-04"],
            ),
            (
                ["f", "عسكرية", "1998-03-04"],
                ["female", "military_id", "1998-03-04"],
            ),
            (
                ["male", "military", "4.3.1998"],
                ["male", "military_id", "1998-03-04"],
            ),
        ];
        for (row, want) in cases {
            let form = apply(&mapping, &headers(&row));
            assert_eq!([form.sex, form.id_document_type, form.birth_date], want);
        }
    }

    #[test]
    fn unknown_values_pass_through_for_the_form_to_report() {
        let mapping: Mapping = vec![Some("sex"), Some("birth_date"), Some("medical"), None];
        let form = apply(&mapping, &headers(&["unknown", "31/02/1998", "", "x"]));
        assert_eq!(form.sex, "unknown");
        assert_eq!(form.birth_date, "31/02/1998");
        assert_eq!(form.medical, "");
    }

    #[test]
    fn a_bare_year_as_birth_date_becomes_the_birth_year() {
        let form = apply(&vec![Some("birth_date")], &headers(&["1998"]));
        assert_eq!(
            (form.birth_date.as_str(), form.birth_year.as_str()),
            ("", "1998")
        );
        let both: Mapping = vec![Some("birth_date"), Some("birth_year")];
        let form = apply(&both, &headers(&["1998", "1997"]));
        assert_eq!(
            (form.birth_date.as_str(), form.birth_year.as_str()),
            ("1998", "1997")
        );
    }

    #[test]
    fn a_short_row_fills_what_it_has() {
        let mapping: Mapping = vec![Some("name_latin"), Some("father_name")];
        let form = apply(&mapping, &headers(&["Ali"]));
        assert_eq!(
            (form.name_latin.as_str(), form.father_name.as_str()),
            ("Ali", "")
        );
    }

    #[test]
    fn stored_mapping_round_trips() {
        let mapping: Mapping = vec![Some("name_ar"), None, Some("birth_year")];
        let text = to_stored(&mapping);
        assert_eq!(text, r#"["name_ar",null,"birth_year"]"#);
        assert_eq!(parse_stored(&text, 3), Some(mapping));
        assert_eq!(parse_stored("[]", 0), Some(Vec::new()));
    }

    #[test]
    fn stored_mapping_refuses_unknown_fields_duplicates_and_other_widths() {
        assert_eq!(parse_stored(r#"["name_ar","password_hash"]"#, 2), None);
        assert_eq!(parse_stored(r#"["name_ar","name_ar"]"#, 2), None);
        assert_eq!(parse_stored(r#"["name_ar",null]"#, 3), None);
        assert_eq!(parse_stored("not json", 1), None);
        assert_eq!(parse_stored(r#"[1]"#, 1), None);
    }
}
