//! Password hashing: argon2id with explicit parameters, off the request threads, at most one
//! hash per CPU at a time (each costs ~19 MiB and tens of milliseconds; unbounded, a burst of
//! sign-ins would exhaust memory and starve every other request).

use std::sync::{Arc, LazyLock};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// OWASP's argon2id baseline: m = 19456 KiB, t = 2, p = 1, set explicitly so a change of the
/// crate's defaults cannot silently weaken stored hashes.
fn argon2() -> Argon2<'static> {
    // These constants are valid; Params::new only rejects out-of-range values.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    // A fresh random salt from the operating system each time.
    Ok(argon2().hash_password(password.as_bytes())?.to_string())
}

/// Whether `candidate` matches `phc`. A malformed stored hash never matches.
pub fn verify_blocking(phc: &str, candidate: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the username does not exist, so that a
/// sign-in for an unknown user spends the same time as a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random: String = (0..32)
        .map(|_| char::from(b'a' + rand::random::<u8>() % 26))
        .collect();
    hash_blocking(&random).unwrap_or_default()
});

/// Runs hashing and verification on the blocking pool, one per CPU at a time.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
}

impl Default for Hasher {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Self {
            permits: Arc::new(Semaphore::new(cpus)),
        }
    }
}

/// Hashing could not run.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

impl Hasher {
    /// Hashes a new password.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        actix_web::web::block(move || hash_blocking(&password))
            .await
            .map_err(|e| HashError(e.to_string()))?
            .map_err(|e| HashError(e.to_string()))
    }

    /// Verifies `candidate` against `phc`, or against a dummy hash when there is no user.
    pub async fn verify(&self, phc: Option<String>, candidate: String) -> Result<bool, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        actix_web::web::block(move || match phc {
            Some(phc) => verify_blocking(&phc, &candidate),
            None => {
                // Same work as a real check; the result is thrown away.
                let _ = verify_blocking(&DUMMY_HASH, &candidate);
                false
            }
        })
        .await
        .map_err(|e| HashError(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_chosen_parameters_and_verify() {
        let phc = hash_blocking("a long enough pass phrase").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_blocking(&phc, "a long enough pass phrase"));
        assert!(!verify_blocking(&phc, "a long enough pass phrasE"));
        assert!(!verify_blocking("not a hash", "anything"));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        assert_ne!(
            hash_blocking("same password here").unwrap(),
            hash_blocking("same password here").unwrap()
        );
    }
}
