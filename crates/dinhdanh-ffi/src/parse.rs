//! The parsers of the card's printed data and of the chip's holder files:
//! the CCCD's QR payload, an MRZ, DG1 and DG13, and their cross-check.

use std::borrow::Cow;

use cccd::dg13::{self, Dg13};
use cccd::qr::QrPayload;
use icao9303::lds::Dg1;
use icao9303::mrz::{Mrz, MrzDate};

use crate::DinhdanhError;

/// What the 12-digit ID number itself says (`id_info` of `qr parse`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdInfo {
    /// The three-digit province code of birth registration, e.g. `001`.
    pub province_code: String,
    /// The province's name, when the code is one of the 63.
    pub province_name: Option<String>,
    /// The century of birth the fourth digit gives, e.g. 1900.
    pub birth_century: u16,
    /// Digits five and six: the year of birth within its century.
    pub birth_year_2: String,
}

/// The CCCD's QR payload, with the fields and names of `dinhdanh qr
/// parse`'s JSON (docs/DESIGN.md §4). Text is NFC.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QrData {
    /// The 12-digit personal identification number.
    pub id_number: String,
    /// The old 9-digit CMND number, when present.
    pub old_id_number: Option<String>,
    /// The full name.
    pub full_name: String,
    /// Date of birth, YYYY-MM-DD.
    pub date_of_birth: String,
    /// `male` or `female`.
    pub sex: String,
    /// The permanent address.
    pub address: String,
    /// Issue date, YYYY-MM-DD.
    pub issue_date: String,
    /// Fields after the seventh (four on cards from 1 July 2024).
    pub extra_fields: Vec<String>,
    /// What the ID number says.
    pub id_info: IdInfo,
    /// Disagreements of the ID number with the date of birth or sex
    /// (warnings, not errors).
    pub warnings: Vec<String>,
}

/// Parses the QR payload's bytes (strict UTF-8; NFC out whatever the
/// form in; trailing CR/LF ignored).
#[uniffi::export]
pub fn parse_qr(payload: Vec<u8>) -> Result<QrData, DinhdanhError> {
    let qr = QrPayload::parse(&payload)?;
    let id = qr.id_number;
    Ok(QrData {
        id_number: id.as_str().to_owned(),
        old_id_number: qr.old_id_number.map(str::to_owned),
        full_name: qr.full_name.to_string(),
        date_of_birth: qr.date_of_birth.to_string(),
        sex: qr.sex.to_string(),
        address: qr.address.to_string(),
        issue_date: qr.issue_date.to_string(),
        extra_fields: qr.extra_fields.iter().map(|f| f.to_string()).collect(),
        id_info: IdInfo {
            province_code: format!("{:03}", id.province_code()),
            province_name: id.province().map(|p| p.name.to_owned()),
            birth_century: id.birth_century(),
            birth_year_2: format!("{:02}", id.birth_year_2()),
        },
        warnings: id
            .check_against(qr.date_of_birth, qr.sex)
            .iter()
            .map(ToString::to_string)
            .collect(),
    })
}

/// An MRZ's fields (a parsed zone, or DG1). Dates are as the zone writes
/// them, YYMMDD, `<<` for an unknown month or day.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MrzData {
    /// `TD1`, `TD2` or `TD3`.
    pub format: String,
    /// The document code, e.g. `P`, `ID`.
    pub document_code: String,
    /// The issuing state, e.g. `VNM`.
    pub issuing_state: String,
    /// The document number (overflow included).
    pub document_number: String,
    /// The optional data (a CCCD's holds the 12-digit ID).
    pub optional_data: String,
    /// Date of birth, YYMMDD.
    pub date_of_birth: String,
    /// `male`, `female` or `unspecified`.
    pub sex: String,
    /// Date of expiry, YYMMDD.
    pub date_of_expiry: String,
    /// Nationality.
    pub nationality: String,
    /// Primary identifier (surname).
    pub primary_identifier: String,
    /// Secondary identifier (given names).
    pub secondary_identifier: String,
}

fn yymmdd(d: MrzDate) -> String {
    String::from_utf8_lossy(&d.to_yymmdd()).into_owned()
}

impl From<&Mrz> for MrzData {
    fn from(m: &Mrz) -> MrzData {
        MrzData {
            format: m.format.name().to_owned(),
            document_code: m.document_code.clone(),
            issuing_state: m.issuing_state.clone(),
            document_number: m.document_number.clone(),
            optional_data: m.optional_data.clone(),
            date_of_birth: yymmdd(m.date_of_birth),
            sex: match m.sex {
                icao9303::mrz::Sex::Male => "male",
                icao9303::mrz::Sex::Female => "female",
                icao9303::mrz::Sex::Unspecified => "unspecified",
            }
            .to_owned(),
            date_of_expiry: yymmdd(m.date_of_expiry),
            nationality: m.nationality.clone(),
            primary_identifier: m.primary_identifier.clone(),
            secondary_identifier: m.secondary_identifier.clone(),
        }
    }
}

/// Parses a TD1, TD2 or TD3 zone (lines separated by newlines), every
/// check digit verified.
#[uniffi::export]
pub fn parse_mrz(text: String) -> Result<MrzData, DinhdanhError> {
    Ok(MrzData::from(&Mrz::parse(&text)?))
}

/// The CCCD fields of DG13 (each `None` when the card leaves it out).
/// Dates YYYY-MM-DD, text NFC.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Dg13Fields {
    /// 1: the ID number as written.
    pub id_number: Option<String>,
    /// 2: full name.
    pub full_name: Option<String>,
    /// 3: date of birth.
    pub date_of_birth: Option<String>,
    /// 4: `male` or `female`.
    pub sex: Option<String>,
    /// 5: nationality.
    pub nationality: Option<String>,
    /// 6: ethnicity.
    pub ethnicity: Option<String>,
    /// 7: religion.
    pub religion: Option<String>,
    /// 8: place of origin.
    pub place_of_origin: Option<String>,
    /// 9: place of residence.
    pub place_of_residence: Option<String>,
    /// 10: identifying marks.
    pub identifying_marks: Option<String>,
    /// 11: issue date.
    pub issue_date: Option<String>,
    /// 12: date of expiry (`None` also for a card without expiry).
    pub date_of_expiry: Option<String>,
    /// 12: the expiry as written ("Không thời hạn" when none).
    pub expiry_text: Option<String>,
    /// 13: father's name.
    pub father_name: Option<String>,
    /// 13: mother's name.
    pub mother_name: Option<String>,
    /// 14: spouse's name.
    pub spouse_name: Option<String>,
    /// 15: the old 9-digit ID.
    pub old_id_number: Option<String>,
}

fn text(c: &Option<Cow<'_, str>>) -> Option<String> {
    c.as_ref().map(|s| s.to_string())
}

impl From<&Dg13<'_>> for Dg13Fields {
    fn from(d: &Dg13<'_>) -> Dg13Fields {
        Dg13Fields {
            id_number: text(&d.id_number),
            full_name: text(&d.full_name),
            date_of_birth: d.date_of_birth.map(|x| x.to_string()),
            sex: d.sex.map(|s| s.to_string()),
            nationality: text(&d.nationality),
            ethnicity: text(&d.ethnicity),
            religion: text(&d.religion),
            place_of_origin: text(&d.place_of_origin),
            place_of_residence: text(&d.place_of_residence),
            identifying_marks: text(&d.identifying_marks),
            issue_date: d.issue_date.map(|x| x.to_string()),
            date_of_expiry: d.date_of_expiry.map(|x| x.to_string()),
            expiry_text: text(&d.expiry_text),
            father_name: text(&d.father_name),
            mother_name: text(&d.mother_name),
            spouse_name: text(&d.spouse_name),
            old_id_number: text(&d.old_id_number),
        }
    }
}

/// One disagreement between two sources: `field` is `id_number`,
/// `full_name`, `date_of_birth` or `sex`; sources `dg13`, `qr`, `mrz`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Mismatch {
    /// The field.
    pub field: String,
    /// The first source.
    pub left_source: String,
    /// What it says.
    pub left_value: String,
    /// The second source.
    pub right_source: String,
    /// What it says.
    pub right_value: String,
}

fn source_name(s: dg13::Source) -> String {
    s.code().to_owned()
}

fn field_name(f: dg13::Field) -> String {
    f.code().to_owned()
}

/// Compares DG13 with the QR payload and DG1's MRZ (each optional),
/// pairwise: the ID number, the name, the date of birth, the sex. Empty
/// when they agree.
#[uniffi::export(default(qr = None, dg1 = None))]
pub fn cross_check(
    dg13: Vec<u8>,
    qr: Option<Vec<u8>>,
    dg1: Option<Vec<u8>>,
) -> Result<Vec<Mismatch>, DinhdanhError> {
    let dg13 = Dg13::parse(&dg13)?;
    let qr = qr.as_deref().map(QrPayload::parse).transpose()?;
    let dg1 = dg1.as_deref().map(Dg1::parse).transpose()?;
    Ok(
        dg13::cross_check(&dg13, qr.as_ref(), dg1.as_ref().map(|d| &d.mrz))
            .into_iter()
            .map(|m| Mismatch {
                field: field_name(m.field),
                left_source: source_name(m.left.0),
                left_value: m.left.1,
                right_source: source_name(m.right.0),
                right_value: m.right.1,
            })
            .collect(),
    )
}
