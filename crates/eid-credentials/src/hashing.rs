//! Argon2id hashing of passwords, passcodes and answers, as PHC strings,
//! with a server-side pepper and rehash-on-login.

use core::fmt;

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, KeyId, Params, PasswordHasher, PasswordVerifier, Version};
use rand_core::TryCryptoRng;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::Error;

/// The longest secret hashed, in bytes (after NFC normalisation): longer
/// input is refused rather than fed to Argon2.
pub const MAX_SECRET_BYTES: usize = 4096;

/// Stored hashes asking for more than this much memory (KiB) are refused,
/// so that a tampered hash cannot exhaust the server.
const MAX_M_COST_KIB: u32 = 4 * 1024 * 1024;
/// Stored hashes asking for more passes than this are refused.
const MAX_T_COST: u32 = 64;
/// Stored hashes asking for more lanes than this are refused.
const MAX_P_COST: u32 = 64;
/// Salt length in bytes.
const SALT_LEN: usize = 16;

/// Argon2id cost parameters. The default is OWASP's minimum: 19 MiB,
/// two passes, one lane.
///
/// `#[non_exhaustive]`, so that a parameter (the output length, say) can be
/// added without breaking anyone: make one with [`HashParams::new`] or
/// [`HashParams::default`] and the `with_*` builders.
///
/// ```
/// use eid_credentials::HashParams;
/// let tiny = HashParams::new(64, 1, 1); // for tests only
/// assert_eq!(HashParams::default().with_t_cost(3).t_cost, 3);
/// assert_eq!(tiny.with_m_cost_kib(19 * 1024).with_t_cost(2), HashParams::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct HashParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes (parallelism).
    pub p_cost: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        HashParams::new(19 * 1024, 2, 1)
    }
}

impl HashParams {
    /// Memory in KiB, passes and lanes (checked by [`Hasher::new`]).
    pub const fn new(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Self {
        HashParams {
            m_cost_kib,
            t_cost,
            p_cost,
        }
    }

    /// Sets [`HashParams::m_cost_kib`].
    #[must_use]
    pub const fn with_m_cost_kib(mut self, m_cost_kib: u32) -> Self {
        self.m_cost_kib = m_cost_kib;
        self
    }

    /// Sets [`HashParams::t_cost`].
    #[must_use]
    pub const fn with_t_cost(mut self, t_cost: u32) -> Self {
        self.t_cost = t_cost;
        self
    }

    /// Sets [`HashParams::p_cost`].
    #[must_use]
    pub const fn with_p_cost(mut self, p_cost: u32) -> Self {
        self.p_cost = p_cost;
        self
    }

    fn argon2_params(&self, keyid: Option<&[u8]>) -> Result<Params, Error> {
        let mut b = argon2::ParamsBuilder::new();
        b.m_cost(self.m_cost_kib)
            .t_cost(self.t_cost)
            .p_cost(self.p_cost)
            .output_len(32);
        if let Some(id) = keyid {
            b.keyid(KeyId::new(id).map_err(|e| Error::Hashing(e.to_string()))?);
        }
        b.build().map_err(|_| Error::InvalidConfig {
            reason: "Argon2 parameters out of range",
        })
    }
}

/// What kind of secret is hashed. Passcodes and answers are short or
/// guessable, so they are always peppered; passwords too whenever the
/// hasher has a pepper, unless [`Hasher::pepper_passwords`] turns it off
/// (a stolen database then cannot be guessed at without the server's key).
/// Another kind of secret may come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SecretKind {
    /// An account password.
    Password,
    /// A 6-digit passcode.
    Passcode,
    /// A security-question answer (already normalised by
    /// [`crate::SecurityQuestions`]).
    Answer,
}

/// A server secret mixed into the hash (Argon2's secret input K), with a
/// short id (1 to 8 bytes) recorded in the PHC string as `keyid` so that
/// peppers can be rotated. At least 16 bytes; zeroized; `Debug` hides it.
#[derive(Clone)]
pub struct Pepper {
    id: Vec<u8>,
    key: Zeroizing<Vec<u8>>,
}

impl Pepper {
    /// A pepper with its id.
    pub fn new(id: &[u8], key: &[u8]) -> Result<Self, Error> {
        if id.is_empty() || id.len() > 8 {
            return Err(Error::InvalidConfig {
                reason: "pepper id: 1 to 8 bytes",
            });
        }
        if key.len() < 16 {
            return Err(Error::InvalidConfig {
                reason: "pepper: at least 16 bytes",
            });
        }
        Ok(Pepper {
            id: id.to_vec(),
            key: Zeroizing::new(key.to_vec()),
        })
    }

    /// The pepper's id.
    pub fn id(&self) -> &[u8] {
        &self.id
    }
}

impl fmt::Debug for Pepper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pepper")
            .field("id", &self.id)
            .field("key", &"[redacted]")
            .finish()
    }
}

/// The result of checking a secret against a stored hash.
///
/// Closed on purpose (not `#[non_exhaustive]`): a secret matches or it
/// does not, and a caller's `match` must have no third arm to fall into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Verification {
    /// The secret does not match.
    Mismatch,
    /// The secret matches. When `needs_rehash` is true the stored hash was
    /// made with other parameters, another pepper or no pepper: hash the
    /// secret again now and store the new hash.
    Match {
        /// Whether to store a fresh hash.
        needs_rehash: bool,
    },
}

impl Verification {
    /// True for [`Verification::Match`].
    pub fn is_match(&self) -> bool {
        matches!(self, Verification::Match { .. })
    }
}

/// Hashes and verifies secrets with Argon2id.
///
/// ```
/// use eid_credentials::{HashParams, Hasher, Pepper, SecretKind, Verification};
/// let params = HashParams::new(64, 1, 1); // tiny, for the example
/// let hasher = Hasher::new(params)?.with_pepper(Pepper::new(b"p1", &[7u8; 32])?);
/// let phc = hasher.hash(SecretKind::Passcode, "480613", &mut getrandom::SysRng)?;
/// assert!(phc.starts_with("$argon2id$v=19$"));
/// assert_eq!(
///     hasher.verify(SecretKind::Passcode, "480613", &phc)?,
///     Verification::Match { needs_rehash: false }
/// );
/// assert_eq!(hasher.verify(SecretKind::Passcode, "480614", &phc)?, Verification::Mismatch);
/// // Stronger parameters later: the old hash still verifies and asks to be redone.
/// let stronger = Hasher::new(params.with_m_cost_kib(128))?
///     .with_pepper(Pepper::new(b"p1", &[7u8; 32])?);
/// assert_eq!(
///     stronger.verify(SecretKind::Passcode, "480613", &phc)?,
///     Verification::Match { needs_rehash: true }
/// );
/// # Ok::<(), eid_credentials::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Hasher {
    params: HashParams,
    pepper: Option<Pepper>,
    retired: Vec<Pepper>,
    pepper_passwords: bool,
}

impl Hasher {
    /// A hasher with these parameters and no pepper yet (passwords can be
    /// hashed, unpeppered; passcodes and answers need [`Hasher::with_pepper`]).
    pub fn new(params: HashParams) -> Result<Self, Error> {
        if params.m_cost_kib > MAX_M_COST_KIB
            || params.t_cost > MAX_T_COST
            || params.p_cost > MAX_P_COST
        {
            return Err(Error::InvalidConfig {
                reason: "Argon2 parameters above this crate's limits",
            });
        }
        params.argon2_params(None)?;
        Ok(Hasher {
            params,
            pepper: None,
            retired: Vec::new(),
            pepper_passwords: true,
        })
    }

    /// Sets the current pepper, used for new hashes.
    #[must_use]
    pub fn with_pepper(mut self, pepper: Pepper) -> Self {
        self.pepper = Some(pepper);
        self
    }

    /// Adds a retired pepper: hashes made with it still verify, and ask to
    /// be rehashed.
    #[must_use]
    pub fn with_retired_pepper(mut self, pepper: Pepper) -> Self {
        self.retired.push(pepper);
        self
    }

    /// Pepper passwords too (on by default once a pepper is set; off keeps
    /// password hashes verifiable without the pepper). Hashes made the other
    /// way still verify and ask to be rehashed.
    #[must_use]
    pub fn pepper_passwords(mut self, on: bool) -> Self {
        self.pepper_passwords = on;
        self
    }

    /// The cost parameters.
    pub fn params(&self) -> HashParams {
        self.params
    }

    fn peppered(&self, kind: SecretKind) -> bool {
        kind != SecretKind::Password || (self.pepper_passwords && self.pepper.is_some())
    }

    /// Spends what a [`Hasher::verify`] with the current parameters costs,
    /// and checks nothing: for the answers that must take as long whether
    /// or not there was a hash to check (a login for an unknown account),
    /// so that timing tells nothing an error code would not.
    pub fn dummy_verify(&self, kind: SecretKind, secret: &str) {
        let normalised: Zeroizing<String> = Zeroizing::new(secret.nfc().collect());
        // Without a pepper a passcode cannot be hashed at all: nothing to match.
        if let Ok(argon) = self.current(kind) {
            let mut out = Zeroizing::new([0u8; 32]);
            let _ = argon.hash_password_into(normalised.as_bytes(), &[0u8; SALT_LEN], &mut *out);
        }
    }

    /// The Argon2id instance new hashes of `kind` are made with: the
    /// current parameters and, where `kind` is peppered, the current pepper.
    fn current(&self, kind: SecretKind) -> Result<Argon2<'_>, Error> {
        let pepper = if self.peppered(kind) {
            Some(self.pepper.as_ref().ok_or(Error::PepperRequired)?)
        } else {
            None
        };
        let params = self.params.argon2_params(pepper.map(|p| p.id.as_slice()))?;
        match pepper {
            Some(p) => Argon2::new_with_secret(&p.key, Algorithm::Argon2id, Version::V0x13, params)
                .map_err(|e| Error::Hashing(e.to_string())),
            None => Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params)),
        }
    }

    /// Hashes `secret` (NFC-normalised first) with a fresh 16-byte salt
    /// from `rng`, returning the PHC string
    /// (`$argon2id$v=19$m=...,t=...,p=...[,keyid=...]$salt$hash`).
    pub fn hash<R: TryCryptoRng + ?Sized>(
        &self,
        kind: SecretKind,
        secret: &str,
        rng: &mut R,
    ) -> Result<String, Error> {
        let normalised: Zeroizing<String> = Zeroizing::new(secret.nfc().collect());
        if normalised.len() > MAX_SECRET_BYTES {
            return Err(Error::SecretTooLong);
        }
        let argon = self.current(kind)?;
        let mut salt = [0u8; SALT_LEN];
        rng.try_fill_bytes(&mut salt).map_err(|_| Error::Rng)?;
        let hash = argon
            .hash_password_with_salt(normalised.as_bytes(), &salt)
            .map_err(|e| Error::Hashing(e.to_string()))?;
        Ok(hash.to_string())
    }

    /// Verifies `secret` (NFC-normalised first) against a stored PHC
    /// string, in constant time. Tells whether the stored hash should be
    /// replaced: other algorithm, version or costs, a retired pepper, or a
    /// pepper missing or present against the current configuration.
    pub fn verify(&self, kind: SecretKind, secret: &str, phc: &str) -> Result<Verification, Error> {
        let bad = |reason| Error::InvalidHash { reason };
        let parsed = PasswordHash::new(phc).map_err(|_| bad("not a PHC string"))?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str())
            .map_err(|_| bad("not an Argon2 hash"))?;
        let stored = Params::try_from(&parsed).map_err(|_| bad("bad Argon2 parameters"))?;
        if stored.m_cost() > MAX_M_COST_KIB
            || stored.t_cost() > MAX_T_COST
            || stored.p_cost() > MAX_P_COST
        {
            return Err(bad("Argon2 parameters above this crate's limits"));
        }
        let salt_len = parsed
            .salt
            .as_ref()
            .map(|s| s.len())
            .ok_or(bad("no salt"))?;
        if parsed.hash.is_none() {
            return Err(bad("no hash output"));
        }
        let keyid = stored.keyid();
        let pepper = if keyid.is_empty() {
            None
        } else {
            Some(
                self.pepper
                    .iter()
                    .chain(self.retired.iter())
                    .find(|p| p.id.as_slice() == keyid)
                    .ok_or(Error::UnknownPepper)?,
            )
        };
        let normalised: Zeroizing<String> = Zeroizing::new(secret.nfc().collect());
        if normalised.len() > MAX_SECRET_BYTES {
            return Ok(Verification::Mismatch);
        }
        let version = parsed.version.unwrap_or(0x13);
        let argon = match pepper {
            Some(p) => Argon2::new_with_secret(&p.key, algorithm, Version::V0x13, stored.clone())
                .map_err(|e| Error::Hashing(e.to_string()))?,
            None => Argon2::new(algorithm, Version::V0x13, stored.clone()),
        };
        match argon.verify_password(normalised.as_bytes(), &parsed) {
            Ok(()) => {}
            Err(argon2::password_hash::Error::PasswordInvalid) => {
                return Ok(Verification::Mismatch);
            }
            Err(e) => return Err(Error::Hashing(e.to_string())),
        }
        let current_pepper_id = if self.peppered(kind) {
            self.pepper.as_ref().map(|p| p.id.as_slice())
        } else {
            None
        };
        let needs_rehash = algorithm != Algorithm::Argon2id
            || version != 0x13
            || stored.m_cost() != self.params.m_cost_kib
            || stored.t_cost() != self.params.t_cost
            || stored.p_cost() != self.params.p_cost
            || stored.output_len() != Some(32)
            || salt_len < SALT_LEN
            || pepper.map(|p| p.id.as_slice()) != current_pepper_id;
        Ok(Verification::Match { needs_rehash })
    }
}
