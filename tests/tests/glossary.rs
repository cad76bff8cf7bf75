//! docs/glossary.md names one word for each thing, and the words never to
//! use instead. This test reads the glossary's "never" column and fails if
//! any of those words appears in the product's sources (what users read:
//! the widget, the CLI, the registry, core's messages, the web pages).

#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The Chinese words of the glossary's "never" column (comma-separated;
/// words with a parenthesis are usage notes, not banned strings).
fn banned() -> Vec<String> {
    let text = fs::read_to_string(repo().join("docs/glossary.md")).expect("docs/glossary.md");
    let mut out = Vec::new();
    // The first table only (the verdict headlines follow under "## ").
    let terms = text.lines().take_while(|l| !l.starts_with("## "));
    for line in terms.filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | 中文 | English | never | meaning |
        let Some(never) = cells.get(3) else { continue };
        for word in never.split(',').map(str::trim) {
            let note = word.contains('(') || word.contains('-') || word.is_empty();
            if !note {
                out.push(word.to_string());
            }
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "pkg" && name != "node_modules" && name != "target" {
                sources(&path, out);
            }
        } else if [".rs", ".html", ".js", ".mjs"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}

#[test]
fn sources_use_the_glossary_words() {
    let banned = banned();
    assert!(
        banned.iter().any(|w| w == "信任列表") && banned.iter().any(|w| w == "签发机关"),
        "the glossary's never column was not read: {banned:?}"
    );
    let mut files = Vec::new();
    sources(&repo().join("src"), &mut files);
    sources(&repo().join("www"), &mut files);
    assert!(files.len() > 20, "only {} source files found", files.len());
    let mut found = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).unwrap_or_default();
        for w in &banned {
            if text.contains(w.as_str()) {
                found.push(format!("{}: {w}", f.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "words the glossary rules out:\n{}",
        found.join("\n")
    );
}

/// The page's own fallback (www/main.js, shown when this browser cannot run
/// the wasm) names the same official channels as core.
#[test]
fn the_unsupported_browser_notice_names_core_s_official_channels() {
    use yanzheng_core::messages::{HOTLINE, OFFICIAL_SITE};
    let main = fs::read_to_string(repo().join("www/main.js")).expect("www/main.js");
    for (name, value) in [("OFFICIAL_SITE", OFFICIAL_SITE), ("HOTLINE", HOTLINE)] {
        let line = format!("const {name} = '{value}';");
        assert!(main.contains(&line), "www/main.js lacks `{line}`");
    }
}
