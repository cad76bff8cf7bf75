//! Per-client token buckets for the lookup: a person at a desk never runs
//! out, a scraper does within seconds. IPv6 clients are counted per /64,
//! since one host usually holds a whole /64.

use std::collections::HashMap;
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

/// The buckets of all clients.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

/// The address a client is counted as: IPv4 as is (IPv4-mapped IPv6 as
/// IPv4), IPv6 by its /64.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl Limiter {
    /// Buckets for `limit`.
    pub fn new(limit: RateLimit) -> Limiter {
        Limiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip` at `now`, or says how long until one is there.
    pub fn check(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let RateLimit { burst, per_second } = self.limit;
        if burst == 0 {
            return Ok(());
        }
        let burst = f64::from(burst);
        let mut buckets = match self.buckets.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if buckets.len() >= SWEEP_AT {
            // Drop clients whose bucket has refilled: they start full anyway.
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < burst
            });
        }
        let bucket = buckets.entry(client_key(ip)).or_insert(Bucket {
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
