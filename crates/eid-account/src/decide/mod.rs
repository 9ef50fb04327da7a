//! `decide`: a command and a context in, events, effects and notices out.

use eid_credentials::{
    AnswerRules, Catalogue, Hasher, PasscodePolicy, PasswordPolicy, PersonalInfo, SecretKind,
    SecretString, SecurityQuestions, Verification,
};
use eid_otp::{Challenge, ChallengeConfig, ChallengeStatus, Purpose, ServerKey};
use rand_core::TryCryptoRng;

mod activation;
mod device;
mod level1;
mod level2;
mod locks;
mod login;
mod registration;
mod reset;
mod service;

use crate::command::{Action, Command, LoginName};
use crate::error::AccountError;
use crate::event::{
    EVENT_SCHEMA_VERSION, Effect, Event, EventKind, Notice, OfficerNotice, PhcHash, SmsKind,
    approval_sms,
};
use crate::state::{Account, ActivationStep, Flow, RegistrationStep, ResetStep, apply};
use crate::table::{CommandKind, allows};
use crate::types::{
    Actor, DetailsInput, DeviceId, DeviceUse, DossierStatus, Level, LockReason, Phone,
    RegistryAnswer, SessionId,
};

/// `with_*` builders for the public fields of an options struct: the
/// structs are `#[non_exhaustive]` (a limit may be added without breaking
/// anyone), so users start from `Default` and change what differs.
macro_rules! builders {
    ($ty:ident { $($field:ident: $t:ty => $with:ident),* $(,)? }) => {
        impl $ty {
            $(
                #[doc = concat!("Sets [`", stringify!($ty), "::", stringify!($field), "`].")]
                #[must_use]
                pub fn $with(mut self, $field: $t) -> Self {
                    self.$field = $field;
                    self
                }
            )*
        }
    };
}

/// Failed logins before a lockout, and how long lockouts last. Defaults:
/// 5 failures; the first lockout lasts 5 minutes, each next one twice as
/// long as the one before, at most 24 hours; a successful login or a
/// password reset starts again from the first.
///
/// ```
/// let lockout = eid_account::LockoutPolicy::default().with_max_failures(3);
/// assert_eq!((lockout.max_failures, lockout.duration(1)), (3, 600));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LockoutPolicy {
    /// Consecutive wrong passwords that trigger a lockout (at least 1).
    pub max_failures: u32,
    /// The first lockout, in seconds.
    pub base_secs: u64,
    /// The longest lockout, in seconds.
    pub max_secs: u64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            base_secs: 300,
            max_secs: 86_400,
        }
    }
}

impl LockoutPolicy {
    /// The length of a lockout after `previous` lockouts in a row.
    pub fn duration(&self, previous: u32) -> u64 {
        let factor = 1u64.checked_shl(previous.min(40)).unwrap_or(u64::MAX);
        self.base_secs.saturating_mul(factor).min(self.max_secs)
    }
}

builders!(LockoutPolicy {
    max_failures: u32 => with_max_failures,
    base_secs: u64 => with_base_secs,
    max_secs: u64 => with_max_secs,
});

/// The rules the account lives by: `Policies::default()` and the `with_*`
/// builders.
///
/// ```
/// use eid_account::{LockoutPolicy, Policies};
/// let policies = Policies::default()
///     .with_max_passcode_failures(3)
///     .with_lockout(LockoutPolicy::default().with_max_failures(10));
/// assert_eq!((policies.max_passcode_failures, policies.lockout.max_failures), (3, 10));
/// assert_eq!(policies.otp.validity_secs, 180);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Policies {
    /// The password rule (default: VNeID, 8-20 characters).
    pub password: PasswordPolicy,
    /// The passcode rule (6 digits, not the birthday, not too easy).
    pub passcode: PasscodePolicy,
    /// The security-question catalogue.
    pub catalogue: Catalogue,
    /// How answers are compared (case-sensitive by default, as in 003).
    pub answer_rules: AnswerRules,
    /// One-time codes: 180 s, 5 wrong tries, 60 s resend cooldown.
    pub otp: ChallengeConfig,
    /// Login lockout.
    pub lockout: LockoutPolicy,
    /// Wrong passcodes in a row before the account is locked (default 5).
    pub max_passcode_failures: u32,
    /// Wrong security answers before a password reset is cancelled (default 3).
    pub max_answer_failures: u32,
    /// Session lifetime in seconds (default 30 minutes).
    pub session_secs: u64,
    /// How long the steps after a flow's OTP (password, passcode, questions,
    /// answers) stay open, in seconds (default 10 minutes). While a flow is
    /// live (its code pending, or verified less than this ago), an
    /// unauthenticated request cannot start another one over it.
    pub flow_secs: u64,
}

impl Default for Policies {
    fn default() -> Self {
        Policies {
            password: PasswordPolicy::vneid(),
            passcode: PasscodePolicy::default(),
            catalogue: Catalogue::default(),
            answer_rules: AnswerRules::default(),
            otp: ChallengeConfig::default(),
            lockout: LockoutPolicy::default(),
            max_passcode_failures: 5,
            max_answer_failures: 3,
            session_secs: 1800,
            flow_secs: 600,
        }
    }
}

builders!(Policies {
    password: PasswordPolicy => with_password,
    passcode: PasscodePolicy => with_passcode,
    catalogue: Catalogue => with_catalogue,
    answer_rules: AnswerRules => with_answer_rules,
    otp: ChallengeConfig => with_otp,
    lockout: LockoutPolicy => with_lockout,
    max_passcode_failures: u32 => with_max_passcode_failures,
    max_answer_failures: u32 => with_max_answer_failures,
    session_secs: u64 => with_session_secs,
    flow_secs: u64 => with_flow_secs,
});

/// The server's secrets: the Argon2id hasher (with its pepper for
/// passcodes and answers) and the key of one-time-code hashes.
#[derive(Debug, Clone)]
pub struct Keys {
    /// Hashes passwords, passcodes and answers (needs a pepper).
    pub hasher: Hasher,
    /// Keys the hash of one-time codes.
    pub otp_key: ServerKey,
}

/// Everything `decide` needs besides the state and the command. No I/O:
/// the caller fills in the clock, the random source and the answers of the
/// registry and the device index.
pub struct Context<'a, R: TryCryptoRng + ?Sized> {
    /// Now, in Unix seconds.
    pub now: u64,
    /// A cryptographic random source.
    pub rng: &'a mut R,
    /// The National Population Database's answer on the details of a
    /// [`Action::Register`] (ignored by other commands).
    pub registry: Option<RegistryAnswer>,
    /// The device index's answer on the device of a
    /// [`Action::StartActivation`] (ignored by other commands).
    pub device_use: Option<DeviceUse>,
    /// The rules.
    pub policies: &'a Policies,
    /// The secrets.
    pub keys: &'a Keys,
}

/// An accepted command: events to append (at the expected version), then
/// effects to perform and notices to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Append these, in order.
    pub events: Vec<Event>,
    /// Then do these (SMS, officer notifications).
    pub effects: Vec<Effect>,
    /// Show these to the person at the screen.
    pub notices: Vec<Notice>,
}

impl Decision {
    /// The session a [`Action::Login`] opened.
    pub fn session(&self) -> Option<SessionId> {
        self.events.iter().find_map(|e| match e.kind {
            EventKind::LoggedIn { session, .. } => Some(session),
            _ => None,
        })
    }
}

/// A refused command. Some refusals still change the state (a wrong OTP,
/// password or passcode counts against a limit): append `events` as for a
/// decision, then report `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct Refusal {
    /// Why.
    pub error: AccountError,
    /// Events to append all the same (often none).
    pub events: Vec<Event>,
}

impl From<AccountError> for Refusal {
    fn from(error: AccountError) -> Self {
        Refusal {
            error,
            events: Vec::new(),
        }
    }
}

/// What a handler returns.
#[derive(Default)]
struct Out {
    kinds: Vec<EventKind>,
    effects: Vec<Effect>,
    notices: Vec<Notice>,
}

/// A handler's refusal, with the events to record.
struct Rej {
    error: AccountError,
    kinds: Vec<EventKind>,
}

impl From<AccountError> for Rej {
    fn from(error: AccountError) -> Self {
        Rej {
            error,
            kinds: Vec::new(),
        }
    }
}

type Res = Result<Out, Rej>;

fn stamp(state: &Account, kinds: Vec<EventKind>, now: u64) -> Vec<Event> {
    let mut seq = state.version;
    kinds
        .into_iter()
        .map(|kind| {
            seq = seq.saturating_add(1);
            Event {
                schema: EVENT_SCHEMA_VERSION,
                sequence: seq,
                at: now,
                kind,
            }
        })
        .collect()
}

/// Checks `from --command--> (state after events)` against the table.
fn check_table(state: &Account, events: &[Event], command: CommandKind) -> Result<(), Refusal> {
    let from = state.phase();
    let to = events.iter().fold(state.clone(), apply).phase();
    if allows(from, command, to) {
        Ok(())
    } else {
        Err(AccountError::TransitionNotInTable { from, command, to }.into())
    }
}

/// Decides a command on the state: the events to append, the effects to
/// perform and the notices to show; or a [`Refusal`] (with the events that
/// must be appended all the same, when a limit is counting).
///
/// Refuses a stale command (`expected_version` not the state's version)
/// with [`AccountError::VersionConflict`], a step out of order with
/// [`AccountError::StepOutOfOrder`], anything but unlocking on a locked
/// account with [`AccountError::Locked`]. Hashing happens here (with the
/// context's hasher); [`apply`] only folds.
// `#[must_use]` here rather than on `Decision`: a decision dropped unread
// loses its events, while helpers that return one after acting on it
// (tests, stores) may drop their copy.
#[must_use = "a decision's events must be appended and its effects performed; a refusal's events too"]
pub fn decide<R: TryCryptoRng + ?Sized>(
    state: &Account,
    command: Command,
    ctx: &mut Context<'_, R>,
) -> Result<Decision, Refusal> {
    if command.expected_version != state.version {
        return Err(AccountError::VersionConflict {
            expected: command.expected_version,
            actual: state.version,
        }
        .into());
    }
    let kind = command.action.kind();
    if let Some(lock) = &state.lock
        && !matches!(
            kind,
            CommandKind::UnlockByHolder | CommandKind::UnlockByOfficer | CommandKind::LockByOfficer
        )
    {
        return Err(AccountError::Locked(lock.reason.clone()).into());
    }
    match handle(state, command.action, ctx) {
        Ok(out) => {
            let events = stamp(state, out.kinds, ctx.now);
            check_table(state, &events, kind)?;
            Ok(Decision {
                events,
                effects: out.effects,
                notices: out.notices,
            })
        }
        Err(rej) => {
            let events = stamp(state, rej.kinds, ctx.now);
            if !events.is_empty() {
                check_table(state, &events, kind)?;
            }
            Err(Refusal {
                error: rej.error,
                events,
            })
        }
    }
}

fn out_of_order(state: &Account, kind: CommandKind) -> Rej {
    AccountError::StepOutOfOrder {
        phase: state.phase(),
        command: kind,
    }
    .into()
}

fn personal_info(state: &Account) -> PersonalInfo {
    let (name, dob) = match (&state.details, &state.dossier) {
        (Some(d), _) => (Some(d.full_name.clone()), Some(d.date_of_birth)),
        (None, Some(d)) => (Some(d.card.full_name.clone()), Some(d.card.date_of_birth)),
        (None, None) => (None, None),
    };
    PersonalInfo {
        id_number: state.id_number.map(|i| i.as_str().to_owned()),
        phone: state.phone.as_ref().map(|p| p.as_str().to_owned()),
        full_name: name,
        date_of_birth: dob
            .and_then(|d| eid_credentials::Date::new(d.year(), d.month(), d.day()).ok()),
    }
}

fn subject(state: &Account) -> Result<String, Rej> {
    state
        .id_number
        .map(|i| i.as_str().to_owned())
        .ok_or_else(|| AccountError::NoAccount.into())
}

fn issue_otp<R: TryCryptoRng + ?Sized>(
    state: &Account,
    purpose: Purpose,
    ctx: &mut Context<'_, R>,
    out: &mut Out,
) -> Result<(), Rej> {
    let subject = subject(state)?;
    let phone = otp_phone(state).ok_or(AccountError::NoAccount)?;
    issue_otp_to(state, &subject, phone, purpose, ctx, out)
}

/// Where the flow's codes go: the registration's pending phone, else the
/// account's own.
fn otp_phone(state: &Account) -> Option<Phone> {
    state.pending_phone.clone().or_else(|| state.phone.clone())
}

/// Sends a code for `purpose` to `phone`, bound to `subject`.
fn issue_otp_to<R: TryCryptoRng + ?Sized>(
    state: &Account,
    subject: &str,
    phone: Phone,
    purpose: Purpose,
    ctx: &mut Context<'_, R>,
    out: &mut Out,
) -> Result<(), Rej> {
    // Starting a flow over while its code is still pending is a resend by
    // another name: it waits for the same cooldown, or a restart would send
    // a code a second.
    if let Some(current) = &state.otp
        && current.purpose() == purpose
        && current.status() == ChallengeStatus::Pending
    {
        let ready_at = current
            .sent_at()
            .saturating_add(ctx.policies.otp.resend_cooldown_secs);
        if ctx.now < ready_at {
            return Err(AccountError::OtpCooldown {
                seconds_left: ready_at - ctx.now,
            }
            .into());
        }
    }
    let mut log = state.send_log.clone();
    let (challenge, code) = Challenge::issue(
        &ctx.keys.otp_key,
        subject,
        purpose,
        &ctx.policies.otp,
        &mut log,
        ctx.now,
        &mut *ctx.rng,
    )
    .map_err(AccountError::from_otp)?;
    out.effects.push(Effect::SendOtp {
        phone,
        purpose,
        code: SecretString::from(code.expose_secret()),
        expires_at: challenge.expires_at(),
    });
    out.kinds.push(EventKind::OtpIssued {
        purpose,
        challenge,
        send_log: log,
    });
    Ok(())
}

/// Seconds left of the flow in progress, if it is live: its code is
/// pending and not expired, or it was verified less than
/// [`Policies::flow_secs`] ago.
fn flow_live(state: &Account, now: u64, policies: &Policies) -> Option<u64> {
    let flow = state.flow.as_ref()?;
    let until = if flow.awaits_otp() {
        let ch = state.otp.as_ref()?;
        if ch.status() != ChallengeStatus::Pending {
            return None;
        }
        ch.expires_at()
    } else {
        state.otp_verified_at.saturating_add(policies.flow_secs)
    };
    until.checked_sub(now).filter(|left| *left > 0)
}

/// Refuses an unauthenticated start of a flow over a live one: nobody who
/// knows an ID number (and a phone) can break its holder's flow in
/// progress. `same` tells whether the live flow is this very request's
/// (the same device restarting its own activation), which may go on.
fn guard_live_flow(
    state: &Account,
    ctx_now: u64,
    policies: &Policies,
    same: bool,
) -> Result<(), Rej> {
    match flow_live(state, ctx_now, policies) {
        Some(seconds_left) if !same => Err(AccountError::FlowInProgress { seconds_left }.into()),
        _ => Ok(()),
    }
}

fn hash<R: TryCryptoRng + ?Sized>(
    ctx: &mut Context<'_, R>,
    kind: SecretKind,
    secret: &SecretString,
) -> Result<PhcHash, Rej> {
    ctx.keys
        .hasher
        .hash(kind, secret.expose_secret(), &mut *ctx.rng)
        .map(PhcHash)
        .map_err(|e| AccountError::from_credentials(e).into())
}

fn session_ok(state: &Account, session: SessionId, now: u64) -> Result<(), Rej> {
    if state
        .sessions
        .iter()
        .any(|s| s.id == session && s.expires_at > now)
    {
        Ok(())
    } else {
        Err(AccountError::NotLoggedIn.into())
    }
}

/// A failed credential check from `device` (`None`: a step with no device
/// the account could know): counts it against that device group's
/// [`LoginThrottle`](crate::LoginThrottle), and locks the group out at the limit.
fn login_failure<R: TryCryptoRng + ?Sized>(
    state: &Account,
    device: Option<&DeviceId>,
    ctx: &Context<'_, R>,
    error: AccountError,
) -> Rej {
    let known_device = device.is_some_and(|d| state.knows_device(d));
    let throttle = state.login_throttle(device);
    let failures = throttle.failures.saturating_add(1);
    let policy = &ctx.policies.lockout;
    if failures >= policy.max_failures.max(1) {
        let secs = policy.duration(throttle.lockouts);
        Rej {
            error: AccountError::LoginLockedOut { seconds_left: secs },
            kinds: vec![
                EventKind::LoginFailed {
                    failures,
                    known_device,
                },
                EventKind::LoginLockedOut {
                    until: ctx.now.saturating_add(secs),
                    lockouts: throttle.lockouts.saturating_add(1),
                    known_device,
                },
            ],
        }
    } else {
        Rej {
            error,
            kinds: vec![EventKind::LoginFailed {
                failures,
                known_device,
            }],
        }
    }
}

/// The Argon2 work of a password check, with no hash to check: refusals
/// before the check (no account, another login name, a lockout) take as
/// long as a wrong password, so their time tells nothing.
fn spend_a_password_check<R: TryCryptoRng + ?Sized>(ctx: &Context<'_, R>, password: &SecretString) {
    ctx.keys
        .hasher
        .dummy_verify(SecretKind::Password, password.expose_secret());
}

/// Checks the password from `device` (refusing during that device group's
/// lockout, after the same Argon2 work as a check); `Ok` carries a rehash
/// event when the stored hash is outdated.
fn check_password<R: TryCryptoRng + ?Sized>(
    state: &Account,
    password: &SecretString,
    device: Option<&DeviceId>,
    ctx: &mut Context<'_, R>,
) -> Result<Vec<EventKind>, Rej> {
    let until = state.login_throttle(device).locked_out_until;
    let Some(stored) = state.password.as_ref().filter(|_| ctx.now >= until) else {
        spend_a_password_check(ctx, password);
        return Err(if ctx.now < until {
            AccountError::LoginLockedOut {
                seconds_left: until.saturating_sub(ctx.now),
            }
        } else {
            AccountError::NoPassword
        }
        .into());
    };
    let v = ctx
        .keys
        .hasher
        .verify(SecretKind::Password, password.expose_secret(), &stored.0)
        .map_err(AccountError::from_credentials)?;
    match v {
        Verification::Match { needs_rehash: true } => Ok(vec![EventKind::PasswordRehashed {
            hash: hash(ctx, SecretKind::Password, password)?,
        }]),
        Verification::Match { .. } => Ok(Vec::new()),
        Verification::Mismatch => Err(login_failure(
            state,
            device,
            ctx,
            AccountError::WrongCredentials,
        )),
    }
}

fn login_matches(state: &Account, login: &LoginName) -> bool {
    match login {
        LoginName::IdNumber(id) => state.id_number.as_ref() == Some(id),
        LoginName::Phone(p) => state.phone.as_ref() == Some(p),
    }
}

fn text_field(s: &str, name: &'static str, max: usize) -> Result<(), Rej> {
    let t = s.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(AccountError::InvalidField(name).into());
    }
    Ok(())
}

fn email_ok(e: &str) -> bool {
    let mut parts = e.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None)
            if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                && !domain.ends_with('.')
    ) && e.len() <= 254
        && !e.chars().any(char::is_whitespace)
}

fn registrable(state: &Account) -> bool {
    !state.app_account
        && state.dossier.is_none()
        && state.identified.is_none()
        && !state.active
        && state.password.is_none()
}

/// One function per action, in files by flow as `docs/ACCOUNT-FLOWS.md`
/// groups them.
fn handle<R: TryCryptoRng + ?Sized>(
    state: &Account,
    action: Action,
    ctx: &mut Context<'_, R>,
) -> Res {
    match action {
        a @ Action::Register { .. } => registration::register(state, a, ctx),
        Action::ResendOtp => registration::resend_otp(state, ctx),
        Action::VerifyOtp { code } => registration::verify_otp(state, ctx, code),
        Action::SetPassword {
            password,
            confirmation,
        } => registration::set_password(state, ctx, password, confirmation),
        Action::Login {
            login,
            password,
            device,
        } => login::login(state, ctx, login, password, device),
        Action::Logout { session } => login::logout(state, ctx, session),
        Action::RequestPasswordReset { login, phone } => {
            reset::request_password_reset(state, ctx, login, phone)
        }
        Action::AnswerSecurityQuestions { answers } => {
            reset::answer_security_questions(state, ctx, answers)
        }
        Action::SubmitLevel1Dossier {
            session,
            card,
            portrait,
            email,
        } => level1::submit_level1_dossier(state, ctx, session, card, portrait, email),
        Action::ApproveDossier { officer } => level1::approve_dossier(state, officer),
        Action::RejectDossier { officer, reason } => level1::reject_dossier(state, officer, reason),
        Action::BookAppointment {
            session,
            office,
            at,
        } => level2::book_appointment(state, ctx, session, office, at),
        Action::CancelAppointment { session } => level2::cancel_appointment(state, ctx, session),
        a @ Action::RecordLevel2Dossier { .. } => level2::record_level2_dossier(state, a),
        Action::StartActivation {
            id_number,
            phone,
            device,
        } => activation::start_activation(state, ctx, id_number, phone, device),
        Action::SetPasscode {
            passcode,
            confirmation,
        } => activation::set_passcode(state, ctx, passcode, confirmation),
        Action::SetSecurityQuestions { answers } => {
            activation::set_security_questions(state, ctx, answers)
        }
        Action::ConfirmPasscode {
            session,
            service,
            passcode,
        } => service::confirm_passcode(state, ctx, session, service, passcode),
        Action::StartDeviceChange {
            id_number,
            password,
            device,
        } => device::start_device_change(state, ctx, id_number, password, device),
        Action::LockByHolder { session } => locks::lock_by_holder(state, ctx, session),
        Action::UnlockByHolder {
            id_number,
            password,
            answer,
        } => locks::unlock_by_holder(state, ctx, id_number, password, answer),
        Action::LockByOfficer { officer, reason } => locks::lock_by_officer(state, officer, reason),
        Action::UnlockByOfficer { officer } => locks::unlock_by_officer(state, officer),
    }
}
