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

/// The second factors of a test's users, as their phones (and the paper with their recovery
/// codes) would hold them: by user name.
pub type Factors = std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Factor>>>;

/// One user's second factor as the user holds it.
#[derive(Clone, Debug)]
pub struct Factor {
    /// The secret (base32), as the authenticator app keeps it.
    pub secret: String,
    /// The last time step whose code was given (the server refuses it and earlier ones again).
    pub last_step: i64,
    /// Recovery codes not used yet.
    pub recovery: Vec<String>,
}

impl Factor {
    /// What a person types at the second step now: the app's code for the current step (or the
    /// next one, which the server also takes) if not given already, else a recovery code.
    pub fn next_code(&mut self, now: chrono::DateTime<Utc>) -> String {
        use repatrack::auth::second_factor::{code_at, step_of};
        let step = step_of(now.timestamp());
        if let Some(free) = (step..=step + 1).find(|s| *s > self.last_step) {
            self.last_step = free;
            return code_at(&self.secret, free).unwrap();
        }
        assert!(
            !self.recovery.is_empty(),
            "every code of this time step and every recovery code was used: advance the clock"
        );
        self.recovery.remove(0)
    }
}

/// Every running test application's users' phones, by the application's address, for the browser
/// tests (whose closures get only the address).
static PHONES: std::sync::Mutex<Vec<(String, Factors, Clock)>> = std::sync::Mutex::new(Vec::new());

/// The code `username`'s phone gives now, for the application at `address` (browser tests).
pub fn phone_code(address: &str, username: &str) -> String {
    let (factors, clock) = PHONES
        .lock()
        .unwrap()
        .iter()
        .find(|(a, _, _)| a == address)
        .map(|(_, f, c)| (f.clone(), c.clone()))
        .unwrap_or_else(|| panic!("no application at {address}"));
    let mut factors = factors.lock().unwrap();
    let factor = factors
        .get_mut(&username.to_lowercase())
        .unwrap_or_else(|| panic!("{username} has no second factor"));
    factor.next_code(clock.now())
}

/// A running application and a client that keeps cookies and does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: TestClient,
    /// The users' second factors (admins and supervisors get one when created).
    pub factors: Factors,
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
                Self::start(url, None, DbGuard::Sqlite(dir), backend).await
            }
            Backend::Postgres => Self::spawn_postgres().await.expect("TEST_POSTGRES_URL"),
        }
    }

    /// Starts the application on the SQLite file `test.db` already in `dir` (a restored copy).
    pub async fn spawn_sqlite_in(dir: tempfile::TempDir) -> Self {
        let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
        Self::start(url, None, DbGuard::Sqlite(dir), Backend::Sqlite).await
    }

    /// Starts the application on a fresh SQLite file encrypted with `key`.
    pub async fn spawn_encrypted(key: repatrack::db::encryption::DatabaseKey) -> Self {
        let (dir, url) = sqlite_database();
        Self::start(url, Some(key), DbGuard::Sqlite(dir), Backend::Sqlite).await
    }

    /// Starts the application on a fresh PostgreSQL database, if one is configured.
    pub async fn spawn_postgres() -> Option<Self> {
        let admin = postgres_admin_url()?;
        let db = tokio::task::spawn_blocking(move || PgDatabase::create(&admin))
            .await
            .unwrap();
        let url = DatabaseUrl::Postgres(db.url.clone());
        Some(Self::start(url, None, DbGuard::Postgres(db), Backend::Postgres).await)
    }

    /// Starts the application on a fresh PostgreSQL database whose own defaults `setup` (SQL run
    /// as the admin, `{db}` standing for the database's name) changed before any connection.
    pub async fn spawn_postgres_with(setup: &'static str) -> Option<Self> {
        let admin = postgres_admin_url()?;
        let db = tokio::task::spawn_blocking(move || {
            let db = PgDatabase::create(&admin);
            let mut conn = PgConnection::establish(&admin).unwrap();
            conn.batch_execute(&setup.replace("{db}", &db.name))
                .unwrap();
            db
        })
        .await
        .unwrap();
        let url = DatabaseUrl::Postgres(db.url.clone());
        Some(Self::start(url, None, DbGuard::Postgres(db), Backend::Postgres).await)
    }

    async fn start(
        database: DatabaseUrl,
        database_key: Option<repatrack::db::encryption::DatabaseKey>,
        guard: DbGuard,
        backend: Backend,
    ) -> Self {
        let mut settings = Settings::for_database(database);
        settings.database_key = database_key;
        // One key for every app of the test process (checkpoints use one key per process).
        settings.audit_signing_key = Some(TEST_SIGNING_KEY.to_owned());
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
        let address = format!("http://127.0.0.1:{port}");
        let factors = Factors::default();
        PHONES
            .lock()
            .unwrap()
            .push((address.clone(), factors.clone(), clock.clone()));
        Self {
            client: TestClient::with_factors(&address, factors.clone(), clock.clone()),
            factors,
            address,
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

    /// The `DATABASE_URL` of this app's database (for running the binary against it).
    pub fn database_url(&self) -> String {
        match &self._guard {
            DbGuard::Sqlite(dir) => dir.path().join("test.db").display().to_string(),
            DbGuard::Postgres(db) => db.url.clone(),
        }
    }

    /// GET with the default client.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(path).await
    }

    /// A second browser, with its own cookies (its user has the same phone).
    pub fn new_client(&self) -> TestClient {
        TestClient::with_factors(&self.address, self.factors.clone(), self.clock.clone())
    }

    /// The code `username`'s phone would give now (or a recovery code once the time step's codes
    /// are used), for a sign-in's second step.
    pub fn next_code(&self, username: &str) -> String {
        let mut factors = self.factors.lock().unwrap();
        let factor = factors
            .get_mut(username)
            .unwrap_or_else(|| panic!("{username} has no second factor"));
        factor.next_code(self.clock.now())
    }

    /// A connection from the application's own pool, for arranging and asserting.
    pub fn conn(&self) -> PooledConn {
        self.pool.get().unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Ok(mut phones) = PHONES.lock() {
            phones.retain(|(address, _, _)| *address != self.address);
        }
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

/// A browser: keeps cookies, does not follow redirects, knows its CSRF token — and its user's
/// phone, for the second step of signing in.
pub struct TestClient {
    pub address: String,
    pub http: reqwest::Client,
    csrf: std::sync::Mutex<Option<String>>,
    factors: Factors,
    clock: Clock,
}

/// The value of the first `name="csrf_token"` field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    const MARK: &str = "name=\"csrf_token\" value=\"";
    let start = html.find(MARK)? + MARK.len();
    Some(html[start..].split('"').next()?.to_owned())
}

impl TestClient {
    /// A browser for a server this test did not start (no second factors known).
    pub fn new(address: &str) -> Self {
        Self::with_factors(address, Factors::default(), Clock::manual(test_start()))
    }

    pub fn with_factors(address: &str, factors: Factors, clock: Clock) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address: address.to_owned(),
            http,
            csrf: std::sync::Mutex::new(None),
            factors,
            clock,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// GET, asserting 200, returning the body.
    pub async fn get_html(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// The CSRF token this browser should send: the session's once signed in (read from a
    /// page), the anonymous one before.
    pub async fn csrf_token(&self) -> String {
        if let Some(token) = self.csrf.lock().unwrap().clone() {
            return token;
        }
        let html = self.get("/login").await.text().await.unwrap();
        let token = csrf_in(&html).expect("the sign-in page carries a CSRF token");
        *self.csrf.lock().unwrap() = Some(token.clone());
        token
    }

    /// POSTs a form with the CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut body: Vec<(&str, &str)> = vec![("csrf_token", &token)];
        body.extend_from_slice(fields);
        self.post_raw(path, &body).await
    }

    /// POSTs a `multipart/form-data` form as a browser sends a file upload: the CSRF token and
    /// `fields` first, then the file in the field `file`.
    pub async fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (file_name, content): (&str, &[u8]),
    ) -> reqwest::Response {
        let token = self.csrf_token().await;
        let boundary = "----repatrackTestBoundary7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        let mut text_part = |name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
            );
        };
        text_part("csrf_token", &token);
        for (name, value) in fields {
            text_part(name, value);
        }
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.http
            .post(self.url(path))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_html_form::to_string(fields).unwrap();
        self.http
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Signs in through the form — and, when the password was right and the account has a
    /// second factor, through the second step with the code its phone shows — returning the
    /// response to the last POST.
    pub async fn login(&self, username: &str, password: &str) -> reqwest::Response {
        *self.csrf.lock().unwrap() = None;
        let mut response = self
            .post_form("/login", &[("username", username), ("password", password)])
            .await;
        let second_step = response.status().as_u16() == 303
            && response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login");
        if second_step {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            let next = url::Url::parse(&self.url(&location))
                .unwrap()
                .query_pairs()
                .find(|(k, _)| k == "next")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            let code = {
                let mut factors = self.factors.lock().unwrap();
                let factor = factors
                    .get_mut(&username.trim().to_lowercase())
                    .unwrap_or_else(|| {
                        panic!("{username} has a second factor the test does not know")
                    });
                factor.next_code(self.clock.now())
            };
            response = self
                .post_form("/login/code", &[("code", &code), ("next", &next)])
                .await;
        }
        if response.status().as_u16() == 303 {
            // Signed in: from now on the session's token applies. Someone who must still set up
            // a second factor reads it on the enrolment page (the only one they reach).
            let html = self.get("/account").await.text().await.unwrap();
            let mut token = csrf_in(&html);
            if token.is_none() {
                let html = self.get("/account/two-factor").await.text().await.unwrap();
                token = csrf_in(&html);
            }
            *self.csrf.lock().unwrap() = token;
        }
        response
    }
}

/// A password that passes the rules, used for every test user.
pub const PASSWORD: &str = "amber river stone lantern";

impl TestApp {
    /// Inserts a border post (IQ↔SY, Asia/Baghdad) and returns its id.
    pub fn create_post(&self, code: &str) -> repatrack::domain::ids::PostId {
        let form = repatrack::domain::post::PostForm {
            code: code.into(),
            name_en: format!("{code} post"),
            name_ar: "منفذ".into(),
            country: "IQ".into(),
            neighbour_country: "SY".into(),
            governorate: "Anbar".into(),
            counterpart_name: "Albu Kamal".into(),
            timezone: "Asia/Baghdad".into(),
        };
        let post = form.parse_new().unwrap();
        let actor = repatrack::audit::Actor::system();
        repatrack::services::border_posts::create(&mut self.conn(), &actor, self.clock.now(), &post)
            .unwrap()
    }

    /// Creates an account (password [`PASSWORD`]) and returns its id.
    pub fn create_user(&self, username: &str, role: &str, posts: &[&str], all_posts: bool) -> i64 {
        let id = self.create_account(username, role, posts, all_posts);
        // Administrators and supervisors must have a second factor: they enrol as a person does
        // (a secret in their app, confirmed by its code), through the same service.
        if repatrack::domain::policy::second_factor_required(
            repatrack::domain::role::Role::parse(role).unwrap(),
        ) {
            self.enrol(repatrack::domain::ids::UserId(id), username);
        }
        id
    }

    /// Creates an account as an administrator's form (or the command line) does: no second
    /// factor yet, whatever the role.
    pub fn create_account(
        &self,
        username: &str,
        role: &str,
        posts: &[&str],
        all_posts: bool,
    ) -> i64 {
        let form = repatrack::domain::account::AccountForm {
            username: username.into(),
            display_name: format!("Test {username}"),
            role: role.into(),
            all_posts,
            post_codes: posts.iter().map(|p| (*p).to_owned()).collect(),
        };
        let (fields, _) = form.parse(None).unwrap();
        let hash = repatrack::auth::password::hash_blocking(PASSWORD).unwrap();
        let actor = repatrack::audit::Actor::system();
        repatrack::services::accounts::create(
            &mut self.conn(),
            &actor,
            self.clock.now(),
            &fields,
            &hash,
        )
        .unwrap()
        .0
    }

    /// Enrols a second factor for `user` through the service the enrolment page uses, with the
    /// code of the previous time step (which the server still takes), so the current step's
    /// code is left for signing in. The test keeps the secret and the recovery codes.
    pub fn enrol(&self, user: repatrack::domain::ids::UserId, username: &str) -> Vec<String> {
        use repatrack::auth::second_factor::{code_at, new_secret, step_of};
        let now = self.clock.now();
        let secret = new_secret();
        let step = step_of(now.timestamp()) - 1;
        let code = code_at(&secret, step).unwrap();
        let actor = repatrack::audit::Actor::system();
        let recovery = repatrack::services::two_factor::enable(
            &mut self.conn(),
            &actor,
            now,
            (user, None),
            &secret,
            &code,
        )
        .unwrap();
        self.factors.lock().unwrap().insert(
            username.to_lowercase(),
            Factor {
                secret,
                last_step: step,
                recovery: recovery.clone(),
            },
        );
        recovery
    }

    /// Creates a user of `role` and signs the default client in as them: limited to `posts`,
    /// or seeing every post when `posts` is empty.
    pub async fn login_as(&self, role: &str, posts: &[&str]) -> i64 {
        let id = self.create_user(role, role, posts, posts.is_empty());
        let response = self.client.login(role, PASSWORD).await;
        assert_eq!(response.status().as_u16(), 303, "signing in as {role}");
        id
    }

    /// Runs a query on the application's database.
    pub fn query<T>(
        &self,
        work: impl FnOnce(&mut repatrack::db::DbConn) -> diesel::QueryResult<T>,
    ) -> T {
        work(&mut self.conn()).unwrap()
    }
}

/// The production code of every file under `src/` (each file up to its `#[cfg(test)]`), with
/// its path, for tests that check the code itself.
pub fn production_sources() -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap().to_owned();
                out.push((path, code));
            }
        }
    }
    out
}

/// The audit signing key the command-line tests pass in `AUDIT_SIGNING_KEY`.
pub const TEST_SIGNING_KEY: &str =
    "5151515151515151515151515151515151515151515151515151515151515151";

/// Reads a CSV body with a real parser: header and rows.
pub fn parse_csv(body: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// The text of an HTML fragment as a person reads it: tags dropped, spaces collapsed.
pub fn text_of_html(fragment: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in fragment.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // askama's escapes (numeric) and the named ones, as a browser shows them.
    [
        ("&#39;", "'"),
        ("&#34;", "\""),
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&#38;", "&"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(out, |text, (entity, ch)| text.replace(entity, ch))
}

/// The text of the element whose opening tag carries `marker` (an `id="…"` or a class), as a
/// person reads it; `None` if no tag carries it. The element ends at the first closing tag of
/// its own name, so it must not nest another of the same name.
pub fn element_text(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let open = html[..at].rfind('<')?;
    let name: String = html[open + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let body = &html[at..];
    let body = &body[body.find('>')? + 1..];
    let end = body.find(&format!("</{name}>")).unwrap_or(body.len());
    Some(text_of_html(&body[..end]))
}

/// The text of the table cell or definition (`<td>`/`<dd>`/`<th>`) whose opening tag carries
/// `marker`, as a person reads it.
pub fn cell_text(html: &str, marker: &str) -> String {
    element_text(html, marker).unwrap_or_else(|| panic!("no {marker} in the page"))
}

/// A page with its CSRF tokens blanked: they are masked afresh on every page, so two answers
/// that are otherwise the same differ only there.
pub fn without_tokens(html: &str) -> String {
    const MARK: &str = "name=\"csrf_token\" value=\"";
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i + MARK.len()]);
        rest = &rest[i + MARK.len()..];
        rest = &rest[rest.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

/// PostgreSQL: waits until a backend of this test's database is blocked on a lock in a statement
/// matching `query_like` (an SQL `LIKE` pattern); fails the test with `never` after 10 s.
pub async fn until_blocked_on_a_lock(app: &TestApp, query_like: &str, never: &str) {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let started = std::time::Instant::now();
    loop {
        let waiting = diesel::sql_query("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND query LIKE $1")
            .bind::<diesel::sql_types::Text, _>(query_like)
            .get_result::<Waiting>(&mut app.conn())
            .unwrap()
            .n;
        if waiting > 0 {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{never}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
