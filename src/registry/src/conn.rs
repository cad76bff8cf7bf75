//! The accept loop: HTTP/1.1 connections with the limits a public service
//! needs against slow and idle clients, which `axum::serve` does not set.
//!
//! - **Header read timeout:** a client has [`ConnLimits::header_read`] to
//!   send a request's whole head, counted from when the server starts
//!   waiting for it (a new connection, or an idle keep-alive one). A client
//!   that trickles a header a byte at a time (slowloris) or opens a
//!   connection and says nothing is closed.
//! - **Write stall timeout:** a response the client stops reading is given
//!   up after [`ConnLimits::write_stall`] without progress.
//! - **Connection cap:** at most [`ConnLimits::max_connections`] at once,
//!   lowered to leave room under the process's open-file limit; past that a
//!   new connection is answered `503` with `Retry-After` at once and closed,
//!   so the listen queue never fills with clients that will time out anyway
//!   and `accept` never runs out of descriptors.
//! - **Graceful shutdown:** no new connections; idle ones are closed,
//!   requests in flight finish (for at most [`ConnLimits::drain`]).
//!
//! The request body and the handler are bounded separately, by the router
//! ([`crate::ServerConfig::request_timeout`]).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Sleep;
use tower::ServiceExt;

/// Limits on client connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnLimits {
    /// Time to send a whole request head.
    pub header_read: Duration,
    /// Time a response may wait for the client to read any of it.
    pub write_stall: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// Connections one client address (an IPv6 /64) may hold at once, so
    /// that one host cannot keep every other out.
    pub per_address: usize,
    /// Peers the per-address cap does not apply to (the reverse proxies,
    /// whose connections carry many clients).
    pub exempt: Vec<crate::client_addr::AddrRange>,
    /// Time requests in flight get to finish at shutdown.
    pub drain: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            header_read: Duration::from_secs(10),
            write_stall: Duration::from_secs(30),
            max_connections: 4096,
            per_address: 256,
            exempt: Vec::new(),
            drain: Duration::from_secs(30),
        }
    }
}

/// The whole answer to a connection over the cap, sent before it is
/// closed (the body is the API's `busy` refusal).
fn busy_response() -> Vec<u8> {
    let body = crate::api::refusal_body(yanzheng_core::online::ApiError::Busy).to_string();
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Descriptors kept free for everything that is not a client connection:
/// the listener, database files and sockets, the widget's files being sent,
/// logs.
const DESCRIPTOR_RESERVE: u64 = 128;

/// The process's soft limit on open files (Linux: `/proc/self/limits`).
fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_file_limit(&text)
}

fn parse_open_file_limit(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The connection cap actually used: `wanted`, lowered so that connections
/// alone can never exhaust the process's descriptors (an `accept` failing
/// with "too many open files" would stall every client, not just the new
/// ones).
pub fn effective_cap(wanted: usize, open_files: Option<u64>) -> usize {
    let wanted = wanted.max(1);
    match open_files {
        Some(limit) => {
            let room = limit.saturating_sub(DESCRIPTOR_RESERVE).max(16);
            wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        None => wanted,
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then drains.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let busy = busy_response();
    let cap = effective_cap(limits.max_connections, open_file_limit());
    if cap < limits.max_connections {
        tracing::warn!(
            wanted = limits.max_connections,
            cap,
            "the open-file limit is too low for the connection cap; lowering the cap \
             (raise `ulimit -n` to serve more at once)"
        );
    }
    let slots = Arc::new(Semaphore::new(cap));
    let per_address: PerAddress = Arc::default();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (tcp, peer) = match accepted {
            Ok(a) => a,
            Err(e) if is_per_connection(&e) => continue,
            Err(e) => {
                // Out of descriptors or memory: wait instead of spinning.
                tracing::error!(error = %e, "accept failed; pausing for 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        // No Nagle: a response written in two parts (headers, then a
        // file) must not wait for the client's delayed ACK.
        let _ = tcp.set_nodelay(true);
        let address_slot = if limits.exempt.iter().any(|r| r.contains(peer.ip())) {
            None
        } else {
            match AddressSlot::take(
                &per_address,
                crate::limit::client_key(peer.ip()),
                limits.per_address.max(1),
            ) {
                Some(s) => Some(s),
                None => {
                    tracing::warn!("per-address connection cap reached; answering 503");
                    refuse_busy(tcp, &busy);
                    continue;
                }
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse_busy(tcp, &busy);
            continue;
        };
        let app = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req.map(axum::body::Body::new))
        });
        let io = TokioIo::new(StallGuard::new(tcp, limits.write_stall));
        let conn = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                // Timeouts, resets and malformed requests: routine.
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
            drop(address_slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(limits.drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            seconds = limits.drain.as_secs(),
            "requests still in flight after the drain time; closing them"
        );
    }
    Ok(())
}

/// Open connections per client address.
type PerAddress = Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>;

/// One connection counted against its address; uncounted when dropped.
struct AddressSlot {
    counts: PerAddress,
    key: std::net::IpAddr,
}

impl AddressSlot {
    /// Counts a connection from `key`, unless it already holds `cap`.
    fn take(counts: &PerAddress, key: std::net::IpAddr, cap: usize) -> Option<AddressSlot> {
        let mut map = counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = map.entry(key).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(AddressSlot {
            counts: Arc::clone(counts),
            key,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut map = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.key) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// Errors that end one connection, not the listener.
fn is_per_connection(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Tells a connection over the cap to come back, without waiting on it.
fn refuse_busy(tcp: TcpStream, busy: &[u8]) {
    tracing::warn!("connection cap reached; answering 503");
    // One non-blocking write: a client that does not read gets nothing.
    let _ = tcp.try_write(busy);
    drop(tcp);
}

/// A connection whose writes fail once no progress was made for `limit`.
struct StallGuard {
    io: TcpStream,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl StallGuard {
    fn new(io: TcpStream, limit: Duration) -> StallGuard {
        StallGuard {
            io,
            limit,
            stalled: None,
        }
    }

    /// Passes `result` on; a write that cannot proceed starts (or checks)
    /// the stall clock, one that proceeds stops it.
    fn watch<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => {
                let limit = self.limit;
                let clock = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if clock.as_mut().poll(cx).is_ready() {
                    self.stalled = None;
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading the response",
                    )));
                }
                Poll::Pending
            }
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, r)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_descriptors_for_everything_else() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(parse_open_file_limit(limits), Some(1024));
        assert_eq!(effective_cap(4096, Some(1024)), 896);
        assert_eq!(effective_cap(100, Some(1024)), 100);
        assert_eq!(effective_cap(4096, Some(64)), 16);
        assert_eq!(effective_cap(4096, None), 4096);
        assert_eq!(effective_cap(0, None), 1);
        assert_eq!(parse_open_file_limit("Max open files unlimited"), None);
    }

    #[test]
    fn the_busy_answer_is_well_formed() {
        let bytes = busy_response();
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .and_then(|v| v.parse().ok())
            .expect("content-length");
        assert_eq!(len, body.len());
        let v: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(v["error"], "busy");
        assert!(v["message"]["zh"].is_string());
    }
}
