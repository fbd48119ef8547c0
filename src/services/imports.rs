//! Importing a list of people received from the other side (issue 16): the file is kept at
//! upload, previewed row by row with its errors and the records each row matches, and written
//! only when confirmed — every row or none, audited as one import with the file's SHA-256. A row
//! that matches a record already held is linked to it rather than registered twice, unless the
//! officer says it is someone else; the rows may join an event's list in the same transaction.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::Refused;
use super::events::{account, zone_of};
use super::manifests::{self, ManifestError};
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::people::{self as stored, Likeness, Listed, NewPerson, WholeKey, years_close};
use crate::db::schema::{import_mappings, people_imports};
use crate::db::{self, DbConn, TxError};
use crate::domain::ids::{EventId, PersonId, PostId};
use crate::domain::names;
use crate::domain::person::{self, PersonFields, PersonForm};
use crate::domain::policy::{self, PostScope, Principal};
use crate::domain::{FieldError, FieldErrors};
use crate::import::mapping::{self, Mapping};
use crate::import::table::{self, Table};
use crate::services::ScopedPost;

/// Why an import step did not happen.
#[derive(Debug)]
pub enum ImportError {
    /// Not found, forbidden, invalid (the file, a row, the list) or failed.
    Refused(Refused),
    /// Rows that cannot be put on the chosen event's list, with the reasons.
    Manifest(Vec<(PersonId, FieldError)>),
}

super::refused_conversions!(ImportError);

impl TxError for ImportError {
    fn retryable(&self) -> bool {
        matches!(self, Self::Refused(r) if r.retryable())
    }
}

impl From<ManifestError> for ImportError {
    fn from(e: ManifestError) -> Self {
        match e {
            ManifestError::Refused(r) => Self::Refused(r),
            ManifestError::People(refused) => Self::Manifest(refused),
            ManifestError::Stale => Self::Refused(Refused::NotFound),
        }
    }
}

/// A stored import.
#[derive(Queryable, Debug, Clone)]
pub struct ImportRow {
    /// Key.
    pub id: i64,
    /// The post importing.
    pub post_id: i64,
    /// The file's name.
    pub file_name: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// The file.
    pub content: Vec<u8>,
    /// The event the rows join.
    pub event_id: Option<i64>,
    /// `preview` / `imported`.
    pub status: String,
}

/// One row of the preview.
#[derive(Debug, Clone)]
pub struct RowPreview {
    /// Its number among the file's data rows, from 1.
    pub n: usize,
    /// The person it describes, as the mapping reads it.
    pub form: PersonForm,
    /// The person, when the row reads without errors.
    pub fields: Option<PersonFields>,
    /// What is wrong with it (nothing is imported while any row has errors).
    pub errors: FieldErrors,
    /// A record already held that it matches, and how surely.
    pub matched: Option<(Listed, Likeness)>,
}

/// What the preview shows.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The import.
    pub import: ImportRow,
    /// The file, read.
    pub table: Table,
    /// Each column's field.
    pub mapping: Mapping,
    /// Every row.
    pub rows: Vec<RowPreview>,
}

/// The message beside the `file` field for a list that cannot be read (shared with
/// reconciliation, which reads the other side's list the same way).
pub(super) fn file_error(error: &table::TableError) -> FieldError {
    let (key, message) = match error {
        table::TableError::TooLarge { .. } => (
            "import-too-large",
            format!(
                "The file is larger than {} MB.",
                table::MAX_BYTES / (1024 * 1024)
            ),
        ),
        table::TableError::TooManyRows { .. } => (
            "import-too-many-rows",
            format!("The file has more than {} rows.", table::MAX_ROWS),
        ),
        table::TableError::Empty => ("import-empty", "The file holds no rows.".to_owned()),
        table::TableError::Unreadable(_) => (
            "import-unreadable",
            "This file cannot be read: send a CSV or an .xlsx workbook.".to_owned(),
        ),
    };
    FieldError::new("file", key, message)
        .with_arg("max_mb", (table::MAX_BYTES / (1024 * 1024)).to_string())
        .with_arg("max_rows", table::MAX_ROWS.to_string())
}

/// Keeps an uploaded file for its preview (nothing about people is written yet). The file must
/// read as a table within the limits; `event`, if given, must be an event of the post whose list
/// the person may change.
#[allow(clippy::too_many_arguments)] // one operation's inputs, each named at the call
pub fn upload(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    post: &ScopedPost,
    file_name: &str,
    bytes: &[u8],
    event: Option<EventId>,
) -> Result<i64, ImportError> {
    policy::record_person(who, post.id)?;
    let by = account(who)?;
    let table = table::read(bytes, file_name).map_err(|e| Refused::field(file_error(&e)))?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    audit::write(conn, actor, now, |w| {
        if let Some(event) = event {
            let found = db::events::find(w.conn(), event)?;
            let usable = found.as_ref().is_some_and(|e| {
                e.post_id == post.id && policy::edit_manifest(who, &e.facts()).is_ok()
            });
            if !usable {
                return Err(Refused::field(FieldError::new(
                    "event_id",
                    "event-unknown",
                    "Choose one of the listed events.",
                ))
                .into());
            }
        }
        let id: i64 = diesel::insert_into(people_imports::table)
            .values((
                people_imports::post_id.eq(post.id.0),
                people_imports::file_name.eq(file_name),
                people_imports::sha256.eq(&sha256),
                people_imports::content.eq(bytes),
                people_imports::event_id.eq(event.map(|e| e.0)),
                people_imports::status.eq("preview"),
                people_imports::uploaded_by.eq(by.0),
                people_imports::uploaded_at.eq(w.now()),
            ))
            .returning(people_imports::id)
            .get_result(w.conn())?;
        let details = Details::new()
            .fact("import", id)
            .fact("file_name", file_name)
            .fact("sha256", sha256.as_str())
            .fact("rows", table.rows.len());
        w.record(Entry {
            action: Action::ImportUpload,
            entity: "import",
            entity_id: id.to_string(),
            post: Some(post.code.clone()),
            details,
        })?;
        Ok(id)
    })
}

/// The import `id`, if its post is in `who`'s scope.
pub fn find(conn: &mut DbConn, who: &Principal, id: i64) -> Result<ImportRow, Refused> {
    let row: ImportRow = people_imports::table
        .find(id)
        .select((
            people_imports::id,
            people_imports::post_id,
            people_imports::file_name,
            people_imports::sha256,
            people_imports::content,
            people_imports::event_id,
            people_imports::status,
        ))
        .first(conn)
        .optional()?
        .ok_or(Refused::NotFound)?;
    policy::record_person(who, PostId(row.post_id))?;
    Ok(row)
}

/// The mapping to start from: the one given, else the post's remembered one for these headers,
/// else a guess from the headers.
fn mapping_for(
    conn: &mut DbConn,
    post: i64,
    table: &Table,
    given: Option<Mapping>,
) -> diesel::QueryResult<Mapping> {
    if let Some(m) = given.filter(|m| m.len() == table.headers.len()) {
        return Ok(m);
    }
    let remembered: Option<String> = import_mappings::table
        .find(post)
        .select(import_mappings::mapping)
        .first(conn)
        .optional()?;
    Ok(remembered
        .and_then(|m| mapping::parse_stored(&m, table.headers.len()))
        .unwrap_or_else(|| mapping::guess(&table.headers)))
}

/// The record a parsed row matches, if any: the same document or service number (certain), else
/// the same name in either script with birth years within one (probable).
fn match_rows(
    conn: &mut DbConn,
    scope: &PostScope,
    rows: &[(usize, Option<PersonFields>)],
) -> diesel::QueryResult<HashMap<usize, (Listed, Likeness)>> {
    let mut documents = Vec::new();
    let mut services = Vec::new();
    let mut signatures = Vec::new();
    for (_, f) in rows {
        let Some(f) = f else { continue };
        documents.push(names::document_key(&f.id_document_number));
        services.push(names::document_key(&f.service_number));
        signatures.push(names::signature(&f.name_ar));
        signatures.push(names::signature(&f.name_latin));
    }
    for keys in [&mut documents, &mut services, &mut signatures] {
        keys.retain(|k| !k.is_empty());
        keys.sort();
        keys.dedup();
    }
    let index = |found: Vec<(String, Listed)>| {
        let mut map: HashMap<String, Vec<Listed>> = HashMap::new();
        for (key, person) in found {
            map.entry(key).or_default().push(person);
        }
        map
    };
    let by_document = index(stored::holding(
        conn,
        scope,
        WholeKey::Document,
        &documents,
    )?);
    let by_service = index(stored::holding(
        conn,
        scope,
        WholeKey::ServiceNumber,
        &services,
    )?);
    let by_name = index(stored::holding(
        conn,
        scope,
        WholeKey::Signature,
        &signatures,
    )?);
    let mut out = HashMap::new();
    for (n, f) in rows {
        let Some(f) = f else { continue };
        let first = |map: &HashMap<String, Vec<Listed>>, key: String| {
            map.get(&key).and_then(|v| v.first().cloned())
        };
        let certain = first(&by_document, names::document_key(&f.id_document_number))
            .filter(|_| !f.id_document_number.is_empty())
            .or_else(|| {
                first(&by_service, names::document_key(&f.service_number))
                    .filter(|_| !f.service_number.is_empty())
            });
        if let Some(p) = certain {
            out.insert(*n, (p, Likeness::Certain));
            continue;
        }
        let probable = [&f.name_ar, &f.name_latin]
            .into_iter()
            .map(|name| names::signature(name))
            .filter(|s| !s.is_empty())
            .find_map(|s| {
                by_name
                    .get(&s)?
                    .iter()
                    .find(|p| years_close(p.birth_year, f.birth_year))
                    .cloned()
            });
        if let Some(p) = probable {
            out.insert(*n, (p, Likeness::Probable));
        }
    }
    Ok(out)
}

/// The preview: every row read with `mapping` (or the remembered or guessed one), its errors,
/// and the record it matches.
pub fn preview(
    conn: &mut DbConn,
    who: &Principal,
    id: i64,
    given: Option<Mapping>,
    today: NaiveDate,
) -> Result<Preview, Refused> {
    let import = find(conn, who, id)?;
    let table = table::read(&import.content, &import.file_name)
        .map_err(|e| Refused::field(file_error(&e)))?;
    let mapping = mapping_for(conn, import.post_id, &table, given)?;
    let parsed: Vec<(usize, PersonForm, Result<PersonFields, FieldErrors>)> = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let form = mapping::apply(&mapping, row);
            let fields = form.parse(today);
            (i + 1, form, fields)
        })
        .collect();
    let keyed: Vec<(usize, Option<PersonFields>)> = parsed
        .iter()
        .map(|(n, _, f)| (*n, f.as_ref().ok().cloned()))
        .collect();
    let mut matches = match_rows(conn, who.scope(), &keyed)?;
    let rows = parsed
        .into_iter()
        .map(|(n, form, parsed)| {
            let (fields, errors) = match parsed {
                Ok(fields) => (Some(fields), FieldErrors::new()),
                Err(errors) => (None, errors),
            };
            RowPreview {
                n,
                form,
                fields,
                errors,
                matched: matches.remove(&n),
            }
        })
        .collect();
    Ok(Preview {
        import,
        table,
        mapping,
        rows,
    })
}

/// Writes the import: every row or none. Rows that match a record already held are linked to
/// it, except those in `create_anyway` (row numbers the officer said are other people); the
/// mapping is remembered for the post; when the import names an event, every row's person joins
/// its list under the list's rules. Returns `(created, linked)`.
pub fn confirm(
    conn: &mut DbConn,
    actor: &Actor,
    who: &Principal,
    now: DateTime<Utc>,
    (id, mapping): (i64, Mapping),
    create_anyway: &[usize],
) -> Result<(usize, usize), ImportError> {
    let by = account(who)?;
    audit::write_each(conn, actor, now, |w| {
        let import = find(w.conn(), who, id)?;
        let post = db::posts::lock(w, PostId(import.post_id))?.ok_or(Refused::NotFound)?;
        // The status again, under the post's lock: a second confirmation sent at the same time
        // (a double click) waits here for the first and must then see the list imported.
        let status: String = people_imports::table
            .find(id)
            .select(people_imports::status)
            .first(w.conn())?;
        if status != "preview" {
            return Err(Refused::field(FieldError::new(
                "file",
                "import-done",
                "This list was imported already.",
            ))
            .into());
        }
        // As registering one person: a post closed since the upload takes no new records.
        if !post.active {
            return Err(Refused::field(FieldError::new(
                "file",
                "post-inactive",
                "This border post is closed and takes no new records.",
            ))
            .into());
        }
        let zone = zone_of(&post);
        let today = now.with_timezone(&zone).date_naive();
        let preview = preview(w.conn(), who, id, Some(mapping.clone()), today)?;
        let bad: Vec<usize> = preview
            .rows
            .iter()
            .filter(|r| !r.errors.is_empty())
            .map(|r| r.n)
            .collect();
        if !bad.is_empty() {
            return Err(Refused::field(
                FieldError::new(
                    "file",
                    "import-rows-invalid",
                    format!("{} rows have errors; nothing was imported.", bad.len()),
                )
                .with_arg("count", bad.len().to_string()),
            )
            .into());
        }
        let year = now.with_timezone(&zone).year();
        let mut next = stored::next_ref_number(w.conn(), post.id, year)?;
        let (mut created, mut linked, mut ids) = (Vec::new(), Vec::new(), Vec::new());
        for row in &preview.rows {
            let keep_separate = create_anyway.contains(&row.n);
            if let Some((existing, _)) = row.matched.as_ref().filter(|_| !keep_separate) {
                linked.push(Value::from(existing.reference.clone()));
                ids.push(existing.id);
                continue;
            }
            // Every row read without errors (checked above), so each has its fields.
            let Some(fields) = &row.fields else {
                continue;
            };
            let reference = person::reference(&post.code, year, i64::from(next));
            let person = stored::insert(
                w,
                &NewPerson {
                    post: post.id,
                    reference: reference.clone(),
                    ref_year: year,
                    ref_number: next,
                    fields,
                    recorded_by: by,
                    form_key: &format!("import-{id}-{}", row.n),
                },
            )?;
            next += 1;
            if let Some((existing, _)) = &row.matched {
                stored::mark_distinct(w, person, existing.id, by)?;
            }
            created.push(Value::from(reference));
            ids.push(person);
        }
        // Remembered for the post (under its lock: no other import of the post races this).
        let headers = serde_json::to_string(&preview.table.headers).unwrap_or_default();
        diesel::delete(import_mappings::table.find(post.id.0)).execute(w.conn())?;
        diesel::insert_into(import_mappings::table)
            .values((
                import_mappings::post_id.eq(post.id.0),
                import_mappings::headers.eq(&headers),
                import_mappings::mapping.eq(mapping::to_stored(&mapping)),
            ))
            .execute(w.conn())?;
        diesel::update(people_imports::table.find(id))
            .set(people_imports::status.eq("imported"))
            .execute(w.conn())?;
        let mut details = Details::new()
            .fact("import", id)
            .fact("file_name", import.file_name.as_str())
            .fact("sha256", import.sha256.as_str())
            .fact("rows", preview.rows.len())
            .fact("created", Value::Array(created.clone()))
            .fact("linked", Value::Array(linked.clone()))
            .fact("mapping", mapping::to_stored(&mapping));
        let event = match import.event_id {
            Some(e) => db::events::find(w.conn(), EventId(e))?,
            None => None,
        };
        if let Some(event) = &event {
            details = details.fact("event", event.reference.as_str());
        }
        w.record(Entry {
            action: Action::ImportConfirm,
            entity: "import",
            entity_id: id.to_string(),
            post: Some(post.code.clone()),
            details,
        })?;
        if let Some(event) = event {
            manifests::add_in(w, who, &event, &post.code, &ids)?;
        }
        Ok((created.len(), linked.len()))
    })
}
