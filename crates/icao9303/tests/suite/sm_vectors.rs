//! Secure messaging against every value of tests/data/icao9303-bac.toml
//! (a copy of the shared vectors: Doc 9303 Part 11 D.4, the gmrtd AES-256
//! trace, the JMRTD 3DES vector, the ISO/IEC 9797-1 MAC algorithm 3
//! vectors), negative tests for every check, and property tests of both
//! sides.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::Error;
use icao9303::apdu::{CommandApdu, ResponseApdu, StatusWord};
use icao9303::kdf::KeyKind;
use icao9303::sm::{self, CardSm, SecureMessaging, SessionKeys, SmErrorKind};
use proptest::prelude::*;
use toml::Value;

fn vectors() -> Value {
    crate::data::vectors("icao9303-bac.toml")
}

fn h(v: &Value, key: &str) -> Vec<u8> {
    let s = v
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{key} missing"));
    hex::decode(s).unwrap()
}

fn hx(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn session(v: &Value, kind: KeyKind) -> SecureMessaging {
    let keys = SessionKeys::new(kind, &h(v, "ks_enc"), &h(v, "ks_mac")).unwrap();
    SecureMessaging::new(keys, &h(v, "ssc_initial")).unwrap()
}

fn card(v: &Value, kind: KeyKind) -> CardSm {
    let keys = SessionKeys::new(kind, &h(v, "ks_enc"), &h(v, "ks_mac")).unwrap();
    CardSm::new(keys, &h(v, "ssc_initial")).unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Runs the exchanges of a trace on both sides and checks every value given.
fn run_trace(v: &Value, kind: KeyKind) {
    let mut reader = session(v, kind);
    let mut chip = card(v, kind);
    let ks_enc = h(v, "ks_enc");
    let ks_mac = h(v, "ks_mac");
    let block = sm::block_len(kind);
    let mut file = Vec::new();
    let exchanges = v.get("exchange").and_then(Value::as_array).unwrap();
    for ex in exchanges {
        // The plain command is in the exchange or in its `derived` table.
        let derived = ex
            .get("derived")
            .cloned()
            .unwrap_or(Value::Table(Default::default()));
        let field = |k: &str| {
            ex.get(k)
                .or_else(|| derived.get(k))
                .and_then(Value::as_str)
                .map(hx)
        };
        let command = CommandApdu::parse(&field("command").unwrap()).unwrap();

        // Reader: protect the command.
        let protected = reader.wrap(&command).unwrap();
        assert_eq!(
            protected,
            field("protected_command").unwrap(),
            "{command:?}"
        );
        assert_eq!(
            reader.send_sequence_counter(),
            field("ssc_command").unwrap()
        );
        if let Some(do87) = field("do87") {
            assert!(contains(&protected, &do87));
        }
        if let Some(do97) = field("do97") {
            assert!(contains(&protected, &do97));
        }
        // The MAC sits before the final Le byte.
        let sent_cc = protected
            .get(protected.len() - 9..protected.len() - 1)
            .unwrap()
            .to_vec();
        if let Some(cc) = field("cc") {
            assert_eq!(sent_cc, cc);
        }
        if let Some(mac_input) = field("mac_input") {
            assert_eq!(
                sm::mac(kind, &ks_mac, &sm::pad(&mac_input, block))
                    .unwrap()
                    .to_vec(),
                sent_cc
            );
        }
        if let (Some(plain), Some(cipher)) =
            (field("do87_padded_plaintext"), field("do87_ciphertext"))
        {
            let mut buf = plain.clone();
            sm::encrypt_cbc(kind, &ks_enc, &[0; 8], &mut buf).unwrap();
            assert_eq!(buf, cipher);
        }

        // Card: check the command, answer.
        let seen = chip.unwrap_command(&protected).unwrap();
        assert_eq!(seen, command);
        assert_eq!(chip.send_sequence_counter(), field("ssc_command").unwrap());

        let Some(protected_response) = field("protected_response") else {
            continue;
        };
        let data = field("response_data").unwrap_or_default();
        let plain_response = ResponseApdu::new(data.clone(), StatusWord::SUCCESS);
        assert_eq!(
            chip.wrap_response(&plain_response).unwrap(),
            protected_response
        );

        // Reader: check the response.
        let rsp = reader.unwrap(&protected_response).unwrap();
        assert_eq!(rsp, plain_response);
        assert_eq!(
            reader.send_sequence_counter(),
            field("ssc_response").unwrap()
        );
        if let (Some(input), Some(rcc)) = (field("response_mac_input"), field("response_cc")) {
            assert_eq!(
                sm::mac(kind, &ks_mac, &sm::pad(&input, block))
                    .unwrap()
                    .to_vec(),
                rcc
            );
            assert!(contains(&protected_response, &rcc));
        }
        file.extend_from_slice(&rsp.data);
    }
    if let Some(ef_com) = v.get("ef_com") {
        assert_eq!(file, hx(ef_com.as_str().unwrap()));
    }
    if v.get("ssc_final").is_some() {
        assert_eq!(reader.send_sequence_counter(), h(v, "ssc_final"));
        assert_eq!(chip.send_sequence_counter(), h(v, "ssc_final"));
    }
    assert!(reader.is_open() && chip.is_open());
}

#[test]
fn doc9303_d4_3des_select_and_read_binary() {
    let v = vectors();
    run_trace(v.get("d4_secure_messaging").unwrap(), KeyKind::Tdes);
}

#[test]
fn gmrtd_aes256_trace() {
    let v = vectors();
    let t = v.get("aes256_sm_trace").unwrap();
    run_trace(t, KeyKind::Aes256);
}

#[test]
fn jmrtd_3des_wrap() {
    let v = vectors();
    let t = v.get("jmrtd_3des_sm").unwrap();
    let mut reader = session(t, KeyKind::Tdes);
    let mut chip = card(t, KeyKind::Tdes);
    for ex in t.get("exchange").and_then(Value::as_array).unwrap() {
        let d = ex.get("derived").unwrap();
        let command = CommandApdu::parse(&h(ex, "command")).unwrap();
        let protected = reader.wrap(&command).unwrap();
        assert_eq!(protected, h(ex, "protected_command"));
        assert_eq!(reader.send_sequence_counter(), h(d, "ssc_command"));
        assert!(contains(&protected, &h(d, "cc")));
        assert_eq!(chip.unwrap_command(&protected).unwrap(), command);
    }
}

#[test]
fn iso9797_mac_algorithm_3() {
    let v = vectors();
    let all = v.get("iso9797_mac_alg3").and_then(Value::as_array).unwrap();
    assert_eq!(all.len(), 4);
    for t in all {
        assert_eq!(
            sm::mac(KeyKind::Tdes, &h(t, "key"), &h(t, "data"))
                .unwrap()
                .to_vec(),
            h(t, "mac")
        );
    }
}

// ---- negative tests ----------------------------------------------------------

/// The D.4 session after the SELECT command was wrapped, with the SELECT
/// response still to come, and the values of that exchange.
fn d4_after_select() -> (SecureMessaging, Vec<u8>, SessionKeys) {
    let v = vectors();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let mut reader = session(d4, KeyKind::Tdes);
    let ex = d4
        .get("exchange")
        .and_then(Value::as_array)
        .unwrap()
        .first()
        .unwrap();
    reader
        .wrap(&CommandApdu::parse(&h(ex, "command")).unwrap())
        .unwrap();
    let keys = SessionKeys::new(KeyKind::Tdes, &h(d4, "ks_enc"), &h(d4, "ks_mac")).unwrap();
    (reader, h(ex, "protected_response"), keys)
}

/// A response of `dos`, MAC'd correctly with `ssc` and `keys`, then the SW.
fn macd(keys: &SessionKeys, ssc: &[u8], dos: &[u8], sw: [u8; 2]) -> Vec<u8> {
    let block = sm::block_len(keys.kind());
    let mut n = ssc.to_vec();
    n.extend_from_slice(dos);
    let cc = sm::mac(keys.kind(), keys.mac(), &sm::pad(&n, block)).unwrap();
    let mut out = dos.to_vec();
    out.extend_from_slice(&[0x8E, 0x08]);
    out.extend_from_slice(&cc);
    out.extend_from_slice(&sw);
    out
}

fn refused(reader: &mut SecureMessaging, response: &[u8], kind: SmErrorKind) {
    assert_eq!(
        reader.unwrap(response),
        Err(Error::SecureMessaging(kind)),
        "{}",
        hex::encode_upper(response)
    );
    assert!(!reader.is_open());
    // The session is over: even a good response is refused now.
    assert_eq!(
        reader.unwrap(response),
        Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
    );
    assert_eq!(
        reader.wrap(&CommandApdu::get_challenge()),
        Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
    );
}

const SSC_SELECT_RESPONSE: &str = "887022120C06C228";

#[test]
fn every_bit_flip_of_the_d4_responses_is_refused() {
    let v = vectors();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let exchanges = d4.get("exchange").and_then(Value::as_array).unwrap();
    for (i, ex) in exchanges.iter().enumerate() {
        let good = h(ex, "protected_response");
        for bit in 0..good.len() * 8 {
            let mut reader = session(d4, KeyKind::Tdes);
            // Replay the exchanges before this one.
            for before in exchanges.iter().take(i) {
                reader
                    .wrap(&CommandApdu::parse(&h(before, "command")).unwrap())
                    .unwrap();
                reader.unwrap(&h(before, "protected_response")).unwrap();
            }
            reader
                .wrap(&CommandApdu::parse(&h(ex, "command")).unwrap())
                .unwrap();
            let mut bad = good.clone();
            bad[bit / 8] ^= 0x80 >> (bit % 8);
            assert!(
                reader.unwrap(&bad).is_err(),
                "exchange {i} bit {bit} accepted"
            );
            assert!(!reader.is_open());
            assert!(reader.unwrap(&good).is_err());
        }
    }
}

#[test]
fn bad_mac_is_refused() {
    let (mut reader, mut good, _) = d4_after_select();
    let n = good.len();
    good[n - 3] ^= 1; // last byte of the MAC
    refused(&mut reader, &good, SmErrorKind::BadMac);
}

#[test]
fn counter_mismatch_is_refused() {
    // The reader wraps twice (its counter moves on), then gets the answer
    // to the first command: the MAC is over the wrong counter.
    let (mut reader, good, _) = d4_after_select();
    reader
        .wrap(&CommandApdu::read_binary(0, 4).unwrap())
        .unwrap();
    refused(&mut reader, &good, SmErrorKind::BadMac);
}

#[test]
fn missing_or_misplaced_objects_are_refused() {
    let (_, _, keys) = d4_after_select();
    let ssc = hx(SSC_SELECT_RESPONSE);
    // No DO'8E.
    let (mut r, _, _) = d4_after_select();
    refused(&mut r, &hx("990290009000"), SmErrorKind::MissingMac);
    // No DO'99 (MAC right over nothing but the counter).
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &macd(&keys, &ssc, &[], [0x90, 0x00]),
        SmErrorKind::MissingStatus,
    );
    // A bare status word.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &hx("6988"),
        SmErrorKind::UnprotectedResponse {
            sw: StatusWord::SM_OBJECTS_INCORRECT,
        },
    );
    // Fewer than two bytes.
    let (mut r, _, _) = d4_after_select();
    refused(&mut r, &[0x90], SmErrorKind::NotAnApdu);
    // DO'99 after DO'8E.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &hx("8E08FA855A5D4C50A8ED990290009000"),
        SmErrorKind::UnexpectedObject {
            tag: icao9303::tlv::Tag::new(0x99),
            offset: 10,
        },
    );
    // An unknown object, correctly MAC'd.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &macd(&keys, &ssc, &hx("81010099029000"), [0x90, 0x00]),
        SmErrorKind::UnexpectedObject {
            tag: icao9303::tlv::Tag::new(0x81),
            offset: 0,
        },
    );
    // DO'87 after DO'99.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &macd(
            &keys,
            &ssc,
            &hx("99029000870901000000000000000000"),
            [0x90, 0x00],
        ),
        SmErrorKind::UnexpectedObject {
            tag: icao9303::tlv::Tag::new(0x87),
            offset: 4,
        },
    );
    // Truncated TLV.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &hx("9902909000"),
        SmErrorKind::Malformed { offset: 1 },
    );
    // DO'8E of 4 bytes.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &hx("990290008E04FA855A5D9000"),
        SmErrorKind::ObjectLength {
            tag: icao9303::tlv::Tag::new(0x8E),
        },
    );
    // DO'99 of 3 bytes, correctly MAC'd.
    let (mut r, _, _) = d4_after_select();
    refused(
        &mut r,
        &macd(&keys, &ssc, &hx("9903900000"), [0x90, 0x00]),
        SmErrorKind::ObjectLength {
            tag: icao9303::tlv::Tag::new(0x99),
        },
    );
}

#[test]
fn status_word_mismatch_is_refused() {
    let (mut r, _, keys) = d4_after_select();
    let rsp = macd(
        &keys,
        &hx(SSC_SELECT_RESPONSE),
        &hx("99026A82"),
        [0x90, 0x00],
    );
    refused(
        &mut r,
        &rsp,
        SmErrorKind::StatusMismatch {
            inner: StatusWord::FILE_NOT_FOUND,
            outer: StatusWord::SUCCESS,
        },
    );
    // The same with matching status words passes, and says 6A82.
    let (mut r, _, keys) = d4_after_select();
    let rsp = macd(
        &keys,
        &hx(SSC_SELECT_RESPONSE),
        &hx("99026A82"),
        [0x6A, 0x82],
    );
    assert_eq!(
        r.unwrap(&rsp).unwrap(),
        ResponseApdu::new(vec![], StatusWord::FILE_NOT_FOUND)
    );
}

/// DO'87 with the cryptogram of `plain` (no padding added) under the D.4 keys.
fn do87_of(keys: &SessionKeys, indicator: u8, plain: &[u8]) -> Vec<u8> {
    let mut c = plain.to_vec();
    sm::encrypt_cbc(KeyKind::Tdes, keys.enc(), &[0; 8], &mut c).unwrap();
    let mut out = vec![0x87, (c.len() + 1) as u8, indicator];
    out.extend_from_slice(&c);
    out
}

#[test]
fn bad_padding_and_indicator_are_refused() {
    let ssc = hx(SSC_SELECT_RESPONSE);
    for (plain, kind) in [
        (hx("0102030405060708"), SmErrorKind::BadPadding),
        (hx("0102038100000000"), SmErrorKind::BadPadding),
        (hx("0000000000000000"), SmErrorKind::BadPadding),
        (
            hx("01028000000000000000000000000000"),
            SmErrorKind::BadPadding,
        ),
    ] {
        let (mut r, _, keys) = d4_after_select();
        let mut dos = do87_of(&keys, 0x01, &plain);
        dos.extend_from_slice(&hx("99029000"));
        refused(&mut r, &macd(&keys, &ssc, &dos, [0x90, 0x00]), kind);
    }
    // Good padding but indicator 02.
    let (mut r, _, keys) = d4_after_select();
    let mut dos = do87_of(&keys, 0x02, &hx("0102038000000000"));
    dos.extend_from_slice(&hx("99029000"));
    refused(
        &mut r,
        &macd(&keys, &ssc, &dos, [0x90, 0x00]),
        SmErrorKind::PaddingIndicator { found: 2 },
    );
    // A cryptogram that is not whole blocks.
    let (mut r, _, keys) = d4_after_select();
    let dos = hx("8706010102030405 99029000".replace(' ', "").as_str());
    refused(
        &mut r,
        &macd(&keys, &ssc, &dos, [0x90, 0x00]),
        SmErrorKind::ObjectLength {
            tag: icao9303::tlv::Tag::new(0x87),
        },
    );
    // And the same construction with good padding is accepted.
    let (mut r, _, keys) = d4_after_select();
    let mut dos = do87_of(&keys, 0x01, &hx("0102038000000000"));
    dos.extend_from_slice(&hx("99029000"));
    assert_eq!(
        r.unwrap(&macd(&keys, &ssc, &dos, [0x90, 0x00]))
            .unwrap()
            .data,
        [1, 2, 3]
    );
}

/// `unwrap_into` appends the plain data after what the buffer holds, and
/// on every refusal leaves the buffer as it was: a bad padding is found
/// only after decryption, so that path must take its bytes back out.
#[test]
fn unwrap_into_appends_or_leaves_the_buffer_alone() {
    let ssc = hx(SSC_SELECT_RESPONSE);
    let prefix = b"earlier chunks".to_vec();
    let (mut good_padding, mut bad_padding, mut bad_mac) = (Vec::new(), Vec::new(), Vec::new());
    {
        let (_, _, keys) = d4_after_select();
        let mut dos = do87_of(&keys, 0x01, &hx("0102038000000000"));
        dos.extend_from_slice(&hx("99029000"));
        good_padding.extend(macd(&keys, &ssc, &dos, [0x90, 0x00]));
        let mut dos = do87_of(&keys, 0x01, &hx("0102030405060708"));
        dos.extend_from_slice(&hx("99029000"));
        bad_padding.extend(macd(&keys, &ssc, &dos, [0x90, 0x00]));
        bad_mac.extend(&good_padding);
        let n = bad_mac.len();
        bad_mac[n - 3] ^= 1;
    }
    let (mut r, _, _) = d4_after_select();
    let mut out = prefix.clone();
    assert_eq!(
        r.unwrap_into(&good_padding, &mut out),
        Ok(StatusWord::SUCCESS)
    );
    assert_eq!(out, [&prefix[..], &[1, 2, 3]].concat());
    for (response, kind) in [
        (&bad_padding, SmErrorKind::BadPadding),
        (&bad_mac, SmErrorKind::BadMac),
    ] {
        let (mut r, _, _) = d4_after_select();
        let mut out = prefix.clone();
        assert_eq!(
            r.unwrap_into(response, &mut out),
            Err(Error::SecureMessaging(kind))
        );
        assert_eq!(out, prefix);
        assert!(!r.is_open());
        assert_eq!(
            r.unwrap_into(&good_padding, &mut out),
            Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
        );
        assert_eq!(out, prefix);
    }
}

#[test]
fn card_side_refuses_bad_commands() {
    let v = vectors();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let ex = d4
        .get("exchange")
        .and_then(Value::as_array)
        .unwrap()
        .first()
        .unwrap();
    let good = h(ex, "protected_command");
    // Plain command.
    let mut c = card(d4, KeyKind::Tdes);
    let e = c.unwrap_command(&h(ex, "command")).unwrap_err();
    assert_eq!(e, Error::SecureMessaging(SmErrorKind::UnprotectedCommand));
    assert_eq!(
        SmErrorKind::UnprotectedCommand.card_status(),
        StatusWord::SM_OBJECTS_MISSING
    );
    assert!(!c.is_open());
    assert_eq!(
        c.unwrap_command(&good),
        Err(Error::SecureMessaging(SmErrorKind::SessionClosed))
    );
    // Every bit flip of the protected SELECT (but in Le, which the MAC does not cover).
    for bit in 0..(good.len() - 1) * 8 {
        let mut c = card(d4, KeyKind::Tdes);
        let mut bad = good.clone();
        bad[bit / 8] ^= 0x80 >> (bit % 8);
        assert!(c.unwrap_command(&bad).is_err(), "bit {bit} accepted");
        assert!(!c.is_open());
    }
    assert_eq!(
        SmErrorKind::BadMac.card_status(),
        StatusWord::SM_OBJECTS_INCORRECT
    );
}

#[test]
fn refused_commands_leave_the_session_alone() {
    let v = vectors();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let mut reader = session(d4, KeyKind::Tdes);
    let too_long = CommandApdu::new(0, 0xD6, 0, 0).with_data(vec![0; 70_000]);
    assert!(matches!(reader.wrap(&too_long), Err(Error::Apdu(_))));
    let sm_cla = CommandApdu::new(0x0C, 0xB0, 0, 0).with_ne(Some(1));
    assert_eq!(
        reader.wrap(&sm_cla),
        Err(Error::SecureMessaging(SmErrorKind::AlreadyProtected))
    );
    assert!(reader.is_open());
    assert_eq!(reader.send_sequence_counter(), h(d4, "ssc_initial"));
}

// ---- property tests ------------------------------------------------------------

fn any_kind() -> impl Strategy<Value = KeyKind> {
    prop_oneof![
        Just(KeyKind::Tdes),
        Just(KeyKind::Aes128),
        Just(KeyKind::Aes192),
        Just(KeyKind::Aes256)
    ]
}

/// The keys of [`pair`].
fn pair_keys(kind: KeyKind, seed: u8) -> SessionKeys {
    let enc: Vec<u8> = (0..kind.key_len())
        .map(|i| seed.wrapping_add(i as u8))
        .collect();
    let mac: Vec<u8> = (0..kind.key_len())
        .map(|i| seed.wrapping_mul(3).wrapping_add(i as u8))
        .collect();
    SessionKeys::new(kind, &enc, &mac).unwrap()
}

/// The counter of [`pair`] after `steps` increments.
fn pair_ssc(kind: KeyKind, ssc_seed: u8, steps: u128) -> Vec<u8> {
    let value = (u128::from(ssc_seed) + steps).to_be_bytes();
    value[16 - sm::block_len(kind)..].to_vec()
}

fn pair(kind: KeyKind, seed: u8, ssc_seed: u8) -> (SecureMessaging, CardSm) {
    let keys = pair_keys(kind, seed);
    let (enc, mac) = (keys.enc().to_vec(), keys.mac().to_vec());
    let ssc = pair_ssc(kind, ssc_seed, 0);
    (
        SecureMessaging::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc).unwrap(),
        CardSm::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc).unwrap(),
    )
}

fn any_command() -> impl Strategy<Value = CommandApdu> {
    (
        prop_oneof![Just(0x00u8), Just(0x10u8)],
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..40),
            proptest::collection::vec(any::<u8>(), 200..300)
        ],
        proptest::option::of(prop_oneof![1u32..=256, 1u32..=65_536]),
    )
        .prop_map(|(cla, ins, p1, p2, data, ne)| {
            CommandApdu::new(cla, ins, p1, p2)
                .with_data(data)
                .with_ne(ne)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn round_trip(kind in any_kind(), seed in any::<u8>(), ssc in any::<u8>(),
                  cmds in proptest::collection::vec((any_command(), proptest::collection::vec(any::<u8>(), 0..300), any::<u16>()), 1..4)) {
        let (mut reader, mut chip) = pair(kind, seed, ssc);
        for (cmd, data, sw) in cmds {
            let protected = reader.wrap(&cmd).unwrap();
            prop_assert_eq!(chip.unwrap_command(&protected).unwrap(), cmd);
            let rsp = ResponseApdu::new(data, StatusWord::new(sw));
            let wrapped = chip.wrap_response(&rsp).unwrap();
            prop_assert_eq!(reader.unwrap(&wrapped).unwrap(), rsp);
        }
        prop_assert_eq!(reader.send_sequence_counter(), chip.send_sequence_counter());
    }

    #[test]
    fn any_bit_flip_of_a_response_is_refused(kind in any_kind(), seed in any::<u8>(),
                                            data in proptest::collection::vec(any::<u8>(), 0..64),
                                            sw in any::<u16>(), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut reader, mut chip) = pair(kind, seed, 7);
        let protected = reader.wrap(&CommandApdu::read_binary(0, 64).unwrap()).unwrap();
        chip.unwrap_command(&protected).unwrap();
        let mut wrapped = chip.wrap_response(&ResponseApdu::new(data, StatusWord::new(sw))).unwrap();
        let i = flip.index(wrapped.len());
        wrapped[i] ^= 1 << bit;
        prop_assert!(reader.unwrap(&wrapped).is_err());
        prop_assert!(!reader.is_open());
    }

    /// Both sides key their cipher and MAC once per session: every
    /// message of a long session must still carry what the one-shot
    /// primitives (keyed from the key bytes each time) compute for its
    /// counter, and decrypt with them.
    #[test]
    fn session_macs_and_cryptograms_match_the_one_shot_primitives(
        kind in any_kind(), seed in any::<u8>(), ssc in any::<u8>(),
        sizes in proptest::collection::vec(0usize..300, 1..8)) {
        let (mut reader, mut chip) = pair(kind, seed, ssc);
        let keys = pair_keys(kind, seed);
        let block = sm::block_len(kind);
        for (i, size) in sizes.into_iter().enumerate() {
            let protected = reader.wrap(&CommandApdu::read_binary(0, 256).unwrap()).unwrap();
            chip.unwrap_command(&protected).unwrap();
            let data: Vec<u8> = (0..size).map(|b| (b as u8) ^ seed).collect();
            let wrapped = chip.wrap_response(&ResponseApdu::new(data.clone(), StatusWord::SUCCESS)).unwrap();
            let counter = pair_ssc(kind, ssc, 2 * i as u128 + 2);
            let n = wrapped.len();
            prop_assert_eq!(macd(&keys, &counter, &wrapped[..n - 12], [0x90, 0x00]), wrapped.clone());
            if size > 0 {
                // DO'87: 87 L 01 || cryptogram, L on one or two bytes.
                let (header, c_len) = if wrapped[1] == 0x81 {
                    (4, usize::from(wrapped[2]) - 1)
                } else if wrapped[1] == 0x82 {
                    (5, usize::from(u16::from_be_bytes([wrapped[2], wrapped[3]])) - 1)
                } else {
                    (3, usize::from(wrapped[1]) - 1)
                };
                let mut plain = wrapped[header..header + c_len].to_vec();
                let mut iv = vec![0u8; block];
                if kind != KeyKind::Tdes {
                    iv.copy_from_slice(&counter);
                    sm::encrypt_cbc(kind, keys.enc(), &vec![0u8; block], &mut iv).unwrap();
                }
                sm::decrypt_cbc(kind, keys.enc(), &iv, &mut plain).unwrap();
                prop_assert_eq!(sm::unpad(&plain, block).unwrap(), &data[..]);
            }
            prop_assert_eq!(reader.unwrap(&wrapped).unwrap().data, data);
        }
    }

    /// Any single-bit flip in a protected command, except in the trailing
    /// `Le` (outside the MAC by design: the card takes `Ne` from DO'97), is
    /// refused by the card, which closes its session.
    #[test]
    fn any_bit_flip_of_a_command_is_refused(kind in any_kind(), seed in any::<u8>(),
                                            cmd in any_command(),
                                            flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut reader, mut chip) = pair(kind, seed, 9);
        let mut protected = reader.wrap(&cmd).unwrap();
        // Extended length (Lc = 00 XX XX) ends in a two-byte Le, short in one.
        let le_len = if protected[4] == 0 { 2 } else { 1 };
        let i = flip.index(protected.len() - le_len);
        protected[i] ^= 1 << bit;
        let err = chip.unwrap_command(&protected).unwrap_err();
        prop_assert!(matches!(err, Error::SecureMessaging(_)), "{:?}", err);
        prop_assert!(!chip.is_open());
    }

    /// The reader's buffer-filling path gives what `unwrap` gives, after
    /// what the buffer held; a flipped bit leaves the buffer alone.
    #[test]
    fn unwrap_into_matches_unwrap(kind in any_kind(), seed in any::<u8>(),
                                  chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 1..5),
                                  flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let (mut reader, mut chip) = pair(kind, seed, 3);
        let mut file = Vec::new();
        for data in &chunks {
            let protected = reader.wrap(&CommandApdu::read_binary(0, 256).unwrap()).unwrap();
            chip.unwrap_command(&protected).unwrap();
            let wrapped = chip.wrap_response(&ResponseApdu::new(data.clone(), StatusWord::SUCCESS)).unwrap();
            prop_assert_eq!(reader.unwrap_into(&wrapped, &mut file).unwrap(), StatusWord::SUCCESS);
        }
        prop_assert_eq!(&file, &chunks.concat());
        let protected = reader.wrap(&CommandApdu::read_binary(0, 256).unwrap()).unwrap();
        chip.unwrap_command(&protected).unwrap();
        let mut wrapped = chip.wrap_response(&ResponseApdu::new(chunks[0].clone(), StatusWord::SUCCESS)).unwrap();
        let i = flip.index(wrapped.len());
        wrapped[i] ^= 1 << bit;
        prop_assert!(reader.unwrap_into(&wrapped, &mut file).is_err());
        prop_assert_eq!(&file, &chunks.concat());
    }

    #[test]
    fn unwrap_never_panics(kind in any_kind(), bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        let (mut reader, mut chip) = pair(kind, 1, 1);
        let _ = reader.unwrap(&bytes);
        let _ = chip.unwrap_command(&bytes);
    }
}
