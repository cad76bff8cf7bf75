//! Whose address a request counts against: the peer's, unless the peer is
//! one of the configured reverse proxies, in which case the address the
//! proxies recorded in the client-address header (e.g. `x-forwarded-for`).
//!
//! The header is read from the right: each trusted proxy appends the address
//! it received the request from, so the entries a client wrote itself are on
//! the left and never count. Entries may carry a port (`1.2.3.4:5678`,
//! `[2001:db8::1]:443`); an entry that does not parse ends the walk at the
//! proxy that wrote it.

use std::net::IpAddr;

/// An address range: an address and a prefix length (`10.0.0.0/8`,
/// `2001:db8::/32`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddrRange {
    addr: IpAddr,
    bits: u8,
}

impl AddrRange {
    /// Parses `ADDR` or `ADDR/BITS`.
    pub fn parse(s: &str) -> Option<AddrRange> {
        let s = s.trim();
        let (addr, bits) = match s.split_once('/') {
            Some((a, b)) => (a.parse::<IpAddr>().ok()?, Some(b.parse::<u8>().ok()?)),
            None => (s.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        (bits <= max).then_some(AddrRange { addr, bits })
    }

    /// True if `ip` is in the range (IPv4-mapped IPv6 addresses count as
    /// their IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.addr), ip) {
            (IpAddr::V4(r), IpAddr::V4(a)) => prefix_eq(&r.octets(), &a.octets(), self.bits),
            (IpAddr::V6(r), IpAddr::V6(a)) => prefix_eq(&r.octets(), &a.octets(), self.bits),
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let whole = bits / 8;
    if a[..whole] != b[..whole] {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[whole] & mask) == (b[whole] & mask)
}

/// One header entry: `ip`, `ip:port`, `[v6]` or `[v6]:port`.
pub fn parse_entry(s: &str) -> Option<IpAddr> {
    let s = s.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let port_ok = after.is_empty()
            || after
                .strip_prefix(':')
                .is_some_and(|p| !p.is_empty() && p.parse::<u16>().is_ok());
        return port_ok.then(|| inside.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6))?;
    }
    let (host, port) = s.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The address a request counts against. `header_values` are the values of
/// the client-address header, in order (ignored unless `peer` is trusted).
pub fn client_ip<'a>(
    peer: IpAddr,
    header_values: impl Iterator<Item = &'a str>,
    trusted: &[AddrRange],
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = header_values.flat_map(|v| v.split(',')).collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        match parse_entry(entry) {
            Some(ip) if is_trusted(ip) => client = ip,
            Some(ip) => return ip,
            // The proxy that wrote it is the last address we can vouch for.
            None => return client,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn ranges_and_entries_parse() {
        let r = AddrRange::parse("10.0.0.0/8").expect("range");
        assert!(r.contains(ip("10.200.3.4")) && !r.contains(ip("11.0.0.1")));
        assert!(r.contains(ip("::ffff:10.1.2.3")));
        let r6 = AddrRange::parse("2001:db8::/33").expect("range");
        assert!(r6.contains(ip("2001:db8:7fff::1")) && !r6.contains(ip("2001:db8:8000::1")));
        assert!(AddrRange::parse("127.0.0.1").is_some_and(|r| r.contains(ip("127.0.0.1"))));
        assert!(AddrRange::parse("10.0.0.0/33").is_none());
        assert!(AddrRange::parse("proxy.example").is_none());
        assert_eq!(parse_entry(" 1.2.3.4:5678"), Some(ip("1.2.3.4")));
        assert_eq!(parse_entry("[2001:db8::1]:443"), Some(ip("2001:db8::1")));
        assert_eq!(parse_entry("[2001:db8::1]"), Some(ip("2001:db8::1")));
        assert_eq!(parse_entry("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_entry("1.2.3.4:99999"), None);
        assert_eq!(parse_entry("[2001:db8::1]:"), None);
        assert_eq!(parse_entry("unknown"), None);
    }

    #[test]
    fn only_a_trusted_peer_is_believed_and_only_from_the_right() {
        let proxies = [AddrRange::parse("10.0.0.0/8").expect("range")];
        let header = |v: &'static str| std::iter::once(v);
        // A client reaching the registry directly picks nothing.
        assert_eq!(
            client_ip(ip("203.0.113.9"), header("6.6.6.6"), &proxies),
            ip("203.0.113.9")
        );
        // Through the proxy, which appends ip:port: the client's own entry
        // on the left does not count.
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                header("6.6.6.6, 198.51.100.7:40123"),
                &proxies
            ),
            ip("198.51.100.7")
        );
        // Two proxies: the inner one's address is skipped.
        assert_eq!(
            client_ip(
                ip("10.0.0.2"),
                header("6.6.6.6, [2001:db8::5]:443, 10.0.0.9"),
                &proxies
            ),
            ip("2001:db8::5")
        );
        // Garbage where the proxy's entry should be: the proxy counts, not
        // whatever parses further left.
        assert_eq!(
            client_ip(ip("10.0.0.2"), header("6.6.6.6, garbage"), &proxies),
            ip("10.0.0.2")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.0.0.2"), std::iter::empty(), &proxies),
            ip("10.0.0.2")
        );
    }
}
