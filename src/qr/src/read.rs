//! Grids to payloads: our own decoder (`symbol`), rqrr's decoder for the
//! small versions ours refuses, and rqrr's detector as a last resort. Every
//! rqrr call runs under
//! `catch_unwind`: rqrr 0.11 panics on some inputs (an assertion in its grid
//! detection), and a bad frame must never take the verifier down. In a wasm
//! build with `panic = "abort"` a panic still aborts, so the widget decodes in
//! a worker it can restart; our own grids only reach rqrr's decoder, which
//! checks sizes itself.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::image::Gray;
use super::sample::SampledGrid;
use super::symbol;
use super::DecodedCode;

fn code(bytes: Vec<u8>, version: usize) -> DecodedCode {
    DecodedCode {
        text: String::from_utf8(bytes.clone()).ok(),
        bytes,
        version,
    }
}

/// Error-corrects and decodes one grid with our own decoder (`symbol`),
/// which also parses the modes rqrr does not (structured append, FNC1, ECI,
/// Hanzi) and is several times faster on grids that do not decode (most of
/// the grids a hard image produces). Versions 1-3 then also go to rqrr's
/// decoder (which tries the grid mirrored as well): ours keeps the check
/// codewords the standard reserves there against misdecoding, rqrr uses them
/// to correct (a blurred version 2 code with 5 errors in its 10 check
/// codewords reads only there).
pub(crate) fn grid(g: &SampledGrid) -> Option<DecodedCode> {
    if let Some(c) = own(g) {
        return Some(c);
    }
    rqrr_grid(g)
}

/// rqrr's decoder on a small grid ours refused (feature `rqrr-ecc`).
#[cfg(feature = "rqrr-ecc")]
fn rqrr_grid<G: rqrr::BitGrid + Clone>(g: &G) -> Option<DecodedCode> {
    if g.size() > super::sample::side(3) {
        return None;
    }
    let run = || {
        let mut bytes = Vec::new();
        let meta = rqrr::Grid::new(g.clone()).decode_to(&mut bytes).ok()?;
        Some(code(bytes, meta.version.0))
    };
    catch_unwind(AssertUnwindSafe(run)).ok().flatten()
}

/// Without the feature our decoder is the only one: rqrr's error
/// correction, and its 64 KB multiplication table, stay out of the build.
#[cfg(not(feature = "rqrr-ecc"))]
fn rqrr_grid<G: rqrr::BitGrid + Clone>(_: &G) -> Option<DecodedCode> {
    None
}

/// Our own decoder on a grid, as it is and mirrored.
fn own(g: &SampledGrid) -> Option<DecodedCode> {
    let (size, dark) = g.modules();
    own_modules(size, dark, g.certainty())
}

fn own_modules(size: usize, dark: &[bool], sure: &[u8]) -> Option<DecodedCode> {
    [false, true].into_iter().find_map(|transposed| {
        let s = symbol::decode(&symbol::Modules {
            size,
            dark,
            sure,
            transposed,
        })?;
        Some(code(s.bytes, s.version))
    })
}

#[cfg(feature = "rqrr-ecc")]
fn rqrr_whole_grid<G: rqrr::BitGrid>(g: &rqrr::Grid<G>) -> Option<DecodedCode> {
    let mut bytes = Vec::new();
    let meta = g.decode_to(&mut bytes).ok()?;
    Some(code(bytes, meta.version.0))
}

#[cfg(not(feature = "rqrr-ecc"))]
fn rqrr_whole_grid<G: rqrr::BitGrid>(_: &rqrr::Grid<G>) -> Option<DecodedCode> {
    None
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
            // rqrr located and sampled it; our decoder reads the bits
            // (rqrr's own as well, with the feature, if ours refuses).
            let size = rqrr::BitGrid::size(&g.grid);
            let dark: Vec<bool> = (0..size * size)
                .map(|i| rqrr::BitGrid::bit(&g.grid, i / size, i % size))
                .collect();
            if let Some(c) = own_modules(size, &dark, &[]).or_else(|| rqrr_whole_grid(&g)) {
                out.push(c);
            }
        }
        out
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_default()
}
