//! BAC against Doc 9303 Part 11 D.1 and D.3 (tests/data/icao9303-bac.toml,
//! a copy of the shared vectors), then on into the D.4 secure messaging
//! session; negative tests for every check.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::VecDeque;
use std::convert::Infallible;

use icao9303::Error;
use icao9303::apdu::{CommandApdu, ResponseApdu, StatusWord};
use icao9303::bac::{self, Bac, BacErrorKind, CardBac};
use icao9303::kdf::{self, KeyKind};
use icao9303::mrz::MrzKey;
use icao9303::sm::{self, SessionKeys};
use icao9303::transport::{Transport, TransportError};
use toml::Value;

fn vectors() -> Value {
    crate::data::vectors("icao9303-bac.toml")
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{key} missing"))
}

fn h(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(s(v, key)).unwrap()
}

fn arr<const N: usize>(v: &Value, key: &str) -> [u8; N] {
    h(v, key).try_into().unwrap()
}

fn d1_key(v: &Value) -> MrzKey {
    let d1 = v.get("d1_key_derivation").unwrap();
    MrzKey::new(
        s(d1, "document_number"),
        s(d1, "date_of_birth"),
        s(d1, "date_of_expiry"),
    )
    .unwrap()
}

#[test]
fn d1_key_derivation() {
    let v = vectors();
    let d1 = v.get("d1_key_derivation").unwrap();
    let key = d1_key(&v);
    assert_eq!(key.mrz_information(), s(d1, "mrz_information").as_bytes());
    let info = s(d1, "mrz_information");
    assert_eq!(&info[9..10], s(d1, "document_number_check_digit"));
    assert_eq!(&info[16..17], s(d1, "date_of_birth_check_digit"));
    assert_eq!(&info[23..24], s(d1, "date_of_expiry_check_digit"));
    assert_eq!(key.sha1().to_vec(), h(d1, "sha1_mrz_information"));
    assert_eq!(key.key_seed().to_vec(), h(d1, "k_seed"));
    let keys = bac::document_keys(&key);
    assert_eq!(keys.kind(), KeyKind::Tdes);
    assert_eq!(keys.enc(), h(d1, "k_enc"));
    assert_eq!(keys.mac(), h(d1, "k_mac"));
    // The raw KDF outputs differ from the keys only by their parity bits.
    for (raw, adjusted) in [("k_enc_raw", "k_enc"), ("k_mac_raw", "k_mac")] {
        let mut k = h(d1, raw);
        kdf::set_des_parity(&mut k);
        assert_eq!(k, h(d1, adjusted));
    }
    assert_eq!(Bac::new(&key).keys().enc(), h(d1, "k_enc"));
}

/// Runs D.3 through the state machine and returns the session.
fn d3_session(v: &Value) -> icao9303::sm::SecureMessaging {
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let bac = Bac::new(&d1_key(v));
    assert_eq!(
        bac.get_challenge().to_bytes().unwrap(),
        h(d3, "get_challenge_command")
    );
    let challenge = ResponseApdu::parse(&h(d3, "get_challenge_response")).unwrap();
    assert_eq!(challenge.data, h(d3, "rnd_ic"));
    let (waiting, command) = bac
        .on_challenge(&challenge, &arr(d3, "rnd_ifd"), &arr(d3, "k_ifd"))
        .unwrap();
    assert_eq!(
        command.to_bytes().unwrap(),
        h(d3, "external_authenticate_command")
    );
    assert_eq!(command.data, h(d3, "cmd_data"));
    let mut answer = h(d3, "resp_data");
    answer.extend_from_slice(&[0x90, 0x00]);
    waiting
        .on_response(&ResponseApdu::parse(&answer).unwrap())
        .unwrap()
}

#[test]
fn d3_mutual_authentication() {
    let v = vectors();
    let d1 = v.get("d1_key_derivation").unwrap();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let (k_enc, k_mac) = (h(d1, "k_enc"), h(d1, "k_mac"));

    // The pieces of the reader's cryptogram.
    let mut s_ = h(d3, "s");
    assert_eq!(
        s_,
        [h(d3, "rnd_ifd"), h(d3, "rnd_ic"), h(d3, "k_ifd")].concat()
    );
    sm::encrypt_cbc(KeyKind::Tdes, &k_enc, &[0; 8], &mut s_).unwrap();
    assert_eq!(s_, h(d3, "e_ifd"));
    assert_eq!(
        sm::mac(KeyKind::Tdes, &k_mac, &sm::pad(&s_, 8))
            .unwrap()
            .to_vec(),
        h(d3, "m_ifd")
    );
    assert_eq!(h(d3, "cmd_data"), [h(d3, "e_ifd"), h(d3, "m_ifd")].concat());

    // The pieces of the chip's.
    assert_eq!(h(d3, "resp_data"), [h(d3, "e_ic"), h(d3, "m_ic")].concat());
    assert_eq!(
        sm::mac(KeyKind::Tdes, &k_mac, &sm::pad(&h(d3, "e_ic"), 8))
            .unwrap()
            .to_vec(),
        h(d3, "m_ic")
    );
    let mut r = h(d3, "e_ic");
    sm::decrypt_cbc(KeyKind::Tdes, &k_enc, &[0; 8], &mut r).unwrap();
    assert_eq!(r, h(d3, "r"));
    assert_eq!(r[16..], h(d3, "k_ic"));
    let seed: Vec<u8> = h(d3, "k_ifd")
        .iter()
        .zip(h(d3, "k_ic"))
        .map(|(a, b)| a ^ b)
        .collect();
    assert_eq!(seed, h(d3, "k_seed_session"));

    // Session keys and counter.
    let keys = bac::session_keys(&arr(d3, "k_ifd"), &arr(d3, "k_ic"));
    assert_eq!(keys.enc(), h(d3, "ks_enc"));
    assert_eq!(keys.mac(), h(d3, "ks_mac"));
    let derived = d3.get("derived").unwrap();
    for (raw, adjusted) in [("ks_enc_raw", "ks_enc"), ("ks_mac_raw", "ks_mac")] {
        let mut k = h(derived, raw);
        kdf::set_des_parity(&mut k);
        assert_eq!(k, h(d3, adjusted));
    }
    assert_eq!(
        bac::initial_ssc(&arr(d3, "rnd_ic"), &arr(d3, "rnd_ifd")).to_vec(),
        h(d3, "ssc")
    );

    // The state machine gives the session the D.4 example continues with.
    let mut session = d3_session(&v);
    assert_eq!(session.send_sequence_counter(), h(d3, "ssc"));
    let d4 = v.get("d4_secure_messaging").unwrap();
    assert_eq!(h(d4, "ks_enc"), h(d3, "ks_enc"));
    assert_eq!(h(d4, "ssc_initial"), h(d3, "ssc"));
    for ex in d4.get("exchange").and_then(Value::as_array).unwrap() {
        let cmd = CommandApdu::parse(&h(ex, "command")).unwrap();
        assert_eq!(session.wrap(&cmd).unwrap(), h(ex, "protected_command"));
        session.unwrap(&h(ex, "protected_response")).unwrap();
    }
    assert_eq!(session.send_sequence_counter(), h(d4, "ssc_final"));
}

fn d3_challenged(v: &Value) -> (bac::BacChallenged, SessionKeys) {
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let key = d1_key(v);
    let challenge = ResponseApdu::parse(&h(d3, "get_challenge_response")).unwrap();
    let (waiting, _) = Bac::new(&key)
        .on_challenge(&challenge, &arr(d3, "rnd_ifd"), &arr(d3, "k_ifd"))
        .unwrap();
    (waiting, bac::document_keys(&key))
}

/// The chip's answer over `r` (RND.IC || RND.IFD || K.IC), correctly MAC'd.
fn chip_answer(keys: &SessionKeys, r: &[u8]) -> ResponseApdu {
    let mut e = r.to_vec();
    sm::encrypt_cbc(KeyKind::Tdes, keys.enc(), &[0; 8], &mut e).unwrap();
    let m = sm::mac(KeyKind::Tdes, keys.mac(), &sm::pad(&e, 8)).unwrap();
    ResponseApdu::new([e, m.to_vec()].concat(), StatusWord::SUCCESS)
}

#[test]
fn wrong_mac_is_refused() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let good = h(d3, "resp_data");
    for bit in 0..good.len() * 8 {
        let (waiting, _) = d3_challenged(&v);
        let mut bad = good.clone();
        bad[bit / 8] ^= 0x80 >> (bit % 8);
        let e = waiting
            .on_response(&ResponseApdu::new(bad, StatusWord::SUCCESS))
            .unwrap_err();
        assert_eq!(e, Error::Bac(BacErrorKind::BadMac), "bit {bit}");
    }
    // The right answer under another MRZ's keys.
    let challenge = ResponseApdu::parse(&h(d3, "get_challenge_response")).unwrap();
    let other = MrzKey::new("L898902C<", "690806", "940624").unwrap();
    let (waiting, _) = Bac::new(&other)
        .on_challenge(&challenge, &arr(d3, "rnd_ifd"), &arr(d3, "k_ifd"))
        .unwrap();
    assert_eq!(
        waiting
            .on_response(&ResponseApdu::new(good, StatusWord::SUCCESS))
            .unwrap_err(),
        Error::Bac(BacErrorKind::BadMac)
    );
}

#[test]
fn wrong_rnd_echo_is_refused() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let r = h(d3, "r");
    // RND.IFD not echoed.
    let mut bad = r.clone();
    bad[8] ^= 1;
    let (waiting, keys) = d3_challenged(&v);
    assert_eq!(
        waiting.on_response(&chip_answer(&keys, &bad)).unwrap_err(),
        Error::Bac(BacErrorKind::WrongRndIfd)
    );
    // RND.IC not the challenge.
    let mut bad = r.clone();
    bad[0] ^= 1;
    let (waiting, keys) = d3_challenged(&v);
    assert_eq!(
        waiting.on_response(&chip_answer(&keys, &bad)).unwrap_err(),
        Error::Bac(BacErrorKind::WrongRndIc)
    );
    // The same construction with R untouched passes.
    let (waiting, keys) = d3_challenged(&v);
    assert!(waiting.on_response(&chip_answer(&keys, &r)).is_ok());
}

#[test]
fn bad_lengths_and_status_words_are_refused() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let key = d1_key(&v);
    let (rnd, k) = (arr(d3, "rnd_ifd"), arr(d3, "k_ifd"));
    let e = Bac::new(&key)
        .on_challenge(
            &ResponseApdu::new(vec![1; 7], StatusWord::SUCCESS),
            &rnd,
            &k,
        )
        .unwrap_err();
    assert_eq!(e, Error::Bac(BacErrorKind::ChallengeLength { len: 7 }));
    let e = Bac::new(&key)
        .on_challenge(
            &ResponseApdu::new(vec![], StatusWord::INS_NOT_SUPPORTED),
            &rnd,
            &k,
        )
        .unwrap_err();
    assert_eq!(
        e,
        Error::StatusWord {
            command: "GET CHALLENGE",
            sw: StatusWord::INS_NOT_SUPPORTED
        }
    );

    let (waiting, _) = d3_challenged(&v);
    let e = waiting
        .on_response(&ResponseApdu::new(vec![], StatusWord::VERIFICATION_FAILED))
        .unwrap_err();
    assert_eq!(
        e,
        Error::StatusWord {
            command: "MUTUAL AUTHENTICATE",
            sw: StatusWord::VERIFICATION_FAILED
        }
    );
    let (waiting, _) = d3_challenged(&v);
    let mut short = h(d3, "resp_data");
    short.pop();
    let e = waiting
        .on_response(&ResponseApdu::new(short, StatusWord::SUCCESS))
        .unwrap_err();
    assert_eq!(e, Error::Bac(BacErrorKind::ResponseLength { len: 39 }));

    assert!(
        Bac::with_keys(SessionKeys::new(KeyKind::Aes128, &[0; 16], &[0; 16]).unwrap()).is_err()
    );
    assert!(Bac::with_keys(bac::document_keys(&key)).is_ok());
    assert!(format!("{:?}", d3_challenged(&v).0).contains("redacted"));
}

/// A card that answers from a script and checks each command byte for byte.
struct Script(VecDeque<(Vec<u8>, Vec<u8>)>);

impl Transport for Script {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let (expected, answer) = self.0.pop_front().expect("no more commands expected");
        assert_eq!(hex::encode_upper(apdu), hex::encode_upper(expected));
        Ok(answer)
    }
}

/// Hands out fixed bytes.
struct Fixed(Vec<u8>);

impl rand_core::TryRng for Fixed {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_be_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        let rest = self.0.split_off(dst.len());
        dst.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Fixed {}

#[test]
fn authenticate_over_a_transport() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let mut script = VecDeque::new();
    script.push_back((
        h(d3, "get_challenge_command"),
        h(d3, "get_challenge_response"),
    ));
    script.push_back((
        h(d3, "external_authenticate_command"),
        [h(d3, "resp_data"), vec![0x90, 0x00]].concat(),
    ));
    for ex in d4.get("exchange").and_then(Value::as_array).unwrap() {
        script.push_back((h(ex, "protected_command"), h(ex, "protected_response")));
    }
    let mut card = Script(script);
    let mut rng = Fixed([h(d3, "rnd_ifd"), h(d3, "k_ifd")].concat());
    let mut session = bac::authenticate(&mut card, &d1_key(&v), &mut rng).unwrap();
    let mut ef_com = Vec::new();
    for ex in d4.get("exchange").and_then(Value::as_array).unwrap() {
        let cmd = CommandApdu::parse(&h(ex, "command")).unwrap();
        let rsp = session.transmit(&mut card, &cmd).unwrap();
        assert!(rsp.is_success());
        ef_com.extend_from_slice(&rsp.data);
    }
    assert_eq!(ef_com, h(d4, "ef_com"));
    assert!(card.0.is_empty());

    // A wrong MRZ: the chip answers 6300 (as real chips do), BAC reports it.
    let mut script = VecDeque::new();
    script.push_back((
        h(d3, "get_challenge_command"),
        h(d3, "get_challenge_response"),
    ));
    let mut card = Script(script);
    struct Refuse<'a>(&'a mut Script);
    impl Transport for Refuse<'_> {
        fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
            if self.0.0.is_empty() {
                Ok(vec![0x63, 0x00])
            } else {
                self.0.transmit(apdu)
            }
        }
    }
    let mut rng = Fixed([h(d3, "rnd_ifd"), h(d3, "k_ifd")].concat());
    let other = MrzKey::new("L898902C<", "690806", "940624").unwrap();
    assert_eq!(
        bac::authenticate(&mut Refuse(&mut card), &other, &mut rng).unwrap_err(),
        Error::StatusWord {
            command: "MUTUAL AUTHENTICATE",
            sw: StatusWord::VERIFICATION_FAILED
        }
    );
}

// ---- the chip's side ------------------------------------------------------------

#[test]
fn card_side_reproduces_d3_and_d4() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let d4 = v.get("d4_secure_messaging").unwrap();
    let mut chip = CardBac::new(&d1_key(&v));
    assert!(format!("{chip:?}").contains("redacted"));
    let challenge = chip.get_challenge(&arr(d3, "rnd_ic"));
    assert_eq!(challenge.to_bytes(), h(d3, "get_challenge_response"));
    let command = CommandApdu::parse(&h(d3, "external_authenticate_command")).unwrap();
    let (answer, mut card_sm) = chip
        .mutual_authenticate(&command, &arr(d3, "k_ic"))
        .unwrap();
    assert_eq!(answer.data, h(d3, "resp_data"));
    assert_eq!(answer.sw, StatusWord::SUCCESS);
    assert_eq!(card_sm.send_sequence_counter(), h(d3, "ssc"));
    // The card's session answers the D.4 commands with the D.4 responses.
    for ex in d4.get("exchange").and_then(Value::as_array).unwrap() {
        let plain = card_sm.unwrap_command(&h(ex, "protected_command")).unwrap();
        assert_eq!(plain, CommandApdu::parse(&h(ex, "command")).unwrap());
        let data = ex
            .get("response_data")
            .map(|_| h(ex, "response_data"))
            .unwrap_or_default();
        let wrapped = card_sm
            .wrap_response(&ResponseApdu::new(data, StatusWord::SUCCESS))
            .unwrap();
        assert_eq!(wrapped, h(ex, "protected_response"));
    }
}

#[test]
fn card_side_refuses_bad_cryptograms() {
    let v = vectors();
    let d3 = v.get("d3_mutual_authentication").unwrap();
    let key = d1_key(&v);
    let good = CommandApdu::parse(&h(d3, "external_authenticate_command")).unwrap();
    let k_ic = arr(d3, "k_ic");

    // No challenge, and a challenge spent by a failed attempt.
    let mut chip = CardBac::new(&key);
    let e = chip.mutual_authenticate(&good, &k_ic).unwrap_err();
    assert_eq!(e, Error::Bac(BacErrorKind::NoChallenge));
    assert_eq!(
        BacErrorKind::NoChallenge.card_status(),
        StatusWord::CONDITIONS_NOT_SATISFIED
    );

    // Every bit of the cryptogram and its MAC.
    for bit in 0..good.data.len() * 8 {
        let mut chip = CardBac::new(&key);
        chip.get_challenge(&arr(d3, "rnd_ic"));
        let mut bad = good.clone();
        bad.data[bit / 8] ^= 0x80 >> (bit % 8);
        assert_eq!(
            chip.mutual_authenticate(&bad, &k_ic).unwrap_err(),
            Error::Bac(BacErrorKind::BadMac)
        );
        // The challenge is spent.
        assert_eq!(
            chip.mutual_authenticate(&good, &k_ic).unwrap_err(),
            Error::Bac(BacErrorKind::NoChallenge)
        );
    }
    assert_eq!(
        BacErrorKind::BadMac.card_status(),
        StatusWord::VERIFICATION_FAILED
    );

    // Another challenge than the one in the cryptogram.
    let mut chip = CardBac::new(&key);
    chip.get_challenge(&[0; 8]);
    assert_eq!(
        chip.mutual_authenticate(&good, &k_ic).unwrap_err(),
        Error::Bac(BacErrorKind::WrongRndIc)
    );

    // A wrong length.
    let mut chip = CardBac::new(&key);
    chip.get_challenge(&arr(d3, "rnd_ic"));
    let short = CommandApdu::mutual_authenticate(vec![0; 39], 40);
    let e = chip.mutual_authenticate(&short, &k_ic).unwrap_err();
    assert_eq!(e, Error::Bac(BacErrorKind::CommandLength { len: 39 }));
    assert_eq!(
        BacErrorKind::CommandLength { len: 39 }.card_status(),
        StatusWord::WRONG_LENGTH
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

    #[test]
    fn reader_and_card_agree(number in "[A-Z0-9]{9}", dob in 0u32..999_999, rnd_ic in proptest::prelude::any::<[u8; 8]>(),
                             rnd_ifd in proptest::prelude::any::<[u8; 8]>(), k_ifd in proptest::prelude::any::<[u8; 16]>(),
                             k_ic in proptest::prelude::any::<[u8; 16]>(), data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
        let dob = format!("{:02}{:02}{:02}", dob % 100, 1 + (dob / 100) % 12, 1 + (dob / 1200) % 28);
        let key = MrzKey::new(&number, &dob, "301231").unwrap();
        let reader = Bac::new(&key);
        let mut chip = CardBac::new(&key);
        let challenge = chip.get_challenge(&rnd_ic);
        let (waiting, command) = reader.on_challenge(&challenge, &rnd_ifd, &k_ifd).unwrap();
        let (answer, mut card_sm) = chip.mutual_authenticate(&command, &k_ic).unwrap();
        let mut sm = waiting.on_response(&answer).unwrap();
        let cmd = CommandApdu::read_binary(0, 0xDF).unwrap();
        proptest::prop_assert_eq!(card_sm.unwrap_command(&sm.wrap(&cmd).unwrap()).unwrap(), cmd);
        let rsp = ResponseApdu::new(data, StatusWord::SUCCESS);
        proptest::prop_assert_eq!(sm.unwrap(&card_sm.wrap_response(&rsp).unwrap()).unwrap(), rsp);
    }
}
