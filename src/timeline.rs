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
}

mod added;
mod apply;
mod forecast;
mod paths;
mod records;
pub mod services;
mod step;
pub mod tail;

pub use forecast::{Forecast, Outlook};
use records::held_within;
pub use records::{
    AbortRequest, ApprovalRecord, Attempt, ChangeKind, DecisionRecord, Handover, Header, Hold,
    HostRun, Note, PlanChange, RestorePoint, Resume, RollbackRecord, Runner, StepState, TimeSplit,
};
pub use step::StepRecord;
use step::Wait;

#[cfg(test)]
mod tests;
