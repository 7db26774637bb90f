//! Issue 16, the terminal at crisis scale: every instruction shown before
//! a command, honest waits for a job slot, `status --follow`'s exit code,
//! located YAML syntax errors. Interactive parts through a real
//! pseudo-terminal.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect, Regex};

use crate::harness::Test;

/// A production step behind a confirmation, with its warning in the
/// instructions and a shell script as its command.
const CONFIRM: &str = r#"version: 1
name: confirm drill
steps:
  - id: prepare
    title: Prepare the switch-over
    run: "true"
  - id: switch-prod
    title: Switch production over
    needs: [prepare]
    role: virtualisation
    confirm: true
    estimate: 5m
    instructions: |
      Production! only after the DBA's written go.
    run: |
      echo step one
      echo step two > switched.txt
"#;

#[test]
fn a_dry_run_shows_a_confirmations_instructions_before_its_indented_command() {
    let out = Test::new().file("rb.yaml", CONFIRM).args([
        "run",
        "rb.yaml",
        "--dry-run",
        "--journal",
        "j.jsonl",
    ]);
    let out = out.run();
    out.code(0);
    let stdout = &out.stdout;
    let order: Vec<usize> = [
        "confirm  #2 switch-prod  Switch production over (role: virtualisation)",
        "Production! only after the DBA's written go.",
        "run      #2 switch-prod  echo step one",
        "echo step two > switched.txt",
    ]
    .iter()
    .map(|needle| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{stdout}"))
    })
    .collect();
    assert!(order.is_sorted(), "{stdout}");
    // The script's second line and the instructions sit in the detail
    // column, not at the start of the line.
    let column = stdout
        .lines()
        .find(|l| l.contains("echo step one"))
        .and_then(|l| l.find("echo step one"))
        .unwrap();
    for needle in [
        "echo step two > switched.txt",
        "Production! only after the DBA's written go.",
    ] {
        let line = stdout.lines().find(|l| l.contains(needle)).unwrap();
        assert_eq!(line.find(needle), Some(column), "{stdout}");
    }
}

/// A regex for `parts` in order, with colour codes or spaces between them.
fn styled(parts: &[&str]) -> Regex<String> {
    Regex(parts.join(r"(?:\x1b\[[0-9;]*m|[ \t])*"))
}

/// `reprise ARGS` in a pseudo-terminal in `dir`, live view.
fn spawn(dir: &Path, args: &[&str]) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_reprise"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env("TERM", "xterm-256color")
        .env("REPRISE_KILL_GRACE_MS", "200");
    let mut session = Session::spawn(cmd).expect("spawn reprise in a pseudo-terminal");
    // A guard against a hung drill, not a timing assertion.
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

fn expect(session: &mut Session, needle: impl expectrl::Needle, what: &str) -> String {
    match session.expect(needle) {
        Ok(found) => {
            String::from_utf8_lossy(found.before()).into_owned()
                + &String::from_utf8_lossy(found.get(0).unwrap_or_default())
        }
        Err(e) => panic!("expected {what}: {e}"),
    }
}

/// Waits for the end and returns the exit code and the rest of the output.
fn finish(mut session: Session) -> (i32, String) {
    let rest = match session.expect(Eof) {
        Ok(c) => {
            let mut bytes = c.before().to_vec();
            c.matches().for_each(|m| bytes.extend_from_slice(m));
            String::from_utf8_lossy(&bytes).into_owned()
        }
        Err(e) => format!("<{e}>"),
    };
    let code = match crate::harness::wait_exit(&mut session, Duration::from_secs(60)) {
        WaitStatus::Exited(_, code) => code,
        other => panic!("reprise did not exit normally: {other:?}\n{rest}"),
    };
    (code, rest)
}

#[test]
fn a_confirmation_prompt_shows_role_and_instructions_before_the_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), CONFIRM).unwrap();
    let mut p = spawn(
        dir.path(),
        &[
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ],
    );
    // The question: its head with the role, then the warning, then the
    // command, its second line indented under the first.
    let shown = expect(
        &mut p,
        styled(&[
            "#2",
            "switch-prod",
            "— Switch production over waits for your go",
        ]),
        "the confirmation",
    );
    assert!(!shown.contains("echo step one"), "{shown}");
    let shown = expect(&mut p, "run 2", "what to type");
    let at = |needle: &str| {
        shown
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{shown}"))
    };
    assert!(at("role: virtualisation") < at("Production! only after"));
    assert!(at("Production! only after") < at("command: echo step one"));
    assert!(at("command: echo step one") < at("             echo step two"));
    // `list` says the same before the command.
    p.send_line("list").unwrap();
    let listed = expect(&mut p, "echo step two > switched.txt", "the listed command");
    let at = |needle: &str| {
        listed
            .rfind(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{listed}"))
    };
    assert!(at("type `run 2`") < at("role: virtualisation"), "{listed}");
    assert!(at("role: virtualisation") < at("Production! only after"));
    p.send_line("run 2").unwrap();
    let (code, rest) = finish(p);
    assert_eq!(code, 0, "recovered\n{rest}");
    assert!(dir.path().join("switched.txt").exists());
}
