//! `--ascii` (and `REPRISE_ASCII=1`, and a locale that is not UTF-8) hold
//! for every command that writes for people, not only `run`: `check`,
//! `plan`, `status` (and `--follow`), the dry run and the Markdown report.

use crate::harness::Test;

/// ASCII-only text, with what makes each command print symbols: a
/// warning for `check` (a command cut by ` #`), roles, phases, an RTO.
const RUNBOOK: &str = r#"version: 1
name: Restore the lab system
objectives:
  rto: 1h
defaults:
  timeout: 1m
steps:
  - id: declare
    title: Declare the drill
    role: lab
    instructions: Say it out loud.
    estimate: 5m
  - id: restore
    title: Restore the database from the offsite replica
    role: dba
    needs: [declare]
    run: echo restored #comment
    estimate: 10m
  - id: check
    title: Check the lab results arrive
    role: lab
    needs: [restore]
    confirm: true
    instructions: Only after the DBA says so.
    run: echo checked
    estimate: 5m
"#;

/// Every byte the command wrote, on stdout and stderr, is ASCII.
#[track_caller]
fn all_ascii(what: &str, stdout: &str, stderr: &str) {
    for (name, text) in [("stdout", stdout), ("stderr", stderr)] {
        let odd: String = text.chars().filter(|c| !c.is_ascii()).collect();
        assert!(odd.is_empty(), "{what}: `{odd}` on {name}:\n{text}");
    }
}

#[test]
fn every_command_writes_only_ascii_with_ascii() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), RUNBOOK).unwrap();
    let t = |args: &[&str]| Test::at(dir.path()).args(args);
    // The drill to read back, run without the flag.
    t(&["run", "rb.yaml", "--yes", "--journal", "j.jsonl"])
        .run()
        .success();
    let commands: [&[&str]; 7] = [
        &["check", "rb.yaml"],
        &["plan", "rb.yaml"],
        &["run", "rb.yaml", "--dry-run"],
        &["status", "j.jsonl"],
        &["status", "j.jsonl", "--follow"],
        &["report", "j.jsonl"],
        &["plan", "rb.yaml", "--history", "j.jsonl"],
    ];
    for args in commands {
        // Without the flag these commands do print symbols: the test
        // would see them.
        let unicode = t(args)
            .env("REPRISE_ASCII", "0")
            .env("LC_ALL", "C.UTF-8")
            .run();
        assert!(
            !format!("{}{}", unicode.stdout, unicode.stderr).is_ascii(),
            "{args:?} prints no symbol at all:\n{}{}",
            unicode.stdout,
            unicode.stderr
        );
        let out = t(args)
            .args(["--ascii"])
            .env("REPRISE_ASCII", "0")
            .env("LC_ALL", "C.UTF-8")
            .run();
        assert_eq!(out.code, unicode.code, "{args:?}: {}", out.stderr);
        all_ascii(&format!("{args:?} --ascii"), &out.stdout, &out.stderr);
        let env = t(args)
            .env("REPRISE_ASCII", "1")
            .env("LC_ALL", "C.UTF-8")
            .run();
        all_ascii(
            &format!("{args:?} REPRISE_ASCII=1"),
            &env.stdout,
            &env.stderr,
        );
        let locale = t(args).env("REPRISE_ASCII", "0").env("LC_ALL", "C").run();
        all_ascii(
            &format!("{args:?} LC_ALL=C"),
            &locale.stdout,
            &locale.stderr,
        );
    }
    // The warning itself is there, in ASCII.
    let check = t(&["check", "rb.yaml", "--ascii"]).run();
    assert!(
        check.stderr.contains("comment-in-command"),
        "{}",
        check.stderr
    );
}
