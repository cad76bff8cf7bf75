//! `yanzheng demo`: every image verifies to the verdict it is named after.

mod support;

use support::*;

#[test]
fn every_demo_image_verifies_to_its_name() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    ok(d, &["demo", "--out", "demo"]);
    // --out may already exist: a second run replaces the demo files.
    ok(d, &["demo", "--out", "demo"]);
    let cases: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(d.join("demo/cases.json")).expect("cases.json"))
            .expect("JSON");
    let names: Vec<&str> = cases.iter().filter_map(|c| c["expect"].as_str()).collect();
    assert_eq!(
        names,
        [
            "valid",
            "review_due_soon",
            "review_overdue",
            "expired",
            "not_yet_valid",
            "revoked",
            "signature_invalid",
            "unknown_key",
            "key_not_allowed",
            "unknown_key",
            "not_a_certificate",
        ]
    );
    for case in &cases {
        let expect = case["expect"].as_str().expect("expect");
        let file = case["file"].as_str().expect("file");
        assert!(
            file == format!("{expect}.png") || file.starts_with(&format!("{expect}-")),
            "{file} is not named after {expect}"
        );
        let image = format!("demo/{file}");
        let o = yz(
            d,
            &[
                "verify",
                "--trust-list",
                "demo/trust-list",
                "--revocations",
                "demo/revocations",
                "--image",
                &image,
                "--json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(stdout(&o).trim())
            .unwrap_or_else(|e| panic!("{file}: {e}: {}", stderr(&o)));
        assert_eq!(v["verdict"], expect, "{file}");
        let acceptable = matches!(expect, "valid" | "review_due_soon");
        expect_code(&o, if acceptable { 0 } else { 1 });
        // The payload in cases.json is what the image holds.
        let decoded = ok(d, &["decode", &image]);
        assert_eq!(decoded.trim(), case["payload"].as_str().expect("payload"));
    }
}

#[test]
fn demo_writes_keys_lists_holders_and_widget_config() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    ok(d, &["demo", "--out", "demo"]);
    let config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("demo/config.json")).expect("config"))
            .expect("JSON");
    let root: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("demo/root.pub")).expect("root.pub"))
            .expect("JSON");
    assert_eq!(config["root_public_key"], root["public"]);
    assert_eq!(config["trust_list_url"], "trust-list");
    assert_eq!(config["revocations_url"], "revocations");
    assert_eq!(config["lookup_url"], "/v1/lookup");
    assert!(d.join("demo/root.key").is_file());

    // The trust list holds the two listed issuers, not the third.
    let shown = ok(d, &["trust-list", "show", "demo/trust-list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(shown.trim()).expect("JSON");
    assert_eq!(list["version"], 1);
    assert_eq!(list["keys"].as_array().map(Vec::len), Some(2));
    let shown = ok(d, &["revocations", "show", "demo/revocations", "--json"]);
    let revoked: serde_json::Value = serde_json::from_str(shown.trim()).expect("JSON");
    assert_eq!(revoked["count"], 1);

    // certificates.csv: the holders in the batch format, with valid numbers
    // and certificate ids of the form region × 10^10 + serial.
    let csv = std::fs::read_to_string(d.join("demo/certificates.csv")).expect("csv");
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    assert!(header.starts_with("type,name,sex,number,"), "{header}");
    let mut count = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        assert!(
            yanzheng_core::cert::id_number_checksum_ok(cells[3]),
            "{line}"
        );
        let region: u64 = cells[4].parse().expect("region");
        let id: u64 = cells[5].parse().expect("cert_id");
        assert_eq!(id / 10_000_000_000, region, "{line}");
        count += 1;
    }
    assert!(count >= 5);
    // ...which the Shanghai key batch-signs without a failure.
    let out = ok(
        d,
        &[
            "sign",
            "--key",
            "demo/issuer-shanghai.key",
            "demo/certificates.csv",
            "--out",
            "batch",
        ],
    );
    assert!(out.contains(&format!("{count} signed, 0 failed")), "{out}");
}
