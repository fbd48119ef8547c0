//! Headers every response carries, error responses included. The Content-Security-Policy
//! forbids inline script and style, so templates keep all style in `static/css` and any script
//! in `static/js`. Pages and exports (people's names, events) are `no-store`: nothing of them is
//! kept in a shared or browser cache; static files set their own year-long caching. Over HTTPS
//! (`COOKIE_SECURE=1`) browsers are told to use nothing else (HSTS).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The policy: only our own origin, no inline code, no framing, no `<base>`, forms post home.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Browser features no page of repatrack uses, refused to the page and anything it embeds.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), \
     display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), \
     midi=(), payment=(), usb=(), xr-spatial-tracking=()";

/// HTTPS only, for a year, subdomains included (sent only when the cookie is `Secure`).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

const HEADERS: [(&str, &str); 7] = [
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", PERMISSIONS_POLICY),
    ("cache-control", "no-store"),
];

/// The headers added to a response that lacks them; HSTS only over HTTPS (`secure`).
pub fn headers(secure: bool) -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<_> = HEADERS.to_vec();
    if secure {
        all.push(("strict-transport-security", STRICT_TRANSPORT_SECURITY));
    }
    all
}

/// The outermost middleware: adds the headers a handler did not set. An `Err` passing through
/// here would skip them, so the middlewares inside answer refusals as responses, never as
/// errors (handlers' errors are turned into responses by actix itself).
pub async fn apply(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let secure = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.cookie_secure);
    let mut response = next.call(req).await?.map_into_boxed_body();
    let present = response.headers_mut();
    for (name, value) in headers(secure) {
        let name = HeaderName::from_static(name);
        if !present.contains_key(&name) {
            present.insert(name, HeaderValue::from_static(value));
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_over_https_and_every_page_unstored() {
        let plain = headers(false);
        assert!(plain.contains(&("cache-control", "no-store")));
        assert!(plain.iter().any(|(n, _)| *n == "permissions-policy"));
        assert!(!plain.iter().any(|(n, _)| *n == "strict-transport-security"));
        assert!(headers(true).contains(&("strict-transport-security", STRICT_TRANSPORT_SECURITY)));
    }
}
