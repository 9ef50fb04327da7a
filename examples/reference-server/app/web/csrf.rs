//! The forms' CSRF tokens: every form carries one, every POST to a page
//! is refused (`403`, a page saying so) unless it carries the one of its
//! browser.
//!
//! A browser gets a random seed (128 bits from the OS) in a cookie
//! ([`Cookie::Csrf`], `HttpOnly`, `SameSite=Strict`) on its first page; a
//! form's token is an HMAC-SHA-256 of that seed (truncated to 128 bits)
//! under a key derived from the server secret, checked in constant time.
//! So another site's page can neither send the cookie (`SameSite`) nor
//! know the token (it cannot read the cookie, and a cookie it planted, from
//! a sibling subdomain, has no token it could compute without the key).
//! Servers sharing a key file accept each other's tokens.

use std::sync::Arc;

use axum::extract::{Form, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use data_encoding::BASE64URL_NOPAD;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

use super::WebState;
use super::render;
use super::session::{Cookie, Visit};

/// The form field of the token.
pub(crate) const FIELD: &str = "csrf";

/// Random bits of a seed, and the token's length kept.
const SEED_BYTES: usize = 16;
const TOKEN_BYTES: usize = 16;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The tokens of one server key.
pub(crate) struct Csrf {
    key: zeroize::Zeroizing<[u8; 32]>,
}

impl Csrf {
    /// Tokens under `key` (derived from the server secret).
    pub(crate) fn new(key: zeroize::Zeroizing<[u8; 32]>) -> Csrf {
        Csrf { key }
    }

    /// A new browser's seed, the cookie's value.
    pub(crate) fn seed() -> Option<String> {
        let mut seed = [0u8; SEED_BYTES];
        getrandom::fill(&mut seed).ok()?;
        Some(BASE64URL_NOPAD.encode(&seed))
    }

    /// Whether a cookie's value is a seed (its form: any value of that form
    /// is believed, its tokens being the server's to make).
    pub(crate) fn is_seed(value: &str) -> bool {
        BASE64URL_NOPAD
            .decode(value.as_bytes())
            .is_ok_and(|b| b.len() == SEED_BYTES)
    }

    fn mac(&self, seed: &str) -> Option<HmacSha256> {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(self.key.as_slice()).ok()?;
        mac.update(b"dinhdanh web csrf v1");
        mac.update(seed.as_bytes());
        Some(mac)
    }

    /// The token of the forms of the browser holding `seed`.
    pub(crate) fn token(&self, seed: &str) -> String {
        let Some(mac) = self.mac(seed) else {
            return String::new();
        };
        let tag = mac.finalize().into_bytes();
        BASE64URL_NOPAD.encode(tag.get(..TOKEN_BYTES).unwrap_or_default())
    }

    /// Whether `token` is the one of `seed` (constant time).
    pub(crate) fn check(&self, seed: &str, token: &str) -> bool {
        let Ok(tag) = BASE64URL_NOPAD.decode(token.as_bytes()) else {
            return false;
        };
        if tag.len() != TOKEN_BYTES || !Csrf::is_seed(seed) {
            return false;
        }
        self.mac(seed)
            .is_some_and(|m| m.verify_truncated_left(&tag).is_ok())
    }
}

/// A form's fields, in the order sent.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<(String, String)>);

impl Fields {
    /// The field `name` as sent ("" when absent): for secrets, which are
    /// not trimmed.
    pub(crate) fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The field `name`, trimmed.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.raw(name).trim()
    }

    /// Whether a checkbox `name` was ticked.
    pub(crate) fn ticked(&self, name: &str) -> bool {
        !self.raw(name).is_empty()
    }
}

/// The extractor of a POSTed form whose token is its browser's: refuses
/// with a `403` page otherwise (no token, a wrong one, no seed cookie: a
/// seed the visit layer had to make now is no seed the form was made for).
pub(crate) struct CheckedForm(pub(crate) Fields);

impl FromRequest<Arc<WebState>> for CheckedForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &Arc<WebState>) -> Result<Self, Response> {
        let Some(visit) = req.extensions().get::<Visit>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let sent_seed = state.cookies.get(req.headers(), Cookie::Csrf);
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(|e| render::message_page(&visit, state, e.status(), render::Says::BadForm))?;
        let fields = Fields(pairs);
        let good = sent_seed.is_some_and(|seed| state.csrf.check(&seed, fields.raw(FIELD)));
        if !good {
            tracing::warn!(client = %visit.client_text(), "form refused: CSRF token");
            return Err(render::message_page(
                &visit,
                state,
                StatusCode::FORBIDDEN,
                render::Says::CsrfRefused,
            ));
        }
        Ok(CheckedForm(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_its_seeds_under_its_key() {
        let csrf = Csrf::new([7; 32].into());
        let seed = Csrf::seed().unwrap();
        let token = csrf.token(&seed);
        assert!(csrf.check(&seed, &token));
        let other = Csrf::seed().unwrap();
        assert!(!csrf.check(&other, &token));
        assert!(!Csrf::new([8; 32].into()).check(&seed, &token));
        assert!(!csrf.check(&seed, ""));
        assert!(!csrf.check(&seed, &token[..token.len() - 1]));
        assert!(!csrf.check("not-a-seed", &csrf.token("not-a-seed")));
    }
}
