//! The CCCD's machine readable zone: ICAO TD1 with Vietnam's layout.
//!
//! - document code `ID`, issuing state and nationality `VNM`;
//! - document number: the last 9 digits of the 12-digit ID number (the
//!   province code dropped), with its check digit;
//! - optional data: the full 12-digit ID, `<<`, and the ID's check digit;
//! - a card without expiry date carries `991231`.
//!
//! BAC and PACE use the 9-digit document number, so the access key comes
//! straight from the ID number, the date of birth and the date of expiry.
//! The QR code has the first two but not the expiry: [`access_keys`] (and
//! [`crate::access_key_from_qr`]) take the issue date instead and derive
//! the expiry from the law ([`crate::expiry`]), with the few candidates the
//! law leaves open on boundary days, to be tried in order (a wrong key is
//! answered `6300` and does not lock the chip).

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use icao9303::Date;
use icao9303::mrz::{Mrz, MrzDate, MrzFormat, MrzKey, check_digit};

use crate::expiry::{CardExpiry, card_expiry};
use crate::id_number::IdNumber;
use crate::{Error, Sex};

/// The date of expiry written on cards that do not expire.
pub const NO_EXPIRY: MrzDate = MrzDate {
    year: 99,
    month: Some(12),
    day: Some(31),
};

/// A CCCD's MRZ: the ICAO fields, checked against Vietnam's layout.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CccdMrz {
    /// The 12-digit ID number from the optional data.
    pub id_number: IdNumber,
    /// The MRZ as ICAO reads it.
    pub mrz: Mrz,
}

impl CccdMrz {
    /// Parses the three lines and checks every check digit and the
    /// Vietnamese layout.
    pub fn parse(text: &str) -> Result<CccdMrz, Error> {
        CccdMrz::from_mrz(Mrz::parse(text)?)
    }

    /// Checks that an ICAO MRZ has the CCCD layout.
    pub fn from_mrz(mrz: Mrz) -> Result<CccdMrz, Error> {
        let bad = |problem| Err(Error::CccdMrz { problem });
        if mrz.format != MrzFormat::Td1 {
            return bad("not a TD1 (3 lines of 30) zone");
        }
        if mrz.document_code != "ID" || mrz.issuing_state != "VNM" {
            return bad("document code and issuing state must be ID and VNM");
        }
        let opt = mrz.optional_data.as_bytes();
        let (digits, rest) = opt.split_at_checked(12).unwrap_or((opt, &[]));
        let id_number = core::str::from_utf8(digits)
            .ok()
            .and_then(|d| IdNumber::parse(d).ok())
            .ok_or(Error::CccdMrz {
                problem: "optional data must start with the 12-digit ID",
            })?;
        match rest {
            [b'<', b'<', cd] if Some(*cd) == check_digit(digits) => {}
            [b'<', b'<', _] => return bad("the ID's check digit in the optional data is wrong"),
            _ => return bad("optional data must be the ID, '<<' and its check digit"),
        }
        if mrz.document_number != id_number.document_number() {
            return bad("document number must be the last 9 digits of the ID");
        }
        Ok(CccdMrz { id_number, mrz })
    }

    /// Builds the MRZ of a card: `names` are the primary and secondary
    /// identifiers in MRZ letters (see [`crate::ascii_name`]), `expiry`
    /// `None` for a card without expiry.
    pub fn new(
        id_number: IdNumber,
        primary: &str,
        secondary: &str,
        date_of_birth: Date,
        sex: Sex,
        expiry: Option<Date>,
    ) -> CccdMrz {
        let digits = id_number.as_str().as_bytes();
        let cd = char::from(check_digit(digits).unwrap_or(b'0'));
        let mrz = Mrz {
            format: MrzFormat::Td1,
            document_code: "ID".into(),
            issuing_state: "VNM".into(),
            document_number: id_number.document_number().into(),
            optional_data: format!("{id_number}<<{cd}"),
            optional_data_2: Some(String::new()),
            date_of_birth: MrzDate::from_date(date_of_birth),
            sex: match sex {
                Sex::Male => icao9303::mrz::Sex::Male,
                Sex::Female => icao9303::mrz::Sex::Female,
            },
            date_of_expiry: expiry.map_or(NO_EXPIRY, MrzDate::from_date),
            nationality: "VNM".into(),
            primary_identifier: primary.into(),
            secondary_identifier: secondary.into(),
        };
        CccdMrz { id_number, mrz }
    }

    /// The BAC/PACE key of the card.
    pub fn access_key(&self) -> MrzKey {
        self.mrz.access_key()
    }
}

/// The BAC/PACE key of a CCCD from what is printed on its face: the ID
/// number and the dates of birth and expiry as `YYMMDD` (`991231` for a
/// card without expiry).
pub fn access_key(
    id_number: &IdNumber,
    date_of_birth: &str,
    date_of_expiry: &str,
) -> Result<MrzKey, Error> {
    Ok(MrzKey::new(
        id_number.document_number(),
        date_of_birth,
        date_of_expiry,
    )?)
}

/// One access key of a card whose expiry was derived, not read: the date
/// of expiry it stands for and the key.
#[derive(Clone)]
pub struct KeyCandidate {
    /// The date of expiry; `None` for a card without expiry (`991231`).
    pub date_of_expiry: Option<Date>,
    /// The BAC/PACE key with that expiry.
    pub key: MrzKey,
}

impl fmt::Debug for KeyCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key prints redacted; the date alone does not open the chip.
        f.debug_struct("KeyCandidate")
            .field("date_of_expiry", &self.date_of_expiry)
            .field("key", &self.key)
            .finish()
    }
}

/// The access keys of a CCCD known by its ID number, date of birth and
/// issue date (what its QR code holds): one per date of expiry the law
/// allows, most likely first.
#[derive(Debug, Clone)]
pub struct AccessKeys {
    expiry: CardExpiry,
    first: KeyCandidate,
    others: Vec<KeyCandidate>,
}

impl AccessKeys {
    /// The most likely key: the one to read the chip with.
    pub fn key(&self) -> &MrzKey {
        &self.first.key
    }

    /// Every candidate, most likely first (one, unless the law leaves the
    /// expiry's day open): try them in order until the chip accepts one.
    pub fn candidates(&self) -> impl Iterator<Item = &KeyCandidate> {
        core::iter::once(&self.first).chain(&self.others)
    }

    /// How many candidates there are (at least one).
    pub fn len(&self) -> usize {
        self.others.len().saturating_add(1)
    }

    /// Always false: there is at least one candidate.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The expiry the keys were made for, and the law it follows.
    pub fn expiry(&self) -> &CardExpiry {
        &self.expiry
    }
}

/// The `YYMMDD` of an expiry, `991231` for none.
fn expiry_yymmdd(expiry: Option<Date>) -> [u8; 6] {
    expiry.map_or(NO_EXPIRY, MrzDate::from_date).to_yymmdd()
}

/// The access keys of a CCCD from its ID number, date of birth and issue
/// date, the date of expiry following from the law (see
/// [`crate::expiry`]).
pub fn access_keys(
    id_number: &IdNumber,
    date_of_birth: Date,
    issue_date: Date,
) -> Result<AccessKeys, Error> {
    let expiry = card_expiry(date_of_birth, issue_date);
    let dob = MrzDate::from_date(date_of_birth).to_yymmdd();
    let dob = core::str::from_utf8(&dob).unwrap_or("");
    let mut keys = Vec::with_capacity(expiry.candidates.len());
    for &date_of_expiry in &expiry.candidates {
        let doe = expiry_yymmdd(date_of_expiry);
        let key = access_key(id_number, dob, core::str::from_utf8(&doe).unwrap_or(""))?;
        keys.push(KeyCandidate {
            date_of_expiry,
            key,
        });
    }
    let mut keys = keys.into_iter();
    let first = keys.next().ok_or(Error::CccdMrz {
        problem: "no date of expiry follows from the dates",
    })?;
    Ok(AccessKeys {
        expiry,
        first,
        others: keys.collect(),
    })
}

/// `text.parse::<CccdMrz>()`, the same as [`CccdMrz::parse`].
impl core::str::FromStr for CccdMrz {
    type Err = Error;

    fn from_str(s: &str) -> Result<CccdMrz, Error> {
        CccdMrz::parse(s)
    }
}

#[cfg(test)]
mod tests;
