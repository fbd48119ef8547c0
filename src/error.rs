//! One error type for handlers: a plain page for the person, the whole story for the log.
//!
//! Layers: database functions return diesel's `QueryResult`; domain parsing returns its own
//! field errors (shown beside the field, never through this type); handlers return
//! [`AppResult`]. Anything unexpected becomes [`AppError::Internal`] with a short context saying
//! what we were doing, and is answered with a 500 page that shows only a reference id. The same
//! id is logged with the full cause chain, so a person can quote it and an operator can find it.

use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use rand::Rng;

use crate::views::errors::PendingErrorPage;

/// The result type of every handler.
pub type AppResult<T> = Result<T, AppError>;

/// What went wrong, as far as the person at the browser needs to know.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record, or one outside the user's posts (both answer the same, DESIGN.md §4).
    #[error("not found")]
    NotFound,
    /// Not signed in: answered with a redirect to the sign-in page, coming back to `next`.
    #[error("sign-in required")]
    SignInRequired {
        /// The local path to return to after signing in.
        next: String,
    },
    /// Signed in, but the role must have a second factor and has none yet: answered with a
    /// redirect to the enrolment page.
    #[error("second factor required")]
    SecondFactorRequired,
    /// Signed in, but the role does not allow this action.
    #[error("forbidden")]
    Forbidden,
    /// A change refused for reasons the person can fix; handlers re-show their form with these
    /// messages (this variant only reaches the browser as a plain 422 if a handler forgot).
    #[error("invalid input")]
    Invalid(crate::domain::FieldErrors),
    /// The request could not be understood at all (a malformed form or query string).
    #[error("unprocessable request: {0}")]
    Unprocessable(String),
    /// A fault on our side; never shown beyond a reference id.
    #[error("{context}")]
    Internal {
        /// What we were doing, e.g. "checking the database".
        context: &'static str,
        /// The underlying error, logged with its whole chain.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    /// Wraps an unexpected error with what we were doing when it happened.
    pub fn internal(
        context: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Internal {
            context,
            source: source.into(),
        }
    }
}

/// Adds context to any error on its way to becoming an [`AppError::Internal`].
pub trait Context<T> {
    /// Marks the error as internal, saying what we were doing.
    fn context(self, context: &'static str) -> AppResult<T>;
}

impl<T, E> Context<T> for Result<T, E>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn context(self, context: &'static str) -> AppResult<T> {
        self.map_err(|e| AppError::internal(context, e))
    }
}

/// `context: cause: cause of cause …`, for the log.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut current = error.source();
    while let Some(cause) = current {
        let _ = write!(out, ": {cause}");
        current = cause.source();
    }
    out
}

/// `why` with every quoted stretch (between backticks or double quotes) replaced by `…`: the
/// parsers' messages quote what was sent ("unknown variant `Hussein`", "invalid type: string
/// \"Hussein\""), and what was sent is a person's data, which never goes to the log.
pub fn without_values(why: &str) -> String {
    let mut out = String::with_capacity(why.len());
    let mut chars = why.chars();
    while let Some(c) = chars.next() {
        if c != '`' && c != '"' {
            out.push(c);
            continue;
        }
        out.push(c);
        out.push('…');
        // Skip to the matching close; a backslash escapes the next character in a Debug string.
        let mut closed = false;
        while let Some(inner) = chars.next() {
            if inner == '\\' && c == '"' {
                chars.next();
            } else if inner == c {
                closed = true;
                break;
            }
        }
        if closed {
            out.push(c);
        }
    }
    out
}

/// A short id a person can read out over the phone: 8 characters, no look-alikes.
pub fn new_reference() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

impl AppError {
    /// The response for this error (as `ResponseError` gives it).
    pub fn into_response(self) -> HttpResponse {
        self.error_response()
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignInRequired { .. } | Self::SecondFactorRequired => StatusCode::SEE_OTHER,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Unprocessable(_) | Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let reference = match self {
            Self::SignInRequired { next } => {
                let location = if next == "/" {
                    "/login".to_owned()
                } else {
                    let encoded: String =
                        url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
                    format!("/login?next={encoded}")
                };
                return HttpResponse::SeeOther()
                    .insert_header((actix_web::http::header::LOCATION, location))
                    .finish();
            }
            Self::SecondFactorRequired => {
                return HttpResponse::SeeOther()
                    .insert_header((actix_web::http::header::LOCATION, "/account/two-factor"))
                    .finish();
            }
            Self::NotFound | Self::Forbidden | Self::Invalid(_) => None,
            Self::Unprocessable(why) => {
                tracing::info!(reason = %without_values(why), "unprocessable request");
                None
            }
            Self::Internal { .. } => {
                let reference = new_reference();
                tracing::error!(reference = %reference, error = %error_chain(self), "internal error");
                Some(reference)
            }
        };
        // The page itself is rendered by `views::errors::localize`, which knows the language.
        PendingErrorPage::response(self.status_code(), reference)
    }
}

/// Database errors reaching a handler: a missing row is a 404; anything else is internal.
impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        match error {
            diesel::result::Error::NotFound => Self::NotFound,
            other => Self::internal("querying the database", other),
        }
    }
}

/// An audited write that failed for a reason other than the database: an internal error.
impl crate::db::TxError for AppError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Internal { source, .. }
            if source.downcast_ref::<diesel::result::Error>().is_some_and(crate::db::TxError::retryable))
    }
}

/// A service's refusal as the answer every handler gives it, unless it answers it itself (a form
/// re-shown with its messages, say).
impl From<crate::services::Refused> for AppError {
    fn from(refused: crate::services::Refused) -> Self {
        use crate::services::Refused;
        match refused {
            Refused::NotFound => Self::NotFound,
            Refused::Forbidden(_) => Self::Forbidden,
            Refused::Invalid(errors) => Self::Invalid(errors),
            Refused::Storage(e) => e.into(),
        }
    }
}

impl From<crate::audit::AuditError> for AppError {
    fn from(error: crate::audit::AuditError) -> Self {
        match error {
            crate::audit::AuditError::Database(e) => e.into(),
            other => Self::internal("writing the audit entry", other),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};

    use actix_web::body::to_bytes;

    use super::*;

    /// Collects what the log subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    async fn body_of(response: HttpResponse) -> String {
        String::from_utf8(to_bytes(response.into_body()).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn an_internal_error_shows_a_reference_and_logs_the_whole_chain_under_it() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let inner = io::Error::other("disk full at /var/lib/repatrack");
        let error = AppError::internal("saving the event", inner);
        let response = tracing::subscriber::with_default(subscriber, || error.error_response());

        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let pending = response
            .extensions()
            .get::<PendingErrorPage>()
            .cloned()
            .unwrap();
        let reference = pending.reference.unwrap();
        assert_eq!(reference.len(), 8);
        let body = body_of(response).await;
        assert_eq!(body, format!("Error 500 (reference {reference})"));
        assert!(
            !body.contains("disk full"),
            "nothing internal reaches the browser"
        );

        let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(
            logged.contains(&format!("reference={reference}")),
            "{logged}"
        );
        assert!(
            logged.contains("saving the event: disk full at /var/lib/repatrack"),
            "{logged}"
        );
    }

    #[tokio::test]
    async fn forbidden_and_unprocessable_ask_for_their_pages_without_details() {
        let response = AppError::Forbidden.error_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            response
                .extensions()
                .get::<PendingErrorPage>()
                .map(|p| p.status),
            Some(403)
        );
        let response = AppError::Unprocessable("expected an integer".into()).error_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            !body_of(response).await.contains("expected an integer"),
            "parser details stay in the log"
        );
    }

    #[test]
    fn sign_in_required_redirects_with_the_page_to_return_to() {
        let response = AppError::SignInRequired {
            next: "/posts?x=1".into(),
        }
        .error_response();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get("location").unwrap(),
            "/login?next=%2Fposts%3Fx%3D1"
        );
    }

    #[test]
    fn an_unprocessable_reason_is_logged_without_what_was_sent() {
        assert_eq!(
            without_values(
                "Query deserialize error: unknown variant `Hussein`, expected `a` or `b`"
            ),
            "Query deserialize error: unknown variant `…`, expected `…` or `…`"
        );
        assert_eq!(
            without_values(r#"invalid type: string "Hus\"sein", expected i64"#),
            r#"invalid type: string "…", expected i64"#
        );
        assert_eq!(without_values("missing field `q"), "missing field `…");
        assert_eq!(
            without_values("invalid digit found in string"),
            "invalid digit found in string"
        );
    }

    #[test]
    fn references_avoid_look_alike_characters() {
        for _ in 0..200 {
            let reference = new_reference();
            assert_eq!(reference.len(), 8);
            assert!(
                !reference.contains(['0', 'O', '1', 'I', 'L', 'U']),
                "{reference}"
            );
        }
    }

    #[test]
    fn a_missing_row_is_a_404_and_other_database_errors_are_internal() {
        assert!(matches!(
            AppError::from(diesel::result::Error::NotFound),
            AppError::NotFound
        ));
        assert!(matches!(
            AppError::from(diesel::result::Error::BrokenTransactionManager),
            AppError::Internal { .. }
        ));
    }
}
