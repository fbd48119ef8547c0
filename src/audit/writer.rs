//! The audited write path.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::action::Action;
use super::chain::{self, Fields};
use super::details::Details;
use crate::auth::Identity;
use crate::db::schema::{audit_head, audit_log};
use crate::db::{DbConn, TxError, write_tx};
use crate::domain::ids::UserId;

/// Who acts, from where.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The account, if a person is signed in.
    pub user_id: Option<UserId>,
    /// A user name, `anonymous`, or `system` (the command line).
    pub name: String,
    /// Client address, or empty.
    pub ip: String,
}

impl Actor {
    /// A signed-in user.
    pub fn user(identity: &Identity, ip: &str) -> Self {
        Self {
            user_id: Some(identity.user_id),
            name: identity.username.clone(),
            ip: ip.to_owned(),
        }
    }

    /// Someone not signed in (a failed sign-in, a refused request).
    pub fn anonymous(ip: &str) -> Self {
        Self {
            user_id: None,
            name: "anonymous".to_owned(),
            ip: ip.to_owned(),
        }
    }

    /// An operator at the command line.
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "system".to_owned(),
            ip: String::new(),
        }
    }
}

/// One entry, as a change describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What happened.
    pub action: Action,
    /// Kind of record: `post`, `user`, `session`, `request`.
    pub entity: &'static str,
    /// Which record.
    pub entity_id: String,
    /// The post it concerns (code), if any.
    pub post: Option<String>,
    /// Before/after and other facts.
    pub details: Details,
}

impl Entry {
    /// An entry about an account.
    pub fn about_user(action: Action, user: UserId, details: Details) -> Self {
        Self {
            action,
            entity: "user",
            entity_id: user.to_string(),
            post: None,
            details,
        }
    }
}

/// Why an audited write failed.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The database refused.
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    /// A change tried to commit without its entry.
    #[error("a change tried to commit without an audit entry")]
    MissingEntry,
    /// A change tried to record a second entry.
    #[error("a change tried to record a second audit entry")]
    SecondEntry,
    /// The chain-head row is missing: the trail cannot be extended until an operator restores it.
    #[error("the audit chain head is missing")]
    HeadMissing,
}

/// The handle every database write function requires; only [`write`] makes one.
pub struct Writer<'c> {
    conn: &'c mut DbConn,
    actor: &'c Actor,
    now: DateTime<Utc>,
    seq: Option<i64>,
    /// One transaction of several changes, each with its own entry ([`write_each`]).
    several: bool,
}

impl Writer<'_> {
    /// The connection, inside the change's transaction.
    pub fn conn(&mut self) -> &mut DbConn {
        self.conn
    }

    /// The instant of this change (UTC, microseconds).
    pub fn now(&self) -> NaiveDateTime {
        self.now.naive_utc()
    }

    /// Who acts.
    pub fn actor(&self) -> &Actor {
        self.actor
    }

    /// Runs `step` in a savepoint: if it fails, only its own statements are undone (on
    /// PostgreSQL a failed statement would otherwise spoil the whole transaction).
    pub fn savepoint<T>(
        &mut self,
        step: impl FnOnce(&mut Self) -> QueryResult<T>,
    ) -> QueryResult<T> {
        use diesel::connection::TransactionManager;
        type Manager = <DbConn as Connection>::TransactionManager;
        Manager::begin_transaction(self.conn)?;
        let recorded = self.seq;
        match step(self) {
            Ok(value) => {
                Manager::commit_transaction(self.conn)?;
                Ok(value)
            }
            Err(error) => {
                Manager::rollback_transaction(self.conn)?;
                // An entry recorded inside the undone step is undone with it.
                self.seq = recorded;
                Err(error)
            }
        }
    }

    /// Appends this change's one entry to the chain; returns its `seq`.
    pub fn record(&mut self, entry: Entry) -> Result<i64, AuditError> {
        if self.seq.is_some() && !self.several {
            return Err(AuditError::SecondEntry);
        }
        let seq = append(self.conn, self.actor, &entry, self.now)?;
        self.seq = Some(seq);
        Ok(seq)
    }
}

/// Runs `change` in a write transaction with a [`Writer`]; commits only if it succeeded and
/// recorded exactly one entry. If anything fails — the change or its entry — nothing is written.
/// On PostgreSQL a serialization failure runs `change` again in a new transaction (see
/// [`write_tx`]), so it reads everything it decides on inside the transaction.
pub fn write<T, E>(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    change: impl FnMut(&mut Writer<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: TxError + From<AuditError>,
{
    run(conn, actor, now, false, change)
}

/// Runs several changes that stand or fall together in one write transaction (closing every
/// ready day of a post up to a date), each recording its own entry: invariant 7 holds for each
/// change, and if any fails, none happens. At least one entry must be recorded.
pub fn write_each<T, E>(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    change: impl FnMut(&mut Writer<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: TxError + From<AuditError>,
{
    run(conn, actor, now, true, change)
}

fn run<T, E>(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    several: bool,
    mut change: impl FnMut(&mut Writer<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: TxError + From<AuditError>,
{
    write_tx(conn, |conn| {
        let mut writer = Writer {
            conn,
            actor,
            now,
            seq: None,
            several,
        };
        let value = change(&mut writer)?;
        if writer.seq.is_none() {
            return Err(AuditError::MissingEntry.into());
        }
        Ok(value)
    })
}

impl TxError for AuditError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Database(e) if e.retryable())
    }
}

/// Records an event that changes nothing else (a sign-in failure, a refusal, an export): one
/// entry in its own transaction.
pub fn record_event(
    conn: &mut DbConn,
    actor: &Actor,
    now: DateTime<Utc>,
    entry: Entry,
) -> Result<i64, AuditError> {
    write(conn, actor, now, |w| w.record(entry.clone()))
}

/// Locks the chain head until commit and reads it, in one statement. PostgreSQL: the row lock
/// is the one an UPDATE of the head takes, so the next writer waits here and then reads the head
/// as this transaction leaves it. SQLite: `BEGIN IMMEDIATE` already made this transaction the only
/// writer.
fn lock_head(conn: &mut DbConn) -> QueryResult<Option<(i64, String)>> {
    let head = audit_head::table
        .find(1_i64)
        .select((audit_head::seq, audit_head::hash));
    match conn {
        DbConn::Sqlite(conn) => head.first(conn).optional(),
        DbConn::Postgres(conn) => head.for_no_key_update().first(conn).optional(),
    }
}

/// Appends one entry under the chain-head lock.
fn append(
    conn: &mut DbConn,
    actor: &Actor,
    entry: &Entry,
    now: DateTime<Utc>,
) -> Result<i64, AuditError> {
    let (head_seq, head_hash) = lock_head(conn)?.ok_or(AuditError::HeadMissing)?;
    let seq = head_seq + 1;
    // Times never go backwards along the chain: if this server's clock is behind the previous
    // entry's (another instance, a clock step), the entry takes the previous time. Searches by
    // date rely on it to find their place by `seq`. Not read in `lock_head`'s statement: on
    // PostgreSQL, a statement that waited for the lock returns the head as the writer before left
    // it, but reads other tables as they were before it waited, without that writer's entry.
    let previous_at: Option<chrono::NaiveDateTime> = audit_log::table
        .find(head_seq)
        .select(audit_log::at)
        .first(conn)
        .optional()?;
    let now = match previous_at {
        Some(previous) if previous > now.naive_utc() => previous.and_utc(),
        _ => now,
    };
    let details = entry.details.to_canonical();
    let post = entry.post.clone().unwrap_or_default();
    let fields = Fields {
        seq,
        at_micros: now.timestamp_micros(),
        actor_id: actor.user_id.map(|u| u.0),
        actor: &actor.name,
        action: entry.action.code(),
        entity: entry.entity,
        entity_id: &entry.entity_id,
        post: &post,
        ip: &actor.ip,
        details: &details,
    };
    let format = chain::Format::CURRENT;
    let hash = chain::hash(format, &head_hash, &fields);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::seq.eq(seq),
            audit_log::at.eq(now.naive_utc()),
            audit_log::actor_id.eq(actor.user_id.map(|u| u.0)),
            audit_log::actor.eq(&actor.name),
            audit_log::action.eq(entry.action.code()),
            audit_log::entity.eq(entry.entity),
            audit_log::entity_id.eq(&entry.entity_id),
            audit_log::post.eq(&post),
            audit_log::ip.eq(&actor.ip),
            audit_log::details.eq(&details),
            audit_log::prev_hash.eq(&head_hash),
            audit_log::hash.eq(&hash),
            audit_log::format.eq(format.number()),
        ))
        .execute(conn)?;
    diesel::update(audit_head::table.find(1_i64))
        .set((audit_head::seq.eq(seq), audit_head::hash.eq(&hash)))
        .execute(conn)?;
    super::checkpoint::on_append(conn, seq, now)?;
    Ok(seq)
}

/// Extracts the [`Actor`] of a request: the signed-in user (or anonymous) and the client address.
pub struct RequestActor(pub Actor);

impl actix_web::FromRequest for RequestActor {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(Self(actor_of(req))))
    }
}

/// The actor of a request (see [`RequestActor`]).
pub fn actor_of(req: &actix_web::HttpRequest) -> Actor {
    use actix_web::HttpMessage;
    let trust = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .is_some_and(|s| s.settings.trust_forwarded_for);
    let ip = crate::auth::client_ip(req, trust);
    match req.extensions().get::<Identity>() {
        Some(identity) => Actor::user(identity, &ip),
        None => Actor::anonymous(&ip),
    }
}
