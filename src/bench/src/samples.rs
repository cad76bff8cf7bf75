//! The shared QR samples: finding the folder, reading the manifest, loading
//! each image as 8-bit luma, and judging a decoder's answer the way
//! `qr-samples/README.md` says (`exact`, `part`, `hc1`).

use std::fmt;
use std::path::{Path, PathBuf};

/// How a row's answer is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The text equals the expected file (UTF-8, or an ISO-8859-1, Shift_JIS
    /// or GB18030 reading of the bytes).
    Exact,
    /// A structured-append part: its text is a substring of the expected file.
    Part,
    /// `HC1:` + Base45 that zlib-inflates.
    Hc1,
}

/// One manifest row with its image already in memory.
pub struct Sample {
    /// Path relative to the samples folder.
    pub path: String,
    /// The folder (manifest `category`).
    pub category: String,
    pub check: Check,
    pub expected: Vec<u8>,
    pub image: Luma,
}

/// An 8-bit luma image.
#[derive(Clone)]
pub struct Luma {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// Whether the sample is a real phone photo (the README's 320).
pub fn is_photo(category: &str) -> bool {
    category.starts_with("qrcode-") || category.starts_with("zxing-java-qrcode-")
}

#[derive(Debug)]
pub struct LoadError(pub String);

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `qr-samples` folder: `$YANZHENG_SHARED/qr-samples`, else the first
/// `shared/qr-samples` found walking up from the current directory, else
/// `/work/shared/qr-samples`.
pub fn samples_dir() -> PathBuf {
    if let Some(shared) = std::env::var_os("YANZHENG_SHARED") {
        return PathBuf::from(shared).join("qr-samples");
    }
    if let Ok(mut dir) = std::env::current_dir() {
        loop {
            let candidate = dir.join("shared").join("qr-samples");
            if candidate.join("manifest.tsv").is_file() {
                return candidate;
            }
            if !dir.pop() {
                break;
            }
        }
    }
    PathBuf::from("/work/shared/qr-samples")
}

/// Reads the manifest and every image it names.
pub fn load(dir: &Path, only: Option<&str>) -> Result<Vec<Sample>, LoadError> {
    let manifest = dir.join("manifest.tsv");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| LoadError(format!("{}: {e}", manifest.display())))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [path, expected, category, check, ..] = cols[..] else {
            return Err(LoadError(format!(
                "manifest line {}: too few columns",
                n + 1
            )));
        };
        if only.is_some_and(|o| !category.starts_with(o)) {
            continue;
        }
        let check = match check {
            "exact" => Check::Exact,
            "part" => Check::Part,
            "hc1" => Check::Hc1,
            other => {
                return Err(LoadError(format!(
                    "manifest line {}: check `{other}`",
                    n + 1
                )))
            }
        };
        let expected =
            std::fs::read(dir.join(expected)).map_err(|e| LoadError(format!("{expected}: {e}")))?;
        let image = image::open(dir.join(path))
            .map_err(|e| LoadError(format!("{path}: {e}")))?
            .to_luma8();
        let (width, height) = (image.width() as usize, image.height() as usize);
        out.push(Sample {
            path: path.to_string(),
            category: category.to_string(),
            check,
            expected,
            image: Luma {
                width,
                height,
                pixels: image.into_raw(),
            },
        });
    }
    Ok(out)
}

/// Whether one decoded payload is the right answer for this sample.
pub fn matches(sample: &Sample, payload: &[u8]) -> bool {
    match sample.check {
        Check::Exact => readings(payload)
            .iter()
            .any(|t| t.as_bytes() == sample.expected),
        Check::Part => {
            let expected = String::from_utf8_lossy(&sample.expected);
            readings(payload)
                .iter()
                .any(|t| !t.is_empty() && expected.contains(t.as_str()))
        }
        Check::Hc1 => is_hc1(payload),
    }
}

/// The text readings README.md accepts: UTF-8, ISO-8859-1, Shift_JIS, GB18030.
fn readings(payload: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(t) = std::str::from_utf8(payload) {
        out.push(t.to_string());
    }
    out.push(payload.iter().map(|&b| char::from(b)).collect());
    for enc in [encoding_rs::SHIFT_JIS, encoding_rs::GB18030] {
        let (t, _, had_errors) = enc.decode(payload);
        if !had_errors {
            out.push(t.into_owned());
        }
    }
    out
}

fn is_hc1(payload: &[u8]) -> bool {
    use std::io::Read;
    let Some(rest) = payload.strip_prefix(b"HC1:") else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return false;
    };
    let Ok(zipped) = yanzheng_core::base45::decode(text) else {
        return false;
    };
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(zipped.as_slice())
        .read_to_end(&mut out)
        .is_ok()
}
