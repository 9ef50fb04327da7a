//! SMS senders: a trait for real gateways, stdout for development, and a
//! memory sender for tests.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

/// The boxed future a sender returns.
pub(crate) type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Sends one SMS. Called at least once per outbox message: a gateway that
/// can deduplicate should.
pub(crate) trait SmsSender: Send + Sync {
    /// Sends `text` to `phone`.
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> SendFuture<'a>;
}

/// Prints each SMS on stdout (the development "phone"; not a log: the
/// text may hold a one-time code, which is the point of an SMS).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct StdoutSender;

impl SmsSender for StdoutSender {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            println!("SMS to {phone}: {text}");
            Ok(())
        })
    }
}

/// Keeps every SMS in memory (the tests in `tests/server/`).
#[allow(dead_code)]
#[derive(Debug, Default)]
pub(crate) struct MemorySender {
    sent: Mutex<Vec<(String, String)>>,
}

#[allow(dead_code)]
impl MemorySender {
    /// Every (phone, text) sent so far.
    pub(crate) fn sent(&self) -> Vec<(String, String)> {
        self.sent.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl SmsSender for MemorySender {
    fn send<'a>(&'a self, phone: &'a str, text: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            self.sent
                .lock()
                .map_err(|_| "poisoned".to_owned())?
                .push((phone.to_owned(), text.to_owned()));
            Ok(())
        })
    }
}
