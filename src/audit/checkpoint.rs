//! Signed checkpoints of the chain head.
//!
//! The chain alone proves that no entry changed *relative to the others*; someone able to
//! rewrite the whole table could recompute every hash. A checkpoint — `(seq, hash, time)` signed
//! with an Ed25519 key — copied somewhere the server cannot reach (printed, e-mailed to a
//! ministry, kept by a partner) proves the history up to it. One is signed at least every 1,000
//! entries (inside the transaction of every thousandth entry) and at least every hour while the
//! trail grows (a background task).
//!
//! The signed bytes are the text `repatrack-checkpoint-v1\n{seq}\n{hash}\n{at_micros}\n`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use crate::config::{DatabaseUrl, Settings};
use crate::db::DbConn;
use crate::db::schema::{audit_checkpoints, audit_head};

/// Entries between two checkpoints, at most.
pub const EVERY_ENTRIES: i64 = 1_000;
/// Time between two checkpoints while the trail grows, at most.
pub const EVERY: Duration = Duration::hours(1);

/// The process's signing key, installed once at start.
static KEY: OnceLock<SigningKey> = OnceLock::new();

/// Makes `key` the one checkpoints are signed with (the first call wins: one key per process).
pub fn install(key: SigningKey) -> &'static SigningKey {
    KEY.get_or_init(|| key)
}

/// The installed key, if any.
pub fn installed() -> Option<&'static SigningKey> {
    KEY.get()
}

/// Where the key lives when `AUDIT_SIGNING_KEY` is not set: beside the SQLite file, or in the
/// working directory for PostgreSQL.
pub fn key_path(database: &DatabaseUrl) -> PathBuf {
    match database {
        DatabaseUrl::Sqlite(path) => {
            let mut name = path
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_default();
            name.push(".audit-key");
            path.with_file_name(name)
        }
        DatabaseUrl::Postgres(_) => PathBuf::from("repatrack-audit.key"),
    }
}

fn parse_key(hex_seed: &str) -> Result<SigningKey, String> {
    let bytes = hex::decode(hex_seed.trim()).map_err(|_| "is not hexadecimal".to_owned())?;
    let seed: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "must be 64 hex characters (a 32-byte Ed25519 seed)".to_owned())?;
    Ok(SigningKey::from_bytes(&seed))
}

/// The configured key (`AUDIT_SIGNING_KEY`), else the one kept in `path`, else a new one
/// written there once (readable by the owner only).
pub fn load_or_create(configured: Option<&str>, path: &Path) -> Result<SigningKey, String> {
    if let Some(hex_seed) = configured {
        return parse_key(hex_seed).map_err(|why| format!("AUDIT_SIGNING_KEY {why}"));
    }
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        return parse_key(&text).map_err(|why| format!("{} {why}", path.display()));
    }
    let seed: [u8; 32] = rand::random();
    match write_private(path, &hex::encode(seed)) {
        Ok(()) => {}
        // Another process (a second instance, a command run at the same moment) made it first.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return load_or_create(None, path);
        }
        Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
    }
    tracing::info!(path = %path.display(), "generated the audit signing key; keep a copy of its public key elsewhere");
    Ok(SigningKey::from_bytes(&seed))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Loads (or creates) and installs the key for these settings.
pub fn install_from(settings: &Settings) -> Result<&'static SigningKey, String> {
    let key = load_or_create(
        settings.audit_signing_key.as_deref(),
        &key_path(&settings.database),
    )?;
    Ok(install(key))
}

/// Installs the configured or stored key if there is one, never creating one: verification run
/// from another directory or machine must not invent a key and then distrust every checkpoint.
pub fn install_existing(settings: &Settings) -> Result<Option<&'static SigningKey>, String> {
    Ok(existing(settings)?.map(install))
}

/// The configured (`AUDIT_SIGNING_KEY`) or stored key for these settings, if there is one;
/// never creates one, installs nothing.
pub fn existing(settings: &Settings) -> Result<Option<SigningKey>, String> {
    let path = key_path(&settings.database);
    if settings.audit_signing_key.is_none() && !path.exists() {
        return Ok(None);
    }
    load_or_create(settings.audit_signing_key.as_deref(), &path).map(Some)
}

/// A public key's fingerprint as people compare them: `SHA256:` and the hex SHA-256 of the
/// 32 key bytes.
pub fn fingerprint(key: &VerifyingKey) -> String {
    use sha2::Digest;
    format!(
        "SHA256:{}",
        hex::encode(sha2::Sha256::digest(key.to_bytes()))
    )
}

/// The fingerprint of a public key stored as hex (a checkpoint's), `None` if it is not one.
pub fn fingerprint_of_hex(public_key: &str) -> Option<String> {
    let bytes: [u8; 32] = hex::decode(public_key).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes)
        .ok()
        .map(|k| fingerprint(&k))
}

/// The bytes a checkpoint's signature covers.
pub fn message(seq: i64, hash: &str, at_micros: i64) -> Vec<u8> {
    format!("repatrack-checkpoint-v1\n{seq}\n{hash}\n{at_micros}\n").into_bytes()
}

/// Signs the current head if the trail has grown since the last checkpoint and `due` says so.
/// Runs inside the caller's transaction (the head is already locked by an append, or read as is
/// by the background task). Returns the seq signed.
fn sign_head_if(
    conn: &mut DbConn,
    key: &SigningKey,
    now: DateTime<Utc>,
    due: impl Fn(Option<(i64, chrono::NaiveDateTime)>, i64) -> bool,
) -> QueryResult<Option<i64>> {
    let (seq, hash): (i64, String) = audit_head::table
        .find(1_i64)
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let last: Option<(i64, chrono::NaiveDateTime)> = audit_checkpoints::table
        .select((audit_checkpoints::seq, audit_checkpoints::at))
        .order(audit_checkpoints::seq.desc())
        .first(conn)
        .optional()?;
    if seq == 0 || last.is_some_and(|(s, _)| s >= seq) || !due(last, seq) {
        return Ok(None);
    }
    let at = now.naive_utc();
    let signature = key.sign(&message(seq, &hash, now.timestamp_micros()));
    diesel::insert_into(audit_checkpoints::table)
        .values((
            audit_checkpoints::seq.eq(seq),
            audit_checkpoints::hash.eq(&hash),
            audit_checkpoints::at.eq(at),
            audit_checkpoints::public_key.eq(hex::encode(key.verifying_key().to_bytes())),
            audit_checkpoints::signature.eq(hex::encode(signature.to_bytes())),
        ))
        .execute(conn)?;
    Ok(Some(seq))
}

/// Called by every append: signs when `seq` is a multiple of [`EVERY_ENTRIES`].
pub fn on_append(conn: &mut DbConn, seq: i64, now: DateTime<Utc>) -> QueryResult<()> {
    if seq % EVERY_ENTRIES != 0 {
        return Ok(());
    }
    if let Some(key) = installed() {
        sign_head_if(conn, key, now, |_, _| true)?;
    }
    Ok(())
}

/// The hourly task: signs the head if it moved and the last checkpoint is an hour old.
pub fn sign_if_due(
    conn: &mut DbConn,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    crate::db::write_tx(conn, |conn| {
        sign_head_if(conn, key, now, |last, _| {
            last.is_none_or(|(_, at)| now.naive_utc() - at >= EVERY)
        })
    })
}

/// Signs the head now if it moved since the last checkpoint (operators, tests).
pub fn sign_now(
    conn: &mut DbConn,
    key: &SigningKey,
    now: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    crate::db::write_tx(conn, |conn| sign_head_if(conn, key, now, |_, _| true))
}

/// A stored checkpoint.
#[derive(Queryable, Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The head's seq.
    pub seq: i64,
    /// The head's hash.
    pub hash: String,
    /// When signed (UTC).
    pub at: chrono::NaiveDateTime,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// Signature, hex.
    pub signature: String,
}

impl Checkpoint {
    /// Whether the signature is valid for this checkpoint under its own public key.
    pub fn signature_valid(&self) -> bool {
        let key = hex::decode(&self.public_key)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok());
        let signature = hex::decode(&self.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok());
        let (Some(key), Some(signature)) = (key, signature) else {
            return false;
        };
        let Ok(key) = VerifyingKey::from_bytes(&key) else {
            return false;
        };
        let message = message(self.seq, &self.hash, self.at.and_utc().timestamp_micros());
        key.verify(&message, &Signature::from_bytes(&signature))
            .is_ok()
    }
}

/// The newest checkpoint, if any.
pub fn latest(conn: &mut DbConn) -> QueryResult<Option<Checkpoint>> {
    audit_checkpoints::table
        .select((
            audit_checkpoints::seq,
            audit_checkpoints::hash,
            audit_checkpoints::at,
            audit_checkpoints::public_key,
            audit_checkpoints::signature,
        ))
        .order(audit_checkpoints::seq.desc())
        .first(conn)
        .optional()
}

/// Every checkpoint, oldest first.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Checkpoint>> {
    audit_checkpoints::table
        .select((
            audit_checkpoints::seq,
            audit_checkpoints::hash,
            audit_checkpoints::at,
            audit_checkpoints::public_key,
            audit_checkpoints::signature,
        ))
        .order(audit_checkpoints::seq.asc())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_only_as_signed() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let at = chrono::DateTime::from_timestamp(1_734_512_400, 0)
            .unwrap()
            .naive_utc();
        let hash = "ab".repeat(32);
        let signature = key.sign(&message(1000, &hash, at.and_utc().timestamp_micros()));
        let checkpoint = Checkpoint {
            seq: 1000,
            hash,
            at,
            public_key: hex::encode(key.verifying_key().to_bytes()),
            signature: hex::encode(signature.to_bytes()),
        };
        assert!(checkpoint.signature_valid());
        assert!(
            !Checkpoint {
                seq: 999,
                ..checkpoint.clone()
            }
            .signature_valid()
        );
        assert!(
            !Checkpoint {
                hash: "cd".repeat(32),
                ..checkpoint.clone()
            }
            .signature_valid()
        );
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(
            !Checkpoint {
                public_key: hex::encode(other.verifying_key().to_bytes()),
                ..checkpoint
            }
            .signature_valid()
        );
    }

    #[test]
    fn keys_come_from_the_setting_or_a_file_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db.audit-key");
        let made = load_or_create(None, &path).unwrap();
        let again = load_or_create(None, &path).unwrap();
        assert_eq!(made.to_bytes(), again.to_bytes());
        let configured = load_or_create(Some(&"11".repeat(32)), &path).unwrap();
        assert_eq!(configured.to_bytes(), [0x11; 32]);
        assert_eq!(
            load_or_create(Some("zz"), &path).unwrap_err(),
            "AUDIT_SIGNING_KEY is not hexadecimal"
        );
        assert_eq!(
            key_path(&DatabaseUrl::Sqlite("/srv/repatrack.db".into())),
            PathBuf::from("/srv/repatrack.db.audit-key")
        );
    }
}
