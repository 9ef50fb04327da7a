//! The account's state: the fold of its events.

use cccd::IdNumber;
use eid_credentials::SecurityQuestions;
use eid_otp::{Challenge, SendLog};
use serde::{Deserialize, Serialize};

use crate::event::{Event, EventKind, PhcHash};
use crate::table::Phase;
use crate::types::{
    AccountLevel, Actor, Appointment, CardData, DeviceId, Dossier, DossierStatus,
    IntegratedDocument, Level, Lock, LockReason, PersonalDetails, Phone, RejectionReason, Service,
    SessionId,
};

/// The steps of registering an app account (003).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistrationStep {
    /// Waiting for the details and the terms.
    Details,
    /// Waiting for the OTP.
    Otp,
    /// Waiting for the password and its confirmation.
    Password,
}

/// The steps of activation (001 steps 6-7, 003 §II).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActivationStep {
    /// Waiting for the OTP (3 minutes).
    Otp,
    /// Waiting for the password (only without an app account before approval).
    Password,
    /// Waiting for the passcode.
    Passcode,
    /// Waiting for the two security questions.
    Questions,
}

/// The steps of a password reset ("Quên mật khẩu").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResetStep {
    /// Waiting for the OTP.
    Otp,
    /// Waiting for the answers to the security questions.
    Answers,
    /// Waiting for the new password.
    NewPassword,
}

/// A multi-step flow in progress. One at a time: starting another replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flow", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Flow {
    /// Registering an app account.
    Registration {
        /// The step.
        step: RegistrationStep,
    },
    /// Activating the electronic identity on a device.
    Activation {
        /// The step.
        step: ActivationStep,
        /// The device activating.
        device: DeviceId,
    },
    /// Resetting a forgotten password.
    PasswordReset {
        /// The step.
        step: ResetStep,
    },
    /// Moving the active account to another device (waiting for the OTP).
    DeviceChange {
        /// The new device.
        device: DeviceId,
    },
}

impl Flow {
    /// Whether the flow waits for a one-time code.
    pub fn awaits_otp(&self) -> bool {
        matches!(
            self,
            Flow::Registration {
                step: RegistrationStep::Otp
            } | Flow::Activation {
                step: ActivationStep::Otp,
                ..
            } | Flow::PasswordReset {
                step: ResetStep::Otp
            } | Flow::DeviceChange { .. }
        )
    }
}

/// An open login session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Its id.
    pub id: SessionId,
    /// The device logged in from.
    pub device: DeviceId,
    /// When it ends (Unix seconds).
    pub expires_at: u64,
}

/// Failed logins counted against one group of devices, and its lockout.
/// An account keeps two: one for the devices it knows (bound, or used for a
/// successful login), one for every other device, so that guesses from
/// unknown devices lock those out without locking the holder out of her own
/// phone (NIST SP 800-63B §5.2.2: throttling must not be a weapon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LoginThrottle {
    /// Consecutive wrong passwords since the last success or lockout.
    pub failures: u32,
    /// Lockouts in a row (each one twice as long as the one before).
    pub lockouts: u32,
    /// Logins refused until this time (Unix seconds; 0 when not locked out).
    pub locked_out_until: u64,
}

/// How many devices an account remembers for [`LoginThrottle`]s (the
/// most recent ones).
pub const KNOWN_DEVICES: usize = 5;

/// One account (one per ID number): the fold of its events by [`apply`].
/// [`Account::default`] is the state before any event. Serde gives a
/// snapshot a store may keep beside the log (fold the events after it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Account {
    pub(crate) version: u64,
    pub(crate) id_number: Option<IdNumber>,
    pub(crate) phone: Option<Phone>,
    /// The phone of a registration in progress: it becomes `phone` only
    /// once the OTP sent to it is verified.
    #[serde(default)]
    pub(crate) pending_phone: Option<Phone>,
    pub(crate) details: Option<PersonalDetails>,
    pub(crate) app_account: bool,
    pub(crate) password: Option<PhcHash>,
    pub(crate) passcode: Option<PhcHash>,
    pub(crate) questions: Option<SecurityQuestions>,
    pub(crate) identified: Option<Level>,
    pub(crate) active: bool,
    pub(crate) device: Option<DeviceId>,
    pub(crate) dossier: Option<Dossier>,
    pub(crate) appointment: Option<Appointment>,
    pub(crate) flow: Option<Flow>,
    pub(crate) otp: Option<Challenge>,
    pub(crate) send_log: SendLog,
    /// When the flow's OTP was verified (its later steps have a deadline).
    #[serde(default)]
    pub(crate) otp_verified_at: u64,
    /// Logins from devices the account does not know.
    #[serde(default)]
    pub(crate) login: LoginThrottle,
    /// Logins from the devices it knows.
    #[serde(default)]
    pub(crate) known_login: LoginThrottle,
    /// The devices it knows, most recent last (at most [`KNOWN_DEVICES`]).
    #[serde(default)]
    pub(crate) known_devices: Vec<DeviceId>,
    pub(crate) passcode_failures: u32,
    pub(crate) answer_failures: u32,
    pub(crate) lock: Option<Lock>,
    pub(crate) sessions: Vec<Session>,
    /// The version of the terms accepted at registration.
    #[serde(default)]
    pub(crate) terms_version: Option<String>,
}

impl Account {
    /// The number of events folded: the `expected_version` of the next command.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The personal identification number, once known.
    pub fn id_number(&self) -> Option<&IdNumber> {
        self.id_number.as_ref()
    }

    /// The account's phone number: one to which an OTP was verified, or
    /// that an officer checked at a level-2 recording.
    pub fn phone(&self) -> Option<&Phone> {
        self.phone.as_ref()
    }

    /// The phone of a registration in progress, not yet verified (the
    /// registration's OTP goes there).
    pub fn pending_phone(&self) -> Option<&Phone> {
        self.pending_phone.as_ref()
    }

    /// Whether `device` is one the account knows: bound to it, or used for
    /// one of the last [`KNOWN_DEVICES`] successful logins.
    pub fn knows_device(&self, device: &DeviceId) -> bool {
        self.device.as_ref() == Some(device) || self.known_devices.contains(device)
    }

    /// The login throttle that applies to `device`.
    pub fn login_throttle(&self, device: Option<&DeviceId>) -> &LoginThrottle {
        match device {
            Some(d) if self.knows_device(d) => &self.known_login,
            _ => &self.login,
        }
    }

    /// The verified registration details.
    pub fn details(&self) -> Option<&PersonalDetails> {
        self.details.as_ref()
    }

    /// The permanent residence to report (Mẫu số 02's "HKTT" column): the
    /// one registered with the police now, as the registry matched it at
    /// registration (typed over the card's when the citizen moved, 003),
    /// else the card's in the latest dossier (a level-2 account recorded
    /// in person has no registration details). `None` when neither holds
    /// one. The card's own address, when it differs, is
    /// [`Account::card_residence`].
    pub fn residence(&self) -> Option<&str> {
        self.details
            .as_ref()
            .map(|d| d.permanent_residence.as_str())
            .or_else(|| {
                self.dossier
                    .as_ref()
                    .and_then(|d| d.card.permanent_residence.as_deref())
            })
    }

    /// The address printed on the card, when the residence registered
    /// now differs from it (see [`PersonalDetails::card_residence`]).
    pub fn card_residence(&self) -> Option<&str> {
        self.details.as_ref()?.card_residence.as_deref()
    }

    /// The version of the terms of use accepted at registration (`None`
    /// before the registration, or for registrations recorded before the
    /// version was kept).
    pub fn terms_version(&self) -> Option<&str> {
        self.terms_version.as_deref()
    }

    /// App account, electronic identity of a level, activated or not.
    pub fn level(&self) -> AccountLevel {
        match self.identified {
            Some(level) => AccountLevel::Identified {
                level,
                activated: self.active,
            },
            None if self.app_account => AccountLevel::AppAccount,
            None => AccountLevel::None,
        }
    }

    /// Whether the electronic identity is active.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// The services the account can use (none unless active).
    pub fn services(&self) -> Vec<Service> {
        match self.identified {
            Some(level) if self.active => Service::for_level(level),
            _ => Vec::new(),
        }
    }

    /// The device the account is bound to (at most one).
    pub fn device(&self) -> Option<&DeviceId> {
        self.device.as_ref()
    }

    /// The dossier and its status ("Kiểm tra tình trạng xử lý hồ sơ").
    pub fn dossier(&self) -> Option<&Dossier> {
        self.dossier.as_ref()
    }

    /// The booked level-2 appointment.
    pub fn appointment(&self) -> Option<&Appointment> {
        self.appointment.as_ref()
    }

    /// The flow in progress.
    pub fn flow(&self) -> Option<&Flow> {
        self.flow.as_ref()
    }

    /// The pending one-time-code challenge (keyed hash only).
    pub fn otp(&self) -> Option<&Challenge> {
        self.otp.as_ref()
    }

    /// The lock, when locked.
    pub fn lock(&self) -> Option<&Lock> {
        self.lock.as_ref()
    }

    /// The ids of the two security questions, once set.
    pub fn security_question_ids(&self) -> Vec<String> {
        self.questions
            .as_ref()
            .map(|q| q.question_ids().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Whether a password is set.
    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// Whether a passcode is set.
    pub fn has_passcode(&self) -> bool {
        self.passcode.is_some()
    }

    /// Whether the two security questions are set.
    pub fn has_security_questions(&self) -> bool {
        self.questions.is_some()
    }

    /// Open sessions (some may have expired: compare `expires_at` with now).
    pub fn sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Logins from unknown devices are refused until this time (Unix
    /// seconds; 0 when not locked out). See [`Account::login_throttle`].
    pub fn locked_out_until(&self) -> u64 {
        self.login.locked_out_until
    }

    /// When the pending flow's OTP was verified (Unix seconds; 0 before).
    pub fn otp_verified_at(&self) -> u64 {
        self.otp_verified_at
    }

    /// Where the account stands, as the transition table names it.
    pub fn phase(&self) -> Phase {
        if self.lock.is_some() {
            return Phase::Locked;
        }
        if self.id_number.is_none() {
            return Phase::Unregistered;
        }
        match &self.flow {
            Some(Flow::Registration { step }) => {
                return match step {
                    RegistrationStep::Details => Phase::RegistrationDetails,
                    RegistrationStep::Otp => Phase::RegistrationOtp,
                    RegistrationStep::Password => Phase::RegistrationPassword,
                };
            }
            Some(Flow::Activation { step, .. }) => {
                return match step {
                    ActivationStep::Otp => Phase::ActivationOtp,
                    ActivationStep::Password => Phase::ActivationPassword,
                    ActivationStep::Passcode => Phase::ActivationPasscode,
                    ActivationStep::Questions => Phase::ActivationQuestions,
                };
            }
            _ => {}
        }
        if self.active {
            return Phase::Active;
        }
        if self.identified.is_some() {
            return Phase::Identified;
        }
        match self.dossier.as_ref().map(|d| &d.status) {
            Some(DossierStatus::Submitted) => return Phase::DossierSubmitted,
            Some(DossierStatus::NotAccepted { .. }) => return Phase::DossierNotAccepted,
            _ => {}
        }
        if self.app_account {
            Phase::AppAccount
        } else {
            Phase::Unregistered
        }
    }
}

/// Folds one event into the state. Total: never fails, never panics.
/// One function per group of events, as `decide/` is split by flow; this
/// match only routes, and being exhaustive it routes every new event.
pub fn apply(mut s: Account, event: &Event) -> Account {
    use EventKind as K;
    s.version = s.version.saturating_add(1);
    let (at, kind) = (event.at, &event.kind);
    match kind {
        K::RegistrationStarted { .. } | K::DetailsVerified { .. } | K::AppAccountCreated => {
            fold_registration(&mut s, kind)
        }
        K::OtpIssued { .. }
        | K::OtpResent { .. }
        | K::OtpVerified { .. }
        | K::OtpRejected { .. } => fold_otp(&mut s, at, kind),
        K::PasswordSet { .. }
        | K::PasswordRehashed { .. }
        | K::LoggedIn { .. }
        | K::LoginFailed { .. }
        | K::LoginLockedOut { .. }
        | K::LoggedOut { .. } => fold_login(&mut s, at, kind),
        K::PasswordResetStarted
        | K::SecurityAnswersAccepted
        | K::SecurityAnswersRejected { .. }
        | K::PasswordResetAborted
        | K::PasswordResetCompleted => fold_reset(&mut s, kind),
        K::Level1DossierSubmitted { .. }
        | K::Level2DossierRecorded { .. }
        | K::DossierApproved { .. }
        | K::DossierNotAccepted { .. }
        | K::AppointmentBooked { .. }
        | K::AppointmentCancelled => fold_dossier(&mut s, at, kind),
        K::ActivationStarted { .. }
        | K::PasscodeSet { .. }
        | K::SecurityQuestionsSet { .. }
        | K::DeviceBound { .. }
        | K::DeviceUnbound { .. }
        | K::Activated { .. }
        | K::DeviceChangeStarted { .. } => fold_activation(&mut s, kind),
        K::PasscodeConfirmed { .. }
        | K::PasscodeFailed { .. }
        | K::AccountLocked { .. }
        | K::AccountUnlocked { .. } => fold_use_and_locks(&mut s, at, kind),
    }
    s
}

/// Registration (003 ①-④): started, details verified, app account made.
fn fold_registration(s: &mut Account, kind: &EventKind) {
    match kind {
        EventKind::RegistrationStarted {
            id_number,
            phone,
            terms_version,
        } => {
            registration_started(s, id_number, phone);
            s.terms_version = terms_version.clone();
        }
        EventKind::DetailsVerified { details, .. } => details_verified(s, details),
        EventKind::AppAccountCreated => {
            s.app_account = true;
            s.flow = None;
        }
        _ => {}
    }
}

/// One-time codes of every flow.
fn fold_otp(s: &mut Account, at: u64, kind: &EventKind) {
    match kind {
        EventKind::OtpIssued {
            challenge,
            send_log,
            ..
        }
        | EventKind::OtpResent {
            challenge,
            send_log,
        } => {
            s.otp = Some(challenge.clone());
            s.send_log = send_log.clone();
        }
        EventKind::OtpVerified { next, .. } => otp_verified(s, at, next),
        EventKind::OtpRejected { challenge } => s.otp = Some(challenge.clone()),
        _ => {}
    }
}

/// The password, logins and their throttles, logouts.
fn fold_login(s: &mut Account, at: u64, kind: &EventKind) {
    match kind {
        EventKind::PasswordSet { hash } => password_set(s, hash),
        EventKind::PasswordRehashed { hash } => s.password = Some(hash.clone()),
        EventKind::LoggedIn {
            session,
            device,
            expires_at,
        } => logged_in(s, at, *session, device, *expires_at),
        EventKind::LoginFailed {
            failures,
            known_device,
        } => throttle_mut(s, *known_device).failures = *failures,
        EventKind::LoginLockedOut {
            until,
            lockouts,
            known_device,
        } => {
            *throttle_mut(s, *known_device) = LoginThrottle {
                failures: 0,
                lockouts: *lockouts,
                locked_out_until: *until,
            };
        }
        EventKind::LoggedOut { session } => s.sessions.retain(|x| x.id != *session),
        _ => {}
    }
}

/// "Quên mật khẩu".
fn fold_reset(s: &mut Account, kind: &EventKind) {
    match kind {
        EventKind::PasswordResetStarted => password_reset_started(s),
        EventKind::SecurityAnswersAccepted => security_answers_accepted(s),
        EventKind::SecurityAnswersRejected { failures } => s.answer_failures = *failures,
        EventKind::PasswordResetAborted => password_reset_aborted(s),
        EventKind::PasswordResetCompleted => password_reset_completed(s),
        _ => {}
    }
}

/// Dossiers of both levels, their review, the level-2 appointment.
fn fold_dossier(s: &mut Account, at: u64, kind: &EventKind) {
    match kind {
        EventKind::Level1DossierSubmitted {
            card,
            portrait,
            email,
        } => {
            s.dossier = Some(Dossier {
                level: Level::One,
                status: DossierStatus::Submitted,
                card: card.clone(),
                portrait: Some(portrait.clone()),
                email: email.clone(),
                documents: Vec::new(),
                office: None,
                phone: None,
                submitted_at: at,
                updated_at: at,
            });
        }
        EventKind::Level2DossierRecorded {
            office,
            card,
            phone,
            documents,
            ..
        } => level2_recorded(s, at, office, card, phone, documents),
        EventKind::DossierApproved { level, .. } => dossier_approved(s, at, level),
        EventKind::DossierNotAccepted { reason, .. } => dossier_not_accepted(s, at, reason),
        EventKind::AppointmentBooked { office, at: when } => {
            s.appointment = Some(Appointment {
                office: office.clone(),
                at: *when,
            });
        }
        EventKind::AppointmentCancelled => s.appointment = None,
        _ => {}
    }
}

/// Activation, the device binding and device changes.
fn fold_activation(s: &mut Account, kind: &EventKind) {
    match kind {
        EventKind::ActivationStarted { device, .. } => activation_started(s, device),
        EventKind::PasscodeSet { hash } => passcode_set(s, hash),
        EventKind::SecurityQuestionsSet { questions } => s.questions = Some(questions.clone()),
        EventKind::DeviceBound { device } => {
            s.device = Some(device.clone());
            remember_device(s, device);
        }
        EventKind::DeviceUnbound { device } => device_unbound(s, device),
        EventKind::Activated { .. } => {
            s.active = true;
            s.flow = None;
        }
        EventKind::DeviceChangeStarted { device } => device_change_started(s, device),
        _ => {}
    }
}

/// The passcode's use, and locks.
fn fold_use_and_locks(s: &mut Account, at: u64, kind: &EventKind) {
    match kind {
        EventKind::PasscodeConfirmed { .. } => s.passcode_failures = 0,
        EventKind::PasscodeFailed { failures } => s.passcode_failures = *failures,
        EventKind::AccountLocked { by, reason } => account_locked(s, at, by, reason),
        EventKind::AccountUnlocked { .. } => account_unlocked(s),
        _ => {}
    }
}

/// Folds [`EventKind::LoggedIn`].
fn logged_in(s: &mut Account, at: u64, session: SessionId, device: &DeviceId, expires_at: u64) {
    s.sessions.retain(|x| x.expires_at > at);
    s.sessions.push(Session {
        id: session,
        device: device.clone(),
        expires_at,
    });
    if s.knows_device(device) {
        s.known_login = LoginThrottle::default();
    } else {
        s.login = LoginThrottle::default();
    }
    remember_device(s, device);
}

/// Folds [`EventKind::Level2DossierRecorded`].
fn level2_recorded(
    s: &mut Account,
    at: u64,
    office: &Option<String>,
    card: &CardData,
    phone: &Phone,
    documents: &[IntegratedDocument],
) {
    if s.id_number.is_none() {
        s.id_number = Some(card.id_number);
    }
    // The officer checked this phone with the citizen in person: it is the
    // account's now, and nothing unverified survives (a registration or
    // activation in progress, its code, a phone someone typed in a
    // registration).
    s.phone = Some(phone.clone());
    s.pending_phone = None;
    s.flow = None;
    s.otp = None;
    s.appointment = None;
    s.dossier = Some(Dossier {
        level: Level::Two,
        status: DossierStatus::Submitted,
        card: card.clone(),
        portrait: None,
        email: None,
        documents: documents.to_vec(),
        office: office.clone(),
        phone: Some(phone.clone()),
        submitted_at: at,
        updated_at: at,
    });
}

/// Folds [`EventKind::PasswordResetAborted`].
fn password_reset_aborted(s: &mut Account) {
    s.answer_failures = 0;
    s.otp = None;
    s.flow = None;
}

/// Folds [`EventKind::RegistrationStarted`].
fn registration_started(s: &mut Account, id_number: &IdNumber, phone: &Phone) {
    s.id_number = Some(*id_number);
    s.pending_phone = Some(phone.clone());
    s.details = None;
    s.otp = None;
    s.flow = Some(Flow::Registration {
        step: RegistrationStep::Details,
    });
}

/// Folds [`EventKind::DetailsVerified`].
fn details_verified(s: &mut Account, details: &PersonalDetails) {
    s.details = Some(details.clone());
    s.flow = Some(Flow::Registration {
        step: RegistrationStep::Otp,
    });
}

/// Folds [`EventKind::OtpVerified`].
fn otp_verified(s: &mut Account, at: u64, next: &Option<Flow>) {
    if matches!(s.flow, Some(Flow::Registration { .. }))
        && let Some(phone) = s.pending_phone.take()
    {
        s.phone = Some(phone);
    }
    s.otp = None;
    s.otp_verified_at = at;
    s.flow = next.clone();
}

/// Folds [`EventKind::PasswordSet`].
fn password_set(s: &mut Account, hash: &PhcHash) {
    s.password = Some(hash.clone());
    if let Some(Flow::Activation { step, .. }) = &mut s.flow
        && *step == ActivationStep::Password
    {
        *step = ActivationStep::Passcode;
    }
}

/// Folds [`EventKind::PasswordResetStarted`].
fn password_reset_started(s: &mut Account) {
    s.otp = None;
    s.answer_failures = 0;
    s.flow = Some(Flow::PasswordReset {
        step: ResetStep::Otp,
    });
}

/// Folds [`EventKind::SecurityAnswersAccepted`].
fn security_answers_accepted(s: &mut Account) {
    s.answer_failures = 0;
    s.flow = Some(Flow::PasswordReset {
        step: ResetStep::NewPassword,
    });
}

/// Folds [`EventKind::PasswordResetCompleted`].
fn password_reset_completed(s: &mut Account) {
    s.flow = None;
    s.sessions.clear();
    s.login = LoginThrottle::default();
    s.known_login = LoginThrottle::default();
}

/// Folds [`EventKind::DossierApproved`].
fn dossier_approved(s: &mut Account, at: u64, level: &Level) {
    if let Some(d) = &mut s.dossier {
        d.status = DossierStatus::Approved;
        d.updated_at = at;
    }
    s.identified = Some(s.identified.map_or(*level, |l| l.max(*level)));
}

/// Folds [`EventKind::DossierNotAccepted`].
fn dossier_not_accepted(s: &mut Account, at: u64, reason: &RejectionReason) {
    if let Some(d) = &mut s.dossier {
        d.status = DossierStatus::NotAccepted {
            reason: reason.clone(),
        };
        d.updated_at = at;
    }
}

/// Folds [`EventKind::ActivationStarted`].
fn activation_started(s: &mut Account, device: &DeviceId) {
    s.otp = None;
    s.flow = Some(Flow::Activation {
        step: ActivationStep::Otp,
        device: device.clone(),
    });
}

/// Folds [`EventKind::PasscodeSet`].
fn passcode_set(s: &mut Account, hash: &PhcHash) {
    s.passcode = Some(hash.clone());
    s.passcode_failures = 0;
    if let Some(Flow::Activation { step, .. }) = &mut s.flow {
        *step = ActivationStep::Questions;
    }
}

/// Folds [`EventKind::DeviceUnbound`].
fn device_unbound(s: &mut Account, device: &DeviceId) {
    if s.device.as_ref() == Some(device) {
        s.device = None;
    }
    // The old device's sessions end with its binding, and it is no
    // longer a device the account knows.
    s.sessions.retain(|x| x.device != *device);
    s.known_devices.retain(|d| d != device);
}

/// Folds [`EventKind::DeviceChangeStarted`].
fn device_change_started(s: &mut Account, device: &DeviceId) {
    s.otp = None;
    s.flow = Some(Flow::DeviceChange {
        device: device.clone(),
    });
}

/// Folds [`EventKind::AccountLocked`].
fn account_locked(s: &mut Account, at: u64, by: &Actor, reason: &LockReason) {
    s.lock = Some(Lock {
        by: by.clone(),
        reason: reason.clone(),
        at,
    });
    s.sessions.clear();
    s.flow = None;
    s.otp = None;
}

/// Folds [`EventKind::AccountUnlocked`].
fn account_unlocked(s: &mut Account) {
    s.lock = None;
    s.passcode_failures = 0;
    s.login = LoginThrottle::default();
    s.known_login = LoginThrottle::default();
}

fn throttle_mut(s: &mut Account, known_device: bool) -> &mut LoginThrottle {
    if known_device {
        &mut s.known_login
    } else {
        &mut s.login
    }
}

/// Remembers `device` as the most recent known one.
fn remember_device(s: &mut Account, device: &DeviceId) {
    s.known_devices.retain(|d| d != device);
    s.known_devices.push(device.clone());
    if s.known_devices.len() > KNOWN_DEVICES {
        s.known_devices.remove(0);
    }
}

/// Folds a whole log from the empty state.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Account {
    events.into_iter().fold(Account::default(), apply)
}
