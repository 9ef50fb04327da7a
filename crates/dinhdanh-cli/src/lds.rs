//! `dinhdanh lds inspect FILE [--image OUT]`: an LDS file (EF.COM, a data
//! group, EF.SOD, EF.CardAccess, EF.CardSecurity) parsed and printed as
//! JSON; `--image` writes DG2's face image as the file holds it (JPEG or
//! JPEG 2000).

use std::path::{Path, PathBuf};

use cccd::dg13::Dg13;
use clap::Subcommand;
use icao9303::lds::image::ImageFormat;
use icao9303::lds::sod::HashAlgorithm;
use icao9303::lds::{DataGroup, File};
use serde::Serialize;

use crate::input::print_json;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum Cmd {
    /// Parse an LDS file (chosen by its first tag) and print it as JSON.
    Inspect {
        /// The file, as read from the chip.
        file: PathBuf,
        /// Write DG2's face image to this path (its format is reported in
        /// the JSON: JPEG or JPEG 2000).
        #[arg(long, value_name = "OUT")]
        image: Option<PathBuf>,
    },
}

#[derive(Serialize)]
struct InspectJson<'a> {
    /// `EF.COM`, `DG2`, `EF.SOD`...
    file: &'static str,
    size: usize,
    sha1: String,
    sha256: String,
    /// The parsed content.
    content: Content<'a>,
    /// Where `--image` wrote the face image, and what it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<ImageJson>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Content<'a> {
    Lds(File<'a>),
    Dg13(Dg13<'a>),
}

#[derive(Serialize)]
struct ImageJson {
    path: String,
    format: ImageFormat,
    mime_type: &'static str,
    extension: &'static str,
    bytes: usize,
    width: Option<u32>,
    height: Option<u32>,
}

use hex::encode as hex;

pub(crate) fn run(cmd: Cmd) -> Result<Outcome, Failure> {
    let Cmd::Inspect { file, image } = cmd;
    let raw = std::fs::read(&file)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let parsed = match File::parse(&raw) {
        Ok(f) => f,
        Err(e) => return Ok(Outcome::Refused(format!("{}: {e}", file.display()))),
    };
    let name = parsed.kind().name();
    let content = match parsed {
        File::Other {
            data_group: DataGroup::Dg13,
            ..
        } => match Dg13::parse(&raw) {
            Ok(d) => Content::Dg13(d),
            Err(e) => return Ok(Outcome::Refused(format!("{}: {e}", file.display()))),
        },
        other => Content::Lds(other),
    };
    let image = match image {
        None => None,
        Some(out) => {
            let Content::Lds(File::Dg2(dg2)) = &content else {
                return Ok(Outcome::Refused(format!(
                    "--image: {} is {name}, not a DG2 with a face image",
                    file.display()
                )));
            };
            let Some(face) = dg2.face_image() else {
                return Ok(Outcome::Refused(
                    "--image: the DG2 holds no face image".into(),
                ));
            };
            write_image(&out, face.data)?;
            let format = face.format;
            let dims = face.image_dimensions.or(face.width.zip(face.height));
            Some(ImageJson {
                path: out.display().to_string(),
                format,
                mime_type: format.mime_type(),
                extension: format.extension(),
                bytes: face.data.len(),
                width: dims.map(|d| d.0),
                height: dims.map(|d| d.1),
            })
        }
    };
    let json = InspectJson {
        file: name,
        size: raw.len(),
        sha1: hex(HashAlgorithm::Sha1.digest(&raw)),
        sha256: hex(HashAlgorithm::Sha256.digest(&raw)),
        content,
        image,
    };
    print_json(&json)?;
    Ok(Outcome::Ok)
}

fn write_image(out: &Path, data: &[u8]) -> Result<(), Failure> {
    let format = ImageFormat::detect(data);
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let fits = match format {
        ImageFormat::Jpeg => matches!(ext.as_deref(), Some("jpg" | "jpeg")),
        ImageFormat::Jp2 => matches!(ext.as_deref(), Some("jp2")),
        ImageFormat::J2k => matches!(ext.as_deref(), Some("j2k" | "j2c")),
        _ => true,
    };
    if !fits {
        eprintln!(
            "note: the image is {} ({}); {} has another extension",
            format.mime_type(),
            format.extension(),
            out.display()
        );
    }
    std::fs::write(out, data).map_err(|e| Failure(format!("cannot write {}: {e}", out.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The suite's reader of ../shared (absent from a packaged crate: the
    /// tests skip, saying so).
    #[allow(clippy::panic)]
    mod shared {
        include!("../tests/suite/common/shared.rs");
    }

    /// A file of ../shared/testdata, or `None` when absent.
    fn testdata(path: &str) -> Option<PathBuf> {
        shared::shared_path(&format!("testdata/{path}"))
    }

    #[test]
    fn writes_the_bsi2008_face_as_jpeg2000() {
        let Some(file) = testdata("jmrtd/lds/bsi2008/Datagroup2.bin") else {
            return;
        };
        let out = std::env::temp_dir().join(format!("dinhdanh-lds-{}.jp2", std::process::id()));
        let cmd = Cmd::Inspect {
            file,
            image: Some(out.clone()),
        };
        assert!(matches!(run(cmd), Ok(Outcome::Ok)));
        let written = std::fs::read(&out).unwrap();
        let _ = std::fs::remove_file(&out);
        // README: the JP2 signature is at offset 84 of the 15083-byte file.
        let raw = shared::shared("testdata/jmrtd/lds/bsi2008/Datagroup2.bin").unwrap();
        assert_eq!(written, raw[84..]);
        assert_eq!(ImageFormat::detect(&written), ImageFormat::Jp2);
    }

    #[test]
    fn image_of_a_non_dg2_is_refused() {
        let Some(file) = testdata("jmrtd/lds/bsi2008/EF_COM.bin") else {
            return;
        };
        let cmd = Cmd::Inspect {
            file,
            image: Some(std::env::temp_dir().join("never-written.jpg")),
        };
        assert!(matches!(run(cmd), Ok(Outcome::Refused(m)) if m.contains("not a DG2")));
    }

    #[test]
    fn every_specimen_inspects() {
        for f in [
            "jmrtd/lds/bsi2008/EF_COM.bin",
            "jmrtd/lds/bsi2008/Datagroup1.bin",
            "jmrtd/lds/bsi2008/Datagroup3.bin",
            "jmrtd/lds/bsi2008/Datagroup14.bin",
            "jmrtd/lds/bsi2008/Datagroup15.bin",
            "jmrtd/lds/bsi2008/EF_SOD.bin",
            "jmrtd/lds/loes2006/ef011D.bin",
            "jmrtd/efcardsecurity/efcardsecurity.dump",
            "pymrtd/ef/dg1_test_icao_p10_A2_1_TD1.bin",
        ] {
            let Some(file) = testdata(f) else {
                continue;
            };
            let cmd = Cmd::Inspect { file, image: None };
            assert!(matches!(run(cmd), Ok(Outcome::Ok)), "{f}");
        }
        let Some(file) = testdata("README.md") else {
            return;
        };
        let cmd = Cmd::Inspect { file, image: None };
        assert!(matches!(run(cmd), Ok(Outcome::Refused(_))));
    }
}
