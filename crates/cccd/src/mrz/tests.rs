use super::*;
use icao9303::kdf;

/// shared/vectors/cccd-mrz.toml, as the crate carries it (tests/data: a
/// packaged crate has no ../shared).
fn vector() -> toml::Table {
    include_str!("../../tests/data/cccd-mrz.toml")
        .parse()
        .unwrap()
}

fn get<'a>(t: &'a toml::Table, table: &str, key: &str) -> &'a str {
    t[table][key].as_str().unwrap()
}

fn lines(v: &toml::Table) -> String {
    ["line1", "line2", "line3"]
        .map(|l| get(v, "mrz", l))
        .join("\n")
}

#[test]
fn the_vector_mrz_has_the_cccd_layout() {
    let v = vector();
    let card = CccdMrz::parse(&lines(&v)).unwrap();
    assert_eq!(
        lines(&v).parse::<CccdMrz>().unwrap(),
        card,
        "FromStr is parse"
    );
    assert_eq!(card.id_number.as_str(), get(&v, "card", "id_number"));
    assert_eq!(card.mrz.document_number, get(&v, "mrz", "document_number"));
    assert_eq!(card.mrz.optional_data, get(&v, "mrz", "optional_data_1"));
    assert_eq!(card.mrz.primary_identifier, get(&v, "card", "surname"));
    assert_eq!(
        card.mrz.secondary_identifier,
        get(&v, "card", "given_names")
    );
    assert_eq!(
        card.mrz.date_of_birth.to_string(),
        get(&v, "card", "date_of_birth")
    );
    assert_eq!(
        card.mrz.date_of_expiry.to_string(),
        get(&v, "card", "date_of_expiry")
    );
}

#[test]
fn the_vector_keys() {
    let v = vector();
    let id = IdNumber::parse(get(&v, "card", "id_number")).unwrap();
    let key = access_key(
        &id,
        get(&v, "card", "date_of_birth"),
        get(&v, "card", "date_of_expiry"),
    )
    .unwrap();
    assert_eq!(
        key.mrz_information(),
        get(&v, "bac", "mrz_information").as_bytes()
    );
    assert_eq!(
        hex::encode_upper(key.sha1().as_slice()),
        get(&v, "bac", "sha1_mrz_information")
    );
    assert_eq!(
        hex::encode_upper(key.key_seed().as_slice()),
        get(&v, "bac", "k_seed")
    );
    let seed = key.key_seed();
    let enc = kdf::derive(seed.as_slice(), kdf::ENC, kdf::KeyKind::Tdes);
    let mac = kdf::derive(seed.as_slice(), kdf::MAC, kdf::KeyKind::Tdes);
    assert_eq!(hex::encode_upper(enc.as_slice()), get(&v, "bac", "k_enc"));
    assert_eq!(hex::encode_upper(mac.as_slice()), get(&v, "bac", "k_mac"));
    let k_pi = kdf::derive(key.sha1().as_slice(), kdf::PACE, kdf::KeyKind::Aes128);
    assert_eq!(
        hex::encode_upper(k_pi.as_slice()),
        get(&v, "derived", "pace_k_pi_aes128")
    );
    // The key from the parsed MRZ is the same.
    let card = CccdMrz::parse(&lines(&v)).unwrap();
    assert_eq!(card.access_key().mrz_information(), key.mrz_information());
}

#[test]
fn building_the_vector_card_writes_its_lines() {
    let v = vector();
    let card = CccdMrz::new(
        IdNumber::parse("001099012345").unwrap(),
        "NGUYEN",
        "VAN A",
        Date::new(1999, 3, 15).unwrap(),
        Sex::Male,
        Some(Date::new(2024, 3, 15).unwrap()),
    );
    assert_eq!(card.mrz.encode().unwrap(), lines(&v));
}

#[test]
fn a_card_without_expiry_carries_991231() {
    let id = IdNumber::parse("001099012345").unwrap();
    let card = CccdMrz::new(
        id,
        "NGUYEN",
        "VAN A",
        Date::new(1999, 3, 15).unwrap(),
        Sex::Male,
        None,
    );
    let text = card.mrz.encode().unwrap();
    // 9*7 + 9*3 + 1*1 + 2*7 + 3*3 + 1*1 = 115: check digit 5.
    assert_eq!(text.split('\n').nth(1).unwrap().get(8..15), Some("9912315"));
    assert_eq!(CccdMrz::parse(&text).unwrap(), card);
    assert_eq!(
        card.access_key().mrz_information(),
        access_key(&id, "990315", "991231")
            .unwrap()
            .mrz_information()
    );
}

#[test]
fn layouts_that_are_not_a_cccd_are_refused() {
    let v = vector();
    let good = lines(&v);
    // A passport TD3.
    let td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    assert!(matches!(CccdMrz::parse(td3), Err(Error::CccdMrz { .. })));
    // Another issuing state (check digits still valid: the state is not in the composite).
    let other = good.replacen("IDVNM", "IDUTO", 1);
    assert!(matches!(CccdMrz::parse(&other), Err(Error::CccdMrz { .. })));
    // A wrong check digit is an ICAO error.
    let bad = good.replacen("9903159", "9903169", 1);
    assert!(matches!(CccdMrz::parse(&bad), Err(Error::Icao(_))));
    // The optional data's ID check digit.
    let mrz = icao9303::mrz::Mrz {
        optional_data: "001099012345<<1".into(),
        ..CccdMrz::parse(&good).unwrap().mrz
    };
    assert!(matches!(CccdMrz::from_mrz(mrz), Err(Error::CccdMrz { .. })));
    // Document number not the last 9 digits of the ID.
    let mrz = icao9303::mrz::Mrz {
        document_number: "099012346".into(),
        ..CccdMrz::parse(&good).unwrap().mrz
    };
    assert!(matches!(CccdMrz::from_mrz(mrz), Err(Error::CccdMrz { .. })));
}

#[test]
fn keys_from_the_qr_fields_follow_the_law() {
    let v = vector();
    let id = IdNumber::parse("001099012345").unwrap();
    // Born 1999-03-15, issued at 22: the vector's expiry, 2024-03-15.
    let keys = access_keys(
        &id,
        Date::new(1999, 3, 15).unwrap(),
        Date::new(2021, 7, 1).unwrap(),
    )
    .unwrap();
    assert_eq!(keys.len(), 1);
    assert!(!keys.is_empty());
    assert_eq!(
        keys.key().mrz_information(),
        get(&v, "bac", "mrz_information").as_bytes()
    );
    assert_eq!(keys.expiry().date(), Some(Date::new(2024, 3, 15).unwrap()));
    // Issued at 59: no expiry, 991231.
    let keys = access_keys(
        &id,
        Date::new(1962, 1, 1).unwrap(),
        Date::new(2021, 5, 9).unwrap(),
    )
    .unwrap();
    assert_eq!(keys.key().mrz_information(), b"099012345962010169912315");
    // The 58th birthday: no expiry first, then the 60th birthday (check
    // digits by hand, 7-3-1: 640901 -> 118 -> 8, 240901 -> 90 -> 0).
    let keys = access_keys(
        &id,
        Date::new(1964, 9, 1).unwrap(),
        Date::new(2022, 9, 1).unwrap(),
    )
    .unwrap();
    let infos: Vec<(Option<Date>, Vec<u8>)> = keys
        .candidates()
        .map(|c| (c.date_of_expiry, c.key.mrz_information().to_vec()))
        .collect();
    assert_eq!(
        infos,
        vec![
            (None, b"099012345964090189912315".to_vec()),
            (
                Some(Date::new(2024, 9, 1).unwrap()),
                b"099012345964090182409010".to_vec()
            ),
        ]
    );
    // The key stays out of Debug.
    let shown = format!("{keys:?}");
    assert!(!shown.contains("099012345"), "{shown}");
}
