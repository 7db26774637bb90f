//! Steps added during the drill (`step_added`): they join the plan as
//! steps of their own, after the runbook's, and count among the changes
//! to the plan.

use jiff::Timestamp;

use super::{ChangeKind, PlanChange, StepRecord, Timeline};
use crate::event::{Event, PlannedStep};

impl Timeline {
    /// A `step_added` record: the step joins the plan (its item number is
    /// its position), the steps it must come before now also wait for it.
    pub(super) fn add_step(&mut self, t: Timestamp, event: &Event) {
        let Event::StepAdded {
            step,
            number,
            added,
            reason,
            by,
            ..
        } = event
        else {
            return;
        };
        let crate::event::AddedStep {
            title,
            phase,
            kind,
            role,
            estimate,
            after,
            before,
            run,
            ..
        } = &**added;
        if self.index.contains_key(step) {
            self.warnings.push(format!(
                "step `{step}` added at {t} exists already: ignored"
            ));
            return;
        }
        if *number as usize != self.steps.len() + 1 {
            self.warnings.push(format!(
                "step `{step}` added at {t} as #{number}, but it is #{} here",
                self.steps.len() + 1
            ));
        }
        for b in before {
            if let Some(&i) = self.index.get(b) {
                self.steps[i].planned.needs.push(step.clone());
            }
        }
        self.index.insert(step.clone(), self.steps.len());
        self.steps.push(StepRecord::new(PlannedStep {
            role: role.clone(),
            estimate: *estimate,
            needs: after.clone(),
            ..PlannedStep::new(step.clone(), title.clone(), phase.clone(), *kind)
        }));
        let mut detail = format!("#{number} {title}");
        if let Some(run) = run {
            detail.push_str(&format!(" (command `{run}`)"));
        }
        let list = |ids: &[crate::runbook::StepId]| {
            ids.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !after.is_empty() {
            detail.push_str(&format!(", after {}", list(after)));
        }
        if !before.is_empty() {
            detail.push_str(&format!(", before {}", list(before)));
        }
        self.changes.push(PlanChange {
            time: t,
            step: step.clone(),
            kind: ChangeKind::Added,
            detail: Some(detail),
            reason: reason.clone(),
            by: by.clone(),
        });
        self.added.push(event.clone());
    }
}
