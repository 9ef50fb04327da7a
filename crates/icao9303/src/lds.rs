//! The Logical Data Structure of ICAO Doc 9303 Part 10: EF.COM, the data
//! groups, EF.SOD, EF.CardAccess and EF.CardSecurity.
//!
//! Each file is parsed from its raw bytes, and every parsed view keeps those
//! bytes ([`File::raw`]): the hashes of EF.SOD are over them. Views borrow
//! from the input (the face image of DG2 is a slice of the file, never a
//! copy). [`File::parse`] picks the parser from the first tag; unknown data
//! groups stay raw.
//!
//! ```
//! use icao9303::lds::{DataGroup, File};
//!
//! // EF.COM of the BSI 2008 specimen.
//! let com = [
//!     0x60, 0x16, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5F, 0x36, 0x06,
//!     b'0', b'4', b'0', b'0', b'0', b'0', 0x5C, 0x04, 0x61, 0x75, 0x63, 0x6E,
//! ];
//! let File::Com(com) = File::parse(&com)? else { unreachable!() };
//! assert_eq!(com.lds_version, "1.7");
//! assert_eq!(com.data_groups, [DataGroup::Dg1, DataGroup::Dg2, DataGroup::Dg3, DataGroup::Dg14]);
//! # Ok::<(), icao9303::Error>(())
//! ```

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use crate::Error;
use crate::tlv::{Tag, Tlv};

pub mod biometric;
pub mod com;
pub mod dg1;
pub mod dg11;
pub mod dg12;
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub mod dg14;
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub mod dg15;
pub mod dg2;
pub mod dg7;
pub mod image;
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub mod security_infos;
#[cfg(feature = "asn1")]
#[cfg_attr(docsrs, doc(cfg(feature = "asn1")))]
pub mod sod;

pub use biometric::{BiometricGroup, Dg3, Dg4};
pub use com::Com;
pub use dg1::Dg1;
pub use dg2::Dg2;
pub use dg7::Dg7;
pub use dg11::Dg11;
pub use dg12::Dg12;
#[cfg(feature = "asn1")]
pub use dg14::Dg14;
#[cfg(feature = "asn1")]
pub use dg15::Dg15;
#[cfg(feature = "asn1")]
pub use security_infos::{CardAccess, CardSecurity, SecurityInfo, SecurityInfos};
#[cfg(feature = "asn1")]
pub use sod::Sod;

/// The sixteen data groups of LDS 1.
///
/// Exhaustive: the LDS has sixteen data groups (Doc 9303 Part 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(missing_docs)]
pub enum DataGroup {
    Dg1 = 1,
    Dg2,
    Dg3,
    Dg4,
    Dg5,
    Dg6,
    Dg7,
    Dg8,
    Dg9,
    Dg10,
    Dg11,
    Dg12,
    Dg13,
    Dg14,
    Dg15,
    Dg16,
}

/// `(number, tag)` of every data group, Doc 9303 Part 10 Table 34.
const DG_TAGS: [(DataGroup, u8); 16] = [
    (DataGroup::Dg1, 0x61),
    (DataGroup::Dg2, 0x75),
    (DataGroup::Dg3, 0x63),
    (DataGroup::Dg4, 0x76),
    (DataGroup::Dg5, 0x65),
    (DataGroup::Dg6, 0x66),
    (DataGroup::Dg7, 0x67),
    (DataGroup::Dg8, 0x68),
    (DataGroup::Dg9, 0x69),
    (DataGroup::Dg10, 0x6A),
    (DataGroup::Dg11, 0x6B),
    (DataGroup::Dg12, 0x6C),
    (DataGroup::Dg13, 0x6D),
    (DataGroup::Dg14, 0x6E),
    (DataGroup::Dg15, 0x6F),
    (DataGroup::Dg16, 0x70),
];

impl DataGroup {
    /// All sixteen, in order.
    pub const ALL: [DataGroup; 16] = [
        DataGroup::Dg1,
        DataGroup::Dg2,
        DataGroup::Dg3,
        DataGroup::Dg4,
        DataGroup::Dg5,
        DataGroup::Dg6,
        DataGroup::Dg7,
        DataGroup::Dg8,
        DataGroup::Dg9,
        DataGroup::Dg10,
        DataGroup::Dg11,
        DataGroup::Dg12,
        DataGroup::Dg13,
        DataGroup::Dg14,
        DataGroup::Dg15,
        DataGroup::Dg16,
    ];

    /// The number, 1 to 16.
    pub const fn number(self) -> u8 {
        self as u8
    }

    /// The data group numbered `n` (1 to 16).
    pub fn from_number(n: u8) -> Option<DataGroup> {
        DataGroup::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The tag that opens the file (`61` for DG1, `75` for DG2...).
    pub fn tag(self) -> Tag {
        let t = DG_TAGS
            .iter()
            .find(|(dg, _)| *dg == self)
            .map_or(0, |(_, t)| *t);
        Tag::new(u32::from(t))
    }

    /// The data group a file tag announces.
    pub fn from_tag(tag: Tag) -> Option<DataGroup> {
        DG_TAGS
            .iter()
            .find(|(_, t)| u32::from(*t) == tag.raw())
            .map(|(dg, _)| *dg)
    }

    /// The file identifier in the LDS1 application, `0101` to `0110`.
    pub fn fid(self) -> u16 {
        0x0100 | u16::from(self.number())
    }

    /// The short file identifier (the data group number).
    pub fn sfi(self) -> u8 {
        self.number()
    }

    /// The data group with file identifier `fid`.
    pub fn from_fid(fid: u16) -> Option<DataGroup> {
        let n = fid.checked_sub(0x0100)?;
        DataGroup::from_number(u8::try_from(n).ok()?)
    }
}

impl fmt::Display for DataGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DG{}", self.number())
    }
}

/// Every elementary file this module reads, with its identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum FileKind {
    /// EF.COM (tag `60`, FID `011E`, SFI `1E`).
    Com,
    /// A data group.
    Dg(DataGroup),
    /// EF.SOD (tag `77`, FID `011D`, SFI `1D`).
    Sod,
    /// EF.CardAccess in the master file (FID `011C`, SFI `1C`), a bare SET.
    CardAccess,
    /// EF.CardSecurity in the master file (FID `011D`, SFI `1D`), a bare
    /// CMS ContentInfo.
    CardSecurity,
}

impl FileKind {
    /// The tag the file opens with; `None` for EF.CardAccess and
    /// EF.CardSecurity, which are bare ASN.1 (`31`, `30`).
    pub fn tag(self) -> Option<Tag> {
        match self {
            FileKind::Com => Some(Tag::new(0x60)),
            FileKind::Sod => Some(Tag::new(0x77)),
            FileKind::Dg(dg) => Some(dg.tag()),
            FileKind::CardAccess | FileKind::CardSecurity => None,
        }
    }

    /// The file identifier.
    pub fn fid(self) -> u16 {
        match self {
            FileKind::Com => 0x011E,
            FileKind::Sod | FileKind::CardSecurity => 0x011D,
            FileKind::CardAccess => 0x011C,
            FileKind::Dg(dg) => dg.fid(),
        }
    }

    /// The short file identifier.
    pub fn sfi(self) -> u8 {
        match self {
            FileKind::Com => 0x1E,
            FileKind::Sod | FileKind::CardSecurity => 0x1D,
            FileKind::CardAccess => 0x1C,
            FileKind::Dg(dg) => dg.sfi(),
        }
    }

    /// The file of the LDS1 application with identifier `fid` (`011D` is
    /// EF.SOD there; EF.CardSecurity shares it in the master file), or
    /// EF.CardAccess for `011C`.
    pub fn from_fid(fid: u16) -> Option<FileKind> {
        match fid {
            0x011E => Some(FileKind::Com),
            0x011D => Some(FileKind::Sod),
            0x011C => Some(FileKind::CardAccess),
            _ => DataGroup::from_fid(fid).map(FileKind::Dg),
        }
    }

    /// The file an LDS tag opens (`60`, `77`, a data group tag).
    pub fn from_tag(tag: Tag) -> Option<FileKind> {
        match tag.raw() {
            0x60 => Some(FileKind::Com),
            0x77 => Some(FileKind::Sod),
            _ => DataGroup::from_tag(tag).map(FileKind::Dg),
        }
    }

    /// The name Doc 9303 uses: `EF.COM`, `DG2`, `EF.SOD`...
    pub fn name(self) -> &'static str {
        const DG: [&str; 16] = [
            "DG1", "DG2", "DG3", "DG4", "DG5", "DG6", "DG7", "DG8", "DG9", "DG10", "DG11", "DG12",
            "DG13", "DG14", "DG15", "DG16",
        ];
        match self {
            FileKind::Com => "EF.COM",
            FileKind::Sod => "EF.SOD",
            FileKind::CardAccess => "EF.CardAccess",
            FileKind::CardSecurity => "EF.CardSecurity",
            FileKind::Dg(dg) => DG
                .get(usize::from(dg.number()).saturating_sub(1))
                .copied()
                .unwrap_or("DG"),
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed LDS file, chosen by its first tag.
///
/// Non-exhaustive: feature `asn1` adds the ASN.1 files' variants (DG14,
/// DG15, EF.SOD, EF.CardAccess, EF.CardSecurity).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "file", rename_all = "snake_case"))]
#[allow(clippy::large_enum_variant)]
pub enum File<'a> {
    /// EF.COM.
    Com(Com<'a>),
    /// DG1.
    Dg1(Dg1<'a>),
    /// DG2.
    Dg2(Dg2<'a>),
    /// DG3 (fingers).
    Dg3(Dg3<'a>),
    /// DG4 (irises).
    Dg4(Dg4<'a>),
    /// DG7.
    Dg7(Dg7<'a>),
    /// DG11.
    Dg11(Dg11<'a>),
    /// DG12.
    Dg12(Dg12<'a>),
    #[cfg(feature = "asn1")]
    /// DG14.
    Dg14(Dg14<'a>),
    #[cfg(feature = "asn1")]
    /// DG15.
    Dg15(Dg15<'a>),
    #[cfg(feature = "asn1")]
    /// EF.SOD.
    Sod(Sod<'a>),
    #[cfg(feature = "asn1")]
    /// EF.CardAccess (a bare SET of SecurityInfos).
    CardAccess(CardAccess<'a>),
    #[cfg(feature = "asn1")]
    /// EF.CardSecurity (a bare CMS ContentInfo).
    CardSecurity(CardSecurity<'a>),
    /// A data group this module does not interpret (DG5, DG13, DG16...):
    /// only checked to be one well-formed TLV.
    Other {
        /// Which data group.
        data_group: DataGroup,
        /// The file's bytes.
        #[cfg_attr(feature = "serde", serde(skip))]
        raw: &'a [u8],
        /// Its length, for the JSON view.
        length: usize,
    },
}

impl<'a> File<'a> {
    /// Parses a file, choosing the parser by its first tag: `60` EF.COM,
    /// `77` EF.SOD, a data group tag, `31` EF.CardAccess, `30`
    /// EF.CardSecurity.
    pub fn parse(raw: &'a [u8]) -> Result<File<'a>, Error> {
        let (tag, _) = Tag::from_bytes(raw).ok_or(Error::Lds {
            file: "LDS file",
            offset: 0,
            expected: "a BER-TLV tag",
        })?;
        #[cfg(feature = "asn1")]
        match tag.raw() {
            0x31 => return CardAccess::parse(raw).map(File::CardAccess),
            0x30 => return CardSecurity::parse(raw).map(File::CardSecurity),
            _ => {}
        }
        #[cfg(not(feature = "asn1"))]
        if matches!(tag.raw(), 0x30 | 0x31 | 0x77) {
            return Err(lds_err(
                "LDS file",
                0,
                "EF.SOD, EF.CardAccess and EF.CardSecurity need icao9303's feature `asn1`",
            ));
        }
        match FileKind::from_tag(tag) {
            Some(FileKind::Com) => Com::parse(raw).map(File::Com),
            #[cfg(feature = "asn1")]
            Some(FileKind::Sod) => Sod::parse(raw).map(File::Sod),
            Some(FileKind::Dg(dg)) => match dg {
                DataGroup::Dg1 => Dg1::parse(raw).map(File::Dg1),
                DataGroup::Dg2 => Dg2::parse(raw).map(File::Dg2),
                DataGroup::Dg3 => BiometricGroup::parse_dg3(raw).map(File::Dg3),
                DataGroup::Dg4 => BiometricGroup::parse_dg4(raw).map(File::Dg4),
                DataGroup::Dg7 => Dg7::parse(raw).map(File::Dg7),
                DataGroup::Dg11 => Dg11::parse(raw).map(File::Dg11),
                DataGroup::Dg12 => Dg12::parse(raw).map(File::Dg12),
                #[cfg(feature = "asn1")]
                DataGroup::Dg14 => Dg14::parse(raw).map(File::Dg14),
                #[cfg(feature = "asn1")]
                DataGroup::Dg15 => Dg15::parse(raw).map(File::Dg15),
                _ => {
                    Tlv::parse(raw)?;
                    Ok(File::Other {
                        data_group: dg,
                        raw,
                        length: raw.len(),
                    })
                }
            },
            _ => Err(Error::Lds {
                file: "LDS file",
                offset: 0,
                expected: "tag 60, 77, a data group tag (61..70), 30 or 31",
            }),
        }
    }

    /// Which file it is.
    pub fn kind(&self) -> FileKind {
        match self {
            File::Com(_) => FileKind::Com,
            File::Dg1(_) => FileKind::Dg(DataGroup::Dg1),
            File::Dg2(_) => FileKind::Dg(DataGroup::Dg2),
            File::Dg3(_) => FileKind::Dg(DataGroup::Dg3),
            File::Dg4(_) => FileKind::Dg(DataGroup::Dg4),
            File::Dg7(_) => FileKind::Dg(DataGroup::Dg7),
            File::Dg11(_) => FileKind::Dg(DataGroup::Dg11),
            File::Dg12(_) => FileKind::Dg(DataGroup::Dg12),
            #[cfg(feature = "asn1")]
            File::Dg14(_) => FileKind::Dg(DataGroup::Dg14),
            #[cfg(feature = "asn1")]
            File::Dg15(_) => FileKind::Dg(DataGroup::Dg15),
            #[cfg(feature = "asn1")]
            File::Sod(_) => FileKind::Sod,
            #[cfg(feature = "asn1")]
            File::CardAccess(_) => FileKind::CardAccess,
            #[cfg(feature = "asn1")]
            File::CardSecurity(_) => FileKind::CardSecurity,
            File::Other { data_group, .. } => FileKind::Dg(*data_group),
        }
    }

    /// The file's bytes, exactly as read.
    pub fn raw(&self) -> &'a [u8] {
        match self {
            File::Com(f) => f.raw,
            File::Dg1(f) => f.raw,
            File::Dg2(f) => f.raw,
            File::Dg3(f) | File::Dg4(f) => f.raw,
            File::Dg7(f) => f.raw,
            File::Dg11(f) => f.raw,
            File::Dg12(f) => f.raw,
            #[cfg(feature = "asn1")]
            File::Dg14(f) => f.raw,
            #[cfg(feature = "asn1")]
            File::Dg15(f) => f.raw,
            #[cfg(feature = "asn1")]
            File::Sod(f) => f.raw,
            #[cfg(feature = "asn1")]
            File::CardAccess(f) => f.raw,
            #[cfg(feature = "asn1")]
            File::CardSecurity(f) => f.raw,
            File::Other { raw, .. } => raw,
        }
    }
}

/// The outer TLV of a file: exactly one TLV with tag `tag`, nothing after it.
pub(crate) fn outer(raw: &[u8], tag: Tag) -> Result<Tlv<'_>, Error> {
    let tlv = Tlv::parse(raw)?;
    tlv.expect_tag(tag)?;
    Ok(tlv)
}

/// An [`Error::Lds`].
pub(crate) fn lds_err(file: &'static str, offset: usize, expected: &'static str) -> Error {
    Error::Lds {
        file,
        offset,
        expected,
    }
}

#[cfg(feature = "asn1")]
/// An [`Error::Asn1`] from a `der` error; `base` is the offset of the
/// decoded structure in the file.
pub(crate) fn asn1_err(file: &'static str, base: usize, e: der::Error) -> Error {
    let pos = e
        .position()
        .map_or(0, |p| usize::try_from(u32::from(p)).unwrap_or(0));
    Error::Asn1 {
        file,
        offset: base.saturating_add(pos),
        message: e.kind().to_string(),
    }
}

/// The value of a DER INTEGER as an unsigned number (at most 8 significant
/// bytes, non-negative).
pub(crate) fn uint(tlv: &Tlv<'_>, file: &'static str) -> Result<u64, Error> {
    let v = tlv.value();
    if tlv.tag() != Tag::new(0x02) || v.is_empty() || v.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(lds_err(file, tlv.offset(), "a non-negative INTEGER"));
    }
    let digits = strip_leading_zeros(v);
    if digits.len() > 8 {
        return Err(lds_err(file, tlv.offset(), "an INTEGER of at most 64 bits"));
    }
    Ok(digits
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// `bytes` without leading zero bytes.
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(skip..).unwrap_or(&[])
}

/// The OBJECT IDENTIFIER in `tlv`.
#[cfg(feature = "asn1")]
pub(crate) fn oid(tlv: &Tlv<'_>, file: &'static str) -> Result<der::asn1::ObjectIdentifier, Error> {
    if tlv.tag() != Tag::new(0x06) {
        return Err(lds_err(file, tlv.offset(), "an OBJECT IDENTIFIER"));
    }
    der::asn1::ObjectIdentifier::from_bytes(tlv.value())
        .map_err(|_| lds_err(file, tlv.offset(), "a well-formed OBJECT IDENTIFIER"))
}

/// Text of a primitive value: UTF-8 when it is, else each byte as a
/// Latin-1 character (older documents).
pub(crate) fn text(bytes: &[u8]) -> alloc::borrow::Cow<'_, str> {
    match core::str::from_utf8(bytes) {
        Ok(s) => alloc::borrow::Cow::Borrowed(s),
        Err(_) => alloc::borrow::Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()),
    }
}

/// serde helpers for the JSON views.
#[cfg(feature = "serde")]
pub(crate) mod ser {
    // `ToString` without std (icao9303 with `serde` alone, as eid-account takes it).
    #[allow(unused_imports)]
    use crate::prelude::*;
    use serde::Serializer;

    // Without `std` (serde alone, as eid-account takes it) the std prelude
    // does not bring `ToString`.
    use crate::prelude::ToString;

    /// Bytes as lower-case hex.
    pub(crate) fn hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:x}", base16ct::HexDisplay(bytes)))
    }

    /// Optional bytes as lower-case hex.
    pub(crate) fn opt_hex<S: Serializer>(bytes: &Option<&[u8]>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => hex(b, s),
            None => s.serialize_none(),
        }
    }

    /// Owned bytes as lower-case hex.
    #[cfg_attr(not(feature = "asn1"), allow(dead_code))] // the ASN.1 files'
    pub(crate) fn vec_hex<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        hex(bytes, s)
    }

    /// Anything with `Display` as a string.
    pub(crate) fn display<T: core::fmt::Display, S: Serializer>(
        v: &T,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    /// A list of `Display` items as strings.
    pub(crate) fn display_seq<T: core::fmt::Display, S: Serializer>(
        v: &[T],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(ToString::to_string))
    }

    /// An optional `Display` value as a string.
    #[cfg_attr(not(feature = "asn1"), allow(dead_code))] // the ASN.1 files'
    pub(crate) fn opt_display<T: core::fmt::Display, S: Serializer>(
        v: &Option<T>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// The length of a byte string.
    pub(crate) fn len<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(bytes.len() as u64)
    }
}
