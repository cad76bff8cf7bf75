//! What a scan hands over: an image's pixels and what they held, and how
//! far a photo is shrunk first. Decoding itself runs in the decoder worker,
//! on the decoder's own wasm module (`src/decoder`), which is restarted if
//! it aborts; its input and output are plain data for that reason.

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

pub use yanzheng_core::scan::ImageOutcome;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test(unsupported = test)]
    fn photos_shrink_to_the_limit_and_small_images_stay() {
        assert_eq!(fit_within(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_within(3024, 4032, 1600), (1200, 1600));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(100_000, 1, 1600), (1600, 1));
        assert_eq!(fit_within(0, 0, 1600), (0, 0));
    }
}
