//! `dinhdanh otp hotp|totp --secret BASE32 ...`: prints one-time codes,
//! one per line.

use std::time::{SystemTime, UNIX_EPOCH};

use clap::{Subcommand, ValueEnum};
use eid_otp::{Algorithm, Hotp, Secret, Totp};

use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// RFC 4226 HOTP codes for consecutive counters.
    Hotp {
        #[command(flatten)]
        common: Common,
        /// The first counter.
        #[arg(long, default_value_t = 0)]
        counter: u64,
    },
    /// RFC 6238 TOTP codes for consecutive time steps.
    Totp {
        #[command(flatten)]
        common: Common,
        /// Unix time in seconds (default: now).
        #[arg(long)]
        time: Option<u64>,
        /// Time step in seconds.
        #[arg(long, default_value_t = 30)]
        step: u64,
        /// T0, the Unix time of step 0.
        #[arg(long, default_value_t = 0)]
        t0: u64,
    },
}

/// Options shared by both kinds.
#[derive(Debug, clap::Args)]
pub(crate) struct Common {
    /// The shared secret in base32 (as in otpauth:// URIs).
    #[arg(long)]
    secret: String,
    /// Number of digits, 6 to 8.
    #[arg(long, default_value_t = 6)]
    digits: u32,
    /// The HMAC hash.
    #[arg(long, value_enum, default_value_t = Hash::Sha1)]
    algorithm: Hash,
    /// How many consecutive codes to print.
    #[arg(long, default_value_t = 1)]
    count: u32,
    /// Accept secrets shorter than 128 bits (down to 80, as some services issue).
    #[arg(long)]
    allow_short_secret: bool,
}

/// The HMAC hash functions.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Hash {
    /// HMAC-SHA-1.
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Common {
    fn secret(&self) -> Result<Secret, Failure> {
        let min = if self.allow_short_secret {
            10
        } else {
            Secret::MIN_LEN
        };
        Secret::from_base32_min(&self.secret, min).map_err(|e| Failure(format!("--secret: {e}")))
    }

    fn algorithm(&self) -> Algorithm {
        match self.algorithm {
            Hash::Sha1 => Algorithm::Sha1,
            Hash::Sha256 => Algorithm::Sha256,
            Hash::Sha512 => Algorithm::Sha512,
        }
    }
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    match cmd {
        Cmd::Hotp { common, counter } => {
            let hotp = Hotp::new(common.secret()?, common.algorithm(), common.digits)?;
            for i in 0..u64::from(common.count) {
                let Some(c) = counter.checked_add(i) else {
                    break;
                };
                println!("{}", hotp.generate(c).expose_secret());
            }
        }
        Cmd::Totp {
            common,
            time,
            step,
            t0,
        } => {
            let totp = Totp::builder(common.secret()?)
                .algorithm(common.algorithm())
                .digits(common.digits)
                .step(step)
                .t0(t0)
                .build()?;
            let now = match time {
                Some(t) => t,
                None => SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs(),
            };
            let first = totp.step_at(now)?;
            for i in 0..u64::from(common.count) {
                let Some(s) = first.checked_add(i) else { break };
                println!("{}", totp.generate_step(s).expose_secret());
            }
        }
    }
    Ok(Outcome::Ok)
}
