//! Points and the projective map from module coordinates (column, row; module
//! `(c, r)` covers `[c, c + 1) x [r, r + 1)`) to image coordinates.

/// A point in continuous image coordinates (pixel `i` covers `[i, i + 1)`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pt {
    pub x: f64,
    pub y: f64,
}

impl Pt {
    pub const fn new(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }

    pub fn dist(self, o: Pt) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }

    pub fn sub(self, o: Pt) -> Pt {
        Pt::new(self.x - o.x, self.y - o.y)
    }

    pub fn add(self, o: Pt) -> Pt {
        Pt::new(self.x + o.x, self.y + o.y)
    }

    pub fn scale(self, k: f64) -> Pt {
        Pt::new(self.x * k, self.y * k)
    }

    pub fn cross(self, o: Pt) -> f64 {
        self.x * o.y - self.y * o.x
    }

    pub fn dot(self, o: Pt) -> f64 {
        self.x * o.x + self.y * o.y
    }

    pub fn len(self) -> f64 {
        self.x.hypot(self.y)
    }
}

/// A homography: `(u, v)` module coordinates to image coordinates.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Homography {
    h: [f64; 8],
}

impl Homography {
    /// The least-squares homography taking each `from` point to its `to`
    /// point; `None` when the points are degenerate (fewer than four, or
    /// collinear). Coordinates are normalised first so the system stays well
    /// conditioned for any image or code size.
    pub fn fit(from: &[Pt], to: &[Pt]) -> Option<Homography> {
        if from.len() < 4 || from.len() != to.len() {
            return None;
        }
        let (nf, nt) = (Normaliser::of(from), Normaliser::of(to));
        let mut ata = [[0.0f64; 8]; 8];
        let mut atb = [0.0f64; 8];
        for (f, t) in from.iter().zip(to) {
            let (u, v) = nf.apply(*f);
            let (x, y) = nt.apply(*t);
            let rows = [
                ([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x),
                ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y),
            ];
            for (a, b) in rows {
                for i in 0..8 {
                    atb[i] += a[i] * b;
                    for j in 0..8 {
                        ata[i][j] += a[i] * a[j];
                    }
                }
            }
        }
        let h = solve8(ata, atb)?;
        // Undo the normalisation: H = Nt^-1 * Hn * Nf.
        let hn = [[h[0], h[1], h[2]], [h[3], h[4], h[5]], [h[6], h[7], 1.0]];
        let nf_m = [
            [nf.s, 0.0, -nf.s * nf.cx],
            [0.0, nf.s, -nf.s * nf.cy],
            [0.0, 0.0, 1.0],
        ];
        let nt_inv = [
            [1.0 / nt.s, 0.0, nt.cx],
            [0.0, 1.0 / nt.s, nt.cy],
            [0.0, 0.0, 1.0],
        ];
        let m = mul3(&nt_inv, &mul3(&hn, &nf_m));
        let w = m[2][2];
        if w.abs() < 1e-12 || !w.is_finite() {
            return None;
        }
        let out = Homography {
            h: [
                m[0][0] / w,
                m[0][1] / w,
                m[0][2] / w,
                m[1][0] / w,
                m[1][1] / w,
                m[1][2] / w,
                m[2][0] / w,
                m[2][1] / w,
            ],
        };
        out.h.iter().all(|v| v.is_finite()).then_some(out)
    }

    /// Image point of a module-coordinate point.
    #[inline]
    pub fn map(&self, u: f64, v: f64) -> Pt {
        let h = &self.h;
        let w = h[6] * u + h[7] * v + 1.0;
        let w = if w.abs() < 1e-9 { 1e-9 } else { w };
        Pt::new(
            (h[0] * u + h[1] * v + h[2]) / w,
            (h[3] * u + h[4] * v + h[5]) / w,
        )
    }
}

struct Normaliser {
    cx: f64,
    cy: f64,
    s: f64,
}

impl Normaliser {
    fn of(pts: &[Pt]) -> Normaliser {
        let n = pts.len() as f64;
        let cx = pts.iter().map(|p| p.x).sum::<f64>() / n;
        let cy = pts.iter().map(|p| p.y).sum::<f64>() / n;
        let spread = pts.iter().map(|p| (p.x - cx).hypot(p.y - cy)).sum::<f64>() / n;
        let s = if spread > 1e-9 {
            std::f64::consts::SQRT_2 / spread
        } else {
            1.0
        };
        Normaliser { cx, cy, s }
    }

    fn apply(&self, p: Pt) -> (f64, f64) {
        ((p.x - self.cx) * self.s, (p.y - self.cy) * self.s)
    }
}

fn mul3(a: &[[f64; 3]; 3], b: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            out[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    out
}

/// Gaussian elimination with partial pivoting.
fn solve8(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..8 {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; 8];
    for row in (0..8).rev() {
        let s: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_an_exact_perspective() {
        let from = [
            Pt::new(0.0, 0.0),
            Pt::new(10.0, 0.0),
            Pt::new(0.0, 10.0),
            Pt::new(10.0, 10.0),
        ];
        let to = [
            Pt::new(100.0, 50.0),
            Pt::new(300.0, 60.0),
            Pt::new(90.0, 240.0),
            Pt::new(280.0, 270.0),
        ];
        let h = Homography::fit(&from, &to).expect("four points in general position");
        for (f, t) in from.iter().zip(&to) {
            let p = h.map(f.x, f.y);
            assert!(p.dist(*t) < 1e-6, "{p:?} vs {t:?}");
        }
    }

    #[test]
    fn rejects_collinear_points() {
        let pts = [
            Pt::new(0.0, 0.0),
            Pt::new(1.0, 1.0),
            Pt::new(2.0, 2.0),
            Pt::new(3.0, 3.0),
        ];
        assert!(Homography::fit(&pts, &pts).is_none());
    }
}
