//! DG12 (tag `6C`): additional document details, Doc 9303 Part 10 §4.7.12.

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::borrow::Cow;

use crate::Error;
use crate::lds::dg11::{list_of, tag_list};
use crate::lds::{outer, text};
use crate::tlv::{Tag, Tlv};

/// A parsed DG12. Every element is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg12<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// `5C`: the tag list.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::lds::ser::display_seq")
    )]
    pub tag_list: Vec<Tag>,
    /// `5F19`: issuing authority.
    pub issuing_authority: Option<Cow<'a, str>>,
    /// `5F26`: date of issue, `YYYYMMDD` as written.
    pub date_of_issue: Option<Cow<'a, str>>,
    /// `5F1A` (inside `A0`): names of other persons.
    pub other_persons: Vec<Cow<'a, str>>,
    /// `5F1B`: endorsements and observations.
    pub endorsements: Option<Cow<'a, str>>,
    /// `5F1C`: tax or exit requirements.
    pub tax_exit_requirements: Option<Cow<'a, str>>,
    /// `5F1D`: image of the front of the document.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub image_of_front: Option<&'a [u8]>,
    /// `5F1E`: image of the rear of the document.
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub image_of_rear: Option<&'a [u8]>,
    /// `5F55`: date and time of personalization, `YYYYMMDDhhmmss`.
    pub personalization_time: Option<Cow<'a, str>>,
    /// `5F56`: serial number of the personalization system.
    pub personalization_system_serial: Option<Cow<'a, str>>,
    /// Elements with other tags, kept as they are.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub unknown: Vec<Tlv<'a>>,
}

impl<'a> Dg12<'a> {
    /// The date of issue as a date, when `5F26` holds a `YYYYMMDD` date.
    pub fn issue_date(&self) -> Option<crate::Date> {
        self.date_of_issue
            .as_deref()
            .and_then(crate::lds::dg11::yyyymmdd)
    }

    /// Parses DG12.
    pub fn parse(raw: &'a [u8]) -> Result<Dg12<'a>, Error> {
        let top = outer(raw, Tag::new(0x6C))?;
        let mut d = Dg12 {
            raw,
            ..Dg12::default()
        };
        for item in top.children() {
            let item = item?;
            let v = item.value();
            match item.tag().raw() {
                0x5C => d.tag_list = tag_list(v),
                0x5F19 => d.issuing_authority = Some(text(v)),
                0x5F26 => d.date_of_issue = Some(text(v)),
                0xA0 => d.other_persons.extend(list_of(&item, Tag::new(0x5F1A))?),
                0x5F1A => d.other_persons.push(text(v)),
                0x5F1B => d.endorsements = Some(text(v)),
                0x5F1C => d.tax_exit_requirements = Some(text(v)),
                0x5F1D => d.image_of_front = Some(v),
                0x5F1E => d.image_of_rear = Some(v),
                0x5F55 => d.personalization_time = Some(text(v)),
                0x5F56 => d.personalization_system_serial = Some(text(v)),
                _ => d.unknown.push(item),
            }
        }
        Ok(d)
    }
}
