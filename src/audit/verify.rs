//! Recomputing the chain: the command `repatrack audit verify` and the page `/audit/verify`.

use diesel::prelude::*;

use super::chain::{self, Format, GENESIS};
use crate::db::DbConn;
use crate::db::audit::AuditRow;
use crate::db::schema::{audit_head, audit_log};

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Entries read.
    pub entries: i64,
    /// The head's seq as stored.
    pub head_seq: i64,
    /// The head's hash as stored.
    pub head_hash: String,
    /// The first `seq` that does not verify, if any.
    pub first_broken: Option<i64>,
    /// Why it does not (English, for logs and the command line).
    pub problem: Option<String>,
    /// Signed checkpoints found (all verified when the report is intact).
    pub checkpoints: usize,
    /// The latest checkpoint's seq.
    pub last_checkpoint: Option<i64>,
}

impl Report {
    /// Whether the whole chain verified.
    pub fn intact(&self) -> bool {
        self.first_broken.is_none()
    }

    /// One line for the command line.
    pub fn summary(&self) -> String {
        match (self.first_broken, &self.problem) {
            (None, _) => format!(
                "audit chain intact: {} entries, head {}, {} signed checkpoint{}{}",
                self.entries,
                self.head_hash,
                self.checkpoints,
                if self.checkpoints == 1 { "" } else { "s" },
                self.last_checkpoint
                    .map(|s| format!(" (latest at seq {s})"))
                    .unwrap_or_default()
            ),
            (Some(seq), problem) => format!(
                "audit chain broken at seq {seq}: {}",
                problem.as_deref().unwrap_or("hash mismatch")
            ),
        }
    }
}

/// Rows read per query: PostgreSQL would otherwise load the whole result before the first row.
const BATCH: i64 = 5_000;

/// Reads the whole chain in `seq` order, in batches so memory stays flat, inside one read-only
/// snapshot (writes committed meanwhile are not half-seen), and recomputes it.
pub fn verify(conn: &mut DbConn) -> QueryResult<Report> {
    crate::db::read_tx(conn, verify_snapshot)
}

fn verify_snapshot(conn: &mut DbConn) -> QueryResult<Report> {
    let head: Option<(i64, String)> = audit_head::table
        .find(1_i64)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)
        .optional()?;
    let checkpoints = super::checkpoint::all(conn)?;
    let trusted = super::checkpoint::installed().map(|k| hex::encode(k.verifying_key().to_bytes()));
    let mut problems: Vec<(i64, String)> = Vec::new();
    for checkpoint in &checkpoints {
        if !checkpoint.signature_valid() {
            problems.push((
                checkpoint.seq,
                "the checkpoint's signature is not valid".to_owned(),
            ));
        } else if trusted
            .as_ref()
            .is_some_and(|k| *k != checkpoint.public_key)
        {
            problems.push((
                checkpoint.seq,
                "the checkpoint is signed by an unknown key".to_owned(),
            ));
        }
    }
    let signed: std::collections::HashMap<i64, &str> = checkpoints
        .iter()
        .map(|c| (c.seq, c.hash.as_str()))
        .collect();
    let mut expected_seq = 1_i64;
    let mut prev = GENESIS.to_owned();
    let mut broken: Option<(i64, String)> = None;
    let mut entries = 0_i64;
    let mut after = i64::MIN;
    let mut format_before = Format::V1;
    loop {
        let rows = audit_log::table
            .select(AuditRow::as_select())
            .filter(audit_log::seq.gt(after))
            .order(audit_log::seq)
            .limit(BATCH)
            .load::<AuditRow>(conn)?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            entries += 1;
            if broken.is_some() {
                continue;
            }
            if row.seq != expected_seq {
                broken = Some((
                    expected_seq,
                    format!("entry {expected_seq} is missing (found {} next)", row.seq),
                ));
                continue;
            }
            if row.prev_hash != prev {
                broken = Some((
                    row.seq,
                    "prev_hash does not match the previous entry".to_owned(),
                ));
                continue;
            }
            let Some(format) = Format::from_stored(row.format) else {
                broken = Some((row.seq, format!("unknown canonical format {}", row.format)));
                continue;
            };
            if format < format_before {
                broken = Some((
                    row.seq,
                    "the entry's format is older than the entry before it".to_owned(),
                ));
                continue;
            }
            format_before = format;
            if chain::hash(format, &prev, &row.fields()) != row.hash {
                broken = Some((row.seq, "contents do not match the stored hash".to_owned()));
                continue;
            }
            if signed.get(&row.seq).is_some_and(|h| *h != row.hash) {
                broken = Some((
                    row.seq,
                    "the entry differs from its signed checkpoint".to_owned(),
                ));
                continue;
            }
            prev = row.hash;
            expected_seq += 1;
        }
    }
    let chain_end = expected_seq - 1;
    let (head_seq, head_hash) = head.clone().unwrap_or((0, String::new()));
    if broken.is_none() {
        if head.is_none() {
            broken = Some((chain_end + 1, "the chain head is missing".to_owned()));
        } else if head_seq > chain_end {
            broken = Some((
                chain_end + 1,
                format!("the chain head says seq {head_seq}, the entries end at {chain_end}"),
            ));
        } else if head_seq < chain_end || head_hash != prev {
            broken = Some((
                head_seq + 1,
                format!("the chain head says seq {head_seq}, the entries go on to {chain_end}"),
            ));
        } else if let Some(beyond) = checkpoints.iter().find(|c| c.seq > chain_end) {
            broken = Some((
                chain_end + 1,
                format!(
                    "a signed checkpoint covers seq {}, but the chain ends at {chain_end}",
                    beyond.seq
                ),
            ));
        }
    }
    problems.extend(broken);
    let (first_broken, problem) = match problems.into_iter().min_by_key(|(seq, _)| *seq) {
        Some((seq, why)) => (Some(seq), Some(why)),
        None => (None, None),
    };
    let last_checkpoint = checkpoints.last().map(|c| c.seq);
    Ok(Report {
        entries,
        head_seq,
        head_hash,
        first_broken,
        problem,
        checkpoints: checkpoints.len(),
        last_checkpoint,
    })
}
