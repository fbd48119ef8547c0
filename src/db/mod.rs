//! The database: one connection type over SQLite or PostgreSQL, a pool, migrations, and the
//! transaction helper every write goes through.
//!
//! Portable SQL is the default everywhere. Backend-specific SQL lives only in this module tree,
//! inside a `match` on [`DbConn`] whose arms say why they differ.

pub mod agreements;
pub mod audit;
mod conn;
pub mod events;
mod instant;
pub mod introspect;
pub mod ledger;
pub mod migrate;
pub mod pool;
pub mod posts;
pub mod schema;
pub mod sessions;
pub mod throttle;
pub mod users;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;

pub use conn::DbConn;
pub use instant::Instant;
pub use pool::{ConnectError, Pool, PooledConn, connect_one, connect_pool};

/// Runs `work` in a write transaction: committed if it returns `Ok`, rolled back otherwise.
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front, so
/// a second writer waits on the busy timeout instead of failing with "database is locked" when
/// its read lock cannot be upgraded. PostgreSQL's default `BEGIN` already behaves that way for
/// row locks. Nested calls inside `work` (`conn.transaction`) become savepoints as usual,
/// because the transaction state lives in the inner connection either way.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    work: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    run_in_transaction(conn, "BEGIN IMMEDIATE", "BEGIN", work)
}

/// Runs `work` in a read-only transaction that sees one consistent snapshot from start to end
/// (SQLite: a deferred transaction under WAL; PostgreSQL: REPEATABLE READ), so a long read —
/// verifying the whole audit chain — is not confused by writes committed meanwhile, and does not
/// hold up writers.
pub fn read_tx<T, E>(
    conn: &mut DbConn,
    work: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    run_in_transaction(
        conn,
        "BEGIN DEFERRED",
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        work,
    )
}

fn run_in_transaction<T, E>(
    conn: &mut DbConn,
    sqlite_begin: &str,
    postgres_begin: &str,
    work: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, sqlite_begin)?
        }
        DbConn::Postgres(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, postgres_begin)?
        }
    }
    match work(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            // The work's own error is the one worth reporting; a failed rollback leaves the
            // connection marked broken, and the pool discards it.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(error)
        }
    }
}

/// Answers only when the database answers a query (used by `/healthz`).
pub fn ping(conn: &mut DbConn) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}
