//! `GET /people/{id}` (every view audited) and `POST /people/{id}/status`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{parse_id, version_of};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{CurrentUser, Identity, RequireRole, Writers};
use crate::db::people::{PersonRow, StatementRow};
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::FieldErrors;
use crate::domain::ids::{EventId, PersonId};
use crate::domain::person::{
    FIELDS, Finding, FollowupForm, FollowupSource, How, PersonStatus, StatusForm,
};
use crate::domain::policy::{self, Act};
use crate::error::AppResult;
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::events::zone_of;
use crate::services::people::{self, PersonError};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{
    FollowupLine, PersonPage, StatementLine, field_label, shown_value, status_label,
};

/// What the page needs besides the person and their post.
struct Related {
    statements: Vec<StatementRow>,
    inbound: Option<(i64, String)>,
    merged_into: Option<(i64, String)>,
    return_event: Option<(i64, String)>,
    followups: Vec<crate::db::followups::FollowupRow>,
}

fn related(conn: &mut DbConn, person: &PersonRow) -> diesel::QueryResult<Related> {
    let inbound = match person.inbound_event_id {
        Some(id) => db::events::find(conn, EventId(id))?.map(|e| (id, e.reference)),
        None => None,
    };
    let merged_into = match person.merged_into {
        Some(id) => db::people::find(conn, PersonId(id))?.map(|p| (id, p.reference)),
        None => None,
    };
    Ok(Related {
        statements: db::people::statements_of(conn, person.id)?,
        inbound,
        merged_into,
        return_event: crate::services::followups::return_of(conn, person.id)?
            .map(|(id, reference)| (id.0, reference)),
        followups: db::followups::of_person(conn, person.id)?,
    })
}

fn page(
    who: &Identity,
    person: PersonRow,
    post: Post,
    related: Related,
    (status_form, followup_form): (StatusForm, FollowupForm),
    errors: FieldErrors,
) -> PersonPage {
    let layout = Layout::for_user(who, Section::People);
    let principal = who.principal();
    let facts = FIELDS
        .iter()
        .zip(person.fields().values())
        .filter(|(f, (_, v))| !v.is_empty() && **f != "inbound_event_id")
        .map(|(f, (_, v))| (field_label(&layout, f), shown_value(&layout, f, &v), *f))
        .collect();
    let next_statuses = person
        .status()
        .next()
        .iter()
        .filter(|to| policy::change_person_status(&principal, person.facts(), **to).is_ok())
        .map(|to| {
            (
                to.as_str().to_owned(),
                status_label(&layout, to.as_str()),
                status_form.status == to.as_str(),
            )
        })
        .collect();
    let hows = How::ALL
        .iter()
        .map(|h| {
            let v = h.as_str();
            (
                v.to_owned(),
                layout.t(&format!("how-{}", v.replace('_', "-"))),
                status_form.how == v,
            )
        })
        .collect();
    let options =
        |all: &[&'static str], prefix: &str, chosen: &str| -> Vec<(String, String, bool)> {
            all.iter()
                .map(|v| {
                    (
                        (*v).to_owned(),
                        layout.t(&format!("{prefix}-{}", v.replace('_', "-"))),
                        chosen == *v,
                    )
                })
                .collect()
        };
    let sources: Vec<&'static str> = FollowupSource::ALL.iter().map(|s| s.as_str()).collect();
    let findings: Vec<&'static str> = Finding::ALL.iter().map(|f| f.as_str()).collect();
    let followup_choices = (
        options(&sources, FollowupSource::LABELS, &followup_form.source),
        options(&findings, Finding::LABELS, &followup_form.finding),
    );
    PersonPage {
        can_follow_up: person.status() == PersonStatus::Returned
            && policy::record_followup(&principal, person.facts()).is_ok(),
        followups: related
            .followups
            .iter()
            .map(|f| FollowupLine::of(&layout, f))
            .collect(),
        return_event: related.return_event,
        followup_form,
        followup_choices,
        status: status_label(&layout, &person.status),
        declines: person.status() == PersonStatus::DeclinesReturn,
        statements: related
            .statements
            .iter()
            .map(|s| StatementLine::of(&layout, s))
            .collect(),
        can_edit: policy::edit_person(&principal, person.facts()).is_ok(),
        can_review: who.may(Act::ReviewAudit),
        inbound: related.inbound,
        merged_into: related.merged_into,
        facts,
        next_statuses,
        hows,
        status_form,
        errors,
        layout,
        person,
        post,
    }
}

/// The person's page, read and shown — every showing of it is a view, audited in the read's
/// transaction (the first one, and one shown again after a refused form alike).
async fn show_page(
    state: &AppState,
    who: &Identity,
    actor: crate::audit::Actor,
    id: PersonId,
    forms: (StatusForm, FollowupForm),
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let (principal, now) = (who.principal(), state.clock.now());
    let (person, post, related) = state
        .db(move |conn| {
            let (person, post) = people::view(conn, &actor, &principal, now, id)?;
            let related = related(conn, &person)?;
            Ok((person, post, related))
        })
        .await?;
    Ok(crate::views::render(
        &page(who, person, post, related, forms, errors),
        status,
    ))
}

/// One person: the view is written to the audit trail before the page is shown.
pub async fn handle(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = parse_id(&id)?;
    show_page(
        &state,
        &who,
        actor,
        id,
        Default::default(),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// Changes the person's status (303 back to them), or re-shows their page with the messages
/// (422), or with the current values when someone changed them first (409).
pub async fn status(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<StatusFormInput>,
) -> AppResult<HttpResponse> {
    let id = parse_id(&id)?;
    let viewer = who.clone();
    let (_, post) = state
        .db(move |conn| super::find_in_scope(conn, &viewer, &id.to_string()))
        .await?;
    let now = state.clock.now();
    let today = now.with_timezone(&zone_of(&post)).date_naive();
    let version = version_of(&input.version);
    let form = input.form;
    let (principal, viewer) = (who.principal(), who.clone());
    let reader = actor.clone();
    let change = form.parse(today);
    let outcome = match &change {
        Ok(change) => {
            let change = change.clone();
            state
                .db(move |conn| {
                    let outcome =
                        people::change_status(conn, &actor, &principal, now, id, version, &change);
                    if outcome.is_ok()
                        && let Some(p) = db::people::find(conn, id)?
                    {
                        notice::leave_about(conn, &viewer, "notice-person-status", &p.reference)?;
                    }
                    Ok(outcome)
                })
                .await?
        }
        Err(errors) => Err(PersonError::Refused(Refused::Invalid(errors.clone()))),
    };
    let (errors, status) = match outcome {
        Ok(_) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/people/{id}")))
                .finish());
        }
        Err(PersonError::Refused(Refused::Invalid(errors))) => {
            (errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(PersonError::Stale(_)) => (
            crate::domain::FieldError::new(
                "status",
                "person-changed-meanwhile",
                "Someone changed this person meanwhile; here is the record as it stands now.",
            )
            .into(),
            StatusCode::CONFLICT,
        ),
        Err(PersonError::Refused(other)) => return Err(other.into()),
        Err(PersonError::Candidates(_) | PersonError::Unchanged | PersonError::Duplicate(_)) => {
            return Err(crate::error::AppError::internal(
                "changing a person's status",
                "unexpected outcome",
            ));
        }
    };
    show_page(
        &state,
        &who,
        reader,
        id,
        (form, FollowupForm::default()),
        errors,
        status,
    )
    .await
}

/// The status form as the browser sends it.
#[derive(serde::Deserialize, Default, Debug)]
#[serde(default)]
pub struct StatusFormInput {
    #[serde(flatten)]
    form: StatusForm,
    version: String,
}

/// Records what was heard of a returned person (303 back to them), or re-shows their page with
/// the messages (422).
pub async fn followup(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(form): HtmlForm<FollowupForm>,
) -> AppResult<HttpResponse> {
    let id = parse_id(&id)?;
    let viewer = who.clone();
    let (_, post) = state
        .db(move |conn| super::find_in_scope(conn, &viewer, &id.to_string()))
        .await?;
    let now = state.clock.now();
    let today = now.with_timezone(&zone_of(&post)).date_naive();
    let outcome = match form.parse(today) {
        Ok(followup) => {
            let (principal, reader, viewer) = (who.principal(), actor.clone(), who.clone());
            state
                .db(move |conn| {
                    let outcome = crate::services::followups::record(
                        conn, &reader, &principal, now, id, &followup,
                    );
                    if outcome.is_ok()
                        && let Some(p) = db::people::find(conn, id)?
                    {
                        notice::leave_about(conn, &viewer, "notice-followup", &p.reference)?;
                    }
                    Ok(outcome)
                })
                .await?
        }
        Err(errors) => Err(Refused::Invalid(errors)),
    };
    let errors = match outcome {
        Ok(_) => {
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("/people/{id}")))
                .finish());
        }
        Err(Refused::Invalid(errors)) => errors,
        Err(other) => return Err(other.into()),
    };
    show_page(
        &state,
        &who,
        actor,
        id,
        (StatusForm::default(), form),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
