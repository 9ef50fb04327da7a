//! Reading a chip through the caller's transport: the foreign object
//! becomes a Rust `Transport`, and `icao9303::reader::read_document` does
//! the rest.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use cccd::dg13::Dg13;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::{DataGroup, File, FileKind};
use icao9303::mrz::MrzKey;
use icao9303::reader::{self, AccessControl, ReaderOptions};
use icao9303::transport::{LinkInfo, Transport, TransportError};

use crate::{Dg13Fields, DinhdanhError, MrzData};

/// The link to a card, written in the caller's language: Android's
/// `IsoDep.transceive`, `javax.smartcardio`, pyscard, a CoreNFC bridge.
#[uniffi::export(rust, foreign)]
pub trait CardTransport: Send + Sync {
    /// Sends one command APDU, returns the card's response (data and the
    /// two status-word bytes). Raise `DinhdanhError.Transport` for a lost
    /// link; any other exception is taken as one too.
    fn transmit(&self, command: Vec<u8>) -> Result<Vec<u8>, DinhdanhError>;
    /// The longest command APDU the link carries (261 for short APDUs;
    /// Android: `maxTransceiveLength`).
    fn max_command_bytes(&self) -> u32;
    /// The longest response APDU, status word included (258 for short).
    fn max_response_bytes(&self) -> u32;
}

/// Progress of a read: after every chunk, the file (`DG2`...), the bytes
/// read of it and its length.
#[uniffi::export(foreign)]
pub trait ReadProgress: Send + Sync {
    /// One chunk more of `file` was read.
    fn on_progress(&self, file: String, done: u64, total: u64);
}

/// What opens the chip. Opaque: the key is in no field and its `Debug`
/// (Python's `repr`, Kotlin's `toString`) is redacted.
#[derive(uniffi::Object)]
#[uniffi::export(Debug)]
pub struct Credential {
    pub(crate) inner: reader::Credential,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The inner Debug is already redacted; this keeps it so whatever
        // the inner type becomes.
        match self.inner {
            reader::Credential::Mrz(_) => f.write_str("Credential.mrz(<redacted>)"),
            reader::Credential::Can(_) => f.write_str("Credential.can(<redacted>)"),
            _ => f.write_str("Credential(<redacted>)"),
        }
    }
}

#[uniffi::export]
impl Credential {
    /// The MRZ information of a passport or ID card: the document number
    /// and two dates YYMMDD (BAC, or PACE with the MRZ).
    #[uniffi::constructor]
    pub fn mrz(
        document_number: String,
        date_of_birth: String,
        date_of_expiry: String,
    ) -> Result<Arc<Credential>, DinhdanhError> {
        let key = MrzKey::new(&document_number, &date_of_birth, &date_of_expiry)?;
        Ok(Arc::new(Credential {
            inner: reader::Credential::Mrz(key),
        }))
    }

    /// A CCCD's key from its face: the 12-digit ID number (the MRZ's
    /// document number is its last nine digits) and two dates YYMMDD.
    #[uniffi::constructor]
    pub fn cccd(
        id_number: String,
        date_of_birth: String,
        date_of_expiry: String,
    ) -> Result<Arc<Credential>, DinhdanhError> {
        let id = cccd::IdNumber::parse(&id_number)
            .map_err(|e| DinhdanhError::argument("id_number", e.to_string()))?;
        let key = cccd::mrz::access_key(&id, &date_of_birth, &date_of_expiry)?;
        Ok(Arc::new(Credential {
            inner: reader::Credential::Mrz(key),
        }))
    }

    /// The Card Access Number printed on the card (PACE only): digits.
    #[uniffi::constructor]
    pub fn can(can: String) -> Result<Arc<Credential>, DinhdanhError> {
        if can.is_empty() || !can.bytes().all(|b| b.is_ascii_digit()) {
            // The value is not echoed: it is (nearly) a secret.
            return Err(DinhdanhError::argument("can", "expected digits"));
        }
        Ok(Arc::new(Credential {
            inner: reader::Credential::can(&can),
        }))
    }
}

/// How to read. Every field has its default, so `ReadOptions()` works.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReadOptions {
    /// Try PACE when EF.CardAccess offers it (else BAC).
    #[uniffi(default = true)]
    pub pace: bool,
    /// Chip Authentication with DG14's key after reading: on by default,
    /// as a clone check should be.
    #[uniffi(default = true)]
    pub chip_authentication: bool,
    /// Active Authentication with DG15's key: on by default.
    #[uniffi(default = true)]
    pub active_authentication: bool,
    /// Data groups to read (1 to 16); `None`: every one EF.COM lists.
    /// (Not `u8`: UniFFI makes a list of `u8` bytes, not numbers.)
    #[uniffi(default = None)]
    pub data_groups: Option<Vec<u16>>,
    /// A fixed chunk of file bytes per READ BINARY instead of the largest
    /// the link allows.
    #[uniffi(default = None)]
    pub fixed_chunk: Option<u32>,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions {
            pace: true,
            chip_authentication: true,
            active_authentication: true,
            data_groups: None,
            fixed_chunk: None,
        }
    }
}

impl ReadOptions {
    pub(crate) fn to_reader(&self) -> Result<ReaderOptions, DinhdanhError> {
        let data_groups = match &self.data_groups {
            None => None,
            Some(list) => Some(
                list.iter()
                    .map(|&n| {
                        u8::try_from(n)
                            .ok()
                            .and_then(DataGroup::from_number)
                            .ok_or_else(|| {
                                DinhdanhError::argument(
                                    "data_groups",
                                    format!("{n} is not 1 to 16"),
                                )
                            })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        Ok(ReaderOptions::default()
            .with_pace(self.pace)
            .with_data_groups(data_groups)
            .with_fixed_chunk(self.fixed_chunk.map(|c| c as usize))
            .with_chip_authentication(self.chip_authentication)
            .with_active_authentication(self.active_authentication))
    }
}

/// The access control that opened the chip. PACE's parts are named as
/// `dinhdanh chip read --json` names them (`Generic`, `Aes128`,
/// `Secp256r1`, `Mrz`...).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AccessControlInfo {
    /// `bac` or `pace`.
    pub method: String,
    /// PACE: `Ecdh` or `Dh`.
    pub agreement: Option<String>,
    /// PACE: `Generic`, `Integrated` or `ChipAuthentication`.
    pub mapping: Option<String>,
    /// PACE: the cipher, e.g. `Aes128`.
    pub cipher: Option<String>,
    /// PACE: the domain parameters, e.g. `BrainpoolP256r1`.
    pub parameters: Option<String>,
    /// PACE: the password, `Mrz` or `Can`.
    pub password: Option<String>,
}

impl From<AccessControl> for AccessControlInfo {
    fn from(a: AccessControl) -> AccessControlInfo {
        match a {
            AccessControl::Bac => AccessControlInfo {
                method: "bac".to_owned(),
                agreement: None,
                mapping: None,
                cipher: None,
                parameters: None,
                password: None,
            },
            AccessControl::Pace {
                protocol,
                parameters,
                password,
            } => AccessControlInfo {
                method: "pace".to_owned(),
                agreement: Some(format!("{:?}", protocol.agreement)),
                mapping: Some(format!("{:?}", protocol.mapping)),
                cipher: Some(format!("{:?}", protocol.cipher)),
                parameters: Some(format!("{parameters:?}")),
                password: Some(format!("{password:?}")),
            },
            // A newer access control (the enum is #[non_exhaustive]): named
            // by its Debug form, nothing else filled in.
            other => AccessControlInfo {
                method: format!("{other:?}").to_lowercase(),
                agreement: None,
                mapping: None,
                cipher: None,
                parameters: None,
                password: None,
            },
        }
    }
}

/// Chip or Active Authentication's outcome.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuthOutcome {
    /// Whether the chip proved it holds the private key.
    pub passed: bool,
    /// What was done, or why it failed.
    pub detail: String,
}

/// Everything read from a chip.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Document {
    /// The access control used.
    pub access_control: AccessControlInfo,
    /// Every file's raw bytes by name: `EF.COM`, `EF.SOD`, `DG1`...,
    /// `EF.CardAccess` and `EF.CardSecurity` when read.
    pub files: HashMap<String, Vec<u8>>,
    /// The data groups by number (the same bytes as in `files`), as
    /// `verify_passive` takes them.
    pub data_groups: HashMap<u8, Vec<u8>>,
    /// DG1's MRZ, when DG1 parses.
    pub dg1: Option<MrzData>,
    /// DG13's CCCD fields, when the chip has a DG13 that parses.
    pub dg13: Option<Dg13Fields>,
    /// DG2's face image (JPEG or JPEG 2000 bytes), when present.
    pub face_image: Option<Vec<u8>>,
    /// Its media type: `image/jpeg`, `image/jp2`, `image/j2k`,
    /// `application/octet-stream`.
    pub face_image_format: Option<String>,
    /// Chip Authentication's (or PACE-CAM's) outcome, when run.
    pub chip_authentication: Option<AuthOutcome>,
    /// Active Authentication's outcome, when run.
    pub active_authentication: Option<AuthOutcome>,
    /// Data groups listed but refused by the chip (DG3/DG4).
    pub refused_data_groups: Vec<u16>,
    /// Every SecurityInfo of EF.CardAccess was found in EF.CardSecurity
    /// (checked after PACE-CAM only).
    pub card_access_verified: bool,
    /// Command APDUs sent in the whole read.
    pub apdu_count: u64,
}

fn auth(a: Option<reader::AuthOutcome>) -> Option<AuthOutcome> {
    a.map(|a| AuthOutcome {
        passed: a.passed,
        detail: a.detail,
    })
}

impl From<reader::Document> for Document {
    fn from(doc: reader::Document) -> Document {
        let dg1 = match doc.parsed(FileKind::Dg(DataGroup::Dg1)) {
            Some(Ok(File::Dg1(d))) => Some(MrzData::from(&d.mrz)),
            _ => None,
        };
        let dg13 = doc
            .raw(FileKind::Dg(DataGroup::Dg13))
            .and_then(|raw| Dg13::parse(raw).ok())
            .map(|d| Dg13Fields::from(&d));
        let face = match doc.parsed(FileKind::Dg(DataGroup::Dg2)) {
            Some(Ok(File::Dg2(d))) => d.face_image().map(|f| f.data.to_vec()),
            _ => None,
        };
        let mut files: HashMap<String, Vec<u8>> = doc
            .files
            .iter()
            .map(|(k, b)| (k.name().to_owned(), b.clone()))
            .collect();
        let data_groups = doc
            .data_groups()
            .into_iter()
            .map(|(dg, b)| (dg.number(), b.to_vec()))
            .collect();
        for (kind, bytes) in [
            (FileKind::CardAccess, &doc.card_access),
            (FileKind::CardSecurity, &doc.card_security),
        ] {
            if let Some(b) = bytes {
                files.insert(kind.name().to_owned(), b.clone());
            }
        }
        Document {
            access_control: doc.access_control.into(),
            files,
            data_groups,
            dg1,
            dg13,
            face_image_format: face
                .as_deref()
                .map(|f| ImageFormat::detect(f).mime_type().to_owned()),
            face_image: face,
            chip_authentication: auth(doc.chip_authentication),
            active_authentication: auth(doc.active_authentication),
            refused_data_groups: doc.refused.iter().map(|dg| dg.number().into()).collect(),
            card_access_verified: doc.card_access_verified,
            apdu_count: doc.stats.total.apdus,
        }
    }
}

/// The caller's transport as the reader's `Transport`: its limits asked
/// once, each APDU one foreign call.
struct Foreign {
    transport: Arc<dyn CardTransport>,
    link: LinkInfo,
}

impl Transport for Foreign {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.transport
            .transmit(apdu.to_vec())
            .map_err(DinhdanhError::into_transport)
    }

    fn link_info(&self) -> LinkInfo {
        self.link
    }
}

fn link_info(t: &dyn CardTransport) -> LinkInfo {
    link_of(t.max_command_bytes(), t.max_response_bytes())
}

/// The link of `command` and `response` bytes at most: past the short
/// sizes it must carry extended APDUs.
pub(crate) fn link_of(command: u32, response: u32) -> LinkInfo {
    let (command, response) = (command as usize, response as usize);
    let short = LinkInfo::SHORT;
    LinkInfo {
        max_command_len: command,
        max_response_len: response,
        extended_length: command > short.max_command_len || response > short.max_response_len,
    }
}

/// Opens the chip with `credential` and reads the whole document through
/// `transport`, reporting each chunk to `progress`.
#[uniffi::export(default(options = None, progress = None))]
pub fn read_card(
    transport: Arc<dyn CardTransport>,
    credential: Arc<Credential>,
    options: Option<ReadOptions>,
    progress: Option<Arc<dyn ReadProgress>>,
) -> Result<Document, DinhdanhError> {
    let options = options.unwrap_or_default().to_reader()?;
    // The OS generator, straight: the reader takes a fallible generator,
    // and an OS failure is a typed error, not a panic.
    let mut rng = getrandom::SysRng;
    let mut link = Foreign {
        link: link_info(transport.as_ref()),
        transport,
    };
    let mut report = |file: FileKind, done: usize, total: usize| {
        if let Some(p) = &progress {
            p.on_progress(file.name().to_owned(), done as u64, total as u64);
        }
    };
    let doc = reader::read_document(&mut link, &credential.inner, options, &mut rng, &mut report)?;
    Ok(doc.into())
}
