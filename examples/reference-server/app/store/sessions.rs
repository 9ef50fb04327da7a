//! Sessions (token hashes) and the rate-limit token buckets.

use sqlx::Row;

use super::{
    PgStore, SqliteStore, StoreError, StoredSession, id_from_i64, id_to_i64, to_i64, to_u64,
};

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

/// The sessions' and buckets' statements, the same over both pools.
macro_rules! sessions_impl {
    ($store:ty) => {
        impl $store {
            pub(super) async fn put_session(
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

            pub(super) async fn get_session(
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

            pub(super) async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn purge_sessions(&self, now: u64) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(to_i64(now))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            pub(super) async fn take(
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

            pub(super) async fn purge_rate_limits(&self, now_ms: u64) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM rate_limits WHERE tat <= $1")
                    .bind(to_i64(now_ms))
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }
        }
    };
}

sessions_impl!(SqliteStore);
sessions_impl!(PgStore);
