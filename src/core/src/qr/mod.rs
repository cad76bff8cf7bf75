//! QR decoding from an 8-bit luma buffer.
//!
//! rqrr does what it does well, error correction and data decoding; the rest
//! is ours, built for phone photos of worn cards, glossy screens and crumpled
//! paper:
//!
//! - `binarize`: dark/light per pixel, with a threshold per block from the
//!   blocks around it (uneven light and glare), or one global threshold.
//! - `finder`: finder patterns by their 1:1:3:1:1 cuts (blur, rotation,
//!   perspective), grouped into plausible triples.
//! - `sample`: version estimate, alignment pattern, projective fit, and
//!   reading the modules into a grid for rqrr.
//! - `read`: rqrr's decoder on that grid, panic-contained; rqrr's own
//!   detector as the last resort.
//!
//! The order of attempts puts the common case first (see [`decode_luma`]).

mod binarize;
mod finder;
mod geometry;
mod image;
mod read;
mod sample;

use core::fmt;

use image::{Bits, Gray};

/// One decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCode {
    /// The raw payload bytes.
    pub bytes: Vec<u8>,
    /// The payload as text, if it is UTF-8.
    pub text: Option<String>,
    /// QR version (1-40).
    pub version: usize,
}

/// Why a buffer could not be decoded at all (as opposed to "no code found").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// The buffer's length is not width × height.
    BadDimensions,
    /// The image is larger than the decoder accepts.
    TooLarge,
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::BadDimensions => f.write_str("buffer size does not match width × height"),
            QrError::TooLarge => f.write_str("image is too large to decode"),
        }
    }
}

impl std::error::Error for QrError {}

/// Largest image accepted, in pixels (a 48-megapixel photo).
pub const MAX_PIXELS: usize = 48_000_000;

/// Converts RGBA pixels (as canvas `ImageData` holds them) to luma (BT.601).
pub fn rgba_to_luma(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8)
        .collect()
}

/// Finds and decodes the QR codes in a luma image. An empty result means no
/// readable code was found.
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Result<Vec<DecodedCode>, QrError> {
    let pixels = width.checked_mul(height).ok_or(QrError::TooLarge)?;
    if pixels > MAX_PIXELS {
        return Err(QrError::TooLarge);
    }
    if luma.len() != pixels {
        return Err(QrError::BadDimensions);
    }
    if width < 21 || height < 21 {
        return Ok(Vec::new());
    }
    let gray = Gray {
        width,
        height,
        pixels: luma,
    };
    Ok(decode_gray(gray))
}

/// Most grid fits (a version, with or without the alignment pattern, for one
/// finder triple) one call may try. Every code the samples read needs well
/// under this; an image that reads nothing would otherwise try every triple
/// times every version in every pass (hundreds of fits).
const MAX_FITS: usize = 160;

/// What one call may still spend.
struct Budget {
    fits: usize,
}

impl Budget {
    /// Takes one fit from the budget; false when none is left.
    fn take(&mut self) -> bool {
        if self.fits == 0 {
            return false;
        }
        self.fits -= 1;
        true
    }
}

fn decode_gray(gray: Gray<'_>) -> Vec<DecodedCode> {
    let mut found = Vec::new();
    let mut budget = Budget { fits: MAX_FITS };
    // 1. The common case: local thresholds, both polarities from one scan.
    let bits = binarize::local(gray, 8);
    let mut evidence = scan(&bits, gray, &mut found, &mut budget);
    if !found.is_empty() {
        return found;
    }
    // 2. Large images at half size: blur spread over many pixels shrinks
    //    back into modules, and noise averages out.
    let large = gray.width * gray.height > SMALL_IMAGE;
    let half;
    let mut small = None;
    if gray.width.min(gray.height) >= 200 {
        half = gray.half();
        let g = Gray {
            width: gray.width / 2,
            height: gray.height / 2,
            pixels: &half,
        };
        evidence += scan(&binarize::local(g, 8), g, &mut found, &mut budget);
        if !found.is_empty() {
            return found;
        }
        small = Some(g);
    }
    // The remaining attempts cost a full pass each: only when three finders
    // were seen in a plausible square, or the image is small enough to be cheap (a
    // camera frame with no code in it stops here), and while the budget
    // lasts.
    if (evidence == 0 && large) || budget.fits == 0 {
        return found;
    }
    // Large images (camera frames) take the fallbacks at half size: what
    // they are for, even light on large or blurred modules, survives the
    // halving, and they cost a quarter.
    let fallback = match small {
        Some(g) if large => g,
        _ => gray,
    };
    // 3. One global threshold (even light, modules too large or too blurred
    //    for the blocks).
    scan(
        &binarize::global(fallback),
        fallback,
        &mut found,
        &mut budget,
    );
    if !found.is_empty() || budget.fits == 0 {
        return found;
    }
    // 4. rqrr's own detector, which fits a grid differently and reads a few
    //    codes ours misses.
    read::rqrr_whole(fallback)
}

/// Images up to this many pixels get every attempt even without evidence.
const SMALL_IMAGE: usize = 640 * 480;

/// Finds finder triples in a binary image, both polarities, and decodes
/// them into `found`; returns how many plausible triples were seen (the
/// evidence that a code is there: clutter gives lone finder-like spots, a
/// code gives three in a square).
fn scan(bits: &Bits, gray: Gray<'_>, found: &mut Vec<DecodedCode>, budget: &mut Budget) -> usize {
    // Every row of small images; every other row of large ones (a finder's
    // 3-module stone still spans two scanned rows at 1.5 px a module).
    let step = if bits.height > 600 { 2 } else { 1 };
    let [normal, inverted] = finder::find(bits, step);
    let normal = finder::triples(&normal, 12);
    let inverted = finder::triples(&inverted, 12);
    read_triples(bits, gray, false, &normal, found, budget);
    if found.is_empty() && !inverted.is_empty() {
        read_triples(&bits.inverted(), gray, true, &inverted, found, budget);
    }
    normal.len() + inverted.len()
}

/// Decodes every code the triples make up: all of them, not just the first
/// (one code may sit inside another, or several side by side).
fn read_triples(
    bits: &Bits,
    gray: Gray<'_>,
    invert: bool,
    triples: &[finder::Triple],
    found: &mut Vec<DecodedCode>,
    budget: &mut Budget,
) {
    // Finders already part of a decoded code are not reused.
    let mut used: Vec<geometry::Pt> = Vec::new();
    for t in triples.iter().take(16) {
        if [t.tl.c, t.tr.c, t.bl.c].iter().any(|c| used.contains(c)) {
            continue;
        }
        if let Some(code) = read_triple(bits, gray, invert, t, budget) {
            used.extend([t.tl.c, t.tr.c, t.bl.c]);
            if !found.iter().any(|c| c.bytes == code.bytes) {
                found.push(code);
            }
        }
    }
}

/// Tries the estimated version first, then its neighbours; with the
/// alignment pattern first, then without.
fn read_triple(
    bits: &Bits,
    gray: Gray<'_>,
    invert: bool,
    t: &finder::Triple,
    budget: &mut Budget,
) -> Option<DecodedCode> {
    let size = sample::estimate_size(bits, t);
    let v = size.version;
    let base = v.round().clamp(1.0, 40.0) as usize;
    // The version read from the symbol's own version blocks first, then the
    // estimate from finder spacing and its neighbours.
    let mut versions: Vec<usize> = size.version_info.into_iter().collect();
    versions.push(base);
    for d in [1usize, 2] {
        let (up, down) = (base + d, base.wrapping_sub(d));
        // The nearer neighbour of the estimate first.
        let order = if v >= base as f64 {
            [up, down]
        } else {
            [down, up]
        };
        versions.extend(order.into_iter().filter(|x| (1..=40).contains(x)));
    }
    let mut seen = Vec::new();
    versions.retain(|v| {
        let new = !seen.contains(v);
        seen.push(*v);
        new
    });
    for ver in versions {
        for use_alignment in [true, false] {
            if !use_alignment && ver < 2 {
                continue;
            }
            if !budget.take() {
                return None;
            }
            let Some(h) = sample::fit(bits, t, ver, use_alignment) else {
                continue;
            };
            let known = sample::known_modules(ver);
            let refined = sample::refine(bits, &h, ver, &known);
            for h in [refined, h] {
                let g = sample::sample(bits, &h, ver);
                if sample::timing_score(&g) < 0.6 {
                    continue;
                }
                if let Some(code) = read::grid(&g) {
                    return Some(code);
                }
                if let Some(code) = read::grid(&sample::sample_gray(gray, &h, ver, invert)) {
                    return Some(code);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_dimensions_without_panicking() {
        assert_eq!(decode_luma(10, 10, &[0; 99]), Err(QrError::BadDimensions));
        assert_eq!(decode_luma(usize::MAX, 2, &[]), Err(QrError::TooLarge));
        assert_eq!(decode_luma(0, 0, &[]), Ok(vec![]));
        assert_eq!(decode_luma(3, 1, &[0, 255, 0]), Ok(vec![]));
    }
}
