//! Criterion benches of the chip-reading path, over the in-process virtual
//! chip of `icao9303-sim`:
//!
//! - a BAC session (reader and chip);
//! - PACE Generic Mapping on P-256 and brainpoolP256r1, the reader's side
//!   only (the chip's answers are recorded once and replayed);
//! - secure messaging unwrap for 3DES and AES against the raw cipher and
//!   MAC on the same bytes (both keyed beforehand);
//! - a full CCCD read (EF.COM, EF.SOD, DG1, DG2 of about 16 KB, DG13, DG14,
//!   DG15) on an extended-length chip, and with the fixed 160- and 223-byte
//!   chunks of popular readers.
//!
//! Before the benches it prints the link model's times
//! ([`icao9303::link_model`]) for those reads at 106, 424 and 848 kbit/s.
//!
//! `cargo bench --bench chip -- --warm-up-time 1 --measurement-time 3`

// A bench is test code: a panic here is a failed run, not a crash on untrusted input.
#![allow(clippy::indexing_slicing)]
// A bench sets up fixed, valid inputs: a failure there is a bug in the bench.
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, InnerIvInit, KeyInit};
use cmac::digest::FixedOutputReset;
use cmac::{Cmac, Mac};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use des::{Des, TdesEde2};
use icao9303::apdu::{ResponseApdu, StatusWord};
use icao9303::kdf::KeyKind;
use icao9303::link_model::LinkModel;
use icao9303::mrz::MrzKey;
use icao9303::pace::{self, DomainParameters, PacePassword};
use icao9303::reader::{self, Credential, Document, ReaderOptions, max_chunk};
use icao9303::sm::{self, CardSm, SecureMessaging, SessionKeys};
use icao9303::transport::{Transport, TransportError};
use icao9303_sim::pki::TestPki;
use icao9303_sim::{ChipConfig, ChipData, PaceOffer, Personalisation, SimRng, VirtualChip};
use retail_mac::RetailMac;

fn cccd(pace: Option<PaceOffer>) -> (ChipData, MrzKey) {
    let mut rng = SimRng::from_seed_u64(11);
    let pki = TestPki::generate(&mut rng, "VN").expect("pki");
    let mut p = Personalisation::cccd("001099012345", "990315", "240315").expect("profile");
    if let Some(o) = pace {
        p = p.with_pace(o);
    }
    let data = p.build(&mut rng, &pki).expect("build");
    let key = data.access_key.clone();
    (data, key)
}

fn read(data: &ChipData, key: &MrzKey, config: ChipConfig, chunk: Option<usize>) -> Document {
    let mut chip = VirtualChip::new(data.clone(), config, SimRng::from_seed_u64(1));
    // The read of the files, as these figures always measured it: Chip
    // and Active Authentication (on by default) opted out of.
    let options = ReaderOptions::default()
        .with_fixed_chunk(chunk)
        .with_chip_authentication(false)
        .with_active_authentication(false);
    reader::read_document(
        &mut chip,
        &Credential::Mrz(key.clone()),
        options,
        &mut SimRng::from_seed_u64(2),
        &mut |_, _, _| {},
    )
    .expect("read")
}

/// Prints the APDU counts and the modelled times of the CCCD read.
fn print_link_model() {
    let (data, key) = cccd(None);
    let config = ChipConfig::extended(65_538);
    let best = read(&data, &key, config, None);
    let chunk = max_chunk(&config.link(), Some(8));
    let minimum: u64 = best.stats.open.apdus
        + data
            .files
            .values()
            .map(|f| f.len().div_ceil(chunk) as u64)
            .sum::<u64>();
    println!(
        "CCCD read on an extended-length chip: {} APDUs (minimum for the chip: {minimum}), \
         chunk {} bytes, {} bytes sent, {} received",
        best.stats.total.apdus,
        best.stats.chunk,
        best.stats.total.bytes_sent,
        best.stats.total.bytes_received
    );
    let reads = [
        ("largest chunk", best),
        ("fixed 223", read(&data, &key, config, Some(223))),
        ("fixed 160", read(&data, &key, config, Some(160))),
        (
            "short chip (231)",
            read(&data, &key, ChipConfig::SHORT, None),
        ),
    ];
    for turnaround in [5_000u32, 2_000] {
        println!(
            "link model: ISO 14443-4 Type A, 256-byte frames, {} ms per APDU",
            turnaround / 1000
        );
        println!(
            "  {:<18} {:>6} {:>9} {:>9} {:>9}   vs fixed 160 at 424",
            "strategy", "APDUs", "106 kb/s", "424 kb/s", "848 kb/s"
        );
        let t160 = LinkModel::iso14443(424_000, turnaround).time_us(&reads[2].1.stats.exchanges);
        for (name, doc) in &reads {
            let t =
                |rate| LinkModel::iso14443(rate, turnaround).time_us(&doc.stats.exchanges) / 1000.0;
            println!(
                "  {:<18} {:>6} {:>7.0}ms {:>7.0}ms {:>7.0}ms   {:.2}x",
                name,
                doc.stats.total.apdus,
                t(106_000),
                t(424_000),
                t(848_000),
                t(424_000) * 1000.0 / t160
            );
        }
    }
}

fn bac_session(c: &mut Criterion) {
    print_link_model();
    let (data, key) = cccd(None);
    c.bench_function("chip/bac_session", |b| {
        b.iter_batched(
            || VirtualChip::new(data.clone(), ChipConfig::SHORT, SimRng::from_seed_u64(1)),
            |mut chip| {
                let sm =
                    icao9303::bac::authenticate(&mut chip, &key, &mut SimRng::from_seed_u64(2))
                        .expect("bac");
                black_box(sm)
            },
            BatchSize::SmallInput,
        )
    });
}

/// Replays recorded answers: the reader's side alone.
struct Replay {
    answers: Vec<Vec<u8>>,
    next: usize,
}

impl Transport for Replay {
    fn transmit(&mut self, _apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let a = self
            .answers
            .get(self.next)
            .cloned()
            .unwrap_or_else(|| vec![0x6F, 0x00]);
        self.next += 1;
        Ok(a)
    }
}

/// Records the chip's answers to a whole PACE run.
struct Recorder<'a> {
    chip: &'a mut VirtualChip,
    answers: Vec<Vec<u8>>,
}

impl Transport for Recorder<'_> {
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, TransportError> {
        let a = self.chip.transmit(apdu)?;
        self.answers.push(a.clone());
        Ok(a)
    }
}

fn pace_reader(c: &mut Criterion) {
    for parameters in [
        DomainParameters::Secp256r1,
        DomainParameters::BrainpoolP256r1,
    ] {
        let offer = PaceOffer::generic(parameters, KeyKind::Aes128);
        let (data, key) = cccd(Some(offer));
        let password = PacePassword::mrz(&key);
        let mut chip = VirtualChip::new(data, ChipConfig::SHORT, SimRng::from_seed_u64(1));
        let mut rec = Recorder {
            chip: &mut chip,
            answers: Vec::new(),
        };
        pace::authenticate(
            &mut rec,
            offer.protocol,
            parameters,
            &password,
            &mut SimRng::from_seed_u64(3),
        )
        .expect("pace");
        let answers = rec.answers;
        let name = format!("chip/pace_gm_reader/{parameters:?}");
        c.bench_function(&name, |b| {
            b.iter_batched(
                || {
                    (
                        Replay {
                            answers: answers.clone(),
                            next: 0,
                        },
                        SimRng::from_seed_u64(3),
                    )
                },
                |(mut replay, mut rng)| {
                    let out = pace::authenticate(
                        &mut replay,
                        offer.protocol,
                        parameters,
                        &password,
                        &mut rng,
                    )
                    .expect("replayed pace");
                    black_box(out)
                },
                BatchSize::SmallInput,
            )
        });
    }
}

/// The raw primitives, keyed once like a session's: one CBC decryption
/// (buffer to buffer, no allocation) and one MAC over the same bytes the
/// secure messaging unwrap decrypts and MACs.
trait RawPrimitives {
    fn decrypt(&self, iv: &[u8], input: &[u8], out: &mut [u8]);
    fn mac(&mut self, data: &[u8]) -> [u8; 8];
}

struct Raw<C, M> {
    cipher: C,
    mac: M,
}

impl<C, M> RawPrimitives for Raw<C, M>
where
    C: BlockCipherDecrypt,
    M: Mac + FixedOutputReset,
{
    fn decrypt(&self, iv: &[u8], input: &[u8], out: &mut [u8]) {
        cbc::Decryptor::<&C>::inner_iv_slice_init(&self.cipher, iv)
            .unwrap()
            .decrypt_padded_b2b::<NoPadding>(input, out)
            .unwrap();
    }

    fn mac(&mut self, data: &[u8]) -> [u8; 8] {
        Mac::update(&mut self.mac, data);
        let full = self.mac.finalize_reset().into_bytes();
        full[..8].try_into().unwrap()
    }
}

fn raw_primitives(kind: KeyKind, enc: &[u8], mac: &[u8]) -> Box<dyn RawPrimitives> {
    match kind {
        KeyKind::Tdes => Box::new(Raw {
            cipher: TdesEde2::new_from_slice(enc).unwrap(),
            mac: <RetailMac<Des> as KeyInit>::new_from_slice(mac).unwrap(),
        }),
        KeyKind::Aes128 => Box::new(Raw {
            cipher: Aes128::new_from_slice(enc).unwrap(),
            mac: <Cmac<Aes128> as KeyInit>::new_from_slice(mac).unwrap(),
        }),
        KeyKind::Aes192 => Box::new(Raw {
            cipher: Aes192::new_from_slice(enc).unwrap(),
            mac: <Cmac<Aes192> as KeyInit>::new_from_slice(mac).unwrap(),
        }),
        KeyKind::Aes256 => Box::new(Raw {
            cipher: Aes256::new_from_slice(enc).unwrap(),
            mac: <Cmac<Aes256> as KeyInit>::new_from_slice(mac).unwrap(),
        }),
        other => panic!("no raw baseline for {other:?}"),
    }
}

/// The raw side's inputs for one protected response.
struct RawInput {
    mac_input: Vec<u8>,
    cryptogram: Vec<u8>,
    iv: Vec<u8>,
}

/// Secure messaging unwrap of protected responses in a session keyed
/// beforehand (as it is for every APDU after the first), against the raw
/// primitives on the same bytes: the MAC over SSC || DO'87 || DO'99 (padded)
/// and the CBC decryption of the cryptogram. A run of consecutive
/// responses (the counter moving as in a real session) is unwrapped by one
/// session; a fresh session for the next run is made outside the timing.
/// The unwrap also parses the data objects, derives the AES IV (one more
/// block), checks the padding and allocates the plain data (`unwrap`) or
/// appends it to a kept buffer (`unwrap_into`, what the reader does); the
/// raw side does none of that (its IVs are computed beforehand).
fn sm_unwrap(c: &mut Criterion) {
    for (kind, len) in [
        (KeyKind::Tdes, 231usize),
        (KeyKind::Tdes, 16_384),
        (KeyKind::Aes128, 223),
        (KeyKind::Aes128, 16_384),
        (KeyKind::Aes256, 223),
    ] {
        let block = sm::block_len(kind);
        let enc: Vec<u8> = (0..kind.key_len() as u8).collect();
        let mac: Vec<u8> = (0..kind.key_len() as u8).map(|b| b ^ 0x5A).collect();
        let ssc = vec![0u8; block];
        let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
        let run = if len > 1024 { 16 } else { 64 };
        let mut card = CardSm::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc).unwrap();
        let mut raw = raw_primitives(kind, &enc, &mac);
        let mut responses = Vec::new();
        let mut inputs = Vec::new();
        let c_len = sm::pad(&payload, block).len();
        let mut out = vec![0u8; c_len];
        for n in 1..=run {
            let protected = card
                .wrap_response(&ResponseApdu::new(payload.clone(), StatusWord::SUCCESS))
                .unwrap();
            // The same bytes for the raw primitives, cut out of the
            // protected response: DO'87 = 87 L 01 || cryptogram, then
            // DO'99 (4 bytes), DO'8E (10 bytes) and the status word.
            let dos_len = protected.len() - 2 - 10;
            let cryptogram = protected[dos_len - 4 - c_len..dos_len - 4].to_vec();
            let mut counter = vec![0u8; block];
            counter[block - 2..].copy_from_slice(&(n as u16).to_be_bytes());
            let mut mac_input = counter.clone();
            mac_input.extend_from_slice(&protected[..dos_len]);
            let mac_input = sm::pad(&mac_input, block);
            // The IV: zero for 3DES, E(KSenc, SSC) for AES (one block of
            // CBC with a zero IV).
            let mut iv = vec![0u8; block];
            if kind != KeyKind::Tdes {
                iv.copy_from_slice(&counter);
                sm::encrypt_cbc(kind, &enc, &vec![0u8; block], &mut iv).unwrap();
            }
            // The raw side computes what the response carries.
            assert_eq!(raw.mac(&mac_input), protected[dos_len + 2..dos_len + 10]);
            raw.decrypt(&iv, &cryptogram, &mut out);
            assert_eq!(sm::unpad(&out, block).unwrap(), payload);
            responses.push(protected);
            inputs.push(RawInput {
                mac_input,
                cryptogram,
                iv,
            });
        }
        // ... and so does the session.
        let mut sm =
            SecureMessaging::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc).unwrap();
        for r in &responses {
            assert_eq!(sm.unwrap(r).unwrap().data, payload);
        }
        let mut sm =
            SecureMessaging::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc).unwrap();
        for r in &responses {
            let mut plain = Vec::new();
            assert_eq!(sm.unwrap_into(r, &mut plain).unwrap(), StatusWord::SUCCESS);
            assert_eq!(plain, payload);
        }

        let mut g = c.benchmark_group(format!("chip/sm_unwrap/{kind:?}/{len}"));
        g.throughput(Throughput::Bytes(len as u64));
        let session = || SecureMessaging::new(SessionKeys::new(kind, &enc, &mac).unwrap(), &ssc);
        g.bench_function("secure_messaging_unwrap", |b| {
            b.iter_custom(|iters| {
                in_runs(iters, run, |n| {
                    let mut sm = session().unwrap();
                    let start = Instant::now();
                    for r in &responses[..n] {
                        black_box(sm.unwrap(black_box(r)).unwrap());
                    }
                    start.elapsed()
                })
            })
        });
        // The reader's path: the plain data appended to a buffer it
        // keeps (the file being read), no allocation per response.
        g.bench_function("secure_messaging_unwrap_into", |b| {
            let mut plain = Vec::with_capacity(c_len);
            b.iter_custom(|iters| {
                in_runs(iters, run, |n| {
                    let mut sm = session().unwrap();
                    let start = Instant::now();
                    for r in &responses[..n] {
                        plain.clear();
                        black_box(sm.unwrap_into(black_box(r), &mut plain).unwrap());
                        black_box(&plain);
                    }
                    start.elapsed()
                })
            })
        });
        g.bench_function("raw_cipher_and_mac", |b| {
            b.iter_custom(|iters| {
                in_runs(iters, run, |n| {
                    let start = Instant::now();
                    for input in &inputs[..n] {
                        let tag = raw.mac(black_box(&input.mac_input));
                        raw.decrypt(&input.iv, black_box(&input.cryptogram), &mut out);
                        black_box((tag, &out));
                    }
                    start.elapsed()
                })
            })
        });
        g.finish();
    }
}

/// Times `iters` iterations in runs of at most `run` (consecutive
/// responses of one session): `batch(n)` does `n` of them and returns the
/// time they took, its set-up excluded.
fn in_runs(iters: u64, run: usize, mut batch: impl FnMut(usize) -> Duration) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(run as u64) as usize;
        total += batch(n);
        left -= n as u64;
    }
    total
}

fn cccd_read(c: &mut Criterion) {
    let (data, key) = cccd(None);
    let mut g = c.benchmark_group("chip/cccd_read");
    for (name, config, chunk) in [
        ("extended_largest_chunk", ChipConfig::extended(65_538), None),
        (
            "extended_fixed_223",
            ChipConfig::extended(65_538),
            Some(223),
        ),
        (
            "extended_fixed_160",
            ChipConfig::extended(65_538),
            Some(160),
        ),
        ("short_chip", ChipConfig::SHORT, None),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| black_box(read(&data, &key, config, chunk)))
        });
    }
    g.finish();
}

criterion_group!(benches, bac_session, pace_reader, sm_unwrap, cccd_read);
criterion_main!(benches);
