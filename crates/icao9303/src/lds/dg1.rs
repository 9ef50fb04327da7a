//! DG1 (tag `61`): the MRZ as the chip stores it (tag `5F1F`, one run of 90,
//! 72 or 88 characters).

use crate::Error;
use crate::lds::{lds_err, outer};
use crate::mrz::Mrz;
#[allow(unused_imports)]
use crate::prelude::*;
use crate::tlv::{Node, Tag};

const FILE: &str = "DG1";

/// A parsed DG1.
///
/// The MRZ is read with [`Mrz::parse_unchecked`], so a document printed
/// with a wrong check digit still parses; [`Dg1::check_digit_errors`] lists
/// every failing digit (empty for a sound MRZ).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Dg1<'a> {
    /// The file's bytes.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub raw: &'a [u8],
    /// The MRZ characters of tag `5F1F`, as stored.
    pub mrz_text: &'a str,
    /// The parsed MRZ.
    pub mrz: Mrz,
    /// Each check digit that does not hold, in line order.
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::lds::ser::display_seq")
    )]
    pub check_digit_errors: Vec<Error>,
}

impl<'a> Dg1<'a> {
    /// Parses DG1: `61 { 5F1F mrz }`.
    pub fn parse(raw: &'a [u8]) -> Result<Dg1<'a>, Error> {
        let top = outer(raw, Tag::new(0x61))?;
        let mut r = top.children();
        let mrz_tlv = r.expect(Tag::new(0x5F1F))?;
        r.finish()?;
        let mrz_text = core::str::from_utf8(mrz_tlv.value())
            .map_err(|_| lds_err(FILE, mrz_tlv.value_offset(), "MRZ characters (ASCII)"))?;
        let mrz = Mrz::parse_unchecked(mrz_text)?;
        let check_digit_errors = Mrz::check_digit_errors(mrz_text)?;
        Ok(Dg1 {
            raw,
            mrz_text,
            mrz,
            check_digit_errors,
        })
    }

    /// Writes DG1 for `mrz`: `61 { 5F1F lines }`, the lines joined with
    /// no separator, every check digit computed.
    pub fn encode(mrz: &Mrz) -> Result<Vec<u8>, Error> {
        let text: String = mrz.encode()?.split('\n').collect();
        Ok(Node::constructed(
            Tag::new(0x61),
            vec![Node::primitive(Tag::new(0x5F1F), text.into_bytes())],
        )
        .encode())
    }

    /// Whether every check digit holds.
    pub fn check_digits_ok(&self) -> bool {
        self.check_digit_errors.is_empty()
    }
}
