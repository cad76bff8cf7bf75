//! Signed deltas: what changed from one version of the revoked set to a later
//! one, coded against the set the device already holds.
//!
//! ```text
//! Delta   = { 1: from_version, 2: version (> from), 3: issued_at, 4: max_age,
//!             5: base digest (bstr 32), 6: result digest (bstr 32),
//!             7: [* new kid] (bstr 8, ascending, none held before),
//!             8: added Changes, 9: removed Changes }
//! Changes = [ groups (uint), k (uint ≤ 63), bits (bstr) ]
//! ```
//! Keys are named by their index in the union of the held set's key ids and
//! the new kids (ascending), as Elias-gamma gaps; per key the count (gamma),
//! the first id as a signed offset from the smallest id held for that key (0
//! if none), then the gaps between ids, all Golomb-Rice with one `k`. A day
//! of 1,000 national revocations takes about 2.5 KB.

use core::fmt;

use crate::cbor::{Reader, Writer};
use crate::cose::{self, AAD_REVOCATION_DELTA};
use crate::crypto::{Kid, PublicKey, SecretKey};
use crate::date::UnixTime;
use crate::signed_list::{expect_key, open_signed, ListError, UpdateError};
use crate::trust::MAX_KEYS;

use super::code::{best_rice_parameter, BitReader, BitWriter};
use super::{check_header, RevocationList, RevokedSet, MAX_REVOCATIONS_BYTES, MAX_REVOKED};

/// A signed delta that passed its signature and structure checks. What it
/// adds and removes is decoded only against the set it is applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationDelta {
    /// The version it applies to.
    pub from_version: u64,
    /// The version it leads to.
    pub version: u64,
    /// When the root signed it.
    pub issued_at: UnixTime,
    /// The maximum age of the data it leads to.
    pub max_age: u64,
    base_digest: [u8; 32],
    result_digest: [u8; 32],
    new_kids: Vec<Kid>,
    added: Changes,
    removed: Changes,
    bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Changes {
    groups: usize,
    k: u32,
    bits: Vec<u8>,
}

/// Why a delta was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeltaError {
    /// The delta (or a list it needs) did not load.
    List(ListError),
    /// The delta starts from a version other than the one held: fetch the
    /// deltas in between, or the full list.
    Gap {
        /// Version held.
        held: u64,
        /// Version the delta starts from.
        from: u64,
    },
    /// Rollback or conflict, as for full lists.
    Update(UpdateError),
    /// The delta does not fit the held set, or does not lead where it says.
    DoesNotFit(&'static str),
}

impl DeltaError {
    /// The stable code used by the test vectors.
    pub fn code(&self) -> &'static str {
        match self {
            DeltaError::List(_) => "list_refused",
            DeltaError::Gap { .. } => "delta_gap_refused",
            DeltaError::Update(UpdateError::Rollback { .. }) => "rollback_refused",
            DeltaError::Update(UpdateError::Conflict { .. }) => "conflict_refused",
            DeltaError::DoesNotFit(_) => "delta_refused",
        }
    }
}

impl fmt::Display for DeltaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeltaError::List(e) => e.fmt(f),
            DeltaError::Gap { held, from } => write!(
                f,
                "the delta starts at version {from}, but version {held} is held"
            ),
            DeltaError::Update(e) => e.fmt(f),
            DeltaError::DoesNotFit(why) => write!(f, "the delta does not fit: {why}"),
        }
    }
}

impl std::error::Error for DeltaError {}

/// The union of the held key ids and the new ones, ascending.
fn key_table(held: &RevokedSet, new_kids: &[Kid]) -> Vec<Kid> {
    let mut all: Vec<Kid> = held.kids().chain(new_kids.iter()).copied().collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The smallest id held for `kid`, the reference for its first offset.
fn reference(held: &RevokedSet, kid: &Kid) -> u64 {
    held.ids(kid).first().copied().unwrap_or(0)
}

fn encode_changes(changes: &RevokedSet, held: &RevokedSet, table: &[Kid]) -> Changes {
    let mut values = Vec::new();
    for (kid, ids) in changes.groups() {
        values.push(ids[0].abs_diff(reference(held, kid)));
        values.extend(ids.windows(2).map(|p| p[1] - p[0] - 1));
    }
    let k = best_rice_parameter(&values);
    let mut w = BitWriter::new();
    let mut prev_index: Option<usize> = None;
    let mut groups = 0;
    for (kid, ids) in changes.groups() {
        let index = table.binary_search(kid).unwrap_or_default();
        let step = match prev_index {
            None => index + 1,
            Some(p) => index - p,
        };
        prev_index = Some(index);
        w.gamma(step as u64);
        w.gamma(ids.len() as u64);
        let base = reference(held, kid);
        w.bits(u64::from(ids[0] < base), 1);
        w.rice(ids[0].abs_diff(base), k);
        for p in ids.windows(2) {
            w.rice(p[1] - p[0] - 1, k);
        }
        groups += 1;
    }
    Changes {
        groups,
        k,
        bits: w.into_bytes(),
    }
}

fn decode_changes(
    c: &Changes,
    held: &RevokedSet,
    table: &[Kid],
) -> Result<RevokedSet, &'static str> {
    let mut r = BitReader::new(&c.bits);
    let mut groups: Vec<(Kid, Vec<u64>)> = Vec::with_capacity(c.groups.min(table.len()));
    let mut index: Option<usize> = None;
    let mut budget = MAX_REVOKED;
    for _ in 0..c.groups {
        let step = usize::try_from(r.gamma().map_err(|e| e.reason())?)
            .map_err(|_| "key index out of range")?;
        let i = match index {
            None => step - 1,
            Some(p) => p.checked_add(step).ok_or("key index out of range")?,
        };
        let kid = *table.get(i).ok_or("key index out of range")?;
        index = Some(i);
        let count = usize::try_from(r.gamma().map_err(|e| e.reason())?)
            .ok()
            .filter(|&n| n <= budget)
            .ok_or("too many ids")?;
        budget -= count;
        let below = r.bits(1).map_err(|e| e.reason())? == 1;
        let offset = r.rice(c.k).map_err(|e| e.reason())?;
        if below && offset == 0 {
            return Err("a coded value is not in its shortest form");
        }
        let base = reference(held, &kid);
        let first = if below {
            base.checked_sub(offset)
        } else {
            base.checked_add(offset)
        }
        .ok_or("revoked id overflows")?;
        // Each further id takes at least one bit.
        if count - 1 > c.bits.len() * 8 {
            return Err("group count exceeds its bits");
        }
        let mut ids = Vec::with_capacity(count);
        ids.push(first);
        let mut prev = first;
        for _ in 1..count {
            let gap = r.rice(c.k).map_err(|e| e.reason())?;
            prev = prev
                .checked_add(gap)
                .and_then(|p| p.checked_add(1))
                .ok_or("revoked id overflows")?;
            ids.push(prev);
        }
        groups.push((kid, ids));
    }
    r.finish().map_err(|e| e.reason())?;
    Ok(RevokedSet::from_sorted_groups(groups))
}

fn write_changes(w: &mut Writer, c: &Changes) {
    w.array(3);
    w.uint(c.groups as u64);
    w.uint(u64::from(c.k));
    w.bytes(&c.bits);
}

fn read_changes(r: &mut Reader<'_>) -> Result<Changes, ListError> {
    if r.array(3)? != 3 {
        return Err(ListError::Invalid("changes need exactly 3 items"));
    }
    let groups = usize::try_from(r.uint()?)
        .ok()
        .filter(|&g| g <= 2 * MAX_KEYS)
        .ok_or(ListError::Invalid("too many groups"))?;
    let k = u32::try_from(r.uint()?)
        .ok()
        .filter(|&k| k <= 63)
        .ok_or(ListError::Invalid("Rice parameter over 63"))?;
    let bits = r.bytes(MAX_REVOCATIONS_BYTES)?.to_vec();
    Ok(Changes { groups, k, bits })
}

fn digest_of(r: &mut Reader<'_>) -> Result<[u8; 32], ListError> {
    r.bytes(32)?
        .try_into()
        .map_err(|_| ListError::Invalid("a digest is 32 bytes"))
}

impl RevocationDelta {
    /// Signs the delta from `base` to `next` (as version `version`).
    pub fn sign(
        base: &RevocationList,
        next: &RevokedSet,
        version: u64,
        issued_at: UnixTime,
        max_age: u64,
        root: &SecretKey,
    ) -> Vec<u8> {
        let held = base.set();
        let (added, removed) = held.diff(next);
        let new_kids: Vec<Kid> = added
            .kids()
            .filter(|k| held.ids(k).is_empty())
            .copied()
            .collect();
        let table = key_table(held, &new_kids);
        let mut w = Writer::new();
        w.map(9);
        w.uint(1).uint(base.version);
        w.uint(2).uint(version);
        w.uint(3).uint(issued_at.0);
        w.uint(4).uint(max_age);
        w.uint(5).bytes(&base.digest());
        w.uint(6).bytes(&next.digest());
        w.uint(7).array(new_kids.len());
        for k in &new_kids {
            w.bytes(&k.0);
        }
        w.uint(8);
        write_changes(&mut w, &encode_changes(&added, held, &table));
        w.uint(9);
        write_changes(&mut w, &encode_changes(&removed, held, &table));
        cose::sign(root, AAD_REVOCATION_DELTA, &w.into_bytes())
    }

    /// Checks the root's signature and the structure.
    pub fn load(bytes: &[u8], root: &PublicKey) -> Result<RevocationDelta, ListError> {
        let payload = open_signed(bytes, root, AAD_REVOCATION_DELTA, MAX_REVOCATIONS_BYTES)?;
        let mut r = Reader::new(&payload);
        if r.map(9)? != 9 {
            return Err(ListError::Invalid("a delta needs exactly 9 fields"));
        }
        let mut prev = None;
        expect_key(&mut r, &mut prev, 1)?;
        let from_version = r.uint()?;
        expect_key(&mut r, &mut prev, 2)?;
        let version = r.uint()?;
        expect_key(&mut r, &mut prev, 3)?;
        let issued_at = UnixTime(r.uint()?);
        expect_key(&mut r, &mut prev, 4)?;
        let max_age = r.uint()?;
        check_header(version, issued_at, max_age)?;
        if from_version == 0 || version <= from_version {
            return Err(ListError::Invalid("a delta must lead to a higher version"));
        }
        expect_key(&mut r, &mut prev, 5)?;
        let base_digest = digest_of(&mut r)?;
        expect_key(&mut r, &mut prev, 6)?;
        let result_digest = digest_of(&mut r)?;
        expect_key(&mut r, &mut prev, 7)?;
        let n = r.array(MAX_KEYS)?;
        let mut new_kids: Vec<Kid> = Vec::with_capacity(n);
        for _ in 0..n {
            let kid =
                Kid::from_slice(r.bytes(8)?).ok_or(ListError::Invalid("key id is not 8 bytes"))?;
            if new_kids.last().is_some_and(|k| *k >= kid) {
                return Err(ListError::Invalid("new key ids not in increasing order"));
            }
            new_kids.push(kid);
        }
        expect_key(&mut r, &mut prev, 8)?;
        let added = read_changes(&mut r)?;
        expect_key(&mut r, &mut prev, 9)?;
        let removed = read_changes(&mut r)?;
        r.finish()?;
        Ok(RevocationDelta {
            from_version,
            version,
            issued_at,
            max_age,
            base_digest,
            result_digest,
            new_kids,
            added,
            removed,
            bytes: bytes.to_vec(),
        })
    }

    /// The signed bytes as loaded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The digest of the set it applies to.
    pub fn base_digest(&self) -> [u8; 32] {
        self.base_digest
    }

    /// The digest of the set it leads to.
    pub fn result_digest(&self) -> [u8; 32] {
        self.result_digest
    }
}

impl RevocationList {
    /// Applies `delta`: `Ok(Some(next))` for the newer state, `Ok(None)` if
    /// the delta leads to the state already held, an error otherwise (the
    /// held state is kept).
    pub fn apply(&self, delta: &RevocationDelta) -> Result<Option<RevocationList>, DeltaError> {
        if delta.version <= self.version {
            return if delta.version == self.version && delta.result_digest == self.digest {
                Ok(None)
            } else if delta.version == self.version {
                Err(DeltaError::Update(UpdateError::Conflict {
                    version: self.version,
                }))
            } else {
                Err(DeltaError::Update(UpdateError::Rollback {
                    current: self.version,
                    offered: delta.version,
                }))
            };
        }
        if delta.from_version != self.version {
            return Err(DeltaError::Gap {
                held: self.version,
                from: delta.from_version,
            });
        }
        if delta.base_digest != self.digest {
            return Err(DeltaError::Update(UpdateError::Conflict {
                version: self.version,
            }));
        }
        if delta.issued_at < self.issued_at {
            return Err(DeltaError::DoesNotFit(
                "it was issued before the list it updates",
            ));
        }
        let held = &self.set;
        if delta.new_kids.iter().any(|k| !held.ids(k).is_empty()) {
            return Err(DeltaError::DoesNotFit("a new key id is already held"));
        }
        let table = key_table(held, &delta.new_kids);
        let added = decode_changes(&delta.added, held, &table).map_err(DeltaError::DoesNotFit)?;
        let removed =
            decode_changes(&delta.removed, held, &table).map_err(DeltaError::DoesNotFit)?;
        if delta.new_kids.iter().any(|k| added.ids(k).is_empty()) {
            return Err(DeltaError::DoesNotFit("a new key id adds nothing"));
        }
        let set = held.apply(&added, &removed).ok_or(DeltaError::DoesNotFit(
            "it adds ids already held or removes ids not held",
        ))?;
        let digest = set.digest();
        if digest != delta.result_digest {
            return Err(DeltaError::DoesNotFit(
                "the result is not the set the delta names",
            ));
        }
        let mut deltas = self.deltas.clone();
        deltas.push(delta.bytes.clone());
        Ok(Some(RevocationList {
            version: delta.version,
            issued_at: delta.issued_at,
            max_age: delta.max_age,
            set,
            digest,
            bytes: self.bytes.clone(),
            deltas,
        }))
    }
}
