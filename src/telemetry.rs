//! Logging: `RUST_LOG` filters (default `info`); one line per finished request.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

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
