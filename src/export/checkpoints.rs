//! `/audit/checkpoints.csv`: every signed checkpoint, to keep outside the server.

use crate::audit::checkpoint;
use crate::db::DbConn;
use crate::error::AppError;

/// The columns.
pub const COLUMNS: &[&str] = &["seq", "hash", "at_utc", "public_key", "signature"];

/// Writes every checkpoint, oldest first.
pub fn rows(conn: &mut DbConn, sink: &mut super::stream::Sink) -> Result<(), AppError> {
    for c in checkpoint::all(conn)? {
        let (seq, at) = (
            c.seq.to_string(),
            c.at.and_utc().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        );
        if !sink.row([
            seq.as_str(),
            c.hash.as_str(),
            at.as_str(),
            c.public_key.as_str(),
            c.signature.as_str(),
        ]) {
            break;
        }
    }
    Ok(())
}
