//! PACE on the chip's side: [`CardPace`], the mirror of the reader's
//! [`super::Pace`], with one state type per command it waits for (the
//! virtual chip of `icao9303-sim` runs it; the round-trip tests run both
//! sides against each other).

use core::fmt;

use rand_core::TryCryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::steps::{
    auth_token, cam_iv, check_mapping, command_item, dynamic_answer, mse_set_at_data, password_key,
    prf, public_key_data,
};
use super::{
    DomainParameters, Mapping, NONCE_LEN, PaceErrorKind, PacePassword, PaceProtocol, PasswordKind,
    integrated_nonce_lens,
};
use crate::Error;
use crate::apdu::{CLA_CHAINING, CommandApdu, ResponseApdu, StatusWord};
use crate::sm::{self, CardSm, SessionKeys};
use crate::tlv::{self, Tag};

/// What the chip answers.
///
/// Exhaustive: a step either answers and waits or is done.
#[derive(Debug)]
pub enum CardPaceStep {
    /// Answer this and wait for the next command.
    Respond(ResponseApdu),
    /// Answer this: PACE succeeded, and secure messaging starts with this
    /// session.
    Done(ResponseApdu, Box<CardSm>),
}

/// What every state reads.
struct Context {
    protocol: PaceProtocol,
    parameters: DomainParameters,
    password: PasswordKind,
    k_pi: Zeroizing<Vec<u8>>,
    /// CAM: the chip's static private key `SK_IC`.
    chip_key: Option<Zeroizing<Vec<u8>>>,
}

/// The state and the answer each `on_*` method returns.
type Next = Result<(State, CardPaceStep), Error>;

/// Where the chip's PACE is: waiting for one command, or over.
enum State {
    SetAt(ExpectSetAt),
    NonceRequest(ExpectNonceRequest),
    Mapping(ExpectMapping),
    Key(ExpectKey),
    Token(ExpectToken),
    /// Succeeded or failed.
    Over,
}

/// Waits for MSE:Set AT naming the chip's protocol, password and group.
struct ExpectSetAt;

impl ExpectSetAt {
    fn on_set_at(self, ctx: &Context, command: &CommandApdu) -> Next {
        if command.ins != 0x22
            || command.p1 != 0xC1
            || command.p2 != 0xA4
            || command.cla & CLA_CHAINING != 0
        {
            return Err(PaceErrorKind::WrongState.into());
        }
        let expected = mse_set_at_data(&ctx.protocol, ctx.password, ctx.parameters);
        if command.data != expected {
            return Err(PaceErrorKind::WrongParameters.into());
        }
        let ok = ResponseApdu::new(Vec::new(), StatusWord::SUCCESS);
        Ok((
            State::NonceRequest(ExpectNonceRequest),
            CardPaceStep::Respond(ok),
        ))
    }
}

/// Waits for the request of the encrypted nonce (step 1).
struct ExpectNonceRequest;

impl ExpectNonceRequest {
    fn on_nonce_request<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Next {
        let cipher = ctx.protocol.cipher;
        command_item(command, 0, false)?;
        // 16 bytes: one AES block, two 3DES blocks; for Integrated
        // Mapping the length its pseudo-random function expects.
        let len = if ctx.protocol.mapping == Mapping::Integrated {
            integrated_nonce_lens(cipher).0
        } else {
            NONCE_LEN
        };
        let mut nonce = Zeroizing::new(vec![0u8; len]);
        crate::fill_random(rng, &mut nonce)?;
        let mut z = nonce.to_vec();
        let iv = vec![0u8; sm::block_len(cipher)];
        sm::encrypt_cbc(cipher, &ctx.k_pi, &iv, &mut z)?;
        Ok((
            State::Mapping(ExpectMapping { nonce }),
            CardPaceStep::Respond(dynamic_answer(0x80, &z)),
        ))
    }
}

/// Waits for the reader's mapping data (step 2): its mapping public key
/// (GM, CAM) or its nonce `t` (IM).
struct ExpectMapping {
    nonce: Zeroizing<Vec<u8>>,
}

impl ExpectMapping {
    fn on_mapping<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Next {
        let params = ctx.parameters;
        if ctx.protocol.mapping == Mapping::Integrated {
            let t = Zeroizing::new(command_item(command, 0x81, false)?);
            let r = prf(ctx.protocol.cipher, &self.nonce, &t, params.prime_bits())?;
            let generator = params.map_integrated(&r)?;
            let empty = ResponseApdu::new(tlv::encode(Tag::new(0x7C), &[]), StatusWord::SUCCESS);
            let next = ExpectKey {
                generator,
                sk_map: None,
            };
            return Ok((State::Key(next), CardPaceStep::Respond(empty)));
        }
        let pcd = command_item(command, 0x81, false)?;
        let sk = params.random_private_key(rng)?;
        let pk = params.public_key(&sk, None)?;
        let (_, generator) = params.map_generic(&self.nonce, &sk, &pcd)?;
        let sk_map = (ctx.protocol.mapping == Mapping::ChipAuthentication).then_some(sk);
        Ok((
            State::Key(ExpectKey { generator, sk_map }),
            CardPaceStep::Respond(dynamic_answer(0x82, &pk)),
        ))
    }
}

/// Waits for the reader's ephemeral public key (step 3).
struct ExpectKey {
    generator: Vec<u8>,
    /// CAM: the chip's mapping private key.
    sk_map: Option<Zeroizing<Vec<u8>>>,
}

impl ExpectKey {
    fn on_ephemeral_key<R: TryCryptoRng + ?Sized>(
        self,
        ctx: &Context,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Next {
        let params = ctx.parameters;
        let pk_pcd = command_item(command, 0x83, false)?;
        params.check_point(&pk_pcd)?;
        let sk = params.random_private_key(rng)?;
        let pk_picc = params.public_key(&sk, Some(&self.generator))?;
        if bool::from(pk_picc.as_slice().ct_eq(&pk_pcd)) {
            return Err(PaceErrorKind::IdenticalKeys.into());
        }
        let shared_point = Zeroizing::new(params.public_key(&sk, Some(&pk_pcd))?);
        let secret = Zeroizing::new(params.x_coordinate(&shared_point)?);
        let keys = SessionKeys::derive(ctx.protocol.cipher, &secret);
        let answer = dynamic_answer(0x84, &pk_picc);
        let next = ExpectToken {
            keys,
            pk_pcd,
            pk_picc,
            sk_map: self.sk_map,
        };
        Ok((State::Token(next), CardPaceStep::Respond(answer)))
    }
}

/// Waits for the reader's authentication token (step 4, the last command
/// of the chain).
struct ExpectToken {
    keys: SessionKeys,
    pk_pcd: Vec<u8>,
    pk_picc: Vec<u8>,
    sk_map: Option<Zeroizing<Vec<u8>>>,
}

impl ExpectToken {
    fn on_token(self, ctx: &Context, command: &CommandApdu) -> Next {
        let cipher = ctx.protocol.cipher;
        let token = command_item(command, 0x85, true)?;
        let expected = auth_token(
            cipher,
            self.keys.mac(),
            &public_key_data(&ctx.protocol, &self.pk_picc),
        )?;
        if !bool::from(expected.as_slice().ct_eq(&token)) {
            return Err(PaceErrorKind::BadToken.into());
        }
        let t_picc = auth_token(
            cipher,
            self.keys.mac(),
            &public_key_data(&ctx.protocol, &self.pk_pcd),
        )?;
        let mut inner = Vec::new();
        tlv::write(&mut inner, Tag::new(0x86), &t_picc);
        if let Some(sk_map) = &self.sk_map {
            let a_ic = encrypt_cam_data(ctx, &self.keys, sk_map)?;
            tlv::write(&mut inner, Tag::new(0x8A), &a_ic);
        }
        let answer = ResponseApdu::new(tlv::encode(Tag::new(0x7C), &inner), StatusWord::SUCCESS);
        let ssc = vec![0u8; sm::block_len(cipher)];
        let card = CardSm::new(self.keys, &ssc)?;
        Ok((State::Over, CardPaceStep::Done(answer, Box::new(card))))
    }
}

/// CAM: `CA_IC = SK_IC^-1 * SK_Map,IC mod n`, sent as `A_IC = E(KSenc,
/// CA_IC)` with IV = `E(KSenc, -1)`.
fn encrypt_cam_data(ctx: &Context, keys: &SessionKeys, sk_map: &[u8]) -> Result<Vec<u8>, Error> {
    let cipher = ctx.protocol.cipher;
    let sk_ic = ctx
        .chip_key
        .as_ref()
        .ok_or(PaceErrorKind::ChipAuthentication)?;
    let ca_ic = Zeroizing::new(ctx.parameters.cam_chip_data(sk_ic, sk_map)?);
    let mut a_ic = sm::pad(&ca_ic, sm::block_len(cipher));
    let iv = cam_iv(cipher, keys.enc())?;
    sm::encrypt_cbc(cipher, keys.enc(), &iv, &mut a_ic)?;
    Ok(a_ic)
}

/// The chip's side of PACE (every mapping; CAM needs
/// [`CardPace::with_chip_key`]), for the virtual chip
/// and tests. Its random values (nonce, private keys) come from the
/// caller's generator. Any error ends the protocol;
/// [`PaceErrorKind::card_status`] says what to answer.
pub struct CardPace {
    ctx: Context,
    state: State,
}

impl fmt::Debug for CardPace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardPace")
            .field("protocol", &self.ctx.protocol)
            .field("parameters", &self.ctx.parameters)
            .field("password", &self.ctx.password)
            .field("secrets", &"<redacted>")
            .finish()
    }
}

impl CardPace {
    /// The chip's PACE with its protocol, domain parameters and password.
    pub fn new(
        protocol: PaceProtocol,
        parameters: DomainParameters,
        password: &PacePassword,
    ) -> Result<CardPace, Error> {
        check_mapping(&protocol)?;
        if protocol.agreement != parameters.agreement() {
            return Err(PaceErrorKind::WrongParameters.into());
        }
        Ok(CardPace {
            ctx: Context {
                protocol,
                parameters,
                password: password.kind(),
                k_pi: password_key(password, protocol.cipher),
                chip_key: None,
            },
            state: State::SetAt(ExpectSetAt),
        })
    }

    /// The chip's static Chip Authentication private key `SK_IC`, which
    /// Chip Authentication Mapping needs (and the other mappings ignore).
    #[must_use]
    pub fn with_chip_key(mut self, sk_ic: &[u8]) -> CardPace {
        self.ctx.chip_key = Some(Zeroizing::new(sk_ic.to_vec()));
        self
    }

    /// Handles one command of the protocol (MSE:Set AT, then the four
    /// GENERAL AUTHENTICATE).
    pub fn process<R: TryCryptoRng + ?Sized>(
        &mut self,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Result<CardPaceStep, Error> {
        let ctx = &self.ctx;
        let (next, step) = match core::mem::replace(&mut self.state, State::Over) {
            State::SetAt(s) => s.on_set_at(ctx, command)?,
            State::NonceRequest(s) => s.on_nonce_request(ctx, command, rng)?,
            State::Mapping(s) => s.on_mapping(ctx, command, rng)?,
            State::Key(s) => s.on_ephemeral_key(ctx, command, rng)?,
            State::Token(s) => s.on_token(ctx, command)?,
            State::Over => return Err(PaceErrorKind::WrongState.into()),
        };
        self.state = next;
        Ok(step)
    }
}
