//! The QR text: `YZ1:` followed by Base45 of a COSE_Sign1 over the
//! certificate's CBOR map.

use core::fmt;

use crate::base45::{self, Base45Error};
use crate::cert::{Certificate, FieldError, RecordError};
use crate::cose::{self, CoseError, Sign1, AAD_CERTIFICATE};
use crate::crypto::SecretKey;

/// Format name and version, the first characters of every payload.
pub const PREFIX: &str = "YZ1:";

/// The most characters a QR code can hold in alphanumeric mode (version 40,
/// level L). Longer text cannot have come from a QR code.
pub const MAX_TEXT_LEN: usize = 4296;

/// Upper bound on the CBOR certificate map, far above any valid record.
pub const MAX_RECORD_BYTES: usize = 1024;

/// Why payload text could not be read as a signed certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// Longer than any QR code can hold.
    TooLong {
        /// Characters in the input.
        len: usize,
    },
    /// `YZ` followed by a version this verifier does not know.
    UnsupportedVersion,
    /// The Base45 part is malformed.
    Base45(Base45Error),
    /// The COSE structure is malformed.
    Cose(CoseError),
    /// The certificate record is malformed.
    Record(RecordError),
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::TooLong { len } => {
                write!(
                    f,
                    "{len} characters is more than a QR code can hold ({MAX_TEXT_LEN})"
                )
            }
            PayloadError::UnsupportedVersion => f.write_str("unsupported format version"),
            PayloadError::Base45(e) => write!(f, "Base45: {e}"),
            PayloadError::Cose(e) => e.fmt(f),
            PayloadError::Record(e) => write!(f, "certificate record: {e}"),
        }
    }
}

impl std::error::Error for PayloadError {}

impl PayloadError {
    /// A short stable code for the reason (JSON, logs, tests).
    pub fn code(&self) -> &'static str {
        match self {
            PayloadError::TooLong { .. } => "too_long",
            PayloadError::UnsupportedVersion => "unsupported_version",
            PayloadError::Base45(_) => "base45",
            PayloadError::Cose(_) => "cose",
            PayloadError::Record(_) => "record",
        }
    }
}

/// A payload whose structure is valid; its signature is not checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPayload {
    /// The COSE structure (key id, signed bytes, signature).
    pub sign1: Sign1,
    /// The certificate the payload claims.
    pub certificate: Certificate,
}

/// Signs a certificate and returns the QR text.
pub fn encode(cert: &Certificate, key: &SecretKey) -> Result<String, FieldError> {
    let record = cert.to_cbor()?;
    Ok(encode_record(&record, key))
}

/// Signs already-encoded record bytes (used to build malformed test vectors).
pub fn encode_record(record: &[u8], key: &SecretKey) -> String {
    let signed = cose::sign(key, AAD_CERTIFICATE, record);
    format!("{PREFIX}{}", base45::encode(&signed))
}

/// Wraps COSE bytes as QR text without signing (test vectors).
pub fn wrap(cose_bytes: &[u8]) -> String {
    format!("{PREFIX}{}", base45::encode(cose_bytes))
}

/// Parses QR text that starts with `YZ`. Strict: exact prefix, Base45,
/// COSE_Sign1 and record rules; never panics.
pub fn parse(text: &str) -> Result<SignedPayload, PayloadError> {
    if text.len() > MAX_TEXT_LEN {
        return Err(PayloadError::TooLong { len: text.len() });
    }
    let body = text
        .strip_prefix(PREFIX)
        .ok_or(PayloadError::UnsupportedVersion)?;
    let bytes = base45::decode(body).map_err(PayloadError::Base45)?;
    let sign1 = cose::parse(&bytes, MAX_RECORD_BYTES).map_err(PayloadError::Cose)?;
    let certificate = Certificate::from_cbor(&sign1.payload).map_err(PayloadError::Record)?;
    Ok(SignedPayload { sign1, certificate })
}

/// Payload text as a person pasted it, made back into what the QR code
/// holds. What a chat app (WeChat's own scanner shows the text and lets it
/// be copied), a note or an e-mail puts around and inside it is taken out:
/// line breaks, tabs, zero-width characters and the byte-order mark, white
/// space at either end, a no-break space for a space, and a full-width
/// colon in the prefix (`YZ1：`). Base45 has a space of its own, so spaces
/// inside stay, unless the text does not parse
/// with them and does with each line trimmed (an app that indents wrapped
/// lines). The signature is checked on
/// the result, so no reading of a pasted text can make a forged card pass.
pub fn from_pasted(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\t' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .map(|c| if c == '\u{A0}' { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    let cleaned = match cleaned.strip_prefix("YZ1\u{FF1A}") {
        Some(rest) => format!("{PREFIX}{rest}"),
        None => cleaned.to_string(),
    };
    let lines = || cleaned.split(['\r', '\n']);
    let joined: String = lines().collect();
    if parse(&joined).is_ok() || !joined.contains(' ') {
        return joined;
    }
    let trimmed: String = lines().map(str::trim).collect();
    if parse(&trimmed).is_ok() {
        return trimmed;
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::tests::sample as sample_certificate;

    fn sample() -> String {
        let key = SecretKey::from_seed(&[7; 32]);
        encode(&sample_certificate(), &key).expect("encodes")
    }

    #[test]
    fn pasted_text_with_what_apps_add_reads_as_the_code() {
        let code = sample();
        assert!(parse(&code).is_ok());
        let wrapped: String = code
            .as_bytes()
            .chunks(37)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\r\n");
        let indented = wrapped.replace("\r\n", "\n  ");
        let cases = [
            code.clone(),
            format!("  {code}\n"),
            wrapped.clone(),
            format!("\u{FEFF}{}", wrapped.replace("\r\n", "\n")),
            indented,
            code.replacen(':', "\u{FF1A}", 1),
            format!("{}\u{200B}{}", &code[..20], &code[20..]),
        ];
        for (i, pasted) in cases.iter().enumerate() {
            assert_eq!(from_pasted(pasted), code, "case {i}: {pasted:?}");
        }
    }

    #[test]
    fn spaces_of_the_code_itself_are_kept() {
        // A code whose Base45 holds spaces parses as it is: nothing dropped.
        let key = SecretKey::from_seed(&[7; 32]);
        let mut cert = sample_certificate();
        let with_space = (0..200u64)
            .find_map(|id| {
                cert.cert_id = id;
                let c = encode(&cert, &key).ok()?;
                c[PREFIX.len()..].contains(' ').then_some(c)
            })
            .expect("some id gives a space in the Base45");
        assert_eq!(from_pasted(&with_space), with_space);
        assert_eq!(from_pasted(&format!("{with_space}\n")), with_space);
        // A no-break space where the code has a space.
        assert_eq!(from_pasted(&with_space.replace(' ', "\u{A0}")), with_space);
    }

    #[test]
    fn text_that_is_no_code_is_left_for_the_verdict() {
        assert_eq!(
            from_pasted(" https://example.cn/x \n"),
            "https://example.cn/x"
        );
        assert_eq!(from_pasted("YZ1:A B"), "YZ1:A B");
        assert_eq!(from_pasted(""), "");
    }
}
