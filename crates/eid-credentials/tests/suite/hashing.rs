//! Argon2id hashing: defaults, pepper, rehash, tampered hashes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use eid_credentials::{
    Error, HashParams, Hasher, Pepper, SecretKind as K, SecretString, Verification,
};

const TINY: HashParams = HashParams::new(32, 1, 1);
const MATCH: Verification = Verification::Match {
    needs_rehash: false,
};
const REHASH: Verification = Verification::Match { needs_rehash: true };

fn pepper(id: &[u8], b: u8) -> Pepper {
    Pepper::new(id, &[b; 32]).unwrap()
}

fn rng() -> getrandom::SysRng {
    getrandom::SysRng
}

#[test]
fn defaults_are_at_least_owasp() {
    let p = HashParams::default();
    assert!(p.m_cost_kib >= 19 * 1024);
    assert!(p.t_cost >= 2);
    assert!(p.p_cost >= 1);
    let h = Hasher::new(p).unwrap();
    let phc = h.hash(K::Password, "Ngọc@123456", &mut rng()).unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert_eq!(h.verify(K::Password, "Ngọc@123456", &phc).unwrap(), MATCH);
    assert_eq!(
        h.verify(K::Password, "Ngọc@123457", &phc).unwrap(),
        Verification::Mismatch
    );
}

#[test]
fn passwords_are_nfc_normalised() {
    let h = Hasher::new(TINY).unwrap();
    let phc = h.hash(K::Password, "Ngọc@123456", &mut rng()).unwrap();
    assert_eq!(
        h.verify(K::Password, "Ngo\u{323}c@123456", &phc).unwrap(),
        MATCH
    );
}

#[test]
fn salts_differ() {
    let h = Hasher::new(TINY).unwrap();
    let a = h.hash(K::Password, "same", &mut rng()).unwrap();
    let b = h.hash(K::Password, "same", &mut rng()).unwrap();
    assert_ne!(a, b);
}

#[test]
fn passcodes_and_answers_need_a_pepper() {
    let h = Hasher::new(TINY).unwrap();
    assert_eq!(
        h.hash(K::Passcode, "480613", &mut rng()).err(),
        Some(Error::PepperRequired)
    );
    assert_eq!(
        h.hash(K::Answer, "x", &mut rng()).err(),
        Some(Error::PepperRequired)
    );
    let h = h.with_pepper(pepper(b"p1", 1));
    let phc = h.hash(K::Passcode, "480613", &mut rng()).unwrap();
    assert!(phc.contains(",keyid="), "{phc}");
    assert_eq!(h.verify(K::Passcode, "480613", &phc).unwrap(), MATCH);
    // Passwords are peppered too once there is a pepper, unless turned off.
    let peppered = h.hash(K::Password, "pw", &mut rng()).unwrap();
    assert!(peppered.contains(",keyid="), "{peppered}");
    assert_eq!(h.verify(K::Password, "pw", &peppered).unwrap(), MATCH);
    let plain_hasher = h.clone().pepper_passwords(false);
    let pw = plain_hasher.hash(K::Password, "pw", &mut rng()).unwrap();
    assert!(!pw.contains("keyid"));
    assert_eq!(plain_hasher.verify(K::Password, "pw", &pw).unwrap(), MATCH);
    // Hashes made before passwords were peppered still verify, and ask to
    // be rehashed (at the next login), and the other way round.
    assert_eq!(h.verify(K::Password, "pw", &pw).unwrap(), REHASH);
    assert_eq!(
        plain_hasher.verify(K::Password, "pw", &peppered).unwrap(),
        REHASH
    );
    // Without a pepper, passwords are hashed plain.
    let unpeppered = Hasher::new(TINY).unwrap();
    let pw = unpeppered.hash(K::Password, "pw", &mut rng()).unwrap();
    assert!(!pw.contains("keyid"));
}

#[test]
fn a_peppered_password_needs_the_pepper() {
    let h = Hasher::new(TINY).unwrap().with_pepper(pepper(b"p1", 1));
    let phc = h.hash(K::Password, "Ngọc@123456", &mut rng()).unwrap();
    let other_key = Hasher::new(TINY).unwrap().with_pepper(pepper(b"p1", 2));
    assert_eq!(
        other_key.verify(K::Password, "Ngọc@123456", &phc).unwrap(),
        Verification::Mismatch
    );
    assert_eq!(
        Hasher::new(TINY)
            .unwrap()
            .verify(K::Password, "Ngọc@123456", &phc),
        Err(Error::UnknownPepper)
    );
}

#[test]
fn the_pepper_matters() {
    let h1 = Hasher::new(TINY).unwrap().with_pepper(pepper(b"p1", 1));
    let phc = h1.hash(K::Passcode, "480613", &mut rng()).unwrap();
    // Same id, other key: no match.
    let wrong = Hasher::new(TINY).unwrap().with_pepper(pepper(b"p1", 2));
    assert_eq!(
        wrong.verify(K::Passcode, "480613", &phc).unwrap(),
        Verification::Mismatch
    );
    // Unknown id: an error, not a silent mismatch.
    let other = Hasher::new(TINY).unwrap().with_pepper(pepper(b"p2", 1));
    assert_eq!(
        other.verify(K::Passcode, "480613", &phc).err(),
        Some(Error::UnknownPepper)
    );
    // Rotation: the old pepper retired, the hash verifies and asks to be redone.
    let rotated = Hasher::new(TINY)
        .unwrap()
        .with_pepper(pepper(b"p2", 3))
        .with_retired_pepper(pepper(b"p1", 1));
    assert_eq!(rotated.verify(K::Passcode, "480613", &phc).unwrap(), REHASH);
    assert_eq!(
        rotated.verify(K::Passcode, "480614", &phc).unwrap(),
        Verification::Mismatch
    );
    let fresh = rotated.hash(K::Passcode, "480613", &mut rng()).unwrap();
    assert_eq!(
        rotated.verify(K::Passcode, "480613", &fresh).unwrap(),
        MATCH
    );
    // A legacy unpeppered passcode hash verifies and asks to be redone.
    let legacy = Hasher::new(TINY)
        .unwrap()
        .hash(K::Password, "480613", &mut rng())
        .unwrap();
    assert_eq!(h1.verify(K::Passcode, "480613", &legacy).unwrap(), REHASH);
}

#[test]
fn parameter_changes_ask_for_a_rehash() {
    let old = Hasher::new(TINY).unwrap();
    let phc = old.hash(K::Password, "pw", &mut rng()).unwrap();
    for newer in [
        TINY.with_m_cost_kib(64),
        TINY.with_t_cost(2),
        TINY.with_p_cost(2).with_m_cost_kib(64),
    ] {
        let h = Hasher::new(newer).unwrap();
        assert_eq!(
            h.verify(K::Password, "pw", &phc).unwrap(),
            REHASH,
            "{newer:?}"
        );
        assert_eq!(
            h.verify(K::Password, "px", &phc).unwrap(),
            Verification::Mismatch
        );
    }
    // argon2i / argon2d hashes verify and ask to move to argon2id.
    let a2i = "$argon2i$v=19$m=32,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$";
    assert!(old.verify(K::Password, "pw", a2i).is_err()); // no output: refused
}

#[test]
fn tampered_or_foreign_hashes_are_errors() {
    let h = Hasher::new(TINY).unwrap();
    let phc = h.hash(K::Password, "pw", &mut rng()).unwrap();
    for bad in [
        "",
        "plain",
        "$2b$12$abcdefghijklmnopqrstuuJ3eZ7o6.0WlVbP6Sg3hGiJZb4jM0e6",
        "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
        "$argon2id$v=19$m=32,t=1,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=32,t=1000,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
    ] {
        assert!(h.verify(K::Password, "pw", bad).is_err(), "{bad}");
    }
    // Flipping the output makes a mismatch, never a match.
    let mut chars: Vec<char> = phc.chars().collect();
    let last = chars.len() - 2;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    let flipped: String = chars.into_iter().collect();
    assert_eq!(
        h.verify(K::Password, "pw", &flipped).unwrap(),
        Verification::Mismatch
    );
}

#[test]
fn limits_and_configuration() {
    assert!(Hasher::new(HashParams::new(1, 1, 1)).is_err());
    assert!(Hasher::new(HashParams::new(32, 0, 1)).is_err());
    assert!(Hasher::new(HashParams::new(32, 1000, 1)).is_err());
    assert!(Pepper::new(b"", &[0; 32]).is_err());
    assert!(Pepper::new(b"123456789", &[0; 32]).is_err());
    assert!(Pepper::new(b"id", &[0; 15]).is_err());
    let h = Hasher::new(TINY).unwrap();
    let huge = "x".repeat(eid_credentials::MAX_SECRET_BYTES + 1);
    assert_eq!(
        h.hash(K::Password, &huge, &mut rng()).err(),
        Some(Error::SecretTooLong)
    );
}

#[test]
fn debug_shows_no_secret() {
    let p = pepper(b"p1", 0x5a);
    let h = Hasher::new(TINY).unwrap().with_pepper(p.clone());
    let s = SecretString::from("Ngọc@123456");
    let text = format!("{p:?} {h:?} {s:?}");
    assert!(!text.contains("90, 90"), "{text}");
    assert!(!text.contains("Ngọc"), "{text}");
    assert_eq!(s.expose_secret(), "Ngọc@123456");
    assert_eq!(s, SecretString::from("Ngọc@123456".to_owned()));
    assert_ne!(s, SecretString::from("Ngọc@123457"));
}
