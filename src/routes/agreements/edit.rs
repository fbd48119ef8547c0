//! `GET /agreements/new`, `POST /agreements`, `GET /agreements/{id}/edit`, `POST /agreements/{id}`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::{AgreementInput, find_in_scope, with_blank_clauses};
use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Supervisors};
use crate::db;
use crate::domain::FieldErrors;
use crate::domain::agreement::{AgreementForm, Clause};
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::agreements::{self, AgreementError};
use crate::state::AppState;
use crate::views::agreements::AgreementFormPage;
use crate::views::events::post_name;
use crate::views::layout::{Layout, Section};

async fn page(
    state: &AppState,
    who: &Identity,
    form: AgreementForm,
    errors: FieldErrors,
    editing: Option<(i64, i32)>,
    stale: bool,
) -> AppResult<AgreementFormPage> {
    let scope = who.principal().scope().clone();
    let posts = state
        .db(move |conn| Ok(db::posts::list(conn, &scope)?))
        .await?;
    let layout = Layout::for_user(who, Section::Agreements);
    Ok(AgreementFormPage {
        posts: posts
            .iter()
            .map(|p| (p.code.clone(), post_name(&layout, p)))
            .collect(),
        layout,
        form: with_blank_clauses(form),
        errors,
        editing,
        stale,
    })
}

/// The empty form.
pub async fn new_form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
) -> AppResult<AgreementFormPage> {
    page(
        &state,
        &who,
        AgreementForm::default(),
        FieldErrors::new(),
        None,
        false,
    )
    .await
}

/// Creates a draft (303 to it), or re-shows the form (422).
pub async fn create(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    HtmlForm(input): HtmlForm<AgreementInput>,
) -> AppResult<HttpResponse> {
    let form = input.form();
    let errors = match form.parse() {
        Ok(fields) => {
            let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
            let created = state
                .db(move |conn| {
                    let created = agreements::create(conn, &actor, &principal, now, &fields);
                    if created.is_ok() {
                        notice::leave_about(
                            conn,
                            &viewer,
                            "notice-agreement-created",
                            &fields.reference,
                        )?;
                    }
                    Ok(created)
                })
                .await?;
            match created {
                Ok(id) => {
                    return Ok(HttpResponse::SeeOther()
                        .insert_header((header::LOCATION, format!("/agreements/{id}")))
                        .finish());
                }
                Err(AgreementError::Refused(Refused::Invalid(errors))) => errors,
                Err(AgreementError::Refused(other)) => return Err(other.into()),
                Err(AgreementError::Stale | AgreementError::Unchanged) => FieldErrors::new(),
            }
        }
        Err(errors) => errors,
    };
    let page = page(&state, &who, form, errors, None, false).await?;
    Ok(crate::views::render(
        &page,
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// The form filled with the stored agreement.
pub async fn edit_form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    id: web::Path<String>,
) -> AppResult<AgreementFormPage> {
    let viewer = who.clone();
    let (agreement, posts, clauses) = state
        .db(move |conn| {
            let a = find_in_scope(conn, &viewer, &id)?;
            let covered = crate::services::agreements::covered_posts(conn, a.id)?;
            policy::manage_agreement(&viewer.principal(), &covered, &covered)
                .map_err(|_| AppError::Forbidden)?;
            let posts = db::agreements::posts_of(conn, a.id)?;
            let clauses = db::agreements::clauses_of(conn, a.id)?;
            Ok((a, posts, clauses))
        })
        .await?;
    let form = AgreementForm {
        reference: agreement.reference.clone(),
        title: agreement.title.clone(),
        parties: agreement.parties.clone(),
        signed_on: agreement.signed_on.to_string(),
        effective_from: agreement.effective_from.to_string(),
        effective_to: agreement
            .effective_to
            .map(|d| d.to_string())
            .unwrap_or_default(),
        terms: agreement.terms.clone(),
        planned_headcount: agreement
            .planned_headcount
            .map(|n| n.to_string())
            .unwrap_or_default(),
        post_codes: posts.into_iter().map(|(_, code)| code).collect(),
        clauses: clauses
            .into_iter()
            .map(|c| Clause {
                kind: c.kind,
                text: c.text,
            })
            .collect(),
    };
    let editing = Some((agreement.id.0, agreement.version));
    page(&state, &who, form, FieldErrors::new(), editing, false).await
}

/// Saves the changes (303), or re-shows the form: 422 with messages, 409 if someone saved first.
pub async fn update(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<AgreementInput>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let agreement = state
        .db(move |conn| find_in_scope(conn, &viewer, &id))
        .await?;
    let form = input.form();
    let version: i32 = input.version.trim().parse().unwrap_or(-1);
    let (errors, status, version) = match form.parse() {
        Ok(fields) => {
            let (principal, now, agreement_id) = (who.principal(), state.clock.now(), agreement.id);
            let viewer = who.clone();
            let saved = state
                .db(move |conn| {
                    let saved = agreements::update(
                        conn,
                        &actor,
                        &principal,
                        now,
                        agreement_id,
                        version,
                        &fields,
                    );
                    if saved.is_ok() {
                        notice::leave_about(
                            conn,
                            &viewer,
                            "notice-agreement-saved",
                            &fields.reference,
                        )?;
                    }
                    Ok(saved)
                })
                .await?;
            match saved {
                Ok(_) | Err(AgreementError::Unchanged) => {
                    return Ok(HttpResponse::SeeOther()
                        .insert_header((header::LOCATION, format!("/agreements/{}", agreement.id)))
                        .finish());
                }
                Err(AgreementError::Refused(Refused::Invalid(errors))) => {
                    (errors, StatusCode::UNPROCESSABLE_ENTITY, version)
                }
                Err(AgreementError::Stale) => {
                    (FieldErrors::new(), StatusCode::CONFLICT, agreement.version)
                }
                Err(AgreementError::Refused(other)) => return Err(other.into()),
            }
        }
        Err(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY, version),
    };
    let stale = status == StatusCode::CONFLICT;
    let page = page(
        &state,
        &who,
        form,
        errors,
        Some((agreement.id.0, version)),
        stale,
    )
    .await?;
    Ok(crate::views::render(&page, status))
}
