//! Running the decoders compiled to wasm: the cases go to node as one luma
//! corpus file; `wasm/run.js` decodes each in wasm, times it in JS, and
//! prints the payloads back for judging here.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::report::Outcome;
use crate::Case;

/// The JS glue file wasm-bindgen writes for the `yanzheng-bench-wasm` crate.
pub const GLUE: &str = "yanzheng_bench_wasm.js";

pub fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "?".into())
}

pub fn run(pkg: &Path, cases: &[Case], mode: &str) -> Result<Vec<Outcome>, String> {
    let corpus = std::env::temp_dir().join(format!("yanzheng-bench-{}.luma", std::process::id()));
    write_corpus(&corpus, cases).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("wasm/run.js");
    let output = Command::new("node")
        .arg(&script)
        .arg(pkg)
        .arg(&corpus)
        .arg(mode)
        .output()
        .map_err(|e| format!("cannot run node: {e}"));
    let _ = std::fs::remove_file(&corpus);
    let output = output?;
    if !output.status.success() {
        return Err(format!(
            "node failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let outcomes: Vec<Outcome> = text.lines().map(parse_line).collect::<Result<_, _>>()?;
    if outcomes.len() != cases.len() {
        return Err(format!(
            "node gave {} results for {} images",
            outcomes.len(),
            cases.len()
        ));
    }
    Ok(outcomes)
}

fn write_corpus(path: &Path, cases: &[Case]) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(b"YZLUMA1\n")?;
    f.write_all(&(cases.len() as u32).to_le_bytes())?;
    for c in cases {
        f.write_all(&(c.image.width as u32).to_le_bytes())?;
        f.write_all(&(c.image.height as u32).to_le_bytes())?;
        f.write_all(&c.image.pixels)?;
    }
    f.flush()
}

fn parse_line(line: &str) -> Result<Outcome, String> {
    let (ms, rest) = line
        .split_once(' ')
        .ok_or_else(|| format!("bad line `{line}`"))?;
    let ms: f64 = ms.parse().map_err(|_| format!("bad time in `{line}`"))?;
    if rest == "!" {
        return Ok(Outcome { ms, payloads: None });
    }
    let payloads = rest
        .split(',')
        .filter(|h| !h.is_empty())
        .map(unhex)
        .collect::<Result<_, _>>()?;
    Ok(Outcome {
        ms,
        payloads: Some(payloads),
    })
}

fn unhex(h: &str) -> Result<Vec<u8>, String> {
    (0..h.len())
        .step_by(2)
        .map(|i| {
            h.get(i..i + 2)
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .ok_or_else(|| format!("bad hex `{h}`"))
        })
        .collect()
}
