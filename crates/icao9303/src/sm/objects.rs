//! The data objects of a protected APDU (DO'85/87, DO'97, DO'99, DO'8E):
//! reading them and checking their order.

use crate::Error;
use crate::tlv::{Tag, Tlv};

use super::*;

/// One data object of a protected APDU.
pub(super) struct Object<'a> {
    pub(super) tag: Tag,
    /// Where it starts in the APDU's data field.
    pub(super) offset: usize,
    pub(super) value: &'a [u8],
}

/// Reads the data object at `pos` of `data`; returns it and where the next
/// one starts. Secure messaging objects have one-byte tags and lengths of
/// at most three bytes: those are read here directly (this runs for every
/// APDU of a session); anything else goes through [`Tlv::parse_prefix_at`]
/// so that malformed input gets the general reader's errors.
#[inline]
pub(super) fn read_object(data: &[u8], pos: usize) -> Result<(Object<'_>, usize), Error> {
    let rest = data.get(pos..).unwrap_or_default();
    let fast = match rest {
        [t, l, tail @ ..] if t & 0x1F != 0x1F && *l < 0x80 => Some((*t, 2, usize::from(*l), tail)),
        [t, 0x81, l, tail @ ..] if t & 0x1F != 0x1F => Some((*t, 3, usize::from(*l), tail)),
        [t, 0x82, h, l, tail @ ..] if t & 0x1F != 0x1F => {
            Some((*t, 4, usize::from(u16::from_be_bytes([*h, *l])), tail))
        }
        _ => None,
    };
    if let Some((tag, header, len, tail)) = fast
        && let Some(value) = tail.get(..len)
    {
        let next = pos.saturating_add(header).saturating_add(len);
        let tag = Tag::new(u32::from(tag));
        return Ok((
            Object {
                tag,
                offset: pos,
                value,
            },
            next,
        ));
    }
    read_object_general(data, pos)
}

/// [`read_object`] for what its fast path does not take.
#[cold]
#[inline(never)]
pub(super) fn read_object_general(data: &[u8], pos: usize) -> Result<(Object<'_>, usize), Error> {
    let rest = data.get(pos..).unwrap_or_default();
    let (tlv, after) = Tlv::parse_prefix_at(rest, pos).map_err(|e| match e {
        Error::Tlv { offset, .. } => Error::SecureMessaging(SmErrorKind::Malformed { offset }),
        other => other,
    })?;
    let next = data.len().saturating_sub(after.len());
    Ok((
        Object {
            tag: tlv.tag(),
            offset: pos,
            value: tlv.value(),
        },
        next,
    ))
}

/// The data objects of a protected APDU, split and checked for order.
pub(super) struct Objects<'a> {
    pub(super) cryptogram: Option<Object<'a>>,
    /// DO'97 in a command, DO'99 in a response.
    pub(super) le_or_status: Option<Object<'a>>,
    /// Everything the MAC covers (the bytes before DO'8E).
    pub(super) covered: &'a [u8],
    pub(super) cc: &'a [u8],
}

/// Splits `data` into `[85|87] [97|99] 8E`, strictly in that order, with
/// DO'8E last. `middle` is DO'97 for commands and DO'99 for responses.
pub(super) fn split_objects(data: &[u8], middle: Tag) -> Result<Objects<'_>, Error> {
    let mut objs = Objects {
        cryptogram: None,
        le_or_status: None,
        covered: &[],
        cc: &[],
    };
    let mut rank = 0u8;
    let mut pos = 0;
    while pos < data.len() {
        let (obj, next) = read_object(data, pos)?;
        let unexpected = || {
            Error::SecureMessaging(SmErrorKind::UnexpectedObject {
                tag: obj.tag,
                offset: obj.offset,
            })
        };
        let this_rank = match obj.tag {
            t if t == TAG_85 || t == TAG_87 => 1,
            t if t == middle => 2,
            t if t == TAG_8E => 3,
            _ => return Err(unexpected()),
        };
        if this_rank <= rank {
            return Err(unexpected());
        }
        rank = this_rank;
        match this_rank {
            1 => objs.cryptogram = Some(obj),
            2 => objs.le_or_status = Some(obj),
            _ => {
                if obj.value.len() != MAC_LEN {
                    return Err(SmErrorKind::ObjectLength { tag: TAG_8E }.into());
                }
                objs.covered = data.get(..obj.offset).unwrap_or_default();
                objs.cc = obj.value;
                if next < data.len() {
                    // Nothing may follow DO'8E.
                    let (after, _) = read_object(data, next)?;
                    return Err(SmErrorKind::UnexpectedObject {
                        tag: after.tag,
                        offset: after.offset,
                    }
                    .into());
                }
                return Ok(objs);
            }
        }
        pos = next;
    }
    Err(SmErrorKind::MissingMac.into())
}
