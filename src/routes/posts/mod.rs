//! Border posts: `/posts…`.

pub mod days;
pub mod edit;
pub mod list;
pub mod new;
pub mod show;

use serde::Deserialize;

use crate::auth::Identity;
use crate::db::{DbConn, posts::Post};
use crate::domain::post::PostForm;
use crate::error::{AppError, AppResult};
use crate::services::ScopedPost;

/// The post with `code` if the user may see it. Out of scope answers exactly like a post that
/// does not exist (404), so scope cannot be probed.
pub fn find_in_scope(conn: &mut DbConn, who: &Identity, code: &str) -> AppResult<ScopedPost> {
    ScopedPost::by_code(conn, &who.principal(), code)?.ok_or(AppError::NotFound)
}

/// The post form as the browser sends it.
#[derive(Deserialize, Default)]
pub struct PostInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    neighbour_country: String,
    #[serde(default)]
    governorate: String,
    #[serde(default)]
    counterpart_name: String,
    #[serde(default)]
    timezone: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    active: Option<String>,
    /// The version an edit was based on (edits only).
    #[serde(default)]
    version: String,
}

impl PostInput {
    fn into_form(self) -> (PostForm, bool) {
        let active = self.active.is_some();
        (
            PostForm {
                code: self.code,
                name_en: self.name_en,
                name_ar: self.name_ar,
                country: self.country,
                neighbour_country: self.neighbour_country,
                governorate: self.governorate,
                counterpart_name: self.counterpart_name,
                timezone: self.timezone,
            },
            active,
        )
    }
}

/// The form filled with a stored post.
pub fn form_of(post: &Post) -> PostForm {
    PostForm {
        code: post.code.clone(),
        name_en: post.name_en.clone(),
        name_ar: post.name_ar.clone(),
        country: post.country.clone(),
        neighbour_country: post.neighbour_country.clone(),
        governorate: post.governorate.clone(),
        counterpart_name: post.counterpart_name.clone(),
        timezone: post.timezone.clone(),
    }
}
