// The deployment every target checks against: a root, one issuer key for
// both certificate types, and root-signed lists. Fixed seeds: a crash found
// once reproduces.
#![allow(dead_code)]

use yanzheng_core::{
    CertKind, Date, IssuerKey, KeyStatus, RevocationList, RevokedSet, SecretKey, TrustList,
    UnixTime,
};

pub struct World {
    pub root: SecretKey,
    pub issuer: SecretKey,
    pub trust: TrustList,
    pub revocations: RevocationList,
    pub now: UnixTime,
}

pub fn world() -> World {
    let root = SecretKey::from_seed(&[1; 32]);
    let issuer = SecretKey::from_seed(&[2; 32]);
    let day = |y, m, d| Date::from_ymd(y, m, d).expect("date");
    let now = day(2025, 6, 1).start_in_china();
    let expires = UnixTime(now.0 + 365 * 86_400);
    let key = IssuerKey {
        key: issuer.public(),
        issuer: "上海市应急管理局".into(),
        region: 310_000,
        types: vec![CertKind::SpecialOperations, CertKind::SafetyManagement],
        sign_from: day(2019, 1, 1),
        sign_until: day(2030, 12, 31),
        status: KeyStatus::Active,
    };
    let trust = TrustList::load(
        &TrustList::sign(2, now, expires, &[key], &root),
        &root.public(),
    )
    .expect("trust list");
    let revocations = RevocationList::load(
        &RevocationList::sign(
            2,
            now,
            7 * 86_400,
            &RevokedSet::from_pairs([
                (issuer.public().kid(), 3_100_000_000_000_006),
                (issuer.public().kid(), 3_100_000_000_000_042),
                (root.public().kid(), 7),
            ]),
            &root,
        ),
        &root.public(),
    )
    .expect("revocations");
    World {
        root,
        issuer,
        trust,
        revocations,
        now,
    }
}
