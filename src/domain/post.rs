//! Border posts: their codes, countries, time zones and the admin form.

use std::fmt;

use chrono_tz::Tz;

use super::{FieldError, FieldErrors, collect};

/// Time zone used when the form leaves it blank: every post so far is in Iraq.
pub const DEFAULT_TIMEZONE: &str = "Asia/Baghdad";

const TEXT_MAX: usize = 100;

/// A short code for a post, like `QAIM`: 2–16 of `[A-Z0-9-]`, not starting
/// or ending with a dash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostCode(String);

impl PostCode {
    /// Trims and uppercases `raw`, then checks the allowed characters.
    pub fn parse(raw: &str) -> Result<PostCode, FieldError> {
        // Digits typed on an Arabic keyboard are the same digits.
        let value = super::digits::ascii_digits(raw.trim()).to_uppercase();
        let len = value.chars().count();
        let valid = (2..=16).contains(&len)
            && value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if !valid {
            return Err(FieldError::new(
                "code",
                "post-code-invalid",
                "Use 2 to 16 capital letters, digits or dashes, like QAIM.",
            ));
        }
        Ok(PostCode(value))
    }

    /// The normalized code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted so lookup
/// can binary-search. User-assigned codes such as `XK` are deliberately
/// absent.
const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// An officially assigned ISO 3166-1 alpha-2 country code, uppercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(String);

impl CountryCode {
    /// Trims and uppercases `raw`. `field` is the form field to blame,
    /// because a post has both its own and its neighbour's country.
    pub fn parse(raw: &str, field: &'static str) -> Result<CountryCode, FieldError> {
        let value = raw.trim().to_uppercase();
        if ISO_3166_ALPHA2.binary_search(&value.as_str()).is_err() {
            return Err(FieldError::new(
                field,
                "country-invalid",
                "Use the two-letter ISO country code, like IQ or SY.",
            ));
        }
        Ok(CountryCode(value))
    }

    /// The two-letter code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An IANA time zone known to `chrono_tz`, like `Asia/Baghdad`.
// Held as the parsed `Tz` rather than a `String` so `tz()` cannot fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZoneName(Tz);

impl TimeZoneName {
    /// Trims `raw` and looks it up in the IANA database (case-sensitive).
    pub fn parse(raw: &str) -> Result<TimeZoneName, FieldError> {
        raw.trim().parse::<Tz>().map(TimeZoneName).map_err(|_| {
            FieldError::new(
                "timezone",
                "timezone-invalid",
                "Use a time zone name like Asia/Baghdad.",
            )
        })
    }

    /// The canonical name, as stored.
    pub fn as_str(&self) -> &'static str {
        self.0.name()
    }

    /// The zone, for converting crossing times to local time.
    pub fn tz(&self) -> Tz {
        self.0
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields of a post that can be edited after it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFields {
    /// English name, e.g. "Al-Qaim".
    pub name_en: String,
    /// Arabic name, e.g. "القائم".
    pub name_ar: String,
    /// Country the post is in.
    pub country: CountryCode,
    /// Country on the other side of the border; never equal to `country`.
    pub neighbour_country: CountryCode,
    /// Governorate (province) the post is in.
    pub governorate: String,
    /// Name of the facing post across the border.
    pub counterpart_name: String,
    /// Local time zone of the post.
    pub timezone: TimeZoneName,
}

/// A post ready to insert: its code is fixed at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPost {
    /// The post's unique code.
    pub code: PostCode,
    /// Everything else about the post.
    pub fields: PostFields,
}

/// The post form exactly as typed, before any checks.
#[derive(Debug, Clone, Default)]
pub struct PostForm {
    /// Post code, e.g. "qaim ".
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Arabic name.
    pub name_ar: String,
    /// Own country code.
    pub country: String,
    /// Neighbouring country code.
    pub neighbour_country: String,
    /// Governorate.
    pub governorate: String,
    /// Name of the facing post.
    pub counterpart_name: String,
    /// Time zone name; blank means [`DEFAULT_TIMEZONE`].
    pub timezone: String,
}

impl PostForm {
    /// Parses the create form, reporting every bad field at once.
    pub fn parse_new(&self) -> Result<NewPost, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = collect(&mut errors, PostCode::parse(&self.code));
        let fields = self.fields_into(&mut errors);
        match (code, fields) {
            (Some(code), Some(fields)) if errors.is_empty() => Ok(NewPost { code, fields }),
            _ => Err(errors),
        }
    }

    /// Parses the edit form (everything but the code), reporting every bad
    /// field at once.
    pub fn parse_fields(&self) -> Result<PostFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        match self.fields_into(&mut errors) {
            Some(fields) if errors.is_empty() => Ok(fields),
            _ => Err(errors),
        }
    }

    fn fields_into(&self, errors: &mut FieldErrors) -> Option<PostFields> {
        let name_en = collect(errors, text(&self.name_en, "name_en"));
        let name_ar = collect(errors, text(&self.name_ar, "name_ar"));
        let country = collect(errors, CountryCode::parse(&self.country, "country"));
        let neighbour_country = collect(
            errors,
            CountryCode::parse(&self.neighbour_country, "neighbour_country"),
        );
        if let (Some(c), Some(n)) = (&country, &neighbour_country)
            && c == n
        {
            errors.push(FieldError::new(
                "neighbour_country",
                "neighbour-same-as-country",
                "The neighbouring country must differ from the post's own country.",
            ));
        }
        let governorate = collect(errors, text(&self.governorate, "governorate"));
        let counterpart_name = collect(errors, text(&self.counterpart_name, "counterpart_name"));
        let tz_raw = match self.timezone.trim() {
            "" => DEFAULT_TIMEZONE,
            other => other,
        };
        let timezone = collect(errors, TimeZoneName::parse(tz_raw));
        Some(PostFields {
            name_en: name_en?,
            name_ar: name_ar?,
            country: country?,
            neighbour_country: neighbour_country?,
            governorate: governorate?,
            counterpart_name: counterpart_name?,
            timezone: timezone?,
        })
    }
}

fn text(raw: &str, field: &'static str) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::required(field));
    }
    if value.chars().count() > TEXT_MAX {
        return Err(
            FieldError::new(field, "too-long", "At most 100 characters.").with_arg("max", "100"),
        );
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qaim() -> PostForm {
        PostForm {
            code: "qaim ".into(),
            name_en: " Al-Qaim ".into(),
            name_ar: "القائم".into(),
            country: "iq".into(),
            neighbour_country: "SY".into(),
            governorate: "Anbar".into(),
            counterpart_name: "Albu Kamal".into(),
            timezone: "Asia/Baghdad".into(),
        }
    }

    #[test]
    fn post_code_normalizes() {
        assert_eq!(PostCode::parse(" qaim ").unwrap().as_str(), "QAIM");
        assert_eq!(PostCode::parse("tr-1").unwrap().as_str(), "TR-1");
        assert_eq!(PostCode::parse("Q2").unwrap().as_str(), "Q2");
        let sixteen = "A".repeat(16);
        assert_eq!(PostCode::parse(&sixteen).unwrap().as_str(), sixteen);
    }

    #[test]
    fn post_code_rejections() {
        for raw in [
            "",
            "Q",
            "-QAIM",
            "QAIM-",
            "QA IM",
            "QA_IM",
            "القائم",
            &"A".repeat(17),
        ] {
            let err = PostCode::parse(raw).unwrap_err();
            assert_eq!(
                (err.field, err.key),
                ("code", "post-code-invalid"),
                "{raw:?}"
            );
        }
        assert_eq!(
            PostCode::parse("!").unwrap_err().message,
            "Use 2 to 16 capital letters, digits or dashes, like QAIM."
        );
    }

    #[test]
    fn country_list_is_complete_and_sorted() {
        assert!(ISO_3166_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert!(ISO_3166_ALPHA2.iter().all(|c| c.len() == 2));
        for code in ["IQ", "SY", "JO", "TR", "IR", "SA", "KW", "LB", "PS"] {
            assert_eq!(CountryCode::parse(code, "country").unwrap().as_str(), code);
        }
    }

    #[test]
    fn country_normalizes_and_names_the_field() {
        assert_eq!(
            CountryCode::parse(" iq ", "country").unwrap().as_str(),
            "IQ"
        );
        for raw in ["", "XK", "IRQ", "ZZ", "I"] {
            let err = CountryCode::parse(raw, "neighbour_country").unwrap_err();
            assert_eq!(
                (err.field, err.key),
                ("neighbour_country", "country-invalid")
            );
            assert_eq!(
                err.message,
                "Use the two-letter ISO country code, like IQ or SY."
            );
        }
    }

    #[test]
    fn timezone_parses_iana_names() {
        let tz = TimeZoneName::parse(" Asia/Baghdad ").unwrap();
        assert_eq!(tz.as_str(), "Asia/Baghdad");
        assert_eq!(tz.tz(), chrono_tz::Asia::Baghdad);
        assert_eq!(tz.to_string(), "Asia/Baghdad");
        for raw in ["", "Baghdad", "asia/baghdad", "Asia/Nowhere"] {
            let err = TimeZoneName::parse(raw).unwrap_err();
            assert_eq!(
                (err.field, err.key),
                ("timezone", "timezone-invalid"),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn al_qaim_parses() {
        let post = qaim().parse_new().unwrap();
        assert_eq!(post.code.as_str(), "QAIM");
        let f = &post.fields;
        assert_eq!(f.name_en, "Al-Qaim");
        assert_eq!(f.name_ar, "القائم");
        assert_eq!(f.country.as_str(), "IQ");
        assert_eq!(f.neighbour_country.as_str(), "SY");
        assert_eq!(f.governorate, "Anbar");
        assert_eq!(f.counterpart_name, "Albu Kamal");
        assert_eq!(f.timezone.as_str(), "Asia/Baghdad");
        assert_eq!(qaim().parse_fields().unwrap(), post.fields);
    }

    #[test]
    fn blank_timezone_defaults_to_baghdad() {
        let form = PostForm {
            timezone: "  ".into(),
            ..qaim()
        };
        assert_eq!(
            form.parse_fields().unwrap().timezone.as_str(),
            "Asia/Baghdad"
        );
    }

    #[test]
    fn bad_form_reports_every_error() {
        let form = PostForm {
            code: "-".into(),
            name_en: "  ".into(),
            name_ar: "ق".repeat(101),
            country: "xx".into(),
            neighbour_country: "sy".into(),
            governorate: String::new(),
            counterpart_name: "Albu Kamal".into(),
            timezone: "Mars/Olympus".into(),
        };
        let errors = form.parse_new().unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            got,
            [
                ("code", "post-code-invalid"),
                ("name_en", "required"),
                ("name_ar", "too-long"),
                ("country", "country-invalid"),
                ("governorate", "required"),
                ("timezone", "timezone-invalid"),
            ]
        );
        assert_eq!(errors.get("name_en").unwrap().message, "Required.");
        assert_eq!(
            errors.get("name_ar").unwrap().message,
            "At most 100 characters."
        );
        // The edit form never reports the code.
        assert_eq!(form.parse_fields().unwrap_err().len(), 5);
    }

    #[test]
    fn neighbour_must_differ() {
        let form = PostForm {
            neighbour_country: " iq".into(),
            ..qaim()
        };
        let errors = form.parse_fields().unwrap_err();
        assert_eq!(errors.len(), 1);
        let err = errors.get("neighbour_country").unwrap();
        assert_eq!(err.key, "neighbour-same-as-country");
    }

    #[test]
    fn exactly_one_hundred_chars_is_fine() {
        let form = PostForm {
            name_ar: "ق".repeat(100),
            ..qaim()
        };
        assert_eq!(form.parse_fields().unwrap().name_ar.chars().count(), 100);
    }
}
