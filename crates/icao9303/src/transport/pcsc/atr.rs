//! What an ATR and EF.ATR/INFO say of the card (ISO/IEC 7816-3 and -4).

/// The historical bytes of an ATR (ISO/IEC 7816-3 §8.2), or `None` when
/// the ATR is malformed (too short for what its format bytes announce, a
/// wrong TCK).
pub fn atr_historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let (&ts, rest) = atr.split_first()?;
    if ts != 0x3B && ts != 0x3F {
        return None;
    }
    let (&t0, mut rest) = rest.split_first()?;
    let k = usize::from(t0 & 0x0F);
    let mut y = t0 >> 4;
    let mut tck = false;
    loop {
        // TA, TB, TC in turn, then TD (which carries the next Y).
        let skip = usize::from(y & 0x07).count_ones() as usize;
        rest = rest.get(skip..)?;
        if y & 0x08 == 0 {
            break;
        }
        let (&td, more) = rest.split_first()?;
        rest = more;
        if td & 0x0F != 0 {
            tck = true;
        }
        y = td >> 4;
    }
    let historical = rest.get(..k)?;
    let after = rest.get(k..)?;
    if tck {
        // TCK makes the XOR of T0 to TCK zero.
        if after.len() != 1 {
            return None;
        }
        let x = atr.iter().skip(1).fold(0u8, |a, b| a ^ b);
        if x != 0 {
            return None;
        }
    } else if !after.is_empty() {
        return None;
    }
    Some(historical)
}

/// The three card capability bytes (compact-TLV `73`, ISO/IEC 7816-4
/// §12.1.1.9) in historical bytes of category `00` or `80`, when present.
pub fn card_capabilities(historical: &[u8]) -> Option<[u8; 3]> {
    let (&category, rest) = historical.split_first()?;
    let mut objects = match category {
        0x80 => rest,
        // Category 00: the last three bytes are a status indicator.
        0x00 => rest.get(..rest.len().checked_sub(3)?)?,
        _ => return None,
    };
    while let Some((&tl, more)) = objects.split_first() {
        let len = usize::from(tl & 0x0F);
        let value = more.get(..len)?;
        if tl >> 4 == 0x7 {
            return match value {
                [a, b, c, ..] => Some([*a, *b, *c]),
                _ => None,
            };
        }
        objects = more.get(len..)?;
    }
    None
}

/// Whether the ATR says the card takes extended Lc and Le fields (card
/// capabilities, third byte, bit `40`); `None` when it does not say.
pub fn atr_extended_length(atr: &[u8]) -> Option<bool> {
    let caps = card_capabilities(atr_historical_bytes(atr)?)?;
    Some(caps[2] & 0x40 != 0)
}

/// The extended length information of EF.ATR/INFO (DO `7F66` holding two
/// INTEGERs: the longest command and the longest response the card takes,
/// ISO/IEC 7816-4 §12.7.1), when the file holds it.
pub fn atr_info_extended_length(ef_atr_info: &[u8]) -> Option<(usize, usize)> {
    use crate::tlv::{Tag, Tlv};
    let mut rest = ef_atr_info;
    while !rest.is_empty() {
        let (tlv, more) = Tlv::parse_prefix(rest).ok()?;
        rest = more;
        if tlv.tag() == Tag::new(0x7F66) {
            let mut inner = tlv.value();
            let mut ints = [0usize; 2];
            for slot in &mut ints {
                let (t, more) = Tlv::parse_prefix(inner).ok()?;
                let v = t.value();
                if t.tag() != Tag::new(0x02) || v.is_empty() || v.len() > 4 {
                    return None;
                }
                *slot = v.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
                inner = more;
            }
            let [cmd, rsp] = ints;
            return Some((cmd, rsp));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        ::hex::decode(s.replace(' ', "")).unwrap()
    }

    // ATRs from pcsc-tools' smartcard_list.txt (Ludovic Rousseau's list of
    // ATRs seen on real cards), with the card it names.
    const DUTCH_PASSPORT: &str = "3B 85 80 01 80 73 84 21 40 12";
    const GERMAN_ID: &str = "3B 87 80 01 80 31 B8 73 84 01 E0 19";
    const JCOP4: &str = "3B 85 80 01 80 73 C8 21 10 0E";
    const AMAZON_VISA: &str = "3B 87 80 01 73 C8 40 00 00 90 00 6D";

    #[test]
    fn historical_bytes_of_real_atrs() {
        assert_eq!(
            atr_historical_bytes(&hex(DUTCH_PASSPORT)),
            Some(&hex("80 73 84 21 40")[..])
        );
        assert_eq!(
            atr_historical_bytes(&hex(GERMAN_ID)),
            Some(&hex("80 31 B8 73 84 01 E0")[..])
        );
        // The extended-length bit (third capability byte, 40).
        assert_eq!(atr_extended_length(&hex(DUTCH_PASSPORT)), Some(true));
        assert_eq!(atr_extended_length(&hex(GERMAN_ID)), Some(true));
        assert_eq!(atr_extended_length(&hex(JCOP4)), Some(false));
        // Historical bytes of category 73: no compact-TLV here.
        assert_eq!(atr_extended_length(&hex(AMAZON_VISA)), None);
    }

    #[test]
    fn malformed_atrs_are_refused() {
        let good = hex(DUTCH_PASSPORT);
        // Wrong TCK (one bit flipped).
        let mut bad = good.clone();
        *bad.last_mut().unwrap() ^= 0x01;
        assert_eq!(atr_historical_bytes(&bad), None);
        // Truncated anywhere.
        for n in 0..good.len() {
            assert_eq!(atr_historical_bytes(&good[..n]), None, "{n}");
        }
        // A byte too many.
        let mut long = good.clone();
        long.push(0);
        assert_eq!(atr_historical_bytes(&long), None);
        // Not an ATR.
        assert_eq!(atr_historical_bytes(&hex("12 00")), None);
        // Capabilities cut short.
        assert_eq!(card_capabilities(&hex("80 73 84 21")), None);
    }

    #[test]
    fn atr_info_extended_length_info() {
        // 7F66 08 02 02 0F FF 02 02 08 00 (ISO/IEC 7816-4 §12.7.1 layout).
        let info = hex("47 03 94 00 40 7F 66 08 02 02 0F FF 02 02 08 00");
        assert_eq!(atr_info_extended_length(&info), Some((0x0FFF, 0x0800)));
        assert_eq!(atr_info_extended_length(&hex("47 03 94 00 40")), None);
        // Truncated or wrong inner tag.
        assert_eq!(
            atr_info_extended_length(&hex("7F 66 08 02 02 0F FF 02 02 08")),
            None
        );
        assert_eq!(
            atr_info_extended_length(&hex("7F 66 08 04 02 0F FF 02 02 08 00")),
            None
        );
    }
}
