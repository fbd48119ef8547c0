//! `GET /admin/users`.

use actix_web::web;

use crate::auth::{Admins, RequireRole};
use crate::db;
use crate::domain::ids::UserId;
use crate::domain::role::Role;
use crate::error::AppResult;
use crate::state::AppState;
use crate::views::admin_users::{UserListPage, UserRow};
use crate::views::layout::{Layout, Section, role_label};

/// Every account.
pub async fn handle(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Admins>,
) -> AppResult<UserListPage> {
    let layout = Layout::for_user(&who, Section::Admin);
    let tr = layout.tr;
    let users = state
        .db(move |conn| {
            let mut rows = Vec::new();
            for user in db::users::list(conn)? {
                let scope = if user.all_posts {
                    tr.t("scope-all-posts")
                } else {
                    let codes: Vec<String> = db::users::post_scope(conn, UserId(user.id))?
                        .into_iter()
                        .map(|(_, c)| c)
                        .collect();
                    if codes.is_empty() {
                        tr.t("scope-no-posts")
                    } else {
                        codes.join(", ")
                    }
                };
                rows.push(UserRow {
                    id: user.id,
                    role: Role::parse(&user.role)
                        .map_or_else(|_| user.role.clone(), |r| role_label(&tr, r)),
                    username: user.username,
                    display_name: user.display_name,
                    scope,
                    active: user.active,
                    last_login: user
                        .last_login_at
                        .map_or_else(|| tr.t("never"), |at| tr.datetime_utc(at)),
                });
            }
            Ok(rows)
        })
        .await?;
    Ok(UserListPage { layout, users })
}
