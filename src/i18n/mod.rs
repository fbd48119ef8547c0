//! English and Arabic. Every text a person reads comes from `locales/{en,ar}/main.ftl` (Fluent),
//! compiled into the binary; this module picks the language for a request and formats numbers
//! and dates for it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::auth::Identity;

mod simple;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around every placeable would end up invisible in HTML
        // attributes and copied text; templates isolate mixed-direction data with <bdi>.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The source of each language's messages (the same files the loader embeds).
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../locales/en/main.ftl"),
        Lang::Ar => include_str!("../../locales/ar/main.ftl"),
    }
}

/// The message ids defined for `lang`.
pub fn message_ids(lang: Lang) -> &'static HashSet<String> {
    static EN: LazyLock<HashSet<String>> = LazyLock::new(|| parse_ids(source(Lang::En)));
    static AR: LazyLock<HashSet<String>> = LazyLock::new(|| parse_ids(source(Lang::Ar)));
    match lang {
        Lang::En => &EN,
        Lang::Ar => &AR,
    }
}

/// Every message of `lang` as [`Tr::t`] looks it up without arguments, looked up once.
///
/// The locales are compiled in, so a lookup's answer never changes; asked anew, Fluent resolves
/// the message each time, and a page of 50 events asked it for a few hundred labels and month
/// names (a tenth of the events list's time, BENCHMARKS.md, issue 19). Only the language's own
/// message ids are kept, so no key built from data can grow the map.
fn plain_messages(lang: Lang) -> &'static HashMap<String, String> {
    fn looked_up(lang: Lang) -> HashMap<String, String> {
        message_ids(lang)
            .iter()
            .map(|id| (id.clone(), LOCALES.lookup(&lang.id(), id)))
            .collect()
    }
    static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| looked_up(Lang::En));
    static AR: LazyLock<HashMap<String, String>> = LazyLock::new(|| looked_up(Lang::Ar));
    match lang {
        Lang::En => &EN,
        Lang::Ar => &AR,
    }
}

/// The messages of `lang` that [`simple`] fills in without Fluent.
fn simple_messages(lang: Lang) -> &'static HashMap<String, Vec<simple::Piece>> {
    static EN: LazyLock<HashMap<String, Vec<simple::Piece>>> =
        LazyLock::new(|| simple::compile(source(Lang::En)));
    static AR: LazyLock<HashMap<String, Vec<simple::Piece>>> =
        LazyLock::new(|| simple::compile(source(Lang::Ar)));
    match lang {
        Lang::En => &EN,
        Lang::Ar => &AR,
    }
}

fn parse_ids(text: &'static str) -> HashSet<String> {
    let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(partial, _)| partial);
    resource
        .body
        .iter()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The cookie that remembers an anonymous visitor's choice of language.
pub const LANGUAGE_COOKIE: &str = "repatrack_lang";

/// Set (for the browser session) when the language was switched on the sign-in page, by the
/// person about to sign in: signing in then makes it their preference.
pub const LANGUAGE_CHOSEN_COOKIE: &str = "repatrack_lang_chosen";

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English, left to right.
    En,
    /// Arabic, right to left.
    Ar,
}

impl Lang {
    /// Both, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ar];

    /// `en` or `ar`: the stored code and the `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ar => "ar",
        }
    }

    /// `ltr` or `rtl`.
    pub fn dir(self) -> &'static str {
        match self {
            Self::En => "ltr",
            Self::Ar => "rtl",
        }
    }

    /// The language's own name, as the switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ar => "العربية",
        }
    }

    /// Parses a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "ar" => Some(Self::Ar),
            _ => None,
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Self::En => langid!("en"),
            Self::Ar => langid!("ar"),
        }
    }

    /// The first of our languages in an `Accept-Language` header, by the browser's weights.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut ranked: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let primary = tag.split(['-', '_']).next()?;
                let lang = Lang::parse(primary)?;
                let weight = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((weight, lang))
            })
            .filter(|(weight, _)| *weight > 0.0)
            .collect();
        // Stable sort keeps the header's order among equal weights.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang)
    }
}

/// Which digits numbers are shown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// 0123456789 (the default, also in Arabic: what forms and spreadsheets use).
    Western,
    /// ٠١٢٣٤٥٦٧٨٩.
    ArabicIndic,
}

impl Digits {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Western => "western",
            Self::ArabicIndic => "arabic_indic",
        }
    }

    /// Parses a stored or submitted code.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim() {
            "western" => Some(Self::Western),
            "arabic_indic" => Some(Self::ArabicIndic),
            _ => None,
        }
    }
}

pub use crate::domain::digits::ascii_digits;

/// An argument to a message.
#[derive(Debug, Clone)]
pub enum Arg {
    /// Text, inserted as is.
    Text(String),
    /// A number: selects plural forms and is shown in the user's digits.
    Count(i64),
}

/// The translator of one request: language plus digit preference. Cheap to copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
    /// The digits.
    pub digits: Digits,
}

impl Default for Tr {
    fn default() -> Self {
        Self {
            lang: Lang::En,
            digits: Digits::Western,
        }
    }
}

impl Tr {
    /// A translator for `lang` with Western digits.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            digits: Digits::Western,
        }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        let text = match plain_messages(self.lang).get(key) {
            Some(text) => text.clone(),
            None => LOCALES.lookup(&self.lang.id(), key),
        };
        self.digits_of(text)
    }

    /// The message `key` with arguments.
    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        if let Some(text) = simple_messages(self.lang)
            .get(key)
            .and_then(|pieces| simple::fill(pieces, args))
        {
            return self.digits_of(text);
        }
        let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Count(n) => FluentValue::from(*n),
                };
                (Cow::Owned((*name).to_owned()), value)
            })
            .collect();
        self.digits_of(LOCALES.lookup_with_args(&self.lang.id(), key, &map))
    }

    /// The message `key` with one count (`$count`), choosing the plural form.
    pub fn n(&self, key: &str, count: i64) -> String {
        self.ta(key, &[("count", Arg::Count(count))])
    }

    /// Whether `key` exists in this language. (Asked of the parsed files: the loader reports
    /// a message with placeables as missing when it is looked up without its arguments.)
    pub fn has(&self, key: &str) -> bool {
        message_ids(self.lang).contains(key)
    }

    fn digits_of(&self, text: String) -> String {
        match self.digits {
            Digits::Western => text,
            Digits::ArabicIndic => text
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                    other => other,
                })
                .collect(),
        }
    }

    /// A year (or any code-like number) without separators, in the user's digits: `1990` /
    /// `١٩٩٠`.
    pub fn year(&self, year: i32) -> String {
        self.digits_of(year.to_string())
    }

    /// A whole number with thousands separators, in the user's digits: `1,905` / `١٬٩٠٥`.
    pub fn num(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let separator = match self.digits {
            Digits::Western => ',',
            Digits::ArabicIndic => '٬',
        };
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(c);
        }
        let sign = if n < 0 { "-" } else { "" };
        self.digits_of(format!("{sign}{grouped}"))
    }

    /// A calendar date: `19 Dec 2024` / `19 كانون الأول 2024`.
    pub fn date(&self, date: NaiveDate) -> String {
        self.ta(
            "format-date",
            &[
                ("day", Arg::Text(date.day().to_string())),
                (
                    "month",
                    Arg::Text(self.t(&format!("month-{}", date.month()))),
                ),
                ("year", Arg::Text(date.year().to_string())),
            ],
        )
    }

    /// A country named in this language from its ISO 3166 code ("Iraq", "العراق"); the code
    /// itself when it is not in the list.
    pub fn country(&self, code: &str) -> String {
        let key = format!("country-{code}");
        if self.has(&key) {
            self.t(&key)
        } else {
            code.to_owned()
        }
    }

    /// A calendar date with the month's full name, for statements: `19 December 2024` /
    /// `19 كانون الأول 2024`.
    pub fn long_date(&self, date: NaiveDate) -> String {
        self.ta(
            "format-date",
            &[
                ("day", Arg::Text(date.day().to_string())),
                (
                    "month",
                    Arg::Text(self.t(&format!("month-long-{}", date.month()))),
                ),
                ("year", Arg::Text(date.year().to_string())),
            ],
        )
    }

    /// A day and month for a chart's axis: `19 Dec` / `19 كانون الأول`.
    pub fn short_date(&self, date: NaiveDate) -> String {
        self.ta(
            "format-day-month",
            &[
                ("day", Arg::Text(self.digits_of(date.day().to_string()))),
                (
                    "month",
                    Arg::Text(self.t(&format!("month-{}", date.month()))),
                ),
            ],
        )
    }

    /// An instant in a named time zone: `19 Dec 2024, 14:30 (Asia/Baghdad)`.
    pub fn datetime_in(&self, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
        let local = at.with_timezone(&zone);
        self.ta(
            "format-datetime",
            &[
                ("date", Arg::Text(self.date(local.date_naive()))),
                (
                    "time",
                    Arg::Text(format!("{:02}:{:02}", local.hour(), local.minute())),
                ),
                ("zone", Arg::Text(zone.name().to_owned())),
            ],
        )
    }

    /// An instant at a post, the zone named by its offset as officers read it:
    /// `19 Dec 2024 10:00 (+03)`.
    pub fn datetime_at_post(&self, at: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
        let local = at.with_timezone(&zone);
        self.ta(
            "format-datetime-post",
            &[
                ("date", Arg::Text(self.date(local.date_naive()))),
                (
                    "time",
                    Arg::Text(self.digits_of(format!("{:02}:{:02}", local.hour(), local.minute()))),
                ),
                // What `%Z` prints, without parsing a format string for each event listed.
                (
                    "zone",
                    Arg::Text(self.digits_of(local.offset().to_string())),
                ),
            ],
        )
    }

    /// An instant in UTC (account pages and administration, where no post applies).
    pub fn datetime_utc(&self, at: chrono::NaiveDateTime) -> String {
        self.datetime_in(at.and_utc(), chrono_tz::UTC)
    }

    /// Chooses the translator for a request: the signed-in user's preferences, else the
    /// language cookie (the switch, before sign-in), else the browser's `Accept-Language`,
    /// else English.
    pub fn for_request(req: &HttpRequest) -> Self {
        if let Some(identity) = req.extensions().get::<Identity>() {
            return Self {
                lang: identity.language,
                digits: identity.digits,
            };
        }
        let from_cookie = req
            .cookie(LANGUAGE_COOKIE)
            .and_then(|c| Lang::parse(c.value()));
        let from_header = || {
            req.headers()
                .get(actix_web::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        };
        Self::new(from_cookie.or_else(from_header).unwrap_or(Lang::En))
    }
}

impl FromRequest for Tr {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self::for_request(req)))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_offset_reads_left_to_right_in_arabic() {
        let at = chrono::DateTime::parse_from_rfc3339("2024-12-19T07:00:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        let ar = Tr::new(Lang::Ar).datetime_at_post(at, chrono_tz::Asia::Baghdad);
        // The parenthesised offset sits inside a left-to-right isolate, so it is drawn "(+03)".
        let start = ar.find('\u{2066}').unwrap_or(usize::MAX);
        let end = ar.rfind('\u{2069}').unwrap_or(0);
        assert!(start < end, "{ar:?}");
        let isolated: String = ar[start..end]
            .chars()
            .filter(|c| !matches!(c, '\u{2066}' | '\u{2068}' | '\u{2069}'))
            .collect();
        assert_eq!(isolated, "(+03)");
        let en = Tr::new(Lang::En).datetime_at_post(at, chrono_tz::Asia::Baghdad);
        assert!(en.contains("10:00") && en.contains("+03"), "{en:?}");
    }

    #[test]
    fn messages_filled_in_without_fluent_read_exactly_as_fluent_writes_them() {
        for lang in Lang::ALL {
            let simple = simple_messages(lang);
            // Most messages are simple; the date and time formats must be among them.
            assert!(simple.len() * 2 > message_ids(lang).len(), "{lang:?}");
            for key in ["format-date", "format-datetime-post", "format-day-month"] {
                assert!(simple.contains_key(key), "{lang:?} {key}");
            }
            for (key, pieces) in simple {
                let names: Vec<String> = pieces
                    .iter()
                    .filter_map(|piece| match piece {
                        simple::Piece::Variable(name) => Some(name.clone()),
                        simple::Piece::Text(_) => None,
                    })
                    .collect();
                let args: Vec<(&str, Arg)> = names
                    .iter()
                    .map(|name| (name.as_str(), Arg::Text(format!("«{name} ١٢ 34»"))))
                    .collect();
                let by_hand = simple::fill(pieces, &args);
                let map: HashMap<Cow<'static, str>, FluentValue<'_>> = args
                    .iter()
                    .map(|(name, value)| match value {
                        Arg::Text(text) => (
                            Cow::Owned((*name).to_owned()),
                            FluentValue::from(text.clone()),
                        ),
                        Arg::Count(n) => (Cow::Owned((*name).to_owned()), FluentValue::from(*n)),
                    })
                    .collect();
                let by_fluent = LOCALES.lookup_with_args(&lang.id(), key, &map);
                assert_eq!(
                    by_hand.as_deref(),
                    Some(by_fluent.as_str()),
                    "{lang:?} {key}"
                );
            }
            // The messages looked up once read as a lookup now does.
            for (key, text) in plain_messages(lang) {
                assert_eq!(text, &LOCALES.lookup(&lang.id(), key), "{lang:?} {key}");
            }
        }
    }

    #[test]
    fn a_number_argument_is_left_to_fluent() {
        let en = Tr::new(Lang::En);
        assert_eq!(en.n("events-count", 1), "One event");
        assert_eq!(en.n("events-count", 3), "3 events");
    }

    #[test]
    fn both_languages_define_the_same_messages_and_parse_cleanly() {
        for lang in Lang::ALL {
            let parsed = fluent_syntax::parser::parse(source(lang));
            assert!(
                parsed.is_ok(),
                "{lang:?}: {:?}",
                parsed.err().map(|(_, e)| e)
            );
        }
        let en = message_ids(Lang::En);
        let ar = message_ids(Lang::Ar);
        let mut only_en: Vec<_> = en.difference(ar).collect();
        let mut only_ar: Vec<_> = ar.difference(en).collect();
        only_en.sort();
        only_ar.sort();
        assert!(
            only_en.is_empty() && only_ar.is_empty(),
            "only in en: {only_en:?}; only in ar: {only_ar:?}"
        );
        assert!(en.len() > 150, "{}", en.len());
        assert!(
            Tr::new(Lang::Ar).has("error-locked"),
            "messages with placeables count as present"
        );
    }

    #[test]
    fn accept_language_picks_our_best_match_by_weight() {
        assert_eq!(
            Lang::from_accept_language("ar-IQ,ar;q=0.9,en;q=0.8"),
            Some(Lang::Ar)
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR, en;q=0.5, ar;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.2, ar;q=0.7"),
            Some(Lang::Ar)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("ar;q=0"), None);
    }

    #[test]
    fn arabic_counts_take_all_six_plural_forms() {
        let tr = Tr::new(Lang::Ar);
        let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
            .iter()
            .map(|n| tr.n("minutes", *n))
            .collect();
        assert_eq!(
            forms,
            [
                "0 دقيقة",
                "دقيقة واحدة",
                "دقيقتان",
                "3 دقائق",
                "11 دقيقة",
                "100 دقيقة"
            ]
        );
        let en = Tr::new(Lang::En);
        assert_eq!(en.n("minutes", 1), "1 minute");
        assert_eq!(en.n("minutes", 15), "15 minutes");
    }

    #[test]
    fn numbers_and_digits() {
        assert_eq!(Tr::new(Lang::Ar).num(1905), "1,905");
        let indic = Tr {
            lang: Lang::Ar,
            digits: Digits::ArabicIndic,
        };
        assert_eq!(indic.num(1905), "١٬٩٠٥");
        assert_eq!(indic.num(-42), "-٤٢");
        assert_eq!(ascii_digits("١٩٠٥ و ۱۲"), "1905 و 12");
        assert_eq!(ascii_digits("QAIM-12"), "QAIM-12");
    }

    #[test]
    fn dates_use_each_languages_month_names_and_name_the_zone() {
        let at = Utc.with_ymd_and_hms(2024, 12, 19, 11, 30, 0).unwrap();
        let baghdad = chrono_tz::Asia::Baghdad;
        assert_eq!(
            Tr::new(Lang::En).datetime_in(at, baghdad),
            "19 Dec 2024, 14:30 (Asia/Baghdad)"
        );
        assert_eq!(
            Tr::new(Lang::Ar).datetime_in(at, baghdad),
            "19 كانون الأول 2024، 14:30 (Asia/Baghdad)"
        );
        let indic = Tr {
            lang: Lang::Ar,
            digits: Digits::ArabicIndic,
        };
        assert_eq!(indic.date(at.date_naive()), "١٩ كانون الأول ٢٠٢٤");
    }
}
