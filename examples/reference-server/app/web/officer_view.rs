//! The officer queue's view of a dossier, read from the API's listing
//! (`GET /v1/officer/dossiers`: each dossier with the verdict stored on
//! submission, `dossier.rs`'s `DossierVerdict`): the card's fields beside
//! what each other source said where it disagreed, every check, passive
//! authentication's checks, the photos by reference. Nothing here judges:
//! the verdict's `approvable`, checks and mismatches are the server's.

use serde::Serialize;
use serde_json::Value;

use super::staff::StaffChrome;
use super::staff_words::StaffWords;
use crate::app::messages::Lang;

/// An option of a form's list: the API's value (its serde name) and the
/// text a person reads.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    /// What the API takes.
    pub(crate) value: String,
    /// What the page shows.
    pub(crate) text: String,
}

impl Choice {
    /// The choice of `item` (a unit variant of the account rules' enums,
    /// serialised as its snake_case name), shown as `text`.
    pub(crate) fn of<T: Serialize>(item: &T, text: String) -> Choice {
        let value = serde_json::to_value(item)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Choice { value, text }
    }
}

/// One source's disagreement on a field.
#[derive(Debug, Clone)]
pub(crate) struct Disagreement {
    /// "DG13 / CSDLQG về dân cư".
    pub(crate) between: String,
    /// What the other source says.
    pub(crate) other: String,
}

/// A field of the card and what disagrees with it.
#[derive(Debug, Clone)]
pub(crate) struct FieldRow {
    /// The field's name on the page.
    pub(crate) name: String,
    /// The card's value (DG13 or the QR code).
    pub(crate) card: String,
    /// Each source that says otherwise (none: the row reads "Khớp").
    pub(crate) disagreements: Vec<Disagreement>,
}

/// A check and its result.
#[derive(Debug, Clone)]
pub(crate) struct CheckRow {
    /// Its name (the verdict's code).
    pub(crate) name: String,
    /// Its result in words.
    pub(crate) result: String,
    /// Whether it did not pass (highlighted).
    pub(crate) bad: bool,
    /// Why, when the verdict says (passive authentication's checks).
    pub(crate) reason: String,
}

/// A dossier of the queue.
#[derive(Debug, Clone)]
pub(crate) struct DossierView {
    pub(crate) id_number: String,
    /// `1` or `2`.
    pub(crate) level: &'static str,
    /// `nfc`, `qr` or (level 2) the card's source.
    pub(crate) source: String,
    pub(crate) submitted: String,
    pub(crate) status: String,
    pub(crate) fields: Vec<FieldRow>,
    pub(crate) checks: Vec<CheckRow>,
    /// Passive authentication's own checks; empty for a QR dossier.
    pub(crate) pa: Vec<CheckRow>,
    /// `Some(valid)` for a chip dossier.
    pub(crate) pa_valid: Option<bool>,
    pub(crate) selfie: String,
    /// DG2's digest and format ("" for none).
    pub(crate) chip_face: String,
    /// DG2's image is JPEG 2000, which browsers do not show: a download
    /// link instead of an `<img>`.
    pub(crate) jpeg2000: bool,
    /// Where the portrait is served (`/officer/...`; "" for none).
    pub(crate) selfie_src: String,
    /// Where DG2's face is served ("" for none).
    pub(crate) chip_face_src: String,
    /// A level-1 dossier with no stored verdict.
    pub(crate) no_verdict: bool,
    /// Whether the approval is offered (the verdict's `approvable`; level
    /// 2 records are the officer's own).
    pub(crate) approvable: bool,
}

fn text(v: &Value, pointer: &str) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn lang_field(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "message_vi",
        Lang::En => "message_en",
    }
}

/// A source's name on the page (`dg13`, `mrz`, `qr`, `registry`).
fn source_name(code: &str, s: &StaffWords) -> String {
    match code {
        "registry" => s.registry.to_owned(),
        other => other.to_uppercase(),
    }
}

fn result_word(status: &str, s: &StaffWords) -> (String, bool) {
    match status {
        "passed" => (s.passed.to_owned(), false),
        "failed" => (s.failed.to_owned(), true),
        "not_found" => (s.not_found.to_owned(), true),
        "not_applicable" => (s.not_applicable.to_owned(), false),
        other => (other.to_owned(), true),
    }
}

/// The card's fields, each with the mismatches the verdict lists on it
/// (`dg13`/`qr` against `registry`, `dg13` against `mrz`).
fn field_rows(card: &Value, verdict: &Value, k: &StaffChrome) -> Vec<FieldRow> {
    let w = k.c.w;
    let mut rows: Vec<(&str, FieldRow)> = [
        ("id_number", k.s.id_number),
        ("full_name", w.full_name),
        ("date_of_birth", w.date_of_birth),
        ("sex", w.sex),
        ("permanent_residence", w.residence),
    ]
    .into_iter()
    .map(|(code, name)| {
        let row = FieldRow {
            name: name.to_owned(),
            card: text(card, &format!("/{code}")),
            disagreements: Vec::new(),
        };
        (code, row)
    })
    .collect();
    let mismatches = verdict.get("mismatches").and_then(Value::as_array);
    for m in mismatches.into_iter().flatten() {
        // The library's field codes are snake_case or kebab-case.
        let field = text(m, "/field").replace('-', "_");
        let between = format!(
            "{} / {}",
            source_name(&text(m, "/between/0"), k.s),
            source_name(&text(m, "/between/1"), k.s)
        );
        let d = Disagreement {
            between,
            other: text(m, "/right"),
        };
        match rows.iter_mut().find(|(code, _)| *code == field) {
            Some((_, row)) => row.disagreements.push(d),
            None => rows.push((
                "",
                FieldRow {
                    name: field.clone(),
                    card: text(m, "/left"),
                    disagreements: vec![d],
                },
            )),
        }
    }
    rows.into_iter().map(|(_, r)| r).collect()
}

/// The verdict's checks.
fn check_rows(verdict: &Value, s: &StaffWords) -> Vec<CheckRow> {
    let checks = verdict.get("checks").and_then(Value::as_array);
    checks
        .into_iter()
        .flatten()
        .map(|c| {
            let (result, bad) = result_word(&text(c, "/status"), s);
            CheckRow {
                name: text(c, "/check"),
                result,
                bad,
                reason: String::new(),
            }
        })
        .collect()
}

/// Passive authentication's checks (`pa::Verdict`: each a `Check` with
/// `status` and `reason`).
fn pa_rows(pa: &Value, s: &StaffWords) -> Vec<CheckRow> {
    [
        "sod",
        "signature",
        "signed_attributes",
        "chain",
        "validity",
        "revocation",
    ]
    .iter()
    .filter_map(|name| pa.get(*name).map(|c| (name, c)))
    .map(|(name, c)| {
        let (result, bad) = result_word(&text(c, "/status"), s);
        CheckRow {
            name: (*name).to_owned(),
            result,
            bad,
            reason: text(c, "/reason"),
        }
    })
    .collect()
}

/// One entry of the listing.
fn dossier_view(entry: &Value, k: &StaffChrome, lang: Lang) -> DossierView {
    let d = entry.get("dossier").unwrap_or(&Value::Null);
    let verdict = entry.get("verdict").unwrap_or(&Value::Null);
    let level = if text(d, "/level") == "two" { "2" } else { "1" };
    let pa = verdict
        .get("passive_authentication")
        .filter(|v| !v.is_null());
    let face_format = text(verdict, "/dg2_face/format");
    let selfie = match verdict.get("portrait").filter(|v| !v.is_null()) {
        Some(p) => format!(
            "{} ({} × {} {})",
            text(p, "/sha256"),
            text(p, "/width"),
            text(p, "/height"),
            k.s.pixels
        ),
        None => String::new(),
    };
    let chip_face = if face_format.is_empty() {
        String::new()
    } else {
        format!("{} ({face_format})", text(verdict, "/dg2_face/sha256"))
    };
    let no_verdict = level == "1" && (verdict.is_null() || verdict.get("missing").is_some());
    let id_number = text(entry, "/id_number");
    // The photos are the server's only while the dossier waits (the API
    // deletes them with its decision): served to the officer, never cached.
    let src = |kind: &str, shown: bool| {
        if shown {
            format!("/officer/dossiers/{id_number}/photos/{kind}")
        } else {
            String::new()
        }
    };
    DossierView {
        selfie_src: src("portrait", !selfie.is_empty()),
        chip_face_src: src("face", !chip_face.is_empty()),
        id_number: id_number.clone(),
        level,
        source: match text(verdict, "/source") {
            s if s.is_empty() => text(d, "/card/source"),
            s => s,
        },
        submitted: text(d, "/submitted_at_rfc3339"),
        status: text(d, &format!("/status/{}", lang_field(lang))),
        fields: field_rows(d.get("card").unwrap_or(&Value::Null), verdict, k),
        checks: check_rows(verdict, k.s),
        pa: pa.map(|p| pa_rows(p, k.s)).unwrap_or_default(),
        pa_valid: pa.map(|p| p.get("valid").and_then(Value::as_bool) == Some(true)),
        selfie,
        jpeg2000: matches!(face_format.as_str(), "jp2" | "j2k"),
        chip_face,
        no_verdict,
        approvable: level == "2"
            || verdict.get("approvable").and_then(Value::as_bool) == Some(true),
    }
}

/// The queue of the listing's answer (`{"dossiers": [...]}`).
pub(crate) fn dossier_views(listing: &Value, k: &StaffChrome, lang: Lang) -> Vec<DossierView> {
    listing
        .get("dossiers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|e| dossier_view(e, k, lang))
        .collect()
}
