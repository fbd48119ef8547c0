//! `GET /events/{id}/handover` (a return): the document both sides sign, in English and Arabic
//! side by side; and `GET /events/{id}/manifest.csv`, its list as a file. Showing the document
//! is recorded in the audit trail like an export: it prints people's names and documents.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::find_in_scope;
use crate::audit::receipt::Stamp;
use crate::audit::{self, Action, Details, Entry, RequestActor};
use crate::auth::CurrentUser;
use crate::db;
use crate::domain::event::Direction;
use crate::domain::ids::AgreementId;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::export::{self, Export};
use crate::i18n::{Lang, Tr};
use crate::services::events::zone_of;
use crate::state::AppState;
use crate::views::people::{Both, HandoverLine, HandoverPage};

/// The labels the document uses, in both languages.
const LABELS: &[&str] = &[
    "handover-title",
    "handover-print-hint",
    "handover-reference",
    "handover-from",
    "handover-to",
    "handover-when",
    "handover-agreement",
    "handover-no-agreement",
    "handover-col-name",
    "handover-col-document",
    "handover-col-medical",
    "handover-list-hash",
    "handover-named",
    "handover-headcount",
    "handover-unnamed",
    "handover-handing-officer",
    "handover-receiving-officer",
    "handover-witness",
    "handover-sign-name",
    "handover-sign-signature",
    "person-field-father-name",
    "person-field-rank",
    "manifest-title-return",
];

fn both(en: &Tr, ar: &Tr, key: &str) -> Both {
    (en.t(key), ar.t(key))
}

/// The document.
pub async fn show(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let viewer = who.clone();
    let now = state.clock.now();
    let (event, post, named, agreement, stamp) = state
        .db(move |conn| {
            let (event, post) = find_in_scope(conn, &viewer, &id)?;
            if event.direction() != Direction::Outbound {
                return Err(AppError::NotFound);
            }
            let named = db::manifests::named(conn, &event)?;
            let agreement = match event.agreement_id {
                Some(a) => db::agreements::find(conn, AgreementId(a))?
                    .map(|found| -> diesel::QueryResult<_> {
                        let clauses = db::agreements::clauses_of(conn, found.id)?;
                        Ok((found, clauses))
                    })
                    .transpose()?,
                None => None,
            };
            // Printing the list is recorded like an export of it.
            let details = Details::new()
                .fact("export", "handover")
                .fact("rows", named.len())
                .fact("sha256", export::manifest::list_hash(&named));
            let seq = audit::record_event(
                conn,
                &actor,
                now,
                Entry {
                    action: Action::Export,
                    entity: "event",
                    entity_id: event.id.to_string(),
                    post: Some(post.code.clone()),
                    details,
                },
            )?;
            // The foot names this printing's own entry: the document is traceable to it.
            let stamp = Stamp::at(conn, seq)?;
            Ok((event, post, named, agreement, stamp))
        })
        .await?;
    // Western digits in both columns: one set of figures both sides sign.
    let (en, ar) = (Tr::new(Lang::En), Tr::new(Lang::Ar));
    let labels: HashMap<&'static str, Both> =
        LABELS.iter().map(|k| (*k, both(&en, &ar, k))).collect();
    let choice = |prefix: &str, value: &str| -> Both {
        if value.is_empty() || value == "none" {
            (String::new(), String::new())
        } else {
            both(&en, &ar, &format!("{prefix}-{}", value.replace('_', "-")))
        }
    };
    let zone = zone_of(&post);
    let at = event.occurred_at.and_utc();
    let page = HandoverPage {
        stylesheet: crate::routes::static_files::versioned_url("css/handover.css"),
        reference: event.reference.clone(),
        event_id: event.id.0,
        post: (
            post.name_en.clone(),
            post.name_ar.clone(),
            post.code.clone(),
        ),
        counterpart: (
            post.counterpart_name.clone(),
            both(&en, &ar, &format!("country-{}", post.neighbour_country)),
        ),
        country: both(&en, &ar, &format!("country-{}", post.country)),
        when: (en.datetime_at_post(at, zone), ar.datetime_at_post(at, zone)),
        agreement: agreement.map(|(a, clauses)| {
            let clauses = clauses
                .into_iter()
                .map(|c| {
                    let kind = both(&en, &ar, &format!("clause-{}", c.kind.replace('_', "-")));
                    let assurance = c.kind == "no_reprisals";
                    (kind, c.text, assurance)
                })
                .collect();
            (a.reference, a.title, a.parties, clauses)
        }),
        lines: named
            .iter()
            .enumerate()
            .map(|(i, p)| HandoverLine {
                n: i + 1,
                reference: p.reference.clone(),
                name_ar: p.name_ar.clone(),
                name_latin: p.name_latin.clone(),
                father_name: p.father_name.clone(),
                rank: p.rank.clone(),
                document: (
                    choice("document", &p.id_document_type),
                    p.id_document_number.clone(),
                ),
                medical: choice("medical", &p.medical),
            })
            .collect(),
        totals: (
            named.len(),
            event.headcount,
            i64::from(event.headcount) - named.len() as i64,
        ),
        stamp,
        short_hash: export::manifest::list_hash(&named)[..16].to_owned(),
        labels,
    };
    Ok(crate::views::render(&page, actix_web::http::StatusCode::OK))
}

/// `?bom=1`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsvQuery {
    bom: String,
}

/// The list as a file (the people export's readers only: it carries documents).
pub async fn csv(
    state: web::Data<AppState>,
    CurrentUser(who): CurrentUser,
    RequestActor(actor): RequestActor,
    id: web::Path<String>,
    query: web::Query<CsvQuery>,
) -> AppResult<HttpResponse> {
    policy::export_people(&who.principal()).map_err(|_| AppError::Forbidden)?;
    let viewer = who.clone();
    let (event, named) = state
        .db(move |conn| {
            let (event, _) = find_in_scope(conn, &viewer, &id)?;
            let named = db::manifests::named(conn, &event)?;
            Ok((event, named))
        })
        .await?;
    let export = Export {
        name: "manifest",
        file_name: export::file_name_of("manifest", &[&event.reference]),
        filters: format!("event={}", event.reference),
        bom: query.bom == "1",
    };
    export::stream_csv(
        &state,
        actor,
        export,
        export::manifest::COLUMNS,
        move |_, sink| {
            for row in export::manifest::rows(&named) {
                if !sink.row(&row) {
                    break;
                }
            }
            Ok(())
        },
    )
    .await
}
