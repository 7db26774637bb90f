//! `reprise run` end to end: real processes, real journal, no terminal.
//!
//! Commands in these runbooks write what they did into files; the tests
//! assert on those files and on the journal, never on how long anything
//! took.

use std::path::Path;

use crate::harness::{Output, Test};

/// The events of a journal, as JSON values.
fn journal(out: &Output, name: &str) -> Vec<serde_json::Value> {
    out.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The `step_finished` events, as `step=outcome`.
fn outcomes(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| format!("{}={}", str(&e["step"]), str(&e["outcome"])))
        .collect()
}

fn str(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or("")
}

fn last_event(events: &[serde_json::Value]) -> &serde_json::Value {
    events.last().expect("an empty journal")
}

/// `(start, end)` in nanoseconds, written by a command as `start end`.
fn span(out: &Output, name: &str) -> (u128, u128) {
    let text = out.read(name);
    let mut it = text.split_whitespace().map(|n| n.parse::<u128>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

/// A command step that records its start and end times in `<id>.span`,
/// and waits until `<id>.go` exists or a peer has started (so overlap, when
/// allowed, is certain rather than likely).
fn timed_step(id: &str, peer: &str) -> String {
    format!(
        r#"  - id: {id}
    title: Timed {id}
    timeout: 1m
    run: |
      s=$(date +%s%N)
      touch {id}.started
      i=0
      while [ ! -e {peer}.started ] && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done
      echo "$s $(date +%s%N)" > {id}.span
"#
    )
}

fn parallel_runbook() -> String {
    format!(
        "version: 1\nname: parallel\nsteps:\n{}{}",
        timed_step("left", "right"),
        timed_step("right", "left")
    )
}

#[test]
fn parallel_steps_overlap_in_time() {
    let t = Test::new().file("rb.yaml", parallel_runbook()).args([
        "run",
        "rb.yaml",
        "--jobs",
        "2",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    let (ls, le) = span(&out, "left.span");
    let (rs, re) = span(&out, "right.span");
    assert!(
        ls < re && rs < le,
        "no overlap: left {ls}..{le}, right {rs}..{re}"
    );
    let events = journal(&out, "j.jsonl");
    assert_eq!(str(&last_event(&events)["result"]), "recovered");
}

#[test]
fn jobs_1_serialises_steps() {
    let t = Test::new().file("rb.yaml", parallel_runbook()).args([
        "run",
        "rb.yaml",
        "--jobs",
        "1",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    let (ls, le) = span(&out, "left.span");
    let (rs, re) = span(&out, "right.span");
    assert!(
        le <= rs || re <= ls,
        "overlap: left {ls}..{le}, right {rs}..{re}"
    );
    // The journal agrees: the second step starts after the first finished.
    let events = journal(&out, "j.jsonl");
    let seq = |name: &str, step: &str| {
        events
            .iter()
            .position(|e| e["event"] == name && e["step"] == step)
            .unwrap_or_else(|| panic!("no {name} for {step}"))
    };
    assert!(seq("step_finished", "left") < seq("step_started", "right"));
}

#[test]
fn a_timed_out_steps_grandchild_is_gone_afterwards() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: timeout
steps:
  - id: hang
    title: Hangs with a grandchild
    timeout: 1s
    on_failure: continue
    run: |
      sleep 300 &
      echo $! > grandchild.pid
      trap '' TERM
      sleep 300
"#,
        )
        .env("REPRISE_KILL_GRACE_MS", "200")
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(1);
    let pid: i32 = out.read("grandchild.pid").trim().parse().unwrap();
    assert!(gone(pid), "grandchild {pid} is still running");
    let events = journal(&out, "j.jsonl");
    let attempt = events
        .iter()
        .find(|e| e["event"] == "attempt_finished")
        .unwrap();
    assert_eq!(attempt["timed_out"], true);
    assert_eq!(outcomes(&events), ["hang=failed"]);
}

/// True once `pid` no longer runs (a zombie waiting for init counts as
/// gone); waits a little for the kill to land.
fn gone(pid: i32) -> bool {
    for _ in 0..50 {
        let alive = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok();
        let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| {
                s.rsplit(')')
                    .next()
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('Z')
            })
            .unwrap_or(true);
        if !alive || zombie {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

const MIXED: &str = r#"version: 1
name: Mixed drill
objectives: { rto: 1h }
vars:
  TARGET: backup-site
  TOKEN: { secret: true, required: true }
steps:
  - id: declare
    title: Declare the incident
    role: direction
    estimate: 10m
  - id: stop-apps
    title: Stop the applications
    needs: [declare]
    estimate: 5m
    timeout: 1m
    confirm: true
    run: echo "stopping for $TARGET with $TOKEN" > stopped.txt
  - id: failover
    title: Fail over
    needs: [stop-apps]
    estimate: 30m
    timeout: 1m
    run: [touch, failover.done]
"#;

#[test]
fn dry_run_executes_nothing_and_shows_the_plan() {
    let t = Test::new().file("rb.yaml", MIXED).args([
        "run",
        "rb.yaml",
        "--dry-run",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    assert!(!out.dir.join("stopped.txt").exists());
    assert!(!out.dir.join("failover.done").exists());
    assert!(
        !out.dir.join("j.logs").exists(),
        "no step logs in a dry run"
    );
    let stdout = &out.stdout;
    let order: Vec<usize> = [
        "manual   #1 declare",
        "confirm  #2 stop-apps",
        "run      #2 stop-apps  echo \"stopping for $TARGET with $TOKEN\"",
        "run      #3 failover   touch failover.done",
    ]
    .iter()
    .map(|needle| {
        stdout
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in:\n{stdout}"))
    })
    .collect();
    assert!(order.is_sorted(), "{stdout}");
    // Simulated timeline from the estimates: 10m + 5m + 30m.
    assert!(stdout.contains("+15m      #3 failover   30m"), "{stdout}");
    assert!(
        stdout.contains("Estimated total: 45m (within the RTO of 1h)"),
        "{stdout}"
    );
    assert!(stdout.contains("$TOKEN = *** (secret)"), "{stdout}");
    let events = journal(&out, "j.jsonl");
    assert_eq!(events[0]["dry_run"], true);
    assert_eq!(str(&last_event(&events)["result"]), "recovered");
}

#[test]
fn without_a_terminal_a_manual_step_is_never_confirmed_silently() {
    let t = Test::new().file("rb.yaml", MIXED).args([
        "run",
        "rb.yaml",
        "--var",
        "TOKEN=x",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr
            .contains("there is no terminal to confirm `declare`, `stop-apps`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--yes") && out.stderr.contains("--answers"));
    assert!(!out.dir.join("j.jsonl").exists(), "nothing was started");
    assert!(!out.dir.join("stopped.txt").exists());
}

#[test]
fn a_required_variable_without_a_value_is_refused_without_a_terminal() {
    let t = Test::new().file("rb.yaml", MIXED).args([
        "run",
        "rb.yaml",
        "--yes",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("--var TOKEN=VALUE"), "{}", out.stderr);
    assert!(!out.dir.join("j.jsonl").exists());
}

#[test]
fn yes_confirms_manual_steps_as_auto_confirmed_and_masks_secrets() {
    let t = Test::new().file("rb.yaml", MIXED).args([
        "run",
        "rb.yaml",
        "--yes",
        "--var",
        "TOKEN=hunter2-secret",
        "--operator",
        "alice",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    // The command got the secret through its environment…
    assert_eq!(
        out.read("stopped.txt"),
        "stopping for backup-site with hunter2-secret\n"
    );
    let events = journal(&out, "j.jsonl");
    assert_eq!(
        outcomes(&events),
        ["declare=done", "stop-apps=done", "failover=done"]
    );
    let declare = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "declare")
        .unwrap();
    assert_eq!(declare["source"], "auto_confirmed");
    assert_eq!(declare["by"], "alice");
    // …and it appears nowhere else.
    let journal_text = out.read("j.jsonl");
    assert!(!journal_text.contains("hunter2"));
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
}

#[test]
fn secrets_printed_by_a_command_are_masked_in_its_log_and_on_screen() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: leak
vars:
  TOKEN: { value: s3cr3t-value, secret: true }
steps:
  - id: leak
    title: Prints the token
    timeout: 1m
    on_failure: continue
    run: echo "token is $TOKEN"; exit 1
"#,
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(1);
    let log = out.read("j.logs/leak.log");
    assert!(log.contains("token is ***"), "{log}");
    assert!(!log.contains("s3cr3t"), "{log}");
    assert!(out.stderr.contains("token is ***"), "{}", out.stderr);
    assert!(!out.stderr.contains("s3cr3t"), "{}", out.stderr);
    let journal = out.read("j.jsonl");
    assert!(
        journal.contains(r#""output_tail":["token is ***"]"#),
        "{journal}"
    );
    assert!(!journal.contains("s3cr3t"), "{journal}");
}

#[test]
fn answers_script_a_drill_with_notes_and_decisions() {
    let t = Test::new()
        .file("rb.yaml", MIXED)
        .file(
            "answers.yaml",
            "declare: { answer: done, note: cell opened in room 4 }\n\
             stop-apps: { answer: skip, reason: already stopped by the night shift }\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--var",
            "TOKEN=x",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    assert!(
        !out.dir.join("stopped.txt").exists(),
        "stop-apps was skipped"
    );
    let events = journal(&out, "j.jsonl");
    assert_eq!(
        outcomes(&events),
        ["declare=done", "stop-apps=skipped", "failover=done"]
    );
    let note = events.iter().find(|e| e["event"] == "note").unwrap();
    assert_eq!(note["text"], "cell opened in room 4");
    let skip = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "stop-apps")
        .unwrap();
    assert_eq!(skip["reason"], "already stopped by the night shift");
    assert_eq!(skip["source"], "operator");
}

#[test]
fn an_answers_file_with_mistakes_is_refused_with_locations() {
    let t = Test::new()
        .file("rb.yaml", MIXED)
        .file("answers.yaml", "declare: done\nstop-aps: run\n")
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--var",
            "TOKEN=x",
        ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr
            .contains("answers.yaml:2:1: unknown step `stop-aps`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `stop-apps`?"),
        "{}",
        out.stderr
    );
}

/// `failover: done` for a command that fails was accepted; the drill then
/// stopped at the failure for want of an answer (marking a failed command
/// done needs a reason). Now it is refused before anything runs.
#[test]
fn an_answers_file_marking_a_failing_command_done_without_a_reason_is_refused() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: A\nsteps:\n  - {id: failover, title: F, timeout: 1m, on_failure: ask, run: 'touch ran; exit 1'}\n",
        )
        .file("answers.yaml", "failover: done\n")
        .args(["run", "rb.yaml", "--answers", "answers.yaml"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "answers.yaml:1:11: `done` for command step `failover` would mark its failed command done, which needs a reason"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.dir.join("ran").exists());
    assert!(!out.dir.join("journals").exists());
    // With a reason the failure is marked done, as written.
    let t = t.file(
        "answers.yaml",
        "failover: { answer: done, reason: switched by hand }\n",
    );
    let out = t.run();
    out.code(0);
    assert!(out.dir.join("ran").exists());
}

fn policy_runbook(policy: &str) -> String {
    format!(
        r#"version: 1
name: policy
steps:
  - id: first
    title: First
    timeout: 1m
    run: touch first.done
    rollback: touch first.undone
  - id: broken
    title: Broken
    needs: [first]
    timeout: 1m
    on_failure: {policy}
    run: echo "disk full" >&2; exit 7
  - id: after
    title: After
    needs: [broken]
    timeout: 1m
    run: touch after.done
"#
    )
}

fn run_policy(policy: &str, extra: &[&str]) -> (Output, Vec<serde_json::Value>, Test) {
    let test = Test::new()
        .file("rb.yaml", policy_runbook(policy))
        .args(["run", "rb.yaml", "--journal", "j.jsonl"])
        .args(extra);
    let out = test.run();
    let events = journal(&out, "j.jsonl");
    (out, events, test)
}

#[test]
fn on_failure_continue_goes_on_and_ends_degraded() {
    let (out, events, _t) = run_policy("continue", &[]);
    out.code(1);
    assert_eq!(
        outcomes(&events),
        ["first=done", "broken=failed", "after=done"]
    );
    let broken = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "broken")
        .unwrap();
    assert_eq!(broken["exit_code"], 7);
    assert_eq!(broken["output_tail"], serde_json::json!(["disk full"]));
}

#[test]
fn on_failure_abort_stops_and_ends_aborted() {
    let (out, events, _t) = run_policy("abort", &[]);
    out.code(3);
    assert_eq!(outcomes(&events), ["first=done", "broken=failed"]);
    assert!(!out.dir.join("after.done").exists());
    assert!(!out.dir.join("first.undone").exists());
}

#[test]
fn on_failure_rollback_undoes_completed_steps() {
    let (out, events, _t) = run_policy("rollback", &["--yes"]);
    out.code(3);
    assert!(out.dir.join("first.undone").exists(), "the rollback ran");
    let rolled: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "rollback_finished")
        .map(|e| str(&e["step"]))
        .collect();
    assert_eq!(rolled, ["first"]);
}

#[test]
fn on_failure_ask_without_an_answer_stops_with_the_flag_to_use() {
    let (out, events, _t) = run_policy("ask", &[]);
    out.code(3);
    assert!(out.stderr.contains("--answers"), "{}", out.stderr);
    assert_eq!(outcomes(&events), ["first=done", "broken=failed"]);
}

#[test]
fn on_failure_ask_answered_by_a_file() {
    let test = Test::new()
        .file("rb.yaml", policy_runbook("ask"))
        .file(
            "answers.yaml",
            "broken:\n  - { answer: retry, reason: freed some space }\n  - { answer: mark_done, reason: done by hand }\n",
        )
        .args(["run", "rb.yaml", "--answers", "answers.yaml", "--journal", "j.jsonl"]);
    let out = test.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let attempts = events
        .iter()
        .filter(|e| e["event"] == "attempt_finished" && e["step"] == "broken")
        .count();
    assert_eq!(attempts, 2, "the retry made a second attempt");
    assert_eq!(
        outcomes(&events),
        ["first=done", "broken=done", "after=done"]
    );
}

#[test]
fn assume_done_and_skip_are_recorded_and_checked() {
    let t = Test::new().file("rb.yaml", policy_runbook("abort")).args([
        "run",
        "rb.yaml",
        "--assume-done",
        "first=done yesterday",
        "--skip",
        "broken=known broken",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    assert!(!out.dir.join("first.done").exists());
    let events = journal(&out, "j.jsonl");
    assert_eq!(
        outcomes(&events),
        ["first=done", "broken=skipped", "after=done"]
    );
    assert_eq!(events[1]["source"], "command_line");
    assert_eq!(events[1]["reason"], "done yesterday");

    let t = Test::new().file("rb.yaml", policy_runbook("abort")).args([
        "run",
        "rb.yaml",
        "--skip",
        "brokn=typo",
    ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("did you mean `broken`?"),
        "{}",
        out.stderr
    );
    let t = Test::new()
        .file("rb.yaml", policy_runbook("abort"))
        .args(["run", "rb.yaml", "--skip", "broken"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("a reason is required"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_invalid_runbook_runs_nothing() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: bad\nsteps:\n  - id: a\n    title: A\n    run: touch ran\n    neds: [b]\n",
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("rb.yaml:7:5"), "{}", out.stderr);
    assert!(!out.dir.join("ran").exists());
    assert!(!Path::new(&out.dir.join("j.jsonl")).exists());
}

#[test]
fn steps_of_the_other_mode_are_not_applicable() {
    let rb = r#"version: 1
name: modes
steps:
  - id: real
    title: Real failover
    only: incident
    timeout: 1m
    run: touch real.done
  - id: copy
    title: Failover on the copy
    only: drill
    timeout: 1m
    run: touch copy.done
  - id: after
    title: After
    needs: [real, copy]
    timeout: 1m
    run: touch after.done
"#;
    let t = Test::new()
        .file("rb.yaml", rb)
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    assert!(out.dir.join("copy.done").exists() && out.dir.join("after.done").exists());
    assert!(!out.dir.join("real.done").exists());
    let events = journal(&out, "j.jsonl");
    assert!(outcomes(&events).contains(&"real=not_applicable".to_string()));

    let t = Test::new().file("rb.yaml", rb).args([
        "run",
        "rb.yaml",
        "--incident",
        "--journal",
        "j.jsonl",
    ]);
    let out = t.run();
    out.code(0);
    assert!(out.dir.join("real.done").exists());
    assert!(!out.dir.join("copy.done").exists());
    assert_eq!(journal(&out, "j.jsonl")[0]["mode"], "incident");
}

#[test]
fn ctrl_c_without_a_terminal_stops_and_ends_every_command() {
    let t = Test::new().file(
        "rb.yaml",
        r#"version: 1
name: interrupted
steps:
  - id: long
    title: Runs long, ignoring SIGTERM
    timeout: 10m
    run: |
      trap '' TERM
      sleep 300 &
      echo $! > child.pid
      wait
"#,
    );
    let child = Test::at(t.path())
        .args(["run", "rb.yaml", "--journal", "j.jsonl"])
        .env("REPRISE_KILL_GRACE_MS", "300")
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pidfile = t.path().join("child.pid");
    for _ in 0..200 {
        if std::fs::read_to_string(&pidfile).is_ok_and(|s| s.ends_with('\n')) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid: i32 = std::fs::read_to_string(&pidfile)
        .expect("the command started")
        .trim()
        .parse()
        .unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(gone(pid), "the command's child {pid} survived Ctrl-C");
    let text = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Nobody to ask: a stop for `reprise resume`, not an abort.
    let stop = last_event(&events);
    assert_eq!(stop["event"], "run_stopped", "{events:#?}");
    assert_eq!(stop["by"], "signal");
    assert_eq!(stop["reason"], "stopped by SIGINT");
    assert!(outcomes(&events).is_empty(), "{events:#?}");
}

#[test]
fn retries_wait_their_delay_and_every_attempt_is_recorded() {
    let t = Test::new()
        .file(
            "rb.yaml",
            r#"version: 1
name: retries
steps:
  - id: flaky
    title: Fails once
    timeout: 1m
    retries: 2
    retry_delay: 1s
    run: |
      if [ -e tried ]; then exit 0; fi
      touch tried
      exit 1
"#,
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let attempts: Vec<(u64, i64)> = events
        .iter()
        .filter(|e| e["event"] == "attempt_finished")
        .map(|e| {
            (
                e["attempt"].as_u64().unwrap(),
                e["exit_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(attempts, [(1, 1), (2, 0)]);
    let time = |name: &str, attempt: u64| {
        let e = events
            .iter()
            .find(|e| e["event"] == name && e["attempt"] == attempt)
            .unwrap();
        str(&e["time"]).parse::<jiff::Timestamp>().unwrap()
    };
    let pause = time("step_started", 2).duration_since(time("attempt_finished", 1));
    assert!(
        pause >= jiff::SignedDuration::from_secs(1),
        "the retry started {pause:?} after the failure"
    );
    let done = events
        .iter()
        .find(|e| e["event"] == "step_finished")
        .unwrap();
    assert_eq!(done["attempts"], 2);
}

#[test]
fn step_started_records_the_process_id() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: pid\nsteps:\n  - id: a\n    title: A\n    timeout: 1m\n    run: echo $$ > pid.txt\n",
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let started = events
        .iter()
        .find(|e| e["event"] == "step_started")
        .unwrap();
    let pid: u64 = out.read("pid.txt").trim().parse().unwrap();
    assert_eq!(started["pid"].as_u64(), Some(pid));
}

/// Through a real pseudo-terminal: two manual steps open at once, closed in
/// the opposite order, with a note and a handover in between.
#[test]
fn at_a_terminal_manual_steps_close_in_any_order_with_notes_and_handover() {
    use expectrl::Expect;

    let t = Test::new().file(
        "rb.yaml",
        r#"version: 1
name: pty
steps:
  - id: call-vendor
    title: Call the vendor
  - id: check-backups
    title: Check the backups
  - id: restart
    title: Restart
    needs: [call-vendor, check-backups]
    timeout: 1m
    run: touch restarted
"#,
    );
    let mut p = Test::at(t.path())
        .args([
            "run",
            "rb.yaml",
            "--operator",
            "alice",
            "--journal",
            "j.jsonl",
        ])
        .pty();
    p.expect("`done 2`").unwrap();
    // #1 is call-vendor, #2 check-backups: close #2 first.
    p.send_line("done 2").unwrap();
    p.expect("check-backups done").unwrap();
    p.send_line("note #1 vendor reached on the second call")
        .unwrap();
    p.send_line("handover bob").unwrap();
    p.expect("bob").unwrap();
    p.send_line("done 1").unwrap();
    p.expect("journal: j.jsonl").unwrap();
    let status = crate::harness::wait_exit(&mut p, std::time::Duration::from_secs(60));
    assert!(
        matches!(status, expectrl::process::unix::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
    assert!(t.path().join("restarted").exists());
    let text = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    let events: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let finished = |id: &str| {
        events
            .iter()
            .find(|e| e["event"] == "step_finished" && e["step"] == id)
            .unwrap_or_else(|| panic!("{id} not finished"))
            .clone()
    };
    assert_eq!(finished("check-backups")["by"], "alice");
    assert_eq!(finished("call-vendor")["by"], "bob");
    assert_eq!(finished("call-vendor")["source"], "operator");
    let order: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| str(&e["step"]))
        .collect();
    assert_eq!(order, ["check-backups", "call-vendor", "restart"]);
    let note = events.iter().find(|e| e["event"] == "note").unwrap();
    assert_eq!(note["step"], "call-vendor");
    assert_eq!(note["by"], "alice");
    let handover = events.iter().find(|e| e["event"] == "handover").unwrap();
    assert_eq!(
        (&handover["from"], &handover["to"]),
        (&"alice".into(), &"bob".into())
    );
}
