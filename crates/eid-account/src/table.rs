//! The transition table: every (phase, command, phase) that [`crate::decide`]
//! may produce. `decide` checks each decision against it (a decision the
//! table does not list is refused with
//! [`AccountError::TransitionNotInTable`](crate::AccountError::TransitionNotInTable)),
//! and `docs/ACCOUNT-FLOWS.md` holds the Mermaid rendering of it, compared
//! by a test.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// Where an account stands (derived from the state by
/// [`Account::phase`](crate::Account::phase)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Phase {
    /// No app account and nothing pending.
    Unregistered,
    /// Registration: details and terms.
    RegistrationDetails,
    /// Registration: OTP.
    RegistrationOtp,
    /// Registration: password.
    RegistrationPassword,
    /// An app account, not an electronic identity.
    AppAccount,
    /// A dossier waits for review.
    DossierSubmitted,
    /// The dossier was not accepted: create it again.
    DossierNotAccepted,
    /// An electronic identity, not activated.
    Identified,
    /// Activation: OTP.
    ActivationOtp,
    /// Activation: password.
    ActivationPassword,
    /// Activation: passcode.
    ActivationPasscode,
    /// Activation: security questions.
    ActivationQuestions,
    /// An active electronic identity.
    Active,
    /// Locked.
    Locked,
}

impl Phase {
    /// Every phase, in diagram order.
    pub const ALL: [Phase; 14] = [
        Phase::Unregistered,
        Phase::RegistrationDetails,
        Phase::RegistrationOtp,
        Phase::RegistrationPassword,
        Phase::AppAccount,
        Phase::DossierSubmitted,
        Phase::DossierNotAccepted,
        Phase::Identified,
        Phase::ActivationOtp,
        Phase::ActivationPassword,
        Phase::ActivationPasscode,
        Phase::ActivationQuestions,
        Phase::Active,
        Phase::Locked,
    ];

    /// The name used in the diagram.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Unregistered => "Unregistered",
            Phase::RegistrationDetails => "RegistrationDetails",
            Phase::RegistrationOtp => "RegistrationOtp",
            Phase::RegistrationPassword => "RegistrationPassword",
            Phase::AppAccount => "AppAccount",
            Phase::DossierSubmitted => "DossierSubmitted",
            Phase::DossierNotAccepted => "DossierNotAccepted",
            Phase::Identified => "Identified",
            Phase::ActivationOtp => "ActivationOtp",
            Phase::ActivationPassword => "ActivationPassword",
            Phase::ActivationPasscode => "ActivationPasscode",
            Phase::ActivationQuestions => "ActivationQuestions",
            Phase::Active => "Active",
            Phase::Locked => "Locked",
        }
    }
}

/// The kind of a command, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum CommandKind {
    Register,
    ResendOtp,
    VerifyOtp,
    SetPassword,
    Login,
    Logout,
    RequestPasswordReset,
    AnswerSecurityQuestions,
    SubmitLevel1Dossier,
    BookAppointment,
    CancelAppointment,
    RecordLevel2Dossier,
    ApproveDossier,
    RejectDossier,
    StartActivation,
    SetPasscode,
    SetSecurityQuestions,
    ConfirmPasscode,
    StartDeviceChange,
    LockByHolder,
    UnlockByHolder,
    LockByOfficer,
    UnlockByOfficer,
}

impl CommandKind {
    /// The name used in the diagram.
    pub fn name(self) -> String {
        format!("{self:?}")
    }
}

/// One allowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Transition {
    /// Phase before.
    pub from: Phase,
    /// The command.
    pub command: CommandKind,
    /// Phase after.
    pub to: Phase,
}

use CommandKind as C;
use Phase as P;

/// The phases of an electronic identity being activated.
const ACTIVATING: [Phase; 4] = [
    P::ActivationOtp,
    P::ActivationPassword,
    P::ActivationPasscode,
    P::ActivationQuestions,
];
/// Activation phases where a password already exists (login possible).
const ACTIVATING_WITH_PASSWORD: [Phase; 3] = [
    P::ActivationOtp,
    P::ActivationPasscode,
    P::ActivationQuestions,
];
/// Phases of a settled account that may have a password and sessions.
const SETTLED: [Phase; 5] = [
    P::AppAccount,
    P::DossierSubmitted,
    P::DossierNotAccepted,
    P::Identified,
    P::Active,
];
const REGISTERING: [Phase; 3] = [
    P::RegistrationDetails,
    P::RegistrationOtp,
    P::RegistrationPassword,
];
/// Phases an unlock can lead to (flows end at a lock).
const AFTER_UNLOCK: [Phase; 6] = [
    P::Unregistered,
    P::AppAccount,
    P::DossierSubmitted,
    P::DossierNotAccepted,
    P::Identified,
    P::Active,
];

fn t(from: Phase, command: CommandKind, to: Phase) -> Transition {
    Transition { from, command, to }
}

static TABLE: LazyLock<Vec<Transition>> = LazyLock::new(build);

/// The transition table, sorted and without duplicates.
pub fn transitions() -> Vec<Transition> {
    TABLE.clone()
}

fn build() -> Vec<Transition> {
    let mut v = Vec::new();
    let selfs = |v: &mut Vec<Transition>, phases: &[Phase], c: CommandKind| {
        v.extend(phases.iter().map(|&p| t(p, c, p)));
    };
    // 1. Registration: one decision from nothing (or from a registration
    // whose code expired, or a log written before `Register` existed, which
    // stops at RegistrationDetails) to the OTP.
    for p in [P::Unregistered].iter().chain(REGISTERING.iter()) {
        v.push(t(*p, C::Register, P::RegistrationOtp));
    }
    v.push(t(P::RegistrationOtp, C::ResendOtp, P::RegistrationOtp));
    v.push(t(P::RegistrationOtp, C::VerifyOtp, P::RegistrationOtp));
    v.push(t(P::RegistrationOtp, C::VerifyOtp, P::RegistrationPassword));
    v.push(t(P::RegistrationPassword, C::SetPassword, P::AppAccount));
    // 2. Login, logout, password reset (the reset's OTP and password steps
    // happen inside settled phases).
    selfs(&mut v, &SETTLED, C::Login);
    selfs(&mut v, &ACTIVATING_WITH_PASSWORD, C::Login);
    selfs(&mut v, &SETTLED, C::Logout);
    selfs(&mut v, &ACTIVATING_WITH_PASSWORD, C::Logout);
    selfs(&mut v, &SETTLED, C::RequestPasswordReset);
    for p in ACTIVATING_WITH_PASSWORD {
        v.push(t(p, C::RequestPasswordReset, P::Identified));
    }
    selfs(&mut v, &SETTLED, C::ResendOtp);
    selfs(&mut v, &SETTLED, C::VerifyOtp);
    selfs(&mut v, &SETTLED, C::SetPassword);
    selfs(&mut v, &[P::Active], C::AnswerSecurityQuestions);
    // 3. Level 1.
    v.push(t(
        P::AppAccount,
        C::SubmitLevel1Dossier,
        P::DossierSubmitted,
    ));
    v.push(t(
        P::DossierNotAccepted,
        C::SubmitLevel1Dossier,
        P::DossierSubmitted,
    ));
    v.push(t(P::DossierSubmitted, C::ApproveDossier, P::Identified));
    v.push(t(
        P::DossierSubmitted,
        C::RejectDossier,
        P::DossierNotAccepted,
    ));
    // A dossier pending beside an identity: level 2 over level 1, which
    // implies an app account, hence a password.
    for c in [C::ApproveDossier, C::RejectDossier] {
        selfs(&mut v, &[P::Identified, P::Active], c);
        selfs(&mut v, &ACTIVATING_WITH_PASSWORD, c);
    }
    // 4. Level 2.
    for c in [C::BookAppointment, C::CancelAppointment] {
        selfs(&mut v, &SETTLED, c);
        selfs(&mut v, &ACTIVATING_WITH_PASSWORD, c);
    }
    for p in [
        P::Unregistered,
        P::AppAccount,
        P::DossierSubmitted,
        P::DossierNotAccepted,
    ]
    .iter()
    .chain(REGISTERING.iter())
    {
        v.push(t(*p, C::RecordLevel2Dossier, P::DossierSubmitted));
    }
    v.push(t(P::Identified, C::RecordLevel2Dossier, P::Identified));
    for p in ACTIVATING_WITH_PASSWORD {
        v.push(t(p, C::RecordLevel2Dossier, P::Identified));
    }
    v.push(t(P::Active, C::RecordLevel2Dossier, P::Active));
    // 5. Activation.
    v.push(t(P::Identified, C::StartActivation, P::ActivationOtp));
    for p in ACTIVATING {
        v.push(t(p, C::StartActivation, P::ActivationOtp));
    }
    v.push(t(P::ActivationOtp, C::ResendOtp, P::ActivationOtp));
    v.push(t(P::ActivationOtp, C::VerifyOtp, P::ActivationOtp));
    v.push(t(P::ActivationOtp, C::VerifyOtp, P::ActivationPassword));
    v.push(t(P::ActivationOtp, C::VerifyOtp, P::ActivationPasscode));
    v.push(t(
        P::ActivationPassword,
        C::SetPassword,
        P::ActivationPasscode,
    ));
    v.push(t(
        P::ActivationPasscode,
        C::SetPasscode,
        P::ActivationQuestions,
    ));
    v.push(t(
        P::ActivationQuestions,
        C::SetSecurityQuestions,
        P::Active,
    ));
    // 6. Use, device change, lock and unlock.
    v.push(t(P::Active, C::ConfirmPasscode, P::Active));
    v.push(t(P::Active, C::ConfirmPasscode, P::Locked));
    v.push(t(P::Active, C::StartDeviceChange, P::Active));
    for p in SETTLED.iter().chain(ACTIVATING_WITH_PASSWORD.iter()) {
        v.push(t(*p, C::LockByHolder, P::Locked));
    }
    v.push(t(P::Locked, C::UnlockByHolder, P::Locked));
    // A wrong password to unlock an account that is not locked counts as
    // a failed login (the password is checked before the lock is told).
    selfs(&mut v, &SETTLED, C::UnlockByHolder);
    selfs(&mut v, &ACTIVATING_WITH_PASSWORD, C::UnlockByHolder);
    for p in AFTER_UNLOCK {
        // The holder's locks need a password, so never an unregistered account.
        if p != P::Unregistered {
            v.push(t(P::Locked, C::UnlockByHolder, p));
        }
        v.push(t(P::Locked, C::UnlockByOfficer, p));
    }
    for p in Phase::ALL {
        v.push(t(p, C::LockByOfficer, P::Locked));
    }
    v.sort();
    v.dedup();
    v
}

/// Whether the table allows `from --command--> to`.
pub fn allows(from: Phase, command: CommandKind, to: Phase) -> bool {
    TABLE
        .binary_search(&Transition { from, command, to })
        .is_ok()
}

/// The Mermaid `stateDiagram-v2` of the transitions that change phase,
/// one arrow per (from, to) with its commands; the text between the
/// markers in `docs/ACCOUNT-FLOWS.md`.
pub fn mermaid() -> String {
    let mut out = String::from("stateDiagram-v2\n    [*] --> Unregistered\n");
    let table = transitions();
    let mut pairs: Vec<(Phase, Phase)> = table
        .iter()
        .filter(|x| x.from != x.to)
        .map(|x| (x.from, x.to))
        .collect();
    pairs.sort();
    pairs.dedup();
    for (from, to) in pairs {
        let names: Vec<String> = table
            .iter()
            .filter(|x| x.from == from && x.to == to)
            .map(|x| x.command.name())
            .collect();
        out.push_str(&format!(
            "    {} --> {} : {}\n",
            from.name(),
            to.name(),
            names.join(", ")
        ));
    }
    out
}

/// The commands that keep each phase (self-transitions), as a Markdown
/// table; the second generated block of `docs/ACCOUNT-FLOWS.md`.
pub fn self_loops_markdown() -> String {
    let mut out = String::from("| Phase | Commands that stay in it |\n|---|---|\n");
    let table = transitions();
    for p in Phase::ALL {
        let names: Vec<String> = table
            .iter()
            .filter(|x| x.from == p && x.to == p)
            .map(|x| format!("`{}`", x.command.name()))
            .collect();
        if !names.is_empty() {
            out.push_str(&format!("| {} | {} |\n", p.name(), names.join(", ")));
        }
    }
    out
}
