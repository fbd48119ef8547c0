//! `GET /events/{id}`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;

use super::find_in_scope;
use crate::auth::{CurrentUser, Identity};
use crate::db::events::EventRow;
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::domain::event::Status;
use crate::domain::policy::Act;
use crate::domain::policy::{self, Denied};
use crate::error::AppResult;
use crate::services::events::zone_of;
use crate::state::AppState;
use crate::views::events::EventPage;
use crate::views::layout::{Layout, Section};

/// Everything the page needs from the database.
pub struct Loaded {
    event: EventRow,
    post: Post,
    names: std::collections::HashMap<i64, String>,
    day_closed: bool,
    agreement: Option<(i64, String)>,
    named: i64,
}

/// Loads the event (in scope), the names on it and whether its day is closed.
pub fn load(conn: &mut DbConn, who: &Identity, id: &str) -> AppResult<Loaded> {
    let (event, post) = find_in_scope(conn, who, id)?;
    let ids: Vec<i64> = [Some(event.recorded_by), event.verified_by, event.voided_by]
        .into_iter()
        .flatten()
        .collect();
    let names = db::users::names(conn, &ids)?;
    let day_closed = db::ledger::is_closed(conn, post.id, event.local_day)?;
    let agreement = match event.agreement_id {
        Some(id) => db::agreements::find(conn, crate::domain::ids::AgreementId(id))?
            .map(|a| (id, a.reference)),
        None => None,
    };
    let named = db::manifests::named_count(conn, &event)?;
    Ok(Loaded {
        event,
        post,
        names,
        day_closed,
        agreement,
        named,
    })
}

/// The page for `loaded`, with messages from a refused action.
pub fn page(who: &Identity, loaded: Loaded, errors: FieldErrors, reason: String) -> EventPage {
    let layout = Layout::for_user(who, Section::Events);
    let Loaded {
        event,
        post,
        names,
        day_closed,
        agreement,
        named,
    } = loaded;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();
    // One rule for an event's times: at the post, with its offset, as officers read them.
    let zone = zone_of(&post);
    let utc = |at: NaiveDateTime| layout.tr.datetime_at_post(at.and_utc(), zone);
    let (principal, facts) = (who.principal(), event.facts());
    let open = !day_closed;
    EventPage {
        named: layout.tr.ta(
            "manifest-named-of",
            &[
                ("named", crate::i18n::Arg::Text(layout.num(named))),
                (
                    "headcount",
                    crate::i18n::Arg::Text(layout.num(i64::from(event.headcount))),
                ),
            ],
        ),
        when: layout
            .tr
            .datetime_at_post(event.occurred_at.and_utc(), zone_of(&post)),
        recorded_by: name(event.recorded_by),
        agreement,
        recorded_at: utc(event.recorded_at),
        verified: event
            .verified_by
            .zip(event.verified_at)
            .map(|(id, at)| (name(id), utc(at))),
        voided: event
            .voided_by
            .zip(event.voided_at)
            .map(|(id, at)| (name(id), utc(at))),
        can_edit: open && policy::correct_event(&principal, &facts).is_ok(),
        can_verify: open
            && event.status() == Status::Pending
            && policy::verify_event(&principal, &facts).is_ok(),
        verify_blocked: match policy::verify_event(&principal, &facts) {
            Err(why @ (Denied::RecordedIt | Denied::ChangedIt))
                if open && event.status() == Status::Pending =>
            {
                Some(why.key())
            }
            _ => None,
        },
        can_void: open && policy::void_event(&principal, &facts).is_ok(),
        can_review: who.may(Act::ReviewAudit),
        day_closed,
        errors,
        reason,
        layout,
        post,
        event,
    }
}

/// One event.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let loaded = state.db(move |conn| load(conn, &viewer, &id)).await?;
    Ok(crate::views::render(
        &page(&who, loaded, FieldErrors::new(), String::new()),
        StatusCode::OK,
    ))
}
