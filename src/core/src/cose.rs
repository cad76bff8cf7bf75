//! COSE_Sign1 (RFC 9052 §4.2) with EdDSA, in the one encoding the format allows.
//!
//! ```text
//! COSE_Sign1 = #6.18([ protected: bstr .cbor {1: -8, 4: kid}, unprotected: {},
//!                      payload: bstr, signature: bstr .size 64 ])
//! ```
//! The protected header carries exactly the algorithm (EdDSA, -8) and the key
//! id; any other label, including `crit`, is refused, since we understand no
//! extension. The unprotected header must be empty so nothing unsigned can
//! steer verification. The external AAD of the signature structure names the
//! document type, so a signature over one kind of document can never be
//! replayed as another (see docs/format.md).

use core::fmt;

use crate::cbor::{CborError, Reader, Writer};
use crate::crypto::{Kid, SecretKey, KID_LEN};

/// COSE tag for COSE_Sign1.
pub const TAG_SIGN1: u64 = 18;
/// COSE algorithm identifier for EdDSA.
pub const ALG_EDDSA: i64 = -8;

/// External AAD for a certificate payload.
pub const AAD_CERTIFICATE: &[u8] = b"yanzheng certificate v1";
/// External AAD for a trust list.
pub const AAD_TRUST_LIST: &[u8] = b"yanzheng trust list v1";
/// External AAD for a full revocation list.
pub const AAD_REVOCATIONS: &[u8] = b"yanzheng revocation list v2";
/// External AAD for a root transition (the current root naming the next).
pub const AAD_ROOT_TRANSITION: &[u8] = b"yanzheng root transition v1";
/// External AAD for a revocation delta.
pub const AAD_REVOCATION_DELTA: &[u8] = b"yanzheng revocation delta v2";

/// Why a COSE_Sign1 structure was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoseError {
    /// Malformed or non-deterministic CBOR.
    Cbor(CborError),
    /// Not a tagged COSE_Sign1 array of four items.
    NotSign1,
    /// The algorithm is absent or not EdDSA.
    Algorithm,
    /// The key id is absent or not 8 bytes.
    KeyId,
    /// A `crit` header or any other label we do not understand.
    UnknownHeader(i64),
    /// The unprotected header is not empty.
    UnprotectedHeader,
    /// The signature is not 64 bytes.
    SignatureLength,
}

impl From<CborError> for CoseError {
    fn from(e: CborError) -> Self {
        CoseError::Cbor(e)
    }
}

impl fmt::Display for CoseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoseError::Cbor(e) => write!(f, "COSE: {e}"),
            CoseError::NotSign1 => f.write_str("not a tagged COSE_Sign1 structure"),
            CoseError::Algorithm => f.write_str("COSE algorithm is not EdDSA"),
            CoseError::KeyId => f.write_str("COSE key id missing or not 8 bytes"),
            CoseError::UnknownHeader(l) => write!(f, "COSE header label {l} is not understood"),
            CoseError::UnprotectedHeader => f.write_str("COSE unprotected header is not empty"),
            CoseError::SignatureLength => f.write_str("signature is not 64 bytes"),
        }
    }
}

impl std::error::Error for CoseError {}

/// A parsed COSE_Sign1 whose signature has not been checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sign1 {
    /// The serialized protected header (the bstr's contents).
    pub protected: Vec<u8>,
    /// The key id from the protected header.
    pub kid: Kid,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The signature.
    pub signature: [u8; 64],
}

fn protected_header(kid: &Kid) -> Vec<u8> {
    let mut w = Writer::new();
    w.map(2).uint(1).int(ALG_EDDSA).uint(4).bytes(&kid.0);
    w.into_bytes()
}

/// The bytes that are signed: `["Signature1", protected, external_aad, payload]`.
pub fn to_be_signed(protected: &[u8], external_aad: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.array(4)
        .text("Signature1")
        .bytes(protected)
        .bytes(external_aad)
        .bytes(payload);
    w.into_bytes()
}

/// Signs `payload` as a tagged COSE_Sign1 with key id `key.public().kid()`.
pub fn sign(key: &SecretKey, external_aad: &[u8], payload: &[u8]) -> Vec<u8> {
    let protected = protected_header(&key.public().kid());
    let signature = key.sign(&to_be_signed(&protected, external_aad, payload));
    let mut w = Writer::new();
    w.tag(TAG_SIGN1)
        .array(4)
        .bytes(&protected)
        .map(0)
        .bytes(payload)
        .bytes(&signature);
    w.into_bytes()
}

fn parse_protected(bytes: &[u8]) -> Result<Kid, CoseError> {
    let mut r = Reader::new(bytes);
    let n = r.map(8)?;
    let mut alg = None;
    let mut kid = None;
    let mut prev = None;
    for _ in 0..n {
        let label = r.key_after(prev)?;
        prev = Some(label);
        match label {
            1 => alg = Some(r.int()?),
            4 => kid = Some(Kid::from_slice(r.bytes(KID_LEN)?).ok_or(CoseError::KeyId)?),
            other => return Err(CoseError::UnknownHeader(other)),
        }
    }
    r.finish()?;
    if alg != Some(ALG_EDDSA) {
        return Err(CoseError::Algorithm);
    }
    kid.ok_or(CoseError::KeyId)
}

/// Parses a COSE_Sign1 strictly: tag 18, four items, the header rules above,
/// a 64-byte signature, no trailing bytes. `max_payload` bounds the payload.
pub fn parse(data: &[u8], max_payload: usize) -> Result<Sign1, CoseError> {
    let mut r = Reader::new(data);
    if !r.optional_tag(TAG_SIGN1)? {
        return Err(CoseError::NotSign1);
    }
    if r.array(4).map_err(|_| CoseError::NotSign1)? != 4 {
        return Err(CoseError::NotSign1);
    }
    let protected = r.bytes(64)?.to_vec();
    let kid = parse_protected(&protected)?;
    if r.map(0).map_err(|_| CoseError::UnprotectedHeader)? != 0 {
        return Err(CoseError::UnprotectedHeader);
    }
    let payload = r.bytes(max_payload)?.to_vec();
    let sig = r.bytes(64)?;
    let signature: [u8; 64] = sig.try_into().map_err(|_| CoseError::SignatureLength)?;
    r.finish()?;
    Ok(Sign1 {
        protected,
        kid,
        payload,
        signature,
    })
}

impl Sign1 {
    /// The bytes the signature covers, for this document type.
    pub fn to_be_signed(&self, external_aad: &[u8]) -> Vec<u8> {
        to_be_signed(&self.protected, external_aad, &self.payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_parse_verify() {
        let sk = SecretKey::from_seed(&[3u8; 32]);
        let bytes = sign(&sk, AAD_CERTIFICATE, b"\xa0");
        let s = parse(&bytes, 100).expect("parses");
        assert_eq!(s.kid, sk.public().kid());
        assert_eq!(s.payload, b"\xa0");
        assert!(sk
            .public()
            .verify(&s.to_be_signed(AAD_CERTIFICATE), &s.signature)
            .is_ok());
        // The same signature is worthless for another document type.
        assert!(sk
            .public()
            .verify(&s.to_be_signed(AAD_TRUST_LIST), &s.signature)
            .is_err());
    }

    #[test]
    fn untagged_and_trailing_refused() {
        let sk = SecretKey::from_seed(&[3u8; 32]);
        let bytes = sign(&sk, AAD_CERTIFICATE, b"\xa0");
        assert_eq!(parse(&bytes[1..], 100), Err(CoseError::NotSign1));
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(parse(&long, 100), Err(CoseError::Cbor(_))));
    }
}
