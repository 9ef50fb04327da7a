//! The SMS outbox's dispatcher, and the purges that ride on its loop.

use std::sync::Arc;
use std::time::Duration;

use super::sms::SmsSender;
use super::state::AppState;
use super::store::Storage;
use super::{limits, now};

/// Sends the outbox until `shutdown` fires: wakes on new messages or every
/// second; a message not confirmed within 30 s is claimed again (at least
/// once). Once a minute, forgets expired sessions and flow tokens, and the
/// rate-limit buckets that are full again.
pub(crate) async fn dispatch_outbox(
    state: Arc<AppState>,
    sender: Arc<dyn SmsSender>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut purged_at = 0u64;
    loop {
        let t = now();
        if t.saturating_sub(purged_at) >= 60 {
            purged_at = t;
            match state.store.purge_sessions(t).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sessions = n, "expired sessions forgotten"),
                Err(e) => tracing::error!(error = %e, "session purge"),
            }
            match state.store.purge_rate_limits(limits::now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(buckets = n, "full rate-limit buckets forgotten"),
                Err(e) => tracing::error!(error = %e, "rate-limit purge"),
            }
        }
        match state.store.claim_outbox(now(), 30, 32).await {
            Ok(batch) => {
                for c in batch {
                    match sender.send(&c.message.phone, &c.message.text).await {
                        Ok(()) => {
                            if let Err(e) = state.store.mark_sent(c.id, now()).await {
                                tracing::error!(error = %e, id = c.id, "outbox mark_sent");
                            } else {
                                tracing::info!(id = c.id, kind = %c.message.kind, "sms sent");
                            }
                        }
                        Err(e) => tracing::warn!(id = c.id, error = %e, "sms send failed"),
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "outbox claim"),
        }
        tokio::select! {
            _ = state.outbox_ready.notified() => {}
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
