//! The second factor's arithmetic: TOTP secrets and codes (RFC 6238: HMAC-SHA-1, six digits,
//! 30-second steps, one step of skew either way), the enrolment QR code (SVG drawn on the
//! server), and one-time recovery codes.
//!
//! Recovery codes are stored as plain SHA-256, not argon2: each is 16 characters drawn from a
//! 31-letter alphabet by the operating system's generator (about 79 bits), so there is no
//! dictionary to try and a slow hash would add nothing but seconds to every sign-in that uses
//! one; guessing online is held back by the sign-in throttle, and a stolen database does not
//! give the codes back (2^79 hashes per code). A fast hash also lets the database find a code by
//! its hash, so no code is compared in a loop.

use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Seconds per time step.
pub const STEP_SECONDS: i64 = 30;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
/// Digits of a TOTP code.
const DIGITS: u8 = 6;
/// Secret length: 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
/// Recovery codes' letters: no `i`, `l`, `o`, `0` or `1`, which are read one for the other.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters of a recovery code (shown in groups of four).
const RECOVERY_LEN: usize = 16;

/// A new random secret, base32 (as authenticator apps take it typed).
pub fn new_secret() -> String {
    let mut bytes = [0_u8; SECRET_BYTES];
    rand::rng().fill(&mut bytes[..]);
    Secret::from(bytes).to_base32()
}

fn totp(secret: &str) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS.unsigned_abs())
        .with_secret(Secret::try_from_base32(secret).ok()?)
        .build()
        .ok()
}

/// The time step of the instant `unix_seconds`.
pub fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of `secret` for time step `step` (`None` for a malformed secret).
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let seconds = u64::try_from(step.checked_mul(STEP_SECONDS)?).ok()?;
    Some(totp(secret)?.generate(seconds).to_string())
}

/// The time step `code` belongs to, if it is the code of the step of `unix_seconds` or of the one
/// before or after (a clock a little off, a code typed as it changed), and later than `after`
/// (the last step accepted, so no code is accepted twice). The earliest such step is taken.
pub fn matching_step(
    secret: &str,
    code: &str,
    unix_seconds: i64,
    after: Option<i64>,
) -> Option<i64> {
    let now = step_of(unix_seconds);
    (now - 1..=now + 1)
        .filter(|step| after.is_none_or(|last| *step > last))
        .find(|step| {
            code_at(secret, *step)
                .is_some_and(|expected| bool::from(expected.as_bytes().ct_eq(code.as_bytes())))
        })
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_url(secret: &str, issuer: &str, account: &str) -> String {
    let enc = |s: &str| -> String { url::form_urlencoded::byte_serialize(s.as_bytes()).collect() };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        enc(issuer),
    )
}

/// The QR code of `text` as an SVG element (black on white, with its quiet zone), drawn on the
/// server so the page needs no script. `None` if the text is too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// What was typed in the field `code`: a TOTP code or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// Six digits.
    Totp(String),
    /// A recovery code, normalised (lower case, without spaces and dashes).
    Recovery(String),
}

impl Given {
    /// Reads what was typed; `None` if it can be neither (which counts as a wrong code).
    /// Spaces and dashes are ignored and letters may be capitals, as people copy them.
    pub fn parse(input: &str) -> Option<Self> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        if compact.len() == usize::from(DIGITS) && compact.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::Totp(compact));
        }
        (compact.len() == RECOVERY_LEN && compact.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
            .then_some(Self::Recovery(compact))
    }
}

/// Ten new recovery codes, as shown to the person (`abcd-efgh-jkmn-pqrs`).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let raw: Vec<u8> = (0..RECOVERY_LEN)
                .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                .collect();
            raw.chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// What the database keeps of a recovery code: the SHA-256 (hex) of its normalised form.
pub fn recovery_hash(code: &str) -> String {
    let normalised = match Given::parse(code) {
        Some(Given::Recovery(n)) => n,
        _ => code.to_owned(),
    };
    hex::encode(Sha256::digest(normalised.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_6238_test_vector_holds() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s: 94287082 (8
        // digits); the six-digit code is its last six.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        assert_eq!(code_at(&secret, step_of(59)).unwrap(), "287082");
        assert_eq!(code_at(&secret, step_of(1_111_111_109)).unwrap(), "081804");
    }

    #[test]
    fn a_code_matches_its_step_or_a_neighbour_once() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let now = 1_734_512_400; // 2024-12-18 09:00 UTC
        let step = step_of(now);
        let code = code_at(&secret, step).unwrap();
        assert_eq!(matching_step(&secret, &code, now, None), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 30, None), Some(step));
        assert_eq!(matching_step(&secret, &code, now - 30, None), Some(step));
        assert_eq!(matching_step(&secret, &code, now + 60, None), None);
        assert_eq!(
            matching_step(&secret, &code, now, Some(step)),
            None,
            "a step once accepted is not accepted again"
        );
        let previous = code_at(&secret, step - 1).unwrap();
        assert_eq!(
            matching_step(&secret, &previous, now, Some(step - 2)),
            Some(step - 1)
        );
    }

    #[test]
    fn what_is_typed_is_read_as_a_code_or_a_recovery_code() {
        assert_eq!(
            Given::parse(" 123 456 "),
            Some(Given::Totp("123456".into()))
        );
        assert_eq!(
            Given::parse("ABCD-efgh-jkmn-PQRS"),
            Some(Given::Recovery("abcdefghjkmnpqrs".into()))
        );
        assert_eq!(Given::parse("12345"), None);
        assert_eq!(Given::parse("abcd-efgh-jkmn-pqr1"), None);
        assert_eq!(Given::parse(""), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hashed_as_typed_any_way() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 10);
        assert_eq!(codes[0].len(), 19);
        assert!(matches!(Given::parse(&codes[0]), Some(Given::Recovery(_))));
        assert_eq!(
            recovery_hash(&codes[0]),
            recovery_hash(&codes[0].to_uppercase().replace('-', " "))
        );
        assert_ne!(recovery_hash(&codes[0]), codes[0]);
    }

    #[test]
    fn the_qr_code_is_an_svg_and_the_address_names_the_account() {
        let url = otpauth_url("JBSWY3DPEHPK3PXP", "repatrack", "chief");
        assert_eq!(
            url,
            "otpauth://totp/repatrack:chief?secret=JBSWY3DPEHPK3PXP&issuer=repatrack&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&url).unwrap();
        assert!(svg.contains("<svg"));
        assert!(!svg.contains("<script"));
    }
}
