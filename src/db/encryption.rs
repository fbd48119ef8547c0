//! Encryption at rest for the embedded SQLite file (SQLCipher).
//!
//! The SQLite compiled in is SQLCipher: with a key, every page of the file (and of its
//! write-ahead log) is encrypted with AES-256; without one it reads and writes plain SQLite files
//! exactly as before. The key comes from `REPATRACK_DB_KEY` or the file named by
//! `REPATRACK_DB_KEY_FILE` (see [`crate::config`]) and is given to every connection first thing
//! ([`unlock`]), before anything reads the file. Temporary tables and sorts stay in memory
//! (SQLCipher's build sets `SQLITE_TEMP_STORE=2`), so no plain copy of a page reaches the disk.

use std::fmt;
use std::io::Read as _;
use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::sqlite::SqliteConnection;

/// The first 16 bytes of every plain (unencrypted) SQLite file. An encrypted file starts with
/// its random salt instead.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The shortest passphrase accepted: SQLCipher stretches it (PBKDF2-HMAC-SHA512, 256,000
/// rounds), which slows guessing but cannot rescue a short one.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The key of an encrypted database. Never printed, not even with `{:?}`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseKey {
    /// 64 hex characters: the 256-bit AES key itself. Opening needs no key derivation, so
    /// each new connection is as quick as on a plain file; the right choice for a server.
    Raw(String),
    /// A passphrase, stretched by SQLCipher at every connection (about a tenth of a second).
    Passphrase(String),
}

impl DatabaseKey {
    /// Reads a key as configured: 64 hex characters are a raw key, anything else a passphrase
    /// of at least [`MIN_PASSPHRASE_CHARS`] characters. Surrounding white space (a key file's
    /// final newline) is not part of the key.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let key = raw.trim();
        if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(Self::Raw(key.to_ascii_lowercase()));
        }
        if key.chars().any(char::is_control) {
            return Err("holds a control character".into());
        }
        if key.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(format!(
                "is too short: give 64 hex characters (a raw 256-bit key, e.g. from `openssl rand -hex 32`) or a passphrase of at least {MIN_PASSPHRASE_CHARS} characters"
            ));
        }
        Ok(Self::Passphrase(key.to_owned()))
    }

    /// The key as SQLCipher reads it: a raw key is written `x'HEX'`.
    fn as_sqlcipher_text(&self) -> String {
        match self {
            Self::Raw(hex) => format!("x'{hex}'"),
            Self::Passphrase(text) => text.clone(),
        }
    }

    /// The key as an SQL string literal (a pragma takes no bound parameters).
    fn sql_literal(&self) -> String {
        format!("'{}'", self.as_sqlcipher_text().replace('\'', "''"))
    }

    /// Which kind of key, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Raw(_) => "raw 256-bit key",
            Self::Passphrase(_) => "passphrase",
        }
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseKey({}, redacted)", self.kind())
    }
}

/// What the first bytes of a file say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Missing or empty: SQLite will create it (encrypted, when a key is given).
    New,
    /// A plain SQLite file: anyone holding it can read it.
    Plain,
    /// Anything else: an encrypted database, or not a database at all.
    Opaque,
}

/// Looks at a file's first 16 bytes. Only for a file this process has no SQLite connection
/// open on (a copy being made): closing the descriptor drops this process's locks on the file
/// (see [`unlock`]).
pub fn file_kind(path: &Path) -> std::io::Result<FileKind> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::New),
        Err(e) => return Err(e),
    };
    let mut header = [0_u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(match read {
        0 => FileKind::New,
        16 if &header == PLAIN_HEADER => FileKind::Plain,
        _ => FileKind::Opaque,
    })
}

/// Gives a fresh connection its key (when there is one), then reads the schema once, so that a
/// missing or wrong key stops here with a message saying which, instead of "file is not a
/// database" at the first query.
///
/// The file is looked into only through SQLite, never with `std::fs`: closing any descriptor of
/// a file drops every POSIX lock the process holds on it, SQLite's own included. A server whose
/// locks were dropped that way looks unused to the next command run beside it, which then takes
/// itself for the last user and deletes the write-ahead log the server is still writing to.
pub fn unlock(
    conn: &mut SqliteConnection,
    path: &Path,
    key: Option<&DatabaseKey>,
) -> Result<(), String> {
    if let Some(key) = key {
        conn.batch_execute(&format!("PRAGMA key = {};", key.sql_literal()))
            .map_err(|e| format!("cannot give the database its key: {e}"))?;
    }
    // SQLCipher writes its own lines to standard error (a wrong key logs three "hmac check
    // failed" lines); what went wrong is said once, below, in words an operator can act on.
    // After the key: the first key given in a process switches SQLCipher's logging on.
    conn.batch_execute("PRAGMA cipher_log_level = NONE;")
        .map_err(|e| format!("cannot configure SQLCipher: {e}"))?;
    let Err(error) = conn.batch_execute("SELECT count(*) FROM sqlite_master;") else {
        return Ok(());
    };
    // Busy, an I/O error: said as SQLite says it. Only an unreadable first page is a key matter.
    if !is_not_a_database(&error) {
        return Err(error.to_string());
    }
    Err(match key.map(|_| opens_without_key(path)) {
        Some(Ok(true)) => "it is not encrypted, but a database key is set \
             (REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE): encrypt it with `repatrack encrypt`, \
             or unset the key"
            .to_owned(),
        // The file could not be looked at either (busy past the timeout, no permission).
        Some(Err(reason)) => reason,
        Some(Ok(false)) => "the database key does not open it \
             (a wrong REPATRACK_DB_KEY or key file, or the file is not a repatrack database)"
            .to_owned(),
        None => "it is encrypted, or is not an SQLite database: \
             set REPATRACK_DB_KEY or REPATRACK_DB_KEY_FILE to its key"
            .to_owned(),
    })
}

/// SQLite's `SQLITE_NOTADB`: the first page is not a database page (encrypted, another key, or
/// not a database at all). diesel passes SQLite's message on; it has not changed since 3.0.
fn is_not_a_database(error: &diesel::result::Error) -> bool {
    matches!(error, diesel::result::Error::DatabaseError(_, info)
        if info.message() == "file is not a database")
}

/// Whether a connection without a key reads the file (a plain SQLite file) or finds it is not a
/// database; any other failure as SQLite words it. A second SQLite connection shares SQLite's
/// bookkeeping of this process's locks, so closing it drops none.
fn opens_without_key(path: &Path) -> Result<bool, String> {
    use diesel::Connection as _;
    let mut plain =
        SqliteConnection::establish(&path.to_string_lossy()).map_err(|e| e.to_string())?;
    match plain.batch_execute(&format!(
        "PRAGMA busy_timeout = {};
         SELECT count(*) FROM sqlite_master;",
        super::pool::SQLITE_BUSY_TIMEOUT_MS
    )) {
        Ok(()) => Ok(true),
        Err(error) if is_not_a_database(&error) => Ok(false),
        Err(error) => Err(error.to_string()),
    }
}

/// The statement that attaches `path` as schema `name`, encrypted with `key`, and the
/// parameters to bind: the file name, then the key.
pub fn attach_encrypted(name: &str, key: &DatabaseKey) -> (String, String) {
    (
        format!("ATTACH DATABASE ? AS {name} KEY ?"),
        key.as_sqlcipher_text(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_four_hex_characters_are_a_raw_key_anything_else_a_passphrase() {
        let hex = "AB".repeat(32);
        assert_eq!(
            DatabaseKey::parse(&format!("{hex}\n")),
            Ok(DatabaseKey::Raw("ab".repeat(32)))
        );
        assert_eq!(
            DatabaseKey::parse("correct horse battery"),
            Ok(DatabaseKey::Passphrase("correct horse battery".into()))
        );
        assert!(
            DatabaseKey::parse("short")
                .unwrap_err()
                .starts_with("is too short")
        );
        assert_eq!(
            DatabaseKey::parse("twelve chars\u{7}ok"),
            Err("holds a control character".into())
        );
    }

    #[test]
    fn a_key_never_prints() {
        let key = DatabaseKey::parse("a passphrase nobody sees").unwrap();
        assert_eq!(format!("{key:?}"), "DatabaseKey(passphrase, redacted)");
    }

    #[test]
    fn quotes_in_a_passphrase_stay_inside_the_literal() {
        let key = DatabaseKey::parse("it's a long passphrase").unwrap();
        assert_eq!(key.sql_literal(), "'it''s a long passphrase'");
        let raw = DatabaseKey::parse(&"0f".repeat(32)).unwrap();
        assert_eq!(raw.sql_literal(), format!("'x''{}'''", "0f".repeat(32)));
    }
}
