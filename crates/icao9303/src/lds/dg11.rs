//! DG11 (tag `6B`): additional personal details, Doc 9303 Part 10 §4.7.11.

#[allow(unused_imports)]
use crate::prelude::*;
use alloc::borrow::Cow;

use crate::Error;
use crate::lds::{outer, text};
use crate::tlv::{Tag, Tlv};

/// A parsed DG11. Every element is optional; texts are UTF-8 (bytes that
/// are not are read as Latin-1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg11<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// `5C`: the tag list.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::lds::ser::display_seq")
    )]
    pub tag_list: Vec<Tag>,
    /// `5F0E`: full name of the holder in national characters.
    pub full_name: Option<Cow<'a, str>>,
    /// `5F0F` (inside `A0`): other names.
    pub other_names: Vec<Cow<'a, str>>,
    /// `5F10`: personal number.
    pub personal_number: Option<Cow<'a, str>>,
    /// `5F2B`: full date of birth, `YYYYMMDD` as written.
    pub full_date_of_birth: Option<Cow<'a, str>>,
    /// `5F11`: place of birth.
    pub place_of_birth: Option<Cow<'a, str>>,
    /// `5F42`: permanent address.
    pub permanent_address: Option<Cow<'a, str>>,
    /// `5F12`: telephone.
    pub telephone: Option<Cow<'a, str>>,
    /// `5F13`: profession.
    pub profession: Option<Cow<'a, str>>,
    /// `5F14`: title.
    pub title: Option<Cow<'a, str>>,
    /// `5F15`: personal summary.
    pub personal_summary: Option<Cow<'a, str>>,
    /// `5F16`: proof of citizenship (an image).
    #[cfg_attr(feature = "serde", serde(serialize_with = "crate::lds::ser::opt_hex"))]
    pub proof_of_citizenship: Option<&'a [u8]>,
    /// `5F17`: other valid TD numbers.
    pub other_valid_td_numbers: Option<Cow<'a, str>>,
    /// `5F18`: custody information.
    pub custody_information: Option<Cow<'a, str>>,
    /// Elements with other tags, kept as they are.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub unknown: Vec<Tlv<'a>>,
}

/// The children of an `A0` list: an optional `02` count, then `tag` items.
pub(crate) fn list_of<'a>(a0: &Tlv<'a>, tag: Tag) -> Result<Vec<Cow<'a, str>>, Error> {
    let mut out = Vec::new();
    for item in a0.children() {
        let item = item?;
        if item.tag() == tag {
            out.push(text(item.value()));
        }
    }
    Ok(out)
}

impl<'a> Dg11<'a> {
    /// The full date of birth as a date, when `5F2B` holds a complete
    /// `YYYYMMDD` date.
    pub fn date_of_birth(&self) -> Option<crate::Date> {
        self.full_date_of_birth.as_deref().and_then(yyyymmdd)
    }

    /// Parses DG11.
    pub fn parse(raw: &'a [u8]) -> Result<Dg11<'a>, Error> {
        let top = outer(raw, Tag::new(0x6B))?;
        let mut d = Dg11 {
            raw,
            ..Dg11::default()
        };
        for item in top.children() {
            let item = item?;
            let v = item.value();
            match item.tag().raw() {
                0x5C => d.tag_list = tag_list(v),
                0x5F0E => d.full_name = Some(text(v)),
                0xA0 => d.other_names.extend(list_of(&item, Tag::new(0x5F0F))?),
                0x5F0F => d.other_names.push(text(v)),
                0x5F10 => d.personal_number = Some(text(v)),
                0x5F2B => d.full_date_of_birth = Some(text(v)),
                0x5F11 => d.place_of_birth = Some(text(v)),
                0x5F42 => d.permanent_address = Some(text(v)),
                0x5F12 => d.telephone = Some(text(v)),
                0x5F13 => d.profession = Some(text(v)),
                0x5F14 => d.title = Some(text(v)),
                0x5F15 => d.personal_summary = Some(text(v)),
                0x5F16 => d.proof_of_citizenship = Some(v),
                0x5F17 => d.other_valid_td_numbers = Some(text(v)),
                0x5F18 => d.custody_information = Some(text(v)),
                _ => d.unknown.push(item),
            }
        }
        Ok(d)
    }
}

/// A `YYYYMMDD` date (trailing white space ignored).
pub(crate) fn yyyymmdd(s: &str) -> Option<crate::Date> {
    let b = s.trim().as_bytes();
    if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |r: core::ops::Range<usize>| -> Option<u32> {
        b.get(r)?
            .iter()
            .try_fold(0u32, |a, d| Some(a * 10 + u32::from(d - b'0')))
    };
    crate::Date::new(
        u16::try_from(n(0..4)?).ok()?,
        u8::try_from(n(4..6)?).ok()?,
        u8::try_from(n(6..8)?).ok()?,
    )
}

/// The tags of a `5C` tag list (each one or two bytes).
pub(crate) fn tag_list(v: &[u8]) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = v;
    while let Some((tag, n)) = Tag::from_bytes(rest) {
        out.push(tag);
        rest = rest.get(n..).unwrap_or(&[]);
    }
    out
}
