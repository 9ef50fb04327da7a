//! The Logical Data Structure of ICAO Doc 9303 Part 10: EF.COM, the data
//! groups, EF.SOD, EF.CardAccess and EF.CardSecurity.
