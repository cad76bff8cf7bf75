//! External Ed25519 vectors through core's signature check: every case of
//! every file in `shared/vectors/ed25519/` (see its README) goes through
//! `PublicKey::from_bytes` (which refuses wrong lengths, points off the curve,
//! non-canonical encodings and small-order "weak" keys) and then
//! `PublicKey::verify` (ed25519-dalek's `verify_strict`).
//!
//! What `verify_strict` rejects, and so what we assert:
//! - `A` (the public key) of small order: refused at load (`KeyError::Weak`),
//!   before any signature is looked at;
//! - `A` encoded non-canonically: refused at load (`KeyError::NonCanonical`);
//! - `R` of small order: rejected by `verify_strict`;
//! - `R` encoded non-canonically: rejected, since `verify_strict` compares the
//!   recomputed `R` with the signature's bytes, which only match canonically;
//! - `S ≥ L` (non-canonical scalar): rejected when the signature is parsed;
//! - a nonzero small-order residue (`R - ([S]B - [k]A)` of small order): the
//!   equation is cofactorless (`[S]B = R + [k]A`), so signatures that only the
//!   cofactored equation (`[8][S]B = [8]R + [8][k]A`) accepts are rejected.
//!
//! Mixed-order `A` or `R` (a small-order component plus a prime-order one)
//! are *not* rejected by themselves: when the components cancel, the
//! cofactorless equation holds and the signature is accepted.
//!
//! The shared folder is `$YANZHENG_SHARED`, else the first `shared/` with a
//! `vectors/ed25519` directory found walking up from this crate, else
//! `/work/shared`. If none has the vectors, every test here fails.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use serde_json::Value;
use yanzheng_core::crypto::{from_hex, KeyError};
use yanzheng_core::{PublicKey, SecretKey};

/// What core's check made of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Accepted,
    /// `PublicKey::from_bytes` refused the key.
    KeyRefused(KeyError),
    /// The key loaded; `verify_strict` rejected the signature.
    SignatureRejected,
}

impl Outcome {
    fn accepted(self) -> bool {
        self == Outcome::Accepted
    }
}

fn check(pk: &[u8], msg: &[u8], sig: &[u8]) -> Outcome {
    match PublicKey::from_bytes(pk) {
        Err(e) => Outcome::KeyRefused(e),
        Ok(key) => match key.verify(msg, sig) {
            Ok(()) => Outcome::Accepted,
            Err(_) => Outcome::SignatureRejected,
        },
    }
}

fn vectors_dir() -> PathBuf {
    const SUB: &str = "vectors/ed25519";
    if let Some(shared) = std::env::var_os("YANZHENG_SHARED") {
        let dir = PathBuf::from(shared).join(SUB);
        assert!(
            dir.is_dir(),
            "YANZHENG_SHARED is set but {} does not exist",
            dir.display()
        );
        return dir;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for ancestor in manifest.ancestors() {
        let dir = ancestor.join("shared").join(SUB);
        if dir.is_dir() {
            return dir;
        }
    }
    let dir = PathBuf::from("/work/shared").join(SUB);
    assert!(
        dir.is_dir(),
        "no shared/{SUB} found: set YANZHENG_SHARED, or put shared/ beside the clone \
         (looked above {} and in /work/shared)",
        manifest.display()
    );
    dir
}

fn read(name: &str) -> String {
    let path = vectors_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(name: &str) -> Value {
    serde_json::from_str(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn hex(v: &Value, what: &str) -> Vec<u8> {
    v.as_str()
        .and_then(from_hex)
        .unwrap_or_else(|| panic!("{what}: not a hex string: {v}"))
}

#[derive(Default)]
struct Counts {
    accepted: usize,
    rejected: usize,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        if o.accepted() {
            self.accepted += 1;
        } else {
            self.rejected += 1;
        }
    }

    fn report(&self, file: &str) {
        println!(
            "{file}: {} cases, {} accepted, {} rejected",
            self.accepted + self.rejected,
            self.accepted,
            self.rejected
        );
        assert!(self.accepted + self.rejected > 0, "{file}: no cases");
    }
}

/// Wycheproof: every "valid" case accepted, every "invalid" case rejected.
/// `key_refused_valid` lists valid cases whose key our load check refuses
/// (none in these files: every Wycheproof key is a canonical full-order point).
fn wycheproof(file: &str, key_refused_valid: &[(u64, &str)]) {
    let doc = json(file);
    let groups = doc["testGroups"].as_array().expect("testGroups");
    let mut counts = Counts::default();
    let mut refused_valid = Vec::new();
    for group in groups {
        let pk = &group["publicKey"]["pk"];
        let pk = if pk.is_null() {
            &group["key"]["pk"]
        } else {
            pk
        };
        let pk = hex(pk, "pk");
        for t in group["tests"].as_array().expect("tests") {
            let id = t["tcId"].as_u64().expect("tcId");
            let got = check(&pk, &hex(&t["msg"], "msg"), &hex(&t["sig"], "sig"));
            counts.add(got);
            match t["result"].as_str() {
                Some("valid") => match got {
                    Outcome::Accepted => {}
                    Outcome::KeyRefused(_) => refused_valid.push(id),
                    Outcome::SignatureRejected => {
                        panic!("{file} tcId {id}: valid case rejected ({})", t["comment"])
                    }
                },
                Some("invalid") => assert!(
                    !got.accepted(),
                    "{file} tcId {id}: invalid case accepted ({})",
                    t["comment"]
                ),
                other => panic!("{file} tcId {id}: unexpected result {other:?}"),
            }
        }
    }
    let expected: Vec<u64> = key_refused_valid.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        refused_valid, expected,
        "{file}: valid cases whose key our load check refuses"
    );
    counts.report(file);
}

#[test]
fn wycheproof_c2sp_v1() {
    wycheproof("wycheproof_c2sp_v1_ed25519_test.json", &[]);
}

#[test]
fn wycheproof_google_legacy() {
    wycheproof("wycheproof_google_legacy_eddsa_test.json", &[]);
}

/// CCTV flags that make core reject a vector, and where.
fn cctv_expected(flags: &[&str]) -> Outcome {
    let has = |f: &str| flags.contains(&f);
    if has("non_canonical_A") {
        // Checked before weakness, so a non-canonical small-order A says so.
        Outcome::KeyRefused(KeyError::NonCanonical)
    } else if has("low_order_A") {
        Outcome::KeyRefused(KeyError::Weak)
    } else if has("low_order_R") || has("non_canonical_R") || has("low_order_residue") {
        Outcome::SignatureRejected
    } else {
        // Remaining flags: none, low_order_component_A/R (mixed order whose
        // torsion parts cancel). `reencoded_k` only occurs together with a
        // non-canonical A or R, so it is already decided above.
        assert!(
            !has("reencoded_k"),
            "reencoded_k without a non-canonical point"
        );
        Outcome::Accepted
    }
}

#[test]
fn cctv() {
    let file = "cctv_ed25519vectors.json";
    let doc = json(file);
    let mut counts = Counts::default();
    let mut accepted_flag_sets = std::collections::BTreeSet::new();
    for v in doc.as_array().expect("array of vectors") {
        let n = v["number"].as_u64().expect("number");
        let flags: Vec<&str> = v["flags"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let msg = v["msg"].as_str().expect("msg").as_bytes();
        let got = check(&hex(&v["key"], "key"), msg, &hex(&v["sig"], "sig"));
        let want = cctv_expected(&flags);
        assert_eq!(got, want, "{file} vector {n} flags {flags:?}");
        if got.accepted() {
            accepted_flag_sets.insert(flags.join("+"));
        }
        counts.add(got);
    }
    println!("{file}: accepted flag sets: {accepted_flag_sets:?}");
    counts.report(file);
}

/// The speccheck cases (Chalkias, Garillot, Nikolaenko: "Taming the many
/// EdDSAs"), with what core does to each and why. Only case 3 is accepted,
/// which is the "Dalek strict" row of speccheck's results table; plain
/// `verify` would also accept 0, 1, 2 and 11.
const SPECCHECK: [(Outcome, &str); 12] = [
    (
        Outcome::KeyRefused(KeyError::Weak),
        "S = 0, small-order A and R: weak key",
    ),
    (
        Outcome::KeyRefused(KeyError::Weak),
        "small-order A, mixed-order R: weak key",
    ),
    (
        Outcome::SignatureRejected,
        "mixed-order A, small-order R: verify_strict rejects small-order R",
    ),
    (
        Outcome::Accepted,
        "mixed-order A and R whose torsion parts cancel: both equations hold",
    ),
    (
        Outcome::SignatureRejected,
        "mixed-order A and R, only the cofactored equation holds: verify_strict is cofactorless",
    ),
    (
        Outcome::SignatureRejected,
        "mixed-order A, full-order R: only a cofactored check that does not pre-reduce 8k \
         passes; the cofactorless equation fails",
    ),
    (Outcome::SignatureRejected, "S > L: non-canonical scalar"),
    (Outcome::SignatureRejected, "S >> L: non-canonical scalar"),
    (
        Outcome::SignatureRejected,
        "non-canonical, small-order R (k hashed over the reduced encoding)",
    ),
    (
        Outcome::SignatureRejected,
        "non-canonical, small-order R (k hashed over the given encoding)",
    ),
    (
        Outcome::KeyRefused(KeyError::NonCanonical),
        "non-canonical, small-order A (k hashed over the reduced encoding)",
    ),
    (
        Outcome::KeyRefused(KeyError::NonCanonical),
        "non-canonical, small-order A (k hashed over the given encoding)",
    ),
];

#[test]
fn speccheck() {
    let file = "speccheck_cases.json";
    let doc = json(file);
    let cases = doc.as_array().expect("array of cases");
    assert_eq!(cases.len(), SPECCHECK.len(), "{file}: case count");
    // The .txt copy holds the same cases.
    let txt = read("speccheck_cases.txt");
    let mut txt_cases = txt
        .lines()
        .filter_map(|l| l.split_once('='))
        .collect::<Vec<_>>()
        .chunks(3)
        .map(|c| c.iter().map(|(_, v)| v.to_string()).collect::<Vec<_>>())
        .collect::<Vec<_>>()
        .into_iter();
    let mut counts = Counts::default();
    for (i, (case, (want, why))) in cases.iter().zip(SPECCHECK).enumerate() {
        let msg = hex(&case["message"], "message");
        let pk = hex(&case["pub_key"], "pub_key");
        let sig = hex(&case["signature"], "signature");
        let from_txt = txt_cases.next().expect("txt has every case");
        assert_eq!(
            from_txt,
            [&case["message"], &case["pub_key"], &case["signature"]]
                .map(|v| v.as_str().unwrap_or_default().to_string()),
            "{file}: case {i} differs from speccheck_cases.txt"
        );
        let got = check(&pk, &msg, &sig);
        assert_eq!(got, want, "{file} case {i}: {why}");
        counts.add(got);
    }
    counts.report(file);
}

/// A case from a known-answer source: the key derives from the seed, signing
/// reproduces the signature byte for byte, and core accepts it.
fn known_answer(file: &str, what: &str, seed: &[u8], pk: &[u8], msg: &[u8], sig: &[u8]) {
    let seed: [u8; 32] = seed
        .try_into()
        .unwrap_or_else(|_| panic!("{file} {what}: seed is not 32 bytes"));
    let sk = SecretKey::from_seed(&seed);
    assert_eq!(sk.public().to_bytes(), pk, "{file} {what}: public key");
    assert_eq!(sk.sign(msg).as_slice(), sig, "{file} {what}: re-signed");
    assert_eq!(check(pk, msg, sig), Outcome::Accepted, "{file} {what}");
}

#[test]
fn rfc8032() {
    let file = "rfc8032_ed25519.json";
    let doc = json(file);
    let mut counts = Counts::default();
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        known_answer(
            file,
            name,
            &hex(&case["secret_key"], "secret_key"),
            &hex(&case["public_key"], "public_key"),
            &hex(&case["message"], "message"),
            &hex(&case["signature"], "signature"),
        );
        counts.add(Outcome::Accepted);
    }
    counts.report(file);
}

#[test]
fn dalek_supercop() {
    let file = "dalek_TESTVECTORS_sign.input";
    let text = read(file);
    let mut counts = Counts::default();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        // sk||pk : pk : msg : sig||msg :
        let parts: Vec<&str> = line.split(':').collect();
        assert_eq!(parts.len(), 5, "{file} line {}: fields", i + 1);
        let h = |s: &str| from_hex(s).unwrap_or_else(|| panic!("{file} line {}: hex", i + 1));
        let (sk_pk, pk, msg, sig_msg) = (h(parts[0]), h(parts[1]), h(parts[2]), h(parts[3]));
        assert_eq!(&sk_pk[32..], pk.as_slice(), "{file} line {}: pk", i + 1);
        assert_eq!(&sig_msg[64..], msg.as_slice(), "{file} line {}: msg", i + 1);
        known_answer(
            file,
            &format!("line {}", i + 1),
            &sk_pk[..32],
            &pk,
            &msg,
            &sig_msg[..64],
        );
        counts.add(Outcome::Accepted);
    }
    counts.report(file);
}
