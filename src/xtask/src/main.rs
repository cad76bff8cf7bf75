//! Project tasks for yanzheng. `cargo xtask run` builds everything and starts
//! the demo; `cargo xtask test` runs every check. Both install what a fresh
//! machine lacks (wasm32 target, wasm-bindgen-cli and geckodriver at pinned
//! versions, Chromium, WebKitGTK, Firefox ESR and their drivers from Debian,
//! npm tools from the lockfile) and are safe to run again.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

type Result<T> = std::result::Result<T, String>;

const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// geckodriver, installed once with cargo (like wasm-bindgen-cli).
const GECKODRIVER_VERSION: &str = "0.37.1";

/// WebKitGTK's MiniBrowser (Debian `webkit2gtk-driver` brings it).
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

const USAGE: &str = "usage: cargo xtask <command>

commands:
  run            build everything, write the demo world, serve the widget on 127.0.0.1
                 (options: --addr HOST:PORT, default 127.0.0.1:8080)
  test           every check: fmt, clippy (native and wasm32), docs, native tests,
                 browser tests (wasm-bindgen-test in headless Chromium), end-to-end tests
                 (Chromium; the cross-engine cases also in WebKitGTK and Firefox ESR)
  setup          only install the tools the other commands need
  build-widget   build the widget into www/pkg (release wasm, wasm-bindgen, wasm-opt)
  bench-decode   QR decoding over ../shared/qr-samples, native and wasm (node), with rqrr
                 as-is as the reference in the same run; extra options go to bench-decode
  bench-widget   the widget in Chromium with a fake camera: first-load transfer, time to
                 verdict (--runs N, default 20), long tasks and decode attempts per second;
                 then load and tap-to-verdict times in Chromium, WebKitGTK and Firefox ESR
                 (--load-runs N, default 5; --engines-only for just that table)
  bench-revocation
                 the revocation set at national scale (340 issuer keys, 30 M certificates,
                 1% revoked, 30 days of 1,000 revocations): size against the entropy bound,
                 deltas, build/load/check times natively and in wasm; options go to it
  fuzz [SECONDS] every cargo-fuzz target (tests/fuzz) for SECONDS each (default 60), on
                 nightly, seeded from the test vectors; `test` runs them for 60 s each
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let started = Instant::now();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("setup") => setup(),
        Some("build-widget") => setup().and_then(|_| build_widget()),
        Some("bench-decode") => setup().and_then(|_| bench_decode(&args[1..])),
        Some("bench-widget") => setup().and_then(|_| bench_widget(&args[1..])),
        Some("bench-revocation") => setup().and_then(|_| bench_revocation(&args[1..])),
        Some("fuzz") => setup().and_then(|_| {
            let seconds = match args.get(1) {
                Some(s) => s
                    .parse()
                    .map_err(|_| format!("fuzz: `{s}` is not a number of seconds"))?,
                None => FUZZ_SECONDS,
            };
            fuzz(seconds)
        }),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => {
            eprintln!("xtask: done in {:.0} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("xtask: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    // src/xtask -> repository root
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn step(name: &str) {
    eprintln!("\n==> {name}");
}

fn cargo() -> Command {
    let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn run_cmd(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} exited with {status}"))
    }
}

fn output_of(cmd: &mut Command) -> Option<String> {
    cmd.output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// The wasm-bindgen version pinned in Cargo.lock.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version".into())
}

fn setup() -> Result<()> {
    step("setup: wasm32 target");
    let targets = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if !targets.lines().any(|l| l.trim() == WASM_TARGET) {
        run_cmd(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
    }

    step("setup: nightly toolchain and cargo-fuzz (fuzzing)");
    let toolchains =
        output_of(Command::new("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        run_cmd(Command::new("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    if output_of(nightly_cargo().args(["fuzz", "--version"])).is_none() {
        eprintln!("installing cargo-fuzz (about 2 minutes)");
        run_cmd(Command::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }

    step("setup: wasm-bindgen-cli");
    // Make sure Cargo.lock exists and pins wasm-bindgen.
    run_cmd(
        cargo()
            .args(["metadata", "--format-version", "1", "--quiet"])
            .stdout(std::process::Stdio::null()),
    )?;
    let want = locked_wasm_bindgen_version()?;
    let have_version = output_of(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner =
        output_of(Command::new("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if !have_version.contains(&want) || !runner.contains(&want) {
        eprintln!("installing wasm-bindgen-cli {want} (about 3 minutes)");
        // Not --locked: the CLI's own lockfile pins a crate version the registry lacks.
        run_cmd(cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={want}"),
        ]))?;
    } else {
        eprintln!("wasm-bindgen {want}: present");
    }

    step("setup: Chromium, WebKitGTK, Firefox ESR and their drivers, Xvfb, ffmpeg, PostgreSQL");
    let need_apt = !Path::new("/usr/bin/chromium").exists()
        || !Path::new("/usr/bin/chromedriver").exists()
        || !Path::new("/usr/bin/WebKitWebDriver").exists()
        || !Path::new(MINIBROWSER).exists()
        || !Path::new("/usr/lib/firefox-esr/firefox-esr").exists()
        || !Path::new("/usr/bin/xvfb-run").exists()
        || !have("ffmpeg", "-version")
        || !have_postgres();
    if need_apt {
        let sudo = if is_root() { None } else { Some("sudo") };
        let apt = |args: &[&str]| -> Result<()> {
            let mut c = match sudo {
                Some(s) => {
                    let mut c = Command::new(s);
                    c.arg("apt-get");
                    c
                }
                None => Command::new("apt-get"),
            };
            c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            run_cmd(&mut c)
        };
        apt(&["update", "-q"])?;
        apt(&[
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
            "chromium",
            "chromium-driver",
            // WebKit (every iOS browser's engine) and its driver; MiniBrowser
            // has no headless mode, hence Xvfb; GStreamer plays its video.
            "webkit2gtk-driver",
            "xvfb",
            "xauth",
            "gstreamer1.0-plugins-base",
            "gstreamer1.0-plugins-good",
            "gstreamer1.0-gl",
            "gstreamer1.0-libav",
            "firefox-esr",
            "ffmpeg",
            "postgresql",
        ])?;
    } else {
        eprintln!("browsers and drivers, xvfb, ffmpeg, postgresql: present");
    }

    step("setup: geckodriver (Firefox's WebDriver; not a Debian package)");
    let gecko = output_of(Command::new("geckodriver").arg("--version")).unwrap_or_default();
    if !gecko.contains(GECKODRIVER_VERSION) {
        eprintln!("installing geckodriver {GECKODRIVER_VERSION} (about 5 minutes)");
        run_cmd(cargo().args([
            "install",
            "geckodriver",
            "--version",
            &format!("={GECKODRIVER_VERSION}"),
            "--locked",
        ]))?;
    } else {
        eprintln!("geckodriver {GECKODRIVER_VERSION}: present");
    }

    step("setup: npm tools (tests/e2e, from package-lock.json)");
    let e2e = root().join("tests/e2e");
    let lock = e2e.join("package-lock.json");
    let stamp = e2e.join("node_modules/.package-lock.json");
    let fresh = match (fs::metadata(&lock), fs::metadata(&stamp)) {
        (Ok(l), Ok(s)) => match (l.modified(), s.modified()) {
            (Ok(l), Ok(s)) => s >= l,
            _ => false,
        },
        _ => false,
    };
    if !fresh {
        run_cmd(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&e2e),
        )?;
    } else {
        eprintln!("node_modules: up to date");
    }
    Ok(())
}

/// The registry tests start their own throwaway PostgreSQL from Debian's binaries.
fn have_postgres() -> bool {
    fs::read_dir("/usr/lib/postgresql")
        .map(|versions| {
            versions
                .flatten()
                .any(|v| v.path().join("bin/pg_ctl").exists())
        })
        .unwrap_or(false)
}

fn is_root() -> bool {
    output_of(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false)
}

fn build_widget() -> Result<()> {
    let pkg = root().join("www/pkg");
    let _ = fs::remove_dir_all(&pkg);
    // The page: small first. The decoder worker's module: fast, and fetched
    // after the first screen (at idle, or at the first scan).
    wasm_module("yanzheng-widget", "yanzheng_widget", "wasm", "-Oz", &pkg)?;
    wasm_module(
        "yanzheng-decoder",
        "yanzheng_decoder",
        "wasm-decoder",
        "-O3",
        &pkg,
    )?;
    let www = root().join("www");
    let build = write_build_id(&www)?;
    compress_shell(&www)?;
    eprintln!("widget build {build} in {}:", pkg.display());
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let (mut total_raw, mut total_gz, mut total_br) = (0, 0, 0);
    for name in SHELL_FILES {
        let file = www.join(name);
        let raw = size(&file);
        let gz = size(&www.join(format!("{name}.gz")));
        let br = size(&www.join(format!("{name}.br")));
        (total_raw, total_gz, total_br) = (total_raw + raw, total_gz + gz, total_br + br);
        eprintln!("  {name:<30} {raw:>9} bytes {gz:>9} gzip {br:>9} br");
    }
    eprintln!(
        "  {:<30} {total_raw:>9} bytes {total_gz:>9} gzip {total_br:>9} br",
        "shell total"
    );
    Ok(())
}

/// Builds one crate to wasm with `profile`, runs wasm-bindgen (`--target
/// web`) into `pkg` and optimises the result with wasm-opt `level`.
fn wasm_module(package: &str, name: &str, profile: &str, level: &str, pkg: &Path) -> Result<()> {
    step(&format!(
        "build {package} (wasm, profile `{profile}`, wasm-opt {level})"
    ));
    run_cmd(cargo().args([
        "build",
        "-p",
        package,
        "--target",
        WASM_TARGET,
        "--profile",
        profile,
    ]))?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(profile)
        .join(format!("{name}.wasm"));
    run_cmd(
        Command::new("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                name,
                "--out-dir",
            ])
            .arg(pkg)
            .arg(&wasm),
    )?;
    let bg = pkg.join(format!("{name}_bg.wasm"));
    let optimised = pkg.join(format!("{name}_bg.opt.wasm"));
    let opt = root().join("tests/e2e/node_modules/binaryen/bin/wasm-opt");
    // The features rustc enables for wasm32-unknown-unknown; naming them keeps
    // wasm-opt from refusing or rewriting instructions it thinks are off.
    run_cmd(
        Command::new("node")
            .arg(&opt)
            .args([
                level,
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "--strip-producers",
            ])
            .arg(&bg)
            .arg("-o")
            .arg(&optimised),
    )?;
    fs::rename(&optimised, &bg).map_err(|e| format!("renaming {}: {e}", optimised.display()))
}

/// The files of one widget version: the service worker keeps them together
/// and swaps them together (www/sw.js).
const SHELL_FILES: &[&str] = &[
    "index.html",
    "main.js",
    "style.css",
    "decoder-worker.js",
    "manifest.webmanifest",
    "pkg/yanzheng_widget.js",
    "pkg/yanzheng_widget_bg.wasm",
    "pkg/yanzheng_decoder.js",
    "pkg/yanzheng_decoder_bg.wasm",
];

/// Writes www/pkg/build.js, `self.YANZHENG_BUILD = "<id>"`, the id being a
/// hash (FNV-1a, 64 bits: an identity, not a defence) of the shell files.
/// The service worker imports it, so any change to the shell changes the
/// worker and starts an update.
fn write_build_id(www: &Path) -> Result<String> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for name in SHELL_FILES {
        let path = www.join(name);
        let bytes = fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        for b in name.bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let id = format!("{hash:016x}");
    let file = www.join("pkg/build.js");
    fs::write(
        &file,
        format!("// Written by cargo xtask build-widget.\nself.YANZHENG_BUILD = '{id}';\n"),
    )
    .map_err(|e| format!("writing {}: {e}", file.display()))?;
    Ok(id)
}

/// Writes FILE.gz (gzip -9) and FILE.br (brotli, quality 11, by node's
/// zlib) beside each shell file and embed.js, for the server to send
/// precompressed.
fn compress_shell(www: &Path) -> Result<()> {
    let files: Vec<PathBuf> = SHELL_FILES
        .iter()
        .chain(["embed.js", "sw.js", "pkg/build.js"].iter())
        .map(|f| www.join(f))
        .collect();
    for f in &files {
        run_cmd(Command::new("gzip").args(["-9", "-n", "-k", "-f"]).arg(f))?;
    }
    let script = "const z=require('zlib'),fs=require('fs');\
        for (const f of process.argv.slice(1)) fs.writeFileSync(f+'.br', z.brotliCompressSync(fs.readFileSync(f), \
        {params:{[z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_SIZE_HINT]:fs.statSync(f).size}}));";
    run_cmd(Command::new("node").arg("-e").arg(script).args(&files))
}

fn bench_revocation(extra: &[String]) -> Result<()> {
    let pkg = build_bench_wasm()?;
    step("bench-revocation (native and wasm)");
    run_cmd(
        cargo()
            .args([
                "run",
                "--release",
                "-p",
                "yanzheng-bench",
                "--bin",
                "bench-revocation",
                "--",
                "--wasm",
            ])
            .arg(pkg)
            .args(extra),
    )
}

/// Builds `src/bench/wasm` (core compiled to wasm for speed, with
/// wasm-bindgen entry points for node) and returns its pkg folder.
fn build_bench_wasm() -> Result<PathBuf> {
    step("build the bench module for wasm (its own speed profile: src/bench/wasm)");
    let wasm_dir = root().join("src/bench/wasm");
    let wasm_target = wasm_dir.join("target");
    run_cmd(
        Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--release", "--target", WASM_TARGET])
            .current_dir(&wasm_dir)
            .env("CARGO_TARGET_DIR", &wasm_target),
    )?;
    run_cmd(
        Command::new("wasm-bindgen")
            .args(["--target", "nodejs", "--out-dir"])
            .arg(wasm_dir.join("pkg"))
            .arg(
                wasm_target
                    .join(WASM_TARGET)
                    .join("release/yanzheng_bench_wasm.wasm"),
            ),
    )?;
    Ok(wasm_dir.join("pkg"))
}

fn bench_decode(extra: &[String]) -> Result<()> {
    build_bench_wasm()?;
    step("bench-decode (native and wasm)");
    run_cmd(
        cargo()
            .args([
                "run",
                "--release",
                "-p",
                "yanzheng-bench",
                "--bin",
                "bench-decode",
                "--",
            ])
            .args(extra),
    )
}

/// The cargo-fuzz targets in tests/fuzz.
const FUZZ_TARGETS: &[&str] = &[
    "payload_text",
    "certificate_record",
    "trust_list",
    "revocation_list",
    "qr_image",
];

/// Seconds per target in `cargo xtask test`.
const FUZZ_SECONDS: u64 = 60;

/// `cargo +nightly …` through rustup, whatever toolchain runs xtask.
fn nightly_cargo() -> Command {
    let mut c = Command::new("cargo");
    c.arg("+nightly")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("CARGO");
    c
}

fn fuzz(seconds: u64) -> Result<()> {
    step("fuzz seeds from the test vectors");
    run_cmd(cargo().args(["run", "-q", "-p", "yanzheng-tests", "--bin", "fuzz-seeds"]))?;
    let dir = root().join("tests/fuzz");
    for target in FUZZ_TARGETS {
        step(&format!("fuzz {target} for {seconds} s"));
        run_cmd(
            nightly_cargo()
                .args(["fuzz", "run", "--fuzz-dir", "."])
                .arg(target)
                .arg("--")
                .arg(format!("-max_total_time={seconds}"))
                .arg("-print_final_stats=1")
                .current_dir(&dir),
        )?;
    }
    Ok(())
}

fn bench_widget(extra: &[String]) -> Result<()> {
    build_widget()?;
    let cli = build_cli()?;
    step("bench-widget (Chromium with a fake camera; then Chromium, WebKitGTK, Firefox ESR)");
    run_cmd(
        Command::new("node")
            .arg(root().join("tests/e2e/bench-widget.mjs"))
            .args(extra)
            .current_dir(root())
            .env("YANZHENG_BIN", &cli),
    )
}

fn build_cli() -> Result<PathBuf> {
    step("build the yanzheng CLI");
    run_cmd(cargo().args(["build", "-p", "yanzheng"]))?;
    Ok(target_dir().join("debug/yanzheng"))
}

fn run(args: &[String]) -> Result<()> {
    let mut addr = "127.0.0.1:8080".to_string();
    let mut portal = "127.0.0.1:8081".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => addr = it.next().ok_or("--addr needs HOST:PORT")?.clone(),
            "--portal-addr" => portal = it.next().ok_or("--portal-addr needs HOST:PORT")?.clone(),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    setup()?;
    build_widget()?;
    let cli = build_cli()?;
    let demo = root().join("target/demo");
    step("write the demo world");
    run_cmd(Command::new(&cli).arg("demo").arg("--out").arg(&demo))?;
    eprintln!(
        "\nDemo QR images (one per verdict, named after it): {}\n\
         Open the URL below, then pick one of those images (or point a phone camera at it).\n\
         The employer portal demo (the widget embedded on another origin) is printed too.\n",
        demo.display()
    );
    step("serve (Ctrl-C to stop)");
    run_cmd(
        Command::new(&cli)
            .arg("serve")
            .arg("--demo")
            .arg(&demo)
            .arg("--www")
            .arg(root().join("www"))
            .arg("--addr")
            .arg(&addr)
            .arg("--demo-portal")
            .arg(&portal),
    )
}

fn test() -> Result<()> {
    setup()?;
    let webdriver_json = root().join("tests/webdriver.json");

    step("cargo fmt --check");
    run_cmd(cargo().args(["fmt", "--all", "--check"]))?;

    step("dependency boundaries (QR decoding stays out of the widget and the registry)");
    for package in ["yanzheng-widget", "yanzheng-registry"] {
        let tree =
            output_of(cargo().args(["tree", "-p", package, "--prefix", "none", "-e", "normal"]))
                .ok_or_else(|| format!("cargo tree -p {package} failed"))?;
        if let Some(line) = tree
            .lines()
            .find(|l| l.starts_with("rqrr ") || l.starts_with("yanzheng-qr "))
        {
            return Err(format!("{package} depends on {line}: QR decoding belongs to the decoder worker, the CLI and the bench"));
        }
    }

    step("clippy (native, all targets)");
    run_cmd(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("clippy (the QR decoder without rqrr-ecc, as the widget's worker builds it)");
    run_cmd(cargo().args([
        "clippy",
        "-p",
        "yanzheng-qr",
        "--no-default-features",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("clippy (wasm32)");
    run_cmd(cargo().args([
        "clippy",
        "--target",
        WASM_TARGET,
        "-p",
        "yanzheng-core",
        "-p",
        "yanzheng-qr",
        "-p",
        "yanzheng-widget",
        "-p",
        "yanzheng-decoder",
        "-p",
        "yanzheng-tests",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    step("fmt and clippy of the fuzz targets (tests/fuzz, nightly)");
    let fuzz_dir = root().join("tests/fuzz");
    run_cmd(
        nightly_cargo()
            .args(["fmt", "--check"])
            .current_dir(&fuzz_dir),
    )?;
    run_cmd(
        nightly_cargo()
            .args(["clippy", "--all-targets", "--", "-D", "warnings"])
            .current_dir(&fuzz_dir),
    )?;

    step("docs (no warnings)");
    run_cmd(
        cargo()
            .args(["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;

    step("native tests");
    run_cmd(cargo().args(["test", "--workspace"]))?;

    step("browser tests (wasm-bindgen-test in headless Chromium)");
    for package in ["yanzheng-tests", "yanzheng-widget"] {
        run_cmd(
            cargo()
                .args(["test", "-p", package, "--target", WASM_TARGET])
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )?;
    }

    build_widget()?;
    let cli = build_cli()?;

    step("end-to-end tests (Chromium by Playwright; Chromium, WebKitGTK and Firefox ESR by WebDriver)");
    run_cmd(
        Command::new("node")
            .arg(root().join("tests/e2e/run.mjs"))
            .current_dir(root())
            .env("YANZHENG_BIN", &cli),
    )?;

    fuzz(FUZZ_SECONDS)
}
