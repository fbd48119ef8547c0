//! The sign-in page.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::Layout;
use crate::auth::resume::Resume;
use crate::auth::{csrf, session};
use crate::i18n::Tr;

/// `GET /login`, and the form re-shown after a failed try.
#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    /// The frame (carrying the anonymous CSRF token).
    pub layout: Layout,
    /// The user name as typed (the password is never re-shown).
    pub username: String,
    /// Where to go after signing in.
    pub next: String,
    /// Why the last try failed, in the page's language.
    pub message: Option<String>,
    /// A submission kept while the person signs in again (their session ended).
    pub resume: Option<Resume>,
}

/// After signing in again: what was being sent, to send it now with the new session.
#[derive(Template)]
#[template(path = "auth/resume.html")]
pub struct ResumePage {
    /// The frame (the new session's CSRF token).
    pub layout: Layout,
    /// What was being sent.
    pub resume: Resume,
    /// The message id saying why it is shown (the session ended, or the form came from an
    /// earlier sign-in).
    pub intro: &'static str,
}

impl ResumePage {
    /// A field's label in the page's language, or its name.
    pub fn label(&self, field: &str) -> String {
        let key = format!("field-{}", field.replace('_', "-"));
        if self.layout.tr.has(&key) {
            self.layout.t(&key)
        } else {
            field.to_owned()
        }
    }

    /// The fields a person reads (not the form's bookkeeping).
    pub fn shown(&self) -> Vec<(String, String)> {
        self.resume
            .fields()
            .into_iter()
            .filter(|(k, v)| {
                !v.is_empty() && !matches!(k.as_str(), "form_key" | "version" | "back")
            })
            .collect()
    }
}

impl LoginPage {
    /// Renders with `status`.
    pub fn into_response(self, status: StatusCode) -> HttpResponse {
        super::render(&self, status)
    }
}

impl ResumePage {
    /// Renders with `status`.
    pub fn into_response(self, status: StatusCode) -> HttpResponse {
        super::render(&self, status)
    }
}

/// The sign-in page for `req`, giving the browser an anonymous CSRF token if it has none; with
/// the last try's `message` and a kept submission, if any.
pub fn sign_in_response(
    req: &actix_web::HttpRequest,
    cookie_secure: bool,
    (username, next): (String, String),
    message: Option<String>,
    resume: Option<Resume>,
    status: StatusCode,
) -> HttpResponse {
    let (token, is_new) = match csrf::anonymous_token(req) {
        Some(token) => (token, false),
        None => (session::new_token(), true),
    };
    let layout = Layout::anonymous(Tr::for_request(req)).with_csrf(&token);
    let mut response = LoginPage {
        layout,
        username,
        next,
        message,
        resume,
    }
    .into_response(status);
    if is_new {
        let _ = response.add_cookie(&csrf::anonymous_cookie(token, cookie_secure));
    }
    response
}

/// The second step of signing in: the code from the authenticator app, or a recovery code.
#[derive(Template)]
#[template(path = "auth/second_factor.html")]
pub struct SecondStepPage {
    /// The frame (carrying the anonymous CSRF token: the person is not signed in yet).
    pub layout: Layout,
    /// Where to go after signing in.
    pub next: String,
    /// Why the last try failed, in the person's language (shown beside the field).
    pub message: Option<String>,
}

/// The second step's page for a pending sign-in, in the person's own language, giving the
/// browser an anonymous CSRF token if it has none.
pub fn second_step_response(
    req: &actix_web::HttpRequest,
    cookie_secure: bool,
    pending: &crate::auth::PendingSignIn,
    next: String,
    message: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let (token, is_new) = match csrf::anonymous_token(req) {
        Some(token) => (token, false),
        None => (session::new_token(), true),
    };
    let tr = Tr {
        lang: pending.language,
        digits: pending.digits,
    };
    let layout = Layout::anonymous(tr).with_csrf(&token);
    let mut response = super::render(
        &SecondStepPage {
            layout,
            next,
            message,
        },
        status,
    );
    if is_new {
        let _ = response.add_cookie(&csrf::anonymous_cookie(token, cookie_secure));
    }
    response
}
