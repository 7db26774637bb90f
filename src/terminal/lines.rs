//! Every line the terminal shows, as pure functions of the drill's state
//! and an explicit `now`, so that each can be snapshot-tested with fixed
//! times. Colour is a parameter ([`Palette`]): the same functions serve the
//! live view and the plain, escape-free output.

use std::time::Duration as StdDuration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::escape;
use crate::event::{Decision, Event, Outcome};
use crate::runbook::{Duration, Rollback, Runbook, Step, StepKind};
use crate::timeline::{Outlook, StepRecord, StepState, Timeline};

use super::prompt::exit_words;

mod events;
mod questions;
#[cfg(test)]
pub(crate) mod tests;

pub use events::{Show, event_lines};
pub use questions::{before_command, command_lines, markdown_text, question_lines};

/// Colours, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Emit ANSI escape codes.
    pub color: bool,
}

impl Palette {
    pub(crate) fn paint(self, text: impl std::fmt::Display, style: console::Style) -> String {
        style.force_styling(self.color).apply_to(text).to_string()
    }
    pub(crate) fn good(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().green())
    }
    pub(crate) fn bad(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().red().bold())
    }
    pub(crate) fn warn(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().yellow().bold())
    }
    pub(crate) fn dim(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().dim())
    }
    pub(crate) fn bold(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().bold())
    }
    pub(crate) fn key(self, text: impl std::fmt::Display) -> String {
        self.paint(text, console::Style::new().cyan().bold())
    }
}

/// What the terminal knows about a step beyond the plan in `run_started`:
/// what to tell the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInfo {
    /// Step id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Role.
    pub role: Option<String>,
    /// Estimate.
    pub estimate: Option<Duration>,
    /// Kind.
    pub kind: StepKind,
    /// Markdown instructions.
    pub instructions: Option<String>,
    /// The command as an operator would type it (several lines for a
    /// shell script).
    pub command: Option<String>,
    /// How to undo it: a command line or instructions.
    pub rollback: Option<String>,
    /// The hosts a remote step runs on (empty: this machine).
    pub hosts: Vec<String>,
}

impl StepInfo {
    /// One entry per step of `runbook`, in file order.
    pub fn all(runbook: &Runbook) -> Vec<StepInfo> {
        runbook.steps.iter().map(StepInfo::of).collect()
    }

    /// What to tell the operator about `s`.
    pub fn of(s: &Step) -> StepInfo {
        StepInfo {
            // Runbook text, escaped: it is shown on a terminal.
            id: s.id.as_str().to_string(),
            title: escape::line(&s.title).into_owned(),
            role: s.role.as_deref().map(|r| escape::line(r).into_owned()),
            estimate: s.estimate.map(|e| e.value),
            kind: s.kind(),
            instructions: s
                .instructions
                .as_deref()
                .map(|i| escape::text(i).into_owned()),
            command: s
                .run
                .as_ref()
                .map(|c| escape::text(&c.value.to_string()).into_owned()),
            rollback: s.rollback.as_ref().map(|r| match r {
                Rollback::Command(c) => escape::text(&c.value.to_string()).into_owned(),
                Rollback::Instructions(i) => escape::text(&i.value).into_owned(),
            }),
            hosts: s
                .hosts
                .iter()
                .map(|h| escape::line(&h.value).into_owned())
                .collect(),
        }
    }
}

impl StepInfo {
    /// What to tell the operator about a step added during the drill
    /// (`step_added`), once the timeline has it as `rec`.
    pub fn added(event: &Event, rec: &StepRecord) -> StepInfo {
        let run = match event {
            Event::StepAdded { added, .. } => added.run.clone(),
            _ => None,
        };
        StepInfo {
            id: rec.id().to_string(),
            title: escape::line(&rec.planned.title).into_owned(),
            role: rec
                .planned
                .role
                .as_deref()
                .map(|r| escape::line(r).into_owned()),
            estimate: rec.planned.estimate,
            kind: rec.planned.kind,
            instructions: None,
            command: run.map(|c| escape::line(&c).into_owned()),
            rollback: None,
            hosts: Vec::new(),
        }
    }
}

/// `08:14:02` in `tz`.
pub fn clock(t: Timestamp, tz: &TimeZone) -> String {
    tz.to_datetime(t).strftime("%H:%M:%S").to_string()
}

/// A length of time in runbook notation (`2m13s`), whole seconds.
pub fn length(d: StdDuration) -> String {
    Duration::from_secs(d.as_secs()).to_string()
}

/// `recovery forecast to end at 04:20 (in 5h02m), 20m past the RTO`: the
/// forecast end (`when`, as the caller writes times) against the RTO, with
/// the steps left that have no estimate (the forecast counts them as no
/// time). Shown when an estimate is revised, and by `status`.
pub fn outlook_words(o: &Outlook, now: Timestamp, when: &str, p: Palette) -> String {
    let left = length(o.end.duration_since(now).unsigned_abs());
    let rto = match o.margin {
        Some(m) if m.is_negative() => {
            format!(
                ", {}",
                p.bad(format!("{} past the RTO", length(m.unsigned_abs())))
            )
        }
        Some(m) => format!(", {} within the RTO", length(m.unsigned_abs())),
        None => String::new(),
    };
    let unestimated = match o.unestimated {
        0 => String::new(),
        1 => " (1 step without estimate counted as no time)".to_string(),
        n => format!(" ({n} steps without estimate counted as no time)"),
    };
    format!("recovery forecast to end at {when} (in {left}){rto}{unestimated}")
}

/// `2m13s / est 5m`, with the overrun standing out: `7m / est 5m +2m over`.
pub fn against(elapsed: StdDuration, estimate: Option<Duration>, p: Palette) -> String {
    match estimate {
        None => length(elapsed),
        Some(est) => {
            let est_std = est.to_std();
            let text = format!("{} / est {est}", length(elapsed));
            if elapsed.as_secs() > est_std.as_secs() {
                format!(
                    "{} {}",
                    p.warn(text),
                    p.warn(format!("+{} over", length(elapsed - est_std)))
                )
            } else {
                text
            }
        }
    }
}

/// The line of a step that is running, open, or waiting for an answer;
/// `None` for a step with nothing to show (pending, ended, or ready and
/// waiting for a free job slot). `number` is the step's item number,
/// `open` whether a question about it waits for the operator.
pub fn item_line(
    rec: &StepRecord,
    number: u32,
    open: bool,
    last_output: Option<&str>,
    now: Timestamp,
    p: Palette,
) -> Option<String> {
    let tag = p.key(format!("#{number}"));
    let id = p.bold(rec.id());
    let elapsed = rec.duration(now).unwrap_or_default();
    let timing = against(elapsed, rec.planned.estimate, p);
    let title = &rec.planned.title;
    let line = match rec.state {
        // Only an interrupted step (a resumed drill) is asked about while
        // its journal says it runs.
        StepState::Running { .. } if open => format!(
            "{tag} ? {id}  {title}  was running when the drill stopped: answer {} (`list`)",
            p.key(format!("#{number}"))
        ),
        StepState::Running { attempt } => {
            let attempt = if attempt > 1 {
                format!(" (attempt {attempt})")
            } else {
                String::new()
            };
            let out = last_output.map_or(String::new(), |l| format!("  {} {l}", p.dim("│")));
            format!("{tag} ▶ {id}  {title}{attempt}  {timing}{out}")
        }
        StepState::Ready if rec.planned.kind == StepKind::Manual => {
            let role = rec
                .planned
                .role
                .as_ref()
                .map_or(String::new(), |r| format!(" ({r})"));
            format!("{tag} ☐ {id}  {title}{role}  {timing}")
        }
        // A command ready but not started: shown only while it waits for
        // the operator (a confirmation), not for a free job slot.
        StepState::Ready if open => format!(
            "{tag} ? {id}  {title}  waiting for {}",
            p.key(format!("run {number}"))
        ),
        StepState::Ready => return None,
        StepState::AttemptFailed { attempt } => {
            let exit = rec
                .attempts
                .last()
                .map(|a| exit_words(&a.ending))
                .unwrap_or_default();
            let next = if open {
                format!("answer #{number} (`list`)")
            } else {
                "retrying".to_string()
            };
            format!(
                "{tag} {} {id}  {title}  attempt {attempt} failed{exit}, {next}  {timing}",
                p.bad("✘")
            )
        }
        StepState::Finished(_) | StepState::Pending => {
            // A rollback question is about a step that ended long ago.
            if !open {
                return None;
            }
            let n = number;
            format!(
                "{tag} ↩ {id}  {title}  rollback waiting for {} or {}",
                p.key(format!("run {n}")),
                p.key(format!("skip {n}"))
            )
        }
    };
    Some(line)
}

/// The overall line: steps ended out of the total, what is running or
/// waiting, and the elapsed time against the RTO.
pub fn overall_line(tl: &Timeline, open_items: usize, now: Timestamp, p: Palette) -> String {
    let Some(h) = &tl.header else {
        return "starting…".to_string();
    };
    let total = tl.steps.len();
    let ended = tl.steps.iter().filter(|s| s.outcome().is_some()).count();
    let failed = tl
        .steps
        .iter()
        .filter(|s| s.outcome() == Some(Outcome::Failed))
        .count();
    let running = tl
        .steps
        .iter()
        .filter(|s| matches!(s.state, StepState::Running { .. }))
        .count();
    let mut parts = vec![format!("{ended}/{total} steps ended")];
    if failed > 0 {
        parts.push(p.bad(format!("{failed} failed")));
    }
    if running > 0 {
        parts.push(format!("{running} running"));
    }
    if open_items > 0 {
        parts.push(p.key(format!("{open_items} waiting for you")));
    }
    let elapsed = tl.elapsed(now).unwrap_or_default();
    let time = match h.rto {
        Some(rto) if elapsed > rto.to_std() => format!(
            "{} {}",
            p.bad(format!("{} / RTO {rto}", length(elapsed))),
            p.bad(format!("+{} over", length(elapsed - rto.to_std())))
        ),
        Some(rto) => format!("{} / RTO {rto}", length(elapsed)),
        None => format!("{} elapsed", length(elapsed)),
    };
    parts.push(time);
    format!("{} {}", p.bold(h.mode), parts.join(" · "))
}

/// The last lines of a command's output, indented under its step.
pub fn tail_lines(tail: &[String], p: Palette) -> Vec<String> {
    tail.iter()
        .map(|l| format!("    {} {}", p.dim("│"), escape::line(l)))
        .collect()
}

/// A decision in words (`mark done`, `roll back`), as the terminal and
/// `reprise status` show it.
pub fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Run => "run",
        Decision::Retry => "retry",
        Decision::RetryAll => "retry on every host",
        Decision::MarkDone => "mark done",
        Decision::MarkFailed => "mark failed",
        Decision::Skip => "skip",
        Decision::Continue => "continue",
        Decision::Abort => "abort",
        Decision::Rollback => "roll back",
    }
}
