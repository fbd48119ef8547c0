//! Refusing to start on a database that would not keep what it acknowledges: PostgreSQL with
//! `fsync` or `synchronous_commit` off, or an SQLite file that fails `PRAGMA quick_check`. One
//! clear line each, before anything is served.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::DbConn;

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    value: String,
}

fn first(conn: &mut DbConn, sql: &str) -> QueryResult<String> {
    Ok(diesel::sql_query(sql)
        .load::<Line>(conn)?
        .into_iter()
        .next()
        .map(|l| l.value)
        .unwrap_or_default())
}

/// `Err` with the reason the database is not safe to record into.
pub fn check(conn: &mut DbConn) -> Result<(), String> {
    let failed = |e: diesel::result::Error| format!("could not check the database: {e}");
    match conn {
        DbConn::Sqlite(_) => {
            let result = first(conn, "SELECT quick_check AS value FROM pragma_quick_check")
                .map_err(failed)?;
            if result != "ok" {
                return Err(format!(
                    "the SQLite file fails PRAGMA quick_check ({result}): restore it from a backup"
                ));
            }
        }
        DbConn::Postgres(_) => {
            let fsync = first(
                conn,
                "SELECT setting AS value FROM pg_settings WHERE name = 'fsync'",
            )
            .map_err(failed)?;
            if fsync != "on" {
                return Err("PostgreSQL runs with fsync off: a crash could lose records it acknowledged; turn fsync on".into());
            }
            let commit = first(
                conn,
                "SELECT current_setting('synchronous_commit') AS value",
            )
            .map_err(failed)?;
            if commit == "off" {
                return Err("PostgreSQL runs with synchronous_commit off: a crash could lose records it acknowledged; set it to on".into());
            }
        }
    }
    Ok(())
}
