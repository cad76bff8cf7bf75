//! Wasm entry points for `bench-decode`: decode a luma buffer with the
//! yanzheng pipeline or with rqrr 0.11 as-is. Each returns the payloads
//! packed as (u32 little-endian length, bytes)*.

use wasm_bindgen::prelude::wasm_bindgen;

fn pack(payloads: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    for p in payloads {
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&p);
    }
    out
}

/// The yanzheng pipeline (`yanzheng_core::qr::decode_luma`).
#[wasm_bindgen]
pub fn decode(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    match yanzheng_core::qr::decode_luma(width, height, luma) {
        Ok(codes) => pack(codes.into_iter().map(|c| c.bytes)),
        Err(_) => Vec::new(),
    }
}

/// rqrr 0.11 as-is, the reference. It can panic, which aborts the instance
/// here: the runner then loads a fresh one.
#[wasm_bindgen]
pub fn decode_rqrr(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        luma.get(y * width + x).copied().unwrap_or(255)
    });
    pack(img.detect_grids().into_iter().filter_map(|g| {
        let mut bytes = Vec::new();
        g.decode_to(&mut bytes).ok().map(|_| bytes)
    }))
}
