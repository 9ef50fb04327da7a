//! The extended-length decision: what the link carries, and why.

use crate::transport::LinkInfo;

use super::ExtendedLength;

/// Where the extended-length decision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
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

/// The reader's `SCARD_ATTR_MAXINPUT` value (a little-endian DWORD).
pub(super) fn parse_max_input(raw: &[u8]) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
