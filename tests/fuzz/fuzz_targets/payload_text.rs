//! Any text a QR code could hold, through the whole check: prefix, Base45,
//! COSE, CBOR, signature, rules. Must never panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static WORLD: OnceLock<common::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let w = WORLD.get_or_init(common::world);
    let text = String::from_utf8_lossy(data);
    let report = yanzheng_core::verify(&text, Some(&w.trust), Some(&w.revocations), w.now);
    // Arbitrary text is never a certificate this issuer signed.
    assert!(!report.signature_verified || text.starts_with("YZ1:"));
    let _ = yanzheng_core::verify(&text, None, None, w.now);
});
