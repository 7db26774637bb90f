//! What `run` and `resume` refuse before anything runs: questions nobody
//! can answer, approvals an answers file or `--yes` would give in an incident.

use crate::exec::Preset;
use crate::exec::operator::FLAGS_HINT;
use crate::runbook::{Mode, Runbook, StepIndex, StepKind};

use super::Answerer;

/// An incident never auto-approves a step that needs `approvals`: with
/// `--yes` or `--answers`, such a runbook is refused before anything runs.
pub(super) fn refuse_scripted_approvals(
    rb: &Runbook,
    mode: Mode,
    answerer: &Answerer,
) -> crate::cli::Result<()> {
    let flag = match answerer {
        Answerer::Yes => "--yes",
        Answerer::Answers(..) => "--answers",
        _ => return Ok(()),
    };
    if mode != Mode::Incident {
        return Ok(());
    }
    let Some((i, s)) = rb
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.approvals.is_some() && s.applies_in(mode))
    else {
        return Ok(());
    };
    Err(crate::cli::Error::invalid(format!(
        "step {} `{}` needs {} approvals, and {flag} would approve it automatically: a real \
         switch-over is never auto-approved; nothing was run",
        i + 1,
        s.id.value,
        s.approvals.map_or(1, |n| n.value)
    ))
    .hint(format!(
        "run the incident at a terminal without {flag}, each approver confirming from their \
         own account"
    )))
}

/// Refuses to start (or to carry on, for `reprise resume`) when some
/// question is certain to come and nobody can answer it: manual steps and
/// confirmations, and on resume interrupted steps that are not idempotent
/// commands, without a terminal, `--yes`, or an answer. `nothing_was` ends
/// the message: what was not done (`run`, `resumed`). The one check for
/// both commands, so that they refuse the same drills with the same words.
pub(crate) fn refuse_unanswerable(
    rb: &Runbook,
    mode: Mode,
    presets: &[Preset],
    answerer: &Answerer,
    nothing_was: &str,
) -> crate::cli::Result<()> {
    let mut recorded = std::collections::HashSet::new();
    let mut interrupted = std::collections::HashSet::new();
    for p in presets {
        match p {
            // Finishing an abort: nothing but rollbacks is asked.
            Preset::Aborting { .. } => return Ok(()),
            Preset::AssumeDone { step, .. }
            | Preset::Skip { step, .. }
            | Preset::Recorded { step, .. } => recorded.insert(*step),
            Preset::Interrupted { step, .. } => interrupted.insert(*step),
            Preset::Added { .. } | Preset::Revised { .. } | Preset::Assigned { .. } => false,
        };
    }
    // Interrupted commands that are not idempotent need a decision (run
    // again, mark done, mark failed); manual steps and confirmations still
    // to come (an interrupted manual step included) need a confirmation.
    let mut decide = Vec::new();
    let mut confirm = Vec::new();
    for i in rb.step_indices() {
        let s = rb.step(i);
        if interrupted.contains(&i) && s.kind() != StepKind::Manual {
            if !s.idempotent {
                decide.push(i);
            }
        } else if s.kind() != StepKind::Command && s.applies_in(mode) && !recorded.contains(&i) {
            confirm.push(i);
        }
    }
    let (decide, confirm): (Vec<StepIndex>, Vec<StepIndex>) = match answerer {
        Answerer::Terminal | Answerer::Yes | Answerer::Attached => return Ok(()),
        Answerer::Answers(a, _) => (
            decide.into_iter().filter(|i| !a.covers(*i)).collect(),
            confirm.into_iter().filter(|i| !a.covers(*i)).collect(),
        ),
        Answerer::Nobody => (decide, confirm),
    };
    if decide.is_empty() && confirm.is_empty() {
        return Ok(());
    }
    // Ten names at most: the message must stay readable for a big runbook.
    let list = |steps: &[StepIndex], command: bool| {
        let mut text = steps
            .iter()
            .take(10)
            .map(|&i| {
                let s = rb.step(i);
                match s.run.as_ref().filter(|_| command) {
                    Some(c) => format!("`{}` (`{}`)", s.id.value, c.value),
                    None => format!("`{}`", s.id.value),
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if steps.len() > 10 {
            text.push_str(&format!(" and {} more", steps.len() - 10));
        }
        text
    };
    let one = decide.len() == 1;
    let interrupted_text = format!(
        "step{} {} {} interrupted and {} not idempotent",
        if one { "" } else { "s" },
        list(&decide, true),
        if one { "was" } else { "were" },
        if one { "is" } else { "are" },
    );
    Err(match answerer {
        Answerer::Answers(_, file) => {
            let mut missing = decide.clone();
            missing.extend(&confirm);
            crate::cli::Error::invalid(format!(
                "{file} has no answer for {}, which the operator must confirm or decide about: nothing was {nothing_was}",
                list(&missing, false)
            ))
            .hint("add an answer for each (see docs/answers.md), or run at a terminal")
        }
        _ if decide.is_empty() => crate::cli::Error::invalid(format!(
            "there is no terminal to confirm {}: nothing was {nothing_was}",
            list(&confirm, false)
        ))
        .hint(FLAGS_HINT),
        _ => {
            let also = if confirm.is_empty() {
                String::new()
            } else {
                format!(", nor to confirm {}", list(&confirm, false))
            };
            crate::cli::Error::invalid(format!(
                "{interrupted_text}: someone must decide whether to run {} again, and there is no terminal to ask{also}: nothing was {nothing_was}",
                if one { "it" } else { "them" },
            ))
            .hint(
                "run it at a terminal, add `--yes` (run interrupted steps again, confirm manual steps and confirmations), \
                 or answer each one in --answers FILE (run, mark_done or mark_failed for an interrupted step; see docs/answers.md)",
            )
        }
    })
}
