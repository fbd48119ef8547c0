//! Password hashing: argon2id with explicit parameters, off the request threads, at most one
//! hash per CPU at a time (each costs ~19 MiB and tens of milliseconds; unbounded, a burst of
//! sign-ins would exhaust memory and starve every other request).

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

/// The hashing error type (from the `password-hash` crate).
pub type Error = argon2::password_hash::Error;

/// OWASP's argon2id baseline: m = 19456 KiB, t = 2, p = 1, set explicitly so a change of the
/// crate's defaults cannot silently weaken stored hashes.
fn params() -> Params {
    // These constants are valid; Params::new only rejects out-of-range values.
    Params::new(19_456, 2, 1, None).unwrap_or_default()
}

/// The working memory of finished hashes, kept for the next one (at most one per CPU).
///
/// Each hash needs 19 MiB. Allocated afresh each time, it comes from the allocator's arena of
/// whichever blocking thread runs it, and glibc keeps what each arena freed: 16 sign-ins grew
/// the server from 23 to 179 MB (BENCHMARKS.md, issue 19). Reused, the server holds at most one
/// buffer per hash that may run at once.
static SPARE_MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// Runs `hash` with working memory of at least `blocks` blocks, reusing a spare buffer of the
/// standard size when there is one.
fn with_memory<T>(blocks: usize, hash: impl FnOnce(&mut [Block]) -> T) -> T {
    let standard = params().block_count();
    let spare = (blocks <= standard)
        .then(|| {
            SPARE_MEMORY
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .pop()
        })
        .flatten();
    let mut memory = spare.unwrap_or_else(|| vec![Block::default(); blocks.max(standard)]);
    let result = hash(&mut memory);
    if memory.len() == standard {
        let mut spares = SPARE_MEMORY.lock().unwrap_or_else(PoisonError::into_inner);
        if spares.len() < cpus() {
            spares.push(memory);
        }
    }
    result
}

/// Hashes `password` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_blocking(password: &str) -> Result<String, Error> {
    // A fresh random salt from the operating system each time.
    let salt_bytes: [u8; Salt::RECOMMENDED_LENGTH] = rand::random();
    let salt = Salt::new(&salt_bytes)?;
    let params = params();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, memory)
    })?;
    Ok(PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params)?,
        salt: Some(salt),
        hash: Some(Output::new(&out)?),
    }
    .to_string())
}

/// Whether `candidate` matches `phc`. A malformed stored hash never matches.
pub fn verify_blocking(phc: &str, candidate: &str) -> bool {
    verify(phc, candidate).unwrap_or(false)
}

/// Hashes `candidate` with the stored hash's own algorithm, version, parameters and salt, and
/// compares the outputs in constant time.
fn verify(phc: &str, candidate: &str) -> Result<bool, Error> {
    let stored = PasswordHash::new(phc)?;
    let algorithm = Algorithm::try_from(stored.algorithm.as_str())?;
    let version = stored
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(&stored)?;
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
        return Ok(false);
    };
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(candidate.as_bytes(), &salt, &mut out, memory)
    })?;
    Ok(Output::new(&out)? == expected)
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
        Self {
            permits: Arc::new(Semaphore::new(cpus())),
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
    fn hashes_made_by_the_argon2_crate_itself_verify_whatever_their_parameters() {
        use argon2::PasswordHasher as _;
        for params in [params(), Params::new(8_192, 1, 1, None).unwrap()] {
            let phc = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(b"stored before the buffers")
                .unwrap()
                .to_string();
            assert!(verify_blocking(&phc, "stored before the buffers"), "{phc}");
            assert!(!verify_blocking(&phc, "stored before the bufferz"), "{phc}");
        }
        // Our own hashes verify with the crate's verifier too.
        use argon2::PasswordVerifier as _;
        let ours = hash_blocking("checked by the crate").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            argon2_default()
                .verify_password(b"checked by the crate", &parsed)
                .is_ok()
        );
    }

    fn argon2_default() -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
    }

    #[test]
    fn spare_memory_is_kept_for_at_most_one_hash_per_cpu() {
        let threads: Vec<_> = (0..6)
            .map(|i| std::thread::spawn(move || hash_blocking(&format!("password number {i}"))))
            .collect();
        for thread in threads {
            assert!(thread.join().unwrap().is_ok());
        }
        let spares = SPARE_MEMORY.lock().unwrap();
        // Other tests may be hashing (and so holding a spare) meanwhile: only the bound is exact.
        assert!(spares.len() <= cpus(), "{}", spares.len());
        assert!(spares.iter().all(|m| m.len() == params().block_count()));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        assert_ne!(
            hash_blocking("same password here").unwrap(),
            hash_blocking("same password here").unwrap()
        );
    }
}
