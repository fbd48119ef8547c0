//! Opening connections and pooling them.
//!
//! We implement r2d2's `ManageConnection` ourselves instead of using diesel's generic manager:
//! the derived multi-connection `establish` tries each backend in turn and hides the real error
//! (and SQLite accepts almost any string as a file name). Here the backend is already decided by
//! [`DatabaseUrl`], and a refused connection reports what the server said.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;

use super::DbConn;
use super::encryption::{self, DatabaseKey};
use crate::config::DatabaseUrl;

/// How long an SQLite connection waits for another writer before giving up.
pub const SQLITE_BUSY_TIMEOUT_MS: u32 = 10_000;

/// The shared connection pool.
pub type Pool = r2d2::Pool<Manager>;
/// One connection borrowed from the pool.
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The server or file refused the connection.
    #[error("cannot open {target}: {source}")]
    Open {
        /// The database, password redacted.
        target: String,
        /// What the driver said.
        source: ConnectionError,
    },
    /// A per-connection setting failed to apply.
    #[error("cannot configure {target}: {source}")]
    Setup {
        /// The database, password redacted.
        target: String,
        /// What the database said.
        source: diesel::result::Error,
    },
    /// The SQLite file cannot be read with the key given (or without one).
    #[error("cannot open {target}: {reason}")]
    Key {
        /// The database.
        target: String,
        /// Which key problem, and what to do.
        reason: String,
    },
    /// No connection became free in time, or none could be opened.
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::PoolError),
}

/// Opens connections for the pool, applying the per-connection settings each backend needs.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
    key: Option<DatabaseKey>,
}

impl Manager {
    /// Opens one configured connection.
    pub fn open(&self) -> Result<DbConn, ConnectError> {
        let target = self.url.to_string();
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn =
                    SqliteConnection::establish(&path.to_string_lossy()).map_err(|source| {
                        ConnectError::Open {
                            target: target.clone(),
                            source,
                        }
                    })?;
                // Patient before anything reads the file: a first read that met another
                // process's lock would otherwise fail at once. Setting it reads nothing, so the
                // key still comes before the first read.
                conn.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"))
                    .map_err(|source| ConnectError::Setup {
                        target: target.clone(),
                        source,
                    })?;
                // The key next: nothing may read the file before it.
                encryption::unlock(&mut conn, path, self.key.as_ref()).map_err(|reason| {
                    ConnectError::Key {
                        target: target.clone(),
                        reason,
                    }
                })?;
                // Per connection: these settings do not persist in the file. WAL does persist,
                // and is set once in `connect_pool` (setting it here races between connections).
                conn.batch_execute(
                    "PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(|source| ConnectError::Setup { target, source })?;
                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn =
                    PgConnection::establish(url).map_err(|source| ConnectError::Open {
                        target: target.clone(),
                        source,
                    })?;
                // Our timestamps are UTC by convention; make the session agree so that any
                // server-side date arithmetic (reports) uses the same calendar.
                conn.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(|source| ConnectError::Setup { target, source })?;
                Ok(DbConn::Postgres(conn))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        self.open()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        super::ping(conn).map_err(|source| ConnectError::Setup {
            target: self.url.to_string(),
            source,
        })
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::connection::TransactionManager;
        // A connection left inside a transaction (a panic mid-write) or with a broken
        // transaction manager must not be handed out again.
        let depth =
            <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
                .transaction_depth();
        !matches!(depth, Ok(None))
    }
}

/// One connection outside any pool, for the command line. A pool opens connections on worker
/// threads, and one still connecting when a short command exits races the C libraries'
/// exit-time cleanup (a CI run saw `repatrack user add` end with SIGSEGV after its last line).
pub fn connect_one(url: &DatabaseUrl, key: Option<&DatabaseKey>) -> Result<DbConn, ConnectError> {
    let mut conn = Manager {
        url: url.clone(),
        key: key.cloned(),
    }
    .open()?;
    if let DatabaseUrl::Sqlite(_) = url {
        diesel::sql_query("PRAGMA journal_mode = WAL")
            .execute(&mut conn)
            .map_err(|source| ConnectError::Setup {
                target: url.to_string(),
                source,
            })?;
    }
    Ok(conn)
}

/// Opens one SQLite file as the server would (the same per-connection settings), without
/// switching it to WAL: for looking into a backup or a copy being restored. `key` is the
/// file's SQLCipher key (`None` for a plain file).
pub fn connect_sqlite_file(
    path: &std::path::Path,
    key: Option<&DatabaseKey>,
) -> Result<DbConn, ConnectError> {
    Manager {
        url: DatabaseUrl::Sqlite(path.to_path_buf()),
        key: key.cloned(),
    }
    .open()
}

/// Opens the database and builds the pool.
///
/// One connection is opened directly first, so that a wrong URL or a server that is down stops
/// the start with the driver's own message (a pool would only report a timeout). On SQLite that
/// first connection also switches the file to WAL: doing it from several fresh pooled
/// connections at once fails with "database is locked", and the mode persists in the file.
pub fn connect_pool(url: &DatabaseUrl, key: Option<&DatabaseKey>) -> Result<Pool, ConnectError> {
    let manager = Manager {
        url: url.clone(),
        key: key.cloned(),
    };
    let setup_error = |source| ConnectError::Setup {
        target: url.to_string(),
        source,
    };
    let mut first = manager.open()?;
    let size = match url {
        DatabaseUrl::Sqlite(_) => {
            diesel::sql_query("PRAGMA journal_mode = WAL")
                .execute(&mut first)
                .map_err(setup_error)?;
            // SQLite serialises writers anyway; a few connections serve concurrent readers.
            8
        }
        DatabaseUrl::Postgres(_) => 10,
    };
    super::ping(&mut first).map_err(setup_error)?;
    drop(first);
    Ok(r2d2::Pool::builder()
        .max_size(size)
        // Open connections on demand: many instances may share one PostgreSQL.
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(15))
        .test_on_check_out(false)
        .build_unchecked(manager))
}
