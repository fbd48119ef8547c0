//! Files under `static/`, embedded in the binary so a deployed `repatrack` needs no folder
//! beside it, and served with cache headers. Pages link them with a content hash in the query
//! (`?v=…`), so browsers keep them for a year and still fetch a changed file at once.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

struct StaticFile {
    path: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

const FILES: &[StaticFile] = &[
    StaticFile {
        path: "css/app.css",
        body: include_bytes!("../../static/css/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    StaticFile {
        path: "css/handover.css",
        body: include_bytes!("../../static/css/handover.css"),
        content_type: "text/css; charset=utf-8",
    },
];

/// The first 16 hex digits of each file's SHA-256, in the order of `FILES`.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|f| hex::encode(&Sha256::digest(f.body)[..8]))
        .collect()
});

fn find(path: &str) -> Option<(&'static StaticFile, &'static str)> {
    FILES
        .iter()
        .zip(VERSIONS.iter())
        .find(|(f, _)| f.path == path)
        .map(|(f, v)| (f, v.as_str()))
}

/// The URL a page should use for `path` (relative to `static/`), with its content hash.
pub fn versioned_url(path: &str) -> String {
    match find(path) {
        Some((_, version)) => format!("/static/{path}?v={version}"),
        None => format!("/static/{path}"),
    }
}

/// `GET /static/{path}`.
pub async fn serve(req: HttpRequest, path: web::Path<String>) -> HttpResponse {
    let Some((file, version)) = find(&path) else {
        return crate::error::AppError::NotFound.into_response();
    };
    let etag = format!("\"{version}\"");
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    let versioned = req.query_string() == format!("v={version}");
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response.insert_header((header::CACHE_CONTROL, cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response.insert_header((header::ETAG, value));
    }
    if fresh {
        return response.finish();
    }
    response.content_type(file.content_type).body(file.body)
}
