//! The machine readable zone (Doc 9303 Parts 3 to 6): TD1 (3 lines of 30),
//! TD2 (2 lines of 36) and TD3 (2 lines of 44).
//!
//! [`Mrz::parse`] reads the zone and verifies every check digit, the
//! composite too; [`Mrz::parse_unchecked`] reads the structure only, for
//! documents printed with a wrong digit (such samples exist, even in
//! Doc 9303). [`Mrz::encode`] writes the zone back, computing the digits.
//! [`Mrz::access_key`] gives the key material of BAC and PACE.
//!
//! Long document numbers (more than nine characters, TD1 and TD2) are read
//! from their overflow into the optional data as Doc 9303 Part 5 §4.2.4
//! describes: a `<` in the check-digit position, the remaining characters and
//! the check digit in the optional data, then a filler.
//!
//! One file of about a thousand lines, on purpose: parsing, encoding and
//! the key all read the same table of field positions per format, and
//! splitting them would scatter it (the tests are in `mrz/tests.rs`).

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

#[cfg(feature = "chip")]
use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use crate::Error;
use crate::date::{Date, days_in_month};

/// The three sizes of machine readable zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "UPPERCASE"))]
#[non_exhaustive]
pub enum MrzFormat {
    /// ID-1 size card: 3 lines of 30 characters.
    Td1,
    /// ID-2 size: 2 lines of 36 characters.
    Td2,
    /// Passport book: 2 lines of 44 characters.
    Td3,
}

impl MrzFormat {
    /// Its name: `TD1`, `TD2` or `TD3`.
    pub const fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        }
    }

    /// Number of lines.
    pub const fn lines(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td2 | MrzFormat::Td3 => 2,
        }
    }

    /// Characters per line.
    pub const fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        }
    }

    /// Length of the name field.
    const fn name_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 31,
            MrzFormat::Td3 => 39,
        }
    }

    /// Length of the (first) optional data field.
    const fn optional_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 15,
            MrzFormat::Td2 => 7,
            MrzFormat::Td3 => 14,
        }
    }
}

/// The fields of an MRZ, to name them in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MrzField {
    /// Document code (`P`, `I`, `ID`, `AC`...).
    DocumentCode,
    /// Issuing state or organisation.
    IssuingState,
    /// Document number (with its overflow).
    DocumentNumber,
    /// Optional data of line 1 (TD1), line 2 (TD2) or the personal number (TD3).
    OptionalData,
    /// Optional data of TD1 line 2.
    OptionalData2,
    /// Date of birth.
    DateOfBirth,
    /// Sex.
    Sex,
    /// Date of expiry.
    DateOfExpiry,
    /// Nationality.
    Nationality,
    /// Name (primary and secondary identifiers).
    Name,
    /// The composite check digit.
    Composite,
}

impl fmt::Display for MrzField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MrzField::DocumentCode => "document code",
            MrzField::IssuingState => "issuing state",
            MrzField::DocumentNumber => "document number",
            MrzField::OptionalData => "optional data",
            MrzField::OptionalData2 => "optional data 2",
            MrzField::DateOfBirth => "date of birth",
            MrzField::Sex => "sex",
            MrzField::DateOfExpiry => "date of expiry",
            MrzField::Nationality => "nationality",
            MrzField::Name => "name",
            MrzField::Composite => "composite",
        })
    }
}

/// Sex as the MRZ records it.
///
/// Exhaustive: the MRZ allows F, M and X or `<` (unspecified) only (Doc 9303 Parts 4-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Sex {
    /// `M`.
    Male,
    /// `F`.
    Female,
    /// `X` or `<`: unspecified.
    Unspecified,
}

impl Sex {
    /// The MRZ character (`M`, `F`, `<`).
    pub const fn mrz_char(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
            Sex::Unspecified => '<',
        }
    }
}

/// A `YYMMDD` date as the MRZ writes it: two-digit year, and for a date of
/// birth possibly an unknown month or day (written `<<`). With serde it is
/// the six MRZ characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MrzDate {
    /// The year within its century, 0 to 99.
    pub year: u8,
    /// The month, 1 to 12, or `None` when unknown.
    pub month: Option<u8>,
    /// The day, from 1, or `None` when unknown.
    pub day: Option<u8>,
}

impl MrzDate {
    /// Reads six characters `YYMMDD`; `MM` and `DD` may be `<<` (unknown).
    /// `None` when they are not a possible date.
    pub fn from_yymmdd(s: &[u8]) -> Option<MrzDate> {
        let [y1, y2, m1, m2, d1, d2] = <[u8; 6]>::try_from(s).ok()?;
        let year = u8::try_from(crate::date::parse_digits(&[y1, y2])?).ok()?;
        let part = |a: u8, b: u8| -> Option<Option<u8>> {
            if (a, b) == (b'<', b'<') {
                Some(None)
            } else {
                Some(Some(
                    u8::try_from(crate::date::parse_digits(&[a, b])?).ok()?,
                ))
            }
        };
        let month = part(m1, m2)?;
        let day = part(d1, d2)?;
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return None;
        }
        if let Some(d) = day {
            // The century is unknown: allow 29 February when some century
            // makes it a leap year (2000 + year is a leap year iff year % 4 == 0).
            let max = month.map_or(31, |m| days_in_month(2000 + u16::from(year), m));
            if d == 0 || d > max {
                return None;
            }
        }
        Some(MrzDate { year, month, day })
    }

    /// A complete date from a calendar date (the year taken modulo 100).
    pub fn from_date(date: Date) -> MrzDate {
        // year % 100 < 100 always fits a u8.
        let year = u8::try_from(date.year() % 100).unwrap_or(0);
        MrzDate {
            year,
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// The six MRZ characters.
    pub fn to_yymmdd(self) -> [u8; 6] {
        let two = |v: Option<u8>| match v {
            Some(v) => [b'0' + v / 10 % 10, b'0' + v % 10],
            None => [b'<', b'<'],
        };
        let [y1, y2] = two(Some(self.year));
        let [m1, m2] = two(self.month);
        let [d1, d2] = two(self.day);
        [y1, y2, m1, m2, d1, d2]
    }

    /// The date in the given century (`1900`, `2000`...), when month and day
    /// are known and the date exists.
    pub fn in_century(self, century: u16) -> Option<Date> {
        Date::new(
            century.checked_add(u16::from(self.year))?,
            self.month?,
            self.day?,
        )
    }

    /// Reads the date as a date of birth seen on `today`: the latest century
    /// that does not put the birth in the future.
    pub fn as_birth_date(self, today: Date) -> Option<Date> {
        let century = today.year() / 100 * 100;
        let this = self.in_century(century);
        match this {
            Some(d) if d <= today => Some(d),
            _ => self.in_century(century.checked_sub(100)?),
        }
    }

    /// Reads the date as a date of expiry seen on `today`: the century that
    /// puts it within 50 years of today, either side.
    pub fn as_expiry_date(self, today: Date) -> Option<Date> {
        let century = today.year() / 100 * 100;
        let d = self.in_century(century)?;
        let years = today.years_until(d);
        if years >= 50 {
            self.in_century(century.checked_sub(100)?)
        } else if years < -50 {
            self.in_century(century.checked_add(100)?)
        } else {
            Some(d)
        }
    }
}

impl fmt::Display for MrzDate {
    /// The six MRZ characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.to_yymmdd() {
            fmt::Write::write_char(f, char::from(c))?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for MrzDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for MrzDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<MrzDate, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        MrzDate::from_yymmdd(s.as_bytes())
            .ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not an MRZ date YYMMDD")))
    }
}

/// A parsed machine readable zone.
///
/// Text fields hold the MRZ characters with the trailing fillers removed;
/// in names every `<` between words becomes a space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mrz {
    /// TD1, TD2 or TD3.
    pub format: MrzFormat,
    /// Document code, one or two letters (`P`, `I`, `ID`...).
    pub document_code: String,
    /// Issuing state or organisation, e.g. `UTO`, `D`, `VNM`.
    pub issuing_state: String,
    /// The document number, including any overflow into the optional data.
    pub document_number: String,
    /// The optional data field (TD3: the personal number), without an
    /// overflowing document number and without trailing fillers.
    pub optional_data: String,
    /// TD1 only: the optional data of line 2, without trailing fillers.
    pub optional_data_2: Option<String>,
    /// Date of birth.
    pub date_of_birth: MrzDate,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry.
    pub date_of_expiry: MrzDate,
    /// Nationality, e.g. `UTO`, `D`, `VNM`.
    pub nationality: String,
    /// Primary identifier (surname), words separated by spaces.
    pub primary_identifier: String,
    /// Secondary identifier (given names), words separated by spaces.
    pub secondary_identifier: String,
}

/// Computes the Doc 9303 Part 3 §4.9 check digit (weights 7, 3, 1) of
/// `field`, as an ASCII digit. `None` when the field holds a character
/// outside `0-9`, `A-Z` and `<`.
pub fn check_digit(field: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (c, w) in field.iter().zip(WEIGHTS.iter().cycle()) {
        let v = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            b'<' => 0,
            _ => return None,
        };
        sum = (sum + v * w) % 10;
    }
    // sum < 10
    u8::try_from(sum).ok().map(|s| b'0' + s)
}

/// One MRZ line, validated to hold only `A-Z`, `0-9` and `<`.
struct Line<'a> {
    number: u8,
    bytes: &'a [u8],
}

impl<'a> Line<'a> {
    /// `len` characters from 1-based position `pos`. Lines have their
    /// format's length, so every field position is in range.
    fn at(&self, pos: usize, len: usize) -> &'a [u8] {
        pos.checked_sub(1)
            .and_then(|start| self.bytes.get(start..start.checked_add(len)?))
            .unwrap_or(&[])
    }

    fn char_at(&self, pos: usize) -> u8 {
        self.at(pos, 1).first().copied().unwrap_or(b'<')
    }
}

fn text(b: &[u8]) -> String {
    // Lines were validated as ASCII.
    String::from_utf8_lossy(b).into_owned()
}

fn trim_fillers(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|&c| c != b'<').map_or(0, |i| i + 1);
    b.get(..end).unwrap_or(&[])
}

fn pos_u8(pos: usize) -> u8 {
    u8::try_from(pos).unwrap_or(u8::MAX)
}

fn split_lines(input: &str) -> Result<Vec<&[u8]>, Error> {
    let trimmed = input.trim();
    let mut lines: Vec<&[u8]> = trimmed
        .split('\n')
        .map(|l| {
            l.trim_end_matches(['\r', ' ', '\t'])
                .trim_start_matches([' ', '\t'])
                .as_bytes()
        })
        .collect();
    if lines.len() == 1 {
        // One run of characters: cut it by the length of a known format.
        let all = lines.first().copied().unwrap_or(&[]);
        let format = [MrzFormat::Td1, MrzFormat::Td2, MrzFormat::Td3]
            .into_iter()
            .find(|f| f.lines() * f.line_len() == all.len());
        if let Some(f) = format {
            lines = all.chunks(f.line_len()).collect();
        }
    }
    Ok(lines)
}

impl Mrz {
    /// Parses an MRZ and verifies every check digit.
    ///
    /// Lines are separated by `\n` (or `\r\n`); a single run of 90, 72 or
    /// 88 characters is also accepted. Surrounding white space is ignored.
    pub fn parse(input: &str) -> Result<Mrz, Error> {
        let lines = split_lines(input)?;
        let (mrz, checks) = Mrz::parse_lines(&lines)?;
        match checks.into_iter().next() {
            Some(failure) => Err(failure),
            None => Ok(mrz),
        }
    }

    /// Parses an MRZ without verifying check digits (the structure, the
    /// characters, the dates and the sex are still checked).
    /// [`Mrz::check_digit_errors`] lists what [`Mrz::parse`] would refuse.
    pub fn parse_unchecked(input: &str) -> Result<Mrz, Error> {
        let lines = split_lines(input)?;
        Mrz::parse_lines(&lines).map(|(mrz, _)| mrz)
    }

    /// Every check-digit failure of the MRZ text `input`, in line order.
    /// Empty when all hold; an error when the text is not an MRZ at all.
    pub fn check_digit_errors(input: &str) -> Result<Vec<Error>, Error> {
        let lines = split_lines(input)?;
        Mrz::parse_lines(&lines).map(|(_, checks)| checks)
    }

    fn parse_lines(raw: &[&[u8]]) -> Result<(Mrz, Vec<Error>), Error> {
        let format = match (raw.len(), raw.first().map(|l| l.len())) {
            (3, Some(30)) => MrzFormat::Td1,
            (2, Some(36)) => MrzFormat::Td2,
            (2, Some(44)) => MrzFormat::Td3,
            _ => return Err(shape_error(raw)),
        };
        if raw.iter().any(|l| l.len() != format.line_len()) {
            return Err(shape_error(raw));
        }
        let mut lines = Vec::with_capacity(raw.len());
        for (i, bytes) in raw.iter().enumerate() {
            let number = pos_u8(i + 1);
            if let Some(p) = bytes
                .iter()
                .position(|c| !matches!(c, b'A'..=b'Z' | b'0'..=b'9' | b'<'))
            {
                let found = core::str::from_utf8(bytes)
                    .ok()
                    .and_then(|s| s.get(p..)?.chars().next())
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                return Err(Error::MrzCharacter {
                    line: number,
                    position: pos_u8(p + 1),
                    found,
                });
            }
            lines.push(Line { number, bytes });
        }
        match (format, lines.as_slice()) {
            (MrzFormat::Td1, [l1, l2, l3]) => Ok(parse_td1(l1, l2, l3)?),
            (MrzFormat::Td2 | MrzFormat::Td3, [l1, l2]) => Ok(parse_td2_td3(format, l1, l2)?),
            _ => Err(shape_error(raw)),
        }
    }

    /// Writes the MRZ lines (joined by `\n`), computing every check digit.
    ///
    /// Refuses values that do not fit their field or hold characters the
    /// MRZ cannot carry; names are not truncated (Doc 9303 Part 3 §4.6
    /// leaves truncation to the issuer).
    pub fn encode(&self) -> Result<String, Error> {
        let f = self.format;
        let doc_code = pad(&self.document_code, 2, MrzField::DocumentCode)?;
        if !doc_code.first().is_some_and(u8::is_ascii_uppercase) {
            return Err(Error::MrzEncode {
                field: MrzField::DocumentCode,
                problem: "must start with a letter",
            });
        }
        let state = pad(&self.issuing_state, 3, MrzField::IssuingState)?;
        let nationality = pad(&self.nationality, 3, MrzField::Nationality)?;
        // Document number field, its check digit, and the optional data.
        let (number_field, number_check, optional) = self.encode_number()?;
        let (dob, dob_cd, doe, doe_cd) = self.encode_dates()?;
        let sex = match self.sex {
            Sex::Male => b'M',
            Sex::Female => b'F',
            Sex::Unspecified => b'<',
        };
        let name = encode_name(
            &self.primary_identifier,
            &self.secondary_identifier,
            f.name_len(),
        )?;

        let mut lines: Vec<Vec<u8>> = Vec::with_capacity(3);
        match f {
            MrzFormat::Td1 => {
                let opt2 = match &self.optional_data_2 {
                    Some(o) => pad(o, 11, MrzField::OptionalData2)?,
                    None => vec![b'<'; 11],
                };
                let mut l1 = [doc_code.as_slice(), &state, &number_field].concat();
                l1.push(number_check);
                l1.extend(&optional);
                let mut l2 = [
                    dob.as_slice(),
                    &[dob_cd, sex],
                    &doe,
                    &[doe_cd],
                    &nationality,
                    &opt2,
                ]
                .concat();
                let composite = [
                    l1.get(5..30).unwrap_or(&[]),
                    l2.get(0..7).unwrap_or(&[]),
                    l2.get(8..15).unwrap_or(&[]),
                    l2.get(18..29).unwrap_or(&[]),
                ]
                .concat();
                l2.push(check_digit(&composite).unwrap_or(b'<'));
                lines.extend([l1, l2, name]);
            }
            MrzFormat::Td2 | MrzFormat::Td3 => {
                if self.optional_data_2.is_some() {
                    return Err(Error::MrzEncode {
                        field: MrzField::OptionalData2,
                        problem: "only TD1 has a second optional data field",
                    });
                }
                let l1 = [doc_code.as_slice(), &state, &name].concat();
                let mut l2 = number_field.clone();
                l2.push(number_check);
                l2.extend(&nationality);
                l2.extend(&dob);
                l2.extend([dob_cd, sex]);
                l2.extend(&doe);
                l2.push(doe_cd);
                l2.extend(&optional);
                if f == MrzFormat::Td3 {
                    let personal = trim_fillers(&optional);
                    l2.push(if personal.is_empty() {
                        b'<'
                    } else {
                        check_digit(&optional).unwrap_or(b'<')
                    });
                }
                let len = l2.len();
                let composite = [
                    l2.get(0..10).unwrap_or(&[]),
                    l2.get(13..20).unwrap_or(&[]),
                    l2.get(21..len).unwrap_or(&[]),
                ]
                .concat();
                l2.push(check_digit(&composite).unwrap_or(b'<'));
                lines.extend([l1, l2]);
            }
        }
        let joined: Vec<String> = lines.iter().map(|l| text(l)).collect();
        Ok(joined.join("\n"))
    }

    /// The document number field, its check digit and the optional data
    /// (which a number longer than 9 characters overflows into, Doc 9303
    /// Part 5 §4.2.4).
    fn encode_number(&self) -> Result<(Vec<u8>, u8, Vec<u8>), Error> {
        let f = self.format;
        let number = field_chars(&self.document_number, MrzField::DocumentNumber)?;
        if number.is_empty() || number.last() == Some(&b'<') {
            return Err(Error::MrzEncode {
                field: MrzField::DocumentNumber,
                problem: "must be non-empty and must not end with '<'",
            });
        }
        let number_cd = check_digit(&number).unwrap_or(b'<');
        if number.len() <= 9 {
            let opt = pad(
                &self.optional_data,
                f.optional_len(),
                MrzField::OptionalData,
            )?;
            Ok((pad_bytes(&number, 9), number_cd, opt))
        } else {
            if f == MrzFormat::Td3 {
                return Err(Error::MrzEncode {
                    field: MrzField::DocumentNumber,
                    problem: "TD3 has no room for more than 9 characters",
                });
            }
            let (head, rest) = number.split_at(9);
            let mut opt = rest.to_vec();
            opt.push(number_cd);
            opt.push(b'<');
            opt.extend(field_chars(&self.optional_data, MrzField::OptionalData)?);
            if opt.len() > f.optional_len() {
                return Err(Error::MrzEncode {
                    field: MrzField::DocumentNumber,
                    problem: "too long for the optional data it overflows into",
                });
            }
            Ok((head.to_vec(), b'<', pad_bytes(&opt, f.optional_len())))
        }
    }

    /// The dates of birth and expiry (`YYMMDD`) with their check digits.
    fn encode_dates(&self) -> Result<([u8; 6], u8, [u8; 6], u8), Error> {
        let dob = self.date_of_birth.to_yymmdd();
        let doe = self.date_of_expiry.to_yymmdd();
        if self.date_of_expiry.month.is_none() || self.date_of_expiry.day.is_none() {
            return Err(Error::MrzEncode {
                field: MrzField::DateOfExpiry,
                problem: "month and day must be known",
            });
        }
        for (date, field) in [
            (&dob, MrzField::DateOfBirth),
            (&doe, MrzField::DateOfExpiry),
        ] {
            if MrzDate::from_yymmdd(date.as_slice()).is_none() {
                return Err(Error::MrzEncode {
                    field,
                    problem: "not a possible date",
                });
            }
        }
        let dob_cd = check_digit(&dob).unwrap_or(b'<');
        let doe_cd = check_digit(&doe).unwrap_or(b'<');
        Ok((dob, dob_cd, doe, doe_cd))
    }

    /// The key material of BAC and PACE with the MRZ as password: document
    /// number, date of birth and date of expiry, each with its check digit.
    pub fn access_key(&self) -> MrzKey {
        MrzKey::from_fields(
            self.document_number.as_bytes(),
            &self.date_of_birth.to_yymmdd(),
            &self.date_of_expiry.to_yymmdd(),
        )
    }
}

fn shape_error(raw: &[&[u8]]) -> Error {
    let lens: Vec<String> = raw.iter().map(|l| l.len().to_string()).collect();
    Error::MrzShape {
        found: match raw.len() {
            1 => format!("1 line of {} characters", lens.join("")),
            n => format!("{n} lines of {} characters", lens.join(", ")),
        },
    }
}

/// The MRZ characters of a field value: letters, digits, `<`, and spaces
/// written as `<`.
fn field_chars(value: &str, field: MrzField) -> Result<Vec<u8>, Error> {
    value
        .bytes()
        .map(|c| match c {
            b'A'..=b'Z' | b'0'..=b'9' | b'<' => Ok(c),
            b' ' => Ok(b'<'),
            _ => Err(Error::MrzEncode {
                field,
                problem: "only A-Z, 0-9, '<' and spaces fit",
            }),
        })
        .collect()
}

fn pad_bytes(b: &[u8], len: usize) -> Vec<u8> {
    let mut v = b.to_vec();
    v.resize(len.max(b.len()), b'<');
    v
}

fn pad(value: &str, len: usize, field: MrzField) -> Result<Vec<u8>, Error> {
    let b = field_chars(value, field)?;
    if b.len() > len {
        return Err(Error::MrzEncode {
            field,
            problem: "too long for its field",
        });
    }
    Ok(pad_bytes(&b, len))
}

fn encode_name(primary: &str, secondary: &str, len: usize) -> Result<Vec<u8>, Error> {
    let words = |s: &str| -> Result<Vec<u8>, Error> {
        if s.bytes().any(|c| !(c.is_ascii_uppercase() || c == b' ')) {
            return Err(Error::MrzEncode {
                field: MrzField::Name,
                problem: "names hold only A-Z and spaces",
            });
        }
        Ok(s.split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("<")
            .into_bytes())
    };
    let mut name = words(primary)?;
    let second = words(secondary)?;
    if !second.is_empty() {
        name.extend(b"<<");
        name.extend(second);
    }
    if name.len() > len {
        return Err(Error::MrzEncode {
            field: MrzField::Name,
            problem: "too long for its field",
        });
    }
    Ok(pad_bytes(&name, len))
}

fn parse_name(field: &[u8]) -> (String, String) {
    let words = |b: &[u8]| -> String {
        b.split(|&c| c == b'<')
            .filter(|w| !w.is_empty())
            .map(text)
            .collect::<Vec<_>>()
            .join(" ")
    };
    match field.windows(2).position(|w| w == b"<<") {
        Some(i) => (
            words(field.get(..i).unwrap_or(&[])),
            words(field.get(i + 2..).unwrap_or(&[])),
        ),
        None => (words(field), String::new()),
    }
}

/// A code field (document code, state, nationality) without trailing fillers.
fn code(line: &Line<'_>, pos: usize, len: usize, field: MrzField) -> Result<String, Error> {
    let raw = line.at(pos, len);
    let v = trim_fillers(raw);
    let ok = match field {
        MrzField::DocumentCode => v.first().is_some_and(u8::is_ascii_uppercase),
        _ => !v.is_empty() && v.iter().all(|&c| c.is_ascii_uppercase() || c == b'<'),
    };
    if !ok {
        return Err(Error::MrzField {
            field,
            line: line.number,
            position: pos_u8(pos),
            expected: match field {
                MrzField::DocumentCode => "a letter",
                _ => "a state code of letters",
            },
            found: text(raw),
        });
    }
    Ok(text(v))
}

fn date(line: &Line<'_>, pos: usize, field: MrzField) -> Result<MrzDate, Error> {
    let raw = line.at(pos, 6);
    let d = MrzDate::from_yymmdd(raw)
        .filter(|d| field == MrzField::DateOfBirth || (d.month.is_some() && d.day.is_some()));
    d.ok_or_else(|| Error::MrzField {
        field,
        line: line.number,
        position: pos_u8(pos),
        expected: if field == MrzField::DateOfBirth {
            "a date YYMMDD (MM and DD may be '<<')"
        } else {
            "a date YYMMDD"
        },
        found: text(raw),
    })
}

fn sex(line: &Line<'_>, pos: usize) -> Result<Sex, Error> {
    match line.char_at(pos) {
        b'M' => Ok(Sex::Male),
        b'F' => Ok(Sex::Female),
        b'X' | b'<' => Ok(Sex::Unspecified),
        c => Err(Error::MrzField {
            field: MrzField::Sex,
            line: line.number,
            position: pos_u8(pos),
            expected: "M, F, X or '<'",
            found: char::from(c).to_string(),
        }),
    }
}

/// Records a check-digit failure of `data` against the digit at `pos`.
fn check(failures: &mut Vec<Error>, data: &[u8], line: &Line<'_>, pos: usize, field: MrzField) {
    let found = line.char_at(pos);
    let expected = check_digit(data).unwrap_or(b'<');
    if found != expected {
        failures.push(Error::MrzCheckDigit {
            field,
            line: line.number,
            position: pos_u8(pos),
            expected: char::from(expected),
            found: char::from(found),
        });
    }
}

/// A document number as read from the zone.
struct DocumentNumber<'a> {
    /// The whole number, overflow included, fillers trimmed.
    number: Vec<u8>,
    /// The optional data left after any overflow.
    optional: &'a [u8],
    /// The check digit found, and its line and position.
    check: u8,
    check_line: u8,
    check_pos: usize,
}

/// Reads the document number at `pos` (9 characters then the check digit),
/// following an overflow into the optional-data field at `opt_pos`.
fn document_number<'a>(
    line: &Line<'a>,
    pos: usize,
    opt_line: &Line<'a>,
    opt_pos: usize,
    opt_len: usize,
) -> Result<DocumentNumber<'a>, Error> {
    let head = line.at(pos, 9);
    let cd = line.char_at(pos + 9);
    let optional = opt_line.at(opt_pos, opt_len);
    if cd != b'<' {
        return Ok(DocumentNumber {
            number: trim_fillers(head).to_vec(),
            optional,
            check: cd,
            check_line: line.number,
            check_pos: pos + 9,
        });
    }
    // Overflow: the rest of the number and its check digit, then a filler.
    let end = optional
        .iter()
        .position(|&c| c == b'<')
        .unwrap_or(optional.len());
    let overflow = optional.get(..end).unwrap_or(&[]);
    match overflow.split_last() {
        Some((&cd, rest)) if !rest.is_empty() && cd.is_ascii_digit() => {
            let mut number = head.to_vec();
            number.extend_from_slice(rest);
            Ok(DocumentNumber {
                number,
                optional: optional.get(end + 1..).unwrap_or(&[]),
                check: cd,
                check_line: opt_line.number,
                check_pos: opt_pos + end - 1,
            })
        }
        _ => Err(Error::MrzField {
            field: MrzField::DocumentNumber,
            line: opt_line.number,
            position: pos_u8(opt_pos),
            expected: "the rest of a long document number and its check digit \
                       (the check-digit position holds '<')",
            found: text(optional),
        }),
    }
}

fn parse_td1(l1: &Line<'_>, l2: &Line<'_>, l3: &Line<'_>) -> Result<(Mrz, Vec<Error>), Error> {
    let document_code = code(l1, 1, 2, MrzField::DocumentCode)?;
    let issuing_state = code(l1, 3, 3, MrzField::IssuingState)?;
    let DocumentNumber {
        number,
        optional,
        check: number_cd,
        check_line,
        check_pos,
    } = document_number(l1, 6, l1, 16, 15)?;
    let date_of_birth = date(l2, 1, MrzField::DateOfBirth)?;
    let sex = sex(l2, 8)?;
    let date_of_expiry = date(l2, 9, MrzField::DateOfExpiry)?;
    let nationality = code(l2, 16, 3, MrzField::Nationality)?;
    let (primary_identifier, secondary_identifier) = parse_name(l3.at(1, 30));

    let mut failures = Vec::new();
    check_number(&mut failures, &number, number_cd, check_line, check_pos);
    check(&mut failures, l2.at(1, 6), l2, 7, MrzField::DateOfBirth);
    check(&mut failures, l2.at(9, 6), l2, 15, MrzField::DateOfExpiry);
    let composite = [l1.at(6, 25), l2.at(1, 7), l2.at(9, 7), l2.at(19, 11)].concat();
    check(&mut failures, &composite, l2, 30, MrzField::Composite);

    let mrz = Mrz {
        format: MrzFormat::Td1,
        document_code,
        issuing_state,
        document_number: text(&number),
        optional_data: text(trim_fillers(optional)),
        optional_data_2: Some(text(trim_fillers(l2.at(19, 11)))),
        date_of_birth,
        sex,
        date_of_expiry,
        nationality,
        primary_identifier,
        secondary_identifier,
    };
    Ok((mrz, failures))
}

fn check_number(failures: &mut Vec<Error>, number: &[u8], found: u8, line: u8, pos: usize) {
    let expected = check_digit(number).unwrap_or(b'<');
    if found != expected {
        failures.push(Error::MrzCheckDigit {
            field: MrzField::DocumentNumber,
            line,
            position: pos_u8(pos),
            expected: char::from(expected),
            found: char::from(found),
        });
    }
}

fn parse_td2_td3(
    format: MrzFormat,
    l1: &Line<'_>,
    l2: &Line<'_>,
) -> Result<(Mrz, Vec<Error>), Error> {
    let document_code = code(l1, 1, 2, MrzField::DocumentCode)?;
    let issuing_state = code(l1, 3, 3, MrzField::IssuingState)?;
    let (primary_identifier, secondary_identifier) = parse_name(l1.at(6, format.name_len()));
    let opt_len = format.optional_len();
    let DocumentNumber {
        number,
        optional,
        check: number_cd,
        check_line,
        check_pos,
    } = if format == MrzFormat::Td3 {
        // TD3 has no overflow: a '<' check digit is simply wrong.
        DocumentNumber {
            number: trim_fillers(l2.at(1, 9)).to_vec(),
            optional: l2.at(29, opt_len),
            check: l2.char_at(10),
            check_line: l2.number,
            check_pos: 10,
        }
    } else {
        document_number(l2, 1, l2, 29, opt_len)?
    };
    let nationality = code(l2, 11, 3, MrzField::Nationality)?;
    let date_of_birth = date(l2, 14, MrzField::DateOfBirth)?;
    let sex = sex(l2, 21)?;
    let date_of_expiry = date(l2, 22, MrzField::DateOfExpiry)?;

    let mut failures = Vec::new();
    check_number(&mut failures, &number, number_cd, check_line, check_pos);
    check(&mut failures, l2.at(14, 6), l2, 20, MrzField::DateOfBirth);
    check(&mut failures, l2.at(22, 6), l2, 28, MrzField::DateOfExpiry);
    let len = format.line_len();
    if format == MrzFormat::Td3 {
        // Part 4 §4.2.2: over an all-filler personal number the digit may be '<' or '0'.
        let personal = l2.at(29, 14);
        let cd = l2.char_at(43);
        let empty_ok = trim_fillers(personal).is_empty() && matches!(cd, b'<' | b'0');
        if !empty_ok {
            check(&mut failures, personal, l2, 43, MrzField::OptionalData);
        }
    }
    let composite = [l2.at(1, 10), l2.at(14, 7), l2.at(22, len - 22)].concat();
    check(&mut failures, &composite, l2, len, MrzField::Composite);

    let mrz = Mrz {
        format,
        document_code,
        issuing_state,
        document_number: text(&number),
        optional_data: text(trim_fillers(optional)),
        optional_data_2: None,
        date_of_birth,
        sex,
        date_of_expiry,
        nationality,
        primary_identifier,
        secondary_identifier,
    };
    Ok((mrz, failures))
}

/// The MRZ information that keys BAC and PACE (Doc 9303 Part 11 §9.7.2):
/// document number (at least 9 characters, filled with `<`) and its check
/// digit, date of birth and its check digit, date of expiry and its check
/// digit.
///
/// It is a secret (it opens the chip): zeroized on drop and never printed.
#[derive(Clone)]
pub struct MrzKey {
    information: Zeroizing<Vec<u8>>,
}

impl MrzKey {
    /// The key from a document number and two `YYMMDD` dates as typed by a
    /// person (the number may be longer than 9 characters). Lower-case
    /// letters are taken as upper-case.
    pub fn new(
        document_number: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<MrzKey, Error> {
        let number: Zeroizing<Vec<u8>> = Zeroizing::new(
            document_number
                .trim()
                .bytes()
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        );
        if number.is_empty() || check_digit(&number).is_none() {
            return Err(Error::MrzField {
                field: MrzField::DocumentNumber,
                line: 0,
                position: 0,
                expected: "A-Z, 0-9 and '<'",
                found: String::from("(not shown: part of the access key)"),
            });
        }
        let dob = MrzDate::from_yymmdd(date_of_birth.trim().as_bytes()).ok_or(Error::MrzField {
            field: MrzField::DateOfBirth,
            line: 0,
            position: 0,
            expected: "a date YYMMDD",
            found: String::from("(not shown: part of the access key)"),
        })?;
        let doe = MrzDate::from_yymmdd(date_of_expiry.trim().as_bytes())
            .filter(|d| d.month.is_some() && d.day.is_some())
            .ok_or(Error::MrzField {
                field: MrzField::DateOfExpiry,
                line: 0,
                position: 0,
                expected: "a date YYMMDD",
                found: String::from("(not shown: part of the access key)"),
            })?;
        Ok(MrzKey::from_fields(
            &number,
            &dob.to_yymmdd(),
            &doe.to_yymmdd(),
        ))
    }

    fn from_fields(number: &[u8], dob: &[u8; 6], doe: &[u8; 6]) -> MrzKey {
        let mut info = Zeroizing::new(Vec::with_capacity(number.len().max(9) + 15));
        info.extend_from_slice(number);
        while info.len() < 9 {
            info.push(b'<');
        }
        info.push(check_digit(number).unwrap_or(b'<'));
        info.extend_from_slice(dob);
        info.push(check_digit(dob).unwrap_or(b'<'));
        info.extend_from_slice(doe);
        info.push(check_digit(doe).unwrap_or(b'<'));
        MrzKey { information: info }
    }

    /// The MRZ information string (ASCII).
    pub fn mrz_information(&self) -> &[u8] {
        &self.information
    }

    /// `K = SHA-1(MRZ information)`, the shared secret PACE derives `K_pi` from.
    #[cfg(feature = "chip")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chip")))]
    pub fn sha1(&self) -> Zeroizing<[u8; 20]> {
        Zeroizing::new(Sha1::digest(self.information.as_slice()).into())
    }

    /// `Kseed`: the first 16 bytes of SHA-1 over the MRZ information, the
    /// seed of the BAC keys (Doc 9303 Part 11 §9.7.2).
    #[cfg(feature = "chip")]
    #[cfg_attr(docsrs, doc(cfg(feature = "chip")))]
    pub fn key_seed(&self) -> Zeroizing<[u8; 16]> {
        let full = self.sha1();
        let mut seed = Zeroizing::new([0u8; 16]);
        seed.copy_from_slice(full.get(..16).unwrap_or(&[0; 16]));
        seed
    }
}

impl fmt::Debug for MrzKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MrzKey(<redacted>)")
    }
}

/// `"P<UTO...".parse::<Mrz>()`, the same as [`Mrz::parse`].
impl core::str::FromStr for Mrz {
    type Err = Error;

    fn from_str(s: &str) -> Result<Mrz, Error> {
        Mrz::parse(s)
    }
}

#[cfg(test)]
mod tests;
