//! # yanzheng-decoder
//!
//! The QR decoder of the verification widget, as a wasm module of its own:
//! `www/decoder-worker.js` loads it in a Web Worker and calls
//! [`decode_rgba`] for each camera frame or photo. It is built for speed
//! (`profile.wasm-decoder`, opt-level 3) while the page's module is built
//! for size, and the page downloads it after its first screen (when idle,
//! or at the first scan).
//!
//! A decoder panic aborts this module's instance only; the worker reports
//! it and the page starts a fresh worker (`src/widget`,
//! `platform::web::decoder`). No verification happens here: the page
//! verifies what this module read.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use yanzheng_core::payload::PREFIX;
pub use yanzheng_core::scan::ImageOutcome as Outcome;
use yanzheng_qr::{decode_luma, rgba_to_luma, DecodedCode};

/// Finds the QR code to verify in an RGBA image (`width * height * 4`
/// bytes). If there are several, one in our format wins; otherwise the
/// first (a link or text is worth reporting).
pub fn find_payload(width: u32, height: u32, rgba: &[u8]) -> Outcome {
    let (w, h) = (width as usize, height as usize);
    if rgba.len() != w.saturating_mul(h).saturating_mul(4) {
        return Outcome::Unreadable {
            detail: "pixel buffer size does not match the image size".into(),
        };
    }
    let codes = match decode_luma(w, h, &rgba_to_luma(rgba)) {
        Ok(c) => c,
        Err(e) => {
            return Outcome::Unreadable {
                detail: e.to_string(),
            }
        }
    };
    let text_of = |c: &DecodedCode| {
        c.text
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(&c.bytes).into_owned())
    };
    codes
        .iter()
        .find(|c| c.text.as_deref().is_some_and(|t| t.starts_with(PREFIX)))
        .or(codes.first())
        .map_or(Outcome::NoCode, |c| Outcome::Found { text: text_of(c) })
}

/// In the decoder worker: one RGBA frame to `{kind: "found", text}`,
/// `{kind: "none"}` or `{kind: "unreadable", detail}`.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn decode_rgba(width: u32, height: u32, data: Vec<u8>) -> wasm_bindgen::JsValue {
    let o = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&o, &key.into(), &value.into());
    };
    let outcome = find_payload(width, height, &data);
    set(Outcome::KIND, outcome.kind());
    if let Some(value) = outcome.value() {
        set(Outcome::VALUE, value);
    }
    o.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as an RGBA image, 4 px per module with a 4-module quiet zone.
    fn rendered(text: &str) -> (u32, Vec<u8>) {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
            .expect("text fits a QR code");
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 8) * 4;
        let mut rgba = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
                let dark = mx < modules
                    && my < modules
                    && colors[my * modules + mx] == qrcode::Color::Dark;
                let v = if dark { 0 } else { 255 };
                rgba.extend_from_slice(&[v, v, v, 255]);
            }
        }
        (side as u32, rgba)
    }

    #[test]
    fn reads_a_rendered_code() {
        let (side, rgba) = rendered("YZ1:6BFOXN*TS0BFGN6N");
        assert_eq!(
            find_payload(side, side, &rgba),
            Outcome::Found {
                text: "YZ1:6BFOXN*TS0BFGN6N".into()
            }
        );
    }

    #[test]
    fn a_blank_image_has_no_code_and_a_short_buffer_is_unreadable() {
        assert_eq!(find_payload(64, 48, &[255; 64 * 48 * 4]), Outcome::NoCode);
        assert!(matches!(
            find_payload(64, 48, &[255; 10]),
            Outcome::Unreadable { .. }
        ));
        assert!(matches!(
            find_payload(u32::MAX, u32::MAX, &[]),
            Outcome::Unreadable { .. }
        ));
    }
}
