//! Trust lists: arbitrary bytes as a list file, and arbitrary list bodies
//! correctly signed by the root (so the body parser sees hostile content),
//! then offered as an update. Must never panic.
#![no_main]

mod common;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yanzheng_core::{cose, TrustList};

static WORLD: OnceLock<common::World> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let w = WORLD.get_or_init(common::world);
    let root = w.root.public();
    let _ = TrustList::load(data, &root);
    let signed = cose::sign(&w.root, cose::AAD_TRUST_LIST, data);
    if let Ok(list) = TrustList::load(&signed, &root) {
        let _ = TrustList::accept_update(Some(&w.trust), &list);
        let _ = list.is_expired(w.now);
        let _ = yanzheng_core::verify("YZ1:", Some(&list), None, w.now);
    }
});
