//! One-time codes sent by SMS: a [`Challenge`] bound to one subject and one
//! purpose, stored only as a keyed hash.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use rand_core::TryCryptoRng;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{Code, Digits, Error};

/// What a challenge code is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Purpose {
    /// Registering an app account ("Đăng ký tài khoản").
    Registration,
    /// Activating an electronic identity account.
    Activation,
    /// Resetting a forgotten password ("Quên mật khẩu").
    PasswordReset,
    /// Binding the account to another device.
    DeviceChange,
}

impl Purpose {
    const fn tag(self) -> u8 {
        match self {
            Purpose::Registration => 1,
            Purpose::Activation => 2,
            Purpose::PasswordReset => 3,
            Purpose::DeviceChange => 4,
        }
    }
}

/// The limits of challenges. [`Default`] gives: codes valid 180 s, 5 wrong
/// tries, 60 s between sends, 5 sends per subject per hour, 5 sends per
/// challenge.
///
/// `#[non_exhaustive]`, so that a limit can be added without breaking
/// anyone: start from [`ChallengeConfig::default`] and change what differs
/// with the `with_*` builders (or by assigning the public fields).
///
/// ```
/// let cfg = eid_otp::ChallengeConfig::default().with_max_sends_per_hour(6);
/// assert_eq!((cfg.validity_secs, cfg.max_sends_per_hour), (180, 6));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ChallengeConfig {
    /// How long a code is valid after it is sent, in seconds.
    pub validity_secs: u64,
    /// Wrong codes allowed over the whole challenge; the last one kills it.
    pub max_wrong_tries: u32,
    /// Seconds after a send before a resend is allowed.
    pub resend_cooldown_secs: u64,
    /// Codes sent to one subject in any hour, over all its challenges.
    pub max_sends_per_hour: u32,
    /// Codes sent in one challenge (the first plus the resends), 1 to 64.
    pub max_sends_per_challenge: u32,
}

impl Default for ChallengeConfig {
    fn default() -> Self {
        ChallengeConfig {
            validity_secs: 180,
            max_wrong_tries: 5,
            resend_cooldown_secs: 60,
            max_sends_per_hour: 5,
            max_sends_per_challenge: 5,
        }
    }
}

impl ChallengeConfig {
    /// Sets [`ChallengeConfig::validity_secs`].
    #[must_use]
    pub const fn with_validity_secs(mut self, secs: u64) -> Self {
        self.validity_secs = secs;
        self
    }

    /// Sets [`ChallengeConfig::max_wrong_tries`].
    #[must_use]
    pub const fn with_max_wrong_tries(mut self, tries: u32) -> Self {
        self.max_wrong_tries = tries;
        self
    }

    /// Sets [`ChallengeConfig::resend_cooldown_secs`].
    #[must_use]
    pub const fn with_resend_cooldown_secs(mut self, secs: u64) -> Self {
        self.resend_cooldown_secs = secs;
        self
    }

    /// Sets [`ChallengeConfig::max_sends_per_hour`].
    #[must_use]
    pub const fn with_max_sends_per_hour(mut self, sends: u32) -> Self {
        self.max_sends_per_hour = sends;
        self
    }

    /// Sets [`ChallengeConfig::max_sends_per_challenge`].
    #[must_use]
    pub const fn with_max_sends_per_challenge(mut self, sends: u32) -> Self {
        self.max_sends_per_challenge = sends;
        self
    }

    /// Checks that every limit is usable.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |reason| Err(Error::InvalidConfig { reason });
        if self.validity_secs == 0 {
            return bad("validity_secs must be at least 1");
        }
        if self.max_wrong_tries == 0 {
            return bad("max_wrong_tries must be at least 1");
        }
        if self.max_sends_per_hour == 0 {
            return bad("max_sends_per_hour must be at least 1");
        }
        if !(1..=64).contains(&self.max_sends_per_challenge) {
            return bad("max_sends_per_challenge must be 1 to 64");
        }
        Ok(())
    }
}

/// The server's secret key for the keyed hash of challenge codes (HMAC-SHA-256).
/// At least 32 bytes; zeroized on drop; `Debug` hides it.
#[derive(Clone)]
pub struct ServerKey(Zeroizing<Vec<u8>>);

impl ServerKey {
    /// A key from bytes (at least 32).
    pub fn new(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() < 32 {
            return Err(Error::ServerKeyTooShort(bytes.len()));
        }
        Ok(ServerKey(Zeroizing::new(bytes.to_vec())))
    }

    /// A fresh random 32-byte key.
    pub fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Error> {
        let mut k = Zeroizing::new(vec![0u8; 32]);
        rng.try_fill_bytes(&mut k).map_err(|_| Error::Rng)?;
        Ok(ServerKey(k))
    }
}

impl fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerKey([redacted])")
    }
}

/// The times codes were sent to one subject in the last hour, over all its
/// challenges: store one per subject (a plain value, serde with the `serde`
/// feature) and pass it to [`Challenge::issue`] and [`Challenge::resend`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SendLog {
    sends: Vec<u64>,
}

const HOUR: u64 = 3600;

impl SendLog {
    /// An empty log.
    pub const fn new() -> Self {
        SendLog { sends: Vec::new() }
    }

    /// The send times still counting at `now` (sent less than an hour ago).
    pub fn sends(&self) -> &[u64] {
        &self.sends
    }

    fn prune(&mut self, now: u64) {
        self.sends.retain(|&t| t.saturating_add(HOUR) > now);
    }

    /// Refuses when `max` codes were already sent in the last hour.
    fn check(&mut self, now: u64, max: u32) -> Result<(), Error> {
        self.prune(now);
        if self.sends.len() >= max as usize {
            let oldest = self.sends.iter().copied().min().unwrap_or(now);
            let seconds_left = oldest.saturating_add(HOUR).saturating_sub(now).max(1);
            return Err(Error::RateLimited { seconds_left });
        }
        Ok(())
    }

    fn record(&mut self, now: u64) {
        self.sends.push(now);
    }
}

/// Where a challenge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ChallengeStatus {
    /// Waiting for the code (it may have expired: see [`Challenge::expires_at`]).
    Pending,
    /// The code was accepted; nothing more can be done with it.
    Used,
    /// Too many wrong codes; nothing more can be done with it.
    Dead,
}

/// A one-time code sent by SMS to one subject for one purpose.
///
/// The state is a plain value for the caller to store (serde with the
/// `serde` feature). Only an HMAC-SHA-256 of the code under the
/// [`ServerKey`] is kept, never the code. Rules:
/// - 6 digits drawn uniformly from the CSPRNG given;
/// - valid [`ChallengeConfig::validity_secs`] (180 s) after it is sent;
/// - accepted once ([`Error::AlreadyUsed`] after that);
/// - at most [`ChallengeConfig::max_wrong_tries`] (5) wrong codes over the
///   whole challenge, then dead ([`Error::Exhausted`]);
/// - [`Challenge::resend`] sends a new code and kills the old one, not
///   before the cooldown (60 s), at most `max_sends_per_hour` per subject
///   ([`SendLog`]) and `max_sends_per_challenge` per challenge; a new code
///   always differs from every code sent before in the same challenge, so
///   a killed code can never be accepted;
/// - comparison in constant time.
///
/// ```
/// use eid_otp::{Challenge, ChallengeConfig, Error, Purpose, SendLog, ServerKey};
/// let mut rng = getrandom::SysRng;
/// let key = ServerKey::generate(&mut rng)?;
/// let config = ChallengeConfig::default();
/// let mut log = SendLog::new();
/// let now = 1_700_000_000;
/// let (mut ch, code) =
///     Challenge::issue(&key, "001099001234", Purpose::Activation, &config, &mut log, now, &mut rng)?;
/// // send `code.expose_secret()` by SMS; store `ch` and `log`.
/// let wrong = if code.expose_secret() == "000000" { "111111" } else { "000000" };
/// assert_eq!(
///     ch.verify(&key, "001099001234", Purpose::Activation, wrong, &config, now + 10),
///     Err(Error::WrongCode { tries_left: 4 })
/// );
/// ch.verify(&key, "001099001234", Purpose::Activation, code.expose_secret(), &config, now + 20)?;
/// assert_eq!(
///     ch.verify(&key, "001099001234", Purpose::Activation, code.expose_secret(), &config, now + 21),
///     Err(Error::AlreadyUsed)
/// );
/// # Ok::<(), eid_otp::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Challenge {
    subject: String,
    purpose: Purpose,
    nonce: [u8; 16],
    mac: [u8; 32],
    killed: Vec<[u8; 32]>,
    sent_at: u64,
    expires_at: u64,
    sends: u32,
    wrong_tries: u32,
    status: ChallengeStatus,
}

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Challenge")
            .field("subject", &self.subject)
            .field("purpose", &self.purpose)
            .field("sent_at", &self.sent_at)
            .field("expires_at", &self.expires_at)
            .field("sends", &self.sends)
            .field("wrong_tries", &self.wrong_tries)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// The number of digits of a challenge code.
const DIGITS: Digits = Digits::SIX;
/// The largest multiple of 10^6 that fits in 2^32: draws at or above it are
/// rejected so that every code is equally likely.
const ZONE: u32 = 4_294_000_000;

fn draw_code<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<u32, Error> {
    for _ in 0..64 {
        let x = rng.try_next_u32().map_err(|_| Error::Rng)?;
        if x < ZONE {
            return Ok(x % DIGITS.modulus());
        }
    }
    Err(Error::Rng)
}

fn code_mac(
    key: &ServerKey,
    nonce: &[u8; 16],
    subject: &str,
    purpose: Purpose,
    code: &[u8],
) -> Result<[u8; 32], Error> {
    // HMAC accepts keys of any length: this error cannot happen.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key.0)
        .map_err(|_| Error::ServerKeyTooShort(key.0.len()))?;
    mac.update(b"eid-otp/challenge/v1\0");
    mac.update(nonce);
    mac.update(&[purpose.tag()]);
    mac.update(&(subject.len() as u64).to_be_bytes());
    mac.update(subject.as_bytes());
    mac.update(code);
    Ok(mac.finalize().into_bytes().into())
}

impl Challenge {
    /// Issues a challenge and its first code at time `now` (Unix seconds),
    /// recording the send in the subject's `log`. Refused with
    /// [`Error::RateLimited`] when the subject has had
    /// `max_sends_per_hour` codes in the last hour.
    #[allow(clippy::too_many_arguments)]
    pub fn issue<R: TryCryptoRng + ?Sized>(
        key: &ServerKey,
        subject: &str,
        purpose: Purpose,
        config: &ChallengeConfig,
        log: &mut SendLog,
        now: u64,
        rng: &mut R,
    ) -> Result<(Challenge, Code), Error> {
        config.validate()?;
        log.check(now, config.max_sends_per_hour)?;
        let mut nonce = [0u8; 16];
        rng.try_fill_bytes(&mut nonce).map_err(|_| Error::Rng)?;
        let code = DIGITS.format(draw_code(rng)?);
        let mac = code_mac(
            key,
            &nonce,
            subject,
            purpose,
            code.expose_secret().as_bytes(),
        )?;
        log.record(now);
        Ok((
            Challenge {
                subject: subject.to_owned(),
                purpose,
                nonce,
                mac,
                killed: Vec::new(),
                sent_at: now,
                expires_at: now.saturating_add(config.validity_secs),
                sends: 1,
                wrong_tries: 0,
                status: ChallengeStatus::Pending,
            },
            code,
        ))
    }

    /// "Gửi lại mã": sends a new code and kills the current one. Refused
    /// when the challenge is used or dead, during the cooldown
    /// ([`Error::Cooldown`] with the seconds left), past the per-hour limit
    /// of the subject ([`Error::RateLimited`]) or the per-challenge limit
    /// ([`Error::ResendLimit`]). Wrong tries are not reset.
    pub fn resend<R: TryCryptoRng + ?Sized>(
        &mut self,
        key: &ServerKey,
        config: &ChallengeConfig,
        log: &mut SendLog,
        now: u64,
        rng: &mut R,
    ) -> Result<Code, Error> {
        config.validate()?;
        match self.status {
            ChallengeStatus::Used => return Err(Error::AlreadyUsed),
            ChallengeStatus::Dead => return Err(Error::Exhausted),
            ChallengeStatus::Pending => {}
        }
        if self.wrong_tries >= config.max_wrong_tries {
            self.status = ChallengeStatus::Dead;
            return Err(Error::Exhausted);
        }
        let ready_at = self.sent_at.saturating_add(config.resend_cooldown_secs);
        if now < ready_at {
            return Err(Error::Cooldown {
                seconds_left: ready_at - now,
            });
        }
        if self.sends >= config.max_sends_per_challenge || self.killed.len() >= 64 {
            return Err(Error::ResendLimit);
        }
        log.check(now, config.max_sends_per_hour)?;
        // Draw until the code differs from the current one and from every
        // killed one (at most 64 of a million: a redraw is rare).
        let (code, mac) = loop_distinct(
            || draw_code(rng),
            |c| {
                let mac = code_mac(key, &self.nonce, &self.subject, self.purpose, c.as_bytes())?;
                let seen = core::iter::once(&self.mac)
                    .chain(self.killed.iter())
                    .fold(subtle::Choice::from(0), |acc, m| acc | m.ct_eq(&mac));
                Ok((mac, bool::from(seen)))
            },
        )?;
        self.killed.push(self.mac);
        self.mac = mac;
        self.sent_at = now;
        self.expires_at = now.saturating_add(config.validity_secs);
        self.sends = self.sends.saturating_add(1);
        log.record(now);
        Ok(code)
    }

    /// Checks `code` for `subject` and `purpose` at time `now`. `Ok(())`
    /// once; after that [`Error::AlreadyUsed`]. A wrong code (including one
    /// not of 6 ASCII digits, or a killed one) costs a try and reports the
    /// tries left; the last allowed wrong code kills the challenge.
    pub fn verify(
        &mut self,
        key: &ServerKey,
        subject: &str,
        purpose: Purpose,
        code: &str,
        config: &ChallengeConfig,
        now: u64,
    ) -> Result<(), Error> {
        if subject != self.subject || purpose != self.purpose {
            return Err(Error::WrongSubjectOrPurpose);
        }
        match self.status {
            ChallengeStatus::Used => return Err(Error::AlreadyUsed),
            ChallengeStatus::Dead => return Err(Error::Exhausted),
            ChallengeStatus::Pending => {}
        }
        if self.wrong_tries >= config.max_wrong_tries {
            self.status = ChallengeStatus::Dead;
            return Err(Error::Exhausted);
        }
        if now >= self.expires_at {
            return Err(Error::Expired);
        }
        let well_formed = DIGITS.parse(code).is_some();
        // A malformed code is hashed as a fixed non-code, so its length costs nothing.
        let input: &[u8] = if well_formed {
            code.as_bytes()
        } else {
            b"------"
        };
        let given = code_mac(key, &self.nonce, &self.subject, self.purpose, input)?;
        let ok = given.ct_eq(&self.mac) & subtle::Choice::from(u8::from(well_formed));
        if bool::from(ok) {
            self.status = ChallengeStatus::Used;
            return Ok(());
        }
        self.wrong_tries = self.wrong_tries.saturating_add(1);
        let tries_left = config.max_wrong_tries.saturating_sub(self.wrong_tries);
        if tries_left == 0 {
            self.status = ChallengeStatus::Dead;
        }
        Err(Error::WrongCode { tries_left })
    }

    /// The subject (e.g. the ID number or phone number) the code was sent for.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// What the code is for.
    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// Pending, used or dead.
    pub fn status(&self) -> ChallengeStatus {
        self.status
    }

    /// When the current code was sent (Unix seconds).
    pub fn sent_at(&self) -> u64 {
        self.sent_at
    }

    /// When the current code stops being valid (Unix seconds).
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// Seconds of validity left at `now` (0 once expired).
    pub fn seconds_left(&self, now: u64) -> u64 {
        self.expires_at.saturating_sub(now)
    }

    /// Wrong codes entered so far.
    pub fn wrong_tries(&self) -> u32 {
        self.wrong_tries
    }

    /// Codes sent in this challenge so far.
    pub fn sends(&self) -> u32 {
        self.sends
    }
}

/// Draws codes until `check` says one is unseen; gives up (RNG failure)
/// after 64 draws, which for a working RNG does not happen.
fn loop_distinct(
    mut draw: impl FnMut() -> Result<u32, Error>,
    mut check: impl FnMut(&str) -> Result<([u8; 32], bool), Error>,
) -> Result<(Code, [u8; 32]), Error> {
    for _ in 0..64 {
        let code = DIGITS.format(draw()?);
        let (mac, seen) = check(code.expose_secret())?;
        if !seen {
            return Ok((code, mac));
        }
    }
    Err(Error::Rng)
}
