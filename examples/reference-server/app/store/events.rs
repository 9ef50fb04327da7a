//! The event log and what is written with it: the account index, the
//! outbox rows, the dossier verdicts and photos of an append, in one
//! transaction.

use eid_account::Event;
use sqlx::Row;

use super::{
    AccountIndex, OutboxMessage, PgStore, SqliteStore, StoreError, StoredPhoto, WithEvents,
    is_unique_violation, to_i64, to_u64,
};

/// The sequence numbers of `events` follow `expected_version` one by one
/// (else a conflict), and a verdict belongs to one of them; returns the
/// version the append reaches.
fn check_sequences(
    expected_version: u64,
    events: &[Event],
    with: &WithEvents<'_>,
) -> Result<u64, StoreError> {
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
    if with.verdict.is_none() && !with.photos.is_empty() {
        return Err(StoreError::Encode(
            "a dossier's photos without its verdict".to_owned(),
        ));
    }
    Ok(expected)
}

/// Writes an account's index row; an older version never overwrites a
/// newer one.
const INDEX_UPSERT: &str = "INSERT INTO account_index (id_number, phone, device, version)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (id_number) DO UPDATE SET
         phone = excluded.phone, device = excluded.device, version = excluded.version
     WHERE account_index.version <= excluded.version";

/// The log's statements, the same over both pools.
macro_rules! events_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            pub(super) async fn load(&self, account: &str) -> Result<Vec<Event>, StoreError> {
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
                    let event: Event =
                        serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                            sequence,
                            reason: e.to_string(),
                        })?;
                    events.push(event);
                }
                Ok(events)
            }

            pub(super) async fn append(
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

            pub(super) async fn append_with(
                &self,
                account: &str,
                expected_version: u64,
                events: &[Event],
                now: u64,
                with: &WithEvents<'_>,
            ) -> Result<(), StoreError> {
                let expected = check_sequences(expected_version, events, with)?;
                let mut tx = self.pool.begin().await?;
                // The first statement writes, so SQLite takes its write lock
                // at once (waiting on busy) rather than upgrading a read.
                Self::insert_events(&mut tx, account, events).await?;
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
                Self::write_with(&mut tx, account, expected, now, with).await?;
                match tx.commit().await {
                    Ok(()) => Ok(()),
                    Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict),
                    Err(e) => Err(e.into()),
                }
            }

            /// The events' rows; a taken (account, sequence) is a conflict.
            async fn insert_events(
                tx: &mut sqlx::Transaction<'static, $db>,
                account: &str,
                events: &[Event],
            ) -> Result<(), StoreError> {
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
                    .execute(&mut **tx)
                    .await;
                    match r {
                        Ok(_) => {}
                        Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict),
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(())
            }

            /// What is written with the events: outbox rows, the index row
            /// (at the version the append reaches), the verdict.
            async fn write_with(
                tx: &mut sqlx::Transaction<'static, $db>,
                account: &str,
                expected: u64,
                now: u64,
                with: &WithEvents<'_>,
            ) -> Result<(), StoreError> {
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
                    .execute(&mut **tx)
                    .await?;
                }
                if let Some(index) = with.index {
                    sqlx::query(INDEX_UPSERT)
                        .bind(account)
                        .bind(index.phone.as_deref())
                        .bind(index.device.as_deref())
                        .bind(to_i64(expected))
                        .execute(&mut **tx)
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
                    .execute(&mut **tx)
                    .await?;
                }
                Self::write_photos(tx, account, now, with).await
            }

            /// The photos of the dossier an append submits, or (its
            /// decision) the deletion of the account's photos.
            async fn write_photos(
                tx: &mut sqlx::Transaction<'static, $db>,
                account: &str,
                now: u64,
                with: &WithEvents<'_>,
            ) -> Result<(), StoreError> {
                if with.forget_photos {
                    sqlx::query("DELETE FROM dossier_photos WHERE id_number = $1")
                        .bind(account)
                        .execute(&mut **tx)
                        .await?;
                }
                let Some(v) = &with.verdict else {
                    return Ok(());
                };
                for p in with.photos {
                    sqlx::query(
                        "INSERT INTO dossier_photos (id_number, sequence, kind, format, bytes, at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(account)
                    .bind(to_i64(v.sequence))
                    .bind(p.kind)
                    .bind(p.format)
                    .bind(p.bytes)
                    .bind(to_i64(now))
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            pub(super) async fn put_index(
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

            pub(super) async fn unindexed(&self) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT DISTINCT e.id_number FROM events e
                     LEFT JOIN account_index i ON i.id_number = e.id_number
                     WHERE i.id_number IS NULL ORDER BY e.id_number",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            pub(super) async fn accounts_by_phone(
                &self,
                phone: &str,
            ) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT id_number FROM account_index WHERE phone = $1 ORDER BY id_number",
                )
                .bind(phone)
                .fetch_all(&self.pool)
                .await?)
            }

            pub(super) async fn accounts_by_device(
                &self,
                device: &str,
            ) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT id_number FROM account_index WHERE device = $1 ORDER BY id_number",
                )
                .bind(device)
                .fetch_all(&self.pool)
                .await?)
            }

            pub(super) async fn verdict(
                &self,
                account: &str,
                sequence: u64,
            ) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT body FROM dossier_verdicts WHERE id_number = $1 AND sequence = $2",
                )
                .bind(account)
                .bind(to_i64(sequence))
                .fetch_optional(&self.pool)
                .await?)
            }

            pub(super) async fn dossier_photo(
                &self,
                account: &str,
                sequence: u64,
                kind: &str,
            ) -> Result<Option<StoredPhoto>, StoreError> {
                let row = sqlx::query(
                    "SELECT format, bytes FROM dossier_photos
                     WHERE id_number = $1 AND sequence = $2 AND kind = $3",
                )
                .bind(account)
                .bind(to_i64(sequence))
                .bind(kind)
                .fetch_optional(&self.pool)
                .await?;
                match row {
                    Some(r) => Ok(Some(StoredPhoto {
                        format: r.try_get(0)?,
                        bytes: r.try_get(1)?,
                    })),
                    None => Ok(None),
                }
            }

            pub(super) async fn accounts(&self) -> Result<Vec<String>, StoreError> {
                Ok(sqlx::query_scalar::<_, String>(
                    "SELECT DISTINCT id_number FROM events ORDER BY id_number",
                )
                .fetch_all(&self.pool)
                .await?)
            }
        }
    };
}

events_impl!(SqliteStore, sqlx::Sqlite);
events_impl!(PgStore, sqlx::Postgres);
