//! `otpauth://` URIs, the Key Uri Format read by authenticator apps:
//! `otpauth://TYPE/LABEL?secret=BASE32&issuer=...&algorithm=...&digits=...&period=...`.

#[allow(unused_imports)]
use crate::prelude::*;
use zeroize::Zeroizing;

use crate::{Algorithm, Digits, Error, Hotp, Secret, Totp};

/// Whether the URI describes a TOTP or an HOTP token, with the parameter
/// proper to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OtpKind {
    /// Time-based, with the time step in seconds (`period`, default 30).
    Totp {
        /// Time step in seconds.
        period: u64,
    },
    /// Counter-based, with the initial counter (`counter`, required).
    Hotp {
        /// Initial counter.
        counter: u64,
    },
}

/// A parsed `otpauth://` URI. `Debug` hides the secret.
///
/// ```
/// use eid_otp::{OtpAuthUri, OtpKind};
/// let uri = OtpAuthUri::parse(
///     "otpauth://totp/B%E1%BB%99%20C%C3%B4ng%20an:0123%40example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=B%E1%BB%99%20C%C3%B4ng%20an",
/// )?;
/// assert_eq!(uri.issuer.as_deref(), Some("Bộ Công an"));
/// assert_eq!(uri.account, "0123@example");
/// assert_eq!(uri.kind, OtpKind::Totp { period: 30 });
/// let again = OtpAuthUri::parse(&uri.to_uri())?;
/// assert_eq!(again, uri);
/// # Ok::<(), eid_otp::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpAuthUri {
    /// TOTP or HOTP.
    pub kind: OtpKind,
    /// The issuer (the `issuer` parameter, or the label's prefix).
    pub issuer: Option<String>,
    /// The account name (the label after the issuer prefix).
    pub account: String,
    /// The shared secret.
    pub secret: Secret,
    /// The hash function (default SHA-1).
    pub algorithm: Algorithm,
    /// The number of digits (default 6).
    pub digits: Digits,
}

fn uri_err(reason: &'static str) -> Error {
    Error::InvalidUri { reason }
}

/// Percent-decodes `s` into UTF-8 text.
fn percent_decode(s: &str) -> Result<String, Error> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = bytes.next().and_then(|c| (c as char).to_digit(16));
            let lo = bytes.next().and_then(|c| (c as char).to_digit(16));
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(((h << 4) | l) as u8),
                _ => return Err(uri_err("bad percent-escape")),
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).map_err(|_| uri_err("percent-decoded text is not UTF-8"))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str, out: &mut String) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push_str(&format!("{b:02X}"));
        }
    }
}

fn parse_u64(s: &str, what: &'static str) -> Result<u64, Error> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(uri_err(what));
    }
    s.parse::<u64>().map_err(|_| uri_err(what))
}

impl OtpAuthUri {
    /// Parses an `otpauth://` URI. The scheme and type are case-insensitive;
    /// unknown parameters are ignored; a repeated parameter, a missing
    /// secret, an HOTP without `counter`, or an `issuer` parameter that
    /// differs from the label's prefix is an error.
    pub fn parse(uri: &str) -> Result<Self, Error> {
        Self::parse_with_min_secret(uri, Secret::MIN_LEN)
    }

    /// [`OtpAuthUri::parse`] accepting secrets of `min_secret_len` bytes or
    /// more (for legacy 80-bit secrets; lowering it weakens the OTP).
    pub fn parse_with_min_secret(uri: &str, min_secret_len: usize) -> Result<Self, Error> {
        const SCHEME: &str = "otpauth://";
        let head = uri
            .get(..SCHEME.len())
            .ok_or(uri_err("not an otpauth:// URI"))?;
        if !head.eq_ignore_ascii_case(SCHEME) {
            return Err(uri_err("not an otpauth:// URI"));
        }
        let rest = uri.get(SCHEME.len()..).unwrap_or_default();
        let (kind, rest) = rest.split_once('/').ok_or(uri_err("missing label"))?;
        let (label, query) = rest.split_once('?').unwrap_or((rest, ""));

        let label = percent_decode(label)?;
        let (label_issuer, account) = match label.split_once(':') {
            Some((i, a)) => (Some(i.trim().to_owned()), a.trim_start().to_owned()),
            None => (None, label.clone()),
        };
        if account.is_empty() {
            return Err(uri_err("empty account name"));
        }
        if label_issuer.as_deref() == Some("") {
            return Err(uri_err("empty issuer in label"));
        }

        let mut secret: Option<Secret> = None;
        let mut issuer: Option<String> = None;
        let mut algorithm: Option<Algorithm> = None;
        let mut digits: Option<Digits> = None;
        let mut period: Option<u64> = None;
        let mut counter: Option<u64> = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let dup = || uri_err("repeated parameter");
            match key.to_ascii_lowercase().as_str() {
                "secret" => {
                    if secret.is_some() {
                        return Err(dup());
                    }
                    let v = Zeroizing::new(percent_decode(value)?);
                    secret = Some(Secret::from_base32_min(&v, min_secret_len)?);
                }
                "issuer" => {
                    if issuer.is_some() {
                        return Err(dup());
                    }
                    issuer = Some(percent_decode(value)?);
                }
                "algorithm" => {
                    if algorithm.is_some() {
                        return Err(dup());
                    }
                    algorithm = Some(
                        Algorithm::from_uri_name(&percent_decode(value)?)
                            .ok_or(uri_err("unknown algorithm"))?,
                    );
                }
                "digits" => {
                    if digits.is_some() {
                        return Err(dup());
                    }
                    let n = parse_u64(value, "digits is not a number")?;
                    let n = u32::try_from(n).map_err(|_| Error::InvalidDigits(u32::MAX))?;
                    digits = Some(Digits::new(n)?);
                }
                "period" => {
                    if period.is_some() {
                        return Err(dup());
                    }
                    let p = parse_u64(value, "period is not a number")?;
                    if p == 0 {
                        return Err(Error::InvalidTimeStep);
                    }
                    period = Some(p);
                }
                "counter" => {
                    if counter.is_some() {
                        return Err(dup());
                    }
                    counter = Some(parse_u64(value, "counter is not a number")?);
                }
                _ => {}
            }
        }
        let secret = secret.ok_or(uri_err("missing secret"))?;
        let kind = match kind.to_ascii_lowercase().as_str() {
            "totp" => OtpKind::Totp {
                period: period.unwrap_or(Totp::DEFAULT_STEP),
            },
            "hotp" => OtpKind::Hotp {
                counter: counter.ok_or(uri_err("HOTP without counter"))?,
            },
            _ => return Err(uri_err("type is neither totp nor hotp")),
        };
        let issuer = match (label_issuer, issuer) {
            (Some(a), Some(b)) if a != b => {
                return Err(uri_err("issuer parameter differs from the label's prefix"));
            }
            (Some(a), _) => Some(a),
            (None, b) => b,
        };
        Ok(OtpAuthUri {
            kind,
            issuer,
            account,
            secret,
            algorithm: algorithm.unwrap_or_default(),
            digits: digits.unwrap_or_default(),
        })
    }

    /// Formats the URI: label `issuer:account` and every parameter
    /// percent-encoded, the secret in unpadded base32. The text contains
    /// the secret, hence the zeroizing wrapper.
    pub fn to_uri(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::from("otpauth://"));
        s.push_str(match self.kind {
            OtpKind::Totp { .. } => "totp/",
            OtpKind::Hotp { .. } => "hotp/",
        });
        if let Some(issuer) = &self.issuer {
            percent_encode(issuer, &mut s);
            s.push(':');
        }
        percent_encode(&self.account, &mut s);
        s.push_str("?secret=");
        s.push_str(&self.secret.to_base32());
        if let Some(issuer) = &self.issuer {
            s.push_str("&issuer=");
            percent_encode(issuer, &mut s);
        }
        s.push_str("&algorithm=");
        s.push_str(self.algorithm.uri_name());
        s.push_str(&format!("&digits={}", self.digits.get()));
        match self.kind {
            OtpKind::Totp { period } => s.push_str(&format!("&period={period}")),
            OtpKind::Hotp { counter } => s.push_str(&format!("&counter={counter}")),
        }
        s
    }

    /// The TOTP this URI describes (T0 = 0, skew 1); an error for HOTP.
    pub fn totp(&self) -> Result<Totp, Error> {
        match self.kind {
            OtpKind::Totp { period } => Totp::builder(self.secret.clone())
                .algorithm(self.algorithm)
                .digits(self.digits.get())
                .step(period)
                .build(),
            OtpKind::Hotp { .. } => Err(uri_err("this is an HOTP URI")),
        }
    }

    /// The HOTP this URI describes; use `ReplayGuard::starting_at(counter)`
    /// for its state. An error for TOTP.
    pub fn hotp(&self) -> Result<Hotp, Error> {
        match self.kind {
            OtpKind::Hotp { .. } => {
                Hotp::new(self.secret.clone(), self.algorithm, self.digits.get())
            }
            OtpKind::Totp { .. } => Err(uri_err("this is a TOTP URI")),
        }
    }
}

/// `"otpauth://...".parse::<OtpAuthUri>()`, the same as [`OtpAuthUri::parse`].
impl core::str::FromStr for OtpAuthUri {
    type Err = Error;

    fn from_str(s: &str) -> Result<OtpAuthUri, Error> {
        OtpAuthUri::parse(s)
    }
}
