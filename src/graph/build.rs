//! Building the graph: `needs` resolved to steps and phases, phase order's
//! implicit edges, and every problem located at its `needs` entry.

use std::collections::HashMap;

use super::Graph;
use super::cycles::{Adjacency, find_cycles, topological_sort};
use crate::diagnostic::{Diagnostic, suggest};
use crate::runbook::{NeedRef, Runbook, Span, StepIndex};

/// Suggestions compare an unknown id with every id of the runbook; past this
/// many unknown ids the rest get no suggestion, so that a file full of typos
/// cannot make `check` quadratic.
const MAX_SUGGESTIONS: usize = 200;

/// What an id in `needs` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Step(usize),
    Phase(usize),
}

pub(super) struct Builder<'a> {
    runbook: &'a Runbook,
    ids: HashMap<&'a str, Target>,
    diagnostics: Vec<Diagnostic>,
    suggestions_left: usize,
}

impl<'a> Builder<'a> {
    pub(super) fn new(runbook: &'a Runbook) -> Self {
        let mut ids = HashMap::with_capacity(runbook.steps.len() + runbook.phases.len());
        // Duplicate ids are the validator's to report; the first one wins
        // here so that the graph stays usable for the other checks.
        for (i, p) in runbook.phases.iter().enumerate() {
            ids.entry(p.id.as_str()).or_insert(Target::Phase(i));
        }
        for (i, s) in runbook.steps.iter().enumerate() {
            ids.entry(s.id.as_str()).or_insert(Target::Step(i));
        }
        Builder {
            runbook,
            ids,
            diagnostics: Vec::new(),
            suggestions_left: MAX_SUGGESTIONS,
        }
    }

    pub(super) fn build(mut self) -> Result<Graph, Vec<Diagnostic>> {
        let rb = self.runbook;
        let (n, p) = (rb.steps.len(), rb.phases.len());
        let phase_needs = self.resolve_phase_needs();
        let (needs, needed_phases) = self.resolve_step_needs();

        // Phase-level cycles are reported as phases; their edges are then
        // left out so the step-level search does not report them again.
        let phase_adj = Adjacency::new(
            p,
            &phase_needs
                .iter()
                .enumerate()
                .flat_map(|(to, from)| from.iter().map(move |&f| (f as u32, to as u32)))
                .collect::<Vec<_>>(),
        );
        let (_, left_out) = topological_sort(&phase_adj);
        let mut phase_cycle = vec![false; p];
        for (cycle, component) in
            find_cycles(&phase_adj, &left_out, |c| *c.iter().min().unwrap_or(&0))
        {
            for &v in &component {
                phase_cycle[v as usize] = true;
            }
            self.report_phase_cycle(&cycle);
        }

        let done = |q: usize| (n + q) as u32;
        let start = |q: usize| (n + p + q) as u32;
        let mut edges: Vec<(u32, u32)> = Vec::with_capacity(3 * n + p);
        for (i, s) in rb.steps.iter().enumerate() {
            if s.phase < p {
                edges.push((i as u32, done(s.phase)));
                edges.push((start(s.phase), i as u32));
            }
            edges.extend(needs[i].iter().map(|t| (t.0, i as u32)));
            edges.extend(needed_phases[i].iter().map(|&q| (done(q), i as u32)));
        }
        for (to, from) in phase_needs.iter().enumerate() {
            for &q in from {
                if !(phase_cycle[to] && phase_cycle[q]) {
                    edges.push((done(q), start(to)));
                }
            }
        }
        let edges = Adjacency::new(n + 2 * p, &edges);
        let (node_order, left_out) = topological_sort(&edges);
        let pick_step = |c: &[u32]| c.iter().copied().filter(|&v| (v as usize) < n).min();
        for (cycle, _) in find_cycles(&edges, &left_out, |c| pick_step(c).unwrap_or(c[0])) {
            self.report_step_cycle(&cycle);
        }

        if !self.diagnostics.is_empty() {
            let mut d = self.diagnostics;
            d.sort_by_key(|d| d.span.map_or((u32::MAX, u32::MAX), |s| (s.line, s.column)));
            return Err(d);
        }

        let mut dependents = vec![Vec::new(); n];
        for (i, ns) in needs.iter().enumerate() {
            for t in ns {
                dependents[t.get()].push(StepIndex(i as u32));
            }
        }
        let order = node_order
            .iter()
            .filter(|&&v| (v as usize) < n)
            .map(|&v| StepIndex(v))
            .collect();
        Ok(Graph {
            steps: n,
            phases: p,
            needs,
            dependents,
            needed_phases,
            phase_needs,
            step_phase: rb.steps.iter().map(|s| s.phase).collect(),
            indegree: edges.indegree(),
            edges,
            order,
        })
    }

    /// Every phase's `needs`, with the default (the phase before) applied.
    fn resolve_phase_needs(&mut self) -> Vec<Vec<usize>> {
        let rb = self.runbook;
        let mut seen = vec![usize::MAX; rb.phases.len()];
        let mut resolved = Vec::with_capacity(rb.phases.len());
        for (i, phase) in rb.phases.iter().enumerate() {
            let Some(list) = &phase.needs else {
                resolved.push(if i > 0 { vec![i - 1] } else { Vec::new() });
                continue;
            };
            let mut out = Vec::new();
            for need in list {
                match self.ids.get(need.as_str()).copied() {
                    Some(Target::Phase(q)) if q == i => self.diagnostics.push(
                        Diagnostic::error(
                            "needs-itself",
                            format!("phase `{}` needs itself", phase.id.value),
                            Some(need.span),
                        )
                        .with_label("this is the phase's own id")
                        .with_hint("remove it from the phase's `needs`"),
                    ),
                    Some(Target::Phase(q)) => {
                        if seen[q] != i {
                            seen[q] = i;
                            out.push(q);
                        }
                    }
                    Some(Target::Step(s)) => {
                        let holder = rb
                            .phases
                            .get(rb.steps[s].phase)
                            .map_or("", |h| h.id.as_str());
                        self.diagnostics.push(
                            Diagnostic::error(
                                "phase-needs-step",
                                format!(
                                    "phase `{}` needs `{}`, which is a step: a phase's `needs` lists phase ids",
                                    phase.id.value, need.value
                                ),
                                Some(need.span),
                            )
                            .with_label("a step id")
                            .with_hint(format!(
                                "name its phase `{}` instead, or add `{}` to the `needs` of the steps that wait for it",
                                holder, need.value
                            )),
                        );
                    }
                    None => {
                        let hint = self.suggestion(need, true);
                        self.diagnostics.push(
                            Diagnostic::error(
                                "unknown-need",
                                format!(
                                    "phase `{}` needs unknown phase `{}`",
                                    phase.id.value, need.value
                                ),
                                Some(need.span),
                            )
                            .with_label("no phase has this id")
                            .with_hint(hint),
                        );
                    }
                }
            }
            resolved.push(out);
        }
        resolved
    }

    /// Every step's `needs`, split into step ids and phase ids, without
    /// duplicates.
    fn resolve_step_needs(&mut self) -> (Vec<Vec<StepIndex>>, Vec<Vec<usize>>) {
        let rb = self.runbook;
        let mut seen_step = vec![usize::MAX; rb.steps.len()];
        let mut seen_phase = vec![usize::MAX; rb.phases.len()];
        let mut needs = Vec::with_capacity(rb.steps.len());
        let mut phases = Vec::with_capacity(rb.steps.len());
        for (i, step) in rb.steps.iter().enumerate() {
            let (mut ns, mut ps) = (Vec::new(), Vec::new());
            for need in &step.needs {
                match self.ids.get(need.as_str()).copied() {
                    Some(Target::Step(t)) if t == i => self.diagnostics.push(
                        Diagnostic::error(
                            "needs-itself",
                            format!("step `{}` needs itself", step.id.value),
                            Some(need.span),
                        )
                        .with_label("this is the step's own id")
                        .with_hint("remove it from `needs`"),
                    ),
                    Some(Target::Step(t)) => {
                        if seen_step[t] != i {
                            seen_step[t] = i;
                            ns.push(StepIndex(t as u32));
                        }
                    }
                    Some(Target::Phase(q)) if q == step.phase => self.diagnostics.push(
                        Diagnostic::error(
                            "needs-itself",
                            format!(
                                "step `{}` needs its own phase `{}`, which includes it",
                                step.id.value, need.value
                            ),
                            Some(need.span),
                        )
                        .with_label("the phase holding this step")
                        .with_hint("name the steps of the phase it waits for instead"),
                    ),
                    Some(Target::Phase(q)) => {
                        if seen_phase[q] != i {
                            seen_phase[q] = i;
                            ps.push(q);
                        }
                    }
                    None => {
                        let hint = self.suggestion(need, false);
                        self.diagnostics.push(
                            Diagnostic::error(
                                "unknown-need",
                                format!(
                                    "step `{}` needs unknown step or phase `{}`",
                                    step.id.value, need.value
                                ),
                                Some(need.span),
                            )
                            .with_label("no step or phase has this id")
                            .with_hint(hint),
                        );
                    }
                }
            }
            needs.push(ns);
            phases.push(ps);
        }
        (needs, phases)
    }

    /// "did you mean …?" for an unknown id, or what `needs` accepts.
    fn suggestion(&mut self, need: &NeedRef, phases_only: bool) -> String {
        let fallback = if phases_only {
            "a phase's `needs` lists ids of phases of this runbook".to_string()
        } else {
            "`needs` lists ids of steps or phases of this runbook".to_string()
        };
        if self.suggestions_left == 0 {
            return fallback;
        }
        self.suggestions_left -= 1;
        let rb = self.runbook;
        let phase_ids = rb.phases.iter().map(|p| p.id.as_str());
        let found = if phases_only {
            suggest(need.as_str(), phase_ids)
        } else {
            suggest(
                need.as_str(),
                rb.steps.iter().map(|s| s.id.as_str()).chain(phase_ids),
            )
        };
        found.map_or(fallback, |id| format!("did you mean `{id}`?"))
    }

    /// Span of the entry of `step`'s `needs` that names `target`.
    fn step_need_span(&self, step: usize, target: Target) -> Option<Span> {
        self.runbook.steps[step]
            .needs
            .iter()
            .find(|n| self.ids.get(n.as_str()) == Some(&target))
            .map(|n| n.span)
    }

    /// `cycle` holds phase indices, `q → … → q` where each phase is needed
    /// by the next one.
    fn report_phase_cycle(&mut self, cycle: &[u32]) {
        let rb = self.runbook;
        // hop i: phase cycle[i + 1] needs phase cycle[i]; shown needer first.
        let hops: Vec<(usize, usize, Option<Span>)> = cycle
            .windows(2)
            .map(|w| {
                let (needed, needer) = (w[0] as usize, w[1] as usize);
                (needer, needed, phase_need_span(rb, needer, needed))
            })
            .collect();
        let names = |i: usize| rb.phases[i].id.value.to_string();
        let Some(at) = hops.iter().position(|h| h.2.is_some()) else {
            return;
        };
        let chain = chain_from(&hops, at, |h| (h.0, h.1), names);
        let implicit: Vec<String> = hops
            .iter()
            .filter(|h| h.2.is_none())
            .map(|h| {
                format!(
                    "`{}` → `{}` is implicit: a phase without `needs` follows the phase written before it",
                    names(h.0),
                    names(h.1)
                )
            })
            .collect();
        let mut d =
            Diagnostic::error("cycle", format!("phase cycle `{chain}`"), hops[at].2).with_label(
                format!("`{}` needs `{}` here", names(hops[at].0), names(hops[at].1)),
            );
        d = d.with_hint(hint_with(
            implicit,
            "remove one of these `needs` to break the cycle",
        ));
        self.diagnostics.push(d);
    }

    /// `cycle` holds internal nodes, `v → … → v`, each a prerequisite of
    /// the next. Reported as steps in `needs` order (`a → b` = `a` needs
    /// `b`), pointing at an explicit entry, with the implicit hops explained.
    fn report_step_cycle(&mut self, cycle: &[u32]) {
        let rb = self.runbook;
        let n = rb.steps.len();
        let p = rb.phases.len();
        // Split the node path at steps: between two steps lie zero barriers
        // (a step named in `needs`), `done(Q)` (a phase named in `needs`) or
        // `done(Q) → start(P)` (phase order).
        let mut hops: Vec<(usize, usize, Hop)> = Vec::new();
        let mut prev: Option<usize> = None;
        let mut via_done: Option<usize> = None;
        let mut via_start = false;
        for &v in cycle {
            let v = v as usize;
            if v < n {
                if let Some(from) = prev {
                    let hop = match (via_done, via_start) {
                        (None, _) => Hop::Step(self.step_need_span(v, Target::Step(from))),
                        (Some(q), false) => Hop::Phase(q, self.step_need_span(v, Target::Phase(q))),
                        (Some(q), true) => {
                            let needer = rb.steps[v].phase;
                            Hop::PhaseOrder(needer, q, phase_need_span(rb, needer, q))
                        }
                    };
                    hops.push((v, from, hop));
                }
                prev = Some(v);
                via_done = None;
                via_start = false;
            } else if v < n + p {
                via_done = Some(v - n);
            } else {
                via_start = true;
            }
        }
        // `hops[i]` reads "hops[i].0 needs hops[i].1"; walking them backwards
        // follows `needs`.
        hops.reverse();
        let Some(at) = hops
            .iter()
            .position(|h| matches!(h.2, Hop::Step(Some(_))))
            .or_else(|| hops.iter().position(|h| h.2.span().is_some()))
        else {
            return;
        };
        let names = |i: usize| rb.steps[i].id.value.to_string();
        let chain = chain_from(&hops, at, |h| (h.0, h.1), names);
        let phase = |q: usize| rb.phases[q].id.value.to_string();
        let notes: Vec<String> = hops
            .iter()
            .filter_map(|h| match h.2 {
                Hop::Step(_) => None,
                Hop::Phase(q, _) => Some(format!(
                    "`{}` → `{}`: `{}` needs phase `{}`, which holds `{}`",
                    names(h.0),
                    names(h.1),
                    names(h.0),
                    phase(q),
                    names(h.1)
                )),
                Hop::PhaseOrder(pp, q, span) => Some(format!(
                    "`{}` → `{}` is implicit: phase `{}` {} phase `{}`, which holds `{}`",
                    names(h.0),
                    names(h.1),
                    phase(pp),
                    if span.is_some() { "needs" } else { "follows" },
                    phase(q),
                    names(h.1)
                )),
            })
            .collect();
        let (needer, needed, hop) = &hops[at];
        let label = match hop {
            Hop::Phase(q, _) => format!("`{}` needs phase `{}` here", names(*needer), phase(*q)),
            Hop::PhaseOrder(pp, q, _) => {
                format!("phase `{}` needs `{}` here", phase(*pp), phase(*q))
            }
            Hop::Step(_) => format!("`{}` needs `{}` here", names(*needer), names(*needed)),
        };
        self.diagnostics.push(
            Diagnostic::error("cycle", format!("dependency cycle `{chain}`"), hop.span())
                .with_label(label)
                .with_hint(hint_with(
                    notes,
                    "remove one of these `needs` to break the cycle",
                )),
        );
    }
}

/// How one step comes to need the next in a reported cycle.
#[derive(Debug, Clone, Copy)]
enum Hop {
    /// Named in the step's `needs`.
    Step(Option<Span>),
    /// The step names this phase in its `needs`.
    Phase(usize, Option<Span>),
    /// The step's phase (first) needs this phase (second), explicitly
    /// (with a span) or by default.
    PhaseOrder(usize, usize, Option<Span>),
}

impl Hop {
    fn span(&self) -> Option<Span> {
        match *self {
            Hop::Step(s) | Hop::Phase(_, s) | Hop::PhaseOrder(_, _, s) => s,
        }
    }
}

/// `a → b → c → a`, starting with hop `at`; `ends` gives (needer, needed).
fn chain_from<H>(
    hops: &[H],
    at: usize,
    ends: impl Fn(&H) -> (usize, usize),
    name: impl Fn(usize) -> String,
) -> String {
    let mut chain = name(ends(&hops[at]).0);
    for k in 0..hops.len() {
        chain.push_str(" → ");
        chain.push_str(&name(ends(&hops[(at + k) % hops.len()]).1));
    }
    chain
}

/// The explanation of implicit hops (if any), then what to do.
fn hint_with(notes: Vec<String>, what_to_do: &str) -> String {
    if notes.is_empty() {
        what_to_do.to_string()
    } else {
        format!("{}; {what_to_do}", notes.join("; "))
    }
}

/// Span of the entry of phase `needer`'s `needs` naming phase `needed`, or
/// `None` when the dependency is the default one.
fn phase_need_span(rb: &Runbook, needer: usize, needed: usize) -> Option<Span> {
    let id = rb.phases[needed].id.as_str();
    rb.phases[needer]
        .needs
        .as_ref()?
        .iter()
        .find(|n| n.as_str() == id)
        .map(|n| n.span)
}
