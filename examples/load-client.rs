//! Load client for the reference server (`scripts/load-server` runs it):
//! registers accounts, then measures registration, OTP verification,
//! login and level-1 submission (the chip's files) over HTTP (requests/s,
//! p50/p99 latency), against one server or several sharing a database,
//! and measures the Argon2id bound that caps logins (password
//! verifications/s with the server's parameters, on this machine, through
//! `eid-credentials`) in the same run, with the logins' ratio to it.
//!
//! Subcommands: `registry` (a larger synthetic registry derived from the
//! shipped one), `argon2` (the bound), `pg-schema` (a fresh PostgreSQL
//! schema for a run, and its removal), `run` (the load). Not a test: the
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
    /// Creates a schema of its own in the PostgreSQL database at URL and
    /// prints URL with it as the search path; with `--drop URL` (a URL it
    /// printed) drops that schema instead.
    PgSchema {
        /// The database (`postgres://...`).
        #[arg(long)]
        url: String,
        /// Drop the schema of this URL (one this subcommand printed).
        #[arg(long)]
        drop: bool,
    },
    /// Registers ACCOUNTS citizens (measured), verifies their OTP
    /// (measured), sets a password on LOGIN_ACCOUNTS of them, runs LOGINS
    /// logins (measured) and submits LEVEL1 level-1 dossiers (measured),
    /// CONCURRENCY requests at a time; then the Argon2id bound on every
    /// core for ARGON2_SECONDS, and the logins' ratio to it.
    Run {
        /// The server, e.g. http://127.0.0.1:18080; repeated, servers
        /// sharing one database (request lanes spread over them).
        #[arg(long, required = true)]
        base: Vec<String>,
        /// The servers' stdout, where their SMS senders write the codes
        /// (repeatable).
        #[arg(long, required = true)]
        sms_log: Vec<PathBuf>,
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
        /// Level-1 dossiers (the chip's files, made by icao9303-sim under
        /// its demonstration CSCA: the server needs `--demo-csca`) submitted,
        /// by as many of the accounts with a password.
        #[arg(long, default_value_t = 100)]
        level1: usize,
        /// Requests at a time.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Seconds of the Argon2id bound measured after the load (0: none).
        #[arg(long, default_value_t = 5)]
        argon2_seconds: u64,
        /// The servers' Argon2 memory, KiB.
        #[arg(long, default_value_t = 19 * 1024)]
        argon2_m_kib: u32,
        /// Threads of that bound: the servers' Argon2 permits (hashes at
        /// once), so that on a machine shared with other work the bound's
        /// threads get the CPU share the server's do (default: one per
        /// core).
        #[arg(long)]
        argon2_threads: Option<usize>,
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
fn argon2_bound(m_kib: u32, threads: usize, seconds: u64) -> Result<f64, String> {
    let hasher = Hasher::new(HashParams::new(m_kib, 2, 1)).map_err(|e| e.to_string())?;
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
    Ok(rate)
}

/// Latencies of one phase.
struct Phase {
    name: &'static str,
    latencies: Vec<Duration>,
    errors: Vec<String>,
    elapsed: Duration,
}

impl Phase {
    /// Successful requests per second.
    fn rate(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let n = self.latencies.len() as f64;
        n / self.elapsed.as_secs_f64().max(1e-9)
    }

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
        println!(
            "{:<13} {n:>6} ok {:>4} errors in {:>7.2} s: {:>8.1} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            self.name,
            self.errors.len(),
            self.elapsed.as_secs_f64(),
            self.rate(),
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
/// race each other; worker `w` sends to server `w % bases.len()`. Returns
/// the phase and each request's JSON reply by key.
async fn phase(
    name: &'static str,
    http: &reqwest::Client,
    bases: &[String],
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
    for (w, lane) in lanes.into_iter().enumerate() {
        let base = bases
            .get(w % bases.len().max(1))
            .cloned()
            .unwrap_or_default();
        let (http, replies) = (http.clone(), replies.clone());
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

/// The last OTP code sent to each phone, from the servers' stdout
/// (`SMS to PHONE: TEXT`, the stdout sender).
fn codes(sms_logs: &[PathBuf]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for log in sms_logs {
        let text = std::fs::read_to_string(log).unwrap_or_default();
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
    }
    out
}

/// The `run` subcommand's settings.
struct RunArgs {
    bases: Vec<String>,
    sms_logs: Vec<PathBuf>,
    registry: PathBuf,
    accounts: usize,
    login_accounts: usize,
    logins: usize,
    level1: usize,
    concurrency: usize,
    argon2_seconds: u64,
    argon2_m_kib: u32,
    argon2_threads: Option<usize>,
}

impl RunArgs {
    /// Runs one phase of these settings' servers and prints it; fails on
    /// any error when `strict`.
    async fn phase(
        &self,
        http: &reqwest::Client,
        name: &'static str,
        requests: Vec<Request>,
        expect: u16,
        strict: bool,
    ) -> Result<(Phase, HashMap<usize, Value>), String> {
        let (mut p, replies) =
            phase(name, http, &self.bases, requests, expect, self.concurrency).await;
        p.report();
        if strict && !p.errors.is_empty() {
            return Err(format!("{name}: {} failed", p.errors.len()));
        }
        Ok((p, replies))
    }
}

/// Waits until every server answers `/healthz`.
async fn wait_healthy(http: &reqwest::Client, bases: &[String]) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    for base in bases {
        loop {
            match http.get(format!("{base}/healthz")).send().await {
                Ok(r) if r.status().is_success() => break,
                _ if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                _ => return Err(format!("{base}/healthz does not answer")),
            }
        }
    }
    Ok(())
}

/// Waits until the SMS logs hold a code for every citizen (the outbox has
/// sent them all).
async fn wait_codes(
    sms_logs: &[PathBuf],
    citizens: &[Citizen],
) -> Result<HashMap<String, String>, String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let codes = codes(sms_logs);
        if citizens.iter().all(|c| codes.contains_key(&c.phone)) {
            return Ok(codes);
        }
        if Instant::now() > deadline {
            return Err("not every OTP SMS arrived".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The flow or session token in the reply to request `key`.
fn token(replies: &HashMap<usize, Value>, key: usize, field: &str) -> Option<String> {
    replies
        .get(&key)
        .and_then(|v| v.get(field))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The password every measured account gets: no name of the registry in
/// it (the NIST mode refuses those).
const PASSWORD: &str = "Qz7#Kx9!Wv2p";

async fn run(args: &RunArgs) -> Result<(), String> {
    let http = reqwest::Client::new();
    wait_healthy(&http, &args.bases).await?;
    let citizens: Vec<Citizen> = read_registry(&args.registry)?
        .into_iter()
        .take(args.accounts)
        .collect();
    if citizens.len() < args.accounts {
        return Err(format!("the registry has {} citizens", citizens.len()));
    }
    println!(
        "{} accounts, {} with a password, {} logins, {} level-1 dossiers, {} at a time, against {}",
        citizens.len(),
        args.login_accounts,
        args.logins,
        args.level1,
        args.concurrency,
        args.bases.join(" and ")
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
    args.phase(&http, "registration", requests, 201, true)
        .await?;
    let codes = wait_codes(&args.sms_logs, &citizens).await?;
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
    let (_, replies) = args
        .phase(&http, "otp verify", requests, 200, false)
        .await?;

    let requests = (0..args.login_accounts.min(citizens.len()))
        .map(|key| Request {
            path: "/v1/password",
            body: json!({ "password": PASSWORD, "confirmation": PASSWORD }),
            bearer: token(&replies, key, "flow_token"),
            key,
        })
        .collect();
    let (_, replies) = args
        .phase(&http, "password set", requests, 200, false)
        .await?;
    let ready: Vec<(usize, &Citizen)> = citizens
        .iter()
        .enumerate()
        .filter(|(key, _)| replies.contains_key(key))
        .collect();
    if ready.is_empty() {
        return Err("no account has a password".into());
    }
    let (login, sessions) = logins(args, &http, &ready).await?;
    level1(args, &http, &ready, &sessions).await?;
    argon2_ratio(args, login.rate())
}

/// The login phase: `args.logins` logins over the accounts `ready`, each
/// key one account. Returns the phase and a session token by key.
async fn logins(
    args: &RunArgs,
    http: &reqwest::Client,
    ready: &[(usize, &Citizen)],
) -> Result<(Phase, HashMap<usize, Value>), String> {
    let requests = (0..args.logins)
        .filter_map(|i| {
            let key = i % ready.len();
            ready.get(key).map(|(_, c)| Request {
                path: "/v1/login",
                body: json!({ "id_number": c.id, "password": PASSWORD }),
                bearer: None,
                key,
            })
        })
        .collect();
    args.phase(http, "login", requests, 200, false).await
}

/// The level-1 phase: `args.level1` accounts of `ready` (logged in:
/// `sessions` by key) each submit their card's chip files and a portrait.
/// The files are made before the clock starts.
async fn level1(
    args: &RunArgs,
    http: &reqwest::Client,
    ready: &[(usize, &Citizen)],
    sessions: &HashMap<usize, Value>,
) -> Result<(), String> {
    if args.level1 == 0 {
        return Ok(());
    }
    let mut rng = icao9303_sim::SimRng::from_seed_u64(icao9303_sim::pki::DEMO_SEED);
    let pki = icao9303_sim::pki::TestPki::generate(&mut rng, "VN").map_err(|e| e.to_string())?;
    let portrait = data_encoding::BASE64.encode(PORTRAIT);
    let mut requests = Vec::new();
    for (key, (_, c)) in ready.iter().enumerate().take(args.level1) {
        let Some(session) = token(sessions, key, "token") else {
            continue;
        };
        requests.push(Request {
            path: "/v1/dossiers",
            body: dossier(&mut rng, &pki, c, &portrait)?,
            bearer: Some(session),
            key,
        });
    }
    args.phase(http, "level-1 (chip)", requests, 201, false)
        .await
        .map(|_| ())
}

/// The portrait the tests send (240 x 320, the smallest accepted).
const PORTRAIT: &[u8] = include_bytes!("../tests/data/portrait-240x320.jpg");

/// `c`'s level-1 dossier: the chip files of her card (DG1, DG2, DG13 and
/// EF.SOD of a virtual CCCD under `pki`, expiring at 60 like the tests'
/// demonstration card) and `portrait` (base64).
fn dossier(
    rng: &mut icao9303_sim::SimRng,
    pki: &icao9303_sim::pki::TestPki,
    c: &Citizen,
    portrait: &str,
) -> Result<Value, String> {
    use icao9303::lds::{DataGroup, FileKind};
    // YYYY-MM-DD to YYMMDD, and the 60th birthday
    let digits: String = c
        .date_of_birth
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let (Some(yyyy), Some(mmdd)) = (digits.get(..4), digits.get(4..8)) else {
        return Err(format!("{}: date of birth {}", c.id, c.date_of_birth));
    };
    let year: u32 = yyyy.parse().map_err(|_| "date of birth")?;
    let dob = format!("{:02}{mmdd}", year % 100);
    let expiry = format!("{:02}{mmdd}", (year + 60) % 100);
    let data = icao9303_sim::Personalisation::cccd_named(&c.id, &c.full_name, &dob, &expiry)
        .and_then(|p| p.build(rng, pki))
        .map_err(|e| format!("{}: {e}", c.id))?;
    let file = |k: FileKind| {
        data.file(k)
            .map(|b| data_encoding::BASE64.encode(b))
            .ok_or_else(|| format!("{}: no {k:?}", c.id))
    };
    Ok(json!({
        "dg1": file(FileKind::Dg(DataGroup::Dg1))?,
        "dg2": file(FileKind::Dg(DataGroup::Dg2))?,
        "dg13": file(FileKind::Dg(DataGroup::Dg13))?,
        "sod": file(FileKind::Sod)?,
        "portrait_jpeg": portrait,
    }))
}

/// The Argon2id bound on every core, measured now (the load's machine,
/// its state), and the logins' share of it.
fn argon2_ratio(args: &RunArgs, logins_per_s: f64) -> Result<(), String> {
    if args.argon2_seconds == 0 {
        return Ok(());
    }
    let threads = args
        .argon2_threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let bound = argon2_bound(args.argon2_m_kib, threads, args.argon2_seconds)?;
    println!(
        "logins {logins_per_s:.1}/s against the Argon2id bound {bound:.1}/s ({threads} threads, measured just now): ratio {:.2}",
        logins_per_s / bound.max(1e-9)
    );
    Ok(())
}

/// A fresh schema's name.
fn schema_name() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("load_{}_{now}", std::process::id())
}

/// `pg-schema`: creates a schema and prints its URL, or drops the schema
/// of a URL it printed.
async fn pg_schema(url: &str, drop: bool) -> Result<(), String> {
    let (base, schema) = match url.split_once("options=-c%20search_path%3D") {
        Some((base, schema)) if drop => (base.trim_end_matches(['?', '&']).to_owned(), schema),
        _ if drop => return Err("not a URL pg-schema printed".into()),
        _ => (url.to_owned(), ""),
    };
    let pool = sqlx::PgPool::connect(&base)
        .await
        .map_err(|e| format!("{base}: {e}"))?;
    let name = if drop {
        schema.to_owned()
    } else {
        schema_name()
    };
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("schema name {name:?}"));
    }
    let sql = if drop {
        format!("DROP SCHEMA IF EXISTS {name} CASCADE")
    } else {
        format!("CREATE SCHEMA {name}")
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&pool)
        .await
        .map_err(|e| e.to_string())?;
    pool.close().await;
    if !drop {
        let sep = if base.contains('?') { '&' } else { '?' };
        println!("{base}{sep}options=-c%20search_path%3D{name}");
    }
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
        } => argon2_bound(m_kib, threads, seconds).map(|_| ()),
        Cmd::PgSchema { url, drop } => pg_schema(&url, drop).await,
        Cmd::Run {
            base,
            sms_log,
            registry,
            accounts,
            login_accounts,
            logins,
            level1,
            concurrency,
            argon2_seconds,
            argon2_m_kib,
            argon2_threads,
        } => {
            run(&RunArgs {
                bases: base,
                sms_logs: sms_log,
                registry,
                accounts,
                login_accounts,
                logins,
                level1,
                concurrency,
                argon2_seconds,
                argon2_m_kib,
                argon2_threads,
            })
            .await
        }
    }
}
