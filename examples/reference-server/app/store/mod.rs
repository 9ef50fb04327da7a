//! Storage: one trait, two back ends (SQLite, PostgreSQL), the same SQL.
//!
//! Tables (see `migrations.rs`): `events` (the append-only log, with
//! (id_number, sequence) the primary key), `outbox` (SMS to send, written in
//! the same transaction as the events), `sessions` (SHA-256 of opaque
//! tokens, never the tokens; login sessions and short-lived flow tokens),
//! `rate_limits` (token buckets: one theoretical arrival time per key, see
//! `limits.rs`; a row is forgotten once its bucket is full again),
//! `account_index` (phone and bound
//! device of each account, written in the same transaction as its events,
//! so logins by phone and device checks need no scan), `dossier_verdicts`
//! (what the checks of a level-1 submission found, keyed by the dossier's
//! event and written in the same transaction as it), `dossier_photos` (the
//! portrait and DG2's face of a pending level-1 dossier, written with its
//! verdict and deleted in the transaction that decides it), `org_people` and
//! `org_teams` (what each organisation uploaded: its people, its
//! propaganda teams; each upload replaces the last in one transaction).
//! Everything lives in the database, so several servers can share one
//! PostgreSQL.
//!
//! Files: this one holds the types and the trait, and [`Store`], which
//! dispatches to the back end chosen at start-up; `backends.rs` opens the
//! pools; the statements, written once over both pools by one small macro
//! per file, are in `migrations.rs`, `events.rs` (the log and what an
//! append writes with it), `outbox.rs`, `sessions.rs` (sessions and
//! rate-limit buckets) and `orgs.rs` (the organisations' uploads).

mod backends;
mod events;
mod migrations;
mod orgs;
mod outbox;
mod sessions;

use std::future::Future;

use eid_account::Event;

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

/// A photo of a level-1 dossier, kept for the officer who decides it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhotoRow<'a> {
    /// `portrait` (the citizen's) or `face` (DG2's).
    pub(crate) kind: &'a str,
    /// `jpeg`, `jp2`, `j2k` or `unknown`.
    pub(crate) format: &'a str,
    /// The image as sent.
    pub(crate) bytes: &'a [u8],
}

impl std::fmt::Debug for PhotoRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A face is personal data: its size, never its bytes, in a log.
        f.debug_struct("PhotoRow")
            .field("kind", &self.kind)
            .field("format", &self.format)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A stored photo of a pending dossier ([`Storage::dossier_photo`]).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct StoredPhoto {
    /// `jpeg`, `jp2`, `j2k` or `unknown`.
    pub(crate) format: String,
    /// The image.
    pub(crate) bytes: Vec<u8>,
}

impl std::fmt::Debug for StoredPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredPhoto")
            .field("format", &self.format)
            .field("len", &self.bytes.len())
            .finish()
    }
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
    /// That dossier's photos, keyed by the verdict's event (photos
    /// without a verdict: [`StoreError::Encode`], nothing written).
    pub(crate) photos: &'a [PhotoRow<'a>],
    /// Delete every photo the account's dossiers left (the events decide
    /// its dossier: privacy, a face is kept no longer than its review).
    pub(crate) forget_photos: bool,
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

/// One of an organisation's people, as it uploaded them (Mẫu số 02's
/// rows: the report adds what the account says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrgPerson {
    /// The 12-digit ID number.
    pub(crate) id_number: String,
    /// The name as the organisation wrote it (NFC).
    pub(crate) full_name: String,
}

/// A member of one of an organisation's propaganda teams (a row of Mẫu
/// số 01).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TeamMember {
    /// Tên Tổ tuyên truyền.
    pub(crate) team: String,
    /// Họ tên.
    pub(crate) full_name: String,
    /// Chức vụ.
    pub(crate) position: String,
    /// Số điện thoại.
    pub(crate) phone: String,
    /// Ghi chú (may be empty).
    pub(crate) note: String,
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
    #[allow(dead_code)] // the server appends with its index; tests/server/store.rs uses it
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
    /// The photo `kind` (`portrait`, `face`) of the dossier submitted by
    /// event `sequence`, while it is kept (until the dossier is decided).
    fn dossier_photo(
        &self,
        account: &str,
        sequence: u64,
        kind: &str,
    ) -> impl Future<Output = Result<Option<StoredPhoto>, StoreError>> + Send;
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
    /// Replaces organisation `org`'s people by `people` (in that order),
    /// in one transaction; [`StoreError::Conflict`] when another upload of
    /// it ran at the same time.
    fn put_org_people(
        &self,
        org: &str,
        people: &[OrgPerson],
        now: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Organisation `org`'s people, in the order uploaded.
    fn org_people(
        &self,
        org: &str,
    ) -> impl Future<Output = Result<Vec<OrgPerson>, StoreError>> + Send;
    /// Replaces organisation `org`'s propaganda teams, as
    /// [`Storage::put_org_people`] its people.
    fn put_org_teams(
        &self,
        org: &str,
        members: &[TeamMember],
        now: u64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Organisation `org`'s team members, in the order uploaded.
    fn org_teams(
        &self,
        org: &str,
    ) -> impl Future<Output = Result<Vec<TeamMember>, StoreError>> + Send;
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

pub(crate) use backends::{PgStore, SqliteStore};

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
    /// PostgreSQL, anything else a SQLite URL or path; applies the
    /// migrations that are missing.
    pub(crate) async fn open(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(PgStore::open(url).await?)
        } else if url.starts_with("sqlite:") {
            Store::Sqlite(SqliteStore::open(url).await?)
        } else {
            Store::Sqlite(SqliteStore::open(&format!("sqlite://{url}")).await?)
        };
        store.migrate().await?;
        Ok(store)
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
    async fn dossier_photo(
        &self,
        account: &str,
        sequence: u64,
        kind: &str,
    ) -> Result<Option<StoredPhoto>, StoreError> {
        delegate!(self, s => s.dossier_photo(account, sequence, kind).await)
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
    async fn put_org_people(
        &self,
        org: &str,
        people: &[OrgPerson],
        now: u64,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.put_org_people(org, people, now).await)
    }
    async fn org_people(&self, org: &str) -> Result<Vec<OrgPerson>, StoreError> {
        delegate!(self, s => s.org_people(org).await)
    }
    async fn put_org_teams(
        &self,
        org: &str,
        members: &[TeamMember],
        now: u64,
    ) -> Result<(), StoreError> {
        delegate!(self, s => s.put_org_teams(org, members, now).await)
    }
    async fn org_teams(&self, org: &str) -> Result<Vec<TeamMember>, StoreError> {
        delegate!(self, s => s.org_teams(org).await)
    }
}
