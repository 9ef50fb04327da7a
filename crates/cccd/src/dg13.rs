//! DG13 of the CCCD chip (tag `6D`): the holder's personal data in
//! Vietnamese, which the ICAO data groups do not carry.
//!
//! The file holds records `30 { 02 01 n, value }` for n = 1 to 16 (see
//! [`RecordKind`]). It is parsed by walking the TLV, never by fixed
//! offsets: containers around the records (and a header before record 1)
//! are tolerated, records of unknown numbers are kept. Texts are
//! UTF8String or PrintableString and are normalised to NFC.
//!
//! [`cross_check`] compares the ID, name, date of birth and sex that DG13,
//! the QR code and DG1's MRZ claim, and lists every mismatch.
//!
//! ```
//! use cccd::dg13::Dg13;
//! use icao9303::tlv::{Node, Tag};
//!
//! let rec = |n: u8, v: &str| Node::constructed(Tag::new(0x30), vec![
//!     Node::primitive(Tag::new(0x02), vec![n]),
//!     Node::primitive(Tag::new(0x0C), v.as_bytes().to_vec()),
//! ]);
//! let file = Node::constructed(Tag::new(0x6D), vec![
//!     rec(1, "001099012345"), rec(2, "Nguyễn Văn An"), rec(3, "15/03/1999"), rec(4, "Nam"),
//! ]).encode();
//! let dg13 = Dg13::parse(&file)?;
//! assert_eq!(dg13.full_name.as_deref(), Some("Nguyễn Văn An"));
//! assert_eq!(dg13.date_of_birth.map(|d| d.year()), Some(1999));
//! assert_eq!(dg13.sex, Some(cccd::Sex::Male));
//! # Ok::<(), cccd::Error>(())
//! ```

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::borrow::Cow;

use core::fmt;

use icao9303::Date;
use icao9303::mrz::{Mrz, MrzDate};
use icao9303::tlv::{MAX_DEPTH, Tag, Tlv};
use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

use crate::qr::{QrData, QrPayload};
use crate::{Error, Sex};

/// What each record number holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RecordKind {
    /// 1: the 12-digit personal identification number.
    IdNumber,
    /// 2: full name (Họ và tên).
    FullName,
    /// 3: date of birth, `dd/mm/yyyy`.
    DateOfBirth,
    /// 4: sex, `Nam` or `Nữ`.
    Sex,
    /// 5: nationality (Quốc tịch).
    Nationality,
    /// 6: ethnicity (Dân tộc).
    Ethnicity,
    /// 7: religion (Tôn giáo).
    Religion,
    /// 8: place of origin (Quê quán).
    PlaceOfOrigin,
    /// 9: place of residence (Nơi thường trú).
    PlaceOfResidence,
    /// 10: identifying marks (Đặc điểm nhận dạng).
    IdentifyingMarks,
    /// 11: issue date, `dd/mm/yyyy`.
    IssueDate,
    /// 12: date of expiry, `dd/mm/yyyy` (or a text for no expiry).
    DateOfExpiry,
    /// 13: the parents' names, a nested sequence: father, then mother.
    Parents,
    /// 14: the spouse's name, possibly empty.
    Spouse,
    /// 15: the old 9-digit ID (CMND).
    OldIdNumber,
    /// 16: a field whose meaning is not public.
    Unidentified,
}

impl RecordKind {
    /// The kind of record number `n` (1 to 16).
    pub fn from_number(n: u64) -> Option<RecordKind> {
        const ALL: [RecordKind; 16] = [
            RecordKind::IdNumber,
            RecordKind::FullName,
            RecordKind::DateOfBirth,
            RecordKind::Sex,
            RecordKind::Nationality,
            RecordKind::Ethnicity,
            RecordKind::Religion,
            RecordKind::PlaceOfOrigin,
            RecordKind::PlaceOfResidence,
            RecordKind::IdentifyingMarks,
            RecordKind::IssueDate,
            RecordKind::DateOfExpiry,
            RecordKind::Parents,
            RecordKind::Spouse,
            RecordKind::OldIdNumber,
            RecordKind::Unidentified,
        ];
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        ALL.get(i).copied()
    }
}

/// One record `30 { 02 01 n, value... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Record<'a> {
    /// The record number.
    pub number: u64,
    /// What it holds, for numbers 1 to 16.
    pub kind: Option<RecordKind>,
    /// Offset of the record's SEQUENCE in the file.
    pub offset: usize,
    /// The text values after the number, depth first (nested sequences
    /// flattened), NFC. Empty for an empty record.
    pub texts: Vec<Cow<'a, str>>,
    /// The whole record as encoded.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
}

/// A parsed DG13.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg13<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// 1: the ID number as written.
    pub id_number: Option<Cow<'a, str>>,
    /// 2: full name, NFC.
    pub full_name: Option<Cow<'a, str>>,
    /// 3: date of birth.
    pub date_of_birth: Option<Date>,
    /// 4: sex.
    pub sex: Option<Sex>,
    /// 5: nationality.
    pub nationality: Option<Cow<'a, str>>,
    /// 6: ethnicity.
    pub ethnicity: Option<Cow<'a, str>>,
    /// 7: religion.
    pub religion: Option<Cow<'a, str>>,
    /// 8: place of origin.
    pub place_of_origin: Option<Cow<'a, str>>,
    /// 9: place of residence.
    pub place_of_residence: Option<Cow<'a, str>>,
    /// 10: identifying marks.
    pub identifying_marks: Option<Cow<'a, str>>,
    /// 11: issue date.
    pub issue_date: Option<Date>,
    /// 12: date of expiry; `None` also when the card does not expire (see
    /// [`Dg13::expiry_text`]).
    pub date_of_expiry: Option<Date>,
    /// 12: the expiry as written (a date, or a text such as "Không thời hạn").
    pub expiry_text: Option<Cow<'a, str>>,
    /// 13: father's name.
    pub father_name: Option<Cow<'a, str>>,
    /// 13: mother's name.
    pub mother_name: Option<Cow<'a, str>>,
    /// 14: spouse's name; `None` when the record is empty.
    pub spouse_name: Option<Cow<'a, str>>,
    /// 15: the old 9-digit ID.
    pub old_id_number: Option<Cow<'a, str>>,
    /// 16: the unidentified field's texts.
    pub unidentified: Vec<Cow<'a, str>>,
    /// Every record found, in file order (unknown numbers included).
    pub records: Vec<Record<'a>>,
}

fn dg13_err(offset: usize, expected: &'static str) -> Error {
    Error::Dg13 { offset, expected }
}

/// NFC text of a string value; `None` for a non-string tag.
fn string_value<'a>(tlv: &Tlv<'a>) -> Option<Cow<'a, str>> {
    let v = tlv.value();
    let text: Cow<'a, str> = match tlv.tag().raw() {
        // UTF8String
        0x0C => match core::str::from_utf8(v) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(String::from_utf8_lossy(v).into_owned()),
        },
        // PrintableString, IA5String, T61String, VisibleString: bytes as Latin-1.
        0x13 | 0x16 | 0x14 | 0x1A => match core::str::from_utf8(v) {
            Ok(s) if s.is_ascii() => Cow::Borrowed(s),
            _ => Cow::Owned(v.iter().map(|b| char::from(*b)).collect()),
        },
        _ => return None,
    };
    Some(nfc(text))
}

fn nfc(s: Cow<'_, str>) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// The record number when `seq` starts with a one-to-two byte
/// non-negative INTEGER.
fn leading_number(seq: &Tlv<'_>) -> Option<u64> {
    if seq.tag() != Tag::new(0x30) {
        return None;
    }
    let first = seq.children().next()?.ok()?;
    let v = first.value();
    if first.tag() != Tag::new(0x02) || v.is_empty() || v.len() > 2 || v.first()? & 0x80 != 0 {
        return None;
    }
    Some(v.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

fn collect_texts<'a>(
    tlv: &Tlv<'a>,
    depth: usize,
    out: &mut Vec<Cow<'a, str>>,
) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(dg13_err(tlv.offset(), "records nested at most 32 deep"));
    }
    if tlv.tag().is_constructed() {
        for child in tlv.children() {
            collect_texts(&child?, depth.saturating_add(1), out)?;
        }
    } else if let Some(s) = string_value(tlv)
        && !s.trim().is_empty()
    {
        out.push(s);
    }
    Ok(())
}

/// How many record-shaped SEQUENCEs lie below `tlv` (counting stops at 2).
fn records_below(tlv: &Tlv<'_>, depth: usize) -> usize {
    if depth > MAX_DEPTH || !tlv.tag().is_constructed() {
        return 0;
    }
    let mut n = 0usize;
    for child in tlv.children() {
        let Ok(child) = child else { break };
        if leading_number(&child).is_some() {
            n = n.saturating_add(1);
        } else {
            n = n.saturating_add(records_below(&child, depth.saturating_add(1)));
        }
        if n >= 2 {
            break;
        }
    }
    n
}

/// Walks `tlv` for records. A SEQUENCE starting with an INTEGER is a
/// record unless two or more record-shaped sequences lie below it (then it
/// is a container with a header, and is walked).
fn walk<'a>(tlv: &Tlv<'a>, depth: usize, records: &mut Vec<Record<'a>>) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Err(dg13_err(tlv.offset(), "records nested at most 32 deep"));
    }
    if !tlv.tag().is_constructed() {
        return Ok(());
    }
    let children = tlv.children().collect::<Result<Vec<_>, _>>()?;
    if let Some(number) = leading_number(tlv)
        && records_below(tlv, depth) < 2
    {
        let mut texts = Vec::new();
        for child in children.iter().skip(1) {
            collect_texts(child, depth.saturating_add(1), &mut texts)?;
        }
        records.push(Record {
            number,
            kind: RecordKind::from_number(number),
            offset: tlv.offset(),
            texts,
            raw: tlv.raw(),
        });
        return Ok(());
    }
    for child in &children {
        walk(child, depth.saturating_add(1), records)?;
    }
    Ok(())
}

/// `dd/mm/yyyy` (also `dd-mm-yyyy`, `dd.mm.yyyy` and `ddmmyyyy`).
pub fn parse_date(s: &str) -> Option<Date> {
    let digits: Vec<u8> = s.trim().bytes().filter(u8::is_ascii_digit).collect();
    let seps = s
        .trim()
        .bytes()
        .filter(|b| !b.is_ascii_digit())
        .all(|b| matches!(b, b'/' | b'-' | b'.'));
    if digits.len() != 8 || !seps {
        return None;
    }
    let num = |r: core::ops::Range<usize>| -> Option<u32> {
        digits
            .get(r)?
            .iter()
            .try_fold(0u32, |a, d| Some(a * 10 + u32::from(d - b'0')))
    };
    let day = u8::try_from(num(0..2)?).ok()?;
    let month = u8::try_from(num(2..4)?).ok()?;
    let year = u16::try_from(num(4..8)?).ok()?;
    Date::new(year, month, day)
}

/// `Nam` (male) or `Nữ` (female), any case, composed or decomposed.
pub fn parse_sex(s: &str) -> Option<Sex> {
    let n: String = s.trim().nfc().collect::<String>().to_lowercase();
    match n.as_str() {
        "nam" => Some(Sex::Male),
        "nữ" => Some(Sex::Female),
        _ => None,
    }
}

impl<'a> Dg13<'a> {
    /// Parses DG13: one TLV with tag `6D`, nothing after it.
    pub fn parse(raw: &'a [u8]) -> Result<Dg13<'a>, Error> {
        let top = Tlv::parse(raw)?;
        top.expect_tag(Tag::new(0x6D))?;
        let mut records = Vec::new();
        walk(&top, 0, &mut records)?;
        if !records.iter().any(|r| r.kind.is_some()) {
            return Err(dg13_err(
                top.value_offset(),
                "records 30 { 02 01 n, value } with n from 1 to 16",
            ));
        }
        let mut d = Dg13 {
            raw,
            ..Dg13::default()
        };
        for r in &records {
            let Some(kind) = r.kind else { continue };
            let first = r.texts.first().cloned();
            let date = |what: &'static str| -> Result<Option<Date>, Error> {
                match &first {
                    None => Ok(None),
                    Some(t) => parse_date(t)
                        .map(Some)
                        .ok_or_else(|| dg13_err(r.offset, what)),
                }
            };
            // The first record of each number wins; later ones stay in `records`.
            match kind {
                RecordKind::IdNumber if d.id_number.is_none() => d.id_number = first,
                RecordKind::FullName if d.full_name.is_none() => d.full_name = first,
                RecordKind::DateOfBirth if d.date_of_birth.is_none() => {
                    d.date_of_birth = date("a date of birth dd/mm/yyyy")?;
                }
                RecordKind::Sex if d.sex.is_none() => {
                    d.sex = match &first {
                        None => None,
                        Some(t) => {
                            Some(parse_sex(t).ok_or_else(|| dg13_err(r.offset, "sex Nam or Nữ"))?)
                        }
                    };
                }
                RecordKind::Nationality if d.nationality.is_none() => d.nationality = first,
                RecordKind::Ethnicity if d.ethnicity.is_none() => d.ethnicity = first,
                RecordKind::Religion if d.religion.is_none() => d.religion = first,
                RecordKind::PlaceOfOrigin if d.place_of_origin.is_none() => {
                    d.place_of_origin = first
                }
                RecordKind::PlaceOfResidence if d.place_of_residence.is_none() => {
                    d.place_of_residence = first;
                }
                RecordKind::IdentifyingMarks if d.identifying_marks.is_none() => {
                    d.identifying_marks = first;
                }
                RecordKind::IssueDate if d.issue_date.is_none() => {
                    d.issue_date = date("an issue date dd/mm/yyyy")?;
                }
                RecordKind::DateOfExpiry if d.expiry_text.is_none() => {
                    // A text that is no date means "no expiry".
                    d.date_of_expiry = first.as_deref().and_then(parse_date);
                    d.expiry_text = first;
                }
                RecordKind::Parents if d.father_name.is_none() && d.mother_name.is_none() => {
                    d.father_name = r.texts.first().cloned();
                    d.mother_name = r.texts.get(1).cloned();
                }
                RecordKind::Spouse if d.spouse_name.is_none() => d.spouse_name = first,
                RecordKind::OldIdNumber if d.old_id_number.is_none() => d.old_id_number = first,
                RecordKind::Unidentified if d.unidentified.is_empty() => {
                    d.unidentified = r.texts.clone()
                }
                _ => {}
            }
        }
        d.records = records;
        Ok(d)
    }

    /// The owned content, when every field [`Dg13Data`] requires is present
    /// (empty texts where a text record is missing).
    pub fn to_data(&self) -> Option<Dg13Data> {
        let t = |v: &Option<Cow<'a, str>>| v.as_deref().unwrap_or("").to_string();
        Some(Dg13Data {
            id_number: self.id_number.as_deref()?.to_string(),
            full_name: t(&self.full_name),
            date_of_birth: self.date_of_birth?,
            sex: self.sex?,
            nationality: t(&self.nationality),
            ethnicity: t(&self.ethnicity),
            religion: t(&self.religion),
            place_of_origin: t(&self.place_of_origin),
            place_of_residence: t(&self.place_of_residence),
            identifying_marks: t(&self.identifying_marks),
            issue_date: self.issue_date?,
            date_of_expiry: self.date_of_expiry,
            father_name: t(&self.father_name),
            mother_name: t(&self.mother_name),
            spouse_name: self.spouse_name.as_deref().map(str::to_string),
            old_id_number: self.old_id_number.as_deref().map(str::to_string),
        })
    }

    /// The record numbered `n`, if present.
    pub fn record(&self, n: u64) -> Option<&Record<'a>> {
        self.records.iter().find(|r| r.number == n)
    }

    /// The records whose numbers are not 1 to 16.
    pub fn unknown_records(&self) -> impl Iterator<Item = &Record<'a>> {
        self.records.iter().filter(|r| r.kind.is_none())
    }
}

/// The owned content of a DG13, for building one (the simulator's
/// personalisation, tests): [`Dg13Data::encode`] writes the records in
/// order, [`Dg13::to_data`] reads them back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dg13Data {
    /// 1: the 12-digit ID number.
    pub id_number: String,
    /// 2: full name.
    pub full_name: String,
    /// 3: date of birth.
    pub date_of_birth: Date,
    /// 4: sex.
    pub sex: Sex,
    /// 5: nationality.
    pub nationality: String,
    /// 6: ethnicity.
    pub ethnicity: String,
    /// 7: religion.
    pub religion: String,
    /// 8: place of origin.
    pub place_of_origin: String,
    /// 9: place of residence.
    pub place_of_residence: String,
    /// 10: identifying marks.
    pub identifying_marks: String,
    /// 11: issue date.
    pub issue_date: Date,
    /// 12: date of expiry; `None` writes "Không thời hạn" (no expiry).
    pub date_of_expiry: Option<Date>,
    /// 13: father's name.
    pub father_name: String,
    /// 13: mother's name.
    pub mother_name: String,
    /// 14: spouse's name; `None` writes an empty record.
    pub spouse_name: Option<String>,
    /// 15: the old 9-digit ID; `None` writes an empty record.
    pub old_id_number: Option<String>,
}

/// What record 12 says on a card without expiry.
pub const NO_EXPIRY_TEXT: &str = "Không thời hạn";

fn show_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

impl Dg13Data {
    /// The DG13 file: `6D { 30 { 02 01 n, 0C value }... }`, the ID as a
    /// PrintableString, the parents as a nested sequence, record 16 empty.
    pub fn encode(&self) -> Vec<u8> {
        use icao9303::tlv::Node;
        let utf8 = |s: &str| Node::primitive(Tag::new(0x0C), s.as_bytes().to_vec());
        let rec = |n: u8, values: Vec<Node>| {
            let mut kids = vec![Node::primitive(Tag::new(0x02), vec![n])];
            kids.extend(values);
            Node::constructed(Tag::new(0x30), kids)
        };
        let opt = |v: &Option<String>| v.as_deref().map(utf8).into_iter().collect::<Vec<_>>();
        let records = vec![
            rec(
                1,
                vec![Node::primitive(
                    Tag::new(0x13),
                    self.id_number.as_bytes().to_vec(),
                )],
            ),
            rec(2, vec![utf8(&self.full_name)]),
            rec(3, vec![utf8(&show_date(self.date_of_birth))]),
            rec(
                4,
                vec![utf8(match self.sex {
                    Sex::Male => "Nam",
                    Sex::Female => "Nữ",
                })],
            ),
            rec(5, vec![utf8(&self.nationality)]),
            rec(6, vec![utf8(&self.ethnicity)]),
            rec(7, vec![utf8(&self.religion)]),
            rec(8, vec![utf8(&self.place_of_origin)]),
            rec(9, vec![utf8(&self.place_of_residence)]),
            rec(10, vec![utf8(&self.identifying_marks)]),
            rec(11, vec![utf8(&show_date(self.issue_date))]),
            rec(
                12,
                vec![utf8(
                    &self
                        .date_of_expiry
                        .map_or_else(|| NO_EXPIRY_TEXT.to_string(), show_date),
                )],
            ),
            rec(
                13,
                vec![
                    Node::constructed(Tag::new(0x30), vec![utf8(&self.father_name)]),
                    Node::constructed(Tag::new(0x30), vec![utf8(&self.mother_name)]),
                ],
            ),
            rec(14, opt(&self.spouse_name)),
            rec(15, opt(&self.old_id_number)),
            rec(16, vec![]),
        ];
        Node::constructed(Tag::new(0x6D), records).encode()
    }
}

/// Where a claim comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Source {
    /// The chip's DG13.
    Dg13,
    /// The QR code on the card front.
    Qr,
    /// The MRZ (DG1, or the card back).
    Mrz,
}

/// The fields compared by [`cross_check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Field {
    /// The 12-digit ID number.
    IdNumber,
    /// The full name (compared without diacritics against the MRZ).
    FullName,
    /// The date of birth (two-digit year against the MRZ).
    DateOfBirth,
    /// The sex.
    Sex,
}

// Labels: Vietnamese, then English, as the card itself prints them
// ("Họ và tên / Full name"), so a message reads to the citizen and to the
// operator alike.
impl Source {
    /// The stable code, as serde writes it: `dg13`, `qr`, `mrz`.
    pub fn code(self) -> &'static str {
        match self {
            Source::Dg13 => "dg13",
            Source::Qr => "qr",
            Source::Mrz => "mrz",
        }
    }

    /// The Vietnamese label.
    pub fn vi(self) -> &'static str {
        match self {
            Source::Dg13 => "chip (DG13)",
            Source::Qr => "mã QR",
            Source::Mrz => "vùng đọc máy (MRZ)",
        }
    }

    /// The English label.
    pub fn en(self) -> &'static str {
        match self {
            Source::Dg13 => "chip (DG13)",
            Source::Qr => "QR code",
            Source::Mrz => "machine readable zone (MRZ)",
        }
    }
}

impl fmt::Display for Source {
    /// `vi / en`, e.g. `mã QR / QR code`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.vi(), self.en())
    }
}

impl Field {
    /// The stable code, as serde writes it: `id_number`, `full_name`,
    /// `date_of_birth`, `sex`.
    pub fn code(self) -> &'static str {
        match self {
            Field::IdNumber => "id_number",
            Field::FullName => "full_name",
            Field::DateOfBirth => "date_of_birth",
            Field::Sex => "sex",
        }
    }

    /// The Vietnamese label, as on the card.
    pub fn vi(self) -> &'static str {
        match self {
            Field::IdNumber => "Số định danh cá nhân",
            Field::FullName => "Họ và tên",
            Field::DateOfBirth => "Ngày sinh",
            Field::Sex => "Giới tính",
        }
    }

    /// The English label, as on the card.
    pub fn en(self) -> &'static str {
        match self {
            Field::IdNumber => "Personal identification number",
            Field::FullName => "Full name",
            Field::DateOfBirth => "Date of birth",
            Field::Sex => "Sex",
        }
    }
}

impl fmt::Display for Field {
    /// `vi / en`, e.g. `Họ và tên / Full name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.vi(), self.en())
    }
}

/// One disagreement between two sources.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Mismatch {
    /// The field.
    pub field: Field,
    /// The first source and what it says.
    pub left: (Source, String),
    /// The second source and what it says.
    pub right: (Source, String),
}

impl Mismatch {
    /// In Vietnamese: `Họ và tên không khớp: chip (DG13) "A", mã QR "B"`.
    pub fn vi(&self) -> String {
        format!(
            "{} không khớp: {} \"{}\", {} \"{}\"",
            self.field.vi(),
            self.left.0.vi(),
            self.left.1,
            self.right.0.vi(),
            self.right.1
        )
    }

    /// In English: `Full name differs: chip (DG13) "A", QR code "B"`.
    pub fn en(&self) -> String {
        format!(
            "{} differs: {} \"{}\", {} \"{}\"",
            self.field.en(),
            self.left.0.en(),
            self.left.1,
            self.right.0.en(),
            self.right.1
        )
    }
}

impl fmt::Display for Mismatch {
    /// The Vietnamese message, ` / `, the English one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.vi(), self.en())
    }
}

/// A date as a source writes it: complete, or with a two-digit year (MRZ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClaimDate {
    Full(Date),
    Mrz(MrzDate),
}

impl ClaimDate {
    fn mrz(self) -> MrzDate {
        match self {
            ClaimDate::Full(d) => MrzDate::from_date(d),
            ClaimDate::Mrz(m) => m,
        }
    }

    fn show(self) -> String {
        match self {
            ClaimDate::Full(d) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            ClaimDate::Mrz(m) => m.to_string(),
        }
    }
}

/// What one source says about the holder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Claims {
    source: Source,
    id_number: Option<String>,
    full_name: Option<String>,
    date_of_birth: Option<ClaimDate>,
    sex: Option<Sex>,
}

fn dg13_claims(d: &Dg13<'_>) -> Claims {
    Claims {
        source: Source::Dg13,
        id_number: d.id_number.as_deref().map(|s| s.trim().to_string()),
        full_name: d.full_name.as_deref().map(str::to_string),
        date_of_birth: d.date_of_birth.map(ClaimDate::Full),
        sex: d.sex,
    }
}

fn qr_claims(id: &str, name: &str, dob: Date, sex: Sex) -> Claims {
    Claims {
        source: Source::Qr,
        id_number: Some(id.to_string()),
        full_name: Some(name.to_string()),
        date_of_birth: Some(ClaimDate::Full(dob)),
        sex: Some(sex),
    }
}

fn mrz_claims(m: &Mrz) -> Claims {
    // A CCCD MRZ carries the 12-digit ID at the start of the optional data.
    let id = m
        .optional_data
        .get(..12)
        .filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    let name = [
        m.primary_identifier.as_str(),
        m.secondary_identifier.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    Claims {
        source: Source::Mrz,
        id_number: id.map(str::to_string),
        full_name: (!name.is_empty()).then_some(name),
        date_of_birth: Some(ClaimDate::Mrz(m.date_of_birth)),
        sex: match m.sex {
            icao9303::mrz::Sex::Male => Some(Sex::Male),
            icao9303::mrz::Sex::Female => Some(Sex::Female),
            icao9303::mrz::Sex::Unspecified => None,
        },
    }
}

/// Names equal after NFC and white-space folding; against the MRZ, the
/// name without diacritics (upper case), allowing the MRZ's truncation of
/// a name longer than its field.
fn names_agree(a: &Claims, an: &str, b: &Claims, bn: &str) -> bool {
    let fold = |s: &str| {
        s.nfc()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    if a.source != Source::Mrz && b.source != Source::Mrz {
        return fold(an) == fold(bn);
    }
    let (full, mrz) = if a.source == Source::Mrz {
        (bn, an)
    } else {
        (an, bn)
    };
    let ascii = crate::ascii_name::ascii_name(full);
    let mrz = mrz.split_whitespace().collect::<Vec<_>>().join(" ");
    // A TD1 name field holds 30 characters; a longer name is cut.
    ascii == mrz || (mrz.len() >= 28 && ascii.starts_with(&mrz))
}

fn compare(a: &Claims, b: &Claims, out: &mut Vec<Mismatch>) {
    let mut push = |field, l: String, r: String| {
        out.push(Mismatch {
            field,
            left: (a.source, l),
            right: (b.source, r),
        });
    };
    if let (Some(x), Some(y)) = (&a.id_number, &b.id_number)
        && x != y
    {
        push(Field::IdNumber, x.clone(), y.clone());
    }
    if let (Some(x), Some(y)) = (&a.full_name, &b.full_name)
        && !names_agree(a, x, b, y)
    {
        push(Field::FullName, x.clone(), y.clone());
    }
    if let (Some(x), Some(y)) = (a.date_of_birth, b.date_of_birth) {
        let same = match (x, y) {
            (ClaimDate::Full(p), ClaimDate::Full(q)) => p == q,
            _ => x.mrz() == y.mrz(),
        };
        if !same {
            push(Field::DateOfBirth, x.show(), y.show());
        }
    }
    if let (Some(x), Some(y)) = (a.sex, b.sex)
        && x != y
    {
        push(Field::Sex, x.to_string(), y.to_string());
    }
}

fn check_all(claims: &[Claims]) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (i, a) in claims.iter().enumerate() {
        for b in claims.iter().skip(i.saturating_add(1)) {
            compare(a, b, &mut out);
        }
    }
    out
}

/// Compares DG13 with the QR payload and the MRZ (each optional): the ID
/// number, the full name, the date of birth and the sex, pairwise
/// (DG13-QR, DG13-MRZ, QR-MRZ). Empty when everything agrees; a field
/// missing from a source is not a mismatch.
pub fn cross_check(
    dg13: &Dg13<'_>,
    qr: Option<&QrPayload<'_>>,
    mrz: Option<&Mrz>,
) -> Vec<Mismatch> {
    let mut claims = vec![dg13_claims(dg13)];
    if let Some(q) = qr {
        claims.push(qr_claims(
            q.id_number.as_str(),
            &q.full_name,
            q.date_of_birth,
            q.sex,
        ));
    }
    if let Some(m) = mrz {
        claims.push(mrz_claims(m));
    }
    check_all(&claims)
}

/// [`cross_check`] with the owned QR data.
pub fn cross_check_data(dg13: &Dg13<'_>, qr: Option<&QrData>, mrz: Option<&Mrz>) -> Vec<Mismatch> {
    let mut claims = vec![dg13_claims(dg13)];
    if let Some(q) = qr {
        claims.push(qr_claims(
            q.id_number.as_str(),
            &q.full_name,
            q.date_of_birth,
            q.sex,
        ));
    }
    if let Some(m) = mrz {
        claims.push(mrz_claims(m));
    }
    check_all(&claims)
}
