#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The reader's counts against what the wire carried: a counting
//! transport below the reader sees every APDU, those the reader sent and
//! those a transport sends on its own (a read of EF.ATR/INFO when it
//! connects, as PC/SC's does; T=0's GET RESPONSE), and `stats.total`
//! must say the same, APDU for APDU and byte for byte.

use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303::reader::{self, Credential, Document, ReaderOptions};
use icao9303::transport::{self, LinkInfo, Transport, TransportError};
use icao9303_sim::{ChipConfig, ChipData, Oversize, PaceOffer, SimRng, VirtualChip};

/// Counts every APDU that crosses it, and its bytes each way.
struct Wire<T> {
    inner: T,
    apdus: u64,
    sent: u64,
    received: u64,
}

impl<T: Transport> Wire<T> {
    fn new(inner: T) -> Wire<T> {
        Wire {
            inner,
            apdus: 0,
            sent: 0,
            received: 0,
        }
    }
}

impl<T: Transport> Transport for Wire<T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let rsp = self.inner.transmit(apdu)?;
        self.apdus += 1;
        self.sent += apdu.len() as u64;
        self.received += rsp.len() as u64;
        Ok(rsp)
    }
    fn link_info(&self) -> LinkInfo {
        self.inner.link_info()
    }
}

/// A T=0 card: every answer with data comes as `61xx`, then GET
/// RESPONSE gives it (in parts of at most 256 bytes).
struct CardT0 {
    chip: VirtualChip,
    /// The answer not yet fetched (data, then the status word).
    held: Vec<u8>,
}

impl CardT0 {
    /// `61xx` for what is held, or the status word once only it is left.
    fn announce(&mut self) -> Vec<u8> {
        let data = self.held.len() - 2;
        if data == 0 {
            return std::mem::take(&mut self.held);
        }
        vec![0x61, data.min(256) as u8]
    }
}

impl Transport for CardT0 {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        if apdu.get(1) == Some(&0xC0) && self.held.len() > 2 {
            let le = match apdu[4] {
                0 => 256,
                n => usize::from(n),
            };
            let n = le.min(self.held.len() - 2);
            let mut part: Vec<u8> = self.held.drain(..n).collect();
            part.extend_from_slice(&self.announce());
            return Ok(part);
        }
        self.held = self.chip.process(apdu);
        Ok(self.announce())
    }
    fn link_info(&self) -> LinkInfo {
        self.chip.link_info()
    }
}

/// The reader's side of a T=0 link, as PC/SC's transport does it: reads
/// EF.ATR/INFO when it connects, gathers `61xx` answers with GET
/// RESPONSE, and reports both as its own exchanges.
struct T0Link<T> {
    card: T,
    extra: Vec<(usize, usize)>,
}

impl<T: Transport> T0Link<T> {
    fn connect(card: T) -> T0Link<T> {
        let mut link = T0Link {
            card,
            extra: Vec::new(),
        };
        let read_atr_info = [0x00, 0xB0, 0x81, 0x00, 0x00];
        let rsp = link.transmit(&read_atr_info).unwrap();
        link.extra.push((read_atr_info.len(), rsp.len()));
        link
    }
}

impl<T: Transport> Transport for T0Link<T> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut rounds = 0;
        let card = &mut self.card;
        let rsp = transport::gather_response(
            |c| {
                rounds += 1;
                card.transmit(c)
            },
            apdu,
        )?;
        for _ in 1..rounds {
            self.extra.push((5, 2));
        }
        Ok(rsp)
    }
    fn link_info(&self) -> LinkInfo {
        self.card.link_info()
    }
    fn take_extra_exchanges(&mut self) -> Vec<(usize, usize)> {
        std::mem::take(&mut self.extra)
    }
}

use crate::common::cccd_with_ca_aa as cccd;

fn read<T: Transport>(link: &mut T, data: &ChipData) -> Document {
    reader::read_document(
        link,
        &Credential::Mrz(data.access_key.clone()),
        ReaderOptions::default(),
        &mut SimRng::from_seed_u64(7),
        &mut |_, _, _| {},
    )
    .unwrap()
}

fn assert_counts_match<T>(doc: &Document, wire: &Wire<T>, case: &str) {
    let total = doc.stats.total;
    assert_eq!(total.apdus, wire.apdus, "{case}: APDUs");
    assert_eq!(total.bytes_sent, wire.sent, "{case}: bytes sent");
    assert_eq!(
        total.bytes_received, wire.received,
        "{case}: bytes received"
    );
    // The parts add up to the total, and the exchange list is the wire's.
    assert_eq!(doc.stats.sum(), total, "{case}");
    assert_eq!(doc.stats.exchanges.len() as u64, wire.apdus, "{case}");
    let sent: u64 = doc.stats.exchanges.iter().map(|e| u64::from(e.0)).sum();
    assert_eq!(sent, wire.sent, "{case}");
}

#[test]
fn the_counts_are_the_wires_over_the_matrix() {
    let bac = cccd(None);
    let gm = cccd(Some(PaceOffer::generic(
        DomainParameters::BrainpoolP256r1,
        KeyKind::Aes128,
    )));
    let im = cccd(Some(PaceOffer::integrated(
        DomainParameters::Secp256r1,
        KeyKind::Tdes,
    )));
    let cam = cccd(Some(PaceOffer::chip_authentication_mapping(
        DomainParameters::Secp256r1,
        KeyKind::Aes128,
    )));
    let mut small = ChipConfig::SHORT;
    small.max_response_len = 120;
    let mut no_sfi = ChipConfig::SHORT;
    no_sfi.sfi = false;
    let mut stepping = ChipConfig::extended(1_024);
    stepping.advertised = Some(LinkInfo::extended(65_544, 65_538));
    let mut truncating = stepping;
    truncating.oversize = Oversize::Truncate;
    let cases = [
        ("BAC short", &bac, ChipConfig::SHORT),
        ("BAC small answers", &bac, small),
        ("BAC no SFI", &bac, no_sfi),
        ("BAC 6700 step-down", &bac, stepping),
        ("BAC truncating", &bac, truncating),
        ("PACE GM extended", &gm, ChipConfig::extended(65_538)),
        ("PACE IM 3DES", &im, ChipConfig::SHORT),
        ("PACE-CAM", &cam, ChipConfig::SHORT),
    ];
    for (case, data, config) in cases {
        let mut wire = Wire::new(VirtualChip::new(
            (*data).clone(),
            config,
            SimRng::from_seed_u64(1),
        ));
        let doc = read(&mut wire, data);
        assert!(doc.chip_authentication.as_ref().unwrap().passed, "{case}");
        assert_counts_match(&doc, &wire, case);
        // The chip counted the same.
        assert_eq!(wire.inner.stats().apdus, wire.apdus, "{case}");
    }
}

#[test]
fn the_transports_own_apdus_are_counted() {
    // A T=0 link: EF.ATR/INFO read on connection (the first unprotected
    // READ BINARY, which the counts used to miss: 21 APDUs on the wire of
    // vsmartcard's ePass, 20 in stats.total) and a GET RESPONSE for every
    // answer with data.
    for (case, data) in [
        ("BAC", cccd(None)),
        (
            "PACE GM",
            cccd(Some(PaceOffer::generic(
                DomainParameters::Secp256r1,
                KeyKind::Aes128,
            ))),
        ),
    ] {
        let chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
        let mut link = T0Link::connect(Wire::new(CardT0 {
            chip,
            held: Vec::new(),
        }));
        let doc = read(&mut link, &data);
        let wire = &link.card;
        assert_counts_match(&doc, wire, case);
        // More on the wire than the reader's own commands: EF.ATR/INFO
        // and the GET RESPONSEs.
        let own = wire.inner.chip.stats().apdus;
        assert!(wire.apdus > own + 10, "{case}: {} vs {own}", wire.apdus);
        // EF.ATR/INFO counts with the opening.
        let direct = {
            let mut w = Wire::new(VirtualChip::new(
                data.clone(),
                ChipConfig::SHORT,
                SimRng::from_seed_u64(1),
            ));
            read(&mut w, &data)
        };
        let answers_with_data = direct.stats.exchanges.iter().filter(|e| e.1 > 2).count() as u64;
        assert_eq!(
            doc.stats.total.apdus,
            direct.stats.total.apdus + 1 + answers_with_data,
            "{case}"
        );
    }
}
