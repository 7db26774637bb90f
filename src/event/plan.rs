//! The plan as `run_started` and `step_added` record it: steps, services,
//! phases, the exercise, so that a journal reads without its runbook.

use serde::{Deserialize, Serialize};

use crate::runbook::{Duration, Mode, PhaseId, StepId, StepKind};

/// A step as recorded in `run_started`: enough of the plan for reports and
/// `status` to work without the runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    /// Step id.
    pub id: StepId,
    /// Title.
    pub title: String,
    /// Id of its phase.
    pub phase: PhaseId,
    /// Manual, command or confirm.
    pub kind: StepKind,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Expected duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Duration>,
    /// Whether a failure or skip prevents `recovered`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
    /// Steps it waits for: those it names, plus, for each phase in
    /// `needs_phases`, the one planned to finish last (what journals
    /// before `needs_phases` recorded; kept for their readers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<StepId>,
    /// Phases it waits for as a whole (named in its `needs`, or by phase
    /// order): every step of each is a prerequisite. With `needs`, the
    /// full prerequisites, in linear size.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs_phases: Vec<PhaseId>,
    /// Services this step brings back (`restores:`): each is recovered
    /// when the step is done.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restores: Vec<String>,
    /// What the operator records besides the outcome (`records:`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<crate::runbook::Record>,
    /// Mode restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<Mode>,
    /// The hosts it runs on (`host:`/`hosts:`), in runbook order; empty
    /// for a local step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Short hashes of the settings not recorded in full (command,
    /// instructions, timeout…: [`crate::fingerprint`]), so that `resume`
    /// can name what changed in the runbook. Empty in older journals.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fingerprints: crate::fingerprint::Fingerprints,
}

impl PlannedStep {
    /// A step with its id, title, phase and kind, and nothing else: no
    /// role, estimate, prerequisites, services, hosts or fingerprints.
    /// Set the rest with struct update syntax (`..PlannedStep::new(…)`).
    pub fn new(id: StepId, title: impl Into<String>, phase: PhaseId, kind: StepKind) -> Self {
        PlannedStep {
            id,
            title: title.into(),
            phase,
            kind,
            role: None,
            estimate: None,
            critical: false,
            needs: Vec::new(),
            needs_phases: Vec::new(),
            restores: Vec::new(),
            records: Vec::new(),
            only: None,
            hosts: Vec::new(),
            fingerprints: Default::default(),
        }
    }
}

/// A service as recorded in `run_started` (`objectives.services`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedService {
    /// Its name, as steps' `restores` write it.
    pub name: String,
    /// Its recovery time objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rto: Option<Duration>,
    /// Its recovery point objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo: Option<Duration>,
}

/// The definition of a step added during the drill, as `step_added`
/// records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedStep {
    /// Title.
    pub title: String,
    /// The phase it belongs to.
    pub phase: PhaseId,
    /// `manual`, or `confirm` for a command (shown back and confirmed
    /// before it runs).
    pub kind: StepKind,
    /// The shell command (`sh -c`), for a command step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// Its command's timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Expected duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Duration>,
    /// Steps it comes after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<StepId>,
    /// Steps that now wait for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<StepId>,
}

/// A phase as recorded in `run_started`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedPhase {
    /// Phase id.
    pub id: PhaseId,
    /// Title.
    pub title: String,
}

/// What `run_started` records of the exercise (see
/// [`Exercise`](crate::runbook::Exercise)).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExerciseInfo {
    /// The disaster rehearsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// What the exercise covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Success criteria, numbered from 1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<String>,
    /// Language of the reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}
