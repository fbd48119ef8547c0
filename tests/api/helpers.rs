//! `spawn_app()` and friends: the real server on port 0 against a fresh database per test.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;

use chrono::{TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use repatrack::clock::Clock;
use repatrack::config::{DatabaseUrl, Settings};
use repatrack::db::{Pool, PooledConn};
use repatrack::startup::Application;

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test on both databases: `mod NAME { fn sqlite(); fn postgres(); }`.
macro_rules! both_databases {
    ($(async fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($app: $crate::helpers::TestApp) $body
            #[tokio::test]
            async fn sqlite() {
                run($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::TestApp::spawn_postgres().await {
                    run(app).await
                }
            }
        }
    )*};
}

/// The admin URL from `TEST_POSTGRES_URL`, or `None` outside CI. In CI a missing URL fails the
/// test: the suite never silently skips PostgreSQL there.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI")
        }
        _ => {
            eprintln!("TEST_POSTGRES_URL not set: PostgreSQL variant not run (set it to run both)");
            None
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh PostgreSQL database, dropped (with its connections) when the guard goes.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create(admin_url: &str) -> Self {
        let name = format!(
            "repatrack_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        let mut admin = PgConnection::establish(admin_url).unwrap_or_else(|e| {
            panic!("TEST_POSTGRES_URL is set but PostgreSQL is unreachable: {e}")
        });
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let mut url = url::Url::parse(admin_url).unwrap();
        url.set_path(&format!("/{name}"));
        Self {
            admin_url: admin_url.to_owned(),
            name,
            url: url.to_string(),
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Keeps a test's database alive for as long as the test runs.
pub enum DbGuard {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres(#[allow(dead_code)] PgDatabase),
}

/// A running application and a client that keeps cookies and does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub pool: Pool,
    pub clock: Clock,
    pub backend: Backend,
    handle: actix_web::dev::ServerHandle,
    // Dropped last: the server stops before its database goes.
    _guard: DbGuard,
}

/// The instant test clocks start at: the day the returns began through Al-Qaim.
pub fn test_start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 12, 18, 9, 0, 0).unwrap()
}

/// A fresh temporary SQLite file (not `:memory:`) in its own directory.
pub fn sqlite_database() -> (tempfile::TempDir, DatabaseUrl) {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
    (dir, url)
}

impl TestApp {
    /// Starts the application on `backend` (PostgreSQL must be configured).
    pub async fn spawn(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let (dir, url) = sqlite_database();
                Self::start(url, DbGuard::Sqlite(dir), backend).await
            }
            Backend::Postgres => Self::spawn_postgres().await.expect("TEST_POSTGRES_URL"),
        }
    }

    /// Starts the application on a fresh PostgreSQL database, if one is configured.
    pub async fn spawn_postgres() -> Option<Self> {
        let admin = postgres_admin_url()?;
        let db = tokio::task::spawn_blocking(move || PgDatabase::create(&admin))
            .await
            .unwrap();
        let url = DatabaseUrl::Postgres(db.url.clone());
        Some(Self::start(url, DbGuard::Postgres(db), Backend::Postgres).await)
    }

    async fn start(database: DatabaseUrl, guard: DbGuard, backend: Backend) -> Self {
        let settings = Settings::for_database(database);
        let clock = Clock::manual(test_start());
        let server_clock = clock.clone();
        let (tx, rx) = mpsc::channel();
        // The server gets a thread and an actix System of its own, so stopping it (on drop)
        // does not depend on the test's runtime.
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                match Application::build(settings, server_clock) {
                    Ok(app) => {
                        tx.send(Ok((app.port(), app.pool(), app.handle()))).unwrap();
                        let _ = app.run_until_stopped().await;
                    }
                    Err(e) => tx.send(Err(e.to_string())).unwrap(),
                }
            })
        });
        let (port, pool, handle) = tokio::task::spawn_blocking(move || rx.recv().unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|e| panic!("application failed to start: {e}"));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address: format!("http://127.0.0.1:{port}"),
            client,
            pool,
            clock,
            backend,
            handle,
            _guard: guard,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A connection from the application's own pool, for arranging and asserting.
    pub fn conn(&self) -> PooledConn {
        self.pool.get().unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Sends the stop command at once; the server's own thread carries it out.
        drop(self.handle.stop(false));
    }
}

/// Asserts a `303 See Other` to `location`.
#[allow(dead_code)]
pub fn assert_redirects_to(response: &reqwest::Response, location: &str) {
    assert_eq!(
        response.status().as_u16(),
        303,
        "expected a redirect to {location}"
    );
    assert_eq!(response.headers()["location"].to_str().unwrap(), location);
}
