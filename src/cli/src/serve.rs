//! `yanzheng serve`: the registry service (online lookup, server-side
//! verification, the signed lists, the widget). With `--demo DIR` it serves
//! the demo world `yanzheng demo` wrote, with DIR/certificates.csv imported
//! into a fresh database; with `--data DIR --db URL` it serves a real
//! deployment's lists and database.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use yanzheng_core::crypto::from_hex;
use yanzheng_core::PublicKey;
use yanzheng_registry::{ConnLimits, ListStore, RateLimit, Registry, ServerConfig};

use crate::error::{CliError, CliResult, EXIT_OK};
use crate::files;
use crate::import::{self, ImportOptions};
use crate::keyfile;

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// `key=value` text.
    Text,
    /// One JSON object a line.
    Json,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Prints `yanzheng: serving http://ADDR/` once listening; stops on Ctrl-C or \
SIGTERM after the requests in flight. Logs go to standard error (RUST_LOG sets the filter, \
default info); they never hold an ID number or a name.\n\n\
Endpoints: POST /v1/lookup {number, name}; POST /v1/verify {payload}; GET /v1/trust-list, \
/v1/revocations (ETag); GET /healthz; GET /config.json and the widget's files.\n\n\
The lists are read again when their files change (checked every --reload-every seconds, \
or at once on SIGHUP); a lower version is refused.\n\n\
Examples:\n  \
yanzheng demo --out demo && yanzheng serve --demo demo\n  \
yanzheng serve --data /srv/yz --db postgres://yz@127.0.0.1/yz --www www --allow-origin https://hr.example.com"
)]
pub struct ServeArgs {
    /// A folder written by `yanzheng demo --out DIR`: its lists and
    /// config.json are served, and its certificates.csv is imported into a
    /// fresh database (DIR/registry.db unless --db is given).
    #[arg(
        long,
        value_name = "DIR",
        required_unless_present = "data",
        conflicts_with = "data"
    )]
    demo: Option<PathBuf>,
    /// A data folder with trust-list, revocations (optional), config.json
    /// and root.pub: a real deployment (needs --db).
    #[arg(long, value_name = "DIR", requires = "db")]
    data: Option<PathBuf>,
    /// The database: an SQLite file (created if missing), sqlite:PATH, or
    /// postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// The widget's static files (www/ with the built pkg/). Default with
    /// --demo: www; with --data: none (API only).
    #[arg(long, value_name = "DIR")]
    www: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The root public key file that signs the lists (default: root.pub in
    /// the data folder, else config.json's root_public_key).
    #[arg(long, value_name = "FILE")]
    root: Option<PathBuf>,
    /// The lookup key file (64 hex characters; created, mode 0600, if
    /// missing). Default for an SQLite database: DB.lookup-key beside it;
    /// required for PostgreSQL. Keep it apart from the database's backups.
    #[arg(long, value_name = "FILE", env = "YANZHENG_LOOKUP_KEY_FILE")]
    lookup_key_file: Option<PathBuf>,
    /// Lookups a client address may make at once (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 30)]
    lookup_burst: u32,
    /// Lookups a client address regains per second.
    #[arg(long, value_name = "RATE", default_value_t = 1.0)]
    lookup_rate: f64,
    /// IPv6 clients are counted for the rate limit by this many leading
    /// bits (64: one host; 48 counts a whole site as one client).
    #[arg(long, value_name = "BITS", default_value_t = 64, value_parser = clap::value_parser!(u8).range(16..=128))]
    ipv6_prefix: u8,
    /// Lookups of one ID number that may find nothing (an unknown number,
    /// or a name that does not match) per hour, over all clients; then that
    /// number is refused for a while (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 10)]
    lookup_misses_per_number: u32,
    /// An origin whose pages may call the API from the browser, exactly,
    /// e.g. `https://hr.example.com`. Repeat for several.
    #[arg(long, value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// An origin whose pages may embed the widget in a frame (its
    /// `frame-ancestors`, and the only origins the widget posts results to),
    /// exactly, e.g. `https://hr.example.com`. Repeat for several.
    #[arg(long, value_name = "ORIGIN")]
    embed_origin: Vec<String>,
    /// Also serve the demo employer portal (www/portal/) on this address, a
    /// second origin that embeds the widget and may call the API.
    #[arg(long, value_name = "HOST:PORT")]
    demo_portal: Option<std::net::SocketAddr>,
    /// Largest JSON request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = yanzheng_registry::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Seconds between checks of the list files.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    reload_every: f64,
    /// Behind a reverse proxy: the header it sets to the client's address
    /// (e.g. x-forwarded-for). Believed only from --trusted-proxy peers,
    /// read from the right (entries may carry a port).
    #[arg(long, value_name = "HEADER", requires = "trusted_proxy")]
    client_ip_header: Option<String>,
    /// An address or range (10.0.0.0/8, ::1) of a reverse proxy whose
    /// --client-ip-header is believed; repeat for several.
    #[arg(long, value_name = "ADDR[/BITS]", requires = "client_ip_header")]
    trusted_proxy: Vec<String>,
    /// Seconds a client has to send a whole request head (slow or silent
    /// clients are closed).
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    header_timeout: f64,
    /// Seconds a request may take from its head to its answer (408 past it).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    request_timeout: f64,
    /// Seconds a response may wait for a client that stopped reading.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    stall_timeout: f64,
    /// Connections served at once; more are answered 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 4096)]
    max_connections: usize,
    /// Connections one client address (an IPv6 /64) may hold at once, so
    /// one host cannot keep the others out; --trusted-proxy peers are exempt.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_connections_per_address: usize,
    /// Database connections.
    #[arg(long, value_name = "N", default_value_t = 8)]
    db_connections: u32,
    /// Log format.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

fn init_logs(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The root key: --root, else DIR/root.pub, else config.json's root_public_key.
fn root_key(dir: &Path, flag: Option<&Path>) -> Result<PublicKey, CliError> {
    if let Some(p) = flag {
        return keyfile::load_root_public(p);
    }
    let beside = dir.join("root.pub");
    if beside.is_file() {
        return keyfile::load_root_public(&beside);
    }
    let config = dir.join("config.json");
    if config.is_file() {
        let text = files::read_text(&config)?;
        let hex = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("root_public_key")?.as_str().map(str::to_string));
        if let Some(key) = hex
            .and_then(|h| from_hex(&h))
            .and_then(|b| PublicKey::from_bytes(&b).ok())
        {
            return Ok(key);
        }
    }
    Err(CliError::usage(format!(
        "no root key: pass --root, or put root.pub in {}",
        dir.display()
    ))
    .hint("the root public key is what the lists are checked against"))
}

/// Deletes an SQLite database file with its WAL and shared-memory files.
fn remove_sqlite(path: &Path) -> Result<(), CliError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::io("remove", &p, &e)),
        }
    }
    Ok(())
}

/// Runs `serve`.
pub fn run(args: ServeArgs) -> CliResult {
    let (dir, demo) = match (&args.demo, &args.data) {
        (Some(d), _) => (d.clone(), true),
        (None, Some(d)) => (d.clone(), false),
        (None, None) => return Err(CliError::usage("pass --demo DIR or --data DIR")),
    };
    let flag = if demo { "--demo" } else { "--data" };
    if !dir.is_dir() {
        return Err(CliError::usage(format!(
            "{flag} {} is not a folder",
            dir.display()
        )));
    }
    let www = match (&args.www, demo) {
        (Some(w), _) => Some(w.clone()),
        (None, true) => Some(PathBuf::from("www")),
        (None, false) => None,
    };
    if let Some(w) = &www {
        if !w.is_dir() {
            return Err(CliError::usage(format!(
                "--www {} is not a folder",
                w.display()
            )));
        }
        if !w.join("pkg").is_dir() {
            eprintln!(
                "warning: {} has no pkg/ folder: build the widget first (cargo xtask build-widget)",
                w.display()
            );
        }
    }
    if !(args.lookup_rate.is_finite() && args.lookup_rate >= 0.0) {
        return Err(CliError::usage(
            "--lookup-rate must be a number of lookups a second",
        ));
    }
    let reload_every = seconds("--reload-every", args.reload_every)?;
    let header_timeout = seconds("--header-timeout", args.header_timeout)?;
    let request_timeout = seconds("--request-timeout", args.request_timeout)?;
    let stall_timeout = seconds("--stall-timeout", args.stall_timeout)?;
    if args.max_connections == 0 {
        return Err(CliError::usage("--max-connections must be at least 1"));
    }
    let client_ip_header = args
        .client_ip_header
        .as_ref()
        .map(|h| h.trim().to_ascii_lowercase());
    let mut trusted_proxies = Vec::new();
    for p in &args.trusted_proxy {
        trusted_proxies.push(yanzheng_registry::AddrRange::parse(p).ok_or_else(|| {
            CliError::usage(format!("--trusted-proxy `{p}` is not an address or range"))
                .hint("e.g. --trusted-proxy 10.0.0.0/8 or --trusted-proxy ::1")
        })?);
    }
    let root = root_key(&dir, args.root.as_deref())?;
    let lists = ListStore::load(&dir, root).map_err(|e| CliError::usage(e.to_string()))?;
    let db_spec = match (&args.db, demo) {
        (Some(db), _) => db.clone(),
        (None, true) => {
            let path = dir.join("registry.db");
            remove_sqlite(&path)?;
            path.to_string_lossy().into_owned()
        }
        (None, false) => return Err(CliError::usage("--data needs --db")),
    };
    init_logs(args.log_format);
    let mut config = ServerConfig {
        www: www.clone(),
        rate_limit: RateLimit {
            burst: args.lookup_burst,
            per_second: args.lookup_rate,
        },
        ipv6_prefix: args.ipv6_prefix,
        miss_limit: RateLimit {
            burst: args.lookup_misses_per_number,
            per_second: f64::from(args.lookup_misses_per_number) / 3600.0,
        },
        allow_origins: args.allow_origin.clone(),
        embed_origins: args.embed_origin.clone(),
        body_limit: args.body_limit,
        reload_every,
        client_ip_header,
        trusted_proxies: trusted_proxies.clone(),
        request_timeout,
        conn: ConnLimits {
            header_read: header_timeout,
            write_stall: stall_timeout,
            max_connections: args.max_connections,
            per_address: args.max_connections_per_address.max(1),
            exempt: trusted_proxies,
            ..ConnLimits::default()
        },
    };

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::usage(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async move {
        let db = import::open_db(
            &db_spec,
            args.lookup_key_file.as_deref(),
            args.db_connections,
            false,
        )
        .await?;
        if demo {
            let csv = dir.join("certificates.csv");
            if csv.is_file() {
                let sources = import::Sources {
                    trust: lists
                        .current()
                        .trust()
                        .cloned()
                        .ok_or_else(|| CliError::usage("no trust list"))?,
                    revocations: lists.current().revocations().cloned(),
                };
                let s = import::import_file(
                    &db,
                    &csv,
                    &sources,
                    &ImportOptions {
                        batch_size: 1000,
                        quiet: true,
                        failed: None,
                    },
                )
                .await?;
                eprintln!(
                    "demo: {} certificates from {} in {} ({} bad rows)",
                    s.imported,
                    csv.display(),
                    import::shown_db(&db_spec),
                    s.bad
                );
            }
        }
        let bind = |addr: std::net::SocketAddr| async move {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| CliError::usage(format!("cannot serve on {addr}: {e}")))?;
            let local = listener
                .local_addr()
                .map_err(|e| CliError::usage(format!("cannot serve on {addr}: {e}")))?;
            Ok::<_, CliError>((listener, local))
        };
        let (listener, local) = bind(args.addr).await?;
        let portal = match args.demo_portal {
            Some(addr) => {
                let (portal_listener, portal_local) = bind(addr).await?;
                // The portal is another origin that embeds the widget and
                // calls the API: allowed for both, exactly.
                let origin = format!("http://{portal_local}");
                config.embed_origins.push(origin.clone());
                config.allow_origins.push(origin);
                Some((portal_listener, portal_local))
            }
            None => None,
        };
        let registry = Registry::new(db, lists, config);
        // Check the configuration before saying we serve.
        registry
            .check()
            .map_err(|e| CliError::usage(e.to_string()))?;
        crate::outln!("yanzheng: serving http://{local}/")?;
        if let Some((portal_listener, portal_local)) = portal {
            let www = www
                .ok_or_else(|| CliError::usage("--demo-portal needs the widget's files (--www)"))?;
            let widget_origin = format!("http://{local}");
            crate::outln!("yanzheng: employer portal demo at http://{portal_local}/")?;
            tokio::spawn(async move {
                let served =
                    yanzheng_registry::serve_portal(portal_listener, www, widget_origin).await;
                if let Err(e) = served {
                    eprintln!("the portal demo stopped: {e}");
                }
            });
        }
        yanzheng_registry::serve(listener, registry, yanzheng_registry::shutdown_signal())
            .await
            .map_err(|e| CliError::usage(format!("serving on {local}: {e}")))
    })?;
    Ok(EXIT_OK)
}

/// A positive, finite number of seconds (at most a day) from flag `flag`.
fn seconds(flag: &str, value: f64) -> Result<Duration, CliError> {
    if value.is_finite() && value > 0.0 && value <= 86_400.0 {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(CliError::usage(format!(
            "{flag} must be a positive number of seconds (at most 86400)"
        )))
    }
}
