//! An app account's registration and first login with the sans-IO core:
//! register (ID number, phone, the card's QR code, the registry's answer),
//! the OTP, the password, then a login. The clock is passed in; each
//! decision's events are appended to a log kept here (a store's job) and
//! folded into the state. `cargo run -p eid-account --example register_login`.

use cccd::IdNumber;
use cccd::qr::QrData;
use eid_account::{
    Account, Action, Command, Context, Decision, DetailsInput, DeviceId, DeviceUse, Effect, Event,
    Keys, LoginName, Phone, Policies, Refusal, RegistryAnswer, apply, decide,
};
use eid_credentials::{HashParams, Hasher, Pepper, SecretString};
use eid_otp::ServerKey;

/// A QR payload as the card prints it (ID, old ID, name, birth date
/// DDMMYYYY, sex, residence, issue date).
const QR: &str = "001089005555||Nguyễn An Minh|20101989|Nam|Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội|01072021";
/// The carrier-registered phone.
const PHONE: &str = "0987654321";
/// Seed 004's example password.
const PASSWORD: &str = "Ngọc@123456";
/// The first decision's clock (Unix seconds).
const T0: u64 = 1_700_000_000;

/// One account, its log, and what every decision needs.
struct Driver {
    account: Account,
    log: Vec<Event>,
    policies: Policies,
    keys: Keys,
    lines: Vec<String>,
}

impl Driver {
    fn new() -> Result<Driver, Box<dyn std::error::Error>> {
        // The server's secrets: in production from its configuration.
        let keys = Keys {
            hasher: Hasher::new(HashParams::default())?.with_pepper(Pepper::new(b"k1", &[7; 32])?),
            otp_key: ServerKey::new(&[9; 32])?,
        };
        Ok(Driver {
            account: Account::default(),
            log: Vec::new(),
            policies: Policies::default(),
            keys,
            lines: Vec::new(),
        })
    }

    /// Decides `action` at `now` on the current state; appends the events
    /// (a counted refusal's too, as the store contract says), folds them,
    /// and writes one line of what happened.
    fn run(&mut self, now: u64, action: Action) -> Result<Decision, Refusal> {
        let mut ctx = Context {
            now,
            rng: &mut getrandom::SysRng,
            registry: Some(RegistryAnswer::Match),
            device_use: Some(DeviceUse::Free),
            policies: &self.policies,
            keys: &self.keys,
        };
        let name = format!("{action:?}");
        let name = name
            .split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_owned();
        let command = Command::new(self.account.version(), action);
        let result = decide(&self.account, command, &mut ctx);
        let events = match &result {
            Ok(d) => &d.events,
            Err(r) => &r.events,
        };
        for event in events {
            self.account = apply(self.account.clone(), event);
            self.log.push(event.clone());
        }
        let types: Vec<String> = events.iter().map(event_type).collect();
        let outcome = match &result {
            Ok(d) => format!("ok; effects {}", effects(d)),
            Err(r) => format!("refused: {}", r.error.vi()),
        };
        self.lines.push(format!(
            "t={now} {name}: events [{}]; {outcome}",
            types.join(", ")
        ));
        result
    }
}

/// The event's serde tag: its name in the store.
fn event_type(event: &Event) -> String {
    serde_json::to_value(&event.kind)
        .ok()
        .and_then(|v| v.get("type")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The effects, one-time codes left out (they go to the SMS gateway only).
fn effects(decision: &Decision) -> String {
    let each: Vec<String> = decision
        .effects
        .iter()
        .map(|e| match e {
            Effect::SendOtp {
                phone,
                purpose,
                expires_at,
                ..
            } => format!("send OTP ({purpose:?}) to {phone}, valid until t={expires_at}"),
            other => format!("{other:?}"),
        })
        .collect();
    format!("[{}]", each.join(", "))
}

/// The code of the decision's OTP SMS.
fn otp_of(decision: &Decision) -> SecretString {
    decision
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::SendOtp { code, .. } => Some(code.clone()),
            _ => None,
        })
        .unwrap_or_else(|| SecretString::from(""))
}

/// Registration ①-④ in one decision at [`T0`]: the ID number and phone,
/// the card's QR code (a street address added), the terms.
fn register(d: &mut Driver) -> Result<(IdNumber, Decision), Box<dyn std::error::Error>> {
    let qr = QrData::parse(QR.as_bytes())?;
    let id = qr.id_number;
    let action = Action::Register {
        id_number: id,
        phone: PHONE.parse::<Phone>()?,
        details: DetailsInput::Qr {
            qr,
            street_address: Some("22 Láng Hạ".into()),
            permanent_residence: None,
        },
        terms_accepted: true,
        terms_version: "2023-05".into(),
    };
    Ok((id, d.run(T0, action)?))
}

/// The tour: what each step printed, and the driver after it.
fn tour() -> Result<Driver, Box<dyn std::error::Error>> {
    let mut d = Driver::new()?;
    let (id, sent) = register(&mut d)?;
    let code = otp_of(&sent);
    // A wrong code counts (its events are appended), then the right one.
    let wrong = if code.expose_secret() == "000000" {
        "111111"
    } else {
        "000000"
    };
    let _ = d.run(T0 + 20, Action::VerifyOtp { code: wrong.into() });
    d.run(T0 + 30, Action::VerifyOtp { code })?;
    let secret = SecretString::from;
    d.run(
        T0 + 60,
        Action::SetPassword {
            password: secret(PASSWORD),
            confirmation: secret(PASSWORD),
        },
    )?;
    let login = d.run(
        T0 + 600,
        Action::Login {
            login: LoginName::IdNumber(id),
            password: secret(PASSWORD),
            device: DeviceId::new("iphone-13-abc")?,
        },
    )?;
    d.lines.push(format!(
        "level: {:?}; logged in: {}",
        d.account.level(),
        login.session().is_some()
    ));
    Ok(d)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for line in tour()?.lines {
        println!("{line}");
    }
    Ok(())
}

#[test]
fn registration_and_login_as_the_seeds_describe() {
    let d = tour().unwrap();
    let lines = &d.lines;
    // Seed 001: the registry says "Đạt", then an SMS with the OTP; seed
    // 003: to be entered within 3 minutes ("Trong vòng 03 phút").
    assert!(lines[0].contains("registration_started"), "{}", lines[0]);
    assert!(
        lines[0].contains(&format!(
            "send OTP (Registration) to {PHONE}, valid until t={}",
            T0 + 180
        )),
        "{}",
        lines[0]
    );
    // A wrong code is refused and leaves an event: it counts.
    assert!(lines[1].contains("refused: "), "{}", lines[1]);
    assert!(!lines[1].contains("events []"), "{}", lines[1]);
    assert!(lines[2].contains("[otp_verified]; ok;"), "{}", lines[2]);
    assert!(
        lines[3].starts_with(&format!("t={} SetPassword: ", T0 + 60)),
        "{}",
        lines[3]
    );
    assert!(lines[4].contains("logged_in"), "{}", lines[4]);
    // Seed 003: an app account is not an electronic identity
    // ("chưa được định danh điện tử") until a dossier is approved.
    assert_eq!(d.account.level(), eid_account::AccountLevel::AppAccount);
    assert_eq!(lines[5], "level: AppAccount; logged in: true");
    assert_eq!(d.log.len() as u64, d.account.version());
}

#[test]
fn the_password_notice_is_seed_003s() {
    let mut d = Driver::new().unwrap();
    let (_, sent) = register(&mut d).unwrap();
    d.run(
        T0 + 10,
        Action::VerifyOtp {
            code: otp_of(&sent),
        },
    )
    .unwrap();
    // Seed 003 ②: 8 to 20 characters with a special character.
    let weak = SecretString::from("ngoc1234");
    let refused = d.run(
        T0 + 20,
        Action::SetPassword {
            password: weak.clone(),
            confirmation: weak,
        },
    );
    assert!(refused.is_err());
    let set = d
        .run(
            T0 + 30,
            Action::SetPassword {
                password: PASSWORD.into(),
                confirmation: PASSWORD.into(),
            },
        )
        .unwrap();
    assert_eq!(
        set.notices.iter().map(|n| n.vi()).collect::<Vec<_>>(),
        ["Thiết lập mật khẩu thành công. Bạn có thể đăng nhập bằng mật khẩu vừa thiết lập"]
    );
}
