//! Where one person stands, as the reports show it: the name, date of
//! birth, residence and phone an account holds, its level, whether it is
//! activated, its latest dossier; the Vietnamese words of Mẫu số 02's last
//! column; the summary counts.

use eid_account::{Account, AccountLevel, DossierStatus, Level};
use icao9303::date::Date;
use serde::Serialize;

use crate::app::registry::Registry;

/// The identity side of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    /// The level held (an approved dossier), if any.
    pub(crate) level: Option<Level>,
    /// Whether the identity is activated.
    pub(crate) activated: bool,
    /// The latest dossier: the level applied for and where it stands.
    pub(crate) dossier: Option<(Level, DossierStatus)>,
    /// An app account (003 "Đăng ký tài khoản") holding no level.
    pub(crate) app_account: bool,
}

/// What an account says of its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Standing {
    /// The name: the registration's, or the card's in the dossier (a
    /// level-2 account recorded at the office has no registration).
    pub(crate) full_name: String,
    /// The date of birth, from the same place.
    pub(crate) date_of_birth: Date,
    /// HKTT: the registration's permanent residence, else the population
    /// registry's (the police's record, which a level-2 recording checked).
    pub(crate) residence: String,
    /// The phone: verified by an OTP, or checked by the officer at a
    /// level-2 recording; empty when neither.
    pub(crate) phone: String,
    /// The identity.
    pub(crate) identity: Identity,
}

/// The standing of `account` (with `registry` for the residence of an
/// account without a registration); `None` for an account with neither an
/// app account nor a dossier (a registration whose OTP was never
/// verified).
pub(crate) fn standing(account: &Account, registry: &Registry) -> Option<Standing> {
    let level = match account.level() {
        AccountLevel::Identified { level, .. } => Some(level),
        _ => None,
    };
    let identity = Identity {
        level,
        activated: level.is_some() && account.is_active(),
        dossier: account.dossier().map(|d| (d.level, d.status.clone())),
        app_account: matches!(account.level(), AccountLevel::AppAccount),
    };
    if !identity.app_account && identity.dossier.is_none() && level.is_none() {
        return None;
    }
    let registered = |id: &cccd::IdNumber| {
        registry
            .get(id.as_str())
            .map(|c| c.permanent_residence.clone())
    };
    let (full_name, date_of_birth, residence) = match (account.details(), account.dossier()) {
        (Some(d), _) => (
            d.full_name.clone(),
            d.date_of_birth,
            d.permanent_residence.clone(),
        ),
        (None, Some(d)) => (
            d.card.full_name.clone(),
            d.card.date_of_birth,
            registered(&d.card.id_number).unwrap_or_default(),
        ),
        (None, None) => return None,
    };
    Some(Standing {
        full_name,
        date_of_birth,
        residence,
        phone: account
            .phone()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        identity,
    })
}

/// Whether the name an organisation uploaded is the account's: compared
/// as the approval SMS writes names (no diacritics, upper case, spaces
/// folded), since personnel lists are often typed without diacritics or
/// in capitals. The ID number is the key; the name keeps an organisation
/// from reading the data of an ID number it cannot name (a mistyped one
/// included).
pub(crate) fn same_name(uploaded: &str, account: &str) -> bool {
    cccd::ascii_name::ascii_name(uploaded) == cccd::ascii_name::ascii_name(account)
}

/// "Mức 1", "Mức 2" (Mẫu số 02's own words).
pub(crate) fn level_vi(level: Level) -> &'static str {
    match level {
        Level::One => "Mức 1",
        Level::Two => "Mức 2",
    }
}

/// The last column of Mẫu số 02 for a person with no account, or whose
/// uploaded name is not the account's: one text for both, so the report
/// does not tell which.
pub(crate) const NOT_REGISTERED_VI: &str = "Chưa đăng ký (hoặc họ tên không khớp với Số CCCD)";

/// An app account without a dossier: the seeds' words (003, activation of
/// an app account only).
pub(crate) const APP_ACCOUNT_VI: &str = "Tài khoản chưa được định danh điện tử";

/// The last column of Mẫu số 02 ("Đã đăng ký định danh"): the level as
/// the form writes it, then where it stands in the library's words
/// ([`DossierStatus::message_vi`]): "Mức 1: Hồ sơ được phê duyệt, đã kích
/// hoạt", "Mức 2: Đã gửi xử lý hồ sơ"...; a dossier for another level
/// than the one held follows after `;`.
pub(crate) fn registration_vi(identity: Option<&Identity>) -> String {
    let Some(i) = identity else {
        return NOT_REGISTERED_VI.to_owned();
    };
    let dossier = |(level, status): &(Level, DossierStatus)| {
        format!("{}: {}", level_vi(*level), status.message_vi())
    };
    match (i.level, &i.dossier) {
        (Some(level), other) => {
            let held = format!(
                "{}: {}, {}",
                level_vi(level),
                DossierStatus::Approved.message_vi(),
                if i.activated {
                    "đã kích hoạt"
                } else {
                    "chưa kích hoạt"
                }
            );
            match other {
                Some(d) if d.0 != level && d.1 != DossierStatus::Approved => {
                    format!("{held}; {}", dossier(d))
                }
                _ => held,
            }
        }
        (None, Some(d)) => dossier(d),
        (None, None) => APP_ACCOUNT_VI.to_owned(),
    }
}

/// The summary of an organisation's report: how many of its people stand
/// where, and the activation rates the provincial plans set targets for
/// (002, 004: "100% ... kích hoạt ... tài khoản định danh điện tử mức 2").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct Summary {
    /// People in the organisation's upload.
    pub(crate) people: u64,
    /// With a level held or a dossier (đã đăng ký định danh).
    pub(crate) registered: u64,
    /// Holding level 1.
    pub(crate) level1: u64,
    /// Holding level 2.
    pub(crate) level2: u64,
    /// Holding a level, activated.
    pub(crate) activated: u64,
    /// Holding level 2, activated (the plans' target).
    pub(crate) activated_level2: u64,
    /// Whose latest dossier waits for review ("Đã gửi xử lý hồ sơ").
    pub(crate) pending: u64,
    /// Whose latest dossier was not accepted ("Hồ sơ không đạt").
    pub(crate) not_accepted: u64,
    /// With an app account only.
    pub(crate) app_account_only: u64,
    /// With no account, or whose uploaded name is not the account's.
    pub(crate) not_registered: u64,
    /// `activated / people`; `None` without people.
    pub(crate) activation_rate: Option<f64>,
    /// `activated_level2 / people`; `None` without people.
    pub(crate) level2_activation_rate: Option<f64>,
}

impl Summary {
    /// Counts one person.
    pub(crate) fn count(&mut self, identity: Option<&Identity>) {
        self.people += 1;
        let Some(i) = identity else {
            self.not_registered += 1;
            return;
        };
        match i.level {
            Some(Level::One) => self.level1 += 1,
            Some(Level::Two) => self.level2 += 1,
            None => {}
        }
        if i.level.is_some() && i.activated {
            self.activated += 1;
            if i.level == Some(Level::Two) {
                self.activated_level2 += 1;
            }
        }
        match i.dossier.as_ref().map(|d| &d.1) {
            Some(DossierStatus::Submitted) => self.pending += 1,
            Some(DossierStatus::NotAccepted { .. }) => self.not_accepted += 1,
            _ => {}
        }
        if i.level.is_some() || i.dossier.is_some() {
            self.registered += 1;
        } else {
            self.app_account_only += 1;
        }
    }

    /// Sets the rates from the counts.
    pub(crate) fn finish(mut self) -> Summary {
        let rate = |n: u64| (self.people > 0).then(|| n as f64 / self.people as f64);
        self.activation_rate = rate(self.activated);
        self.level2_activation_rate = rate(self.activated_level2);
        self
    }
}

/// A date as the form writes it: day/month/year, no leading zeros ("1/5/1998").
pub(crate) fn date_vi(d: Date) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

/// A date as ISO 8601 (the JSON answers).
pub(crate) fn date_iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}
