//! The operator that answers from an answers file.

use std::collections::VecDeque;
use std::sync::mpsc::Sender;

use crate::event::{Decision, Outcome, Stamped};
use crate::exec::changes::Change;
use crate::exec::{Input, Operator, OperatorInput, Question};
use crate::identity::Identity;
use crate::runbook::{Runbook, StepIndex};

use super::*;

/// How an answers file gives the reason `mark_done` needs (YAML, the same
/// in every language).
const MARK_DONE_EXAMPLE: &str = "{ answer: mark_done, reason: \"why\" }";

/// `--answers FILE`: answers each question with the next answer given for
/// its step; a question without one stops the drill with a message.
#[derive(Debug)]
pub struct AnswersOperator {
    channel: Channel,
    answers: Answers,
    ids: Vec<String>,
    manual: Vec<bool>,
    file: String,
}

impl AnswersOperator {
    /// Replays `answers` (read from `file`, named in messages) as `operator`.
    pub fn new(answers: Answers, runbook: &Runbook, operator: &Identity, file: &str) -> Self {
        AnswersOperator {
            channel: Channel::new(runbook, operator),
            ids: step_ids(runbook)
                .into_iter()
                .chain(answers.added.iter().cloned())
                .collect(),
            answers,
            manual: runbook.steps.iter().map(|s| s.run.is_none()).collect(),
            file: file.to_string(),
        }
    }

    /// The input an answer gives to a question, if it fits.
    pub(super) fn input(&self, question: &Question, answer: &Answer) -> Option<OperatorInput> {
        let step = question.step();
        let by = self.channel.by.clone();
        let record = |outcome| {
            Some(OperatorInput::Record {
                step,
                outcome,
                reason: answer.reason.clone(),
                by: by.clone(),
                auto: false,
            })
        };
        let decide = |decision| {
            Some(OperatorInput::Decide {
                step,
                decision,
                reason: answer.reason.clone(),
                by: by.clone(),
                auto: false,
            })
        };
        use Decision as D;
        use Outcome as O;
        match (question, answer.word) {
            (_, Word::Decision(d @ (D::Abort | D::Rollback))) => decide(d),
            (Question::Manual { .. }, Word::Outcome(o @ (O::Done | O::Failed | O::Skipped))) => {
                record(o)
            }
            (Question::Manual { .. }, Word::Decision(D::MarkDone)) => record(O::Done),
            (Question::Manual { .. }, Word::Decision(D::Skip)) => record(O::Skipped),
            (Question::Confirm { .. }, Word::Decision(D::Run) | Word::Outcome(O::Done)) => {
                decide(D::Run)
            }
            (
                Question::Confirm { .. } | Question::Failed { .. } | Question::Interrupted { .. },
                Word::Decision(D::Skip) | Word::Outcome(O::Skipped),
            ) => decide(D::Skip),
            // Marking a failed or cut-short command done needs a reason:
            // without one it does not fit (the drill stops saying so).
            (
                Question::Failed { .. } | Question::Interrupted { .. },
                Word::Decision(D::MarkDone) | Word::Outcome(O::Done),
            ) if answer.reason.is_some() => decide(D::MarkDone),
            (Question::Failed { .. }, Word::Decision(d @ (D::Retry | D::Continue))) => decide(d),
            (Question::Interrupted { .. }, Word::Decision(D::Run | D::Retry)) => decide(D::Run),
            (
                Question::Failed { hosts, .. } | Question::Interrupted { hosts, .. },
                Word::Decision(D::RetryAll),
            ) if !hosts.is_empty() => decide(D::RetryAll),
            (
                Question::Interrupted { .. },
                Word::Decision(D::MarkFailed) | Word::Outcome(O::Failed),
            ) => decide(D::MarkFailed),
            (
                Question::Rollback { .. },
                Word::Decision(D::Run | D::MarkDone) | Word::Outcome(O::Done),
            ) => decide(if self.manual.get(step.get()).copied().unwrap_or(false) {
                D::MarkDone
            } else {
                D::Run
            }),
            (Question::Rollback { .. }, Word::Decision(D::Skip) | Word::Outcome(O::Skipped)) => {
                decide(D::Skip)
            }
            _ => None,
        }
    }
}

impl Operator for AnswersOperator {
    fn start(&mut self, answers: Sender<Input>) {
        self.channel.tx = Some(answers);
    }

    fn ask(&mut self, question: &Question) {
        let step = question.step();
        let id = &step_name(&self.ids, step);
        let answer = self
            .answers
            .by_step
            .get_mut(&step)
            .and_then(VecDeque::pop_front);
        let Some(answer) = answer else {
            let message = msg!("operator-no-more-answers", step = id, file = self.file)
                .sub("asked", what_is_asked(question))
                .said_in(self.channel.lang);
            self.channel
                .send(OperatorInput::Unanswerable { step, message });
            return;
        };
        let Some(input) = self.input(question, &answer) else {
            let unexplained = matches!(
                (question, answer.word),
                (
                    Question::Failed { .. } | Question::Interrupted { .. },
                    Word::Outcome(Outcome::Done) | Word::Decision(Decision::MarkDone)
                )
            );
            let message = if unexplained {
                msg!(
                    "operator-does-not-answer-mark-done",
                    example = MARK_DONE_EXAMPLE
                )
            } else {
                Msg::new("operator-does-not-answer")
            }
            .arg("at", format!("{}:{}", self.file, answer.line))
            .arg("word", answer.word)
            .arg("step", id)
            .sub("asked", what_is_asked(question))
            .said_in(self.channel.lang);
            self.channel
                .send(OperatorInput::Unanswerable { step, message });
            return;
        };
        for change in answer.changes {
            let by = self.channel.by.clone();
            self.channel.send(match change {
                Change::Add(step) => OperatorInput::Add { step, by },
                Change::Plan(change) => OperatorInput::ChangePlan { change, by },
            });
        }
        if let Some(text) = answer.note {
            self.channel.send(OperatorInput::Note {
                text,
                step: Some(step),
                by: self.channel.by.clone(),
            });
        }
        if let Some(point) = answer.restore_point {
            self.channel.send(OperatorInput::RestorePoint {
                step,
                point,
                by: self.channel.by.clone(),
            });
        }
        if let Some(a) = answer.action {
            self.channel.send(OperatorInput::Action {
                owner: a.owner,
                due: a.due,
                text: a.text,
                step: Some(step),
                by: self.channel.by.clone(),
            });
        }
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
