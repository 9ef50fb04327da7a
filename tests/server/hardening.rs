//! The reference server's hardening (issue 13), in-process over HTTP and
//! raw TCP: header-read and idle timeouts, the connection cap, a bounded
//! shutdown with half-open connections, the Argon2 permits (503 +
//! Retry-After), the demonstration CSCA only with `--demo-csca`, per-/64
//! and proxy-aware client addresses, the daily guess cap and the limits of
//! passcode confirmation and security answers, staff roles and the officer
//! gate, JSON-only bodies, `Cache-Control: no-store`, a uniform
//! password-reset answer, no internal phase in errors, owner-only SQLite
//! files. SQLite always, PostgreSQL when `DINHDANH_TEST_POSTGRES_URL` is set.

use crate::app;
use std::time::{Duration, Instant};

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_both!(
    slow_headers_and_idle_connections_are_closed,
    slow_headers_sqlite,
    slow_headers_postgres
);
on_both!(
    connection_cap_holds,
    connection_cap_sqlite,
    connection_cap_postgres
);
on_both!(
    shutdown_is_bounded_with_half_open_connections,
    shutdown_sqlite,
    shutdown_postgres
);
on_both!(
    argon2_permits_answer_503_with_retry_after,
    argon2_permits_sqlite,
    argon2_permits_postgres
);
on_both!(
    demo_csca_only_with_the_flag,
    demo_csca_sqlite,
    demo_csca_postgres
);
on_both!(
    client_addresses_by_64_and_trusted_proxies,
    client_addresses_sqlite,
    client_addresses_postgres
);
on_both!(
    guess_limits_daily_cap_passcode_and_answers,
    guess_limits_sqlite,
    guess_limits_postgres
);
on_both!(
    staff_roles_and_the_officer_gate,
    staff_roles_sqlite,
    staff_roles_postgres
);
on_both!(
    json_only_no_store_and_no_internal_phase,
    json_only_sqlite,
    json_only_postgres
);
on_both!(
    password_reset_answers_the_same,
    password_reset_sqlite,
    password_reset_postgres
);

/// The settings of a test server with the transport's settings changed by
/// `f`.
async fn settings_with(backend: &Backend, f: impl FnOnce(&mut app::Settings)) -> app::Settings {
    let mut settings = settings_for(app::Limits::default(), backend).await;
    f(&mut settings);
    settings
}

/// The address of a test server (`http://127.0.0.1:PORT`).
fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_owned()
}

/// Reads until the peer closes the connection (or `limit` passes); returns
/// what came and how long it took.
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Duration) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = limit.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, start.elapsed()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!("the server did not close the connection within {limit:?}"),
        }
    }
}

async fn slow_headers_and_idle_connections_are_closed(backend: Backend) {
    let settings = settings_with(&backend, |s| {
        s.http.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let s = start_on(&settings).await;
    // half a request head, then nothing: closed after the timeout
    let mut slow = TcpStream::connect(addr(&s)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (_, took) = read_to_close(&mut slow, Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(800), "{took:?}");
    // a connection that says nothing at all
    let mut mute = TcpStream::connect(addr(&s)).await.unwrap();
    let (got, took) = read_to_close(&mut mute, Duration::from_secs(5)).await;
    assert!(took >= Duration::from_millis(800), "{took:?}");
    assert!(got.is_empty());
    // a keep-alive connection idle after its request: closed too
    let mut idle = TcpStream::connect(addr(&s)).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (got, took) = read_to_close(&mut idle, Duration::from_secs(5)).await;
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(took >= Duration::from_millis(800), "{took:?}");
    s.stop().await;
}

async fn connection_cap_holds(backend: Backend) {
    let settings = settings_with(&backend, |s| {
        s.http.max_connections = 3;
        s.http.header_read_timeout = Duration::from_secs(30);
    })
    .await;
    let s = start_on(&settings).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr(&s)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // one more: closed at once, unanswered
    for _ in 0..3 {
        let mut extra = TcpStream::connect(addr(&s)).await.unwrap();
        let _ = extra
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        let (got, took) = read_to_close(&mut extra, Duration::from_secs(2)).await;
        assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
        assert!(took < Duration::from_secs(1), "{took:?}");
    }
    // the held ones are served
    let first = &mut held[0];
    first
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (got, _) = read_to_close(first, Duration::from_secs(5)).await;
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    // a slot freed: a new connection is served
    held.remove(0);
    let mut served = false;
    for _ in 0..40 {
        let mut c = TcpStream::connect(addr(&s)).await.unwrap();
        c.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let (got, _) = read_to_close(&mut c, Duration::from_secs(5)).await;
        if String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(served);
    drop(held);
    s.stop().await;
}

async fn shutdown_is_bounded_with_half_open_connections(backend: Backend) {
    let settings = settings_with(&backend, |s| {
        s.http.shutdown_grace = Duration::from_secs(1);
        s.http.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let s = start_on(&settings).await;
    let mut half_open = Vec::new();
    for _ in 0..3 {
        let mut c = TcpStream::connect(addr(&s)).await.unwrap();
        c.write_all(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
            .await
            .unwrap();
        half_open.push(c);
    }
    // a request whose body never ends: in flight
    let mut in_flight = TcpStream::connect(addr(&s)).await.unwrap();
    in_flight
        .write_all(b"POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start = Instant::now();
    let Server { stop, task, .. } = s;
    let _ = stop.unwrap().send(());
    let result = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the server did not stop within 10 s");
    result.unwrap().unwrap();
    let took = start.elapsed();
    assert!(took < Duration::from_secs(3), "{took:?}");
    assert!(took >= Duration::from_millis(900), "{took:?}");
    // and the connections were closed
    let (_, _) = read_to_close(&mut in_flight, Duration::from_secs(2)).await;
    for c in &mut half_open {
        let (_, _) = read_to_close(c, Duration::from_secs(2)).await;
    }
}

/// `POST /v1/login` of the registered citizen; status, body, `Retry-After`.
async fn login(s: &Server) -> (StatusCode, Value, Option<String>) {
    let resp = s
        .http
        .post(format!("{}/v1/login", s.base))
        .json(&json!({ "id_number": ID, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, resp.json().await.unwrap_or(Value::Null), retry)
}

async fn argon2_permits_answer_503_with_retry_after(backend: Backend) {
    let settings = settings_with(&backend, |s| {
        s.argon2_permits = Some(1);
        s.argon2_wait = Duration::from_millis(200);
        s.argon2_m_kib = 4096;
    })
    .await;
    let s = start_on(&settings).await;
    assert_eq!(s.state.hashing.count, 1);
    registered(&s).await;
    // the one permit taken: a login waits, then 503 with Retry-After
    let held = s
        .state
        .hashing
        .semaphore
        .clone()
        .try_acquire_owned()
        .unwrap();
    let start = Instant::now();
    let (st, v, retry) = login(&s).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "server_busy");
    assert_eq!(retry.as_deref(), Some("1"));
    assert!(start.elapsed() >= Duration::from_millis(180));
    // a request that hashes nothing is not held up
    let (st, v) = s
        .post("/v1/otp/resend", json!({ "id_number": "001179600965" }))
        .await;
    assert_ne!(st, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    drop(held);
    let (st, v, _) = login(&s).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    s.stop().await;

    // more parallel logins than permits, and a wait shorter than a hash:
    // some get 503, each with Retry-After
    let settings = settings_with(&backend, |s| {
        s.argon2_permits = Some(1);
        s.argon2_wait = Duration::from_millis(1);
        s.argon2_m_kib = 16 * 1024;
    })
    .await;
    let s = start_on(&settings).await;
    let mut ok = false;
    for _ in 0..20 {
        // the registration's own hashing may meet a 503 too: retried
        if s.post("/v1/registrations", register_body()).await.0 == StatusCode::CREATED {
            ok = true;
            break;
        }
    }
    assert!(ok);
    let code = code_of(&s.sms(1).await.1);
    let flow = s.verify(ID, &code).await;
    let set = json!({ "password": PASSWORD, "confirmation": PASSWORD });
    let (st, v) = s.post_bearer("/v1/password", &flow, set).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    // twelve accounts (commands on one account queue before they hash, so
    // parallel logins to one account never meet each other at the permits)
    let mut tasks = Vec::new();
    for i in 0..12 {
        let http = s.http.clone();
        let url = format!("{}/v1/login", s.base);
        let id = if i == 0 {
            ID.to_owned()
        } else {
            format!("0011796009{i:02}")
        };
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(url)
                .json(&json!({ "id_number": id, "password": PASSWORD }))
                .send()
                .await
                .unwrap();
            (r.status(), r.headers().contains_key("retry-after"))
        }));
    }
    let mut busy = 0;
    for t in tasks {
        let (st, retry) = t.await.unwrap();
        if st == StatusCode::SERVICE_UNAVAILABLE {
            assert!(retry);
            busy += 1;
        }
    }
    assert!(busy >= 1, "no 503 among 12 parallel logins over 1 permit");
    s.stop().await;
}

async fn demo_csca_only_with_the_flag(backend: Backend) {
    // without --demo-csca (and no --csca): chip dossiers refused
    let settings = settings_with(&backend, |s| s.demo_csca = false).await;
    let s = start_on(&settings).await;
    assert!(s.state.trust.store.is_empty());
    let token = registered(&s).await;
    let (st, v) = s
        .post_bearer("/v1/dossiers", &token, demo_card().body())
        .await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["error"]["code"], "no_csca_configured");
    let (_, v) = s.get_bearer("/v1/dossiers/current", &token).await;
    assert_eq!(v["dossier"], Value::Null, "{v}");
    s.stop().await;
    // with it: the simulator's chip passes passive authentication
    let s = start(app::Limits::default(), &backend).await;
    let token = registered(&s).await;
    let (st, v) = s
        .post_bearer("/v1/dossiers", &token, demo_card().body())
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["verdict"]["passive_authentication"]["valid"], true);
    s.stop().await;
}

/// The first `n` ID numbers of the shipped registry.
fn registry_ids(n: usize) -> Vec<String> {
    std::fs::read_to_string(shipped_registry())
        .unwrap()
        .lines()
        .skip(1)
        .take(n)
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect()
}

/// `POST /v1/otp/verify` for `id` with `X-Forwarded-For: xff`; the status.
async fn verify_from(s: &Server, id: &str, xff: &str) -> StatusCode {
    s.send(
        s.http
            .post(format!("{}/v1/otp/verify", s.base))
            .header("x-forwarded-for", xff)
            .json(&json!({ "id_number": id, "code": "000000" })),
    )
    .await
    .0
}

async fn client_addresses_by_64_and_trusted_proxies(backend: Backend) {
    let limits = app::Limits {
        otp_checks: 2,
        ..app::Limits::default()
    };
    let ids = registry_ids(12);
    // behind a trusted proxy: the client of X-Forwarded-For, IPv6 by /64
    let mut settings = settings_for(limits, &backend).await;
    settings.http.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    let s = start_on(&settings).await;
    let limited = StatusCode::TOO_MANY_REQUESTS;
    assert_ne!(verify_from(&s, &ids[0], "2001:db8:1:2::1").await, limited);
    assert_ne!(
        verify_from(&s, &ids[1], "198.51.100.9, 2001:db8:1:2:ffff::2").await,
        limited
    );
    // the same /64, another address in it: the bucket is empty
    assert_eq!(verify_from(&s, &ids[2], "2001:db8:1:2::3").await, limited);
    // another /64, another IPv4 client: their own buckets
    assert_ne!(verify_from(&s, &ids[3], "2001:db8:1:3::1").await, limited);
    assert_ne!(verify_from(&s, &ids[4], "192.0.2.1").await, limited);
    assert_ne!(verify_from(&s, &ids[5], "192.0.2.2").await, limited);
    s.stop().await;
    // no trusted proxy: the header is ignored, every request is 127.0.0.1's
    let s = start(limits, &backend).await;
    assert_ne!(verify_from(&s, &ids[6], "192.0.2.10").await, limited);
    assert_ne!(verify_from(&s, &ids[7], "192.0.2.11").await, limited);
    assert_eq!(verify_from(&s, &ids[8], "192.0.2.12").await, limited);
    s.stop().await;
    // unit: the rightmost untrusted hop; a malformed list believes none
    let trusted = ["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
    let peer = "10.0.0.2".parse().unwrap();
    let mut h = axum::http::HeaderMap::new();
    h.insert(
        "x-forwarded-for",
        "6.6.6.6, 192.0.2.5, 10.0.0.1".parse().unwrap(),
    );
    assert_eq!(
        app::http::forwarded_client(&trusted, peer, &h),
        Some("192.0.2.5".parse().unwrap())
    );
    assert_eq!(
        app::http::forwarded_client(&trusted, "192.0.2.99".parse().unwrap(), &h),
        None
    );
    h.insert("x-forwarded-for", "192.0.2.5, junk".parse().unwrap());
    assert_eq!(app::http::forwarded_client(&trusted, peer, &h), None);
    assert_eq!(
        app::limits::ip_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
        "2001:db8:1:2::/64"
    );
    assert_eq!(
        app::limits::ip_key("::ffff:192.0.2.7".parse().unwrap()),
        "192.0.2.7"
    );
}

async fn guess_limits_daily_cap_passcode_and_answers(backend: Backend) {
    // passcode confirmations and security answers: per-ID (and IP) limits
    let limits = app::Limits {
        logins: 3,
        ..app::Limits::default()
    };
    let s = start(limits, &backend).await;
    let token = registered(&s).await;
    let confirm = json!({ "service": "card_data", "passcode": "123456" });
    for _ in 0..3 {
        let (st, v) = s
            .post_bearer("/v1/passcode/confirm", &token, confirm.clone())
            .await;
        assert_ne!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    }
    let (st, v) = s
        .post_bearer("/v1/passcode/confirm", &token, confirm.clone())
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert_eq!(v["error"]["code"], "rate_limited");
    // a reset's answers, under its flow token
    let code = s.reset_code(ID, PHONE, 2).await;
    let flow = s.verify(ID, &code).await;
    let answers = json!({ "answers": [
        { "question": "first_pet", "answer": "x" },
        { "question": "favourite_food", "answer": "y" } ] });
    for _ in 0..3 {
        let (st, v) = s
            .post_bearer("/v1/password-resets/answers", &flow, answers.clone())
            .await;
        assert_ne!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    }
    let (st, v) = s
        .post_bearer("/v1/password-resets/answers", &flow, answers.clone())
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    s.stop().await;

    // the daily cap: every kind of guess at one ID together
    let limits = app::Limits {
        guesses_per_day: 4,
        ..app::Limits::default()
    };
    let s = start(limits, &backend).await;
    // registered: one OTP check (and the login, if it counts)
    let token = registered(&s).await;
    let mut taken = 0;
    let v = loop {
        let (st, v) = s
            .post_bearer("/v1/passcode/confirm", &token, confirm.clone())
            .await;
        if st == StatusCode::TOO_MANY_REQUESTS {
            break v;
        }
        taken += 1;
        assert!(taken <= 3, "past the daily cap: {v}");
    };
    assert!(taken >= 2, "{taken}");
    assert_eq!(v["error"]["code"], "rate_limited");
    // one guess back every 86 400 / 4 s: the day's bucket, not the hour's
    let secs = v["error"]["seconds_left"].as_u64().unwrap();
    assert!(secs > 3_600 && secs <= 21_600, "{secs}");
    let wrong = json!({ "id_number": ID, "code": "000000" });
    let (st, _) = s.post("/v1/otp/verify", wrong).await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    // another ID is not held by it
    let (st, _) = s
        .post(
            "/v1/otp/verify",
            json!({ "id_number": ID2, "code": "000000" }),
        )
        .await;
    assert_ne!(st, StatusCode::TOO_MANY_REQUESTS);
    s.stop().await;
}

const REPORTER_TOKEN: &str = "reporter-token-for-tests-0001";
const OFFICER_ONLY: &str = "officer-only-token-for-tests-01";

async fn staff_roles_and_the_officer_gate(backend: Backend) {
    let limits = app::Limits {
        officer_failures: 3,
        ..app::Limits::default()
    };
    let mut settings = settings_for(limits, &backend).await;
    settings.officers = vec![("CA-02".into(), OFFICER_ONLY.into())];
    settings.reporters = vec![("BC-01".into(), REPORTER_TOKEN.into())];
    let s = start_on(&settings).await;
    let get = |path: &str, token: &str| {
        s.send(s.http.get(format!("{}{path}", s.base)).bearer_auth(token))
    };
    // the report needs the reporter role, the dossiers the officer role
    let (st, v) = get("/v1/admin/report", OFFICER_ONLY).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["error"]["code"], "forbidden");
    let (st, v) = get("/v1/admin/report", REPORTER_TOKEN).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, _) = get("/v1/officer/dossiers", REPORTER_TOKEN).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = get("/v1/officer/dossiers", OFFICER_ONLY).await;
    assert_eq!(st, StatusCode::OK);
    // unknown tokens: 401, counted per address, then 429
    for _ in 0..3 {
        let (st, _) = get("/v1/officer/dossiers", "not-a-real-officer-token").await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
    let (st, v) = get("/v1/admin/report", "another-guessed-token-0000").await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    let (st, _) = s
        .send(s.http.get(format!("{}/v1/officer/dossiers", s.base)))
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    // a real officer from the same address still passes
    let (st, _) = get("/v1/officer/dossiers", OFFICER_ONLY).await;
    assert_eq!(st, StatusCode::OK);
    s.stop().await;

    // the officers file: roles per line, comments; malformed lines refused
    let text = "# staff\nCA-07:officer-token-0000001\n\nBC-01:reporter-token-000001:reporter # BC\nCA-08:both-roles-token-00001:officer+reporter\n";
    let (officers, reporters) = app::staff::parse(text).unwrap();
    let ids = |v: &Vec<(String, String)>| v.iter().map(|p| p.0.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&officers), ["CA-07", "CA-08"]);
    assert_eq!(ids(&reporters), ["BC-01", "CA-08"]);
    let table = app::staff::table(&officers, &reporters);
    let both = &table[&app::token_hash("both-roles-token-00001")];
    assert!(both.officer && both.reporter);
    let reporter = &table[&app::token_hash("reporter-token-000001")];
    assert!(!reporter.officer && reporter.reporter);
    for bad in [
        "CA-07:short",
        ":officer-token-0000001",
        "CA-07:officer-token-0000001:admin",
        "CA-07:officer-token-0000001:officer:x",
        "no-colon-at-all-here",
    ] {
        assert!(app::staff::parse(bad).is_err(), "{bad}");
    }
    assert!(app::staff::id_token("--officer", "CA-01:a-long-officer-token").is_ok());
}

async fn json_only_no_store_and_no_internal_phase(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    let url = format!("{}/v1/registrations", s.base);
    let body = serde_json::to_string(&register_body()).unwrap();
    // a body not declared JSON: 415, before anything is done
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut req = s.http.post(&url).body(body.clone());
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let (st, v) = s.send(req).await;
        assert_eq!(st, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}: {v}");
        assert_eq!(v["error"]["code"], "unsupported_media_type");
    }
    assert!(s.sms.sent().is_empty());
    let resp = s
        .http
        .post(&url)
        .header("content-type", "Application/JSON; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    // a POST without a body needs no content type (an approval)
    let (st, _) = s
        .send(
            s.http
                .post(format!("{}/v1/officer/dossiers/{ID}/approve", s.base))
                .bearer_auth(OFFICER_TOKEN),
        )
        .await;
    assert_ne!(st, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let code = code_of(&s.sms(1).await.1);
    let flow = s.verify(ID, &code).await;
    s.set_password(&flow).await;
    // token responses and errors: no-store
    let resp = s
        .http
        .post(format!("{}/v1/login", s.base))
        .json(&json!({ "id_number": ID, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    // a step out of order: said, but not which phase the account is in
    let resp = s
        .http
        .post(format!("{}/v1/otp/resend", s.base))
        .json(&json!({ "id_number": ID }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"]["code"], "step_out_of_order", "{v}");
    let text = v.to_string();
    for internal in ["AppAccount", "ResendOtp", " in "] {
        assert!(!text.contains(internal), "{internal}: {text}");
    }
    // the document says so
    let (_, doc) = s.send(s.http.get(format!("{}/openapi.json", s.base))).await;
    let responses = |path: &str, op: &str| doc["paths"][path][op]["responses"].clone();
    assert!(responses("/v1/login", "post").get("503").is_some());
    assert!(responses("/v1/registrations", "post").get("415").is_some());
    assert!(
        responses("/v1/password-resets", "post")
            .get("202")
            .is_some()
    );
    assert!(responses("/v1/admin/report", "get").get("403").is_some());
    assert!(responses("/healthz", "get").get("415").is_none());
    s.stop().await;
}

async fn password_reset_answers_the_same(backend: Backend) {
    let s = start(app::Limits::default(), &backend).await;
    registered(&s).await;
    let sent = s.sms.sent().len();
    let reset = |login: &str, phone: &str| {
        s.post(
            "/v1/password-resets",
            json!({ "login": login, "phone": phone }),
        )
    };
    // the account, by ID, with its phone: the OTP is sent
    let (st, answer) = reset(ID, PHONE).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{answer}");
    assert!(answer.get("id_number").is_none(), "{answer}");
    assert!(answer.get("security_questions").is_none(), "{answer}");
    assert!(!answer.to_string().contains(ID));
    let text = s.sms_to(PHONE, 2).await;
    assert!(code_of(&text).len() == 6);
    // a wrong phone, an unknown ID, an unknown phone, the account again
    // (its reset already started, the resend cooldown runs): the same
    // answer, and no SMS
    for (login, phone) in [(ID, PHONE2), (ID2, PHONE2), ("0912345678", "0912345678")] {
        let (st, v) = reset(login, phone).await;
        assert_eq!((st, &v), (StatusCode::ACCEPTED, &answer), "{login} {phone}");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.sms.sent().len(), sent + 1);
    // by phone, the account again (a reset under way): the same answer
    let (st, v) = reset(PHONE, PHONE).await;
    assert_eq!((st, &v), (StatusCode::ACCEPTED, &answer));
    s.stop().await;
    // SQLite: the database and its -wal/-shm are the owner's only
    if let Backend::Sqlite = backend {
        sqlite_files_are_private().await;
    }
}

#[cfg(unix)]
async fn sqlite_files_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!(
        "dinhdanh-perm-{}-{}",
        std::process::id(),
        app::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    // an existing database file left world-readable is narrowed
    let old = dir.join("old.db");
    std::fs::write(&old, b"").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    for db in [dir.join("new.db"), old] {
        let url = format!("sqlite://{}", db.display());
        let store = app::store::Store::open(&url).await.unwrap();
        use app::store::Storage;
        store.take("k", 1, 1000, 1).await.unwrap(); // a write: -wal and -shm exist
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let mode = std::fs::metadata(&name).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name:?}: {mode:o}");
        }
        store.close().await;
    }
}

#[cfg(not(unix))]
async fn sqlite_files_are_private() {}
