//! One line per recorded event, as `status` lists the latest ones, in the
//! drill's language.

use crate::event::{Event, NotificationAbout, Stamped};
use crate::identity::Identity;

use super::say::Say;

/// One plain line per event, for `--follow` into a pipe or a file, in
/// `say`'s language and clock.
pub fn describe_in(e: &Stamped, say: &Say) -> String {
    let time = say.clock(e.time);
    let s = |v: &dyn ToString| v.to_string();
    // A reason in parentheses when there is one: two messages.
    let why =
        |with: &str, without: &str, reason: &Option<String>, args: Vec<(&'static str, String)>| {
            match reason {
                Some(r) => {
                    let mut args = args;
                    args.push(("reason", r.clone()));
                    say.tr_args(with, &args)
                }
                None => say.tr_args(without, &args),
            }
        };
    let what = match &e.event {
        Event::RunStarted { name, mode, .. } => say.tr_args(
            "status-ev-run-started",
            &[("name", name.clone()), ("mode", say.mode(*mode))],
        ),
        Event::RunResumed { operator, .. } => {
            say.tr_args("status-ev-resumed", &[("who", operator.clone())])
        }
        Event::StepReady { step } => say.tr_args("status-ev-ready", &[("step", s(step))]),
        Event::StepBegan { step, by, .. } => {
            say.tr_args("status-ev-began", &[("step", s(step)), ("who", by.clone())])
        }
        Event::StepStarted { step, attempt, .. } => match attempt {
            1 => say.tr_args("status-ev-started", &[("step", s(step))]),
            n => say.tr_args(
                "status-ev-started-again",
                &[("step", s(step)), ("attempt", s(n))],
            ),
        },
        Event::AttemptFinished {
            step,
            attempt,
            ending,
        } => say.tr_args(
            "status-ev-attempt",
            &[
                ("step", s(step)),
                ("attempt", s(attempt)),
                ("how", say.ending(ending)),
            ],
        ),
        Event::HostFinished {
            step,
            attempt,
            host,
            ending,
            cause,
            ..
        } => {
            let how = match cause {
                Some(c) => say.cause(*c, ending.exit_code, ending.signal.as_deref()),
                None => say.ending(ending),
            };
            say.tr_args(
                "status-ev-attempt-on",
                &[
                    ("step", s(step)),
                    ("attempt", s(attempt)),
                    ("host", host.clone()),
                    ("how", how),
                ],
            )
        }
        Event::Decision {
            step,
            decision,
            reason,
            by,
            ..
        } => why(
            "status-ev-decision-why",
            "status-ev-decision",
            reason,
            vec![
                ("step", s(step)),
                ("who", by.clone()),
                ("decision", say.decision(*decision)),
            ],
        ),
        Event::StepFinished {
            step,
            outcome,
            reason,
            by,
            ..
        } => why(
            "status-ev-finished-why",
            "status-ev-finished",
            reason,
            vec![
                ("step", s(step)),
                ("outcome", say.outcome(*outcome)),
                ("who", by.clone()),
            ],
        ),
        Event::RestorePoint {
            step,
            written,
            by,
            host,
            ..
        } => {
            let mut args = vec![
                ("step", s(step)),
                ("time", written.clone()),
                ("who", by.clone()),
            ];
            let id = match host {
                Some(h) => {
                    args.push(("host", h.clone()));
                    "status-ev-point-on"
                }
                None => "status-ev-point",
            };
            say.tr_args(id, &args)
        }
        Event::Approval {
            step,
            approved,
            by,
            count,
            needed,
            ..
        } => say.tr_args(
            if *approved {
                "status-ev-approved"
            } else {
                "status-ev-refused"
            },
            &[
                ("step", s(step)),
                ("who", by.clone()),
                ("count", s(count)),
                ("needed", s(needed)),
            ],
        ),
        Event::StepCancelled {
            step, reason, by, ..
        } => say.tr_args(
            "status-ev-cancelled",
            &[
                ("step", s(step)),
                ("who", by.clone()),
                ("reason", reason.clone()),
            ],
        ),
        Event::EstimateRevised {
            step,
            estimate,
            until,
            by,
            ..
        } => {
            let (step, who) = (("step", s(step)), ("who", by.clone()));
            match (estimate, until) {
                (_, Some(t)) => {
                    say.tr_args("status-ev-estimate-until", &[step, who, ("until", s(t))])
                }
                (Some(e), None) => say.tr_args(
                    "status-ev-estimate",
                    &[step, who, ("estimate", say.est(*e))],
                ),
                (None, None) => say.tr_args("status-ev-estimate-none", &[step, who]),
            }
        }
        Event::StepAssigned { step, to, by, .. } => say.tr_args(
            "status-ev-assigned",
            &[("step", s(step)), ("to", to.clone()), ("who", by.clone())],
        ),
        Event::StepAdded {
            step,
            number,
            added,
            by,
            reason,
            ..
        } => say.tr_args(
            "status-ev-added",
            &[
                ("number", s(number)),
                ("step", s(step)),
                ("who", by.clone()),
                ("title", added.title.clone()),
                ("reason", reason.clone()),
            ],
        ),
        Event::RollbackStarted { step, .. } => {
            say.tr_args("status-ev-rollback-started", &[("step", s(step))])
        }
        Event::RollbackFinished { step, outcome, .. } => say.tr_args(
            "status-ev-rollback-finished",
            &[("step", s(step)), ("outcome", say.outcome(*outcome))],
        ),
        Event::Note { text, by, step, .. } => match step {
            Some(st) => say.tr_args(
                "status-ev-note-on",
                &[("who", by.clone()), ("step", s(st)), ("text", text.clone())],
            ),
            None => say.tr_args(
                "status-ev-note",
                &[("who", by.clone()), ("text", text.clone())],
            ),
        },
        Event::Handover { from, to, .. } => say.tr_args(
            "status-ev-handover",
            &[("from", from.clone()), ("to", to.clone())],
        ),
        Event::AbortRequested { by, .. } => say.tr_args("status-ev-abort", &[("who", by.clone())]),
        Event::OperatorAttached { by, origin, .. } => say.tr_args(
            "status-ev-attached",
            &[("who", s(&Identity::new(by, origin.clone())))],
        ),
        Event::OperatorDetached { by, origin, .. } => say.tr_args(
            "status-ev-detached",
            &[("who", s(&Identity::new(by, origin.clone())))],
        ),
        Event::RunStopped { reason, .. } => say.tr_args(
            "status-ev-stopped",
            &[(
                "reason",
                reason
                    .clone()
                    .unwrap_or_else(|| say.tr("status-ev-stopped-reason")),
            )],
        ),
        Event::RunHeld { by, reason, .. } => why(
            "status-ev-held-why",
            "status-ev-held",
            reason,
            vec![("who", by.clone())],
        ),
        Event::RunReleased { by, .. } => say.tr_args("status-ev-released", &[("who", by.clone())]),
        Event::RunFinished { result } => {
            say.tr_args("status-ev-run-finished", &[("result", say.result(*result))])
        }
        Event::NotificationSent { about, attempt } => {
            let NotificationAbout { kind, target, .. } = about;
            say.tr_args(
                "status-ev-alert-sent",
                &[
                    ("kind", s(kind)),
                    ("target", s(target)),
                    ("attempt", s(attempt)),
                ],
            )
        }
        Event::NotificationFailed {
            about,
            attempt,
            error,
            ..
        } => {
            let NotificationAbout { kind, target, .. } = about;
            say.tr_args(
                "status-ev-alert-failed",
                &[
                    ("kind", s(kind)),
                    ("target", s(target)),
                    ("attempt", s(attempt)),
                    ("error", error.clone()),
                ],
            )
        }
        Event::CriterionAssessed {
            criterion,
            verdict,
            by,
            ..
        } => say.tr_args(
            "status-ev-criterion",
            &[
                ("criterion", s(criterion)),
                ("verdict", say.verdict(*verdict)),
                ("who", by.clone()),
            ],
        ),
        Event::ActionRecorded {
            owner, due, text, ..
        } => say.tr_args(
            "status-ev-action",
            &[
                ("owner", owner.clone()),
                ("due", s(due)),
                ("text", text.clone()),
            ],
        ),
    };
    format!("{time} {what}")
}
