//! The status screen: the headline, each step's line, what comes next.

use std::path::Path;

use jiff::Timestamp;

use crate::runbook::StepKind;
use crate::timeline::{RtoVerdict, StepRecord, StepState, Timeline};

use super::*;

/// The whole view, as text.
pub fn render(t: &Timeline, now: Timestamp, live: Option<&str>, path: &Path, log: &Log) -> String {
    let mut out = String::new();
    let Some(h) = &t.header else {
        return out;
    };
    out.push_str(&format!(
        "{} — {}{}\nstarted {} by {} on {}\n",
        h.name,
        h.mode,
        if h.dry_run { ", dry run" } else { "" },
        h.started.strftime("%Y-%m-%d %H:%M:%SZ"),
        h.operator,
        h.host,
    ));
    let elapsed = dur(t.elapsed(now).unwrap_or_default());
    let rto = h.rto.map(|r| r.to_string());
    let timing = match (t.rto_verdict(now), rto) {
        (RtoVerdict::NoObjective, _) | (_, None) => format!("elapsed {elapsed} (no RTO)"),
        (RtoVerdict::Open { remaining }, Some(rto)) => {
            format!("elapsed {elapsed} of RTO {rto}: {} left", dur(remaining))
        }
        (RtoVerdict::Overdue { by }, Some(rto)) => {
            format!("elapsed {elapsed} of RTO {rto}: OVERDUE by {}", dur(by))
        }
        (RtoVerdict::Met { margin }, Some(rto)) => format!(
            "recovered in {} against RTO {rto}: met with {} to spare",
            dur(t.time_to_recovery().unwrap_or_default()),
            dur(margin)
        ),
        (RtoVerdict::Missed { by }, Some(rto)) => format!(
            "recovered in {} against RTO {rto}: MISSED by {}",
            dur(t.time_to_recovery().unwrap_or_default()),
            dur(by)
        ),
        (RtoVerdict::NotRecovered, Some(rto)) => {
            format!("elapsed {elapsed}, RTO {rto}: not recovered")
        }
    };
    out.push_str(&timing);
    out.push('\n');
    // Where the plan (with its revised estimates) says the recovery ends.
    if let Some(o) = t.outlook(now) {
        let when = o.end.strftime("%Y-%m-%d %H:%M:%SZ").to_string();
        let palette = crate::terminal::lines::Palette::PLAIN;
        out.push_str(&format!(
            "{}\n",
            crate::terminal::lines::outlook_words(&o, now, &when, palette)
        ));
    }
    match (t.result, live) {
        (Some((at, result)), _) => out.push_str(&format!(
            "finished {result} at {}\n",
            at.strftime("%Y-%m-%d %H:%M:%SZ")
        )),
        (None, Some(holder)) => out.push_str(&format!("in progress: {holder}\n")),
        (None, None) => out.push_str(&format!(
            "not running: stopped after {}; carry on with `reprise resume {}`\n",
            t.last_event
                .map(|l| l.strftime("%Y-%m-%d %H:%M:%SZ").to_string())
                .unwrap_or_default(),
            path.display()
        )),
    }
    if let Some(r) = t.resumes.last() {
        out.push_str(&format!(
            "resumed {} time{}, last at {} by {}\n",
            t.resumes.len(),
            if t.resumes.len() == 1 { "" } else { "s" },
            r.time.strftime("%Y-%m-%d %H:%M:%SZ"),
            r.operator
        ));
    }
    if let Some(hand) = t.handovers.last() {
        out.push_str(&format!("operator: {} (since handover)\n", hand.to));
    }
    if let Some(held) = &log.held {
        out.push_str(&format!("HELD {held} (no new step starts)\n"));
    }

    let mut counts: Vec<(String, usize)> = Vec::new();
    for s in &t.steps {
        let label = state_label(s);
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    out.push_str(&format!(
        "steps: {} ({} in all)\n",
        counts
            .iter()
            .map(|(l, n)| format!("{n} {l}"))
            .collect::<Vec<_>>()
            .join(", "),
        t.steps.len()
    ));

    let services = services::block(t, now);
    if !services.is_empty() {
        out.push('\n');
        out.push_str(&services);
    }
    let waiting: Vec<&StepRecord> = t.steps.iter().filter(|s| waits_for_operator(s)).collect();
    if !waiting.is_empty() && !t.is_finished() {
        out.push_str("\nwaiting for the operator:\n");
        for s in &waiting {
            let number = t.number(s.id().as_str()).unwrap_or_default();
            out.push_str(&step_line(t, number, s, now));
        }
    }
    let next = next_steps(t);
    if !next.is_empty() && !t.is_finished() {
        out.push_str("\nnext, when what they wait for ends:\n");
        for &i in next.iter().take(NEXT) {
            out.push_str(&step_line(t, i as u32 + 1, &t.steps[i], now));
        }
        if next.len() > NEXT {
            out.push_str(&format!("  … and {} more\n", next.len() - NEXT));
        }
    }
    if !log.recent.is_empty() {
        out.push_str("\nlatest notes, decisions, handovers and holds:\n");
        for l in &log.recent {
            out.push_str(&format!("  {l}\n"));
        }
    }
    out.push_str("\nsteps:\n");
    for (i, s) in t.steps.iter().enumerate() {
        out.push_str(&step_line(t, i as u32 + 1, s, now));
    }
    out
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

pub(super) fn state_label(s: &StepRecord) -> String {
    match s.state {
        StepState::Pending => "pending".into(),
        StepState::Ready => match s.planned.kind {
            StepKind::Manual => "open".into(),
            StepKind::Confirm => "to confirm".into(),
            StepKind::Command => "ready".into(),
        },
        StepState::Running { .. } => "running".into(),
        StepState::AttemptFailed { .. } => "attempt failed".into(),
        StepState::Finished(o) => o.to_string(),
    }
}

pub(super) fn step_line(t: &Timeline, number: u32, s: &StepRecord, now: Timestamp) -> String {
    let mut state = state_label(s);
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
                if over.is_zero() {
                    format!("{} of {est}", dur(d))
                } else {
                    format!("{} of {est}, OVER by {}", dur(d), dur(over))
                }
            }
            None => dur(d),
        }
    } else if let Some(est) = s.planned.estimate {
        format!("est. {est}")
    } else {
        String::new()
    };
    let mut detail = Vec::new();
    if let Some(role) = &s.planned.role {
        detail.push(role.clone());
    }
    // Who did it and who recorded it are two facts: a command is run by
    // reprise, never by the operator at the keyboard.
    match (t.performed_by(s), Timeline::recorded_by(s)) {
        (Some(p), Some(r)) if r == "reprise" || p == r => detail.push(format!("by {p}")),
        (Some(p), Some(r)) => detail.push(format!("by {p}, recorded by {r}")),
        (None, Some(r)) => detail.push(format!("recorded by {r}")),
        (Some(p), None) => detail.push(format!("by {p}")),
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
