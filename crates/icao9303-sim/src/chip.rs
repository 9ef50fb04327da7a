//! The virtual chip: a card-side state machine behind [`Transport`].

use core::fmt;

use icao9303::apdu::{AID_LDS1, CommandApdu, ResponseApdu, StatusWord};
use icao9303::bac::{CardBac, K_LEN, RND_LEN};
use icao9303::ca::CardCa;
use icao9303::lds::FileKind;
use icao9303::pace::{CardPace, CardPaceStep, Mapping, PacePassword, PaceProtocol};
use icao9303::sm::CardSm;
use icao9303::tlv::{self, Tag, Tlv};
use icao9303::transport::{LinkInfo, Transport, TransportError};
use rand_core::Rng;
use zeroize::Zeroizing;

use crate::SimRng;
use crate::personalise::ChipData;

/// What the chip does with a READ BINARY asking for more than it sends in
/// one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Oversize {
    /// Answers `6700` (wrong length), as many chips do.
    WrongLength,
    /// Sends as much as fits, with `9000`.
    Truncate,
}

/// The chip's limits and behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChipConfig {
    /// Whether the chip takes extended-length APDUs.
    pub extended_length: bool,
    /// The longest response APDU the chip sends (data, secure messaging
    /// objects and status word). At most 258 without extended length.
    pub max_response_len: usize,
    /// The longest command APDU the chip takes.
    pub max_command_len: usize,
    /// What the transport reports to the reader; `None`: the truth.
    pub advertised: Option<LinkInfo>,
    /// What a too-long READ BINARY gets.
    pub oversize: Oversize,
    /// Whether READ BINARY with a short file identifier works.
    pub sfi: bool,
}

/// Builders: the struct is `#[non_exhaustive]` (a field may be added in a
/// minor release), so other crates start from [`ChipConfig::SHORT`], [`ChipConfig::extended`] or `ChipConfig::default()` and set
/// what they need, e.g. `ChipConfig::SHORT.with_...(...)`; or assign the
/// public fields of a value they hold.
impl ChipConfig {
    /// Sets [`ChipConfig::extended_length`].
    #[must_use]
    pub fn with_extended_length(mut self, extended_length: bool) -> ChipConfig {
        self.extended_length = extended_length;
        self
    }

    /// Sets [`ChipConfig::max_response_len`].
    #[must_use]
    pub fn with_max_response_len(mut self, max_response_len: usize) -> ChipConfig {
        self.max_response_len = max_response_len;
        self
    }

    /// Sets [`ChipConfig::max_command_len`].
    #[must_use]
    pub fn with_max_command_len(mut self, max_command_len: usize) -> ChipConfig {
        self.max_command_len = max_command_len;
        self
    }

    /// Sets [`ChipConfig::advertised`].
    #[must_use]
    pub fn with_advertised(mut self, advertised: Option<LinkInfo>) -> ChipConfig {
        self.advertised = advertised;
        self
    }

    /// Sets [`ChipConfig::oversize`].
    #[must_use]
    pub fn with_oversize(mut self, oversize: Oversize) -> ChipConfig {
        self.oversize = oversize;
        self
    }

    /// Sets [`ChipConfig::sfi`].
    #[must_use]
    pub fn with_sfi(mut self, sfi: bool) -> ChipConfig {
        self.sfi = sfi;
        self
    }
}

impl ChipConfig {
    /// A chip of short APDUs only (responses of up to 256 + 2 bytes).
    pub const SHORT: ChipConfig = ChipConfig {
        extended_length: false,
        max_response_len: 258,
        max_command_len: 261,
        advertised: None,
        oversize: Oversize::WrongLength,
        sfi: true,
    };

    /// A chip of extended-length APDUs with responses of up to
    /// `max_response_len` bytes.
    pub const fn extended(max_response_len: usize) -> ChipConfig {
        ChipConfig {
            extended_length: true,
            max_response_len,
            max_command_len: 65_544,
            advertised: None,
            oversize: Oversize::WrongLength,
            sfi: true,
        }
    }

    /// The link the chip really supports.
    pub fn link(&self) -> LinkInfo {
        LinkInfo {
            max_command_len: self.max_command_len,
            max_response_len: self.max_response_len,
            extended_length: self.extended_length,
        }
    }
}

impl Default for ChipConfig {
    fn default() -> ChipConfig {
        ChipConfig::extended(65_538)
    }
}

/// APDU and byte counts of the chip's side of the link.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChipStats {
    /// Command APDUs received.
    pub apdus: u64,
    /// Bytes received (commands).
    pub bytes_to_chip: u64,
    /// Bytes sent (responses).
    pub bytes_from_chip: u64,
}

/// How the current session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// Nothing yet.
    None,
    /// Basic Access Control.
    Bac,
    /// PACE.
    Pace,
}

enum Pending {
    None,
    Pace(Box<CardPace>),
}

/// A virtual eMRTD chip. Implements [`Transport`], so a reader talks to it
/// in process. Secrets never appear in `Debug`.
pub struct VirtualChip {
    data: ChipData,
    config: ChipConfig,
    rng: SimRng,
    app_selected: bool,
    current: Option<u16>,
    bac: CardBac,
    /// Chip Authentication, when DG14 offers it.
    ca: Option<CardCa>,
    sm: Option<CardSm>,
    access: Access,
    chip_authenticated: bool,
    pending: Pending,
    pending_switch: Option<CardSm>,
    stats: ChipStats,
    tamper: Option<(u64, usize, u8)>,
    tampered: bool,
}

impl fmt::Debug for VirtualChip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VirtualChip")
            .field("config", &self.config)
            .field("access", &self.access)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

const SW_OK: StatusWord = StatusWord::SUCCESS;

fn sw(s: StatusWord) -> ResponseApdu {
    ResponseApdu::new(Vec::new(), s)
}

impl VirtualChip {
    /// A chip holding `data`, with limits `config`, drawing its random
    /// numbers from `rng`.
    pub fn new(data: ChipData, config: ChipConfig, rng: SimRng) -> VirtualChip {
        let bac = CardBac::new(&data.access_key);
        let ca = card_ca(&data);
        VirtualChip {
            data,
            config,
            rng,
            app_selected: false,
            current: None,
            bac,
            ca,
            sm: None,
            access: Access::None,
            chip_authenticated: false,
            pending: Pending::None,
            pending_switch: None,
            stats: ChipStats::default(),
            tamper: None,
            tampered: false,
        }
    }

    /// The counts so far.
    pub fn stats(&self) -> ChipStats {
        self.stats
    }

    /// Resets the counts.
    pub fn reset_stats(&mut self) {
        self.stats = ChipStats::default();
    }

    /// How the current session was opened.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Whether Chip Authentication has switched the session keys.
    pub fn chip_authenticated(&self) -> bool {
        self.chip_authenticated
    }

    /// The personalised data.
    pub fn data(&self) -> &ChipData {
        &self.data
    }

    /// The limits.
    pub fn config(&self) -> &ChipConfig {
        &self.config
    }

    /// Flips bit 0 of byte `index` of the response to the `nth` APDU from
    /// now (0: the next one), to test that a reader refuses it.
    pub fn tamper_response(&mut self, nth: u64, index: usize) {
        self.tamper_response_bit(nth, index, 0);
    }

    /// Flips bit `bit` (0 to 7) of byte `index` of the response to the
    /// `nth` APDU from now.
    pub fn tamper_response_bit(&mut self, nth: u64, index: usize, bit: u8) {
        self.tamper = Some((
            self.stats.apdus.saturating_add(nth).saturating_add(1),
            index,
            bit & 7,
        ));
    }

    /// Whether a requested flip has happened.
    pub fn tampered(&self) -> bool {
        self.tampered
    }

    /// Back to the state after reset: nothing selected, no session.
    pub fn reset(&mut self) {
        self.app_selected = false;
        self.current = None;
        self.bac = CardBac::new(&self.data.access_key);
        self.close_session();
    }

    fn close_session(&mut self) {
        self.sm = None;
        self.ca = card_ca(&self.data);
        self.access = Access::None;
        self.chip_authenticated = false;
        self.pending = Pending::None;
    }

    /// One command in, one response out.
    pub fn process(&mut self, apdu: &[u8]) -> Vec<u8> {
        self.stats.apdus = self.stats.apdus.saturating_add(1);
        self.stats.bytes_to_chip = self.stats.bytes_to_chip.saturating_add(apdu.len() as u64);
        let mut out = self.respond(apdu);
        if let Some((at, index, bit)) = self.tamper
            && at == self.stats.apdus
        {
            self.tamper = None;
            if let Some(b) = out.get_mut(index) {
                *b ^= 1 << bit;
                self.tampered = true;
            }
        }
        self.stats.bytes_from_chip = self.stats.bytes_from_chip.saturating_add(out.len() as u64);
        out
    }

    fn respond(&mut self, apdu: &[u8]) -> Vec<u8> {
        let extended = apdu.len() > 5 && apdu.get(4) == Some(&0);
        if apdu.len() > self.config.max_command_len || (extended && !self.config.extended_length) {
            return sw(StatusWord::WRONG_LENGTH).to_bytes();
        }
        let protected = apdu.first().is_some_and(|cla| cla & 0x0C == 0x0C);
        if let Some(card) = self.sm.as_mut() {
            if !protected {
                // A plain command ends secure messaging and its rights.
                self.close_session();
                return match CommandApdu::parse(apdu) {
                    Ok(cmd) => self.execute(&cmd).to_bytes(),
                    Err(_) => sw(StatusWord::WRONG_LENGTH).to_bytes(),
                };
            }
            let cmd = match card.unwrap_command(apdu) {
                Ok(cmd) => cmd,
                Err(e) => {
                    let status = match e {
                        icao9303::Error::SecureMessaging(k) => k.card_status(),
                        _ => StatusWord::SM_OBJECTS_INCORRECT,
                    };
                    self.close_session();
                    return sw(status).to_bytes();
                }
            };
            let mut rsp = self.execute(&cmd);
            // The protected answer must fit the chip's buffer.
            if let Some(card) = self.sm.as_mut() {
                let limit = self.config.max_response_len;
                let fits = protected_len(rsp.data.len(), sm_block(card)) <= limit;
                if !fits {
                    rsp = sw(StatusWord::WRONG_LENGTH);
                }
            }
            let switch = self.pending_switch.take();
            let Some(card) = self.sm.as_mut() else {
                return rsp.to_bytes();
            };
            let out = match card.wrap_response(&rsp) {
                Ok(bytes) => bytes,
                Err(_) => {
                    self.close_session();
                    return sw(StatusWord::NO_PRECISE_DIAGNOSIS).to_bytes();
                }
            };
            if let Some(next) = switch {
                self.sm = Some(next);
                self.chip_authenticated = true;
            }
            return out;
        }
        if protected {
            return sw(StatusWord::SM_OBJECTS_MISSING).to_bytes();
        }
        match CommandApdu::parse(apdu) {
            Ok(cmd) => {
                let rsp = self.execute(&cmd);
                if rsp.data.len().saturating_add(2) > self.config.max_response_len {
                    return sw(StatusWord::WRONG_LENGTH).to_bytes();
                }
                rsp.to_bytes()
            }
            Err(_) => sw(StatusWord::WRONG_LENGTH).to_bytes(),
        }
    }

    fn execute(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if cmd.cla & !0x10 != 0 {
            return sw(StatusWord::CLA_NOT_SUPPORTED);
        }
        match cmd.ins {
            0xA4 => self.select(cmd),
            0xB0 | 0xB1 => self.read_binary(cmd),
            0x84 => self.get_challenge(cmd),
            0x82 => self.mutual_authenticate(cmd),
            0x22 => self.manage_security_environment(cmd),
            0x86 => self.general_authenticate(cmd),
            0x88 => self.internal_authenticate(cmd),
            _ => sw(StatusWord::INS_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        match (cmd.p1, cmd.data.as_slice()) {
            (0x04, aid) => {
                if aid == AID_LDS1 {
                    self.app_selected = true;
                    self.current = None;
                    sw(SW_OK)
                } else {
                    sw(StatusWord::FILE_NOT_FOUND)
                }
            }
            (0x00, [] | [0x3F, 0x00]) => {
                self.app_selected = false;
                self.current = None;
                sw(SW_OK)
            }
            (0x00 | 0x02, [hi, lo]) => {
                let fid = u16::from_be_bytes([*hi, *lo]);
                if self.file(fid).is_some() {
                    self.current = Some(fid);
                    sw(SW_OK)
                } else {
                    sw(StatusWord::FILE_NOT_FOUND)
                }
            }
            _ => sw(StatusWord::INCORRECT_P1_P2),
        }
    }

    /// The file `fid` as the current DF sees it: EF.CardAccess from
    /// anywhere, EF.CardSecurity in the master file (its `011D` is
    /// EF.SOD's in the LDS1 application), the rest in the application.
    fn file(&self, fid: u16) -> Option<&[u8]> {
        if fid == FileKind::CardAccess.fid() {
            return self.data.card_access.as_deref();
        }
        if self.app_selected {
            self.data.files.get(&fid).map(Vec::as_slice)
        } else if fid == FileKind::CardSecurity.fid() {
            self.data.card_security.as_deref()
        } else {
            None
        }
    }

    /// EF.CardAccess always; EF.CardSecurity after PACE only; the rest
    /// under secure messaging.
    fn readable(&self, fid: u16) -> bool {
        if fid == FileKind::CardAccess.fid() {
            return true;
        }
        if !self.app_selected && fid == FileKind::CardSecurity.fid() {
            return self.sm.is_some() && self.access == Access::Pace;
        }
        self.sm.is_some()
    }

    fn read_binary(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let odd = cmd.ins == 0xB1;
        let (fid, offset) = if odd {
            let fid = match u16::from_be_bytes([cmd.p1, cmd.p2]) {
                0 => self.current,
                f => Some(f),
            };
            let offset = match Tlv::parse(&cmd.data) {
                Ok(t)
                    if t.tag() == Tag::new(0x54)
                        && !t.value().is_empty()
                        && t.value().len() <= 3 =>
                {
                    t.value()
                        .iter()
                        .fold(0usize, |a, b| (a << 8) | usize::from(*b))
                }
                _ => return sw(StatusWord::WRONG_DATA),
            };
            (fid, offset)
        } else if cmd.p1 & 0x80 != 0 {
            if !self.config.sfi || cmd.p1 & 0x60 != 0 {
                return sw(StatusWord::INCORRECT_P1_P2);
            }
            let sfi = cmd.p1 & 0x1F;
            let fid = if sfi == FileKind::CardAccess.sfi() {
                Some(FileKind::CardAccess.fid())
            } else {
                Some(0x0100 | u16::from(sfi))
            };
            (fid, usize::from(cmd.p2))
        } else {
            (
                self.current,
                usize::from(u16::from_be_bytes([cmd.p1, cmd.p2])),
            )
        };
        let Some(fid) = fid else {
            return sw(StatusWord::COMMAND_NOT_ALLOWED);
        };
        if self.file(fid).is_none() {
            return sw(StatusWord::FILE_NOT_FOUND);
        }
        if !self.readable(fid) {
            return sw(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        self.current = Some(fid);
        let Some(ne) = cmd.ne else {
            return sw(StatusWord::WRONG_LENGTH);
        };
        let ne = ne as usize;
        // The most plain data one response carries.
        let room = self.max_plain_data(odd);
        let file = self.file(fid).unwrap_or_default();
        let Some(rest) = file.get(offset..) else {
            return sw(StatusWord::WRONG_P1_P2);
        };
        let mut n = ne.min(rest.len());
        if n > room {
            match self.config.oversize {
                Oversize::WrongLength => return sw(StatusWord::WRONG_LENGTH),
                Oversize::Truncate => n = room,
            }
        }
        let chunk = rest.get(..n).unwrap_or_default();
        let status = if n < ne && n == rest.len() {
            StatusWord::END_OF_FILE
        } else {
            SW_OK
        };
        if odd {
            ResponseApdu::new(tlv::encode(Tag::new(0x53), chunk), status)
        } else {
            ResponseApdu::new(chunk.to_vec(), status)
        }
    }

    /// The most file bytes one READ BINARY answer carries under the
    /// current protection and the chip's response limit.
    fn max_plain_data(&self, odd: bool) -> usize {
        let limit = self.config.max_response_len;
        let mut best = 0usize;
        let block = self.sm.as_ref().map(sm_block);
        // Search downwards from the limit: lengths are small.
        let mut d = limit;
        while d > 0 {
            let payload = if odd { do53_len(d) } else { d };
            let total = match block {
                Some(b) => protected_len(payload, b),
                None => payload.saturating_add(2),
            };
            if total <= limit {
                best = d;
                break;
            }
            d = d.saturating_sub(1);
        }
        best
    }

    fn get_challenge(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if cmd.ne != Some(8) {
            return sw(StatusWord::WRONG_LENGTH);
        }
        let mut rnd = [0u8; RND_LEN];
        self.rng.fill_bytes(&mut rnd);
        if self.sm.is_some() {
            // For Active Authentication the reader draws its own challenge;
            // GET CHALLENGE under SM just answers random bytes.
            return ResponseApdu::new(rnd.to_vec(), SW_OK);
        }
        self.bac.get_challenge(&rnd)
    }

    fn mutual_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if self.sm.is_some() {
            return sw(StatusWord::CONDITIONS_NOT_SATISFIED);
        }
        let mut k_ic = Zeroizing::new([0u8; K_LEN]);
        self.rng.fill_bytes(k_ic.as_mut_slice());
        match self.bac.mutual_authenticate(cmd, &k_ic) {
            Ok((rsp, card)) => {
                self.sm = Some(card);
                self.access = Access::Bac;
                rsp
            }
            Err(icao9303::Error::Bac(k)) => sw(k.card_status()),
            Err(_) => sw(StatusWord::VERIFICATION_FAILED),
        }
    }

    fn manage_security_environment(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        match (cmd.p1, cmd.p2) {
            (0xC1, 0xA4) if self.sm.is_none() => self.start_pace(cmd),
            (0x41, 0xA6) if self.sm.is_some() => self.ca_set_kat(cmd),
            (0x41, 0xA4) if self.sm.is_some() => self.ca_set_at(cmd),
            _ => sw(StatusWord::INCORRECT_P1_P2),
        }
    }

    fn start_pace(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let mut oid = None;
        let mut reference = None;
        let mut param = None;
        for item in tlv::Reader::new(&cmd.data) {
            let Ok(item) = item else {
                return sw(StatusWord::WRONG_DATA);
            };
            match item.tag().raw() {
                0x80 => oid = Some(item.value().to_vec()),
                0x83 => reference = item.value().first().copied(),
                0x84 => param = item.value().first().copied(),
                _ => {}
            }
        }
        let (Some(oid), Some(reference)) = (oid, reference) else {
            return sw(StatusWord::WRONG_DATA);
        };
        let Ok(protocol) = PaceProtocol::from_oid(&oid) else {
            return sw(StatusWord::REFERENCE_DATA_NOT_USABLE);
        };
        let offer = self
            .data
            .pace
            .iter()
            .find(|o| o.protocol == protocol && param.is_none_or(|p| p == o.parameters.id()));
        let Some(offer) = offer.copied() else {
            return sw(StatusWord::REFERENCE_DATA_NOT_USABLE);
        };
        let password = match reference {
            1 => PacePassword::mrz(&self.data.access_key),
            2 => match &self.data.can {
                Some(can) => PacePassword::can(can),
                None => return sw(StatusWord::REFERENCED_DATA_NOT_FOUND),
            },
            _ => return sw(StatusWord::REFERENCED_DATA_NOT_FOUND),
        };
        let mut pace = match CardPace::new(offer.protocol, offer.parameters, &password) {
            Ok(p) => p,
            Err(_) => return sw(StatusWord::REFERENCE_DATA_NOT_USABLE),
        };
        if offer.protocol.mapping == Mapping::ChipAuthentication {
            // CAM: the static key of the curve, whose public half
            // EF.CardSecurity lists.
            let key = self
                .data
                .cam_keys
                .iter()
                .find(|k| k.parameters == offer.parameters);
            match key {
                Some(k) => pace = pace.with_chip_key(&k.private),
                None => return sw(StatusWord::REFERENCE_DATA_NOT_USABLE),
            }
        }
        match pace.process(cmd, &mut self.rng) {
            Ok(CardPaceStep::Respond(rsp)) => {
                self.pending = Pending::Pace(Box::new(pace));
                rsp
            }
            Ok(CardPaceStep::Done(rsp, _)) => rsp,
            Err(icao9303::Error::Pace(k)) => sw(k.card_status()),
            Err(_) => sw(StatusWord::WRONG_DATA),
        }
    }

    fn general_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        match core::mem::replace(&mut self.pending, Pending::None) {
            Pending::Pace(mut pace) => match pace.process(cmd, &mut self.rng) {
                Ok(CardPaceStep::Respond(rsp)) => {
                    self.pending = Pending::Pace(pace);
                    rsp
                }
                Ok(CardPaceStep::Done(rsp, card)) => {
                    self.sm = Some(*card);
                    self.access = Access::Pace;
                    rsp
                }
                Err(icao9303::Error::Pace(k)) => sw(k.card_status()),
                Err(_) => sw(StatusWord::WRONG_DATA),
            },
            Pending::None => {
                let Some(ca) = self.ca.as_mut() else {
                    return sw(StatusWord::CONDITIONS_NOT_SATISFIED);
                };
                match ca.on_general_authenticate(cmd) {
                    Ok((rsp, next)) => {
                        self.pending_switch = Some(next);
                        rsp
                    }
                    Err(e) => sw(ca_status(&e)),
                }
            }
        }
    }

    /// Chip Authentication with 3DES: MSE:Set KAT `91 PK.PCD [84 keyId]`.
    /// The new session is installed after this answer is protected with
    /// the old one.
    fn ca_set_kat(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let Some(ca) = self.ca.as_mut() else {
            return sw(StatusWord::REFERENCE_DATA_NOT_USABLE);
        };
        match ca.on_set_kat(cmd) {
            Ok(next) => {
                self.pending_switch = Some(next);
                sw(SW_OK)
            }
            Err(e) => sw(ca_status(&e)),
        }
    }

    /// Chip Authentication with AES: MSE:Set AT `80 OID [84 keyId]`.
    fn ca_set_at(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let Some(ca) = self.ca.as_mut() else {
            return sw(StatusWord::REFERENCE_DATA_NOT_USABLE);
        };
        match ca.on_set_at(cmd) {
            Ok(()) => sw(SW_OK),
            Err(e) => sw(ca_status(&e)),
        }
    }

    /// Active Authentication: INTERNAL AUTHENTICATE with an 8-byte challenge.
    fn internal_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if self.sm.is_none() {
            return sw(StatusWord::SECURITY_STATUS_NOT_SATISFIED);
        }
        let Some(key) = &self.data.active_auth else {
            return sw(StatusWord::INS_NOT_SUPPORTED);
        };
        if cmd.data.len() != 8 {
            return sw(StatusWord::WRONG_DATA);
        }
        match key.sign(&cmd.data, &mut self.rng) {
            Ok(s) => ResponseApdu::new(s, SW_OK),
            Err(_) => sw(StatusWord::NO_PRECISE_DIAGNOSIS),
        }
    }
}

/// The chip's Chip Authentication, from its personalised key.
fn card_ca(data: &ChipData) -> Option<CardCa> {
    data.chip_auth
        .as_ref()
        .map(|k| CardCa::new(k.parameters, k.cipher, &k.private))
}

/// What the chip answers a Chip Authentication command refused for
/// `error`: the reason's status word; a key that is not a point or not
/// in the group is wrong data; a session that cannot start, no precise
/// diagnosis.
fn ca_status(error: &icao9303::Error) -> StatusWord {
    match error {
        icao9303::Error::ChipAuthentication(k) => k.card_status(),
        icao9303::Error::SecureMessaging(_) => StatusWord::NO_PRECISE_DIAGNOSIS,
        _ => StatusWord::WRONG_DATA,
    }
}

fn sm_block(card: &CardSm) -> usize {
    match card.send_sequence_counter().len() {
        8 => 8,
        _ => 16,
    }
}

/// The length of a DO'53 holding `d` bytes.
fn do53_len(d: usize) -> usize {
    d.saturating_add(1).saturating_add(len_len(d))
}

/// The bytes of a BER length field for `n`.
fn len_len(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=255 => 2,
        256..=65_535 => 3,
        _ => 4,
    }
}

/// The length of a protected response carrying `d` plain bytes (data
/// objects and status word), for a cipher of block length `block`.
pub fn protected_len(d: usize, block: usize) -> usize {
    let mut total = 4 + 10 + 2; // DO'99, DO'8E, SW
    if d > 0 {
        let c = (d / block).saturating_add(1).saturating_mul(block);
        // DO'87: tag, length, indicator 01, cryptogram.
        total += 1 + len_len(c.saturating_add(1)) + 1 + c;
    }
    total
}

impl Transport for VirtualChip {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        Ok(self.process(apdu))
    }

    fn link_info(&self) -> LinkInfo {
        self.config.advertised.unwrap_or_else(|| self.config.link())
    }
}
