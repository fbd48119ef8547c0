//! Headers every response carries. The Content-Security-Policy forbids inline script and style,
//! so templates keep all style in `static/css` and any script in `static/js`.

use actix_web::middleware::DefaultHeaders;

/// The policy: only our own origin, no inline code, no framing, no `<base>`, forms post home.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The middleware that adds them (it leaves a header a handler set itself alone).
pub fn middleware() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}
