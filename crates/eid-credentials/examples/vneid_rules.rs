//! A password and a passcode checked against the VNeID rules, then hashed
//! with Argon2id as a server stores them:
//! `cargo run -p eid-credentials --example vneid_rules [PASSWORD [PASSCODE]]`.
//!
//! The defaults are seed 004's own examples ("Ví dụ: Ngọc@123456", "Ví
//! dụ: 121212"): the password passes; the passcode has the six digits the
//! seeds ask for, but seed 003's hint ("avoid digits too easy to guess")
//! makes this crate refuse it as a repeated pair.

use eid_credentials::{
    Date, Error, HashParams, Hasher, PASSCODE_HINT_VI, PasscodePolicy, PasswordPolicy, Pepper,
    PersonalInfo, SecretKind,
};

/// Seed 004's example password.
const SEED_PASSWORD: &str = "Ngọc@123456";
/// Seed 004's example passcode.
const SEED_PASSCODE: &str = "121212";

/// The holder the secrets are checked against (the name is the one in
/// seed 004's example password: it must pass all the same).
fn holder() -> Result<PersonalInfo, Error> {
    Ok(PersonalInfo {
        id_number: Some("001090012345".into()),
        phone: Some("0987654321".into()),
        full_name: Some("Nguyễn Thị Ngọc".into()),
        date_of_birth: Some("1990-08-15".parse::<Date>()?),
    })
}

/// One line per check: the verdict and each reason's stable code and
/// Vietnamese message; then the stored hash of what passed.
fn report(password: &str, passcode: &str) -> Result<Vec<String>, Error> {
    let holder = holder()?;
    let mut lines = Vec::new();
    let mut verdict = |what: &str, reasons: Vec<(&'static str, String)>| {
        if reasons.is_empty() {
            lines.push(format!("{what}: accepted"));
        }
        for (code, message) in reasons {
            lines.push(format!("{what}: refused: {code}: {message}"));
        }
    };
    let password_reasons = PasswordPolicy::vneid().reasons(password, &holder);
    let password_ok = password_reasons.is_empty();
    verdict(
        "password",
        password_reasons
            .iter()
            .map(|r| (r.code(), r.message_vi()))
            .collect(),
    );
    let passcode_reasons = PasscodePolicy::default().reasons(passcode, &holder);
    let passcode_ok = passcode_reasons.is_empty();
    verdict(
        "passcode",
        passcode_reasons
            .iter()
            .map(|r| (r.code(), r.message_vi()))
            .collect(),
    );
    if !passcode_ok {
        lines.push(format!("passcode: {PASSCODE_HINT_VI}"));
    }
    // OWASP's minimum costs (the default), and a pepper: in production
    // both come from the server's configuration, never from the source.
    let hasher = Hasher::new(HashParams::default())?.with_pepper(Pepper::new(b"2026", &[42; 32])?);
    for (kind, what, secret, ok) in [
        (SecretKind::Password, "password", password, password_ok),
        (SecretKind::Passcode, "passcode", passcode, passcode_ok),
    ] {
        if ok {
            let phc = hasher.hash(kind, secret, &mut getrandom::SysRng)?;
            let verified = hasher.verify(kind, secret, &phc)?.is_match();
            lines.push(format!("{what} hash: {phc} (verifies: {verified})"));
        }
    }
    Ok(lines)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let password = args.next().unwrap_or_else(|| SEED_PASSWORD.into());
    let passcode = args.next().unwrap_or_else(|| SEED_PASSCODE.into());
    for line in report(&password, &passcode)? {
        println!("{line}");
    }
    Ok(())
}

#[test]
fn seed_examples() {
    let lines = report(SEED_PASSWORD, SEED_PASSCODE).unwrap();
    let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
    assert_eq!(lines[0], "password: accepted");
    // 121212 repeats "12" (and walks between neighbouring keys).
    assert!(has("passcode: refused: repeated_pair: "), "{lines:?}");
    // Seed 003, under the passcode screen.
    assert!(has(
        "passcode: Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các chữ số quá dễ đoán."
    ));
    // OWASP's Argon2id minimum: m=19456 (19 MiB), t=2, p=1; the pepper's
    // id "2026" in base64; and only what passed is hashed.
    let hash = lines.last().unwrap();
    assert!(
        hash.starts_with("password hash: $argon2id$v=19$m=19456,t=2,p=1,keyid=MjAyNg$"),
        "{hash}"
    );
    assert!(hash.ends_with("(verifies: true)"));
    assert!(!has("passcode hash:"));
}

#[test]
fn the_birthday_and_the_rules_of_seed_003() {
    // Seed 003: 8 to 20 characters, digits, upper and lower case, a
    // special character of !@#$^*_; and no digits of the birthday.
    let lines = report("ngoc1234", "150890").unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("password: refused: no_uppercase: "))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("password: refused: no_special: "))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("passcode: refused: date_of_birth: ")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("hash:")));
}
