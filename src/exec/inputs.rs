//! What operators send the engine: an outcome recorded, a decision, a note,
//! a handover, an abort, a change to the plan ([`OperatorInput`],
//! [`PlanChange`]).

use super::added;
use crate::event::{Decision, Outcome};
use crate::identity::Identity;
use crate::runbook::{Duration, StepIndex};

/// Something the operator (terminal, answers file, `--yes`) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperatorInput {
    /// Record the outcome of an open manual step (`done`, `failed`,
    /// `skipped`); failures and skips carry a reason.
    Record {
        /// The step.
        step: StepIndex,
        /// Done, failed or skipped.
        outcome: Outcome,
        /// Required for failed and skipped.
        reason: Option<String>,
        /// Who: the declared name, and the account and origin the OS
        /// gave (never what a client claims).
        by: Identity,
        /// Auto-confirmed by `--yes`.
        auto: bool,
    },
    /// Answer a question about a step ([`Question`]).
    Decide {
        /// The step.
        step: StepIndex,
        /// The choice.
        decision: Decision,
        /// Required for every deviation.
        reason: Option<String>,
        /// Who: the declared name, and the account and origin the OS
        /// gave (never what a client claims).
        by: Identity,
        /// Auto-confirmed by `--yes`.
        auto: bool,
    },
    /// The restore point a manual step brought back, as typed: recorded
    /// (`restore_point`) just before the step's outcome when it is
    /// recorded done, forgotten otherwise.
    RestorePoint {
        /// The step.
        step: StepIndex,
        /// As typed: RFC 3339 with an offset.
        point: String,
        /// Who gave it.
        by: Identity,
    },
    /// A free-text observation.
    Note {
        /// The text.
        text: String,
        /// About a step, if any.
        step: Option<StepIndex>,
        /// Who: the declared name, and the account and origin the OS
        /// gave (never what a client claims).
        by: Identity,
    },
    /// A corrective action decided during the drill.
    Action {
        /// Who must carry it out.
        owner: String,
        /// When it is due.
        due: jiff::civil::Date,
        /// What must be done.
        text: String,
        /// About a step, if any.
        step: Option<StepIndex>,
        /// Who recorded it.
        by: Identity,
    },
    /// Another operator takes over; later records are theirs.
    Handover {
        /// Incoming operator.
        to: String,
        /// Handover note.
        note: Option<String>,
        /// Who typed it (the incoming operator works from that account).
        by: Identity,
    },
    /// Change the plan: cancel a step, revise its estimate, hand it to
    /// another role or person.
    ChangePlan {
        /// What changes.
        change: PlanChange,
        /// Who.
        by: Identity,
    },
    /// Add an unplanned step (`add` at a prompt): recorded as
    /// `step_added`, or refused with a message (a cycle, a step that
    /// cannot wait any more, no reason).
    Add {
        /// Its definition.
        step: added::NewStep,
        /// Who.
        by: Identity,
    },
    /// Refuse to approve a step that needs `approvals`: recorded with the
    /// reason; the step stays waiting.
    Refuse {
        /// The step.
        step: StepIndex,
        /// Why (required).
        reason: Option<String>,
        /// Who.
        by: Identity,
    },
    /// Stop the drill.
    Abort {
        /// Who: the declared name, and the account and origin the OS
        /// gave (never what a client claims).
        by: Identity,
        /// Why.
        reason: Option<String>,
    },
    /// A terminal attached (recorded as `operator_attached`).
    Attached {
        /// Who, as the OS says.
        by: Identity,
        /// Declared roles.
        roles: Vec<String>,
        /// Watches only.
        read_only: bool,
    },
    /// A terminal left; the drill goes on (`operator_detached`).
    Detached {
        /// Who.
        by: Identity,
        /// How (`detach`, `hang-up`, `terminal closed`…).
        reason: Option<String>,
    },
    /// Stop without aborting (a signal): `run_stopped`, nothing more is
    /// recorded, `reprise resume` continues.
    Stop {
        /// Who (`signal`).
        by: Identity,
        /// Why.
        reason: Option<String>,
    },
    /// Hold the drill: no new step starts or opens (`run_held`).
    Hold {
        /// Who.
        by: Identity,
        /// Why.
        reason: Option<String>,
    },
    /// End the hold (`run_released`).
    Release {
        /// Who.
        by: Identity,
    },
    /// Nobody can answer a question (no terminal, no `--yes`, no answers
    /// entry): the drill stops with this message.
    Unanswerable {
        /// The step.
        step: StepIndex,
        /// Plain message naming the flag to use.
        message: String,
    },
}

/// A change to the plan made during the drill (`cancel`, `estimate`,
/// `assign` at the prompt). Every change needs a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChange {
    /// The step is not needed: recorded skipped (`source: operator`),
    /// dependents go on.
    Cancel {
        /// The step.
        step: StepIndex,
        /// Why.
        reason: Option<String>,
    },
    /// A new estimate for a step not yet finished: a duration, or (a part
    /// arriving tomorrow) the time it is expected to end.
    Estimate {
        /// The step.
        step: StepIndex,
        /// New expected duration.
        estimate: Option<Duration>,
        /// New expected end.
        until: Option<jiff::Timestamp>,
        /// Why.
        reason: Option<String>,
    },
    /// Hand the step to a role of `roles:` or a person (an account).
    Assign {
        /// The step.
        step: StepIndex,
        /// Role or account.
        to: String,
        /// Why.
        reason: Option<String>,
    },
}

impl PlanChange {
    /// The step it changes.
    pub fn step(&self) -> StepIndex {
        match self {
            PlanChange::Cancel { step, .. }
            | PlanChange::Estimate { step, .. }
            | PlanChange::Assign { step, .. } => *step,
        }
    }

    /// Why.
    pub fn reason(&self) -> Option<String> {
        match self {
            PlanChange::Cancel { reason, .. }
            | PlanChange::Estimate { reason, .. }
            | PlanChange::Assign { reason, .. } => reason.clone(),
        }
    }

    /// The word for messages: `cancelling`, `re-estimating`, `assigning`.
    pub fn verb(&self) -> &'static str {
        match self {
            PlanChange::Cancel { .. } => "cancelling",
            PlanChange::Estimate { .. } => "re-estimating",
            PlanChange::Assign { .. } => "assigning",
        }
    }
}
