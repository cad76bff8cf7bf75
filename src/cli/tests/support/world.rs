//! A small world in a folder: a root and an issuer key, a trust list and
//! an empty revocation list, made with the binary itself; certificates
//! signed and verified the same way.

use std::path::Path;

use super::{code, ok, stderr, stdout, today, yz};

/// A valid-checksum ID number (the example from GB 11643).
pub const ID_NUMBER: &str = "11010519491231002X";

/// A world in `dir`: root.key/root.pub, issuer.key/issuer.pub (上海市应急管理局,
/// 310000, special operations), trust-list (version 1, five years, so that
/// `--at` can look past a review date without the list expiring) and an empty
/// revocations list.
pub fn world(dir: &Path) {
    ok(dir, &["keys", "new", "--kind", "root", "--out", "root.key"]);
    let from = today().add_years(-1).to_string();
    let until = today().add_years(3).to_string();
    ok(
        dir,
        &[
            "keys",
            "new",
            "--kind",
            "issuer",
            "--name",
            "上海市应急管理局",
            "--region",
            "310000",
            "--types",
            "special_operations",
            "--sign-from",
            &from,
            "--sign-until",
            &until,
            "--out",
            "issuer.key",
        ],
    );
    let expires = today().add_years(5).to_string();
    ok(
        dir,
        &[
            "trust-list",
            "sign",
            "--root",
            "root.key",
            "--issuer",
            "issuer.pub",
            "--version",
            "1",
            "--expires",
            &expires,
            "--out",
            "trust-list",
        ],
    );
    ok(
        dir,
        &[
            "revocations",
            "sign",
            "--root",
            "root.key",
            "--version",
            "1",
            "--max-age",
            "30d",
            "--out",
            "revocations",
        ],
    );
}

/// A special-operations certificate as JSON: valid since a year, review in
/// two years, no `signed_on` (the tool fills in today).
pub fn cert_json(cert_id: u64) -> String {
    let from = today().add_years(-1);
    serde_json::json!({
        "type": "special_operations",
        "name": "张建国",
        "sex": "male",
        "number": ID_NUMBER,
        "region": 310000,
        "cert_id": cert_id,
        "first_issued": from.add_years(-6),
        "valid_from": from,
        "valid_until": from.add_years(6).add_days(-1),
        "review_due": from.add_years(3),
        "category": 1,
        "item": 102,
    })
    .to_string()
}

/// Signs `cert_json(cert_id)` with issuer.key and returns the payload.
pub fn sign_one(dir: &Path, cert_id: u64) -> String {
    std::fs::write(dir.join("cert.json"), cert_json(cert_id)).expect("write cert.json");
    ok(dir, &["sign", "--key", "issuer.key", "cert.json"])
        .trim()
        .to_string()
}

/// `verify --json` of a payload against the world; returns (verdict, exit code).
pub fn verdict_of(dir: &Path, extra: &[&str]) -> (String, i32) {
    let mut args = vec![
        "verify",
        "--trust-list",
        "trust-list",
        "--revocations",
        "revocations",
        "--json",
    ];
    args.extend_from_slice(extra);
    let o = yz(dir, &args);
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(out.trim())
        .unwrap_or_else(|e| panic!("verify --json printed {out:?} ({e}); stderr {}", stderr(&o)));
    (
        v["verdict"].as_str().unwrap_or_default().to_string(),
        code(&o),
    )
}
