//! Every input the fuzz targets found (`tests/fuzz/regressions/`), run the
//! way its target runs it. A panic that escapes fails the test.
//!
//! - `qr_image/slow-unit-*`: pictures that cost the decoder far more than a
//!   real one. They are timed by `bench-decode` (docs/benchmarks-decode.md);
//!   here they must decode to nothing, without a panic.
//! - `qr_image/crash-*`: pictures on which rqrr, the pipeline's last resort,
//!   panics. Natively the pipeline contains that panic; the answer is "no
//!   code".

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use yanzheng_qr::decode_luma;

/// The `qr_image` target's reading of its input: a 4-byte size, then
/// pixels repeated to fill it (and the raw buffer, whose size need not
/// match).
fn run_qr_image(data: &[u8]) -> usize {
    let Some((size, pixels)) = data.split_first_chunk::<4>() else {
        return 0;
    };
    let w = usize::from(u16::from_le_bytes([size[0], size[1]]) % 321);
    let h = usize::from(u16::from_le_bytes([size[2], size[3]]) % 321);
    let mut codes = decode_luma(w, h, pixels).map_or(0, |c| c.len());
    if !pixels.is_empty() {
        let luma: Vec<u8> = pixels.iter().copied().cycle().take(w * h).collect();
        codes += decode_luma(w, h, &luma).expect("the size matches").len();
    }
    codes
}

#[test]
fn qr_image_finds_decode_to_nothing_without_a_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions/qr_image");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fuzz/regressions/qr_image")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let crashes = files
        .iter()
        .filter(|p| p.to_string_lossy().contains("crash-"))
        .count();
    assert!(files.len() >= 8 && crashes >= 1, "{files:?}");
    for path in &files {
        let data = std::fs::read(path).expect("read");
        assert_eq!(run_qr_image(&data), 0, "{}", path.display());
    }
}
