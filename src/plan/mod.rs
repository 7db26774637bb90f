//! What a drill would do, computed without running anything.
//!
//! A [`Plan`] places every step on a timeline built from estimates: when it
//! can start at the earliest, which **wave** it belongs to, and whether it
//! lies on the **critical path**, the longest chain by estimate, whose total
//! is compared with `objectives.rto`. `reprise plan` renders it as text for
//! a person ([`Plan::to_text`]), JSON for tools ([`Plan::to_json`]), and
//! Graphviz DOT or Mermaid drawings ([`Plan::to_dot`], [`Plan::to_mermaid`]).
//!
//! Rules, all computed in one pass over the graph's topological order:
//!
//! - **Not applicable** steps (their `only` names the other mode) stay in
//!   the graph with zero duration: their dependents still wait for whatever
//!   they wait for, but they add no time and no wave, and are never on the
//!   critical path. The engine treats them the same way (ended as
//!   `not_applicable` when they become ready).
//! - A step without an `estimate` counts as zero; [`CriticalPath::missing_estimates`]
//!   says how many applicable steps lack one, since any of them could
//!   change the path.
//! - **Wave** `n` (numbered from 1 when shown) holds the steps whose longest
//!   chain of applicable prerequisites has `n - 1` steps: wave 1 can start at
//!   once, wave 2 once something of wave 1 has ended, and so on.
//! - The **earliest start** of a step is the latest estimated end among its
//!   prerequisites ([`earliest_starts`] is what a dry run uses to simulate a
//!   timeline).
//! - The critical path ends at the step that ends last; ties go to the
//!   longer chain in steps, then to file order.
//!
//! # JSON (`--format json`)
//!
//! One object; durations are given twice, in runbook notation (`"1h30m"`)
//! and in whole seconds (`*_secs`):
//!
//! ```text
//! name              the runbook's name
//! mode              "drill" or "incident"
//! objectives        {rto, rto_secs, rpo, rpo_secs}  (null when not set)
//! phases[]          {id, title, needs: [phase ids], steps: [step ids]}
//! steps[]           in the order they can start:
//!                   {id, title, phase, kind: "manual"|"command"|"confirm",
//!                    role, estimate, estimate_secs, applicable, only,
//!                    needs: [step and phase ids, as written], wave (1-based),
//!                    start, start_secs, end, end_secs, critical,
//!                    hosts: [host names the command runs on; [] = locally]}
//! waves[]           step ids of each wave, in the order they can start
//! critical_path     {steps: [ids], total, total_secs, missing_estimates}
//! rto               null, or {rto, rto_secs, exceeded, margin, margin_secs}
//!                   (margin: time left, or how much the RTO is exceeded by)
//! hosts[]           the runbook's `hosts:` table, in file order:
//!                   {name, address, user, port, jump, max_parallel,
//!                    steps: [ids of the steps that run there, in the order
//!                    they can start]}  (key files are left out)
//! services[]        only when `objectives.services` is set, in file order:
//!                   {name, rto, rto_secs, rpo, rpo_secs, restored_by: [ids
//!                    of applicable steps restoring it], forecast,
//!                    forecast_secs (latest estimated end of those steps;
//!                    null when none applies), path: [ids of the chain of
//!                    estimates leading there], exceeded, margin,
//!                    margin_secs (null without an RTO)}
//! ```

use crate::diagnostic::Diagnostic;
use crate::graph::Graph;
use crate::runbook::{Duration, Mode, Runbook, StepIndex};

mod checklist;
mod dot;
mod json;
mod mermaid;
mod services;
mod text;

pub use checklist::Checklist;
pub use services::{ServiceForecast, service_ends};

/// A runbook laid out on an estimated timeline for one mode.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    runbook: &'a Runbook,
    graph: &'a Graph,
    mode: Mode,
    steps: Vec<Planned>,
    order: Vec<StepIndex>,
    waves: Vec<Vec<StepIndex>>,
    critical: CriticalPath,
}

/// Where one step sits in a [`Plan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Planned {
    /// False when the step's `only` names the other mode.
    pub applicable: bool,
    /// Index into [`Plan::waves`] (0 = can start at once).
    pub wave: usize,
    /// Earliest start, from the start of the drill.
    pub start: Duration,
    /// Earliest end: `start` plus the estimate (zero when missing or not
    /// applicable).
    pub end: Duration,
    /// On the critical path.
    pub critical: bool,
}

/// The longest chain of steps by estimate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CriticalPath {
    /// Its steps, first to last (applicable steps only).
    pub steps: Vec<StepIndex>,
    /// The sum of their estimates.
    pub total: Duration,
    /// Applicable steps in the whole runbook without an estimate (counted
    /// as zero).
    pub missing_estimates: usize,
}

/// How a critical path compares with the RTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Margin {
    /// Within the RTO, with this much time left (possibly zero).
    Within(Duration),
    /// Beyond the RTO by this much.
    Exceeds(Duration),
}

impl CriticalPath {
    /// How the path's total compares with `rto`.
    pub fn margin(&self, rto: Duration) -> Margin {
        if self.total > rto {
            Margin::Exceeds(Duration(self.total.0 - rto.0))
        } else {
            Margin::Within(Duration(rto.0 - self.total.0))
        }
    }

    /// "critical path 4h30m of RTO 6h: 1h30m margin", "critical path 7h of
    /// RTO 6h: exceeds RTO by 1h", or without an RTO "critical path 4h30m
    /// (no RTO set)".
    pub fn summary(&self, rto: Option<Duration>) -> String {
        let total = self.total;
        match rto {
            None => format!("critical path {total} (no RTO set)"),
            Some(rto) => match self.margin(rto) {
                Margin::Within(Duration::ZERO) => {
                    format!("critical path {total} of RTO {rto}: no margin")
                }
                Margin::Within(m) => format!("critical path {total} of RTO {rto}: {m} margin"),
                Margin::Exceeds(by) => {
                    format!("critical path {total} of RTO {rto}: exceeds RTO by {by}")
                }
            },
        }
    }
}

/// The critical path of `runbook` in `mode` (what the validator compares
/// with the RTO for its warning).
pub fn critical_path(runbook: &Runbook, graph: &Graph, mode: Mode) -> CriticalPath {
    Schedule::new(runbook, graph, mode).critical
}

/// The critical path of `runbook` in `mode` when each step takes
/// `secs[index]` seconds instead of its estimate (`reprise plan --history`:
/// the path at the median and at the 90th percentile of past drills).
/// `secs` holds one value per step, in file order.
pub fn critical_path_with(
    runbook: &Runbook,
    graph: &Graph,
    mode: Mode,
    secs: &[u64],
) -> CriticalPath {
    assert_eq!(secs.len(), runbook.steps.len(), "one duration per step");
    Schedule::weighted(runbook, graph, mode, Some(secs)).critical
}

/// The earliest start of every step, indexed by [`StepIndex`], assuming each
/// step takes its estimate (zero without one, or when not applicable in
/// `mode`). Used to simulate a timeline in a dry run.
pub fn earliest_starts(runbook: &Runbook, graph: &Graph, mode: Mode) -> Vec<Duration> {
    let s = Schedule::new(runbook, graph, mode);
    (0..runbook.steps.len())
        .map(|i| Duration(s.start[i]))
        .collect()
}

/// The validator's warning when the critical path exceeds
/// `objectives.rto`, located at the RTO. Both modes are checked and the
/// longer path is reported (the mode is named when only one exceeds).
pub fn rto_warning(runbook: &Runbook, graph: &Graph) -> Option<Diagnostic> {
    let rto = runbook.objectives.rto?;
    let paths = [Mode::Drill, Mode::Incident].map(|m| (m, critical_path(runbook, graph, m)));
    let exceeding: Vec<&(Mode, CriticalPath)> =
        paths.iter().filter(|(_, p)| p.total > rto.value).collect();
    let (mode, path) = exceeding.iter().max_by_key(|(_, p)| p.total)?;
    let by = Duration(path.total.0 - rto.value.0);
    let in_mode = if exceeding.len() == 1 {
        format!(" in {mode} mode")
    } else {
        String::new()
    };
    let names: Vec<&str> = path
        .steps
        .iter()
        .map(|&s| runbook.step(s).id.as_str())
        .collect();
    let shown = if names.len() <= 8 {
        names.join(" → ")
    } else {
        format!(
            "{} → … ({} more) … → {}",
            names[..3].join(" → "),
            names.len() - 6,
            names[names.len() - 3..].join(" → ")
        )
    };
    Some(
        Diagnostic::warning(
            "rto-exceeded",
            format!(
                "the critical path{in_mode} takes {} by its estimates, {by} more than the RTO",
                path.total
            ),
            Some(rto.span),
        )
        .with_label(format!("RTO {}", rto.value))
        .with_hint(format!(
            "critical path: {shown}; shorten these steps, run more of them in parallel, or review the RTO"
        )),
    )
}

impl<'a> Plan<'a> {
    /// Lays `runbook` out for `mode`. `graph` must have been built from
    /// `runbook`.
    pub fn new(runbook: &'a Runbook, graph: &'a Graph, mode: Mode) -> Self {
        let s = Schedule::new(runbook, graph, mode);
        let n = runbook.steps.len();
        let mut on_path = vec![false; n];
        for st in &s.critical.steps {
            on_path[st.get()] = true;
        }
        let steps: Vec<Planned> = (0..n)
            .map(|i| Planned {
                applicable: s.applicable[i],
                wave: s.wave[i] as usize,
                start: Duration(s.start[i]),
                end: Duration(s.end[i]),
                critical: on_path[i],
            })
            .collect();
        // The order they can start: by earliest start, then wave; the
        // topological rank breaks the remaining ties so that a step never
        // comes before one it needs.
        let mut rank = vec![0usize; n];
        for (r, st) in graph.topological_order().iter().enumerate() {
            rank[st.get()] = r;
        }
        let mut order: Vec<StepIndex> = graph.topological_order().to_vec();
        order.sort_by_key(|st| {
            let p = &steps[st.get()];
            (p.start, p.wave, rank[st.get()])
        });
        let wave_count = steps.iter().map(|p| p.wave + 1).max().unwrap_or(0);
        let mut waves = vec![Vec::new(); wave_count];
        for &st in &order {
            waves[steps[st.get()].wave].push(st);
        }
        Plan {
            runbook,
            graph,
            mode,
            steps,
            order,
            waves,
            critical: s.critical,
        }
    }

    /// The runbook planned.
    pub fn runbook(&self) -> &Runbook {
        self.runbook
    }

    /// The mode planned for.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Where a step sits.
    pub fn step(&self, step: StepIndex) -> &Planned {
        &self.steps[step.get()]
    }

    /// All steps in the order they can start.
    pub fn order(&self) -> &[StepIndex] {
        &self.order
    }

    /// Steps grouped by wave, each wave in the order its steps can start.
    pub fn waves(&self) -> &[Vec<StepIndex>] {
        &self.waves
    }

    /// The critical path.
    pub fn critical_path(&self) -> &CriticalPath {
        &self.critical
    }

    /// The RTO, if the runbook sets one.
    pub fn rto(&self) -> Option<Duration> {
        self.runbook.objectives.rto.map(|r| r.value)
    }

    /// Pairs of consecutive critical-path steps.
    fn critical_hops(&self) -> impl Iterator<Item = (StepIndex, StepIndex)> + '_ {
        self.critical.steps.windows(2).map(|w| (w[0], w[1]))
    }
}

/// The one pass over the topological order behind a [`Plan`].
struct Schedule {
    applicable: Vec<bool>,
    wave: Vec<u32>,
    start: Vec<u64>,
    end: Vec<u64>,
    critical: CriticalPath,
}

impl Schedule {
    fn new(runbook: &Runbook, graph: &Graph, mode: Mode) -> Self {
        Schedule::weighted(runbook, graph, mode, None)
    }

    /// With `secs`, each step takes `secs[index]` instead of its estimate.
    fn weighted(runbook: &Runbook, graph: &Graph, mode: Mode, secs: Option<&[u64]>) -> Self {
        let applicable: Vec<bool> = runbook.steps.iter().map(|s| s.applies_in(mode)).collect();
        let mut tasks = tasks(runbook, graph, mode);
        if let Some(secs) = secs {
            for (t, &w) in tasks.iter_mut().zip(secs) {
                if t.applicable {
                    t.weight = w;
                }
            }
        }
        let s = crate::schedule::schedule(&tasks, runbook.phases.len());
        let critical = CriticalPath {
            total: Duration(s.total),
            steps: s.path.iter().map(|&i| StepIndex(i as u32)).collect(),
            missing_estimates: runbook
                .steps
                .iter()
                .filter(|s| s.applies_in(mode) && s.estimate.is_none())
                .count(),
        };
        Schedule {
            wave: s.wave,
            start: s.start.iter().map(|x| x.unwrap_or(0)).collect(),
            end: s.end.iter().map(|x| x.unwrap_or(0)).collect(),
            applicable,
            critical,
        }
    }
}

/// The runbook's steps as [`crate::schedule::Task`]s: what `run_started`
/// records of them (`needs`, `needs_phases`) describes the same tasks, so
/// that the report's planned path is this one.
pub fn tasks(runbook: &Runbook, graph: &Graph, mode: Mode) -> Vec<crate::schedule::Task> {
    use crate::graph::Prerequisite;
    runbook
        .step_indices()
        .map(|i| {
            let s = runbook.step(i);
            let mut t = crate::schedule::Task {
                weight: if s.applies_in(mode) {
                    s.estimate.map_or(0, |e| e.value.0)
                } else {
                    0
                },
                applicable: s.applies_in(mode),
                phase: Some(s.phase),
                needs: Vec::new(),
                phases: Vec::new(),
            };
            for p in graph.prerequisites(i) {
                match p {
                    Prerequisite::Step(n) => t.needs.push(n.get()),
                    Prerequisite::Phase(ph) | Prerequisite::PhaseOrder(ph) => {
                        if !t.phases.contains(&ph) {
                            t.phases.push(ph)
                        }
                    }
                }
            }
            t
        })
        .collect()
}

#[cfg(test)]
mod tests;
