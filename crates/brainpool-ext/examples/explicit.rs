//! Names the curve of explicit EC domain parameters (DER `ECParameters`, as
//! `openssl ecparam -param_enc explicit -outform DER` writes them and as
//! passport certificates carry them): `cargo run -p brainpool-ext --example
//! explicit -- FILE.der...`; with no argument, the nine files of the
//! crate's `testdata/ecparams`.

use std::path::{Path, PathBuf};

/// The curve the parameters in `path` are, by name and OID.
fn name_curve(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let der = std::fs::read(path)?;
    let named = brainpool_ext::match_explicit_parameters(&der)?;
    Ok(format!("{named} ({})", named.oid()))
}

/// The OpenSSL-made parameter files of the crate's test data
/// (`testdata/README.md` says how each was made).
fn testdata_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/ecparams");
    [
        "secp224r1",
        "prime256v1",
        "secp384r1",
        "secp521r1",
        "brainpoolP224r1",
        "brainpoolP256r1",
        "brainpoolP320r1",
        "brainpoolP384r1",
        "brainpoolP512r1",
    ]
    .iter()
    .map(|name| dir.join(format!("{name}.der")))
    .collect()
}

fn main() -> std::process::ExitCode {
    let mut files: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        files = testdata_files();
    }
    let mut status = std::process::ExitCode::SUCCESS;
    for file in files {
        match name_curve(&file) {
            Ok(name) => println!("{}: {name}", file.display()),
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                status = std::process::ExitCode::FAILURE;
            }
        }
    }
    status
}

#[test]
fn each_openssl_file_is_the_curve_it_was_made_for() {
    // RFC 5639 §4.1 (brainpool) and RFC 5480 §2.1.1.1 (NIST) OIDs.
    let expected = [
        "1.3.132.0.33",
        "1.2.840.10045.3.1.7",
        "1.3.132.0.34",
        "1.3.132.0.35",
        "1.3.36.3.3.2.8.1.1.5",
        "1.3.36.3.3.2.8.1.1.7",
        "1.3.36.3.3.2.8.1.1.9",
        "1.3.36.3.3.2.8.1.1.11",
        "1.3.36.3.3.2.8.1.1.13",
    ];
    for (file, oid) in testdata_files().iter().zip(expected) {
        let name = name_curve(file).unwrap();
        assert!(
            name.ends_with(&format!("({oid})")),
            "{}: {name}",
            file.display()
        );
    }
}
