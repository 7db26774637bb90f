//! `reprise resume` through the binary: what it refuses (a finished drill,
//! a changed runbook, a journal in use, an interrupted step nobody can
//! decide about) and, in the crash tests, a real drill killed with SIGKILL
//! at several moments and carried on.

use std::path::Path;

use reprise::event::{Event, Outcome, PlannedPhase, RunResult, Source, Stamped};
use reprise::journal::{self, Writer};
use reprise::redact::Redactor;
use reprise::runbook::{Mode, PhaseId, StepId};
use sha2::{Digest, Sha256};

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

fn at(second: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_795_939_200 + second).unwrap()
}

/// `run_started` for the runbook at `path`, as `reprise run` records it.
fn started(path: &Path) -> Stamped {
    let text = std::fs::read_to_string(path).unwrap();
    let checked = reprise::validate::check_text(path, &text).unwrap();
    Stamped {
        time: at(0),
        event: Event::RunStarted {
            runbook: path.file_name().unwrap().to_string_lossy().into_owned(),
            runbook_sha256: hex::encode(Sha256::digest(text.as_bytes())),
            name: checked.runbook.name.clone(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "test".into(),
            reprise_version: "0.1.0".into(),
            rto: None,
            rpo: None,
            phases: vec![PlannedPhase {
                id: PhaseId::new("main"),
                title: "Main".into(),
            }],
            steps: journal::resume::planned_steps(&checked.runbook, &checked.graph),
        },
    }
}

fn step_started(step: &str, second: i64) -> Stamped {
    Stamped {
        time: at(second),
        event: Event::StepStarted {
            step: StepId::new(step),
            attempt: 1,
            pid: None,
        },
    }
}

fn step_done(step: &str, second: i64) -> Stamped {
    Stamped {
        time: at(second),
        event: Event::StepFinished {
            step: StepId::new(step),
            outcome: Outcome::Done,
            exit_code: Some(0),
            reason: None,
            by: "reprise".into(),
            source: Source::Command,
            attempts: 1,
            output_tail: vec![],
        },
    }
}

/// A drill of [`PLAN`] interrupted while `copy-data` (not idempotent) ran.
fn interrupted(t: &Test) -> Vec<Stamped> {
    vec![
        started(&t.path().join("plan.yaml")),
        step_started("stop-app", 1),
        step_done("stop-app", 2),
        step_started("copy-data", 3),
    ]
}

fn write(path: &Path, events: &[Stamped]) {
    let mut w = Writer::create(path, Redactor::default()).unwrap();
    for e in events {
        w.write(e).unwrap();
    }
    w.sync().unwrap();
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
            "  ~ copy-data: title \"Copy the data\" → \"Copy the data again\"\n  + check: Check\n"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--allow-changed"), "{}", out.stderr);
    assert_eq!(std::fs::read(t.path().join("j.jsonl")).unwrap(), before);
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
