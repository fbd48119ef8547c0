//! The database: one connection type over SQLite or PostgreSQL, a pool, migrations, and the
//! transaction helper every write goes through.
//!
//! Portable SQL is the default everywhere. Backend-specific SQL lives only in this module tree,
//! inside a `match` on [`DbConn`] whose arms say why they differ.

pub mod agreements;
pub mod audit;
mod conn;
pub mod durability;
pub mod encryption;
pub mod event_lists;
pub mod events;
pub mod followups;
mod instant;
pub mod introspect;
pub mod ledger;
pub mod manifests;
pub mod migrate;
pub mod people;
pub mod pool;
pub mod posts;
pub mod queue;
pub mod row_lock;
pub mod schema;
pub mod scope;
pub mod sessions;
pub mod throttle;
pub mod two_factor;
pub mod users;
mod writer_queue;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;

pub use conn::DbConn;
pub use instant::{Instant, MaybeInstant};
pub use pool::{ConnectError, Pool, PooledConn, connect_one, connect_pool, connect_sqlite_file};

/// An error a write transaction can end with, which says whether it was the database refusing
/// to serialize this transaction against another (worth running again) or anything else.
pub trait TxError: From<diesel::result::Error> {
    /// Whether the transaction failed only because of a concurrent one: a serialization failure
    /// or a deadlock (PostgreSQL), which running it again resolves.
    fn retryable(&self) -> bool;
}

impl TxError for diesel::result::Error {
    fn retryable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
            // diesel has no kind for SQLSTATE 40P01; PostgreSQL names it in its message.
            Error::DatabaseError(_, info) => info.message().contains("deadlock detected"),
            _ => false,
        }
    }
}

/// This thread's turn in the writer queue on SQLite, where one writer at a time is the rule;
/// none on PostgreSQL, whose writers lock only the rows they change.
fn writer_turn(conn: &DbConn) -> Option<writer_queue::Turn> {
    matches!(conn, DbConn::Sqlite(_)).then(writer_queue::wait_for_turn)
}

/// Runs one statement that writes outside any transaction of its own (session bookkeeping: the
/// notice left for the next page, the idle timer). On SQLite it first takes its turn in the
/// writer queue like every write transaction. Left to SQLite's busy handler it would poll,
/// sleeping up to 100 ms between tries, while the queue hands the lock from one transaction
/// straight to the next: under 16 clients recording at once, the notice after each recorded
/// event waited 300 ms to 1.3 s behind them (BENCHMARKS.md, issue 19). Inside a write
/// transaction of the same thread it does not queue again.
pub fn write_statement<T>(
    conn: &mut DbConn,
    statement: impl FnOnce(&mut DbConn) -> QueryResult<T>,
) -> QueryResult<T> {
    let _turn = writer_turn(conn);
    statement(conn)
}

/// How many times a write transaction is tried in all before its serialization failure is
/// reported as an error.
pub const WRITE_ATTEMPTS: u32 = 5;

/// Runs `work` in a write transaction: committed if it returns `Ok`, rolled back otherwise.
///
/// On SQLite the transaction starts with `BEGIN IMMEDIATE`, taking the write lock up front, so
/// a second writer waits instead of failing with "database is locked" when its read lock cannot
/// be upgraded. Writers of this process first queue for their turn ([`writer_queue`]), so the
/// next one starts the moment the previous one commits; SQLite's busy timeout only decides
/// between processes.
///
/// On PostgreSQL it starts with `BEGIN ISOLATION LEVEL READ COMMITTED`, whatever the server's
/// default. Writers serialize on row locks (the post's, the agreement's, the audit chain head's)
/// and must then read what the previous holder committed; under REPEATABLE READ or SERIALIZABLE
/// a writer that waited on a lock fails with "could not serialize access" instead. A transaction
/// that still fails that way, or in a deadlock, is rolled back and run again, at most
/// [`WRITE_ATTEMPTS`] times in all, after a short random pause; `work` therefore runs once per
/// attempt and must not keep state from a failed one.
///
/// Nested calls inside `work` (`conn.transaction`) become savepoints as usual, because the
/// transaction state lives in the inner connection either way. A `write_tx` inside another
/// transaction is refused (diesel's `AlreadyInTransaction`), except within a bulk load's batch
/// ([`in_batches`]), where it becomes a savepoint of the batch.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    mut work: impl FnMut(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: TxError,
{
    let mut attempt = 1;
    loop {
        let _turn = writer_turn(conn);
        match run_in_transaction(
            conn,
            "BEGIN IMMEDIATE",
            "BEGIN ISOLATION LEVEL READ COMMITTED",
            IN_BULK_LOAD.get(),
            &mut work,
        ) {
            Err(e) if e.retryable() && attempt < WRITE_ATTEMPTS => {
                tracing::warn!(attempt, "write transaction not serializable; trying again");
                pause_before_retry(attempt);
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

/// A random pause growing with each attempt (1–4 ms, then up to 8, 16, 32), so two transactions
/// that collided do not collide again in step.
fn pause_before_retry(attempt: u32) {
    use rand::Rng;
    let ceiling_ms = 4u64 << attempt.min(4);
    let ms = rand::rng().random_range(1..=ceiling_ms);
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

/// Runs `count` write operations of a bulk load (`item(conn, n)` for each `n` below `count`),
/// `per_batch` of them to one outer write transaction. Each operation's own write transactions
/// ([`write_tx`]) become savepoints inside it, so they write the same rows and audit entries,
/// but the pages they share (the audit head, the post's ledger row, the indexes' last pages) are
/// written to the log once per batch rather than once per operation. A batch is not tried
/// again: `item` keeps state from one operation to the next. An error rolls its batch back and
/// ends the load; earlier batches stay committed.
pub fn in_batches<E>(
    conn: &mut DbConn,
    count: u64,
    per_batch: u64,
    mut item: impl FnMut(&mut DbConn, u64) -> Result<(), E>,
) -> Result<(), E>
where
    E: From<diesel::result::Error>,
{
    let mut start = 0;
    while start < count {
        let end = count.min(start + per_batch.max(1));
        let _turn = writer_turn(conn);
        run_in_transaction(
            conn,
            "BEGIN IMMEDIATE",
            "BEGIN ISOLATION LEVEL READ COMMITTED",
            false,
            |conn| {
                let _batch = BulkLoad::enter();
                (start..end).try_for_each(|n| item(conn, n))
            },
        )?;
        start = end;
    }
    Ok(())
}

thread_local! {
    /// Whether this thread is running a bulk load's batch, inside which [`write_tx`] nests as a
    /// savepoint. Anywhere else a nested transaction is a mistake, and diesel refuses it.
    static IN_BULK_LOAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// This thread's time inside a bulk load's batch; it ends when dropped, on error or panic too.
struct BulkLoad;

impl BulkLoad {
    fn enter() -> Self {
        IN_BULK_LOAD.set(true);
        Self
    }
}

impl Drop for BulkLoad {
    fn drop(&mut self) {
        IN_BULK_LOAD.set(false);
    }
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
        false,
        work,
    )
}

/// `nest`: inside a transaction already, open a savepoint (which the outer transaction's end
/// commits or rolls back) instead of refusing with `AlreadyInTransaction`.
fn run_in_transaction<T, E>(
    conn: &mut DbConn,
    sqlite_begin: &str,
    postgres_begin: &str,
    nest: bool,
    work: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let nested = nest
        && <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
            .transaction_depth()?
            .is_some();
    match conn {
        _ if nested => <DbConn as Connection>::TransactionManager::begin_transaction(conn)?,
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
