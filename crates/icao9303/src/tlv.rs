//! BER-TLV as ISO/IEC 7816-4 and ICAO Doc 9303 use it: a zero-copy reader
//! and a writer.
//!
//! The reader is strict: definite lengths only (up to four length bytes),
//! tags of up to four bytes, and every error names the offset where it
//! happened and what went wrong. [`Tlv`] borrows its bytes from the input;
//! [`Node`] is an owned tree for building files and for tests.
//!
//! ```
//! use icao9303::tlv::{Tag, Tlv};
//!
//! // EF.COM of the BSI 2008 specimen.
//! let com = [
//!     0x60, 0x16, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'7', 0x5F, 0x36, 0x06,
//!     b'0', b'4', b'0', b'0', b'0', b'0', 0x5C, 0x04, 0x61, 0x75, 0x63, 0x6E,
//! ];
//! let tlv = Tlv::parse(&com)?;
//! assert_eq!(tlv.tag(), Tag::new(0x60));
//! let tags: Vec<Tag> = tlv.children().map(|c| c.map(|c| c.tag())).collect::<Result<_, _>>()?;
//! assert_eq!(tags, [Tag::new(0x5F01), Tag::new(0x5F36), Tag::new(0x5C)]);
//! # Ok::<(), icao9303::Error>(())
//! ```

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use crate::Error;

/// How deep [`Node::parse`] descends into constructed values before it
/// gives up ([`TlvErrorKind::TooDeep`]).
pub const MAX_DEPTH: usize = 32;

/// What went wrong while reading or checking a TLV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TlvErrorKind {
    /// The input ended inside a tag.
    TruncatedTag,
    /// The input ended inside a length field.
    TruncatedLength,
    /// The length says the value runs past the end of the input (or of the
    /// enclosing constructed value).
    LengthOverflow {
        /// The length the TLV declares.
        length: usize,
        /// The bytes actually available after the length field.
        available: usize,
    },
    /// A long-form length with more than four length bytes (or the reserved
    /// first byte `FF`).
    LengthTooLong {
        /// The number of length bytes announced.
        length_bytes: u8,
    },
    /// The indefinite length `80`, which Doc 9303 files never use.
    IndefiniteLength,
    /// A tag of more than four bytes.
    TagTooLong,
    /// Bytes after the TLV where the data must end.
    TrailingBytes {
        /// How many bytes are left over.
        count: usize,
    },
    /// A different tag than the structure requires.
    UnexpectedTag {
        /// The tag required.
        expected: Tag,
        /// The tag found.
        found: Tag,
    },
    /// A primitive TLV where a constructed one is required.
    NotConstructed {
        /// The tag found.
        tag: Tag,
    },
    /// Constructed values nested more than [`MAX_DEPTH`] deep.
    TooDeep,
}

impl fmt::Display for TlvErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvErrorKind::TruncatedTag => f.write_str("input ends inside a tag"),
            TlvErrorKind::TruncatedLength => f.write_str("input ends inside a length"),
            TlvErrorKind::LengthOverflow { length, available } => {
                write!(f, "length {length} but only {available} bytes follow")
            }
            TlvErrorKind::LengthTooLong { length_bytes } => {
                write!(f, "length of {length_bytes} bytes, at most 4 supported")
            }
            TlvErrorKind::IndefiniteLength => f.write_str("indefinite length"),
            TlvErrorKind::TagTooLong => f.write_str("tag longer than 4 bytes"),
            TlvErrorKind::TrailingBytes { count } => write!(f, "{count} trailing bytes"),
            TlvErrorKind::UnexpectedTag { expected, found } => {
                write!(f, "expected tag {expected}, found {found}")
            }
            TlvErrorKind::NotConstructed { tag } => write!(f, "tag {tag} is not constructed"),
            TlvErrorKind::TooDeep => write!(f, "nested more than {MAX_DEPTH} levels"),
        }
    }
}

fn err(offset: usize, kind: TlvErrorKind) -> Error {
    Error::Tlv { offset, kind }
}

/// The class of a tag (bits 8-7 of its first byte).
///
/// Exhaustive: X.690 §8.1.2.2 has exactly four classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum TagClass {
    /// `00`: universal (ASN.1 types).
    Universal,
    /// `01`: application (`61` DG1, `5F1F` MRZ...).
    Application,
    /// `10`: context-specific (`80`, `A0`...).
    ContextSpecific,
    /// `11`: private.
    Private,
}

/// A BER tag, held as its encoded bytes read as a big-endian number:
/// `0x61` for DG1, `0x5F1F` for the MRZ, `0x7F61` for a biometric group.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tag(u32);

impl Tag {
    /// The tag whose encoding is the big-endian bytes of `raw`
    /// (`Tag::new(0x5F1F)`). Leading zero bytes are not part of it.
    /// [`Tag::is_valid`] tells whether that is a well-formed encoding.
    pub const fn new(raw: u32) -> Tag {
        Tag(raw)
    }

    /// The encoding read as a big-endian number.
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// The tag encoded at the start of `bytes`, with the number of bytes it
    /// takes; `None` when the bytes end inside the tag or it exceeds four bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<(Tag, usize)> {
        read_tag(bytes, 0).ok()
    }

    /// The encoded bytes (one to four).
    pub fn to_bytes(self) -> Vec<u8> {
        let bytes = self.0.to_be_bytes();
        let skip = bytes.iter().take(3).take_while(|b| **b == 0).count();
        bytes.get(skip..).map(<[u8]>::to_vec).unwrap_or_default()
    }

    /// The number of bytes of the encoding.
    pub fn encoded_len(self) -> usize {
        match self.0 {
            0..=0xFF => 1,
            0x100..=0xFFFF => 2,
            0x1_0000..=0xFF_FFFF => 3,
            _ => 4,
        }
    }

    /// The first byte of the encoding.
    fn first_byte(self) -> u8 {
        self.to_bytes().first().copied().unwrap_or(0)
    }

    /// The tag's class.
    pub fn class(self) -> TagClass {
        match self.first_byte() >> 6 {
            0 => TagClass::Universal,
            1 => TagClass::Application,
            2 => TagClass::ContextSpecific,
            _ => TagClass::Private,
        }
    }

    /// Whether the value holds further TLVs (bit 6 of the first byte).
    pub fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// The tag number within its class (`0x5F1F` is application 31,
    /// `0x7F61` application 97).
    pub fn number(self) -> u32 {
        let bytes = self.to_bytes();
        match bytes.split_first() {
            Some((first, [])) => u32::from(first & 0x1F),
            Some((_, rest)) => rest
                .iter()
                .fold(0u32, |n, b| (n << 7) | u32::from(b & 0x7F)),
            None => 0,
        }
    }

    /// Whether the bytes are a well-formed tag: a single byte with number
    /// below 31, or `xx11111` followed by subsequent bytes with bit 8 set on
    /// all but the last.
    pub fn is_valid(self) -> bool {
        let bytes = self.to_bytes();
        matches!(read_tag(&bytes, 0), Ok((tag, len)) if tag == self && len == bytes.len())
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

impl fmt::Display for Tag {
    /// Upper-case hex of the encoded bytes, e.g. `5F1F`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.to_bytes() {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

/// Reads a tag at the start of `input`; `base` is the absolute offset of
/// `input[0]`, for errors.
fn read_tag(input: &[u8], base: usize) -> Result<(Tag, usize), Error> {
    let first = *input
        .first()
        .ok_or_else(|| err(base, TlvErrorKind::TruncatedTag))?;
    let mut raw = u32::from(first);
    if first & 0x1F != 0x1F {
        return Ok((Tag(raw), 1));
    }
    let mut len = 1usize;
    loop {
        if len >= 4 {
            return Err(err(base, TlvErrorKind::TagTooLong));
        }
        let b = *input
            .get(len)
            .ok_or_else(|| err(base, TlvErrorKind::TruncatedTag))?;
        raw = (raw << 8) | u32::from(b);
        len += 1;
        if b & 0x80 == 0 {
            return Ok((Tag(raw), len));
        }
    }
}

/// Reads a length at the start of `input`; `base` is its absolute offset.
/// Returns the length and the size of the length field.
fn read_length(input: &[u8], base: usize) -> Result<(usize, usize), Error> {
    let first = *input
        .first()
        .ok_or_else(|| err(base, TlvErrorKind::TruncatedLength))?;
    match first {
        0x00..=0x7F => Ok((usize::from(first), 1)),
        0x80 => Err(err(base, TlvErrorKind::IndefiniteLength)),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = input
                .get(1..=n)
                .ok_or_else(|| err(base, TlvErrorKind::TruncatedLength))?;
            let len = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            let len = usize::try_from(len).map_err(|_| {
                err(
                    base,
                    TlvErrorKind::LengthOverflow {
                        length: usize::MAX,
                        available: 0,
                    },
                )
            })?;
            Ok((len, n.saturating_add(1)))
        }
        _ => Err(err(
            base,
            TlvErrorKind::LengthTooLong {
                length_bytes: first & 0x7F,
            },
        )),
    }
}

/// Writes the encoding of `tag` to `out`.
pub fn write_tag(out: &mut Vec<u8>, tag: Tag) {
    out.extend_from_slice(&tag.to_bytes());
}

/// Writes a definite length in its shortest form (`7F`, `81 80`, `82 01 00`...).
pub fn write_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        // fits: len < 128
        out.push(len.to_le_bytes().first().copied().unwrap_or(0));
        return;
    }
    let bytes = (len as u64).to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let significant = bytes.get(skip..).unwrap_or(&[]);
    // at most 8 bytes: 0x80 | n fits a byte
    out.push(
        0x80 | significant
            .len()
            .to_le_bytes()
            .first()
            .copied()
            .unwrap_or(0),
    );
    out.extend_from_slice(significant);
}

/// Writes one TLV: `tag`, the length of `value`, `value`.
pub fn write(out: &mut Vec<u8>, tag: Tag, value: &[u8]) {
    write_tag(out, tag);
    write_length(out, value.len());
    out.extend_from_slice(value);
}

/// One TLV as a new vector.
pub fn encode(tag: Tag, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len().saturating_add(8));
    write(&mut out, tag, value);
    out
}

/// One TLV borrowed from its input.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tlv<'a> {
    tag: Tag,
    offset: usize,
    header_len: usize,
    raw: &'a [u8],
}

impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tlv")
            .field("tag", &self.tag)
            .field("offset", &self.offset)
            .field("len", &self.value().len())
            .finish()
    }
}

impl<'a> Tlv<'a> {
    /// Reads exactly one TLV: `input` must end where it ends
    /// ([`TlvErrorKind::TrailingBytes`] otherwise).
    pub fn parse(input: &'a [u8]) -> Result<Tlv<'a>, Error> {
        Tlv::parse_at(input, 0)
    }

    /// As [`Tlv::parse`], with `base` the absolute offset of `input[0]`
    /// (offsets in errors and in the result count from there).
    pub fn parse_at(input: &'a [u8], base: usize) -> Result<Tlv<'a>, Error> {
        let (tlv, rest) = Tlv::parse_prefix_at(input, base)?;
        if !rest.is_empty() {
            let at = base.saturating_add(tlv.raw.len());
            return Err(err(at, TlvErrorKind::TrailingBytes { count: rest.len() }));
        }
        Ok(tlv)
    }

    /// Reads one TLV at the start of `input`; returns it and the bytes after it.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Tlv<'a>, &'a [u8]), Error> {
        Tlv::parse_prefix_at(input, 0)
    }

    /// As [`Tlv::parse_prefix`], with `base` the absolute offset of `input[0]`.
    pub fn parse_prefix_at(input: &'a [u8], base: usize) -> Result<(Tlv<'a>, &'a [u8]), Error> {
        let (tag, tag_len) = read_tag(input, base)?;
        let rest = input.get(tag_len..).unwrap_or(&[]);
        let len_at = base.saturating_add(tag_len);
        let (len, len_len) = read_length(rest, len_at)?;
        let header_len = tag_len.saturating_add(len_len);
        let available = input.len().saturating_sub(header_len);
        if len > available {
            return Err(err(
                len_at,
                TlvErrorKind::LengthOverflow {
                    length: len,
                    available,
                },
            ));
        }
        let end = header_len.saturating_add(len);
        let raw = input.get(..end).unwrap_or(&[]);
        let after = input.get(end..).unwrap_or(&[]);
        Ok((
            Tlv {
                tag,
                offset: base,
                header_len,
                raw,
            },
            after,
        ))
    }

    /// The tag.
    pub fn tag(&self) -> Tag {
        self.tag
    }

    /// Absolute offset of the tag's first byte.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Absolute offset of the value's first byte.
    pub fn value_offset(&self) -> usize {
        self.offset.saturating_add(self.header_len)
    }

    /// The value bytes.
    pub fn value(&self) -> &'a [u8] {
        self.raw.get(self.header_len..).unwrap_or(&[])
    }

    /// The whole TLV: tag, length and value, as it was in the input.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// An error unless the tag is `expected`.
    pub fn expect_tag(&self, expected: Tag) -> Result<(), Error> {
        if self.tag == expected {
            Ok(())
        } else {
            Err(err(
                self.offset,
                TlvErrorKind::UnexpectedTag {
                    expected,
                    found: self.tag,
                },
            ))
        }
    }

    /// The TLVs inside the value, in order. Each item is an error at the
    /// first malformed child, after which the iterator ends. A primitive
    /// value is read the same way (the caller decides what a tag means).
    pub fn children(&self) -> Reader<'a> {
        Reader::new_at(self.value(), self.value_offset())
    }

    /// The children of a constructed TLV collected, or the first error;
    /// [`TlvErrorKind::NotConstructed`] for a primitive tag.
    pub fn children_vec(&self) -> Result<Vec<Tlv<'a>>, Error> {
        if !self.tag.is_constructed() {
            return Err(err(
                self.offset,
                TlvErrorKind::NotConstructed { tag: self.tag },
            ));
        }
        self.children().collect()
    }

    /// The first child with tag `tag`, or `None` (errors in the children
    /// are returned).
    pub fn find(&self, tag: Tag) -> Result<Option<Tlv<'a>>, Error> {
        for child in self.children() {
            let child = child?;
            if child.tag == tag {
                return Ok(Some(child));
            }
        }
        Ok(None)
    }
}

/// Reads consecutive TLVs from a byte string (an iterator of results).
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    base: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// A reader over `input`, offsets counted from 0.
    pub fn new(input: &'a [u8]) -> Reader<'a> {
        Reader::new_at(input, 0)
    }

    /// A reader over `input` whose first byte is at absolute offset `base`.
    pub fn new_at(input: &'a [u8], base: usize) -> Reader<'a> {
        Reader {
            input,
            base,
            failed: false,
        }
    }

    /// The bytes not yet read.
    pub fn remaining(&self) -> &'a [u8] {
        self.input
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.input.is_empty()
    }

    /// The next TLV, which must have tag `tag`.
    pub fn expect(&mut self, tag: Tag) -> Result<Tlv<'a>, Error> {
        let offset = self.base;
        match self.next() {
            Some(Ok(tlv)) => {
                tlv.expect_tag(tag)?;
                Ok(tlv)
            }
            Some(Err(e)) => Err(e),
            None => Err(err(offset, TlvErrorKind::TruncatedTag)),
        }
    }

    /// An error when bytes are left.
    pub fn finish(&self) -> Result<(), Error> {
        if self.input.is_empty() {
            Ok(())
        } else {
            Err(err(
                self.base,
                TlvErrorKind::TrailingBytes {
                    count: self.input.len(),
                },
            ))
        }
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Tlv<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.input.is_empty() {
            return None;
        }
        match Tlv::parse_prefix_at(self.input, self.base) {
            Ok((tlv, rest)) => {
                self.base = self.base.saturating_add(tlv.raw.len());
                self.input = rest;
                Some(Ok(tlv))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// An owned TLV tree: what the writer builds and [`Node::parse`] returns.
///
/// Exhaustive: a TLV is primitive or constructed (X.690 §8.1.2.5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Node {
    /// A primitive TLV (or any TLV whose value is kept as bytes).
    Primitive {
        /// The tag.
        tag: Tag,
        /// The value.
        value: Vec<u8>,
    },
    /// A constructed TLV and its children.
    Constructed {
        /// The tag (its constructed bit is set).
        tag: Tag,
        /// The TLVs of the value, in order.
        children: Vec<Node>,
    },
}

impl Node {
    /// A primitive node.
    pub fn primitive(tag: Tag, value: impl Into<Vec<u8>>) -> Node {
        Node::Primitive {
            tag,
            value: value.into(),
        }
    }

    /// A constructed node.
    pub fn constructed(tag: Tag, children: Vec<Node>) -> Node {
        Node::Constructed { tag, children }
    }

    /// The tag.
    pub fn tag(&self) -> Tag {
        match self {
            Node::Primitive { tag, .. } | Node::Constructed { tag, .. } => *tag,
        }
    }

    /// Appends the encoding to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Node::Primitive { tag, value } => write(out, *tag, value),
            Node::Constructed { tag, children } => {
                let mut value = Vec::new();
                for child in children {
                    child.write(&mut value);
                }
                write(out, *tag, &value);
            }
        }
    }

    /// The encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    /// Reads exactly one TLV into a tree: constructed tags are descended
    /// into (at most [`MAX_DEPTH`] levels), primitive values copied.
    pub fn parse(input: &[u8]) -> Result<Node, Error> {
        let tlv = Tlv::parse(input)?;
        Node::from_tlv(&tlv, 0)
    }

    /// The tree of a borrowed TLV.
    pub fn from_tlv(tlv: &Tlv<'_>, depth: usize) -> Result<Node, Error> {
        if !tlv.tag().is_constructed() {
            return Ok(Node::Primitive {
                tag: tlv.tag(),
                value: tlv.value().to_vec(),
            });
        }
        if depth >= MAX_DEPTH {
            return Err(err(tlv.offset(), TlvErrorKind::TooDeep));
        }
        let children = tlv
            .children()
            .map(|c| c.and_then(|c| Node::from_tlv(&c, depth.saturating_add(1))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Node::Constructed {
            tag: tlv.tag(),
            children,
        })
    }
}

#[cfg(test)]
mod tests;
