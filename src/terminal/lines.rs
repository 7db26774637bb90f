//! Every line the terminal shows, as pure functions of the drill's state
//! and an explicit `now`, so that each can be snapshot-tested with fixed
//! times. Colour is a parameter ([`Palette`]): the same functions serve the
//! live view and the plain, escape-free output.

use std::time::Duration as StdDuration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::escape;
use crate::event::{Decision, Event, Outcome, RunResult, Source, Stamped};
use crate::exec::{Question, fleet};
use crate::runbook::{Duration, Rollback, Runbook, Step, StepKind};
use crate::timeline::{Outlook, StepRecord, StepState, Timeline};

use super::prompt::{exit_words, suggested};

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
                .map(|a| {
                    attempt_words(
                        a.exit_code,
                        a.signal.as_deref(),
                        a.timed_out,
                        a.error.as_deref(),
                    )
                })
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

/// `, exit 2`, `, killed by SIGKILL`, `, timed out`.
fn attempt_words(
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    exit_words(&crate::exec::Exit {
        exit_code,
        signal: signal.map(str::to_string),
        timed_out,
        error: error.map(str::to_string),
        ..crate::exec::Exit::default()
    })
}

/// How the lines of an event are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show {
    /// Colours.
    pub palette: Palette,
    /// The live view: running steps are on their bars, so `step_started`
    /// prints nothing.
    pub live: bool,
    /// A terminal operator announces open items itself (with their number).
    pub operator: bool,
}

/// The lines to print for an event, once `tl` has applied it.
pub fn event_lines(tl: &Timeline, e: &Stamped, tz: &TimeZone, show: Show) -> Vec<String> {
    let p = show.palette;
    let at = clock(e.time, tz);
    let rec = |id: &str| tl.step(id);
    let title = |id: &str| rec(id).map_or(String::new(), |r| format!(" — {}", r.planned.title));
    // `#3 restart-app`: the number people call out, then the id.
    let name = |id: &crate::runbook::StepId| match tl.number(id.as_str()) {
        Some(n) => format!("{} {}", p.key(format!("#{n}")), p.bold(id)),
        None => p.bold(id),
    };
    let by_words = |by: &str, source: Source| match source {
        Source::AutoConfirmed => format!(" by {by} (auto-confirmed)"),
        Source::CommandLine => " (given on the command line)".to_string(),
        Source::Paper => format!(" by {by} (on paper)"),
        _ => format!(" by {by}"),
    };
    match &e.event {
        Event::RunStarted {
            name,
            mode,
            dry_run,
            operator,
            rto,
            steps,
            ..
        } => {
            let dry = if *dry_run { " (dry run)" } else { "" };
            let rto = rto.map_or(String::new(), |r| format!(", RTO {r}"));
            vec![format!(
                "● {at} {} {}{dry} started by {operator} ({} steps{rto})",
                p.bold(mode),
                p.bold(format!("“{name}”")),
                steps.len()
            )]
        }
        Event::RunResumed { operator, .. } => {
            vec![format!("● {at} resumed by {operator}")]
        }
        Event::StepReady { step } => match rec(step.as_str()) {
            Some(r) if r.planned.kind == StepKind::Manual && !show.operator => {
                let role = r
                    .planned
                    .role
                    .as_ref()
                    .map_or(String::new(), |r| format!(" ({r})"));
                vec![format!(
                    "☐ {at} {}{}{role} is open",
                    name(step),
                    title(step.as_str())
                )]
            }
            _ => Vec::new(),
        },
        Event::StepBegan { step, by, .. } => vec![format!(
            "▶ {at} {}{} began (on paper, {by})",
            p.bold(step),
            title(step.as_str())
        )],
        Event::StepStarted { step, attempt, .. } => {
            if show.live {
                Vec::new()
            } else if *attempt > 1 {
                vec![format!("▶ {at} {} attempt {attempt} started", name(step))]
            } else {
                vec![format!(
                    "▶ {at} {}{} started",
                    name(step),
                    title(step.as_str())
                )]
            }
        }
        Event::AttemptFinished {
            step,
            attempt,
            exit_code,
            signal,
            timed_out,
            error,
        } => {
            let ok = *exit_code == Some(0) && error.is_none() && !timed_out;
            if ok {
                return Vec::new();
            }
            let mut lines = vec![format!(
                "{} {at} {} attempt {attempt} failed{}",
                p.bad("✘"),
                name(step),
                attempt_words(*exit_code, signal.as_deref(), *timed_out, error.as_deref())
            )];
            // Where a remote step stands on each host: the question shows
            // it to a person; an answers file or `--yes` gets it here.
            if !show.operator
                && let Some(rec) = rec(step.as_str())
                && rec.planned.hosts.len() > 1
            {
                let hosts = fleet::recorded(rec.planned.hosts.iter().map(String::as_str), rec);
                lines.push(format!("    hosts: {}", fleet::summary(&hosts)));
            }
            lines
        }
        // A remote step's hosts: only failures are worth a line of their own.
        Event::HostFinished {
            step,
            host,
            exit_code,
            signal,
            timed_out,
            error,
            ..
        } => {
            let ok = *exit_code == Some(0) && error.is_none() && !timed_out;
            if ok {
                Vec::new()
            } else {
                vec![format!(
                    "{} {at} {} on {host} failed{}",
                    p.bad("✘"),
                    name(step),
                    attempt_words(*exit_code, signal.as_deref(), *timed_out, error.as_deref())
                )]
            }
        }
        Event::Decision {
            step,
            decision,
            reason,
            by,
            source,
            origin,
            ..
        } => {
            let for_role = &origin.for_role;
            let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
            vec![format!(
                "↻ {at} {} {}{reason}{}{}",
                name(step),
                p.key(decision_name(*decision)),
                by_words(by, *source),
                for_role_words(for_role.as_deref())
            )]
        }
        Event::Approval {
            step,
            approved,
            reason,
            by,
            count,
            needed,
            origin,
            ..
        } => {
            let for_role = for_role_words(origin.for_role.as_deref());
            if *approved {
                vec![format!(
                    "✔ {at} {} approved by {by}{for_role} ({count} of {needed} approvals)",
                    name(step)
                )]
            } else {
                let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
                vec![p.warn(format!(
                    "✘ {at} {step} refused by {by}{for_role}{reason} (still waiting, {count} of \
                     {needed} approvals)"
                ))]
            }
        }
        Event::StepFinished {
            step,
            outcome,
            exit_code,
            reason,
            by,
            source,
            output_tail,
            origin,
            ..
        } => {
            let for_role = &origin.for_role;
            let r = rec(step.as_str());
            let timing = r
                .and_then(|r| Some((r.duration(e.time)?, r.planned.estimate)))
                .map_or(String::new(), |(d, est)| {
                    format!(" ({})", against(d, est, p))
                });
            let exit = match (outcome, exit_code) {
                (Outcome::Failed, Some(c)) => format!(", exit {c}"),
                _ => String::new(),
            };
            let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
            let (mark, word) = match outcome {
                Outcome::Done => (p.good("✔"), p.good("done")),
                Outcome::Failed => (p.bad("✘"), p.bad("failed")),
                Outcome::Skipped => (p.warn("↷"), p.warn("skipped")),
                Outcome::Aborted => (p.bad("■"), p.bad("aborted")),
                Outcome::NotApplicable => ("–".to_string(), "not applicable".to_string()),
            };
            if *outcome == Outcome::NotApplicable {
                // The reason says which mode the step is for: "runs only
                // in incident mode" tells the operator it is not forgotten.
                let why = if reason.is_empty() {
                    " in this mode".to_string()
                } else {
                    reason
                };
                return vec![format!("{mark} {at} {} {word}{why}", name(step))];
            }
            let by = if *source == Source::Command || *source == Source::Engine {
                String::new()
            } else {
                by_words(by, *source) + &for_role_words(for_role.as_deref())
            };
            let mut lines = vec![format!(
                "{mark} {at} {} {word}{exit}{timing}{by}{reason}",
                name(step)
            )];
            if *outcome == Outcome::Failed {
                lines.extend(tail_lines(output_tail, p));
            }
            lines
        }
        Event::StepCancelled {
            step, reason, by, ..
        } => vec![p.warn(format!("↷ {at} {step} cancelled by {by}: {reason}"))],
        Event::StepAdded {
            step,
            number,
            added,
            reason,
            by,
            ..
        } => {
            let crate::event::AddedStep {
                title,
                run,
                after,
                before,
                ..
            } = &**added;
            let mut line = format!(
                "+ {at} #{number} {} added by {by}: {}",
                p.bold(step),
                escape::line(title)
            );
            let named = |ids: &[crate::runbook::StepId]| {
                ids.iter().map(&name).collect::<Vec<_>>().join(", ")
            };
            if !after.is_empty() {
                line.push_str(&format!(", after {}", named(after)));
            }
            if !before.is_empty() {
                line.push_str(&format!(", before {}", named(before)));
            }
            line.push_str(&format!(" ({})", escape::line(reason)));
            let mut lines = vec![line];
            if let Some(run) = run {
                lines.push(format!(
                    "    command: {} (it runs once confirmed: `run {number}`)",
                    escape::line(run)
                ));
            }
            lines
        }
        Event::EstimateRevised {
            step,
            estimate,
            until,
            previous,
            reason,
            by,
            ..
        } => {
            let new = match (estimate, until) {
                (_, Some(t)) => format!("until {}", t.strftime("%Y-%m-%d %H:%M")),
                (Some(e), None) => e.to_string(),
                (None, None) => "?".to_string(),
            };
            let was = previous.map_or(String::new(), |d| format!(" (was {d})"));
            let mut out = vec![format!(
                "⏱ {at} {} re-estimated by {by}: {new}{was}: {reason}",
                p.bold(step)
            )];
            // What the new estimate does to the end of the recovery.
            if let Some(o) = tl.outlook(e.time) {
                let when = clock(o.end, tz);
                out.push(format!("  {}", outlook_words(&o, e.time, &when, p)));
            }
            out
        }
        Event::StepAssigned {
            step,
            to,
            previous,
            reason,
            by,
            ..
        } => {
            let was = previous
                .as_ref()
                .map_or(String::new(), |r| format!(" (was {r})"));
            vec![format!(
                "⇄ {at} {} assigned to {} by {by}{was}: {reason}",
                p.bold(step),
                p.bold(to)
            )]
        }
        Event::RollbackStarted { step, .. } => {
            vec![format!("↩ {at} rolling back {}", name(step))]
        }
        Event::RollbackFinished {
            step,
            outcome,
            exit_code,
            reason,
            by,
            ..
        } => {
            let what = match outcome {
                Outcome::Done => p.good("rolled back"),
                Outcome::Skipped => p.warn("rollback skipped"),
                _ => p.bad(format!(
                    "rollback failed{}",
                    exit_code.map_or(String::new(), |c| format!(", exit {c}"))
                )),
            };
            let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
            vec![format!("↩ {at} {} {what} by {by}{reason}", name(step))]
        }
        Event::Note { text, by, step, .. } => {
            let about = step
                .as_ref()
                .map_or(String::new(), |s| format!(" (about {})", name(s)));
            vec![format!("✎ {at} {by}{about}: {text}")]
        }
        Event::RestorePoint {
            step,
            written,
            by,
            host,
            ..
        } => {
            let on = host.as_ref().map_or(String::new(), |h| format!(" on {h}"));
            vec![format!(
                "⟲ {at} {}{on}: restore point {written} (given by {by})",
                name(step)
            )]
        }
        Event::Handover { from, to, note, .. } => {
            let note = note.as_ref().map_or(String::new(), |n| format!(": {n}"));
            vec![format!("⇄ {at} {from} hands over to {}{note}", p.bold(to))]
        }
        Event::AbortRequested { by, reason, .. } => {
            let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
            vec![p.bad(format!("⚠ {at} abort requested by {by}{reason}"))]
        }
        Event::OperatorAttached {
            by,
            origin,
            read_only,
            roles,
        } => {
            let who = crate::identity::Identity::new(by, origin.clone());
            let how = if *read_only { " (read-only)" } else { "" };
            let roles = if roles.is_empty() {
                String::new()
            } else {
                format!(" for {}", roles.join(", "))
            };
            vec![p.dim(format!("⇢ {at} {who} attached{roles}{how}"))]
        }
        Event::OperatorDetached {
            by, origin, reason, ..
        } => {
            let who = crate::identity::Identity::new(by, origin.clone());
            let how = reason.as_ref().map_or(String::new(), |r| format!(" ({r})"));
            vec![p.dim(format!("⇠ {at} {who} detached{how}: the drill goes on"))]
        }
        Event::RunStopped { reason, .. } => {
            let reason = reason.as_deref().unwrap_or("stopped");
            vec![p.warn(format!(
                "■ {at} drill stopped ({reason}): nothing was aborted, `reprise resume` continues it"
            ))]
        }
        Event::RunHeld { by, reason, .. } => {
            let reason = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
            vec![p.warn(format!(
                "⏸ {at} held by {by}{reason} (no new step starts; type `release` to go on)"
            ))]
        }
        Event::RunReleased { by, .. } => vec![p.good(format!("▶ {at} released by {by}"))],
        Event::RunFinished { result } => {
            let word = match result {
                RunResult::Recovered => p.good(result),
                RunResult::Degraded => p.warn(result),
                RunResult::Aborted => p.bad(result),
            };
            let mode = tl
                .header
                .as_ref()
                .map_or("drill".to_string(), |h| h.mode.to_string());
            vec![format!("● {at} {mode} finished: {word}")]
        }
        Event::NotificationSent { kind, target, .. } => {
            vec![p.dim(format!("✉ {at} alert {kind} sent to {target}"))]
        }
        Event::NotificationFailed {
            kind,
            target,
            error,
            last,
            ..
        } => {
            let line = format!("✉ {at} alert {kind} to {target} failed: {error}");
            vec![if *last { p.warn(line) } else { p.dim(line) }]
        }
        Event::CriterionAssessed {
            criterion,
            verdict,
            by,
            ..
        } => vec![format!(
            "✓ {at} criterion {criterion} assessed {verdict} by {by}"
        )],
        Event::ActionRecorded {
            owner, due, text, ..
        } => vec![format!("→ {at} action for {owner}, due {due}: {text}")],
    }
}

/// ` for role storage`, for a record a coordinator made for another role.
fn for_role_words(role: Option<&str>) -> String {
    role.map_or(String::new(), |r| format!(" for role {r}"))
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

/// What the operator is told when a question opens: the step, what to do,
/// and what to type.
pub fn question_lines(
    q: &Question,
    number: u32,
    info: &StepInfo,
    now: Timestamp,
    tz: &TimeZone,
    p: Palette,
) -> Vec<String> {
    let at = clock(now, tz);
    let n = p.key(format!("#{number}"));
    let head = format!("{} — {}", p.bold(&info.id), info.title);
    let mut facts = Vec::new();
    if let Some(role) = &info.role {
        facts.push(format!("role: {role}"));
    }
    if let Some(est) = info.estimate {
        facts.push(format!("est {est}"));
    }
    let facts = if facts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", facts.join(" · "))
    };
    let mut lines = Vec::new();
    match q {
        Question::Manual { .. } => {
            lines.push(format!("☐ {at} {n} {head}{facts}"));
            if let Some(md) = &info.instructions {
                lines.extend(markdown_text(md).into_iter().map(|l| format!("    {l}")));
            }
        }
        Question::Confirm { .. } => {
            lines.push(format!("? {at} {n} {head} waits for your go{facts}"));
            lines.extend(before_command(info));
        }
        Question::Failed { exit, .. } => {
            lines.push(format!(
                "{} {at} {n} {head} {}{}",
                p.bad("✘"),
                p.bad("failed"),
                exit_words(exit)
            ));
            if !q.hosts().is_empty() {
                lines.push(format!("    hosts: {}", fleet::summary(q.hosts())));
            }
            lines.extend(tail_lines(&exit.output_tail, p));
        }
        Question::Rollback { .. } => {
            lines.push(format!("↩ {at} {n} roll back {head}"));
            match (&info.rollback, info.kind) {
                (Some(text), StepKind::Manual) => {
                    lines.extend(markdown_text(text).into_iter().map(|l| format!("    {l}")));
                }
                (Some(c), _) => lines.extend(command_lines(c)),
                (None, _) => {}
            }
        }
        Question::Interrupted { .. } => {
            lines.push(format!(
                "? {at} {n} {head} was running or open when the drill stopped{facts}"
            ));
            if !q.hosts().is_empty() {
                lines.push(format!("    hosts: {}", fleet::summary(q.hosts())));
            }
            if let Some(c) = &info.command {
                lines.extend(command_lines(c));
            }
        }
    }
    lines.push(format!("    → {}", suggested(q, number, &info.id)));
    lines
}

/// What an operator reads before saying go to a command, indented under
/// its item: the hosts it runs on, the instructions (the runbook's
/// "only after …" warnings live there), then the command itself.
pub fn before_command(info: &StepInfo) -> Vec<String> {
    let mut lines = Vec::new();
    if !info.hosts.is_empty() {
        lines.push(format!("    on: {}", info.hosts.join(", ")));
    }
    if let Some(md) = &info.instructions {
        lines.extend(markdown_text(md).into_iter().map(|l| format!("    {l}")));
    }
    if let Some(c) = &info.command {
        lines.extend(command_lines(c));
    }
    lines
}

/// `    command: first line`, the command's further lines (a shell script)
/// indented under its first.
pub fn command_lines(command: &str) -> Vec<String> {
    const HEAD: &str = "    command: ";
    let mut lines = Vec::new();
    for (i, l) in command.trim_end().lines().enumerate() {
        if i == 0 {
            lines.push(format!("{HEAD}{l}"));
        } else if l.is_empty() {
            lines.push(String::new());
        } else {
            lines.push(format!("{:width$}{l}", "", width = HEAD.len()));
        }
    }
    lines
}

/// Markdown shown as plain text: headings, emphasis, code marks and fences
/// dropped, links written out, list bullets kept.
pub fn markdown_text(md: &str) -> Vec<String> {
    md.trim_end()
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| {
            let trimmed = l.trim_start();
            let indent = &l[..l.len() - trimmed.len()];
            let body = trimmed.trim_start_matches('#');
            let body = if body.len() != trimmed.len() && body.starts_with(' ') {
                body.trim_start()
            } else {
                trimmed
            };
            let body = match body.strip_prefix("* ").or_else(|| body.strip_prefix("- ")) {
                Some(rest) => format!("• {rest}"),
                None => body.to_string(),
            };
            format!("{indent}{}", inline_markdown(&body))
        })
        .collect()
}

/// `**a**` → `a`, `` `b` `` → `b`, `[c](u)` → `c (u)`.
fn inline_markdown(s: &str) -> String {
    let s = s.replace("**", "").replace("__", "").replace('`', "");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        let text = &after[..close];
        let url = &after[close + 2..close + 2 + end];
        out.push_str(&format!("{text} ({url})"));
        rest = &after[close + 2 + end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::event::Event;
    use crate::exec::Exit;
    use crate::runbook::StepId;
    use crate::terminal::{at, test_runbook, test_started};

    const PLAIN: Palette = Palette { color: false };

    fn id(s: &str) -> StepId {
        StepId::new(s)
    }

    /// A whole drill: a retried command overrunning its estimate, two
    /// manual steps closed in the opposite order, a note and a handover.
    pub(crate) fn story() -> Vec<Stamped> {
        let finished =
            |step: &str, outcome, by: &str, source, reason: Option<&str>| Event::StepFinished {
                origin: Default::default(),
                step: id(step),
                outcome,
                exit_code: None,
                reason: reason.map(str::to_string),
                by: by.into(),
                source,
                attempts: 0,
                output_tail: vec![],
            };
        let attempt = |n, code| Event::AttemptFinished {
            step: id("restart-app"),
            attempt: n,
            exit_code: Some(code),
            signal: None,
            timed_out: false,
            error: None,
        };
        vec![
            test_started("2026-11-29T08:00:00Z"),
            at(
                "08:00:00",
                Event::StepReady {
                    step: id("call-vendor"),
                },
            ),
            at(
                "08:00:00",
                Event::StepReady {
                    step: id("check-backups"),
                },
            ),
            at(
                "08:00:00",
                Event::StepReady {
                    step: id("restart-app"),
                },
            ),
            at(
                "08:00:00",
                Event::StepStarted {
                    step: id("restart-app"),
                    attempt: 1,
                    pid: Some(42),
                },
            ),
            at("08:01:30", attempt(1, 1)),
            at(
                "08:01:31",
                Event::Decision {
                    origin: Default::default(),
                    step: id("restart-app"),
                    decision: Decision::Retry,
                    reason: Some("port was still held".into()),
                    by: "alice".into(),
                    source: Source::Operator,
                },
            ),
            at(
                "08:01:31",
                Event::StepStarted {
                    step: id("restart-app"),
                    attempt: 2,
                    pid: Some(43),
                },
            ),
            at("08:04:31", attempt(2, 0)),
            at(
                "08:04:31",
                Event::StepFinished {
                    origin: Default::default(),
                    step: id("restart-app"),
                    outcome: Outcome::Done,
                    exit_code: Some(0),
                    reason: None,
                    by: "reprise".into(),
                    source: Source::Command,
                    attempts: 2,
                    output_tail: vec![],
                },
            ),
            at(
                "08:05:00",
                Event::Note {
                    origin: Default::default(),
                    text: "vendor ticket 4711".into(),
                    by: "alice".into(),
                    step: Some(id("call-vendor")),
                },
            ),
            at(
                "08:06:00",
                Event::Handover {
                    account: None,
                    origin: None,
                    from: "alice".into(),
                    to: "bob".into(),
                    note: Some("night shift".into()),
                },
            ),
            at(
                "08:12:00",
                finished(
                    "check-backups",
                    Outcome::Done,
                    "bob",
                    Source::Operator,
                    None,
                ),
            ),
            at(
                "08:15:00",
                finished(
                    "call-vendor",
                    Outcome::Skipped,
                    "bob",
                    Source::Operator,
                    Some("vendor already on site"),
                ),
            ),
            at(
                "08:15:00",
                Event::RunFinished {
                    result: RunResult::Recovered,
                },
            ),
        ]
    }

    fn fold(events: &[Stamped]) -> Timeline {
        Timeline::from_events(events)
    }

    #[test]
    fn a_step_not_applicable_says_which_mode_it_is_for() {
        let show = Show {
            palette: PLAIN,
            live: false,
            operator: false,
        };
        let na = |reason: Option<&str>| {
            at(
                "08:00:00",
                Event::StepFinished {
                    origin: Default::default(),
                    step: id("call-vendor"),
                    outcome: Outcome::NotApplicable,
                    exit_code: None,
                    reason: reason.map(str::to_string),
                    by: "reprise".into(),
                    source: Source::Engine,
                    attempts: 0,
                    output_tail: vec![],
                },
            )
        };
        let lines = |e: Stamped| {
            let events = [test_started("2026-11-29T08:00:00Z"), e];
            let tl = fold(&events);
            event_lines(&tl, &events[1], &TimeZone::UTC, show).join("\n")
        };
        assert_eq!(
            lines(na(Some("runs only in incident mode"))),
            "– 08:00:00 #1 call-vendor not applicable: runs only in incident mode"
        );
        assert_eq!(
            lines(na(None)),
            "– 08:00:00 #1 call-vendor not applicable in this mode"
        );
    }

    #[test]
    fn every_event_of_a_drill_in_plain_lines() {
        let events = story();
        let mut tl = Timeline::new();
        let show = Show {
            palette: PLAIN,
            live: false,
            operator: false,
        };
        let mut out = Vec::new();
        for e in &events {
            tl.apply(e);
            out.extend(event_lines(&tl, e, &TimeZone::UTC, show));
        }
        let text = out.join("\n");
        assert!(!text.contains('\x1b'), "plain lines carry no escape codes");
        insta::assert_snapshot!(text, @r"
        ● 08:00:00 drill “Storage failover” started by alice (3 steps, RTO 1h)
        ☐ 08:00:00 #1 call-vendor — Call the storage vendor (storage) is open
        ☐ 08:00:00 #2 check-backups — Check last night's backups (dba) is open
        ▶ 08:00:00 #3 restart-app — Restart the application started
        ✘ 08:01:30 #3 restart-app attempt 1 failed, exit 1
        ↻ 08:01:31 #3 restart-app retry: port was still held by alice
        ▶ 08:01:31 #3 restart-app attempt 2 started
        ✔ 08:04:31 #3 restart-app done (4m31s / est 2m +2m31s over)
        ✎ 08:05:00 alice (about #1 call-vendor): vendor ticket 4711
        ⇄ 08:06:00 alice hands over to bob: night shift
        ✔ 08:12:00 #2 check-backups done (12m) by bob
        ↷ 08:15:00 #1 call-vendor skipped (15m / est 10m +5m over) by bob: vendor already on site
        ● 08:15:00 drill finished: recovered
        ");
    }

    #[test]
    fn live_lines_leave_starts_to_the_bars_and_announcements_to_the_operator() {
        let events = story();
        let tl = fold(&events);
        let show = Show {
            palette: PLAIN,
            live: true,
            operator: true,
        };
        for e in &events[..5] {
            if !matches!(e.event, Event::RunStarted { .. }) {
                assert!(
                    event_lines(&tl, e, &TimeZone::UTC, show).is_empty(),
                    "{e:?}"
                );
            }
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let events = story();
        let tl = fold(&events);
        let show = Show {
            palette: Palette { color: true },
            live: false,
            operator: false,
        };
        let done = event_lines(&tl, &events[9], &TimeZone::UTC, show).join("");
        assert!(done.contains("\x1b["), "{done:?}");
        assert_eq!(
            console::strip_ansi_codes(&done),
            "✔ 08:04:31 #3 restart-app done (4m31s / est 2m +2m31s over)"
        );
    }

    #[test]
    fn a_failed_step_shows_its_exit_code_and_last_output() {
        let tl = fold(&story()[..5]);
        let e = at(
            "08:03:00",
            Event::StepFinished {
                origin: Default::default(),
                step: id("restart-app"),
                outcome: Outcome::Failed,
                exit_code: Some(3),
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec!["unit app.service not found".into(), "giving up".into()],
            },
        );
        let mut tl = tl;
        tl.apply(&e);
        let show = Show {
            palette: PLAIN,
            live: true,
            operator: true,
        };
        insta::assert_snapshot!(event_lines(&tl, &e, &TimeZone::UTC, show).join("\n"), @r"
        ✘ 08:03:00 #3 restart-app failed, exit 3 (3m / est 2m +1m over)
            │ unit app.service not found
            │ giving up
        ");
    }

    #[test]
    fn bar_lines_mid_drill() {
        let events = story();
        let tl = fold(&events[..8]);
        let now: Timestamp = "2026-11-29T08:02:10Z".parse().unwrap();
        let line =
            |i: usize, open, out| item_line(&tl.steps[i], i as u32 + 1, open, out, now, PLAIN);
        insta::assert_snapshot!(
            [
                line(0, true, None),
                line(1, false, None),
                line(2, false, Some("waiting for port 8080")),
            ]
            .map(|l| l.unwrap_or_default())
            .join("\n"),
            @r"
        #1 ☐ call-vendor  Call the storage vendor (storage)  2m10s / est 10m
        #2 ☐ check-backups  Check last night's backups (dba)  2m10s
        #3 ▶ restart-app  Restart the application (attempt 2)  2m10s / est 2m +10s over  │ waiting for port 8080
        "
        );
        insta::assert_snapshot!(overall_line(&tl, 2, now, PLAIN), @"drill 0/3 steps ended · 1 running · 2 waiting for you · 2m10s / RTO 1h");
        let late: Timestamp = "2026-11-29T09:20:00Z".parse().unwrap();
        insta::assert_snapshot!(overall_line(&tl, 2, late, PLAIN), @"drill 0/3 steps ended · 1 running · 2 waiting for you · 1h20m / RTO 1h +20m over");
        // Nothing to show for an ended step without a question.
        let end = fold(&events);
        assert_eq!(item_line(&end.steps[2], 3, false, None, now, PLAIN), None);
    }

    #[test]
    fn bar_lines_of_steps_waiting_for_an_answer() {
        let events = story();
        // restart-app's first attempt just failed.
        let tl = fold(&events[..6]);
        let now: Timestamp = "2026-11-29T08:01:40Z".parse().unwrap();
        insta::assert_snapshot!(
            item_line(&tl.steps[2], 3, true, None, now, PLAIN).unwrap(),
            @"#3 ✘ restart-app  Restart the application  attempt 1 failed, exit 1, answer #3 (`list`)  1m40s / est 2m"
        );
        assert!(
            item_line(&tl.steps[2], 3, false, None, now, PLAIN)
                .unwrap()
                .contains("retrying")
        );
        // A step that ended shows only while its rollback is asked.
        let end = fold(&events);
        insta::assert_snapshot!(
            item_line(&end.steps[2], 3, true, None, now, PLAIN).unwrap(),
            @"#3 ↩ restart-app  Restart the application  rollback waiting for run 3 or skip 3"
        );
        // A resumed drill asks about a step its journal says was running.
        let interrupted = fold(&events[..5]);
        insta::assert_snapshot!(
            item_line(&interrupted.steps[2], 3, true, None, now, PLAIN).unwrap(),
            @"#3 ? restart-app  Restart the application  was running when the drill stopped: answer #3 (`list`)"
        );
        // A command ready but not started shows only when it waits for a
        // confirmation.
        let ready = fold(&events[..4]);
        assert_eq!(item_line(&ready.steps[2], 3, false, None, now, PLAIN), None);
        insta::assert_snapshot!(
            item_line(&ready.steps[2], 3, true, None, now, PLAIN).unwrap(),
            @"#3 ? restart-app  Restart the application  waiting for run 3"
        );
    }

    #[test]
    fn questions_tell_what_to_do_and_what_to_type() {
        let info = StepInfo::all(&test_runbook());
        let now: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let manual = question_lines(
            &Question::Manual {
                step: crate::runbook::StepIndex(0),
            },
            1,
            &info[0],
            now,
            &TimeZone::UTC,
            PLAIN,
        );
        insta::assert_snapshot!(manual.join("\n"), @r"
        ☐ 08:00:00 #1 call-vendor — Call the storage vendor  [role: storage · est 10m]
            Vendor
            Open a P1 ticket at the portal (https://example.com).
            • ask for a field engineer
            ticket --p1
            → `done 1` (or `done call-vendor`), `fail 1`, `skip 1`
        ");
        let failed = question_lines(
            &Question::Failed {
                step: crate::runbook::StepIndex(2),
                exit: Exit {
                    exit_code: Some(2),
                    output_tail: vec!["disk full".into()],
                    ..Exit::default()
                },
                hosts: vec![],
            },
            4,
            &info[2],
            now,
            &TimeZone::UTC,
            PLAIN,
        );
        insta::assert_snapshot!(failed.join("\n"), @r"
        ✘ 08:00:00 #4 restart-app — Restart the application failed, exit 2
            │ disk full
            → `retry 4` (or `retry restart-app`), `mark-done 4`, `skip 4`, `continue 4`, `abort 4`, `rollback 4`
        ");
        let rollback = question_lines(
            &Question::Rollback {
                step: crate::runbook::StepIndex(2),
            },
            5,
            &info[2],
            now,
            &TimeZone::UTC,
            PLAIN,
        );
        insta::assert_snapshot!(rollback.join("\n"), @r"
        ↩ 08:00:00 #5 roll back restart-app — Restart the application
            command: systemctl stop app
            → `run 5` (or `run restart-app`), `skip 5`
        ");
    }

    /// A confirmation shows its role, hosts and instructions before its
    /// command: the "only after …" warnings of a production step are there.
    #[test]
    fn a_confirmation_shows_its_instructions_before_its_command() {
        let mut rb = test_runbook();
        let c = &mut rb.steps[2];
        c.confirm = true;
        c.role = Some("ops".into());
        c.instructions = Some("**Production!** only after the DBA's go.".into());
        c.run = Some(crate::runbook::Located::new(
            crate::runbook::Command::Shell("set -eu\nsystemctl restart app\n".into()),
            crate::runbook::Span::default(),
        ));
        c.hosts = vec![crate::runbook::Located::new(
            "db1".to_string(),
            crate::runbook::Span::default(),
        )];
        let info = StepInfo::all(&rb);
        let now: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let confirm = question_lines(
            &Question::Confirm {
                step: crate::runbook::StepIndex(2),
            },
            3,
            &info[2],
            now,
            &TimeZone::UTC,
            PLAIN,
        );
        insta::assert_snapshot!(confirm.join("\n"), @r"
        ? 08:00:00 #3 restart-app — Restart the application waits for your go  [role: ops · est 2m]
            on: db1
            Production! only after the DBA's go.
            command: set -eu
                     systemctl restart app
            → `run 3` (or `run restart-app`), `skip 3`
        ");
    }

    #[test]
    fn estimates_and_overruns() {
        let s = StdDuration::from_secs;
        assert_eq!(
            against(s(133), Some(Duration(300)), PLAIN),
            "2m13s / est 5m"
        );
        assert_eq!(against(s(300), Some(Duration(300)), PLAIN), "5m / est 5m");
        assert_eq!(
            against(s(433), Some(Duration(300)), PLAIN),
            "7m13s / est 5m +2m13s over"
        );
        assert_eq!(against(s(59), None, PLAIN), "59s");
        let red = against(s(433), Some(Duration(300)), Palette { color: true });
        assert!(red.contains("\x1b["), "an overrun stands out: {red:?}");
    }
}
