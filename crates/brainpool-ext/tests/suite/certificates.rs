//! Real certificates with explicit Brainpool parameters: the Vietnamese
//! ePassport CSCA and the German CSCA root (brainpoolP512r1,
//! ecdsa-with-SHA512 self-signatures) and the BSI 2008 specimen's document
//! signer (brainpoolP224r1) with the ecdsa-with-SHA1 signature of its
//! EF.SOD. The files are in `../shared/testdata` (see its README: OpenSSL
//! verified each of these signatures) and `testdata/bsi2008/ds.der`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use brainpool_ext::{BrainpoolCurve, Error, NamedCurve, ec_public_key_from_spki};
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader, Tagged};
use sha1::Sha1;
use sha2::{Digest, Sha512};
use x509_cert::Certificate;

const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const ECDSA_WITH_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");

use crate::common::{own, testdata};

/// The TBSCertificate exactly as it is in the file (not re-encoded).
fn raw_tbs(cert_der: &[u8]) -> Vec<u8> {
    let mut reader = SliceReader::new(cert_der).unwrap();
    reader
        .sequence(|r| {
            let tbs = r.tlv_bytes()?.to_vec();
            // skip signatureAlgorithm and signatureValue
            r.tlv_bytes()?;
            r.tlv_bytes()?;
            Ok::<_, der::Error>(tbs)
        })
        .unwrap()
}

struct SelfSigned {
    curve: NamedCurve,
    point: Vec<u8>,
    tbs: Vec<u8>,
    signature: Vec<u8>,
}

fn self_signed(der: &[u8]) -> SelfSigned {
    let cert = Certificate::from_der(der).unwrap();
    assert_eq!(cert.signature_algorithm().oid, ECDSA_WITH_SHA512);
    let tbs = raw_tbs(der);
    // x509-cert re-encodes the TBS to the same bytes (the file is DER)
    assert_eq!(cert.tbs_certificate().to_der().unwrap(), tbs);
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = ec_public_key_from_spki(&spki).unwrap();
    SelfSigned {
        curve: key.curve,
        point: key.point.to_vec(),
        tbs,
        signature: cert.signature().raw_bytes().to_vec(),
    }
}

fn check_self_signature(cert: &SelfSigned) {
    assert_eq!(cert.curve, NamedCurve::BrainpoolP512r1);
    let curve = cert.curve.brainpool_ext().unwrap();
    assert_eq!(curve, BrainpoolCurve::P512r1);
    assert_eq!(cert.point.len(), 1 + 2 * 64);
    curve.validate_public_key(&cert.point).unwrap();

    let digest = Sha512::digest(&cert.tbs);
    curve
        .verify_prehash_der(&cert.point, &digest, &cert.signature)
        .unwrap();

    // one flipped bit anywhere in the TBS breaks it
    for i in [0, cert.tbs.len() / 2, cert.tbs.len() - 1] {
        let mut tbs = cert.tbs.clone();
        tbs[i] ^= 0x01;
        assert_eq!(
            curve.verify_prehash_der(&cert.point, &Sha512::digest(&tbs), &cert.signature),
            Err(Error::BadSignature {
                curve: "brainpoolP512r1"
            })
        );
    }
    // a flipped bit in r or in s (the last byte is in s; byte 10 is in r)
    for i in [10, cert.signature.len() - 1] {
        let mut sig = cert.signature.clone();
        sig[i] ^= 0x01;
        assert!(
            curve
                .verify_prehash_der(&cert.point, &digest, &sig)
                .is_err()
        );
    }
    // a flipped bit in the DER header makes it malformed
    let mut sig = cert.signature.clone();
    sig[1] ^= 0x01;
    assert_eq!(
        curve.verify_prehash_der(&cert.point, &digest, &sig),
        Err(Error::MalformedSignature {
            curve: "brainpoolP512r1"
        })
    );
}

#[test]
fn vietnam_csca_self_signature_verifies() {
    let der = testdata!("gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer");
    check_self_signature(&self_signed(&der));
}

#[test]
fn german_csca_root_self_signature_verifies() {
    let der = testdata!("gmrtd/master_list/DE_ROOT_CA_CSCA07.cer");
    check_self_signature(&self_signed(&der));
}

#[test]
fn vietnam_key_does_not_verify_the_german_signature() {
    let vn = self_signed(&testdata!("gmrtd/extracted/VN_CSCA_ePassport_506F1357.cer"));
    let de = self_signed(&testdata!("gmrtd/master_list/DE_ROOT_CA_CSCA07.cer"));
    assert_eq!(
        BrainpoolCurve::P512r1.verify_prehash_der(
            &vn.point,
            &Sha512::digest(&de.tbs),
            &de.signature
        ),
        Err(Error::BadSignature {
            curve: "brainpoolP512r1"
        })
    );
}

/// The SignedData of EF.SOD `sod`: `[APPLICATION 23]` (tag 77) around a
/// CMS ContentInfo.
fn signed_data(sod: &[u8]) -> SignedData {
    let outer = der::asn1::AnyRef::from_der(sod).unwrap();
    assert_eq!(
        outer.tag(),
        der::Tag::Application {
            constructed: true,
            number: der::TagNumber(23)
        }
    );
    let ci = ContentInfo::from_der(outer.value()).unwrap();
    ci.content.decode_as::<SignedData>().unwrap()
}

#[test]
fn bsi2008_document_signer_key_is_brainpool_p224r1() {
    let ds = own("bsi2008/ds.der");
    let cert = Certificate::from_der(&ds).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = ec_public_key_from_spki(&spki).unwrap();
    assert_eq!(key.curve, NamedCurve::BrainpoolP224r1);
    assert_eq!(key.point.len(), 57);
    BrainpoolCurve::P224r1
        .validate_public_key(key.point)
        .unwrap();
    // the same bytes are not a point of the other curves
    assert!(
        BrainpoolCurve::P320r1
            .validate_public_key(key.point)
            .is_err()
    );

    // ds.der is the certificate inside EF.SOD, byte for byte
    let sd = signed_data(&testdata!("jmrtd/lds/bsi2008/EF_SOD.bin"));
    let certs = sd.certificates.unwrap();
    let embedded: Vec<Vec<u8>> = certs.0.iter().map(|c| c.to_der().unwrap()).collect();
    assert_eq!(embedded, vec![ds]);
}

#[test]
fn bsi2008_sod_signature_verifies_with_sha1_on_brainpool_p224r1() {
    let sd = signed_data(&testdata!("jmrtd/lds/bsi2008/EF_SOD.bin"));
    let ds = own("bsi2008/ds.der");
    let cert = Certificate::from_der(&ds).unwrap();
    let spki = cert
        .tbs_certificate()
        .subject_public_key_info()
        .to_der()
        .unwrap();
    let key = ec_public_key_from_spki(&spki).unwrap();
    let curve = key.curve.brainpool_ext().unwrap();

    let signer = sd.signer_infos.0.iter().next().unwrap();
    assert_eq!(signer.digest_alg.oid, SHA1);
    assert_eq!(signer.signature_algorithm.oid, ECDSA_WITH_SHA1);
    // RFC 5652 §5.4: the signature is over the DER of the signed
    // attributes with the SET OF tag (31), not the [0] IMPLICIT tag
    let attrs = signer.signed_attrs.as_ref().unwrap().to_der().unwrap();
    assert_eq!(attrs[0], 0x31);
    let digest = Sha1::digest(&attrs);
    let signature = signer.signature.as_bytes();

    curve
        .verify_prehash_der(key.point, &digest, signature)
        .unwrap();

    // a flipped bit in the attributes or the signature breaks it
    let mut bad = attrs.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x80;
    assert!(
        curve
            .verify_prehash_der(key.point, &Sha1::digest(&bad), signature)
            .is_err()
    );
    let mut bad_sig = signature.to_vec();
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 0x01;
    assert!(
        curve
            .verify_prehash_der(key.point, &digest, &bad_sig)
            .is_err()
    );
    // hashing with SHA-512 instead of SHA-1 does not verify
    assert!(
        curve
            .verify_prehash_der(key.point, &Sha512::digest(&attrs), signature)
            .is_err()
    );
}
