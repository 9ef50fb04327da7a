//! The citizens' pages (seed 003 §I and §II.2): the home page, the
//! registration ("Đăng ký tài khoản": the QR code's payload pasted, or the
//! fields typed; the terms), the OTP step every flow shares (the 3-minute
//! countdown, "Gửi lại mã") and the password step. The login, account and
//! forgotten-password pages are in `signin.rs`, the web activation in
//! `activation.rs`. Each step is the API's (`api.rs`).

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};

use super::api::{self, ApiAnswer};
use super::csrf::{CheckedForm, Fields};
use super::render::{self, Chrome, Link, MessagePage, Says};
use super::session::{Cookie, Flow, Pending, Visit, with_cookies};
use super::{WebState, activation, see_other, signin};
use crate::app::messages::Lang;
use crate::app::now;

pub(crate) type Web = State<Arc<WebState>>;
pub(crate) type Seen = Extension<Visit>;

/// The citizens' routes.
pub(crate) fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/", get(home))
        .route("/register", get(register_form).post(register))
        .route("/otp", get(otp_form).post(otp))
        .route("/otp/resend", axum::routing::post(otp_resend))
        .route("/password", get(password_form).post(password))
        .merge(signin::routes())
        .merge(activation::routes())
}

/// What the API refused, as a form shows it above its fields.
#[derive(Debug, Default, Clone)]
pub(crate) struct Errors {
    /// The messages, in the page's language.
    pub(crate) lines: Vec<String>,
    /// The API's error code (`data-code`).
    pub(crate) code: String,
}

impl Errors {
    /// The refusal of `a`.
    pub(crate) fn of(a: &ApiAnswer, lang: Lang) -> Errors {
        let mut lines = a.messages(lang);
        if lines.is_empty() {
            lines.push(render::words(lang).unavailable.to_owned());
        }
        Errors {
            lines,
            code: a.code().to_owned(),
        }
    }
}

/// `page` with the status of the answer it shows and the cookies it set.
pub(crate) fn answered<T: Template>(a: &ApiAnswer, page: &T) -> Response {
    with_cookies(render::page(a.status, page), &a.set_cookie)
}

/// `303` to `to` after `a` succeeded, with its cookies and `cookies`.
pub(crate) fn onward(a: &ApiAnswer, to: &str, mut cookies: Vec<String>) -> Response {
    cookies.extend(a.set_cookie.iter().cloned());
    with_cookies(see_other(to), &cookies)
}

/// The page that ends a flow: the answer's notices, a link onward.
pub(crate) fn done(
    visit: &Visit,
    web: &WebState,
    a: &ApiAnswer,
    title: &'static str,
    link: Link,
    cookies: Vec<String>,
) -> Response {
    let page = MessagePage {
        c: Chrome::of(visit, web),
        title,
        lines: a.messages(visit.lang),
        code: String::new(),
        link: Some(link),
    };
    with_cookies(answered(a, &page), &cookies)
}

/// [`done`] for the last step of a flow: the flow's cookie goes, the link
/// is to the login.
pub(crate) fn done_to_login(
    visit: &Visit,
    web: &WebState,
    a: &ApiAnswer,
    title: &'static str,
) -> Response {
    let w = render::words(visit.lang);
    let link = Link {
        href: "/login",
        text: w.login,
    };
    done(
        visit,
        web,
        a,
        title,
        link,
        vec![web.cookies.clear(Cookie::Flow)],
    )
}

/// The form of a step after the OTP (password, passcode, questions): the
/// "start again" page when the browser holds no flow.
pub(crate) fn without_flow(visit: &Visit, web: &WebState) -> Option<Response> {
    visit
        .flow_token
        .is_none()
        .then(|| render::message_page(visit, web, StatusCode::CONFLICT, Says::StartAgain))
}

/// A step after the OTP: `POST path` with `body` and the flow's token, or
/// the "start again" page when the browser holds no flow.
pub(crate) async fn flow_step(
    visit: &Visit,
    web: &WebState,
    path: &str,
    body: Value,
) -> Result<ApiAnswer, Response> {
    let Some(token) = visit.flow_token.as_deref() else {
        return Err(render::message_page(
            visit,
            web,
            StatusCode::CONFLICT,
            Says::StartAgain,
        ));
    };
    Ok(api::call(web, visit, Method::POST, path, Some(body), Some(token)).await)
}

/// Seconds from now until `at` (0 once past).
pub(crate) fn seconds_until(at: u64) -> u64 {
    at.saturating_sub(now())
}

/// The cookie of a flow token the answer `a` carries, for as long as the
/// token lives.
pub(crate) fn flow_cookie(web: &WebState, a: &ApiAnswer) -> Option<String> {
    let token = a.str("flow_token")?;
    let expires = a.u64("flow_token_expires_at").unwrap_or(0);
    Some(web.cookies.set(Cookie::Flow, token, seconds_until(expires)))
}

#[derive(Template)]
#[template(path = "citizen/home.html")]
struct Home {
    c: Chrome,
}

/// `GET /`: what a citizen can do.
async fn home(State(web): Web, Extension(visit): Seen) -> Response {
    render::page(
        StatusCode::OK,
        &Home {
            c: Chrome::of(&visit, &web),
        },
    )
}

#[derive(Template)]
#[template(path = "citizen/register.html")]
struct Register {
    c: Chrome,
    errors: Errors,
    id_number: String,
    phone: String,
    qr: String,
    full_name: String,
    date_of_birth: String,
    sex: String,
    residence: String,
    street: String,
}

impl Register {
    /// The form, filled with what was sent (`f`).
    fn new(c: Chrome, errors: Errors, f: &Fields) -> Register {
        let t = |name: &str| f.text(name).to_owned();
        Register {
            c,
            errors,
            id_number: t("id_number"),
            phone: t("phone"),
            qr: t("qr"),
            full_name: t("full_name"),
            date_of_birth: t("date_of_birth"),
            sex: t("sex"),
            residence: t("residence"),
            street: t("street"),
        }
    }
}

/// `GET /register`.
async fn register_form(State(web): Web, Extension(visit): Seen) -> Response {
    let page = Register::new(
        Chrome::of(&visit, &web),
        Errors::default(),
        &Fields::default(),
    );
    render::page(StatusCode::OK, &page)
}

/// A date typed as 003 writes it (`20/10/1994`) in ISO form; an ISO date
/// (a date picker's) as it is.
fn iso_date(typed: &str) -> String {
    let parts: Vec<&str> = typed.split('/').map(str::trim).collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => typed.to_owned(),
    }
}

/// The registration's JSON body of the form: the QR code's payload when
/// one is pasted (a residence typed beside it is the one registered with
/// the police now), the typed fields otherwise.
fn registration_body(f: &Fields) -> Value {
    let optional = |name: &str| Some(f.text(name)).filter(|v| !v.is_empty());
    let mut body = json!({
        "id_number": f.text("id_number"),
        "phone": f.text("phone"),
        "terms_accepted": f.ticked("terms"),
        "street_address": optional("street"),
    });
    if let Some(o) = body.as_object_mut() {
        if let Some(qr) = optional("qr") {
            o.insert("qr".into(), json!(qr));
            o.insert("permanent_residence".into(), json!(optional("residence")));
        } else {
            o.insert(
                "details".into(),
                json!({
                    "full_name": f.text("full_name"),
                    "date_of_birth": iso_date(f.text("date_of_birth")),
                    "sex": f.text("sex"),
                    "permanent_residence": f.text("residence"),
                }),
            );
        }
    }
    body
}

/// `POST /register`: `/v1/registrations`, then the OTP page.
async fn register(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(f): CheckedForm,
) -> Response {
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/registrations",
        Some(registration_body(&f)),
        None,
    )
    .await;
    if a.ok() {
        let expires = a.u64("otp_expires_at").unwrap_or(0);
        if let Some(p) = Pending::new(Flow::Registration, f.text("id_number"), expires) {
            return onward(&a, "/otp", vec![pending_cookie(&web, &p)]);
        }
    }
    let page = Register::new(Chrome::of(&visit, &web), Errors::of(&a, visit.lang), &f);
    answered(&a, &page)
}

/// The cookie of a flow waiting for its OTP: kept a little longer than the
/// OTP (a resend gives a new one; the flow token of the step after the OTP
/// has its own cookie).
pub(crate) fn pending_cookie(web: &WebState, p: &Pending) -> String {
    web.cookies.set(Cookie::Pending, &p.encode(), 30 * 60)
}

#[derive(Template)]
#[template(path = "citizen/otp.html")]
struct Otp {
    c: Chrome,
    errors: Errors,
    /// Seconds left of the code when the page was made.
    seconds_left: u64,
    /// `mm:ss` of it.
    time_left: String,
    /// Whether "Gửi lại mã" is offered (the API resends by ID number).
    can_resend: bool,
}

impl Otp {
    fn new(visit: &Visit, web: &WebState, pending: &Pending, errors: Errors) -> Otp {
        let left = seconds_until(pending.otp_expires_at);
        Otp {
            c: Chrome::of(visit, web),
            errors,
            seconds_left: left,
            time_left: format!("{:02}:{:02}", left / 60, left % 60),
            can_resend: is_id_number(&pending.login),
        }
    }
}

/// Whether a login is an ID number (12 digits) rather than a phone.
pub(crate) fn is_id_number(login: &str) -> bool {
    login.len() == 12 && login.bytes().all(|b| b.is_ascii_digit())
}

/// `GET /otp`: the code of the flow waiting for one.
async fn otp_form(State(web): Web, Extension(visit): Seen) -> Response {
    let Some(pending) = &visit.pending else {
        return render::message_page(&visit, &web, StatusCode::CONFLICT, Says::StartAgain);
    };
    render::page(
        StatusCode::OK,
        &Otp::new(&visit, &web, pending, Errors::default()),
    )
}

/// `POST /otp`: `/v1/otp/verify`; the flow token it gives goes in a
/// cookie, and the flow goes on to its next step.
async fn otp(State(web): Web, Extension(visit): Seen, CheckedForm(f): CheckedForm) -> Response {
    let Some(pending) = &visit.pending else {
        return render::message_page(&visit, &web, StatusCode::CONFLICT, Says::StartAgain);
    };
    let name = if pending.flow == Flow::Reset {
        "login"
    } else {
        "id_number"
    };
    let body = json!({ name: pending.login, "code": f.text("code") });
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/otp/verify",
        Some(body),
        None,
    )
    .await;
    let Some(flow) = a.ok().then(|| flow_cookie(&web, &a)).flatten() else {
        return answered(
            &a,
            &Otp::new(&visit, &web, pending, Errors::of(&a, visit.lang)),
        );
    };
    let cookies = vec![flow, web.cookies.clear(Cookie::Pending)];
    match pending.flow {
        Flow::Activation if a.str("phase") != Some("ActivationPassword") => {
            onward(&a, "/activate/passcode", cookies)
        }
        Flow::Reset if a.body.get("questions").is_some() => {
            signin::answers_after_otp(&visit, &web, &a, cookies).await
        }
        _ => onward(&a, "/password", cookies),
    }
}

/// `POST /otp/resend`: "Gửi lại mã" (`/v1/otp/resend`).
async fn otp_resend(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(_): CheckedForm,
) -> Response {
    let Some(pending) = &visit.pending else {
        return render::message_page(&visit, &web, StatusCode::CONFLICT, Says::StartAgain);
    };
    let body = json!({ "id_number": pending.login });
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/otp/resend",
        Some(body),
        None,
    )
    .await;
    let renewed = a
        .u64("otp_expires_at")
        .and_then(|at| Pending::new(pending.flow, &pending.login, at));
    match renewed {
        Some(p) if a.ok() => onward(&a, "/otp", vec![pending_cookie(&web, &p)]),
        _ => answered(
            &a,
            &Otp::new(&visit, &web, pending, Errors::of(&a, visit.lang)),
        ),
    }
}

#[derive(Template)]
#[template(path = "citizen/password.html")]
struct Password {
    c: Chrome,
    errors: Errors,
}

/// `GET /password`: the password step after an OTP (registration,
/// activation without a password, reset).
async fn password_form(State(web): Web, Extension(visit): Seen) -> Response {
    if let Some(start_again) = without_flow(&visit, &web) {
        return start_again;
    }
    let page = Password {
        c: Chrome::of(&visit, &web),
        errors: Errors::default(),
    };
    render::page(StatusCode::OK, &page)
}

/// `POST /password`: `/v1/password` with the flow token; an activation
/// goes on to its passcode, the other flows end here.
async fn password(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(f): CheckedForm,
) -> Response {
    let body = json!({ "password": f.raw("password"), "confirmation": f.raw("confirmation") });
    let a = match flow_step(&visit, &web, "/v1/password", body).await {
        Ok(a) => a,
        Err(start_again) => return start_again,
    };
    if !a.ok() {
        let page = Password {
            c: Chrome::of(&visit, &web),
            errors: Errors::of(&a, visit.lang),
        };
        return answered(&a, &page);
    }
    if a.str("phase") == Some("ActivationPasscode") {
        return onward(&a, "/activate/passcode", Vec::new());
    }
    done_to_login(&visit, &web, &a, render::words(visit.lang).password_title)
}
