//! `bench-revocation`: the revocation set at national scale.
//!
//! A synthetic country, built from fixed seeds (no randomness, the same world
//! every run): 340 issuer keys (one per prefecture-level region), 30,000,000
//! certificates with dense serials per key (`region × 10^10 + serial`), sizes
//! varying about fourfold between keys; 1% revoked; then 1,000 new
//! revocations a day for 30 days, each day a signed delta. It prints:
//!
//! - the full signed list's size against the entropy bound log2 C(issued,
//!   revoked), and the alternatives measured on the same set (the v1 format's
//!   delta-coded CBOR, Elias-Fano, Roaring bitmaps);
//! - build (set + sign), load (signature + decode) and apply times;
//! - the delta sizes;
//! - membership checks per card natively, and (with `--wasm DIR`) in wasm
//!   under node, as the widget runs them; the memory the set takes.
//!
//! ```text
//! bench-revocation [--certificates N] [--issuers N] [--days N] [--per-day N]
//!                  [--wasm DIR] [--out DIR]
//! ```

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use yanzheng_core::revocation::DEFAULT_MAX_AGE;
use yanzheng_core::{Kid, RevocationDelta, RevocationList, RevokedSet, SecretKey, UnixTime};

/// splitmix64: a fixed stream of numbers from a seed.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

struct Options {
    certificates: u64,
    issuers: u64,
    days: u64,
    per_day: u64,
    wasm: Option<PathBuf>,
    out: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        certificates: 30_000_000,
        issuers: 340,
        days: 30,
        per_day: 1_000,
        wasm: None,
        out: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        let number = |s: String| {
            s.parse::<u64>()
                .map_err(|_| format!("`{s}` is not a number"))
        };
        match a.as_str() {
            "--certificates" => o.certificates = number(value()?)?,
            "--issuers" => o.issuers = number(value()?)?,
            "--days" => o.days = number(value()?)?,
            "--per-day" => o.per_day = number(value()?)?,
            "--wasm" => o.wasm = Some(PathBuf::from(value()?)),
            "--out" => o.out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if o.issuers == 0 || o.certificates < o.issuers {
        return Err("need at least one certificate per issuer".into());
    }
    Ok(o)
}

/// One issuer key of the synthetic country.
struct Issuer {
    kid: Kid,
    base: u64,
    issued: u64,
}

fn country(o: &Options, n: &mut Numbers) -> Vec<Issuer> {
    // Weights 1..4 (a big city issues about four times a small prefecture).
    let weights: Vec<u64> = (0..o.issuers).map(|_| 1000 + n.below(3000)).collect();
    let total: u64 = weights.iter().sum();
    let mut left = o.certificates;
    weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let issued = if i as u64 == o.issuers - 1 {
                left
            } else {
                (o.certificates * w / total).min(left)
            };
            left -= issued;
            let mut kid = [0u8; 8];
            kid.copy_from_slice(&n.next().to_be_bytes());
            // Prefecture-level codes: 110100, 110200, ... (shape only).
            let region = 110_000 + (i as u64 / 20) * 10_000 + (i as u64 % 20 + 1) * 100;
            Issuer {
                kid: Kid(kid),
                base: region * 10_000_000_000,
                issued,
            }
        })
        .collect()
}

/// log2 C(n, k) in bits.
fn entropy_bits(n: u64, k: u64) -> f64 {
    let k = k.min(n - k);
    (0..k)
        .map(|i| ((n - i) as f64).log2() - ((i + 1) as f64).log2())
        .sum()
}

/// Bytes of the version-1 format's body: CBOR uints of the id deltas over
/// one sorted list of (national) ids.
fn v1_bytes(set: &RevokedSet) -> u64 {
    let mut ids: Vec<u64> = set.iter().map(|(_, id)| id).collect();
    ids.sort_unstable();
    let cbor_len = |v: u64| match v {
        0..=23 => 1,
        24..=0xff => 2,
        0x100..=0xffff => 3,
        0x1_0000..=0xffff_ffff => 5,
        _ => 9,
    };
    let mut prev = 0;
    ids.iter()
        .map(|&id| {
            let d = id - prev;
            prev = id;
            cbor_len(d)
        })
        .sum()
}

/// Bytes Elias-Fano takes per key: n (2 + ⌈log2(u/n)⌉) bits, u the issued
/// serials.
fn elias_fano_bytes(issuers: &[Issuer], set: &RevokedSet) -> u64 {
    let bits: u64 = issuers
        .iter()
        .map(|i| {
            let n = set.ids(&i.kid).len() as u64;
            if n == 0 {
                return 0;
            }
            let low = (i.issued as f64 / n as f64).log2().ceil().max(0.0) as u64;
            n * (2 + low)
        })
        .sum();
    bits.div_ceil(8)
}

/// Bytes of Roaring bitmaps (portable serialization), one per key, over
/// the serials.
fn roaring_bytes(issuers: &[Issuer], set: &RevokedSet) -> u64 {
    issuers
        .iter()
        .map(|i| {
            let bitmap: roaring::RoaringBitmap = set
                .ids(&i.kid)
                .iter()
                .map(|id| (id - i.base) as u32)
                .collect();
            bitmap.serialized_size() as u64
        })
        .sum()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench-revocation: {e}");
            std::process::exit(2);
        }
    };
    let root = SecretKey::from_seed(&[0x52; 32]);
    let mut n = Numbers(0x5eed_0001);
    let issuers = country(&o, &mut n);

    // 1% revoked.
    let started = Instant::now();
    let mut pairs = Vec::with_capacity((o.certificates / 90) as usize);
    for i in &issuers {
        for serial in 0..i.issued {
            if n.below(100) == 0 {
                pairs.push((i.kid, i.base + serial));
            }
        }
    }
    let world_ms = ms(started);
    let t = Instant::now();
    let set = RevokedSet::from_pairs(pairs);
    let set_ms = ms(t);
    let t = Instant::now();
    let issued_at = UnixTime(1_780_000_000);
    let bytes = RevocationList::sign(1, issued_at, DEFAULT_MAX_AGE, &set, &root);
    let sign_ms = ms(t);
    let t = Instant::now();
    let list = match RevocationList::load(&bytes, &root.public()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("bench-revocation: the list does not load: {e}");
            std::process::exit(1);
        }
    };
    let load_ms = ms(t);
    let revoked = set.len() as u64;
    let bound = entropy_bits(o.certificates, revoked) / 8.0;
    println!(
        "world: {} issuer keys, {} certificates, {} revoked ({:.3}%), built in {world_ms:.0} ms",
        issuers.len(),
        o.certificates,
        revoked,
        revoked as f64 * 100.0 / o.certificates as f64
    );
    println!("\nfull set (version 1 of the run)");
    println!(
        "  entropy bound log2 C({}, {revoked}): {:.0} bytes",
        o.certificates, bound
    );
    println!(
        "  signed list (Golomb-Rice per key): {} bytes = {:.4} x the bound",
        bytes.len(),
        bytes.len() as f64 / bound
    );
    println!(
        "  alternatives on the same set: v1 delta-coded CBOR {} bytes ({:.2} x), Elias-Fano {} bytes ({:.2} x), Roaring {} bytes ({:.2} x)",
        v1_bytes(&set),
        v1_bytes(&set) as f64 / bound,
        elias_fano_bytes(&issuers, &set),
        elias_fano_bytes(&issuers, &set) as f64 / bound,
        roaring_bytes(&issuers, &set),
        roaring_bytes(&issuers, &set) as f64 / bound,
    );
    println!(
        "  build: set {set_ms:.0} ms, code + sign {sign_ms:.0} ms; load (signature, decode, digest) {load_ms:.0} ms"
    );
    println!(
        "  memory once loaded: {:.2} MiB",
        list.set().heap_bytes() as f64 / 1_048_576.0
    );

    // Checks: half revoked ids, half issued ones not revoked, in random order.
    let mut queries: Vec<(Kid, u64)> = Vec::with_capacity(2_000_000);
    let revoked_pairs: Vec<(Kid, u64)> = set.iter().collect();
    while queries.len() < 2_000_000 {
        if queries.len().is_multiple_of(2) {
            queries.push(revoked_pairs[n.below(revoked_pairs.len() as u64) as usize]);
        } else {
            let i = &issuers[n.below(issuers.len() as u64) as usize];
            queries.push((i.kid, i.base + n.below(i.issued)));
        }
    }
    let mut best = f64::MAX;
    let mut hits = 0;
    for _ in 0..5 {
        let t = Instant::now();
        hits = queries
            .iter()
            .filter(|(k, id)| list.contains(k, *id))
            .count();
        best = best.min(t.elapsed().as_secs_f64() * 1e9 / queries.len() as f64);
    }
    println!(
        "  check natively: {best:.1} ns per card (best of 5 runs over {} lookups, {hits} revoked)",
        queries.len()
    );

    // Days of revocations, each a signed delta.
    println!(
        "\ndeltas ({} days, {} new revocations a day)",
        o.days, o.per_day
    );
    let mut current = list;
    let mut sizes = Vec::new();
    let mut apply_ms = Vec::new();
    let mut sign_delta_ms = Vec::new();
    let mut all: Vec<(Kid, u64)> = revoked_pairs.clone();
    let mut new_ones = std::collections::HashSet::new();
    for day in 1..=o.days {
        let mut added = 0;
        while added < o.per_day {
            let i = &issuers[n.below(issuers.len() as u64) as usize];
            let id = i.base + n.below(i.issued);
            if !current.contains(&i.kid, id) && new_ones.insert((i.kid.0, id)) {
                all.push((i.kid, id));
                added += 1;
            }
        }
        let next = RevokedSet::from_pairs(all.iter().copied());
        let t = Instant::now();
        let d = RevocationDelta::sign(
            &current,
            &next,
            current.version + 1,
            UnixTime(issued_at.0 + day * 86_400),
            DEFAULT_MAX_AGE,
            &root,
        );
        sign_delta_ms.push(ms(t));
        let t = Instant::now();
        let applied = RevocationDelta::load(&d, &root.public())
            .map_err(|e| e.to_string())
            .and_then(|delta| current.apply(&delta).map_err(|e| e.to_string()));
        apply_ms.push(ms(t));
        match applied {
            Ok(Some(l)) => current = l,
            other => {
                eprintln!("bench-revocation: day {day}'s delta did not apply: {other:?}");
                std::process::exit(1);
            }
        }
        sizes.push(d.len());
        if let Some(dir) = &o.out {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(format!("delta-{day}.cose")), &d);
        }
    }
    let mut sorted = sizes.clone();
    sorted.sort_unstable();
    let median = |v: &[usize]| v.get(v.len() / 2).copied().unwrap_or(0);
    let day_bound = entropy_bits(o.certificates - revoked, o.per_day) / 8.0;
    println!(
        "  delta bytes: min {} median {} max {} (bound for {} of {}: {:.0} bytes)",
        sorted.first().copied().unwrap_or(0),
        median(&sorted),
        sorted.last().copied().unwrap_or(0),
        o.per_day,
        o.certificates - revoked,
        day_bound
    );
    let med_f = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    println!(
        "  median times: sign a delta {:.0} ms, load + apply one (digest of the whole set included) {:.0} ms",
        med_f(&mut sign_delta_ms),
        med_f(&mut apply_ms)
    );
    let final_bytes = RevocationList::sign(
        current.version,
        current.issued_at,
        DEFAULT_MAX_AGE,
        current.set(),
        &root,
    );
    let final_bound = entropy_bits(o.certificates, current.set().len() as u64) / 8.0;
    println!(
        "  after {} days: {} revoked, full list {} bytes ({:.4} x its bound); the {} deltas {} bytes together",
        o.days,
        current.set().len(),
        final_bytes.len(),
        final_bytes.len() as f64 / final_bound,
        sizes.len(),
        sizes.iter().sum::<usize>()
    );

    if let Some(pkg) = &o.wasm {
        wasm_checks(pkg, &bytes, &root, &queries);
    }
    if let Some(dir) = &o.out {
        let _ = std::fs::write(dir.join("revocations-full.cose"), &bytes);
        println!("\nwrote the full list and the deltas to {}", dir.display());
    }
}

/// Load and check times in wasm under node (the bench-wasm crate, built for
/// speed like the decoder; the widget's page module is built for size).
fn wasm_checks(pkg: &std::path::Path, list: &[u8], root: &SecretKey, queries: &[(Kid, u64)]) {
    let dir = std::env::temp_dir().join(format!("yanzheng-rev-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let mut q = Vec::with_capacity(queries.len() * 16);
    for (k, id) in queries.iter().take(200_000) {
        q.extend_from_slice(&k.0);
        q.extend_from_slice(&id.to_le_bytes());
    }
    let files = [
        (dir.join("list.cose"), list.to_vec()),
        (dir.join("root.bin"), root.public().to_bytes().to_vec()),
        (dir.join("queries.bin"), q),
    ];
    for (p, b) in &files {
        if let Err(e) = std::fs::write(p, b) {
            eprintln!("bench-revocation: {}: {e}", p.display());
            return;
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/wasm/revocation.js");
    let out = Command::new("node").arg(script).arg(pkg).arg(&dir).output();
    let _ = std::fs::remove_dir_all(&dir);
    match out {
        Ok(o) if o.status.success() => {
            println!("\nwasm (node {}):", node_version());
            print!("{}", String::from_utf8_lossy(&o.stdout));
        }
        Ok(o) => eprintln!(
            "bench-revocation: node failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => eprintln!("bench-revocation: cannot run node: {e}"),
    }
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "?".into())
}
