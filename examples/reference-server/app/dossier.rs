//! The level-1 dossier: submission (`POST /v1/dossiers`), status
//! (`GET /v1/dossiers/current`), and the checks run on the chip's files.
//!
//! A citizen whose phone reads the chip by NFC submits, base64 in JSON, the
//! files as read: `dg1`, `dg2`, `dg13`, `sod` (EF.SOD), `portrait_jpeg` (the
//! citizen's own photo, taken in the app: 001 step 5, 003 "chụp ảnh chân
//! dung"; required, DG2 is never taken for it, see [`portrait`]) and
//! optionally `email`. The server, before anything is written:
//!
//! 1. decodes and parses every file: a malformed one is refused
//!    (`malformed_chip_file`, with `file`: `DG1`, `DG2`, `DG13`, `EF.SOD`);
//! 2. runs passive authentication of EF.SOD through `cccd::ekyc::verify`
//!    (the one call an eKYC back end makes) against the configured CSCAs
//!    (`--csca`, or with `--demo-csca` the simulator's demonstration CSCA,
//!    see [`Trust::demo`]; with neither, chip dossiers are refused,
//!    `503 no_csca_configured`), DG1, DG2 and DG13 required and hashed. A failure is
//!    refused outright: `chip_file_hash_mismatch` (with `file`) when a file
//!    differs from what the SOD signs, `passive_authentication_failed` (with
//!    the failed checks) otherwise. Refused rather than stored as failed:
//!    nothing in such files can be believed, a stored dossier would sit in
//!    the officers' queue and block the citizen's next submission until an
//!    officer rejected it, and the citizen learns at once what to redo;
//! 3. checks DG1's and DG13's ID number against the account's
//!    (`card_mismatch`, with `file`), compares DG13 with DG1's MRZ, and
//!    DG13 with the population registry (ID number, full name, date of
//!    birth, sex).
//!
//! The dossier is then submitted (`eid-account` checks the card's data
//! against the account's details) and its verdict stored with it (table
//! `dossier_verdicts`, keyed by the dossier's event): the passive
//! authentication verdict, each check, the mismatches. Officers see it in
//! their listing; a dossier whose verdict is missing or not approvable
//! (a registry or MRZ mismatch) can only be rejected.
//!
//! Phones without NFC send the card's QR payload instead (`qr`,
//! `portrait_jpeg`, `email`): no chip, no passive authentication; the
//! verdict says `"source": "qr"` and holds the registry check.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cccd::IdNumber;
use cccd::ekyc::{self, ChipFiles, EkycOptions, Reason};
use cccd::qr::QrData;
use eid_account::{
    Account, AccountError, Action, CardData, Dossier, Event, EventKind, PhotoRef, fold,
};
use icao9303::lds::DataGroup;
use icao9303::pa::{self, TrustStore};
use icao9303_sim::SimRng;
use icao9303_sim::pki::{DEMO_SEED, TestPki};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use super::handlers::{citizen, parse, phase};
use super::store::{PhotoRow, Storage};
use super::{AppState, now};

type Shared = State<Arc<AppState>>;

/// The CSCAs passive authentication trusts.
pub(crate) struct Trust {
    /// The certificates.
    pub(crate) store: TrustStore,
    /// Where they came from (for the logs and the verdict).
    pub(crate) source: String,
}

impl Trust {
    /// The simulator's demonstration CSCA: the one `dinhdanh chip read
    /// --sim` signs under (`icao9303_sim::pki::DEMO_SEED`, country VN), so
    /// the README tour needs no set-up. A test CSCA: production servers
    /// pass `--csca`.
    pub(crate) fn demo() -> Result<Trust, String> {
        let pki = TestPki::generate(&mut SimRng::from_seed_u64(DEMO_SEED), "VN")
            .map_err(|e| format!("the simulator's CSCA: {e}"))?;
        let cert = pa::Certificate::from_der(pki.csca_certificate())
            .map_err(|e| format!("the simulator's CSCA: {e}"))?;
        let mut store = TrustStore::new();
        store.add_certificate(cert);
        Ok(Trust {
            store,
            source: "simulator demonstration CSCA".to_owned(),
        })
    }

    /// No CSCA: chip dossiers are refused (`no_csca_configured`) until the
    /// server is started with `--csca` (or `--demo-csca`).
    pub(crate) fn none() -> Trust {
        Trust {
            store: TrustStore::new(),
            source: "none (chip dossiers refused: give --csca)".to_owned(),
        }
    }

    /// CSCAs from files: DER or PEM certificates, CSCA master lists, or
    /// directories of them (see `TrustStore::load_path`). Refused when
    /// nothing usable was found.
    pub(crate) fn load(paths: &[PathBuf]) -> Result<Trust, String> {
        let at = pa::DateTime::from_system_time(std::time::SystemTime::now())
            .map_err(|e| format!("the system clock: {e}"))?;
        let mut store = TrustStore::new();
        for p in paths {
            store
                .load_path(p, at)
                .map_err(|e| format!("--csca {}: {e}", p.display()))?;
        }
        if store.is_empty() {
            return Err("--csca: no CSCA certificate in the files given".to_owned());
        }
        Ok(Trust {
            source: paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            store,
        })
    }
}

/// One check of a dossier's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CheckResult {
    /// `passive_authentication`, `id_number`, `dg13_vs_mrz`, `registry`.
    pub(crate) check: String,
    /// `passed`, `failed`, `not_found` or `not_applicable`.
    pub(crate) status: String,
}

/// A field two sources disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FieldMismatch {
    /// The sources compared, e.g. `dg13` and `registry`.
    pub(crate) between: (String, String),
    /// `id_number`, `full_name`, `date_of_birth`, `sex`.
    pub(crate) field: String,
    /// What the first says.
    pub(crate) left: String,
    /// What the second says.
    pub(crate) right: String,
}

/// What the server found on submission, stored with the dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DossierVerdict {
    /// `nfc` (the chip's files) or `qr`.
    pub(crate) source: String,
    /// Whether an officer may approve it.
    pub(crate) approvable: bool,
    /// Each check.
    pub(crate) checks: Vec<CheckResult>,
    /// The disagreements found.
    pub(crate) mismatches: Vec<FieldMismatch>,
    /// Passive authentication, every check (NFC only). Stored and read back
    /// from the database, so the plain report (deserializable, proof of
    /// nothing: `approvable` is the server's decision, taken when it ran
    /// `pa::verify`), not a `pa::Verdict`, which cannot be deserialized.
    /// Typed rather than a `serde_json::Value`, so a stored verdict that is
    /// not a report is refused as unreadable; the JSON is the verdict's
    /// own, so rows stored before read back.
    pub(crate) passive_authentication: Option<pa::VerdictReport>,
    /// The trust store used (NFC only).
    pub(crate) trust: Option<String>,
    /// The citizen's portrait as sent (SHA-256, pixel size); `None` in the
    /// verdicts stored before it was recorded.
    #[serde(default)]
    pub(crate) portrait: Option<PortraitRef>,
    /// DG2's face image beside it, for the officer to compare (NFC only).
    #[serde(default)]
    pub(crate) dg2_face: Option<FaceRef>,
    /// Unix seconds.
    pub(crate) checked_at: u64,
}

/// The chip's files as read, base64: a level-1 dossier's and a level-2
/// record's (`POST /v1/officer/level2-dossiers`), checked alike.
#[derive(Deserialize)]
pub(crate) struct ChipBody {
    #[serde(default)]
    pub(crate) dg1: Option<String>,
    #[serde(default)]
    pub(crate) dg2: Option<String>,
    #[serde(default)]
    pub(crate) dg13: Option<String>,
    #[serde(default)]
    pub(crate) sod: Option<String>,
}

impl ChipBody {
    /// Whether any chip file was sent.
    pub(crate) fn any(&self) -> bool {
        self.dg1.is_some() || self.dg2.is_some() || self.dg13.is_some() || self.sod.is_some()
    }
}

#[derive(Deserialize)]
struct DossierBody {
    #[serde(flatten)]
    chip: ChipBody,
    #[serde(default)]
    qr: Option<String>,
    /// The portrait JPEG, base64.
    #[serde(default)]
    portrait_jpeg: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

/// A portrait as checked: what an officer needs to find and judge it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PortraitRef {
    /// `sha256:` and the hex digest of the JPEG.
    pub(crate) sha256: String,
    /// Pixels.
    pub(crate) width: u16,
    /// Pixels.
    pub(crate) height: u16,
}

/// DG2's face image, by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FaceRef {
    /// `sha256:` and the hex digest of the image as in DG2.
    pub(crate) sha256: String,
    /// `jpeg`, `jp2`, `j2k` or `unknown`.
    pub(crate) format: String,
}

/// The smallest portrait accepted: ISO/IEC 19794-5's token face image
/// (width 240, height 320, 60 pixels between the eyes), what ICAO 9303
/// holds a chip's portrait to. The seeds ask for a clear, frontal photo
/// (no glasses, no mask, eyes open); those need a model and an officer,
/// the size does not.
const PORTRAIT_MIN: (u16, u16) = (240, 320);

/// The largest portrait decoded (pixels), so a small file cannot claim a
/// huge image and take the memory.
const PORTRAIT_MAX_PIXELS: u64 = 4096 * 4096;

fn sha256_ref(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// A refused portrait: `portrait_jpeg` named, a reason of its own.
fn bad_portrait(code: &'static str, vi: &str, en: &str) -> ApiError {
    ApiError {
        extra: json!({ "field": "portrait_jpeg" }),
        ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, vi, en)
    }
}

/// The citizen's portrait (base64 JPEG), checked as far as it can be
/// without a face model: present (`portrait_required`), a JPEG that
/// decodes whole (`portrait_not_jpeg`), at least [`PORTRAIT_MIN`]
/// (`portrait_too_small`), and not DG2's image sent back
/// (`portrait_is_chip_photo`: the step is the selfie, the chip's photo is
/// what it is compared with).
fn portrait(
    b64: Option<&str>,
    dg2_face: Option<&[u8]>,
) -> Result<(Vec<u8>, PortraitRef), ApiError> {
    let Some(b64) = b64.map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(bad_portrait(
            "portrait_required",
            "Vui lòng chụp ảnh chân dung.",
            "the citizen's portrait (portrait_jpeg) is required",
        ));
    };
    let not_jpeg = || {
        bad_portrait(
            "portrait_not_jpeg",
            "Ảnh chân dung không hợp lệ.",
            "portrait_jpeg is not a JPEG image that decodes",
        )
    };
    let jpeg = data_encoding::BASE64
        .decode(b64.as_bytes())
        .map_err(|_| not_jpeg())?;
    let mut decoder = jpeg_decoder::Decoder::new(jpeg.as_slice());
    decoder.read_info().map_err(|_| not_jpeg())?;
    let info = decoder.info().ok_or_else(not_jpeg)?;
    if u64::from(info.width) * u64::from(info.height) > PORTRAIT_MAX_PIXELS {
        return Err(not_jpeg());
    }
    decoder.decode().map_err(|_| not_jpeg())?;
    if info.width < PORTRAIT_MIN.0 || info.height < PORTRAIT_MIN.1 {
        return Err(bad_portrait(
            "portrait_too_small",
            "Ảnh bản chụp không đủ tiêu chuẩn.",
            "the portrait is smaller than 240 x 320 pixels",
        ));
    }
    if dg2_face.is_some_and(|face| face == jpeg.as_slice()) {
        return Err(bad_portrait(
            "portrait_is_chip_photo",
            "Vui lòng chụp ảnh chân dung của bạn, không dùng ảnh trong chip.",
            "the portrait is the chip's own photo (DG2): take the citizen's",
        ));
    }
    let r = PortraitRef {
        sha256: sha256_ref(&jpeg),
        width: info.width,
        height: info.height,
    };
    Ok((jpeg, r))
}

/// A chip file that does not decode or parse.
fn malformed(file: &str, why: &str) -> ApiError {
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "malformed_chip_file",
        vi: format!("Tệp dữ liệu chip {file} không hợp lệ."),
        en: format!("the chip file {file} is malformed: {why}"),
        extra: json!({ "file": file }),
        refusal: None,
    }
}

/// A required file missing from the request.
fn missing(file: &str) -> ApiError {
    malformed(file, "missing from the request")
}

fn decode(file: &str, b64: Option<&String>) -> Result<Vec<u8>, ApiError> {
    let text = b64.ok_or_else(|| missing(file))?;
    data_encoding::BASE64
        .decode(text.trim().as_bytes())
        .map_err(|_| malformed(file, "not base64"))
}

/// The file name of a data group in errors.
fn file_name(n: u64) -> &'static str {
    match n {
        1 => "DG1",
        2 => "DG2",
        13 => "DG13",
        _ => "EF.SOD",
    }
}

/// Passive authentication refused: the failing checks, and the file when
/// one data group is to blame.
fn pa_refusal(v: &pa::Verdict) -> ApiError {
    let failures: Vec<Value> = v
        .failures()
        .iter()
        .map(|(name, c)| json!({ "check": name, "code": c.code, "reason": c.reason }))
        .collect();
    if let Some(d) = v
        .data_groups
        .iter()
        .find(|d| d.supplied && d.check.is_failed() && d.check.code == "hash-mismatch")
    {
        let file = file_name(d.number);
        return ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "chip_file_hash_mismatch",
            vi: format!(
                "Tệp dữ liệu chip {file} không khớp với chữ ký của chip: dữ liệu đã bị thay đổi."
            ),
            en: format!("the chip file {file} differs from what EF.SOD signs: it was altered"),
            extra: json!({ "file": file, "failures": failures }),
            refusal: None,
        };
    }
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "passive_authentication_failed",
        vi: "Không xác thực được dữ liệu chip (xác thực thụ động không đạt).".to_owned(),
        en: format!("passive authentication failed: {}", v.summary()),
        extra: json!({ "failures": failures }),
        refusal: None,
    }
}

fn card_mismatch(file: &str) -> ApiError {
    let mut e = ApiError::from(AccountError::CardMismatch);
    e.extra = json!({ "file": file });
    e
}

/// The card's data against the registry's row of the same ID number
/// ([`Registry::card_differences`](super::registry::Registry::card_differences)),
/// recorded in the verdict's checks and mismatches.
fn registry_check(
    state: &AppState,
    card: &CardData,
    source: &str,
    checks: &mut Vec<CheckResult>,
    mismatches: &mut Vec<FieldMismatch>,
) -> bool {
    let Some(differences) = state.registry.card_differences(card, false) else {
        checks.push(CheckResult {
            check: "registry".into(),
            status: "not_found".into(),
        });
        return false;
    };
    let ok = differences.is_empty();
    mismatches.extend(differences.into_iter().map(|d| FieldMismatch {
        between: (source.to_owned(), "registry".to_owned()),
        field: d.field.to_owned(),
        left: d.card,
        right: d.registry,
    }));
    checks.push(CheckResult {
        check: "registry".into(),
        status: if ok { "passed" } else { "failed" }.into(),
    });
    ok
}

/// What a chip submission yields once every check has run.
struct ChipChecked {
    card: CardData,
    jpeg: Vec<u8>,
    /// DG2's face image (kept for the officer: [`photo_rows`]).
    face: Option<Vec<u8>>,
    verdict: DossierVerdict,
}

/// The chip's files after passive authentication: the card's data, the
/// checks run, DG13's disagreements with the MRZ, DG2's face image.
pub(crate) struct ChipVerified {
    /// DG13's data (and the ID number DG1 and DG13 agree on).
    pub(crate) card: CardData,
    /// `passive_authentication`, `id_number`, `dg13_vs_mrz`.
    pub(crate) checks: Vec<CheckResult>,
    /// DG13 against the MRZ.
    pub(crate) mismatches: Vec<FieldMismatch>,
    /// Every check of passive authentication.
    pub(crate) passive_authentication: pa::Verdict,
    /// DG2's face image, by reference, and its bytes.
    pub(crate) face: Option<(FaceRef, Vec<u8>)>,
}

impl ChipVerified {
    /// Whether DG13 agrees with the MRZ.
    pub(crate) fn mrz_ok(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Parses and checks the chip's files: one call of `cccd::ekyc::verify`
/// (passive authentication against the trust store with DG1, DG2 and DG13
/// required and the other groups EF.SOD lists reported, DG13 against the
/// MRZ, the face image); DG1's and DG13's ID number must be `expected`
/// when given (the account's), else agree with each other. Refused:
/// malformed files, no CSCA configured, passive authentication failed.
pub(crate) fn verify_chip(
    state: &AppState,
    b: &ChipBody,
    expected: Option<&IdNumber>,
) -> Result<ChipVerified, ApiError> {
    if state.trust.store.is_empty() {
        // Passive authentication against nothing would prove nothing.
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_csca_configured",
            "Hệ thống chưa thể xác thực chip của thẻ, vui lòng thử lại sau.",
            "no CSCA is configured (--csca): chip dossiers cannot be checked",
        ));
    }
    let dg1_raw = decode("DG1", b.dg1.as_ref())?;
    let dg2_raw = decode("DG2", b.dg2.as_ref())?;
    let dg13_raw = decode("DG13", b.dg13.as_ref())?;
    let sod_raw = decode("EF.SOD", b.sod.as_ref())?;
    let at = pa::DateTime::from_system_time(std::time::SystemTime::now())
        .map_err(|_| ApiError::internal())?;
    let files = ChipFiles::new(&sod_raw)
        .with(DataGroup::Dg1, &dg1_raw)
        .with(DataGroup::Dg2, &dg2_raw)
        .with(DataGroup::Dg13, &dg13_raw);
    let v = ekyc::verify(&files, None, &state.trust.store, &EkycOptions::at(at));
    refuse_malformed(&v)?;
    if !v.genuine {
        tracing::warn!(
            failures = %v.passive_authentication.summary(),
            "chip files refused: passive authentication failed"
        );
        return Err(pa_refusal(&v.passive_authentication));
    }
    let mut checks = vec![CheckResult {
        check: "passive_authentication".into(),
        status: "passed".into(),
    }];

    // The card is the account holder's (or at least its own).
    let mrz = v.mrz.as_ref().ok_or_else(|| missing("DG1"))?;
    if expected.is_some_and(|id| mrz.id_number != *id) {
        return Err(card_mismatch("DG1"));
    }
    let data = v.holder.as_ref().ok_or_else(|| missing("DG13"))?;
    let card = CardData::from_dg13(data).map_err(|_| malformed("DG13", "bad ID number"))?;
    if card.id_number != mrz.id_number {
        return Err(card_mismatch("DG13"));
    }
    checks.push(CheckResult {
        check: "id_number".into(),
        status: "passed".into(),
    });

    // DG13 against the MRZ (the verdict's mismatches).
    let mismatches: Vec<FieldMismatch> = v
        .reasons
        .iter()
        .filter_map(|r| match r {
            Reason::Mismatch(m) => Some(FieldMismatch {
                between: (m.left.0.code().to_owned(), m.right.0.code().to_owned()),
                field: m.field.code().to_owned(),
                left: m.left.1.clone(),
                right: m.right.1.clone(),
            }),
            _ => None,
        })
        .collect();
    checks.push(CheckResult {
        check: "dg13_vs_mrz".into(),
        status: if mismatches.is_empty() {
            "passed"
        } else {
            "failed"
        }
        .into(),
    });
    let face = v.face.as_ref().map(|f| {
        let r = FaceRef {
            sha256: sha256_ref(f.data),
            format: format!("{:?}", f.format).to_lowercase(),
        };
        (r, f.data.to_vec())
    });
    Ok(ChipVerified {
        card,
        checks,
        mismatches,
        // A clone: the eKYC verdict is read-only (its report is reached
        // through Deref, so nothing moves out of it).
        passive_authentication: v.passive_authentication.clone(),
        face,
    })
}

/// A level-1 submission's chip: [`verify_chip`] for the account `id`, then
/// the registry and the citizen's portrait.
fn check_chip(state: &AppState, id: &IdNumber, b: &DossierBody) -> Result<ChipChecked, ApiError> {
    let ChipVerified {
        card,
        mut checks,
        mut mismatches,
        passive_authentication,
        face,
    } = verify_chip(state, &b.chip, Some(id)).inspect_err(|e| {
        tracing::warn!(account = %state.log_id(id), refusal = e.code, "level-1 chip files refused");
    })?;
    let mrz_ok = mismatches.is_empty();
    let registry_ok = registry_check(state, &card, "dg13", &mut checks, &mut mismatches);
    let (jpeg, portrait) = portrait(
        b.portrait_jpeg.as_deref(),
        face.as_ref().map(|f| f.1.as_slice()),
    )?;
    let (dg2_face, face) = face.unzip();
    Ok(ChipChecked {
        card,
        jpeg,
        face,
        verdict: DossierVerdict {
            source: "nfc".into(),
            approvable: mrz_ok && registry_ok,
            checks,
            mismatches,
            passive_authentication: Some(passive_authentication.into_report()),
            trust: Some(state.trust.source.clone()),
            portrait: Some(portrait),
            dg2_face,
            checked_at: now(),
        },
    })
}

/// A file that does not parse (or EF.SOD that does not) is refused as
/// malformed, before anything about its authenticity is said.
fn refuse_malformed(v: &ekyc::EkycVerdict<'_>) -> Result<(), ApiError> {
    for r in &v.reasons {
        match r {
            Reason::Malformed { file, problem } => return Err(malformed(file, problem)),
            Reason::PassiveAuthentication {
                check,
                code,
                reason,
            } if check == "sod" && code == "malformed" => {
                return Err(malformed("EF.SOD", reason));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `POST /v1/dossiers`: a level-1 dossier (logged in): the chip's files,
/// or the QR payload.
pub(crate) async fn submit(
    State(state): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (_, id, session) = citizen(&state, &headers).await?;
    let b: DossierBody = parse(&body)?;
    let (card, jpeg, face, verdict) = match &b.qr {
        Some(qr) => {
            let qr = QrData::parse(qr.as_bytes())
                .map_err(|_| ApiError::from(AccountError::InvalidField("qr")))?;
            let (jpeg, portrait) = portrait(b.portrait_jpeg.as_deref(), None)?;
            let card = CardData::from_qr(&qr);
            let mut checks = vec![CheckResult {
                check: "passive_authentication".into(),
                status: "not_applicable".into(),
            }];
            let mut mismatches = Vec::new();
            let ok = registry_check(&state, &card, "qr", &mut checks, &mut mismatches);
            let verdict = DossierVerdict {
                source: "qr".into(),
                approvable: ok,
                checks,
                mismatches,
                passive_authentication: None,
                trust: None,
                portrait: Some(portrait),
                dg2_face: None,
                checked_at: now(),
            };
            (card, jpeg, None, verdict)
        }
        None => {
            // Signature checks and hashing: off the async threads.
            let c = tokio::task::block_in_place(|| check_chip(&state, &id, &b))?;
            (c.card, c.jpeg, c.face, c.verdict)
        }
    };
    let portrait = PhotoRef(sha256_ref(&jpeg));
    // The verdict is written in the same transaction as the dossier's event
    // (keyed by its sequence): both or neither. A dossier whose verdict is
    // missing (stored before this, or unreadable) can still only be
    // rejected.
    let text = serde_json::to_string(&verdict).map_err(|_| ApiError::internal())?;
    let photos = photo_rows(&jpeg, face.as_deref(), &verdict);
    let (account, _) = state
        .execute_with_dossier(
            &id,
            Action::SubmitLevel1Dossier {
                session,
                card,
                portrait,
                email: b.email,
            },
            &text,
            &photos,
        )
        .await?;
    tracing::info!(
        account = %state.log_id(&id),
        source = %verdict.source,
        approvable = verdict.approvable,
        "level-1 dossier submitted"
    );
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "phase": phase(&account),
            "dossier": super::messages::dossier(account.dossier()),
            "verdict": verdict,
        })),
    )
        .into_response())
}

/// The photos an officer compares (seed 003: the citizen's portrait
/// against the chip's face), stored with the dossier. Privacy: they are
/// the one copy of a face the server keeps, and only until the dossier is
/// decided: the decision's transaction deletes them (`command.rs`); the
/// verdict keeps their digests.
fn photo_rows<'a>(
    portrait: &'a [u8],
    face: Option<&'a [u8]>,
    verdict: &'a DossierVerdict,
) -> Vec<PhotoRow<'a>> {
    let mut rows = vec![PhotoRow {
        kind: "portrait",
        format: "jpeg",
        bytes: portrait,
    }];
    if let (Some(bytes), Some(r)) = (face, verdict.dg2_face.as_ref()) {
        rows.push(PhotoRow {
            kind: "face",
            format: &r.format,
            bytes,
        });
    }
    rows
}

/// The sequence of the event that submitted the latest level-1 dossier of
/// an account's `events`, if any.
fn submission(events: &[Event]) -> Option<u64> {
    events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Level1DossierSubmitted { .. }))
        .map(|e| e.sequence)
}

/// The verdict stored for an account's latest level-1 dossier: `None` when
/// it has none, `Some(None)` when its verdict is missing.
pub(crate) async fn current_verdict(
    state: &AppState,
    id: &IdNumber,
) -> Result<Option<Option<DossierVerdict>>, ApiError> {
    let events = state.store.load(id.as_str()).await?;
    let Some(sequence) = submission(&events) else {
        return Ok(None);
    };
    let Some(text) = state.store.verdict(id.as_str(), sequence).await? else {
        return Ok(Some(None));
    };
    match serde_json::from_str(&text) {
        Ok(v) => Ok(Some(Some(v))),
        Err(e) => {
            tracing::error!(account = %state.log_id(id), sequence, error = %e, "unreadable dossier verdict");
            Ok(Some(None))
        }
    }
}

/// The verdict as the listing and the status show it.
pub(crate) async fn verdict_json(state: &AppState, id: &IdNumber) -> Result<Value, ApiError> {
    Ok(match current_verdict(state, id).await? {
        None => Value::Null,
        Some(None) => json!({ "approvable": false, "missing": true }),
        Some(Some(v)) => serde_json::to_value(v).map_err(|_| ApiError::internal())?,
    })
}

/// Refuses the approval of a level-1 dossier whose verdict is missing or
/// not approvable (`dossier_not_approvable`): an officer can only reject
/// it. Level-2 dossiers (recorded by officers) pass. Returns the dossier
/// checked, for [`same_dossier`].
pub(crate) async fn check_approvable(
    state: &AppState,
    id: &IdNumber,
) -> Result<Option<Dossier>, ApiError> {
    let account = state.account(id).await?;
    let seen = account.dossier().cloned();
    if seen.as_ref().map(|d| d.level) != Some(eid_account::Level::One) {
        return Ok(seen);
    }
    let reasons = match current_verdict(state, id).await? {
        Some(Some(v)) if v.approvable => return Ok(seen),
        Some(Some(v)) => json!({ "checks": v.checks, "mismatches": v.mismatches }),
        Some(None) | None => json!({ "missing": true }),
    };
    Err(ApiError {
        status: StatusCode::CONFLICT,
        code: "dossier_not_approvable",
        vi: "Hồ sơ không đạt kiểm tra dữ liệu: chỉ có thể từ chối.".to_owned(),
        en: "the dossier failed its checks on submission: it can only be rejected".to_owned(),
        extra: json!({ "verdict": reasons }),
        refusal: None,
    })
}

/// The guard of an approval: the dossier is still the one
/// [`check_approvable`] checked (a rejection and a new submission in
/// between make the approval fail with `version_conflict`).
pub(crate) fn same_dossier(a: &Account, seen: Option<&Dossier>) -> Result<(), ApiError> {
    if a.dossier() == seen {
        Ok(())
    } else {
        Err(AccountError::VersionConflict {
            expected: 0,
            actual: 0,
        }
        .into())
    }
}

/// `GET /v1/dossiers/current`: the logged-in citizen's dossier, status and
/// verdict.
pub(crate) async fn status(State(state): Shared, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, id, _) = citizen(&state, &headers).await?;
    let account = state.account(&id).await?;
    let verdict = verdict_json(&state, &id).await?;
    Ok(Json(json!({
        "phase": phase(&account),
        "dossier": super::messages::dossier(account.dossier()),
        "verdict": verdict,
    }))
    .into_response())
}

/// A photo's media type and file name ending: JPEG, JPEG 2000 in a JP2
/// file (`image/jp2`, RFC 3745), a bare JPEG 2000 codestream
/// (`image/j2c`, IANA 2023); anything else is bytes to download.
fn photo_type(format: &str) -> (&'static str, &'static str) {
    match format {
        "jpeg" => ("image/jpeg", "jpg"),
        "jp2" => ("image/jp2", "jp2"),
        "j2k" => ("image/j2c", "j2c"),
        _ => ("application/octet-stream", "bin"),
    }
}

/// No photo to serve: an unknown kind, no pending level-1 dossier, or its
/// photos deleted with its decision.
fn no_photo() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "photo_not_kept",
        "Không có ảnh của hồ sơ này.",
        "no photo of this kind is kept for this account's pending dossier",
    )
}

/// `GET /v1/officer/dossiers/{id}/photos/{kind}` (officer token): the
/// pending level-1 dossier's `portrait` or DG2 `face`, as sent. Never
/// cached (`no-store`), never sniffed (`nosniff`: a face sent as a JPEG
/// is shown as one or not at all); a format browsers do not show is an
/// attachment.
pub(crate) async fn photo(
    State(state): Shared,
    headers: HeaderMap,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    super::level1::officer(&state, &headers)?;
    let id = super::handlers::id_number(&id)?;
    if kind != "portrait" && kind != "face" {
        return Err(no_photo());
    }
    // One load: the account's state and its submission from the same events.
    let events = state.store.load(id.as_str()).await?;
    let pending = fold(&events).dossier().is_some_and(|d| {
        d.level == eid_account::Level::One && d.status == eid_account::DossierStatus::Submitted
    });
    let Some(sequence) = submission(&events).filter(|_| pending) else {
        return Err(no_photo());
    };
    let photo = state
        .store
        .dossier_photo(id.as_str(), sequence, &kind)
        .await?
        .ok_or_else(no_photo)?;
    let (media, ending) = photo_type(&photo.format);
    let shown = if media == "image/jpeg" {
        "inline"
    } else {
        "attachment"
    };
    let disposition = format!("{shown}; filename=\"{kind}-{}.{ending}\"", id.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        photo.bytes,
    )
        .into_response())
}
