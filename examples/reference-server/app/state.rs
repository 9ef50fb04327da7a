//! What the handlers share: the state, opened from the settings, and the
//! per-account locks commands queue on.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;

use axum::http::HeaderMap;
use cccd::IdNumber;
use eid_account::{Account, Keys, Policies, fold};
use eid_credentials::{HashParams, Hasher, Pepper};
use eid_otp::ServerKey;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;
use zeroize::Zeroizing;

use super::error::ApiError;
use super::registry::Registry;
use super::settings::{Limits, Settings, derive, server_secret};
use super::store::{Storage, Store};
use super::tokens::{DEFAULT_FLOW_TOKEN_SECS, bearer, token_hash};
use super::{device, dossier, http, index_of, limits, org, staff};

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
    pub(crate) staff: HashMap<String, staff::Staff>,
    /// The Argon2 permits.
    pub(crate) hashing: limits::HashingPermits,
    /// The transport's settings.
    pub(crate) http: http::HttpSettings,
    /// The key of the ID numbers' pseudonyms in the logs.
    log_key: Zeroizing<[u8; 32]>,
    /// Lifetime of a flow token, seconds ([`DEFAULT_FLOW_TOKEN_SECS`]; the
    /// tests shorten it).
    pub(crate) flow_token_secs: AtomicU64,
    /// The CSCAs of passive authentication (`--csca`, or the simulator's
    /// demonstration CSCA with `--demo-csca`; none by default, and chip
    /// dossiers are then refused).
    pub(crate) trust: dossier::Trust,
    /// Commands on one account run one at a time in this server.
    pub(crate) account_locks: AccountLocks,
    /// The organisations, by the SHA-256 of their token.
    pub(crate) orgs: org::Orgs,
    /// Browsers' device cookies (`device.rs`).
    pub(crate) device_cookies: device::DeviceCookies,
    /// The key of the web forms' CSRF tokens (`web/csrf.rs`).
    pub(crate) csrf_key: Zeroizing<[u8; 32]>,
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
        let hasher = Hasher::new(HashParams::new(settings.argon2_m_kib, 2, 1))
            .map_err(|e| format!("argon2: {e}"))?
            .with_pepper(
                Pepper::new(b"k1", derive(&secret, "pepper").as_slice())
                    .map_err(|e| format!("pepper: {e}"))?,
            );
        let otp_key = ServerKey::new(derive(&secret, "otp").as_slice())
            .map_err(|e| format!("otp key: {e}"))?;
        tracing::info!(
            backend = store.backend(),
            citizens = registry.len(),
            "state ready"
        );
        let staff = staff::table(&settings.officers, &settings.reporters);
        let orgs = org::Orgs::new(&settings.orgs, &staff)?;
        Ok(AppState {
            store,
            registry,
            policies: Policies::default(),
            keys: Keys { hasher, otp_key },
            limits: settings.limits,
            outbox_ready: Notify::new(),
            staff,
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
            orgs,
            device_cookies: device::DeviceCookies::new(
                derive(&secret, "web-device"),
                settings.http.behind_tls,
            ),
            csrf_key: derive(&secret, "web-csrf"),
        })
    }

    /// The pseudonym of an ID number in the logs: keyed (an unkeyed hash of
    /// a 12-digit number is reversed by trying them all), stable for one
    /// server key, so one account's lines can be followed.
    pub(crate) fn log_id(&self, id: &IdNumber) -> String {
        let mut h = Sha256::new();
        h.update(self.log_key.as_slice());
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
}
