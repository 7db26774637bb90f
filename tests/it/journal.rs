//! The journal through the binary: `reprise verify` on intact and tampered
//! journals, the file's permissions, the lock.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reprise::event::{Event, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped};
use reprise::journal::Writer;
use reprise::redact::Redactor;
use reprise::runbook::{Mode, PhaseId, StepId, StepKind};

use crate::harness::Test;

fn at(second: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_795_939_200 + second).unwrap()
}

/// A finished drill of `n` command steps, as the engine would record it.
pub fn drill(n: usize, finished: bool) -> Vec<Stamped> {
    let mut events = vec![Stamped {
        time: at(0),
        event: Event::RunStarted {
            runbook: "plan.yaml".into(),
            runbook_sha256: "ab".repeat(32),
            name: "Failover".into(),
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
            steps: (1..=n)
                .map(|i| PlannedStep {
                    id: StepId::new(format!("s{i}")),
                    title: format!("Step {i}"),
                    phase: PhaseId::new("main"),
                    kind: StepKind::Command,
                    role: None,
                    estimate: None,
                    critical: false,
                    needs: vec![],
                    only: None,
                })
                .collect(),
        },
    }];
    for i in 1..=n {
        let step = StepId::new(format!("s{i}"));
        events.push(Stamped {
            time: at(i as i64),
            event: Event::StepStarted {
                step: step.clone(),
                attempt: 1,
                pid: None,
            },
        });
        events.push(Stamped {
            time: at(i as i64),
            event: Event::StepFinished {
                step,
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec![],
            },
        });
    }
    if finished {
        events.push(Stamped {
            time: at(n as i64 + 1),
            event: Event::RunFinished {
                result: RunResult::Recovered,
            },
        });
    }
    events
}

/// Writes `events` to a new journal at `path` with the real writer.
pub fn write(path: &Path, events: &[Stamped]) {
    let mut w = Writer::create(path, Redactor::default()).unwrap();
    for e in events {
        w.write(e).unwrap();
    }
    w.sync().unwrap();
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect()
}

fn verify_after(edit: impl FnOnce(&mut Vec<String>)) -> crate::harness::Output {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    write(&path, &drill(3, true));
    let mut l = lines(&path);
    edit(&mut l);
    std::fs::write(&path, l.concat()).unwrap();
    t.args(["verify", "drill.jsonl"]).run()
}

#[test]
fn verify_reports_an_intact_journal() {
    let t = Test::new();
    write(&t.path().join("drill.jsonl"), &drill(3, true));
    let out = t.args(["verify", "drill.jsonl"]).run();
    out.code(0);
    assert!(
        out.stdout.starts_with(
            "journal intact: 8 events, run \"Failover\" (drill), started 2026-11-29T08:00:00Z (result recovered)\nhead: "
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn verify_names_a_changed_byte() {
    let out = verify_after(|l| l[3] = l[3].replace("\"s2\"", "\"s9\""));
    out.code(2);
    assert!(
        out.stderr.contains("drill.jsonl:4: line 4 was altered"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_a_deleted_line() {
    let out = verify_after(|l| {
        l.remove(4);
    });
    out.code(2);
    assert!(
        out.stderr
            .contains("drill.jsonl:5: 1 line was removed before line 5"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_swapped_lines() {
    let out = verify_after(|l| l.swap(2, 3));
    out.code(2);
    assert!(
        out.stderr
            .contains("drill.jsonl:3: lines 3 and 4 are swapped"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_names_a_forged_append() {
    let out = verify_after(|l| {
        let forged = l[2].clone();
        l.push(forged);
    });
    out.code(2);
    assert!(out.stderr.contains("drill.jsonl:9:"), "{}", out.stderr);
}

#[test]
fn verify_warns_about_a_torn_last_line_and_ignores_it() {
    let t = Test::new();
    let path = t.path().join("drill.jsonl");
    write(&path, &drill(2, false));
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"seq":5,"time":"2026-11-29T08:00:0"#);
    std::fs::write(&path, text).unwrap();
    let out = t.args(["verify", "drill.jsonl"]).run();
    out.code(0);
    assert!(
        out.stdout
            .starts_with("journal intact: 5 events, run \"Failover\" (drill), started 2026-11-29T08:00:00Z (unfinished"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("warning: drill.jsonl: line 6 is incomplete"),
        "{}",
        out.stderr
    );
}

#[test]
fn verify_rejects_damage_before_the_last_line() {
    let out = verify_after(|l| l[2] = "{\"seq\":2,\n".into());
    out.code(2);
    assert!(
        out.stderr.contains("drill.jsonl:3: not a journal event"),
        "{}",
        out.stderr
    );
}

#[test]
fn journals_are_readable_by_their_owner_only() {
    let t = Test::new();
    let path = t.path().join("j/drill.jsonl");
    write(&path, &drill(1, true));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}
