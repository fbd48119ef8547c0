//! The connection type over both backends.
// The MultiConnection derive generates public helper items that cannot carry doc comments.
#![allow(missing_docs)]

use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;

/// One connection to whichever backend `DATABASE_URL` chose.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// PostgreSQL, for deployments with many posts and several app instances.
    Postgres(PgConnection),
    /// SQLite, the embedded default.
    Sqlite(SqliteConnection),
}

impl DbConn {
    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Postgres(_) => "postgres",
            Self::Sqlite(_) => "sqlite",
        }
    }
}
