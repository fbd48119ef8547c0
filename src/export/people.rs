//! `/people.csv`: the people of `/people` with its filters, oldest first. The most sensitive
//! export repatrack has (documents, health, vulnerabilities): supervisors, administrators and
//! auditors only, within their posts.

use std::collections::HashMap;

use diesel::prelude::*;

use super::events::utc;
use super::safe_cell;
use crate::db::people::Filter;
use crate::db::schema::{border_posts, crossing_events, person_statements, users};
use crate::db::{self, DbConn};
use crate::error::AppError;

/// The columns, in order (documented in the README; stable).
pub const COLUMNS: &[&str] = &[
    "person_id",
    "reference",
    "post",
    "name_ar",
    "name_latin",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "birth_date",
    "birth_year",
    "sex",
    "rank",
    "unit",
    "service_number",
    "id_document_type",
    "id_document_number",
    "nationality",
    "medical",
    "vulnerabilities",
    "inbound_event",
    "status",
    "transferred_to",
    "last_statement_on",
    "last_statement_heard_by",
    "last_statement_how",
    "notes",
    "recorded_by",
    "recorded_at_utc",
    "updated_at_utc",
    "return_event",
    "followups",
    "last_followup_on",
    "last_finding",
];

/// People per read.
const BATCH: i64 = 1000;

/// Writes every person `filter` selects.
pub fn rows(conn: &mut DbConn, filter: &Filter, sink: &mut super::Sink) -> Result<(), AppError> {
    let posts: HashMap<i64, String> = border_posts::table
        .select((border_posts::id, border_posts::code))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let names: HashMap<i64, String> = users::table
        .select((users::id, users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    db::people::read_batches(conn, filter, BATCH, |conn, batch| {
        let ids: Vec<i64> = batch.iter().map(|p| p.id.0).collect();
        let events: Vec<i64> = batch.iter().filter_map(|p| p.inbound_event_id).collect();
        let references: HashMap<i64, String> = crossing_events::table
            .filter(crossing_events::id.eq_any(&events))
            .select((crossing_events::id, crossing_events::reference))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        // The latest statement of each person of the batch (ids ascend, so the last one wins).
        let statements: HashMap<i64, (String, String, String)> = person_statements::table
            .filter(person_statements::person_id.eq_any(&ids))
            .order(person_statements::id)
            .select((
                person_statements::person_id,
                person_statements::stated_on,
                person_statements::heard_by,
                person_statements::how,
            ))
            .load::<(i64, chrono::NaiveDate, String, String)>(conn)?
            .into_iter()
            .map(|(p, on, by, how)| (p, (on.to_string(), by, how)))
            .collect();
        let returns = db::followups::returns_of(conn, &ids)?;
        let heard = db::followups::latest_of(conn, &ids)?;
        for p in &batch {
            let (count, last_on, last_finding) = heard
                .get(&p.id.0)
                .map(|(n, on, f)| (n.to_string(), on.to_string(), f.as_str()))
                .unwrap_or_else(|| ("0".to_owned(), String::new(), ""));
            let none = (String::new(), String::new(), String::new());
            let (on, heard_by, how) = statements.get(&p.id.0).unwrap_or(&none);
            let written = sink.row([
                p.id.0.to_string().as_str(),
                &safe_cell(&p.reference),
                posts.get(&p.post_id.0).map_or("", String::as_str),
                &safe_cell(&p.name_ar),
                &safe_cell(&p.name_latin),
                &safe_cell(&p.father_name),
                &safe_cell(&p.grandfather_name),
                &safe_cell(&p.family_name),
                &safe_cell(&p.mother_name),
                &p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                &p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                &p.sex,
                &safe_cell(&p.rank),
                &safe_cell(&p.unit),
                &safe_cell(&p.service_number),
                &p.id_document_type,
                &safe_cell(&p.id_document_number),
                &p.nationality,
                &p.medical,
                &safe_cell(&p.vulnerabilities),
                p.inbound_event_id
                    .and_then(|e| references.get(&e))
                    .map_or("", String::as_str),
                &p.status,
                &safe_cell(&p.transferred_to),
                on,
                &safe_cell(heard_by),
                how,
                &safe_cell(&p.notes),
                names.get(&p.recorded_by).map_or("", String::as_str),
                &utc(p.recorded_at),
                &utc(p.updated_at),
                returns.get(&p.id.0).map_or("", String::as_str),
                &count,
                &last_on,
                last_finding,
            ]);
            if !written {
                return Ok(false);
            }
        }
        Ok(true)
    })?;
    Ok(())
}
