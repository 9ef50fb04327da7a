//! PACE on the reader's side: [`Pace`], a sans-IO state machine with one
//! state type per answer it waits for, and [`authenticate`], which drives
//! it over a [`Transport`].
//!
//! ```text
//! start ──MSE:Set AT──> ExpectSetAt ──GA 7C{}──> ExpectNonce
//!   GM/CAM: ──GA 81 PK_map──> ExpectMapping ──GA 83 PK──> ExpectKey
//!   IM:     ──GA 81 t──────> ExpectIntegratedMapping ──GA 83 PK──> ExpectKey
//! ExpectKey ──GA 85 T_PCD──> ExpectToken ──> PaceOutcome
//! ```

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::steps::{
    CamData, auth_token, cam_iv, check_mapping, decrypt_nonce, dynamic_data, general_authenticate,
    mse_set_at_data, password_key, prf, public_key_data, single,
};
use super::{
    DomainParameters, Mapping, PaceErrorKind, PacePassword, PaceProtocol, PasswordKind,
    integrated_nonce_lens,
};
use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu};
use crate::sm::{self, SecureMessaging, SessionKeys};
use crate::tlv::Tag;
use crate::transport::{self, Transport};

/// What to do next.
///
/// Exhaustive: a step either sends a command or is done.
#[derive(Debug)]
pub enum PaceStep {
    /// Send this command and pass the answer to [`Pace::next`].
    Send(CommandApdu),
    /// PACE succeeded.
    Done(Box<PaceOutcome>),
}

/// The result of PACE.
#[derive(Debug)]
pub struct PaceOutcome {
    /// The secure messaging session (send-sequence counter zero).
    pub sm: SecureMessaging,
    /// The chip's ephemeral public key (its compressed form is `ID_PICC`
    /// for Terminal Authentication).
    pub chip_ephemeral_public_key: Vec<u8>,
    /// The certification authority reference the chip named (tag 87), if any.
    pub car: Option<Vec<u8>>,
    /// The previous certification authority reference (tag 88), if any.
    pub car_previous: Option<Vec<u8>>,
    /// With Chip Authentication Mapping: what proves the chip genuine once
    /// its static public key is known (EF.CardSecurity).
    pub chip_authentication: Option<CamData>,
}

/// What every state reads: the protocol, the group and `K_pi`.
struct Context {
    protocol: PaceProtocol,
    parameters: DomainParameters,
    k_pi: Zeroizing<Vec<u8>>,
}

/// The state and the step it gives, as each `on_*` method returns them.
type Next = Result<(State, PaceStep), Error>;

/// Where the reader's PACE is: waiting for one answer, or not running.
enum State {
    /// [`Pace::start`] not called yet.
    Start,
    SetAt(ExpectSetAt),
    Nonce(ExpectNonce),
    Mapping(ExpectMapping),
    IntegratedMapping(ExpectIntegratedMapping),
    Key(ExpectKey),
    Token(ExpectToken),
    /// Succeeded or failed.
    Over,
}

/// Waits for the answer to MSE:Set AT.
struct ExpectSetAt;

impl ExpectSetAt {
    fn on_set_at(self, response: &ResponseApdu) -> Next {
        if !response.sw.is_success() {
            return Err(Error::StatusWord {
                command: "MSE:Set AT",
                sw: response.sw,
            });
        }
        let cmd = general_authenticate(None, false);
        Ok((State::Nonce(ExpectNonce), PaceStep::Send(cmd)))
    }
}

/// Waits for the encrypted nonce `z` (step 1).
struct ExpectNonce;

impl ExpectNonce {
    fn on_nonce<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Next {
        let (cipher, params) = (ctx.protocol.cipher, ctx.parameters);
        let z = single(response, 1, 0x80)?;
        let nonce = decrypt_nonce(cipher, &ctx.k_pi, &z)?;
        if ctx.protocol.mapping == Mapping::Integrated {
            // The reader's nonce t goes to the chip in the clear.
            let (_, t_len) = integrated_nonce_lens(cipher);
            let mut t = Zeroizing::new(vec![0u8; t_len]);
            crate::fill_random(rng, &mut t)?;
            let r = prf(cipher, &nonce, &t, params.prime_bits())?;
            let generator = params.map_integrated(&r)?;
            let cmd = general_authenticate(Some((0x81, &t)), false);
            let next = ExpectIntegratedMapping { generator };
            return Ok((State::IntegratedMapping(next), PaceStep::Send(cmd)));
        }
        let sk = params.random_private_key(rng)?;
        let pk = params.public_key(&sk, None)?;
        let cmd = general_authenticate(Some((0x81, &pk)), false);
        Ok((
            State::Mapping(ExpectMapping { nonce, sk }),
            PaceStep::Send(cmd),
        ))
    }
}

/// Generic and Chip Authentication Mapping: waits for the chip's mapping
/// public key (step 2).
struct ExpectMapping {
    nonce: Zeroizing<Vec<u8>>,
    sk: Zeroizing<Vec<u8>>,
}

impl ExpectMapping {
    fn on_mapping_key<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Next {
        let params = ctx.parameters;
        let picc = single(response, 2, 0x82)?;
        let (_, generator) = params.map_generic(&self.nonce, &self.sk, &picc)?;
        let sk = params.random_private_key(rng)?;
        let pk = params.public_key(&sk, Some(&generator))?;
        let cmd = general_authenticate(Some((0x83, &pk)), false);
        let cam = (ctx.protocol.mapping == Mapping::ChipAuthentication).then_some(picc);
        Ok((State::Key(ExpectKey { sk, pk, cam }), PaceStep::Send(cmd)))
    }
}

/// Integrated Mapping: waits for the chip's acknowledgement of the
/// reader's nonce `t` (step 2), the generator already mapped.
struct ExpectIntegratedMapping {
    generator: Vec<u8>,
}

impl ExpectIntegratedMapping {
    fn on_mapping_ack<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Next {
        // The chip answers with no mapping data (or an empty 82).
        let items = dynamic_data(response, 2, "GENERAL AUTHENTICATE")?;
        match items.as_slice() {
            [] => {}
            [(tag, value)] if *tag == Tag::new(0x82) && value.is_empty() => {}
            _ => return Err(PaceErrorKind::Malformed { step: 2 }.into()),
        }
        let params = ctx.parameters;
        let sk = params.random_private_key(rng)?;
        let pk = params.public_key(&sk, Some(&self.generator))?;
        let cmd = general_authenticate(Some((0x83, &pk)), false);
        Ok((
            State::Key(ExpectKey { sk, pk, cam: None }),
            PaceStep::Send(cmd),
        ))
    }
}

/// Waits for the chip's ephemeral public key (step 3).
struct ExpectKey {
    sk: Zeroizing<Vec<u8>>,
    pk: Vec<u8>,
    /// CAM: the chip's mapping public key.
    cam: Option<Vec<u8>>,
}

impl ExpectKey {
    fn on_ephemeral_key(self, ctx: &Context, response: &ResponseApdu) -> Next {
        let params = ctx.parameters;
        let picc = single(response, 3, 0x84)?;
        params.check_point(&picc)?;
        if bool::from(picc.as_slice().ct_eq(&self.pk)) {
            return Err(PaceErrorKind::IdenticalKeys.into());
        }
        let shared_point = Zeroizing::new(params.public_key(&self.sk, Some(&picc))?);
        let secret = Zeroizing::new(params.x_coordinate(&shared_point)?);
        let keys = SessionKeys::derive(ctx.protocol.cipher, &secret);
        let t_pcd = auth_token(
            ctx.protocol.cipher,
            keys.mac(),
            &public_key_data(&ctx.protocol, &picc),
        )?;
        let cmd = general_authenticate(Some((0x85, &t_pcd)), true);
        let next = ExpectToken {
            keys,
            pk_pcd: self.pk,
            pk_picc: picc,
            cam: self.cam,
        };
        Ok((State::Token(next), PaceStep::Send(cmd)))
    }
}

/// Waits for the chip's authentication token (step 4), and with CAM its
/// encrypted chip authentication data.
struct ExpectToken {
    keys: SessionKeys,
    pk_pcd: Vec<u8>,
    pk_picc: Vec<u8>,
    cam: Option<Vec<u8>>,
}

impl ExpectToken {
    fn on_token(self, ctx: &Context, response: &ResponseApdu) -> Next {
        let cipher = ctx.protocol.cipher;
        let items = dynamic_data(response, 4, "GENERAL AUTHENTICATE")?;
        let mut token = None;
        let mut car = None;
        let mut car_previous = None;
        let mut cam_data = None;
        for (tag, value) in items {
            match tag.raw() {
                0x86 if token.is_none() => token = Some(value),
                0x87 if car.is_none() => car = Some(value),
                0x88 if car_previous.is_none() => car_previous = Some(value),
                0x8A if cam_data.is_none() && self.cam.is_some() => cam_data = Some(value),
                _ => return Err(PaceErrorKind::Malformed { step: 4 }.into()),
            }
        }
        let token = token.ok_or(PaceErrorKind::Malformed { step: 4 })?;
        let expected = auth_token(
            cipher,
            self.keys.mac(),
            &public_key_data(&ctx.protocol, &self.pk_pcd),
        )?;
        if !bool::from(expected.as_slice().ct_eq(&token)) {
            return Err(PaceErrorKind::BadToken.into());
        }
        let chip_authentication = match self.cam {
            Some(mapping_public_key) => Some(decrypt_cam_data(
                cipher,
                &self.keys,
                cam_data,
                mapping_public_key,
            )?),
            None => None,
        };
        let ssc = vec![0u8; sm::block_len(cipher)];
        let outcome = PaceOutcome {
            sm: SecureMessaging::new(self.keys, &ssc)?,
            chip_ephemeral_public_key: self.pk_picc,
            car,
            car_previous,
            chip_authentication,
        };
        Ok((State::Over, PaceStep::Done(Box::new(outcome))))
    }
}

/// CAM: `A_IC` decrypts (IV = `E(KSenc, -1)`) to `CA_IC`, checked later
/// against the chip's static key.
fn decrypt_cam_data(
    cipher: crate::kdf::KeyKind,
    keys: &SessionKeys,
    a_ic: Option<Vec<u8>>,
    mapping_public_key: Vec<u8>,
) -> Result<CamData, Error> {
    let a_ic = a_ic.ok_or(PaceErrorKind::ChipAuthentication)?;
    let block = sm::block_len(cipher);
    if a_ic.is_empty() || !a_ic.len().is_multiple_of(block) {
        return Err(PaceErrorKind::ChipAuthentication.into());
    }
    let iv = cam_iv(cipher, keys.enc())?;
    let mut buf = a_ic;
    sm::decrypt_cbc(cipher, keys.enc(), &iv, &mut buf)?;
    let ca_ic = sm::unpad(&buf, block)
        .map_err(|_| PaceErrorKind::ChipAuthentication)?
        .to_vec();
    Ok(CamData {
        ca_ic,
        mapping_public_key,
    })
}

/// PACE on the reader's side, as a sans-IO state machine.
pub struct Pace {
    ctx: Context,
    password: PasswordKind,
    state: State,
}

impl fmt::Debug for Pace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pace")
            .field("protocol", &self.ctx.protocol)
            .field("parameters", &self.ctx.parameters)
            .field("password", &self.password)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl Pace {
    /// PACE with `protocol` (from EF.CardAccess), `parameters` and
    /// `password`. Refuses what is not implemented yet.
    pub fn new(
        protocol: PaceProtocol,
        parameters: DomainParameters,
        password: &PacePassword,
    ) -> Result<Pace, Error> {
        check_mapping(&protocol)?;
        if protocol.agreement != parameters.agreement() {
            return Err(PaceErrorKind::WrongParameters.into());
        }
        Ok(Pace {
            ctx: Context {
                protocol,
                parameters,
                k_pi: password_key(password, protocol.cipher),
            },
            password: password.kind(),
            state: State::Start,
        })
    }

    /// The first command: MSE:Set AT (`00 22 C1 A4`).
    pub fn start(&mut self) -> Result<CommandApdu, Error> {
        if !matches!(self.state, State::Start) {
            return Err(PaceErrorKind::WrongState.into());
        }
        self.state = State::SetAt(ExpectSetAt);
        Ok(CommandApdu::mse_set_at(
            0xC1,
            mse_set_at_data(&self.ctx.protocol, self.password, self.ctx.parameters),
        ))
    }

    /// Takes the card's answer to the last command and gives the next step.
    /// Private keys are drawn from `rng`. Any error ends the protocol.
    pub fn next<R: TryCryptoRng + ?Sized>(
        &mut self,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<PaceStep, Error> {
        if matches!(self.state, State::Start) {
            return Err(PaceErrorKind::WrongState.into());
        }
        let ctx = &self.ctx;
        let (next, step) = match core::mem::replace(&mut self.state, State::Over) {
            State::SetAt(s) => s.on_set_at(response)?,
            State::Nonce(s) => s.on_nonce(ctx, response, rng)?,
            State::Mapping(s) => s.on_mapping_key(ctx, response, rng)?,
            State::IntegratedMapping(s) => s.on_mapping_ack(ctx, response, rng)?,
            State::Key(s) => s.on_ephemeral_key(ctx, response)?,
            State::Token(s) => s.on_token(ctx, response)?,
            State::Start | State::Over => return Err(PaceErrorKind::WrongState.into()),
        };
        self.state = next;
        Ok(step)
    }
}

/// Runs PACE over `transport` with private keys drawn from `rng`.
pub fn authenticate<T, R>(
    transport: &mut T,
    protocol: PaceProtocol,
    parameters: DomainParameters,
    password: &PacePassword,
    rng: &mut R,
) -> Result<PaceOutcome, Error>
where
    T: Transport + ?Sized,
    R: TryCryptoRng + ?Sized,
{
    let mut pace = Pace::new(protocol, parameters, password)?;
    let mut command = pace.start()?;
    loop {
        let response = transport::exchange(transport, &command)?;
        match pace.next(&response, rng)? {
            PaceStep::Send(next) => command = next,
            PaceStep::Done(outcome) => return Ok(*outcome),
        }
    }
}
