//! The dinhdanh reference server: a JSON HTTP API over `eid-account`
//! (axum on tokio), SQLite by default, PostgreSQL with
//! `--database-url postgres://...`.
//!
//! `cargo run --release --example reference-server -- --help`

#![forbid(unsafe_code)]

mod app;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser};

/// Command-line flags; each also read from an environment variable.
#[derive(Parser)]
#[command(
    name = "reference-server",
    version,
    about = "dinhdanh reference server"
)]
struct Flags {
    /// Address to listen on.
    #[arg(long, env = "DINHDANH_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Database: `postgres://...`, `sqlite://FILE` or a SQLite file path
    /// (created on first start).
    #[arg(
        long,
        env = "DINHDANH_DATABASE_URL",
        default_value = "sqlite://dinhdanh-server.db"
    )]
    database_url: String,
    /// The population registry stand-in (CSV of synthetic citizens).
    #[arg(long, env = "DINHDANH_REGISTRY", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/reference-server/registry.csv"))]
    registry: PathBuf,
    /// The server's secret key file (32 bytes hex; created when missing).
    /// Servers sharing a database must share it.
    #[arg(long, env = "DINHDANH_KEY_FILE", default_value = "dinhdanh-server.key")]
    key_file: PathBuf,
    /// Argon2id memory cost in KiB.
    #[arg(long, env = "DINHDANH_ARGON2_M_KIB", default_value_t = 19 * 1024)]
    argon2_m_kib: u32,
    /// Rate-limit window in seconds.
    #[arg(long, env = "DINHDANH_LIMIT_WINDOW", default_value_t = 3600)]
    limit_window: u64,
    /// OTP sends per phone, per ID and per client IP in a window.
    #[arg(long, env = "DINHDANH_LIMIT_OTP_SENDS", default_value_t = 10)]
    limit_otp_sends: u64,
    /// OTP checks per ID and per client IP in a window.
    #[arg(long, env = "DINHDANH_LIMIT_OTP_CHECKS", default_value_t = 30)]
    limit_otp_checks: u64,
    /// Logins per ID and per client IP in a window.
    #[arg(long, env = "DINHDANH_LIMIT_LOGINS", default_value_t = 30)]
    limit_logins: u64,
    /// Activation requests per ID and per client IP in a window.
    #[arg(long, env = "DINHDANH_LIMIT_ACTIVATIONS", default_value_t = 10)]
    limit_activations: u64,
    /// Guesses at one account's secrets (password, OTP, passcode, security
    /// answers, all together) per ID number and day.
    #[arg(long, env = "DINHDANH_LIMIT_GUESSES_PER_DAY", default_value_t = 100)]
    limit_guesses_per_day: u64,
    /// Failed officer or reporter authentications per client address in a
    /// window.
    #[arg(long, env = "DINHDANH_LIMIT_OFFICER_FAILURES", default_value_t = 10)]
    limit_officer_failures: u64,
    /// Trusted CSCAs for the passive authentication of level-1 dossiers: a
    /// DER or PEM certificate, a CSCA master list, or a directory of them
    /// (repeatable; the variable takes a comma-separated list). Without it
    /// (and without `--demo-csca`) chip dossiers are refused.
    #[arg(long, env = "DINHDANH_CSCA", value_delimiter = ',')]
    csca: Vec<PathBuf>,
    /// Trust the simulator's demonstration CSCA, the one `dinhdanh chip
    /// read --sim` signs under, when no `--csca` is given: anyone can mint
    /// chips under it. For the tour; never in production.
    #[arg(long, env = "DINHDANH_DEMO_CSCA")]
    demo_csca: bool,
    /// Officers and reporters, one per line: `ID:TOKEN` (an officer) or
    /// `ID:TOKEN:ROLES` with ROLES `officer`, `reporter` or
    /// `officer+reporter`; `#` starts a comment. Keep it 0600.
    #[arg(long, env = "DINHDANH_OFFICERS_FILE")]
    officers_file: Option<PathBuf>,
    /// An officer and the bearer token for the officer endpoints, as
    /// `ID:TOKEN` (repeatable; the variable takes a comma-separated list).
    /// On the command line the token is visible to every user (`ps`):
    /// prefer `--officers-file` or the variable.
    #[arg(long = "officer", env = "DINHDANH_OFFICERS", value_delimiter = ',')]
    officers: Vec<String>,
    /// A reporter, who may read the personal-data report
    /// (`/v1/admin/report`), as `ID:TOKEN` (repeatable; the variable takes
    /// a comma-separated list). Same caveat as `--officer`.
    #[arg(long = "reporter", env = "DINHDANH_REPORTERS", value_delimiter = ',')]
    reporters: Vec<String>,
    /// An organisation (an enterprise, a school) and the bearer token of
    /// its uploads and reports (`/v1/org/...`: its people, its propaganda
    /// teams, Mẫu số 01 and 02), as `ORG-ID:TOKEN` (repeatable; the
    /// variable takes a comma-separated list). Same caveat as `--officer`.
    #[arg(long = "org", env = "DINHDANH_ORGS", value_delimiter = ',')]
    orgs: Vec<String>,
    /// A reverse proxy whose `X-Forwarded-For` names the client (repeatable;
    /// the variable takes a comma-separated list). From any other peer the
    /// header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "DINHDANH_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<IpAddr>,
    /// Argon2 hashes at once (default: a quarter of the memory over the
    /// Argon2 memory, at most four per core).
    #[arg(long, env = "DINHDANH_ARGON2_PERMITS")]
    argon2_permits: Option<usize>,
    /// How long a request waits for an Argon2 permit before `503`, ms.
    #[arg(long, env = "DINHDANH_ARGON2_WAIT_MS", default_value_t = 2000)]
    argon2_wait_ms: u64,
    /// Seconds a client has to send a request's head (also the idle
    /// timeout of a keep-alive connection).
    #[arg(long, env = "DINHDANH_HEADER_READ_TIMEOUT", default_value_t = 10)]
    header_read_timeout: u64,
    /// Seconds a request may take, its body included (then `408`).
    #[arg(long, env = "DINHDANH_REQUEST_TIMEOUT", default_value_t = 30)]
    request_timeout: u64,
    /// Connections open at once; more are closed at once (default: 1024,
    /// or the open-file limit less 64 when that is lower).
    #[arg(long, env = "DINHDANH_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
    /// Seconds requests in flight get at shutdown (SIGTERM, Ctrl-C).
    #[arg(long, env = "DINHDANH_SHUTDOWN_GRACE", default_value_t = 10)]
    shutdown_grace: u64,
    /// Clients reach this server over HTTPS (a TLS proxy in front): a
    /// browser's device cookie is then `Secure` and `__Host-` prefixed.
    #[arg(long, env = "DINHDANH_BEHIND_TLS")]
    behind_tls: bool,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let matches = Flags::command().get_matches();
    let flags = Flags::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    for (id, flag, instead) in [
        (
            "officers",
            "--officer",
            "--officers-file or the environment",
        ),
        (
            "reporters",
            "--reporter",
            "--officers-file or the environment",
        ),
        ("orgs", "--org", "the environment (DINHDANH_ORGS)"),
    ] {
        if matches.value_source(id) == Some(ValueSource::CommandLine) {
            tracing::warn!(
                "{flag} on the command line: its token is visible to every user of this machine (ps); use {instead}"
            );
        }
    }
    let (mut officers, mut reporters) = match &flags.officers_file {
        Some(path) => app::staff::read_file(path)?,
        None => (Vec::new(), Vec::new()),
    };
    for o in &flags.officers {
        officers.push(app::staff::id_token("--officer", o)?);
    }
    for r in &flags.reporters {
        reporters.push(app::staff::id_token("--reporter", r)?);
    }
    let orgs = flags
        .orgs
        .iter()
        .map(|o| app::org::parse_org(o))
        .collect::<Result<Vec<_>, _>>()?;
    let settings = app::Settings {
        database_url: flags.database_url,
        registry: flags.registry,
        key_file: flags.key_file,
        argon2_m_kib: flags.argon2_m_kib,
        limits: app::Limits {
            window_secs: flags.limit_window,
            otp_sends: flags.limit_otp_sends,
            otp_checks: flags.limit_otp_checks,
            logins: flags.limit_logins,
            activations: flags.limit_activations,
            guesses_per_day: flags.limit_guesses_per_day,
            officer_failures: flags.limit_officer_failures,
        },
        officers,
        reporters,
        orgs,
        demo_csca: flags.demo_csca && flags.csca.is_empty(),
        argon2_permits: flags.argon2_permits,
        argon2_wait: Duration::from_millis(flags.argon2_wait_ms),
        http: app::http::HttpSettings {
            header_read_timeout: Duration::from_secs(flags.header_read_timeout.max(1)),
            request_timeout: Duration::from_secs(flags.request_timeout.max(1)),
            max_connections: flags
                .max_connections
                .unwrap_or_else(app::http::default_max_connections)
                .max(1),
            shutdown_grace: Duration::from_secs(flags.shutdown_grace),
            trusted_proxies: flags.trusted_proxies,
            behind_tls: flags.behind_tls,
        },
    };
    let mut state = app::AppState::open(&settings).await?;
    if !flags.csca.is_empty() {
        state.trust = app::dossier::Trust::load(&flags.csca)?;
    } else if settings.demo_csca {
        tracing::warn!(
            "--demo-csca: trusting the simulator's demonstration CSCA; anyone can mint chip files that pass under it. Never in production"
        );
    }
    tracing::info!(trust = %state.trust.source, "passive authentication CSCAs");
    tracing::info!(organisations = state.orgs.len(), "organisations (--org)");
    tracing::info!(
        permits = state.hashing.count,
        m_kib = settings.argon2_m_kib,
        "Argon2 hashes at once"
    );
    tracing::info!(
        connections = settings.http.max_connections,
        header_read_timeout_s = settings.http.header_read_timeout.as_secs(),
        trusted_proxies = settings.http.trusted_proxies.len(),
        "transport limits"
    );
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind(&flags.listen)
        .await
        .map_err(|e| format!("listen on {}: {e}", flags.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, "listening");
    tracing::info!("web pages: open http://{addr}/ in a browser");
    app::serve(
        state,
        listener,
        Arc::new(app::sms::StdoutSender),
        shutdown_signal(),
    )
    .await
}
