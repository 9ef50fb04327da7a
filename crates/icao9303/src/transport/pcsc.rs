//! A [`Transport`] over PC/SC (pcsc-lite on Linux and macOS, WinSCard on
//! Windows), behind the feature `pcsc`.
//!
//! - [`list_readers`]: the readers the PC/SC service knows, and whether a
//!   card is in each.
//! - [`choose_reader`]: a reader by name, exact or a unique
//!   (case-insensitive) part of it; with no name, the only reader, or the
//!   only one holding a card.
//! - [`PcscTransport::connect`]: waits for a card (up to
//!   [`PcscOptions::wait`]), connects with T=1 (which is also how PC/SC
//!   presents a contactless card, T=CL) or T=0, and decides whether
//!   extended-length APDUs pass (see below).
//!
//! # Extended length
//!
//! A probe (sending an extended READ BINARY and watching it fail) is not
//! used: a reader that cannot carry the APDU may fail in ways a session
//! does not survive. The decision comes from what the card and the reader
//! say, most specific first:
//!
//! 1. the caller's choice ([`ExtendedLength::On`] / [`ExtendedLength::Off`]);
//! 2. T=0: short only (extended APDUs would need ENVELOPE);
//! 3. the card: EF.ATR/INFO's extended length information (DO `7F66`,
//!    ISO/IEC 7816-4 §12.7.1), which also gives the longest command and
//!    response; else the card capabilities in the ATR's historical bytes
//!    (compact-TLV `73`, third byte, bit `40`: "extended Lc and Le
//!    fields"). A contactless card's historical bytes (or ATQB data) reach
//!    PC/SC in the ATR the reader builds (PC/SC part 3). A card that says
//!    nothing gets short APDUs;
//! 4. the reader: when it answers `SCARD_ATTR_MAXINPUT` (the CCID driver
//!    does) with 261 bytes or less, it carries short APDUs only (the
//!    ACR122U is such a reader); a larger value caps the command length.
//!
//! EF.ATR/INFO is read (READ BINARY with short file identifier 01, in the
//! master file where the chip starts, before any access control) only when
//! [`PcscOptions::read_atr_info`] is set; an eMRTD that refuses it is not
//! an error.
//!
//! # A card lost mid-session
//!
//! A card removed (or reset by another application) during a session
//! fails the exchange with [`TransportErrorKind::CardRemoved`]; every later
//! exchange on the same transport fails the same way, so a reader above
//! never reports part of a document as the whole of it. Connect again (a
//! new session) to start over.

use std::ffi::CString;
use std::time::{Duration, Instant};

use pcsc::{Attribute, Card, Context, Protocol, Protocols, ReaderState, Scope, ShareMode, State};

use super::{LinkInfo, Transport, TransportError, TransportErrorKind};
use crate::Error;

/// Whether to use extended-length APDUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExtendedLength {
    /// From what the card and the reader say (see the module's docs).
    #[default]
    Auto,
    /// Always (the caller knows the card and the reader take them).
    On,
    /// Never.
    Off,
}

/// How to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcscOptions {
    /// How long to wait for a card in the reader.
    pub wait: Duration,
    /// Whether to use extended-length APDUs.
    pub extended_length: ExtendedLength,
    /// Read EF.ATR/INFO for the card's extended length limits.
    pub read_atr_info: bool,
    /// Connect exclusively (no other application can talk to the card
    /// during the session, which a secure messaging session needs). When
    /// false, the card is shared.
    pub exclusive: bool,
}

impl Default for PcscOptions {
    fn default() -> PcscOptions {
        PcscOptions {
            wait: Duration::from_secs(10),
            extended_length: ExtendedLength::Auto,
            read_atr_info: true,
            exclusive: true,
        }
    }
}

/// A reader the PC/SC service knows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReaderInfo {
    /// Its name, as PC/SC gives it.
    pub name: String,
    /// Whether a card is in it (and answered the reset).
    pub card_present: bool,
    /// Whether another application holds the card exclusively.
    pub in_use_exclusively: bool,
    /// The card's ATR, when a card is present.
    pub atr: Option<Vec<u8>>,
}

/// Where the extended-length decision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum LinkSource {
    /// The caller forced it.
    Forced,
    /// T=0: short APDUs only.
    ProtocolT0,
    /// EF.ATR/INFO's DO `7F66`.
    AtrInfo,
    /// The card capabilities in the ATR's historical bytes.
    AtrHistoricalBytes,
    /// The card says nothing of extended length: short APDUs.
    CardSilent,
    /// The reader's `SCARD_ATTR_MAXINPUT` allows short APDUs only.
    ReaderMaxInput,
}

/// The link decided on connection: what it carries, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LinkDecision {
    /// What the link carries.
    pub link: LinkInfo,
    /// Why.
    pub source: LinkSource,
}

/// An open session with the card in one PC/SC reader.
pub struct PcscTransport {
    card: Card,
    reader: String,
    atr: Vec<u8>,
    protocol: Protocol,
    decision: LinkDecision,
    lost: Option<TransportError>,
}

impl core::fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("protocol", &self.protocol_name())
            .field("decision", &self.decision)
            .finish_non_exhaustive()
    }
}

/// The PC/SC error as this crate's link failure.
fn map_error(e: pcsc::Error, doing: &str) -> TransportError {
    use pcsc::Error as P;
    let kind = match e {
        P::NoReadersAvailable | P::UnknownReader | P::ReaderUnavailable | P::ReaderUnsupported => {
            TransportErrorKind::NoReader
        }
        P::NoSmartcard | P::UnpoweredCard | P::UnresponsiveCard | P::UnsupportedCard => {
            TransportErrorKind::NoCard
        }
        P::RemovedCard | P::ResetCard => TransportErrorKind::CardRemoved,
        P::SharingViolation => TransportErrorKind::Busy,
        P::NoService | P::ServiceStopped => TransportErrorKind::NoService,
        P::Timeout | P::WaitedTooLong => TransportErrorKind::Timeout,
        P::CommError | P::CommDataLost | P::ProtoMismatch | P::InsufficientBuffer => {
            TransportErrorKind::Link
        }
        _ => TransportErrorKind::Other,
    };
    let hint = match kind {
        TransportErrorKind::NoService => " (is pcscd running?)",
        TransportErrorKind::Busy => " (another application holds the card)",
        TransportErrorKind::CardRemoved => " (the card was removed or reset)",
        _ => "",
    };
    TransportError::new(kind, format!("{doing}: {e}{hint}"))
}

fn establish() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(|e| map_error(e, "PC/SC service"))
}

fn reader_names(ctx: &Context) -> Result<Vec<String>, TransportError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect()),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map_error(e, "listing readers")),
    }
}

fn c_name(name: &str) -> Result<CString, TransportError> {
    CString::new(name).map_err(|_| {
        TransportError::new(
            TransportErrorKind::NoReader,
            format!("reader name {name:?} holds a NUL byte"),
        )
    })
}

/// The readers the PC/SC service knows, with whether a card is in each.
/// No reader is an empty list, not an error.
pub fn list_readers() -> Result<Vec<ReaderInfo>, Error> {
    let ctx = establish()?;
    let names = reader_names(&ctx)?;
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut states = names
        .iter()
        .map(|n| c_name(n).map(|c| ReaderState::new(c, State::UNAWARE)))
        .collect::<Result<Vec<_>, _>>()?;
    ctx.get_status_change(Duration::ZERO, &mut states)
        .map_err(|e| map_error(e, "reader status"))?;
    Ok(names
        .into_iter()
        .zip(states.iter())
        .map(|(name, s)| {
            let ev = s.event_state();
            let present = ev.contains(State::PRESENT) && !ev.contains(State::MUTE);
            ReaderInfo {
                name,
                card_present: present,
                in_use_exclusively: ev.contains(State::EXCLUSIVE),
                atr: (present && !s.atr().is_empty()).then(|| s.atr().to_vec()),
            }
        })
        .collect())
}

/// Chooses a reader among `names`: the one named `wanted` exactly, else the
/// only one containing it (case-insensitive). With `wanted` `None`: the
/// only reader, else the only one with a card (`with_card` tells which
/// have one).
pub fn choose_reader<'a>(
    names: &'a [String],
    wanted: Option<&str>,
    with_card: &[bool],
) -> Result<&'a str, TransportError> {
    if names.is_empty() {
        return Err(TransportError::new(
            TransportErrorKind::NoReader,
            "no PC/SC reader is connected (is the reader plugged in and pcscd running?)",
        ));
    }
    let list = || names.join(", ");
    let Some(wanted) = wanted else {
        if let [only] = names {
            return Ok(only);
        }
        let carded: Vec<&String> = names
            .iter()
            .zip(with_card.iter().chain(core::iter::repeat(&false)))
            .filter(|(_, c)| **c)
            .map(|(n, _)| n)
            .collect();
        return match carded.as_slice() {
            [one] => Ok(one.as_str()),
            _ => Err(TransportError::new(
                TransportErrorKind::NoReader,
                format!("several readers, name one: {}", list()),
            )),
        };
    };
    if let Some(exact) = names.iter().find(|n| *n == wanted) {
        return Ok(exact);
    }
    let needle = wanted.to_lowercase();
    let matches: Vec<&String> = names
        .iter()
        .filter(|n| n.to_lowercase().contains(&needle))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one.as_str()),
        [] => Err(TransportError::new(
            TransportErrorKind::NoReader,
            format!("no reader matches {wanted:?}; readers: {}", list()),
        )),
        many => Err(TransportError::new(
            TransportErrorKind::NoReader,
            format!(
                "{wanted:?} matches several readers: {}",
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The historical bytes of an ATR (ISO/IEC 7816-3 §8.2), or `None` when
/// the ATR is malformed (too short for what its format bytes announce, a
/// wrong TCK).
pub fn atr_historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let (&ts, rest) = atr.split_first()?;
    if ts != 0x3B && ts != 0x3F {
        return None;
    }
    let (&t0, mut rest) = rest.split_first()?;
    let k = usize::from(t0 & 0x0F);
    let mut y = t0 >> 4;
    let mut tck = false;
    loop {
        // TA, TB, TC in turn, then TD (which carries the next Y).
        let skip = usize::from(y & 0x07).count_ones() as usize;
        rest = rest.get(skip..)?;
        if y & 0x08 == 0 {
            break;
        }
        let (&td, more) = rest.split_first()?;
        rest = more;
        if td & 0x0F != 0 {
            tck = true;
        }
        y = td >> 4;
    }
    let historical = rest.get(..k)?;
    let after = rest.get(k..)?;
    if tck {
        // TCK makes the XOR of T0 to TCK zero.
        if after.len() != 1 {
            return None;
        }
        let x = atr.iter().skip(1).fold(0u8, |a, b| a ^ b);
        if x != 0 {
            return None;
        }
    } else if !after.is_empty() {
        return None;
    }
    Some(historical)
}

/// The three card capability bytes (compact-TLV `73`, ISO/IEC 7816-4
/// §12.1.1.9) in historical bytes of category `00` or `80`, when present.
pub fn card_capabilities(historical: &[u8]) -> Option<[u8; 3]> {
    let (&category, rest) = historical.split_first()?;
    let mut objects = match category {
        0x80 => rest,
        // Category 00: the last three bytes are a status indicator.
        0x00 => rest.get(..rest.len().checked_sub(3)?)?,
        _ => return None,
    };
    while let Some((&tl, more)) = objects.split_first() {
        let len = usize::from(tl & 0x0F);
        let value = more.get(..len)?;
        if tl >> 4 == 0x7 {
            return match value {
                [a, b, c, ..] => Some([*a, *b, *c]),
                _ => None,
            };
        }
        objects = more.get(len..)?;
    }
    None
}

/// Whether the ATR says the card takes extended Lc and Le fields (card
/// capabilities, third byte, bit `40`); `None` when it does not say.
pub fn atr_extended_length(atr: &[u8]) -> Option<bool> {
    let caps = card_capabilities(atr_historical_bytes(atr)?)?;
    Some(caps[2] & 0x40 != 0)
}

/// The extended length information of EF.ATR/INFO (DO `7F66` holding two
/// INTEGERs: the longest command and the longest response the card takes,
/// ISO/IEC 7816-4 §12.7.1), when the file holds it.
pub fn atr_info_extended_length(ef_atr_info: &[u8]) -> Option<(usize, usize)> {
    use crate::tlv::{Tag, Tlv};
    let mut rest = ef_atr_info;
    while !rest.is_empty() {
        let (tlv, more) = Tlv::parse_prefix(rest).ok()?;
        rest = more;
        if tlv.tag() == Tag::new(0x7F66) {
            let mut inner = tlv.value();
            let mut ints = [0usize; 2];
            for slot in &mut ints {
                let (t, more) = Tlv::parse_prefix(inner).ok()?;
                let v = t.value();
                if t.tag() != Tag::new(0x02) || v.is_empty() || v.len() > 4 {
                    return None;
                }
                *slot = v.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
                inner = more;
            }
            let [cmd, rsp] = ints;
            return Some((cmd, rsp));
        }
    }
    None
}

/// The reader's `SCARD_ATTR_MAXINPUT` value (a little-endian DWORD).
fn parse_max_input(raw: &[u8]) -> Option<usize> {
    match raw {
        [a, b, c, d] => usize::try_from(u32::from_le_bytes([*a, *b, *c, *d])).ok(),
        [a, b, c, d, e, f, g, h] => {
            usize::try_from(u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h])).ok()
        }
        _ => None,
    }
}

/// The longest extended command APDU: header, 3-byte Lc, 65 535 bytes,
/// 2-byte Le.
const EXTENDED_COMMAND: usize = 4 + 3 + 65_535 + 2;
/// The longest extended response: 65 536 bytes and the status word.
const EXTENDED_RESPONSE: usize = 65_536 + 2;

/// Decides the link from what is known (see the module's docs).
pub fn decide_link(
    choice: ExtendedLength,
    t0: bool,
    atr_info: Option<(usize, usize)>,
    atr_says: Option<bool>,
    reader_max_input: Option<usize>,
) -> LinkDecision {
    let short = |source| LinkDecision {
        link: LinkInfo::SHORT,
        source,
    };
    let ext = |cmd: usize, rsp: usize, source| LinkDecision {
        link: LinkInfo::extended(
            cmd.clamp(LinkInfo::SHORT.max_command_len, EXTENDED_COMMAND),
            rsp.clamp(LinkInfo::SHORT.max_response_len, EXTENDED_RESPONSE),
        ),
        source,
    };
    match choice {
        ExtendedLength::Off => return short(LinkSource::Forced),
        ExtendedLength::On => return ext(EXTENDED_COMMAND, EXTENDED_RESPONSE, LinkSource::Forced),
        ExtendedLength::Auto => {}
    }
    if t0 {
        return short(LinkSource::ProtocolT0);
    }
    let reader_cap = reader_max_input.unwrap_or(EXTENDED_COMMAND);
    if reader_cap <= LinkInfo::SHORT.max_command_len {
        return short(LinkSource::ReaderMaxInput);
    }
    match (atr_info, atr_says) {
        // Only an answer that says more than a short APDU carries.
        (Some((cmd, rsp)), _)
            if cmd > LinkInfo::SHORT.max_command_len || rsp > LinkInfo::SHORT.max_response_len =>
        {
            ext(cmd.min(reader_cap), rsp, LinkSource::AtrInfo)
        }
        (Some(_), _) => short(LinkSource::AtrInfo),
        (None, Some(true)) => ext(
            reader_cap,
            EXTENDED_RESPONSE,
            LinkSource::AtrHistoricalBytes,
        ),
        (None, Some(false)) => short(LinkSource::AtrHistoricalBytes),
        (None, None) => short(LinkSource::CardSilent),
    }
}

/// Sends `apdu` with `send` and gathers a response the card gives in parts
/// (`61xx`: GET RESPONSE for the `xx` more bytes, as T=0 cards and some
/// readers do). At most 256 rounds and an extended response's length.
pub fn gather_response<F>(mut send: F, apdu: &[u8]) -> Result<Vec<u8>, TransportError>
where
    F: FnMut(&[u8]) -> Result<Vec<u8>, TransportError>,
{
    let cla = apdu.first().copied().unwrap_or(0) & 0x03;
    let mut out = Vec::new();
    let mut rsp = send(apdu)?;
    for _ in 0..256 {
        let n = rsp.len();
        match rsp.get(n.saturating_sub(2)..) {
            Some([0x61, more]) if n >= 2 => {
                out.extend_from_slice(rsp.get(..n - 2).unwrap_or_default());
                if out.len() > EXTENDED_RESPONSE {
                    break;
                }
                rsp = send(&[cla, 0xC0, 0x00, 0x00, *more])?;
            }
            _ => {
                out.extend_from_slice(&rsp);
                return Ok(out);
            }
        }
    }
    Err(TransportError::new(
        TransportErrorKind::Link,
        "GET RESPONSE chain longer than an extended response",
    ))
}

impl PcscTransport {
    /// Connects to the card in the reader chosen by `wanted` (see
    /// [`choose_reader`]), waiting up to `options.wait` for a card.
    pub fn connect(wanted: Option<&str>, options: &PcscOptions) -> Result<PcscTransport, Error> {
        let ctx = establish()?;
        let names = reader_names(&ctx)?;
        let present = if wanted.is_none() && names.len() > 1 {
            list_readers()?
                .iter()
                .map(|r| r.card_present)
                .collect::<Vec<_>>()
        } else {
            Vec::new()
        };
        let name = choose_reader(&names, wanted, &present)?.to_owned();
        let cname = c_name(&name)?;
        wait_for_card(&ctx, &cname, &name, options.wait)?;
        let share = if options.exclusive {
            ShareMode::Exclusive
        } else {
            ShareMode::Shared
        };
        let card = ctx
            .connect(&cname, share, Protocols::T1 | Protocols::T0)
            .map_err(|e| map_error(e, &format!("connecting to the card in {name:?}")))?;
        let status = card
            .status2_owned()
            .map_err(|e| map_error(e, "card status"))?;
        let protocol = status.protocol2().unwrap_or(Protocol::T1);
        let atr = status.atr().to_vec();
        let reader_max_input = card
            .get_attribute_owned(Attribute::Maxinput)
            .ok()
            .and_then(|raw| parse_max_input(&raw));
        let mut transport = PcscTransport {
            card,
            reader: name,
            atr,
            protocol,
            decision: LinkDecision {
                link: LinkInfo::SHORT,
                source: LinkSource::CardSilent,
            },
            lost: None,
        };
        let t0 = protocol == Protocol::T0;
        let atr_info =
            if options.read_atr_info && options.extended_length == ExtendedLength::Auto && !t0 {
                transport.read_atr_info()?
            } else {
                None
            };
        transport.decision = decide_link(
            options.extended_length,
            t0,
            atr_info,
            atr_extended_length(&transport.atr),
            reader_max_input,
        );
        Ok(transport)
    }

    /// EF.ATR/INFO's extended length information, when the card gives it.
    /// Refusals (`6982`, `6A82`...) are not errors; a lost card is.
    fn read_atr_info(&mut self) -> Result<Option<(usize, usize)>, Error> {
        // READ BINARY, short file identifier 01, offset 0, Le 256.
        let rsp = self.transmit(&[0x00, 0xB0, 0x81, 0x00, 0x00])?;
        match rsp.split_last_chunk::<2>() {
            Some((data, [0x90, 0x00])) => Ok(atr_info_extended_length(data)),
            _ => Ok(None),
        }
    }

    /// The reader's name.
    pub fn reader_name(&self) -> &str {
        &self.reader
    }

    /// The card's ATR (for a contactless card: the one the reader builds).
    pub fn atr(&self) -> &[u8] {
        &self.atr
    }

    /// `"T=0"`, `"T=1"` (also contactless, T=CL) or `"raw"`.
    pub fn protocol_name(&self) -> &'static str {
        match self.protocol {
            Protocol::T0 => "T=0",
            Protocol::T1 => "T=1",
            Protocol::RAW => "raw",
        }
    }

    /// The link decided on connection, and why.
    pub fn link_decision(&self) -> LinkDecision {
        self.decision
    }
}

fn wait_for_card(
    ctx: &Context,
    cname: &CString,
    name: &str,
    wait: Duration,
) -> Result<(), TransportError> {
    let deadline = Instant::now().checked_add(wait);
    let mut states = [ReaderState::new(cname.clone(), State::UNAWARE)];
    loop {
        let left = deadline.map_or(wait, |d| d.saturating_duration_since(Instant::now()));
        match ctx.get_status_change(left, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => {
                return Err(TransportError::new(
                    TransportErrorKind::NoCard,
                    format!(
                        "no card in {name:?} after {} s (put the card on the reader)",
                        wait.as_secs()
                    ),
                ));
            }
            Err(e) => return Err(map_error(e, &format!("waiting for a card in {name:?}"))),
        }
        let [state] = &mut states;
        let ev = state.event_state();
        if ev.intersects(State::UNKNOWN | State::UNAVAILABLE) {
            return Err(TransportError::new(
                TransportErrorKind::NoReader,
                format!("reader {name:?} is gone or unavailable"),
            ));
        }
        if ev.contains(State::PRESENT) && !ev.contains(State::MUTE) {
            return Ok(());
        }
        if left.is_zero() {
            return Err(TransportError::new(
                TransportErrorKind::NoCard,
                format!("no card in {name:?}"),
            ));
        }
        state.sync_current_state();
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if let Some(e) = &self.lost {
            return Err(e.clone());
        }
        let card = &self.card;
        let mut buf = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        let result = gather_response(
            |cmd| {
                card.transmit(cmd, &mut buf)
                    .map(<[u8]>::to_vec)
                    .map_err(|e| map_error(e, "transmit"))
            },
            apdu,
        );
        // A reader that lost the card may hand back an empty answer (vpcd
        // does, before pcscd notices the card is gone): a card always
        // ends with a status word, so this is a lost card too.
        let result = match result {
            Ok(rsp) if rsp.len() < 2 => Err(match self.card.status2_owned() {
                Err(e) => map_error(e, "transmit"),
                Ok(_) => TransportError::new(
                    TransportErrorKind::CardRemoved,
                    format!(
                        "transmit: the reader answered {} bytes and no status word \
                         (the card left the field?)",
                        rsp.len()
                    ),
                ),
            }),
            other => other,
        };
        if let Err(e) = &result
            && matches!(
                e.kind,
                TransportErrorKind::CardRemoved
                    | TransportErrorKind::NoCard
                    | TransportErrorKind::NoReader
                    | TransportErrorKind::NoService
            )
        {
            // The session is gone with the card: no exchange succeeds after.
            self.lost = Some(e.clone());
        }
        result
    }

    fn link_info(&self) -> LinkInfo {
        self.decision.link
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    // ATRs from pcsc-tools' smartcard_list.txt (Ludovic Rousseau's list of
    // ATRs seen on real cards), with the card it names.
    const DUTCH_PASSPORT: &str = "3B 85 80 01 80 73 84 21 40 12";
    const GERMAN_ID: &str = "3B 87 80 01 80 31 B8 73 84 01 E0 19";
    const JCOP4: &str = "3B 85 80 01 80 73 C8 21 10 0E";
    const AMAZON_VISA: &str = "3B 87 80 01 73 C8 40 00 00 90 00 6D";

    #[test]
    fn historical_bytes_of_real_atrs() {
        assert_eq!(
            atr_historical_bytes(&hex(DUTCH_PASSPORT)),
            Some(&hex("80 73 84 21 40")[..])
        );
        assert_eq!(
            atr_historical_bytes(&hex(GERMAN_ID)),
            Some(&hex("80 31 B8 73 84 01 E0")[..])
        );
        // The extended-length bit (third capability byte, 40).
        assert_eq!(atr_extended_length(&hex(DUTCH_PASSPORT)), Some(true));
        assert_eq!(atr_extended_length(&hex(GERMAN_ID)), Some(true));
        assert_eq!(atr_extended_length(&hex(JCOP4)), Some(false));
        // Historical bytes of category 73: no compact-TLV here.
        assert_eq!(atr_extended_length(&hex(AMAZON_VISA)), None);
    }

    #[test]
    fn malformed_atrs_are_refused() {
        let good = hex(DUTCH_PASSPORT);
        // Wrong TCK (one bit flipped).
        let mut bad = good.clone();
        *bad.last_mut().unwrap() ^= 0x01;
        assert_eq!(atr_historical_bytes(&bad), None);
        // Truncated anywhere.
        for n in 0..good.len() {
            assert_eq!(atr_historical_bytes(&good[..n]), None, "{n}");
        }
        // A byte too many.
        let mut long = good.clone();
        long.push(0);
        assert_eq!(atr_historical_bytes(&long), None);
        // Not an ATR.
        assert_eq!(atr_historical_bytes(&hex("12 00")), None);
        // Capabilities cut short.
        assert_eq!(card_capabilities(&hex("80 73 84 21")), None);
    }

    #[test]
    fn atr_info_extended_length_info() {
        // 7F66 08 02 02 0F FF 02 02 08 00 (ISO/IEC 7816-4 §12.7.1 layout).
        let info = hex("47 03 94 00 40 7F 66 08 02 02 0F FF 02 02 08 00");
        assert_eq!(atr_info_extended_length(&info), Some((0x0FFF, 0x0800)));
        assert_eq!(atr_info_extended_length(&hex("47 03 94 00 40")), None);
        // Truncated or wrong inner tag.
        assert_eq!(
            atr_info_extended_length(&hex("7F 66 08 02 02 0F FF 02 02 08")),
            None
        );
        assert_eq!(
            atr_info_extended_length(&hex("7F 66 08 04 02 0F FF 02 02 08 00")),
            None
        );
    }

    #[test]
    fn link_decisions() {
        use ExtendedLength::*;
        let d = decide_link(Auto, false, None, Some(true), None);
        assert!(d.link.extended_length);
        assert_eq!(d.source, LinkSource::AtrHistoricalBytes);
        // ACR122U-like reader: short whatever the card says.
        let d = decide_link(Auto, false, None, Some(true), Some(261));
        assert_eq!(d.link, LinkInfo::SHORT);
        assert_eq!(d.source, LinkSource::ReaderMaxInput);
        // EF.ATR/INFO's limits win over the ATR.
        let d = decide_link(Auto, false, Some((0x0FFF, 0x0800)), Some(false), None);
        assert_eq!(d.link, LinkInfo::extended(0x0FFF, 0x0800));
        assert_eq!(d.source, LinkSource::AtrInfo);
        // A reader cap lowers the command length.
        let d = decide_link(Auto, false, Some((0x0FFF, 0x0800)), None, Some(1000));
        assert_eq!(d.link, LinkInfo::extended(1000, 0x0800));
        assert_eq!(
            decide_link(Auto, true, None, Some(true), None).source,
            LinkSource::ProtocolT0
        );
        assert_eq!(
            decide_link(Auto, false, None, None, None).link,
            LinkInfo::SHORT
        );
        assert_eq!(
            decide_link(Off, false, None, Some(true), None).link,
            LinkInfo::SHORT
        );
        assert!(
            decide_link(On, true, None, None, Some(10))
                .link
                .extended_length
        );
        assert_eq!(parse_max_input(&[0x05, 0x01, 0, 0]), Some(261));
        assert_eq!(parse_max_input(&[0x05, 0x01]), None);
    }

    #[test]
    fn reader_choice() {
        let names: Vec<String> = [
            "ACS ACR122U PICC Interface 00 00",
            "Virtual PCD 00 00",
            "Virtual PCD 00 01",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            choose_reader(&names, Some("Virtual PCD 00 01"), &[]).unwrap(),
            "Virtual PCD 00 01"
        );
        assert_eq!(
            choose_reader(&names, Some("acr122"), &[]).unwrap(),
            "ACS ACR122U PICC Interface 00 00"
        );
        let e = choose_reader(&names, Some("virtual"), &[]).unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::NoReader);
        assert!(e.message.contains("several"), "{e}");
        let e = choose_reader(&names, Some("identiv"), &[]).unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::NoReader);
        assert_eq!(
            choose_reader(&names, None, &[false, true, false]).unwrap(),
            "Virtual PCD 00 00"
        );
        assert!(choose_reader(&names, None, &[true, true, false]).is_err());
        assert!(choose_reader(&names, None, &[]).is_err());
        assert_eq!(choose_reader(&names[..1], None, &[]).unwrap(), names[0]);
        assert_eq!(
            choose_reader(&[], Some("x"), &[]).unwrap_err().kind,
            TransportErrorKind::NoReader
        );
    }

    #[test]
    fn get_response_chains() {
        let mut sent = Vec::new();
        let mut answers = vec![hex("01 02 61 03"), hex("03 04 05 90 00")].into_iter();
        let r = gather_response(
            |c| {
                sent.push(c.to_vec());
                Ok(answers.next().unwrap())
            },
            &hex("0C B0 00 00 00"),
        )
        .unwrap();
        assert_eq!(r, hex("01 02 03 04 05 90 00"));
        // GET RESPONSE keeps the logical channel bits of the CLA.
        assert_eq!(sent[1], hex("00 C0 00 00 03"));
        // An endless chain is refused.
        let e = gather_response(|_| Ok(hex("61 00")), &hex("00 B0 00 00 00")).unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::Link);
        // A removed card fails the exchange.
        let e = gather_response(
            |_| Err(map_error(pcsc::Error::RemovedCard, "transmit")),
            &hex("00 B0 00 00 00"),
        )
        .unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::CardRemoved);
        assert_eq!(
            map_error(pcsc::Error::SharingViolation, "x").kind,
            TransportErrorKind::Busy
        );
        assert_eq!(
            map_error(pcsc::Error::NoService, "x").kind,
            TransportErrorKind::NoService
        );
        assert_eq!(
            map_error(pcsc::Error::NoSmartcard, "x").kind,
            TransportErrorKind::NoCard
        );
    }
}
