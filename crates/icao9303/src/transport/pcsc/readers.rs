//! The readers the PC/SC service knows, and the choice of one by name.

use std::ffi::CString;
use std::time::Duration;

use pcsc::{Context, ReaderState, State};

use super::{establish, map_error};
use crate::Error;
use crate::transport::{TransportError, TransportErrorKind};

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

pub(super) fn reader_names(ctx: &Context) -> Result<Vec<String>, TransportError> {
    match ctx.list_readers_owned() {
        Ok(names) => Ok(names
            .into_iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect()),
        Err(pcsc::Error::NoReadersAvailable) => Ok(Vec::new()),
        Err(e) => Err(map_error(e, "listing readers")),
    }
}

pub(super) fn c_name(name: &str) -> Result<CString, TransportError> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
