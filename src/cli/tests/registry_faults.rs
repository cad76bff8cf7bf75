//! The registry against hostile and broken clients, over real HTTP on
//! 127.0.0.1: silent and slowloris connections, the connection cap, a
//! client that stops reading, a body that never arrives, and malformed
//! requests on every endpoint. Connection handling does not depend on the
//! database, so these run on SQLite only.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use support::*;

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(World::new)
}

/// `serve --demo` on a fresh SQLite file with `extra` flags.
fn server(extra: &[&str]) -> Server {
    let w = world();
    let db = Backend::Sqlite.fresh_db(w.root());
    let demo = w.demo();
    let mut args = vec![
        "--demo",
        demo.to_str().expect("utf-8 path"),
        "--www",
        "www",
        "--db",
        &db,
        "--lookup-burst",
        "0",
    ];
    args.extend_from_slice(extra);
    Server::start(w.root(), &args)
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("read timeout");
    s
}

/// Whether the server closed `s` within `within`: reads (and drops) what it
/// sent until end of file or a reset. `false` if it is still open.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).expect("read timeout");
    let deadline = Instant::now() + within;
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return true,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false
            }
            Err(e) => panic!("reading: {e}"),
        }
        if Instant::now() > deadline {
            return false;
        }
    }
}

/// Sends `raw` as is and returns the status of the answer, `None` if the
/// connection closed without one.
fn raw_status(addr: SocketAddr, raw: &[u8]) -> Option<u16> {
    let mut s = connect(addr);
    let _ = s.write_all(raw);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let head = String::from_utf8_lossy(&out);
    head.strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
}

#[test]
fn silent_and_slowloris_clients_are_closed_while_others_are_served() {
    const SILENT: usize = 60;
    const TRICKLING: usize = 60;
    let s = server(&["--header-timeout", "1.5"]);
    let (name, number, _) = demo_holder(world(), 0);
    let opened = Instant::now();
    let mut silent: Vec<TcpStream> = (0..SILENT).map(|_| connect(s.addr)).collect();
    // Each trickler sends a request head one byte every 100 ms, and its
    // head never ends: a header line that keeps growing.
    let stop = Arc::new(AtomicBool::new(false));
    let tricklers: Vec<TcpStream> = (0..TRICKLING).map(|_| connect(s.addr)).collect();
    let writers = tricklers
        .iter()
        .map(|t| t.try_clone().expect("clone"))
        .collect::<Vec<_>>();
    let trickle = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut writers = writers;
            let head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
            let mut sent = 0usize;
            // Count how many trickled bytes were refused: the server closed.
            let mut refused = vec![false; writers.len()];
            while !stop.load(Ordering::Relaxed) {
                for (w, r) in writers.iter_mut().zip(refused.iter_mut()) {
                    let byte = head.get(sent).copied().unwrap_or(b'a');
                    if !*r && w.write_all(&[byte]).is_err() {
                        *r = true;
                    }
                }
                sent += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            refused
        })
    };
    // Meanwhile, ordinary clients are answered.
    let mut served = 0;
    let mut slowest = Duration::ZERO;
    while opened.elapsed() < Duration::from_secs(3) {
        let t = Instant::now();
        let r = s.lookup(&number, &name);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["status"], "found");
        let h = s.get("/healthz");
        assert_eq!(h.status, 200);
        slowest = slowest.max(t.elapsed());
        served += 2;
    }
    // Every silent client was closed by the server (header timeout 1.5 s;
    // these were opened 3 s ago).
    for (i, c) in silent.iter_mut().enumerate() {
        assert!(
            closed_within(c, Duration::from_secs(3)),
            "silent connection {i} still open {:?} after it was opened",
            opened.elapsed()
        );
    }
    // And every trickler: its head never finished.
    for (i, mut t) in tricklers.into_iter().enumerate() {
        assert!(
            closed_within(&mut t, Duration::from_secs(3)),
            "trickling connection {i} still open {:?} after it was opened",
            opened.elapsed()
        );
    }
    stop.store(true, Ordering::Relaxed);
    let _ = trickle.join().expect("trickle thread");
    eprintln!(
        "{SILENT} silent + {TRICKLING} trickling connections closed; \
         {served} requests served meanwhile, slowest pair {slowest:?}"
    );
    assert!(served >= 10, "only {served} requests served in 3 s");
    // A keep-alive connection left idle after a request is closed too.
    let mut idle = connect(s.addr);
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).expect("answer");
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(4)));
    s.stop();
}

#[test]
fn past_the_connection_cap_clients_get_503_and_service_resumes() {
    let s = server(&["--max-connections", "4", "--header-timeout", "2"]);
    let mut held: Vec<TcpStream> = (0..4).map(|_| connect(s.addr)).collect();
    // Give the server a moment to accept all four.
    std::thread::sleep(Duration::from_millis(300));
    let r = s.get("/healthz");
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    let v = r.json();
    assert_eq!(v["error"], "busy");
    assert!(v["message"]["zh"].is_string() && v["message"]["en"].is_string());
    // The held connections say nothing and are closed after the header
    // timeout; then new clients are served again.
    for c in &mut held {
        assert!(closed_within(c, Duration::from_secs(5)));
    }
    wait_until(5, "a free connection slot", || {
        s.get("/healthz").status == 200
    });
    assert!(
        s.log_text().contains("connection cap reached"),
        "{}",
        s.log_text()
    );
    s.stop();
}

/// `GET path` from the local address `from` (another 127.x address is
/// another client): the status line.
fn get_from(from: &str, addr: SocketAddr, path: &str) -> String {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(format!("{from}:0").parse().expect("address"))
        .expect("bind");
    let stream = block_on(socket.connect(addr)).expect("connect");
    let mut s = stream.into_std().expect("std stream");
    s.set_nonblocking(false).expect("blocking");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    // A refused connection may be closed before the request is written.
    let _ = write!(
        s,
        "GET {path} HTTP/1.1
host: x
connection: close

"
    );
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines().next().unwrap_or_default().to_string()
}

#[test]
fn one_host_cannot_take_every_connection() {
    let s = server(&[
        "--max-connections",
        "40",
        "--max-connections-per-address",
        "5",
        "--header-timeout",
        "5",
    ]);
    // One host holds five silent connections: its own limit.
    let held: Vec<TcpStream> = (0..5).map(|_| connect(s.addr)).collect();
    std::thread::sleep(Duration::from_millis(300));
    // Its sixth is told to come back...
    assert!(
        get_from("127.0.0.1", s.addr, "/healthz").contains("503"),
        "the host over its limit is refused"
    );
    // ...while another host is served.
    assert!(get_from("127.0.0.2", s.addr, "/healthz").contains("200"));
    assert!(s.log_text().contains("per-address connection cap reached"));
    drop(held);
    wait_until(5, "the host's slots back", || {
        get_from("127.0.0.1", s.addr, "/healthz").contains("200")
    });
    s.stop();
}

#[test]
fn a_connection_flood_past_the_open_file_limit_gets_503_not_silence() {
    // 256 descriptors: the cap drops to 128 so that connections can never
    // use them all up.
    let w = world();
    let db = Backend::Sqlite.fresh_db(w.root());
    let demo = w.demo();
    let demo = demo.to_str().expect("utf-8 path");
    let s = Server::start_with_open_files(
        w.root(),
        256,
        &[
            "--demo",
            demo,
            "--www",
            "www",
            "--db",
            &db,
            "--header-timeout",
            "3",
        ],
    );
    wait_until(5, "the cap lowered in the log", || {
        s.log_text().contains("lowering the cap")
    });
    // 300 silent connections: more than the process could hold.
    let flood: Vec<TcpStream> = (0..300).map(|_| connect(s.addr)).collect();
    std::thread::sleep(Duration::from_millis(500));
    // A new client gets an answer at once: "busy", not a hang.
    let t = Instant::now();
    let r = s.get("/healthz");
    assert_eq!(r.status, 503, "{}", r.text());
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(r.json()["error"], "busy");
    // The server never ran out of descriptors.
    assert!(!s.log_text().contains("accept failed"), "{}", s.log_text());
    drop(flood);
    wait_until(10, "service after the flood", || {
        s.get("/healthz").status == 200
    });
    s.stop();
}

#[test]
fn a_client_that_stops_reading_is_dropped() {
    // A 64 MiB file: far more than the socket buffers hold.
    let www = world().root().join("www");
    let big = www.join("stall-test.bin");
    std::fs::write(&big, vec![0x5a; 64 << 20]).expect("big file");
    let s = server(&["--max-connections", "1", "--stall-timeout", "1"]);
    let mut reader = connect(s.addr);
    reader
        .write_all(b"GET /stall-test.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let mut first = [0u8; 12];
    reader.read_exact(&mut first).expect("answer starts");
    assert_eq!(&first, b"HTTP/1.1 200");
    // The reader now stops reading: it holds the only slot...
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(s.get("/healthz").status, 503);
    // ...until the server gives up on it (1 s without progress).
    let t = Instant::now();
    wait_until(10, "the stalled response to be dropped", || {
        s.get("/healthz").status == 200
    });
    eprintln!(
        "slot free again {:?} after the reader stopped",
        t.elapsed() + Duration::from_millis(300)
    );
    // What the reader got is cut short, not the whole file.
    let mut got = 12usize;
    let mut buf = vec![0u8; 1 << 16];
    reader
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    loop {
        match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    assert!(got < 64 << 20, "the whole file arrived ({got} bytes)");
    let _ = std::fs::remove_file(&big);
    s.stop();
}

#[test]
fn a_body_that_never_arrives_gets_408() {
    let s = server(&["--request-timeout", "1"]);
    let mut c = connect(s.addr);
    c.write_all(
        b"POST /v1/lookup HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n\
          content-length: 100\r\n\r\n{\"number\":",
    )
    .expect("write");
    let t = Instant::now();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"request_timeout\""), "{text}");
    assert!(t.elapsed() < Duration::from_secs(10));
    // The server is fine.
    assert_eq!(s.get("/healthz").status, 200);
    s.stop();
}

/// Every route the registry serves.
const ENDPOINTS: &[&str] = &[
    "/v1/lookup",
    "/v1/verify",
    "/v1/trust-list",
    "/v1/revocations",
    "/trust-list",
    "/revocations",
    "/config.json",
    "/healthz",
    "/",
    "/index.html",
    "/v1/nothing-here",
];

#[test]
fn every_endpoint_answers_malformed_requests_with_4xx() {
    let s = server(&[]);
    let mut checked = 0;
    let expect_4xx = |what: &str, status: Option<u16>| {
        let status = status.unwrap_or_else(|| panic!("{what}: no answer"));
        assert!((400..500).contains(&status), "{what}: {status}");
    };
    for path in ENDPOINTS {
        // Methods no route takes.
        for method in ["PUT", "DELETE", "PATCH", "CONNECT", "TRACE", "FOO"] {
            let r = s.req(method, path, &[], b"");
            assert!(
                (400..500).contains(&r.status),
                "{method} {path}: {}",
                r.status
            );
            checked += 1;
        }
        // Broken HTTP: bodies with impossible lengths, broken chunks,
        // header lines without a colon, header blocks too large, a request
        // line with junk, an unknown version.
        let big_header = format!("X-Big: {}\r\n", "a".repeat(512 * 1024));
        let cases: Vec<(&str, Vec<u8>)> = vec![
            (
                "bad content-length",
                format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n").into(),
            ),
            (
                "two content-lengths",
                format!(
                    "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}"
                )
                .into(),
            ),
            (
                "negative content-length",
                format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n").into(),
            ),
            (
                "broken chunk",
                format!(
                    "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                     Transfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n"
                )
                .into(),
            ),
            (
                "header without colon",
                format!("GET {path} HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n").into(),
            ),
            (
                "header block too large",
                format!("GET {path} HTTP/1.1\r\nHost: x\r\n{big_header}\r\n").into(),
            ),
            (
                "junk request line",
                format!("GET {path} HTTP/1.1 junk\r\nHost: x\r\n\r\n").into(),
            ),
            (
                "control character in path",
                format!("GET {path}\x01 HTTP/1.1\r\nHost: x\r\n\r\n").into(),
            ),
            (
                "unknown protocol version",
                format!("GET {path} HTTP/9.9\r\nHost: x\r\n\r\n").into(),
            ),
        ];
        for (what, raw) in cases {
            expect_4xx(&format!("{what} on {path}"), raw_status(s.addr, &raw));
            checked += 1;
        }
    }
    // An HTTP/2 client (the server speaks HTTP/1.1 only) is closed at once.
    let mut h2 = connect(s.addr);
    h2.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
        .expect("write");
    assert!(closed_within(&mut h2, Duration::from_secs(3)));
    // Paths that try to leave the static folder or smuggle bytes.
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/pkg/%00",
        "/%ff%fe",
        "/v1/lookup/../../../etc/passwd",
        "//etc/passwd",
    ] {
        let r = s.get(path);
        assert!((400..500).contains(&r.status), "GET {path}: {}", r.status);
        assert!(!r.text().contains("root:"), "GET {path} leaked a file");
        checked += 1;
    }
    // The JSON endpoints with bodies of the wrong kind entirely.
    for path in ["/v1/lookup", "/v1/verify"] {
        for (ct, body) in [
            ("application/json", &b"\xef\xbb\xbf{}"[..]),
            ("application/json", &b"{\"payload\":\"x\"}garbage"[..]),
            ("application/json", &[b'['; 5000][..]),
            ("application/json", &b"\0\0\0\0"[..]),
            ("multipart/form-data; boundary=x", &b"--x--"[..]),
        ] {
            let r = s.req("POST", path, &[("content-type", ct)], body);
            assert!(
                (400..500).contains(&r.status),
                "POST {path} {ct} {:?}: {}",
                String::from_utf8_lossy(&body[..body.len().min(20)]),
                r.status
            );
            assert!(r.json()["error"].is_string());
            checked += 1;
        }
    }
    eprintln!("{checked} malformed requests, each answered 4xx");
    // After all that the server still answers.
    assert_eq!(s.get("/healthz").status, 200);
    let log = s.log_text();
    assert!(!log.contains("panicked"), "{log}");
    s.stop();
}
