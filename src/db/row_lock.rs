//! Row locks that serialize writers of one record until their transaction ends.
//!
//! PostgreSQL: `SELECT … FOR UPDATE` takes the row's lock (the strength an UPDATE of its key
//! would take), which a second writer of the same record waits on. SQLite: the write
//! transaction began `IMMEDIATE` and already holds the database's single write lock, so the
//! statement only reads whether the row exists.
//!
//! Why not the no-op `UPDATE t SET id = id` used before: SQLite counts that as changing the
//! key, and with foreign keys on it visits every child row referencing it — every event of the
//! post, on every event recorded or verified. At 300,000 events that was most of the cost of
//! recording one, and at a million writers queued past the busy timeout.

use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::DbConn;
use crate::audit::Writer;

/// The tables whose rows writers lock (fixed names: never text from a request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// `agreements`.
    Agreement,
    /// `users`.
    User,
    /// `people`.
    Person,
}

impl Locked {
    fn table(self) -> &'static str {
        match self {
            Self::Agreement => "agreements",
            Self::User => "users",
            Self::Person => "people",
        }
    }
}

#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)] // read only to count the rows
    id: i64,
}

/// Locks the row `id` of `table` for the rest of the transaction; returns how many rows there
/// are (0 when there is no such record, 1 otherwise).
pub fn lock(w: &mut Writer<'_>, table: Locked, id: i64) -> QueryResult<usize> {
    let name = table.table();
    let found: Vec<Found> = match w.conn() {
        DbConn::Sqlite(conn) => diesel::sql_query(format!("SELECT id FROM {name} WHERE id = ?"))
            .bind::<BigInt, _>(id)
            .load(conn)?,
        DbConn::Postgres(conn) => {
            diesel::sql_query(format!("SELECT id FROM {name} WHERE id = $1 FOR UPDATE"))
                .bind::<BigInt, _>(id)
                .load(conn)?
        }
    };
    Ok(found.len())
}
