//! The reference server's pieces: configuration, state, the command loop
//! over `eid-account`, the router. `main.rs` runs it; the tests
//! (`tests/server_*.rs`) include this module and run it in-process.

pub(crate) mod dossier;
pub(crate) mod error;
pub(crate) mod handlers;
pub(crate) mod level1;
pub(crate) mod openapi;
pub(crate) mod registry;
pub(crate) mod report;
pub(crate) mod sms;
pub(crate) mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::{get, post};
use cccd::IdNumber;
use eid_account::{
    Account, Action, Command, Context, Decision, DeviceUse, Effect, Keys, Policies, RegistryAnswer,
    decide, fold,
};
use eid_credentials::{HashParams, Hasher, Pepper};
use eid_otp::ServerKey;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use error::ApiError;
use registry::Registry;
use sms::SmsSender;
use store::{OutboxMessage, Storage, Store, StoreError};

/// The server's settings (flags and environment variables, see `main.rs`).
/// No `Debug`: the database URL may hold a password.
#[derive(Clone)]
pub(crate) struct Settings {
    /// Database URL: `postgres://...`, `sqlite://...` or a SQLite path.
    pub(crate) database_url: String,
    /// Registry CSV path.
    pub(crate) registry: PathBuf,
    /// The file holding the server's 32-byte secret (hex), created when
    /// missing; the pepper and the OTP key derive from it.
    pub(crate) key_file: PathBuf,
    /// Argon2id memory in KiB.
    pub(crate) argon2_m_kib: u32,
    /// Rate limits: requests per window per key.
    pub(crate) limits: Limits,
    /// Officers: (officer id, bearer token).
    pub(crate) officers: Vec<(String, String)>,
}

/// Rate limits (fixed windows, counted in the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The window, seconds.
    pub(crate) window_secs: u64,
    /// OTP sends (registration, resend) per phone, per ID and per IP.
    pub(crate) otp_sends: u64,
    /// OTP checks per ID and per IP.
    pub(crate) otp_checks: u64,
    /// Logins per ID and per IP.
    pub(crate) logins: u64,
    /// Activation requests per ID and per IP.
    pub(crate) activations: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window_secs: 3600,
            otp_sends: 10,
            otp_checks: 30,
            logins: 30,
            activations: 10,
        }
    }
}

/// Everything the handlers share.
pub(crate) struct AppState {
    /// Storage.
    pub(crate) store: Store,
    /// The population registry stand-in.
    pub(crate) registry: Registry,
    /// The account rules.
    pub(crate) policies: Policies,
    /// Hasher and OTP key.
    pub(crate) keys: Keys,
    /// Rate limits.
    pub(crate) limits: Limits,
    /// Wakes the outbox dispatcher.
    pub(crate) outbox_ready: Notify,
    /// Officer id by SHA-256 of the officer's token.
    pub(crate) officers: std::collections::HashMap<String, String>,
}

/// Now, Unix seconds.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// SHA-256 of a session token, hex: what the database holds.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new opaque token: 32 random bytes, hex.
pub(crate) fn new_token() -> Result<String, ApiError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|_| ApiError::internal())?;
    Ok(hex::encode(b))
}

/// Reads or creates the key file; returns the 32-byte secret.
fn server_secret(path: &PathBuf) -> Result<[u8; 32], String> {
    let mut key = [0u8; 32];
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).map_err(|e| format!("key file: {e}"))?;
            key = bytes
                .try_into()
                .map_err(|_| "key file: 32 bytes in hex expected".to_owned())?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            getrandom::fill(&mut key).map_err(|e| format!("random: {e}"))?;
            write_private(path, &hex::encode(key)).map_err(|e| format!("key file: {e}"))?;
            tracing::info!(path = %path.display(), "created a new server key file");
        }
        Err(e) => return Err(format!("key file {}: {e}", path.display())),
    }
    Ok(key)
}

/// Writes a new file readable by its owner only.
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

fn derive(secret: &[u8; 32], label: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(secret);
    h.update(label.as_bytes());
    h.finalize().into()
}

impl AppState {
    /// Opens the database, loads the registry, reads the keys.
    pub(crate) async fn open(settings: &Settings) -> Result<AppState, String> {
        let store = Store::open(&settings.database_url)
            .await
            .map_err(|e| format!("database: {e}"))?;
        let text = std::fs::read_to_string(&settings.registry)
            .map_err(|e| format!("registry {}: {e}", settings.registry.display()))?;
        let registry = Registry::parse(&text).map_err(|e| format!("registry: {e}"))?;
        let secret = server_secret(&settings.key_file)?;
        let hasher = Hasher::new(HashParams {
            m_cost_kib: settings.argon2_m_kib,
            t_cost: 2,
            p_cost: 1,
        })
        .map_err(|e| format!("argon2: {e}"))?
        .with_pepper(
            Pepper::new(b"k1", &derive(&secret, "pepper")).map_err(|e| format!("pepper: {e}"))?,
        );
        let otp_key =
            ServerKey::new(&derive(&secret, "otp")).map_err(|e| format!("otp key: {e}"))?;
        tracing::info!(
            backend = store.backend(),
            citizens = registry.len(),
            "state ready"
        );
        Ok(AppState {
            store,
            registry,
            policies: Policies::default(),
            keys: Keys { hasher, otp_key },
            limits: settings.limits,
            outbox_ready: Notify::new(),
            officers: settings
                .officers
                .iter()
                .map(|(id, token)| (token_hash(token), id.clone()))
                .collect(),
        })
    }

    /// The account of an ID number (the fold of its log).
    pub(crate) async fn account(&self, id: &IdNumber) -> Result<Account, ApiError> {
        let events = self.store.load(id.as_str()).await?;
        Ok(fold(&events))
    }

    /// Counts a hit against a limit; refuses past it.
    pub(crate) async fn limit(&self, key: String, max: u64) -> Result<(), ApiError> {
        let t = now();
        let w = self.limits.window_secs.max(1);
        let n = self.store.hit(&key, t, w).await?;
        if n > max {
            tracing::warn!(limit = %key.split(':').next().unwrap_or(""), "rate limit hit");
            return Err(ApiError::rate_limited(w - t % w));
        }
        Ok(())
    }

    /// Decides `action` on the account's current state and appends the
    /// outcome (events and SMS in one transaction). A concurrent writer makes
    /// this fail with `version_conflict` (409): nothing is retried, so two
    /// racing commands never both succeed.
    pub(crate) async fn execute(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
    ) -> Result<(Account, Decision), ApiError> {
        self.execute_guarded(id, action, registry, device_use, |_, _| Ok(()))
            .await
    }

    /// [`AppState::execute`] with a server-side check on the same state the
    /// command is decided on (so a concurrent change makes the append fail).
    pub(crate) async fn execute_guarded(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl FnOnce(&Account, u64) -> Result<(), ApiError>,
    ) -> Result<(Account, Decision), ApiError> {
        let account = self.account(id).await?;
        let version = account.version();
        let t = now();
        guard(&account, t)?;
        let mut rng = getrandom::SysRng;
        // Argon2 hashing happens in decide: off the async threads.
        let outcome = tokio::task::block_in_place(|| {
            let mut ctx = Context {
                now: t,
                rng: &mut rng,
                registry,
                device_use,
                policies: &self.policies,
                keys: &self.keys,
            };
            decide(&account, Command::new(version, action), &mut ctx)
        });
        match outcome {
            Ok(decision) => {
                let outbox = outbox_messages(&decision.effects, t);
                self.store
                    .append(id.as_str(), version, &decision.events, &outbox, t)
                    .await?;
                if !outbox.is_empty() {
                    self.outbox_ready.notify_one();
                }
                for e in &decision.effects {
                    if let Effect::NotifyOfficers { notice, .. } = e {
                        tracing::info!(?notice, "officers notified");
                    }
                }
                let after = decision.events.iter().fold(account, eid_account::apply);
                Ok((after, decision))
            }
            Err(refusal) => {
                if !refusal.events.is_empty() {
                    match self
                        .store
                        .append(id.as_str(), version, &refusal.events, &[], t)
                        .await
                    {
                        Ok(()) => {}
                        Err(StoreError::Conflict) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(refusal.error.into())
            }
        }
    }
}

/// The SMS to write with the events: one-time codes and texts. The code
/// is in the text (the outbox must be able to send it); the dispatcher
/// blanks the text once sent.
fn outbox_messages(effects: &[Effect], now: u64) -> Vec<OutboxMessage> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SendOtp {
                phone,
                purpose,
                code,
                expires_at,
            } => Some(OutboxMessage {
                phone: phone.as_str().to_owned(),
                kind: format!("otp:{purpose:?}").to_lowercase(),
                text: format!(
                    "Ma xac thuc (OTP) tai khoan dinh danh dien tu cua ban la {}. Ma co hieu luc trong {} giay. Khong cung cap ma nay cho bat ky ai.",
                    code.expose_secret(),
                    expires_at.saturating_sub(now)
                ),
            }),
            Effect::SendSms { phone, kind, text } => Some(OutboxMessage {
                phone: phone.as_str().to_owned(),
                kind: format!("{kind:?}").to_lowercase(),
                text: text.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// The router over a shared state.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/openapi.json", get(openapi::document))
        .route("/v1/registrations", post(handlers::register))
        .route("/v1/otp/resend", post(handlers::otp_resend))
        .route("/v1/otp/verify", post(handlers::otp_verify))
        .route("/v1/password", post(handlers::set_password))
        .route("/v1/login", post(handlers::login))
        .route("/v1/logout", post(handlers::logout))
        .route("/v1/account", get(handlers::account))
        .route("/v1/dossiers", post(dossier::submit))
        .route("/v1/dossiers/current", get(dossier::status))
        .route("/v1/officer/dossiers", get(level1::list))
        .route("/v1/officer/dossiers/{id}/approve", post(level1::approve))
        .route("/v1/officer/dossiers/{id}/reject", post(level1::reject))
        .route("/v1/activations", post(level1::activate))
        .route("/v1/admin/report", get(report::report))
        .route("/v1/passcode", post(level1::set_passcode))
        .route("/v1/security-questions", post(level1::set_questions))
        .with_state(state)
}

/// Sends the outbox until `shutdown` fires: wakes on new messages or every
/// second; a message not confirmed within 30 s is claimed again (at least
/// once).
pub(crate) async fn dispatch_outbox(
    state: Arc<AppState>,
    sender: Arc<dyn SmsSender>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match state.store.claim_outbox(now(), 30, 32).await {
            Ok(batch) => {
                for c in batch {
                    match sender.send(&c.message.phone, &c.message.text).await {
                        Ok(()) => {
                            if let Err(e) = state.store.mark_sent(c.id, now()).await {
                                tracing::error!(error = %e, id = c.id, "outbox mark_sent");
                            } else {
                                tracing::info!(id = c.id, kind = %c.message.kind, "sms sent");
                            }
                        }
                        Err(e) => tracing::warn!(id = c.id, error = %e, "sms send failed"),
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "outbox claim"),
        }
        tokio::select! {
            _ = state.outbox_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

/// Serves on `listener` until `shutdown` resolves, with the outbox
/// dispatcher; drains in-flight requests, then stops the dispatcher.
pub(crate) async fn serve(
    state: Arc<AppState>,
    listener: TcpListener,
    sender: Arc<dyn SmsSender>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let dispatcher = tokio::spawn(dispatch_outbox(state.clone(), sender, rx));
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("serve: {e}"));
    let _ = tx.send(true);
    let _ = dispatcher.await;
    state.store.close().await;
    result
}
