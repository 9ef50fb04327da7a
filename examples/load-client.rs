//! Load client for the reference server (`scripts/load-server` runs it):
//! registers accounts, then measures OTP verification and login over HTTP
//! (requests/s, p50/p99 latency), and measures the Argon2id bound that
//! caps logins (password verifications/s with the server's parameters, on
//! this machine, through `eid-credentials`).
//!
//! Subcommands: `registry` (a larger synthetic registry derived from the
//! shipped one), `argon2` (the bound), `run` (the load). Not a test: the
//! figures depend on the machine.

#![forbid(unsafe_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use eid_credentials::{HashParams, Hasher, SecretKind};
use serde_json::{Value, json};

/// The load client's command line.
#[derive(Parser)]
#[command(name = "load-client", about = "dinhdanh reference server load client")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Writes (stdout) a registry CSV of COUNT synthetic citizens derived
    /// from FROM: the same names and places, other serial digits of the ID
    /// number and of the phone.
    Registry {
        /// The shipped registry.csv.
        #[arg(long)]
        from: PathBuf,
        /// How many citizens.
        #[arg(long)]
        count: usize,
    },
    /// Argon2id password verifications per second with the server's
    /// parameters (t=2, p=1, M KiB), on THREADS threads for SECONDS.
    Argon2 {
        /// Memory cost, KiB (the server's default: 19456).
        #[arg(long, default_value_t = 19 * 1024)]
        m_kib: u32,
        /// Threads verifying at once.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// How long.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Registers ACCOUNTS citizens, verifies their OTP (measured), sets a
    /// password on LOGIN_ACCOUNTS of them, then runs LOGINS logins
    /// (measured), CONCURRENCY requests at a time.
    Run {
        /// The server, e.g. http://127.0.0.1:18080.
        #[arg(long)]
        base: String,
        /// The server's stdout, where its SMS sender writes the codes.
        #[arg(long)]
        sms_log: PathBuf,
        /// The registry the server was started with.
        #[arg(long)]
        registry: PathBuf,
        /// Accounts to register (and OTP verifications measured).
        #[arg(long, default_value_t = 2000)]
        accounts: usize,
        /// Accounts given a password and logged in.
        #[arg(long, default_value_t = 200)]
        login_accounts: usize,
        /// Logins measured.
        #[arg(long, default_value_t = 1000)]
        logins: usize,
        /// Requests at a time.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
}

/// One registry row.
#[derive(Clone)]
struct Citizen {
    id: String,
    full_name: String,
    date_of_birth: String,
    sex: String,
    residence: String,
    phone: String,
    issue_date: String,
}

/// Parses registry.csv (only the residence is quoted, and may hold commas).
fn read_registry(path: &Path) -> Result<Vec<Citizen>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("registry {}: {e}", path.display()))?;
    let bad = |line: &str| format!("registry: bad line {line}");
    let mut out = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (id, rest) = line.split_once(',').ok_or_else(|| bad(line))?;
        let (full_name, rest) = rest.split_once(',').ok_or_else(|| bad(line))?;
        let (date_of_birth, rest) = rest.split_once(',').ok_or_else(|| bad(line))?;
        let (sex, rest) = rest.split_once(',').ok_or_else(|| bad(line))?;
        let (residence, rest) = match rest.strip_prefix('"') {
            Some(q) => {
                let (r, rest) = q.split_once("\",").ok_or_else(|| bad(line))?;
                (r.replace("\"\"", "\""), rest)
            }
            None => {
                let (r, rest) = rest.split_once(',').ok_or_else(|| bad(line))?;
                (r.to_owned(), rest)
            }
        };
        let (phone, issue_date) = rest.split_once(',').ok_or_else(|| bad(line))?;
        out.push(Citizen {
            id: id.to_owned(),
            full_name: full_name.to_owned(),
            date_of_birth: date_of_birth.to_owned(),
            sex: sex.to_owned(),
            residence,
            phone: phone.to_owned(),
            issue_date: issue_date.to_owned(),
        });
    }
    Ok(out)
}

/// `registry`: copies of the shipped citizens with other serial digits
/// (the last 6 of the ID, the last 7 of the phone), all distinct.
fn make_registry(from: &Path, count: usize) -> Result<(), String> {
    let base = read_registry(from)?;
    let mut ids = HashSet::new();
    let mut phones = HashSet::new();
    let mut out = String::from(
        "id_number,full_name,date_of_birth,sex,permanent_residence,phone,issue_date\n",
    );
    let mut n = 0usize;
    'copies: for k in 0u64.. {
        if k > 10_000 {
            return Err("registry: could not make enough distinct citizens".into());
        }
        for c in &base {
            if n >= count {
                break 'copies;
            }
            let (id_head, id_serial) = c.id.split_at_checked(6).ok_or("registry: short ID")?;
            let (ph_head, ph_serial) =
                c.phone.split_at_checked(3).ok_or("registry: short phone")?;
            let id_serial: u64 = id_serial.parse().map_err(|_| "registry: ID digits")?;
            let ph_serial: u64 = ph_serial.parse().map_err(|_| "registry: phone digits")?;
            let id = format!("{id_head}{:06}", (id_serial + k * 123_457) % 1_000_000);
            let phone = format!("{ph_head}{:07}", (ph_serial + k * 1_234_567) % 10_000_000);
            if ids.contains(&id) || phones.contains(&phone) {
                continue;
            }
            out.push_str(&format!(
                "{id},{},{},{},\"{}\",{phone},{}\n",
                c.full_name,
                c.date_of_birth,
                c.sex,
                c.residence.replace('"', "\"\""),
                c.issue_date
            ));
            ids.insert(id);
            phones.insert(phone);
            n += 1;
        }
    }
    print!("{out}");
    Ok(())
}

/// `argon2`: password verifications per second through eid-credentials,
/// with the parameters `AppState::open` gives the server's hasher.
fn argon2_bound(m_kib: u32, threads: usize, seconds: u64) -> Result<(), String> {
    let hasher = Hasher::new(HashParams {
        m_cost_kib: m_kib,
        t_cost: 2,
        p_cost: 1,
    })
    .map_err(|e| e.to_string())?;
    let password = "Sao@Mai2024";
    let phc = hasher
        .hash(SecretKind::Password, password, &mut getrandom::SysRng)
        .map_err(|e| e.to_string())?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let counts: Vec<Result<u64, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut n = 0u64;
                    while Instant::now() < until {
                        let v = hasher
                            .verify(SecretKind::Password, password, &phc)
                            .map_err(|e| e.to_string())?;
                        if !v.is_match() {
                            return Err("the password did not verify".to_owned());
                        }
                        n += 1;
                    }
                    Ok(n)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("thread died".into())))
            .collect()
    });
    let elapsed = start.elapsed().as_secs_f64();
    let mut total = 0u64;
    for c in counts {
        total += c?;
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = total as f64 / elapsed;
    println!(
        "argon2id m={m_kib}KiB t=2 p=1, {threads} thread(s): {total} verifications in {elapsed:.2} s = {rate:.1}/s ({:.1} ms each per thread)",
        1000.0 * elapsed * threads as f64 / total.max(1) as f64
    );
    Ok(())
}

/// Latencies of one phase.
struct Phase {
    name: &'static str,
    latencies: Vec<Duration>,
    errors: Vec<String>,
    elapsed: Duration,
}

impl Phase {
    fn report(&mut self) {
        self.latencies.sort_unstable();
        let n = self.latencies.len();
        let pct = |p: f64| {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss
            )]
            let i = ((n as f64 * p).ceil() as usize).saturating_sub(1);
            self.latencies
                .get(i.min(n.saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        #[allow(clippy::cast_precision_loss)]
        let rate = n as f64 / self.elapsed.as_secs_f64().max(1e-9);
        println!(
            "{:<13} {n:>6} ok {:>4} errors in {:>7.2} s: {rate:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            self.name,
            self.errors.len(),
            self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            pct(1.0),
        );
        for e in self.errors.iter().take(3) {
            println!("  error: {e}");
        }
    }
}

/// One request of a phase: (path, body, bearer token, status expected).
struct Request {
    path: &'static str,
    body: Value,
    bearer: Option<String>,
    key: usize,
}

/// Runs `requests` with `concurrency` workers; request `i` goes to worker
/// `key % concurrency`, so requests with the same key (one account) never
/// race each other. Returns the phase and each request's JSON reply by key.
async fn phase(
    name: &'static str,
    http: &reqwest::Client,
    base: &str,
    requests: Vec<Request>,
    expect: u16,
    concurrency: usize,
) -> (Phase, HashMap<usize, Value>) {
    let c = concurrency.max(1);
    let mut lanes: Vec<Vec<Request>> = (0..c).map(|_| Vec::new()).collect();
    for r in requests {
        if let Some(lane) = lanes.get_mut(r.key % c) {
            lane.push(r);
        }
    }
    let replies = Arc::new(Mutex::new(HashMap::new()));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for lane in lanes {
        let (http, base, replies) = (http.clone(), base.to_owned(), replies.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = Vec::new();
            for r in lane {
                let mut req = http.post(format!("{base}{}", r.path)).json(&r.body);
                if let Some(t) = &r.bearer {
                    req = req.bearer_auth(t);
                }
                let t0 = Instant::now();
                let result = req.send().await;
                let outcome = match result {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        let body: Value = resp.json().await.unwrap_or(Value::Null);
                        (status, body)
                    }
                    Err(e) => (0, Value::String(e.to_string())),
                };
                let dt = t0.elapsed();
                if outcome.0 == expect {
                    latencies.push(dt);
                    if let Ok(mut m) = replies.lock() {
                        m.insert(r.key, outcome.1);
                    }
                } else {
                    errors.push(format!("{} {}: {}", r.path, outcome.0, outcome.1));
                }
            }
            (latencies, errors)
        }));
    }
    let mut p = Phase {
        name,
        latencies: Vec::new(),
        errors: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        match t.await {
            Ok((l, e)) => {
                p.latencies.extend(l);
                p.errors.extend(e);
            }
            Err(e) => p.errors.push(format!("worker: {e}")),
        }
    }
    p.elapsed = start.elapsed();
    let replies = replies.lock().map(|m| m.clone()).unwrap_or_default();
    (p, replies)
}

/// The last OTP code sent to each phone, from the server's stdout
/// (`SMS to PHONE: TEXT`, the stdout sender).
fn codes(sms_log: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(sms_log).unwrap_or_default();
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("SMS to ") else {
            continue;
        };
        let Some((phone, text)) = rest.split_once(": ") else {
            continue;
        };
        if let Some(code) = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
        {
            out.insert(phone.to_owned(), code.to_owned());
        }
    }
    out
}

async fn run(
    base: &str,
    sms_log: &Path,
    registry: &Path,
    accounts: usize,
    login_accounts: usize,
    logins: usize,
    concurrency: usize,
) -> Result<(), String> {
    let http = reqwest::Client::new();
    // wait for the server
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match http.get(format!("{base}/healthz")).send().await {
            Ok(r) if r.status().is_success() => break,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(100)).await,
            _ => return Err(format!("{base}/healthz does not answer")),
        }
    }
    let citizens: Vec<Citizen> = read_registry(registry)?
        .into_iter()
        .take(accounts)
        .collect();
    if citizens.len() < accounts {
        return Err(format!("the registry has {} citizens", citizens.len()));
    }
    println!(
        "{} accounts, {login_accounts} with a password, {logins} logins, {concurrency} at a time, against {base}",
        citizens.len()
    );

    let requests = citizens
        .iter()
        .enumerate()
        .map(|(key, c)| Request {
            path: "/v1/registrations",
            body: json!({ "id_number": c.id, "phone": c.phone, "terms_accepted": true,
                "details": { "full_name": c.full_name, "date_of_birth": c.date_of_birth,
                             "sex": c.sex, "permanent_residence": c.residence } }),
            bearer: None,
            key,
        })
        .collect();
    let (mut p, _) = phase("registration", &http, base, requests, 201, concurrency).await;
    p.report();
    if !p.errors.is_empty() {
        return Err("registrations failed".into());
    }

    // the codes, once the outbox has sent them all
    let deadline = Instant::now() + Duration::from_secs(120);
    let codes = loop {
        let codes = codes(sms_log);
        if citizens.iter().all(|c| codes.contains_key(&c.phone)) {
            break codes;
        }
        if Instant::now() > deadline {
            return Err("not every OTP SMS arrived".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    let requests = citizens
        .iter()
        .enumerate()
        .map(|(key, c)| Request {
            path: "/v1/otp/verify",
            body: json!({ "id_number": c.id, "code": codes.get(&c.phone) }),
            bearer: None,
            key,
        })
        .collect();
    let (mut p, replies) = phase("otp verify", &http, base, requests, 200, concurrency).await;
    p.report();

    // no name of the registry in it (the password policy refuses those)
    let password = "Qz7#Kx9!Wv2p";
    let requests = citizens
        .iter()
        .enumerate()
        .take(login_accounts)
        .map(|(key, c)| Request {
            path: "/v1/password",
            body: json!({ "id_number": c.id, "password": password, "confirmation": password }),
            bearer: replies
                .get(&key)
                .and_then(|v| v.get("flow_token"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            key,
        })
        .collect();
    let (mut p, replies) = phase("password set", &http, base, requests, 200, concurrency).await;
    p.report();
    let ready: Vec<&Citizen> = citizens
        .iter()
        .enumerate()
        .filter(|(key, _)| replies.contains_key(key))
        .map(|(_, c)| c)
        .collect();
    if ready.is_empty() {
        return Err("no account has a password".into());
    }

    let requests = (0..logins)
        .filter_map(|i| {
            let key = i % ready.len();
            ready.get(key).map(|c| Request {
                path: "/v1/login",
                body: json!({ "id_number": c.id, "password": password }),
                bearer: None,
                key,
            })
        })
        .collect();
    let (mut p, _) = phase("login", &http, base, requests, 200, concurrency).await;
    p.report();
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    match Cli::parse().command {
        Cmd::Registry { from, count } => make_registry(&from, count),
        Cmd::Argon2 {
            m_kib,
            threads,
            seconds,
        } => argon2_bound(m_kib, threads, seconds),
        Cmd::Run {
            base,
            sms_log,
            registry,
            accounts,
            login_accounts,
            logins,
            concurrency,
        } => {
            run(
                &base,
                &sms_log,
                &registry,
                accounts,
                login_accounts,
                logins,
                concurrency,
            )
            .await
        }
    }
}
