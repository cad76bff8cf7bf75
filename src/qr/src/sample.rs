//! From three finders to a grid of bits: estimate the version, find the
//! alignment pattern, fit the projective map from module coordinates to the
//! image, and read each module's centre.

use super::finder::{Finder, Triple};
use super::geometry::{Homography, Pt};
use super::image::{Bits, Gray};

/// A sampled square of modules, as rqrr's decoder takes it.
#[derive(Clone)]
pub(crate) struct SampledGrid {
    size: usize,
    dark: Vec<bool>,
    /// How clearly each module read (distance of its grey level from the
    /// threshold, saturated), or empty when not known.
    sure: Vec<u8>,
}

impl SampledGrid {
    /// Side length and modules, `dark[row * size + col]`.
    pub(crate) fn modules(&self) -> (usize, &[bool]) {
        (self.size, &self.dark)
    }

    /// Per-module certainty (empty when not known), as `modules`.
    pub(crate) fn certainty(&self) -> &[u8] {
        &self.sure
    }
}

impl rqrr::BitGrid for SampledGrid {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark.get(y * self.size + x).copied().unwrap_or(false)
    }
}

/// Side length in modules of a version.
pub(crate) fn side(version: usize) -> usize {
    17 + 4 * version
}

/// Where the bottom-right alignment pattern's centre sits, in modules from
/// the top-left finder's centre.
fn alignment_offset(version: usize) -> f64 {
    side(version) as f64 - 10.0
}

/// Distance from `from` across the finder there, along the line to `to`
/// and away from it: the finder's width (7 modules) along that line.
fn finder_width_along(bits: &Bits, from: Pt, to: Pt, max: f64) -> Option<f64> {
    let d = to.sub(from);
    let len = d.len();
    if len < 1.0 {
        return None;
    }
    let unit = d.scale(1.0 / len);
    let one_way = |sign: f64| -> Option<f64> {
        // Dark stone, light ring, dark ring; stop at the first light after.
        let mut want_dark = true;
        let mut flips = 0;
        let mut s = 0.0;
        while s < max {
            let p = from.add(unit.scale(sign * s));
            if bits.at_point(p.x, p.y) != want_dark {
                flips += 1;
                if flips == 3 {
                    return Some(s);
                }
                want_dark = !want_dark;
            }
            s += 0.5;
        }
        None
    };
    Some(one_way(1.0)? + one_way(-1.0)?)
}

/// Module size at finder `f`, measured across it along the line to `to`.
pub(crate) fn module_at(bits: &Bits, f: &Finder, to: Pt) -> Option<f64> {
    finder_width_along(bits, f.c, to, 12.0 * f.module).map(|w| w / 7.0)
}

fn mean_module(a: Option<f64>, b: Option<f64>, fallback: f64) -> f64 {
    match (a, b) {
        (Some(x), Some(y)) => (x + y) / 2.0,
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => fallback,
    }
}

/// What the finders say about the code's size.
pub(crate) struct SizeEstimate {
    /// The version the finder spacing suggests, as a real number.
    pub version: f64,
    /// The version read from the version information blocks (versions 7+).
    pub version_info: Option<usize>,
}

pub(crate) fn estimate_size(bits: &Bits, t: &Triple) -> SizeEstimate {
    let tl_top = module_at(bits, &t.tl, t.tr.c);
    let tl_left = module_at(bits, &t.tl, t.bl.c);
    let tr = module_at(bits, &t.tr, t.tl.c);
    let bl = module_at(bits, &t.bl, t.tl.c);
    let m_top = mean_module(tl_top, tr, (t.tl.module + t.tr.module) / 2.0);
    let m_left = mean_module(tl_left, bl, (t.tl.module + t.bl.module) / 2.0);
    let side = (t.tl.c.dist(t.tr.c) / m_top + t.tl.c.dist(t.bl.c) / m_left) / 2.0 + 7.0;
    let version = (side - 17.0) / 4.0;
    let version_info = if version >= 5.5 {
        let across = unit(t.tr.c.sub(t.tl.c));
        let down = unit(t.bl.c.sub(t.tl.c));
        let m_tr = tr.unwrap_or(m_top);
        let m_bl = bl.unwrap_or(m_left);
        read_version_block(bits, t.tr.c, across.scale(m_tr), down.scale(m_tr), false).or_else(
            || read_version_block(bits, t.bl.c, across.scale(m_bl), down.scale(m_bl), true),
        )
    } else {
        None
    };
    SizeEstimate {
        version,
        version_info,
    }
}

fn unit(p: Pt) -> Pt {
    let l = p.len();
    if l > 0.0 {
        p.scale(1.0 / l)
    } else {
        p
    }
}

/// The 18-bit version information word of a version (7-40): the version in
/// six bits and its BCH(18, 6) check bits.
fn version_word(version: usize) -> u32 {
    let data = (version as u32) << 12;
    let mut rem = data;
    for bit in (12..18).rev() {
        if rem & (1 << bit) != 0 {
            rem ^= 0x1F25 << (bit - 12);
        }
    }
    data | rem
}

/// Reads a version information block (6x3 modules beside the top-right
/// finder, 3x6 beside the bottom-left one) using the module axes `u`
/// (across) and `v` (down) at that finder; the nearest valid word within
/// three bit errors.
fn read_version_block(bits: &Bits, finder: Pt, u: Pt, v: Pt, bottom_left: bool) -> Option<usize> {
    let mut word = 0u32;
    for k in 0..18 {
        let (dx, dy) = if bottom_left {
            ((k / 3) as f64 - 3.0, (k % 3) as f64 - 7.0)
        } else {
            ((k % 3) as f64 - 7.0, (k / 3) as f64 - 3.0)
        };
        let p = finder.add(u.scale(dx)).add(v.scale(dy));
        if bits.at_point(p.x, p.y) {
            word |= 1 << k;
        }
    }
    (7..=40)
        .map(|ver| ((version_word(ver) ^ word).count_ones(), ver))
        .min()
        .filter(|&(d, _)| d <= 3)
        .map(|(_, ver)| ver)
}

/// Searches near `guess` for an alignment pattern (dark dot, light ring, dark
/// ring; 5x5 modules) whose module axes are `u` and `v`.
fn find_alignment(bits: &Bits, guess: Pt, u: Pt, v: Pt, radius_modules: f64) -> Option<Pt> {
    let m = (u.len() + v.len()) / 2.0;
    let radius = radius_modules * m;
    let step = (m / 3.0).max(1.0);
    let score = |p: Pt| -> u32 {
        let mut s = 0;
        for j in -2i32..=2 {
            for i in -2i32..=2 {
                let want_dark = i.abs() == 2 || j.abs() == 2 || (i == 0 && j == 0);
                let q = p.add(u.scale(f64::from(i))).add(v.scale(f64::from(j)));
                s += u32::from(bits.at_point(q.x, q.y) == want_dark);
            }
        }
        s
    };
    let mut best: Option<(u32, f64, Pt)> = None;
    let n = (radius / step).ceil() as i32;
    for dy in -n..=n {
        for dx in -n..=n {
            let p = Pt::new(
                guess.x + f64::from(dx) * step,
                guess.y + f64::from(dy) * step,
            );
            let dist = p.dist(guess);
            if dist > radius || !bits.at_point(p.x, p.y) {
                continue;
            }
            let s = score(p);
            if s >= 23 && best.is_none_or(|(bs, bd, _)| s > bs || (s == bs && dist < bd)) {
                best = Some((s, dist, p));
            }
        }
    }
    let (bs, _, bp) = best?;
    // Centre: the mean of the best-scoring positions around the hit.
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    let r = step.ceil() as i32;
    for dy in -r..=r {
        for dx in -r..=r {
            let p = Pt::new(bp.x + f64::from(dx), bp.y + f64::from(dy));
            if bits.at_point(p.x, p.y) && score(p) >= bs {
                sx += p.x;
                sy += p.y;
                n += 1.0;
            }
        }
    }
    Some(if n > 0.0 { Pt::new(sx / n, sy / n) } else { bp })
}

/// The map from module coordinates to the image for this triple at this
/// version: three finder centres, plus the alignment pattern when one is
/// found (else the parallelogram's fourth corner).
pub(crate) fn fit(
    bits: &Bits,
    t: &Triple,
    version: usize,
    use_alignment: bool,
) -> Option<Homography> {
    let n = side(version) as f64;
    let span = n - 7.0;
    let u = t.tr.c.sub(t.tl.c).scale(1.0 / span);
    let v = t.bl.c.sub(t.tl.c).scale(1.0 / span);
    let mut from = vec![
        Pt::new(3.5, 3.5),
        Pt::new(n - 3.5, 3.5),
        Pt::new(3.5, n - 3.5),
    ];
    let mut to = vec![t.tl.c, t.tr.c, t.bl.c];
    let off = alignment_offset(version);
    let mut aligned = false;
    if use_alignment && version >= 2 {
        let guess = t.tl.c.add(u.scale(off)).add(v.scale(off));
        if let Some(a) = find_alignment(bits, guess, u, v, 4.0)
            .or_else(|| find_alignment(bits, guess, u, v, 10.0))
        {
            from.push(Pt::new(3.5 + off, 3.5 + off));
            to.push(a);
            aligned = true;
        }
    }
    if !aligned {
        from.push(Pt::new(n - 3.5, n - 3.5));
        to.push(t.tr.c.add(t.bl.c).sub(t.tl.c));
    }
    Homography::fit(&from, &to)
}

/// Reads every module's centre.
pub(crate) fn sample(bits: &Bits, h: &Homography, version: usize) -> SampledGrid {
    let size = side(version);
    let mut dark = Vec::with_capacity(size * size);
    for r in 0..size {
        for c in 0..size {
            let p = h.map(c as f64 + 0.5, r as f64 + 0.5);
            dark.push(bits.at_point(p.x, p.y));
        }
    }
    SampledGrid {
        size,
        dark,
        sure: Vec::new(),
    }
}

/// How well the two timing patterns (row and column 6, alternating, between
/// the finders) match: 1.0 is perfect, 0.5 is chance.
pub(crate) fn timing_score(g: &SampledGrid) -> f64 {
    let n = g.size;
    if n < 21 {
        return 0.0;
    }
    let mut good = 0;
    let mut total = 0;
    for i in 8..n - 8 {
        let want = i % 2 == 0;
        good += usize::from(rqrr::BitGrid::bit(g, 6, i) == want);
        good += usize::from(rqrr::BitGrid::bit(g, i, 6) == want);
        total += 2;
    }
    good as f64 / total as f64
}

/// Centres of the alignment patterns on one axis (ISO/IEC 18004 annex E).
pub(crate) fn alignment_axis(version: usize) -> Vec<usize> {
    if version < 2 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let last = side(version) - 7;
    let step = if version == 32 {
        26
    } else {
        (version * 4 + count * 2 + 1) / (2 * count - 2) * 2
    };
    let mut out = vec![6];
    out.extend((0..count - 1).rev().map(|i| last - i * step));
    out
}

/// Every module whose colour the symbol's structure fixes regardless of
/// its data: finders with their separators, timing patterns, alignment
/// patterns. `(column, row, dark)`.
pub(crate) fn known_modules(version: usize) -> Vec<(u8, u8, bool)> {
    let n = side(version);
    let mut out = Vec::new();
    let finder = |out: &mut Vec<(u8, u8, bool)>, x0: isize, y0: isize| {
        // The 7x7 finder plus its one-module light separator, clipped.
        for dy in -1..=7isize {
            for dx in -1..=7isize {
                let (x, y) = (x0 + dx, y0 + dy);
                if x < 0 || y < 0 || x >= n as isize || y >= n as isize {
                    continue;
                }
                // Rings around the stone: 0-1 stone, 2 light, 3 dark, 4 separator.
                let d = (dx - 3).abs().max((dy - 3).abs());
                let dark = d != 2 && d <= 3;
                out.push((x as u8, y as u8, dark));
            }
        }
    };
    finder(&mut out, 0, 0);
    finder(&mut out, n as isize - 7, 0);
    finder(&mut out, 0, n as isize - 7);
    for i in 8..n - 8 {
        out.push((i as u8, 6, i % 2 == 0));
        out.push((6, i as u8, i % 2 == 0));
    }
    let axis = alignment_axis(version);
    let last = n - 7;
    for &r in &axis {
        for &c in &axis {
            // The three corners taken by finders.
            if [(6, 6), (6, last), (last, 6)].contains(&(r, c)) {
                continue;
            }
            for dy in -2..=2isize {
                for dx in -2..=2isize {
                    let d = dx.abs().max(dy.abs());
                    out.push(((c as isize + dx) as u8, (r as isize + dy) as u8, d != 1));
                }
            }
        }
    }
    out
}

/// How many known modules read as they should under `h`.
fn fitness(bits: &Bits, h: &Homography, known: &[(u8, u8, bool)]) -> usize {
    known
        .iter()
        .filter(|&&(c, r, dark)| {
            let p = h.map(f64::from(c) + 0.5, f64::from(r) + 0.5);
            bits.at_point(p.x, p.y) == dark
        })
        .count()
}

/// Nudges the code's four corners, one coordinate at a time, while that
/// makes more of the known modules read right; steps shrink from half a
/// module. Corrects finder centres that blur or perspective pulled off, and
/// a fourth corner guessed from a parallelogram. A fit that gets fewer than
/// [`REFINE_FROM`] of the known modules right is returned as it is: chance
/// alone gets half, and nudging (80 fits and checks) never turned such a
/// fit into a read in the samples, while clutter makes many of them.
/// Share of known modules a fit must already get right to be refined. In the
/// 835 samples and their 320 frames no read needed refining a fit below 0.8;
/// 0.6 leaves a margin.
const REFINE_FROM: f64 = 0.6;

pub(crate) fn refine(
    bits: &Bits,
    h: &Homography,
    version: usize,
    known: &[(u8, u8, bool)],
) -> Homography {
    let n = side(version) as f64;
    let grid = [
        Pt::new(0.0, 0.0),
        Pt::new(n, 0.0),
        Pt::new(0.0, n),
        Pt::new(n, n),
    ];
    let mut corners: Vec<Pt> = grid.iter().map(|p| h.map(p.x, p.y)).collect();
    let module = (corners[0].dist(corners[1]) + corners[0].dist(corners[2])) / (2.0 * n);
    let mut best_h = *h;
    let mut best = fitness(bits, h, known);
    if (best as f64) < REFINE_FROM * known.len() as f64 {
        return best_h;
    }
    let mut step = module * 0.5;
    for _ in 0..5 {
        for i in 0..8 {
            for sign in [1.0, -1.0] {
                let mut trial = corners.clone();
                let c = &mut trial[i / 2];
                if i % 2 == 0 {
                    c.x += sign * step;
                } else {
                    c.y += sign * step;
                }
                let Some(th) = Homography::fit(&grid, &trial) else {
                    continue;
                };
                let f = fitness(bits, &th, known);
                if f > best {
                    best = f;
                    best_h = th;
                    corners = trial;
                    break;
                }
            }
        }
        step *= 0.5;
    }
    best_h
}

/// Reads every module from the grey image instead: the mean of five points
/// around its centre, compared with the mean over the 7x7 modules around
/// it. Thresholding in module space rather than pixel space keeps a light
/// module between dark ones light when blur has greyed it, and follows light
/// that changes across the code. `invert` reads light modules as dark.
pub(crate) fn sample_gray(
    gray: Gray<'_>,
    h: &Homography,
    version: usize,
    invert: bool,
) -> SampledGrid {
    let size = side(version);
    let mut value = Vec::with_capacity(size * size);
    for r in 0..size {
        for c in 0..size {
            let (u, v) = (c as f64 + 0.5, r as f64 + 0.5);
            let mut s = 0.0;
            for (du, dv) in [(0.0, 0.0), (-0.2, 0.0), (0.2, 0.0), (0.0, -0.2), (0.0, 0.2)] {
                let p = h.map(u + du, v + dv);
                s += gray.bilinear(p.x, p.y);
            }
            value.push(s / 5.0);
        }
    }
    // Summed-area table for the window means.
    let stride = size + 1;
    let mut sat = vec![0.0f64; stride * stride];
    for r in 0..size {
        let mut row = 0.0;
        for c in 0..size {
            row += value[r * size + c];
            sat[(r + 1) * stride + c + 1] = sat[r * stride + c + 1] + row;
        }
    }
    let mut dark = Vec::with_capacity(size * size);
    let mut sure = Vec::with_capacity(size * size);
    for r in 0..size {
        let (r0, r1) = (r.saturating_sub(3), (r + 4).min(size));
        for c in 0..size {
            let (c0, c1) = (c.saturating_sub(3), (c + 4).min(size));
            let sum = sat[r1 * stride + c1] - sat[r0 * stride + c1] - sat[r1 * stride + c0]
                + sat[r0 * stride + c0];
            let mean = sum / ((r1 - r0) * (c1 - c0)) as f64;
            let below = value[r * size + c] < mean;
            dark.push(below != invert);
            sure.push((value[r * size + c] - mean).abs().min(255.0) as u8);
        }
    }
    SampledGrid { size, dark, sure }
}
