//! What every page's frame (`templates/base.html`) needs.

use crate::routes::static_files;

/// Data for the shared layout: language, direction, and the versioned stylesheet URL.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `lang` attribute of `<html>`.
    pub lang: &'static str,
    /// `dir` attribute of `<html>`: `ltr` or `rtl`.
    pub dir: &'static str,
    /// The stylesheet's URL, carrying its content hash so browsers may cache it for a year.
    pub stylesheet: String,
}

impl Layout {
    /// The layout for an anonymous visitor.
    pub fn anonymous() -> Self {
        Self {
            lang: "en",
            dir: "ltr",
            stylesheet: static_files::versioned_url("css/app.css"),
        }
    }
}
