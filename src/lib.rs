//! repatrack: the record of people crossing a border and being returned.
//!
//! The binary (`src/main.rs`) only parses the command line; everything else lives here so the
//! integration tests drive exactly the code that production runs.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod demo_scale;
pub mod demo_story;
pub mod domain;
pub mod error;
pub mod export;
pub mod i18n;
pub mod import;
pub mod reports;
pub mod routes;
pub mod security_headers;
pub mod services;
pub mod situation;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod views;
