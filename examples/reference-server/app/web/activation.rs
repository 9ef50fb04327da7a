//! The web activation (seed 003 §II.2 "Kích hoạt trên trang Web"): the ID
//! number and phone ("Gửi yêu cầu"), the OTP (`citizen.rs`), a password
//! where the account has none, the passcode with 003's hint, two security
//! questions from the catalogue, then "Bạn đã kích hoạt tài khoản định
//! danh điện tử thành công" (the API's notice).

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use eid_credentials::{PASSCODE_HINT_EN, PASSCODE_HINT_VI};
use serde_json::json;

use super::WebState;
use super::api;
use super::citizen::{
    Errors, Seen, Web, answered, done_to_login, flow_step, onward, pending_cookie, without_flow,
};
use super::csrf::CheckedForm;
use super::render::{self, Chrome};
use super::session::{Flow, Pending, Visit};
use super::signin::{Question, answers_body, questions_of};
use crate::app::messages::Lang;

/// The routes of this file.
pub(crate) fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/activate", get(activate_form).post(activate))
        .route("/activate/passcode", get(passcode_form).post(passcode))
        .route("/activate/questions", get(questions_form).post(questions))
}

#[derive(Template)]
#[template(path = "citizen/activate.html")]
struct Activate {
    c: Chrome,
    errors: Errors,
    id_number: String,
    phone: String,
}

/// `GET /activate`.
async fn activate_form(State(web): Web, Extension(visit): Seen) -> Response {
    let page = Activate {
        c: Chrome::of(&visit, &web),
        errors: Errors::default(),
        id_number: String::new(),
        phone: String::new(),
    };
    render::page(StatusCode::OK, &page)
}

/// `POST /activate`: `/v1/activations` (the device is this browser's
/// cookie, `device.rs`), then the OTP page.
async fn activate(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(f): CheckedForm,
) -> Response {
    let id = f.text("id_number");
    let body = json!({ "id_number": id, "phone": f.text("phone") });
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/activations",
        Some(body),
        None,
    )
    .await;
    let expires = a.u64("otp_expires_at").unwrap_or(0);
    match Pending::new(Flow::Activation, id, expires).filter(|_| a.ok()) {
        Some(p) => onward(&a, "/otp", vec![pending_cookie(&web, &p)]),
        None => {
            let page = Activate {
                c: Chrome::of(&visit, &web),
                errors: Errors::of(&a, visit.lang),
                id_number: id.to_owned(),
                phone: f.text("phone").to_owned(),
            };
            answered(&a, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "citizen/passcode.html")]
struct Passcode {
    c: Chrome,
    errors: Errors,
    /// 003's "Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các
    /// chữ số quá dễ đoán" (the library's words).
    hint: &'static str,
}

impl Passcode {
    fn new(visit: &Visit, web: &WebState, errors: Errors) -> Passcode {
        Passcode {
            c: Chrome::of(visit, web),
            errors,
            hint: match visit.lang {
                Lang::Vi => PASSCODE_HINT_VI,
                Lang::En => PASSCODE_HINT_EN,
            },
        }
    }
}

/// `GET /activate/passcode`.
async fn passcode_form(State(web): Web, Extension(visit): Seen) -> Response {
    if let Some(start_again) = without_flow(&visit, &web) {
        return start_again;
    }
    render::page(
        StatusCode::OK,
        &Passcode::new(&visit, &web, Errors::default()),
    )
}

/// `POST /activate/passcode`: `/v1/passcode` with the flow token.
async fn passcode(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(f): CheckedForm,
) -> Response {
    let body = json!({ "passcode": f.raw("passcode"), "confirmation": f.raw("confirmation") });
    let a = match flow_step(&visit, &web, "/v1/passcode", body).await {
        Ok(a) => a,
        Err(start_again) => return start_again,
    };
    if a.ok() {
        return onward(&a, "/activate/questions", Vec::new());
    }
    let page = Passcode::new(&visit, &web, Errors::of(&a, visit.lang));
    answered(&a, &page)
}

#[derive(Template)]
#[template(path = "citizen/questions.html")]
struct Questions {
    c: Chrome,
    errors: Errors,
    /// The catalogue.
    catalogue: Vec<Question>,
}

/// The questions page, the catalogue from the API.
async fn questions_page(visit: &Visit, web: &WebState, errors: Errors) -> Questions {
    let path = "/v1/security-questions/catalogue";
    let catalogue = api::call(web, visit, Method::GET, path, None, None).await;
    Questions {
        c: Chrome::of(visit, web),
        errors,
        catalogue: questions_of(catalogue.body.get("questions"), visit),
    }
}

/// `GET /activate/questions`.
async fn questions_form(State(web): Web, Extension(visit): Seen) -> Response {
    if let Some(start_again) = without_flow(&visit, &web) {
        return start_again;
    }
    let page = questions_page(&visit, &web, Errors::default()).await;
    render::page(StatusCode::OK, &page)
}

/// `POST /activate/questions`: `/v1/security-questions`, the last step;
/// the page says the API's "Bạn đã kích hoạt tài khoản định danh điện tử
/// thành công".
async fn questions(
    State(web): Web,
    Extension(visit): Seen,
    CheckedForm(f): CheckedForm,
) -> Response {
    let a = match flow_step(&visit, &web, "/v1/security-questions", answers_body(&f)).await {
        Ok(a) => a,
        Err(start_again) => return start_again,
    };
    if !a.ok() {
        let page = questions_page(&visit, &web, Errors::of(&a, visit.lang)).await;
        return answered(&a, &page);
    }
    done_to_login(&visit, &web, &a, render::words(visit.lang).activate)
}
