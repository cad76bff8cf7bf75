//! Arbitrary certificate records *with a valid signature* from a listed
//! issuer: everything after the signature check (the record's CBOR, field
//! rules, dates, revocation) sees hostile content. Must never panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yanzheng_core::{cose, payload};

static WORLD: OnceLock<common::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let w = WORLD.get_or_init(common::world);
    let text = payload::wrap(&cose::sign(&w.issuer, cose::AAD_CERTIFICATE, data));
    let report = yanzheng_core::verify(&text, Some(&w.trust), Some(&w.revocations), w.now);
    // A verdict that lets someone work needs fields to show.
    if report.verdict.is_acceptable() {
        assert!(report.fields.is_some() && report.signature_verified);
    }
});
