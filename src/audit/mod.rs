//! The audit trail: every state change commits together with exactly one entry in a SHA-256
//! hash chain, in the same database transaction.
//!
//! The only way to reach the database's write functions is a [`Writer`], and the only way to get
//! one is [`write`], which opens the transaction, hands the writer to the change, and refuses to
//! commit unless the change recorded exactly one entry. The entry's `seq` comes from the chain
//! head, read under a lock in that same transaction, so `seq` is gapless and concurrent writers
//! never fork the chain.

pub mod action;
pub mod chain;
pub mod checkpoint;
pub mod details;
pub mod receipt;
pub mod state;
pub mod verify;
mod writer;

pub use action::Action;
pub use details::Details;
pub use writer::{
    Actor, AuditError, Entry, RequestActor, Writer, actor_of, record_event, write, write_each,
};
