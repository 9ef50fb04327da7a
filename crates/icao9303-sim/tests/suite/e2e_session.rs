#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! End to end: the sans-IO `ReadSession` driven by hand against the
//! virtual chip, as a callback-style NFC stack drives it: the same
//! document as the blocking loop, every APDU in its events, misuse
//! refused.

use icao9303::kdf::KeyKind;
use icao9303::lds::FileKind;
use icao9303::pace::DomainParameters;
use icao9303::reader::{
    self, Credential, Document, ReadEvent, ReadSession, ReaderErrorKind, ReaderOptions,
};
use icao9303::transport::{TransportError, TransportErrorKind};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, ChipData, PaceOffer, Personalisation, SimRng, VirtualChip};

fn data(pace: Option<PaceOffer>) -> ChipData {
    let pki = TestPki::generate(&mut SimRng::from_seed_u64(100), "VN").unwrap();
    let mut p = Personalisation::cccd("001099012345", "990315", "240315").unwrap();
    if let Some(offer) = pace {
        p = p.with_pace(offer).with_can("123456");
    }
    p.build(&mut SimRng::from_seed_u64(101), &pki).unwrap()
}

/// Every event of a session driven by hand to its end.
fn by_hand(
    chip: &mut VirtualChip,
    credential: &Credential,
    options: ReaderOptions,
) -> (Result<Document, icao9303::Error>, Vec<ReadEvent>) {
    let mut rng = SimRng::from_seed_u64(7);
    let mut session = ReadSession::new(credential.clone(), options, chip.config().link());
    let mut events = Vec::new();
    while let Some(command) = session.next_command() {
        let response = chip.process(command);
        let _ = session.handle_response(&response, &mut rng);
        while let Some(e) = session.poll_event() {
            events.push(e);
        }
    }
    assert!(session.is_finished());
    (session.finish(), events)
}

fn blocking(
    chip: &mut VirtualChip,
    credential: &Credential,
    options: ReaderOptions,
) -> Result<Document, icao9303::Error> {
    reader::read_document(
        chip,
        credential,
        options,
        &mut SimRng::from_seed_u64(7),
        &mut |_, _, _| {},
    )
}

fn cases() -> Vec<(ChipData, ChipConfig, Credential)> {
    let bac = data(None);
    let key = Credential::Mrz(bac.access_key.clone());
    let gm = data(Some(PaceOffer::generic(
        DomainParameters::BrainpoolP256r1,
        KeyKind::Aes128,
    )));
    let cam = data(Some(PaceOffer::chip_authentication_mapping(
        DomainParameters::Secp256r1,
        KeyKind::Aes128,
    )));
    let mut small = ChipConfig::SHORT;
    small.max_response_len = 120;
    vec![
        (bac.clone(), ChipConfig::SHORT, key.clone()),
        (bac, small, key.clone()),
        (gm, ChipConfig::extended(65_538), Credential::can("123456")),
        (cam, ChipConfig::SHORT, key),
    ]
}

#[test]
fn a_session_driven_by_hand_reads_what_the_blocking_loop_reads() {
    for (data, config, credential) in cases() {
        let options = ReaderOptions::default()
            .with_chip_authentication(true)
            .with_active_authentication(true);
        let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
        let (doc, events) = by_hand(&mut chip, &credential, options.clone());
        let doc = doc.unwrap();
        let mut chip2 = VirtualChip::new(data, config, SimRng::from_seed_u64(1));
        assert_eq!(doc, blocking(&mut chip2, &credential, options).unwrap());
        // One Command and one Response event per APDU, in turn, as the chip
        // counted them.
        let commands: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                ReadEvent::Command(c) => Some(c),
                _ => None,
            })
            .collect();
        let responses: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                ReadEvent::Response(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(commands.len() as u64, chip.stats().apdus);
        assert_eq!(responses.len(), commands.len());
        assert_eq!(doc.stats.total.apdus, chip.stats().apdus);
        let sent: usize = commands.iter().map(|c| c.wire.len()).sum();
        assert_eq!(sent as u64, chip.stats().bytes_to_chip);
        // Secure messaging: protected commands (CLA 0C) carry their plain
        // form, clear ones none.
        for c in &commands {
            assert_eq!(
                c.plain.is_some(),
                c.wire[0] & 0x0C == 0x0C,
                "{:02X?}",
                c.wire
            );
        }
        // The plain answers of the READ BINARYs hold each file's bytes.
        let mut plain = Vec::new();
        for r in &responses {
            if let Some(p) = &r.plain {
                plain.extend_from_slice(&p[..p.len() - 2]);
            }
        }
        for (kind, bytes) in &doc.files {
            let at = plain.windows(16).position(|w| w == &bytes[..16]);
            assert!(at.is_some(), "{kind} not in the plain responses");
        }
        // Progress ends at every file's size.
        for (kind, bytes) in &doc.files {
            let last = events.iter().rev().find_map(|e| match e {
                ReadEvent::Progress { file, done, total } if file == kind => Some((*done, *total)),
                _ => None,
            });
            assert_eq!(last, Some((bytes.len(), bytes.len())), "{kind}");
        }
    }
}

#[test]
fn misuse_is_refused_and_a_lost_link_ends_the_session() {
    let data = data(None);
    let key = Credential::Mrz(data.access_key.clone());
    let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let mut rng = SimRng::from_seed_u64(7);
    let mut session = ReadSession::new(key, ReaderOptions::default(), chip.config().link());
    let state = |e: icao9303::Error| {
        assert!(
            matches!(
                e,
                icao9303::Error::Reader(ReaderErrorKind::SessionState { .. })
            ),
            "{e:?}"
        );
    };
    // Twelve exchanges: opening done, EF.COM and EF.SOD under way.
    for _ in 0..12 {
        let rsp = chip.process(session.next_command().unwrap());
        session.handle_response(&rsp, &mut rng).unwrap();
    }
    let partial = session.partial();
    assert!(partial.file(FileKind::Com).unwrap().is_complete());
    // The card leaves: the session ends with the link's error.
    let lost = TransportError::new(TransportErrorKind::CardRemoved, "card removed");
    let e = session
        .handle_link_error(lost.clone(), &mut rng)
        .unwrap_err();
    assert_eq!(e, icao9303::Error::Transport(lost.clone()));
    assert!(session.is_finished());
    assert_eq!(session.next_command(), None);
    // Nothing more is taken, and finish gives the error, not a document.
    state(
        session
            .handle_response(&[0x90, 0x00], &mut rng)
            .unwrap_err(),
    );
    assert_eq!(session.partial().files, partial.files);
    assert_eq!(
        session.finish().unwrap_err(),
        icao9303::Error::Transport(lost)
    );
    // finish before the end: refused.
    let key = Credential::Mrz(chip.data().access_key.clone());
    let session = ReadSession::new(key, ReaderOptions::default(), chip.config().link());
    state(session.finish().unwrap_err());
}

#[test]
fn a_can_without_pace_fails_at_once() {
    let options = ReaderOptions::default().with_pace(false);
    let session = ReadSession::new(
        Credential::can("123456"),
        options,
        icao9303::transport::LinkInfo::SHORT,
    );
    assert!(session.is_finished());
    assert_eq!(
        session.finish().unwrap_err(),
        icao9303::Error::Reader(ReaderErrorKind::PaceUnavailable)
    );
}

#[test]
fn a_card_pulled_during_the_face_image_leaves_the_name_and_number_read() {
    let data = data(None);
    let key = Credential::Mrz(data.access_key.clone());
    let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
    let mut rng = SimRng::from_seed_u64(7);
    let mut session = ReadSession::new(key, ReaderOptions::default(), chip.config().link());
    // Read until DG2 is under way, then the card leaves.
    let mut in_dg2 = false;
    while !in_dg2 {
        let rsp = chip.process(session.next_command().unwrap());
        session.handle_response(&rsp, &mut rng).unwrap();
        while let Some(e) = session.poll_event() {
            in_dg2 |= matches!(e, ReadEvent::Progress { file, .. } if file == FileKind::Dg(icao9303::lds::DataGroup::Dg2));
        }
    }
    let lost = TransportError::new(TransportErrorKind::CardRemoved, "card removed");
    assert!(session.handle_link_error(lost, &mut rng).is_err());
    let partial = session.partial();
    for dg in [
        icao9303::lds::DataGroup::Dg1,
        icao9303::lds::DataGroup::Dg13,
    ] {
        let f = partial.file(FileKind::Dg(dg)).unwrap();
        assert!(f.is_complete(), "{dg}");
        assert_eq!(Some(f.data.as_slice()), data.file(FileKind::Dg(dg)));
    }
    let dg2 = partial.unfinished().unwrap();
    assert_eq!(dg2.file, FileKind::Dg(icao9303::lds::DataGroup::Dg2));
    assert!(dg2.offset() > 0 && dg2.offset() < dg2.length.unwrap());
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever bytes stand in for one answer (after `at` genuine
        /// ones, BAC or PACE), the session never panics: it ends with an
        /// error, or goes on and ends; never a document that is not the
        /// chip's.
        #[test]
        fn any_answer_is_taken_without_panic(
            at in 0usize..40,
            garbage in proptest::collection::vec(any::<u8>(), 0..300),
            pace in any::<bool>(),
        ) {
            let offer = pace.then(|| PaceOffer::generic(DomainParameters::Secp256r1, KeyKind::Aes128));
            let data = data(offer);
            let key = Credential::Mrz(data.access_key.clone());
            let mut chip = VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1));
            let mut rng = SimRng::from_seed_u64(7);
            let mut session = ReadSession::new(key, ReaderOptions::default(), chip.config().link());
            let mut n = 0;
            while let Some(command) = session.next_command() {
                let genuine = chip.process(command);
                let answer = if n == at { garbage.clone() } else { genuine };
                let _ = session.handle_response(&answer, &mut rng);
                while session.poll_event().is_some() {}
                n += 1;
                prop_assert!(n < 10_000);
            }
            if let Ok(doc) = session.finish() {
                for (kind, bytes) in &doc.files {
                    prop_assert_eq!(Some(bytes.as_slice()), data.file(*kind));
                }
            }
        }
    }
}
