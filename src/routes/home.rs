//! `GET /`.

use actix_web::web;

use crate::startup::AppState;
use crate::views::Layout;
use crate::views::home::HomePage;

/// The front page.
pub async fn show(state: web::Data<AppState>) -> HomePage {
    HomePage {
        layout: Layout::anonymous(),
        backend: state.settings.database.backend(),
    }
}
