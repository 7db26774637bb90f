//! What happened during a drill, folded from its events.
//!
//! A [`Timeline`] is built one [`Stamped`] event at a time
//! ([`Timeline::apply`]), so the live terminal view and `reprise status
//! --follow` can feed it as events arrive, and `reprise report` can feed it a
//! whole journal ([`Timeline::from_events`]). It never reads the runbook: the
//! plan embedded in `run_started` is enough.
//!
//! Nothing here does I/O or reads the clock. Anything still open (a step
//! running, a manual step waiting for the operator) is measured up to an
//! explicit `now`; [`Timeline::as_of`] gives the time of the last event, which
//! is what a report of a finished or interrupted journal uses.
//!
//! Events that do not fit (a step the plan does not know, anything before
//! `run_started`) never panic: they are kept as [`Timeline::warnings`].

use std::cmp::Reverse;
use std::collections::HashMap;
use std::time::Duration as StdDuration;

use jiff::Timestamp;

use crate::event::{
    Decision, Event, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped,
};
use crate::runbook::{Duration, Mode, StepId, StepKind};
use crate::schedule::{Task, schedule};

/// The name the engine records under.
const ENGINE_NAME: &str = "reprise";

/// The length of time from `from` to `to`, zero when `to` is earlier (clocks
/// of two machines across a resume may disagree).
pub fn span(from: Timestamp, to: Timestamp) -> StdDuration {
    let ms = to.as_millisecond() - from.as_millisecond();
    StdDuration::from_millis(u64::try_from(ms).unwrap_or(0))
}

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
    /// Exit code, when the command (or `ssh`, 255) exited.
    pub exit_code: Option<i32>,
    /// Signal name, when `ssh` was killed by one.
    pub signal: Option<String>,
    /// Hit the step's timeout.
    pub timed_out: bool,
    /// `ssh` could not be started.
    pub error: Option<String>,
    /// Why it failed, classified (`host_finished.cause`; absent in older
    /// journals and for successes).
    pub cause: Option<crate::event::HostCause>,
    /// The host's own last lines of output, for a failure.
    pub output_tail: Vec<String>,
}

impl HostRun {
    /// Why it failed in a few words (`exit 1`, `unreachable`, `timed
    /// out`), from the recorded cause or, in older journals, from how
    /// `ssh` ended.
    pub fn failure_text(&self) -> String {
        match self.cause {
            Some(c) => c.text(self.exit_code, self.signal.as_deref()),
            None if self.timed_out => "timed out".into(),
            None if self.error.is_some() => "ssh could not start".into(),
            None => match (self.exit_code, &self.signal) {
                (Some(c), _) => format!("exit {c}"),
                (None, Some(s)) => format!("killed by {s}"),
                (None, None) => "failed".into(),
            },
        }
    }

    /// Whether the command succeeded on this host.
    pub fn succeeded(&self) -> bool {
        self.exit_code == Some(0)
            && self.signal.is_none()
            && !self.timed_out
            && self.error.is_none()
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
    /// Exit code, when the process exited.
    pub exit_code: Option<i32>,
    /// Signal name, when killed by one.
    pub signal: Option<String>,
    /// Hit the step's timeout.
    pub timed_out: bool,
    /// Could not be started.
    pub error: Option<String>,
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
    fn new(number: u32, started: Timestamp, start_known: bool) -> Self {
        Attempt {
            number,
            started,
            ended: None,
            exit_code: None,
            signal: None,
            timed_out: false,
            error: None,
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
        self.ended.is_some()
            && self.exit_code == Some(0)
            && self.signal.is_none()
            && !self.timed_out
            && self.error.is_none()
            && !self.interrupted
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
    fn empty() -> Self {
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

    fn add(&mut self, o: &TimeSplit) {
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
fn held_within(holds: &[Hold], from: Timestamp, to: Timestamp, now: Timestamp) -> StdDuration {
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

/// Why a step is waiting, when it is not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Operator,
    Other,
}

/// Everything known about one step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRecord {
    /// The step as planned in `run_started`.
    pub planned: PlannedStep,
    /// Where it stands.
    pub state: StepState,
    /// When it became ready (the first time).
    pub ready: Option<Timestamp>,
    /// Every attempt of its command, in order.
    pub attempts: Vec<Attempt>,
    /// Every decision about it, in order.
    pub decisions: Vec<DecisionRecord>,
    /// When its outcome was recorded.
    pub finished: Option<Timestamp>,
    /// Exit code of the last attempt (from `step_finished`).
    pub exit_code: Option<i32>,
    /// Why it ended the way it did.
    pub reason: Option<String>,
    /// Who recorded the outcome.
    pub by: Option<String>,
    /// How the outcome was decided.
    pub source: Option<Source>,
    /// Last lines of output of a failed command.
    pub output_tail: Vec<String>,
    /// Its rollback, if one was run or declined.
    pub rollback: Option<RollbackRecord>,
    /// The role the outcome was recorded for by a coordinator outside it.
    pub for_role: Option<String>,
    /// Confirmations and refusals of a step with `approvals`, in order.
    pub approvals: Vec<ApprovalRecord>,
    /// The runbook's estimate, when it was revised during the drill
    /// (`planned.estimate` then holds the latest revision).
    pub original_estimate: Option<Option<Duration>>,
    /// The role or person it was handed to during the drill.
    pub assigned_to: Option<String>,
    /// The restore point it brought back (`restore_point`), and who gave it.
    pub restore_point: Option<RestorePoint>,
    /// Host ends recorded before their attempt was seen (an attempt that
    /// could not start has no `step_started`).
    early_hosts: Vec<(u32, HostRun)>,
    /// Closed intervals so far.
    split: TimeSplit,
    /// An open wait: since when and why.
    waiting: Option<(Timestamp, Wait)>,
    /// Since when its command could start and waits for a free job slot
    /// (`--jobs`): ready, or told to run or retry, and not started yet.
    queued: Option<Timestamp>,
    /// Closed job-slot waits so far: not the step's own time.
    slot_wait: StdDuration,
}

impl StepRecord {
    fn new(planned: PlannedStep) -> Self {
        StepRecord {
            planned,
            state: StepState::Pending,
            ready: None,
            attempts: Vec::new(),
            decisions: Vec::new(),
            finished: None,
            exit_code: None,
            reason: None,
            by: None,
            source: None,
            output_tail: Vec::new(),
            rollback: None,
            for_role: None,
            approvals: Vec::new(),
            original_estimate: None,
            assigned_to: None,
            restore_point: None,
            early_hosts: Vec::new(),
            split: TimeSplit::default(),
            waiting: None,
            queued: None,
            slot_wait: StdDuration::ZERO,
        }
    }

    /// Step id.
    pub fn id(&self) -> &StepId {
        &self.planned.id
    }

    /// The hosts its command runs on: those planned in `run_started`, then
    /// any other host with a recorded end, in order of first appearance
    /// over its attempts and then its rollback. Empty for a local step.
    pub fn hosts(&self) -> Vec<&str> {
        // The planned hosts first (a step that never ran still names
        // them; journals from before they were recorded have none), then
        // any other host that reported.
        let mut names: Vec<&str> = self.planned.hosts.iter().map(String::as_str).collect();
        let runs = self
            .attempts
            .iter()
            .flat_map(|a| a.hosts.iter())
            .chain(self.rollback.iter().flat_map(|r| r.hosts.iter()));
        for h in runs {
            if !names.contains(&h.host.as_str()) {
                names.push(&h.host);
            }
        }
        names
    }

    /// For each attempt, the hosts it ran on: a retry or a resumed attempt
    /// runs only where the step was not done yet (since the last
    /// `retry_all`, which runs every host again).
    pub fn attempt_hosts(&self) -> Vec<Vec<&str>> {
        let all = self.hosts();
        let mut done: Vec<&str> = Vec::new();
        let mut out = Vec::with_capacity(self.attempts.len());
        let mut prev: Option<Timestamp> = None;
        for a in &self.attempts {
            let reset = self.decisions.iter().any(|d| {
                d.decision == Decision::RetryAll
                    && d.time <= a.started
                    && prev.is_none_or(|p| d.time >= p)
            });
            if reset {
                done.clear();
            }
            out.push(all.iter().copied().filter(|h| !done.contains(h)).collect());
            for h in a.hosts.iter().filter(|h| h.succeeded()) {
                if !done.contains(&h.host.as_str()) {
                    done.push(&h.host);
                }
            }
            prev = Some(a.started);
        }
        out
    }

    /// Takes the early host ends of attempt `number`.
    fn take_early_hosts(&mut self, number: u32) -> Vec<HostRun> {
        if self.early_hosts.is_empty() {
            return Vec::new();
        }
        let (mine, rest) = std::mem::take(&mut self.early_hosts)
            .into_iter()
            .partition(|(n, _)| *n == number);
        self.early_hosts = rest;
        mine.into_iter().map(|(_, h)| h).collect()
    }

    /// The outcome, once recorded.
    pub fn outcome(&self) -> Option<Outcome> {
        match self.state {
            StepState::Finished(o) => Some(o),
            _ => None,
        }
    }

    /// When work on the step began: when it became ready, or its first
    /// attempt started (whichever is known first).
    pub fn began(&self) -> Option<Timestamp> {
        match (self.ready, self.attempts.first()) {
            (Some(r), Some(a)) => Some(r.min(a.started)),
            (Some(r), None) => Some(r),
            (None, Some(a)) => Some(a.started),
            (None, None) => None,
        }
    }

    /// Its recorded duration: from ready (or first start) to its outcome,
    /// or to `now` while open, less the time its command waited for a free
    /// job slot (that is the drill's `--jobs`, not the team's work).
    /// `None` when it never began (pending, or an outcome given on the
    /// command line).
    pub fn duration(&self, now: Timestamp) -> Option<StdDuration> {
        let began = self.began()?;
        let end = self.finished.unwrap_or(now);
        Some(span(began, end).saturating_sub(self.slot_wait_until(end)))
    }

    /// How long its command has been waiting for a free job slot, while it
    /// waits (`None` when it is not waiting for one).
    pub fn waiting_for_slot(&self, now: Timestamp) -> Option<StdDuration> {
        self.queued
            .filter(|_| self.finished.is_none())
            .map(|q| span(q, now))
    }

    /// Every job-slot wait up to `end`, the open one included.
    fn slot_wait_until(&self, end: Timestamp) -> StdDuration {
        self.slot_wait + self.queued.map_or(StdDuration::ZERO, |q| span(q, end))
    }

    /// Closes a job-slot wait at `t` (its command started, or the step
    /// ended without starting it).
    fn close_queue(&mut self, t: Timestamp) {
        if let Some(q) = self.queued.take() {
            self.slot_wait += span(q, t);
        }
    }

    /// How far beyond its estimate the step ran (`None` without an
    /// estimate or duration; zero when within it).
    pub fn overrun(&self, now: Timestamp) -> Option<StdDuration> {
        let est = self.planned.estimate?.to_std();
        let d = self.duration(now)?;
        Some(d.saturating_sub(est))
    }

    /// Where the step's time went, measured from `run_start`; anything still
    /// open runs to `now`. A step never reached has no split.
    pub fn time_split(&self, run_start: Timestamp, now: Timestamp) -> Option<TimeSplit> {
        let mut s = self.split;
        match self.ready {
            Some(r) => s.dependencies = span(run_start, r),
            None if self.began().is_none() => return None,
            None => {}
        }
        if self.finished.is_none() {
            if let Some((since, wait)) = self.waiting {
                match wait {
                    Wait::Operator => s.operator += span(since, now),
                    Wait::Other => s.other += span(since, now),
                }
            }
            if let Some(a) = self.attempts.last()
                && a.ended.is_none()
                && !a.interrupted
            {
                s.running += span(a.started, now);
            }
        }
        Some(s)
    }

    fn wait_kind_on_ready(&self) -> Wait {
        match self.planned.kind {
            StepKind::Manual | StepKind::Confirm => Wait::Operator,
            StepKind::Command => Wait::Other,
        }
    }

    /// Closes an open wait at `t`; a wait closed by the operator's own act
    /// was time spent waiting for the operator, whatever it looked like.
    fn close_wait(&mut self, t: Timestamp, by_operator: bool, holds: &[Hold]) {
        if let Some((since, wait)) = self.waiting.take() {
            let held = held_within(holds, since, t, t);
            self.split.held += held;
            let d = span(since, t).saturating_sub(held);
            if by_operator || wait == Wait::Operator {
                self.split.operator += d;
            } else {
                self.split.other += d;
            }
        }
    }

    fn close_attempt(&mut self, t: Timestamp, interrupted: bool) {
        if let Some(a) = self.attempts.last_mut()
            && a.ended.is_none()
            && !a.interrupted
        {
            self.split.running += span(a.started, t);
            if interrupted {
                a.interrupted = true;
                a.cut = Some(t);
            } else {
                a.ended = Some(t);
            }
        }
    }
}

/// A chain of steps, first to last, with its length.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Path {
    /// Step ids, first to last.
    pub steps: Vec<StepId>,
    /// Its length: the sum of estimates (planned) or from the start of the
    /// drill to the last step's outcome (actual).
    pub length: StdDuration,
}

/// How the time to recovery compares to the RTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RtoVerdict {
    /// The plan has no RTO.
    NoObjective,
    /// Recovered within the RTO, with this much to spare.
    Met {
        /// RTO minus time to recovery.
        margin: StdDuration,
    },
    /// Recovered (or ended degraded) after the RTO.
    Missed {
        /// Time to recovery minus RTO.
        by: StdDuration,
    },
    /// The drill was aborted: no recovery to compare.
    NotRecovered,
    /// Still running (or interrupted) and within the RTO so far.
    Open {
        /// Time left before the RTO.
        remaining: StdDuration,
    },
    /// Still running (or interrupted) and already past the RTO.
    Overdue {
        /// How far past.
        by: StdDuration,
    },
}

/// Everything that happened in one drill, as far as the events tell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// From `run_started`; `None` until it is seen.
    pub header: Option<Header>,
    /// Every resume after an interruption.
    pub resumes: Vec<Resume>,
    /// Every handover.
    pub handovers: Vec<Handover>,
    /// Every observation, in time order.
    pub notes: Vec<Note>,
    /// Every abort request.
    pub aborts: Vec<AbortRequest>,
    /// Every hold (`run_held` … `run_released`), in order.
    pub holds: Vec<Hold>,
    /// Every change to the plan made during the drill (cancellations,
    /// re-estimates, reassignments), in order.
    pub changes: Vec<PlanChange>,
    /// Every `step_added` record, in order (what `resume` rebuilds).
    pub added: Vec<Event>,
    /// How the drill ended and when; `None` while running or when the
    /// journal stops early (interrupted).
    pub result: Option<(Timestamp, RunResult)>,
    /// Steps in file order.
    pub steps: Vec<StepRecord>,
    /// Who ran reprise, from when: the start, then each resume (what
    /// [`Timeline::performed_by`] names for commands).
    pub runners: Vec<Runner>,
    /// Events that did not fit, described.
    pub warnings: Vec<String>,
    /// Time of the last event applied.
    pub last_event: Option<Timestamp>,
    /// Number of events applied.
    pub events: usize,
    index: HashMap<StepId, usize>,
}

impl Timeline {
    /// An empty timeline, to feed with [`Timeline::apply`].
    pub fn new() -> Self {
        Timeline::default()
    }

    /// Folds a whole stream of events.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Stamped>) -> Self {
        let mut t = Timeline::new();
        for e in events {
            t.apply(e);
        }
        t
    }

    /// The record of a step.
    pub fn step(&self, id: &str) -> Option<&StepRecord> {
        self.index.get(id).map(|&i| &self.steps[i])
    }

    /// A step's item number: its 1-based position in the plan of
    /// `run_started` (the runbook's file order, see
    /// [`StepIndex::number`](crate::runbook::StepIndex::number)).
    pub fn number(&self, id: &str) -> Option<u32> {
        self.index.get(id).map(|&i| i as u32 + 1)
    }

    /// Applies one event.
    pub fn apply(&mut self, stamped: &Stamped) {
        let t = stamped.time;
        self.events += 1;
        if let Event::RunStarted { .. } = &stamped.event {
        } else if self.header.is_none() {
            self.warnings.push(format!(
                "`{}` event at {t} before `run_started`: ignored",
                stamped.event.name()
            ));
            self.last_event = Some(t);
            return;
        }
        match &stamped.event {
            Event::RunStarted {
                runbook,
                runbook_sha256,
                name,
                mode,
                dry_run,
                operator,
                host,
                reprise_version,
                rto,
                rpo,
                services,
                phases,
                steps,
                origin,
                exercise,
                ..
            } => {
                if self.header.is_none() {
                    self.runners.push(Runner {
                        time: t,
                        account: origin.account.clone(),
                        host: host.clone(),
                    });
                }
                if self.header.is_some() {
                    self.warnings
                        .push(format!("a second `run_started` at {t}: ignored"));
                } else {
                    self.header = Some(Header {
                        started: t,
                        runbook: runbook.clone(),
                        runbook_sha256: runbook_sha256.clone(),
                        name: name.clone(),
                        mode: *mode,
                        dry_run: *dry_run,
                        operator: operator.clone(),
                        host: host.clone(),
                        reprise_version: reprise_version.clone(),
                        rto: *rto,
                        rpo: *rpo,
                        services: services.clone(),
                        exercise: exercise.as_deref().cloned().unwrap_or_default(),
                        phases: phases.clone(),
                    });
                    for s in steps {
                        if self.index.contains_key(&s.id) {
                            self.warnings
                                .push(format!("step `{}` planned twice: ignored", s.id));
                            continue;
                        }
                        self.index.insert(s.id.clone(), self.steps.len());
                        self.steps.push(StepRecord::new(s.clone()));
                    }
                }
            }
            Event::RunResumed {
                operator,
                host,
                reprise_version,
                runbook_sha256,
                origin,
                ..
            } => {
                self.runners.push(Runner {
                    time: t,
                    account: origin.account.clone(),
                    host: host.clone(),
                });
                let stopped_after = self.last_event.unwrap_or(t);
                // Whatever was running when the drill stopped ended at some
                // unknown moment after the last event: count it up to there.
                // Nobody waited while reprise was not running: waits pause
                // from the last event to the resume.
                for s in &mut self.steps {
                    if matches!(s.state, StepState::Finished(_)) {
                        continue;
                    }
                    if s.attempts
                        .last()
                        .is_some_and(|a| a.ended.is_none() && !a.interrupted)
                    {
                        s.close_attempt(stopped_after, true);
                        s.state = StepState::Ready;
                        s.waiting = Some((t, Wait::Other));
                    } else if let Some((_, kind)) = s.waiting {
                        s.close_wait(stopped_after, false, &self.holds);
                        s.waiting = Some((t, kind));
                    }
                }
                self.resumes.push(Resume {
                    time: t,
                    stopped_after,
                    operator: operator.clone(),
                    host: host.clone(),
                    reprise_version: reprise_version.clone(),
                    runbook_sha256: runbook_sha256.clone(),
                });
            }
            Event::Handover { from, to, note, .. } => self.handovers.push(Handover {
                time: t,
                from: from.clone(),
                to: to.clone(),
                note: note.clone(),
            }),
            Event::RestorePoint {
                step,
                point,
                written,
                by,
                source,
                ..
            } => match self.index.get(step) {
                Some(&i) => {
                    self.steps[i].restore_point = Some(RestorePoint {
                        time: t,
                        point: *point,
                        written: written.clone(),
                        by: by.clone(),
                        source: *source,
                    });
                }
                None => self
                    .warnings
                    .push(format!("restore point at {t} of unknown step `{step}`")),
            },
            Event::Note {
                text,
                by,
                step,
                origin,
            } => {
                if let Some(id) = step
                    && !self.index.contains_key(id)
                {
                    self.warnings
                        .push(format!("note at {t} about unknown step `{id}`"));
                }
                self.notes.push(Note {
                    time: t,
                    text: text.clone(),
                    by: by.clone(),
                    step: step.clone(),
                    account: origin.account.clone(),
                    observer: origin.observer,
                });
            }
            Event::RunHeld { by, reason, .. } => {
                if self.holds.last().is_none_or(|h| h.to.is_some()) {
                    self.holds.push(Hold {
                        from: t,
                        to: None,
                        by: by.clone(),
                        reason: reason.clone(),
                    });
                }
            }
            Event::RunReleased { .. } => {
                if let Some(h) = self.holds.last_mut().filter(|h| h.to.is_none()) {
                    h.to = Some(t);
                }
            }
            Event::AbortRequested { by, reason, .. } => self.aborts.push(AbortRequest {
                time: t,
                by: by.clone(),
                reason: reason.clone(),
            }),
            Event::RunFinished { result } => {
                if self.result.is_some() {
                    self.warnings
                        .push(format!("a second `run_finished` at {t}: ignored"));
                } else {
                    self.result = Some((t, *result));
                }
            }
            e @ Event::StepAdded { .. } => self.add_step(t, e),
            e => self.apply_step_event(t, e),
        }
        self.last_event = Some(t);
    }

    fn apply_step_event(&mut self, t: Timestamp, event: &Event) {
        let Some(id) = event.step() else { return };
        let Some(&i) = self.index.get(id) else {
            self.warnings.push(format!(
                "`{}` event at {t} for unknown step `{id}`: ignored",
                event.name()
            ));
            return;
        };
        let s = &mut self.steps[i];
        match event {
            Event::StepReady { .. } => {
                if s.ready.is_none() {
                    s.ready = Some(t);
                }
                if !matches!(s.state, StepState::Finished(_)) {
                    if s.state == StepState::Pending {
                        s.state = StepState::Ready;
                    }
                    if s.waiting.is_none() && s.attempts.last().is_none_or(|a| a.ended.is_some()) {
                        s.waiting = Some((t, s.wait_kind_on_ready()));
                    }
                    // A command without confirmation starts as soon as a
                    // job slot is free: until then it waits for one.
                    if s.planned.kind == StepKind::Command && s.attempts.is_empty() {
                        s.queued.get_or_insert(t);
                    }
                }
            }
            // Paper: the start written on the sheet is when work began;
            // what the step waited for before is not known.
            Event::StepBegan { .. } => {
                s.close_wait(t, false, &self.holds);
                s.ready = Some(s.ready.map_or(t, |r| r.min(t)));
                if !matches!(s.state, StepState::Finished(_)) {
                    s.state = StepState::Ready;
                }
            }
            Event::StepStarted { attempt, .. } => {
                s.close_wait(t, false, &self.holds);
                s.close_queue(t);
                // An attempt still open here was cut short by a crash that no
                // `run_resumed` announced.
                s.close_attempt(t, true);
                if s.ready.is_none() {
                    s.ready = Some(t);
                }
                let mut a = Attempt::new(*attempt, t, true);
                a.hosts = s.take_early_hosts(*attempt);
                s.attempts.push(a);
                s.state = StepState::Running { attempt: *attempt };
            }
            Event::AttemptFinished {
                attempt,
                exit_code,
                signal,
                timed_out,
                error,
                ..
            } => {
                let open = s
                    .attempts
                    .last()
                    .is_some_and(|a| a.number == *attempt && a.ended.is_none());
                if !open {
                    // A failure to start may come without `step_started`.
                    s.close_wait(t, false, &self.holds);
                    s.close_queue(t);
                    let mut a = Attempt::new(*attempt, t, false);
                    a.hosts = s.take_early_hosts(*attempt);
                    s.attempts.push(a);
                }
                s.close_attempt(t, false);
                if let Some(a) = s.attempts.last_mut() {
                    a.interrupted = false;
                    a.cut = None;
                    a.ended = Some(t);
                    a.exit_code = *exit_code;
                    a.signal = signal.clone();
                    a.timed_out = *timed_out;
                    a.error = error.clone();
                    if !a.succeeded() {
                        s.state = StepState::AttemptFailed { attempt: *attempt };
                        s.waiting = Some((t, Wait::Other));
                    }
                }
            }
            Event::Decision {
                decision,
                reason,
                by,
                source,
                ..
            } => {
                let by_operator = matches!(source, Source::Operator | Source::AutoConfirmed);
                s.close_wait(t, by_operator, &self.holds);
                if !matches!(s.state, StepState::Running { .. } | StepState::Finished(_)) {
                    s.waiting = Some((t, Wait::Other));
                    // Told to run its command (a confirmation, a retry, an
                    // interrupted step): it waits for a job slot now.
                    if matches!(
                        decision,
                        Decision::Run | Decision::Retry | Decision::RetryAll
                    ) && s.planned.kind != StepKind::Manual
                    {
                        s.queued.get_or_insert(t);
                    }
                }
                s.decisions.push(DecisionRecord {
                    time: t,
                    decision: *decision,
                    reason: reason.clone(),
                    by: by.clone(),
                    source: *source,
                });
            }
            Event::StepFinished {
                outcome,
                exit_code,
                reason,
                by,
                source,
                output_tail,
                origin,
                ..
            } => {
                if let StepState::Finished(before) = s.state {
                    self.warnings.push(format!(
                        "step `{id}` finished twice (was {before}, now {outcome} at {t})"
                    ))
                }
                let by_operator = matches!(source, Source::Operator | Source::AutoConfirmed);
                s.close_wait(t, by_operator, &self.holds);
                s.close_queue(t);
                s.close_attempt(t, false);
                s.state = StepState::Finished(*outcome);
                s.finished = Some(t);
                s.exit_code = *exit_code;
                s.reason = reason.clone();
                s.by = Some(by.clone());
                s.source = Some(*source);
                s.output_tail = output_tail.clone();
                s.for_role = origin.for_role.clone();
            }
            Event::StepCancelled { reason, by, .. } => self.changes.push(PlanChange {
                time: t,
                step: id.clone(),
                kind: ChangeKind::Cancelled,
                detail: None,
                reason: reason.clone(),
                by: by.clone(),
            }),
            Event::EstimateRevised {
                estimate,
                until,
                previous,
                reason,
                by,
                ..
            } => {
                // An end time counts from the step's start (or from now,
                // for a step not yet started).
                let new = match (estimate, until) {
                    (_, Some(u)) => Some(Duration::from_secs(
                        span(s.began().unwrap_or(t).min(*u), *u).as_secs(),
                    )),
                    (e, None) => *e,
                };
                if s.original_estimate.is_none() {
                    s.original_estimate = Some(s.planned.estimate);
                }
                if new.is_some() {
                    s.planned.estimate = new;
                }
                let what = match (estimate, until) {
                    (_, Some(u)) => format!("until {}", u.strftime("%Y-%m-%d %H:%M UTC")),
                    (Some(e), None) => e.to_string(),
                    (None, None) => "?".into(),
                };
                let was = previous.map_or(String::new(), |p| format!(" (was {p})"));
                self.changes.push(PlanChange {
                    time: t,
                    step: id.clone(),
                    kind: ChangeKind::Estimate,
                    detail: Some(format!("{what}{was}")),
                    reason: reason.clone(),
                    by: by.clone(),
                });
            }
            Event::StepAssigned {
                to,
                previous,
                reason,
                by,
                ..
            } => {
                s.assigned_to = Some(to.clone());
                let was = previous
                    .as_ref()
                    .map_or(String::new(), |p| format!(" (was {p})"));
                self.changes.push(PlanChange {
                    time: t,
                    step: id.clone(),
                    kind: ChangeKind::Assigned,
                    detail: Some(format!("to {to}{was}")),
                    reason: reason.clone(),
                    by: by.clone(),
                });
            }
            Event::Approval {
                approved,
                reason,
                by,
                origin,
                count,
                needed,
                ..
            } => s.approvals.push(ApprovalRecord {
                time: t,
                approved: *approved,
                reason: reason.clone(),
                by: by.clone(),
                account: origin.account.clone(),
                count: *count,
                needed: *needed,
                for_role: origin.for_role.clone(),
            }),
            Event::RollbackStarted { .. } => {
                s.rollback = Some(RollbackRecord {
                    started: Some(t),
                    ..RollbackRecord::empty()
                });
            }
            Event::RollbackFinished {
                outcome,
                exit_code,
                reason,
                by,
                ..
            } => {
                let r = s.rollback.get_or_insert_with(RollbackRecord::empty);
                r.finished = Some(t);
                r.outcome = Some(*outcome);
                r.exit_code = *exit_code;
                r.reason = reason.clone();
                r.by = Some(by.clone());
            }
            Event::HostFinished {
                attempt,
                host,
                exit_code,
                signal,
                timed_out,
                error,
                cause,
                output_tail,
                ..
            } => {
                let run = HostRun {
                    host: host.clone(),
                    ended: t,
                    exit_code: *exit_code,
                    signal: signal.clone(),
                    timed_out: *timed_out,
                    error: error.clone(),
                    cause: *cause,
                    output_tail: output_tail.clone(),
                };
                if *attempt == 0 {
                    // Attempt 0 is the rollback command.
                    s.rollback
                        .get_or_insert_with(RollbackRecord::empty)
                        .hosts
                        .push(run);
                } else if let Some(a) = s.attempts.iter_mut().rev().find(|a| a.number == *attempt) {
                    a.hosts.push(run);
                } else {
                    // An attempt that could not start is known only from its
                    // `attempt_finished`, which follows its hosts' ends.
                    s.early_hosts.push((*attempt, run));
                }
            }
            _ => {}
        }
    }

    /// The time reports measure open things up to: the end of the drill if
    /// it finished, else the last event (an interrupted journal says nothing
    /// after it).
    pub fn as_of(&self) -> Option<Timestamp> {
        self.result.map(|(t, _)| t).or(self.last_event)
    }

    /// Steps with no outcome yet that are ready, running or between
    /// attempts: what `status` shows as in progress (manual steps among them
    /// are open for the operator).
    pub fn in_progress(&self) -> impl Iterator<Item = &StepRecord> {
        self.steps.iter().filter(|s| {
            matches!(
                s.state,
                StepState::Ready | StepState::Running { .. } | StepState::AttemptFailed { .. }
            )
        })
    }

    /// Whether `run_started` was seen.
    pub fn is_started(&self) -> bool {
        self.header.is_some()
    }

    /// Whether `run_finished` was seen.
    pub fn is_finished(&self) -> bool {
        self.result.is_some()
    }

    /// From the start of the drill to `now` (or to its end once finished).
    pub fn elapsed(&self, now: Timestamp) -> Option<StdDuration> {
        let h = self.header.as_ref()?;
        let end = self.result.map_or(now, |(t, _)| t);
        Some(span(h.started, end))
    }

    /// When recovery work ended: when the last service came back for a
    /// plan that names services (`objectives.services`, all restored), else
    /// the last step outcome, or the end of the drill when no step finished.
    pub fn recovery_end(&self) -> Option<Timestamp> {
        if let Some(t) = self.services_restored_at() {
            return Some(t);
        }
        self.steps
            .iter()
            .filter_map(|s| s.finished)
            .max()
            .or(self.result.map(|(t, _)| t))
    }

    /// From the start of the drill to the last step outcome, once the drill
    /// has finished recovered or degraded. `None` while running, when
    /// interrupted, and when aborted (nothing was recovered).
    pub fn time_to_recovery(&self) -> Option<StdDuration> {
        let h = self.header.as_ref()?;
        match self.result {
            Some((_, RunResult::Recovered | RunResult::Degraded)) => {
                Some(span(h.started, self.recovery_end()?))
            }
            _ => None,
        }
    }

    /// The time to recovery against the RTO; an open drill is measured up to
    /// `now`.
    pub fn rto_verdict(&self, now: Timestamp) -> RtoVerdict {
        let Some(rto) = self.header.as_ref().and_then(|h| h.rto) else {
            return RtoVerdict::NoObjective;
        };
        let rto = rto.to_std();
        match self.result {
            Some((_, RunResult::Aborted)) => RtoVerdict::NotRecovered,
            Some(_) => {
                let ttr = self.time_to_recovery().unwrap_or_default();
                if ttr <= rto {
                    RtoVerdict::Met { margin: rto - ttr }
                } else {
                    RtoVerdict::Missed { by: ttr - rto }
                }
            }
            None => {
                let e = self.elapsed(now).unwrap_or_default();
                if e <= rto {
                    RtoVerdict::Open { remaining: rto - e }
                } else {
                    RtoVerdict::Overdue { by: e - rto }
                }
            }
        }
    }

    /// Who was operator from when: the one who started the drill, then each
    /// handover's incoming operator and each resume's operator, in time order.
    pub fn operator_periods(&self) -> Vec<(Timestamp, String)> {
        let Some(h) = &self.header else {
            return Vec::new();
        };
        let mut v = vec![(h.started, h.operator.clone())];
        v.extend(self.handovers.iter().map(|x| (x.time, x.to.clone())));
        v.extend(self.resumes.iter().map(|x| (x.time, x.operator.clone())));
        v.sort_by_key(|(t, _)| *t);
        v.dedup_by(|b, a| a.1 == b.1);
        v
    }

    /// Every distinct operator, in order of first appearance (starter,
    /// handovers, resumes, and anyone who recorded an outcome or decision).
    pub fn operators(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut push = |n: &str| {
            if !n.is_empty() && n != "reprise" && !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        };
        for (_, n) in self.operator_periods() {
            push(&n);
        }
        for h in &self.handovers {
            push(&h.from);
        }
        for s in &self.steps {
            if s.source == Some(Source::Operator)
                && let Some(b) = &s.by
            {
                push(b);
            }
            for d in &s.decisions {
                if d.source == Source::Operator {
                    push(&d.by);
                }
            }
        }
        names
    }

    /// Who carried the step out, as opposed to who recorded its outcome:
    /// a command is performed by reprise, on the account and machine that
    /// ran its last attempt; a manual step by its role (the team), or,
    /// without one, by whoever recorded it. `None` when nothing was
    /// performed (not reached, skipped, not applicable, aborted before it
    /// ran, or assumed done on the command line).
    pub fn performed_by(&self, s: &StepRecord) -> Option<String> {
        if let Some(a) = s.attempts.last() {
            let runner = self.runners.iter().rev().find(|r| r.time <= a.started)?;
            return Some(match &runner.account {
                Some(acc) => format!("reprise as {acc} on {}", runner.host),
                None => format!("reprise on {}", runner.host),
            });
        }
        match (s.outcome(), s.source) {
            (
                Some(Outcome::Done | Outcome::Failed),
                Some(Source::Operator | Source::AutoConfirmed),
            ) => s.planned.role.clone().or_else(|| s.by.clone()),
            _ => None,
        }
    }

    /// Who recorded the step's outcome: the operator who typed it (or
    /// whose answers file or `--yes` gave it), `reprise` when a command's
    /// exit status decided or the engine did.
    pub fn recorded_by(s: &StepRecord) -> Option<String> {
        match s.source? {
            Source::Command | Source::Engine => Some(ENGINE_NAME.to_string()),
            _ => s.by.clone(),
        }
    }

    /// Every distinct role of the plan's steps, in file order.
    pub fn roles(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut roles: Vec<String> = Vec::new();
        for s in &self.steps {
            if let Some(r) = &s.planned.role
                && seen.insert(r.as_str())
            {
                roles.push(r.clone());
            }
        }
        roles
    }

    /// Where the time went, summed over every step that began.
    pub fn total_split(&self, now: Timestamp) -> TimeSplit {
        let mut total = TimeSplit::default();
        for s in &self.steps {
            if let Some(split) = self.split_of(s, now) {
                total.add(&split);
            }
        }
        total
    }

    /// Where a step's time went ([`StepRecord::time_split`] from the
    /// drill's start), the time the drill was held counted apart from its
    /// waits.
    pub fn split_of(&self, s: &StepRecord, now: Timestamp) -> Option<TimeSplit> {
        let h = self.header.as_ref()?;
        let mut split = s.time_split(h.started, now)?;
        if self.holds.is_empty() {
            return Some(split);
        }
        if let Some(ready) = s.ready {
            let held = held_within(&self.holds, h.started, ready, now);
            split.dependencies = split.dependencies.saturating_sub(held);
            split.held += held;
        }
        if s.finished.is_none()
            && let Some((since, wait)) = s.waiting
        {
            let held = held_within(&self.holds, since, now, now);
            match wait {
                Wait::Operator => split.operator = split.operator.saturating_sub(held),
                Wait::Other => split.other = split.other.saturating_sub(held),
            }
            split.held += held;
        }
        Some(split)
    }

    /// How long the drill was held, summed over its holds (one still on
    /// runs to `now`).
    pub fn held(&self, now: Timestamp) -> StdDuration {
        let end = self.result.map_or(now, |(t, _)| t);
        self.holds
            .iter()
            .map(|h| span(h.from, h.to.unwrap_or(end)))
            .sum()
    }

    /// Whether the step counts in this drill's plan: steps restricted to the
    /// other mode take no time.
    fn applies(&self, s: &PlannedStep) -> bool {
        let mode = self.header.as_ref().map_or(Mode::Drill, |h| h.mode);
        s.only.is_none_or(|m| m == mode)
    }

    /// The recorded plan as [`Task`]s for [`schedule`], and the number of
    /// phases: a step's prerequisites are its `needs` and every step of
    /// its `needs_phases` (a journal from before `needs_phases` names, in
    /// `needs`, the step of each such phase planned to finish last).
    fn tasks(&self) -> (Vec<Task>, usize) {
        let mut phases: HashMap<&str, usize> = HashMap::new();
        if let Some(h) = &self.header {
            for p in &h.phases {
                let k = phases.len();
                phases.entry(p.id.as_str()).or_insert(k);
            }
        }
        let mut tasks = Vec::with_capacity(self.steps.len());
        for s in &self.steps {
            let p = &s.planned;
            let k = phases.len();
            let phase = *phases.entry(p.phase.as_str()).or_insert(k);
            tasks.push(Task {
                weight: if self.applies(p) {
                    p.estimate.map_or(0, |e| e.as_secs())
                } else {
                    0
                },
                applicable: self.applies(p),
                phase: Some(phase),
                needs: p
                    .needs
                    .iter()
                    .filter_map(|n| self.index.get(n).copied())
                    .collect(),
                phases: p
                    .needs_phases
                    .iter()
                    .filter_map(|n| phases.get(n.as_str()).copied())
                    .collect(),
            });
        }
        let count = phases.len();
        (tasks, count)
    }

    /// Planned earliest start and finish of every step (offsets from the
    /// start of the drill, by estimates; a step without estimate takes no
    /// time), in file order. `None` for steps caught in a dependency cycle,
    /// which a validated plan never has.
    pub fn planned_schedule(&self) -> Vec<Option<(StdDuration, StdDuration)>> {
        let (tasks, phases) = self.tasks();
        let s = schedule(&tasks, phases);
        s.start
            .iter()
            .zip(&s.end)
            .map(|(st, en)| {
                Some((
                    StdDuration::from_secs((*st)?),
                    StdDuration::from_secs((*en)?),
                ))
            })
            .collect()
    }

    /// The planned critical path: the longest chain of estimates through
    /// the prerequisites, computed by [`schedule`] like `reprise plan`'s.
    pub fn planned_critical_path(&self) -> Path {
        let (tasks, phases) = self.tasks();
        let s = schedule(&tasks, phases);
        Path {
            steps: s
                .path
                .into_iter()
                .map(|i| self.steps[i].planned.id.clone())
                .collect(),
            length: StdDuration::from_secs(s.total),
        }
    }

    /// The actual critical path: the chain of steps that really determined
    /// when the recovery ended. From the step whose outcome came last, walk
    /// back through the prerequisite that released it: the one whose
    /// outcome came last before it became ready (the first in file order
    /// on ties), among the steps it names and every step of the phases it
    /// waits for.
    pub fn actual_critical_path(&self) -> Path {
        let Some(h) = &self.header else {
            return Path::default();
        };
        let last = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.finished.map(|f| (f, i)))
            // Latest outcome; the first in file order on ties.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((end, mut cur)) = last else {
            return Path::default();
        };
        let (tasks, phase_count) = self.tasks();
        // Each phase's finished steps by outcome time, the first in file
        // order last among equal times: the release of a phase is found by
        // a binary search, not a scan.
        let mut by_phase: Vec<Vec<(Timestamp, Reverse<usize>)>> = vec![Vec::new(); phase_count];
        for (i, t) in tasks.iter().enumerate() {
            if let (Some(p), Some(f)) = (t.phase, self.steps[i].finished) {
                by_phase[p].push((f, Reverse(i)));
            }
        }
        by_phase.iter_mut().for_each(|v| v.sort_unstable());
        let mut chain = vec![cur];
        let mut on_chain = vec![false; self.steps.len()];
        on_chain[cur] = true;
        loop {
            let s = &self.steps[cur];
            let limit = s.began().or(s.finished);
            let fits = |f: Timestamp| limit.is_none_or(|l| f <= l);
            let named = tasks[cur]
                .needs
                .iter()
                .filter_map(|&j| self.steps[j].finished.map(|f| (f, Reverse(j))));
            let phases = tasks[cur].phases.iter().filter_map(|&p| {
                let v = &by_phase[p];
                let k = v.partition_point(|x| fits(x.0));
                k.checked_sub(1).map(|k| v[k])
            });
            let prev = named.chain(phases).filter(|x| fits(x.0)).max();
            match prev {
                Some((_, Reverse(j))) if !on_chain[j] => {
                    on_chain[j] = true;
                    chain.push(j);
                    cur = j;
                }
                _ => break,
            }
        }
        chain.reverse();
        Path {
            steps: chain
                .into_iter()
                .map(|i| self.steps[i].planned.id.clone())
                .collect(),
            length: span(h.started, end),
        }
    }
}

mod added;
mod forecast;
pub use forecast::{Forecast, Outlook};
pub mod services;

#[cfg(test)]
mod tests;
