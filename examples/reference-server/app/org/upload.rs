//! An organisation's uploads, parsed and checked: its people (ID number and
//! name, the rows of Mẫu số 02 it files) and its propaganda teams (the
//! rows of Mẫu số 01: team, member, position, phone, note).
//!
//! The text is CSV as spreadsheets save it: a UTF-8 byte-order mark is
//! dropped (Excel's "CSV UTF-8" writes one); the separator is the first of
//! `,` `;` tab found in the header line (a spreadsheet set to Vietnamese
//! separates with `;`, since `,` is its decimal mark; tab is a paste from
//! a sheet). The header names the columns, in English or as the form
//! writes them (`Số CCCD`, `Họ tên`...), in any order, other columns (STT)
//! ignored. Every row must have the header's number of fields (a name with
//! an unquoted comma would shift the columns); a row empty in every column
//! read (the form's numbered blank rows) is skipped. Any refused row
//! refuses the whole upload, each named by its line number (at most
//! [`MAX_ERRORS`] of them).

use std::collections::HashMap;

use cccd::IdNumber;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::app::store::{OrgPerson, TeamMember};

/// Rows an upload may hold.
pub(crate) const MAX_ROWS: usize = 100_000;
/// Refused rows reported at most (the upload is refused past the first).
pub(crate) const MAX_ERRORS: usize = 100;
/// The longest name, position, team or note, in characters.
const MAX_TEXT: usize = 200;

/// Why a line is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Not CSV the reader can split, or not as many fields as the header.
    Malformed(String),
    /// A column the upload needs is not in the header.
    MissingColumn(&'static str),
    /// Not 12 digits.
    IdNumberNot12Digits,
    /// The first three digits are no province's code (Circular 07/2016).
    IdNumberProvince,
    /// A required field is empty.
    Empty(&'static str),
    /// Longer than [`MAX_TEXT`] characters.
    TooLong(&'static str),
    /// A control character (a line break in a field included).
    ControlCharacter(&'static str),
    /// Not a phone number (8 to 15 digits, `+` first allowed).
    Phone,
    /// The same ID number as an earlier line, with another name.
    ConflictingDuplicate {
        /// The earlier line.
        first_line: u64,
    },
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
}

impl Problem {
    /// A stable snake_case code.
    fn code(&self) -> &'static str {
        match self {
            Problem::Malformed(_) => "malformed_csv",
            Problem::MissingColumn(_) => "missing_column",
            Problem::IdNumberNot12Digits => "id_number_not_12_digits",
            Problem::IdNumberProvince => "id_number_unknown_province",
            Problem::Empty(_) => "empty_field",
            Problem::TooLong(_) => "field_too_long",
            Problem::ControlCharacter(_) => "control_character",
            Problem::Phone => "invalid_phone",
            Problem::ConflictingDuplicate { .. } => "conflicting_duplicate",
            Problem::TooManyRows => "too_many_rows",
        }
    }

    /// In Vietnamese.
    fn vi(&self) -> String {
        match self {
            Problem::Malformed(_) => {
                "Dòng không đúng định dạng CSV (số cột khác dòng tiêu đề).".into()
            }
            Problem::MissingColumn(c) => format!("Thiếu cột {c}."),
            Problem::IdNumberNot12Digits => "Số CCCD phải gồm đúng 12 chữ số.".into(),
            Problem::IdNumberProvince => "Số CCCD có mã tỉnh (3 chữ số đầu) không hợp lệ.".into(),
            Problem::Empty(c) => format!("Thiếu {c}."),
            Problem::TooLong(c) => format!("{c} quá dài (tối đa {MAX_TEXT} ký tự)."),
            Problem::ControlCharacter(c) => format!("{c} chứa ký tự không hợp lệ."),
            Problem::Phone => "Số điện thoại không hợp lệ.".into(),
            Problem::ConflictingDuplicate { first_line } => {
                format!("Số CCCD trùng với dòng {first_line} nhưng khác họ tên.")
            }
            Problem::TooManyRows => format!("Danh sách quá {MAX_ROWS} dòng."),
        }
    }

    /// In English.
    fn en(&self) -> String {
        match self {
            Problem::Malformed(e) => format!("not CSV with the header's number of fields: {e}"),
            Problem::MissingColumn(c) => format!("the header has no column {c}"),
            Problem::IdNumberNot12Digits => "the ID number must be exactly 12 digits".into(),
            Problem::IdNumberProvince => {
                "the ID number's first three digits are no province's code".into()
            }
            Problem::Empty(c) => format!("{c} is empty"),
            Problem::TooLong(c) => format!("{c} is longer than {MAX_TEXT} characters"),
            Problem::ControlCharacter(c) => format!("{c} holds a control character"),
            Problem::Phone => "not a phone number (8 to 15 digits, + first allowed)".into(),
            Problem::ConflictingDuplicate { first_line } => {
                format!("the same ID number as line {first_line}, with another name")
            }
            Problem::TooManyRows => format!("more than {MAX_ROWS} rows"),
        }
    }
}

/// A refused line: its number (from 1, the header's is 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    /// The line number.
    pub(crate) line: u64,
    /// Why.
    pub(crate) problem: Problem,
}

impl Serialize for LineError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("LineError", 4)?;
        st.serialize_field("line", &self.line)?;
        st.serialize_field("code", self.problem.code())?;
        st.serialize_field("vi", &self.problem.vi())?;
        st.serialize_field("en", &self.problem.en())?;
        st.end()
    }
}

/// A dropped repetition of an earlier line (same ID number, same name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Duplicate {
    /// The repeated line.
    pub(crate) line: u64,
    /// The line it repeats.
    pub(crate) first_line: u64,
}

/// The people of an accepted upload, in the upload's order, each ID number
/// once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct People {
    /// The people.
    pub(crate) people: Vec<OrgPerson>,
    /// The lines dropped as repetitions.
    pub(crate) duplicates: Vec<Duplicate>,
}

/// A column: its name in the answers, and the header names it goes by.
struct Column {
    name: &'static str,
    aliases: &'static [&'static str],
    required: bool,
}

const PEOPLE_COLUMNS: &[Column] = &[
    Column {
        name: "id_number",
        aliases: &[
            "id_number",
            "số cccd",
            "số định danh",
            "số định danh cá nhân",
        ],
        required: true,
    },
    Column {
        name: "full_name",
        aliases: &["full_name", "họ tên", "họ và tên"],
        required: true,
    },
];

const TEAM_COLUMNS: &[Column] = &[
    Column {
        name: "team",
        aliases: &["team", "tên tổ tuyên truyền", "tổ tuyên truyền"],
        required: true,
    },
    Column {
        name: "full_name",
        aliases: &["full_name", "họ tên", "họ và tên"],
        required: true,
    },
    Column {
        name: "position",
        aliases: &["position", "chức vụ"],
        required: true,
    },
    Column {
        name: "phone",
        aliases: &["phone", "số điện thoại"],
        required: true,
    },
    Column {
        name: "note",
        aliases: &["note", "ghi chú"],
        required: false,
    },
];

/// The separator of the header line (see the module documentation).
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .find(|&c| header.as_bytes().contains(&c))
        .unwrap_or(b',')
}

fn fold(s: &str) -> String {
    s.trim().nfc().collect::<String>().to_lowercase()
}

/// The rows of an upload, each with its line number and the fields of the
/// columns asked for (in their order), and the lines refused as CSV.
type Rows = (Vec<(u64, Vec<String>)>, Vec<LineError>);

/// The CSV rows of `text`, the header mapped to `columns`; a row empty in
/// every mapped column is skipped. `Err` when the header lacks a required
/// column (or cannot be read): no row can be read then.
fn rows(text: &str, columns: &[Column]) -> Result<Rows, Vec<LineError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let malformed = |e: &csv::Error| LineError {
        line: e.position().map_or(1, csv::Position::line),
        problem: Problem::Malformed(e.to_string()),
    };
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(fold).collect(),
        Err(e) => return Err(vec![malformed(&e)]),
    };
    let mut index = Vec::with_capacity(columns.len());
    let mut errors = Vec::new();
    for c in columns {
        let at = header.iter().position(|h| c.aliases.contains(&h.as_str()));
        if at.is_none() && c.required {
            errors.push(LineError {
                line: 1,
                problem: Problem::MissingColumn(c.name),
            });
        }
        index.push(at);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(malformed(&e));
                if errors.len() >= MAX_ERRORS {
                    break;
                }
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        let fields: Vec<String> = index
            .iter()
            .map(|i| {
                i.and_then(|i| record.get(i))
                    .unwrap_or("")
                    .trim()
                    .nfc()
                    .collect()
            })
            .collect();
        if fields.iter().all(String::is_empty) {
            continue;
        }
        if out.len() >= MAX_ROWS {
            errors.push(LineError {
                line,
                problem: Problem::TooManyRows,
            });
            break;
        }
        out.push((line, fields));
    }
    Ok((out, errors))
}

/// A text field: not empty unless `optional`, at most [`MAX_TEXT`]
/// characters, no control character.
fn field(value: &str, what: &'static str, optional: bool) -> Result<String, Problem> {
    if value.is_empty() && !optional {
        return Err(Problem::Empty(what));
    }
    if value.chars().count() > MAX_TEXT {
        return Err(Problem::TooLong(what));
    }
    if value.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter(what));
    }
    Ok(value.to_owned())
}

/// The ID number, with `cccd`'s checks: 12 digits, a province's code.
fn id_number(value: &str) -> Result<IdNumber, Problem> {
    let id = IdNumber::parse(value).map_err(|_| Problem::IdNumberNot12Digits)?;
    if id.province().is_none() {
        return Err(Problem::IdNumberProvince);
    }
    Ok(id)
}

/// A member's phone: spaces, dots and dashes dropped, then 8 to 15 digits
/// with an optional `+` first (the seed's own examples have 9).
fn phone(value: &str) -> Result<String, Problem> {
    let p: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let digits = p.strip_prefix('+').unwrap_or(&p);
    if (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(p)
    } else {
        Err(Problem::Phone)
    }
}

/// Collects the rows' results: every error (the CSV's and the rows'), in
/// line order, or every value.
fn collect<T>(
    (rows, mut errors): Rows,
    mut each: impl FnMut(u64, &[String]) -> Result<Option<T>, Problem>,
) -> Result<Vec<T>, Vec<LineError>> {
    let mut out = Vec::with_capacity(rows.len());
    for (line, fields) in rows {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        match each(line, &fields) {
            Ok(Some(v)) => out.push(v),
            Ok(None) => {}
            Err(problem) => errors.push(LineError { line, problem }),
        }
    }
    errors.sort_by_key(|e| e.line);
    errors.truncate(MAX_ERRORS);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The people of an upload (columns `id_number`/`Số CCCD` and
/// `full_name`/`Họ tên`). A line repeating an earlier one (same ID number
/// and name, compared as [`crate::app::report::standing::same_name`]
/// does) is dropped and reported; the same ID number with another name
/// refuses the line.
pub(crate) fn people(text: &str) -> Result<People, Vec<LineError>> {
    let rows = rows(text, PEOPLE_COLUMNS)?;
    let mut seen: HashMap<IdNumber, (u64, String)> = HashMap::new();
    let mut duplicates = Vec::new();
    let people = collect(rows, |line, f| {
        let [id, name] = f else {
            return Err(Problem::MissingColumn("full_name"));
        };
        let id = id_number(id)?;
        let name = field(name, "full_name", false)?;
        if let Some((first_line, first_name)) = seen.get(&id) {
            if !crate::app::report::standing::same_name(first_name, &name) {
                return Err(Problem::ConflictingDuplicate {
                    first_line: *first_line,
                });
            }
            duplicates.push(Duplicate {
                line,
                first_line: *first_line,
            });
            return Ok(None);
        }
        seen.insert(id, (line, name.clone()));
        Ok(Some(OrgPerson {
            id_number: id.as_str().to_owned(),
            full_name: name,
        }))
    })?;
    Ok(People { people, duplicates })
}

/// The propaganda teams of an upload (Mẫu số 01: columns `team`/`Tên Tổ
/// tuyên truyền`, `full_name`/`Họ tên`, `position`/`Chức vụ`,
/// `phone`/`Số điện thoại`, optionally `note`/`Ghi chú`). As in the form,
/// an empty team continues the team of the line above.
pub(crate) fn teams(text: &str) -> Result<Vec<TeamMember>, Vec<LineError>> {
    let rows = rows(text, TEAM_COLUMNS)?;
    let mut team = String::new();
    collect(rows, |_, f| {
        let [t, name, position, ph, note] = f else {
            return Err(Problem::MissingColumn("team"));
        };
        if !t.is_empty() {
            team = field(t, "team", false)?;
        } else if team.is_empty() {
            return Err(Problem::Empty("team"));
        }
        Ok(Some(TeamMember {
            team: team.clone(),
            full_name: field(name, "full_name", false)?,
            position: field(position, "position", false)?,
            phone: phone(ph)?,
            note: field(note, "note", true)?,
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        assert_eq!(separator("a;b\n1,2"), b';');
        assert_eq!(separator("a\tb"), b'\t');
        assert_eq!(separator("a,b;c"), b',');
        assert_eq!(separator(""), b',');
    }
}
