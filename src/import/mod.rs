//! Importing the list the other side sends of whom they received: reading the file
//! ([`table`]), mapping its columns to person fields ([`mapping`]) and reconciling it with our
//! manifest ([`reconcile`]). Pure functions: no database, no web; the routes wire them.

pub mod mapping;
pub mod reconcile;
pub mod table;
