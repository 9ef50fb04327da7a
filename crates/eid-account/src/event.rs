//! Events (what happened, appended to a store) and effects (what the caller
//! must do: send an SMS, notify officers).

use core::fmt;

use cccd::IdNumber;
use eid_credentials::{SecretString, SecurityQuestions};
use eid_otp::{Challenge, Purpose, SendLog};
use serde::{Deserialize, Serialize};

use crate::state::Flow;
use crate::types::{
    Actor, CardData, DetailsSource, DeviceId, DeviceUse, IntegratedDocument, Level, LockReason,
    OfficerId, PersonalDetails, Phone, PhotoRef, RejectionReason, Service, SessionId,
};

/// The schema version written in every event. Bump it when an event's
/// shape changes, and teach [`crate::apply`] to read the old one.
pub const EVENT_SCHEMA_VERSION: u16 = 1;

/// A PHC string (`$argon2id$v=19$...`) of a password or passcode. Not the
/// secret itself, but `Debug` hides it anyway.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhcHash(pub String);

impl fmt::Debug for PhcHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhcHash([redacted])")
    }
}

/// One event of an account's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// [`EVENT_SCHEMA_VERSION`] when written.
    pub schema: u16,
    /// Position in the account's log, from 1: with the ID number, the
    /// store's unique key (a second writer of the same position fails).
    pub sequence: u64,
    /// When it happened (Unix seconds, the context's `now`).
    pub at: u64,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// Registration began with the ID number and the phone (003 ①).
    RegistrationStarted {
        /// The personal identification number.
        id_number: IdNumber,
        /// The phone registered with the carrier.
        phone: Phone,
        /// The version of the terms of use accepted (`None` in events
        /// written before it was recorded).
        #[serde(default)]
        terms_version: Option<String>,
    },
    /// The details matched the National Population Database (003 ④).
    DetailsVerified {
        /// The details.
        details: PersonalDetails,
        /// QR code or typed.
        source: DetailsSource,
    },
    /// A one-time code was sent (the challenge holds only its keyed hash).
    OtpIssued {
        /// What for.
        purpose: Purpose,
        /// The challenge after the send.
        challenge: Challenge,
        /// The account's send log after the send.
        send_log: SendLog,
    },
    /// "Gửi lại mã": a new code replaced the old one.
    OtpResent {
        /// The challenge after the resend.
        challenge: Challenge,
        /// The account's send log after the resend.
        send_log: SendLog,
    },
    /// The code was right; the flow moves on.
    OtpVerified {
        /// The challenge after the check (used).
        challenge: Challenge,
        /// The flow's next step (`None`: the flow is over).
        next: Option<Flow>,
    },
    /// A wrong code (recorded: it counts against the challenge's tries).
    OtpRejected {
        /// The challenge after the check.
        challenge: Challenge,
    },
    /// The password was set (registration, activation or reset).
    PasswordSet {
        /// Its hash.
        hash: PhcHash,
    },
    /// The password's hash was redone at login (new parameters or pepper).
    PasswordRehashed {
        /// The new hash.
        hash: PhcHash,
    },
    /// Registration finished: an app account, not an electronic identity.
    AppAccountCreated,
    /// A login succeeded.
    LoggedIn {
        /// The new session.
        session: SessionId,
        /// The device.
        device: DeviceId,
        /// When the session ends (Unix seconds).
        expires_at: u64,
    },
    /// A login failed (wrong password).
    LoginFailed {
        /// Consecutive failures, this one included.
        failures: u32,
        /// Counted against the devices the account knows (else against
        /// every other device): see [`crate::LoginThrottle`].
        #[serde(default)]
        known_device: bool,
    },
    /// Too many failures: logins refused until `until` (from the devices
    /// the account knows, or from every other one).
    LoginLockedOut {
        /// End of the lockout (Unix seconds).
        until: u64,
        /// Lockouts so far (the next one lasts longer).
        lockouts: u32,
        /// Which devices are locked out: see [`crate::LoginThrottle`].
        #[serde(default)]
        known_device: bool,
    },
    /// A session ended at the holder's request.
    LoggedOut {
        /// The session.
        session: SessionId,
    },
    /// "Quên mật khẩu": a password reset began.
    PasswordResetStarted,
    /// The security answers were right (password reset).
    SecurityAnswersAccepted,
    /// Wrong security answers.
    SecurityAnswersRejected {
        /// Consecutive wrong tries.
        failures: u32,
    },
    /// The reset was abandoned after too many wrong answers.
    PasswordResetAborted,
    /// The new password is set: sessions end, the login lockout is lifted.
    PasswordResetCompleted,
    /// A level-1 dossier was submitted or created again.
    Level1DossierSubmitted {
        /// The card's data.
        card: CardData,
        /// The portrait photo.
        portrait: PhotoRef,
        /// The optional e-mail.
        email: Option<String>,
    },
    /// An officer recorded a level-2 dossier in person.
    Level2DossierRecorded {
        /// The officer.
        officer: OfficerId,
        /// The police office (`None` in events written before it was
        /// recorded).
        #[serde(default)]
        office: Option<String>,
        /// The card's data.
        card: CardData,
        /// The phone number given at the office: the account's from now on.
        phone: Phone,
        /// Documents integrated.
        documents: Vec<IntegratedDocument>,
    },
    /// The dossier was approved: an electronic identity of this level.
    DossierApproved {
        /// The officer.
        officer: OfficerId,
        /// The level granted.
        level: Level,
    },
    /// The dossier was not accepted.
    DossierNotAccepted {
        /// The officer.
        officer: OfficerId,
        /// Why.
        reason: RejectionReason,
    },
    /// An appointment for level 2 was booked.
    AppointmentBooked {
        /// The office.
        office: String,
        /// When.
        at: u64,
    },
    /// The appointment was cancelled.
    AppointmentCancelled,
    /// Activation began (after the level and device checks).
    ActivationStarted {
        /// The device activating.
        device: DeviceId,
        /// What the device check found.
        device_use: DeviceUse,
    },
    /// The passcode was set.
    PasscodeSet {
        /// Its hash (peppered).
        hash: PhcHash,
    },
    /// The two security questions were set.
    SecurityQuestionsSet {
        /// The question ids and the answers' hashes.
        questions: SecurityQuestions,
    },
    /// The account is now bound to this device (the server's device index
    /// adds the pair).
    DeviceBound {
        /// The device.
        device: DeviceId,
    },
    /// The account left this device (the index removes the pair).
    DeviceUnbound {
        /// The device.
        device: DeviceId,
    },
    /// The electronic identity is active.
    Activated {
        /// Its level.
        level: Level,
    },
    /// A device change began (OTP to follow).
    DeviceChangeStarted {
        /// The new device.
        device: DeviceId,
    },
    /// A service was confirmed with the passcode.
    PasscodeConfirmed {
        /// The service.
        service: Service,
    },
    /// A wrong passcode.
    PasscodeFailed {
        /// Consecutive failures.
        failures: u32,
    },
    /// The account was locked.
    AccountLocked {
        /// Who.
        by: Actor,
        /// Why.
        reason: LockReason,
    },
    /// The account was unlocked.
    AccountUnlocked {
        /// Who.
        by: Actor,
    },
}

/// What an SMS is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SmsKind {
    /// The approval notice of the Cục Cảnh sát QLHC về TTXH.
    Approval,
}

/// What officers are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OfficerNotice {
    /// A dossier waits for review.
    DossierToReview {
        /// Its level.
        level: Level,
    },
    /// An appointment was booked at an office.
    AppointmentBooked {
        /// The office.
        office: String,
        /// When.
        at: u64,
    },
    /// The account was locked by the system (too many wrong passcodes).
    AccountLockedBySystem,
}

/// What the caller must do after appending the events (in the same
/// transaction, for an outbox). `Debug` hides one-time codes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Send a one-time code by SMS. The code appears only here.
    SendOtp {
        /// To.
        phone: Phone,
        /// What for.
        purpose: Purpose,
        /// The code (hidden from `Debug`).
        code: SecretString,
        /// When it stops being valid (Unix seconds).
        expires_at: u64,
    },
    /// Send this SMS text.
    SendSms {
        /// To.
        phone: Phone,
        /// What for.
        kind: SmsKind,
        /// The exact text.
        text: String,
    },
    /// Tell the officers.
    NotifyOfficers {
        /// The account.
        id_number: IdNumber,
        /// What.
        notice: OfficerNotice,
    },
}

/// A message for the person at the screen (not a refusal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Notice {
    /// Registration done (003): "Thiết lập mật khẩu thành công. Bạn có thể
    /// đăng nhập bằng mật khẩu vừa thiết lập".
    PasswordSetUp,
    /// The device is bound to no other account: activate here.
    ActivateOnThisDevice,
    /// The device is in use for another account: the account is activated
    /// on this device too (001 step 7, 004).
    ActivateOnAnotherDevice,
    /// The account moved from its previous device to this one.
    MovedToThisDevice,
    /// "Bạn đã kích hoạt tài khoản định danh điện tử thành công".
    Activated,
}

/// The message of [`Notice::Activated`] (003).
pub const MSG_ACTIVATED: &str = "Bạn đã kích hoạt tài khoản định danh điện tử thành công";
/// The message of [`Notice::PasswordSetUp`] (003).
pub const MSG_PASSWORD_SET_UP: &str =
    "Thiết lập mật khẩu thành công. Bạn có thể đăng nhập bằng mật khẩu vừa thiết lập";

impl Notice {
    /// The message in Vietnamese (the seeds' wording where they give one).
    pub fn vi(self) -> &'static str {
        match self {
            Notice::PasswordSetUp => MSG_PASSWORD_SET_UP,
            Notice::ActivateOnThisDevice => {
                "Kích hoạt tài khoản định danh điện tử trên thiết bị này"
            }
            Notice::ActivateOnAnotherDevice => {
                "Thiết bị đang được sử dụng cho một tài khoản định danh điện tử khác: kích hoạt tài khoản trên thiết bị khác"
            }
            Notice::MovedToThisDevice => {
                "Tài khoản định danh điện tử đã được chuyển sang thiết bị này"
            }
            Notice::Activated => MSG_ACTIVATED,
        }
    }

    /// The message in English.
    pub fn en(self) -> &'static str {
        match self {
            Notice::PasswordSetUp => {
                "Password set. You can log in with the password you have just set"
            }
            Notice::ActivateOnThisDevice => "Activate the electronic identity on this device",
            Notice::ActivateOnAnotherDevice => {
                "This device is in use for another electronic identity: activating the account on another device"
            }
            Notice::MovedToThisDevice => "The electronic identity moved to this device",
            Notice::Activated => "You have activated your electronic identity account",
        }
    }
}

/// The approval SMS of seeds 000 and 002, with the name written without
/// diacritics by [`cccd::ascii_name::ascii_name`].
pub fn approval_sms(full_name: &str) -> String {
    format!(
        "Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan {} da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.",
        cccd::ascii_name::ascii_name(full_name)
    )
}
