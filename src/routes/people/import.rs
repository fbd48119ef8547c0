//! Importing a received list: `GET`/`POST /posts/{code}/people/import` (the upload, a
//! `multipart/form-data` field `file`), `GET /people/imports/{id}` (the preview) and
//! `POST /people/imports/{id}` (`action=remap` to preview again with the columns chosen,
//! `action=confirm` to import every row).

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use crate::audit::RequestActor;
use crate::auth::notice;
use crate::auth::{Identity, RequireRole, Writers};
use crate::db::posts::Post;
use crate::db::{self, DbConn};
use crate::domain::event::Status;
use crate::domain::ids::EventId;
use crate::domain::person::FIELDS;
use crate::domain::{FieldError, FieldErrors};
use crate::error::{AppError, AppResult};
use crate::import::mapping::Mapping;
use crate::routes::form::HtmlForm;
use crate::routes::posts::find_in_scope;
use crate::services::Refused;
use crate::services::events::zone_of;
use crate::services::imports::{self, ImportError, Preview};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::people::{ImportLine, ImportPage, ImportPreviewPage, field_label};

/// Rows shown in the preview (the rest are counted; all are checked).
const SHOWN: usize = 100;

/// Events of the post whose list an import may join: the latest pending ones.
fn event_choices(
    conn: &mut DbConn,
    (layout, who): (&Layout, &Identity),
    post: &Post,
) -> AppResult<Vec<(String, String)>> {
    let filter = crate::db::event_lists::Filter {
        post: Some(post.id),
        status: Some(Status::Pending),
        ..crate::db::event_lists::Filter::within(who.principal().scope().clone())
    };
    Ok(crate::db::event_lists::page(conn, &filter, None, 50)?
        .into_iter()
        .map(|l| {
            let e = l.event;
            (
                e.id.to_string(),
                format!(
                    "{} · {} · {} · {}",
                    e.reference,
                    layout.t(&format!("direction-{}", e.direction)),
                    layout.tr.date(e.local_day),
                    layout.num(i64::from(e.headcount))
                ),
            )
        })
        .collect())
}

fn upload_page(
    layout: Layout,
    post: Post,
    events: Vec<(String, String)>,
    errors: FieldErrors,
) -> ImportPage {
    ImportPage {
        layout,
        post,
        events,
        errors,
    }
}

/// The upload form.
pub async fn form(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    code: web::Path<String>,
) -> AppResult<ImportPage> {
    let layout = Layout::for_user(&who, Section::People);
    let (viewer, l) = (who.clone(), layout.clone());
    let (post, events) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?.into_post();
            crate::domain::policy::record_person(&viewer.principal(), post.id)
                .map_err(|_| AppError::Forbidden)?;
            let events = event_choices(conn, (&l, &viewer), &post)?;
            Ok((post, events))
        })
        .await?;
    Ok(upload_page(layout, post, events, FieldErrors::new()))
}

/// Keeps the file for its preview (303 there), or re-shows the form with the message (422).
pub async fn upload(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    code: web::Path<String>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let layout = Layout::for_user(&who, Section::People);
    let (viewer, l) = (who.clone(), layout.clone());
    let (scoped, events) = state
        .db(move |conn| {
            let post = find_in_scope(conn, &viewer, &code)?;
            let events = event_choices(conn, (&l, &viewer), &post)?;
            Ok((post, events))
        })
        .await?;
    let upload = crate::routes::upload::Upload::read(form).await;
    let event = upload.field("event_id");
    let refuse = |error: FieldError| {
        crate::views::render(
            &upload_page(
                layout.clone(),
                scoped.clone().into_post(),
                events.clone(),
                error.into(),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let (file_name, bytes) = match upload.file() {
        Ok(file) => file,
        Err(error) => return Ok(refuse(error)),
    };
    let event = match event.as_str() {
        "" => None,
        raw => match raw.parse() {
            Ok(id) => Some(EventId(id)),
            Err(_) => {
                return Ok(refuse(FieldError::new(
                    "event_id",
                    "event-unknown",
                    "Choose one of the listed events.",
                )));
            }
        },
    };
    let (principal, now, post) = (who.principal(), state.clock.now(), scoped.clone());
    let outcome = state
        .db(move |conn| {
            Ok(imports::upload(
                conn, &actor, &principal, now, &post, &file_name, &bytes, event,
            ))
        })
        .await?;
    match outcome {
        Ok(id) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/people/imports/{id}")))
            .finish()),
        Err(ImportError::Refused(Refused::Invalid(errors))) => Ok(crate::views::render(
            &upload_page(layout, scoped.into_post(), events, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(ImportError::Refused(other)) => Err(other.into()),
        Err(ImportError::Manifest(_)) => {
            Err(AppError::internal("uploading a list", "unexpected outcome"))
        }
    }
}

fn import_id(raw: &str) -> AppResult<i64> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

/// The preview page of `preview`.
fn preview_page(
    who: &Identity,
    preview: &Preview,
    (post_code, event): (String, Option<(i64, String)>),
    create_anyway: &[usize],
    errors: FieldErrors,
) -> ImportPreviewPage {
    let layout = Layout::for_user(who, Section::People);
    let mapped: Vec<&'static str> = preview.mapping.iter().flatten().copied().collect();
    let with_errors = preview.rows.iter().filter(|r| !r.errors.is_empty()).count();
    let matched = preview.rows.iter().filter(|r| r.matched.is_some()).count();
    let arg = |n: usize| crate::i18n::Arg::Text(layout.num(n as i64));
    let summary = layout.tr.ta(
        "import-summary",
        &[
            ("rows", arg(preview.rows.len())),
            (
                "new",
                arg(preview.rows.len() - matched - with_errors.min(preview.rows.len() - matched)),
            ),
            ("matched", arg(matched)),
            ("errors", arg(with_errors)),
        ],
    );
    // Rows with errors first, so none hides beyond the rows shown.
    let mut rows: Vec<&imports::RowPreview> = preview.rows.iter().collect();
    rows.sort_by_key(|r| (r.errors.is_empty(), r.n));
    let lines = rows
        .iter()
        .take(SHOWN)
        .map(|r| ImportLine {
            n: r.n,
            cells: mapped.iter().map(|f| r.form.get(f).to_owned()).collect(),
            errors: r
                .errors
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        field_label(&layout, e.field),
                        layout.field_error(e)
                    )
                })
                .collect(),
            matched: r.matched.as_ref().map(|(p, likeness)| {
                let certain = *likeness == crate::db::people::Likeness::Certain;
                (
                    p.id.0,
                    p.reference.clone(),
                    layout.t(if certain {
                        "duplicate-certain"
                    } else {
                        "duplicate-probable"
                    }),
                    certain,
                )
            }),
            create_anyway: create_anyway.contains(&r.n),
        })
        .collect();
    let hidden = preview.rows.len().saturating_sub(SHOWN);
    ImportPreviewPage {
        id: preview.import.id,
        file: (
            preview.import.file_name.clone(),
            preview.import.sha256.clone(),
        ),
        post_code,
        event,
        columns: preview
            .table
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                (
                    i,
                    h.clone(),
                    preview
                        .mapping
                        .get(i)
                        .copied()
                        .flatten()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect(),
        fields: FIELDS
            .iter()
            .filter(|f| **f != "inbound_event_id")
            .map(|f| ((*f).to_owned(), field_label(&layout, f)))
            .collect(),
        mapped: mapped.iter().map(|f| field_label(&layout, f)).collect(),
        lines,
        summary,
        with_errors,
        hidden: if hidden == 0 {
            String::new()
        } else {
            layout.t1("import-rows-hidden", "count", &layout.num(hidden as i64))
        },
        done: preview.import.status == "imported",
        errors,
        layout,
    }
}

/// The post's code and the import's event, for the page.
fn context(conn: &mut DbConn, preview: &Preview) -> AppResult<(String, Option<(i64, String)>)> {
    let post = db::posts::find(conn, crate::domain::ids::PostId(preview.import.post_id))?
        .ok_or(AppError::NotFound)?;
    let event = match preview.import.event_id {
        Some(e) => db::events::find(conn, EventId(e))?.map(|e| (e.id.0, e.reference)),
        None => None,
    };
    Ok((post.code, event))
}

fn today(
    conn: &mut DbConn,
    post: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<chrono::NaiveDate> {
    let post =
        db::posts::find(conn, crate::domain::ids::PostId(post))?.ok_or(AppError::NotFound)?;
    Ok(now.with_timezone(&zone_of(&post)).date_naive())
}

/// The preview.
pub async fn preview(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    id: web::Path<String>,
) -> AppResult<ImportPreviewPage> {
    let id = import_id(&id)?;
    let (principal, now) = (who.principal(), state.clock.now());
    let (preview, context) = state
        .db(move |conn| {
            let import = imports::find(conn, &principal, id)?;
            let today = today(conn, import.post_id, now)?;
            let preview = imports::preview(conn, &principal, id, None, today)?;
            let context = context(conn, &preview)?;
            Ok((preview, context))
        })
        .await?;
    Ok(preview_page(
        &who,
        &preview,
        context,
        &[],
        FieldErrors::new(),
    ))
}

/// Re-previews with the columns chosen, or imports every row.
pub async fn submit(
    state: web::Data<AppState>,
    RequireRole(who, _): RequireRole<Writers>,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    HtmlForm(form): HtmlForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = import_id(&id)?;
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let create_anyway: Vec<usize> = form
        .iter()
        .filter(|(k, v)| k.starts_with("create_") && v == "1")
        .filter_map(|(k, _)| k.trim_start_matches("create_").parse().ok())
        .collect();
    let confirm = value("action") == "confirm";
    let columns = form.iter().filter(|(k, _)| k.starts_with("col_")).count();
    // The columns as chosen; a field named twice fills only its first column.
    let mut mapping: Mapping = Vec::new();
    for i in 0..columns {
        let chosen = FIELDS
            .iter()
            .copied()
            .find(|f| *f == value(&format!("col_{i}")));
        mapping.push(chosen.filter(|f| !mapping.contains(&Some(*f))));
    }
    let (principal, now, viewer) = (who.principal(), state.clock.now(), who.clone());
    let m = mapping.clone();
    let anyway = create_anyway.clone();
    let outcome = state
        .db(move |conn| {
            if !confirm {
                return Ok(Err(ImportError::Refused(Refused::Invalid(
                    FieldErrors::new(),
                ))));
            }
            let outcome = imports::confirm(conn, &actor, &principal, now, (id, m), &anyway);
            if let Ok((created, linked)) = &outcome {
                let tr = crate::i18n::Tr {
                    lang: viewer.language,
                    digits: viewer.digits,
                };
                let text = tr.ta(
                    "notice-imported",
                    &[
                        ("created", crate::i18n::Arg::Count(*created as i64)),
                        ("linked", crate::i18n::Arg::Count(*linked as i64)),
                    ],
                );
                notice::leave(conn, &viewer, &notice::Notice::text(text))?;
            }
            Ok(outcome)
        })
        .await?;
    let errors = match outcome {
        Ok(_) => {
            let principal = who.principal();
            let to = state
                .db(move |conn| {
                    let import = imports::find(conn, &principal, id)?;
                    Ok(match import.event_id {
                        Some(e) => format!("/events/{e}/manifest"),
                        None => format!(
                            "/people?post={}",
                            db::posts::find(conn, crate::domain::ids::PostId(import.post_id))?
                                .map(|p| p.code)
                                .unwrap_or_default()
                        ),
                    })
                })
                .await?;
            return Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, to))
                .finish());
        }
        Err(ImportError::Refused(Refused::Invalid(errors))) => errors,
        Err(ImportError::Manifest(refused)) => {
            let mut errors = FieldErrors::new();
            for (_, e) in refused {
                errors.push(FieldError {
                    field: "event_id",
                    ..e
                });
            }
            errors
        }
        Err(ImportError::Refused(other)) => return Err(other.into()),
    };
    let principal = who.principal();
    let given = (columns > 0).then_some(mapping);
    let (preview, context) = state
        .db(move |conn| {
            let import = imports::find(conn, &principal, id)?;
            let today = today(conn, import.post_id, now)?;
            let preview = imports::preview(conn, &principal, id, given, today)?;
            let context = context(conn, &preview)?;
            Ok((preview, context))
        })
        .await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::views::render(
        &preview_page(&who, &preview, context, &create_anyway, errors),
        status,
    ))
}
