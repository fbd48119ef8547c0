//! `GET /people.csv`: the people of `/people` with exactly its filters, streamed; supervisors,
//! administrators and auditors only (the route table and the policy agree).

use actix_web::{HttpResponse, web};

use super::list::filter_for;
use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::state::AppState;
use crate::views::people::PeopleQuery;

/// Streams the export.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<PeopleQuery>,
) -> AppResult<HttpResponse> {
    policy::export_people(&who.principal()).map_err(|_| AppError::Forbidden)?;
    let query = query.into_inner();
    let (viewer, q) = (who.clone(), query.clone());
    let filter = state.db(move |conn| filter_for(conn, &viewer, &q)).await?;
    let export = Export {
        name: "people",
        file_name: export::file_name("people", &query.post.to_uppercase(), "", ""),
        filters: query.query_string(),
        bom: query.bom == "1",
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::people::COLUMNS,
        move |conn, sink| export::people::rows(conn, &filter, sink),
    )
    .await
}
