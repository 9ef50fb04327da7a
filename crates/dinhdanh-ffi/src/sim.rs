//! Feature `sim`, for tests: the in-process virtual chip of
//! `icao9303-sim` as a [`CardTransport`], so the foreign suites read a card
//! with no reader.

use std::sync::{Arc, Mutex};

use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303::transport::Transport;
use icao9303_sim::pki::{DEMO_SEED, TestPki};
use icao9303_sim::{ChipConfig, PaceOffer, Personalisation, SimRng, VirtualChip};

use crate::{CardTransport, DinhdanhError, LinkFailure};

/// A virtual chip, personalised in code and signed by the simulator's
/// test PKI (the same CSCA on every run, as `dinhdanh sim serve` has).
#[derive(uniffi::Object)]
pub struct SimulatedChip {
    chip: Arc<Mutex<VirtualChip>>,
    csca: Vec<u8>,
}

fn sim_err(e: impl ToString) -> DinhdanhError {
    DinhdanhError::argument("simulated chip", e.to_string())
}

impl SimulatedChip {
    fn build(profile: Personalisation, short: bool) -> Result<Arc<SimulatedChip>, DinhdanhError> {
        let mut rng = SimRng::from_seed_u64(DEMO_SEED);
        let pki = TestPki::generate(&mut rng, "VN").map_err(sim_err)?;
        let data = profile.build(&mut rng, &pki).map_err(sim_err)?;
        let config = if short {
            ChipConfig::SHORT
        } else {
            ChipConfig::default()
        };
        let chip = VirtualChip::new(data, config, SimRng::from_seed_u64(7));
        Ok(Arc::new(SimulatedChip {
            chip: Arc::new(Mutex::new(chip)),
            csca: pki.csca_certificate().to_vec(),
        }))
    }
}

#[uniffi::export]
impl SimulatedChip {
    /// A CCCD (DG13 included) opened by its ID number and dates; with
    /// `pace`, PACE Generic Mapping on P-256 with AES-128, else BAC; with
    /// `short`, short APDUs only (as most phones' NFC), else extended length.
    #[uniffi::constructor(default(pace = false, short = false))]
    pub fn cccd(
        id_number: String,
        date_of_birth: String,
        date_of_expiry: String,
        pace: bool,
        short: bool,
    ) -> Result<Arc<SimulatedChip>, DinhdanhError> {
        let mut profile =
            Personalisation::cccd(&id_number, &date_of_birth, &date_of_expiry).map_err(sim_err)?;
        if pace {
            profile = profile.with_pace(PaceOffer::generic(
                DomainParameters::Secp256r1,
                KeyKind::Aes128,
            ));
        }
        SimulatedChip::build(profile, short)
    }

    /// A passport opened by its CAN over PACE (P-256, AES-128).
    #[uniffi::constructor]
    pub fn passport_with_can(can: String) -> Result<Arc<SimulatedChip>, DinhdanhError> {
        let mrz = icao9303_sim::personalise::passport_mrz("SIM000001", "900101", "300101")
            .map_err(sim_err)?;
        let profile = Personalisation::passport(mrz)
            .with_can(&can)
            .with_pace(PaceOffer::generic(
                DomainParameters::Secp256r1,
                KeyKind::Aes128,
            ));
        SimulatedChip::build(profile, false)
    }

    /// The chip as a transport implemented in Rust (no foreign call per
    /// APDU): the baseline the foreign transports are measured against.
    pub fn transport(&self) -> Arc<dyn CardTransport> {
        Arc::new(SimLink {
            chip: Arc::clone(&self.chip),
        })
    }

    /// The test CSCA certificate (DER) that signed the chip's EF.SOD.
    pub fn csca_certificate(&self) -> Vec<u8> {
        self.csca.clone()
    }

    /// Command APDUs the chip has received.
    pub fn apdus_received(&self) -> u64 {
        self.chip.lock().map(|c| c.stats().apdus).unwrap_or(0)
    }
}

struct SimLink {
    chip: Arc<Mutex<VirtualChip>>,
}

impl CardTransport for SimLink {
    fn transmit(&self, command: Vec<u8>) -> Result<Vec<u8>, DinhdanhError> {
        let mut chip = self.chip.lock().map_err(|_| DinhdanhError::Transport {
            kind: LinkFailure::Other,
            message: "the simulated chip's lock is poisoned".to_owned(),
        })?;
        chip.transmit(&command)
            .map_err(|e| DinhdanhError::Transport {
                kind: LinkFailure::Link,
                message: e.to_string(),
            })
    }

    fn max_command_bytes(&self) -> u32 {
        self.link().max_command_len.try_into().unwrap_or(u32::MAX)
    }

    fn max_response_bytes(&self) -> u32 {
        self.link().max_response_len.try_into().unwrap_or(u32::MAX)
    }
}

impl SimLink {
    fn link(&self) -> icao9303::transport::LinkInfo {
        self.chip
            .lock()
            .map(|c| c.link_info())
            .unwrap_or(icao9303::transport::LinkInfo::SHORT)
    }
}
