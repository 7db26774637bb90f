//! One step as the report tells it: its attempts and hosts, decisions,
//! approvals, rollback and deviations from the plan.

use super::{
    Decision, Lang, Mode, Outcome, Serialize, Source, StdDuration, StepId, StepKind, Time, Zone,
    attempt_detail_in, exit_text,
};

/// What kind of deviation from the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    /// A command attempt failed (exit code, signal, timeout, not started).
    Failure,
    /// The step ended failed.
    Failed,
    /// The step was skipped.
    Skip,
    /// Marked done by hand after a failure.
    DoneByHand,
    /// Marked failed by hand.
    MarkedFailed,
    /// Its failed command was run again by decision.
    Retry,
    /// Left failed, dependents went on.
    Continue,
    /// Declared done before the start (`--assume-done`).
    AssumedDone,
    /// The drill was asked to abort (by an operator or a signal).
    Abort,
    /// Abort and roll back.
    Rollback,
    /// The step was running or open when the drill was aborted.
    Aborted,
    /// A rollback that failed or was declined.
    RollbackNotDone,
    /// A command was running when the drill stopped (crash, killed,
    /// laptop died); the drill was resumed later or not at all.
    Interrupted,
}

/// A deviation from the plan, with its reason.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    /// When.
    pub time: Time,
    /// The step, if any.
    pub step: Option<StepId>,
    /// What.
    pub kind: DeviationKind,
    /// Details (exit code, signal, timeout).
    pub detail: Option<String>,
    /// Why, as recorded.
    pub reason: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// What `detail` says, for the report's other languages.
    #[serde(skip)]
    pub said: Option<Said>,
}

/// What a deviation's details are about, to say them in any language.
#[derive(Debug, Clone)]
pub enum Said {
    /// `attempt 2`.
    Attempt(u32),
    /// `exit code 3`.
    ExitCode(i32),
    /// How a failed attempt ended.
    Ending(Box<crate::timeline::Attempt>),
}

impl Deviation {
    /// The details in `lang`.
    pub fn detail_in(&self, lang: Lang) -> Option<String> {
        match (&self.said, lang) {
            (_, Lang::En) | (None, _) => self.detail.clone(),
            (Some(Said::Attempt(n)), _) => {
                Some(lang.tr_args("attempt-n", &[("n", n.to_string().into())]))
            }
            (Some(Said::ExitCode(c)), _) => Some(exit_text(lang, *c)),
            (Some(Said::Ending(a)), _) => Some(attempt_detail_in(lang, a)),
        }
    }
}

/// Where the time went, in seconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Split {
    /// Commands running.
    pub running_seconds: u64,
    /// Waiting for the operator.
    pub operator_seconds: u64,
    /// Waiting for dependencies.
    pub dependencies_seconds: u64,
    /// Retry pauses and waiting for a job slot.
    pub other_seconds: u64,
    /// Waiting while the drill was held (`run_held` to `run_released`);
    /// left out of the JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_seconds: u64,
}

pub(super) fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl From<crate::timeline::TimeSplit> for Split {
    fn from(s: crate::timeline::TimeSplit) -> Self {
        Split {
            running_seconds: s.running.as_secs(),
            operator_seconds: s.operator.as_secs(),
            dependencies_seconds: s.dependencies.as_secs(),
            other_seconds: s.other.as_secs(),
            held_seconds: s.held.as_secs(),
        }
    }
}

/// How a remote command ended on one host of its step.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    /// The host's name in the runbook.
    pub host: String,
    /// `done` (exit code 0) or `failed`.
    pub outcome: Outcome,
    /// When its command ended.
    pub ended: Time,
    /// From the attempt's (or rollback's) start to this host's end; absent
    /// when the start is not known (`ssh` could not start).
    pub duration_seconds: Option<u64>,
    /// Exit code (255: usually `ssh`'s own failure).
    pub exit_code: Option<i32>,
    /// Signal name, when `ssh` was killed by one.
    pub signal: Option<String>,
    /// Hit the step's timeout.
    pub timed_out: bool,
    /// `ssh` could not be started.
    pub error: Option<String>,
    /// Why it failed, classified: `unreachable`, `auth`, `host_key`,
    /// `exit`, `signal`, `timed_out`, `aborted`, `not_started`.
    pub cause: Option<crate::event::HostCause>,
    /// The host's own last lines of output, for a failure.
    pub output_tail: Vec<String>,
}

impl HostReport {
    pub(super) fn new(
        h: &crate::timeline::HostRun,
        duration: Option<StdDuration>,
        zone: &Zone,
    ) -> Self {
        HostReport {
            host: h.host.clone(),
            outcome: if h.succeeded() {
                Outcome::Done
            } else {
                Outcome::Failed
            },
            ended: zone.time(h.ended),
            duration_seconds: duration.map(|d| d.as_secs()),
            exit_code: h.ending.exit_code,
            signal: h.ending.signal.clone(),
            timed_out: h.ending.timed_out,
            error: h.ending.error.clone(),
            cause: h.cause,
            output_tail: h.output_tail.clone(),
        }
    }
}

/// One attempt of a command.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptReport {
    /// 1 for the first.
    pub number: u32,
    /// Start.
    pub started: Time,
    /// End, when recorded.
    pub ended: Option<Time>,
    /// Length; for an interrupted attempt, up to the last event before the
    /// interruption (it ran at least that long).
    pub duration_seconds: Option<u64>,
    /// Exit code.
    pub exit_code: Option<i32>,
    /// Signal name.
    pub signal: Option<String>,
    /// Hit the timeout.
    pub timed_out: bool,
    /// Could not start.
    pub error: Option<String>,
    /// The drill stopped while it ran.
    pub interrupted: bool,
    /// For a remote step: how it ended on each host, in the order they
    /// ended.
    pub hosts: Vec<HostReport>,
    /// Hosts the step ran on (per the journal) with no end recorded in
    /// this attempt: the drill stopped while they ran, or they still run.
    pub hosts_without_end: Vec<String>,
}

/// A decision about a step.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionReport {
    /// When.
    pub time: Time,
    /// What.
    pub decision: Decision,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub by: String,
    /// How.
    pub source: Source,
}

/// A confirmation or refusal of a step that needs `approvals`.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalReport {
    /// When.
    pub time: Time,
    /// Confirmed (true) or refused.
    pub approved: bool,
    /// Who (declared name).
    pub by: String,
    /// The OS account.
    pub account: Option<String>,
    /// Why (refusals).
    pub reason: Option<String>,
    /// Distinct confirmations so far, and needed.
    pub count: u32,
    /// Confirmations needed.
    pub needed: u32,
    /// The role a coordinator approved for, when outside it.
    pub for_role: Option<String>,
}

/// A step's rollback.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackReport {
    /// Start.
    pub started: Option<Time>,
    /// End.
    pub finished: Option<Time>,
    /// `done`, `failed`, `skipped`; absent while running.
    pub outcome: Option<Outcome>,
    /// Exit code.
    pub exit_code: Option<i32>,
    /// Why.
    pub reason: Option<String>,
    /// Who recorded it.
    pub by: Option<String>,
    /// For a remote step: how the rollback ended on each host.
    pub hosts: Vec<HostReport>,
}

/// Where a step stands at the end of the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Never reached.
    Pending,
    /// Ready or open, no outcome.
    Open,
    /// Its command was running.
    Running,
    /// A failed attempt waiting for a retry or a decision.
    AttemptFailed,
    /// Ended (see `outcome`).
    Finished,
}

/// Everything about one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// Id.
    pub id: StepId,
    /// Title.
    pub title: String,
    /// Manual, command or confirm.
    pub kind: StepKind,
    /// Who does it.
    pub role: Option<String>,
    /// Critical step.
    pub critical: bool,
    /// Mode restriction.
    pub only: Option<Mode>,
    /// Direct dependencies.
    pub needs: Vec<StepId>,
    /// The hosts its command ran on, as recorded (`host_finished`), in
    /// order of first appearance; empty for a local step.
    pub hosts: Vec<String>,
    /// Where it stands.
    pub state: State,
    /// Its outcome, when finished.
    pub outcome: Option<Outcome>,
    /// Who recorded the outcome: the operator who typed it (or whose
    /// answers file or `--yes` gave it), `reprise` when a command's exit
    /// status or the engine decided.
    pub recorded_by: Option<String>,
    /// The OS account that recorded the outcome, when the journal says
    /// (`SO_PEERCRED` for an attached terminal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_account: Option<String>,
    /// Who carried it out: `reprise as ACCOUNT on HOST` for a command, the
    /// role (or, without one, the recorder) for a manual step; absent when
    /// nothing was performed.
    pub performed_by: Option<String>,
    /// For a command: the account (when recorded) and the machine reprise
    /// ran it as and on, to say [`StepReport::performed_by`] in any
    /// language.
    #[serde(skip)]
    pub ran_as: Option<(Option<String>, String)>,
    /// How the outcome was decided.
    pub source: Option<Source>,
    /// Why it ended that way.
    pub reason: Option<String>,
    /// Exit code of its last attempt.
    pub exit_code: Option<i32>,
    /// Last lines of output of a failed command (secrets masked).
    pub output_tail: Vec<String>,
    /// When it became ready.
    pub ready: Option<Time>,
    /// When it began (ready or first attempt).
    pub began: Option<Time>,
    /// When its outcome was recorded.
    pub finished: Option<Time>,
    /// Planned estimate.
    pub estimate_seconds: Option<u64>,
    /// Actual duration: began → outcome (or → the last event while open).
    pub duration_seconds: Option<u64>,
    /// Actual minus estimate, when positive.
    pub overrun_seconds: Option<u64>,
    /// Planned start, from the estimates (offset from the drill's start).
    pub planned_start_seconds: Option<u64>,
    /// Every attempt.
    pub attempts: Vec<AttemptReport>,
    /// Every decision.
    pub decisions: Vec<DecisionReport>,
    /// Its rollback.
    pub rollback: Option<RollbackReport>,
    /// The role its outcome was recorded for, when a coordinator outside
    /// that role recorded it (`roles:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_for_role: Option<String>,
    /// Confirmations and refusals of a step with `approvals`, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<ApprovalReport>,
    /// Where its time went (absent when never reached).
    pub time_split: Option<Split>,
    /// On the planned critical path.
    pub planned_critical: bool,
    /// On the actual critical path.
    pub actual_critical: bool,
}
