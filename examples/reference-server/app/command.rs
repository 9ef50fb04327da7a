//! The command loop over `eid-account`: decide on the account's current
//! state, append the outcome with what goes with it (SMS, index row,
//! verdict, photos) in one transaction, decide again after losing a race.

use cccd::IdNumber;
use eid_account::{
    Account, Action, Command, Context, Decision, DeviceUse, Effect, Event, EventKind,
    RegistryAnswer, decide, fold,
};

use super::error::ApiError;
use super::state::AppState;
use super::store::{
    AccountIndex, OutboxMessage, PhotoRow, Storage, StoreError, VerdictRow, WithEvents,
};
use super::{limits, now};

/// How many times a command is decided again after losing the race for
/// its append (another server wrote the account meanwhile) before the
/// request gives up with 503: never with a conflict that would tell a
/// guesser anything.
const MAX_DECISIONS: usize = 32;

/// The `account_index` row of an account: the phone once there is a
/// password, the device while the identity is active.
pub(crate) fn index_of(a: &Account) -> AccountIndex {
    AccountIndex {
        phone: if a.has_password() {
            a.phone().map(|p| p.as_str().to_owned())
        } else {
            None
        },
        device: if a.is_active() {
            a.device().map(|d| d.as_str().to_owned())
        } else {
            None
        },
    }
}

impl AppState {
    /// Decides `action` on the account's current state and appends the
    /// outcome (events and SMS in one transaction); see [`AppState::run`]
    /// for what happens when another writer gets there first.
    pub(crate) async fn execute(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
    ) -> Result<(Account, Decision), ApiError> {
        self.execute_guarded(id, action, registry, device_use, |_, _| Ok(()))
            .await
    }

    /// [`AppState::execute`] with a server-side check on the same state the
    /// command is decided on (so a concurrent change makes the append fail).
    pub(crate) async fn execute_guarded(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl Fn(&Account, u64) -> Result<(), ApiError>,
    ) -> Result<(Account, Decision), ApiError> {
        self.execute_checked(id, action, registry, device_use, |a, _, t| guard(a, t))
            .await
    }

    /// [`AppState::execute_guarded`] whose check also sees the log.
    pub(crate) async fn execute_checked(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl Fn(&Account, &[Event], u64) -> Result<(), ApiError>,
    ) -> Result<(Account, Decision), ApiError> {
        self.run(id, action, registry, device_use, guard, None)
            .await
    }

    /// [`AppState::execute`] of a level-1 dossier submission, with the
    /// dossier's `verdict` (JSON) and `photos` written in the same
    /// transaction as the event that submits it: a dossier is never stored
    /// without its verdict. A decision without that event writes nothing
    /// (internal error).
    pub(crate) async fn execute_with_dossier(
        &self,
        id: &IdNumber,
        action: Action,
        verdict: &str,
        photos: &[PhotoRow<'_>],
    ) -> Result<(Account, Decision), ApiError> {
        let dossier = Some((verdict, photos));
        self.run(id, action, None, None, |_, _, _| Ok(()), dossier)
            .await
    }

    /// The command loop behind the `execute` methods: `dossier` (the
    /// verdict and photos), when given, is keyed by the decision's
    /// `Level1DossierSubmitted` event; a decision on a dossier deletes the
    /// photos kept for it ([`decides_dossier`]).
    ///
    /// Keeps `eid-account`'s store contract: the events of a decision or of
    /// a refusal that counts (a wrong OTP, password, passcode, answer) are
    /// appended before anything is answered, and an append that loses the
    /// race to another writer decides the command again on the new state.
    /// So N parallel guesses cost N tries, and a right guess that lost a
    /// race is decided again rather than answered `version_conflict` (which
    /// would tell the guesser it was right). Two racing commands still
    /// never both succeed: the second is decided on the first's outcome.
    async fn run(
        &self,
        id: &IdNumber,
        action: Action,
        registry: Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
        guard: impl Fn(&Account, &[Event], u64) -> Result<(), ApiError>,
        dossier: Option<(&str, &[PhotoRow<'_>])>,
    ) -> Result<(Account, Decision), ApiError> {
        let _serial = self.account_locks.of(id).lock().await;
        // Argon2's memory is bounded: a command that hashes waits for a
        // permit (503 server_busy past the wait), held until it is decided.
        let _argon2 = self.hashing.permit(&action).await?;
        for _ in 0..MAX_DECISIONS {
            let events = self.store.load(id.as_str()).await?;
            let account = fold(&events);
            let t = now();
            guard(&account, &events, t)?;
            let outcome = self.decide_on(&account, action.clone(), t, &registry, device_use);
            let (written, appended) = match outcome {
                Ok(decision) => {
                    let verdict = verdict_row(&decision, dossier.map(|d| d.0))?;
                    let outbox = outbox_messages(&decision.effects, t);
                    let after = decision
                        .events
                        .iter()
                        .fold(account.clone(), eid_account::apply);
                    let with = WithEvents {
                        outbox: &outbox,
                        index: Some(&index_of(&after)),
                        verdict,
                        photos: dossier.map(|d| d.1).unwrap_or_default(),
                        forget_photos: decides_dossier(&decision.events),
                    };
                    let appended = self
                        .store
                        .append_with(id.as_str(), account.version(), &decision.events, t, &with)
                        .await;
                    if appended.is_ok() {
                        self.after_append(&outbox, &decision.effects);
                    }
                    (Ok((after, decision)), appended)
                }
                Err(refusal) if refusal.events.is_empty() => return Err(refusal.error.into()),
                Err(refusal) => {
                    let after = refusal
                        .events
                        .iter()
                        .fold(account.clone(), eid_account::apply);
                    let with = WithEvents {
                        index: Some(&index_of(&after)),
                        ..WithEvents::default()
                    };
                    let appended = self
                        .store
                        .append_with(id.as_str(), account.version(), &refusal.events, t, &with)
                        .await;
                    (Err(refusal.error.into()), appended)
                }
            };
            match appended {
                Ok(()) => return written,
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        tracing::warn!("an account's appends kept losing races");
        Err(limits::server_busy())
    }

    /// `decide` off the async threads (Argon2 hashing happens in it).
    fn decide_on(
        &self,
        account: &Account,
        action: Action,
        t: u64,
        registry: &Option<RegistryAnswer>,
        device_use: Option<DeviceUse>,
    ) -> Result<Decision, eid_account::Refusal> {
        let mut rng = getrandom::SysRng;
        tokio::task::block_in_place(|| {
            let mut ctx = Context {
                now: t,
                rng: &mut rng,
                registry: registry.clone(),
                device_use,
                policies: &self.policies,
                keys: &self.keys,
            };
            decide(account, Command::new(account.version(), action), &mut ctx)
        })
    }

    /// What follows a decision's append: wake the SMS dispatcher, log the
    /// officers' notices.
    fn after_append(&self, outbox: &[OutboxMessage], effects: &[Effect]) {
        if !outbox.is_empty() {
            self.outbox_ready.notify_one();
        }
        for e in effects {
            if let Effect::NotifyOfficers { notice, .. } = e {
                tracing::info!(?notice, "officers notified");
            }
        }
    }
}

/// Whether `events` decide a dossier (approve it, refuse it, or record a
/// level-2 one in its place): then the photos kept for its review are
/// deleted in the same transaction. Privacy: a citizen's face is personal
/// data, kept only while an officer needs it to decide.
fn decides_dossier(events: &[Event]) -> bool {
    events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::DossierApproved { .. }
                | EventKind::DossierNotAccepted { .. }
                | EventKind::Level2DossierRecorded { .. }
        )
    })
}

/// The verdict row of a level-1 submission: keyed by the decision's
/// `Level1DossierSubmitted` event (internal error without one).
fn verdict_row<'a>(
    decision: &Decision,
    verdict: Option<&'a str>,
) -> Result<Option<VerdictRow<'a>>, ApiError> {
    let Some(body) = verdict else {
        return Ok(None);
    };
    let sequence = decision
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Level1DossierSubmitted { .. }))
        .map(|e| e.sequence)
        .ok_or_else(ApiError::internal)?;
    Ok(Some(VerdictRow { sequence, body }))
}

/// The SMS to write with the events: one-time codes and texts. The code
/// is in the text (the outbox must be able to send it); the dispatcher
/// blanks the text once sent.
fn outbox_messages(effects: &[Effect], now: u64) -> Vec<OutboxMessage> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SendOtp {
                phone,
                purpose,
                code,
                expires_at,
            } => Some(OutboxMessage {
                phone: phone.as_str().to_owned(),
                kind: format!("otp:{purpose:?}").to_lowercase(),
                text: format!(
                    "Ma xac thuc (OTP) tai khoan dinh danh dien tu cua ban la {}. Ma co hieu luc trong {} giay. Khong cung cap ma nay cho bat ky ai.",
                    code.expose_secret(),
                    expires_at.saturating_sub(now)
                ),
            }),
            Effect::SendSms { phone, kind, text } => Some(OutboxMessage {
                phone: phone.as_str().to_owned(),
                kind: format!("{kind:?}").to_lowercase(),
                text: text.clone(),
            }),
            _ => None,
        })
        .collect()
}
