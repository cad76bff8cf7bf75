//! The payload-size bar of design.md: a typical special-operations
//! certificate (3-character name, one item) must fit a QR code of version 10
//! or lower at error-correction level M. Reproduce the figures in
//! docs/format.md with
//! `cargo test -p yanzheng-tests --test payload_size -- --nocapture`.

#![cfg(not(target_arch = "wasm32"))]

use qrcode::{EcLevel, QrCode, Version};
use yanzheng_core::{base45, payload, CertKind, Certificate, SecretKey};
use yanzheng_tests::generate;

/// Alphanumeric-mode capacity of a version-10 symbol at level M.
const MAX_CHARS_V10_M: usize = 311;

fn qr_version_m(text: &str) -> i16 {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).expect("fits some QR code");
    match code.version() {
        Version::Normal(v) => v,
        Version::Micro(v) => panic!("micro QR version {v}"),
    }
}

fn measure(what: &str, cert: &Certificate, text: &str) -> (usize, i16) {
    assert_eq!(cert.kind, CertKind::SpecialOperations, "{what}");
    assert_eq!(cert.name.chars().count(), 3, "{what}: 3-character name");
    assert!(cert.details.item.is_some(), "{what}: one item");
    let record = cert.to_cbor().expect("valid").len();
    let cose = base45::decode(&text[payload::PREFIX.len()..])
        .expect("decodes")
        .len();
    let version = qr_version_m(text);
    println!(
        "{what}: record {record} bytes, COSE_Sign1 {cose} bytes, text {} characters, \
         QR version {version} at level M",
        text.len()
    );
    assert!(
        text.len() <= MAX_CHARS_V10_M,
        "{what}: {} characters",
        text.len()
    );
    assert!(
        base45::is_qr_alphanumeric(text),
        "{what}: not all QR alphanumeric"
    );
    assert!(version <= 10, "{what}: needs QR version {version}");
    (text.len(), version)
}

#[test]
fn typical_special_operations_payload_fits_version_10_at_level_m() {
    let ex = generate::example();
    let (len, version) = measure("typical", &ex.certificate, &ex.text);
    // The figures docs/format.md states.
    assert_eq!((len, version), (247, 9), "update docs/format.md");
}

/// The same profile with every field at its largest encoding: a name of three
/// 4-byte (CJK Extension B) characters, an item code above 255, the largest
/// region code and a 64-bit certificate id.
#[test]
fn largest_special_operations_payload_fits_version_10_at_level_m() {
    let cert = Certificate {
        name: "𠀋𠀍𠀎".into(),
        region: 659_004,
        cert_id: u64::MAX,
        details: yanzheng_core::Details {
            category: Some(10),
            item: Some(1005),
            ..generate::example_certificate().details
        },
        ..generate::example_certificate()
    };
    let text = payload::encode(&cert, &SecretKey::from_seed(&generate::SHANGHAI_SEED))
        .expect("valid certificate");
    let (len, version) = measure("largest", &cert, &text);
    assert_eq!((len, version), (253, 9), "update docs/format.md");
}
