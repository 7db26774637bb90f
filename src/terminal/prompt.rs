//! What the operator types, and what it means.
//!
//! A [`Session`] is the prompt's state: the open items (questions the
//! engine put, each with a number the operator refers to), who is at the
//! terminal, and whether a reason or an abort confirmation is awaited. It
//! takes one typed line at a time and returns the [`OperatorInput`]s to send
//! and the text to show; it does no I/O, so every answer the prompt can give
//! is unit-tested here.
//!
//! The prompt is line-oriented (`done 2`, `skip 3 vendor unreachable`) rather
//! than menus: it works the same in a pseudo-terminal, over a slow SSH link
//! and from a script, and several open items can be answered in any order.
//! An item's number is its step's number ([`StepIndex::number`]): the same
//! for the whole drill, across failures, retries and resumes, and on every
//! terminal, so that it can be written on a whiteboard. An answer typed just
//! as an item closes can therefore only land on a newer question about the
//! same step, and only if that question takes the same word.

use std::collections::BTreeMap;

use crate::event::{Decision, Outcome};
use crate::exec::{Interrupt, OperatorInput, Question};
use crate::i18n::Lang;
use crate::identity::Identity;
use crate::runbook::{Runbook, StepIndex};

/// The default prompt.
pub const PROMPT: &str = "reprise> ";

/// The question asked on the first Ctrl-C.
pub const ABORT_QUESTION: &str = "abort the drill? (type a reason, or press Enter to go on) ";

/// [`ABORT_QUESTION`] in `lang`.
pub fn abort_question(lang: Lang) -> String {
    lang.tr("prompt-abort-question") + " "
}

/// An open question and the number it is shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Shown as `#N`, typed as `N`.
    pub number: u32,
    /// What is asked.
    pub question: Question,
}

/// What a typed line leads to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// To send to the driver, in order.
    pub inputs: Vec<crate::exec::OperatorInput>,
    /// To show the operator, one entry per line.
    pub text: Vec<String>,
}

impl Reply {
    fn tr(lang: Lang, id: &str) -> Self {
        Reply::say(lang.tr(id))
    }

    fn say(line: impl Into<String>) -> Self {
        Reply {
            inputs: Vec::new(),
            text: vec![line.into()],
        }
    }

    fn send(input: OperatorInput) -> Self {
        Reply {
            inputs: vec![input],
            text: Vec::new(),
        }
    }
}

/// An answer waiting for its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Record {
        number: u32,
        outcome: Outcome,
    },
    Decide {
        number: u32,
        decision: Decision,
    },
    /// Refuse to approve a step with `approvals`.
    Refuse {
        number: u32,
    },
    Abort,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pending {
    /// Nothing: the next line is a command.
    Command,
    /// The next line is the reason for this answer.
    Reason(Answer),
    /// Ctrl-C was pressed: the next line is the reason to abort, or empty.
    AbortQuestion,
    /// Item `number` was typed done and its step `records: restore_point`:
    /// the next line is the restore point (see [`super::restore_point`]).
    RestorePoint { number: u32, reason: Option<String> },
}

/// The prompt's state. See the module documentation.
#[derive(Debug, Clone)]
pub struct Session {
    operator: Identity,
    /// The drill's language: what the prompt says, and the words it shows.
    lang: Lang,
    ids: Vec<String>,
    /// For steps with `confirm`: what `list` shows under their item before
    /// the command (role, hosts, instructions), by step index.
    confirm_details: Vec<Vec<String>>,
    open: BTreeMap<u32, Item>,
    pending: Pending,
    /// Items closed because another terminal recorded them: what to tell
    /// someone who answers them late (`already recorded by…`).
    recorded: BTreeMap<u32, String>,
    /// By step index: whether the step `records: restore_point`, asked
    /// when it is typed done.
    records_point: Vec<bool>,
}

impl Session {
    /// A session for `runbook`, with `operator` at the terminal.
    pub fn new(runbook: &Runbook, operator: &Identity) -> Self {
        Session {
            operator: operator.clone(),
            lang: super::drill_lang(runbook),
            ids: runbook
                .steps
                .iter()
                .map(|s| s.id.as_str().to_string())
                .collect(),
            confirm_details: runbook
                .steps
                .iter()
                .map(|s| {
                    if s.confirm {
                        confirm_details(s, super::drill_lang(runbook))
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            open: BTreeMap::new(),
            pending: Pending::Command,
            recorded: BTreeMap::new(),
            records_point: runbook
                .steps
                .iter()
                .map(|s| s.records.contains(&crate::runbook::Record::RestorePoint))
                .collect(),
        }
    }

    /// A step was added during the drill: its item number and id now
    /// name it.
    pub fn added(&mut self, id: &str) {
        self.ids.push(id.to_string());
    }

    /// The step of item `step` ended, recorded by `by` at `at` as `what`:
    /// its item closes, and a late answer to it is told who was first
    /// (the engine says the same when two answers cross).
    pub fn recorded(&mut self, step: StepIndex, by: &str, at: jiff::Timestamp, what: &str) {
        self.close(step);
        let number = step.number();
        let id = self.ids.get(step.get()).map_or("?", String::as_str);
        let message = self.lang.tr_args(
            "prompt-already-recorded",
            &[
                ("number", number.into()),
                ("id", id.to_string().into()),
                ("by", by.to_string().into()),
                // UTC, as the engine says it: the same on every terminal.
                ("at", at.strftime("%H:%M:%S UTC").to_string().into()),
                ("what", what.to_string().into()),
            ],
        );
        self.recorded.insert(number, message);
    }

    /// The language the prompt speaks.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Who records answers now.
    pub fn operator(&self) -> &str {
        &self.operator.name
    }

    /// Who records answers now, with the account the OS gave.
    pub fn identity(&self) -> &Identity {
        &self.operator
    }

    /// Another operator took over (a handover event, whoever typed it).
    pub fn handed_over(&mut self, to: &str) {
        self.operator.name = to.to_string();
    }

    /// The open items, by number.
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.open.values()
    }

    /// The number of the open item about `step`, if any.
    pub fn number_of(&self, step: StepIndex) -> Option<u32> {
        let number = step.number();
        self.open.contains_key(&number).then_some(number)
    }

    /// Opens an item for a question and returns its number, the step's
    /// number. A new question about a step replaces the old one (e.g. a
    /// retried step failed again).
    pub fn ask(&mut self, question: &Question) -> u32 {
        self.close(question.step());
        let number = question.step().number();
        self.open.insert(
            number,
            Item {
                number,
                question: question.clone(),
            },
        );
        number
    }

    /// Closes the item about `step` (answered, retracted, or the step ended)
    /// and returns its number. A reason being typed for it is dropped.
    pub fn close(&mut self, step: StepIndex) -> Option<u32> {
        let number = self.number_of(step)?;
        self.open.remove(&number);
        if let Pending::Reason(Answer::Record { number: n, .. } | Answer::Decide { number: n, .. })
        | Pending::RestorePoint { number: n, .. } = self.pending
            && n == number
        {
            self.pending = Pending::Command;
        }
        Some(number)
    }

    /// What to show before the cursor.
    pub fn prompt(&self) -> String {
        let lang = self.lang;
        let why = |id: &str, number: u32| lang.tr_args(id, &[("number", number.into())]) + " ";
        match &self.pending {
            Pending::Command => PROMPT.to_string(),
            Pending::AbortQuestion => abort_question(lang),
            Pending::RestorePoint { number, .. } => super::restore_point::question(*number),
            Pending::Reason(answer) => match answer {
                Answer::Abort => lang.tr("prompt-why-abort") + " ",
                Answer::Record { number, outcome } => match outcome {
                    Outcome::Failed => why("prompt-why-fail", *number),
                    Outcome::Skipped => why("prompt-why-skip", *number),
                    other => {
                        lang.tr_args(
                            "prompt-why-outcome",
                            &[
                                ("number", (*number).into()),
                                ("outcome", other.to_string().into()),
                            ],
                        ) + " "
                    }
                },
                Answer::Decide { number, decision } => {
                    lang.tr_args(
                        "prompt-why-decide",
                        &[
                            ("number", (*number).into()),
                            ("verb", decision_verb(*decision, lang).into()),
                        ],
                    ) + " "
                }
                Answer::Refuse { number } => why("prompt-why-refuse", *number),
            },
        }
    }

    /// Ctrl-C: the first asks whether to abort, a second while the question
    /// is open forces the abort.
    pub fn interrupted(&mut self) -> Interrupt {
        if self.pending == Pending::AbortQuestion {
            self.pending = Pending::Command;
            Interrupt::Abort
        } else {
            self.pending = Pending::AbortQuestion;
            Interrupt::Asking
        }
    }

    /// Takes one typed line (without its line ending).
    pub fn line(&mut self, line: &str) -> Reply {
        let line = line.trim();
        match std::mem::replace(&mut self.pending, Pending::Command) {
            Pending::AbortQuestion => {
                if line.is_empty() {
                    Reply::tr(self.lang, "prompt-going-on")
                } else {
                    Reply::send(OperatorInput::Abort {
                        by: self.operator.clone(),
                        reason: Some(line.to_string()),
                    })
                }
            }
            Pending::Reason(answer) => {
                if line.is_empty() {
                    Reply::tr(self.lang, "prompt-cancelled")
                } else {
                    self.finish(answer, Some(line.to_string()))
                }
            }
            Pending::RestorePoint { number, reason } => self.restore_point(number, reason, line),
            Pending::Command => self.command(line),
        }
    }

    /// The line typed for a restore point: recorded with the step done,
    /// `unknown` (done, a note says no restore point was known), empty
    /// (cancelled) or asked again with what is wrong.
    fn restore_point(&mut self, number: u32, reason: Option<String>, line: &str) -> Reply {
        if line.is_empty() {
            return Reply::tr(self.lang, "prompt-cancelled");
        }
        if line.eq_ignore_ascii_case(super::restore_point::UNKNOWN) {
            return self.done_with_point(number, None, reason);
        }
        // The clock and the zone the operator reads: a local time means
        // this terminal's, and a restore point cannot be after now.
        let now = jiff::Timestamp::now();
        match super::restore_point::read(line, now, &jiff::tz::TimeZone::system()) {
            Ok(point) => self.done_with_point(number, Some(point), reason),
            Err(e) => {
                self.pending = Pending::RestorePoint { number, reason };
                Reply::say(e)
            }
        }
    }

    /// Records item `number` done, after its restore point (or a note
    /// that none was known).
    fn done_with_point(
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
    fn no_longer_open(&self, number: u32) -> Reply {
        Reply::say(
            self.lang
                .tr_args("prompt-no-longer-open", &[("number", number.into())]),
        )
    }

    fn command(&mut self, line: &str) -> Reply {
        let (typed, rest) = split_word(line);
        // A command in any language reprise speaks.
        let word = command_of(typed).unwrap_or(typed);
        let lang = self.lang;
        match word {
            "" => Reply::default(),
            "help" | "?" => Reply {
                inputs: Vec::new(),
                text: help_lines(lang),
            },
            "list" | "ls" => Reply {
                inputs: Vec::new(),
                text: self.list_lines(),
            },
            "note" => self.note(rest),
            "detach" => Reply {
                inputs: vec![OperatorInput::Detached {
                    by: self.operator.clone(),
                    reason: Some("detach".into()),
                }],
                text: vec![lang.tr("prompt-detached")],
            },
            "hold" => {
                if rest.trim().is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-why-hold",
                        &[("hold", typed_word(lang, "hold").into())],
                    ));
                }
                Reply::send(OperatorInput::Hold {
                    by: self.operator.clone(),
                    reason: Some(rest.trim().to_string()),
                })
            }
            "release" => Reply::send(OperatorInput::Release {
                by: self.operator.clone(),
            }),
            "action" => self.action(rest),
            "add" => match super::add::parse(rest, |t| self.resolve_step(t)) {
                Ok(step) => Reply::send(OperatorInput::Add {
                    step,
                    by: self.operator.clone(),
                }),
                Err(message) => Reply::say(message),
            },
            "cancel" | "estimate" | "assign" => {
                let tz = jiff::tz::TimeZone::system();
                match super::plan_change::parse(word, rest, &tz, |t| self.resolve_step(t)) {
                    Ok(change) => Reply::send(OperatorInput::ChangePlan {
                        change,
                        by: self.operator.clone(),
                    }),
                    Err(message) => Reply::say(message),
                }
            }
            "handover" => {
                let (to, note) = split_word(rest);
                if to.is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-who-takes-over",
                        &[("handover", typed_word(lang, "handover").into())],
                    ));
                }
                let by = self.operator.clone();
                self.operator.name = to.to_string();
                Reply::send(OperatorInput::Handover {
                    to: to.to_string(),
                    note: non_empty(note),
                    by,
                })
            }
            "abort" => {
                let (target, reason) = split_word(rest);
                if let Some(number) = self.resolve(target)
                    && matches!(self.open[&number].question, Question::Failed { .. })
                {
                    return self.answer(number, "abort", reason);
                }
                self.finish(Answer::Abort, non_empty(rest))
            }
            "done" | "fail" | "failed" | "skip" | "run" | "retry" | "retry-all" | "mark-done"
            | "mark-failed" | "continue" | "rollback" | "refuse" => {
                let (target, reason) = split_word(rest);
                if target.is_empty() {
                    return Reply::say(lang.tr_args(
                        "prompt-which-item",
                        &[
                            ("word", typed.to_string().into()),
                            ("open", self.open_summary().into()),
                        ],
                    ));
                }
                match self.resolve(target) {
                    Some(number) => self.answer(number, word, reason),
                    None => Reply::say(
                        self.late(target)
                            .unwrap_or_else(|| self.not_open(&format!("`{target}`"))),
                    ),
                }
            }
            _ => Reply::say(lang.tr_args(
                "prompt-unknown-command",
                &[
                    ("command", typed.to_string().into()),
                    ("help", typed_word(lang, "help").into()),
                ],
            )),
        }
    }

    /// Maps a command word to an answer for item `number`, or explains
    /// what that item accepts.
    fn answer(&mut self, number: u32, word: &str, reason: &str) -> Reply {
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
    fn finish(&mut self, answer: Answer, reason: Option<String>) -> Reply {
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
                .and_then(|r| super::restore_point::read(r, now, &zone).ok())
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

    fn note(&mut self, rest: &str) -> Reply {
        let (first, text) = split_word(rest);
        let (step, text) = match first.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) => match self.open.get(&n) {
                Some(item) => (Some(item.question.step()), text),
                None => return Reply::say(self.not_open(&format!("#{n}"))),
            },
            None => (None, rest),
        };
        if text.is_empty() {
            return Reply::tr(self.lang, "prompt-nothing-to-note");
        }
        Reply::send(OperatorInput::Note {
            text: text.to_string(),
            step,
            by: self.operator.clone(),
        })
    }

    /// `action OWNER DUE TEXT`: a corrective action for the debrief.
    fn action(&self, rest: &str) -> Reply {
        let (owner, rest) = split_word(rest);
        let (due, text) = split_word(rest);
        if owner.is_empty() || due.is_empty() || text.is_empty() {
            return Reply::tr(self.lang, "prompt-action-usage");
        }
        let Ok(due) = due.parse::<jiff::civil::Date>() else {
            return Reply::say(
                self.lang
                    .tr_args("prompt-not-a-date", &[("due", due.to_string().into())]),
            );
        };
        Reply::send(OperatorInput::Action {
            owner: owner.to_string(),
            due,
            text: text.to_string(),
            step: None,
            by: self.operator.clone(),
        })
    }

    /// An item number (`2`, `#2`) or the id of a step with an open item.
    fn resolve(&self, target: &str) -> Option<u32> {
        let target = target.strip_prefix('#').unwrap_or(target);
        if let Ok(n) = target.parse::<u32>() {
            return self.open.contains_key(&n).then_some(n);
        }
        self.open
            .values()
            .find(|i| self.ids.get(i.question.step().get()).map(String::as_str) == Some(target))
            .map(|i| i.number)
    }

    /// What to say to an answer for an item another terminal recorded.
    fn late(&self, target: &str) -> Option<String> {
        let t = target.strip_prefix('#').unwrap_or(target);
        let number = match t.parse::<u32>() {
            Ok(n) => n,
            Err(_) => self.ids.iter().position(|i| i == t)? as u32 + 1,
        };
        self.recorded.get(&number).cloned()
    }

    /// Any step, open or not: an open item's number, a step's item number
    /// (its position in the runbook) or its id.
    fn resolve_step(&self, target: &str) -> Option<StepIndex> {
        if let Some(n) = self.resolve(target) {
            return Some(self.open[&n].question.step());
        }
        StepIndex::resolve(target, &self.ids)
    }

    /// `` `x` is not an open item; open: … ``.
    fn not_open(&self, what: &str) -> String {
        self.lang.tr_args(
            "prompt-not-open",
            &[
                ("what", what.to_string().into()),
                ("open", self.open_summary().into()),
            ],
        )
    }

    fn describe(&self, number: u32) -> String {
        let item = &self.open[&number];
        let id = self
            .ids
            .get(item.question.step().get())
            .map_or("?", String::as_str);
        let (kind, exit) = match &item.question {
            Question::Manual { .. } => ("manual", String::new()),
            Question::Confirm { .. } => ("confirm", String::new()),
            Question::Failed { exit, .. } => ("failed", exit_words(&exit.ending, self.lang)),
            Question::Rollback { .. } => ("rollback", String::new()),
            Question::Interrupted { .. } => ("interrupted", String::new()),
        };
        self.lang.tr_args(
            &format!("prompt-item-{kind}"),
            &[("id", id.to_string().into()), ("exit", exit.into())],
        )
    }

    /// `open: #1 call-vendor (manual step), #3 …` or `nothing is open`.
    pub fn open_summary(&self) -> String {
        if self.open.is_empty() {
            return self.lang.tr("prompt-nothing-open");
        }
        let items: Vec<String> = self
            .open
            .keys()
            .map(|n| format!("#{n} {}", self.describe(*n)))
            .collect();
        self.lang
            .tr_args("prompt-open", &[("items", items.join(", ").into())])
    }

    /// One line per open item with what it accepts.
    pub fn list_lines(&self) -> Vec<String> {
        let operator =
            || -> [(&'static str, _); 1] { [("operator", self.operator.name.clone().into())] };
        if self.open.is_empty() {
            return vec![self.lang.tr_args("prompt-list-none", &operator())];
        }
        let mut lines = vec![self.lang.tr_args("prompt-list-head", &operator())];
        for (n, item) in &self.open {
            lines.push(format!(
                "  {}",
                self.lang.tr_args(
                    "prompt-item-takes",
                    &[
                        ("item", format!("#{n} {}", self.describe(*n)).into()),
                        ("words", accepted(&item.question, *n, self.lang).into()),
                    ],
                )
            ));
            if let Question::Confirm { step } = &item.question
                && let Some(details) = self.confirm_details.get(step.get())
            {
                lines.extend(details.iter().map(|l| format!("  {l}")));
            }
        }
        lines
    }
}

fn needs_reason(answer: &Answer) -> bool {
    match answer {
        Answer::Abort | Answer::Refuse { .. } => true,
        Answer::Record { outcome, .. } => *outcome != Outcome::Done,
        Answer::Decide { decision, .. } => *decision != Decision::Run,
    }
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (s, ""),
    }
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

mod words;

pub use words::{
    COMMANDS, HELP, accepted, command_of, exit_words, help_entries, suggested, typed_word,
};
use words::{confirm_details, decision_verb, help_lines};

#[cfg(test)]
mod tests;
