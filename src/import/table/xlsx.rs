//! Excel workbooks (.xlsx): the cells of the first worksheet as text.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::{MAX_ROWS, SparseRow, TableError};

/// The non-empty rows of the first worksheet, in row order, and how many more non-empty rows
/// there were past what is kept (see [`MAX_ROWS`]). Cells are streamed rather than
/// read as calamine's dense `Range`, whose size is the sheet's bounding box: one stray cell in
/// the far corner of a sheet would otherwise allocate gigabytes.
pub(super) fn rows(bytes: &[u8]) -> Result<(Vec<SparseRow>, usize), TableError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(sheet) = book.sheet_names().into_iter().next() else {
        return Err(TableError::Empty);
    };
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut rows: BTreeMap<u32, SparseRow> = BTreeMap::new();
    // One more than the header and MAX_ROWS data rows is enough to know the file is refused;
    // past it rows are only counted (by their distinct numbers) so memory stays bounded.
    let mut extra: BTreeSet<u32> = BTreeSet::new();
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let text = text(cell.get_value());
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if rows.len() <= MAX_ROWS + 1 || rows.contains_key(&row) {
            rows.entry(row)
                .or_default()
                .push((column as usize, text.to_owned()));
        } else {
            extra.insert(row);
        }
    }
    Ok((rows.into_values().collect(), extra.len()))
}

/// One cell as text: numbers without a spurious ".0" (a service number typed as 12345 is
/// stored as the float 12345.0), dates as YYYY-MM-DD, times as HH:MM.
fn text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{mo:02}-{d:02}");
            let time = format!("{h:02}:{mi:02}");
            // Serial dates below 1 are times of day alone.
            if dt.as_f64() < 1.0 {
                time
            } else if (h, mi, s) == (0, 0, 0) {
                date
            } else {
                format!("{date} {time}")
            }
        }
        DataRef::DateTime(dt) => number(dt.as_f64()),
        DataRef::DateTimeIso(s) => s
            .strip_suffix("T00:00:00")
            .map_or_else(|| s.clone(), str::to_owned),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e}"),
        DataRef::Empty => String::new(),
    }
}

/// A number as a person would type it: whole numbers without a decimal point (below 2^53,
/// where a float still holds every integer exactly), others in their shortest form.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Why an .xlsx could not be read, in plain words.
fn unreadable(error: XlsxError) -> TableError {
    let words = match error {
        XlsxError::Password => {
            "The workbook is protected by a password. Remove the password in Excel and send it again."
        }
        _ => {
            "The file could not be read as an Excel workbook (.xlsx). Open it in the spreadsheet program and save it again as .xlsx or as CSV."
        }
    };
    TableError::Unreadable(words.to_owned())
}

/// The older binary signature: an encrypted .xlsx (Excel wraps those in it) or an old .xls.
pub(super) fn old_or_protected(bytes: &[u8]) -> TableError {
    match Xlsx::new(Cursor::new(bytes)) {
        Err(error @ XlsxError::Password) => unreadable(error),
        _ => TableError::Unreadable(
            "The file is in the old Excel format (.xls). Open it in Excel and save it as .xlsx or as CSV."
                .to_owned(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_a_spurious_decimal_point() {
        assert_eq!(number(12345.0), "12345");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(72.5), "72.5");
        assert_eq!(number(1e20), "100000000000000000000");
    }
}
