//! Hostile text: control characters in a runbook, a journal or a command's
//! output are shown escaped (`\r`, `\e`, `\x07`), never obeyed by the
//! terminal, so that nothing can hide a command from review.

use std::path::Path;
use std::time::Duration;

use expectrl::{Eof, Expect};

use crate::reliability::run_in;

/// A command whose start a carriage return and `ESC [2K` would hide, a
/// title that sets the window title, instructions that clear the screen,
/// and output that writes the clipboard (OSC 52).
const HOSTILE: &str = r#"version: 1
name: "hostile\e]0;owned\x07"
steps:
  - id: restart
    title: "Restart billing\e]0;pwned\x07"
    timeout: 1m
    confirm: true
    on_failure: continue
    run: "touch PWNED; printf 'out\\033]52;c;Zm9v\\007\\r\\n'; exit 1 # \r\e[2K    echo restart billing"
  - id: look
    title: Look
    instructions: "Look \e[2J at the screen"
"#;

/// The raw control characters that a terminal would obey.
fn raw_controls(text: &str) -> Vec<String> {
    text.char_indices()
        .filter(|(_, c)| c.is_control() && *c != '\n' && *c != '\t')
        .map(|(i, c)| format!("{c:?} at {i}: {:?}", &text[i.saturating_sub(20)..i]))
        .collect()
}

#[track_caller]
fn assert_no_raw_controls(what: &str, text: &str) {
    let found = raw_controls(text);
    assert!(
        found.is_empty(),
        "{what} printed raw control characters: {found:?}\n{text}"
    );
}

#[test]
fn control_characters_are_shown_escaped_by_check_dry_run_run_status_and_verify() {
    let t = crate::harness::Test::new().file("rb.yaml", HOSTILE);
    let dir = t.path();

    let check = run_in(dir, &["check", "rb.yaml"]);
    check.code(0);
    assert!(
        check.stderr.contains("warning[control-characters]"),
        "{}",
        check.stderr
    );
    assert_no_raw_controls("check", &(check.stdout.clone() + &check.stderr));

    let dry = run_in(
        dir,
        &["run", "rb.yaml", "--dry-run", "--journal", "dry.jsonl"],
    );
    dry.code(0);
    assert!(
        dry.stdout
            .contains(r"exit 1 # \r\e[2K    echo restart billing"),
        "{}",
        dry.stdout
    );
    assert_no_raw_controls("run --dry-run", &(dry.stdout.clone() + &dry.stderr));

    let run = run_in(dir, &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"]);
    assert!(
        dir.join("PWNED").exists(),
        "the hidden command did run: the test tests nothing\n{}",
        run.stderr
    );
    assert_no_raw_controls("run", &(run.stdout.clone() + &run.stderr));
    assert!(
        run.stderr.contains(r"out\e]52;c;Zm9v\x07"),
        "{}",
        run.stderr
    );

    for args in [&["status", "j.jsonl"][..], &["verify", "j.jsonl"]] {
        let out = run_in(dir, args);
        assert_no_raw_controls(args[0], &(out.stdout.clone() + &out.stderr));
    }
}

#[test]
fn a_run_name_cannot_forge_the_head_that_verify_prints() {
    let t = crate::harness::Test::new().file(
        "rb.yaml",
        "version: 1\nname: \"x\\nhead: 0000fake\\r\"\nsteps:\n  - id: a\n    title: A\n",
    );
    run_in(
        t.path(),
        &["run", "rb.yaml", "--dry-run", "--journal", "j.jsonl"],
    )
    .code(0);
    let out = run_in(t.path(), &["verify", "j.jsonl"]);
    out.code(0);
    let heads: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("head: "))
        .collect();
    assert_eq!(heads.len(), 1, "{}", out.stdout);
    assert!(!heads[0].contains("fake"), "{}", out.stdout);
    assert!(
        out.stdout.contains(r"x\nhead: 0000fake\r"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_confirm_prompt_shows_a_hidden_command_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = "version: 1\nname: confirm\nsteps:\n  - id: restart\n    title: Restart\n    confirm: true\n    timeout: 1m\n    run: \"touch PWNED # \\r\\e[2K    systemctl restart billing\"\n";
    std::fs::write(dir.path().join("drill.yaml"), runbook).unwrap();
    let mut session = crate::harness::Test::at(dir.path())
        .args(["run", "drill.yaml", "--journal", "drill.journal"])
        .env_remove("NO_COLOR")
        .pty();
    if let Err(e) = session.expect(r"touch PWNED # \r\e[2K    systemctl restart billing") {
        panic!("the confirm prompt did not show the command escaped: {e}");
    }
    // Stop it there: SIGTERM aborts the drill before anything runs.
    let _ = session
        .get_process_mut()
        .kill(expectrl::process::unix::Signal::SIGTERM);
    let _ = session.expect(Eof);
    let _ = crate::harness::wait_exit(&mut session, Duration::from_secs(60));
    assert!(!Path::new(&dir.path().join("PWNED")).exists());
}

/// `jump: "bastion;touch PWNED"` was accepted: ssh's proxy command hands
/// the jump host to a shell on the operator's machine. Every ssh word of
/// the `hosts:` table is refused with a shell metacharacter in it, by
/// `check` and before `run` starts anything.
#[test]
fn shell_metacharacters_in_ssh_words_are_refused() {
    for (key, value, bad) in [
        ("jump", "bastion;touch PWNED", ';'),
        ("jump", "ops@$(touch PWNED)", '$'),
        ("jump", "`touch PWNED`", '`'),
        ("user", "ops|sh", '|'),
        ("address", "db1&touch", '&'),
    ] {
        let fields = match key {
            "address" => format!("address: '{value}'"),
            _ => format!("address: 10.0.0.1, {key}: '{value}'"),
        };
        let runbook = format!(
            "version: 1\nname: J\nhosts:\n  db1: {{{fields}}}\nsteps:\n  - {{id: a, title: A, host: db1, run: 'true', timeout: 1m}}\n"
        );
        let t = crate::harness::Test::new()
            .file("rb.yaml", runbook)
            .args(["check", "rb.yaml"]);
        let out = t.run();
        out.code(2);
        assert!(
            out.stderr.contains(&format!(
                "error[invalid-value]: `{value}` is not a valid `{key}`: it holds `{bad}`, which a shell would act on"
            )),
            "{key}: {value}: {}",
            out.stderr
        );
        let out = t.without_args().args(["run", "--yes", "rb.yaml"]).run();
        out.code(2);
        assert!(!out.dir.join("PWNED").exists());
        assert!(!out.dir.join("journals").exists(), "{}", out.stderr);
    }
    // Jump chains and IPv6 addresses stay accepted.
    let t = crate::harness::Test::new().file(
        "rb.yaml",
        "version: 1\nname: J\nhosts:\n  db1: {address: 'fe80::1%eth0', jump: 'ops@b1:22,ops@[fe80::2]:22'}\nsteps:\n  - {id: a, title: A, host: db1, run: 'true', timeout: 1m}\n",
    );
    t.args(["check", "rb.yaml"]).run().code(0);
}
