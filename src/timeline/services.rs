//! Per-service recovery read from a [`Timeline`]: when each service of
//! `objectives.services` came back (the end of the last step that
//! `restores` it), against its RTO, and how much data it lost (the start of
//! the drill minus the earliest restore point its steps recorded) against
//! its RPO.
//!
//! Only the journal is read: the services and the steps restoring them are
//! in `run_started`, the restore points in `restore_point` records.

use std::time::Duration as StdDuration;

use jiff::Timestamp;

use super::{RtoVerdict, StepRecord, Timeline, span};
use crate::event::{Outcome, RunResult};
use crate::runbook::{Duration, StepId};

/// Where a service stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceState {
    /// Every step restoring it is done; the last one ended then.
    Restored(Timestamp),
    /// A step restoring it ended otherwise (failed, skipped, aborted).
    NotRestored {
        /// The step.
        step: StepId,
        /// How it ended.
        outcome: Outcome,
    },
    /// A step restoring it has no outcome yet.
    Pending,
    /// No applicable step restores it (none names it, or only steps of the
    /// other mode do).
    NoStep,
}

/// One service's recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecovery {
    /// Its name.
    pub name: String,
    /// Its recovery time objective.
    pub rto: Option<Duration>,
    /// Its recovery point objective.
    pub rpo: Option<Duration>,
    /// The steps restoring it, in plan order.
    pub steps: Vec<StepId>,
    /// Where it stands.
    pub state: ServiceState,
    /// The earliest restore point its steps recorded, and the step.
    pub restore_point: Option<(Timestamp, StepId)>,
}

/// The earliest restore point recorded by `steps` (the one that loses the
/// most data), with its step.
fn earliest_point<'a>(steps: impl Iterator<Item = &'a StepRecord>) -> Option<(Timestamp, StepId)> {
    steps
        .filter_map(|s| s.restore_point.as_ref().map(|r| (r.point, s.id().clone())))
        .min_by_key(|(t, _)| *t)
}

impl ServiceRecovery {
    /// From the start of the drill to its restoration.
    pub fn time_to_recovery(&self, started: Timestamp) -> Option<StdDuration> {
        match self.state {
            ServiceState::Restored(t) => Some(span(started, t)),
            _ => None,
        }
    }

    /// Data lost: from the restore point to `reference` (the start of the
    /// drill); zero for a restore point after it.
    pub fn data_loss(&self, reference: Timestamp) -> Option<StdDuration> {
        self.restore_point
            .as_ref()
            .map(|(p, _)| span(*p, reference))
    }
}

impl Timeline {
    /// Every service of `run_started`, in runbook order, with its recovery.
    pub fn services(&self) -> Vec<ServiceRecovery> {
        let Some(h) = &self.header else {
            return Vec::new();
        };
        h.services
            .iter()
            .map(|svc| {
                let restoring: Vec<&StepRecord> = self
                    .steps
                    .iter()
                    .filter(|s| s.planned.restores.contains(&svc.name))
                    .collect();
                let mut state = ServiceState::NoStep;
                let mut last: Option<Timestamp> = None;
                for s in &restoring {
                    match (s.outcome(), s.finished) {
                        (Some(Outcome::NotApplicable), _) => {}
                        (Some(Outcome::Done), Some(t)) => {
                            last = Some(last.map_or(t, |l| l.max(t)));
                        }
                        (Some(outcome), _) if outcome != Outcome::Done => {
                            if !matches!(state, ServiceState::NotRestored { .. }) {
                                state = ServiceState::NotRestored {
                                    step: s.id().clone(),
                                    outcome,
                                };
                            }
                        }
                        _ => {
                            if matches!(state, ServiceState::NoStep) {
                                state = ServiceState::Pending;
                            }
                        }
                    }
                }
                if let (ServiceState::NoStep, Some(t)) = (&state, last) {
                    state = ServiceState::Restored(t);
                }
                ServiceRecovery {
                    name: svc.name.clone(),
                    rto: svc.rto,
                    rpo: svc.rpo,
                    steps: restoring.iter().map(|s| s.id().clone()).collect(),
                    state,
                    restore_point: earliest_point(restoring.iter().copied()),
                }
            })
            .collect()
    }

    /// A service's recovery against its RTO; a service not yet restored in
    /// an open drill is measured up to `now`.
    pub fn service_verdict(&self, s: &ServiceRecovery, now: Timestamp) -> RtoVerdict {
        let (Some(rto), Some(h)) = (s.rto, &self.header) else {
            return RtoVerdict::NoObjective;
        };
        let rto = rto.to_std();
        match &s.state {
            ServiceState::Restored(t) => {
                let ttr = span(h.started, *t);
                if ttr <= rto {
                    RtoVerdict::Met { margin: rto - ttr }
                } else {
                    RtoVerdict::Missed { by: ttr - rto }
                }
            }
            ServiceState::Pending if self.result.is_none() => {
                let e = self.elapsed(now).unwrap_or_default();
                if e <= rto {
                    RtoVerdict::Open { remaining: rto - e }
                } else {
                    RtoVerdict::Overdue { by: e - rto }
                }
            }
            _ => RtoVerdict::NotRecovered,
        }
    }

    /// The moment data loss is measured to: the start of the drill (for an
    /// incident, when reprise was started on it).
    pub fn loss_reference(&self) -> Option<Timestamp> {
        self.header.as_ref().map(|h| h.started)
    }

    /// The earliest restore point of the whole drill, with its step: the
    /// data loss of the plan as a whole.
    pub fn restore_point(&self) -> Option<(Timestamp, StepId)> {
        earliest_point(self.steps.iter())
    }

    /// When the last service came back, once every service of a finished
    /// drill that recovered or ended degraded is restored: the end of the
    /// recovery when the plan names services (the debrief after it is not
    /// recovery). `None` without services or while one is not restored.
    pub fn services_restored_at(&self) -> Option<Timestamp> {
        if !matches!(
            self.result,
            Some((_, RunResult::Recovered | RunResult::Degraded))
        ) {
            return None;
        }
        let services = self.services();
        if services.is_empty() {
            return None;
        }
        services
            .iter()
            .map(|s| match s.state {
                ServiceState::Restored(t) => Some(t),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max()
    }
}
