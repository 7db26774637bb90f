//! The dependency graph of a runbook's steps.
//!
//! Built once from a [`Runbook`]: `needs` entries are resolved to step
//! indices (a phase id stands for all of its steps), phase order adds the
//! implicit edges, and cycles are reported with the whole cycle. Everything
//! here is linear in steps plus edges.

use crate::diagnostic::Diagnostic;
use crate::runbook::{Runbook, StepIndex};

/// Resolved dependencies between steps. Indices are [`StepIndex`] into
/// [`Runbook::steps`].
#[derive(Debug, Clone)]
pub struct Graph {
    needs: Vec<Vec<StepIndex>>,
    dependents: Vec<Vec<StepIndex>>,
    order: Vec<StepIndex>,
}

impl Graph {
    /// Resolves every `needs` (explicit and implicit through phases) and
    /// checks for unknown ids, self-references and cycles. Returns every
    /// error found, each located at the offending value.
    pub fn build(runbook: &Runbook) -> Result<Graph, Vec<Diagnostic>> {
        let _ = runbook;
        todo!("graph building")
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.needs.len()
    }

    /// True when there are no steps.
    pub fn is_empty(&self) -> bool {
        self.needs.is_empty()
    }

    /// Direct dependencies of a step (explicit and implicit), without
    /// duplicates.
    pub fn needs(&self, step: StepIndex) -> &[StepIndex] {
        &self.needs[step.get()]
    }

    /// Steps that directly need `step`.
    pub fn dependents(&self, step: StepIndex) -> &[StepIndex] {
        &self.dependents[step.get()]
    }

    /// All steps in a topological order (dependencies first; ties in file
    /// order).
    pub fn topological_order(&self) -> &[StepIndex] {
        &self.order
    }
}
