#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod chip;
mod ekyc;
mod input;
mod lds;
mod masterlist;
mod mrz;
mod otp;
mod pa;
mod policy;
mod progress;
mod qr;
mod sim;
mod trace;

/// Electronic identification: Vietnam's CCCD and ICAO Doc 9303 eMRTDs.
#[derive(Debug, Parser)]
#[command(name = "dinhdanh", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The QR code on the front of a CCCD.
    #[command(subcommand)]
    Qr(qr::Cmd),
    /// Machine readable zones (TD1, TD2, TD3).
    #[command(subcommand)]
    Mrz(mrz::Cmd),
    /// LDS files read from a chip: EF.COM, data groups, EF.SOD...
    #[command(subcommand)]
    Lds(lds::Cmd),
    /// Password and passcode rules of an electronic identity account.
    #[command(subcommand)]
    Policy(policy::Cmd),
    /// HOTP and TOTP one-time codes.
    #[command(subcommand)]
    Otp(otp::Cmd),
    /// Passive authentication: EF.SOD's signature, the Document Signer's
    /// chain to a CSCA, the data groups' hashes.
    #[command(subcommand)]
    Pa(pa::Cmd),
    /// ICAO CSCA master lists.
    #[command(subcommand)]
    Masterlist(masterlist::Cmd),
    /// What an eKYC back end checks of a CCCD's chip files and QR code.
    #[command(subcommand)]
    Ekyc(ekyc::Cmd),
    /// eMRTD chips: read one (or the in-process virtual chip).
    #[command(subcommand)]
    Chip(chip::Cmd),
    /// PC/SC readers and whether a card is in each (as `chip readers`).
    Readers(chip::ReadersArgs),
    /// The virtual chip as a card in vsmartcard's virtual PC/SC reader.
    #[command(subcommand)]
    Sim(sim::Cmd),
}

/// What a subcommand ends with.
pub(crate) enum Outcome {
    /// Done: exit 0.
    Ok,
    /// The input was refused: exit 1, the message on stderr.
    Refused(String),
}

/// A usage or I/O error: exit 2.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) String);

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Qr(cmd) => qr::run(cmd),
        Command::Mrz(cmd) => mrz::run(cmd),
        Command::Lds(cmd) => lds::run(cmd),
        Command::Policy(cmd) => policy::run(cmd),
        Command::Otp(cmd) => otp::run(cmd),
        Command::Pa(cmd) => pa::run(cmd),
        Command::Masterlist(cmd) => masterlist::run(cmd),
        Command::Ekyc(cmd) => ekyc::run(cmd),
        Command::Chip(cmd) => chip::run(cmd),
        Command::Readers(args) => chip::readers(&args),
        Command::Sim(cmd) => sim::run(cmd),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Refused(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(1)
        }
        Err(Failure(msg)) => {
            eprintln!("dinhdanh: {msg}");
            ExitCode::from(2)
        }
    }
}
