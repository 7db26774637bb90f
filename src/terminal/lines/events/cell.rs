//! The lines of what the crisis cell does around the steps: handovers,
//! holds, attached terminals, stops and ends, alerts, criteria, actions.

use crate::event::{Event, NotificationAbout, RunResult, Stamped};
use crate::timeline::Timeline;

use super::super::{Palette, mode_word};
use super::{reason_words, said};

/// The lines of `e`, one of the cell's events (others have none here).
pub(super) fn lines(tl: &Timeline, e: &Stamped, at: &str, p: Palette) -> Vec<String> {
    let text = said;
    let reason_words = |r: &Option<String>| reason_words(r, p);
    match &e.event {
        Event::Handover { from, to, note, .. } => {
            vec![format!(
                "⇄ {at} {}",
                p.say(
                    "live-handover",
                    &[
                        ("from", text(from)),
                        ("to", p.bold(to).into()),
                        ("note", reason_words(note).into())
                    ]
                )
            )]
        }
        Event::AbortRequested { by, reason, .. } => {
            let asked = p.say(
                "live-abort-requested",
                &[("by", text(by)), ("reason", reason_words(reason).into())],
            );
            vec![p.bad(format!("⚠ {at} {asked}"))]
        }
        Event::OperatorAttached {
            by,
            origin,
            read_only,
            roles,
        } => {
            let who = crate::identity::Identity::new(by, origin.clone());
            let how = if *read_only {
                p.tr("live-read-only")
            } else {
                String::new()
            };
            let roles = if roles.is_empty() {
                String::new()
            } else {
                p.say("live-for-roles", &[("roles", roles.join(", ").into())])
            };
            let attached = p.say(
                "live-attached",
                &[
                    ("who", who.to_string().into()),
                    ("roles", roles.into()),
                    ("how", how.into()),
                ],
            );
            vec![p.dim(format!("⇢ {at} {attached}"))]
        }
        Event::OperatorDetached {
            by, origin, reason, ..
        } => {
            let who = crate::identity::Identity::new(by, origin.clone());
            let how = reason.as_ref().map_or(String::new(), |r| format!(" ({r})"));
            let detached = p.say(
                "live-detached",
                &[("who", who.to_string().into()), ("how", how.into())],
            );
            vec![p.dim(format!("⇠ {at} {detached}"))]
        }
        Event::RunStopped { reason, .. } => {
            let reason = reason.clone().unwrap_or_else(|| p.tr("live-stopped"));
            let stopped = p.say("live-run-stopped", &[("reason", reason.into())]);
            vec![p.warn(format!("■ {at} {stopped}"))]
        }
        Event::RunHeld { by, reason, .. } => {
            let held = p.say(
                "live-held",
                &[
                    ("by", text(by)),
                    ("reason", reason_words(reason).into()),
                    ("release", p.word("release").into()),
                ],
            );
            vec![p.warn(format!("⏸ {at} {held}"))]
        }
        Event::RunReleased { by, .. } => vec![p.good(format!(
            "▶ {at} {}",
            p.say("live-released", &[("by", text(by))])
        ))],
        Event::RunFinished { result } => {
            let said = |id: &str| p.tr(id);
            let word = match result {
                RunResult::Recovered => p.good(said("live-result-recovered")),
                RunResult::Degraded => p.warn(said("live-result-degraded")),
                RunResult::Aborted => p.bad(said("live-result-aborted")),
            };
            let mode = mode_word(
                tl.header
                    .as_ref()
                    .map_or(crate::runbook::Mode::Drill, |h| h.mode),
                p,
            );
            let finished = p.say(
                "live-run-finished",
                &[("mode", mode.into()), ("result", word.into())],
            );
            vec![format!("● {at} {finished}")]
        }
        Event::NotificationSent { about, .. } => {
            let NotificationAbout { kind, target, .. } = about;
            let sent = p.say(
                "live-alert-sent",
                &[
                    ("kind", kind.to_string().into()),
                    ("target", target.to_string().into()),
                ],
            );
            vec![p.dim(format!("✉ {at} {sent}"))]
        }
        Event::NotificationFailed {
            about, error, last, ..
        } => {
            let NotificationAbout { kind, target, .. } = about;
            let failed = p.say(
                "live-alert-failed",
                &[
                    ("kind", kind.to_string().into()),
                    ("target", target.to_string().into()),
                    ("error", text(error)),
                ],
            );
            let line = format!("✉ {at} {failed}");
            vec![if *last { p.warn(line) } else { p.dim(line) }]
        }
        Event::CriterionAssessed {
            criterion,
            verdict,
            by,
            ..
        } => vec![format!(
            "✓ {at} {}",
            p.say(
                "live-assessed",
                &[
                    ("criterion", criterion.to_string().into()),
                    (
                        "verdict",
                        crate::terminal::criteria::verdict_text(p.lang, *verdict).into()
                    ),
                    ("by", text(by))
                ]
            )
        )],
        Event::ActionRecorded {
            owner,
            due,
            text: what,
            ..
        } => vec![format!(
            "→ {at} {}",
            p.say(
                "live-action",
                &[
                    ("owner", text(owner)),
                    ("due", due.to_string().into()),
                    ("text", text(what))
                ]
            )
        )],
        // The steps' events have their lines in `events.rs`.
        _ => Vec::new(),
    }
}
