//! Receipts: a signed checkpoint as a small text file for someone outside the server to keep.
//!
//! A cut tail (the last entries deleted and the head rewound) or a rewritten history verifies
//! as intact from the inside: the chain is consistent with itself. A receipt held elsewhere is
//! what names it: `repatrack audit verify --receipt FILE` checks that the entry the receipt
//! covers still exists with the same hash.
//!
//! The text (UTF-8, one `name: value` per line, in this order):
//!
//! ```text
//! repatrack audit receipt v1
//! seq: 1000
//! hash: <64 hex>
//! at: 2024-12-19T10:00:00.000000Z
//! at_micros: 1734602400000000
//! public_key: <64 hex, Ed25519>
//! signature: <128 hex, over the checkpoint message of `checkpoint::message`>
//! ```

use chrono::DateTime;
use diesel::prelude::*;

use super::checkpoint::Checkpoint;
use crate::db::DbConn;
use crate::db::schema::{audit_head, audit_log};

/// The first line of every receipt.
pub const FIRST_LINE: &str = "repatrack audit receipt v1";

/// A receipt, as kept outside the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The checkpoint's seq.
    pub seq: i64,
    /// The chain's hash at that seq.
    pub hash: String,
    /// When it was signed, UTC microseconds.
    pub at_micros: i64,
    /// The signing key, hex.
    pub public_key: String,
    /// The signature, hex.
    pub signature: String,
}

impl Receipt {
    /// The receipt of a stored checkpoint.
    pub fn of(checkpoint: &Checkpoint) -> Self {
        Self {
            seq: checkpoint.seq,
            hash: checkpoint.hash.clone(),
            at_micros: checkpoint.at.and_utc().timestamp_micros(),
            public_key: checkpoint.public_key.clone(),
            signature: checkpoint.signature.clone(),
        }
    }

    /// The text to keep.
    pub fn to_text(&self) -> String {
        let at = DateTime::from_timestamp_micros(self.at_micros)
            .map(|at| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
            .unwrap_or_default();
        format!(
            "{FIRST_LINE}\nseq: {}\nhash: {}\nat: {at}\nat_micros: {}\npublic_key: {}\nsignature: {}\n",
            self.seq, self.hash, self.at_micros, self.public_key, self.signature
        )
    }

    /// Reads a receipt back (surrounding blank lines and CRLF endings are accepted).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty());
        if lines.next() != Some(FIRST_LINE) {
            return Err(format!(
                "not a receipt: the first line must be \"{FIRST_LINE}\""
            ));
        }
        let mut field = |name: &str| -> Result<String, String> {
            let line = lines
                .next()
                .ok_or_else(|| format!("the receipt ends before \"{name}\""))?;
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|value| value.trim().to_owned())
                .ok_or_else(|| format!("expected \"{name}: …\", found \"{line}\""))
        };
        let number = |name: &str, value: String| {
            value
                .parse::<i64>()
                .map_err(|_| format!("{name} is not a number"))
        };
        let seq = number("seq", field("seq")?)?;
        let hash = field("hash")?;
        let _at = field("at")?;
        let at_micros = number("at_micros", field("at_micros")?)?;
        let public_key = field("public_key")?;
        let signature = field("signature")?;
        Ok(Self {
            seq,
            hash,
            at_micros,
            public_key,
            signature,
        })
    }

    /// Whether the signature is valid under the receipt's own key.
    pub fn signature_valid(&self) -> bool {
        match DateTime::from_timestamp_micros(self.at_micros) {
            Some(at) => Checkpoint {
                seq: self.seq,
                hash: self.hash.clone(),
                at: at.naive_utc(),
                public_key: self.public_key.clone(),
                signature: self.signature.clone(),
            }
            .signature_valid(),
            None => false,
        }
    }
}

/// What the database says to a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Against {
    /// The entry the receipt covers is there with the same hash.
    Holds,
    /// The chain ends before the receipt's seq: entries after `ends_at` were cut.
    CutTail {
        /// The last seq the database holds.
        ends_at: i64,
    },
    /// The entry at the receipt's seq has another hash: history up to it was rewritten.
    Rewritten,
}

/// Compares the database with a receipt (whose signature the caller has checked).
pub fn check(conn: &mut DbConn, receipt: &Receipt) -> QueryResult<Against> {
    let stored: Option<String> = audit_log::table
        .find(receipt.seq)
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    Ok(match stored {
        Some(hash) if hash == receipt.hash => Against::Holds,
        Some(_) => Against::Rewritten,
        None => {
            let last: Option<i64> = audit_log::table
                .select(diesel::dsl::max(audit_log::seq))
                .first(conn)?;
            Against::CutTail {
                ends_at: last.unwrap_or(0),
            }
        }
    })
}

/// Where the chain stood when a report or export was made: "audit seq N, head …" at its foot,
/// so a reader holding a later receipt can check the document against the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The chain head's seq.
    pub seq: i64,
    /// The chain head's hash.
    pub head: String,
}

impl Stamp {
    /// The chain head now (read in the caller's snapshot).
    pub fn read(conn: &mut DbConn) -> QueryResult<Self> {
        let (seq, head) = audit_head::table
            .find(1_i64)
            .select((audit_head::seq, audit_head::hash))
            .first::<(i64, String)>(conn)
            .optional()?
            .unwrap_or_default();
        Ok(Self { seq, head })
    }

    /// The entry at `seq` (the one that recorded the document itself).
    pub fn at(conn: &mut DbConn, seq: i64) -> QueryResult<Self> {
        let head = audit_log::table
            .find(seq)
            .select(audit_log::hash)
            .first(conn)?;
        Ok(Self { seq, head })
    }

    /// The line printed at a document's foot (English; pages use their own language).
    pub fn line(&self) -> String {
        format!("audit seq {}, head {}", self.seq, self.head)
    }

    /// The same with the hash's first 16 hex digits, for a printed page's seal (64 bits: as
    /// hard to forge by chance as the list's own short hash beside it).
    pub fn short_line(&self) -> String {
        format!(
            "audit seq {}, head {}",
            self.seq,
            self.head.get(..16).unwrap_or(&self.head)
        )
    }
}

/// The latest checkpoint's receipt, if one was ever signed.
pub fn latest(conn: &mut DbConn) -> QueryResult<Option<Receipt>> {
    Ok(super::checkpoint::latest(conn)?.as_ref().map(Receipt::of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn signed(seq: i64) -> Receipt {
        let key = SigningKey::from_bytes(&[9; 32]);
        let hash = "ab".repeat(32);
        let at_micros = 1_734_602_400_000_000;
        let signature = key.sign(&super::super::checkpoint::message(seq, &hash, at_micros));
        Receipt {
            seq,
            hash,
            at_micros,
            public_key: hex::encode(key.verifying_key().to_bytes()),
            signature: hex::encode(signature.to_bytes()),
        }
    }

    #[test]
    fn a_receipt_reads_back_as_written_and_verifies() {
        let receipt = signed(1000);
        let text = receipt.to_text();
        assert!(text.starts_with("repatrack audit receipt v1\nseq: 1000\nhash: abab"));
        assert!(text.contains("\nat: 2024-12-19T10:00:00.000000Z\nat_micros: 1734602400000000\n"));
        assert_eq!(Receipt::parse(&text), Ok(receipt.clone()));
        assert_eq!(
            Receipt::parse(&text.replace('\n', "\r\n")),
            Ok(receipt.clone())
        );
        assert!(receipt.signature_valid());
        let moved = Receipt {
            seq: 999,
            ..receipt
        };
        assert!(!moved.signature_valid(), "a receipt edited by hand fails");
    }

    #[test]
    fn a_damaged_receipt_is_refused_with_a_reason() {
        assert_eq!(
            Receipt::parse("hello"),
            Err("not a receipt: the first line must be \"repatrack audit receipt v1\"".into())
        );
        let text = signed(5).to_text().replace("seq: 5", "seq: five");
        assert_eq!(Receipt::parse(&text), Err("seq is not a number".into()));
        let text = signed(5).to_text().replace("hash:", "hush:");
        assert!(
            Receipt::parse(&text)
                .unwrap_err()
                .starts_with("expected \"hash: …\"")
        );
    }
}
