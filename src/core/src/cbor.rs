//! A deliberately small CBOR (RFC 8949) reader and writer for the subset the
//! format uses, in the deterministic encoding of RFC 8949 §4.2.1.
//!
//! Why our own and not a general CBOR crate: the reader must *reject* every
//! encoding that a general decoder quietly accepts (non-shortest integers and
//! lengths, indefinite lengths, duplicate or unordered map keys, floats, nesting
//! beyond what the format needs), because two byte strings that decode to the
//! same certificate would let a forger produce "different" payloads for one
//! signature, and a lax decoder is attack surface. The subset: unsigned and
//! negative integers, byte and text strings, arrays, maps, and tag 18 at the top.

use core::fmt;

/// What went wrong while reading CBOR, with the byte offset where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CborError {
    /// Byte offset into the input.
    pub offset: usize,
    /// What was wrong there.
    pub kind: CborErrorKind,
}

/// The kinds of CBOR errors.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CborErrorKind {
    /// The input ended inside an item.
    Truncated,
    /// An integer or length was not in its shortest form.
    NonCanonical,
    /// An indefinite-length item (forbidden in deterministic CBOR).
    IndefiniteLength,
    /// A major type or simple value that the format never uses.
    Unsupported,
    /// A different type was expected here.
    UnexpectedType {
        /// What the format expects at this position.
        expected: &'static str,
    },
    /// Map keys not strictly increasing (covers duplicates).
    KeyOrder,
    /// A text string that is not UTF-8.
    InvalidUtf8,
    /// Bytes left over after the item.
    TrailingBytes,
    /// A length larger than the format allows.
    TooLong,
}

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            CborErrorKind::Truncated => "input ends inside an item".to_string(),
            CborErrorKind::NonCanonical => "integer or length not in shortest form".into(),
            CborErrorKind::IndefiniteLength => "indefinite length".into(),
            CborErrorKind::Unsupported => "unsupported CBOR item".into(),
            CborErrorKind::UnexpectedType { expected } => format!("expected {expected}"),
            CborErrorKind::KeyOrder => "map keys duplicated or out of order".into(),
            CborErrorKind::InvalidUtf8 => "text is not UTF-8".into(),
            CborErrorKind::TrailingBytes => "trailing bytes".into(),
            CborErrorKind::TooLong => "item longer than allowed".into(),
        };
        write!(f, "CBOR at byte {}: {what}", self.offset)
    }
}

impl std::error::Error for CborError {}

const MAJOR_UINT: u8 = 0;
const MAJOR_NINT: u8 = 1;
const MAJOR_BYTES: u8 = 2;
const MAJOR_TEXT: u8 = 3;
const MAJOR_ARRAY: u8 = 4;
const MAJOR_MAP: u8 = 5;
const MAJOR_TAG: u8 = 6;

/// Writes deterministic CBOR into a byte vector.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    fn head(&mut self, major: u8, n: u64) {
        let m = major << 5;
        if n < 24 {
            self.buf.push(m | n as u8);
        } else if n <= 0xFF {
            self.buf.push(m | 24);
            self.buf.push(n as u8);
        } else if n <= 0xFFFF {
            self.buf.push(m | 25);
            self.buf.extend_from_slice(&(n as u16).to_be_bytes());
        } else if n <= 0xFFFF_FFFF {
            self.buf.push(m | 26);
            self.buf.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            self.buf.push(m | 27);
            self.buf.extend_from_slice(&n.to_be_bytes());
        }
    }

    /// An unsigned integer.
    pub fn uint(&mut self, n: u64) -> &mut Self {
        self.head(MAJOR_UINT, n);
        self
    }

    /// A signed integer.
    pub fn int(&mut self, n: i64) -> &mut Self {
        if n >= 0 {
            self.head(MAJOR_UINT, n as u64);
        } else {
            self.head(MAJOR_NINT, (-1 - n) as u64);
        }
        self
    }

    /// A byte string.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.head(MAJOR_BYTES, b.len() as u64);
        self.buf.extend_from_slice(b);
        self
    }

    /// A text string.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.head(MAJOR_TEXT, s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    /// The head of an array of `len` items; the items follow.
    pub fn array(&mut self, len: usize) -> &mut Self {
        self.head(MAJOR_ARRAY, len as u64);
        self
    }

    /// The head of a map of `len` pairs; keys and values follow, keys in
    /// increasing order (the caller's duty; debug builds check it in tests).
    pub fn map(&mut self, len: usize) -> &mut Self {
        self.head(MAJOR_MAP, len as u64);
        self
    }

    /// A tag; its content follows.
    pub fn tag(&mut self, tag: u64) -> &mut Self {
        self.head(MAJOR_TAG, tag);
        self
    }

    /// Appends bytes that are already one encoded CBOR item.
    pub fn raw(&mut self, item: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(item);
        self
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads deterministic CBOR strictly from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// The current byte offset.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn err(&self, kind: CborErrorKind) -> CborError {
        CborError {
            offset: self.pos,
            kind,
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CborError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| self.err(CborErrorKind::Truncated))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The major type of the next item, without consuming it.
    fn peek_major(&self) -> Result<u8, CborError> {
        self.data
            .get(self.pos)
            .map(|b| b >> 5)
            .ok_or_else(|| self.err(CborErrorKind::Truncated))
    }

    /// Reads a head, enforcing shortest form and definite length.
    fn head(&mut self) -> Result<(u8, u64), CborError> {
        let start = self.pos;
        let first = self.take(1)?[0];
        let major = first >> 5;
        let info = first & 0x1F;
        let (n, min) = match info {
            0..=23 => (u64::from(info), 0),
            24 => (u64::from(self.take(1)?[0]), 24),
            25 => {
                let b = self.take(2)?;
                (u64::from(u16::from_be_bytes([b[0], b[1]])), 0x100)
            }
            26 => {
                let b = self.take(4)?;
                (
                    u64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]])),
                    0x1_0000,
                )
            }
            27 => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                (u64::from_be_bytes(a), 0x1_0000_0000)
            }
            31 => {
                return Err(CborError {
                    offset: start,
                    kind: CborErrorKind::IndefiniteLength,
                })
            }
            _ => {
                return Err(CborError {
                    offset: start,
                    kind: CborErrorKind::Unsupported,
                })
            }
        };
        if major == 7 {
            return Err(CborError {
                offset: start,
                kind: CborErrorKind::Unsupported,
            });
        }
        if n < min {
            return Err(CborError {
                offset: start,
                kind: CborErrorKind::NonCanonical,
            });
        }
        Ok((major, n))
    }

    fn expect(&mut self, want: u8, expected: &'static str) -> Result<u64, CborError> {
        let start = self.pos;
        let (major, n) = self.head()?;
        if major != want {
            return Err(CborError {
                offset: start,
                kind: CborErrorKind::UnexpectedType { expected },
            });
        }
        Ok(n)
    }

    /// An unsigned integer.
    pub fn uint(&mut self) -> Result<u64, CborError> {
        self.expect(MAJOR_UINT, "unsigned integer")
    }

    /// A signed integer that fits in `i64`.
    pub fn int(&mut self) -> Result<i64, CborError> {
        let start = self.pos;
        let (major, n) = self.head()?;
        let too_big = CborError {
            offset: start,
            kind: CborErrorKind::TooLong,
        };
        match major {
            MAJOR_UINT => i64::try_from(n).map_err(|_| too_big),
            MAJOR_NINT => i64::try_from(n).map(|v| -1 - v).map_err(|_| too_big),
            _ => Err(CborError {
                offset: start,
                kind: CborErrorKind::UnexpectedType {
                    expected: "integer",
                },
            }),
        }
    }

    fn sized(&mut self, n: u64, max: usize) -> Result<&'a [u8], CborError> {
        let len = usize::try_from(n)
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| self.err(CborErrorKind::TooLong))?;
        self.take(len)
    }

    /// A byte string of at most `max` bytes.
    pub fn bytes(&mut self, max: usize) -> Result<&'a [u8], CborError> {
        let n = self.expect(MAJOR_BYTES, "byte string")?;
        self.sized(n, max)
    }

    /// A UTF-8 text string of at most `max` bytes.
    pub fn text(&mut self, max: usize) -> Result<&'a str, CborError> {
        let n = self.expect(MAJOR_TEXT, "text string")?;
        let start = self.pos;
        let raw = self.sized(n, max)?;
        core::str::from_utf8(raw).map_err(|_| CborError {
            offset: start,
            kind: CborErrorKind::InvalidUtf8,
        })
    }

    /// The head of an array of at most `max` items; returns the count.
    pub fn array(&mut self, max: usize) -> Result<usize, CborError> {
        let n = self.expect(MAJOR_ARRAY, "array")?;
        usize::try_from(n)
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| self.err(CborErrorKind::TooLong))
    }

    /// The head of a map of at most `max` pairs; returns the count.
    pub fn map(&mut self, max: usize) -> Result<usize, CborError> {
        let n = self.expect(MAJOR_MAP, "map")?;
        usize::try_from(n)
            .ok()
            .filter(|&l| l <= max)
            .ok_or_else(|| self.err(CborErrorKind::TooLong))
    }

    /// Reads an optional tag `tag` at the current position: true if present.
    pub fn optional_tag(&mut self, tag: u64) -> Result<bool, CborError> {
        if self.peek_major()? != MAJOR_TAG {
            return Ok(false);
        }
        let start = self.pos;
        let (_, n) = self.head()?;
        if n != tag {
            return Err(CborError {
                offset: start,
                kind: CborErrorKind::Unsupported,
            });
        }
        Ok(true)
    }

    /// Reads a map key, which must be an integer greater than `previous`
    /// (keys in deterministic order, no duplicates). The format only uses
    /// non-negative keys in its own maps, and COSE header labels that are
    /// small integers; deterministic order sorts all unsigned before negative.
    pub fn key_after(&mut self, previous: Option<i64>) -> Result<i64, CborError> {
        let start = self.pos;
        let key = self.int()?;
        let rank = |k: i64| if k >= 0 { (0, k) } else { (1, -1 - k) };
        if let Some(p) = previous {
            if rank(key) <= rank(p) {
                return Err(CborError {
                    offset: start,
                    kind: CborErrorKind::KeyOrder,
                });
            }
        }
        Ok(key)
    }

    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), CborError> {
        if self.pos == self.data.len() {
            Ok(())
        } else {
            Err(self.err(CborErrorKind::TrailingBytes))
        }
    }

    /// The error to return when a value is well-formed CBOR but unacceptable.
    pub fn error_here(&self, kind: CborErrorKind) -> CborError {
        self.err(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_shortest_forms() {
        let mut w = Writer::new();
        w.uint(23)
            .uint(24)
            .uint(255)
            .uint(256)
            .uint(65_536)
            .int(-1)
            .int(-25);
        assert_eq!(
            w.into_bytes(),
            vec![
                0x17, 0x18, 0x18, 0x18, 0xFF, 0x19, 0x01, 0x00, 0x1A, 0, 1, 0, 0, 0x20, 0x38, 0x18
            ]
        );
    }

    #[test]
    fn rejects_non_shortest_and_indefinite() {
        assert_eq!(
            Reader::new(&[0x18, 0x05]).uint().map_err(|e| e.kind),
            Err(CborErrorKind::NonCanonical)
        );
        assert_eq!(
            Reader::new(&[0x19, 0x00, 0xFF]).uint().map_err(|e| e.kind),
            Err(CborErrorKind::NonCanonical)
        );
        assert_eq!(
            Reader::new(&[0x5F, 0x41, 0x00, 0xFF])
                .bytes(10)
                .map_err(|e| e.kind),
            Err(CborErrorKind::IndefiniteLength)
        );
        assert_eq!(
            Reader::new(&[0xF5]).uint().map_err(|e| e.kind),
            Err(CborErrorKind::Unsupported)
        );
    }

    #[test]
    fn key_order_is_enforced() {
        let mut r = Reader::new(&[0x01, 0x01, 0x20, 0x00]);
        assert_eq!(r.key_after(None), Ok(1));
        assert_eq!(
            r.key_after(Some(1)).map_err(|e| e.kind),
            Err(CborErrorKind::KeyOrder)
        );
        let mut r = Reader::new(&[0x20, 0x00]);
        assert_eq!(r.key_after(Some(4)), Ok(-1));
        assert_eq!(
            r.key_after(Some(-1)).map_err(|e| e.kind),
            Err(CborErrorKind::KeyOrder)
        );
    }

    #[test]
    fn lengths_are_bounded() {
        // A byte string claiming 2^32 bytes must not allocate or panic.
        let data = [0x5B, 0, 0, 0, 1, 0, 0, 0, 0];
        assert!(Reader::new(&data).bytes(1000).is_err());
        assert_eq!(
            Reader::new(&[0x43, 1, 2]).bytes(10).map_err(|e| e.kind),
            Err(CborErrorKind::Truncated)
        );
    }
}
