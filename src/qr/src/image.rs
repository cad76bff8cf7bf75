//! The two image shapes the pipeline works on: an 8-bit grey image (owned or
//! borrowed) and a binary image (dark or light per pixel).

/// A borrowed 8-bit luma image, row-major, `pixels.len() == width * height`.
#[derive(Clone, Copy)]
pub(crate) struct Gray<'a> {
    pub width: usize,
    pub height: usize,
    pub pixels: &'a [u8],
}

impl Gray<'_> {
    /// Averages each 2x2 block (the odd last row or column is dropped).
    pub fn half(&self) -> Vec<u8> {
        let (w, h) = (self.width / 2, self.height / 2);
        let mut out = Vec::with_capacity(w * h);
        for pair in self
            .pixels
            .chunks_exact(self.width.max(1))
            .take(2 * h)
            .collect::<Vec<_>>()
            .chunks_exact(2)
        {
            let [top, bottom] = pair else { continue };
            for (t, b) in top.chunks_exact(2).zip(bottom.chunks_exact(2)).take(w) {
                let s = t.iter().chain(b).map(|&p| u16::from(p)).sum::<u16>();
                out.push(((s + 2) / 4) as u8);
            }
        }
        out
    }

    /// Bilinear sample at a point in pixel coordinates (pixel `i` covers
    /// `[i, i + 1)`); points outside read as the nearest edge pixel.
    pub fn bilinear(&self, x: f64, y: f64) -> f64 {
        let fx = (x - 0.5).clamp(0.0, (self.width - 1) as f64);
        let fy = (y - 0.5).clamp(0.0, (self.height - 1) as f64);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (ax, ay) = (fx - x0 as f64, fy - y0 as f64);
        let p = |x: usize, y: usize| f64::from(self.pixels[y * self.width + x]);
        let top = p(x0, y0) * (1.0 - ax) + p(x1, y0) * ax;
        let bottom = p(x0, y1) * (1.0 - ax) + p(x1, y1) * ax;
        top * (1.0 - ay) + bottom * ay
    }
}

/// A binary image: `true` is dark (a QR module's ink).
#[derive(Clone)]
pub(crate) struct Bits {
    pub width: usize,
    pub height: usize,
    /// 1 = dark, 0 = light, row-major.
    pub dark: Vec<u8>,
}

impl Bits {
    /// Whether the pixel is dark; outside the image counts as light (the
    /// quiet zone a code should have).
    #[inline]
    pub fn at(&self, x: i64, y: i64) -> bool {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return false;
        }
        self.dark[y as usize * self.width + x as usize] != 0
    }

    /// The pixel containing a point in continuous coordinates.
    #[inline]
    pub fn at_point(&self, x: f64, y: f64) -> bool {
        // `as` truncates toward zero; anything below zero is outside anyway.
        if x < 0.0 || y < 0.0 {
            return false;
        }
        self.at(x as i64, y as i64)
    }

    /// Dark and light swapped (codes printed light on dark, phone screens in
    /// dark mode).
    pub fn inverted(&self) -> Bits {
        Bits {
            width: self.width,
            height: self.height,
            dark: self.dark.iter().map(|&d| d ^ 1).collect(),
        }
    }

    /// One row.
    #[inline]
    pub fn row(&self, y: usize) -> &[u8] {
        &self.dark[y * self.width..(y + 1) * self.width]
    }
}
