//! EF.CardAccess: what it offers (the PACE variant to run) and, after
//! PACE with Chip Authentication Mapping, whether EF.CardSecurity repeats
//! it (Doc 9303 Part 11 §9.2).

use super::error::{AccessMismatch, MissingSecurityInfo};
use crate::Error;
use crate::apdu::StatusWord;
use crate::lds::{CardAccess, SecurityInfo};
use crate::pace::{self, DomainParameters, PacePassword, PaceProtocol};

/// Whether a status word answers "no such file here / not for you" to the
/// EF.CardAccess probe.
pub(crate) fn no_card_access(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::INS_NOT_SUPPORTED
            | StatusWord::SECURITY_STATUS_NOT_SATISFIED
            | StatusWord::FILE_NOT_FOUND
            | StatusWord::INCORRECT_P1_P2
            | StatusWord::WRONG_P1_P2
            | StatusWord::FUNCTION_NOT_SUPPORTED
            | StatusWord::COMMAND_NOT_ALLOWED
            | StatusWord::CLA_NOT_SUPPORTED
            | StatusWord::WRONG_LENGTH
    )
}

/// The first PACE variant of EF.CardAccess this crate implements, and the
/// index of its PACEInfo in the file.
pub(crate) fn pace_offer(card_access: &[u8]) -> Option<(PaceProtocol, DomainParameters, usize)> {
    let ca = CardAccess::parse(card_access).ok()?;
    ca.security_infos
        .infos
        .iter()
        .enumerate()
        .find_map(|(index, info)| match info {
            SecurityInfo::Pace {
                protocol,
                parameter_id: Some(id),
                ..
            } => {
                let p = PaceProtocol::from_oid(protocol.as_bytes()).ok()?;
                let d = DomainParameters::from_id(u8::try_from(*id).ok()?).ok()?;
                // Only what the reader side implements.
                pace::Pace::new(p, d, &PacePassword::can("0")).ok()?;
                Some((p, d, index))
            }
            _ => None,
        })
}

/// Doc 9303 Part 11 §9.2: EF.CardSecurity holds the SecurityInfos of
/// EF.CardAccess. Checks that the encoding of each SecurityInfo of
/// `card_access` is among `signed` (the encodings of EF.CardSecurity's
/// SecurityInfos; in any order), the PACEInfo at index `used` (the one
/// PACE ran with) named first when it is not. The number of SecurityInfos
/// checked, or what is missing.
pub(crate) fn check_card_access(
    card_access: &[u8],
    used: usize,
    signed: &[&[u8]],
) -> Result<usize, AccessMismatch> {
    let unreadable = |e: Error| AccessMismatch::CardAccess(Box::new(e));
    let access = CardAccess::parse(card_access).map_err(unreadable)?;
    let encodings = access.security_info_encodings().map_err(unreadable)?;
    let mut missing: Vec<MissingSecurityInfo> = encodings
        .iter()
        .zip(&access.security_infos.infos)
        .enumerate()
        .filter(|(_, (encoding, _))| !signed.contains(encoding))
        .map(|(index, (_, info))| MissingSecurityInfo {
            number: index.saturating_add(1),
            protocol: info.protocol(),
            pace: match info {
                SecurityInfo::Pace { parameter_id, .. } => Some(*parameter_id),
                _ => None,
            },
            used: index == used && matches!(info, SecurityInfo::Pace { .. }),
        })
        .collect();
    // The PACEInfo used first (a stable sort keeps file order otherwise).
    missing.sort_by_key(|m| !m.used);
    if missing.is_empty() {
        Ok(encodings.len())
    } else {
        Err(AccessMismatch::Missing {
            missing,
            total: encodings.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PACEInfo `{ id-PACE.<mapping>.<cipher>, 2, parameter }`.
    fn pace_info(mapping: u8, cipher: u8, parameter: u8) -> Vec<u8> {
        let mut v = vec![
            0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04,
        ];
        v.extend_from_slice(&[mapping, cipher, 0x02, 0x01, 0x02, 0x02, 0x01, parameter]);
        v
    }

    /// ChipAuthenticationInfo `{ id-CA-ECDH-AES-CBC-CMAC-128, 1 }`.
    const CA_INFO: [u8; 17] = [
        0x30, 0x0F, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02, 0x02,
        0x01, 0x01,
    ];

    fn set(infos: &[&[u8]]) -> Vec<u8> {
        crate::tlv::encode(crate::tlv::Tag::new(0x31), &infos.concat())
    }

    #[test]
    fn card_access_checked_against_card_security() {
        let ca_info = CA_INFO.to_vec();
        let cam = pace_info(6, 2, 12);
        let gm = pace_info(2, 2, 13);
        let access = set(&[&cam, &gm]);
        // The PACEInfo used is found and the offer reports its index.
        assert_eq!(
            pace_offer(&access).map(|(_, d, i)| (d, i)),
            Some((DomainParameters::Secp256r1, 0))
        );
        // In any order, among other SecurityInfos: both found.
        assert_eq!(check_card_access(&access, 0, &[&ca_info, &gm, &cam]), Ok(2));
        // EF.CardAccess with only part of EF.CardSecurity's PACEInfos.
        assert_eq!(check_card_access(&set(&[&cam]), 0, &[&gm, &cam]), Ok(1));

        // An extra PACEInfo not in EF.CardSecurity.
        let e = check_card_access(&access, 0, &[&cam, &ca_info])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "PACEInfo (#2: 0.4.0.127.0.7.2.2.4.2.2, parameter 13) not among EF.CardSecurity's \
             signed SecurityInfos (1 of EF.CardAccess's 2): EF.CardAccess was altered"
        );
        // The PACEInfo used, one byte off (the parameter id): named as such.
        let e = check_card_access(&access, 0, &[&pace_info(6, 2, 13), &gm])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "the PACEInfo used for PACE (#1: 0.4.0.127.0.7.2.2.4.6.2, parameter 12) not among"
            ),
            "{e}"
        );
        // The cipher arc changed (AES-256 signed, AES-128 in EF.CardAccess).
        let e = check_card_access(&access, 0, &[&pace_info(6, 4, 12), &gm])
            .unwrap_err()
            .to_string();
        assert!(e.contains("used for PACE (#1"), "{e}");
        // Both missing, the one used (here the second) first.
        let e = check_card_access(&access, 1, &[&ca_info])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "the PACEInfo used for PACE (#2: 0.4.0.127.0.7.2.2.4.2.2, parameter 13), \
                 PACEInfo (#1: 0.4.0.127.0.7.2.2.4.6.2, parameter 12) not among"
            ),
            "{e}"
        );
        assert!(e.contains("(2 of EF.CardAccess's 2)"), "{e}");
        // Another kind of SecurityInfo in EF.CardAccess is checked too.
        let with_ca = set(&[&cam, &ca_info]);
        assert_eq!(check_card_access(&with_ca, 0, &[&cam, &ca_info]), Ok(2));
        let e = check_card_access(&with_ca, 0, &[&cam])
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("SecurityInfo #2 (0.4.0.127.0.7.2.2.3.2.2) not among"),
            "{e}"
        );
        // Nothing signed: all missing. Garbage in EF.CardAccess: refused.
        assert!(check_card_access(&access, 0, &[]).is_err());
        let e = check_card_access(&[0x31, 0x03, 0x02, 0x01], 0, &[&cam])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("EF.CardAccess: "), "{e}");
    }
}
