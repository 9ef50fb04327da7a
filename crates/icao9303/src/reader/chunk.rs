//! Chunk arithmetic: how many file bytes one READ BINARY answer carries
//! over a link, under secure messaging or in the clear, and a file's
//! length from its first bytes.

use crate::transport::LinkInfo;

/// The length of a protected response carrying `d` plain bytes (DO'87
/// with its padding indicator, DO'99, DO'8E and the status word) for a
/// cipher of block length `block`.
pub fn protected_response_len(d: usize, block: usize) -> usize {
    let mut total: usize = 4 + 10 + 2;
    if d > 0 && block > 0 {
        let c = (d / block).saturating_add(1).saturating_mul(block);
        total = total
            .saturating_add(2)
            .saturating_add(ber_len_len(c.saturating_add(1)))
            .saturating_add(c);
    }
    total
}

/// Tag and length bytes of a DO'53 of `n` bytes.
pub(crate) fn ber_header(n: usize) -> u32 {
    u32::try_from(ber_len_len(n)).unwrap_or(4).saturating_add(1)
}

fn ber_len_len(n: usize) -> usize {
    match n {
        0..=127 => 1,
        128..=255 => 2,
        256..=65_535 => 3,
        _ => 4,
    }
}

/// The most file bytes one READ BINARY answer carries over `link` under
/// secure messaging with blocks of `block` bytes (3DES 8, AES 16); `None`
/// for no secure messaging.
pub fn max_chunk(link: &LinkInfo, block: Option<usize>) -> usize {
    let (max_ne, max_rsp) = if link.extended_length {
        (65_536usize, link.max_response_len.min(65_538))
    } else {
        (256usize, link.max_response_len.min(258))
    };
    match block {
        None => max_ne.min(max_rsp.saturating_sub(2)),
        Some(b) => {
            // The protected response data is itself limited to Ne.
            let limit = max_rsp.min(max_ne.saturating_add(2));
            let mut hi = max_ne;
            // protected_response_len is monotonic: binary search.
            let mut lo = 0usize;
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if protected_response_len(mid, b) <= limit {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            lo
        }
    }
}

/// Reads the total length of a TLV file from its first bytes, when they
/// hold the whole header.
pub(crate) fn tlv_total_len(first: &[u8]) -> Option<usize> {
    let (_, tag_len) = crate::tlv::Tag::from_bytes(first)?;
    let len_bytes = first.get(tag_len..)?;
    let (&b0, more) = len_bytes.split_first()?;
    let (len, n) = if b0 < 0x80 {
        (usize::from(b0), 1)
    } else {
        let k = usize::from(b0 & 0x7F);
        if k == 0 || k > 4 {
            return None;
        }
        let bytes = more.get(..k)?;
        (
            bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b)),
            k.checked_add(1)?,
        )
    };
    tag_len.checked_add(n)?.checked_add(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes() {
        // Short APDUs: 231 bytes with 3DES, 223 with AES (the 223 of
        // popular readers), 256 in the clear.
        assert_eq!(max_chunk(&LinkInfo::SHORT, Some(8)), 231);
        assert_eq!(max_chunk(&LinkInfo::SHORT, Some(16)), 223);
        assert_eq!(max_chunk(&LinkInfo::SHORT, None), 256);
        // 87 81 E9 01 <232> 99 02 SW 8E 08 <MAC> SW: 4 + 232 + 4 + 10 + 2.
        assert_eq!(protected_response_len(231, 8), 252);
        // 232 bytes pad to 240: 4 + 240 + 16 = 260 > 258.
        assert_eq!(protected_response_len(232, 8), 260);
        assert_eq!(protected_response_len(223, 16), 244);
        assert_eq!(protected_response_len(224, 16), 260);
        assert_eq!(protected_response_len(0, 8), 16);
        // Extended: 65536 bytes of response data at most.
        let ext = LinkInfo::extended(65_544, 65_538);
        let c = max_chunk(&ext, Some(8));
        assert!(protected_response_len(c, 8) <= 65_538);
        assert!(protected_response_len(c + 1, 8) > 65_538);
    }

    #[test]
    fn tlv_lengths() {
        assert_eq!(tlv_total_len(&[0x60, 0x16, 0x5F]), Some(0x18));
        assert_eq!(
            tlv_total_len(&[0x75, 0x82, 0x3E, 0x80, 0x7F]),
            Some(4 + 0x3E80)
        );
        assert_eq!(tlv_total_len(&[0x75, 0x82, 0x3E]), None);
        assert_eq!(tlv_total_len(&[0x5F, 0x1F, 0x81, 0x90]), Some(4 + 0x90));
        assert_eq!(tlv_total_len(&[]), None);
    }
}
