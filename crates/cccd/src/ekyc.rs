//! One call for an eKYC back end (feature `ekyc`): the files a phone read
//! from a CCCD's chip, the card's QR payload, a trust store and a time in;
//! one structured verdict out.
//!
//! A bank, a telecom or a fintech receives from its app the chip's files
//! (DG1, DG2, DG13, EF.SOD; maybe DG14, DG15, EF.CardSecurity) and the QR
//! string. [`verify`] runs, and reports in one [`EkycVerdict`]:
//!
//! 1. passive authentication (`icao9303::pa`) over the files supplied:
//!    EF.SOD's signature, its Document Signer's chain to a trusted CSCA, the
//!    hash of each data group. Groups EF.SOD lists but the app did not
//!    upload are reported ([`EkycReport::not_supplied`]), not fatal,
//!    unless the caller requires them ([`EkycOptions::required`]: DG1, DG2
//!    and DG13 by default); EF.CardSecurity, when given, passes it too;
//! 2. DG13 against the QR code and DG1's MRZ ([`crate::dg13::cross_check`]:
//!    ID number, full name, date of birth, sex), and DG13's issue date
//!    against the QR's (a QR code of another card of the same person);
//! 3. the ID number's warnings (province, century and sex digit, year:
//!    warnings, not failures; registries hold numbers issued with mistakes);
//! 4. the holder's data (DG13), the MRZ, and the face image (DG2), borrowed
//!    from the files.
//!
//! [`EkycReport::genuine`] says the files are what the issuing State
//! signed, [`EkycReport::consistent`] that they agree with each other and
//! with the QR code; [`EkycReport::reasons`] lists every failure, typed.
//! Passive authentication proves the data, not the chip: a copy of genuine
//! files passes. Chip Authentication and Active Authentication need the
//! chip itself, so the app runs them while reading (`icao9303::reader`).
//!
//! ```
//! use cccd::ekyc::{ChipFiles, EkycOptions, verify};
//! use icao9303::lds::DataGroup;
//! use icao9303::pa::{DateTime, TrustStore};
//!
//! // What the app uploaded (here: nothing usable) and the bank's CSCAs.
//! let (sod, dg1, dg2, dg13) = (vec![0x77, 0x00], vec![], vec![], vec![]);
//! let files = ChipFiles::new(&sod)
//!     .with(DataGroup::Dg1, &dg1)
//!     .with(DataGroup::Dg2, &dg2)
//!     .with(DataGroup::Dg13, &dg13);
//! let now = DateTime::new(2026, 1, 1, 0, 0, 0).unwrap();
//! let verdict = verify(&files, None, &TrustStore::new(), &EkycOptions::at(now));
//! assert!(!verdict.genuine && !verdict.consistent);
//! for reason in &verdict.reasons {
//!     println!("{reason}");
//! }
//! ```

use core::fmt;

use icao9303::Date;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::{DataGroup, Dg1, Dg2};
use icao9303::pa::{self, CardSecurityVerdict, Certificate, DateTime, TrustStore, Verdict};

use crate::dg13::{Dg13, Dg13Data, Mismatch, cross_check};
use crate::id_number::{IdNumber, IdWarning};
use crate::mrz::CccdMrz;
use crate::qr::QrPayload;

/// The files as the chip gave them (raw bytes, tag included).
#[derive(Debug, Clone, Default)]
pub struct ChipFiles<'a> {
    /// EF.SOD (tag `77`).
    pub sod: &'a [u8],
    /// The data groups supplied, any of DG1 to DG16.
    pub data_groups: Vec<(DataGroup, &'a [u8])>,
    /// EF.CardSecurity, when the chip was read with PACE-CAM.
    pub card_security: Option<&'a [u8]>,
}

impl<'a> ChipFiles<'a> {
    /// EF.SOD and no data group yet.
    pub fn new(sod: &'a [u8]) -> ChipFiles<'a> {
        ChipFiles {
            sod,
            data_groups: Vec::new(),
            card_security: None,
        }
    }

    /// With data group `dg`'s bytes.
    pub fn with(mut self, dg: DataGroup, bytes: &'a [u8]) -> ChipFiles<'a> {
        self.data_groups.push((dg, bytes));
        self
    }

    /// With EF.CardSecurity.
    pub fn with_card_security(mut self, bytes: &'a [u8]) -> ChipFiles<'a> {
        self.card_security = Some(bytes);
        self
    }

    /// The bytes of data group `dg`, when supplied.
    pub fn get(&self, dg: DataGroup) -> Option<&'a [u8]> {
        self.data_groups
            .iter()
            .find(|(d, _)| *d == dg)
            .map(|(_, b)| *b)
    }
}

/// What to check against.
#[derive(Debug, Clone)]
pub struct EkycOptions {
    /// The time certificates are checked at.
    pub now: DateTime,
    /// The data groups that must be supplied (and listed in EF.SOD); every
    /// other group EF.SOD lists may be left out.
    pub required: Vec<DataGroup>,
    /// Document Signer certificates for an EF.SOD that carries none.
    pub document_signers: Vec<Certificate>,
}

impl EkycOptions {
    /// At `now`, DG1, DG2 and DG13 required.
    pub fn at(now: DateTime) -> EkycOptions {
        EkycOptions {
            now,
            required: vec![DataGroup::Dg1, DataGroup::Dg2, DataGroup::Dg13],
            document_signers: Vec::new(),
        }
    }
}

/// The face image of DG2, borrowed from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Face<'a> {
    /// JPEG, JPEG 2000...
    pub format: ImageFormat,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// The image bytes (serialised as their length).
    #[cfg_attr(
        feature = "serde",
        serde(rename = "data_length", serialize_with = "serialize_len")
    )]
    pub data: &'a [u8],
}

#[cfg(feature = "serde")]
fn serialize_len<S: serde::Serializer>(data: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(data.len()).unwrap_or(u64::MAX))
}

/// Why a verdict is not genuine or not consistent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// A data group the caller requires was not supplied.
    RequiredMissing {
        /// Its number.
        data_group: u8,
    },
    /// A data group is not what EF.SOD signs: it was altered.
    HashMismatch {
        /// Its number.
        data_group: u8,
    },
    /// Another check of passive authentication failed, as
    /// `icao9303::pa::Verdict::failures` names it (`chain`, `signature`,
    /// `dg3`...).
    PassiveAuthentication {
        /// The check.
        check: String,
        /// Its code (`unknown-csca`, `bad-signature`, `not-listed`...).
        code: String,
        /// What was found.
        reason: String,
    },
    /// EF.CardSecurity was supplied and failed passive authentication.
    CardSecurity {
        /// The checks that failed.
        summary: String,
    },
    /// A file does not parse, or does not hold what a CCCD writes there.
    Malformed {
        /// `DG1`, `DG2`, `DG13`.
        file: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// Two sources disagree on the holder.
    Mismatch(Mismatch),
    /// DG13's issue date is not the QR code's: the QR of another card.
    IssueDate {
        /// What DG13 says.
        dg13: Date,
        /// What the QR code says.
        qr: Date,
    },
}

impl Reason {
    /// Whether it is about the files' authenticity (else about their
    /// consistency).
    pub fn is_about_authenticity(&self) -> bool {
        matches!(
            self,
            Reason::RequiredMissing { .. }
                | Reason::HashMismatch { .. }
                | Reason::PassiveAuthentication { .. }
                | Reason::CardSecurity { .. }
        )
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::RequiredMissing { data_group } => {
                write!(f, "DG{data_group} is required but was not supplied")
            }
            Reason::HashMismatch { data_group } => write!(
                f,
                "DG{data_group} differs from what EF.SOD signs: it was altered"
            ),
            Reason::PassiveAuthentication {
                check,
                code,
                reason,
            } => write!(f, "passive authentication: {check} ({code}): {reason}"),
            Reason::CardSecurity { summary } => write!(f, "EF.CardSecurity: {summary}"),
            Reason::Malformed { file, problem } => write!(f, "{file}: {problem}"),
            Reason::Mismatch(m) => m.fmt(f),
            Reason::IssueDate { dg13, qr } => write!(
                f,
                "Ngày cấp không khớp: chip (DG13) {dg13}, mã QR {qr} / \
                 Issue date differs: chip (DG13) {dg13}, QR code {qr}"
            ),
        }
    }
}

/// The verdict on one uploaded card, made only by [`verify`].
///
/// Read-only, as [`icao9303::pa::Verdict`] is: its checks are read through
/// [`EkycReport`] (`verdict.ok`, `verdict.reasons`), serialised as one
/// (feature `serde`), and cannot be set, so code handed an `EkycVerdict`
/// knows [`verify`] made it and nobody changed `ok` afterwards:
///
/// ```compile_fail,E0594
/// fn forge(v: &mut cccd::ekyc::EkycVerdict<'_>) {
///     v.ok = true;
/// }
/// ```
///
/// ```compile_fail,E0451
/// fn forge(report: cccd::ekyc::EkycReport<'_>) -> cccd::ekyc::EkycVerdict<'_> {
///     cccd::ekyc::EkycVerdict { report }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[must_use = "a verdict unread checks nothing"]
pub struct EkycVerdict<'a> {
    report: EkycReport<'a>,
}

impl<'a> core::ops::Deref for EkycVerdict<'a> {
    type Target = EkycReport<'a>;
    fn deref(&self) -> &EkycReport<'a> {
        &self.report
    }
}

impl<'a> EkycVerdict<'a> {
    /// The checks as plain data.
    pub fn report(&self) -> &EkycReport<'a> {
        &self.report
    }

    /// The checks as plain data, owned (to move a part out, store or
    /// change them: a report proves nothing).
    pub fn into_report(self) -> EkycReport<'a> {
        self.report
    }
}

impl<'a> From<EkycVerdict<'a>> for EkycReport<'a> {
    fn from(v: EkycVerdict<'a>) -> EkycReport<'a> {
        v.report
    }
}

/// What [`EkycVerdict`] found, as plain data: read through the verdict,
/// or owned with [`EkycVerdict::into_report`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct EkycReport<'a> {
    /// Genuine and consistent: the files may be believed and belong
    /// together with the QR code.
    pub ok: bool,
    /// Passive authentication passed with every required group (and
    /// EF.CardSecurity's, when supplied).
    pub genuine: bool,
    /// The files parse as a CCCD's, and DG13, the QR code and DG1 agree.
    pub consistent: bool,
    /// Every failure, authenticity first.
    pub reasons: Vec<Reason>,
    /// Passive authentication, every check.
    pub passive_authentication: Verdict,
    /// EF.CardSecurity's passive authentication, when supplied.
    pub card_security: Option<CardSecurityVerdict>,
    /// The groups required.
    pub required: Vec<u8>,
    /// Groups EF.SOD lists that were not supplied and not required:
    /// reported, not a failure.
    pub not_supplied: Vec<u64>,
    /// The ID number (DG13's, else DG1's, else the QR code's).
    pub id_number: Option<IdNumber>,
    /// What in the ID number disagrees with the date of birth, the sex or
    /// the province table: warnings.
    pub id_warnings: Vec<IdWarning>,
    /// DG13's content, when it has every record.
    pub holder: Option<Dg13Data>,
    /// DG1's MRZ, when it has the CCCD layout.
    pub mrz: Option<CccdMrz>,
    /// DG2's face image.
    pub face: Option<Face<'a>>,
    /// Whether a QR payload was compared.
    pub qr_compared: bool,
}

/// Passive authentication with the required groups required and every
/// other one optional; the reasons it gives.
fn authenticate(
    files: &ChipFiles<'_>,
    store: &TrustStore,
    options: &EkycOptions,
    reasons: &mut Vec<Reason>,
) -> (Verdict, Vec<u64>) {
    let mut pa_options = pa::VerifyOptions::at(options.now);
    pa_options.document_signers = options.document_signers.clone();
    pa_options.optional_data_groups = (1..=16u8)
        .filter_map(DataGroup::from_number)
        .filter(|d| !options.required.contains(d))
        .collect();
    let verdict = pa::verify(files.sod, &files.data_groups, store, &pa_options);
    let required = |n: u64| options.required.iter().any(|d| u64::from(d.number()) == n);
    // Required groups neither supplied nor listed: passive authentication
    // cannot see them missing.
    for dg in &options.required {
        let n = u64::from(dg.number());
        if files.get(*dg).is_none() && !verdict.missing_data_groups.contains(&n) {
            reasons.push(Reason::RequiredMissing {
                data_group: dg.number(),
            });
        }
    }
    for (name, check) in verdict.failures() {
        let group = verdict
            .data_groups
            .iter()
            .find(|d| format!("dg{}", d.number) == name);
        let reason = match group.map(|d| (d.number, d.supplied, check.code.as_str())) {
            Some((n, _, "hash-mismatch")) => Reason::HashMismatch {
                data_group: u8::try_from(n).unwrap_or(u8::MAX),
            },
            Some((n, false, _)) if required(n) => Reason::RequiredMissing {
                data_group: u8::try_from(n).unwrap_or(u8::MAX),
            },
            _ => Reason::PassiveAuthentication {
                check: name,
                code: check.code.clone(),
                reason: check.reason.clone(),
            },
        };
        reasons.push(reason);
    }
    if !verdict.is_valid() && !reasons.iter().any(Reason::is_about_authenticity) {
        reasons.push(Reason::PassiveAuthentication {
            check: "data_groups".to_owned(),
            code: "none-checked".to_owned(),
            reason: "no data group was checked".to_owned(),
        });
    }
    let not_supplied = verdict
        .missing_data_groups
        .iter()
        .copied()
        .filter(|&n| !required(n))
        .collect();
    (verdict, not_supplied)
}

/// What the files say, parsed: the reasons a file gives go to `reasons`.
struct Parsed<'a> {
    dg13: Option<Dg13<'a>>,
    holder: Option<Dg13Data>,
    mrz: Option<CccdMrz>,
    face: Option<Face<'a>>,
}

fn malformed(file: &'static str, problem: impl fmt::Display) -> Reason {
    Reason::Malformed {
        file,
        problem: problem.to_string(),
    }
}

fn parse_files<'a>(files: &ChipFiles<'a>, reasons: &mut Vec<Reason>) -> Parsed<'a> {
    let mut p = Parsed {
        dg13: None,
        holder: None,
        mrz: None,
        face: None,
    };
    if let Some(raw) = files.get(DataGroup::Dg13) {
        match Dg13::parse(raw) {
            Ok(d) => {
                p.holder = d.to_data();
                if p.holder.is_none() {
                    reasons.push(malformed("DG13", "a record a CCCD writes is missing"));
                }
                p.dg13 = Some(d);
            }
            Err(e) => reasons.push(malformed("DG13", e)),
        }
    }
    if let Some(raw) = files.get(DataGroup::Dg1) {
        match Dg1::parse(raw) {
            Ok(dg1) => match CccdMrz::from_mrz(dg1.mrz) {
                Ok(m) => p.mrz = Some(m),
                Err(e) => reasons.push(malformed("DG1", format!("not a CCCD's MRZ: {e}"))),
            },
            Err(e) => reasons.push(malformed("DG1", e)),
        }
    }
    if let Some(raw) = files.get(DataGroup::Dg2) {
        match Dg2::parse(raw) {
            Ok(dg2) => match dg2.face_image() {
                Some(face) => {
                    p.face = Some(Face {
                        format: face.format,
                        width: face.width,
                        height: face.height,
                        data: face.data,
                    });
                }
                None => reasons.push(malformed("DG2", "holds no face image")),
            },
            Err(e) => reasons.push(malformed("DG2", e)),
        }
    }
    p
}

/// The ID number and its warnings, from the first source that has it:
/// DG13, DG1, the QR code.
fn id_and_warnings(
    p: &Parsed<'_>,
    qr: Option<&QrPayload<'_>>,
) -> (Option<IdNumber>, Vec<IdWarning>) {
    let from_dg13 = p.holder.as_ref().and_then(|h| {
        let id = IdNumber::parse(h.id_number.trim()).ok()?;
        Some((id, h.date_of_birth, h.sex))
    });
    let from_mrz = p.mrz.as_ref().and_then(|m| {
        let dob = m
            .mrz
            .date_of_birth
            .in_century(m.id_number.birth_century())?;
        let sex = match m.mrz.sex {
            icao9303::mrz::Sex::Male => crate::Sex::Male,
            icao9303::mrz::Sex::Female => crate::Sex::Female,
            icao9303::mrz::Sex::Unspecified => return None,
        };
        Some((m.id_number, dob, sex))
    });
    let from_qr = qr.map(|q| (q.id_number, q.date_of_birth, q.sex));
    match from_dg13.or(from_mrz).or(from_qr) {
        Some((id, dob, sex)) => (Some(id), id.check_against(dob, sex)),
        None => (None, Vec::new()),
    }
}

/// Checks what an eKYC back end received: see the module docs. Never
/// fails: whatever is wrong is a [`Reason`] of the verdict.
pub fn verify<'a>(
    files: &ChipFiles<'a>,
    qr: Option<&QrPayload<'_>>,
    store: &TrustStore,
    options: &EkycOptions,
) -> EkycVerdict<'a> {
    let mut reasons = Vec::new();
    let (passive_authentication, not_supplied) = authenticate(files, store, options, &mut reasons);
    let card_security = files.card_security.map(|cs| {
        let v = pa::verify_card_security(cs, store, &pa::VerifyOptions::at(options.now));
        if !v.is_valid() {
            reasons.push(Reason::CardSecurity {
                summary: card_security_summary(&v),
            });
        }
        v
    });
    let parsed = parse_files(files, &mut reasons);
    let empty = Dg13::default();
    let dg13 = parsed.dg13.as_ref().unwrap_or(&empty);
    let mismatches = cross_check(dg13, qr, parsed.mrz.as_ref().map(|m| &m.mrz));
    reasons.extend(mismatches.into_iter().map(Reason::Mismatch));
    if let (Some(d), Some(q)) = (dg13.issue_date, qr)
        && d != q.issue_date
    {
        reasons.push(Reason::IssueDate {
            dg13: d,
            qr: q.issue_date,
        });
    }
    let (id_number, id_warnings) = id_and_warnings(&parsed, qr);
    let genuine =
        passive_authentication.is_valid() && !reasons.iter().any(Reason::is_about_authenticity);
    let consistent = !reasons.iter().any(|r| !r.is_about_authenticity());
    let report = EkycReport {
        ok: genuine && consistent,
        genuine,
        consistent,
        reasons,
        passive_authentication,
        card_security,
        required: options.required.iter().map(|d| d.number()).collect(),
        not_supplied,
        id_number,
        id_warnings,
        holder: parsed.holder,
        mrz: parsed.mrz,
        face: parsed.face,
        qr_compared: qr.is_some(),
    };
    EkycVerdict { report }
}

/// The failed checks of EF.CardSecurity's verdict, in one line.
fn card_security_summary(v: &CardSecurityVerdict) -> String {
    let failed: Vec<String> = [
        ("card_security", &v.card_security),
        ("signature", &v.signature),
        ("chain", &v.chain),
        ("validity", &v.validity),
        ("revocation", &v.revocation),
    ]
    .iter()
    .filter(|(_, c)| c.is_failed() || (!c.is_passed() && c.status == pa::Status::NotChecked))
    .map(|(name, c)| format!("{name} ({}): {}", c.code, c.reason))
    .collect();
    if failed.is_empty() {
        "not valid".to_owned()
    } else {
        failed.join("; ")
    }
}
