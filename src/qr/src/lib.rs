//! QR decoding from an 8-bit luma buffer.
//!
//! Built for phone photos of worn cards, glossy screens and crumpled paper;
//! rqrr is kept for what it reads that we do not:
//!
//! - `binarize`: dark/light per pixel, with a threshold per block from the
//!   blocks around it (uneven light and glare), or one global threshold.
//! - `finder`: finder patterns by their 1:1:3:1:1 cuts (blur, rotation,
//!   perspective), grouped into plausible triples, or completed from a pair.
//! - `sample`: version estimate, alignment pattern, projective fit, and
//!   reading the modules into a grid.
//! - `symbol` (with `rs` and `segments`): format, unmasking, Reed-Solomon
//!   correction (with erasures from grey-level certainty) and every segment
//!   mode, on that grid.
//! - `read`: our decoder on the grid, rqrr's for small versions ours refuses
//!   (panic-contained), and rqrr's own detector as the last resort.
//!
//! The order of attempts puts the common case first (see [`decode_luma`]).

mod binarize;
mod finder;
mod geometry;
mod image;
mod read;
mod rs;
mod sample;
mod segments;
mod symbol;

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
/// finder triple) one call may try, counted in fits of version 10 or below.
/// Every code the samples read needs well under this; an image that reads
/// nothing would otherwise try every triple times every version in every
/// pass (hundreds of fits).
const MAX_FITS: usize = 160;

/// What one fit of `version` costs from the budget: its grid's modules in
/// units of a version-10 grid (57x57), rounded up. Refining and sampling
/// a grid cost in proportion to its modules, so an image full of finder-like
/// clutter that suggests large versions (a fuzzed picture took 350 ms with
/// every fit counted as one) is held to about the time of small ones.
fn fit_cost(version: usize) -> usize {
    let side = sample::side(version);
    (side * side).div_ceil(57 * 57).max(1)
}

/// What one call may still spend.
struct Budget {
    fits: usize,
}

impl Budget {
    /// Takes `cost` from the budget; false (taking nothing) if less is left.
    fn take(&mut self, cost: usize) -> bool {
        if self.fits < cost {
            return false;
        }
        self.fits -= cost;
        true
    }
}

fn decode_gray(gray: Gray<'_>) -> Vec<DecodedCode> {
    let mut found = Vec::new();
    let mut budget = Budget { fits: MAX_FITS };
    // 1. The common case: local thresholds, both polarities from one scan;
    //    at full size and at half size (blur spread over many pixels shrinks
    //    back into modules, and noise averages out). Large images (camera
    //    frames) take the half size first: it costs a quarter, and most
    //    codes in a frame are read there; small modules then get the full
    //    size.
    let large = gray.width * gray.height > SMALL_IMAGE;
    let mut evidence = 0;
    let half = if gray.width.min(gray.height) >= 200 {
        if !large {
            evidence += scan(&binarize::local(gray, 8), gray, &mut found, &mut budget).triples;
            if !found.is_empty() {
                return found;
            }
        }
        let half = gray.half();
        let g = Gray {
            width: gray.width / 2,
            height: gray.height / 2,
            pixels: &half,
        };
        if large {
            // Its own, smaller budget: a code this pass sees but cannot
            // read must not use up the full-size pass's attempts.
            let mut first = Budget {
                fits: HALF_FIRST_FITS,
            };
            let s = scan(&binarize::local(g, 8), g, &mut found, &mut first);
            evidence += s.triples;
            // Done, unless triples were left that no read code explains
            // (a smaller code beside or inside it, too small at this size).
            if !found.is_empty() && s.unexplained == 0 {
                return found;
            }
            evidence += scan(&binarize::local(gray, 8), gray, &mut found, &mut budget).triples;
        } else {
            evidence += scan(&binarize::local(g, 8), g, &mut found, &mut budget).triples;
        }
        if !found.is_empty() {
            return found;
        }
        Some(half)
    } else {
        evidence += scan(&binarize::local(gray, 8), gray, &mut found, &mut budget).triples;
        if !found.is_empty() {
            return found;
        }
        None
    };
    let small = half.as_deref().map(|pixels| Gray {
        width: gray.width / 2,
        height: gray.height / 2,
        pixels,
    });
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

/// Grid fits one scan may spend on triples completed from finder pairs.
const PAIR_FITS: usize = 12;

/// Grid fits the half-size first pass of a large image may spend.
const HALF_FIRST_FITS: usize = 48;

/// Images up to this many pixels get every attempt even without evidence.
const SMALL_IMAGE: usize = 640 * 480;

/// What one scan saw.
struct Seen {
    /// Plausible triples (the evidence that a code is there: clutter gives
    /// lone finder-like spots, a code gives three in a square).
    triples: usize,
    /// Triples none of whose finders belong to a code read (another code
    /// this pass could not read).
    unexplained: usize,
}

/// Finds finder triples in a binary image, both polarities, and decodes
/// them into `found`.
fn scan(bits: &Bits, gray: Gray<'_>, found: &mut Vec<DecodedCode>, budget: &mut Budget) -> Seen {
    // Every row of small images; every other row of large ones (a finder's
    // 3-module stone still spans two scanned rows at 1.5 px a module).
    let step = if bits.height > 600 { 2 } else { 1 };
    let [finders, inverted] = finder::find(bits, step);
    let normal = finder::triples(&finders, 12);
    let inverted = finder::triples(&inverted, 12);
    let mut unexplained = read_triples(bits, gray, false, &normal, found, budget);
    if found.is_empty() && finders.len() >= 2 {
        // Two finders of a code seen, the third not: where it must be.
        // A few fits only: most images that reach here read later by
        // other means, and should not pay much for this.
        let pairs = finder::completed(bits, &finders, 6, |f, to| sample::module_at(bits, f, to));
        let mut some = Budget {
            fits: budget.fits.min(PAIR_FITS),
        };
        let before = some.fits;
        read_triples(bits, gray, false, &pairs, found, &mut some);
        budget.fits -= before - some.fits;
    }
    if found.is_empty() && !inverted.is_empty() {
        unexplained = read_triples(&bits.inverted(), gray, true, &inverted, found, budget);
    }
    Seen {
        triples: normal.len() + inverted.len(),
        unexplained,
    }
}

/// Decodes every code the triples make up: all of them, not just the first
/// (one code may sit inside another, or several side by side). Returns how
/// many triples are left that share no finder with a code read.
fn read_triples(
    bits: &Bits,
    gray: Gray<'_>,
    invert: bool,
    triples: &[finder::Triple],
    found: &mut Vec<DecodedCode>,
    budget: &mut Budget,
) -> usize {
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
    triples
        .iter()
        .filter(|t| ![t.tl.c, t.tr.c, t.bl.c].iter().any(|c| used.contains(c)))
        .count()
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
            if !budget.take(fit_cost(ver)) {
                return None;
            }
            let Some(h) = sample::fit(bits, t, ver, use_alignment) else {
                continue;
            };
            // The fit as it is first (most clean codes read here, and
            // refining costs more than a read), then refined to the known
            // modules; each from the binary image, then from the grey one.
            let raw = sample::sample(bits, &h, ver);
            let raw_ok = sample::timing_score(&raw) >= 0.6;
            if raw_ok {
                if let Some(code) = read::grid(&raw) {
                    return Some(code);
                }
            }
            let known = sample::known_modules(ver);
            let refined = sample::refine(bits, &h, ver, &known);
            let g = sample::sample(bits, &refined, ver);
            if sample::timing_score(&g) >= 0.6 {
                if let Some(code) = read::grid(&g) {
                    return Some(code);
                }
                let g = sample::sample_gray(gray, &refined, ver, invert);
                if let Some(code) = read::grid(&g) {
                    return Some(code);
                }
            }
            if raw_ok {
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
    fn large_versions_cost_more_of_the_budget() {
        assert_eq!(fit_cost(1), 1);
        assert_eq!(fit_cost(10), 1);
        assert_eq!(fit_cost(11), 2);
        assert_eq!(fit_cost(20), 3);
        assert_eq!(fit_cost(40), 10);
        let mut b = Budget { fits: 12 };
        assert!(b.take(fit_cost(40)));
        assert!(!b.take(fit_cost(40)), "2 left, a version-40 fit costs 10");
        assert!(b.take(fit_cost(5)) && b.take(fit_cost(5)));
        assert!(!b.take(1));
    }

    /// A code rendered at `px` pixels a module with a 4-module quiet zone.
    fn render(
        data: &[u8],
        px: usize,
        damage: impl Fn(usize, usize, usize) -> bool,
    ) -> (usize, Vec<u8>) {
        let code = qrcode::QrCode::with_error_correction_level(data, qrcode::EcLevel::M)
            .expect("encodable");
        let n = code.width();
        let colors = code.to_colors();
        let w = (n + 8) * px;
        let mut img = vec![230u8; w * w];
        for y in 0..w {
            for x in 0..w {
                let (u, v) = ((x / px) as isize - 4, (y / px) as isize - 4);
                if u < 0 || v < 0 || u as usize >= n || v as usize >= n {
                    continue;
                }
                let (u, v) = (u as usize, v as usize);
                let dark = colors[v * n + u] == qrcode::Color::Dark;
                if dark && !damage(u, v, n) {
                    img[y * w + x] = 30;
                }
            }
        }
        (w, img)
    }

    #[test]
    fn reads_a_code_with_a_finder_broken() {
        let text = b"https://example.org/a-code-with-one-finder-broken";
        // The top-right finder's outer ring loses the middle of its top
        // edge (the three columns over its stone, row 0): no cut through its
        // centre shows the 1:1:3:1:1 pattern any more.
        let (w, img) = render(text, 4, |u, v, n| v == 0 && (n - 5..n - 2).contains(&u));
        let gray = Gray {
            width: w,
            height: w,
            pixels: &img,
        };
        let bits = binarize::local(gray, 8);
        let [finders, _] = finder::find(&bits, 1);
        assert_eq!(finders.len(), 2, "the broken finder is not found");
        let pairs = finder::completed(&bits, &finders, 6, |f, to| sample::module_at(&bits, f, to));
        assert!(!pairs.is_empty());
        let codes = decode_luma(w, w, &img).expect("valid");
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].bytes, text);
    }

    #[test]
    fn rejects_bad_dimensions_without_panicking() {
        assert_eq!(decode_luma(10, 10, &[0; 99]), Err(QrError::BadDimensions));
        assert_eq!(decode_luma(usize::MAX, 2, &[]), Err(QrError::TooLarge));
        assert_eq!(decode_luma(0, 0, &[]), Ok(vec![]));
        assert_eq!(decode_luma(3, 1, &[0, 255, 0]), Ok(vec![]));
    }
}
