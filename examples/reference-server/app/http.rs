//! The HTTP transport: the accept loop and the layers every request goes
//! through.
//!
//! Accept loop (hyper's HTTP/1.1 connection builder, not `axum::serve`,
//! which exposes none of this):
//! - at most [`HttpSettings::max_connections`] connections at once: one
//!   more is accepted and closed at once (a client sees the connection
//!   close, the server keeps its descriptors);
//! - [`HttpSettings::header_read_timeout`] (hyper's
//!   `http1().header_read_timeout`) for a request's head, from the moment
//!   the server waits for it: a slow-header client, and an idle keep-alive
//!   connection between two requests, are closed after it;
//! - on shutdown, listening stops, idle connections close, requests in
//!   flight get [`HttpSettings::shutdown_grace`] (hyper-util's
//!   `GracefulShutdown`), then the remaining connections are dropped and
//!   the server returns, half-open ones included.
//!
//! HTTP/1.1 only: HTTP/2 without TLS has no head-read timeout in hyper; a
//! TLS proxy in front speaks HTTP/2 to clients.
//!
//! Layers (outermost first): the request timeout
//! ([`HttpSettings::request_timeout`], `408`; it covers reading the body),
//! `Cache-Control: no-store` on every response (they carry tokens or
//! personal data, or say whether an account exists), the client address
//! (`X-Forwarded-For` believed only from `--trusted-proxy` addresses), the
//! authentication-failure log (every `401`, `403` and `429` with the
//! client address and the route, never the ID number in the path), the
//! messages' language and the times' RFC 3339 (`messages.rs`), `415` for a
//! body not declared `application/json`, and a browser's device cookie
//! (`device.rs`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tower::ServiceExt;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::AppState;
use super::error::{ApiError, ErrorCode};
use super::limits::ip_key;

/// The transport's settings (flags `--header-read-timeout`,
/// `--request-timeout`, `--max-connections`, `--shutdown-grace`,
/// `--trusted-proxy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpSettings {
    /// The wait for a request's head: a new connection's first, or the next
    /// on a keep-alive connection (so also the idle timeout).
    pub(crate) header_read_timeout: Duration,
    /// A request's whole handling, its body included.
    pub(crate) request_timeout: Duration,
    /// Connections open at once.
    pub(crate) max_connections: usize,
    /// What requests in flight get at shutdown.
    pub(crate) shutdown_grace: Duration,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub(crate) trusted_proxies: Vec<IpAddr>,
    /// Clients reach the server over HTTPS (a TLS proxy in front,
    /// `--behind-tls`): the browser's device cookie is `Secure` and named
    /// `__Host-...` (`device.rs`).
    pub(crate) behind_tls: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: default_max_connections(),
            shutdown_grace: Duration::from_secs(10),
            trusted_proxies: Vec::new(),
            behind_tls: false,
        }
    }
}

/// The default connection cap: 1024, or fewer when the process may open
/// fewer files (`/proc/self/limits`): 64 descriptors are kept for the
/// listener, the database and the logs, so a flood meets the cap, never
/// `EMFILE`.
pub(crate) fn default_max_connections() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|n| n.parse::<usize>().ok())
        });
    match soft {
        Some(n) => n.saturating_sub(64).clamp(1, 1024),
        None => 1024,
    }
}

/// The layers of the module documentation around `router`.
pub(crate) fn layered(router: Router, state: &Arc<AppState>) -> Router {
    let api = router
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::device::web_device,
        ))
        .layer(middleware::from_fn(json_only))
        .layer(middleware::from_fn(super::messages::localise));
    transport(api, state)
}

/// The layers the web pages share with the API (`web/`, whose forms are
/// not JSON): the authentication-failure log and those outside it.
pub(crate) fn transport(router: Router, state: &Arc<AppState>) -> Router {
    router
        .layer(middleware::from_fn(log_refusals))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client_address,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.http.request_timeout,
        ))
}

/// The client of a request from `peer`: the address `X-Forwarded-For`
/// names when `peer` is a trusted proxy (the last hop that is not one of
/// them: each proxy appends the address it was reached from, so earlier
/// entries are the client's to write); `None` to keep `peer`.
pub(crate) fn forwarded_client(
    trusted: &[IpAddr],
    peer: IpAddr,
    headers: &HeaderMap,
) -> Option<IpAddr> {
    let is_trusted = |ip: IpAddr| {
        trusted
            .iter()
            .any(|t| t.to_canonical() == ip.to_canonical())
    };
    if !is_trusted(peer) {
        return None;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        // A malformed hop: the proxies' own list is broken, believe none.
        let ip = hop.parse::<IpAddr>().ok()?.to_canonical();
        if !is_trusted(ip) {
            return Some(ip);
        }
    }
    None
}

/// Replaces the peer address by the forwarded client's when the peer is a
/// trusted proxy: every handler and limit sees the client.
async fn client_address(
    State(state): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if let Some(peer) = peer
        && let Some(client) =
            forwarded_client(&state.http.trusted_proxies, peer.ip(), req.headers())
    {
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(client, peer.port())));
    }
    next.run(req).await
}

/// `415` for a body whose `Content-Type` is not `application/json` (a form
/// post from another site's page is one).
async fn json_only(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    if has_body && !is_json(headers) {
        return ApiError::unsupported_media_type().into_response();
    }
    next.run(req).await
}

/// Whether `headers` declare a JSON body (`application/json`, parameters
/// allowed).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// Logs every `401` and `403` (and `429`) with the client address, the
/// route (its pattern: the path may hold an ID number) and the error code.
async fn log_refusals(req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned());
    let response = next.run(req).await;
    let what = match response.status() {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => "authentication failure",
        StatusCode::TOO_MANY_REQUESTS => "refused: too many attempts",
        _ => return response,
    };
    let code = response.extensions().get::<ErrorCode>().map_or("", |c| c.0);
    tracing::warn!(
        client = %client.map(|ip| ip.to_string()).unwrap_or_default(),
        route = %route.unwrap_or_default(),
        status = response.status().as_u16(),
        code,
        "{what}"
    );
    response
}

/// The gate of the officer and report endpoints: a request without a
/// known staff token is refused (`401`) and counted against the client's
/// address (`officer_ip:`, [`super::Limits::officer_failures`] a window;
/// beyond, `429` until the bucket refills). A known token passes whatever
/// the address, so officers behind one NAT are not locked out by someone
/// guessing; each handler then checks the role.
pub(crate) async fn officer_gate(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    if state.staff(req.headers()).is_some() {
        return next.run(req).await;
    }
    let key = format!("officer_ip:{}", ip_key(peer.ip()));
    match state.limit(key, state.limits.officer_failures).await {
        Ok(()) => ApiError::unauthorized().into_response(),
        Err(e) => e.into_response(),
    }
}

/// Serves `app` on `listener` until `shutdown` resolves (see the module
/// documentation); returns once every connection is closed or the grace
/// is over.
pub(crate) async fn accept_loop(
    app: Router,
    http: &HttpSettings,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(http.header_read_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(http.max_connections.max(1)));
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of descriptors, most likely: let some close.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        while connections.try_join_next().is_some() {}
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::debug!(client = %remote.ip(), "connection cap reached: closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                req
            });
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        connections.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    tracing::info!(connections = connections.len(), "draining connections");
    if tokio::time::timeout(http.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = connections.len(),
            "shutdown grace over: closing the remaining connections"
        );
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}
