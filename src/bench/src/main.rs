//! `bench-decode`: QR decoding over the shared samples, native and wasm.
//!
//! For every image in `qr-samples/manifest.tsv` (already luma, in memory) it
//! times `yanzheng_qr::decode_luma` and, as the reference, rqrr 0.11
//! as-is; then the same on 1280x720 frames (each photo placed on a cluttered
//! background, plus frames with no code). With `--wasm DIR` (the
//! `wasm-bindgen --target nodejs` output of `src/bench/wasm`) it runs both
//! decoders again compiled to wasm under node, timing in JS.
//!
//! ```text
//! bench-decode [--wasm DIR | --no-wasm] [--only PREFIX] [--no-frames]
//!              [--no-reference] [--dump FILE.tsv]
//! ```
//! The samples folder is `$YANZHENG_SHARED/qr-samples`, else the first
//! `shared/qr-samples` walking up from the current directory, else
//! `/work/shared/qr-samples`.
//!
//! With frames on, it also decodes the inputs the `qr_image` fuzz target
//! found slow (`tests/fuzz/regressions/qr_image/`: a 4-byte size, then
//! pixels repeated to fill it, as the target reads them), at their own size
//! and repeated over a 1280x720 frame: no code in them, only the time they
//! cost.

mod frames;
mod report;
mod samples;
mod wasm;

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::Instant;

use report::{Judged, Outcome};
use samples::{is_photo, Luma, Sample};

/// Frames with no code in them.
const EMPTY_FRAMES: u64 = 40;

/// One image to decode and how to judge it.
pub struct Case<'a> {
    pub group: String,
    pub label: String,
    pub image: Luma,
    /// The sample whose answer is expected; `None` for a frame with no code.
    pub sample: Option<&'a Sample>,
}

struct Options {
    wasm: Option<PathBuf>,
    only: Option<String>,
    frames: bool,
    reference: bool,
    dump: Option<PathBuf>,
    no_wasm: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        wasm: None,
        only: None,
        frames: true,
        reference: true,
        dump: None,
        no_wasm: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--wasm" => o.wasm = Some(args.next().ok_or("--wasm needs a directory")?.into()),
            "--only" => o.only = Some(args.next().ok_or("--only needs a folder prefix")?),
            "--dump" => o.dump = Some(args.next().ok_or("--dump needs a file")?.into()),
            "--no-frames" => o.frames = false,
            "--no-reference" => o.reference = false,
            "--no-wasm" => o.no_wasm = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.no_wasm {
        o.wasm = None;
    } else if o.wasm.is_none() {
        let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("wasm/pkg");
        if default.join(wasm::GLUE).is_file() {
            o.wasm = Some(default);
        }
    }
    Ok(o)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench-decode: {e}");
            std::process::exit(2);
        }
    };
    let dir = samples::samples_dir();
    let samples = match samples::load(&dir, opts.only.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("bench-decode: {e}");
            std::process::exit(1);
        }
    };
    println!("samples: {} images from {}", samples.len(), dir.display());

    let mut cases: Vec<Case> = samples
        .iter()
        .map(|s| Case {
            group: s.category.clone(),
            label: s.path.clone(),
            image: s.image.clone(),
            sample: Some(s),
        })
        .collect();
    if opts.frames {
        for (i, s) in samples.iter().filter(|s| is_photo(&s.category)).enumerate() {
            cases.push(Case {
                group: "frames-1280x720/with-code".into(),
                label: format!("frame:{}", s.path),
                image: frames::with_photo(&s.image, i as u64 + 1),
                sample: Some(s),
            });
        }
        for (label, image) in fuzz_found_slow() {
            let frame = Luma {
                width: 1280,
                height: 720,
                pixels: image
                    .pixels
                    .iter()
                    .copied()
                    .cycle()
                    .take(1280 * 720)
                    .collect(),
            };
            cases.push(Case {
                group: "hostile/fuzz-found-slow".into(),
                label: label.clone(),
                image,
                sample: None,
            });
            cases.push(Case {
                group: "hostile/fuzz-found-slow-1280x720".into(),
                label: format!("frame:{label}"),
                image: frame,
                sample: None,
            });
        }
        for i in 0..EMPTY_FRAMES {
            cases.push(Case {
                group: "frames-1280x720/no-code".into(),
                label: format!("frame:empty-{i}"),
                image: frames::without_code(1000 + i),
                sample: None,
            });
        }
    }

    let pipeline: Vec<Outcome> = cases
        .iter()
        .map(|c| run_native(&c.image, pipeline))
        .collect();
    report_all("native: yanzheng_qr::decode_luma", &cases, &pipeline);
    if let Some(path) = &opts.dump {
        if let Err(e) = dump(path, &cases, &pipeline) {
            eprintln!("bench-decode: {}: {e}", path.display());
        }
    }
    if opts.reference {
        // rqrr panics on some images; the panic is caught and counted, and
        // its message would only clutter the tables.
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let reference: Vec<Outcome> = cases
            .iter()
            .map(|c| run_native(&c.image, rqrr_as_is))
            .collect();
        std::panic::set_hook(default_hook);
        report_all("native: rqrr 0.11 as-is (reference)", &cases, &reference);
    }
    if let Some(pkg) = &opts.wasm {
        let modes: &[&str] = if opts.reference {
            &["pipeline", "rqrr"]
        } else {
            &["pipeline"]
        };
        for mode in modes {
            match wasm::run(pkg, &cases, mode) {
                Ok(outcomes) => report_all(
                    &format!("wasm (node {}): {mode}", wasm::node_version()),
                    &cases,
                    &outcomes,
                ),
                Err(e) => eprintln!("bench-decode: wasm {mode}: {e}"),
            }
        }
    } else {
        println!("\n(wasm skipped: build src/bench/wasm and pass --wasm DIR)");
    }
}

/// The `qr_image` fuzz target's slow finds, as the target reads them.
fn fuzz_found_slow() -> Vec<(String, Luma)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz/regressions/qr_image");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Luma)> = entries
        .filter_map(Result::ok)
        // The slow finds; the crash-* ones (rqrr panics, contained natively,
        // fatal to a wasm instance) are for tests/tests/fuzz_regressions.rs.
        .filter(|e| e.file_name().to_string_lossy().starts_with("slow-unit-"))
        .filter_map(|e| {
            let data = std::fs::read(e.path()).ok()?;
            let (size, pixels) = data.split_first_chunk::<4>()?;
            let width = usize::from(u16::from_le_bytes([size[0], size[1]]) % 321);
            let height = usize::from(u16::from_le_bytes([size[2], size[3]]) % 321);
            if pixels.is_empty() || width * height == 0 {
                return None;
            }
            let pixels = pixels
                .iter()
                .copied()
                .cycle()
                .take(width * height)
                .collect();
            let label = format!("fuzz:{}", e.file_name().to_string_lossy());
            Some((
                label,
                Luma {
                    width,
                    height,
                    pixels,
                },
            ))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn pipeline(img: &Luma) -> Vec<Vec<u8>> {
    match yanzheng_qr::decode_luma(img.width, img.height, &img.pixels) {
        Ok(codes) => codes.into_iter().map(|c| c.bytes).collect(),
        Err(_) => Vec::new(),
    }
}

/// rqrr 0.11 the way the project used it at first: detect, then decode each
/// grid to bytes.
fn rqrr_as_is(img: &Luma) -> Vec<Vec<u8>> {
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(img.width, img.height, |x, y| {
            img.pixels[y * img.width + x]
        });
    let mut out = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        if grid.decode_to(&mut bytes).is_ok() {
            out.push(bytes);
        }
    }
    out
}

fn run_native(img: &Luma, decode: fn(&Luma) -> Vec<Vec<u8>>) -> Outcome {
    let start = Instant::now();
    let payloads = catch_unwind(AssertUnwindSafe(|| decode(img))).ok();
    Outcome {
        ms: start.elapsed().as_secs_f64() * 1000.0,
        payloads,
    }
}

fn judge(case: &Case, outcome: &Outcome) -> Judged {
    let payloads = outcome.payloads.as_deref().unwrap_or(&[]);
    let (read, mismatched) = match case.sample {
        Some(s) => (
            payloads.iter().any(|p| samples::matches(s, p)),
            payloads.iter().any(|p| !samples::matches(s, p)),
        ),
        None => (false, !payloads.is_empty()),
    };
    // The pipeline returns every distinct code it reads, and an image may
    // hold more than one (qrcode-2/16 and zxing-java-qrcode-2/16 are the same
    // nested pair, each manifest expecting a different one of the two). So:
    // read = some returned code matches the expected text; wrong = codes
    // were returned and none matches; "other" = a match plus a second,
    // different code, counted and printed so extra codes stay visible.
    Judged {
        group: case.group.clone(),
        ms: outcome.ms,
        read,
        wrong: mismatched && !read,
        other: mismatched && read,
        crashed: outcome.payloads.is_none(),
    }
}

fn report_all(title: &str, cases: &[Case], outcomes: &[Outcome]) {
    let judged: Vec<Judged> = cases
        .iter()
        .zip(outcomes)
        .map(|(c, o)| judge(c, o))
        .collect();
    let photos = |g: &str| is_photo(g);
    let all = |g: &str| !g.starts_with("frames") && !g.starts_with("hostile");
    report::print_table(
        title,
        &judged,
        &[("photos", &photos), ("all samples", &all)],
    );
}

fn dump(path: &std::path::Path, cases: &[Case], outcomes: &[Outcome]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "label\tgroup\tread\twrong\tother\tms")?;
    for (c, o) in cases.iter().zip(outcomes) {
        let j = judge(c, o);
        writeln!(
            f,
            "{}\t{}\t{}\t{}\t{}\t{:.3}",
            c.label, c.group, j.read, j.wrong, j.other, o.ms
        )?;
    }
    Ok(())
}
