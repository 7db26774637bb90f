//! What a resume needs from a journal: the drill's state as presets for the
//! engine, and what changed in the runbook since the drill started.

use std::collections::HashMap;

use crate::event::PlannedStep;
use crate::graph::Graph;
use crate::runbook::{Runbook, StepIndex};

/// The plan as `run_started` would record it for this runbook now.
pub fn planned_steps(runbook: &Runbook, graph: &Graph) -> Vec<PlannedStep> {
    runbook
        .step_indices()
        .map(|i| {
            let s = runbook.step(i);
            PlannedStep {
                id: s.id.value.clone(),
                title: s.title.clone(),
                phase: runbook.phase_of(i).id.value.clone(),
                kind: s.kind(),
                role: s.role.clone(),
                estimate: s.estimate.map(|e| e.value),
                critical: s.critical,
                needs: graph
                    .needs(i)
                    .iter()
                    .map(|n| runbook.step(*n).id.value.clone())
                    .collect(),
                only: s.only,
            }
        })
        .collect()
}

/// One difference between the plan recorded in the journal and the runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A step the journal does not know.
    Added {
        /// Step id.
        id: String,
        /// Its title.
        title: String,
    },
    /// A step of the journal that the runbook no longer has.
    Removed {
        /// Step id.
        id: String,
        /// Its recorded title.
        title: String,
    },
    /// A step whose recorded fields differ.
    Changed {
        /// Step id.
        id: String,
        /// Each differing field: name, recorded value, new value.
        fields: Vec<(&'static str, String, String)>,
    },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added { id, title } => write!(f, "+ {id}: {title}"),
            Change::Removed { id, title } => write!(f, "- {id}: {title}"),
            Change::Changed { id, fields } => {
                write!(f, "~ {id}:")?;
                for (i, (name, old, new)) in fields.iter().enumerate() {
                    let sep = if i == 0 { " " } else { "; " };
                    write!(f, "{sep}{name} {old} → {new}")?;
                }
                Ok(())
            }
        }
    }
}

/// Steps added, removed or changed between the recorded plan and `now`, in
/// file order (removed steps where they were). The journal records no
/// commands or instructions, so a change there shows no step difference.
pub fn plan_changes(recorded: &[PlannedStep], now: &[PlannedStep]) -> Vec<Change> {
    let old: HashMap<&str, &PlannedStep> = recorded.iter().map(|s| (s.id.as_str(), s)).collect();
    let new: HashMap<&str, &PlannedStep> = now.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut changes = Vec::new();
    for s in recorded {
        if !new.contains_key(s.id.as_str()) {
            changes.push(Change::Removed {
                id: s.id.to_string(),
                title: s.title.clone(),
            });
        }
    }
    for s in now {
        let Some(o) = old.get(s.id.as_str()) else {
            changes.push(Change::Added {
                id: s.id.to_string(),
                title: s.title.clone(),
            });
            continue;
        };
        let mut fields = Vec::new();
        let mut diff = |name, a: String, b: String| {
            if a != b {
                fields.push((name, a, b));
            }
        };
        diff("title", quote(&o.title), quote(&s.title));
        diff("kind", o.kind.to_string(), s.kind.to_string());
        diff("phase", o.phase.to_string(), s.phase.to_string());
        diff("needs", list(&o.needs), list(&s.needs));
        diff("role", opt(&o.role), opt(&s.role));
        diff("estimate", opt(&o.estimate), opt(&s.estimate));
        diff("critical", o.critical.to_string(), s.critical.to_string());
        diff("only", opt(&o.only), opt(&s.only));
        if !fields.is_empty() {
            changes.push(Change::Changed {
                id: s.id.to_string(),
                fields,
            });
        }
    }
    changes
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(ToString::to_string).collect();
    format!("[{}]", items.join(", "))
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "(none)".to_string(), ToString::to_string)
}

/// The index of each step id of `runbook`.
pub fn step_index(runbook: &Runbook) -> HashMap<&str, StepIndex> {
    runbook
        .step_indices()
        .map(|i| (runbook.step(i).id.value.as_str(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{PhaseId, StepId, StepKind};

    fn step(id: &str, title: &str, needs: &[&str]) -> PlannedStep {
        PlannedStep {
            id: StepId::new(id),
            title: title.into(),
            phase: PhaseId::new("main"),
            kind: StepKind::Command,
            role: None,
            estimate: None,
            critical: false,
            needs: needs.iter().map(|n| StepId::new(*n)).collect(),
            only: None,
        }
    }

    #[test]
    fn added_removed_and_changed_steps_are_listed() {
        let old = vec![
            step("a", "Stop", &[]),
            step("b", "Copy", &["a"]),
            step("c", "Start", &["b"]),
        ];
        let mut b = step("b", "Copy the data", &["a"]);
        b.kind = StepKind::Confirm;
        let new = vec![step("a", "Stop", &[]), b, step("d", "Check", &["b"])];
        let text: Vec<String> = plan_changes(&old, &new)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "- c: Start",
                "~ b: title \"Copy\" → \"Copy the data\"; kind command → confirm",
                "+ d: Check",
            ]
        );
    }

    #[test]
    fn an_unchanged_plan_has_no_changes() {
        let old = vec![step("a", "Stop", &[]), step("b", "Copy", &["a"])];
        assert!(plan_changes(&old, &old.clone()).is_empty());
    }
}
