//! The population registry stand-in: synthetic citizens from a CSV
//! (`make_registry.py` writes `registry.csv`).

use std::collections::HashMap;

use cccd::Sex;
use eid_account::{CardData, DetailField, FieldMismatch, PersonalDetails, Phone, RegistryAnswer};
use icao9303::date::Date;
use unicode_normalization::UnicodeNormalization;

/// One citizen of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Citizen {
    /// The 12-digit ID number.
    pub(crate) id_number: String,
    /// Full name (NFC).
    pub(crate) full_name: String,
    /// Date of birth.
    pub(crate) date_of_birth: Date,
    /// Sex.
    pub(crate) sex: Sex,
    /// Permanent residence (NFC).
    pub(crate) permanent_residence: String,
    /// The phone registered with the carrier.
    pub(crate) phone: String,
    /// The card's issue date.
    pub(crate) issue_date: Date,
}

/// The registry: citizens by ID number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Registry {
    citizens: HashMap<String, Citizen>,
}

/// A field of a card's data the registry disagrees on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Difference {
    /// The field, as [`DetailField`] names it.
    pub(crate) detail: DetailField,
    /// `id_number`, `full_name`, `date_of_birth`, `sex`,
    /// `permanent_residence`.
    pub(crate) field: &'static str,
    /// What the card says.
    pub(crate) card: String,
    /// What the registry says.
    pub(crate) registry: String,
}

fn date_text(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Splits one CSV line (RFC 4180 quoting, no newlines inside fields).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

fn nfc(s: &str) -> String {
    s.trim().nfc().collect()
}

impl Registry {
    /// Parses the CSV text (header `id_number,full_name,date_of_birth,sex,
    /// permanent_residence,phone,issue_date`; dates YYYY-MM-DD; sex Nam/Nữ).
    pub(crate) fn parse(text: &str) -> Result<Registry, String> {
        let mut citizens = HashMap::new();
        for (n, line) in text.lines().enumerate().skip(1) {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let f = split_csv(line);
            let [id, name, dob, sex, residence, phone, issue] = f.as_slice() else {
                return Err(format!(
                    "line {}: expected 7 fields, found {}",
                    n + 1,
                    f.len()
                ));
            };
            let date = |s: &str, what: &str| {
                Date::parse_iso(s.trim()).ok_or_else(|| format!("line {}: bad {what}", n + 1))
            };
            let sex = match nfc(sex).as_str() {
                "Nam" => Sex::Male,
                "Nữ" => Sex::Female,
                other => return Err(format!("line {}: bad sex {other:?}", n + 1)),
            };
            let citizen = Citizen {
                id_number: id.trim().to_owned(),
                full_name: nfc(name),
                date_of_birth: date(dob, "date_of_birth")?,
                sex,
                permanent_residence: nfc(residence),
                phone: phone.trim().to_owned(),
                issue_date: date(issue, "issue_date")?,
            };
            citizens.insert(citizen.id_number.clone(), citizen);
        }
        Ok(Registry { citizens })
    }

    /// The citizen with this ID number.
    pub(crate) fn get(&self, id_number: &str) -> Option<&Citizen> {
        self.citizens.get(id_number)
    }

    /// How many citizens.
    pub(crate) fn len(&self) -> usize {
        self.citizens.len()
    }

    /// Where a card's data (a dossier's: QR, chip or typed by an officer)
    /// disagree with the registry's row of its ID number: full name (NFC),
    /// date of birth, sex, and with `residence` the permanent residence
    /// when the card gives one. `None` when the registry has no such
    /// citizen.
    pub(crate) fn card_differences(
        &self,
        card: &CardData,
        residence: bool,
    ) -> Option<Vec<Difference>> {
        let c = self.get(card.id_number.as_str())?;
        let mut out = Vec::new();
        let mut push = |detail, field, card: String, registry: String| {
            out.push(Difference {
                detail,
                field,
                card,
                registry,
            });
        };
        if nfc(&card.full_name) != c.full_name {
            push(
                DetailField::FullName,
                "full_name",
                card.full_name.clone(),
                c.full_name.clone(),
            );
        }
        if card.date_of_birth != c.date_of_birth {
            push(
                DetailField::DateOfBirth,
                "date_of_birth",
                date_text(card.date_of_birth),
                date_text(c.date_of_birth),
            );
        }
        if card.sex != c.sex {
            push(
                DetailField::Sex,
                "sex",
                card.sex.to_string(),
                c.sex.to_string(),
            );
        }
        if let Some(r) = card.permanent_residence.as_deref().filter(|_| residence)
            && nfc(r) != c.permanent_residence
        {
            push(
                DetailField::PermanentResidence,
                "permanent_residence",
                r.to_owned(),
                c.permanent_residence.clone(),
            );
        }
        Some(out)
    }

    /// The registry's answer on a level-2 record: the card's data
    /// ([`Registry::card_differences`], the residence only when the
    /// officer typed it: a card's printed address may predate a move) and
    /// the phone the citizen gives, which must be the one the registry
    /// holds for her ("SĐT khi làm CCCD", 004).
    pub(crate) fn check_card(&self, card: &CardData, phone: &Phone) -> RegistryAnswer {
        let typed = card.source == eid_account::ChipSource::Typed;
        let Some(differences) = self.card_differences(card, typed) else {
            return RegistryAnswer::NotFound;
        };
        let mut fields: Vec<DetailField> = Vec::new();
        if let Some(c) = self.get(card.id_number.as_str())
            && Phone::parse(&c.phone).ok().as_ref() != Some(phone)
        {
            fields.push(DetailField::Phone);
        }
        fields.extend(differences.iter().map(|d| d.detail));
        if fields.is_empty() {
            RegistryAnswer::Match
        } else {
            RegistryAnswer::Mismatch(
                fields
                    .into_iter()
                    .map(|field| FieldMismatch { field })
                    .collect(),
            )
        }
    }

    /// The registry's answer on submitted details and phone.
    pub(crate) fn check(
        &self,
        id_number: &str,
        phone: Option<&Phone>,
        details: &PersonalDetails,
    ) -> RegistryAnswer {
        let Some(c) = self.get(id_number) else {
            return RegistryAnswer::NotFound;
        };
        let mut fields = Vec::new();
        if let Some(p) = phone
            && Phone::parse(&c.phone).ok().as_ref() != Some(p)
        {
            fields.push(DetailField::Phone);
        }
        if nfc(&details.full_name) != c.full_name {
            fields.push(DetailField::FullName);
        }
        if details.date_of_birth != c.date_of_birth {
            fields.push(DetailField::DateOfBirth);
        }
        if details.sex != c.sex {
            fields.push(DetailField::Sex);
        }
        if nfc(&details.permanent_residence) != c.permanent_residence {
            fields.push(DetailField::PermanentResidence);
        }
        if fields.is_empty() {
            RegistryAnswer::Match
        } else {
            RegistryAnswer::Mismatch(
                fields
                    .into_iter()
                    .map(|field| FieldMismatch { field })
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields() {
        assert_eq!(split_csv(r#"a,"b, c",d"#), vec!["a", "b, c", "d"]);
        assert_eq!(split_csv(r#""x""y",z"#), vec!["x\"y", "z"]);
    }
}
