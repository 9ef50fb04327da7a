//! ISO 7816-4 secure messaging (work in progress).

/// Why secure messaging failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SmErrorKind {
    /// The session is closed.
    #[error("the session is closed")]
    SessionClosed,
}
