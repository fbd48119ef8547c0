//! `POST /posts/{code}/days/{date}/close` and `…/reopen` (supervisors).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::find_in_scope;
use super::show::{Period, page};
use crate::audit::RequestActor;
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::days;
use crate::services::events::EventError;
use crate::state::AppState;

/// The close and reopen forms.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayInput {
    reason: String,
}

fn parse_day(raw: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| AppError::NotFound)
}

async fn answer(
    state: &AppState,
    who: &Identity,
    code: String,
    day: NaiveDate,
    outcome: Result<(), EventError>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(()) | Err(EventError::Unchanged | EventError::Duplicate(_) | EventError::Stale(_)) => {
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/posts/{code}?to={day}")))
                .finish())
        }
        Err(EventError::Refused(Refused::Invalid(errors))) => {
            let period = Period {
                from: String::new(),
                to: day.to_string(),
            };
            let page = page(state, who, code, period, errors).await?;
            Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(EventError::Refused(other)) => Err(other.into()),
    }
}

/// Closes a day.
pub async fn close(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (code, raw_day) = path.into_inner();
    let day = parse_day(&raw_day)?;
    let (viewer, key, now) = (who.clone(), code.clone(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &key)?;
            Ok(days::close(
                conn,
                &actor,
                &viewer.principal(),
                now,
                &post,
                day,
            ))
        })
        .await?;
    answer(&state, &who, code, day, outcome).await
}

/// Reopens a closed day, with a reason.
pub async fn reopen(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    path: web::Path<(String, String)>,
    HtmlForm(input): HtmlForm<DayInput>,
) -> AppResult<HttpResponse> {
    let (code, raw_day) = path.into_inner();
    let day = parse_day(&raw_day)?;
    let (viewer, key, now) = (who.clone(), code.clone(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &key)?;
            Ok(days::reopen(
                conn,
                &actor,
                &viewer.principal(),
                now,
                &post,
                day,
                &input.reason,
            ))
        })
        .await?;
    answer(&state, &who, code, day, outcome).await
}
