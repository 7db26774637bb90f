//! What an answer to an open item leads to: the input sent, its reason
//! asked first when it is a deviation, a restore point asked when the step
//! `records: restore_point`.

use crate::event::{Decision, Outcome};
use crate::exec::{OperatorInput, Question};

use super::{Answer, Pending, Reply, Session, accepted, non_empty};

impl Session {
    /// The line typed for a restore point: recorded with the step done,
    /// `unknown` (done, a note says no restore point was known), empty
    /// (cancelled) or asked again with what is wrong.
    pub(super) fn restore_point(
        &mut self,
        number: u32,
        reason: Option<String>,
        line: &str,
    ) -> Reply {
        if line.is_empty() {
            return Reply::tr(self.lang, "prompt-cancelled");
        }
        if crate::terminal::restore_point::is_unknown(line, self.lang) {
            return self.done_with_point(number, None, reason);
        }
        // The clock and the zone the operator reads: a local time means
        // this terminal's, and a restore point cannot be after now.
        let now = jiff::Timestamp::now();
        let zone = jiff::tz::TimeZone::system();
        match crate::terminal::restore_point::read(line, now, &zone, self.lang) {
            Ok(point) => self.done_with_point(number, Some(point), reason),
            Err(e) => {
                self.pending = Pending::RestorePoint { number, reason };
                Reply::say(e)
            }
        }
    }

    /// Records item `number` done, after its restore point (or a note
    /// that none was known).
    pub(super) fn done_with_point(
        &mut self,
        number: u32,
        point: Option<String>,
        reason: Option<String>,
    ) -> Reply {
        let Some(item) = self.open.remove(&number) else {
            return self.no_longer_open(number);
        };
        let step = item.question.step();
        let by = self.operator.clone();
        let first = match point {
            Some(point) => OperatorInput::RestorePoint {
                step,
                point,
                by: by.clone(),
            },
            None => OperatorInput::Note {
                text: self.lang.tr("prompt-no-restore-point"),
                step: Some(step),
                by: by.clone(),
            },
        };
        Reply {
            inputs: vec![
                first,
                OperatorInput::Record {
                    step,
                    outcome: Outcome::Done,
                    reason,
                    by,
                    auto: false,
                },
            ],
            text: Vec::new(),
        }
    }

    /// `#N is no longer open: nothing recorded`.
    pub(super) fn no_longer_open(&self, number: u32) -> Reply {
        Reply::say(
            self.lang
                .tr_args("prompt-no-longer-open", &[("number", number.into())]),
        )
    }

    /// Maps a command word to an answer for item `number`, or explains
    /// what that item accepts.
    pub(super) fn answer(&mut self, number: u32, word: &str, reason: &str) -> Reply {
        let question = &self.open[&number].question;
        let record = |outcome| Some(Answer::Record { number, outcome });
        let decide = |decision| Some(Answer::Decide { number, decision });
        let answer = match (question, word) {
            (Question::Manual { .. }, "done") => record(Outcome::Done),
            (Question::Manual { .. }, "fail" | "failed") => record(Outcome::Failed),
            (Question::Manual { .. }, "skip") => record(Outcome::Skipped),
            (Question::Confirm { .. }, "run") => decide(Decision::Run),
            (Question::Confirm { .. }, "skip") => decide(Decision::Skip),
            (Question::Manual { .. } | Question::Confirm { .. }, "refuse") => {
                Some(Answer::Refuse { number })
            }
            (Question::Failed { .. }, "retry") => decide(Decision::Retry),
            (Question::Failed { hosts, .. } | Question::Interrupted { hosts, .. }, "retry-all")
                if !hosts.is_empty() =>
            {
                decide(Decision::RetryAll)
            }
            (Question::Failed { .. }, "mark-done" | "done") => decide(Decision::MarkDone),
            (Question::Failed { .. }, "skip") => decide(Decision::Skip),
            (Question::Failed { .. }, "continue") => decide(Decision::Continue),
            (Question::Failed { .. }, "abort") => decide(Decision::Abort),
            (Question::Failed { .. }, "rollback") => decide(Decision::Rollback),
            (Question::Rollback { .. }, "run" | "done") => decide(Decision::Run),
            (Question::Rollback { .. }, "skip") => decide(Decision::Skip),
            (Question::Interrupted { .. }, "run" | "retry") => decide(Decision::Run),
            (Question::Interrupted { .. }, "mark-done" | "done") => decide(Decision::MarkDone),
            (Question::Interrupted { .. }, "mark-failed" | "fail" | "failed") => {
                decide(Decision::MarkFailed)
            }
            _ => None,
        };
        match answer {
            Some(answer) => self.finish(answer, non_empty(reason)),
            None => Reply::say(self.lang.tr_args(
                "prompt-item-takes",
                &[
                    (
                        "item",
                        format!("#{number} {}", self.describe(number)).into(),
                    ),
                    ("words", accepted(question, number, self.lang).into()),
                ],
            )),
        }
    }

    /// Sends an answer, or asks for its reason first when it is a deviation
    /// typed without one.
    pub(super) fn finish(&mut self, answer: Answer, reason: Option<String>) -> Reply {
        if reason.is_none() && needs_reason(&answer) {
            self.pending = Pending::Reason(answer);
            return Reply::default();
        }
        if let Answer::Record {
            number,
            outcome: Outcome::Done,
        } = answer
            && let Some(item) = self.open.get(&number)
            && self
                .records_point
                .get(item.question.step().get())
                .copied()
                .unwrap_or(false)
        {
            // `done 5 2026-12-05 23:00` gives it at once; otherwise ask.
            let now = jiff::Timestamp::now();
            let zone = jiff::tz::TimeZone::system();
            if let Some(point) = reason
                .as_deref()
                .and_then(|r| crate::terminal::restore_point::read(r, now, &zone, self.lang).ok())
            {
                return self.done_with_point(number, Some(point), None);
            }
            self.pending = Pending::RestorePoint { number, reason };
            return Reply::default();
        }
        let by = self.operator.clone();
        match answer {
            Answer::Abort => Reply::send(OperatorInput::Abort { by, reason }),
            Answer::Record { number, outcome } => match self.open.remove(&number) {
                Some(item) => Reply::send(OperatorInput::Record {
                    step: item.question.step(),
                    outcome,
                    reason,
                    by,
                    auto: false,
                }),
                None => self.no_longer_open(number),
            },
            Answer::Decide { number, decision } => match self.open.remove(&number) {
                Some(item) => Reply::send(OperatorInput::Decide {
                    step: item.question.step(),
                    decision,
                    reason,
                    by,
                    auto: false,
                }),
                None => self.no_longer_open(number),
            },
            Answer::Refuse { number } => match self.open.remove(&number) {
                Some(item) => Reply::send(OperatorInput::Refuse {
                    step: item.question.step(),
                    reason,
                    by,
                }),
                None => self.no_longer_open(number),
            },
        }
    }
}

pub(super) fn needs_reason(answer: &Answer) -> bool {
    match answer {
        Answer::Abort | Answer::Refuse { .. } => true,
        Answer::Record { outcome, .. } => *outcome != Outcome::Done,
        Answer::Decide { decision, .. } => *decision != Decision::Run,
    }
}
