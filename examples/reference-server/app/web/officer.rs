//! The officer console (seed 003 §II.2: officers approve level-1 dossiers
//! by looking at the citizen's portrait against the card): sign in with
//! the officer's token (`staff.rs`); the queue of dossiers waiting, each
//! with its verdict as the API stored it on submission (passive
//! authentication, each check, DG13, the MRZ or the QR code against the
//! registry with every mismatch highlighted, the two photos); approve, or
//! reject with a reason of the account rules' list (its Vietnamese text
//! shown); record a level-2 dossier at the counter; lock and unlock an
//! account. Every action is the API's (`/v1/officer/...`, through
//! `api.rs`); the queue's view of a dossier is in `officer_view.rs`.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use eid_account::{IntegratedDocument, LockReason, RejectionReason};
use serde_json::{Value, json};

use super::WebState;
use super::api::{self, ApiAnswer};
use super::citizen::{Errors, Seen, Web, answered};
use super::csrf::CheckedForm;
use super::officer_view::{Choice, DossierView, dossier_views};
use super::render::{self, Chrome};
use super::session::Visit;
use super::staff::{self, Staff, StaffChrome};
use crate::app::handlers::id_number;
use crate::app::messages::Lang;

/// The officer's routes.
pub(crate) fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/officer", get(sign_in_form))
        .route("/officer/signin", post(sign_in))
        .route("/officer/signout", post(sign_out))
        .route("/officer/dossiers", get(queue))
        .route("/officer/dossiers/{id}/approve", post(approve))
        .route("/officer/dossiers/{id}/reject", post(reject))
        .route("/officer/dossiers/{id}/photos/{kind}", get(photo))
        .route("/officer/level2", get(level2_form).post(level2))
        .route("/officer/accounts", get(accounts_form))
        .route("/officer/accounts/lock", post(lock))
        .route("/officer/accounts/unlock", post(unlock))
}

async fn sign_in_form(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    staff::sign_in_form(&web, &visit, &headers, Staff::Officer)
}

async fn sign_in(web: Web, visit: Seen, form: CheckedForm) -> Response {
    staff::sign_in(&web, &visit, &form, Staff::Officer).await
}

async fn sign_out(web: Web, _form: CheckedForm) -> Response {
    staff::sign_out(&web, Staff::Officer)
}

/// What an action's answer says above the page: the API's refusal, or
/// the dossier's new status (its `message_vi`/`message_en`) or notices.
#[derive(Debug, Default, Clone)]
struct Outcome {
    errors: Errors,
    done: Vec<String>,
}

impl Outcome {
    fn of(a: &ApiAnswer, lang: Lang, subject: &str) -> Outcome {
        if !a.ok() {
            return Outcome {
                errors: Errors::of(a, lang),
                done: Vec::new(),
            };
        }
        let field = match lang {
            Lang::Vi => "message_vi",
            Lang::En => "message_en",
        };
        let status = a
            .body
            .pointer(&format!("/dossier/status/{field}"))
            .and_then(Value::as_str);
        let mut done: Vec<String> = status
            .map(|s| format!("{subject}: {s}"))
            .into_iter()
            .collect();
        done.extend(a.messages(lang));
        if done.is_empty() {
            done.push(subject.to_owned());
        }
        Outcome {
            errors: Errors::default(),
            done,
        }
    }
}

#[derive(Template)]
#[template(path = "officer/queue.html")]
struct QueuePage {
    c: Chrome,
    k: StaffChrome,
    outcome: Outcome,
    dossiers: Vec<DossierView>,
    reasons: Vec<Choice>,
}

/// The rejection reasons of the account rules, each with its text (the
/// one the citizen reads); "another" takes the officer's words.
fn rejection_reasons(lang: Lang) -> Vec<Choice> {
    [
        RejectionReason::PhotoBelowStandard,
        RejectionReason::DataMismatch,
    ]
    .iter()
    .map(|r| Choice::of(r, lang_text(lang, &r.message_vi(), &r.message_en())))
    .collect()
}

fn lang_text(lang: Lang, vi: &str, en: &str) -> String {
    match lang {
        Lang::Vi => vi.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The queue page after `outcome`, or the sign-in when the token is gone.
async fn queue_page(
    web: &WebState,
    visit: &Visit,
    token: &str,
    outcome: Outcome,
    status: StatusCode,
) -> Response {
    let a = api::call(
        web,
        visit,
        Method::GET,
        "/v1/officer/dossiers",
        None,
        Some(token),
    )
    .await;
    if a.status == StatusCode::UNAUTHORIZED {
        return staff::signed_out(web, Staff::Officer);
    }
    let k = StaffChrome::of(visit, web, Staff::Officer, true);
    let mut outcome = outcome;
    if !a.ok() {
        outcome.errors = Errors::of(&a, visit.lang);
    }
    let page = QueuePage {
        c: k.c.clone(),
        dossiers: dossier_views(&a.body, &k, visit.lang),
        reasons: rejection_reasons(visit.lang),
        k,
        outcome,
    };
    render::page(status, &page)
}

/// `GET /officer/dossiers`.
async fn queue(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    match staff::required(&web, &headers, Staff::Officer) {
        Ok(token) => queue_page(&web, &visit, &token, Outcome::default(), StatusCode::OK).await,
        Err(to_sign_in) => *to_sign_in,
    }
}

/// `GET /officer/dossiers/{id}/photos/{kind}`: the pending dossier's
/// `portrait` or DG2 `face`, the API's bytes and type passed on, to the
/// signed-in officer only (the cookie's token goes to the API's officer
/// gate); no-store and nosniff as every page.
async fn photo(
    web: Web,
    visit: Seen,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    let token = match staff::required(&web, &headers, Staff::Officer) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    // The API's validation of the number (12 digits, a province code), so
    // nothing in it can name another endpoint.
    let (Ok(id), Some(kind)) = (id_number(&id), photo_kind(&kind)) else {
        return render::message_page(&visit, &web, StatusCode::NOT_FOUND, render::Says::NotFound);
    };
    let path = format!("/v1/officer/dossiers/{}/photos/{kind}", id.as_str());
    staff::pass_on(&web, &visit, Staff::Officer, &token, &path).await
}

/// A photo's kind from a path, one of the API's two.
fn photo_kind(kind: &str) -> Option<&'static str> {
    ["portrait", "face"].into_iter().find(|k| *k == kind)
}

/// An action on one dossier: the API's `path` with `body`, then the queue.
async fn act(
    web: &WebState,
    visit: &Visit,
    headers: &HeaderMap,
    id: &str,
    action: &str,
    body: Option<Value>,
) -> Response {
    let token = match staff::required(web, headers, Staff::Officer) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    // As the lock form: the API's own refusal of a malformed number.
    let a = match id_number(id) {
        Ok(id) => {
            let path = format!("/v1/officer/dossiers/{}/{action}", id.as_str());
            api::call(web, visit, Method::POST, &path, body, Some(&token)).await
        }
        Err(e) => api::refused(e).await,
    };
    let status = if a.ok() { StatusCode::OK } else { a.status };
    queue_page(web, visit, &token, Outcome::of(&a, visit.lang, id), status).await
}

/// `POST /officer/dossiers/{id}/approve`.
async fn approve(
    web: Web,
    visit: Seen,
    headers: HeaderMap,
    Path(id): Path<String>,
    _form: CheckedForm,
) -> Response {
    act(&web, &visit, &headers, &id, "approve", None).await
}

/// `POST /officer/dossiers/{id}/reject`: `reason` one of the list, or
/// `other` with `other_text`.
async fn reject(
    web: Web,
    visit: Seen,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: CheckedForm,
) -> Response {
    let f = &form.0;
    let reason = match f.text("reason") {
        "other" => json!({ "other": f.text("other_text") }),
        code => json!(code),
    };
    act(
        &web,
        &visit,
        &headers,
        &id,
        "reject",
        Some(json!({ "reason": reason })),
    )
    .await
}

#[derive(Template)]
#[template(path = "officer/level2.html")]
struct Level2Page {
    c: Chrome,
    k: StaffChrome,
    outcome: Outcome,
    documents: Vec<Choice>,
    qr: String,
    phone: String,
    office: String,
}

/// The documents a level-2 record integrates, in the account rules'
/// names (their documentation's Vietnamese).
fn documents(k: &StaffChrome) -> Vec<Choice> {
    [
        (IntegratedDocument::HealthInsurance, k.s.health_insurance),
        (IntegratedDocument::DrivingLicence, k.s.driving_licence),
        (
            IntegratedDocument::VehicleRegistration,
            k.s.vehicle_registration,
        ),
    ]
    .iter()
    .map(|(d, text)| Choice::of(d, (*text).to_owned()))
    .collect()
}

fn level2_page(web: &WebState, visit: &Visit, outcome: Outcome, fields: [String; 3]) -> Level2Page {
    let k = StaffChrome::of(visit, web, Staff::Officer, true);
    let [qr, phone, office] = fields;
    Level2Page {
        c: k.c.clone(),
        documents: documents(&k),
        k,
        outcome,
        qr,
        phone,
        office,
    }
}

/// `GET /officer/level2`.
async fn level2_form(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    if let Err(to_sign_in) = staff::required(&web, &headers, Staff::Officer) {
        return *to_sign_in;
    }
    let page = level2_page(&web, &visit, Outcome::default(), Default::default());
    render::page(StatusCode::OK, &page)
}

/// `POST /officer/level2`: the card's QR code, the phone, the office, the
/// documents ticked.
async fn level2(web: Web, visit: Seen, headers: HeaderMap, form: CheckedForm) -> Response {
    let token = match staff::required(&web, &headers, Staff::Officer) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    let f = &form.0;
    let ticked: Vec<Value> = documents(&StaffChrome::of(&visit, &web, Staff::Officer, true))
        .into_iter()
        .filter(|d| f.ticked(&format!("doc_{}", d.value)))
        .map(|d| json!(d.value))
        .collect();
    let body = json!({
        "qr": f.text("qr"),
        "phone": f.text("phone"),
        "office": f.text("office"),
        "documents": ticked,
    });
    let a = api::call(
        &web,
        &visit,
        Method::POST,
        "/v1/officer/level2-dossiers",
        Some(body),
        Some(&token),
    )
    .await;
    let subject = a.str("id_number").unwrap_or_default().to_owned();
    let outcome = Outcome::of(&a, visit.lang, &subject);
    // Refused: the form again with what was typed; recorded: an empty one.
    let fields = if a.ok() {
        Default::default()
    } else {
        [f.text("qr"), f.text("phone"), f.text("office")].map(str::to_owned)
    };
    answered(&a, &level2_page(&web, &visit, outcome, fields))
}

#[derive(Template)]
#[template(path = "officer/accounts.html")]
struct AccountsPage {
    c: Chrome,
    k: StaffChrome,
    outcome: Outcome,
    reasons: Vec<Choice>,
}

/// The reasons an officer locks for (the account rules' list, with their
/// texts; the holder's own two are the holder's to set).
fn lock_reasons(lang: Lang) -> Vec<Choice> {
    [
        LockReason::CardRevoked,
        LockReason::Death,
        LockReason::TermsViolation,
    ]
    .iter()
    .map(|r| Choice::of(r, lang_text(lang, r.vi(), r.en())))
    .collect()
}

fn accounts_page(web: &WebState, visit: &Visit, outcome: Outcome) -> AccountsPage {
    let k = StaffChrome::of(visit, web, Staff::Officer, true);
    AccountsPage {
        c: k.c.clone(),
        k,
        outcome,
        reasons: lock_reasons(visit.lang),
    }
}

/// `GET /officer/accounts`.
async fn accounts_form(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    if let Err(to_sign_in) = staff::required(&web, &headers, Staff::Officer) {
        return *to_sign_in;
    }
    render::page(
        StatusCode::OK,
        &accounts_page(&web, &visit, Outcome::default()),
    )
}

/// A lock or unlock of the account `id_number` names.
async fn lock_action(
    web: &WebState,
    visit: &Visit,
    headers: &HeaderMap,
    form: &CheckedForm,
    action: &str,
    body: Option<Value>,
) -> Response {
    let token = match staff::required(web, headers, Staff::Officer) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    let id = form.0.text("id_number");
    // The API's own validation of an ID number (`handlers::id_number`),
    // before any path is made of it: a malformed one is its refusal.
    let a = match id_number(id) {
        Ok(id) => {
            let path = format!("/v1/officer/accounts/{}/{action}", id.as_str());
            api::call(web, visit, Method::POST, &path, body, Some(&token)).await
        }
        Err(e) => api::refused(e).await,
    };
    let outcome = Outcome::of(&a, visit.lang, id);
    answered(&a, &accounts_page(web, visit, outcome))
}

/// `POST /officer/accounts/lock`: `id_number`, `reason`.
async fn lock(web: Web, visit: Seen, headers: HeaderMap, form: CheckedForm) -> Response {
    let body = json!({ "reason": form.0.text("reason") });
    lock_action(&web, &visit, &headers, &form, "lock", Some(body)).await
}

/// `POST /officer/accounts/unlock`: `id_number`.
async fn unlock(web: Web, visit: Seen, headers: HeaderMap, form: CheckedForm) -> Response {
    lock_action(&web, &visit, &headers, &form, "unlock", None).await
}
