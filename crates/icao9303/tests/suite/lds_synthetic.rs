//! LDS parsers on files built with the TLV writer (for the file kinds no
//! public specimen covers), negative cases with exact errors and offsets,
//! and "arbitrary bytes never panic" for every parser.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use icao9303::Error;
use icao9303::lds::dg2::FaceContainer;
use icao9303::lds::image::{self, ImageFormat};
use icao9303::lds::sod::{HashAlgorithm, LdsSecurityObject};
use icao9303::lds::{
    CardAccess, CardSecurity, Com, DataGroup, Dg1, Dg2, Dg7, Dg11, Dg12, Dg14, Dg15, File,
    FileKind, SecurityInfo, Sod,
};
use icao9303::tlv::{Node, Tag, TlvErrorKind};
use proptest::prelude::*;

use crate::common::{shared, testdata};

fn p(tag: u32, v: &[u8]) -> Node {
    Node::primitive(Tag::new(tag), v.to_vec())
}

fn c(tag: u32, kids: Vec<Node>) -> Node {
    Node::constructed(Tag::new(tag), kids)
}

/// A minimal JPEG header: SOI, SOF0 with height 40 and width 30, EOI.
fn tiny_jpeg() -> Vec<u8> {
    vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x28, 0x00, 0x1E, 0x01, 0x01, 0x11, 0x00,
        0xFF, 0xD9,
    ]
}

#[test]
fn jpeg_dimensions_from_sof() {
    assert_eq!(ImageFormat::detect(&tiny_jpeg()), ImageFormat::Jpeg);
    assert_eq!(image::dimensions(&tiny_jpeg()), Some((30, 40)));
    assert_eq!(ImageFormat::Jp2.extension(), "jp2");
    assert_eq!(ImageFormat::Jpeg.mime_type(), "image/jpeg");
}

#[test]
fn data_group_table() {
    assert_eq!(DataGroup::Dg2.tag(), Tag::new(0x75));
    assert_eq!(DataGroup::Dg4.tag(), Tag::new(0x76));
    assert_eq!(DataGroup::Dg11.tag(), Tag::new(0x6B));
    assert_eq!(DataGroup::Dg15.tag(), Tag::new(0x6F));
    assert_eq!(DataGroup::Dg16.tag(), Tag::new(0x70));
    assert_eq!(DataGroup::Dg2.fid(), 0x0102);
    assert_eq!(DataGroup::Dg15.sfi(), 15);
    for dg in DataGroup::ALL {
        assert_eq!(DataGroup::from_tag(dg.tag()), Some(dg));
        assert_eq!(DataGroup::from_fid(dg.fid()), Some(dg));
        assert_eq!(DataGroup::from_number(dg.number()), Some(dg));
    }
    assert_eq!(DataGroup::from_number(0), None);
    assert_eq!(DataGroup::from_number(17), None);
    assert_eq!(FileKind::Com.fid(), 0x011E);
    assert_eq!(FileKind::Sod.fid(), 0x011D);
    assert_eq!(FileKind::CardAccess.fid(), 0x011C);
    assert_eq!(FileKind::CardSecurity.sfi(), 0x1D);
    assert_eq!(FileKind::from_fid(0x011E), Some(FileKind::Com));
    assert_eq!(FileKind::from_tag(Tag::new(0x77)), Some(FileKind::Sod));
    assert_eq!(FileKind::Dg(DataGroup::Dg13).name(), "DG13");
    assert_eq!(FileKind::Sod.tag(), Some(Tag::new(0x77)));
}

#[test]
fn dg2_iso39794_jpeg() {
    // FaceImageDataBlock { versionBlock [0], representationBlocks [1] {
    //   RepresentationBlock { representationId [0], imageRepresentation [1] {
    //     base [0] { representationData2D [0] image, imageInformation2DBlock [1] {
    //       imageDataFormat [0] { code [0] 2 (JPEG) }, imageSizeBlock [7] { 480, 640 } } } } } } }
    let info = c(
        0xA1,
        vec![
            c(0xA0, vec![p(0x80, &[2])]),
            c(0xA7, vec![p(0x80, &[0x01, 0xE0]), p(0x81, &[0x02, 0x80])]),
        ],
    );
    let representation = c(
        0x30,
        vec![
            p(0x80, &[0]),
            c(0xA1, vec![c(0xA0, vec![p(0x80, &tiny_jpeg()), info])]),
        ],
    );
    let block = c(
        0x7F2E,
        vec![
            c(0xA0, vec![p(0x80, &[3]), p(0x81, &[0])]),
            c(0xA1, vec![representation]),
        ],
    );
    let dg2 = c(
        0x75,
        vec![c(
            0x7F61,
            vec![
                p(0x02, &[1]),
                c(
                    0x7F60,
                    vec![c(0xA1, vec![p(0x87, &[1, 1]), p(0x88, &[0, 0x40])]), block],
                ),
            ],
        )],
    )
    .encode();
    let parsed = Dg2::parse(&dg2).unwrap();
    let rec = &parsed.records[0];
    assert_eq!(rec.container, FaceContainer::Iso39794_5);
    assert_eq!(rec.header.format_type, Some(0x40));
    let face = parsed.face_image().unwrap();
    assert_eq!(face.format, ImageFormat::Jpeg);
    let info = face.information_2d.unwrap();
    assert_eq!(info.image_data_format, Some(2));
    assert_eq!((face.width, face.height), (Some(480), Some(640)));
    // The JPEG's own SOF says 30 x 40.
    assert_eq!(face.image_dimensions, Some((30, 40)));
    assert_eq!(face.data, &tiny_jpeg()[..]);
    assert_eq!(
        &dg2[face.data_offset..face.data_offset + face.data.len()],
        &tiny_jpeg()[..]
    );
}

#[test]
fn dg2_count_mismatch() {
    let dg2 = c(0x75, vec![c(0x7F61, vec![p(0x02, &[2])])]).encode();
    assert_eq!(
        Dg2::parse(&dg2),
        Err(Error::Lds {
            file: "DG2",
            offset: 5,
            expected: "as many 7F60 templates as the count says"
        })
    );
}

#[test]
fn dg7_signature() {
    let raw = c(0x67, vec![p(0x02, &[1]), p(0x5F43, &tiny_jpeg())]).encode();
    let dg7 = Dg7::parse(&raw).unwrap();
    assert_eq!(dg7.images.len(), 1);
    assert_eq!(dg7.images[0].format, ImageFormat::Jpeg);
    assert_eq!(dg7.images[0].data_offset, 2 + 3 + 3);
    let bad = c(0x67, vec![p(0x02, &[2]), p(0x5F43, &tiny_jpeg())]).encode();
    assert!(matches!(
        Dg7::parse(&bad),
        Err(Error::Lds {
            file: "DG7",
            offset: 2,
            ..
        })
    ));
}

#[test]
fn dg11_every_tag() {
    let raw = c(
        0x6B,
        vec![
            p(0x5C, &[0x5F, 0x0E, 0x5F, 0x2B]),
            p(0x5F0E, "NGUYỄN<<VĂN A".as_bytes()),
            c(
                0xA0,
                vec![
                    p(0x02, &[2]),
                    p(0x5F0F, b"OTHER<<ONE"),
                    p(0x5F0F, b"OTHER<<TWO"),
                ],
            ),
            p(0x5F10, b"123456789"),
            p(0x5F2B, b"19900102"),
            p(0x5F11, b"HA NOI"),
            p(0x5F42, b"1 STREET<CITY"),
            p(0x5F12, b"+84 1234"),
            p(0x5F13, b"ENGINEER"),
            p(0x5F14, b"DR"),
            p(0x5F15, b"SUMMARY"),
            p(0x5F16, &tiny_jpeg()),
            p(0x5F17, b"X1234"),
            p(0x5F18, b"CUSTODY"),
            p(0x5F50, b"?"),
        ],
    )
    .encode();
    let d = Dg11::parse(&raw).unwrap();
    assert_eq!(d.tag_list, [Tag::new(0x5F0E), Tag::new(0x5F2B)]);
    assert_eq!(d.full_name.as_deref(), Some("NGUYỄN<<VĂN A"));
    assert_eq!(d.other_names, ["OTHER<<ONE", "OTHER<<TWO"]);
    assert_eq!(d.personal_number.as_deref(), Some("123456789"));
    assert_eq!(d.full_date_of_birth.as_deref(), Some("19900102"));
    assert_eq!(d.date_of_birth(), icao9303::Date::new(1990, 1, 2));
    assert_eq!(d.place_of_birth.as_deref(), Some("HA NOI"));
    assert_eq!(d.permanent_address.as_deref(), Some("1 STREET<CITY"));
    assert_eq!(d.telephone.as_deref(), Some("+84 1234"));
    assert_eq!(d.profession.as_deref(), Some("ENGINEER"));
    assert_eq!(d.title.as_deref(), Some("DR"));
    assert_eq!(d.personal_summary.as_deref(), Some("SUMMARY"));
    assert_eq!(d.proof_of_citizenship, Some(&tiny_jpeg()[..]));
    assert_eq!(d.other_valid_td_numbers.as_deref(), Some("X1234"));
    assert_eq!(d.custody_information.as_deref(), Some("CUSTODY"));
    assert_eq!(d.unknown.len(), 1);
    assert_eq!(d.unknown[0].tag(), Tag::new(0x5F50));
    // Latin-1 bytes are read as such.
    let latin = c(0x6B, vec![p(0x5F0E, &[b'M', 0xDC, b'L'])]).encode();
    assert_eq!(
        Dg11::parse(&latin).unwrap().full_name.as_deref(),
        Some("MÜL")
    );
}

#[test]
fn dg12_every_tag() {
    let raw = c(
        0x6C,
        vec![
            p(0x5C, &[0x5F, 0x19]),
            p(0x5F19, b"CUC CANH SAT"),
            p(0x5F26, b"20210315"),
            c(0xA0, vec![p(0x02, &[1]), p(0x5F1A, b"CHILD<<ONE")]),
            p(0x5F1B, b"ENDORSED"),
            p(0x5F1C, b"TAX"),
            p(0x5F1D, &tiny_jpeg()),
            p(0x5F1E, &tiny_jpeg()),
            p(0x5F55, b"20210315101112"),
            p(0x5F56, b"SERIAL1"),
        ],
    )
    .encode();
    let d = Dg12::parse(&raw).unwrap();
    assert_eq!(d.issuing_authority.as_deref(), Some("CUC CANH SAT"));
    assert_eq!(d.date_of_issue.as_deref(), Some("20210315"));
    assert_eq!(d.issue_date(), icao9303::Date::new(2021, 3, 15));
    assert_eq!(d.other_persons, ["CHILD<<ONE"]);
    assert_eq!(d.endorsements.as_deref(), Some("ENDORSED"));
    assert_eq!(d.tax_exit_requirements.as_deref(), Some("TAX"));
    assert_eq!(d.image_of_front, Some(&tiny_jpeg()[..]));
    assert_eq!(d.image_of_rear, Some(&tiny_jpeg()[..]));
    assert_eq!(d.personalization_time.as_deref(), Some("20210315101112"));
    assert_eq!(d.personalization_system_serial.as_deref(), Some("SERIAL1"));
}

fn oid(s: &str) -> Vec<u8> {
    der::asn1::ObjectIdentifier::new(s)
        .unwrap()
        .as_bytes()
        .to_vec()
}

#[test]
fn card_access_pace_and_aa() {
    let raw = c(
        0x31,
        vec![
            // PACEInfo id-PACE-ECDH-GM-AES-CBC-CMAC-128, v2, brainpoolP256r1 (13)
            c(
                0x30,
                vec![
                    p(0x06, &oid("0.4.0.127.0.7.2.2.4.2.2")),
                    p(0x02, &[2]),
                    p(0x02, &[13]),
                ],
            ),
            // PACEDomainParameterInfo id-PACE-ECDH-GM
            c(
                0x30,
                vec![
                    p(0x06, &oid("0.4.0.127.0.7.2.2.4.2")),
                    c(
                        0x30,
                        vec![p(0x06, &oid("0.4.0.127.0.7.1.2")), p(0x02, &[13])],
                    ),
                    p(0x02, &[1]),
                ],
            ),
            // ActiveAuthenticationInfo, ecdsa-with-SHA256
            c(
                0x30,
                vec![
                    p(0x06, &oid("2.23.136.1.1.5")),
                    p(0x02, &[1]),
                    p(0x06, &oid("1.2.840.10045.4.3.2")),
                ],
            ),
            // An unknown info
            c(
                0x30,
                vec![
                    p(0x06, &oid("1.2.3.4")),
                    p(0x04, b"x"),
                    p(0x04, b"y"),
                    p(0x04, b"z"),
                ],
            ),
        ],
    )
    .encode();
    let ca = CardAccess::parse(&raw).unwrap();
    let infos = &ca.security_infos.infos;
    assert_eq!(infos.len(), 4);
    match &infos[0] {
        SecurityInfo::Pace {
            protocol,
            version,
            parameter_id,
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.4.2.2");
            assert_eq!((*version, *parameter_id), (2, Some(13)));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        infos[1],
        SecurityInfo::PaceDomainParameter {
            parameter_id: Some(1),
            ..
        }
    ));
    match &infos[2] {
        SecurityInfo::ActiveAuthentication {
            version,
            signature_algorithm,
        } => {
            assert_eq!(*version, 1);
            assert_eq!(signature_algorithm.to_string(), "1.2.840.10045.4.3.2");
        }
        other => panic!("{other:?}"),
    }
    match &infos[3] {
        SecurityInfo::Unknown { protocol, raw: r } => {
            assert_eq!(protocol.to_string(), "1.2.3.4");
            assert_eq!(r.len(), 2 + 5 + 9);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ca.security_infos.pace().count(), 1);
    assert!(matches!(File::parse(&raw).unwrap(), File::CardAccess(_)));
}

#[test]
fn negative_com() {
    // Truncated: the outer length says 0x16, only 0x10 follow.
    let com = [
        0x60, 0x16, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5F, 0x36, 0x06, b'0', b'4', b'0',
        b'0', b'0', b'0', 0x5C, 0x04, 0x61, 0x75, 0x63, 0x6E,
    ];
    assert_eq!(
        Com::parse(&com[..18]),
        Err(Error::Tlv {
            offset: 1,
            kind: TlvErrorKind::LengthOverflow {
                length: 0x16,
                available: 16
            }
        })
    );
    // Trailing bytes after the file.
    let mut long = com.to_vec();
    long.extend([0x00, 0x00]);
    assert_eq!(
        Com::parse(&long),
        Err(Error::Tlv {
            offset: 24,
            kind: TlvErrorKind::TrailingBytes { count: 2 }
        })
    );
    // Wrong tag.
    let mut wrong = com.to_vec();
    wrong[0] = 0x61;
    assert_eq!(
        Com::parse(&wrong),
        Err(Error::Tlv {
            offset: 0,
            kind: TlvErrorKind::UnexpectedTag {
                expected: Tag::new(0x60),
                found: Tag::new(0x61)
            }
        })
    );
    // Indefinite length.
    assert_eq!(
        Com::parse(&[0x60, 0x80, 0x00, 0x00]),
        Err(Error::Tlv {
            offset: 1,
            kind: TlvErrorKind::IndefiniteLength
        })
    );
    // Length overflow: five length bytes.
    assert_eq!(
        Com::parse(&[0x60, 0x85, 0, 0, 0, 0, 1, 0]),
        Err(Error::Tlv {
            offset: 1,
            kind: TlvErrorKind::LengthTooLong { length_bytes: 5 }
        })
    );
    // A bad version.
    let mut v = com.to_vec();
    v[5] = b'X';
    assert_eq!(
        Com::parse(&v),
        Err(Error::Lds {
            file: "EF.COM",
            offset: 5,
            expected: "a version of two-digit groups"
        })
    );
}

#[test]
fn negative_dg1() {
    let dg1 = c(0x61, vec![p(0x5F1F, b"P<UTOTOO<SHORT")]).encode();
    assert!(matches!(Dg1::parse(&dg1), Err(Error::MrzShape { .. })));
    let dg1 = c(0x61, vec![p(0x5F1E, b"x")]).encode();
    assert_eq!(
        Dg1::parse(&dg1),
        Err(Error::Tlv {
            offset: 2,
            kind: TlvErrorKind::UnexpectedTag {
                expected: Tag::new(0x5F1F),
                found: Tag::new(0x5F1E)
            }
        })
    );
}

#[test]
fn negative_dg15_and_sod() {
    // DG15 whose BIT STRING declares unused bits.
    let spki = c(
        0x30,
        vec![
            c(
                0x30,
                vec![p(0x06, &oid("1.2.840.113549.1.1.1")), p(0x05, &[])],
            ),
            p(0x03, &[1, 0]),
        ],
    );
    let dg15 = c(0x6F, vec![spki]).encode();
    assert_eq!(
        Dg15::parse(&dg15),
        Err(Error::Lds {
            file: "DG15",
            offset: 21,
            expected: "a BIT STRING with no unused bits"
        })
    );
    // A SOD whose ContentInfo is not SignedData.
    let sod = c(
        0x77,
        vec![c(
            0x30,
            vec![
                p(0x06, &oid("1.2.840.113549.1.7.1")),
                c(0xA0, vec![p(0x04, b"x")]),
            ],
        )],
    )
    .encode();
    assert_eq!(
        Sod::parse(&sod),
        Err(Error::Lds {
            file: "EF.SOD",
            offset: 2,
            expected: "a ContentInfo of type id-signedData"
        })
    );
    // Garbage inside tag 77 gives an ASN.1 error, not a panic.
    let sod = c(0x77, vec![c(0x30, vec![p(0x02, &[1])])]).encode();
    assert!(matches!(
        Sod::parse(&sod),
        Err(Error::Asn1 { file: "EF.SOD", .. })
    ));
}

#[test]
fn lds_security_object_v1() {
    let lso = c(
        0x30,
        vec![
            p(0x02, &[1]),
            c(0x30, vec![p(0x06, &oid("2.16.840.1.101.3.4.2.1"))]),
            c(
                0x30,
                vec![c(0x30, vec![p(0x02, &[1]), p(0x04, &[0xAA; 32])])],
            ),
            c(0x30, vec![p(0x13, b"0108"), p(0x13, b"040000")]),
        ],
    )
    .encode();
    let parsed = LdsSecurityObject::parse_at(&lso, 0).unwrap();
    assert_eq!(parsed.version, 1);
    assert_eq!(parsed.hash_algorithm, Some(HashAlgorithm::Sha256));
    assert_eq!(parsed.lds_version.as_deref(), Some("0108"));
    assert_eq!(parsed.unicode_version.as_deref(), Some("040000"));
    assert_eq!(parsed.hash_of(DataGroup::Dg1), Some(&[0xAA; 32][..]));
    // Something after the version info is refused.
    let mut bad = lso.clone();
    bad.extend([0x05, 0x00]);
    assert_eq!(
        LdsSecurityObject::parse_at(&bad, 0),
        Err(Error::Tlv {
            offset: lso.len(),
            kind: TlvErrorKind::TrailingBytes { count: 2 }
        })
    );
}

#[test]
fn signed_files_with_the_wrong_content_type() {
    // EF.CardSecurity's ContentInfo wrapped in tag 77 is no EF.SOD.
    let cs = testdata!("jmrtd/efcardsecurity/efcardsecurity.dump");
    let as_sod = Node::primitive(Tag::new(0x77), cs.clone()).encode();
    assert_eq!(
        Sod::parse(&as_sod),
        Err(Error::Lds {
            file: "EF.SOD",
            offset: 4,
            expected: "eContentType id-icao-mrtd-security-ldsSecurityObject"
        })
    );
    // EF.SOD's ContentInfo alone is no EF.CardSecurity.
    let sod = testdata!("jmrtd/lds/bsi2008/EF_SOD.bin");
    assert_eq!(
        CardSecurity::parse(&sod[4..]),
        Err(Error::Lds {
            file: "EF.CardSecurity",
            offset: 0,
            expected: "eContentType id-SecurityObject (0.4.0.127.0.7.3.2.1)"
        })
    );
    // A truncated EF.SOD: the outer length runs past the end.
    assert_eq!(
        Sod::parse(&sod[..1000]),
        Err(Error::Tlv {
            offset: 1,
            kind: TlvErrorKind::LengthOverflow {
                length: 1072,
                available: 996
            }
        })
    );
}

#[test]
fn dispatch_unknown_tag() {
    assert_eq!(
        File::parse(&[0x42, 0x00]),
        Err(Error::Lds {
            file: "LDS file",
            offset: 0,
            expected: "tag 60, 77, a data group tag (61..70), 30 or 31"
        })
    );
}

/// The specimens `mutated_specimens_never_panic` mutates, read once (so
/// an absent `../shared` gives one skip line, not one per case).
fn specimens() -> Option<&'static [Vec<u8>]> {
    static FILES: OnceLock<Option<Vec<Vec<u8>>>> = OnceLock::new();
    FILES
        .get_or_init(|| {
            [
                "jmrtd/lds/bsi2008/EF_COM.bin",
                "jmrtd/lds/bsi2008/Datagroup1.bin",
                "jmrtd/lds/bsi2008/Datagroup2.bin",
                "jmrtd/lds/bsi2008/Datagroup14.bin",
                "jmrtd/lds/bsi2008/Datagroup15.bin",
                "jmrtd/lds/bsi2008/EF_SOD.bin",
                "jmrtd/efcardsecurity/efcardsecurity.dump",
            ]
            .iter()
            .map(|path| shared(&format!("testdata/{path}")))
            .collect()
        })
        .as_deref()
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = File::parse(&bytes);
        let _ = Com::parse(&bytes);
        let _ = Dg1::parse(&bytes);
        let _ = Dg2::parse(&bytes);
        let _ = icao9303::lds::BiometricGroup::parse_dg3(&bytes);
        let _ = icao9303::lds::BiometricGroup::parse_dg4(&bytes);
        let _ = Dg7::parse(&bytes);
        let _ = Dg11::parse(&bytes);
        let _ = Dg12::parse(&bytes);
        let _ = Dg14::parse(&bytes);
        let _ = Dg15::parse(&bytes);
        let _ = Sod::parse(&bytes);
        let _ = CardAccess::parse(&bytes);
        let _ = CardSecurity::parse(&bytes);
        let _ = image::dimensions(&bytes);
    }

    #[test]
    fn tagged_bytes_never_panic(tag in prop::sample::select(vec![0x60u8, 0x61, 0x63, 0x76, 0x67, 0x6B, 0x6C, 0x6E, 0x6F, 0x75, 0x77, 0x30, 0x31]),
                                body in proptest::collection::vec(any::<u8>(), 0..300)) {
        // A well-formed outer TLV around random content reaches deeper code.
        let raw = Node::primitive(Tag::new(u32::from(tag)), body).encode();
        let _ = File::parse(&raw);
    }

    #[test]
    fn mutated_specimens_never_panic(index in 0usize..7, pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let Some(specimens) = specimens() else { return Ok(()) };
        let mut raw = specimens[index].clone();
        let i = pos.index(raw.len());
        raw[i] = byte;
        let _ = File::parse(&raw);
        raw.truncate(i);
        let _ = File::parse(&raw);
    }

    #[test]
    fn com_encode_parse_roundtrip(numbers in proptest::collection::vec(1u8..=16, 0..16)) {
        let dgs: Vec<DataGroup> = numbers.iter().map(|n| DataGroup::from_number(*n).unwrap()).collect();
        let raw = icao9303::lds::com::encode(&dgs);
        let com = Com::parse(&raw).unwrap();
        prop_assert_eq!(com.data_groups, dgs);
        prop_assert_eq!(com.lds_version, "1.7");
        prop_assert_eq!(com.unicode_version, "4.0.0");
    }

    #[test]
    fn dg2_encode_parse_roundtrip(body in proptest::collection::vec(any::<u8>(), 0..2000),
                                  width in any::<u16>(), height in any::<u16>(), jp2 in any::<bool>()) {
        let mut image = if jp2 {
            vec![0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A]
        } else {
            vec![0xFF, 0xD8]
        };
        image.extend(body);
        let raw = Dg2::encode_19794(&image, width, height);
        let dg2 = Dg2::parse(&raw).unwrap();
        let face = dg2.face_image().unwrap();
        prop_assert_eq!(face.data, &image[..]);
        prop_assert_eq!((face.width, face.height), (Some(u32::from(width)), Some(u32::from(height))));
        prop_assert_eq!(face.format, if jp2 { ImageFormat::Jp2 } else { ImageFormat::Jpeg });
        prop_assert_eq!(face.facial_info.as_ref().unwrap().image_data_type, u8::from(jp2));
        prop_assert_eq!(&raw[face.data_offset..face.data_offset + image.len()], &image[..]);
    }

    #[test]
    fn lds_security_object_roundtrip(files in proptest::collection::vec((1u8..=16, proptest::collection::vec(any::<u8>(), 0..64)), 0..8),
                                     alg in prop::sample::select(vec![HashAlgorithm::Sha1, HashAlgorithm::Sha224, HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512])) {
        let files: Vec<(DataGroup, &[u8])> = files.iter().map(|(n, b)| (DataGroup::from_number(*n).unwrap(), &b[..])).collect();
        let raw = LdsSecurityObject::encode(alg, &files);
        let lso = LdsSecurityObject::parse_at(&raw, 0).unwrap();
        prop_assert_eq!(lso.hash_algorithm, Some(alg));
        prop_assert_eq!(lso.data_group_hashes.len(), files.len());
        for (h, (dg, bytes)) in lso.data_group_hashes.iter().zip(&files) {
            prop_assert_eq!(h.data_group, Some(*dg));
            prop_assert_eq!(h.hash.len(), alg.output_len());
            prop_assert_eq!(h.hash.to_vec(), alg.digest(bytes));
        }
    }
}
