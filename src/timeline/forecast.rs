//! When the recovery should end, seen from now: what is left of the plan,
//! laid out by [`schedule`] from the current time. The same rules as the
//! planned critical path, with each step's weight replaced by what remains
//! of it: nothing for a step that ended, what is left of its estimate for
//! one under way (nothing once it has overrun: it may end any moment), and
//! its whole (latest) estimate for one not begun.

use jiff::{SignedDuration, Timestamp};

use super::services::{ServiceRecovery, ServiceState};
use super::{StepState, Timeline};
use crate::schedule::schedule;

impl Timeline {
    /// The forecast end of the recovery at `now` (`None` before
    /// `run_started`, or once it ended: then it is known).
    pub fn forecast_end(&self, now: Timestamp) -> Option<Timestamp> {
        self.forecast(now).map(|f| f.end)
    }

    /// The forecast at `now`: when the recovery and each step should end.
    pub fn forecast(&self, now: Timestamp) -> Option<Forecast> {
        if self.header.is_none() || self.is_finished() {
            return None;
        }
        let (mut tasks, phases) = self.tasks();
        for (task, s) in tasks.iter_mut().zip(&self.steps) {
            task.weight = match s.state {
                StepState::Finished(_) => 0,
                StepState::Pending => task.weight,
                // Its own time so far: a wait for a job slot is not progress.
                _ => match s.duration(now) {
                    Some(d) => task.weight.saturating_sub(d.as_secs()),
                    None => task.weight,
                },
            };
        }
        let plan = schedule(&tasks, phases);
        let at = |secs: u64| now.checked_add(SignedDuration::from_secs(secs as i64)).ok();
        Some(Forecast {
            end: at(plan.total)?,
            steps: self
                .steps
                .iter()
                .zip(&plan.end)
                .map(|(s, end)| match s.state {
                    StepState::Finished(_) => s.finished,
                    _ => end.and_then(at),
                })
                .collect(),
        })
    }
}

impl Timeline {
    /// Each service of `objectives.services` not yet restored (nor lost),
    /// with the forecast end of the last step restoring it.
    pub fn service_forecasts(&self, now: Timestamp) -> Vec<(ServiceRecovery, Timestamp)> {
        let Some(forecast) = self.forecast(now) else {
            return Vec::new();
        };
        self.services()
            .into_iter()
            .filter(|s| s.state == ServiceState::Pending)
            .filter_map(|s| {
                let end = s
                    .steps
                    .iter()
                    .filter_map(|id| self.index.get(id.as_str()))
                    .filter_map(|&i| forecast.steps.get(i).copied().flatten())
                    .max()?;
                Some((s, end))
            })
            .collect()
    }
}

impl Timeline {
    /// The forecast end at `now` against the RTO, for the live view and
    /// `status`: what a re-estimate moves (`None` when there is no
    /// forecast: before the start, after the end).
    pub fn outlook(&self, now: Timestamp) -> Option<Outlook> {
        let end = self.forecast_end(now)?;
        let h = self.header.as_ref()?;
        let margin = h.rto.and_then(|rto| {
            let deadline = h
                .started
                .checked_add(SignedDuration::from_secs(rto.as_secs() as i64))
                .ok()?;
            Some(deadline.duration_since(end))
        });
        let unestimated = self
            .steps
            .iter()
            .filter(|s| !matches!(s.state, StepState::Finished(_)))
            .filter(|s| self.applies(&s.planned) && s.planned.estimate.is_none())
            .count();
        Some(Outlook {
            end,
            margin,
            unestimated,
        })
    }
}

/// The forecast end of the recovery against the RTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outlook {
    /// When the last step should end.
    pub end: Timestamp,
    /// How long before the RTO's deadline that is (negative: past it);
    /// `None` without an RTO.
    pub margin: Option<SignedDuration>,
    /// Steps still to end that have no estimate (counted as taking no
    /// time: the forecast is that much optimistic).
    pub unestimated: usize,
}

/// When things should end, seen from one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// The end of the recovery: the last step.
    pub end: Timestamp,
    /// Each step's end, in file order: recorded for a step that ended,
    /// forecast for the others (`None` in a dependency cycle).
    pub steps: Vec<Option<Timestamp>>,
}
