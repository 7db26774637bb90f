//! One line per recorded event, as `status` lists the latest ones.

use crate::event::{Event, NotificationAbout, Stamped};

/// One plain line per event, for `--follow` into a pipe or a file.
pub fn describe(e: &Stamped) -> String {
    let time = e.time.strftime("%H:%M:%S");
    let what = match &e.event {
        Event::RunStarted { name, mode, .. } => format!("drill started: {name} ({mode})"),
        Event::RunResumed { operator, .. } => format!("resumed by {operator}"),
        Event::StepReady { step } => format!("{step} ready"),
        Event::StepBegan { step, by, .. } => format!("{step} began (paper, {by})"),
        Event::StepStarted { step, attempt, .. } => match attempt {
            1 => format!("{step} started"),
            n => format!("{step} started (attempt {n})"),
        },
        Event::AttemptFinished {
            step,
            attempt,
            ending,
        } => format!("{step} attempt {attempt}: {}", ending.words()),
        Event::HostFinished {
            step,
            attempt,
            host,
            ending,
            cause,
            ..
        } => {
            let how = match cause {
                Some(c) => c.text(ending.exit_code, ending.signal.as_deref()),
                None => ending.words(),
            };
            format!("{step} attempt {attempt} on {host}: {how}")
        }
        Event::Decision {
            step,
            decision,
            reason,
            by,
            ..
        } => format!(
            "{step}: {by} decided: {}{}",
            crate::terminal::lines::decision_name(*decision),
            reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        Event::StepFinished {
            step,
            outcome,
            reason,
            by,
            ..
        } => format!(
            "{step} {outcome} by {by}{}",
            reason
                .as_ref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        ),
        Event::RestorePoint {
            step,
            written,
            by,
            host,
            ..
        } => {
            let on = host.as_ref().map_or(String::new(), |h| format!(" on {h}"));
            format!("{step}{on}: restore point {written} (given by {by})")
        }
        Event::Approval {
            step,
            approved,
            by,
            count,
            needed,
            ..
        } => format!(
            "{step} {} by {by} ({count} of {needed} approvals)",
            if *approved { "approved" } else { "refused" }
        ),
        Event::StepCancelled {
            step, reason, by, ..
        } => {
            format!("{step} cancelled by {by} ({reason})")
        }
        Event::EstimateRevised {
            step,
            estimate,
            until,
            by,
            ..
        } => match (estimate, until) {
            (_, Some(t)) => format!("{step} re-estimated by {by}: until {t}"),
            (Some(e), None) => format!("{step} re-estimated by {by}: {e}"),
            (None, None) => format!("{step} re-estimated by {by}"),
        },
        Event::StepAssigned { step, to, by, .. } => format!("{step} assigned to {to} by {by}"),
        Event::StepAdded {
            step,
            number,
            added,
            by,
            reason,
            ..
        } => format!("#{number} {step} added by {by}: {} ({reason})", added.title),
        Event::RollbackStarted { step, .. } => format!("{step} rollback started"),
        Event::RollbackFinished { step, outcome, .. } => format!("{step} rollback {outcome}"),
        Event::Note { text, by, step, .. } => match step {
            Some(s) => format!("note by {by} on {s}: {text}"),
            None => format!("note by {by}: {text}"),
        },
        Event::Handover { from, to, .. } => format!("handover from {from} to {to}"),
        Event::AbortRequested { by, .. } => format!("abort requested by {by}"),
        Event::OperatorAttached { by, origin, .. } => {
            format!(
                "{} attached",
                crate::identity::Identity::new(by, origin.clone())
            )
        }
        Event::OperatorDetached { by, origin, .. } => {
            format!(
                "{} detached",
                crate::identity::Identity::new(by, origin.clone())
            )
        }
        Event::RunStopped { reason, .. } => format!(
            "drill stopped ({}): `reprise resume` continues it",
            reason.as_deref().unwrap_or("stopped")
        ),
        Event::RunHeld { by, reason, .. } => match reason {
            Some(r) => format!("held by {by}: {r}"),
            None => format!("held by {by}"),
        },
        Event::RunReleased { by, .. } => format!("released by {by}"),
        Event::RunFinished { result } => format!("drill finished: {result}"),
        Event::NotificationSent { about, attempt } => {
            let NotificationAbout { kind, target, .. } = about;
            format!("alert {kind} sent to {target} (attempt {attempt})")
        }
        Event::NotificationFailed {
            about,
            attempt,
            error,
            ..
        } => {
            let NotificationAbout { kind, target, .. } = about;
            format!("alert {kind} to {target} failed (attempt {attempt}): {error}")
        }
        Event::CriterionAssessed {
            criterion,
            verdict,
            by,
            ..
        } => format!("criterion {criterion} assessed {verdict} by {by}"),
        Event::ActionRecorded {
            owner, due, text, ..
        } => format!("action for {owner}, due {due}: {text}"),
    };
    format!("{time} {what}")
}
