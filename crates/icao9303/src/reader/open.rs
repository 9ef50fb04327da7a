//! Opening the chip: EF.CardAccess in the clear, PACE when it offers a
//! variant this crate implements (else, or when PACE fails and the MRZ is
//! known, BAC), the eMRTD application selected. One state per answer.

use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use super::card_access::{no_card_access, pace_offer};
use super::channel::Outgoing;
use super::chunk::{max_chunk, tlv_total_len};
use super::session::{Answer, Ctx, Next, Phase, send};
use super::{AccessControl, CamFailure, Credential, ReaderErrorKind, file};
use crate::Error;
use crate::apdu::{AID_LDS1, CommandApdu, StatusWord};
use crate::bac::{Bac, BacChallenged, K_LEN, RND_LEN};
use crate::lds::FileKind;
use crate::pace::{DomainParameters, Pace, PaceErrorKind, PaceOutcome, PaceProtocol, PaceStep};
use crate::sm::{self, SecureMessaging};

/// `Ne` for a chunk of the probe.
fn ne(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(256)
}

/// The first command: the EF.CardAccess probe (READ BINARY with its short
/// file identifier in the master file, where the chip starts), or with
/// PACE switched off BAC's SELECT.
pub(super) fn start(ctx: &mut Ctx) -> Next {
    if !ctx.options.pace {
        return start_bac(ctx, None);
    }
    let chunk = max_chunk(&ctx.chan.link, None);
    let cmd = CommandApdu::read_binary_sfi(FileKind::CardAccess.sfi(), 0, ne(chunk))?;
    send(
        Phase::CardAccess(ExpectCardAccess { read: None, chunk }),
        Outgoing::Clear(cmd),
    )
}

/// Waits for EF.CardAccess (in the clear): `6D00`, `6982`, `6A82` (and the
/// other refusals of chips without it) mean "no PACE".
pub(super) struct ExpectCardAccess {
    /// The bytes so far and the file's length, after the first answer.
    read: Option<(Vec<u8>, usize)>,
    chunk: usize,
}

impl ExpectCardAccess {
    pub(super) fn on_answer(self, ctx: &mut Ctx, answer: Answer<'_>) -> Next {
        let rsp = ctx.chan.clear(answer?)?;
        let (data, total) = match self.read {
            None if no_card_access(rsp.sw) || !rsp.sw.is_read_data() => {
                return choose_access_control(ctx);
            }
            None => {
                let total = tlv_total_len(&rsp.data).unwrap_or(rsp.data.len());
                (rsp.data, total)
            }
            // A refusal or nothing more ends the file where it is.
            Some((data, total)) if !rsp.sw.is_read_data() || rsp.data.is_empty() => {
                return card_access_read(ctx, data, total);
            }
            Some((mut data, total)) => {
                data.extend_from_slice(&rsp.data);
                (data, total)
            }
        };
        if data.len() >= total {
            return card_access_read(ctx, data, total);
        }
        let offset = u16::try_from(data.len()).unwrap_or(u16::MAX);
        let want = total.saturating_sub(data.len()).min(self.chunk);
        let cmd = CommandApdu::read_binary(offset, ne(want))?;
        let next = ExpectCardAccess {
            read: Some((data, total)),
            chunk: self.chunk,
        };
        send(Phase::CardAccess(next), Outgoing::Clear(cmd))
    }
}

fn card_access_read(ctx: &mut Ctx, mut data: Vec<u8>, total: usize) -> Next {
    data.truncate(total);
    ctx.card_access = Some(data);
    choose_access_control(ctx)
}

/// PACE when EF.CardAccess offers a variant implemented here, else BAC.
fn choose_access_control(ctx: &mut Ctx) -> Next {
    match ctx.card_access.as_deref().and_then(pace_offer) {
        Some((protocol, parameters, used)) => start_pace(ctx, protocol, parameters, used),
        None => start_bac(ctx, None),
    }
}

fn start_pace(
    ctx: &mut Ctx,
    protocol: PaceProtocol,
    parameters: DomainParameters,
    used: usize,
) -> Next {
    let password = ctx.credential.pace_password();
    let access = AccessControl::Pace {
        protocol,
        parameters,
        password: password.kind(),
    };
    let started = Pace::new(protocol, parameters, &password).and_then(|mut pace| {
        let cmd = pace.start()?;
        Ok((pace, cmd))
    });
    match started {
        Ok((pace, cmd)) => {
            let next = ExpectPace {
                pace,
                access,
                parameters,
                used,
            };
            send(Phase::Pace(Box::new(next)), Outgoing::Clear(cmd))
        }
        Err(e) => pace_failed(ctx, e),
    }
}

/// PACE runs: waits for the answer to its last command.
pub(super) struct ExpectPace {
    pace: Pace,
    access: AccessControl,
    parameters: DomainParameters,
    /// The index of the PACEInfo used in EF.CardAccess.
    used: usize,
}

impl ExpectPace {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        mut self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let step = match answer {
            // The link is gone: BAC would not get through either.
            Err(e @ Error::Transport(_)) => return Err(e),
            Err(e) => Err(e),
            Ok(bytes) => ctx
                .chan
                .clear(bytes)
                .and_then(|rsp| self.pace.next(&rsp, rng)),
        };
        match step {
            Ok(PaceStep::Send(cmd)) => send(Phase::Pace(Box::new(self)), Outgoing::Clear(cmd)),
            Ok(PaceStep::Done(outcome)) => pace_done(ctx, *outcome, &self, rng),
            // A chip that fails CAM is refused, never read with BAC.
            Err(Error::Pace(PaceErrorKind::ChipAuthentication)) => {
                Err(ReaderErrorKind::ChipAuthenticationMapping {
                    failure: CamFailure::NoAuthenticationData,
                }
                .into())
            }
            Err(e) => pace_failed(ctx, e),
        }
    }
}

/// PACE did not open the chip: BAC with the MRZ; with a CAN, the refusal.
fn pace_failed(ctx: &mut Ctx, e: Error) -> Next {
    start_bac(ctx, Some(e))
}

/// PACE's refusal of the password as the reader reports it.
fn pace_refusal(e: Error) -> Error {
    match e {
        Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        Error::Pace(PaceErrorKind::BadToken) => {
            ReaderErrorKind::AccessDenied { method: "PACE" }.into()
        }
        other => other,
    }
}

/// BAC's refusal of the key (`6300`) as the reader reports it.
fn bac_refusal(e: Error) -> Error {
    match e {
        Error::StatusWord { sw, .. } if sw == StatusWord::VERIFICATION_FAILED => {
            ReaderErrorKind::AccessDenied { method: "BAC" }.into()
        }
        other => other,
    }
}

/// PACE succeeded: the session is open. With Chip Authentication
/// Mapping, EF.CardSecurity (in the master file, where PACE left the
/// chip) is read and checked first; then the application is selected.
fn pace_done<R: TryCryptoRng + ?Sized>(
    ctx: &mut Ctx,
    outcome: PaceOutcome,
    pace: &ExpectPace,
    rng: &mut R,
) -> Next {
    enter_session(ctx, outcome.sm, pace.access);
    match outcome.chip_authentication {
        Some(cam) => {
            ctx.pending_cam = Some(super::auth::CamPending {
                cam,
                parameters: pace.parameters,
                used: pace.used,
            });
            file::read(ctx, FileKind::CardSecurity, rng)
        }
        None => select_application(ctx),
    }
}

/// Secure messaging is on: the chunk follows from the link and the cipher
/// (or the options), never above what an earlier session learnt.
pub(super) fn enter_session(ctx: &mut Ctx, sm: SecureMessaging, access: AccessControl) {
    let block = sm::block_len(sm.kind());
    let mut chunk = ctx
        .options
        .fixed_chunk
        .unwrap_or_else(|| max_chunk(&ctx.chan.link, Some(block)));
    if ctx.options.fixed_chunk.is_none() && ctx.chunk > 0 {
        chunk = chunk.min(ctx.chunk);
    }
    ctx.chunk = chunk.max(1);
    ctx.chan.sm = Some(sm);
    ctx.access_control = Some(access);
}

/// SELECT of the eMRTD application under secure messaging (after PACE),
/// counted with the opening.
pub(super) fn select_application(ctx: &mut Ctx) -> Next {
    ctx.slot = super::partial::Slot::Open;
    send(
        Phase::AppSelected(ExpectAppSelected),
        Outgoing::Protected(CommandApdu::select_aid(&AID_LDS1)),
    )
}

/// After PACE: waits for the (protected) answer to SELECT of the
/// application.
pub(super) struct ExpectAppSelected;

impl ExpectAppSelected {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let rsp = ctx.chan.protected(answer?)?;
        if !rsp.sw.is_success() {
            return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
        }
        ctx.current = None;
        file::next(ctx, rng)
    }
}

/// BAC: SELECT of the application in the clear; with a CAN (no MRZ), the
/// reason PACE did not open the chip.
fn start_bac(ctx: &mut Ctx, pace_error: Option<Error>) -> Next {
    match &ctx.credential {
        Credential::Mrz(_) => send(
            Phase::BacSelect(ExpectBacSelect),
            Outgoing::Clear(CommandApdu::select_aid(&AID_LDS1)),
        ),
        Credential::Can(_) => Err(match pace_error {
            Some(e) => pace_refusal(e),
            None => ReaderErrorKind::PaceUnavailable.into(),
        }),
    }
}

/// BAC: waits for the answer to SELECT of the application.
pub(super) struct ExpectBacSelect;

impl ExpectBacSelect {
    pub(super) fn on_answer(self, ctx: &mut Ctx, answer: Answer<'_>) -> Next {
        let rsp = ctx.chan.clear(answer?)?;
        if !rsp.sw.is_success() {
            return Err(ReaderErrorKind::NoApplication { sw: rsp.sw }.into());
        }
        send(
            Phase::BacChallenge(ExpectChallenge),
            Outgoing::Clear(CommandApdu::get_challenge()),
        )
    }
}

/// BAC: waits for the chip's challenge `RND.IC`.
pub(super) struct ExpectChallenge;

impl ExpectChallenge {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let rsp = ctx.chan.clear(answer.map_err(bac_refusal)?)?;
        let Credential::Mrz(key) = &ctx.credential else {
            return Err(ReaderErrorKind::PaceUnavailable.into());
        };
        let mut rnd_ifd = Zeroizing::new([0u8; RND_LEN]);
        let mut k_ifd = Zeroizing::new([0u8; K_LEN]);
        crate::fill_random(rng, rnd_ifd.as_mut_slice())?;
        crate::fill_random(rng, k_ifd.as_mut_slice())?;
        let (waiting, cmd) = Bac::new(key)
            .on_challenge(&rsp, &rnd_ifd, &k_ifd)
            .map_err(bac_refusal)?;
        let next = ExpectMutualAuthentication { waiting };
        send(Phase::BacMutual(Box::new(next)), Outgoing::Clear(cmd))
    }
}

/// BAC: waits for the chip's answer to MUTUAL AUTHENTICATE.
pub(super) struct ExpectMutualAuthentication {
    waiting: BacChallenged,
}

impl ExpectMutualAuthentication {
    pub(super) fn on_answer<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &mut Ctx,
        answer: Answer<'_>,
        rng: &mut R,
    ) -> Next {
        let rsp = ctx.chan.clear(answer.map_err(bac_refusal)?)?;
        let sm = self.waiting.on_response(&rsp).map_err(bac_refusal)?;
        enter_session(ctx, sm, AccessControl::Bac);
        file::next(ctx, rng)
    }
}
