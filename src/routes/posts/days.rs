//! `POST /posts/{code}/days/{date}/close` and `…/reopen` (supervisors).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::find_in_scope;
use super::show::{Period, page};
use crate::audit::RequestActor;
use crate::auth::notice::{self, Notice};
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::days;
use crate::services::events::EventError;
use crate::state::AppState;

/// The close and reopen forms: the reason (reopening), and the period the page showed, so the
/// answer shows the same days.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayInput {
    reason: String,
    from: String,
    to: String,
}

impl DayInput {
    /// The period the form was sent from; without one, the fortnight ending on `day`.
    fn period(&self, day: NaiveDate) -> Period {
        let valid = |raw: &str| NaiveDate::parse_from_str(raw, "%Y-%m-%d").is_ok();
        if valid(&self.from) && valid(&self.to) {
            Period {
                from: self.from.clone(),
                to: self.to.clone(),
            }
        } else {
            Period {
                from: String::new(),
                to: day.to_string(),
            }
        }
    }
}

/// A day in a path: `YYYY-MM-DD`, no earlier than the first year an event may be dated in (a
/// day before it can hold no event, so there is nothing to close) — anything else, `-2024-01-01`
/// or `0000-01-01` included, is a page that does not exist.
fn parse_day(raw: &str) -> AppResult<NaiveDate> {
    use chrono::Datelike;
    let well_formed = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) if well_formed && day.year() >= crate::domain::event::EARLIEST_YEAR => Ok(day),
        _ => Err(AppError::NotFound),
    }
}

async fn answer(
    state: &AppState,
    who: &Identity,
    code: String,
    period: Period,
    outcome: Result<(), EventError>,
) -> AppResult<HttpResponse> {
    match outcome {
        Ok(()) | Err(EventError::Unchanged | EventError::Duplicate(_) | EventError::Stale(_)) => {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            if !period.from.is_empty() {
                query.append_pair("from", &period.from);
            }
            query.append_pair("to", &period.to);
            Ok(HttpResponse::SeeOther()
                .insert_header((
                    header::LOCATION,
                    format!("/posts/{code}?{}", query.finish()),
                ))
                .finish())
        }
        Err(EventError::Refused(Refused::Invalid(errors))) => {
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
    HtmlForm(input): HtmlForm<DayInput>,
) -> AppResult<HttpResponse> {
    let (code, raw_day) = path.into_inner();
    let day = parse_day(&raw_day)?;
    let period = input.period(day);
    let (viewer, key, now) = (who.clone(), code.clone(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &key)?;
            let outcome = days::close(conn, &actor, &viewer.principal(), now, &post, day);
            if outcome.is_ok() {
                leave_day_notice(conn, &viewer, "notice-day-closed", &post.code, day)?;
            }
            Ok(outcome)
        })
        .await?;
    answer(&state, &who, code, period, outcome).await
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
    let period = input.period(day);
    let (viewer, key, now) = (who.clone(), code.clone(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &key)?;
            let outcome = days::reopen(
                conn,
                &actor,
                &viewer.principal(),
                now,
                &post,
                day,
                &input.reason,
            );
            if outcome.is_ok() {
                leave_day_notice(conn, &viewer, "notice-day-reopened", &post.code, day)?;
            }
            Ok(outcome)
        })
        .await?;
    answer(&state, &who, code, period, outcome).await
}

/// Leaves "7 Dec 2024 closed at QAIM." (or reopened) for the next page.
fn leave_day_notice(
    conn: &mut crate::db::DbConn,
    who: &Identity,
    key: &str,
    post: &str,
    day: NaiveDate,
) -> diesel::QueryResult<()> {
    let layout = crate::views::layout::Layout::for_user(who, crate::views::layout::Section::Posts);
    let text = layout.tr.ta(
        key,
        &[
            ("day", Arg::Text(layout.tr.date(day))),
            ("post", Arg::Text(post.to_owned())),
        ],
    );
    notice::leave(conn, who, &Notice::text(text))
}

/// The "close all ready days up to" form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UpToInput {
    to: String,
}

/// Closes every open day of the post with events up to `to`, oldest first, in one transaction;
/// refused at the first day that still holds pending events, naming it (nothing is closed).
pub async fn close_up_to(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    code: web::Path<String>,
    HtmlForm(input): HtmlForm<UpToInput>,
) -> AppResult<HttpResponse> {
    let code = code.into_inner();
    let to = match crate::domain::parse_date(&input.to, "to") {
        Ok(Some(to)) => to,
        Ok(None) | Err(_) => {
            let mut errors = crate::domain::FieldErrors::new();
            errors.push(crate::domain::FieldError::new(
                "to",
                "date-invalid",
                "A date like 2024-12-19.",
            ));
            return refused(&state, &who, code, errors).await;
        }
    };
    let (viewer, key, now) = (who.clone(), code.clone(), state.clock.now());
    let layout = crate::views::layout::Layout::for_user(&who, crate::views::layout::Section::Queue);
    let outcome = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &key)?;
            let closed = days::close_up_to(conn, &actor, &viewer.principal(), now, &post, to);
            if let Ok(days) = &closed {
                let text = layout.tr.ta(
                    "notice-days-closed",
                    &[
                        ("count", Arg::Count(i64::try_from(days.len()).unwrap_or(0))),
                        ("post", Arg::Text(post.code.clone())),
                        (
                            "day",
                            Arg::Text(layout.tr.date(days.last().copied().unwrap_or(to))),
                        ),
                    ],
                );
                notice::leave(conn, &viewer, &Notice::text(text))?;
            }
            Ok(closed)
        })
        .await?;
    match outcome {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/queue?post={code}&kind=days")))
            .finish()),
        Err(EventError::Refused(Refused::Invalid(errors))) => {
            refused(&state, &who, code, errors).await
        }
        Err(EventError::Refused(other)) => Err(other.into()),
        Err(EventError::Unchanged | EventError::Duplicate(_) | EventError::Stale(_)) => {
            Err(AppError::internal("closing days", "unexpected outcome"))
        }
    }
}

/// The post's page with the refusal at the top (422).
async fn refused(
    state: &AppState,
    who: &Identity,
    code: String,
    errors: crate::domain::FieldErrors,
) -> AppResult<HttpResponse> {
    let period = Period {
        from: String::new(),
        to: String::new(),
    };
    let page = page(state, who, code, period, errors).await?;
    Ok(crate::views::render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}
