//! `repatrack encrypt`: turns the plain SQLite file into an encrypted one, in place.
//!
//! SQLCipher cannot encrypt a file where it lies; it exports every table into a new file
//! opened with the key (`sqlcipher_export`). As with a restore, that new file is written beside
//! the database under a temporary name, checked with everything a backup must pass (with the
//! key), and only then renamed over the plain file in one step. The plain file's pages are
//! gone from the directory, not from the disk: the README says to encrypt before any person is
//! recorded, or to wipe the disk's free space afterwards.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::{Temporary, check_copy, put_in_place, sync, utf8};
use crate::config::{DatabaseUrl, Settings};
use crate::db::encryption::{self, FileKind};
use crate::db::{self, DbConn};

/// `repatrack encrypt`; returns what to print. Stop the server first: a server still running
/// would keep writing to the plain file it had open.
pub fn encrypt(settings: &Settings) -> Result<String, String> {
    let target = match &settings.database {
        DatabaseUrl::Sqlite(path) => path.clone(),
        DatabaseUrl::Postgres(_) => {
            return Err("encrypt is for the embedded SQLite file; PostgreSQL is encrypted at rest by its own storage".into());
        }
    };
    let Some(key) = settings.database_key.as_ref() else {
        return Err(
            "no key: set REPATRACK_DB_KEY (or REPATRACK_DB_KEY_FILE) to the key to encrypt with"
                .into(),
        );
    };
    match encryption::file_kind(&target)
        .map_err(|e| format!("cannot read {}: {e}", target.display()))?
    {
        FileKind::Plain => {}
        FileKind::New => {
            return Err(format!(
                "there is no database at {}; with the key set, the server creates it encrypted",
                target.display()
            ));
        }
        FileKind::Opaque => {
            return Err(format!(
                "{} is already encrypted (or is not an SQLite database)",
                target.display()
            ));
        }
    }
    let refused = |why: String| {
        format!(
            "{} was not encrypted: {why}; it is unchanged",
            target.display()
        )
    };
    let temporary = Temporary::beside(&target, "encrypting");
    let plain_differences = {
        let mut conn = db::connect_sqlite_file(&target, None).map_err(|e| e.to_string())?;
        // Tables that already differ from the trail are no reason to leave them readable; the
        // encrypted copy must differ exactly as much, and the output says so.
        let plain_differences = crate::audit::state::verify_state(&mut conn)
            .map_err(|e| refused(format!("its tables cannot be read: {e}")))?
            .differences
            .len();
        let DbConn::Sqlite(inner) = &mut conn else {
            return Err("not an SQLite connection".into());
        };
        let (attach, key_text) = encryption::attach_encrypted("encrypted", key);
        diesel::sql_query(attach)
            .bind::<Text, _>(utf8(&temporary.path)?)
            .bind::<Text, _>(key_text)
            .execute(inner)
            .map_err(|e| refused(format!("cannot create the encrypted copy: {e}")))?;
        // One read transaction: every table from the same snapshot.
        inner
            .batch_execute(
                "BEGIN; SELECT sqlcipher_export('encrypted'); COMMIT; DETACH DATABASE encrypted;",
            )
            .map_err(|e| refused(format!("copying into the encrypted file: {e}")))?;
        plain_differences
    };
    let kind = encryption::file_kind(&temporary.path)
        .map_err(|e| refused(format!("cannot read the encrypted copy: {e}")))?;
    if kind != FileKind::Opaque {
        return Err(refused("the copy came out unencrypted".into()));
    }
    let summary = {
        let mut copy = db::connect_sqlite_file(&temporary.path, Some(key))
            .map_err(|e| refused(format!("the encrypted copy cannot be opened: {e}")))?;
        check_copy(&mut copy, false).map_err(|why| refused(format!("the encrypted copy: {why}")))?
    };
    if summary.state.differences.len() != plain_differences {
        return Err(refused(format!(
            "the encrypted copy's {}, the plain file had {plain_differences}",
            summary.state.summary()
        )));
    }
    sync(&temporary.path)?;
    put_in_place(temporary, &target, refused)?;
    Ok(format!(
        "encrypted {} with the configured {}: integrity_check ok; {}; {}; {} user(s), {} event(s). Keep the key apart from the file: without it the data cannot be read.",
        target.display(),
        key.kind(),
        summary.chain.summary(),
        summary.state.summary(),
        summary.users,
        summary.events,
    ))
}
