//! The OpenAPI entries of the organisations' endpoints (`/v1/org/...`).

use serde_json::{Value, json};

use crate::app::openapi::{body, error_response};
use crate::app::report::forms::MAU_02_COLUMNS;

/// The answers every organisation endpoint shares (its gate).
fn gate_responses(mut responses: Value) -> Value {
    if let Some(r) = responses.as_object_mut() {
        r.insert(
            "401".into(),
            error_response("unauthorized: no organisation's token (counted against the client address, as the officer gate's failures)"),
        );
        r.insert(
            "403".into(),
            error_response("forbidden: a staff token (officers and reporters do not open the organisation endpoints)"),
        );
        r.insert(
            "429".into(),
            error_response("rate_limited: too many failed staff or organisation authentications from this address"),
        );
    }
    responses
}

fn upload(summary: &str, accepted: &str) -> Value {
    json!({ "put": {
        "summary": summary,
        "security": [ { "org": [] } ],
        "requestBody": body(json!({ "type": "object", "required": ["csv"], "additionalProperties": false,
            "properties": { "csv": { "type": "string",
                "description": "CSV text (a UTF-8 byte-order mark allowed; separator ',' ';' or tab as the header line uses); a header names the columns, in English or in the form's words" } } })),
        "responses": gate_responses(json!({
            "200": { "description": accepted },
            "400": error_response("bad_request (not JSON, or no csv field)"),
            "409": error_response("version_conflict: another upload of this organisation at the same time; send it again"),
            "422": error_response("csv_refused: errors [{line, code, vi, en}] (malformed_csv, missing_column, id_number_not_12_digits, id_number_unknown_province, empty_field, field_too_long, control_character, invalid_phone, conflicting_duplicate, too_many_rows); nothing stored")
        }))
    } })
}

fn summary_schema() -> Value {
    json!({ "type": "object", "description": "counts among the uploaded people; rates activated / people (null without people); the plans' target (002, 004) is 100% activated at level 2",
        "properties": {
            "people": { "type": "integer" }, "registered": { "type": "integer" },
            "level1": { "type": "integer" }, "level2": { "type": "integer" },
            "activated": { "type": "integer" }, "activated_level2": { "type": "integer" },
            "pending": { "type": "integer" }, "not_accepted": { "type": "integer" },
            "app_account_only": { "type": "integer" }, "not_registered": { "type": "integer" },
            "activation_rate": { "type": ["number", "null"] },
            "level2_activation_rate": { "type": ["number", "null"] } } })
}

fn format_param(values: &[&str]) -> Value {
    json!({ "name": "format", "in": "query", "required": false, "schema": { "enum": values } })
}

/// The paths.
pub(crate) fn paths() -> Vec<(&'static str, Value)> {
    let mut teams = upload(
        "Upload the organisation's propaganda teams (Mẫu số 01): columns team/Tên Tổ tuyên truyền, full_name/Họ tên, position/Chức vụ, phone/Số điện thoại, note/Ghi chú (optional); an empty team continues the one above. Replaces the last upload",
        "{organisation, members}",
    );
    if let Some(item) = teams.as_object_mut() {
        item.insert("get".into(), json!({
            "summary": "Mẫu số 01 as uploaded: JSON {organisation, form, teams: [{stt, team, members: [{full_name, position, phone, note}]}]} or CSV (UTF-8 with BOM)",
            "security": [ { "org": [] } ],
            "parameters": [ format_param(&["json", "csv"]) ],
            "responses": gate_responses(json!({ "200": { "description": "JSON or text/csv (attachment)" }, "400": error_response("bad_request (format)") }))
        }));
    }
    vec![
        (
            "/v1/org/people",
            upload(
                "Upload the organisation's people (enterprise workers, school staff): columns id_number/Số CCCD and full_name/Họ tên (others, e.g. STT, ignored). ID numbers checked (12 digits, a province's code); a repeated line (same ID and name) dropped and reported; the same ID with another name refused. Replaces the last upload",
                "{organisation, people, duplicates: [{line, first_line}]}",
            ),
        ),
        ("/v1/org/teams", teams),
        (
            "/v1/org/report",
            json!({ "get": {
                "summary": "Mẫu số 02 of seed 003 (filed before 10:00 every Wednesday) for the organisation's own people, each account's current state (level-2 accounts recorded at the office included); the account's data only where the uploaded name is the account's (compared without diacritics or case), else the row says not registered. JSON, CSV (UTF-8 with BOM) or .xlsx (sheets Mẫu số 02, Mẫu số 01, Tổng hợp)",
                "security": [ { "org": [] } ],
                "parameters": [ format_param(&["json", "csv", "xlsx"]) ],
                "responses": gate_responses(json!({
                    "200": { "description": "JSON {organisation, form, columns, generated_at, summary, rows: [{stt, full_name, date_of_birth, permanent_residence, id_number, phone, registration_vi, level, activated, dossier_status}]}, or a file (attachment)",
                        "content": {
                            "application/json": { "schema": { "type": "object", "properties": {
                                "columns": { "type": "array", "items": { "enum": MAU_02_COLUMNS } },
                                "summary": summary_schema() } } },
                            "text/csv": { "schema": { "type": "string" } },
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } },
                    "400": error_response("bad_request (format)")
                }))
            } }),
        ),
        (
            "/v1/org/summary",
            json!({ "get": {
                "summary": "The counts and activation rates of the organisation's people (no personal data)",
                "security": [ { "org": [] } ],
                "responses": gate_responses(json!({ "200": { "description": "{organisation, generated_at, summary}",
                    "content": { "application/json": { "schema": { "type": "object", "properties": { "summary": summary_schema() } } } } } }))
            } }),
        ),
    ]
}
