//! Durability of the reference server: a load of registrations over HTTP,
//! the server process killed with SIGKILL in the middle of it, restarted
//! on the same database; then every acknowledged (201) registration must
//! be in the database and the outbox must send each of their OTP SMS (at
//! least once), the code in it verifying against the restarted server.
//! SQLite always, PostgreSQL too when `DINHDANH_TEST_POSTGRES_URL` is set.
//!
//! The server runs in a separate process: this test binary itself, re-run
//! with [`CHILD_URL`] set and only its [`server_child`] test, which serves
//! (integration tests have no path to an example's binary). Its SMS sender
//! appends each message to a file, which outlives the process.
//!
//! The checks can fail: after they pass, one acknowledged account's rows
//! and its SMS are deleted, and the same checks must then name exactly it.

use crate::app;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::app::sms::{SendFuture, SmsSender};
use crate::app::store::{Storage, Store};
use crate::common::process::Running;
use crate::common::{
    Citizen, find_code, fresh_schema, postgres_url, registry_citizens as citizens,
    shipped_registry, temp_dir,
};
use serde_json::{Value, json};

/// In the child: the database URL to serve.
const CHILD_URL: &str = "DINHDANH_DURABILITY_CHILD_URL";
/// In the child: the directory of the key file, the address file and the
/// SMS log.
const CHILD_DIR: &str = "DINHDANH_DURABILITY_CHILD_DIR";

/// Registrations acknowledged before the kill.
const KILL_AFTER: usize = 40;
/// Concurrent clients.
const CLIENTS: usize = 8;

/// Appends each SMS to a file as `phone<TAB>text<LF>`, one `write` each
/// (`O_APPEND`): what was written survives the process being killed.
struct FileSender {
    file: Mutex<std::fs::File>,
}

impl SmsSender for FileSender {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let line = format!("{phone}\t{text}\n");
            let mut f = self.file.lock().map_err(|_| "poisoned".to_owned())?;
            f.write_all(line.as_bytes()).map_err(|e| e.to_string())
        })
    }
}

/// The server process: runs only when re-executed by [`spawn_server`]
/// (a normal test run returns at once).
#[test]
fn server_child() {
    let (Ok(url), Ok(dir)) = (std::env::var(CHILD_URL), std::env::var(CHILD_DIR)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let many = 1_000_000;
        let settings = app::Settings {
            database_url: url,
            registry: shipped_registry(),
            key_file: dir.join("server.key"),
            argon2_m_kib: 64,
            limits: app::Limits {
                window_secs: 3600,
                otp_sends: many,
                otp_checks: many,
                logins: many,
                activations: many,
                guesses_per_day: many,
                ..app::Limits::default()
            },
            ..app::Settings::default()
        };
        let state = Arc::new(app::AppState::open(&settings).await.unwrap());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("sms.log"))
            .unwrap();
        let sender = Arc::new(FileSender {
            file: Mutex::new(file),
        });
        // the address, written whole then renamed: the parent never reads half
        std::fs::write(dir.join("addr.tmp"), addr.to_string()).unwrap();
        std::fs::rename(dir.join("addr.tmp"), dir.join("addr")).unwrap();
        // serves until killed
        app::serve(state, listener, sender, std::future::pending())
            .await
            .unwrap();
    });
}

/// A server process, killed (SIGKILL) when dropped.
struct ServerProcess {
    child: Running,
    base: String,
}

/// The name the test harness knows [`server_child`] by: its module path
/// without the crate (`durability::server_child`), so `--exact` finds it
/// wherever the module sits.
fn child_test_name() -> String {
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    format!("{module}::server_child")
}

/// Runs this test binary's [`server_child`] on `url`; waits for its address.
fn spawn_server(url: &str, dir: &Path) -> ServerProcess {
    let _ = std::fs::remove_file(dir.join("addr"));
    let child = Command::new(std::env::current_exe().unwrap())
        .arg(child_test_name())
        .args(["--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_URL, url)
        .env(CHILD_DIR, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut server = ServerProcess {
        child: Running(child),
        base: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(addr) = std::fs::read_to_string(dir.join("addr")) {
            server.base = format!("http://{addr}");
            return server;
        }
        if let Some(status) = server.child.0.try_wait().unwrap() {
            panic!("the server process exited: {status:?}");
        }
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The acknowledged registrations whose account is not in the database:
/// folding its log must give the ID, the phone and the submitted details
/// (and, before any verification, the pending registration OTP).
async fn lost_registrations(store: &Store, acked: &[Citizen], otp_pending: bool) -> Vec<String> {
    let mut lost = Vec::new();
    for c in acked {
        let events = store.load(&c.id).await.unwrap();
        let account = eid_account::fold(&events);
        let there = account.id_number().map(|i| i.as_str()) == Some(c.id.as_str())
            // pending until the registration's OTP is verified
            && account.phone().or(account.pending_phone()).map(|p| p.as_str())
                == Some(c.phone.as_str())
            && account.details().is_some()
            && (!otp_pending || account.otp().is_some());
        if !there {
            lost.push(c.id.clone());
        }
    }
    lost
}

/// The SMS log: texts by phone, in order.
fn sms_log(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut by_phone: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let text = std::fs::read_to_string(dir.join("sms.log")).unwrap_or_default();
    for line in text.lines() {
        if let Some((phone, text)) = line.split_once('\t') {
            by_phone
                .entry(phone.to_owned())
                .or_default()
                .push(text.to_owned());
        }
    }
    by_phone
}

/// The acknowledged registrations with no OTP SMS in the log.
fn unsent_sms(log: &BTreeMap<String, Vec<String>>, acked: &[Citizen]) -> Vec<String> {
    acked
        .iter()
        .filter(|c| {
            !log.get(&c.phone)
                .is_some_and(|texts| texts.iter().any(|t| find_code(t).is_some()))
        })
        .map(|c| c.id.clone())
        .collect()
}

/// What the load saw.
struct LoadOutcome {
    /// 201s, in order of acknowledgement.
    acked: Vec<Citizen>,
    /// Requests under way when the kill was sent.
    in_flight_at_kill: usize,
    /// Requests that failed (connection reset or refused) after the kill.
    failed: usize,
}

/// `CLIENTS` clients register citizens until `KILL_AFTER` are acknowledged,
/// then the server is killed under them; they stop at their first failure.
async fn load_and_kill(server: ServerProcess, citizens: &[Citizen]) -> LoadOutcome {
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let all: Vec<Citizen> = citizens.to_vec();
    let queue = Arc::new(Mutex::new(all.into_iter()));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (http, base, queue, acked, in_flight, killed, failed) = (
            http.clone(),
            base.clone(),
            queue.clone(),
            acked.clone(),
            in_flight.clone(),
            killed.clone(),
            failed.clone(),
        );
        clients.push(tokio::spawn(async move {
            loop {
                let Some(c) = queue.lock().unwrap().next() else {
                    return;
                };
                in_flight.fetch_add(1, Ordering::SeqCst);
                let r = http
                    .post(format!("{base}/v1/registrations"))
                    .json(&c.body)
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                match r {
                    Ok(resp) if resp.status() == reqwest::StatusCode::CREATED => {
                        acked.lock().unwrap().push(c)
                    }
                    Ok(resp) => {
                        let status = resp.status();
                        let text = resp.text().await.unwrap_or_default();
                        panic!("registration of {}: {status} {text}", c.id);
                    }
                    Err(e) => {
                        assert!(killed.load(Ordering::SeqCst), "before the kill: {e}");
                        failed.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.lock().unwrap().len() < KILL_AFTER {
        assert!(Instant::now() < deadline, "the load did not get going");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    killed.store(true, Ordering::SeqCst);
    let in_flight_at_kill = in_flight.load(Ordering::SeqCst);
    server.child.kill();
    for c in clients {
        c.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    LoadOutcome {
        acked,
        in_flight_at_kill,
        failed: failed.load(Ordering::SeqCst),
    }
}

async fn durability(url: String) {
    let dir = temp_dir();
    let citizens = citizens();
    let outcome = load_and_kill(spawn_server(&url, &dir), &citizens).await;
    let acked = outcome.acked;
    println!(
        "durability: {} acknowledged, {} in flight at the kill, {} failed",
        acked.len(),
        outcome.in_flight_at_kill,
        outcome.failed
    );
    // the kill came in the middle of the load
    assert!(acked.len() >= KILL_AFTER);
    assert!(
        acked.len() < citizens.len(),
        "the load was over before the kill"
    );
    assert!(outcome.in_flight_at_kill > 0, "nothing was in flight");
    assert!(outcome.failed > 0, "no request saw the kill");

    // restart on the same database and key
    let server = spawn_server(&url, &dir);
    let store = Store::open(&url).await.unwrap();

    // every acknowledged registration is there
    assert_eq!(
        lost_registrations(&store, &acked, true).await,
        Vec::<String>::new()
    );

    // the outbox sends every SMS: each acknowledged registration's OTP, and
    // nothing stays unsent (a message claimed by the killed process is
    // claimed again once its 30-second lease runs out)
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let log = sms_log(&dir);
        let unsent = store.unsent_count().await.unwrap();
        if unsent_sms(&log, &acked).is_empty() && unsent == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "after restart: {unsent} unsent in the outbox, no SMS for {:?}",
            unsent_sms(&log, &acked)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // each SMS holds the live code: the last one to each phone verifies
    let http = reqwest::Client::new();
    let log = sms_log(&dir);
    let mut resent = 0;
    for c in &acked {
        let texts = &log[&c.phone];
        resent += texts.len() - 1;
        let code = find_code(texts.last().unwrap()).unwrap();
        let resp = http
            .post(format!("{}/v1/otp/verify", server.base))
            .json(&json!({ "id_number": c.id, "code": code }))
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let body: Value = resp.json().await.unwrap();
        assert_eq!(status, reqwest::StatusCode::OK, "{}: {body}", c.id);
        assert_eq!(body["verified"], true);
    }
    println!("durability: every OTP verified; {resent} SMS sent more than once");

    // the checks can fail: lose one acknowledged account's rows and its SMS,
    // and they name exactly that one
    let victim = &acked[acked.len() / 2];
    delete_events(&url, &victim.id).await;
    assert_eq!(
        lost_registrations(&store, &acked, false).await,
        vec![victim.id.clone()]
    );
    let mut log = sms_log(&dir);
    log.remove(&victim.phone);
    assert_eq!(unsent_sms(&log, &acked), vec![victim.id.clone()]);

    store.close().await;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Deletes an account's events behind the server's back (the lost row of
/// the self-check).
async fn delete_events(url: &str, id: &str) {
    let sql = "DELETE FROM events WHERE id_number = $1";
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let r = sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
        assert!(r.rows_affected() > 0);
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let r = sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
        assert!(r.rows_affected() > 0);
        pool.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_load_sqlite() {
    let dir = temp_dir();
    durability(format!("sqlite://{}", dir.join("server.db").display())).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_load_postgres() {
    let Some(url) = postgres_url("sigkill_mid_load_postgres") else {
        return;
    };
    let schema = fresh_schema(&url, "durability").await;
    durability(schema.url).await;
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    let drop = format!("DROP SCHEMA {} CASCADE", schema.name);
    sqlx::raw_sql(sqlx::AssertSqlSafe(drop))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
}
