//! HTTP handlers, one module per resource.

pub mod health;
pub mod home;
pub mod static_files;
