//! Flows 3, 4 and 5: level 1, level 2, activation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::common::*;
use eid_account::*;
use eid_credentials::PasscodeReason;
use eid_otp::Purpose;

const APPROVAL_SMS: &str = "Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan NGUYEN AN MINH da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan.";

// ---------------------------------------------------------------- 3. Level 1

#[test]
fn level1_dossier_submitted_then_approved_sends_the_sms() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    w.advance(50);
    let d = w.submit_level1(session);
    assert_eq!(
        kinds(&d),
        vec![EventKind::Level1DossierSubmitted {
            card: CardData::from_qr(&qr()),
            portrait: PhotoRef("sha256:abc".into()),
            email: Some("minh@example.vn".into()),
        }]
    );
    assert_eq!(
        d.effects,
        vec![Effect::NotifyOfficers {
            id_number: id(),
            notice: OfficerNotice::DossierToReview { level: Level::One }
        }]
    );
    let submitted_at = w.now;
    // Status query.
    let dossier = w.state.dossier().unwrap();
    assert_eq!(dossier.status, DossierStatus::Submitted);
    assert_eq!(
        (dossier.submitted_at, dossier.updated_at),
        (submitted_at, submitted_at)
    );
    assert_eq!(w.state.phase(), Phase::DossierSubmitted);
    assert_eq!(w.state.level(), AccountLevel::AppAccount);

    w.advance(3600);
    let d = w.run(Action::ApproveDossier { officer: officer() });
    assert_eq!(
        kinds(&d),
        vec![EventKind::DossierApproved {
            officer: officer(),
            level: Level::One
        }]
    );
    assert_eq!(
        d.effects,
        vec![Effect::SendSms {
            phone: phone(),
            kind: SmsKind::Approval,
            text: APPROVAL_SMS.into()
        }]
    );
    let dossier = w.state.dossier().unwrap();
    assert_eq!(dossier.status, DossierStatus::Approved);
    assert_eq!(dossier.updated_at, submitted_at + 3600);
    assert_eq!(
        w.state.level(),
        AccountLevel::Identified {
            level: Level::One,
            activated: false
        }
    );
    assert_eq!(w.state.phase(), Phase::Identified);
    // Nothing more to review.
    let r = w.refuse(Action::ApproveDossier { officer: officer() });
    assert_eq!(r.error, AccountError::NoDossierPending);
    // Already identified: no second level-1 dossier.
    let session = w.login_on("phone-a");
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session,
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("p".into()),
        email: None,
    });
    assert_eq!(r.error, AccountError::LevelAlreadyHeld);
}

#[test]
fn the_approval_sms_writes_the_name_without_diacritics() {
    assert_eq!(
        approval_sms("Trần Hoài Nam"),
        "Cuc Canh sat QLHC ve TTXH thong bao: Ho so dang ky tai khoan dinh danh dien tu cua cong dan TRAN HOAI NAM da duoc phe duyet. De nghi truy cap ung dung VNeID hoac dia chi https://vneid.gov.vn de kich hoat tai khoan."
    );
    assert!(approval_sms("Đỗ Đức  Trịnh").contains("cong dan DO DUC TRINH da duoc"));
}

#[test]
fn level1_from_the_chip_read_by_nfc() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    let q = qr();
    let dg13 = cccd::dg13::Dg13Data {
        id_number: ID.into(),
        full_name: q.full_name.clone(),
        date_of_birth: q.date_of_birth,
        sex: q.sex,
        nationality: "Việt Nam".into(),
        ethnicity: "Kinh".into(),
        religion: "Không".into(),
        place_of_origin: "Hà Nội".into(),
        place_of_residence: q.address.clone(),
        identifying_marks: "Nốt ruồi".into(),
        issue_date: q.issue_date,
        date_of_expiry: None,
        father_name: "Nguyễn Văn B".into(),
        mother_name: "Trần Thị C".into(),
        spouse_name: None,
        old_id_number: None,
    };
    let card = CardData::from_dg13(&dg13).unwrap();
    assert_eq!(card.source, ChipSource::Nfc);
    let d = w.run(Action::SubmitLevel1Dossier {
        session,
        card: card.clone(),
        portrait: PhotoRef("sha256:abc".into()),
        email: None,
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::Level1DossierSubmitted {
            card,
            portrait: PhotoRef("sha256:abc".into()),
            email: None
        }]
    );
}

#[test]
fn a_dossier_not_accepted_is_created_again() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    w.submit_level1(session);
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session,
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("sha256:def".into()),
        email: None,
    });
    assert_eq!(r.error, AccountError::DossierPending);
    assert_eq!(r.error.vi(), "Hồ sơ của bạn đang chờ xử lý.");
    w.advance(100);
    let d = w.run(Action::RejectDossier {
        officer: officer(),
        reason: RejectionReason::PhotoBelowStandard,
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::DossierNotAccepted {
            officer: officer(),
            reason: RejectionReason::PhotoBelowStandard
        }]
    );
    assert!(d.effects.is_empty());
    let DossierStatus::NotAccepted { reason } = &w.state.dossier().unwrap().status else {
        panic!()
    };
    assert_eq!(
        reason.vi(),
        "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn."
    );
    assert_eq!(w.state.phase(), Phase::DossierNotAccepted);
    // "Tạo lại hồ sơ".
    w.run(Action::SubmitLevel1Dossier {
        session,
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("sha256:def".into()),
        email: None,
    });
    assert_eq!(w.state.dossier().unwrap().status, DossierStatus::Submitted);
    assert_eq!(
        w.state.dossier().unwrap().portrait,
        Some(PhotoRef("sha256:def".into()))
    );
}

#[test]
fn level1_needs_a_live_session_and_matching_card() {
    let mut w = World::new();
    w.registered();
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session: SessionId(12345),
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("p".into()),
        email: None,
    });
    assert_eq!(r.error, AccountError::NotLoggedIn);
    assert_eq!(r.error.vi(), "Vui lòng đăng nhập để tiếp tục.");
    let session = w.login_on("phone-a");
    let mut other = CardData::from_qr(&qr());
    other.full_name = "Nguyễn Văn An".into();
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session,
        card: other,
        portrait: PhotoRef("p".into()),
        email: None,
    });
    assert_eq!(r.error, AccountError::CardMismatch);
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session,
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("p".into()),
        email: Some("not an email".into()),
    });
    assert_eq!(r.error, AccountError::InvalidField("email"));
    w.advance(1800);
    let r = w.refuse(Action::SubmitLevel1Dossier {
        session,
        card: CardData::from_qr(&qr()),
        portrait: PhotoRef("p".into()),
        email: None,
    });
    assert_eq!(r.error, AccountError::NotLoggedIn);
}

// ---------------------------------------------------------------- 4. Level 2

#[test]
fn level2_recorded_in_person_without_an_app_account_then_activated_with_a_password() {
    let mut w = World::new();
    let d = w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![
            IntegratedDocument::HealthInsurance,
            IntegratedDocument::DrivingLicence,
        ],
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::Level2DossierRecorded {
            officer: officer(),
            office: Some(office()),
            card: CardData::from_qr(&qr()),
            phone: phone(),
            documents: vec![
                IntegratedDocument::HealthInsurance,
                IntegratedDocument::DrivingLicence
            ],
        }]
    );
    assert_eq!(
        d.effects,
        vec![Effect::NotifyOfficers {
            id_number: id(),
            notice: OfficerNotice::DossierToReview { level: Level::Two }
        }]
    );
    assert_eq!(w.state.phase(), Phase::DossierSubmitted);
    let d = w.run(Action::ApproveDossier { officer: officer() });
    assert_eq!(
        kinds(&d),
        vec![EventKind::DossierApproved {
            officer: officer(),
            level: Level::Two
        }]
    );
    assert_eq!(
        d.effects,
        vec![Effect::SendSms {
            phone: phone(),
            kind: SmsKind::Approval,
            text: APPROVAL_SMS.into()
        }]
    );
    // No app account: registering is refused, activation sets the password.
    let r = w.refuse(register_action(qr_details(), true));
    assert_eq!(r.error, AccountError::AlreadyRegistered);
    w.start_activation("phone-a");
    let d = w.run(Action::VerifyOtp { code: w.code() });
    assert!(matches!(
        &d.events[0].kind,
        EventKind::OtpVerified {
            next: Some(Flow::Activation {
                step: ActivationStep::Password,
                ..
            }),
            ..
        }
    ));
    assert_eq!(w.state.phase(), Phase::ActivationPassword);
    let r = w.refuse(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    assert!(matches!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::ActivationPassword,
            ..
        }
    ));
    let d = w.run(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    assert!(matches!(
        kinds(&d).as_slice(),
        [EventKind::PasswordSet { .. }]
    ));
    assert_eq!(w.state.phase(), Phase::ActivationPasscode);
    w.run(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    w.run(Action::SetSecurityQuestions {
        answers: World::questions(),
    });
    assert_eq!(
        w.state.level(),
        AccountLevel::Identified {
            level: Level::Two,
            activated: true
        }
    );
    assert_eq!(w.state.services(), Service::ALL.to_vec());
    w.login_on("phone-a");
}

#[test]
fn level2_on_an_app_account_skips_level1() {
    let mut w = World::new();
    w.registered();
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    w.run(Action::ApproveDossier { officer: officer() });
    assert_eq!(
        w.state.level(),
        AccountLevel::Identified {
            level: Level::Two,
            activated: false
        }
    );
    let r = w.refuse(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    assert_eq!(r.error, AccountError::LevelAlreadyHeld);
}

#[test]
fn level2_upgrades_an_active_level1_account_without_a_new_activation() {
    let mut w = World::new();
    w.active_level1();
    assert_eq!(w.state.services().len(), 5);
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![IntegratedDocument::VehicleRegistration],
    });
    assert_eq!(w.state.phase(), Phase::Active);
    let d = w.run(Action::ApproveDossier { officer: officer() });
    assert!(
        d.effects.is_empty(),
        "no activation SMS for an active account"
    );
    assert_eq!(
        w.state.level(),
        AccountLevel::Identified {
            level: Level::Two,
            activated: true
        }
    );
    assert_eq!(w.state.services().len(), 7);
}

#[test]
fn a_level2_appointment_is_booked_and_cancelled() {
    let mut w = World::new();
    w.registered();
    let session = w.login_on("phone-a");
    let r = w.refuse(Action::BookAppointment {
        session,
        office: "Công an phường Láng Hạ".into(),
        at: w.now,
    });
    assert_eq!(r.error, AccountError::AppointmentInPast);
    let at = w.now + 86_400;
    let d = w.run(Action::BookAppointment {
        session,
        office: "Công an phường Láng Hạ".into(),
        at,
    });
    assert_eq!(
        kinds(&d),
        vec![EventKind::AppointmentBooked {
            office: "Công an phường Láng Hạ".into(),
            at
        }]
    );
    assert_eq!(
        d.effects,
        vec![Effect::NotifyOfficers {
            id_number: id(),
            notice: OfficerNotice::AppointmentBooked {
                office: "Công an phường Láng Hạ".into(),
                at
            }
        }]
    );
    assert_eq!(
        w.state.appointment(),
        Some(&Appointment {
            office: "Công an phường Láng Hạ".into(),
            at
        })
    );
    let d = w.run(Action::CancelAppointment { session });
    assert_eq!(kinds(&d), vec![EventKind::AppointmentCancelled]);
    let r = w.refuse(Action::CancelAppointment { session });
    assert_eq!(r.error, AccountError::NoAppointment);
    // Booked again, then kept at the office: recording ends it.
    w.run(Action::BookAppointment {
        session,
        office: "Công an phường Láng Hạ".into(),
        at,
    });
    w.advance(86_400);
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card: CardData::from_qr(&qr()),
        phone: phone(),
        documents: vec![],
    });
    assert_eq!(w.state.appointment(), None);
}

// ---------------------------------------------------------------- 5. Activation

#[test]
fn activation_of_an_app_account_only_says_it_is_not_identified() {
    let mut w = World::new();
    w.registered();
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::NotIdentified);
    assert_eq!(
        r.error.vi(),
        "Tài khoản của bạn chưa được định danh điện tử"
    );
    assert!(r.events.is_empty());
}

#[test]
fn activation_of_an_activated_account_says_so() {
    let mut w = World::new();
    w.active_level1();
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-b"),
    });
    assert_eq!(r.error, AccountError::AlreadyActivated);
    assert_eq!(r.error.vi(), "Tài khoản của bạn đã thực hiện kích hoạt");
}

#[test]
fn activation_needs_the_registered_phone() {
    let mut w = World::new();
    w.approved_level1();
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: Phone::parse("0912345678").unwrap(),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::IdOrPhoneMismatch);
}

#[test]
fn activation_on_a_free_device_with_an_app_account_skips_the_password() {
    let mut w = World::new();
    w.approved_level1();
    w.advance(600);
    let d = w.start_activation("phone-a");
    assert_eq!(d.notices, vec![Notice::ActivateOnThisDevice]);
    assert_eq!(
        d.events[0].kind,
        EventKind::ActivationStarted {
            device: device("phone-a"),
            device_use: DeviceUse::Free
        }
    );
    assert!(matches!(
        &d.events[1].kind,
        EventKind::OtpIssued { purpose: Purpose::Activation, challenge, .. } if challenge.expires_at() == w.now + 180
    ));
    assert!(
        matches!(&d.effects[..], [Effect::SendOtp { purpose: Purpose::Activation, phone: p, .. }] if *p == phone())
    );
    assert_eq!(w.state.phase(), Phase::ActivationOtp);
    // Out of order before the OTP.
    let r = w.refuse(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    assert_eq!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::ActivationOtp,
            command: CommandKind::SetPasscode
        }
    );
    let d = w.run(Action::VerifyOtp { code: w.code() });
    assert!(matches!(
        &d.events[..],
        [e] if matches!(&e.kind, EventKind::OtpVerified { next: Some(Flow::Activation { step: ActivationStep::Passcode, device: dv }), .. } if *dv == device("phone-a"))
    ));
    let r = w.refuse(Action::SetPassword {
        password: s(PASSWORD),
        confirmation: s(PASSWORD),
    });
    assert!(matches!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::ActivationPasscode,
            ..
        }
    ));
    let r = w.refuse(Action::SetSecurityQuestions {
        answers: World::questions(),
    });
    assert!(matches!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::ActivationPasscode,
            ..
        }
    ));
    let d = w.run(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    assert!(
        matches!(kinds(&d).as_slice(), [EventKind::PasscodeSet { hash }] if hash.0.contains("keyid="))
    );
    // Repeating the passcode step is refused.
    let r = w.refuse(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    assert!(matches!(
        r.error,
        AccountError::StepOutOfOrder {
            phase: Phase::ActivationQuestions,
            ..
        }
    ));
    let d = w.run(Action::SetSecurityQuestions {
        answers: World::questions(),
    });
    let k = kinds(&d);
    assert!(
        matches!(&k[0], EventKind::SecurityQuestionsSet { questions } if questions.answers().len() == 2)
    );
    assert_eq!(
        k[1..],
        [
            EventKind::DeviceBound {
                device: device("phone-a")
            },
            EventKind::Activated { level: Level::One }
        ]
    );
    assert_eq!(d.notices, vec![Notice::Activated]);
    assert_eq!(
        d.notices[0].vi(),
        "Bạn đã kích hoạt tài khoản định danh điện tử thành công"
    );
    assert_eq!(w.state.phase(), Phase::Active);
    assert_eq!(w.state.device(), Some(&device("phone-a")));
    assert_eq!(
        w.state.security_question_ids(),
        vec!["first_pet", "favourite_food"]
    );
    // Log in with the ID number and the password.
    w.login_on("phone-a");
}

#[test]
fn activation_on_a_device_in_use_for_another_account_says_so_and_proceeds() {
    let mut w = World::new();
    w.approved_level1();
    w.device_use = Some(DeviceUse::InUseByOtherAccounts);
    let d = w.start_activation("family-phone");
    assert_eq!(d.notices, vec![Notice::ActivateOnAnotherDevice]);
    assert_eq!(
        d.notices[0].vi(),
        "Thiết bị đang được sử dụng cho một tài khoản định danh điện tử khác: kích hoạt tài khoản trên thiết bị khác"
    );
    assert_eq!(
        d.events[0].kind,
        EventKind::ActivationStarted {
            device: device("family-phone"),
            device_use: DeviceUse::InUseByOtherAccounts
        }
    );
    w.finish_activation();
    assert_eq!(w.state.device(), Some(&device("family-phone")));
}

#[test]
fn activation_without_the_device_check_is_refused() {
    let mut w = World::new();
    w.approved_level1();
    w.device_use = None;
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::DeviceCheckUnavailable);
}

#[test]
fn the_activation_code_lasts_three_minutes_and_can_be_resent() {
    let mut w = World::new();
    w.approved_level1();
    w.start_activation("phone-a");
    w.advance(180);
    let r = w.refuse(Action::VerifyOtp { code: w.code() });
    assert_eq!(r.error, AccountError::OtpExpired);
    let d = w.run(Action::ResendOtp);
    assert!(matches!(
        &d.effects[..],
        [Effect::SendOtp {
            purpose: Purpose::Activation,
            ..
        }]
    ));
    w.advance(179);
    w.run(Action::VerifyOtp { code: w.code() });
    assert_eq!(w.state.phase(), Phase::ActivationPasscode);
}

#[test]
fn the_passcode_avoids_the_birthday_and_easy_digits() {
    let mut w = World::new();
    w.approved_level1();
    w.start_activation("phone-a");
    w.run(Action::VerifyOtp { code: w.code() });
    // Born 20 October 1989.
    let r = w.refuse(Action::SetPasscode {
        passcode: s("201089"),
        confirmation: s("201089"),
    });
    assert_eq!(
        r.error,
        AccountError::PasscodeRefused(vec![PasscodeReason::DateOfBirth {
            layout: "DDMMYY".into()
        }])
    );
    assert_eq!(
        r.error.vi(),
        // The reason, then seed 003's hint (lines 491-492).
        "Passcode không được là ngày sinh của bạn (DDMMYY). Vui lòng tránh các chữ số \
         liên quan tới ngày sinh nhật, các chữ số quá dễ đoán."
    );
    let r = w.refuse(Action::SetPasscode {
        passcode: s("123456"),
        confirmation: s("123456"),
    });
    assert!(
        matches!(&r.error, AccountError::PasscodeRefused(v) if v.contains(&PasscodeReason::Ascending))
    );
    let r = w.refuse(Action::SetPasscode {
        passcode: s("48061"),
        confirmation: s("48061"),
    });
    assert!(
        matches!(&r.error, AccountError::PasscodeRefused(v) if v.contains(&PasscodeReason::NotSixDigits))
    );
    let r = w.refuse(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s("480614"),
    });
    assert_eq!(r.error, AccountError::PasscodeConfirmationMismatch);
    assert!(r.events.is_empty());
    w.run(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
}

#[test]
fn exactly_two_distinct_questions_from_the_list() {
    let mut w = World::new();
    w.approved_level1();
    w.start_activation("phone-a");
    w.run(Action::VerifyOtp { code: w.code() });
    w.run(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    let r = w.refuse(Action::SetSecurityQuestions {
        answers: vec![("first_pet".into(), s("Mực"))],
    });
    assert_eq!(
        r.error,
        AccountError::QuestionsRefused(QuestionsProblem::NotTwo)
    );
    assert_eq!(r.error.vi(), "Bạn cần chọn đúng hai câu hỏi bảo mật.");
    let r = w.refuse(Action::SetSecurityQuestions {
        answers: vec![
            ("first_pet".into(), s("Mực")),
            ("first_pet".into(), s("Vàng")),
        ],
    });
    assert_eq!(
        r.error,
        AccountError::QuestionsRefused(QuestionsProblem::SameTwice)
    );
    let r = w.refuse(Action::SetSecurityQuestions {
        answers: vec![
            ("first_pet".into(), s("Mực")),
            ("shoe_size".into(), s("42")),
        ],
    });
    assert_eq!(
        r.error,
        AccountError::QuestionsRefused(QuestionsProblem::Unknown("shoe_size".into()))
    );
    let r = w.refuse(Action::SetSecurityQuestions {
        answers: vec![
            ("first_pet".into(), s("Mực")),
            ("first_job".into(), s("   ")),
        ],
    });
    assert_eq!(
        r.error,
        AccountError::QuestionsRefused(QuestionsProblem::EmptyAnswer("first_job".into()))
    );
    assert!(!w.state.is_active());
    w.run(Action::SetSecurityQuestions {
        answers: World::questions(),
    });
    assert!(w.state.is_active());
}

#[test]
fn activation_can_start_over_and_a_double_activation_loses_the_race() {
    let mut w = World::new();
    w.approved_level1();
    w.start_activation("phone-a");
    w.run(Action::VerifyOtp { code: w.code() });
    // Another device cannot break the activation in progress: its later
    // steps stay open for `flow_secs` (600 s) after the OTP.
    w.advance(60);
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-b"),
    });
    assert_eq!(r.error, AccountError::FlowInProgress { seconds_left: 540 });
    assert!(r.events.is_empty());
    // Once lapsed, starting again (another device) restarts from the OTP.
    w.advance(540);
    w.start_activation("phone-b");
    assert_eq!(w.state.phase(), Phase::ActivationOtp);
    w.run(Action::VerifyOtp { code: w.code() });
    w.run(Action::SetPasscode {
        passcode: s(PASSCODE),
        confirmation: s(PASSCODE),
    });
    let version = w.state.version();
    w.run(Action::SetSecurityQuestions {
        answers: World::questions(),
    });
    // A second writer decided on the same version: refused.
    let r = w
        .try_run_at(
            version,
            Action::SetSecurityQuestions {
                answers: World::questions(),
            },
        )
        .unwrap_err();
    assert_eq!(
        r.error,
        AccountError::VersionConflict {
            expected: version,
            actual: version + 3
        }
    );
    assert_eq!(w.state.device(), Some(&device("phone-b")));
}

#[test]
fn starting_activation_again_waits_for_the_resend_cooldown() {
    // A restart while the code is pending is a resend: 60 s cooldown
    // (ChallengeConfig::default), no SMS before that.
    let mut w = World::new();
    w.approved_level1();
    w.start_activation("phone-a");
    w.advance(10);
    let r = w.refuse(Action::StartActivation {
        id_number: id(),
        phone: phone(),
        device: device("phone-a"),
    });
    assert_eq!(r.error, AccountError::OtpCooldown { seconds_left: 50 });
    assert!(r.events.is_empty());
    w.advance(50);
    let d = w.start_activation("phone-a");
    assert_eq!(d.effects.len(), 1);
    assert_eq!(w.state.phase(), Phase::ActivationOtp);
}

/// Seed 003 (the VNeID guide) as stored in ../shared/seeds/003_*.txt, or
/// `None` when ../shared is absent (a packaged crate).
fn seed_003() -> Option<String> {
    let dir = shared_path("seeds")?;
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("003_"))
        .unwrap();
    // The seed breaks lines inside sentences; compare on single spaces.
    Some(
        std::fs::read_to_string(path)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The dossier's status and the rejection reason read as seed 003 writes
/// them (lines 414-440), and each has an English text.
#[test]
fn dossier_status_messages_are_the_seed_text() {
    let Some(seed) = seed_003() else {
        return;
    };
    let not_accepted = DossierStatus::NotAccepted {
        reason: RejectionReason::PhotoBelowStandard,
    };
    for (status, phrase) in [
        (DossierStatus::Submitted, "Đã gửi xử lý hồ sơ"),
        (DossierStatus::Approved, "Hồ sơ được phê duyệt"),
        (not_accepted.clone(), "Hồ sơ không đạt"),
        (
            not_accepted.clone(),
            "Hồ sơ không đảm bảo điều kiện để đăng ký",
        ),
        (
            not_accepted.clone(),
            "Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.",
        ),
    ] {
        assert!(seed.contains(phrase), "not in seed 003: {phrase}");
        assert!(status.message_vi().contains(phrase), "{status:?}");
        assert!(!status.message_en().is_empty());
    }
    assert!(
        not_accepted
            .message_en()
            .contains("photo is below standard")
    );
    // The passcode hint is the seed's too.
    assert!(seed.contains(eid_credentials::PASSCODE_HINT_VI.trim_end_matches('.')));
    // AccountError's names for the server.
    let e = AccountError::NotActivated;
    assert_eq!(e.message_vi(), e.vi());
    assert_eq!(e.message_en(), e.en());
}

/// 002 §2.2: a citizen whose card is being issued or renewed has no QR
/// code yet; the officer types the card's data (checked against the
/// registry by the caller). The dossier says so, keeps the office, and
/// the residence typed is the one reported.
#[test]
fn level2_for_a_card_being_issued_is_typed_by_the_officer() {
    let mut w = World::new();
    let q = qr();
    let card = CardData::typed(
        id(),
        &q.full_name,
        q.date_of_birth,
        q.sex,
        Some("Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội"),
    );
    assert_eq!(card.source, ChipSource::Typed);
    w.run(Action::RecordLevel2Dossier {
        officer: officer(),
        office: office(),
        card,
        phone: phone(),
        documents: vec![],
    });
    let d = w.state.dossier().unwrap();
    assert_eq!(d.card.source, ChipSource::Typed);
    assert_eq!(d.office.as_deref(), Some("Công an phường Láng Hạ"));
    assert_eq!(
        w.state.residence(),
        Some("Phường Láng Hạ, Quận Đống Đa, Thành phố Hà Nội")
    );
    let d = w.run(Action::ApproveDossier { officer: officer() });
    assert_eq!(
        d.effects,
        vec![Effect::SendSms {
            phone: phone(),
            kind: SmsKind::Approval,
            text: APPROVAL_SMS.into()
        }]
    );
}
