//! CLI behaviour as data (trycmd): each `tests/cmd/*.trycmd` file is a
//! terminal session (commands, expected output with `[..]` for what changes,
//! exit codes) run in a fresh sandbox directory.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin(
            "yanzheng",
            std::path::Path::new(env!("CARGO_BIN_EXE_yanzheng")),
        )
        .case("tests/cmd/*.trycmd");
}
