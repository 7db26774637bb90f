//! The real engine's events, on a fake clock: the timeline must read
//! them the way the engine means them.

use super::*;

/// The real engine's events, on a fake clock: the timeline must read
/// them the way the engine means them.
#[test]
fn folds_the_engines_own_events() {
    use crate::exec::engine::Engine;
    use crate::exec::{Config, Exit, Input, OperatorInput, Output};
    use crate::runbook::StepIndex;

    let yaml = "version: 1\nname: Engine drill\nobjectives: { rto: 1h }\nsteps:\n  - id: open\n    title: Open the crisis room\n    estimate: 10m\n  - id: fix\n    title: Fix it\n    run: fix-it\n    timeout: 5m\n    estimate: 5m\n    on_failure: ask\n    needs: [open]\n";
    let checked = crate::validate::check_text(std::path::Path::new("e.yaml"), yaml)
        .unwrap_or_else(|_| panic!("valid runbook"));
    let config = Config {
        jobs: 2,
        operator: "alice".into(),
        ..Config::default()
    };
    let mut engine = Engine::new(&checked.runbook, &checked.graph, config);
    let mut events = Vec::new();
    fn feed(engine: &mut Engine<'_>, events: &mut Vec<Stamped>, min: i64, input: Input) {
        for o in engine.handle(at(min, 0), input) {
            if let Output::Event(e) = o {
                events.push(e);
            }
        }
    }
    let (open, fix) = (StepIndex(0), StepIndex(1));
    feed(&mut engine, &mut events, 0, Input::Start);
    feed(
        &mut engine,
        &mut events,
        12,
        Input::Operator(OperatorInput::Record {
            step: open,
            outcome: Outcome::Done,
            reason: None,
            by: "alice".into(),
            auto: false,
        }),
    );
    let exit = |code| {
        Input::CommandExited(Exit {
            step: fix,
            attempt: 1,
            ending: crate::event::Ending::exited(code),
            output_tail: vec!["boom".into()],
            ..Exit::default()
        })
    };
    feed(&mut engine, &mut events, 14, exit(1));
    feed(
        &mut engine,
        &mut events,
        20,
        Input::Operator(OperatorInput::Decide {
            step: fix,
            decision: Decision::Retry,
            reason: Some("transient".into()),
            by: "alice".into(),
            auto: false,
        }),
    );
    let attempt = events
        .iter()
        .rev()
        .find_map(|e| match &e.event {
            Event::StepStarted { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .unwrap();
    assert_eq!(attempt, 2, "the engine retried: {events:#?}");
    feed(
        &mut engine,
        &mut events,
        23,
        Input::CommandExited(Exit {
            step: fix,
            attempt: 2,
            ending: crate::event::Ending::exited(0),
            ..Exit::default()
        }),
    );
    assert!(engine.is_finished(), "{events:#?}");

    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.result.map(|(_, r)| r), Some(RunResult::Recovered));
    let now = t.as_of().unwrap();
    let o = t.step("open").unwrap();
    assert_eq!(o.time_split(at(0, 0), now).unwrap().operator, mins(12));
    let f = t.step("fix").unwrap();
    assert_eq!(f.attempts.len(), 2);
    assert_eq!(f.decisions[0].decision, Decision::Retry);
    let split = f.time_split(at(0, 0), now).unwrap();
    assert_eq!(split.dependencies, mins(12));
    assert_eq!(split.operator, mins(6), "failure at 14, decision at 20");
    // No retry delay: the retry starts with the decision, at 20.
    assert_eq!(split.running, mins(2) + mins(3));
    assert_eq!(f.attempts[1].started, at(20, 0));
    assert_eq!(split.total(), mins(23));
    assert_eq!(t.time_to_recovery(), Some(mins(23)));
    assert_eq!(
        t.actual_critical_path().steps,
        ["open", "fix"].map(StepId::new).to_vec()
    );
}
