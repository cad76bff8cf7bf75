//! The QR pipeline on arbitrary images: the first four bytes choose the
//! size (up to 320x320, so runs stay fast), the rest are the pixels,
//! repeated to fill the image; plus the raw buffer with a size that need
//! not match it. Nothing may escape as a panic.
//!
//! rqrr, which the pipeline calls as its last resort, asserts on some
//! degenerate geometry (`rqrr-0.11.0/src/geometry.rs`, a perspective that
//! maps outside `i32`). Natively the pipeline contains those panics with
//! `catch_unwind`, and `tests/tests/fuzz_regressions.rs` checks that it
//! does. libFuzzer's panic hook would abort on them even so; this target's
//! hook lets a panic raised inside rqrr's source unwind to that
//! `catch_unwind` and aborts on every other panic as before.
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use yanzheng_qr::decode_luma;

static HOOK: Once = Once::new();

fn contain_rqrr_panics() {
    HOOK.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_rqrr = info.location().is_some_and(|l| l.file().contains("/rqrr-"));
            if !in_rqrr {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    contain_rqrr_panics();
    if data.len() < 4 {
        return;
    }
    let w = usize::from(u16::from_le_bytes([data[0], data[1]]) % 321);
    let h = usize::from(u16::from_le_bytes([data[2], data[3]]) % 321);
    let pixels = &data[4..];
    let _ = decode_luma(w, h, pixels);
    if !pixels.is_empty() {
        let luma: Vec<u8> = pixels.iter().copied().cycle().take(w * h).collect();
        let _ = decode_luma(w, h, &luma);
    }
});
