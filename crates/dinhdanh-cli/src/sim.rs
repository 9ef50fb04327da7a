//! `dinhdanh sim serve`: the virtual chip of `icao9303-sim` as a card in
//! vsmartcard's virtual PC/SC reader (vpcd), so that any PC/SC application
//! (`dinhdanh chip read --reader`, or another one) can read a virtual CCCD
//! or passport.
//!
//! pcscd must run with the vpcd driver (`scripts/pcsc-env`); the card
//! appears in the reader "Virtual PCD 00 00" (port 35963; 35964 is
//! "Virtual PCD 00 01"). When pcscd stops, the command waits for it and
//! connects again, until interrupted.

use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use icao9303::kdf::KeyKind;
use icao9303::pace::DomainParameters;
use icao9303_sim::vpcd::{self, Decoder, Message, VirtualCard};

use crate::chip::{SimChip, build_sim, key_and_profile, parse_cipher, parse_curve};
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Serve the virtual chip to vpcd (vsmartcard's virtual reader).
    Serve(ServeArgs),
}

/// The kind of document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Profile {
    /// A Vietnamese CCCD (`--cccd ID,YYMMDD,YYMMDD`).
    Cccd,
    /// A passport (`--mrz DOC,YYMMDD,YYMMDD`).
    Passport,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("key").required(true).args(["mrz", "cccd", "can"])))]
pub(crate) struct ServeArgs {
    /// The document: cccd or passport (by default, from the key given).
    #[arg(long, value_enum)]
    profile: Option<Profile>,
    /// A passport's MRZ key: document number, date of birth, date of expiry.
    #[arg(long, value_name = "DOC,YYMMDD,YYMMDD")]
    mrz: Option<String>,
    /// A CCCD: the 12-digit ID number, date of birth, date of expiry.
    #[arg(long, value_name = "ID,YYMMDD,YYMMDD")]
    cccd: Option<String>,
    /// With `--cccd`: the holder's full name (DG13 as given, the MRZ
    /// without diacritics) instead of a synthetic one.
    #[arg(long, value_name = "NAME", requires = "cccd")]
    name: Option<String>,
    /// A passport whose chip offers PACE with this Card Access Number.
    #[arg(long, value_name = "N")]
    can: Option<String>,
    /// Offer PACE (ECDH Generic Mapping) on this curve: p256,
    /// brainpoolp256r1, p384... (see `chip read --sim-pace`).
    #[arg(long, value_name = "CURVE", value_parser = parse_curve)]
    pace: Option<DomainParameters>,
    /// PACE's cipher: 3des, aes128, aes192, aes256.
    #[arg(long, value_name = "CIPHER", value_parser = parse_cipher, default_value = "aes128")]
    cipher: KeyKind,
    /// PACE with Chip Authentication Mapping (ECDH, AES) and
    /// EF.CardSecurity, instead of Generic Mapping.
    #[arg(long)]
    cam: bool,
    /// Short APDUs only (else extended length, announced in the ATR).
    #[arg(long)]
    short: bool,
    /// The longest response APDU the chip sends, in bytes (at most 65535,
    /// vpcd's limit).
    #[arg(long, value_name = "N")]
    max_response: Option<usize>,
    /// vpcd's host.
    #[arg(long, default_value = "localhost")]
    host: String,
    /// vpcd's port (35963: reader "Virtual PCD 00 00").
    #[arg(long, default_value_t = vpcd::DEFAULT_PORT)]
    port: u16,
    /// Write the simulator's test CSCA (DER) here, for `chip read --csca`.
    #[arg(long, value_name = "FILE")]
    write_csca: Option<PathBuf>,
    /// Stop when vpcd closes the connection instead of reconnecting.
    #[arg(long)]
    once: bool,
    /// Leave the reader after answering N APDUs of a connection, as a card
    /// pulled off mid-read (then come back, as a card put back): for
    /// testing how readers take a lost card.
    #[arg(long, value_name = "N", hide = true)]
    vanish_after: Option<u64>,
}

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Serve(args) = cmd;
    match (args.profile, &args.cccd, &args.mrz) {
        (Some(Profile::Cccd), None, _) => {
            return Err(Failure(
                "--profile cccd needs --cccd ID,YYMMDD,YYMMDD".into(),
            ));
        }
        (Some(Profile::Passport), Some(_), _) => {
            return Err(Failure(
                "--profile passport takes --mrz or --can, not --cccd".into(),
            ));
        }
        _ => {}
    }
    let (credential, profile) = key_and_profile(
        args.mrz.as_deref(),
        args.cccd.as_deref(),
        args.can.as_deref(),
        args.name.as_deref(),
    )?;
    let pace = match (args.pace, &credential) {
        (Some(p), _) => Some(p),
        (None, icao9303::reader::Credential::Can(_)) => Some(DomainParameters::Secp256r1),
        (None, _) => None,
    };
    let max = args.max_response.unwrap_or(vpcd::MAX_MESSAGE);
    if max > vpcd::MAX_MESSAGE {
        return Err(Failure(format!(
            "--max-response {max}: vpcd carries at most {} bytes",
            vpcd::MAX_MESSAGE
        )));
    }
    let sim = SimChip {
        pace,
        cipher: args.cipher,
        cam: args.cam,
        short: args.short,
        max_response: Some(max),
    };
    let (chip, pki) = build_sim(profile, &sim)?;
    if let Some(path) = &args.write_csca {
        std::fs::write(path, pki.csca_certificate())
            .map_err(|e| Failure(format!("cannot write {}: {e}", path.display())))?;
    }
    let mut card = VirtualCard::new(chip);
    let kind = if args.cccd.is_some() {
        "CCCD"
    } else {
        "passport"
    };
    let pace_note = match pace {
        Some(p) if args.cam => format!("PACE-CAM on {p:?} and BAC"),
        Some(p) => format!("PACE on {p:?} and BAC"),
        None => "BAC".to_owned(),
    };
    eprintln!(
        "sim serve: a virtual {kind} ({pace_note}, {} APDUs) for vpcd at {}:{}",
        if args.short { "short" } else { "extended" },
        args.host,
        args.port
    );
    let mut waiting_said = false;
    loop {
        match TcpStream::connect((args.host.as_str(), args.port)) {
            Ok(mut stream) => {
                let _ = stream.set_nodelay(true);
                eprintln!("sim serve: connected to vpcd: the card is on the reader");
                waiting_said = false;
                match serve(&mut stream, &mut card, args.vanish_after) {
                    Ok(()) => eprintln!("sim serve: vpcd closed the connection (pcscd stopped?)"),
                    Err(e) => eprintln!("sim serve: connection lost: {e}"),
                }
            }
            Err(e) => {
                if !waiting_said {
                    eprintln!(
                        "sim serve: waiting for vpcd at {}:{} ({e}; is pcscd running with \
                         vsmartcard-vpcd? scripts/pcsc-env starts it)",
                        args.host, args.port
                    );
                    waiting_said = true;
                }
            }
        }
        if args.once {
            return Ok(Outcome::Ok);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// `vpcd::serve`, or with `vanish_after`, the same loop that drops the
/// connection after that many APDUs.
fn serve(
    stream: &mut TcpStream,
    card: &mut VirtualCard,
    vanish_after: Option<u64>,
) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let Some(limit) = vanish_after else {
        return vpcd::serve(stream, card);
    };
    let mut decoder = Decoder::new();
    let mut buf = vec![0u8; 4096];
    let mut apdus = 0u64;
    loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return decoder.finish();
        }
        decoder.push(buf.get(..n).unwrap_or_default());
        while let Some(message) = decoder.next_message()? {
            if matches!(message, Message::Apdu(_)) {
                if apdus >= limit {
                    eprintln!("sim serve: the card leaves the reader after {apdus} APDUs");
                    return Err(std::io::Error::other("the card left (--vanish-after)"));
                }
                apdus += 1;
            }
            if let Some(answer) = card.handle(message) {
                stream.write_all(&vpcd::encode(&answer)?)?;
            }
        }
    }
}
