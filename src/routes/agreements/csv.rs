//! `GET /agreements.csv`: the agreements of `/agreements`, streamed.

use actix_web::{HttpResponse, web};

use crate::audit::RequestActor;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::export::{self, Export};
use crate::startup::AppState;

/// `?bom=1` only: the list has no other filter than the user's posts.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct CsvQuery {
    bom: String,
}

/// Streams the export.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    query: web::Query<CsvQuery>,
) -> AppResult<HttpResponse> {
    let scope = who.post_filter().map(<[_]>::to_vec);
    let export = Export {
        name: "agreements",
        file_name: "agreements.csv".into(),
        filters: String::new(),
        bom: query.bom == "1",
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::agreements::COLUMNS,
        move |conn, sink| export::agreements::rows(conn, scope.as_deref(), sink),
    )
    .await
}
