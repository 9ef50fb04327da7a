//! Flow 6: passcode confirmation, device change, lock and unlock, level
//! and services; serde of the log; secrets kept out of events and Debug.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use eid_account::*;
use eid_otp::Purpose;

#[test]
fn a_service_is_confirmed_with_the_passcode() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    let d = w.run(Action::ConfirmPasscode {
        session,
        service: Service::BillPayment,
        passcode: s(PASSCODE),
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::PasscodeConfirmed {
            service: Service::BillPayment
        }]
    );
    let r = w.refuse(Action::ConfirmPasscode {
        session,
        service: Service::CardData,
        passcode: s(PASSCODE),
    });
    assert_eq!(r.error, AccountError::ServiceNeedsLevel2);
    assert_eq!(
        r.error.vi(),
        "Dịch vụ này dành cho tài khoản định danh điện tử mức 2."
    );
}

#[test]
fn an_app_account_cannot_confirm_services() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    let r = w.refuse(Action::ConfirmPasscode {
        session,
        service: Service::BillPayment,
        passcode: s(PASSCODE),
    });
    assert_eq!(r.error, AccountError::NotActivated);
}

#[test]
fn too_many_wrong_passcodes_lock_the_account_until_the_holder_unlocks_it() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    let wrong = |session| Action::ConfirmPasscode {
        session,
        service: Service::NationalPublicServices,
        passcode: s("918273"),
    };
    for n in 1..=4u32 {
        let r = w.refuse(wrong(session));
        assert_eq!(r.error, AccountError::WrongPasscode { tries_left: 5 - n });
        assert_eq!(rkinds(&r), vec![EventKind::PasscodeFailed { failures: n }]);
    }
    // The fifth wrong passcode in a row locks the account.
    let r = w.refuse(wrong(session));
    assert_eq!(r.error, AccountError::WrongPasscode { tries_left: 0 });
    assert_eq!(
        rkinds(&r),
        vec![
            EventKind::PasscodeFailed { failures: 5 },
            EventKind::AccountLocked {
                by: Actor::System,
                reason: LockReason::TooManyWrongPasscodes
            }
        ]
    );
    assert_eq!(w.state.phase(), Phase::Locked);
    assert!(w.state.sessions().is_empty());
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(
        r.error,
        AccountError::Locked(LockReason::TooManyWrongPasscodes)
    );
    assert_eq!(
        r.error.vi(),
        "Tài khoản đã bị khóa: nhập sai passcode quá số lần cho phép."
    );
    // The holder unlocks with the password and a security answer.
    let r = w.refuse(Action::UnlockByHolder {
        id_number: id(),
        password: s(PASSWORD),
        answer: Some(("first_pet".into(), s("MỰC"))),
    });
    assert!(matches!(r.error, AccountError::WrongAnswers { .. }));
    assert_eq!(
        rkinds(&r),
        vec![EventKind::LoginFailed {
            failures: 1,
            known_device: false
        }]
    );
    let d = w.run(Action::UnlockByHolder {
        id_number: id(),
        password: s(PASSWORD),
        answer: Some(("first_pet".into(), s("Mực"))),
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::AccountUnlocked { by: Actor::Holder }]
    );
    assert_eq!(w.state.phase(), Phase::Active);
    let session = w.login_on("phone-a");
    w.run(Action::ConfirmPasscode {
        session,
        service: Service::NationalPublicServices,
        passcode: s(PASSCODE),
    });
}

#[test]
fn a_successful_confirmation_resets_the_wrong_passcode_count() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    for _ in 0..4 {
        w.refuse(Action::ConfirmPasscode {
            session,
            service: Service::News,
            passcode: s("918273"),
        });
    }
    w.run(Action::ConfirmPasscode {
        session,
        service: Service::News,
        passcode: s(PASSCODE),
    });
    let r = w.refuse(Action::ConfirmPasscode {
        session,
        service: Service::News,
        passcode: s("918273"),
    });
    assert_eq!(r.error, AccountError::WrongPasscode { tries_left: 4 });
}

#[test]
fn the_account_moves_to_another_device_after_an_otp() {
    let mut w = World::new();
    w.active_level1();
    w.advance(1000);
    let r = w.refuse(Action::StartDeviceChange {
        id_number: id(),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::SameDevice);
    let r = w.refuse(Action::StartDeviceChange {
        id_number: id(),
        password: s("Sai@12345"),
        device: device("phone-b"),
    });
    assert_eq!(r.error, AccountError::WrongCredentials);
    assert_eq!(
        rkinds(&r),
        vec![EventKind::LoginFailed {
            failures: 1,
            known_device: false
        }]
    );
    let d = w.run(Action::StartDeviceChange {
        id_number: id(),
        password: s(PASSWORD),
        device: device("phone-b"),
    });
    assert!(matches!(
        kinds(&d).as_slice(),
        [EventKind::DeviceChangeStarted { device: dv }, EventKind::OtpIssued { purpose: Purpose::DeviceChange, .. }]
            if *dv == device("phone-b")
    ));
    assert_eq!(
        w.state.device(),
        Some(&device("phone-a")),
        "not moved before the OTP"
    );
    let d = w.run(Action::VerifyOtp { code: w.code() });
    let k = kinds(&d);
    assert!(matches!(&k[0], EventKind::OtpVerified { next: None, .. }));
    assert_eq!(
        k[1..],
        [
            EventKind::DeviceUnbound {
                device: device("phone-a")
            },
            EventKind::DeviceBound {
                device: device("phone-b")
            }
        ]
    );
    assert_eq!(d.notices, vec![Notice::MovedToThisDevice]);
    assert_eq!(w.state.device(), Some(&device("phone-b")));
    assert_eq!(w.state.flow(), None);
}

#[test]
fn a_device_change_needs_an_active_account() {
    let mut w = World::new();
    w.registered();
    let r = w.refuse(Action::StartDeviceChange {
        id_number: id(),
        password: s(PASSWORD),
        device: device("phone-b"),
    });
    assert_eq!(r.error, AccountError::NotActivated);
}

#[test]
fn the_holder_locks_and_unlocks() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    let d = w.run(Action::LockByHolder { session });
    assert_eq!(
        kinds(&d),
        vec![EventKind::AccountLocked {
            by: Actor::Holder,
            reason: LockReason::HolderRequest
        }]
    );
    assert_eq!(
        w.state.lock(),
        Some(&Lock {
            by: Actor::Holder,
            reason: LockReason::HolderRequest,
            at: w.now
        })
    );
    let r = w.refuse(Action::UnlockByHolder {
        id_number: id(),
        password: s(PASSWORD),
        answer: None,
    });
    assert!(matches!(r.error, AccountError::WrongAnswers { .. }));
    let r = w.refuse(Action::UnlockByHolder {
        id_number: id(),
        password: s("Sai@12345"),
        answer: Some(("favourite_food".into(), s("Phở bò"))),
    });
    assert_eq!(r.error, AccountError::WrongCredentials);
    w.run(Action::UnlockByHolder {
        id_number: id(),
        password: s(PASSWORD),
        answer: Some(("favourite_food".into(), s("Phở bò"))),
    });
    let r = w.refuse(Action::UnlockByHolder {
        id_number: id(),
        password: s(PASSWORD),
        answer: Some(("favourite_food".into(), s("Phở bò"))),
    });
    assert_eq!(r.error, AccountError::NotLocked);
}

#[test]
fn an_officer_locks_for_the_decrees_reasons_and_only_an_officer_unlocks() {
    for (reason, vi) in [
        (
            LockReason::CardRevoked,
            "Tài khoản đã bị khóa: thẻ Căn cước công dân bị thu hồi, tạm giữ.",
        ),
        (
            LockReason::Death,
            "Tài khoản đã bị khóa: chủ tài khoản đã chết hoặc mất tích.",
        ),
        (
            LockReason::TermsViolation,
            "Tài khoản đã bị khóa: vi phạm điều khoản sử dụng.",
        ),
    ] {
        let mut w = World::new();
        w.active_level1();
        let d = w.run(Action::LockByOfficer {
            officer: officer(),
            reason: reason.clone(),
        });
        assert_eq!(
            kinds(&d),
            vec![EventKind::AccountLocked {
                by: Actor::Officer(officer()),
                reason: reason.clone()
            }]
        );
        let r = w.refuse(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s(PASSWORD),
            device: device("phone-a"),
        });
        assert_eq!(r.error, AccountError::Locked(reason.clone()));
        assert_eq!(r.error.vi(), vi);
        let r = w.refuse(Action::UnlockByHolder {
            id_number: id(),
            password: s(PASSWORD),
            answer: Some(("first_pet".into(), s("Mực"))),
        });
        assert_eq!(r.error, AccountError::UnlockNeedsOfficer);
        let d = w.run(Action::UnlockByOfficer { officer: officer() });
        assert_eq!(
            kinds(&d),
            vec![EventKind::AccountUnlocked {
                by: Actor::Officer(officer())
            }]
        );
        w.login_on("phone-a");
    }
}

#[test]
fn an_officer_can_lock_an_account_at_any_stage() {
    let mut w = World::new();
    let r = w.refuse(Action::LockByOfficer {
        officer: officer(),
        reason: LockReason::Death,
    });
    assert_eq!(r.error, AccountError::NoAccount);
    w.start_registration();
    w.run(Action::LockByOfficer {
        officer: officer(),
        reason: LockReason::TermsViolation,
    });
    let r = w.refuse(Action::ResendOtp);
    assert_eq!(r.error, AccountError::Locked(LockReason::TermsViolation));
    w.run(Action::UnlockByOfficer { officer: officer() });
    // The registration in progress ended with the lock: start again.
    assert_eq!(w.state.phase(), Phase::Unregistered);
    w.registered();
}

#[test]
fn level_and_services_listing() {
    let mut w = World::new();
    assert_eq!(w.state.level(), AccountLevel::None);
    w.registered();
    assert_eq!(w.state.level(), AccountLevel::AppAccount);
    assert!(w.state.services().is_empty());
    let mut w = World::new();
    w.active_level1();
    let names: Vec<&str> = w.state.services().iter().map(|s| s.vi()).collect();
    assert_eq!(
        names,
        vec![
            "Phòng chống dịch",
            "Tích hợp thông tin cá nhân từ Cơ sở dữ liệu Quốc gia về Dân cư",
            "Dịch vụ Công Quốc gia",
            "Cập nhật các tin tức, bài viết, thông báo mới nhất từ Bộ Công An",
            "Thanh toán hóa đơn",
        ]
    );
    assert_eq!(
        Service::for_level(Level::Two)[5..]
            .iter()
            .map(|s| s.vi())
            .collect::<Vec<_>>(),
        vec![
            "Tích hợp thông tin thẻ Căn cước công dân từ hệ thống Căn cước công dân Quốc gia",
            "Tích hợp thông tin các loại giấy tờ tùy thân, thông tin người phụ thuộc và các nhóm thông tin của các Bộ, Ban ngành",
        ]
    );
}

#[test]
fn the_log_round_trips_through_json_and_folds_to_the_same_state() {
    let mut w = World::new();
    w.active_level1();
    let session = w.login_on("phone-a");
    w.refuse(Action::ConfirmPasscode {
        session,
        service: Service::News,
        passcode: s("918273"),
    });
    let json = serde_json::to_string(&w.log).unwrap();
    let back: Vec<Event> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, w.log);
    assert_eq!(fold(&back), w.state);
    assert!(json.contains("\"schema\":1"));
    assert!(json.contains("\"type\":\"activated\""));
}

#[test]
fn secrets_never_reach_events_or_debug_output() {
    let mut w = World::new();
    w.registered();
    let mut codes = vec![w.code().expose_secret().to_owned()];
    let session = w.login_on("phone-a");
    w.submit_level1(session);
    w.run(Action::ApproveDossier { officer: officer() });
    let d = w.start_activation("phone-a");
    codes.push(w.code().expose_secret().to_owned());
    let debug_effects = format!("{:?}", d.effects);
    assert!(!debug_effects.contains(&codes[1]), "{debug_effects}");
    w.finish_activation();
    let json = serde_json::to_string(&w.log).unwrap();
    let debug = format!("{:?} {:?}", w.log, w.state);
    for secret in [PASSWORD, PASSCODE, "Mực", "Phở bò", &codes[0], &codes[1]] {
        assert!(!standalone(&json, secret), "{secret} in the events");
        assert!(!standalone(&debug, secret), "{secret} in Debug");
    }
    let action = Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    };
    assert!(!format!("{action:?}").contains(PASSWORD));
    let err = w
        .refuse(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s("Sai@12345"),
            device: device("phone-a"),
        })
        .error;
    assert!(!format!("{err:?} {err} {}", err.vi()).contains("Sai@12345"));
}

#[test]
fn inputs_are_validated() {
    assert_eq!(DeviceId::new(""), Err(AccountError::InvalidDevice));
    assert_eq!(DeviceId::new("has space"), Err(AccountError::InvalidDevice));
    assert_eq!(
        DeviceId::new(&"x".repeat(129)),
        Err(AccountError::InvalidDevice)
    );
    assert!(DeviceId::new("android-7f3a").is_ok());
    let q = qr();
    let bad = cccd::dg13::Dg13Data {
        id_number: "12345".into(),
        full_name: q.full_name.clone(),
        date_of_birth: q.date_of_birth,
        sex: q.sex,
        nationality: String::new(),
        ethnicity: String::new(),
        religion: String::new(),
        place_of_origin: String::new(),
        place_of_residence: String::new(),
        identifying_marks: String::new(),
        issue_date: q.issue_date,
        date_of_expiry: None,
        father_name: String::new(),
        mother_name: String::new(),
        spouse_name: None,
        old_id_number: None,
    };
    assert_eq!(CardData::from_dg13(&bad), Err(AccountError::CardMismatch));
    let mut w = World::new();
    let mut details = manual_details();
    details.full_name = "   ".into();
    let r = w.refuse(register_action(DetailsInput::Manual(details), true));
    assert_eq!(r.error, AccountError::InvalidField("full_name"));
}

#[test]
fn a_state_snapshot_round_trips() {
    let mut w = World::new();
    w.active_level1();
    let json = serde_json::to_string(&w.state).unwrap();
    let back: Account = serde_json::from_str(&json).unwrap();
    assert_eq!(back, w.state);
    assert!(!json.contains(PASSWORD) && !json.contains(PASSCODE));
}

/// Whether `needle` occurs in `hay` other than inside a longer run of digits
/// or letters (a 6-digit code may appear by chance inside a timestamp or a
/// base64 hash).
fn standalone(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
