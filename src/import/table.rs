//! Reading a received list (a spreadsheet the other side exported) into rows of text cells.
//!
//! The list arrives as whatever the other side's office produced: an Excel workbook, or a CSV
//! written by Arabic-locale Excel (semicolons, Windows-1256) or by anything else (UTF-8, with
//! or without a byte-order mark). Every format ends as the same [`Table`] of trimmed text, so
//! the column mapping and the reconciliation never see a file format.

mod text;
mod xlsx;

/// The largest file accepted, checked before any parsing (a list of a few thousand people is
/// far below it; anything larger is a mistake or an attack on the server's memory).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The most data rows accepted: more than any single crossing, and a bound on memory.
pub const MAX_ROWS: usize = 20_000;

/// A received list as text: its header row and its data rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The first non-empty row, one cell a column (trailing empty cells dropped).
    pub headers: Vec<String>,
    /// The data rows (fully empty rows skipped), each exactly `headers.len()` cells long.
    pub rows: Vec<Vec<String>>,
    /// What the file turned out to be.
    pub format: Format,
}

/// What a received file turned out to be, to tell the officer how it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon- or tab-separated text in UTF-8.
    CsvUtf8,
    /// Separated text in UTF-16 (Excel's "Unicode Text" export, usually tab-separated).
    CsvUtf16,
    /// Separated text in Windows-1256 (the Arabic code page older Excel still writes).
    CsvWindows1256,
    /// An Excel workbook (.xlsx): its first worksheet.
    Xlsx,
}

/// Why a received file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Larger than [`MAX_BYTES`].
    #[error("The file is too large ({bytes} bytes); the limit is {MAX_BYTES} bytes.")]
    TooLarge {
        /// The file's size.
        bytes: usize,
    },
    /// More than [`MAX_ROWS`] data rows.
    #[error("The file has {rows} rows; the limit is {MAX_ROWS}.")]
    TooManyRows {
        /// How many non-empty data rows the file has.
        rows: usize,
    },
    /// No header row, or a header row and no data under it.
    #[error("The file has no rows of people under a header row.")]
    Empty,
    /// Not readable as a list, in plain words for an officer.
    #[error("{0}")]
    Unreadable(String),
}

/// Reads a received file into a [`Table`]. An Excel workbook is recognised by its content (the
/// ZIP signature) or by a `.xlsx` name; anything else is read as separated text.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Table, TableError> {
    if bytes.len() > MAX_BYTES {
        return Err(TableError::TooLarge { bytes: bytes.len() });
    }
    let named_xlsx = file_name.trim().to_lowercase().ends_with(".xlsx");
    if bytes.starts_with(b"PK\x03\x04") || named_xlsx {
        let (rows, extra) = xlsx::rows(bytes)?;
        return assemble(rows, extra, Format::Xlsx);
    }
    // The signature of the older binary formats: an .xls workbook or an encrypted .xlsx.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(xlsx::old_or_protected(bytes));
    }
    let (text, format) = text::decode(bytes);
    assemble(text::rows(&text)?, 0, format)
}

/// One row as read: its non-empty cells as (column index, trimmed text), in any order.
type SparseRow = Vec<(usize, String)>;

/// Builds the table from the rows of a file: the first non-empty row is the header, later
/// rows are cut or padded to its width, and empty rows are skipped. `extra` counts further
/// non-empty rows a reader only counted, past the limit. Every format goes through here so the
/// rules are the same whatever was sent.
fn assemble(
    rows: impl IntoIterator<Item = SparseRow>,
    extra: usize,
    format: Format,
) -> Result<Table, TableError> {
    let mut rows = rows.into_iter().filter(|r| !r.is_empty());
    let header = rows.next().ok_or(TableError::Empty)?;
    // Cells left of the first header cell have no name, so no field could ever take them.
    let first = header.iter().map(|&(c, _)| c).min().unwrap_or(0);
    let last = header.iter().map(|&(c, _)| c).max().unwrap_or(0);
    let headers = dense(header, first, last - first + 1);
    let mut kept = Vec::new();
    let mut count = 0;
    for row in rows {
        let cells = dense(row, first, headers.len());
        if cells.iter().all(String::is_empty) {
            continue;
        }
        count += 1;
        // Past the limit only count, so the officer hears how many there were.
        if count <= MAX_ROWS {
            kept.push(cells);
        }
    }
    count += extra;
    if count > MAX_ROWS {
        return Err(TableError::TooManyRows { rows: count });
    }
    if kept.is_empty() {
        return Err(TableError::Empty);
    }
    Ok(Table {
        headers,
        rows: kept,
        format,
    })
}

/// A sparse row laid out as `width` cells starting at column `first`; cells outside are
/// dropped.
fn dense(row: SparseRow, first: usize, width: usize) -> Vec<String> {
    let mut cells = vec![String::new(); width];
    for (column, mut text) in row {
        // Control characters (other than tab and line breaks) are spreadsheet artefacts no one
        // typed, and PostgreSQL cannot store a NUL in text: they are dropped.
        text.retain(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
        if let Some(slot) = column.checked_sub(first).and_then(|i| cells.get_mut(i)) {
            *slot = text;
        }
    }
    cells
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn utf8_csv_with_and_without_bom() {
        let plain = "الاسم,اسم الأب\nحسين,علي\n";
        let with_bom = format!("\u{FEFF}{plain}");
        for bytes in [plain.as_bytes(), with_bom.as_bytes()] {
            let table = read(bytes, "list.csv").unwrap();
            assert_eq!(table.format, Format::CsvUtf8);
            assert_eq!(table.headers, strings(&["الاسم", "اسم الأب"]));
            assert_eq!(table.rows, vec![strings(&["حسين", "علي"])]);
        }
    }

    #[test]
    fn semicolon_and_tab_delimiters_are_detected_from_the_header() {
        let table = read(b"Name;Father;DOB\nAli, Hasan;Hussein;1998\n", "x.csv").unwrap();
        assert_eq!(table.headers, strings(&["Name", "Father", "DOB"]));
        assert_eq!(
            table.rows,
            vec![strings(&["Ali, Hasan", "Hussein", "1998"])]
        );
        let table = read(b"Name\tFather\nAli\tHasan\n", "x.txt").unwrap();
        assert_eq!(table.rows, vec![strings(&["Ali", "Hasan"])]);
    }

    #[test]
    fn windows_1256_is_decoded_when_the_bytes_are_not_utf8() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("الاسم,اسم الأب\nحسين,علي\n");
        let table = read(&bytes, "list.csv").unwrap();
        assert_eq!(table.format, Format::CsvWindows1256);
        assert_eq!(table.headers, strings(&["الاسم", "اسم الأب"]));
        assert_eq!(table.rows, vec![strings(&["حسين", "علي"])]);
    }

    #[test]
    fn utf16_unicode_text_export_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "الاسم\tالجنس\r\nحسين\tذكر\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let table = read(&bytes, "list.txt").unwrap();
        assert_eq!(table.format, Format::CsvUtf16);
        assert_eq!(table.rows, vec![strings(&["حسين", "ذكر"])]);
    }

    #[test]
    fn quoted_cells_keep_commas_and_newlines_and_cells_are_trimmed() {
        let csv = "Name,Notes\n  Ali  ,\"wounded, left arm\nneeds care\"\n";
        let table = read(csv.as_bytes(), "x.csv").unwrap();
        assert_eq!(
            table.rows,
            vec![strings(&["Ali", "wounded, left arm\nneeds care"])]
        );
    }

    #[test]
    fn control_characters_in_cells_are_dropped() {
        let table = read(b"name,notes\nA\x00li,x\x0by\ty\n", "list.csv").unwrap();
        assert_eq!(table.rows, [strings(&["Ali", "xy\ty"])]);
    }

    #[test]
    fn empty_rows_are_skipped_and_rows_fit_the_header() {
        let csv = "\n,,\nName,Father,,\nAli\n,,\nHasan,Ali,extra,more\n";
        let table = read(csv.as_bytes(), "x.csv").unwrap();
        assert_eq!(table.headers, strings(&["Name", "Father"]));
        assert_eq!(
            table.rows,
            vec![strings(&["Ali", ""]), strings(&["Hasan", "Ali"])]
        );
    }

    #[test]
    fn empty_inputs_are_refused() {
        assert_eq!(read(b"", "x.csv"), Err(TableError::Empty));
        assert_eq!(read(b"\n , \n", "x.csv"), Err(TableError::Empty));
        assert_eq!(read(b"Name,Father\n", "x.csv"), Err(TableError::Empty));
    }

    #[test]
    fn too_large_is_refused_before_parsing() {
        let bytes = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(
            read(&bytes, "x.csv"),
            Err(TableError::TooLarge {
                bytes: MAX_BYTES + 1
            })
        );
    }

    #[test]
    fn too_many_rows_are_counted() {
        let mut csv = String::from("n\n");
        for i in 0..MAX_ROWS + 5 {
            csv.push_str(&format!("{i}\n"));
        }
        assert_eq!(
            read(csv.as_bytes(), "x.csv"),
            Err(TableError::TooManyRows { rows: MAX_ROWS + 5 })
        );
        let mut csv = String::from("n\n");
        for i in 0..MAX_ROWS {
            csv.push_str(&format!("{i}\n"));
        }
        assert_eq!(read(csv.as_bytes(), "x.csv").unwrap().rows.len(), MAX_ROWS);
    }

    #[test]
    fn xlsx_cells_become_text() {
        use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        // Leave the first row empty: the header is the first non-empty row.
        sheet.write_string(1, 0, "الاسم").unwrap();
        sheet.write_string(1, 1, "الرقم العسكري").unwrap();
        sheet.write_string(1, 2, "تاريخ الميلاد").unwrap();
        sheet.write_string(1, 3, "الوزن").unwrap();
        sheet.write_string(2, 0, " حسين علي ").unwrap();
        sheet.write_number(2, 1, 12345.0).unwrap();
        let date = ExcelDateTime::from_ymd(1998, 3, 4).unwrap();
        let format = CellFormat::new().set_num_format("dd/mm/yyyy");
        sheet
            .write_datetime_with_format(2, 2, &date, &format)
            .unwrap();
        sheet.write_number(2, 3, 72.5).unwrap();
        sheet.write_string(4, 0, "علي").unwrap();
        let bytes = book.save_to_buffer().unwrap();

        let table = read(&bytes, "received.bin").unwrap();
        assert_eq!(table.format, Format::Xlsx);
        assert_eq!(
            table.headers,
            strings(&["الاسم", "الرقم العسكري", "تاريخ الميلاد", "الوزن"])
        );
        assert_eq!(
            table.rows,
            vec![
                strings(&["حسين علي", "12345", "1998-03-04", "72.5"]),
                strings(&["علي", "", "", ""]),
            ]
        );
    }

    #[test]
    fn a_file_named_xlsx_that_is_not_one_is_unreadable() {
        assert!(matches!(
            read(b"Name\nAli\n", "list.xlsx"),
            Err(TableError::Unreadable(_))
        ));
        assert!(matches!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0], "list.xls"),
            Err(TableError::Unreadable(_))
        ));
    }
}
