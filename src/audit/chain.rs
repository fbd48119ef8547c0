//! The chain: `hash = SHA-256(prev_hash ‖ canonical(entry))`, hex-encoded.
//!
//! `canonical` is an ASCII tag naming its format followed by each field, each as an 8-byte
//! big-endian length and then its UTF-8 bytes:
//!
//! - **format 1** (tag `repatrack-audit-v1`): `seq` (decimal), `at` (integer microseconds since
//!   1970-01-01T00:00:00Z, decimal), `actor`, `action`, `entity`, `entity_id`, `post`, `ip`,
//!   `details`.
//! - **format 2** (tag `repatrack-audit-v2`): the same, with `actor_id` (the acting account's
//!   id in decimal, or empty) between `at` and `actor`. Every entry written now uses format 2;
//!   format 1 entries written before it keep verifying as written. Along the chain the format
//!   never goes down, so a rewritten entry cannot drop back to the encoding without `actor_id`.
//!
//! `prev_hash` is the previous entry's hash as 64 lower-case hex characters (the first entry's
//! is 64 zeros), hashed as those ASCII bytes. Length prefixes make the encoding unambiguous:
//! no choice of field values can make two different entries encode alike, and the tag makes the
//! formats differ. Timestamps as integer microseconds make SQLite and PostgreSQL (and a CSV
//! export) give the same bytes. `scripts/verify_audit_csv.py` recomputes the chain from
//! `/audit.csv` with this definition.

use sha2::{Digest, Sha256};

/// The first entry's `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A canonical encoding, as stored in `audit_log.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// Without `actor_id` (entries written before format 2 existed).
    V1 = 1,
    /// With `actor_id`.
    V2 = 2,
}

impl Format {
    /// The format every new entry is written in.
    pub const CURRENT: Self = Self::V2;

    /// The format stored as `number`, if it exists.
    pub fn from_stored(number: i32) -> Option<Self> {
        match number {
            1 => Some(Self::V1),
            2 => Some(Self::V2),
            _ => None,
        }
    }

    /// As stored.
    pub fn number(self) -> i32 {
        self as i32
    }

    fn tag(self) -> &'static [u8] {
        match self {
            Self::V1 => b"repatrack-audit-v1",
            Self::V2 => b"repatrack-audit-v2",
        }
    }
}

/// The hashed fields of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields<'a> {
    /// Position in the chain.
    pub seq: i64,
    /// UTC, integer microseconds since the epoch.
    pub at_micros: i64,
    /// The acting account (hashed from format 2 on).
    pub actor_id: Option<i64>,
    /// Who.
    pub actor: &'a str,
    /// Action code.
    pub action: &'a str,
    /// Kind of record.
    pub entity: &'a str,
    /// Which record.
    pub entity_id: &'a str,
    /// Post code or empty.
    pub post: &'a str,
    /// Client address or empty.
    pub ip: &'a str,
    /// Canonical JSON.
    pub details: &'a str,
}

/// The canonical bytes of an entry in `format`.
pub fn canonical(format: Format, fields: &Fields<'_>) -> Vec<u8> {
    let tag = format.tag();
    let seq = fields.seq.to_string();
    let at = fields.at_micros.to_string();
    let actor_id = fields.actor_id.map(|id| id.to_string()).unwrap_or_default();
    let mut parts: Vec<&[u8]> = vec![seq.as_bytes(), at.as_bytes()];
    if format >= Format::V2 {
        parts.push(actor_id.as_bytes());
    }
    parts.extend([
        fields.actor.as_bytes(),
        fields.action.as_bytes(),
        fields.entity.as_bytes(),
        fields.entity_id.as_bytes(),
        fields.post.as_bytes(),
        fields.ip.as_bytes(),
        fields.details.as_bytes(),
    ]);
    let mut out = Vec::with_capacity(tag.len() + parts.iter().map(|p| p.len() + 8).sum::<usize>());
    out.extend_from_slice(tag);
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// The hash of an entry in `format` following `prev_hash`.
pub fn hash(format: Format, prev_hash: &str, fields: &Fields<'_>) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical(format, fields));
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fields<'static> {
        Fields {
            seq: 1,
            at_micros: 1_734_512_400_000_000,
            actor_id: Some(1),
            actor: "admin",
            action: "post.create",
            entity: "post",
            entity_id: "1",
            post: "QAIM",
            ip: "127.0.0.1",
            details: "{}",
        }
    }

    #[test]
    fn the_encoding_is_tagged_and_length_prefixed() {
        let v1 = canonical(Format::V1, &sample());
        assert!(v1.starts_with(
            b"repatrack-audit-v1\0\0\0\0\0\0\0\x011\0\0\0\0\0\0\0\x101734512400000000"
        ));
        assert_eq!(v1.len(), 18 + 9 * 8 + 1 + 16 + 5 + 11 + 4 + 1 + 4 + 9 + 2);
        let v2 = canonical(Format::V2, &sample());
        assert!(v2.starts_with(
            b"repatrack-audit-v2\0\0\0\0\0\0\0\x011\0\0\0\0\0\0\0\x101734512400000000\0\0\0\0\0\0\0\x011"
        ));
        assert_eq!(v2.len(), v1.len() + 8 + 1);
        assert_eq!(Format::from_stored(3), None);
        assert_eq!(Format::from_stored(0), None);
        assert_eq!(Format::from_stored(2), Some(Format::CURRENT));
    }

    #[test]
    fn known_vectors_stay_the_same_forever() {
        // Computed independently (Python's hashlib over the documented encodings). If one
        // changes, every stored chain breaks: define a new format instead.
        assert_eq!(
            hash(Format::V1, GENESIS, &sample()),
            "832f812eca769c2975a13edf731eaed5453e42cfd014f47609ae48e0ac16c2dd"
        );
        assert_eq!(
            hash(Format::V2, GENESIS, &sample()),
            "990201b3e15606178918b450956beee04fda2b78fda5230d8d32a64e53780104"
        );
        let system = Fields {
            actor_id: None,
            ..sample()
        };
        assert_eq!(
            hash(Format::V2, GENESIS, &system),
            "4f5fde1927e13dcbe77782d2f741c8d3fe7b06a704642db418d5e470f5b61c4c"
        );
    }

    #[test]
    fn format_2_covers_the_actor_id_and_format_1_does_not() {
        let other = Fields {
            actor_id: Some(999),
            ..sample()
        };
        assert_ne!(
            hash(Format::V2, GENESIS, &sample()),
            hash(Format::V2, GENESIS, &other)
        );
        assert_eq!(
            hash(Format::V1, GENESIS, &sample()),
            hash(Format::V1, GENESIS, &other)
        );
    }

    #[test]
    fn moving_a_byte_between_fields_changes_the_hash() {
        let a = Fields {
            actor: "ab",
            action: "c",
            ..sample()
        };
        let b = Fields {
            actor: "a",
            action: "bc",
            ..sample()
        };
        assert_ne!(hash(Format::V2, GENESIS, &a), hash(Format::V2, GENESIS, &b));
        assert_ne!(hash(Format::V1, GENESIS, &a), hash(Format::V1, GENESIS, &b));
    }
}
