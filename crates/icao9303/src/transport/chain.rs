//! Responses a card gives in parts: `61xx` and GET RESPONSE (T=0 cards,
//! some readers). Not tied to PC/SC: any transport below the reader may
//! need it.

use super::{TransportError, TransportErrorKind};

/// The longest extended response: 65 536 bytes and the status word.
const EXTENDED_RESPONSE: usize = 65_536 + 2;

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

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s.replace(' ', "")).unwrap()
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
            |_| {
                Err(TransportError::new(
                    TransportErrorKind::CardRemoved,
                    "transmit: card removed",
                ))
            },
            &hex("00 B0 00 00 00"),
        )
        .unwrap_err();
        assert_eq!(e.kind, TransportErrorKind::CardRemoved);
    }
}
