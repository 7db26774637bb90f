//! Random drills: invariants that must hold whatever the plan and whatever
//! the commands do.

use super::tests::{cmd, manual, policy, runbook};
use super::*;
use crate::runbook::{Located, OnFailure, Span};

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn random_drills_respect_dependencies_jobs_and_record_each_step_once() {
    for seed in 0..300u64 {
        let mut rng = Lcg(seed);
        let n = 1 + rng.next(12) as usize;
        let mut steps = Vec::new();
        for i in 0..n {
            let id = format!("s{i}");
            let mut s = if rng.next(4) == 0 {
                manual(&id)
            } else {
                cmd(&id)
            };
            s = policy(
                s,
                if rng.next(3) == 0 {
                    OnFailure::Abort
                } else {
                    OnFailure::Continue
                },
            );
            s.retries = rng.next(2) as u32;
            for j in 0..i {
                if rng.next(3) == 0 {
                    s.needs.push(Located::new(format!("s{j}"), Span::default()));
                }
            }
            steps.push(s);
        }
        let rb = runbook(steps);
        let jobs = 1 + rng.next(3) as usize;
        let mut engine = super::tests::engine(
            &rb,
            Config {
                jobs,
                operator: "op".into(),
                ..Config::default()
            },
        );
        let now = Timestamp::UNIX_EPOCH;
        let mut running: Vec<(StepIndex, u32)> = Vec::new();
        let mut open: Vec<StepIndex> = Vec::new();
        let mut finished: Vec<Option<Outcome>> = vec![None; n];
        let mut result = None;
        let mut pending = engine.handle(now, Input::Start);
        for _round in 0..10_000 {
            for o in std::mem::take(&mut pending) {
                match o {
                    Output::Event(Stamped { event, .. }) => {
                        if let Event::StepStarted { step, .. } = &event {
                            let i = rb.steps.iter().position(|s| s.id.value == *step).unwrap();
                            for need in &rb.steps[i].needs {
                                let j: usize = need.value[1..].parse().unwrap();
                                assert!(
                                    finished[j].is_some(),
                                    "seed {seed}: s{i} started before s{j} ended"
                                );
                            }
                        }
                        if let Event::StepFinished { step, outcome, .. } = &event {
                            let i = rb.steps.iter().position(|s| s.id.value == *step).unwrap();
                            assert!(finished[i].is_none(), "seed {seed}: s{i} finished twice");
                            finished[i] = Some(*outcome);
                        }
                    }
                    Output::Action(Action::StartCommand(l)) => {
                        running.push((l.step, l.attempt));
                        assert!(running.len() <= jobs, "seed {seed}: over --jobs");
                    }
                    Output::Action(Action::Ask(Question::Manual { step })) => open.push(step),
                    Output::Action(Action::Retract { step }) => open.retain(|s| *s != step),
                    Output::Action(Action::Finished(r)) => result = Some(r),
                    Output::Action(_) => {}
                }
            }
            if result.is_some() {
                break;
            }
            // Something happens: a command ends (succeeds or fails), or
            // the operator closes a manual step.
            let input = if !running.is_empty() && (open.is_empty() || rng.next(2) == 0) {
                let (step, attempt) = running.remove(rng.next(running.len() as u64) as usize);
                let code = if rng.next(3) == 0 { 1 } else { 0 };
                Input::CommandExited(Exit {
                    step,
                    attempt,
                    ending: crate::event::Ending::exited(code),
                    ..Exit::default()
                })
            } else if !open.is_empty() {
                let step = open.remove(rng.next(open.len() as u64) as usize);
                Input::Operator(OperatorInput::Record {
                    step,
                    outcome: Outcome::Done,
                    reason: None,
                    by: "op".into(),
                    auto: false,
                })
            } else {
                panic!("seed {seed}: stuck with nothing running and nothing open");
            };
            pending = engine.handle(now, input);
        }
        let result = result.unwrap_or_else(|| panic!("seed {seed}: never finished"));
        assert!(
            running.is_empty(),
            "seed {seed}: finished with commands running"
        );
        let any_failed = finished.contains(&Some(Outcome::Failed));
        match result {
            RunResult::Recovered => assert!(
                finished.iter().all(|o| *o == Some(Outcome::Done)),
                "seed {seed}: recovered with {finished:?}"
            ),
            RunResult::Degraded => assert!(any_failed, "seed {seed}"),
            RunResult::Aborted => assert!(any_failed, "seed {seed}: aborted without failure"),
        }
    }
}
