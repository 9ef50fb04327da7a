use super::*;
#[cfg(feature = "chip")]
use crate::kdf;
use proptest::prelude::*;

/// `../shared`'s files, skipped when absent: the suite's helper, so both
/// kinds of test skip the same way.
#[path = "../../tests/suite/common/shared.rs"]
mod shared;

/// The MRZ text inside a DG1 file of `../shared/testdata` (tag 61, then
/// 5F1F); `None` when the file is absent (the test then skips).
fn dg1_text(path: &str) -> Option<String> {
    let dg1 = shared::shared(&format!("testdata/{path}"))?;
    let at = dg1.windows(2).position(|w| w == [0x5F, 0x1F]).unwrap();
    let len = usize::from(dg1[at + 2]);
    Some(String::from_utf8(dg1[at + 3..at + 3 + len].to_vec()).unwrap())
}

#[cfg_attr(not(feature = "chip"), allow(dead_code))]
fn hex(s: &str) -> Vec<u8> {
    ::hex::decode(s).unwrap()
}

#[test]
fn check_digits_of_doc_9303_examples() {
    // Doc 9303 Part 3 §4.9 worked example: 520727 -> 3; and the App. D fields.
    assert_eq!(check_digit(b"520727"), Some(b'3'));
    assert_eq!(check_digit(b"L898902C<"), Some(b'3'));
    assert_eq!(check_digit(b"690806"), Some(b'1'));
    assert_eq!(check_digit(b"940623"), Some(b'6'));
    assert_eq!(check_digit(b"AB2134<<<"), Some(b'5'));
    assert_eq!(check_digit(b"l"), None);
}

#[test]
#[cfg(feature = "chip")]
fn appendix_d_key_seed() {
    // shared/vectors/icao9303-bac.toml [d1_key_derivation]
    let key = MrzKey::new("L898902C", "690806", "940623").unwrap();
    assert_eq!(key.mrz_information(), b"L898902C<369080619406236");
    assert_eq!(
        key.sha1().as_slice(),
        hex("239AB9CB282DAF66231DC5A4DF6BFBAEDF477565")
    );
    assert_eq!(
        key.key_seed().as_slice(),
        hex("239AB9CB282DAF66231DC5A4DF6BFBAE")
    );
    let seed = key.key_seed();
    assert_eq!(
        kdf::derive(seed.as_slice(), kdf::ENC, kdf::KeyKind::Tdes).as_slice(),
        hex("AB94FDECF2674FDFB9B391F85D7F76F2")
    );
    assert_eq!(
        kdf::derive(seed.as_slice(), kdf::MAC, kdf::KeyKind::Tdes).as_slice(),
        hex("7962D9ECE03D1ACD4C76089DCE131543")
    );
    // The same with the number typed in lower case and with its filler.
    let typed = MrzKey::new("l898902c<", "690806", "940623").unwrap();
    assert_eq!(typed.mrz_information(), key.mrz_information());
}

#[test]
#[cfg(feature = "chip")]
fn des_parity_from_the_raw_vector_keys() {
    // [d1_key_derivation] k_enc_raw -> k_enc, k_mac_raw -> k_mac
    for (raw, adjusted) in [
        (
            "AB94FCEDF2664EDFB9B291F85D7F77F2",
            "AB94FDECF2674FDFB9B391F85D7F76F2",
        ),
        (
            "7862D9ECE03C1BCD4D77089DCF131442",
            "7962D9ECE03D1ACD4C76089DCE131543",
        ),
    ] {
        let mut k = hex(raw);
        kdf::set_des_parity(&mut k);
        assert_eq!(k, hex(adjusted));
    }
}

#[test]
fn access_key_refuses_bad_input_without_echoing_it() {
    let e = MrzKey::new("L8989-02C", "690806", "940623").unwrap_err();
    assert!(matches!(
        e,
        Error::MrzField {
            field: MrzField::DocumentNumber,
            ..
        }
    ));
    assert!(!e.to_string().contains("L8989"));
    assert!(matches!(
        MrzKey::new("L898902C", "691306", "940623"),
        Err(Error::MrzField {
            field: MrzField::DateOfBirth,
            ..
        })
    ));
    assert!(matches!(
        MrzKey::new("L898902C", "690806", "94<<23"),
        Err(Error::MrzField {
            field: MrzField::DateOfExpiry,
            ..
        })
    ));
    assert_eq!(
        format!("{:?}", MrzKey::new("L898902C", "690806", "940623").unwrap()),
        "MrzKey(<redacted>)"
    );
}

#[test]
fn td3_part4_specimen() {
    // shared/testdata/pymrtd/ef/dg1_test_icao_p4_B_TD3.bin (Doc 9303 Part 4 App. B).
    let Some(text) = dg1_text("pymrtd/ef/dg1_test_icao_p4_B_TD3.bin") else {
        return;
    };
    assert_eq!(text.len(), 88);
    let mrz = Mrz::parse(&text).unwrap();
    assert_eq!(text.parse::<Mrz>().unwrap(), mrz, "FromStr is parse");
    assert_eq!(mrz.format, MrzFormat::Td3);
    assert_eq!(mrz.format.name(), "TD3");
    assert_eq!(mrz.document_code, "P");
    assert_eq!(mrz.issuing_state, "UTO");
    assert_eq!(mrz.primary_identifier, "ERIKSSON");
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
    assert_eq!(mrz.document_number, "L898902C3");
    assert_eq!(mrz.nationality, "UTO");
    assert_eq!(
        mrz.date_of_birth,
        MrzDate {
            year: 74,
            month: Some(8),
            day: Some(12)
        }
    );
    assert_eq!(mrz.sex, Sex::Female);
    assert_eq!(
        mrz.date_of_expiry,
        MrzDate {
            year: 12,
            month: Some(4),
            day: Some(15)
        }
    );
    assert_eq!(mrz.optional_data, "ZE184226B");
    assert_eq!(mrz.optional_data_2, None);
    assert_eq!(
        mrz.access_key().mrz_information(),
        b"L898902C3674081221204159"
    );
    // Written back, it is the same text.
    assert_eq!(mrz.encode().unwrap().replace('\n', ""), text);
}

#[test]
fn td3_mustermann_with_an_empty_personal_number() {
    // shared/testdata/jmrtd/lds/bsi2008/Datagroup1.bin: the personal number is all
    // filler and its check digit is '<'.
    let Some(text) = dg1_text("jmrtd/lds/bsi2008/Datagroup1.bin") else {
        return;
    };
    let mrz = Mrz::parse(&text).unwrap();
    assert_eq!(mrz.issuing_state, "D");
    assert_eq!(mrz.nationality, "D");
    assert_eq!(mrz.primary_identifier, "MUSTERMANN");
    assert_eq!(mrz.secondary_identifier, "ERIKA");
    assert_eq!(mrz.document_number, "C11T002JM");
    assert_eq!(mrz.date_of_birth.to_string(), "960812");
    assert_eq!(mrz.date_of_expiry.to_string(), "131031");
    assert_eq!(mrz.optional_data, "");
    assert_eq!(mrz.encode().unwrap().replace('\n', ""), text);
}

#[test]
fn td1_with_a_wrong_composite_is_refused_but_readable() {
    // shared/testdata/pymrtd/ef/dg1_test_icao_p10_A2_1_TD1.bin: the README says the
    // composite is printed 4 and computes to 8.
    let Some(text) = dg1_text("pymrtd/ef/dg1_test_icao_p10_A2_1_TD1.bin") else {
        return;
    };
    assert_eq!(
        Mrz::parse(&text),
        Err(Error::MrzCheckDigit {
            field: MrzField::Composite,
            line: 2,
            position: 30,
            expected: '8',
            found: '4'
        })
    );
    assert_eq!(Mrz::check_digit_errors(&text).unwrap().len(), 1);
    let mrz = Mrz::parse_unchecked(&text).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td1);
    assert_eq!(mrz.document_code, "I");
    assert_eq!(mrz.issuing_state, "NLD");
    assert_eq!(mrz.document_number, "XI85935F8");
    assert_eq!(mrz.optional_data, "999999990");
    assert_eq!(mrz.primary_identifier, "VAN DER STEEN");
    assert_eq!(mrz.secondary_identifier, "MARIANNE LOUISE");
    assert_eq!(mrz.sex, Sex::Female);
    assert_eq!(mrz.date_of_birth.to_string(), "720814");
    assert_eq!(mrz.date_of_expiry.to_string(), "110826");
}

#[test]
fn td1_part5_specimen() {
    // Doc 9303 Part 5 specimen; the testdata README confirms its composite digit 6.
    let mrz = Mrz::parse(
        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    )
    .unwrap();
    assert_eq!(mrz.document_number, "D23145890");
    assert_eq!(mrz.optional_data_2.as_deref(), Some(""));
    assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
}

#[test]
fn td2_with_a_long_document_number() {
    // shared/testdata/pymrtd/ef/dg1_test_icao_p10_A2_2_TD2_modified.bin: the 12-character
    // number overflows into the optional data, check digit 2 after "012".
    let Some(text) = dg1_text("pymrtd/ef/dg1_test_icao_p10_A2_2_TD2_modified.bin") else {
        return;
    };
    let mrz = Mrz::parse(&text).unwrap();
    assert_eq!(mrz.format, MrzFormat::Td2);
    assert_eq!(mrz.document_number, "123456789012");
    assert_eq!(mrz.optional_data, "");
    assert_eq!(mrz.issuing_state, "ATA");
    assert_eq!(mrz.nationality, "HMD");
    assert_eq!(mrz.primary_identifier, "SMITH");
    assert_eq!(mrz.secondary_identifier, "JOHN T");
    assert_eq!(mrz.sex, Sex::Male);
    assert_eq!(
        mrz.access_key().mrz_information(),
        b"123456789012274062211012312"
    );
    assert_eq!(mrz.encode().unwrap().replace('\n', ""), text);
}

#[test]
fn the_cccd_synthetic_vector() {
    // shared/vectors/cccd-mrz.toml
    let mrz = Mrz::parse(
        "IDVNM0990123459001099012345<<0\n9903159M2403155VNM<<<<<<<<<<<2\nNGUYEN<<VAN<A<<<<<<<<<<<<<<<<<",
    )
    .unwrap();
    assert_eq!(mrz.document_code, "ID");
    assert_eq!(mrz.document_number, "099012345");
    assert_eq!(mrz.optional_data, "001099012345<<0");
    assert_eq!(
        mrz.access_key().mrz_information(),
        b"099012345999031592403155"
    );
    #[cfg(feature = "chip")]
    assert_eq!(
        mrz.access_key().key_seed().as_slice(),
        hex("306B1EACF3B8FAD6DCFDB5DED2A01043")
    );
}

#[test]
fn errors_name_line_and_position() {
    let good = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<";
    // A lower-case letter on line 3.
    let bad = good.replace("ERIKSSON", "ERiKSSON");
    assert_eq!(
        Mrz::parse(&bad),
        Err(Error::MrzCharacter {
            line: 3,
            position: 3,
            found: 'i'
        })
    );
    // A flipped digit in the date of birth: its check digit and the composite fail.
    let bad = good.replace("7408122F", "7408132F");
    assert_eq!(
        Mrz::parse(&bad),
        Err(Error::MrzCheckDigit {
            field: MrzField::DateOfBirth,
            line: 2,
            position: 7,
            expected: '3',
            found: '2'
        })
    );
    assert_eq!(Mrz::check_digit_errors(&bad).unwrap().len(), 2);
    // Month 13.
    let bad = good.replace("7408122F", "7413122F");
    assert!(matches!(
        Mrz::parse(&bad),
        Err(Error::MrzField {
            field: MrzField::DateOfBirth,
            line: 2,
            position: 1,
            ..
        })
    ));
    // Sex Z.
    let bad = good.replace("7408122F", "7408122Z");
    assert!(matches!(
        Mrz::parse(&bad),
        Err(Error::MrzField {
            field: MrzField::Sex,
            position: 8,
            ..
        })
    ));
    // Wrong shapes.
    assert!(matches!(Mrz::parse(""), Err(Error::MrzShape { .. })));
    assert!(matches!(
        Mrz::parse(&good[..60]),
        Err(Error::MrzShape { .. })
    ));
    let short_line = good.replacen("<<<<<<<<<<<6", "<<<<<<<<<<6", 1);
    assert!(matches!(
        Mrz::parse(&short_line),
        Err(Error::MrzShape { .. })
    ));
    // One run without newlines, and CR LF, are fine.
    assert!(Mrz::parse(&good.replace('\n', "")).is_ok());
    assert!(Mrz::parse(&good.replace('\n', "\r\n")).is_ok());
    // A '<' check digit with no overflow after it.
    let bad = good.replace("D231458907<", "D23145890<<");
    assert!(matches!(
        Mrz::parse(&bad),
        Err(Error::MrzField {
            field: MrzField::DocumentNumber,
            line: 1,
            position: 16,
            ..
        })
    ));
}

#[test]
fn dates_in_their_century() {
    let today = Date::new(2026, 11, 23).unwrap();
    let d = |s: &str| MrzDate::from_yymmdd(s.as_bytes()).unwrap();
    assert_eq!(d("990315").as_birth_date(today), Date::new(1999, 3, 15));
    assert_eq!(d("260315").as_birth_date(today), Date::new(2026, 3, 15));
    assert_eq!(d("261231").as_birth_date(today), Date::new(1926, 12, 31));
    assert_eq!(d("240315").as_expiry_date(today), Date::new(2024, 3, 15));
    assert_eq!(d("991231").as_expiry_date(today), Date::new(1999, 12, 31));
    assert_eq!(d("751231").as_expiry_date(today), Date::new(2075, 12, 31));
    assert_eq!(d("77<<<<").as_birth_date(today), None);
    assert_eq!(d("77<<<<").year, 77);
    // 29 February: possible in year 00 (2000), not in 01.
    assert!(MrzDate::from_yymmdd(b"000229").is_some());
    assert!(MrzDate::from_yymmdd(b"010229").is_none());
    assert_eq!(d("000229").in_century(1900), None);
}

fn name_words() -> impl Strategy<Value = String> {
    proptest::collection::vec("[A-Z]{1,6}", 0..3).prop_map(|w| w.join(" "))
}

fn date() -> impl Strategy<Value = MrzDate> {
    (0u8..100, 1u8..=12, 1u8..=28).prop_map(|(year, m, d)| MrzDate {
        year,
        month: Some(m),
        day: Some(d),
    })
}

prop_compose! {
    fn any_mrz()(
        format in prop_oneof![Just(MrzFormat::Td1), Just(MrzFormat::Td2), Just(MrzFormat::Td3)],
        code in "[A-Z][A-Z<]?",
        state in "[A-Z]{1,3}",
        short_number in "[A-Z0-9]{1,9}",
        long_tail in "[0-9]{1,3}",
        long in any::<bool>(),
        optional in "([A-Z0-9]{1,4})?",
        primary in "[A-Z]{1,8}( [A-Z]{1,5})?",
        secondary in name_words(),
        dob in date(),
        doe in date(),
        sex in prop_oneof![Just(Sex::Male), Just(Sex::Female), Just(Sex::Unspecified)],
        nationality in "[A-Z]{1,3}",
        opt2 in "([A-Z0-9]{1,5})?",
    ) -> Mrz {
        let long = long && format != MrzFormat::Td3 && short_number.len() == 9;
        Mrz {
            format,
            document_code: code.trim_end_matches('<').to_string(),
            issuing_state: state,
            document_number: if long { format!("{short_number}{long_tail}") } else { short_number },
            optional_data: if long && format == MrzFormat::Td2 { String::new() } else { optional },
            optional_data_2: (format == MrzFormat::Td1).then_some(opt2),
            date_of_birth: dob,
            sex,
            date_of_expiry: doe,
            nationality,
            primary_identifier: primary,
            secondary_identifier: secondary,
        }
    }
}

proptest! {
    #[test]
    fn encode_then_parse_is_the_identity(mrz in any_mrz()) {
        let text = mrz.encode().unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        prop_assert_eq!(lines.len(), mrz.format.lines());
        prop_assert!(lines.iter().all(|l| l.len() == mrz.format.line_len()));
        prop_assert_eq!(Mrz::parse(&text), Ok(mrz));
    }

    #[test]
    fn any_single_substitution_in_a_digit_field_is_caught(mrz in any_mrz(), pos in 0usize..6, digit in 0u8..10) {
        // Changing one digit of the date of birth changes its check digit.
        let text = mrz.encode().unwrap();
        let (line, start) = match mrz.format { MrzFormat::Td1 => (1, 0), _ => (1, 13) };
        let mut lines: Vec<Vec<u8>> = text.split('\n').map(|l| l.as_bytes().to_vec()).collect();
        let c = &mut lines[line][start + pos];
        prop_assume!(*c != b'0' + digit);
        *c = b'0' + digit;
        let changed = String::from_utf8(lines.join(&b'\n')).unwrap();
        prop_assert!(Mrz::parse(&changed).is_err());
    }

    #[test]
    fn parse_never_panics(s in "[A-Z0-9<\n]{0,100}") {
        let _ = Mrz::parse(&s);
        let _ = Mrz::check_digit_errors(&s);
    }

    #[test]
    fn parse_never_panics_on_any_text(s in "\\PC{0,100}") {
        let _ = Mrz::parse(&s);
    }

    #[test]
    fn parse_never_panics_near_valid_shapes(s in "[A-Z0-9<]{88}|[A-Z0-9<]{72}|[A-Z0-9<]{90}") {
        let _ = Mrz::parse(&s);
    }
}
