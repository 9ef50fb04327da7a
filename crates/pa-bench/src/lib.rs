//! The yardstick of `benches/pa_vs_openssl.rs`: passive authentication of
//! the files `crates/icao9303/testdata/pa` holds (made with OpenSSL, see
//! its README), checked by OpenSSL's library through the `openssl` crate,
//! in the process that also runs `icao9303::pa::verify` on them.
//!
//! OpenSSL does what `openssl cms -verify` and `openssl dgst` would:
//!
//! 1. EF.SOD's CMS signature (PKCS7_verify) with the Document Signer (DS)
//!    certificate EF.SOD carries, its signed attributes included
//!    (message-digest against the LDSSecurityObject);
//! 2. the DS certificate against the CSCA: in [`OpensslVerifier::verify`]
//!    its signature with the CSCA's key (X509_verify) and both
//!    certificates' validity at the time given; in
//!    [`OpensslVerifier::verify_with_x509_chain`] OpenSSL's own path
//!    validation (X509_verify_cert, purpose any), which OpenSSL 3.0
//!    refuses for a certificate whose EC key has explicit parameters
//!    (`X509_V_ERR_EC_KEY_EXPLICIT_PARAMS`), as the Vietnamese CSCA's has;
//! 3. each data group's hash against the LDSSecurityObject's (read with
//!    `icao9303::lds::sod`, a few hundred bytes: OpenSSL has no decoder
//!    for it).
//!
//! ```no_run
//! use dinhdanh_pa_bench::{CHAINS, Document, OpensslVerifier};
//!
//! let doc = Document::load(&CHAINS[0])?;
//! let openssl = OpensslVerifier::new(&doc.csca, dinhdanh_pa_bench::AT_UNIX)?;
//! openssl.verify(&doc.sod, &doc.borrowed())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cmp::Ordering;
use std::fmt;

use icao9303::lds::DataGroup;
use icao9303::lds::sod::{HashAlgorithm, LdsSecurityObject};
use icao9303::pa::{self, Certificate, TrustStore, Verdict, VerifyOptions};
use openssl::asn1::Asn1Time;
use openssl::hash::MessageDigest;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkey::{PKey, Public};
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::X509VerifyParam;
use openssl::x509::{X509, X509PurposeId};

/// 2026-06-01T00:00:00Z, the time `testdata/pa`'s certificates are valid
/// at (its README).
pub const AT_UNIX: i64 = 1_780_272_000;

/// One document: its EF.SOD and the CSCA its DS chains to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    /// The bench's name for it.
    pub name: &'static str,
    /// EF.SOD's file in `testdata/pa`.
    pub sod: &'static str,
    /// The CSCA's file.
    pub csca: &'static str,
}

/// The three chains of issue 18: an RSA-2048 DS under an RSA-2048 CSCA,
/// a P-256 DS and a brainpoolP512r1 DS with explicit parameters, both
/// under the brainpoolP512r1 CSCA with explicit parameters (the
/// Vietnamese CSCA's kind of key).
pub const CHAINS: [Chain; 3] = [
    Chain {
        name: "rsa2048",
        sod: "sod-rsa.bin",
        csca: "csca-rsa.der",
    },
    Chain {
        name: "p256",
        sod: "sod-p256.bin",
        csca: "csca-ec.der",
    },
    Chain {
        name: "bp512r1_explicit",
        sod: "sod-bp512.bin",
        csca: "csca-ec.der",
    },
];

/// The data groups every SOD of `testdata/pa` lists.
const DATA_GROUPS: [(DataGroup, &str); 6] = [
    (DataGroup::Dg1, "dg1.bin"),
    (DataGroup::Dg2, "dg2.bin"),
    (DataGroup::Dg11, "dg11.bin"),
    (DataGroup::Dg13, "dg13.bin"),
    (DataGroup::Dg14, "dg14.bin"),
    (DataGroup::Dg15, "dg15.bin"),
];

/// A file of `crates/icao9303/testdata/pa`.
pub fn testdata(name: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(format!(
        "{}/../icao9303/testdata/pa/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

/// A document's files, as both verifiers take them.
#[derive(Debug, Clone)]
pub struct Document {
    /// EF.SOD (tag 77).
    pub sod: Vec<u8>,
    /// The six data groups.
    pub data_groups: Vec<(DataGroup, Vec<u8>)>,
    /// The CSCA certificate, DER.
    pub csca: Vec<u8>,
}

impl Document {
    /// Reads `chain`'s files.
    pub fn load(chain: &Chain) -> std::io::Result<Document> {
        let mut data_groups = Vec::new();
        for (dg, name) in DATA_GROUPS {
            data_groups.push((dg, testdata(name)?));
        }
        Ok(Document {
            sod: testdata(chain.sod)?,
            data_groups,
            csca: testdata(chain.csca)?,
        })
    }

    /// The data groups borrowed, as `pa::verify` takes them.
    pub fn borrowed(&self) -> Vec<(DataGroup, &[u8])> {
        self.data_groups
            .iter()
            .map(|(d, b)| (*d, b.as_slice()))
            .collect()
    }

    /// The trust store of `icao9303` with this document's CSCA.
    pub fn trust_store(&self) -> Result<TrustStore, icao9303::Error> {
        let mut store = TrustStore::new();
        store.add_certificate(Certificate::from_der(&self.csca)?);
        Ok(store)
    }
}

/// `icao9303`'s side: the verdict of the document at [`AT_UNIX`].
pub fn icao9303_verify(
    sod: &[u8],
    data_groups: &[(DataGroup, &[u8])],
    store: &TrustStore,
    options: &VerifyOptions,
) -> Verdict {
    pa::verify(sod, data_groups, store, options)
}

/// The verify options of [`AT_UNIX`].
pub fn options() -> Result<VerifyOptions, der_time::Error> {
    der_time::at(AT_UNIX).map(VerifyOptions::at)
}

/// The time type of `icao9303`'s options, from Unix seconds.
pub mod der_time {
    pub use icao9303::pa::DateTime;

    /// The time is before 1970 or past 9999.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Error;

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a time before 1970 or past 9999")
        }
    }

    impl std::error::Error for Error {}

    /// `unix` seconds as a [`DateTime`].
    pub fn at(unix: i64) -> Result<DateTime, Error> {
        let secs = u64::try_from(unix).map_err(|_| Error)?;
        DateTime::from_unix_duration(std::time::Duration::from_secs(secs)).map_err(|_| Error)
    }
}

/// Why OpenSSL refused a document: the step and OpenSSL's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `sod`, `signature`, `certificate-signature`, `validity`, `hash`...
    pub step: &'static str,
    /// What OpenSSL (or the comparison) said.
    pub detail: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.step, self.detail)
    }
}

impl std::error::Error for Refusal {}

fn refusal(step: &'static str) -> impl Fn(openssl::error::ErrorStack) -> Refusal {
    move |e| Refusal {
        step,
        detail: e.to_string(),
    }
}

/// OpenSSL's verifier of one CSCA's documents, everything that depends on
/// the trust anchor prepared once (as a back end would).
pub struct OpensslVerifier {
    csca: X509,
    csca_key: PKey<Public>,
    now: Asn1Time,
    /// An empty store, for PKCS7_verify without path validation.
    no_chain: X509Store,
    /// The CSCA as the only anchor, the time fixed, purpose any.
    chain: X509Store,
    no_certs: Stack<X509>,
}

impl OpensslVerifier {
    /// A verifier of documents under the CSCA `csca_der`, at `now_unix`.
    pub fn new(csca_der: &[u8], now_unix: i64) -> Result<OpensslVerifier, Refusal> {
        let setup = refusal("setup");
        let csca = X509::from_der(csca_der).map_err(&setup)?;
        let csca_key = csca.public_key().map_err(&setup)?;
        let no_chain = X509StoreBuilder::new().map_err(&setup)?.build();
        let mut builder = X509StoreBuilder::new().map_err(&setup)?;
        builder.add_cert(csca.clone()).map_err(&setup)?;
        let mut param = X509VerifyParam::new().map_err(&setup)?;
        param.set_time(now_unix);
        param.set_purpose(X509PurposeId::ANY).map_err(&setup)?;
        builder.set_param(&param).map_err(&setup)?;
        Ok(OpensslVerifier {
            csca,
            csca_key,
            now: Asn1Time::from_unix(now_unix).map_err(&setup)?,
            no_chain,
            chain: builder.build(),
            no_certs: Stack::new().map_err(&setup)?,
        })
    }

    /// EF.SOD's signature, the DS certificate's signature by the CSCA's
    /// key, both certificates' validity, the data groups' hashes.
    pub fn verify(&self, sod: &[u8], data_groups: &[(DataGroup, &[u8])]) -> Result<(), Refusal> {
        let p7 = Pkcs7::from_der(content_info(sod)?).map_err(refusal("sod"))?;
        let mut content = Vec::new();
        p7.verify(
            &self.no_certs,
            &self.no_chain,
            None,
            Some(&mut content),
            Pkcs7Flags::NOVERIFY,
        )
        .map_err(refusal("signature"))?;
        let signers = p7
            .signers(&self.no_certs, Pkcs7Flags::empty())
            .map_err(refusal("signer"))?;
        let ds = signers.iter().next().ok_or(Refusal {
            step: "signer",
            detail: "no signer certificate".to_owned(),
        })?;
        let signed = ds
            .verify(&self.csca_key)
            .map_err(refusal("certificate-signature"))?;
        if !signed {
            return Err(Refusal {
                step: "certificate-signature",
                detail: "the CSCA's key does not verify the DS certificate".to_owned(),
            });
        }
        self.valid_now(ds)?;
        self.valid_now(&self.csca)?;
        check_hashes(&content, data_groups)
    }

    /// EF.SOD's signature and OpenSSL's path validation of the DS
    /// certificate to the CSCA (X509_verify_cert at the time given,
    /// purpose any), then the data groups' hashes.
    pub fn verify_with_x509_chain(
        &self,
        sod: &[u8],
        data_groups: &[(DataGroup, &[u8])],
    ) -> Result<(), Refusal> {
        let p7 = Pkcs7::from_der(content_info(sod)?).map_err(refusal("sod"))?;
        let mut content = Vec::new();
        p7.verify(
            &self.no_certs,
            &self.chain,
            None,
            Some(&mut content),
            Pkcs7Flags::empty(),
        )
        .map_err(refusal("signature-and-chain"))?;
        check_hashes(&content, data_groups)
    }

    fn valid_now(&self, cert: &openssl::x509::X509Ref) -> Result<(), Refusal> {
        let cmp =
            |t: &openssl::asn1::Asn1TimeRef| t.compare(&self.now).map_err(refusal("validity"));
        let starts = cmp(cert.not_before())?;
        let ends = cmp(cert.not_after())?;
        if starts == Ordering::Greater || ends == Ordering::Less {
            return Err(Refusal {
                step: "validity",
                detail: format!(
                    "valid {} to {}, not at {}",
                    cert.not_before(),
                    cert.not_after(),
                    &*self.now
                ),
            });
        }
        Ok(())
    }
}

/// EF.SOD's ContentInfo: the value of its `77` wrapper.
fn content_info(sod: &[u8]) -> Result<&[u8], Refusal> {
    icao9303::tlv::Tlv::parse(sod)
        .map(|t| t.value())
        .map_err(|e| Refusal {
            step: "sod",
            detail: e.to_string(),
        })
}

/// OpenSSL's digest for the SOD's algorithm; `None` for one this yardstick
/// does not map (the enum is `#[non_exhaustive]`).
fn digest(h: HashAlgorithm) -> Option<MessageDigest> {
    Some(match h {
        HashAlgorithm::Sha1 => MessageDigest::sha1(),
        HashAlgorithm::Sha224 => MessageDigest::sha224(),
        HashAlgorithm::Sha256 => MessageDigest::sha256(),
        HashAlgorithm::Sha384 => MessageDigest::sha384(),
        HashAlgorithm::Sha512 => MessageDigest::sha512(),
        _ => return None,
    })
}

/// Every listed data group supplied and hashing (by OpenSSL) to the
/// value listed; none supplied that is not listed.
fn check_hashes(lso: &[u8], data_groups: &[(DataGroup, &[u8])]) -> Result<(), Refusal> {
    let bad = |detail: String| Refusal {
        step: "hash",
        detail,
    };
    let lso = LdsSecurityObject::parse_at(lso, 0).map_err(|e| bad(e.to_string()))?;
    let alg = lso
        .hash_algorithm
        .and_then(digest)
        .ok_or_else(|| bad(format!("hash algorithm {}", lso.hash_algorithm_oid)))?;
    if lso.data_group_hashes.len() != data_groups.len() {
        return Err(bad(format!(
            "{} hashes listed, {} data groups supplied",
            lso.data_group_hashes.len(),
            data_groups.len()
        )));
    }
    for (dg, bytes) in data_groups {
        let want = lso
            .data_group_hashes
            .iter()
            .find(|h| h.number == u64::from(dg.number()))
            .ok_or_else(|| bad(format!("DG{} is not listed", dg.number())))?;
        let got = openssl::hash::hash(alg, bytes).map_err(refusal("hash"))?;
        if *got != *want.hash {
            return Err(bad(format!("DG{} does not hash to its value", dg.number())));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn both(doc: &Document) -> (Verdict, Result<(), Refusal>) {
        let ours = icao9303_verify(
            &doc.sod,
            &doc.borrowed(),
            &doc.trust_store().unwrap(),
            &options().unwrap(),
        );
        let openssl = OpensslVerifier::new(&doc.csca, AT_UNIX).unwrap();
        (ours, openssl.verify(&doc.sod, &doc.borrowed()))
    }

    #[test]
    fn both_verifiers_accept_the_three_chains() {
        for chain in &CHAINS {
            let doc = Document::load(chain).unwrap();
            let (ours, openssl) = both(&doc);
            assert!(ours.is_valid(), "{}: {}", chain.name, ours.summary());
            assert_eq!(openssl, Ok(()), "{}", chain.name);
        }
    }

    #[test]
    fn both_verifiers_refuse_a_tampered_data_group() {
        for chain in &CHAINS {
            let mut doc = Document::load(chain).unwrap();
            doc.data_groups[0].1 = testdata("dg1-tampered.bin").unwrap();
            let (ours, openssl) = both(&doc);
            assert!(!ours.is_valid(), "{}", chain.name);
            assert_eq!(openssl.unwrap_err().step, "hash", "{}", chain.name);
        }
    }

    #[test]
    fn both_verifiers_refuse_a_ds_of_another_csca() {
        // The RSA document against the EC CSCA, and the reverse.
        for (sod, csca) in [
            ("sod-rsa.bin", "csca-ec.der"),
            ("sod-p256.bin", "csca-rsa.der"),
        ] {
            let mut doc = Document::load(&CHAINS[0]).unwrap();
            doc.sod = testdata(sod).unwrap();
            doc.csca = testdata(csca).unwrap();
            let (ours, openssl) = both(&doc);
            assert!(!ours.is_valid(), "{sod}");
            assert_eq!(openssl.unwrap_err().step, "certificate-signature", "{sod}");
        }
    }

    #[test]
    fn both_verifiers_refuse_a_forged_sod_signature() {
        let mut doc = Document::load(&CHAINS[0]).unwrap();
        doc.sod = testdata("sod-bad-signature.bin").unwrap();
        let (ours, openssl) = both(&doc);
        assert!(ours.signature.is_failed(), "{}", ours.summary());
        assert_eq!(openssl.unwrap_err().step, "signature");
    }

    #[test]
    fn openssl_validates_the_rsa_path_and_refuses_explicit_parameters() {
        let rsa = Document::load(&CHAINS[0]).unwrap();
        let v = OpensslVerifier::new(&rsa.csca, AT_UNIX).unwrap();
        v.verify_with_x509_chain(&rsa.sod, &rsa.borrowed()).unwrap();
        // Past the DS's validity (2035-06-01), its own path validation
        // refuses it too: the time is used.
        let late = OpensslVerifier::new(&rsa.csca, 2_100_000_000).unwrap();
        assert!(
            late.verify_with_x509_chain(&rsa.sod, &rsa.borrowed())
                .is_err()
        );
        assert_eq!(
            late.verify(&rsa.sod, &rsa.borrowed()).unwrap_err().step,
            "validity"
        );
        for chain in &CHAINS[1..] {
            let doc = Document::load(chain).unwrap();
            let v = OpensslVerifier::new(&doc.csca, AT_UNIX).unwrap();
            let e = v
                .verify_with_x509_chain(&doc.sod, &doc.borrowed())
                .unwrap_err();
            assert!(e.detail.contains("explicit"), "{}: {e}", chain.name);
        }
    }
}
