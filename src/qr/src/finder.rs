//! Finder patterns: the three 7x7 squares (dark ring, light ring, 3x3 dark
//! stone) in a code's corners. Any straight line through a finder's centre
//! crosses dark, light, dark, light, dark in the ratio 1:1:3:1:1, at any
//! rotation and, near enough, under perspective; so rows are scanned for that
//! ratio and each hit is confirmed across a column and a diagonal. Ring gaps
//! from blur or wear do not matter as long as the cuts through the centre
//! survive (a flood fill of the ring, as quirc and rqrr do, breaks there).

use super::geometry::Pt;
use super::image::Bits;

/// A located finder pattern.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Finder {
    /// Centre of the stone.
    pub c: Pt,
    /// Width of the pattern along rows and columns, divided by 7 (larger
    /// than a module when the code is rotated; only a hint).
    pub module: f64,
    /// How many scan rows confirmed it.
    pub hits: u32,
}

/// Module size if the five run lengths are 1:1:3:1:1 within `tol` modules
/// (the one-module runs within `tol` modules plus `px` pixels).
fn ratio(c: [usize; 5], tol: f64, px: f64) -> Option<f64> {
    let total: usize = c.iter().sum();
    if total < 7 {
        return None;
    }
    let m = total as f64 / 7.0;
    let t = m * tol;
    let ring = t + px;
    let near = |v: usize, want: f64, slack: f64| (v as f64 - want).abs() < slack;
    (near(c[0], m, ring)
        && near(c[1], m, ring)
        && near(c[2], 3.0 * m, 3.0 * t)
        && near(c[3], m, ring)
        && near(c[4], m, ring))
    .then_some(m)
}

/// The five runs crossed walking through dark pixel `(px, py)` in direction
/// `(dx, dy)` both ways, and the offset (in steps, from the pixel's top-left
/// corner) of the middle run's centre. `None` if a run exceeds `max_run` steps.
fn runs_through(
    bits: &Bits,
    invert: bool,
    px: i64,
    py: i64,
    dx: i64,
    dy: i64,
    max_run: usize,
) -> Option<([usize; 5], f64)> {
    if bits.at(px, py) == invert {
        return None;
    }
    let walk = |sign: i64, first: i64| -> Option<[usize; 3]> {
        let mut counts = [0usize; 3];
        let mut phase = 0;
        let mut s = first;
        while phase < 3 {
            let dark = bits.at(px + sign * s * dx, py + sign * s * dy) != invert;
            if dark == (phase != 1) {
                counts[phase] += 1;
                if counts[phase] > max_run {
                    return None;
                }
                s += 1;
            } else {
                phase += 1;
            }
        }
        Some(counts)
    };
    let back = walk(-1, 0)?;
    let fwd = walk(1, 1)?;
    let counts = [back[2], back[1], back[0] + fwd[0], fwd[1], fwd[2]];
    Some((counts, 1.0 + (fwd[0] as f64 - back[0] as f64) / 2.0))
}

/// Binarised edges land on whole pixels, so a one-module run may be a pixel
/// longer or shorter than the grid says; at 1-3 px a module that alone can
/// exceed the relative tolerance. The confirming column and row cuts allow
/// this much more (the row scan, which proposes candidates, does not, so
/// clutter does not propose more of them).
const EDGE_SLACK: f64 = 0.5;

/// Confirms a row hit centred at `cx` on row `y`: a column cut, a second row
/// cut at the column's centre, then a diagonal cut must all show the pattern.
fn confirm(bits: &Bits, invert: bool, cx: f64, y: usize, row_total: usize) -> Option<Finder> {
    let max_run = row_total.max(4);
    let px = cx as i64;
    let (v, voff) = runs_through(bits, invert, px, y as i64, 0, 1, max_run)?;
    ratio(v, 0.5, EDGE_SLACK)?;
    let v_total: usize = v.iter().sum();
    if v_total * 2 < row_total || v_total > row_total * 2 {
        return None;
    }
    let cy = y as f64 + voff;
    let (h, hoff) = runs_through(bits, invert, px, cy as i64, 1, 0, max_run)?;
    ratio(h, 0.5, EDGE_SLACK)?;
    let cx = px as f64 + hoff;
    let h_total: usize = h.iter().sum();
    let (d, _) = runs_through(bits, invert, cx as i64, cy as i64, 1, 1, max_run)?;
    ratio(d, 0.75, 0.0)?;
    Some(Finder {
        c: Pt::new(cx, cy),
        module: (h_total + v_total) as f64 / 14.0,
        hits: 1,
    })
}

/// All finder patterns in the image, most-confirmed first: `[0]` dark on
/// light, `[1]` light on dark (inverted codes), from one pass over every
/// `row_step`-th row.
pub(crate) fn find(bits: &Bits, row_step: usize) -> [Vec<Finder>; 2] {
    let mut found: [Vec<Finder>; 2] = [Vec::new(), Vec::new()];
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for y in (0..bits.height).step_by(row_step.max(1)) {
        let row = bits.row(y);
        row_runs(row, &mut runs);
        // Runs alternate; run i is dark when i has the parity of the first.
        let first_light = usize::from(row.first().is_some_and(|&d| d == 0));
        for i in 0..runs.len().saturating_sub(4) {
            let c = [
                runs[i].1,
                runs[i + 1].1,
                runs[i + 2].1,
                runs[i + 3].1,
                runs[i + 4].1,
            ];
            if ratio(c, 0.5, 0.0).is_some() {
                let invert = i % 2 != first_light;
                let cx = runs[i + 2].0 as f64 + runs[i + 2].1 as f64 / 2.0;
                if let Some(f) = confirm(bits, invert, cx, y, c.iter().sum()) {
                    merge(&mut found[usize::from(invert)], f);
                }
            }
        }
    }
    for f in &mut found {
        f.sort_by_key(|g| std::cmp::Reverse(g.hits));
    }
    found
}

/// The runs of equal pixels in a row of 0/1 bytes, as (start, length):
/// eight pixels compared at a time, the first difference found from the
/// lowest differing byte.
fn row_runs(row: &[u8], runs: &mut Vec<(usize, usize)>) {
    runs.clear();
    let w = row.len();
    let mut start = 0;
    while let Some(&cur) = row.get(start) {
        let pattern = u64::from_le_bytes([cur; 8]);
        let mut x = start + 1;
        loop {
            match row.get(x..x + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
                Some(chunk) => {
                    let diff = u64::from_le_bytes(chunk) ^ pattern;
                    if diff != 0 {
                        x += (diff.trailing_zeros() / 8) as usize;
                        break;
                    }
                    x += 8;
                }
                None => {
                    while row.get(x) == Some(&cur) {
                        x += 1;
                    }
                    break;
                }
            }
        }
        runs.push((start, x - start));
        start = x.min(w);
    }
}

/// Most distinct finders kept per polarity. A card's picture has a few
/// dozen finder-like spots at most; a picture of repeating clutter (a
/// fuzzer's favourite) can have thousands, and every hit is compared with
/// every finder kept.
const MAX_FINDERS: usize = 2048;

/// Adds a confirmed hit to the finder it belongs to, or as a new one.
fn merge(found: &mut Vec<Finder>, f: Finder) {
    for g in found.iter_mut() {
        let m = g.module.max(f.module);
        let (dx, dy) = (g.c.x - f.c.x, g.c.y - f.c.y);
        let reach = 1.5 * m;
        // Squared distances: this runs for every hit against every finder.
        if dx.abs() <= reach
            && dy.abs() <= reach
            && dx * dx + dy * dy <= reach * reach
            && g.module.max(f.module) <= 1.6 * g.module.min(f.module)
        {
            let (a, b) = (f64::from(g.hits), 1.0);
            g.c = Pt::new(
                (g.c.x * a + f.c.x * b) / (a + b),
                (g.c.y * a + f.c.y * b) / (a + b),
            );
            g.module = (g.module * a + f.module * b) / (a + b);
            g.hits += 1;
            return;
        }
    }
    if found.len() < MAX_FINDERS {
        found.push(f);
    }
}

/// Three finders as they sit in a code: top-left (the corner), top-right,
/// bottom-left, in the code's own orientation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Triple {
    pub tl: Finder,
    pub tr: Finder,
    pub bl: Finder,
    /// Lower is more square-like.
    pub badness: f64,
}

/// Triples of finders that could be one code's corners, most plausible first.
/// `limit` bounds how many finders are combined.
pub(crate) fn triples(finders: &[Finder], limit: usize) -> Vec<Triple> {
    let fs = &finders[..finders.len().min(limit)];
    let mut out = Vec::new();
    for i in 0..fs.len() {
        for j in i + 1..fs.len() {
            for k in j + 1..fs.len() {
                if let Some(t) = arrange(fs[i], fs[j], fs[k]) {
                    out.push(t);
                }
            }
        }
    }
    out.sort_by(|a, b| a.badness.total_cmp(&b.badness));
    out
}

/// Triples completed from pairs: where only two of a code's finders were
/// found (the third worn, in glare, or its outer ring merged into clutter
/// next to it), the third sits at one of six places the pair fixes (the
/// pair a side of the square, with the corner at either end and the code on
/// either side; or the diagonal). A place counts when the finder's rings
/// read there, module by module, along the pair's axes (`module_along`
/// gives the module size across a finder towards another). Only the first
/// `limit` finders confirmed by more than one scan row are paired (a lone
/// finder-like spot in clutter is confirmed once), and at most four
/// triples come back.
pub(crate) fn completed(
    bits: &Bits,
    finders: &[Finder],
    limit: usize,
    module_along: impl Fn(&Finder, Pt) -> Option<f64>,
) -> Vec<Triple> {
    let fs: Vec<Finder> = finders
        .iter()
        .filter(|f| f.hits >= 2)
        .take(limit)
        .copied()
        .collect();
    let mut out = Vec::new();
    for (i, &a) in fs.iter().enumerate() {
        for &b in &fs[i + 1..] {
            if a.module.max(b.module) > 1.6 * a.module.min(b.module) {
                continue;
            }
            let (Some(ma), Some(mb)) = (module_along(&a, b.c), module_along(&b, a.c)) else {
                continue;
            };
            let m = (ma + mb) / 2.0;
            let w = b.c.sub(a.c);
            let d = w.len() / m;
            if !(14.0..=240.0).contains(&d) {
                continue;
            }
            let perp = Pt::new(-w.y, w.x);
            let mid = a.c.add(w.scale(0.5));
            let places = [
                a.c.add(perp),
                a.c.sub(perp),
                b.c.add(perp),
                b.c.sub(perp),
                mid.add(perp.scale(0.5)),
                mid.sub(perp.scale(0.5)),
            ];
            let (u, v) = (w.scale(m / w.len()), perp.scale(m / w.len()));
            for p in places {
                let margin = 3.5 * m;
                if p.x < margin
                    || p.y < margin
                    || p.x > bits.width as f64 - margin
                    || p.y > bits.height as f64 - margin
                {
                    continue;
                }
                let Some(c) = finder_at(bits, p, u, v) else {
                    continue;
                };
                let third = Finder {
                    c,
                    module: (a.module + b.module) / 2.0,
                    hits: 0,
                };
                if fs.iter().any(|f| f.c.dist(c) < 3.0 * m) {
                    continue;
                }
                if let Some(t) = arrange(a, b, third) {
                    out.push(t);
                }
            }
        }
    }
    out.sort_by(|a, b| a.badness.total_cmp(&b.badness));
    out.truncate(4);
    out
}

/// The best-reading finder centre within a module of `p`, module axes `u`
/// and `v`: stone, light ring and dark ring along both axes and the
/// diagonals, at most two of the 21 points off.
fn finder_at(bits: &Bits, p: Pt, u: Pt, v: Pt) -> Option<Pt> {
    const POINTS: [(i8, i8, bool); 21] = [
        (0, 0, true),
        (1, 0, true),
        (-1, 0, true),
        (0, 1, true),
        (0, -1, true),
        (2, 0, false),
        (-2, 0, false),
        (0, 2, false),
        (0, -2, false),
        (2, 2, false),
        (2, -2, false),
        (-2, 2, false),
        (-2, -2, false),
        (3, 0, true),
        (-3, 0, true),
        (0, 3, true),
        (0, -3, true),
        (3, 3, true),
        (3, -3, true),
        (-3, 3, true),
        (-3, -3, true),
    ];
    let score = |c: Pt| {
        POINTS
            .iter()
            .filter(|&&(i, j, dark)| {
                let q = c.add(u.scale(f64::from(i))).add(v.scale(f64::from(j)));
                bits.at_point(q.x, q.y) == dark
            })
            .count()
    };
    let mut best: Option<(usize, Pt)> = None;
    for j in -2i8..=2 {
        for i in -2i8..=2 {
            let c = p
                .add(u.scale(f64::from(i) * 0.5))
                .add(v.scale(f64::from(j) * 0.5));
            let s = score(c);
            if best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, c));
            }
        }
    }
    best.filter(|&(s, _)| s + 2 >= POINTS.len()).map(|(_, c)| c)
}

fn arrange(a: Finder, b: Finder, c: Finder) -> Option<Triple> {
    let (mmin, mmax) = (
        a.module.min(b.module).min(c.module),
        a.module.max(b.module).max(c.module),
    );
    if mmax > 2.5 * mmin {
        return None;
    }
    // The corner is opposite the longest side.
    let (ab, bc, ca) = (a.c.dist(b.c), b.c.dist(c.c), c.c.dist(a.c));
    let (corner, p, q) = if bc >= ab && bc >= ca {
        (a, b, c)
    } else if ca >= ab && ca >= bc {
        (b, c, a)
    } else {
        (c, a, b)
    };
    let (u, v) = (p.c.sub(corner.c), q.c.sub(corner.c));
    let (lu, lv) = (u.len(), v.len());
    if lu.min(lv) < 1.0 {
        return None;
    }
    // Legs of a square seen in perspective: similar lengths, near-right angle.
    let leg_ratio = lu.max(lv) / lu.min(lv);
    let cos = u.dot(v) / (lu * lv);
    if leg_ratio > 2.0 || cos.abs() > 0.5 {
        return None;
    }
    // At least a version 1 code between them (14 modules centre to centre),
    // at most a version 40 (170).
    let modules = (lu + lv) / 2.0 / mmin.min(mmax);
    if modules < 7.0 || (lu + lv) / 2.0 / mmax > 200.0 {
        return None;
    }
    let (tr, bl) = if u.cross(v) > 0.0 { (p, q) } else { (q, p) };
    let badness = leg_ratio.ln() + cos.abs() + (mmax / mmin).ln();
    Some(Triple {
        tl: corner,
        tr,
        bl,
        badness,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finders_are_merged_by_distance_and_capped() {
        let at = |x: f64, y: f64| Finder {
            c: Pt::new(x, y),
            module: 2.0,
            hits: 1,
        };
        let mut found = Vec::new();
        merge(&mut found, at(10.0, 10.0));
        // Within 1.5 modules (3 px): the same finder, its centre averaged.
        merge(&mut found, at(12.0, 11.0));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].hits, 2);
        assert!((found[0].c.x - 11.0).abs() < 1e-9);
        // 3.2 px away diagonally but under 3 px on each axis: another one.
        merge(&mut found, at(13.3, 13.3));
        assert_eq!(found.len(), 2);
        // Clutter: thousands of distinct spots stop at the cap.
        for i in 0..(MAX_FINDERS + 500) {
            merge(
                &mut found,
                at(
                    100.0 + 10.0 * (i % 100) as f64,
                    100.0 + 10.0 * (i / 100) as f64,
                ),
            );
        }
        assert_eq!(found.len(), MAX_FINDERS);
    }

    #[test]
    fn row_runs_match_a_plain_scan() {
        let mut seed = 5u64;
        let mut runs = Vec::new();
        for len in [0usize, 1, 7, 8, 9, 17, 100, 333] {
            for density in [2u64, 5, 40] {
                let row: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        u8::from((seed >> 33).is_multiple_of(density))
                    })
                    .collect();
                let mut want = Vec::new();
                let mut start = 0;
                for x in 1..=len {
                    if x == len || row[x] != row[start] {
                        want.push((start, x - start));
                        start = x;
                    }
                }
                row_runs(&row, &mut runs);
                assert_eq!(runs, want, "len {len}");
            }
        }
    }

    #[test]
    fn ratio_accepts_one_one_three_one_one() {
        assert!(ratio([2, 2, 6, 2, 2], 0.5, 0.0).is_some());
        assert!(ratio([3, 2, 7, 2, 3], 0.5, 0.0).is_some());
        assert!(ratio([2, 2, 2, 2, 2], 0.5, 0.0).is_none());
        assert!(ratio([1, 1, 1, 1, 1], 0.5, 0.0).is_none());
        // Small modules: a ring run a pixel short still counts.
        assert!(ratio([2, 2, 6, 1, 3], 0.5, 0.0).is_none());
        assert!(ratio([2, 2, 6, 1, 3], 0.5, EDGE_SLACK).is_some());
    }
}
