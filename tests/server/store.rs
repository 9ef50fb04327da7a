//! The reference server's storage, run directly: the same suite against
//! SQLite (a temporary file) and, when `DINHDANH_TEST_POSTGRES_URL` is set,
//! PostgreSQL.

use crate::app;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::app::store::{
    OutboxMessage, Storage, Store, StoreError, StoredSession, VerdictRow, WithEvents,
};
use crate::common::{fresh_schema, postgres_url, temp_dir};
use cccd::IdNumber;
use eid_account::{EVENT_SCHEMA_VERSION, Event, EventKind, Phone};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh SQLite file in the temporary directory.
fn sqlite_url() -> String {
    format!("sqlite://{}", temp_dir().join("test.db").display())
}

/// An account id unique to this run (PostgreSQL keeps its rows).
fn account() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "0011{:08}",
        (u64::from(nanos) + n * 7919 + u64::from(std::process::id())) % 100_000_000
    )
}

fn event(id: &str, sequence: u64) -> Event {
    Event {
        schema: EVENT_SCHEMA_VERSION,
        sequence,
        at: 1_700_000_000 + sequence,
        kind: EventKind::RegistrationStarted {
            id_number: IdNumber::parse(id).unwrap(),
            phone: Phone::parse("0987654321").unwrap(),
            terms_version: Some("2023-05".into()),
        },
    }
}

fn sms(text: &str) -> OutboxMessage {
    OutboxMessage {
        phone: "0987654321".into(),
        kind: "otp:registration".into(),
        text: text.into(),
    }
}

/// A second connection to the store's database, to write behind its back.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    /// A verdict row with no event (what the server no longer writes).
    async fn plant_verdict(&self, account: &str, sequence: i64, body: &str) {
        const SQL: &str = "INSERT INTO dossier_verdicts (id_number, sequence, at, body)
                           VALUES ($1, $2, 0, $3)";
        match self {
            Raw::Sqlite(p) => {
                sqlx::query(SQL)
                    .bind(account)
                    .bind(sequence)
                    .bind(body)
                    .execute(p)
                    .await
                    .unwrap();
            }
            Raw::Postgres(p) => {
                sqlx::query(SQL)
                    .bind(account)
                    .bind(sequence)
                    .bind(body)
                    .execute(p)
                    .await
                    .unwrap();
            }
        }
    }

    async fn close(&self) {
        match self {
            Raw::Sqlite(p) => p.close().await,
            Raw::Postgres(p) => p.close().await,
        }
    }
}

/// A level-1 dossier's verdict is written in the transaction of the
/// dossier's event: both or neither (outbox included).
async fn verdicts(store: &Store, raw: &Raw) {
    let id = account();
    let unsent = store.unsent_count().await.unwrap();
    let good = r#"{"approvable":true}"#;
    let bad = r#"{"approvable":false}"#;
    let with = |sequence, body| WithEvents {
        verdict: Some(VerdictRow { sequence, body }),
        ..WithEvents::default()
    };

    // written with the events (and the outbox), keyed by its event
    let outbox = [sms("verdict")];
    let first = WithEvents {
        outbox: &outbox,
        ..with(2, good)
    };
    store
        .append_with(&id, 0, &[event(&id, 1), event(&id, 2)], 20, &first)
        .await
        .unwrap();
    assert_eq!(store.load(&id).await.unwrap().len(), 2);
    assert_eq!(store.verdict(&id, 2).await.unwrap().as_deref(), Some(good));
    assert_eq!(store.verdict(&id, 1).await.unwrap(), None);
    assert_eq!(store.unsent_count().await.unwrap(), unsent + 1);

    // a stale expected version: a conflict, and neither events, nor
    // verdict, nor outbox
    let conflict = WithEvents {
        outbox: &outbox,
        ..with(2, bad)
    };
    let stale = store
        .append_with(&id, 1, &[event(&id, 2)], 21, &conflict)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    assert_eq!(store.verdict(&id, 2).await.unwrap().as_deref(), Some(good));
    // an expected version ahead of the log: event 4 inserts, the check
    // after it fails, the transaction is rolled back
    let ahead = store
        .append_with(&id, 3, &[event(&id, 4)], 21, &with(4, bad))
        .await;
    assert!(matches!(ahead, Err(StoreError::Conflict)), "{ahead:?}");
    assert_eq!(store.verdict(&id, 4).await.unwrap(), None);
    // a verdict keyed by an event not appended: refused before writing
    let stray = store
        .append_with(&id, 2, &[event(&id, 3)], 21, &with(5, bad))
        .await;
    assert!(matches!(stray, Err(StoreError::Encode(_))), "{stray:?}");
    assert_eq!(store.verdict(&id, 5).await.unwrap(), None);
    assert_eq!(store.load(&id).await.unwrap().len(), 2);
    assert_eq!(store.unsent_count().await.unwrap(), unsent + 1);

    // the verdict's own insert failing (a row already at its key) takes
    // the events and the outbox down with it: one transaction
    raw.plant_verdict(&id, 3, "planted").await;
    let clash = store
        .append_with(
            &id,
            2,
            &[event(&id, 3)],
            22,
            &WithEvents {
                outbox: &outbox,
                ..with(3, good)
            },
        )
        .await;
    assert!(clash.is_err(), "{clash:?}");
    assert_eq!(store.load(&id).await.unwrap().len(), 2);
    assert_eq!(store.unsent_count().await.unwrap(), unsent + 1);
    assert_eq!(
        store.verdict(&id, 3).await.unwrap().as_deref(),
        Some("planted")
    );

    // the next dossier at the next free sequence
    store
        .append_with(&id, 2, &[event(&id, 3), event(&id, 4)], 23, &with(4, bad))
        .await
        .unwrap();
    assert_eq!(store.load(&id).await.unwrap().len(), 4);
    assert_eq!(store.verdict(&id, 4).await.unwrap().as_deref(), Some(bad));
    assert_eq!(store.verdict(&id, 2).await.unwrap().as_deref(), Some(good));
}

async fn suite(store: Store) {
    let store = Arc::new(store);
    let id = account();

    // append and load, in order
    assert!(store.load(&id).await.unwrap().is_empty());
    store
        .append(&id, 0, &[event(&id, 1), event(&id, 2)], &[sms("one")], 10)
        .await
        .unwrap();
    let loaded = store.load(&id).await.unwrap();
    assert_eq!(loaded, vec![event(&id, 1), event(&id, 2)]);
    assert!(store.accounts().await.unwrap().contains(&id));

    // a stale expected version: a typed conflict, and nothing written
    let stale = store
        .append(&id, 0, &[event(&id, 1)], &[sms("lost")], 11)
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict)), "{stale:?}");
    let gap = store
        .append(&id, 1, &[event(&id, 2)], &[sms("lost")], 11)
        .await;
    assert!(matches!(gap, Err(StoreError::Conflict)), "{gap:?}");
    // events not following the expected version are refused before writing
    let skip = store.append(&id, 2, &[event(&id, 4)], &[], 11).await;
    assert!(matches!(skip, Err(StoreError::Conflict)), "{skip:?}");
    assert_eq!(store.load(&id).await.unwrap().len(), 2);

    // many writers at the same expected version: exactly one wins
    let mut tasks = Vec::new();
    for i in 0..24 {
        let store = store.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append(
                    &id,
                    2,
                    &[event(&id, 3), event(&id, 4)],
                    &[sms(&format!("w{i}"))],
                    12,
                )
                .await
        }));
    }
    let mut wins = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => wins += 1,
            Err(StoreError::Conflict) => {}
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(store.load(&id).await.unwrap().len(), 4);

    // the outbox: the first message and the winner's, nothing of the losers
    let mut seen = Vec::new();
    loop {
        let batch = store.claim_outbox(1_000, 30, 100).await.unwrap();
        if batch.is_empty() {
            break;
        }
        for c in batch {
            seen.push(c.message.text.clone());
            store.mark_sent(c.id, 1_000).await.unwrap();
        }
    }
    // (PostgreSQL may hold other runs' rows: keep ours)
    let ours: Vec<&String> = seen
        .iter()
        .filter(|t| *t == "one" || t.starts_with('w') || *t == "lost")
        .collect();
    assert_eq!(ours.len(), 2, "{seen:?}");
    assert_eq!(ours[0], "one");
    assert!(ours[1].starts_with('w'));
    assert_eq!(store.unsent_count().await.unwrap(), 0);

    // a claimed message not marked sent is claimed again after the lease
    store
        .append(&id, 4, &[event(&id, 5)], &[sms("again")], 2_000)
        .await
        .unwrap();
    let first = store.claim_outbox(2_000, 30, 10).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(store.claim_outbox(2_010, 30, 10).await.unwrap().is_empty());
    let second = store.claim_outbox(2_031, 30, 10).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id);
    store.mark_sent(second[0].id, 2_031).await.unwrap();
    assert!(store.claim_outbox(9_999, 30, 10).await.unwrap().is_empty());

    // sessions by token hash
    let hash = app::token_hash(&format!("token-{id}"));
    let s = StoredSession {
        kind: "citizen".into(),
        subject: id.clone(),
        session_id: u64::MAX - 7, // random ids use all 64 bits
        expires_at: 5_000,
    };
    store.put_session(&hash, &s).await.unwrap();
    assert_eq!(store.get_session(&hash).await.unwrap(), Some(s));
    store.delete_session(&hash).await.unwrap();
    assert_eq!(store.get_session(&hash).await.unwrap(), None);

    // rate limits: token buckets (GCRA), 3 per minute: three at once, then
    // one every 20 s; a refusal says when and takes nothing
    let key = format!("test:{id}");
    let t = 3_659_000; // a second before a fixed minute ends
    for _ in 0..3 {
        assert_eq!(store.take(&key, t, 60_000, 3).await.unwrap(), None);
    }
    assert_eq!(store.take(&key, t, 60_000, 3).await.unwrap(), Some(20_000));
    // no second burst where a fixed window would have started a new count
    assert_eq!(
        store.take(&key, t + 1_000, 60_000, 3).await.unwrap(),
        Some(19_000)
    );
    assert_eq!(store.take(&key, t + 20_000, 60_000, 3).await.unwrap(), None);
    assert!(
        store
            .take(&key, t + 20_000, 60_000, 3)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        store
            .take(&format!("{key}:other"), t, 60_000, 3)
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .take("test:zero", t, 60_000, 0)
            .await
            .unwrap()
            .is_some()
    );
    // concurrent takes: exactly the limit gets through
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let store = store.clone();
        let key = format!("{key}:race");
        tasks.push(tokio::spawn(async move {
            store.take(&key, t, 60_000, 5).await.unwrap()
        }));
    }
    let mut through = 0;
    for task in tasks {
        through += usize::from(task.await.unwrap().is_none());
    }
    assert_eq!(through, 5);
    // full buckets are forgotten; an empty one is kept
    assert_eq!(store.purge_rate_limits(t + 30_000).await.unwrap(), 1); // :other
    assert!(
        store
            .take(&key, t + 40_000, 60_000, 3)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.purge_rate_limits(t + 600_000).await.unwrap() >= 2);
    assert_eq!(
        store.take(&key, t + 600_000, 60_000, 1).await.unwrap(),
        None
    );

    // migrations run again without harm
    store.migrate().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_store() {
    let url = sqlite_url();
    suite(Store::open(&url).await.unwrap()).await;
    let raw = Raw::Sqlite(sqlx::SqlitePool::connect(&url).await.unwrap());
    verdicts(&Store::open(&url).await.unwrap(), &raw).await;
    raw.close().await;
    // the file exists, in WAL mode: bytes 18 and 19 of a SQLite header
    // (the file format write and read versions) are 2 for WAL, 1 for the
    // rollback journal
    let path = url.trim_start_matches("sqlite://");
    let header = std::fs::read(path).unwrap();
    assert_eq!(&header[..16], b"SQLite format 3\0");
    assert_eq!((header[18], header[19]), (2, 2), "not in WAL mode");
    let again = Store::open(&url).await.unwrap();
    assert_eq!(again.backend(), "sqlite");
    assert!(!again.accounts().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_store() {
    let Some(url) = postgres_url("postgres_store") else {
        return;
    };
    // a schema of its own: other runs' rows stay out of the counts
    let url = fresh_schema(&url, "store").await.url;
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.backend(), "postgres");
    suite(store).await;
    let raw = Raw::Postgres(sqlx::PgPool::connect(&url).await.unwrap());
    verdicts(&Store::open(&url).await.unwrap(), &raw).await;
    raw.close().await;
}
