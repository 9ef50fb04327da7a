//! The vpcd socket framing on an arbitrary byte stream cut at an arbitrary
//! point: never panics, and every message it yields re-encodes to exactly
//! the bytes it consumed.
#![no_main]

use icao9303_sim::vpcd::{Decoder, Message, encode};
use libfuzzer_sys::fuzz_target;

fn payload(message: &Message) -> Vec<u8> {
    match message {
        Message::PowerOff => vec![0x00],
        Message::PowerOn => vec![0x01],
        Message::Reset => vec![0x02],
        Message::GetAtr => vec![0x04],
        Message::Apdu(apdu) => apdu.clone(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, stream)) = data.split_first() else {
        return;
    };
    let cut = usize::from(cut).min(stream.len());
    let (first, second) = stream.split_at(cut);
    let mut decoder = Decoder::new();
    let mut consumed = Vec::new();
    for part in [first, second] {
        decoder.push(part);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => {
                    let framed = encode(&payload(&message)).expect("a decoded message fits");
                    consumed.extend_from_slice(&framed);
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    assert_eq!(consumed.len() + decoder.pending(), stream.len());
    assert_eq!(consumed.as_slice(), &stream[..consumed.len()]);
});
