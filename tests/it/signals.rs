//! Signals and processes: Ctrl-C (SIGINT) and SIGTERM during a drill end
//! every running command's whole process group, a command that ignores
//! SIGTERM is killed after the grace period, the stop is journaled (for
//! `reprise resume`: a signal is not an operator's abort), and no
//! process the test started survives. A closed stdout is not an error.
//!
//! The commands write their pids (and their background grandchildren's) to
//! files; only those processes are checked. No test asserts a duration: the
//! waits below are bounds that turn a hang into a failure.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::harness::Test;

/// A drill of one quick step, then two long ones in parallel: `slow`
/// leaves a background grandchild, `stubborn` ignores SIGTERM (as does its
/// own background child), then a step that must never start.
fn runbook(dir: &Path) -> String {
    let d = dir.display();
    format!(
        r#"version: 1
name: Signals
defaults: {{timeout: 10m}}
steps:
  - id: quick
    title: Quick
    run: "true"
  - id: slow
    title: Slow, with a background grandchild
    needs: [quick]
    run: 'echo $$ > {d}/slow.pid; (sleep 1000 & echo $! > {d}/grandchild.pid; wait) & sleep 1000'
  - id: stubborn
    title: Ignores SIGTERM
    needs: [quick]
    run: "trap '' TERM; echo $$ > {d}/stubborn.pid; sleep 1000 & echo $! > {d}/stubborn-child.pid; wait"
  - id: never
    title: Must not start
    needs: [slow, stubborn]
    run: 'touch {d}/never-ran'
"#
    )
}

const PID_FILES: [&str; 4] = [
    "slow.pid",
    "grandchild.pid",
    "stubborn.pid",
    "stubborn-child.pid",
];

/// Starts `reprise run --yes` on the runbook, its output to files, and waits
/// until every command has written its pid.
fn start_drill(t: &Test) -> (Child, Vec<Pid>) {
    let out = std::fs::File::create(t.path().join("stdout")).unwrap();
    let err = std::fs::File::create(t.path().join("stderr")).unwrap();
    let mut cmd = drill_command(t);
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    let child = cmd.spawn().unwrap();
    (child, wait_for_pids(t))
}

/// On a failed test, kills the processes it started, so that they do not
/// outlive it.
struct Reap(Vec<Pid>);

impl Drop for Reap {
    fn drop(&mut self) {
        if std::thread::panicking() {
            for &pid in &self.0 {
                let _ = kill(pid, Signal::SIGKILL);
            }
        }
    }
}

/// `reprise run --yes` on the runbook.
fn drill(t: &Test) -> Test {
    Test::at(t.path()).args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"])
}

fn drill_command(t: &Test) -> Command {
    drill(t).command()
}

fn wait_for_pids(t: &Test) -> Vec<Pid> {
    PID_FILES
        .iter()
        .map(|name| wait_for_pid(&t.path().join(name)))
        .collect()
}

/// Waits (up to a minute) for a command to write its pid.
fn wait_for_pid(path: &PathBuf) -> Pid {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(pid) = text.trim().parse::<i32>()
        {
            return Pid::from_raw(pid);
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits (up to two minutes) for reprise to exit, and returns its code.
fn wait_exit(child: &mut Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().unwrap_or(-1);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("reprise did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `pid` is gone. A killed grandchild is re-parented to init and
/// is a zombie until init reaps it: give init some seconds to do so.
fn gone(pid: Pid) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match kill(pid, None) {
            Err(Errno::ESRCH) => return Ok(()),
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            result => {
                let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
                // Leave nothing behind even when the test fails.
                let _ = kill(pid, Signal::SIGKILL);
                return Err(format!("process {pid} is still there ({result:?}): {stat}"));
            }
        }
    }
}

/// What the drill journaled: the events' names and the steps' outcomes.
fn journal_events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn outcome(events: &[serde_json::Value], step: &str) -> Option<String> {
    events
        .iter()
        .rev()
        .find(|e| e["event"] == "step_finished" && e["step"] == step)
        .map(|e| e["outcome"].as_str().unwrap().to_string())
}

/// Interrupts a drill with `signal` and checks everything that must follow.
fn interrupt(signal: Signal) {
    let t = Test::new();
    let text = runbook(t.path());
    let t = t.file("rb.yaml", text);
    let (mut child, pids) = start_drill(&t);
    let _reap = Reap(pids.clone());
    kill(Pid::from_raw(child.id() as i32), signal).unwrap();
    let code = wait_exit(&mut child);
    let mut stderr = String::new();
    std::fs::File::open(t.path().join("stderr"))
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let stdout = std::fs::read_to_string(t.path().join("stdout")).unwrap();
    let name = format!("stopped by {}", signal.as_str());
    stopped(&t, &pids, code, &name, &format!("{stdout}\n{stderr}"));
    // Whoever watches the terminal learns what happened and what to do.
    assert!(
        stderr.contains(&format!(
            "the drill was stopped ({name}); nothing was aborted"
        )) && stderr.contains("reprise resume j.jsonl"),
        "--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
}

/// Checks that the drill stopped for `reason` without an abort: every
/// process gone, `run_stopped` last, no outcome invented for the steps that
/// were running (resume continues them); `shown` is what reprise printed,
/// for failures.
fn stopped(t: &Test, pids: &[Pid], code: i32, reason: &str, shown: &str) {
    let problems: Vec<String> = pids.iter().filter_map(|&p| gone(p).err()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(code, 3, "{shown}");
    assert!(!shown.contains("panicked"), "{shown}");

    let events = journal_events(t.path());
    assert!(
        !events.iter().any(|e| e["event"] == "abort_requested"),
        "a signal is not an operator's abort:\n{events:#?}"
    );
    assert_eq!(outcome(&events, "quick").as_deref(), Some("done"));
    assert_eq!(outcome(&events, "slow"), None);
    assert_eq!(outcome(&events, "stubborn"), None);
    assert!(
        !events
            .iter()
            .any(|e| e["event"] == "step_started" && e["step"] == "never")
    );
    assert!(!t.path().join("never-ran").exists());
    let last = events.last().unwrap();
    assert_eq!(last["event"], "run_stopped", "{events:#?}");
    assert_eq!(last["reason"], reason);
    // And the journal is intact, left for `reprise resume`.
    crate::reliability::run_in(t.path(), &["verify", "j.jsonl"]).code(0);
}

#[test]
fn sigint_with_nobody_to_ask_stops_the_drill_for_resume_and_ends_every_process_group() {
    interrupt(Signal::SIGINT);
}

#[test]
fn sigterm_stops_the_drill_for_resume_and_ends_every_process_group() {
    interrupt(Signal::SIGTERM);
}

/// Two steps: `wait` runs until the test creates `go`, then `after`.
fn waiting_runbook(dir: &Path) -> String {
    let d = dir.display();
    format!(
        r#"version: 1
name: Hang-up
defaults: {{timeout: 10m}}
steps:
  - id: wait
    title: Wait for the go
    run: 'echo $$ > {d}/wait.pid; while [ ! -e {d}/go ]; do sleep 0.05; done'
  - id: after
    title: After
    needs: [wait]
    run: "true"
"#
    )
}

/// The terminal closes (SIGHUP): reprise died at once and left every
/// command running, unrecorded; then it aborted. Now the drill goes on:
/// the running command finishes, its outcome is recorded, the drill ends.
#[test]
fn regression_sighup_left_every_command_running_unrecorded() {
    let t = Test::new();
    let text = waiting_runbook(t.path());
    let t = t.file("rb.yaml", text);
    let out = std::fs::File::create(t.path().join("stdout")).unwrap();
    let err = std::fs::File::create(t.path().join("stderr")).unwrap();
    let mut child = drill_command(&t)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let pid = wait_for_pid(&t.path().join("wait.pid"));
    let _reap = Reap(vec![pid]);
    kill(Pid::from_raw(child.id() as i32), Signal::SIGHUP).unwrap();
    std::fs::write(t.path().join("go"), "").unwrap();
    let code = wait_exit(&mut child);
    goes_on(&t, code);
}

/// The drill outlived the hang-up: recorded to its end, recovered.
fn goes_on(t: &Test, code: i32) {
    let events = journal_events(t.path());
    assert_eq!(code, 0, "{events:#?}");
    assert_eq!(outcome(&events, "wait").as_deref(), Some("done"));
    assert_eq!(outcome(&events, "after").as_deref(), Some("done"));
    assert!(!events.iter().any(|e| e["event"] == "abort_requested"));
    let last = events.last().unwrap();
    assert_eq!(last["event"], "run_finished");
    assert_eq!(last["result"], "recovered");
    crate::reliability::run_in(t.path(), &["verify", "j.jsonl"]).code(0);
}

/// A real terminal goes away (the pseudo-terminal's master is closed, as
/// when an SSH session drops): the kernel sends SIGHUP, and the drill goes
/// on to its end.
#[test]
fn a_closed_terminal_does_not_stop_the_drill() {
    let t = Test::new();
    let text = waiting_runbook(t.path());
    let t = t.file("rb.yaml", text);
    let pty = nix::pty::openpty(None, None).unwrap();
    // Only this test may hold the master: closing it is the hang-up.
    nix::fcntl::fcntl(
        &pty.master,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    )
    .unwrap();
    // A new session whose controlling terminal is the pseudo-terminal
    // (util-linux's `setsid --ctty`: a `pre_exec` hook would fork the whole
    // test process, other tests' open files included).
    let mut cmd = drill(&t)
        .env_remove("NO_COLOR")
        .under("setsid", &["--ctty"])
        .command();
    cmd.stdin(Stdio::from(pty.slave.try_clone().unwrap()))
        .stdout(Stdio::from(pty.slave.try_clone().unwrap()))
        .stderr(Stdio::from(pty.slave.try_clone().unwrap()));
    let mut child = cmd.spawn().unwrap();
    drop(pty.slave);
    let pid = wait_for_pid(&t.path().join("wait.pid"));
    let _reap = Reap(vec![pid]);
    // The output so far fits in the terminal's buffer: nobody needs to read.
    drop(pty.master);
    std::fs::write(t.path().join("go"), "").unwrap();
    let code = wait_exit(&mut child);
    goes_on(&t, code);
}

/// A step whose command ignores SIGTERM, past its timeout: killed after the
/// grace period with its whole group; the drill goes on.
#[test]
fn a_command_ignoring_sigterm_is_killed_after_its_timeout() {
    let t = Test::new();
    let d = t.path().display().to_string();
    let t = t.file(
        "rb.yaml",
        format!(
            r#"version: 1
name: Timeout
steps:
  - id: stubborn
    title: Ignores SIGTERM
    timeout: 1s
    on_failure: continue
    run: "trap '' TERM; echo $$ > {d}/stubborn.pid; sleep 1000 & echo $! > {d}/child.pid; wait"
  - id: after
    title: After
    needs: [stubborn]
    run: "true"
    timeout: 1m
"#
        ),
    );
    let t = t.args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(1);
    for name in ["stubborn.pid", "child.pid"] {
        let pid = wait_for_pid(&t.path().join(name));
        gone(pid).unwrap();
    }
    let events = journal_events(t.path());
    assert_eq!(outcome(&events, "stubborn").as_deref(), Some("failed"));
    assert_eq!(outcome(&events, "after").as_deref(), Some("done"));
    assert!(
        events.iter().any(|e| e["event"] == "attempt_finished"
            && e["step"] == "stubborn"
            && e["signal"] == "SIGKILL"),
        "{events:#?}"
    );
}

/// `reprise plan big.yaml | head -1`, and the same for the other commands
/// that print a lot: exit 0 and no complaint.
#[test]
fn a_pipe_closed_by_head_is_not_an_error() {
    let mut yaml = String::from("version: 1\nname: Big\ndefaults: {timeout: 1m}\nsteps:\n");
    for i in 0..3000 {
        yaml.push_str(&format!(
            "  - id: step-{i}\n    title: Step {i}\n    estimate: 1m\n    run: [echo, '{i}']\n"
        ));
    }
    let t = Test::new().file("big.yaml", yaml);
    for command in [
        "plan big.yaml",
        "plan --format json big.yaml",
        "plan --format dot big.yaml",
        "run --dry-run big.yaml",
        "schema",
    ] {
        let script = format!(
            "\"$REPRISE\" {command} 2>stderr | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\""
        );
        let out = Command::new("bash")
            .current_dir(t.path())
            .args(["-c", &script])
            .env("REPRISE", crate::harness::BIN)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let code = String::from_utf8_lossy(&out.stdout);
        let stderr = std::fs::read_to_string(t.path().join("stderr")).unwrap();
        assert_eq!(code.trim(), "0", "reprise {command} | head -1\n{stderr}");
        // `run` says on stderr where its journal is; nothing may complain.
        for word in ["error", "broken pipe", "panicked"] {
            assert!(
                !stderr.to_lowercase().contains(word),
                "reprise {command} | head -1\n{stderr}"
            );
        }
        if !command.starts_with("run") {
            assert_eq!(stderr, "", "reprise {command} | head -1");
        }
    }
}

/// The drill's process is killed outright (SIGKILL: nothing can be done),
/// leaving its commands running; `reprise resume` stops those leftovers,
/// runs the interrupted steps again, and a SIGTERM to the resume stops it
/// like any drill: recorded, every group ended, nothing left behind.
#[test]
fn a_resumed_drill_stops_the_leftovers_and_stops_cleanly_on_sigterm() {
    let t = Test::new();
    let text = runbook(t.path());
    let t = t.file("rb.yaml", text);
    let (mut first, old) = start_drill(&t);
    let _reap_old = Reap(old.clone());
    kill(Pid::from_raw(first.id() as i32), Signal::SIGKILL).unwrap();
    first.wait().unwrap();
    for name in PID_FILES {
        std::fs::remove_file(t.path().join(name)).unwrap();
    }

    let out = std::fs::File::create(t.path().join("stdout")).unwrap();
    let err = std::fs::File::create(t.path().join("stderr")).unwrap();
    let mut resume = Test::at(t.path())
        .args(["resume", "--yes", "j.jsonl"])
        .command()
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let new = wait_for_pids(&t);
    let _reap_new = Reap(new.clone());
    // The first run's commands were stopped before theirs started again.
    let leftovers: Vec<String> = old.iter().filter_map(|&p| gone(p).err()).collect();
    assert!(leftovers.is_empty(), "{}", leftovers.join("\n"));

    kill(Pid::from_raw(resume.id() as i32), Signal::SIGTERM).unwrap();
    let code = wait_exit(&mut resume);
    let shown = std::fs::read_to_string(t.path().join("stdout")).unwrap()
        + &std::fs::read_to_string(t.path().join("stderr")).unwrap();
    let events = journal_events(t.path());
    assert!(
        events.iter().any(|e| e["event"] == "run_resumed"),
        "{events:#?}"
    );
    stopped(&t, &new, code, "stopped by SIGTERM", &shown);
}

/// A second Ctrl-C forces the stop: SIGKILL to every group at once,
/// without the grace. With a grace of an hour, only the second signal can
/// end the SIGTERM-ignoring step within the two-minute bound.
#[test]
fn a_second_sigint_kills_every_group_without_waiting_for_the_grace() {
    let t = Test::new();
    let text = runbook(t.path());
    let t = t.file("rb.yaml", text);
    let out = std::fs::File::create(t.path().join("stdout")).unwrap();
    let err = std::fs::File::create(t.path().join("stderr")).unwrap();
    let mut cmd = drill_command(&t);
    cmd.env("REPRISE_KILL_GRACE_MS", "3600000")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    let mut child = cmd.spawn().unwrap();
    let pids = wait_for_pids(&t);
    let _reap = Reap(pids.clone());
    let reprise = Pid::from_raw(child.id() as i32);
    kill(reprise, Signal::SIGINT).unwrap();
    // The first signal is recorded before the second is sent.
    crate::harness::eventually("`run_stopped` in the journal", || {
        std::fs::read_to_string(t.path().join("j.jsonl"))
            .unwrap()
            .contains("\"event\":\"run_stopped\"")
    });
    kill(reprise, Signal::SIGINT).unwrap();
    let code = wait_exit(&mut child);
    let shown = std::fs::read_to_string(t.path().join("stdout")).unwrap()
        + &std::fs::read_to_string(t.path().join("stderr")).unwrap();
    stopped(&t, &pids, code, "stopped by SIGINT", &shown);
}
