//! The plan grows during the drill: steps added with `add` (see
//! `exec/added.rs`).
//!
//! The runbook and its [`Graph`](crate::graph::Graph) stay as checked; the
//! engine keeps the added steps and their edges beside them, in an
//! [`Overlay`]. An added step gets the next [`StepIndex`] after the
//! runbook's steps (and those added before it), so that its item number is
//! the next one. Its edges (`after`, `before`) are counted like the
//! graph's: a step waits while any of its overlay prerequisites has not
//! ended in a way that lets it go on, on top of what the graph says.

use std::collections::{HashMap, VecDeque};

use super::{Engine, Event, Stage, State};
use crate::exec::added::{self, NewStep};
use crate::exec::refusal::{Item, NotAdded, Refusal, Started};
use crate::identity::Identity;
use crate::runbook::{Step, StepId, StepIndex};

/// Added steps and the edges they brought.
#[derive(Debug, Default)]
pub(super) struct Overlay {
    /// Added steps, in order: step `base + k` is `steps[k]`.
    pub(super) steps: Vec<Step>,
    /// Prerequisite → the steps that wait for it through an added edge.
    dependents: HashMap<StepIndex, Vec<StepIndex>>,
    /// Step → how many of its added-edge prerequisites have not ended yet.
    waiting: HashMap<StepIndex, u32>,
}

impl Overlay {
    /// True while `step` waits for a prerequisite of an added edge.
    pub(super) fn holds(&self, step: StepIndex) -> bool {
        self.waiting.get(&step).is_some_and(|&n| n > 0)
    }
}

impl Engine<'_> {
    /// The step at `index`: the runbook's, or one added during the drill.
    pub(super) fn step(&self, index: StepIndex) -> &Step {
        let base = self.runbook.steps.len();
        match index.get().checked_sub(base) {
            Some(k) => &self.overlay.steps[k],
            None => self.runbook.step(index),
        }
    }

    /// Every step, the runbook's then the added ones.
    pub(super) fn indices(&self) -> impl Iterator<Item = StepIndex> + use<> {
        (0..self.states.len() as u32).map(StepIndex)
    }

    /// The id of step `index` (added steps included).
    pub fn step_id(&self, index: StepIndex) -> Option<&StepId> {
        (index.get() < self.states.len()).then(|| &self.step(index).id.value)
    }

    /// `add` at a prompt: checks the definition, records `step_added` and
    /// schedules the step; or refuses with a message and records nothing.
    pub(super) fn add_step(&mut self, new: NewStep, by: Identity) {
        if self.stage != Stage::Running {
            return;
        }
        let index = StepIndex(self.states.len() as u32);
        let number = index.number();
        if let Err(why) = self
            .check_addition(&new)
            .and_then(|()| self.may_add(&new, &by))
        {
            // No question to put again: the prompt says it.
            self.action(super::Action::Refused {
                step: index,
                by,
                refusal: Refusal::NotAdded(why),
            });
            return;
        }
        let id = added::id_for(number, |id| {
            self.indices().any(|i| self.id(i).as_str() == id)
        });
        let phase = added::phase_of(self.runbook, &self.overlay.steps, &new);
        let step = new.to_step(id.clone(), phase);
        self.emit(Event::StepAdded {
            step: id,
            number,
            added: Box::new(crate::event::AddedStep {
                title: new.title.clone(),
                phase: self.runbook.phases[phase].id.value.clone(),
                kind: step.kind(),
                run: new.run.clone(),
                timeout: new.timeout,
                role: new.role.clone(),
                estimate: new.estimate,
                after: new.after.iter().map(|&a| self.id(a)).collect(),
                before: new.before.iter().map(|&b| self.id(b)).collect(),
            }),
            reason: new.reason.clone().unwrap_or_default(),
            by: by.name.clone(),
            origin: by.origin.clone(),
        });
        self.grow(step, &new);
        if !self.overlay.holds(index) {
            self.ready.push_back(index);
        }
    }

    /// Adds `step` (defined by `new`) at the next index, with its edges,
    /// without recording anything (also what a resume replays).
    pub(super) fn grow(&mut self, step: Step, new: &NewStep) {
        let index = StepIndex(self.states.len() as u32);
        self.overlay.steps.push(step);
        self.states.push(State::Pending);
        self.attempts.push(0);
        self.earlier.push(0);
        self.interrupted.push(false);
        self.host_states.push(Vec::new());
        self.approvals.push(Default::default());
        self.estimates.push(None);
        self.assigned.push(None);
        self.answers.push(None);
        for &a in &new.after {
            self.edge(a, index);
        }
        for &b in &new.before {
            self.edge(index, b);
        }
    }

    /// `to` now waits for `from` as well.
    fn edge(&mut self, from: StepIndex, to: StepIndex) {
        if !self.valid(from) || !self.valid(to) || from == to {
            return;
        }
        self.overlay.dependents.entry(from).or_default().push(to);
        let proceeds = matches!(
            self.states[from.get()],
            State::Finished { proceeds: true, .. }
        );
        if !proceeds {
            *self.overlay.waiting.entry(to).or_default() += 1;
        }
    }

    /// `step` has ended in a way that lets its dependents go on: the
    /// steps that waited only for it through an added edge are ready.
    pub(super) fn release_added(&mut self, step: StepIndex) {
        let Some(dependents) = self.overlay.dependents.get(&step).cloned() else {
            return;
        };
        let base = self.runbook.steps.len();
        for d in dependents {
            let left = self.overlay.waiting.entry(d).or_default();
            *left = left.saturating_sub(1);
            if *left > 0 {
                continue;
            }
            let ready = d.get() >= base || self.readiness.is_ready(d);
            if ready && self.states[d.get()] == State::Pending && self.stage == Stage::Running {
                self.ready.push_back(d);
            }
        }
    }

    /// Why `new` cannot be added, if it cannot.
    fn check_addition(&self, new: &NewStep) -> Result<(), NotAdded> {
        if new.title.trim().is_empty() {
            return Err(NotAdded::NoTitle);
        }
        if new.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            return Err(NotAdded::NoReason);
        }
        if new.run.as_deref().is_some_and(|r| r.trim().is_empty()) {
            return Err(NotAdded::NoCommand);
        }
        for &s in new.after.iter().chain(&new.before) {
            if !self.valid(s) {
                return Err(NotAdded::NoStep(s.number()));
            }
        }
        for &b in &new.before {
            if self.states[b.get()] != State::Pending {
                let state = match &self.states[b.get()] {
                    State::Finished { outcome, .. } => Started::Ended(*outcome),
                    State::Running { .. } | State::Killing { .. } => Started::Running,
                    _ => Started::UnderWay,
                };
                return Err(NotAdded::Started {
                    step: self.item(b),
                    state,
                });
            }
        }
        if let Some(cycle) = self.cycle(new) {
            return Err(NotAdded::Cycle(cycle));
        }
        Ok(())
    }

    /// Whether `by` may add `new` under `roles:`: a step of one of its
    /// roles (a coordinator: any), and only in front of steps it may
    /// record itself; holding back another team's step is a coordinator's
    /// call.
    fn may_add(&self, new: &NewStep, by: &Identity) -> Result<(), NotAdded> {
        let access = &self.config.access;
        let account = by.origin.account.as_deref();
        access.check_add(new.role.as_deref(), account)?;
        if !access.enforced() || account.is_some_and(|a| access.is_coordinator(a)) {
            return Ok(());
        }
        for &b in &new.before {
            if let crate::exec::access::Verdict::Refused(_) = self.verdict(b, by) {
                let owner = self.assigned[b.get()]
                    .as_deref()
                    .or(self.step(b).role.as_deref())
                    .map(str::to_string);
                return Err(NotAdded::NotOwner {
                    step: self.item(b),
                    owner,
                    coordinators: access.coordinators(),
                });
            }
        }
        Ok(())
    }

    /// The cycle `new` would close, the steps between the new step and
    /// itself (said `new step → #3 b → … → #5 d → new step`): a step it
    /// must come before already waits, through the plan, for one it comes
    /// after.
    fn cycle(&self, new: &NewStep) -> Option<Vec<Item>> {
        let base = self.runbook.steps.len();
        let nodes = self.graph.node_count();
        // Graph nodes first (steps, then phase barriers), then added steps.
        let node = |s: StepIndex| match s.get().checked_sub(base) {
            Some(k) => (nodes + k) as u32,
            None => s.0,
        };
        let step_of = |n: u32| -> Option<StepIndex> {
            let n = n as usize;
            if n < base {
                Some(StepIndex(n as u32))
            } else if n >= nodes {
                Some(StepIndex((base + n - nodes) as u32))
            } else {
                None
            }
        };
        let targets: Vec<u32> = new.after.iter().map(|&a| node(a)).collect();
        let mut parent: HashMap<u32, u32> = HashMap::new();
        let mut queue: VecDeque<u32> = VecDeque::new();
        for &b in &new.before {
            let n = node(b);
            parent.entry(n).or_insert(n);
            queue.push_back(n);
        }
        let found = loop {
            let n = queue.pop_front()?;
            if targets.contains(&n) {
                break n;
            }
            let mut next: Vec<u32> = if (n as usize) < nodes {
                self.graph.successors(n).to_vec()
            } else {
                Vec::new()
            };
            if let Some(s) = step_of(n)
                && let Some(ds) = self.overlay.dependents.get(&s)
            {
                next.extend(ds.iter().map(|&d| node(d)));
            }
            for m in next {
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(m) {
                    e.insert(n);
                    queue.push_back(m);
                }
            }
        };
        let mut path = vec![found];
        let mut n = found;
        while parent[&n] != n {
            n = parent[&n];
            path.push(n);
        }
        path.reverse();
        Some(
            path.into_iter()
                .filter_map(step_of)
                .map(|s| self.item(s))
                .collect(),
        )
    }
}
