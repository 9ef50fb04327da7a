//! RFC 4226 HOTP and RFC 6238 TOTP verifiers with replay refusal.

#[allow(unused_imports)]
use crate::prelude::*;
use subtle::Choice;

use crate::otp::{Keyed, matches};
use crate::{Algorithm, Code, Digits, Error, Secret};

/// What the verifier remembers about one secret so that no code is
/// accepted twice: the last counter (HOTP) or time step (TOTP) accepted.
///
/// Store it beside the secret and pass it to every verification; a code is
/// only accepted for a counter or step strictly greater than the last one
/// accepted (RFC 4226 §7.2, RFC 6238 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ReplayGuard {
    last_accepted: Option<u64>,
}

impl ReplayGuard {
    /// A guard for a secret that has accepted nothing yet.
    pub const fn new() -> Self {
        ReplayGuard {
            last_accepted: None,
        }
    }

    /// A guard whose next acceptable counter is `counter` (an HOTP token
    /// provisioned with `counter=` in its URI).
    pub const fn starting_at(counter: u64) -> Self {
        ReplayGuard {
            last_accepted: counter.checked_sub(1),
        }
    }

    /// The last counter or time step accepted, if any.
    pub const fn last_accepted(&self) -> Option<u64> {
        self.last_accepted
    }

    /// The smallest counter that may still be accepted; `None` once
    /// `u64::MAX` has been accepted.
    pub const fn next_allowed(&self) -> Option<u64> {
        match self.last_accepted {
            None => Some(0),
            Some(c) => c.checked_add(1),
        }
    }

    fn is_fresh(&self, counter: u64) -> bool {
        self.last_accepted.is_none_or(|last| counter > last)
    }
}

/// Checks `code` against `counters` in order; each comparison is constant
/// time. The first fresh match is accepted at once; a refusal always costs
/// the whole window, so the time a refusal takes says nothing about the code.
/// A match only on spent counters is a replay.
fn verify_counters(
    keyed: &Keyed,
    digits: Digits,
    code: &str,
    counters: impl Iterator<Item = u64>,
    guard: &mut ReplayGuard,
) -> Result<u64, Error> {
    let Some(given) = digits.parse(code) else {
        return Err(Error::WrongCode { tries_left: 0 });
    };
    let mut replay = Choice::from(0);
    for counter in counters {
        let eq = matches(keyed, digits, counter, given);
        if guard.is_fresh(counter) {
            if bool::from(eq) {
                guard.last_accepted = Some(counter);
                return Ok(counter);
            }
        } else {
            replay |= eq;
        }
    }
    if bool::from(replay) {
        Err(Error::Replayed)
    } else {
        Err(Error::WrongCode { tries_left: 0 })
    }
}

/// An RFC 4226 HOTP token: secret, hash, digits and a look-ahead window.
///
/// ```
/// use eid_otp::{Algorithm, Hotp, ReplayGuard, Secret, Error};
/// let hotp = Hotp::new(Secret::from_bytes(b"12345678901234567890")?, Algorithm::Sha1, 6)?
///     .with_look_ahead(3);
/// let mut guard = ReplayGuard::new();
/// assert_eq!(hotp.verify("969429", &mut guard), Ok(3)); // counter 3, inside the window
/// assert_eq!(hotp.verify("969429", &mut guard), Err(Error::Replayed));
/// # Ok::<(), eid_otp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Hotp {
    secret: Secret,
    algorithm: Algorithm,
    digits: Digits,
    look_ahead: u8,
    keyed: Keyed,
}

impl Hotp {
    /// An HOTP token with no look-ahead (`digits` must be 6 to 8).
    pub fn new(secret: Secret, algorithm: Algorithm, digits: u32) -> Result<Self, Error> {
        let digits = Digits::new(digits)?;
        let keyed = Keyed::new(algorithm, &secret)?;
        Ok(Hotp {
            secret,
            algorithm,
            digits,
            look_ahead: 0,
            keyed,
        })
    }

    /// Accept codes up to `n` counters ahead of the next expected one
    /// (RFC 4226 §7.4 resynchronisation).
    #[must_use]
    pub fn with_look_ahead(mut self, n: u8) -> Self {
        self.look_ahead = n;
        self
    }

    /// The code for `counter`.
    pub fn generate(&self, counter: u64) -> Code {
        self.digits.format(self.keyed.truncated(counter))
    }

    /// Verifies `code` against the counters from `guard.next_allowed()` up
    /// to the look-ahead; on success returns the matched counter and moves
    /// the guard past it. A code of an already accepted counter (within the
    /// look-ahead distance behind) gives [`Error::Replayed`].
    pub fn verify(&self, code: &str, guard: &mut ReplayGuard) -> Result<u64, Error> {
        let behind = u64::from(self.look_ahead).max(1);
        // Fresh counters first, in order; then the spent ones just behind,
        // to tell a replay from a wrong code.
        let (fresh, spent) = match guard.next_allowed() {
            Some(next) => (
                Some(next..=next.saturating_add(u64::from(self.look_ahead))),
                next.checked_sub(1)
                    .map(|last| last.saturating_sub(behind - 1)..=last),
            ),
            None => (None, Some(u64::MAX.saturating_sub(behind - 1)..=u64::MAX)),
        };
        let counters = fresh
            .into_iter()
            .flatten()
            .chain(spent.into_iter().flatten());
        verify_counters(&self.keyed, self.digits, code, counters, guard)
    }

    /// The secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The hash function.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits.
    pub fn digits(&self) -> Digits {
        self.digits
    }
}

/// An RFC 6238 TOTP token. Build it with [`Totp::builder`].
///
/// ```
/// use eid_otp::{Algorithm, ReplayGuard, Secret, Totp, Error};
/// let totp = Totp::builder(Secret::from_bytes(b"12345678901234567890")?)
///     .digits(8)
///     .build()?;
/// assert_eq!(totp.generate(59)?.expose_secret(), "94287082"); // RFC 6238 Appendix B
/// let mut guard = ReplayGuard::new();
/// assert_eq!(totp.verify("94287082", 75, &mut guard), Ok(1)); // step 2, skew 1
/// assert_eq!(totp.verify("94287082", 75, &mut guard), Err(Error::Replayed));
/// # Ok::<(), eid_otp::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Totp {
    secret: Secret,
    algorithm: Algorithm,
    digits: Digits,
    step: u64,
    t0: u64,
    skew: u8,
    keyed: Keyed,
}

/// Builds a [`Totp`]; defaults: SHA-1, 6 digits, 30 s steps, T0 = 0, a skew
/// of one step either way.
#[derive(Debug, Clone)]
pub struct TotpBuilder {
    secret: Secret,
    algorithm: Algorithm,
    digits: u32,
    step: u64,
    t0: u64,
    skew: u8,
}

impl TotpBuilder {
    /// The hash function.
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// The number of digits (6 to 8, checked by [`TotpBuilder::build`]).
    #[must_use]
    pub fn digits(mut self, digits: u32) -> Self {
        self.digits = digits;
        self
    }

    /// The time step X in seconds (at least 1).
    #[must_use]
    pub fn step(mut self, seconds: u64) -> Self {
        self.step = seconds;
        self
    }

    /// T0, the Unix time at which step 0 starts.
    #[must_use]
    pub fn t0(mut self, t0: u64) -> Self {
        self.t0 = t0;
        self
    }

    /// How many steps before and after the current one are accepted.
    #[must_use]
    pub fn skew(mut self, steps: u8) -> Self {
        self.skew = steps;
        self
    }

    /// Checks the parameters.
    pub fn build(self) -> Result<Totp, Error> {
        let digits = Digits::new(self.digits)?;
        if self.step == 0 {
            return Err(Error::InvalidTimeStep);
        }
        let keyed = Keyed::new(self.algorithm, &self.secret)?;
        Ok(Totp {
            secret: self.secret,
            algorithm: self.algorithm,
            digits,
            step: self.step,
            t0: self.t0,
            skew: self.skew,
            keyed,
        })
    }
}

impl Totp {
    /// The default time step, 30 seconds.
    pub const DEFAULT_STEP: u64 = 30;

    /// Starts building a TOTP over `secret`.
    pub fn builder(secret: Secret) -> TotpBuilder {
        TotpBuilder {
            secret,
            algorithm: Algorithm::Sha1,
            digits: 6,
            step: Self::DEFAULT_STEP,
            t0: 0,
            skew: 1,
        }
    }

    /// The time step T at Unix time `now`: ⌊(now − T0) / X⌋.
    pub fn step_at(&self, now: u64) -> Result<u64, Error> {
        let since = now
            .checked_sub(self.t0)
            .ok_or(Error::BeforeT0 { now, t0: self.t0 })?;
        Ok(since / self.step)
    }

    /// The code at Unix time `now`.
    pub fn generate(&self, now: u64) -> Result<Code, Error> {
        Ok(self.generate_step(self.step_at(now)?))
    }

    /// The code of time step `step`.
    pub fn generate_step(&self, step: u64) -> Code {
        self.digits.format(self.keyed.truncated(step))
    }

    /// Verifies `code` at Unix time `now` within the skew window (clamped
    /// at step 0 and at `u64::MAX`, never wrapping). On success returns the
    /// matched step and records it in `guard`; a code of a step already
    /// accepted, or older, gives [`Error::Replayed`].
    pub fn verify(&self, code: &str, now: u64, guard: &mut ReplayGuard) -> Result<u64, Error> {
        let t = self.step_at(now)?;
        // The current step first, then outwards: T, T-1, T+1, T-2, ...
        // Steps below 0 or above u64::MAX do not exist and are skipped.
        let around = (1..=u64::from(self.skew))
            .flat_map(|k| [t.checked_sub(k), t.checked_add(k)])
            .flatten();
        verify_counters(
            &self.keyed,
            self.digits,
            code,
            core::iter::once(t).chain(around),
            guard,
        )
    }

    /// The secret.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// The hash function.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The number of digits.
    pub fn digits(&self) -> Digits {
        self.digits
    }

    /// The time step in seconds.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// T0 in Unix seconds.
    pub fn t0(&self) -> u64 {
        self.t0
    }

    /// The skew window in steps.
    pub fn skew(&self) -> u8 {
        self.skew
    }
}
