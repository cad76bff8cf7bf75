//! The QR pipeline through its public entry point: codes rendered the way
//! cameras see them (rotated, in perspective, inverted, unevenly lit) must
//! decode, and no input, however odd, may panic.

use qrcode::{EcLevel, QrCode};
use yanzheng_qr::{decode_luma, QrError};

/// A fixed-seed generator (xorshift64*): the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Modules of a code at level M, `true` = dark.
fn modules(data: &[u8]) -> (usize, Vec<bool>) {
    let code = QrCode::with_error_correction_level(data, EcLevel::M).expect("encodable");
    let n = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    (n, dark)
}

/// Renders the code into a `w` x `h` image: `to_module` maps an image point
/// to module coordinates (quiet zone and beyond are light).
fn render(
    n: usize,
    dark: &[bool],
    w: usize,
    h: usize,
    to_module: impl Fn(f64, f64) -> (f64, f64),
) -> Vec<u8> {
    let mut out = vec![230u8; w * h];
    for y in 0..h {
        for x in 0..w {
            let (u, v) = to_module(x as f64 + 0.5, y as f64 + 0.5);
            if u >= 0.0
                && v >= 0.0
                && (u as usize) < n
                && (v as usize) < n
                && dark[v as usize * n + u as usize]
            {
                out[y * w + x] = 30;
            }
        }
    }
    out
}

fn texts(w: usize, h: usize, luma: &[u8]) -> Vec<Option<String>> {
    decode_luma(w, h, luma)
        .expect("valid dimensions")
        .into_iter()
        .map(|c| c.text)
        .collect()
}

const PAYLOAD: &str = "YZ1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE";

#[test]
fn reads_an_upright_code() {
    let (n, dark) = modules(PAYLOAD.as_bytes());
    let (w, h) = (300, 260);
    let img = render(n, &dark, w, h, |x, y| ((x - 40.0) / 5.0, (y - 30.0) / 5.0));
    assert_eq!(texts(w, h, &img), vec![Some(PAYLOAD.to_string())]);
}

#[test]
fn reads_a_rotated_code() {
    let (n, dark) = modules(PAYLOAD.as_bytes());
    let (w, h) = (320, 320);
    let (c, s) = (0.5f64.cos(), 0.5f64.sin());
    let img = render(n, &dark, w, h, |x, y| {
        let (dx, dy) = (x - 160.0, y - 160.0);
        (
            (c * dx + s * dy) / 5.0 + n as f64 / 2.0,
            (-s * dx + c * dy) / 5.0 + n as f64 / 2.0,
        )
    });
    assert_eq!(texts(w, h, &img), vec![Some(PAYLOAD.to_string())]);
}

#[test]
fn reads_a_code_in_perspective() {
    let (n, dark) = modules(PAYLOAD.as_bytes());
    let (w, h) = (360, 300);
    // Image to module coordinates: a projective map leaning the code back.
    let img = render(n, &dark, w, h, |x, y| {
        let d = 1.0 + 0.0012 * (y - 40.0);
        (
            (x - 60.0 - 0.25 * (y - 40.0)) / (5.5 / d) / d.powi(2),
            (y - 40.0) / 6.0 / d,
        )
    });
    assert_eq!(texts(w, h, &img), vec![Some(PAYLOAD.to_string())]);
}

#[test]
fn reads_an_inverted_code_under_uneven_light() {
    let (n, dark) = modules(PAYLOAD.as_bytes());
    let (w, h) = (300, 260);
    let mut img = render(n, &dark, w, h, |x, y| ((x - 40.0) / 5.0, (y - 30.0) / 5.0));
    for (i, p) in img.iter_mut().enumerate() {
        // Light modules on dark, with a shadow falling across from the left.
        let shade = 0.35 + 0.65 * (i % w) as f64 / w as f64;
        *p = ((255 - *p) as f64 * shade) as u8;
    }
    assert_eq!(texts(w, h, &img), vec![Some(PAYLOAD.to_string())]);
}

#[test]
fn keeps_bytes_of_a_payload_that_is_not_utf8() {
    // "検証" in Shift_JIS.
    let sjis = [0x8c, 0x9f, 0x8f, 0xd8];
    let (n, dark) = modules(&sjis);
    let (w, h) = (200, 200);
    let img = render(n, &dark, w, h, |x, y| ((x - 30.0) / 5.0, (y - 30.0) / 5.0));
    let codes = decode_luma(w, h, &img).expect("valid dimensions");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].bytes, sjis);
    assert_eq!(codes[0].text, None);
}

#[test]
fn rejects_bad_dimensions() {
    assert_eq!(decode_luma(10, 10, &[0; 99]), Err(QrError::BadDimensions));
    assert_eq!(decode_luma(usize::MAX, 2, &[]), Err(QrError::TooLarge));
    assert_eq!(decode_luma(0, 0, &[]), Ok(vec![]));
    assert_eq!(decode_luma(0, 5, &[]), Ok(vec![]));
}

/// Random sizes and contents, with finder-like squares and broken codes
/// strewn in so the later stages (triples, grids, rqrr) see garbage too.
/// Nothing may panic.
#[test]
fn survives_arbitrary_images() {
    let mut rng = Rng(0x5EED_CAFE);
    let (n, dark) = modules(PAYLOAD.as_bytes());
    for round in 0..400 {
        let (w, h) = match round % 6 {
            0 => (1 + rng.below(4), 1 + rng.below(400)),
            1 => (1 + rng.below(400), 1 + rng.below(4)),
            _ => (1 + rng.below(180), 1 + rng.below(180)),
        };
        let mut img: Vec<u8> = match round % 3 {
            0 => (0..w * h).map(|_| rng.next() as u8).collect(),
            1 => (0..w * h)
                .map(|_| if rng.below(2) == 0 { 0 } else { 255 })
                .collect(),
            _ => vec![rng.below(256) as u8; w * h],
        };
        // Finder-like squares at random scales.
        for _ in 0..rng.below(6) {
            let m = 1 + rng.below(6);
            let (x0, y0) = (rng.below(w), rng.below(h));
            for dy in 0..7 * m {
                for dx in 0..7 * m {
                    let (x, y) = (x0 + dx, y0 + dy);
                    if x < w && y < h {
                        let ring = (dx / m).abs_diff(3).max((dy / m).abs_diff(3));
                        img[y * w + x] = if ring == 2 { 255 } else { 0 };
                    }
                }
            }
        }
        // Sometimes a real code with part of it scrambled.
        if round % 4 == 0 && w > 60 && h > 60 {
            let scale = 1.0 + rng.below(3) as f64;
            let code = render(n, &dark, w, h, |x, y| (x / scale - 2.0, y / scale - 2.0));
            let cut = rng.below(w * h);
            img[..cut].copy_from_slice(&code[..cut]);
        }
        assert!(decode_luma(w, h, &img).is_ok(), "round {round}: {w}x{h}");
    }
}

#[test]
fn returns_every_code_in_the_image() {
    // Two codes side by side, the second at 1.9 px a module: both come back.
    let (n1, d1) = modules(PAYLOAD.as_bytes());
    let (n2, d2) = modules(b"second code");
    let (w, h) = (420, 220);
    let left = render(n1, &d1, w, h, |x, y| ((x - 20.0) / 4.0, (y - 20.0) / 4.0));
    let right = render(n2, &d2, w, h, |x, y| ((x - 260.0) / 1.9, (y - 60.0) / 1.9));
    let img: Vec<u8> = left.iter().zip(&right).map(|(&a, &b)| a.min(b)).collect();
    let mut got = texts(w, h, &img);
    got.sort();
    assert_eq!(
        got,
        vec![Some(PAYLOAD.to_string()), Some("second code".to_string())]
    );
}
