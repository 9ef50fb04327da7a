//! Unit tests of the primitives and the session core.

use super::cipher::*;
use super::*;
use crate::apdu::CommandApdu;

#[test]
fn padding() {
    assert_eq!(pad(&[1, 2, 3], 8), [1, 2, 3, 0x80, 0, 0, 0, 0]);
    assert_eq!(pad(&[0; 8], 8).len(), 16);
    assert_eq!(pad(&[], 16), [&[0x80u8][..], &[0u8; 15][..]].concat());
    assert_eq!(unpad(&[1, 2, 3, 0x80, 0, 0, 0, 0], 8).unwrap(), [1, 2, 3]);
    assert_eq!(unpad(&[0x80, 0, 0, 0, 0, 0, 0, 0], 8).unwrap(), [0u8; 0]);
    for bad in [
        &[1, 2, 3, 0x81, 0, 0, 0, 0][..],
        &[0; 8],
        &[],
        &[1, 0x80, 0, 0, 0, 0, 0, 0, 0, 0][..],
        // Shorter than a block: never the output of pad.
        &[1, 0x80, 0][..],
    ] {
        assert_eq!(
            unpad(bad, 8),
            Err(Error::SecureMessaging(SmErrorKind::BadPadding)),
            "{bad:?}"
        );
    }
}

proptest::proptest! {
    /// Any data, either block length: unpad undoes pad, the padded length
    /// is the next multiple of the block past the data, and padding a
    /// block length of 0 only appends 80 (what the loops it replaced did).
    #[test]
    fn pad_round_trips(data in proptest::collection::vec(proptest::num::u8::ANY, 0..80), wide: bool) {
        let block = if wide { 16 } else { 8 };
        let padded = pad(&data, block);
        proptest::prop_assert_eq!(padded.len(), (data.len() / block + 1) * block);
        proptest::prop_assert_eq!(unpad(&padded, block), Ok(&data[..]));
        proptest::prop_assert_eq!(pad(&data, 0), [&data[..], &[0x80]].concat());
    }
}

#[test]
fn counter_wraps_into_an_error() {
    let keys = SessionKeys::new(KeyKind::Tdes, &[1; 16], &[2; 16]).unwrap();
    let mut sm = SecureMessaging::new(keys, &[0xFF; 8]).unwrap();
    assert_eq!(
        sm.wrap(&CommandApdu::get_challenge()),
        Err(Error::SecureMessaging(SmErrorKind::CounterExhausted))
    );
    assert!(!sm.is_open());
    assert_eq!(
        sm.wrap(&CommandApdu::get_challenge()),
        Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
    );
}

#[test]
fn construction_errors() {
    assert_eq!(
        SessionKeys::new(KeyKind::Aes256, &[0; 16], &[0; 32]).unwrap_err(),
        Error::SecureMessaging(SmErrorKind::KeyLength {
            kind: KeyKind::Aes256,
            len: 16
        })
    );
    let keys = SessionKeys::new(KeyKind::Aes128, &[0; 16], &[0; 16]).unwrap();
    assert_eq!(
        SecureMessaging::new(keys, &[0; 8]).unwrap_err(),
        Error::SecureMessaging(SmErrorKind::SscLength { len: 8, block: 16 })
    );
}

#[test]
fn debug_is_redacted() {
    let keys = SessionKeys::new(KeyKind::Aes128, &[0xAB; 16], &[0xCD; 16]).unwrap();
    let s = format!("{keys:?}");
    assert!(
        !s.contains("171") && !s.contains("AB") && !s.contains("ab"),
        "{s}"
    );
    let sm = SecureMessaging::new(keys, &[0; 16]).unwrap();
    let s = format!("{sm:?}");
    assert!(
        s.contains("redacted") && !s.contains("171") && !s.contains("205"),
        "{s}"
    );
    let card = CardSm::new(
        SessionKeys::new(KeyKind::Tdes, &[0xAB; 16], &[0xCD; 16]).unwrap(),
        &[0; 8],
    )
    .unwrap();
    assert!(format!("{card:?}").contains("redacted"));
}
