//! `reprise check`: the catalogue of invalid runbooks (each with its exact
//! expected output), the valid ones, hostile input, and the flags.
//!
//! `tests/invalid/NAME.yaml` is checked as `reprise check NAME.yaml` (with
//! `--strict` when NAME starts with `warn-`), and the exit code, stdout and
//! stderr must equal `tests/invalid/NAME.expected`. After a deliberate change
//! of messages, rewrite the expected files with
//! `REPRISE_BLESS=1 cargo test --test it check::` and review the diff.

use std::path::{Path, PathBuf};

use crate::harness::Test;

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// The `.yaml` files of a catalogue folder, sorted.
fn catalogue(name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn check(name: &str, text: &[u8], extra: &[&str]) -> crate::harness::Output {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    args.push(name);
    Test::new().file(name, text).args(args).run()
}

#[test]
fn every_invalid_runbook_gets_its_exact_diagnostics() {
    let files = catalogue("invalid");
    assert!(files.len() >= 40, "only {} invalid runbooks", files.len());
    let bless = std::env::var_os("REPRISE_BLESS").is_some();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let extra: &[&str] = if name.starts_with("warn-") {
            &["--strict"]
        } else {
            &[]
        };
        let out = check(name, &std::fs::read(path).unwrap(), extra);
        let actual = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if out.code != 2 {
            failures.push(format!("{name}: exit code {} instead of 2", out.code));
        }
        if actual != expected {
            failures.push(format!(
                "{name}: output differs\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_valid_runbook_passes_strict() {
    let files = catalogue("valid");
    assert!(!files.is_empty());
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let out = check(name, &std::fs::read(&path).unwrap(), &["--strict"]);
        out.code(0);
        assert!(
            out.stdout.starts_with(&format!("{name}: ok, ")),
            "{}",
            out.stdout
        );
        assert_eq!(out.stderr, "", "{name}");
    }
}

#[test]
fn warnings_pass_without_strict() {
    let out = check(
        "r.yaml",
        b"version: 1\nname: W\nsteps:\n  - {id: a, title: A, run: echo}\n",
        &[],
    );
    out.code(0);
    assert_eq!(out.stdout, "r.yaml: ok, 1 step, 1 warning\n");
    assert!(
        out.stderr
            .starts_with("warning[missing-timeout]: command step `a` has no timeout\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn summaries_count_steps_and_phases() {
    let out = check(
        "r.yaml",
        b"version: 1\nname: S\nphases:\n  - id: p\n    title: P\n    steps: [{id: a, title: A}, {id: b, title: B}]\n  - id: q\n    title: Q\n    steps: [{id: c, title: C}]\n",
        &[],
    );
    out.code(0);
    assert_eq!(out.stdout, "r.yaml: ok, 3 steps in 2 phases\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn several_files_are_all_checked_and_summarised() {
    let out = Test::new()
        .file(
            "good.yaml",
            "version: 1\nname: G\nsteps:\n  - {id: a, title: A}\n",
        )
        .file(
            "bad.yaml",
            "version: 1\nname: B\nsteps:\n  - {id: A, title: A}\n",
        )
        .file(
            "warn.yaml",
            "version: 1\nname: W\nsteps:\n  - {id: a, title: A, run: echo}\n",
        )
        .args([
            "check",
            "good.yaml",
            "bad.yaml",
            "missing.yaml",
            "warn.yaml",
        ])
        .run();
    out.code(2);
    assert_eq!(
        out.stdout,
        "good.yaml: ok, 1 step\n\
         bad.yaml: 1 error\n\
         missing.yaml: 1 error\n\
         warn.yaml: ok, 1 step, 1 warning\n"
    );
    assert!(out.stderr.contains("--> bad.yaml:4:10"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error[unreadable]: cannot read `missing.yaml`: no such file"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--> warn.yaml:4:10"), "{}", out.stderr);
}

#[test]
fn json_lists_every_diagnostic_of_every_file() {
    let out = Test::new()
        .file(
            "a.yaml",
            "version: 1\nname: A\nsteps:\n  - {id: a, title: A, neds: []}\n",
        )
        .file(
            "b.yaml",
            "version: 1\nname: B\nsteps:\n  - {id: b, title: B, run: x}\n",
        )
        .args(["check", "--format", "json", "a.yaml", "b.yaml", "nope.yaml"])
        .run();
    out.code(2);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {
                "file": "a.yaml", "line": 4, "column": 23, "end_line": 4, "end_column": 27,
                "severity": "error", "code": "unknown-key",
                "message": "unknown key `neds` in step", "hint": "did you mean `needs`?"
            },
            {
                "file": "b.yaml", "line": 4, "column": 10, "end_line": 4, "end_column": 11,
                "severity": "warning", "code": "missing-timeout",
                "message": "command step `b` has no timeout",
                "hint": "a hung command would wait forever: add `timeout: 10m` to the step, or a `timeout` under `defaults`"
            },
            {
                "file": "nope.yaml", "line": null, "column": null,
                "severity": "error", "code": "unreadable",
                "message": "cannot read `nope.yaml`: no such file", "hint": null
            }
        ])
    );
    // The summaries go to stderr, so stdout stays one JSON document.
    assert!(out.stderr.contains("a.yaml: 1 error"), "{}", out.stderr);
}

#[test]
fn strict_fails_on_warnings_in_json_too() {
    let text = b"version: 1\nname: W\nsteps:\n  - {id: a, title: A, run: echo}\n";
    check("r.yaml", text, &["--format", "json"]).code(0);
    let out = check("r.yaml", text, &["--format", "json", "--strict"]);
    out.code(2);
    assert!(
        out.stderr
            .contains("r.yaml: fails --strict, 1 step, 1 warning"),
        "{}",
        out.stderr
    );
}

#[test]
fn check_needs_a_runbook_and_explains_itself() {
    let out = Test::new().args(["check"]).run();
    out.code(2);
    assert!(out.stderr.contains("RUNBOOK"), "{}", out.stderr);
    let out = Test::new().args(["check", "--help"]).run();
    out.code(0);
    assert!(
        out.stdout.contains("reprise check --strict"),
        "{}",
        out.stdout
    );
}

#[test]
fn colour_only_when_asked_for_by_a_terminal() {
    // The harness sets NO_COLOR and pipes stderr: never any escape codes.
    let out = check("r.yaml", b"version: 2\n", &[]);
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
}

// Hostile input: every case ends with exit 2 and a clear message, never a
// panic or a hang (the harness kills the binary after two minutes).

fn hostile(name: &str, text: &[u8]) -> crate::harness::Output {
    let out = check(name, text, &[]);
    out.code(2);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    out
}

#[test]
fn a_30_megabyte_value_is_refused() {
    let mut text = b"version: 1\nname: ".to_vec();
    text.extend(std::iter::repeat_n(b'x', 30 << 20));
    text.push(b'\n');
    let out = hostile("big.yaml", &text);
    assert!(
        out.stderr
            .starts_with("error[value-too-long]: this value is 31457280 bytes long"),
        "{}",
        &out.stderr[..200.min(out.stderr.len())]
    );
    // The source line shown is cut short.
    assert!(
        out.stderr.len() < 2000,
        "{} bytes of stderr",
        out.stderr.len()
    );
}

#[test]
fn a_hundred_thousand_levels_of_nesting_are_refused() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let out = hostile("deep.yaml", text.as_bytes());
    assert!(
        out.stderr.starts_with(
            "error[yaml-depth]: values are nested deeper than 64 levels\n --> deep.yaml:1:65"
        ),
        "{}",
        out.stderr
    );
    let text: String = (0..100_000)
        .map(|i| format!("{}- \n", " ".repeat(i % 50)))
        .collect();
    hostile("deep2.yaml", text.as_bytes());
    let text: String = "a:\n".to_string()
        + &(1..100)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
    let out = hostile("deep3.yaml", text.as_bytes());
    assert!(
        out.stderr.starts_with("error[yaml-depth]"),
        "{}",
        out.stderr
    );
}

#[test]
fn binary_garbage_and_other_encodings_are_refused() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let out = hostile("garbage.yaml", &garbage);
    assert!(
        out.stderr
            .starts_with("error[not-utf8]: `garbage.yaml` is not UTF-8 text: invalid byte 0x"),
        "{}",
        out.stderr
    );
    let out = hostile("latin1.yaml", b"version: 1\nname: Caf\xe9\n");
    assert!(
        out.stderr.starts_with(
            "error[not-utf8]: `latin1.yaml` is not UTF-8 text: invalid byte 0xe9 on line 2\n"
        ),
        "{}",
        out.stderr
    );
    let out = hostile("nul.yaml", b"version: 1\nname: a\x00b\n");
    assert!(
        out.stderr.starts_with("error[yaml-syntax]"),
        "{}",
        out.stderr
    );
}

#[test]
fn directories_devices_and_missing_files_are_refused() {
    let out = Test::new().file("dir/x", "").args(["check", "dir"]).run();
    out.code(2);
    assert!(
        out.stderr
            .starts_with("error[unreadable]: `dir` is a directory, not a runbook file\n"),
        "{}",
        out.stderr
    );
    let out = Test::new().args(["check", "/dev/zero"]).run();
    out.code(2);
    assert!(
        out.stderr
            .starts_with("error[file-too-large]: `/dev/zero` is larger than 64 MiB\n"),
        "{}",
        out.stderr
    );
    let out = Test::new().args(["check", "nope.yaml"]).run();
    out.code(2);
    assert!(
        out.stderr
            .starts_with("error[unreadable]: cannot read `nope.yaml`: no such file\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_big_alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..30 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let out = hostile("bomb.yaml", text.as_bytes());
    assert!(
        out.stderr.starts_with("error[yaml-too-large]"),
        "{}",
        out.stderr
    );
}

/// A runbook of `n` steps in phases of 100, each step needing the one
/// before it, all keys a generator would write.
fn big_runbook(n: usize) -> String {
    let mut text = String::from("version: 1\nname: Big\ndefaults:\n  timeout: 5m\nphases:\n");
    for i in 0..n {
        if i % 100 == 0 {
            text.push_str(&format!(
                "  - id: phase-{}\n    title: Phase {}\n    steps:\n",
                i / 100,
                i / 100
            ));
        }
        text.push_str(&format!(
            "      - id: step-{i}\n        title: Step number {i}\n        run: [echo, \"{i}\"]\n"
        ));
        if i % 100 != 0 {
            text.push_str(&format!("        needs: [step-{}]\n", i - 1));
        }
    }
    text
}

#[test]
fn a_hundred_thousand_step_runbook_is_accepted() {
    let text = big_runbook(100_000);
    assert!(text.len() > 8 << 20, "{} bytes", text.len());
    let out = check("big.yaml", text.as_bytes(), &["--strict"]);
    out.code(0);
    assert_eq!(out.stdout, "big.yaml: ok, 100000 steps in 1000 phases\n");
}

/// Runs `reprise check` on a real pseudo-terminal and returns what it shows.
fn on_terminal(file: &Path, no_color: bool) -> String {
    use expectrl::Expect;
    let t = Test::new().args(["check", file.to_str().unwrap()]);
    let mut session = if no_color {
        t
    } else {
        t.env_remove("NO_COLOR")
    }
    .pty();
    let seen = session.expect(expectrl::Eof).expect("output until the end");
    String::from_utf8_lossy(seen.as_bytes()).into_owned()
}

#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.yaml");
    std::fs::write(
        &file,
        "version: 2\nname: C\nsteps:\n  - {id: a, title: A}\n",
    )
    .unwrap();
    let coloured = on_terminal(&file, false);
    assert!(
        coloured.contains("unsupported runbook format version"),
        "{coloured}"
    );
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    let plain = on_terminal(&file, true);
    assert!(
        plain.contains("unsupported runbook format version"),
        "{plain}"
    );
    assert!(!plain.contains("\u{1b}["), "{plain}");
}
