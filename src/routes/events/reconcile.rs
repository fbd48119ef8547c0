//! `GET /events/{id}/reconcile`, `POST /events/{id}/reconcile` (the other side's list,
//! `multipart/form-data` field `file`), `POST /events/{id}/reconcile/resolve` (`item`, `note`)
//! and `GET /events/{id}/reconcile.csv`.

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::find_in_scope;
use crate::audit::RequestActor;
use crate::auth::{CurrentUser, Identity, RequireRole, Supervisors, Writers};
use crate::domain::FieldErrors;
use crate::domain::event::Direction;
use crate::domain::ids::EventId;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::routes::form::HtmlForm;
use crate::services::Refused;
use crate::services::reconciliations::{self, Kept, Line};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::ReconcilePage;

fn reason_label(layout: &Layout, code: &str) -> String {
    layout.t(&format!("reconcile-reason-{}", code.replace('_', "-")))
}

fn page(
    who: &Identity,
    event: (i64, String),
    kept: Option<Kept>,
    errors: FieldErrors,
    can_resolve: bool,
) -> ReconcilePage {
    let layout = Layout::for_user(who, Section::Events);
    let (mut matched, mut ours_only, mut theirs_only, mut source) =
        (Vec::new(), Vec::new(), Vec::new(), None);
    if let Some(k) = kept {
        let resolved = |l: &Line| k.resolved.get(&l.item).cloned();
        matched = k
            .result
            .matched
            .iter()
            .map(|l| {
                (
                    format!("{} · {}", l.reference, l.ours),
                    l.theirs.clone(),
                    l.row.map(|r| layout.num(r as i64)).unwrap_or_default(),
                    reason_label(&layout, &l.reason),
                )
            })
            .collect();
        ours_only = k
            .result
            .ours_only
            .iter()
            .map(|l| {
                (
                    l.item.clone(),
                    format!("{} · {}", l.reference, l.ours),
                    resolved(l),
                )
            })
            .collect();
        theirs_only = k
            .result
            .theirs_only
            .iter()
            .map(|l| {
                let row = layout.t1(
                    "reconcile-their-row",
                    "row",
                    &layout.num(l.row.unwrap_or(0) as i64),
                );
                (l.item.clone(), format!("{row} · {}", l.theirs), resolved(l))
            })
            .collect();
        source = Some((
            k.file_name.clone(),
            k.sha256.clone(),
            format!("{} · {}", k.by.0, layout.tr.datetime_utc(k.by.1)),
        ));
    }
    ReconcilePage {
        event,
        kept: source,
        matched,
        ours_only,
        theirs_only,
        can_resolve,
        errors,
        layout,
    }
}

async fn render(
    state: &AppState,
    who: &Identity,
    id: String,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let (event, kept) = state
        .db(move |conn| {
            let (event, _) = find_in_scope(conn, &viewer, &id)?;
            if event.direction() != Direction::Outbound {
                return Err(AppError::NotFound);
            }
            let kept = reconciliations::latest(conn, event.id)?;
            Ok((event, kept))
        })
        .await?;
    let can_resolve = policy::resolve_reconciliation(&who.principal(), &event.facts()).is_ok();
    Ok(crate::views::render(
        &page(
            who,
            (event.id.0, event.reference.clone()),
            kept,
            errors,
            can_resolve,
        ),
        status,
    ))
}

/// The page.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    render(
        &state,
        &who,
        id.into_inner(),
        FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

fn event_id(raw: &str) -> AppResult<EventId> {
    raw.trim()
        .parse()
        .map(EventId)
        .map_err(|_| AppError::NotFound)
}

/// Reconciles with the uploaded list (303 to the page), or re-shows it with the message (422).
pub async fn run(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let raw = id.into_inner();
    let event = event_id(&raw)?;
    let (name, bytes) = match crate::routes::upload::Upload::read(form).await.file() {
        Ok(file) => file,
        Err(error) => {
            return render(
                &state,
                &who,
                raw,
                error.into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let (principal, now) = (who.principal(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            Ok(reconciliations::reconcile(
                conn, &actor, &principal, now, event, &name, &bytes,
            ))
        })
        .await?;
    match outcome {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/events/{raw}/reconcile")))
            .finish()),
        Err(Refused::Invalid(errors)) => {
            render(&state, &who, raw, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The resolve form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResolveInput {
    item: String,
    note: String,
}

/// Marks a difference looked into (supervisors).
pub async fn resolve(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Supervisors>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(input): HtmlForm<ResolveInput>,
) -> AppResult<HttpResponse> {
    let raw = id.into_inner();
    let event = event_id(&raw)?;
    let (principal, now) = (who.principal(), state.clock.now());
    let outcome = state
        .db(move |conn| {
            Ok(reconciliations::resolve(
                conn,
                &actor,
                &principal,
                now,
                event,
                &input.item,
                &input.note,
            ))
        })
        .await?;
    match outcome {
        Ok(()) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/events/{raw}/reconcile")))
            .finish()),
        Err(Refused::Invalid(errors)) => {
            render(&state, &who, raw, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(other.into()),
    }
}

/// The columns of the reconciliation export (documented in the README).
pub const COLUMNS: &[&str] = &[
    "list",
    "reference",
    "our_names",
    "their_row",
    "their_names",
    "match_reason",
    "resolved_note",
];

/// `?bom=1`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsvQuery {
    bom: String,
}

/// The latest reconciliation as a file (the people export's readers: it carries names and
/// documents).
pub async fn csv(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    query: web::Query<CsvQuery>,
) -> AppResult<HttpResponse> {
    policy::export_people(&who.principal()).map_err(|_| AppError::Forbidden)?;
    let viewer = who.clone();
    let (reference, kept) = state
        .db(move |conn| {
            let (event, _) = find_in_scope(conn, &viewer, &id)?;
            let kept = reconciliations::latest(conn, event.id)?.ok_or(AppError::NotFound)?;
            Ok((event.reference, kept))
        })
        .await?;
    let export = Export {
        name: "reconciliation",
        file_name: export::file_name_of("reconciliation", &[&reference]),
        filters: format!("event={reference}"),
        bom: query.bom == "1",
    };
    export::stream_csv(&state, actor, export, COLUMNS, move |_, sink| {
        let lists = [
            ("matched", &kept.result.matched),
            ("ours_only", &kept.result.ours_only),
            ("theirs_only", &kept.result.theirs_only),
        ];
        for (list, lines) in lists {
            for l in lines {
                let note = kept
                    .resolved
                    .get(&l.item)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                let row = [
                    list.to_owned(),
                    l.reference.clone(),
                    export::safe_cell(&l.ours).into_owned(),
                    l.row.map(|r| r.to_string()).unwrap_or_default(),
                    export::safe_cell(&l.theirs).into_owned(),
                    l.reason.clone(),
                    export::safe_cell(&note).into_owned(),
                ];
                if !sink.row(&row) {
                    return Ok(());
                }
            }
        }
        Ok(())
    })
    .await
}
