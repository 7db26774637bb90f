//! One step's record: its plan, attempts, waits and outcome, and the
//! times derived from them (duration, overrun, the time split).

use super::{
    ApprovalRecord, Attempt, Decision, DecisionRecord, Duration, Hold, HostRun, Outcome,
    PlannedStep, RestorePoint, RollbackRecord, Source, StdDuration, StepId, StepKind, StepState,
    TimeSplit, Timestamp, held_within, span,
};

/// Why a step is waiting, when it is not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wait {
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
    /// The OS account that recorded the outcome, when the journal says.
    pub account: Option<String>,
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
    /// Each host's restore point, for a remote step, in the order they
    /// were recorded (`restore_point` is the oldest of them).
    pub host_restore_points: Vec<RestorePoint>,
    /// Host ends recorded before their attempt was seen (an attempt that
    /// could not start has no `step_started`).
    pub(super) early_hosts: Vec<(u32, HostRun)>,
    /// Closed intervals so far.
    split: TimeSplit,
    /// An open wait: since when and why.
    pub(super) waiting: Option<(Timestamp, Wait)>,
    /// Since when its command could start and waits for a free job slot
    /// (`--jobs`): ready, or told to run or retry, and not started yet.
    pub(super) queued: Option<Timestamp>,
    /// Closed job-slot waits so far: not the step's own time.
    slot_wait: StdDuration,
}

impl StepRecord {
    pub(super) fn new(planned: PlannedStep) -> Self {
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
            account: None,
            source: None,
            output_tail: Vec::new(),
            rollback: None,
            for_role: None,
            approvals: Vec::new(),
            original_estimate: None,
            assigned_to: None,
            restore_point: None,
            host_restore_points: Vec::new(),
            early_hosts: Vec::new(),
            split: TimeSplit::default(),
            waiting: None,
            queued: None,
            slot_wait: StdDuration::ZERO,
        }
    }

    /// Adds an attempt; the hosts of attempts before the last
    /// [`ATTEMPTS_WITH_OUTPUT`](super::tail::ATTEMPTS_WITH_OUTPUT) keep
    /// their ends, not their output (memory bounded by the steps, not the
    /// retries).
    pub(super) fn push_attempt(&mut self, attempt: Attempt) {
        self.attempts.push(attempt);
        let old = self
            .attempts
            .len()
            .saturating_sub(super::tail::ATTEMPTS_WITH_OUTPUT);
        if let Some(a) = old.checked_sub(1).map(|i| &mut self.attempts[i]) {
            for h in &mut a.hosts {
                h.output_tail = Vec::new();
            }
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
    pub(super) fn take_early_hosts(&mut self, number: u32) -> Vec<HostRun> {
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
    pub(super) fn close_queue(&mut self, t: Timestamp) {
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

    pub(super) fn wait_kind_on_ready(&self) -> Wait {
        match self.planned.kind {
            StepKind::Manual | StepKind::Confirm => Wait::Operator,
            StepKind::Command => Wait::Other,
        }
    }

    /// Closes an open wait at `t`; a wait closed by the operator's own act
    /// was time spent waiting for the operator, whatever it looked like.
    pub(super) fn close_wait(&mut self, t: Timestamp, by_operator: bool, holds: &[Hold]) {
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

    pub(super) fn close_attempt(&mut self, t: Timestamp, interrupted: bool) {
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
