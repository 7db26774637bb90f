//! The status screen: the headline, each step's line, what comes next.

use std::path::Path;

use jiff::Timestamp;

use crate::event::Outcome;
use crate::runbook::StepKind;
use crate::timeline::{Outlook, RtoVerdict, StepRecord, StepState, Timeline};

use super::say::Say;

use super::*;

/// The whole view, as text, in `say`'s language.
pub fn render(
    t: &Timeline,
    now: Timestamp,
    live: Option<&str>,
    path: &Path,
    log: &Log,
    say: &Say,
) -> String {
    let mut out = String::new();
    let Some(h) = &t.header else {
        return out;
    };
    let name = h.name.clone();
    let mode = say.mode(h.mode);
    let title = if h.dry_run {
        "status-title-dry"
    } else {
        "status-title"
    };
    out.push_str(&say.tr_args(title, &[("name", name), ("mode", mode)]));
    out.push('\n');
    out.push_str(&say.tr_args(
        "status-started",
        &[
            ("time", say.moment(h.started)),
            ("who", h.operator.clone()),
            ("host", h.host.clone()),
        ],
    ));
    if let Some(zone) = say.zone_name() {
        out.push_str(" · ");
        out.push_str(&say.tr_args("status-zone", &[("zone", zone.to_string())]));
    }
    out.push('\n');
    let elapsed = say.dur(t.elapsed(now).unwrap_or_default());
    let took = || say.dur(t.time_to_recovery().unwrap_or_default());
    let timing = match (t.rto_verdict(now), h.rto.map(|r| say.est(r))) {
        (RtoVerdict::NoObjective, _) | (_, None) => {
            say.tr_args("status-elapsed-no-rto", &[("elapsed", elapsed)])
        }
        (RtoVerdict::Open { remaining }, Some(rto)) => say.tr_args(
            "status-elapsed-open",
            &[
                ("elapsed", elapsed),
                ("rto", rto),
                ("left", say.dur(remaining)),
            ],
        ),
        (RtoVerdict::Overdue { by }, Some(rto)) => say.tr_args(
            "status-elapsed-overdue",
            &[("elapsed", elapsed), ("rto", rto), ("by", say.dur(by))],
        ),
        (RtoVerdict::Met { margin }, Some(rto)) => say.tr_args(
            "status-recovered-met",
            &[("took", took()), ("rto", rto), ("spare", say.dur(margin))],
        ),
        (RtoVerdict::Missed { by }, Some(rto)) => say.tr_args(
            "status-recovered-missed",
            &[("took", took()), ("rto", rto), ("by", say.dur(by))],
        ),
        (RtoVerdict::NotRecovered, Some(rto)) => say.tr_args(
            "status-not-recovered",
            &[("elapsed", elapsed), ("rto", rto)],
        ),
    };
    out.push_str(&timing);
    out.push('\n');
    // Where the plan (with its revised estimates) says the recovery ends.
    if let Some(o) = t.outlook(now) {
        out.push_str(&outlook(&o, now, say));
        out.push('\n');
    }
    match (t.result, live) {
        (Some((at, result)), _) => out.push_str(&say.tr_args(
            "status-finished",
            &[("result", say.result(result)), ("time", say.moment(at))],
        )),
        (None, Some(holder)) => {
            out.push_str(&say.tr_args("status-in-progress", &[("holder", holder.to_string())]))
        }
        (None, None) => out.push_str(&say.tr_args(
            "status-not-running",
            &[
                (
                    "time",
                    t.last_event.map(|l| say.moment(l)).unwrap_or_default(),
                ),
                ("path", path.display().to_string()),
            ],
        )),
    }
    out.push('\n');
    if let Some(r) = t.resumes.last() {
        out.push_str(&say.tr_count(
            "status-resumed",
            t.resumes.len(),
            &[("time", say.moment(r.time)), ("who", r.operator.clone())],
        ));
        out.push('\n');
    }
    if let Some(hand) = t.handovers.last() {
        out.push_str(&say.tr_args("status-operator", &[("who", hand.to.clone())]));
        out.push('\n');
    }
    if let Some(held) = &log.held {
        out.push_str(&say.tr_args("status-held", &[("held", held.clone())]));
        out.push('\n');
    }

    let mut counts: Vec<(&str, usize)> = Vec::new();
    for s in &t.steps {
        let id = state_id(s);
        match counts.iter_mut().find(|(l, _)| *l == id) {
            Some((_, n)) => *n += 1,
            None => counts.push((id, 1)),
        }
    }
    // `2 faites`: the word agrees with its count.
    let counts = counts
        .iter()
        .map(|(id, n)| say.tr_count(&format!("status-n-{id}"), *n, &[]))
        .collect::<Vec<_>>()
        .join(", ");
    out.push_str(&say.tr_args(
        "status-counts",
        &[("counts", counts), ("total", t.steps.len().to_string())],
    ));
    out.push('\n');

    let services = services::block(t, now, say);
    if !services.is_empty() {
        out.push('\n');
        out.push_str(&services);
    }
    let heading = |id: &str| format!("\n{}\n", say.tr(id));
    let waiting: Vec<&StepRecord> = t.steps.iter().filter(|s| waits_for_operator(s)).collect();
    if !waiting.is_empty() && !t.is_finished() {
        out.push_str(&heading("status-waiting"));
        for s in &waiting {
            let number = t.number(s.id().as_str()).unwrap_or_default();
            out.push_str(&step_line(t, number, s, now, say));
        }
    }
    let next = next_steps(t);
    if !next.is_empty() && !t.is_finished() {
        out.push_str(&heading("status-next"));
        for &i in next.iter().take(NEXT) {
            out.push_str(&step_line(t, i as u32 + 1, &t.steps[i], now, say));
        }
        if next.len() > NEXT {
            out.push_str(&format!(
                "  {}\n",
                say.tr_args("status-more", &[("count", (next.len() - NEXT).to_string())])
            ));
        }
    }
    if !log.recent.is_empty() {
        out.push_str(&heading("status-latest"));
        for l in &log.recent {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out.push_str(&heading("status-steps"));
    for (i, s) in t.steps.iter().enumerate() {
        out.push_str(&step_line(t, i as u32 + 1, s, now, say));
    }
    out
}

/// `recovery forecast to end at 08:11:00Z (in 1m), 49m within the RTO`:
/// where the plan, with its revised estimates, says the recovery ends.
fn outlook(o: &Outlook, now: Timestamp, say: &Say) -> String {
    let rto = match o.margin {
        Some(m) if m.is_negative() => say.tr_args(
            "status-forecast-past",
            &[("margin", say.dur(m.unsigned_abs()))],
        ),
        Some(m) => say.tr_args(
            "status-forecast-within",
            &[("margin", say.dur(m.unsigned_abs()))],
        ),
        None => String::new(),
    };
    let unestimated = match o.unestimated {
        0 => String::new(),
        n => say.tr_count("status-forecast-unestimated", n, &[]),
    };
    say.tr_args(
        "status-forecast",
        &[
            ("when", say.moment(o.end)),
            ("left", say.dur(o.end.duration_since(now).unsigned_abs())),
            ("rto", rto),
            ("unestimated", unestimated),
        ],
    )
}

/// How many of the next steps are shown.
pub(super) const NEXT: usize = 5;

/// Positions of the pending steps that come next: everything they wait
/// for (steps, and whole phases) is under way or ended.
pub(super) fn next_steps(t: &Timeline) -> Vec<usize> {
    let pending = |s: &StepRecord| s.state == StepState::Pending;
    let busy_phases: std::collections::HashSet<&str> = t
        .steps
        .iter()
        .filter(|s| pending(s))
        .map(|s| s.planned.phase.as_str())
        .collect();
    t.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| pending(s))
        .filter(|(_, s)| {
            s.planned
                .needs
                .iter()
                .all(|n| t.step(n.as_str()).is_some_and(|r| !pending(r)))
                && s.planned
                    .needs_phases
                    .iter()
                    .all(|p| !busy_phases.contains(p.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// A step is waiting for a person: an open manual step, a command to
/// confirm, a failed attempt awaiting a decision.
pub(super) fn waits_for_operator(s: &StepRecord) -> bool {
    match s.state {
        StepState::Ready => matches!(s.planned.kind, StepKind::Manual | StepKind::Confirm),
        StepState::AttemptFailed { .. } => true,
        _ => false,
    }
}

/// The name of a step's state in the messages: `pending`, `open`, `done`….
fn state_id(s: &StepRecord) -> &'static str {
    match s.state {
        StepState::Pending => "pending",
        StepState::Ready => match s.planned.kind {
            StepKind::Manual => "open",
            StepKind::Confirm => "to-confirm",
            StepKind::Command => "ready",
        },
        StepState::Running { .. } => "running",
        StepState::AttemptFailed { .. } => "attempt-failed",
        StepState::Finished(o) => match o {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Aborted => "aborted",
            Outcome::NotApplicable => "not-applicable",
        },
    }
}

pub(super) fn state_label(s: &StepRecord, say: &Say) -> String {
    say.tr(&format!("status-state-{}", state_id(s)))
}

/// Who did a step, in `say`'s words: the person, or reprise on the machine
/// (and account) that ran its last attempt.
fn performer(t: &Timeline, s: &StepRecord, say: &Say) -> Option<String> {
    let Some(a) = s.attempts.last() else {
        return t.performed_by(s);
    };
    let runner = t.runners.iter().rev().find(|r| r.time <= a.started)?;
    let host = ("host", runner.host.clone());
    Some(match &runner.account {
        Some(acc) => say.tr_args("status-runner-as", &[("account", acc.clone()), host]),
        None => say.tr_args("status-runner", &[host]),
    })
}

pub(super) fn step_line(
    t: &Timeline,
    number: u32,
    s: &StepRecord,
    now: Timestamp,
    say: &Say,
) -> String {
    let mut state = state_label(s, say);
    if let StepState::Running { attempt } | StepState::AttemptFailed { attempt } = s.state
        && attempt > 1
    {
        state.push_str(&format!(" #{attempt}"));
    }
    // The time first: on a narrow terminal the end of the line is cut.
    let timing = if let Some(d) = s.duration(now) {
        match s.planned.estimate {
            Some(est) => {
                let over = s.overrun(now).unwrap_or_default();
                let (took, estimate) = (("took", say.dur(d)), ("estimate", say.est(est)));
                if over.is_zero() {
                    say.tr_args("status-took-of", &[took, estimate])
                } else {
                    say.tr_args(
                        "status-took-over",
                        &[took, estimate, ("over", say.dur(over))],
                    )
                }
            }
            None => say.dur(d),
        }
    } else if let Some(est) = s.planned.estimate {
        say.tr_args("status-estimated", &[("estimate", say.est(est))])
    } else {
        String::new()
    };
    let mut detail = Vec::new();
    if let Some(role) = &s.planned.role {
        detail.push(role.clone());
    }
    // Who did it and who recorded it are two facts: a command is run by
    // reprise, never by the operator at the keyboard.
    let recorded = Timeline::recorded_by(s);
    let same = match (t.performed_by(s), &recorded) {
        (Some(p), Some(r)) => r == "reprise" || &p == r,
        _ => false,
    };
    match (performer(t, s, say), recorded) {
        (Some(p), Some(_)) if same => detail.push(say.tr_args("status-by", &[("who", p)])),
        (Some(p), Some(r)) => {
            detail.push(say.tr_args("status-by-recorded", &[("who", p), ("recorder", r)]))
        }
        (None, Some(r)) => detail.push(say.tr_args("status-recorded", &[("recorder", r)])),
        (Some(p), None) => detail.push(say.tr_args("status-by", &[("who", p)])),
        (None, None) => {}
    }
    if let Some(reason) = &s.reason {
        detail.push(format!("\"{reason}\""));
    }
    format!(
        "  {:>4} {state:<14} {:<20} {}{}{}\n",
        format!("#{number}"),
        s.planned.id.as_str(),
        if timing.is_empty() {
            String::new()
        } else {
            format!("{timing} · ")
        },
        s.planned.title,
        if detail.is_empty() {
            String::new()
        } else {
            format!("  ({})", detail.join(", "))
        }
    )
}
