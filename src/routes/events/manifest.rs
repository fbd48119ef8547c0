//! `GET /events/{id}/manifest`, `POST /events/{id}/manifest`, `POST /events/{id}/manifest/remove`
//! and `GET /events/{id}/manifest.csv`: the named people of an event.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{find_in_scope, version_of};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{CurrentUser, Identity, RequireRole, Writers};
use crate::db::events::EventRow;
use crate::db::people::{Filter, Listed, PersonRow};
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::event::{Direction, Status};
use crate::domain::ids::PersonId;
use crate::domain::names;
use crate::domain::policy;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::manifests::{self, ManifestError};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{ManifestLine, ManifestPage, PersonLine, shown_value};

/// People offered per search.
const OFFERED: i64 = 50;

/// Everything the page needs from the database.
struct Loaded {
    event: EventRow,
    post: Post,
    named: Vec<PersonRow>,
    candidates: Vec<(PersonRow, Option<FieldError>)>,
}

fn load(conn: &mut DbConn, who: &Identity, id: &str, q: &str) -> AppResult<Loaded> {
    let (event, post) = find_in_scope(conn, who, id)?;
    let named = db::manifests::named(conn, &event)?;
    let q: String = q.chars().take(200).collect();
    let filter = Filter {
        scope: who.principal().scope().clone(),
        post: Some(post.id),
        status: None,
        words: names::tokens(&q),
    };
    let mut candidates = Vec::new();
    for found in db::people::page(conn, &filter, None, OFFERED)? {
        if named.iter().any(|p| p.id == found.id) {
            continue;
        }
        if let Some(person) = db::people::find(conn, found.id)? {
            let why = manifests::refusal(conn, &who.principal(), &event, &person)?;
            candidates.push((person, why));
        }
    }
    Ok(Loaded {
        event,
        post,
        named,
        candidates,
    })
}

fn page(who: &Identity, loaded: Loaded, q: String, errors: FieldErrors) -> ManifestPage {
    let layout = Layout::for_user(who, Section::Events);
    let Loaded {
        event,
        post,
        named,
        candidates,
    } = loaded;
    let refused_of = |id: PersonId| {
        errors
            .iter()
            .find(|e| {
                e.args
                    .iter()
                    .any(|(n, v)| *n == "person_id" && *v == id.to_string())
            })
            .map(|e| layout.field_error(e))
    };
    let line = |p: &PersonRow, why: Option<String>| ManifestLine {
        person: PersonLine::of(&layout, &Listed::of(p, &post.code)),
        rank: p.rank.clone(),
        medical: if p.medical == "none" {
            String::new()
        } else {
            shown_value(&layout, "medical", &p.medical)
        },
        refused: why,
    };
    let decision = policy::edit_manifest(&who.principal(), &event.facts());
    let void = event.status() == Status::Voided;
    let locked = if void {
        layout.t("denied-voided")
    } else if event.status() == Status::Verified {
        layout.t("denied-list-locked")
    } else {
        String::new()
    };
    let named_count = layout.tr.ta(
        "manifest-named-of",
        &[
            (
                "named",
                crate::i18n::Arg::Text(layout.num(named.len() as i64)),
            ),
            (
                "headcount",
                crate::i18n::Arg::Text(layout.num(i64::from(event.headcount))),
            ),
        ],
    );
    ManifestPage {
        named: named.iter().map(|p| line(p, refused_of(p.id))).collect(),
        candidates: candidates
            .iter()
            .map(|(p, why)| {
                line(
                    p,
                    refused_of(p.id).or_else(|| why.as_ref().map(|e| layout.field_error(e))),
                )
            })
            .collect(),
        is_return: event.direction() == Direction::Outbound,
        can_edit: decision.is_ok() && !void,
        locked,
        named_count,
        q,
        errors,
        layout,
        event,
        post,
    }
}

/// The search on the page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ManifestQuery {
    q: String,
}

/// The list, and people of the post to add.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    id: web::Path<String>,
    query: web::Query<ManifestQuery>,
) -> AppResult<ManifestPage> {
    let q = query.into_inner().q;
    let (viewer, search) = (who.clone(), q.clone());
    let loaded = state
        .db(move |conn| load(conn, &viewer, &id, &search))
        .await?;
    Ok(page(&who, loaded, q, FieldErrors::new()))
}

/// The add form: the people ticked, and the event's version the page showed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddInput {
    person_id: Vec<String>,
    version: String,
}

fn person_ids(raw: &[String]) -> Vec<PersonId> {
    raw.iter()
        .filter_map(|id| id.trim().parse().ok())
        .map(PersonId)
        .collect()
}

/// Answers a change: back to the list, or the list with the reasons (422) or as it now stands
/// (409).
async fn answer(
    state: &AppState,
    who: &Identity,
    id: String,
    outcome: Result<(), ManifestError>,
) -> AppResult<HttpResponse> {
    let (errors, status) = match outcome {
        Ok(()) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/events/{id}/manifest")))
                .finish());
        }
        Err(ManifestError::People(refused)) => {
            let mut errors = FieldErrors::new();
            for (person, error) in refused {
                errors.push(error.with_arg("person_id", person.to_string()));
            }
            (errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ManifestError::Refused(Refused::Invalid(errors))) => {
            (errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ManifestError::Stale) => (
            FieldError::new(
                "version",
                "event-changed-meanwhile",
                "Someone changed this event meanwhile; here it is as it stands now.",
            )
            .into(),
            StatusCode::CONFLICT,
        ),
        Err(ManifestError::Refused(other)) => return Err(other.into()),
    };
    let viewer = who.clone();
    let loaded = state.db(move |conn| load(conn, &viewer, &id, "")).await?;
    Ok(crate::views::render(
        &page(who, loaded, String::new(), errors),
        status,
    ))
}

fn event_id(raw: &str) -> AppResult<crate::domain::ids::EventId> {
    raw.trim()
        .parse()
        .map(crate::domain::ids::EventId)
        .map_err(|_| AppError::NotFound)
}

/// Names the people ticked.
pub async fn add(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<AddInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let event = event_id(&id)?;
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    let (people, version) = (person_ids(&input.person_id), version_of(&input.version));
    let outcome = state
        .db(move |conn| {
            let outcome = manifests::add(conn, &actor, &principal, now, (event, version), &people);
            if let Ok(n) = &outcome {
                let tr = crate::i18n::Tr {
                    lang: viewer.language,
                    digits: viewer.digits,
                };
                let text = tr.n("notice-manifest-added", i64::try_from(*n).unwrap_or(0));
                notice::leave(conn, &viewer, &notice::Notice::text(text))?;
            }
            Ok(outcome.map(|_| ()))
        })
        .await?;
    answer(&state, &who, id, outcome).await
}

/// The remove form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RemoveInput {
    person_id: String,
}

/// Takes one person off the list.
pub async fn remove(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<RemoveInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let event = event_id(&id)?;
    let person = crate::routes::people::parse_id(&input.person_id)?;
    let (principal, now) = (who.principal(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            Ok(manifests::remove(
                conn, &actor, &principal, now, event, person,
            ))
        })
        .await?;
    answer(&state, &who, id, outcome).await
}
