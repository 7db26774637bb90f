//! Diagnostics: `-v`, `RUST_LOG` and `--log-file` (JSON lines).

use crate::harness::Test;

const STARTED: &str = "reprise started";

#[test]
fn the_console_is_quiet_by_default_and_verbose_with_v() {
    let quiet = Test::new().args(["schema"]).run();
    assert!(!quiet.stderr.contains(STARTED), "{}", quiet.stderr);
    let verbose = Test::new().args(["-v", "schema"]).run();
    assert!(verbose.stderr.contains(STARTED), "{}", verbose.stderr);
    // No colour codes without a terminal.
    assert!(!verbose.stderr.contains('\x1b'), "{:?}", verbose.stderr);
}

#[test]
fn rust_log_overrides_the_level() {
    let out = Test::new()
        .env("RUST_LOG", "reprise=debug")
        .args(["schema"])
        .run();
    assert!(out.stderr.contains(STARTED), "{}", out.stderr);
}

#[test]
fn log_file_gets_json_lines() {
    // Keep the `Test` alive: its folder holds the log file.
    let test = Test::new().args(["--log-file", "reprise.log", "schema"]);
    let out = test.run();
    let text = out.read("reprise.log");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == STARTED && l["level"] == "DEBUG"),
        "{text}"
    );
    // The console stays at its own level.
    assert!(!out.stderr.contains(STARTED), "{}", out.stderr);
}

#[test]
fn an_unwritable_log_file_is_a_usage_error() {
    let out = Test::new()
        .args(["--log-file", "no-such-dir/reprise.log", "schema"])
        .run();
    out.code(2);
    assert!(
        out.stderr
            .contains("error: cannot open log file `no-such-dir/reprise.log`"),
        "{}",
        out.stderr
    );
}
