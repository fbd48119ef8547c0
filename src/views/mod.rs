//! Page structs, one per page, mirroring `templates/`. Auto-escaping is always on; no page
//! builds HTML with `format!`.

pub mod errors;
pub mod home;
pub mod layout;

pub use layout::Layout;
