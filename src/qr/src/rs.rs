//! Reed-Solomon error correction over GF(256) as QR codes use it: field
//! polynomial x^8 + x^4 + x^3 + x^2 + 1, generator roots α^0 .. α^(ecc-1),
//! the first codeword the highest power. Syndromes, Berlekamp-Massey for the
//! error locator, Chien search for the positions, Forney for the values; the
//! result is checked by recomputing the syndromes.

/// exp\[i\] = α^i (doubled so a sum of two logs needs no reduction) and
/// log\[x\] for x != 0.
struct Tables {
    exp: [u8; 512],
    log: [u8; 256],
}

const fn tables() -> Tables {
    let mut exp = [0u8; 512];
    let mut log = [0u8; 256];
    let mut x: u16 = 1;
    let mut i = 0;
    while i < 255 {
        exp[i] = x as u8;
        log[x as usize] = i as u8;
        x <<= 1;
        if x & 0x100 != 0 {
            x ^= 0x11D;
        }
        i += 1;
    }
    while i < 512 {
        exp[i] = exp[i - 255];
        i += 1;
    }
    Tables { exp, log }
}

static GF: Tables = tables();

#[inline]
fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        return 0;
    }
    GF.exp[usize::from(GF.log[usize::from(a)]) + usize::from(GF.log[usize::from(b)])]
}

/// a / b; b must not be 0 (callers check).
#[inline]
fn div(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        return 0;
    }
    GF.exp[usize::from(GF.log[usize::from(a)]) + 255 - usize::from(GF.log[usize::from(b)])]
}

/// α^e for any e.
#[inline]
fn alpha(e: usize) -> u8 {
    GF.exp[e % 255]
}

/// Evaluates a polynomial given lowest power first.
fn eval_low_first(p: &[u8], x: u8) -> u8 {
    p.iter().rev().fold(0, |acc, &c| mul(acc, x) ^ c)
}

/// The syndromes r(α^j), j < ecc, of a block (highest power first).
fn syndromes(block: &[u8], ecc: usize) -> Vec<u8> {
    (0..ecc)
        .map(|j| {
            let x = alpha(j);
            block.iter().fold(0, |acc, &c| mul(acc, x) ^ c)
        })
        .collect()
}

/// Corrects a block of data followed by `ecc` check codewords in place.
/// Returns the number of codewords corrected, or `None` when the block has
/// more errors than `max_errors` (at most ecc / 2) or is not consistent.
pub(crate) fn correct(block: &mut [u8], ecc: usize, max_errors: usize) -> Option<usize> {
    correct_erasures(block, ecc, max_errors, &[])
}

/// As [`correct`], with the codewords at `erasures` (indices into the
/// block) known to be unreliable: each costs one check codeword instead of
/// two, so e errors and f erasures are corrected while 2e + f <= ecc.
/// `max_errors` bounds e.
pub(crate) fn correct_erasures(
    block: &mut [u8],
    ecc: usize,
    max_errors: usize,
    erasures: &[usize],
) -> Option<usize> {
    let n = block.len();
    let f = erasures.len();
    if ecc == 0 || ecc >= n || n > 255 || f > ecc || erasures.iter().any(|&k| k >= n) {
        return None;
    }
    let max_errors = max_errors.min((ecc - f) / 2);
    let s = syndromes(block, ecc);
    if s.iter().all(|&v| v == 0) {
        return Some(0);
    }
    // The erasure locator Γ = ∏(1 - X x), X = α^(n-1-k), lowest power first.
    let mut gamma = vec![0u8; ecc + 1];
    gamma[0] = 1;
    for (j, &k) in erasures.iter().enumerate() {
        let x = alpha(n - 1 - k);
        for i in (1..=j + 1).rev() {
            gamma[i] ^= mul(gamma[i - 1], x);
        }
    }
    // Berlekamp-Massey from Γ: the shortest LFSR (errata locator Λ)
    // generating the syndromes.
    let mut lambda = gamma.clone();
    let mut prev = gamma;
    let mut l = f;
    let mut m = 1usize;
    let mut b = 1u8;
    for k in f..ecc {
        let mut d = s[k];
        for i in 1..=l.min(k) {
            d ^= mul(lambda[i], s[k - i]);
        }
        if d == 0 {
            m += 1;
            continue;
        }
        let coef = div(d, b);
        let before = lambda.clone();
        for i in m..=ecc {
            lambda[i] ^= mul(coef, prev[i - m]);
        }
        if 2 * l <= k + f {
            l = k + 1 + f - l;
            prev = before;
            b = d;
            m = 1;
        } else {
            m += 1;
        }
    }
    if l < f || l - f > max_errors || l > ecc {
        return None;
    }
    if l == 0 {
        return None;
    }
    lambda.truncate(l + 1);
    // Ω = S·Λ mod x^ecc.
    let omega: Vec<u8> = (0..ecc)
        .map(|i| (0..=i.min(l)).fold(0u8, |acc, j| acc ^ mul(lambda[j], s[i - j])))
        .collect();
    // Λ' (characteristic 2: only odd powers survive).
    let deriv: Vec<u8> = (1..=l)
        .map(|i| if i % 2 == 1 { lambda[i] } else { 0 })
        .collect();
    let (mut found, mut changed) = (0, 0);
    for (k, cw) in block.iter_mut().enumerate() {
        // Codeword k carries power n-1-k: locator X = α^p, root at X^-1.
        let p = n - 1 - k;
        let x_inv = alpha(255 - p % 255);
        if eval_low_first(&lambda, x_inv) != 0 {
            continue;
        }
        let den = eval_low_first(&deriv, x_inv);
        if den == 0 {
            return None;
        }
        let e = mul(alpha(p), div(eval_low_first(&omega, x_inv), den));
        *cw ^= e;
        found += 1;
        changed += usize::from(e != 0);
    }
    if found != l {
        return None;
    }
    syndromes(block, ecc)
        .iter()
        .all(|&v| v == 0)
        .then_some(changed)
}

#[cfg(test)]
pub(crate) fn encode(data: &[u8], ecc: usize) -> Vec<u8> {
    // Generator ∏(x - α^i), highest power first.
    let mut g = vec![1u8];
    for i in 0..ecc {
        let mut next = vec![0u8; g.len() + 1];
        for (j, &c) in g.iter().enumerate() {
            next[j] ^= c;
            next[j + 1] ^= mul(c, alpha(i));
        }
        g = next;
    }
    let mut rem = vec![0u8; ecc];
    for &d in data {
        let f = d ^ rem[0];
        rem.rotate_left(1);
        rem[ecc - 1] = 0;
        for (r, &gc) in rem.iter_mut().zip(&g[1..]) {
            *r ^= mul(f, gc);
        }
    }
    let mut out = data.to_vec();
    out.extend(rem);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn field_tables_are_consistent() {
        for a in 1..=255u8 {
            assert_eq!(mul(a, div(1, a)), 1);
            assert_eq!(div(mul(a, 7), 7), a);
        }
        assert_eq!(alpha(8), 0x1D);
    }

    #[test]
    fn clean_block_has_no_errors() {
        let block = encode(b"hello world", 10);
        let mut b = block.clone();
        assert_eq!(correct(&mut b, 10, 5), Some(0));
        assert_eq!(b, block);
    }

    #[test]
    fn corrects_up_to_t_errors() {
        let mut seed = 7;
        for ecc in [7usize, 10, 16, 22, 30] {
            for trial in 0..40 {
                let len = 5 + (lcg(&mut seed) % 100) as usize;
                let data: Vec<u8> = (0..len).map(|_| lcg(&mut seed) as u8).collect();
                let good = encode(&data, ecc);
                let mut bad = good.clone();
                let t = ecc / 2;
                let errors = 1 + trial % t;
                let mut hit = Vec::new();
                while hit.len() < errors {
                    let k = (lcg(&mut seed) as usize) % bad.len();
                    if !hit.contains(&k) {
                        hit.push(k);
                        bad[k] ^= 1 + (lcg(&mut seed) % 255) as u8;
                    }
                }
                assert_eq!(correct(&mut bad, ecc, t), Some(errors), "ecc {ecc}");
                assert_eq!(bad, good);
            }
        }
    }

    #[test]
    fn corrects_errors_and_erasures() {
        let mut seed = 23;
        for ecc in [10usize, 16, 22, 30] {
            for trial in 0..60 {
                let len = 10 + (lcg(&mut seed) % 90) as usize;
                let data: Vec<u8> = (0..len).map(|_| lcg(&mut seed) as u8).collect();
                let good = encode(&data, ecc);
                let mut bad = good.clone();
                // f erasures (some of them actually right) and e errors
                // elsewhere, 2e + f <= ecc.
                let f = trial % (ecc / 2 + 1);
                let e = (ecc - f) / 2;
                let mut hit = Vec::new();
                while hit.len() < f + e {
                    let k = (lcg(&mut seed) as usize) % bad.len();
                    if !hit.contains(&k) {
                        hit.push(k);
                    }
                }
                for (i, &k) in hit.iter().enumerate() {
                    if i >= f || i % 3 != 0 {
                        bad[k] ^= 1 + (lcg(&mut seed) % 255) as u8;
                    }
                }
                let erasures = &hit[..f];
                assert!(
                    correct_erasures(&mut bad, ecc, ecc, erasures).is_some(),
                    "ecc {ecc} f {f} e {e}"
                );
                assert_eq!(bad, good);
            }
        }
        // Without marking them, the same damage is beyond the limit.
        let good = encode(b"erasures cost half", 10);
        let mut bad = good.clone();
        for k in [1usize, 4, 7, 9, 12, 15, 20] {
            bad[k] ^= 0x5A;
        }
        assert_eq!(correct(&mut bad.clone(), 10, 5), None);
        assert_eq!(
            correct_erasures(&mut bad, 10, 5, &[1, 4, 7, 9, 12, 15]),
            Some(7)
        );
        assert_eq!(bad, good);
        // Out-of-range erasures are refused, not a panic.
        assert_eq!(correct_erasures(&mut bad, 10, 5, &[99]), None);
    }

    #[test]
    fn refuses_beyond_the_limit() {
        let mut seed = 11;
        let mut refused = 0;
        let mut wrong = 0;
        for _ in 0..200 {
            let data: Vec<u8> = (0..40).map(|_| lcg(&mut seed) as u8).collect();
            let good = encode(&data, 16);
            let mut bad = good.clone();
            // 9 errors with ecc 16 (t = 8).
            let mut hit = Vec::new();
            while hit.len() < 9 {
                let k = (lcg(&mut seed) as usize) % bad.len();
                if !hit.contains(&k) {
                    hit.push(k);
                    bad[k] ^= 1 + (lcg(&mut seed) % 255) as u8;
                }
            }
            match correct(&mut bad, 16, 8) {
                None => refused += 1,
                Some(_) => wrong += usize::from(bad != good),
            }
        }
        // Beyond t a decoder can only refuse or land on another codeword
        // (rare); it never returns the original.
        assert!(refused >= 190, "refused {refused}, wrong {wrong}");
        // A lower limit is honoured: 3 errors with a limit of 2.
        let mut bad = encode(b"0123456789", 10);
        bad[0] ^= 1;
        bad[3] ^= 2;
        bad[5] ^= 3;
        assert_eq!(correct(&mut bad, 10, 2), None);
    }
}
