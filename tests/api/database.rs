//! Connection settings, transactions and stored instants on both backends.

use chrono::{NaiveDateTime, TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use repatrack::db::schema::border_posts;
use repatrack::db::{DbConn, in_batches, write_tx};

use crate::helpers::*;

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

fn pragma(conn: &mut DbConn, name: &str) -> String {
    // pragma_busy_timeout names its one column "timeout"; the others use the pragma's name.
    let column = if name == "busy_timeout" {
        "timeout"
    } else {
        name
    };
    diesel::sql_query(format!(
        "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
    ))
    .get_result::<Pragma>(conn)
    .unwrap()
    .value
}

fn insert_post(conn: &mut DbConn, code: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::insert_into(border_posts::table)
        .values((
            border_posts::code.eq(code),
            border_posts::name_en.eq("Al-Qaim"),
            border_posts::name_ar.eq("القائم"),
            border_posts::country.eq("IQ"),
            border_posts::neighbour_country.eq("SY"),
            border_posts::governorate.eq("Anbar"),
            border_posts::counterpart_name.eq("Albu Kamal"),
            border_posts::timezone.eq("Asia/Baghdad"),
            border_posts::created_at.eq(at),
            border_posts::updated_at.eq(at),
        ))
        .execute(conn)
}

#[tokio::test]
async fn every_pooled_sqlite_connection_is_durable_and_patient() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // Hold several at once so they are distinct connections, not one reused.
    let mut held: Vec<_> = (0..4).map(|_| app.conn()).collect();
    for conn in &mut held {
        assert_eq!(pragma(conn, "journal_mode"), "wal");
        assert_eq!(pragma(conn, "synchronous"), "2", "2 is FULL");
        assert_eq!(pragma(conn, "foreign_keys"), "1");
        assert_eq!(pragma(conn, "busy_timeout"), "10000");
    }
}

#[tokio::test]
async fn the_bundled_sqlite_is_built_for_one_thread_per_connection() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut conn = app.conn();
    let options: Vec<String> =
        diesel::sql_query("SELECT compile_options AS value FROM pragma_compile_options")
            .load::<Pragma>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|p| p.value)
            .collect();
    // Set in .cargo/config.toml; without them every column read takes a mutex.
    assert!(options.iter().any(|o| o == "THREADSAFE=2"), "{options:?}");
    assert!(
        options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
        "{options:?}"
    );
}

#[tokio::test]
async fn concurrent_sqlite_writers_wait_for_each_other_instead_of_failing() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.conn()
        .batch_execute("CREATE TABLE counter (n BIGINT NOT NULL); INSERT INTO counter VALUES (0);")
        .unwrap();
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    // Each writer reads, pauses, then writes: with a deferred BEGIN the second writer's lock
    // upgrade fails at once with "database is locked"; with BEGIN IMMEDIATE it waits its turn.
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let pool = app.pool.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    let mut conn = pool.get().unwrap();
                    write_tx(&mut conn, |conn| {
                        let n = diesel::sql_query("SELECT n FROM counter")
                            .get_result::<N>(conn)?
                            .n;
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        diesel::sql_query(format!("UPDATE counter SET n = {}", n + 1))
                            .execute(conn)?;
                        Ok::<_, diesel::result::Error>(())
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    let n = diesel::sql_query("SELECT n FROM counter")
        .get_result::<N>(&mut app.conn())
        .unwrap()
        .n;
    assert_eq!(n, 20, "no increment may be lost");
}

both_databases! {
    async fn a_failed_write_transaction_leaves_nothing_behind(app) {
        let mut conn = app.conn();
        let at = test_start().naive_utc();
        let result: Result<(), diesel::result::Error> = write_tx(&mut conn, |conn| {
            insert_post(conn, "QAIM", at)?;
            // The same code again violates UNIQUE: the first insert must roll back with it.
            insert_post(conn, "QAIM", at)?;
            Ok(())
        });
        assert!(result.is_err());
        let count: i64 = border_posts::table.count().get_result(&mut conn).unwrap();
        assert_eq!(count, 0);

        write_tx(&mut conn, |conn| insert_post(conn, "QAIM", at)).unwrap();
        let count: i64 = border_posts::table.count().get_result(&mut conn).unwrap();
        assert_eq!(count, 1);
    }

    // A bulk load's batches (`db::in_batches`): each item's own write transaction runs as a
    // savepoint inside its batch; a failing item rolls back its whole batch and ends the load,
    // while the batches before it stay committed. Outside a bulk load a write transaction
    // inside another is refused, as diesel refuses it.
    async fn a_bulk_load_commits_whole_batches_and_stops_at_a_failing_one(app) {
        use diesel::connection::TransactionManager;
        let mut conn = app.conn();
        let at = test_start().naive_utc();
        let mut seen = Vec::new();
        let result: Result<(), diesel::result::Error> = in_batches(&mut conn, 10, 3, |conn, n| {
            seen.push(n);
            // Item 4 reuses item 3's code: UNIQUE refuses it, in the second batch (3, 4, 5).
            // Batches of 2 or 4 would keep P3; of 5 or more, nothing.
            let code = format!("P{}", if n == 4 { 3 } else { n });
            write_tx(conn, |conn| insert_post(conn, &code, at)).map(|_| ())
        });
        assert!(result.is_err());
        assert_eq!(seen, [0, 1, 2, 3, 4], "the load ends at the failing item");
        let depth = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(&mut conn)
            .transaction_depth()
            .unwrap();
        assert_eq!(depth, None, "the connection is left outside any transaction");
        // Read on another connection: only what was committed.
        let codes: Vec<String> = border_posts::table
            .order(border_posts::code)
            .select(border_posts::code)
            .load(&mut app.conn())
            .unwrap();
        assert_eq!(codes, ["P0", "P1", "P2"]);

        // Outside a bulk load, nesting is a mistake and is refused; nothing is written.
        let nested: Result<(), diesel::result::Error> = write_tx(&mut conn, |conn| {
            insert_post(conn, "QAIM", at)?;
            write_tx(conn, |conn| insert_post(conn, "RABIA", at)).map(|_| ())
        });
        assert!(
            matches!(nested, Err(diesel::result::Error::AlreadyInTransaction)),
            "{nested:?}"
        );
        let count: i64 = border_posts::table.count().get_result(&mut app.conn()).unwrap();
        assert_eq!(count, 3);
    }

    async fn instants_come_back_exactly_to_the_microsecond(app) {
        let mut conn = app.conn();
        let at = Utc.timestamp_opt(1_734_512_400, 123_456_000).unwrap().naive_utc();
        insert_post(&mut conn, "QAIM", at).unwrap();
        let stored: NaiveDateTime = border_posts::table
            .select(border_posts::created_at)
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(stored, at);
        assert_eq!(stored.to_string(), "2024-12-18 09:00:00.123456");
        // The exports' quick reader agrees with diesel's to the microsecond.
        let quick: repatrack::db::Instant = border_posts::table
            .select(border_posts::created_at)
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(quick.0, at);
    }

    async fn arabic_text_is_stored_and_read_back_unchanged(app) {
        let mut conn = app.conn();
        insert_post(&mut conn, "QAIM", test_start().naive_utc()).unwrap();
        let name: String = border_posts::table.select(border_posts::name_ar).get_result(&mut conn).unwrap();
        assert_eq!(name, "القائم");
    }
}

/// Point 6 of issue 17: the server refuses to start on a database that would not keep what it
/// acknowledges, with one line saying why.
#[test]
fn the_server_refuses_a_postgres_without_synchronous_commit_and_a_damaged_sqlite_file() {
    use repatrack::config::{DatabaseUrl, Settings};
    use repatrack::startup::Application;
    let start = |url: DatabaseUrl| {
        let mut settings = Settings::for_database(url);
        settings.audit_signing_key = Some("11".repeat(32));
        Application::build(settings, repatrack::clock::Clock::manual(test_start()))
            .err()
            .map(|e| e.to_string())
    };
    // A file that is not an SQLite database at all: its page header is damaged.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.db");
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5_u8, 8192));
    std::fs::write(&path, &bytes).unwrap();
    let refused = start(DatabaseUrl::parse(path.to_str().unwrap()).unwrap());
    assert!(refused.is_some(), "a damaged file is not served");
    if let Some(admin) = postgres_admin_url() {
        let db = PgDatabase::create(&admin);
        let mut conn = PgConnection::establish(&admin).unwrap();
        conn.batch_execute(&format!(
            "ALTER DATABASE {} SET synchronous_commit = off",
            db.name
        ))
        .unwrap();
        let refused = start(DatabaseUrl::Postgres(db.url.clone())).unwrap_or_default();
        assert_eq!(
            refused,
            "database not safe to record into: PostgreSQL runs with synchronous_commit off: a crash could lose records it acknowledged; set it to on"
        );
    }
}

/// This process's POSIX read lock on the shared-lock range of the SQLite file at `path`, as
/// `/proc/locks` lists it: what tells every other process that the file is in use here.
#[cfg(target_os = "linux")]
fn holds_shared_lock(path: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(path).unwrap().ino();
    let wanted = format!("POSIX  ADVISORY  READ {} ", std::process::id());
    // SQLite's shared-lock range: 510 bytes after the pending and reserved bytes at 1 GiB.
    let range = format!(":{inode} 1073741826 1073742335");
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .any(|line| line.contains(&wanted) && line.ends_with(&range))
}

/// Closing any descriptor of a file drops every POSIX lock its process holds on it. A failed
/// connection that looked into the file with `std::fs` (to say whether it is encrypted) used to
/// do that to the whole server: the next command run beside it then found the file unlocked,
/// took itself for the last user, and deleted the write-ahead log the server was still writing
/// to. (Seen as CI flakes: a command's audit entries missing, a user just added not found.)
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_failed_connection_beside_the_server_leaves_the_servers_locks_alone() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let database = app.database_url();
    let _held = app.conn();
    assert!(
        holds_shared_lock(&database),
        "the server's connections hold the file"
    );

    // A connection with a key, to this plain file, fails and says why …
    let key = repatrack::db::encryption::DatabaseKey::parse(&"0".repeat(64)).unwrap();
    let refused =
        repatrack::db::pool::connect_sqlite_file(std::path::Path::new(&database), Some(&key))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
    assert!(
        refused.ends_with(": it is not encrypted, but a database key is set (REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE): encrypt it with `repatrack encrypt`, or unset the key"),
        "{refused}"
    );
    // … and the server still holds the file.
    assert!(
        holds_shared_lock(&database),
        "the failed connection dropped this process's locks"
    );

    // So a command that opens and closes the file beside the server leaves the log in place.
    let out = crate::backup::run(&["audit", "verify"], &database, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::path::Path::new(&format!("{database}-wal")).exists(),
        "the command took itself for the last user and removed the server's write-ahead log"
    );
}

/// PostgreSQL: a writer's lock on a post's row is an UPDATE's that leaves the key alone, so a
/// transaction inserting a row that refers to the post (here a user's post) does not wait for
/// it. Under `FOR UPDATE` the insert waited, so an agreement edit (the agreement's row, then its
/// posts) and an event citing it (the post's row, then the agreement's) could deadlock.
#[tokio::test]
async fn a_posts_writer_lock_lets_rows_that_refer_to_the_post_be_inserted() {
    use repatrack::audit::{self, Actor};
    use repatrack::db::schema::user_posts;
    use repatrack::error::AppError;
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    let post = app.create_post("QAIM");
    let user = app.create_user("sara", "officer", &[], false);
    let mut other = app.conn();
    let mut inserted = None;
    let _ = audit::write(&mut app.conn(), &Actor::system(), app.clock.now(), |w| {
        assert!(repatrack::db::posts::lock(w, post)?.is_some());
        // While this transaction holds the post's lock, another inserts a row referring to it.
        inserted = Some(other.transaction(|c| {
            c.batch_execute("SET LOCAL lock_timeout = '3s'")?;
            diesel::insert_into(user_posts::table)
                .values((user_posts::user_id.eq(user), user_posts::post_id.eq(post.0)))
                .execute(c)
        }));
        // No entry: the locking transaction rolls back; only the other's row stays.
        Ok::<_, AppError>(())
    });
    assert_eq!(inserted.map(|r| r.map_err(|e| e.to_string())), Some(Ok(1)));
    let stored: i64 = app.query(|c| {
        user_posts::table
            .filter(user_posts::user_id.eq(user))
            .count()
            .get_result(c)
    });
    assert_eq!(stored, 1);
}
