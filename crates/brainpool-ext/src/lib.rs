#![doc = include_str!("../README.md")]
#![cfg_attr(feature = "document-features", doc = document_features::document_features!())]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

mod curve_macro;
mod error;
#[cfg(feature = "ecdsa")]
mod explicit;
#[cfg(feature = "ecdsa")]
mod verify;

// The crates the curves' API is written in, re-exported so a caller names
// the very versions we built with (`scripts/check-external-types` checks
// the list in Cargo.toml): RustCrypto's curve traits and the types they
// bring (elliptic_curve's own re-exports: bigint, ff, subtle, array...).
#[cfg(feature = "ecdsa")]
pub use der;
#[cfg(feature = "ecdsa")]
pub use ecdsa;
pub use elliptic_curve;
pub use primefield;
pub use primeorder;
#[cfg(feature = "ecdsa")]
pub use sha2;

pub use error::Error;
#[cfg(feature = "ecdsa")]
pub use explicit::{
    CHARACTERISTIC_TWO_FIELD_OID, CurveParameters, EcPublicKey, ID_EC_PUBLIC_KEY, NamedCurve,
    PRIME_FIELD_OID, ec_public_key_from_spki, match_ec_parameters, match_ec_parameters_any,
    match_explicit_parameters,
};
pub use p192r1::BrainpoolP192r1;
pub use p224r1::BrainpoolP224r1;
pub use p320r1::BrainpoolP320r1;
pub use p512r1::BrainpoolP512r1;
#[cfg(feature = "ecdsa")]
pub use verify::BrainpoolCurve;

pub mod p192r1 {
    //! brainpoolP192r1: RFC 5639 §3.1, cross-checked with
    //! `openssl ecparam -name brainpoolP192r1 -param_enc explicit -text -noout`
    //! (OpenSSL 3.0.19) and in `tests/suite/p192r1.rs` against that command's DER.
    //! For PACE (domain parameter ID 9), not for signature verification: it
    //! is not one of [`crate::BrainpoolCurve`] / [`crate::NamedCurve`].
    crate::curve_macro::brainpool_curve! {
        curve: BrainpoolP192r1,
        name: "brainpoolP192r1",
        oid: "1.3.36.3.3.2.8.1.1.3",
        uint: U192,
        field_bytes: U24,
        p_hex: "c302f41d932a36cda7a3463093d18db78fce476de1a86297",
        n_hex: "c302f41d932a36cda7a3462f9e9e916b5be8f1029ac4acc1",
        p_generator: 7, // primitive root (sympy factored p - 1)
        n_generator: 7, // quadratic non-residue (n - 1 not factored)
        a: "6a91174076b1e0e19c39c031fe8685c1cae040e5c69a28ef",
        b: "469a28ef7c28cca3dc721d044f4496bcca7ef4146fbf25c9",
        gx: "c0a0647eaab6a48753b033c56cb0f0900a2f5c4853375fd6",
        gy: "14b690866abd5bb88b5f4828c1490002e6773fa2fa299b8f",
        digest: sha2::Sha256,
    }
}

pub mod p224r1 {
    //! brainpoolP224r1: RFC 5639 §3, cross-checked with
    //! `openssl ecparam -name brainpoolP224r1 -param_enc explicit -text -noout`
    //! (OpenSSL 3.0.19) and in `tests/suite/curves.rs` against that command's DER.
    crate::curve_macro::brainpool_curve! {
        curve: BrainpoolP224r1,
        name: "brainpoolP224r1",
        oid: "1.3.36.3.3.2.8.1.1.5",
        uint: U256,
        field_bytes: U28,
        p_hex: "00000000d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff",
        n_hex: "00000000d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f",
        p_generator: 3, // primitive root
        n_generator: 3, // primitive root
        a: "68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43",
        b: "2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b",
        gx: "0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d",
        gy: "58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd",
        digest: sha2::Sha224,
    }
}

pub mod p320r1 {
    //! brainpoolP320r1: RFC 5639 §3, cross-checked with
    //! `openssl ecparam -name brainpoolP320r1 -param_enc explicit -text -noout`
    //! (OpenSSL 3.0.19) and in `tests/suite/curves.rs` against that command's DER.
    crate::curve_macro::brainpool_curve! {
        curve: BrainpoolP320r1,
        name: "brainpoolP320r1",
        oid: "1.3.36.3.3.2.8.1.1.9",
        uint: U384,
        field_bytes: U40,
        p_hex: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28fcd412b1f1b32e27",
        n_hex: "0000000000000000d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e98691555b44c59311",
        p_generator: 5, // quadratic non-residue (p - 1 not factored)
        n_generator: 6, // primitive root
        a: "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f492f375a97d860eb4",
        b: "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd884539816f5eb4ac8fb1f1a6",
        gx: "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c710af8d0d39e20611",
        gy: "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7d35245d1692e8ee1",
        digest: sha2::Sha384,
    }
}

pub mod p512r1 {
    //! brainpoolP512r1: RFC 5639 §3, cross-checked with
    //! `openssl ecparam -name brainpoolP512r1 -param_enc explicit -text -noout`
    //! (OpenSSL 3.0.19) and in `tests/suite/curves.rs` against that command's DER.
    crate::curve_macro::brainpool_curve! {
        curve: BrainpoolP512r1,
        name: "brainpoolP512r1",
        oid: "1.3.36.3.3.2.8.1.1.13",
        uint: U512,
        field_bytes: U64,
        p_hex: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca703308717d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
        n_hex: "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069",
        p_generator: 2, // quadratic non-residue (p - 1 not factored)
        n_generator: 7, // quadratic non-residue (n - 1 not factored)
        a: "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
        b: "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
        gx: "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098eff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822",
        gy: "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
        digest: sha2::Sha512,
    }
}
