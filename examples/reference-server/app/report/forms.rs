//! The two forms of seed 003 as files: Mẫu số 02 (the weekly list of the
//! organisation's people and their registration) and Mẫu số 01 (its
//! propaganda teams), with their header texts as the seed writes them;
//! written as CSV and as an .xlsx workbook (`rust_xlsxwriter`).

use std::borrow::Cow;

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::standing::Summary;
use crate::app::store::TeamMember;

/// Mẫu số 02's columns, verbatim from seed 003 (line 82).
pub(crate) const MAU_02_COLUMNS: [&str; 7] = [
    "STT",
    "Họ tên",
    "Ngày sinh",
    "HKTT",
    "Số CCCD",
    "Số điện thoại",
    "Đã đăng ký định danh",
];

/// Mẫu số 01's first header row, verbatim from seed 003 (line 61):
/// "Danh sách thành viên" spans the three columns of the second row.
pub(crate) const MAU_01_TOP: [&str; 4] = [
    "STT",
    "Tên Tổ tuyên truyền",
    "Danh sách thành viên",
    "Ghi chú",
];

/// Mẫu số 01's second header row, under "Danh sách thành viên" (line 62).
pub(crate) const MAU_01_MEMBERS: [&str; 3] = ["Họ tên", "Chức vụ", "Số điện thoại"];

/// Mẫu số 02's title. The seed's line 78 is garbled by its text
/// extraction ("CÔNG TY CỔ ĐẦU DẪN KỸ, KÍCH HOẠT TÙM TÙM..."); this is
/// what it asks for in its own words (line 31: "số lượng công nhân đã
/// đăng ký, kích hoạt thành công tài khoản Định danh điện tử").
pub(crate) const MAU_02_TITLE: &str =
    "CÔNG NHÂN ĐÃ ĐĂNG KÝ, KÍCH HOẠT THÀNH CÔNG TÀI KHOẢN ĐỊNH DANH ĐIỆN TỬ";

/// Mẫu số 01's title (line 58, whose "ĐỊNH ĐIỆN TỬ" lost its "DANH").
pub(crate) const MAU_01_TITLE: &str =
    "TỔ TUYÊN TRUYỀN, ĐĂNG KÝ, KÍCH HOẠT TÀI KHOẢN ĐỊNH DANH ĐIỆN TỬ";

/// The row (from 0) of Mẫu số 02's header in the workbook's first sheet,
/// under the organisation, the form's number and the title.
pub(crate) const MAU_02_HEADER_ROW: u32 = 4;

/// The row (from 0) of Mẫu số 01's first header row in its sheet.
pub(crate) const MAU_01_HEADER_ROW: u32 = 4;

/// The sheets' names.
pub(crate) const SHEETS: [&str; 3] = ["Mẫu số 02", "Mẫu số 01", "Tổng hợp"];

/// One row of Mẫu số 02: the seven cells as the form writes them, and the
/// same facts for programs (the JSON answer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Mau02Row {
    /// STT.
    pub(crate) stt: usize,
    /// Họ tên.
    pub(crate) full_name: String,
    /// Ngày sinh (ISO 8601; the files write it as the form does).
    pub(crate) date_of_birth: Option<String>,
    /// Ngày sinh as the form writes it (day/month/year).
    #[serde(skip)]
    pub(crate) date_of_birth_vi: String,
    /// HKTT.
    pub(crate) permanent_residence: String,
    /// Số CCCD.
    pub(crate) id_number: String,
    /// Số điện thoại.
    pub(crate) phone: String,
    /// Đã đăng ký định danh, in Vietnamese.
    pub(crate) registration_vi: String,
    /// The level held (1, 2), if any.
    pub(crate) level: Option<u8>,
    /// Whether the identity is activated.
    pub(crate) activated: bool,
    /// The latest dossier's status code (`submitted`, `approved`,
    /// `not_accepted`), if any.
    pub(crate) dossier_status: Option<&'static str>,
}

impl Mau02Row {
    fn cells(&self) -> [String; 7] {
        [
            self.stt.to_string(),
            self.full_name.clone(),
            self.date_of_birth_vi.clone(),
            self.permanent_residence.clone(),
            self.id_number.clone(),
            self.phone.clone(),
            self.registration_vi.clone(),
        ]
    }
}

/// A team of Mẫu số 01: its number, name and members, in the order
/// uploaded (a team named again later joins its first appearance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Team {
    /// STT.
    pub(crate) stt: usize,
    /// Tên Tổ tuyên truyền.
    pub(crate) team: String,
    /// Its members.
    pub(crate) members: Vec<Member>,
}

/// A member of a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Member {
    /// Họ tên.
    pub(crate) full_name: String,
    /// Chức vụ.
    pub(crate) position: String,
    /// Số điện thoại.
    pub(crate) phone: String,
    /// Ghi chú.
    pub(crate) note: String,
}

/// The stored members grouped into teams.
pub(crate) fn teams(members: Vec<TeamMember>) -> Vec<Team> {
    let mut out: Vec<Team> = Vec::new();
    for m in members {
        let member = Member {
            full_name: m.full_name,
            position: m.position,
            phone: m.phone,
            note: m.note,
        };
        match out.iter_mut().find(|t| t.team == m.team) {
            Some(t) => t.members.push(member),
            None => out.push(Team {
                stt: out.len() + 1,
                team: m.team,
                members: vec![member],
            }),
        }
    }
    out
}

/// Mẫu số 01's rows as the form lays them out: the team's number and name
/// on its first member's row only.
fn team_rows(teams: &[Team]) -> Vec<[String; 6]> {
    let mut rows = Vec::new();
    for t in teams {
        for (i, m) in t.members.iter().enumerate() {
            let (stt, name) = if i == 0 {
                (t.stt.to_string(), t.team.clone())
            } else {
                (String::new(), String::new())
            };
            rows.push([
                stt,
                name,
                m.full_name.clone(),
                m.position.clone(),
                m.phone.clone(),
                m.note.clone(),
            ]);
        }
    }
    rows
}

/// A CSV cell a spreadsheet would not run: a text starting with `=`, `+`,
/// `-`, `@`, tab or carriage return is a formula to Excel and LibreOffice
/// (OWASP, "CSV Injection"), and names, residences and notes come from
/// uploads and typed forms, so such a cell gets a leading `'`.
fn inert(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// CSV of `header` and `rows`, UTF-8 with a byte-order mark first: Excel
/// opens a CSV file without one in the machine's ANSI code page
/// (Windows-1258 on a Vietnamese Windows, 1252 elsewhere) and shows every
/// letter with a diacritic as two or three wrong ones; with the mark it
/// reads UTF-8. Other readers skip it (Python's `utf-8-sig`, LibreOffice).
fn csv_with_bom<const N: usize>(header: &[&str], rows: &[[String; N]]) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header).map_err(|e| e.to_string())?;
    for r in rows {
        w.write_record(r.iter().map(|c| inert(c).into_owned()))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// Mẫu số 02 as CSV: the header row, then one row a person.
pub(crate) fn mau02_csv(rows: &[Mau02Row]) -> Result<Vec<u8>, String> {
    let cells: Vec<[String; 7]> = rows.iter().map(Mau02Row::cells).collect();
    csv_with_bom(&MAU_02_COLUMNS, &cells)
}

/// Mẫu số 01 as CSV, its two header rows in one: STT, Tên Tổ tuyên
/// truyền, Họ tên, Chức vụ, Số điện thoại, Ghi chú.
pub(crate) fn mau01_csv(teams: &[Team]) -> Result<Vec<u8>, String> {
    let header = [
        MAU_01_TOP[0],
        MAU_01_TOP[1],
        MAU_01_MEMBERS[0],
        MAU_01_MEMBERS[1],
        MAU_01_MEMBERS[2],
        MAU_01_TOP[3],
    ];
    csv_with_bom(&header, &team_rows(teams))
}

/// The formats of the workbook.
struct Formats {
    title: Format,
    header: Format,
    cell: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_align(FormatAlign::Center),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            cell: boxed,
            percent: Format::new().set_num_format("0.0%"),
        }
    }
}

/// The lines above a form's header: the organisation and the form's
/// number, "DANH SÁCH" and the title, centred over `last_col + 1` columns.
fn heading(
    ws: &mut Worksheet,
    f: &Formats,
    org: &str,
    form: &str,
    title: &str,
    last_col: u16,
) -> Result<(), XlsxError> {
    ws.write_string(0, 0, format!("Đơn vị: {org}"))?;
    ws.write_string_with_format(0, last_col, form, &f.title)?;
    ws.merge_range(1, 0, 1, last_col, "DANH SÁCH", &f.title)?;
    ws.merge_range(2, 0, 2, last_col, title, &f.title)?;
    Ok(())
}

/// The Mẫu số 02 sheet. Every value is a string cell (`write_string`): an
/// ID number or phone keeps its leading zero, and no text is ever a
/// formula.
fn mau02_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    org: &str,
    rows: &[Mau02Row],
) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[0])?;
    heading(ws, f, org, "Mẫu số 02", MAU_02_TITLE, 6)?;
    for (c, (h, width)) in MAU_02_COLUMNS
        .iter()
        .zip([6, 28, 12, 45, 15, 14, 40])
        .enumerate()
    {
        let c = u16::try_from(c).unwrap_or(0);
        ws.set_column_width(c, width)?;
        ws.write_string_with_format(MAU_02_HEADER_ROW, c, *h, &f.header)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = MAU_02_HEADER_ROW + 1 + u32::try_from(r).unwrap_or(u32::MAX - 5);
        for (c, cell) in row.cells().iter().enumerate() {
            ws.write_string_with_format(r, u16::try_from(c).unwrap_or(0), cell, &f.cell)?;
        }
    }
    ws.set_freeze_panes(MAU_02_HEADER_ROW + 1, 0)?;
    Ok(())
}

/// The Mẫu số 01 sheet, its two header rows merged as the seed's table.
fn mau01_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    org: &str,
    teams: &[Team],
) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[1])?;
    heading(ws, f, org, "Mẫu số 01", MAU_01_TITLE, 5)?;
    let (top, sub) = (MAU_01_HEADER_ROW, MAU_01_HEADER_ROW + 1);
    ws.merge_range(top, 0, sub, 0, MAU_01_TOP[0], &f.header)?;
    ws.merge_range(top, 1, sub, 1, MAU_01_TOP[1], &f.header)?;
    ws.merge_range(top, 2, top, 4, MAU_01_TOP[2], &f.header)?;
    ws.merge_range(top, 5, sub, 5, MAU_01_TOP[3], &f.header)?;
    for (c, h) in (2u16..).zip(MAU_01_MEMBERS) {
        ws.write_string_with_format(sub, c, h, &f.header)?;
    }
    for (c, width) in (0u16..).zip([6, 30, 28, 22, 15, 30]) {
        ws.set_column_width(c, width)?;
    }
    for (r, row) in team_rows(teams).iter().enumerate() {
        let r = sub + 1 + u32::try_from(r).unwrap_or(u32::MAX - 6);
        for (c, cell) in (0u16..).zip(row) {
            ws.write_string_with_format(r, c, cell, &f.cell)?;
        }
    }
    Ok(())
}

/// The summary sheet: the counts, then the rates as percentages.
fn summary_sheet(ws: &mut Worksheet, f: &Formats, org: &str, s: &Summary) -> Result<(), XlsxError> {
    ws.set_name(SHEETS[2])?;
    ws.write_string(0, 0, format!("Đơn vị: {org}"))?;
    ws.set_column_width(0, 50)?;
    let counts = [
        ("Số người trong danh sách", s.people),
        ("Đã đăng ký định danh", s.registered),
        ("Mức 1", s.level1),
        ("Mức 2", s.level2),
        ("Đã kích hoạt", s.activated),
        ("Đã kích hoạt mức 2", s.activated_level2),
        ("Đã gửi xử lý hồ sơ", s.pending),
        ("Hồ sơ không đạt", s.not_accepted),
        ("Tài khoản chưa được định danh điện tử", s.app_account_only),
        ("Chưa đăng ký", s.not_registered),
    ];
    let mut r = 2;
    for (label, n) in counts {
        ws.write_string(r, 0, label)?;
        // counts far below 2^53: exact as a spreadsheet number
        ws.write_number(r, 1, n as f64)?;
        r += 1;
    }
    for (label, rate) in [
        ("Tỷ lệ kích hoạt", s.activation_rate),
        (
            "Tỷ lệ kích hoạt mức 2 (chỉ tiêu: 100%)",
            s.level2_activation_rate,
        ),
    ] {
        ws.write_string(r, 0, label)?;
        if let Some(rate) = rate {
            ws.write_number_with_format(r, 1, rate, &f.percent)?;
        }
        r += 1;
    }
    Ok(())
}

/// The workbook: Mẫu số 02, Mẫu số 01 and the summary, one sheet each.
pub(crate) fn workbook(
    org: &str,
    rows: &[Mau02Row],
    teams: &[Team],
    summary: &Summary,
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    mau02_sheet(wb.add_worksheet(), &f, org, rows)?;
    mau01_sheet(wb.add_worksheet(), &f, org, teams)?;
    summary_sheet(wb.add_worksheet(), &f, org, summary)?;
    wb.save_to_buffer()
}
