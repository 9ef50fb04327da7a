//! The values commands and events carry: phone numbers, devices, personal
//! details, dossiers, levels, services, lock reasons.

use core::fmt;

use cccd::dg13::Dg13Data;
use cccd::qr::QrData;
use cccd::{IdNumber, Sex};
use icao9303::Date;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::AccountError;

/// A phone number registered with a carrier, kept as its national digits
/// (`0987654321`; `+84 98 765 4321` becomes the same).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses a Vietnamese mobile number: digits with optional spaces, dots
    /// or dashes, a leading `+84` or `84` read as `0`; 10 digits starting
    /// with 0 (9 to 11 accepted for older and special numbers).
    pub fn parse(s: &str) -> Result<Phone, AccountError> {
        let trimmed = s.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(r) => (true, r),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(12);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '.' | '-' => {}
                _ => return Err(AccountError::InvalidPhone),
            }
        }
        let national = match digits.strip_prefix("84") {
            Some(r) if plus || digits.len() == 11 => format!("0{r}"),
            _ if plus => return Err(AccountError::InvalidPhone),
            _ => digits,
        };
        if !national.starts_with('0') || !(9..=11).contains(&national.len()) {
            return Err(AccountError::InvalidPhone);
        }
        Ok(Phone(national))
    }

    /// The national digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// As [`Phone::parse`]: `"0987654321".parse::<Phone>()`.
impl core::str::FromStr for Phone {
    type Err = AccountError;

    fn from_str(s: &str) -> Result<Phone, AccountError> {
        Phone::parse(s)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identifier of the device (phone or browser) an app runs on, as the
/// server knows it. 1 to 128 printable ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeviceId(String);

impl DeviceId {
    /// A device id: 1 to 128 printable ASCII characters.
    pub fn new(s: &str) -> Result<DeviceId, AccountError> {
        if s.is_empty() || s.len() > 128 || !s.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(AccountError::InvalidDevice);
        }
        Ok(DeviceId(s.to_owned()))
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The identifier of a police officer acting on an account (recorded in
/// the events, for the audit trail).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfficerId(pub String);

/// A login session: an identifier drawn at login from the context's random
/// source. Not a secret: the server keeps its own secret token and maps it
/// to (account, session).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionId(pub u64);

/// The details of the registration form (003: "Họ và tên", "Ngày/Tháng/Năm
/// sinh", "Giới tính", "Nơi thường trú", "Số nhà, tên đường").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalDetails {
    /// Họ và tên (tên khai sinh): the full name with diacritics.
    pub full_name: String,
    /// Ngày sinh.
    pub date_of_birth: Date,
    /// Giới tính.
    pub sex: Sex,
    /// Nơi thường trú: ward, district, province.
    pub permanent_residence: String,
    /// Số nhà, tên đường (absent when the QR's address already holds it).
    pub street_address: Option<String>,
    /// The address printed on the card (its QR code), kept when the citizen
    /// typed the residence now registered with the police in its place
    /// (003: "bạn có thể nhập thông tin thường trú hiện bạn đã làm thủ tục
    /// cư trú với cơ quan Công an"); `None` when `permanent_residence` is
    /// the card's own, or the details were typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_residence: Option<String>,
}

impl PersonalDetails {
    /// The details as the card's QR code gives them (003 "Cách 1"); the
    /// QR's address is the permanent residence.
    pub fn from_qr(qr: &QrData) -> PersonalDetails {
        PersonalDetails {
            full_name: qr.full_name.clone(),
            date_of_birth: qr.date_of_birth,
            sex: qr.sex,
            permanent_residence: qr.address.clone(),
            street_address: None,
            card_residence: None,
        }
    }

    /// The details with every text in NFC. A person may type "Nữ" or
    /// "Nguyễn" decomposed (some keyboards and browsers do); compared with
    /// the registry or stored, it must be the same text as the composed one.
    #[must_use]
    pub fn nfc(self) -> PersonalDetails {
        PersonalDetails {
            full_name: nfc(&self.full_name),
            permanent_residence: nfc(&self.permanent_residence),
            street_address: self.street_address.as_deref().map(nfc),
            card_residence: self.card_residence.as_deref().map(nfc),
            ..self
        }
    }
}

/// `s` in Unicode NFC.
pub(crate) fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// A sex as a person types it: `Nam` or `Nữ` (any case, composed or
/// decomposed, as [`cccd::dg13::parse_sex`]), or `male` / `female`.
pub fn parse_typed_sex(s: &str) -> Option<Sex> {
    match s.trim() {
        "male" => Some(Sex::Male),
        "female" => Some(Sex::Female),
        t => cccd::dg13::parse_sex(t),
    }
}

/// How the registration details were entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DetailsSource {
    /// Read from the QR code on the card front.
    Qr,
    /// Typed by hand (the QR could not be read).
    Manual,
}

/// The registration form's details, from the QR code or typed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DetailsInput {
    /// Scanned from the card's QR code; the street address may be added,
    /// and the residence typed over the card's.
    Qr {
        /// The parsed payload (`cccd::qr::QrData::parse`).
        qr: QrData,
        /// Số nhà, tên đường, when the citizen adds it.
        street_address: Option<String>,
        /// The permanent residence now registered with the police, typed
        /// when it is no longer the card's (003's "Lưu ý": a citizen who
        /// moved keeps her card). It is what the registry checks; the
        /// card's address is kept beside it
        /// ([`PersonalDetails::card_residence`]).
        permanent_residence: Option<String>,
    },
    /// Typed field by field.
    Manual(PersonalDetails),
}

impl DetailsInput {
    /// The details the registry checks and the account keeps, in NFC, and
    /// where they came from. From the QR with a typed residence, the typed
    /// one is the permanent residence and the card's stays in
    /// `card_residence` (only when they differ: a residence typed as the
    /// card writes it is the card's).
    pub fn details(&self) -> (PersonalDetails, DetailsSource) {
        match self {
            DetailsInput::Qr {
                qr,
                street_address,
                permanent_residence,
            } => {
                let mut d = PersonalDetails::from_qr(qr);
                d.street_address = street_address.clone();
                if let Some(typed) = permanent_residence {
                    let typed = nfc(typed.trim());
                    if typed != nfc(&d.permanent_residence) {
                        d.card_residence =
                            Some(core::mem::replace(&mut d.permanent_residence, typed));
                    }
                }
                (d.nfc(), DetailsSource::Qr)
            }
            // Typed text is stored composed, whichever way it was typed.
            DetailsInput::Manual(d) => (d.clone().nfc(), DetailsSource::Manual),
        }
    }
}

/// A field of the registration form, as the registry's answer names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DetailField {
    /// The phone number.
    Phone,
    /// The full name.
    FullName,
    /// The date of birth.
    DateOfBirth,
    /// The sex.
    Sex,
    /// The permanent residence.
    PermanentResidence,
    /// The street address.
    StreetAddress,
}

impl DetailField {
    /// The form's label in Vietnamese (003).
    pub fn label_vi(self) -> &'static str {
        match self {
            DetailField::Phone => "Số điện thoại",
            DetailField::FullName => "Họ và tên",
            DetailField::DateOfBirth => "Ngày/Tháng/Năm sinh",
            DetailField::Sex => "Giới tính",
            DetailField::PermanentResidence => "Nơi thường trú",
            DetailField::StreetAddress => "Số nhà, tên đường",
        }
    }

    /// The label in English.
    pub fn label_en(self) -> &'static str {
        match self {
            DetailField::Phone => "phone number",
            DetailField::FullName => "full name",
            DetailField::DateOfBirth => "date of birth",
            DetailField::Sex => "sex",
            DetailField::PermanentResidence => "permanent residence",
            DetailField::StreetAddress => "street address",
        }
    }
}

/// One field the National Population Database disagrees on. The registry's
/// own value is not carried: the citizen corrects what the card says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldMismatch {
    /// The field to correct.
    pub field: DetailField,
}

/// The National Population Database's answer (Cơ sở dữ liệu Quốc gia về dân
/// cư) on the submitted details: an input the caller puts in the
/// [`Context`](crate::Context), never fetched here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistryAnswer {
    /// Everything matches ("Đạt").
    Match,
    /// These fields differ ("Không đạt"): correct them, or have the police
    /// update the database.
    Mismatch(Vec<FieldMismatch>),
    /// No citizen with this ID number: the police must update the database.
    NotFound,
}

/// How the card's data were read for a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChipSource {
    /// The chip, read by NFC (DG13 after passive authentication).
    Nfc,
    /// The QR code on the card front (phones without NFC).
    Qr,
    /// Typed by an officer at the office (level 2 only): a card being
    /// issued or renewed has no QR code in the citizen's hand yet (002
    /// §2.2 "chưa có thẻ ... hoặc có nhu cầu đổi lại"). The caller checks
    /// the data against the registry.
    Typed,
}

/// The card's data in a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardData {
    /// How they were read.
    pub source: ChipSource,
    /// The 12-digit ID number.
    pub id_number: IdNumber,
    /// The full name.
    pub full_name: String,
    /// The date of birth.
    pub date_of_birth: Date,
    /// The sex.
    pub sex: Sex,
    /// The permanent residence the card gives (QR address, DG13's place
    /// of residence, or typed); `None` in dossiers recorded before it was
    /// kept, or typed without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent_residence: Option<String>,
}

impl CardData {
    /// From the QR code.
    pub fn from_qr(qr: &QrData) -> CardData {
        CardData {
            source: ChipSource::Qr,
            id_number: qr.id_number,
            full_name: qr.full_name.clone(),
            date_of_birth: qr.date_of_birth,
            sex: qr.sex,
            permanent_residence: Some(qr.address.clone()),
        }
    }

    /// Typed by an officer from the card being issued or renewed (level
    /// 2): [`ChipSource::Typed`], texts in NFC.
    pub fn typed(
        id_number: IdNumber,
        full_name: &str,
        date_of_birth: Date,
        sex: Sex,
        permanent_residence: Option<&str>,
    ) -> CardData {
        CardData {
            source: ChipSource::Typed,
            id_number,
            full_name: nfc(full_name.trim()),
            date_of_birth,
            sex,
            permanent_residence: permanent_residence.map(|r| nfc(r.trim())),
        }
    }

    /// From the chip's DG13 (read by NFC; the caller has checked passive
    /// authentication). Refused when the DG13's ID number is not 12 digits.
    pub fn from_dg13(dg13: &Dg13Data) -> Result<CardData, AccountError> {
        let id_number = IdNumber::parse(&dg13.id_number).map_err(|_| AccountError::CardMismatch)?;
        Ok(CardData {
            source: ChipSource::Nfc,
            id_number,
            full_name: dg13.full_name.clone(),
            date_of_birth: dg13.date_of_birth,
            sex: dg13.sex,
            permanent_residence: Some(dg13.place_of_residence.clone())
                .filter(|r| !r.trim().is_empty()),
        })
    }
}

/// A reference to the portrait photo the app took (stored elsewhere: a
/// content hash or an object key). No glasses, no mask, eyes open, good
/// light (003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhotoRef(pub String);

/// A document integrated at a level-2 registration (002 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IntegratedDocument {
    /// Thẻ Bảo hiểm y tế.
    HealthInsurance,
    /// Giấy phép lái xe.
    DrivingLicence,
    /// Đăng ký xe.
    VehicleRegistration,
    /// Another document, named.
    Other(String),
}

// Closed on purpose (not `#[non_exhaustive]`): the seeds (001-004) and
// Decree 59/2022/NĐ-CP know exactly two levels of electronic identity, and every `match` on
// a level is a decision about what that level allows.
/// The level of an electronic identity (mức độ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Level 1: registered online, approved.
    One,
    /// Level 2: registered in person at a police office, approved.
    Two,
}

// Closed on purpose: an account is none, an app account or an identity
// (whose level is [`Level`]); a new kind of account would change every
// rule that matches on this, so it should break the build.
/// What an account is: an app account, or an electronic identity of a
/// level, and whether it is activated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountLevel {
    /// No account.
    None,
    /// An app account: not an electronic identity ("chưa được định danh
    /// điện tử").
    AppAccount,
    /// An electronic identity of this level.
    Identified {
        /// Level 1 or 2.
        level: Level,
        /// Whether it has been activated.
        activated: bool,
    },
}

/// Why a dossier was not accepted (hồ sơ không đạt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RejectionReason {
    /// "ảnh bản chụp không đủ tiêu chuẩn" (003).
    PhotoBelowStandard,
    /// The card's data disagree with the registry.
    DataMismatch,
    /// Another reason, in the officer's words.
    Other(String),
}

impl RejectionReason {
    /// Short for [`message_vi`](Self::message_vi).
    pub fn vi(&self) -> String {
        self.message_vi()
    }

    /// Short for [`message_en`](Self::message_en).
    pub fn en(&self) -> String {
        self.message_en()
    }

    /// The reason in Vietnamese; [`PhotoBelowStandard`](Self::PhotoBelowStandard)
    /// in seed 003's words (line 422).
    pub fn message_vi(&self) -> String {
        match self {
            RejectionReason::PhotoBelowStandard => {
                "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.".into()
            }
            RejectionReason::DataMismatch => {
                "Nguyên nhân không đạt là do thông tin không khớp với Cơ sở dữ liệu Quốc gia về Dân cư."
                    .into()
            }
            RejectionReason::Other(s) => s.clone(),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        match self {
            RejectionReason::PhotoBelowStandard => {
                "Not accepted: the photo is below standard.".into()
            }
            RejectionReason::DataMismatch => {
                "Not accepted: the data disagree with the National Population Database.".into()
            }
            RejectionReason::Other(s) => s.clone(),
        }
    }
}

/// Where a dossier stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
#[non_exhaustive]
pub enum DossierStatus {
    /// "Đã gửi xử lý hồ sơ": waiting for review.
    Submitted,
    /// "Hồ sơ được phê duyệt".
    Approved,
    /// "Hồ sơ không đạt": create it again ("Tạo lại hồ sơ").
    NotAccepted {
        /// Why.
        reason: RejectionReason,
    },
}

impl DossierStatus {
    /// What the citizen reads, in seed 003's words: "Đã gửi xử lý hồ sơ"
    /// (line 424), "Hồ sơ được phê duyệt" (line 440), "Hồ sơ không đạt" and
    /// "Hồ sơ không đảm bảo điều kiện để đăng ký" (lines 414, 416) followed
    /// by the reason and the step to take (line 422: "Tạo lại hồ sơ").
    pub fn message_vi(&self) -> String {
        match self {
            DossierStatus::Submitted => "Đã gửi xử lý hồ sơ".into(),
            DossierStatus::Approved => "Hồ sơ được phê duyệt".into(),
            DossierStatus::NotAccepted { reason } => format!(
                "Hồ sơ không đạt. Hồ sơ không đảm bảo điều kiện để đăng ký. {} \
                 Bạn cần thực hiện Tạo lại hồ sơ.",
                reason.message_vi()
            ),
        }
    }

    /// [`message_vi`](Self::message_vi) in English.
    pub fn message_en(&self) -> String {
        match self {
            DossierStatus::Submitted => "Dossier submitted for processing".into(),
            DossierStatus::Approved => "Dossier approved".into(),
            DossierStatus::NotAccepted { reason } => format!(
                "Dossier not accepted: it does not meet the conditions for registration. {} \
                 Create the dossier again.",
                reason.message_en()
            ),
        }
    }
}

/// A dossier for a level-1 or level-2 electronic identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// The level applied for.
    pub level: Level,
    /// Where it stands.
    pub status: DossierStatus,
    /// The card's data.
    pub card: CardData,
    /// The portrait (level 1; level 2 takes it at the office).
    pub portrait: Option<PhotoRef>,
    /// The optional e-mail address (level 1).
    pub email: Option<String>,
    /// Documents integrated (level 2).
    pub documents: Vec<IntegratedDocument>,
    /// The police office that recorded it (level 2); `None` for level 1
    /// and for dossiers recorded before the office was kept.
    #[serde(default)]
    pub office: Option<String>,
    /// The phone the citizen gave the officer ("SĐT khi làm CCCD", 004):
    /// the approval SMS and the activation use it (level 2).
    #[serde(default)]
    pub phone: Option<Phone>,
    /// When it was submitted (Unix seconds): "Ngày đăng ký".
    pub submitted_at: u64,
    /// When it last changed: "Cập nhật lần cuối".
    pub updated_at: u64,
}

/// A booked appointment for a level-2 registration at a police office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    /// The office, as the server names it.
    pub office: String,
    /// When (Unix seconds).
    pub at: u64,
}

/// Who locks or unlocks an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Actor {
    /// The holder.
    Holder,
    /// A police officer.
    Officer(OfficerId),
    /// The system itself (a limit was reached).
    System,
}

/// Why an account is locked (Decree 59/2022/NĐ-CP, as amended by Decree
/// 69/2024/NĐ-CP: at the holder's request, on a violation of the terms of
/// use, when the card is revoked or withheld, on the holder's death or a
/// declaration of missing; and here also after too many wrong passcodes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LockReason {
    /// The holder asked (phone lost, suspected misuse).
    HolderRequest,
    /// Too many wrong passcodes.
    TooManyWrongPasscodes,
    /// The CCCD was revoked or withheld.
    CardRevoked,
    /// The holder died or was declared missing.
    Death,
    /// The terms of use were violated.
    TermsViolation,
}

impl LockReason {
    /// The reason in Vietnamese.
    pub fn vi(&self) -> &'static str {
        match self {
            LockReason::HolderRequest => "theo yêu cầu của chủ tài khoản",
            LockReason::TooManyWrongPasscodes => "nhập sai passcode quá số lần cho phép",
            LockReason::CardRevoked => "thẻ Căn cước công dân bị thu hồi, tạm giữ",
            LockReason::Death => "chủ tài khoản đã chết hoặc mất tích",
            LockReason::TermsViolation => "vi phạm điều khoản sử dụng",
        }
    }

    /// The reason in English.
    pub fn en(&self) -> &'static str {
        match self {
            LockReason::HolderRequest => "at the holder's request",
            LockReason::TooManyWrongPasscodes => "too many wrong passcodes",
            LockReason::CardRevoked => "the citizen identity card was revoked or withheld",
            LockReason::Death => "the holder died or was declared missing",
            LockReason::TermsViolation => "the terms of use were violated",
        }
    }

    /// Whether the holder may lift this lock (with password and a security
    /// answer); the others need an officer.
    pub fn holder_may_unlock(&self) -> bool {
        matches!(
            self,
            LockReason::HolderRequest | LockReason::TooManyWrongPasscodes
        )
    }
}

/// A lock on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    /// Who locked it.
    pub by: Actor,
    /// Why.
    pub reason: LockReason,
    /// When (Unix seconds).
    pub at: u64,
}

/// A service of the app (003: "Danh sách dịch vụ tài khoản mức 1", "Tài
/// khoản mức 2"). Using one is confirmed with the passcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Service {
    /// Phòng chống dịch.
    EpidemicPrevention,
    /// Tích hợp thông tin cá nhân từ Cơ sở dữ liệu Quốc gia về Dân cư.
    PopulationData,
    /// Dịch vụ Công Quốc gia.
    NationalPublicServices,
    /// Cập nhật các tin tức, bài viết, thông báo mới nhất từ Bộ Công An.
    News,
    /// Thanh toán hóa đơn.
    BillPayment,
    /// Tích hợp thông tin thẻ Căn cước công dân từ hệ thống Căn cước công
    /// dân Quốc gia (level 2).
    CardData,
    /// Tích hợp thông tin các loại giấy tờ tùy thân, thông tin người phụ
    /// thuộc và các nhóm thông tin của các Bộ, Ban ngành (level 2).
    IntegratedDocuments,
}

impl Service {
    /// Every service, in the order of seed 003.
    pub const ALL: [Service; 7] = [
        Service::EpidemicPrevention,
        Service::PopulationData,
        Service::NationalPublicServices,
        Service::News,
        Service::BillPayment,
        Service::CardData,
        Service::IntegratedDocuments,
    ];

    /// The lowest level that offers it.
    pub fn min_level(self) -> Level {
        match self {
            Service::CardData | Service::IntegratedDocuments => Level::Two,
            _ => Level::One,
        }
    }

    /// The services of a level (level 2 has every level-1 service too).
    pub fn for_level(level: Level) -> Vec<Service> {
        Service::ALL
            .into_iter()
            .filter(|s| s.min_level() <= level)
            .collect()
    }

    /// The name in Vietnamese, as seed 003 lists it.
    pub fn vi(self) -> &'static str {
        match self {
            Service::EpidemicPrevention => "Phòng chống dịch",
            Service::PopulationData => {
                "Tích hợp thông tin cá nhân từ Cơ sở dữ liệu Quốc gia về Dân cư"
            }
            Service::NationalPublicServices => "Dịch vụ Công Quốc gia",
            Service::News => "Cập nhật các tin tức, bài viết, thông báo mới nhất từ Bộ Công An",
            Service::BillPayment => "Thanh toán hóa đơn",
            Service::CardData => {
                "Tích hợp thông tin thẻ Căn cước công dân từ hệ thống Căn cước công dân Quốc gia"
            }
            Service::IntegratedDocuments => {
                "Tích hợp thông tin các loại giấy tờ tùy thân, thông tin người phụ thuộc và các nhóm thông tin của các Bộ, Ban ngành"
            }
        }
    }

    /// The name in English.
    pub fn en(self) -> &'static str {
        match self {
            Service::EpidemicPrevention => "Epidemic prevention",
            Service::PopulationData => "Personal data from the National Population Database",
            Service::NationalPublicServices => "National public services",
            Service::News => "News and notices from the Ministry of Public Security",
            Service::BillPayment => "Bill payment",
            Service::CardData => "Citizen identity card data from the national card system",
            Service::IntegratedDocuments => "Identity documents, dependants and ministries' data",
        }
    }
}

// Closed on purpose: the device index's answer is yes or no.
/// Whether a device is bound to other accounts: the server's device index
/// answers, the caller puts it in the [`Context`](crate::Context).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceUse {
    /// The device is bound to no level-1/2 account.
    Free,
    /// The device is active for one or more other level-1/2 accounts. One
    /// phone may activate several accounts (004): this is a notice, not a
    /// refusal.
    InUseByOtherAccounts,
}
