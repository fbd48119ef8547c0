//! `GET /queue` and `POST /queue/verify`: what waits for a supervisor, and verifying several
//! events in one request.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit::RequestActor;
use crate::auth::notice::{self, Notice};
use crate::auth::{RequireRole, Supervisors};
use crate::db::{self, DbConn, scope::ScopedPost};
use crate::domain::ids::EventId;
use crate::domain::policy::{self, Denied};
use crate::error::AppResult;
use crate::i18n::Arg;
use crate::services::agreements::{covered_posts, facts};
use crate::services::events::{local_day, zone_of};
use crate::services::queue;
use crate::state::AppState;
use crate::views::events::{label, post_name};
use crate::views::layout::{Layout, Section};
use crate::views::queue::{QueueAgreement, QueueDays, QueueEvent, QueuePage, QueueQuery};

/// Pending events per page.
const PER_PAGE: i64 = 50;
/// Open days with events read per post (the oldest first).
const DAYS_SHOWN: i64 = 31;

/// Short words for why an item is not offered to this person.
fn why_not(layout: &Layout, denied: Denied) -> String {
    layout.t(match denied {
        Denied::RecordedIt => "queue-you-recorded",
        Denied::ChangedIt => "queue-you-changed",
        Denied::ProposedIt => "queue-you-proposed",
        Denied::EditedIt => "queue-you-edited",
        _ => "queue-not-yours",
    })
}

/// For a correction, what its latest change was: "headcount 1,100 → 1,105".
fn what_changed(conn: &mut DbConn, layout: &Layout, id: EventId) -> diesel::QueryResult<String> {
    let history = db::audit::history(conn, "event", &id.to_string())?;
    let Some(update) = history
        .iter()
        .rev()
        .find(|row| row.action == "event.update")
    else {
        return Ok(String::new());
    };
    Ok(crate::audit::details::changes_of(&update.details)
        .into_iter()
        .filter(|c| !matches!(c.field.as_str(), "status" | "verified_by"))
        .map(|c| {
            let field = layout.t(&format!("field-{}", c.field.replace('_', "-")));
            format!("{field} {} {} {}", c.before, layout.t("arrow-to"), c.after)
        })
        .collect::<Vec<_>>()
        .join("; "))
}

/// The queue.
pub async fn show(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    query: web::Query<QueueQuery>,
) -> AppResult<QueuePage> {
    let query = query.into_inner();
    let layout = Layout::for_user(&who, Section::Queue);
    let (principal, q, page_layout, now) = (
        who.principal(),
        query.clone(),
        layout.clone(),
        state.clock.now(),
    );
    state
        .db(move |conn| {
            let layout = page_layout;
            let posts = ScopedPost::all(conn, &principal)?;
            let post = db::posts::filter_by_code(conn, principal.scope(), &q.post)?;
            let chosen: Vec<&ScopedPost> = posts
                .iter()
                .filter(|p| post.is_none_or(|id| id == p.id))
                .collect();
            let mut events = Vec::new();
            let mut next = None;
            if q.shows("events") {
                let after = crate::routes::events::list::cursor(&q.after);
                let mut rows =
                    db::queue::pending_events(conn, principal.scope(), post, after, PER_PAGE)?;
                if rows.len() > usize::try_from(PER_PAGE).unwrap_or(usize::MAX) {
                    rows.truncate(usize::try_from(PER_PAGE).unwrap_or(0));
                    next = rows.last().map(|l| {
                        format!(
                            "{}.{}",
                            l.event.occurred_at.and_utc().timestamp_micros(),
                            l.event.id
                        )
                    });
                }
                for l in rows {
                    let e = &l.event;
                    let changed = if e.version > 1 {
                        what_changed(conn, &layout, e.id)?
                    } else {
                        String::new()
                    };
                    events.push(QueueEvent {
                        id: e.id.0,
                        version: e.version,
                        reference: e.reference.clone(),
                        post: l.post_code.clone(),
                        day: layout.tr.date(e.local_day),
                        direction: label(&layout, "direction", &e.direction),
                        category: label(&layout, "category", &e.category),
                        headcount: e.headcount,
                        recorder: l.recorded_by.clone(),
                        changed,
                        why_not: policy::verify_event(&principal, &e.facts())
                            .err()
                            .map(|d| why_not(&layout, d)),
                    });
                }
            }
            let mut agreements = Vec::new();
            if q.shows("agreements") {
                for a in db::queue::awaiting_confirmation(conn, principal.scope())? {
                    let covered = covered_posts(conn, a.id)?;
                    if post.is_some_and(|id| !covered.contains(&id)) {
                        continue;
                    }
                    agreements.push(QueueAgreement {
                        id: a.id.0,
                        reference: a.reference.clone(),
                        title: a.title.clone(),
                        why_not: policy::confirm_agreement(&principal, &facts(&a, &covered))
                            .err()
                            .map(|d| why_not(&layout, d)),
                    });
                }
            }
            let mut days = Vec::new();
            if q.shows("days") {
                for p in chosen {
                    let today = local_day(now, zone_of(p));
                    let open = db::queue::open_days(conn, p, today, DAYS_SHOWN)?;
                    if open.is_empty() {
                        continue;
                    }
                    // Every ready day is listed; "close up to" proposes the last one before the
                    // first day that still holds pending events (closing stops there).
                    let ready: Vec<_> = open
                        .iter()
                        .filter(|(_, pending)| !pending)
                        .map(|(d, _)| *d)
                        .collect();
                    let up_to = open
                        .iter()
                        .take_while(|(_, pending)| !pending)
                        .last()
                        .map(|(d, _)| d.to_string());
                    let blocked_at = open
                        .iter()
                        .find(|(_, pending)| *pending)
                        .map(|(d, _)| layout.tr.date(*d));
                    days.push(QueueDays {
                        code: p.code.clone(),
                        up_to,
                        ready: ready
                            .iter()
                            .map(|d| (d.to_string(), layout.tr.date(*d)))
                            .collect(),
                        blocked_at,
                    });
                }
            }
            Ok(QueuePage {
                posts: posts
                    .iter()
                    .map(|p| (p.code.clone(), post_name(&layout, p)))
                    .collect(),
                layout,
                query: q,
                events,
                next,
                agreements,
                days,
            })
        })
        .await
}

/// The batch form: `event` repeated as `ID:VERSION`, and where to go back to.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BatchInput {
    event: Vec<String>,
    back: String,
}

/// Verifies every ticked event on its own; the answer (a message on the queue) says how many
/// were verified and why any were not.
pub async fn verify(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    crate::routes::form::HtmlForm(input): crate::routes::form::HtmlForm<BatchInput>,
) -> AppResult<HttpResponse> {
    let picked: Vec<(EventId, i32)> = input
        .event
        .iter()
        .filter_map(|raw| {
            let (id, version) = raw.split_once(':')?;
            Some((
                EventId(id.trim().parse().ok()?),
                version.trim().parse().ok()?,
            ))
        })
        .collect();
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    let layout = Layout::for_user(&who, Section::Queue);
    state
        .db(move |conn| {
            let outcome = queue::verify_each(conn, &actor, &principal, now, &picked);
            let text = batch_message(conn, &layout, &outcome, picked.is_empty())?;
            notice::leave(conn, &viewer, &Notice::text(text))?;
            Ok(())
        })
        .await?;
    let back = crate::auth::safe_next(&input.back)
        .filter(|b| b.starts_with("/queue"))
        .unwrap_or("/queue")
        .to_owned();
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .finish())
}

/// "12 events verified; 1 skipped: QAIM-2024-0003 (you recorded it)."
fn batch_message(
    conn: &mut DbConn,
    layout: &Layout,
    outcome: &queue::BatchOutcome,
    nothing_picked: bool,
) -> diesel::QueryResult<String> {
    if nothing_picked {
        return Ok(layout.t("notice-batch-none"));
    }
    let count = |n: usize| Arg::Count(i64::try_from(n).unwrap_or(i64::MAX));
    let mut text = layout.tr.ta(
        "notice-batch-verified",
        &[("count", count(outcome.verified.len()))],
    );
    if !outcome.skipped.is_empty() {
        let mut reasons = Vec::new();
        for (id, why) in &outcome.skipped {
            let reference =
                db::events::find(conn, *id)?.map_or_else(|| id.to_string(), |e| e.reference);
            reasons.push(format!("{reference} ({})", layout.t(why.key())));
        }
        text.push(' ');
        text.push_str(&layout.tr.ta(
            "notice-batch-skipped",
            &[
                ("count", count(outcome.skipped.len())),
                ("reasons", Arg::Text(reasons.join(", "))),
            ],
        ));
    }
    Ok(text)
}
