//! Unit tests of what one drill measures.

use std::time::Duration as StdDuration;

use super::*;
use crate::event::{Event, Source, Stamped};
use crate::journal::fixtures;
use crate::runbook::StepId;

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_795_939_200 + second).unwrap()
}

fn ev(second: i64, event: Event) -> Stamped {
    Stamped {
        time: at(second),
        event,
    }
}

fn finished(step: &str, outcome: Outcome, source: Source) -> Event {
    Event::StepFinished {
        origin: Default::default(),
        step: StepId::new(step),
        outcome,
        exit_code: None,
        reason: None,
        by: "alice".into(),
        source,
        attempts: 0,
        output_tail: vec![],
    }
}

fn attempt(step: &str, n: u32, code: i32) -> Event {
    Event::AttemptFinished {
        step: StepId::new(step),
        attempt: n,
        ending: crate::event::Ending::exited(code),
    }
}

#[test]
fn a_command_counts_its_attempts_and_a_manual_step_ready_to_recorded() {
    let mut start = fixtures::started(3);
    if let Event::RunStarted { steps, .. } = &mut start.event {
        steps[1].kind = StepKind::Manual;
    }
    let ready = |s: &str| Event::StepReady {
        step: StepId::new(s),
    };
    let started = |s: &str, n: u32| Event::StepStarted {
        step: StepId::new(s),
        attempt: n,
        pid: None,
    };
    let events = vec![
        start,
        ev(0, ready("s1")),
        ev(2, started("s1", 1)),
        ev(12, attempt("s1", 1, 1)),
        // A 30 s pause before the retry is not the command's time.
        ev(42, started("s1", 2)),
        ev(62, attempt("s1", 2, 0)),
        ev(62, finished("s1", Outcome::Done, Source::Command)),
        ev(62, ready("s2")),
        ev(362, finished("s2", Outcome::Done, Source::Operator)),
        ev(362, finished("s3", Outcome::Skipped, Source::Operator)),
        ev(
            363,
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    let d = Drill::from_timeline(Path::new("j.jsonl"), &t, &mut SharedPlan::default()).unwrap();
    let actual: Vec<Option<StdDuration>> = d.steps.iter().map(|s| s.actual).collect();
    assert_eq!(
        actual,
        [
            Some(StdDuration::from_secs(30)),
            Some(StdDuration::from_secs(300)),
            None
        ]
    );
    assert_eq!(d.steps[0].deviation(), Some(Deviation::Retried(2)));
    assert_eq!(d.steps[2].deviation(), Some(Deviation::Skipped));
    assert_eq!(d.time_to_recovery, Some(StdDuration::from_secs(362)));
}
