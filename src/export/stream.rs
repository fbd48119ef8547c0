//! The streaming machinery shared by every export.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use sha2::{Digest, Sha256};

use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::DbConn;
use crate::error::AppError;
use crate::startup::AppState;

/// Chunks of about this size leave for the client as soon as they fill.
const CHUNK: usize = 64 * 1024;

/// One export's description, for its file name and its audit entry.
pub struct Export {
    /// What is exported: `audit`, `events`, …
    pub name: &'static str,
    /// The file name offered to the browser.
    pub file_name: String,
    /// The filters, as the query string that produced it.
    pub filters: String,
    /// Prefix a UTF-8 BOM.
    pub bom: bool,
}

/// Collects bytes into chunks and sends each full chunk to the client, hashing every byte sent.
/// Fails with `BrokenPipe` once the client has gone, which stops the CSV writer and the query.
struct Chunks {
    buffer: Vec<u8>,
    hasher: Sha256,
    sender: tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
}

impl Chunks {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        // Waits while the client is slow (back-pressure); fails once the response is dropped.
        // Hashed only once handed over, so the recorded digest covers exactly what was sent.
        self.sender
            .blocking_send(Ok(chunk.clone()))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        self.hasher.update(&chunk);
        Ok(())
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// Where an export writes its rows.
pub struct Sink {
    writer: csv::Writer<Chunks>,
    rows: u64,
    gone: bool,
}

impl Sink {
    /// Writes one record (cells already made safe); `false` once the client has gone.
    pub fn row<I, T>(&mut self, record: I) -> bool
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        if self.gone || self.writer.write_record(record).is_err() {
            self.gone = true;
            return false;
        }
        self.rows += 1;
        true
    }
}

/// Streams a CSV export: `header` first, then whatever `rows` writes into the [`Sink`] on a
/// blocking thread with its own connection. When done (or cut off), records an `export` entry
/// with the filters, the row count and the SHA-256 of exactly the bytes sent.
pub fn stream_csv<F>(
    state: &AppState,
    actor: Actor,
    export: Export,
    header_row: &'static [&'static str],
    rows: F,
) -> HttpResponse
where
    F: FnOnce(&mut DbConn, &mut Sink) -> Result<(), AppError> + Send + 'static,
{
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let pool = state.pool.clone();
    let clock = state.clock.clone();
    let Export {
        name,
        file_name,
        filters,
        bom,
    } = export;
    let disposition = format!("attachment; filename=\"{file_name}\"");
    actix_web::rt::task::spawn_blocking(move || {
        let mut chunks = Chunks {
            buffer: Vec::with_capacity(CHUNK),
            hasher: Sha256::new(),
            sender,
        };
        if bom {
            chunks.buffer.extend_from_slice("\u{feff}".as_bytes());
        }
        let mut sink = Sink {
            writer: csv::Writer::from_writer(chunks),
            rows: 0,
            gone: false,
        };
        let mut conn = match pool.get() {
            Ok(conn) => conn,
            Err(e) => {
                tracing::error!(error = %e, "export: no database connection");
                let _ = sink
                    .writer
                    .get_ref()
                    .sender
                    .blocking_send(Err(std::io::Error::other("no database connection")));
                return;
            }
        };
        sink.gone = sink.writer.write_record(header_row).is_err();
        let result = rows(&mut conn, &mut sink);
        sink.gone |= sink.writer.flush().is_err();
        let failed = result.is_err();
        if let Err(e) = &result {
            tracing::error!(error = %crate::error::error_chain(e), "export failed part-way");
        }
        let complete = !sink.gone && !failed;
        let digest = hex::encode(sink.writer.get_ref().hasher.clone().finalize());
        let details = Details::new()
            .fact("export", name)
            .fact("filters", filters)
            .fact("rows", sink.rows)
            .fact("sha256", digest)
            .fact("complete", complete);
        let entry = Entry {
            action: Action::Export,
            entity: "export",
            entity_id: name.to_owned(),
            post: None,
            details,
        };
        // Recorded on every path, a broken export included. If the transaction the export read
        // in is unusable, a fresh connection records it.
        let recorded =
            audit::record_event(&mut conn, &actor, clock.now(), entry.clone()).or_else(|_| {
                let mut fresh = pool.get().map_err(|e| {
                    audit::AuditError::Database(diesel::result::Error::QueryBuilderError(e.into()))
                })?;
                audit::record_event(&mut fresh, &actor, clock.now(), entry)
            });
        if let Err(e) = recorded {
            tracing::error!(error = %crate::error::error_chain(&e), "could not record an export");
        }
        if failed {
            // An error item makes actix abort the response, so the client sees a broken
            // transfer rather than a file that looks complete.
            let _ = sink
                .writer
                .get_ref()
                .sender
                .blocking_send(Err(std::io::Error::other("export failed")));
        }
        drop(sink);
    });
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body)
}
