//! What the officer console (`officer.rs`) and the enterprise pages
//! (`org.rs`) share: signing in with the token the server was given
//! (`--officer`, `--org`), kept in a cookie (`HttpOnly`,
//! `SameSite=Strict`, never in a URL, as the citizens' session is), the
//! frame of their pages, signing out.
//!
//! The pages hold no rule of their own: a token is good when the API
//! answers it (the sign-in asks a read-only endpoint), so a wrong one is
//! the API's `401`, counted against the client's address by its officer
//! gate (`--limit-officer-failures`, then `429`).

use askama::Template;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::WebState;
use super::api::{self, ApiAnswer};
use super::citizen::{Errors, answered, onward};
use super::csrf::CheckedForm;
use super::render::{self, Chrome};
use super::see_other;
use super::session::{Cookie, Visit, with_cookies};
use super::staff_words::{StaffWords, staff_words};

/// How long a staff cookie lasts: a working day (the token itself lasts
/// as long as the server's configuration).
const STAFF_MAX_AGE: u64 = 12 * 3600;

/// Who signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Staff {
    /// A police officer (`--officer`).
    Officer,
    /// An organisation (`--org`).
    Org,
}

impl Staff {
    fn cookie(self) -> Cookie {
        match self {
            Staff::Officer => Cookie::Officer,
            Staff::Org => Cookie::Org,
        }
    }

    /// The sign-in page.
    pub(crate) fn home(self) -> &'static str {
        match self {
            Staff::Officer => "/officer",
            Staff::Org => "/org",
        }
    }

    /// The first page after signing in.
    fn landing(self) -> &'static str {
        match self {
            Staff::Officer => "/officer/dossiers",
            Staff::Org => "/org/report",
        }
    }

    /// The read-only endpoint that tells whether a token is good.
    fn probe(self) -> &'static str {
        match self {
            Staff::Officer => "/v1/officer/dossiers",
            Staff::Org => "/v1/org/summary",
        }
    }

    /// The browser's token, from its cookie.
    pub(crate) fn token(self, web: &WebState, headers: &HeaderMap) -> Option<String> {
        web.cookies.get(headers, self.cookie())
    }
}

/// The frame of a staff page: the citizens' [`Chrome`], the staff's
/// words, which menu.
#[derive(Debug, Clone)]
pub(crate) struct StaffChrome {
    /// The common frame (language, form token).
    pub(crate) c: Chrome,
    /// The staff pages' words.
    pub(crate) s: &'static StaffWords,
    /// The officer's menu (else the organisation's).
    pub(crate) officer: bool,
    /// Whether the browser holds this staff's token (the menu's sign-out).
    pub(crate) signed_in: bool,
}

impl StaffChrome {
    /// The frame of `visit`'s page for `staff`.
    pub(crate) fn of(visit: &Visit, web: &WebState, staff: Staff, signed_in: bool) -> StaffChrome {
        StaffChrome {
            c: Chrome::of(visit, web),
            s: staff_words(visit.lang),
            officer: staff == Staff::Officer,
            signed_in,
        }
    }
}

#[derive(Template)]
#[template(path = "officer/signin.html")]
struct SignInPage {
    c: Chrome,
    k: StaffChrome,
    title: &'static str,
    label: &'static str,
    action: &'static str,
    errors: Errors,
}

fn sign_in_page(web: &WebState, visit: &Visit, staff: Staff, errors: Errors) -> SignInPage {
    let k = StaffChrome::of(visit, web, staff, false);
    let (title, label, action) = match staff {
        Staff::Officer => (k.s.officer_console, k.s.officer_token, "/officer/signin"),
        Staff::Org => (k.s.org_pages, k.s.org_token, "/org/signin"),
    };
    SignInPage {
        c: k.c.clone(),
        k,
        title,
        label,
        action,
        errors,
    }
}

/// `GET /officer`, `GET /org`: the sign-in form, or the first page when
/// the browser is signed in.
pub(crate) fn sign_in_form(
    web: &WebState,
    visit: &Visit,
    headers: &HeaderMap,
    staff: Staff,
) -> Response {
    if staff.token(web, headers).is_some() {
        return see_other(staff.landing());
    }
    render::page(
        StatusCode::OK,
        &sign_in_page(web, visit, staff, Errors::default()),
    )
}

/// `POST /officer/signin`, `POST /org/signin`: the token is good when the
/// API answers it; then it goes into the cookie.
pub(crate) async fn sign_in(
    web: &WebState,
    visit: &Visit,
    form: &CheckedForm,
    staff: Staff,
) -> Response {
    let token = form.0.text("token");
    let a = api::call(web, visit, Method::GET, staff.probe(), None, Some(token)).await;
    if !a.ok() {
        let page = sign_in_page(web, visit, staff, Errors::of(&a, visit.lang));
        return answered(&a, &page);
    }
    let cookie = web.cookies.set(staff.cookie(), token, STAFF_MAX_AGE);
    onward(
        &ApiAnswer {
            set_cookie: Vec::new(),
            ..a
        },
        staff.landing(),
        vec![cookie],
    )
}

/// `POST /officer/signout`, `POST /org/signout`.
pub(crate) fn sign_out(web: &WebState, staff: Staff) -> Response {
    with_cookies(
        see_other(staff.home()),
        &[web.cookies.clear(staff.cookie())],
    )
}

/// What a staff page does when the API no longer takes the browser's
/// token (`401`: the server was restarted with other tokens): the cookie
/// goes, back to the sign-in.
pub(crate) fn signed_out(web: &WebState, staff: Staff) -> Response {
    sign_out(web, staff)
}

/// `visit`'s token for `staff`, or the response that sends the browser
/// to sign in.
pub(crate) fn required(
    web: &WebState,
    headers: &HeaderMap,
    staff: Staff,
) -> Result<String, Box<Response>> {
    staff
        .token(web, headers)
        .ok_or_else(|| Box::new(see_other(staff.home())))
}

/// A file of the API's (a report's download, a dossier's photo) passed
/// on as it came: status, bytes, `Content-Type`, `Content-Disposition`
/// (the pages' layers add `no-store` and `nosniff`); back to the sign-in
/// when the API no longer takes the token.
pub(crate) async fn pass_on(
    web: &WebState,
    visit: &Visit,
    staff: Staff,
    token: &str,
    path: &str,
) -> Response {
    let a = api::call_raw(web, visit, path, Some(token)).await;
    if a.status == StatusCode::UNAUTHORIZED {
        return signed_out(web, staff);
    }
    let mut r = (a.status, a.bytes).into_response();
    for name in [header::CONTENT_TYPE, header::CONTENT_DISPOSITION] {
        if let Some(v) = a.headers.get(&name) {
            r.headers_mut().insert(name, v.clone());
        }
    }
    r
}
