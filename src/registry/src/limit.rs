//! Token buckets for the lookup: per client address (a person at a desk
//! never runs out, a scraper does within seconds; IPv6 clients are counted
//! per prefix, /64 by default, since one host usually holds a whole /64),
//! and per ID number for lookups that find nothing (so a number cannot be
//! tried against name after name).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many lookups a client may make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Lookups allowed at once (0 turns the limit off, e.g. for benchmarks).
    pub burst: u32,
    /// Lookups regained per second.
    pub per_second: f64,
}

impl Default for RateLimit {
    /// 30 at once, then one a second: a desk clerk typing numbers never
    /// meets it; a script asking 100 a second meets it in under half a second.
    fn default() -> Self {
        RateLimit {
            burst: 30,
            per_second: 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets kept before idle ones are dropped.
const SWEEP_AT: usize = 10_000;
/// Most buckets kept after a sweep: past it the fullest are dropped (a
/// flood of new keys cannot grow the map without bound).
const MAX_BUCKETS: usize = 200_000;

/// Token buckets by key (a client address, an ID number's keyed hash).
#[derive(Debug)]
pub struct Limiter<K: Hash + Eq = IpAddr> {
    limit: RateLimit,
    buckets: Mutex<Buckets<K>>,
}

/// The buckets, and the size at which they are next swept: a sweep walks
/// them all, so it runs again only once the map has grown by half (a map of
/// buckets that refill slowly would otherwise be walked on every request).
#[derive(Debug)]
struct Buckets<K> {
    map: HashMap<K, Bucket>,
    next_sweep: usize,
}

/// The address a client is counted as: IPv4 as is (IPv4-mapped IPv6 as
/// IPv4), IPv6 by its /64.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    client_key_with(ip, 64)
}

/// The address a client is counted as, IPv6 by its first `v6_bits` bits
/// (0-128).
pub fn client_key_with(ip: IpAddr, v6_bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u32::from(v6_bits.min(128));
                let mask = if bits == 0 {
                    0
                } else {
                    u128::MAX << (128 - bits)
                };
                IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & mask))
            }
        },
    }
}

impl Limiter<IpAddr> {
    /// Takes one token for the client at `ip` (IPv6 by its first `v6_bits`
    /// bits) at `now`, or says how long until one is there.
    pub fn check_client(&self, ip: IpAddr, v6_bits: u8, now: Instant) -> Result<(), Duration> {
        self.take(client_key_with(ip, v6_bits), now)
    }

    /// [`Self::check_client`] with IPv6 clients by their /64.
    #[cfg(test)]
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        self.check_client(ip, 64, now)
    }
}

impl<K: Hash + Eq> Limiter<K> {
    /// Buckets for `limit`.
    pub fn new(limit: RateLimit) -> Limiter<K> {
        Limiter {
            limit,
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                next_sweep: SWEEP_AT,
            }),
        }
    }

    /// Whether `key` has a token at `now` (without taking it), or how long
    /// until it has one.
    pub fn peek(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let RateLimit { burst, per_second } = self.limit;
        if burst == 0 {
            return Ok(());
        }
        let buckets = match self.buckets.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let Some(b) = buckets.map.get(key) else {
            return Ok(());
        };
        let tokens = (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second)
            .min(f64::from(burst));
        if tokens >= 1.0 {
            Ok(())
        } else if per_second > 0.0 {
            Err(Duration::from_secs_f64((1.0 - tokens) / per_second))
        } else {
            Err(Duration::from_secs(3600))
        }
    }

    /// Takes one token for `key` at `now`, or says how long until one is
    /// there.
    pub fn take(&self, key: K, now: Instant) -> Result<(), Duration> {
        let RateLimit { burst, per_second } = self.limit;
        if burst == 0 {
            return Ok(());
        }
        let burst = f64::from(burst);
        let mut buckets = match self.buckets.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if buckets.map.len() >= buckets.next_sweep {
            // Drop clients whose bucket has refilled: they start full anyway.
            buckets.map.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < burst
            });
            if buckets.map.len() >= MAX_BUCKETS {
                // Still too many: keep the emptiest half (those limiting
                // someone now), drop the rest.
                let mut levels: Vec<f64> = buckets.map.values().map(|b| b.tokens).collect();
                levels.sort_by(f64::total_cmp);
                let cut = levels[levels.len() / 2];
                buckets.map.retain(|_, b| b.tokens < cut);
            }
            buckets.next_sweep = (buckets.map.len() + buckets.map.len() / 2).max(SWEEP_AT);
        }
        let bucket = buckets.map.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if per_second > 0.0 {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        } else {
            Err(Duration::from_secs(3600))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_and_refills() {
        let l = Limiter::new(RateLimit {
            burst: 3,
            per_second: 1.0,
        });
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(l.check(ip, t0).is_ok());
        }
        let wait = l.check(ip, t0).expect_err("empty");
        assert!(wait <= Duration::from_secs(1) && wait > Duration::ZERO);
        assert!(l.check(ip, t0 + Duration::from_millis(1100)).is_ok());
        // Another client has its own bucket.
        assert!(l.check([10, 0, 0, 2].into(), t0).is_ok());
    }

    #[test]
    fn ipv6_prefix_is_configurable_and_misses_count_per_key() {
        let a: IpAddr = "2001:db8:1:2::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_ne!(client_key_with(a, 64), client_key_with(b, 64));
        assert_eq!(client_key_with(a, 48), client_key_with(b, 48));
        let l = Limiter::new(RateLimit {
            burst: 1,
            per_second: 0.001,
        });
        let t = Instant::now();
        assert!(l.check_client(a, 48, t).is_ok());
        assert!(l.check_client(b, 48, t).is_err(), "the same /48");
        // Keyed by anything: peek does not take, take does.
        let m: Limiter<String> = Limiter::new(RateLimit {
            burst: 2,
            per_second: 0.001,
        });
        let k = "number-key".to_string();
        assert!(m.peek(&k, t).is_ok());
        assert!(m.take(k.clone(), t).is_ok());
        assert!(m.peek(&k, t).is_ok());
        assert!(m.take(k.clone(), t).is_ok());
        assert!(m.peek(&k, t).is_err());
        assert!(m.peek(&"other".to_string(), t).is_ok());
    }

    #[test]
    fn slowly_refilling_buckets_are_not_walked_on_every_request() {
        // 30,000 numbers that each found nothing once: buckets that take an
        // hour to refill, so a sweep keeps them all. The sweeps must not run
        // on every request (that made each lookup walk the whole map).
        let l: Limiter<u64> = Limiter::new(RateLimit {
            burst: 10,
            per_second: 10.0 / 3600.0,
        });
        let t = Instant::now();
        for n in 0..30_000u64 {
            let _ = l.take(n, t);
        }
        let sweeps_bound = {
            let b = l.buckets.lock().expect("lock");
            assert_eq!(b.map.len(), 30_000);
            b.next_sweep
        };
        assert!(sweeps_bound > 30_000, "the next sweep waits for growth");
    }

    #[test]
    fn ipv6_counts_per_64() {
        let l = Limiter::new(RateLimit {
            burst: 1,
            per_second: 0.001,
        });
        let t = Instant::now();
        assert!(l.check("2001:db8::1".parse().expect("ip"), t).is_ok());
        assert!(l.check("2001:db8::2".parse().expect("ip"), t).is_err());
    }

    #[test]
    fn zero_burst_disables() {
        let l = Limiter::new(RateLimit {
            burst: 0,
            per_second: 0.0,
        });
        for _ in 0..1000 {
            assert!(l.check([127, 0, 0, 1].into(), Instant::now()).is_ok());
        }
    }
}
