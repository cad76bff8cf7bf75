//! Revocation lists: the ids of revoked certificates, signed by the root key.
//!
//! Payload: `{1: version, 2: issued_at, 3: expires_at, 4: [ids]}`, where the
//! ids are strictly increasing and written as differences (the first id, then
//! each id minus the one before). Issuers allocate certificate ids as
//! `region × 10^10 + serial`, so a region's revocations are close together and
//! most differences take 1-5 bytes: a million revocations fit in a few MB.

use crate::cbor::{Reader, Writer};
use crate::cose::{self, AAD_REVOCATIONS};
use crate::crypto::{PublicKey, SecretKey};
use crate::date::UnixTime;
use crate::trust::{
    check_update, open_signed, read_list_header, ListError, ListSummary, UpdateError,
};

/// Most ids a revocation list may hold.
pub const MAX_REVOKED: usize = 20_000_000;
/// Largest revocation list file accepted.
pub const MAX_REVOCATIONS_BYTES: usize = 200 << 20;

/// A root-signed revocation list that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    /// Only goes up.
    pub version: u64,
    /// When the root signed it.
    pub issued_at: UnixTime,
    /// After this the list is stale (revocations still apply).
    pub expires_at: UnixTime,
    ids: Vec<u64>,
    bytes: Vec<u8>,
}

impl RevocationList {
    /// Builds and signs a list; `ids` may be in any order and repeat.
    pub fn sign(
        version: u64,
        issued_at: UnixTime,
        expires_at: UnixTime,
        ids: &[u64],
        root: &SecretKey,
    ) -> Vec<u8> {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut w = Writer::new();
        w.map(4);
        w.uint(1).uint(version);
        w.uint(2).uint(issued_at.0);
        w.uint(3).uint(expires_at.0);
        w.uint(4).array(sorted.len());
        let mut prev = 0u64;
        for (i, id) in sorted.iter().enumerate() {
            w.uint(if i == 0 { *id } else { id - prev });
            prev = *id;
        }
        cose::sign(root, AAD_REVOCATIONS, &w.into_bytes())
    }

    /// Loads and checks a list signed by `root`.
    pub fn load(bytes: &[u8], root: &PublicKey) -> Result<RevocationList, ListError> {
        let payload = open_signed(bytes, root, AAD_REVOCATIONS, MAX_REVOCATIONS_BYTES)?;
        let mut r = Reader::new(&payload);
        if r.map(4)? != 4 {
            return Err(ListError::Invalid(
                "a revocation list needs exactly 4 fields",
            ));
        }
        let (version, issued_at, expires_at) = read_list_header(&mut r)?;
        let n = r.array(MAX_REVOKED)?;
        // Each id takes at least one byte: never trust the count beyond that.
        let mut ids = Vec::with_capacity(n.min(payload.len()));
        let mut prev = 0u64;
        for i in 0..n {
            let d = r.uint()?;
            let id = if i == 0 {
                d
            } else {
                if d == 0 {
                    return Err(ListError::Invalid("revoked ids repeat"));
                }
                prev.checked_add(d)
                    .ok_or(ListError::Invalid("revoked id overflows"))?
            };
            ids.push(id);
            prev = id;
        }
        r.finish()?;
        Ok(RevocationList {
            version,
            issued_at,
            expires_at,
            ids,
            bytes: bytes.to_vec(),
        })
    }

    /// True if the certificate id is revoked.
    pub fn contains(&self, cert_id: u64) -> bool {
        self.ids.binary_search(&cert_id).is_ok()
    }

    /// The revoked ids, ascending.
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }

    /// The signed bytes as loaded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Same rule as trust lists: versions only go up.
    pub fn accept_update(
        current: Option<&RevocationList>,
        offered: &RevocationList,
    ) -> Result<bool, UpdateError> {
        check_update(
            current.map(|c| (c.version, c.bytes())),
            (offered.version, offered.bytes()),
        )
    }

    /// Version and dates.
    pub fn summary(&self) -> ListSummary {
        ListSummary {
            version: self.version,
            issued_at: self.issued_at,
            expires_at: self.expires_at,
        }
    }
}
