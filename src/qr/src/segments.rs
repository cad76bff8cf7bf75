//! The data bit stream of a QR symbol into payload bytes: numeric,
//! alphanumeric, byte, Kanji and Hanzi segments, with ECI designators,
//! structured-append headers and FNC1 (GS1) markers passed over. Kanji come
//! out as their Shift_JIS bytes and Hanzi as GB2312, as they were encoded;
//! byte segments as they are (an ECI's character set is not transcoded).

/// Reads bits most significant first.
struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl BitReader<'_> {
    fn left(&self) -> usize {
        (self.data.len() * 8).saturating_sub(self.pos)
    }

    fn read(&mut self, n: usize) -> Option<u32> {
        if n > 32 || n > self.left() {
            return None;
        }
        let mut v = 0u32;
        for _ in 0..n {
            let byte = *self.data.get(self.pos / 8)?;
            let bit = (byte >> (7 - self.pos % 8)) & 1;
            v = (v << 1) | u32::from(bit);
            self.pos += 1;
        }
        Some(v)
    }
}

const ALNUM: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Character count field width: index 0 for versions 1-9, 1 for 10-26, 2
/// for 27-40.
fn count_bits(version: usize, widths: [usize; 3]) -> usize {
    match version {
        0..=9 => widths[0],
        10..=26 => widths[1],
        _ => widths[2],
    }
}

/// Decodes the data codewords of a symbol of `version`. `None` if the
/// stream is malformed (an unknown mode, a segment longer than the data, a
/// digit group out of range).
pub(crate) fn parse(data: &[u8], version: usize) -> Option<Vec<u8>> {
    let mut r = BitReader { data, pos: 0 };
    let mut out = Vec::new();
    let mut gs1 = false;
    loop {
        if r.left() < 4 {
            break;
        }
        let mode = r.read(4)?;
        match mode {
            0b0000 => break,
            // Numeric.
            0b0001 => {
                let mut n = r.read(count_bits(version, [10, 12, 14]))? as usize;
                while n >= 3 {
                    let v = r.read(10)?;
                    if v > 999 {
                        return None;
                    }
                    out.extend(format!("{v:03}").bytes());
                    n -= 3;
                }
                if n == 2 {
                    let v = r.read(7)?;
                    if v > 99 {
                        return None;
                    }
                    out.extend(format!("{v:02}").bytes());
                } else if n == 1 {
                    let v = r.read(4)?;
                    if v > 9 {
                        return None;
                    }
                    out.extend(format!("{v}").bytes());
                }
            }
            // Alphanumeric.
            0b0010 => {
                let mut n = r.read(count_bits(version, [9, 11, 13]))? as usize;
                let mut text = Vec::with_capacity(n);
                while n >= 2 {
                    let v = r.read(11)? as usize;
                    text.push(*ALNUM.get(v / 45)?);
                    text.push(*ALNUM.get(v % 45)?);
                    n -= 2;
                }
                if n == 1 {
                    text.push(*ALNUM.get(r.read(6)? as usize)?);
                }
                if gs1 {
                    // In GS1 data "%" stands for the FNC1 separator (GS) and
                    // "%%" for a literal percent sign.
                    let mut i = 0;
                    while i < text.len() {
                        if text.get(i) == Some(&b'%') {
                            if text.get(i + 1) == Some(&b'%') {
                                out.push(b'%');
                                i += 2;
                            } else {
                                out.push(0x1D);
                                i += 1;
                            }
                        } else {
                            out.extend(text.get(i));
                            i += 1;
                        }
                    }
                } else {
                    out.extend(text);
                }
            }
            // Byte.
            0b0100 => {
                let n = r.read(count_bits(version, [8, 16, 16]))? as usize;
                if n * 8 > r.left() {
                    return None;
                }
                for _ in 0..n {
                    out.push(r.read(8)? as u8);
                }
            }
            // Kanji: 13 bits a character, back to Shift_JIS.
            0b1000 => {
                let n = r.read(count_bits(version, [8, 10, 12]))? as usize;
                if n * 13 > r.left() {
                    return None;
                }
                for _ in 0..n {
                    let v = r.read(13)?;
                    let c = ((v / 0xC0) << 8) | (v % 0xC0);
                    let sjis = if c < 0x1F00 { c + 0x8140 } else { c + 0xC140 };
                    out.push((sjis >> 8) as u8);
                    out.push(sjis as u8);
                }
            }
            // Hanzi (GB2312), subset 1 only.
            0b1101 => {
                let subset = r.read(4)?;
                if subset != 1 {
                    return None;
                }
                let n = r.read(count_bits(version, [8, 10, 12]))? as usize;
                if n * 13 > r.left() {
                    return None;
                }
                for _ in 0..n {
                    let v = r.read(13)?;
                    let c = ((v / 0x60) << 8) | (v % 0x60);
                    let gb = if c < 0x0A00 { c + 0xA1A1 } else { c + 0xA6A1 };
                    out.push((gb >> 8) as u8);
                    out.push(gb as u8);
                }
            }
            // ECI: a 1-3 byte designator; the bytes that follow are passed on.
            0b0111 => {
                let first = r.read(8)?;
                if first & 0x80 == 0 {
                } else if first & 0xC0 == 0x80 {
                    r.read(8)?;
                } else if first & 0xE0 == 0xC0 {
                    r.read(16)?;
                } else {
                    return None;
                }
            }
            // Structured append: position, total, parity.
            0b0011 => {
                r.read(16)?;
            }
            // FNC1 in first position (GS1).
            0b0101 => gs1 = true,
            // FNC1 in second position: an application indicator.
            0b1001 => {
                r.read(8)?;
                gs1 = true;
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a bit stream from (value, width) pairs, padded to bytes.
    fn bits(fields: &[(u32, usize)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut acc = 0u8;
        let mut n = 0;
        for &(v, w) in fields {
            for i in (0..w).rev() {
                acc = (acc << 1) | ((v >> i) & 1) as u8;
                n += 1;
                if n == 8 {
                    out.push(acc);
                    acc = 0;
                    n = 0;
                }
            }
        }
        if n > 0 {
            out.push(acc << (8 - n));
        }
        out
    }

    #[test]
    fn numeric_alphanumeric_byte() {
        // "01234567" numeric, "AC-42" alphanumeric, "hi" bytes, terminator.
        let data = bits(&[
            (0b0001, 4),
            (8, 10),
            (12, 10),
            (345, 10),
            (67, 7),
            (0b0010, 4),
            (5, 9),
            (10 * 45 + 12, 11),
            (41 * 45 + 4, 11),
            (2, 6),
            (0b0100, 4),
            (2, 8),
            (u32::from(b'h'), 8),
            (u32::from(b'i'), 8),
            (0, 4),
        ]);
        assert_eq!(parse(&data, 1).as_deref(), Some(&b"01234567AC-42hi"[..]));
    }

    #[test]
    fn kanji_comes_back_as_shift_jis() {
        // 点 = Shift_JIS 0x935F; 茗 = 0xE4AA (the example of ISO/IEC 18004).
        let enc = |s: u32| {
            let c = if s < 0xE040 { s - 0x8140 } else { s - 0xC140 };
            (c >> 8) * 0xC0 + (c & 0xFF)
        };
        let data = bits(&[
            (0b1000, 4),
            (2, 8),
            (enc(0x935F), 13),
            (enc(0xE4AA), 13),
            (0, 4),
        ]);
        assert_eq!(parse(&data, 1), Some(vec![0x93, 0x5F, 0xE4, 0xAA]));
    }

    #[test]
    fn eci_structured_append_and_gs1() {
        let data = bits(&[
            (0b0011, 4),
            (0x12, 8),
            (0x34, 8),
            (0b0111, 4),
            (26, 8),
            (0b0101, 4),
            (0b0010, 4),
            (5, 11),
            (45 + 38, 11),      // "1%"
            (10 * 45 + 38, 11), // "A%"
            (38, 6),            // "%"
            (0, 4),
        ]);
        assert_eq!(parse(&data, 10), Some(vec![b'1', 0x1D, b'A', b'%']));
    }

    #[test]
    fn rejects_malformed_streams() {
        // Unknown mode 0b1111.
        assert_eq!(parse(&bits(&[(0b1111, 4), (0, 12)]), 1), None);
        // A byte segment longer than the data.
        assert_eq!(parse(&bits(&[(0b0100, 4), (200, 8), (0, 12)]), 1), None);
        // A numeric group over 999.
        assert_eq!(parse(&bits(&[(0b0001, 4), (3, 10), (1000, 10)]), 1), None);
        // Padding after the terminator is not read.
        assert_eq!(
            parse(&bits(&[(0, 4), (0xEC, 8), (0x11, 8)]), 1),
            Some(Vec::new())
        );
        assert_eq!(parse(&[], 1), Some(Vec::new()));
    }
}
