//! `repatrack backup FILE` and `repatrack restore FILE`: copies of the embedded SQLite database
//! that are known to restore.
//!
//! **Backup** takes the copy with `VACUUM INTO`, which reads one snapshot of the database (a
//! read transaction under WAL): writers carry on meanwhile, and the copy holds exactly what was
//! committed when it began, with every change and its audit entry or neither. The copy is
//! written under a temporary name beside `FILE`, checked ([`verify_copy`]), synced, and only
//! then given its name, never over an existing file. Beside it, `FILE.json` (a [`Manifest`])
//! records the copy's SHA-256, its audit chain head and the audit signing key's fingerprint, so
//! whoever restores it can tell it arrived whole and which key its checkpoints need. The
//! signing key itself is a secret and is never copied: keep it (`AUDIT_SIGNING_KEY`, or
//! `DB.audit-key`) apart from the backups.
//!
//! **Restore** copies `FILE` to a temporary file beside the target, checks it (SHA-256 against
//! the manifest when there is one, `PRAGMA integrity_check`, the audit chain), and only then
//! renames it over the target in one step. A target that holds data (any user or any audit
//! entry) is replaced only with `--force`. Whatever fails, the target is left as it was.
//!
//! PostgreSQL has its own tools: `backup` prints the `pg_dump` command to use.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use diesel::prelude::*;
use diesel::sql_types::Text;
use sha2::{Digest, Sha256};

use crate::audit::checkpoint;
use crate::clock::Clock;
use crate::config::{DatabaseUrl, Settings};
use crate::db::encryption::{self, DatabaseKey, FileKind};
use crate::db::{self, DbConn};

mod encrypt;
pub use encrypt::encrypt;

/// What `FILE.json` records about a backup `FILE`.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `repatrack-backup-v1`.
    pub format: String,
    /// When the copy was made (RFC 3339, UTC).
    pub created_at: String,
    /// The database copied (as logged: `sqlite:PATH`).
    pub source: String,
    /// The copy's size in bytes.
    pub bytes: u64,
    /// The copy's SHA-256, hex.
    pub sha256: String,
    /// Audit entries in the copy.
    pub audit_entries: i64,
    /// The copy's audit chain head: its seq …
    pub audit_head_seq: i64,
    /// … and its hash.
    pub audit_head_hash: String,
    /// Signed checkpoints in the copy.
    pub audit_checkpoints: usize,
    /// The fingerprint of the audit signing key configured where the backup was made (`None`
    /// when none was configured there).
    pub audit_key_fingerprint: Option<String>,
    /// That key's public half, hex (the same as stored in each checkpoint it signed).
    pub audit_public_key: Option<String>,
    /// The fingerprints of the keys that signed the copy's checkpoints.
    pub checkpoint_key_fingerprints: Vec<String>,
    /// Whether the copy is encrypted (SQLCipher, with the database's own key). Manifests
    /// written before encryption existed lack it: their copies are plain.
    #[serde(default)]
    pub encrypted: bool,
}

/// The manifest's format name.
pub const FORMAT: &str = "repatrack-backup-v1";

/// What [`verify_copy`] found in a sound copy.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The audit chain's verification.
    pub chain: crate::audit::verify::Report,
    /// The tables against the trail (consistent in a sound copy).
    pub state: crate::audit::state::StateReport,
    /// Users in the copy.
    pub users: i64,
    /// Crossing events in the copy.
    pub events: i64,
    /// Fingerprints of the keys that signed the copy's checkpoints, in first-use order.
    pub checkpoint_keys: Vec<String>,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    value: String,
}

/// Every check a copy must pass before it is trusted, in one place: `PRAGMA integrity_check`,
/// then the audit hash chain (with each checkpoint's signature under its own key; which key the
/// checkpoints should have is reported apart, see [`restore`]), then the business tables against
/// their audited after-values (`audit verify --state`).
pub fn verify_copy(conn: &mut DbConn) -> Result<Summary, String> {
    check_copy(conn, true)
}

/// [`verify_copy`], with the state check reported in the summary instead of refused when
/// `tables_must_match` is false: for `encrypt`, which must not leave a file readable because
/// its tables already differed from the trail (it checks the copy differs exactly as much).
fn check_copy(conn: &mut DbConn, tables_must_match: bool) -> Result<Summary, String> {
    let integrity: Vec<String> =
        diesel::sql_query("SELECT integrity_check AS value FROM pragma_integrity_check")
            .load::<Line>(conn)
            .map_err(|e| format!("it cannot be read as a database: {e}"))?
            .into_iter()
            .map(|l| l.value)
            .take(20)
            .collect();
    if integrity != ["ok"] {
        return Err(format!(
            "it fails PRAGMA integrity_check: {}",
            integrity.join("; ")
        ));
    }
    let chain = crate::audit::verify::verify(conn)
        .map_err(|e| format!("its audit trail cannot be read: {e}"))?;
    if !chain.intact() {
        return Err(format!("its {}", chain.summary()));
    }
    // The tables must hold what the trail says (`audit verify --state`).
    let state = crate::audit::state::verify_state(conn)
        .map_err(|e| format!("its tables cannot be read: {e}"))?;
    if let Some(first) = state.differences.first()
        && tables_must_match
    {
        return Err(format!("its {}; first: {}", state.summary(), first.line()));
    }
    let users = db::users::count(conn).map_err(|e| format!("reading its users: {e}"))?;
    let events = crate::db::schema::crossing_events::table
        .count()
        .get_result::<i64>(conn)
        .map_err(|e| format!("reading its events: {e}"))?;
    let mut checkpoint_keys = Vec::new();
    for c in checkpoint::all(conn).map_err(|e| format!("reading its checkpoints: {e}"))? {
        let fingerprint = checkpoint::fingerprint_of_hex(&c.public_key)
            .unwrap_or_else(|| format!("(not a key: {})", c.public_key));
        if !checkpoint_keys.contains(&fingerprint) {
            checkpoint_keys.push(fingerprint);
        }
    }
    Ok(Summary {
        chain,
        state,
        users,
        events,
        checkpoint_keys,
    })
}

/// A file removed when dropped, unless kept: the temporary copies of backup and restore, so
/// a failure at any step leaves nothing half-made behind.
struct Temporary {
    path: PathBuf,
    keep: bool,
}

impl Temporary {
    /// A fresh name beside `beside`: `NAME.SUFFIX-RANDOM`.
    fn beside(beside: &Path, suffix: &str) -> Self {
        let mut name = beside
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(format!(".{suffix}-{:08x}", rand::random::<u32>()));
        Self {
            path: beside.with_file_name(name),
            keep: false,
        }
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.keep {
            remove_with_sidecars(&self.path);
        }
    }
}

/// SQLite's files beside a database: its write-ahead log and shared-memory index.
fn sidecars(path: &Path) -> [PathBuf; 2] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm")]
}

fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    for sidecar in sidecars(path) {
        let _ = std::fs::remove_file(sidecar);
    }
}

/// `FILE.json`.
pub fn manifest_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_os_string();
    name.push(".json");
    PathBuf::from(name)
}

fn sha256_of(path: &Path) -> Result<(String, u64), String> {
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 16];
    let mut bytes = 0_u64;
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// Flushes a file's contents, then the directory entry naming it, to the disk.
fn sync(path: &Path) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("cannot sync {}: {e}", path.display());
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(failed)?;
    sync_directory_of(path);
    Ok(())
}

fn sync_directory_of(path: &Path) {
    // Makes a rename or a new name durable; not every platform opens directories, and the
    // data itself is already synced, so a failure here is not worth failing over.
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
}

/// The path as SQLite takes it in `VACUUM INTO`.
fn utf8(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))
}

fn configured_key_fingerprint(settings: &Settings) -> Result<Option<(String, String)>, String> {
    Ok(checkpoint::existing(settings)?.map(|key| {
        let public = key.verifying_key();
        (
            checkpoint::fingerprint(&public),
            hex::encode(public.to_bytes()),
        )
    }))
}

/// `repatrack backup FILE`; returns what to print.
pub fn backup(settings: &Settings, file: &Path, clock: &Clock) -> Result<String, String> {
    let key = configured_key_fingerprint(settings)?;
    let path = match &settings.database {
        DatabaseUrl::Postgres(url) => return Ok(postgres_instructions(url, file, key)),
        DatabaseUrl::Sqlite(path) => path,
    };
    if !path.is_file() {
        return Err(format!("there is no database at {}", path.display()));
    }
    let manifest_file = manifest_path(file);
    for existing in [file, manifest_file.as_path()] {
        if existing.exists() {
            return Err(format!(
                "{} already exists; a backup never writes over a file, give a new name",
                existing.display()
            ));
        }
    }
    let temporary = Temporary::beside(file, "partial");
    {
        let mut conn = db::connect_sqlite_file(path, settings.database_key.as_ref())
            .map_err(|e| e.to_string())?;
        let DbConn::Sqlite(inner) = &mut conn else {
            return Err("not an SQLite connection".into());
        };
        // One read transaction: a consistent snapshot however busy the writers are.
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(utf8(&temporary.path)?)
            .execute(inner)
            .map_err(|e| format!("copying {}: {e}", path.display()))?;
    }
    // A copy of an encrypted database must be encrypted too (VACUUM INTO gives the new file
    // the database's own key); never leave a readable copy of one behind.
    let encrypted = encryption::file_kind(&temporary.path)
        .map_err(|e| format!("cannot read the copy: {e}"))?
        == FileKind::Opaque;
    if settings.database_key.is_some() && !encrypted {
        return Err("the copy came out unencrypted; it was removed".into());
    }
    let summary = {
        let mut copy = db::connect_sqlite_file(&temporary.path, settings.database_key.as_ref())
            .map_err(|e| e.to_string())?;
        verify_copy(&mut copy).map_err(|why| format!("the copy is not sound: {why}"))?
    };
    sync(&temporary.path)?;
    let (sha256, bytes) = sha256_of(&temporary.path)?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at: clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        source: settings.database.to_string(),
        bytes,
        sha256,
        audit_entries: summary.chain.entries,
        audit_head_seq: summary.chain.head_seq,
        audit_head_hash: summary.chain.head_hash.clone(),
        audit_checkpoints: summary.chain.checkpoints,
        audit_key_fingerprint: key.as_ref().map(|(f, _)| f.clone()),
        audit_public_key: key.as_ref().map(|(_, k)| k.clone()),
        checkpoint_key_fingerprints: summary.checkpoint_keys.clone(),
        encrypted,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n";
    // The manifest first, then the copy under its name: a backup without its manifest is
    // still checked on restore, a manifest without its backup names nothing.
    write_new(&manifest_file, json.as_bytes())?;
    if let Err(e) = std::fs::hard_link(&temporary.path, file) {
        let _ = std::fs::remove_file(&manifest_file);
        return Err(if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists; a backup never writes over a file, give a new name",
                file.display()
            )
        } else {
            format!("cannot create {}: {e}", file.display())
        });
    }
    sync_directory_of(file);
    drop(temporary);
    Ok(format!(
        "backup written to {} ({}): {bytes} bytes, sha256 {}, {} user(s), {} event(s); audit chain intact: {} entries, head seq {} ({}); audit key {}; manifest {}",
        file.display(),
        if encrypted {
            "encrypted with the database's key"
        } else {
            "not encrypted"
        },
        manifest.sha256,
        summary.users,
        summary.events,
        summary.chain.entries,
        summary.chain.head_seq,
        summary.chain.head_hash,
        manifest
            .audit_key_fingerprint
            .as_deref()
            .unwrap_or("(none configured here)"),
        manifest_file.display()
    ))
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write as _;
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(failed)?;
    file.write_all(bytes).map_err(failed)?;
    file.sync_all().map_err(failed)
}

/// A word for a POSIX shell: as is when it needs no quoting, else in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// What `repatrack backup` prints on PostgreSQL: the `pg_dump` to run (a consistent snapshot
/// while the application runs), the `pg_restore` to bring it back, and the audit key's
/// fingerprint to keep with the dump. The password is never printed.
fn postgres_instructions(url: &str, file: &Path, key: Option<(String, String)>) -> String {
    let (url, had_password) = match url::Url::parse(url) {
        Ok(mut parsed) => {
            let had = parsed.password().is_some();
            // Cannot fail for a URL with a host, which the configuration required.
            let _ = parsed.set_password(None);
            (parsed.to_string(), had)
        }
        Err(_) => ("postgres://…".to_owned(), false),
    };
    let file = shell_word(&file.display().to_string());
    let mut out = format!(
        "PostgreSQL is backed up with its own tools, which take a consistent snapshot while repatrack runs:\n  pg_dump --format=custom --file={file} {}\n",
        shell_word(&url)
    );
    if had_password {
        out.push_str("The password is not shown: give it in PGPASSWORD or ~/.pgpass.\n");
    }
    out.push_str(&format!(
        "To restore, into a new empty database, then check it with `repatrack audit verify`:\n  pg_restore --exit-on-error --no-owner --dbname=NEW_DATABASE_URL {file}\n"
    ));
    match key {
        Some((fingerprint, _)) => out.push_str(&format!(
            "Audit signing key: {fingerprint} (keep this line with the dump; the restored database needs the same key)\n"
        )),
        None => out.push_str(
            "Audit signing key: none configured here (AUDIT_SIGNING_KEY or repatrack-audit.key)\n",
        ),
    }
    out
}

/// Whether a database file holds anything restore must not silently replace: `Some(why)`
/// when it does (any user or audit entry, or tables that are not repatrack's), `None` for a
/// missing or empty file or a repatrack database without users and audit entries.
fn holds_data(path: &Path, key: Option<&DatabaseKey>) -> Result<Option<String>, String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size == 0 {
        return Ok(None);
    }
    let unreadable = |e: String| {
        format!(
            "{} cannot be read ({e}); restore replaces it only with --force",
            path.display()
        )
    };
    let mut conn = db::connect_sqlite_file(path, key).map_err(|e| unreadable(e.to_string()))?;
    let tables: Vec<String> = diesel::sql_query(
        "SELECT name AS value FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .load::<Line>(&mut conn)
    .map_err(|e| unreadable(e.to_string()))?
    .into_iter()
    .map(|l| l.value)
    .collect();
    if tables.is_empty() {
        return Ok(None);
    }
    if !tables.iter().any(|t| t == "users") || !tables.iter().any(|t| t == "audit_log") {
        return Ok(Some(format!(
            "holds {} table(s) that are not a repatrack database",
            tables.len()
        )));
    }
    let users = db::users::count(&mut conn).map_err(|e| unreadable(e.to_string()))?;
    let entries = crate::db::schema::audit_log::table
        .count()
        .get_result::<i64>(&mut conn)
        .map_err(|e| unreadable(e.to_string()))?;
    Ok((users > 0 || entries > 0)
        .then(|| format!("holds data ({users} user(s), {entries} audit entries)")))
}

/// `repatrack restore FILE [--force]`: replaces the configured SQLite database with a verified
/// copy of `FILE`; returns what to print. Stop the server first: a server still running would
/// keep writing to the file it had open.
pub fn restore(settings: &Settings, file: &Path, force: bool) -> Result<String, String> {
    let target = match &settings.database {
        DatabaseUrl::Sqlite(path) => path.clone(),
        DatabaseUrl::Postgres(_) => {
            return Err("restore is for the embedded SQLite database; on PostgreSQL restore a pg_dump into a new empty database with pg_restore (see `repatrack backup`)".into());
        }
    };
    if !file.is_file() {
        return Err(format!("there is no backup file at {}", file.display()));
    }
    if target.exists() {
        match holds_data(&target, settings.database_key.as_ref()) {
            Ok(None) => {}
            Ok(Some(what)) if !force => {
                return Err(format!(
                    "{} {what}; restore replaces it only with --force",
                    target.display()
                ));
            }
            Err(why) if !force => return Err(why),
            Ok(Some(_)) | Err(_) => {} // --force
        }
    }
    // The manifest, when it came along, says what the file must be byte for byte.
    let manifest_file = manifest_path(file);
    let manifest: Option<Manifest> = if manifest_file.is_file() {
        let text = std::fs::read_to_string(&manifest_file)
            .map_err(|e| format!("cannot read {}: {e}", manifest_file.display()))?;
        Some(serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is not a repatrack backup manifest: {e}",
                manifest_file.display()
            )
        })?)
    } else {
        None
    };
    let refused = |why: String| {
        format!(
            "{} was not restored: {why}; {} is unchanged",
            file.display(),
            target.display()
        )
    };
    let temporary = Temporary::beside(&target, "restoring");
    std::fs::copy(file, &temporary.path).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            file.display(),
            temporary.path.display()
        )
    })?;
    sync(&temporary.path)?;
    if let Some(manifest) = &manifest {
        let (sha256, bytes) = sha256_of(&temporary.path)?;
        if sha256 != manifest.sha256 || bytes != manifest.bytes {
            return Err(refused(format!(
                "it is not the file its manifest {} describes (SHA-256 {sha256}, {bytes} bytes; the manifest says {}, {} bytes)",
                manifest_file.display(),
                manifest.sha256,
                manifest.bytes
            )));
        }
    }
    let summary = {
        let mut copy = db::connect_sqlite_file(&temporary.path, settings.database_key.as_ref())
            .map_err(|e| refused(format!("it cannot be opened: {e}")))?;
        verify_copy(&mut copy).map_err(refused)?
    };
    if let Some(manifest) = &manifest
        && (summary.chain.head_seq, summary.chain.head_hash.as_str())
            != (manifest.audit_head_seq, manifest.audit_head_hash.as_str())
    {
        return Err(refused(format!(
            "its audit head is seq {}, its manifest says seq {}",
            summary.chain.head_seq, manifest.audit_head_seq
        )));
    }
    put_in_place(temporary, &target, refused)?;
    let key_line = key_report(settings, manifest.as_ref(), &summary)?;
    Ok(format!(
        "restored {} into {}: integrity_check ok; {}; {}; {} user(s), {} event(s)\n{key_line}",
        file.display(),
        target.display(),
        summary.chain.summary(),
        summary.state.summary(),
        summary.users,
        summary.events,
    ))
}

/// Renames a checked copy over the database file in one step. The old file's write-ahead log
/// and index go first: SQLite would replay that log into the new file.
fn put_in_place(
    temporary: Temporary,
    target: &Path,
    refused: impl Fn(String) -> String,
) -> Result<(), String> {
    for sidecar in sidecars(target) {
        match std::fs::remove_file(&sidecar) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", sidecar.display())),
        }
    }
    for sidecar in sidecars(&temporary.path) {
        if sidecar.exists() {
            return Err(refused(format!(
                "{} is still there after checking the copy",
                sidecar.display()
            )));
        }
    }
    std::fs::rename(&temporary.path, target).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            temporary.path.display(),
            target.display()
        )
    })?;
    sync_directory_of(target);
    let mut temporary = temporary;
    temporary.keep = true;
    Ok(())
}

/// Whether the key configured here is the one the backup's checkpoints need.
fn key_report(
    settings: &Settings,
    manifest: Option<&Manifest>,
    summary: &Summary,
) -> Result<String, String> {
    let configured = configured_key_fingerprint(settings)?.map(|(f, _)| f);
    // The key recorded at backup time, else the latest that signed a checkpoint.
    let expected = manifest
        .and_then(|m| m.audit_key_fingerprint.clone())
        .or_else(|| summary.checkpoint_keys.last().cloned());
    Ok(match (configured, expected) {
        (Some(here), Some(there)) if here == there => {
            format!("audit key: the configured key {here} is the backup's")
        }
        (Some(here), Some(there)) => format!(
            "audit key: MISMATCH: the backup's key is {there}, the key configured here is {here}; configure the backup's key (AUDIT_SIGNING_KEY) before serving, or `audit verify` will report its checkpoints as signed by an unknown key"
        ),
        (None, Some(there)) => format!(
            "audit key: none configured here; the backup's key is {there}: set AUDIT_SIGNING_KEY to it (or put it in {}) before serving",
            checkpoint::key_path(&settings.database).display()
        ),
        (Some(here), None) => {
            format!("audit key: the backup records none; the key configured here is {here}")
        }
        (None, None) => "audit key: none recorded in the backup, none configured here".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("/srv/backups/x.dump"), "/srv/backups/x.dump");
        assert_eq!(shell_word("my file"), "'my file'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(
            shell_word("postgres://app@db:5432/r?sslmode=require"),
            "'postgres://app@db:5432/r?sslmode=require'"
        );
    }
}
