//! Base45 (RFC 9285): bytes as QR alphanumeric-mode characters.
//!
//! Strict decoding: every character must be in the 45-character alphabet, a
//! trailing single character is malformed, and a group whose value overflows
//! (e.g. `GGW` = 65 535 + 1) is rejected rather than wrapped.

use core::fmt;

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a Base45 string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Base45Error {
    /// A character outside the alphabet, at this byte offset.
    BadCharacter {
        /// Byte offset of the character in the input.
        offset: usize,
    },
    /// The input length leaves a single dangling character.
    BadLength,
    /// A group encodes a value too large for its bytes.
    Overflow {
        /// Byte offset of the group in the input.
        offset: usize,
    },
}

impl fmt::Display for Base45Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base45Error::BadCharacter { offset } => {
                write!(f, "character at offset {offset} is not Base45")
            }
            Base45Error::BadLength => write!(f, "Base45 text has a dangling character"),
            Base45Error::Overflow { offset } => {
                write!(f, "Base45 group at offset {offset} overflows")
            }
        }
    }
}

impl std::error::Error for Base45Error {}

/// Encodes bytes as Base45.
pub fn encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(2) * 3);
    let mut chunks = data.chunks_exact(2);
    for pair in &mut chunks {
        let mut n = (usize::from(pair[0]) << 8) | usize::from(pair[1]);
        for _ in 0..3 {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    if let [last] = chunks.remainder() {
        let mut n = usize::from(*last);
        for _ in 0..2 {
            out.push(char::from(ALPHABET[n % 45]));
            n /= 45;
        }
    }
    out
}

fn value_of(c: u8) -> Option<usize> {
    ALPHABET.iter().position(|&a| a == c)
}

/// Decodes Base45 text.
pub fn decode(text: &str) -> Result<Vec<u8>, Base45Error> {
    let bytes = text.as_bytes();
    if bytes.len() % 3 == 1 {
        return Err(Base45Error::BadLength);
    }
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for (group, chunk) in bytes.chunks(3).enumerate() {
        let offset = group * 3;
        let mut n = 0usize;
        for (i, &c) in chunk.iter().enumerate().rev() {
            let v = value_of(c).ok_or(Base45Error::BadCharacter { offset: offset + i })?;
            n = n * 45 + v;
        }
        if chunk.len() == 3 {
            if n > 0xFFFF {
                return Err(Base45Error::Overflow { offset });
            }
            out.push((n >> 8) as u8);
            out.push((n & 0xFF) as u8);
        } else {
            if n > 0xFF {
                return Err(Base45Error::Overflow { offset });
            }
            out.push(n as u8);
        }
    }
    Ok(out)
}

/// True if every character of `text` is in the QR alphanumeric set
/// (which is exactly the Base45 alphabet).
pub fn is_qr_alphanumeric(text: &str) -> bool {
    text.bytes().all(|c| value_of(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9285_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(decode("QED8WEX0").as_deref(), Ok(&b"ietf!"[..]));
    }

    #[test]
    fn rejects_bad_input() {
        assert_eq!(decode("GGW"), Err(Base45Error::Overflow { offset: 0 }));
        assert_eq!(decode("A"), Err(Base45Error::BadLength));
        assert_eq!(decode("BBa"), Err(Base45Error::BadCharacter { offset: 2 }));
    }

    #[test]
    fn round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            assert_eq!(decode(&encode(&data[..n])).as_deref(), Ok(&data[..n]));
        }
    }
}
