//! `dinhdanh qr parse [PAYLOAD|-]`: the CCCD's QR payload as JSON, with the
//! date of expiry the law gives a card of that issue date
//! (`cccd::expiry`).

use cccd::qr::QrPayload;
use clap::Subcommand;
use serde::Serialize;

use crate::input::{bytes_or_stdin, print_json};
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Parse a QR payload (the argument, or standard input for `-` or none)
    /// and print it as JSON.
    Parse {
        /// The payload text; `-` or nothing reads standard input.
        payload: Option<String>,
    },
}

/// The JSON contract of docs/DESIGN.md §4.
#[derive(Serialize)]
struct QrJson<'a> {
    id_number: &'a str,
    old_id_number: Option<&'a str>,
    full_name: &'a str,
    date_of_birth: String,
    sex: cccd::Sex,
    address: &'a str,
    issue_date: String,
    /// From the law: `None` (null) for a card without expiry.
    expiry_date: Option<String>,
    /// Every date the law allows, the first being `expiry_date`: more than
    /// one only on the boundary days it leaves open.
    expiry_date_candidates: Vec<Option<String>>,
    /// The law followed: `59/2014/QH13` or `26/2023/QH15`.
    expiry_law: &'static str,
    extra_fields: Vec<&'a str>,
    id_info: IdInfo,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct IdInfo {
    province_code: String,
    province_name: Option<&'static str>,
    birth_century: u16,
    birth_year_2: String,
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Parse { payload } = cmd;
    let bytes = bytes_or_stdin(payload.as_deref())?;
    let qr = match QrPayload::parse(&bytes) {
        Ok(qr) => qr,
        Err(e) => return Ok(Outcome::Refused(e.to_string())),
    };
    let id = qr.id_number;
    let expiry = cccd::expiry::card_expiry(qr.date_of_birth, qr.issue_date);
    let json = QrJson {
        id_number: id.as_str(),
        old_id_number: qr.old_id_number,
        full_name: &qr.full_name,
        date_of_birth: qr.date_of_birth.to_string(),
        sex: qr.sex,
        address: &qr.address,
        issue_date: qr.issue_date.to_string(),
        expiry_date: expiry.date().map(|d| d.to_string()),
        expiry_date_candidates: expiry
            .candidates
            .iter()
            .map(|c| c.map(|d| d.to_string()))
            .collect(),
        expiry_law: expiry.law.number(),
        extra_fields: qr.extra_fields.iter().map(|f| f.as_ref()).collect(),
        id_info: IdInfo {
            province_code: format!("{:03}", id.province_code()),
            province_name: id.province().map(|p| p.name),
            birth_century: id.birth_century(),
            birth_year_2: format!("{:02}", id.birth_year_2()),
        },
        warnings: id
            .check_against(qr.date_of_birth, qr.sex)
            .iter()
            .map(ToString::to_string)
            .collect(),
    };
    print_json(&json)?;
    Ok(Outcome::Ok)
}
