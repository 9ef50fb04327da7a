//! The reference server's pieces: configuration, state, the command loop
//! over `eid-account`, the router. `main.rs` runs it; the tests
//! (`tests/server_*.rs`) include this module and run it in-process.

pub(crate) mod dossier;
pub(crate) mod error;
pub(crate) mod flows;
pub(crate) mod handlers;
pub(crate) mod http;
pub(crate) mod level1;
pub(crate) mod limits;
pub(crate) mod openapi;
pub(crate) mod registry;
pub(crate) mod report;
pub(crate) mod sms;
pub(crate) mod staff;
pub(crate) mod store;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use cccd::IdNumber;
use eid_account::{
    Account, Action, Command, Context, Decision, DeviceUse, Effect, Event, EventKind, Flow, Keys,
    Policies, RegistryAnswer, decide, fold,
};
use eid_credentials::{HashParams, Hasher, Pepper};
use eid_otp::ServerKey;
use sha2::{Digest, Sha256};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use error::ApiError;
use registry::Registry;
use sms::SmsSender;
use store::{
    AccountIndex, OutboxMessage, Storage, Store, StoreError, StoredSession, VerdictRow, WithEvents,
};

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
    /// Officers: (officer id, bearer token): the dossier, level-2 and lock
    /// endpoints.
    pub(crate) officers: Vec<(String, String)>,
    /// Reporters: (id, bearer token): the personal-data report
    /// (`/v1/admin/report`). A token in both lists has both roles.
    pub(crate) reporters: Vec<(String, String)>,
    /// Trust the simulator's demonstration CSCA (`--demo-csca`) when no
    /// `--csca` is given; without either, chip dossiers are refused.
    pub(crate) demo_csca: bool,
    /// Argon2 permits (`--argon2-permits`); `None`: sized from the memory.
    pub(crate) argon2_permits: Option<usize>,
    /// How long a request waits for an Argon2 permit before `503`.
    pub(crate) argon2_wait: Duration,
    /// The transport: timeouts, connection cap, shutdown grace, proxies.
    pub(crate) http: http::HttpSettings,
}

/// How long a request waits for an Argon2 permit by default.
pub(crate) const DEFAULT_ARGON2_WAIT: Duration = Duration::from_secs(2);

/// The defaults of `main.rs`'s flags, but no database, registry, key file
/// or staff (the tests fill them in).
impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: String::new(),
            registry: PathBuf::new(),
            key_file: PathBuf::new(),
            argon2_m_kib: 19 * 1024,
            limits: Limits::default(),
            officers: Vec::new(),
            reporters: Vec::new(),
            demo_csca: false,
            argon2_permits: None,
            argon2_wait: DEFAULT_ARGON2_WAIT,
            http: http::HttpSettings::default(),
        }
    }
}

/// Rate limits (token buckets counted in the database, see `limits.rs`).
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
    /// Guesses at an account's secrets (password, OTP, passcode, security
    /// answers) per ID number and day, all kinds together: the long-term
    /// cap on top of each kind's window.
    pub(crate) guesses_per_day: u64,
    /// Failed officer or reporter authentications per client address in a
    /// window.
    pub(crate) officer_failures: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window_secs: 3600,
            otp_sends: 10,
            otp_checks: 30,
            logins: 30,
            activations: 10,
            guesses_per_day: 100,
            officer_failures: 10,
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
    /// Officers and reporters by SHA-256 of their token.
    pub(crate) staff: std::collections::HashMap<String, staff::Staff>,
    /// The Argon2 permits.
    pub(crate) hashing: limits::HashingPermits,
    /// The transport's settings.
    pub(crate) http: http::HttpSettings,
    /// The key of the ID numbers' pseudonyms in the logs.
    log_key: [u8; 32],
    /// Lifetime of a flow token, seconds ([`DEFAULT_FLOW_TOKEN_SECS`]; the
    /// tests shorten it).
    pub(crate) flow_token_secs: AtomicU64,
    /// The CSCAs of passive authentication (`--csca`, or the simulator's
    /// demonstration CSCA with `--demo-csca`; none by default, and chip
    /// dossiers are then refused).
    pub(crate) trust: dossier::Trust,
    /// Commands on one account run one at a time in this server.
    pub(crate) account_locks: AccountLocks,
}

/// One lock per shard of accounts: commands on the same account queue here
/// instead of racing to the store, so parallel guesses are decided one
/// after the other (each on the state the one before left) without each
/// losing its append and redoing Argon2. Across servers sharing a database
/// the store's unique (account, sequence) key and the retry of
/// [`AppState::run`] keep the same rule.
pub(crate) struct AccountLocks(Vec<tokio::sync::Mutex<()>>);

impl AccountLocks {
    const SHARDS: usize = 256;

    fn new() -> AccountLocks {
        AccountLocks(
            (0..Self::SHARDS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        )
    }

    /// The lock of `id`'s shard (by the first byte of its SHA-256, so the
    /// shards are evenly used whatever the ID numbers share).
    pub(crate) fn of(&self, id: &IdNumber) -> &tokio::sync::Mutex<()> {
        let h = Sha256::digest(id.as_str().as_bytes());
        let i = h.first().map_or(0, |b| usize::from(*b));
        // 256 shards, a byte's 256 values: `i` is always in range.
        static SPARE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        self.0.get(i).unwrap_or(&SPARE)
    }
}

/// How many times a command is decided again after losing the race for
/// its append (another server wrote the account meanwhile) before the
/// request gives up with 503: never with a conflict that would tell a
/// guesser anything.
const MAX_DECISIONS: usize = 32;

/// How long a flow token lives: the steps after an OTP take minutes.
pub(crate) const DEFAULT_FLOW_TOKEN_SECS: u64 = 600;

/// The flows whose steps after the OTP need a flow token: a successful
/// `POST /v1/otp/verify` returns one, bound to the account and the flow, and
/// each later step of that flow presents it as `Authorization: Bearer`.
/// Only its SHA-256 is stored (table `sessions`, kind `flow:...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowKind {
    /// Registration: the password.
    Registration,
    /// Activation: the password (when none yet), passcode, questions.
    Activation,
    /// Password reset: the security answers, the new password.
    Reset,
}

impl FlowKind {
    /// The kind of `flow`; `None` for a device change (nothing follows its
    /// OTP).
    pub(crate) fn of(flow: &Flow) -> Option<FlowKind> {
        match flow {
            Flow::Registration { .. } => Some(FlowKind::Registration),
            Flow::Activation { .. } => Some(FlowKind::Activation),
            Flow::PasswordReset { .. } => Some(FlowKind::Reset),
            Flow::DeviceChange { .. } => None,
        }
    }

    /// The `kind` column of its stored tokens.
    pub(crate) fn session_kind(self) -> &'static str {
        match self {
            FlowKind::Registration => "flow:registration",
            FlowKind::Activation => "flow:activation",
            FlowKind::Reset => "flow:reset",
        }
    }

    fn from_session_kind(kind: &str) -> Option<FlowKind> {
        [
            FlowKind::Registration,
            FlowKind::Activation,
            FlowKind::Reset,
        ]
        .into_iter()
        .find(|k| k.session_kind() == kind)
    }
}

/// A flow token that passed the checks that need no account state.
pub(crate) struct FlowToken {
    hash: String,
    /// The account it was issued for.
    pub(crate) id: IdNumber,
    kind: FlowKind,
    /// The account's version right after the OTP verification.
    issued_version: u64,
}

/// The `Authorization: Bearer` token, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// The `account_index` row of an account: the phone once there is a
/// password, the device while the identity is active.
pub(crate) fn index_of(a: &Account) -> AccountIndex {
    AccountIndex {
        phone: if a.has_password() {
            a.phone().map(|p| p.as_str().to_owned())
        } else {
            None
        },
        device: if a.is_active() {
            a.device().map(|d| d.as_str().to_owned())
        } else {
            None
        },
    }
}

/// Events after which a flow token issued earlier no longer applies: the
/// flow was started again, another OTP was verified, or the account was
/// locked or taken over by an officer's level-2 record.
fn supersedes(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::RegistrationStarted { .. }
            | EventKind::ActivationStarted { .. }
            | EventKind::PasswordResetStarted
            | EventKind::DeviceChangeStarted { .. }
            | EventKind::OtpIssued { .. }
            | EventKind::OtpVerified { .. }
            | EventKind::AccountLocked { .. }
            | EventKind::Level2DossierRecorded { .. }
    )
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
        // Accounts written before `account_index` existed.
        let unindexed = store
            .unindexed()
            .await
            .map_err(|e| format!("database: {e}"))?;
        for id in &unindexed {
            let events = store.load(id).await.map_err(|e| format!("database: {e}"))?;
            let a = fold(&events);
            store
                .put_index(id, a.version(), &index_of(&a))
                .await
                .map_err(|e| format!("database: {e}"))?;
        }
        if !unindexed.is_empty() {
            tracing::info!(accounts = unindexed.len(), "account index back-filled");
        }
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
            staff: staff::table(&settings.officers, &settings.reporters),
            hashing: limits::HashingPermits::new(
                settings
                    .argon2_permits
                    .unwrap_or_else(|| limits::HashingPermits::sized(settings.argon2_m_kib)),
                settings.argon2_wait,
            ),
            http: settings.http.clone(),
            log_key: derive(&secret, "log"),
            flow_token_secs: AtomicU64::new(DEFAULT_FLOW_TOKEN_SECS),
            trust: if settings.demo_csca {
                dossier::Trust::demo()?
            } else {
                dossier::Trust::none()
            },
            account_locks: AccountLocks::new(),
        })
    }

    /// The pseudonym of an ID number in the logs: keyed (an unkeyed hash of
    /// a 12-digit number is reversed by trying them all), stable for one
    /// server key, so one account's lines can be followed.
    pub(crate) fn log_id(&self, id: &IdNumber) -> String {
        let mut h = Sha256::new();
        h.update(self.log_key);
        h.update(id.as_str().as_bytes());
        let digest = h.finalize();
        format!("id-{}", hex::encode(digest.get(..8).unwrap_or_default()))
    }

    /// The staff member of the request's `Authorization: Bearer` token.
    pub(crate) fn staff(&self, headers: &HeaderMap) -> Option<&staff::Staff> {
        self.staff.get(&token_hash(bearer(headers)?))
    }

    /// The account of an ID number (the fold of its log).
    pub(crate) async fn account(&self, id: &IdNumber) -> Result<Account, ApiError> {
        let events = self.store.load(id.as_str()).await?;
        Ok(fold(&events))
    }

    /// Decides `action` on the account's current state and appends the
    /// outcome (events and SMS in one transaction); see [`AppState::run`]
    /// for what happens when another writer gets there first.
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
        guard: impl Fn(&Account, u64) -> Result<(), ApiError>,
    ) -> Result<(Account, Decision), ApiError> {
        self.execute_checked(id, action, registry, device_use, |a, _, t| guard(a, t))
            .await
    }

    /// [`AppState::execute_guarded`] whose check also sees the log.
    pub(crate) async fn execute_checked(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl Fn(&Account, &[Event], u64) -> Result<(), ApiError>,
    ) -> Result<(Account, Decision), ApiError> {
        self.run(id, action, registry, device_use, guard, None)
            .await
    }

    /// [`AppState::execute`] of a level-1 dossier submission, with the
    /// dossier's `verdict` (JSON) written in the same transaction as the
    /// event that submits it: a dossier is never stored without its
    /// verdict. A decision without that event writes nothing (internal
    /// error).
    pub(crate) async fn execute_with_verdict(
        &self,
        id: &IdNumber,
        action: Action,
        verdict: &str,
    ) -> Result<(Account, Decision), ApiError> {
        self.run(id, action, None, None, |_, _, _| Ok(()), Some(verdict))
            .await
    }

    /// The command loop behind the `execute` methods: `verdict`, when
    /// given, is keyed by the decision's `Level1DossierSubmitted` event.
    ///
    /// Keeps `eid-account`'s store contract: the events of a decision or of
    /// a refusal that counts (a wrong OTP, password, passcode, answer) are
    /// appended before anything is answered, and an append that loses the
    /// race to another writer decides the command again on the new state.
    /// So N parallel guesses cost N tries, and a right guess that lost a
    /// race is decided again rather than answered `version_conflict` (which
    /// would tell the guesser it was right). Two racing commands still
    /// never both succeed: the second is decided on the first's outcome.
    async fn run(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl Fn(&Account, &[Event], u64) -> Result<(), ApiError>,
        verdict: Option<&str>,
    ) -> Result<(Account, Decision), ApiError> {
        let _serial = self.account_locks.of(id).lock().await;
        // Argon2's memory is bounded: a command that hashes waits for a
        // permit (503 server_busy past the wait), held until it is decided.
        let _argon2 = self.hashing.permit(&action).await?;
        for _ in 0..MAX_DECISIONS {
            let events = self.store.load(id.as_str()).await?;
            let account = fold(&events);
            let t = now();
            guard(&account, &events, t)?;
            let outcome = self.decide_on(&account, action.clone(), t, &registry, device_use);
            let (written, appended) = match outcome {
                Ok(decision) => {
                    let verdict = verdict_row(&decision, verdict)?;
                    let outbox = outbox_messages(&decision.effects, t);
                    let after = decision
                        .events
                        .iter()
                        .fold(account.clone(), eid_account::apply);
                    let with = WithEvents {
                        outbox: &outbox,
                        index: Some(&index_of(&after)),
                        verdict,
                    };
                    let appended = self
                        .store
                        .append_with(id.as_str(), account.version(), &decision.events, t, &with)
                        .await;
                    if appended.is_ok() {
                        self.after_append(&outbox, &decision.effects);
                    }
                    (Ok((after, decision)), appended)
                }
                Err(refusal) if refusal.events.is_empty() => return Err(refusal.error.into()),
                Err(refusal) => {
                    let after = refusal
                        .events
                        .iter()
                        .fold(account.clone(), eid_account::apply);
                    let with = WithEvents {
                        index: Some(&index_of(&after)),
                        ..WithEvents::default()
                    };
                    let appended = self
                        .store
                        .append_with(id.as_str(), account.version(), &refusal.events, t, &with)
                        .await;
                    (Err(refusal.error.into()), appended)
                }
            };
            match appended {
                Ok(()) => return written,
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        tracing::warn!("an account's appends kept losing races");
        Err(limits::server_busy())
    }

    /// `decide` off the async threads (Argon2 hashing happens in it).
    fn decide_on(
        &self,
        account: &Account,
        action: Action,
        t: u64,
        registry: &Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
    ) -> Result<Decision, eid_account::Refusal> {
        let mut rng = getrandom::SysRng;
        tokio::task::block_in_place(|| {
            let mut ctx = Context {
                now: t,
                rng: &mut rng,
                registry: registry.clone(),
                device_use,
                policies: &self.policies,
                keys: &self.keys,
            };
            decide(account, Command::new(account.version(), action), &mut ctx)
        })
    }

    /// What follows a decision's append: wake the SMS dispatcher, log the
    /// officers' notices.
    fn after_append(&self, outbox: &[OutboxMessage], effects: &[Effect]) {
        if !outbox.is_empty() {
            self.outbox_ready.notify_one();
        }
        for e in effects {
            if let Effect::NotifyOfficers { notice, .. } = e {
                tracing::info!(?notice, "officers notified");
            }
        }
    }
}

/// The verdict row of a level-1 submission: keyed by the decision's
/// `Level1DossierSubmitted` event (internal error without one).
fn verdict_row<'a>(
    decision: &Decision,
    verdict: Option<&'a str>,
) -> Result<Option<VerdictRow<'a>>, ApiError> {
    let Some(body) = verdict else {
        return Ok(None);
    };
    let sequence = decision
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Level1DossierSubmitted { .. }))
        .map(|e| e.sequence)
        .ok_or_else(ApiError::internal)?;
    Ok(Some(VerdictRow { sequence, body }))
}

impl AppState {
    /// After a successful OTP verification: a new flow token for the flow
    /// the account is now in (none for a device change, which is done).
    pub(crate) async fn issue_flow_token(
        &self,
        id: &IdNumber,
        account: &Account,
    ) -> Result<Option<(String, u64)>, ApiError> {
        let Some(kind) = account.flow().and_then(FlowKind::of) else {
            return Ok(None);
        };
        let token = new_token()?;
        let expires_at = now().saturating_add(self.flow_token_secs.load(Ordering::Relaxed));
        self.store
            .put_session(
                &token_hash(&token),
                &StoredSession {
                    kind: kind.session_kind().to_owned(),
                    subject: id.as_str().to_owned(),
                    session_id: account.version(),
                    expires_at,
                },
            )
            .await?;
        Ok(Some((token, expires_at)))
    }

    /// The flow token of the request: present, known, not expired, issued
    /// for one of `allowed`, and for the account `named` in the body when
    /// the body names one.
    pub(crate) async fn flow_token(
        &self,
        headers: &HeaderMap,
        named: Option<&str>,
        allowed: &[FlowKind],
    ) -> Result<FlowToken, ApiError> {
        let token = bearer(headers).ok_or_else(ApiError::flow_token_missing)?;
        let hash = token_hash(token);
        let s = self
            .store
            .get_session(&hash)
            .await?
            .ok_or_else(ApiError::flow_token_invalid)?;
        let kind = FlowKind::from_session_kind(&s.kind).ok_or_else(ApiError::flow_token_invalid)?;
        if s.expires_at <= now() {
            self.store.delete_session(&hash).await?;
            return Err(ApiError::flow_token_expired());
        }
        if !allowed.contains(&kind) {
            return Err(ApiError::flow_token_wrong_flow());
        }
        let id = IdNumber::parse(&s.subject).map_err(|_| ApiError::flow_token_invalid())?;
        if let Some(named) = named
            && handlers::id_number(named)? != id
        {
            return Err(ApiError::flow_token_wrong_account());
        }
        Ok(FlowToken {
            hash,
            id,
            kind,
            issued_version: s.session_id,
        })
    }

    /// Runs a step that follows the OTP of `token`'s flow: refused unless
    /// the account is still in that flow and nothing started it over since
    /// the token was issued. The token is consumed when the flow ends.
    pub(crate) async fn execute_flow(
        &self,
        token: &FlowToken,
        action: Action,
    ) -> Result<(Account, Decision), ApiError> {
        let (kind, issued) = (token.kind, token.issued_version);
        let result = self
            .execute_checked(&token.id, action, None, None, |a, events, _| {
                if a.flow().and_then(FlowKind::of) != Some(kind) || a.version() < issued {
                    return Err(ApiError::flow_token_invalid());
                }
                if events
                    .iter()
                    .any(|e| e.sequence > issued && supersedes(&e.kind))
                {
                    return Err(ApiError::flow_token_invalid());
                }
                Ok(())
            })
            .await;
        match &result {
            Ok((after, _)) if after.flow().is_none() => {
                self.store.delete_session(&token.hash).await?;
            }
            Err(_) => {
                // A refusal may end the flow (a reset aborted after too
                // many wrong answers): the token goes with it.
                let a = self.account(&token.id).await?;
                if a.flow().and_then(FlowKind::of) != Some(kind) {
                    self.store.delete_session(&token.hash).await?;
                }
            }
            Ok(_) => {}
        }
        result
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

/// The router over a shared state, with the layers of `http.rs`. The
/// officer and report endpoints sit behind [`http::officer_gate`].
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let staff = Router::new()
        .route("/v1/officer/dossiers", get(level1::list))
        .route("/v1/officer/dossiers/{id}/approve", post(level1::approve))
        .route("/v1/officer/dossiers/{id}/reject", post(level1::reject))
        .route("/v1/admin/report", get(report::report))
        .route("/v1/officer/level2-dossiers", post(flows::record_level2))
        .route("/v1/officer/accounts/{id}/lock", post(flows::officer_lock))
        .route(
            "/v1/officer/accounts/{id}/unlock",
            post(flows::officer_unlock),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::officer_gate,
        ));
    let routes = Router::new()
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
        .route("/v1/activations", post(level1::activate))
        .route("/v1/passcode", post(level1::set_passcode))
        .route("/v1/security-questions", post(level1::set_questions))
        .route("/v1/password-resets", post(flows::start_reset))
        .route("/v1/password-resets/answers", post(flows::reset_answers))
        .route("/v1/device-changes", post(flows::start_device_change))
        .route("/v1/passcode/confirm", post(flows::confirm_passcode))
        .route(
            "/v1/appointments",
            post(flows::book_appointment).delete(flows::cancel_appointment),
        )
        .route("/v1/lock", post(flows::lock))
        .route("/v1/unlock", post(flows::unlock))
        .merge(staff)
        .with_state(state.clone());
    http::layered(routes, &state)
}

/// Sends the outbox until `shutdown` fires: wakes on new messages or every
/// second; a message not confirmed within 30 s is claimed again (at least
/// once). Once a minute, forgets expired sessions and flow tokens, and the
/// rate-limit buckets that are full again.
pub(crate) async fn dispatch_outbox(
    state: Arc<AppState>,
    sender: Arc<dyn SmsSender>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut purged_at = 0u64;
    loop {
        let t = now();
        if t.saturating_sub(purged_at) >= 60 {
            purged_at = t;
            match state.store.purge_sessions(t).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "expired sessions forgotten"),
                Err(e) => tracing::error!(error = %e, "session purge"),
            }
            match state.store.purge_rate_limits(limits::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(buckets = n, "full rate-limit buckets forgotten"),
                Err(e) => tracing::error!(error = %e, "rate-limit purge"),
            }
        }
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
/// dispatcher; drains in-flight requests for at most the shutdown grace
/// (`http.rs`), then stops the dispatcher.
pub(crate) async fn serve(
    state: Arc<AppState>,
    listener: TcpListener,
    sender: Arc<dyn SmsSender>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let dispatcher = tokio::spawn(dispatch_outbox(state.clone(), sender, rx));
    http::accept_loop(router(state.clone()), &state.http, listener, shutdown).await;
    let _ = tx.send(true);
    let _ = dispatcher.await;
    state.store.close().await;
    Ok(())
}
