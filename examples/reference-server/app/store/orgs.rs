//! The organisations' uploads: their people and their propaganda teams,
//! each upload replacing the one before in one transaction (a report
//! never sees half of one).

use sqlx::Row;

use super::{OrgPerson, PgStore, SqliteStore, StoreError, TeamMember, is_unique_violation, to_i64};

/// Rows per `INSERT`: 5 values a row keeps a statement under SQLite's
/// 32766 bound variables and PostgreSQL's 65535.
const CHUNK: usize = 500;

/// The statements, the same over both pools.
macro_rules! orgs_impl {
    ($store:ty, $db:ty) => {
        impl $store {
            pub(super) async fn put_org_people(
                &self,
                org: &str,
                people: &[OrgPerson],
                now: u64,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM org_people WHERE org_id = $1")
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
                for (n, chunk) in people.chunks(CHUNK).enumerate() {
                    let first = n.saturating_mul(CHUNK);
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO org_people (org_id, row_no, id_number, full_name, uploaded_at) ",
                    );
                    q.push_values(chunk.iter().enumerate(), |mut b, (i, p)| {
                        b.push_bind(org)
                            .push_bind(to_i64(u64::try_from(first.saturating_add(i)).unwrap_or(u64::MAX)))
                            .push_bind(p.id_number.as_str())
                            .push_bind(p.full_name.as_str())
                            .push_bind(to_i64(now));
                    });
                    q.build().execute(&mut *tx).await.map_err(conflict)?;
                }
                tx.commit().await.map_err(conflict)?;
                Ok(())
            }

            pub(super) async fn org_people(&self, org: &str) -> Result<Vec<OrgPerson>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id_number, full_name FROM org_people WHERE org_id = $1 ORDER BY row_no",
                )
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(OrgPerson {
                        id_number: r.try_get(0)?,
                        full_name: r.try_get(1)?,
                    });
                }
                Ok(out)
            }

            pub(super) async fn put_org_teams(
                &self,
                org: &str,
                members: &[TeamMember],
                now: u64,
            ) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM org_teams WHERE org_id = $1")
                    .bind(org)
                    .execute(&mut *tx)
                    .await?;
                for (n, chunk) in members.chunks(CHUNK).enumerate() {
                    let first = n.saturating_mul(CHUNK);
                    let mut q = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO org_teams (org_id, row_no, team, full_name, position_held, phone, note, uploaded_at) ",
                    );
                    q.push_values(chunk.iter().enumerate(), |mut b, (i, m)| {
                        b.push_bind(org)
                            .push_bind(to_i64(u64::try_from(first.saturating_add(i)).unwrap_or(u64::MAX)))
                            .push_bind(m.team.as_str())
                            .push_bind(m.full_name.as_str())
                            .push_bind(m.position.as_str())
                            .push_bind(m.phone.as_str())
                            .push_bind(m.note.as_str())
                            .push_bind(to_i64(now));
                    });
                    q.build().execute(&mut *tx).await.map_err(conflict)?;
                }
                tx.commit().await.map_err(conflict)?;
                Ok(())
            }

            pub(super) async fn org_teams(&self, org: &str) -> Result<Vec<TeamMember>, StoreError> {
                let rows = sqlx::query(
                    "SELECT team, full_name, position_held, phone, note FROM org_teams
                     WHERE org_id = $1 ORDER BY row_no",
                )
                .bind(org)
                .fetch_all(&self.pool)
                .await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.push(TeamMember {
                        team: r.try_get(0)?,
                        full_name: r.try_get(1)?,
                        position: r.try_get(2)?,
                        phone: r.try_get(3)?,
                        note: r.try_get(4)?,
                    });
                }
                Ok(out)
            }
        }
    };
}

/// Two uploads of one organisation at once (two servers): the second's
/// rows meet the first's keys; it is told to retry.
fn conflict(e: sqlx::Error) -> StoreError {
    if is_unique_violation(&e) {
        StoreError::Conflict
    } else {
        e.into()
    }
}

orgs_impl!(SqliteStore, sqlx::Sqlite);
orgs_impl!(PgStore, sqlx::Postgres);
