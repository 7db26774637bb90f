//! The timeline's unit tests: here the fixtures (events on a fake clock,
//! a small drill); the tests, one module per concern, in `tests/`.

use super::*;

fn at(min: i64, sec: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + min * 60 + sec).unwrap()
}

fn ev(min: i64, sec: i64, event: Event) -> Stamped {
    Stamped {
        time: at(min, sec),
        event,
    }
}

fn step(id: &str, kind: StepKind, est: Option<u64>, needs: &[&str]) -> PlannedStep {
    PlannedStep {
        estimate: est.map(|m| Duration::from_secs(m * 60)),
        needs: needs.iter().map(|n| StepId::new(*n)).collect(),
        ..PlannedStep::new(
            StepId::new(id),
            format!("Title of {id}"),
            crate::runbook::PhaseId::new("p"),
            kind,
        )
    }
}

fn started(steps: Vec<PlannedStep>, rto_min: Option<u64>) -> Stamped {
    ev(
        0,
        0,
        Event::RunStarted {
            origin: Default::default(),
            runbook: "plan.yaml".into(),
            runbook_sha256: "ab".repeat(32),
            name: "Plan".into(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "h".into(),
            reprise_version: "0.1.0".into(),
            rto: rto_min.map(|m| Duration::from_secs(m * 60)),
            rpo: None,
            services: Vec::new(),
            phases: vec![PlannedPhase {
                id: crate::runbook::PhaseId::new("p"),
                title: "P".into(),
            }],
            steps,
            exercise: None,
        },
    )
}

fn ready(min: i64, sec: i64, id: &str) -> Stamped {
    ev(
        min,
        sec,
        Event::StepReady {
            step: StepId::new(id),
        },
    )
}

fn start(min: i64, sec: i64, id: &str, attempt: u32) -> Stamped {
    ev(
        min,
        sec,
        Event::StepStarted {
            step: StepId::new(id),
            attempt,
            pid: None,
        },
    )
}

fn attempt_end(min: i64, sec: i64, id: &str, attempt: u32, code: i32) -> Stamped {
    ev(
        min,
        sec,
        Event::AttemptFinished {
            step: StepId::new(id),
            attempt,
            ending: crate::event::Ending::exited(code),
        },
    )
}

fn finish(min: i64, sec: i64, id: &str, outcome: Outcome, source: Source) -> Stamped {
    ev(
        min,
        sec,
        Event::StepFinished {
            origin: Default::default(),
            step: StepId::new(id),
            outcome,
            exit_code: None,
            reason: None,
            by: "alice".into(),
            source,
            attempts: 0,
            output_tail: vec![],
        },
    )
}

fn decision(min: i64, sec: i64, id: &str, d: Decision) -> Stamped {
    ev(
        min,
        sec,
        Event::Decision {
            origin: Default::default(),
            step: StepId::new(id),
            decision: d,
            reason: Some("because".into()),
            by: "bob".into(),
            source: Source::Operator,
        },
    )
}

fn mins(m: u64) -> StdDuration {
    StdDuration::from_secs(m * 60)
}

/// a (manual, 10m) → b (command, 5m, fails once, operator retries) → c
/// (confirm, 5m); d (command, 30m, no needs) runs in parallel.
fn drill() -> Vec<Stamped> {
    vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("c", StepKind::Confirm, Some(5), &["b"]),
                step("d", StepKind::Command, Some(30), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        ready(0, 0, "d"),
        start(0, 0, "d", 1),
        finish(12, 0, "a", Outcome::Done, Source::Operator),
        ready(12, 0, "b"),
        start(12, 0, "b", 1),
        attempt_end(14, 0, "b", 1, 1),
        decision(20, 0, "b", Decision::Retry),
        start(20, 30, "b", 2),
        attempt_end(23, 0, "b", 2, 0),
        finish(23, 0, "b", Outcome::Done, Source::Command),
        ready(23, 0, "c"),
        attempt_end(25, 0, "d", 1, 0),
        finish(25, 0, "d", Outcome::Done, Source::Command),
        decision(30, 0, "c", Decision::Run),
        start(30, 0, "c", 1),
        attempt_end(40, 0, "c", 1, 0),
        finish(40, 0, "c", Outcome::Done, Source::Command),
        ev(
            40,
            1,
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ),
    ]
}

mod drill;
mod engine;
mod forecast;
mod hosts;
mod interrupted;
mod memory;
mod points;
