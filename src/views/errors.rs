//! Error pages, rendered inside the layout in the visitor's language.
//!
//! `AppError` builds its response without seeing the request, so it leaves a [`PendingErrorPage`]
//! in the response; [`localize`], a middleware that knows who is asking, renders the page.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;

use super::Layout;
use super::layout::Section;
use crate::auth::Identity;
use crate::auth::resume::{PendingResend, PendingSignIn};
use crate::i18n::Tr;

/// Which error page a response should show.
#[derive(Debug, Clone)]
pub struct PendingErrorPage {
    /// 403, 404, 422 or 500.
    pub status: u16,
    /// The 500's reference id.
    pub reference: Option<String>,
}

impl PendingErrorPage {
    /// A response that [`localize`] turns into the page; its own body is a plain fallback.
    pub fn response(status: StatusCode, reference: Option<String>) -> HttpResponse {
        let fallback = match &reference {
            Some(r) => format!("Error {} (reference {r})", status.as_u16()),
            None => format!("Error {}", status.as_u16()),
        };
        let mut response = HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(fallback);
        response.extensions_mut().insert(Self {
            status: status.as_u16(),
            reference,
        });
        response
    }
}

/// The page shown for 403, 404, 422 and 500.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    layout: Layout,
    status: u16,
    reference: Option<String>,
}

impl ErrorPage {
    /// The title's message key.
    pub fn title_key(&self) -> String {
        format!("error-{}-title", self.status)
    }

    /// The explanation's message key.
    pub fn message_key(&self) -> String {
        format!("error-{}-message", self.status)
    }

    /// The status as text, for the "Error 404" line.
    pub fn status_text(&self) -> String {
        self.status.to_string()
    }
}

/// Middleware: renders any [`PendingErrorPage`] in the language of whoever asked, inside the
/// layout they would see (navigation included when signed in).
pub async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let response = next.call(req).await?.map_into_boxed_body();
    let kept = response
        .response()
        .extensions()
        .get::<PendingSignIn>()
        .cloned();
    if let Some(PendingSignIn(resume)) = kept {
        let (request, _) = response.into_parts();
        let secure = request
            .app_data::<actix_web::web::Data<crate::state::AppState>>()
            .is_none_or(|s| s.settings.cookie_secure);
        let tr = Tr::for_request(&request);
        let page = super::auth::sign_in_response(
            &request,
            secure,
            (String::new(), "/".to_owned()),
            Some(tr.t("login-session-ended")),
            Some(resume),
            StatusCode::UNAUTHORIZED,
        );
        return Ok(ServiceResponse::new(request, page));
    }
    let resend = response
        .response()
        .extensions()
        .get::<PendingResend>()
        .cloned();
    if let Some(PendingResend(resume)) = resend {
        let (request, old) = response.into_parts();
        let Some(identity) = request.extensions().get::<Identity>().cloned() else {
            return Ok(ServiceResponse::new(request, old));
        };
        let page = super::auth::ResumePage {
            layout: Layout::for_user(&identity, Section::Other),
            resume,
            intro: "resume-intro-other-sign-in",
        }
        .into_response(StatusCode::FORBIDDEN);
        return Ok(ServiceResponse::new(request, page));
    }
    let Some(pending) = response
        .response()
        .extensions()
        .get::<PendingErrorPage>()
        .cloned()
    else {
        return Ok(response);
    };
    let (request, old) = response.into_parts();
    let layout = match request.extensions().get::<Identity>() {
        Some(identity) => Layout::for_user(identity, Section::Other),
        None => Layout::anonymous(Tr::for_request(&request)),
    };
    let page = ErrorPage {
        layout,
        status: pending.status,
        reference: pending.reference,
    };
    let Ok(html) = page.render() else {
        return Ok(ServiceResponse::new(request, old));
    };
    let mut new = HttpResponse::build(old.status());
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.append_header((name.clone(), value.clone()));
        }
    }
    let new = new.content_type("text/html; charset=utf-8").body(html);
    Ok(ServiceResponse::new(request, new))
}
