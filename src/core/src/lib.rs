//! # yanzheng-core
//!
//! The rules of yanzheng (验证), a verifier for China's special-operations
//! (特种作业操作证) and safety-management certificates, as pure functions.
//!
//! ## Design
//! This crate takes bytes and instants in and gives values out. It never reads
//! a clock, a file, the network or randomness, so the widget (wasm), the CLI and
//! the registry service all apply the same rules, and every rule is testable
//! with plain values. It is shaped after rustls: the caller passes "now".
//!
//! - [`payload`]: the QR text, `YZ1:` + Base45 of a COSE_Sign1 (EdDSA) over a
//!   deterministic CBOR [`cert::Certificate`] map. Strict decoding everywhere
//!   ([`cbor`], [`cose`], [`base45`]): one certificate has exactly one encoding.
//! - [`crypto`]: Ed25519 via `ed25519-dalek`'s `verify_strict`, with keys
//!   checked for canonical encoding and small order when loaded.
//! - [`signed_list`]: the envelope both root-signed lists share (open with
//!   the pinned root, version and dates, the rollback rule, the summary).
//! - [`trust`] and [`revocation`]: root-signed lists with versions that only go
//!   up and an expiry; revocations are a set coded near its information limit,
//!   with signed deltas and a maximum age.
//! - [`verdict`]: [`verify`] applies the checks in this order: not our format
//!   (a link or text) → unreadable → key unknown → signature → key permissions
//!   (status, type, signing period, region) → revoked → dates → revocation
//!   freshness (stale or missing data turns `valid` into `revocation_unknown`) → trust list
//!   expiry (which wraps the date verdict rather than hiding it). The trust
//!   list's issue time is a floor for "now", so a clock set back cannot revive
//!   an expired card.
//! - [`online`]: the registry's answer, the verdict its record gets under the
//!   same rules, and one outcome from a scan and that answer.
//! - [`scan`]: what reading an image gave, in the form the decoder worker
//!   and the page share.
//! - [`messages`]: the words for each verdict, Simplified Chinese first, in
//!   the one vocabulary of docs/glossary.md.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod base45;
pub mod catalog;
pub mod cbor;
pub mod cert;
pub mod cose;
pub mod crypto;
pub mod date;
pub mod messages;
pub mod online;
pub mod payload;
pub mod revocation;
pub mod scan;
pub mod signed_list;
pub mod trust;
pub mod verdict;

pub use cert::{CertKind, Certificate, Details, Sex};
pub use crypto::{Kid, PublicKey, SecretKey};
pub use date::{Date, UnixTime};
pub use revocation::{RevocationDelta, RevocationList, RevokedSet};
pub use trust::{IssuerKey, KeyStatus, TrustList};
pub use verdict::{verify, Report, Verdict};
