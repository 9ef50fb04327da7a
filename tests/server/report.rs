//! The organisations' weekly report over HTTP (issue 14 point 8, seed 003
//! "Mẫu số 01", "Mẫu số 02", "trước 10 giờ thứ 4 hàng tuần"): uploads of
//! people and teams, the report scoped to one organisation, the summary,
//! CSV and .xlsx downloads read back with an independent reader
//! (`calamine`), the gate; on SQLite and, with
//! `DINHDANH_TEST_POSTGRES_URL`, PostgreSQL.

use crate::app;
use crate::common;
use std::io::Cursor;

use crate::common::*;
use calamine::{Data, Reader, Xlsx};
use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use unicode_normalization::UnicodeNormalization;

on_both!(org_report_end_to_end, report_sqlite, report_postgres);
on_both!(org_gate_and_refused_uploads, gate_sqlite, gate_postgres);

const ORG_A: &str = "KCN-A";
const TOKEN_A: &str = "org-a-token-for-tests-00001";
const ORG_B: &str = "TRUONG-B";
const TOKEN_B: &str = "org-b-token-for-tests-00001";

/// Registry row 3: an app account only (in organisation B).
const ID3: &str = "066307119255";
const PHONE3: &str = "0776328452";
const QR3: &str = "066307119255||Võ Ngọc Hương|24072007|Nữ|Phường Tân Lợi, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk|22022021";
/// Registry row 4: no account.
const ID4: &str = "001194947275";

/// The lines of `seed` (seed 003, where the forms are) after the one that
/// is `form` ("Mẫu số 02"), from the first that starts with "STT\t": `n`
/// of them, split at the tabs.
fn seed_table(seed: &str, form: &str, n: usize) -> Vec<Vec<String>> {
    let lines: Vec<&str> = seed.lines().collect();
    let at = lines.iter().position(|l| l.trim() == form).unwrap();
    let header = at
        + lines[at..]
            .iter()
            .position(|l| l.starts_with("STT\t"))
            .unwrap();
    lines[header..header + n]
        .iter()
        .map(|l| l.split('\t').map(str::to_owned).collect())
        .collect()
}

async fn server(limits: app::Limits, backend: &Backend) -> Server {
    let mut settings = settings_for(limits, backend).await;
    settings.orgs = vec![
        (ORG_A.into(), TOKEN_A.into()),
        (ORG_B.into(), TOKEN_B.into()),
    ];
    start_on(&settings).await
}

impl Server {
    async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    async fn upload(&self, path: &str, token: &str, csv: &str) -> (StatusCode, Value) {
        self.send(
            self.http
                .put(format!("{}{path}", self.base))
                .bearer_auth(token)
                .json(&json!({ "csv": csv })),
        )
        .await
    }

    async fn report_json(&self, token: &str) -> Value {
        let r = self.get_as("/v1/org/report", token).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["cache-control"], "no-store");
        r.json().await.unwrap()
    }
}

/// Citizen 1: registered, level 1 by QR and portrait, approved, activated.
async fn level1_activated(s: &Server) {
    let token = registered(s).await;
    let dossier = json!({ "qr": QR, "portrait_jpeg": portrait_b64() });
    let (st, v) = s.post_bearer("/v1/dossiers", &token, dossier).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    approve(s, ID).await;
    let (st, v) = s
        .post_from(
            "/v1/activations",
            "phone-1",
            json!({ "id_number": ID, "phone": PHONE }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let code = code_of(&s.sms_to(PHONE, 3).await);
    let flow = s.verify(ID, &code).await;
    s.passcode_and_questions(&flow, Some(ID)).await;
}

async fn approve(s: &Server, id: &str) {
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{id}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
}

/// Citizen 3: an app account (registration, OTP, password).
async fn app_account(s: &Server) {
    let body = json!({ "id_number": ID3, "phone": PHONE3, "qr": QR3, "terms_accepted": true });
    let (st, v) = s.post("/v1/registrations", body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let flow = s.verify(ID3, &code_of(&s.sms_to(PHONE3, 1).await)).await;
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "password": PASSWORD, "confirmation": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
}

/// Citizen 2: a level-2 dossier recorded at the office (no app account).
async fn level2_recorded(s: &Server) {
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/level2-dossiers", s.base))
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "qr": QR2, "phone": PHONE2, "office": common::OFFICE })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
}

fn cells(range: &calamine::Range<Data>, row: u32, n: u32) -> Vec<String> {
    (0..n)
        .map(|c| {
            range
                .get_value((row, c))
                .map(|d| match d {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("not a string cell at ({row}, {c}): {other:?}"),
                })
                .unwrap_or_default()
        })
        .collect()
}

async fn org_report_end_to_end(backend: Backend) {
    let Some(seed) = seed_003() else {
        return;
    };
    let s = server(app::Limits::default(), &backend).await;
    level1_activated(&s).await;
    level2_recorded(&s).await;
    app_account(&s).await;

    // A: citizen 1 in capitals without diacritics (as personnel lists
    // are), citizen 2, citizen 4 (no account), citizen 3 under a name that
    // is not hers, and citizen 1 again; the form's STT column ignored
    let people_a = format!(
        "STT,Họ tên,Số CCCD\n1,TRAN NGOC NGOC,{ID}\n2,Phan Mai Hương,{ID2}\n3,Phan Thu Vy,{ID4}\n4,Nguyễn Văn Sai,{ID3}\n5,Trần Ngọc Ngọc,{ID}\n"
    );
    let (st, v) = s.upload("/v1/org/people", TOKEN_A, &people_a).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["people"], 4);
    assert_eq!(v["duplicates"], json!([{ "line": 6, "first_line": 2 }]));
    // B: citizen 3 under her name, as a semicolon CSV with Excel's BOM
    let people_b = format!("\u{feff}id_number;full_name\n{ID3};Võ Ngọc Hương\n");
    let (st, v) = s.upload("/v1/org/people", TOKEN_B, &people_b).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["people"], 1);

    let seed02 = &seed_table(&seed, "Mẫu số 02", 1)[0];
    rows_of_a(&s, seed02).await;
    only_bs_own(&s).await;
    office_level2_approved(&s).await;
    csv_download(&s, seed02).await;
    teams_and_workbook(&s, &seed, seed02).await;
    s.stop().await;
}

/// A's rows: each account's current state, the name matched.
async fn rows_of_a(s: &Server, seed02: &[String]) {
    let a = s.report_json(TOKEN_A).await;
    assert_eq!(a["organisation"], ORG_A);
    // the header as seed 003 writes Mẫu số 02
    assert_eq!(a["columns"], json!(seed02));
    let rows = a["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0],
        json!({ "stt": 1, "full_name": "Trần Ngọc Ngọc", "date_of_birth": "1974-03-07",
            "permanent_residence": "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa",
            "id_number": ID, "phone": PHONE,
            "registration_vi": "Mức 1: Hồ sơ được phê duyệt, đã kích hoạt",
            "level": 1, "activated": true, "dossier_status": "approved" })
    );
    // the level-2 account recorded at the office: the card's name and
    // date, the registry's residence, the phone the officer checked; the
    // dossier's status in seed 003's words ("Đã gửi xử lý hồ sơ")
    assert_eq!(
        rows[1],
        json!({ "stt": 2, "full_name": "Phan Mai Hương", "date_of_birth": "1979-07-16",
            "permanent_residence": "Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội",
            "id_number": ID2, "phone": PHONE2,
            "registration_vi": "Mức 2: Đã gửi xử lý hồ sơ",
            "level": null, "activated": false, "dossier_status": "submitted" })
    );
    // no account, and an account under another name: the same row, the
    // uploaded name, nothing of the account
    for (row, stt, name, id) in [
        (&rows[2], 3, "Phan Thu Vy", ID4),
        (&rows[3], 4, "Nguyễn Văn Sai", ID3),
    ] {
        assert_eq!(
            *row,
            json!({ "stt": stt, "full_name": name, "date_of_birth": null,
                "permanent_residence": "", "id_number": id, "phone": "",
                "registration_vi": "Chưa đăng ký (hoặc họ tên không khớp với Số CCCD)",
                "level": null, "activated": false, "dossier_status": null })
        );
    }
    assert_eq!(
        a["summary"],
        json!({ "people": 4, "registered": 2, "level1": 1, "level2": 0, "activated": 1,
            "activated_level2": 0, "pending": 1, "not_accepted": 0, "app_account_only": 0,
            "not_registered": 2, "activation_rate": 0.25, "level2_activation_rate": 0.0 })
    );
}

/// B sees its one person, and nothing of A's.
async fn only_bs_own(s: &Server) {
    let b = s.report_json(TOKEN_B).await;
    assert_eq!(b["rows"].as_array().unwrap().len(), 1);
    assert_eq!(b["rows"][0]["phone"], PHONE3);
    assert_eq!(
        b["rows"][0]["registration_vi"],
        "Tài khoản chưa được định danh điện tử"
    );
    assert_eq!(b["summary"]["app_account_only"], 1);
    assert_eq!(b["summary"]["activation_rate"], 0.0);
    let text = b.to_string();
    for other in [
        ID,
        ID2,
        ID4,
        PHONE,
        PHONE2,
        "Trần Ngọc Ngọc",
        "Phan Mai Hương",
    ] {
        assert!(!text.contains(other), "{other} in B's report: {text}");
    }
    let (st, v) = s.get_bearer("/v1/org/summary", TOKEN_B).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["summary"], b["summary"]);
    assert!(v.get("rows").is_none());
}

/// The office's level 2 approved: held, not yet activated; the staff's
/// report lists it too.
async fn office_level2_approved(s: &Server) {
    approve(s, ID2).await;
    let a = s.report_json(TOKEN_A).await;
    assert_eq!(
        a["rows"][1]["registration_vi"],
        "Mức 2: Hồ sơ được phê duyệt, chưa kích hoạt"
    );
    assert_eq!(a["summary"]["level2"], 1);
    assert_eq!(a["summary"]["pending"], 0);

    // the staff's report now lists the office's level-2 account too
    let (st, v) = s
        .get_bearer("/v1/admin/report?since=0", OFFICER_TOKEN)
        .await;
    assert_eq!(st, StatusCode::OK);
    let office = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id_number"] == ID2)
        .unwrap_or_else(|| panic!("level-2 account missing: {v}"));
    assert_eq!(office["level"], "level2");
    assert_eq!(office["phone"], PHONE2);
    assert_eq!(
        office["permanent_residence"],
        "Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội"
    );
}

/// Mẫu số 02 as CSV: a byte-order mark, the seed's header, the form's
/// dates; a download, not cached.
async fn csv_download(s: &Server, seed02: &[String]) {
    let r = s.get_as("/v1/org/report?format=csv", TOKEN_A).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"mau-so-02-KCN-A.csv\""
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), seed02);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "1",
            "Trần Ngọc Ngọc",
            "7/3/1974",
            "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa",
            ID,
            PHONE,
            "Mức 1: Hồ sơ được phê duyệt, đã kích hoạt"
        ]
    );
}

/// Mẫu số 01 uploaded with the seed's own rows (tab-separated, the team
/// named on its first member's row), then the workbook read back.
async fn teams_and_workbook(s: &Server, seed: &str, seed02: &[String]) {
    let seed01 = seed_table(seed, "Mẫu số 01", 5);
    let member_rows: Vec<String> = seed01[2..5].iter().map(|r| r.join("\t")).collect();
    let upload = format!(
        "STT\tTên Tổ tuyên truyền\tHọ tên\tChức vụ\tSố điện thoại\tGhi chú\n{}\n",
        member_rows.join("\n")
    );
    let (st, v) = s.upload("/v1/org/teams", TOKEN_A, &upload).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["members"], 3);
    let (st, v) = s.get_bearer("/v1/org/teams", TOKEN_A).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["teams"][0]["team"], "Tổ tuyên truyền xuống 1");
    assert_eq!(v["teams"][0]["members"].as_array().unwrap().len(), 3);
    // B's teams are its own: none uploaded
    let (_, v) = s.get_bearer("/v1/org/teams", TOKEN_B).await;
    assert_eq!(v["teams"], json!([]));

    let r = s.get_as("/v1/org/report?format=xlsx", TOKEN_A).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Mẫu số 02", "Mẫu số 01", "Tổng hợp"]);
    let m02 = wb.worksheet_range("Mẫu số 02").unwrap();
    assert_eq!(cells(&m02, 0, 7)[6], "Mẫu số 02");
    let header = app::report::forms::MAU_02_HEADER_ROW;
    assert_eq!(cells(&m02, header, 7), seed02);
    let first = cells(&m02, header + 1, 7);
    // the ID number a string: its leading zero kept
    assert_eq!(first[4], ID);
    assert_eq!(first[2], "7/3/1974");
    assert_eq!(cells(&m02, header + 4, 7)[1], "Nguyễn Văn Sai");
    // Mẫu số 01: both header rows where the seed's table has them
    let m01 = wb.worksheet_range("Mẫu số 01").unwrap();
    let top = app::report::forms::MAU_01_HEADER_ROW;
    assert_eq!(cells(&m01, top, 6), seed01[0]);
    assert_eq!(cells(&m01, top + 1, 6), seed01[1]);
    for (i, seed_row) in seed01[2..5].iter().enumerate() {
        let row = top + 2 + u32::try_from(i).unwrap();
        assert_eq!(cells(&m01, row, 6), *seed_row, "row {row}");
    }
    let sum = wb.worksheet_range("Tổng hợp").unwrap();
    assert_eq!(sum.get_value((2, 1)), Some(&Data::Float(4.0)));
    let teams_csv = s.get_as("/v1/org/teams?format=csv", TOKEN_A).await;
    let text = teams_csv.text().await.unwrap();
    assert!(
        text.starts_with("\u{feff}STT,Tên Tổ tuyên truyền,Họ tên,Chức vụ,Số điện thoại,Ghi chú\n"),
        "{text}"
    );
}

const OFFICER_ONLY: &str = "officer-only-token-for-tests-01";

async fn org_gate_and_refused_uploads(backend: Backend) {
    let s = server(
        app::Limits {
            officer_failures: 3,
            ..app::Limits::default()
        },
        &backend,
    )
    .await;
    let status = |r: reqwest::Response| r.status();
    // a staff token is no organisation's; an organisation's is no staff's
    assert_eq!(
        status(s.get_as("/v1/org/report", OFFICER_TOKEN).await),
        StatusCode::FORBIDDEN
    );
    for staff_path in ["/v1/admin/report", "/v1/officer/dossiers"] {
        assert_eq!(
            status(s.get_as(staff_path, TOKEN_A).await),
            StatusCode::UNAUTHORIZED,
            "{staff_path}"
        );
    }
    // unknown tokens on the upload: 401, counted with the officer gate's
    // failures (two above), then 429 on both gates
    let (st, _) = s
        .upload("/v1/org/people", "guessed-org-token-000000", "x")
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = s
        .upload("/v1/org/people", "guessed-org-token-000001", "x")
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(
        status(s.get_as("/v1/officer/dossiers", OFFICER_ONLY).await),
        StatusCode::TOO_MANY_REQUESTS
    );
    let r = s
        .http
        .get(format!("{}/v1/org/summary", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // the organisation's own token still passes
    let (st, v) = s
        .upload(
            "/v1/org/people",
            TOKEN_A,
            &format!("id_number,full_name\n{ID},Trần Ngọc Ngọc\n"),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");

    refused_uploads(&s).await;
    openapi_entries(&s).await;
    s.stop().await;
}

/// The seed's own Mẫu số 02 sample, refused by line: its second row's
/// number has 11 digits (02409855123).
async fn seed_sample_refused(s: &Server, seed: &str) {
    let sample: Vec<String> = seed_table(seed, "Mẫu số 02", 4)
        .iter()
        .map(|r| r.join("\t"))
        .collect();
    let (st, v) = s
        .upload("/v1/org/people", TOKEN_A, &sample.join("\n"))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "csv_refused");
    assert_eq!(
        v["error"]["errors"],
        json!([{ "line": 3, "code": "id_number_not_12_digits",
            "vi": "Số CCCD phải gồm đúng 12 chữ số.",
            "en": "the ID number must be exactly 12 digits" }])
    );
}

/// Refused bodies and lines; nothing of a refused upload kept.
async fn refused_uploads(s: &Server) {
    // a body not declared JSON: 415, as everywhere
    let r = s
        .http
        .put(format!("{}/v1/org/people", s.base))
        .bearer_auth(TOKEN_A)
        .header("content-type", "text/csv")
        .body(format!("id_number,full_name\n{ID2},Phan Mai Hương\n"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = s.get_as("/v1/org/report?format=pdf", TOKEN_A).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    if let Some(seed) = seed_003() {
        seed_sample_refused(s, &seed).await;
    }
    let refused = |csv: &'static str| async move {
        let (st, v) = s.upload("/v1/org/people", TOKEN_A, csv).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{csv}: {v}");
        v["error"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["line"].as_u64().unwrap(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    let codes = |v: &[(u64, &str)]| {
        v.iter()
            .map(|(l, c)| (*l, (*c).to_owned()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        refused("full_name\nTrần Ngọc Ngọc\n").await,
        codes(&[(1, "missing_column")])
    );
    assert_eq!(
        refused("id_number,full_name\n038174739054,Trần Ngọc Ngọc\n001179600965,Phan Mai, Hương\n999174739054,Ai Đó\n038174739054,Người Khác\n001179600965,\n")
            .await,
        codes(&[
            (3, "malformed_csv"),
            (4, "id_number_unknown_province"),
            (5, "conflicting_duplicate"),
            (6, "empty_field"),
        ])
    );
    // nothing of a refused upload is kept: the last accepted one stands
    let v = s.report_json(TOKEN_A).await;
    assert_eq!(v["summary"]["people"], 1);
    assert_eq!(v["rows"][0]["id_number"], ID);
    // teams: no team on the first row, a bad phone
    let (st, v) = s
        .upload(
            "/v1/org/teams",
            TOKEN_A,
            "team,full_name,position,phone\n,Nguyễn Văn A,Tổ trưởng,0912345678\nTổ 1,Nguyễn Văn B,Tổ phó,09-12\n",
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let lines: Vec<(u64, &str)> = v["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(2, "empty_field"), (3, "invalid_phone")]);
}

/// The OpenAPI document has the organisation endpoints and their gate.
async fn openapi_entries(s: &Server) {
    let (_, doc) = s.send(s.http.get(format!("{}/openapi.json", s.base))).await;
    for (path, op) in [
        ("/v1/org/people", "put"),
        ("/v1/org/teams", "put"),
        ("/v1/org/teams", "get"),
        ("/v1/org/report", "get"),
        ("/v1/org/summary", "get"),
    ] {
        let responses = &doc["paths"][path][op]["responses"];
        for code in ["200", "401", "403", "429"] {
            assert!(responses.get(code).is_some(), "{path} {op} {code}");
        }
    }
    assert!(
        doc["paths"]["/v1/org/people"]["put"]["responses"]
            .get("415")
            .is_some()
    );
}

#[test]
fn org_tokens_are_one_holders() {
    let staff = app::staff::table(&vec![("CA-01".into(), OFFICER_TOKEN.into())], &Vec::new());
    let a = (ORG_A.to_owned(), TOKEN_A.to_owned());
    assert!(app::org::Orgs::new(std::slice::from_ref(&a), &staff).is_ok());
    // a staff token, or another organisation's, is refused
    assert!(app::org::Orgs::new(&[(ORG_B.into(), OFFICER_TOKEN.into())], &staff).is_err());
    assert!(app::org::Orgs::new(&[a.clone(), (ORG_B.into(), TOKEN_A.into())], &staff).is_err());
    assert_eq!(
        app::org::parse_org("KCN-A.01_x:a-long-org-token-0000").unwrap(),
        ("KCN-A.01_x".to_owned(), "a-long-org-token-0000".to_owned())
    );
    for bad in [
        "KCN A:a-long-org-token-0000",
        "KCN/A:a-long-org-token-0000",
        "KCN-A:short",
        ":a-long-org-token-0000",
    ] {
        assert!(app::org::parse_org(bad).is_err(), "{bad}");
    }
}

/// A valid ID number: a province's code (Hà Nội, Thanh Hóa, Bắc Giang...),
/// then 9 digits.
fn id_number() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["001", "024", "038", "079"]),
        0u64..1_000_000_000,
    )
        .prop_map(|(p, n)| format!("{p}{n:09}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any people written as CSV (names with commas, quotes, diacritics)
    /// read back the same, each ID number once.
    #[test]
    fn people_round_trip(people in prop::collection::vec((id_number(), "[A-Za-zĐđÀ-ỹ ,\"']{1,40}"), 0..30)) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["id_number", "full_name"]).unwrap();
        let mut expected: Vec<(String, String)> = Vec::new();
        for (id, name) in &people {
            w.write_record([id, name]).unwrap();
            let name: String = name.trim().nfc().collect();
            if !name.is_empty() && !expected.iter().any(|(i, _)| i == id) {
                expected.push((id.clone(), name));
            }
        }
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        match app::org::upload::people(&text) {
            Ok(got) => {
                let got: Vec<(String, String)> = got.people.into_iter().map(|p| (p.id_number, p.full_name)).collect();
                prop_assert_eq!(got, expected);
            }
            // refused only for an empty name or one ID under two names
            Err(errors) => prop_assert!(errors.iter().all(|e| {
                let code = serde_json::to_value(e).unwrap()["code"].as_str().unwrap().to_owned();
                code == "empty_field" || code == "conflicting_duplicate"
            }), "{:?}", errors),
        }
    }

    /// Any text: an answer, never a panic.
    #[test]
    fn any_text_is_answered(text in "\\PC{0,300}") {
        let _ = app::org::upload::people(&text);
        let _ = app::org::upload::teams(&text);
    }
}
