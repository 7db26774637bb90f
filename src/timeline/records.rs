//! What the timeline holds besides steps: the run's header, attempts and
//! their hosts, decisions, plan changes, approvals, rollbacks, notes,
//! handovers, holds and the time split.

use crate::event::Ending;

use super::{
    Decision, Duration, Mode, Outcome, PlannedPhase, Source, StdDuration, StepId, Timestamp, span,
};

/// The run as described by `run_started`.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// When the drill started.
    pub started: Timestamp,
    /// Runbook path as given.
    pub runbook: String,
    /// Hex SHA-256 of the runbook's bytes.
    pub runbook_sha256: String,
    /// Plan name.
    pub name: String,
    /// Drill or incident.
    pub mode: Mode,
    /// Nothing was executed.
    pub dry_run: bool,
    /// Who started it.
    pub operator: String,
    /// Machine it ran on.
    pub host: String,
    /// reprise version that started it.
    pub reprise_version: String,
    /// Recovery time objective.
    pub rto: Option<Duration>,
    /// Recovery point objective.
    pub rpo: Option<Duration>,
    /// The services of `objectives.services`, with their objectives.
    pub services: Vec<crate::event::PlannedService>,
    /// Phases in order.
    pub phases: Vec<PlannedPhase>,
    /// Scenario, scope, criteria and language (empty when the runbook said none).
    pub exercise: crate::event::ExerciseInfo,
}

/// A `restore_point` event: the moment a step's restored data dates from.
#[derive(Debug, Clone, PartialEq)]
pub struct RestorePoint {
    /// When it was recorded.
    pub time: Timestamp,
    /// The restore point.
    pub point: Timestamp,
    /// As written, with its offset.
    pub written: String,
    /// Who gave it (`reprise` for a command's output).
    pub by: String,
    /// A command's output or an operator.
    pub source: Source,
    /// The host that printed it, for a remote step.
    pub host: Option<String>,
}

/// A `run_resumed` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Resume {
    /// When the drill was resumed.
    pub time: Timestamp,
    /// Time of the last event before it: the drill stopped somewhere in
    /// between.
    pub stopped_after: Timestamp,
    /// Who resumed it.
    pub operator: String,
    /// Machine it resumed on.
    pub host: String,
    /// reprise version.
    pub reprise_version: String,
    /// Set when the runbook had changed (`--allow-changed`).
    pub runbook_sha256: Option<String>,
}

/// The reprise process that ran commands from `time` on: the one started
/// by `run_started` or by a `run_resumed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Runner {
    /// When it started.
    pub time: Timestamp,
    /// The OS account it ran on, when recorded.
    pub account: Option<String>,
    /// The machine.
    pub host: String,
}

/// A `handover` event.
#[derive(Debug, Clone, PartialEq)]
pub struct Handover {
    /// When.
    pub time: Timestamp,
    /// Outgoing operator.
    pub from: String,
    /// Incoming operator.
    pub to: String,
    /// Handover note.
    pub note: Option<String>,
}

/// A free-text observation.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// When it was written.
    pub time: Timestamp,
    /// The observation.
    pub text: String,
    /// Who wrote it.
    pub by: String,
    /// The step it is about.
    pub step: Option<StepId>,
    /// The OS account that wrote it, when known.
    pub account: Option<String>,
    /// Written by an observer (`attach --observer`).
    pub observer: bool,
}

/// An `abort_requested` event.
#[derive(Debug, Clone, PartialEq)]
pub struct AbortRequest {
    /// When.
    pub time: Timestamp,
    /// Who asked (or `signal`).
    pub by: String,
    /// Why.
    pub reason: Option<String>,
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Not reached: some dependency has not ended.
    Pending,
    /// Ready: a manual step open for the operator, a `confirm` step waiting
    /// for confirmation, or a command waiting for a free job slot.
    Ready,
    /// An attempt of its command is running.
    Running {
        /// Attempt number (1 for the first).
        attempt: u32,
    },
    /// The last attempt failed and no outcome is recorded yet: a retry or an
    /// operator decision is due.
    AttemptFailed {
        /// Number of the failed attempt.
        attempt: u32,
    },
    /// Ended.
    Finished(Outcome),
}

/// How a remote command ended on one host of its step (a `host_finished`
/// event): a step on several hosts runs once on each, in parallel, and
/// each ends on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct HostRun {
    /// The host's name in the runbook.
    pub host: String,
    /// When its command ended.
    pub ended: Timestamp,
    /// How it ended there (the exit code is the command's, or 255 from
    /// `ssh`; the signal and the error are `ssh`'s).
    pub ending: Ending,
    /// Why it failed, classified (`host_finished.cause`; absent in older
    /// journals and for successes).
    pub cause: Option<crate::event::HostCause>,
    /// The host's own last lines of output, for a failure.
    pub output_tail: Vec<String>,
}

impl HostRun {
    /// Whether the command succeeded on this host.
    pub fn succeeded(&self) -> bool {
        self.ending.success()
    }
}

/// One run of a step's command.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// 1 for the first.
    pub number: u32,
    /// When it started.
    pub started: Timestamp,
    /// When it ended; `None` while running, or when the drill stopped during
    /// it and never recorded its end.
    pub ended: Option<Timestamp>,
    /// How it ended (all empty while running or interrupted).
    pub ending: Ending,
    /// The drill stopped while it ran (its end was never recorded); it is
    /// counted as running until the last event before the resume.
    pub interrupted: bool,
    /// For an interrupted attempt: the last event before the interruption,
    /// the last moment it is known to have been running.
    pub cut: Option<Timestamp>,
    /// For a remote step: how it ended on each host, in the order the hosts
    /// ended. Empty for a local command; a host missing here never reported
    /// its end (the drill stopped while it ran).
    pub hosts: Vec<HostRun>,
    /// Whether `started` is when the attempt really started (a
    /// `step_started` was recorded); an attempt that could not start is
    /// known only from its end.
    pub start_known: bool,
}

impl Attempt {
    /// A new attempt, started at `started` (when `start_known`).
    pub(super) fn new(number: u32, started: Timestamp, start_known: bool) -> Self {
        Attempt {
            number,
            started,
            ended: None,
            ending: Ending::default(),
            interrupted: false,
            cut: None,
            hosts: Vec::new(),
            start_known,
        }
    }

    /// The hosts on which this attempt failed, in the order they ended.
    pub fn failed_hosts(&self) -> impl Iterator<Item = &HostRun> {
        self.hosts.iter().filter(|h| !h.succeeded())
    }

    /// How long the command ran on `host`: from the attempt's start to the
    /// host's end. `None` when the start is not known.
    pub fn host_duration(&self, host: &HostRun) -> Option<StdDuration> {
        self.start_known.then(|| span(self.started, host.ended))
    }

    /// Whether the attempt ended successfully.
    pub fn succeeded(&self) -> bool {
        self.ended.is_some() && self.ending.success() && !self.interrupted
    }
}

/// An operator's (or `--yes`'s) choice about a step.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    /// When.
    pub time: Timestamp,
    /// What was chosen.
    pub decision: Decision,
    /// Why.
    pub reason: Option<String>,
    /// Who decided.
    pub by: String,
    /// How.
    pub source: Source,
}

/// What changed in the plan during the drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// `step_added`.
    Added,
    /// `step_cancelled`.
    Cancelled,
    /// `estimate_revised`.
    Estimate,
    /// `step_assigned`.
    Assigned,
}

/// A change to the plan (`step_cancelled`, `estimate_revised`,
/// `step_assigned`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanChange {
    /// When.
    pub time: Timestamp,
    /// The step.
    pub step: StepId,
    /// What kind of change.
    pub kind: ChangeKind,
    /// What changed, in words (`2h (was 45m)`, `to lab (was storage)`).
    pub detail: Option<String>,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
}

/// A confirmation or refusal of a step with `approvals` (`approval`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRecord {
    /// When.
    pub time: Timestamp,
    /// Confirmed (true) or refused.
    pub approved: bool,
    /// Why (refusals).
    pub reason: Option<String>,
    /// Who (declared name).
    pub by: String,
    /// The OS account.
    pub account: Option<String>,
    /// Distinct confirmations so far.
    pub count: u32,
    /// Confirmations needed.
    pub needed: u32,
    /// The role a coordinator approved for, when outside it.
    pub for_role: Option<String>,
}

/// The rollback of a completed step.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackRecord {
    /// When it started (absent when declined without starting).
    pub started: Option<Timestamp>,
    /// When it ended.
    pub finished: Option<Timestamp>,
    /// `done`, `failed` or `skipped`; `None` while running.
    pub outcome: Option<Outcome>,
    /// Exit code of the rollback command.
    pub exit_code: Option<i32>,
    /// Why, when declined or failed.
    pub reason: Option<String>,
    /// Who recorded it.
    pub by: Option<String>,
    /// For a remote step: how the rollback command ended on each host, in
    /// the order they ended.
    pub hosts: Vec<HostRun>,
}

impl RollbackRecord {
    pub(super) fn empty() -> Self {
        RollbackRecord {
            started: None,
            finished: None,
            outcome: None,
            exit_code: None,
            reason: None,
            by: None,
            hosts: Vec::new(),
        }
    }

    /// How long the rollback ran on `host`, when its start is known.
    pub fn host_duration(&self, host: &HostRun) -> Option<StdDuration> {
        self.started.map(|s| span(s, host.ended))
    }
}

/// Where a step's time went, from the start of the drill to its outcome
/// (or to `now` while it is open). The four parts add up to that total,
/// less any time the drill was interrupted (from the last event before a
/// crash to the `run_resumed`), which nobody spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeSplit {
    /// Its command running (sum of attempts).
    pub running: StdDuration,
    /// Waiting for the operator: a manual step open, a `confirm` step not
    /// yet confirmed, a failed attempt waiting for a decision.
    pub operator: StdDuration,
    /// Waiting for its dependencies: from the start of the drill until it
    /// became ready.
    pub dependencies: StdDuration,
    /// Anything else: pauses between automatic retries, waiting for a free
    /// job slot.
    pub other: StdDuration,
    /// Waits while the drill was held (`run_held` to `run_released`, "we
    /// stop tonight"): taken out of the other waits, since nobody was
    /// expected to act.
    pub held: StdDuration,
}

impl TimeSplit {
    /// Sum of the four parts.
    pub fn total(&self) -> StdDuration {
        self.running + self.operator + self.dependencies + self.other + self.held
    }

    pub(super) fn add(&mut self, o: &TimeSplit) {
        self.running += o.running;
        self.operator += o.operator;
        self.dependencies += o.dependencies;
        self.other += o.other;
        self.held += o.held;
    }
}

/// A hold of the drill: from `run_held` to `run_released` (or still on).
#[derive(Debug, Clone, PartialEq)]
pub struct Hold {
    /// `run_held`.
    pub from: Timestamp,
    /// `run_released`; `None` while held.
    pub to: Option<Timestamp>,
    /// Who held it.
    pub by: String,
    /// Why.
    pub reason: Option<String>,
}

/// How much of `from`..`to` the drill was held (a hold still on runs to
/// `now`).
pub(super) fn held_within(
    holds: &[Hold],
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> StdDuration {
    holds
        .iter()
        .map(|h| {
            let start = h.from.max(from);
            let end = h.to.unwrap_or(now).min(to);
            if end > start {
                span(start, end)
            } else {
                StdDuration::ZERO
            }
        })
        .sum()
}
