//! From pixels to QR text: the part of a scan that is the same for a photo,
//! a camera frame or a test image. Decoding is core's
//! ([`yanzheng_core::qr::decode_luma`]); this module picks the code to verify
//! and says how far a photo is shrunk first.
//!
//! [`find_payload`] runs in the decoder worker (`platform::web::decoder`),
//! which is restarted if the decoder aborts; its input and output are plain
//! data for that reason.

use yanzheng_core::payload::PREFIX;
use yanzheng_core::qr::{decode_luma, rgba_to_luma};

/// Longest side, in pixels, a photo is scaled down to before decoding. A QR
/// code that fills a fair part of a phone photo keeps several pixels per
/// module at this size, and decoding stays well under a second.
pub const MAX_SIDE: u32 = 1600;

/// An image as a canvas gives it: RGBA bytes, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rgba {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height * 4` bytes.
    pub data: Vec<u8>,
}

/// What an image held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageOutcome {
    /// A QR code; its text (lossily decoded if it was not UTF-8, which core
    /// then reports as not a certificate).
    Found {
        /// The code's content.
        text: String,
    },
    /// No readable QR code.
    NoCode,
    /// The image itself could not be used.
    Unreadable {
        /// Why, for people (not translated: it is a technical detail).
        detail: String,
    },
}

/// The size to draw an image at so its longer side is at most `max_side`,
/// keeping the aspect ratio. Small images are not enlarged.
pub fn fit_within(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = |v: u32| {
        ((u64::from(v) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long)).max(1) as u32
    };
    (scale(width), scale(height))
}

/// Finds the QR code to verify in an image. If there are several, one in our
/// format wins; otherwise the first (a link or text is worth reporting).
pub fn find_payload(image: &Rgba) -> ImageOutcome {
    let (w, h) = (image.width as usize, image.height as usize);
    if image.data.len() != w.saturating_mul(h).saturating_mul(4) {
        return ImageOutcome::Unreadable {
            detail: "pixel buffer size does not match the image size".into(),
        };
    }
    let luma = rgba_to_luma(&image.data);
    let codes = match decode_luma(w, h, &luma) {
        Ok(c) => c,
        Err(e) => {
            return ImageOutcome::Unreadable {
                detail: e.to_string(),
            }
        }
    };
    let text_of = |c: &yanzheng_core::qr::DecodedCode| {
        c.text
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(&c.bytes).into_owned())
    };
    let chosen = codes
        .iter()
        .find(|c| c.text.as_deref().is_some_and(|t| t.starts_with(PREFIX)))
        .or(codes.first());
    match chosen {
        Some(code) => ImageOutcome::Found {
            text: text_of(code),
        },
        None => ImageOutcome::NoCode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{qr_rgba, Fixture};

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn photos_shrink_to_the_limit_and_small_images_stay() {
        assert_eq!(fit_within(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_within(3024, 4032, 1600), (1200, 1600));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(100_000, 1, 1600), (1600, 1));
        assert_eq!(fit_within(0, 0, 1600), (0, 0));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn finds_the_payload_in_a_rendered_code() {
        let text = Fixture::new().valid_payload();
        let (width, height, data) = qr_rgba(&text);
        let image = Rgba {
            width,
            height,
            data,
        };
        assert_eq!(find_payload(&image), ImageOutcome::Found { text });
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_blank_image_has_no_code_and_a_short_buffer_is_unreadable() {
        let blank = Rgba {
            width: 64,
            height: 48,
            data: vec![255; 64 * 48 * 4],
        };
        assert_eq!(find_payload(&blank), ImageOutcome::NoCode);
        let short = Rgba {
            width: 64,
            height: 48,
            data: vec![255; 10],
        };
        assert!(matches!(
            find_payload(&short),
            ImageOutcome::Unreadable { .. }
        ));
    }
}
