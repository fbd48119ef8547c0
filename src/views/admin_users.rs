//! User administration pages.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::db::users::User;
use crate::domain::FieldErrors;
use crate::domain::account::AccountForm;
use crate::domain::role::Role;

/// One row of the user list.
pub struct UserRow {
    /// Key.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role in words.
    pub role: String,
    /// "All posts" or codes.
    pub scope: String,
    /// May sign in.
    pub active: bool,
    /// Last sign-in (UTC), or "never", in the page's language.
    pub last_login: String,
}

/// `GET /admin/users`.
#[derive(Template, WebTemplate)]
#[template(path = "admin_users/list.html")]
pub struct UserListPage {
    /// The frame.
    pub layout: Layout,
    /// Every account.
    pub users: Vec<UserRow>,
}

/// A post that can be ticked on the form.
pub struct PostChoice {
    /// Code.
    pub code: String,
    /// Name in the page's language.
    pub name: String,
}

/// `GET /admin/users/new`, `GET /admin/users/{id}`, and both re-shown with errors.
#[derive(Template, WebTemplate)]
#[template(path = "admin_users/form.html")]
pub struct UserFormPage {
    /// The frame.
    pub layout: Layout,
    /// What was typed (or stored).
    pub form: AccountForm,
    /// May sign in (edit only).
    pub active: bool,
    /// Every post, for the scope checkboxes.
    pub posts: Vec<PostChoice>,
    /// Messages beside the profile fields.
    pub errors: FieldErrors,
    /// Messages beside the password-reset field (edit only).
    pub password_errors: FieldErrors,
    /// `Some(id)` when editing.
    pub editing: Option<i64>,
    /// The message key of a confirmation to show.
    pub notice: Option<&'static str>,
    /// The version both edit forms are based on (edit only).
    pub version: i32,
    /// The newer stored values as (label, value) lines, when someone saved first (409).
    pub newer: Vec<(String, String)>,
    /// The 409 answers a password reset (the profile form then shows the stored values).
    pub reset_conflict: bool,
    /// "Set up on …", if the account has a second factor (edit only).
    pub two_factor_since: Option<String>,
    /// Whether the person asking may reset it (an administrator; not their own).
    pub two_factor_resettable: bool,
}

/// An account's values as an administrator edits them, as (label, value) lines, for the
/// conflict box.
pub fn value_lines(layout: &Layout, user: &User, posts: &[String]) -> Vec<(String, String)> {
    let yes_no = |b: bool| layout.t(if b { "value-yes" } else { "value-no" });
    let role = Role::parse(&user.role).map_or_else(
        |_| user.role.clone(),
        |r| super::layout::role_label(&layout.tr, r),
    );
    vec![
        (layout.t("field-display-name"), user.display_name.clone()),
        (layout.t("field-role"), role),
        (layout.t("field-all-posts"), yes_no(user.all_posts)),
        (layout.t("legend-posts"), posts.join(", ")),
        (layout.t("field-user-active"), yes_no(user.active)),
    ]
}

impl UserFormPage {
    /// Every role, for the select.
    pub fn roles(&self) -> [Role; 4] {
        Role::ALL
    }

    /// A role in words.
    pub fn role_label(&self, role: &Role) -> String {
        super::layout::role_label(&self.layout.tr, *role)
    }

    /// Whether `code` is ticked.
    pub fn has_post(&self, code: &str) -> bool {
        self.form
            .post_codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case(code))
    }
}
