//! Building the application: one [`configure`] used by production and tests alike.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::dev::Service as _;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, guard, web};
use tracing_actix_web::TracingLogger;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, ConnectError, DbConn, Pool};
use crate::error::AppError;
use crate::routes::table;
use crate::security_headers;
pub use crate::state::AppState;

/// Why the application could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] db::migrate::MigrationError),
    /// The audit signing key could not be loaded or created.
    #[error("audit signing key: {0}")]
    Key(String),
    /// The database would not keep what it acknowledges (fsync or synchronous commit off, a
    /// damaged SQLite file).
    #[error("database not safe to record into: {0}")]
    Unsafe(String),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The address asked for.
        address: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Every route of the application, from `routes::table`, each behind its access check.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::FormConfig::default()
            .error_handler(|e, _| AppError::Unprocessable(e.to_string()).into()),
    )
    .app_data(
        web::QueryConfig::default()
            .error_handler(|e, _| AppError::Unprocessable(e.to_string()).into()),
    )
    .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()));
    for entry in table::routes() {
        let access = entry.access;
        // The method guard sits on the resource, so a GET and a POST of one path are two
        // resources and the router falls through from one to the other.
        // HEAD is answered wherever GET is (load balancers and uptime checks use it); the
        // server sends the headers without the body.
        let method = entry.method.clone();
        let resource = web::resource(entry.path)
            .guard(guard::fn_guard(move |ctx| {
                let asked = &ctx.head().method;
                *asked == method
                    || (method == actix_web::http::Method::GET
                        && *asked == actix_web::http::Method::HEAD)
            }))
            .wrap_fn(move |req, service| {
                use futures_util::future::Either;
                match access.check_request(&req) {
                    Ok(()) => Either::Left(service.call(req)),
                    Err(denied) => {
                        // A role refusal is an audit event; a sign-in redirect is not.
                        let audit = matches!(denied, AppError::Forbidden).then(|| {
                            let state = req.app_data::<web::Data<AppState>>().cloned();
                            let actor = crate::audit::actor_of(req.request());
                            (
                                state,
                                actor,
                                req.method().to_string(),
                                req.path().to_owned(),
                            )
                        });
                        let response =
                            req.into_response(actix_web::ResponseError::error_response(&denied));
                        Either::Right(async move {
                            if let Some((Some(state), actor, method, path)) = audit {
                                crate::auth::denied::record(&state, actor, method, path, "role")
                                    .await;
                            }
                            Ok(response)
                        })
                    }
                }
            })
            .route((entry.handler)());
        cfg.service(resource);
    }
    cfg.default_service(web::to(|| async { AppError::NotFound.into_response() }));
}

/// Opens one connection and applies pending migrations: the command line's way in (see
/// [`db::connect_one`] for why not a pool).
pub fn prepare_connection(settings: &Settings) -> Result<DbConn, StartError> {
    let mut conn = db::connect_one(&settings.database, settings.database_key.as_ref())?;
    let applied = db::migrate::run_pending(&mut conn)?;
    for name in applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(conn)
}

/// Opens the pool and applies pending migrations (the server's start).
pub fn prepare_database(settings: &Settings) -> Result<Pool, StartError> {
    let pool = db::connect_pool(&settings.database, settings.database_key.as_ref())?;
    let mut conn = pool.get().map_err(ConnectError::Pool)?;
    db::durability::check(&mut conn).map_err(StartError::Unsafe)?;
    let applied = db::migrate::run_pending(&mut conn)?;
    for name in applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(pool)
}

/// What to tell the operator at start when people's records sit in a plain SQLite file that
/// anyone holding the disk can read; `None` on PostgreSQL, for an encrypted file, or while no
/// person is recorded.
pub fn unencrypted_warning(settings: &Settings, conn: &mut DbConn) -> Option<String> {
    let crate::config::DatabaseUrl::Sqlite(path) = &settings.database else {
        return None;
    };
    if settings.database_key.is_some() {
        return None;
    }
    let people = db::people::count_all(conn).ok()?;
    (people > 0).then(|| {
        format!(
            "{} holds {people} people's records and is NOT encrypted: anyone with a copy of the file (a lost laptop, a backup) can read them. Set REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE, stop the server and run `repatrack encrypt` (README: Encryption at rest)",
            path.display()
        )
    })
}

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
    clock: Clock,
    checkpoint_check: Option<std::time::Duration>,
}

impl Application {
    /// Connects, migrates and binds. Port 0 picks a free port (tests use that).
    pub fn build(settings: Settings, clock: Clock) -> Result<Self, StartError> {
        let pool = prepare_database(&settings)?;
        crate::audit::checkpoint::install_from(&settings).map_err(StartError::Key)?;
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartError::Bind {
            address: settings.bind.to_string(),
            source,
        })?;
        let bind_error = |source| StartError::Bind {
            address: settings.bind.to_string(),
            source,
        };
        let port = listener.local_addr().map_err(bind_error)?.port();
        let state_clock = clock.clone();
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            clock,
            settings: Arc::new(settings.clone()),
            hasher: crate::auth::password::Hasher::default(),
            db_turns: Arc::new(tokio::sync::Semaphore::new(
                usize::try_from(pool.max_size()).unwrap_or(1),
            )),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                // Runs last-to-first: compression of what is finally sent, headers on everything,
                // then logging, then error pages in the visitor's language, then who is asking,
                // then the CSRF check (which needs it).
                .wrap(from_fn(crate::auth::csrf::protect))
                .wrap(from_fn(crate::auth::session::resolve))
                .wrap(from_fn(crate::views::errors::localize))
                // One line per request, naming its path and never its query string.
                .wrap(TracingLogger::<crate::telemetry::PathOnlySpan>::new())
                .wrap(from_fn(security_headers::apply))
                // gzip, brotli or zstd when the client asks (`Accept-Encoding`); a streamed
                // export stays streamed, chunk by chunk, and its recorded SHA-256 is of the bytes
                // before compression (they are hashed as they are written).
                .wrap(actix_web::middleware::Compress::default())
                .configure(configure)
        })
        // Without TCP_NODELAY a streamed response stalls ~40 ms per request on keep-alive.
        .tcp_nodelay(true)
        .listen(listener)
        .map_err(bind_error)?
        .run();
        Ok(Self {
            port,
            server,
            pool,
            clock: state_clock,
            checkpoint_check: settings.checkpoint_check,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The application's connection pool (tests arrange data through it).
    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// How many accounts exist (`None` if the database cannot say).
    pub fn user_count(&self) -> Option<i64> {
        let mut conn = self.pool.get().ok()?;
        db::users::count(&mut conn).ok()
    }

    /// A handle that stops the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the process is stopped; meanwhile signs an audit checkpoint whenever the
    /// trail has grown and the last one is an hour old.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (pool, clock) = (self.pool.clone(), self.clock.clone());
        let Some(every) = self.checkpoint_check else {
            return self.server.await;
        };
        actix_web::rt::spawn(async move {
            let mut tick = actix_web::rt::time::interval(every);
            loop {
                tick.tick().await;
                let (pool, now) = (pool.clone(), clock.now());
                let signed = web::block(move || {
                    let key = crate::audit::checkpoint::installed()?;
                    let mut conn = pool.get().ok()?;
                    crate::audit::checkpoint::sign_if_due(&mut conn, key, now)
                        .ok()
                        .flatten()
                })
                .await;
                if let Ok(Some(seq)) = signed {
                    tracing::info!(seq, "signed an audit checkpoint");
                }
            }
        });
        self.server.await
    }
}
