//! `GET /reports/situation` and `GET /reports/situation.txt`: the situation statement as a
//! page (both languages side by side, each in its own direction, or one) and as plain text for
//! pasting into a message. Both record the generation in the audit trail.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::audit::{Actor, RequestActor};
use crate::auth::{CurrentUser, Identity};
use crate::db::{self, posts::Post};
use crate::domain::FieldErrors;
use crate::error::{AppError, AppResult};
use crate::situation::{self, Generated, Request, SituationQuery};
use crate::state::AppState;
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};
use crate::views::situation::{SituationPage, foot_lines};

/// The posts in scope, and the generated statement or the messages for the form.
type Outcome = (Vec<Post>, Result<(Request, Generated), FieldErrors>);

/// The query: `post` may repeat (one checkbox per post), which `web::Query` cannot read.
fn query_of(req: &HttpRequest) -> AppResult<SituationQuery> {
    serde_html_form::from_str(req.query_string())
        .map_err(|_| AppError::Unprocessable("situation statement query".into()))
}

/// Checks the query and generates the statement (recording it in the trail).
async fn generated(
    state: &web::Data<AppState>,
    who: &Identity,
    actor: Actor,
    query: SituationQuery,
) -> AppResult<Outcome> {
    let principal = who.principal();
    let digits = who.digits;
    let now = state.clock.now();
    state
        .db(move |conn| {
            let posts = db::posts::list(conn, principal.scope())?;
            let request = match situation::request_for(conn, &principal, &query, now.date_naive())?
            {
                Ok(request) => request,
                Err(errors) => return Ok((posts, Err(errors))),
            };
            let generated = situation::generate(conn, &actor, &request, digits, now)?;
            Ok((posts, Ok((request, generated))))
        })
        .await
}

/// The statement page.
pub async fn page(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let query = query_of(&req)?;
    let layout = Layout::for_user(&who, Section::Reports);
    let (posts, outcome) = generated(&state, &who, actor, query.clone()).await?;
    let posts = posts
        .iter()
        .map(|p| (p.code.clone(), post_name(&layout, p)))
        .collect();
    let (status, shown, errors) = match outcome {
        Ok(shown) => (StatusCode::OK, Some(shown), FieldErrors::new()),
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, None, errors),
    };
    let page = SituationPage::new(layout, query, errors, posts, shown, &who.display_name);
    Ok(crate::views::render(&page, status))
}

/// The statement as plain text: each language, then the foot (generation, receipt, record).
pub async fn text(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let (_, outcome) = generated(&state, &who, actor, query_of(&req)?).await?;
    let Ok((_, generated)) = outcome else {
        return Err(AppError::Unprocessable(
            "situation statement parameters".into(),
        ));
    };
    let foot = foot_lines(&generated, &who.display_name, crate::i18n::Tr::default());
    let body = format!("{}\n--\n{}\n", generated.text, foot.join("\n"));
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(body))
}
