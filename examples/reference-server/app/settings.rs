//! The server's settings (flags and environment variables, see `main.rs`),
//! and the secret the keys derive from.

use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::http;

/// The server's settings (flags and environment variables, see `main.rs`).
/// No `Debug`: the database URL may hold a password.
#[derive(Clone)]
pub(crate) struct Settings {
    /// Database URL: `postgres://...`, `sqlite://...` or a SQLite path.
    pub(crate) database_url: String,
    /// Registry CSV path.
    pub(crate) registry: PathBuf,
    /// The file holding the server's 32-byte secret (hex), created when
    /// missing; the pepper and the OTP key derive from it.
    pub(crate) key_file: PathBuf,
    /// Argon2id memory in KiB.
    pub(crate) argon2_m_kib: u32,
    /// Rate limits: requests per window per key.
    pub(crate) limits: Limits,
    /// Officers: (officer id, bearer token): the dossier, level-2 and lock
    /// endpoints.
    pub(crate) officers: Vec<(String, String)>,
    /// Reporters: (id, bearer token): the personal-data report
    /// (`/v1/admin/report`). A token in both lists has both roles.
    pub(crate) reporters: Vec<(String, String)>,
    /// Organisations: (organisation id, bearer token): their uploads and
    /// reports (`/v1/org/...`, `--org`).
    pub(crate) orgs: Vec<(String, String)>,
    /// Trust the simulator's demonstration CSCA (`--demo-csca`) when no
    /// `--csca` is given; without either, chip dossiers are refused.
    pub(crate) demo_csca: bool,
    /// Argon2 permits (`--argon2-permits`); `None`: sized from the memory.
    pub(crate) argon2_permits: Option<usize>,
    /// How long a request waits for an Argon2 permit before `503`.
    pub(crate) argon2_wait: Duration,
    /// The transport: timeouts, connection cap, shutdown grace, proxies.
    pub(crate) http: http::HttpSettings,
}

/// The version of the terms of use ("Điều khoản sử dụng ứng dụng và dịch
/// vụ") this server shows: recorded in every registration. Change it with
/// the text.
pub(crate) const TERMS_VERSION: &str = "2023-05";

/// The terms version a registration accepts: the one the client sent,
/// which must be the current one (a client showing an older text is
/// refused, `invalid_field` `terms_version`), or the current one when it
/// sent none.
pub(crate) fn terms_version(sent: Option<&str>) -> Result<String, eid_account::AccountError> {
    match sent.map(str::trim) {
        None => Ok(TERMS_VERSION.to_owned()),
        Some(v) if v == TERMS_VERSION => Ok(v.to_owned()),
        Some(_) => Err(eid_account::AccountError::InvalidField("terms_version")),
    }
}

/// How long a request waits for an Argon2 permit by default.
pub(crate) const DEFAULT_ARGON2_WAIT: Duration = Duration::from_secs(2);

/// The defaults of `main.rs`'s flags, but no database, registry, key file
/// or staff (the tests fill them in).
impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: String::new(),
            registry: PathBuf::new(),
            key_file: PathBuf::new(),
            argon2_m_kib: 19 * 1024,
            limits: Limits::default(),
            officers: Vec::new(),
            reporters: Vec::new(),
            orgs: Vec::new(),
            demo_csca: false,
            argon2_permits: None,
            argon2_wait: DEFAULT_ARGON2_WAIT,
            http: http::HttpSettings::default(),
        }
    }
}

/// Rate limits (token buckets counted in the database, see `limits.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The window, seconds.
    pub(crate) window_secs: u64,
    /// OTP sends (registration, resend) per phone, per ID and per IP.
    pub(crate) otp_sends: u64,
    /// OTP checks per ID and per IP.
    pub(crate) otp_checks: u64,
    /// Logins per ID and per IP.
    pub(crate) logins: u64,
    /// Activation requests per ID and per IP.
    pub(crate) activations: u64,
    /// Guesses at an account's secrets (password, OTP, passcode, security
    /// answers) per ID number and day, all kinds together: the long-term
    /// cap on top of each kind's window.
    pub(crate) guesses_per_day: u64,
    /// Failed officer or reporter authentications per client address in a
    /// window.
    pub(crate) officer_failures: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            window_secs: 3600,
            otp_sends: 10,
            otp_checks: 30,
            logins: 30,
            activations: 10,
            guesses_per_day: 100,
            officer_failures: 10,
        }
    }
}

/// Reads or creates the key file; returns the 32-byte secret, wiped from
/// memory when dropped (as is every copy made on the way: the file's text,
/// the decoded bytes, the hex written out).
pub(crate) fn server_secret(path: &PathBuf) -> Result<Zeroizing<[u8; 32]>, String> {
    let mut key = Zeroizing::new([0u8; 32]);
    match std::fs::read_to_string(path).map(Zeroizing::new) {
        Ok(text) => {
            let bytes =
                Zeroizing::new(hex::decode(text.trim()).map_err(|e| format!("key file: {e}"))?);
            if bytes.len() != key.len() {
                return Err("key file: 32 bytes in hex expected".to_owned());
            }
            key.copy_from_slice(&bytes);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            getrandom::fill(key.as_mut_slice()).map_err(|e| format!("random: {e}"))?;
            let text = Zeroizing::new(hex::encode(key.as_slice()));
            write_private(path, &text).map_err(|e| format!("key file: {e}"))?;
            tracing::info!(path = %path.display(), "created a new server key file");
        }
        Err(e) => return Err(format!("key file {}: {e}", path.display())),
    }
    Ok(key)
}

/// Writes a new file readable by its owner only.
fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// A key for one use (`label`) from the server secret, wiped when dropped.
pub(crate) fn derive(secret: &[u8; 32], label: &str) -> Zeroizing<[u8; 32]> {
    let mut h = Sha256::new();
    h.update(secret);
    h.update(label.as_bytes());
    Zeroizing::new(h.finalize().into())
}
