//! Personalisation: a whole, consistent document for the virtual chip.
//!
//! [`Personalisation`] collects what the document holds (the MRZ, a face,
//! DG13 for a CCCD, whether the chip does Chip Authentication, Active
//! Authentication and PACE) and [`Personalisation::build`] writes every
//! file: EF.COM, DG1, DG2, DG13, DG14, DG15, EF.SOD signed by the
//! [`TestPki`]'s Document Signer, EF.CardAccess when PACE is offered, and
//! EF.CardSecurity (signed by the same DS) when PACE is offered with Chip
//! Authentication Mapping.

use std::collections::BTreeMap;

use icao9303::Date;
use icao9303::kdf::KeyKind;
use icao9303::lds::{DataGroup, Dg1, Dg2, Dg14, Dg15, FileKind, com};
use icao9303::mrz::{Mrz, MrzDate, MrzFormat, MrzKey, Sex};
use icao9303::oid;
use icao9303::pace::{DomainParameters, KeyAgreement, Mapping, PaceProtocol};
use icao9303::tlv::{Node, Tag};
use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use crate::Error;
use crate::pki::{TestPki, p256_spki};

/// The face image every simulated document carries: a synthetic 240x320
/// JPEG of 15,884 bytes (see `assets/README.md`).
pub const FACE_JPEG: &[u8] = include_bytes!("../assets/face.jpg");
/// Its width in pixels.
pub const FACE_WIDTH: u16 = 240;
/// Its height in pixels.
pub const FACE_HEIGHT: u16 = 320;

const SEQ: Tag = Tag::new(0x30);
const OID: Tag = Tag::new(0x06);
const INT: Tag = Tag::new(0x02);

/// The chip's Chip Authentication key: an ECDH key on a standardized
/// curve, or a DH key of an RFC 5114 group. Zeroized on drop.
#[derive(Clone)]
pub struct ChipAuthKey {
    /// The curve or MODP group.
    pub parameters: DomainParameters,
    /// The cipher of the secure messaging CA switches to.
    pub cipher: KeyKind,
    pub(crate) private: Zeroizing<Vec<u8>>,
    /// The public key: the SEC1 uncompressed point, or `y` big-endian as
    /// long as `p` for DH.
    pub public: Vec<u8>,
}

impl ChipAuthKey {
    /// A key on `parameters` drawn from `rng`.
    fn generate<R: TryCryptoRng + ?Sized>(
        rng: &mut R,
        parameters: DomainParameters,
        cipher: KeyKind,
    ) -> Result<ChipAuthKey, Error> {
        let private = parameters.random_private_key(rng)?;
        let public = parameters.public_key(&private, None)?;
        Ok(ChipAuthKey {
            parameters,
            cipher,
            private,
            public,
        })
    }

    /// Its ChipAuthenticationPublicKeyInfo and ChipAuthenticationInfo
    /// (id-CA-*-cipher, version 1), with `key_id` in both when given.
    fn security_infos(&self, key_id: Option<u8>) -> [Vec<u8>; 2] {
        let protocol = icao9303::ca::protocol_oid(self.parameters.agreement(), self.cipher);
        let mut ca = vec![
            Node::primitive(OID, protocol),
            Node::primitive(INT, vec![1]),
        ];
        if let Some(id) = key_id {
            ca.push(Node::primitive(INT, crate::pki::der_uint(&[id])));
        }
        [
            ca_public_key_info(self.parameters, &self.public, key_id),
            Node::constructed(SEQ, ca).encode(),
        ]
    }
}

impl core::fmt::Debug for ChipAuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipAuthKey")
            .field("parameters", &self.parameters)
            .field("cipher", &self.cipher)
            .field("private", &"<redacted>")
            .finish()
    }
}

/// The chip's Active Authentication private key (the card side of
/// Active Authentication lives in `icao9303::aa::card`).
pub use icao9303::aa::card::ActiveAuthKey;

/// Which Active Authentication key to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActiveAuthKind {
    /// ECDSA P-256 / SHA-256.
    EcdsaP256,
    /// RSA of this many bits, ISO/IEC 9796-2 scheme 1.
    Rsa(usize),
}

/// What the chip offers through EF.CardAccess: one PACE protocol on one
/// curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceOffer {
    /// Mapping and cipher.
    pub protocol: PaceProtocol,
    /// The curve.
    pub parameters: DomainParameters,
}

impl PaceOffer {
    /// `mapping` with `cipher` on `parameters` (DH for the MODP groups 0
    /// to 2, ECDH for the curves). The chip refuses, at MSE:Set AT, what
    /// the protocol library does not implement (e.g. Integrated Mapping on
    /// P-224, Chip Authentication Mapping with DH).
    pub fn new(mapping: Mapping, parameters: DomainParameters, cipher: KeyKind) -> PaceOffer {
        let agreement: KeyAgreement = parameters.agreement();
        PaceOffer {
            protocol: PaceProtocol {
                agreement,
                mapping,
                cipher,
            },
            parameters,
        }
    }

    /// Generic Mapping with `cipher` on `parameters`.
    pub fn generic(parameters: DomainParameters, cipher: KeyKind) -> PaceOffer {
        PaceOffer::new(Mapping::Generic, parameters, cipher)
    }

    /// Integrated Mapping with `cipher` on `parameters` (id-PACE-DH-IM-*
    /// for the MODP groups, id-PACE-ECDH-IM-* for the curves).
    pub fn integrated(parameters: DomainParameters, cipher: KeyKind) -> PaceOffer {
        PaceOffer::new(Mapping::Integrated, parameters, cipher)
    }

    /// Chip Authentication Mapping with `cipher` on the curve `parameters`
    /// (id-PACE-ECDH-CAM-*). The chip's static key is its Chip
    /// Authentication key when that is on the same curve, else one made
    /// for the curve; EF.CardSecurity lists it. [`Personalisation::build`]
    /// refuses CAM with DH (a MODP group) or 3DES, which do not exist.
    pub fn chip_authentication_mapping(parameters: DomainParameters, cipher: KeyKind) -> PaceOffer {
        PaceOffer::new(Mapping::ChipAuthentication, parameters, cipher)
    }

    /// The PACEInfo SEQUENCE this offer puts in EF.CardAccess and
    /// EF.CardSecurity: `{ id-PACE-..., 2, parameterId }`, DER.
    pub fn pace_info(&self) -> Vec<u8> {
        Node::constructed(
            SEQ,
            vec![
                Node::primitive(OID, self.protocol.oid().to_vec()),
                Node::primitive(INT, vec![2]),
                Node::primitive(INT, vec![self.parameters.id()]),
            ],
        )
        .encode()
    }
}

/// What to put on the chip.
#[derive(Debug, Clone)]
pub struct Personalisation {
    mrz: Mrz,
    can: Option<String>,
    face: Option<Vec<u8>>,
    dg13: Option<Vec<u8>>,
    extra: Vec<(DataGroup, Vec<u8>)>,
    chip_auth: Option<(DomainParameters, KeyKind)>,
    active_auth: Option<ActiveAuthKind>,
    pace: Vec<PaceOffer>,
    country: String,
    card_access_override: Option<Vec<u8>>,
}

/// A synthetic TD3 passport MRZ with the given document number and dates.
pub fn passport_mrz(
    document_number: &str,
    date_of_birth: &str,
    date_of_expiry: &str,
) -> Result<Mrz, Error> {
    let dob = MrzDate::from_yymmdd(date_of_birth.as_bytes())
        .ok_or_else(|| Error::Profile(format!("date of birth {date_of_birth:?} is not YYMMDD")))?;
    let exp = MrzDate::from_yymmdd(date_of_expiry.as_bytes()).ok_or_else(|| {
        Error::Profile(format!("date of expiry {date_of_expiry:?} is not YYMMDD"))
    })?;
    let number = document_number.to_ascii_uppercase();
    if number.is_empty()
        || !number
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'<')
    {
        return Err(Error::Profile(format!(
            "document number {document_number:?} is not A-Z, 0-9"
        )));
    }
    Ok(Mrz {
        format: MrzFormat::Td3,
        document_code: "P".into(),
        issuing_state: "UTO".into(),
        document_number: number,
        optional_data: String::new(),
        optional_data_2: None,
        date_of_birth: dob,
        sex: Sex::Female,
        date_of_expiry: exp,
        nationality: "UTO".into(),
        primary_identifier: "SIMULATED".into(),
        secondary_identifier: "ANNA MARIA".into(),
    })
}

impl Personalisation {
    /// A passport with `mrz`, the face image, Chip Authentication (ECDH
    /// P-256, AES-128), Active Authentication (ECDSA P-256), BAC only.
    pub fn passport(mrz: Mrz) -> Personalisation {
        Personalisation {
            mrz,
            can: None,
            face: Some(FACE_JPEG.to_vec()),
            dg13: None,
            extra: Vec::new(),
            chip_auth: Some((DomainParameters::Secp256r1, KeyKind::Aes128)),
            active_auth: Some(ActiveAuthKind::EcdsaP256),
            pace: Vec::new(),
            country: "UT".into(),
            card_access_override: None,
        }
    }

    /// A Vietnamese CCCD: the TD1 MRZ of `cccd::mrz` for the 12-digit
    /// `id_number` and the `YYMMDD` dates (`991231`: no expiry), a
    /// synthetic name, DG13 with every record, the face, CA and AA.
    pub fn cccd(
        id_number: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Personalisation, Error> {
        Personalisation::cccd_inner(id_number, None, date_of_birth, date_of_expiry)
    }

    /// [`Personalisation::cccd`] for a holder named `full_name` (as DG13
    /// writes it, e.g. `Trần Ngọc Ngọc`; the MRZ takes it without
    /// diacritics, the first word as the primary identifier) instead of the
    /// synthetic name. Refused when the name is empty or has letters the
    /// MRZ cannot write.
    pub fn cccd_named(
        id_number: &str,
        full_name: &str,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Personalisation, Error> {
        Personalisation::cccd_inner(id_number, Some(full_name), date_of_birth, date_of_expiry)
    }

    fn cccd_inner(
        id_number: &str,
        holder: Option<&str>,
        date_of_birth: &str,
        date_of_expiry: &str,
    ) -> Result<Personalisation, Error> {
        let id = cccd::IdNumber::parse(id_number)
            .map_err(|e| Error::Profile(format!("ID number: {e}")))?;
        let century = id.birth_century();
        let dob = MrzDate::from_yymmdd(date_of_birth.as_bytes())
            .and_then(|d| d.in_century(century))
            .ok_or_else(|| {
                Error::Profile(format!("date of birth {date_of_birth:?} is not YYMMDD"))
            })?;
        let expiry = if date_of_expiry == "991231" {
            None
        } else {
            Some(
                MrzDate::from_yymmdd(date_of_expiry.as_bytes())
                    .and_then(|d| d.in_century(2000))
                    .ok_or_else(|| {
                        Error::Profile(format!("date of expiry {date_of_expiry:?} is not YYMMDD"))
                    })?,
            )
        };
        let sex = id.sex();
        let (primary, secondary, full_name) = match (holder, sex) {
            (Some(name), _) => {
                let ascii = cccd::ascii_name::ascii_name(name);
                let (p, s) = ascii.split_once(' ').unwrap_or((ascii.as_str(), ""));
                if p.is_empty() || !ascii.bytes().all(|b| b.is_ascii_uppercase() || b == b' ') {
                    return Err(Error::Profile(format!(
                        "holder name {name:?}: the MRZ cannot write it"
                    )));
                }
                (p.to_owned(), s.to_owned(), name.trim().to_owned())
            }
            (None, cccd::Sex::Male) => ("NGUYEN".into(), "VAN AN".into(), "Nguyễn Văn An".into()),
            (None, cccd::Sex::Female) => ("TRAN".into(), "THI BINH".into(), "Trần Thị Bình".into()),
        };
        let issue = Date::new(2021, 7, 1).unwrap_or(dob);
        let data = cccd::dg13::Dg13Data {
            id_number: id.as_str().to_owned(),
            full_name,
            date_of_birth: dob,
            sex,
            nationality: "Việt Nam".into(),
            ethnicity: "Kinh".into(),
            religion: "Không".into(),
            place_of_origin: "Xã Đông Anh, Thành phố Hà Nội".into(),
            place_of_residence: "Số 1 Phố Tràng Tiền, Phường Hoàn Kiếm, Thành phố Hà Nội".into(),
            identifying_marks: "Nốt ruồi cách 2 cm trên đuôi mắt trái".into(),
            issue_date: issue,
            date_of_expiry: expiry,
            father_name: "Nguyễn Văn Bình".into(),
            mother_name: "Lê Thị Cúc".into(),
            spouse_name: None,
            old_id_number: None,
        };
        let mrz = cccd::mrz::CccdMrz::new(id, &primary, &secondary, dob, sex, expiry);
        let mut p = Personalisation::passport(mrz.mrz);
        p.dg13 = Some(data.encode());
        p.country = "VN".into();
        Ok(p)
    }

    /// Also offer PACE (through EF.CardAccess and DG14).
    pub fn with_pace(mut self, offer: PaceOffer) -> Personalisation {
        self.pace.push(offer);
        self
    }

    /// A Card Access Number (a PACE password) printed on the document.
    pub fn with_can(mut self, can: &str) -> Personalisation {
        self.can = Some(can.to_owned());
        self
    }

    /// No face image (DG2 left out).
    pub fn without_face(mut self) -> Personalisation {
        self.face = None;
        self
    }

    /// Chip Authentication on `parameters` switching to `cipher`, or none.
    /// A curve gives an ECDH key (id-PK-ECDH, BSI standardized domain
    /// parameters); an RFC 5114 group (IDs 0 to 2) a DH key (id-PK-DH, an
    /// RFC 3279 `dhpublicnumber` key with the group's `p`, `g`, `q`).
    pub fn with_chip_authentication(
        mut self,
        ca: Option<(DomainParameters, KeyKind)>,
    ) -> Personalisation {
        self.chip_auth = ca;
        self
    }

    /// Active Authentication with a key of `kind`, or none.
    pub fn with_active_authentication(mut self, aa: Option<ActiveAuthKind>) -> Personalisation {
        self.active_auth = aa;
        self
    }

    /// Another data group, stored as given (and hashed into EF.SOD).
    pub fn with_data_group(mut self, dg: DataGroup, bytes: Vec<u8>) -> Personalisation {
        self.extra.push((dg, bytes));
        self
    }

    /// Test and attack hook, for negative tests only: the chip serves
    /// `bytes` as EF.CardAccess instead of the SET of its offers'
    /// PACEInfos, while EF.CardSecurity (signed) and DG14 still list the
    /// offers, and MSE:Set AT still accepts only them. It models an
    /// EF.CardAccess rewritten in transit (e.g. a PACEInfo added or
    /// changed to steer the reader to a weaker PACE variant), which a
    /// reader detects by comparing EF.CardAccess with EF.CardSecurity
    /// after PACE with Chip Authentication Mapping. No genuine chip has
    /// it.
    pub fn with_card_access_override(mut self, bytes: Vec<u8>) -> Personalisation {
        self.card_access_override = Some(bytes);
        self
    }

    /// The MRZ.
    pub fn mrz(&self) -> &Mrz {
        &self.mrz
    }

    /// The Active Authentication key, its DG15 and (ECDSA) the
    /// ActiveAuthenticationInfo DG14 then carries.
    fn active_auth_key<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        dgs: &mut BTreeMap<DataGroup, Vec<u8>>,
        infos: &mut Vec<Vec<u8>>,
    ) -> Result<Option<ActiveAuthKey>, Error> {
        let key = match self.active_auth {
            Some(ActiveAuthKind::EcdsaP256) => {
                let key = crate::pki::random_p256_key(rng)?;
                dgs.insert(DataGroup::Dg15, Dg15::encode(&p256_spki(&key)));
                infos.push(
                    Node::constructed(
                        SEQ,
                        vec![
                            Node::primitive(OID, oid::ID_AA.as_bytes().to_vec()),
                            Node::primitive(INT, vec![1]),
                            Node::primitive(OID, oid::ECDSA_WITH_SHA256.as_bytes().to_vec()),
                        ],
                    )
                    .encode(),
                );
                Some(ActiveAuthKey::EcdsaP256(key))
            }
            Some(ActiveAuthKind::Rsa(bits)) => {
                let key = rsa::PrivateKey::new(rng, bits)
                    .map_err(|e| Error::Profile(format!("RSA key: {e}")))?;
                dgs.insert(DataGroup::Dg15, Dg15::encode(&rsa_spki(&key)));
                Some(ActiveAuthKey::Rsa(Box::new(key)))
            }
            None => None,
        };
        Ok(key)
    }

    /// Writes every file, keys drawn from `rng`, EF.SOD signed by `pki`.
    pub fn build<R: TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        pki: &TestPki,
    ) -> Result<ChipData, Error> {
        let mut dgs: BTreeMap<DataGroup, Vec<u8>> = BTreeMap::new();
        dgs.insert(DataGroup::Dg1, Dg1::encode(&self.mrz)?);
        if let Some(face) = &self.face {
            dgs.insert(
                DataGroup::Dg2,
                Dg2::encode_19794(face, FACE_WIDTH, FACE_HEIGHT),
            );
        }
        if let Some(dg13) = &self.dg13 {
            dgs.insert(DataGroup::Dg13, dg13.clone());
        }
        for (dg, bytes) in &self.extra {
            dgs.insert(*dg, bytes.clone());
        }
        let mut infos: Vec<Vec<u8>> = Vec::new();
        let chip_auth = match self.chip_auth {
            Some((parameters, cipher)) => {
                let key = ChipAuthKey::generate(rng, parameters, cipher)?;
                infos.extend(key.security_infos(None));
                Some(key)
            }
            None => None,
        };
        // The static keys of Chip Authentication Mapping, one per curve:
        // the CA key when on the same curve.
        let mut cam_keys: Vec<ChipAuthKey> = Vec::new();
        for offer in &self.pace {
            if offer.protocol.mapping != Mapping::ChipAuthentication {
                continue;
            }
            if offer.parameters.agreement() != KeyAgreement::Ecdh
                || offer.protocol.cipher == KeyKind::Tdes
            {
                return Err(Error::Profile(format!(
                    "Chip Authentication Mapping exists for ECDH with AES only, not {:?} with {:?}",
                    offer.parameters, offer.protocol.cipher
                )));
            }
            if cam_keys.iter().any(|k| k.parameters == offer.parameters) {
                continue;
            }
            let key = match &chip_auth {
                Some(k) if k.parameters == offer.parameters => k.clone(),
                _ => ChipAuthKey::generate(rng, offer.parameters, offer.protocol.cipher)?,
            };
            cam_keys.push(key);
        }
        let active_auth = self.active_auth_key(rng, &mut dgs, &mut infos)?;
        for offer in &self.pace {
            infos.push(offer.pace_info());
        }
        if !infos.is_empty() {
            let refs: Vec<&[u8]> = infos.iter().map(Vec::as_slice).collect();
            dgs.insert(DataGroup::Dg14, Dg14::encode(&refs));
        }
        let list: Vec<DataGroup> = dgs.keys().copied().collect();
        let hashed: Vec<(DataGroup, &[u8])> = dgs.iter().map(|(d, b)| (*d, b.as_slice())).collect();
        let sod = pki.sign_sod(&hashed);
        let mut files = BTreeMap::new();
        files.insert(FileKind::Com.fid(), com::encode(&list));
        for (dg, bytes) in dgs {
            files.insert(dg.fid(), bytes);
        }
        files.insert(FileKind::Sod.fid(), sod);
        let pace_infos: Vec<Vec<u8>> = self.pace.iter().map(PaceOffer::pace_info).collect();
        let card_access = if let Some(bytes) = &self.card_access_override {
            // The attack hook: EF.CardAccess as given, whatever is signed.
            Some(bytes.clone())
        } else if self.pace.is_empty() {
            None
        } else {
            Some(icao9303::tlv::encode(Tag::new(0x31), &pace_infos.concat()))
        };
        // EF.CardSecurity: the PACEInfos and the CAM keys (with key ids
        // when there is more than one: the curve's parameter ID), signed.
        let card_security = if cam_keys.is_empty() {
            None
        } else {
            let many = cam_keys.len() > 1;
            let mut set = pace_infos.concat();
            for key in &cam_keys {
                let id = many.then(|| key.parameters.id());
                set.extend(key.security_infos(id).concat());
            }
            Some(pki.sign_card_security(&icao9303::tlv::encode(Tag::new(0x31), &set)))
        };
        Ok(ChipData {
            access_key: self.mrz.access_key(),
            can: self.can.clone().map(Zeroizing::new),
            files,
            card_access,
            card_security,
            chip_auth,
            cam_keys,
            active_auth,
            pace: self.pace.clone(),
            csca: pki.csca_certificate().to_vec(),
        })
    }
}

/// ChipAuthenticationPublicKeyInfo `{ id-PK-ECDH, SubjectPublicKeyInfo }`
/// with the standardized-domain-parameters algorithm (BSI TR-03110), or
/// for DH `{ id-PK-DH, SubjectPublicKeyInfo }` with `dhpublicnumber`
/// (RFC 3279 §2.3.3: parameters `{ p, g, q }`, the key an INTEGER `y`).
/// A `key_id` goes last, as an INTEGER.
fn ca_public_key_info(parameters: DomainParameters, public: &[u8], key_id: Option<u8>) -> Vec<u8> {
    let key_id = key_id.map(|id| Node::primitive(INT, crate::pki::der_uint(&[id])));
    if let Some(group) = parameters.dh_group() {
        let mut bits = vec![0u8];
        bits.extend_from_slice(&Node::primitive(INT, crate::pki::der_uint(public)).encode());
        let spki = Node::constructed(
            SEQ,
            vec![
                Node::constructed(
                    SEQ,
                    vec![
                        Node::primitive(OID, oid::DH_PUBLIC_NUMBER.as_bytes().to_vec()),
                        Node::constructed(
                            SEQ,
                            vec![
                                Node::primitive(INT, crate::pki::der_uint(&group.p)),
                                Node::primitive(INT, crate::pki::der_uint(&group.g)),
                                Node::primitive(INT, crate::pki::der_uint(&group.q)),
                            ],
                        ),
                    ],
                ),
                Node::primitive(Tag::new(0x03), bits),
            ],
        );
        let mut items = vec![
            Node::primitive(OID, oid::ID_PK_DH.as_bytes().to_vec()),
            spki,
        ];
        items.extend(key_id);
        return Node::constructed(SEQ, items).encode();
    }
    let mut bits = vec![0u8];
    bits.extend_from_slice(public);
    let spki = Node::constructed(
        SEQ,
        vec![
            Node::constructed(
                SEQ,
                vec![
                    Node::primitive(OID, oid::STANDARDIZED_DOMAIN_PARAMETERS.as_bytes().to_vec()),
                    Node::primitive(INT, vec![parameters.id()]),
                ],
            ),
            Node::primitive(Tag::new(0x03), bits),
        ],
    );
    let mut items = vec![
        Node::primitive(OID, oid::ID_PK_ECDH.as_bytes().to_vec()),
        spki,
    ];
    items.extend(key_id);
    Node::constructed(SEQ, items).encode()
}

/// The SubjectPublicKeyInfo of an RSA key.
fn rsa_spki(key: &rsa::PrivateKey) -> Vec<u8> {
    use rsa::traits::PublicKeyParts;
    let n = key.n().to_be_bytes();
    let e = key.e().to_be_bytes();
    let rsa_key = Node::constructed(
        SEQ,
        vec![
            Node::primitive(INT, crate::pki::der_uint(&n)),
            Node::primitive(INT, crate::pki::der_uint(&e)),
        ],
    )
    .encode();
    let mut bits = vec![0u8];
    bits.extend_from_slice(&rsa_key);
    Node::constructed(
        SEQ,
        vec![
            Node::constructed(
                SEQ,
                vec![
                    Node::primitive(
                        OID,
                        vec![0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01],
                    ),
                    Node::primitive(Tag::new(0x05), Vec::new()),
                ],
            ),
            Node::primitive(Tag::new(0x03), bits),
        ],
    )
    .encode()
}

/// Everything the chip holds after personalisation.
#[derive(Debug, Clone)]
pub struct ChipData {
    /// The MRZ key BAC and PACE-MRZ check against.
    pub access_key: MrzKey,
    pub(crate) can: Option<Zeroizing<String>>,
    /// The files of the LDS1 application by file identifier (EF.COM,
    /// the data groups, EF.SOD), raw.
    pub files: BTreeMap<u16, Vec<u8>>,
    /// EF.CardAccess (in the master file), when PACE is offered: the SET
    /// of the offers' PACEInfos, or the bytes of
    /// [`Personalisation::with_card_access_override`] (an attack hook).
    pub card_access: Option<Vec<u8>>,
    /// EF.CardSecurity (in the master file, readable after PACE), when
    /// the chip offers Chip Authentication Mapping: the PACEInfos and the
    /// CAM keys' ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo,
    /// signed by the test DS.
    pub card_security: Option<Vec<u8>>,
    /// The Chip Authentication key.
    pub chip_auth: Option<ChipAuthKey>,
    /// The static keys of Chip Authentication Mapping, one per curve
    /// offered with CAM (the Chip Authentication key when on that curve).
    pub cam_keys: Vec<ChipAuthKey>,
    /// The Active Authentication key.
    pub active_auth: Option<ActiveAuthKey>,
    /// The PACE protocols offered.
    pub pace: Vec<PaceOffer>,
    /// The CSCA certificate (DER) the EF.SOD chains to.
    pub csca: Vec<u8>,
}

impl ChipData {
    /// The bytes of a file of the LDS1 application.
    pub fn file(&self, kind: FileKind) -> Option<&[u8]> {
        self.files.get(&kind.fid()).map(Vec::as_slice)
    }
}
