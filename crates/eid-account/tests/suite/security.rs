//! The rules that keep people out of accounts that are not theirs
//! (docs/SECURITY-MODEL.md): nothing unverified survives, an officer's
//! level-2 record sets the phone the officer checked, lockouts are no
//! weapon, a session belongs to its device, and answers to strangers say
//! nothing about what an ID number holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use eid_account::*;

fn attacker_phone() -> Phone {
    Phone::parse("0911111111").unwrap()
}

#[test]
fn an_officers_level2_record_takes_the_phone_the_officer_checked() {
    // Issue 13's takeover: a registration with the attacker's phone is in
    // progress (the registry does not know the citizen's phone, so it
    // matched), then the citizen's level-2 dossier is recorded at the office
    // with her real phone.
    let mut w = World::new();
    w.run(Action::Register {
        id_number: id(),
        phone: attacker_phone(),
        details: qr_details(),
        terms_accepted: true,
        terms_version: TERMS.into(),
    });
    assert_eq!(w.state.phone(), None, "not the account's before its OTP");
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    assert_eq!(w.state.phone(), Some(&phone()));
    assert_eq!(w.state.pending_phone(), None);
    assert_eq!(w.state.flow(), None);
    let d = w.run(Action::ApproveDossier { officer: officer() });
    // The approval SMS goes to her.
    assert!(
        matches!(&d.effects[..], [Effect::SendSms { phone: to, .. }] if *to == phone()),
        "{:?}",
        d.effects
    );
    // The attacker cannot activate with his phone; she can with hers.
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: attacker_phone(),
        device: device("attacker"),
    });
    assert_eq!(r.error, AccountError::IdOrPhoneMismatch);
    let d = w.start_activation("phone-a");
    assert!(
        d.effects
            .iter()
            .any(|e| matches!(e, Effect::SendOtp { phone: to, .. } if *to == phone()))
    );
}

#[test]
fn a_level2_record_replaces_an_app_accounts_phone_with_the_checked_one() {
    let mut w = World::new();
    w.registered();
    let new_phone = Phone::parse("0977777777").unwrap();
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: new_phone.clone(),
        documents: vec![],
    });
    assert_eq!(w.state.phone(), Some(&new_phone));
}

#[test]
fn a_level2_record_ends_a_pending_reset_sent_to_the_old_phone() {
    let mut w = World::new();
    w.registered();
    w.advance(60);
    w.run(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: Phone::parse("0977777777").unwrap(),
        documents: vec![],
    });
    assert_eq!(w.state.flow(), None);
    assert!(w.state.otp().is_none());
}

#[test]
fn unknown_devices_cannot_lock_the_holder_out_of_her_own_phone() {
    let mut w = World::new();
    w.registered();
    w.login_on("phone-a");
    for _ in 0..5 {
        w.refuse(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s("Sai@Matkhau1"),
            device: device("attacker"),
        });
    }
    // Locked out for every device the account does not know ...
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("new-phone"),
    });
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 300 });
    assert!(r.events.is_empty());
    // ... but not for hers, with the right password.
    w.login_on("phone-a");
    // Her own device's guesses are throttled too, on their own count.
    for n in 1..5 {
        let r = w.refuse(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s("Sai@Matkhau1"),
            device: device("phone-a"),
        });
        assert_eq!(
            rkinds(&r),
            vec![EventKind::LoginFailed {
                failures: n,
                known_device: true
            }]
        );
    }
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s("Sai@Matkhau1"),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 300 });
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert!(matches!(r.error, AccountError::LoginLockedOut { .. }));
}

#[test]
fn a_login_tells_nothing_about_the_account() {
    // No account, no password, another phone: the answer of a wrong password.
    let mut w = World::new();
    let login = |w: &mut World, login: LoginName| {
        w.refuse(Action::Login {
            login,
            password: s(PASSWORD),
            device: device("phone-a"),
        })
    };
    let r = login(&mut w, LoginName::IdNumber(id()));
    assert_eq!(r.error, AccountError::WrongCredentials);
    assert!(r.events.is_empty(), "no account is created");
    w.start_registration();
    let r = login(&mut w, LoginName::IdNumber(id()));
    assert_eq!(r.error, AccountError::WrongCredentials);
    assert!(r.events.is_empty());
    let mut w = World::new();
    w.registered();
    let r = login(&mut w, LoginName::Phone(attacker_phone()));
    assert_eq!(r.error, AccountError::WrongCredentials);
    // And the lockout, the missing password or account to a stranger: the same.
    for e in [
        AccountError::LoginLockedOut { seconds_left: 300 },
        AccountError::NoPassword,
        AccountError::WrongCredentials,
    ] {
        assert_eq!(e.for_unauthenticated(), AccountError::WrongCredentials);
    }
    assert_eq!(
        AccountError::NoAccount.for_unauthenticated(),
        AccountError::IdOrPhoneMismatch
    );
    let locked = AccountError::Locked(LockReason::Death).for_unauthenticated();
    assert_eq!(locked, AccountError::LockedWithoutReason);
    assert!(!locked.en().contains("died") && !locked.vi().contains("chết"));
}

#[test]
fn a_stranger_cannot_restart_a_flow_in_progress() {
    let mut w = World::new();
    w.registered();
    w.advance(60);
    w.run(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    let code = w.code();
    w.advance(61);
    let r = w.refuse(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    assert_eq!(r.error, AccountError::FlowInProgress { seconds_left: 119 });
    // Her code still works.
    w.run(Action::VerifyOtp { code });
}

#[test]
fn a_device_change_ends_the_old_devices_sessions() {
    let mut w = World::new();
    w.active_level1();
    let old = w.login_on("phone-a");
    w.run(Action::StartDeviceChange {
        id_number: id(),
        password: s(PASSWORD),
        device: device("phone-b"),
    });
    w.run(Action::VerifyOtp { code: w.code() });
    assert_eq!(w.state.device(), Some(&device("phone-b")));
    assert!(w.state.sessions().iter().all(|x| x.id != old));
    let r = w.refuse(Action::ConfirmPasscode {
        session: old,
        service: Service::NationalPublicServices,
        passcode: s(PASSCODE),
    });
    assert_eq!(r.error, AccountError::NotLoggedIn);
    let new = w.login_on("phone-b");
    w.run(Action::ConfirmPasscode {
        session: new,
        service: Service::NationalPublicServices,
        passcode: s(PASSCODE),
    });
}

#[test]
fn a_passcode_confirms_a_service_only_from_the_bound_device() {
    let mut w = World::new();
    w.active_level1();
    let elsewhere = w.login_on("some-browser");
    let r = w.refuse(Action::ConfirmPasscode {
        session: elsewhere,
        service: Service::NationalPublicServices,
        passcode: s(PASSCODE),
    });
    assert_eq!(r.error, AccountError::NotBoundDevice);
    assert!(r.events.is_empty(), "not even a try is counted");
}

/// Seeds 000 step 3 and 004 name the activation phone "the one registered
/// with the police" ("SĐT khi làm CCCD"): an app account registered with
/// another phone takes the officer's at the level-2 record, the approval
/// SMS goes there only, and no holder or stranger can move it back.
#[test]
fn the_level2_phone_replaces_the_app_accounts_and_only_an_officer_changes_it() {
    let mut w = World::new();
    w.registered();
    let police = Phone::parse("0977777777").unwrap();
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: police.clone(),
        documents: vec![],
    });
    let dossier = w.state.dossier().unwrap();
    assert_eq!(dossier.office.as_deref(), Some(office().as_str()));
    assert_eq!(dossier.phone.as_ref(), Some(&police));
    // Nobody but an officer moves the phone: a new registration, a reset
    // or an activation with the old phone are refused and leave it.
    let r = w.refuse(register_action(qr_details(), true));
    assert_eq!(r.error, AccountError::AlreadyRegistered);
    let r = w.refuse(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    assert_eq!(r.error, AccountError::IdOrPhoneMismatch);
    assert_eq!(w.state.phone(), Some(&police));
    let d = w.run(Action::ApproveDossier { officer: officer() });
    // The approval SMS: to the police phone, and to no other.
    let sms: Vec<&Phone> = d
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::SendSms { phone, .. } | Effect::SendOtp { phone, .. } => Some(phone),
            _ => None,
        })
        .collect();
    assert_eq!(sms, vec![&police]);
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::IdOrPhoneMismatch);
    let d = w.run(Action::StartActivation {
        id_number: id(),
        phone: police.clone(),
        device: device("phone-a"),
    });
    assert!(
        matches!(&d.effects[..], [Effect::SendOtp { phone: to, .. }] if *to == police),
        "{:?}",
        d.effects
    );
    // The old phone no longer logs in; the police phone does.
    let r = w.refuse(Action::Login {
        login: LoginName::Phone(phone()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::WrongCredentials);
    w.run(Action::Login {
        login: LoginName::Phone(police.clone()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(w.state.phone(), Some(&police));
}

#[test]
fn a_level2_record_needs_the_office() {
    let mut w = World::new();
    let r = w.refuse(Action::RecordLevel2Dossier {
        officer: officer(),
        office: "  ".into(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    assert_eq!(r.error, AccountError::InvalidField("office"));
    assert_eq!(w.state.version(), 0);
}
