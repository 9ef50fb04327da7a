//! The OpenAPI 3.1 document of the endpoints this server implements (and
//! only those), served at `/openapi.json`.

use axum::Json;
use serde_json::{Value, json};

pub(crate) fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
    })
}

pub(crate) fn body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

/// The ids of the server's question catalogue (the server runs
/// `eid-account`'s default policies, whose catalogue is the built-in one).
fn question_ids() -> Vec<Value> {
    eid_credentials::Catalogue::default()
        .questions()
        .iter()
        .map(|q| Value::from(q.id.as_str()))
        .collect()
}

fn answers_schema() -> Value {
    json!({ "type": "array", "items": { "type": "object", "required": ["question", "answer"],
        "properties": { "question": { "type": "string", "enum": question_ids(),
            "description": "question id of the catalogue (GET /v1/security-questions/catalogue)" },
            "answer": { "type": "string" } } } })
}

/// `GET /v1/security-questions/catalogue`.
fn catalogue_path() -> Value {
    json!({ "get": {
        "summary": "The security questions a client offers (001: \"thiết lập 2 câu hỏi ... trong list câu hỏi bảo mật\"): id, Vietnamese and English text",
        "responses": { "200": { "description": "{questions: [{id, vi, en}]}",
            "content": { "application/json": { "schema": { "type": "object",
                "properties": { "questions": { "type": "array", "items": { "type": "object",
                    "required": ["id", "vi", "en"],
                    "properties": { "id": { "type": "string", "enum": question_ids() },
                        "vi": { "type": "string" }, "en": { "type": "string" } } } } } } } } } }
    } })
}

/// The ID number's schema.
fn id_schema() -> Value {
    json!({ "type": "string", "pattern": "^[0-9]{12}$", "description": "Số định danh cá nhân" })
}

/// The services a passcode confirms.
fn services() -> Vec<Value> {
    eid_account::Service::ALL
        .iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect()
}

/// `/healthz` and this document.
fn service_paths() -> Vec<(&'static str, Value)> {
    vec![
        (
            "/healthz",
            json!({ "get": {
                "summary": "Liveness and database check",
                "responses": { "200": { "description": "ok" }, "500": error_response("database failure") }
            } }),
        ),
        (
            "/openapi.json",
            json!({ "get": {
                "summary": "This document",
                "responses": { "200": { "description": "the OpenAPI document" } }
            } }),
        ),
    ]
}

/// Registration: the form, its OTP, the password (003 ①-④, 001 step 3).
fn registration_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/registrations",
            json!({ "post": {
                "summary": "Register an app account: ID number, phone, QR payload (or typed details), terms; checked against the population registry; sends an OTP by SMS",
                "requestBody": body(json!({
                    "type": "object",
                    "required": ["id_number", "phone", "terms_accepted"],
                    "properties": {
                        "id_number": id,
                        "phone": { "type": "string" },
                        "qr": { "type": "string", "description": "the card's QR payload" },
                        "details": { "type": "object", "required": ["full_name", "date_of_birth", "sex", "permanent_residence"],
                            "properties": {
                                "full_name": { "type": "string" },
                                "date_of_birth": { "type": "string", "format": "date" },
                                "sex": { "enum": ["Nam", "Nữ", "male", "female"] },
                                "permanent_residence": { "type": "string" }
                            } },
                        "street_address": { "type": "string" },
                        "permanent_residence": { "type": "string", "description": "beside qr: the permanent residence now registered with the police, when it is no longer the card's (003); the registry checks it, the card's address is kept beside it" },
                        "terms_accepted": { "type": "boolean" },
                        "terms_version": { "type": "string", "description": "the version of the terms shown; must be the current one (recorded in the registration; the current one when absent)" }
                    }
                })),
                "responses": {
                    "201": { "description": "OTP sent" },
                    "400": error_response("malformed request"),
                    "409": error_response("already_registered, flow_in_progress"),
                    "422": error_response("registry_mismatch, not_in_registry, terms_not_accepted, invalid_field, card_mismatch"),
                    "429": error_response("rate_limited")
                }
            } }),
        ),
        (
            "/v1/otp/resend",
            json!({ "post": {
                "summary": "Send the OTP again (Gửi lại mã)",
                "requestBody": body(json!({ "type": "object", "required": ["id_number"], "properties": { "id_number": id } })),
                "responses": {
                    "200": { "description": "OTP sent again" },
                    "409": error_response("step_out_of_order"),
                    "429": error_response("otp_cooldown, otp_resend_limit, otp_rate_limited, rate_limited")
                }
            } }),
        ),
        (
            "/v1/otp/verify",
            json!({ "post": {
                "summary": "Check the OTP of the flow in progress; returns the flow token for the steps that follow (none for a device change, which is done here)",
                "requestBody": body(json!({ "type": "object", "required": ["code"],
                    "description": "id_number, or login: the phone number (or ID number) the flow was started with",
                    "properties": { "id_number": id, "login": { "type": "string" }, "code": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "verified, phase, notices, flow_token and flow_token_expires_at (registration, activation, password reset); for a reset of an account with security questions, questions [{id, vi, en}]: the two to answer (named only after the OTP, so the reset start tells nothing)" },
                    "401": error_response("wrong_otp (tries_left)"),
                    "409": error_response("step_out_of_order"),
                    "410": error_response("otp_expired"),
                    "429": error_response("otp_exhausted, rate_limited")
                }
            } }),
        ),
        (
            "/v1/password",
            json!({ "post": {
                "summary": "Set the password: the step after the OTP of a registration, of an activation without a password, or of a password reset (after the security answers when the account has questions). The account is the flow token's; id_number, optional, must name it",
                "security": [ { "flow": [] } ],
                "requestBody": body(json!({ "type": "object", "required": ["password", "confirmation"],
                    "properties": { "id_number": id, "password": { "type": "string" }, "confirmation": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "password set; phase, level, notices; the token is consumed when the flow ends" },
                    "401": error_response("flow_token_missing, flow_token_invalid, flow_token_expired"),
                    "403": error_response("flow_token_wrong_flow, flow_token_wrong_account"),
                    "409": error_response("step_out_of_order"),
                    "422": error_response("password_refused")
                }
            } }),
        ),
    ]
}

/// Login, logout, the account.
fn session_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/login",
            json!({ "post": {
                "summary": "Log in with the ID number, or the phone number (Đăng nhập bằng số điện thoại), and the password; returns an opaque bearer token",
                "parameters": device_parameters(),
                "requestBody": body(json!({ "type": "object", "required": ["password"],
                    "description": "exactly one of id_number and phone",
                    "properties": { "id_number": id, "phone": { "type": "string" }, "password": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "token, expires_at, level" },
                    "400": error_response("bad_request (neither or both of id_number and phone)"),
                    "401": error_response("wrong_credentials: also for an ID or phone of no account, an account without a password, and a lockout of unknown devices (a login tells nothing about the account; the devices the account knows have their own count)"),
                    "423": error_response("locked"),
                    "429": error_response("rate_limited")
                }
            } }),
        ),
        (
            "/v1/logout",
            json!({ "post": {
                "summary": "End the session",
                "security": [ { "bearer": [] } ],
                "responses": { "204": { "description": "logged out" }, "401": error_response("unauthorized") }
            } }),
        ),
        (
            "/v1/account",
            json!({ "get": {
                "summary": "The logged-in citizen's account: phase, level, name, phone",
                "security": [ { "bearer": [] } ],
                "responses": { "200": { "description": "the account" }, "401": error_response("unauthorized") }
            } }),
        ),
    ]
}

/// How a request names its device: the app's `X-Device-Id`, or a
/// browser's cookie (`device.rs`).
fn device_parameters() -> Value {
    json!([
        { "name": "X-Device-Id", "in": "header", "required": false, "schema": { "type": "string", "maxLength": 128 },
          "description": "the app's random per-install device id (printable ASCII, not starting with web-, which is the browsers' namespace). Without it the device is the browser's: the cookie below, or a new one the answer sets" },
        { "name": "dinhdanh_device", "in": "cookie", "required": false, "schema": { "type": "string" },
          "description": "a browser's device, set by the server (Set-Cookie; named __Host-dinhdanh_device behind TLS): 128 random bits and the server's MAC over them. Any other value (absent, malformed, forged) is replaced by a new device" }
    ])
}

/// Level 1: the dossier, its status, the officers' review (001 step 5, 003 §I).
fn dossier_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/dossiers",
            json!({ "post": {
                "summary": "Submit a level-1 dossier (logged in). With NFC: the chip's files as read (DG1, DG2, DG13, EF.SOD; base64 of the raw files, tag included) and the citizen's own portrait JPEG (required; DG2's photo is never taken for it: a JPEG that decodes, at least 240 x 320, not DG2's image). Every file is parsed; EF.SOD is checked by passive authentication against the configured CSCAs (--csca) with DG1, DG2 and DG13 hashed (a failure is refused, nothing stored); DG1's and DG13's ID number must be the account's; DG13 is compared with DG1's MRZ and with the population registry (ID number, name, date of birth, sex). The verdict is stored with the dossier. Without NFC: the card's QR payload and the portrait JPEG (no passive authentication)",
                "security": [ { "bearer": [] } ],
                "requestBody": body(json!({ "oneOf": [
                    { "type": "object", "required": ["dg1", "dg2", "dg13", "sod", "portrait_jpeg"],
                      "properties": {
                        "dg1": { "type": "string", "contentEncoding": "base64" },
                        "dg2": { "type": "string", "contentEncoding": "base64" },
                        "dg13": { "type": "string", "contentEncoding": "base64" },
                        "sod": { "type": "string", "contentEncoding": "base64", "description": "EF.SOD" },
                        "portrait_jpeg": { "type": "string", "contentEncoding": "base64" },
                        "email": { "type": "string" } } },
                    { "type": "object", "required": ["qr", "portrait_jpeg"],
                      "properties": { "qr": { "type": "string" }, "portrait_jpeg": { "type": "string", "contentEncoding": "base64" }, "email": { "type": "string" } } }
                ] })),
                "responses": {
                    "201": { "description": "submitted: phase, dossier, verdict (source nfc|qr, approvable, checks, mismatches, passive_authentication, trust, portrait {sha256, width, height}, dg2_face {sha256, format})" },
                    "401": error_response("unauthorized, not_logged_in"),
                    "409": error_response("dossier_pending, level_already_held, step_out_of_order"),
                    "422": error_response("portrait_required, portrait_not_jpeg, portrait_too_small, portrait_is_chip_photo (error.field: portrait_jpeg), malformed_chip_file (error.file: DG1, DG2, DG13, EF.SOD), chip_file_hash_mismatch (error.file, error.failures), passive_authentication_failed (error.failures), card_mismatch (error.file), invalid_field"),
                    "503": error_response("no_csca_configured: chip files sent to a server started with neither --csca nor --demo-csca")
                }
            } }),
        ),
        (
            "/v1/dossiers/current",
            json!({ "get": {
                "summary": "The logged-in citizen's dossier, its status (submitted, approved, not_accepted with a reason) and the verdict of its checks",
                "security": [ { "bearer": [] } ],
                "responses": { "200": { "description": "phase, dossier and verdict (null when none)",
                    "content": { "application/json": { "schema": { "type": "object",
                        "properties": { "phase": { "type": "string" }, "dossier": { "$ref": "#/components/schemas/Dossier" }, "verdict": {} } } } } },
                    "401": error_response("unauthorized") }
            } }),
        ),
        (
            "/v1/officer/dossiers",
            json!({ "get": {
                "summary": "Dossiers waiting for review (officer token), each with the verdict of its checks",
                "security": [ { "bearer": [] } ],
                "responses": { "200": { "description": "the dossiers: id_number, dossier, verdict" }, "401": error_response("unauthorized") }
            } }),
        ),
        (
            "/v1/officer/dossiers/{id}/approve",
            json!({ "post": {
                "summary": "Approve the pending dossier (officer token); queues the approval SMS. A level-1 dossier whose verdict is missing or not approvable (registry or MRZ mismatch) can only be rejected",
                "security": [ { "bearer": [] } ],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": id } ],
                "responses": { "200": { "description": "approved" }, "401": error_response("unauthorized"), "409": error_response("no_dossier_pending, dossier_not_approvable") }
            } }),
        ),
        (
            "/v1/officer/dossiers/{id}/photos/{kind}",
            json!({ "get": {
                "summary": "A photo of the pending level-1 dossier (officer token): kind portrait (the citizen's JPEG) or face (DG2's image: image/jpeg, image/jp2 or image/j2c, the JPEG 2000 ones as attachments). Kept only until the dossier is decided, then deleted. Cache-Control: no-store",
                "security": [ { "bearer": [] } ],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": id },
                    { "name": "kind", "in": "path", "required": true, "schema": { "enum": ["portrait", "face"] } } ],
                "responses": { "200": { "description": "the image as sent" }, "401": error_response("unauthorized"), "404": error_response("photo_not_kept"), "422": error_response("invalid_field") }
            } }),
        ),
        (
            "/v1/officer/dossiers/{id}/reject",
            json!({ "post": {
                "summary": "Reject the pending dossier with a reason (officer token)",
                "security": [ { "bearer": [] } ],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": id } ],
                "requestBody": body(json!({ "type": "object", "required": ["reason"],
                    "properties": { "reason": { "description": "\"photo_below_standard\", \"data_mismatch\" or {\"other\": text}" } } })),
                "responses": { "200": { "description": "not accepted" }, "401": error_response("unauthorized"), "409": error_response("no_dossier_pending") }
            } }),
        ),
    ]
}

/// Activation: the request, passcode, security questions (001 steps 6-7, 003 §II).
fn activation_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/activations",
            json!({ "post": {
                "summary": "Start the activation: ID number and phone; device from X-Device-Id; sends an OTP",
                "parameters": device_parameters(),
                "requestBody": body(json!({ "type": "object", "required": ["id_number", "phone"],
                    "properties": { "id_number": id, "phone": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "OTP sent; device notice" },
                    "409": error_response("not_identified, already_activated, flow_in_progress"),
                    "422": error_response("id_or_phone_mismatch"),
                    "429": error_response("otp_cooldown, rate_limited")
                }
            } }),
        ),
        (
            "/v1/passcode",
            json!({ "post": {
                "summary": "Set the 6-digit passcode (activation step after the OTP; the activation's flow token)",
                "security": [ { "flow": [] } ],
                "requestBody": body(json!({ "type": "object", "required": ["passcode", "confirmation"],
                    "properties": { "id_number": id, "passcode": { "type": "string" }, "confirmation": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "set" },
                    "401": error_response("flow_token_missing, flow_token_invalid, flow_token_expired"),
                    "403": error_response("flow_token_wrong_flow, flow_token_wrong_account"),
                    "409": error_response("step_out_of_order"),
                    "422": error_response("passcode_refused, passcode_confirmation_mismatch")
                }
            } }),
        ),
        (
            "/v1/security-questions",
            json!({ "post": {
                "summary": "Set two security questions and answers (last activation step; the activation's flow token, consumed)",
                "security": [ { "flow": [] } ],
                "requestBody": body(json!({ "type": "object", "required": ["answers"],
                    "properties": { "id_number": id, "answers": answers_schema() } })),
                "responses": {
                    "200": { "description": "activated; notice" },
                    "401": error_response("flow_token_missing, flow_token_invalid, flow_token_expired"),
                    "403": error_response("flow_token_wrong_flow, flow_token_wrong_account"),
                    "409": error_response("step_out_of_order"),
                    "422": error_response("questions_refused")
                }
            } }),
        ),
    ]
}

/// The weekly report (003 "Mẫu số 02").
fn report_paths() -> Vec<(&'static str, Value)> {
    vec![(
        "/v1/admin/report",
        json!({ "get": {
                "summary": "The weekly list for enterprises (a reporter's token: --reporter or the role reporter in --officers-file; an officer's is refused 403): ID number, name, date of birth, residence, phone, level (app_account, level1, level2), activated",
                "security": [ { "bearer": [] } ],
                "parameters": [
                    { "name": "since", "in": "query", "required": false, "schema": { "type": "integer" }, "description": "Unix seconds; default: 7 days ago" },
                    { "name": "format", "in": "query", "required": false, "schema": { "enum": ["json", "csv"] } }
                ],
                "responses": { "200": { "description": "JSON {since, accounts} or text/csv" }, "400": error_response("bad_request"), "401": error_response("unauthorized") }
            } }),
    )]
}

/// "Quên mật khẩu": the password reset.
fn reset_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/password-resets",
            json!({ "post": {
                "summary": "Quên mật khẩu: start a password reset with the ID number or the phone number (login) and the registered phone. The answer is the same whatever the account's existence or state (no ID number, no hint whether questions are set); the OTP is sent only when the login names an account with that phone. Its verification returns a flow token (flow:reset) for /v1/password-resets/answers (accounts with security questions) and /v1/password",
                "requestBody": body(json!({ "type": "object", "required": ["login", "phone"],
                    "properties": { "login": { "type": "string", "description": "ID number or phone number" }, "phone": { "type": "string" } } })),
                "responses": {
                    "202": { "description": "accepted: {status, vi, en}, the same for every login and phone" },
                    "422": error_response("invalid_phone (the phone field is not a phone number)"),
                    "429": error_response("rate_limited (per client address, phone and login as sent)")
                }
            } }),
        ),
        (
            "/v1/password-resets/answers",
            json!({ "post": {
                "summary": "Password reset: the answers to both security questions (the reset's flow token); then POST /v1/password",
                "security": [ { "flow": [] } ],
                "requestBody": body(json!({ "type": "object", "required": ["answers"],
                    "properties": { "id_number": id, "answers": answers_schema() } })),
                "responses": {
                    "200": { "description": "accepted; next: password" },
                    "401": error_response("wrong_answers (tries_left; the reset ends at the limit), flow_token_missing, flow_token_invalid, flow_token_expired"),
                    "403": error_response("flow_token_wrong_flow, flow_token_wrong_account"),
                    "409": error_response("step_out_of_order (no questions on this account)"),
                    "429": error_response("rate_limited (per client address, per ID number, and the ID's daily cap on guesses)")
                }
            } }),
        ),
    ]
}

/// The identity on a new device, and a service confirmed with the passcode.
fn device_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    let services = services();
    vec![
        (
            "/v1/device-changes",
            json!({ "post": {
                "summary": "Move the active identity to the device of X-Device-Id: ID number and password; sends an OTP whose verification (/v1/otp/verify) completes the move",
                "parameters": device_parameters(),
                "requestBody": body(json!({ "type": "object", "required": ["id_number", "password"],
                    "properties": { "id_number": id, "password": { "type": "string" } } })),
                "responses": {
                    "201": { "description": "OTP sent" },
                    "401": error_response("wrong_credentials"),
                    "409": error_response("not_activated, same_device, flow_in_progress"),
                    "423": error_response("locked"),
                    "429": error_response("login_locked_out, otp_cooldown, rate_limited")
                }
            } }),
        ),
        (
            "/v1/passcode/confirm",
            json!({ "post": {
                "summary": "Confirm the use of a service with the passcode (logged in, active identity); five wrong passcodes lock the account",
                "security": [ { "bearer": [] } ],
                "requestBody": body(json!({ "type": "object", "required": ["service", "passcode"],
                    "properties": { "service": { "enum": services },
                        "passcode": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "confirmed" },
                    "401": error_response("unauthorized, not_logged_in, wrong_passcode (tries_left)"),
                    "403": error_response("service_needs_level2"),
                    "409": error_response("not_activated"),
                    "423": error_response("locked"),
                    "429": error_response("rate_limited (per client address, per ID number, and the ID's daily cap on guesses)")
                }
            } }),
        ),
    ]
}

/// `POST /v1/officer/level2-dossiers` (000, 002, 004: level 2 at the
/// office).
fn level2_path() -> Value {
    let b64 = json!({ "type": "string", "description": "base64 of the file as read" });
    json!({ "post": {
        "summary": "Record a level-2 dossier at the office (officer token). The card's data from exactly one source: its QR payload (qr), its data typed by the officer for a card being issued or renewed (card), or its chip's files (dg1, dg2, dg13, sod: passive authentication against the trust store and DG13 against the MRZ, as for level 1). The card's data and the phone the citizen gives (\"SĐT khi làm CCCD\") are checked against the population registry; the phone becomes the account's (approval SMS, activation); the office is recorded. The citizen needs no app account. Approved with /v1/officer/dossiers/{id}/approve",
        "security": [ { "bearer": [] } ],
        "requestBody": body(json!({ "type": "object", "required": ["phone", "office"],
            "properties": { "qr": { "type": "string" },
                "card": { "type": "object", "required": ["id_number", "full_name", "date_of_birth", "sex"],
                    "properties": { "id_number": { "type": "string", "pattern": "^[0-9]{12}$" },
                        "full_name": { "type": "string" },
                        "date_of_birth": { "type": "string", "format": "date" },
                        "sex": { "type": "string", "description": "Nam/Nữ or male/female" },
                        "permanent_residence": { "type": "string", "description": "checked against the registry when given" } } },
                "dg1": b64, "dg2": b64, "dg13": b64, "sod": b64,
                "phone": { "type": "string" },
                "office": { "type": "string", "description": "the police office recording it (1 to 200 characters)" },
                "documents": { "type": "array", "items": { "description": "\"health_insurance\", \"driving_licence\", \"vehicle_registration\" or {\"other\": name}" } } } })),
        "responses": {
            "201": { "description": "recorded: {id_number, phase, dossier (card.source qr, typed or nfc; office; phone), verdict (the chip's checks; null otherwise)}" },
            "400": error_response("bad_request (no source, more than one, or no office)"),
            "401": error_response("unauthorized"),
            "409": error_response("dossier_pending, level_already_held"),
            "422": error_response("registry_mismatch (fields), not_in_registry, card_mismatch, malformed_chip_file, chip_file_hash_mismatch, passive_authentication_failed, chip_data_inconsistent, invalid_phone, invalid_field"),
            "503": error_response("no_csca_configured (chip files without a trust store)")
        }
    } })
}

/// Level 2: the appointment and the officer's record at the office.
fn level2_paths() -> Vec<(&'static str, Value)> {
    vec![
        (
            "/v1/appointments",
            json!({
                "post": {
                    "summary": "Book a level-2 appointment at a police office (logged in)",
                    "security": [ { "bearer": [] } ],
                    "requestBody": body(json!({ "type": "object", "required": ["office", "at"],
                        "properties": { "office": { "type": "string" }, "at": { "type": "integer", "description": "Unix seconds, in the future" } } })),
                    "responses": {
                        "201": { "description": "booked; the appointment" },
                        "401": error_response("unauthorized, not_logged_in"),
                        "409": error_response("level_already_held, dossier_pending"),
                        "422": error_response("appointment_in_past, invalid_field")
                    }
                },
                "delete": {
                    "summary": "Cancel the booked appointment (logged in)",
                    "security": [ { "bearer": [] } ],
                    "responses": { "204": { "description": "cancelled" }, "401": error_response("unauthorized, not_logged_in"), "409": error_response("no_appointment") }
                }
            }),
        ),
        ("/v1/officer/level2-dossiers", level2_path()),
    ]
}

/// Locks by the holder and by officers (Decree 59/2022).
fn lock_paths() -> Vec<(&'static str, Value)> {
    let id = id_schema();
    vec![
        (
            "/v1/lock",
            json!({ "post": {
                "summary": "The holder locks the account (logged in); every session ends",
                "security": [ { "bearer": [] } ],
                "responses": { "200": { "description": "locked" }, "401": error_response("unauthorized, not_logged_in") }
            } }),
        ),
        (
            "/v1/unlock",
            json!({ "post": {
                "summary": "The holder lifts their own lock: ID number, password and, once security questions exist, one question and its answer",
                "requestBody": body(json!({ "type": "object", "required": ["id_number", "password"],
                    "properties": { "id_number": id, "password": { "type": "string" }, "question": { "type": "string" }, "answer": { "type": "string" } } })),
                "responses": {
                    "200": { "description": "unlocked; phase" },
                    "401": error_response("wrong_credentials, wrong_answers"),
                    "403": error_response("unlock_needs_officer"),
                    "409": error_response("not_locked"),
                    "429": error_response("login_locked_out, rate_limited")
                }
            } }),
        ),
        (
            "/v1/officer/accounts/{id}/lock",
            json!({ "post": {
                "summary": "An officer locks an account (officer token)",
                "security": [ { "bearer": [] } ],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": id } ],
                "requestBody": body(json!({ "type": "object", "required": ["reason"],
                    "properties": { "reason": { "enum": ["holder_request", "card_revoked", "death", "terms_violation"] } } })),
                "responses": { "200": { "description": "locked" }, "401": error_response("unauthorized"), "404": error_response("no_account") }
            } }),
        ),
        (
            "/v1/officer/accounts/{id}/unlock",
            json!({ "post": {
                "summary": "An officer lifts the lock (officer token)",
                "security": [ { "bearer": [] } ],
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": id } ],
                "responses": { "200": { "description": "unlocked" }, "401": error_response("unauthorized"), "409": error_response("not_locked") }
            } }),
        ),
    ]
}

/// The endpoints whose command runs Argon2id: `503 server_busy` when no
/// permit frees up in time (`limits.rs`).
const HASHING: &[&str] = &[
    "/v1/password",
    "/v1/login",
    "/v1/passcode",
    "/v1/security-questions",
    "/v1/password-resets/answers",
    "/v1/passcode/confirm",
    "/v1/device-changes",
    "/v1/unlock",
];

/// What every operation takes (`Accept-Language`), and what the device
/// routes answer (a browser's new cookie).
fn shared_parameters(path: &str, op: &mut Value) {
    let Some(op) = op.as_object_mut() else {
        return;
    };
    let language = json!({ "$ref": "#/components/parameters/AcceptLanguage" });
    if let Value::Array(list) = op.entry("parameters").or_insert_with(|| json!([])) {
        list.push(language);
    }
    if !super::device::DEVICE_ROUTES.contains(&path) {
        return;
    }
    let responses = op.get_mut("responses").and_then(Value::as_object_mut);
    for (status, response) in responses.into_iter().flatten() {
        if let (true, Some(r)) = (status.starts_with('2'), response.as_object_mut()) {
            r.insert(
                "headers".into(),
                json!({ "Set-Cookie": { "$ref": "#/components/headers/DeviceCookie" } }),
            );
        }
    }
}

/// The answers every operation of a kind shares: `415` where a body is
/// taken, `408` past the request timeout, `503` where Argon2 runs, `403`
/// and `429` behind the officer gate (`http.rs`).
fn shared_responses(paths: &mut serde_json::Map<String, Value>) {
    for (path, item) in paths.iter_mut() {
        let Some(ops) = item.as_object_mut() else {
            continue;
        };
        for op in ops.values_mut() {
            shared_parameters(path, op);
            let has_body = op.get("requestBody").is_some();
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            responses.entry("408".to_owned()).or_insert_with(
                || json!({ "description": "the request (its body included) took longer than --request-timeout; no body" }),
            );
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error_response(description));
            };
            if has_body {
                add(
                    "415",
                    "unsupported_media_type: a body without Content-Type: application/json",
                );
            }
            if HASHING.contains(&path.as_str()) {
                add(
                    "503",
                    "server_busy: no Argon2 permit freed up in time; Retry-After says when to try again",
                );
            }
            if path.starts_with("/v1/officer/") || path == "/v1/admin/report" {
                add(
                    "403",
                    "forbidden: the token lacks this endpoint's role (officer or reporter)",
                );
                add(
                    "429",
                    "rate_limited: too many failed staff authentications from this address",
                );
            }
        }
    }
}

/// The document's `info`.
fn info() -> Value {
    json!({
        "title": "dinhdanh reference server",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Electronic identity accounts (VNeID style) over eid-account. Errors: {\"error\": {\"code\", \"message_vi\", \"message_en\", \"message\", \"vi\", \"en\", ...}}. Two kinds of bearer token: a login session (POST /v1/login) and a flow token: a successful POST /v1/otp/verify returns `flow_token`, valid 10 minutes, bound to that account and that flow (registration, activation or password reset); every step after the OTP in that flow (password, passcode, security questions, security answers) needs it as `Authorization: Bearer`, and it is consumed when the flow ends. Refusals: flow_token_missing, flow_token_invalid (unknown, used, or superseded by a restart), flow_token_expired (401); flow_token_wrong_flow, flow_token_wrong_account (403). Every response carries Cache-Control: no-store; a 429 or 503 with a wait (error.seconds_left) carries Retry-After. A body must be sent with Content-Type: application/json (else 415). Messages: every text a person reads is message_vi and message_en (the account rules' words: errors, notices, the dossier status and a rejection's reason, the password and passcode refusals with seed 003's passcode hint), and beside them message, in the language Accept-Language prefers (vi or en; Vietnamese unless English is preferred), named by Content-Language; errors and notices also keep vi and en, the earlier names. Times: every field named at or ending in _at is Unix seconds (UTC) and has a sibling <name>_rfc3339 (RFC 3339, e.g. 2026-12-02T03:25:35Z). Devices: see X-Device-Id and the dinhdanh_device cookie on /v1/login, /v1/activations and /v1/device-changes."
    })
}

/// The document's `components`: the security schemes and the schemas.
fn components() -> Value {
    json!({
        "securitySchemes": {
            "bearer": { "type": "http", "scheme": "bearer", "description": "login session token (citizen) or officer token" },
            "flow": { "type": "http", "scheme": "bearer", "description": "flow token returned by POST /v1/otp/verify" },
            "org": { "type": "http", "scheme": "bearer", "description": "an organisation's token (--org ORG-ID:TOKEN): its /v1/org/... endpoints only" }
        },
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": { "error": {
                    "type": "object",
                    "required": ["code", "vi", "en", "message_vi", "message_en", "message"],
                    "properties": {
                        "code": { "type": "string", "description": "stable snake_case code" },
                        "message_vi": { "type": "string" },
                        "message_en": { "type": "string" },
                        "message": { "type": "string", "description": "message_vi or message_en, as Accept-Language prefers" },
                        "vi": { "type": "string", "description": "message_vi's earlier name" },
                        "en": { "type": "string", "description": "message_en's earlier name" },
                        "reasons": { "type": "array", "description": "password_refused, passcode_refused: each reason",
                            "items": { "type": "object", "properties": { "code": { "type": "string" },
                                "message_vi": { "type": "string" }, "message_en": { "type": "string" }, "message": { "type": "string" } } } },
                        "hint_vi": { "type": "string", "description": "passcode_refused: seed 003's hint (Vui lòng tránh các chữ số liên quan tới ngày sinh nhật, các chữ số quá dễ đoán)" },
                        "hint_en": { "type": "string" }
                    },
                    "additionalProperties": true
                } }
            },
            "Notice": {
                "type": "object",
                "properties": { "code": { "type": "string" }, "message_vi": { "type": "string" }, "message_en": { "type": "string" },
                    "message": { "type": "string" }, "vi": { "type": "string" }, "en": { "type": "string" } }
            },
            "Dossier": {
                "type": "object",
                "properties": {
                    "level": { "enum": ["one", "two"] },
                    "status": { "type": "object", "required": ["status", "message_vi", "message_en", "message"],
                        "properties": {
                            "status": { "enum": ["submitted", "approved", "not_accepted"] },
                            "reason": { "description": "not_accepted: \"photo_below_standard\", \"data_mismatch\" or {\"other\": text}" },
                            "message_vi": { "type": "string", "description": "seed 003's words: Đã gửi xử lý hồ sơ, Hồ sơ được phê duyệt, Hồ sơ không đạt. Hồ sơ không đảm bảo điều kiện để đăng ký. (the reason) Bạn cần thực hiện Tạo lại hồ sơ." },
                            "message_en": { "type": "string" },
                            "message": { "type": "string" },
                            "reason_message_vi": { "type": "string", "description": "not_accepted: the reason alone (Nguyên nhân không đạt là do ảnh bản chụp không đủ tiêu chuẩn.)" },
                            "reason_message_en": { "type": "string" }
                        } },
                    "submitted_at": { "type": "integer", "description": "Unix seconds (Ngày đăng ký)" },
                    "submitted_at_rfc3339": { "type": "string", "format": "date-time" },
                    "updated_at": { "type": "integer", "description": "Unix seconds (Cập nhật lần cuối)" },
                    "updated_at_rfc3339": { "type": "string", "format": "date-time" }
                },
                "additionalProperties": true
            }
        },
        "parameters": {
            "AcceptLanguage": { "name": "Accept-Language", "in": "header", "required": false, "schema": { "type": "string" },
                "description": "the language of every message field: vi (the default) or en" }
        },
        "headers": {
            "DeviceCookie": { "schema": { "type": "string" },
                "description": "a browser's new device: dinhdanh_device=...; Path=/; Max-Age=34560000; HttpOnly; SameSite=Strict (behind TLS __Host-dinhdanh_device=...; ...; Secure). Sent when the request had neither X-Device-Id nor a valid cookie" }
        }
    })
}

/// Every path, each group's in its function (one `json!` each path: the
/// whole document in one would pass the macro's recursion limit).
fn paths() -> serde_json::Map<String, Value> {
    let mut paths = serde_json::Map::new();
    for group in [
        service_paths(),
        registration_paths(),
        session_paths(),
        dossier_paths(),
        activation_paths(),
        report_paths(),
        reset_paths(),
        device_paths(),
        level2_paths(),
        lock_paths(),
    ] {
        for (path, item) in group {
            paths.insert(path.to_owned(), item);
        }
    }
    paths.insert(
        "/v1/security-questions/catalogue".to_owned(),
        catalogue_path(),
    );
    for (path, item) in super::org::openapi::paths() {
        paths.insert(path.to_owned(), item);
    }
    shared_responses(&mut paths);
    paths
}

/// The document.
pub(crate) fn spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": info(),
        "components": components(),
        "paths": paths(),
    })
}

/// `GET /openapi.json`.
pub(crate) async fn document() -> Json<Value> {
    Json(spec())
}
