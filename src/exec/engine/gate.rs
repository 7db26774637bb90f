//! The engine's gate on operator inputs: roles and approvals.
//!
//! Before a record or a decision about a step is applied, [`Engine::gate`]
//! checks that the input's account may record the step (see
//! [`access`](crate::exec::access)) and, for a confirmation of a step with
//! `approvals: N`, counts it: the step proceeds only at the N-th distinct
//! account. A refused input records nothing and is answered with
//! [`Action::Refused`]; the question stays open and is put again.

use super::{Action, Engine, Event, StepIndex};
use crate::exec::access::Verdict;
use crate::exec::refusal::{Item, Refusal};
use crate::identity::{Identity, Origin};
use crate::runbook::Mode;

impl Engine<'_> {
    /// Whether an input from `by` about `step` may go on. `approves` is
    /// true for a confirmation (done, run, mark done), which a step with
    /// `approvals` counts; auto-confirmed inputs (`--yes`, `--answers`)
    /// skip the count in a drill and are marked `auto_confirmed`.
    pub(super) fn gate(
        &mut self,
        step: StepIndex,
        by: &Identity,
        auto: bool,
        approves: bool,
    ) -> bool {
        let Some(for_role) = self.permit(step, by) else {
            return false;
        };
        if let Some(role) = for_role {
            self.acting = Some((step, role));
        }
        let Some(needed) = self.step(step).approvals.map(|n| n.value) else {
            return true;
        };
        if !approves {
            return true;
        }
        if auto {
            if self.config.mode == Mode::Incident {
                let refusal = Refusal::NeverAutoApproved {
                    step: self.item(step),
                    needed,
                };
                self.refuse_with(step, by, refusal);
                return false;
            }
            return true;
        }
        let account = account_of(by);
        let counted = self.approvals[step.get()].add(&account, self.now);
        let count = self.approvals[step.get()].count();
        if !counted {
            let refusal = Refusal::ApprovedAlready {
                account,
                step: self.item(step),
                count,
                needed,
            };
            self.refuse_with(step, by, refusal);
            return false;
        }
        self.emit(Event::Approval {
            step: self.id(step),
            approved: true,
            reason: None,
            by: by.name.clone(),
            origin: self.origin_for(step, by),
            count,
            needed,
        });
        if count < needed {
            self.ask_again(step);
            return false;
        }
        true
    }

    /// An approver refuses a step with `approvals`: recorded with its
    /// reason, the step stays waiting (approvals given so far still count).
    pub(super) fn refuse(&mut self, step: StepIndex, reason: Option<String>, by: Identity) {
        if !self.valid(step) || self.question(step).is_none() {
            return;
        }
        let Some(needed) = self.step(step).approvals.map(|n| n.value) else {
            return;
        };
        let Some(for_role) = self.permit(step, &by) else {
            return;
        };
        if let Some(role) = for_role {
            self.acting = Some((step, role));
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        if reason.is_none() {
            self.ask_again(step);
            return;
        }
        self.emit(Event::Approval {
            step: self.id(step),
            approved: false,
            reason,
            by: by.name.clone(),
            origin: self.origin_for(step, &by),
            count: self.approvals[step.get()].count(),
            needed,
        });
        self.ask_again(step);
    }

    /// `Some(for_role)` when `by` may record `step` (`for_role` set when a
    /// coordinator records for a role it is not in); `None`, with the
    /// refusal sent, when it may not.
    pub(super) fn permit(&mut self, step: StepIndex, by: &Identity) -> Option<Option<String>> {
        match self.verdict(step, by) {
            Verdict::Allowed { for_role } => Some(for_role),
            Verdict::Refused(refusal) => {
                self.refuse_with(step, by, refusal);
                None
            }
        }
    }

    /// Whether `by` may record `step`, recording and sending nothing.
    pub(super) fn verdict(&self, step: StepIndex, by: &Identity) -> Verdict {
        let s = self.step(step);
        let account = by.origin.account.as_deref();
        // A step handed to a role is that role's; handed to a person, that
        // account may record it too.
        let (role, person) = match self.assigned[step.get()].as_deref() {
            Some(to) if self.config.access.has_role(to) => (Some(to), None),
            Some(to) => (s.role.as_deref(), Some(to)),
            None => (s.role.as_deref(), None),
        };
        if person.is_some() && person == account {
            return Verdict::Allowed { for_role: None };
        }
        self.config
            .access
            .check(s.id.as_str(), step.get() + 1, role, account)
    }

    pub(super) fn refuse_with(&mut self, step: StepIndex, by: &Identity, refusal: Refusal) {
        self.action(Action::Refused {
            step,
            by: by.clone(),
            refusal,
        });
        self.ask_again(step);
    }

    /// `step` as a refusal names it.
    pub(super) fn item(&self, step: StepIndex) -> Item {
        Item {
            number: step.number(),
            id: self.id(step).to_string(),
        }
    }

    /// `by`'s origin for a record about `step`, with `for_role` when a
    /// coordinator is recording it for a role it is not in.
    pub(super) fn origin_for(&self, step: StepIndex, by: &Identity) -> Origin {
        let mut origin = by.origin.clone();
        origin.for_role = self
            .acting
            .as_ref()
            .filter(|(s, _)| *s == step)
            .map(|(_, role)| role.clone());
        origin
    }
}

/// The account an approval counts for: the OS account, or the declared
/// name when the OS gave none (records built in code, tests).
fn account_of(by: &Identity) -> String {
    by.origin.account.clone().unwrap_or_else(|| by.name.clone())
}
