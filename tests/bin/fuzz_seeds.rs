//! Writes the fuzz targets' seed corpora (tests/fuzz/corpus/TARGET/) from
//! the test vectors: every vector's QR text for `payload_text`, the signed
//! record inside each for `certificate_record`, and the signed bodies of the
//! list files for `trust_list` and `revocation_list`, and every QR text
//! drawn as a picture (two module sizes, one of them inverted) for
//! `qr_image`, whose inputs are a 4-byte size and then grey pixels.
//!
//!     cargo run -p yanzheng-tests --bin fuzz-seeds
//!
//! `cargo xtask fuzz` and `cargo xtask test` run it before fuzzing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use qrcode::types::Color;
use qrcode::{EcLevel, QrCode};
use yanzheng_core::{base45, cose, payload};

/// Largest side the `qr_image` target accepts.
const QR_IMAGE_MAX_SIDE: usize = 320;

/// `text` as a `qr_image` input: width and height (u16, little-endian) and
/// then one grey byte a pixel, `scale` pixels a module, four modules of
/// quiet zone; `None` if it would not fit the target's 320x320.
fn qr_image_seed(text: &str, scale: usize, inverted: bool) -> Option<Vec<u8>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let n = code.width();
    let side = (n + 8) * scale;
    if side > QR_IMAGE_MAX_SIDE {
        return None;
    }
    let colors = code.to_colors();
    let side16 = u16::try_from(side).ok()?.to_le_bytes();
    let mut out = Vec::with_capacity(4 + side * side);
    out.extend_from_slice(&side16);
    out.extend_from_slice(&side16);
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            let dark = mx < n && my < n && colors[my * n + mx] == Color::Dark;
            out.push(if dark != inverted { 0x10 } else { 0xf0 });
        }
    }
    Some(out)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(name);
    fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn run() -> Result<usize, String> {
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let vectors = tests.join("vectors");
    let corpus = tests.join("fuzz/corpus");
    let mut written = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(&vectors)
        .map_err(|e| format!("{}: {e}", vectors.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.extension().is_some_and(|e| e == "vec") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for line in text.lines() {
                if let Some(qr) = line.strip_prefix("payload: ") {
                    write(&corpus.join("payload_text"), &stem, qr.as_bytes())?;
                    written += 1;
                    for (scale, inverted) in [(2, false), (3, true)] {
                        if let Some(img) = qr_image_seed(qr, scale, inverted) {
                            // A seed the pipeline cannot read would only
                            // exercise the finder search.
                            let side = usize::from(u16::from_le_bytes([img[0], img[1]]));
                            let read = yanzheng_qr::decode_luma(side, side, &img[4..])
                                .map_err(|e| format!("{stem}: own QR seed: {e:?}"))?;
                            if !read.iter().any(|c| c.text.as_deref() == Some(qr)) {
                                return Err(format!(
                                    "{stem}: own QR seed x{scale} does not read back"
                                ));
                            }
                            let name = format!("{stem}-x{scale}");
                            write(&corpus.join("qr_image"), &name, &img)?;
                            written += 1;
                        }
                    }
                    let inner = qr
                        .strip_prefix(payload::PREFIX)
                        .and_then(|b| base45::decode(b).ok())
                        .and_then(|c| cose::parse(&c, payload::MAX_TEXT_LEN).ok());
                    if let Some(sign1) = inner {
                        write(&corpus.join("certificate_record"), &stem, &sign1.payload)?;
                        written += 1;
                    }
                }
            }
        }
    }
    let lists = vectors.join("lists");
    let mut files: Vec<PathBuf> = fs::read_dir(&lists)
        .map_err(|e| format!("{}: {e}", lists.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let Ok(sign1) = cose::parse(&bytes, 1 << 20) else {
            continue;
        };
        let target = if name.starts_with("revocations") {
            "revocation_list"
        } else {
            "trust_list"
        };
        write(&corpus.join(target), &name, &sign1.payload)?;
        write(&corpus.join(target), &format!("{name}-signed"), &bytes)?;
        written += 2;
    }
    Ok(written)
}

fn main() -> ExitCode {
    match run() {
        Ok(n) => {
            eprintln!("fuzz-seeds: {n} seed files in tests/fuzz/corpus/");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fuzz-seeds: {e}");
            ExitCode::FAILURE
        }
    }
}
