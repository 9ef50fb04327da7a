#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The one randomness seam: every protocol step takes a
//! `rand_core::TryCryptoRng` (the bound of the `eid-*` crates), so the
//! operating system's generator fits as is, and a generator that fails
//! makes the step fail with `Error::Rng` instead of sending anything
//! derived from bytes it did not give.

use core::convert::Infallible;

use icao9303::apdu::{AID_LDS1, CommandApdu};
use icao9303::kdf::KeyKind;
use icao9303::lds::{DataGroup, Dg14, FileKind};
use icao9303::pace::{DomainParameters, PacePassword};
use icao9303::rand_core::{TryCryptoRng, TryRng};
use icao9303::transport::exchange;
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, ChipData, PaceOffer, Personalisation, SimRng, VirtualChip};

/// A generator that is down.
struct Down;

#[derive(Debug)]
struct RngDown;

impl core::fmt::Display for RngDown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("down")
    }
}

impl core::error::Error for RngDown {}

impl TryRng for Down {
    type Error = RngDown;
    fn try_next_u32(&mut self) -> Result<u32, RngDown> {
        Err(RngDown)
    }
    fn try_next_u64(&mut self) -> Result<u64, RngDown> {
        Err(RngDown)
    }
    fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), RngDown> {
        Err(RngDown)
    }
}

impl TryCryptoRng for Down {}

/// A generator that gives `left` bytes, then fails.
struct RunsDry {
    inner: SimRng,
    left: usize,
}

impl TryRng for RunsDry {
    type Error = RngDown;
    fn try_next_u32(&mut self) -> Result<u32, RngDown> {
        let mut b = [0; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, RngDown> {
        let mut b = [0; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngDown> {
        self.left = self.left.checked_sub(dst.len()).ok_or(RngDown)?;
        let _: Result<(), Infallible> = self.inner.try_fill_bytes(dst);
        Ok(())
    }
}

impl TryCryptoRng for RunsDry {}

fn chip_data(pace: Option<PaceOffer>) -> ChipData {
    let mut rng = SimRng::from_seed_u64(1);
    let pki = TestPki::generate(&mut rng, "VN").unwrap();
    let mut p = Personalisation::cccd("001099012345", "990315", "240315").unwrap();
    if let Some(offer) = pace {
        p = p.with_pace(offer);
    }
    p.build(&mut rng, &pki).unwrap()
}

#[test]
fn the_system_generator_fits_every_step() {
    let mut os = getrandom::SysRng;
    // Personalisation and the test PKI.
    let pki = TestPki::generate(&mut os, "VN").unwrap();
    let data = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .with_pace(PaceOffer::generic(
            DomainParameters::Secp256r1,
            KeyKind::Aes128,
        ))
        .build(&mut os, &pki)
        .unwrap();
    let key = data.access_key.clone();
    let dg14 = data.file(FileKind::Dg(DataGroup::Dg14)).unwrap().to_vec();
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(2));
    // PACE, then BAC after a reset, then Chip Authentication.
    let offer = PaceOffer::generic(DomainParameters::Secp256r1, KeyKind::Aes128);
    icao9303::pace::authenticate(
        &mut chip,
        offer.protocol,
        offer.parameters,
        &PacePassword::mrz(&key),
        &mut os,
    )
    .unwrap();
    chip.reset();
    exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    let mut sm = icao9303::bac::authenticate(&mut chip, &key, &mut os).unwrap();
    let plan = icao9303::ca::plan(&Dg14::parse(&dg14).unwrap()).unwrap();
    let mut next = icao9303::ca::authenticate(&mut chip, &mut sm, &plan, &mut os).unwrap();
    let com = next
        .transmit(
            &mut chip,
            &CommandApdu::read_binary_sfi(0x1E, 0, 4).unwrap(),
        )
        .unwrap();
    assert_eq!(com.data[0], 0x60);
}

#[test]
fn bac_stops_when_the_generator_fails() {
    let data = chip_data(None);
    let key = data.access_key.clone();
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(2));
    exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    chip.reset_stats();
    let e = icao9303::bac::authenticate(&mut chip, &key, &mut Down).unwrap_err();
    assert_eq!(e, icao9303::Error::Rng);
    // GET CHALLENGE only: no MUTUAL AUTHENTICATE built from missing bytes.
    assert_eq!(chip.stats().apdus, 1);
    // 8 bytes of RND.IFD, then dry before K.IFD.
    let mut dry = RunsDry {
        inner: SimRng::from_seed_u64(3),
        left: 8,
    };
    chip.reset_stats();
    let e = icao9303::bac::authenticate(&mut chip, &key, &mut dry).unwrap_err();
    assert_eq!(e, icao9303::Error::Rng);
    assert_eq!(chip.stats().apdus, 1);
}

#[test]
fn pace_and_chip_authentication_stop_when_the_generator_fails() {
    let offer = PaceOffer::generic(DomainParameters::Secp256r1, KeyKind::Aes128);
    let data = chip_data(Some(offer));
    let key = data.access_key.clone();
    let dg14 = data.file(FileKind::Dg(DataGroup::Dg14)).unwrap().to_vec();
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(2));
    let e = icao9303::pace::authenticate(
        &mut chip,
        offer.protocol,
        offer.parameters,
        &PacePassword::mrz(&key),
        &mut Down,
    )
    .unwrap_err();
    assert_eq!(e, icao9303::Error::Rng);
    // MSE:Set AT and the nonce request; no mapping key was sent.
    assert_eq!(chip.stats().apdus, 2);

    chip.reset();
    exchange(&mut chip, &CommandApdu::select_aid(&AID_LDS1)).unwrap();
    let mut sm =
        icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(3)).unwrap();
    let plan = icao9303::ca::plan(&Dg14::parse(&dg14).unwrap()).unwrap();
    chip.reset_stats();
    let e = icao9303::ca::authenticate(&mut chip, &mut sm, &plan, &mut Down).unwrap_err();
    assert_eq!(e, icao9303::Error::Rng);
    assert_eq!(chip.stats().apdus, 0);
}

#[test]
fn personalisation_stops_when_the_generator_fails() {
    assert!(matches!(
        TestPki::generate(&mut Down, "VN"),
        Err(icao9303_sim::Error::Icao(icao9303::Error::Rng))
    ));
    let pki = TestPki::generate(&mut SimRng::from_seed_u64(1), "VN").unwrap();
    let e = Personalisation::cccd("001099012345", "990315", "240315")
        .unwrap()
        .build(&mut Down, &pki)
        .unwrap_err();
    assert!(
        matches!(e, icao9303_sim::Error::Icao(icao9303::Error::Rng)),
        "{e:?}"
    );
}
