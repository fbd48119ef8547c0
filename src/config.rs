//! One typed configuration, read from the environment and validated at start.
//!
//! Each key is documented once, here and in the README's configuration table. A bad value stops
//! the start with a one-line message that names the variable and says why.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::db::encryption::DatabaseKey;

/// Where the data lives. The backend is chosen from the URL's scheme here, never guessed by a
/// library: a typo must not silently become a new SQLite file named after a PostgreSQL URL.
#[derive(Clone)]
pub enum DatabaseUrl {
    /// An SQLite database file (the embedded default).
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL; it may hold a password, so it is never printed as is.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `DATABASE_URL`: a file path, `sqlite://PATH`, or `postgres://…`/`postgresql://…`.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("is empty; give a file path or a postgres:// URL".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let url =
                url::Url::parse(raw).map_err(|e| format!("is not a valid PostgreSQL URL ({e})"))?;
            if url.host_str().is_none_or(str::is_empty) {
                return Err("names no host; write postgres://USER@HOST:PORT/DATABASE".into());
            }
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let path = match raw.strip_prefix("sqlite://") {
            Some(rest) => rest,
            None if raw.contains("://") => {
                let scheme = raw.split("://").next().unwrap_or_default();
                return Err(format!(
                    "has unsupported scheme '{scheme}'; use a file path, sqlite://PATH or postgres://…"
                ));
            }
            None => raw,
        };
        if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
            return Err(format!(
                "'{path}' is not a database file; an in-memory database would lose every record"
            ));
        }
        let path = PathBuf::from(path);
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(format!("directory '{}' does not exist", parent.display()));
        }
        if path.is_dir() {
            return Err(format!(
                "'{}' is a directory, not a database file",
                path.display()
            ));
        }
        Ok(Self::Sqlite(path))
    }

    /// The backend's name as used in logs and tests: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Shows the URL with any password replaced by `***`, safe for logs.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite:{}", path.display()),
            Self::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        // Cannot fail for a URL with a host, which parse() required.
                        let _ = url.set_password(Some("***"));
                    }
                    write!(f, "{url}")
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

/// Never print a secret by accident, not even with `{:?}`.
impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// The validated settings of one running instance.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`: where the data lives (default `repatrack.db` in the working directory).
    pub database: DatabaseUrl,
    /// `REPATRACK_DB_KEY`, or the contents of the file named by `REPATRACK_DB_KEY_FILE`: the
    /// SQLCipher key of the SQLite file (64 hex characters for a raw key, or a passphrase of at
    /// least 12 characters). Unset: the file is not encrypted. Refused with PostgreSQL, which
    /// encrypts its storage by its own means.
    pub database_key: Option<DatabaseKey>,
    /// `BIND`: the address to listen on (default `127.0.0.1:8080`).
    pub bind: SocketAddr,
    /// `COOKIE_SECURE`: mark the session cookie `Secure` (HTTPS only). Default: on, unless the
    /// app is bound to a loopback address, where plain HTTP is the normal local set-up.
    pub cookie_secure: bool,
    /// `SESSION_IDLE_MINUTES` (default 30): a session unused this long ends.
    pub session_idle: chrono::Duration,
    /// `SESSION_ABSOLUTE_HOURS` (default 12): a session ends this long after sign-in, used or not.
    pub session_absolute: chrono::Duration,
    /// `TRUST_X_FORWARDED_FOR` (default 0): take the client address from `X-Forwarded-For`.
    /// Only behind a load balancer that sets it; otherwise a client could forge its address and
    /// escape the per-address sign-in limit.
    pub trust_forwarded_for: bool,
    /// `PUBLIC_ORIGIN` (e.g. `https://repatrack.example.org`): the address people reach the
    /// application at, behind a proxy. A form's `Origin` must be exactly it. Unset, the `Origin`
    /// must name the `Host` the request was sent to; `X-Forwarded-Host` and `Forwarded` are never
    /// believed (a client can send them).
    pub public_origin: Option<String>,
    /// `AUDIT_SIGNING_KEY`: the Ed25519 seed (64 hex characters) that signs audit checkpoints.
    /// Unset: a key generated once and kept beside the SQLite file (`…db.audit-key`), or in
    /// `repatrack-audit.key` in the working directory for PostgreSQL.
    pub audit_signing_key: Option<String>,
    /// How often the server looks whether an hourly audit checkpoint is due (`None`: never;
    /// tests sign checkpoints explicitly so their clock alone decides).
    pub checkpoint_check: Option<std::time::Duration>,
}

/// An origin as browsers send it in `Origin`: `scheme://host[:port]`, lowercase, the default
/// port left out; `None` for anything with a path, query or credentials.
pub fn parse_origin(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https")
        || url.path() != "/"
        || url.query().is_some()
        || !url.username().is_empty()
    {
        return None;
    }
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// A configuration value that stops the start: which variable, and why.
#[derive(Debug, thiserror::Error)]
#[error("{variable} {reason}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// Why its value was refused.
    pub reason: String,
}

impl Settings {
    /// Reads and validates every setting from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`, so tests can supply an environment of their own.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_raw = lookup("DATABASE_URL").unwrap_or_else(|| "repatrack.db".into());
        let database = DatabaseUrl::parse(&database_raw).map_err(|reason| ConfigError {
            variable: "DATABASE_URL",
            reason,
        })?;
        let database_key = database_key(&lookup, &database)?;
        let bind_raw = lookup("BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_raw.trim().parse().map_err(|_| ConfigError {
            variable: "BIND",
            reason: format!("'{bind_raw}' is not an address like 127.0.0.1:8080"),
        })?;
        let cookie_secure = match lookup("COOKIE_SECURE") {
            None => !bind.ip().is_loopback(),
            Some(raw) => parse_flag("COOKIE_SECURE", &raw)?,
        };
        let trust_forwarded_for = match lookup("TRUST_X_FORWARDED_FOR") {
            None => false,
            Some(raw) => parse_flag("TRUST_X_FORWARDED_FOR", &raw)?,
        };
        let public_origin = match lookup("PUBLIC_ORIGIN").filter(|o| !o.trim().is_empty()) {
            None => None,
            Some(raw) => Some(parse_origin(&raw).ok_or_else(|| ConfigError {
                variable: "PUBLIC_ORIGIN",
                reason: format!(
                    "'{raw}' is not an origin like https://repatrack.example.org (scheme and host, no path)"
                ),
            })?),
        };
        let audit_signing_key = lookup("AUDIT_SIGNING_KEY").filter(|k| !k.trim().is_empty());
        if let Some(key) = &audit_signing_key {
            let valid = key.trim().len() == 64 && key.trim().bytes().all(|b| b.is_ascii_hexdigit());
            if !valid {
                return Err(ConfigError {
                    variable: "AUDIT_SIGNING_KEY",
                    reason: "must be 64 hex characters (a 32-byte Ed25519 seed)".into(),
                });
            }
        }
        let idle = parse_count(&lookup, "SESSION_IDLE_MINUTES", 30, 1..=24 * 60)?;
        let absolute = parse_count(&lookup, "SESSION_ABSOLUTE_HOURS", 12, 1..=24 * 30)?;
        Ok(Self {
            database,
            database_key,
            bind,
            cookie_secure,
            session_idle: chrono::Duration::minutes(idle),
            session_absolute: chrono::Duration::hours(absolute),
            trust_forwarded_for,
            public_origin,
            audit_signing_key,
            checkpoint_check: Some(std::time::Duration::from_secs(60)),
        })
    }

    /// Settings for tests and tools: the given database, a free loopback port, defaults.
    pub fn for_database(database: DatabaseUrl) -> Self {
        Self {
            database,
            database_key: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            cookie_secure: false,
            session_idle: chrono::Duration::minutes(30),
            session_absolute: chrono::Duration::hours(12),
            trust_forwarded_for: false,
            public_origin: None,
            audit_signing_key: None,
            checkpoint_check: None,
        }
    }
}

/// The SQLite file's key, from `REPATRACK_DB_KEY` or the file `REPATRACK_DB_KEY_FILE` names
/// (one of the two; a key file keeps the key out of the process environment).
fn database_key(
    lookup: &impl Fn(&str) -> Option<String>,
    database: &DatabaseUrl,
) -> Result<Option<DatabaseKey>, ConfigError> {
    let given = |name| lookup(name).filter(|v: &String| !v.trim().is_empty());
    let (variable, raw) = match (given("REPATRACK_DB_KEY"), given("REPATRACK_DB_KEY_FILE")) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(ConfigError {
                variable: "REPATRACK_DB_KEY",
                reason: "and REPATRACK_DB_KEY_FILE are both set; give the key one way".into(),
            });
        }
        (Some(key), None) => ("REPATRACK_DB_KEY", key),
        (None, Some(file)) => (
            "REPATRACK_DB_KEY_FILE",
            std::fs::read_to_string(file.trim()).map_err(|e| ConfigError {
                variable: "REPATRACK_DB_KEY_FILE",
                reason: format!("'{}' cannot be read: {e}", file.trim()),
            })?,
        ),
    };
    if let DatabaseUrl::Postgres(_) = database {
        return Err(ConfigError {
            variable,
            reason: "is for the embedded SQLite file; PostgreSQL is encrypted at rest by its own storage (see the README)".into(),
        });
    }
    DatabaseKey::parse(&raw)
        .map(Some)
        .map_err(|reason| ConfigError { variable, reason })
}

fn parse_flag(variable: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError {
            variable,
            reason: format!("'{raw}' is not 1 or 0"),
        }),
    }
}

fn parse_count(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    let Some(raw) = lookup(variable) else {
        return Ok(default);
    };
    match raw.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(ConfigError {
            variable,
            reason: format!(
                "'{raw}' is not a whole number from {} to {}",
                range.start(),
                range.end()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_public_origin_is_a_scheme_and_host_only() {
        assert_eq!(
            parse_origin("https://Repatrack.Example.org/").as_deref(),
            Some("https://repatrack.example.org")
        );
        assert_eq!(
            parse_origin("http://10.0.0.5:8080").as_deref(),
            Some("http://10.0.0.5:8080")
        );
        assert_eq!(
            parse_origin("https://example.org:443").as_deref(),
            Some("https://example.org")
        );
        assert_eq!(parse_origin("https://example.org/app"), None);
        assert_eq!(parse_origin("ftp://example.org"), None);
        assert_eq!(parse_origin("example.org"), None);
        let refused = Settings::from_lookup(|k| (k == "PUBLIC_ORIGIN").then(|| "nope".to_owned()));
        assert_eq!(refused.err().map(|e| e.variable), Some("PUBLIC_ORIGIN"));
    }

    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_are_a_local_sqlite_file_on_loopback() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database.to_string(), "sqlite:repatrack.db");
        assert_eq!(s.bind.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn sqlite_scheme_and_plain_path_mean_the_same_file() {
        let a = DatabaseUrl::parse("sqlite://./x.db").unwrap();
        let b = DatabaseUrl::parse("./x.db").unwrap();
        assert_eq!(a.to_string(), b.to_string());
        assert_eq!(a.backend(), "sqlite");
    }

    #[test]
    fn postgres_password_never_shows() {
        let url = DatabaseUrl::parse("postgres://app:s3cret@db.example:5432/repatrack").unwrap();
        assert_eq!(url.backend(), "postgres");
        assert_eq!(
            url.to_string(),
            "postgres://app:***@db.example:5432/repatrack"
        );
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn bad_database_urls_name_the_variable_and_the_reason() {
        let err = settings(&[("DATABASE_URL", "mysql://root@localhost/x")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "DATABASE_URL has unsupported scheme 'mysql'; use a file path, sqlite://PATH or postgres://…"
        );
        let err = settings(&[("DATABASE_URL", "/no/such/dir/x.db")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "DATABASE_URL directory '/no/such/dir' does not exist"
        );
        let err = settings(&[("DATABASE_URL", ":memory:")]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("DATABASE_URL ':memory:' is not a database file")
        );
        let err = settings(&[("DATABASE_URL", "postgres://")]).unwrap_err();
        assert_eq!(err.variable, "DATABASE_URL");
    }

    #[test]
    fn cookies_are_secure_unless_on_loopback_or_switched_off() {
        assert!(!settings(&[]).unwrap().cookie_secure);
        assert!(settings(&[("BIND", "0.0.0.0:8080")]).unwrap().cookie_secure);
        assert!(
            !settings(&[("BIND", "0.0.0.0:8080"), ("COOKIE_SECURE", "0")])
                .unwrap()
                .cookie_secure
        );
        let err = settings(&[("COOKIE_SECURE", "maybe")]).unwrap_err();
        assert_eq!(err.to_string(), "COOKIE_SECURE 'maybe' is not 1 or 0");
    }

    #[test]
    fn session_lifetimes_are_configurable_within_bounds() {
        let s = settings(&[
            ("SESSION_IDLE_MINUTES", "15"),
            ("SESSION_ABSOLUTE_HOURS", "8"),
        ])
        .unwrap();
        assert_eq!(s.session_idle, chrono::Duration::minutes(15));
        assert_eq!(s.session_absolute, chrono::Duration::hours(8));
        let err = settings(&[("SESSION_IDLE_MINUTES", "0")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SESSION_IDLE_MINUTES '0' is not a whole number from 1 to 1440"
        );
    }

    #[test]
    fn the_database_key_comes_from_one_place_and_only_for_sqlite() {
        let hex = "1f".repeat(32);
        let s = settings(&[("REPATRACK_DB_KEY", &hex)]).unwrap();
        assert_eq!(s.database_key, Some(DatabaseKey::Raw(hex.clone())));
        assert_eq!(
            settings(&[("REPATRACK_DB_KEY", " ")]).unwrap().database_key,
            None
        );

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("db.key");
        std::fs::write(&file, "a passphrase of some length\n").unwrap();
        let file = file.to_str().unwrap();
        let s = settings(&[("REPATRACK_DB_KEY_FILE", file)]).unwrap();
        assert_eq!(
            s.database_key,
            Some(DatabaseKey::Passphrase(
                "a passphrase of some length".into()
            ))
        );

        let err =
            settings(&[("REPATRACK_DB_KEY", &hex), ("REPATRACK_DB_KEY_FILE", file)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "REPATRACK_DB_KEY and REPATRACK_DB_KEY_FILE are both set; give the key one way"
        );
        let err = settings(&[("REPATRACK_DB_KEY_FILE", "/no/such/key")]).unwrap_err();
        assert_eq!(err.variable, "REPATRACK_DB_KEY_FILE");
        let err = settings(&[("REPATRACK_DB_KEY", "secret")]).unwrap_err();
        assert!(err.to_string().starts_with("REPATRACK_DB_KEY is too short"));
        let err = settings(&[
            ("DATABASE_URL", "postgres://app@db.example/r"),
            ("REPATRACK_DB_KEY", &hex),
        ])
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("REPATRACK_DB_KEY is for the embedded SQLite file")
        );
    }

    #[test]
    fn a_bad_bind_names_the_variable() {
        let err = settings(&[("BIND", "localhost")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "BIND 'localhost' is not an address like 127.0.0.1:8080"
        );
    }
}
