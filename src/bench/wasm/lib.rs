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

/// The yanzheng pipeline (`yanzheng_qr::decode_luma`).
#[wasm_bindgen]
pub fn decode(width: usize, height: usize, luma: &[u8]) -> Vec<u8> {
    match yanzheng_qr::decode_luma(width, height, luma) {
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

thread_local! {
    static REVOCATIONS: std::cell::RefCell<Option<yanzheng_core::RevocationList>> =
        const { std::cell::RefCell::new(None) };
}

/// Loads a signed revocation list (signature, decode, digest) and keeps it
/// for [`revocations_check`]; returns the bytes its set takes in memory, or
/// 0 if it did not load.
#[wasm_bindgen]
pub fn revocations_load(list: &[u8], root: &[u8]) -> u32 {
    let Ok(root) = yanzheng_core::PublicKey::from_bytes(root) else {
        return 0;
    };
    match yanzheng_core::RevocationList::load(list, &root) {
        Ok(l) => {
            let bytes = l.set().heap_bytes() as u32;
            REVOCATIONS.with(|r| *r.borrow_mut() = Some(l));
            bytes
        }
        Err(_) => 0,
    }
}

/// Checks queries packed as (8-byte kid, u64 little-endian id)*; returns
/// how many are revoked.
#[wasm_bindgen]
pub fn revocations_check(queries: &[u8]) -> u32 {
    REVOCATIONS.with(|r| {
        let r = r.borrow();
        let Some(list) = r.as_ref() else {
            return 0;
        };
        queries
            .chunks_exact(16)
            .filter(|q| {
                let mut kid = [0u8; 8];
                kid.copy_from_slice(&q[..8]);
                let mut id = [0u8; 8];
                id.copy_from_slice(&q[8..]);
                list.contains(&yanzheng_core::Kid(kid), u64::from_le_bytes(id))
            })
            .count() as u32
    })
}
