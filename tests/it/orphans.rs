//! Issue 17: processes a step detaches (`setsid`, a double fork) used to
//! survive a failure, a timeout or an abort of their step. reprise is their
//! subreaper now, and kills and reaps what a failed attempt left
//! (src/exec/orphans.rs, docs/reliability.md).

use std::time::{Duration, Instant};

use crate::harness::{Output, RUNBOOK, Test};

/// The pids of live processes whose command line holds `marker` (a zombie
/// has none: it is dead).
fn holding(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmdline).contains(marker) {
            found.push(name);
        }
    }
    found
}

/// `holding(marker)` once it is empty, or what is still there after a few
/// seconds (a SIGKILLed process takes a moment to go).
fn left_after_a_while(marker: &str) -> Vec<String> {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let left = holding(marker);
        if left.is_empty() || Instant::now() > until {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn kill_all(pids: &[String]) {
    for pid in pids {
        let _ = std::process::Command::new("kill")
            .args(["-9", pid])
            .status();
    }
}

/// A detached `sh` whose command line holds `marker`: in a new session
/// (`setsid`), or through a double fork too; ends with `&` or `;`, ready
/// for the next command.
fn detached(marker: &str, double_fork: bool) -> String {
    let inner = format!("setsid sh -c 'sleep 1000; echo {marker}' </dev/null >/dev/null 2>&1 &");
    if double_fork {
        format!("( {inner} );")
    } else {
        inner
    }
}

/// Markers for [`detached`] unique to this test process:
/// `reprise-orphan-{what}-{pid}-{name}`.
fn markers<const N: usize>(what: &str, names: [&str; N]) -> [String; N] {
    let tag = format!("reprise-orphan-{what}-{}", std::process::id());
    names.map(|name| format!("{tag}-{name}"))
}

/// What a drill left behind.
struct Left {
    /// `reprise run`'s output.
    out: Output,
    /// Processes still running a few seconds later that should be gone.
    running: Vec<String>,
    /// Processes still running that were kept on purpose.
    kept: Vec<String>,
}

/// Runs `runbook` to its end and looks for the processes holding the
/// markers `gone` (given a few seconds to go) and `kept`; kills them all,
/// so that none outlives the test.
fn run_drill(runbook: &str, gone: &[&String], kept: &[&String]) -> Left {
    let out = Test::new()
        .runbook(runbook)
        .args(["run", "--yes", "--journal", "j.jsonl", RUNBOOK])
        .run();
    let running: Vec<String> = gone.iter().flat_map(|m| left_after_a_while(m)).collect();
    let kept: Vec<String> = kept.iter().flat_map(|m| holding(m)).collect();
    kill_all(&running);
    kill_all(&kept);
    Left { out, running, kept }
}

#[test]
fn a_failed_or_timed_out_step_leaves_nothing_detached_running() {
    let [timed_out, failed, forked] = markers("fail", ["timeout", "fail", "fork"]);
    let runbook = format!(
        r#"version: 1
name: Detached
defaults:
  on_failure: continue
steps:
  - id: slow
    title: Detaches, then runs past its timeout
    run: "{} sleep 100"
    timeout: 1s
  - id: fails
    title: Detaches, then fails
    run: "{} sleep 0.3; exit 3"
  - id: forks
    title: Double-forks a detached process, then fails
    run: "{} sleep 0.3; exit 4"
"#,
        detached(&timed_out, false),
        detached(&failed, false),
        detached(&forked, true),
    );
    let left = run_drill(&runbook, &[&timed_out, &failed, &forked], &[]);
    left.out.code(1);
    let running = left.running;
    assert!(
        running.is_empty(),
        "still running after the drill: {running:?}"
    );
}

#[test]
fn an_abort_leaves_nothing_detached_running_and_a_success_keeps_its_own() {
    let [running, kept] = markers("abort", ["running", "kept"]);
    let runbook = format!(
        r#"version: 1
name: Aborted
steps:
  - id: starts-a-service
    title: Starts a service, detached on purpose
    run: "{} sleep 0.3"
  - id: long
    title: Detaches, then runs on
    needs: [starts-a-service]
    run: "{} sleep 100"
  - id: boom
    title: Fails and aborts the drill
    needs: [starts-a-service]
    run: "sleep 1; exit 1"
    on_failure: abort
"#,
        detached(&kept, false),
        detached(&running, false),
    );
    let left = run_drill(&runbook, &[&running], &[&kept]);
    left.out.code(3);
    let (running, service) = (left.running, left.kept);
    assert!(
        running.is_empty(),
        "still running after the abort: {running:?}"
    );
    // A step that succeeded may have started a service that way.
    assert_eq!(
        service.len(),
        1,
        "the successful step's service: {service:?}"
    );
}
