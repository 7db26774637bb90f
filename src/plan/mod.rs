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
mod tests {
    use super::*;
    use crate::graph::testing::{runbook, step};
    use crate::runbook::Located;

    fn ids(rb: &Runbook, steps: &[StepIndex]) -> Vec<String> {
        steps.iter().map(|&s| rb.step(s).id.to_string()).collect()
    }

    fn d(s: &str) -> Duration {
        s.parse().unwrap()
    }

    fn only(rb: &mut Runbook, id: &str, mode: Mode) {
        let i = step(rb, id);
        rb.steps[i.get()].only = Some(mode);
    }

    /// a(10m) → b(20m), a → c(1h), d(5m) needs b and c.
    fn diamond() -> Runbook {
        runbook(&[(
            "main",
            None,
            &[
                ("a", &[], Some("10m")),
                ("b", &["a"], Some("20m")),
                ("c", &["a"], Some("1h")),
                ("d", &["b", "c"], Some("5m")),
            ],
        )])
    }

    #[test]
    fn the_critical_path_is_the_longest_chain_by_estimate() {
        let rb = diamond();
        let g = Graph::build(&rb).unwrap();
        let path = critical_path(&rb, &g, Mode::Drill);
        assert_eq!(ids(&rb, &path.steps), ["a", "c", "d"]);
        assert_eq!(path.total, d("1h15m"));
        assert_eq!(path.missing_estimates, 0);
        let starts = earliest_starts(&rb, &g, Mode::Drill);
        assert_eq!(starts, [d("0s"), d("10m"), d("10m"), d("1h10m")]);
        let plan = Plan::new(&rb, &g, Mode::Drill);
        assert!(plan.step(step(&rb, "c")).critical);
        assert!(!plan.step(step(&rb, "b")).critical);
        assert_eq!(plan.step(step(&rb, "d")).end, d("1h15m"));
    }

    #[test]
    fn ties_go_to_the_longer_chain_then_to_file_order() {
        // a→b is 30m in two steps, c is 30m in one: the two-step chain wins.
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("c", &[], Some("30m")),
                ("a", &[], Some("10m")),
                ("b", &["a"], Some("20m")),
                ("d", &["c", "b"], Some("5m")),
            ],
        )]);
        let g = Graph::build(&rb).unwrap();
        assert_eq!(
            ids(&rb, &critical_path(&rb, &g, Mode::Drill).steps),
            ["a", "b", "d"]
        );

        // Equal in time and steps: the first written wins.
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("a", &[], Some("10m")),
                ("x", &["a"], Some("20m")),
                ("y", &["a"], Some("20m")),
            ],
        )]);
        let g = Graph::build(&rb).unwrap();
        let path = critical_path(&rb, &g, Mode::Drill);
        assert_eq!(ids(&rb, &path.steps), ["a", "x"]);
        assert_eq!(path.total, d("30m"));
    }

    #[test]
    fn missing_estimates_count_as_zero_and_are_counted() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("a", &[], None),
                ("b", &["a"], Some("15m")),
                ("c", &[], Some("10m")),
                ("e", &["c"], None),
            ],
        )]);
        let g = Graph::build(&rb).unwrap();
        let path = critical_path(&rb, &g, Mode::Drill);
        assert_eq!(ids(&rb, &path.steps), ["a", "b"]);
        assert_eq!(path.total, d("15m"));
        assert_eq!(path.missing_estimates, 2);
    }

    #[test]
    fn without_any_estimate_the_path_is_the_longest_chain() {
        let rb = runbook(&[(
            "main",
            None,
            &[("a", &[], None), ("b", &[], None), ("c", &["b"], None)],
        )]);
        let g = Graph::build(&rb).unwrap();
        let path = critical_path(&rb, &g, Mode::Drill);
        assert_eq!(ids(&rb, &path.steps), ["b", "c"]);
        assert_eq!(path.total, Duration::ZERO);
        assert_eq!(path.missing_estimates, 3);
    }

    #[test]
    fn steps_of_the_other_mode_take_no_time_and_no_wave() {
        let mut rb = runbook(&[(
            "main",
            None,
            &[
                ("a", &[], Some("10m")),
                ("copy", &["a"], Some("1h")),
                ("b", &["copy"], Some("20m")),
                ("c", &[], Some("25m")),
            ],
        )]);
        only(&mut rb, "copy", Mode::Drill);
        let g = Graph::build(&rb).unwrap();

        let drill = Plan::new(&rb, &g, Mode::Drill);
        assert_eq!(ids(&rb, &drill.critical_path().steps), ["a", "copy", "b"]);
        assert_eq!(drill.critical_path().total, d("1h30m"));
        assert_eq!(drill.waves().len(), 3);

        let incident = Plan::new(&rb, &g, Mode::Incident);
        let copy = incident.step(step(&rb, "copy"));
        assert!(!copy.applicable);
        assert_eq!((copy.start, copy.end, copy.wave), (d("10m"), d("10m"), 1));
        // `b` still waits for `a` through `copy`, but in the same wave.
        assert_eq!(incident.step(step(&rb, "b")).start, d("10m"));
        assert_eq!(incident.step(step(&rb, "b")).wave, 1);
        assert_eq!(ids(&rb, &incident.critical_path().steps), ["a", "b"]);
        assert_eq!(incident.critical_path().total, d("30m"));
        assert_eq!(
            incident
                .waves()
                .iter()
                .map(|w| ids(&rb, w))
                .collect::<Vec<_>>(),
            [vec!["a", "c"], vec!["copy", "b"]]
        );
    }

    #[test]
    fn a_runbook_with_nothing_applicable_has_an_empty_path() {
        let mut rb = runbook(&[("main", None, &[("a", &[], Some("10m"))])]);
        only(&mut rb, "a", Mode::Incident);
        let g = Graph::build(&rb).unwrap();
        let path = critical_path(&rb, &g, Mode::Drill);
        assert!(path.steps.is_empty());
        assert_eq!(path.total, Duration::ZERO);
        assert_eq!(path.missing_estimates, 0);
    }

    #[test]
    fn phase_order_delays_the_next_phase_until_the_slowest_step() {
        let rb = runbook(&[
            (
                "one",
                None,
                &[("fast", &[], Some("10m")), ("slow", &[], Some("30m"))],
            ),
            ("two", None, &[("next", &[], Some("1h"))]),
            ("side", Some(&[]), &[("alone", &[], Some("2h"))]),
        ]);
        let g = Graph::build(&rb).unwrap();
        let plan = Plan::new(&rb, &g, Mode::Drill);
        assert_eq!(plan.step(step(&rb, "next")).start, d("30m"));
        assert_eq!(plan.step(step(&rb, "next")).wave, 1);
        assert_eq!(ids(&rb, &plan.critical_path().steps), ["alone"]);
        assert_eq!(
            ids(&rb, plan.order()),
            ["fast", "slow", "alone", "next"],
            "by earliest start, then wave, then topological order"
        );
    }

    #[test]
    fn waves_count_the_longest_chain_of_steps() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("a", &[], None),
                ("b", &["a"], None),
                ("c", &["a", "b"], None),
                ("d", &[], None),
            ],
        )]);
        let g = Graph::build(&rb).unwrap();
        let plan = Plan::new(&rb, &g, Mode::Drill);
        assert_eq!(
            plan.waves().iter().map(|w| ids(&rb, w)).collect::<Vec<_>>(),
            [vec!["a", "d"], vec!["b"], vec!["c"]]
        );
        assert_eq!(ids(&rb, plan.order()), ["a", "d", "b", "c"]);
    }

    #[test]
    fn earliest_starts_agree_with_edges_written_out_on_random_runbooks() {
        use crate::graph::testing::{Rng, direct_prerequisites, random};
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..300 {
            let mut rb = random(&mut rng);
            for s in &mut rb.steps {
                s.only = [None, Some(Mode::Drill), Some(Mode::Incident)][rng.below(3)];
            }
            let g = Graph::build(&rb).unwrap();
            let pre = direct_prerequisites(&rb);
            let plan = Plan::new(&rb, &g, Mode::Drill);
            // Every edge points backwards in file order, so one pass in file
            // order computes the longest paths directly.
            let weight = |s: usize| {
                let st = &rb.steps[s];
                if st.applies_in(Mode::Drill) {
                    st.estimate.map_or(0, |e| e.value.0)
                } else {
                    0
                }
            };
            let mut start = vec![0u64; rb.steps.len()];
            let mut wave = vec![0usize; rb.steps.len()];
            for s in 0..rb.steps.len() {
                for &p in &pre[s] {
                    start[s] = start[s].max(start[p] + weight(p));
                    let hop = usize::from(rb.steps[p].applies_in(Mode::Drill));
                    wave[s] = wave[s].max(wave[p] + hop);
                }
            }
            let total = (0..rb.steps.len())
                .filter(|&s| rb.steps[s].applies_in(Mode::Drill))
                .map(|s| start[s] + weight(s))
                .max()
                .unwrap_or(0);
            for s in 0..rb.steps.len() {
                let got = plan.step(StepIndex(s as u32));
                assert_eq!(
                    (got.start.0, got.wave),
                    (start[s], wave[s]),
                    "step {s} of {rb:#?}"
                );
            }
            let path = plan.critical_path();
            assert_eq!(path.total.0, total);
            // The path is a chain of prerequisites whose estimates add up to
            // the total.
            let sum: u64 = path.steps.iter().map(|s| weight(s.get())).sum();
            assert_eq!(sum, total);
            let mut reach = vec![std::collections::BTreeSet::new(); rb.steps.len()];
            for s in 0..rb.steps.len() {
                for &p in &pre[s] {
                    let via = reach[p].clone();
                    reach[s].extend(via);
                    reach[s].insert(p);
                }
            }
            for w in path.steps.windows(2) {
                assert!(reach[w[1].get()].contains(&w[0].get()), "{w:?} in {rb:#?}");
            }
            assert_eq!(
                earliest_starts(&rb, &g, Mode::Drill),
                start.iter().map(|&s| Duration(s)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn the_summary_compares_with_the_rto() {
        let path = |total: &str| CriticalPath {
            steps: Vec::new(),
            total: d(total),
            missing_estimates: 0,
        };
        assert_eq!(
            path("4h30m").summary(Some(d("6h"))),
            "critical path 4h30m of RTO 6h: 1h30m margin"
        );
        assert_eq!(
            path("7h").summary(Some(d("6h"))),
            "critical path 7h of RTO 6h: exceeds RTO by 1h"
        );
        assert_eq!(
            path("6h").summary(Some(d("6h"))),
            "critical path 6h of RTO 6h: no margin"
        );
        assert_eq!(path("45m").summary(None), "critical path 45m (no RTO set)");
        assert_eq!(path("7h").margin(d("6h")), Margin::Exceeds(d("1h")));
    }

    #[test]
    fn the_rto_warning_names_the_path_and_the_excess() {
        let mut rb = diamond();
        let g = Graph::build(&rb).unwrap();
        assert_eq!(rto_warning(&rb, &g), None, "no RTO, no warning");
        let span = crate::runbook::Span {
            line: 3,
            column: 8,
            offset: 30,
            len: 2,
        };
        rb.objectives.rto = Some(Located::new(d("1h15m"), span));
        assert_eq!(rto_warning(&rb, &g), None, "exactly the RTO is within it");
        rb.objectives.rto = Some(Located::new(d("1h"), span));
        let w = rto_warning(&rb, &g).unwrap();
        assert!(!w.is_error());
        assert_eq!(w.code, "rto-exceeded");
        assert_eq!(w.span, Some(span));
        assert_eq!(
            w.message,
            "the critical path takes 1h15m by its estimates, 15m more than the RTO"
        );
        assert_eq!(
            w.hint.as_deref(),
            Some(
                "critical path: a → c → d; shorten these steps, run more of them in parallel, or review the RTO"
            )
        );
        only(&mut rb, "c", Mode::Incident);
        let w = rto_warning(&rb, &g).unwrap();
        assert!(
            w.message
                .starts_with("the critical path in incident mode takes 1h15m"),
            "{w:?}"
        );
    }

    /// Two phases, roles, kinds, an RTO, a step of the other mode.
    fn sample() -> Runbook {
        let mut rb = runbook(&[
            (
                "alerte",
                None,
                &[("manual-declarer", &[], Some("10m")), ("etat", &[], None)],
            ),
            (
                "bascule",
                None,
                &[
                    ("arret", &[], Some("20m")),
                    ("bascule-san", &["arret"], Some("45m")),
                    ("copie", &["arret"], Some("1h")),
                ],
            ),
        ]);
        rb.name = "Panne \"SAN\" – Nord".into();
        rb.phases[0].title = "Alerte et évaluation".into();
        rb.phases[1].title = "Bascule <SAN>".into();
        rb.steps[0].role = Some("direction".into());
        rb.steps[2].confirm = true;
        rb.objectives.rto = Some(Located::new(d("1h"), Default::default()));
        only(&mut rb, "copie", Mode::Incident);
        rb
    }

    #[test]
    fn text_shows_phases_waves_and_the_critical_path() {
        let rb = sample();
        let g = Graph::build(&rb).unwrap();
        let text = Plan::new(&rb, &g, Mode::Drill).to_text();
        assert_eq!(
            text,
            "\
Panne \"SAN\" – Nord
mode drill · 5 steps · 1 not applicable · 2 phases · 3 waves · RTO 1h

phases
  alerte   Alerte et évaluation   2 steps  starts at once
  bascule  Bascule <SAN>          3 steps  after alerte

     step             kind     role       estimate  start  phase
wave 1
   * manual-declarer  manual   direction  10m       0s     alerte
     etat             command  -          -         0s     alerte
wave 2
   * arret            confirm  -          20m       10m    bascule
wave 3
   * bascule-san      command  -          45m       30m    bascule
     copie            command  -          1h        -      not applicable (incident only)

critical path (*): manual-declarer → arret → bascule-san
critical path 1h15m of RTO 1h: exceeds RTO by 15m
1 step without an estimate, counted as 0s
"
        );
    }

    #[test]
    fn json_lists_steps_in_start_order_with_their_times() {
        let rb = sample();
        let g = Graph::build(&rb).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&Plan::new(&rb, &g, Mode::Incident).to_json()).unwrap();
        assert_eq!(json["mode"], "incident");
        assert_eq!(json["phases"][1]["needs"], serde_json::json!(["alerte"]));
        let steps = json["steps"].as_array().unwrap();
        let order: Vec<&str> = steps.iter().map(|s| s["id"].as_str().unwrap()).collect();
        assert_eq!(
            order,
            ["manual-declarer", "etat", "arret", "bascule-san", "copie"]
        );
        let copie = &steps[4];
        assert_eq!(copie["applicable"], true);
        assert_eq!(copie["start"], "30m");
        assert_eq!(copie["end_secs"], 5400);
        assert_eq!(copie["wave"], 3);
        assert_eq!(copie["critical"], true);
        assert_eq!(steps[2]["kind"], "confirm");
        assert_eq!(
            json["critical_path"]["steps"],
            serde_json::json!(["manual-declarer", "arret", "copie"])
        );
        assert_eq!(json["critical_path"]["total"], "1h30m");
        assert_eq!(json["rto"]["exceeded"], true);
        assert_eq!(json["rto"]["margin_secs"], 1800);
        assert_eq!(
            json["waves"][0],
            serde_json::json!(["manual-declarer", "etat"])
        );
    }

    #[test]
    fn dot_draws_clusters_and_the_critical_path() {
        let rb = sample();
        let g = Graph::build(&rb).unwrap();
        let dot = Plan::new(&rb, &g, Mode::Drill).to_dot();
        assert!(dot.starts_with("digraph reprise {\n"), "{dot}");
        assert!(
            dot.contains(
                "  subgraph \"cluster_bascule\" {\n    label=\"bascule: Bascule <SAN>\";\n"
            ),
            "{dot}"
        );
        assert!(
            dot.contains("label=\"Panne \\\"SAN\\\" – Nord (drill)\\ncritical path 1h15m"),
            "{dot}"
        );
        assert!(
            dot.contains("  \"arret\" -> \"bascule-san\" [color=\"#d00000\", penwidth=2.5];"),
            "{dot}"
        );
        // The hop from phase order gets its own red edge.
        assert!(
            dot.contains("  \"manual-declarer\" -> \"arret\" [color=\"#d00000\", penwidth=2.5, style=dashed, constraint=false];"),
            "{dot}"
        );
        assert!(
            dot.contains("  \"manual-declarer\" -> \"arret\" [ltail=\"cluster_alerte\", lhead=\"cluster_bascule\", style=dashed];"),
            "{dot}"
        );
        assert!(dot.contains("\"copie\" [label=\"copie\\ncommand · 1h\\nnot applicable\", style=\"rounded,dashed\""), "{dot}");
        assert!(dot.ends_with("}\n"));
    }

    #[test]
    fn mermaid_draws_subgraphs_and_the_critical_path() {
        let rb = sample();
        let g = Graph::build(&rb).unwrap();
        let m = Plan::new(&rb, &g, Mode::Drill).to_mermaid();
        assert!(
            m.contains("flowchart LR\n  subgraph p0[\"alerte: Alerte et évaluation\"]\n"),
            "{m}"
        );
        assert!(
            m.contains("  subgraph p1[\"bascule: Bascule #lt;SAN#gt;\"]\n"),
            "{m}"
        );
        assert!(
            m.contains("    s0[\"manual-declarer<br/>manual · direction · 10m\"]\n"),
            "{m}"
        );
        assert!(m.contains(r#"title: "Panne \"SAN\" – Nord (drill)"#), "{m}");
        let links: Vec<&str> = m
            .lines()
            .filter(|l| l.contains("-->") || l.contains("-.->"))
            .collect();
        assert_eq!(
            links,
            ["  s2 --> s3", "  s2 --> s4", "  p0 -.-> p1", "  s0 -.-> s2"]
        );
        assert!(m.contains("  class s0,s2,s3 critical\n"), "{m}");
        assert!(m.contains("  class s4 notApplicable\n"), "{m}");
        assert!(
            m.contains("  linkStyle 0,3 stroke:#d00000,stroke-width:3px\n"),
            "{m}"
        );
    }
}
