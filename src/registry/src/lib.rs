//! # yanzheng-registry
//!
//! The registry service (its own issue fills it): online lookup, server-side
//! verification, trust-list and revocation publishing, and serving the widget.
//! For now it only names the core crate it will build on.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use yanzheng_core as core;
