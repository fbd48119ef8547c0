//! `GET /account/two-factor` and `POST /account/two-factor`: one's own second factor. The page
//! shows a new secret as a QR code (SVG drawn on the server) and as base32 text; the first code
//! typed from the app confirms it, and the ten recovery codes are shown once. The secret waits
//! in the session, on the server, between the two: the browser never sends it back.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::audit::RequestActor;
use crate::auth::{EnrollingUser, Identity, second_factor};
use crate::db;
use crate::domain::FieldErrors;
use crate::domain::policy;
use crate::error::{AppError, AppResult};
use crate::i18n::Arg;
use crate::services::{Refused, two_factor};
use crate::state::AppState;
use crate::views::layout::{Layout, Section};
use crate::views::two_factor::{Enrolment, TwoFactorPage};

/// The issuer an authenticator app shows beside the account.
const ISSUER: &str = "repatrack";

/// The page for `who`: their factor's state, or an enrolment with the session's secret (made
/// now if the session has none, so reloading the page does not change the QR code).
async fn page(state: &AppState, who: &Identity, errors: FieldErrors) -> AppResult<TwoFactorPage> {
    let (user, session) = (who.user_id, who.session_id);
    let (totp, left, secret) = state
        .db(move |conn| {
            let Some(totp) = db::two_factor::find(conn, user)? else {
                let secret = match db::two_factor::enrolling_secret(conn, session)? {
                    Some(secret) => secret,
                    None => {
                        let secret = second_factor::new_secret();
                        db::two_factor::set_enrolling_secret(conn, session, Some(&secret))?;
                        secret
                    }
                };
                return Ok((None, 0, Some(secret)));
            };
            let left = db::two_factor::recovery_codes_left(conn, user)?;
            Ok((Some(totp), left, None))
        })
        .await?;
    let layout = Layout::for_user(who, Section::Account);
    let tr = layout.tr;
    let enabled_since = totp.map(|t| {
        tr.ta(
            "two-factor-enabled-since",
            &[("since", Arg::Text(tr.datetime_utc(t.enabled_at)))],
        )
    });
    let enrolment = match secret {
        Some(secret) => {
            let url = second_factor::otpauth_url(&secret, ISSUER, &who.username);
            let qr_svg = second_factor::qr_svg(&url)
                .ok_or_else(|| AppError::internal("drawing the QR code", "too long"))?;
            Some(Enrolment {
                qr_svg,
                secret_groups: group(&secret),
            })
        }
        None => None,
    };
    Ok(TwoFactorPage {
        required: policy::second_factor_required(who.role),
        must_enrol: who.must_enrol,
        codes_left: enabled_since.as_ref().map(|_| tr.num(left)),
        enabled_since,
        enrolment,
        errors,
        recovery_codes: Vec::new(),
        layout,
    })
}

/// The secret in groups of four, as it is easiest to type.
fn group(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `GET /account/two-factor`.
pub async fn show(
    state: web::Data<AppState>,
    EnrollingUser(who): EnrollingUser,
) -> AppResult<TwoFactorPage> {
    page(&state, &who, FieldErrors::new()).await
}

/// The enrolment form.
#[derive(Deserialize)]
pub struct EnrolInput {
    #[serde(default)]
    code: String,
}

/// `POST /account/two-factor`: a right first code enables the factor and the page shows the
/// recovery codes, once (200); a wrong one re-shows the same QR code with the message beside
/// the field (422).
pub async fn enable(
    state: web::Data<AppState>,
    EnrollingUser(who): EnrollingUser,
    RequestActor(actor): RequestActor,
    web::Form(input): web::Form<EnrolInput>,
) -> AppResult<HttpResponse> {
    let (user, session, now) = (who.user_id, who.session_id, state.clock.now());
    let enabled = state
        .db(move |conn| {
            let Some(secret) = db::two_factor::enrolling_secret(conn, session)? else {
                // No secret was shown to this session (or it was enabled meanwhile).
                return Ok(Err(Refused::field(two_factor::wrong_code())));
            };
            Ok(two_factor::enable(
                conn,
                &actor,
                now,
                (user, Some(session)),
                &secret,
                &input.code,
            ))
        })
        .await?;
    match enabled {
        Ok(codes) => {
            let mut page = page(&state, &who, FieldErrors::new()).await?;
            page.must_enrol = false;
            page.recovery_codes = codes;
            Ok(crate::views::render(&page, StatusCode::OK))
        }
        Err(Refused::Invalid(errors)) => {
            let page = page(&state, &who, errors).await?;
            Ok(crate::views::render(
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
