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

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::mpsc::Sender;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::changes::{Change, Spec};
use super::{Input, Operator, OperatorInput, Question};
use crate::diagnostic::suggest;
use crate::event::{Decision, Event, Outcome, Stamped};
use crate::identity::Identity;
use crate::runbook::{Runbook, StepIndex};

/// The flags that let a drill run without a terminal, for messages.
pub const FLAGS_HINT: &str = "run it at a terminal, or pass --yes (confirm manual steps and confirmations) or --answers FILE (script every answer, see docs/answers.md)";

fn what_is_asked(question: &Question) -> &'static str {
    match question {
        Question::Manual { .. } => "is a manual step",
        Question::Confirm { .. } => "asks for confirmation before it runs",
        Question::Failed { .. } => "failed and its on_failure is `ask`",
        Question::Rollback { .. } => "has a rollback to confirm",
        Question::Interrupted { .. } => "was interrupted and is not idempotent",
    }
}

/// Shared plumbing: the channel and who answers (follows handovers).
#[derive(Debug, Default)]
struct Channel {
    tx: Option<Sender<Input>>,
    by: Identity,
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
            channel: Channel::default(),
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
        let message = format!(
            "step `{}` {} and there is no terminal to ask: {FLAGS_HINT}",
            step_name(&self.ids, step),
            what_is_asked(question)
        );
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
            channel: Channel {
                tx: None,
                by: operator.clone(),
            },
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
                message: format!(
                    "step `{}` failed and its on_failure is `ask`: --yes does not choose for you, so the drill stops (use --answers FILE to script the decision)",
                    step_name(&self.ids, step)
                ),
            },
        };
        self.channel.send(input);
    }

    fn retract(&mut self, _step: StepIndex) {}

    /// A refusal cannot be argued with by a script: the drill stops with
    /// the refusal as its reason (answering again would loop).
    fn refused(&mut self, step: StepIndex, _by: &crate::identity::Identity, message: &str) {
        self.channel.send(OperatorInput::Unanswerable {
            step,
            message: message.to_string(),
        });
    }

    fn event(&mut self, event: &Stamped) {
        self.channel.follow(event);
    }
}

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
    by_step: HashMap<StepIndex, VecDeque<Answer>>,
    /// The ids of the steps the file adds (`added-N`), in order.
    added: Vec<String>,
    /// The steps the file cancels (`changes: - cancel:`).
    cancelled: Vec<StepIndex>,
    /// The success criteria's assessments (`criteria:`).
    criteria: Vec<CriterionAnswer>,
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
            let id = super::added::id_for(base + k + 1, |id| all.iter().any(|i| i == id));
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
                    Change::Plan(super::PlanChange::Cancel { step, .. }) => Some(*step),
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
            channel: Channel {
                tx: None,
                by: operator.clone(),
            },
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
    fn input(&self, question: &Question, answer: &Answer) -> Option<OperatorInput> {
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
            let message = format!(
                "step `{id}` {} and {} has no (more) answers for it: add one, or run at a terminal",
                what_is_asked(question),
                self.file
            );
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
            let message = format!(
                "{}:{}: `{}` does not answer step `{id}`, which {}{}",
                self.file,
                answer.line,
                answer.word,
                what_is_asked(question),
                if unexplained {
                    ": marking its command done needs a reason ({ answer: mark_done, reason: \"why\" })"
                } else {
                    ""
                }
            );
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
    /// the refusal as its reason (answering again would loop).
    fn refused(&mut self, step: StepIndex, _by: &crate::identity::Identity, message: &str) {
        self.channel.send(OperatorInput::Unanswerable {
            step,
            message: message.to_string(),
        });
    }

    fn event(&mut self, event: &Stamped) {
        self.channel.follow(event);
    }
}

// ---- deserialising with locations ------------------------------------------

/// The top-level mapping, in file order, keys located.
struct Entries(
    Vec<(Spanned<String>, Spanned<Raw>)>,
    /// The `criteria:` list, when given.
    Option<Vec<Spanned<CriterionEntry>>>,
);

/// The key of an answers file that holds the success criteria's
/// assessments rather than a step's answers.
pub const CRITERIA_KEY: &str = "criteria";

/// `- { criterion: 1, verdict: met, comment: "…" }` under `criteria:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionEntry {
    criterion: u32,
    verdict: String,
    #[serde(default)]
    comment: Option<String>,
}

/// A success criterion's assessment given in an answers file, recorded
/// once the drill is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionAnswer {
    /// 1-based number in `objectives.criteria`.
    pub criterion: u32,
    /// How far it was met.
    pub verdict: crate::event::Assessment,
    /// Why.
    pub comment: Option<String>,
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of step ids to answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                let mut criteria = None;
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    if k.value == CRITERIA_KEY {
                        criteria = Some(map.next_value::<Vec<Spanned<CriterionEntry>>>()?);
                        continue;
                    }
                    let v = map.next_value::<Spanned<Raw>>()?;
                    out.push((k, v));
                }
                Ok(Entries(out, criteria))
            }
        }
        d.deserialize_map(V)
    }
}

/// One step's answer, or several in order.
enum Raw {
    One(One),
    List(Vec<Spanned<One>>),
}

impl Raw {
    fn ones(&self) -> Vec<&One> {
        match self {
            Raw::One(one) => vec![one],
            Raw::List(list) => list.iter().map(|o| &o.value).collect(),
        }
    }
}

/// `done`, or `{ answer: done, reason: …, note: … }`.
struct One {
    word: String,
    reason: Option<String>,
    note: Option<String>,
    action: Option<ActionSpec>,
    restore_point: Option<String>,
    changes: Vec<Spanned<Spec>>,
}

const ONE_KEYS: &[&str] = &[
    "answer",
    "outcome",
    "decision",
    "reason",
    "note",
    "action",
    "restore_point",
    "changes",
];

struct OneVisitor;

impl<'de> Visitor<'de> for OneVisitor {
    type Value = One;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "an answer (`done`, `skipped`, `retry`…) or a mapping with `answer`, `reason`, `note`",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<One, E> {
        Ok(One {
            word: v.to_string(),
            reason: None,
            note: None,
            action: None,
            restore_point: None,
            changes: Vec::new(),
        })
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<One, E> {
        // `yes`/`no` and friends: say what to write instead.
        Err(E::custom(format!(
            "`{v}` is not an answer: write `done`, `skipped`, `run`…"
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<One, A::Error> {
        let mut one = One {
            word: String::new(),
            reason: None,
            note: None,
            action: None,
            restore_point: None,
            changes: Vec::new(),
        };
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                // `outcome` and `decision` read better for some answers.
                "answer" | "outcome" | "decision" => one.word = map.next_value()?,
                "reason" => one.reason = Some(map.next_value()?),
                "note" => one.note = Some(map.next_value()?),
                "action" => one.action = Some(map.next_value()?),
                "restore_point" => one.restore_point = Some(map.next_value()?),
                "changes" => one.changes = map.next_value()?,
                other => return Err(de::Error::unknown_field(other, ONE_KEYS)),
            }
        }
        if one.word.is_empty() {
            return Err(de::Error::missing_field("answer"));
        }
        Ok(one)
    }
}

impl<'de> Deserialize<'de> for One {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OneVisitor)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                OneVisitor.expecting(f)?;
                f.write_str(", or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
                OneVisitor.visit_str(v).map(Raw::One)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
                OneVisitor.visit_bool(v).map(Raw::One)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw, A::Error> {
                OneVisitor.visit_map(map).map(Raw::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut out = Vec::new();
                while let Some(one) = seq.next_element::<Spanned<One>>()? {
                    out.push(one);
                }
                Ok(Raw::List(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests;
