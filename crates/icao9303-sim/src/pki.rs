//! A test PKI made in code: a Country Signing CA (CSCA) and a Document
//! Signer (DS) it certifies, both ECDSA on NIST P-256 with SHA-256, and the
//! EF.SOD the DS signs (CMS SignedData over an LDSSecurityObject), and
//! EF.CardSecurity (the same SignedData over a SET OF SecurityInfo).
//!
//! Everything is derived from the caller's random number generator, so a
//! seeded generator gives the same certificates every time (ECDSA signing
//! itself is deterministic, RFC 6979).
//!
//! ```
//! use icao9303_sim::pki::TestPki;
//! use icao9303_sim::SimRng;
//!
//! let pki = TestPki::generate(&mut SimRng::from_seed_u64(7), "UT")?;
//! assert_eq!(pki.csca_certificate()[0], 0x30);
//! assert_ne!(pki.csca_certificate(), pki.ds_certificate());
//! # Ok::<(), icao9303_sim::Error>(())
//! ```

use core::fmt;

use icao9303::lds::DataGroup;
use icao9303::lds::sod::{HashAlgorithm, LdsSecurityObject};
use icao9303::oid::{self, ObjectIdentifier};
use icao9303::tlv::{Node, Tag};
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use rand_core::TryCryptoRng;
use sha1::Digest;

const SEQ: Tag = Tag::new(0x30);
const SET: Tag = Tag::new(0x31);
const OID: Tag = Tag::new(0x06);
const INT: Tag = Tag::new(0x02);
const OCTETS: Tag = Tag::new(0x04);
const BITS: Tag = Tag::new(0x03);

fn prim(tag: Tag, v: impl Into<Vec<u8>>) -> Node {
    Node::primitive(tag, v)
}

fn cons(tag: Tag, kids: Vec<Node>) -> Node {
    Node::constructed(tag, kids)
}

/// A DER INTEGER's content octets for an unsigned big-endian magnitude.
pub(crate) fn der_uint(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let mag = bytes.get(start..).unwrap_or_default();
    let mut out = Vec::with_capacity(mag.len().saturating_add(1));
    if mag.first().is_none_or(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(mag);
    out
}

fn alg(oid: &[u8], params: Option<Node>) -> Node {
    let mut kids = vec![prim(OID, oid.to_vec())];
    kids.extend(params);
    cons(SEQ, kids)
}

/// `Name ::= SEQUENCE OF SET OF AttributeTypeAndValue`: country and
/// common name.
fn name(country: &str, common_name: &str) -> Node {
    let atv = |attribute: ObjectIdentifier, tag: u32, v: &str| {
        cons(
            SET,
            vec![cons(
                SEQ,
                vec![
                    prim(OID, attribute.as_bytes().to_vec()),
                    prim(Tag::new(tag), v.as_bytes()),
                ],
            )],
        )
    };
    cons(
        SEQ,
        vec![
            atv(oid::COUNTRY_NAME, 0x13, country),
            atv(oid::COMMON_NAME, 0x0C, common_name),
        ],
    )
}

fn validity(from: &str, to: &str) -> Node {
    cons(
        SEQ,
        vec![
            prim(Tag::new(0x17), from.as_bytes()),
            prim(Tag::new(0x17), to.as_bytes()),
        ],
    )
}

/// The SubjectPublicKeyInfo of a P-256 key.
pub(crate) fn p256_spki(key: &SigningKey) -> Vec<u8> {
    let point = key.verifying_key().to_sec1_point(false);
    let mut bits = vec![0u8];
    bits.extend_from_slice(point.as_bytes());
    cons(
        SEQ,
        vec![
            alg(
                oid::EC_PUBLIC_KEY.as_bytes(),
                Some(prim(OID, oid::SECP256R1.as_bytes().to_vec())),
            ),
            prim(BITS, bits),
        ],
    )
    .encode()
}

fn extension(oid: ObjectIdentifier, critical: bool, value: Vec<u8>) -> Node {
    let mut kids = vec![prim(OID, oid.as_bytes().to_vec())];
    if critical {
        kids.push(prim(Tag::new(0x01), vec![0xFF]));
    }
    kids.push(prim(OCTETS, value));
    cons(SEQ, kids)
}

/// A P-256 signing key drawn from `rng`.
pub(crate) fn random_p256_key<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
) -> Result<SigningKey, icao9303::Error> {
    let sk = icao9303::pace::DomainParameters::Secp256r1.random_private_key(rng)?;
    SigningKey::from_slice(&sk)
        .map_err(|_| icao9303::Error::Pace(icao9303::pace::PaceErrorKind::InvalidPoint))
}

/// ECDSA P-256 / SHA-256 signature, DER `SEQUENCE { r, s }`.
fn sign_der(key: &SigningKey, msg: &[u8]) -> Vec<u8> {
    let sig: Signature = key.sign(msg);
    let bytes = sig.to_bytes();
    let (r, s) = bytes.split_at(32);
    cons(SEQ, vec![prim(INT, der_uint(r)), prim(INT, der_uint(s))]).encode()
}

fn key_id(spki: &[u8]) -> Vec<u8> {
    sha1::Sha1::digest(spki).to_vec()
}

/// One certificate's parameters.
struct CertSpec<'a> {
    serial: u8,
    issuer: Node,
    subject: Node,
    not_before: &'a str,
    not_after: &'a str,
    subject_spki: Vec<u8>,
    issuer_spki: Vec<u8>,
    ca: bool,
}

fn certificate(spec: CertSpec<'_>, signer: &SigningKey) -> Vec<u8> {
    let mut exts = Vec::new();
    if spec.ca {
        exts.push(extension(
            oid::BASIC_CONSTRAINTS,
            true,
            cons(SEQ, vec![prim(Tag::new(0x01), vec![0xFF])]).encode(),
        ));
        // keyCertSign | cRLSign.
        exts.push(extension(
            oid::KEY_USAGE,
            true,
            prim(BITS, vec![0x01, 0x06]).encode(),
        ));
    } else {
        // digitalSignature.
        exts.push(extension(
            oid::KEY_USAGE,
            true,
            prim(BITS, vec![0x07, 0x80]).encode(),
        ));
    }
    exts.push(extension(
        oid::SUBJECT_KEY_IDENTIFIER,
        false,
        prim(OCTETS, key_id(&spec.subject_spki)).encode(),
    ));
    exts.push(extension(
        oid::AUTHORITY_KEY_IDENTIFIER,
        false,
        cons(SEQ, vec![prim(Tag::new(0x80), key_id(&spec.issuer_spki))]).encode(),
    ));
    let tbs = cons(
        SEQ,
        vec![
            cons(Tag::new(0xA0), vec![prim(INT, vec![2])]),
            prim(INT, vec![spec.serial]),
            alg(oid::ECDSA_WITH_SHA256.as_bytes(), None),
            spec.issuer,
            validity(spec.not_before, spec.not_after),
            spec.subject,
            Node::parse(&spec.subject_spki).unwrap_or_else(|_| prim(SEQ, Vec::new())),
            cons(Tag::new(0xA3), vec![cons(SEQ, exts)]),
        ],
    )
    .encode();
    let sig = sign_der(signer, &tbs);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig);
    let mut out = Vec::new();
    let body = [
        tbs,
        alg(oid::ECDSA_WITH_SHA256.as_bytes(), None).encode(),
        prim(BITS, bits).encode(),
    ]
    .concat();
    icao9303::tlv::write(&mut out, SEQ, &body);
    out
}

/// The seed of the demonstration PKI: `dinhdanh chip read --sim` signs its
/// virtual chips' EF.SOD under
/// `TestPki::generate(&mut SimRng::from_seed_u64(DEMO_SEED), "VN")`, and
/// the reference server trusts that CSCA by default, so a chip read by the
/// CLI passes the server's passive authentication with no set-up. A test
/// CSCA: never trust it outside a demonstration.
pub const DEMO_SEED: u64 = 0x0D1A_4DA4;

/// A CSCA and a Document Signer under it, with their keys. The keys are
/// never shown by `Debug`.
#[derive(Clone)]
pub struct TestPki {
    country: String,
    csca_key: SigningKey,
    ds_key: SigningKey,
    csca_cert: Vec<u8>,
    ds_cert: Vec<u8>,
}

impl fmt::Debug for TestPki {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestPki")
            .field("country", &self.country)
            .field("keys", &"<redacted>")
            .finish()
    }
}

impl TestPki {
    /// A new CSCA (valid 2020-2040) and DS (valid 2020-2035) for the
    /// two-letter `country`, keys drawn from `rng`.
    pub fn generate<R: TryCryptoRng + ?Sized>(
        rng: &mut R,
        country: &str,
    ) -> Result<TestPki, crate::Error> {
        let csca_key = random_p256_key(rng)?;
        let ds_key = random_p256_key(rng)?;
        let csca_spki = p256_spki(&csca_key);
        let ds_spki = p256_spki(&ds_key);
        let csca_name = || name(country, "dinhdanh test CSCA");
        let csca_cert = certificate(
            CertSpec {
                serial: 1,
                issuer: csca_name(),
                subject: csca_name(),
                not_before: "200101000000Z",
                not_after: "400101000000Z",
                subject_spki: csca_spki.clone(),
                issuer_spki: csca_spki.clone(),
                ca: true,
            },
            &csca_key,
        );
        let ds_cert = certificate(
            CertSpec {
                serial: 2,
                issuer: csca_name(),
                subject: name(country, "dinhdanh test Document Signer"),
                not_before: "200101000000Z",
                not_after: "350101000000Z",
                subject_spki: ds_spki,
                issuer_spki: csca_spki,
                ca: false,
            },
            &csca_key,
        );
        Ok(TestPki {
            country: country.to_owned(),
            csca_key,
            ds_key,
            csca_cert,
            ds_cert,
        })
    }

    /// The CSCA certificate, DER (what `--csca` takes).
    pub fn csca_certificate(&self) -> &[u8] {
        &self.csca_cert
    }

    /// The Document Signer certificate, DER.
    pub fn ds_certificate(&self) -> &[u8] {
        &self.ds_cert
    }

    /// The CSCA's signing key (to make further certificates in tests).
    pub fn csca_key(&self) -> &SigningKey {
        &self.csca_key
    }

    /// EF.SOD (tag `77`) over `files`: an LDSSecurityObject of their
    /// SHA-256 hashes, signed by the DS with signed attributes
    /// (content-type, message-digest), the DS certificate included.
    pub fn sign_sod(&self, files: &[(DataGroup, &[u8])]) -> Vec<u8> {
        let lso = LdsSecurityObject::encode(HashAlgorithm::Sha256, files);
        self.sign_lds_security_object(&lso)
    }

    /// EF.SOD around an already encoded LDSSecurityObject.
    pub fn sign_lds_security_object(&self, lso: &[u8]) -> Vec<u8> {
        let content_info = self.signed_data(oid::ID_LDS_SECURITY_OBJECT.as_bytes(), lso);
        cons(Tag::new(0x77), vec![content_info]).encode()
    }

    /// EF.CardSecurity (Doc 9303 Part 11 §9.2): a bare CMS ContentInfo
    /// of SignedData with content type id-SecurityObject
    /// (0.4.0.127.0.7.3.2.1) over `security_infos` (an encoded SET OF
    /// SecurityInfo), signed by the DS like EF.SOD.
    pub fn sign_card_security(&self, security_infos: &[u8]) -> Vec<u8> {
        self.signed_data(oid::ID_SECURITY_OBJECT.as_bytes(), security_infos)
            .encode()
    }

    /// A ContentInfo of SignedData over `econtent` of type `content_type`
    /// (OID content octets), signed by the DS with signed attributes
    /// (content-type, message-digest), the DS certificate included.
    fn signed_data(&self, content_type: &[u8], econtent: &[u8]) -> Node {
        let digest = sha2::Sha256::digest(econtent).to_vec();
        let attrs = vec![
            cons(
                SEQ,
                vec![
                    prim(OID, oid::ID_CONTENT_TYPE.as_bytes().to_vec()),
                    cons(SET, vec![prim(OID, content_type.to_vec())]),
                ],
            ),
            cons(
                SEQ,
                vec![
                    prim(OID, oid::ID_MESSAGE_DIGEST.as_bytes().to_vec()),
                    cons(SET, vec![prim(OCTETS, digest)]),
                ],
            ),
        ];
        // DER: the SET OF is sorted; contentType (30 15 for EF.SOD, 30 17
        // for EF.CardSecurity) sorts before messageDigest (30 2F).
        let signed_set = cons(SET, attrs.clone()).encode();
        let signature = sign_der(&self.ds_key, &signed_set);
        let (issuer, serial) = issuer_and_serial(&self.ds_cert);
        let signer_info = cons(
            SEQ,
            vec![
                prim(INT, vec![1]),
                cons(SEQ, vec![issuer, serial]),
                alg(oid::SHA256.as_bytes(), None),
                cons(Tag::new(0xA0), attrs),
                alg(oid::ECDSA_WITH_SHA256.as_bytes(), None),
                prim(OCTETS, signature),
            ],
        );
        let cert = Node::parse(&self.ds_cert).unwrap_or_else(|_| prim(SEQ, Vec::new()));
        let signed_data = cons(
            SEQ,
            vec![
                prim(INT, vec![3]),
                cons(SET, vec![alg(oid::SHA256.as_bytes(), None)]),
                cons(
                    SEQ,
                    vec![
                        prim(OID, content_type.to_vec()),
                        cons(Tag::new(0xA0), vec![prim(OCTETS, econtent.to_vec())]),
                    ],
                ),
                cons(Tag::new(0xA0), vec![cert]),
                cons(SET, vec![signer_info]),
            ],
        );
        cons(
            SEQ,
            vec![
                prim(OID, oid::ID_SIGNED_DATA.as_bytes().to_vec()),
                cons(Tag::new(0xA0), vec![signed_data]),
            ],
        )
    }
}

/// The issuer Name and serial INTEGER of a certificate we made.
fn issuer_and_serial(cert: &[u8]) -> (Node, Node) {
    let fallback = || (cons(SEQ, Vec::new()), prim(INT, vec![0]));
    let Ok(Node::Constructed { children, .. }) = Node::parse(cert) else {
        return fallback();
    };
    let Some(Node::Constructed { children: tbs, .. }) = children.into_iter().next() else {
        return fallback();
    };
    // tbs: [0] version, serial, signature, issuer, ...
    let mut it = tbs.into_iter().skip(1);
    match (it.next(), it.nth(1)) {
        (Some(serial), Some(issuer)) => (issuer, serial),
        _ => fallback(),
    }
}
