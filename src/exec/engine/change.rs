//! Changes to the plan during the drill (`cancel`, `estimate`, `assign`):
//! what the engine records and how they change what it does.
//!
//! Each change is allowed to whoever may record the step (its role, its
//! assignee, or a coordinator: see `gate.rs`), needs a reason, and is
//! recorded as its own event (`step_cancelled`, `estimate_revised`,
//! `step_assigned`) with who made it. A change that cannot apply (a step
//! already ended, a running command to cancel) is refused with a message
//! and records nothing.

use super::{Action, Engine, Event, Finish, State};
use crate::event::{Outcome, Source};
use crate::exec::{PlanChange, Refusal};
use crate::identity::Identity;

impl Engine<'_> {
    pub(super) fn change_plan(&mut self, change: PlanChange, by: Identity) {
        let step = change.step();
        if !self.valid(step) || self.stage != super::Stage::Running {
            return;
        }
        let id = self.id(step);
        let state = self.states[step.get()].clone();
        if let State::Finished { outcome, .. } = state {
            let refusal = Refusal::Ended {
                step: self.item(step),
                outcome,
            };
            self.refuse_with(step, &by, refusal);
            return;
        }
        let Some(reason) = change.reason().filter(|r| !r.trim().is_empty()) else {
            let refusal = Refusal::NeedsReason {
                change: change.verb(),
                step: self.item(step),
            };
            self.refuse_with(step, &by, refusal);
            return;
        };
        if self.permit(step, &by).is_none() {
            return;
        }
        match change {
            PlanChange::Cancel { .. } => {
                if state.is_running() {
                    let refusal = Refusal::Running {
                        step: self.item(step),
                    };
                    self.refuse_with(step, &by, refusal);
                    return;
                }
                if self.question(step).is_some() {
                    self.action(Action::Retract { step });
                }
                self.queue.remove(&step);
                self.emit(Event::StepCancelled {
                    step: id,
                    reason: reason.clone(),
                    by: by.name.clone(),
                    origin: self.origin_for(step, &by),
                });
                let finish =
                    Finish::new(Outcome::Skipped, Source::Operator, by).reason(Some(reason));
                self.finish(step, finish);
            }
            PlanChange::Estimate {
                estimate, until, ..
            } => {
                let previous = self.estimates[step.get()]
                    .or_else(|| self.step(step).estimate.map(|e| e.value));
                if estimate.is_some() {
                    self.estimates[step.get()] = estimate;
                }
                self.emit(Event::EstimateRevised {
                    step: id,
                    estimate,
                    until,
                    previous,
                    reason,
                    by: by.name.clone(),
                    origin: self.origin_for(step, &by),
                });
            }
            PlanChange::Assign { to, .. } => {
                let previous = self.assigned[step.get()]
                    .clone()
                    .or_else(|| self.step(step).role.clone());
                self.assigned[step.get()] = Some(to.clone());
                self.emit(Event::StepAssigned {
                    step: id,
                    to,
                    previous,
                    reason,
                    by: by.name.clone(),
                    origin: self.origin_for(step, &by),
                });
            }
        }
    }
}
