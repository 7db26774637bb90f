//! What `run` and `resume` refuse before anything runs: questions nobody
//! can answer, approvals an answers file or `--yes` would give in an incident.

use crate::exec::Preset;
use crate::i18n::msg;
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
    Err(crate::cli::Error::said(msg!(
        "refuse-scripted-approvals",
        n = i + 1,
        step = s.id.value,
        approvals = s.approvals.map_or(1, |n| n.value),
        flag = flag
    ))
    .hint_said(msg!("refuse-scripted-approvals-hint", flag = flag)))
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
        let names = steps
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
        msg!("steps-listed", names = names).num("more", steps.len().saturating_sub(10))
    };
    let nothing = msg!("nothing-was", what = nothing_was);
    Err(match answerer {
        Answerer::Answers(_, file) => {
            let mut missing = decide.clone();
            missing.extend(&confirm);
            crate::cli::Error::said(
                msg!("refuse-no-answer", file = file)
                    .sub("steps", list(&missing, false))
                    .sub("nothing", nothing),
            )
            .hint_said(msg!("refuse-no-answer-hint"))
        }
        _ if decide.is_empty() => crate::cli::Error::said(
            msg!("refuse-no-terminal")
                .sub("steps", list(&confirm, false))
                .sub("nothing", nothing),
        )
        .hint_said(msg!("refuse-no-terminal-hint")),
        _ => {
            let mut said = msg!("refuse-interrupted")
                .num("count", decide.len())
                .sub("steps", list(&decide, true))
                .sub("nothing", nothing);
            said = if confirm.is_empty() {
                said.sub("also", msg!("refuse-nothing-else"))
            } else {
                said.sub(
                    "also",
                    msg!("refuse-nor-confirm").sub("steps", list(&confirm, false)),
                )
            };
            crate::cli::Error::said(said).hint_said(msg!("refuse-interrupted-hint"))
        }
    })
}
