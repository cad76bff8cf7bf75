//! Writes the test vectors: `cargo run -p yanzheng-tests --bin gen-vectors [DIR]`
//! (default `tests/vectors/`). Deterministic: running it twice changes
//! nothing. Vector and list files (`*.vec`, `*.cose`) that the generator no
//! longer produces are removed, so the directory holds exactly its output.
//!
//! `gen-vectors --example` prints docs/format.md's worked example instead.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use yanzheng_tests::{generate, hex_lines, read_tree, vectors_dir};

fn print_example() {
    let ex = generate::example();
    let hex = |b: &[u8]| hex_lines(b, 16);
    println!(
        "issuer seed: {}",
        yanzheng_core::crypto::to_hex(&generate::SHANGHAI_SEED)
    );
    println!(
        "issuer public key: {}",
        yanzheng_core::crypto::to_hex(&ex.public_key)
    );
    println!("kid: {}", ex.certificate_kid());
    println!("\nrecord ({} bytes):\n{}", ex.record.len(), hex(&ex.record));
    println!(
        "\nprotected header ({} bytes):\n{}",
        ex.protected.len(),
        hex(&ex.protected)
    );
    println!(
        "\nSig_structure ({} bytes):\n{}",
        ex.to_be_signed.len(),
        hex(&ex.to_be_signed)
    );
    println!("\nCOSE_Sign1 ({} bytes):\n{}", ex.cose.len(), hex(&ex.cose));
    println!("\ntext ({} characters):\n{}", ex.text.len(), ex.text);
}

fn write_all(dir: &Path) -> Result<usize, String> {
    let files = generate::files();
    if dir.exists() {
        for stale in read_tree(dir)?.keys().filter(|k| !files.contains_key(*k)) {
            if stale.ends_with(".vec") || stale.ends_with(".cose") {
                let path = dir.join(stale);
                std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                println!("removed {stale}");
            }
        }
    }
    for (name, bytes) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(files.len())
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--example") {
        print_example();
        return ExitCode::SUCCESS;
    }
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(vectors_dir);
    match write_all(&dir) {
        Ok(n) => {
            println!("wrote {n} files to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-vectors: {e}");
            ExitCode::FAILURE
        }
    }
}
