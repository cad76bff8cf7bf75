//! Revocation lists and deltas, as trust_list does for trust lists: the
//! input as a signed file, then as the payload of a root-signed full list,
//! then as the payload of a root-signed delta applied to the world's list.
//! Must never panic, and never allocate beyond what the input can fill.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yanzheng_core::{cose, RevocationDelta, RevocationList};

static WORLD: OnceLock<common::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let w = WORLD.get_or_init(common::world);
    let root = w.root.public();
    let _ = RevocationList::load(data, &root);
    let signed = cose::sign(&w.root, cose::AAD_REVOCATIONS, data);
    if let Ok(list) = RevocationList::load(&signed, &root) {
        let _ = RevocationList::accept_update(Some(&w.revocations), &list);
    }
    let _ = RevocationDelta::load(data, &root);
    let delta = cose::sign(&w.root, cose::AAD_REVOCATION_DELTA, data);
    if let Ok(delta) = RevocationDelta::load(&delta, &root) {
        let _ = w.revocations.apply(&delta);
    }
});
