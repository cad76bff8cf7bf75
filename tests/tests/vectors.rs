//! Runs every vector in `tests/vectors/`: natively from the directory, and in
//! a browser (wasm-bindgen-test) from the copy embedded at build time. The
//! case logic is `yanzheng_tests::vector::run_all`, shared by both.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use yanzheng_tests::vector::{run_all, Files, Summary};

fn describe(summary: &Summary) -> String {
    let per: Vec<String> = summary
        .by_outcome
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    format!("{} vectors passed ({})", summary.cases, per.join(", "))
}

fn run(files: &Files) -> String {
    match run_all(files) {
        Ok(summary) => describe(&summary),
        Err(e) => panic!("{e}"),
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use yanzheng_tests::{embedded, generate, read_tree, vectors_dir};

    fn committed() -> Files {
        let dir = vectors_dir();
        read_tree(&dir).unwrap_or_else(|e| panic!("vector directory {}: {e}", dir.display()))
    }

    #[test]
    fn every_vector_file_passes() {
        println!("{}", run(&committed()));
    }

    /// The committed files and the generator cannot drift apart.
    #[test]
    fn regenerating_gives_identical_files() {
        let committed = committed();
        let fresh = generate::files();
        let mut problems = Vec::new();
        for (name, bytes) in &fresh {
            match committed.get(name) {
                None => problems.push(format!("{name}: missing from tests/vectors")),
                Some(c) if c != bytes => problems.push(format!("{name}: differs")),
                Some(_) => {}
            }
        }
        for name in committed.keys().filter(|n| !fresh.contains_key(*n)) {
            problems.push(format!("{name}: not produced by the generator"));
        }
        assert!(
            problems.is_empty(),
            "tests/vectors differs from the generator (run `cargo run -p yanzheng-tests --bin \
             gen-vectors`):\n{}",
            problems.join("\n")
        );
    }

    /// The browser runs the embedded copy: it must be what is on disk.
    #[test]
    fn embedded_copy_matches_directory() {
        assert_eq!(
            embedded::files(),
            committed(),
            "rebuild: the embedded vectors are stale"
        );
    }

    #[test]
    fn runner_fails_on_empty_or_broken_sets() {
        assert!(run_all(&Files::new()).is_err(), "empty set must fail");
        let mut files = committed();
        let name = "valid.vec";
        let text = String::from_utf8(files[name].clone()).expect("UTF-8");
        files.insert(
            name.into(),
            text.replacen("expect: valid", "expect: expired", 1)
                .into_bytes(),
        );
        let err = run_all(&files).expect_err("a wrong expectation must fail");
        assert!(err.contains("valid.vec"), "failure names the file: {err}");
        assert!(
            read_tree(&vectors_dir().join("no-such-directory")).is_err(),
            "an unreadable directory must be an error"
        );
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use wasm_bindgen_test::{console_log, wasm_bindgen_test};
    use yanzheng_tests::{embedded, generate};

    #[wasm_bindgen_test]
    fn every_vector_file_passes_in_the_browser() {
        console_log!("{}", run(&embedded::files()));
    }

    /// The generator is deterministic across architectures too.
    #[wasm_bindgen_test]
    fn generator_gives_the_embedded_files_in_the_browser() {
        assert!(
            generate::files() == embedded::files(),
            "wasm generator output differs from the committed vectors"
        );
    }
}
