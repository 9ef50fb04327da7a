//! The LDS parsers against the real public specimen files in
//! `../shared/testdata` (see its README for where each file comes from).
//! Expected values come from that README or from the command noted beside
//! them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::lds::dg2::FaceContainer;
use icao9303::lds::dg15::PublicKey;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::sod::HashAlgorithm;
use icao9303::lds::{
    BiometricGroup, CardSecurity, Com, DataGroup, Dg1, Dg2, Dg14, Dg15, File, FileKind,
    SecurityInfo, Sod,
};
use icao9303::mrz::{MrzField, MrzFormat, Sex};
use icao9303::tlv::Tag;

use crate::common::testdata;

use hex::encode as hex;

#[test]
fn bsi2008_com() {
    let raw = testdata!("jmrtd/lds/bsi2008/EF_COM.bin");
    let com = Com::parse(&raw).unwrap();
    assert_eq!(com.lds_version, "1.7");
    assert_eq!(com.unicode_version, "4.0.0");
    assert_eq!(
        com.tags,
        [
            Tag::new(0x61),
            Tag::new(0x75),
            Tag::new(0x63),
            Tag::new(0x6E)
        ]
    );
    assert_eq!(
        com.data_groups,
        [
            DataGroup::Dg1,
            DataGroup::Dg2,
            DataGroup::Dg3,
            DataGroup::Dg14
        ]
    );
    assert_eq!(com.raw, &raw[..]);
}

#[test]
fn loes2006_com() {
    let raw = testdata!("jmrtd/lds/loes2006/ef011E.bin");
    let com = Com::parse(&raw).unwrap();
    assert_eq!(com.lds_version, "1.7");
    assert_eq!(com.unicode_version, "4.0.0");
    assert_eq!(
        com.data_groups,
        [DataGroup::Dg1, DataGroup::Dg2, DataGroup::Dg15]
    );
}

#[test]
fn bsi2008_dg1() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup1.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.format, MrzFormat::Td3);
    assert_eq!(m.document_code, "P");
    assert_eq!(m.issuing_state, "D");
    assert_eq!(m.primary_identifier, "MUSTERMANN");
    assert_eq!(m.secondary_identifier, "ERIKA");
    assert_eq!(m.document_number, "C11T002JM");
    assert_eq!(m.nationality, "D");
    assert_eq!(m.date_of_birth.to_string(), "960812");
    assert_eq!(m.sex, Sex::Female);
    assert_eq!(m.date_of_expiry.to_string(), "131031");
    assert!(dg1.check_digits_ok());
}

#[test]
fn loes2006_dg1() {
    let raw = testdata!("jmrtd/lds/loes2006/ef0101.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.issuing_state, "NLD");
    assert_eq!(m.primary_identifier, "MEULENDIJK");
    assert_eq!(m.secondary_identifier, "LOES ALBERTINE");
    assert_eq!(m.document_number, "XX0001328");
    assert_eq!(m.date_of_birth.to_string(), "711019");
    assert_eq!(m.date_of_expiry.to_string(), "111001");
    assert_eq!(m.optional_data, "123456789");
    assert_eq!(m.sex, Sex::Female);
    assert!(dg1.check_digits_ok());
}

#[test]
fn icao_part10_td1_with_bad_composite() {
    let raw = testdata!("pymrtd/ef/dg1_test_icao_p10_A2_1_TD1.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.format, MrzFormat::Td1);
    assert_eq!(m.document_code, "I");
    assert_eq!(m.issuing_state, "NLD");
    assert_eq!(m.document_number, "XI85935F8");
    assert_eq!(m.optional_data, "999999990");
    assert_eq!(m.date_of_birth.to_string(), "720814");
    assert_eq!(m.sex, Sex::Female);
    assert_eq!(m.date_of_expiry.to_string(), "110826");
    assert_eq!(m.primary_identifier, "VAN DER STEEN");
    assert_eq!(m.secondary_identifier, "MARIANNE LOUISE");
    // README: the composite digit is printed 4; the 7-3-1 rule gives 8.
    assert_eq!(dg1.check_digit_errors.len(), 1);
    match &dg1.check_digit_errors[0] {
        icao9303::Error::MrzCheckDigit {
            field,
            expected,
            found,
            ..
        } => {
            assert_eq!(*field, MrzField::Composite);
            assert_eq!(*expected, '8');
            assert_eq!(*found, '4');
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn icao_part10_td2_modified() {
    let raw = testdata!("pymrtd/ef/dg1_test_icao_p10_A2_2_TD2_modified.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.format, MrzFormat::Td2);
    assert_eq!(m.issuing_state, "ATA");
    assert_eq!(m.primary_identifier, "SMITH");
    assert_eq!(m.secondary_identifier, "JOHN T");
    // README: the 12-character number overflows into the optional data.
    assert_eq!(m.document_number, "123456789012");
    assert_eq!(m.nationality, "HMD");
    assert_eq!(m.date_of_birth.to_string(), "740622");
    assert_eq!(m.sex, Sex::Male);
    assert_eq!(m.date_of_expiry.to_string(), "101231");
    assert!(dg1.check_digits_ok());
}

#[test]
fn icao_part4_td3() {
    let raw = testdata!("pymrtd/ef/dg1_test_icao_p4_B_TD3.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    let m = &dg1.mrz;
    assert_eq!(m.format, MrzFormat::Td3);
    assert_eq!(m.issuing_state, "UTO");
    assert_eq!(m.primary_identifier, "ERIKSSON");
    assert_eq!(m.secondary_identifier, "ANNA MARIA");
    assert_eq!(m.document_number, "L898902C3");
    assert_eq!(m.optional_data, "ZE184226B");
    assert_eq!(m.date_of_birth.to_string(), "740812");
    assert_eq!(m.date_of_expiry.to_string(), "120415");
    assert!(dg1.check_digits_ok());
}

#[test]
fn pymrtd_dg1_companions() {
    let raw = testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG1.bin");
    let dg1 = Dg1::parse(&raw).unwrap();
    assert_eq!(dg1.mrz.primary_identifier, "MUSTERMANN");
    assert_eq!(dg1.mrz.date_of_expiry.to_string(), "231031");
    let raw = testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG1.bin");
    assert_eq!(
        Dg1::parse(&raw).unwrap().mrz.date_of_expiry.to_string(),
        "131031"
    );
}

#[test]
fn bsi2008_dg2_jpeg2000_face() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    let dg2 = Dg2::parse(&raw).unwrap();
    assert_eq!(dg2.records.len(), 1);
    let rec = &dg2.records[0];
    assert_eq!(rec.container, FaceContainer::Iso19794_5);
    // `xxd Datagroup2.bin | head -3`: A1 { 81 01 02, 82 01 00, 87 02 01 01, 88 02 00 08 }
    assert_eq!(rec.header.biometric_type, Some(2));
    assert_eq!(rec.header.biometric_subtype, Some(0));
    assert_eq!(rec.header.format_owner, Some(0x0101));
    assert_eq!(rec.header.format_type, Some(0x0008));
    let head = rec.record_header.as_ref().unwrap();
    assert_eq!(head.version, "010");
    assert_eq!(head.record_length, 0x3AC5);
    assert_eq!(head.number_of_faces, 1);
    let face = dg2.face_image().unwrap();
    // README: the JP2 signature is at offset 84.
    assert_eq!(face.data_offset, 84);
    assert_eq!(face.data.len(), raw.len() - 84);
    assert_eq!(face.format, ImageFormat::Jp2);
    let info = face.facial_info.as_ref().unwrap();
    assert_eq!(info.face_image_type, 1); // full frontal
    assert_eq!(info.image_data_type, 1); // JPEG 2000
    // The record states 0x0151 x 0x01C1 (`xxd -s 0x4A -l 4 Datagroup2.bin`)...
    assert_eq!((face.width, face.height), (Some(337), Some(449)));
    // ...but the image's ihdr box says width 413, height 531:
    // `python3 -c "d=open('face.jp2','rb').read(); i=d.find(b'ihdr'); print(struct.unpack('>II', d[i+4:i+12]))"`
    // gives (531, 413) (height, width); `opj_decompress` agrees.
    assert_eq!(face.image_dimensions, Some((413, 531)));
    // Zero copy: the image is a slice of the file.
    assert!(std::ptr::eq(face.data.as_ptr(), raw[84..].as_ptr()));
}

#[test]
fn loes2006_dg2() {
    let raw = testdata!("jmrtd/lds/loes2006/ef0102.bin");
    let dg2 = Dg2::parse(&raw).unwrap();
    let face = dg2.face_image().unwrap();
    assert_eq!(face.format, ImageFormat::Jp2);
    // `xxd -s 0x48 -l 6 ef0102.bin`: 01 01 01c1 0256.
    assert_eq!(face.width, Some(449));
    assert_eq!(face.height, Some(598));
    // The ihdr box says height 598, width 449 (same command as for BSI).
    assert_eq!(face.image_dimensions, Some((449, 598)));
    assert_eq!(face.data_offset, 84);
    assert_eq!(face.data.len(), 13785 - 84);
}

#[test]
fn bsi2008_dg14() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup14.bin");
    let dg14 = Dg14::parse(&raw).unwrap();
    let infos = &dg14.security_infos.infos;
    // `openssl asn1parse -inform DER -in Datagroup14.bin -i`
    assert_eq!(infos.len(), 3);
    match &infos[0] {
        SecurityInfo::ChipAuthenticationPublicKey {
            protocol,
            public_key,
            key_id,
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.1.2");
            assert_eq!(public_key.algorithm.to_string(), "1.2.840.10045.2.1");
            assert_eq!(*key_id, None);
            match &public_key.key {
                PublicKey::Ec {
                    named_curve, point, ..
                } => {
                    assert_eq!(*named_curve, None); // explicit parameters
                    assert_eq!(point.len(), 57);
                    assert_eq!(point[0], 0x04);
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    match &infos[1] {
        SecurityInfo::ChipAuthentication {
            protocol,
            version,
            key_id,
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.3.2.1");
            assert_eq!(*version, 1);
            assert_eq!(*key_id, None);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        infos[2],
        SecurityInfo::TerminalAuthentication {
            version: 1,
            ef_cvca: None
        }
    ));
}

#[test]
fn pymrtd_dg14s_parse() {
    for raw in [
        testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG14.bin"),
        testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG14.bin"),
    ] {
        let dg14 = Dg14::parse(&raw).unwrap();
        assert!(
            dg14.security_infos
                .infos
                .iter()
                .any(|i| matches!(i, SecurityInfo::ChipAuthentication { .. }))
        );
    }
}

#[test]
fn bsi2008_dg15_rsa_without_sign_byte() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup15.bin");
    let dg15 = Dg15::parse(&raw).unwrap();
    // `openssl asn1parse -inform DER -in Datagroup15.bin -strparse 21`: the
    // modulus prints as a negative number (128 bytes, no 00 byte), the
    // exponent 010001. `xxd -s 28 -l 8` shows `02 81 80 cf 9a...` and
    // `xxd -s 156 -l 8` shows `...94 1f d7 02 03 01 00 01`.
    match &dg15.public_key.key {
        PublicKey::Rsa {
            modulus,
            exponent,
            modulus_bits,
        } => {
            assert_eq!(modulus.len(), 128);
            assert_eq!(*modulus_bits, 1024);
            assert_eq!(&modulus[..2], [0xCF, 0x9A]);
            assert_eq!(&modulus[125..], [0x94, 0x1F, 0xD7]);
            assert_eq!(*modulus, &raw[31..159]);
            assert_eq!(*exponent, [0x01, 0x00, 0x01]);
        }
        other => panic!("{other:?}"),
    }
    // The SubjectPublicKeyInfo bytes are kept exactly: offset 3 to the end.
    assert_eq!(dg15.public_key.spki, &raw[3..]);
}

#[test]
fn rsa_dg15s() {
    for raw in [
        testdata!("jmrtd/lds/loes2006/ef010F.bin"),
        testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG15.bin"),
        testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG15.bin"),
    ] {
        let dg15 = Dg15::parse(&raw).unwrap();
        match &dg15.public_key.key {
            // README: RSA-1024, e = 65537.
            PublicKey::Rsa {
                exponent,
                modulus_bits,
                ..
            } => {
                assert_eq!(*modulus_bits, 1024);
                assert_eq!(*exponent, [0x01, 0x00, 0x01]);
            }
            other => panic!("{other:?}"),
        }
    }
}

fn assert_hashes(sod: &Sod<'_>, files: &[(DataGroup, &[u8])]) {
    let lso = &sod.lds_security_object;
    let alg = lso.hash_algorithm.unwrap();
    for (dg, bytes) in files {
        assert_eq!(lso.hash_of(*dg), Some(&alg.digest(bytes)[..]), "{dg}");
    }
}

#[test]
fn bsi2008_sod_sha1() {
    let raw = testdata!("jmrtd/lds/bsi2008/EF_SOD.bin");
    let sod = Sod::parse(&raw).unwrap();
    let lso = &sod.lds_security_object;
    assert_eq!(lso.version, 0);
    assert_eq!(lso.hash_algorithm, Some(HashAlgorithm::Sha1));
    assert_eq!(lso.hash_algorithm_oid.to_string(), "1.3.14.3.2.26");
    let numbers: Vec<u64> = lso.data_group_hashes.iter().map(|h| h.number).collect();
    assert_eq!(numbers, [1, 2, 3, 14]);
    // `sha1sum Datagroup1.bin Datagroup2.bin Datagroup3.bin Datagroup14.bin`
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg1).unwrap()),
        "fb1bc1921f4dc07947408a7cdd5cc0c928353809"
    );
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg2).unwrap()),
        "0f34e1e194035a036ac87b134e0ae41bcfd0c991"
    );
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg3).unwrap()),
        "5d14a5fb5261932cff2bb3cb2235ccc8561cafa6"
    );
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg14).unwrap()),
        "0c023a95b0d3c7f70c4b05e21f57af03992b3ee4"
    );
    assert_hashes(
        &sod,
        &[
            (
                DataGroup::Dg1,
                &testdata!("jmrtd/lds/bsi2008/Datagroup1.bin"),
            ),
            (
                DataGroup::Dg2,
                &testdata!("jmrtd/lds/bsi2008/Datagroup2.bin"),
            ),
            (
                DataGroup::Dg3,
                &testdata!("jmrtd/lds/bsi2008/Datagroup3.bin"),
            ),
            (
                DataGroup::Dg14,
                &testdata!("jmrtd/lds/bsi2008/Datagroup14.bin"),
            ),
        ],
    );
    // README: DG15 has no hash in this SOD.
    assert_eq!(lso.hash_of(DataGroup::Dg15), None);
    let s = &sod.signed;
    // The messageDigest attribute is SHA-1 over the eContent:
    // `dd if=EF_SOD.bin bs=1 skip=59 count=126 | sha1sum`
    assert_eq!(
        hex(s.signers[0].message_digest.as_deref().unwrap()),
        "111cb0211c65b480c369ee7059636c4c1d93b573"
    );
    assert_eq!(sod.econtent.len(), 126);
    assert_eq!(
        hex(HashAlgorithm::Sha1.digest(sod.econtent)),
        "111cb0211c65b480c369ee7059636c4c1d93b573"
    );
    // The signed attributes are the file's bytes with the [0] tag made a SET.
    let attrs = s.signers[0].signed_attributes.as_deref().unwrap();
    assert_eq!(attrs[0], 0x31);
    let at = raw
        .windows(attrs.len() - 1)
        .position(|w| w == &attrs[1..])
        .unwrap();
    assert_eq!(raw[at - 1], 0xA0);
    assert_eq!(s.content_type.to_string(), "2.23.136.1.1.1");
    assert_eq!(s.signers.len(), 1);
    assert_eq!(s.signers[0].digest_algorithm.to_string(), "1.3.14.3.2.26");
    assert_eq!(
        s.signers[0].signature_algorithm.to_string(),
        "1.2.840.10045.4.1"
    ); // ecdsa-with-SHA1
    assert_eq!(s.certificates.len(), 1);
    let c = &s.certificates[0];
    assert_eq!(c.serial_number, "1267");
    assert!(c.subject.contains("CN=DS"), "{}", c.subject);
    assert!(
        c.subject.contains("O=BundesDruckerei GmbH"),
        "{}",
        c.subject
    );
    assert_eq!(c.issuer, "CN=CSCA BDR TEST 19.09.07");
    assert_eq!(c.public_key_algorithm.to_string(), "1.2.840.10045.2.1");
    assert!(c.not_before.starts_with("2008-01-28"), "{}", c.not_before);
    assert!(c.not_after.starts_with("2009-01-27"), "{}", c.not_after);
}

#[test]
fn loes2006_sod_sha256() {
    let raw = testdata!("jmrtd/lds/loes2006/ef011D.bin");
    let sod = Sod::parse(&raw).unwrap();
    let lso = &sod.lds_security_object;
    assert_eq!(lso.hash_algorithm, Some(HashAlgorithm::Sha256));
    let numbers: Vec<u64> = lso.data_group_hashes.iter().map(|h| h.number).collect();
    assert_eq!(numbers, [1, 2, 15]);
    // README (`sha256sum ef0101.bin ef0102.bin ef010F.bin`).
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg1).unwrap()),
        "9c2432bc26cf6b250839dedc658f2bf72fa3adad32ec9656395f53c8d7aa13ed"
    );
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg2).unwrap()),
        "d419c73f496341fbd4f52961cc806867e17578615074da6289a667ee741a2d9b"
    );
    assert_eq!(
        hex(lso.hash_of(DataGroup::Dg15).unwrap()),
        "cb54d8b2ef0a2eba98f69c1162ab6308386343a4efe66b5ac8037e240bfe051d"
    );
    let s = &sod.signed;
    assert_eq!(
        s.signers[0].signature_algorithm.to_string(),
        "1.2.840.113549.1.1.11"
    );
    assert_eq!(s.certificates[0].serial_number, "16");
    assert!(
        s.certificates[0].subject.contains("CN=DS Test"),
        "{}",
        s.certificates[0].subject
    );
}

#[test]
fn pymrtd_sods_rsassa_pss() {
    let bsi = testdata!("pymrtd/ef/sod_test_bsi_tr03105_EF_SOD.bin");
    let sod = Sod::parse(&bsi).unwrap();
    let lso = &sod.lds_security_object;
    assert_eq!(lso.hash_algorithm, Some(HashAlgorithm::Sha256));
    let numbers: Vec<u64> = lso.data_group_hashes.iter().map(|h| h.number).collect();
    // `openssl asn1parse -inform DER -in sod_test_bsi_tr03105_EF_SOD.bin -strparse 64 | grep INTEGER`
    assert_eq!(numbers, [1, 2, 3, 14, 4]);
    assert_eq!(
        sod.signed.signers[0].signature_algorithm.to_string(),
        "1.2.840.113549.1.1.10"
    );
    assert_eq!(sod.signed.certificates[0].serial_number, "0142fd5cf927");
    assert_hashes(
        &sod,
        &[
            (
                DataGroup::Dg1,
                &testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG1.bin"),
            ),
            (
                DataGroup::Dg2,
                &testdata!("jmrtd/lds/bsi2008/Datagroup2.bin"),
            ),
            (
                DataGroup::Dg3,
                &testdata!("jmrtd/lds/bsi2008/Datagroup3.bin"),
            ),
            (
                DataGroup::Dg4,
                &testdata!("jmrtd/lds/bsi2008/Datagroup4.bin"),
            ),
            (
                DataGroup::Dg14,
                &testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG14.bin"),
            ),
        ],
    );
    // README: that DG15 is correctly absent.
    assert_eq!(lso.hash_of(DataGroup::Dg15), None);

    let etsi = testdata!("pymrtd/ef/sod_test_etsi_tr103200_EF_SOD.bin");
    let sod = Sod::parse(&etsi).unwrap();
    let numbers: Vec<u64> = sod
        .lds_security_object
        .data_group_hashes
        .iter()
        .map(|h| h.number)
        .collect();
    assert_eq!(numbers, [1, 2, 3, 14, 15, 4]);
    assert_eq!(sod.signed.certificates[0].serial_number, "0130846f2b3e");
    assert_hashes(
        &sod,
        &[
            (
                DataGroup::Dg1,
                &testdata!("jmrtd/lds/bsi2008/Datagroup1.bin"),
            ),
            (
                DataGroup::Dg2,
                &testdata!("jmrtd/lds/bsi2008/Datagroup2.bin"),
            ),
            (
                DataGroup::Dg3,
                &testdata!("jmrtd/lds/bsi2008/Datagroup3.bin"),
            ),
            (
                DataGroup::Dg4,
                &testdata!("jmrtd/lds/bsi2008/Datagroup4.bin"),
            ),
            (
                DataGroup::Dg14,
                &testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG14.bin"),
            ),
            (
                DataGroup::Dg15,
                &testdata!("pymrtd/ef/sod_test_etsi_tr103200_DG15.bin"),
            ),
        ],
    );
}

#[test]
fn card_security() {
    let raw = testdata!("jmrtd/efcardsecurity/efcardsecurity.dump");
    let cs = CardSecurity::parse(&raw).unwrap();
    assert_eq!(cs.signed.content_type.to_string(), "0.4.0.127.0.7.3.2.1");
    // `openssl asn1parse -inform DER -in efcardsecurity.dump -i -strparse 57`
    let infos = &cs.security_infos.infos;
    assert_eq!(infos.len(), 4);
    assert!(!infos.iter().any(|i| matches!(i, SecurityInfo::Pace { .. })));
    assert!(matches!(
        infos[0],
        SecurityInfo::TerminalAuthentication { version: 2, .. }
    ));
    match &infos[1] {
        SecurityInfo::ChipAuthentication {
            protocol, version, ..
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.3.2.2");
            assert_eq!(*version, 2);
        }
        other => panic!("{other:?}"),
    }
    match &infos[2] {
        SecurityInfo::ChipAuthenticationDomainParameter {
            protocol,
            domain_parameter,
            ..
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.3.2");
            // { 0.4.0.127.0.7.1.2, 13 (brainpoolP256r1) }
            assert_eq!(domain_parameter.last(), Some(&13));
        }
        other => panic!("{other:?}"),
    }
    match &infos[3] {
        SecurityInfo::ChipAuthenticationPublicKey {
            protocol,
            public_key,
            ..
        } => {
            assert_eq!(protocol.to_string(), "0.4.0.127.0.7.2.2.1.2");
            match &public_key.key {
                PublicKey::Ec {
                    point, parameters, ..
                } => {
                    assert_eq!(point.len(), 65);
                    assert_eq!(point[0], 0x04);
                    assert_eq!(*parameters, [0x02, 0x01, 0x0D]);
                }
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        cs.signed.signers[0].signature_algorithm.to_string(),
        "1.2.840.10045.4.3.2"
    );
    // x509-cert prints names RFC 4514 style, last RDN first.
    assert_eq!(cs.signed.certificates[0].subject, "CN=DS-1,C=UT");
    assert_eq!(cs.signed.certificates[0].issuer, "CN=CSCA,C=UT");
}

#[test]
fn dispatch_on_first_tag() {
    let cases: [(Vec<u8>, FileKind); 8] = [
        (testdata!("jmrtd/lds/bsi2008/EF_COM.bin"), FileKind::Com),
        (
            testdata!("jmrtd/lds/bsi2008/Datagroup1.bin"),
            FileKind::Dg(DataGroup::Dg1),
        ),
        (
            testdata!("jmrtd/lds/bsi2008/Datagroup2.bin"),
            FileKind::Dg(DataGroup::Dg2),
        ),
        (
            testdata!("jmrtd/lds/bsi2008/Datagroup3.bin"),
            FileKind::Dg(DataGroup::Dg3),
        ),
        (
            testdata!("jmrtd/lds/bsi2008/Datagroup4.bin"),
            FileKind::Dg(DataGroup::Dg4),
        ),
        (
            testdata!("jmrtd/lds/bsi2008/Datagroup14.bin"),
            FileKind::Dg(DataGroup::Dg14),
        ),
        (testdata!("jmrtd/lds/bsi2008/EF_SOD.bin"), FileKind::Sod),
        (
            testdata!("jmrtd/efcardsecurity/efcardsecurity.dump"),
            FileKind::CardSecurity,
        ),
    ];
    for (raw, kind) in &cases {
        let f = File::parse(raw).unwrap();
        assert_eq!(f.kind(), *kind);
        assert_eq!(f.raw(), &raw[..]);
    }
    // A data group without a parser of its own is kept raw.
    let dg16 = [0x70, 0x02, 0x04, 0x00];
    assert!(matches!(
        File::parse(&dg16).unwrap(),
        File::Other {
            data_group: DataGroup::Dg16,
            ..
        }
    ));
}

#[test]
fn bsi2008_dg3_fingers() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup3.bin");
    let dg3 = BiometricGroup::parse_dg3(&raw).unwrap();
    // `openssl asn1parse -inform DER -in Datagroup3.bin -i`: two templates,
    // data blocks (appl 46) at 33 (hl 5, l 16435) and 16494 (hl 5, l 15977);
    // `xxd -s 19 -l 14` / `xxd -s 16480 -l 16`: type 08, subtypes 09 and 0A,
    // format owner 0101, format type 0007.
    assert_eq!(dg3.templates.len(), 2);
    let t = &dg3.templates;
    assert_eq!(t[0].header.biometric_type, Some(0x08));
    assert_eq!(t[0].header.biometric_subtype, Some(0x09));
    assert_eq!(t[1].header.biometric_subtype, Some(0x0A));
    assert_eq!(t[0].header.format_owner, Some(0x0101));
    assert_eq!(t[0].header.format_type, Some(0x0007));
    assert_eq!(t[0].format_identifier.as_deref(), Some("FIR"));
    assert_eq!((t[0].data_offset, t[0].data.len()), (38, 16435));
    assert_eq!((t[1].data_offset, t[1].data.len()), (16499, 15977));
}

#[test]
fn bsi2008_dg4_irises() {
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup4.bin");
    let dg4 = BiometricGroup::parse_dg4(&raw).unwrap();
    // `openssl asn1parse -inform DER -in Datagroup4.bin -i` and
    // `xxd -s 6494 -l 18`: type 10, subtypes 01 and 02, format type 0009.
    let t = &dg4.templates;
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].header.version, Some(&[0x01, 0x01][..]));
    assert_eq!(t[0].header.biometric_type, Some(0x10));
    assert_eq!(t[0].header.biometric_subtype, Some(0x01));
    assert_eq!(t[1].header.biometric_subtype, Some(0x02));
    assert_eq!(t[1].header.format_type, Some(0x0009));
    assert_eq!(t[1].format_identifier.as_deref(), Some("IIR"));
    assert_eq!((t[0].data_offset, t[0].data.len()), (42, 6445));
    assert_eq!((t[1].data_offset, t[1].data.len()), (6517, 6777));
}

#[test]
fn sod_certificates_match_the_pymrtd_dscs() {
    // README: each embedded DSC is byte-identical to the matching .cer file.
    let sod = testdata!("pymrtd/ef/sod_test_bsi_tr03105_EF_SOD.bin");
    let sod = Sod::parse(&sod).unwrap();
    assert_eq!(
        sod.signed.certificates[0].der,
        testdata!("pymrtd/pki/certs/dsc_de_0142fd5cf927.cer")
    );
    let sod = testdata!("pymrtd/ef/sod_test_etsi_tr103200_EF_SOD.bin");
    let sod = Sod::parse(&sod).unwrap();
    assert_eq!(
        sod.signed.certificates[0].der,
        testdata!("pymrtd/pki/certs/dsc_de_0130846f2b3e.cer")
    );
    let c = &sod.signed.certificates[0];
    assert!(c.subject.contains("CN=ETSI DS"), "{}", c.subject);
    assert!(c.not_before.starts_with("2011-06-12"), "{}", c.not_before);
}

#[test]
fn writers_reproduce_the_specimens() {
    // EF.COM: LDS 1.7, Unicode 4.0.0, the tag list.
    let com = testdata!("jmrtd/lds/bsi2008/EF_COM.bin");
    let list = [
        DataGroup::Dg1,
        DataGroup::Dg2,
        DataGroup::Dg3,
        DataGroup::Dg14,
    ];
    assert_eq!(icao9303::lds::com::encode(&list), com);
    let com = testdata!("jmrtd/lds/loes2006/ef011E.bin");
    let list = [DataGroup::Dg1, DataGroup::Dg2, DataGroup::Dg15];
    assert_eq!(icao9303::lds::com::encode(&list), com);
    // DG1 from the parsed MRZ, byte for byte (every check digit holds).
    for raw in [
        testdata!("jmrtd/lds/bsi2008/Datagroup1.bin"),
        testdata!("jmrtd/lds/loes2006/ef0101.bin"),
        testdata!("pymrtd/ef/dg1_test_icao_p4_B_TD3.bin"),
        testdata!("pymrtd/ef/dg1_test_icao_p10_A2_2_TD2_modified.bin"),
        testdata!("pymrtd/ef/sod_test_bsi_tr03105_DG1.bin"),
    ] {
        let dg1 = Dg1::parse(&raw).unwrap();
        assert_eq!(Dg1::encode(&dg1.mrz).unwrap(), raw);
    }
    // DG2 around the face image, with the record's stated size.
    let raw = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    assert!(Dg2::encode_19794(&raw[84..], 337, 449) == raw);
    // loes2006 differs in one byte: its colour space (offset 78,
    // `xxd -s 0x48 -l 8 ef0102.bin` gives 0101 01c1 0256 0100) is 1, the
    // writer puts 0 (unspecified).
    let mut raw = testdata!("jmrtd/lds/loes2006/ef0102.bin");
    assert_eq!(raw[78], 1);
    raw[78] = 0;
    assert!(Dg2::encode_19794(&raw[84..], 449, 598) == raw);
}

#[test]
fn lds_security_object_and_dg14_dg15_writers() {
    use icao9303::lds::sod::LdsSecurityObject;
    // The BSI 2008 LDSSecurityObject is V0, SHA-1 with NULL parameters; the
    // writer leaves the parameters out, so compare the parsed content.
    let dg1 = testdata!("jmrtd/lds/bsi2008/Datagroup1.bin");
    let dg2 = testdata!("jmrtd/lds/bsi2008/Datagroup2.bin");
    let lso = LdsSecurityObject::encode(
        HashAlgorithm::Sha1,
        &[(DataGroup::Dg1, &dg1), (DataGroup::Dg2, &dg2)],
    );
    let parsed = LdsSecurityObject::parse_at(&lso, 0).unwrap();
    let sod = testdata!("jmrtd/lds/bsi2008/EF_SOD.bin");
    let sod = Sod::parse(&sod).unwrap();
    assert_eq!(parsed.version, 0);
    assert_eq!(parsed.hash_algorithm, Some(HashAlgorithm::Sha1));
    assert_eq!(
        parsed.hash_of(DataGroup::Dg1),
        sod.lds_security_object.hash_of(DataGroup::Dg1)
    );
    assert_eq!(
        parsed.hash_of(DataGroup::Dg2),
        sod.lds_security_object.hash_of(DataGroup::Dg2)
    );
    // DG15 and DG14 around their contents reproduce the files.
    let dg15 = testdata!("jmrtd/lds/loes2006/ef010F.bin");
    let parsed = Dg15::parse(&dg15).unwrap();
    assert_eq!(Dg15::encode(parsed.public_key.spki), dg15);
    let dg14 = testdata!("jmrtd/lds/bsi2008/Datagroup14.bin");
    // `openssl asn1parse -inform DER -in Datagroup14.bin -i`: the three
    // SecurityInfos span bytes 8..302, 302..319 and 319..334.
    let infos: [&[u8]; 3] = [&dg14[8..302], &dg14[302..319], &dg14[319..334]];
    assert_eq!(Dg14::encode(&infos), dg14);
}
