//! The streaming machinery shared by every export, over HTTP and on the command line.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::audit::receipt::Stamp;
use crate::audit::{self, Action, Actor, Details, Entry};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, Context};
use crate::state::AppState;

/// The response header that carries an export's stamp ("audit seq N, head …"): a CSV file has
/// no foot a spreadsheet or parser would leave alone, so the line travels beside it (and in the
/// export's audit entry, as `as_of_seq`).
pub const AUDIT_STAMP_HEADER: &str = "Repatrack-Audit";

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

/// Where the bytes go.
enum Target {
    /// An HTTP response: chunks through a bounded channel (back-pressure from a slow client).
    Client(tokio::sync::mpsc::Sender<std::io::Result<Bytes>>),
    /// Standard output of `repatrack export`.
    Writer(Box<dyn std::io::Write + Send>),
}

/// Collects bytes into chunks and sends each full chunk on, hashing every byte sent. Fails with
/// `BrokenPipe` once the client has gone, which stops the CSV writer and the query.
struct Chunks {
    buffer: Vec<u8>,
    hasher: Sha256,
    target: Target,
}

impl Chunks {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        match &mut self.target {
            Target::Client(sender) => send_patiently(sender, chunk.clone())?,
            Target::Writer(out) => {
                out.write_all(&chunk)?;
                out.flush()?;
            }
        }
        // Hashed only once handed over, so the recorded digest covers exactly what was sent.
        self.hasher.update(&chunk);
        Ok(())
    }

    /// Tells an HTTP client the export broke, so it sees a broken transfer, not a short file.
    fn abort(&self) {
        if let Target::Client(sender) = &self.target {
            let _ = sender.blocking_send(Err(std::io::Error::other("export failed")));
        }
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

/// How long one chunk may wait for a client that keeps the connection open but stops reading,
/// before the export counts it as gone (a slow link still takes a chunk in far less).
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Hands a chunk to the response, waiting while the client is slow; fails once the response is
/// dropped, or when the client has not taken anything for [`SEND_TIMEOUT`], so a stalled client
/// cannot hold a thread and a database connection for ever.
fn send_patiently(
    sender: &tokio::sync::mpsc::Sender<std::io::Result<Bytes>>,
    chunk: Bytes,
) -> std::io::Result<()> {
    use tokio::sync::mpsc::error::TrySendError;
    let deadline = std::time::Instant::now() + SEND_TIMEOUT;
    let mut item = Ok(chunk);
    loop {
        match sender.try_send(item) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Closed(_)) => {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
            Err(TrySendError::Full(back)) => {
                if std::time::Instant::now() > deadline {
                    return Err(std::io::Error::from(std::io::ErrorKind::TimedOut));
                }
                item = back;
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
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

    /// Whether the client has gone (rows writers check between batches).
    pub fn gone(&self) -> bool {
        self.gone
    }
}

/// What became of one export.
pub struct Outcome {
    /// Rows written.
    pub rows: u64,
    /// SHA-256 of the bytes sent, hex.
    pub sha256: String,
    /// Every row was handed to the connection (the last few chunks may still have been in
    /// flight when a client went away at the very end).
    pub complete: bool,
    /// Why the `export` entry could not be written to the trail, if it could not. The command
    /// line fails on it; over HTTP the response has gone and only the log can say so.
    pub unrecorded: Option<String>,
}

/// Writes the header and the rows into `chunks`, then records the `export` entry (with a fresh
/// connection from `fresh` if the export's own cannot). Shared by HTTP and the command line.
#[allow(clippy::too_many_arguments)] // one export's parts, each named at the call
fn produce<F>(
    conn: &mut DbConn,
    fresh: &dyn Fn() -> Option<crate::db::PooledConn>,
    actor: &Actor,
    now: &dyn Fn() -> DateTime<Utc>,
    mut chunks: Chunks,
    export: Export,
    header_row: &'static [&'static str],
    on_stamp: &mut dyn FnMut(&Stamp),
    rows: F,
) -> Outcome
where
    F: FnOnce(&mut DbConn, &mut Sink) -> Result<(), AppError>,
{
    if export.bom {
        chunks.buffer.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut sink = Sink {
        // RFC 4180 ends records with CRLF (the crate's default is LF).
        writer: csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(chunks),
        rows: 0,
        gone: false,
    };
    // The header leaves at once, so the client sees the download start however long the
    // first rows take to find.
    sink.gone = sink.writer.write_record(header_row).is_err() || sink.writer.flush().is_err();
    // One read snapshot: a correction committed meanwhile cannot move a row past the cursor
    // (exported twice, or never), and the look-up tables agree with the rows.
    // A panic while writing rows (a bug) must still end in a broken transfer and a record of
    // the export, not a short file that looks whole and nothing in the trail.
    // The chain head in the same snapshot: the export shows what the record held at that seq.
    let mut stamp = None;
    let result = crate::db::read_tx(conn, |c| {
        let head = Stamp::read(c)?;
        on_stamp(&head);
        stamp = Some(head);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rows(c, &mut sink)))
            .unwrap_or_else(|_| Err(AppError::internal("writing an export's rows", "panicked")))
    });
    sink.gone |= sink.writer.flush().is_err();
    let failed = result.is_err();
    if let Err(e) = &result {
        tracing::error!(error = %crate::error::error_chain(e), "export failed part-way");
    }
    let complete = !sink.gone && !failed;
    let sha256 = hex::encode(sink.writer.get_ref().hasher.clone().finalize());
    let details = Details::new()
        .fact("export", export.name)
        .fact("filters", export.filters)
        .fact("rows", sink.rows)
        .fact("sha256", sha256.clone())
        .fact("complete", complete)
        .fact("as_of_seq", stamp.as_ref().map(|s| s.seq));
    let entry = Entry {
        action: Action::Export,
        entity: "export",
        entity_id: export.name.to_owned(),
        post: None,
        details,
    };
    // Recorded on every path, a broken export included. If the transaction the export read in
    // is unusable, a fresh connection records it.
    let recorded = audit::record_event(conn, actor, now(), entry.clone()).or_else(|e| {
        let Some(mut other) = fresh() else {
            return Err(e);
        };
        audit::record_event(&mut other, actor, now(), entry)
    });
    let unrecorded = recorded.err().map(|e| crate::error::error_chain(&e));
    if let Some(reason) = &unrecorded {
        tracing::error!(error = %reason, "could not record an export");
    }
    if failed {
        sink.writer.get_ref().abort();
    }
    Outcome {
        rows: sink.rows,
        sha256,
        complete,
        unrecorded,
    }
}

/// Streams a CSV export over HTTP: `header` first, then whatever `rows` writes into the
/// [`Sink`] on a blocking thread with its own connection. When done (or cut off), records an
/// `export` entry with the filters, the row count and the SHA-256 of exactly the bytes sent.
///
/// The connection is borrowed before the response starts: an export that cannot begin is an
/// error page with a reference id, not a download that breaks at once with nothing recorded.
pub async fn stream_csv<F>(
    state: &AppState,
    actor: Actor,
    export: Export,
    header_row: &'static [&'static str],
    rows: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConn, &mut Sink) -> Result<(), AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    let mut conn = actix_web::web::block(move || pool.get())
        .await
        .context("waiting for a database worker")?
        .context("borrowing a database connection for an export")?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(4);
    let pool = state.pool.clone();
    let clock = state.clock.clone();
    let disposition = format!("attachment; filename=\"{}\"", export.file_name);
    let (stamp_sender, stamp_receiver) = tokio::sync::oneshot::channel::<Stamp>();
    actix_web::rt::task::spawn_blocking(move || {
        let chunks = Chunks {
            buffer: Vec::with_capacity(CHUNK),
            hasher: Sha256::new(),
            target: Target::Client(sender),
        };
        let fresh = || pool.get().ok();
        let now = || clock.now();
        let mut stamp_sender = Some(stamp_sender);
        let mut on_stamp = |stamp: &Stamp| {
            if let Some(sender) = stamp_sender.take() {
                // The handler may have gone already; the export goes on regardless.
                let _ = sender.send(stamp.clone());
            }
        };
        produce(
            &mut conn,
            &fresh,
            &actor,
            &now,
            chunks,
            export,
            header_row,
            &mut on_stamp,
            rows,
        );
    });
    // The response's headers wait for the snapshot to begin (the CSV header row waits in the
    // channel meanwhile), so they can say where the chain stood. An export that failed to
    // begin its snapshot still streams, and ends broken, without the stamp.
    let stamp = stamp_receiver.await.ok();
    let body = futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx));
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(stamp) = stamp {
        response.insert_header((AUDIT_STAMP_HEADER, stamp.line()));
    }
    Ok(response.streaming(body))
}

/// Writes a CSV export to `out` (the command line's standard output): the same bytes as the
/// HTTP export with the same filters, recorded in the trail the same way.
pub fn write_csv<F>(
    conn: &mut DbConn,
    actor: &Actor,
    clock: &crate::clock::Clock,
    export: Export,
    header_row: &'static [&'static str],
    out: Box<dyn std::io::Write + Send>,
    rows: F,
) -> Outcome
where
    F: FnOnce(&mut DbConn, &mut Sink) -> Result<(), AppError>,
{
    let chunks = Chunks {
        buffer: Vec::with_capacity(CHUNK),
        hasher: Sha256::new(),
        target: Target::Writer(out),
    };
    let now = || clock.now();
    // Standard output holds the CSV; the stamp goes to standard error.
    let mut on_stamp = |stamp: &Stamp| eprintln!("{}", stamp.line());
    produce(
        conn,
        &|| None,
        actor,
        &now,
        chunks,
        export,
        header_row,
        &mut on_stamp,
        rows,
    )
}
