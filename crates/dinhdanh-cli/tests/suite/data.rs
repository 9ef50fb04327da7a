//! The vectors the crate carries in `tests/data` (a packaged crate has no
//! `../shared`; provenance in tests/data/README.md) are byte-identical to
//! the project's `../shared/vectors`, checked when that is there.

use crate::common::shared;

/// Each copy by name, with its bytes as the tests see them.
const COPIES: &[(&str, &[u8])] = &[("otp-rfc.toml", include_bytes!("../data/otp-rfc.toml"))];

#[test]
fn copies_match_shared() {
    for (name, copy) in COPIES {
        let Some(original) = shared(&format!("vectors/{name}")) else {
            continue;
        };
        assert!(
            original == *copy,
            "tests/data/{name} differs from ../shared/vectors/{name}: copy it again \
             and update its SHA-256 in tests/data/README.md"
        );
    }
}
