//! Every line the terminal shows, as pure functions of the drill's state
//! and an explicit `now`, so that each can be snapshot-tested with fixed
//! times. Colour is a parameter ([`Palette`]): the same functions serve the
//! live view and the plain, escape-free output.

use std::time::Duration as StdDuration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use fluent_templates::fluent_bundle::FluentValue;

use crate::escape;
use crate::event::{Decision, Event, Outcome};
use crate::i18n::Lang;
use crate::runbook::{Duration, Rollback, Runbook, Step, StepKind};
use crate::timeline::{Outlook, StepRecord, StepState, Timeline};

use super::prompt::exit_words;

mod events;
mod hosts;
mod questions;
#[cfg(test)]
pub(crate) mod tests;

pub use events::{Show, event_lines};
pub use hosts::summary as hosts_summary;
pub use questions::{before_command, command_lines, markdown_text, question_lines};

/// How lines are written: colours or none, and the drill's language
/// (every renderer already receives its palette, so the language travels
/// with it rather than as one more argument everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// Emit ANSI escape codes.
    pub color: bool,
    /// The language of reprise's own words (runbook and journal text is
    /// shown as written).
    pub lang: Lang,
}

impl Palette {
    /// No colours, English: logs, tests, `status`.
    pub const PLAIN: Palette = Palette {
        color: false,
        lang: Lang::En,
    };

    /// Colours when `color`, words in `lang`.
    pub fn new(color: bool, lang: Lang) -> Palette {
        Palette { color, lang }
    }

    /// The message `id` in the palette's language.
    pub fn tr(self, id: &str) -> String {
        self.lang.tr(id)
    }

    /// The message `id` with its arguments (text or numbers).
    pub fn say(self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        self.lang.tr_args(id, args)
    }

    /// A length of time as the language writes it: `2m13s`, « 2 min 13 s ».
    pub fn length(self, d: StdDuration) -> String {
        self.lang.duration(d.as_secs())
    }

    /// A runbook duration (an estimate, the RTO) as the language writes it.
    pub fn span(self, d: Duration) -> String {
        self.lang.duration(d.as_secs())
    }

    /// The word typed at the prompt for `command` (`done`, `run`…) in
    /// the palette's language: what the hints tell the operator to type.
    pub fn word(self, command: &str) -> String {
        super::prompt::typed_word(self.lang, command)
    }

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
    Lang::En.duration(d.as_secs())
}

/// `recovery forecast to end at 04:20 (in 5h02m), 20m past the RTO`: the
/// forecast end (`when`, as the caller writes times) against the RTO, with
/// the steps left that have no estimate (the forecast counts them as no
/// time). Shown when an estimate is revised, and by `status`.
pub fn outlook_words(o: &Outlook, now: Timestamp, when: &str, p: Palette) -> String {
    let left = p.length(o.end.duration_since(now).unsigned_abs());
    let rto = match o.margin {
        Some(m) if m.is_negative() => {
            let past = p.say(
                "live-past-rto",
                &[("time", p.length(m.unsigned_abs()).into())],
            );
            format!(", {}", p.bad(past))
        }
        Some(m) => format!(
            ", {}",
            p.say(
                "live-within-rto",
                &[("time", p.length(m.unsigned_abs()).into())]
            )
        ),
        None => String::new(),
    };
    let unestimated = match o.unestimated {
        0 => String::new(),
        n => p.say("live-unestimated", &[("count", n.into())]),
    };
    p.say(
        "live-forecast",
        &[
            ("when", when.to_string().into()),
            ("left", left.into()),
            ("rto", rto.into()),
            ("unestimated", unestimated.into()),
        ],
    )
}

/// `2m13s / est 5m`, with the overrun standing out: `7m / est 5m +2m over`.
pub fn against(elapsed: StdDuration, estimate: Option<Duration>, p: Palette) -> String {
    match estimate {
        None => p.length(elapsed),
        Some(est) => {
            let est_std = est.to_std();
            let text = p.say(
                "live-against",
                &[
                    ("time", p.length(elapsed).into()),
                    ("estimate", p.span(est).into()),
                ],
            );
            if elapsed.as_secs() > est_std.as_secs() {
                format!(
                    "{} {}",
                    p.warn(text),
                    p.warn(p.say("live-over", &[("time", p.length(elapsed - est_std).into())]))
                )
            } else {
                text
            }
        }
    }
}

/// `key N` painted: what to type, in the palette's language.
pub(crate) fn typed(p: Palette, command: &str, n: u32) -> String {
    p.key(format!("{} {n}", p.word(command)))
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
            "{tag} ? {id}  {title}  {}",
            p.say(
                "live-item-interrupted",
                &[
                    ("number", p.key(format!("#{number}")).into()),
                    ("list", p.word("list").into())
                ]
            )
        ),
        StepState::Running { attempt } => {
            let attempt = if attempt > 1 {
                p.say("live-item-attempt", &[("attempt", attempt.into())])
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
            "{tag} ? {id}  {title}  {}",
            p.say(
                "live-item-waiting-for",
                &[("what", typed(p, "run", number).into())]
            )
        ),
        StepState::Ready => return None,
        StepState::AttemptFailed { attempt } => {
            let exit = rec
                .attempts
                .last()
                .map(|a| exit_words(&a.ending, p.lang))
                .unwrap_or_default();
            let next = if open {
                p.say(
                    "live-item-answer",
                    &[("number", number.into()), ("list", p.word("list").into())],
                )
            } else {
                p.tr("live-item-retrying")
            };
            format!(
                "{tag} {} {id}  {title}  {}  {timing}",
                p.bad("✘"),
                p.say(
                    "live-item-attempt-failed",
                    &[
                        ("attempt", attempt.into()),
                        ("exit", exit.into()),
                        ("next", next.into())
                    ]
                )
            )
        }
        StepState::Finished(_) | StepState::Pending => {
            // A rollback question is about a step that ended long ago.
            if !open {
                return None;
            }
            format!(
                "{tag} ↩ {id}  {title}  {}",
                p.say(
                    "live-item-rollback",
                    &[
                        ("run", typed(p, "run", number).into()),
                        ("skip", typed(p, "skip", number).into())
                    ]
                )
            )
        }
    };
    Some(line)
}

/// `#N is open: type `list``, for a question about a step the terminal
/// does not know.
pub fn is_open(number: u32, p: Palette) -> String {
    p.say(
        "prompt-is-open",
        &[("number", number.into()), ("list", p.word("list").into())],
    )
}

/// An outcome in the palette's language (`done`, `faite`).
pub fn outcome_word(outcome: Outcome, p: Palette) -> String {
    p.tr(match outcome {
        Outcome::Done => "live-outcome-done",
        Outcome::Failed => "live-outcome-failed",
        Outcome::Skipped => "live-outcome-skipped",
        Outcome::Aborted => "live-outcome-aborted",
        Outcome::NotApplicable => "live-outcome-not-applicable",
    })
}

/// The drill's mode in the palette's language (`drill`, `exercice`).
pub fn mode_word(mode: crate::runbook::Mode, p: Palette) -> String {
    p.tr(match mode {
        crate::runbook::Mode::Drill => "summary-mode-drill",
        crate::runbook::Mode::Incident => "summary-mode-incident",
    })
}

/// The overall line: steps ended out of the total, what is running or
/// waiting, and the elapsed time against the RTO.
pub fn overall_line(tl: &Timeline, open_items: usize, now: Timestamp, p: Palette) -> String {
    let Some(h) = &tl.header else {
        return p.tr("live-starting");
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
    let mut parts = vec![p.say(
        "live-overall-ended",
        &[("ended", ended.into()), ("total", total.into())],
    )];
    if failed > 0 {
        parts.push(p.bad(p.say("live-overall-failed", &[("count", failed.into())])));
    }
    if running > 0 {
        parts.push(p.say("live-overall-running", &[("count", running.into())]));
    }
    if open_items > 0 {
        parts.push(p.key(p.say("live-overall-waiting", &[("count", open_items.into())])));
    }
    let elapsed = tl.elapsed(now).unwrap_or_default();
    let against_rto = |rto| {
        p.say(
            "live-overall-rto",
            &[
                ("time", p.length(elapsed).into()),
                ("rto", p.span(rto).into()),
            ],
        )
    };
    let time = match h.rto {
        Some(rto) if elapsed > rto.to_std() => format!(
            "{} {}",
            p.bad(against_rto(rto)),
            p.bad(p.say(
                "live-over",
                &[("time", p.length(elapsed - rto.to_std()).into())]
            ))
        ),
        Some(rto) => against_rto(rto),
        None => p.say(
            "live-overall-elapsed",
            &[("time", p.length(elapsed).into())],
        ),
    };
    parts.push(time);
    format!("{} {}", p.bold(mode_word(h.mode, p)), parts.join(" · "))
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
    decision_in(d, Lang::En)
}

/// [`decision_name`] in `lang`.
pub fn decision_in(d: Decision, lang: Lang) -> &'static str {
    lang.said(match d {
        Decision::Run => "live-decision-run",
        Decision::Retry => "live-decision-retry",
        Decision::RetryAll => "live-decision-retry-all",
        Decision::MarkDone => "live-decision-mark-done",
        Decision::MarkFailed => "live-decision-mark-failed",
        Decision::Skip => "live-decision-skip",
        Decision::Continue => "live-decision-continue",
        Decision::Abort => "live-decision-abort",
        Decision::Rollback => "live-decision-rollback",
    })
}
