//! Nothing typed is lost: a POST whose session has ended is answered with the sign-in page, and
//! what it carried travels through the sign-in form (hidden fields; the sign-in form is itself
//! CSRF-protected, so no other site can fill them), to be sent again, once, after signing in.

/// What someone was sending when their session ended: where, and the fields as typed (never the
/// CSRF token or a password), carried through the sign-in form so nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    /// The local path it was sent to.
    pub path: String,
    /// The fields, URL-encoded.
    pub body: String,
}

impl Resume {
    /// The fields a kept submission may carry back: not the session's CSRF token (a new one
    /// is issued), and never a password.
    pub fn from_submission(path: &str, body: &[u8]) -> Option<Self> {
        let path = crate::auth::safe_next(path)?;
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(body)
            .filter(|(k, _)| k != "csrf_token" && !k.contains("password"))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &fields {
            out.append_pair(k, v);
        }
        Some(Self {
            path: path.to_owned(),
            body: out.finish(),
        })
    }

    /// The fields, for hidden inputs and for showing: (name, value).
    pub fn fields(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .filter(|(k, _)| k != "csrf_token" && !k.contains("password"))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

/// Put in a request's extensions when its session cookie named a session that has ended (idle,
/// expired, signed out elsewhere): its POST is kept rather than refused.
#[derive(Debug, Clone, Copy)]
pub struct SessionEnded;

/// Left in a response by the CSRF check: render the sign-in page keeping this submission.
#[derive(Debug, Clone)]
pub struct PendingSignIn(pub Resume);

/// Left in a 403 by the CSRF check when a signed-in person sent a form from an earlier sign-in:
/// show what they typed, to send again with this session's token.
#[derive(Debug, Clone)]
pub struct PendingResend(pub Resume);
