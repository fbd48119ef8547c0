//! `/reports/situation`.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::domain::FieldErrors;
use crate::i18n::{Arg, Lang, Tr};
use crate::situation::statement::Statement;
use crate::situation::{Generated, Request, SituationQuery};

/// One language's statement as shown.
pub struct Shown {
    /// The statement.
    pub statement: Statement,
    /// `en` or `ar`.
    pub lang: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The foot, in this language.
    pub foot: Vec<String>,
}

/// `GET /reports/situation`.
#[derive(Template, WebTemplate)]
#[template(path = "reports/situation.html")]
pub struct SituationPage {
    /// The frame.
    pub layout: Layout,
    /// The query as typed.
    pub query: SituationQuery,
    /// Messages beside bad fields.
    pub errors: FieldErrors,
    /// Posts in scope: (code, name).
    pub posts: Vec<(String, String)>,
    /// The day shown in the form.
    pub as_of: String,
    /// The statement in each language asked.
    pub statements: Vec<Shown>,
    /// The same statement's other forms: (href, label).
    pub links: Vec<(String, String)>,
}

impl SituationPage {
    /// The page for a generated statement, or for the form's messages.
    pub fn new(
        layout: Layout,
        query: SituationQuery,
        errors: FieldErrors,
        posts: Vec<(String, String)>,
        shown: Option<(Request, Generated)>,
        who: &str,
    ) -> Self {
        let Some((request, generated)) = shown else {
            return Self {
                as_of: query.as_of.clone(),
                layout,
                query,
                errors,
                posts,
                statements: Vec::new(),
                links: Vec::new(),
            };
        };
        let statements = generated
            .statements
            .iter()
            .map(|statement| {
                let tr = Tr {
                    lang: statement.lang,
                    digits: if statement.lang == Lang::Ar {
                        layout.tr.digits
                    } else {
                        crate::i18n::Digits::Western
                    },
                };
                Shown {
                    statement: statement.clone(),
                    lang: statement.lang.code(),
                    dir: statement.lang.dir(),
                    foot: foot_lines(&generated, who, tr),
                }
            })
            .collect();
        let q = request.query_string();
        let links = vec![(
            format!("/reports/situation.txt?{q}"),
            layout.t("situation-text"),
        )];
        Self {
            as_of: request.as_of.to_string(),
            layout,
            query,
            errors,
            posts,
            statements,
            links,
        }
    }

    /// Whether post `code` is among those chosen.
    pub fn chosen(&self, code: &str) -> bool {
        self.query
            .post
            .iter()
            .flat_map(|p| p.split(','))
            .any(|p| p.trim().eq_ignore_ascii_case(code))
    }

    /// The language choices: (value, label, selected).
    pub fn lang_choices(&self) -> Vec<(&'static str, String, bool)> {
        let current = match self.query.lang.trim() {
            "" => "both",
            other => other,
        };
        [
            ("both", self.layout.t("situation-lang-both")),
            ("en", Lang::En.native_name().to_owned()),
            ("ar", Lang::Ar.native_name().to_owned()),
        ]
        .into_iter()
        .map(|(value, label)| (value, label, value == current))
        .collect()
    }
}

/// The foot of a statement in `tr`'s language: when and by whom it was generated, the audit
/// receipt it was read at, and the audit entry recording it with the SHA-256 of its text.
pub fn foot_lines(generated: &Generated, who: &str, tr: Tr) -> Vec<String> {
    let at = generated.at.format("%Y-%m-%d %H:%M").to_string();
    vec![
        tr.ta(
            "situation-generated",
            &[
                ("at", Arg::Text(at)),
                ("who", Arg::Text(who.to_owned())),
                ("seq", Arg::Text(generated.stamp.seq.to_string())),
            ],
        ),
        tr.ta(
            "situation-receipt",
            &[("stamp", Arg::Text(generated.stamp.line()))],
        ),
        tr.ta(
            "situation-recorded",
            &[
                ("seq", Arg::Text(generated.recorded_seq.to_string())),
                ("sha", Arg::Text(generated.sha256.clone())),
            ],
        ),
    ]
}
