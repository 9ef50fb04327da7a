//! The schema of both back ends, in order, and the migration that applies
//! it once per database (servers starting together included).

use super::{PgStore, SqliteStore, StoreError, is_unique_violation};

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

/// Migration 5, the same SQL on both back ends: what organisations upload
/// (their people, their propaganda teams), in the order uploaded
/// (`row_no`). People are keyed by (organisation, ID number): one person
/// once per organisation, in as many organisations as employ them.
const MIGRATION_5_ORGANISATIONS: &str = "CREATE TABLE IF NOT EXISTS org_people (
        org_id TEXT NOT NULL,
        row_no BIGINT NOT NULL,
        id_number TEXT NOT NULL,
        full_name TEXT NOT NULL,
        uploaded_at BIGINT NOT NULL,
        PRIMARY KEY (org_id, id_number)
    );
    CREATE INDEX IF NOT EXISTS org_people_order ON org_people (org_id, row_no);
    CREATE TABLE IF NOT EXISTS org_teams (
        org_id TEXT NOT NULL,
        row_no BIGINT NOT NULL,
        team TEXT NOT NULL,
        full_name TEXT NOT NULL,
        position_held TEXT NOT NULL,
        phone TEXT NOT NULL,
        note TEXT NOT NULL,
        uploaded_at BIGINT NOT NULL,
        PRIMARY KEY (org_id, row_no)
    );";

/// Migration 6: the photos of a pending level-1 dossier (the citizen's
/// portrait, DG2's face image), keyed by the dossier's event, for the
/// officer who decides it; deleted with the decision (`events.rs`). The
/// same SQL on both back ends but for the bytes' type (`BLOB`, `BYTEA`).
macro_rules! migration_6_dossier_photos {
    ($bytes:literal) => {
        concat!(
            "CREATE TABLE IF NOT EXISTS dossier_photos (
        id_number TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        bytes ",
            $bytes,
            " NOT NULL,
        at BIGINT NOT NULL,
        PRIMARY KEY (id_number, sequence, kind)
    );"
        )
    };
}

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
    (5, MIGRATION_5_ORGANISATIONS),
    (6, migration_6_dossier_photos!("BLOB")),
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
    (5, MIGRATION_5_ORGANISATIONS),
    (6, migration_6_dossier_photos!("BYTEA")),
];

/// `migrate`, the same over both pools.
macro_rules! migrate_impl {
    ($store:ty, $migrations:expr) => {
        impl $store {
            pub(super) async fn migrate(&self) -> Result<(), StoreError> {
                sqlx::raw_sql(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)",
                )
                .execute(&self.pool)
                .await?;
                for (version, sql) in $migrations {
                    let mut tx = self.pool.begin().await?;
                    let done =
                        sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                            .bind(*version)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if done.is_none() {
                        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
                        let inserted =
                            sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
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
        }
    };
}

migrate_impl!(SqliteStore, SQLITE_MIGRATIONS);
migrate_impl!(PgStore, PG_MIGRATIONS);
