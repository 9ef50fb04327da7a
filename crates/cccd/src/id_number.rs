//! The 12-digit personal identification number (số định danh cá nhân), which
//! is also the CCCD number and the account's login name.
//!
//! Layout (Decree 137/2015/NĐ-CP art. 13; codes in Circular 07/2016/TT-BCA,
//! Appendix 1): 3 digits for the province (or country) where the birth was
//! registered, 1 digit for the century of birth and sex, 2 digits for the
//! year of birth within the century, 6 random digits.
//!
//! The province codes are those of the 63 provinces of 2016. Vietnam merged
//! provinces in 2025, but numbers already issued keep their codes, so the
//! table stays the one to decode them with.

#[allow(unused_imports)]
use crate::prelude::*;
use core::fmt;

use icao9303::Date;

use crate::{Error, Sex};

/// A 12-digit personal identification number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber([u8; 12]);

/// A province of birth registration: its code and name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Province {
    /// The three-digit code, e.g. 1 for Hà Nội, 79 for Hồ Chí Minh.
    pub code: u16,
    /// The name (Vietnamese, NFC).
    pub name: &'static str,
}

/// Circular 07/2016/TT-BCA, Appendix 1: the 63 codes and their provinces.
pub const PROVINCES: [Province; 63] = {
    const fn p(code: u16, name: &'static str) -> Province {
        Province { code, name }
    }
    [
        p(1, "Hà Nội"),
        p(2, "Hà Giang"),
        p(4, "Cao Bằng"),
        p(6, "Bắc Kạn"),
        p(8, "Tuyên Quang"),
        p(10, "Lào Cai"),
        p(11, "Điện Biên"),
        p(12, "Lai Châu"),
        p(14, "Sơn La"),
        p(15, "Yên Bái"),
        p(17, "Hòa Bình"),
        p(19, "Thái Nguyên"),
        p(20, "Lạng Sơn"),
        p(22, "Quảng Ninh"),
        p(24, "Bắc Giang"),
        p(25, "Phú Thọ"),
        p(26, "Vĩnh Phúc"),
        p(27, "Bắc Ninh"),
        p(30, "Hải Dương"),
        p(31, "Hải Phòng"),
        p(33, "Hưng Yên"),
        p(34, "Thái Bình"),
        p(35, "Hà Nam"),
        p(36, "Nam Định"),
        p(37, "Ninh Bình"),
        p(38, "Thanh Hóa"),
        p(40, "Nghệ An"),
        p(42, "Hà Tĩnh"),
        p(44, "Quảng Bình"),
        p(45, "Quảng Trị"),
        p(46, "Thừa Thiên Huế"),
        p(48, "Đà Nẵng"),
        p(49, "Quảng Nam"),
        p(51, "Quảng Ngãi"),
        p(52, "Bình Định"),
        p(54, "Phú Yên"),
        p(56, "Khánh Hòa"),
        p(58, "Ninh Thuận"),
        p(60, "Bình Thuận"),
        p(62, "Kon Tum"),
        p(64, "Gia Lai"),
        p(66, "Đắk Lắk"),
        p(67, "Đắk Nông"),
        p(68, "Lâm Đồng"),
        p(70, "Bình Phước"),
        p(72, "Tây Ninh"),
        p(74, "Bình Dương"),
        p(75, "Đồng Nai"),
        p(77, "Bà Rịa - Vũng Tàu"),
        p(79, "Hồ Chí Minh"),
        p(80, "Long An"),
        p(82, "Tiền Giang"),
        p(83, "Bến Tre"),
        p(84, "Trà Vinh"),
        p(86, "Vĩnh Long"),
        p(87, "Đồng Tháp"),
        p(89, "An Giang"),
        p(91, "Kiên Giang"),
        p(92, "Cần Thơ"),
        p(93, "Hậu Giang"),
        p(94, "Sóc Trăng"),
        p(95, "Bạc Liêu"),
        p(96, "Cà Mau"),
    ]
};

/// The province with `code`, if it is one of the 63.
pub fn province(code: u16) -> Option<Province> {
    PROVINCES
        .binary_search_by_key(&code, |p| p.code)
        .ok()
        .and_then(|i| PROVINCES.get(i).copied())
}

/// Something in an ID number that does not agree with other data. A
/// warning, not an error: registries hold numbers issued with mistakes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum IdWarning {
    /// The first three digits are not one of the 63 province codes (they may
    /// be a country code for a birth registered abroad).
    UnknownProvince {
        /// The code found.
        code: u16,
    },
    /// The century or year digits disagree with the date of birth.
    BirthYear {
        /// The year the number encodes.
        in_id: u16,
        /// The year of the date of birth.
        date_of_birth: u16,
    },
    /// The sex digit disagrees with the stated sex.
    Sex {
        /// The sex the number encodes.
        in_id: Sex,
        /// The stated sex.
        stated: Sex,
    },
}

impl fmt::Display for IdWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdWarning::UnknownProvince { code } => {
                write!(
                    f,
                    "ID number: {code:03} is not one of the 63 province codes"
                )
            }
            IdWarning::BirthYear {
                in_id,
                date_of_birth,
            } => write!(
                f,
                "ID number: encodes birth year {in_id}, date of birth is in {date_of_birth}"
            ),
            IdWarning::Sex { in_id, stated } => {
                write!(f, "ID number: encodes sex {in_id}, stated sex is {stated}")
            }
        }
    }
}

impl IdNumber {
    /// Parses exactly 12 ASCII digits.
    pub fn parse(s: &str) -> Result<IdNumber, Error> {
        let digits: [u8; 12] = s.as_bytes().try_into().map_err(|_| Error::IdNumber {
            problem: "must be exactly 12 digits",
        })?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(Error::IdNumber {
                problem: "must hold only the digits 0-9",
            });
        }
        Ok(IdNumber(digits))
    }

    /// The 12 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        core::str::from_utf8(&self.0).unwrap_or("")
    }

    fn digit(&self, i: usize) -> u16 {
        self.0.get(i).map_or(0, |d| u16::from(d - b'0'))
    }

    /// The province (or country) code of birth registration, digits 1-3.
    pub fn province_code(&self) -> u16 {
        self.digit(0) * 100 + self.digit(1) * 10 + self.digit(2)
    }

    /// The province of birth registration, when the code is one of the 63.
    pub fn province(&self) -> Option<Province> {
        province(self.province_code())
    }

    /// The century of birth, from digit 4: 1900 for 0/1, 2000 for 2/3, up to
    /// 2300 for 8/9.
    pub fn birth_century(&self) -> u16 {
        1900 + self.digit(3) / 2 * 100
    }

    /// The sex, from digit 4: even for male, odd for female.
    pub fn sex(&self) -> Sex {
        if self.digit(3).is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Digits 5-6: the year of birth within the century.
    pub fn birth_year_2(&self) -> u8 {
        // at most 99
        u8::try_from(self.digit(4) * 10 + self.digit(5)).unwrap_or(0)
    }

    /// The year of birth the number encodes.
    pub fn birth_year(&self) -> u16 {
        self.birth_century() + u16::from(self.birth_year_2())
    }

    /// The last 9 digits: the document number in the card's MRZ.
    pub fn document_number(&self) -> &str {
        self.as_str().get(3..).unwrap_or("")
    }

    /// Compares the number with a date of birth and a sex, and with the
    /// province table. Disagreements are warnings.
    pub fn check_against(&self, date_of_birth: Date, sex: Sex) -> Vec<IdWarning> {
        let mut warnings = Vec::new();
        if self.province().is_none() {
            warnings.push(IdWarning::UnknownProvince {
                code: self.province_code(),
            });
        }
        if self.birth_year() != date_of_birth.year() {
            warnings.push(IdWarning::BirthYear {
                in_id: self.birth_year(),
                date_of_birth: date_of_birth.year(),
            });
        }
        if self.sex() != sex {
            warnings.push(IdWarning::Sex {
                in_id: self.sex(),
                stated: sex,
            });
        }
        warnings
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::str::FromStr for IdNumber {
    type Err = Error;
    fn from_str(s: &str) -> Result<IdNumber, Error> {
        IdNumber::parse(s)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for IdNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for IdNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<IdNumber, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        IdNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_table_has_63_sorted_distinct_codes_from_1_to_96() {
        assert_eq!(PROVINCES.len(), 63);
        assert!(PROVINCES.windows(2).all(|w| w[0].code < w[1].code));
        assert_eq!(PROVINCES.first().unwrap().code, 1);
        assert_eq!(PROVINCES.last().unwrap().code, 96);
    }

    #[test]
    fn decodes_the_synthetic_vector() {
        // shared/vectors/cccd-mrz.toml [card]: 001099012345, male, born 1999.
        let id = IdNumber::parse("001099012345").unwrap();
        assert_eq!(id.province_code(), 1);
        assert_eq!(id.province().unwrap().name, "Hà Nội");
        assert_eq!(id.birth_century(), 1900);
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year_2(), 99);
        assert_eq!(id.birth_year(), 1999);
        assert_eq!(id.document_number(), "099012345");
        assert!(
            id.check_against(Date::new(1999, 3, 15).unwrap(), Sex::Male)
                .is_empty()
        );
    }

    #[test]
    fn century_and_sex_digit() {
        // Decree 137/2015 art. 13 §3: 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 2300s.
        let expect = [
            (1900, Sex::Male),
            (1900, Sex::Female),
            (2000, Sex::Male),
            (2000, Sex::Female),
            (2100, Sex::Male),
            (2100, Sex::Female),
            (2200, Sex::Male),
            (2200, Sex::Female),
            (2300, Sex::Male),
            (2300, Sex::Female),
        ];
        for (d, (century, sex)) in expect.into_iter().enumerate() {
            let id = IdNumber::parse(&format!("079{d}05123456")).unwrap();
            assert_eq!((id.birth_century(), id.sex()), (century, sex), "digit {d}");
            assert_eq!(id.birth_year(), century + 5);
            assert_eq!(id.province().unwrap().name, "Hồ Chí Minh");
        }
    }

    #[test]
    fn disagreements_are_warnings() {
        let id = IdNumber::parse("097305123456").unwrap();
        let w = id.check_against(Date::new(2004, 1, 2).unwrap(), Sex::Male);
        assert_eq!(
            w,
            vec![
                IdWarning::UnknownProvince { code: 97 },
                IdWarning::BirthYear {
                    in_id: 2005,
                    date_of_birth: 2004
                },
                IdWarning::Sex {
                    in_id: Sex::Female,
                    stated: Sex::Male
                },
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_12_digits() {
        for bad in [
            "",
            "00109901234",
            "0010990123456",
            "00109901234a",
            "００1099012345",
            " 01099012345",
        ] {
            assert!(
                matches!(IdNumber::parse(bad), Err(Error::IdNumber { .. })),
                "{bad:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_12_digits_parse_and_print_back(s in "[0-9]{12}") {
            let id = IdNumber::parse(&s).unwrap();
            prop_assert_eq!(id.to_string(), s.clone());
            prop_assert_eq!(id.document_number(), &s[3..]);
            prop_assert!(id.birth_year() >= 1900 && id.birth_year() <= 2399);
        }

        #[test]
        fn never_panics(s in ".{0,20}") {
            let _ = IdNumber::parse(&s);
        }
    }
}
