//! What every record can be asked: its step, its name in the journal,
//! whether it may follow `run_finished`.

use super::Event;
use crate::runbook::StepId;

impl Event {
    /// The step this event is about, if any.
    pub fn step(&self) -> Option<&StepId> {
        match self {
            Event::StepReady { step }
            | Event::StepBegan { step, .. }
            | Event::StepStarted { step, .. }
            | Event::AttemptFinished { step, .. }
            | Event::HostFinished { step, .. }
            | Event::Decision { step, .. }
            | Event::StepFinished { step, .. }
            | Event::Approval { step, .. }
            | Event::StepCancelled { step, .. }
            | Event::StepAdded { step, .. }
            | Event::EstimateRevised { step, .. }
            | Event::StepAssigned { step, .. }
            | Event::RollbackStarted { step, .. }
            | Event::RollbackFinished { step, .. }
            | Event::RestorePoint { step, .. } => Some(step),
            Event::Note { step, .. } | Event::ActionRecorded { step, .. } => step.as_ref(),
            _ => None,
        }
    }

    /// Whether this is one of the debrief's records, the only ones that may
    /// follow `run_finished`.
    pub fn is_debrief(&self) -> bool {
        matches!(
            self,
            Event::CriterionAssessed { .. } | Event::ActionRecorded { .. }
        )
    }

    /// Whether it may follow `run_finished`: the debrief's records, and
    /// the attempts of alerts still going out when the drill ended.
    pub fn may_follow_end(&self) -> bool {
        self.is_debrief()
            || matches!(
                self,
                Event::NotificationSent { .. } | Event::NotificationFailed { .. }
            )
    }

    /// The snake_case name written in the journal's `event` field.
    pub fn name(&self) -> &'static str {
        match self {
            Event::RunStarted { .. } => "run_started",
            Event::RunResumed { .. } => "run_resumed",
            Event::StepReady { .. } => "step_ready",
            Event::StepBegan { .. } => "step_began",
            Event::StepStarted { .. } => "step_started",
            Event::AttemptFinished { .. } => "attempt_finished",
            Event::HostFinished { .. } => "host_finished",
            Event::Decision { .. } => "decision",
            Event::StepFinished { .. } => "step_finished",
            Event::Approval { .. } => "approval",
            Event::StepCancelled { .. } => "step_cancelled",
            Event::StepAdded { .. } => "step_added",
            Event::EstimateRevised { .. } => "estimate_revised",
            Event::StepAssigned { .. } => "step_assigned",
            Event::RollbackStarted { .. } => "rollback_started",
            Event::RollbackFinished { .. } => "rollback_finished",
            Event::Note { .. } => "note",
            Event::RestorePoint { .. } => "restore_point",
            Event::Handover { .. } => "handover",
            Event::AbortRequested { .. } => "abort_requested",
            Event::OperatorAttached { .. } => "operator_attached",
            Event::OperatorDetached { .. } => "operator_detached",
            Event::RunStopped { .. } => "run_stopped",
            Event::RunHeld { .. } => "run_held",
            Event::RunReleased { .. } => "run_released",
            Event::RunFinished { .. } => "run_finished",
            Event::CriterionAssessed { .. } => "criterion_assessed",
            Event::NotificationSent { .. } => "notification_sent",
            Event::NotificationFailed { .. } => "notification_failed",
            Event::ActionRecorded { .. } => "action_recorded",
        }
    }
}
