//! The crisis cell: who made each record (declared name, OS account,
//! origin), terminals attached to a running drill, hang-ups, holds.

use crate::harness::{Output, Test};

/// The events of a journal, as JSON values.
pub fn journal(out: &Output, name: &str) -> Vec<serde_json::Value> {
    out.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The user name this test runs as, from the user database.
pub fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| nix::unistd::getuid().to_string())
}

const TWO_MANUAL: &str = r#"version: 1
name: Two manual steps
steps:
  - id: declare
    title: Declare the incident
  - id: notify
    title: Notify the teams
    needs: [declare]
  - id: check
    title: Check
    run: "true"
    needs: [notify]
"#;

#[test]
fn records_carry_the_declared_name_the_os_account_and_the_ssh_origin() {
    let t = Test::new()
        .file("rb.yaml", TWO_MANUAL)
        .env("SSH_CONNECTION", "10.0.0.7 52311 10.0.0.1 22")
        .args([
            "run",
            "rb.yaml",
            "--yes",
            "--operator",
            "night-lead",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let started = &events[0];
    assert_eq!(started["operator"], "night-lead");
    assert_eq!(started["account"], me().as_str());
    assert_eq!(started["from"], "10.0.0.7");
    let finished: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| {
            format!(
                "{} by={} account={} from={}",
                e["step"].as_str().unwrap(),
                e["by"].as_str().unwrap(),
                e["account"].as_str().unwrap_or("-"),
                e["from"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    let me = me();
    assert_eq!(
        finished,
        [
            format!("declare by=night-lead account={me} from=10.0.0.7"),
            format!("notify by=night-lead account={me} from=10.0.0.7"),
            format!("check by=night-lead account={me} from=10.0.0.7"),
        ]
    );
    // The journal with its new fields still verifies and reports.
    Test::new()
        .args(["verify", out.dir.join("j.jsonl").to_str().unwrap()])
        .run()
        .code(0);
}

#[test]
fn a_forged_ssh_connection_is_not_recorded_as_an_origin() {
    let t = Test::new()
        .file("rb.yaml", TWO_MANUAL)
        .env("SSH_CONNECTION", "\u{1b}[2Jevil 1 2 3")
        .args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    assert!(events.iter().all(|e| e.get("from").is_none()), "{events:?}");
    assert_eq!(events[0]["account"], me().as_str());
}

// ---- at a real terminal -----------------------------------------------------

use std::path::Path;
use std::time::{Duration, Instant};

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect};

/// `first` runs until the test creates `go`; `second` needs it.
const WAITING: &str = r#"version: 1
name: crisis
defaults: { timeout: 10m }
steps:
  - id: first
    title: First
    run: 'while [ ! -e go ]; do sleep 0.05; done'
  - id: second
    title: Second
    needs: [first]
    run: "true"
"#;

/// `reprise run` of `runbook` at a pseudo-terminal, plain lines.
fn at_terminal(dir: &Path, runbook: &str) -> Session {
    std::fs::write(dir.join("rb.yaml"), runbook).unwrap();
    Test::at(dir)
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ])
        .pty()
}

fn expect(session: &mut Session, needle: &str) {
    if let Err(e) = session.expect(needle) {
        panic!("expected {needle:?}: {e}");
    }
}

/// Waits for the end; the exit code.
fn finish(mut session: Session) -> i32 {
    let _ = session.expect(Eof);
    match crate::harness::wait_exit(&mut session, Duration::from_secs(60)) {
        WaitStatus::Exited(_, code) => code,
        other => panic!("reprise did not exit normally: {other:?}"),
    }
}

fn events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Waits (boundedly) until the journal holds an event matching `pred`.
fn wait_for(dir: &Path, what: &str, pred: impl Fn(&serde_json::Value) -> bool) {
    crate::harness::eventually(&format!("{what} in the journal"), || {
        events(dir).iter().any(&pred)
    });
}

fn position(events: &[serde_json::Value], what: &str, event: &str, step: Option<&str>) -> usize {
    events
        .iter()
        .position(|e| e["event"] == event && step.is_none_or(|s| e["step"] == s))
        .unwrap_or_else(|| panic!("no {what} in {events:#?}"))
}

#[test]
fn hold_lets_the_running_command_finish_and_its_dependent_waits_for_release() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut p = at_terminal(d, WAITING);
    expect(&mut p, "first — First started");
    p.send_line("hold we stop tonight, restart at 7:00")
        .unwrap();
    expect(&mut p, "held by alice: we stop tonight, restart at 7:00");
    std::fs::write(d.join("go"), "").unwrap();
    // The running command finishes and is recorded…
    wait_for(d, "first's outcome", |e| {
        e["event"] == "step_finished" && e["step"] == "first"
    });
    expect(&mut p, "first done");
    // …and, held, its dependent neither becomes ready nor starts.
    std::thread::sleep(Duration::from_millis(300));
    let held = events(d);
    assert!(
        !held.iter().any(|e| e["step"] == "second"),
        "a step started during the hold: {held:#?}"
    );
    p.send_line("release").unwrap();
    assert_eq!(finish(p), 0);
    let all = events(d);
    let h = position(&all, "the hold", "run_held", None);
    let f = position(&all, "first's end", "step_finished", Some("first"));
    let r = position(&all, "the release", "run_released", None);
    let s = position(&all, "second's start", "step_started", Some("second"));
    assert!(h < f && f < r && r < s, "{all:#?}");
    assert_eq!(all[h]["by"], "alice");
    assert_eq!(all[h]["account"], me().as_str());
    assert_eq!(all[h]["reason"], "we stop tonight, restart at 7:00");
    assert_eq!(all[r]["by"], "alice");
    assert_eq!(all.last().unwrap()["result"], "recovered");
    Test::new()
        .args(["verify", d.join("j.jsonl").to_str().unwrap()])
        .run()
        .code(0);
}

#[test]
fn detach_at_the_prompt_leaves_the_drill_running_to_its_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut p = at_terminal(d, WAITING);
    expect(&mut p, "first — First started");
    p.send_line("detach").unwrap();
    expect(&mut p, "detached: the drill goes on");
    wait_for(d, "operator_detached", |e| {
        e["event"] == "operator_detached"
    });
    // Typed after the detach: nobody reads it any more.
    p.send_line("hold too late").unwrap();
    std::fs::write(d.join("go"), "").unwrap();
    assert_eq!(finish(p), 0);
    let all = events(d);
    let detached = &all[position(&all, "the detach", "operator_detached", None)];
    assert_eq!(detached["by"], "alice");
    assert_eq!(detached["account"], me().as_str());
    assert_eq!(detached["reason"], "detach");
    assert!(!all.iter().any(|e| e["event"] == "run_held"), "{all:#?}");
    assert_eq!(all.last().unwrap()["result"], "recovered");
}

/// The coordinator's terminal goes away mid-command (its pseudo-terminal
/// closed, as when an SSH session drops): the person is recorded detached,
/// the command finishes, its outcome is recorded, the drill ends recovered.
#[test]
fn a_hung_up_coordinator_is_detached_and_the_drill_goes_on() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("rb.yaml"), WAITING).unwrap();
    let pty = nix::pty::openpty(None, None).unwrap();
    nix::fcntl::fcntl(
        &pty.master,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    )
    .unwrap();
    // No --yes: the interactive operator at a real terminal.
    let mut child = Test::at(d)
        .args([
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "alice",
        ])
        .under("setsid", &["--ctty"])
        .command()
        .stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave.try_clone().unwrap()))
        .spawn()
        .unwrap();
    drop(pty.slave);
    wait_for(d, "first's start", |e| {
        e["event"] == "step_started" && e["step"] == "first"
    });
    drop(pty.master);
    wait_for(d, "operator_detached", |e| {
        e["event"] == "operator_detached"
    });
    std::fs::write(d.join("go"), "").unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the drill never ended after the hang-up");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let all = events(d);
    assert_eq!(status.code(), Some(0), "{all:#?}");
    let detached = &all[position(&all, "the detach", "operator_detached", None)];
    assert_eq!(detached["by"], "alice");
    assert!(
        ["hang-up", "terminal closed"].contains(&detached["reason"].as_str().unwrap()),
        "{detached}"
    );
    assert!(!all.iter().any(|e| e["event"] == "abort_requested"));
    assert_eq!(all.last().unwrap()["result"], "recovered");
    Test::new()
        .args(["verify", d.join("j.jsonl").to_str().unwrap()])
        .run()
        .code(0);
}

/// SIGTERM stops the drill without aborting it: `reprise resume` takes the
/// journal up and finishes the drill.
#[test]
fn a_drill_stopped_by_sigterm_is_finished_by_resume() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("rb.yaml"), WAITING).unwrap();
    let child = Test::at(d)
        .args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"])
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(d, "first's start", |e| {
        e["event"] == "step_started" && e["step"] == "first"
    });
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("reprise resume j.jsonl"), "{stderr}");
    assert_eq!(events(d).last().unwrap()["event"], "run_stopped");
    std::fs::write(d.join("go"), "").unwrap();
    Test::at(d)
        .args(["resume", "j.jsonl", "--yes"])
        .run()
        .success();
    let all = events(d);
    assert!(all.iter().any(|e| e["event"] == "run_resumed"));
    assert_eq!(all.last().unwrap()["result"], "recovered", "{all:#?}");
}
