//! The dinhdanh reference server: a JSON HTTP API over `eid-account`
//! (axum on tokio), SQLite by default, PostgreSQL with
//! `--database-url postgres://...`.
//!
//! `cargo run --release --example reference-server -- --help`

#![forbid(unsafe_code)]

mod app;

use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;

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
    /// Trusted CSCAs for the passive authentication of level-1 dossiers: a
    /// DER or PEM certificate, a CSCA master list, or a directory of them
    /// (repeatable; the variable takes a comma-separated list). Default: the
    /// simulator's demonstration CSCA, the one `dinhdanh chip read --sim`
    /// signs under (for the tour; never in production).
    #[arg(long, env = "DINHDANH_CSCA", value_delimiter = ',')]
    csca: Vec<PathBuf>,
    /// An officer and the bearer token for the officer endpoints, as
    /// `ID:TOKEN` (repeatable; the variable takes a comma-separated list).
    #[arg(long = "officer", env = "DINHDANH_OFFICERS", value_delimiter = ',')]
    officers: Vec<String>,
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
    let flags = Flags::parse();
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
        },
        officers: flags
            .officers
            .iter()
            .map(|o| match o.split_once(':') {
                Some((id, token)) if !id.is_empty() && token.len() >= 16 => {
                    Ok((id.to_owned(), token.to_owned()))
                }
                _ => Err("--officer: ID:TOKEN with a token of 16 characters or more".to_owned()),
            })
            .collect::<Result<Vec<_>, String>>()?,
    };
    let mut state = app::AppState::open(&settings).await?;
    if !flags.csca.is_empty() {
        state.trust = app::dossier::Trust::load(&flags.csca)?;
    }
    tracing::info!(trust = %state.trust.source, "passive authentication CSCAs");
    let state = Arc::new(state);
    let listener = tokio::net::TcpListener::bind(&flags.listen)
        .await
        .map_err(|e| format!("listen on {}: {e}", flags.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, "listening");
    app::serve(
        state,
        listener,
        Arc::new(app::sms::StdoutSender),
        shutdown_signal(),
    )
    .await
}
