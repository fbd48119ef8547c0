//! User administration: `/admin/users…` (administrators).

pub mod edit;
pub mod list;
pub mod new;

use serde::Deserialize;

use crate::db::{self, DbConn};
use crate::domain::account::AccountForm;
use crate::i18n::{Lang, Tr};
use crate::views::admin_users::PostChoice;

/// The account form as the browser sends it.
#[derive(Deserialize, Default)]
pub struct UserInput {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    all_posts: Option<String>,
    #[serde(default)]
    posts: Vec<String>,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    password: String,
    /// The version an edit was based on (edits only).
    #[serde(default)]
    version: String,
}

impl UserInput {
    fn form(&self) -> AccountForm {
        AccountForm {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role.clone(),
            all_posts: self.all_posts.is_some(),
            post_codes: self.posts.clone(),
        }
    }
}

/// Every post, for the scope checkboxes, named in the page's language.
fn post_choices(conn: &mut DbConn, tr: Tr) -> diesel::QueryResult<Vec<PostChoice>> {
    Ok(
        db::posts::list(conn, crate::domain::policy::Principal::operator().scope())?
            .into_iter()
            .map(|p| PostChoice {
                name: if tr.lang == Lang::Ar {
                    p.name_ar
                } else {
                    p.name_en
                },
                code: p.code,
            })
            .collect(),
    )
}
