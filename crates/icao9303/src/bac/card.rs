//! BAC on the chip's side: [`CardBac`] (the virtual chip of
//! `icao9303-sim` runs it).

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{
    BacErrorKind, CRYPTOGRAM_LEN, K_LEN, RESPONSE_LEN, RND_LEN, document_keys, initial_ssc,
    session_keys,
};
use crate::Error;
use crate::apdu::{CommandApdu, ResponseApdu, StatusWord};
use crate::kdf::KeyKind;
use crate::mrz::MrzKey;
use crate::sm::{self, CardSm, SessionKeys};

/// The chip's side of BAC, for the virtual chip and tests: answers GET
/// CHALLENGE with a caller-supplied `RND.IC`, checks the reader's
/// cryptogram (MAC first, then the challenge), answers with its own and
/// opens the card's secure messaging session. A challenge serves one
/// MUTUAL AUTHENTICATE only.
pub struct CardBac {
    keys: SessionKeys,
    rnd_ic: Option<[u8; RND_LEN]>,
}

impl core::fmt::Debug for CardBac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CardBac")
            .field("keys", &self.keys)
            .field("challenged", &self.rnd_ic.is_some())
            .finish()
    }
}

impl CardBac {
    /// The chip's BAC with the keys of the MRZ printed on the document.
    pub fn new(key: &MrzKey) -> CardBac {
        CardBac {
            keys: document_keys(key),
            rnd_ic: None,
        }
    }

    /// Answers GET CHALLENGE with `rnd_ic` (the chip's random bytes).
    pub fn get_challenge(&mut self, rnd_ic: &[u8; RND_LEN]) -> ResponseApdu {
        self.rnd_ic = Some(*rnd_ic);
        ResponseApdu::new(rnd_ic.to_vec(), StatusWord::SUCCESS)
    }

    /// Checks MUTUAL AUTHENTICATE and answers it with `E.IC || M.IC` built
    /// from the chip's key material `k_ic`; returns the answer and the
    /// card's session. On error, [`BacErrorKind::card_status`] says what to
    /// answer; the challenge is spent either way.
    pub fn mutual_authenticate(
        &mut self,
        command: &CommandApdu,
        k_ic: &[u8; K_LEN],
    ) -> Result<(ResponseApdu, CardSm), Error> {
        let rnd_ic = self.rnd_ic.take().ok_or(BacErrorKind::NoChallenge)?;
        let data: &[u8; RESPONSE_LEN] =
            command
                .data
                .as_slice()
                .try_into()
                .map_err(|_| BacErrorKind::CommandLength {
                    len: command.data.len(),
                })?;
        let (e_ifd, m_ifd) = data.split_at(CRYPTOGRAM_LEN);
        let expected = sm::mac(KeyKind::Tdes, self.keys.mac(), &sm::pad(e_ifd, 8))?;
        if !bool::from(expected.as_slice().ct_eq(m_ifd)) {
            return Err(BacErrorKind::BadMac.into());
        }
        // S = RND.IFD || RND.IC || K.IFD.
        let mut s = Zeroizing::new([0u8; CRYPTOGRAM_LEN]);
        s.copy_from_slice(e_ifd);
        sm::decrypt_cbc(KeyKind::Tdes, self.keys.enc(), &[0; 8], s.as_mut_slice())?;
        let (rnd_ifd, rest) = s.split_at(RND_LEN);
        let (echo, k_ifd) = rest.split_at(RND_LEN);
        if !bool::from(echo.ct_eq(&rnd_ic)) {
            return Err(BacErrorKind::WrongRndIc.into());
        }
        // R = RND.IC || RND.IFD || K.IC.
        let mut r = Zeroizing::new(Vec::with_capacity(CRYPTOGRAM_LEN));
        r.extend_from_slice(&rnd_ic);
        r.extend_from_slice(rnd_ifd);
        r.extend_from_slice(k_ic);
        sm::encrypt_cbc(KeyKind::Tdes, self.keys.enc(), &[0; 8], &mut r)?;
        let m = sm::mac(KeyKind::Tdes, self.keys.mac(), &sm::pad(&r, 8))?;
        let mut answer = Vec::with_capacity(RESPONSE_LEN);
        answer.extend_from_slice(&r);
        answer.extend_from_slice(&m);

        let mut k_ifd_arr = Zeroizing::new([0u8; K_LEN]);
        k_ifd_arr.copy_from_slice(k_ifd);
        let mut rnd_ifd_arr = [0u8; RND_LEN];
        rnd_ifd_arr.copy_from_slice(rnd_ifd);
        let keys = session_keys(&k_ifd_arr, k_ic);
        let card = CardSm::new(keys, &initial_ssc(&rnd_ic, &rnd_ifd_arr))?;
        Ok((ResponseApdu::new(answer, StatusWord::SUCCESS), card))
    }
}
