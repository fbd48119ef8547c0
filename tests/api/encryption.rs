//! Encryption at rest (issue 17, point 7): the SQLite file and its write-ahead log hold no
//! readable name when a key is set; a plain database is encrypted in place and still verifies;
//! a missing or wrong key stops with a message saying which; a backup of an encrypted database
//! is encrypted; `serve` warns while people's records sit in a plain file. SQLite only:
//! PostgreSQL refuses the key (see the configuration's unit tests).

use std::path::Path;

use diesel::prelude::*;
use repatrack::db::encryption::{DatabaseKey, FileKind, file_kind};
use repatrack::db::schema::people;

use crate::backup::{run, succeeded, text};
use crate::helpers::*;

const RAW_KEY: &str = "8c1f0b8d2a7e4c6f9b3d5a1e7c2f4b6d8a0c2e4f6b8d0a2c4e6f8b0d2a4c6e8f";
const PASSPHRASE: &str = "a lost laptop is not a leak";

/// Every byte of the database file and of its write-ahead log, if any.
/// The file and its write-ahead log as they lie on disk. Read by `cat`, in a process of its own:
/// closing a descriptor of the file here would drop this process's locks on it, and a server
/// running in this process would look unused to the next command run beside it.
fn bytes_on_disk(db: &Path) -> Vec<u8> {
    let read = |path: &std::ffi::OsStr| {
        let out = std::process::Command::new("cat")
            .arg(path)
            .output()
            .unwrap();
        out.status.success().then_some(out.stdout)
    };
    let mut bytes = read(db.as_os_str()).unwrap();
    let mut wal = db.as_os_str().to_os_string();
    wal.push("-wal");
    if let Some(log) = read(&wal) {
        bytes.extend(log);
    }
    bytes
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The standard error of a command expected to fail with exit code 1.
fn failed(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", text(&out.stdout));
    text(&out.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_on_an_encrypted_file_leaves_no_name_readable_on_disk() {
    let app = TestApp::spawn_encrypted(DatabaseKey::parse(RAW_KEY).unwrap()).await;
    app.create_post("QAIM");
    app.login_as("officer", &["QAIM"]).await;
    let id = crate::people::registered(
        &app.client,
        "QAIM",
        &[
            ("name_latin", "Zubayr Haddadin"),
            ("name_ar", "زبير حدادين"),
        ],
    )
    .await;
    // Through the server (its pool holds the key) the person is there …
    let name: String = app.query(|c| people::table.find(id).select(people::name_latin).first(c));
    assert_eq!(name, "Zubayr Haddadin");
    let page = app.client.get_html(&format!("/people/{id}")).await;
    assert!(page.contains("Zubayr Haddadin"));

    // … and on disk neither the file nor its log holds the name in any script.
    let file = Path::new(&app.database_url()).to_path_buf();
    let disk = bytes_on_disk(&file);
    // As `file_kind` would say Opaque, without opening the live file here.
    assert!(
        !disk.starts_with(b"SQLite format 3\0"),
        "the file starts like a plain database"
    );
    assert!(disk.len() > 4096, "the file and its log hold pages");
    for needle in ["Zubayr Haddadin", "زبير حدادين", "QAIM", "SQLite format 3"] {
        assert!(!holds(&disk, needle), "{needle:?} is readable on disk");
    }

    // The command line without the key, and with a wrong one, says which.
    let database = app.database_url();
    let without = failed(&run(&["audit", "verify"], &database, &[]));
    assert_eq!(
        without.trim_end(),
        format!(
            "repatrack: cannot open sqlite:{database}: it is encrypted, or is not an SQLite database: set REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE to its key"
        )
    );
    let wrong = failed(&run(
        &["audit", "verify"],
        &database,
        &[("REPATRACK_DB_KEY", &"0".repeat(64))],
    ));
    assert_eq!(
        wrong.trim_end(),
        format!(
            "repatrack: cannot open sqlite:{database}: the database key does not open it (a wrong REPATRACK_DB_KEY or key file, or the file is not a repatrack database)"
        )
    );
    let right = succeeded(&run(
        &["audit", "verify", "--state"],
        &database,
        &[("REPATRACK_DB_KEY", RAW_KEY)],
    ));
    assert!(right.starts_with("audit chain intact: "), "{right}");
}

#[test]
fn a_plain_database_is_encrypted_in_place_and_its_backups_stay_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("field.db");
    let database = db.display().to_string();
    succeeded(&run(&["demo"], &database, &[]));
    assert_eq!(file_kind(&db).unwrap(), FileKind::Plain);
    assert!(holds(&bytes_on_disk(&db), "Al-Qaim"));
    let before = succeeded(&run(&["audit", "verify", "--state"], &database, &[]));

    let key_file = dir.path().join("db.key");
    std::fs::write(&key_file, format!("{PASSPHRASE}\n")).unwrap();
    let key_file = key_file.display().to_string();
    let keyed = [("REPATRACK_DB_KEY_FILE", key_file.as_str())];

    // Without a key there is nothing to encrypt with; with one the plain file cannot be read.
    let no_key = failed(&run(&["encrypt"], &database, &[]));
    assert_eq!(
        no_key.trim_end(),
        "repatrack: no key: set REPATRACK_DB_KEY (or REPATRACK_DB_KEY_FILE) to the key to encrypt with"
    );
    let plain_with_key = failed(&run(&["audit", "verify"], &database, &keyed));
    assert!(
        plain_with_key.contains(
            ": it is not encrypted, but a database key is set (REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE): encrypt it with `repatrack encrypt`, or unset the key"
        ),
        "{plain_with_key}"
    );

    let out = succeeded(&run(&["encrypt"], &database, &keyed));
    assert!(
        out.starts_with(&format!(
            "encrypted {database} with the configured passphrase: integrity_check ok; audit chain intact: "
        )),
        "{out}"
    );
    assert_eq!(file_kind(&db).unwrap(), FileKind::Opaque);
    let disk = bytes_on_disk(&db);
    for needle in ["Al-Qaim", "القائم", "QAIM-2024-0001", "no harassment"] {
        assert!(!holds(&disk, needle), "{needle:?} is readable on disk");
    }
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["db.key", "field.db"]);

    // The same trail and the same tables, read with the key.
    let after = succeeded(&run(&["audit", "verify", "--state"], &database, &keyed));
    assert_eq!(after, before);
    let again = failed(&run(&["encrypt"], &database, &keyed));
    assert!(again.ends_with("is already encrypted (or is not an SQLite database)\n"));

    // A backup of the encrypted database is encrypted with the same key …
    let backup = dir.path().join("copy.db");
    let backup_name = backup.display().to_string();
    let out = succeeded(&run(&["backup", &backup_name], &database, &keyed));
    assert!(
        out.starts_with(&format!(
            "backup written to {backup_name} (encrypted with the database's key): "
        )),
        "{out}"
    );
    assert_eq!(file_kind(&backup).unwrap(), FileKind::Opaque);
    assert!(!holds(&std::fs::read(&backup).unwrap(), "Al-Qaim"));
    let manifest: repatrack::backup::Manifest = serde_json::from_str(
        &std::fs::read_to_string(repatrack::backup::manifest_path(&backup)).unwrap(),
    )
    .unwrap();
    assert!(manifest.encrypted);

    // … and restores only with it.
    let target = dir.path().join("restored.db");
    let target_name = target.display().to_string();
    let refused = failed(&run(&["restore", &backup_name], &target_name, &[]));
    assert!(
        refused.contains("was not restored: it cannot be opened: ")
            && refused.contains("it is encrypted, or is not an SQLite database"),
        "{refused}"
    );
    assert!(!target.exists(), "a refused restore leaves nothing behind");
    succeeded(&run(&["restore", &backup_name], &target_name, &keyed));
    let restored = succeeded(&run(&["audit", "verify", "--state"], &target_name, &keyed));
    assert_eq!(restored, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_warns_while_people_sit_in_a_plain_file() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.create_post("QAIM");
    app.login_as("officer", &["QAIM"]).await;
    let url = repatrack::config::DatabaseUrl::parse(&app.database_url()).unwrap();
    let plain = repatrack::config::Settings::for_database(url.clone());
    assert_eq!(
        repatrack::startup::unencrypted_warning(&plain, &mut app.conn()),
        None,
        "no person yet"
    );
    crate::people::registered(&app.client, "QAIM", &[("name_latin", "Omar Khaled")]).await;
    let warning = repatrack::startup::unencrypted_warning(&plain, &mut app.conn());
    assert_eq!(
        warning.as_deref(),
        Some(
            format!(
                "{} holds 1 people's records and is NOT encrypted: anyone with a copy of the file (a lost laptop, a backup) can read them. Set REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE, stop the server and run `repatrack encrypt` (README: Encryption at rest)",
                app.database_url()
            )
            .as_str()
        )
    );
    let mut keyed = repatrack::config::Settings::for_database(url);
    keyed.database_key = Some(DatabaseKey::parse(RAW_KEY).unwrap());
    assert_eq!(
        repatrack::startup::unencrypted_warning(&keyed, &mut app.conn()),
        None
    );

    // The real command prints it at start.
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_repatrack"))
        .arg("serve")
        .env("DATABASE_URL", app.database_url())
        .env("BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .env("AUDIT_SIGNING_KEY", TEST_SIGNING_KEY)
        .env_remove("REPATRACK_DB_KEY")
        .env_remove("REPATRACK_DB_KEY_FILE")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = server.stderr.take().unwrap();
    let mut reader = tokio::task::spawn_blocking(move || {
        use std::io::BufRead as _;
        std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .find(|l| l.contains("is NOT encrypted"))
    });
    // A server that never warns would keep its standard error open: stop it after a while.
    let line = match tokio::time::timeout(std::time::Duration::from_secs(60), &mut reader).await {
        Ok(found) => found.unwrap(),
        Err(_) => {
            server.kill().unwrap();
            reader.await.unwrap()
        }
    };
    let _ = server.kill();
    server.wait().unwrap();
    assert!(
        line.is_some_and(|l| l.contains("WARN") && l.contains("holds 1 people's records")),
        "serve printed the warning"
    );
}
