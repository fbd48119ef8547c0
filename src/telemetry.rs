//! Logging: `RUST_LOG` filters (default `info`); one line per finished request.
//!
//! A request's line names its path, never its query string: queries carry what people type
//! into searches and filters (names, document numbers), and a log is kept, copied and read far
//! more widely than the database. See [`PathOnlySpan`].

use actix_web::ResponseError;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{HttpMessage as _, web};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use crate::state::AppState;

/// Installs the global subscriber. A bad `RUST_LOG` is reported, not fatal: logging falls back
/// to `info` so the operator still sees why.
pub fn init() {
    let (filter, bad) = match std::env::var("RUST_LOG") {
        Ok(raw) => match EnvFilter::try_new(&raw) {
            Ok(filter) => (filter, None),
            Err(e) => (
                EnvFilter::new("info"),
                Some(format!("RUST_LOG '{raw}' ignored: {e}")),
            ),
        },
        Err(_) => (EnvFilter::new("info"), None),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        // Logs go to standard error: standard output is for command output (exports).
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    if let Some(message) = bad {
        tracing::warn!("{message}");
    }
}

/// The span of one request, printed as its log line when it closes. Unlike
/// tracing-actix-web's default it records the path alone (`http.target`), never the query
/// string; the client address by the application's own rule (`TRUST_X_FORWARDED_FOR`), not
/// from any forwarding header; and an error's message only for a fault on our side (5xx), whose
/// text is the application's own context ("saving the event"), never a parser's echo of what
/// was sent.
pub struct PathOnlySpan;

impl RootSpanBuilder for PathOnlySpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "default".to_owned());
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let trust_forwarded_for = request
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.settings.trust_forwarded_for);
        let client_ip = crate::auth::client_ip(request.request(), trust_forwarded_for);
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.flavor = ?request.version(),
            http.target = %request.path(),
            http.client_ip = %client_ip,
            http.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let (status, error): (StatusCode, Option<&dyn ResponseError>) = match outcome {
            Ok(response) => (
                response.status(),
                response.response().error().map(|e| e.as_response_error()),
            ),
            Err(error) => {
                let error = error.as_response_error();
                (error.status_code(), Some(error))
            }
        };
        span.record("http.status_code", status.as_u16());
        if let Some(error) = error
            && status.is_server_error()
        {
            span.record("exception.message", tracing::field::display(error));
        }
    }
}
