//! Test support shared by the native and the browser test runners.
//!
//! - [`vector`]: the test-vector file format (`tests/vectors/*.vec`) and the
//!   one runner that parses a vector, runs it through core and compares the
//!   outcome. `tests/tests/vectors.rs` calls it on the directory (natively)
//!   and on the [`embedded`] copy (in the browser).
//! - [`generate`]: the deterministic generator of those files (fixed seeds,
//!   fixed instants; no clock, no randomness). The `gen-vectors` binary writes
//!   its output; a native test checks the committed files equal it.
//! - [`embedded`]: every file of `tests/vectors/`, embedded at build time.

pub mod generate;
pub mod vector;

/// The vector files as they were when this crate was built (see `build.rs`).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_vectors.rs"));

    /// The embedded files as a map from relative path to bytes.
    pub fn files() -> crate::vector::Files {
        FILES
            .iter()
            .map(|(name, bytes)| ((*name).to_string(), bytes.to_vec()))
            .collect()
    }
}

/// Reads every file under `dir` (recursively) into a map keyed by the path
/// relative to `dir`, with `/` separators. Native runners only.
pub fn read_tree(dir: &std::path::Path) -> Result<vector::Files, String> {
    fn walk(
        root: &std::path::Path,
        dir: &std::path::Path,
        out: &mut vector::Files,
    ) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let rel = path
                .strip_prefix(root)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            out.insert(name, bytes);
        }
        Ok(())
    }
    let mut files = vector::Files::new();
    walk(dir, dir, &mut files)?;
    Ok(files)
}

/// The `tests/vectors/` directory of this checkout.
pub fn vectors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Bytes as lowercase hex, `per_line` bytes to a line (the worked example
/// in docs/format.md is printed this way).
pub fn hex_lines(bytes: &[u8], per_line: usize) -> String {
    bytes
        .chunks(per_line.max(1))
        .map(yanzheng_core::crypto::to_hex)
        .collect::<Vec<_>>()
        .join("\n")
}
