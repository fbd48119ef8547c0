//! The one integration-test binary (each extra file under `tests/` would be another link step).
//! Every test that touches the database runs twice: on a temporary SQLite file and, when
//! `TEST_POSTGRES_URL` is set, on a fresh PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

#[macro_use]
mod helpers;

mod access;
mod agreements;
mod audit;
mod audit_state;
mod auth;
mod backup;
mod browser;
mod cli;
mod database;
mod demo_scale;
mod encryption;
mod events;
mod exports;
mod fuzz_posts;
mod hardening;
mod health;
mod i18n;
mod imports;
mod ledger_random;
mod manifests;
mod migrations;
mod pages;
mod people;
mod policy;
mod posts;
mod query_plans;
mod queue;
mod situation;
mod totals;
mod two_factor;
mod users;
