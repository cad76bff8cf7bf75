//! 1280x720 camera-like frames: a sample photo placed on a cluttered
//! background, and frames with no code at all (what the camera sees most of
//! the time while the inspector aims).

use crate::samples::Luma;

pub const FRAME_W: usize = 1280;
pub const FRAME_H: usize = 720;

/// A small fixed-seed generator: the frames are the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A background: a lighting gradient, sensor noise, and some clutter
/// (blocks, text-like rows of marks).
fn background(rng: &mut Rng, clutter: usize) -> Vec<u8> {
    let (a, b) = (40 + rng.below(150) as i32, 40 + rng.below(150) as i32);
    let horizontal = rng.below(2) == 0;
    let mut px = vec![0u8; FRAME_W * FRAME_H];
    for y in 0..FRAME_H {
        for x in 0..FRAME_W {
            let t = if horizontal {
                x as i32 * 256 / FRAME_W as i32
            } else {
                y as i32 * 256 / FRAME_H as i32
            };
            let noise = (rng.next() >> 60) as i32 - 8;
            px[y * FRAME_W + x] = (a + (b - a) * t / 256 + noise).clamp(0, 255) as u8;
        }
    }
    for _ in 0..clutter {
        let shade = rng.below(256) as u8;
        if rng.below(3) == 0 {
            // A line of "text": small dark marks of varying width.
            let (mut x, y) = (rng.below(FRAME_W), rng.below(FRAME_H));
            let h = 6 + rng.below(14);
            let end = (x + 100 + rng.below(500)).min(FRAME_W);
            while x < end {
                let w = 2 + rng.below(h);
                fill(&mut px, x, y, w, h, shade / 3);
                x += w + 2 + rng.below(h / 2 + 1);
            }
        } else {
            let (x, y) = (rng.below(FRAME_W), rng.below(FRAME_H));
            fill(
                &mut px,
                x,
                y,
                10 + rng.below(300),
                10 + rng.below(200),
                shade,
            );
        }
    }
    px
}

fn fill(px: &mut [u8], x0: usize, y0: usize, w: usize, h: usize, v: u8) {
    for y in y0..(y0 + h).min(FRAME_H) {
        for x in x0..(x0 + w).min(FRAME_W) {
            px[y * FRAME_W + x] = v;
        }
    }
}

/// Area-average downscale so the photo fits inside the frame with a margin.
fn fit(photo: &Luma) -> Luma {
    let max_w = FRAME_W - 40;
    let max_h = FRAME_H - 40;
    if photo.width <= max_w && photo.height <= max_h {
        return photo.clone();
    }
    let s = (max_w as f64 / photo.width as f64).min(max_h as f64 / photo.height as f64);
    let w = ((photo.width as f64 * s) as usize).max(1);
    let h = ((photo.height as f64 * s) as usize).max(1);
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let (sy0, sy1) = (
            y * photo.height / h,
            ((y + 1) * photo.height / h).max(y * photo.height / h + 1),
        );
        for x in 0..w {
            let (sx0, sx1) = (
                x * photo.width / w,
                ((x + 1) * photo.width / w).max(x * photo.width / w + 1),
            );
            let mut sum = 0u32;
            for sy in sy0..sy1 {
                for sx in sx0..sx1 {
                    sum += u32::from(photo.pixels[sy * photo.width + sx]);
                }
            }
            pixels.push((sum / ((sy1 - sy0) * (sx1 - sx0)) as u32) as u8);
        }
    }
    Luma {
        width: w,
        height: h,
        pixels,
    }
}

/// The photo (shrunk to fit if needed) at a seeded position on a background.
pub fn with_photo(photo: &Luma, seed: u64) -> Luma {
    let mut rng = Rng::new(seed);
    let mut px = background(&mut rng, 6);
    let photo = fit(photo);
    let x0 = rng.below(FRAME_W - photo.width + 1);
    let y0 = rng.below(FRAME_H - photo.height + 1);
    for y in 0..photo.height {
        let dst = (y0 + y) * FRAME_W + x0;
        px[dst..dst + photo.width]
            .copy_from_slice(&photo.pixels[y * photo.width..(y + 1) * photo.width]);
    }
    Luma {
        width: FRAME_W,
        height: FRAME_H,
        pixels: px,
    }
}

/// A frame with no code in it.
pub fn without_code(seed: u64) -> Luma {
    let mut rng = Rng::new(seed);
    Luma {
        width: FRAME_W,
        height: FRAME_H,
        pixels: background(&mut rng, 40),
    }
}
