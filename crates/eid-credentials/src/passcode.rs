//! The passcode: exactly 6 digits, confirming services in the app; "avoid
//! digits related to your birthday and digits too easy to guess" (seed 003).

use std::collections::HashSet;
use std::sync::LazyLock;

use crate::person::windows;
use crate::{Error, PersonalInfo};

/// The most common 6-digit PINs (see `data/README.md` for the source).
static COMMON_PINS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../data/common-pins-6.txt").lines().collect());

/// Why a passcode is refused. Each reason has a stable
/// [`code`](Self::code) and messages in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "code", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PasscodeReason {
    /// Not exactly six ASCII digits.
    NotSixDigits,
    /// The holder's date of birth in the named layout (`DDMMYY`, ...).
    DateOfBirth {
        /// The layout matched.
        layout: String,
    },
    /// Six consecutive digits of the holder's ID number.
    IdNumberPart,
    /// Six consecutive digits of the holder's phone number.
    PhonePart,
    /// All six digits the same (`111111`).
    AllSame,
    /// An ascending run, wrapping after 9 (`123456`, `789012`).
    Ascending,
    /// A descending run, wrapping before 0 (`654321`, `210987`).
    Descending,
    /// A pair repeated three times (`121212`).
    RepeatedPair,
    /// A triple repeated twice (`123123`).
    RepeatedTriple,
    /// A mirror image (`123321`).
    Mirrored,
    /// A pattern on the phone keypad: two straight lines of three keys
    /// (`147258`, `159357`) or a walk between neighbouring keys (`125478`).
    KeypadPattern,
    /// On the shipped list of the most common 6-digit PINs.
    Common,
}

/// Seed 003's hint under the passcode screen (lines 491-492), verbatim but
/// for the closing full stop; shown with every passcode refusal.
pub const PASSCODE_HINT_VI: &str =
    "Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các chữ số quá dễ đoán.";

/// [`PASSCODE_HINT_VI`] in English.
pub const PASSCODE_HINT_EN: &str =
    "Please avoid digits related to your birthday and digits that are too easy to guess.";

impl PasscodeReason {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            PasscodeReason::NotSixDigits => "not_six_digits",
            PasscodeReason::DateOfBirth { .. } => "date_of_birth",
            PasscodeReason::IdNumberPart => "id_number_part",
            PasscodeReason::PhonePart => "phone_part",
            PasscodeReason::AllSame => "all_same_digits",
            PasscodeReason::Ascending => "ascending_run",
            PasscodeReason::Descending => "descending_run",
            PasscodeReason::RepeatedPair => "repeated_pair",
            PasscodeReason::RepeatedTriple => "repeated_triple",
            PasscodeReason::Mirrored => "mirrored",
            PasscodeReason::KeypadPattern => "keypad_pattern",
            PasscodeReason::Common => "common_pin",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            PasscodeReason::NotSixDigits => "Passcode phải gồm đúng 6 chữ số từ 0 đến 9.".into(),
            PasscodeReason::DateOfBirth { layout } => {
                format!("Passcode không được là ngày sinh của bạn ({layout}).")
            }
            PasscodeReason::IdNumberPart => {
                "Passcode không được là một phần số định danh cá nhân.".into()
            }
            PasscodeReason::PhonePart => "Passcode không được là một phần số điện thoại.".into(),
            PasscodeReason::AllSame => "Passcode không được gồm 6 chữ số giống nhau.".into(),
            PasscodeReason::Ascending => "Passcode không được là dãy số tăng dần.".into(),
            PasscodeReason::Descending => "Passcode không được là dãy số giảm dần.".into(),
            PasscodeReason::RepeatedPair => {
                "Passcode không được lặp lại một cặp chữ số (như 121212).".into()
            }
            PasscodeReason::RepeatedTriple => {
                "Passcode không được lặp lại một bộ ba chữ số (như 123123).".into()
            }
            PasscodeReason::Mirrored => "Passcode không được đối xứng (như 123321).".into(),
            PasscodeReason::KeypadPattern => {
                "Passcode không được là một hình trên bàn phím số (như 147258).".into()
            }
            PasscodeReason::Common => "Passcode quá phổ biến, dễ bị đoán.".into(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            PasscodeReason::NotSixDigits => "The passcode must be exactly 6 digits 0-9.".into(),
            PasscodeReason::DateOfBirth { layout } => {
                format!("The passcode must not be your date of birth ({layout}).")
            }
            PasscodeReason::IdNumberPart => {
                "The passcode must not be part of your personal identification number.".into()
            }
            PasscodeReason::PhonePart => {
                "The passcode must not be part of your phone number.".into()
            }
            PasscodeReason::AllSame => "The passcode must not be one digit repeated.".into(),
            PasscodeReason::Ascending => "The passcode must not be an ascending run.".into(),
            PasscodeReason::Descending => "The passcode must not be a descending run.".into(),
            PasscodeReason::RepeatedPair => {
                "The passcode must not repeat a pair of digits (like 121212).".into()
            }
            PasscodeReason::RepeatedTriple => {
                "The passcode must not repeat three digits (like 123123).".into()
            }
            PasscodeReason::Mirrored => {
                "The passcode must not be a mirror image (like 123321).".into()
            }
            PasscodeReason::KeypadPattern => {
                "The passcode must not be a pattern on the keypad (like 147258).".into()
            }
            PasscodeReason::Common => "The passcode is too common and easy to guess.".into(),
        }
    }
}

/// Keypad coordinates (row, column) of a digit on a phone keypad:
/// 1 2 3 / 4 5 6 / 7 8 9 / _ 0 _.
fn key_pos(d: u8) -> (i8, i8) {
    match d {
        0 => (3, 1),
        d => (((d - 1) / 3) as i8, ((d - 1) % 3) as i8),
    }
}

/// Three keys in a straight line, equally spaced and adjacent (rows,
/// columns, diagonals, either direction; the middle column runs to 0).
fn is_line(a: u8, b: u8, c: u8) -> bool {
    let (pa, pb, pc) = (key_pos(a), key_pos(b), key_pos(c));
    let d1 = (pb.0 - pa.0, pb.1 - pa.1);
    let d2 = (pc.0 - pb.0, pc.1 - pb.1);
    d1 == d2 && d1 != (0, 0) && d1.0.abs() <= 1 && d1.1.abs() <= 1
}

/// Neighbouring keys (sharing an edge).
fn is_neighbour(a: u8, b: u8) -> bool {
    let (pa, pb) = (key_pos(a), key_pos(b));
    (pa.0 - pb.0).abs() + (pa.1 - pb.1).abs() == 1
}

fn keypad_pattern(d: &[u8; 6]) -> bool {
    let [a, b, c, e, f, g] = *d;
    (is_line(a, b, c) && is_line(e, f, g))
        || d.windows(2)
            .all(|w| matches!(w, [x, y] if is_neighbour(*x, *y)))
}

/// The passcode policy: exactly six ASCII digits, none of the refused
/// patterns.
///
/// ```
/// use eid_credentials::{Date, PasscodeReason, PasscodePolicy, PersonalInfo};
/// let policy = PasscodePolicy::default();
/// let holder = PersonalInfo {
///     date_of_birth: Some(Date::new(1990, 8, 15)?),
///     ..PersonalInfo::default()
/// };
/// assert!(policy.check("480613", &holder).is_ok());
/// assert_eq!(
///     policy.reasons("150890", &holder),
///     vec![PasscodeReason::DateOfBirth { layout: "DDMMYY".into() }]
/// );
/// assert!(policy.reasons("123456", &holder).contains(&PasscodeReason::Ascending));
/// # Ok::<(), eid_credentials::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasscodePolicy {
    blocklist: bool,
}

impl Default for PasscodePolicy {
    fn default() -> Self {
        PasscodePolicy { blocklist: true }
    }
}

impl PasscodePolicy {
    /// Turns the shipped list of common PINs on or off (on by default).
    #[must_use]
    pub fn with_blocklist(mut self, on: bool) -> Self {
        self.blocklist = on;
        self
    }

    /// Every reason `passcode` is refused; empty when accepted.
    pub fn reasons(&self, passcode: &str, person: &PersonalInfo) -> Vec<PasscodeReason> {
        let mut digits = [0u8; 6];
        let well_formed = passcode.len() == 6
            && passcode.bytes().zip(digits.iter_mut()).all(|(b, d)| {
                *d = b.wrapping_sub(b'0');
                b.is_ascii_digit()
            });
        if !well_formed {
            return vec![PasscodeReason::NotSixDigits];
        }
        let mut reasons = Vec::new();
        if let Some(dob) = &person.date_of_birth {
            for (layout, s) in dob.layouts() {
                if s == passcode {
                    reasons.push(PasscodeReason::DateOfBirth {
                        layout: layout.to_owned(),
                    });
                    break;
                }
            }
        }
        if let Some(id) = person.id_digits()
            && windows(&id, 6).any(|w| w == passcode)
        {
            reasons.push(PasscodeReason::IdNumberPart);
        }
        if let Some(phone) = person.phone_digits()
            && windows(&phone, 6).any(|w| w == passcode)
        {
            reasons.push(PasscodeReason::PhonePart);
        }
        let d = digits;
        let step = |k: u8| {
            d.windows(2)
                .all(|w| matches!(w, [x, y] if *y == (*x + k) % 10))
        };
        if step(0) {
            reasons.push(PasscodeReason::AllSame);
        } else {
            if step(1) {
                reasons.push(PasscodeReason::Ascending);
            }
            if step(9) {
                reasons.push(PasscodeReason::Descending);
            }
            let [a, b, c, e, f, g] = d;
            if a == c && c == f && b == e && e == g {
                reasons.push(PasscodeReason::RepeatedPair);
            }
            if a == e && b == f && c == g {
                reasons.push(PasscodeReason::RepeatedTriple);
            }
            if a == g && b == f && c == e {
                reasons.push(PasscodeReason::Mirrored);
            }
            if keypad_pattern(&d) {
                reasons.push(PasscodeReason::KeypadPattern);
            }
        }
        if self.blocklist && COMMON_PINS.contains(passcode) {
            reasons.push(PasscodeReason::Common);
        }
        reasons
    }

    /// `Ok(())` when accepted, else [`Error::PasscodeRefused`] with every
    /// reason.
    pub fn check(&self, passcode: &str, person: &PersonalInfo) -> Result<(), Error> {
        let reasons = self.reasons(passcode, person);
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Error::PasscodeRefused(reasons))
        }
    }
}
