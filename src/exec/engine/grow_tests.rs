//! Steps added during the drill (`grow.rs`), on a fake clock.

use super::tests::{engine, manual, needs, runbook};
use super::*;
use crate::exec::added::NewStep;
use crate::runbook::Duration;

/// Drives an engine and renders what it says as short lines.
struct Run<'a> {
    engine: Engine<'a>,
    now: Timestamp,
    events: Vec<Event>,
}

impl<'a> Run<'a> {
    fn new(rb: &'a Runbook, presets: Vec<Preset>) -> Self {
        let config = Config {
            jobs: 4,
            operator: "alice".into(),
            presets,
            resume: false,
            ..Config::default()
        };
        Run {
            engine: engine(rb, config),
            now: "2026-12-06T20:00:00Z".parse().unwrap(),
            events: Vec::new(),
        }
    }

    fn send(&mut self, input: Input) -> Vec<String> {
        let out = self.engine.handle(self.now, input);
        let name = |e: &Engine<'_>, s: StepIndex| {
            e.step_id(s)
                .map_or_else(|| format!("#{}", s.number()), ToString::to_string)
        };
        out.into_iter()
            .filter_map(|o| match o {
                Output::Event(e) => {
                    let line = match &e.event {
                        Event::StepReady { step } => Some(format!("ready {step}")),
                        Event::StepAdded { step, number, .. } => {
                            Some(format!("added #{number} {step}"))
                        }
                        Event::StepFinished { step, outcome, .. } => {
                            Some(format!("{step} {outcome}"))
                        }
                        Event::RunFinished { result } => Some(format!("finished {result}")),
                        _ => None,
                    };
                    self.events.push(e.event);
                    line
                }
                Output::Action(Action::Ask(q)) => {
                    Some(format!("ask {}", name(&self.engine, q.step())))
                }
                Output::Action(Action::StartCommand(l)) => Some(format!(
                    "start {} `{}` timeout {:?}",
                    name(&self.engine, l.step),
                    l.command,
                    l.timeout.map(|t| t.to_string())
                )),
                Output::Action(Action::Refused { refusal, .. }) => {
                    Some(format!("refused: {refusal}"))
                }
                _ => None,
            })
            .collect()
    }

    fn add(&mut self, new: NewStep) -> Vec<String> {
        self.send(Input::Operator(OperatorInput::Add {
            step: new,
            by: "bob".into(),
        }))
    }

    fn done(&mut self, step: u32) -> Vec<String> {
        self.send(Input::Operator(OperatorInput::Record {
            step: StepIndex(step - 1),
            outcome: Outcome::Done,
            reason: None,
            by: "bob".into(),
            auto: false,
        }))
    }
}

fn new_step(title: &str, after: &[u32], before: &[u32]) -> NewStep {
    NewStep {
        title: title.into(),
        after: after.iter().map(|n| StepIndex(n - 1)).collect(),
        before: before.iter().map(|n| StepIndex(n - 1)).collect(),
        reason: Some("vol7 is corrupted".into()),
        ..NewStep::default()
    }
}

#[test]
fn a_step_added_between_two_holds_the_second_until_it_is_done() {
    let rb = runbook(vec![manual("a"), needs(manual("b"), &["a"])]);
    let mut r = Run::new(&rb, Vec::new());
    assert_eq!(r.send(Input::Start), ["ready a", "ask a"]);
    assert_eq!(
        r.add(new_step("Restore vol7", &[1], &[2])),
        ["added #3 added-3"]
    );
    // `a` done: the new step opens, `b` waits for it.
    assert_eq!(r.done(1), ["a done", "ready added-3", "ask added-3"]);
    assert_eq!(r.done(3), ["added-3 done", "ready b", "ask b"]);
    assert_eq!(r.done(2), ["b done", "finished recovered"]);
    let Some(Event::StepAdded {
        added, reason, by, ..
    }) = r
        .events
        .iter()
        .find(|e| matches!(e, Event::StepAdded { .. }))
    else {
        panic!("no step_added")
    };
    assert_eq!(
        (added.after[0].as_str(), added.before[0].as_str()),
        ("a", "b")
    );
    assert_eq!((reason.as_str(), by.as_str()), ("vol7 is corrupted", "bob"));
}

#[test]
fn a_step_added_with_nothing_before_it_opens_at_once_and_counts_for_the_result() {
    let rb = runbook(vec![manual("a")]);
    let mut r = Run::new(&rb, Vec::new());
    r.send(Input::Start);
    assert_eq!(
        r.add(new_step("Call the vendor", &[], &[])),
        ["added #2 added-2", "ready added-2", "ask added-2"]
    );
    // `a` done is not the end: the added step is still open.
    assert_eq!(r.done(1), ["a done"]);
    assert_eq!(r.done(2), ["added-2 done", "finished recovered"]);
}

#[test]
fn a_command_step_is_confirmed_then_runs_with_its_timeout() {
    let rb = runbook(vec![manual("a")]);
    let mut r = Run::new(&rb, Vec::new());
    r.send(Input::Start);
    let mut new = new_step("Flush", &[], &[]);
    new.run = Some("rndc flush".into());
    new.timeout = Some(Duration::from_secs(30));
    assert_eq!(
        r.add(new),
        ["added #2 added-2", "ready added-2", "ask added-2"]
    );
    let out = r.send(Input::Operator(OperatorInput::Decide {
        step: StepIndex(1),
        decision: Decision::Run,
        reason: None,
        by: "bob".into(),
        auto: false,
    }));
    assert_eq!(out, ["start added-2 `rndc flush` timeout Some(\"30s\")"]);
}

#[test]
fn a_cycle_is_refused_with_the_cycle_shown_and_nothing_recorded() {
    let rb = runbook(vec![
        manual("a"),
        needs(manual("b"), &["a"]),
        needs(manual("c"), &["b"]),
    ]);
    let mut r = Run::new(&rb, Vec::new());
    r.send(Input::Start);
    let out = r.add(new_step("Check", &[3], &[2]));
    assert_eq!(
        out,
        [
            "refused: refused: the new step would wait for itself: new step → #2 b → #3 c → new step; \
          choose other `after`/`before` steps; nothing was added"
        ]
    );
    assert!(
        !r.events
            .iter()
            .any(|e| matches!(e, Event::StepAdded { .. }))
    );
    // A step that already opened cannot wait any more.
    let out = r.add(new_step("Check", &[], &[1]));
    assert!(out[0].contains("step 1 `a` is under way"), "{out:?}");
    // No reason: refused.
    let mut no_reason = new_step("Check", &[], &[]);
    no_reason.reason = None;
    assert!(r.add(no_reason)[0].contains("needs a reason"));
    // The plan did not grow: the next addition is still #4.
    assert_eq!(r.add(new_step("Check", &[1], &[])), ["added #4 added-4"]);
}

#[test]
fn a_resume_rebuilds_added_steps_revised_estimates_and_assignments() {
    let rb = runbook(vec![manual("a"), needs(manual("b"), &["a"])]);
    let presets = vec![
        Preset::Added {
            id: crate::runbook::StepId::new("added-3"),
            step: new_step("Restore vol7", &[1], &[2]),
        },
        Preset::Recorded {
            step: StepIndex(0),
            outcome: Outcome::Done,
            dependents_proceed: false,
        },
        Preset::Interrupted {
            step: StepIndex(2),
            attempts: 0,
            hosts: Vec::new(),
        },
        Preset::Revised {
            step: StepIndex(1),
            estimate: Duration::from_secs(7200),
        },
        Preset::Assigned {
            step: StepIndex(1),
            to: "lab".into(),
        },
    ];
    let mut r = Run::new(&rb, presets);
    // The added step was open: asked again, without a new `step_ready`;
    // `b` still waits for it.
    assert_eq!(r.send(Input::Start), ["ask added-3"]);
    assert_eq!(r.engine.estimates[1], Some(Duration::from_secs(7200)));
    assert_eq!(r.engine.assigned[1].as_deref(), Some("lab"));
    assert_eq!(r.done(3), ["added-3 done", "ready b", "ask b"]);
}
