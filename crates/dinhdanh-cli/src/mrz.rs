//! `dinhdanh mrz parse [TEXT|-]`: an MRZ as JSON, every check digit verified.

use cccd::mrz::CccdMrz;
use clap::Subcommand;
use icao9303::Date;
use icao9303::mrz::Mrz;
use serde::Serialize;

use crate::input::{bytes_or_stdin, print_json};
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Parse an MRZ (2 or 3 lines; the argument, or standard input for `-`
    /// or none), verify every check digit and print the fields as JSON.
    Parse {
        /// The MRZ text; `-` or nothing reads standard input.
        text: Option<String>,
    },
}

#[derive(Serialize)]
struct MrzJson<'a> {
    #[serde(flatten)]
    mrz: &'a Mrz,
    /// The dates in their century, seen from today.
    dates: Dates,
    check_digits: &'static str,
    /// The 12-digit ID number when the zone has the layout of a Vietnamese CCCD.
    cccd_id_number: Option<String>,
}

#[derive(Serialize)]
struct Dates {
    date_of_birth: Option<Date>,
    date_of_expiry: Option<Date>,
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Parse { text } = cmd;
    let bytes = bytes_or_stdin(text.as_deref())?;
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(Outcome::Refused("MRZ: the input is not UTF-8 text".into()));
    };
    let mrz = match Mrz::parse(&text) {
        Ok(m) => m,
        Err(e) => return Ok(Outcome::Refused(e.to_string())),
    };
    let today = today();
    let json = MrzJson {
        mrz: &mrz,
        dates: Dates {
            date_of_birth: today.and_then(|t| mrz.date_of_birth.as_birth_date(t)),
            date_of_expiry: today.and_then(|t| mrz.date_of_expiry.as_expiry_date(t)),
        },
        check_digits: "verified",
        cccd_id_number: CccdMrz::from_mrz(mrz.clone())
            .ok()
            .map(|c| c.id_number.to_string()),
    };
    print_json(&json)?;
    Ok(Outcome::Ok)
}

/// Today's date (UTC) from the system clock.
fn today() -> Option<Date> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    civil_from_days(i64::try_from(secs / 86_400).ok()?)
}

/// The Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> Option<Date> {
    let z = days.checked_add(719_468)?;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        // Day numbers from python3: (date(Y, M, D) - date(1970, 1, 1)).days
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1));
        assert_eq!(civil_from_days(11_016), Date::new(2000, 2, 29));
        assert_eq!(civil_from_days(20_780), Date::new(2026, 11, 23));
    }
}
