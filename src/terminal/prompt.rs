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
use std::sync::Arc;

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

/// Who recorded a step, when and how: shared by every terminal's
/// session, told to a late answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The declared name of whoever recorded it.
    pub by: String,
    /// When it was recorded.
    pub at: jiff::Timestamp,
    /// The outcome, in the drill's words (`done`, `faite`).
    pub what: String,
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
    /// Items closed because another terminal recorded them: who was
    /// first, said only to someone who answers them late (`already
    /// recorded by…`; every step's end reaches every terminal, most are
    /// never answered late).
    recorded: BTreeMap<u32, Arc<Recorded>>,
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
    pub fn recorded(&mut self, step: StepIndex, first: &Arc<Recorded>) {
        self.close(step);
        self.recorded.insert(step.number(), Arc::clone(first));
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
            Pending::RestorePoint { number, .. } => super::restore_point::question(*number, lang),
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

mod answer;
mod command;
mod items;
pub(crate) mod words;

pub use words::{
    COMMANDS, accepted, command_of, ending_words, exit_words, help_commands, help_entries,
    suggested, typed_word,
};
use words::{confirm_details, decision_verb, help_lines};

#[cfg(test)]
mod tests;
