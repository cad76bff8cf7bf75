//! Ed25519 keys and signatures, with the checks the verifier relies on.
//!
//! Why `verify_strict` and the load-time key checks: plain Ed25519
//! verification (RFC 8032's cofactored or cofactorless equation, as libraries
//! differ) accepts signatures under *small-order* public keys and with
//! small-order `R` points. Such a key "verifies" signatures on messages its
//! holder never chose, so a trust list must never contain one, and a verifier
//! must not accept a signature whose `R` has small order. A *non-canonical*
//! key encoding (a `y` coordinate ≥ p) names the same point as its canonical
//! form, so one key would have two identities (two key ids). `verify_strict`
//! rejects small-order keys and `R`, and non-canonical `S` and `R`; we add the
//! canonical-encoding check for keys when they are loaded.

use core::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Length of a key id in bytes.
pub const KID_LEN: usize = 8;

/// A key id: the first 8 bytes of SHA-256 over the 32-byte public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kid(pub [u8; KID_LEN]);

impl Kid {
    /// The key id of a public key's bytes.
    pub fn of(public_key: &[u8; 32]) -> Kid {
        let digest = Sha256::digest(public_key);
        let mut k = [0u8; KID_LEN];
        k.copy_from_slice(&digest[..KID_LEN]);
        Kid(k)
    }

    /// From exactly 8 bytes.
    pub fn from_slice(b: &[u8]) -> Option<Kid> {
        <[u8; KID_LEN]>::try_from(b).ok().map(Kid)
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }
}

impl fmt::Debug for Kid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kid({})", self.to_hex())
    }
}

impl fmt::Display for Kid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl serde::Serialize for Kid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

/// Lowercase hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(H[usize::from(b >> 4)]));
        s.push(char::from(H[usize::from(b & 15)]));
    }
    s
}

/// Bytes from hex (either case); `None` if malformed.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let nib = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    };
    s.as_bytes()
        .chunks(2)
        .map(|p| Some(nib(p[0])? << 4 | nib(p[1])?))
        .collect()
}

/// Why public-key bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// Not 32 bytes.
    WrongLength,
    /// Not the encoding of a curve point.
    NotOnCurve,
    /// A point whose encoding is not the canonical one.
    NonCanonical,
    /// A small-order point: it would "verify" forged signatures.
    Weak,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyError::WrongLength => "public key is not 32 bytes",
            KeyError::NotOnCurve => "public key is not a curve point",
            KeyError::NonCanonical => "public key encoding is not canonical",
            KeyError::Weak => "public key has small order (weak)",
        })
    }
}

impl std::error::Error for KeyError {}

/// A signature did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadSignature;

impl fmt::Display for BadSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("signature does not verify")
    }
}

impl std::error::Error for BadSignature {}

/// A public key that passed the load-time checks (32 bytes, on the curve,
/// canonical, not of small order).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    kid: Kid,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", to_hex(self.key.as_bytes()))
    }
}

impl PublicKey {
    /// Loads a key, refusing anything but a canonical, full-order-safe point.
    pub fn from_bytes(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::WrongLength)?;
        let key = VerifyingKey::from_bytes(&arr).map_err(|_| KeyError::NotOnCurve)?;
        if key.to_edwards().compress().to_bytes() != arr {
            return Err(KeyError::NonCanonical);
        }
        if key.is_weak() {
            return Err(KeyError::Weak);
        }
        Ok(PublicKey {
            key,
            kid: Kid::of(&arr),
        })
    }

    /// The 32 encoded bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The key id.
    pub fn kid(&self) -> Kid {
        self.kid
    }

    /// Verifies a 64-byte signature over `message` with `verify_strict`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), BadSignature> {
        let sig = Signature::from_slice(signature).map_err(|_| BadSignature)?;
        self.key
            .verify_strict(message, &sig)
            .map_err(|_| BadSignature)
    }
}

/// An Ed25519 signing key. Signing is deterministic (RFC 8032), so core needs
/// no randomness: the issuer tool generates the 32-byte seed.
pub struct SecretKey(SigningKey);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(kid {})", self.public().kid())
    }
}

impl SecretKey {
    /// From a 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> SecretKey {
        SecretKey(SigningKey::from_bytes(seed))
    }

    /// The 32-byte seed (keep secret).
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        let key = self.0.verifying_key();
        PublicKey {
            kid: Kid::of(key.as_bytes()),
            key,
        }
    }

    /// Signs `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_tamper() {
        let sk = SecretKey::from_seed(&[7u8; 32]);
        let pk = sk.public();
        let sig = sk.sign(b"hello");
        assert_eq!(pk.verify(b"hello", &sig), Ok(()));
        assert_eq!(pk.verify(b"hellp", &sig), Err(BadSignature));
        assert_eq!(pk.verify(b"hello", &sig[..63]), Err(BadSignature));
    }

    #[test]
    fn weak_and_non_canonical_keys_refused() {
        // The identity point (small order).
        let mut id = [0u8; 32];
        id[0] = 1;
        assert_eq!(PublicKey::from_bytes(&id), Err(KeyError::Weak));
        // y = p + 1 is a non-canonical encoding of the identity's y = 1.
        let mut nc = [0xFFu8; 32];
        nc[0] = 0xEE;
        nc[31] = 0x7F;
        assert_eq!(PublicKey::from_bytes(&nc), Err(KeyError::NonCanonical));
        assert_eq!(
            PublicKey::from_bytes(&[1u8; 31]),
            Err(KeyError::WrongLength)
        );
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(
            from_hex(&to_hex(&[0, 1, 254, 255])),
            Some(vec![0, 1, 254, 255])
        );
        assert_eq!(from_hex("0g"), None);
    }
}
