//! Situation statements: the text a ministry or the ICRC would write, generated from the
//! ledger, the agreements and the people register as of the end of one day, in English and
//! Arabic (issue 18).
//!
//! [`facts`] reads what the record says in one snapshot; [`statement`] writes it as sentences
//! from Fluent messages; [`generate`] does both for the languages asked, stamps the result
//! with the audit chain's head, and records the generation (its parameters and the SHA-256 of
//! its plain text) in the trail.

pub mod facts;
pub mod statement;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use crate::audit::receipt::Stamp;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::scope::ScopedPost;
use crate::db::{self, DbConn};
use crate::domain::policy::Principal;
use crate::domain::post::PostCode;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::i18n::{Digits, Lang, Tr};
use statement::Statement;

/// `/reports/situation?as_of=&post=&lang=` as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SituationQuery {
    /// The day, `YYYY-MM-DD` (default: yesterday, the last whole day).
    pub as_of: String,
    /// Post codes (repeatable); none: every post in scope.
    pub post: Vec<String>,
    /// `both` (default), `en` or `ar`.
    pub lang: String,
}

/// Which languages a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Languages {
    /// English and Arabic, side by side.
    Both,
    /// One language.
    One(Lang),
}

impl Languages {
    /// The code used in links and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            Self::Both => "both",
            Self::One(lang) => lang.code(),
        }
    }

    fn list(self) -> Vec<Lang> {
        match self {
            Self::Both => vec![Lang::En, Lang::Ar],
            Self::One(lang) => vec![lang],
        }
    }
}

/// The query, checked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The day.
    pub as_of: NaiveDate,
    /// The posts, by code.
    pub posts: Vec<ScopedPost>,
    /// The languages.
    pub languages: Languages,
}

impl Request {
    /// The parameters as a query string (for links to the other forms of the statement).
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        out.append_pair("as_of", &self.as_of.to_string());
        for post in &self.posts {
            out.append_pair("post", &post.code);
        }
        out.append_pair("lang", self.languages.code());
        out.finish()
    }
}

/// Reads the query for `who`: a post out of their scope is not found (as everywhere); a bad
/// day or language is reported beside its field.
pub fn request_for(
    conn: &mut DbConn,
    who: &Principal,
    query: &SituationQuery,
    today: NaiveDate,
) -> AppResult<Result<Request, FieldErrors>> {
    let in_scope = ScopedPost::all(conn, who)?;
    let chosen: Vec<String> = query
        .post
        .iter()
        .flat_map(|p| p.split(','))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            PostCode::parse(p)
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default()
        })
        .collect();
    let posts = if chosen.is_empty() {
        in_scope
    } else {
        if chosen
            .iter()
            .any(|c| !in_scope.iter().any(|p| &p.code == c))
        {
            return Err(AppError::NotFound);
        }
        in_scope
            .into_iter()
            .filter(|p| chosen.contains(&p.code))
            .collect()
    };
    let mut errors = FieldErrors::new();
    let as_of = match crate::domain::parse_date(&query.as_of, "as_of") {
        Ok(Some(day)) if day > today => {
            errors.push(FieldError::new(
                "as_of",
                "situation-future",
                "A statement is of a day that has begun, today at the latest.",
            ));
            today
        }
        Ok(Some(day)) => day,
        Ok(None) => today.pred_opt().unwrap_or(today),
        Err(e) => {
            errors.push(e);
            today
        }
    };
    let languages = match query.lang.trim() {
        "" | "both" => Languages::Both,
        code => match Lang::parse(code) {
            Some(lang) => Languages::One(lang),
            None => {
                errors.push(FieldError::new(
                    "lang",
                    "situation-lang-invalid",
                    "Choose English, Arabic or both.",
                ));
                Languages::Both
            }
        },
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(Request {
        as_of,
        posts,
        languages,
    }))
}

/// A generated statement: the text in each language, and where the trail stood.
#[derive(Debug, Clone)]
pub struct Generated {
    /// One statement per language, English first.
    pub statements: Vec<Statement>,
    /// The audit chain's head when the facts were read (the same snapshot).
    pub stamp: Stamp,
    /// The plain text hashed and recorded.
    pub text: String,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// The seq of the audit entry recording this generation.
    pub recorded_seq: i64,
    /// When it was generated.
    pub at: DateTime<Utc>,
}

/// Reads the facts in one snapshot, writes the statement in the languages asked (Arabic in the
/// reader's digits, English in Western digits), and records the generation in the trail.
pub fn generate(
    conn: &mut DbConn,
    actor: &Actor,
    request: &Request,
    digits: Digits,
    now: DateTime<Utc>,
) -> AppResult<Generated> {
    let (facts, stamp) = db::read_tx(conn, |conn| {
        let facts = facts::read(conn, &request.posts, request.as_of)?;
        let stamp = Stamp::read(conn)?;
        Ok::<_, AppError>((facts, stamp))
    })?;
    let statements: Vec<Statement> = request
        .languages
        .list()
        .into_iter()
        .map(|lang| {
            let tr = Tr {
                lang,
                digits: if lang == Lang::Ar {
                    digits
                } else {
                    Digits::Western
                },
            };
            statement::write(&facts, tr)
        })
        .collect();
    let text = plain_text(&statements);
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let codes: Vec<&str> = request.posts.iter().map(|p| p.code.as_str()).collect();
    let details = Details::new()
        .fact("as_of", request.as_of.to_string())
        .fact("posts", codes.join(" "))
        .fact("lang", request.languages.code())
        .fact("digits", digits.code())
        .fact("as_of_seq", stamp.seq)
        .fact("sha256", sha256.clone());
    let entry = Entry {
        action: Action::ReportSituation,
        entity: "report",
        entity_id: "situation".to_owned(),
        post: None,
        details,
    };
    let recorded_seq = audit::record_event(conn, actor, now, entry)?;
    Ok(Generated {
        statements,
        stamp,
        text,
        sha256,
        recorded_seq,
        at: now,
    })
}

/// The statements as one plain text, languages separated by a blank line: what is hashed,
/// and what `situation.txt` sends.
pub fn plain_text(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(Statement::plain)
        .collect::<Vec<_>>()
        .join("\n")
}
