//! `reprise resume` through the binary: what it refuses (a finished drill,
//! a changed runbook, a journal in use, an interrupted step nobody can
//! decide about) and, in the crash tests, a real drill killed with SIGKILL
//! at several moments and carried on.

use std::path::Path;

use reprise::event::{Event, RunResult, Stamped};
use reprise::journal::{self, Writer};
use reprise::redact::Redactor;
use reprise::runbook::{Mode, StepId};
use sha2::{Digest, Sha256};

use crate::fixtures::{at, run_started, step_done, step_started, write};
use crate::harness::Test;

const PLAN: &str = "\
version: 1
name: Failover
steps:
  - id: stop-app
    title: Stop the application
    run: \"echo stop-app >> ran.txt\"
  - id: copy-data
    title: Copy the data
    run: \"echo copy-data >> ran.txt\"
    needs: [stop-app]
  - id: start-app
    title: Start the application
    run: \"echo start-app >> ran.txt\"
    idempotent: true
    needs: [copy-data]
";

/// `run_started` for the runbook at `path`, as `reprise run` records it.
fn started(path: &Path) -> Stamped {
    let text = std::fs::read_to_string(path).unwrap();
    let checked = reprise::validate::check_text(path, &text).unwrap();
    run_started(
        &path.file_name().unwrap().to_string_lossy(),
        hex::encode(Sha256::digest(text.as_bytes())),
        &checked.runbook.name,
        reprise::exec::engine::planned_steps(&checked.runbook, &checked.graph, Mode::Drill),
    )
}

/// A drill of [`PLAN`] interrupted while `copy-data` (not idempotent) ran.
fn interrupted(t: &Test) -> Vec<Stamped> {
    interrupted_at(&t.path().join("plan.yaml"))
}

/// `sleep 60` in a process group of its own, as a drill runs its commands.
fn sleep_in_own_group() -> std::process::Child {
    use std::os::unix::process::CommandExt;
    std::process::Command::new("sleep")
        .arg("60")
        .process_group(0)
        .spawn()
        .unwrap()
}

/// [`interrupted`] on this machine, `copy-data` having been started as
/// process `pid` at `time`.
fn interrupted_here(t: &Test, pid: u32, time: jiff::Timestamp) -> Vec<Stamped> {
    let mut events = interrupted(t);
    if let Event::RunStarted { host, .. } = &mut events[0].event {
        *host = journal::hostname();
    }
    events[3] = Stamped {
        time,
        event: Event::StepStarted {
            step: StepId::new("copy-data"),
            attempt: 1,
            pid: Some(pid),
        },
    };
    events
}

/// [`interrupted`] for the runbook at `runbook`.
fn interrupted_at(runbook: &Path) -> Vec<Stamped> {
    vec![
        started(runbook),
        step_started("stop-app", 1),
        step_done("stop-app", 2),
        step_started("copy-data", 3),
    ]
}

#[test]
fn a_finished_drill_is_not_resumed() {
    let t = Test::new().file("plan.yaml", PLAN);
    let mut events = interrupted(&t);
    events.push(Stamped {
        time: at(9),
        event: Event::RunFinished {
            result: RunResult::Aborted,
        },
    });
    write(&t.path().join("j.jsonl"), &events);
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    let before = std::fs::read(t.path().join("j.jsonl")).unwrap();
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: the drill in j.jsonl already finished (aborted) at 2026-11-29 08:00:09Z: there is nothing to resume"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(t.path().join("j.jsonl")).unwrap(), before);
}

#[test]
fn a_changed_runbook_is_refused_with_what_changed() {
    let t = Test::new().file("plan.yaml", PLAN);
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let changed = PLAN
        .replace("Copy the data", "Copy the data again")
        .replace("    idempotent: true\n", "")
        + "  - id: check\n    title: Check\n    run: \"true\"\n";
    let t = t
        .file("plan.yaml", changed)
        .args(["resume", "j.jsonl", "--yes"]);
    let before = std::fs::read(t.path().join("j.jsonl")).unwrap();
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr
            .contains("error: runbook plan.yaml changed since the drill started (sha256 "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "  ~ copy-data: title \"Copy the data\" → \"Copy the data again\"\n  ~ start-app: idempotent differs\n  + check: Check\n"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--allow-changed"), "{}", out.stderr);
    assert_eq!(std::fs::read(t.path().join("j.jsonl")).unwrap(), before);
}

/// The same changes to a French drill (`lang: fr`) are listed in French,
/// refused and carried on with `--allow-changed`; the runbook's keys stay
/// as written.
#[test]
fn a_changed_runbook_of_a_french_drill_is_listed_in_french() {
    let plan = PLAN.replace("name: Failover\n", "name: Failover\nlang: fr\n");
    let t = Test::new().file("plan.yaml", &plan);
    let mut events = interrupted(&t);
    if let Event::RunStarted { exercise, .. } = &mut events[0].event {
        *exercise = Some(Box::new(reprise::event::ExerciseInfo {
            lang: Some("fr".into()),
            ..Default::default()
        }));
    }
    write(&t.path().join("j.jsonl"), &events);
    let changed = plan
        .replace("Copy the data", "Copy the data again")
        .replace("    idempotent: true\n", "    role: dba\n")
        + "  - id: check\n    title: Check\n    run: \"true\"\n";
    let t = t.file("plan.yaml", changed);
    let lines = "  ~ copy-data\u{a0}: title \"Copy the data\" → \"Copy the data again\"\n  \
                 ~ start-app\u{a0}: role (aucun) → dba\u{202f}; idempotent diffère\n  \
                 + check\u{a0}: Check\n";
    let out = Test::at(t.path())
        .args(["resume", "j.jsonl", "--yes"])
        .run();
    out.code(2);
    assert!(out.stderr.contains(lines), "{}", out.stderr);
    for english in ["differs", "(none)", "dba; idempotent"] {
        assert!(
            !out.stderr.contains(english),
            "{english:?} in\n{}",
            out.stderr
        );
    }
    let out = Test::at(t.path())
        .args(["resume", "j.jsonl", "--yes", "--allow-changed"])
        .run();
    assert!(out.stderr.contains(lines), "{}", out.stderr);
    assert!(!out.stderr.contains("differs"), "{}", out.stderr);
}

/// Two phases: the second waits for the first, so `run_started` records
/// the last step of `prepare` among the needs of `start-app`.
const PHASED: &str = "\
version: 1
name: Phased
phases:
  - id: prepare
    title: Prepare
    steps:
      - id: stop-app
        title: Stop the application
        run: \"true\"
      - id: copy-data
        title: Copy the data
        run: \"true\"
        estimate: 5m
  - id: restore
    title: Restore
    steps:
      - id: start-app
        title: Start the application
        run: \"true\"
      - id: check
        title: Check
        run: \"true\"
        needs: [start-app]
";

#[test]
fn a_changed_title_is_the_only_change_shown_for_a_phased_runbook() {
    let t = Test::new().file("plan.yaml", PHASED);
    let path = t.path().join("j.jsonl");
    Test::at(t.path())
        .args(["run", "plan.yaml", "--yes", "--journal", "j.jsonl"])
        .run()
        .success();
    // Keep what `reprise run` recorded up to the start of `copy-data`, as
    // if it had been killed then (cutting at a line keeps the chain intact).
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text
        .lines()
        .position(|l| l.contains(r#""event":"step_started","step":"copy-data""#))
        .unwrap_or_else(|| panic!("copy-data never started\n{text}"));
    let kept: String = text
        .lines()
        .take(cut + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, kept).unwrap();

    let t = t
        .file(
            "plan.yaml",
            PHASED.replace("title: Check", "title: Check the site"),
        )
        .args(["resume", "j.jsonl", "--yes"]);
    let out = t.run();
    out.code(2);
    let changes: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("  ~ ") || l.starts_with("  + ") || l.starts_with("  - "))
        .collect();
    assert_eq!(
        changes,
        ["  ~ check: title \"Check\" → \"Check the site\""],
        "{}",
        out.stderr
    );
}

#[test]
fn a_journal_in_use_is_refused_naming_its_holder() {
    let t = Test::new().file("plan.yaml", PLAN);
    let path = t.path().join("j.jsonl");
    let mut w = Writer::create(&path, Redactor::default()).unwrap();
    for e in interrupted(&t) {
        w.write(&e).unwrap();
    }
    w.sync().unwrap();
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains(&format!(
            "error: journal j.jsonl is in use by reprise (pid {} on host ",
            std::process::id()
        )),
        "{}",
        out.stderr
    );
    drop(w);
}

#[test]
fn an_interrupted_step_without_a_terminal_needs_yes() {
    let t = Test::new().file("plan.yaml", PLAN);
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let t = t.args(["resume", "j.jsonl"]);
    let before = std::fs::read(t.path().join("j.jsonl")).unwrap();
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: step `copy-data` (`echo copy-data >> ran.txt`) was interrupted and is not idempotent"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("add `--yes`"), "{}", out.stderr);
    // Nothing appended, nothing run.
    assert_eq!(std::fs::read(t.path().join("j.jsonl")).unwrap(), before);
    assert!(!t.path().join("ran.txt").exists());
}

#[test]
fn resume_refuses_what_nobody_can_answer_as_run_does() {
    // An interrupted command and a manual step still to come: both named,
    // with the flags that would answer them, in one refusal.
    let plan =
        format!("{PLAN}  - id: tell-users\n    title: Tell the users\n    needs: [start-app]\n");
    let t = Test::new().file("plan.yaml", &plan);
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let before = std::fs::read(t.path().join("j.jsonl")).unwrap();
    let t = t.args(["resume", "j.jsonl"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: step `copy-data` (`echo copy-data >> ran.txt`) was interrupted and is not idempotent: \
             someone must decide whether to run it again, and there is no terminal to ask, \
             nor to confirm `tell-users`: nothing was resumed"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`--yes`") && out.stderr.contains("--answers FILE"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(t.path().join("j.jsonl")).unwrap(), before);

    // `reprise run` refuses the same manual step with the same words.
    let run = Test::new()
        .file("plan.yaml", &plan)
        .args(["run", "plan.yaml", "--journal", "j.jsonl"])
        .run();
    run.code(2);
    assert!(
        run.stderr
            .contains("there is no terminal to confirm `tell-users`: nothing was run"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_tampered_journal_is_not_resumed() {
    let t = Test::new().file("plan.yaml", PLAN);
    let path = t.path().join("j.jsonl");
    write(&path, &interrupted(&t));
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "\"stop-app\",\"outcome\":\"done\"",
        "\"stop-app\",\"outcome\":\"skipped\"",
    );
    std::fs::write(&path, text).unwrap();
    let out = t.args(["resume", "j.jsonl", "--yes"]).run();
    out.code(2);
    assert!(
        out.stderr.contains("error: j.jsonl:3: line 3 was altered"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_interrupted_drill_carries_on_and_ends_recovered() {
    let t = Test::new().file("plan.yaml", PLAN);
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    // As if `stop-app` had run before the interruption.
    let t = t.file("ran.txt", "stop-app\n");
    let t = t.args(["resume", "j.jsonl", "--yes", "--operator", "bob"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr.contains(
            "step `copy-data` was interrupted and is not idempotent; --yes runs it again"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("ran.txt")).unwrap(),
        "stop-app\ncopy-data\nstart-app\n"
    );
    let journal = journal::read(&t.path().join("j.jsonl")).unwrap();
    journal::verify(&journal).unwrap();
    let events: Vec<&Event> = journal.events().map(|s| &s.event).collect();
    assert!(
        matches!(events[4], Event::RunResumed { operator, runbook_sha256: None, .. } if operator == "bob"),
        "{:?}",
        events[4]
    );
    assert!(matches!(
        events.last(),
        Some(Event::RunFinished {
            result: RunResult::Recovered
        })
    ));
    // `stop-app` is not started again.
    let starts: Vec<String> = events[4..]
        .iter()
        .filter_map(|e| match e {
            Event::StepStarted { step, .. } => Some(step.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(starts, ["copy-data", "start-app"]);
}

/// A drill whose interrupted step uses a secret given with `--var`.
const SECRET_PLAN: &str = "\
version: 1
name: Restore
vars:
  ADMIN_TOKEN: { secret: true, required: true }
steps:
  - id: stop-app
    title: Stop the application
    run: \"echo stop-app >> ran.txt\"
  - id: copy-data
    title: Copy the data
    run: \"echo token=$ADMIN_TOKEN\"
    needs: [stop-app]
  - id: start-app
    title: Start the application
    run: \"echo token=$ADMIN_TOKEN\"
    needs: [copy-data]
";

#[test]
fn a_resumed_drill_masks_secrets_given_with_var() {
    // The operator's words quote the secret: the journal opened for
    // appending must mask them as `reprise run`'s does.
    let t = Test::new().file("plan.yaml", SECRET_PLAN).file(
        "answers.yaml",
        "copy-data: { answer: mark_done, reason: \"copied by hand with hunter2-s3cret\", \
         note: \"hunter2-s3cret still works\" }\n",
    );
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let t = t.args([
        "resume",
        "j.jsonl",
        "--answers",
        "answers.yaml",
        "--var",
        "ADMIN_TOKEN=hunter2-s3cret",
    ]);
    let out = t.run();
    out.code(0);
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    assert!(!out.stdout.contains("hunter2"), "{}", out.stdout);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains("copied by hand with ***"),
        "the reason is recorded, masked\n{journal}"
    );
    assert!(!journal.contains("hunter2"), "{journal}");
    let logs = journal::log_dir(&t.path().join("j.jsonl"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&logs).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        seen += 1;
    }
    assert!(seen > 0, "no log in {}", logs.display());
}

#[test]
fn a_resumed_attempt_is_numbered_after_the_interrupted_one() {
    let t = Test::new()
        .file("plan.yaml", PLAN)
        .file("ran.txt", "stop-app\n");
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    t.run().code(0);
    let journal = journal::read(&t.path().join("j.jsonl")).unwrap();
    let attempts: Vec<(String, u32)> = journal
        .events()
        .filter_map(|s| match &s.event {
            Event::StepStarted { step, attempt, .. } if step.as_str() == "copy-data" => {
                Some((step.to_string(), *attempt))
            }
            _ => None,
        })
        .collect();
    // Attempt 1 was cut short by the crash; the run after the resume is 2.
    assert_eq!(
        attempts,
        [("copy-data".to_string(), 1), ("copy-data".to_string(), 2)]
    );
    let finished = journal
        .events()
        .find_map(|s| match &s.event {
            Event::StepFinished { step, attempts, .. } if step.as_str() == "copy-data" => {
                Some(*attempts)
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(finished, 2);
}

// ---- crash tests -------------------------------------------------------

/// A drill of `n` automated steps in layers of three, each step needing two
/// of the layer before; each command sleeps a little (spreading the kill
/// points) and appends its id to `ran.txt`; one step in three is
/// idempotent.
fn crash_runbook(n: usize) -> String {
    let mut y = String::from("version: 1\nname: Crash drill\nsteps:\n");
    for i in 0..n {
        y.push_str(&format!(
            "  - id: s{i:02}\n    title: Step {i}\n    run: \"sleep 0.02; echo s{i:02} >> ran.txt\"\n"
        ));
        if i % 3 == 0 {
            y.push_str("    idempotent: true\n");
        }
        if i >= 3 {
            let layer = i / 3 - 1;
            let a = layer * 3;
            let b = layer * 3 + 1 + i % 2;
            y.push_str(&format!("    needs: [s{a:02}, s{b:02}]\n"));
        }
    }
    y
}

/// The complete lines of a file (a torn last line left out).
fn complete_lines(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match text.rfind('\n') {
        Some(i) => text[..=i].to_string(),
        None => String::new(),
    }
}

fn done_steps(journal: &str) -> Vec<String> {
    journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["event"] == "step_finished" && e["outcome"] == "done")
        .filter_map(|e| e["step"].as_str().map(str::to_string))
        .collect()
}

/// Starts a real drill, kills it with SIGKILL once its journal holds
/// `kill_after` lines, resumes it with `--yes`, and checks what a crash must
/// never do: lose or rewrite a recorded event, run again a step recorded
/// done, leave the drill unfinished or the journal broken.
fn crash_and_resume(kill_after: usize) {
    const STEPS: usize = 9;
    let t = Test::new().file("drill.yaml", crash_runbook(STEPS));
    let dir = t.path().to_path_buf();
    let journal_path = dir.join("j.jsonl");
    let mut child = Test::at(&dir)
        .args([
            "run",
            "drill.yaml",
            "--journal",
            "j.jsonl",
            "--yes",
            "--jobs",
            "2",
        ])
        .spawn();
    loop {
        if complete_lines(&journal_path).lines().count() >= kill_after {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the drill ended ({status}) before its journal had {kill_after} lines");
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let before = complete_lines(&journal_path);
    let done_before = done_steps(&before);

    let t = t.args(["resume", "j.jsonl", "--yes", "--jobs", "2"]);
    let out = t.run();
    out.code(0);
    let after = std::fs::read_to_string(&journal_path).unwrap();
    assert!(
        after.starts_with(&before),
        "kill after {kill_after} lines: the journal before the kill changed\n--- before\n{before}--- after\n{after}"
    );
    let journal = journal::read(&journal_path).unwrap();
    journal::verify(&journal).unwrap_or_else(|e| panic!("kill after {kill_after} lines: {e}"));
    assert_eq!(
        journal.result(),
        Some(RunResult::Recovered),
        "kill after {kill_after} lines\n{after}\n{}",
        out.stderr
    );
    let ran = std::fs::read_to_string(dir.join("ran.txt")).unwrap_or_default();
    for step in &done_before {
        let runs = ran.lines().filter(|l| l == step).count();
        assert_eq!(
            runs, 1,
            "kill after {kill_after} lines: {step} was recorded done before the kill and ran {runs} times\n{ran}"
        );
    }
    for i in 0..STEPS {
        let id = format!("s{i:02}");
        assert!(
            ran.lines().any(|l| l == id),
            "kill after {kill_after} lines: {id} never ran\n{ran}"
        );
    }
    let verify = Test::at(&dir).args(["verify", "j.jsonl"]).run();
    assert_eq!(
        verify.code, 0,
        "kill after {kill_after} lines: {}",
        verify.stderr
    );
}

#[test]
fn crash_right_after_the_start() {
    crash_and_resume(1);
}

#[test]
fn crash_early_in_the_drill() {
    crash_and_resume(5);
}

#[test]
fn crash_in_the_middle_of_the_drill() {
    crash_and_resume(15);
}

#[test]
fn crash_late_in_the_drill() {
    crash_and_resume(28);
}

#[test]
fn a_second_reprise_on_a_running_drill_is_refused() {
    let plan = "\
version: 1
name: Long
steps:
  - id: wait
    title: Wait for the go file
    run: \"while [ ! -e go ]; do sleep 0.05; done\"
";
    let t = Test::new().file("plan.yaml", plan);
    let dir = t.path().to_path_buf();
    let mut first = Test::at(&dir)
        .args(["run", "plan.yaml", "--journal", "j.jsonl", "--yes"])
        .spawn();
    // Wait until the step runs: the journal is locked by then.
    while !std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap_or_default()
        .contains("\"step_started\"")
    {
        assert!(first.try_wait().unwrap().is_none(), "the drill ended early");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let second = Test::at(&dir).args(["resume", "j.jsonl", "--yes"]).run();
    let status = Test::at(&dir).args(["status", "j.jsonl"]).run();
    std::fs::write(dir.join("go"), "").unwrap();
    assert!(first.wait().unwrap().success());

    let stderr = &second.stderr;
    second.code(2);
    assert!(
        stderr.contains(&format!(
            "error: journal j.jsonl is in use by reprise (pid {} on host ",
            first.id()
        )),
        "{stderr}"
    );
    let stdout = &status.stdout;
    assert!(
        stdout.contains(&format!(
            "in progress: reprise (pid {} on host ",
            first.id()
        )),
        "{stdout}"
    );
    assert!(stdout.contains(" running        wait "), "{stdout}");
    // The first drill went on undisturbed.
    let journal = journal::read(&dir.join("j.jsonl")).unwrap();
    journal::verify(&journal).unwrap();
    assert_eq!(journal.result(), Some(RunResult::Recovered));
    assert!(!dir.join("j.jsonl.lock").exists());
}

#[test]
fn allow_changed_carries_on_and_records_the_new_runbook() {
    let t = Test::new().file("plan.yaml", PLAN);
    write(&t.path().join("j.jsonl"), &interrupted(&t));
    let changed = PLAN.replace("Copy the data", "Copy the data again");
    let t = t
        .file("plan.yaml", &changed)
        .args(["resume", "j.jsonl", "--yes", "--allow-changed"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr.contains("warning: runbook plan.yaml changed since the drill started; carrying on with the new content (--allow-changed):\n  ~ copy-data: title \"Copy the data\" → \"Copy the data again\"\n"),
        "{}",
        out.stderr
    );
    let journal = journal::read(&t.path().join("j.jsonl")).unwrap();
    let sha = hex::encode(Sha256::digest(changed.as_bytes()));
    assert!(
        journal.events().any(|s| matches!(
            &s.event,
            Event::RunResumed { runbook_sha256: Some(h), .. } if *h == sha
        )),
        "no run_resumed with the new hash"
    );
    assert_eq!(journal.result(), Some(RunResult::Recovered));
}

#[test]
fn a_torn_last_line_is_dropped_with_a_warning_and_the_drill_goes_on() {
    let t = Test::new().file("plan.yaml", PLAN);
    let path = t.path().join("j.jsonl");
    write(&path, &interrupted(&t));
    let mut text = std::fs::read_to_string(&path).unwrap();
    let complete = text.len();
    let torn = r#"{"seq":4,"time":"2026-11-29T08:00:04.000Z","event":"attempt_fin"#;
    text.push_str(torn);
    std::fs::write(&path, text).unwrap();
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr.contains(&format!(
            "warning: j.jsonl: line 5 is incomplete ({} bytes, no newline): reprise stopped while writing it; it was removed before carrying on",
            torn.len()
        )),
        "{}",
        out.stderr
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.contains("attempt_fin\""), "{after}");
    let fifth: serde_json::Value =
        serde_json::from_str(after[complete..].lines().next().unwrap()).unwrap();
    assert_eq!(fifth["event"], "run_resumed");
    assert_eq!(fifth["seq"], 4);
    journal::verify(&journal::read(&path).unwrap()).unwrap();
}

#[test]
fn what_is_left_of_an_interrupted_command_is_stopped_before_it_runs_again() {
    use std::os::unix::process::ExitStatusExt;
    let t = Test::new().file("plan.yaml", PLAN);
    // The command of the killed run, still running.
    let mut orphan = sleep_in_own_group();
    let events = interrupted_here(&t, orphan.id(), jiff::Timestamp::now());
    write(&t.path().join("j.jsonl"), &events);
    let t = t.args(["resume", "j.jsonl", "--yes"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr.contains(&format!(
            "stopping what is left of step `copy-data` (attempt 1, process group {}) from the interrupted run",
            orphan.id()
        )),
        "{}",
        out.stderr
    );
    let status = orphan.wait().unwrap();
    assert_eq!(status.signal(), Some(15), "{status:?}");
}

#[test]
fn a_process_that_reused_the_pid_is_left_alone() {
    let t = Test::new().file("plan.yaml", PLAN);
    let mut other = sleep_in_own_group();
    // Recorded long before this process started: its pid was reused.
    let events = interrupted_here(&t, other.id(), at(3));
    write(&t.path().join("j.jsonl"), &events);
    let out = t.args(["resume", "j.jsonl", "--yes"]).run();
    out.code(0);
    assert!(!out.stderr.contains("stopping"), "{}", out.stderr);
    assert!(
        other.try_wait().unwrap().is_none(),
        "the unrelated process was stopped"
    );
    other.kill().unwrap();
    other.wait().unwrap();
}

#[test]
fn from_another_folder_the_runbook_is_found_above_the_journals_folder() {
    let t = Test::new().file("site/plan.yaml", PLAN);
    std::fs::create_dir_all(t.path().join("site/journals")).unwrap();
    let events = interrupted_at(&t.path().join("site/plan.yaml"));
    write(&t.path().join("site/journals/j.jsonl"), &events);
    let t = t.args(["resume", "site/journals/j.jsonl", "--yes"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr
            .contains("runbook plan.yaml is not in this folder; using site/journals/../plan.yaml"),
        "{}",
        out.stderr
    );
    // Commands run in the runbook's folder.
    assert_eq!(
        std::fs::read_to_string(t.path().join("site/ran.txt")).unwrap(),
        "copy-data\nstart-app\n"
    );
}

// ---- an abort or a rollback under way when reprise was killed ----------------

/// Starts `reprise run --yes` on `runbook` in `dir` (grace of one minute:
/// a TERM-ignoring command holds the abort), and SIGKILLs it once its
/// journal holds a line containing `marker`.
fn run_and_kill_at(dir: &Path, marker: &str) -> String {
    run_and_kill_when(dir, |journal| journal.contains(marker))
}

/// Runs the drill in `dir` and SIGKILLs reprise once `ready` holds of its
/// journal's complete lines.
pub(crate) fn run_and_kill_when(dir: &Path, ready: impl Fn(&str) -> bool) -> String {
    let journal_path = dir.join("j.jsonl");
    let mut child = Test::at(dir)
        .args(["run", "drill.yaml", "--journal", "j.jsonl", "--yes"])
        .env("REPRISE_KILL_GRACE_MS", "60000")
        .spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        if ready(&complete_lines(&journal_path)) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return complete_lines(&journal_path);
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the drill ended ({status}) before it was ready to be killed");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not ready to be killed after 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn an_abort_under_way_stays_an_abort_on_resume() {
    let runbook = r#"version: 1
name: Abort under way
defaults: {timeout: 5m}
steps:
  - id: slow
    title: Slow and deaf to SIGTERM
    idempotent: true
    run: "echo run >> slow-runs; trap '' TERM; sleep 30"
  - id: after-slow
    title: Must never start
    needs: [slow]
    run: "touch after-slow-ran"
  - id: fails
    title: Fails and aborts
    on_failure: abort
    run: "sleep 0.5; exit 1"
"#;
    let t = Test::new().file("drill.yaml", runbook);
    let before = run_and_kill_at(t.path(), r#""event":"abort_requested""#);
    let out = crate::reliability::run_in(t.path(), &["resume", "j.jsonl", "--yes"]);
    out.code(3);
    let after = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(after.starts_with(&before), "{after}");
    assert_eq!(
        lines_of(&t.path().join("slow-runs")).len(),
        1,
        "slow ran again\n{after}"
    );
    assert!(
        !t.path().join("after-slow-ran").exists(),
        "a dependent started\n{after}"
    );
    let journal = journal::read(&t.path().join("j.jsonl")).unwrap();
    journal::verify(&journal).unwrap();
    assert_eq!(journal.result(), Some(RunResult::Aborted), "{after}");
    assert!(
        after.contains(r#""event":"step_finished","step":"slow","outcome":"aborted""#),
        "{after}"
    );
    assert!(!after[before.len()..].contains("step_started"), "{after}");
    assert!(
        out.stderr.contains("the drill was being aborted"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_rollback_under_way_carries_on_where_it_stopped_on_resume() {
    let runbook = r#"version: 1
name: Rollback under way
defaults: {timeout: 5m}
steps:
  - id: first
    title: First
    run: "echo first >> done"
    rollback: "echo first >> rolled-back"
  - id: second
    title: Second
    needs: [first]
    run: "echo second >> done"
    rollback: "echo second >> rolled-back"
  - id: slow
    title: Slow and deaf to SIGTERM
    idempotent: true
    run: "trap '' TERM; sleep 30"
  - id: fails
    title: Fails and rolls back
    needs: [second]
    on_failure: rollback
    run: "exit 1"
"#;
    let t = Test::new().file("drill.yaml", runbook);
    let before = run_and_kill_at(t.path(), r#""event":"abort_requested""#);
    assert!(before.contains(r#""rollback":true"#), "{before}");
    let out = crate::reliability::run_in(t.path(), &["resume", "j.jsonl", "--yes"]);
    out.code(3);
    let after = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert_eq!(
        lines_of(&t.path().join("rolled-back")),
        ["second", "first"],
        "the rollbacks did not run, newest first\n{after}\n{}",
        out.stderr
    );
    let journal = journal::read(&t.path().join("j.jsonl")).unwrap();
    journal::verify(&journal).unwrap();
    assert_eq!(journal.result(), Some(RunResult::Aborted), "{after}");
}

#[test]
fn a_rollback_command_cut_short_is_stopped_by_its_recorded_pid_and_offered_again() {
    use std::os::unix::fs::PermissionsExt;
    let runbook = r#"version: 1
name: Rollback cut short
defaults: {timeout: 5m}
steps:
  - id: first
    title: First
    run: "true"
    rollback: "./undo.sh"
  - id: fails
    title: Fails and rolls back
    needs: [first]
    on_failure: rollback
    run: "exit 1"
"#;
    // The first run of the rollback hangs (deaf to SIGTERM), later ones end.
    let undo = "#!/bin/sh\necho $$ >> undo-runs\nif [ ! -e hung-once ]; then touch hung-once; trap '' TERM; sleep 30; fi\n";
    let t = Test::new()
        .file("drill.yaml", runbook)
        .file("undo.sh", undo);
    std::fs::set_permissions(
        t.path().join("undo.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    // Killed once the rollback really runs: a command is held until its
    // start is on disk, so the record alone does not mean it ran.
    let dir = t.path().to_path_buf();
    let before = run_and_kill_when(t.path(), |journal| {
        journal.contains(r#""event":"rollback_started""#) && dir.join("hung-once").exists()
    });
    let started: serde_json::Value = before
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["event"] == "rollback_started")
        .unwrap();
    let pid = started["pid"]
        .as_u64()
        .expect("rollback_started records a pid");
    let out = crate::reliability::run_in(t.path(), &["resume", "j.jsonl", "--yes"]);
    out.code(3);
    assert!(
        out.stderr.contains(&format!(
            "stopping what is left of step `first` (its rollback, process group {pid})"
        )),
        "{}",
        out.stderr
    );
    let after = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert_eq!(lines_of(&t.path().join("undo-runs")).len(), 2, "{after}");
    assert!(
        after.contains(r#""event":"rollback_finished","step":"first","outcome":"done""#),
        "{after}"
    );
    // The hung first copy is gone (init may take a moment to reap it).
    let gone = (0..100).any(|_| {
        let dead = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), None)
            == Err(nix::errno::Errno::ESRCH);
        if !dead {
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        dead
    });
    assert!(gone, "the first copy of the rollback, {pid}, still runs");
}

#[test]
fn resume_with_invalid_arguments_stops_nothing_and_writes_nothing() {
    let t = Test::new()
        .file("plan.yaml", PLAN)
        .file("bad-answers.yaml", "no-such-step: done\n");
    let mut orphan = sleep_in_own_group();
    let events = interrupted_here(&t, orphan.id(), jiff::Timestamp::now());
    write(&t.path().join("j.jsonl"), &events);
    let before = std::fs::read(t.path().join("j.jsonl")).unwrap();
    for args in [
        &["resume", "j.jsonl", "--yes", "--var", "NO_SUCH_VAR=1"][..],
        &["resume", "j.jsonl", "--answers", "bad-answers.yaml"],
    ] {
        let out = crate::reliability::run_in(t.path(), args);
        out.code(2);
        assert_eq!(
            std::fs::read(t.path().join("j.jsonl")).unwrap(),
            before,
            "{args:?} wrote to the journal\n{}",
            out.stderr
        );
        assert!(
            orphan.try_wait().unwrap().is_none(),
            "{args:?} stopped the leftover before refusing\n{}",
            out.stderr
        );
    }
    orphan.kill().unwrap();
    orphan.wait().unwrap();
}
