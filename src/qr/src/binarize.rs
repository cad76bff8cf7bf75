//! Grey to dark/light. A code under a desk lamp, with glare across one corner
//! or a shadow across the other, has no single threshold that works, so the
//! main binariser picks one per block from the blocks around it.

use super::image::{Bits, Gray};

/// Blocks whose darkest and lightest pixels differ by less than this hold no
/// edge; their threshold comes from neighbouring blocks instead.
const MIN_CONTRAST: u8 = 24;

/// Local thresholding: the image is cut into `block`-pixel squares; each square
/// with contrast contributes its mean, each pixel is compared with the average
/// of the contributing squares in the 5x5 squares around its own. Flat squares
/// (inside a large module, blank paper) take the threshold of the nearest
/// squares that have one, so a big dark module stays dark and paper stays
/// light.
pub(crate) fn local(img: Gray<'_>, block: usize) -> Bits {
    let (w, h) = (img.width, img.height);
    let block = block.max(2);
    let (bw, bh) = (w.div_ceil(block), h.div_ceil(block));
    // Per-block mean, or None for a flat block; gathered row by row (the
    // image is read once, in order).
    let mut level: Vec<Option<u32>> = vec![None; bw * bh];
    let mut sum_all: u64 = 0;
    let mut lo = vec![255u8; bw];
    let mut hi = vec![0u8; bw];
    let mut sum = vec![0u32; bw];
    for by in 0..bh {
        let (y0, y1) = (by * block, ((by + 1) * block).min(h));
        lo.fill(255);
        hi.fill(0);
        sum.fill(0);
        for y in y0..y1 {
            let row = &img.pixels[y * w..(y + 1) * w];
            for (((px, l), hg), s) in row
                .chunks(block)
                .zip(lo.iter_mut())
                .zip(hi.iter_mut())
                .zip(sum.iter_mut())
            {
                let (mut a, mut b, mut t) = (*l, *hg, 0u32);
                for &p in px {
                    a = a.min(p);
                    b = b.max(p);
                    t += u32::from(p);
                }
                *l = a;
                *hg = b;
                *s += t;
            }
        }
        let rows = (y1 - y0) as u32;
        for bx in 0..bw {
            let cols = (((bx + 1) * block).min(w) - bx * block) as u32;
            sum_all += u64::from(sum[bx]);
            if hi[bx] - lo[bx] >= MIN_CONTRAST {
                level[by * bw + bx] = Some(sum[bx] / (rows * cols));
            }
        }
    }
    // Average over the 5x5 neighbourhood of blocks that have a level:
    // sums over 5 blocks along rows, then 5 of those down columns.
    let mut across: Vec<(u32, u32)> = vec![(0, 0); bw * bh];
    for by in 0..bh {
        let row = &level[by * bw..(by + 1) * bw];
        for bx in 0..bw {
            let (mut s, mut n) = (0u32, 0u32);
            for l in row[bx.saturating_sub(2)..(bx + 3).min(bw)].iter().flatten() {
                s += l;
                n += 1;
            }
            across[by * bw + bx] = (s, n);
        }
    }
    let mut threshold: Vec<Option<u32>> = vec![None; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            let (mut s, mut n) = (0u32, 0u32);
            for ny in by.saturating_sub(2)..(by + 3).min(bh) {
                let (a, b) = across[ny * bw + bx];
                s += a;
                n += b;
            }
            threshold[by * bw + bx] = s.checked_div(n);
        }
    }
    let fallback = (sum_all / (w * h).max(1) as u64) as u32;
    let threshold: Vec<u8> = fill_gaps(threshold, bw, bh, fallback)
        .into_iter()
        .map(|t| t.min(255) as u8)
        .collect();
    let mut dark = vec![0u8; w * h];
    for y in 0..h {
        let trow = &threshold[(y / block) * bw..][..bw];
        let row = &img.pixels[y * w..(y + 1) * w];
        let out = &mut dark[y * w..(y + 1) * w];
        for ((src, dst), &t) in row.chunks(block).zip(out.chunks_mut(block)).zip(trow) {
            for (&p, d) in src.iter().zip(dst.iter_mut()) {
                *d = u8::from(p <= t);
            }
        }
    }
    Bits {
        width: w,
        height: h,
        dark,
    }
}

/// Gives blocks without a threshold the average of their neighbours that
/// have one: a sweep down-right, then one up-left, reach every block.
fn fill_gaps(mut t: Vec<Option<u32>>, bw: usize, bh: usize, fallback: u32) -> Vec<u32> {
    let sweep = |t: &mut Vec<Option<u32>>, forward: bool| {
        for i in 0..bw * bh {
            let idx = if forward { i } else { bw * bh - 1 - i };
            if t[idx].is_some() {
                continue;
            }
            let (bx, by) = (idx % bw, idx / bw);
            let (mut s, mut n) = (0u32, 0u32);
            let mut take = |x: usize, y: usize| {
                if let Some(v) = t[y * bw + x] {
                    s += v;
                    n += 1;
                }
            };
            if bx > 0 {
                take(bx - 1, by);
            }
            if by > 0 {
                take(bx, by - 1);
            }
            if bx + 1 < bw {
                take(bx + 1, by);
            }
            if by + 1 < bh {
                take(bx, by + 1);
            }
            t[idx] = s.checked_div(n);
        }
    };
    sweep(&mut t, true);
    sweep(&mut t, false);
    t.into_iter().map(|v| v.unwrap_or(fallback)).collect()
}

/// One threshold for the whole image, between the two peaks of its
/// histogram (Otsu's method). For evenly lit codes whose modules are so large
/// or so blurred that local blocks see no edges.
pub(crate) fn global(img: Gray<'_>) -> Bits {
    let mut hist = [0u64; 256];
    for &p in img.pixels {
        hist[usize::from(p)] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w0, mut sum0) = (0u64, 0f64);
    let (mut best, mut best_t) = (-1.0f64, 127u8);
    for (t, &count) in hist.iter().enumerate() {
        w0 += count;
        sum0 += t as f64 * count as f64;
        let w1 = total - w0;
        if w0 == 0 || w1 == 0 {
            continue;
        }
        let m0 = sum0 / w0 as f64;
        let m1 = (sum_all - sum0) / w1 as f64;
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    Bits {
        width: img.width,
        height: img.height,
        dark: img.pixels.iter().map(|&p| u8::from(p <= best_t)).collect(),
    }
}
