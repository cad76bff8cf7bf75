//! rqrr's part: error correction and data decoding of our sampled grids, and
//! its own detector as a last resort. Every rqrr call runs under
//! `catch_unwind`: rqrr 0.11 panics on some inputs (an assertion in its grid
//! detection), and a bad frame must never take the verifier down. In a wasm
//! build with `panic = "abort"` a panic still aborts, so the widget decodes in
//! a worker it can restart; our own grids only reach rqrr's decoder, which
//! checks sizes itself.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::image::Gray;
use super::sample::SampledGrid;
use super::DecodedCode;

fn code(bytes: Vec<u8>, version: usize) -> DecodedCode {
    DecodedCode {
        text: String::from_utf8(bytes.clone()).ok(),
        bytes,
        version,
    }
}

/// Error-corrects and decodes one grid (rqrr also tries it mirrored).
pub(crate) fn grid(g: &SampledGrid) -> Option<DecodedCode> {
    let run = || {
        let mut bytes = Vec::new();
        let meta = rqrr::Grid::new(g.clone()).decode_to(&mut bytes).ok()?;
        Some(code(bytes, meta.version.0))
    };
    catch_unwind(AssertUnwindSafe(run)).ok().flatten()
}

/// rqrr from detection to text.
pub(crate) fn rqrr_whole(img: Gray<'_>) -> Vec<DecodedCode> {
    let run = || {
        let mut prepared =
            rqrr::PreparedImage::prepare_from_greyscale(img.width, img.height, |x, y| {
                img.pixels.get(y * img.width + x).copied().unwrap_or(255)
            });
        let mut out = Vec::new();
        for g in prepared.detect_grids() {
            let mut bytes = Vec::new();
            if let Ok(meta) = g.decode_to(&mut bytes) {
                out.push(code(bytes, meta.version.0));
            }
        }
        out
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_default()
}
