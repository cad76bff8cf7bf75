//! The revoked set itself: certificate ids grouped by the issuer key that
//! signed them (a `cert_id` is unique per issuer key, not nationally).

use sha2::{Digest, Sha256};

use crate::crypto::Kid;

/// Domain separation for [`RevokedSet::digest`].
const DIGEST_DOMAIN: &[u8] = b"yanzheng revoked set v2";

/// Revoked `(issuer key, cert_id)` pairs: groups in ascending key id order,
/// each a non-empty, strictly increasing list of ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RevokedSet {
    groups: Vec<(Kid, Vec<u64>)>,
}

impl RevokedSet {
    /// The empty set.
    pub fn new() -> RevokedSet {
        RevokedSet::default()
    }

    /// The set of `pairs`, in any order, repeats allowed.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Kid, u64)>) -> RevokedSet {
        let mut all: Vec<(Kid, u64)> = pairs.into_iter().collect();
        all.sort_unstable();
        all.dedup();
        let mut groups: Vec<(Kid, Vec<u64>)> = Vec::new();
        for (kid, id) in all {
            match groups.last_mut() {
                Some((k, ids)) if *k == kid => ids.push(id),
                _ => groups.push((kid, vec![id])),
            }
        }
        RevokedSet { groups }
    }

    /// Builds from groups already checked to be ordered and non-empty.
    pub(crate) fn from_sorted_groups(groups: Vec<(Kid, Vec<u64>)>) -> RevokedSet {
        debug_assert!(groups.windows(2).all(|w| w[0].0 < w[1].0));
        debug_assert!(groups
            .iter()
            .all(|(_, ids)| !ids.is_empty() && ids.windows(2).all(|w| w[0] < w[1])));
        RevokedSet { groups }
    }

    /// True if `cert_id` of key `kid` is revoked. Two binary searches.
    pub fn contains(&self, kid: &Kid, cert_id: u64) -> bool {
        self.ids(kid).binary_search(&cert_id).is_ok()
    }

    /// The revoked ids of one key, ascending (empty if none).
    pub fn ids(&self, kid: &Kid) -> &[u64] {
        match self.groups.binary_search_by(|(k, _)| k.cmp(kid)) {
            Ok(i) => &self.groups[i].1,
            Err(_) => &[],
        }
    }

    /// Every group: key id and its ids, in key id order.
    pub fn groups(&self) -> impl Iterator<Item = (&Kid, &[u64])> {
        self.groups.iter().map(|(k, ids)| (k, ids.as_slice()))
    }

    /// The key ids that have revocations, ascending.
    pub fn kids(&self) -> impl Iterator<Item = &Kid> {
        self.groups.iter().map(|(k, _)| k)
    }

    /// Every pair, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Kid, u64)> + '_ {
        self.groups
            .iter()
            .flat_map(|(k, ids)| ids.iter().map(move |&id| (*k, id)))
    }

    /// How many ids in all.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|(_, ids)| ids.len()).sum()
    }

    /// True if nothing is revoked.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Bytes the ids take in memory (what a phone holds after loading).
    pub fn heap_bytes(&self) -> usize {
        self.groups.capacity() * core::mem::size_of::<(Kid, Vec<u64>)>()
            + self
                .groups
                .iter()
                .map(|(_, ids)| ids.capacity() * 8)
                .sum::<usize>()
    }

    /// SHA-256 over the set's one canonical form: the domain string, then
    /// per group the key id, the count (u64 big-endian) and each id (u64
    /// big-endian). Two encodings of the same set have the same digest, so
    /// deltas name the sets they start from and lead to by it.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(DIGEST_DOMAIN);
        for (kid, ids) in &self.groups {
            h.update(kid.0);
            h.update((ids.len() as u64).to_be_bytes());
            let mut buf = Vec::with_capacity(ids.len() * 8);
            for id in ids {
                buf.extend_from_slice(&id.to_be_bytes());
            }
            h.update(&buf);
        }
        h.finalize().into()
    }

    /// What `newer` adds to this set and what it takes away.
    pub fn diff(&self, newer: &RevokedSet) -> (RevokedSet, RevokedSet) {
        let minus = |a: &RevokedSet, b: &RevokedSet| {
            let groups = a
                .groups
                .iter()
                .filter_map(|(kid, ids)| {
                    let other = b.ids(kid);
                    let left: Vec<u64> = ids
                        .iter()
                        .copied()
                        .filter(|id| other.binary_search(id).is_err())
                        .collect();
                    (!left.is_empty()).then_some((*kid, left))
                })
                .collect();
            RevokedSet { groups }
        };
        (minus(newer, self), minus(self, newer))
    }

    /// `self ∪ added ∖ removed`, or `None` unless `added` is disjoint from
    /// this set and `removed` is inside it (a delta that does not fit).
    pub(crate) fn apply(&self, added: &RevokedSet, removed: &RevokedSet) -> Option<RevokedSet> {
        if added.iter().any(|(k, id)| self.contains(&k, id))
            || removed.iter().any(|(k, id)| !self.contains(&k, id))
        {
            return None;
        }
        let mut kids: Vec<Kid> = self.kids().chain(added.kids()).copied().collect();
        kids.sort_unstable();
        kids.dedup();
        let groups = kids
            .into_iter()
            .filter_map(|kid| {
                let gone = removed.ids(&kid);
                let mut ids: Vec<u64> = self
                    .ids(&kid)
                    .iter()
                    .copied()
                    .filter(|id| gone.binary_search(id).is_err())
                    .chain(added.ids(&kid).iter().copied())
                    .collect();
                ids.sort_unstable();
                (!ids.is_empty()).then_some((kid, ids))
            })
            .collect();
        Some(RevokedSet { groups })
    }
}
