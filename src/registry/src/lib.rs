//! # yanzheng-registry
//!
//! The registry service an issuing authority runs, and the widget's fallback:
//!
//! - `POST /v1/lookup` `{number, name}`: the certificates held under that ID
//!   number and name (masked, minimal), or `not_found` with the same body
//!   whether the number is unknown or the name differs.
//! - `POST /v1/verify` `{payload}`: core's [`yanzheng_core::verify`] with the
//!   server's lists and clock, for employer back ends that must not trust a
//!   verdict computed in a browser.
//! - `GET /v1/trust-list`, `GET /v1/revocations`: the signed lists, exactly
//!   as signed, with ETags; `GET /healthz`; the widget's static files and
//!   `/config.json`.
//!
//! ## Design
//! - Storage (`db`) is one sqlx `AnyPool` over an SQLite file (WAL) or
//!   PostgreSQL, with our own migration runner and portable SQL, so both run
//!   the same statements and the same tests.
//! - Privacy (`privacy`): the database never holds a clear ID number or
//!   name, only HMAC-SHA256 keys under a secret lookup key and core's masked
//!   forms. Logs carry a short prefix of the number's key, never the number.
//! - Trust comes from signatures: the lists (`lists`) are loaded through
//!   core against the root key, reloaded when their files change, and never
//!   replaced by a lower version.
//! - Protection (`limit`, `server`): per-client token buckets on lookup
//!   (429 + Retry-After), a CORS allowlist of exact origins, a body limit,
//!   strict JSON (unknown fields refused), JSON errors, a request timeout;
//!   and per connection (`conn`) a header read timeout, a write stall
//!   timeout, a connection cap and graceful shutdown.
//!
//! The registry knows nothing core already defines: verdicts, masking, the
//! catalogue names, the list formats, the lookup contract and the API's
//! refusals (codes and words) all come from `yanzheng-core`.
//!
//! The crate exposes a curated set of names (the server, its settings, the
//! database and its records, the lists, [`Error`]); its modules are
//! private.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod client_addr;
mod conn;
mod db;
mod error;
mod headers;
mod limit;
mod lists;
mod privacy;
mod record;
mod server;
#[cfg(feature = "test-support")]
pub mod testing;

pub use client_addr::AddrRange;
pub use conn::ConnLimits;
pub use db::{Backend, Database, DbError, OpenOptions, UpsertCount};
pub use error::Error;
pub use limit::RateLimit;
pub use lists::ListStore;
pub use privacy::LookupKey;
pub use record::CertificateRecord;
pub use server::{
    serve, serve_portal, shutdown_signal, Registry, ServerConfig, DEFAULT_BODY_LIMIT,
};
