//! The lines printed for each recorded event.

use jiff::tz::TimeZone;

use crate::escape;
use crate::event::{Event, NotificationAbout, Outcome, RunResult, Source, Stamped};
use crate::exec::fleet;
use crate::runbook::StepKind;
use crate::terminal::prompt::exit_words;
use crate::timeline::Timeline;

use super::{Palette, against, clock, decision_name, outlook_words, tail_lines};

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
            ending,
        } => {
            if ending.success() {
                return Vec::new();
            }
            let mut lines = vec![format!(
                "{} {at} {} attempt {attempt} failed{}",
                p.bad("✘"),
                name(step),
                exit_words(ending)
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
            step, host, ending, ..
        } => {
            if ending.success() {
                Vec::new()
            } else {
                vec![format!(
                    "{} {at} {} on {host} failed{}",
                    p.bad("✘"),
                    name(step),
                    exit_words(ending)
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
        Event::NotificationSent { about, .. } => {
            let NotificationAbout { kind, target, .. } = about;
            vec![p.dim(format!("✉ {at} alert {kind} sent to {target}"))]
        }
        Event::NotificationFailed {
            about, error, last, ..
        } => {
            let NotificationAbout { kind, target, .. } = about;
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
