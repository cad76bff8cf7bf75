//! `qr-one [--frame] [--repeat N] FILE...`: decodes image files with the
//! pipeline and prints what it read and how long it took (a tool for looking
//! at single failures). `--frame` first places the image on a 1280x720
//! background, as `bench-decode` does.

use std::time::Instant;

#[path = "../frames.rs"]
#[allow(dead_code)]
mod frames;
#[path = "../samples.rs"]
#[allow(dead_code)]
mod samples;

fn main() {
    let mut frame = false;
    let mut repeat = 1usize;
    let mut args = std::env::args().skip(1);
    let mut paths = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--frame" => frame = true,
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            _ => paths.push(a),
        }
    }
    for path in paths {
        let img = match image::open(&path) {
            Ok(i) => i.to_luma8(),
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let mut luma = samples::Luma {
            width: img.width() as usize,
            height: img.height() as usize,
            pixels: img.into_raw(),
        };
        if frame {
            luma = frames::with_photo(&luma, 1);
        }
        let (w, h) = (luma.width, luma.height);
        let start = Instant::now();
        let mut result = Ok(Vec::new());
        for _ in 0..repeat.max(1) {
            result = yanzheng_qr::decode_luma(w, h, &luma.pixels);
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / repeat.max(1) as f64;
        match result {
            Ok(codes) if codes.is_empty() => println!("{path} ({w}x{h}): nothing, {ms:.2} ms"),
            Ok(codes) => {
                for c in codes {
                    let text = c
                        .text
                        .unwrap_or_else(|| format!("<{} bytes, not UTF-8>", c.bytes.len()));
                    let short: String = text.chars().take(60).collect();
                    println!("{path} ({w}x{h}): v{} {short:?}, {ms:.2} ms", c.version);
                }
            }
            Err(e) => println!("{path}: error {e}"),
        }
    }
}
