//! DG14 (tag `6E`): the SecurityInfos of Chip Authentication, PACE and
//! Active Authentication's signature algorithm (Doc 9303 Part 10 §4.7.14),
//! a SET OF SecurityInfo read by [`super::security_infos`].

use crate::Error;
use crate::lds::outer;
use crate::lds::security_infos::SecurityInfos;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::Tag;

/// A parsed DG14: `6E { SET OF SecurityInfo }`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg14<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The SecurityInfos.
    pub security_infos: SecurityInfos<'a>,
}

impl<'a> Dg14<'a> {
    /// Writes DG14 around the encoded SecurityInfo SEQUENCEs:
    /// `6E { 31 { info... } }`.
    pub fn encode(infos: &[&[u8]]) -> Vec<u8> {
        let set = crate::tlv::encode(Tag::new(0x31), &infos.concat());
        crate::tlv::encode(Tag::new(0x6E), &set)
    }

    /// Parses DG14.
    pub fn parse(raw: &'a [u8]) -> Result<Dg14<'a>, Error> {
        let top = outer(raw, Tag::new(0x6E))?;
        let mut r = top.children();
        let set = r.expect(Tag::new(0x31))?;
        r.finish()?;
        Ok(Dg14 {
            raw,
            security_infos: SecurityInfos::from_tlv(&set, "DG14")?,
        })
    }
}
