//! QR decoding from an 8-bit luma buffer, with `rqrr` doing the grid decoding.
//!
//! The pipeline tries the cheap case first (the image as it is), then an
//! inverted image (light modules on dark, as some phone screens show), then a
//! half-size image (large photos whose modules are blurred over many pixels).
//! Every `rqrr` call runs under `catch_unwind`: rqrr 0.11 panics on some
//! inputs, and a bad frame must never take the verifier down (natively; in a
//! wasm build with `panic = "abort"`, the widget runs decoding in a worker it
//! can restart).

use core::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

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

fn attempt(width: usize, height: usize, luma: &[u8], invert: bool) -> Vec<DecodedCode> {
    let run = || {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
            let v = luma[y * width + x];
            if invert {
                255 - v
            } else {
                v
            }
        });
        let mut out = Vec::new();
        for grid in img.detect_grids() {
            let mut bytes = Vec::new();
            if let Ok(meta) = grid.decode_to(&mut bytes) {
                out.push(DecodedCode {
                    text: String::from_utf8(bytes.clone()).ok(),
                    bytes,
                    version: meta.version.0,
                });
            }
        }
        out
    };
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_default()
}

fn half_size(width: usize, height: usize, luma: &[u8]) -> (usize, usize, Vec<u8>) {
    let (w, h) = (width / 2, height / 2);
    let mut out = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let i = 2 * y * width + 2 * x;
            let s = u32::from(luma[i])
                + u32::from(luma[i + 1])
                + u32::from(luma[i + width])
                + u32::from(luma[i + width + 1]);
            out.push((s / 4) as u8);
        }
    }
    (w, h, out)
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
    if width == 0 || height == 0 {
        return Ok(Vec::new());
    }
    for invert in [false, true] {
        let found = attempt(width, height, luma, invert);
        if !found.is_empty() {
            return Ok(found);
        }
    }
    if width >= 400 && height >= 400 {
        let (w, h, small) = half_size(width, height, luma);
        let found = attempt(w, h, &small, false);
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
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
