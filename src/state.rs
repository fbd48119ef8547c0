//! What handlers and lower layers share: the pool, the clock and the settings. Nothing below
//! `routes` imports `startup` (the assembly of the application); they take this instead.

use std::sync::Arc;

use actix_web::web;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{DbConn, Pool};
use crate::error::{AppResult, Context};

/// What every handler can reach.
pub struct AppState {
    /// The database pool.
    pub pool: Pool,
    /// The only source of "now".
    pub clock: Clock,
    /// Validated settings.
    pub settings: Arc<Settings>,
    /// Password hashing, bounded to one per CPU.
    pub hasher: crate::auth::password::Hasher,
    /// As many turns at database work as the pool has connections (see [`AppState::db`]).
    pub db_turns: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Runs blocking database `work` on actix's blocking thread pool with a pooled connection,
    /// so request threads never wait on disk or network I/O.
    pub async fn db<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        // Waits here, not on a blocking thread inside `pool.get()`: under 64 connections a
        // blocking thread was started for every request only to wait for one of the pool's few
        // connections, and each thread's allocator arena kept what it had used (resident memory
        // under load, issue 19).
        let _turn = self
            .db_turns
            .acquire()
            .await
            .context("waiting for a database turn")?;
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().context("borrowing a database connection")?;
            work(&mut conn)
        })
        .await
        .context("waiting for a database worker")?
    }
}
