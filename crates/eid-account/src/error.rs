//! The crate's one error type: every refusal, with a Vietnamese and an
//! English message.

use eid_credentials::{PASSCODE_HINT_EN, PASSCODE_HINT_VI, PasscodeReason, PasswordReason};
use serde::{Deserialize, Serialize};

use crate::table::{CommandKind, Phase};
use crate::types::{FieldMismatch, LockReason};

/// "Tài khoản của bạn chưa được định danh điện tử" (001 step 6).
pub const MSG_NOT_IDENTIFIED: &str = "Tài khoản của bạn chưa được định danh điện tử";
/// "Tài khoản của bạn đã thực hiện kích hoạt" (001 step 6).
pub const MSG_ALREADY_ACTIVATED: &str = "Tài khoản của bạn đã thực hiện kích hoạt";
/// The registry notice of seed 003, on a mismatch the citizen believes is
/// the database's fault (the seed's "để nghị" is written "đề nghị").
pub const MSG_REGISTRY_UPDATE: &str = "Kiểm tra lại thông tin tài khoản so với thông tin trên giấy tờ tùy thân. Trường hợp thông tin tài khoản đã chính xác thì đề nghị bạn liên hệ Công an Xã/Phường/Thị trấn nơi đăng ký thường trú (hộ khẩu) để được cập nhật, bổ sung thông tin vào Cơ sở dữ liệu Quốc gia về Dân cư.";

/// A secrets-free description of a security-question refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuestionsProblem {
    /// Not exactly two questions.
    NotTwo,
    /// The same question twice.
    SameTwice,
    /// A question not in the catalogue.
    Unknown(String),
    /// An empty answer.
    EmptyAnswer(String),
}

/// Every refusal of a command. [`core::fmt::Display`] is the English
/// message ([`AccountError::en`]); [`AccountError::vi`] the Vietnamese one,
/// in the seeds' wording where they give one. No variant carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The command was decided on a stale state: another command was
    /// appended since (optimistic concurrency).
    #[error(
        "the account changed meanwhile (expected version {expected}, now {actual}): reload and retry"
    )]
    VersionConflict {
        /// The version the command was decided against.
        expected: u64,
        /// The account's version.
        actual: u64,
    },
    /// The step is not the next one of the flow (skipped or repeated).
    #[error("this step cannot be done now ({command:?} in {phase:?})")]
    StepOutOfOrder {
        /// Where the account is.
        phase: Phase,
        /// What was attempted.
        command: CommandKind,
    },
    /// Internal consistency check: a transition the table does not list
    /// (a bug; property-tested never to happen).
    #[error("internal error: transition {from:?} --{command:?}--> {to:?} is not in the table")]
    TransitionNotInTable {
        /// Phase before.
        from: Phase,
        /// The command.
        command: CommandKind,
        /// Phase after.
        to: Phase,
    },
    /// No account for this ID number.
    #[error("no account is registered with this personal identification number")]
    NoAccount,
    /// An account already exists for this ID number.
    #[error("an account already exists for this personal identification number")]
    AlreadyRegistered,
    /// The ID number and the phone number do not match the account.
    #[error("the personal identification number or the phone number is wrong")]
    IdOrPhoneMismatch,
    /// The phone number is not a valid Vietnamese number.
    #[error("the phone number is not valid")]
    InvalidPhone,
    /// The device id is not valid.
    #[error("the device identifier is not valid")]
    InvalidDevice,
    /// The terms of use were not accepted.
    #[error("you must accept the terms of use of the app and its services")]
    TermsNotAccepted,
    /// The QR code or the chip belongs to another ID number, or the card's
    /// data differ from the account's.
    #[error("the card's data do not match this account")]
    CardMismatch,
    /// The National Population Database disagrees on these fields.
    #[error("{}", mismatch_en(.0))]
    RegistryMismatch(Vec<FieldMismatch>),
    /// The National Population Database has no such citizen.
    #[error(
        "your data are not in the National Population Database: ask the commune police of your permanent residence to update it"
    )]
    NotInRegistry,
    /// The caller did not put the registry's answer in the context.
    #[error("the National Population Database did not answer: try again later")]
    RegistryUnavailable,
    /// The caller did not put the device index's answer in the context.
    #[error("the device check did not answer: try again later")]
    DeviceCheckUnavailable,
    /// A wrong one-time code.
    #[error("wrong OTP code ({tries_left} tries left)")]
    WrongOtp {
        /// Wrong codes still allowed.
        tries_left: u32,
    },
    /// The one-time code expired.
    #[error("the OTP code has expired: ask for a new one")]
    OtpExpired,
    /// Too many wrong codes: the challenge is dead.
    #[error("too many wrong OTP codes: start again")]
    OtpExhausted,
    /// A new code was asked for too soon.
    #[error("wait {seconds_left} s before asking for a new code")]
    OtpCooldown {
        /// Seconds to wait.
        seconds_left: u64,
    },
    /// Too many codes sent to this account in the last hour.
    #[error("too many codes sent: wait {seconds_left} s")]
    OtpRateLimited {
        /// Seconds to wait.
        seconds_left: u64,
    },
    /// The challenge was resent too often.
    #[error("the code was resent too often: start again")]
    OtpResendLimit,
    /// The password breaks the policy.
    #[error("password refused: {}", join_en_pw(.0))]
    PasswordRefused(Vec<PasswordReason>),
    /// The passcode breaks the policy.
    #[error("passcode refused: {}", join_en_pc(.0))]
    PasscodeRefused(Vec<PasscodeReason>),
    /// The passcode confirmation differs.
    #[error("the passcode confirmation does not match")]
    PasscodeConfirmationMismatch,
    /// The security questions are not acceptable.
    #[error("security questions refused: {0:?}")]
    QuestionsRefused(QuestionsProblem),
    /// Wrong login name or password (which of the two is not said).
    #[error("wrong personal identification number, phone number or password")]
    WrongCredentials,
    /// Too many failed logins: wait.
    #[error("too many failed logins: try again in {seconds_left} s")]
    LoginLockedOut {
        /// Seconds until logins are accepted again.
        seconds_left: u64,
    },
    /// The account has no password yet (registered in person, not activated).
    #[error("this account has no password yet: activate it first")]
    NoPassword,
    /// The session is unknown or expired.
    #[error("you are not logged in (or the session expired)")]
    NotLoggedIn,
    /// Activation of an app account only (001 step 6).
    #[error("your account is not an electronic identity yet")]
    NotIdentified,
    /// Activation of an activated account (001 step 6).
    #[error("your account has already been activated")]
    AlreadyActivated,
    /// A service or step that needs an activated electronic identity.
    #[error("your electronic identity account is not activated")]
    NotActivated,
    /// A dossier is already waiting for review.
    #[error("a dossier is already waiting for review")]
    DossierPending,
    /// The account is already an electronic identity of this level or higher.
    #[error("the account already has this level")]
    LevelAlreadyHeld,
    /// No dossier is waiting for review.
    #[error("no dossier is waiting for review")]
    NoDossierPending,
    /// No appointment is booked.
    #[error("no appointment is booked")]
    NoAppointment,
    /// The appointment time is in the past.
    #[error("the appointment must be in the future")]
    AppointmentInPast,
    /// The account is locked.
    #[error("the account is locked: {}", .0.en())]
    Locked(LockReason),
    /// The account is locked, said without the reason (what a caller who
    /// has not proved who they are is told: see
    /// [`AccountError::for_unauthenticated`]).
    #[error("the account is locked")]
    LockedWithoutReason,
    /// The account is not locked.
    #[error("the account is not locked")]
    NotLocked,
    /// This lock can only be lifted by an officer.
    #[error("this lock can only be lifted by the police")]
    UnlockNeedsOfficer,
    /// A wrong passcode.
    #[error("wrong passcode ({tries_left} tries left)")]
    WrongPasscode {
        /// Wrong passcodes still allowed before the account is locked.
        tries_left: u32,
    },
    /// Wrong security answers.
    #[error("wrong answers to the security questions ({tries_left} tries left)")]
    WrongAnswers {
        /// Tries left before the password reset is cancelled.
        tries_left: u32,
    },
    /// The service needs a higher level.
    #[error("this service needs a level-2 account")]
    ServiceNeedsLevel2,
    /// The account is already bound to this device.
    #[error("the account is already active on this device")]
    SameDevice,
    /// The session was not opened on the device the identity is bound to.
    #[error("confirm this service on the device your electronic identity is activated on")]
    NotBoundDevice,
    /// Another flow of this account is in progress (its code pending, or
    /// its later steps still open): an unauthenticated request cannot start
    /// a new one over it.
    #[error(
        "a registration, activation or reset is in progress: finish it, or try again in {seconds_left} s"
    )]
    FlowInProgress {
        /// Seconds until the flow in progress lapses.
        seconds_left: u64,
    },
    /// A field of the form is empty or too long.
    #[error("the field {0} is empty or too long")]
    InvalidField(&'static str),
    /// The random source failed.
    #[error("the random number generator failed")]
    Rng,
    /// Hashing or another internal step failed (the text names it).
    #[error("internal error: {0}")]
    Internal(String),
}

fn mismatch_en(fields: &[FieldMismatch]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.field.label_en()).collect();
    format!(
        "the data do not match the National Population Database ({}): correct them, or if they are right ask the commune police of your permanent residence to update the database",
        names.join(", ")
    )
}

fn join_en_pw(r: &[PasswordReason]) -> String {
    r.iter()
        .map(PasswordReason::message_en)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The reasons, then seed 003's hint once (not once a reason).
fn join_pc(r: &[PasscodeReason], message: fn(&PasscodeReason) -> String, hint: &str) -> String {
    let mut parts: Vec<String> = r.iter().map(message).collect();
    parts.push(hint.to_owned());
    parts.join(" ")
}

fn join_en_pc(r: &[PasscodeReason]) -> String {
    join_pc(r, PasscodeReason::message_en, PASSCODE_HINT_EN)
}

impl AccountError {
    /// The message in English (the same as `Display`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// Short for [`message_en`](Self::message_en).
    pub fn en(&self) -> String {
        self.message_en()
    }

    /// Short for [`message_vi`](Self::message_vi).
    pub fn vi(&self) -> String {
        self.message_vi()
    }

    /// The message in Vietnamese: the seeds' wording where they give one.
    pub fn message_vi(&self) -> String {
        use AccountError as E;
        match self {
            E::VersionConflict { .. } => {
                "Tài khoản vừa thay đổi, vui lòng tải lại và thử lại.".into()
            }
            E::StepOutOfOrder { .. } => {
                "Bước này không thể thực hiện lúc này, vui lòng làm theo đúng thứ tự các bước."
                    .into()
            }
            E::TransitionNotInTable { .. } => "Lỗi hệ thống.".into(),
            E::NoAccount => "Số định danh cá nhân chưa đăng ký tài khoản.".into(),
            E::AlreadyRegistered => "Số định danh cá nhân đã đăng ký tài khoản.".into(),
            E::IdOrPhoneMismatch => "Số định danh cá nhân hoặc số điện thoại không đúng.".into(),
            E::InvalidPhone => "Số điện thoại không hợp lệ.".into(),
            E::InvalidDevice => "Thiết bị không hợp lệ.".into(),
            E::TermsNotAccepted => {
                "Bạn cần đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ.".into()
            }
            E::CardMismatch => "Thông tin trên thẻ không khớp với tài khoản.".into(),
            E::RegistryMismatch(fields) => {
                let names: Vec<&str> = fields.iter().map(|f| f.field.label_vi()).collect();
                format!(
                    "Thông tin không khớp với Cơ sở dữ liệu Quốc gia về Dân cư: {}. {MSG_REGISTRY_UPDATE}",
                    names.join(", ")
                )
            }
            E::NotInRegistry => MSG_REGISTRY_UPDATE.into(),
            E::RegistryUnavailable => {
                "Cơ sở dữ liệu Quốc gia về Dân cư chưa phản hồi, vui lòng thử lại sau.".into()
            }
            E::DeviceCheckUnavailable => {
                "Chưa kiểm tra được thiết bị, vui lòng thử lại sau.".into()
            }
            E::WrongOtp { tries_left } => {
                format!("Mã OTP không đúng (còn {tries_left} lần thử).")
            }
            E::OtpExpired => "Mã OTP đã quá hạn sử dụng, vui lòng nhấn \"Gửi lại mã\".".into(),
            E::OtpExhausted => "Bạn đã nhập sai mã OTP quá số lần cho phép.".into(),
            E::OtpCooldown { seconds_left } => {
                format!("Vui lòng đợi {seconds_left} giây trước khi gửi lại mã.")
            }
            E::OtpRateLimited { seconds_left } => {
                format!("Bạn đã yêu cầu quá nhiều mã OTP, vui lòng đợi {seconds_left} giây.")
            }
            E::OtpResendLimit => "Bạn đã gửi lại mã quá số lần cho phép.".into(),
            E::PasswordRefused(r) => r
                .iter()
                .map(PasswordReason::message_vi)
                .collect::<Vec<_>>()
                .join(" "),
            E::PasscodeRefused(r) => join_pc(r, PasscodeReason::message_vi, PASSCODE_HINT_VI),
            E::PasscodeConfirmationMismatch => "Passcode nhập lại không khớp.".into(),
            E::QuestionsRefused(p) => match p {
                QuestionsProblem::NotTwo => "Bạn cần chọn đúng hai câu hỏi bảo mật.".into(),
                QuestionsProblem::SameTwice => "Hai câu hỏi bảo mật phải khác nhau.".into(),
                QuestionsProblem::Unknown(_) => "Câu hỏi bảo mật không có trong danh sách.".into(),
                QuestionsProblem::EmptyAnswer(_) => "Câu trả lời không được để trống.".into(),
            },
            E::WrongCredentials => "Thông tin đăng nhập hoặc mật khẩu không đúng.".into(),
            E::LoginLockedOut { seconds_left } => format!(
                "Bạn đã đăng nhập sai quá số lần cho phép, vui lòng thử lại sau {seconds_left} giây."
            ),
            E::NoPassword => {
                "Tài khoản chưa có mật khẩu, vui lòng kích hoạt tài khoản định danh điện tử.".into()
            }
            E::NotLoggedIn => "Vui lòng đăng nhập để tiếp tục.".into(),
            E::NotIdentified => MSG_NOT_IDENTIFIED.into(),
            E::AlreadyActivated => MSG_ALREADY_ACTIVATED.into(),
            E::NotActivated => "Tài khoản định danh điện tử của bạn chưa được kích hoạt.".into(),
            E::DossierPending => "Hồ sơ của bạn đang chờ xử lý.".into(),
            E::LevelAlreadyHeld => "Tài khoản của bạn đã được định danh ở mức này.".into(),
            E::NoDossierPending => "Không có hồ sơ đang chờ xử lý.".into(),
            E::NoAppointment => "Bạn chưa đặt lịch hẹn.".into(),
            E::AppointmentInPast => "Thời gian hẹn phải sau thời điểm hiện tại.".into(),
            E::Locked(r) => format!("Tài khoản đã bị khóa: {}.", r.vi()),
            E::LockedWithoutReason => "Tài khoản đã bị khóa.".into(),
            E::NotLocked => "Tài khoản không bị khóa.".into(),
            E::UnlockNeedsOfficer => "Tài khoản chỉ được mở khóa bởi cơ quan Công an.".into(),
            E::WrongPasscode { tries_left } => {
                format!("Passcode không đúng (còn {tries_left} lần thử).")
            }
            E::WrongAnswers { tries_left } => {
                format!("Câu trả lời bảo mật không đúng (còn {tries_left} lần thử).")
            }
            E::ServiceNeedsLevel2 => {
                "Dịch vụ này dành cho tài khoản định danh điện tử mức 2.".into()
            }
            E::SameDevice => "Tài khoản đã được kích hoạt trên thiết bị này.".into(),
            E::NotBoundDevice => {
                "Vui lòng xác nhận trên thiết bị đã kích hoạt tài khoản định danh điện tử.".into()
            }
            E::FlowInProgress { seconds_left } => format!(
                "Yêu cầu trước đó đang được xử lý, vui lòng hoàn tất hoặc thử lại sau {seconds_left} giây."
            ),
            E::InvalidField(_) => "Thông tin nhập vào không hợp lệ.".into(),
            E::Rng => "Lỗi hệ thống (nguồn ngẫu nhiên).".into(),
            E::Internal(_) => "Lỗi hệ thống.".into(),
        }
    }

    /// What may be said to a caller who has not proved who they are (no
    /// session, no flow token): refusals that would tell what an ID number
    /// or a phone number holds become one answer each. A login that finds no
    /// account, no password, or a lockout answers [`AccountError::WrongCredentials`]
    /// (the Argon2 work was done all the same); a registry mismatch, whatever
    /// the fields, answers [`AccountError::NotInRegistry`] (the seeds' "Kiểm tra
    /// lại thông tin..." notice, with no field list); an ID and phone that do not
    /// fit, or no account, answer [`AccountError::IdOrPhoneMismatch`]. A lock's
    /// reason is kept for the holder and officers: `Locked` becomes
    /// [`AccountError::LockedWithoutReason`]. Everything else is unchanged.
    pub fn for_unauthenticated(&self) -> AccountError {
        use AccountError as E;
        match self {
            E::LoginLockedOut { .. } | E::NoPassword | E::WrongCredentials => E::WrongCredentials,
            E::RegistryMismatch(_) | E::NotInRegistry => E::NotInRegistry,
            E::NoAccount | E::IdOrPhoneMismatch => E::IdOrPhoneMismatch,
            E::Locked(_) => E::LockedWithoutReason,
            other => other.clone(),
        }
    }

    /// Maps a refusal of `eid_otp`.
    pub(crate) fn from_otp(e: eid_otp::Error) -> AccountError {
        use eid_otp::Error as O;
        match e {
            O::WrongCode { tries_left } => AccountError::WrongOtp { tries_left },
            O::Expired => AccountError::OtpExpired,
            O::Exhausted | O::AlreadyUsed | O::WrongSubjectOrPurpose => AccountError::OtpExhausted,
            O::Cooldown { seconds_left } => AccountError::OtpCooldown { seconds_left },
            O::RateLimited { seconds_left } => AccountError::OtpRateLimited { seconds_left },
            O::ResendLimit => AccountError::OtpResendLimit,
            O::Rng => AccountError::Rng,
            other => AccountError::Internal(other.to_string()),
        }
    }

    /// Maps an error of `eid_credentials`.
    pub(crate) fn from_credentials(e: eid_credentials::Error) -> AccountError {
        use eid_credentials::Error as C;
        match e {
            C::PasswordRefused(r) => AccountError::PasswordRefused(r),
            C::PasscodeRefused(r) => AccountError::PasscodeRefused(r),
            C::WrongNumberOfQuestions(_) => {
                AccountError::QuestionsRefused(QuestionsProblem::NotTwo)
            }
            C::SameQuestionTwice => AccountError::QuestionsRefused(QuestionsProblem::SameTwice),
            C::UnknownQuestion(q) => AccountError::QuestionsRefused(QuestionsProblem::Unknown(q)),
            C::EmptyAnswer(q) => AccountError::QuestionsRefused(QuestionsProblem::EmptyAnswer(q)),
            C::Rng => AccountError::Rng,
            other => AccountError::Internal(other.to_string()),
        }
    }
}
