//! The vector files the suite reads: copies, in `tests/data`, of the
//! project's shared vectors (provenance and SHA-256 in its README), so they
//! travel with a packaged crate. `copies_match_shared` checks each copy
//! against `../shared/vectors` when that is there.

use crate::common::shared;

/// Each copy's name and text (`include_str!`: built into the suite).
const COPIES: [(&str, &str); 2] = [
    (
        "icao9303-bac.toml",
        include_str!("../data/icao9303-bac.toml"),
    ),
    (
        "icao9303-pace.toml",
        include_str!("../data/icao9303-pace.toml"),
    ),
];

/// The vector file `name` (`icao9303-bac.toml`, `icao9303-pace.toml`) as
/// one TOML table.
#[cfg(feature = "chip")]
#[allow(clippy::panic, clippy::unwrap_used)] // a test helper: the panic is the failing test
pub(crate) fn vectors(name: &str) -> toml::Value {
    let Some((_, text)) = COPIES.iter().find(|(n, _)| *n == name) else {
        panic!("no copy of {name} in tests/data");
    };
    toml::Value::Table(toml::from_str(text).unwrap())
}

#[test]
fn copies_match_shared() {
    for (name, copy) in COPIES {
        let Some(original) = shared(&format!("vectors/{name}")) else {
            continue;
        };
        assert!(
            original == copy.as_bytes(),
            "tests/data/{name} differs from ../shared/vectors/{name}: copy it again \
             and update its SHA-256 in tests/data/README.md"
        );
    }
}
