//! The registry tests' harness: the demo world, a database of each kind,
//! the real `yanzheng serve` process and a small HTTP/1.1 client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use yanzheng_registry::testing::TempPostgres;

use super::*;

/// Where the CLI keeps the lookup key of `db` when no file is named.
pub fn key_file(db: &str) -> PathBuf {
    if db.starts_with("postgres://") {
        pg_key_file().to_path_buf()
    } else {
        PathBuf::from(format!("{db}.lookup-key"))
    }
}

/// Options to open `db` in a test as the CLI would (its key file).
pub fn open_options(db: &str) -> yanzheng_registry::OpenOptions {
    yanzheng_registry::OpenOptions {
        lookup_key_file: Some(key_file(db)),
        ..yanzheng_registry::OpenOptions::default()
    }
}

/// `yanzheng import --revocations IDS_FILE` for the demo world's Shanghai
/// key (bare ids), re-signing `demo/revocations`; asserts the exit code.
#[track_caller]
pub fn revoke_in_demo(dir: &Path, db: &str, ids_file: &str, code: i32) -> (String, String) {
    yz_expect(
        dir,
        &[
            "import",
            "--revocations",
            ids_file,
            "--key",
            "demo/issuer-shanghai.pub",
            "--db",
            db,
            "--root",
            "demo/root.key",
            "--data",
            "demo",
        ],
        code,
    )
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A file in the test's temporary folder.
    Sqlite,
    /// A fresh database on the shared throwaway server.
    Postgres,
}

/// Both, in the order tests run them.
pub const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

fn postgres() -> &'static TempPostgres {
    static PG: OnceLock<Result<TempPostgres, String>> = OnceLock::new();
    match PG.get_or_init(TempPostgres::start) {
        Ok(pg) => pg,
        Err(e) => panic!("cannot start the test PostgreSQL server: {e}"),
    }
}

impl Backend {
    /// A new, empty database of this kind (`dir` holds SQLite files).
    pub fn fresh_db(self, dir: &Path) -> String {
        match self {
            Backend::Sqlite => {
                static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
                let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                dir.join(format!("registry-{n}.db"))
                    .to_string_lossy()
                    .into_owned()
            }
            Backend::Postgres => postgres()
                .create_database()
                .unwrap_or_else(|e| panic!("cannot create a test database: {e}")),
        }
    }
}

/// One verdict case of the demo world.
#[derive(Debug, Clone)]
pub struct Case {
    /// The verdict `verify` must give.
    pub expect: String,
    /// The QR text.
    pub payload: String,
}

/// A demo world written by `yanzheng demo` into a temporary folder.
pub struct World {
    pub tmp: tempfile::TempDir,
    pub cases: Vec<Case>,
}

impl World {
    /// A fresh demo world (its own folder: tests may change its files).
    pub fn new() -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        yz_expect(tmp.path(), &["demo", "--out", "demo"], 0);
        std::fs::create_dir_all(tmp.path().join("www")).expect("www");
        std::fs::write(tmp.path().join("www/index.html"), "<h1>widget</h1>").expect("index");
        let text = std::fs::read_to_string(tmp.path().join("demo/cases.json")).expect("cases");
        let v: serde_json::Value = serde_json::from_str(&text).expect("cases.json");
        let cases = v
            .as_array()
            .expect("array")
            .iter()
            .map(|c| Case {
                expect: c["expect"].as_str().expect("expect").to_string(),
                payload: c["payload"].as_str().expect("payload").to_string(),
            })
            .collect();
        World { tmp, cases }
    }

    /// The temporary folder.
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// The demo data folder.
    pub fn demo(&self) -> PathBuf {
        self.tmp.path().join("demo")
    }

    /// The payload of a demo case.
    pub fn payload(&self, expect: &str) -> &str {
        &self
            .cases
            .iter()
            .find(|c| c.expect == expect)
            .unwrap_or_else(|| panic!("no demo case {expect}"))
            .payload
    }
}

/// A demo holder: (name, number, cert_id) from certificates.csv, by row.
pub fn demo_holder(world: &World, row: usize) -> (String, String, u64) {
    let text = std::fs::read_to_string(world.demo().join("certificates.csv")).expect("csv");
    let line = text.lines().nth(row + 1).expect("row");
    let cells: Vec<&str> = line.split(',').collect();
    (
        cells[1].to_string(),
        cells[3].to_string(),
        cells[5].parse().expect("cert_id"),
    )
}

/// A running `yanzheng serve`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
}

impl Server {
    /// Starts `yanzheng serve ARGS --addr 127.0.0.1:0` in `dir` and waits for
    /// its `serving` line.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        Server::spawn(dir, Command::new(BIN), args)
    }

    /// As [`Server::start`], with the process's open-file limit set to
    /// `nofile` (`ulimit -n`, then the server replaces the shell).
    pub fn start_with_open_files(dir: &Path, nofile: u32, args: &[&str]) -> Server {
        let mut sh = Command::new("sh");
        sh.arg("-c")
            .arg(format!("ulimit -n {nofile} && exec \"$0\" \"$@\""))
            .arg(BIN);
        Server::spawn(dir, sh, args)
    }

    fn spawn(dir: &Path, mut command: Command, args: &[&str]) -> Server {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let log = dir.join(format!(
            "serve-{}.log",
            N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        with_pg_key(&mut command, args);
        let mut child = command
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .current_dir(dir)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            // Keep reading so the server never blocks on a full pipe.
            for _ in lines {}
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "serve printed no URL; log:\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        };
        let addr = line
            .strip_prefix("yanzheng: serving http://")
            .and_then(|s| s.strip_suffix('/'))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server { child, addr, log }
    }

    /// Stops with SIGTERM (graceful) and asserts a clean exit.
    pub fn stop(mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "serve exited with {status}: {}",
                    self.log_text()
                );
                return;
            }
            assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the server with SIGKILL, as a crash or an OOM kill would.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        let _ = self.child.wait();
    }

    /// What the server logged so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A request.
    pub fn req(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        http(self.addr, method, path, headers, body)
    }

    /// `POST path` with a JSON body.
    pub fn post_json(&self, path: &str, body: &str) -> Resp {
        self.req(
            "POST",
            path,
            &[("content-type", "application/json")],
            body.as_bytes(),
        )
    }

    /// `POST /v1/lookup`.
    pub fn lookup(&self, number: &str, name: &str) -> Resp {
        self.post_json(
            "/v1/lookup",
            &serde_json::json!({ "number": number, "name": name }).to_string(),
        )
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Resp {
        self.req("GET", path, &[], b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// A header's value (name in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a new connection (`Connection: close`).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && *v == "chunked");
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    if !chunked && (method == "POST" || !body.is_empty()) {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    if chunked {
        for chunk in body.chunks(4096) {
            bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            bytes.extend_from_slice(chunk);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b"0\r\n\r\n");
    } else {
        bytes.extend_from_slice(body);
    }
    // The server may answer (413) and close before reading it all.
    let _ = s.write_all(&bytes);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse_response(&out)
}

fn parse_response(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP response: {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let is_chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if is_chunked {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = end + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        b = &b[(start + size + 2).min(b.len())..];
    }
    out
}
