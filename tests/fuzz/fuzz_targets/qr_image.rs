//! The QR pipeline on arbitrary images: the first four bytes choose the
//! size (up to 320x320, so runs stay fast), the rest are the pixels,
//! repeated to fill the image; plus the raw buffer with a size that need
//! not match it. Nothing may escape as a panic (rqrr's own panics are
//! contained inside the pipeline).
#![no_main]

use libfuzzer_sys::fuzz_target;
use yanzheng_core::qr::decode_luma;

fuzz_target!(|data: &[u8]| {
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
