#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! A read whose link is lost resumes: the link is cut after N APDUs, for
//! every N over the whole read (and again and again every K APDUs), and a
//! new session given what was read authenticates again and reads only
//! what is missing, each file from where it stopped. The document is
//! byte for byte the uninterrupted one; per file the APDUs are the
//! uninterrupted read's, and the total is the uninterrupted one plus the
//! opening (and Chip/Active Authentication) spent again, the APDUs the
//! link carried counted by the transport.

use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303::reader::{self, Credential, Document, PartialRead, ReaderOptions};
use icao9303::transport::{LinkInfo, Transport, TransportError, TransportErrorKind};
use icao9303_sim::{ChipConfig, ChipData, PaceOffer, SimRng, VirtualChip};

/// The card, until it leaves the field after `left` more exchanges; it
/// comes back (reset, as a card re-entering the field) when `left` is
/// set again. Counts the APDUs the link carried.
struct Pulled {
    chip: VirtualChip,
    left: usize,
    carried: u64,
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
        self.carried += 1;
        self.chip.transmit(apdu)
    }
    fn link_info(&self) -> LinkInfo {
        self.chip.link_info()
    }
}

impl Pulled {
    fn back(&mut self, left: usize) {
        self.chip.reset();
        self.left = left;
    }
}

use crate::common::cccd_with_ca_aa as cccd;

/// One session over `link` going on from `partial`.
fn session(
    link: &mut Pulled,
    key: &Credential,
    partial: Option<PartialRead>,
) -> Result<Document, reader::Interrupted> {
    reader::read_resumable(
        link,
        key,
        ReaderOptions::default(),
        partial,
        &mut SimRng::from_seed_u64(2),
        &mut |_, _, _| {},
    )
}

/// Reads with the link cut after `cuts[0]` APDUs, then `cuts[1]`... (the
/// last number repeating), resuming each time: the document, the
/// sessions it took, and the APDUs the link carried.
fn read_with_cuts(data: &ChipData, config: ChipConfig, cuts: &[usize]) -> (Document, u64, u64) {
    let key = Credential::Mrz(data.access_key.clone());
    let mut link = Pulled {
        chip: VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1)),
        left: cuts[0],
        carried: 0,
    };
    let mut partial = None;
    for n in 1..200u64 {
        match session(&mut link, &key, partial.take()) {
            Ok(doc) => return (doc, n, link.carried),
            Err(i) => {
                assert!(
                    matches!(i.error, icao9303::Error::Transport(_)),
                    "{}",
                    i.error
                );
                partial = Some(*i.partial);
                let next = cuts.get(n as usize).or(cuts.last()).copied().unwrap();
                link.back(next);
            }
        }
    }
    panic!("no end after 200 sessions: {cuts:?}");
}

/// The resumed read is the uninterrupted one, file for file and APDU for
/// APDU, plus what was spent again on opening and authentication.
fn check_resumed(full: &Document, doc: &Document, sessions: u64, carried: u64, case: &str) {
    assert_eq!(doc.files, full.files, "{case}");
    assert_eq!(doc.card_access, full.card_access, "{case}");
    assert_eq!(doc.card_security, full.card_security, "{case}");
    assert_eq!(doc.refused, full.refused, "{case}");
    assert_eq!(doc.access_control, full.access_control, "{case}");
    assert_eq!(doc.chip_authentication, full.chip_authentication, "{case}");
    assert_eq!(
        doc.active_authentication, full.active_authentication,
        "{case}"
    );
    // Each file read once: the same APDUs and bytes per file as without a cut.
    assert_eq!(doc.stats.files, full.stats.files, "{case}");
    let reopen = doc.stats.open.apdus - full.stats.open.apdus;
    let reauth = doc.stats.authentication.apdus - full.stats.authentication.apdus;
    assert_eq!(
        doc.stats.total.apdus,
        full.stats.total.apdus + reopen + reauth,
        "{case}"
    );
    // Every APDU the link carried is counted, once.
    assert_eq!(doc.stats.total.apdus, carried, "{case}");
    // What is spent again: at most one opening per session after the
    // first (and a SELECT to go back into a file read in part), at most
    // one Chip and Active Authentication per session cut in it.
    assert!(
        reopen <= (sessions - 1) * (full.stats.open.apdus + 1),
        "{case}: {reopen}"
    );
    assert!(
        reauth <= (sessions - 1) * full.stats.authentication.apdus,
        "{case}: {reauth}"
    );
}

fn whole(data: &ChipData, config: ChipConfig) -> Document {
    let (doc, sessions, carried) = read_with_cuts(data, config, &[usize::MAX]);
    assert_eq!(sessions, 1);
    assert_eq!(carried, doc.stats.total.apdus);
    doc
}

#[test]
fn a_cut_anywhere_resumes_to_the_same_document() {
    // Small answers: many READ BINARYs to cut between, files resumed past
    // offset 255 (a SELECT) and below it (a short file identifier).
    let mut small = ChipConfig::SHORT;
    small.max_response_len = 120;
    for (case, data, config) in [
        ("BAC", cccd(None), small),
        (
            "PACE GM",
            cccd(Some(PaceOffer::generic(
                DomainParameters::Secp256r1,
                KeyKind::Aes128,
            ))),
            ChipConfig::SHORT,
        ),
    ] {
        let full = whole(&data, config);
        let total = full.stats.total.apdus as usize;
        assert!(total > 30, "{case}: {total}");
        for cut in 0..total {
            let (doc, sessions, carried) = read_with_cuts(&data, config, &[cut, usize::MAX]);
            assert_eq!(sessions, 2, "{case} cut {cut}");
            check_resumed(&full, &doc, sessions, carried, &format!("{case} cut {cut}"));
            if cut >= total - full.stats.authentication.apdus as usize {
                // Cut in Chip or Active Authentication: the files were all
                // read; the second session reads none and authenticates.
                assert_eq!(doc.stats.files, full.stats.files);
            }
        }
    }
}

#[test]
fn cut_again_and_again_it_still_ends_whole() {
    let mut small = ChipConfig::SHORT;
    small.max_response_len = 120;
    let cam = cccd(Some(PaceOffer::chip_authentication_mapping(
        DomainParameters::Secp256r1,
        KeyKind::Aes128,
    )));
    for (case, data, config) in [("BAC", cccd(None), small), ("PACE-CAM", cam, small)] {
        let full = whole(&data, config);
        // A link that carries only a few APDUs past the opening each
        // time, but enough for Chip and Active Authentication (which
        // start over in each session) and a SELECT back into a file.
        let least = (full.stats.open.apdus + full.stats.authentication.apdus) as usize + 1;
        for every in [least + 1, least + 4, least + 20] {
            let (doc, sessions, carried) = read_with_cuts(&data, config, &[every]);
            assert!(sessions > 2, "{case} every {every}: {sessions}");
            check_resumed(
                &full,
                &doc,
                sessions,
                carried,
                &format!("{case} every {every}"),
            );
        }
    }
}
