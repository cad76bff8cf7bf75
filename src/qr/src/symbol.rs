//! Our own reading of a sampled module grid, for the grids rqrr's decoder
//! refuses (modes it does not parse: structured append, FNC1, ECI, Hanzi):
//! format information, unmasking, codewords in placement order, blocks
//! de-interleaved, Reed-Solomon correction (`rs`), segments (`segments`).

use super::rs;
use super::sample::{alignment_axis, side};
use super::segments;

/// Error-correction level, in the order of the tables below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    L = 0,
    M = 1,
    Q = 2,
    H = 3,
}

/// Check codewords per block, by level then version (ISO/IEC 18004 table 9).
const ECC_PER_BLOCK: [[u8; 41]; 4] = [
    [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28,
        30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28,
        28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ],
    [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30,
        30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
    [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24,
        30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ],
];

/// Error-correction blocks, by level then version.
const BLOCKS: [[u8; 41]; 4] = [
    [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13,
        14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ],
    [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21,
        23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ],
    [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29,
        34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ],
    [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32,
        35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ],
];

/// Check codewords the small symbols reserve against misdecoding (the "p"
/// of table 9): they detect rather than correct.
fn reserved(version: usize, level: Level) -> usize {
    match (version, level) {
        (1, Level::L) => 3,
        (1, Level::M) | (2, Level::L) => 2,
        (1, _) | (3, Level::L) => 1,
        _ => 0,
    }
}

/// The 15-bit format word (masked) of a level and mask pattern.
fn format_word(level: Level, mask: u8) -> u16 {
    let ec = match level {
        Level::L => 1u16,
        Level::M => 0,
        Level::Q => 3,
        Level::H => 2,
    };
    let data = (ec << 3) | u16::from(mask);
    let mut rem = data << 10;
    for bit in (10..15).rev() {
        if rem & (1 << bit) != 0 {
            rem ^= 0x537 << (bit - 10);
        }
    }
    ((data << 10) | rem) ^ 0x5412
}

/// A grid of modules, `dark[row * size + col]`.
pub(crate) struct Modules<'a> {
    pub size: usize,
    pub dark: &'a [bool],
    /// How clearly each module read (higher is surer), or empty.
    pub sure: &'a [u8],
    /// Read rows as columns (a mirrored image).
    pub transposed: bool,
}

impl Modules<'_> {
    fn at(&self, x: usize, y: usize) -> bool {
        let (r, c) = if self.transposed { (x, y) } else { (y, x) };
        self.dark.get(r * self.size + c).copied().unwrap_or(false)
    }

    fn sure_at(&self, x: usize, y: usize) -> u8 {
        let (r, c) = if self.transposed { (x, y) } else { (y, x) };
        self.sure.get(r * self.size + c).copied().unwrap_or(u8::MAX)
    }
}

/// What was read from a symbol.
#[derive(Debug)]
pub(crate) struct Symbol {
    pub version: usize,
    /// Read by the tests (and handy when looking at a single failure).
    #[allow(dead_code)]
    pub level: Level,
    pub bytes: Vec<u8>,
    /// Codewords the Reed-Solomon step corrected, per block.
    #[allow(dead_code)]
    pub corrected: Vec<usize>,
}

/// Level and mask from the two format copies: the valid word nearest to
/// either copy, within 3 bits.
fn read_format(m: &Modules<'_>) -> Option<(Level, u8)> {
    let n = m.size;
    let (mut a, mut b) = (0u16, 0u16);
    for i in 0..15 {
        let (x, y) = match i {
            0..=5 => (8, i),
            6 => (8, 7),
            7 => (8, 8),
            8 => (7, 8),
            _ => (14 - i, 8),
        };
        a |= u16::from(m.at(x, y)) << i;
        let (x, y) = if i < 8 {
            (n - 1 - i, 8)
        } else {
            (8, n - 15 + i)
        };
        b |= u16::from(m.at(x, y)) << i;
    }
    let mut best: Option<(u32, Level, u8)> = None;
    for level in [Level::L, Level::M, Level::Q, Level::H] {
        for mask in 0..8u8 {
            let w = format_word(level, mask);
            let d = (w ^ a).count_ones().min((w ^ b).count_ones());
            if best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, level, mask));
            }
        }
    }
    best.filter(|&(d, _, _)| d <= 3).map(|(_, l, m)| (l, m))
}

fn mask_bit(mask: u8, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y).is_multiple_of(2),
        1 => y.is_multiple_of(2),
        2 => x.is_multiple_of(3),
        3 => (x + y).is_multiple_of(3),
        4 => (x / 3 + y / 2).is_multiple_of(2),
        5 => (x * y) % 2 + (x * y) % 3 == 0,
        6 => ((x * y) % 2 + (x * y) % 3).is_multiple_of(2),
        _ => ((x + y) % 2 + (x * y) % 3).is_multiple_of(2),
    }
}

/// Modules that carry no data: finders with separators and format areas,
/// timing, alignment and version information.
fn function_map(version: usize) -> Vec<bool> {
    let n = side(version);
    let mut f = vec![false; n * n];
    let mut set = |x: usize, y: usize| {
        if let Some(v) = f.get_mut(y * n + x) {
            *v = true;
        }
    };
    for y in 0..n {
        for x in 0..n {
            let corner = (y < 9 && (x < 9 || x + 8 >= n)) || (x < 9 && y + 8 >= n);
            if corner || x == 6 || y == 6 {
                set(x, y);
            }
        }
    }
    let axis = alignment_axis(version);
    let last = n - 7;
    for &r in &axis {
        for &c in &axis {
            if [(6, 6), (6, last), (last, 6)].contains(&(r, c)) {
                continue;
            }
            for y in r - 2..=r + 2 {
                for x in c - 2..=c + 2 {
                    set(x, y);
                }
            }
        }
    }
    if version >= 7 {
        for i in 0..6 {
            for j in n - 11..n - 8 {
                set(j, i);
                set(i, j);
            }
        }
    }
    f
}

/// Codewords (all blocks, interleaved) in placement order, each with the
/// certainty of its least certain module.
fn codewords(m: &Modules<'_>, version: usize, mask: u8) -> Vec<(u8, u8)> {
    let n = m.size;
    let func = function_map(version);
    let mut out = Vec::new();
    let (mut acc, mut bits, mut sure) = (0u8, 0, u8::MAX);
    let mut right = n as isize - 1;
    while right >= 1 {
        if right == 6 {
            right = 5;
        }
        let upward = (right + 1) & 2 == 0;
        for vert in 0..n {
            let y = if upward { n - 1 - vert } else { vert };
            for j in 0..2isize {
                let x = (right - j) as usize;
                if func.get(y * n + x).copied().unwrap_or(true) {
                    continue;
                }
                let bit = m.at(x, y) != mask_bit(mask, x, y);
                acc = (acc << 1) | u8::from(bit);
                sure = sure.min(m.sure_at(x, y));
                bits += 1;
                if bits == 8 {
                    out.push((acc, sure));
                    acc = 0;
                    bits = 0;
                    sure = u8::MAX;
                }
            }
        }
        right -= 2;
    }
    out
}

/// Total codewords of a version.
fn total_codewords(version: usize) -> usize {
    let v = version;
    let mut bits = (16 * v + 128) * v + 64;
    if v >= 2 {
        let k = v / 7 + 2;
        bits -= (25 * k - 10) * k - 55;
        if v >= 7 {
            bits -= 36;
        }
    }
    bits / 8
}

/// Error-corrects one block of (codeword, certainty): plainly first; then,
/// when certainties are known, with the least certain codewords marked as
/// erasures (each costs one check codeword instead of two), keeping four
/// check codewords unspent so a wrong correction still shows.
fn correct_block(
    block: &[(u8, u8)],
    ecc: usize,
    usable: usize,
    with_certainty: bool,
) -> Option<(Vec<u8>, usize)> {
    let plain: Vec<u8> = block.iter().map(|&(w, _)| w).collect();
    let mut words = plain.clone();
    if let Some(fixed) = rs::correct(&mut words, ecc, usable / 2) {
        return Some((words, fixed));
    }
    if !with_certainty || usable < 12 {
        return None;
    }
    let mut order: Vec<usize> = (0..block.len()).collect();
    order.sort_by_key(|&k| block.get(k).map_or(u8::MAX, |&(_, s)| s));
    for f in [usable / 4, usable / 2] {
        let spare = usable - f;
        let max_errors = spare.saturating_sub(4) / 2;
        let mut words = plain.clone();
        let erasures = order.get(..f)?;
        if let Some(fixed) = rs::correct_erasures(&mut words, ecc, max_errors, erasures) {
            return Some((words, fixed));
        }
    }
    None
}

/// Decodes a grid: the symbol's data bytes, or `None` when the format is
/// unreadable, a block has too many errors, or the data is malformed.
pub(crate) fn decode(m: &Modules<'_>) -> Option<Symbol> {
    let n = m.size;
    if n < 21 || !(n - 17).is_multiple_of(4) || m.dark.len() != n * n {
        return None;
    }
    let version = (n - 17) / 4;
    if !(1..=40).contains(&version) {
        return None;
    }
    let (level, mask) = read_format(m)?;
    let raw = codewords(m, version, mask);
    let total = total_codewords(version);
    let ecc = usize::from(*ECC_PER_BLOCK.get(level as usize)?.get(version)?);
    let nb = usize::from(*BLOCKS.get(level as usize)?.get(version)?);
    if raw.len() < total || nb == 0 {
        return None;
    }
    let short_len = total / nb;
    let num_short = nb - total % nb;
    let short_data = short_len.checked_sub(ecc)?;
    let mut blocks: Vec<Vec<(u8, u8)>> = (0..nb)
        .map(|b| Vec::with_capacity(short_len + usize::from(b >= num_short)))
        .collect();
    let mut it = raw.iter().copied();
    for i in 0..=short_data {
        for (b, block) in blocks.iter_mut().enumerate() {
            if i < short_data || b >= num_short {
                block.push(it.next()?);
            }
        }
    }
    for _ in 0..ecc {
        for block in blocks.iter_mut() {
            block.push(it.next()?);
        }
    }
    let usable = ecc - reserved(version, level);
    let mut data = Vec::new();
    let mut corrected = Vec::with_capacity(nb);
    for block in &blocks {
        let (words, fixed) = correct_block(block, ecc, usable, !m.sure.is_empty())?;
        corrected.push(fixed);
        let len = words.len() - ecc;
        data.extend_from_slice(words.get(..len)?);
    }
    let bytes = segments::parse(&data, version)?;
    Some(Symbol {
        version,
        level,
        bytes,
        corrected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcode::{EcLevel, QrCode, Version};

    fn grid(code: &QrCode) -> (usize, Vec<bool>) {
        let n = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        (n, dark)
    }

    #[test]
    fn tables_match_the_symbol_sizes() {
        for v in 1..=40 {
            let func = function_map(v).iter().filter(|&&f| !f).count();
            assert_eq!(func / 8, total_codewords(v), "version {v}");
            for l in 0..4 {
                let (ecc, nb) = (usize::from(ECC_PER_BLOCK[l][v]), usize::from(BLOCKS[l][v]));
                assert!(total_codewords(v) / nb > ecc, "v{v} level {l}");
            }
        }
    }

    #[test]
    fn reads_every_version_and_level() {
        let levels = [
            (EcLevel::L, Level::L),
            (EcLevel::M, Level::M),
            (EcLevel::Q, Level::Q),
            (EcLevel::H, Level::H),
        ];
        let mut tested = 0;
        for v in 1..=40i16 {
            for (ec, level) in levels {
                // The longest prefix that fits (small symbols hold 7 bytes).
                let full = format!("v{v} {ec:?} https://example.org/{}", "x".repeat(v as usize));
                let Some((text, code)) = (1..=full.len()).rev().find_map(|len| {
                    let text = &full[..len];
                    QrCode::with_version(text.as_bytes(), Version::Normal(v), ec)
                        .ok()
                        .map(|c| (text, c))
                }) else {
                    panic!("v{v} {ec:?} encodes nothing");
                };
                tested += 1;
                let (n, dark) = grid(&code);
                let m = Modules {
                    size: n,
                    dark: &dark,
                    sure: &[],
                    transposed: false,
                };
                let s = decode(&m).expect("decodes");
                assert_eq!(s.bytes, text.as_bytes(), "v{v} {ec:?}");
                assert_eq!(s.level, level);
                assert_eq!(s.version, v as usize);
                assert!(s.corrected.iter().all(|&c| c == 0));
            }
        }
        assert_eq!(tested, 160);
    }

    #[test]
    fn random_grids_read_as_nothing() {
        let mut seed = 3u64;
        for v in 1..=40 {
            let n = side(v);
            for _ in 0..5 {
                let dark: Vec<bool> = (0..n * n)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                        seed >> 63 == 1
                    })
                    .collect();
                for transposed in [false, true] {
                    let m = Modules {
                        size: n,
                        dark: &dark,
                        sure: &[],
                        transposed,
                    };
                    assert!(decode(&m).is_none(), "v{v}");
                }
            }
        }
        // Sizes that are no version, and a grid shorter than its size.
        for n in [0usize, 20, 22, 181, 185] {
            let dark = vec![true; n * n];
            let m = Modules {
                size: n,
                dark: &dark,
                sure: &[],
                transposed: false,
            };
            assert!(decode(&m).is_none());
        }
        let m = Modules {
            size: 25,
            dark: &[true; 100],
            sure: &[],
            transposed: false,
        };
        assert!(decode(&m).is_none());
    }

    #[test]
    fn corrects_damage_and_refuses_too_much() {
        let code = QrCode::with_error_correction_level(b"0123456789ABCDEFGHIJ", EcLevel::H)
            .expect("encodes");
        let (n, mut dark) = grid(&code);
        // Damage a 4x4 square of data modules in the lower right.
        for y in n - 6..n - 2 {
            for x in n - 6..n - 2 {
                dark[y * n + x] = !dark[y * n + x];
            }
        }
        let m = Modules {
            size: n,
            dark: &dark,
            sure: &[],
            transposed: false,
        };
        let s = decode(&m).expect("corrects");
        assert_eq!(s.bytes, b"0123456789ABCDEFGHIJ");
        assert!(s.corrected.iter().sum::<usize>() > 0);
        // Invert most data: nothing (never a wrong answer).
        for y in 9..n - 9 {
            for x in 9..n {
                dark[y * n + x] = !dark[y * n + x];
            }
        }
        let m = Modules {
            size: n,
            dark: &dark,
            sure: &[],
            transposed: false,
        };
        assert!(decode(&m).is_none());
        assert!(decode(&Modules {
            size: 21,
            dark: &[],
            sure: &[],
            transposed: false
        })
        .is_none());
    }
}
