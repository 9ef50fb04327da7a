//! A card lost mid-session (what a PC/SC reader reports as
//! `SCARD_W_REMOVED_CARD`): whatever the exchange it happens at, the read
//! fails; never part of a document reported as the whole of it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use icao9303::Error;
use icao9303::reader::{self, Credential, ReaderOptions};
use icao9303::transport::{LinkInfo, Transport, TransportError, TransportErrorKind};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, PaceOffer, Personalisation, SimRng, VirtualChip};

/// The chip, until the card is pulled after `left` exchanges; then every
/// exchange fails as a removed card does.
struct Pulled {
    chip: VirtualChip,
    left: usize,
}

impl Transport for Pulled {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.left == 0 {
            return Err(TransportError::new(
                TransportErrorKind::CardRemoved,
                "transmit: Card was removed",
            ));
        }
        self.left -= 1;
        self.chip.transmit(apdu)
    }
    fn link_info(&self) -> LinkInfo {
        self.chip.link_info()
    }
}

/// Chip and Active Authentication on (the default).
fn options() -> ReaderOptions {
    ReaderOptions::default()
}

#[test]
fn a_lost_card_never_gives_a_partial_document() {
    let mut rng = SimRng::from_seed_u64(11);
    let pki = TestPki::generate(&mut rng, "VN").unwrap();
    let data = Personalisation::cccd("001099012345", "990315", "301231")
        .unwrap()
        .with_pace(PaceOffer::generic(
            icao9303::pace::DomainParameters::Secp256r1,
            icao9303::kdf::KeyKind::Aes128,
        ))
        .build(&mut rng, &pki)
        .unwrap();
    let key = Credential::Mrz(data.access_key.clone());
    // Small responses: many READ BINARYs to cut between.
    let mut config = ChipConfig::SHORT;
    config.max_response_len = 120;
    let mut whole = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    let full = reader::read_document(
        &mut whole,
        &key,
        options(),
        &mut SimRng::from_seed_u64(2),
        &mut |_, _, _| {},
    )
    .unwrap();
    let total = usize::try_from(full.stats.total.apdus).unwrap();
    assert!(total > 100, "{total}");
    for cut in 0..total {
        let mut link = Pulled {
            chip: VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1)),
            left: cut,
        };
        match reader::read_document(
            &mut link,
            &key,
            options(),
            &mut SimRng::from_seed_u64(2),
            &mut |_, _, _| {},
        ) {
            // Wherever the card leaves, Chip and Active Authentication
            // included (a lost link is no failed clone check), the read
            // fails: nothing of it is reported as a document.
            Err(Error::Transport(e)) => {
                assert_eq!(e.kind, TransportErrorKind::CardRemoved, "cut {cut}");
            }
            Err(other) => panic!("cut {cut}: {other}"),
            Ok(_) => panic!("cut {cut}: a document from a read the card left"),
        }
    }
}
