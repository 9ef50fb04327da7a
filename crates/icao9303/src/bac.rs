//! Basic Access Control (work in progress).

/// Why BAC failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BacErrorKind {
    /// The card's cryptogram carries a wrong MAC.
    #[error("the card's MAC is wrong")]
    BadMac,
}
