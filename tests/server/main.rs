//! The reference server's suites (`examples/reference-server`), one test
//! binary: the server (`mod app`) is compiled and linked once for all of
//! them. SQLite always, PostgreSQL too when `DINHDANH_TEST_POSTGRES_URL` is
//! set (required when `DINHDANH_TEST_REQUIRE_POSTGRES=1`).
//!
//! - [`common`]: the in-process harness (a server on 127.0.0.1:0, its
//!   client, the SMS, the registry's citizens) and [`common::process`], the
//!   server as separate processes of the example's binary;
//! - [`http`]: every flow over HTTP (registration, OTP, password, login,
//!   lockout, rate limits, dossiers, level 2, resets, /openapi.json);
//! - [`store`]: the storage trait run directly;
//! - [`durability`]: SIGKILL mid-load, nothing acknowledged lost (the
//!   server is this binary re-run as `durability::server_child`);
//! - [`hardening`]: timeouts, caps, permits, staff roles (issue 13);
//! - [`messages`]: the answers in Vietnamese and English, times, the device
//!   cookie (issue 14);
//! - [`report`]: the organisations' weekly report, CSV and .xlsx;
//! - [`scaleout`]: two server processes on one PostgreSQL schema;
//! - [`web`]: the HTML pages through a browser without JavaScript;
//! - [`web_pages`]: the staff pages, the photos, activation and reset
//!   through the forms, 404/405 (issue 16).
//!
//! Run one: `cargo test --test server http::` (a module's tests are named
//! `MODULE::TEST`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

// the server's items that only its binary (main.rs) uses
#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "../../examples/reference-server/app/mod.rs"]
mod app;
#[macro_use]
mod common;

mod durability;
mod hardening;
mod http;
mod messages;
mod report;
mod scaleout;
mod store;
mod web;
mod web_pages;
