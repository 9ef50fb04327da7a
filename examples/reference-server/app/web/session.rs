//! What a browser holds between pages, in cookies: the API's bearer
//! tokens (the citizen's session, the flow token an OTP gave), the flow in
//! progress (which flow, its login, when its OTP expires), the CSRF seed
//! (`csrf.rs`) and the chosen language.
//!
//! Every cookie is `HttpOnly` (no script reads a token), `SameSite=Strict`
//! (no other site's page sends one) and `Path=/`; behind TLS
//! (`--behind-tls`) also `Secure` and named with the `__Host-` prefix, as
//! the device cookie is (`device.rs`). Tokens are never put in a URL: a
//! URL is kept in the history, in logs and in `Referer` headers.
//!
//! Nothing here is trusted: a cookie the browser changed only makes the
//! page send other values to the API, which checks them all.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::super::device;
use super::super::messages::Lang;
use super::WebState;
use super::csrf::Csrf;

/// The cookies the pages set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cookie {
    /// The citizen's session token (`/v1/login`).
    Session,
    /// The flow token of a verified OTP (`/v1/otp/verify`).
    Flow,
    /// The flow waiting for its OTP ([`Pending`]).
    Pending,
    /// The browser's CSRF seed (`csrf.rs`).
    Csrf,
    /// The language chosen with `?lang=`.
    Lang,
    /// The officer's token (`--officer`; the console, `officer.rs`).
    Officer,
    /// The organisation's token (`--org`; `org.rs`).
    Org,
}

impl Cookie {
    fn base(self) -> &'static str {
        match self {
            Cookie::Session => "dd_session",
            Cookie::Flow => "dd_flow",
            Cookie::Pending => "dd_pending",
            Cookie::Csrf => "dd_csrf",
            Cookie::Lang => "dd_lang",
            Cookie::Officer => "dd_officer",
            Cookie::Org => "dd_org",
        }
    }
}

/// The cookies' names and attributes of one server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cookies {
    secure: bool,
}

impl Cookies {
    /// `Secure` and `__Host-` when `behind_tls`.
    pub(crate) fn new(behind_tls: bool) -> Cookies {
        Cookies { secure: behind_tls }
    }

    /// The name of `c` on this server.
    pub(crate) fn name(self, c: Cookie) -> String {
        if self.secure {
            format!("__Host-{}", c.base())
        } else {
            c.base().to_owned()
        }
    }

    /// The value of `c` the request carries (the first, should a browser
    /// send the name twice).
    pub(crate) fn get(self, headers: &HeaderMap, c: Cookie) -> Option<String> {
        let name = self.name(c);
        cookie_pairs(headers)
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The `Set-Cookie` of `c` holding `value` for `max_age` seconds.
    pub(crate) fn set(self, c: Cookie, value: &str, max_age: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}",
            self.name(c)
        )
    }

    /// The `Set-Cookie` that removes `c`.
    pub(crate) fn clear(self, c: Cookie) -> String {
        self.set(c, "", 0)
    }
}

/// The `name=value` pairs of a request's `Cookie` headers.
pub(crate) fn cookie_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .map(|(n, v)| (n.trim(), v.trim()))
}

/// Appends `cookies` (`Set-Cookie` values) to `response`.
pub(crate) fn with_cookies(mut response: Response, cookies: &[String]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// The flows that go through the OTP page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// "Đăng ký tài khoản".
    Registration,
    /// "Kích hoạt tài khoản" on the web.
    Activation,
    /// "Quên mật khẩu".
    Reset,
}

impl Flow {
    fn code(self) -> &'static str {
        match self {
            Flow::Registration => "registration",
            Flow::Activation => "activation",
            Flow::Reset => "reset",
        }
    }

    fn parse(s: &str) -> Option<Flow> {
        [Flow::Registration, Flow::Activation, Flow::Reset]
            .into_iter()
            .find(|f| f.code() == s)
    }
}

/// The flow waiting for its OTP: which, the login it was started with (an
/// ID number, or a reset's phone number), when the OTP expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    /// The flow.
    pub(crate) flow: Flow,
    /// Digits, and a `+` for a phone in international form.
    pub(crate) login: String,
    /// Unix seconds; 0 when unknown.
    pub(crate) otp_expires_at: u64,
}

impl Pending {
    /// A pending flow, `None` for a login that is not digits (it goes into
    /// a cookie).
    pub(crate) fn new(flow: Flow, login: &str, otp_expires_at: u64) -> Option<Pending> {
        let login = login.trim();
        let digits = login.strip_prefix('+').unwrap_or(login);
        if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Pending {
            flow,
            login: login.to_owned(),
            otp_expires_at,
        })
    }

    /// The cookie's value: `flow:login:expires`.
    pub(crate) fn encode(&self) -> String {
        format!(
            "{}:{}:{}",
            self.flow.code(),
            self.login,
            self.otp_expires_at
        )
    }

    /// The pending flow of a cookie's value.
    pub(crate) fn decode(value: &str) -> Option<Pending> {
        let mut parts = value.split(':');
        let flow = Flow::parse(parts.next()?)?;
        let login = parts.next()?;
        let expires = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Pending::new(flow, login, expires)
    }
}

/// What the pages know of a request, made once by [`visit`]: its
/// language, the browser's CSRF seed, its client, the tokens and the flow
/// its cookies hold. No `Debug`: it holds tokens, which are never logged.
#[derive(Clone)]
pub(crate) struct Visit {
    /// The pages' language: `?lang=`, else the cookie it set, else
    /// `Accept-Language` (Vietnamese by default).
    pub(crate) lang: Lang,
    /// The CSRF seed of the browser (new when it sent none).
    pub(crate) csrf_seed: String,
    /// The client (after `--trusted-proxy`), carried to the API's limits.
    pub(crate) client: Option<SocketAddr>,
    /// The path, for the language switch's links.
    pub(crate) path: String,
    /// The browser's device cookie (`device.rs`), `name=value`, carried
    /// to the API.
    pub(crate) device_cookie: Option<String>,
    /// The citizen's session token.
    pub(crate) session: Option<String>,
    /// The flow token of a verified OTP.
    pub(crate) flow_token: Option<String>,
    /// The flow waiting for its OTP.
    pub(crate) pending: Option<Pending>,
}

impl Visit {
    /// The client's address as the logs write it.
    pub(crate) fn client_text(&self) -> String {
        self.client.map(|c| c.ip().to_string()).unwrap_or_default()
    }
}

/// The language `?lang=` names in a query.
fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| lang_of(v))
}

/// The language of a code (`vi`, `en`).
pub(crate) fn lang_of(code: &str) -> Option<Lang> {
    match code {
        "vi" => Some(Lang::Vi),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The code of a language.
pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    }
}

/// The pages' layer: puts the request's [`Visit`] in its extensions, and
/// sets the cookies it made (a new CSRF seed, the language `?lang=` chose).
pub(crate) async fn visit(
    State(web): State<Arc<WebState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let cookies = web.cookies;
    let headers = req.headers();
    let chosen = query_lang(req.uri().query());
    let lang = chosen
        .or_else(|| cookies.get(headers, Cookie::Lang).and_then(|c| lang_of(&c)))
        .unwrap_or_else(|| Lang::preferred(headers));
    let sent_seed = cookies
        .get(headers, Cookie::Csrf)
        .filter(|s| Csrf::is_seed(s));
    let (csrf_seed, new_seed) = match sent_seed {
        Some(seed) => (seed, false),
        None => match Csrf::seed() {
            Some(seed) => (seed, true),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let device_names = [device::COOKIE, device::SECURE_COOKIE];
    let visit = Visit {
        lang,
        csrf_seed: csrf_seed.clone(),
        client: req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0),
        path: req.uri().path().to_owned(),
        device_cookie: cookie_pairs(headers)
            .find(|(n, _)| device_names.contains(n))
            .map(|(n, v)| format!("{n}={v}")),
        session: cookies.get(headers, Cookie::Session),
        flow_token: cookies.get(headers, Cookie::Flow),
        pending: cookies
            .get(headers, Cookie::Pending)
            .and_then(|v| Pending::decode(&v)),
    };
    req.extensions_mut().insert(visit);
    let response = next.run(req).await;
    let mut set = Vec::new();
    if new_seed {
        set.push(cookies.set(Cookie::Csrf, &csrf_seed, SEED_MAX_AGE));
    }
    if let Some(lang) = chosen {
        set.push(cookies.set(Cookie::Lang, lang_code(lang), SEED_MAX_AGE));
    }
    with_cookies(response, &set)
}

/// How long a browser keeps its CSRF seed and language: 400 days, the
/// longest browsers keep (RFC 6265bis §5.6.1), as the device cookie.
const SEED_MAX_AGE: u64 = 400 * 86_400;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_round_trips_and_refuses_what_is_not_digits() {
        let p = Pending::new(Flow::Reset, "+84703513109", 1_700_000_180).unwrap();
        assert_eq!(Pending::decode(&p.encode()), Some(p));
        assert_eq!(Pending::new(Flow::Activation, "0703;x=1", 0), None);
        assert_eq!(Pending::decode("activation:038174739054"), None);
        assert_eq!(Pending::decode("other:038174739054:0"), None);
    }

    #[test]
    fn cookies_are_host_only_and_secure_behind_tls() {
        let plain = Cookies::new(false).set(Cookie::Session, "t", 60);
        assert_eq!(
            plain,
            "dd_session=t; Path=/; Max-Age=60; HttpOnly; SameSite=Strict"
        );
        let tls = Cookies::new(true).set(Cookie::Session, "t", 60);
        assert!(tls.starts_with("__Host-dd_session=t; Path=/;"));
        assert!(tls.ends_with("; Secure"));
    }
}
