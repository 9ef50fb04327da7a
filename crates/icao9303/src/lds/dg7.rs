//! DG7 (tag `67`): the displayed signature or usual mark, Doc 9303 Part 10
//! §4.7.7: `67 { 02 count, 5F43 image... }`.

use crate::Error;
use crate::lds::image::ImageFormat;
use crate::lds::{lds_err, outer, uint};
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::Tag;

const FILE: &str = "DG7";

/// One displayed image, borrowed from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DisplayedImage<'a> {
    /// The encoding, recognised from the bytes.
    pub format: ImageFormat,
    /// Offset of the image's first byte in the file.
    pub data_offset: usize,
    /// The image bytes.
    #[cfg_attr(
        feature = "serde",
        serde(rename = "data_length", serialize_with = "crate::lds::ser::len")
    )]
    pub data: &'a [u8],
}

/// A parsed DG7.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg7<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The displayed signature images, in order.
    pub images: Vec<DisplayedImage<'a>>,
}

impl<'a> Dg7<'a> {
    /// Parses DG7.
    pub fn parse(raw: &'a [u8]) -> Result<Dg7<'a>, Error> {
        let top = outer(raw, Tag::new(0x67))?;
        let mut r = top.children();
        let count_tlv = r.expect(Tag::new(0x02))?;
        let count = uint(&count_tlv, FILE)?;
        let mut images = Vec::new();
        for item in r {
            let item = item?;
            item.expect_tag(Tag::new(0x5F43))?;
            images.push(DisplayedImage {
                format: ImageFormat::detect(item.value()),
                data_offset: item.value_offset(),
                data: item.value(),
            });
        }
        if images.len() as u64 != count {
            return Err(lds_err(
                FILE,
                count_tlv.offset(),
                "as many 5F43 images as the count says",
            ));
        }
        Ok(Dg7 { raw, images })
    }
}
