//! The reference server's pieces. `main.rs` runs it; the test binary
//! (`tests/server/main.rs`) includes this module and runs it in-process.
//!
//! The files: `settings.rs` (flags, limits, the server secret), `state.rs`
//! (what the handlers share), `command.rs` (the command loop over
//! `eid-account`), `tokens.rs` (flow tokens), `router.rs` (the endpoints),
//! `outbox.rs` (the SMS dispatcher), `store/` (the storage), `org/` (the
//! organisations and their uploads), `report/` (the reports), `messages.rs`
//! (the messages' languages, the times as RFC 3339), `device.rs` (a
//! browser's device cookie), `web/` (the pages people use, a client of
//! the API), and one file per group of handlers.

pub(crate) mod command;
pub(crate) mod device;
pub(crate) mod dossier;
pub(crate) mod error;
pub(crate) mod flows;
pub(crate) mod handlers;
pub(crate) mod http;
pub(crate) mod level1;
pub(crate) mod limits;
pub(crate) mod messages;
pub(crate) mod openapi;
pub(crate) mod org;
pub(crate) mod outbox;
pub(crate) mod prologue;
pub(crate) mod registry;
pub(crate) mod report;
pub(crate) mod router;
pub(crate) mod settings;
pub(crate) mod sms;
pub(crate) mod staff;
pub(crate) mod state;
pub(crate) mod store;
pub(crate) mod tokens;
pub(crate) mod web;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;

pub(crate) use command::index_of;
pub(crate) use outbox::dispatch_outbox;
pub(crate) use router::router;
pub(crate) use settings::{Limits, Settings};
pub(crate) use state::AppState;
pub(crate) use tokens::{FlowKind, new_token, token_hash};

use sms::SmsSender;

/// Now, Unix seconds.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Serves on `listener` until `shutdown` resolves, with the outbox
/// dispatcher; drains in-flight requests for at most the shutdown grace
/// (`http.rs`), then stops the dispatcher.
pub(crate) async fn serve(
    state: Arc<AppState>,
    listener: TcpListener,
    sender: Arc<dyn SmsSender>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let (tx, rx) = tokio::sync::watch::channel(false);
    let dispatcher = tokio::spawn(dispatch_outbox(state.clone(), sender, rx));
    http::accept_loop(router(state.clone()), &state.http, listener, shutdown).await;
    let _ = tx.send(true);
    let _ = dispatcher.await;
    state.store.close().await;
    Ok(())
}
