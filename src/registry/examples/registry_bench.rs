//! The registry benchmark: fills a database with generated certificates
//! through `yanzheng import` (import rate), serves it with `yanzheng serve`,
//! and loads it from a small HTTP/1.1 load generator on loopback: lookups of
//! random existing and unknown numbers, then a plain static-file GET on the
//! same server as the ceiling. Once on SQLite, once on PostgreSQL (a
//! throwaway server). Prints a Markdown table.
//!
//! ```text
//! cargo build --release -p yanzheng
//! cargo run --release -p yanzheng-registry --features test-support --example registry_bench -- \
//!     --bin target/release/yanzheng --rows 1000000 --seconds 30 --connections 32
//! ```
//!
//! Options: `--backends sqlite,postgres`, `--log info|warn` (the server's
//! RUST_LOG; info writes one access line a request), `--work DIR` (kept
//! afterwards; default a temporary folder that is deleted), `--serve-arg
//! ARG` (repeatable, passed to `yanzheng serve`), `--skip-import` (reuse
//! `--work DIR`'s SQLite database).
//!
//! `--soak SECONDS` replaces the two load phases by one lookup load of that
//! length with the server's memory sampled every 30 s: requests served,
//! errors, RSS at the start and the end (docs/security.md).

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yanzheng_core::Date;
use yanzheng_registry::testing::TempPostgres;

type Result<T> = std::result::Result<T, String>;

const HEADER: &str = "type,name,sex,number,region,cert_id,first_issued,valid_from,valid_until,review_due,category,item,employer,role,industry";
const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "华",
];
/// Areas (first six digits) the generated numbers use.
const AREAS: &[&str] = &[
    "310101", "310104", "310105", "310106", "310107", "310110", "310112", "310115",
];

struct Options {
    bin: PathBuf,
    rows: usize,
    seconds: u64,
    connections: usize,
    backends: Vec<String>,
    log: String,
    work: Option<PathBuf>,
    serve_args: Vec<String>,
    skip_import: bool,
    soak: Option<u64>,
}

fn parse_args() -> Result<Options> {
    let mut o = Options {
        bin: PathBuf::from("target/release/yanzheng"),
        rows: 1_000_000,
        seconds: 30,
        connections: 32,
        backends: vec!["sqlite".into(), "postgres".into()],
        log: "warn".into(),
        work: None,
        serve_args: Vec::new(),
        skip_import: false,
        soak: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--bin" => o.bin = PathBuf::from(val()?),
            "--rows" => o.rows = val()?.parse().map_err(|e| format!("--rows: {e}"))?,
            "--seconds" => o.seconds = val()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--connections" => {
                o.connections = val()?.parse().map_err(|e| format!("--connections: {e}"))?
            }
            "--backends" => o.backends = val()?.split(',').map(str::to_string).collect(),
            "--log" => o.log = val()?,
            "--work" => o.work = Some(PathBuf::from(val()?)),
            "--serve-arg" => o.serve_args.push(val()?),
            "--skip-import" => o.skip_import = true,
            "--soak" => o.soak = Some(val()?.parse().map_err(|e| format!("--soak: {e}"))?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn check_char(stem: &str) -> char {
    yanzheng_core::cert::id_number_check_char(stem).unwrap_or('?')
}

/// The generated holder `i`: (name, number). Distinct numbers for distinct i
/// (area, birth day and sequence number are all taken from i).
fn holder(i: usize, born: Date) -> (String, String) {
    let area = AREAS[i % AREAS.len()];
    let j = i / AREAS.len();
    let birth = born.add_days((j / 999) as i32).to_string().replace('-', "");
    let stem = format!("{area}{birth}{:03}", j % 999 + 1);
    let number = format!("{stem}{}", check_char(&stem));
    let name = format!(
        "{}{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i / 7) % GIVEN.len()],
        GIVEN[(i / 97) % GIVEN.len()]
    );
    (name, number)
}

fn born() -> Date {
    Date::from_ymd(1965, 1, 1).expect("a valid date")
}

fn write_csv(path: &Path, rows: usize) -> Result<()> {
    let today = Date::from_ymd(2026, 1, 1).ok_or("date")?;
    let from = today.add_years(-1);
    let dates = format!(
        "{},{from},{},{}",
        from.add_years(-6),
        from.add_years(6).add_days(-1),
        from.add_years(3)
    );
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    let b = born();
    writeln!(w, "{HEADER}").map_err(|e| e.to_string())?;
    for i in 0..rows {
        let (name, number) = holder(i, b);
        writeln!(
            w,
            "special_operations,{name},男,{number},310000,{},{dates},电工作业,低压电工作业,,,",
            3_100_000_000_000_000u64 + i as u64
        )
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Request bodies: half existing holders, a quarter unknown numbers, a
/// quarter existing numbers with another name.
fn lookup_bodies(rows: usize, n: usize) -> Vec<Vec<u8>> {
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let b = born();
    (0..n)
        .map(|k| {
            let i = (next() % rows as u64) as usize;
            let (mut name, mut number) = holder(i, b);
            match k % 4 {
                0 | 1 => {}
                2 => {
                    let stem = format!("99{}", &number[2..17]);
                    number = format!("{stem}{}", check_char(&stem));
                }
                _ => name.push('某'),
            }
            let body = format!("{{\"number\":\"{number}\",\"name\":\"{name}\"}}");
            format!(
                "POST /v1/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        })
        .collect()
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn start_server(o: &Options, work: &Path, db: &str) -> Result<Server> {
    let mut child = Command::new(&o.bin)
        .args([
            "serve",
            "--data",
            "demo",
            "--www",
            "www",
            "--lookup-burst",
            "0",
        ])
        .args(["--addr", "127.0.0.1:0", "--db", db])
        .env("YANZHENG_LOOKUP_KEY_FILE", work.join("bench.lookup-key"))
        .args(&o.serve_args)
        .current_dir(work)
        .env("RUST_LOG", &o.log)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(work.join("serve.log")).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", o.bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let addr = line
        .trim()
        .strip_prefix("yanzheng: serving http://")
        .and_then(|s| s.strip_suffix('/'))
        .and_then(|s| s.parse().ok())
        .ok_or(format!("unexpected line {line:?}"))?;
    Ok(Server { child, addr })
}

/// CPU seconds (user + system) a process has used.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after `)`.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

/// Resident memory of a process: (current, peak) in MiB.
fn rss(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

/// Proportional memory (PSS, MiB) of a PostgreSQL server and its backends.
fn postgres_pss(pg: &TempPostgres) -> f64 {
    let pid_file = pg.dir().join("data/postmaster.pid");
    let Some(master) = std::fs::read_to_string(pid_file)
        .ok()
        .and_then(|t| t.lines().next().and_then(|l| l.trim().parse::<u32>().ok()))
    else {
        return 0.0;
    };
    let pss = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let mut total = pss(master);
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let ppid = status
                .lines()
                .find(|l| l.starts_with("PPid:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u32>().ok());
            if ppid == Some(master) {
                total += pss(pid);
            }
        }
    }
    total / 1024.0
}

/// The 1-minute load average: other work on the machine skews the figures.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_string()
}

const FOUND: &[u8] = b"\"status\":\"found\"";

struct Load {
    requests: u64,
    found: u64,
    errors: u64,
    statuses: std::collections::BTreeMap<u16, u64>,
    latencies_us: Vec<u32>,
    seconds: f64,
    /// (seconds into the counted load, requests so far, errors so far,
    /// server RSS MiB), when sampling was asked for.
    samples: Vec<(f64, u64, u64, f64)>,
}

impl Load {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    /// The statuses counted, and the share of `found` answers.
    fn answers(&self) -> String {
        let mut out: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        out.push(format!(
            "found {:.0}%",
            100.0 * self.found as f64 / self.requests.max(1) as f64
        ));
        out.join(", ")
    }

    fn pct(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        f64::from(self.latencies_us[i]) / 1000.0
    }
}

/// Reads one response; returns its status and whether the body says
/// `"status":"found"`. `buf` keeps bytes of the next response.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<(u16, bool)> {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).unwrap_or("");
            let status = head
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let len = head
                .lines()
                .find_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let total = end + 4 + len;
            while buf.len() < total {
                let mut chunk = [0u8; 16 * 1024];
                let n = s.read(&mut chunk).await?;
                if n == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            let found = buf[end + 4..total].windows(FOUND.len()).any(|w| w == FOUND);
            buf.drain(..total);
            return Ok((status, found));
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Keep-alive connections, each sending its next request when the last
/// answer is in, for `seconds` (after a 2-second warm-up that is not counted).
/// With `sample_pid`, the server's RSS and the running counts are sampled at
/// the start and every 30 s.
fn load(
    addr: SocketAddr,
    requests: Arc<Vec<Vec<u8>>>,
    conns: usize,
    seconds: u64,
    sample_pid: Option<u32>,
) -> Load {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("runtime: {e}"),
    };
    rt.block_on(async move {
        let counting = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for c in 0..conns {
            let requests = Arc::clone(&requests);
            let counting = Arc::clone(&counting);
            let stop = Arc::clone(&stop);
            let done = Arc::clone(&done);
            let failed = Arc::clone(&failed);
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::with_capacity(400_000 / conns.max(1));
                let mut statuses = std::collections::BTreeMap::new();
                let mut errors = 0u64;
                let mut found = 0u64;
                let mut k = c * 7919;
                let mut buf = Vec::with_capacity(32 * 1024);
                let mut conn = TcpStream::connect(addr).await.ok();
                while !stop.load(Ordering::Relaxed) {
                    let Some(s) = conn.as_mut() else {
                        errors += 1;
                        conn = TcpStream::connect(addr).await.ok();
                        continue;
                    };
                    let _ = s.set_nodelay(true);
                    let req = &requests[k % requests.len()];
                    k += 1;
                    let t = Instant::now();
                    let result = match s.write_all(req).await {
                        Ok(()) => read_response(s, &mut buf).await,
                        Err(e) => Err(e),
                    };
                    let us = t.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                    let on = counting.load(Ordering::Relaxed);
                    match result {
                        Ok((status, is_found)) => {
                            if on {
                                lat.push(us);
                                found += u64::from(is_found);
                                *statuses.entry(status).or_insert(0u64) += 1;
                                done.fetch_add(1, Ordering::Relaxed);
                                if status != 200 {
                                    errors += 1;
                                    failed.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                        }
                        Err(_) => {
                            if on {
                                errors += 1;
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                            buf.clear();
                            conn = TcpStream::connect(addr).await.ok();
                        }
                    }
                }
                (lat, statuses, errors, found)
            }));
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        counting.store(true, Ordering::Relaxed);
        let started = Instant::now();
        let mut samples = Vec::new();
        let sample = |samples: &mut Vec<(f64, u64, u64, f64)>| {
            if let Some(pid) = sample_pid {
                samples.push((
                    started.elapsed().as_secs_f64(),
                    done.load(Ordering::Relaxed),
                    failed.load(Ordering::Relaxed),
                    rss(pid).0,
                ));
            }
        };
        sample(&mut samples);
        let end = started + Duration::from_secs(seconds);
        while Instant::now() < end {
            let next = (Instant::now() + Duration::from_secs(30)).min(end);
            tokio::time::sleep_until(next.into()).await;
            sample(&mut samples);
        }
        counting.store(false, Ordering::Relaxed);
        let elapsed = started.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        let mut out = Load {
            requests: 0,
            found: 0,
            errors: 0,
            statuses: Default::default(),
            latencies_us: Vec::new(),
            seconds: elapsed,
            samples,
        };
        for t in tasks {
            if let Ok((lat, statuses, errors, found)) = t.await {
                out.found += found;
                out.latencies_us.extend(lat);
                for (s, n) in statuses {
                    *out.statuses.entry(s).or_insert(0) += n;
                }
                out.errors += errors;
            }
        }
        out.requests = out.latencies_us.len() as u64;
        out.latencies_us.sort_unstable();
        out
    })
}

struct Row {
    backend: String,
    import_rows_s: f64,
    import_s: f64,
    lookup: Load,
    lookup_rss: (f64, f64),
    fixed: Load,
    fixed_rss: (f64, f64),
    pg_pss: Option<f64>,
    load_before: String,
    lookup_cpu_us: f64,
    fixed_cpu_us: f64,
}

/// The soak: one long lookup load with the server's memory sampled.
fn soak(o: &Options, backend: &str, server: &Server, seconds: u64) {
    let pid = server.child.id();
    eprintln!(
        "[{backend}] soak: lookups, {} connections, {seconds} s",
        o.connections
    );
    let bodies = Arc::new(lookup_bodies(o.rows, 200_000));
    let load_before = load_average();
    let cpu0 = cpu_seconds(pid);
    let l = load(server.addr, bodies, o.connections, seconds, Some(pid));
    let cpu = cpu_seconds(pid) - cpu0;
    println!(
        "soak, {backend}: {} rows, {seconds} s of lookups on {} keep-alive connections, \
         server RUST_LOG={}, load average before {load_before}\n",
        o.rows, o.connections, o.log
    );
    println!("| s | requests so far | errors so far | server RSS MiB |");
    println!("|---|---|---|---|");
    for (t, n, e, m) in &l.samples {
        println!("| {t:.0} | {n} | {e} | {m:.1} |");
    }
    let (first, last) = match (l.samples.first(), l.samples.last()) {
        (Some(f), Some(l)) => (f.3, l.3),
        _ => (0.0, 0.0),
    };
    println!(
        "\nrequests {} ({:.0}/s), errors {}, answers {}, p50 {:.2} ms, p99 {:.2} ms, \
         p99.9 {:.2} ms, server CPU {cpu:.1} s; RSS {first:.1} MiB at the start, \
         {last:.1} MiB at the end ({:+.1} MiB), peak {:.1} MiB",
        l.requests,
        l.rate(),
        l.errors,
        l.answers(),
        l.pct(0.50),
        l.pct(0.99),
        l.pct(0.999),
        last - first,
        rss(pid).1,
    );
}

fn run_backend(o: &Options, work: &Path, backend: &str) -> Result<Option<Row>> {
    let mut pg = None;
    let db = match backend {
        "sqlite" => {
            let p = work.join("bench.db");
            if !o.skip_import {
                for s in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{s}", p.display()));
                }
            }
            p.to_string_lossy().into_owned()
        }
        "postgres" => {
            let server = TempPostgres::start_with(&[
                ("shared_buffers", "512MB"),
                ("max_connections", "100"),
            ])?;
            let url = server.create_database()?;
            pg = Some(server);
            url
        }
        other => return Err(format!("unknown backend {other}")),
    };
    let mut import_s = f64::NAN;
    if !(o.skip_import && backend == "sqlite") {
        eprintln!("[{backend}] importing {} rows", o.rows);
        let started = Instant::now();
        let out = Command::new(&o.bin)
            .args(["import", "certs.csv", "--data", "demo", "--db", &db])
            // One key file for both databases (PostgreSQL needs one named).
            .env("YANZHENG_LOOKUP_KEY_FILE", work.join("bench.lookup-key"))
            .current_dir(work)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        import_s = started.elapsed().as_secs_f64();
        if !out.status.success() {
            return Err(format!(
                "import failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        eprintln!(
            "[{backend}] {}",
            String::from_utf8_lossy(&out.stdout).trim()
        );
    }

    let server = start_server(o, work, &db)?;
    let pid = server.child.id();
    if let Some(seconds) = o.soak {
        soak(o, backend, &server, seconds);
        drop(server);
        drop(pg);
        return Ok(None);
    }
    eprintln!(
        "[{backend}] lookups, {} connections, {} s",
        o.connections, o.seconds
    );
    let bodies = Arc::new(lookup_bodies(o.rows, 200_000));
    let load_before = load_average();
    let cpu0 = cpu_seconds(pid);
    let lookup = load(server.addr, bodies, o.connections, o.seconds, None);
    // Includes the 2-second warm-up: per request, count those requests too.
    let lookup_cpu_us = (cpu_seconds(pid) - cpu0) * 1e6
        / (lookup.requests as f64 * (o.seconds as f64 + 2.0) / o.seconds as f64).max(1.0);
    let lookup_rss = rss(pid);
    let pg_pss = pg.as_ref().map(postgres_pss);
    eprintln!(
        "[{backend}] static GET, {} connections, {} s",
        o.connections, o.seconds
    );
    let get = Arc::new(vec![
        b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec()
    ]);
    let cpu0 = cpu_seconds(pid);
    let fixed = load(server.addr, get, o.connections, o.seconds, None);
    let fixed_cpu_us = (cpu_seconds(pid) - cpu0) * 1e6
        / (fixed.requests as f64 * (o.seconds as f64 + 2.0) / o.seconds as f64).max(1.0);
    let fixed_rss = rss(pid);
    drop(server);
    drop(pg);
    Ok(Some(Row {
        backend: backend.to_string(),
        import_rows_s: o.rows as f64 / import_s,
        import_s,
        lookup,
        lookup_rss,
        fixed,
        fixed_rss,
        pg_pss,
        load_before,
        lookup_cpu_us,
        fixed_cpu_us,
    }))
}

fn main() -> std::process::ExitCode {
    match real_main() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("registry_bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `--micro DB`: the lookup query alone, no HTTP, through sqlx's Any pool
/// (what the registry uses) and a typed SQLite pool, 32 queries in flight:
/// how much the Any driver costs.
fn micro(db: &str, seconds: u64) -> Result<()> {
    use sqlx::Row;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{db}?mode=ro");
        let any = sqlx::any::AnyPoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        let keys: Vec<String> =
            sqlx::query("SELECT number_key FROM certificates ORDER BY random() LIMIT 50000")
                .fetch_all(&any)
                .await
                .map_err(|e| e.to_string())?
                .iter()
                .filter_map(|r| r.try_get::<String, _>(0).ok())
                .collect();
        let keys = Arc::new(keys);
        let typed = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect(&url)
            .await
            .map_err(|e| e.to_string())?;
        const SQL: &str =
            "SELECT cert_id, number_key, name_key, name_masked, number_masked, kind, region, \
             issuer, fields, revoked, updated_at FROM certificates WHERE number_key = $1";
        println!("| pool | queries/s | process CPU µs/query |\n|---|---|---|");
        for kind in ["any", "typed"] {
            let stop = Arc::new(AtomicBool::new(false));
            let me = std::process::id();
            let cpu0 = cpu_seconds(me);
            let started = Instant::now();
            let mut tasks = Vec::new();
            for t in 0..32usize {
                let (keys, stop, any, typed) = (
                    Arc::clone(&keys),
                    Arc::clone(&stop),
                    any.clone(),
                    typed.clone(),
                );
                tasks.push(tokio::spawn(async move {
                    let mut n = 0u64;
                    let mut i = t * 1543;
                    while !stop.load(Ordering::Relaxed) {
                        let key = keys[i % keys.len()].clone();
                        i += 1;
                        let ok = if kind == "any" {
                            sqlx::query(SQL)
                                .bind(key)
                                .fetch_all(&any)
                                .await
                                .map(|rows| {
                                    rows.iter()
                                        .all(|r| r.try_get::<String, _>("fields").is_ok())
                                })
                        } else {
                            sqlx::query(SQL)
                                .bind(key)
                                .fetch_all(&typed)
                                .await
                                .map(|rows| {
                                    rows.iter()
                                        .all(|r| r.try_get::<String, _>("fields").is_ok())
                                })
                        };
                        if matches!(ok, Ok(true)) {
                            n += 1;
                        }
                    }
                    n
                }));
            }
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            stop.store(true, Ordering::Relaxed);
            let mut n = 0;
            for t in tasks {
                n += t.await.unwrap_or(0);
            }
            let secs = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds(me) - cpu0;
            println!(
                "| {kind} | {:.0} | {:.1} |",
                n as f64 / secs,
                cpu * 1e6 / n.max(1) as f64
            );
        }
        Ok(())
    })
}

fn real_main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--micro") {
        let db = args.get(2).ok_or("--micro DB")?;
        let seconds = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
        return micro(db, seconds);
    }
    let o = parse_args()?;
    let bin = std::fs::canonicalize(&o.bin).map_err(|e| {
        format!(
            "{}: {e} (build it: cargo build --release -p yanzheng)",
            o.bin.display()
        )
    })?;
    let o = Options { bin, ..o };
    let (work, temp) = match &o.work {
        Some(w) => (w.clone(), false),
        None => (
            std::env::temp_dir().join(format!("yanzheng-bench-{}", std::process::id())),
            true,
        ),
    };
    std::fs::create_dir_all(work.join("www")).map_err(|e| e.to_string())?;
    std::fs::write(
        work.join("www/index.html"),
        "<!doctype html><title>yanzheng</title><h1>验证</h1>\n",
    )
    .map_err(|e| e.to_string())?;
    let demo = Command::new(&o.bin)
        .args(["demo", "--out", "demo"])
        .current_dir(&work)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !demo.success() {
        return Err("yanzheng demo failed".into());
    }
    eprintln!("writing {} rows", o.rows);
    write_csv(&work.join("certs.csv"), o.rows)?;

    let mut rows = Vec::new();
    for b in &o.backends {
        rows.extend(run_backend(&o, &work, b)?);
    }
    if o.soak.is_some() {
        if temp {
            let _ = std::fs::remove_dir_all(&work);
        }
        return Ok(());
    }
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "registry benchmark: {} rows, {} s per load, {} connections, server RUST_LOG={}, {cores} cores ({cpu}), load generator on the same machine (1 thread)\n",
        o.rows, o.seconds, o.connections, o.log
    );
    println!("| database | import rows/s (time) | lookups/s | p50 ms | p99 ms | p99.9 ms | errors | answers | server CPU µs/lookup | server RSS MiB (peak) | static GET/s | GET p50 / p99 ms | GET errors | server CPU µs/GET | load avg before |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let mem = match r.pg_pss {
            Some(pg) => format!(
                "{:.0} ({:.0}); PostgreSQL PSS {pg:.0}",
                r.lookup_rss.0,
                r.lookup_rss.1.max(r.fixed_rss.1)
            ),
            None => format!(
                "{:.0} ({:.0})",
                r.lookup_rss.0,
                r.lookup_rss.1.max(r.fixed_rss.1)
            ),
        };
        println!(
            "| {} | {:.0} ({:.1} s) | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} | {:.0} | {} | {:.0} | {:.2} / {:.2} | {} | {:.0} | {} |",
            r.backend,
            r.import_rows_s,
            r.import_s,
            r.lookup.rate(),
            r.lookup.pct(0.50),
            r.lookup.pct(0.99),
            r.lookup.pct(0.999),
            r.lookup.errors,
            r.lookup.answers(),
            r.lookup_cpu_us,
            mem,
            r.fixed.rate(),
            r.fixed.pct(0.50),
            r.fixed.pct(0.99),
            r.fixed.errors,
            r.fixed_cpu_us,
            r.load_before,
        );
    }
    if temp {
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(())
}
