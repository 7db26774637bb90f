//! The lines printed for each recorded event.

use fluent_templates::fluent_bundle::FluentValue;
use jiff::tz::TimeZone;

use crate::escape;
use crate::event::{Event, Outcome, Source, Stamped};
use crate::exec::fleet;
use crate::runbook::StepKind;
use crate::terminal::prompt::exit_words;
use crate::timeline::Timeline;

mod cell;

use super::{Palette, against, clock, decision_in, mode_word, outlook_words, tail_lines};

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
    let text = said;
    let reason_words = |r: &Option<String>| reason_words(r, p);
    // `#3 restart-app`: the number people call out, then the id.
    let name = |id: &crate::runbook::StepId| match tl.number(id.as_str()) {
        Some(n) => format!("{} {}", p.key(format!("#{n}")), p.bold(id)),
        None => p.bold(id),
    };
    let by_words = |by: &str, source: Source| {
        let id = match source {
            Source::AutoConfirmed => "live-by-auto",
            Source::CommandLine => "live-by-command-line",
            Source::Paper => "live-by-paper",
            _ => "live-by",
        };
        p.say(id, &[("by", text(by))])
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
            let dry = if *dry_run {
                p.tr("live-dry-run")
            } else {
                String::new()
            };
            let rto = rto.map_or(String::new(), |r| {
                p.say("live-started-rto", &[("rto", p.span(r).into())])
            });
            let started = p.say(
                "live-run-started",
                &[
                    ("mode", p.bold(mode_word(*mode, p)).into()),
                    (
                        "name",
                        p.bold(p.say("live-quoted", &[("text", text(name))])).into(),
                    ),
                    ("dry", dry.into()),
                    ("operator", text(operator)),
                    ("steps", steps.len().into()),
                    ("rto", rto.into()),
                ],
            );
            vec![format!("● {at} {started}")]
        }
        Event::RunResumed { operator, .. } => {
            vec![format!(
                "● {at} {}",
                p.say("live-resumed", &[("operator", text(operator))])
            )]
        }
        Event::StepReady { step } => match rec(step.as_str()) {
            Some(r) if r.planned.kind == StepKind::Manual && !show.operator => {
                let role = r
                    .planned
                    .role
                    .as_ref()
                    .map_or(String::new(), |r| format!(" ({r})"));
                let what = format!("{}{}{role}", name(step), title(step.as_str()));
                vec![format!(
                    "☐ {at} {}",
                    p.say("live-step-open", &[("step", what.into())])
                )]
            }
            _ => Vec::new(),
        },
        Event::StepBegan { step, by, .. } => vec![format!(
            "▶ {at} {}",
            p.say(
                "live-step-began",
                &[
                    (
                        "step",
                        format!("{}{}", p.bold(step), title(step.as_str())).into()
                    ),
                    ("by", text(by)),
                ]
            )
        )],
        Event::StepStarted { step, attempt, .. } => {
            if show.live {
                Vec::new()
            } else if *attempt > 1 {
                vec![format!(
                    "▶ {at} {}",
                    p.say(
                        "live-attempt-started",
                        &[("step", name(step).into()), ("attempt", (*attempt).into())]
                    )
                )]
            } else {
                let what = format!("{}{}", name(step), title(step.as_str()));
                vec![format!(
                    "▶ {at} {}",
                    p.say("live-step-started", &[("step", what.into())])
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
                "{} {at} {}",
                p.bad("✘"),
                p.say(
                    "live-attempt-failed",
                    &[
                        ("step", name(step).into()),
                        ("attempt", (*attempt).into()),
                        ("exit", exit_words(ending, p.lang).into()),
                    ]
                )
            )];
            // Where a remote step stands on each host: the question shows
            // it to a person; an answers file or `--yes` gets it here.
            if !show.operator
                && let Some(rec) = rec(step.as_str())
                && rec.planned.hosts.len() > 1
            {
                let hosts = fleet::recorded(rec.planned.hosts.iter().map(String::as_str), rec);
                lines.push(format!(
                    "    {}",
                    p.say(
                        "live-hosts",
                        &[("hosts", super::hosts::summary(&hosts, p).into())]
                    )
                ));
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
                    "{} {at} {}",
                    p.bad("✘"),
                    p.say(
                        "live-host-failed",
                        &[
                            ("step", name(step).into()),
                            ("host", text(host)),
                            ("exit", exit_words(ending, p.lang).into()),
                        ]
                    )
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
            let reason = reason_words(reason);
            vec![format!(
                "↻ {at} {} {}{reason}{}{}",
                name(step),
                p.key(decision_in(*decision, p.lang)),
                by_words(by, *source),
                for_role_words(for_role.as_deref(), p)
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
            let for_role = for_role_words(origin.for_role.as_deref(), p);
            let args = |step: String, reason: String| {
                [
                    ("step", FluentValue::from(step)),
                    ("by", text(by)),
                    ("role", for_role.clone().into()),
                    ("reason", reason.into()),
                    ("count", (*count).into()),
                    ("needed", (*needed).into()),
                ]
            };
            if *approved {
                vec![format!(
                    "✔ {at} {}",
                    p.say("live-approved", &args(name(step), String::new()))
                )]
            } else {
                let refused = p.say(
                    "live-refused",
                    &args(step.to_string(), reason_words(reason)),
                );
                vec![p.warn(format!("✘ {at} {refused}"))]
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
                (Outcome::Failed, Some(c)) => p.say("live-exit", &[("code", (*c).into())]),
                _ => String::new(),
            };
            let reason = reason_words(reason);
            let (mark, word) = match outcome {
                Outcome::Done => (p.good("✔"), p.good(p.tr("live-outcome-done"))),
                Outcome::Failed => (p.bad("✘"), p.bad(p.tr("live-outcome-failed"))),
                Outcome::Skipped => (p.warn("↷"), p.warn(p.tr("live-outcome-skipped"))),
                Outcome::Aborted => (p.bad("■"), p.bad(p.tr("live-outcome-aborted"))),
                Outcome::NotApplicable => ("–".to_string(), p.tr("live-outcome-not-applicable")),
            };
            if *outcome == Outcome::NotApplicable {
                // The reason says which mode the step is for: "runs only
                // in incident mode" tells the operator it is not forgotten.
                let why = if reason.is_empty() {
                    p.tr("live-in-this-mode")
                } else {
                    reason
                };
                return vec![format!("{mark} {at} {} {word}{why}", name(step))];
            }
            let by = if *source == Source::Command || *source == Source::Engine {
                String::new()
            } else {
                by_words(by, *source) + &for_role_words(for_role.as_deref(), p)
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
        } => vec![p.warn(format!(
            "↷ {at} {}",
            p.say(
                "live-cancelled",
                &[
                    ("step", step.to_string().into()),
                    ("by", text(by)),
                    ("reason", text(reason))
                ]
            )
        ))],
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
                "+ {at} #{number} {}",
                p.say(
                    "live-added",
                    &[
                        ("step", p.bold(step).into()),
                        ("by", text(by)),
                        ("title", escape::line(title).into_owned().into())
                    ]
                )
            );
            let named = |ids: &[crate::runbook::StepId]| {
                ids.iter().map(&name).collect::<Vec<_>>().join(", ")
            };
            if !after.is_empty() {
                line.push_str(&p.say("live-added-after", &[("steps", named(after).into())]));
            }
            if !before.is_empty() {
                line.push_str(&p.say("live-added-before", &[("steps", named(before).into())]));
            }
            line.push_str(&format!(" ({})", escape::line(reason)));
            let mut lines = vec![line];
            if let Some(run) = run {
                lines.push(format!(
                    "    {}",
                    p.say(
                        "live-added-command",
                        &[
                            ("command", escape::line(run).into_owned().into()),
                            ("run", format!("{} {number}", p.word("run")).into())
                        ]
                    )
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
                (_, Some(t)) => p.say(
                    "live-until",
                    &[("time", t.strftime("%Y-%m-%d %H:%M").to_string().into())],
                ),
                (Some(e), None) => p.span(*e),
                (None, None) => "?".to_string(),
            };
            let was = previous.map_or(String::new(), |d| {
                p.say("live-was", &[("was", p.span(d).into())])
            });
            let mut out = vec![format!(
                "⏱ {at} {}",
                p.say(
                    "live-re-estimated",
                    &[
                        ("step", p.bold(step).into()),
                        ("by", text(by)),
                        ("new", new.into()),
                        ("was", was.into()),
                        ("reason", text(reason))
                    ]
                )
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
                .map_or(String::new(), |r| p.say("live-was", &[("was", text(r))]));
            vec![format!(
                "⇄ {at} {}",
                p.say(
                    "live-assigned",
                    &[
                        ("step", p.bold(step).into()),
                        ("to", p.bold(to).into()),
                        ("by", text(by)),
                        ("was", was.into()),
                        ("reason", text(reason))
                    ]
                )
            )]
        }
        Event::RollbackStarted { step, .. } => {
            vec![format!(
                "↩ {at} {}",
                p.say("live-rolling-back", &[("step", name(step).into())])
            )]
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
                Outcome::Done => p.good(p.tr("live-rolled-back")),
                Outcome::Skipped => p.warn(p.tr("live-rollback-skipped")),
                _ => p.bad(
                    p.say(
                        "live-rollback-failed",
                        &[(
                            "exit",
                            exit_code
                                .map_or(String::new(), |c| {
                                    p.say("live-exit", &[("code", c.into())])
                                })
                                .into(),
                        )],
                    ),
                ),
            };
            vec![format!(
                "↩ {at} {}",
                p.say(
                    "live-rollback-ended",
                    &[
                        ("step", name(step).into()),
                        ("what", what.into()),
                        ("by", text(by)),
                        ("reason", reason_words(reason).into())
                    ]
                )
            )]
        }
        Event::Note { text, by, step, .. } => {
            let about = step.as_ref().map_or(String::new(), |s| {
                p.say("live-note-about", &[("step", name(s).into())])
            });
            let said = p.say(
                "live-note",
                &[
                    ("by", format!("{by}{about}").into()),
                    ("text", text.clone().into()),
                ],
            );
            vec![format!("✎ {at} {said}")]
        }
        Event::RestorePoint {
            step,
            written,
            by,
            host,
            ..
        } => {
            let on = host.as_ref().map_or(String::new(), |h| {
                p.say("live-on-host", &[("host", text(h))])
            });
            vec![format!(
                "⟲ {at} {}",
                p.say(
                    "live-restore-point",
                    &[
                        ("step", format!("{}{on}", name(step)).into()),
                        ("point", text(written)),
                        ("by", text(by))
                    ]
                )
            )]
        }
        Event::Handover { .. }
        | Event::AbortRequested { .. }
        | Event::OperatorAttached { .. }
        | Event::OperatorDetached { .. }
        | Event::RunStopped { .. }
        | Event::RunHeld { .. }
        | Event::RunReleased { .. }
        | Event::RunFinished { .. }
        | Event::NotificationSent { .. }
        | Event::NotificationFailed { .. }
        | Event::CriterionAssessed { .. }
        | Event::ActionRecorded { .. } => cell::lines(tl, e, &at, p),
    }
}

/// Journal text as a message's argument.
fn said(s: &str) -> FluentValue<'static> {
    s.to_string().into()
}

/// `: REASON` with the language's spacing, or nothing.
/// `: REASON`; the engine's own reasons in the palette's language.
fn reason_words(r: &Option<String>, p: Palette) -> String {
    r.as_ref().map_or(String::new(), |r| {
        let r = crate::event::reason_in(r, p.lang);
        p.say("live-reason", &[("reason", said(&r))])
    })
}

/// ` for role storage`, for a record a coordinator made for another role.
fn for_role_words(role: Option<&str>, p: Palette) -> String {
    role.map_or(String::new(), |r| {
        p.say("live-for-role", &[("role", r.to_string().into())])
    })
}
