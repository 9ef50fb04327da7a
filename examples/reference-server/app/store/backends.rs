//! The two back ends: their pools, how each is opened, and the file
//! permissions of SQLite's.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use super::StoreError;

/// The SQLite back end (the default: one file, WAL).
#[derive(Clone)]
pub(crate) struct SqliteStore {
    pub(super) pool: SqlitePool,
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
        Ok(SqliteStore { pool })
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
    pub(super) pool: PgPool,
}

impl PgStore {
    /// Connects to `url` (`postgres://...`) (the migrations are [`super::Store::open`]'s).
    pub(crate) async fn open(url: &str) -> Result<PgStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .connect(url)
            .await?;
        Ok(PgStore { pool })
    }
}
