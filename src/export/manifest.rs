//! `/events/{id}/manifest.csv`: the named people of an event, in list order. The handover
//! document prints exactly these rows, and its footer carries the SHA-256 of exactly these bytes
//! (without a BOM), so a printed page can be checked against the file.

use sha2::{Digest, Sha256};

use super::safe_cell;
use crate::db::people::PersonRow;

/// The columns, in order (documented in the README; stable).
pub const COLUMNS: &[&str] = &[
    "position",
    "reference",
    "name_ar",
    "name_latin",
    "father_name",
    "grandfather_name",
    "family_name",
    "birth_year",
    "sex",
    "rank",
    "unit",
    "service_number",
    "id_document_type",
    "id_document_number",
    "nationality",
    "medical",
    "status",
];

/// The rows of `named`, in order, cells made safe for spreadsheets.
pub fn rows(named: &[PersonRow]) -> Vec<Vec<String>> {
    named
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                (i + 1).to_string(),
                safe_cell(&p.reference).into_owned(),
                safe_cell(&p.name_ar).into_owned(),
                safe_cell(&p.name_latin).into_owned(),
                safe_cell(&p.father_name).into_owned(),
                safe_cell(&p.grandfather_name).into_owned(),
                safe_cell(&p.family_name).into_owned(),
                p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                p.sex.clone(),
                safe_cell(&p.rank).into_owned(),
                safe_cell(&p.unit).into_owned(),
                safe_cell(&p.service_number).into_owned(),
                p.id_document_type.clone(),
                safe_cell(&p.id_document_number).into_owned(),
                p.nationality.clone(),
                p.medical.clone(),
                p.status.clone(),
            ]
        })
        .collect()
}

/// The CSV file of `named` (header and rows, CRLF), as the export sends it without a BOM.
pub fn csv_bytes(named: &[PersonRow]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(COLUMNS);
    for row in rows(named) {
        let _ = writer.write_record(&row);
    }
    writer.into_inner().unwrap_or_default()
}

/// The SHA-256 of the list's CSV, hex.
pub fn list_hash(named: &[PersonRow]) -> String {
    hex::encode(Sha256::digest(csv_bytes(named)))
}
