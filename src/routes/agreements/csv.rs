//! `GET /agreements.csv`: the agreements of `/agreements` with exactly its filters, streamed.

use actix_web::{HttpResponse, web};

use super::list::filter_for;
use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::export::{self, Export};
use crate::state::AppState;
use crate::views::agreements::AgreementQuery;

/// Streams the export.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<AgreementQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (viewer, q) = (who.clone(), query.clone());
    let filter = state.db(move |conn| filter_for(conn, &viewer, &q)).await?;
    let file_name =
        export::file_name_of("agreements", &[&query.post.to_uppercase(), &query.status]);
    let export = Export {
        name: "agreements",
        file_name,
        filters: query.query_string(),
        bom: query.bom == "1",
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::agreements::COLUMNS,
        move |conn, sink| export::agreements::rows(conn, &filter, sink),
    )
    .await
}
