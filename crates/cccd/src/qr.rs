//! The QR code on the front of a chip CCCD.
//!
//! The payload is UTF-8 text, fields separated by `|`:
//!
//! ```text
//! ID (12 digits) | old CMND (9 digits, or empty) | full name | date of birth ddmmyyyy
//!   | sex (Nam/Nữ) | permanent address | issue date ddmmyyyy [| 4 more fields on cards from 2024-07-01]
//! ```
//!
//! Cards issued from 1 July 2024 add four fields, often empty (the payload
//! then ends in `||||`). Any fields after the seventh are kept as
//! [`QrPayload::extra_fields`], never dropped.
//!
//! [`QrPayload::parse`] gives a view that borrows from the input; text that
//! is not in Unicode NFC (some scanners give decomposed `Nữ`) is normalised
//! into an owned string, and only then. [`QrData`] is the owned form.
//!
//! Input is taken as scanners give it: some scanner apps upper-case the
//! whole payload, so the sex reads `NAM` or `NỮ` (the name and address are
//! then kept upper-cased, as given). Every error names the field and the
//! byte offset: a byte that is not UTF-8 is reported with the field it lies
//! in, a payload cut short with the first field missing and where it
//! would have started.

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::borrow::Cow;

use core::fmt;

use icao9303::Date;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::Error;
pub use crate::Sex;
use crate::id_number::IdNumber;

/// The fields of the payload, to name them in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum QrField {
    /// 1: the 12-digit personal identification number.
    IdNumber,
    /// 2: the old 9-digit CMND number.
    OldIdNumber,
    /// 3: the full name.
    FullName,
    /// 4: the date of birth.
    DateOfBirth,
    /// 5: the sex.
    Sex,
    /// 6: the permanent address.
    Address,
    /// 7: the issue date.
    IssueDate,
    /// A field after the seventh (see [`QrPayload::extra_fields`]), by its
    /// number counted from 1 (8, 9, ...).
    Extra(usize),
}

impl QrField {
    /// The seven fields every CCCD writes, in payload order.
    pub const REQUIRED: [QrField; 7] = [
        QrField::IdNumber,
        QrField::OldIdNumber,
        QrField::FullName,
        QrField::DateOfBirth,
        QrField::Sex,
        QrField::Address,
        QrField::IssueDate,
    ];

    /// The field at `index` (0 for the first).
    pub fn from_index(index: usize) -> QrField {
        QrField::REQUIRED
            .get(index)
            .copied()
            .unwrap_or(QrField::Extra(index.saturating_add(1)))
    }

    /// The field's number in the payload, counted from 1.
    pub fn number(self) -> usize {
        match self {
            QrField::Extra(n) => n,
            known => QrField::REQUIRED
                .iter()
                .position(|f| *f == known)
                .map_or(0, |i| i + 1),
        }
    }
}

impl fmt::Display for QrField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QrField::IdNumber => "id_number",
            QrField::OldIdNumber => "old_id_number",
            QrField::FullName => "full_name",
            QrField::DateOfBirth => "date_of_birth",
            QrField::Sex => "sex",
            QrField::Address => "address",
            QrField::IssueDate => "issue_date",
            QrField::Extra(n) => return write!(f, "field {n}"),
        })
    }
}

/// A parsed QR payload, borrowing from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPayload<'a> {
    /// The 12-digit personal identification number.
    pub id_number: IdNumber,
    /// The old 9-digit CMND number, when the card carries one.
    pub old_id_number: Option<&'a str>,
    /// The full name, NFC.
    pub full_name: Cow<'a, str>,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Sex.
    pub sex: Sex,
    /// Permanent address (nơi thường trú), NFC.
    pub address: Cow<'a, str>,
    /// Issue date of the card.
    pub issue_date: Date,
    /// Fields after the seventh, NFC, kept as they are (four on cards
    /// issued from 1 July 2024, often empty).
    pub extra_fields: Vec<Cow<'a, str>>,
}

/// The owned form of [`QrPayload`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QrData {
    /// The 12-digit personal identification number.
    pub id_number: IdNumber,
    /// The old 9-digit CMND number, when the card carries one.
    pub old_id_number: Option<String>,
    /// The full name, NFC.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: Date,
    /// Sex.
    pub sex: Sex,
    /// Permanent address, NFC.
    pub address: String,
    /// Issue date of the card.
    pub issue_date: Date,
    /// Fields after the seventh.
    pub extra_fields: Vec<String>,
}

impl<'a> QrPayload<'a> {
    /// Parses the payload's bytes as the QR code gives them.
    ///
    /// The bytes must be UTF-8; trailing CR and LF are ignored; text is
    /// normalised to NFC; the sex may be upper-cased (`NAM`, `NỮ`). Errors
    /// name the field, its byte offset and the problem.
    pub fn parse(bytes: &'a [u8]) -> Result<QrPayload<'a>, Error> {
        // SIMD validation first; the standard library finds the offset of a fault.
        let text = match simdutf8::basic::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                core::str::from_utf8(bytes).map_err(|e| utf8_error(bytes, e.valid_up_to()))?
            }
        };
        let text = text.trim_end_matches(['\r', '\n']);

        let mut fields = Fields {
            text,
            pos: 0,
            done: false,
        };
        let mut next = |field: QrField| {
            fields.next().ok_or(Error::QrFieldCount {
                found: field.number().saturating_sub(1),
                missing: field,
                offset: text.len(),
            })
        };
        let (id, id_at, _) = next(QrField::IdNumber)?;
        let (old, old_at, _) = next(QrField::OldIdNumber)?;
        let (name, name_at, name_fast) = next(QrField::FullName)?;
        let (dob, dob_at, _) = next(QrField::DateOfBirth)?;
        let (sex, sex_at, _) = next(QrField::Sex)?;
        let (address, _, address_fast) = next(QrField::Address)?;
        let (issue, issue_at, _) = next(QrField::IssueDate)?;
        let extra_fields: Vec<Cow<'a, str>> = fields.map(|(f, _, fast)| nfc(f, fast)).collect();

        let id_number = IdNumber::parse(id).map_err(|e| Error::QrField {
            field: QrField::IdNumber,
            offset: id_at,
            problem: match e {
                Error::IdNumber { problem } => problem,
                _ => "not an ID number",
            },
        })?;
        let old_id_number = match old {
            "" => None,
            o if o.len() == 9 && o.bytes().all(|c| c.is_ascii_digit()) => Some(o),
            _ => {
                return Err(Error::QrField {
                    field: QrField::OldIdNumber,
                    offset: old_at,
                    problem: "must be empty or exactly 9 digits",
                });
            }
        };
        let full_name = nfc(name, name_fast);
        if full_name.trim().is_empty() {
            return Err(Error::QrField {
                field: QrField::FullName,
                offset: name_at,
                problem: "must not be empty",
            });
        }
        let date_of_birth = ddmmyyyy(dob).ok_or(Error::QrField {
            field: QrField::DateOfBirth,
            offset: dob_at,
            problem: "must be a valid date ddmmyyyy",
        })?;
        let sex = parse_sex(sex).ok_or(Error::QrField {
            field: QrField::Sex,
            offset: sex_at,
            problem: "must be \"Nam\" or \"Nữ\" (or upper-cased: \"NAM\", \"NỮ\")",
        })?;
        let issue_date = ddmmyyyy(issue).ok_or(Error::QrField {
            field: QrField::IssueDate,
            offset: issue_at,
            problem: "must be a valid date ddmmyyyy",
        })?;
        if issue_date < date_of_birth {
            return Err(Error::QrField {
                field: QrField::IssueDate,
                offset: issue_at,
                problem: "is before the date of birth",
            });
        }
        Ok(QrPayload {
            id_number,
            old_id_number,
            full_name,
            date_of_birth,
            sex,
            address: nfc(address, address_fast),
            issue_date,
            extra_fields,
        })
    }

    /// The owned form.
    pub fn to_owned_data(&self) -> QrData {
        QrData {
            id_number: self.id_number,
            old_id_number: self.old_id_number.map(str::to_owned),
            full_name: self.full_name.clone().into_owned(),
            date_of_birth: self.date_of_birth,
            sex: self.sex,
            address: self.address.clone().into_owned(),
            issue_date: self.issue_date,
            extra_fields: self
                .extra_fields
                .iter()
                .map(|f| f.clone().into_owned())
                .collect(),
        }
    }
}

impl QrData {
    /// Parses a payload into the owned form; see [`QrPayload::parse`].
    pub fn parse(bytes: &[u8]) -> Result<QrData, Error> {
        QrPayload::parse(bytes).map(|p| p.to_owned_data())
    }

    /// Writes the payload as the card's QR code carries it.
    pub fn to_payload(&self) -> String {
        let mut fields: Vec<String> = vec![
            self.id_number.to_string(),
            self.old_id_number.clone().unwrap_or_default(),
            self.full_name.clone(),
            format_ddmmyyyy(self.date_of_birth),
            match self.sex {
                Sex::Male => "Nam".to_owned(),
                Sex::Female => "Nữ".to_owned(),
            },
            self.address.clone(),
            format_ddmmyyyy(self.issue_date),
        ];
        fields.extend(self.extra_fields.iter().cloned());
        fields.join("|")
    }
}

/// The `|`-separated fields of the payload, each with its byte offset and
/// whether it is NFC for sure (see [`field_end`]).
struct Fields<'a> {
    text: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a str, usize, bool);

    fn next(&mut self) -> Option<(&'a str, usize, bool)> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let (end, always_nfc) = field_end(self.text.as_bytes(), start);
        self.done = end >= self.text.len();
        self.pos = end.saturating_add(1);
        // `end` is at a '|' or the end of the text: a char boundary.
        Some((self.text.get(start..end).unwrap_or(""), start, always_nfc))
    }
}

/// Scans valid UTF-8 from `start` to the next `|` or the end. Returns where
/// the field ends and whether every character in it is NFC whatever
/// surrounds it: canonical combining class 0 and NFC_Quick_Check=Yes.
/// Below U+0300 that is every character, and so for Latin Extended
/// Additional (U+1E00-U+1EFF), which holds the precomposed Vietnamese
/// vowels with tone marks (a test checks both ranges against the Unicode
/// tables). On the bytes: U+0000-U+02FF is ASCII or a lead byte C2-CB;
/// U+1E00-U+1EFF is E1 B8-BB. One pass does both, since this is the hot
/// path of the parser.
fn field_end(b: &[u8], start: usize) -> (usize, bool) {
    let mut i = start;
    let mut fast = true;
    while let Some(&c) = b.get(i) {
        i += match c {
            b'|' => break,
            0x00..=0x7F => 1,
            0xC2..=0xCB => 2,
            0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => 3,
            // Any other lead or continuation byte: step over it (a '|' is
            // never inside a multi-byte sequence).
            _ => {
                fast = false;
                1
            }
        };
    }
    (i.min(b.len()), fast)
}

/// The error for a payload that is not UTF-8 from byte `offset`: the field
/// is found by counting the `|` before it (a `|` byte is never inside a
/// multi-byte sequence, so the count is right whatever the bad bytes).
fn utf8_error(bytes: &[u8], offset: usize) -> Error {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let index = before.iter().filter(|&&b| b == b'|').count();
    Error::QrUtf8 {
        field: QrField::from_index(index),
        offset,
    }
}

/// The sex as the card prints it (`Nam`, `Nữ`) or as an upper-casing
/// scanner gives it (`NAM`, `NỮ`), composed or decomposed. Mixed or lower
/// case is no scanner's output and stays refused.
fn parse_sex(s: &str) -> Option<Sex> {
    match s {
        "Nam" | "NAM" => Some(Sex::Male),
        "Nữ" | "NỮ" => Some(Sex::Female),
        s if s.is_ascii() => None,
        s => match nfc(s, false).as_ref() {
            "Nữ" | "NỮ" => Some(Sex::Female),
            _ => None,
        },
    }
}

/// The text in NFC, borrowed when it already is. `always_nfc` is the fast
/// scan's verdict; without it the Unicode quick check decides.
fn nfc(s: &str, always_nfc: bool) -> Cow<'_, str> {
    if always_nfc || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

fn ddmmyyyy(s: &str) -> Option<Date> {
    let b: [u8; 8] = s.as_bytes().try_into().ok()?;
    if !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let [d1, d2, m1, m2, y1, y2, y3, y4] = b.map(|c| c - b'0');
    let year = u16::from(y1) * 1000 + u16::from(y2) * 100 + u16::from(y3) * 10 + u16::from(y4);
    Date::new(year, m1 * 10 + m2, d1 * 10 + d2)
}

fn format_ddmmyyyy(d: Date) -> String {
    format!("{:02}{:02}{:04}", d.day(), d.month(), d.year())
}

#[cfg(test)]
mod tests;
