//! Matching EC domain parameters, named or explicit, to the named curves
//! passports use.
//!
//! Many CSCA and document-signer certificates (the Vietnamese and German
//! CSCAs among them) and DG14 Chip Authentication keys carry their curve as
//! *explicit* parameters (`SpecifiedECDomain`, RFC 3279 §2.3.5, SEC1 v2
//! §C.2) instead of a named-curve OID. [`match_explicit_parameters`] parses
//! that structure with `der` and compares **every** parameter (p, a, b, the
//! base point G, n and the cofactor h; the optional seed is ignored) with a
//! table of the nine curves of ICAO Doc 9303 Part 11 §9.5.1 and BSI TR-03110,
//! returning the one that matches or an error naming the first difference.
//!
//! The table's constants are RFC 5639 §3 (Brainpool) and SEC 2 / FIPS 186-4
//! (NIST); `tests/suite/explicit.rs` checks each against the DER that
//! `openssl ecparam -name NAME -param_enc explicit -outform DER` writes
//! (OpenSSL 3.0.19; the files are in `testdata/ecparams/`).

use der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Sequence, Tag, Tagged};

use crate::{BrainpoolCurve, Error};

/// `prime-field` (ANSI X9.62), the field type of every curve here.
pub const PRIME_FIELD_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");
/// `characteristic-two-field` (ANSI X9.62), refused.
pub const CHARACTERISTIC_TWO_FIELD_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.1.2");
/// `id-ecPublicKey` (RFC 5480), the algorithm of an EC public key.
pub const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// The named curves this crate can recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum NamedCurve {
    /// NIST P-224 (secp224r1), 1.3.132.0.33.
    NistP224,
    /// NIST P-256 (secp256r1, prime256v1), 1.2.840.10045.3.1.7.
    NistP256,
    /// NIST P-384 (secp384r1), 1.3.132.0.34.
    NistP384,
    /// NIST P-521 (secp521r1), 1.3.132.0.35.
    NistP521,
    /// brainpoolP224r1, 1.3.36.3.3.2.8.1.1.5.
    BrainpoolP224r1,
    /// brainpoolP256r1, 1.3.36.3.3.2.8.1.1.7.
    BrainpoolP256r1,
    /// brainpoolP320r1, 1.3.36.3.3.2.8.1.1.9.
    BrainpoolP320r1,
    /// brainpoolP384r1, 1.3.36.3.3.2.8.1.1.11.
    BrainpoolP384r1,
    /// brainpoolP512r1, 1.3.36.3.3.2.8.1.1.13.
    BrainpoolP512r1,
}

impl NamedCurve {
    /// Every curve of the table.
    pub const ALL: [Self; 9] = [
        Self::NistP224,
        Self::NistP256,
        Self::NistP384,
        Self::NistP521,
        Self::BrainpoolP224r1,
        Self::BrainpoolP256r1,
        Self::BrainpoolP320r1,
        Self::BrainpoolP384r1,
        Self::BrainpoolP512r1,
    ];

    /// The curve's object identifier.
    #[must_use]
    pub const fn oid(self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self {
            Self::NistP224 => "1.3.132.0.33",
            Self::NistP256 => "1.2.840.10045.3.1.7",
            Self::NistP384 => "1.3.132.0.34",
            Self::NistP521 => "1.3.132.0.35",
            Self::BrainpoolP224r1 => "1.3.36.3.3.2.8.1.1.5",
            Self::BrainpoolP256r1 => "1.3.36.3.3.2.8.1.1.7",
            Self::BrainpoolP320r1 => "1.3.36.3.3.2.8.1.1.9",
            Self::BrainpoolP384r1 => "1.3.36.3.3.2.8.1.1.11",
            Self::BrainpoolP512r1 => "1.3.36.3.3.2.8.1.1.13",
        })
    }

    /// The curve with this OID, if it is in the table.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// The curve's usual name: `P-256`, `brainpoolP512r1`, ...
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::NistP224 => "P-224",
            Self::NistP256 => "P-256",
            Self::NistP384 => "P-384",
            Self::NistP521 => "P-521",
            Self::BrainpoolP224r1 => "brainpoolP224r1",
            Self::BrainpoolP256r1 => "brainpoolP256r1",
            Self::BrainpoolP320r1 => "brainpoolP320r1",
            Self::BrainpoolP384r1 => "brainpoolP384r1",
            Self::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// The curve's domain parameters.
    #[must_use]
    pub const fn parameters(self) -> &'static CurveParameters {
        match self {
            Self::NistP224 => &NISTP224,
            Self::NistP256 => &NISTP256,
            Self::NistP384 => &NISTP384,
            Self::NistP521 => &NISTP521,
            Self::BrainpoolP224r1 => &BRAINPOOLP224R1,
            Self::BrainpoolP256r1 => &BRAINPOOLP256R1,
            Self::BrainpoolP320r1 => &BRAINPOOLP320R1,
            Self::BrainpoolP384r1 => &BRAINPOOLP384R1,
            Self::BrainpoolP512r1 => &BRAINPOOLP512R1,
        }
    }

    /// The curve as one of this crate's own implementations, for the three
    /// Brainpool curves RustCrypto has no crate for; `None` for the others
    /// (use `p224`/`p256`/`p384`/`p521`/`bp256`/`bp384`).
    #[must_use]
    pub const fn brainpool_ext(self) -> Option<BrainpoolCurve> {
        match self {
            Self::BrainpoolP224r1 => Some(BrainpoolCurve::P224r1),
            Self::BrainpoolP320r1 => Some(BrainpoolCurve::P320r1),
            Self::BrainpoolP512r1 => Some(BrainpoolCurve::P512r1),
            _ => None,
        }
    }
}

impl core::fmt::Display for NamedCurve {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl From<BrainpoolCurve> for NamedCurve {
    fn from(c: BrainpoolCurve) -> Self {
        match c {
            BrainpoolCurve::P224r1 => Self::BrainpoolP224r1,
            BrainpoolCurve::P320r1 => Self::BrainpoolP320r1,
            BrainpoolCurve::P512r1 => Self::BrainpoolP512r1,
        }
    }
}

/// A short Weierstrass curve y² = x³ + ax + b over the prime field of p,
/// with base point G = (gx, gy) of prime order n and cofactor h. Every
/// field-sized value is big-endian, left-padded to the field's byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurveParameters {
    /// Which curve.
    pub curve: NamedCurve,
    /// The field prime p.
    pub p: &'static [u8],
    /// The coefficient a.
    pub a: &'static [u8],
    /// The coefficient b.
    pub b: &'static [u8],
    /// The base point's x-coordinate.
    pub gx: &'static [u8],
    /// The base point's y-coordinate.
    pub gy: &'static [u8],
    /// The order n of the base point.
    pub n: &'static [u8],
    /// The cofactor h.
    pub h: u8,
}

impl CurveParameters {
    /// Bytes in a field element: 28 for the 224-bit curves, 66 for P-521.
    #[must_use]
    pub const fn field_size(&self) -> usize {
        self.p.len()
    }
}

/// `ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitlyCA
/// NULL, specifiedCurve SpecifiedECDomain }` (RFC 5480, SEC1 v2 §C.2).
///
/// Accepts a named-curve OID from the table or explicit parameters that
/// match one of its curves.
///
/// # Errors
/// [`Error::UnknownNamedCurve`], [`Error::ImplicitlyCa`], or what
/// [`match_explicit_parameters`] returns.
pub fn match_ec_parameters(der: &[u8]) -> Result<NamedCurve, Error> {
    match_ec_parameters_any(AnyRef::from_der(der)?)
}

/// [`match_ec_parameters`] on an already decoded value, such as the
/// `parameters` of a `SubjectPublicKeyInfo`'s algorithm identifier.
///
/// # Errors
/// As [`match_ec_parameters`]; any other ASN.1 type is [`Error::Asn1`].
pub fn match_ec_parameters_any(parameters: AnyRef<'_>) -> Result<NamedCurve, Error> {
    match parameters.tag() {
        Tag::ObjectIdentifier => {
            let oid: ObjectIdentifier = parameters.decode_as()?;
            NamedCurve::from_oid(&oid).ok_or_else(|| Error::UnknownNamedCurve(oid.to_string()))
        }
        Tag::Null => Err(Error::ImplicitlyCa),
        Tag::Sequence => match_specified(&parameters.decode_as::<SpecifiedEcDomain<'_>>()?),
        tag => Err(Error::Asn1(format!(
            "ECParameters: expected OBJECT IDENTIFIER, NULL or SEQUENCE, found {tag}"
        ))),
    }
}

/// Match the DER of explicit parameters (`SpecifiedECDomain`, called
/// `ECParameters` in RFC 3279 §2.3.5) against the table, comparing p, a, b,
/// G (uncompressed, compressed or hybrid), n and h. A missing cofactor is
/// accepted (it is OPTIONAL in the ASN.1, and every curve here has h = 1);
/// the seed and SEC1's optional hash are ignored.
///
/// # Errors
/// [`Error::Asn1`] for malformed DER (or trailing bytes),
/// [`Error::UnsupportedVersion`], [`Error::UnsupportedFieldType`], and
/// [`Error::UnknownExplicitCurve`] when no curve in the table has all
/// these parameters.
pub fn match_explicit_parameters(der: &[u8]) -> Result<NamedCurve, Error> {
    match_specified(&SpecifiedEcDomain::from_der(der)?)
}

/// An EC public key found in a `SubjectPublicKeyInfo`: its curve and its
/// SEC1-encoded point, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EcPublicKey<'a> {
    /// The curve, from the named-curve OID or matched explicit parameters.
    pub curve: NamedCurve,
    /// The SEC1 point (`04 || x || y` or compressed), not yet validated.
    pub point: &'a [u8],
}

/// Read an EC public key from the DER of a `SubjectPublicKeyInfo` whose
/// algorithm is `id-ecPublicKey`, resolving named or explicit parameters.
///
/// # Errors
/// [`Error::Asn1`] for malformed DER, another algorithm or a missing
/// parameter; otherwise as [`match_ec_parameters`].
pub fn ec_public_key_from_spki(der: &[u8]) -> Result<EcPublicKey<'_>, Error> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der)?;
    if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
        return Err(Error::Asn1(format!(
            "SubjectPublicKeyInfo: algorithm {} is not id-ecPublicKey",
            spki.algorithm.oid
        )));
    }
    let parameters = spki.algorithm.parameters.ok_or_else(|| {
        Error::Asn1("SubjectPublicKeyInfo: id-ecPublicKey without parameters".into())
    })?;
    let curve = match_ec_parameters_any(parameters)?;
    let point = spki.subject_public_key.as_bytes().ok_or_else(|| {
        Error::Asn1("SubjectPublicKeyInfo: public key BIT STRING has unused bits".into())
    })?;
    Ok(EcPublicKey { curve, point })
}

/// `SpecifiedECDomain` (SEC1 v2 §C.2; RFC 3279's `ECParameters`).
#[derive(Sequence)]
struct SpecifiedEcDomain<'a> {
    version: u8,
    field_id: FieldId<'a>,
    curve: CurveAsn1<'a>,
    base: &'a OctetStringRef,
    order: UintRef<'a>,
    #[asn1(optional = "true")]
    cofactor: Option<UintRef<'a>>,
    /// SEC1 v2's `hash HashAlgorithm OPTIONAL`; ignored.
    #[asn1(optional = "true")]
    _hash: Option<AnyRef<'a>>,
}

/// `FieldID ::= SEQUENCE { fieldType OBJECT IDENTIFIER, parameters ANY }`.
#[derive(Sequence)]
struct FieldId<'a> {
    field_type: ObjectIdentifier,
    parameters: AnyRef<'a>,
}

/// `Curve ::= SEQUENCE { a FieldElement, b FieldElement, seed BIT STRING
/// OPTIONAL }` with `FieldElement ::= OCTET STRING`.
#[derive(Sequence)]
struct CurveAsn1<'a> {
    a: &'a OctetStringRef,
    b: &'a OctetStringRef,
    #[asn1(optional = "true")]
    _seed: Option<BitStringRef<'a>>,
}

fn match_specified(d: &SpecifiedEcDomain<'_>) -> Result<NamedCurve, Error> {
    if !(1..=3).contains(&d.version) {
        return Err(Error::UnsupportedVersion(d.version));
    }
    if d.field_id.field_type != PRIME_FIELD_OID {
        return Err(Error::UnsupportedFieldType(
            d.field_id.field_type.to_string(),
        ));
    }
    let p: UintRef<'_> = d.field_id.parameters.decode_as()?;
    let p = strip(p.as_bytes());
    let Some(params) = NamedCurve::ALL
        .into_iter()
        .map(NamedCurve::parameters)
        .find(|c| strip(c.p) == p)
    else {
        return Err(Error::UnknownExplicitCurve(
            "no known curve has this prime p".into(),
        ));
    };
    let differs = |what: &str| {
        Error::UnknownExplicitCurve(format!(
            "same prime p as {}, but {what} differs",
            params.curve
        ))
    };
    if strip(d.curve.a.as_bytes()) != strip(params.a) {
        return Err(differs("a"));
    }
    if strip(d.curve.b.as_bytes()) != strip(params.b) {
        return Err(differs("b"));
    }
    if !base_point_is(d.base.as_bytes(), params) {
        return Err(differs("the base point G"));
    }
    if strip(d.order.as_bytes()) != strip(params.n) {
        return Err(differs("the order n"));
    }
    if let Some(h) = &d.cofactor
        && strip(h.as_bytes()) != [params.h]
    {
        return Err(differs("the cofactor h"));
    }
    Ok(params.curve)
}

/// Is `encoded` the SEC1 encoding (uncompressed 04, compressed 02/03 or
/// hybrid 06/07) of the curve's base point? A compressed point is G when
/// its x is G's and its parity bit is that of G's y: with p, a, b already
/// equal, the two points with that x differ only in y's parity.
fn base_point_is(encoded: &[u8], c: &CurveParameters) -> bool {
    let Some((&tag, rest)) = encoded.split_first() else {
        return false;
    };
    let y_odd = c.gy.last().is_some_and(|y| y & 1 == 1);
    match tag {
        0x02 | 0x03 => rest == c.gx && (tag == 0x03) == y_odd,
        0x04 | 0x06 | 0x07 => {
            if rest.len() != 2 * c.field_size() {
                return false;
            }
            let (x, y) = rest.split_at(c.field_size());
            x == c.gx && y == c.gy && (tag == 0x04 || (tag == 0x07) == y_odd)
        }
        _ => false,
    }
}

/// The bytes without leading zeros (the integer's value).
fn strip(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Hex to bytes at compile time (only used in the `static`s below, so a
/// bad constant is a build error, never a run-time panic).
#[allow(clippy::indexing_slicing, clippy::panic)]
const fn h<const N: usize>(hex: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("bad hex digit"),
        }
    }
    let s = hex.as_bytes();
    assert!(s.len() == 2 * N, "hex of the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

/// P-224 (secp224r1): `openssl ecparam -name secp224r1 -param_enc explicit`.
static NISTP224: CurveParameters = CurveParameters {
    curve: NamedCurve::NistP224,
    p: &h::<28>("ffffffffffffffffffffffffffffffff000000000000000000000001"),
    a: &h::<28>("fffffffffffffffffffffffffffffffefffffffffffffffffffffffe"),
    b: &h::<28>("b4050a850c04b3abf54132565044b0b7d7bfd8ba270b39432355ffb4"),
    gx: &h::<28>("b70e0cbd6bb4bf7f321390b94a03c1d356c21122343280d6115c1d21"),
    gy: &h::<28>("bd376388b5f723fb4c22dfe6cd4375a05a07476444d5819985007e34"),
    n: &h::<28>("ffffffffffffffffffffffffffff16a2e0b8f03e13dd29455c5c2a3d"),
    h: 1,
};

/// P-256 (secp256r1, prime256v1): `openssl ecparam -name prime256v1 -param_enc explicit`.
static NISTP256: CurveParameters = CurveParameters {
    curve: NamedCurve::NistP256,
    p: &h::<32>("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"),
    a: &h::<32>("ffffffff00000001000000000000000000000000fffffffffffffffffffffffc"),
    b: &h::<32>("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"),
    gx: &h::<32>("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"),
    gy: &h::<32>("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"),
    n: &h::<32>("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    h: 1,
};

/// P-384 (secp384r1): `openssl ecparam -name secp384r1 -param_enc explicit`.
static NISTP384: CurveParameters = CurveParameters {
    curve: NamedCurve::NistP384,
    p: &h::<48>(concat!(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
        "ffffffff0000000000000000ffffffff"
    )),
    a: &h::<48>(concat!(
        "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe",
        "ffffffff0000000000000000fffffffc"
    )),
    b: &h::<48>(concat!(
        "b3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875a",
        "c656398d8a2ed19d2a85c8edd3ec2aef"
    )),
    gx: &h::<48>(concat!(
        "aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a38",
        "5502f25dbf55296c3a545e3872760ab7"
    )),
    gy: &h::<48>(concat!(
        "3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c0",
        "0a60b1ce1d7e819d7a431d7c90ea0e5f"
    )),
    n: &h::<48>(concat!(
        "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf",
        "581a0db248b0a77aecec196accc52973"
    )),
    h: 1,
};

/// P-521 (secp521r1): `openssl ecparam -name secp521r1 -param_enc explicit`.
static NISTP521: CurveParameters = CurveParameters {
    curve: NamedCurve::NistP521,
    p: &h::<66>(concat!(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffff"
    )),
    a: &h::<66>(concat!(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "fffc"
    )),
    b: &h::<66>(concat!(
        "0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef1",
        "09e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b50",
        "3f00"
    )),
    gx: &h::<66>(concat!(
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d",
        "3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5",
        "bd66"
    )),
    gy: &h::<66>(concat!(
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e",
        "662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd1",
        "6650"
    )),
    n: &h::<66>(concat!(
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "fffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e9138",
        "6409"
    )),
    h: 1,
};

/// brainpoolP224r1: `openssl ecparam -name brainpoolP224r1 -param_enc explicit`.
static BRAINPOOLP224R1: CurveParameters = CurveParameters {
    curve: NamedCurve::BrainpoolP224r1,
    p: &h::<28>("d7c134aa264366862a18302575d1d787b09f075797da89f57ec8c0ff"),
    a: &h::<28>("68a5e62ca9ce6c1c299803a6c1530b514e182ad8b0042a59cad29f43"),
    b: &h::<28>("2580f63ccfe44138870713b1a92369e33e2135d266dbb372386c400b"),
    gx: &h::<28>("0d9029ad2c7e5cf4340823b2a87dc68c9e4ce3174c1e6efdee12c07d"),
    gy: &h::<28>("58aa56f772c0726f24c6b89e4ecdac24354b9e99caa3f6d3761402cd"),
    n: &h::<28>("d7c134aa264366862a18302575d0fb98d116bc4b6ddebca3a5a7939f"),
    h: 1,
};

/// brainpoolP256r1: `openssl ecparam -name brainpoolP256r1 -param_enc explicit`.
static BRAINPOOLP256R1: CurveParameters = CurveParameters {
    curve: NamedCurve::BrainpoolP256r1,
    p: &h::<32>("a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377"),
    a: &h::<32>("7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9"),
    b: &h::<32>("26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6"),
    gx: &h::<32>("8bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262"),
    gy: &h::<32>("547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997"),
    n: &h::<32>("a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7"),
    h: 1,
};

/// brainpoolP320r1: `openssl ecparam -name brainpoolP320r1 -param_enc explicit`.
static BRAINPOOLP320R1: CurveParameters = CurveParameters {
    curve: NamedCurve::BrainpoolP320r1,
    p: &h::<40>(concat!(
        "d35e472036bc4fb7e13c785ed201e065f98fcfa6f6f40def4f92b9ec7893ec28",
        "fcd412b1f1b32e27"
    )),
    a: &h::<40>(concat!(
        "3ee30b568fbab0f883ccebd46d3f3bb8a2a73513f5eb79da66190eb085ffa9f4",
        "92f375a97d860eb4"
    )),
    b: &h::<40>(concat!(
        "520883949dfdbc42d3ad198640688a6fe13f41349554b49acc31dccd88453981",
        "6f5eb4ac8fb1f1a6"
    )),
    gx: &h::<40>(concat!(
        "43bd7e9afb53d8b85289bcc48ee5bfe6f20137d10a087eb6e7871e2a10a599c7",
        "10af8d0d39e20611"
    )),
    gy: &h::<40>(concat!(
        "14fdd05545ec1cc8ab4093247f77275e0743ffed117182eaa9c77877aaac6ac7",
        "d35245d1692e8ee1"
    )),
    n: &h::<40>(concat!(
        "d35e472036bc4fb7e13c785ed201e065f98fcfa5b68f12a32d482ec7ee8658e9",
        "8691555b44c59311"
    )),
    h: 1,
};

/// brainpoolP384r1: `openssl ecparam -name brainpoolP384r1 -param_enc explicit`.
static BRAINPOOLP384R1: CurveParameters = CurveParameters {
    curve: NamedCurve::BrainpoolP384r1,
    p: &h::<48>(concat!(
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123",
        "acd3a729901d1a71874700133107ec53"
    )),
    a: &h::<48>(concat!(
        "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f",
        "8aa5814a503ad4eb04a8c7dd22ce2826"
    )),
    b: &h::<48>(concat!(
        "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d5",
        "7cb4390295dbc9943ab78696fa504c11"
    )),
    gx: &h::<48>(concat!(
        "1d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8",
        "e826e03436d646aaef87b2e247d4af1e"
    )),
    gy: &h::<48>(concat!(
        "8abe1d7520f9c2a45cb1eb8e95cfd55262b70b29feec5864e19c054ff9912928",
        "0e4646217791811142820341263c5315"
    )),
    n: &h::<48>(concat!(
        "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7",
        "cf3ab6af6b7fc3103b883202e9046565"
    )),
    h: 1,
};

/// brainpoolP512r1: `openssl ecparam -name brainpoolP512r1 -param_enc explicit`.
static BRAINPOOLP512R1: CurveParameters = CurveParameters {
    curve: NamedCurve::BrainpoolP512r1,
    p: &h::<64>(concat!(
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871",
        "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3"
    )),
    a: &h::<64>(concat!(
        "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc",
        "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca"
    )),
    b: &h::<64>(concat!(
        "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7",
        "2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723"
    )),
    gx: &h::<64>(concat!(
        "81aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e",
        "ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822"
    )),
    gy: &h::<64>(concat!(
        "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111",
        "b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892"
    )),
    n: &h::<64>(concat!(
        "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870",
        "553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069"
    )),
    h: 1,
};
