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
//! That read, and each GET RESPONSE a `61xx` asks for, are APDUs of the
//! transport's own: [`Transport::take_extra_exchanges`] hands them to the
//! reader, whose counts are then those of the wire.
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

mod atr;
mod link;
mod readers;

pub use super::chain::gather_response;
pub use atr::{
    atr_extended_length, atr_historical_bytes, atr_info_extended_length, card_capabilities,
};
pub use link::{LinkDecision, LinkSource, decide_link};
pub use readers::{ReaderInfo, choose_reader, list_readers};

use link::parse_max_input;
use readers::{c_name, reader_names};

/// Whether to use extended-length APDUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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
#[non_exhaustive]
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

/// Builders: the struct is `#[non_exhaustive]` (a field may be added in a
/// minor release), so other crates start from `PcscOptions::default()` and set
/// what they need, e.g. `PcscOptions::default().with_...(...)`; or assign the
/// public fields of a value they hold.
impl PcscOptions {
    /// Sets [`PcscOptions::wait`].
    #[must_use]
    pub fn with_wait(mut self, wait: Duration) -> PcscOptions {
        self.wait = wait;
        self
    }

    /// Sets [`PcscOptions::extended_length`].
    #[must_use]
    pub fn with_extended_length(mut self, extended_length: ExtendedLength) -> PcscOptions {
        self.extended_length = extended_length;
        self
    }

    /// Sets [`PcscOptions::read_atr_info`].
    #[must_use]
    pub fn with_read_atr_info(mut self, read_atr_info: bool) -> PcscOptions {
        self.read_atr_info = read_atr_info;
        self
    }

    /// Sets [`PcscOptions::exclusive`].
    #[must_use]
    pub fn with_exclusive(mut self, exclusive: bool) -> PcscOptions {
        self.exclusive = exclusive;
        self
    }
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

/// An open session with the card in one PC/SC reader.
pub struct PcscTransport {
    card: Card,
    reader: String,
    atr: Vec<u8>,
    protocol: Protocol,
    decision: LinkDecision,
    lost: Option<TransportError>,
    /// The exchanges made on the transport's own account (EF.ATR/INFO,
    /// GET RESPONSE), for the reader's counts.
    extra: Vec<(usize, usize)>,
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
pub(super) fn map_error(e: pcsc::Error, doing: &str) -> TransportError {
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

pub(super) fn establish() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(|e| map_error(e, "PC/SC service"))
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
            extra: Vec::new(),
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
        const READ: [u8; 5] = [0x00, 0xB0, 0x81, 0x00, 0x00];
        let rsp = self.transmit(&READ)?;
        // Not the reader's APDU: counted as the transport's own, so the
        // counts of a read are those of the wire.
        self.extra.push((READ.len(), rsp.len()));
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
        let mut rounds = 0usize;
        let result = gather_response(
            |cmd| {
                rounds = rounds.saturating_add(1);
                card.transmit(cmd, &mut buf)
                    .map(<[u8]>::to_vec)
                    .map_err(|e| map_error(e, "transmit"))
            },
            apdu,
        );
        // Each GET RESPONSE: its 5 bytes out, the `61xx` that asked for it
        // back (its data is in the gathered response).
        for _ in 1..rounds {
            self.extra.push((5, 2));
        }
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

    fn take_extra_exchanges(&mut self) -> Vec<(usize, usize)> {
        core::mem::take(&mut self.extra)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcsc_errors_map_to_link_failures() {
        assert_eq!(
            map_error(pcsc::Error::RemovedCard, "transmit").kind,
            TransportErrorKind::CardRemoved
        );
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
