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
use crate::identity::Identity;
use crate::runbook::{Runbook, StepIndex};

/// The default prompt.
pub const PROMPT: &str = "reprise> ";

/// The question asked on the first Ctrl-C.
pub const ABORT_QUESTION: &str = "abort the drill? (type a reason, or press Enter to go on) ";

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
}

/// The prompt's state. See the module documentation.
#[derive(Debug, Clone)]
pub struct Session {
    operator: Identity,
    ids: Vec<String>,
    /// For steps with `confirm`: what `list` shows under their item before
    /// the command (role, hosts, instructions), by step index.
    confirm_details: Vec<Vec<String>>,
    open: BTreeMap<u32, Item>,
    pending: Pending,
    /// Items closed because another terminal recorded them: what to tell
    /// someone who answers them late (`already recorded by…`).
    recorded: BTreeMap<u32, String>,
}

/// The words the prompt understands, for `help` and for error messages.
pub const HELP: &[(&str, &str)] = &[
    (
        "done N",
        "manual step N is done (a manual rollback: it was carried out)",
    ),
    ("fail N [REASON]", "manual step N failed"),
    (
        "skip N [REASON]",
        "leave step N (or rollback N) out; dependents go on",
    ),
    (
        "run N",
        "run the command of N (a confirmation, a rollback, an interrupted step)",
    ),
    ("retry N [REASON]", "run failed step N again"),
    (
        "mark-done N [REASON]",
        "mark failed or interrupted step N done by hand",
    ),
    ("mark-failed N [REASON]", "mark interrupted step N failed"),
    (
        "continue N [REASON]",
        "leave failed step N failed; its dependents go on",
    ),
    (
        "rollback N [REASON]",
        "abort and undo the completed steps (failed step N)",
    ),
    (
        "abort [N] [REASON]",
        "stop the drill (N: about failed step N)",
    ),
    (
        "refuse N [REASON]",
        "refuse to approve step N (a step needing approvals); it stays waiting",
    ),
    (
        "add TITLE; after N; before N; reason WHY[; run CMD]",
        "add an unplanned step (also role, estimate, timeout); a command runs once confirmed",
    ),
    (
        "cancel N REASON",
        "step N is not needed: skipped, dependents go on",
    ),
    (
        "estimate N DURATION|until TIME REASON",
        "a new estimate for step N (2h, or until 2026-12-07T14:00)",
    ),
    (
        "assign N ROLE|ACCOUNT REASON",
        "hand step N to another role or person",
    ),
    ("note [#N] TEXT", "record an observation (about item N)"),
    (
        "action OWNER DUE TEXT",
        "record a corrective action (DUE as YYYY-MM-DD) for the debrief",
    ),
    (
        "handover NAME [NOTE]",
        "hand over to NAME: later records are theirs",
    ),
    (
        "hold REASON",
        "no new step starts until `release` (running ones finish)",
    ),
    ("release", "end the hold: steps start again"),
    (
        "detach",
        "leave this terminal (also Ctrl-D); the drill goes on",
    ),
    ("list", "show the open items"),
    ("help", "show this list"),
];

impl Session {
    /// A session for `runbook`, with `operator` at the terminal.
    pub fn new(runbook: &Runbook, operator: &Identity) -> Self {
        Session {
            operator: operator.clone(),
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
                        confirm_details(s)
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            open: BTreeMap::new(),
            pending: Pending::Command,
            recorded: BTreeMap::new(),
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
        let message = crate::exec::engine::already_recorded(number, id, by, at, what);
        self.recorded.insert(number, message);
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
        if let Pending::Reason(Answer::Record { number: n, .. } | Answer::Decide { number: n, .. }) =
            self.pending
            && n == number
        {
            self.pending = Pending::Command;
        }
        Some(number)
    }

    /// What to show before the cursor.
    pub fn prompt(&self) -> String {
        match &self.pending {
            Pending::Command => PROMPT.to_string(),
            Pending::AbortQuestion => ABORT_QUESTION.to_string(),
            Pending::Reason(answer) => match answer {
                Answer::Abort => "why abort the drill? (Enter to cancel) ".to_string(),
                Answer::Record { number, outcome } => match outcome {
                    Outcome::Failed => format!("why did #{number} fail? (Enter to cancel) "),
                    Outcome::Skipped => format!("why skip #{number}? (Enter to cancel) "),
                    other => format!("why is #{number} {other}? (Enter to cancel) "),
                },
                Answer::Decide { number, decision } => format!(
                    "why {} #{number}? (Enter to cancel) ",
                    decision_verb(*decision)
                ),
                Answer::Refuse { number } => {
                    format!("why refuse #{number}? (Enter to cancel) ")
                }
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
                    Reply::say("going on")
                } else {
                    Reply::send(OperatorInput::Abort {
                        by: self.operator.clone(),
                        reason: Some(line.to_string()),
                    })
                }
            }
            Pending::Reason(answer) => {
                if line.is_empty() {
                    Reply::say("cancelled: nothing recorded")
                } else {
                    self.finish(answer, Some(line.to_string()))
                }
            }
            Pending::Command => self.command(line),
        }
    }

    fn command(&mut self, line: &str) -> Reply {
        let (word, rest) = split_word(line);
        match word {
            "" => Reply::default(),
            "help" | "?" => Reply {
                inputs: Vec::new(),
                text: help_lines(),
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
                text: vec![
                    "detached: the drill goes on in this process; follow it with `reprise status JOURNAL --follow`"
                        .into(),
                ],
            },
            "hold" => {
                if rest.trim().is_empty() {
                    return Reply::say(
                        "why hold? type `hold REASON` (e.g. `hold we stop tonight, restart at 7:00`)",
                    );
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
                    return Reply::say("who takes over? type `handover NAME [NOTE]`");
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
                    return Reply::say(format!(
                        "which item? type `{word} N`; {}",
                        self.open_summary()
                    ));
                }
                match self.resolve(target) {
                    Some(number) => self.answer(number, word, reason),
                    None => Reply::say(self.late(target).unwrap_or_else(|| {
                        format!("`{target}` is not an open item; {}", self.open_summary())
                    })),
                }
            }
            other => Reply::say(format!(
                "unknown command `{other}`: type `help` for the list"
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
            None => Reply::say(format!(
                "#{number} {}: type {}",
                self.describe(number),
                accepted(question, number)
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
                None => Reply::say(format!("#{number} is no longer open: nothing recorded")),
            },
            Answer::Decide { number, decision } => match self.open.remove(&number) {
                Some(item) => Reply::send(OperatorInput::Decide {
                    step: item.question.step(),
                    decision,
                    reason,
                    by,
                    auto: false,
                }),
                None => Reply::say(format!("#{number} is no longer open: nothing recorded")),
            },
            Answer::Refuse { number } => match self.open.remove(&number) {
                Some(item) => Reply::send(OperatorInput::Refuse {
                    step: item.question.step(),
                    reason,
                    by,
                }),
                None => Reply::say(format!("#{number} is no longer open: nothing recorded")),
            },
        }
    }

    fn note(&mut self, rest: &str) -> Reply {
        let (first, text) = split_word(rest);
        let (step, text) = match first.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) => match self.open.get(&n) {
                Some(item) => (Some(item.question.step()), text),
                None => {
                    return Reply::say(format!(
                        "#{n} is not an open item; {}",
                        self.open_summary()
                    ));
                }
            },
            None => (None, rest),
        };
        if text.is_empty() {
            return Reply::say("nothing to note: type `note TEXT`");
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
            return Reply::say("type `action OWNER DUE TEXT`, DUE as YYYY-MM-DD");
        }
        let Ok(due) = due.parse::<jiff::civil::Date>() else {
            return Reply::say(format!("`{due}` is not a date: write DUE as YYYY-MM-DD"));
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

    fn describe(&self, number: u32) -> String {
        let item = &self.open[&number];
        let id = self
            .ids
            .get(item.question.step().get())
            .map_or("?", String::as_str);
        match &item.question {
            Question::Manual { .. } => format!("{id} (manual step)"),
            Question::Confirm { .. } => format!("{id} (waiting for confirmation)"),
            Question::Failed { exit, .. } => format!("{id} (failed{})", exit_words(exit)),
            Question::Rollback { .. } => format!("{id} (rollback)"),
            Question::Interrupted { .. } => format!("{id} (interrupted)"),
        }
    }

    /// `open: #1 call-vendor (manual step), #3 …` or `nothing is open`.
    pub fn open_summary(&self) -> String {
        if self.open.is_empty() {
            return "nothing is open".to_string();
        }
        let items: Vec<String> = self
            .open
            .keys()
            .map(|n| format!("#{n} {}", self.describe(*n)))
            .collect();
        format!("open: {}", items.join(", "))
    }

    /// One line per open item with what it accepts.
    pub fn list_lines(&self) -> Vec<String> {
        if self.open.is_empty() {
            return vec![format!(
                "nothing is open (operator: {})",
                self.operator.name
            )];
        }
        let mut lines = vec![format!("open items (operator: {}):", self.operator.name)];
        for (n, item) in &self.open {
            lines.push(format!(
                "  #{n} {}: type {}",
                self.describe(*n),
                accepted(&item.question, *n)
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

/// A confirmation's role, hosts, instructions and command, indented, as
/// `list` shows them under its item.
fn confirm_details(step: &crate::runbook::Step) -> Vec<String> {
    let info = super::lines::StepInfo::of(step);
    let mut lines = Vec::new();
    if let Some(role) = &info.role {
        lines.push(format!("    role: {role}"));
    }
    lines.extend(super::lines::before_command(&info));
    lines
}

/// The commands an item accepts, ready to type.
pub fn accepted(question: &Question, n: u32) -> String {
    let words: &[&str] = match question {
        Question::Manual { .. } => &["done", "fail", "skip"],
        Question::Confirm { .. } => &["run", "skip"],
        Question::Failed { .. } => &[
            "retry",
            "mark-done",
            "skip",
            "continue",
            "abort",
            "rollback",
        ],
        Question::Rollback { .. } => &["run", "skip"],
        Question::Interrupted { .. } => &["run", "mark-done", "mark-failed"],
    };
    let mut words: Vec<String> = words.iter().map(|w| format!("`{w} {n}`")).collect();
    if !question.hosts().is_empty() {
        // A remote step: `retry`/`run` only where it is not done yet.
        words.insert(1, format!("`retry-all {n}`"));
    }
    words.join(", ")
}

/// What an item accepts, the first with the step id as well (the prompt
/// takes either): `` `done 3` (or `done call-vendor`), `fail 3`, `skip 3` ``.
pub fn suggested(question: &Question, n: u32, id: &str) -> String {
    let all = accepted(question, n);
    let first = all.split(", ").next().unwrap_or_default();
    let word = first
        .trim_matches('`')
        .split(' ')
        .next()
        .unwrap_or_default();
    let with_id = format!("{first} (or `{word} {id}`)");
    all.replacen(first, &with_id, 1)
}

/// `, exit 2`, `, timed out`… for a failed attempt.
pub fn exit_words(exit: &crate::exec::Exit) -> String {
    let mut out = String::new();
    if let Some(code) = exit.exit_code {
        out.push_str(&format!(", exit {code}"));
    }
    if let Some(signal) = &exit.signal {
        out.push_str(&format!(", killed by {signal}"));
    }
    if exit.timed_out {
        out.push_str(", timed out");
    }
    if let Some(error) = &exit.error {
        out.push_str(&format!(", {error}"));
    }
    out
}

fn help_lines() -> Vec<String> {
    let width = HELP.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut lines = vec![
        "N is an item number (shown as #N) or a step id; a missing REASON is asked for."
            .to_string(),
    ];
    lines.extend(HELP.iter().map(|(c, d)| format!("  {c:width$}  {d}")));
    lines.push("  Ctrl-C asks whether to abort; Ctrl-C again while asked forces it.".to_string());
    lines
}

fn needs_reason(answer: &Answer) -> bool {
    match answer {
        Answer::Abort | Answer::Refuse { .. } => true,
        Answer::Record { outcome, .. } => *outcome != Outcome::Done,
        Answer::Decide { decision, .. } => *decision != Decision::Run,
    }
}

fn decision_verb(decision: Decision) -> &'static str {
    match decision {
        Decision::Run => "run",
        Decision::Retry => "retry",
        Decision::RetryAll => "retry on every host",
        Decision::MarkDone => "mark done",
        Decision::MarkFailed => "mark failed",
        Decision::Skip => "skip",
        Decision::Continue => "continue past",
        Decision::Abort => "abort at",
        Decision::Rollback => "roll back at",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Exit;
    use crate::terminal::test_runbook;

    fn session() -> Session {
        Session::new(&test_runbook(), &"alice".into())
    }

    const MANUAL_A: StepIndex = StepIndex(0);
    const MANUAL_B: StepIndex = StepIndex(1);
    const COMMAND: StepIndex = StepIndex(2);

    #[test]
    fn items_answer_in_any_order_by_number_or_id() {
        let mut s = session();
        assert_eq!(s.ask(&Question::Manual { step: MANUAL_A }), 1);
        assert_eq!(s.ask(&Question::Manual { step: MANUAL_B }), 2);
        let r = s.line("done 2");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Record {
                step: MANUAL_B,
                outcome: Outcome::Done,
                reason: None,
                by: "alice".into(),
                auto: false,
            }]
        );
        let r = s.line("  done   call-vendor ");
        assert_eq!(r.inputs.len(), 1, "{r:?}");
        assert!(matches!(
            r.inputs[0],
            OperatorInput::Record { step: MANUAL_A, .. }
        ));
        assert_eq!(s.items().count(), 0);
        // A closed item cannot be answered again.
        let r = s.line("done 1");
        assert!(r.inputs.is_empty());
        assert!(r.text[0].contains("not an open item"), "{r:?}");
    }

    #[test]
    fn an_item_keeps_its_steps_number_whatever_opens_first() {
        let mut s = session();
        // The command's question opens first: it is still #3.
        let failed = Question::Failed {
            step: COMMAND,
            exit: Exit::default(),
            hosts: vec![],
        };
        assert_eq!(s.ask(&failed), 3);
        assert_eq!(s.ask(&Question::Manual { step: MANUAL_B }), 2);
        s.line("done 2");
        assert!(
            s.line("done 2").inputs.is_empty(),
            "closed items stay closed"
        );
        // Asked again (a retry failed again): the same number.
        s.line("retry 3 port held");
        assert_eq!(s.ask(&failed), 3);
        assert_eq!(s.number_of(COMMAND), Some(3));
        assert!(s.line("done 1").inputs.is_empty(), "#1 was never opened");
    }

    #[test]
    fn numbers_are_one_based_file_order() {
        assert_eq!(StepIndex(0).number(), 1);
        assert_eq!(StepIndex(41).number(), 42);
        assert_eq!(StepIndex::from_number(42), Some(StepIndex(41)));
        assert_eq!(StepIndex::from_number(0), None);
    }

    #[test]
    fn a_deviation_without_reason_asks_for_one() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_A });
        let r = s.line("skip 1");
        assert!(r.inputs.is_empty());
        assert_eq!(s.prompt(), "why skip #1? (Enter to cancel) ");
        let r = s.line("vendor unreachable");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Record {
                step: MANUAL_A,
                outcome: Outcome::Skipped,
                reason: Some("vendor unreachable".into()),
                by: "alice".into(),
                auto: false,
            }]
        );
        assert_eq!(s.prompt(), PROMPT);
    }

    #[test]
    fn an_empty_reason_cancels() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_A });
        s.line("fail 1");
        let r = s.line("");
        assert!(r.inputs.is_empty());
        assert_eq!(r.text, vec!["cancelled: nothing recorded"]);
        // Still open.
        assert_eq!(s.number_of(MANUAL_A), Some(1));
    }

    #[test]
    fn failed_steps_take_every_decision_with_a_reason() {
        for (word, decision) in [
            ("retry", Decision::Retry),
            ("mark-done", Decision::MarkDone),
            ("skip", Decision::Skip),
            ("continue", Decision::Continue),
            ("abort", Decision::Abort),
            ("rollback", Decision::Rollback),
        ] {
            let mut s = session();
            s.ask(&Question::Failed {
                step: COMMAND,
                exit: Exit::default(),
                hosts: vec![],
            });
            let r = s.line(&format!("{word} 3 disk was full"));
            assert_eq!(
                r.inputs,
                vec![OperatorInput::Decide {
                    step: COMMAND,
                    decision,
                    reason: Some("disk was full".into()),
                    by: "alice".into(),
                    auto: false,
                }],
                "{word}"
            );
        }
    }

    #[test]
    fn a_word_an_item_does_not_take_says_what_it_takes() {
        let mut s = session();
        s.ask(&Question::Confirm { step: COMMAND });
        let r = s.line("done 3");
        assert!(r.inputs.is_empty());
        assert_eq!(
            r.text,
            vec!["#3 restart-app (waiting for confirmation): type `run 3`, `skip 3`"]
        );
        let r = s.line("run 3");
        assert!(matches!(
            r.inputs[..],
            [OperatorInput::Decide {
                decision: Decision::Run,
                reason: None,
                ..
            }]
        ));
    }

    #[test]
    fn handover_changes_who_records() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_A });
        let r = s.line("handover bob night shift");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Handover {
                to: "bob".into(),
                note: Some("night shift".into()),
                by: "alice".into(),
            }]
        );
        let r = s.line("done 1");
        assert!(matches!(&r.inputs[..], [OperatorInput::Record { by, .. }] if by.name == "bob"));
        let r = s.line("note all good");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Note {
                text: "all good".into(),
                step: None,
                by: "bob".into()
            }]
        );
    }

    #[test]
    fn notes_can_name_an_item() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_B });
        let r = s.line("note #2 vendor called back");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Note {
                text: "vendor called back".into(),
                step: Some(MANUAL_B),
                by: "alice".into()
            }]
        );
        // Without `#`, a number is just text.
        let r = s.line("note 3 servers rebooted");
        assert!(
            matches!(&r.inputs[..], [OperatorInput::Note { step: None, text, .. }] if text == "3 servers rebooted")
        );
    }

    #[test]
    fn first_ctrl_c_asks_second_forces() {
        let mut s = session();
        assert_eq!(s.interrupted(), Interrupt::Asking);
        assert_eq!(s.prompt(), ABORT_QUESTION);
        assert_eq!(s.line("").text, vec!["going on"]);
        assert_eq!(s.prompt(), PROMPT);
        assert_eq!(s.interrupted(), Interrupt::Asking);
        let r = s.line("site is down");
        assert_eq!(
            r.inputs,
            vec![OperatorInput::Abort {
                by: "alice".into(),
                reason: Some("site is down".into())
            }]
        );
        assert_eq!(s.interrupted(), Interrupt::Asking);
        assert_eq!(s.interrupted(), Interrupt::Abort);
    }

    #[test]
    fn abort_asks_for_a_reason() {
        let mut s = session();
        assert!(s.line("abort").inputs.is_empty());
        assert_eq!(s.prompt(), "why abort the drill? (Enter to cancel) ");
        let r = s.line("wrong runbook");
        assert!(
            matches!(&r.inputs[..], [OperatorInput::Abort { reason: Some(r), .. }] if r == "wrong runbook")
        );
    }

    #[test]
    fn a_retracted_item_drops_its_pending_reason() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_A });
        s.line("skip 1");
        assert_eq!(s.close(MANUAL_A), Some(1));
        assert_eq!(s.prompt(), PROMPT);
        assert!(s.line("too late").inputs.is_empty());
    }

    #[test]
    fn help_lists_every_command() {
        let mut s = session();
        let text = s.line("help").text.join("\n");
        for (command, _) in HELP {
            assert!(text.contains(command), "{command} missing from help");
        }
        assert!(s.line("frobnicate 2").text[0].contains("unknown command `frobnicate`"));
    }

    #[test]
    fn list_shows_a_confirmations_instructions_before_its_command() {
        let mut rb = test_runbook();
        rb.steps[2].confirm = true;
        rb.steps[2].role = Some("ops".into());
        rb.steps[2].instructions = Some("Production! only after the DBA's go.".into());
        let mut s = Session::new(&rb, &"alice".into());
        s.ask(&Question::Confirm { step: COMMAND });
        insta::assert_snapshot!(s.line("list").text.join("\n"), @r"
        open items (operator: alice):
          #3 restart-app (waiting for confirmation): type `run 3`, `skip 3`
              role: ops
              Production! only after the DBA's go.
              command: systemctl restart app
        ");
    }

    #[test]
    fn list_shows_open_items_and_what_they_take() {
        let mut s = session();
        s.ask(&Question::Manual { step: MANUAL_A });
        s.ask(&Question::Failed {
            step: COMMAND,
            exit: Exit {
                exit_code: Some(2),
                ..Exit::default()
            },
            hosts: vec![],
        });
        insta::assert_snapshot!(s.line("list").text.join("\n"), @r"
        open items (operator: alice):
          #1 call-vendor (manual step): type `done 1`, `fail 1`, `skip 1`
          #3 restart-app (failed, exit 2): type `retry 3`, `mark-done 3`, `skip 3`, `continue 3`, `abort 3`, `rollback 3`
        ");
    }
}
