use super::*;
use proptest::prelude::*;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::is_nfc;

const SEVEN: &str =
    "001099012345|123456789|Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";

fn field_error(payload: &str) -> (QrField, usize) {
    match QrPayload::parse(payload.as_bytes()) {
        Err(Error::QrField { field, offset, .. }) => (field, offset),
        other => panic!("{payload:?}: {other:?}"),
    }
}

#[test]
fn seven_fields() {
    let qr = QrPayload::parse(SEVEN.as_bytes()).unwrap();
    assert_eq!(qr.id_number.as_str(), "001099012345");
    assert_eq!(qr.old_id_number, Some("123456789"));
    assert_eq!(qr.full_name, "Nguyễn Văn An");
    assert!(matches!(qr.full_name, Cow::Borrowed(_)));
    assert_eq!(qr.date_of_birth, Date::new(1999, 3, 15).unwrap());
    assert_eq!(qr.sex, Sex::Male);
    assert_eq!(qr.address, "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
    assert!(matches!(qr.address, Cow::Borrowed(_)));
    assert_eq!(qr.issue_date, Date::new(2021, 7, 1).unwrap());
    assert!(qr.extra_fields.is_empty());
}

#[test]
fn old_number_may_be_empty() {
    let qr = QrPayload::parse(
        "079303001234||Trần Thị Bích Ngọc|29022004|Nữ|Phường Bến Nghé, Quận 1, Hồ Chí Minh|10102022"
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(qr.old_id_number, None);
    assert_eq!(qr.sex, Sex::Female);
    assert_eq!(qr.date_of_birth, Date::new(2004, 2, 29).unwrap());
}

#[test]
fn eleven_fields_of_cards_from_july_2024_are_kept() {
    let payload = format!("{SEVEN}||||");
    let qr = QrPayload::parse(payload.as_bytes()).unwrap();
    assert_eq!(qr.extra_fields, vec!["", "", "", ""]);
    let payload = format!("{SEVEN}|a|Bình|c|");
    let qr = QrPayload::parse(payload.as_bytes()).unwrap();
    assert_eq!(qr.extra_fields, vec!["a", "Bình", "c", ""]);
    assert_eq!(qr.to_owned_data().to_payload(), payload);
}

#[test]
fn trailing_line_ends_are_tolerated() {
    for end in ["\n", "\r\n", "\r", "\r\n\r\n"] {
        let payload = format!("{SEVEN}{end}");
        let qr = QrPayload::parse(payload.as_bytes()).unwrap();
        assert_eq!(qr.issue_date, Date::new(2021, 7, 1).unwrap(), "{end:?}");
    }
}

#[test]
fn decomposed_text_is_normalised_to_nfc() {
    let nfd: String = SEVEN.replace("Nam", "Nữ").nfd().collect();
    assert_ne!(nfd, SEVEN.replace("Nam", "Nữ"));
    let qr = QrPayload::parse(nfd.as_bytes()).unwrap();
    assert_eq!(qr.full_name, "Nguyễn Văn An");
    assert!(matches!(qr.full_name, Cow::Owned(_)));
    assert_eq!(qr.address, "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
    assert_eq!(qr.sex, Sex::Female);
}

#[test]
fn each_invalid_field_is_named_with_its_offset() {
    // offsets: id 0, old 13, name 23, dob 23+len(name)+1 ...
    let name_len = "Nguyễn Văn An".len();
    let dob_at = 23 + name_len + 1;
    let sex_at = dob_at + 9;
    let address_len = "Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội".len();
    let issue_at = sex_at + 4 + address_len + 1;
    assert_eq!(
        field_error(&SEVEN.replace("001099012345", "00109901234")),
        (QrField::IdNumber, 0)
    );
    assert_eq!(
        field_error(&SEVEN.replace("001099012345", "00109901234x")),
        (QrField::IdNumber, 0)
    );
    assert_eq!(
        field_error(&SEVEN.replace("123456789", "12345678")),
        (QrField::OldIdNumber, 13)
    );
    assert_eq!(
        field_error(&SEVEN.replace("Nguyễn Văn An", " ")),
        (QrField::FullName, 23)
    );
    assert_eq!(
        field_error(&SEVEN.replace("15031999", "30021999")),
        (QrField::DateOfBirth, dob_at)
    );
    assert_eq!(
        field_error(&SEVEN.replace("15031999", "1503199")),
        (QrField::DateOfBirth, dob_at)
    );
    assert_eq!(
        field_error(&SEVEN.replace("|Nam|", "|nam|")),
        (QrField::Sex, sex_at)
    );
    assert_eq!(
        field_error(&SEVEN.replace("|Nam|", "|Male|")),
        (QrField::Sex, sex_at)
    );
    assert_eq!(
        field_error(&SEVEN.replace("01072021", "01131999")),
        (QrField::IssueDate, issue_at)
    );
    // Issued before birth.
    assert_eq!(
        field_error(&SEVEN.replace("01072021", "01011990")),
        (QrField::IssueDate, issue_at)
    );
}

#[test]
fn too_few_fields_name_the_first_missing_one_and_where() {
    let six = b"001099012345||Nguyen Van An|15031999|Nam|Ha Noi";
    assert_eq!(
        QrPayload::parse(six),
        Err(Error::QrFieldCount {
            found: 6,
            missing: QrField::IssueDate,
            offset: six.len(),
        })
    );
    // A trailing line end is not part of the payload.
    let mut six_crlf = six.to_vec();
    six_crlf.extend_from_slice(b"\r\n");
    assert_eq!(
        QrPayload::parse(&six_crlf),
        Err(Error::QrFieldCount {
            found: 6,
            missing: QrField::IssueDate,
            offset: six.len(),
        })
    );
    assert_eq!(
        QrPayload::parse(b""),
        Err(Error::QrFieldCount {
            found: 1,
            missing: QrField::OldIdNumber,
            offset: 0,
        })
    );
    assert_eq!(
        QrPayload::parse(b"001099012345|").unwrap_err().to_string(),
        "QR payload: 2 fields separated by '|', expected at least 7: full_name missing at byte 13 (the end)"
    );
    // One field, in the singular.
    assert_eq!(
        QrPayload::parse(b"001099012345").unwrap_err().to_string(),
        "QR payload: 1 field separated by '|', expected at least 7: old_id_number missing at byte 12 (the end)"
    );
}

#[test]
fn bad_utf8_names_the_field_it_lies_in() {
    let mut bytes = SEVEN.as_bytes().to_vec();
    bytes[30] = 0xFF;
    assert_eq!(
        QrPayload::parse(&bytes),
        Err(Error::QrUtf8 {
            field: QrField::FullName,
            offset: 30,
        })
    );
    assert_eq!(
        QrPayload::parse(&bytes).unwrap_err().to_string(),
        "QR payload: full_name at byte 30: not valid UTF-8"
    );
    // The first byte of the payload, and a byte right after a '|'.
    assert_eq!(
        QrPayload::parse(b"\xC3|x"),
        Err(Error::QrUtf8 {
            field: QrField::IdNumber,
            offset: 0,
        })
    );
    assert_eq!(
        QrPayload::parse(b"a|\xFF"),
        Err(Error::QrUtf8 {
            field: QrField::OldIdNumber,
            offset: 2,
        })
    );
    // In the extra fields of a card from July 2024: named by number (the
    // 'x' is field 9: 8 is empty).
    let mut eleven = format!("{SEVEN}||x|").into_bytes();
    let at = eleven.len() - 2;
    eleven[at] = 0x80;
    assert_eq!(
        QrPayload::parse(&eleven),
        Err(Error::QrUtf8 {
            field: QrField::Extra(9),
            offset: at,
        })
    );
    assert_eq!(
        QrPayload::parse(&eleven).unwrap_err().to_string(),
        format!("QR payload: field 9 at byte {at}: not valid UTF-8")
    );
}

#[test]
fn field_numbers() {
    for (i, f) in QrField::REQUIRED.iter().enumerate() {
        assert_eq!(f.number(), i + 1);
        assert_eq!(QrField::from_index(i), *f);
    }
    assert_eq!(QrField::from_index(7), QrField::Extra(8));
    assert_eq!(QrField::Extra(8).number(), 8);
}

#[test]
fn upper_cased_payloads_from_scanner_apps_are_accepted() {
    // Some scanner apps upper-case the whole payload.
    let upper = SEVEN.to_uppercase();
    assert!(upper.contains("|NAM|"), "{upper}");
    let qr = QrPayload::parse(upper.as_bytes()).unwrap();
    assert_eq!(qr.sex, Sex::Male);
    assert_eq!(qr.full_name, "NGUYỄN VĂN AN");
    assert_eq!(qr.address, "SỐ 1 TRÀNG TIỀN, HOÀN KIẾM, HÀ NỘI");
    let female = SEVEN.replace("|Nam|", "|Nữ|").to_uppercase();
    assert!(female.contains("|NỮ|"), "{female}");
    assert_eq!(
        QrPayload::parse(female.as_bytes()).unwrap().sex,
        Sex::Female
    );
    // Decomposed upper case too.
    let nfd: String = female.nfd().collect();
    assert_ne!(nfd, female);
    assert_eq!(QrPayload::parse(nfd.as_bytes()).unwrap().sex, Sex::Female);
    // Lower or mixed case is no scanner's output.
    for bad in ["|nam|", "|nữ|", "|nAm|", "|NỮa|", "|Nu|"] {
        let payload = SEVEN.replace("|Nam|", bad);
        assert!(
            matches!(
                QrPayload::parse(payload.as_bytes()),
                Err(Error::QrField {
                    field: QrField::Sex,
                    ..
                })
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_fast_nfc_ranges_agree_with_the_unicode_tables() {
    let ranges = ('\0'..'\u{0300}').chain('\u{1E00}'..='\u{1EFF}');
    for c in ranges.filter(|&c| c != '|') {
        let s = c.to_string();
        assert_eq!(field_end(s.as_bytes(), 0), (s.len(), true), "{c:?}");
        assert_eq!(canonical_combining_class(c), 0, "{c:?}");
        assert!(is_nfc(&s), "{c:?}");
        // A starter with NFC_QC=Yes stays NFC next to any other such character.
        assert!(
            is_nfc(&format!("a{s}")) && is_nfc(&format!("{s}a")),
            "{c:?}"
        );
    }
    // Just outside the ranges the fast check says no (the slow path decides).
    for c in [
        '\u{0300}',
        '\u{0303}',
        '\u{1DFF}',
        '\u{1F00}',
        '\u{2126}',
        '\u{10000}',
    ] {
        let s = c.to_string();
        assert_eq!(field_end(s.as_bytes(), 0), (s.len(), false), "{c:?}");
    }
}

fn vietnamese_text() -> impl Strategy<Value = String> {
    "[A-Za-zÀ-ỹđĐ ,.0-9]{1,40}".prop_filter("non-blank", |s| !s.trim().is_empty())
}

prop_compose! {
    fn any_data()(
        id in "[0-9]{12}",
        old in proptest::option::of("[0-9]{9}"),
        name in vietnamese_text(),
        dob in (1900u16..2100, 1u8..=12, 1u8..=28),
        years_after in 0u16..60,
        male in any::<bool>(),
        address in "[A-Za-zÀ-ỹđĐ ,.0-9/-]{0,60}",
        extra in proptest::collection::vec("[A-Za-z0-9À-ỹ ]{0,8}", 0..5),
    ) -> QrData {
        let name: String = name.nfc().collect();
        let address: String = address.nfc().collect();
        QrData {
            id_number: IdNumber::parse(&id).unwrap(),
            old_id_number: old,
            full_name: name,
            date_of_birth: Date::new(dob.0, dob.1, dob.2).unwrap(),
            sex: if male { Sex::Male } else { Sex::Female },
            address,
            issue_date: Date::new(dob.0 + years_after, dob.1, dob.2).unwrap(),
            extra_fields: extra.into_iter().map(|e| e.nfc().collect()).collect(),
        }
    }
}

/// `data` as a scanner that upper-cases the payload gives it.
fn upper_cased(data: &QrData) -> QrData {
    let up = |s: &str| -> String { s.to_uppercase().nfc().collect() };
    QrData {
        full_name: up(&data.full_name),
        address: up(&data.address),
        extra_fields: data.extra_fields.iter().map(|f| up(f)).collect(),
        ..data.clone()
    }
}

proptest! {
    #[test]
    fn upper_cased_payloads_parse_to_the_upper_cased_data(data in any_data()) {
        let upper = data.to_payload().to_uppercase();
        prop_assert_eq!(QrData::parse(upper.as_bytes()), Ok(upper_cased(&data)));
    }

    #[test]
    fn a_bad_byte_is_reported_in_its_field_at_its_offset(
        data in any_data(),
        pick in any::<proptest::sample::Index>(),
        bad in prop_oneof![Just(0xFFu8), Just(0xC0), Just(0x80), Just(0xF8)],
    ) {
        let payload = data.to_payload();
        let at = pick.index(payload.len() + 1);
        // Only at a character boundary, so the bytes before stay valid.
        prop_assume!(payload.is_char_boundary(at));
        let mut bytes = payload.as_bytes().to_vec();
        bytes.insert(at, bad);
        let field = payload[..at].matches('|').count();
        prop_assert_eq!(
            QrPayload::parse(&bytes),
            Err(Error::QrUtf8 { field: QrField::from_index(field), offset: at })
        );
    }

    #[test]
    fn a_payload_cut_at_a_separator_names_the_missing_field(data in any_data(), keep in 1usize..7) {
        let payload = data.to_payload();
        let cut: Vec<&str> = payload.split('|').take(keep).collect();
        let text = cut.join("|");
        prop_assert_eq!(
            QrPayload::parse(text.as_bytes()),
            Err(Error::QrFieldCount {
                found: keep,
                missing: QrField::from_index(keep),
                offset: text.len(),
            })
        );
    }

    #[test]
    fn format_then_parse_is_the_identity(data in any_data()) {
        let payload = data.to_payload();
        prop_assert_eq!(QrData::parse(payload.as_bytes()), Ok(data.clone()));
        // Decomposed, it still parses to the same NFC data.
        let nfd: String = payload.nfd().collect();
        prop_assert_eq!(QrData::parse(nfd.as_bytes()), Ok(data));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = QrPayload::parse(&bytes);
    }

    #[test]
    fn arbitrary_pipe_separated_text_never_panics(s in "[0-9|Nam\u{1EEF}\u{0303}a-z]{0,120}") {
        let _ = QrPayload::parse(s.as_bytes());
    }
}
