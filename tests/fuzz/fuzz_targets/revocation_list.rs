//! Revocation lists, as trust_list does for trust lists. Must never panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yanzheng_core::{cose, RevocationList};

static WORLD: OnceLock<common::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let w = WORLD.get_or_init(common::world);
    let root = w.root.public();
    let _ = RevocationList::load(data, &root);
    let signed = cose::sign(&w.root, cose::AAD_REVOCATIONS, data);
    if let Ok(list) = RevocationList::load(&signed, &root) {
        let _ = RevocationList::accept_update(Some(&w.revocations), &list);
    }
});
