//! Storage: one trait, two back ends (SQLite, PostgreSQL), the same SQL.
//!
//! Tables (see the migrations below): `events` (the append-only log, with
//! (id_number, sequence) the primary key), `outbox` (SMS to send, written in
//! the same transaction as the events), `sessions` (SHA-256 of opaque
//! tokens, never the tokens; login sessions and short-lived flow tokens),
//! `rate_limits` (token buckets: one theoretical arrival time per key, see
//! `limits.rs`; a row is forgotten once its bucket is full again),
//! `account_index` (phone and bound
//! device of each account, written in the same transaction as its events,
//! so logins by phone and device checks need no scan), `dossier_verdicts`
//! (what the checks of a level-1 submission found, keyed by the dossier's
//! event and written in the same transaction as it).
//! Everything lives in the database, so several servers can share one
//! PostgreSQL.

use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use eid_account::Event;
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StoreError {
    /// Another writer appended at this position first.
    #[error("conflict: the account changed meanwhile")]
    Conflict,
    /// The database failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A stored event could not be read back.
    #[error("stored event {sequence} of an account is unreadable: {reason}")]
    Corrupt {
        /// Its sequence.
        sequence: i64,
        /// Why.
        reason: String,
    },
    /// An event could not be encoded.
    #[error("event encoding: {0}")]
    Encode(String),
}

/// An SMS to write to the outbox with the events.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct OutboxMessage {
    /// Recipient.
    pub(crate) phone: String,
    /// What for (`otp:registration`, `approval`...): no secret.
    pub(crate) kind: String,
    /// The text (may hold a one-time code: hidden from `Debug`).
    pub(crate) text: String,
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("kind", &self.kind)
            .field("text", &"[redacted]")
            .finish()
    }
}

/// The verdict of a level-1 dossier, keyed by the event that submits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VerdictRow<'a> {
    /// The sequence of the dossier's event (one of the appended events).
    pub(crate) sequence: u64,
    /// The verdict, JSON.
    pub(crate) body: &'a str,
}

/// What an append writes in the same transaction as its events: all of it
/// or, with the events, none of it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WithEvents<'a> {
    /// SMS to send.
    pub(crate) outbox: &'a [OutboxMessage],
    /// The account's row of `account_index` (as of the last appended
    /// event).
    pub(crate) index: Option<&'a AccountIndex>,
    /// The verdict of the dossier one of the events submits.
    pub(crate) verdict: Option<VerdictRow<'a>>,
}

/// A claimed outbox row.
#[derive(Clone)]
pub(crate) struct Claimed {
    /// Row id.
    pub(crate) id: i64,
    /// The message.
    pub(crate) message: OutboxMessage,
}

/// A login session as stored (the token's hash is the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredSession {
    /// `citizen` or `officer`.
    pub(crate) kind: String,
    /// The account (citizen) or the officer id.
    pub(crate) subject: String,
    /// The account's `SessionId` (0 for officers).
    pub(crate) session_id: u64,
    /// Unix seconds.
    pub(crate) expires_at: u64,
}

/// What `account_index` holds for one account: the phone when the account
/// has a password (login and password reset by phone) and the device when
/// the identity is active (the device check of activation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AccountIndex {
    /// The phone number, when the account has a password.
    pub(crate) phone: Option<String>,
    /// The bound device, when the identity is active.
    pub(crate) device: Option<String>,
}

/// The storage trait both back ends implement.
pub(crate) trait Storage: Send + Sync {
    /// Creates the tables that are missing (embedded migrations).
    fn migrate(&self) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The events of an account, in order.
    fn load(&self, account: &str) -> impl Future<Output = Result<Vec<Event>, StoreError>> + Send;
    /// Appends `events` (whose first sequence must be `expected_version + 1`)
    /// and `outbox` in one transaction; [`StoreError::Conflict`] when another
    /// writer took a position first.
    #[allow(dead_code)] // the server appends with its index; tests/server_store.rs uses it
    fn append(
        &self,
        account: &str,
        expected_version: u64,
        events: &[Event],
        outbox: &[OutboxMessage],
        now: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Appends `events` (whose first sequence must be `expected_version + 1`)
    /// and everything in `with` in one transaction: on
    /// [`StoreError::Conflict`] (another writer took a position first) or
    /// any other error, nothing is written. A verdict must be keyed by one
    /// of `events` (else [`StoreError::Encode`], nothing written).
    fn append_with(
        &self,
        account: &str,
        expected_version: u64,
        events: &[Event],
        now: u64,
        with: &WithEvents<'_>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Writes an account's index row unless a newer version is there (the
    /// start-up back-fill of accounts written before the index existed).
    fn put_index(
        &self,
        account: &str,
        version: u64,
        index: &AccountIndex,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Accounts with events but no index row.
    fn unindexed(&self) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// The accounts whose indexed phone is `phone`.
    fn accounts_by_phone(
        &self,
        phone: &str,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// The accounts whose indexed (active) device is `device`.
    fn accounts_by_device(
        &self,
        device: &str,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// The verdict of the dossier submitted by event `sequence`, if stored.
    fn verdict(
        &self,
        account: &str,
        sequence: u64,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;
    /// Every account id with at least one event.
    fn accounts(&self) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
    /// Claims up to `limit` unsent messages not claimed since `now - lease`.
    fn claim_outbox(
        &self,
        now: u64,
        lease: u64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Claimed>, StoreError>> + Send;
    /// Marks a message sent (and forgets its text).
    fn mark_sent(&self, id: i64, now: u64) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Messages not yet sent.
    fn unsent_count(&self) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// Stores a session under the hash of its token.
    fn put_session(
        &self,
        token_hash: &str,
        session: &StoredSession,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The session of a token hash, if any (expired or not).
    fn get_session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Option<StoredSession>, StoreError>> + Send;
    /// Forgets a session.
    fn delete_session(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Forgets the sessions and flow tokens expired at `now`; returns how
    /// many.
    fn purge_sessions(&self, now: u64) -> impl Future<Output = Result<u64, StoreError>> + Send;
    /// Takes one request from the token bucket of `key` at `now_ms`: `max`
    /// requests at once, refilled at `max` per `window_ms` (GCRA), in one
    /// atomic statement. `None` when taken; else the milliseconds until
    /// one can be (a refusal takes nothing). `max` 0 refuses everything.
    fn take(
        &self,
        key: &str,
        now_ms: u64,
        window_ms: u64,
        max: u64,
    ) -> impl Future<Output = Result<Option<u64>, StoreError>> + Send;
    /// Forgets the buckets full again at `now_ms` (they hold nothing);
    /// returns how many.
    fn purge_rate_limits(
        &self,
        now_ms: u64,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A session id is a random u64: stored bit for bit in a signed column.
fn id_to_i64(v: u64) -> i64 {
    i64::from_be_bytes(v.to_be_bytes())
}

fn id_from_i64(v: i64) -> u64 {
    u64::from_be_bytes(v.to_be_bytes())
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Migration 2, the same SQL on both back ends: the account index (phone,
/// active device) written with the events.
const MIGRATION_2_ACCOUNT_INDEX: &str = "CREATE TABLE IF NOT EXISTS account_index (
        id_number TEXT PRIMARY KEY,
        phone TEXT,
        device TEXT,
        version BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS account_index_phone ON account_index (phone);
    CREATE INDEX IF NOT EXISTS account_index_device ON account_index (device);";

/// Migration 3, the same SQL on both back ends: level-1 dossier verdicts.
const MIGRATION_3_DOSSIER_VERDICTS: &str = "CREATE TABLE IF NOT EXISTS dossier_verdicts (
        id_number TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        at BIGINT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (id_number, sequence)
    );";

/// Migration 4, the same SQL on both back ends: the fixed-window counters
/// become token buckets (`tat`: the theoretical arrival time, Unix ms). The
/// old counters are dropped: they only held the current window.
const MIGRATION_4_TOKEN_BUCKETS: &str = "DROP TABLE IF EXISTS rate_limits;
    CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        tat BIGINT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS rate_limits_tat ON rate_limits (tat);";

/// GCRA in one statement: `$2` now, `$3` the emission interval (the window
/// over the limit), `$4` the limit times it. A request is let through when
/// the bucket's arrival time, moved to now if past and advanced by one
/// interval, is at most `$4` ahead of now; else the row is left as it is
/// and nothing is returned. One row, updated atomically by both back ends
/// (PostgreSQL locks it for `ON CONFLICT DO UPDATE`, SQLite has one writer).
const BUCKET_TAKE: &str = "INSERT INTO rate_limits (key, tat) VALUES ($1, $2 + $3)
     ON CONFLICT (key) DO UPDATE SET
         tat = (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3
     WHERE (CASE WHEN rate_limits.tat > $2 THEN rate_limits.tat ELSE $2 END) + $3 <= $2 + $4
     RETURNING tat";

/// SQLite's schema, in order; each applied once.
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE IF NOT EXISTS events (
        id_number TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (id_number, sequence)
    );
    CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        id_number TEXT NOT NULL,
        phone TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        claimed_at INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (sent_at, claimed_at);
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        session_id INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rate_limits (
        key TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL
    );",
    ),
    (2, MIGRATION_2_ACCOUNT_INDEX),
    (3, MIGRATION_3_DOSSIER_VERDICTS),
    (4, MIGRATION_4_TOKEN_BUCKETS),
];

/// PostgreSQL's schema, in order; each applied once.
const PG_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        "CREATE TABLE IF NOT EXISTS events (
        id_number TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        schema_version BIGINT NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (id_number, sequence)
    );
    CREATE TABLE IF NOT EXISTS outbox (
        id BIGSERIAL PRIMARY KEY,
        id_number TEXT NOT NULL,
        phone TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        claimed_at BIGINT NOT NULL DEFAULT 0,
        attempts BIGINT NOT NULL DEFAULT 0,
        sent_at BIGINT
    );
    CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (sent_at, claimed_at);
    CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        session_id BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rate_limits (
        key TEXT PRIMARY KEY,
        window_start BIGINT NOT NULL,
        count BIGINT NOT NULL
    );",
    ),
    (2, MIGRATION_2_ACCOUNT_INDEX),
    (3, MIGRATION_3_DOSSIER_VERDICTS),
    (4, MIGRATION_4_TOKEN_BUCKETS),
];

/// The SQLite back end (the default: one file, WAL).
#[derive(Clone)]
pub(crate) struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating it when missing) the database at `url`
    /// (`sqlite://path` or `sqlite:path`), in WAL mode with
    /// `synchronous=FULL`: a transaction acknowledged is on disk even after
    /// a power cut (with `NORMAL`, WAL only survives a process crash, and
    /// an acknowledged registration, OTP or counted failure could vanish).
    /// The file, and the `-wal` and `-shm` files SQLite creates with the
    /// main file's mode, are its owner's only (0600).
    pub(crate) async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10));
        private_files(options.get_filename())?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        let store = SqliteStore { pool };
        store.migrate().await?;
        Ok(store)
    }
}

/// Creates the database file owner-only before SQLite does (SQLite gives
/// its `-wal` and `-shm` files the main file's mode), and takes group and
/// other access away from the files of an existing one.
fn private_files(db: &std::path::Path) -> Result<(), StoreError> {
    if db.as_os_str().is_empty() || db.as_os_str() == ":memory:" {
        return Ok(());
    }
    let io = |e: std::io::Error| StoreError::Db(sqlx::Error::Io(e));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(db).map_err(io)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let path = std::path::PathBuf::from(name);
            match std::fs::metadata(&path) {
                Ok(m) if m.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                        .map_err(io)?;
                    tracing::warn!(path = %path.display(), "database file was readable by others: now 0600");
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io(e)),
            }
        }
    }
    #[cfg(not(unix))]
    options.open(db).map_err(io)?;
    Ok(())
}

/// The PostgreSQL back end (for several servers sharing one database).
#[derive(Clone)]
pub(crate) struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://...`) and applies the migrations.
    pub(crate) async fn open(url: &str) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }
}

/// Writes an account's index row; an older version never overwrites a
/// newer one.
const INDEX_UPSERT: &str = "INSERT INTO account_index (id_number, phone, device, version)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (id_number) DO UPDATE SET
         phone = excluded.phone, device = excluded.device, version = excluded.version
     WHERE account_index.version <= excluded.version";

/// The implementation, written once over both pools: every statement is
/// plain SQL both databases accept (`$n` parameters, `ON CONFLICT`,
/// `RETURNING`).
macro_rules! storage_impl {
    ($store:ty, $migrations:expr) => {
        impl Storage for $store {
            async fn migrate(&self) -> Result<(), StoreError> {
                sqlx::raw_sql(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)",
                )
                .execute(&self.pool)
                .await?;
                for (version, sql) in $migrations {
                    let mut tx = self.pool.begin().await?;
                    let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                        .bind(*version)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if done.is_none() {
                        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
                        let inserted = sqlx::query(
                            "INSERT INTO schema_migrations (version) VALUES ($1)",
                        )
                        .bind(*version)
                        .execute(&mut *tx)
                        .await;
                        match inserted {
                            Ok(_) => tx.commit().await?,
                            // another server migrated at the same time
                            Err(e) if is_unique_violation(&e) => tx.rollback().await?,
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
                Ok(())
            }

            async fn load(&self, account: &str) -> Result<Vec<Event>, StoreError> {
                let rows = sqlx::query(
                    "SELECT sequence, body FROM events WHERE id_number = $1 ORDER BY sequence",
                )
                .bind(account)
                .fetch_all(&self.pool)
                .await?;
                let mut events = Vec::with_capacity(rows.len());
                for row in rows {
                    let sequence: i64 = row.try_get(0)?;
                    let body: String = row.try_get(1)?;
                    let event: Event = serde_json::from_str(&body).map_err(|e| {
                        StoreError::Corrupt {
                            sequence,
                            reason: e.to_string(),
                        }
                    })?;
                    events.push(event);
                }
                Ok(events)
            }

            async fn append(
                &self,
                account: &str,
                expected_version: u64,
                events: &[Event],
                outbox: &[OutboxMessage],
                now: u64,
            ) -> Result<(), StoreError> {
                let with = WithEvents {
                    outbox,
                    ..WithEvents::default()
                };
                self.append_with(account, expected_version, events, now, &with)
                    .await
            }

            async fn append_with(
                &self,
                account: &str,
                expected_version: u64,
                events: &[Event],
                now: u64,
                with: &WithEvents<'_>,
            ) -> Result<(), StoreError> {
                let mut expected = expected_version;
                for e in events {
                    expected = expected.saturating_add(1);
                    if e.sequence != expected {
                        return Err(StoreError::Conflict);
                    }
                }
                if let Some(v) = &with.verdict
                    && !events.iter().any(|e| e.sequence == v.sequence)
                {
                    return Err(StoreError::Encode(format!(
                        "a verdict for event {} not among the appended events",
                        v.sequence
                    )));
                }
                let mut tx = self.pool.begin().await?;
                // The first statement writes, so SQLite takes its write lock
                // at once (waiting on busy) rather than upgrading a read.
                for e in events {
                    let body =
                        serde_json::to_string(e).map_err(|e| StoreError::Encode(e.to_string()))?;
                    let kind = serde_json::to_value(&e.kind)
                        .ok()
                        .and_then(|v| v.get("type").and_then(|t| t.as_str().map(str::to_owned)))
                        .unwrap_or_default();
                    let r = sqlx::query(
                        "INSERT INTO events (id_number, sequence, schema_version, at, kind, body)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(account)
                    .bind(to_i64(e.sequence))
                    .bind(i64::from(e.schema))
                    .bind(to_i64(e.at))
                    .bind(kind)
                    .bind(body)
                    .execute(&mut *tx)
                    .await;
                    match r {
                        Ok(_) => {}
                        Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict),
                        Err(e) => return Err(e.into()),
                    }
                }
                // The log must end right before what we appended.
                let last: Option<i64> = sqlx::query(
                    "SELECT MAX(sequence) FROM events WHERE id_number = $1 AND sequence <= $2",
                )
                .bind(account)
                .bind(to_i64(expected_version))
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                if to_u64(last.unwrap_or(0)) != expected_version {
                    return Err(StoreError::Conflict);
                }
                for m in with.outbox {
                    sqlx::query(
                        "INSERT INTO outbox (id_number, phone, kind, body, created_at)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(account)
                    .bind(&m.phone)
                    .bind(&m.kind)
                    .bind(&m.text)
                    .bind(to_i64(now))
                    .execute(&mut *tx)
                    .await?;
                }
                if let Some(index) = with.index {
                    sqlx::query(INDEX_UPSERT)
                        .bind(account)
                        .bind(index.phone.as_deref())
                        .bind(index.device.as_deref())
                        .bind(to_i64(expected))
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(v) = &with.verdict {
                    sqlx::query(
                        "INSERT INTO dossier_verdicts (id_number, sequence, at, body)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(account)
                    .bind(to_i64(v.sequence))
                    .bind(to_i64(now))
                    .bind(v.body)
                    .execute(&mut *tx)
                    .await?;
                }
                match tx.commit().await {
                    Ok(()) => Ok(()),
                    Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict),
                    Err(e) => Err(e.into()),
                }
            }

            async fn put_index(
                &self,
                account: &str,
                version: u64,
                index: &AccountIndex,
            ) -> Result<(), StoreError> {
                sqlx::query(INDEX_UPSERT)
                    .bind(account)
                    .bind(index.phone.as_deref())
                    .bind(index.device.as_deref())
                    .bind(to_i64(version))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn unindexed(&self) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT DISTINCT e.id_number FROM events e
                     LEFT JOIN account_index i ON i.id_number = e.id_number
                     WHERE i.id_number IS NULL ORDER BY e.id_number",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn accounts_by_phone(&self, phone: &str) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT id_number FROM account_index WHERE phone = $1 ORDER BY id_number",
                )
                .bind(phone)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn accounts_by_device(&self, device: &str) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT id_number FROM account_index WHERE device = $1 ORDER BY id_number",
                )
                .bind(device)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn verdict(&self, account: &str, sequence: u64) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT body FROM dossier_verdicts WHERE id_number = $1 AND sequence = $2",
                )
                .bind(account)
                .bind(to_i64(sequence))
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn accounts(&self) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT DISTINCT id_number FROM events ORDER BY id_number",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn claim_outbox(
                &self,
                now: u64,
                lease: u64,
                limit: u32,
            ) -> Result<Vec<Claimed>, StoreError> {
                let stale = to_i64(now.saturating_sub(lease));
                let rows = sqlx::query(
                    "UPDATE outbox SET claimed_at = $1, attempts = attempts + 1
                     WHERE sent_at IS NULL AND claimed_at <= $2 AND id IN (
                         SELECT id FROM outbox WHERE sent_at IS NULL AND claimed_at <= $2
                         ORDER BY id LIMIT $3)
                     RETURNING id, phone, kind, body",
                )
                .bind(to_i64(now))
                .bind(stale)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(Claimed {
                        id: r.try_get(0)?,
                        message: OutboxMessage {
                            phone: r.try_get(1)?,
                            kind: r.try_get(2)?,
                            text: r.try_get(3)?,
                        },
                    });
                }
                out.sort_by_key(|c| c.id);
                Ok(out)
            }

            async fn mark_sent(&self, id: i64, now: u64) -> Result<(), StoreError> {
                sqlx::query("UPDATE outbox SET sent_at = $1, body = '' WHERE id = $2")
                    .bind(to_i64(now))
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn unsent_count(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                Ok(to_u64(n))
            }

            async fn put_session(
                &self,
                token_hash: &str,
                session: &StoredSession,
            ) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO sessions (token_hash, kind, subject, session_id, expires_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_hash)
                .bind(&session.kind)
                .bind(&session.subject)
                .bind(id_to_i64(session.session_id))
                .bind(to_i64(session.expires_at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn get_session(
                &self,
                token_hash: &str,
            ) -> Result<Option<StoredSession>, StoreError> {
                let row = sqlx::query(
                    "SELECT kind, subject, session_id, expires_at FROM sessions WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    None => Ok(None),
                    Some(r) => Ok(Some(StoredSession {
                        kind: r.try_get(0)?,
                        subject: r.try_get(1)?,
                        session_id: id_from_i64(r.try_get(2)?),
                        expires_at: to_u64(r.try_get(3)?),
                    })),
                }
            }

            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn purge_sessions(&self, now: u64) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(to_i64(now))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn take(
                &self,
                key: &str,
                now_ms: u64,
                window_ms: u64,
                max: u64,
            ) -> Result<Option<u64>, StoreError> {
                if max == 0 {
                    return Ok(Some(window_ms));
                }
                let interval = window_ms.div_ceil(max).max(1);
                let depth = interval.saturating_mul(max);
                let taken = sqlx::query(BUCKET_TAKE)
                    .bind(key)
                    .bind(to_i64(now_ms))
                    .bind(to_i64(interval))
                    .bind(to_i64(depth))
                    .fetch_optional(&self.pool)
                    .await?;
                if taken.is_some() {
                    return Ok(None);
                }
                // Refused: when the next one is let through (informative
                // only; a concurrent take may move it).
                let tat: Option<i64> = sqlx::query_scalar("SELECT tat FROM rate_limits WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?;
                let ready = to_u64(tat.unwrap_or(0)).saturating_add(interval);
                Ok(Some(ready.saturating_sub(now_ms.saturating_add(depth)).max(1)))
            }

            async fn purge_rate_limits(&self, now_ms: u64) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM rate_limits WHERE tat <= $1")
                    .bind(to_i64(now_ms))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

storage_impl!(SqliteStore, SQLITE_MIGRATIONS);
storage_impl!(PgStore, PG_MIGRATIONS);

/// The back end chosen at start-up.
#[derive(Clone)]
pub(crate) enum Store {
    /// SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PgStore),
}

impl Store {
    /// Opens the database of `url`: `postgres://` or `postgresql://` for
    /// PostgreSQL, anything else a SQLite URL or path.
    pub(crate) async fn open(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Store::Postgres(PgStore::open(url).await?))
        } else if url.starts_with("sqlite:") {
            Ok(Store::Sqlite(SqliteStore::open(url).await?))
        } else {
            Ok(Store::Sqlite(
                SqliteStore::open(&format!("sqlite://{url}")).await?,
            ))
        }
    }

    /// The back end's name.
    pub(crate) fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool.
    pub(crate) async fn close(&self) {
        match self {
            Store::Sqlite(s) => s.pool.close().await,
            Store::Postgres(s) => s.pool.close().await,
        }
    }
}

macro_rules! delegate {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Store::Sqlite($s) => $e,
            Store::Postgres($s) => $e,
        }
    };
}

impl Storage for Store {
    async fn migrate(&self) -> Result<(), StoreError> {
        delegate!(self, s => s.migrate().await)
    }
    async fn load(&self, account: &str) -> Result<Vec<Event>, StoreError> {
        delegate!(self, s => s.load(account).await)
    }
    async fn append(
        &self,
        account: &str,
        expected_version: u64,
        events: &[Event],
        outbox: &[OutboxMessage],
        now: u64,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.append(account, expected_version, events, outbox, now).await)
    }
    async fn append_with(
        &self,
        account: &str,
        expected_version: u64,
        events: &[Event],
        now: u64,
        with: &WithEvents<'_>,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.append_with(account, expected_version, events, now, with).await)
    }
    async fn put_index(
        &self,
        account: &str,
        version: u64,
        index: &AccountIndex,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.put_index(account, version, index).await)
    }
    async fn unindexed(&self) -> Result<Vec<String>, StoreError> {
        delegate!(self, s => s.unindexed().await)
    }
    async fn accounts_by_phone(&self, phone: &str) -> Result<Vec<String>, StoreError> {
        delegate!(self, s => s.accounts_by_phone(phone).await)
    }
    async fn accounts_by_device(&self, device: &str) -> Result<Vec<String>, StoreError> {
        delegate!(self, s => s.accounts_by_device(device).await)
    }
    async fn verdict(&self, account: &str, sequence: u64) -> Result<Option<String>, StoreError> {
        delegate!(self, s => s.verdict(account, sequence).await)
    }
    async fn accounts(&self) -> Result<Vec<String>, StoreError> {
        delegate!(self, s => s.accounts().await)
    }
    async fn claim_outbox(
        &self,
        now: u64,
        lease: u64,
        limit: u32,
    ) -> Result<Vec<Claimed>, StoreError> {
        delegate!(self, s => s.claim_outbox(now, lease, limit).await)
    }
    async fn mark_sent(&self, id: i64, now: u64) -> Result<(), StoreError> {
        delegate!(self, s => s.mark_sent(id, now).await)
    }
    async fn unsent_count(&self) -> Result<u64, StoreError> {
        delegate!(self, s => s.unsent_count().await)
    }
    async fn put_session(
        &self,
        token_hash: &str,
        session: &StoredSession,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.put_session(token_hash, session).await)
    }
    async fn get_session(&self, token_hash: &str) -> Result<Option<StoredSession>, StoreError> {
        delegate!(self, s => s.get_session(token_hash).await)
    }
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        delegate!(self, s => s.delete_session(token_hash).await)
    }
    async fn purge_sessions(&self, now: u64) -> Result<u64, StoreError> {
        delegate!(self, s => s.purge_sessions(now).await)
    }
    async fn take(
        &self,
        key: &str,
        now_ms: u64,
        window_ms: u64,
        max: u64,
    ) -> Result<Option<u64>, StoreError> {
        delegate!(self, s => s.take(key, now_ms, window_ms, max).await)
    }
    async fn purge_rate_limits(&self, now_ms: u64) -> Result<u64, StoreError> {
        delegate!(self, s => s.purge_rate_limits(now_ms).await)
    }
}
