//! DG3 (tag `63`, finger) and DG4 (tag `76`, iris): biometric information
//! groups (ISO/IEC 7816-11 as Doc 9303 Part 10 §4.7.3-4 uses them). Each
//! template keeps its header and its data block (an ISO/IEC 19794-4 `FIR`
//! or 19794-6 `IIR` record, or an ISO/IEC 39794 block), borrowed from the
//! file. On a chip these groups sit behind Extended Access Control.

use crate::Error;
use crate::lds::dg2::{BiometricHeader, header_and_block};
use crate::lds::{lds_err, outer, uint};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::{Tag, Tlv};

/// One biometric information template (`7F60`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BiometricTemplate<'a> {
    /// The biometric header template.
    pub header: BiometricHeader<'a>,
    /// The data block's tag (`5F2E`, or `7F2E` for ISO/IEC 39794).
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::display"))]
    pub data_block_tag: Tag,
    /// The format identifier at the start of a 19794 record (`"FIR"`,
    /// `"IIR"`), when there is one.
    pub format_identifier: Option<String>,
    /// Offset of the data block's first byte in the file.
    pub data_offset: usize,
    /// The data block.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "data_length", serialize_with = "crate::lds::ser::len")
    )]
    pub data: &'a [u8],
}

/// A parsed DG3 or DG4.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BiometricGroup<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The templates, in order.
    pub templates: Vec<BiometricTemplate<'a>>,
}

/// DG3: encoded finger(s).
pub type Dg3<'a> = BiometricGroup<'a>;
/// DG4: encoded iris(es).
pub type Dg4<'a> = BiometricGroup<'a>;

impl<'a> BiometricGroup<'a> {
    /// Parses DG3.
    pub fn parse_dg3(raw: &'a [u8]) -> Result<BiometricGroup<'a>, Error> {
        BiometricGroup::parse_tagged(raw, Tag::new(0x63), "DG3")
    }

    /// Parses DG4.
    pub fn parse_dg4(raw: &'a [u8]) -> Result<BiometricGroup<'a>, Error> {
        BiometricGroup::parse_tagged(raw, Tag::new(0x76), "DG4")
    }

    /// Parses a biometric data group opening with `tag`:
    /// `tag { 7F61 { 02 count, 7F60 { A1 header, 5F2E|7F2E data }... }... }`.
    pub fn parse_tagged(
        raw: &'a [u8],
        tag: Tag,
        file: &'static str,
    ) -> Result<BiometricGroup<'a>, Error> {
        let top = outer(raw, tag)?;
        let mut templates = Vec::new();
        for group in top.children() {
            let group = group?;
            group.expect_tag(Tag::new(0x7F61))?;
            let mut r = group.children();
            let count = r.expect(Tag::new(0x02))?;
            let expected = uint(&count, file)?;
            let mut n = 0u64;
            for bit in r {
                let bit = bit?;
                bit.expect_tag(Tag::new(0x7F60))?;
                templates.push(template(&bit, file)?);
                n = n.saturating_add(1);
            }
            if n != expected {
                return Err(lds_err(
                    file,
                    count.offset(),
                    "as many 7F60 templates as the count says",
                ));
            }
        }
        Ok(BiometricGroup { raw, templates })
    }
}

fn template<'a>(bit: &Tlv<'a>, file: &'static str) -> Result<BiometricTemplate<'a>, Error> {
    let (header, block) = header_and_block(bit, file)?;
    if !matches!(block.tag().raw(), 0x5F2E | 0x7F2E) {
        return Err(lds_err(
            file,
            block.offset(),
            "a biometric data block 5F2E or 7F2E",
        ));
    }
    let data = block.value();
    let format_identifier = data
        .get(..4)
        .filter(|id| id.get(3) == Some(&0) && id.iter().take(3).all(u8::is_ascii_uppercase))
        .map(|id| id.iter().take(3).map(|b| char::from(*b)).collect());
    Ok(BiometricTemplate {
        header,
        data_block_tag: block.tag(),
        format_identifier,
        data_offset: block.value_offset(),
        data,
    })
}
