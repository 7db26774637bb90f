//! Each service's forecast recovery (`objectives.services`): the estimated
//! end of the last applicable step that `restores` it, on the longest chain
//! of estimates leading to that step, compared with the service's RTO.

use super::{Margin, Plan};
use crate::graph::Prerequisite;
use crate::runbook::{Duration, Service, StepIndex};

/// One service in a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceForecast<'a> {
    /// The service as the runbook declares it.
    pub service: &'a Service,
    /// The applicable steps restoring it, in file order.
    pub steps: Vec<StepIndex>,
    /// When it is forecast to be back: the latest estimated end of those
    /// steps; `None` when no applicable step restores it.
    pub at: Option<Duration>,
    /// The chain of steps, first to last, that determines `at`.
    pub path: Vec<StepIndex>,
}

impl ServiceForecast<'_> {
    /// "back at 2h10m of RTO 4h: 1h50m margin", "back at 9h of RTO 8h:
    /// exceeds RTO by 1h", "back at 2h (no RTO set)", or "restored by no
    /// step in this mode".
    pub fn summary(&self) -> String {
        let Some(at) = self.at else {
            return "restored by no step in this mode".into();
        };
        match (self.service.rto, self.margin()) {
            (Some(rto), Some(Margin::Within(Duration::ZERO))) => {
                format!("back at {at} of RTO {}: no margin", rto.value)
            }
            (Some(rto), Some(Margin::Within(m))) => {
                format!("back at {at} of RTO {}: {m} margin", rto.value)
            }
            (Some(rto), Some(Margin::Exceeds(by))) => {
                format!("back at {at} of RTO {}: exceeds RTO by {by}", rto.value)
            }
            _ => format!("back at {at} (no RTO set)"),
        }
    }

    /// How the forecast compares with the service's RTO.
    pub fn margin(&self) -> Option<Margin> {
        let rto = self.service.rto?.value;
        let at = self.at?;
        Some(if at > rto {
            Margin::Exceeds(Duration(at.0 - rto.0))
        } else {
            Margin::Within(Duration(rto.0 - at.0))
        })
    }
}

impl<'a> Plan<'a> {
    /// Every service of `objectives.services`, in file order, forecast.
    pub fn services(&self) -> Vec<ServiceForecast<'a>> {
        let rb = self.runbook;
        if rb.objectives.services.is_empty() {
            return Vec::new();
        }
        // Each phase's step that ends last: what a step waiting for the
        // whole phase waits for (one pass, so walking a chain is linear).
        let mut last_of_phase: Vec<Option<StepIndex>> = vec![None; rb.phases.len()];
        for (k, phase) in rb.phases.iter().enumerate() {
            last_of_phase[k] = phase
                .steps
                .clone()
                .map(|i| StepIndex(i as u32))
                .max_by_key(|&i| (self.steps[i.get()].end, std::cmp::Reverse(i)));
        }
        rb.objectives
            .services
            .iter()
            .map(|service| {
                let steps: Vec<StepIndex> = rb
                    .step_indices()
                    .filter(|&i| self.steps[i.get()].applicable)
                    .filter(|&i| {
                        rb.step(i)
                            .restores
                            .iter()
                            .any(|r| r.value == service.name.value)
                    })
                    .collect();
                let last = steps
                    .iter()
                    .copied()
                    .max_by_key(|&i| (self.steps[i.get()].end, std::cmp::Reverse(i)));
                ServiceForecast {
                    service,
                    at: last.map(|i| self.steps[i.get()].end),
                    path: last.map_or_else(Vec::new, |i| self.chain_to(i, &last_of_phase)),
                    steps,
                }
            })
            .collect()
    }

    /// The longest chain of estimates ending at `step`: from it, walk back
    /// through the prerequisite that ends when it starts (the first in
    /// file order on ties). Steps of the other mode are walked through but
    /// not listed: they take no time.
    fn chain_to(&self, step: StepIndex, last_of_phase: &[Option<StepIndex>]) -> Vec<StepIndex> {
        let mut chain = vec![step];
        let mut seen = vec![false; self.steps.len()];
        seen[step.get()] = true;
        let mut cur = step;
        while self.steps[cur.get()].start > Duration::ZERO {
            let start = self.steps[cur.get()].start;
            let prev = self
                .graph
                .prerequisites(cur)
                .filter_map(|p| match p {
                    Prerequisite::Step(s) => Some(s),
                    Prerequisite::Phase(k) | Prerequisite::PhaseOrder(k) => last_of_phase[k],
                })
                .filter(|s| self.steps[s.get()].end == start)
                .min();
            match prev {
                Some(p) if !seen[p.get()] => {
                    seen[p.get()] = true;
                    chain.push(p);
                    cur = p;
                }
                _ => break,
            }
        }
        chain.retain(|s| self.steps[s.get()].applicable);
        chain.reverse();
        chain
    }
}

/// When each service of `runbook` (in file order) is back in `mode` if
/// every step takes `secs[index]` seconds (its estimate when `secs` is
/// `None`): the latest end of the applicable steps restoring it, by the
/// plan's own schedule; `None` when no applicable step restores it.
/// `reprise plan --history` asks it at the median and the 90th percentile.
pub fn service_ends(
    runbook: &crate::runbook::Runbook,
    graph: &crate::graph::Graph,
    mode: crate::runbook::Mode,
    secs: Option<&[u64]>,
) -> Vec<Option<Duration>> {
    let s = super::Schedule::weighted(runbook, graph, mode, secs);
    runbook
        .objectives
        .services
        .iter()
        .map(|service| {
            runbook
                .step_indices()
                .filter(|&i| s.applicable[i.get()])
                .filter(|&i| {
                    runbook
                        .step(i)
                        .restores
                        .iter()
                        .any(|r| r.value == service.name.value)
                })
                .map(|i| Duration(s.end[i.get()]))
                .max()
        })
        .collect()
}
