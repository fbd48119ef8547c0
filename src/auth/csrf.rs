//! Cross-site request forgery: every state-changing request must carry `csrf_token`, and a
//! browser that says the request came from another site is refused outright.
//!
//! Checked in one middleware for every POST, so no handler can forget it. Signed in, the token
//! is the session's; before sign-in (the login form) it is a random value in its own cookie that
//! the form repeats (the double-submit pattern).

use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest};
use subtle::ConstantTimeEq;

use super::Identity;
use crate::error::AppError;

/// The anonymous (pre-sign-in) CSRF cookie.
pub const CSRF_COOKIE: &str = "repatrack_csrf";
/// The form field every POST carries.
pub const CSRF_FIELD: &str = "csrf_token";

/// The anonymous token of this browser, if it has one.
pub fn anonymous_token(req: &HttpRequest) -> Option<String> {
    req.cookie(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64)
}

/// The cookie holding a new anonymous token.
pub fn anonymous_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish()
}

/// Whether the browser's own headers say this request came from another site. The `Origin` is
/// compared with the configured `PUBLIC_ORIGIN`, else with the `Host` the request was sent to —
/// never with `X-Forwarded-Host` or `Forwarded`, which any client can send.
fn cross_site(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a request the user started (bookmark, typed address).
        if site != "same-origin" && site != "none" {
            return true;
        }
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let configured = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .and_then(|s| s.settings.public_origin.clone());
    match configured {
        Some(public) => crate::config::parse_origin(origin).as_deref() != Some(public.as_str()),
        None => {
            let host = super::request_host(headers, req.uri());
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            // "null" (privacy-sensitive contexts) or any other host is not us.
            !origin_host.eq_ignore_ascii_case(&host)
        }
    }
}

/// A page's copy of `token`: a fresh random pad and the token XOR the pad, hex. It differs on every
/// page, so a compressed page that also reflects what a visitor typed cannot leak the token a
/// byte at a time by its size (BREACH); [`unmask`] recovers the token.
pub fn masked(token: &str) -> String {
    use rand::RngCore;
    let mut pad = vec![0u8; token.len()];
    rand::rng().fill_bytes(&mut pad);
    let mixed: Vec<u8> = token.bytes().zip(&pad).map(|(t, p)| t ^ p).collect();
    format!("{}{}", hex::encode(&pad), hex::encode(mixed))
}

/// The token inside a masked copy; a bare token (64 hex characters) is taken as it is.
fn unmask(given: &str) -> Option<String> {
    if given.len() == 64 {
        return Some(given.to_owned());
    }
    let bytes = hex::decode(given).ok()?;
    if bytes.len() != 128 {
        return None;
    }
    let (pad, mixed) = bytes.split_at(64);
    String::from_utf8(mixed.iter().zip(pad).map(|(m, p)| m ^ p).collect()).ok()
}

/// The value of `csrf_token` in a URL-encoded body, or in a `multipart/form-data` one (a file
/// upload), whose boundary `content_type` names.
fn token_in_body(body: &[u8], content_type: &str) -> Option<String> {
    match multipart_boundary(content_type) {
        Some(boundary) => token_in_multipart(body, &boundary),
        None => url::form_urlencoded::parse(body)
            .find(|(key, _)| key == CSRF_FIELD)
            .map(|(_, value)| value.into_owned()),
    }
}

/// Whether a URL-encoded body holds, in any name or value, a control character other than tab,
/// line feed and carriage return (which text areas send).
fn holds_unstorable(body: &[u8]) -> bool {
    let unstorable = |text: &str| {
        text.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    url::form_urlencoded::parse(body).any(|(name, value)| unstorable(&name) || unstorable(&value))
}

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (name, value) = p.split_once('=')?;
        (name.trim().eq_ignore_ascii_case("boundary"))
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The `csrf_token` part of a multipart body: the part whose headers name it, up to the next
/// boundary. The page puts that field before the file, so it is found near the start.
fn token_in_multipart(body: &[u8], boundary: &str) -> Option<String> {
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    text.split(delimiter.as_str()).find_map(|part| {
        let (headers, value) = part.split_once("\r\n\r\n")?;
        let named = headers.lines().any(|line| {
            line.to_ascii_lowercase()
                .starts_with("content-disposition:")
                && line.contains(&format!("name=\"{CSRF_FIELD}\""))
        });
        named.then(|| value.trim_end_matches("\r\n").to_owned())
    })
}

/// The most a form body may weigh: a file upload (multipart) up to [`UPLOAD_LIMIT`], anything
/// else 256 KB (actix's default).
const FORM_LIMIT: usize = 256 * 1024;
/// The most a file upload's body may weigh: the 5 MB a received list may be, with room for the
/// form around it, so a larger file is answered beside the field rather than cut off here.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

/// Reads the whole body up to `limit` bytes; `None` beyond it (or if it breaks off).
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Option<Bytes> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.ok()?;
        if body.len() + chunk.len() > limit {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body.freeze())
}

fn refuse<B>(req: ServiceRequest, error: &AppError) -> ServiceResponse<EitherBody<B>> {
    req.into_response(error.error_response())
        .map_into_right_body()
}

/// Refuses with 403 and records the refusal in the audit trail.
async fn refuse_and_record<B>(
    req: ServiceRequest,
    reason: &'static str,
) -> ServiceResponse<EitherBody<B>> {
    let state = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .cloned();
    if let Some(state) = state {
        let actor = crate::audit::actor_of(req.request());
        super::denied::record(
            &state,
            actor,
            req.method().to_string(),
            req.path().to_owned(),
            reason,
        )
        .await;
    }
    refuse(req, &AppError::Forbidden)
}

/// Middleware: refuses (403, nothing changed) any non-GET request without the right token.
pub async fn protect<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    if cross_site(&req) {
        tracing::warn!(path = %req.path(), "cross-site POST refused");
        return Ok(refuse_and_record(req, "cross-site").await);
    }
    let expected = match req.extensions().get::<Identity>() {
        Some(identity) => Some(identity.csrf_token.clone()),
        None => anonymous_token(req.request()),
    };
    // A larger or broken body is answered here, as a response, so the security headers still
    // apply.
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let limit = if multipart_boundary(&content_type).is_some() {
        UPLOAD_LIMIT
    } else {
        FORM_LIMIT
    };
    let Some(body) = read_body(&mut req, limit).await else {
        return Ok(req
            .into_response(
                actix_web::HttpResponse::PayloadTooLarge()
                    .content_type("text/plain; charset=utf-8")
                    .body("This request is too large."),
            )
            .map_into_right_body());
    };
    let given = token_in_body(&body, &content_type).and_then(|g| unmask(&g));
    let signed_in = expected.is_some() && req.extensions().get::<Identity>().is_some();
    let valid = match (expected, given) {
        (Some(expected), Some(given)) => bool::from(expected.as_bytes().ct_eq(given.as_bytes())),
        _ => false,
    };
    if !valid && !signed_in && req.path() == "/logout" {
        // Signing out of a session that already ended: nothing to protect, just go to sign-in.
        let response = actix_web::HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/login"))
            .finish();
        return Ok(req.into_response(response).map_into_right_body());
    }
    let ended = req
        .extensions()
        .get::<super::resume::SessionEnded>()
        .is_some();
    if !valid
        && ended
        && !matches!(req.path(), "/login" | "/language")
        && let Some(resume) = super::resume::Resume::from_submission(req.path(), &body)
    {
        // The session ended while the form was open: nothing happens, and the sign-in page
        // (rendered in the visitor's language by `views::errors::localize`) keeps what was sent.
        let mut response = actix_web::HttpResponse::Unauthorized()
            .content_type("text/plain; charset=utf-8")
            .body("Your session ended; sign in again.");
        response
            .extensions_mut()
            .insert(super::resume::PendingSignIn(resume));
        return Ok(req.into_response(response).map_into_right_body());
    }
    if !valid
        && signed_in
        && !matches!(req.path(), "/login" | "/language" | "/logout")
        && let Some(resume) = super::resume::Resume::from_submission(req.path(), &body)
    {
        // Signed in, but the form came from an earlier sign-in (another window, a page kept
        // open): refused and recorded like any bad token, yet what was typed is offered back,
        // to be sent with this session's token on one press — never carried out unasked.
        tracing::warn!(path = %req.path(), "POST with another session's token kept for resending");
        let refused = refuse_and_record::<B>(req, "csrf").await;
        let (request, mut response) = refused.into_parts();
        response
            .extensions_mut()
            .insert(super::resume::PendingResend(resume));
        return Ok(ServiceResponse::new(request, response));
    }
    if !valid {
        tracing::warn!(path = %req.path(), "POST without a valid CSRF token refused");
        return Ok(refuse_and_record(req, "csrf").await);
    }
    if multipart_boundary(&content_type).is_none()
        && req.path() != "/login"
        && holds_unstorable(&body)
    {
        // A NUL or another control character cannot be typed into a form, and PostgreSQL
        // cannot store a NUL in text: refused before any handler, nothing written. (Sign-in
        // stores nothing typed and answers odd bytes in a name as a plain miss, throttled.)
        tracing::warn!(path = %req.path(), "POST with control characters refused");
        return Ok(req
            .into_response(
                actix_web::HttpResponse::UnprocessableEntity()
                    .content_type("text/plain; charset=utf-8")
                    .body("This form holds control characters that cannot be stored; nothing was saved."),
            )
            .map_into_right_body());
    }
    // Put the body back for the handler's form extractor.
    req.set_payload(Payload::from(body));
    Ok(next.call(req).await?.map_into_left_body())
}

#[cfg(test)]
mod multipart_tests {
    use super::*;

    #[test]
    fn control_characters_but_tabs_and_line_breaks_are_unstorable() {
        assert!(holds_unstorable(b"title=a%00b"));
        assert!(holds_unstorable(b"a%01=1"));
        assert!(holds_unstorable(b"notes=%7F"));
        assert!(!holds_unstorable(
            b"notes=line%0D%0Anext%09tab&title=%D8%B9"
        ));
    }

    #[test]
    fn the_token_is_read_from_a_multipart_body() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\nname\r\nHussein\r\n--XyZ--\r\n";
        let content_type = "multipart/form-data; boundary=XyZ";
        assert_eq!(
            token_in_body(body.as_bytes(), content_type).as_deref(),
            Some("abc123")
        );
        assert_eq!(
            token_in_body(b"csrf_token=abc&x=1", "application/x-www-form-urlencoded").as_deref(),
            Some("abc")
        );
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"a b\""),
            Some("a b".to_owned())
        );
        assert_eq!(multipart_boundary("text/plain"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_differs_every_time_and_unmasks_to_the_token() {
        let token = "ab".repeat(32);
        let (one, two) = (masked(&token), masked(&token));
        assert_ne!(one, two);
        assert_eq!(one.len(), 256);
        assert_eq!(unmask(&one).as_deref(), Some(token.as_str()));
        assert_eq!(unmask(&two).as_deref(), Some(token.as_str()));
        assert_eq!(
            unmask(&token).as_deref(),
            Some(token.as_str()),
            "a bare token is taken"
        );
        assert_eq!(unmask("zz"), None);
    }

    #[test]
    fn the_token_is_found_among_other_fields() {
        assert_eq!(
            token_in_body(
                b"a=1&csrf_token=abc%20d&b=2",
                "application/x-www-form-urlencoded"
            )
            .as_deref(),
            Some("abc d")
        );
        assert_eq!(
            token_in_body(b"a=1", "application/x-www-form-urlencoded"),
            None
        );
    }
}
