//! The reference server's answers as a person reads them (issue 14, point
//! 2): every message in Vietnamese and English (and in the language
//! `Accept-Language` prefers), the seeds' words for the dossier status, a
//! rejection and the passcode hint, every time as RFC 3339 beside its Unix
//! seconds; a password reset's questions; and a browser's own device
//! (point 7): the device cookie.

use crate::app;
use crate::app::messages::{Lang, decorate, rfc3339};
use crate::common::*;
use eid_account::{AccountError, DossierStatus, RejectionReason};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

on_both!(messages_and_times, messages_sqlite, messages_postgres);
on_both!(
    reset_names_questions_only_when_set,
    reset_questions_sqlite,
    reset_questions_postgres
);
on_both!(
    each_browser_is_its_own_device,
    web_devices_sqlite,
    web_devices_postgres
);
on_both!(
    behind_tls_the_cookie_is_secure,
    secure_cookie_sqlite,
    secure_cookie_postgres
);

/// Asserts that seed 003 (the VNeID guide; on single spaces, since the
/// seed breaks lines inside sentences) has `phrase`; where the seed is
/// absent ([`shared`]) that is said and nothing checked.
fn assert_in_seed_003(phrase: &str) {
    if let Some(seed) = seed_003() {
        let words = seed.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(phrase), "not in seed 003: {phrase}");
    }
}

/// The expected values are GNU date's: `date -u -d @SECONDS +%FT%TZ`.
#[test]
fn rfc3339_is_what_date_prints() {
    for (secs, date) in [
        (1_796_181_935, "2026-12-02T03:25:35Z"),
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (4_102_444_799, "2099-12-31T23:59:59Z"),
        (1_654_182_849, "2022-06-02T15:14:09Z"),
    ] {
        assert_eq!(rfc3339(secs).as_deref(), Some(date), "{secs}");
    }
    // past the year 9999 RFC 3339 has no form: no sibling rather than a lie
    assert_eq!(rfc3339(u64::MAX), None);
    assert_eq!(rfc3339(253_402_300_800), None);
}

#[test]
fn decorate_adds_the_siblings_everywhere() {
    let mut v = json!({
        "dossier": { "submitted_at": 1_796_181_935_u64, "updated_at": 0,
            "status": { "status": "submitted", "message_vi": "Đã gửi xử lý hồ sơ", "message_en": "Dossier submitted" } },
        "lock": { "at": 951_782_400 },
        "list": [ { "expires_at": 4_102_444_799_u64 } ],
        "seconds_left": 30,
        "not_a_time_at": "text",
        "kept_at": 0, "kept_at_rfc3339": "as sent",
        "schema": { "message_vi": { "type": "string" }, "message_en": { "type": "string" } },
    });
    decorate(&mut v, Lang::En);
    assert_eq!(v["dossier"]["submitted_at_rfc3339"], "2026-12-02T03:25:35Z");
    assert_eq!(v["dossier"]["updated_at_rfc3339"], "1970-01-01T00:00:00Z");
    assert_eq!(v["lock"]["at_rfc3339"], "2000-02-29T00:00:00Z");
    assert_eq!(v["list"][0]["expires_at_rfc3339"], "2099-12-31T23:59:59Z");
    assert_eq!(v["dossier"]["status"]["message"], "Dossier submitted");
    assert!(v.get("seconds_left_rfc3339").is_none());
    assert!(v.get("not_a_time_at_rfc3339").is_none());
    assert_eq!(v["kept_at_rfc3339"], "as sent");
    // a schema's properties named message_vi/en are no messages
    assert!(v["schema"].get("message").is_none());
    decorate(&mut v["dossier"], Lang::Vi);
    assert_eq!(v["dossier"]["status"]["message"], "Dossier submitted");
}

#[test]
fn accept_language_picks_vietnamese_unless_english_is_preferred() {
    let lang = |h: Option<&str>| {
        let mut headers = axum::http::HeaderMap::new();
        if let Some(h) = h {
            headers.insert("accept-language", h.parse().unwrap());
        }
        Lang::preferred(&headers)
    };
    assert_eq!(lang(None), Lang::Vi);
    assert_eq!(lang(Some("en")), Lang::En);
    assert_eq!(lang(Some("en-GB")), Lang::En);
    assert_eq!(lang(Some("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7")), Lang::Vi);
    assert_eq!(lang(Some("en-US,en;q=0.9,vi;q=0.8")), Lang::En);
    assert_eq!(lang(Some("fr-FR, en;q=0.1")), Lang::En);
    assert_eq!(lang(Some("vi;q=0.5, en;q=0.5")), Lang::Vi);
    assert_eq!(lang(Some("en;q=0")), Lang::Vi);
    assert_eq!(lang(Some("en;q=2, de")), Lang::Vi);
    assert_eq!(lang(Some("*")), Lang::Vi);
    assert_eq!(lang(Some("fr")), Lang::Vi);
}

/// Every `at`/`*_at` number has its RFC 3339 sibling, and every message
/// pair its `message`, anywhere in `v`.
fn assert_conventions(v: &Value) {
    match v {
        Value::Object(map) => {
            for (k, value) in map {
                if (k == "at" || k.ends_with("_at"))
                    && let Some(secs) = value.as_u64()
                {
                    let sibling = &map[&format!("{k}_rfc3339")];
                    assert_eq!(sibling, &json!(rfc3339(secs).unwrap()), "{k} in {v}");
                }
                assert_conventions(value);
            }
            if map.get("message_vi").is_some_and(Value::is_string) {
                assert!(map["message_en"].is_string(), "{v}");
                assert!(map["message"].is_string(), "{v}");
            }
        }
        Value::Array(items) => items.iter().for_each(assert_conventions),
        _ => {}
    }
}

/// A response's status, headers and JSON body, checked against the
/// conventions.
async fn call(req: reqwest::RequestBuilder) -> (StatusCode, HeaderMap, Value) {
    let resp = req.send().await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let text = resp.text().await.unwrap();
    let v: Value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    };
    assert_conventions(&v);
    (status, headers, v)
}

/// The error's messages are the library's, `message` in the language asked.
fn assert_error(v: &Value, code: &str, e: &AccountError, lang: Lang) {
    let err = &v["error"];
    assert_eq!(err["code"], code, "{v}");
    assert_eq!(err["message_vi"], e.message_vi());
    assert_eq!(err["message_en"], e.message_en());
    assert_eq!(err["vi"], err["message_vi"]);
    assert_eq!(err["en"], err["message_en"]);
    let expected = match lang {
        Lang::Vi => e.message_vi(),
        Lang::En => e.message_en(),
    };
    assert_eq!(err["message"], expected);
}

async fn messages_and_times(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let url = |p: &str| format!("{}{p}", s.base);

    // an error, in both languages; `message` as Accept-Language prefers
    let no_terms = json!({ "id_number": ID, "phone": PHONE, "qr": QR, "terms_accepted": false });
    let (st, h, v) = call(s.http.post(url("/v1/registrations")).json(&no_terms)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(
        &v,
        "terms_not_accepted",
        &AccountError::TermsNotAccepted,
        Lang::Vi,
    );
    assert_eq!(h["content-language"], "vi");
    let english = s
        .http
        .post(url("/v1/registrations"))
        .header("Accept-Language", "en-GB,en;q=0.9,vi;q=0.5")
        .json(&no_terms);
    let (_, h, v) = call(english).await;
    assert_error(
        &v,
        "terms_not_accepted",
        &AccountError::TermsNotAccepted,
        Lang::En,
    );
    assert_eq!(h["content-language"], "en");

    // a time, beside its seconds
    let (st, _, v) = call(s.http.post(url("/v1/registrations")).json(&register_body())).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let expires = v["otp_expires_at"].as_u64().unwrap();
    assert_eq!(v["otp_expires_at_rfc3339"], rfc3339(expires).unwrap());

    // a password refused: each reason's words
    let code = code_of(&s.sms(1).await.1);
    let flow = s.verify(ID, &code).await;
    let weak = json!({ "password": "abc", "confirmation": "abc" });
    let (st, _, v) = call(
        s.http
            .post(url("/v1/password"))
            .bearer_auth(&flow)
            .json(&weak),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let reasons = v["error"]["reasons"].as_array().unwrap();
    let short = eid_credentials::PasswordReason::TooShort { min: 8 };
    assert_eq!(reasons[0]["code"], "too_short");
    assert_eq!(reasons[0]["message_vi"], short.message_vi());
    assert_eq!(reasons[0]["message"], short.message_vi());
    let good = json!({ "password": PASSWORD, "confirmation": PASSWORD });
    let (st, _, v) = call(
        s.http
            .post(url("/v1/password"))
            .bearer_auth(&flow)
            .json(&good),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        v["notices"][0]["message_vi"],
        eid_account::MSG_PASSWORD_SET_UP
    );
    assert_eq!(v["notices"][0]["message"], eid_account::MSG_PASSWORD_SET_UP);
    let login = json!({ "id_number": ID, "password": PASSWORD });
    let (_, _, v) = call(s.http.post(url("/v1/login")).json(&login)).await;
    assert!(v["expires_at_rfc3339"].is_string(), "{v}");
    let token = v["token"].as_str().unwrap().to_owned();

    dossier_messages(&s, &token).await;

    // the reset's answer, the same for every login, says it in both
    let reset = json!({ "login": ID, "phone": PHONE });
    let (st, _, v) = call(s.http.post(url("/v1/password-resets")).json(&reset)).await;
    assert_eq!(st, StatusCode::ACCEPTED);
    assert_eq!(v["message_vi"], v["vi"]);
    assert_eq!(v["message"], v["vi"]);
    s.stop().await;
}

/// The dossier's status and a rejection in seed 003's words (lines
/// 414-440), read from the seed itself.
async fn dossier_messages(s: &Server, token: &str) {
    let url = |p: &str| format!("{}{p}", s.base);
    let dossier = json!({ "qr": QR, "portrait_jpeg": portrait_b64() });
    let (st, _, v) = call(
        s.http
            .post(url("/v1/dossiers"))
            .bearer_auth(token)
            .json(&dossier),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let status = &v["dossier"]["status"];
    assert_in_seed_003("Đã gửi xử lý hồ sơ");
    assert_eq!(status["message_vi"], "Đã gửi xử lý hồ sơ");
    assert_eq!(status["message_en"], DossierStatus::Submitted.message_en());
    let submitted = v["dossier"]["submitted_at"].as_u64().unwrap();
    assert_eq!(
        v["dossier"]["submitted_at_rfc3339"],
        rfc3339(submitted).unwrap()
    );

    let reject = url(&format!("/v1/officer/dossiers/{ID}/reject"));
    let reason = json!({ "reason": "photo_below_standard" });
    let (st, _, v) = call(
        s.http
            .post(&reject)
            .bearer_auth(OFFICER_TOKEN)
            .json(&reason),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let status = &v["dossier"]["status"];
    let text = status["message_vi"].as_str().unwrap();
    for phrase in [
        "Hồ sơ không đạt",
        "Hồ sơ không đảm bảo điều kiện để đăng ký",
        "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.",
        "Tạo lại hồ sơ",
    ] {
        assert_in_seed_003(phrase);
        assert!(text.contains(phrase), "{text}");
    }
    assert_eq!(
        status["reason_message_vi"],
        "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn."
    );
    let english = s
        .http
        .get(url("/v1/dossiers/current"))
        .bearer_auth(token)
        .header("Accept-Language", "en");
    let (_, _, v) = call(english).await;
    let not_accepted = DossierStatus::NotAccepted {
        reason: RejectionReason::PhotoBelowStandard,
    };
    assert_eq!(v["dossier"]["status"]["message"], not_accepted.message_en());
    assert_eq!(
        v["dossier"]["status"]["reason_message"],
        Value::Null,
        "only message_vi/message_en pairs get a message"
    );

    // submitted again and approved
    let (st, _, _) = call(
        s.http
            .post(url("/v1/dossiers"))
            .bearer_auth(token)
            .json(&dossier),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED);
    let approve = url(&format!("/v1/officer/dossiers/{ID}/approve"));
    let (st, _, v) = call(s.http.post(&approve).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_in_seed_003("Hồ sơ được phê duyệt");
    assert_eq!(v["dossier"]["status"]["message_vi"], "Hồ sơ được phê duyệt");
}

/// A reset of an account without security questions names none; one with
/// them names its two, both from the catalogue.
async fn reset_names_questions_only_when_set(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    registered(&s).await;
    let code = s.reset_code(ID, PHONE, 2).await;
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID, "code": code }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(v["flow_token"].is_string(), "{v}");
    assert!(v.get("questions").is_none(), "{v}");

    activated_level2(&s, "X-Device-Id", "her-phone").await;
    let code = s.reset_code(ID2, PHONE2, 3).await;
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID2, "code": code }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, catalogue) = s
        .send(
            s.http
                .get(format!("{}/v1/security-questions/catalogue", s.base)),
        )
        .await;
    let catalogue = catalogue["questions"].as_array().unwrap();
    let asked = v["questions"].as_array().unwrap();
    assert_eq!(asked.len(), 2, "{v}");
    let mut ids: Vec<&str> = asked.iter().map(|q| q["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["favourite_food", "first_pet"]);
    for q in asked {
        assert!(catalogue.contains(q), "{q} not in the catalogue");
    }
    s.stop().await;
}

/// The second citizen, recorded at level 2 and approved, activated with a
/// request carrying `header: value` (its device), passcode 480613 after
/// 121212 is refused with seed 003's hint.
async fn activated_level2(s: &Server, header: &str, value: &str) -> HeaderMap {
    let record = json!({ "qr": QR2, "phone": PHONE2, "office": OFFICE });
    let url = |p: &str| format!("{}{p}", s.base);
    let req = s.http.post(url("/v1/officer/level2-dossiers"));
    let (st, _, v) = call(req.bearer_auth(OFFICER_TOKEN).json(&record)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["status"]["message_vi"], "Đã gửi xử lý hồ sơ");
    let approve = url(&format!("/v1/officer/dossiers/{ID2}/approve"));
    let (st, _, _) = call(s.http.post(&approve).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK);
    let activation = json!({ "id_number": ID2, "phone": PHONE2 });
    let req = s.http.post(url("/v1/activations")).header(header, value);
    let (st, headers, v) = call(req.json(&activation)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    // the approval SMS is the first to the phone, the OTP the second
    let flow = s.verify(ID2, &code_of(&s.sms_to(PHONE2, 2).await)).await;
    let password = json!({ "password": PASSWORD2, "confirmation": PASSWORD2 });
    let (st, _) = s.post_bearer("/v1/password", &flow, password).await;
    assert_eq!(st, StatusCode::OK);
    passcode_refused_with_the_hint(s, &flow).await;
    s.passcode_and_questions(&flow, None).await;
    headers
}

/// Seed 004's example passcode 121212, refused: the reason and seed 003's
/// hint (read from the seed), in the message and on their own.
async fn passcode_refused_with_the_hint(s: &Server, flow: &str) {
    let easy = json!({ "passcode": "121212", "confirmation": "121212" });
    let req = s.http.post(format!("{}/v1/passcode", s.base));
    let (st, _, v) = call(req.bearer_auth(flow).json(&easy)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let err = &v["error"];
    assert_eq!(err["code"], "passcode_refused");
    let hint = eid_credentials::PASSCODE_HINT_VI;
    assert_in_seed_003(hint.trim_end_matches('.'));
    assert_eq!(err["hint_vi"], hint);
    assert_eq!(err["hint_en"], eid_credentials::PASSCODE_HINT_EN);
    assert!(err["message_vi"].as_str().unwrap().ends_with(hint), "{v}");
    let codes: Vec<&str> = err["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"repeated_pair"), "{codes:?}");
}

/// The device cookie a response sets: (name, value, attributes).
fn set_cookie(headers: &HeaderMap) -> Option<(String, String, String)> {
    let raw = headers.get("set-cookie")?.to_str().unwrap();
    let (pair, attributes) = raw.split_once(';').unwrap_or((raw, ""));
    let (name, value) = pair.split_once('=').unwrap();
    Some((name.into(), value.into(), attributes.trim().into()))
}

/// A browser: what it sends, its cookie jar of one.
struct Browser {
    cookie: Option<String>,
}

impl Browser {
    fn request(&self, s: &Server, path: &str) -> reqwest::RequestBuilder {
        let req = s.http.post(format!("{}{path}", s.base));
        match &self.cookie {
            Some(c) => req.header("Cookie", c),
            None => req,
        }
    }

    /// Logs the second citizen in; keeps a cookie it is given.
    async fn login(&mut self, s: &Server, password: &str) -> (StatusCode, Value) {
        let body = json!({ "id_number": ID2, "password": password });
        let (st, headers, v) = call(self.request(s, "/v1/login").json(&body)).await;
        if let Some((name, value, _)) = set_cookie(&headers) {
            self.cookie = Some(format!("{name}={value}"));
        }
        (st, v)
    }
}

/// A service confirmed with the passcode from `session`.
async fn confirm(s: &Server, session: &str) -> (StatusCode, Value) {
    let body = json!({ "service": "card_data", "passcode": "480613" });
    s.post_bearer("/v1/passcode/confirm", session, body).await
}

async fn each_browser_is_its_own_device(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    // browser A activates (a harmless header stands in for "no device")
    let headers = activated_level2(&s, "Accept", "application/json").await;
    let (name, value, attributes) = set_cookie(&headers).unwrap();
    assert_eq!(name, "dinhdanh_device");
    assert_eq!(
        attributes,
        "Path=/; Max-Age=34560000; HttpOnly; SameSite=Strict"
    );
    assert_eq!(value.len(), 43, "{value}");
    let bound = s
        .state
        .account(&cccd::IdNumber::parse(ID2).unwrap())
        .await
        .unwrap();
    let device = bound.device().unwrap().as_str().to_owned();
    assert!(device.starts_with("web-") && device.len() == 36, "{device}");
    let mut a = Browser {
        cookie: Some(format!("{name}={value}")),
    };

    // browser B: its own device, not A's
    let mut b = Browser { cookie: None };
    let (st, v) = b.login(&s, PASSWORD2).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_ne!(b.cookie, a.cookie);
    let (st, v) = confirm(&s, v["token"].as_str().unwrap()).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(error(&v).0, "not_bound_device");

    // browser A, with its cookie: the bound device, and the cookie kept
    let before = a.cookie.clone();
    let (st, v) = a.login(&s, PASSWORD2).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(a.cookie, before);
    let (st, v) = confirm(&s, v["token"].as_str().unwrap()).await;
    assert_eq!(st, StatusCode::OK, "{v}");

    forged_cookies_are_replaced(&s, &value).await;
    explicit_device_ids(&s, &device).await;

    // B's wrong passwords lock out the unknown devices, never A's browser
    // (when every browser was the one device "web", they locked it too)
    for _ in 0..6 {
        let (st, _) = b.login(&s, "Sai@123456").await;
        assert_ne!(st, StatusCode::OK);
    }
    let (st, v) = b.login(&s, PASSWORD2).await;
    assert_ne!(st, StatusCode::OK, "{v}");
    let (st, v) = a.login(&s, PASSWORD2).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    s.stop().await;
}

/// A cookie that is not the server's (A's bits with another tag, junk)
/// is a new device, with a new cookie: never A's.
async fn forged_cookies_are_replaced(s: &Server, value: &str) {
    let mut bytes = data_encoding::BASE64URL_NOPAD
        .decode(value.as_bytes())
        .unwrap();
    *bytes.last_mut().unwrap() ^= 1;
    let forged = data_encoding::BASE64URL_NOPAD.encode(&bytes);
    for junk in [forged.as_str(), "abc", "", "web-device", &value[..42]] {
        let mut c = Browser {
            cookie: Some(format!("dinhdanh_device={junk}")),
        };
        let (st, v) = c.login(s, PASSWORD2).await;
        assert_eq!(st, StatusCode::OK, "{junk}: {v}");
        let new = c.cookie.clone().unwrap();
        assert_ne!(new, format!("dinhdanh_device={junk}"), "kept {junk}");
        assert_ne!(new, format!("dinhdanh_device={value}"));
        let (st, v) = confirm(s, v["token"].as_str().unwrap()).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{junk}: {v}");
    }
}

/// The app's `X-Device-Id` works as before, with no cookie; the browsers'
/// namespace cannot be claimed with it.
async fn explicit_device_ids(s: &Server, web_device: &str) {
    let body = json!({ "id_number": ID2, "password": PASSWORD2 });
    let url = format!("{}/v1/login", s.base);
    let (st, headers, v) = call(
        s.http
            .post(&url)
            .header("X-Device-Id", "iphone-13-abc")
            .json(&body),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert!(set_cookie(&headers).is_none());
    let (st, _, v) = call(
        s.http
            .post(&url)
            .header("X-Device-Id", web_device)
            .json(&body),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "invalid_device");
}

/// `--behind-tls`: the cookie is `Secure` and `__Host-` prefixed, and the
/// plain name is not believed.
async fn behind_tls_the_cookie_is_secure(backend: Backend) {
    let mut settings = settings_for(app::Limits::default(), &backend).await;
    settings.http.behind_tls = true;
    let s = start_on(&settings).await;
    registered(&s).await;
    let body = json!({ "id_number": ID, "password": PASSWORD });
    let url = format!("{}/v1/login", s.base);
    let (st, headers, v) = call(s.http.post(&url).json(&body)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (name, value, attributes) = set_cookie(&headers).unwrap();
    assert_eq!(name, "__Host-dinhdanh_device");
    assert_eq!(
        attributes,
        "Path=/; Max-Age=34560000; HttpOnly; SameSite=Strict; Secure"
    );
    let again = |cookie: String| s.http.post(&url).header("Cookie", cookie).json(&body);
    let (_, headers, _) = call(again(format!("{name}={value}"))).await;
    assert!(set_cookie(&headers).is_none(), "its own cookie is kept");
    let (_, headers, _) = call(again(format!("dinhdanh_device={value}"))).await;
    assert!(set_cookie(&headers).is_some(), "the plain name is not read");
    s.stop().await;
}
