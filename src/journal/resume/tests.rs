//! What resume makes of a journal: presets, runbook changes, leftovers.

use super::{Replay, leftovers, plan_changes, replay};
use crate::event::{Decision, Outcome, PlannedStep};
use crate::exec::Preset;
use crate::runbook::{PhaseId, StepId, StepIndex, StepKind};
use crate::timeline::Timeline;

fn step(id: &str, title: &str, needs: &[&str]) -> PlannedStep {
    PlannedStep {
        needs: needs.iter().map(|n| StepId::new(*n)).collect(),
        ..PlannedStep::new(
            StepId::new(id),
            title,
            PhaseId::new("main"),
            StepKind::Command,
        )
    }
}

#[test]
fn added_removed_and_changed_steps_are_listed() {
    let old = vec![
        step("a", "Stop", &[]),
        step("b", "Copy", &["a"]),
        step("c", "Start", &["b"]),
    ];
    let mut b = step("b", "Copy the data", &["a"]);
    b.kind = StepKind::Confirm;
    let new = vec![step("a", "Stop", &[]), b, step("d", "Check", &["b"])];
    let text: Vec<String> = plan_changes(&old, &new)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        text,
        [
            "- c: Start",
            "~ b: title \"Copy\" → \"Copy the data\"; kind command → confirm",
            "+ d: Check",
        ]
    );
}

fn checked(yaml: &str) -> crate::validate::Checked {
    crate::validate::check_text(std::path::Path::new("r.yaml"), yaml)
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics))
}

/// Replays hand-written events of a drill started with the runbook
/// `recorded` against the runbook `now`.
fn replayed(recorded: &str, now: &str, events: &[(&str, &str)]) -> Replay {
    use crate::event::{Event, Source, Stamped};
    let started = checked(recorded);
    let mut stamped = vec![Stamped {
        time: jiff::Timestamp::UNIX_EPOCH,
        event: Event::RunStarted {
            origin: Default::default(),
            runbook: "r.yaml".into(),
            runbook_sha256: String::new(),
            name: "r".into(),
            mode: crate::runbook::Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "h".into(),
            reprise_version: "0".into(),
            rto: None,
            rpo: None,
            services: Vec::new(),
            phases: vec![],
            steps: crate::exec::engine::planned_steps(
                &started.runbook,
                &started.graph,
                crate::runbook::Mode::Drill,
            ),
            exercise: None,
        },
    }];
    for (what, id) in events {
        let step = StepId::new(*id);
        let finished = |outcome| Event::StepFinished {
            origin: Default::default(),
            step: step.clone(),
            outcome,
            exit_code: None,
            reason: None,
            by: "alice".into(),
            source: Source::Operator,
            attempts: 0,
            output_tail: vec![],
        };
        let event = match *what {
            "ready" => Event::StepReady { step: step.clone() },
            "started" => Event::StepStarted {
                step: step.clone(),
                attempt: 1,
                pid: None,
            },
            "continue" => Event::Decision {
                origin: Default::default(),
                step: step.clone(),
                decision: Decision::Continue,
                reason: Some("later".into()),
                by: "alice".into(),
                source: Source::Operator,
            },
            "done" => finished(Outcome::Done),
            "failed" => finished(Outcome::Failed),
            "skipped" => finished(Outcome::Skipped),
            other => panic!("{other}"),
        };
        stamped.push(Stamped {
            time: jiff::Timestamp::UNIX_EPOCH,
            event,
        });
    }
    let timeline = Timeline::from_events(&stamped);
    replay(&checked(now).runbook, &timeline)
}

const PLAN: &str = "\
version: 1
name: r
steps:
  - id: a
    title: A
    run: \"true\"
  - id: b
    title: B
    run: \"true\"
  - id: c
    title: C
  - id: d
    title: D
    run: \"true\"
    needs: [a]
  - id: e
    title: E
    run: \"true\"
    needs: [b]
  - id: f
    title: F
    run: \"true\"
    needs: [e]
";

#[test]
fn finished_steps_are_recorded_and_running_or_open_ones_interrupted() {
    let r = replayed(
        PLAN,
        PLAN,
        &[
            ("started", "a"),
            ("done", "a"),
            ("started", "b"),
            ("failed", "b"),
            ("continue", "b"),
            ("ready", "c"),
            ("started", "d"),
            ("ready", "e"),
        ],
    );
    assert_eq!(
        r.presets,
        [
            Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Done,
                dependents_proceed: false
            },
            Preset::Recorded {
                step: StepIndex(1),
                outcome: Outcome::Failed,
                dependents_proceed: true
            },
            Preset::Interrupted {
                step: StepIndex(2),
                attempts: 0,
                hosts: vec![],
            },
            Preset::Interrupted {
                step: StepIndex(3),
                attempts: 1,
                hosts: vec![],
            },
        ]
    );
    // `e` was ready but never started: it is announced again, not asked.
    assert_eq!(r.interrupted, [StepIndex(2), StepIndex(3)]);
    assert!(r.unknown.is_empty());
}

#[test]
fn steps_gone_from_the_runbook_are_named() {
    let smaller = PLAN
        .replace("  - id: a\n    title: A\n    run: \"true\"\n", "")
        .replace("    needs: [a]\n", "");
    let r = replayed(
        PLAN,
        &smaller,
        &[("started", "a"), ("done", "a"), ("done", "b")],
    );
    assert_eq!(r.unknown, [StepId::new("a")]);
    assert_eq!(
        r.presets,
        [Preset::Recorded {
            step: StepIndex(0),
            outcome: Outcome::Done,
            dependents_proceed: false
        }]
    );
}

#[test]
fn leftovers_are_attempts_started_and_never_ended() {
    use crate::event::{Event, Stamped};
    let t = jiff::Timestamp::UNIX_EPOCH;
    let started = |step: &str, attempt, pid| Stamped {
        time: t,
        event: Event::StepStarted {
            step: StepId::new(step),
            attempt,
            pid: Some(pid),
        },
    };
    let events = vec![
        Stamped {
            time: t,
            event: Event::RunResumed {
                origin: Default::default(),
                operator: "bob".into(),
                host: "h2".into(),
                reprise_version: "0".into(),
                runbook_sha256: None,
            },
        },
        started("a", 1, 10),
        started("b", 1, 11),
        Stamped {
            time: t,
            event: Event::AttemptFinished {
                step: StepId::new("b"),
                attempt: 1,
                ending: crate::event::Ending::exited(1),
            },
        },
        started("b", 2, 12),
    ];
    let l = leftovers(&events);
    let got: Vec<(&str, u32, u32, &str)> = l
        .iter()
        .map(|l| (l.step.as_str(), l.attempt, l.pid, l.host.as_str()))
        .collect();
    assert_eq!(got, [("a", 1, 10, "h2"), ("b", 2, 12, "h2")]);
}

#[test]
fn an_unchanged_plan_has_no_changes() {
    let old = vec![step("a", "Stop", &[]), step("b", "Copy", &["a"])];
    assert!(plan_changes(&old, &old.clone()).is_empty());
}
