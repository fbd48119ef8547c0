//! The `repatrack` binary as an operator runs it.

use std::process::Command;

use crate::helpers::*;

fn repatrack(args: &[&str], database_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
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
    let mut conn = repatrack::db::connect_pool(&repatrack::config::DatabaseUrl::Sqlite(path))
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
