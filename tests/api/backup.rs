//! `repatrack backup` and `repatrack restore` (issue 17, point 5): a copy taken while people
//! record events restores, verifies and serves; restore refuses to overwrite data without
//! `--force` and refuses a damaged copy, leaving the target as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use diesel::prelude::*;
use repatrack::db::schema::{audit_log, crossing_events};

use crate::helpers::*;

/// Runs the binary on `database_url` with the test signing key and `env`.
pub fn run(args: &[&str], database_url: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_repatrack"));
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .env_remove("REPATRACK_DB_KEY")
        .env_remove("REPATRACK_DB_KEY_FILE");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the command succeeded and returns its standard output.
pub fn succeeded(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The fingerprint of the public key of [`TEST_SIGNING_KEY`].
const TEST_KEY_FINGERPRINT: &str =
    "SHA256:4b735ac174e40636507716ed5c9a8a75fbf6f462357fabb71ac42b7bd502c64a";

fn open(path: &Path) -> repatrack::db::DbConn {
    repatrack::db::connect_sqlite_file(path, None).unwrap()
}

/// (id, reference, headcount, version) of every event, by id.
type EventRow = (i64, String, i32, i32);

fn events_of(conn: &mut repatrack::db::DbConn) -> Vec<EventRow> {
    crossing_events::table
        .select((
            crossing_events::id,
            crossing_events::reference,
            crossing_events::headcount,
            crossing_events::version,
        ))
        .order(crossing_events::id)
        .load(conn)
        .unwrap()
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_a_write_load_restores_verifies_and_signs_in() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.create_post("QAIM");
    app.create_user("officer", "officer", &["QAIM"], false);
    let client = Arc::new(app.new_client());
    assert_eq!(
        client.login("officer", PASSWORD).await.status().as_u16(),
        303
    );

    // Four writers record arrivals until told to stop.
    let (stop, recorded) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (client, stop, recorded) = (client.clone(), stop.clone(), recorded.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    crate::events::record(
                        &client,
                        "QAIM",
                        "2024-12-18T08:00",
                        "inbound",
                        "military",
                        "3",
                    )
                    .await;
                    recorded.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    while recorded.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("repatrack-backup.db");
    let before = events_of(&mut app.conn()).len();
    let (database, target) = (app.database_url(), file.display().to_string());
    let out = tokio::task::spawn_blocking(move || run(&["backup", &target], &database, &[]))
        .await
        .unwrap();
    let after = events_of(&mut app.conn()).len();
    // Writers keep going a little after the copy, then stop.
    let at_backup_end = recorded.load(Ordering::SeqCst);
    while recorded.load(Ordering::SeqCst) < at_backup_end + 4 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    let stdout = succeeded(&out);
    assert!(
        stdout.starts_with(&format!(
            "backup written to {} (not encrypted): ",
            file.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("audit key {TEST_KEY_FINGERPRINT}")),
        "{stdout}"
    );
    assert!(
        after > before,
        "the writers were recording while the copy was taken"
    );

    // The manifest describes the copy.
    let manifest: repatrack::backup::Manifest = serde_json::from_str(
        &std::fs::read_to_string(repatrack::backup::manifest_path(&file)).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest.format, "repatrack-backup-v1");
    assert_eq!(
        manifest.audit_key_fingerprint.as_deref(),
        Some(TEST_KEY_FINGERPRINT)
    );
    assert_eq!(manifest.bytes, std::fs::metadata(&file).unwrap().len());
    assert_eq!(
        names_in(backups.path()),
        ["repatrack-backup.db", "repatrack-backup.db.json"],
        "nothing temporary is left beside the backup"
    );

    // Restore into a fresh place.
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = restored_dir.path().join("test.db");
    let out = run(
        &["restore", &file.display().to_string()],
        &restored.display().to_string(),
        &[],
    );
    let stdout = succeeded(&out);
    assert!(
        stdout.starts_with(&format!(
            "restored {} into {}: integrity_check ok; audit chain intact: ",
            file.display(),
            restored.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "\naudit key: the configured key {TEST_KEY_FINGERPRINT} is the backup's\n"
        )),
        "{stdout}"
    );
    // The restored tables hold what the restored trail says (`audit verify --state`).
    assert!(
        stdout.contains("; tables match the audit trail: "),
        "{stdout}"
    );

    // The copy is one moment of the live database: the events committed by then, each exactly
    // as it is live, each with its audit entry, and nothing half-written.
    let live = events_of(&mut app.conn());
    let copy = {
        let mut conn = open(&restored);
        let copy = events_of(&mut conn);
        let creates: i64 = audit_log::table
            .filter(audit_log::action.eq("event.create"))
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(creates as usize, copy.len());
        let entries: i64 = audit_log::table.count().get_result(&mut conn).unwrap();
        assert_eq!(entries, manifest.audit_head_seq);
        assert_eq!(entries, manifest.audit_entries);
        copy
    };
    assert!(
        (before..=after).contains(&copy.len()),
        "{before} ≤ {} ≤ {after}",
        copy.len()
    );
    assert_eq!(copy[..], live[..copy.len()]);
    assert!(live.len() > copy.len());
    let verified = run(
        &["audit", "verify", "--state"],
        &restored.display().to_string(),
        &[],
    );
    let said = succeeded(&verified);
    assert!(
        said.starts_with(&format!(
            "audit chain intact: {} entries",
            manifest.audit_entries
        )),
        "{said}"
    );
    assert!(
        said.lines()
            .last()
            .is_some_and(|l| l.starts_with("tables match the audit trail: ")
                && l.contains(&format!("crossing_events {}", copy.len()))),
        "{said}"
    );

    // A server on the restored file: the officer signs in and finds the events.
    let restored_app = TestApp::spawn_sqlite_in(restored_dir).await;
    assert_eq!(
        restored_app
            .client
            .login("officer", PASSWORD)
            .await
            .status()
            .as_u16(),
        303
    );
    let page = restored_app.client.get_html("/events").await;
    assert!(
        page.contains(&copy.last().unwrap().1),
        "the latest copied event is listed"
    );
}

/// A database at `path` made by `repatrack demo --empty` (three posts, four users).
fn demo_database(path: &Path) {
    succeeded(&run(&["demo", "--empty"], &path.display().to_string(), &[]));
}

/// A backup of a small database in `dir`: returns its path.
fn small_backup(dir: &Path) -> PathBuf {
    let source = dir.join("source.db");
    demo_database(&source);
    let file = dir.join("small-backup.db");
    succeeded(&run(
        &["backup", &file.display().to_string()],
        &source.display().to_string(),
        &[],
    ));
    file
}

#[test]
fn restore_refuses_a_database_holding_data_without_force_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_backup(dir.path());
    let target = dir.path().join("target.db");
    demo_database(&target);
    let (users, entries): (i64, i64) = {
        let mut conn = open(&target);
        (
            repatrack::db::users::count(&mut conn).unwrap(),
            audit_log::table.count().get_result(&mut conn).unwrap(),
        )
    };
    assert_eq!(users, 4);
    let bytes = std::fs::read(&target).unwrap();
    let out = run(
        &["restore", &file.display().to_string()],
        &target.display().to_string(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "repatrack: {} holds data (4 user(s), {entries} audit entries); restore replaces it only with --force\n",
            target.display()
        )
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        bytes,
        "the target is unchanged"
    );

    // A backup never writes over a file either.
    let again = run(
        &["backup", &file.display().to_string()],
        &target.display().to_string(),
        &[],
    );
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        text(&again.stderr),
        format!(
            "repatrack: {} already exists; a backup never writes over a file, give a new name\n",
            file.display()
        )
    );

    // With --force it is replaced by the backup: the source's own users and trail.
    let out = run(
        &["restore", "--force", &file.display().to_string()],
        &target.display().to_string(),
        &[],
    );
    succeeded(&out);
    let mut restored = open(&target);
    let source_users: Vec<String> = repatrack::db::schema::users::table
        .select(repatrack::db::schema::users::password_hash)
        .order(repatrack::db::schema::users::id)
        .load(&mut open(&dir.path().join("source.db")))
        .unwrap();
    let restored_users: Vec<String> = repatrack::db::schema::users::table
        .select(repatrack::db::schema::users::password_hash)
        .order(repatrack::db::schema::users::id)
        .load(&mut restored)
        .unwrap();
    assert_eq!(restored_users, source_users);
    assert_ne!(std::fs::read(&target).unwrap(), bytes);
}

/// Flips 16 bytes at the start of a page in the middle of the file (a b-tree page's header).
fn damage(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let page = (bytes.len() / 4096 / 2).max(1) * 4096;
    for b in &mut bytes[page..page + 16] {
        *b ^= 0xFF;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn restore_refuses_a_damaged_backup_and_leaves_the_target_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = small_backup(dir.path());
    damage(&file);
    let targets = tempfile::tempdir().unwrap();
    let target = targets.path().join("target.db");
    demo_database(&target);
    let bytes = std::fs::read(&target).unwrap();
    let listing = names_in(targets.path());

    // With its manifest: the file is not the one the manifest describes.
    let out = run(
        &["restore", "--force", &file.display().to_string()],
        &target.display().to_string(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let refused = format!("repatrack: {} was not restored: ", file.display());
    let unchanged = format!("; {} is unchanged\n", target.display());
    assert!(
        stderr.starts_with(&format!(
            "{refused}it is not the file its manifest {}.json describes (SHA-256 ",
            file.display()
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with(&unchanged), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    assert_eq!(
        names_in(targets.path()),
        listing,
        "no temporary file is left"
    );

    // Without it: SQLite's own check finds the damage.
    std::fs::remove_file(repatrack::backup::manifest_path(&file)).unwrap();
    let out = run(
        &["restore", "--force", &file.display().to_string()],
        &target.display().to_string(),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&refused), "{stderr}");
    assert!(
        stderr.contains("it fails PRAGMA integrity_check: ")
            || stderr.contains("database disk image is malformed"),
        "{stderr}"
    );
    assert!(stderr.ends_with(&unchanged), "{stderr}");
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    assert_eq!(
        names_in(targets.path()),
        listing,
        "no temporary file is left"
    );
}

#[test]
fn backup_on_postgres_prints_the_pg_dump_command_without_the_password() {
    let out = run(
        &["backup", "/srv/backups/repatrack 2024-12-18.dump"],
        "postgres://app:s3cret@db.example:5432/repatrack?sslmode=require",
        &[],
    );
    assert_eq!(
        succeeded(&out),
        format!(
            "PostgreSQL is backed up with its own tools, which take a consistent snapshot while repatrack runs:
  pg_dump --format=custom --file='/srv/backups/repatrack 2024-12-18.dump' 'postgres://app@db.example:5432/repatrack?sslmode=require'
The password is not shown: give it in PGPASSWORD or ~/.pgpass.
To restore, into a new empty database, then check it with `repatrack audit verify`:
  pg_restore --exit-on-error --no-owner --dbname=NEW_DATABASE_URL '/srv/backups/repatrack 2024-12-18.dump'
Audit signing key: {TEST_KEY_FINGERPRINT} (keep this line with the dump; the restored database needs the same key)
"
        )
    );
    let out = run(
        &["restore", "x.dump"],
        "postgres://app:s3cret@db.example:5432/repatrack",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("repatrack: restore is for the embedded SQLite database;"),
        "{}",
        text(&out.stderr)
    );
}
