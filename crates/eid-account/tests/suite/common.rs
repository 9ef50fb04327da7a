//! A test harness: one account, a deterministic RNG, cheap Argon2, and a
//! log that is checked to fold back to the state after every command.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use core::convert::Infallible;
use std::path::{Path, PathBuf};

use cccd::IdNumber;
use cccd::qr::QrData;
use eid_account::*;
use eid_credentials::{HashParams, Hasher, Pepper, SecretString};
use eid_otp::ServerKey;

/// A deterministic test RNG (SplitMix64), marked crypto so that the
/// libraries accept it: tests need reproducibility, not secrecy.
#[derive(Debug, Clone)]
pub(crate) struct TestRng(pub(crate) u64);

impl rand_core::TryRng for TestRng {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for TestRng {}

pub(crate) const ID: &str = "001089005555";
pub(crate) const PHONE: &str = "0987654321";
pub(crate) const PASSWORD: &str = "Ngọc@123456";
pub(crate) const PASSCODE: &str = "480613";
pub(crate) const T0: u64 = 1_700_000_000;
pub(crate) const QR: &str = "001089005555||Nguyễn An Minh|20101989|Nam|Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội|01072021";

pub(crate) fn s(x: &str) -> SecretString {
    SecretString::from(x)
}

pub(crate) fn id() -> IdNumber {
    IdNumber::parse(ID).unwrap()
}

pub(crate) fn phone() -> Phone {
    Phone::parse(PHONE).unwrap()
}

pub(crate) fn qr() -> QrData {
    QrData::parse(QR.as_bytes()).unwrap()
}

pub(crate) fn device(name: &str) -> DeviceId {
    DeviceId::new(name).unwrap()
}

pub(crate) fn officer() -> OfficerId {
    OfficerId("CA-HN-042".into())
}

/// The police office of the level-2 records.
pub(crate) fn office() -> String {
    "Công an phường Láng Hạ".into()
}

/// The terms version the registrations accept.
pub(crate) const TERMS: &str = "2023-05";

pub(crate) fn keys() -> Keys {
    Keys {
        hasher: Hasher::new(HashParams::new(8, 1, 1))
            .unwrap()
            .with_pepper(Pepper::new(b"t1", &[42u8; 32]).unwrap()),
        otp_key: ServerKey::new(&[7u8; 32]).unwrap(),
    }
}

pub(crate) fn manual_details() -> PersonalDetails {
    let q = qr();
    PersonalDetails {
        full_name: q.full_name.clone(),
        date_of_birth: q.date_of_birth,
        sex: q.sex,
        permanent_residence: "Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội".into(),
        street_address: Some("22 Láng Hạ".into()),
        card_residence: None,
    }
}

/// The details of the QR code, with a street address.
pub(crate) fn qr_details() -> DetailsInput {
    DetailsInput::Qr {
        qr: qr(),
        street_address: Some("22 Láng Hạ".into()),
        permanent_residence: None,
    }
}

/// A registration of [`ID`] and [`PHONE`] with these details.
pub(crate) fn register_action(details: DetailsInput, terms_accepted: bool) -> Action {
    Action::Register {
        id_number: id(),
        phone: phone(),
        details,
        terms_accepted,
        terms_version: TERMS.into(),
    }
}

#[derive(Clone)]
pub(crate) struct World {
    pub(crate) keys: Keys,
    pub(crate) policies: Policies,
    pub(crate) rng: TestRng,
    pub(crate) now: u64,
    pub(crate) log: Vec<Event>,
    pub(crate) state: Account,
    pub(crate) registry: Option<RegistryAnswer>,
    pub(crate) device_use: Option<DeviceUse>,
    /// The last one-time code sent.
    pub(crate) last_code: Option<SecretString>,
    /// Check after every command that folding the log gives the state
    /// (quadratic: off in the large exploration).
    pub(crate) check_fold: bool,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    pub(crate) fn new() -> World {
        World::with_policies(Policies::default())
    }

    pub(crate) fn with_policies(policies: Policies) -> World {
        World {
            keys: keys(),
            policies,
            rng: TestRng(1),
            now: T0,
            log: Vec::new(),
            state: Account::default(),
            registry: Some(RegistryAnswer::Match),
            device_use: Some(DeviceUse::Free),
            last_code: None,
            check_fold: true,
        }
    }

    pub(crate) fn advance(&mut self, secs: u64) {
        self.now += secs;
    }

    /// Decides on the current version, appends what must be appended
    /// (refusals included), checks the fold.
    pub(crate) fn try_run(&mut self, action: Action) -> Result<Decision, Refusal> {
        let version = self.state.version();
        self.try_run_at(version, action)
    }

    pub(crate) fn try_run_at(&mut self, version: u64, action: Action) -> Result<Decision, Refusal> {
        let mut ctx = Context {
            now: self.now,
            rng: &mut self.rng,
            registry: self.registry.clone(),
            device_use: self.device_use,
            policies: &self.policies,
            keys: &self.keys,
        };
        let result = decide(&self.state, Command::new(version, action), &mut ctx);
        let events = match &result {
            Ok(d) => d.events.clone(),
            Err(r) => r.events.clone(),
        };
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e.sequence, self.state.version() + 1, "event {i} sequence");
            assert_eq!(e.schema, EVENT_SCHEMA_VERSION);
            assert_eq!(e.at, self.now);
            self.state = apply(self.state.clone(), e);
            self.log.push(e.clone());
        }
        assert_eq!(
            fold(&self.log),
            self.state,
            "folding the log rebuilds the state"
        );
        if let Ok(d) = &result {
            for eff in &d.effects {
                if let Effect::SendOtp { code, .. } = eff {
                    self.last_code = Some(code.clone());
                }
            }
        }
        if let Err(r) = &result {
            assert!(
                !matches!(r.error, AccountError::TransitionNotInTable { .. }),
                "{:?}",
                r.error
            );
        }
        result
    }

    pub(crate) fn run(&mut self, action: Action) -> Decision {
        match self.try_run(action) {
            Ok(d) => d,
            Err(r) => panic!("refused: {:?} ({})", r.error, r.error.vi()),
        }
    }

    pub(crate) fn refuse(&mut self, action: Action) -> Refusal {
        match self.try_run(action) {
            Ok(d) => panic!("accepted: {:?}", kinds(&d)),
            Err(r) => r,
        }
    }

    pub(crate) fn code(&self) -> SecretString {
        self.last_code.clone().expect("a code was sent")
    }

    /// A code that is not the last one sent.
    pub(crate) fn wrong_code(&self) -> SecretString {
        if self.code().expose_secret() == "000000" {
            s("111111")
        } else {
            s("000000")
        }
    }

    // ---- builders of typical states ----

    /// Registration with the QR code's details and the terms accepted.
    pub(crate) fn start_registration(&mut self) -> Decision {
        self.run(register_action(qr_details(), true))
    }

    /// Registers an app account.
    pub(crate) fn registered(&mut self) {
        self.start_registration();
        self.advance(20);
        let code = self.code();
        self.run(Action::VerifyOtp { code });
        self.run(Action::SetPassword {
            password: s(PASSWORD),
            confirmation: s(PASSWORD),
        });
    }

    pub(crate) fn login_on(&mut self, dev: &str) -> SessionId {
        let d = self.run(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s(PASSWORD),
            device: device(dev),
        });
        d.session().expect("session")
    }

    pub(crate) fn submit_level1(&mut self, session: SessionId) -> Decision {
        self.run(Action::SubmitLevel1Dossier {
            session,
            card: CardData::from_qr(&qr()),
            portrait: PhotoRef("sha256:abc".into()),
            email: Some("minh@example.vn".into()),
        })
    }

    /// An app account with an approved level-1 dossier.
    pub(crate) fn approved_level1(&mut self) {
        self.registered();
        let session = self.login_on("phone-a");
        self.submit_level1(session);
        self.advance(3600);
        self.run(Action::ApproveDossier { officer: officer() });
    }

    pub(crate) fn start_activation(&mut self, dev: &str) -> Decision {
        self.run(Action::StartActivation {
            id_number: id(),
            phone: phone(),
            device: device(dev),
        })
    }

    pub(crate) fn questions() -> Vec<(String, SecretString)> {
        vec![
            ("first_pet".into(), s("Mực")),
            ("favourite_food".into(), s("Phở bò")),
        ]
    }

    /// Activation after the OTP was sent (password step only when needed).
    pub(crate) fn finish_activation(&mut self) -> Decision {
        let code = self.code();
        self.advance(10);
        let d = self.run(Action::VerifyOtp { code });
        let needs_password = matches!(
            d.events.last().map(|e| &e.kind),
            Some(EventKind::OtpVerified {
                next: Some(Flow::Activation {
                    step: ActivationStep::Password,
                    ..
                }),
                ..
            })
        );
        if needs_password {
            self.run(Action::SetPassword {
                password: s(PASSWORD),
                confirmation: s(PASSWORD),
            });
        }
        self.run(Action::SetPasscode {
            passcode: s(PASSCODE),
            confirmation: s(PASSCODE),
        });
        self.run(Action::SetSecurityQuestions {
            answers: World::questions(),
        })
    }

    /// An active level-1 account bound to `phone-a`.
    pub(crate) fn active_level1(&mut self) {
        self.approved_level1();
        self.advance(600);
        self.start_activation("phone-a");
        self.finish_activation();
    }
}

pub(crate) fn kinds(d: &Decision) -> Vec<EventKind> {
    d.events.iter().map(|e| e.kind.clone()).collect()
}

pub(crate) fn rkinds(r: &Refusal) -> Vec<EventKind> {
    r.events.iter().map(|e| e.kind.clone()).collect()
}

/// The path of `rel_path` in the project's shared files (`../shared`
/// beside the repository: master lists, chip samples, seeds, vectors;
/// some are LGPL, so a packaged crate carries none of them), or `None`
/// after one line on stderr saying it is absent, so that the test returns
/// early and passes. With `DINHDANH_TEST_REQUIRE_SHARED=1` (scripts/test,
/// CI) absence is a panic with the same words, so a broken checkout is
/// not a green run.
///
/// The directory is `CARGO_MANIFEST_DIR/../../../shared` unless
/// `DINHDANH_SHARED_DIR` names another: `DINHDANH_SHARED_DIR=/nonexistent
/// cargo test -p eid-account --test suite` runs the skip path as a
/// packaged crate would.
pub(crate) fn shared_path(rel_path: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("DINHDANH_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    present_or_skip(
        dir.join(rel_path),
        &format!("../shared/{rel_path}"),
        "it sits beside the repository",
    )
}

/// `path` when it exists; else the skip line (a panic under
/// `DINHDANH_TEST_REQUIRE_SHARED=1`) naming `shown` and `why`, and `None`.
fn present_or_skip(path: PathBuf, shown: &str, why: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let line = format!("skipped: {shown} is absent ({why}; a packaged crate has none)");
    if std::env::var_os("DINHDANH_TEST_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("{line}");
    }
    eprintln!("{line}");
    None
}

/// `rel_path` in the repository around the crate (`docs/...`), or `None`
/// as [`shared_path`] when the crate is outside it (packaged).
pub(crate) fn repo_path(rel_path: &str) -> Option<PathBuf> {
    present_or_skip(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel_path),
        rel_path,
        "it is the repository's",
    )
}
