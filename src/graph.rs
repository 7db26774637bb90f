//! The dependency graph of a runbook's steps.
//!
//! Built once from a [`Runbook`]: `needs` entries are resolved to step and
//! phase indices, phase order adds the implicit edges, and every problem
//! (unknown id, a step needing itself, a cycle) becomes a [`Diagnostic`]
//! located at the exact `needs` entry. Everything here is linear in steps
//! plus written `needs` entries.
//!
//! # Phases are barriers, not step×step edges
//!
//! "Every step of a phase needs every step of each phase its phase needs"
//! would be a quadratic number of edges if written out: a 50,000-step phase
//! after a 50,000-step phase is 2.5 billion of them. Instead the graph has
//! two virtual nodes per phase:
//!
//! ```text
//! steps of phase Q ──▶ done(Q) ──▶ start(P) ──▶ steps of phase P     (P needs Q)
//!                         └──────────────────▶ step s                (s needs phase Q by id)
//! step t ─────────────────────────────────────▶ step s               (s needs step t by id)
//! ```
//!
//! `done(Q)` completes when every step of `Q` has ended; `start(P)` completes
//! when every phase `P` needs is done. So the graph holds one edge per step
//! into its phase's `done`, one out of its phase's `start`, one per written
//! `needs` entry and one per phase dependency.
//!
//! These virtual nodes never leave this module and [`crate::plan`]: the
//! public step-level views are
//!
//! - [`Graph::needs`] / [`Graph::dependents`]: step ids written in `needs`
//!   (explicit step-to-step edges only);
//! - [`Graph::needed_phases`]: phase ids written in a step's `needs`;
//! - [`Graph::phase_needs`]: the phases a phase waits for (resolved
//!   defaults included), which every step of it implicitly waits for;
//! - [`Graph::prerequisites`]: all three together, what a step waits for;
//! - [`Graph::topological_order`]: all steps, every prerequisite first.
//!
//! # Errors
//!
//! Each located at the exact `needs` entry (codes as in `check --format json`):
//!
//! - `unknown-need`: an id that names no step or phase, with "did you mean
//!   `stop-app`?" when one is close;
//! - `needs-itself`: a step naming itself or its own phase, a phase naming
//!   itself;
//! - `phase-needs-step`: a step id in a phase's `needs`, which lists phase
//!   ids only (waiting for one step is written on the steps that wait);
//! - `cycle`: the whole cycle in `needs` order, `alpha → beta → gamma →
//!   alpha`, pointing at a written entry of it; hops that come from phase
//!   order or from a phase id are explained in the hint. Cycles among phases
//!   alone are reported as phases (``phase cycle `one → two → one` ``). Each
//!   strongly connected component is reported once, with its shortest cycle
//!   through its first step.
//!
//! # Contract for the engine: [`Readiness`]
//!
//! The engine does not walk edges itself. It keeps one [`Readiness`] (a
//! count of unfinished prerequisites per node, where a phase counts as one
//! prerequisite that completes when all its steps have ended):
//!
//! ```text
//! let mut ready = Readiness::new(&graph);
//! ready.initially_ready()          // steps with nothing to wait for, file order
//! ready.end(&graph, step)          // `step` satisfies its dependents now:
//!                                  //   returns the steps that just became ready
//! ready.is_ready(step)             // O(1): every prerequisite has ended
//! ```
//!
//! "Ended" means whatever lets dependents go on (done, skipped,
//! not applicable, failed with `continue`, assumed done). Each call to
//! [`Readiness::end`] costs the edges it touches, so a whole drill costs
//! O(steps + edges). Ending a step twice is a no-op, and a step that was
//! ended before it became ready (a preset) is never reported as ready.

mod build;
mod cycles;
mod readiness;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use readiness::Readiness;

use crate::diagnostic::Diagnostic;
use crate::runbook::{Runbook, StepIndex};
use build::Builder;
use cycles::Adjacency;

/// Resolved dependencies between steps. Indices are [`StepIndex`] into
/// [`Runbook::steps`] and phase positions in [`Runbook::phases`].
#[derive(Debug, Clone)]
pub struct Graph {
    steps: usize,
    phases: usize,
    needs: Vec<Vec<StepIndex>>,
    dependents: Vec<Vec<StepIndex>>,
    needed_phases: Vec<Vec<usize>>,
    phase_needs: Vec<Vec<usize>>,
    step_phase: Vec<usize>,
    /// Node-level edges (see the module doc), prerequisite → dependent.
    edges: Adjacency,
    /// Number of prerequisites of each node.
    indegree: Vec<u32>,
    order: Vec<StepIndex>,
}

/// Something a step waits for, as the runbook says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prerequisite {
    /// A step named in the step's `needs`.
    Step(StepIndex),
    /// A phase named in the step's `needs`: all of its steps.
    Phase(usize),
    /// A phase that the step's own phase needs: all of its steps.
    PhaseOrder(usize),
}

impl Graph {
    /// Resolves every `needs` (explicit and implicit through phases) and
    /// checks for unknown ids, self-references and cycles. Returns every
    /// error found, each located at the offending `needs` entry.
    pub fn build(runbook: &Runbook) -> Result<Graph, Vec<Diagnostic>> {
        Builder::new(runbook).build()
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps
    }

    /// True when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.steps == 0
    }

    /// The steps named (by step id) in this step's `needs`, without
    /// duplicates, in the order written. Phase ids and phase order are not
    /// included: see [`Graph::prerequisites`].
    pub fn needs(&self, step: StepIndex) -> &[StepIndex] {
        &self.needs[step.get()]
    }

    /// Steps that name `step` in their `needs`, in file order.
    pub fn dependents(&self, step: StepIndex) -> &[StepIndex] {
        &self.dependents[step.get()]
    }

    /// The phases named (by phase id) in this step's `needs`.
    pub fn needed_phases(&self, step: StepIndex) -> &[usize] {
        &self.needed_phases[step.get()]
    }

    /// The phases a phase waits for: its `needs`, or by default the phase
    /// written just before it (none for the first).
    pub fn phase_needs(&self, phase: usize) -> &[usize] {
        &self.phase_needs[phase]
    }

    /// Everything a step waits for before it can start: named steps, named
    /// phases, and the phases its own phase needs.
    pub fn prerequisites(&self, step: StepIndex) -> impl Iterator<Item = Prerequisite> + '_ {
        let i = step.get();
        self.needs[i]
            .iter()
            .map(|&s| Prerequisite::Step(s))
            .chain(
                self.needed_phases[i]
                    .iter()
                    .map(|&p| Prerequisite::Phase(p)),
            )
            .chain(
                self.phase_needs
                    .get(self.step_phase[i])
                    .into_iter()
                    .flatten()
                    .map(|&p| Prerequisite::PhaseOrder(p)),
            )
    }

    /// All steps in a topological order (every prerequisite first; ties in
    /// file order).
    pub fn topological_order(&self) -> &[StepIndex] {
        &self.order
    }

    /// Number of internal nodes: steps, then one `done` and one `start`
    /// barrier per phase.
    pub(crate) fn node_count(&self) -> usize {
        self.steps + 2 * self.phases
    }

    /// Internal nodes that wait for `id`.
    pub(crate) fn successors(&self, id: u32) -> &[u32] {
        self.edges.targets(id)
    }
}
