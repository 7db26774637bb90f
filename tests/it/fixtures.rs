//! Journals for the tests that start from a recorded drill (`verify`,
//! `status`, `resume`): the events `reprise run` would have recorded,
//! written by the real [`Writer`].
//!
//! Every drill starts at 2026-11-29T08:00:00Z, run by `alice` on host
//! `test`, with one phase `main`.

use std::path::Path;

use reprise::event::{Event, Outcome, PlannedPhase, PlannedStep, Source, Stamped};
use reprise::journal::Writer;
use reprise::redact::Redactor;
use reprise::runbook::{Mode, PhaseId, StepId, StepKind};

/// `second` seconds after the start of every fixture drill.
pub fn at(second: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_795_939_200 + second).unwrap()
}

/// `run_started` at [`at`]`(0)` for the runbook `runbook` (its file name)
/// with this digest, name and plan.
pub fn run_started(
    runbook: &str,
    runbook_sha256: String,
    name: &str,
    steps: Vec<PlannedStep>,
) -> Stamped {
    Stamped {
        time: at(0),
        event: Event::RunStarted {
            origin: Default::default(),
            runbook: runbook.into(),
            runbook_sha256,
            name: name.into(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "test".into(),
            reprise_version: "0.1.0".into(),
            rto: None,
            rpo: None,
            services: Vec::new(),
            phases: vec![PlannedPhase {
                id: PhaseId::new("main"),
                title: "Main".into(),
            }],
            steps,
            exercise: None,
        },
    }
}

/// A plan of `n` command steps `s1`…`sn` (titles `Step 1`…), no needs.
pub fn command_steps(n: usize) -> Vec<PlannedStep> {
    (1..=n)
        .map(|i| {
            PlannedStep::new(
                StepId::new(format!("s{i}")),
                format!("Step {i}"),
                PhaseId::new("main"),
                StepKind::Command,
            )
        })
        .collect()
}

/// The first attempt of `step` started at `second` (no pid recorded).
pub fn step_started(step: &str, second: i64) -> Stamped {
    Stamped {
        time: at(second),
        event: Event::StepStarted {
            step: StepId::new(step),
            attempt: 1,
            pid: None,
        },
    }
}

/// `step`'s command exited 0 on its first attempt, at `second`.
pub fn step_done(step: &str, second: i64) -> Stamped {
    Stamped {
        time: at(second),
        event: Event::StepFinished {
            origin: Default::default(),
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

/// Writes `events` to a new journal at `path` with the real writer, and
/// releases it.
pub fn write(path: &Path, events: &[Stamped]) {
    let mut w = Writer::create(path, Redactor::default()).unwrap();
    for e in events {
        w.write(e).unwrap();
    }
    w.sync().unwrap();
}
