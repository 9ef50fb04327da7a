//! Scale-out, proven (issue 14, point 10): two reference-server processes
//! (the real binary, [`common::process`]) on one PostgreSQL schema, what
//! docs/DESIGN.md promises for more than one machine.
//!
//! - the README's tour, each request to the other server than the last;
//! - races across the two: 50 activations (one wins, one SMS queued), 50
//!   wrong OTPs (five judged) and 50 wrong passwords (five counted, one
//!   lockout): the account-security rules hold across processes;
//! - one server killed (SIGKILL) while requests flow to both: the other
//!   carries on, and every acknowledged registration is there, read back
//!   through the survivor, then through the killed one restarted.
//!
//! PostgreSQL only (SQLite is one machine's): they run when
//! `DINHDANH_TEST_POSTGRES_URL` is set, skip otherwise, and fail without
//! it when `DINHDANH_TEST_REQUIRE_POSTGRES=1`. Each test works in a schema
//! of its own. The SMS are the servers' stdout (`SMS to PHONE: TEXT`).

use crate::common;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::store::{Storage, Store};
use crate::common::process::{ProcessSettings, Remote, ServerProcess, sms_to, wait_sms};
use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Each server's own officer (`--officer`): staff tokens are a server's
/// configuration, not the database's.
const OFFICERS: [(&str, &str); 2] = [
    ("CA-A", "officer-a-token-for-scaleout"),
    ("CA-B", "officer-b-token-for-scaleout"),
];

/// Two server processes on one fresh schema.
struct Pair {
    /// The servers' key file and output.
    dir: PathBuf,
    /// The schema's URL.
    url: String,
    settings: [ProcessSettings; 2],
    servers: [Option<ServerProcess>; 2],
    clients: [Remote; 2],
    /// Requests sent through [`Pair::next`].
    sent: AtomicUsize,
    /// The SMS [`Pair::sms`] has returned, by phone.
    seen: Mutex<BTreeMap<String, Vec<String>>>,
}

impl Pair {
    /// Two servers on a schema of their own, or `None` (the test skips)
    /// without PostgreSQL.
    async fn start(test: &str) -> Option<Pair> {
        let url = postgres_url(test)?;
        let dir = temp_dir();
        let url = database_url(&Backend::Postgres(url), &dir).await;
        let settings = OFFICERS.map(|(id, token)| ProcessSettings::new(&url, &dir, id, token));
        // one after the other: the first creates the key file both use
        let a = ServerProcess::spawn(&settings[0], "a");
        let b = ServerProcess::spawn(&settings[1], "b");
        let clients = [a.client(), b.client()];
        Some(Pair {
            dir,
            url,
            settings,
            servers: [Some(a), Some(b)],
            clients,
            sent: AtomicUsize::new(0),
            seen: Mutex::new(BTreeMap::new()),
        })
    }

    /// The server for the next request: request N goes to server N mod 2.
    fn next(&self) -> (usize, &Remote) {
        let n = self.sent.fetch_add(1, Ordering::SeqCst) % 2;
        (n, &self.clients[n])
    }

    /// Waits for the `n`-th SMS to `phone`, printed by either server; its
    /// text. The files of two servers do not say which of them printed
    /// first, so the new one is the one not among those this has returned
    /// before (the caller awaits each in turn).
    async fn sms(&self, phone: &str, n: usize) -> String {
        let mut sent = wait_sms(&self.dir, phone, n).await;
        assert_eq!(sent.len(), n, "SMS to {phone}: {sent:?}");
        let mut seen = self.seen.lock().unwrap();
        let before = seen.entry(phone.to_owned()).or_default();
        for old in before.iter() {
            if let Some(i) = sent.iter().position(|t| t == old) {
                sent.remove(i);
            }
        }
        assert_eq!(
            sent.len(),
            1,
            "SMS to {phone}: new {sent:?}, seen {before:?}"
        );
        let text = sent.remove(0);
        before.push(text.clone());
        text
    }

    /// A store on the servers' schema, to read what they wrote.
    async fn store(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        self.servers = [None, None];
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Sends `n` requests at once, request `i` to server `i mod 2`; the
/// answers in order.
async fn at_once(
    pair: &Pair,
    n: usize,
    req: impl Fn(usize, &Remote) -> reqwest::RequestBuilder,
) -> Vec<(StatusCode, Value)> {
    all_at_once((0..n).map(|i| req(i, &pair.clients[i % 2]))).await
}

/// Outbox rows for `phone` (queued, sent or not).
async fn queued(url: &str, phone: &str) -> i64 {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE phone = $1")
        .bind(phone)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

/// `POST path` with a bearer token, through the next server; asserts the
/// status.
async fn step(pair: &Pair, path: &str, token: &str, body: Value, want: StatusCode) -> Value {
    let (n, s) = pair.next();
    let (st, v) = s.post_bearer(path, token, body).await;
    assert_eq!(st, want, "{path} on server {n}: {v}");
    v
}

/// Verifies the OTP of the `n`-th SMS to `phone` through the next server;
/// the flow token.
async fn verify_sms(pair: &Pair, id: &str, phone: &str, n: usize) -> String {
    let code = code_of(&pair.sms(phone, n).await);
    let (i, s) = pair.next();
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": id, "code": code }))
        .await;
    assert_eq!(st, StatusCode::OK, "verify on server {i}: {v}");
    v["flow_token"].as_str().unwrap().to_owned()
}

/// `POST path` (no body) through the next server, with its officer's
/// token.
async fn officer_post(pair: &Pair, path: &str) -> (StatusCode, Value) {
    let (n, s) = pair.next();
    common::send(s.request(Method::POST, path).bearer_auth(OFFICERS[n].1)).await
}

/// Logs the tour's citizen in from `phone-1` through the next server.
async fn login(pair: &Pair) -> String {
    let (n, s) = pair.next();
    let (st, v) = common::send(
        s.request(Method::POST, "/v1/login")
            .header("X-Device-Id", "phone-1")
            .json(&json!({ "id_number": ID, "password": PASSWORD })),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "login on server {n}: {v}");
    v["token"].as_str().unwrap().to_owned()
}

/// Registration, OTP and password of the tour's citizen, alternating.
async fn register_with_password(pair: &Pair) {
    let (n, s) = pair.next();
    let (st, v) = s.post("/v1/registrations", register_body()).await;
    assert_eq!(st, StatusCode::CREATED, "register on server {n}: {v}");
    let flow = verify_sms(pair, ID, PHONE, 1).await;
    let body = json!({ "password": PASSWORD, "confirmation": PASSWORD });
    step(pair, "/v1/password", &flow, body, StatusCode::OK).await;
}

/// The README's tour (register, OTP, password, login, level-1 dossier from
/// the chip, officer approval, activation, passcode, questions, login),
/// request N to server N mod 2.
async fn tour(pair: &Pair) {
    register_with_password(pair).await;
    let token = login(pair).await;
    let v = step(
        pair,
        "/v1/dossiers",
        &token,
        demo_card().body(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(v["dossier"]["status"]["status"], "submitted");
    assert_eq!(v["verdict"]["approvable"], true, "{v}");

    // the officer of whichever server the request reaches; the other
    // server's officer is no officer there
    let (n, s) = pair.next();
    let list = |token: &str| {
        s.request(Method::GET, "/v1/officer/dossiers")
            .bearer_auth(token)
    };
    let (st, _) = common::send(list(OFFICERS[1 - n].1)).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, v) = common::send(list(OFFICERS[n].1)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossiers"][0]["id_number"], ID);
    let (st, v) = officer_post(pair, &format!("/v1/officer/dossiers/{ID}/approve")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["dossier"]["status"]["status"], "approved");
    assert_eq!(
        pair.sms(PHONE, 2).await,
        eid_account::approval_sms("Trần Ngọc Ngọc")
    );

    let (n, s) = pair.next();
    let (st, v) = common::send(
        s.request(Method::POST, "/v1/activations")
            .header("X-Device-Id", "phone-1")
            .json(&json!({ "id_number": ID, "phone": PHONE })),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "activation on server {n}: {v}");
    let flow = verify_sms(pair, ID, PHONE, 3).await;
    let passcode = json!({ "passcode": "592804", "confirmation": "592804" });
    step(pair, "/v1/passcode", &flow, passcode, StatusCode::OK).await;
    let answers = json!({ "answers": [
        { "question": "first_pet", "answer": "Vàng" },
        { "question": "favourite_food", "answer": "Bún chả" } ] });
    let v = step(
        pair,
        "/v1/security-questions",
        &flow,
        answers,
        StatusCode::OK,
    )
    .await;
    assert_eq!(v["notices"][0]["vi"], eid_account::MSG_ACTIVATED);

    let token = login(pair).await;
    let (n, s) = pair.next();
    let (st, v) = common::send(s.request(Method::GET, "/v1/account").bearer_auth(&token)).await;
    assert_eq!(st, StatusCode::OK, "account on server {n}: {v}");
    assert_eq!(v["level"], "level1");
    assert_eq!(v["activated"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_tour_through_alternating_servers() {
    let Some(pair) = Pair::start("the_tour_through_alternating_servers").await else {
        return;
    };
    let started = Instant::now();
    tour(&pair).await;
    let sent = pair.sent.load(Ordering::SeqCst);
    // every step of the tour, one request each but the officer's list
    // (two: the other server's officer first)
    assert_eq!(sent, 13);
    // three SMS, each printed once, by either server
    assert_eq!(sms_to(&pair.dir, PHONE).len(), 3);
    println!(
        "tour: {sent} requests alternating over two processes in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Races across the two servers at once, on the account-security rules.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn races_across_two_servers() {
    let Some(pair) = Pair::start("races_across_two_servers").await else {
        return;
    };
    let store = pair.store().await;

    // the second citizen recorded at level 2 through one server, approved
    // through the other, each by its own officer
    let (st, v) = common::send(
        pair.clients[0]
            .request(Method::POST, "/v1/officer/level2-dossiers")
            .bearer_auth(OFFICERS[0].1)
            .json(&json!({ "qr": QR2, "phone": PHONE2, "office": common::OFFICE })),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let approve = format!("/v1/officer/dossiers/{ID2}/approve");
    let (st, v) = common::send(
        pair.clients[1]
            .request(Method::POST, &approve)
            .bearer_auth(OFFICERS[1].1),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        pair.sms(PHONE2, 1).await,
        eid_account::approval_sms("Phan Mai Hương")
    );
    assert_eq!(queued(&pair.url, PHONE2).await, 1);

    // 50 activations from 50 devices: one wins; the losers, decided again
    // on the winner's activation, meet its resend cooldown (never a
    // conflict); one OTP queued and sent
    let answers = at_once(&pair, GUESSES, |i, s| {
        s.request(Method::POST, "/v1/activations")
            .header("X-Device-Id", format!("device-{i}"))
            .json(&json!({ "id_number": ID2, "phone": PHONE2 }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("ok"), Some(&1), "{c:?}");
    assert_eq!(c.get("otp_cooldown"), Some(&(GUESSES - 1)), "{c:?}");
    assert_eq!(recorded(&store, ID2, "activation_started").await, 1);
    assert_eq!(queued(&pair.url, PHONE2).await, 2);
    let code = code_of(&pair.sms(PHONE2, 2).await);
    // and sent once: no second server sends it again
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(sms_to(&pair.dir, PHONE2).len(), 2);

    // 50 wrong codes at once (five tries per code): five judged, the rest
    // exhausted, and the right code then refused too
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let answers = at_once(&pair, GUESSES, |_, s| {
        s.request(Method::POST, "/v1/otp/verify")
            .json(&json!({ "id_number": ID2, "code": wrong }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_otp"), Some(&5), "{c:?}");
    assert_eq!(c.get("otp_exhausted"), Some(&(GUESSES - 5)), "{c:?}");
    assert_eq!(recorded(&store, ID2, "otp_rejected").await, 5);
    let (_, s) = pair.next();
    let (st, v) = s
        .post("/v1/otp/verify", json!({ "id_number": ID2, "code": code }))
        .await;
    assert_eq!(error(&v).0, "otp_exhausted", "{st} {v}");

    // 50 wrong passwords at once (five allowed): every answer the same,
    // five failures counted, one lockout, whichever server took them
    register_with_password(&pair).await;
    let answers = at_once(&pair, GUESSES, |_, s| {
        s.request(Method::POST, "/v1/login")
            .header("X-Device-Id", "attacker")
            .json(&json!({ "id_number": ID, "password": "Sai@Matkhau1" }))
    })
    .await;
    let c = codes(&answers);
    assert_eq!(c.get("wrong_credentials"), Some(&GUESSES), "{c:?}");
    assert_eq!(recorded(&store, ID, "login_failed").await, 5);
    assert_eq!(recorded(&store, ID, "login_locked_out").await, 1);
    // the right password from the attacker's device is locked out too
    let (st, v) = common::send(
        pair.clients[1]
            .request(Method::POST, "/v1/login")
            .header("X-Device-Id", "attacker")
            .json(&json!({ "id_number": ID, "password": PASSWORD })),
    )
    .await;
    assert_eq!(error(&v).0, "wrong_credentials", "{st} {v}");
    store.close().await;
}

/// Concurrent requests in each race.
const GUESSES: usize = 50;
/// Registrations acknowledged (by both) before the kill.
const KILL_AFTER: usize = 40;
/// Registrations the survivor must acknowledge after it.
const AFTER_KILL: usize = 30;
/// Concurrent clients, half on each server.
const CLIENTS: usize = 8;

/// One acknowledged (201) registration.
#[derive(Clone, Debug)]
struct Ack {
    citizen: Citizen,
    /// The server that acknowledged it.
    server: usize,
    /// Whether it came after the kill.
    after_kill: bool,
}

/// What the load saw.
#[derive(Default)]
struct Load {
    acked: Mutex<Vec<Ack>>,
    killed: AtomicBool,
    /// Requests to the killed server that failed (it was gone).
    failed: AtomicUsize,
    stop: AtomicBool,
}

impl Load {
    fn acked_count(&self, after_kill: bool) -> usize {
        let acked = self.acked.lock().unwrap();
        acked.iter().filter(|a| a.after_kill == after_kill).count()
    }
}

/// A client registering citizens from `queue` on server `target`; on its
/// first failure (server 1 killed) it moves to server 0. Server 0 must
/// answer every request 201.
async fn client(
    pair: Arc<[Remote; 2]>,
    queue: Arc<Mutex<std::vec::IntoIter<Citizen>>>,
    load: Arc<Load>,
    mut target: usize,
) {
    while !load.stop.load(Ordering::SeqCst) {
        let Some(c) = queue.lock().unwrap().next() else {
            return;
        };
        let killed_before = load.killed.load(Ordering::SeqCst);
        let r = pair[target]
            .request(Method::POST, "/v1/registrations")
            .json(&c.body)
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        match r {
            Ok(resp) if resp.status() == StatusCode::CREATED => {
                load.acked.lock().unwrap().push(Ack {
                    citizen: c,
                    server: target,
                    after_kill: killed_before,
                });
            }
            Ok(resp) => {
                let status = resp.status();
                let text = resp.text().await.unwrap_or_default();
                panic!("registration of {} on {target}: {status} {text}", c.id);
            }
            Err(e) => {
                assert!(
                    target == 1 && load.killed.load(Ordering::SeqCst),
                    "server {target}: {e}"
                );
                load.failed.fetch_add(1, Ordering::SeqCst);
                target = 0;
            }
        }
    }
}

/// Waits until `cond` holds (the load's progress).
async fn until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < deadline, "{what}: not in 60 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Every acknowledged registration, as the server at `s` sees it: a second
/// registration of the same citizen is refused because hers is in progress
/// (the probe writes nothing). The IDs it does not know.
async fn unknown_to(s: &Remote, acked: &[Ack]) -> Vec<String> {
    let mut lost = Vec::new();
    for a in acked {
        let (st, v) = s.post("/v1/registrations", a.citizen.body.clone()).await;
        if !(st == StatusCode::CONFLICT && error(&v).0 == "flow_in_progress") {
            lost.push(format!("{}: {st} {v}", a.citizen.id));
        }
    }
    lost
}

/// The acknowledged registrations whose account is not in the database
/// with its phone (pending until the OTP) and details.
async fn not_stored(store: &Store, acked: &[Ack]) -> Vec<String> {
    let mut lost = Vec::new();
    for a in acked {
        let c = &a.citizen;
        let account = eid_account::fold(&store.load(&c.id).await.unwrap());
        let there = account.id_number().map(|i| i.as_str()) == Some(c.id.as_str())
            && account.pending_phone().map(|p| p.as_str()) == Some(c.phone.as_str())
            && account.details().is_some();
        if !there {
            lost.push(c.id.clone());
        }
    }
    lost
}

/// One server SIGKILLed while both take registrations: the other carries
/// on; nothing acknowledged is lost, read back through the survivor and
/// through the killed one restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_server_killed_mid_load() {
    let Some(mut pair) = Pair::start("a_server_killed_mid_load").await else {
        return;
    };
    let started = Instant::now();
    let clients = Arc::new(pair.clients.clone());
    let queue = Arc::new(Mutex::new(registry_citizens().into_iter()));
    let load = Arc::new(Load::default());
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|i| tokio::spawn(client(clients.clone(), queue.clone(), load.clone(), i % 2)))
        .collect();
    until("the load before the kill", || {
        load.acked_count(false) >= KILL_AFTER
    })
    .await;
    load.killed.store(true, Ordering::SeqCst);
    pair.servers[1].take().unwrap().kill();
    until("the survivor after the kill", || {
        load.acked_count(true) >= AFTER_KILL
    })
    .await;
    load.stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.unwrap();
    }
    let acked = load.acked.lock().unwrap().clone();
    let by = |server| acked.iter().filter(|a| a.server == server).count();
    println!(
        "kill: {} acknowledged ({} by the killed server), {} requests failed at the kill",
        acked.len(),
        by(1),
        load.failed.load(Ordering::SeqCst)
    );
    assert!(by(1) > 0, "the killed server acknowledged nothing");
    assert!(
        load.failed.load(Ordering::SeqCst) > 0,
        "no request saw the kill"
    );

    // read back through the survivor, in the database, and through the
    // killed server restarted
    assert_eq!(
        unknown_to(&pair.clients[0], &acked).await,
        Vec::<String>::new()
    );
    let store = pair.store().await;
    assert_eq!(not_stored(&store, &acked).await, Vec::<String>::new());
    // the checks can fail: they name citizens never registered
    let rest: Vec<Citizen> = queue.lock().unwrap().by_ref().take(2).collect();
    assert_eq!(rest.len(), 2, "the load registered every citizen");
    let never = |c: &Citizen| Ack {
        citizen: c.clone(),
        server: 0,
        after_kill: true,
    };
    assert_eq!(
        not_stored(&store, &[never(&rest[0])]).await,
        vec![rest[0].id.clone()]
    );
    assert_eq!(
        unknown_to(&pair.clients[0], &[never(&rest[1])]).await.len(),
        1
    );

    let b = ServerProcess::spawn(&pair.settings[1], "b");
    pair.clients[1] = b.client();
    pair.servers[1] = Some(b);
    assert_eq!(
        unknown_to(&pair.clients[1], &acked).await,
        Vec::<String>::new()
    );

    // the SMS of the registrations after the kill (only the survivor can
    // have claimed them) arrive, and every code printed verifies, through
    // either server
    let after: Vec<&Ack> = acked.iter().filter(|a| a.after_kill).collect();
    for a in &after {
        wait_sms(&pair.dir, &a.citizen.phone, 1).await;
    }
    let mut verified = 0;
    for a in &acked {
        let Some(text) = sms_to(&pair.dir, &a.citizen.phone).pop() else {
            continue;
        };
        let (_, s) = pair.next();
        let body = json!({ "id_number": a.citizen.id, "code": code_of(&text) });
        let (st, v) = s.post("/v1/otp/verify", body).await;
        assert_eq!(st, StatusCode::OK, "{}: {v}", a.citizen.id);
        verified += 1;
    }
    assert!(verified >= after.len());
    store.close().await;
    println!(
        "kill: {} read back through both, {verified} OTPs verified, in {:.1} s",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
}
