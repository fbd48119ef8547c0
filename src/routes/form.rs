//! `HtmlForm<T>`: a URL-encoded form body, decoded the way browsers send it — a repeated field
//! (checkboxes, multi-selects) becomes a `Vec`, which actix's own `Form` cannot express.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A decoded form body.
pub struct HtmlForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for HtmlForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| AppError::Unprocessable(e.to_string()))?;
            serde_html_form::from_bytes(&body)
                .map(HtmlForm)
                .map_err(|e| AppError::Unprocessable(e.to_string()))
        })
    }
}

/// The record version a form was based on (its hidden `version` field). Missing or unreadable
/// is -1, a version no record ever has, so the save is answered as a conflict (409) with the
/// record as it stands, never applied blindly.
pub fn version_of(raw: &str) -> i32 {
    raw.trim().parse().unwrap_or(-1)
}
