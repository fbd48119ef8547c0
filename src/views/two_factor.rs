//! One's own second factor.

use askama::Template;
use askama_web::WebTemplate;

use super::Layout;
use crate::domain::FieldErrors;

/// What enrolling shows: the secret as a QR code and as text.
pub struct Enrolment {
    /// The QR code of the `otpauth://` address, an SVG drawn by the `qrcode` crate from the
    /// secret and the user name (modules as paths, no text, no script).
    pub qr_svg: String,
    /// The secret, base32, in groups of four.
    pub secret_groups: String,
}

/// `GET /account/two-factor`, and the page after enrolling (with the recovery codes).
#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor.html")]
pub struct TwoFactorPage {
    /// The frame.
    pub layout: Layout,
    /// The role must have a second factor.
    pub required: bool,
    /// They cannot go anywhere else until they enrol.
    pub must_enrol: bool,
    /// "Set up on …", when enrolled.
    pub enabled_since: Option<String>,
    /// Unused recovery codes, in the user's digits, when enrolled.
    pub codes_left: Option<String>,
    /// The secret to enrol, when not enrolled.
    pub enrolment: Option<Enrolment>,
    /// The message beside `code`.
    pub errors: FieldErrors,
    /// The recovery codes, shown once right after enrolling.
    pub recovery_codes: Vec<String>,
}
