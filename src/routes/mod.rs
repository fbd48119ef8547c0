//! HTTP handlers, one module per resource; `table` lists every route with what it needs.

pub mod account;
pub mod admin_users;
pub mod agreements;
pub mod audit;
pub mod dashboard;
pub mod events;
pub mod form;
pub mod health;
pub mod language;
pub mod login;
pub mod people;
pub mod posts;
pub mod queue;
pub mod reports;
pub mod situation;
pub mod static_files;
pub mod table;
pub mod totals;
pub mod two_factor;
pub mod upload;
