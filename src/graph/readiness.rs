//! [`Readiness`]: which steps can start, kept up to date as steps end.

use super::Graph;
use crate::runbook::StepIndex;

/// Which steps can start, kept up to date as steps end. See the module doc
/// for the contract.
#[derive(Debug, Clone)]
pub struct Readiness {
    /// Unfinished prerequisites of each internal node.
    remaining: Vec<u32>,
    /// Internal nodes that have ended (steps) or completed (barriers).
    ended: Vec<bool>,
    steps: usize,
}

impl Readiness {
    /// Nothing has ended yet. Barriers with nothing to wait for (the start
    /// of a phase that needs no phase) complete at once.
    pub fn new(graph: &Graph) -> Self {
        let mut r = Readiness {
            remaining: graph.indegree.clone(),
            ended: vec![false; graph.node_count()],
            steps: graph.steps,
        };
        let barriers: Vec<u32> = (graph.steps as u32..graph.node_count() as u32)
            .filter(|&b| r.remaining[b as usize] == 0)
            .collect();
        let mut became_ready = Vec::new();
        for b in barriers {
            r.complete(graph, b, &mut became_ready);
        }
        r
    }

    /// Steps that can start before anything has ended, in file order.
    pub fn initially_ready(&self) -> Vec<StepIndex> {
        (0..self.steps)
            .filter(|&i| self.remaining[i] == 0 && !self.ended[i])
            .map(|i| StepIndex(i as u32))
            .collect()
    }

    /// True when every prerequisite of `step` has ended (whether or not the
    /// step itself has).
    pub fn is_ready(&self, step: StepIndex) -> bool {
        self.remaining[step.get()] == 0
    }

    /// True once [`Readiness::end`] was called for `step`.
    pub fn has_ended(&self, step: StepIndex) -> bool {
        self.ended[step.get()]
    }

    /// Records that `step` has ended in a way that lets its dependents go on.
    /// Returns the steps that became ready because of it, in file order,
    /// leaving out steps that have already ended. A second call for the same
    /// step returns nothing.
    pub fn end(&mut self, graph: &Graph, step: StepIndex) -> Vec<StepIndex> {
        let mut became_ready = Vec::new();
        if !self.ended[step.get()] {
            self.complete(graph, step.0, &mut became_ready);
        }
        became_ready.sort_unstable();
        became_ready.retain(|s| !self.ended[s.get()]);
        became_ready
    }

    /// Marks a node complete and propagates through barriers that complete
    /// as a result. Each node completes at most once, so the total work over
    /// a drill is linear in nodes plus edges.
    fn complete(&mut self, graph: &Graph, node: u32, became_ready: &mut Vec<StepIndex>) {
        let mut work = vec![node];
        while let Some(n) = work.pop() {
            if std::mem::replace(&mut self.ended[n as usize], true) {
                continue;
            }
            for &next in graph.successors(n) {
                let left = &mut self.remaining[next as usize];
                *left = left.saturating_sub(1);
                if *left == 0 {
                    if (next as usize) < self.steps {
                        became_ready.push(StepIndex(next));
                    } else {
                        work.push(next);
                    }
                }
            }
        }
    }
}
