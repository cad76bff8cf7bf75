//! docs/format.md states facts that code also states: its worked example must
//! be the generator's, byte for byte, and its catalogue tables must list every
//! code of `yanzheng_core::catalog`.

#![cfg(not(target_arch = "wasm32"))]

use yanzheng_core::catalog;
use yanzheng_tests::{generate, hex_lines};

fn format_md() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/format.md");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("\r\n", "\n")
}

#[test]
fn worked_example_matches_generator() {
    let doc = format_md();
    let ex = generate::example();
    for (what, needle) in [
        ("record", hex_lines(&ex.record, 16)),
        ("protected header", hex_lines(&ex.protected, 16)),
        ("Sig_structure", hex_lines(&ex.to_be_signed, 16)),
        ("COSE_Sign1", hex_lines(&ex.cose, 16)),
        ("public key", yanzheng_core::crypto::to_hex(&ex.public_key)),
        ("kid", ex.certificate_kid()),
        ("text", ex.text.clone()),
    ] {
        assert!(
            doc.contains(&needle),
            "docs/format.md lacks the example's {what} (print it with \
             `cargo run -p yanzheng-tests --bin gen-vectors -- --example`):\n{needle}"
        );
    }
}

#[test]
fn catalogue_tables_list_every_code() {
    let doc = format_md();
    let mut n = 0;
    for table in [
        catalog::CATEGORIES,
        catalog::ITEMS,
        catalog::INDUSTRIES,
        catalog::ROLES,
    ] {
        for e in table {
            let row = format!("| {} | {} | {} |", e.code, e.zh, e.en);
            assert!(doc.contains(&row), "docs/format.md lacks the row {row}");
            n += 1;
        }
    }
    println!("{n} catalogue rows present");
}
