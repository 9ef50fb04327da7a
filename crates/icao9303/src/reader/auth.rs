//! Proofs of a genuine chip: PACE-CAM's check against EF.CardSecurity
//! (and EF.CardAccess's SecurityInfos against it), Chip Authentication
//! with DG14's key, Active Authentication with DG15's. One state per
//! answer; a failure of Chip or Active Authentication is its outcome, not
//! the read's, but for a lost link, which ends the read (to resume).

use rand_core::TryCryptoRng;

use super::card_access::check_card_access;
use super::channel::Outgoing;
use super::chunk::max_chunk;
use super::partial::Slot;
use super::session::{Answer, Ctx, Next, Phase, Step, send};
use super::{AccessMismatch, AuthOutcome, AuthProtocol, CamFailure, ReaderErrorKind};
use crate::Error;
use crate::apdu::{AID_LDS1, CommandApdu};
use crate::ca::{CaPlan, CaStep, ChipAuthentication};
use crate::lds::{DataGroup, FileKind, SecurityInfo};
use crate::pace::{CamData, DomainParameters, KeyAgreement};
use crate::sm::{self, SecureMessaging};

/// PACE-CAM's data, until EF.CardSecurity is read to check it.
pub(super) struct CamPending {
    pub(super) cam: CamData,
    /// The curve PACE ran on.
    pub(super) parameters: DomainParameters,
    /// The index of the PACEInfo used in EF.CardAccess.
    pub(super) used: usize,
}

/// PACE-CAM's check, EF.CardSecurity read: takes its
/// ChipAuthenticationPublicKeyInfo on the PACE curve (the one whose key id
/// is the curve's parameter ID when there are several) and checks
/// `PK_Map,IC = CA_IC * PK_IC`; then that EF.CardAccess's SecurityInfos
/// (read in the clear, unsigned) are all in EF.CardSecurity.
pub(super) fn check_cam(ctx: &mut Ctx) -> Result<(), Error> {
    let fail = |failure: CamFailure| -> Error {
        ReaderErrorKind::ChipAuthenticationMapping { failure }.into()
    };
    let pending = ctx
        .pending_cam
        .take()
        .ok_or_else(|| fail(CamFailure::NoAuthenticationData))?;
    let parameters = pending.parameters;
    let bytes = ctx
        .complete(FileKind::CardSecurity)
        .ok_or_else(|| fail(CamFailure::NoCardSecurity))?;
    let card_security = crate::lds::CardSecurity::parse(bytes)
        .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
    let keys: Vec<(Vec<u8>, Option<u64>)> = card_security
        .security_infos
        .infos
        .iter()
        .filter_map(|info| match info {
            SecurityInfo::ChipAuthenticationPublicKey {
                protocol,
                public_key,
                key_id,
            } => crate::ca::usable_key(protocol, public_key)
                .filter(|(p, _)| *p == parameters)
                .map(|(_, key)| (key, *key_id)),
            _ => None,
        })
        .collect();
    let wanted = Some(u64::from(parameters.id()));
    let key = keys
        .iter()
        .find(|(_, id)| *id == wanted)
        .or_else(|| keys.first())
        .map(|(key, _)| key)
        .ok_or_else(|| fail(CamFailure::NoKey { parameters }))?;
    pending
        .cam
        .verify(parameters, key)
        .map_err(|_| fail(CamFailure::KeyMismatch { parameters }))?;
    let mismatch = |mismatch| Error::from(ReaderErrorKind::CardAccessMismatch { mismatch });
    let card_access = ctx
        .card_access
        .as_deref()
        .ok_or_else(|| mismatch(AccessMismatch::NoCardAccess))?;
    let signed = card_security
        .security_info_encodings()
        .map_err(|e| fail(CamFailure::CardSecurity(Box::new(e))))?;
    let checked = check_card_access(card_access, pending.used, &signed).map_err(mismatch)?;
    ctx.cam = Some(AuthOutcome::passed(
        AuthProtocol::PaceCam,
        format!("EF.CardSecurity's Chip Authentication key on {parameters:?}"),
        "PK_Map,IC = CA_IC * PK_IC",
        format!(
            "PACE-CAM on {parameters:?}: the chip proved EF.CardSecurity's Chip Authentication key; EF.CardAccess's {checked} SecurityInfos are all in EF.CardSecurity"
        ),
    ));
    Ok(())
}

/// A lost link ends the session (the files read stay in its
/// [`PartialRead`](super::PartialRead), to resume): it says nothing of the
/// chip, and as an outcome it would report a genuine chip as failing the
/// clone check. Any other failure of the exchange is the protocol's
/// outcome.
fn lost_link(answer: Answer<'_>) -> Result<Answer<'_>, Error> {
    match answer {
        Err(e @ Error::Transport(_)) => Err(e),
        other => Ok(other),
    }
}

/// Every file read: Chip Authentication (unless PACE-CAM proved the chip
/// already), then Active Authentication, as the options ask.
pub(super) fn start<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, rng: &mut R) -> Next {
    ctx.slot = Slot::Authentication;
    // The chunk the files were read with (Chip Authentication may change
    // the cipher, and with it the chunk, when nothing is left to read).
    ctx.got.stats.chunk = ctx.chunk;
    if ctx.cam.is_none()
        && ctx.options.chip_authentication
        && let Some(next) = start_chip_authentication(ctx, rng)
    {
        return next;
    }
    start_active_authentication(ctx, rng)
}

/// Chip Authentication with DG14's key, when DG14 offers one.
fn start_chip_authentication<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, rng: &mut R) -> Option<Next> {
    let dg14 = crate::lds::Dg14::parse(ctx.complete(FileKind::Dg(DataGroup::Dg14))?).ok()?;
    let plan = crate::ca::plan(&dg14).ok()?;
    let started = ChipAuthentication::new(&plan, rng).and_then(|mut ca| {
        let cmd = ca.start()?;
        Ok((ca, cmd))
    });
    Some(match started {
        Ok((ca, cmd)) => {
            let next = ExpectChipAuthentication { ca, plan };
            send(
                Phase::ChipAuthentication(Box::new(next)),
                Outgoing::Protected(cmd),
            )
        }
        Err(e) => {
            ctx.chip_authentication =
                Some(AuthOutcome::failed(AuthProtocol::ChipAuthentication, e));
            start_active_authentication(ctx, rng)
        }
    })
}

/// Chip Authentication runs: waits for the answer to its last command.
pub(super) struct ExpectChipAuthentication {
    ca: ChipAuthentication,
    plan: CaPlan,
}

impl ExpectChipAuthentication {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        mut self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let step = lost_link(answer)?
            .and_then(|wire| ctx.chan.protected(wire))
            .and_then(|rsp| self.ca.next(&rsp));
        match step {
            Ok(CaStep::Send(cmd)) => send(
                Phase::ChipAuthentication(Box::new(self)),
                Outgoing::Protected(cmd),
            ),
            Ok(CaStep::Done(session)) => {
                replace_secure_messaging(ctx, *session);
                // The chip proves its key when it answers under the new keys.
                let next = ExpectChipAuthenticated { plan: self.plan };
                send(
                    Phase::ChipAuthenticated(next),
                    Outgoing::Protected(CommandApdu::select_aid(&AID_LDS1)),
                )
            }
            Err(e) => {
                ctx.chip_authentication =
                    Some(AuthOutcome::failed(AuthProtocol::ChipAuthentication, e));
                start_active_authentication(ctx, rng)
            }
        }
    }
}

/// Chip Authentication's session replaces the first one; the chunk shrinks
/// if its cipher's blocks are longer.
fn replace_secure_messaging(ctx: &mut Ctx, session: SecureMessaging) {
    let block = sm::block_len(session.kind());
    ctx.chan.sm = Some(session);
    if ctx.options.fixed_chunk.is_none() {
        ctx.chunk = ctx.chunk.min(max_chunk(&ctx.chan.link, Some(block)));
    }
}

/// Waits for the chip's answer under Chip Authentication's session keys.
pub(super) struct ExpectChipAuthenticated {
    plan: CaPlan,
}

impl ExpectChipAuthenticated {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let plan = &self.plan;
        let protocol = AuthProtocol::ChipAuthentication;
        let outcome = match lost_link(answer)?.and_then(|wire| ctx.chan.protected(wire)) {
            Ok(r) if r.sw.is_success() => AuthOutcome::passed(
                protocol,
                format!("DG14's key on {:?}", plan.parameters),
                "the chip answered under the new session keys",
                format!(
                    "{} on {:?}, session switched to {:?}",
                    if plan.parameters.agreement() == KeyAgreement::Dh {
                        "DH"
                    } else {
                        "ECDH"
                    },
                    plan.parameters,
                    plan.cipher
                ),
            ),
            Ok(r) => AuthOutcome::refused_after(protocol, r.sw),
            Err(e) => AuthOutcome::failed(protocol, e),
        };
        ctx.chip_authentication = Some(outcome);
        start_active_authentication(ctx, rng)
    }
}

/// Active Authentication with DG15's key, when asked for and DG15 was
/// read: INTERNAL AUTHENTICATE with 8 random bytes.
#[cfg(feature = "pa")]
fn start_active_authentication<R: TryCryptoRng + ?Sized>(ctx: &mut Ctx, rng: &mut R) -> Next {
    if !ctx.options.active_authentication {
        return Ok(Step::Finished);
    }
    let Some(dg15) = ctx.complete(FileKind::Dg(DataGroup::Dg15)) else {
        return Ok(Step::Finished);
    };
    if crate::lds::Dg15::parse(dg15).is_err() {
        return Ok(Step::Finished);
    }
    let mut challenge = [0u8; 8];
    if let Err(e) = crate::fill_random(rng, &mut challenge) {
        let outcome = AuthOutcome::failed(AuthProtocol::ActiveAuthentication, e);
        ctx.active_authentication = Some(outcome);
        return Ok(Step::Finished);
    }
    send(
        Phase::Signature(ExpectSignature { challenge }),
        Outgoing::Protected(crate::aa::internal_authenticate(&challenge)),
    )
}

/// Without feature `pa` there is no signature verification: no Active
/// Authentication.
#[cfg(not(feature = "pa"))]
fn start_active_authentication<R: TryCryptoRng + ?Sized>(_ctx: &mut Ctx, _rng: &mut R) -> Next {
    Ok(Step::Finished)
}

/// Waits for the chip's signature of the challenge.
#[cfg(feature = "pa")]
pub(super) struct ExpectSignature {
    challenge: [u8; 8],
}

#[cfg(feature = "pa")]
impl ExpectSignature {
    pub(super) fn on_answer(self, ctx: &mut Ctx, answer: Answer<'_>) -> Next {
        let rsp = lost_link(answer)?.and_then(|wire| ctx.chan.protected(wire));
        let find = |dg| ctx.complete(FileKind::Dg(dg));
        let checked = rsp.and_then(|rsp| {
            let dg15 = crate::lds::Dg15::parse(find(DataGroup::Dg15).unwrap_or_default())?;
            let dg14 = find(DataGroup::Dg14).and_then(|b| crate::lds::Dg14::parse(b).ok());
            crate::aa::check_answer(&dg15, dg14.as_ref(), &self.challenge, &rsp)
        });
        let protocol = AuthProtocol::ActiveAuthentication;
        ctx.active_authentication = Some(match checked {
            Ok(()) => AuthOutcome::passed(
                protocol,
                "DG15's key",
                "the signature of the reader's challenge verifies",
                "the chip signed the challenge with DG15's key",
            ),
            Err(e) => AuthOutcome::failed(protocol, e),
        });
        Ok(Step::Finished)
    }
}
