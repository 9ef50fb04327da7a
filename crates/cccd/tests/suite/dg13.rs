//! DG13 built from its structure (no real CCCD DG13 is public): records
//! `30 { 02 01 n, value }`, a header before record 1, a decomposed name, an
//! empty spouse record, unknown records; negative cases; the cross-check
//! against the QR code and the MRZ; property tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cccd::dg13::{
    Dg13, Dg13Data, Field, NO_EXPIRY_TEXT, RecordKind, Source, cross_check, cross_check_data,
};
use cccd::mrz::CccdMrz;
use cccd::qr::{QrData, QrPayload};
use cccd::{Error, IdNumber, Sex};
use icao9303::Date;
use icao9303::tlv::{Node, Tag, TlvErrorKind};
use proptest::prelude::*;

fn utf8(s: &str) -> Node {
    Node::primitive(Tag::new(0x0C), s.as_bytes().to_vec())
}

fn printable(s: &str) -> Node {
    Node::primitive(Tag::new(0x13), s.as_bytes().to_vec())
}

fn rec(n: u8, values: Vec<Node>) -> Node {
    let mut kids = vec![Node::primitive(Tag::new(0x02), vec![n])];
    kids.extend(values);
    Node::constructed(Tag::new(0x30), kids)
}

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// All sixteen records, as DESIGN.md lists them, inside a container that
/// opens with an unknown header (a version and an OID) before record 1.
fn sample_records(name: &str, spouse: Vec<Node>) -> Vec<Node> {
    vec![
        rec(1, vec![printable("001099012345")]),
        rec(2, vec![utf8(name)]),
        rec(3, vec![utf8("15/03/1999")]),
        rec(4, vec![utf8("Nam")]),
        rec(5, vec![utf8("Việt Nam")]),
        rec(6, vec![utf8("Kinh")]),
        rec(7, vec![utf8("Không")]),
        rec(8, vec![utf8("Hoàn Kiếm, Hà Nội")]),
        rec(9, vec![utf8("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội")]),
        rec(
            10,
            vec![utf8("Nốt ruồi C:1cm trên trước đầu lông mày trái")],
        ),
        rec(11, vec![utf8("01/07/2021")]),
        rec(12, vec![utf8("15/03/2039")]),
        rec(
            13,
            vec![
                Node::constructed(Tag::new(0x30), vec![utf8("Nguyễn Văn Bình")]),
                Node::constructed(Tag::new(0x30), vec![utf8("Trần Thị Cúc")]),
            ],
        ),
        rec(14, spouse),
        rec(15, vec![printable("012345678")]),
        rec(16, vec![utf8("X")]),
    ]
}

fn sample_file(name: &str, spouse: Vec<Node>) -> Vec<u8> {
    let header = vec![
        Node::primitive(Tag::new(0x02), vec![1]),
        Node::primitive(Tag::new(0x06), vec![0x2B, 0x06, 0x01, 0x04, 0x01]),
    ];
    let mut container = header;
    container.push(Node::constructed(
        Tag::new(0x31),
        sample_records(name, spouse),
    ));
    Node::constructed(
        Tag::new(0x6D),
        vec![Node::constructed(Tag::new(0x30), container)],
    )
    .encode()
}

#[test]
fn every_record_read() {
    let raw = sample_file("Nguyễn Văn An", vec![utf8("Lê Thị Dung")]);
    let g = Dg13::parse(&raw).unwrap();
    assert_eq!(g.id_number.as_deref(), Some("001099012345"));
    assert_eq!(g.full_name.as_deref(), Some("Nguyễn Văn An"));
    assert_eq!(g.date_of_birth, Some(d(1999, 3, 15)));
    assert_eq!(g.sex, Some(Sex::Male));
    assert_eq!(g.nationality.as_deref(), Some("Việt Nam"));
    assert_eq!(g.ethnicity.as_deref(), Some("Kinh"));
    assert_eq!(g.religion.as_deref(), Some("Không"));
    assert_eq!(g.place_of_origin.as_deref(), Some("Hoàn Kiếm, Hà Nội"));
    assert_eq!(
        g.place_of_residence.as_deref(),
        Some("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội")
    );
    assert_eq!(
        g.identifying_marks.as_deref(),
        Some("Nốt ruồi C:1cm trên trước đầu lông mày trái")
    );
    assert_eq!(g.issue_date, Some(d(2021, 7, 1)));
    assert_eq!(g.date_of_expiry, Some(d(2039, 3, 15)));
    assert_eq!(g.father_name.as_deref(), Some("Nguyễn Văn Bình"));
    assert_eq!(g.mother_name.as_deref(), Some("Trần Thị Cúc"));
    assert_eq!(g.spouse_name.as_deref(), Some("Lê Thị Dung"));
    assert_eq!(g.old_id_number.as_deref(), Some("012345678"));
    assert_eq!(g.unidentified, ["X"]);
    assert_eq!(g.records.len(), 16);
    assert_eq!(g.record(13).unwrap().kind, Some(RecordKind::Parents));
    // Offsets point at each record's SEQUENCE.
    let r1 = g.record(1).unwrap();
    assert_eq!(raw[r1.offset], 0x30);
    assert_eq!(&raw[r1.offset..r1.offset + r1.raw.len()], r1.raw);
}

#[test]
fn decomposed_name_is_normalised() {
    // "Nguyễn Văn An" in NFD: e + circumflex + tilde, a + breve.
    let nfd = "Nguye\u{302}\u{303}n Va\u{306}n An";
    assert_ne!(nfd, "Nguyễn Văn An");
    let raw = sample_file(nfd, vec![]);
    let g = Dg13::parse(&raw).unwrap();
    assert_eq!(g.full_name.as_deref(), Some("Nguyễn Văn An"));
    // ...and so it agrees with the QR code.
    let qr = "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";
    let qr = QrPayload::parse(qr.as_bytes()).unwrap();
    assert_eq!(cross_check(&g, Some(&qr), None), []);
}

#[test]
fn empty_spouse_record() {
    for spouse in [vec![], vec![utf8("")]] {
        let raw = sample_file("Nguyễn Văn An", spouse);
        let g = Dg13::parse(&raw).unwrap();
        assert_eq!(g.spouse_name, None);
        let r = g.record(14).unwrap();
        assert_eq!(r.kind, Some(RecordKind::Spouse));
        assert!(r.texts.is_empty());
    }
}

#[test]
fn flat_records_and_unknown_records_kept() {
    let raw = Node::constructed(
        Tag::new(0x6D),
        vec![
            rec(1, vec![printable("079203000001")]),
            rec(2, vec![utf8("Trần Thị Bé")]),
            rec(4, vec![utf8("Nữ")]),
            rec(12, vec![utf8(NO_EXPIRY_TEXT)]),
            rec(17, vec![utf8("future field")]),
        ],
    )
    .encode();
    let g = Dg13::parse(&raw).unwrap();
    assert_eq!(g.sex, Some(Sex::Female));
    assert_eq!(g.date_of_expiry, None);
    assert_eq!(g.expiry_text.as_deref(), Some(NO_EXPIRY_TEXT));
    let unknown: Vec<_> = g.unknown_records().collect();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].number, 17);
    assert_eq!(unknown[0].texts, ["future field"]);
}

#[test]
fn negative_cases() {
    // Wrong tag.
    let raw = Node::constructed(Tag::new(0x6E), vec![rec(1, vec![utf8("1")])]).encode();
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Icao(icao9303::Error::Tlv {
            offset: 0,
            kind: TlvErrorKind::UnexpectedTag {
                expected: Tag::new(0x6D),
                found: Tag::new(0x6E)
            }
        }))
    );
    // Trailing bytes.
    let mut raw = Node::constructed(Tag::new(0x6D), vec![rec(1, vec![utf8("1")])]).encode();
    let len = raw.len();
    raw.push(0);
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Icao(icao9303::Error::Tlv {
            offset: len,
            kind: TlvErrorKind::TrailingBytes { count: 1 }
        }))
    );
    // Truncated.
    raw.truncate(len - 1);
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Icao(icao9303::Error::Tlv {
            offset: 1,
            kind: TlvErrorKind::LengthOverflow {
                length: len - 2,
                available: len - 3
            }
        }))
    );
    // No record at all.
    let raw = Node::constructed(Tag::new(0x6D), vec![utf8("nothing")]).encode();
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Dg13 {
            offset: 2,
            expected: "records 30 { 02 01 n, value } with n from 1 to 16"
        })
    );
    // A date that is no date: the error points at the record.
    let raw = Node::constructed(
        Tag::new(0x6D),
        vec![rec(1, vec![utf8("1")]), rec(3, vec![utf8("31/02/1999")])],
    )
    .encode();
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Dg13 {
            offset: 10,
            expected: "a date of birth dd/mm/yyyy"
        })
    );
    // A sex that is neither.
    let raw = Node::constructed(Tag::new(0x6D), vec![rec(4, vec![utf8("X")])]).encode();
    assert_eq!(
        Dg13::parse(&raw),
        Err(Error::Dg13 {
            offset: 2,
            expected: "sex Nam or Nữ"
        })
    );
}

fn sample_mrz() -> icao9303::mrz::Mrz {
    let id = IdNumber::parse("001099012345").unwrap();
    CccdMrz::new(
        id,
        "NGUYEN",
        "VAN AN",
        d(1999, 3, 15),
        Sex::Male,
        Some(d(2039, 3, 15)),
    )
    .mrz
}

#[test]
fn cross_check_agreeing_sources() {
    let raw = sample_file("Nguyễn Văn An", vec![]);
    let g = Dg13::parse(&raw).unwrap();
    let qr = "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021";
    let qr = QrPayload::parse(qr.as_bytes()).unwrap();
    let mrz = sample_mrz();
    // The MRZ text survives an encode/parse round trip, as DG1 would give it.
    let mrz = icao9303::mrz::Mrz::parse(&mrz.encode().unwrap()).unwrap();
    assert_eq!(cross_check(&g, Some(&qr), Some(&mrz)), []);
    assert_eq!(
        cross_check_data(&g, Some(&qr.to_owned_data()), Some(&mrz)),
        []
    );
    assert_eq!(cross_check(&g, None, None), []);
}

#[test]
fn cross_check_lists_every_mismatch() {
    let raw = sample_file("Nguyễn Văn An", vec![]);
    let g = Dg13::parse(&raw).unwrap();
    // The QR disagrees on the name and the date of birth.
    let qr = "001099012345||Nguyễn Văn Anh|16031999|Nam|Số 1|01072021";
    let qr = QrData::parse(qr.as_bytes()).unwrap();
    // The MRZ disagrees on the ID and the sex.
    let id = IdNumber::parse("001199012345").unwrap();
    let mrz = CccdMrz::new(id, "NGUYEN", "VAN AN", d(1999, 3, 15), Sex::Female, None).mrz;
    let m = cross_check_data(&g, Some(&qr), Some(&mrz));
    let summary: Vec<(Field, Source, Source)> =
        m.iter().map(|m| (m.field, m.left.0, m.right.0)).collect();
    assert_eq!(
        summary,
        [
            (Field::FullName, Source::Dg13, Source::Qr),
            (Field::DateOfBirth, Source::Dg13, Source::Qr),
            (Field::IdNumber, Source::Dg13, Source::Mrz),
            (Field::Sex, Source::Dg13, Source::Mrz),
            (Field::IdNumber, Source::Qr, Source::Mrz),
            (Field::FullName, Source::Qr, Source::Mrz),
            (Field::DateOfBirth, Source::Qr, Source::Mrz),
            (Field::Sex, Source::Qr, Source::Mrz),
        ]
    );
    assert_eq!(m[1].left.1, "1999-03-15");
    assert_eq!(m[1].right.1, "1999-03-16");
    assert_eq!(m[2].right.1, "001199012345");
    assert_eq!(m[6].right.1, "990315");
}

#[test]
fn mismatches_fields_and_sources_display_in_vietnamese_and_english() {
    let raw = sample_file("Nguyễn Văn An", vec![]);
    let g = Dg13::parse(&raw).unwrap();
    let qr = QrData::parse("001099012345||Nguyễn Văn Anh|15031999|Nam|Số 1|01072021".as_bytes())
        .unwrap();
    let m = cross_check_data(&g, Some(&qr), None);
    assert_eq!(m.len(), 1);
    assert_eq!(
        m[0].to_string(),
        "Họ và tên không khớp: chip (DG13) \"Nguyễn Văn An\", mã QR \"Nguyễn Văn Anh\" / \
         Full name differs: chip (DG13) \"Nguyễn Văn An\", QR code \"Nguyễn Văn Anh\""
    );
    assert_eq!(Field::FullName.to_string(), "Họ và tên / Full name");
    assert_eq!(
        Field::IdNumber.to_string(),
        "Số định danh cá nhân / Personal identification number"
    );
    assert_eq!(Field::DateOfBirth.to_string(), "Ngày sinh / Date of birth");
    assert_eq!(Field::Sex.to_string(), "Giới tính / Sex");
    assert_eq!(Source::Qr.to_string(), "mã QR / QR code");
    assert_eq!(
        Source::Mrz.to_string(),
        "vùng đọc máy (MRZ) / machine readable zone (MRZ)"
    );
    assert_eq!(Source::Dg13.to_string(), "chip (DG13) / chip (DG13)");
    // The codes are serde's names.
    for (f, code) in [
        (Field::IdNumber, "id_number"),
        (Field::FullName, "full_name"),
        (Field::DateOfBirth, "date_of_birth"),
        (Field::Sex, "sex"),
    ] {
        assert_eq!(f.code(), code);
    }
    for (src, code) in [
        (Source::Dg13, "dg13"),
        (Source::Qr, "qr"),
        (Source::Mrz, "mrz"),
    ] {
        assert_eq!(src.code(), code);
    }
}

#[test]
fn data_roundtrip_example() {
    let data = Dg13Data {
        id_number: "001099012345".into(),
        full_name: "Nguyễn Văn An".into(),
        date_of_birth: d(1999, 3, 15),
        sex: Sex::Male,
        nationality: "Việt Nam".into(),
        ethnicity: "Kinh".into(),
        religion: "Không".into(),
        place_of_origin: "Hà Nội".into(),
        place_of_residence: "Số 1 Tràng Tiền".into(),
        identifying_marks: "Sẹo".into(),
        issue_date: d(2021, 7, 1),
        date_of_expiry: None,
        father_name: "Nguyễn Văn Bình".into(),
        mother_name: "Trần Thị Cúc".into(),
        spouse_name: None,
        old_id_number: Some("012345678".into()),
    };
    let raw = data.encode();
    let g = Dg13::parse(&raw).unwrap();
    assert_eq!(g.expiry_text.as_deref(), Some(NO_EXPIRY_TEXT));
    assert_eq!(g.to_data(), Some(data));
}

fn vn_text() -> impl Strategy<Value = String> {
    "[A-ZĐ][a-zăâđêôơưàáạảãấầẩẫậắằẳẵặèéẹẻẽếềểễệìíịỉĩòóọỏõốồổỗộớờởỡợùúụủũứừửữựỳýỵỷỹ]{0,12}( [A-ZĐ][a-zăâêôơưàáạảãếềìíòóọồờùúữỳý]{0,8}){0,3}"
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2100, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

prop_compose! {
    fn data()(id in "[0-9]{12}", name in vn_text(), dob in date(), male in any::<bool>(),
              texts in proptest::collection::vec(vn_text(), 8), issue in date(),
              expiry in proptest::option::of(date()), spouse in proptest::option::of(vn_text()),
              old in proptest::option::of("[0-9]{9}")) -> Dg13Data {
        Dg13Data {
            id_number: id,
            full_name: name,
            date_of_birth: dob,
            sex: if male { Sex::Male } else { Sex::Female },
            nationality: texts[0].clone(),
            ethnicity: texts[1].clone(),
            religion: texts[2].clone(),
            place_of_origin: texts[3].clone(),
            place_of_residence: texts[4].clone(),
            identifying_marks: texts[5].clone(),
            issue_date: issue,
            date_of_expiry: expiry,
            father_name: texts[6].clone(),
            mother_name: texts[7].clone(),
            spouse_name: spouse,
            old_id_number: old,
        }
    }
}

proptest! {
    #[test]
    fn parse_encode_roundtrip(data in data()) {
        let raw = data.encode();
        let g = Dg13::parse(&raw).unwrap();
        prop_assert_eq!(g.to_data(), Some(data));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Dg13::parse(&bytes);
    }

    #[test]
    fn tagged_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let raw = Node::primitive(Tag::new(0x6D), body).encode();
        if let Ok(g) = Dg13::parse(&raw) {
            let _ = cross_check(&g, None, None);
        }
    }

    #[test]
    fn mutated_files_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut raw = sample_file("Nguyễn Văn An", vec![]);
        let i = pos.index(raw.len());
        raw[i] = byte;
        if let Ok(g) = Dg13::parse(&raw) {
            let _ = cross_check(&g, None, Some(&sample_mrz()));
        }
    }
}
