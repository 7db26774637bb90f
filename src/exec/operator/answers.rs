//! An answers file (`--answers FILE`) read and checked against the
//! runbook: each step's answers in order, the criteria, the plan changes.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostic::suggest;
use crate::event::{Decision, Outcome};
use crate::exec::changes::Change;
use crate::runbook::{Runbook, StepIndex};

use super::raw::*;

/// What an answers file says, for one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The word written: an outcome or a decision.
    pub word: Word,
    /// Why (required for deviations).
    pub reason: Option<String>,
    /// An observation recorded with the answer.
    pub note: Option<String>,
    /// A corrective action recorded with the answer.
    pub action: Option<ActionSpec>,
    /// The restore point the step brought back (`restore_point:`), as
    /// written; checked when the file is read.
    pub restore_point: Option<String>,
    /// Changes to the plan made just before the answer (`changes:`).
    pub changes: Vec<Change>,
    /// Line in the answers file, for messages.
    pub line: u64,
}

/// A corrective action written in an answers file:
/// `action: { owner: labo, due: 2027-01-15, text: "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    /// Who must carry it out.
    pub owner: String,
    /// When it is due.
    pub due: jiff::civil::Date,
    /// What must be done.
    pub text: String,
}

/// The words an answers file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// A manual step's outcome.
    Outcome(Outcome),
    /// A decision.
    Decision(Decision),
}

impl Word {
    const ALL: [(&'static str, Word); 12] = [
        ("done", Word::Outcome(Outcome::Done)),
        ("failed", Word::Outcome(Outcome::Failed)),
        ("skipped", Word::Outcome(Outcome::Skipped)),
        ("run", Word::Decision(Decision::Run)),
        ("retry", Word::Decision(Decision::Retry)),
        ("retry_all", Word::Decision(Decision::RetryAll)),
        ("mark_done", Word::Decision(Decision::MarkDone)),
        ("mark_failed", Word::Decision(Decision::MarkFailed)),
        ("skip", Word::Decision(Decision::Skip)),
        ("continue", Word::Decision(Decision::Continue)),
        ("abort", Word::Decision(Decision::Abort)),
        ("rollback", Word::Decision(Decision::Rollback)),
    ];

    fn parse(s: &str) -> Option<Word> {
        Word::ALL.iter().find(|(w, _)| *w == s).map(|(_, w)| *w)
    }

    fn needs_reason(self) -> bool {
        matches!(
            self,
            Word::Outcome(Outcome::Failed | Outcome::Skipped)
                | Word::Decision(
                    Decision::Retry
                        | Decision::RetryAll
                        | Decision::MarkDone
                        | Decision::MarkFailed
                        | Decision::Skip
                )
        )
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = Word::ALL
            .iter()
            .find(|(_, w)| w == self)
            .map_or("?", |(n, _)| n);
        f.write_str(name)
    }
}

/// An error in an answers file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersError {
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// Lowercase fragment: what is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
}

impl AnswersError {
    /// `path:line:column: message` and the hint, as printed.
    pub fn render(&self, path: &str) -> String {
        let mut s = if self.line > 0 {
            format!("{path}:{}:{}: {}", self.line, self.column, self.message)
        } else {
            format!("{path}: {}", self.message)
        };
        if let Some(h) = &self.hint {
            s.push_str(&format!("\n  hint: {h}"));
        }
        s
    }
}

/// A parsed answers file: for each step, the answers to use in order (a
/// step asked twice, e.g. failed twice, takes its next answer each time).
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub(super) by_step: HashMap<StepIndex, VecDeque<Answer>>,
    /// The ids of the steps the file adds (`added-N`), in order.
    pub(super) added: Vec<String>,
    /// The steps the file cancels (`changes: - cancel:`).
    pub(super) cancelled: Vec<StepIndex>,
    /// The success criteria's assessments (`criteria:`).
    pub(super) criteria: Vec<CriterionAnswer>,
}

impl Answers {
    /// Reads and checks an answers file against `runbook`: unknown step ids
    /// (with a suggestion), unknown words, missing reasons. Every error is
    /// returned, each with its line and column.
    pub fn parse(text: &str, runbook: &Runbook) -> Result<Answers, Vec<AnswersError>> {
        let entries: Entries = match serde_saphyr::from_str(text) {
            Ok(Some(e)) => e,
            Ok(None) => return Ok(Answers::default()),
            Err(e) => {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                let message = e.to_string();
                let message = message.lines().next().unwrap_or("").to_string();
                return Err(vec![AnswersError {
                    line,
                    column,
                    message: format!("cannot read the answers: {message}"),
                    hint: Some("write one `step-id: answer` per line (see docs/answers.md)".into()),
                }]);
            }
        };
        // The steps the file adds take the next item numbers, in the order
        // they are made; their ids name them in keys and later changes.
        let adds = entries
            .0
            .iter()
            .flat_map(|(_, v)| v.value.ones())
            .flat_map(|one| &one.changes)
            .filter(|c| c.value.is_add())
            .count();
        let mut all: Vec<String> = runbook.steps.iter().map(|s| s.id.to_string()).collect();
        let base = all.len() as u32;
        let mut added = Vec::new();
        for k in 0..adds as u32 {
            let id = crate::exec::added::id_for(base + k + 1, |id| all.iter().any(|i| i == id));
            all.push(id.to_string());
            added.push(id.to_string());
        }
        let ids: HashMap<&str, StepIndex> = all
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), StepIndex(i as u32)))
            .collect();
        let tz = jiff::tz::TimeZone::system();
        let mut errors = Vec::new();
        let mut by_step: HashMap<StepIndex, VecDeque<Answer>> = HashMap::new();
        for (key, value) in entries.0 {
            let Some(&step) = ids.get(key.value.as_str()) else {
                errors.push(AnswersError {
                    line: key.referenced.line(),
                    column: key.referenced.column(),
                    message: format!("unknown step `{}`", key.value),
                    hint: suggest(&key.value, ids.keys().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                });
                continue;
            };
            if by_step.contains_key(&step) {
                errors.push(AnswersError {
                    line: key.referenced.line(),
                    column: key.referenced.column(),
                    message: format!("step `{}` is answered twice", key.value),
                    hint: Some("give several answers as a list, in the order they are used".into()),
                });
                continue;
            }
            let raws = match value.value {
                Raw::One(one) => vec![Spanned::new(one, value.referenced, value.defined)],
                Raw::List(list) => list,
            };
            let mut answers = VecDeque::new();
            for raw in raws {
                let (line, column) = (raw.referenced.line(), raw.referenced.column());
                let mut one = raw.value;
                let mut changes = Vec::new();
                for spec in std::mem::take(&mut one.changes) {
                    let (line, column) = (spec.referenced.line(), spec.referenced.column());
                    match spec.value.resolve(&all, &tz) {
                        Ok(c) => changes.push(c),
                        Err(message) => errors.push(AnswersError {
                            line,
                            column,
                            message,
                            hint: Some("see docs/answers.md, \"Changes to the plan\"".into()),
                        }),
                    }
                }
                let Some(word) = Word::parse(&one.word) else {
                    let words: Vec<&str> = Word::ALL.iter().map(|(w, _)| *w).collect();
                    errors.push(AnswersError {
                        line,
                        column,
                        message: format!("`{}` is not an answer", one.word),
                        hint: Some(match suggest(&one.word, words.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("answer with one of: {}", words.join(", ")),
                        }),
                    });
                    continue;
                };
                if word.needs_reason() && one.reason.as_deref().is_none_or(|r| r.trim().is_empty())
                {
                    errors.push(AnswersError {
                        line,
                        column,
                        message: format!("`{word}` for step `{}` needs a reason", key.value),
                        hint: Some(format!("write it as {{ answer: {word}, reason: \"why\" }}")),
                    });
                    continue;
                }
                if word == Word::Outcome(Outcome::Done)
                    && one.reason.as_deref().is_none_or(|r| r.trim().is_empty())
                    && runbook
                        .steps
                        .get(step.get())
                        .is_some_and(|s| s.run.is_some() && !s.confirm && s.rollback.is_none())
                {
                    // Such a step is only asked about when its command failed
                    // or was cut short: `done` would mark it done, which
                    // needs a reason (the engine would ask again, and the
                    // drill stop for want of an answer).
                    errors.push(AnswersError {
                        line,
                        column,
                        message: format!(
                            "`done` for command step `{}` would mark its failed command done, which needs a reason",
                            key.value
                        ),
                        hint: Some(
                            "write it as { answer: mark_done, reason: \"why\" }, or answer `retry`, `skip` or `abort`"
                                .into(),
                        ),
                    });
                    continue;
                }
                if let Some(Err(e)) = one
                    .restore_point
                    .as_deref()
                    .map(crate::event::parse_restore_point)
                {
                    errors.push(AnswersError {
                        line,
                        column,
                        message: e,
                        hint: Some(
                            "write it as { answer: done, restore_point: 2026-12-05T23:00:00+01:00 }"
                                .into(),
                        ),
                    });
                    continue;
                }
                answers.push_back(Answer {
                    word,
                    reason: one.reason,
                    note: one.note,
                    action: one.action,
                    restore_point: one.restore_point,
                    changes,
                    line,
                });
            }
            by_step.insert(step, answers);
        }
        let mut criteria = Vec::new();
        let count = runbook.exercise.criteria.len();
        for entry in entries.1.into_iter().flatten() {
            let (line, column) = (entry.referenced.line(), entry.referenced.column());
            let e = entry.value;
            if e.criterion == 0 || e.criterion as usize > count {
                errors.push(AnswersError {
                    line,
                    column,
                    message: format!(
                        "there is no criterion {}: the runbook has {count}",
                        e.criterion
                    ),
                    hint: Some(if count == 0 {
                        "write the criteria under `objectives.criteria:` in the runbook".into()
                    } else {
                        format!("number them 1 to {count}, in the runbook's order")
                    }),
                });
                continue;
            }
            match e.verdict.parse() {
                Ok(verdict) => criteria.push(CriterionAnswer {
                    criterion: e.criterion,
                    verdict,
                    comment: e.comment.filter(|c| !c.trim().is_empty()),
                }),
                Err(message) => errors.push(AnswersError {
                    line,
                    column,
                    message,
                    hint: Some("write `verdict: met`, `partly_met` or `not_met`".into()),
                }),
            }
        }
        if errors.is_empty() {
            let cancelled = by_step
                .values()
                .flatten()
                .flat_map(|a| &a.changes)
                .filter_map(|c| match c {
                    Change::Plan(crate::exec::PlanChange::Cancel { step, .. }) => Some(*step),
                    _ => None,
                })
                .collect();
            Ok(Answers {
                by_step,
                added,
                cancelled,
                criteria,
            })
        } else {
            Err(errors)
        }
    }

    /// The success criteria's assessments (`criteria:`), in file order.
    pub fn criteria(&self) -> &[CriterionAnswer] {
        &self.criteria
    }

    /// True when at least one answer is given for `step`.
    pub fn has(&self, step: StepIndex) -> bool {
        self.by_step.get(&step).is_some_and(|a| !a.is_empty())
    }

    /// True when the file says what becomes of `step`: it answers it, or
    /// cancels it (`changes:`), so no question about it is left unscripted.
    pub fn covers(&self, step: StepIndex) -> bool {
        self.has(step) || self.cancelled.contains(&step)
    }
}
