//! Bit-level codes for sorted id sets: Elias-gamma for small counts and
//! Golomb-Rice with an escape for gaps (docs/format.md §9.2).
//!
//! Bits are written most significant first; the last byte is padded with zero
//! bits. Readers are strict: a value longer than its shortest form, padding
//! that is not zero, or bytes left over are errors, so one set has one
//! encoding for a given parameter. Every read is bounded (at most 64 zero bits
//! before a gamma value, at most [`ESCAPE`] ones before a Rice remainder), so
//! hostile input cannot make a reader loop.

/// A Rice quotient of this many ones is followed by the value in 64 raw bits.
pub const ESCAPE: u64 = 32;

/// Why a bit string did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// The bits ran out inside a value.
    Truncated,
    /// A value was not written in its one shortest form.
    NonCanonical,
    /// Bits or bytes are left after the last value, or padding is not zero.
    Trailing,
}

impl CodeError {
    /// A short reason, used in list errors.
    pub fn reason(self) -> &'static str {
        match self {
            CodeError::Truncated => "coded ids end inside a value",
            CodeError::NonCanonical => "a coded value is not in its shortest form",
            CodeError::Trailing => "coded ids have trailing or non-zero padding bits",
        }
    }
}

/// Appends bits to a byte vector.
#[derive(Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits used in the last byte (0 = the last byte is full or none).
    used: u32,
}

impl BitWriter {
    /// An empty writer.
    pub fn new() -> BitWriter {
        BitWriter::default()
    }

    fn bit(&mut self, one: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if one {
            if let Some(last) = self.bytes.last_mut() {
                *last |= 0x80 >> self.used;
            }
        }
        self.used = (self.used + 1) % 8;
    }

    /// The low `n` bits of `value`, most significant first (`n` ≤ 64).
    pub fn bits(&mut self, value: u64, n: u32) {
        for i in (0..n).rev() {
            self.bit((value >> i) & 1 == 1);
        }
    }

    /// Elias-gamma code of `n` ≥ 1: ⌊log2 n⌋ zeros, then `n` in binary.
    pub fn gamma(&mut self, n: u64) {
        debug_assert!(n >= 1);
        let width = 64 - n.max(1).leading_zeros();
        for _ in 1..width {
            self.bit(false);
        }
        self.bits(n, width);
    }

    /// Golomb-Rice code of `v` with parameter `k` (≤ 63): the quotient
    /// `v >> k` in unary (ones, then a zero) and the low `k` bits; a quotient
    /// of [`ESCAPE`] or more is written as [`ESCAPE`] ones and `v` in 64 bits.
    pub fn rice(&mut self, v: u64, k: u32) {
        let q = v >> k;
        if q >= ESCAPE {
            for _ in 0..ESCAPE {
                self.bit(true);
            }
            self.bits(v, 64);
        } else {
            for _ in 0..q {
                self.bit(true);
            }
            self.bit(false);
            self.bits(v, k);
        }
    }

    /// The bytes written, the last one padded with zeros.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The number of bits [`BitWriter::rice`] takes for `v`.
pub fn rice_len(v: u64, k: u32) -> u64 {
    let q = v >> k;
    if q >= ESCAPE {
        ESCAPE + 64
    } else {
        q + 1 + u64::from(k)
    }
}

/// The Rice parameter that codes `gaps` in the fewest bits, searched around
/// the logarithm of their mean (the optimum for geometric gaps is there).
pub fn best_rice_parameter(gaps: &[u64]) -> u32 {
    if gaps.is_empty() {
        return 0;
    }
    let total: u128 = gaps.iter().map(|&g| u128::from(g)).sum();
    let mean = (total / gaps.len() as u128).max(1);
    let guess = 127 - mean.leading_zeros();
    let lo = guess.saturating_sub(3);
    let hi = (guess + 2).min(63);
    (lo..=hi)
        .min_by_key(|&k| gaps.iter().map(|&g| rice_len(g, k)).sum::<u64>())
        .unwrap_or(0)
}

/// Reads bits written by [`BitWriter`].
#[derive(Debug)]
pub struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    /// A reader at the first bit of `data`.
    pub fn new(data: &'a [u8]) -> BitReader<'a> {
        BitReader { data, pos: 0 }
    }

    fn bit(&mut self) -> Result<bool, CodeError> {
        let byte = self.data.get(self.pos / 8).ok_or(CodeError::Truncated)?;
        let one = byte & (0x80 >> (self.pos % 8)) != 0;
        self.pos += 1;
        Ok(one)
    }

    /// `n` bits (≤ 64) as a number.
    pub fn bits(&mut self, n: u32) -> Result<u64, CodeError> {
        let mut v = 0u64;
        for _ in 0..n {
            v = (v << 1) | u64::from(self.bit()?);
        }
        Ok(v)
    }

    /// An Elias-gamma value (≥ 1).
    pub fn gamma(&mut self) -> Result<u64, CodeError> {
        let mut zeros = 0u32;
        while !self.bit()? {
            zeros += 1;
            if zeros > 63 {
                return Err(CodeError::NonCanonical);
            }
        }
        Ok((1u64 << zeros) | self.bits(zeros)?)
    }

    /// A Golomb-Rice value with parameter `k`.
    pub fn rice(&mut self, k: u32) -> Result<u64, CodeError> {
        let mut q = 0u64;
        while q < ESCAPE && self.bit()? {
            q += 1;
        }
        if q == ESCAPE {
            let v = self.bits(64)?;
            if (v >> k) < ESCAPE {
                return Err(CodeError::NonCanonical);
            }
            return Ok(v);
        }
        Ok((q << k) | self.bits(k)?)
    }

    /// Succeeds if only zero padding (fewer than 8 bits) is left.
    pub fn finish(&mut self) -> Result<(), CodeError> {
        if self.data.len() != self.pos.div_ceil(8) {
            return Err(CodeError::Trailing);
        }
        while !self.pos.is_multiple_of(8) {
            if self.bit()? {
                return Err(CodeError::Trailing);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_code() {
        let values = [0u64, 1, 2, 3, 63, 64, 1000, 1 << 40, u64::MAX - 1, u64::MAX];
        for k in [0u32, 1, 6, 14, 40, 63] {
            let mut w = BitWriter::new();
            for &v in &values {
                w.rice(v, k);
                w.gamma(v.max(1));
            }
            let bytes = w.into_bytes();
            let mut r = BitReader::new(&bytes);
            for &v in &values {
                assert_eq!(r.rice(k), Ok(v), "rice {v} k={k}");
                assert_eq!(r.gamma(), Ok(v.max(1)), "gamma {v}");
            }
            assert_eq!(r.finish(), Ok(()));
        }
    }

    #[test]
    fn lengths_match_what_is_written() {
        for k in [0u32, 3, 12] {
            for v in [0u64, 5, 4095, 1 << 20, u64::MAX] {
                let mut w = BitWriter::new();
                w.rice(v, k);
                let bits = w.into_bytes().len() as u64 * 8;
                let want = rice_len(v, k);
                assert!(bits >= want && bits < want + 8, "v={v} k={k}");
            }
        }
    }

    #[test]
    fn refuses_what_is_not_canonical() {
        // An escape for a value whose quotient is small.
        let mut w = BitWriter::new();
        for _ in 0..ESCAPE {
            w.bits(1, 1);
        }
        w.bits(5, 64);
        let bytes = w.into_bytes();
        assert_eq!(BitReader::new(&bytes).rice(2), Err(CodeError::NonCanonical));
        // 64 zeros cannot start a gamma value.
        assert_eq!(
            BitReader::new(&[0u8; 9]).gamma(),
            Err(CodeError::NonCanonical)
        );
        // Non-zero padding, a spare byte, and a value cut short.
        let mut r = BitReader::new(&[0b0100_0001]);
        assert_eq!(r.rice(0), Ok(0));
        assert_eq!(r.finish(), Err(CodeError::Trailing));
        let mut r = BitReader::new(&[0b0000_0000, 0]);
        assert_eq!(r.rice(0), Ok(0));
        assert_eq!(r.finish(), Err(CodeError::Trailing));
        assert_eq!(BitReader::new(&[0xff]).rice(3), Err(CodeError::Truncated));
    }

    #[test]
    fn picks_the_cheapest_parameter() {
        let gaps: Vec<u64> = (0..1000u64).map(|i| (i * 7919) % 200).collect();
        let best = best_rice_parameter(&gaps);
        let cost = |k| gaps.iter().map(|&g| rice_len(g, k)).sum::<u64>();
        assert!((0..64).all(|k| cost(best) <= cost(k)));
    }
}
