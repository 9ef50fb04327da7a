//! EF.COM (tag `60`): the LDS and Unicode versions and the list of data
//! groups present (Doc 9303 Part 10 §4.6.1).

use crate::Error;
use crate::lds::{DataGroup, lds_err, outer};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::{Node, Tag, Tlv};

const FILE: &str = "EF.COM";

/// A parsed EF.COM.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Com<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The LDS version `aa.bb` from the four digits of tag `5F01`
    /// (`"0107"` gives `"1.7"`).
    pub lds_version: String,
    /// The Unicode version `aa.bb.cc` from the six digits of tag `5F36`
    /// (`"040000"` gives `"4.0.0"`).
    pub unicode_version: String,
    /// The tag list (`5C`) as written.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::lds::ser::display_seq")
    )]
    pub tags: Vec<Tag>,
    /// The data groups the tag list names, in its order (unknown tags skipped).
    pub data_groups: Vec<DataGroup>,
}

/// `"0107"` to `"1.7"`, `"040000"` to `"4.0.0"`: pairs of digits as numbers.
fn version(tlv: &Tlv<'_>, pairs: usize) -> Result<String, Error> {
    let v = tlv.value();
    if v.len() != pairs * 2 || !v.iter().all(u8::is_ascii_digit) {
        return Err(lds_err(
            FILE,
            tlv.value_offset(),
            "a version of two-digit groups",
        ));
    }
    let parts: Vec<String> = v
        .chunks(2)
        .map(|p| {
            let n = p.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
            n.to_string()
        })
        .collect();
    Ok(parts.join("."))
}

/// The LDS version this crate writes: 1.7 (`"0107"`).
pub const LDS_VERSION: &str = "0107";
/// The Unicode version this crate writes: 4.0.0 (`"040000"`).
pub const UNICODE_VERSION: &str = "040000";

/// Writes an EF.COM listing `data_groups`, with LDS 1.7 and Unicode 4.0.0.
pub fn encode(data_groups: &[DataGroup]) -> Vec<u8> {
    encode_with(LDS_VERSION, UNICODE_VERSION, data_groups)
}

/// Writes an EF.COM with the version digits as given (`"0107"`, `"040000"`).
pub fn encode_with(lds_version: &str, unicode_version: &str, data_groups: &[DataGroup]) -> Vec<u8> {
    let tags: Vec<u8> = data_groups
        .iter()
        .map(|dg| dg.tag().raw().to_le_bytes().first().copied().unwrap_or(0))
        .collect();
    Node::constructed(
        Tag::new(0x60),
        vec![
            Node::primitive(Tag::new(0x5F01), lds_version.as_bytes().to_vec()),
            Node::primitive(Tag::new(0x5F36), unicode_version.as_bytes().to_vec()),
            Node::primitive(Tag::new(0x5C), tags),
        ],
    )
    .encode()
}

impl<'a> Com<'a> {
    /// Parses EF.COM: `60 { 5F01 version, 5F36 unicode version, 5C tags }`.
    pub fn parse(raw: &'a [u8]) -> Result<Com<'a>, Error> {
        let top = outer(raw, Tag::new(0x60))?;
        let mut r = top.children();
        let lds_version = version(&r.expect(Tag::new(0x5F01))?, 2)?;
        let unicode_version = version(&r.expect(Tag::new(0x5F36))?, 3)?;
        let list = r.expect(Tag::new(0x5C))?;
        r.finish()?;
        let tags: Vec<Tag> = list
            .value()
            .iter()
            .map(|b| Tag::new(u32::from(*b)))
            .collect();
        let data_groups = tags
            .iter()
            .filter_map(|t| DataGroup::from_tag(*t))
            .collect();
        Ok(Com {
            raw,
            lds_version,
            unicode_version,
            tags,
            data_groups,
        })
    }
}
