//! `GET /posts/{code}/events/new` and `POST /posts/{code}/events`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{EventInput, agreement_choices, new_form_key, well_formed_key};
use crate::audit::RequestActor;
use crate::auth::notice::{self, Notice};
use crate::auth::{RequireRole, Writers};
use crate::db::posts::Post;
use crate::domain::event::EventForm;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::routes::posts::find_in_scope;
use crate::services::Refused;
use crate::services::events::{self, EventError, zone_of};
use crate::state::AppState;
use crate::views::events::EventFormPage;
use crate::views::layout::{Layout, Section};

fn page(
    layout: Layout,
    post: Post,
    form: EventForm,
    form_key: String,
    errors: FieldErrors,
) -> EventFormPage {
    EventFormPage {
        layout,
        post,
        form,
        form_key,
        errors,
        editing: None,
        reason: String::new(),
        newer: Vec::new(),
        agreements: Vec::new(),
    }
}

/// What "Record another at this post" carries over from the event just recorded.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Again {
    occurred_at: String,
    direction: String,
    source: String,
}

/// The empty form, its time set to now at the post (or the last event's, when recording
/// another).
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    code: web::Path<String>,
    again: web::Query<Again>,
) -> AppResult<EventFormPage> {
    let viewer = who.clone();
    let (post, agreements) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?.into_post();
            let agreements = agreement_choices(conn, &post, None)?;
            Ok((post, agreements))
        })
        .await?;
    let now = state.clock.now().with_timezone(&zone_of(&post));
    // "Record another" brings the date, direction and source of the last one; otherwise the
    // time opens at now, at the post.
    let again = again.into_inner();
    let form = EventForm {
        occurred_at: if again.occurred_at.trim().is_empty() {
            now.format("%Y-%m-%dT%H:%M").to_string()
        } else {
            again.occurred_at
        },
        direction: again.direction,
        source: again.source,
        ..EventForm::default()
    };
    let mut page = page(
        Layout::for_user(&who, Section::Events),
        post,
        form,
        new_form_key(),
        FieldErrors::new(),
    );
    page.agreements = agreements;
    Ok(page)
}

/// Records the event (303 to it), or re-shows the form (422) with what was typed and a message
/// beside each wrong field. The same form sent twice answers both times with the one event.
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    code: web::Path<String>,
    HtmlForm(input): HtmlForm<EventInput>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    // The choices offered are those of the post; an `agreement_id` typed into the request is
    // judged by the service, which names nothing the person may not see.
    let (scoped, agreements) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?;
            let agreements = agreement_choices(conn, &post, None)?;
            Ok((post, agreements))
        })
        .await?;
    let post = scoped.clone().into_post();
    let form = input.form();
    let layout = Layout::for_user(&who, Section::Events);
    let mut key = input.form_key.trim().to_owned();
    let fields = form.parse(zone_of(&post), state.clock.now());
    let mut errors = match &fields {
        Ok(_) => FieldErrors::new(),
        Err(errors) => errors.clone(),
    };
    if !well_formed_key(&key) {
        // A form from elsewhere or an old page: a fresh key, and the person submits again.
        key = new_form_key();
        errors.push(FieldError::new(
            "form_key",
            "form-expired",
            "This form had expired; check it and submit it again.",
        ));
    }
    let reshow = |post: Post, form: EventForm, key: String, errors: FieldErrors| {
        let mut page = page(layout.clone(), post, form, key, errors);
        page.agreements = agreements.clone();
        crate::views::render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let fields = match fields {
        Ok(fields) if errors.is_empty() => fields,
        _ => return Ok(reshow(post, form, key, errors)),
    };
    let (now, principal, stored_key) = (state.clock.now(), who.principal(), key.clone());
    // "Record another at this post", keeping the date, direction and source just typed.
    let another = {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("occurred_at", &form.occurred_at)
            .append_pair("direction", &form.direction)
            .append_pair("source", &form.source);
        (
            format!("/posts/{}/events/new?{}", post.code, q.finish()),
            layout.t("notice-record-another"),
        )
    };
    let (viewer, notice_layout) = (who.clone(), layout.clone());
    let created = state
        .db(move |conn| {
            let created =
                events::create(conn, &actor, &principal, now, &scoped, &fields, &stored_key);
            if let Ok(id) = created
                && let Some(event) = crate::db::events::find(conn, id)?
            {
                let text = notice_layout.t1("notice-event-recorded", "reference", &event.reference);
                let notice = Notice {
                    text,
                    link: Some(another),
                };
                notice::leave(conn, &viewer, &notice)?;
            }
            Ok(created)
        })
        .await?;
    match created {
        Ok(id) | Err(EventError::Duplicate(id)) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/events/{id}")))
            .finish()),
        Err(EventError::Refused(Refused::Invalid(errors))) => {
            let key = if errors.get("form_key").is_some() {
                new_form_key()
            } else {
                key
            };
            Ok(reshow(post, form, key, errors))
        }
        Err(EventError::Refused(other)) => Err(other.into()),
        Err(EventError::Stale(_) | EventError::Unchanged) => Err(AppError::internal(
            "recording an event",
            "unexpected outcome",
        )),
    }
}
