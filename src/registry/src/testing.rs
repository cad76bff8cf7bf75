//! A throwaway PostgreSQL server for tests and benchmarks (feature
//! `test-support`): `initdb` into a temporary folder, `pg_ctl start` on a
//! free 127.0.0.1 port, stopped and deleted on drop, and by a watchdog if
//! the process that started it dies first (a test binary's statics are never
//! dropped). PostgreSQL refuses to run as root, so as root the server runs
//! as the `postgres` user (`runuser`), with the folder handed to it.
//!
//! The binaries come from `$YANZHENG_PG_BIN`, else the newest
//! `/usr/lib/postgresql/*/bin` (Debian's `postgresql` package, which
//! `cargo xtask setup` installs). Without them, [`TempPostgres::start`]
//! fails with a message saying so: tests must not skip PostgreSQL silently.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Settings for fast throwaway test servers (durability off).
pub const FAST_SETTINGS: &[(&str, &str)] = &[
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("max_connections", "200"),
];

/// A PostgreSQL server that lives as long as this value.
#[derive(Debug)]
pub struct TempPostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
    databases: AtomicUsize,
}

fn find_bin() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("YANZHENG_PG_BIN") {
        let bin = PathBuf::from(p);
        return if bin.join("pg_ctl").is_file() {
            Ok(bin)
        } else {
            Err(missing())
        };
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| missing())?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("pg_ctl").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b).ok_or_else(missing)
}

fn missing() -> String {
    "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): run cargo xtask setup"
        .to_string()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

impl TempPostgres {
    /// Starts a server with [`FAST_SETTINGS`].
    pub fn start() -> Result<TempPostgres, String> {
        TempPostgres::start_with(FAST_SETTINGS)
    }

    /// Starts a server with these `postgresql.conf` settings.
    pub fn start_with(settings: &[(&str, &str)]) -> Result<TempPostgres, String> {
        let bin = find_bin()?;
        let as_postgres = is_root();
        let dir = std::env::temp_dir().join(format!(
            "yanzheng-pg-{}-{}",
            std::process::id(),
            SERVERS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut pg = TempPostgres {
            bin,
            dir,
            port: 0,
            as_postgres,
            databases: AtomicUsize::new(0),
        };
        pg.watchdog();
        if as_postgres {
            pg.run_quiet(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&pg.dir),
            )?;
        }
        let data = pg.dir.join("data");
        let mut initdb = pg.command("initdb");
        initdb.arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        pg.run_quiet(&mut initdb)?;
        let mut conf = String::from("\n# yanzheng test server\nlisten_addresses = '127.0.0.1'\n");
        conf.push_str(&format!(
            "unix_socket_directories = '{}'\n",
            pg.dir.display()
        ));
        for (k, v) in settings {
            conf.push_str(&format!("{k} = '{v}'\n"));
        }
        let conf_path = data.join("postgresql.conf");
        let mut existing = std::fs::read_to_string(&conf_path)
            .map_err(|e| format!("cannot read {}: {e}", conf_path.display()))?;
        existing.push_str(&conf);
        std::fs::write(&conf_path, existing)
            .map_err(|e| format!("cannot write {}: {e}", conf_path.display()))?;

        let mut last = String::new();
        for _ in 0..3 {
            pg.port = free_port()?;
            let mut start = pg.command("pg_ctl");
            start
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(pg.dir.join("server.log"))
                .args(["-w", "-t", "60", "-o"])
                .arg(format!("-p {}", pg.port))
                .arg("start");
            // The server inherits pg_ctl's descriptors: never a pipe we wait on.
            start
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            match start.status() {
                Ok(s) if s.success() => return Ok(pg),
                Ok(s) => {
                    last = format!(
                        "pg_ctl start exited with {s}: {}",
                        std::fs::read_to_string(pg.dir.join("server.log")).unwrap_or_default()
                    );
                }
                Err(e) => last = format!("cannot run pg_ctl: {e}"),
            }
        }
        Err(last)
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    fn run_quiet(&self, cmd: &mut Command) -> Result<(), String> {
        let shown = format!("{cmd:?}");
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {shown}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{shown} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Stops the server when this process is gone, however it ended.
    fn watchdog(&self) {
        let ctl = self.bin.join("pg_ctl");
        let stop = if self.as_postgres {
            format!("runuser -u postgres -- '{}'", ctl.display())
        } else {
            format!("'{}'", ctl.display())
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {stop} -D '{dir}/data' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            dir = self.dir.display(),
        );
        let _ = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }

    /// The port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of database `name`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates a fresh database and returns its URL.
    pub fn create_database(&self) -> Result<String, String> {
        let name = format!(
            "yz_{}_{}",
            std::process::id(),
            self.databases.fetch_add(1, Ordering::Relaxed)
        );
        let mut psql = Command::new(self.bin.join("psql"));
        psql.args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-q",
            "-p",
        ])
        .arg(self.port.to_string())
        .arg("-c")
        .arg(format!("CREATE DATABASE {name}"));
        self.run_quiet(&mut psql)?;
        Ok(self.url(&name))
    }

    /// The server's log file.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// The folder holding the cluster.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let mut stop = self.command("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let _ = stop.status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
