//! The crate's one error type.

#[allow(unused_imports)]
use crate::prelude::*;
use thiserror::Error as ThisError;

use crate::qr::QrField;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// The QR payload is not valid UTF-8.
    #[error("QR payload: {field} at byte {offset}: not valid UTF-8")]
    QrUtf8 {
        /// The field the first invalid byte lies in.
        field: QrField,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The QR payload has fewer fields than a CCCD writes.
    #[error(
        "QR payload: {found} {} separated by '|', expected at least 7: {missing} missing at byte {offset} (the end)",
        field_or_fields(.found)
    )]
    QrFieldCount {
        /// How many fields were found.
        found: usize,
        /// The first field missing.
        missing: QrField,
        /// Where it would have started: the payload's length (trailing
        /// CR/LF left out).
        offset: usize,
    },
    /// A field of the QR payload does not hold what it should.
    #[error("QR payload: {field} at byte {offset}: {problem}")]
    QrField {
        /// Which field.
        field: QrField,
        /// Byte offset of the field in the payload.
        offset: usize,
        /// What is wrong, in a few words.
        problem: &'static str,
    },
    /// Not a 12-digit personal identification number.
    #[error("ID number: {problem}")]
    IdNumber {
        /// What is wrong.
        problem: &'static str,
    },
    /// The MRZ is not the TD1 layout of a CCCD.
    #[error("CCCD MRZ: {problem}")]
    CccdMrz {
        /// What is wrong.
        problem: &'static str,
    },
    /// DG13 does not hold what a CCCD writes there.
    #[error("DG13 at byte {offset}: expected {expected}")]
    Dg13 {
        /// Offset in the file.
        offset: usize,
        /// What should be there.
        expected: &'static str,
    },
    /// An error from the ICAO 9303 layer (MRZ syntax, check digits...).
    #[error(transparent)]
    Icao(#[from] icao9303::Error),
}

/// "field" or "fields" after a count.
fn field_or_fields(n: &usize) -> &'static str {
    if *n == 1 { "field" } else { "fields" }
}
