//! Flows 1 and 2: app-account registration, login, lockout, password reset.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use eid_account::*;
use eid_credentials::PasswordReason;
use eid_otp::Purpose;
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------- 1. Registration

#[test]
fn registration_with_qr_creates_an_app_account_that_is_not_an_electronic_identity() {
    let mut w = World::new();
    // One decision: started, details verified, code sent.
    let d = w.start_registration();
    let mut details = PersonalDetails::from_qr(&qr());
    details.street_address = Some("22 Láng Hạ".into());
    assert_eq!(
        d.events[0].kind,
        EventKind::RegistrationStarted {
            id_number: id(),
            phone: phone(),
            terms_version: Some(TERMS.into()),
        }
    );
    assert_eq!(
        d.events[1].kind,
        EventKind::DetailsVerified {
            details: details.clone(),
            source: DetailsSource::Qr
        }
    );
    let EventKind::OtpIssued {
        purpose, challenge, ..
    } = &d.events[2].kind
    else {
        panic!("{:?}", d.events[2]);
    };
    assert_eq!(*purpose, Purpose::Registration);
    assert_eq!(challenge.expires_at(), T0 + 180);
    assert_eq!(d.events.len(), 3);
    let [
        Effect::SendOtp {
            phone: to,
            purpose,
            code,
            expires_at,
        },
    ] = d.effects.as_slice()
    else {
        panic!("{:?}", d.effects);
    };
    assert_eq!(
        (to, *purpose, *expires_at),
        (&phone(), Purpose::Registration, T0 + 180)
    );
    assert_eq!(code.expose_secret().len(), 6);
    assert!(code.expose_secret().bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(w.state.phase(), Phase::RegistrationOtp);
    // The phone is the account's only once its code is verified.
    assert_eq!(w.state.phone(), None);
    assert_eq!(w.state.pending_phone(), Some(&phone()));

    w.advance(30);
    let d = w.run(Action::VerifyOtp { code: w.code() });
    assert!(matches!(
        &d.events[0].kind,
        EventKind::OtpVerified { next: Some(Flow::Registration { step: RegistrationStep::Password }), challenge }
            if challenge.status() == eid_otp::ChallengeStatus::Used
    ));
    assert_eq!(w.state.phone(), Some(&phone()));
    assert_eq!(w.state.pending_phone(), None);

    let d = w.run(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    assert!(matches!(
        kinds(&d).as_slice(),
        [EventKind::PasswordSet { hash }, EventKind::AppAccountCreated] if hash.0.starts_with("$argon2id$")
    ));
    assert_eq!(d.notices, vec![Notice::PasswordSetUp]);
    assert_eq!(
        d.notices[0].vi(),
        "Thiết lập mật khẩu thành công. Bạn có thể đăng nhập bằng mật khẩu vừa thiết lập"
    );
    assert_eq!(w.state.level(), AccountLevel::AppAccount);
    assert_eq!(w.state.phase(), Phase::AppAccount);
    assert_eq!(w.state.details(), Some(&details));
    assert!(w.state.services().is_empty());
}

#[test]
fn registration_with_details_typed_by_hand() {
    let mut w = World::new();
    let d = w.run(register_action(
        DetailsInput::Manual(manual_details()),
        true,
    ));
    assert_eq!(
        d.events[1].kind,
        EventKind::DetailsVerified {
            details: manual_details(),
            source: DetailsSource::Manual
        }
    );
}

/// A refused registration leaves nothing behind: no event, no account.
fn refused_registration(w: &mut World, details: DetailsInput, terms: bool) -> AccountError {
    let r = w.refuse(register_action(details, terms));
    assert!(r.events.is_empty(), "{:?}", r.events);
    assert_eq!(w.state, Account::default());
    assert!(w.log.is_empty());
    r.error
}

#[test]
fn registration_refuses_without_the_terms() {
    let mut w = World::new();
    let e = refused_registration(&mut w, DetailsInput::Manual(manual_details()), false);
    assert_eq!(e, AccountError::TermsNotAccepted);
    assert_eq!(
        e.vi(),
        "Bạn cần đồng ý với Điều khoản sử dụng ứng dụng và dịch vụ."
    );
}

#[test]
fn registry_mismatch_names_the_fields_and_the_citizen_can_correct_them() {
    let mut w = World::new();
    w.registry = Some(RegistryAnswer::Mismatch(vec![
        FieldMismatch {
            field: DetailField::FullName,
        },
        FieldMismatch {
            field: DetailField::DateOfBirth,
        },
    ]));
    let e = refused_registration(&mut w, DetailsInput::Manual(manual_details()), true);
    assert!(matches!(&e, AccountError::RegistryMismatch(f) if f.len() == 2));
    assert_eq!(
        e.vi(),
        "Thông tin không khớp với Cơ sở dữ liệu Quốc gia về Dân cư: Họ và tên, Ngày/Tháng/Năm sinh. Kiểm tra lại thông tin tài khoản so với thông tin trên giấy tờ tùy thân. Trường hợp thông tin tài khoản đã chính xác thì đề nghị bạn liên hệ Công an Xã/Phường/Thị trấn nơi đăng ký thường trú (hộ khẩu) để được cập nhật, bổ sung thông tin vào Cơ sở dữ liệu Quốc gia về Dân cư."
    );
    assert!(e.en().contains("full name, date of birth"));
    // An unauthenticated caller is told no field: one undifferentiated notice.
    assert_eq!(e.for_unauthenticated(), AccountError::NotInRegistry);
    assert_eq!(e.for_unauthenticated().vi(), MSG_REGISTRY_UPDATE);
    // Corrected: accepted.
    w.registry = Some(RegistryAnswer::Match);
    w.start_registration();
    assert_eq!(w.state.phase(), Phase::RegistrationOtp);
}

#[test]
fn registry_not_found_asks_the_police_to_update_the_database() {
    let mut w = World::new();
    w.registry = Some(RegistryAnswer::NotFound);
    let e = refused_registration(&mut w, DetailsInput::Manual(manual_details()), true);
    assert_eq!(e, AccountError::NotInRegistry);
    assert_eq!(e.vi(), MSG_REGISTRY_UPDATE);
    assert!(e.vi().contains("liên hệ Công an Xã/Phường/Thị trấn"));
}

#[test]
fn registry_without_an_answer_is_refused() {
    let mut w = World::new();
    w.registry = None;
    let e = refused_registration(&mut w, DetailsInput::Manual(manual_details()), true);
    assert_eq!(e, AccountError::RegistryUnavailable);
}

#[test]
fn a_qr_code_of_another_card_is_refused() {
    let mut w = World::new();
    let other = cccd::qr::QrData::parse(
        "001099012345||Nguyễn Văn An|15031999|Nam|Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội|01072021"
            .as_bytes(),
    )
    .unwrap();
    let e = refused_registration(
        &mut w,
        DetailsInput::Qr {
            qr: other,
            street_address: None,
            permanent_residence: None,
        },
        true,
    );
    assert_eq!(e, AccountError::CardMismatch);
}

#[test]
fn a_second_registration_never_breaks_the_one_in_progress() {
    let mut w = World::new();
    w.start_registration();
    let code = w.code();
    w.advance(30);
    // Someone else (the same details, another phone) while her code is live.
    let r = w.refuse(Action::Register {
        id_number: id(),
        phone: Phone::parse("0911111111").unwrap(),
        details: qr_details(),
        terms_accepted: true,
        terms_version: TERMS.into(),
    });
    assert_eq!(r.error, AccountError::FlowInProgress { seconds_left: 150 });
    assert!(r.events.is_empty());
    // Her code still works, and her phone becomes the account's.
    w.run(Action::VerifyOtp { code });
    assert_eq!(w.state.phone(), Some(&phone()));
    // Once her code has lapsed, a registration may start over.
    let mut w = World::new();
    w.start_registration();
    w.advance(180);
    w.run(Action::Register {
        id_number: id(),
        phone: Phone::parse("0911111111").unwrap(),
        details: qr_details(),
        terms_accepted: true,
        terms_version: TERMS.into(),
    });
    assert_eq!(
        w.state.pending_phone(),
        Some(&Phone::parse("0911111111").unwrap())
    );
}

#[test]
fn resend_waits_for_the_cooldown_and_kills_the_old_code() {
    let mut w = World::new();
    w.start_registration();
    let first = w.code();
    w.advance(30);
    let r = w.refuse(Action::ResendOtp);
    assert_eq!(r.error, AccountError::OtpCooldown { seconds_left: 30 });
    assert_eq!(r.error.vi(), "Vui lòng đợi 30 giây trước khi gửi lại mã.");
    w.advance(30);
    let d = w.run(Action::ResendOtp);
    assert!(
        matches!(kinds(&d).as_slice(), [EventKind::OtpResent { challenge, .. }] if challenge.sends() == 2 && challenge.expires_at() == T0 + 60 + 180)
    );
    assert!(
        matches!(&d.effects[..], [Effect::SendOtp { purpose: Purpose::Registration, expires_at, .. }] if *expires_at == T0 + 240)
    );
    let second = w.code();
    assert_ne!(first, second);
    // The old code is dead and costs a try (recorded).
    let r = w.refuse(Action::VerifyOtp { code: first });
    assert_eq!(r.error, AccountError::WrongOtp { tries_left: 4 });
    assert!(
        matches!(rkinds(&r).as_slice(), [EventKind::OtpRejected { challenge }] if challenge.wrong_tries() == 1)
    );
    w.run(Action::VerifyOtp { code: second });
    assert_eq!(w.state.phase(), Phase::RegistrationPassword);
}

#[test]
fn an_expired_code_is_refused_and_a_resend_gives_a_fresh_one() {
    let mut w = World::new();
    w.start_registration();
    w.advance(180);
    let r = w.refuse(Action::VerifyOtp { code: w.code() });
    assert_eq!(r.error, AccountError::OtpExpired);
    assert!(r.events.is_empty());
    assert_eq!(
        r.error.vi(),
        "Mã OTP đã quá hạn sử dụng, vui lòng nhấn \"Gửi lại mã\"."
    );
    w.run(Action::ResendOtp);
    w.run(Action::VerifyOtp { code: w.code() });
    assert_eq!(w.state.phase(), Phase::RegistrationPassword);
}

#[test]
fn five_wrong_codes_kill_the_challenge_and_registration_starts_again() {
    let mut w = World::new();
    w.start_registration();
    for left in (0..5).rev() {
        let r = w.refuse(Action::VerifyOtp {
            code: w.wrong_code(),
        });
        assert_eq!(r.error, AccountError::WrongOtp { tries_left: left });
        assert_eq!(r.events.len(), 1);
    }
    let r = w.refuse(Action::VerifyOtp { code: w.code() });
    assert_eq!(r.error, AccountError::OtpExhausted);
    let r = w.refuse(Action::ResendOtp);
    assert_eq!(r.error, AccountError::OtpExhausted);
    // A dead challenge leaves no live flow: registration starts again.
    w.start_registration();
    assert_eq!(w.state.phase(), Phase::RegistrationOtp);
    w.run(Action::VerifyOtp { code: w.code() });
}

#[test]
fn the_password_follows_the_vneid_rule_and_its_confirmation() {
    let mut w = World::new();
    w.start_registration();
    w.run(Action::VerifyOtp { code: w.code() });
    let r = w.refuse(Action::SetPassword {
        password: s("ngoc123"),
        confirmation: s("ngoc123"),
    });
    assert_eq!(
        r.error,
        AccountError::PasswordRefused(vec![
            PasswordReason::TooShort { min: 8 },
            PasswordReason::NoUppercase,
            PasswordReason::NoSpecial {
                allowed: "!@#$^*_".into()
            },
        ])
    );
    assert_eq!(
        r.error.vi(),
        "Mật khẩu phải có ít nhất 8 ký tự. Mật khẩu phải có ít nhất một chữ cái viết hoa. Mật khẩu phải có ít nhất một ký tự đặc biệt (!@#$^*_)."
    );
    let r = w.refuse(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s("Ngọc@1234567"),
    });
    assert_eq!(
        r.error,
        AccountError::PasswordRefused(vec![PasswordReason::ConfirmationMismatch])
    );
    assert_eq!(r.error.vi(), "Mật khẩu nhập lại không khớp.");
    w.run(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
}

#[test]
fn registration_steps_cannot_be_skipped_or_repeated() {
    let mut w = World::new();
    let r = w.refuse(Action::VerifyOtp { code: s("123456") });
    assert_eq!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::Unregistered,
            command: CommandKind::VerifyOtp
        }
    );
    w.start_registration();
    let r = w.refuse(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    assert_eq!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::RegistrationOtp,
            command: CommandKind::SetPassword
        }
    );
    assert_eq!(
        r.error.vi(),
        "Bước này không thể thực hiện lúc này, vui lòng làm theo đúng thứ tự các bước."
    );
    let r = w.refuse(register_action(
        DetailsInput::Manual(manual_details()),
        true,
    ));
    assert!(matches!(r.error, AccountError::FlowInProgress { .. }));
    let code = w.code();
    w.run(Action::VerifyOtp { code: code.clone() });
    let r = w.refuse(Action::VerifyOtp { code });
    assert_eq!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::RegistrationPassword,
            command: CommandKind::VerifyOtp
        }
    );
    w.run(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    let r = w.refuse(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    assert!(matches!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::AppAccount,
            ..
        }
    ));
    let r = w.refuse(register_action(qr_details(), true));
    assert_eq!(r.error, AccountError::AlreadyRegistered);
    assert_eq!(r.error.vi(), "Số định danh cá nhân đã đăng ký tài khoản.");
}

#[test]
fn a_stale_command_is_refused() {
    let mut w = World::new();
    w.start_registration();
    let r = w
        .try_run_at(0, register_action(qr_details(), true))
        .unwrap_err();
    assert_eq!(
        r.error,
        AccountError::VersionConflict {
            expected: 0,
            actual: 3
        }
    );
    assert!(r.events.is_empty());
}

#[test]
fn phone_numbers_are_normalised() {
    assert_eq!(Phone::parse("+84 987 654 321").unwrap(), phone());
    assert_eq!(Phone::parse("84987654321").unwrap(), phone());
    assert_eq!(Phone::parse("098.765.4321").unwrap(), phone());
    assert_eq!(Phone::parse("12345"), Err(AccountError::InvalidPhone));
    assert_eq!(Phone::parse("0987a54321"), Err(AccountError::InvalidPhone));
}

// ---------------------------------------------------------------- 2. Login

#[test]
fn login_with_the_id_number_or_the_phone_number() {
    let mut w = World::new();
    w.registered();
    w.advance(100);
    let d = w.run(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    let session = d.session().unwrap();
    assert_eq!(
        kinds(&d),
        vec![EventKind::LoggedIn {
            session,
            device: device("phone-a"),
            expires_at: w.now + 1800
        }]
    );
    let d = w.run(Action::Login {
        login: LoginName::Phone(Phone::parse("+84987654321").unwrap()),
        password: s(PASSWORD),
        device: device("browser"),
    });
    assert!(d.session().is_some());
    assert_ne!(d.session(), Some(session));
    let d = w.run(Action::Logout { session });
    assert_eq!(kinds(&d), vec![EventKind::LoggedOut { session }]);
    let r = w.refuse(Action::Logout { session });
    assert_eq!(r.error, AccountError::NotLoggedIn);
    // Another person's phone number.
    let r = w.refuse(Action::Login {
        login: LoginName::Phone(Phone::parse("0912345678").unwrap()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::WrongCredentials);
}

#[test]
fn failed_logins_lock_out_with_growing_backoff() {
    let mut w = World::new();
    w.registered();
    let wrong = || Action::Login {
        login: LoginName::IdNumber(id()),
        password: s("Sai@12345"),
        device: device("phone-a"),
    };
    for n in 1..=4 {
        let r = w.refuse(wrong());
        assert_eq!(r.error, AccountError::WrongCredentials);
        assert_eq!(
            rkinds(&r),
            vec![EventKind::LoginFailed {
                failures: n,
                known_device: false
            }]
        );
    }
    assert_eq!(
        AccountError::WrongCredentials.vi(),
        "Thông tin đăng nhập hoặc mật khẩu không đúng."
    );
    let r = w.refuse(wrong());
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 300 });
    assert_eq!(
        rkinds(&r),
        vec![
            EventKind::LoginFailed {
                failures: 5,
                known_device: false
            },
            EventKind::LoginLockedOut {
                until: w.now + 300,
                lockouts: 1,
                known_device: false
            }
        ]
    );
    // Even the right password waits.
    w.advance(100);
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 200 });
    assert!(r.events.is_empty());
    assert_eq!(
        r.error.vi(),
        "Bạn đã đăng nhập sai quá số lần cho phép, vui lòng thử lại sau 200 giây."
    );
    // The next lockout lasts twice as long.
    w.advance(200);
    for _ in 1..=4 {
        w.refuse(wrong());
    }
    let r = w.refuse(wrong());
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 600 });
    w.advance(600);
    w.login_on("phone-a");
    // A success starts again from the first lockout.
    for _ in 1..=4 {
        w.refuse(wrong());
    }
    let r = w.refuse(wrong());
    assert_eq!(r.error, AccountError::LoginLockedOut { seconds_left: 300 });
}

#[test]
fn the_lockout_policy_is_configurable() {
    let policy = LockoutPolicy::default()
        .with_max_failures(2)
        .with_base_secs(60)
        .with_max_secs(100);
    assert_eq!(policy.duration(0), 60);
    assert_eq!(policy.duration(1), 100);
    assert_eq!(policy.duration(u32::MAX), 100);
    let d = LockoutPolicy::default();
    assert_eq!((d.max_failures, d.base_secs, d.max_secs), (5, 300, 86_400));
    let mut w = World::with_policies(Policies::default().with_lockout(policy));
    w.registered();
    let wrong = || Action::Login {
        login: LoginName::IdNumber(id()),
        password: s("Sai@12345"),
        device: device("phone-a"),
    };
    w.refuse(wrong());
    assert_eq!(
        w.refuse(wrong()).error,
        AccountError::LoginLockedOut { seconds_left: 60 }
    );
}

#[test]
fn forgotten_password_is_reset_by_otp() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    // Locked out by failures first: the reset is the way out.
    for _ in 0..5 {
        w.refuse(Action::Login {
            login: LoginName::IdNumber(id()),
            password: s("Sai@12345"),
            device: device("phone-a"),
        });
    }
    w.advance(61);
    let d = w.run(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    assert!(matches!(
        kinds(&d).as_slice(),
        [
            EventKind::PasswordResetStarted,
            EventKind::OtpIssued {
                purpose: Purpose::PasswordReset,
                ..
            }
        ]
    ));
    assert!(matches!(
        &d.effects[..],
        [Effect::SendOtp {
            purpose: Purpose::PasswordReset,
            ..
        }]
    ));
    let r = w.refuse(Action::SetPassword {
        password: s("Lan@Hà2024!"),
        confirmation: s("Lan@Hà2024!"),
    });
    assert!(matches!(r.error, AccountError::StepOutOfOrder { .. }));
    let d = w.run(Action::VerifyOtp { code: w.code() });
    assert!(matches!(
        &d.events[0].kind,
        EventKind::OtpVerified {
            next: Some(Flow::PasswordReset {
                step: ResetStep::NewPassword
            }),
            ..
        }
    ));
    let d = w.run(Action::SetPassword {
        password: s("Lan@Hà2024!"),
        confirmation: s("Lan@Hà2024!"),
    });
    assert!(matches!(
        kinds(&d).as_slice(),
        [
            EventKind::PasswordSet { .. },
            EventKind::PasswordResetCompleted
        ]
    ));
    // Sessions ended, lockout lifted, old password gone.
    let r = w.refuse(Action::Logout { session });
    assert_eq!(r.error, AccountError::NotLoggedIn);
    assert_eq!(w.state.locked_out_until(), 0);
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::WrongCredentials);
    w.run(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s("Lan@Hà2024!"),
        device: device("phone-a"),
    });
}

#[test]
fn a_reset_needs_the_registered_phone() {
    let mut w = World::new();
    w.registered();
    let r = w.refuse(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: Phone::parse("0912345678").unwrap(),
    });
    assert_eq!(r.error, AccountError::IdOrPhoneMismatch);
    assert_eq!(
        r.error.vi(),
        "Số định danh cá nhân hoặc số điện thoại không đúng."
    );
}

#[test]
fn once_security_questions_exist_a_reset_asks_them() {
    let mut w = World::new();
    w.active_level1();
    w.advance(1000);
    w.run(Action::RequestPasswordReset {
        login: LoginName::Phone(phone()),
        phone: phone(),
    });
    let d = w.run(Action::VerifyOtp { code: w.code() });
    assert!(matches!(
        &d.events[0].kind,
        EventKind::OtpVerified {
            next: Some(Flow::PasswordReset {
                step: ResetStep::Answers
            }),
            ..
        }
    ));
    let r = w.refuse(Action::SetPassword {
        password: s("Lan@Hà2024!"),
        confirmation: s("Lan@Hà2024!"),
    });
    assert!(matches!(r.error, AccountError::StepOutOfOrder { .. }));
    // Answers are case-sensitive.
    let r = w.refuse(Action::AnswerSecurityQuestions {
        answers: vec![
            ("first_pet".into(), s("mực")),
            ("favourite_food".into(), s("Phở bò")),
        ],
    });
    assert_eq!(r.error, AccountError::WrongAnswers { tries_left: 2 });
    assert_eq!(
        rkinds(&r),
        vec![EventKind::SecurityAnswersRejected { failures: 1 }]
    );
    let d = w.run(Action::AnswerSecurityQuestions {
        answers: vec![
            ("favourite_food".into(), s("Phở bò")),
            ("first_pet".into(), s("Mực")),
        ],
    });
    assert_eq!(kinds(&d), vec![EventKind::SecurityAnswersAccepted]);
    w.run(Action::SetPassword {
        password: s("Lan@Hà2024!"),
        confirmation: s("Lan@Hà2024!"),
    });
    assert_eq!(w.state.phase(), Phase::Active);
}

#[test]
fn three_wrong_answers_cancel_the_reset() {
    let mut w = World::new();
    w.active_level1();
    w.run(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    w.run(Action::VerifyOtp { code: w.code() });
    let wrong = || Action::AnswerSecurityQuestions {
        answers: vec![("first_pet".into(), s("Vàng"))],
    };
    w.refuse(wrong());
    w.refuse(wrong());
    let r = w.refuse(wrong());
    assert_eq!(r.error, AccountError::WrongAnswers { tries_left: 0 });
    assert_eq!(
        rkinds(&r),
        vec![
            EventKind::SecurityAnswersRejected { failures: 3 },
            EventKind::PasswordResetAborted
        ]
    );
    assert_eq!(w.state.flow(), None);
    let r = w.refuse(Action::AnswerSecurityQuestions {
        answers: World::questions(),
    });
    assert!(matches!(r.error, AccountError::StepOutOfOrder { .. }));
}

#[test]
fn an_account_without_a_password_cannot_log_in() {
    let mut w = World::new();
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    let r = w.refuse(Action::Login {
        login: LoginName::IdNumber(id()),
        password: s(PASSWORD),
        device: device("phone-a"),
    });
    // The same answer as a wrong password: a login tells nothing about
    // what the account holds.
    assert_eq!(r.error, AccountError::WrongCredentials);
    assert!(r.events.is_empty());
    let r = w.refuse(Action::RequestPasswordReset {
        login: LoginName::IdNumber(id()),
        phone: phone(),
    });
    assert_eq!(r.error, AccountError::NoPassword);
}

/// A refused passcode (seed 004's own example, 121212) tells why and then
/// gives seed 003's hint, in Vietnamese and in English.
#[test]
fn passcode_refusal_carries_the_seed_hint() {
    let reasons = eid_credentials::PasscodePolicy::default()
        .reasons("121212", &eid_credentials::PersonalInfo::default());
    let e = AccountError::PasscodeRefused(reasons);
    assert!(
        e.vi().ends_with(
            "Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các chữ số quá dễ đoán."
        ),
        "{}",
        e.vi()
    );
    assert!(e.vi().contains("121212"), "{}", e.vi());
    assert!(
        e.en().ends_with("digits that are too easy to guess."),
        "{}",
        e.en()
    );
}

/// Typed text may arrive decomposed (NFD): a typed "Nữ" is read as female,
/// and the name and residence are recorded composed (NFC), the same text
/// as the card's.
#[test]
fn typed_details_are_nfc_normalised() {
    let nfd_nu = "Nu\u{31B}\u{303}"; // u, combining horn, combining tilde
    assert_ne!(nfd_nu, "Nữ");
    assert_eq!(parse_typed_sex(nfd_nu), Some(cccd::Sex::Female));
    assert_eq!(parse_typed_sex("Nữ"), Some(cccd::Sex::Female));
    assert_eq!(parse_typed_sex("female"), Some(cccd::Sex::Female));
    assert_eq!(parse_typed_sex("Nam"), Some(cccd::Sex::Male));
    assert_eq!(parse_typed_sex("Nu"), None);

    let composed = manual_details();
    let mut typed = composed.clone();
    typed.full_name = typed.full_name.nfd().collect();
    typed.permanent_residence = typed.permanent_residence.nfd().collect();
    assert_ne!(typed, composed, "the fixture must have diacritics");
    let mut w = World::new();
    let d = w.run(register_action(DetailsInput::Manual(typed), true));
    assert_eq!(
        d.events[1].kind,
        EventKind::DetailsVerified {
            details: composed,
            source: DetailsSource::Manual
        }
    );
}

/// 003's "Lưu ý": the residence may be the one now registered with the
/// police rather than the card's. Typed beside the QR data (here
/// decomposed, as some keyboards send it), it is the residence checked and
/// reported; the card's address is kept beside it.
#[test]
fn a_typed_residence_beside_the_qr_is_the_one_reported_and_the_cards_is_kept() {
    let moved = "Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội";
    let mut w = World::new();
    let d = w.run(register_action(
        DetailsInput::Qr {
            qr: qr(),
            street_address: None,
            permanent_residence: Some(moved.nfd().collect()),
        },
        true,
    ));
    let EventKind::DetailsVerified { details, source } = &d.events[1].kind else {
        panic!("{:?}", d.events[1]);
    };
    assert_eq!(*source, DetailsSource::Qr);
    assert_eq!(details.permanent_residence, moved);
    assert_eq!(
        details.card_residence.as_deref(),
        Some(qr().address.as_str())
    );
    assert_eq!(w.state.residence(), Some(moved));
    assert_eq!(w.state.card_residence(), Some(qr().address.as_str()));

    // Typed as the card writes it, it is the card's: nothing kept twice.
    let mut w = World::new();
    w.run(register_action(
        DetailsInput::Qr {
            qr: qr(),
            street_address: None,
            permanent_residence: Some(format!(" {} ", qr().address)),
        },
        true,
    ));
    assert_eq!(w.state.residence(), Some(qr().address.as_str()));
    assert_eq!(w.state.card_residence(), None);
}

#[test]
fn the_terms_version_accepted_is_recorded_and_required() {
    let mut w = World::new();
    w.start_registration();
    assert_eq!(w.state.terms_version(), Some(TERMS));
    let mut w = World::new();
    let r = w.refuse(Action::Register {
        id_number: id(),
        phone: phone(),
        details: qr_details(),
        terms_accepted: true,
        terms_version: String::new(),
    });
    assert_eq!(r.error, AccountError::InvalidField("terms_version"));
}

/// Events stored before the terms version, the office and the card's
/// residence were recorded still load (`#[serde(default)]`): the JSON as
/// the previous schema wrote it.
#[test]
fn events_written_before_the_new_fields_still_load() {
    let old = [
        r#"{"schema":1,"sequence":1,"at":1700000000,"kind":{"type":"registration_started","id_number":"001089005555","phone":"0987654321"}}"#,
        r#"{"schema":1,"sequence":2,"at":1700000000,"kind":{"type":"level2_dossier_recorded","officer":"CA-HN-042","card":{"source":"qr","id_number":"001089005555","full_name":"Nguyễn An Minh","date_of_birth":"1989-10-20","sex":"male"},"phone":"0977777777","documents":["health_insurance"]}}"#,
    ];
    let events: Vec<Event> = old
        .iter()
        .map(|j| serde_json::from_str(j).unwrap())
        .collect();
    let EventKind::RegistrationStarted { terms_version, .. } = &events[0].kind else {
        panic!("{:?}", events[0]);
    };
    assert_eq!(*terms_version, None);
    let state = fold(&events);
    assert_eq!(state.terms_version(), None);
    let d = state.dossier().unwrap();
    assert_eq!(d.office, None);
    assert_eq!(d.card.permanent_residence, None);
    assert_eq!(d.phone, Some(Phone::parse("0977777777").unwrap()));
    assert_eq!(state.phone(), Some(&Phone::parse("0977777777").unwrap()));
    assert_eq!(state.residence(), None);
}
