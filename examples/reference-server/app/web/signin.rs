//! The pages of a citizen's own account: the login ("Đăng nhập", by ID
//! number or "Đăng nhập bằng số điện thoại"), the account and its dossier's
//! status (the seeds' status texts, the API's), the logout, and the
//! forgotten password ("Quên mật khẩu": login and phone, the OTP, the two
//! security questions when the account has them, then the password page
//! of `citizen.rs`).

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::api::{self, ApiAnswer};
use super::citizen::{
    Errors, Seen, Web, answered, flow_step, is_id_number, onward, pending_cookie, seconds_until,
};
use super::csrf::{CheckedForm, Fields};
use super::render::{self, Chrome, Says};
use super::session::{Cookie, Flow, Pending, Visit, with_cookies};
use super::{WebState, see_other};
use crate::app::now;

/// The routes of this file.
pub(crate) fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/dossier", get(dossier))
        .route("/forgot", get(forgot_form).post(forgot))
        .route("/forgot/answers", post(answers))
}

#[derive(Template)]
#[template(path = "citizen/login.html")]
struct Login {
    c: Chrome,
    errors: Errors,
    login: String,
}

/// `GET /login`.
async fn login_form(State(web): Web, Extension(visit): Seen) -> Response {
    let page = Login {
        c: Chrome::of(&visit, &web),
        errors: Errors::default(),
        login: String::new(),
    };
    render::page(StatusCode::OK, &page)
}

/// `POST /login`: `/v1/login` with the ID number or the phone number (12
/// digits are an ID number); the session token goes in a cookie.
async fn login(State(web): Web, Extension(visit): Seen, CheckedForm(f): CheckedForm) -> Response {
    let name = f.text("login");
    let key = if is_id_number(name) {
        "id_number"
    } else {
        "phone"
    };
    let body = json!({ key: name, "password": f.raw("password") });
    let a = api::call(&web, &visit, Method::POST, "/v1/login", Some(body), None).await;
    match a.str("token").filter(|_| a.ok()) {
        Some(token) => {
            let secs = seconds_until(a.u64("expires_at").unwrap_or(0));
            let session = web.cookies.set(Cookie::Session, token, secs);
            onward(&a, "/account", vec![session])
        }
        None => {
            let page = Login {
                c: Chrome::of(&visit, &web),
                errors: Errors::of(&a, visit.lang),
                login: name.to_owned(),
            };
            answered(&a, &page)
        }
    }
}

/// `POST /logout`: `/v1/logout`; the session cookie is removed whatever
/// the API says (a session it ended already is ended).
async fn logout(State(web): Web, Extension(visit): Seen, CheckedForm(_): CheckedForm) -> Response {
    if let Some(token) = visit.session.as_deref() {
        let _ = api::call(&web, &visit, Method::POST, "/v1/logout", None, Some(token)).await;
    }
    with_cookies(see_other("/"), &[web.cookies.clear(Cookie::Session)])
}

/// `GET path` with the citizen's session, or the page that asks to log in
/// (and forgets a session the API no longer knows).
async fn signed_in(web: &WebState, visit: &Visit, path: &str) -> Result<ApiAnswer, Response> {
    let Some(token) = visit.session.as_deref() else {
        return Err(render::message_page(
            visit,
            web,
            StatusCode::UNAUTHORIZED,
            Says::SignInFirst,
        ));
    };
    let a = api::call(web, visit, Method::GET, path, None, Some(token)).await;
    if a.status == StatusCode::UNAUTHORIZED {
        let page = render::message_page(visit, web, StatusCode::UNAUTHORIZED, Says::SignInFirst);
        return Err(with_cookies(page, &[web.cookies.clear(Cookie::Session)]));
    }
    Ok(a)
}

#[derive(Template)]
#[template(path = "citizen/account.html")]
struct Account {
    c: Chrome,
    errors: Errors,
    id_number: String,
    full_name: String,
    phone: String,
    level: String,
    activated: bool,
}

/// `GET /account`: `/v1/account`.
async fn account(State(web): Web, Extension(visit): Seen) -> Response {
    let a = match signed_in(&web, &visit, "/v1/account").await {
        Ok(a) => a,
        Err(page) => return page,
    };
    let text = |name: &str| a.str(name).unwrap_or("").to_owned();
    let page = Account {
        c: Chrome::of(&visit, &web),
        errors: if a.ok() {
            Errors::default()
        } else {
            Errors::of(&a, visit.lang)
        },
        id_number: text("id_number"),
        full_name: text("full_name"),
        phone: text("phone"),
        level: text("level"),
        activated: a.body.get("activated").and_then(Value::as_bool) == Some(true),
    };
    answered(&a, &page)
}

#[derive(Template)]
#[template(path = "citizen/dossier.html")]
struct Dossier {
    c: Chrome,
    errors: Errors,
    /// The status's text (003's "Đã gửi xử lý hồ sơ"...), none without a
    /// dossier.
    status: Option<String>,
    /// A rejection's reason.
    reason: Option<String>,
}

/// `GET /dossier`: `/v1/dossiers/current`, its status as the API words it.
async fn dossier(State(web): Web, Extension(visit): Seen) -> Response {
    let a = match signed_in(&web, &visit, "/v1/dossiers/current").await {
        Ok(a) => a,
        Err(page) => return page,
    };
    let status = a.body.get("dossier").and_then(|d| d.get("status"));
    let text = |name: &str| {
        status
            .and_then(|s| s.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (message, reason) = match visit.lang {
        crate::app::messages::Lang::Vi => (text("message_vi"), text("reason_message_vi")),
        crate::app::messages::Lang::En => (text("message_en"), text("reason_message_en")),
    };
    let page = Dossier {
        c: Chrome::of(&visit, &web),
        errors: if a.ok() {
            Errors::default()
        } else {
            Errors::of(&a, visit.lang)
        },
        status: message,
        reason,
    };
    answered(&a, &page)
}

#[derive(Template)]
#[template(path = "citizen/forgot.html")]
struct Forgot {
    c: Chrome,
    errors: Errors,
    login: String,
    phone: String,
}

/// `GET /forgot`.
async fn forgot_form(State(web): Web, Extension(visit): Seen) -> Response {
    let page = Forgot {
        c: Chrome::of(&visit, &web),
        errors: Errors::default(),
        login: String::new(),
        phone: String::new(),
    };
    render::page(StatusCode::OK, &page)
}

/// `POST /forgot`: `/v1/password-resets` (its answer is the same whether
/// or not the details name an account), then the OTP page.
async fn forgot(State(web): Web, Extension(visit): Seen, CheckedForm(f): CheckedForm) -> Response {
    let login = f.text("login");
    let body = json!({ "login": login, "phone": f.text("phone") });
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/password-resets",
        Some(body),
        None,
    )
    .await;
    // The reset's answer has no expiry (it would tell that a code was
    // sent): the countdown shows the OTP's validity from now.
    let expires = now().saturating_add(web.app.policies.otp.validity_secs);
    match Pending::new(Flow::Reset, login, expires).filter(|_| a.ok()) {
        Some(p) => onward(&a, "/otp", vec![pending_cookie(&web, &p)]),
        None => {
            let page = Forgot {
                c: Chrome::of(&visit, &web),
                errors: Errors::of(&a, visit.lang),
                login: login.to_owned(),
                phone: f.text("phone").to_owned(),
            };
            answered(&a, &page)
        }
    }
}

/// A question as the answers page shows it.
#[derive(Debug, Clone)]
pub(crate) struct Question {
    /// Its catalogue id.
    pub(crate) id: String,
    /// Its text in the page's language.
    pub(crate) text: String,
}

/// The questions of a JSON list (`[{id, vi, en}]`), in `visit`'s language.
pub(crate) fn questions_of(list: Option<&Value>, visit: &Visit) -> Vec<Question> {
    let field = match visit.lang {
        crate::app::messages::Lang::Vi => "vi",
        crate::app::messages::Lang::En => "en",
    };
    list.and_then(Value::as_array)
        .map(|qs| {
            qs.iter()
                .filter_map(|q| {
                    let id = q.get("id")?.as_str()?.to_owned();
                    let text = q
                        .get(field)
                        .and_then(Value::as_str)
                        .unwrap_or(&id)
                        .to_owned();
                    Some(Question { id, text })
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "citizen/answers.html")]
struct Answers {
    c: Chrome,
    errors: Errors,
    questions: Vec<Question>,
}

/// The answers page a reset's verified OTP leads to (its answer names the
/// account's two questions, and only it does: the page carries their ids
/// in the form, not in a URL).
pub(crate) async fn answers_after_otp(
    visit: &Visit,
    web: &WebState,
    a: &ApiAnswer,
    cookies: Vec<String>,
) -> Response {
    let page = Answers {
        c: Chrome::of(visit, web),
        errors: Errors::default(),
        questions: questions_of(a.body.get("questions"), visit),
    };
    with_cookies(answered(a, &page), &cookies)
}

/// The `answers` of the API from a form's `question1`/`answer1`,
/// `question2`/`answer2`.
pub(crate) fn answers_body(f: &Fields) -> Value {
    let pair = |n: u8| json!({ "question": f.text(&format!("question{n}")), "answer": f.raw(&format!("answer{n}")) });
    json!({ "answers": [pair(1), pair(2)] })
}

/// `POST /forgot/answers`: `/v1/password-resets/answers`, then the
/// password page.
async fn answers(State(web): Web, Extension(visit): Seen, CheckedForm(f): CheckedForm) -> Response {
    let path = "/v1/password-resets/answers";
    let a = match flow_step(&visit, &web, path, answers_body(&f)).await {
        Ok(a) => a,
        Err(start_again) => return start_again,
    };
    if a.ok() {
        return onward(&a, "/password", Vec::new());
    }
    // The questions again, as the form sent them (their texts from the
    // catalogue).
    let catalogue = api::call(
        &web,
        &visit,
        Method::GET,
        "/v1/security-questions/catalogue",
        None,
        None,
    )
    .await;
    let asked = [f.text("question1"), f.text("question2")];
    let questions = questions_of(catalogue.body.get("questions"), &visit)
        .into_iter()
        .filter(|q| asked.contains(&q.id.as_str()))
        .collect();
    let page = Answers {
        c: Chrome::of(&visit, &web),
        errors: Errors::of(&a, visit.lang),
        questions,
    };
    answered(&a, &page)
}
