//! The population registry stand-in: synthetic citizens from a CSV
//! (`make_registry.py` writes `registry.csv`).

use std::collections::HashMap;

use cccd::Sex;
use eid_account::{DetailField, FieldMismatch, PersonalDetails, Phone, RegistryAnswer};
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
