//! Who is asking, and what they may do: passwords, server-side sessions, CSRF, the route access
//! table's checks, and the extractors handlers name in their signatures.

pub mod access;
pub mod csrf;
pub mod denied;
pub mod identity;
pub mod notice;
pub mod password;
pub mod resume;
pub mod second_factor;
pub mod session;
pub mod throttle;

pub use access::{
    Access, Admins, CurrentUser, EnrollingUser, Policy, RequireRole, Reviewers, Supervisors,
    Writers,
};
pub use identity::{Identity, PendingSignIn};

/// The host a request was sent to: its `Host` header (HTTP/1.1) or its authority (HTTP/2) —
/// never `X-Forwarded-Host` or `Forwarded`, which any client can send. Used wherever "is this
/// our own site" is asked (the CSRF origin check, the language switch's way back).
pub fn request_host(
    headers: &actix_web::http::header::HeaderMap,
    uri: &actix_web::http::Uri,
) -> String {
    headers
        .get(actix_web::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.as_str().to_owned()))
        .unwrap_or_default()
}

/// The client's address: the TCP peer, or, when the operator says a trusted load balancer sets
/// it (`TRUST_X_FORWARDED_FOR=1`), the last `X-Forwarded-For` entry — the one that load
/// balancer appended. Earlier entries come from the client and can say anything.
pub fn client_ip(req: &actix_web::HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(last) = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
            .last()
    {
        return last.to_owned();
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |addr| addr.ip().to_string())
}

/// The browser's `User-Agent`, shortened for storage.
pub fn user_agent(req: &actix_web::HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(300)
        .collect()
}

/// Whether `next` is a path on this site that is safe to return to after sign-in (not another
/// host, not a protocol-relative `//host`, not the sign-in pages themselves).
pub fn safe_next(next: &str) -> Option<&str> {
    // Only visible ASCII: browsers drop tabs and newlines from URLs, so "/\t/evil" would
    // become "//evil"; and no backslash anywhere, which some browsers read as "/".
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
        && !next.starts_with("/login")
        && !next.starts_with("/logout");
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::{client_ip, safe_next};

    #[test]
    fn the_client_address_is_the_peer_or_the_hop_our_balancer_appended() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.9:4000".parse().unwrap())
            .insert_header(("x-forwarded-for", "6.6.6.6, 203.0.113.7"))
            .to_http_request();
        assert_eq!(client_ip(&req, false), "10.0.0.9");
        assert_eq!(
            client_ip(&req, true),
            "203.0.113.7",
            "the first entry is the client's own claim"
        );
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next("/posts/QAIM?x=1"), Some("/posts/QAIM?x=1"));
        assert_eq!(safe_next("//evil.example/"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("https://evil.example/"), None);
        assert_eq!(safe_next("/login"), None);
        assert_eq!(safe_next("/\t/evil.example"), None);
        assert_eq!(safe_next("/a\\b"), None);
        assert_eq!(safe_next("/\u{7f}"), None);
        assert_eq!(safe_next(""), None);
    }
}
