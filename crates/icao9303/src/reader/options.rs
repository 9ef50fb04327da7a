//! What opens the chip, and how to read it.

use core::fmt;

use zeroize::Zeroizing;

use crate::lds::DataGroup;
use crate::mrz::MrzKey;
use crate::pace::PacePassword;

/// What opens the chip. Cloning copies the secret (each copy is zeroized
/// on drop); `Debug` never shows it.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credential {
    /// The MRZ information (BAC, or PACE with the MRZ password).
    Mrz(MrzKey),
    /// The Card Access Number printed on the document (PACE only).
    Can(Zeroizing<String>),
}

impl Credential {
    /// A CAN.
    pub fn can(can: &str) -> Credential {
        Credential::Can(Zeroizing::new(can.to_owned()))
    }

    /// The PACE password it gives: the MRZ's or the CAN.
    pub(crate) fn pace_password(&self) -> PacePassword {
        match self {
            Credential::Mrz(key) => PacePassword::mrz(key),
            Credential::Can(can) => PacePassword::can(can),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::Mrz(_) => f.write_str("Credential::Mrz(<redacted>)"),
            Credential::Can(_) => f.write_str("Credential::Can(<redacted>)"),
        }
    }
}

/// How to read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReaderOptions {
    /// Try PACE when EF.CardAccess offers it (else BAC only).
    pub pace: bool,
    /// Read with READ BINARY by short file identifier (no SELECT); when
    /// false, or when the chip refuses it, SELECT each file first.
    pub short_file_ids: bool,
    /// A fixed chunk of file bytes per READ BINARY (e.g. 160 or 223, as
    /// many readers use), instead of the largest the link allows.
    pub fixed_chunk: Option<usize>,
    /// Data groups to read, in this order; `None`: every one EF.COM or
    /// EF.SOD lists, the holder's data (DG1, DG13) first, then the others
    /// by number (DG2's face image, the largest, after the name and
    /// number).
    pub data_groups: Option<Vec<DataGroup>>,
    /// After reading, run Chip Authentication with DG14's key (when DG14
    /// offers one) and switch to its session keys. Skipped after PACE with
    /// Chip Authentication Mapping, which authenticated the chip already.
    /// On by default, as a clone check should be.
    pub chip_authentication: bool,
    /// After reading, run Active Authentication with DG15's key (when
    /// DG15 was read). Needs feature `pa`; ignored without it. On by
    /// default.
    pub active_authentication: bool,
}

/// Builders: the struct is `#[non_exhaustive]` (a field may be added in a
/// minor release), so other crates start from `ReaderOptions::default()` and set
/// what they need, e.g. `ReaderOptions::default().with_...(...)`; or assign the
/// public fields of a value they hold.
impl ReaderOptions {
    /// Sets [`ReaderOptions::pace`].
    #[must_use]
    pub fn with_pace(mut self, pace: bool) -> ReaderOptions {
        self.pace = pace;
        self
    }

    /// Sets [`ReaderOptions::short_file_ids`].
    #[must_use]
    pub fn with_short_file_ids(mut self, short_file_ids: bool) -> ReaderOptions {
        self.short_file_ids = short_file_ids;
        self
    }

    /// Sets [`ReaderOptions::fixed_chunk`].
    #[must_use]
    pub fn with_fixed_chunk(mut self, fixed_chunk: Option<usize>) -> ReaderOptions {
        self.fixed_chunk = fixed_chunk;
        self
    }

    /// Sets [`ReaderOptions::data_groups`].
    #[must_use]
    pub fn with_data_groups(mut self, data_groups: Option<Vec<DataGroup>>) -> ReaderOptions {
        self.data_groups = data_groups;
        self
    }

    /// Sets [`ReaderOptions::chip_authentication`].
    #[must_use]
    pub fn with_chip_authentication(mut self, chip_authentication: bool) -> ReaderOptions {
        self.chip_authentication = chip_authentication;
        self
    }

    /// Sets [`ReaderOptions::active_authentication`].
    #[must_use]
    pub fn with_active_authentication(mut self, active_authentication: bool) -> ReaderOptions {
        self.active_authentication = active_authentication;
        self
    }
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            pace: true,
            short_file_ids: true,
            fixed_chunk: None,
            data_groups: None,
            chip_authentication: true,
            active_authentication: true,
        }
    }
}
