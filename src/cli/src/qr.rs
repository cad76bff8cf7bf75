//! QR images: drawing payload text as PNG/JPEG/WebP/SVG (`yanzheng qr`) and
//! reading codes back out of image files (`yanzheng decode`). Decoding itself
//! is core's ([`yanzheng_qr::decode_luma`]); this module only turns
//! files into luma buffers and back.

use std::path::{Path, PathBuf};

use clap::Args;
use image::{GrayImage, ImageFormat, Luma};
use qrcode::render::svg;
use qrcode::types::Color;
use qrcode::{EcLevel, QrCode, Version};
use serde_json::json;
use yanzheng_qr::{decode_luma, DecodedCode};

use crate::error::{CliError, CliResult, EXIT_FAILED, EXIT_OK, EXIT_USAGE};
use crate::files;
use crate::outln;

/// Pixels per module in raster images.
pub const MODULE_PX: u32 = 8;
/// Light modules around the code, as the QR standard asks.
pub const QUIET_ZONE: u32 = 4;
/// Largest QR version a certificate should need (design.md: a worn card must
/// still scan).
pub const MAX_COMFORTABLE_VERSION: i16 = 10;

/// A QR symbol for some text, at error-correction level M.
pub struct Symbol {
    code: QrCode,
}

impl Symbol {
    /// Encodes text (the encoder picks alphanumeric mode for payloads).
    pub fn new(text: &str) -> Result<Symbol, CliError> {
        QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map(|code| Symbol { code })
            .map_err(|e| CliError::usage(format!("cannot make a QR code of this text: {e}")))
    }

    /// The QR version (1-40).
    pub fn version(&self) -> i16 {
        match self.code.version() {
            Version::Normal(v) | Version::Micro(v) => v,
        }
    }

    /// Renders as a grey image: `MODULE_PX` pixels a module, quiet zone included.
    pub fn to_image(&self) -> GrayImage {
        let n = self.code.width() as u32;
        let colors = self.code.to_colors();
        let side = (n + 2 * QUIET_ZONE) * MODULE_PX;
        GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (x / MODULE_PX, y / MODULE_PX);
            let inside = (QUIET_ZONE..QUIET_ZONE + n).contains(&mx)
                && (QUIET_ZONE..QUIET_ZONE + n).contains(&my);
            let dark = inside
                && colors
                    .get(((my - QUIET_ZONE) * n + (mx - QUIET_ZONE)) as usize)
                    .is_some_and(|c| *c == Color::Dark);
            Luma([if dark { 0 } else { 255 }])
        })
    }

    /// Renders as SVG, same geometry as the raster image.
    pub fn to_svg(&self) -> String {
        self.code
            .render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(MODULE_PX, MODULE_PX)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build()
    }

    /// Writes the image; the format follows the extension (.png, .svg,
    /// .jpg/.jpeg, .webp).
    pub fn write(&self, path: &Path) -> Result<(), CliError> {
        let ext = files::extension(path).unwrap_or_default();
        let format = match ext.as_str() {
            "svg" => return files::write(path, self.to_svg().as_bytes()),
            "png" => ImageFormat::Png,
            "jpg" | "jpeg" => ImageFormat::Jpeg,
            "webp" => ImageFormat::WebP,
            _ => {
                return Err(CliError::usage(format!(
                    "{}: unknown image type `.{ext}`",
                    path.display()
                ))
                .hint("use a file name ending in .png, .svg, .jpg or .webp"))
            }
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        self.to_image()
            .write_to(&mut bytes, format)
            .map_err(|e| CliError::usage(format!("cannot encode {}: {e}", path.display())))?;
        files::write(path, bytes.get_ref())
    }

    /// A note for stderr when the code is larger than a worn card can carry.
    pub fn size_warning(&self) -> Option<String> {
        (self.version() > MAX_COMFORTABLE_VERSION).then(|| {
            format!(
                "warning: the QR code is version {} (above {MAX_COMFORTABLE_VERSION}); \
                 worn cards may not scan: shorten the name or employer",
                self.version()
            )
        })
    }
}

/// Reads an image file (PNG, JPEG or WebP) and decodes its QR codes.
pub fn decode_file(path: &Path) -> Result<Vec<DecodedCode>, CliError> {
    let bytes = files::read(path)?;
    let img = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CliError::io("read", path, &e))?
        .decode()
        .map_err(|e| {
            CliError::usage(format!("cannot read {} as an image: {e}", path.display()))
                .hint("PNG, JPEG and WebP images are supported")
        })?;
    let luma = img.to_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    decode_luma(w, h, luma.as_raw())
        .map_err(|e| CliError::usage(format!("cannot decode {}: {e}", path.display())))
}

/// Arguments of `qr`.
#[derive(Debug, Args)]
pub struct QrArgs {
    /// The text to encode (a YZ1: payload, or anything else); `-` reads
    /// standard input.
    payload: String,
    /// Image to write: .png, .svg, .jpg or .webp (level M, 4-module quiet
    /// zone, 8 px a module).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Runs `qr`.
pub fn run_qr(a: QrArgs) -> CliResult {
    let text = if a.payload == "-" {
        files::read_stdin()?.trim().to_string()
    } else {
        a.payload
    };
    let symbol = Symbol::new(&text)?;
    symbol.write(&a.out)?;
    if let Some(w) = symbol.size_warning() {
        eprintln!("{w}");
    }
    outln!(
        "wrote {} (QR version {}, level M)",
        a.out.display(),
        symbol.version()
    )?;
    Ok(EXIT_OK)
}

/// Arguments of `decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Image files (PNG, JPEG, WebP).
    #[arg(required = true)]
    images: Vec<PathBuf>,
    /// One JSON object per image and line:
    /// {"file", "codes": [{"text", "version"}], "error"}.
    #[arg(long)]
    json: bool,
}

/// Runs `decode`: exit 1 if an image held no code, 2 if one could not be read.
pub fn run_decode(a: DecodeArgs) -> CliResult {
    let mut exit = EXIT_OK;
    let many = a.images.len() > 1;
    for path in &a.images {
        let result = decode_file(path);
        let (codes, error) = match result {
            Ok(c) if c.is_empty() => {
                exit = exit.max(EXIT_FAILED);
                (c, Some("no QR code found".to_string()))
            }
            Ok(c) => (c, None),
            Err(e) => {
                exit = EXIT_USAGE;
                (Vec::new(), Some(e.message().to_string()))
            }
        };
        if a.json {
            let v = json!({
                "file": path.display().to_string(),
                "codes": codes.iter().map(|c| json!({
                    "text": c.text,
                    "version": c.version,
                })).collect::<Vec<_>>(),
                "error": error,
            });
            outln!("{v}")?;
            continue;
        }
        if let Some(e) = &error {
            eprintln!("{}: {e}", path.display());
        }
        for c in &codes {
            let text = c
                .text
                .clone()
                .unwrap_or_else(|| format!("(binary, {} bytes)", c.bytes.len()));
            if many {
                outln!("{}\t{text}", path.display())?;
            } else {
                outln!("{text}")?;
            }
        }
    }
    Ok(exit)
}
