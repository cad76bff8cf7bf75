//! Revocation lists, version 2: the revoked `(issuer key, cert_id)` pairs as a
//! root-signed set coded near its information limit, with signed deltas from
//! one version to the next and a maximum age after which the data is stale.
//!
//! A full list is a COSE_Sign1 (external AAD `yanzheng revocation list v2`)
//! over `{1: version, 2: issued_at, 3: max_age, 4: [* group]}`, one group per
//! issuer key: `[kid, count, first id, k, bits]`, the gaps between the sorted
//! ids Golomb-Rice coded with parameter `k` ([`code`]). For ids allocated as
//! dense serials this is within a few per cent of log2 C(issued, revoked), the
//! fewest bits any code can use (measured by `cargo xtask bench-revocation`;
//! the choice and the alternatives measured are in docs/format.md §9).
//!
//! A delta (AAD `yanzheng revocation delta v2`) takes a device from version n
//! to a later version: the ids added and removed, coded against the set the
//! device holds, and the digests of the set it starts from and the set it
//! leads to, so a device can only apply it to the one set it was made for and
//! knows it arrived at the one set the root signed.
//!
//! Freshness: a list (or the last delta applied) is fresh until `issued_at +
//! max_age`. After that the verdict for a card that would otherwise be valid is
//! `revocation_unknown`, never `valid` (see [`crate::verdict`]).

pub mod code;
mod delta;
mod set;

use crate::cbor::{Reader, Writer};
use crate::cose::{self, AAD_REVOCATIONS};
use crate::crypto::{Kid, PublicKey, SecretKey};
use crate::date::UnixTime;
use crate::signed_list::{
    check_update, expect_key, open_signed, write_list_header, ListError, ListSummary, UpdateError,
};
use crate::trust::MAX_KEYS;

use code::{best_rice_parameter, BitReader, BitWriter};
pub use delta::{DeltaError, RevocationDelta};
pub use set::RevokedSet;

/// Most ids a revocation list may hold, over all keys.
pub const MAX_REVOKED: usize = 20_000_000;
/// Largest revocation list or delta file accepted.
pub const MAX_REVOCATIONS_BYTES: usize = 32 << 20;
/// The maximum age issuers use unless they choose another: 7 days.
pub const DEFAULT_MAX_AGE: u64 = 7 * 86_400;
/// Longest maximum age a list may name: 366 days.
pub const MAX_MAX_AGE: u64 = 366 * 86_400;

/// A root-signed revocation set that passed every check: loaded from a full
/// list, possibly brought forward by deltas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    /// Only goes up.
    pub version: u64,
    /// When the root signed this version.
    pub issued_at: UnixTime,
    /// Seconds after `issued_at` for which the data counts as current.
    pub max_age: u64,
    set: RevokedSet,
    digest: [u8; 32],
    bytes: Vec<u8>,
    deltas: Vec<Vec<u8>>,
}

pub(crate) fn check_header(
    version: u64,
    issued_at: UnixTime,
    max_age: u64,
) -> Result<(), ListError> {
    if version == 0 {
        return Err(ListError::Invalid("version must be at least 1"));
    }
    if max_age == 0 || max_age > MAX_MAX_AGE {
        return Err(ListError::Invalid(
            "max_age must be between 1 second and 366 days",
        ));
    }
    if issued_at.0.checked_add(max_age).is_none() {
        return Err(ListError::Invalid("issued_at + max_age overflows"));
    }
    Ok(())
}

fn write_group(w: &mut Writer, kid: &Kid, ids: &[u64]) {
    let gaps: Vec<u64> = ids.windows(2).map(|p| p[1] - p[0] - 1).collect();
    let k = best_rice_parameter(&gaps);
    let mut bits = BitWriter::new();
    for &g in &gaps {
        bits.rice(g, k);
    }
    w.array(5);
    w.bytes(&kid.0);
    w.uint(ids.len() as u64);
    w.uint(ids[0]);
    w.uint(u64::from(k));
    w.bytes(&bits.into_bytes());
}

fn read_group(r: &mut Reader<'_>, budget: &mut usize) -> Result<(Kid, Vec<u64>), ListError> {
    if r.array(5)? != 5 {
        return Err(ListError::Invalid("a group needs exactly 5 items"));
    }
    let kid = Kid::from_slice(r.bytes(8)?).ok_or(ListError::Invalid("key id is not 8 bytes"))?;
    let count = usize::try_from(r.uint()?)
        .ok()
        .filter(|&c| c >= 1 && c <= *budget)
        .ok_or(ListError::Invalid("group count is 0 or over the limit"))?;
    *budget -= count;
    let first = r.uint()?;
    let k = u32::try_from(r.uint()?)
        .ok()
        .filter(|&k| k <= 63)
        .ok_or(ListError::Invalid("Rice parameter over 63"))?;
    let bits = r.bytes(MAX_REVOCATIONS_BYTES)?;
    // Every gap takes at least one bit: never trust the count beyond that.
    if count - 1 > bits.len().saturating_mul(8) {
        return Err(ListError::Invalid("group count exceeds its bits"));
    }
    let mut ids = Vec::with_capacity(count);
    ids.push(first);
    let mut reader = BitReader::new(bits);
    let mut prev = first;
    for _ in 1..count {
        let gap = reader.rice(k).map_err(|e| ListError::Invalid(e.reason()))?;
        prev = prev
            .checked_add(gap)
            .and_then(|p| p.checked_add(1))
            .ok_or(ListError::Invalid("revoked id overflows"))?;
        ids.push(prev);
    }
    reader
        .finish()
        .map_err(|e| ListError::Invalid(e.reason()))?;
    Ok((kid, ids))
}

impl RevocationList {
    /// Builds and signs a full list of `set`; returns the file bytes.
    pub fn sign(
        version: u64,
        issued_at: UnixTime,
        max_age: u64,
        set: &RevokedSet,
        root: &SecretKey,
    ) -> Vec<u8> {
        let mut w = Writer::new();
        write_list_header(&mut w, version, issued_at, max_age);
        let groups: Vec<(&Kid, &[u64])> = set.groups().collect();
        w.array(groups.len());
        for (kid, ids) in groups {
            write_group(&mut w, kid, ids);
        }
        cose::sign(root, AAD_REVOCATIONS, &w.into_bytes())
    }

    /// Loads and checks a full list signed by `root`.
    pub fn load(bytes: &[u8], root: &PublicKey) -> Result<RevocationList, ListError> {
        let payload = open_signed(bytes, root, AAD_REVOCATIONS, MAX_REVOCATIONS_BYTES)?;
        let mut r = Reader::new(&payload);
        if r.map(4)? != 4 {
            return Err(ListError::Invalid(
                "a revocation list needs exactly 4 fields",
            ));
        }
        let mut prev = None;
        expect_key(&mut r, &mut prev, 1)?;
        let version = r.uint()?;
        expect_key(&mut r, &mut prev, 2)?;
        let issued_at = UnixTime(r.uint()?);
        expect_key(&mut r, &mut prev, 3)?;
        let max_age = r.uint()?;
        check_header(version, issued_at, max_age)?;
        expect_key(&mut r, &mut prev, 4)?;
        let n = r.array(MAX_KEYS)?;
        let mut budget = MAX_REVOKED;
        let mut groups: Vec<(Kid, Vec<u64>)> = Vec::with_capacity(n);
        for _ in 0..n {
            let (kid, ids) = read_group(&mut r, &mut budget)?;
            if groups.last().is_some_and(|(k, _)| *k >= kid) {
                return Err(ListError::Invalid("groups not in increasing key id order"));
            }
            groups.push((kid, ids));
        }
        r.finish()?;
        let set = RevokedSet::from_sorted_groups(groups);
        Ok(RevocationList {
            version,
            issued_at,
            max_age,
            digest: set.digest(),
            set,
            bytes: bytes.to_vec(),
            deltas: Vec::new(),
        })
    }

    /// True if `cert_id` of issuer key `kid` is revoked.
    pub fn contains(&self, kid: &Kid, cert_id: u64) -> bool {
        self.set.contains(kid, cert_id)
    }

    /// The revoked set.
    pub fn set(&self) -> &RevokedSet {
        &self.set
    }

    /// The digest of the set ([`RevokedSet::digest`]).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The signed full list this state was loaded from.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The signed deltas applied since, oldest first: with [`Self::bytes`]
    /// they are everything needed to rebuild (and re-check) this state.
    pub fn deltas(&self) -> &[Vec<u8>] {
        &self.deltas
    }

    /// Rebuilds a state from a full list and the deltas applied to it.
    pub fn restore(
        full: &[u8],
        deltas: &[Vec<u8>],
        root: &PublicKey,
    ) -> Result<RevocationList, DeltaError> {
        let mut list = RevocationList::load(full, root).map_err(DeltaError::List)?;
        for d in deltas {
            let delta = RevocationDelta::load(d, root).map_err(DeltaError::List)?;
            if let Some(next) = list.apply(&delta)? {
                list = next;
            }
        }
        Ok(list)
    }

    /// The instant after which this data is stale.
    pub fn fresh_until(&self) -> UnixTime {
        UnixTime(self.issued_at.0.saturating_add(self.max_age))
    }

    /// True once `now` is past [`Self::fresh_until`].
    pub fn is_stale(&self, now: UnixTime) -> bool {
        now > self.fresh_until()
    }

    /// Versions only go up; the same version must be the same set.
    pub fn accept_update(
        current: Option<&RevocationList>,
        offered: &RevocationList,
    ) -> Result<bool, UpdateError> {
        check_update(
            current.map(|c| (c.version, &c.digest[..])),
            (offered.version, &offered.digest[..]),
        )
    }

    /// Version and dates for reports (`expires_at` is when it goes stale).
    pub fn summary(&self) -> ListSummary {
        ListSummary {
            version: self.version,
            issued_at: self.issued_at,
            expires_at: self.fresh_until(),
        }
    }
}

#[cfg(test)]
mod tests;
