//! Writes `$OUT_DIR/embedded_vectors.rs`: an `include_bytes!` table of every
//! file under `vectors/`, so the browser runner (which cannot read files)
//! runs exactly the committed vectors. A missing directory gives an empty
//! table (the runners then fail loudly) rather than a build error, so the
//! generator can still be built to create it.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        println!(
            "cargo:warning=cannot read {}: the embedded vector table is incomplete",
            dir.display()
        );
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let vectors = manifest.join("vectors");
    println!("cargo:rerun-if-changed=vectors");
    println!("cargo:rerun-if-changed=build.rs");

    let mut files = Vec::new();
    collect(&vectors, &vectors, &mut files);
    files.sort();

    let mut src = String::from(
        "/// Every file under `tests/vectors/` at build time: (path relative to it, bytes).\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        let abs = path.to_string_lossy();
        writeln!(src, "    ({name:?}, include_bytes!({abs:?})),").expect("write to String");
    }
    src.push_str("];\n");
    fs::write(out_dir.join("embedded_vectors.rs"), src).expect("write embedded_vectors.rs");
}
