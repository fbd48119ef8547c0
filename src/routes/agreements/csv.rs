//! `GET /agreements.csv`: the agreements of `/agreements` with exactly its filters, streamed.

use actix_web::{HttpResponse, web};

use super::list::filter_for;
use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::export::{self, Export};
use crate::startup::AppState;
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
    // `agreements[-POST][-STATUS].csv`, from the filters as typed (codes and spellings only).
    let mut file_name = String::from("agreements");
    for part in [
        query.post.trim().to_uppercase(),
        query.status.trim().to_owned(),
    ] {
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            file_name.push('-');
            file_name.push_str(&part);
        }
    }
    file_name.push_str(".csv");
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
