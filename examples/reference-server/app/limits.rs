//! Resource and rate limits.
//!
//! - Argon2 permits: every command that hashes or verifies a secret with
//!   Argon2id (m KiB of memory each) holds a permit while it is decided, so
//!   parallel requests cannot take the machine's memory. The count comes
//!   from `--argon2-permits` or, by default, from the memory: a quarter of
//!   it over m, at most four per core. A request that waits longer than
//!   `--argon2-wait-ms` for one is answered `503 server_busy` with
//!   `Retry-After`.
//! - Rate limits: token buckets (GCRA: one "theoretical arrival time" per
//!   key) kept in the database, so servers sharing it share them, each
//!   taken by one atomic statement. A limit of `max` per `window` lets
//!   `max` requests through at once, then one every `window / max`: no
//!   window boundary to burst across (fixed windows allowed `2 × max` in a
//!   moment at each boundary). Refused requests take nothing.
//! - Keys: per ID number, per phone, per client address: an IPv6 client is
//!   counted by its /64 (one subscriber's prefix), an IPv4 one by its
//!   address.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use cccd::IdNumber;
use eid_account::Action;
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::AppState;
use super::error::ApiError;
use super::store::Storage;

/// The window of the long-term cap on guesses per ID number: a day.
pub(crate) const GUESS_DAY_SECS: u64 = 86_400;

/// The Argon2 permits (see the module documentation).
pub(crate) struct HashingPermits {
    /// The permits; a test may take them all to fill the server.
    pub(crate) semaphore: Arc<Semaphore>,
    /// How many there are.
    pub(crate) count: usize,
    /// How long a request waits for one before `503`.
    pub(crate) wait: Duration,
}

impl HashingPermits {
    /// `count` permits (at least one), waited for at most `wait`.
    pub(crate) fn new(count: usize, wait: Duration) -> HashingPermits {
        let count = count.max(1);
        HashingPermits {
            semaphore: Arc::new(Semaphore::new(count)),
            count,
            wait,
        }
    }

    /// The default count for Argon2 memory `m_kib`: a quarter of the
    /// machine's memory over `m_kib`, at most four per core (more hashes at
    /// once than that only wait for a core, holding their memory), at
    /// least one.
    pub(crate) fn sized(m_kib: u32) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let by_cpu = cores.saturating_mul(4);
        let by_memory = memory_kib()
            .map(|kib| kib / 4 / u64::from(m_kib.max(1)))
            .map_or(by_cpu, |n| usize::try_from(n).unwrap_or(usize::MAX));
        by_memory.min(by_cpu).max(1)
    }

    /// A permit for `action` when it hashes (`None` when it does not): waits
    /// up to [`HashingPermits::wait`], then `503 server_busy`.
    pub(crate) async fn permit(
        &self,
        action: &Action,
    ) -> Result<Option<OwnedSemaphorePermit>, ApiError> {
        if !hashes(action) {
            return Ok(None);
        }
        self.acquire().await.map(Some)
    }

    /// A permit for Argon2 work outside a command (the dummy verify of a
    /// login whose phone is no account's).
    pub(crate) async fn acquire(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        match tokio::time::timeout(self.wait, self.semaphore.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // Closed (never, the semaphore is not closed) or timed out.
            Ok(Err(_)) | Err(_) => {
                tracing::warn!(permits = self.count, "Argon2 permits exhausted: 503");
                Err(server_busy())
            }
        }
    }
}

/// The commands that run Argon2id (hash or verify a password, passcode or
/// security answers).
fn hashes(action: &Action) -> bool {
    matches!(
        action,
        Action::SetPassword { .. }
            | Action::Login { .. }
            | Action::AnswerSecurityQuestions { .. }
            | Action::SetPasscode { .. }
            | Action::SetSecurityQuestions { .. }
            | Action::ConfirmPasscode { .. }
            | Action::StartDeviceChange { .. }
            | Action::UnlockByHolder { .. }
    )
}

/// `503 server_busy`, retry in a second (a hash takes milliseconds).
pub(crate) fn server_busy() -> ApiError {
    let mut e = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "server_busy",
        "Hệ thống đang bận, vui lòng thử lại sau.",
        "the server is busy: try again shortly",
    );
    e.extra = json!({ "seconds_left": 1 });
    e
}

/// The machine's memory in KiB (`/proc/meminfo`), if known.
fn memory_kib() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Now, Unix milliseconds (the buckets' clock).
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// The rate-limit key of a client address: IPv4 (and IPv4-mapped IPv6) by
/// address, IPv6 by its /64.
pub(crate) fn ip_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

impl AppState {
    /// Takes one request from the bucket of `key` (`max` per rate-limit
    /// window); refuses with `429 rate_limited` and the wait when empty.
    pub(crate) async fn limit(&self, key: String, max: u64) -> Result<(), ApiError> {
        self.limit_per(key, max, self.limits.window_secs).await
    }

    /// [`AppState::limit`] with a window of its own.
    pub(crate) async fn limit_per(
        &self,
        key: String,
        max: u64,
        window_secs: u64,
    ) -> Result<(), ApiError> {
        let window_ms = window_secs.max(1).saturating_mul(1000);
        match self.store.take(&key, now_ms(), window_ms, max).await? {
            None => Ok(()),
            Some(wait_ms) => {
                // The key's kind only: the rest may be an ID number.
                tracing::warn!(limit = %key.split(':').next().unwrap_or(""), "rate limit hit");
                Err(ApiError::rate_limited(wait_ms.div_ceil(1000).max(1)))
            }
        }
    }

    /// The two limits of a step that names an account: per client address
    /// (`{kind}_ip:`, IPv6 by /64) and per ID number (`{kind}_id:`).
    pub(crate) async fn limit_ip_and_id(
        &self,
        kind: &str,
        ip: IpAddr,
        id: &IdNumber,
        max: u64,
    ) -> Result<(), ApiError> {
        self.limit(format!("{kind}_ip:{}", ip_key(ip)), max).await?;
        self.limit(format!("{kind}_id:{}", id.as_str()), max).await
    }

    /// The limits of a guess at an account's secret (password, OTP,
    /// passcode, security answers): [`AppState::limit_ip_and_id`], and the
    /// long-term cap of the ID number shared by every kind of guess
    /// ([`super::Limits::guesses_per_day`] a day).
    pub(crate) async fn limit_guess(
        &self,
        kind: &str,
        ip: IpAddr,
        id: &IdNumber,
        max: u64,
    ) -> Result<(), ApiError> {
        self.limit_ip_and_id(kind, ip, id, max).await?;
        self.limit_daily(id).await
    }

    /// The long-term cap on guesses at the secrets of `id`.
    pub(crate) async fn limit_daily(&self, id: &IdNumber) -> Result<(), ApiError> {
        self.limit_per(
            format!("guess_day_id:{}", id.as_str()),
            self.limits.guesses_per_day,
            GUESS_DAY_SECS,
        )
        .await
    }
}
