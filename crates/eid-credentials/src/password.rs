//! Password rules: the VNeID rule set and a NIST SP 800-63B rule set.

use std::collections::HashSet;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::person::{digits_of, fold, windows};
use crate::secret::ct_eq_str;
use crate::{Error, PersonalInfo};

/// The 11,611 most common passwords of 8 characters or more (see
/// `data/README.md` for the source).
static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .collect()
});

/// The default special characters of the VNeID rule, as seed 003 writes
/// them twice (the registration screen and step ②): "ít nhất 1 ký tự đặc
/// biệt (!@#\$^*)_" (the `\$` is markdown's escape of `$`). The
/// parentheses are the sentence's own brackets, as in "số (0÷9), chữ viết
/// hoa (A÷Z)" just before them, not members of the set; `_` stands after
/// the closing bracket in both places and is kept. Other characters are
/// still allowed in a password: they just do not count as the special one.
pub const VNEID_SPECIALS: &str = "!@#$^*_";

/// Which family of rules a [`PasswordPolicy`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RuleSet {
    /// VNeID: 8 to 20 characters, a digit, an upper-case and a lower-case
    /// letter, a special character from a set.
    Vneid,
    /// NIST SP 800-63B: length only (8 to at least 64), a blocklist of
    /// common passwords, no composition rules.
    Nist,
}

/// Why a password is refused. Each reason has a stable [`code`](Self::code)
/// and messages in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "code", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PasswordReason {
    /// Fewer characters than the minimum.
    TooShort {
        /// The minimum.
        min: usize,
    },
    /// More characters than the maximum.
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// No ASCII digit.
    NoDigit,
    /// No upper-case letter.
    NoUppercase,
    /// No lower-case letter.
    NoLowercase,
    /// No character of the special set.
    NoSpecial {
        /// The special characters accepted.
        allowed: String,
    },
    /// A control character (tab, newline, ...).
    ControlCharacter,
    /// On the blocklist of common passwords.
    Common,
    /// Contains the holder's ID number or part of it.
    ContainsIdNumber,
    /// Contains the holder's phone number or part of it.
    ContainsPhone,
    /// Contains the holder's name or part of it.
    ContainsName,
    /// Contains the holder's date of birth.
    ContainsDateOfBirth,
    /// The confirmation differs from the password.
    ConfirmationMismatch,
}

impl PasswordReason {
    /// A stable machine-readable code (`too_short`, `no_digit`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            PasswordReason::TooShort { .. } => "too_short",
            PasswordReason::TooLong { .. } => "too_long",
            PasswordReason::NoDigit => "no_digit",
            PasswordReason::NoUppercase => "no_uppercase",
            PasswordReason::NoLowercase => "no_lowercase",
            PasswordReason::NoSpecial { .. } => "no_special",
            PasswordReason::ControlCharacter => "control_character",
            PasswordReason::Common => "common_password",
            PasswordReason::ContainsIdNumber => "contains_id_number",
            PasswordReason::ContainsPhone => "contains_phone",
            PasswordReason::ContainsName => "contains_name",
            PasswordReason::ContainsDateOfBirth => "contains_date_of_birth",
            PasswordReason::ConfirmationMismatch => "confirmation_mismatch",
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            PasswordReason::TooShort { min } => format!("Mật khẩu phải có ít nhất {min} ký tự."),
            PasswordReason::TooLong { max } => format!("Mật khẩu không được dài quá {max} ký tự."),
            PasswordReason::NoDigit => "Mật khẩu phải có ít nhất một chữ số.".into(),
            PasswordReason::NoUppercase => "Mật khẩu phải có ít nhất một chữ cái viết hoa.".into(),
            PasswordReason::NoLowercase => {
                "Mật khẩu phải có ít nhất một chữ cái viết thường.".into()
            }
            PasswordReason::NoSpecial { allowed } => {
                format!("Mật khẩu phải có ít nhất một ký tự đặc biệt ({allowed}).")
            }
            PasswordReason::ControlCharacter => "Mật khẩu chứa ký tự không hợp lệ.".into(),
            PasswordReason::Common => "Mật khẩu quá phổ biến, dễ bị đoán.".into(),
            PasswordReason::ContainsIdNumber => {
                "Mật khẩu không được chứa số định danh cá nhân.".into()
            }
            PasswordReason::ContainsPhone => "Mật khẩu không được chứa số điện thoại.".into(),
            PasswordReason::ContainsName => "Mật khẩu không được chứa họ tên của bạn.".into(),
            PasswordReason::ContainsDateOfBirth => {
                "Mật khẩu không được chứa ngày sinh của bạn.".into()
            }
            PasswordReason::ConfirmationMismatch => "Mật khẩu nhập lại không khớp.".into(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            PasswordReason::TooShort { min } => {
                format!("The password must have at least {min} characters.")
            }
            PasswordReason::TooLong { max } => {
                format!("The password must have at most {max} characters.")
            }
            PasswordReason::NoDigit => "The password must contain a digit.".into(),
            PasswordReason::NoUppercase => "The password must contain an upper-case letter.".into(),
            PasswordReason::NoLowercase => "The password must contain a lower-case letter.".into(),
            PasswordReason::NoSpecial { allowed } => {
                format!("The password must contain a special character ({allowed}).")
            }
            PasswordReason::ControlCharacter => "The password contains a control character.".into(),
            PasswordReason::Common => "The password is too common and easy to guess.".into(),
            PasswordReason::ContainsIdNumber => {
                "The password must not contain your personal identification number.".into()
            }
            PasswordReason::ContainsPhone => {
                "The password must not contain your phone number.".into()
            }
            PasswordReason::ContainsName => "The password must not contain your name.".into(),
            PasswordReason::ContainsDateOfBirth => {
                "The password must not contain your date of birth.".into()
            }
            PasswordReason::ConfirmationMismatch => {
                "The confirmation does not match the password.".into()
            }
        }
    }
}

/// A password policy. Lengths count Unicode characters after NFC
/// normalisation, so `Ngọc@123456` has 11 whichever way `ọ` was typed.
///
/// ```
/// use eid_credentials::{PasswordPolicy, PasswordReason, PersonalInfo};
/// let vneid = PasswordPolicy::vneid();
/// let nobody = PersonalInfo::default();
/// assert!(vneid.check("Ngọc@123456", &nobody).is_ok());
/// assert_eq!(
///     vneid.reasons("ngoc123", &nobody),
///     vec![
///         PasswordReason::TooShort { min: 8 },
///         PasswordReason::NoUppercase,
///         PasswordReason::NoSpecial { allowed: "!@#$^*_".into() },
///     ]
/// );
/// let nist = PasswordPolicy::nist();
/// assert!(nist.check("correct horse battery staple", &nobody).is_ok());
/// assert_eq!(nist.reasons("Password1", &nobody), vec![PasswordReason::Common]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordPolicy {
    rules: RuleSet,
    min_len: usize,
    max_len: usize,
    specials: Vec<char>,
    blocklist: bool,
    extra_blocklist: HashSet<String>,
    personal_info: bool,
}

impl PasswordPolicy {
    /// The VNeID rule set as seeds 003 and 004 write it: 8 to 20 characters,
    /// at least one ASCII digit, one upper-case and one lower-case letter
    /// (any script), one character of [`VNEID_SPECIALS`]. The shipped
    /// blocklist of common passwords is on too: composition rules alone let
    /// `P@ssw0rd` through, and it is among the first guesses of any attack.
    /// The holder's own data are *not* refused: the seeds' own example
    /// `Ngọc@123456` (004) contains a name and must pass for every holder,
    /// a Ngọc included; [`with_personal_info_check`](Self::with_personal_info_check)
    /// turns that check on.
    pub fn vneid() -> Self {
        PasswordPolicy {
            rules: RuleSet::Vneid,
            min_len: 8,
            max_len: 20,
            specials: VNEID_SPECIALS.chars().collect(),
            blocklist: true,
            extra_blocklist: HashSet::new(),
            personal_info: false,
        }
    }

    /// The NIST SP 800-63B rule set: 8 to 64 characters, the shipped
    /// blocklist of common passwords, the holder's own ID number, phone,
    /// name and date of birth refused, no composition rules.
    pub fn nist() -> Self {
        PasswordPolicy {
            rules: RuleSet::Nist,
            min_len: 8,
            max_len: 64,
            specials: Vec::new(),
            blocklist: true,
            extra_blocklist: HashSet::new(),
            personal_info: true,
        }
    }

    /// The policy of a rule set with its defaults.
    pub fn for_rules(rules: RuleSet) -> Self {
        match rules {
            RuleSet::Vneid => Self::vneid(),
            RuleSet::Nist => Self::nist(),
        }
    }

    /// Sets the length bounds. NIST requires `min >= 8` and `max >= 64`;
    /// every rule set requires `1 <= min <= max`.
    pub fn with_length(mut self, min: usize, max: usize) -> Result<Self, Error> {
        if min == 0 || min > max {
            return Err(Error::InvalidConfig {
                reason: "password length: need 1 <= min <= max",
            });
        }
        if self.rules == RuleSet::Nist && (min < 8 || max < 64) {
            return Err(Error::InvalidConfig {
                reason: "NIST SP 800-63B: min >= 8 and max >= 64",
            });
        }
        self.min_len = min;
        self.max_len = max;
        Ok(self)
    }

    /// Sets the special characters of the VNeID rule (not letters, digits
    /// or whitespace; at least one).
    pub fn with_specials(mut self, set: &str) -> Result<Self, Error> {
        let chars: Vec<char> = set.chars().collect();
        if chars.is_empty()
            || chars
                .iter()
                .any(|c| c.is_alphanumeric() || c.is_whitespace())
        {
            return Err(Error::InvalidConfig {
                reason: "specials: at least one, no letters, digits or spaces",
            });
        }
        self.specials = chars;
        Ok(self)
    }

    /// Turns the shipped blocklist on or off (on by default in both rule sets).
    #[must_use]
    pub fn with_blocklist(mut self, on: bool) -> Self {
        self.blocklist = on;
        self
    }

    /// Adds words to refuse (compared case-insensitively), e.g. the
    /// service's name.
    #[must_use]
    pub fn with_extra_blocklist<'a>(mut self, words: impl IntoIterator<Item = &'a str>) -> Self {
        self.extra_blocklist.extend(
            words
                .into_iter()
                .map(|w| w.nfc().collect::<String>().to_lowercase()),
        );
        self
    }

    /// Whether the holder's own data are refused (on by default in the NIST
    /// rule set, off in the VNeID one).
    #[must_use]
    pub fn with_personal_info_check(mut self, on: bool) -> Self {
        self.personal_info = on;
        self
    }

    /// The rule set.
    pub fn rules(&self) -> RuleSet {
        self.rules
    }

    /// The length bounds, in characters.
    pub fn length(&self) -> (usize, usize) {
        (self.min_len, self.max_len)
    }

    /// Every reason `password` is refused, in a fixed order; empty when it
    /// is accepted.
    pub fn reasons(&self, password: &str, person: &PersonalInfo) -> Vec<PasswordReason> {
        let pw: Zeroizing<String> = Zeroizing::new(password.nfc().collect());
        let mut reasons = Vec::new();
        let len = pw.chars().count();
        if len < self.min_len {
            reasons.push(PasswordReason::TooShort { min: self.min_len });
        }
        if len > self.max_len {
            reasons.push(PasswordReason::TooLong { max: self.max_len });
        }
        if pw.chars().any(char::is_control) {
            reasons.push(PasswordReason::ControlCharacter);
        }
        if self.rules == RuleSet::Vneid {
            if !pw.chars().any(|c| c.is_ascii_digit()) {
                reasons.push(PasswordReason::NoDigit);
            }
            if !pw.chars().any(char::is_uppercase) {
                reasons.push(PasswordReason::NoUppercase);
            }
            if !pw.chars().any(char::is_lowercase) {
                reasons.push(PasswordReason::NoLowercase);
            }
            if !pw.chars().any(|c| self.specials.contains(&c)) {
                reasons.push(PasswordReason::NoSpecial {
                    allowed: self.specials.iter().collect(),
                });
            }
        }
        let lower: Zeroizing<String> = Zeroizing::new(pw.to_lowercase());
        if (self.blocklist && COMMON_PASSWORDS.contains(lower.as_str()))
            || self.extra_blocklist.contains(lower.as_str())
        {
            reasons.push(PasswordReason::Common);
        }
        if self.personal_info {
            personal_reasons(&pw, person, &mut reasons);
        }
        reasons
    }

    /// `Ok(())` when `password` is accepted, else
    /// [`Error::PasswordRefused`] with every reason.
    pub fn check(&self, password: &str, person: &PersonalInfo) -> Result<(), Error> {
        let reasons = self.reasons(password, person);
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Error::PasswordRefused(reasons))
        }
    }

    /// [`PasswordPolicy::check`] plus the rule that the confirmation
    /// ("nhập lại mật khẩu") equals the password (after NFC normalisation,
    /// compared in constant time).
    pub fn check_with_confirmation(
        &self,
        password: &str,
        confirmation: &str,
        person: &PersonalInfo,
    ) -> Result<(), Error> {
        let mut reasons = self.reasons(password, person);
        let a: Zeroizing<String> = Zeroizing::new(password.nfc().collect());
        let b: Zeroizing<String> = Zeroizing::new(confirmation.nfc().collect());
        if !ct_eq_str(&a, &b) {
            reasons.push(PasswordReason::ConfirmationMismatch);
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(Error::PasswordRefused(reasons))
        }
    }
}

/// Adds the reasons drawn from the holder's own data.
fn personal_reasons(pw: &str, person: &PersonalInfo, reasons: &mut Vec<PasswordReason>) {
    let digits: Zeroizing<String> = Zeroizing::new(digits_of(pw));
    if let Some(id) = person.id_digits()
        && windows(&id, 6).any(|w| digits.contains(w))
    {
        reasons.push(PasswordReason::ContainsIdNumber);
    }
    if let Some(phone) = person.phone_digits()
        && windows(&phone, 6).any(|w| digits.contains(w))
    {
        reasons.push(PasswordReason::ContainsPhone);
    }
    if let Some(name) = &person.full_name {
        let folded_pw: Zeroizing<String> = Zeroizing::new(fold(pw));
        let folded_name = fold(name);
        let joined: String = folded_name.split_whitespace().collect();
        let hit = (!joined.is_empty() && folded_pw.contains(&joined))
            || folded_name
                .split_whitespace()
                .filter(|part| part.chars().count() >= 3)
                .any(|part| folded_pw.contains(part));
        if hit {
            reasons.push(PasswordReason::ContainsName);
        }
    }
    if let Some(dob) = &person.date_of_birth
        && dob.layouts().iter().any(|(name, s)| {
            matches!(*name, "DDMMYY" | "YYMMDD" | "MMDDYY") && digits.contains(s.as_str())
                || s.len() == 8 && digits.contains(s.as_str())
        })
    {
        reasons.push(PasswordReason::ContainsDateOfBirth);
    }
}
