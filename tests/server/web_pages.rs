//! The reference server's staff and citizen pages over plain HTTP, as a
//! browser without JavaScript uses them (issue 16): the officer console
//! (sign-in refusal, the queue, the dossier's two photos and who may see
//! them, approve, reject, a level-2 record, lock and unlock, a malformed ID
//! refused), the enterprise pages (upload, a bad line, the report, its
//! downloads), the web activation and the forgotten password end to end,
//! the 404 and 405 pages and JSON bodies, and the same wrong OTP sent 50
//! times at once through the form. Each case starts its own server (its
//! own database), on SQLite and, with `DINHDANH_TEST_POSTGRES_URL`, on
//! PostgreSQL.
use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::app;
use crate::app::store::Storage;
use crate::common::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

on_both!(officer_sign_in, sign_in_sqlite, sign_in_postgres);
on_both!(photos_side_by_side, photos_sqlite, photos_postgres);
on_both!(
    rejected_with_a_listed_reason,
    reject_sqlite,
    reject_postgres
);
on_both!(jpeg2000_face_downloaded, jp2_sqlite, jp2_postgres);
on_both!(
    level2_recorded_at_the_counter,
    level2_sqlite,
    level2_postgres
);
on_both!(lock_and_unlock_through_the_form, lock_sqlite, lock_postgres);
on_both!(
    malformed_id_refused_before_lookup,
    bad_id_sqlite,
    bad_id_postgres
);
on_both!(enterprise_pages, org_sqlite, org_postgres);
on_both!(
    web_activation_end_to_end,
    activation_sqlite,
    activation_postgres
);
on_both!(
    forgotten_password_end_to_end,
    forgot_sqlite,
    forgot_postgres
);
on_both!(unknown_paths_and_methods, unknown_sqlite, unknown_postgres);
on_both!(
    parallel_guesses_through_the_reset_otp,
    race_sqlite,
    race_postgres
);

const ORG_TOKEN: &str = "org-token-for-page-tests-0001";

/// The JPEG 2000 signature box and file-type box that open a JP2 file
/// (ISO/IEC 15444-1 Annex I.5.1 and I.5.2: `jP  `, then `ftyp` with brand
/// `jp2 `): what a chip's DG2 holds when its face is JPEG 2000. The server
/// stores and serves the bytes as sent; it decodes no JPEG 2000.
const JP2: &[u8] = &[
    0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, // jP
    0x00, 0x00, 0x00, 0x14, 0x66, 0x74, 0x79, 0x70, 0x6A, 0x70, 0x32, 0x20, // ftyp jp2
    0x00, 0x00, 0x00, 0x00, 0x6A, 0x70, 0x32, 0x20, // minor version 0, compatible jp2
];

/// An answer as the browser got it.
struct Got {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Got {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map_or_else(String::new, |v| v.to_str().unwrap().to_owned())
    }

    /// The value of the first `marker"…"` in the page ("" for none).
    fn after(&self, marker: &str) -> String {
        let text = self.text();
        match text.find(marker) {
            Some(at) => {
                let rest = &text[at + marker.len()..];
                rest[..rest.find('"').unwrap()].to_owned()
            }
            None => String::new(),
        }
    }

    fn csrf(&self) -> String {
        let t = self.after("name=\"csrf\" value=\"");
        assert!(!t.is_empty(), "no form token in {}", self.text());
        t
    }

    /// The `data-code` of the page's first refusal.
    fn code(&self) -> String {
        self.after("data-code=\"")
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|_| panic!("not JSON: {}", self.text()))
    }
}

/// A browser: a cookie jar, redirects not followed (each is checked).
struct Visitor {
    base: String,
    http: reqwest::Client,
    jar: Mutex<BTreeMap<String, String>>,
}

impl Visitor {
    fn new(s: &Server) -> Visitor {
        Visitor {
            base: s.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar: Mutex::new(BTreeMap::new()),
        }
    }

    fn cookies(&self) -> String {
        let jar = self.jar.lock().unwrap();
        let pairs: Vec<String> = jar.iter().map(|(n, v)| format!("{n}={v}")).collect();
        pairs.join("; ")
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Got {
        let resp = req.header("cookie", self.cookies()).send().await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        {
            let mut jar = self.jar.lock().unwrap();
            for c in headers.get_all("set-cookie") {
                let c = c.to_str().unwrap();
                let pair = c.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                if value.is_empty() || c.contains("Max-Age=0") {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let bytes = resp.bytes().await.unwrap().to_vec();
        Got {
            status,
            headers,
            bytes,
        }
    }

    async fn get(&self, path: &str) -> Got {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    fn form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::RequestBuilder {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        self.http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.join("&"))
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Got {
        self.send(self.form(path, fields)).await
    }

    /// GETs `page`, then posts `fields` to `action` with its form token.
    async fn submit(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> Got {
        let got = self.get(page).await;
        assert_eq!(got.status, StatusCode::OK, "{page}: {}", got.text());
        let token = got.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Signs in as staff at `home` (`/officer`, `/org`) with `token`.
    async fn sign_in(&self, home: &str, token: &str) -> Got {
        self.submit(home, &format!("{home}/signin"), &[("token", token)])
            .await
    }
}

/// `application/x-www-form-urlencoded` (WHATWG URL §5.2).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `n`-th one-time code (from 1) sent to `phone`.
async fn nth_code(s: &Server, phone: &str, n: usize) -> String {
    for _ in 0..400 {
        let codes: Vec<String> = s
            .sms
            .sent()
            .into_iter()
            .filter(|(to, text)| to == phone && text.contains("(OTP)"))
            .map(|(_, text)| code_of(&text))
            .collect();
        if codes.len() >= n {
            return codes[n - 1].clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("OTP {n} to {phone} never sent");
}

/// Posts the form of `page` (to itself) with `fields`; the answer must
/// be `303 See Other` to `to`.
async fn onward(b: &Visitor, page: &str, fields: &[(&str, &str)], to: &str) {
    let got = b.submit(page, page, fields).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{page}: {}", got.text());
    assert_eq!(got.header("location"), to, "{page}");
}

/// The tour citizen registered (`registered`), her level-1 dossier of
/// `chip` submitted; returns the session and the answer's verdict.
async fn submitted(s: &Server, chip: &ChipFiles) -> (String, Value) {
    let session = registered(s).await;
    let (st, v) = s.post_bearer("/v1/dossiers", &session, chip.body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    (session, v["verdict"].clone())
}

/// An officer's browser, signed in.
async fn officer(s: &Server) -> Visitor {
    let o = Visitor::new(s);
    let got = o.sign_in("/officer", OFFICER_TOKEN).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    assert_eq!(got.header("location"), "/officer/dossiers");
    o
}

/// Whether the store still holds a photo of `id`'s dossiers.
async fn photos_kept(s: &Server, id: &str) -> bool {
    for e in s.state.store.load(id).await.unwrap() {
        for kind in ["portrait", "face"] {
            let p = s.state.store.dossier_photo(id, e.sequence, kind).await;
            if p.unwrap().is_some() {
                return true;
            }
        }
    }
    false
}

fn photo_path(kind: &str) -> String {
    format!("/officer/dossiers/{ID}/photos/{kind}")
}

async fn officer_sign_in(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let o = Visitor::new(&s);
    let got = o.sign_in("/officer", "not-the-officer-token-0000").await;
    assert_eq!(got.status, StatusCode::UNAUTHORIZED, "{}", got.text());
    assert_eq!(got.code(), "unauthorized");
    // no cookie given: the queue sends back to the sign-in
    let got = o.get("/officer/dossiers").await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert_eq!(got.header("location"), "/officer");
    let o = officer(&s).await;
    let got = o.get("/officer/dossiers").await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(
        got.text().contains("Hồ sơ mức 1 chờ duyệt"),
        "{}",
        got.text()
    );
    assert!(got.text().contains("id=\"queue-empty\""));
    s.stop().await;
}

/// The dossier's selfie beside DG2's face, each served to the signed-in
/// officer only, never cached; approved, both deleted.
async fn photos_side_by_side(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let (_, verdict) = submitted(&s, &demo_card()).await;
    assert_eq!(verdict["dg2_face"]["format"], "jpeg", "{verdict}");
    let o = officer(&s).await;
    let queue = o.get("/officer/dossiers").await;
    let page = queue.text();
    assert!(page.contains(&format!("id=\"dossier-{ID}\"")), "{page}");
    for (kind, alt) in [
        ("portrait", "Ảnh chân dung công dân chụp khi nộp hồ sơ"),
        ("face", "Ảnh khuôn mặt đọc từ chip của thẻ (DG2)"),
    ] {
        let img = format!("src=\"{}\" alt=\"{alt}\"", photo_path(kind));
        assert!(page.contains(&img), "{img} in {page}");
    }
    // the CSP lets the page show them, and nothing else
    assert!(
        queue
            .header("content-security-policy")
            .contains("img-src 'self';")
    );
    // the bytes as sent: the test's portrait, the simulator's face
    for (kind, bytes) in [
        ("portrait", PORTRAIT),
        ("face", icao9303_sim::personalise::FACE_JPEG),
    ] {
        let got = o.get(&photo_path(kind)).await;
        assert_eq!(got.status, StatusCode::OK, "{kind}: {}", got.text());
        assert_eq!(got.header("content-type"), "image/jpeg");
        assert_eq!(got.header("cache-control"), "no-store");
        assert_eq!(got.header("x-content-type-options"), "nosniff");
        assert!(got.bytes == bytes, "{kind}: other bytes");
    }
    // no officer cookie: the sign-in, no image; the API without a token: 401
    let stranger = Visitor::new(&s);
    let got = stranger.get(&photo_path("portrait")).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    assert_eq!(got.header("location"), "/officer");
    assert!(got.bytes.is_empty());
    let api = format!("{}/v1/officer/dossiers/{ID}/photos/portrait", s.base);
    let (st, _) = s.send(s.http.get(&api)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    // a kind that is not one
    let got = o.get(&photo_path("dg3")).await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    // approved through the form: the photos are gone
    assert!(photos_kept(&s, ID).await);
    let action = format!("/officer/dossiers/{ID}/approve");
    let got = o.post(&action, &[("csrf", &queue.csrf())]).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert!(got.text().contains(&format!("{ID}: Hồ sơ được phê duyệt")));
    assert!(!photos_kept(&s, ID).await);
    let got = o.get(&photo_path("portrait")).await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    let (st, v) = s.send(s.http.get(&api).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "photo_not_kept");
    s.stop().await;
}

async fn rejected_with_a_listed_reason(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let (session, _) = submitted(&s, &demo_card()).await;
    let o = officer(&s).await;
    let got = o
        .submit(
            "/officer/dossiers",
            &format!("/officer/dossiers/{ID}/reject"),
            &[("reason", "photo_below_standard")],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert!(got.text().contains("Hồ sơ không đạt"), "{}", got.text());
    assert!(!photos_kept(&s, ID).await);
    let (st, v) = s
        .send(
            s.http
                .get(format!("{}/v1/dossiers/current", s.base))
                .bearer_auth(&session),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    // seed 003's words for this reason
    assert_eq!(
        v["dossier"]["status"]["reason_message_vi"],
        "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn."
    );
    s.stop().await;
}

/// The tour citizen's card with a JPEG 2000 face in DG2, signed under the
/// demonstration PKI.
fn jp2_card() -> ChipFiles {
    use icao9303::lds::{DataGroup, Dg2, FileKind};
    let mut rng = icao9303_sim::SimRng::from_seed_u64(icao9303_sim::pki::DEMO_SEED);
    let pki = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    let data = icao9303_sim::Personalisation::cccd_named(ID, "Trần Ngọc Ngọc", "740307", "340307")
        .unwrap()
        .without_face()
        .with_data_group(DataGroup::Dg2, Dg2::encode_19794(JP2, 240, 320))
        .build(&mut rng, &pki)
        .unwrap();
    let file = |k: FileKind| data.file(k).unwrap().to_vec();
    ChipFiles {
        dg1: file(FileKind::Dg(DataGroup::Dg1)),
        dg2: file(FileKind::Dg(DataGroup::Dg2)),
        dg13: file(FileKind::Dg(DataGroup::Dg13)),
        sod: file(FileKind::Sod),
    }
}

/// A JPEG 2000 face: no `<img>` (browsers show none), the page says so and
/// links the file, served as `image/jp2` to download.
async fn jpeg2000_face_downloaded(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let (_, verdict) = submitted(&s, &jp2_card()).await;
    assert_eq!(verdict["dg2_face"]["format"], "jp2", "{verdict}");
    let o = officer(&s).await;
    let page = o.get("/officer/dossiers").await.text();
    assert!(page.contains("data-code=\"jpeg2000\""), "{page}");
    assert!(page.contains("trình duyệt không hiển thị được"), "{page}");
    let link = format!("<a href=\"{}\" download", photo_path("face"));
    assert!(page.contains(&link), "{page}");
    assert!(!page.contains(&format!("<img src=\"{}\"", photo_path("face"))));
    let got = o.get(&photo_path("face")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), "image/jp2");
    assert!(got.header("content-disposition").starts_with("attachment;"));
    assert_eq!(got.header("cache-control"), "no-store");
    assert_eq!(got.header("x-content-type-options"), "nosniff");
    assert!(got.bytes == JP2);
    s.stop().await;
}

async fn level2_recorded_at_the_counter(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let o = officer(&s).await;
    let got = o
        .submit(
            "/officer/level2",
            "/officer/level2",
            &[
                ("qr", QR2),
                ("phone", PHONE2),
                ("office", OFFICE),
                ("doc_health_insurance", "on"),
            ],
        )
        .await;
    // the API's 201 Created, passed on as every form passes its answer's
    assert_eq!(got.status, StatusCode::CREATED, "{}", got.text());
    assert!(got.text().contains("id=\"outcome\""), "{}", got.text());
    assert!(got.text().contains(&format!("{ID2}: Đã gửi xử lý hồ sơ")));
    let (st, v) = s
        .send(
            s.http
                .get(format!("{}/v1/officer/dossiers", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let d = v["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id_number"] == ID2)
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(d["dossier"]["level"], "two", "{d}");
    s.stop().await;
}

async fn login_status(s: &Server) -> StatusCode {
    let body = json!({ "id_number": ID, "password": PASSWORD });
    s.post("/v1/login", body).await.0
}

async fn lock_and_unlock_through_the_form(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    registered(&s).await;
    let o = officer(&s).await;
    let got = o
        .submit(
            "/officer/accounts",
            "/officer/accounts/lock",
            &[("id_number", ID), ("reason", "card_revoked")],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert!(got.text().contains("id=\"outcome\""));
    assert!(login_status(&s).await.is_client_error());
    let got = o
        .submit(
            "/officer/accounts",
            "/officer/accounts/unlock",
            &[("id_number", ID)],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert_eq!(login_status(&s).await, StatusCode::OK);
    s.stop().await;
}

/// `0` is no ID number: the API's validation error (the one its other
/// ID-taking routes give), from the API and from the form.
async fn malformed_id_refused_before_lookup(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let post = |path: &str, body: Value| {
        s.send(
            s.http
                .post(format!("{}{path}", s.base))
                .bearer_auth(OFFICER_TOKEN)
                .json(&body),
        )
    };
    let (st_approve, approve) = post("/v1/officer/dossiers/0/approve", json!({})).await;
    assert_eq!(error(&approve).0, "invalid_field", "{approve}");
    for path in [
        "/v1/officer/accounts/0/lock",
        "/v1/officer/accounts/0/unlock",
    ] {
        let (st, v) = post(path, json!({ "reason": "card_revoked" })).await;
        assert_eq!(st, st_approve, "{path}: {v}");
        assert_eq!(v, approve, "{path}");
    }
    let o = officer(&s).await;
    for (action, fields) in [
        (
            "/officer/accounts/lock",
            vec![("id_number", "0"), ("reason", "card_revoked")],
        ),
        ("/officer/accounts/unlock", vec![("id_number", "0")]),
    ] {
        let got = o.submit("/officer/accounts", action, &fields).await;
        assert_eq!(got.status, st_approve, "{action}");
        assert_eq!(got.code(), "invalid_field", "{action}");
        let vi = approve["error"]["message_vi"].as_str().unwrap();
        assert!(got.text().contains(vi), "{action}: {}", got.text());
    }
    s.stop().await;
}

/// A `multipart/form-data` body of the upload form (RFC 7578): the form
/// token and `csv` as the file.
fn upload_body(token: &str, csv: &str) -> (String, Vec<u8>) {
    let boundary = "----dinhdanh-test-boundary-7MA4YWxkTrZu0gW";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"nguoi-lao-dong.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

async fn upload(s: &Server, v: &Visitor, csv: &str) -> Got {
    let token = v.get("/org/upload").await.csrf();
    let (kind, body) = upload_body(&token, csv);
    let req = v
        .http
        .post(format!("{}/org/upload", s.base))
        .header("content-type", kind)
        .body(body);
    v.send(req).await
}

async fn enterprise_pages(backend: Backend) {
    let mut settings = settings_for(app::Limits::default(), &backend).await;
    settings.orgs = vec![("DN-01".into(), ORG_TOKEN.into())];
    let s = start_on(&settings).await;
    let v = Visitor::new(&s);
    let got = v.sign_in("/org", ORG_TOKEN).await;
    assert_eq!(got.status, StatusCode::SEE_OTHER, "{}", got.text());
    assert_eq!(got.header("location"), "/org/report");
    // a bad ID number on line 3: the upload refused whole, the line named
    let bad = format!("STT,Họ tên,Số CCCD\n1,Trần Ngọc Ngọc,{ID}\n2,Ngô Thu Yến,12345\n");
    let got = upload(&s, &v, &bad).await;
    assert_eq!(
        got.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        got.text()
    );
    assert_eq!(got.code(), "csv_refused");
    assert!(
        got.text().contains("<tr class=\"mismatch\"><td>3</td>"),
        "{}",
        got.text()
    );
    // the tour citizen registered, the other not
    registered(&s).await;
    let good = format!("STT,Họ tên,Số CCCD\n1,Trần Ngọc Ngọc,{ID}\n2,Phan Mai Hương,{ID2}\n");
    let got = upload(&s, &v, &good).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert!(got.text().contains("id=\"outcome\""));
    let report = v.get("/org/report").await;
    assert_eq!(report.status, StatusCode::OK);
    let text = report.text();
    assert!(text.contains("id=\"mau-02\""), "{text}");
    assert!(text.contains(ID) && text.contains(ID2), "{text}");
    // seed 003's Mẫu số 02 columns
    for column in ["STT", "Họ tên", "Số CCCD", "Đã đăng ký định danh"] {
        assert!(text.contains(&format!(">{column}</th>")), "{column}");
    }
    let csv = v.get("/org/report.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.header("content-type").starts_with("text/csv"),
        "{:?}",
        csv.headers
    );
    let d = csv.header("content-disposition");
    assert!(d.starts_with("attachment;") && d.contains(".csv"), "{d}");
    // UTF-8 with a byte-order mark, as Excel reads it
    assert!(csv.bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(csv.text().contains(ID2));
    let xlsx = v.get("/org/report.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    // ECMA-376's media type; an .xlsx is a ZIP file (PK\x03\x04)
    assert_eq!(
        xlsx.header("content-type"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let d = xlsx.header("content-disposition");
    assert!(d.starts_with("attachment;") && d.contains(".xlsx"), "{d}");
    assert!(xlsx.bytes.starts_with(b"PK\x03\x04"));
    // without the organisation's cookie: the sign-in
    let got = Visitor::new(&s).get("/org/report.csv").await;
    assert_eq!(got.status, StatusCode::SEE_OTHER);
    s.stop().await;
}

/// The approved tour citizen activates on the web: ID and phone, the OTP,
/// the passcode, two questions of the catalogue, seed 003's last words.
async fn web_activation_end_to_end(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    submitted(&s, &demo_card()).await;
    let approve = format!("/v1/officer/dossiers/{ID}/approve");
    let (st, v) = s.post_bearer(&approve, OFFICER_TOKEN, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let b = Visitor::new(&s);
    let who = [("id_number", ID), ("phone", PHONE)];
    onward(&b, "/activate", &who, "/otp").await;
    let code = nth_code(&s, PHONE, 2).await;
    onward(&b, "/otp", &[("code", &code)], "/activate/passcode").await;
    let passcode = [("passcode", "285174"), ("confirmation", "285174")];
    onward(&b, "/activate/passcode", &passcode, "/activate/questions").await;
    let (_, catalogue) = s
        .send(
            s.http
                .get(format!("{}/v1/security-questions/catalogue", s.base)),
        )
        .await;
    let q = |n: usize| catalogue["questions"][n]["id"].as_str().unwrap().to_owned();
    let (q1, q2) = (q(0), q(1));
    let got = b
        .submit(
            "/activate/questions",
            "/activate/questions",
            &[
                ("question1", &q1),
                ("answer1", "Nguyễn Văn Bình"),
                ("question2", &q2),
                ("answer2", "Trường Kim Đồng"),
            ],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    assert!(
        got.text()
            .contains("Bạn đã kích hoạt tài khoản định danh điện tử thành công"),
        "{}",
        got.text()
    );
    s.stop().await;
}

/// A registered citizen forgets her password: ID and phone, the OTP, a
/// new password, which the API then takes.
async fn forgotten_password_end_to_end(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    registered(&s).await;
    let b = Visitor::new(&s);
    onward(&b, "/forgot", &[("login", ID), ("phone", PHONE)], "/otp").await;
    let code = nth_code(&s, PHONE, 2).await;
    onward(&b, "/otp", &[("code", &code)], "/password").await;
    let got = b
        .submit(
            "/password",
            "/password",
            &[("password", PASSWORD2), ("confirmation", PASSWORD2)],
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text());
    let login = |password: &str| json!({ "id_number": ID, "password": password });
    assert_eq!(
        s.post("/v1/login", login(PASSWORD2)).await.0,
        StatusCode::OK
    );
    assert!(
        s.post("/v1/login", login(PASSWORD))
            .await
            .0
            .is_client_error()
    );
    s.stop().await;
}

async fn unknown_paths_and_methods(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let b = Visitor::new(&s);
    // a page path: the 404 page in the site's layout, Vietnamese first
    let got = b.get("/khong-co-trang-nay").await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    assert!(got.header("content-type").starts_with("text/html"));
    assert!(!got.header("content-security-policy").is_empty());
    assert!(got.text().contains("<html lang=\"vi\""), "{}", got.text());
    assert!(got.text().contains("Không tìm thấy trang bạn yêu cầu."));
    let got = b.get("/khong-co-trang-nay?lang=en").await;
    assert_eq!(got.status, StatusCode::NOT_FOUND);
    assert!(got.text().contains("<html lang=\"en\""));
    assert!(got.text().contains("The page you asked for was not found."));
    // a page's path, another method: the 405 page, with Allow
    let got = b
        .send(b.http.delete(format!("{}/login?lang=vi", s.base)))
        .await;
    assert_eq!(got.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        got.text()
            .contains("Trang này không hỗ trợ thao tác được yêu cầu.")
    );
    assert!(got.header("allow").contains("GET"), "{:?}", got.headers);
    // the API's: its JSON error, both languages
    for (method, path, status, code) in [
        ("GET", "/v1/khong-co", StatusCode::NOT_FOUND, "not_found"),
        ("GET", "/v1", StatusCode::NOT_FOUND, "not_found"),
        (
            "GET",
            "/v1/login",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "DELETE",
            "/v1/account",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let got = b.send(b.http.request(m, format!("{}{path}", s.base))).await;
        assert_eq!(got.status, status, "{method} {path}");
        assert!(got.header("content-type").starts_with("application/json"));
        let v = got.json();
        assert_eq!(v["error"]["code"], code, "{v}");
        assert!(
            v["error"]["message_vi"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(
            v["error"]["message_en"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(!got.header("allow").is_empty(), "{method} {path}");
        }
    }
    s.stop().await;
}

const GUESSES: usize = 50;

/// The same wrong code 50 times at once through the password reset's OTP
/// form: as many judged as the API's rule allows (5 tries, then
/// `otp_exhausted`, as `http.rs` finds on the API itself).
async fn parallel_guesses_through_the_reset_otp(backend: Backend) {
    let limits = app::Limits {
        otp_checks: 1000,
        otp_sends: 1000,
        ..app::Limits::default()
    };
    let s = start(limits, &backend).await;
    registered(&s).await;
    let b = Visitor::new(&s);
    onward(&b, "/forgot", &[("login", ID), ("phone", PHONE)], "/otp").await;
    let code = nth_code(&s, PHONE, 2).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let token = b.get("/otp").await.csrf();
    let cookies = b.cookies();
    let tasks: Vec<_> = (0..GUESSES)
        .map(|_| {
            let req = b
                .form("/otp", &[("csrf", &token), ("code", wrong)])
                .header("cookie", cookies.clone());
            tokio::spawn(async move {
                let resp = req.send().await.unwrap();
                resp.text().await.unwrap()
            })
        })
        .collect();
    let mut tally = BTreeMap::new();
    for t in tasks {
        let got = Got {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            bytes: t.await.unwrap().into_bytes(),
        };
        *tally.entry(got.code()).or_insert(0usize) += 1;
    }
    assert_eq!(tally.get("wrong_otp"), Some(&5), "{tally:?}");
    assert_eq!(
        tally.get("otp_exhausted"),
        Some(&(GUESSES - 5)),
        "{tally:?}"
    );
    let got = b.post("/otp", &[("csrf", &token), ("code", &code)]).await;
    assert_eq!(got.code(), "otp_exhausted", "{}", got.text());
    s.stop().await;
}
