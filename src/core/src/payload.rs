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
