//! The common spellings of values in received lists, turned into what the person form
//! accepts. Only spellings that are unambiguous are changed; anything else passes through so
//! the form's validation names the problem beside its field.

use chrono::NaiveDate;

use super::key;
use crate::domain::digits::ascii_digits;

/// Spellings of each stored value of the closed lists (as [`key`] folds them).
const SEX: &[(&str, &[&str])] = &[
    ("male", &["m", "male", "man", "ذكر"]),
    ("female", &["f", "female", "woman", "انثي"]),
];

const DOCUMENT_TYPE: &[(&str, &[&str])] = &[
    (
        "national_id",
        &[
            "national id",
            "national id card",
            "id card",
            "national card",
            "هويه",
            "بطاقه",
            "البطاقه الوطنيه",
            "بطاقه وطنيه",
            "هويه وطنيه",
            "هويه الاحوال المدنيه",
            "هويه احوال مدنيه",
        ],
    ),
    (
        "military_id",
        &[
            "military",
            "military id",
            "military id card",
            "military card",
            "عسكريه",
            "هويه عسكريه",
            "الهويه العسكريه",
            "بطاقه عسكريه",
        ],
    ),
    ("passport", &["passport", "جواز", "جواز سفر", "جواز السفر"]),
    ("other", &["other", "اخري", "غير ذلك"]),
];

const MEDICAL: &[(&str, &[&str])] = &[
    (
        "none",
        &[
            "none",
            "healthy",
            "good",
            "fine",
            "سليم",
            "جيد",
            "جيده",
            "لا يوجد",
        ],
    ),
    (
        "needs_care",
        &["needs care", "sick", "ill", "مريض", "يحتاج رعايه"],
    ),
    ("wounded", &["wounded", "injured", "جريح", "مصاب"]),
    (
        "evacuated",
        &[
            "evacuated",
            "hospitalised",
            "hospitalized",
            "تم اخلاؤه",
            "مخلي",
        ],
    ),
];

/// The two countries this crossing concerns, by name and adjective; other nationalities are
/// expected as their ISO code, which the form accepts as typed.
const NATIONALITY: &[(&str, &[&str])] = &[
    (
        "IQ",
        &["iraq", "iraqi", "العراق", "عراق", "عراقي", "عراقيه"],
    ),
    ("SY", &["syria", "syrian", "سوريا", "سوريه", "سوري"]),
];

/// One value for `field`, its common spellings turned into the stored ones.
pub(super) fn normalise(field: &str, value: &str) -> String {
    let listed = |table: &[(&'static str, &[&str])]| {
        let k = key(value);
        table
            .iter()
            .find(|(_, spellings)| spellings.contains(&k.as_str()))
            .map_or_else(|| value.to_owned(), |&(stored, _)| stored.to_owned())
    };
    match field {
        "sex" => listed(SEX),
        "id_document_type" => listed(DOCUMENT_TYPE),
        "medical" => listed(MEDICAL),
        "nationality" => listed(NATIONALITY),
        "birth_date" => date(value).unwrap_or_else(|| value.to_owned()),
        "birth_year" => year(value).unwrap_or_else(|| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// Whether `value` is a bare four-digit year (as the column "المواليد" often holds).
pub(super) fn is_year(value: &str) -> bool {
    value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit())
}

/// A year typed or exported as "1998", "١٩٩٨" or "1998.0" (a spreadsheet number).
fn year(value: &str) -> Option<String> {
    let ascii = ascii_digits(value);
    let whole = match ascii.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => &ascii,
    };
    is_year(whole).then(|| whole.to_owned())
}

/// A date written day first, as the region writes it ("04/03/1998", "4-3-1998", "4.3.1998"),
/// or year first with slashes ("1998/3/4"), as YYYY-MM-DD. A bare year becomes itself (see
/// [`is_year`]). None when it is not such a date or not a real day, so it passes unchanged.
fn date(value: &str) -> Option<String> {
    let ascii = ascii_digits(value);
    if let Some(y) = year(&ascii) {
        return Some(y);
    }
    let parts: Vec<&str> = ascii.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a, b, c) = (number(a)?, number(b)?, number(c)?);
    let (y, m, d) = if parts[0].len() == 4 {
        (a, b, c)
    } else if parts[2].len() == 4 {
        (c, b, a)
    } else {
        return None;
    };
    let day = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    Some(day.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_day_first() {
        assert_eq!(date("04/03/1998").as_deref(), Some("1998-03-04"));
        assert_eq!(date("٤/٣/١٩٩٨").as_deref(), Some("1998-03-04"));
        assert_eq!(date("1998-03-04").as_deref(), Some("1998-03-04"));
        assert_eq!(date("31/02/1998"), None);
        assert_eq!(date("04/03/98"), None);
        assert_eq!(date("March 1998"), None);
    }

    #[test]
    fn years_lose_a_spreadsheet_fraction() {
        assert_eq!(year("1998.0").as_deref(), Some("1998"));
        assert_eq!(year("1998").as_deref(), Some("1998"));
        assert_eq!(year("1998.5"), None);
        assert_eq!(year("98"), None);
    }
}
