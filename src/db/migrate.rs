//! Migrations, embedded in the binary, one tree per backend with the same names.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConn;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A migration that failed, with the driver's message.
#[derive(Debug, thiserror::Error)]
#[error("migration failed: {0}")]
pub struct MigrationError(String);

fn wrap(e: Box<dyn std::error::Error + Send + Sync>) -> MigrationError {
    MigrationError(e.to_string())
}

/// Applies every pending migration; returns the names applied, oldest first.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE).map_err(wrap)?,
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES).map_err(wrap)?,
    };
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Reverts every applied migration, newest first (used by the down-then-up tests).
pub fn revert_all(conn: &mut DbConn) -> Result<Vec<String>, MigrationError> {
    let reverted = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE).map_err(wrap)?,
        DbConn::Postgres(c) => c.revert_all_migrations(POSTGRES).map_err(wrap)?,
    };
    Ok(reverted.iter().map(ToString::to_string).collect())
}
