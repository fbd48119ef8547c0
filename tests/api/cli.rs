//! The `repatrack` binary as an operator runs it.

use std::process::Command;

use crate::helpers::*;

fn repatrack(args: &[&str], database_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        // A fixed key: commands on PostgreSQL would otherwise keep theirs in the working directory.
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .output()
        .unwrap()
}

#[test]
fn a_bad_database_url_stops_the_start_with_one_line_naming_the_variable() {
    let out = repatrack(&["serve"], "mysql://root@localhost/repatrack");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "repatrack: DATABASE_URL has unsupported scheme 'mysql'; use a file path, sqlite://PATH or postgres://…\n"
    );
}

#[test]
fn a_bad_bind_stops_the_start_with_one_line_naming_the_variable() {
    let out = Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .env("BIND", "0.0.0.0")
        .env("DATABASE_URL", "unused.db")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "repatrack: BIND '0.0.0.0' is not an address like 127.0.0.1:8080\n"
    );
}

#[test]
fn an_unreachable_postgres_is_one_line_not_a_panic() {
    let out = repatrack(&["migrate"], "postgres://postgres:pw@127.0.0.1:1/none");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("repatrack: cannot open postgres://postgres:***@127.0.0.1:1/none: "),
        "{stderr}"
    );
    assert!(!stderr.contains("pw@"), "the password must not be printed");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn migrate_creates_the_sqlite_file_and_its_tables() {
    let (dir, _) = sqlite_database();
    let path = dir.path().join("fresh.db");
    let url = format!("sqlite://{}", path.display());
    let out = repatrack(&["migrate"], &url);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(path.exists());
    let mut conn = repatrack::db::connect_pool(&repatrack::config::DatabaseUrl::Sqlite(path), None)
        .unwrap()
        .get()
        .unwrap();
    let tables: Vec<String> = repatrack::db::introspect::columns(&mut conn)
        .unwrap()
        .into_iter()
        .map(|c| c.table)
        .collect();
    assert!(tables.contains(&"border_posts".to_owned()), "{tables:?}");
    // Running it again changes nothing and still succeeds.
    assert_eq!(repatrack(&["migrate"], &url).status.code(), Some(0));
}

#[test]
fn migrate_on_postgres_succeeds() {
    let Some(admin) = postgres_admin_url() else {
        return;
    };
    let db = PgDatabase::create(&admin);
    let out = repatrack(&["migrate"], &db.url);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn repatrack_with(
    args: &[&str],
    database_url: &str,
    env: &[(&str, &str)],
    stdin: Option<&str>,
) -> std::process::Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_repatrack"));
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        // A fixed key: commands on PostgreSQL would otherwise keep theirs in the working directory.
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .env_remove("REPATRACK_PASSWORD");
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs `check` with a fresh SQLite file URL and, when configured, a fresh PostgreSQL URL.
fn on_both_databases(check: impl Fn(&str)) {
    let (dir, _) = sqlite_database();
    check(&dir.path().join("cli.db").display().to_string());
    if let Some(admin) = postgres_admin_url() {
        let db = PgDatabase::create(&admin);
        check(&db.url);
    }
}

#[test]
fn user_add_takes_the_password_from_the_environment_or_standard_input_never_argv() {
    on_both_databases(user_add_case);
}

fn user_add_case(db: &str) {
    let db = db.to_owned();
    // Posts must exist before someone is assigned to them.
    assert_eq!(
        repatrack_with(&["demo"], &db, &[], None).status.code(),
        Some(0)
    );

    let out = repatrack_with(
        &[
            "user",
            "add",
            "Sara.Ali",
            "--role",
            "officer",
            "--post",
            "QAIM",
            "--display-name",
            "سارة علي",
        ],
        &db,
        &[("REPATRACK_PASSWORD", "river stones under the old bridge")],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "created user sara.ali (officer) with id 5\n"
    );

    let out = repatrack_with(
        &["user", "add", "chief", "--role", "auditor", "--all-posts"],
        &db,
        &[],
        Some("a pass phrase with spaces in it\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let out = repatrack_with(
        &["user", "add", "weak", "--role", "officer"],
        &db,
        &[("REPATRACK_PASSWORD", "short")],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{:?}: {}",
        out.status,
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stderr),
        "repatrack: password: Use at least 15 characters. A few ordinary words in a row make a good password.\n"
    );
    let out = repatrack_with(
        &[
            "user", "add", "nobody", "--role", "officer", "--post", "NOPE",
        ],
        &db,
        &[("REPATRACK_PASSWORD", "river stones under the old bridge")],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{:?}: {}",
        out.status,
        text(&out.stderr)
    );
    assert_eq!(
        text(&out.stderr),
        "repatrack: posts: There is no border post with code NOPE.\n"
    );
    // There is no option that takes a password.
    let out = repatrack_with(
        &[
            "user",
            "add",
            "x",
            "--role",
            "officer",
            "--password",
            "river stones under the old bridge",
        ],
        &db,
        &[],
        None,
    );
    assert_eq!(out.status.code(), Some(2));

    // The stdin password works for signing in: verified against the stored hash.
    let pool =
        repatrack::db::connect_pool(&repatrack::config::DatabaseUrl::parse(&db).unwrap(), None)
            .unwrap();
    let user = repatrack::db::users::find_by_username(&mut pool.get().unwrap(), "chief")
        .unwrap()
        .unwrap();
    assert!(repatrack::auth::password::verify_blocking(
        &user.password_hash,
        "a pass phrase with spaces in it"
    ));
}

#[test]
fn demo_loads_three_posts_and_a_user_per_role_once() {
    on_both_databases(demo_case);
}

fn demo_case(db: &str) {
    let db = db.to_owned();
    let out = repatrack_with(&["demo"], &db, &[], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Demo border posts: QAIM, RABIA, WALEED.\n"),
        "{stdout}"
    );
    for role in ["admin", "supervisor", "officer", "auditor"] {
        let line = stdout
            .lines()
            .find(|l| l.trim_start().starts_with(role))
            .unwrap();
        let password = line.split_whitespace().last().unwrap();
        assert_eq!(password.len(), 23, "{line}");
    }
    // The story at Al-Qaim: twelve events, three closed days, the agreement in force.
    assert!(
        stdout.contains("A return of 1,300 on 10 Dec 2024 was refused: only 1,100 were present."),
        "{stdout}"
    );
    let exported = repatrack_with(&["export", "events"], &db, &[], None);
    let (_, rows) = parse_csv(&exported.stdout);
    assert_eq!(rows.len(), 12);
    let status = |reference: &str| rows.iter().find(|r| r[1] == reference).unwrap()[14].clone();
    assert_eq!(
        (status("QAIM-2024-0007"), status("QAIM-2024-0008")),
        ("verified".to_owned(), "pending".to_owned())
    );
    let agreements = repatrack_with(&["export", "agreements"], &db, &[], None);
    let (_, rows) = parse_csv(&agreements.stdout);
    assert_eq!(
        (
            rows[0][1].as_str(),
            rows[0][7].as_str(),
            rows[0][10].as_str()
        ),
        ("IQ-SY/2024/RET-01", "active", "1100")
    );
    let verified = repatrack_with(&["audit", "verify"], &db, &[], None);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let again = repatrack_with(&["demo"], &db, &[], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already has 4 user(s)"));
    assert_eq!(
        repatrack_with(&["demo", "--force"], &db, &[], None)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn serve_on_an_empty_database_says_how_to_create_the_first_admin() {
    use std::io::{BufRead, BufReader};
    let (dir, _) = sqlite_database();
    let mut child = Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .env("DATABASE_URL", dir.path().join("empty.db"))
        .env("BIND", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut found = None;
    for line in BufReader::new(stderr).lines().take(20) {
        let line = line.unwrap();
        if line.contains("no user yet") {
            found = Some(line);
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let line = found.expect("a log line about creating the first admin");
    assert!(
        line.contains("repatrack user add NAME --role admin --all-posts"),
        "{line}"
    );
}

/// Issue 17: what people type into searches and forms never reaches the log. The real binary
/// serves with its real log setup (`RUST_LOG=info`, every request's line); an administrator
/// searches the people register for a name, sends it in unreadable forms and as a failed
/// sign-in, and asks for the search signed out (a redirect carrying it back). The log names
/// `/people` and never the name.
#[test]
fn request_logs_name_the_path_and_never_the_query_string_or_a_form() {
    on_both_databases(request_log_case);
}

fn request_log_case(db: &str) {
    use std::io::{BufRead, BufReader};
    use std::sync::{Arc, Mutex, mpsc};
    const NAME: &str = "Hussein";
    let out = repatrack_with(
        &["user", "add", "chief", "--role", "auditor", "--all-posts"],
        db,
        &[("REPATRACK_PASSWORD", PASSWORD)],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let mut child = Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .env("DATABASE_URL", db)
        .env("BIND", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (port_tx, port_rx) = mpsc::channel();
    let reader = {
        let log = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let line = line.unwrap();
                if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                    let port: u16 = rest.split_whitespace().next().unwrap().parse().unwrap();
                    let _ = port_tx.send(port);
                }
                let mut log = log.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        })
    };
    let port = port_rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no 'listening on' line: {}", log.lock().unwrap()));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let search = format!("/people?q={NAME}");
        let anonymous = TestClient::new(&format!("http://127.0.0.1:{port}"));
        let response = anonymous.get(&search).await;
        assert_redirects_to(&response, &format!("/login?next=%2Fpeople%3Fq%3D{NAME}"));
        let refused = anonymous.login(NAME, "not the password at all").await;
        assert_ne!(refused.status().as_u16(), 303, "no such user");

        let client = TestClient::new(&format!("http://127.0.0.1:{port}"));
        assert_eq!(client.login("chief", PASSWORD).await.status().as_u16(), 303);
        let page = client.get_html(&search).await;
        assert!(
            page.contains(NAME),
            "the search is shown on the page, not logged"
        );
        // Whatever these answer (a refusal, a page with its messages), the log holds no name.
        client
            .get(&format!("/events?post={NAME}&from={NAME}"))
            .await;
        let unreadable = client
            .post_form(
                "/account/preferences",
                &[("language", NAME), ("digits", NAME)],
            )
            .await;
        assert_eq!(unreadable.status().as_u16(), 422);
        client
            .post_form("/admin/users", &[("username", NAME), ("posts", NAME)])
            .await;
    });

    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    let log = log.lock().unwrap().clone();
    let people_lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("http.target=/people "))
        .collect();
    assert_eq!(
        people_lines.len(),
        2,
        "both searches logged, by path:\n{log}"
    );
    assert!(
        people_lines
            .iter()
            .any(|line| line.contains("http.status_code=200")),
        "{log}"
    );
    assert!(log.contains("http.target=/account/preferences "), "{log}");
    assert!(log.contains("unprocessable request"), "{log}");
    assert!(
        !log.contains(NAME),
        "a name typed into a query or form reached the log:\n{log}"
    );
    for target in log.split("http.target=").skip(1) {
        let target = target.split_whitespace().next().unwrap_or_default();
        assert!(!target.contains('?'), "a query string in the log: {target}");
    }
}
