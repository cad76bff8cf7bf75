//! The envelope both root-signed lists share (the trust list and the
//! revocation list, with its deltas): the COSE_Sign1 opened with the pinned
//! root, the version and dates every list starts with, the rollback rule,
//! the summary a result shows, and why a list is refused.

use core::fmt;

use serde::Serialize;

use crate::cbor::{CborError, Reader, Writer};
use crate::cose::{self, CoseError};
use crate::crypto::{KeyError, Kid, PublicKey};
use crate::date::UnixTime;

/// Why a trust or revocation list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ListError {
    /// Larger than any list we accept.
    TooLarge,
    /// Malformed COSE.
    Cose(CoseError),
    /// Signed by a key other than the deployment's root.
    WrongRoot {
        /// Who signed it.
        kid: Kid,
    },
    /// The root's signature does not verify.
    BadSignature,
    /// The list's CBOR is malformed.
    Cbor(CborError),
    /// A field breaks a rule.
    Invalid(&'static str),
    /// Key number `index` is not acceptable.
    Key {
        /// Position in the list.
        index: usize,
        /// Why.
        error: KeyError,
    },
    /// Two entries share a key id.
    DuplicateKid(Kid),
    /// An entry's key id is not derived from its key.
    KidMismatch(Kid),
}

impl From<CborError> for ListError {
    fn from(e: CborError) -> Self {
        ListError::Cbor(e)
    }
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ListError::TooLarge => f.write_str("list is too large"),
            ListError::Cose(e) => e.fmt(f),
            ListError::WrongRoot { kid } => write!(f, "list is signed by {kid}, not by the root"),
            ListError::BadSignature => f.write_str("root signature does not verify"),
            ListError::Cbor(e) => e.fmt(f),
            ListError::Invalid(w) => write!(f, "invalid list: {w}"),
            ListError::Key { index, error } => write!(f, "key #{index}: {error}"),
            ListError::DuplicateKid(k) => write!(f, "key id {k} appears twice"),
            ListError::KidMismatch(k) => write!(f, "key id {k} does not match its key"),
        }
    }
}

impl std::error::Error for ListError {}

/// Why a newer list was not taken in place of the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdateError {
    /// The offered version is lower than the one held: a rollback.
    Rollback {
        /// Version held.
        current: u64,
        /// Version offered.
        offered: u64,
    },
    /// Same version, different content: the root signed two lists with one
    /// version number, or a copy was altered and re-signed. Keep the current.
    Conflict {
        /// The version both claim.
        version: u64,
    },
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateError::Rollback { current, offered } => {
                write!(f, "refused rollback from version {current} to {offered}")
            }
            UpdateError::Conflict { version } => {
                write!(f, "two different lists claim version {version}")
            }
        }
    }
}

impl std::error::Error for UpdateError {}

/// Verifies a root-signed list and returns its payload.
pub(crate) fn open_signed(
    bytes: &[u8],
    root: &PublicKey,
    aad: &[u8],
    max: usize,
) -> Result<Vec<u8>, ListError> {
    if bytes.len() > max {
        return Err(ListError::TooLarge);
    }
    let s = cose::parse(bytes, max).map_err(ListError::Cose)?;
    if s.kid != root.kid() {
        return Err(ListError::WrongRoot { kid: s.kid });
    }
    root.verify(&s.to_be_signed(aad), &s.signature)
        .map_err(|_| ListError::BadSignature)?;
    Ok(s.payload)
}

/// Starts a list's payload, the same for both lists: a map of four, keys
/// 1 (version), 2 (issued_at) and 3 (the trust list's expiry, the
/// revocation list's maximum age), then key 4, whose entries the caller
/// writes.
pub(crate) fn write_list_header(w: &mut Writer, version: u64, issued_at: UnixTime, third: u64) {
    w.map(4);
    w.uint(1).uint(version);
    w.uint(2).uint(issued_at.0);
    w.uint(3).uint(third);
    w.uint(4);
}

/// Reads the next map key, which must be `want` (keys come in the order
/// the format fixes).
pub(crate) fn expect_key(
    r: &mut Reader<'_>,
    prev: &mut Option<i64>,
    want: i64,
) -> Result<(), ListError> {
    let k = r.key_after(*prev)?;
    *prev = Some(k);
    if k != want {
        return Err(ListError::Invalid("unexpected or missing field"));
    }
    Ok(())
}

/// Reads keys 1-3 (version, issued_at, expires_at) of a trust list.
pub(crate) fn read_list_header(r: &mut Reader<'_>) -> Result<(u64, UnixTime, UnixTime), ListError> {
    let mut prev = None;
    let mut next = |r: &mut Reader<'_>, want: i64| expect_key(r, &mut prev, want);
    next(r, 1)?;
    let version = r.uint()?;
    next(r, 2)?;
    let issued = UnixTime(r.uint()?);
    next(r, 3)?;
    let expires = UnixTime(r.uint()?);
    if version == 0 {
        return Err(ListError::Invalid("version must be at least 1"));
    }
    if expires <= issued {
        return Err(ListError::Invalid("expires before it is issued"));
    }
    next(r, 4)?;
    Ok((version, issued, expires))
}

/// The rollback rule shared by trust and revocation lists.
pub(crate) fn check_update(
    current: Option<(u64, &[u8])>,
    offered: (u64, &[u8]),
) -> Result<bool, UpdateError> {
    match current {
        None => Ok(true),
        Some((v, _)) if offered.0 < v => Err(UpdateError::Rollback {
            current: v,
            offered: offered.0,
        }),
        Some((v, bytes)) if offered.0 == v => {
            if bytes == offered.1 {
                Ok(false)
            } else {
                Err(UpdateError::Conflict { version: v })
            }
        }
        Some(_) => Ok(true),
    }
}

/// Version and dates of a list, as shown on every result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ListSummary {
    /// Version.
    pub version: u64,
    /// When the root signed it.
    pub issued_at: UnixTime,
    /// When it expires.
    pub expires_at: UnixTime,
}
