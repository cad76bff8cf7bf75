//! The deterministic generator of `tests/vectors/`.
//!
//! Fixed seeds and fixed instants only: no clock, no randomness. Ed25519
//! signing is deterministic (RFC 8032), so [`files`] returns the same bytes on
//! every machine and architecture, which is what lets a test compare the
//! committed files with a fresh run. Malformed payloads are built by hand with
//! core's CBOR writer and `cose::to_be_signed`, signed properly, so each one is
//! refused for exactly the flaw it names and nothing else.
//!
//! Each vector's expected outcome and facts are written here by hand from the
//! fixture's construction (which key, which dates), never read back from
//! `verify`: the vectors state what the rules say, not what the code did.

use serde_json::{json, Value};
use yanzheng_core::catalog;
use yanzheng_core::cbor::Writer;
use yanzheng_core::cert::{id_number_check_char, id_number_checksum_ok, mask_name, mask_number};
use yanzheng_core::cose::{self, AAD_CERTIFICATE, AAD_TRUST_LIST};
use yanzheng_core::crypto::{to_hex, KeyError};
use yanzheng_core::payload;
use yanzheng_core::verdict::NamedCode;
use yanzheng_core::{
    CertKind, Certificate, Date, IssuerKey, KeyStatus, Kid, PublicKey, RevocationDelta,
    RevocationList, RevokedSet, SecretKey, Sex, TrustList, UnixTime,
};

use crate::vector::Files;

/// Seed of the root key that signs the trust and revocation lists.
pub const ROOT_SEED: [u8; 32] = [0x52; 32];
/// Seed of a key that is not the deployment's root.
pub const OTHER_ROOT_SEED: [u8; 32] = [0x72; 32];
/// Shanghai's current issuer key (province-wide, both types).
pub const SHANGHAI_SEED: [u8; 32] = [0x31; 32];
/// Shanghai's previous key: retired, signing period ended 2022-12-31.
pub const SHANGHAI_OLD_SEED: [u8; 32] = [0x30; 32];
/// Beijing's key: safety-management certificates only.
pub const BEIJING_MGMT_SEED: [u8; 32] = [0x11; 32];
/// Shenzhen's key: region 440300 only.
pub const SHENZHEN_SEED: [u8; 32] = [0x44; 32];
/// A key the trust list marks revoked (compromised).
pub const COMPROMISED_SEED: [u8; 32] = [0x66; 32];
/// A key that no trust list names.
pub const UNLISTED_SEED: [u8; 32] = [0x99; 32];

fn key(seed: [u8; 32]) -> SecretKey {
    SecretKey::from_seed(&seed)
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("fixed date exists")
}

fn instant(s: &str) -> UnixTime {
    UnixTime::parse(s).expect("fixed instant parses")
}

/// The caller's clock in most verdict cases: 2025-06-01 10:00 in Beijing.
pub const AT: &str = "2025-06-01T02:00:00Z";
/// After trust list v2 expired.
pub const AT_AFTER_TRUST_EXPIRY: &str = "2025-09-01T02:00:00Z";
/// A clock set back, before trust list v2 was issued.
pub const AT_SET_BACK: &str = "2025-01-01T00:00:00Z";
/// After revocation list v2 went stale (2025-06-03), trust list v2 still
/// current.
pub const AT_REVOCATIONS_STALE: &str = "2025-06-10T02:00:00Z";

const TRUST_V1_ISSUED: &str = "2025-02-01T00:00:00Z";
const TRUST_V1_EXPIRES: &str = "2025-05-15T00:00:00Z";
const TRUST_V2_ISSUED: &str = "2025-05-01T00:00:00Z";
const TRUST_V2_EXPIRES: &str = "2025-08-01T00:00:00Z";
const REVOCATIONS_V1_ISSUED: &str = "2025-04-01T00:00:00Z";
const REVOCATIONS_V2_ISSUED: &str = "2025-05-20T00:00:00Z";
const REVOCATIONS_V3_ISSUED: &str = "2025-05-31T00:00:00Z";
/// The maximum age every fixture revocation list names: 14 days.
const REVOCATIONS_MAX_AGE: u64 = 14 * 86_400;

/// Trust list file names (relative to `tests/vectors/`).
pub const TRUST_V1: &str = "lists/trust-v1.cose";
/// The trust list most verdict cases use.
pub const TRUST_V2: &str = "lists/trust-v2.cose";
const TRUST_V2_CONFLICT: &str = "lists/trust-v2-conflict.cose";
const TRUST_WRONG_ROOT: &str = "lists/trust-wrong-root.cose";
const TRUST_WEAK_KEY: &str = "lists/trust-weak-key.cose";
const TRUST_NON_CANONICAL_KEY: &str = "lists/trust-non-canonical-key.cose";
const TRUST_DUPLICATE_KID: &str = "lists/trust-duplicate-kid.cose";
const REVOCATIONS_V1: &str = "lists/revocations-v1.cose";
/// The revocation list most verdict cases use.
pub const REVOCATIONS_V2: &str = "lists/revocations-v2.cose";
const REVOCATIONS_V2_CONFLICT: &str = "lists/revocations-v2-conflict.cose";
const REVOCATIONS_V3: &str = "lists/revocations-v3.cose";
const DELTA_V1_V2: &str = "lists/revocations-delta-1-2.cose";
const DELTA_V2_V3: &str = "lists/revocations-delta-2-3.cose";
const DELTA_WRONG_ROOT: &str = "lists/revocations-delta-wrong-root.cose";

/// Certificate ids follow the issuers' convention `region × 10^10 + serial`.
const fn cert_id(region: u64, serial: u64) -> u64 {
    region * 10_000_000_000 + serial
}

const REVOKED_CERT_ID: u64 = cert_id(310_101, 5);
/// Revoked in version 3 only (reached through the delta from version 2).
const REVOKED_IN_V3_CERT_ID: u64 = cert_id(310_101, 9);

/// An 18-character ID number from its first 17 digits, with the right
/// ISO 7064 MOD 11-2 check character.
pub fn id_number(first17: &str) -> String {
    let check = id_number_check_char(first17).expect("17 digits");
    let n = format!("{first17}{check}");
    assert!(id_number_checksum_ok(&n), "{n}");
    n
}

/// The certificate of the worked example and of `valid.vec`: a
/// special-operations certificate, 3-character name, one item.
pub fn example_certificate() -> Certificate {
    Certificate {
        kind: CertKind::SpecialOperations,
        name: "李建国".into(),
        sex: Sex::Male,
        number: id_number("31010119900307123"),
        region: 310_101,
        cert_id: cert_id(310_101, 1),
        signed_on: date(2024, 3, 1),
        details: yanzheng_core::Details {
            first_issued: date(2018, 3, 1),
            valid_from: date(2024, 3, 1),
            valid_until: date(2030, 2, 28),
            review_due: Some(date(2027, 3, 1)),
            category: Some(1),
            item: Some(102),
            employer: None,
            role: None,
            industry: None,
        },
    }
}

/// The worked example: record, COSE bytes and QR text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The certificate.
    pub certificate: Certificate,
    /// Its deterministic CBOR map.
    pub record: Vec<u8>,
    /// The serialized protected header.
    pub protected: Vec<u8>,
    /// The Sig_structure that was signed.
    pub to_be_signed: Vec<u8>,
    /// The tagged COSE_Sign1.
    pub cose: Vec<u8>,
    /// The QR text.
    pub text: String,
    /// The signing key's public key.
    pub public_key: [u8; 32],
}

impl Example {
    /// The signing key's id (lowercase hex).
    pub fn certificate_kid(&self) -> String {
        yanzheng_core::crypto::Kid::of(&self.public_key).to_hex()
    }
}

/// The worked example, signed by Shanghai's current key.
pub fn example() -> Example {
    let certificate = example_certificate();
    let sk = key(SHANGHAI_SEED);
    let record = record_by_hand(&fields_of(&certificate));
    let protected = protected_header(&sk);
    let tbs = cose::to_be_signed(&protected, AAD_CERTIFICATE, &record);
    let cose = sign1_by_hand(&sk, &protected, AAD_CERTIFICATE, &record);
    let text = payload::wrap(&cose);
    Example {
        certificate,
        record,
        protected,
        to_be_signed: tbs,
        cose,
        text,
        public_key: sk.public().to_bytes(),
    }
}

// ---- hand-built CBOR and COSE -------------------------------------------

/// The certificate map's entries, each value encoded on its own, in key order.
fn fields_of(c: &Certificate) -> Vec<(u64, Vec<u8>)> {
    let enc = |f: &dyn Fn(&mut Writer)| {
        let mut w = Writer::new();
        f(&mut w);
        w.into_bytes()
    };
    let day = |d: Date| {
        enc(&|w: &mut Writer| {
            w.int(i64::from(d.days()));
        })
    };
    let uint = |n: u64| {
        enc(&|w: &mut Writer| {
            w.uint(n);
        })
    };
    let text = |s: &str| {
        enc(&|w: &mut Writer| {
            w.text(s);
        })
    };
    let mut f = vec![
        (1, uint(u64::from(c.kind.code()))),
        (2, text(&c.name)),
        (3, uint(if c.sex == Sex::Male { 1 } else { 2 })),
        (4, text(&c.number)),
        (5, uint(u64::from(c.region))),
        (6, uint(c.cert_id)),
        (7, day(c.signed_on)),
        (8, day(c.details.first_issued)),
        (9, day(c.details.valid_from)),
        (10, day(c.details.valid_until)),
    ];
    if let Some(d) = c.details.review_due {
        f.push((11, day(d)));
    }
    if let Some(v) = c.details.category {
        f.push((12, uint(u64::from(v))));
    }
    if let Some(v) = c.details.item {
        f.push((13, uint(u64::from(v))));
    }
    if let Some(v) = &c.details.employer {
        f.push((14, text(v)));
    }
    if let Some(v) = c.details.role {
        f.push((15, uint(u64::from(v))));
    }
    if let Some(v) = c.details.industry {
        f.push((16, uint(u64::from(v))));
    }
    f
}

/// A map from hand-encoded entries, in the order given (duplicates kept).
fn record_by_hand(fields: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(fields.len());
    for (k, v) in fields {
        w.uint(*k).raw(v);
    }
    w.into_bytes()
}

fn protected_header(sk: &SecretKey) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(2).uint(1).int(-8).uint(4).bytes(&sk.public().kid().0);
    w.into_bytes()
}

/// `18([protected, {}, payload, signature])`, signed over the Sig_structure.
fn sign1_by_hand(sk: &SecretKey, protected: &[u8], aad: &[u8], payload: &[u8]) -> Vec<u8> {
    let signature = sk.sign(&cose::to_be_signed(protected, aad, payload));
    let mut w = Writer::new();
    w.tag(18)
        .array(4)
        .bytes(protected)
        .map(0)
        .bytes(payload)
        .bytes(&signature);
    w.into_bytes()
}

/// A signed payload whose record is the given entries.
fn signed_record(sk: &SecretKey, fields: &[(u64, Vec<u8>)]) -> String {
    let record = record_by_hand(fields);
    payload::wrap(&sign1_by_hand(
        sk,
        &protected_header(sk),
        AAD_CERTIFICATE,
        &record,
    ))
}

/// The QR text of a certificate signed by `sk` (through core's encoder, and
/// checked against the hand-built bytes).
fn signed(cert: &Certificate, sk: &SecretKey) -> String {
    let text = payload::encode(cert, sk).expect("fixture certificate is valid");
    assert_eq!(
        text,
        signed_record(sk, &fields_of(cert)),
        "hand-built payload differs from core's encoder"
    );
    text
}

// ---- trust and revocation lists -----------------------------------------

fn issuer_key(
    seed: [u8; 32],
    issuer: &str,
    region: u32,
    types: &[CertKind],
    sign: (Date, Date),
    status: KeyStatus,
) -> IssuerKey {
    IssuerKey {
        key: key(seed).public(),
        issuer: issuer.into(),
        region,
        types: types.to_vec(),
        sign_from: sign.0,
        sign_until: sign.1,
        status,
    }
}

const BOTH: &[CertKind] = &[CertKind::SpecialOperations, CertKind::SafetyManagement];
const SHANGHAI: &str = "上海市应急管理局";

fn shanghai() -> IssuerKey {
    issuer_key(
        SHANGHAI_SEED,
        SHANGHAI,
        310_000,
        BOTH,
        (date(2019, 1, 1), date(2027, 12, 31)),
        KeyStatus::Active,
    )
}

fn trust_keys_v2() -> Vec<IssuerKey> {
    vec![
        shanghai(),
        issuer_key(
            SHANGHAI_OLD_SEED,
            SHANGHAI,
            310_000,
            &[CertKind::SpecialOperations],
            (date(2016, 1, 1), date(2022, 12, 31)),
            KeyStatus::Retired,
        ),
        issuer_key(
            BEIJING_MGMT_SEED,
            "北京市应急管理局",
            110_000,
            &[CertKind::SafetyManagement],
            (date(2020, 1, 1), date(2027, 12, 31)),
            KeyStatus::Active,
        ),
        issuer_key(
            SHENZHEN_SEED,
            "深圳市应急管理局",
            440_300,
            BOTH,
            (date(2020, 1, 1), date(2027, 12, 31)),
            KeyStatus::Active,
        ),
        issuer_key(
            COMPROMISED_SEED,
            "广东省应急管理局",
            440_000,
            BOTH,
            (date(2020, 1, 1), date(2027, 12, 31)),
            KeyStatus::Revoked,
        ),
    ]
}

/// One key entry written by hand (so that a list can hold keys that
/// `IssuerKey` cannot: weak or non-canonical ones).
fn key_entry(w: &mut Writer, public: &[u8; 32], k: &IssuerKey) {
    w.map(8);
    w.uint(1)
        .bytes(&yanzheng_core::crypto::Kid::of(public).0)
        .uint(2)
        .bytes(public)
        .uint(3)
        .text(&k.issuer)
        .uint(4)
        .uint(u64::from(k.region))
        .uint(5)
        .array(k.types.len());
    for t in &k.types {
        w.uint(u64::from(t.code()));
    }
    let status = match k.status {
        KeyStatus::Active => 0,
        KeyStatus::Retired => 1,
        KeyStatus::Revoked => 2,
    };
    w.uint(6)
        .int(i64::from(k.sign_from.days()))
        .uint(7)
        .int(i64::from(k.sign_until.days()))
        .uint(8)
        .uint(status);
}

/// A trust list built by hand; entries are (public key bytes, permissions).
fn trust_by_hand(
    version: u64,
    issued: &str,
    expires: &str,
    entries: &[([u8; 32], IssuerKey)],
    root: &SecretKey,
) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(4)
        .uint(1)
        .uint(version)
        .uint(2)
        .uint(instant(issued).0)
        .uint(3)
        .uint(instant(expires).0)
        .uint(4)
        .array(entries.len());
    for (public, k) in entries {
        key_entry(&mut w, public, k);
    }
    sign1_by_hand(
        root,
        &protected_header(root),
        AAD_TRUST_LIST,
        &w.into_bytes(),
    )
}

fn trust(
    version: u64,
    issued: &str,
    expires: &str,
    keys: &[IssuerKey],
    root: &SecretKey,
) -> Vec<u8> {
    let bytes = TrustList::sign(version, instant(issued), instant(expires), keys, root);
    let entries: Vec<_> = keys.iter().map(|k| (k.key.to_bytes(), k.clone())).collect();
    assert_eq!(
        bytes,
        trust_by_hand(version, issued, expires, &entries, root),
        "hand-built trust list differs from core's"
    );
    bytes
}

/// An order-8 point: a "weak" key that would verify forged signatures.
pub const WEAK_KEY: [u8; 32] = [
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
    0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
];

/// A non-canonical encoding (y + p, with y ≥ 2 small) of a point that is
/// neither weak nor off the curve, so only the canonical-encoding check can
/// refuse it. Found by trying y = 2, 3, ... in order: deterministic.
pub fn non_canonical_key() -> [u8; 32] {
    for y in 2u8..=18 {
        let mut canonical = [0u8; 32];
        canonical[0] = y;
        // p + y, little-endian: p = 2^255 - 19 = ed ff .. ff 7f.
        let mut alias = [0xFFu8; 32];
        alias[0] = 0xED + y;
        alias[31] = 0x7F;
        if PublicKey::from_bytes(&canonical).is_ok()
            && PublicKey::from_bytes(&alias) == Err(KeyError::NonCanonical)
        {
            return alias;
        }
    }
    panic!("no non-canonical alias of a full-order point with small y");
}

// ---- vector files -------------------------------------------------------

/// One vector file under construction.
struct VecFile {
    text: String,
}

impl VecFile {
    fn new(expect: &str) -> Self {
        VecFile {
            text: format!("expect: {expect}\n"),
        }
    }

    fn kv(mut self, key: &str, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        assert!(!value.contains('\n'), "{key} holds a newline");
        self.text.push_str(key);
        self.text.push_str(": ");
        self.text.push_str(value);
        self.text.push('\n');
        self
    }

    fn facts(self, facts: Value) -> Self {
        let text = serde_json::to_string(&facts).expect("JSON");
        self.kv("facts", text)
    }
}

fn kid_hex(seed: [u8; 32]) -> String {
    key(seed).public().kid().to_hex()
}

/// The trust and revocation list files.
fn lists() -> Files {
    let root = key(ROOT_SEED);
    let sh = key(SHANGHAI_SEED);
    let mut out = Files::new();
    let keys_v2 = trust_keys_v2();
    let keys_v1 = keys_v2[..2].to_vec();
    out.insert(
        TRUST_V1.into(),
        trust(1, TRUST_V1_ISSUED, TRUST_V1_EXPIRES, &keys_v1, &root),
    );
    out.insert(
        TRUST_V2.into(),
        trust(2, TRUST_V2_ISSUED, TRUST_V2_EXPIRES, &keys_v2, &root),
    );
    // Same version 2, different content (Shenzhen's key dropped).
    let mut keys_conflict = keys_v2.clone();
    keys_conflict.remove(3);
    out.insert(
        TRUST_V2_CONFLICT.into(),
        trust(2, TRUST_V2_ISSUED, TRUST_V2_EXPIRES, &keys_conflict, &root),
    );
    out.insert(
        TRUST_WRONG_ROOT.into(),
        trust(
            3,
            TRUST_V2_ISSUED,
            TRUST_V2_EXPIRES,
            &keys_v2,
            &key(OTHER_ROOT_SEED),
        ),
    );
    let mut entries: Vec<_> = keys_v2
        .iter()
        .map(|k| (k.key.to_bytes(), k.clone()))
        .collect();
    let with_extra = |extra: [u8; 32]| {
        let mut e = entries.clone();
        e.push((extra, shanghai()));
        trust_by_hand(3, TRUST_V2_ISSUED, TRUST_V2_EXPIRES, &e, &root)
    };
    out.insert(TRUST_WEAK_KEY.into(), with_extra(WEAK_KEY));
    out.insert(
        TRUST_NON_CANONICAL_KEY.into(),
        with_extra(non_canonical_key()),
    );
    entries.push((sh.public().to_bytes(), shanghai()));
    out.insert(
        TRUST_DUPLICATE_KID.into(),
        trust_by_hand(3, TRUST_V2_ISSUED, TRUST_V2_EXPIRES, &entries, &root),
    );
    let sh_kid = sh.public().kid();
    let sz_kid = key(SHENZHEN_SEED).public().kid();
    let max_age = REVOCATIONS_MAX_AGE;
    let v1_set = RevokedSet::from_pairs([(sh_kid, cert_id(310_101, 777))]);
    let v2_pairs: [(Kid, u64); 3] = [
        (sh_kid, REVOKED_CERT_ID),
        (sh_kid, cert_id(310_101, 777)),
        (sz_kid, cert_id(440_300, 42)),
    ];
    let v2_set = RevokedSet::from_pairs(v2_pairs);
    let v3_set = RevokedSet::from_pairs(
        v2_pairs
            .into_iter()
            .chain([(sh_kid, REVOKED_IN_V3_CERT_ID)]),
    );
    let full = |version, issued: &str, set: &RevokedSet| {
        RevocationList::sign(version, instant(issued), max_age, set, &root)
    };
    let v1 = full(1, REVOCATIONS_V1_ISSUED, &v1_set);
    let v2 = full(2, REVOCATIONS_V2_ISSUED, &v2_set);
    let loaded = |bytes: &[u8]| RevocationList::load(bytes, &root.public()).expect("fixture loads");
    out.insert(
        DELTA_V1_V2.into(),
        RevocationDelta::sign(
            &loaded(&v1),
            &v2_set,
            2,
            instant(REVOCATIONS_V2_ISSUED),
            max_age,
            &root,
        ),
    );
    out.insert(
        DELTA_V2_V3.into(),
        RevocationDelta::sign(
            &loaded(&v2),
            &v3_set,
            3,
            instant(REVOCATIONS_V3_ISSUED),
            max_age,
            &root,
        ),
    );
    out.insert(
        DELTA_WRONG_ROOT.into(),
        RevocationDelta::sign(
            &loaded(&v2),
            &v3_set,
            3,
            instant(REVOCATIONS_V3_ISSUED),
            max_age,
            &key(OTHER_ROOT_SEED),
        ),
    );
    // Another version 2: Shenzhen's revocation missing.
    out.insert(
        REVOCATIONS_V2_CONFLICT.into(),
        full(
            2,
            REVOCATIONS_V2_ISSUED,
            &RevokedSet::from_pairs(v2_pairs.into_iter().take(2)),
        ),
    );
    out.insert(
        REVOCATIONS_V3.into(),
        full(3, REVOCATIONS_V3_ISSUED, &v3_set),
    );
    out.insert(REVOCATIONS_V1.into(), v1);
    out.insert(REVOCATIONS_V2.into(), v2);
    out
}

/// What the vector builders share.
struct Ctx {
    root_hex: String,
    sh: SecretKey,
    /// valid.vec's certificate (the worked example).
    base: Certificate,
    /// Its CBOR record.
    original: Vec<u8>,
    /// Its QR text.
    valid_text: String,
}

impl Ctx {
    fn new() -> Ctx {
        let sh = key(SHANGHAI_SEED);
        let base = example_certificate();
        let valid_text = signed(&base, &sh);
        assert_eq!(valid_text, example().text);
        Ctx {
            root_hex: to_hex(&key(ROOT_SEED).public().to_bytes()),
            original: record_by_hand(&fields_of(&base)),
            sh,
            base,
            valid_text,
        }
    }

    /// A verdict case with both current lists at the usual instant.
    fn at(&self, expect: &str, text: &str) -> VecFile {
        self.at_instant(expect, AT, text)
    }

    /// The same at another instant.
    fn at_instant(&self, expect: &str, at: &str, text: &str) -> VecFile {
        VecFile::new(expect)
            .kv("at", at)
            .kv("root", &self.root_hex)
            .kv("trust", TRUST_V2)
            .kv("revocations", REVOCATIONS_V2)
            .kv("payload", text)
    }

    /// A list case.
    fn list(&self, expect: &str, kind: &str) -> VecFile {
        VecFile::new(expect)
            .kv("list", kind)
            .kv("root", &self.root_hex)
    }
}

/// Genuine certificates: the date and revocation rules.
fn genuine_vectors(ctx: &Ctx) -> Vec<(&'static str, VecFile)> {
    let Ctx {
        root_hex,
        sh,
        base,
        valid_text,
        ..
    } = ctx;
    let mut vectors = Vec::new();
    // The masking rule, written out: all but the last four characters hidden.
    let masked = format!("{}{}", "*".repeat(14), &base.number[14..]);
    vectors.push((
        "valid",
        ctx.at("valid", valid_text)
            .facts(json!({
                "verdict": "valid",
                "signature_verified": true,
                "clock_raised": false,
                "today": "2025-06-01",
                "issuer": {"kid": kid_hex(SHANGHAI_SEED), "name": SHANGHAI, "region": 310_000},
                "fields": {
                    "type": "special_operations",
                    "name": "李建国",
                    "number_masked": masked,
                    "valid_until": "2030-02-28",
                    "review_due": "2027-03-01",
                    "item": {"code": 102, "zh": "低压电工作业"},
                },
                "trust_list": {"version": 2},
                "revocations": {"version": 2},
            }))
            .kv(
                "note",
                "A special-operations certificate (3-character name, one item) signed by \
                 Shanghai's current key, checked with current lists: valid.",
            ),
    ));

    let mgmt = Certificate {
        kind: CertKind::SafetyManagement,
        name: "周伟".into(),
        sex: Sex::Male,
        number: id_number("31011519850611203"),
        region: 310_115,
        cert_id: cert_id(310_115, 8),
        signed_on: date(2023, 9, 1),
        details: yanzheng_core::Details {
            first_issued: date(2020, 9, 1),
            valid_from: date(2023, 9, 1),
            valid_until: date(2026, 8, 31),
            review_due: None,
            category: None,
            item: None,
            employer: Some("上海浦江建设工程有限公司".into()),
            role: Some(2),
            industry: Some(7),
        },
    };
    vectors.push((
        "valid-safety-management",
        ctx.at("valid", &signed(&mgmt, sh))
            .facts(json!({
                "verdict": "valid",
                "fields": {
                    "type": "safety_management",
                    "employer": "上海浦江建设工程有限公司",
                    "role": {"code": 2},
                    "industry": {"code": 7},
                },
            }))
            .kv(
                "note",
                "A safety-management certificate (employer, role, industry; no review \
                 date): valid.",
            ),
    ));

    let expired = Certificate {
        name: "王秀英".into(),
        sex: Sex::Female,
        number: id_number("31010419780915242"),
        region: 310_104,
        cert_id: cert_id(310_104, 2),
        signed_on: date(2019, 4, 16),
        details: yanzheng_core::Details {
            first_issued: date(2013, 4, 16),
            valid_from: date(2019, 4, 16),
            valid_until: date(2025, 4, 15),
            review_due: Some(date(2022, 4, 16)),
            category: Some(2),
            item: Some(201),
            ..example_certificate().details.clone()
        },
        ..example_certificate()
    };
    let expired_text = signed(&expired, sh);
    vectors.push((
        "expired",
        ctx.at("expired", &expired_text)
            .facts(json!({
                "verdict": "expired",
                "valid_until": "2025-04-15",
                "signature_verified": true,
            }))
            .kv(
                "note",
                "Valid until 2025-04-15, checked on 2025-06-01: expired.",
            ),
    ));
    vectors.push((
        "clock-set-back",
        VecFile::new("expired")
            .kv("at", AT_SET_BACK)
            .kv("root", root_hex)
            .kv("trust", TRUST_V2)
            .kv("payload", &expired_text)
            .facts(json!({
                "verdict": "expired",
                "valid_until": "2025-04-15",
                "clock_raised": true,
                "checked_at": instant(TRUST_V2_ISSUED).0,
                "today": "2025-05-01",
            }))
            .kv(
                "note",
                "The device clock says 2025-01-01, before the trust list's issue time \
                 (2025-05-01T00:00:00Z). \"Now\" is raised to that floor, so a card that \
                 expired on 2025-04-15 cannot be revived by setting the clock back.",
            ),
    ));

    let overdue = Certificate {
        name: "陈志强".into(),
        number: id_number("31010719820120301"),
        region: 310_107,
        cert_id: cert_id(310_107, 3),
        signed_on: date(2022, 5, 10),
        details: yanzheng_core::Details {
            first_issued: date(2016, 5, 10),
            valid_from: date(2022, 5, 10),
            valid_until: date(2028, 5, 9),
            review_due: Some(date(2025, 5, 10)),
            category: Some(3),
            item: Some(301),
            ..example_certificate().details.clone()
        },
        ..example_certificate()
    };
    vectors.push((
        "review-overdue",
        ctx.at("review_overdue", &signed(&overdue, sh))
            .facts(json!({"verdict": "review_overdue", "due": "2025-05-10"}))
            .kv(
                "note",
                "Review (复审) was due 2025-05-10, checked on 2025-06-01: overdue.",
            ),
    ));

    let soon = Certificate {
        name: "刘芳".into(),
        sex: Sex::Female,
        number: id_number("31011019950228402"),
        region: 310_110,
        cert_id: cert_id(310_110, 4),
        signed_on: date(2022, 6, 20),
        details: yanzheng_core::Details {
            first_issued: date(2019, 6, 20),
            valid_from: date(2022, 6, 20),
            valid_until: date(2028, 6, 19),
            review_due: Some(date(2025, 6, 20)),
            category: Some(4),
            item: Some(401),
            ..example_certificate().details.clone()
        },
        ..example_certificate()
    };
    vectors.push((
        "review-due-soon",
        ctx.at("review_due_soon", &signed(&soon, sh))
            .facts(json!({"verdict": "review_due_soon", "due": "2025-06-20", "days_left": 19}))
            .kv(
                "note",
                "Review due 2025-06-20, 19 days after the check (within 30): valid, \
                 review due soon.",
            ),
    ));

    let revoked = Certificate {
        name: "赵磊".into(),
        number: id_number("31010119880808505"),
        cert_id: REVOKED_CERT_ID,
        ..example_certificate()
    };
    vectors.push((
        "revoked",
        ctx.at("revoked", &signed(&revoked, sh))
            .facts(json!({"verdict": "revoked", "cert_id": REVOKED_CERT_ID, "list_version": 2}))
            .kv(
                "note",
                "Genuine and in date, but its cert_id is on revocation list v2.",
            ),
    ));
    vectors.push((
        "revoked-stale-list",
        ctx.at_instant("revoked", AT_REVOCATIONS_STALE, &signed(&revoked, sh))
            .facts(json!({"verdict": "revoked", "list_version": 2}))
            .kv(
                "note",
                "revoked.vec's card checked after revocation list v2 went stale: a \
                 revocation on any list held still counts.",
            ),
    ));

    let revoked_later = Certificate {
        name: "钱芳".into(),
        sex: Sex::Female,
        number: id_number("31010119920214402"),
        cert_id: REVOKED_IN_V3_CERT_ID,
        ..example_certificate()
    };
    vectors.push((
        "revoked-by-delta",
        ctx.at("revoked", &signed(&revoked_later, sh))
            .kv("deltas", DELTA_V2_V3)
            .facts(json!({
                "verdict": "revoked",
                "cert_id": REVOKED_IN_V3_CERT_ID,
                "list_version": 3,
                "revocations": {"version": 3, "issued_at": instant(REVOCATIONS_V3_ISSUED).0},
            }))
            .kv(
                "note",
                "Revoked in version 3 only: the device holds version 2 and applies the \
                 delta to version 3.",
            ),
    ));
    let other_key_same_id = Certificate {
        name: "郑强".into(),
        number: id_number("44030419861010301"),
        region: 440_300,
        cert_id: REVOKED_CERT_ID,
        ..example_certificate()
    };
    vectors.push((
        "revoked-id-other-key",
        ctx.at("valid", &signed(&other_key_same_id, &key(SHENZHEN_SEED)))
            .facts(json!({"verdict": "valid", "issuer": {"kid": kid_hex(SHENZHEN_SEED)}}))
            .kv(
                "note",
                "Shenzhen's key signed a certificate whose cert_id equals one Shanghai's key \
                 revoked: ids are per issuer key, so this one is valid.",
            ),
    ));
    let revocations_v2_issued = instant(REVOCATIONS_V2_ISSUED).0;
    vectors.push((
        "revocations-stale",
        ctx.at_instant("revocation_unknown", AT_REVOCATIONS_STALE, valid_text)
            .kv("status", "valid")
            .facts(json!({
                "verdict": "revocation_unknown",
                "issued_at": revocations_v2_issued,
                "fresh_until": revocations_v2_issued + REVOCATIONS_MAX_AGE,
                "status": {"verdict": "valid"},
                "signature_verified": true,
            }))
            .kv(
                "note",
                "valid.vec's card on 2025-06-10 with revocation list v2 (issued 2025-05-20, \
                 max_age 14 days): signature and dates are fine, but the revocation data is \
                 stale, so the card is not valid until the list is updated.",
            ),
    ));
    vectors.push((
        "revocations-missing",
        VecFile::new("revocation_unknown")
            .kv("at", AT)
            .kv("root", root_hex)
            .kv("trust", TRUST_V2)
            .kv("payload", valid_text)
            .kv("status", "valid")
            .facts(json!({
                "verdict": "revocation_unknown",
                "issued_at": null,
                "fresh_until": null,
                "revocations": null,
                "signature_verified": true,
            }))
            .kv(
                "note",
                "valid.vec's card on a device that holds a trust list but no revocation \
                 list: never valid.",
            ),
    ));

    let not_yet = Certificate {
        name: "孙丽".into(),
        sex: Sex::Female,
        number: id_number("31011219990401606"),
        region: 310_112,
        cert_id: cert_id(310_112, 6),
        signed_on: date(2025, 5, 20),
        details: yanzheng_core::Details {
            first_issued: date(2025, 7, 1),
            valid_from: date(2025, 7, 1),
            valid_until: date(2031, 6, 30),
            review_due: Some(date(2028, 7, 1)),
            category: Some(5),
            item: Some(504),
            ..example_certificate().details.clone()
        },
        ..example_certificate()
    };
    vectors.push((
        "not-yet-valid",
        ctx.at("not_yet_valid", &signed(&not_yet, sh))
            .facts(json!({"verdict": "not_yet_valid", "valid_from": "2025-07-01"}))
            .kv("note", "Valid from 2025-07-01, checked on 2025-06-01."),
    ));
    vectors
}

/// Signatures, keys and trust data.
fn key_vectors(ctx: &Ctx) -> Vec<(&'static str, VecFile)> {
    let Ctx {
        root_hex,
        sh,
        base,
        valid_text,
        original,
        ..
    } = ctx;
    let mut vectors = Vec::new();
    let mut tampered_fields = fields_of(base);
    let sig = sh.sign(&cose::to_be_signed(
        &protected_header(sh),
        AAD_CERTIFICATE,
        original,
    ));
    // Extend validity to 2035-02-28, keep the signature.
    tampered_fields[9].1 = {
        let mut w = Writer::new();
        w.int(i64::from(date(2035, 2, 28).days()));
        w.into_bytes()
    };
    let tampered_record = record_by_hand(&tampered_fields);
    let mut w = Writer::new();
    w.tag(18)
        .array(4)
        .bytes(&protected_header(sh))
        .map(0)
        .bytes(&tampered_record)
        .bytes(&sig);
    vectors.push((
        "tampered",
        ctx.at("signature_invalid", &payload::wrap(&w.into_bytes()))
            .facts(json!({
                "verdict": "signature_invalid",
                "kid": kid_hex(SHANGHAI_SEED),
                "signature_verified": false,
                "fields": {"valid_until": "2035-02-28"},
            }))
            .kv(
                "note",
                "valid.vec's record with valid_until changed from 2030-02-28 to 2035-02-28, \
                 original signature kept: the structure reads, the signature fails.",
            ),
    ));

    let other_type = payload::wrap(&sign1_by_hand(
        sh,
        &protected_header(sh),
        AAD_TRUST_LIST,
        original,
    ));
    vectors.push((
        "wrong-document-type",
        ctx.at("signature_invalid", &other_type)
            .facts(json!({"verdict": "signature_invalid", "kid": kid_hex(SHANGHAI_SEED)}))
            .kv(
                "note",
                "valid.vec's record signed by the right key but with the trust list's external \
                 AAD: a signature over one document type never verifies as another.",
            ),
    ));

    vectors.push((
        "wrong-key",
        ctx.at("unknown_key", &signed(base, &key(UNLISTED_SEED)))
            .facts(json!({
                "verdict": "unknown_key",
                "kid": kid_hex(UNLISTED_SEED),
                "no_trust_data": false,
                "signature_verified": false,
            }))
            .kv(
                "note",
                "Signed by a key that the trust list does not name (try the online lookup).",
            ),
    ));

    vectors.push((
        "no-trust-data",
        VecFile::new("unknown_key")
            .kv("at", AT)
            .kv("payload", valid_text)
            .facts(json!({
                "verdict": "unknown_key",
                "kid": kid_hex(SHANGHAI_SEED),
                "no_trust_data": true,
                "trust_list": null,
            }))
            .kv(
                "note",
                "valid.vec's payload on a device that holds no trust list: unknown key with \
                 no_trust_data, never signature_invalid.",
            ),
    ));

    let key_not_allowed = |name: &'static str, seed: [u8; 32], reason: &str, note: &str| {
        (
            name,
            ctx.at("key_not_allowed", &signed(base, &key(seed)))
                .facts(json!({
                    "verdict": "key_not_allowed",
                    "kid": kid_hex(seed),
                    "reason": reason,
                    "signature_verified": true,
                }))
                .kv("note", note),
        )
    };
    vectors.push(key_not_allowed(
        "key-outside-signing-period",
        SHANGHAI_OLD_SEED,
        "outside_period",
        "Signed on 2024-03-01 by Shanghai's retired key, whose signing period ended 2022-12-31.",
    ));
    vectors.push(key_not_allowed(
        "key-wrong-type",
        BEIJING_MGMT_SEED,
        "wrong_type",
        "A special-operations certificate signed by a key allowed only \
         safety-management certificates.",
    ));
    vectors.push(key_not_allowed(
        "key-wrong-region",
        SHENZHEN_SEED,
        "wrong_region",
        "A certificate of region 310101 (Shanghai) signed by Shenzhen's key (region 440300).",
    ));
    vectors.push(key_not_allowed(
        "key-revoked",
        COMPROMISED_SEED,
        "key_revoked",
        "Signed by a key that the trust list marks revoked (compromised): nothing it \
         signed is trusted.",
    ));
    let too_long = Certificate {
        details: yanzheng_core::Details {
            valid_until: date(2030, 3, 2),
            ..base.details.clone()
        },
        ..base.clone()
    };
    vectors.push((
        "validity-too-long",
        ctx.at("key_not_allowed", &signed_record(sh, &fields_of(&too_long)))
            .facts(json!({"verdict": "key_not_allowed", "reason": "validity_too_long"}))
            .kv(
                "note",
                "Shanghai's current key signs a special-operations certificate valid from \
                 2024-03-01 to 2030-03-02: one day more than the 6 years the type allows (the \
                 anniversary, 2030-03-01, is the last day allowed). The reader checks this \
                 after the signature, so an altered card still reads signature_invalid.",
            ),
    ));
    let minted = Certificate {
        name: "冯涛".into(),
        number: id_number("31010419890909707"),
        cert_id: cert_id(310_104, 11),
        signed_on: date(2022, 12, 30),
        details: yanzheng_core::Details {
            first_issued: date(2025, 1, 1),
            valid_from: date(2025, 1, 1),
            valid_until: date(2030, 12, 31),
            review_due: Some(date(2028, 1, 1)),
            ..base.details.clone()
        },
        ..base.clone()
    };
    vectors.push((
        "key-retired-minting",
        ctx.at("key_not_allowed", &signed(&minted, &key(SHANGHAI_OLD_SEED)))
            .facts(json!({
                "verdict": "key_not_allowed",
                "kid": kid_hex(SHANGHAI_OLD_SEED),
                "reason": "valid_beyond_key_period",
            }))
            .kv(
                "note",
                "Shanghai's retired key (signing until 2022-12-31) signs a card dated \
                 2022-12-30 but valid 2025-01-01 to 2030-12-31: a card signed on the key's \
                 last day could last at most until 2028-12-31 (6 years), so this is a \
                 retired key minting cards.",
            ),
    ));
    let future = Certificate {
        name: "蒋红".into(),
        sex: Sex::Female,
        number: id_number("31011019930303808"),
        cert_id: cert_id(310_110, 12),
        signed_on: date(2025, 6, 5),
        ..base.clone()
    };
    vectors.push((
        "signed-in-future",
        ctx.at("key_not_allowed", &signed(&future, sh))
            .facts(json!({"verdict": "key_not_allowed", "reason": "signed_in_future"}))
            .kv(
                "note",
                "Signed by Shanghai's current key with signed_on 2025-06-05, checked on \
                 2025-06-01: a signing date after the check is refused.",
            ),
    ));

    let retired_ok = Certificate {
        name: "吴静".into(),
        sex: Sex::Female,
        number: id_number("31010519870512708"),
        region: 310_105,
        cert_id: cert_id(310_105, 7),
        signed_on: date(2022, 6, 1),
        details: yanzheng_core::Details {
            first_issued: date(2019, 6, 1),
            valid_from: date(2022, 6, 1),
            valid_until: date(2028, 5, 31),
            review_due: Some(date(2025, 12, 1)),
            category: Some(2),
            item: Some(202),
            ..example_certificate().details.clone()
        },
        ..example_certificate()
    };
    vectors.push((
        "retired-key-within-period",
        ctx.at("valid", &signed(&retired_ok, &key(SHANGHAI_OLD_SEED)))
            .facts(json!({"verdict": "valid", "issuer": {"kid": kid_hex(SHANGHAI_OLD_SEED)}}))
            .kv(
                "note",
                "Signed on 2022-06-01 by Shanghai's now-retired key, inside its signing period: \
                 retiring a key does not invalidate what it signed.",
            ),
    ));

    vectors.push((
        "trust-outdated",
        VecFile::new("trust_outdated")
            .kv("at", AT_AFTER_TRUST_EXPIRY)
            .kv("root", root_hex)
            .kv("trust", TRUST_V2)
            .kv("payload", valid_text)
            .kv("status", "revocation_unknown")
            .facts(json!({
                "verdict": "trust_outdated",
                "expired_at": instant(TRUST_V2_EXPIRES).0,
                "status": {"verdict": "revocation_unknown", "status": {"verdict": "valid"}},
                "signature_verified": true,
            }))
            .kv(
                "note",
                "Trust list v2 expired 2025-08-01; checked 2025-09-01 with no revocation list. \
                 The signature and dates are fine, the revocation status is unknown (status), \
                 and the verdict says the trust data is outdated.",
            ),
    ));
    vectors
}

/// Text that is not ours, and payloads that cannot be read.
fn foreign_and_malformed_vectors(ctx: &Ctx) -> Vec<(&'static str, VecFile)> {
    let Ctx {
        sh,
        base,
        valid_text,
        original,
        ..
    } = ctx;
    let mut vectors = Vec::new();
    vectors.push((
        "url",
        ctx.at(
            "not_a_certificate",
            &format!("https://zhengshu-chaxun.example/cx?zh={}", base.number),
        )
        .facts(json!({
            "verdict": "not_a_certificate",
            "kind": "link",
            "host": "zhengshu-chaxun.example",
        }))
        .kv(
            "note",
            "A QR code holding a web link (a sign of a fake): the host is reported.",
        ),
    ));
    vectors.push((
        "plain-text",
        ctx.at(
            "not_a_certificate",
            &format!("姓名：李建国 证号：{} 特种作业操作证", base.number),
        )
        .facts(json!({"verdict": "not_a_certificate", "kind": "text"}))
        .kv(
            "note",
            "A QR code holding plain text that imitates a certificate.",
        ),
    ));

    let unreadable = |name: &'static str, text: &str, reason: &str, error: &str, note: &str| {
        (
            name,
            ctx.at("unreadable", text)
                .kv("error", error)
                .facts(
                    json!({"verdict": "unreadable", "reason": reason, "signature_verified": false}),
                )
                .kv("note", note),
        )
    };
    let body = &valid_text[payload::PREFIX.len()..];
    vectors.push(unreadable(
        "unsupported-version",
        &format!("YZ2:{body}"),
        "unsupported_version",
        "unsupported_version",
        "valid.vec's payload with the prefix YZ2: (a version this verifier does not know).",
    ));
    let mut bad_char = valid_text.clone().into_bytes();
    bad_char[payload::PREFIX.len() + 9] = b'a';
    vectors.push(unreadable(
        "base45-bad-character",
        &String::from_utf8(bad_char).expect("ASCII"),
        "base45",
        "base45/bad_character",
        "valid.vec's payload with one character replaced by a lowercase `a` (not Base45).",
    ));
    vectors.push(unreadable(
        "base45-overflow",
        &format!("{}GGW{}", payload::PREFIX, &body[3..]),
        "base45",
        "base45/overflow",
        "valid.vec's payload whose first Base45 group is `GGW` = 65536, more than two bytes hold.",
    ));
    let mut trailing = example().cose;
    trailing.push(0x00);
    vectors.push(unreadable(
        "trailing-bytes",
        &payload::wrap(&trailing),
        "cose",
        "cose/cbor/trailing_bytes",
        "valid.vec's COSE_Sign1 followed by one extra byte 0x00.",
    ));
    let mut f = fields_of(base);
    f[0].1 = vec![0x18, 0x01]; // type 1 in two bytes instead of one
    vectors.push(unreadable(
        "non-canonical-integer",
        &signed_record(sh, &f),
        "record",
        "record/cbor/non_canonical",
        "The record's type (key 1) written as 0x18 0x01 instead of 0x01; properly signed.",
    ));
    let mut f = fields_of(base);
    let name = f[1].clone();
    f.insert(2, name);
    vectors.push(unreadable(
        "duplicate-map-key",
        &signed_record(sh, &f),
        "record",
        "record/cbor/key_order",
        "The record holds key 2 (name) twice; properly signed.",
    ));
    let mut f = fields_of(base);
    f[1].1 = {
        // The name as an indefinite-length text string: 0x7f, two chunks, 0xff.
        let mut w = Writer::new();
        w.raw(&[0x7f]).text("李").text("建国").raw(&[0xff]);
        w.into_bytes()
    };
    vectors.push(unreadable(
        "indefinite-length",
        &signed_record(sh, &f),
        "record",
        "record/cbor/indefinite_length",
        "The record's name as an indefinite-length text string; properly signed.",
    ));
    let mut f = fields_of(base);
    f.push((17, vec![0x00]));
    vectors.push(unreadable(
        "unknown-field",
        &signed_record(sh, &f),
        "record",
        "record/field/unknown_field/17",
        "The record carries key 17, which version 1 does not define (every field is critical); \
         properly signed.",
    ));
    let crit = {
        // {1: -8, 2 (crit): [-70000], 4: kid, -70000: 0}
        let mut w = Writer::new();
        w.map(4)
            .uint(1)
            .int(-8)
            .uint(2)
            .array(1)
            .int(-70_000)
            .uint(4)
            .bytes(&sh.public().kid().0)
            .int(-70_000)
            .uint(0);
        w.into_bytes()
    };
    vectors.push(unreadable(
        "crit-header",
        &payload::wrap(&sign1_by_hand(sh, &crit, AAD_CERTIFICATE, original)),
        "cose",
        "cose/unknown_header/2",
        "A protected header with `crit` (label 2) naming a private label: we understand no \
         extension, so it is refused; properly signed.",
    ));
    let big = sign1_by_hand(sh, &protected_header(sh), AAD_CERTIFICATE, &[0x41; 2900]);
    let big_text = payload::wrap(&big);
    assert!(big_text.len() > payload::MAX_TEXT_LEN);
    vectors.push(unreadable(
        "oversized",
        &big_text,
        "too_long",
        "too_long",
        &format!(
            "A signed payload of {} characters: more than the 4296 a QR code can hold.",
            big_text.len()
        ),
    ));
    vectors
}

/// Loading and updating lists.
fn list_vectors(ctx: &Ctx) -> Vec<(&'static str, VecFile)> {
    let refused = |name: &'static str, file: &str, reason: &str, note: &str| {
        (
            name,
            ctx.list("list_refused", "trust")
                .kv("offered", file)
                .kv("reason", reason)
                .kv("note", note),
        )
    };
    vec![
        (
            "trust-update",
            ctx.list("update_accepted", "trust")
                .kv("current", TRUST_V1)
                .kv("offered", TRUST_V2)
                .kv("note", "Trust list v2 offered while v1 is held: taken."),
        ),
        (
            "trust-same-again",
            ctx.list("update_unchanged", "trust")
                .kv("current", TRUST_V2)
                .kv("offered", TRUST_V2)
                .kv(
                    "note",
                    "The held list offered again, byte for byte: nothing changes.",
                ),
        ),
        (
            "trust-rollback",
            ctx.list("rollback_refused", "trust")
                .kv("current", TRUST_V2)
                .kv("offered", TRUST_V1)
                .kv(
                    "note",
                    "Trust list v1 (validly signed, but older) offered after v2: a rollback, \
                     refused.",
                ),
        ),
        (
            "trust-same-version-conflict",
            ctx.list("conflict_refused", "trust")
                .kv("current", TRUST_V2)
                .kv("offered", TRUST_V2_CONFLICT)
                .kv(
                    "note",
                    "A different list that also claims version 2 (validly signed): keep the \
                     held one.",
                ),
        ),
        refused(
            "trust-wrong-root",
            TRUST_WRONG_ROOT,
            "wrong_root",
            "A trust list (version 3) signed by a key other than the deployment's root.",
        ),
        refused(
            "trust-weak-key",
            TRUST_WEAK_KEY,
            "key/weak",
            "A root-signed trust list whose last entry is a small-order (weak) public key.",
        ),
        refused(
            "trust-non-canonical-key",
            TRUST_NON_CANONICAL_KEY,
            "key/non_canonical",
            "A root-signed trust list whose last entry encodes a valid full-order point \
             non-canonically (y + p): one key would have two key ids.",
        ),
        refused(
            "trust-duplicate-kid",
            TRUST_DUPLICATE_KID,
            "duplicate_kid",
            "A root-signed trust list that names Shanghai's current key twice.",
        ),
        (
            "revocations-rollback",
            ctx.list("rollback_refused", "revocations")
                .kv("current", REVOCATIONS_V2)
                .kv("offered", REVOCATIONS_V1)
                .kv(
                    "note",
                    "Revocation list v1 offered after v2: refused, or a revoked card would \
                     pass again.",
                ),
        ),
        (
            "revocations-delta-update",
            ctx.list("update_accepted", "revocation_delta")
                .kv("current", REVOCATIONS_V2)
                .kv("offered", DELTA_V2_V3)
                .kv(
                    "note",
                    "The delta from version 2 to 3 offered to version 2: applied.",
                ),
        ),
        (
            "revocations-delta-chain-start",
            ctx.list("update_accepted", "revocation_delta")
                .kv("current", REVOCATIONS_V1)
                .kv("offered", DELTA_V1_V2)
                .kv(
                    "note",
                    "The delta from version 1 to 2 (it adds two ids under two keys, one of \
                     them new) offered to version 1: applied.",
                ),
        ),
        (
            "revocations-delta-same-again",
            ctx.list("update_unchanged", "revocation_delta")
                .kv("current", REVOCATIONS_V3)
                .kv("offered", DELTA_V2_V3)
                .kv(
                    "note",
                    "The delta to version 3 offered to the full version 3 (the same set): \
                     nothing changes.",
                ),
        ),
        (
            "revocations-delta-gap",
            ctx.list("delta_gap_refused", "revocation_delta")
                .kv("current", REVOCATIONS_V1)
                .kv("offered", DELTA_V2_V3)
                .kv(
                    "note",
                    "The delta from version 2 offered to version 1: refused; fetch the \
                     delta from 1 or the full list.",
                ),
        ),
        (
            "revocations-delta-rollback",
            ctx.list("rollback_refused", "revocation_delta")
                .kv("current", REVOCATIONS_V3)
                .kv("offered", DELTA_V1_V2)
                .kv(
                    "note",
                    "The delta to version 2 offered to version 3: a rollback, refused.",
                ),
        ),
        (
            "revocations-delta-conflict",
            ctx.list("conflict_refused", "revocation_delta")
                .kv("current", REVOCATIONS_V2_CONFLICT)
                .kv("offered", DELTA_V2_V3)
                .kv(
                    "note",
                    "The delta from version 2 offered to a different set that also claims \
                     version 2 (its base digest does not match): refused.",
                ),
        ),
        (
            "revocations-delta-wrong-root",
            ctx.list("list_refused", "revocation_delta")
                .kv("current", REVOCATIONS_V2)
                .kv("offered", DELTA_WRONG_ROOT)
                .kv("reason", "wrong_root")
                .kv(
                    "note",
                    "A delta signed by a key other than the deployment's root.",
                ),
        ),
    ]
}

/// The registry's lookup record for `c`, as `POST /v1/lookup` sends it
/// (masked); `revoked_by` is the revocation list (version, issued) that
/// revokes it.
fn registry_record(c: &Certificate, revoked_by: Option<(u64, &str)>) -> Value {
    let named = |table, code: Option<u16>| {
        code.map(|v| serde_json::to_value(NamedCode::of(table, v)).expect("JSON"))
    };
    let mut r = json!({
        "type": "special_operations",
        "cert_id": c.cert_id,
        "name_masked": mask_name(&c.name),
        "number_masked": mask_number(&c.number),
        "first_issued": c.details.first_issued.to_string(),
        "valid_from": c.details.valid_from.to_string(),
        "valid_until": c.details.valid_until.to_string(),
        "issuer": SHANGHAI,
        "region": 310_000,
        "revoked": revoked_by.is_some(),
        "updated_at": "2025-05-02T03:04:05Z",
    });
    let obj = r.as_object_mut().expect("object");
    if let Some(v) = named(catalog::CATEGORIES, c.details.category) {
        obj.insert("category".into(), v);
    }
    if let Some(v) = named(catalog::ITEMS, c.details.item) {
        obj.insert("item".into(), v);
    }
    if let Some(d) = c.details.review_due {
        obj.insert("review_due".into(), json!(d.to_string()));
    }
    if let Some((version, issued_at)) = revoked_by {
        obj.insert(
            "revoked_by".into(),
            json!({"version": version, "issued_at": instant(issued_at).0}),
        );
    }
    r
}

fn found(records: &[Value]) -> String {
    serde_json::to_string(&json!({"status": "found", "certificates": records})).expect("JSON")
}

/// A scan together with the registry's answer: one outcome
/// (`yanzheng_core::online::combine`).
fn registry_vectors(ctx: &Ctx) -> Vec<(&'static str, VecFile)> {
    let Ctx {
        root_hex,
        base,
        valid_text,
        ..
    } = ctx;
    let same = registry_record(base, None);
    let mut vectors = Vec::new();
    vectors.push((
        "registry-agrees",
        ctx.at("valid", valid_text)
            .kv("registry", found(std::slice::from_ref(&same)))
            .facts(json!({"verdict": "valid", "basis": "both", "agreement": {"status": "same"}}))
            .kv(
                "note",
                "valid.vec's card, and the registry holds it with the same facts: valid,                  resting on both. Agreement is a detail of the outcome, not a verdict.",
            ),
    ));
    let mut altered = base.clone();
    altered.details.item = Some(101);
    altered.details.valid_until = date(2027, 2, 28);
    vectors.push((
        "registry-contradicts",
        ctx.at("registry_contradicts", valid_text)
            .kv("registry", found(&[registry_record(&altered, None)]))
            .facts(json!({
                "verdict": "registry_contradicts",
                "fields": ["item", "valid_until"],
                "agreement": {"status": "differs"},
            }))
            .kv(
                "note",
                "A genuine signature, but the registry holds this certificate id with another                  item and an earlier end: the contradiction is the headline.",
            ),
    ));
    vectors.push((
        "registry-revoked",
        ctx.at("revoked", valid_text)
            .kv(
                "registry",
                found(&[registry_record(base, Some((3, "2025-05-31T00:00:00Z")))]),
            )
            .facts(json!({
                "verdict": "revoked",
                "list_version": 3,
                "basis": "registry",
                "agreement": {"status": "same"},
            }))
            .kv(
                "note",
                "Valid offline with revocation list v2; the registry already has v3, which                  revokes it: revoked wins.",
            ),
    ));
    vectors.push((
        "registry-not-found",
        ctx.at("not_in_registry", valid_text)
            .kv("registry", r#"{"status":"not_found"}"#)
            .facts(json!({
                "verdict": "not_in_registry",
                "other_certificates": false,
                "agreement": {"status": "not_found"},
            }))
            .kv(
                "note",
                "Nothing under the number and name: a caution (new certificates take days),                  never valid once asked.",
            ),
    ));
    let mut other = base.clone();
    other.cert_id = cert_id(310_101, 99);
    vectors.push((
        "registry-not-listed",
        ctx.at("not_in_registry", valid_text)
            .kv("registry", found(&[registry_record(&other, None)]))
            .facts(json!({"other_certificates": true, "agreement": {"status": "not_listed"}}))
            .kv(
                "note",
                "Another certificate under the number and name, not this one.",
            ),
    ));
    vectors.push((
        "registry-settles-missing-revocations",
        VecFile::new("valid")
            .kv("at", AT)
            .kv("root", root_hex)
            .kv("trust", TRUST_V2)
            .kv("payload", valid_text)
            .kv("registry", found(std::slice::from_ref(&same)))
            .facts(json!({"verdict": "valid", "basis": "both"}))
            .kv(
                "note",
                "revocations-missing.vec's device asks the registry, which holds the card                  unrevoked with the same facts: the revocation question is settled, valid.",
            ),
    ));
    let outsider = key(OTHER_ROOT_SEED);
    let unknown_text = signed(base, &outsider);
    vectors.push((
        "registry-unknown-key-expired",
        ctx.at_instant("expired", "2030-03-01T02:00:00Z", &unknown_text)
            .kv("registry", found(std::slice::from_ref(&same)))
            .facts(json!({"verdict": "expired", "valid_until": "2030-02-28", "basis": "registry"}))
            .kv(
                "note",
                "A key this device does not know; the registry holds the same facts, whose                  dates have run out: the record's verdict, resting on the registry.",
            ),
    ));
    let other_document = payload::wrap(&sign1_by_hand(
        &ctx.sh,
        &protected_header(&ctx.sh),
        AAD_TRUST_LIST,
        &ctx.original,
    ));
    vectors.push((
        "registry-signature-invalid",
        ctx.at("signature_invalid", &other_document)
            .kv("registry", found(std::slice::from_ref(&same)))
            .facts(json!({"verdict": "signature_invalid", "basis": "offline"}))
            .kv(
                "note",
                "wrong-document-type.vec's payload (the right facts, a signature that fails)                  and a registry that holds the same facts: agreement never rescues a bad                  signature; the forgery stays the headline.",
            ),
    ));
    vectors
}

/// Every file of `tests/vectors/`, by relative path.
pub fn files() -> Files {
    let ctx = Ctx::new();
    let mut out = lists();
    let vectors = [
        genuine_vectors(&ctx),
        key_vectors(&ctx),
        foreign_and_malformed_vectors(&ctx),
        list_vectors(&ctx),
        registry_vectors(&ctx),
    ];
    for (name, file) in vectors.into_iter().flatten() {
        let path = format!("{name}.vec");
        assert!(
            out.insert(path, file.text.into_bytes()).is_none(),
            "{name} twice"
        );
    }
    out.insert("README.md".into(), README.as_bytes().to_vec());
    out
}

/// `tests/vectors/README.md`.
pub const README: &str = "\
# Test vectors

Generated by `cargo run -p yanzheng-tests --bin gen-vectors` (tests/generate.rs:
fixed seeds and instants, no clock, no randomness); `cargo test -p yanzheng-tests`
fails if these files differ from a fresh run. Do not edit by hand.

One case per `NAME.vec` file: UTF-8 lines `key: value` (the value is everything
after the first `: `, never trimmed), first line `expect: OUTCOME`. Binary
root-signed lists are in `lists/`. The format is specified in tests/vector.rs and
docs/format.md (section \"Test vectors\").

Verdict cases (`expect` is a verdict code): `at` (UTC, `YYYY-MM-DDTHH:MM:SSZ`),
`payload`, `root` (hex public key, needed to load lists), optional `trust` and
`revocations` (files), `deltas` (revocation delta files applied in order),
`status` (inner code of `trust_outdated` or `revocation_unknown`), `error` (parse
error path of `unreadable`), `registry` (the registry's lookup answer as JSON: the
case then checks the one outcome of the scan and that answer, `combine` in
core's `online` module), `facts` (a JSON object that must be a subset of the
report's JSON, or of the outcome's with `registry`), `note`.

List cases (`expect` is `list_refused`, `update_accepted`, `update_unchanged`,
`rollback_refused`, `conflict_refused`, `delta_gap_refused` or `delta_refused`):
`list` (`trust`, `revocations` or `revocation_delta`), `root`, optional `current`
(required for deltas), `offered`, `reason` (with `list_refused`), `note`.
";
