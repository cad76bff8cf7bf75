//! The CLI tests' one harness: run the real binary (`yz`, `ok`,
//! `yz_expect`) and read what it did; a small world of keys and lists
//! ([`world`]); and for the registry tests ([`registry`]) the demo world, a
//! database of each kind (an SQLite file, and a database on a throwaway
//! PostgreSQL server shared by the tests of one binary), the real
//! `yanzheng serve` process and a small HTTP/1.1 client over std's
//! TcpStream. Every registry test runs once per [`registry::Backend`].

// Each test binary uses part of the harness.
#![allow(dead_code, unused_imports)]

pub mod registry;
pub mod world;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use yanzheng_core::{Date, UnixTime};

pub use registry::*;
pub use world::*;

/// The path of the binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_yanzheng");

/// Runs `yanzheng ARGS` in `dir`.
pub fn yz(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    with_pg_key(&mut c, args);
    c.args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the yanzheng binary runs")
}

/// The lookup key file of every PostgreSQL database of this test binary
/// (the CLI requires one for PostgreSQL; SQLite keeps DB.lookup-key).
pub fn pg_key_file() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"))
            .path()
            .join("postgres.lookup-key")
    })
}

/// Names the binary's PostgreSQL key file to a command whose arguments
/// name a PostgreSQL database and no key file.
pub fn with_pg_key(c: &mut Command, args: &[&str]) {
    if args.iter().any(|a| a.starts_with("postgres://")) && !args.contains(&"--lookup-key-file") {
        c.env("YANZHENG_LOOKUP_KEY_FILE", pg_key_file());
    }
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The exit code (panics on a signal: the binary must never die of one).
pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

/// Asserts the exit code, showing both streams if it differs.
#[track_caller]
pub fn expect_code(o: &Output, want: i32) {
    assert_eq!(
        code(o),
        want,
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        stdout(o),
        stderr(o)
    );
    assert!(
        !stderr(o).contains("panicked"),
        "the binary panicked:\n{}",
        stderr(o)
    );
}

/// Runs and asserts success; returns stdout.
#[track_caller]
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let o = yz(dir, args);
    expect_code(&o, 0);
    stdout(&o)
}

/// Today in China time, as the binary sees it.
pub fn today() -> Date {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    Date::in_china_at(UnixTime(secs))
}

/// Runs and asserts the exit code; returns (stdout, stderr).
#[track_caller]
pub fn yz_expect(dir: &Path, args: &[&str], want: i32) -> (String, String) {
    let o = yz(dir, args);
    expect_code(&o, want);
    (stdout(&o), stderr(&o))
}

/// Waits until `f` is true, up to `secs` seconds.
#[track_caller]
pub fn wait_until(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A valid-checksum ID number from 17 digits.
pub fn with_check_char(stem: &str) -> String {
    let check = yanzheng_core::cert::id_number_check_char(stem).expect("17 digits");
    format!("{stem}{check}")
}

/// Runs async code on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}
