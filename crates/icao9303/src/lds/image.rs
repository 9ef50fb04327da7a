//! Image formats found in data groups (DG2 face, DG7 signature, DG11/DG12
//! images): recognising JPEG and JPEG 2000 and reading their dimensions
//! from the image headers.

#[allow(unused_imports)]
use crate::prelude::*;
/// The encoding of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG (ISO/IEC 10918), starts `FF D8`.
    Jpeg,
    /// JPEG 2000 in a JP2 file (starts with the `jP  ` signature box).
    Jp2,
    /// A bare JPEG 2000 codestream (starts `FF 4F FF 51`).
    J2k,
    /// Anything else.
    Unknown,
}

impl ImageFormat {
    /// Recognises the format from the first bytes.
    pub fn detect(data: &[u8]) -> ImageFormat {
        const JP2: [u8; 12] = [
            0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 0x0D, 0x0A, 0x87, 0x0A,
        ];
        if data.starts_with(&[0xFF, 0xD8]) {
            ImageFormat::Jpeg
        } else if data.starts_with(&JP2) {
            ImageFormat::Jp2
        } else if data.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
            ImageFormat::J2k
        } else {
            ImageFormat::Unknown
        }
    }

    /// The media type (`image/jpeg`, `image/jp2`, `image/j2k`,
    /// `application/octet-stream`).
    pub fn mime_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Jp2 => "image/jp2",
            ImageFormat::J2k => "image/j2k",
            ImageFormat::Unknown => "application/octet-stream",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Jp2 => "jp2",
            ImageFormat::J2k => "j2k",
            ImageFormat::Unknown => "bin",
        }
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([
        *b.get(at)?,
        *b.get(at.checked_add(1)?)?,
    ]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// Width and height read from the image's own headers: a JPEG's SOF
/// segment, a JP2's `ihdr` box, a codestream's SIZ segment. `None` when
/// they cannot be found.
pub fn dimensions(data: &[u8]) -> Option<(u32, u32)> {
    match ImageFormat::detect(data) {
        ImageFormat::Jpeg => jpeg_dimensions(data),
        ImageFormat::Jp2 => jp2_dimensions(data),
        ImageFormat::J2k => siz_dimensions(data),
        ImageFormat::Unknown => None,
    }
}

fn jpeg_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2usize;
    loop {
        if *data.get(at)? != 0xFF {
            return None;
        }
        let marker = *data.get(at.checked_add(1)?)?;
        if marker == 0xFF {
            at = at.checked_add(1)?;
            continue;
        }
        if marker == 0xD8 || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            at = at.checked_add(2)?;
            continue;
        }
        let len = usize::from(be16(data, at.checked_add(2)?)?);
        // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            let h = be16(data, at.checked_add(5)?)?;
            let w = be16(data, at.checked_add(7)?)?;
            return Some((u32::from(w), u32::from(h)));
        }
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        at = at.checked_add(2)?.checked_add(len)?;
    }
}

fn jp2_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    // Walk the top-level boxes to `jp2h`, then its boxes to `ihdr`
    // (HEIGHT, WIDTH as 4-byte integers).
    let find = |data: &[u8], start: usize, end: usize, kind: &[u8; 4]| -> Option<(usize, usize)> {
        let mut at = start;
        while at < end {
            let len = usize::try_from(be32(data, at)?).ok()?;
            let t = data.get(at.checked_add(4)?..at.checked_add(8)?)?;
            let (header, size) = match len {
                0 => (8, end.checked_sub(at)?),
                1 => {
                    let hi = be32(data, at.checked_add(8)?)?;
                    let lo = be32(data, at.checked_add(12)?)?;
                    let size = (u64::from(hi) << 32) | u64::from(lo);
                    (16, usize::try_from(size).ok()?)
                }
                n => (8, n),
            };
            if size < header {
                return None;
            }
            if t == kind {
                return Some((at.checked_add(header)?, at.checked_add(size)?));
            }
            at = at.checked_add(size)?;
        }
        None
    };
    let (s, e) = find(data, 0, data.len(), b"jp2h")?;
    let (i, _) = find(data, s, e.min(data.len()), b"ihdr")?;
    let h = be32(data, i)?;
    let w = be32(data, i.checked_add(4)?)?;
    Some((w, h))
}

fn siz_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    // FF4F FF51 Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4)
    let x = be32(data, 8)?;
    let y = be32(data, 12)?;
    let xo = be32(data, 16)?;
    let yo = be32(data, 20)?;
    Some((x.checked_sub(xo)?, y.checked_sub(yo)?))
}
