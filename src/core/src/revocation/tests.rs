use super::*;
use crate::trust::UpdateError;

fn root() -> SecretKey {
    SecretKey::from_seed(&[52; 32])
}

fn kid(n: u8) -> Kid {
    Kid([n; 8])
}

/// A deterministic stream of numbers (xorshift), no randomness in core.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn sample_set(issuers: u8, issued: u64, revoked_per_mille: u64, seed: u64) -> RevokedSet {
    let mut n = Numbers(seed);
    let mut pairs = Vec::new();
    for i in 0..issuers {
        let base = (310_000 + u64::from(i)) * 10_000_000_000;
        for serial in 0..issued {
            if n.next() % 1000 < revoked_per_mille {
                pairs.push((kid(i + 1), base + serial));
            }
        }
    }
    RevokedSet::from_pairs(pairs)
}

/// log2 C(n, k) in bits, by summing logarithms.
fn entropy_bits(n: u64, k: u64) -> f64 {
    (0..k)
        .map(|i| ((n - i) as f64).log2() - ((i + 1) as f64).log2())
        .sum()
}

#[test]
fn a_list_round_trips_and_answers_membership() {
    let set = RevokedSet::from_pairs([(kid(2), 7), (kid(1), 3_100_000_000_000_042), (kid(2), 5)]);
    let bytes = RevocationList::sign(3, UnixTime(1000), DEFAULT_MAX_AGE, &set, &root());
    let list = RevocationList::load(&bytes, &root().public()).expect("loads");
    assert_eq!(list.version, 3);
    assert_eq!(list.set(), &set);
    assert!(list.contains(&kid(1), 3_100_000_000_000_042));
    assert!(list.contains(&kid(2), 5));
    // The same id under another key is not revoked: ids are per issuer key.
    assert!(!list.contains(&kid(2), 3_100_000_000_000_042));
    assert!(!list.contains(&kid(3), 5));
    assert_eq!(list.fresh_until(), UnixTime(1000 + DEFAULT_MAX_AGE));
    assert!(!list.is_stale(UnixTime(1000 + DEFAULT_MAX_AGE)));
    assert!(list.is_stale(UnixTime(1001 + DEFAULT_MAX_AGE)));
    // The full u64 range is allowed.
    let edge = RevokedSet::from_pairs([(kid(1), 0), (kid(1), u64::MAX)]);
    let bytes = RevocationList::sign(1, UnixTime(0), 60, &edge, &root());
    let list = RevocationList::load(&bytes, &root().public()).expect("loads");
    assert!(list.contains(&kid(1), u64::MAX) && list.contains(&kid(1), 0));
}

#[test]
fn a_coded_set_is_near_the_information_limit() {
    // 40 issuers, 25,000 certificates each, about 1% revoked.
    let set = sample_set(40, 25_000, 10, 0x9e37_79b9_7f4a_7c15);
    let bytes = RevocationList::sign(1, UnixTime(0), DEFAULT_MAX_AGE, &set, &root());
    let bound = entropy_bits(1_000_000, set.len() as u64) / 8.0;
    let ratio = bytes.len() as f64 / bound;
    assert!(
        ratio < 1.15,
        "{} bytes for a bound of {bound:.0}: {ratio:.3}",
        bytes.len()
    );
}

#[test]
fn deltas_chain_and_refuse_what_does_not_fit() {
    let r = root();
    let v1_set = sample_set(5, 2_000, 10, 7);
    let v1 = RevocationList::load(
        &RevocationList::sign(1, UnixTime(100), 3600, &v1_set, &r),
        &r.public(),
    )
    .expect("v1");
    // v2 adds ids (one under a key v1 did not have) and takes one back.
    let mut pairs: Vec<(Kid, u64)> = v1_set.iter().skip(1).collect();
    pairs.extend([(kid(9), 12), (kid(9), 4_000), (kid(1), 5)]);
    let v2_set = RevokedSet::from_pairs(pairs);
    let d12 = RevocationDelta::sign(&v1, &v2_set, 2, UnixTime(200), 7200, &r);
    let d12 = RevocationDelta::load(&d12, &r.public()).expect("delta loads");
    let v2 = v1.apply(&d12).expect("applies").expect("newer");
    assert_eq!(v2.set(), &v2_set);
    assert_eq!(
        (v2.version, v2.issued_at, v2.max_age),
        (2, UnixTime(200), 7200)
    );
    assert_eq!(v2.deltas().len(), 1);
    // The same delta again: nothing changes.
    assert_eq!(v2.apply(&d12), Ok(None));

    let v3_set = RevokedSet::from_pairs(v2_set.iter().chain([(kid(2), 77)]));
    let d23 = RevocationDelta::sign(&v2, &v3_set, 3, UnixTime(300), 7200, &r);
    let d23 = RevocationDelta::load(&d23, &r.public()).expect("loads");
    // A gap: v1 cannot take the delta from v2.
    assert_eq!(
        v1.apply(&d23).map(|_| ()),
        Err(DeltaError::Gap { held: 1, from: 2 })
    );
    let v3 = v2.apply(&d23).expect("applies").expect("newer");
    assert!(v3.contains(&kid(2), 77));
    // A rollback: v3 refuses the delta to v2.
    assert!(matches!(
        v3.apply(&d12),
        Err(DeltaError::Update(UpdateError::Rollback {
            current: 3,
            offered: 2
        }))
    ));
    // Rebuilt from the signed files, the state is the same.
    let rebuilt = RevocationList::restore(v3.bytes(), v3.deltas(), &r.public()).expect("restores");
    assert_eq!(rebuilt, v3);

    // A second version 2 with other content: its delta conflicts.
    let other_v2 = RevokedSet::from_pairs(v1_set.iter().chain([(kid(1), 6)]));
    let other = RevocationList::load(
        &RevocationList::sign(2, UnixTime(200), 7200, &other_v2, &r),
        &r.public(),
    )
    .expect("loads");
    assert!(matches!(
        other.apply(&d23),
        Err(DeltaError::Update(UpdateError::Conflict { version: 2 }))
    ));
    assert!(matches!(
        RevocationList::accept_update(Some(&v2), &other),
        Err(UpdateError::Conflict { version: 2 })
    ));
}

#[test]
fn a_delta_for_another_base_or_root_is_refused() {
    let r = root();
    let base = RevocationList::load(
        &RevocationList::sign(1, UnixTime(0), 60, &RevokedSet::new(), &r),
        &r.public(),
    )
    .expect("loads");
    let next = RevokedSet::from_pairs([(kid(1), 1)]);
    let delta = RevocationDelta::sign(&base, &next, 2, UnixTime(10), 60, &r);
    // A full-list loader will not take a delta, nor the other way round.
    assert!(RevocationList::load(&delta, &r.public()).is_err());
    assert!(RevocationDelta::load(base.bytes(), &r.public()).is_err());
    // Another root's delta is refused on load.
    let other = SecretKey::from_seed(&[9; 32]);
    let forged = RevocationDelta::sign(&base, &RevokedSet::new(), 2, UnixTime(10), 60, &other);
    assert!(matches!(
        RevocationDelta::load(&forged, &r.public()),
        Err(ListError::WrongRoot { .. })
    ));
}

#[test]
fn a_day_of_national_revocations_is_a_small_delta() {
    let r = root();
    let set = sample_set(60, 20_000, 10, 11);
    let base = RevocationList::load(
        &RevocationList::sign(1, UnixTime(0), DEFAULT_MAX_AGE, &set, &r),
        &r.public(),
    )
    .expect("loads");
    let mut n = Numbers(5);
    let mut pairs: Vec<(Kid, u64)> = set.iter().collect();
    let mut added = 0;
    while added < 200 {
        let i = (n.next() % 60) as u8;
        let id = (310_000 + u64::from(i)) * 10_000_000_000 + n.next() % 20_000;
        if !set.contains(&kid(i + 1), id) && !pairs.contains(&(kid(i + 1), id)) {
            pairs.push((kid(i + 1), id));
            added += 1;
        }
    }
    let next = RevokedSet::from_pairs(pairs);
    let delta = RevocationDelta::sign(&base, &next, 2, UnixTime(86_400), DEFAULT_MAX_AGE, &r);
    // 200 new of 1.2 million: log2 C(1.2M, 200) is about 350 bytes.
    assert!(delta.len() < 800, "{} bytes", delta.len());
    let d = RevocationDelta::load(&delta, &r.public()).expect("loads");
    assert_eq!(base.apply(&d).expect("fits").expect("newer").set(), &next);
}

#[test]
fn hostile_lists_are_refused_not_trusted() {
    let r = root();
    let mut w = Writer::new();
    w.map(4);
    w.uint(1).uint(1);
    w.uint(2).uint(0);
    w.uint(3).uint(60);
    w.uint(4).array(1);
    // A group claiming a million ids in one byte of bits.
    w.array(5)
        .bytes(&[1; 8])
        .uint(1_000_000)
        .uint(0)
        .uint(0)
        .bytes(&[0]);
    let bytes = cose::sign(&r, AAD_REVOCATIONS, &w.into_bytes());
    assert_eq!(
        RevocationList::load(&bytes, &r.public()),
        Err(ListError::Invalid("group count exceeds its bits"))
    );
    // max_age 0 and groups out of order.
    let zero_age = RevocationList::sign(1, UnixTime(0), 60, &RevokedSet::new(), &r);
    assert!(RevocationList::load(&zero_age, &r.public()).is_ok());
    let mut w = Writer::new();
    w.map(4);
    w.uint(1).uint(1);
    w.uint(2).uint(0);
    w.uint(3).uint(0);
    w.uint(4).array(0);
    let bytes = cose::sign(&r, AAD_REVOCATIONS, &w.into_bytes());
    assert!(matches!(
        RevocationList::load(&bytes, &r.public()),
        Err(ListError::Invalid(_))
    ));
    let mut w = Writer::new();
    w.map(4);
    w.uint(1).uint(1);
    w.uint(2).uint(0);
    w.uint(3).uint(60);
    w.uint(4).array(2);
    w.array(5).bytes(&[2; 8]).uint(1).uint(5).uint(0).bytes(&[]);
    w.array(5).bytes(&[1; 8]).uint(1).uint(5).uint(0).bytes(&[]);
    let bytes = cose::sign(&r, AAD_REVOCATIONS, &w.into_bytes());
    assert_eq!(
        RevocationList::load(&bytes, &r.public()),
        Err(ListError::Invalid("groups not in increasing key id order"))
    );
}
