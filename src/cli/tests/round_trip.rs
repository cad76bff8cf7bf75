//! The issuer's whole path through the real binary: keys → trust list →
//! sign → QR image → verify, and what tampering and time do to the verdict.

mod support;

use support::*;
use yanzheng_core::{base45, payload, verify, PublicKey, RevocationList, TrustList};

#[test]
fn keys_trust_list_sign_qr_image_verify_says_valid() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_001);
    assert!(text.starts_with("YZ1:"), "{text}");
    ok(d, &["qr", &text, "--out", "card.png"]);
    ok(d, &["qr", &text, "--out", "card.svg"]);
    let svg = std::fs::read_to_string(d.join("card.svg")).expect("svg written");
    assert!(svg.contains("<svg"));
    let (v, c) = verdict_of(d, &["--image", "card.png"]);
    assert_eq!((v.as_str(), c), ("valid", 0));
    // The payload as an argument, and --root given explicitly, agree.
    let (v, c) = verdict_of(d, &["--root", "root.pub", &text]);
    assert_eq!((v.as_str(), c), ("valid", 0));
    // Human output: the words from core's messages, the number masked.
    let out = ok(
        d,
        &[
            "verify",
            "--trust-list",
            "trust-list",
            "--revocations",
            "revocations",
            "--image",
            "card.png",
        ],
    );
    assert!(out.contains("证书有效"), "{out}");
    assert!(out.contains("**************002X"), "{out}");
    assert!(
        !out.contains(support::ID_NUMBER),
        "number shown unmasked:\n{out}"
    );
    let out = ok(
        d,
        &[
            "verify",
            "--trust-list",
            "trust-list",
            "--revocations",
            "revocations",
            "--lang",
            "en",
            &text,
        ],
    );
    assert!(out.contains("Certificate valid"), "{out}");
}

#[test]
fn sign_out_writes_the_qr_image_too() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    std::fs::write(d.join("cert.json"), cert_json(3_100_000_000_000_002)).expect("write");
    let text = ok(
        d,
        &["sign", "--key", "issuer.key", "cert.json", "--out", "c.png"],
    );
    let (v, _) = verdict_of(d, &["--image", "c.png"]);
    assert_eq!(v, "valid");
    let out = ok(d, &["decode", "c.png"]);
    assert_eq!(out.trim(), text.trim());
}

/// Base45 digits, in value order.
const B45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Changes character `at` of `text` to a neighbouring Base45 digit.
fn bump(text: &str, at: usize) -> String {
    let mut b = text.as_bytes().to_vec();
    let v = B45
        .iter()
        .position(|c| *c == b[at])
        .expect("a Base45 digit");
    b[at] = if v > 0 { B45[v - 1] } else { B45[v + 1] };
    String::from_utf8(b).expect("ASCII")
}

/// A one-character change inside the signature. Base45 writes each pair of
/// bytes as three characters, least significant first, so lowering (or
/// raising, from 0) the first character of a pair changes the pair's value by
/// one: the text stays valid Base45 and only signature bytes change.
/// Other positions, for the record (see the next test, which tries them all):
/// the `YZ1:` prefix gives not_a_certificate or unreadable; the COSE framing
/// gives unreadable (strict parsing); the key id gives unknown_key; the
/// certificate record gives signature_invalid when it still parses and
/// unreadable when it does not; a pair pushed above 65535 gives unreadable.
#[test]
fn one_character_change_in_the_signature_says_signature_invalid() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_003);
    let body = text.strip_prefix(payload::PREFIX).expect("prefix");
    let cose_len = base45::decode(body).expect("Base45").len();
    // The signature is the last 64 bytes; take a byte pair well inside it.
    let pair = (cose_len - 64).div_ceil(2) + 4;
    assert!(2 * pair + 1 < cose_len);
    let changed = bump(&text, payload::PREFIX.len() + 3 * pair);
    assert_eq!(
        text.chars()
            .zip(changed.chars())
            .filter(|(a, b)| a != b)
            .count(),
        1
    );
    let (v, c) = verdict_of(d, &[&changed]);
    assert_eq!((v.as_str(), c), ("signature_invalid", 1));
    // Also through an image.
    ok(d, &["qr", &changed, "--out", "forged.png"]);
    let (v, c) = verdict_of(d, &["--image", "forged.png"]);
    assert_eq!((v.as_str(), c), ("signature_invalid", 1));
}

/// Every one-character change of a real payload, checked with core directly
/// (hundreds of cases): none is ever accepted, and every change inside the
/// signature says signature_invalid.
#[test]
fn no_one_character_change_is_ever_accepted() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_004);
    let root_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("root.pub")).expect("root.pub"))
            .expect("JSON");
    let root_bytes = yanzheng_core::crypto::from_hex(root_json["public"].as_str().expect("public"))
        .expect("hex");
    let root = PublicKey::from_bytes(&root_bytes).expect("root key");
    let trust = TrustList::load(&std::fs::read(d.join("trust-list")).expect("list"), &root)
        .expect("trust list");
    let revocations =
        RevocationList::load(&std::fs::read(d.join("revocations")).expect("list"), &root)
            .expect("revocation list");
    let now = trust.issued_at;
    assert_eq!(
        verify(&text, Some(&trust), Some(&revocations), now)
            .verdict
            .code(),
        "valid"
    );
    // Without revocation data the same card is never valid.
    assert_eq!(
        verify(&text, Some(&trust), None, now).verdict.code(),
        "revocation_unknown"
    );
    let body_len = text.len() - payload::PREFIX.len();
    let cose_len = base45::decode(&text[payload::PREFIX.len()..])
        .expect("Base45")
        .len();
    let signature_chars = (cose_len - 64).div_ceil(2) * 3..(cose_len / 2) * 3;
    let mut seen = std::collections::BTreeMap::new();
    for at in 0..text.len() {
        let changed = if at < payload::PREFIX.len() {
            let mut b = text.as_bytes().to_vec();
            b[at] = if b[at] == b'A' { b'B' } else { b'A' };
            String::from_utf8(b).expect("ASCII")
        } else {
            bump(&text, at)
        };
        let report = verify(&changed, Some(&trust), Some(&revocations), now);
        assert!(
            !report.verdict.is_acceptable(),
            "a change at {at} was accepted: {changed}"
        );
        let in_signature =
            at >= payload::PREFIX.len() && signature_chars.contains(&(at - payload::PREFIX.len()));
        if in_signature {
            assert_eq!(report.verdict.code(), "signature_invalid", "change at {at}");
        }
        *seen.entry(report.verdict.code()).or_insert(0) += 1;
    }
    assert!(seen.contains_key("signature_invalid"));
    assert!(body_len > 100);
    eprintln!("one-character changes by verdict: {seen:?}");
}

#[test]
fn at_after_the_review_date_says_review_overdue() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_005);
    let due = today().add_years(-1).add_years(3);
    let after = due.add_days(1).to_string();
    let (v, c) = verdict_of(d, &["--at", &after, &text]);
    assert_eq!((v.as_str(), c), ("review_overdue", 1));
    // Within 30 days before it: still acceptable, with a warning, given
    // revocation data from then (the world's list is long stale by then).
    let soon = due.add_days(-10).to_string();
    let (v, c) = verdict_of(d, &["--at", &soon, &text]);
    assert_eq!((v.as_str(), c), ("revocation_unknown", 1));
    let day_before = due.add_days(-11).to_string();
    ok(
        d,
        &[
            "revocations",
            "sign",
            "--root",
            "root.key",
            "--issued-at",
            &day_before,
            "--out",
            "revocations",
        ],
    );
    let (v, c) = verdict_of(d, &["--at", &soon, &text]);
    assert_eq!((v.as_str(), c), ("review_due_soon", 0));
    // An RFC 3339 instant works too (09:00 in Beijing on the day after).
    let rfc = format!("{after}T01:00:00Z");
    let (v, _) = verdict_of(d, &["--at", &rfc, &text]);
    assert_eq!(v, "review_overdue");
}

#[test]
fn revoked_certificate_says_revoked() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_006);
    std::fs::write(d.join("ids.txt"), "# revoked\n3100000000000006\n\n").expect("write");
    // Bare ids need the issuer key they belong to.
    let o = yz(
        d,
        &[
            "revocations",
            "sign",
            "--root",
            "root.key",
            "--ids-file",
            "ids.txt",
            "--out",
            "revocations",
        ],
    );
    expect_code(&o, 2);
    assert!(stderr(&o).contains("names no issuer key"), "{}", stderr(&o));
    let expires = today().add_days(30).to_string();
    ok(
        d,
        &[
            "revocations",
            "sign",
            "--root",
            "root.key",
            "--version",
            "2",
            "--expires",
            &expires,
            "--key",
            "issuer.pub",
            "--ids-file",
            "ids.txt",
            "3100000000000099",
            "--out",
            "revocations",
        ],
    );
    let shown = ok(d, &["revocations", "show", "revocations", "--json"]);
    let v: serde_json::Value = serde_json::from_str(shown.trim()).expect("JSON");
    assert_eq!(v["count"], 2);
    // Replacing version 1 wrote the delta from it.
    assert!(d.join("revocation-deltas/2").is_file());
    let (v, c) = verdict_of(d, &[&text]);
    assert_eq!((v.as_str(), c), ("revoked", 1));
}

#[test]
fn verify_exit_codes() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let text = sign_one(d, 3_100_000_000_000_007);
    let verify = |args: &[&str]| {
        let mut a = vec!["verify", "--trust-list", "trust-list"];
        a.extend_from_slice(args);
        yz(d, &a)
    };
    // Without a revocation list a valid card is "revocation status
    // unknown": exit 1. With it: valid, exit 0.
    let o = verify(&["--json", &text]);
    expect_code(&o, 1);
    assert!(stdout(&o).contains("\"verdict\":\"revocation_unknown\""));
    expect_code(&verify(&["--revocations", "revocations", &text]), 0);
    // A link is not a certificate: exit 1.
    expect_code(&verify(&["https://cx-mem-gov.cn.example/q?id=1"]), 1);
    // Garbage in our format: unreadable, exit 1.
    expect_code(&verify(&["YZ1:!!!"]), 1);
    // An image without a code: exit 1.
    ok(d, &["qr", "x", "--out", "x.png"]);
    let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
    blank.save(d.join("blank.png")).expect("save");
    let o = verify(&["--image", "blank.png"]);
    expect_code(&o, 1);
    assert!(stderr(&o).contains("no QR code"), "{}", stderr(&o));
    // Not an image at all: exit 2.
    expect_code(&verify(&["--image", "cert.json"]), 2);
    // Missing file: exit 2.
    expect_code(&verify(&["--image", "nope.png"]), 2);
    // Neither payload nor image: usage, exit 2.
    expect_code(&verify(&[]), 2);
    // The wrong root: exit 2, saying why.
    ok(d, &["keys", "new", "--kind", "root", "--out", "other.key"]);
    let o = verify(&["--root", "other.pub", &text]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("not by the root"), "{}", stderr(&o));
    assert!(stderr(&o).contains("hint"), "{}", stderr(&o));
    // A damaged trust list: exit 2.
    let mut bytes = std::fs::read(d.join("trust-list")).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(d.join("damaged"), &bytes).expect("write");
    let o = yz(d, &["verify", "--trust-list", "damaged", &text]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("root signature"), "{}", stderr(&o));
    // A revocation list given as the trust list: exit 2.
    expect_code(&yz(d, &["verify", "--trust-list", "revocations", &text]), 2);
    // No root.pub beside the list and no --root: exit 2.
    std::fs::create_dir(d.join("sub")).expect("mkdir");
    std::fs::copy(d.join("trust-list"), d.join("sub/trust-list")).expect("copy");
    let o = yz(d, &["verify", "--trust-list", "sub/trust-list", &text]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("--root"), "{}", stderr(&o));
    // A bad --at: exit 2.
    expect_code(&verify(&["--at", "yesterday", &text]), 2);
    // An expired trust list: trust_outdated, exit 1.
    ok(
        d,
        &[
            "trust-list",
            "sign",
            "--root",
            "root.key",
            "--issuer",
            "issuer.pub",
            "--version",
            "2",
            "--issued-at",
            "2020-01-01",
            "--expires",
            "2020-02-01",
            "--out",
            "old-list",
        ],
    );
    let o = yz(d, &["verify", "--trust-list", "old-list", "--json", &text]);
    expect_code(&o, 1);
    assert!(stdout(&o).contains("\"verdict\":\"trust_outdated\""));
    // A retired key's old signatures stay good; a revoked key's do not.
    let kid = issuer_kid(d);
    let expires = today().add_years(1).to_string();
    for (status, want) in [("retired", 0), ("revoked", 1)] {
        ok(
            d,
            &[
                "trust-list",
                "sign",
                "--root",
                "root.key",
                "--issuer",
                "issuer.pub",
                "--version",
                "3",
                "--expires",
                &expires,
                "--status",
                &format!("{kid}={status}"),
                "--out",
                "list-3",
            ],
        );
        expect_code(
            &yz(
                d,
                &[
                    "verify",
                    "--trust-list",
                    "list-3",
                    "--revocations",
                    "revocations",
                    &text,
                ],
            ),
            want,
        );
    }
}

fn issuer_kid(d: &std::path::Path) -> String {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("issuer.pub")).expect("issuer.pub"))
            .expect("JSON");
    v["kid"].as_str().expect("kid").to_string()
}

#[test]
fn decode_json_on_a_png() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    ok(d, &["qr", "YZ1:HELLO", "--out", "a.png"]);
    let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
    blank.save(d.join("blank.png")).expect("save");
    let o = yz(d, &["decode", "--json", "a.png"]);
    expect_code(&o, 0);
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).expect("JSON");
    assert_eq!(v["file"], "a.png");
    assert_eq!(v["codes"][0]["text"], "YZ1:HELLO");
    assert_eq!(v["codes"][0]["version"], 1);
    assert!(v["error"].is_null());
    // One line per image; an image without a code sets error and exit 1.
    let o = yz(d, &["decode", "--json", "a.png", "blank.png"]);
    expect_code(&o, 1);
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["codes"].as_array().map(Vec::len), Some(0));
    assert!(lines[1]["error"].is_string());
    // A JPEG and a WebP of the same code decode too.
    ok(d, &["qr", "YZ1:HELLO", "--out", "a.jpg"]);
    ok(d, &["qr", "YZ1:HELLO", "--out", "a.webp"]);
    let out = ok(d, &["decode", "a.jpg", "a.webp"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    // Not an image: exit 2 with the file named.
    std::fs::write(d.join("notes.png"), "hello").expect("write");
    let o = yz(d, &["decode", "--json", "notes.png"]);
    expect_code(&o, 2);
    assert!(stdout(&o).contains("notes.png"));
}

#[test]
fn keys_are_private_and_never_overwritten_by_accident() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    ok(d, &["keys", "new", "--kind", "root", "--out", "root.key"]);
    let first = std::fs::read(d.join("root.key")).expect("read");
    let o = yz(d, &["keys", "new", "--kind", "root", "--out", "root.key"]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read(d.join("root.key")).expect("read"), first);
    ok(
        d,
        &[
            "keys", "new", "--kind", "root", "--out", "root.key", "--force",
        ],
    );
    assert_ne!(std::fs::read(d.join("root.key")).expect("read"), first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(d.join("root.key"))
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let secret: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("root.key")).expect("read")).expect("JSON");
    let public: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("root.pub")).expect("read")).expect("JSON");
    assert_eq!(secret["kind"], "root");
    assert_eq!(secret["seed"].as_str().map(str::len), Some(64));
    assert!(public.get("seed").is_none());
    assert_eq!(secret["kid"], public["kid"]);
    // An issuer key needs its trust-list details.
    let o = yz(d, &["keys", "new", "--kind", "issuer", "--out", "i.key"]);
    expect_code(&o, 2);
    // A public file cannot sign.
    std::fs::write(d.join("cert.json"), cert_json(1)).expect("write");
    let o = yz(d, &["sign", "--key", "root.pub", "cert.json"]);
    expect_code(&o, 2);
}

#[test]
fn sign_refuses_what_the_key_may_not_sign_or_a_bad_checksum() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let mut cert: serde_json::Value = serde_json::from_str(&cert_json(7)).expect("JSON");
    cert["region"] = 330000.into();
    std::fs::write(d.join("zj.json"), cert.to_string()).expect("write");
    let o = yz(d, &["sign", "--key", "issuer.key", "zj.json"]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("region"), "{}", stderr(&o));
    // --ignore-key-limits signs it anyway, and the verifier says key_not_allowed.
    let text = ok(
        d,
        &[
            "sign",
            "--key",
            "issuer.key",
            "zj.json",
            "--ignore-key-limits",
        ],
    );
    let (v, _) = verdict_of(d, &[text.trim()]);
    assert_eq!(v, "key_not_allowed");
    let mut cert: serde_json::Value = serde_json::from_str(&cert_json(8)).expect("JSON");
    cert["number"] = "110105194912310021".into();
    std::fs::write(d.join("bad.json"), cert.to_string()).expect("write");
    let o = yz(d, &["sign", "--key", "issuer.key", "bad.json"]);
    expect_code(&o, 2);
    assert!(stderr(&o).contains("check digit"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("110105194912310021"), "number echoed");
    // Unknown fields and broken JSON are usage errors, not panics.
    std::fs::write(d.join("junk.json"), "{\"type\": 3").expect("write");
    expect_code(&yz(d, &["sign", "--key", "issuer.key", "junk.json"]), 2);
}

#[test]
fn trust_list_show_prints_the_keys() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    let out = ok(d, &["trust-list", "show", "trust-list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["keys"][0]["issuer"], "上海市应急管理局");
    assert_eq!(v["keys"][0]["status"], "active");
    assert_eq!(v["keys"][0]["kid"].as_str(), Some(issuer_kid(d).as_str()));
    let out = ok(
        d,
        &["trust-list", "show", "trust-list", "--root", "root.pub"],
    );
    assert!(out.contains("上海市应急管理局"), "{out}");
    // --status for a key that is not listed is refused.
    let o = yz(
        d,
        &[
            "trust-list",
            "sign",
            "--root",
            "root.key",
            "--issuer",
            "issuer.pub",
            "--version",
            "2",
            "--expires",
            "2099-01-01",
            "--status",
            "0000000000000000=revoked",
            "--out",
            "x",
        ],
    );
    expect_code(&o, 2);
    // An issuer key cannot sign a trust list.
    let o = yz(
        d,
        &[
            "trust-list",
            "sign",
            "--root",
            "issuer.key",
            "--issuer",
            "issuer.pub",
            "--version",
            "2",
            "--expires",
            "2099-01-01",
            "--out",
            "x",
        ],
    );
    expect_code(&o, 2);
}

#[test]
fn the_root_endorses_its_successor() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    world(d);
    ok(d, &["keys", "new", "--kind", "root", "--out", "next.key"]);
    let hex = ok(
        d,
        &[
            "keys",
            "endorse-root",
            "--root",
            "root.key",
            "--next",
            "next.pub",
        ],
    );
    let bytes = yanzheng_core::crypto::from_hex(hex.trim()).expect("hex");
    let load = |name: &str| {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(d.join(name)).expect("pub")).expect("JSON");
        let b =
            yanzheng_core::crypto::from_hex(v["public"].as_str().expect("public")).expect("hex");
        PublicKey::from_bytes(&b).expect("key")
    };
    assert_eq!(
        yanzheng_core::trust::verify_root_transition(&bytes, &load("root.pub")),
        Ok(load("next.pub"))
    );
    // Only the current root's secret key can say it.
    expect_code(
        &yz(
            d,
            &[
                "keys",
                "endorse-root",
                "--root",
                "next.pub",
                "--next",
                "next.pub",
            ],
        ),
        2,
    );
}
