//! Chip Authentication on the reader's side: [`ChipAuthentication`], a
//! sans-IO state machine with one state per answer it waits for, and
//! [`authenticate`], which runs it under the current secure messaging.
//!
//! ```text
//! 3DES: start ──MSE:Set KAT 91 PK──> ExpectKeyAgreement ──> new session
//! AES:  start ──MSE:Set AT 80 OID──> ExpectSetAt ──GA 7C{80 PK}──> ExpectKeyAgreement ──> new session
//! ```

use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use super::{CaErrorKind, CaPlan};
use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu};
use crate::kdf::KeyKind;
use crate::sm::{self, SecureMessaging, SessionKeys};
use crate::tlv::{self, Tag};
use crate::transport::Transport;

/// The commands of Chip Authentication for an ephemeral public key
/// `pk_pcd`: MSE:Set KAT (3DES), or MSE:Set AT and GENERAL AUTHENTICATE
/// (AES).
pub fn commands(plan: &CaPlan, pk_pcd: &[u8]) -> Vec<CommandApdu> {
    if plan.cipher == KeyKind::Tdes {
        vec![set_kat(plan, pk_pcd)]
    } else {
        vec![set_at(plan), general_authenticate(pk_pcd)]
    }
}

/// `84 keyId` when DG14 gives a key id.
fn key_reference(plan: &CaPlan, out: &mut Vec<u8>) {
    if let Some(id) = plan.key_id {
        let bytes = id.to_be_bytes();
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(7);
        tlv::write(out, Tag::new(0x84), bytes.get(start..).unwrap_or(&[0]));
    }
}

/// MSE:Set KAT (`00 22 41 A6`, `91 PK.PCD [84 keyId]`), 3DES.
fn set_kat(plan: &CaPlan, pk_pcd: &[u8]) -> CommandApdu {
    let mut data = Vec::new();
    tlv::write(&mut data, Tag::new(0x91), pk_pcd);
    key_reference(plan, &mut data);
    CommandApdu::new(0x00, 0x22, 0x41, 0xA6).with_data(data)
}

/// MSE:Set AT (`00 22 41 A4`, `80 OID [84 keyId]`), AES.
fn set_at(plan: &CaPlan) -> CommandApdu {
    let mut data = Vec::new();
    tlv::write(&mut data, Tag::new(0x80), &plan.protocol);
    key_reference(plan, &mut data);
    CommandApdu::new(0x00, 0x22, 0x41, 0xA4).with_data(data)
}

/// GENERAL AUTHENTICATE (`7C { 80 PK.PCD }`), AES.
fn general_authenticate(pk_pcd: &[u8]) -> CommandApdu {
    let inner = tlv::encode(Tag::new(0x80), pk_pcd);
    CommandApdu::general_authenticate(tlv::encode(Tag::new(0x7C), &inner), true)
}

/// The session after Chip Authentication, from the reader's ephemeral
/// private key and the chip's public key (checked first: on the curve, or
/// in the subgroup of order `q`).
pub fn session(plan: &CaPlan, sk_pcd: &[u8]) -> Result<SecureMessaging, Error> {
    plan.parameters.check_point(&plan.chip_public_key)?;
    let shared = Zeroizing::new(
        plan.parameters
            .public_key(sk_pcd, Some(&plan.chip_public_key))?,
    );
    let secret = Zeroizing::new(plan.parameters.x_coordinate(&shared)?);
    let keys = SessionKeys::derive(plan.cipher, &secret);
    SecureMessaging::new(keys, &vec![0u8; sm::block_len(plan.cipher)])
}

/// What to do next.
///
/// Exhaustive: a step either sends a command or is done.
#[derive(Debug)]
pub enum CaStep {
    /// Send this command under the current session and pass the answer to
    /// [`ChipAuthentication::next`].
    Send(CommandApdu),
    /// The chip agreed: secure messaging continues with this session.
    Done(Box<SecureMessaging>),
}

/// What every state reads: the plan and the reader's ephemeral key pair.
struct Context {
    plan: CaPlan,
    sk: Zeroizing<Vec<u8>>,
    pk: Vec<u8>,
}

/// Where the reader's Chip Authentication is.
enum State {
    /// [`ChipAuthentication::start`] not called yet.
    Start,
    SetAt(ExpectSetAt),
    KeyAgreement(ExpectKeyAgreement),
    /// Succeeded or failed.
    Over,
}

/// A refusal of `command` by the chip.
fn refused(command: &'static str, response: &ResponseApdu) -> Result<(), Error> {
    if response.sw.is_success() {
        Ok(())
    } else {
        Err(CaErrorKind::Refused {
            command,
            sw: response.sw,
        }
        .into())
    }
}

/// AES: waits for the answer to MSE:Set AT.
struct ExpectSetAt;

impl ExpectSetAt {
    fn on_set_at(self, ctx: &Context, response: &ResponseApdu) -> Result<(State, CaStep), Error> {
        refused("MSE:Set", response)?;
        let cmd = general_authenticate(&ctx.pk);
        Ok((State::KeyAgreement(ExpectKeyAgreement), CaStep::Send(cmd)))
    }
}

/// Waits for the answer to the command carrying the reader's key: MSE:Set
/// KAT (3DES) or GENERAL AUTHENTICATE (AES).
struct ExpectKeyAgreement;

impl ExpectKeyAgreement {
    fn on_key_agreement(
        self,
        ctx: &Context,
        response: &ResponseApdu,
    ) -> Result<(State, CaStep), Error> {
        let command = if ctx.plan.cipher == KeyKind::Tdes {
            "MSE:Set"
        } else {
            "GENERAL AUTHENTICATE"
        };
        refused(command, response)?;
        let next = session(&ctx.plan, &ctx.sk)?;
        Ok((State::Over, CaStep::Done(Box::new(next))))
    }
}

/// Chip Authentication on the reader's side, as a sans-IO state machine:
/// [`ChipAuthentication::start`] gives the first command, each
/// [`ChipAuthentication::next`] takes the chip's answer (unwrapped from
/// the current secure messaging) until the new session.
pub struct ChipAuthentication {
    ctx: Context,
    state: State,
}

impl core::fmt::Debug for ChipAuthentication {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipAuthentication")
            .field("parameters", &self.ctx.plan.parameters)
            .field("cipher", &self.ctx.plan.cipher)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl ChipAuthentication {
    /// Chip Authentication with DG14's `plan`: checks the chip's key (on
    /// the curve, or in the subgroup) before anything is sent, and draws
    /// the reader's ephemeral key from `rng`.
    pub fn new<R: TryCryptoRng + ?Sized>(
        plan: &CaPlan,
        rng: &mut R,
    ) -> Result<ChipAuthentication, Error> {
        plan.parameters.check_point(&plan.chip_public_key)?;
        let sk = plan.parameters.random_private_key(rng)?;
        let pk = plan.parameters.public_key(&sk, None)?;
        Ok(ChipAuthentication {
            ctx: Context {
                plan: plan.clone(),
                sk,
                pk,
            },
            state: State::Start,
        })
    }

    /// The first command: MSE:Set KAT (3DES) or MSE:Set AT (AES).
    pub fn start(&mut self) -> Result<CommandApdu, Error> {
        if !matches!(self.state, State::Start) {
            return Err(CaErrorKind::WrongState.into());
        }
        if self.ctx.plan.cipher == KeyKind::Tdes {
            self.state = State::KeyAgreement(ExpectKeyAgreement);
            Ok(set_kat(&self.ctx.plan, &self.ctx.pk))
        } else {
            self.state = State::SetAt(ExpectSetAt);
            Ok(set_at(&self.ctx.plan))
        }
    }

    /// Takes the chip's answer to the last command and gives the next
    /// step. Any error ends the protocol.
    pub fn next(&mut self, response: &ResponseApdu) -> Result<CaStep, Error> {
        let ctx = &self.ctx;
        let (next, step) = match core::mem::replace(&mut self.state, State::Over) {
            State::SetAt(s) => s.on_set_at(ctx, response)?,
            State::KeyAgreement(s) => s.on_key_agreement(ctx, response)?,
            State::Start | State::Over => return Err(CaErrorKind::WrongState.into()),
        };
        self.state = next;
        Ok(step)
    }
}

/// Runs Chip Authentication with DG14's key over `transport`, under the
/// current session `sm`; returns the new session.
pub fn authenticate<T, R>(
    transport: &mut T,
    sm: &mut SecureMessaging,
    plan: &CaPlan,
    rng: &mut R,
) -> Result<SecureMessaging, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut ca = ChipAuthentication::new(plan, rng)?;
    let mut command = ca.start()?;
    loop {
        let response = sm.transmit(transport, &command)?;
        match ca.next(&response)? {
            CaStep::Send(next) => command = next,
            CaStep::Done(session) => return Ok(*session),
        }
    }
}
