//! When the recovery should end, seen from now: what is left of the plan,
//! laid out by [`schedule`] from the current time. The same rules as the
//! planned critical path, with each step's weight replaced by what remains
//! of it: nothing for a step that ended, what is left of its estimate for
//! one under way (nothing once it has overrun: it may end any moment), and
//! its whole (latest) estimate for one not begun.

use jiff::{SignedDuration, Timestamp};

use super::{StepState, Timeline};
use crate::schedule::schedule;

impl Timeline {
    /// The forecast end of the recovery at `now` (`None` before
    /// `run_started`, or once it ended: then it is known).
    pub fn forecast_end(&self, now: Timestamp) -> Option<Timestamp> {
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
        let left = schedule(&tasks, phases).total;
        now.checked_add(SignedDuration::from_secs(left as i64)).ok()
    }
}
