//! Commands: what a citizen, an officer or the app asks for.

use cccd::IdNumber;
use eid_credentials::SecretString;

use crate::table::CommandKind;
use crate::types::{
    CardData, DetailsInput, DeviceId, IntegratedDocument, LockReason, OfficerId, Phone, PhotoRef,
    RejectionReason, Service, SessionId,
};

/// A command and the version of the state it was decided on: the number of
/// events the caller folded. A command whose `expected_version` is not the
/// account's version is refused ([`AccountError::VersionConflict`](crate::AccountError::VersionConflict)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The account's version when the caller read it.
    pub expected_version: u64,
    /// What is asked.
    pub action: Action,
}

impl Command {
    /// `action` on the state at `expected_version`.
    pub fn new(expected_version: u64, action: Action) -> Command {
        Command {
            expected_version,
            action,
        }
    }
}

/// How the citizen logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoginName {
    /// With the personal identification number.
    IdNumber(IdNumber),
    /// "Đăng nhập bằng số điện thoại".
    Phone(Phone),
}

/// What is asked. Secrets are [`SecretString`]s: hidden from `Debug`,
/// zeroized, and never copied into events (only their hashes are).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Registration ①-④ in one decision: the ID number, the
    /// carrier-registered phone, the details (QR or typed) and the terms,
    /// checked against the registry answer in the context; sends the OTP to
    /// that phone. One decision on purpose: a refused registration (registry
    /// mismatch, terms not accepted) leaves nothing behind, and the phone
    /// becomes the account's only once the OTP sent to it is verified.
    /// While another registration's code is live, a new one is refused
    /// ([`AccountError::FlowInProgress`](crate::AccountError::FlowInProgress)):
    /// an unauthenticated request never destroys someone's pending flow.
    Register {
        /// The personal identification number.
        id_number: IdNumber,
        /// The phone number.
        phone: Phone,
        /// The details.
        details: DetailsInput,
        /// "Tôi đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ".
        terms_accepted: bool,
        /// The version of the terms shown and accepted (1 to 64
        /// characters), recorded in [`EventKind::RegistrationStarted`](crate::EventKind::RegistrationStarted).
        terms_version: String,
    },
    /// "Gửi lại mã": a new one-time code for the flow in progress.
    ResendOtp,
    /// The one-time code of the flow in progress.
    VerifyOtp {
        /// The code received by SMS.
        code: SecretString,
    },
    /// The password and its confirmation (registration, activation, reset).
    SetPassword {
        /// "Mật khẩu".
        password: SecretString,
        /// "Nhập lại mật khẩu".
        confirmation: SecretString,
    },
    /// Log in with the ID number or the phone number and the password.
    Login {
        /// ID number or phone.
        login: LoginName,
        /// The password.
        password: SecretString,
        /// The device.
        device: DeviceId,
    },
    /// End a session.
    Logout {
        /// The session.
        session: SessionId,
    },
    /// "Quên mật khẩu": start a reset (OTP to the registered phone).
    RequestPasswordReset {
        /// ID number or phone.
        login: LoginName,
        /// The registered phone number.
        phone: Phone,
    },
    /// Password reset: the answers to both security questions.
    AnswerSecurityQuestions {
        /// (question id, answer) for both questions, any order.
        answers: Vec<(String, SecretString)>,
    },
    /// Level 1, logged in: the card's data (NFC or QR), the portrait, an
    /// optional e-mail. Also "Tạo lại hồ sơ" after a dossier not accepted.
    SubmitLevel1Dossier {
        /// The session.
        session: SessionId,
        /// The card's data.
        card: CardData,
        /// The portrait photo.
        portrait: PhotoRef,
        /// The e-mail, optional.
        email: Option<String>,
    },
    /// Level 2, logged in: book an appointment at a police office.
    BookAppointment {
        /// The session.
        session: SessionId,
        /// The office.
        office: String,
        /// When (Unix seconds, in the future).
        at: u64,
    },
    /// Cancel the booked appointment.
    CancelAppointment {
        /// The session.
        session: SessionId,
    },
    /// Level 2, by an officer at the office (level 1 may be skipped; the
    /// citizen may have no app account, and her card may be being issued
    /// or renewed: [`ChipSource::Typed`](crate::ChipSource::Typed)). The
    /// phone becomes the account's: only another officer's record changes
    /// it.
    RecordLevel2Dossier {
        /// The officer.
        officer: OfficerId,
        /// The police office (1 to 200 characters).
        office: String,
        /// The card's data (QR, chip or typed at the office; the caller
        /// checked them against the registry).
        card: CardData,
        /// The phone number the citizen gives ("SĐT khi làm CCCD").
        phone: Phone,
        /// Documents to integrate.
        documents: Vec<IntegratedDocument>,
    },
    /// An officer approves the pending dossier (sends the approval SMS).
    ApproveDossier {
        /// The officer.
        officer: OfficerId,
    },
    /// An officer does not accept the pending dossier.
    RejectDossier {
        /// The officer.
        officer: OfficerId,
        /// Why.
        reason: RejectionReason,
    },
    /// Activation ①: ID number, phone, "Gửi yêu cầu", from a device; the
    /// device index's answer is in the context.
    StartActivation {
        /// The personal identification number.
        id_number: IdNumber,
        /// The phone number.
        phone: Phone,
        /// The device.
        device: DeviceId,
    },
    /// Activation: the passcode and its confirmation.
    SetPasscode {
        /// "Đặt mã số".
        passcode: SecretString,
        /// The passcode again.
        confirmation: SecretString,
    },
    /// Activation: two questions of the catalogue with their answers.
    SetSecurityQuestions {
        /// (question id, answer), exactly two.
        answers: Vec<(String, SecretString)>,
    },
    /// Confirm the use of a service with the passcode.
    ConfirmPasscode {
        /// The session.
        session: SessionId,
        /// The service.
        service: Service,
        /// The passcode.
        passcode: SecretString,
    },
    /// Move the active account to another device (OTP to follow).
    StartDeviceChange {
        /// The personal identification number.
        id_number: IdNumber,
        /// The password.
        password: SecretString,
        /// The new device.
        device: DeviceId,
    },
    /// The holder locks the account.
    LockByHolder {
        /// The session.
        session: SessionId,
    },
    /// The holder unlocks a lock they may lift: password, and the answer to
    /// one security question once they exist.
    UnlockByHolder {
        /// The personal identification number.
        id_number: IdNumber,
        /// The password.
        password: SecretString,
        /// (question id, answer), required when questions are set.
        answer: Option<(String, SecretString)>,
    },
    /// An officer locks the account (card revoked, death, terms violation,
    /// the holder's request at the office).
    LockByOfficer {
        /// The officer.
        officer: OfficerId,
        /// Why.
        reason: LockReason,
    },
    /// An officer lifts the lock.
    UnlockByOfficer {
        /// The officer.
        officer: OfficerId,
    },
}

impl Action {
    /// The kind, for the transition table.
    pub fn kind(&self) -> CommandKind {
        use CommandKind as K;
        match self {
            Action::Register { .. } => K::Register,
            Action::ResendOtp => K::ResendOtp,
            Action::VerifyOtp { .. } => K::VerifyOtp,
            Action::SetPassword { .. } => K::SetPassword,
            Action::Login { .. } => K::Login,
            Action::Logout { .. } => K::Logout,
            Action::RequestPasswordReset { .. } => K::RequestPasswordReset,
            Action::AnswerSecurityQuestions { .. } => K::AnswerSecurityQuestions,
            Action::SubmitLevel1Dossier { .. } => K::SubmitLevel1Dossier,
            Action::BookAppointment { .. } => K::BookAppointment,
            Action::CancelAppointment { .. } => K::CancelAppointment,
            Action::RecordLevel2Dossier { .. } => K::RecordLevel2Dossier,
            Action::ApproveDossier { .. } => K::ApproveDossier,
            Action::RejectDossier { .. } => K::RejectDossier,
            Action::StartActivation { .. } => K::StartActivation,
            Action::SetPasscode { .. } => K::SetPasscode,
            Action::SetSecurityQuestions { .. } => K::SetSecurityQuestions,
            Action::ConfirmPasscode { .. } => K::ConfirmPasscode,
            Action::StartDeviceChange { .. } => K::StartDeviceChange,
            Action::LockByHolder { .. } => K::LockByHolder,
            Action::UnlockByHolder { .. } => K::UnlockByHolder,
            Action::LockByOfficer { .. } => K::LockByOfficer,
            Action::UnlockByOfficer { .. } => K::UnlockByOfficer,
        }
    }
}
