//! One answer per question.
//!
//! Several terminals see the same open items (the coordinator's, every
//! attached team's). When two operators answer the same item at about the
//! same time, the first input the engine takes is recorded; the second finds
//! the step no longer asking and must not be recorded twice, nor silently
//! lost: its sender is told who recorded the step and when
//! ([`Action::Refused`], "already recorded by NAME at TIME"). The question
//! is not put again: it has its answer.

use jiff::Timestamp;

use super::{Action, Engine, StepIndex};
use crate::exec::Refusal;
use crate::identity::Identity;

/// The answer a step's question got: who gave it, when, and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Answered {
    by: String,
    at: Timestamp,
    what: String,
}

impl Engine<'_> {
    /// Remembers that `by` answered `step` now with `what` (`done`,
    /// `skipped`, `retry`…), for a late second answer.
    pub(super) fn answered(&mut self, step: StepIndex, by: &Identity, what: impl Into<String>) {
        if let Some(slot) = self.answers.get_mut(step.get()) {
            *slot = Some(Answered {
                by: by.name.clone(),
                at: self.now,
                what: what.into(),
            });
        }
    }

    /// An answer about `step`, which is no longer asking: when an operator
    /// answered it during this drill, `by` is told by whom and when, and
    /// nothing is recorded. Otherwise (a step never asked) it is ignored
    /// as before.
    pub(super) fn already_answered(&mut self, step: StepIndex, by: &Identity) {
        let Some(Some(a)) = self.answers.get(step.get()).cloned() else {
            return;
        };
        // `#3 call-vendor: already recorded by alice at 08:01:02 UTC
        // (done); nothing was recorded`: the words a prompt that saw the
        // record first says too.
        let refusal = Refusal::AlreadyRecorded {
            step: self.item(step),
            by: a.by,
            at: a.at,
            what: a.what,
        };
        self.action(Action::Refused {
            step,
            by: by.clone(),
            refusal,
        });
    }
}

/// A decision as the journal spells it (`mark_done`, `retry`…).
pub(super) fn decision_word(decision: crate::event::Decision) -> String {
    serde_json::to_value(decision)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{decision:?}"))
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::super::tests::{cmd, engine, manual, needs, runbook};
    use crate::event::{Decision, Event, Outcome};
    use crate::exec::{Action, Config, Input, OperatorInput, Output};
    use crate::identity::{Identity, Origin};
    use crate::runbook::StepIndex;

    fn who(name: &str) -> Identity {
        Identity::new(
            name,
            Origin {
                account: Some(name.into()),
                ..Origin::default()
            },
        )
    }

    fn at(s: &str) -> Timestamp {
        format!("2026-11-29T{s}Z").parse().unwrap()
    }

    fn record(step: u32, by: &str) -> Input {
        Input::Operator(OperatorInput::Record {
            step: StepIndex(step),
            outcome: Outcome::Done,
            reason: None,
            by: who(by),
            auto: false,
        })
    }

    fn finished(out: &[Output]) -> Vec<String> {
        out.iter()
            .filter_map(|o| match o {
                Output::Event(e) => match &e.event {
                    Event::StepFinished { step, by, .. } => Some(format!("{step} by {by}")),
                    _ => None,
                },
                Output::Action(_) => None,
            })
            .collect()
    }

    fn refusals(out: &[Output]) -> Vec<(String, String)> {
        out.iter()
            .filter_map(|o| match o {
                Output::Action(Action::Refused { by, refusal, .. }) => {
                    Some((by.name.clone(), refusal.to_string()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_second_answer_to_an_item_is_refused_with_who_and_when() {
        let rb = runbook(vec![manual("call-vendor"), manual("check-backups")]);
        let config = Config {
            jobs: 2,
            operator: who("coord"),
            ..Config::default()
        };
        let mut e = engine(&rb, config);
        e.handle(at("08:00:00"), Input::Start);
        let first = e.handle(at("08:01:02"), record(0, "stor1"));
        assert_eq!(finished(&first), ["call-vendor by stor1"]);
        assert!(refusals(&first).is_empty());

        let second = e.handle(at("08:01:03"), record(0, "labo1"));
        assert!(finished(&second).is_empty(), "{second:?}");
        assert!(
            !second.iter().any(|o| matches!(o, Output::Event(_))),
            "nothing is recorded: {second:?}"
        );
        assert!(
            !second
                .iter()
                .any(|o| matches!(o, Output::Action(Action::Ask(_)))),
            "the answered item is not put again: {second:?}"
        );
        assert_eq!(
            refusals(&second),
            [(
                "labo1".to_string(),
                "#1 call-vendor: already recorded by stor1 at 08:01:02 UTC (done); nothing \
                 was recorded"
                    .to_string()
            )]
        );
        // The other item is still open and takes its own answer.
        let other = e.handle(at("08:01:04"), record(1, "labo1"));
        assert_eq!(finished(&other), ["check-backups by labo1"]);
    }

    #[test]
    fn a_second_confirmation_is_refused_and_a_step_never_asked_is_ignored() {
        let mut go = cmd("switch");
        go.confirm = true;
        let rb = runbook(vec![go, needs(manual("after"), &["switch"])]);
        let mut e = engine(&rb, Config::default());
        e.handle(at("08:00:00"), Input::Start);
        // `after` waits for `switch`: never asked, so an answer is ignored.
        let early = e.handle(at("08:00:01"), record(1, "stor1"));
        assert!(early.is_empty(), "{early:?}");
        let run = |by: &str| {
            Input::Operator(OperatorInput::Decide {
                step: StepIndex(0),
                decision: Decision::Run,
                reason: None,
                by: who(by),
                auto: false,
            })
        };
        let first = e.handle(at("08:00:10"), run("stor1"));
        assert!(
            first
                .iter()
                .any(|o| matches!(o, Output::Action(Action::StartCommand(_)))),
            "{first:?}"
        );
        let second = e.handle(at("08:00:11"), run("stor2"));
        assert_eq!(
            refusals(&second),
            [(
                "stor2".to_string(),
                "#1 switch: already recorded by stor1 at 08:00:10 UTC (run); nothing was \
                 recorded"
                    .to_string()
            )]
        );
        assert_eq!(second.len(), 1, "{second:?}");
    }
}
