//! Steps added during the drill: an unplanned step typed at a prompt
//! (`add`), recorded as `step_added`, run like a planned one, and rebuilt
//! from the journal on `resume` (it is not in the runbook file).
//!
//! An added step is manual, or a command that is shown back and confirmed
//! before it runs (a `confirm: true` step): what an operator types under
//! pressure is never run unseen. It runs with the planned commands' rules
//! (its own process group, its timeout, its log beside the journal).

use crate::event::Event;
use crate::runbook::{Command, Duration, Located, Runbook, Span, Step, StepId, StepIndex};

/// The definition of a step added during the drill, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewStep {
    /// What it is, for the people doing it.
    pub title: String,
    /// The shell command, for a command step; `None` makes a manual step.
    pub run: Option<String>,
    /// Kill the command's process group after this long.
    pub timeout: Option<Duration>,
    /// Who does it.
    pub role: Option<String>,
    /// Expected duration.
    pub estimate: Option<Duration>,
    /// Steps it comes after (`after 12, 14`).
    pub after: Vec<StepIndex>,
    /// Steps that must now wait for it (`before 15`).
    pub before: Vec<StepIndex>,
    /// Why it was added (required).
    pub reason: Option<String>,
}

impl NewStep {
    /// The step as the engine runs it, in phase `phase`: a manual step, or
    /// a command confirmed before it runs.
    pub fn to_step(&self, id: StepId, phase: usize) -> Step {
        let mut s = Step::new(id, self.title.clone(), phase);
        s.role = self.role.clone();
        s.estimate = self.estimate.map(|e| Located::new(e, Span::default()));
        s.timeout = self.timeout.map(|t| Located::new(t, Span::default()));
        if let Some(run) = &self.run {
            s.run = Some(Located::new(Command::Shell(run.clone()), Span::default()));
            s.confirm = true;
        }
        s
    }
}

/// The id of the step added with item number `number`: `added-13`, or
/// `added-13-2`… when `taken` says the runbook already uses it.
pub fn id_for(number: u32, taken: impl Fn(&str) -> bool) -> StepId {
    let mut id = format!("added-{number}");
    let mut n = 1;
    while taken(&id) {
        n += 1;
        id = format!("added-{number}-{n}");
    }
    StepId::new(id)
}

/// The phase an added step belongs to: that of the first step it comes
/// after, else of the first step that waits for it, else the last phase.
pub fn phase_of(runbook: &Runbook, steps: &[Step], new: &NewStep) -> usize {
    let phase = |i: &StepIndex| {
        runbook
            .steps
            .get(i.get())
            .or_else(|| steps.get(i.get().wrapping_sub(runbook.steps.len())))
            .map(|s| s.phase)
    };
    new.after
        .iter()
        .chain(&new.before)
        .find_map(phase)
        .unwrap_or(runbook.phases.len().saturating_sub(1))
}

/// A `step_added` record as a step definition, its references resolved
/// with `index` (unknown ones are dropped), with its id; `None` for any
/// other record.
pub fn from_event(
    event: &Event,
    index: impl Fn(&str) -> Option<StepIndex>,
) -> Option<(StepId, NewStep)> {
    let Event::StepAdded {
        step,
        added: a,
        reason,
        ..
    } = event
    else {
        return None;
    };
    Some((
        step.clone(),
        NewStep {
            title: a.title.clone(),
            run: a.run.clone(),
            timeout: a.timeout,
            role: a.role.clone(),
            estimate: a.estimate,
            after: a.after.iter().filter_map(|s| index(s.as_str())).collect(),
            before: a.before.iter().filter_map(|s| index(s.as_str())).collect(),
            reason: Some(reason.clone()),
        },
    ))
}
