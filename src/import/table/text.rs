//! Separated text (CSV and its relatives): decoding the bytes and splitting the rows.

use std::borrow::Cow;

use super::{Format, SparseRow, TableError};

/// The text of a file and the encoding it was read in. UTF-16 when it starts with its
/// byte-order mark (Excel's "Unicode Text"); UTF-8 (a BOM dropped) when the bytes are valid
/// UTF-8; otherwise Windows-1256, which Arabic-locale Excel still writes and which maps every
/// byte, so decoding never fails (a file in another code page reads as wrong letters, which
/// the officer sees in the preview).
pub(super) fn decode(bytes: &[u8]) -> (Cow<'_, str>, Format) {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, _) = encoding.decode_with_bom_removal(bytes);
        return (text, Format::CsvUtf16);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), Format::CsvUtf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1256.decode_without_bom_handling(bytes);
            (text, Format::CsvWindows1256)
        }
    }
}

/// The rows of separated text, each cell trimmed, empty cells left out.
pub(super) fn rows(text: &str) -> Result<Vec<SparseRow>, TableError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            TableError::Unreadable(format!(
                "The file could not be read as a list (CSV) near line {}. Save it again from \
                 the spreadsheet as CSV or as an Excel workbook (.xlsx).",
                e.position().map_or(0, csv::Position::line)
            ))
        })?;
        let row: SparseRow = record
            .iter()
            .enumerate()
            .filter_map(|(i, cell)| {
                let cell = cell.trim();
                (!cell.is_empty()).then(|| (i, cell.to_owned()))
            })
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

/// The separator the header line uses most among comma, semicolon and tab (outside quotes).
/// Arabic- and European-locale Excel writes `;` because `,` is their decimal separator; a tie
/// or no separator at all (a one-column list) means a comma.
fn delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_ignores_separators_inside_quotes() {
        assert_eq!(delimiter("\"a,b,c\";d\n"), b';');
        assert_eq!(delimiter("\n\nName\n"), b',');
        assert_eq!(delimiter("a\tb,c\td\n"), b'\t');
    }
}
