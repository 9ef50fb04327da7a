//! `dinhdanh policy password|passcode`: checks a password or a passcode
//! against the account rules and prints
//! `{ "ok": bool, "reasons": [ {"code", "vi", "en"} ] }`.
//! Exit 0 when accepted, 1 when refused.

use clap::{Subcommand, ValueEnum};
use eid_credentials::{Date, PasscodePolicy, PasswordPolicy, PersonalInfo, RuleSet};
use serde::Serialize;

use crate::input::print_json;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Check a password (VNeID rules by default, or NIST SP 800-63B).
    Password {
        /// The password.
        password: String,
        /// The repeated password, which must be identical.
        #[arg(long)]
        confirm: Option<String>,
        /// The holder's 12-digit ID number.
        #[arg(long)]
        id: Option<String>,
        /// The holder's date of birth, YYYY-MM-DD.
        #[arg(long)]
        dob: Option<String>,
        /// The holder's full name.
        #[arg(long)]
        name: Option<String>,
        /// The holder's phone number.
        #[arg(long)]
        phone: Option<String>,
        /// The rule set.
        #[arg(long, value_enum, default_value_t = Rules::Vneid)]
        rules: Rules,
        /// Also refuse a password holding the holder's ID number, phone,
        /// name or date of birth. The NIST rules always do; the VNeID rule
        /// as the seeds write it does not (004's `Ngọc@123456` passes for
        /// a Ngọc), so there `--id`, `--dob`, `--name` and `--phone` need
        /// this flag, and are refused without it.
        #[arg(long)]
        check_personal_info: bool,
    },
    /// Check a 6-digit passcode.
    Passcode {
        /// The passcode.
        code: String,
        /// The holder's date of birth, YYYY-MM-DD.
        #[arg(long)]
        dob: Option<String>,
        /// The holder's 12-digit ID number.
        #[arg(long)]
        id: Option<String>,
        /// The holder's phone number.
        #[arg(long)]
        phone: Option<String>,
    },
}

/// The password rule sets.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Rules {
    /// VNeID: 8-20 characters, digit, upper, lower, special.
    Vneid,
    /// NIST SP 800-63B: length, blocklist, no composition rules.
    Nist,
}

#[derive(Serialize)]
struct Reason {
    code: &'static str,
    vi: String,
    en: String,
}

#[derive(Serialize)]
struct Verdict {
    ok: bool,
    reasons: Vec<Reason>,
}

fn date(dob: Option<&str>) -> Result<Option<Date>, Failure> {
    dob.map(|d| Date::parse_iso(d).map_err(|e| Failure(format!("--dob: {e}"))))
        .transpose()
}

fn finish(what: &str, reasons: Vec<Reason>) -> Result<Outcome, Failure> {
    let ok = reasons.is_empty();
    let codes: Vec<&str> = reasons.iter().map(|r| r.code).collect();
    print_json(&Verdict { ok, reasons })?;
    if ok {
        Ok(Outcome::Ok)
    } else {
        Ok(Outcome::Refused(format!(
            "{what} refused: {}",
            codes.join(", ")
        )))
    }
}

/// The password policy of `rules`, the holder's data checked when asked
/// (`--check-personal-info`) or when the rules always check them (NIST).
/// Holder data given to the VNeID rule without the flag is a usage error:
/// silently ignored, it would read as a check that passed.
fn password_policy(
    rules: Rules,
    check_personal_info: bool,
    person: &PersonalInfo,
) -> Result<PasswordPolicy, Failure> {
    let policy = PasswordPolicy::for_rules(match rules {
        Rules::Vneid => RuleSet::Vneid,
        Rules::Nist => RuleSet::Nist,
    });
    let given = person.id_number.is_some()
        || person.phone.is_some()
        || person.full_name.is_some()
        || person.date_of_birth.is_some();
    match rules {
        Rules::Vneid if check_personal_info => Ok(policy.with_personal_info_check(true)),
        Rules::Vneid if given => Err(Failure(
            "--id, --dob, --name and --phone are not checked by the VNeID rule (the seeds allow \
             the holder's own data, e.g. Ngọc@123456 for a Ngọc): add --check-personal-info to \
             refuse them, or leave them out"
                .to_owned(),
        )),
        Rules::Vneid | Rules::Nist => Ok(policy),
    }
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    match cmd {
        Cmd::Password {
            password,
            confirm,
            id,
            dob,
            name,
            phone,
            rules,
            check_personal_info,
        } => {
            let person = PersonalInfo {
                id_number: id,
                phone,
                full_name: name,
                date_of_birth: date(dob.as_deref())?,
            };
            let policy = password_policy(rules, check_personal_info, &person)?;
            let reasons = match confirm {
                Some(c) => match policy.check_with_confirmation(&password, &c, &person) {
                    Ok(()) => Vec::new(),
                    Err(eid_credentials::Error::PasswordRefused(r)) => r,
                    Err(e) => return Err(Failure(e.to_string())),
                },
                None => policy.reasons(&password, &person),
            };
            let reasons = reasons
                .iter()
                .map(|r| Reason {
                    code: r.code(),
                    vi: r.message_vi(),
                    en: r.message_en(),
                })
                .collect();
            finish("password", reasons)
        }
        Cmd::Passcode {
            code,
            dob,
            id,
            phone,
        } => {
            let person = PersonalInfo {
                id_number: id,
                phone,
                full_name: None,
                date_of_birth: date(dob.as_deref())?,
            };
            let reasons = PasscodePolicy::default()
                .reasons(&code, &person)
                .iter()
                .map(|r| Reason {
                    code: r.code(),
                    vi: r.message_vi(),
                    en: r.message_en(),
                })
                .collect();
            finish("passcode", reasons)
        }
    }
}
