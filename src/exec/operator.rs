//! Operators without a person at a terminal: `--answers FILE`, `--yes`, and
//! nobody.
//!
//! None of them ever confirms anything silently. [`Nobody`] (no terminal, no
//! flag) answers every question with [`OperatorInput::Unanswerable`], which
//! stops the drill with a message naming `--yes` and `--answers`. [`Yes`]
//! confirms manual steps, confirmations and rollbacks, marked
//! `auto_confirmed`, and re-runs interrupted steps on resume; a failure with
//! `on_failure: ask` stops the drill (nobody chose what to do). [`Answers`]
//! replays a YAML file written for rehearsals and tests; its format is in
//! `docs/answers.md`.

use std::sync::mpsc::Sender;

use super::{Input, Operator, OperatorInput, Question};
use crate::event::{Decision, Event, Outcome, Stamped};
use crate::i18n::{Msg, msg};
use crate::identity::Identity;
use crate::runbook::{Runbook, StepIndex};

mod answers;
mod raw;
mod scripted;

pub use answers::{ActionSpec, Answer, Answers, AnswersError, Word};
pub use raw::{CRITERIA_KEY, CriterionAnswer};
pub use scripted::AnswersOperator;

/// What `question` asks, as the end of a sentence about its step.
fn what_is_asked(question: &Question) -> Msg {
    Msg::new(match question {
        Question::Manual { .. } => "operator-asked-manual",
        Question::Confirm { .. } => "operator-asked-confirm",
        Question::Failed { .. } => "operator-asked-failed",
        Question::Rollback { .. } => "operator-asked-rollback",
        Question::Interrupted { .. } => "operator-asked-interrupted",
    })
}

/// Shared plumbing: the channel and who answers (follows handovers).
#[derive(Debug, Default)]
struct Channel {
    tx: Option<Sender<Input>>,
    by: Identity,
    /// The drill's language, for a refusal it stops on.
    lang: crate::i18n::Lang,
}

impl Channel {
    fn new(runbook: &Runbook, by: &Identity) -> Channel {
        Channel {
            tx: None,
            by: by.clone(),
            lang: crate::i18n::Lang::for_runbook(runbook.exercise.lang.as_deref()),
        }
    }
}

impl Channel {
    fn send(&self, input: OperatorInput) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(Input::Operator(input));
        }
    }

    fn follow(&mut self, event: &Stamped) {
        if let Event::Handover { to, .. } = &event.event {
            // The incoming operator answers from the same account.
            self.by.name = to.clone();
        }
    }
}

/// Nobody can answer: every question stops the drill with a message.
#[derive(Debug)]
pub struct Nobody {
    channel: Channel,
    ids: Vec<String>,
}

impl Nobody {
    /// For a drill of `runbook`.
    pub fn new(runbook: &Runbook) -> Self {
        Nobody {
            // Nobody answers, but the drill's language says why it stops.
            channel: Channel::new(runbook, &Identity::default()),
            ids: step_ids(runbook),
        }
    }
}

fn step_ids(runbook: &Runbook) -> Vec<String> {
    runbook.steps.iter().map(|s| s.id.to_string()).collect()
}

/// The id of `step` for messages; a step added during the drill (not in
/// the runbook) by its item number.
fn step_name(ids: &[String], step: StepIndex) -> String {
    ids.get(step.get())
        .cloned()
        .unwrap_or_else(|| format!("#{}", step.number()))
}

impl Operator for Nobody {
    fn start(&mut self, answers: Sender<Input>) {
        self.channel.tx = Some(answers);
    }

    fn ask(&mut self, question: &Question) {
        let step = question.step();
        let message = msg!("operator-no-terminal", step = step_name(&self.ids, step))
            .sub("asked", what_is_asked(question))
            .sub("hint", Msg::new("operator-flags-hint"))
            .said_in(self.channel.lang);
        self.channel
            .send(OperatorInput::Unanswerable { step, message });
    }

    fn retract(&mut self, _step: StepIndex) {}
}

/// `--yes`: confirms manual steps, confirmations and rollbacks
/// (`auto_confirmed`), re-runs interrupted steps; a failure that asks stops
/// the drill.
#[derive(Debug)]
pub struct Yes {
    channel: Channel,
    ids: Vec<String>,
    manual_rollback: Vec<bool>,
}

impl Yes {
    /// For a drill of `runbook`, answering as `operator`.
    pub fn new(runbook: &Runbook, operator: &Identity) -> Self {
        Yes {
            channel: Channel::new(runbook, operator),
            ids: step_ids(runbook),
            manual_rollback: runbook
                .steps
                .iter()
                .map(|s| matches!(s.rollback, Some(crate::runbook::Rollback::Instructions(_))))
                .collect(),
        }
    }
}

impl Operator for Yes {
    fn start(&mut self, answers: Sender<Input>) {
        self.channel.tx = Some(answers);
    }

    fn ask(&mut self, question: &Question) {
        let step = question.step();
        let by = self.channel.by.clone();
        let decide = |decision| OperatorInput::Decide {
            step,
            decision,
            reason: None,
            by: by.clone(),
            auto: true,
        };
        let input = match question {
            Question::Manual { .. } => OperatorInput::Record {
                step,
                outcome: Outcome::Done,
                reason: None,
                by: by.clone(),
                auto: true,
            },
            Question::Confirm { .. } | Question::Interrupted { .. } => decide(Decision::Run),
            Question::Rollback { .. }
                if self
                    .manual_rollback
                    .get(step.get())
                    .copied()
                    .unwrap_or(false) =>
            {
                decide(Decision::MarkDone)
            }
            Question::Rollback { .. } => decide(Decision::Run),
            Question::Failed { .. } => OperatorInput::Unanswerable {
                step,
                message: msg!(
                    "operator-yes-does-not-choose",
                    step = step_name(&self.ids, step)
                )
                .said_in(self.channel.lang),
            },
        };
        self.channel.send(input);
    }

    fn retract(&mut self, _step: StepIndex) {}

    /// A refusal cannot be argued with by a script: the drill stops with
    /// the refusal, in the drill's language, as its reason (answering
    /// again would loop).
    fn refused(
        &mut self,
        step: StepIndex,
        _by: &crate::identity::Identity,
        refusal: &crate::exec::Refusal,
    ) {
        self.channel.send(OperatorInput::Unanswerable {
            step,
            message: refusal.say(self.channel.lang),
        });
    }

    fn event(&mut self, event: &Stamped) {
        self.channel.follow(event);
    }
}
#[cfg(test)]
mod tests;
