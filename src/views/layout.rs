//! What every page's frame (`templates/base.html`) needs: language, the navigation a user may
//! use, who is signed in, and the CSRF token for the sign-out form.

use crate::auth::Identity;
use crate::domain::role::Role;
use crate::routes::static_files;

/// Which part of the application a page belongs to (highlights the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `/`.
    Dashboard,
    /// `/posts…`.
    Posts,
    /// `/admin…`.
    Admin,
    /// `/account`.
    Account,
    /// Pages outside the navigation.
    Other,
}

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Target.
    pub href: &'static str,
    /// Text.
    pub label: &'static str,
    /// Whether the page shown belongs to it (`aria-current="page"`).
    pub current: bool,
}

/// The signed-in user, as the header shows them.
#[derive(Debug, Clone)]
pub struct UserBar {
    /// Display name.
    pub display_name: String,
    /// Role, in words.
    pub role: &'static str,
    /// "All posts" or the assigned codes.
    pub scope: String,
}

/// Data for the shared layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// `lang` attribute of `<html>`.
    pub lang: &'static str,
    /// `dir` attribute of `<html>`: `ltr` or `rtl`.
    pub dir: &'static str,
    /// The stylesheet's URL, carrying its content hash so browsers may cache it for a year.
    pub stylesheet: String,
    /// Navigation links the user may follow.
    pub nav: Vec<NavLink>,
    /// Who is signed in, if anyone.
    pub user: Option<UserBar>,
    /// The session's CSRF token (for the sign-out form); empty when anonymous.
    pub csrf_token: String,
}

impl Layout {
    /// The layout for an anonymous visitor.
    pub fn anonymous() -> Self {
        Self {
            lang: "en",
            dir: "ltr",
            stylesheet: static_files::versioned_url("css/app.css"),
            nav: Vec::new(),
            user: None,
            csrf_token: String::new(),
        }
    }

    /// The layout for a signed-in user on a page of `section`.
    pub fn for_user(identity: &Identity, section: Section) -> Self {
        let mut nav = vec![
            NavLink {
                href: "/",
                label: "Dashboard",
                current: section == Section::Dashboard,
            },
            NavLink {
                href: "/posts",
                label: "Posts",
                current: section == Section::Posts,
            },
        ];
        if identity.role == Role::Admin {
            nav.push(NavLink {
                href: "/admin/users",
                label: "Admin",
                current: section == Section::Admin,
            });
        }
        let scope = if identity.all_posts {
            "All posts".to_owned()
        } else if identity.post_codes.is_empty() {
            "No posts assigned".to_owned()
        } else {
            identity.post_codes.join(", ")
        };
        Self {
            nav,
            user: Some(UserBar {
                display_name: identity.display_name.clone(),
                role: identity.role.label(),
                scope,
            }),
            csrf_token: identity.csrf_token.clone(),
            ..Self::anonymous()
        }
    }
}
