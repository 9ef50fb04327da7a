//! Every object identifier the crate (and the simulator) reads or writes,
//! in one form: a [`der`] `ObjectIdentifier` constant. Compare OIDs with
//! `==` (their DER content octets), never as dotted text: turning an OID
//! into a string costs an allocation per comparison.
//!
//! Grouped by where they come from: BSI TR-03110 / Doc 9303 Part 11 (the
//! chip protocols), ICAO (the LDS and the PKI), and the PKIX/CMS and curve
//! registries.

#[allow(unused_imports)]
use crate::prelude::*;
pub use der::asn1::ObjectIdentifier;

/// Shorthand for the constants below.
const fn oid(dotted: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(dotted)
}

// ---- BSI TR-03110 / Doc 9303 Part 11: the chip protocols --------------------

/// id-PACE, 0.4.0.127.0.7.2.2.4 (a mapping arc and a cipher arc follow).
pub const ID_PACE: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.4");
/// id-CA, 0.4.0.127.0.7.2.2.3.
pub const ID_CA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3");
/// id-CA-DH, 0.4.0.127.0.7.2.2.3.1 (a cipher arc follows).
pub const ID_CA_DH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3.1");
/// id-CA-ECDH, 0.4.0.127.0.7.2.2.3.2 (a cipher arc follows).
pub const ID_CA_ECDH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3.2");
/// id-PK, 0.4.0.127.0.7.2.2.1.
pub const ID_PK: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1");
/// id-PK-DH, 0.4.0.127.0.7.2.2.1.1: a ChipAuthenticationPublicKeyInfo with
/// a DH key.
pub const ID_PK_DH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1.1");
/// id-PK-ECDH, 0.4.0.127.0.7.2.2.1.2: a ChipAuthenticationPublicKeyInfo
/// with an EC key.
pub const ID_PK_ECDH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1.2");
/// id-TA, 0.4.0.127.0.7.2.2.2.
pub const ID_TA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2");
/// id-SecurityObject (BSI TR-03110), 0.4.0.127.0.7.3.2.1: the content type
/// of EF.CardSecurity.
pub const ID_SECURITY_OBJECT: ObjectIdentifier = oid("0.4.0.127.0.7.3.2.1");
/// id-ecc standardized domain parameters (BSI TR-03110), 0.4.0.127.0.7.1.2:
/// the parameters are a domain parameter id (an INTEGER).
pub const STANDARDIZED_DOMAIN_PARAMETERS: ObjectIdentifier = oid("0.4.0.127.0.7.1.2");
/// ecdsa-plain-SHA1 (BSI TR-03111 §5.2.1), 0.4.0.127.0.7.1.1.4.1.1.
pub const ECDSA_PLAIN_SHA1: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.1");
/// ecdsa-plain-SHA224, 0.4.0.127.0.7.1.1.4.1.2.
pub const ECDSA_PLAIN_SHA224: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.2");
/// ecdsa-plain-SHA256, 0.4.0.127.0.7.1.1.4.1.3.
pub const ECDSA_PLAIN_SHA256: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.3");
/// ecdsa-plain-SHA384, 0.4.0.127.0.7.1.1.4.1.4.
pub const ECDSA_PLAIN_SHA384: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.4");
/// ecdsa-plain-SHA512, 0.4.0.127.0.7.1.1.4.1.5.
pub const ECDSA_PLAIN_SHA512: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.5");

// ---- ICAO: the LDS and the PKI ------------------------------------------------

/// id-AA, 2.23.136.1.1.5: ActiveAuthenticationInfo.
pub const ID_AA: ObjectIdentifier = oid("2.23.136.1.1.5");
/// id-icao-mrtd-security-ldsSecurityObject, 2.23.136.1.1.1.
pub const ID_LDS_SECURITY_OBJECT: ObjectIdentifier = oid("2.23.136.1.1.1");
/// id-icao-cscaMasterList, 2.23.136.1.1.2.
pub const ID_CSCA_MASTER_LIST: ObjectIdentifier = oid("2.23.136.1.1.2");
/// id-icao-mrtd-security-extensions-nameChange, 2.23.136.1.1.6.1.
pub const ICAO_NAME_CHANGE: ObjectIdentifier = oid("2.23.136.1.1.6.1");
/// id-icao-mrtd-security-extensions-documentTypeList, 2.23.136.1.1.6.2.
pub const ICAO_DOCUMENT_TYPE_LIST: ObjectIdentifier = oid("2.23.136.1.1.6.2");

// ---- CMS (RFC 5652) -------------------------------------------------------------

/// id-signedData, 1.2.840.113549.1.7.2.
pub const ID_SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
/// id-contentType, 1.2.840.113549.1.9.3.
pub const ID_CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
/// id-messageDigest, 1.2.840.113549.1.9.4.
pub const ID_MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
/// id-signingTime, 1.2.840.113549.1.9.5.
pub const ID_SIGNING_TIME: ObjectIdentifier = oid("1.2.840.113549.1.9.5");

// ---- hashes -------------------------------------------------------------------

/// SHA-1, 1.3.14.3.2.26.
pub const SHA1: ObjectIdentifier = oid("1.3.14.3.2.26");
/// SHA-224, 2.16.840.1.101.3.4.2.4.
pub const SHA224: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.4");
/// SHA-256, 2.16.840.1.101.3.4.2.1.
pub const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
/// SHA-384, 2.16.840.1.101.3.4.2.2.
pub const SHA384: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.2");
/// SHA-512, 2.16.840.1.101.3.4.2.3.
pub const SHA512: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.3");

// ---- public keys and signatures (PKCS #1, RFC 3279, X9.62) ----------------------

/// rsaEncryption, 1.2.840.113549.1.1.1.
pub const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
/// id-mgf1, 1.2.840.113549.1.1.8.
pub const MGF1: ObjectIdentifier = oid("1.2.840.113549.1.1.8");
/// id-RSASSA-PSS, 1.2.840.113549.1.1.10.
pub const RSASSA_PSS: ObjectIdentifier = oid("1.2.840.113549.1.1.10");
/// sha1WithRSAEncryption, 1.2.840.113549.1.1.5.
pub const SHA1_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.5");
/// sha-1WithRSASignature (OIW), 1.3.14.3.2.29: an old alias of
/// sha1WithRSAEncryption some issuers still use.
pub const SHA1_WITH_RSA_OIW: ObjectIdentifier = oid("1.3.14.3.2.29");
/// sha224WithRSAEncryption, 1.2.840.113549.1.1.14.
pub const SHA224_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.14");
/// sha256WithRSAEncryption, 1.2.840.113549.1.1.11.
pub const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
/// sha384WithRSAEncryption, 1.2.840.113549.1.1.12.
pub const SHA384_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.12");
/// sha512WithRSAEncryption, 1.2.840.113549.1.1.13.
pub const SHA512_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.13");
/// dhpublicnumber, 1.2.840.10046.2.1 (RFC 3279 §2.3.3): parameters
/// `{ p, g, q, ... }`, the key a DER INTEGER `y`.
pub const DH_PUBLIC_NUMBER: ObjectIdentifier = oid("1.2.840.10046.2.1");
/// id-ecPublicKey, 1.2.840.10045.2.1.
pub const EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
/// ecdsa-with-SHA1, 1.2.840.10045.4.1.
pub const ECDSA_WITH_SHA1: ObjectIdentifier = oid("1.2.840.10045.4.1");
/// ecdsa-with-SHA224, 1.2.840.10045.4.3.1.
pub const ECDSA_WITH_SHA224: ObjectIdentifier = oid("1.2.840.10045.4.3.1");
/// ecdsa-with-SHA256, 1.2.840.10045.4.3.2.
pub const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
/// ecdsa-with-SHA384, 1.2.840.10045.4.3.3.
pub const ECDSA_WITH_SHA384: ObjectIdentifier = oid("1.2.840.10045.4.3.3");
/// ecdsa-with-SHA512, 1.2.840.10045.4.3.4.
pub const ECDSA_WITH_SHA512: ObjectIdentifier = oid("1.2.840.10045.4.3.4");

// ---- named curves (SEC 2, RFC 5639) ---------------------------------------------

/// secp192r1 (NIST P-192, prime192v1), 1.2.840.10045.3.1.1.
pub const SECP192R1: ObjectIdentifier = oid("1.2.840.10045.3.1.1");
/// secp224r1 (NIST P-224), 1.3.132.0.33.
pub const SECP224R1: ObjectIdentifier = oid("1.3.132.0.33");
/// secp256r1 (NIST P-256, prime256v1), 1.2.840.10045.3.1.7.
pub const SECP256R1: ObjectIdentifier = oid("1.2.840.10045.3.1.7");
/// secp384r1 (NIST P-384), 1.3.132.0.34.
pub const SECP384R1: ObjectIdentifier = oid("1.3.132.0.34");
/// secp521r1 (NIST P-521), 1.3.132.0.35.
pub const SECP521R1: ObjectIdentifier = oid("1.3.132.0.35");
/// brainpoolP192r1, 1.3.36.3.3.2.8.1.1.3.
pub const BRAINPOOL_P192R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.3");
/// brainpoolP224r1, 1.3.36.3.3.2.8.1.1.5.
pub const BRAINPOOL_P224R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.5");
/// brainpoolP256r1, 1.3.36.3.3.2.8.1.1.7.
pub const BRAINPOOL_P256R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.7");
/// brainpoolP320r1, 1.3.36.3.3.2.8.1.1.9.
pub const BRAINPOOL_P320R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.9");
/// brainpoolP384r1, 1.3.36.3.3.2.8.1.1.11.
pub const BRAINPOOL_P384R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.11");
/// brainpoolP512r1, 1.3.36.3.3.2.8.1.1.13.
pub const BRAINPOOL_P512R1: ObjectIdentifier = oid("1.3.36.3.3.2.8.1.1.13");

/// The named curves and their standardized domain parameter IDs (Doc 9303
/// Part 11 §9.5.1), the table both Chip Authentication and PACE-CAM read
/// keys with.
pub const NAMED_CURVES: [(ObjectIdentifier, u8); 11] = [
    (SECP192R1, 8),
    (BRAINPOOL_P192R1, 9),
    (SECP224R1, 10),
    (BRAINPOOL_P224R1, 11),
    (SECP256R1, 12),
    (BRAINPOOL_P256R1, 13),
    (BRAINPOOL_P320R1, 14),
    (SECP384R1, 15),
    (BRAINPOOL_P384R1, 16),
    (BRAINPOOL_P512R1, 17),
    (SECP521R1, 18),
];

// ---- X.509 names and extensions (RFC 5280 §4.1.2.4, §4.2) ------------------------

/// id-at-commonName, 2.5.4.3.
pub const COMMON_NAME: ObjectIdentifier = oid("2.5.4.3");
/// id-at-countryName, 2.5.4.6.
pub const COUNTRY_NAME: ObjectIdentifier = oid("2.5.4.6");

/// id-ce-subjectKeyIdentifier, 2.5.29.14.
pub const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = oid("2.5.29.14");
/// id-ce-keyUsage, 2.5.29.15.
pub const KEY_USAGE: ObjectIdentifier = oid("2.5.29.15");
/// id-ce-privateKeyUsagePeriod, 2.5.29.16.
pub const PRIVATE_KEY_USAGE_PERIOD: ObjectIdentifier = oid("2.5.29.16");
/// id-ce-subjectAltName, 2.5.29.17.
pub const SUBJECT_ALT_NAME: ObjectIdentifier = oid("2.5.29.17");
/// id-ce-issuerAltName, 2.5.29.18.
pub const ISSUER_ALT_NAME: ObjectIdentifier = oid("2.5.29.18");
/// id-ce-basicConstraints, 2.5.29.19.
pub const BASIC_CONSTRAINTS: ObjectIdentifier = oid("2.5.29.19");
/// id-ce-cRLDistributionPoints, 2.5.29.31.
pub const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = oid("2.5.29.31");
/// id-ce-certificatePolicies, 2.5.29.32.
pub const CERTIFICATE_POLICIES: ObjectIdentifier = oid("2.5.29.32");
/// id-ce-authorityKeyIdentifier, 2.5.29.35.
pub const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = oid("2.5.29.35");
/// id-ce-extKeyUsage, 2.5.29.37.
pub const EXT_KEY_USAGE: ObjectIdentifier = oid("2.5.29.37");

/// The DER content octets of `base` with one more arc `last` (< 128, so
/// one octet): how the cipher arcs of id-PACE and id-CA are appended.
pub fn with_arc(base: &ObjectIdentifier, last: u8) -> Vec<u8> {
    let mut bytes = base.as_bytes().to_vec();
    bytes.push(last & 0x7F);
    bytes
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn arcs_append_to_the_content_octets() {
        // id-PACE-ECDH-GM-AES-CBC-CMAC-128 (Doc 9303 Part 11 §9.2.2).
        let gm = ObjectIdentifier::from_bytes(&with_arc(
            &ObjectIdentifier::from_bytes(&with_arc(&ID_PACE, 2)).unwrap(),
            2,
        ))
        .unwrap();
        assert_eq!(gm.to_string(), "0.4.0.127.0.7.2.2.4.2.2");
        assert_eq!(
            ID_PACE.as_bytes(),
            [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04]
        );
    }
}
