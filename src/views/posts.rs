//! Border post pages.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::db::posts::Post;
use crate::domain::FieldErrors;
use crate::domain::post::PostForm;

/// `GET /posts`.
#[derive(Template, WebTemplate)]
#[template(path = "posts/list.html")]
pub struct PostListPage {
    /// The frame.
    pub layout: Layout,
    /// Posts in scope.
    pub posts: Vec<Post>,
    /// Shows the "New post" link.
    pub can_manage: bool,
}

/// `GET /posts/{code}`.
#[derive(Template, WebTemplate)]
#[template(path = "posts/show.html")]
pub struct PostPage {
    /// The frame.
    pub layout: Layout,
    /// The post.
    pub post: Post,
    /// Shows the "Edit" link.
    pub can_manage: bool,
    /// Shows the "History" link.
    pub can_review: bool,
}

/// The new-post and edit-post form (`GET /posts/new`, `GET /posts/{code}/edit`, and both
/// re-shown with errors).
#[derive(Template, WebTemplate)]
#[template(path = "posts/form.html")]
pub struct PostFormPage {
    /// The frame.
    pub layout: Layout,
    /// What was typed.
    pub form: PostForm,
    /// Whether the post takes new records (edit only).
    pub active: bool,
    /// Messages beside the fields.
    pub errors: FieldErrors,
    /// `Some(code)` when editing an existing post (the code is then fixed).
    pub editing: Option<String>,
}

impl PostFormPage {
    /// Where the form posts to.
    pub fn action(&self) -> String {
        match &self.editing {
            Some(code) => format!("/posts/{code}"),
            None => "/posts".to_owned(),
        }
    }
}
