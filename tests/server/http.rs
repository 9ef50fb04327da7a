//! The reference server over HTTP, in-process on 127.0.0.1:0 against a
//! temporary SQLite file: registration (QR), OTP (wrong and right),
//! password, login, lockout, logout, rate limits, /healthz, /openapi.json.

use crate::app;
use crate::common;
use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both!(
    registration_otp_password_login_lockout,
    registration_sqlite,
    registration_postgres
);
on_both!(
    rate_limits_stop_brute_force,
    rate_limits_sqlite,
    rate_limits_postgres
);
on_both!(
    level1_dossier_approval_activation,
    level1_activation_sqlite,
    level1_activation_postgres
);
on_both!(
    flow_tokens_bind_the_steps_after_the_otp,
    flow_tokens_sqlite,
    flow_tokens_postgres
);
on_both!(
    password_reset_phone_login_appointments,
    reset_sqlite,
    reset_postgres
);
on_both!(
    level2_activation_race_device_change_passcode_locks,
    level2_sqlite,
    level2_postgres
);
on_both!(
    account_index_backfill_and_session_purge,
    index_backfill_sqlite,
    index_backfill_postgres
);
on_both!(
    concurrent_otp_checks_and_rejection,
    otp_race_rejection_sqlite,
    otp_race_rejection_postgres
);

async fn registration_otp_password_login_lockout(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;

    let (st, v) = s.send(s.http.get(format!("{}/healthz", s.base))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "ok");
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres(_) => "postgres",
    };
    assert_eq!(v["backend"], expected);

    let (st, v) = s.send(s.http.get(format!("{}/openapi.json", s.base))).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["openapi"], "3.1.0");
    for path in [
        "/v1/registrations",
        "/v1/otp/verify",
        "/v1/otp/resend",
        "/v1/password",
        "/v1/login",
        "/v1/logout",
        "/v1/account",
        "/v1/dossiers",
        "/v1/dossiers/current",
        "/v1/officer/dossiers",
        "/v1/officer/dossiers/{id}/approve",
        "/v1/officer/dossiers/{id}/reject",
        "/v1/activations",
        "/v1/passcode",
        "/v1/security-questions",
        "/v1/admin/report",
        "/v1/password-resets",
        "/v1/password-resets/answers",
        "/v1/device-changes",
        "/v1/passcode/confirm",
        "/v1/appointments",
        "/v1/officer/level2-dossiers",
        "/v1/lock",
        "/v1/unlock",
        "/v1/officer/accounts/{id}/lock",
        "/v1/officer/accounts/{id}/unlock",
        "/healthz",
        "/v1/security-questions/catalogue",
    ] {
        assert!(v["paths"][path].is_object(), "{path} missing");
    }

    // the question catalogue a client offers (001: "2 câu hỏi ... trong
    // list câu hỏi bảo mật"): ids with both texts, and the same ids
    // enumerated in the OpenAPI document
    let spec = v;
    let (st, v) = s
        .send(
            s.http
                .get(format!("{}/v1/security-questions/catalogue", s.base)),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let questions = v["questions"].as_array().unwrap();
    assert!(questions.len() >= 2, "{v}");
    assert!(questions.contains(&json!({
        "id": "first_pet",
        "vi": "Tên con vật nuôi đầu tiên của bạn là gì?",
        "en": "What was the name of your first pet?",
    })));
    let ids: Vec<Value> = questions.iter().map(|q| q["id"].clone()).collect();
    let catalogue = &spec["paths"]["/v1/security-questions/catalogue"]["get"];
    let item = &catalogue["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(
        item["properties"]["questions"]["items"]["properties"]["id"]["enum"],
        json!(ids)
    );
    let set = &spec["paths"]["/v1/security-questions"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["properties"]["answers"]["items"]["properties"]["question"];
    assert_eq!(set["enum"], json!(ids), "{set}");

    // malformed JSON: a JSON error too
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/registrations", s.base))
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(error(&v), ("bad_request", "Yêu cầu không hợp lệ."));

    // terms not accepted
    let mut body = register_body();
    body["terms_accepted"] = json!(false);
    let (st, v) = s.post("/v1/registrations", body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(&v),
        (
            "terms_not_accepted",
            "Bạn cần đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ."
        )
    );

    // typed details that the registry disagrees with: one undifferentiated
    // notice, no field named (the registration is no registry oracle)
    let (st, v) = s
        .post(
            "/v1/registrations",
            json!({ "id_number": ID, "phone": PHONE, "terms_accepted": true, "details": {
                "full_name": "Trần Ngọc Ngà", "date_of_birth": "1974-03-07", "sex": "Nữ",
                "permanent_residence": "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa" } }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, vi) = error(&v);
    assert_eq!(code, "not_in_registry");
    assert_eq!(vi, eid_account::MSG_REGISTRY_UPDATE);
    assert_eq!(v["error"].get("fields"), None);
    // and nothing of it was kept
    let unregistered = s
        .state
        .account(&cccd::IdNumber::parse(ID).unwrap())
        .await
        .unwrap();
    assert_eq!(
        unregistered.version(),
        0,
        "a refused registration leaves no account"
    );

    // a citizen the registry does not know
    let (st, v) = s
        .post(
            "/v1/registrations",
            json!({ "id_number": "001089005555", "phone": "0987654321", "terms_accepted": true,
                "qr": "001089005555||Nguyễn An Minh|20101989|Nam|Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội|01072021" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(&v),
        ("not_in_registry", eid_account::MSG_REGISTRY_UPDATE)
    );

    // the QR path: OTP by SMS through the outbox
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["id_number"], ID);
    let (to, text) = s.sms(1).await;
    assert_eq!(to, PHONE);
    let code = code_of(&text);

    // password before the OTP: no flow token
    let (st, v) = s
        .post(
            "/v1/password",
            json!({ "id_number": ID, "password": PASSWORD, "confirmation": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        (
            "flow_token_missing",
            "Vui lòng xác thực bằng mã OTP trước khi thực hiện bước này."
        )
    );

    // a wrong OTP, counted
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID, "code": wrong }))
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        ("wrong_otp", "Mã OTP không đúng (còn 4 lần thử).")
    );
    assert_eq!(v["error"]["tries_left"], 4);

    // resend at once: cooldown
    let (st, v) = s.post("/v1/otp/resend", json!({ "id_number": ID })).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error(&v).0, "otp_cooldown");
    assert!(error(&v).1.starts_with("Vui lòng đợi "), "{v}");

    // the right OTP: a flow token for the password step
    let flow = s.verify(ID, &code).await;

    // a weak password, then the right one
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "id_number": ID, "password": "abc", "confirmation": "abc" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).0, "password_refused");
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "id_number": ID, "password": PASSWORD, "confirmation": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["notices"][0]["vi"], eid_account::MSG_PASSWORD_SET_UP);
    assert_eq!(v["level"], "app_account");

    // registering again
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(
        error(&v),
        (
            "already_registered",
            "Số định danh cá nhân đã đăng ký tài khoản."
        )
    );

    // login, the account, logout
    let (st, v) = s
        .post_from(
            "/v1/login",
            "iphone-13-abc",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let token = v["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let (st, v) = s.get_bearer("/v1/account", &token).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["full_name"], "Trần Ngọc Ngọc");
    assert_eq!(v["level"], "app_account");
    let (st, _) = s
        .send(
            s.http
                .post(format!("{}/v1/logout", s.base))
                .bearer_auth(&token),
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, v) = s.get_bearer("/v1/account", &token).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        ("unauthorized", "Vui lòng đăng nhập để tiếp tục.")
    );

    // five wrong passwords lock the login out for the devices the account
    // does not know, even with the right password, and say so no
    // differently from a wrong password (a lockout tells that an account
    // exists); her own device still gets in
    for _ in 0..4 {
        let (st, v) = s
            .post(
                "/v1/login",
                json!({ "id_number": ID, "password": "Sai@123456" }),
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert_eq!(
            error(&v),
            (
                "wrong_credentials",
                "Thông tin đăng nhập hoặc mật khẩu không đúng."
            )
        );
    }
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": "Sai@123456" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    let id = cccd::IdNumber::parse(ID).unwrap();
    assert!(s.state.account(&id).await.unwrap().locked_out_until() > app::now());
    let (st, v) = s
        .post_from(
            "/v1/login",
            "iphone-13-abc",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // no secret in the stored SMS once sent: the outbox is drained
    let (_, v) = s.send(s.http.get(format!("{}/healthz", s.base))).await;
    assert_eq!(v["outbox_unsent"], 0);
    s.stop().await;
}

async fn rate_limits_stop_brute_force(backend: Backend) {
    let s = start(
        app::Limits {
            window_secs: 3600,
            otp_sends: 2,
            otp_checks: 3,
            logins: 3,
            activations: 3,
            ..app::Limits::default()
        },
        &backend,
    )
    .await;
    let (st, _) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED);
    // OTP checks: three counted, the fourth stopped before the account
    for _ in 0..3 {
        let (st, v) = s
            .post(
                "/v1/otp/verify",
                json!({ "id_number": ID, "code": "000000" }),
            )
            .await;
        assert!(
            st == StatusCode::UNAUTHORIZED || st == StatusCode::OK,
            "{v}"
        );
    }
    let (st, v) = s
        .post(
            "/v1/otp/verify",
            json!({ "id_number": ID, "code": "000000" }),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error(&v).0, "rate_limited");
    assert!(
        error(&v)
            .1
            .starts_with("Bạn đã thao tác quá nhiều lần, vui lòng thử lại sau ")
    );
    // OTP sends: the registration was one, one more, then stopped
    let (st, _) = s.post("/v1/otp/resend", json!({ "id_number": ID })).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS); // the account's own cooldown
    let (st, v) = s.post("/v1/otp/resend", json!({ "id_number": ID })).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error(&v).0, "rate_limited");
    // logins per IP (any ID)
    for _ in 0..3 {
        let (st, _) = s
            .post(
                "/v1/login",
                json!({ "id_number": "001089005555", "password": "x" }),
            )
            .await;
        assert_ne!(st, StatusCode::TOO_MANY_REQUESTS);
    }
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": "001089005555", "password": "x" }),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error(&v).0, "rate_limited");
    s.stop().await;
}

async fn level1_dossier_approval_activation(backend: Backend) {
    let s = start(
        app::Limits {
            activations: 1000,
            ..app::Limits::default()
        },
        &backend,
    )
    .await;
    let token = registered(&s).await;
    let jpeg = common::portrait_b64();
    let dossier = json!({ "qr": QR, "portrait_jpeg": jpeg, "email": "ngoc@example.vn" });

    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .json(&dossier),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "unauthorized");
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&json!({ "qr": QR, "portrait_jpeg": "AAAA" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error(&v),
        ("portrait_not_jpeg", "Ảnh chân dung không hợp lệ.")
    );
    assert_eq!(v["error"]["field"], "portrait_jpeg");
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&dossier),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "submitted");
    let (st, v) = s.get_bearer("/v1/dossiers/current", &token).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossier"]["status"]["status"], "submitted");

    // not identified yet
    let activation = json!({ "id_number": ID, "phone": PHONE });
    let (st, v) = s.post("/v1/activations", activation.clone()).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(
        error(&v),
        ("not_identified", eid_account::MSG_NOT_IDENTIFIED)
    );

    // officers only, with their own tokens
    let list = format!("{}/v1/officer/dossiers", s.base);
    let (st, _) = s.send(s.http.get(&list).bearer_auth(&token)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = s.send(s.http.get(&list).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossiers"][0]["id_number"], ID);
    let approve = format!("{}/v1/officer/dossiers/{ID}/approve", s.base);
    let (st, v) = s
        .send(s.http.post(&approve).bearer_auth(OFFICER_TOKEN))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "approved");
    let (to, text) = s.sms(2).await;
    assert_eq!(to, PHONE);
    assert_eq!(text, eid_account::approval_sms("Trần Ngọc Ngọc"));
    let (st, v) = s
        .send(s.http.post(&approve).bearer_auth(OFFICER_TOKEN))
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(
        error(&v),
        ("no_dossier_pending", "Không có hồ sơ đang chờ xử lý.")
    );
    let (st, v) = s.send(s.http.get(&list).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossiers"], json!([]));

    // 50 simultaneous activations: exactly one succeeds
    let answers = all_at_once((0..50).map(|i| {
        s.http
            .post(format!("{}/v1/activations", s.base))
            .header("X-Device-Id", format!("phone-{i}"))
            .json(&activation)
    }))
    .await;
    let mut ok = 0;
    for (st, v) in answers {
        if st == StatusCode::OK {
            ok += 1;
            assert_eq!(v["notices"][0]["code"], "activate_on_this_device");
        } else {
            // Never a conflict: the losers are decided again, on the
            // winner's activation, whose code is in its resend cooldown.
            assert!(
                st == StatusCode::TOO_MANY_REQUESTS && error(&v).0 == "otp_cooldown",
                "{st} {v}"
            );
        }
    }
    assert_eq!(ok, 1);

    // OTP, passcode, two questions
    let code = code_of(&s.sms(3).await.1);
    let flow = s.verify(ID, &code).await;
    let (st, v) = s
        .post_bearer(
            "/v1/passcode",
            &flow,
            json!({ "id_number": ID, "passcode": "123456", "confirmation": "123456" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).0, "passcode_refused");
    let v = s.passcode_and_questions(&flow, Some(ID)).await;
    assert_eq!(v["notices"][0]["vi"], eid_account::MSG_ACTIVATED);
    // the admin report, JSON and CSV (officers only)
    let report = format!("{}/v1/admin/report", s.base);
    let (st, _) = s.send(s.http.get(&report).bearer_auth(&token)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = s.send(s.http.get(&report).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        v["accounts"][0],
        json!({ "id_number": ID, "full_name": "Trần Ngọc Ngọc", "date_of_birth": "1974-03-07",
            "permanent_residence": "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa",
            "phone": PHONE, "level": "level1", "activated": true,
            "registered_at": v["accounts"][0]["registered_at"],
            "registered_at_rfc3339": v["accounts"][0]["registered_at_rfc3339"] })
    );
    let csv = s
        .http
        .get(format!("{report}?format=csv&since=0"))
        .bearer_auth(OFFICER_TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id_number,full_name,date_of_birth,permanent_residence,phone,level,activated,registered_at"
    );
    assert!(lines[1].starts_with("038174739054,Trần Ngọc Ngọc,1974-03-07,\"Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa\",0703513109,level1,true,"), "{csv}");
    assert_eq!(lines.len(), 2);

    let (st, v) = s.post("/v1/activations", activation).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(
        error(&v),
        ("already_activated", eid_account::MSG_ALREADY_ACTIVATED)
    );
    let (st, v) = s.get_bearer("/v1/account", &token).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["level"], "level1");
    assert_eq!(v["activated"], true);
    s.stop().await;
}

async fn concurrent_otp_checks_and_rejection(backend: Backend) {
    let s = start(
        app::Limits {
            otp_checks: 1000,
            ..app::Limits::default()
        },
        &backend,
    )
    .await;
    let (st, _) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED);
    let code = code_of(&s.sms(1).await.1);
    // 50 simultaneous checks of the right code: at most one succeeds
    let answers = all_at_once((0..50).map(|_| {
        s.http
            .post(format!("{}/v1/otp/verify", s.base))
            .json(&json!({ "id_number": ID, "code": code }))
    }))
    .await;
    let mut ok = 0;
    let mut flow = String::new();
    for (st, v) in answers {
        if st == StatusCode::OK {
            ok += 1;
            flow = v["flow_token"].as_str().unwrap().to_owned();
        } else {
            // Decided again after the winner: the code is used, the step done.
            assert_eq!(st, StatusCode::CONFLICT, "{v}");
            assert_eq!(error(&v).0, "step_out_of_order", "{v}");
        }
    }
    assert_eq!(ok, 1);

    // password, login, dossier; the officer does not accept it
    let (st, _) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "id_number": ID, "password": PASSWORD, "confirmation": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (_, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    let token = v["token"].as_str().unwrap().to_owned();
    let jpeg = common::portrait_b64();
    let (st, _) = s
        .send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&json!({ "qr": QR, "portrait_jpeg": jpeg })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let reject = format!("{}/v1/officer/dossiers/{ID}/reject", s.base);
    let (st, v) = s
        .send(
            s.http
                .post(&reject)
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "reason": "photo_below_standard" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "not_accepted");
    let (st, v) = s.get_bearer("/v1/dossiers/current", &token).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossier"]["status"]["reason"], "photo_below_standard");
    // a citizen token is no officer token
    let (st, v) = s
        .send(
            s.http
                .post(&reject)
                .bearer_auth(&token)
                .json(&json!({ "reason": "data_mismatch" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        ("unauthorized", "Vui lòng đăng nhập để tiếp tục.")
    );
    s.stop().await;
}

/// The steps after an OTP need the flow token its verification returned:
/// missing, unknown, a login session's, another account's, another flow's,
/// expired, superseded by a restart, or used tokens are refused with their
/// own codes, and nothing changes in the account.
async fn flow_tokens_bind_the_steps_after_the_otp(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = code_of(&s.sms_to(PHONE, 1).await);
    let password = json!({ "password": PASSWORD, "confirmation": PASSWORD });

    // before the OTP, and without any token, nothing moves
    let (st, v) = s.post("/v1/password", password.clone()).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_missing");
    let flow_a = s.verify(ID, &code).await;

    // the ID number alone no longer sets someone's password
    let (st, v) = s.post("/v1/password", password.clone()).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        (
            "flow_token_missing",
            "Vui lòng xác thực bằng mã OTP trước khi thực hiện bước này."
        )
    );
    assert!(v["error"]["en"].as_str().unwrap().contains("flow token"));
    // an unknown token, and a token with one bit flipped
    let mut flipped = flow_a.clone().into_bytes();
    flipped[0] ^= 0x01;
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in ["0".repeat(64), flipped] {
        let (st, v) = s.post_bearer("/v1/password", &bad, password.clone()).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
        assert_eq!(
            error(&v),
            (
                "flow_token_invalid",
                "Phiên xác thực không hợp lệ hoặc đã được sử dụng, vui lòng thực hiện lại từ đầu."
            )
        );
    }
    // the registration's token is not an activation's
    let (st, v) = s
        .post_bearer(
            "/v1/passcode",
            &flow_a,
            json!({ "passcode": "480613", "confirmation": "480613" }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(
        error(&v),
        (
            "flow_token_wrong_flow",
            "Phiên xác thực không dành cho chức năng này."
        )
    );

    // a second citizen mid-registration: A's token cannot name B
    let (st, v) = s
        .post(
            "/v1/registrations",
            json!({ "id_number": ID2, "phone": PHONE2, "qr": QR2, "terms_accepted": true }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code_b = code_of(&s.sms_to(PHONE2, 1).await);
    let mut named_b = password.clone();
    named_b["id_number"] = json!(ID2);
    let (st, v) = s.post_bearer("/v1/password", &flow_a, named_b).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(
        error(&v),
        (
            "flow_token_wrong_account",
            "Phiên xác thực không dành cho tài khoản này."
        )
    );

    // B's token expires (lifetime 0 s while it is issued)
    s.state
        .flow_token_secs
        .store(0, std::sync::atomic::Ordering::Relaxed);
    let flow_b = s.verify(ID2, &code_b).await;
    s.state.flow_token_secs.store(
        app::tokens::DEFAULT_FLOW_TOKEN_SECS,
        std::sync::atomic::Ordering::Relaxed,
    );
    let (st, v) = s
        .post_bearer("/v1/password", &flow_b, password.clone())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        error(&v),
        (
            "flow_token_expired",
            "Phiên xác thực đã hết hạn, vui lòng thực hiện lại từ đầu."
        )
    );
    // ...and is gone: presented again, unknown
    let (st, v) = s
        .post_bearer("/v1/password", &flow_b, password.clone())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");

    // neither B nor A got a password from all that
    for (id, phone) in [(ID, PHONE), (ID2, PHONE2)] {
        let (st, v) = s
            .post(
                "/v1/login",
                json!({ "id_number": id, "password": PASSWORD }),
            )
            .await;
        // No password yet answers as a wrong one: logins tell nothing.
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{phone}: {v}");
        assert_eq!(error(&v).0, "wrong_credentials");
    }

    // A registration started again while A's password step is open is
    // refused (whoever knows her details could break her flow), and A's
    // token still holds
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert_eq!(error(&v).0, "flow_in_progress");
    let flow_a2 = flow_a.clone();

    // the new one works once, and is consumed by the end of the flow
    let (st, v) = s
        .post_bearer("/v1/password", &flow_a2, password.clone())
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["level"], "app_account");
    assert!(
        app::store::Storage::get_session(&s.state.store, &app::token_hash(&flow_a2))
            .await
            .unwrap()
            .is_none()
    );
    let (st, v) = s
        .post_bearer("/v1/password", &flow_a2, password.clone())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");

    // a login session's token is no flow token, and a flow token no session
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let session = v["token"].as_str().unwrap().to_owned();
    let (st, v) = s
        .post_bearer("/v1/password", &session, password.clone())
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");
    let (st, _) = s.get_bearer("/v1/account", &flow_a2).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

/// Password reset of an app account (no security questions: OTP, then the
/// new password), by phone number; login by phone; old sessions end;
/// level-2 appointments booked and cancelled.
async fn password_reset_phone_login_appointments(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let session = registered(&s).await;
    const NEW: &str = "Hoa@Sen2025";

    // login by phone number
    let (st, v) = s
        .post("/v1/login", json!({ "phone": PHONE, "password": PASSWORD }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["level"], "app_account");
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "phone": PHONE2, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    let (st, v) = s.post("/v1/login", json!({ "password": PASSWORD })).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(error(&v).0, "bad_request");

    // appointments (logged in)
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/appointments", s.base))
                .json(&json!({ "office": "Công an phường Điện Biên", "at": app::now() + 86_400 })),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "unauthorized");
    let (st, v) = s
        .post_bearer(
            "/v1/appointments",
            &session,
            json!({ "office": "Công an phường Điện Biên", "at": 1_000 }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).0, "appointment_in_past");
    let at = app::now() + 86_400;
    let (st, v) = s
        .post_bearer(
            "/v1/appointments",
            &session,
            json!({ "office": "Công an phường Điện Biên", "at": at }),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["appointment"]["at"], at);
    let cancel = || {
        s.http
            .delete(format!("{}/v1/appointments", s.base))
            .bearer_auth(&session)
    };
    let (st, _) = s.send(cancel()).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, v) = s.send(cancel()).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v), ("no_appointment", "Bạn chưa đặt lịch hẹn."));

    // reset: the registered phone must match
    let (st, v) = s
        .post(
            "/v1/password-resets",
            json!({ "login": PHONE, "phone": "0912345678" }),
        )
        .await;
    // the same answer whether or not the phone matches (no SMS then)
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["status"], "accepted");
    let (st, v) = s
        .post(
            "/v1/password-resets",
            json!({ "login": PHONE2, "phone": PHONE2 }),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["status"], "accepted");
    let (st, v) = s
        .post(
            "/v1/password-resets",
            json!({ "login": PHONE, "phone": PHONE }),
        )
        .await;
    // no ID number, no hint whether questions are set
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert!(v.get("id_number").is_none() && v.get("security_questions").is_none());
    // the registration's SMS, then the reset's
    let text = s.sms_to(PHONE, 2).await;
    let flow = s.verify(ID, &code_of(&text)).await;
    // no questions on this account: straight to the password
    let (st, v) = s
        .post_bearer(
            "/v1/password-resets/answers",
            &flow,
            json!({ "answers": [ { "question": "first_pet", "answer": "Mực" } ] }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v).0, "step_out_of_order");
    // a login session is no reset token
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &session,
            json!({ "password": NEW, "confirmation": NEW }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "password": NEW, "confirmation": NEW }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["notices"][0]["vi"], eid_account::MSG_PASSWORD_SET_UP);
    // consumed
    let (st, v) = s
        .post_bearer(
            "/v1/password",
            &flow,
            json!({ "password": PASSWORD, "confirmation": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");
    // the sessions opened before the reset are over
    let (st, _) = s.get_bearer("/v1/account", &session).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = s
        .post(
            "/v1/login",
            json!({ "id_number": ID, "password": PASSWORD }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    let (st, v) = s
        .post("/v1/login", json!({ "phone": PHONE, "password": NEW }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    s.stop().await;
}

/// Level 2 at the office for a citizen without an app account: the
/// officer's record (checked against the registry), approval, 50
/// simultaneous activations (exactly one wins), the activation's password,
/// passcode and questions under its flow token; passcode confirmation,
/// reset with the security questions, device change, the device index,
/// holder and officer locks.
async fn level2_activation_race_device_change_passcode_locks(backend: Backend) {
    let s = start(
        app::Limits {
            activations: 1000,
            ..app::Limits::default()
        },
        &backend,
    )
    .await;
    let record = format!("{}/v1/officer/level2-dossiers", s.base);
    let dossier = json!({ "qr": QR2, "phone": PHONE2, "office": OFFICE,
        "documents": ["health_insurance", { "other": "Thẻ đảng viên" }] });
    let (st, v) = s
        .send(
            s.http
                .post(&record)
                .bearer_auth("not-an-officer")
                .json(&dossier),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "unauthorized");
    let mut wrong = dossier.clone();
    wrong["phone"] = json!(PHONE);
    let (st, v) = s
        .send(s.http.post(&record).bearer_auth(OFFICER_TOKEN).json(&wrong))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error(&v).0, "registry_mismatch");
    assert_eq!(v["error"]["fields"], json!(["phone"]));
    let (st, v) = s
        .send(
            s.http
                .post(&record)
                .bearer_auth(OFFICER_TOKEN)
                .json(&dossier),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["level"], "two");
    assert_eq!(v["dossier"]["status"]["status"], "submitted");
    let (st, v) = s
        .send(
            s.http
                .post(&record)
                .bearer_auth(OFFICER_TOKEN)
                .json(&dossier),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v).0, "dossier_pending");
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{ID2}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        s.sms_to(PHONE2, 1).await,
        eid_account::approval_sms("Phan Mai Hương")
    );

    // 50 simultaneous activations of the account: exactly one succeeds
    let activation = json!({ "id_number": ID2, "phone": PHONE2 });
    let answers = all_at_once((0..50).map(|i| {
        s.http
            .post(format!("{}/v1/activations", s.base))
            .header("X-Device-Id", format!("device-{i}"))
            .json(&activation)
    }))
    .await;
    let mut ok = 0;
    for (st, v) in answers {
        if st == StatusCode::OK {
            ok += 1;
        } else {
            // Never a conflict: the losers are decided again, on the
            // winner's activation, whose code is in its resend cooldown.
            assert!(
                st == StatusCode::TOO_MANY_REQUESTS && error(&v).0 == "otp_cooldown",
                "{st} {v}"
            );
        }
    }
    assert_eq!(ok, 1);
    let flow = s.verify(ID2, &code_of(&s.sms_to(PHONE2, 2).await)).await;
    // no app account: the password comes first
    let (st, v) = s
        .post_bearer(
            "/v1/passcode",
            &flow,
            json!({ "passcode": "480613", "confirmation": "480613" }),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v).0, "step_out_of_order");
    activation_steps(
        &s,
        &flow,
        json!({ "id_number": ID2, "password": PASSWORD2, "confirmation": PASSWORD2 }),
    )
    .await;
    // the activation is over: its token with it
    assert!(
        app::store::Storage::get_session(&s.state.store, &app::token_hash(&flow))
            .await
            .unwrap()
            .is_none()
    );
    let (st, v) = s
        .post_bearer(
            "/v1/passcode",
            &flow,
            json!({ "passcode": "480613", "confirmation": "480613" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "flow_token_invalid");
    let bound = s
        .state
        .account(&cccd::IdNumber::parse(ID2).unwrap())
        .await
        .unwrap();
    let device = bound.device().unwrap().as_str().to_owned();
    // a session from another device cannot use the identity
    let elsewhere = login_on(&s, "a-browser-somewhere").await;
    let (st, v) = s
        .post_bearer(
            "/v1/passcode/confirm",
            &elsewhere,
            json!({ "service": "card_data", "passcode": "480613" }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(error(&v).0, "not_bound_device");
    let (st, v) = s
        .post_from(
            "/v1/login",
            &device,
            json!({ "phone": PHONE2, "password": PASSWORD2 }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["level"], "level2");
    assert_eq!(v["activated"], true);
    let session = v["token"].as_str().unwrap().to_owned();

    // passcode confirmation of a level-2 service
    let (st, v) = s
        .post_bearer(
            "/v1/passcode/confirm",
            &session,
            json!({ "service": "card_data", "passcode": "480613" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["confirmed"], true);
    let (st, v) = s
        .post_bearer(
            "/v1/passcode/confirm",
            &session,
            json!({ "service": "card_data", "passcode": "480614" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_passcode");
    assert_eq!(v["error"]["tries_left"], 4);

    // the device index: another identity activating on this device is told
    let (st, _) = s
        .send(
            s.http
                .post(&record)
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "qr": QR, "phone": PHONE, "office": OFFICE })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, _) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{ID}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let (st, v) = s
        .post_from(
            "/v1/activations",
            &device,
            json!({ "id_number": ID, "phone": PHONE }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["notices"][0]["code"], "activate_on_another_device");

    // device change: password checked, same device refused, OTP moves it
    let change = |device: &str, password: &str| {
        s.http
            .post(format!("{}/v1/device-changes", s.base))
            .header("X-Device-Id", device)
            .json(&json!({ "id_number": ID2, "password": password }))
    };
    let (st, v) = s.send(change("new-phone", "Sai@123456")).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    let (st, v) = s.send(change(&device, PASSWORD2)).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v).0, "same_device");
    let (st, v) = s.send(change("new-phone", PASSWORD2)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let code = code_of(&s.sms_to(PHONE2, 3).await);
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID2, "code": code }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["notices"][0]["code"], "moved_to_this_device");
    assert!(v.get("flow_token").is_none(), "{v}");
    let moved = s
        .state
        .account(&cccd::IdNumber::parse(ID2).unwrap())
        .await
        .unwrap();
    assert_eq!(moved.device().unwrap().as_str(), "new-phone");

    // reset of an active account: the answers first, wrong ones counted
    // the OTP verified, the reset names the holder's two questions (not
    // before: the start answers alike for every login)
    let code = s.reset_code(ID2, PHONE2, 4).await;
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID2, "code": code }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let mut asked: Vec<&str> = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    asked.sort_unstable();
    assert_eq!(asked, ["favourite_food", "first_pet"], "{v}");
    assert!(v["questions"].as_array().unwrap().contains(&json!({
        "id": "first_pet",
        "vi": "Tên con vật nuôi đầu tiên của bạn là gì?",
        "en": "What was the name of your first pet?",
    })));
    let flow = v["flow_token"].as_str().unwrap().to_owned();
    const NEW: &str = "Hoa@Sen2025";
    let new_password = json!({ "password": NEW, "confirmation": NEW });
    let (st, v) = s
        .post_bearer("/v1/password", &flow, new_password.clone())
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(error(&v).0, "step_out_of_order");
    let (st, v) = s
        .post_bearer(
            "/v1/password-resets/answers",
            &flow,
            json!({ "answers": [
                { "question": "first_pet", "answer": "Mèo" },
                { "question": "favourite_food", "answer": "Phở bò" } ] }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_answers");
    let (st, v) = s
        .post_bearer(
            "/v1/password-resets/answers",
            &flow,
            json!({ "id_number": ID2, "answers": [
                { "question": "favourite_food", "answer": "Phở bò" },
                { "question": "first_pet", "answer": "Mực" } ] }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = s
        .post_bearer("/v1/password", &flow, new_password.clone())
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // the holder locks, then unlocks with password and one answer
    let (_, v) = s
        .post("/v1/login", json!({ "id_number": ID2, "password": NEW }))
        .await;
    let session = v["token"].as_str().unwrap().to_owned();
    let (st, v) = s.post_bearer("/v1/lock", &session, json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["phase"], "Locked");
    let (st, v) = s
        .post("/v1/login", json!({ "id_number": ID2, "password": NEW }))
        .await;
    assert_eq!(st, StatusCode::LOCKED);
    assert_eq!(error(&v).0, "locked");
    let (st, v) = s
        .post(
            "/v1/unlock",
            json!({ "id_number": ID2, "password": NEW, "question": "first_pet", "answer": "Mèo" }),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_answers");
    let (st, v) = s
        .post(
            "/v1/unlock",
            json!({ "id_number": ID2, "password": NEW, "question": "first_pet", "answer": "Mực" }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["phase"], "Active");

    // an officer's lock needs an officer to lift it
    let lock = format!("{}/v1/officer/accounts/{ID2}/lock", s.base);
    let (st, _) = s
        .send(
            s.http
                .post(&lock)
                .bearer_auth(&session)
                .json(&json!({ "reason": "card_revoked" })),
        )
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = s
        .send(
            s.http
                .post(&lock)
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "reason": "card_revoked" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = s
        .post(
            "/v1/unlock",
            json!({ "id_number": ID2, "password": NEW, "question": "first_pet", "answer": "Mực" }),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(error(&v).0, "unlock_needs_officer");
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/accounts/{ID2}/unlock", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = s
        .post("/v1/login", json!({ "phone": PHONE2, "password": NEW }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    s.stop().await;
}

/// Accounts written before `account_index` existed are indexed at start
/// (login by phone finds them); expired sessions are purged.
async fn account_index_backfill_and_session_purge(backend: Backend) {
    use app::store::Storage;
    let settings = settings_for(app::Limits::default(), &backend).await;
    let s = start_on(&settings).await;
    let session = registered(&s).await;
    assert_eq!(
        s.state.store.accounts_by_phone(PHONE).await.unwrap(),
        vec![ID.to_owned()]
    );
    // the index row removed, as in a database older than the index
    let url = settings.database_url.clone();
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query("DELETE FROM account_index")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        Backend::Postgres(_) => {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query("DELETE FROM account_index")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
    assert!(
        s.state
            .store
            .accounts_by_phone(PHONE)
            .await
            .unwrap()
            .is_empty()
    );
    let (st, v) = s
        .post("/v1/login", json!({ "phone": PHONE, "password": PASSWORD }))
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(error(&v).0, "wrong_credentials");
    // a second server on the same database back-fills it
    let again = app::AppState::open(&settings).await.unwrap();
    assert_eq!(
        again.store.accounts_by_phone(PHONE).await.unwrap(),
        vec![ID.to_owned()]
    );
    again.store.close().await;
    let (st, v) = s
        .post("/v1/login", json!({ "phone": PHONE, "password": PASSWORD }))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");

    // purge: nothing is expired now; everything is two days later
    assert_eq!(s.state.store.purge_sessions(app::now()).await.unwrap(), 0);
    let (st, _) = s.get_bearer("/v1/account", &session).await;
    assert_eq!(st, StatusCode::OK);
    // the two logins (the registration's flow token was consumed)
    assert_eq!(
        s.state
            .store
            .purge_sessions(app::now() + 2 * 86_400)
            .await
            .unwrap(),
        2
    );
    let (st, _) = s.get_bearer("/v1/account", &session).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    s.stop().await;
}

// ---------------------------------------------------------------------------
// Level-1 dossiers from the chip's files: passive authentication, the ID and
// registry checks, the verdict stored and shown to officers.

on_both!(
    chip_dossier_checks_and_approval,
    chip_dossier_sqlite,
    chip_dossier_postgres
);

async fn chip_dossier_checks_and_approval(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let token = registered(&s).await;
    let submit = |body: Value| {
        s.send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&body),
        )
    };
    let good = demo_card();

    // a truncated DG1: malformed, named
    let mut bad = demo_card();
    bad.dg1.truncate(bad.dg1.len() - 5);
    let (st, v) = submit(bad.body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "malformed_chip_file");
    assert_eq!(v["error"]["file"], "DG1");
    // a file left out, or not base64
    let mut body = good.body();
    body.as_object_mut().unwrap().remove("sod");
    let (st, v) = submit(body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(
        (error(&v).0, &v["error"]["file"]),
        ("malformed_chip_file", &json!("EF.SOD"))
    );
    let mut body = good.body();
    body["dg13"] = json!("not base64!");
    let (st, v) = submit(body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["file"], "DG13");

    // one bit flipped in DG13 (the ID number's last digit, 4 -> 5: DG13
    // still parses): its hash no longer matches EF.SOD's
    let mut bad = demo_card();
    let at = bad
        .dg13
        .windows(ID.len())
        .position(|w| w == ID.as_bytes())
        .unwrap()
        + ID.len()
        - 1;
    bad.dg13[at] ^= 0x01;
    let (st, v) = submit(bad.body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "chip_file_hash_mismatch");
    assert_eq!(v["error"]["file"], "DG13");
    assert!(
        v["error"]["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["check"] == "dg13" && f["code"] == "hash-mismatch"),
        "{v}"
    );

    // the same card signed under another CSCA: the chain fails
    let mut rng = icao9303_sim::SimRng::from_seed_u64(0x0BAD_C5CA);
    let other = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    let forged = ChipFiles::new(&mut rng, &other, ID, "Trần Ngọc Ngọc", "740307", "340307");
    let (st, v) = submit(forged.body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "passive_authentication_failed");
    let failures = v["error"]["failures"].as_array().unwrap();
    assert!(failures.iter().any(|f| f["check"] == "chain"), "{v}");
    assert!(
        !failures.iter().any(|f| f["code"] == "hash-mismatch"),
        "{v}"
    );

    // another citizen's genuine card (registry row 2): not this account's
    let mut rng = icao9303_sim::SimRng::from_seed_u64(icao9303_sim::pki::DEMO_SEED);
    let pki = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    let theirs = ChipFiles::new(&mut rng, &pki, ID2, "Phan Mai Hương", "790716", "390716");
    let (st, v) = submit(theirs.body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "card_mismatch");
    assert_eq!(v["error"]["file"], "DG1");

    // nothing was stored by the refusals
    let (st, v) = s.get_bearer("/v1/dossiers/current", &token).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossier"], Value::Null, "{v}");

    // the portrait is the citizen's own: refused without one, or with
    // DG2's photo sent back, or too small, or a JPEG cut short (001 step
    // 5, 003 "chụp ảnh chân dung"); DG2 is never taken for it
    let dg2 = icao9303::lds::Dg2::parse(&good.dg2).unwrap();
    let face = dg2.face_image().unwrap().data;
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    let cut = common::PORTRAIT.get(..common::PORTRAIT.len() / 2).unwrap();
    for (portrait, code) in [
        (None, "portrait_required"),
        (Some(b64(face)), "portrait_is_chip_photo"),
        (Some(b64(common::PORTRAIT_SMALL)), "portrait_too_small"),
        (Some(b64(cut)), "portrait_not_jpeg"),
    ] {
        let mut body = good.body();
        match portrait {
            Some(p) => body["portrait_jpeg"] = json!(p),
            None => drop(body.as_object_mut().unwrap().remove("portrait_jpeg")),
        }
        let (st, v) = submit(body).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{code}: {v}");
        assert_eq!(error(&v).0, code, "{v}");
    }

    // the genuine card with the citizen's portrait: passes, DG2's face kept
    // beside it for the officer
    let (st, v) = submit(good.body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "submitted");
    assert_eq!(v["dossier"]["card"]["source"], "nfc");
    assert_eq!(v["dossier"]["card"]["full_name"], "Trần Ngọc Ngọc");
    use sha2::Digest;
    let sha = |b: &[u8]| format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)));
    assert_eq!(v["dossier"]["portrait"], sha(common::PORTRAIT));
    let verdict = &v["verdict"];
    assert_eq!(verdict["source"], "nfc");
    assert_eq!(verdict["approvable"], true);
    assert_eq!(
        verdict["portrait"],
        json!({ "sha256": sha(common::PORTRAIT), "width": 240, "height": 320 })
    );
    assert_eq!(verdict["dg2_face"]["sha256"], sha(face));
    assert_eq!(verdict["passive_authentication"]["valid"], true);
    assert_eq!(verdict["mismatches"], json!([]));
    for check in [
        "passive_authentication",
        "id_number",
        "dg13_vs_mrz",
        "registry",
    ] {
        assert!(
            verdict["checks"]
                .as_array()
                .unwrap()
                .contains(&json!({ "check": check, "status": "passed" })),
            "{check}: {verdict}"
        );
    }
    // DG1, DG2 and DG13 hashed and matched
    let dgs = verdict["passive_authentication"]["data_groups"]
        .as_array()
        .unwrap();
    for n in [1, 2, 13] {
        let d = dgs.iter().find(|d| d["number"] == n).unwrap();
        assert_eq!(d["check"]["status"], "passed", "DG{n}: {d}");
    }

    // the status and the officers' listing show the verdict
    let (_, v) = s.get_bearer("/v1/dossiers/current", &token).await;
    assert_eq!(&v["verdict"], verdict);
    let list = format!("{}/v1/officer/dossiers", s.base);
    let (st, v) = s.send(s.http.get(&list).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["dossiers"][0]["id_number"], ID);
    assert_eq!(&v["dossiers"][0]["verdict"], verdict);

    // approvable, and approved
    let approve = format!("{}/v1/officer/dossiers/{ID}/approve", s.base);
    let (st, v) = s
        .send(s.http.post(&approve).bearer_auth(OFFICER_TOKEN))
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "approved");
    let (_, text) = s.sms(2).await;
    assert_eq!(text, eid_account::approval_sms("Trần Ngọc Ngọc"));
    s.stop().await;
}

on_both!(csca_flag_replaces_the_demo_csca, csca_sqlite, csca_postgres);

/// [`start`] with the CSCAs of `--csca`.
async fn start_trusting(backend: &Backend, trust: app::dossier::Trust) -> Server {
    let dir = temp_dir();
    let url = database_url(backend, &dir).await;
    let mut state = app::AppState::open(&settings_on(url, &dir, shipped_registry()))
        .await
        .unwrap();
    state.trust = trust;
    serve_state(state).await
}

async fn csca_flag_replaces_the_demo_csca(backend: Backend) {
    // another country signing CA, as a DER file
    let mut rng = icao9303_sim::SimRng::from_seed_u64(0x0BAD_C5CA);
    let other = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    let dir = temp_dir();
    let der = dir.join("csca.der");
    std::fs::write(&der, other.csca_certificate()).unwrap();
    let junk = dir.join("junk.der");
    std::fs::write(&junk, b"not a certificate").unwrap();
    assert!(app::dossier::Trust::load(std::slice::from_ref(&junk)).is_err());
    assert!(app::dossier::Trust::load(&[dir.join("missing.der")]).is_err());
    let trust = app::dossier::Trust::load(std::slice::from_ref(&der)).unwrap();
    assert_eq!(trust.store.len(), 1);

    let s = start_trusting(&backend, trust).await;
    let token = registered(&s).await;
    let submit = |body: Value| {
        s.send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&body),
        )
    };
    // the demonstration CSCA is no longer trusted
    let (st, v) = submit(demo_card().body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "passive_authentication_failed");
    // a card signed under the CSCA of --csca passes
    let card = ChipFiles::new(&mut rng, &other, ID, "Trần Ngọc Ngọc", "740307", "340307");
    let (st, v) = submit(card.body()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdict"]["passive_authentication"]["valid"], true);
    assert_eq!(v["verdict"]["trust"], der.display().to_string());
    s.stop().await;
}

on_both!(
    registry_mismatch_is_stored_not_approvable,
    registry_mismatch_sqlite,
    registry_mismatch_postgres
);

/// A genuine card whose DG13 the registry no longer agrees with (the
/// registry corrected the name after the registration): the dossier is
/// stored with the mismatch, shown to officers, and cannot be approved,
/// only rejected.
async fn registry_mismatch_is_stored_not_approvable(backend: Backend) {
    let dir = temp_dir();
    let url = database_url(&backend, &dir).await;
    let state = app::AppState::open(&settings_on(url.clone(), &dir, shipped_registry()))
        .await
        .unwrap();
    let s = serve_state(state).await;
    let token = registered(&s).await;
    s.stop().await;

    let text = std::fs::read_to_string(shipped_registry()).unwrap();
    let corrected = text.replacen(
        "038174739054,Trần Ngọc Ngọc,",
        "038174739054,Trần Ngọc Ánh,",
        1,
    );
    assert_ne!(corrected, text);
    let registry = dir.join("registry.csv");
    std::fs::write(&registry, corrected).unwrap();
    let state = app::AppState::open(&settings_on(url, &dir, registry))
        .await
        .unwrap();
    let s = serve_state(state).await;
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/dossiers", s.base))
                .bearer_auth(&token)
                .json(&demo_card().body()),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let verdict = v["verdict"].clone();
    assert_eq!(verdict["approvable"], false, "{verdict}");
    assert_eq!(verdict["passive_authentication"]["valid"], true);
    let checks = verdict["checks"].as_array().unwrap();
    assert!(checks.contains(&json!({ "check": "registry", "status": "failed" })));
    assert!(checks.contains(&json!({ "check": "passive_authentication", "status": "passed" })));
    assert_eq!(
        verdict["mismatches"],
        json!([{
            "between": ["dg13", "registry"],
            "field": "full_name",
            "left": "Trần Ngọc Ngọc",
            "right": "Trần Ngọc Ánh",
        }])
    );
    let list = format!("{}/v1/officer/dossiers", s.base);
    let (_, v) = s.send(s.http.get(&list).bearer_auth(OFFICER_TOKEN)).await;
    assert_eq!(v["dossiers"][0]["verdict"], verdict);

    let approve = format!("{}/v1/officer/dossiers/{ID}/approve", s.base);
    let (st, v) = s
        .send(s.http.post(&approve).bearer_auth(OFFICER_TOKEN))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert_eq!(error(&v).0, "dossier_not_approvable");
    assert_eq!(v["error"]["verdict"]["mismatches"], verdict["mismatches"]);
    let reject = format!("{}/v1/officer/dossiers/{ID}/reject", s.base);
    let (st, v) = s
        .send(
            s.http
                .post(&reject)
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "reason": "data_mismatch" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "not_accepted");
    s.stop().await;
}

// ---------------------------------------------------------------------------
// Issue 13: the takeover knowing only the ID number, and guesses in parallel
// against two servers sharing one database (docs/SECURITY-MODEL.md).

on_both!(
    level2_takeover_by_an_unverified_phone_fails,
    takeover_sqlite,
    takeover_postgres
);
on_both!(
    parallel_guesses_cost_one_try_each,
    parallel_guesses_sqlite,
    parallel_guesses_postgres
);

const ATTACKER_PHONE: &str = "0911111111";

async fn level2_takeover_by_an_unverified_phone_fails(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    // The attacker knows her QR code, not her phone: refused, nothing kept.
    let (st, v) = s
        .post(
            "/v1/registrations",
            json!({ "id_number": ID2, "phone": ATTACKER_PHONE, "qr": QR2, "terms_accepted": true }),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "not_in_registry");
    let id = cccd::IdNumber::parse(ID2).unwrap();
    assert_eq!(s.state.account(&id).await.unwrap().version(), 0);
    // The officer records her level-2 dossier with the phone checked at the
    // counter, and approves it: the SMS goes to her.
    record_and_approve_level2(&s).await;
    assert_eq!(
        s.sms_to(PHONE2, 1).await,
        eid_account::approval_sms("Phan Mai Hương")
    );
    // The attacker's activation is refused; hers gets the code on her phone.
    let activate = |phone: &str, device: &str| {
        s.http
            .post(format!("{}/v1/activations", s.base))
            .header("X-Device-Id", device)
            .json(&json!({ "id_number": ID2, "phone": phone }))
    };
    let (st, v) = s.send(activate(ATTACKER_PHONE, "attacker")).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "id_or_phone_mismatch");
    let (st, v) = s.send(activate(PHONE2, "her-phone")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let code = code_of(&s.sms_to(PHONE2, 2).await);
    s.verify(ID2, &code).await;
    assert!(s.sms.sent().iter().all(|(to, _)| to != ATTACKER_PHONE));
    s.stop().await;
}

/// Sends `n` copies of a request at once, alternating between two servers
/// on one database; returns the answers.
async fn at_once(
    servers: [&Server; 2],
    n: usize,
    req: impl Fn(&Server) -> reqwest::RequestBuilder,
) -> Vec<(StatusCode, Value)> {
    all_at_once((0..n).map(|i| req(servers[i % 2]))).await
}

const GUESSES: usize = 50;

async fn parallel_guesses_cost_one_try_each(backend: Backend) {
    let limits = app::Limits {
        otp_checks: 1000,
        logins: 1000,
        activations: 1000,
        otp_sends: 1000,
        ..app::Limits::default()
    };
    let settings = settings_for(limits, &backend).await;
    let a = start_on(&settings).await;
    let b = start_on(&settings).await;

    // Wrong OTPs (limit 5 per code): five judged, the rest exhausted.
    let (st, _) = a.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED);
    let code = code_of(&a.sms(1).await.1);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let answers = at_once([&a, &b], GUESSES, |s| {
        s.http
            .post(format!("{}/v1/otp/verify", s.base))
            .json(&json!({ "id_number": ID, "code": wrong }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_otp"), Some(&5), "{c:?}");
    assert_eq!(c.get("otp_exhausted"), Some(&(GUESSES - 5)), "{c:?}");
    assert_eq!(recorded(&a.state.store, ID, "otp_rejected").await, 5);
    let (st, v) = a
        .post("/v1/otp/verify", json!({ "id_number": ID, "code": code }))
        .await;
    assert_eq!(error(&v).0, "otp_exhausted", "{st} {v}");

    // Wrong passwords (limit 5): every answer the same, five counted.
    let s = start_on(&settings_for(limits, &backend).await).await;
    registered(&s).await;
    let answers = at_once([&s, &s], GUESSES, |s| {
        s.http
            .post(format!("{}/v1/login", s.base))
            .header("X-Device-Id", "attacker")
            .json(&json!({ "id_number": ID, "password": "Sai@Matkhau1" }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_credentials"), Some(&GUESSES), "{c:?}");
    assert_eq!(recorded(&s.state.store, ID, "login_failed").await, 5);
    assert_eq!(recorded(&s.state.store, ID, "login_locked_out").await, 1);
    s.stop().await;

    // Wrong passcodes (limit 5): five judged, then the account is locked.
    active_level2(&a).await;
    let session = login_on(&a, "her-phone").await;
    let answers = at_once([&a, &b], GUESSES, |s| {
        s.http
            .post(format!("{}/v1/passcode/confirm", s.base))
            .bearer_auth(&session)
            .json(&json!({ "service": "card_data", "passcode": "111111" }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_passcode"), Some(&5), "{c:?}");
    // the rest: the lock, or the session it ended
    let rest = c.get("locked").unwrap_or(&0) + c.get("unauthorized").unwrap_or(&0);
    assert_eq!(rest, GUESSES - 5, "{c:?}");
    assert_eq!(recorded(&a.state.store, ID2, "passcode_failed").await, 5);
    a.stop().await;
    b.stop().await;

    // Wrong security answers (limit 3): three judged, then the reset ends.
    let settings = settings_for(limits, &backend).await;
    let (a, b) = (start_on(&settings).await, start_on(&settings).await);
    active_level2(&a).await;
    let (st, v) = a
        .post(
            "/v1/password-resets",
            json!({ "login": PHONE2, "phone": PHONE2 }),
        )
        .await;
    assert!(st.is_success(), "{st} {v}");
    let flow = a.verify(ID2, &code_of(&a.sms_to(PHONE2, 3).await)).await;
    let answers = at_once([&a, &b], GUESSES, |s| {
        s.http
            .post(format!("{}/v1/password-resets/answers", s.base))
            .bearer_auth(&flow)
            .json(&json!({ "answers": [
                { "question": "first_pet", "answer": "Mèo" },
                { "question": "favourite_food", "answer": "Phở bò" } ] }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_answers"), Some(&3), "{c:?}");
    let rest = c.get("flow_token_invalid").unwrap_or(&0) + c.get("step_out_of_order").unwrap_or(&0);
    assert_eq!(rest, GUESSES - 3, "{c:?}");
    assert_eq!(
        recorded(&a.state.store, ID2, "security_answers_rejected").await,
        3
    );
    a.stop().await;
    b.stop().await;
}

/// An officer records the second citizen's level-2 dossier with her phone
/// (checked at the counter) and approves it.
async fn record_and_approve_level2(s: &Server) {
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/level2-dossiers", s.base))
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "qr": QR2, "phone": PHONE2, "office": OFFICE })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, _) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{ID2}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
}

/// The second citizen, recorded at level 2 by an officer and activated on
/// `her-phone` (password PASSWORD2, passcode 480613, two questions).
async fn active_level2(s: &Server) {
    record_and_approve_level2(s).await;
    let (st, v) = s
        .post_from(
            "/v1/activations",
            "her-phone",
            json!({ "id_number": ID2, "phone": PHONE2 }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let flow = s.verify(ID2, &code_of(&s.sms_to(PHONE2, 2).await)).await;
    activation_steps(
        s,
        &flow,
        json!({ "password": PASSWORD2, "confirmation": PASSWORD2 }),
    )
    .await;
}

/// The steps after an activation's OTP for the second citizen (no app
/// account before): `password` (the body), passcode 480613, two questions.
async fn activation_steps(s: &Server, flow: &str, password: Value) {
    let (st, v) = s.post_bearer("/v1/password", flow, password).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    s.passcode_and_questions(flow, None).await;
}

/// Logs the second citizen in from `device`; returns the session token.
async fn login_on(s: &Server, device: &str) -> String {
    let (st, v) = s
        .post_from(
            "/v1/login",
            device,
            json!({ "phone": PHONE2, "password": PASSWORD2 }),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

// ---------------------------------------------------------------------------
// Issue 14 points 5 and 6: level 2 at the office (the office, the police
// phone, a card typed or read from its chip) and the typed residence.

on_both!(
    level2_typed_or_from_the_chip,
    level2_sources_sqlite,
    level2_sources_postgres
);
on_both!(
    level2_phone_is_the_police_one,
    police_phone_sqlite,
    police_phone_postgres
);
on_both!(
    registration_keeps_a_typed_residence_and_the_terms_version,
    typed_residence_sqlite,
    typed_residence_postgres
);

/// The third citizen of registry.csv.
const ID3: &str = "066307119255";
const PHONE3: &str = "0776328452";

/// The demonstration CSCA's card of the second citizen (registry row 2).
fn card_of_citizen2() -> ChipFiles {
    let mut rng = icao9303_sim::SimRng::from_seed_u64(icao9303_sim::pki::DEMO_SEED);
    let pki = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    ChipFiles::new(&mut rng, &pki, ID2, "Phan Mai Hương", "790716", "390716")
}

/// The number of events of `id`'s account.
async fn version_of(s: &Server, id: &str) -> u64 {
    let id = cccd::IdNumber::parse(id).unwrap();
    s.state.account(&id).await.unwrap().version()
}

/// A level-2 record's body from the chip's files.
fn chip_record(card: &ChipFiles, phone: &str) -> Value {
    let mut body = card.body();
    let o = body.as_object_mut().unwrap();
    o.remove("portrait_jpeg");
    o.remove("email");
    o.insert("phone".into(), json!(phone));
    o.insert("office".into(), json!(OFFICE));
    body
}

async fn level2_typed_or_from_the_chip(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let record = |body: Value| {
        s.send(
            s.http
                .post(format!("{}/v1/officer/level2-dossiers", s.base))
                .bearer_auth(OFFICER_TOKEN)
                .json(&body),
        )
    };
    // no office, or two sources at once: refused
    let (st, v) = record(json!({ "qr": QR2, "phone": PHONE2 })).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    let typed = json!({ "id_number": ID3, "full_name": "Võ Ngọc Hương",
        "date_of_birth": "2007-07-24", "sex": "Nữ",
        "permanent_residence": "Phường Tân Lợi, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk" });
    let (st, v) =
        record(json!({ "qr": QR2, "card": typed, "phone": PHONE3, "office": OFFICE })).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");

    // typed data the registry disagrees with: refused, the fields named,
    // nothing recorded
    for (field, value, named) in [
        ("date_of_birth", "2007-07-25", "date_of_birth"),
        ("full_name", "Võ Ngọc Hường", "full_name"),
        (
            "permanent_residence",
            "Phường Tân An, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk",
            "permanent_residence",
        ),
    ] {
        let mut card = typed.clone();
        card[field] = json!(value);
        let (st, v) = record(json!({ "card": card, "phone": PHONE3, "office": OFFICE })).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {v}");
        assert_eq!(error(&v).0, "registry_mismatch");
        assert_eq!(v["error"]["fields"], json!([named]), "{v}");
    }
    assert_eq!(version_of(&s, ID3).await, 0);
    // typed as the registry holds them (a card being issued: no QR yet)
    let (st, v) = record(json!({ "card": typed, "phone": PHONE3, "office": OFFICE })).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["card"]["source"], "typed");
    assert_eq!(v["dossier"]["office"], OFFICE);
    assert_eq!(v["dossier"]["phone"], PHONE3);

    // the chip with one byte flipped in DG13: refused, nothing recorded
    let mut bad = card_of_citizen2();
    let at = bad
        .dg13
        .windows(ID2.len())
        .position(|w| w == ID2.as_bytes())
        .unwrap()
        + ID2.len()
        - 1;
    bad.dg13[at] ^= 0x01;
    let (st, v) = record(chip_record(&bad, PHONE2)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "chip_file_hash_mismatch");
    assert_eq!(v["error"]["file"], "DG13");
    // under another CSCA: passive authentication fails
    let mut rng = icao9303_sim::SimRng::from_seed_u64(0x0BAD_C5CA);
    let other = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").unwrap();
    let forged = ChipFiles::new(&mut rng, &other, ID2, "Phan Mai Hương", "790716", "390716");
    let (st, v) = record(chip_record(&forged, PHONE2)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "passive_authentication_failed");
    assert_eq!(version_of(&s, ID2).await, 0);
    // the genuine chip: recorded, with the verdict
    let (st, v) = record(chip_record(&card_of_citizen2(), PHONE2)).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["dossier"]["card"]["source"], "nfc");
    assert_eq!(v["dossier"]["card"]["full_name"], "Phan Mai Hương");
    assert_eq!(v["verdict"]["passive_authentication"]["valid"], true);

    // both approved: the SMS to the phones the officer took
    for (id, phone, name) in [
        (ID3, PHONE3, "Võ Ngọc Hương"),
        (ID2, PHONE2, "Phan Mai Hương"),
    ] {
        let (st, v) = s
            .send(
                s.http
                    .post(format!("{}/v1/officer/dossiers/{id}/approve", s.base))
                    .bearer_auth(OFFICER_TOKEN),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{v}");
        assert_eq!(s.sms_to(phone, 1).await, eid_account::approval_sms(name));
    }
    s.stop().await;
}

/// The registry file with `from` replaced by `to` (once), in `dir`.
fn edited_registry(dir: &std::path::Path, from: &str, to: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(shipped_registry()).unwrap();
    let edited = text.replacen(from, to, 1);
    assert_ne!(edited, text);
    let path = dir.join("registry.csv");
    std::fs::write(&path, edited).unwrap();
    path
}

/// 000 step 3, 004 "SĐT khi làm CCCD": the citizen registered her app
/// account with one phone, then gave the police another (the registry now
/// holds it). The level-2 record takes the police phone: the approval SMS
/// and the activation go there only, and the old phone moves nothing.
async fn level2_phone_is_the_police_one(backend: Backend) {
    const POLICE: &str = "0977777777";
    let dir = temp_dir();
    let url = database_url(&backend, &dir).await;
    let s = serve_state(
        app::AppState::open(&settings_on(url.clone(), &dir, shipped_registry()))
            .await
            .unwrap(),
    )
    .await;
    registered(&s).await;
    s.stop().await;
    let registry = edited_registry(&dir, PHONE, POLICE);
    let s = serve_state(
        app::AppState::open(&settings_on(url, &dir, registry))
            .await
            .unwrap(),
    )
    .await;
    let record = |phone: &str| {
        s.send(
            s.http
                .post(format!("{}/v1/officer/level2-dossiers", s.base))
                .bearer_auth(OFFICER_TOKEN)
                .json(&json!({ "qr": QR, "phone": phone, "office": OFFICE })),
        )
    };
    // the app account's phone is no longer the one the police hold
    let (st, v) = record(PHONE).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["fields"], json!(["phone"]));
    let (st, v) = record(POLICE).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, v) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{ID}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        s.sms_to(POLICE, 1).await,
        eid_account::approval_sms("Trần Ngọc Ngọc")
    );
    // the old phone: no activation, no reset code
    let activate = |phone: &str| {
        s.http
            .post(format!("{}/v1/activations", s.base))
            .header("X-Device-Id", "her-phone")
            .json(&json!({ "id_number": ID, "phone": phone }))
    };
    let (st, v) = s.send(activate(PHONE)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "id_or_phone_mismatch");
    let (st, _) = s
        .post(
            "/v1/password-resets",
            json!({ "login": ID, "phone": PHONE }),
        )
        .await;
    assert_eq!(st, StatusCode::ACCEPTED);
    let (st, v) = s.send(activate(POLICE)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    code_of(&s.sms_to(POLICE, 2).await);
    assert!(
        s.sms.sent().iter().all(|(to, _)| to == POLICE),
        "{:?}",
        s.sms.sent()
    );
    let id = cccd::IdNumber::parse(ID).unwrap();
    let account = s.state.account(&id).await.unwrap();
    assert_eq!(account.phone().unwrap().as_str(), POLICE);
    s.stop().await;
}

/// 003's "Lưu ý": a citizen who moved registers with her card's QR code
/// and types the residence the police now hold: that one is checked and
/// reported, the card's kept beside it; the terms version is recorded.
async fn registration_keeps_a_typed_residence_and_the_terms_version(backend: Backend) {
    const MOVED: &str = "Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội";
    let dir = temp_dir();
    let url = database_url(&backend, &dir).await;
    let card = "Phường Điện Biên, Thành phố Thanh Hóa, Tỉnh Thanh Hóa";
    let registry = edited_registry(&dir, card, MOVED);
    let s = serve_state(
        app::AppState::open(&settings_on(url, &dir, registry))
            .await
            .unwrap(),
    )
    .await;
    // the card's address alone no longer matches; nothing is kept
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // an outdated terms text is refused
    let mut body = register_body();
    body["permanent_residence"] = json!(MOVED);
    body["terms_version"] = json!("2019-01");
    let (st, v) = s.post("/v1/registrations", body.clone()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(error(&v).0, "invalid_field");
    body["terms_version"] = json!(app::settings::TERMS_VERSION);
    let (st, v) = s.post("/v1/registrations", body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = cccd::IdNumber::parse(ID).unwrap();
    let account = s.state.account(&id).await.unwrap();
    assert_eq!(account.residence(), Some(MOVED));
    assert_eq!(account.card_residence(), Some(card));
    assert_eq!(account.terms_version(), Some(app::settings::TERMS_VERSION));
    s.stop().await;
}
