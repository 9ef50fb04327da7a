//! The enterprise pages (seed 003: enterprises and schools file the list
//! of their workers with their registration, Mẫu số 02, every week): sign
//! in with the organisation's token (`staff.rs`), upload the list (a CSV
//! file), read Mẫu số 02 with its summary and activation rate, download
//! it as CSV or .xlsx. Every step is the API's (`/v1/org/...`, through
//! `api.rs`): the CSV is checked there, line by line, and the refused
//! lines come back with their numbers and texts.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use super::WebState;
use super::api;
use super::citizen::{Errors, Seen, Web, answered};
use super::csrf::{CheckedForm, FIELD};
use super::render::{self, Chrome, Says};
use super::session::{Cookie, Visit};
use super::staff::{self, Staff, StaffChrome};
use crate::app::messages::Lang;

/// The largest upload a page takes: the API's own (`router.rs`).
const UPLOAD_BYTES: usize = 16 * 1024 * 1024;

/// The organisation's routes.
pub(crate) fn routes() -> Router<Arc<WebState>> {
    Router::new()
        .route("/org", get(sign_in_form))
        .route("/org/signin", post(sign_in))
        .route("/org/signout", post(sign_out))
        .route("/org/report", get(report))
        .route("/org/report.csv", get(download_csv))
        .route("/org/report.xlsx", get(download_xlsx))
        .route(
            "/org/upload",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_BYTES)),
        )
}

async fn sign_in_form(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    staff::sign_in_form(&web, &visit, &headers, Staff::Org)
}

async fn sign_in(web: Web, visit: Seen, form: CheckedForm) -> Response {
    staff::sign_in(&web, &visit, &form, Staff::Org).await
}

async fn sign_out(web: Web, _form: CheckedForm) -> Response {
    staff::sign_out(&web, Staff::Org)
}

/// A count of the summary and its name.
#[derive(Debug, Clone)]
struct Count {
    name: &'static str,
    value: String,
}

/// A row of Mẫu số 02, as the API's JSON gives it.
#[derive(Debug, Clone)]
struct Row {
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "org/report.html")]
struct ReportPage {
    c: Chrome,
    k: StaffChrome,
    errors: Errors,
    counts: Vec<Count>,
    rates: Vec<Count>,
    columns: Vec<String>,
    rows: Vec<Row>,
}

fn text(v: &Value, name: &str) -> String {
    match v.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A rate of the summary (a fraction of 1) as a percentage.
fn percent(v: &Value, name: &str) -> String {
    v.get(name)
        .and_then(Value::as_f64)
        .map(|r| format!("{:.1} %", r * 100.0))
        .unwrap_or_default()
}

/// The summary's counts (`report/standing.rs`'s `Summary`).
fn counts(summary: &Value, k: &StaffChrome) -> (Vec<Count>, Vec<Count>) {
    let s = k.s;
    let counts = [
        ("people", s.people),
        ("registered", s.registered),
        ("level1", s.level1_count),
        ("level2", s.level2_count),
        ("activated", s.activated),
        ("activated_level2", s.activated_level2),
        ("pending", s.pending),
        ("not_accepted", s.not_accepted),
        ("app_account_only", s.app_only),
        ("not_registered", s.not_registered),
    ]
    .into_iter()
    .map(|(field, name)| Count {
        name,
        value: text(summary, field),
    })
    .collect();
    let rates = [
        ("activation_rate", s.activation_rate),
        ("level2_activation_rate", s.level2_rate),
    ]
    .into_iter()
    .map(|(field, name)| Count {
        name,
        value: percent(summary, field),
    })
    .collect();
    (counts, rates)
}

/// Mẫu số 02's rows in the columns' order (STT, Họ tên, Ngày sinh, HKTT,
/// Số CCCD, Số điện thoại, Đã đăng ký định danh).
fn rows(body: &Value) -> Vec<Row> {
    let fields = [
        "stt",
        "full_name",
        "date_of_birth_vi",
        "permanent_residence",
        "id_number",
        "phone",
        "registration_vi",
    ];
    body.get("rows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| Row {
            cells: fields.iter().map(|f| text(r, f)).collect(),
        })
        .collect()
}

/// `GET /org/report`: Mẫu số 02 with the summary.
async fn report(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    let token = match staff::required(&web, &headers, Staff::Org) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    let a = api::call(
        &web,
        &visit,
        Method::GET,
        "/v1/org/report",
        None,
        Some(&token),
    )
    .await;
    if a.status == StatusCode::UNAUTHORIZED {
        return staff::signed_out(&web, Staff::Org);
    }
    let k = StaffChrome::of(&visit, &web, Staff::Org, true);
    let (counts, rates) = counts(a.body.get("summary").unwrap_or(&Value::Null), &k);
    let errors = if a.ok() {
        Errors::default()
    } else {
        Errors::of(&a, visit.lang)
    };
    let columns = a
        .body
        .get("columns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_owned))
        .collect();
    let page = ReportPage {
        c: k.c.clone(),
        k,
        errors,
        counts,
        rates,
        columns,
        rows: rows(&a.body),
    };
    answered(&a, &page)
}

/// The report as a file (`?format=csv|xlsx`), as the API sends it: its
/// type and its `Content-Disposition` (the file's name) kept.
async fn download(web: &WebState, visit: &Visit, headers: &HeaderMap, format: &str) -> Response {
    let token = match staff::required(web, headers, Staff::Org) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    let path = format!("/v1/org/report?format={format}");
    staff::pass_on(web, visit, Staff::Org, &token, &path).await
}

/// `GET /org/report.csv`.
async fn download_csv(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    download(&web, &visit, &headers, "csv").await
}

/// `GET /org/report.xlsx`.
async fn download_xlsx(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    download(&web, &visit, &headers, "xlsx").await
}

/// A line of the upload the API refused.
#[derive(Debug, Clone)]
struct Refused {
    line: String,
    text: String,
}

#[derive(Template)]
#[template(path = "org/upload.html")]
struct UploadPage {
    c: Chrome,
    k: StaffChrome,
    errors: Errors,
    refused: Vec<Refused>,
    done: Vec<Count>,
}

fn upload_page(
    web: &WebState,
    visit: &Visit,
    errors: Errors,
    refused: Vec<Refused>,
    done: Vec<Count>,
) -> UploadPage {
    let k = StaffChrome::of(visit, web, Staff::Org, true);
    UploadPage {
        c: k.c.clone(),
        k,
        errors,
        refused,
        done,
    }
}

/// `GET /org/upload`.
async fn upload_form(web: Web, visit: Seen, headers: HeaderMap) -> Response {
    if let Err(to_sign_in) = staff::required(&web, &headers, Staff::Org) {
        return *to_sign_in;
    }
    let page = upload_page(&web, &visit, Errors::default(), Vec::new(), Vec::new());
    render::page(StatusCode::OK, &page)
}

/// The refused lines of a `422 csv_refused` (`errors`: line, vi, en).
fn refused_lines(body: &Value, lang: Lang) -> Vec<Refused> {
    let field = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    body.pointer("/error/errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| Refused {
            line: text(e, "line"),
            text: text(e, field),
        })
        .collect()
}

/// `POST /org/upload`: the CSV file (`multipart/form-data`, its form
/// token a field of it) to `PUT /v1/org/people`.
async fn upload(web: Web, visit: Seen, headers: HeaderMap, form: CheckedUpload) -> Response {
    let token = match staff::required(&web, &headers, Staff::Org) {
        Ok(t) => t,
        Err(to_sign_in) => return *to_sign_in,
    };
    let body = json!({ "csv": form.csv });
    let a = api::call(
        &web,
        &visit,
        Method::PUT,
        "/v1/org/people",
        Some(body),
        Some(&token),
    )
    .await;
    if a.status == StatusCode::UNAUTHORIZED {
        return staff::signed_out(&web, Staff::Org);
    }
    let s = super::staff_words::staff_words(visit.lang);
    let page = if a.ok() {
        let done = vec![
            Count {
                name: s.uploaded,
                value: text(&a.body, "people"),
            },
            Count {
                name: s.duplicates,
                value: a
                    .body
                    .get("duplicates")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
                    .to_string(),
            },
        ];
        upload_page(&web, &visit, Errors::default(), Vec::new(), done)
    } else {
        let refused = refused_lines(&a.body, visit.lang);
        upload_page(
            &web,
            &visit,
            Errors::of(&a, visit.lang),
            refused,
            Vec::new(),
        )
    };
    answered(&a, &page)
}

/// The upload form's body (`multipart/form-data`: `csrf`, `file`), its
/// token checked as [`CheckedForm`] checks a plain form's: a `403` page
/// without its browser's.
struct CheckedUpload {
    csv: String,
}

impl FromRequest<Arc<WebState>> for CheckedUpload {
    type Rejection = Response;

    async fn from_request(req: Request, web: &Arc<WebState>) -> Result<Self, Response> {
        let Some(visit) = req.extensions().get::<Visit>().cloned() else {
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        let seed = web.cookies.get(req.headers(), Cookie::Csrf);
        let bad = |status| render::message_page(&visit, web, status, Says::BadForm);
        let mut parts = Multipart::from_request(req, web)
            .await
            .map_err(|e| bad(e.status()))?;
        let (mut token, mut csv) = (String::new(), None);
        while let Some(field) = parts.next_field().await.map_err(|e| bad(e.status()))? {
            match field.name() {
                Some(FIELD) => token = field.text().await.map_err(|e| bad(e.status()))?,
                Some("file") => csv = Some(field.text().await.map_err(|e| bad(e.status()))?),
                _ => {}
            }
        }
        if !seed.is_some_and(|s| web.csrf.check(&s, &token)) {
            tracing::warn!(client = %visit.client_text(), "upload refused: CSRF token");
            return Err(render::message_page(
                &visit,
                web,
                StatusCode::FORBIDDEN,
                Says::CsrfRefused,
            ));
        }
        let csv = csv.ok_or_else(|| bad(StatusCode::UNPROCESSABLE_ENTITY))?;
        Ok(CheckedUpload { csv })
    }
}
