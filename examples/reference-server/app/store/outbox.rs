//! The SMS outbox: claimed with a lease, marked sent.

use sqlx::Row;

use super::{Claimed, OutboxMessage, PgStore, SqliteStore, StoreError, to_i64, to_u64};

/// The outbox's statements, the same over both pools.
macro_rules! outbox_impl {
    ($store:ty) => {
        impl $store {
            pub(super) async fn claim_outbox(
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

            pub(super) async fn mark_sent(&self, id: i64, now: u64) -> Result<(), StoreError> {
                sqlx::query("UPDATE outbox SET sent_at = $1, body = '' WHERE id = $2")
                    .bind(to_i64(now))
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn unsent_count(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                Ok(to_u64(n))
            }
        }
    };
}

outbox_impl!(SqliteStore);
outbox_impl!(PgStore);
