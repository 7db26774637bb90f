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

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::diagnostic::{Diagnostic, suggest};
use crate::runbook::{NeedRef, Runbook, Span, StepIndex};

/// Suggestions compare an unknown id with every id of the runbook; past this
/// many unknown ids the rest get no suggestion, so that a file full of typos
/// cannot make `check` quadratic.
const MAX_SUGGESTIONS: usize = 200;

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

/// Edges in compressed form: the targets of node `v` are
/// `targets[start[v]..start[v + 1]]`.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    start: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    /// Groups `(from, to)` pairs by `from` (a counting sort, so linear),
    /// keeping each group in the order given.
    fn new(nodes: usize, edges: &[(u32, u32)]) -> Self {
        let mut start = vec![0u32; nodes + 1];
        for &(from, _) in edges {
            start[from as usize + 1] += 1;
        }
        for i in 0..nodes {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut targets = vec![0u32; edges.len()];
        for &(from, to) in edges {
            targets[fill[from as usize] as usize] = to;
            fill[from as usize] += 1;
        }
        Adjacency { start, targets }
    }

    fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    fn targets(&self, v: u32) -> &[u32] {
        &self.targets[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }

    fn indegree(&self) -> Vec<u32> {
        let mut d = vec![0u32; self.nodes()];
        for &t in &self.targets {
            d[t as usize] += 1;
        }
        d
    }
}

/// Kahn's algorithm with a min-heap, so ties follow node (file) order.
/// Returns the order of the nodes that are not on or behind a cycle, and
/// whether each node was left out.
fn topological_sort(adj: &Adjacency) -> (Vec<u32>, Vec<bool>) {
    let mut indegree = adj.indegree();
    let mut heap: BinaryHeap<Reverse<u32>> = (0..adj.nodes() as u32)
        .filter(|&v| indegree[v as usize] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(adj.nodes());
    while let Some(Reverse(v)) = heap.pop() {
        order.push(v);
        for &t in adj.targets(v) {
            indegree[t as usize] -= 1;
            if indegree[t as usize] == 0 {
                heap.push(Reverse(t));
            }
        }
    }
    let left_out = indegree.iter().map(|&d| d > 0).collect();
    (order, left_out)
}

/// One cycle per strongly connected component of the nodes `candidates`
/// marks, each as a path `v → … → v` (prerequisite → dependent) starting
/// at the component's node chosen by `pick` and as short as possible
/// through it, together with the whole component.
///
/// petgraph's `tarjan_scc` recurses once per node and overflows the stack
/// on a 20,000-step cycle; `kosaraju_scc` walks with an explicit stack.
fn find_cycles(
    adj: &Adjacency,
    candidates: &[bool],
    pick: impl Fn(&[u32]) -> u32,
) -> Vec<(Vec<u32>, Vec<u32>)> {
    use petgraph::graph::{DiGraph, NodeIndex};

    let members: Vec<u32> = (0..adj.nodes() as u32)
        .filter(|&v| candidates[v as usize])
        .collect();
    if members.is_empty() {
        return Vec::new();
    }
    let mut local = vec![u32::MAX; adj.nodes()];
    let mut sub = DiGraph::<u32, ()>::with_capacity(members.len(), members.len());
    for &v in &members {
        local[v as usize] = sub.add_node(v).index() as u32;
    }
    for &v in &members {
        for &t in adj.targets(v) {
            if candidates[t as usize] {
                sub.add_edge(
                    NodeIndex::new(local[v as usize] as usize),
                    NodeIndex::new(local[t as usize] as usize),
                    (),
                );
            }
        }
    }

    let mut component = vec![u32::MAX; adj.nodes()];
    let mut parent = vec![u32::MAX; adj.nodes()];
    let mut cycles = Vec::new();
    for (c, scc) in petgraph::algo::kosaraju_scc(&sub).into_iter().enumerate() {
        if scc.len() < 2 {
            // Self-edges are never added (a step needing itself is reported
            // on its own), so a single node is not a cycle.
            continue;
        }
        let nodes: Vec<u32> = scc.iter().map(|&n| sub[n]).collect();
        for &v in &nodes {
            component[v as usize] = c as u32;
        }
        let root = pick(&nodes);
        // Breadth-first from the root back to itself: the shortest cycle
        // through it, found in time linear in the component.
        let mut queue = std::collections::VecDeque::from([root]);
        let mut last = None;
        'search: while let Some(v) = queue.pop_front() {
            for &t in adj.targets(v) {
                if component[t as usize] != c as u32 {
                    continue;
                }
                if t == root {
                    last = Some(v);
                    break 'search;
                }
                if parent[t as usize] == u32::MAX {
                    parent[t as usize] = v;
                    queue.push_back(t);
                }
            }
        }
        let mut path = vec![root];
        let mut v = last.expect("a strongly connected component of two or more nodes has a cycle");
        while v != root {
            path.push(v);
            v = parent[v as usize];
        }
        path.push(root);
        path.reverse();
        for &v in &nodes {
            parent[v as usize] = u32::MAX;
        }
        cycles.push((path, nodes));
    }
    cycles
}

/// What an id in `needs` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Step(usize),
    Phase(usize),
}

struct Builder<'a> {
    runbook: &'a Runbook,
    ids: HashMap<&'a str, Target>,
    diagnostics: Vec<Diagnostic>,
    suggestions_left: usize,
}

impl<'a> Builder<'a> {
    fn new(runbook: &'a Runbook) -> Self {
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

    fn build(mut self) -> Result<Graph, Vec<Diagnostic>> {
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

/// Compact runbooks for unit tests, so graph and plan tests do not depend
/// on the YAML parser.
#[cfg(test)]
pub(crate) mod testing {
    use crate::runbook::{
        Command, Duration, Located, Objectives, Phase, PhaseId, Runbook, Span, Step, StepId,
        StepIndex,
    };

    /// A step: id, `needs`, estimate.
    pub type S<'a> = (&'a str, &'a [&'a str], Option<&'a str>);

    /// A phase: id, `needs` (`None` = default), steps.
    pub type P<'a> = (&'a str, Option<&'a [&'a str]>, &'a [S<'a>]);

    /// Builds a runbook. Every id and `needs` entry gets its own line, in
    /// the order written, so tests can check which entry a diagnostic
    /// points at. Steps run a command (`true`) unless named `manual-…`.
    pub fn runbook(phases: &[P<'_>]) -> Runbook {
        let mut line = 0u32;
        let mut at = || {
            line += 1;
            Span {
                line,
                column: 1,
                offset: line as usize,
                len: 1,
            }
        };
        let mut rb = Runbook {
            version: 1,
            name: "test".into(),
            description: None,
            owner: None,
            contacts: None,
            objectives: Objectives::default(),
            vars: Vec::new(),
            phases: Vec::new(),
            steps: Vec::new(),
            hosts: Vec::new(),
            exercise: Default::default(),
            notify: Vec::new(),
            roles: Vec::new(),
            jobs: None,
        };
        for (pi, (id, needs, steps)) in phases.iter().enumerate() {
            let id = Located::new(PhaseId::new(*id), at());
            let needs = needs.map(|n| {
                n.iter()
                    .map(|s| Located::new(s.to_string(), at()))
                    .collect()
            });
            let first = rb.steps.len();
            for (sid, sneeds, estimate) in steps.iter() {
                let span = at();
                rb.steps.push(Step {
                    id: Located::new(StepId::new(*sid), span),
                    needs: sneeds
                        .iter()
                        .map(|s| Located::new(s.to_string(), at()))
                        .collect(),
                    run: (!sid.starts_with("manual"))
                        .then(|| Located::new(Command::Shell("true".into()), span)),
                    estimate: estimate
                        .map(|e| Located::new(e.parse::<Duration>().expect("test duration"), span)),
                    span,
                    ..Step::new(StepId::new(*sid), format!("step {sid}"), pi)
                });
            }
            rb.phases.push(Phase {
                id,
                title: format!("phase {}", phases[pi].0),
                needs,
                steps: first..rb.steps.len(),
                implicit: false,
            });
        }
        rb
    }

    /// One phase of `count` steps, each needing the one before (the first
    /// needs the last when `closed`, making one big cycle).
    pub fn chain(count: usize, closed: bool) -> Runbook {
        let ids: Vec<String> = (0..count).map(|i| format!("s{i}")).collect();
        let needs: Vec<[&str; 1]> = (0..count)
            .map(|i| [ids[(i + count - 1) % count].as_str()])
            .collect();
        let steps: Vec<S<'_>> = (0..count)
            .map(|i| {
                let n: &[&str] = if i == 0 && !closed { &[] } else { &needs[i] };
                (ids[i].as_str(), n, Some("1m"))
            })
            .collect();
        runbook(&[("main", None, &steps)])
    }

    /// A step as [`random`] makes it: id, needs, estimate.
    type OwnedStep = (String, Vec<String>, Option<String>);
    /// A phase as [`random`] makes it: id, needs, steps.
    type OwnedPhase = (String, Option<Vec<String>>, Vec<OwnedStep>);

    /// A small deterministic pseudo-random generator (xorshift), so that
    /// randomised tests repeat exactly.
    pub struct Rng(pub u64);

    impl Rng {
        /// A number in `0..n`.
        pub fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// A random acyclic runbook: 1–4 phases of 1–5 steps; phase `needs` left
    /// to the default or naming earlier phases; step `needs` naming earlier
    /// steps or earlier phases; estimates of 0–9 minutes or none.
    pub fn random(rng: &mut Rng) -> Runbook {
        let phases = 1 + rng.below(4);
        let mut spec: Vec<OwnedPhase> = Vec::new();
        let mut earlier_steps: Vec<String> = Vec::new();
        for p in 0..phases {
            let needs = (p > 0 && rng.below(2) == 0).then(|| {
                (0..p)
                    .filter(|_| rng.below(3) == 0)
                    .map(|q| format!("p{q}"))
                    .collect()
            });
            let mut steps = Vec::new();
            let mut own: Vec<String> = Vec::new();
            for k in 0..1 + rng.below(5) {
                let id = format!("p{p}s{k}");
                let mut needs: Vec<String> = Vec::new();
                for _ in 0..rng.below(3) {
                    match rng.below(3) {
                        0 if p > 0 => needs.push(format!("p{}", rng.below(p))),
                        1 if !own.is_empty() => needs.push(own[rng.below(own.len())].clone()),
                        _ if !earlier_steps.is_empty() => {
                            needs.push(earlier_steps[rng.below(earlier_steps.len())].clone())
                        }
                        _ => {}
                    }
                }
                let estimate = (rng.below(4) > 0).then(|| format!("{}m", rng.below(10)));
                own.push(id.clone());
                steps.push((id, needs, estimate));
            }
            earlier_steps.extend(own);
            spec.push((format!("p{p}"), needs, steps));
        }
        let borrowed_needs: Vec<Vec<Vec<&str>>> = spec
            .iter()
            .map(|(_, _, steps)| {
                steps
                    .iter()
                    .map(|(_, n, _)| n.iter().map(String::as_str).collect())
                    .collect()
            })
            .collect();
        let phase_needs: Vec<Option<Vec<&str>>> = spec
            .iter()
            .map(|(_, n, _)| n.as_ref().map(|n| n.iter().map(String::as_str).collect()))
            .collect();
        let steps: Vec<Vec<S<'_>>> = spec
            .iter()
            .enumerate()
            .map(|(p, (_, _, steps))| {
                steps
                    .iter()
                    .enumerate()
                    .map(|(k, (id, _, e))| (id.as_str(), &borrowed_needs[p][k][..], e.as_deref()))
                    .collect()
            })
            .collect();
        let phases: Vec<P<'_>> = spec
            .iter()
            .enumerate()
            .map(|(p, (id, _, _))| (id.as_str(), phase_needs[p].as_deref(), &steps[p][..]))
            .collect();
        runbook(&phases)
    }

    /// What each step waits for, written out step by step (quadratic: for
    /// checking small graphs against the barrier-based one).
    pub fn direct_prerequisites(rb: &Runbook) -> Vec<Vec<usize>> {
        let phase_steps = |id: &str| {
            let p = rb.phases.iter().position(|p| p.id.as_str() == id).unwrap();
            rb.phases[p].steps.clone()
        };
        rb.steps
            .iter()
            .map(|s| {
                let mut pre: Vec<usize> = Vec::new();
                for n in &s.needs {
                    match rb.steps.iter().position(|t| t.id.as_str() == n.as_str()) {
                        Some(t) => pre.push(t),
                        None => pre.extend(phase_steps(n.as_str())),
                    }
                }
                let phase = &rb.phases[s.phase];
                match &phase.needs {
                    None if s.phase > 0 => pre.extend(rb.phases[s.phase - 1].steps.clone()),
                    None => {}
                    Some(list) => {
                        for q in list {
                            pre.extend(phase_steps(q.as_str()));
                        }
                    }
                }
                pre.sort_unstable();
                pre.dedup();
                pre
            })
            .collect()
    }

    /// The index of the step with this id.
    pub fn step(rb: &Runbook, id: &str) -> StepIndex {
        StepIndex(
            rb.steps
                .iter()
                .position(|s| s.id.as_str() == id)
                .unwrap_or_else(|| panic!("no step `{id}`")) as u32,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{chain, runbook, step};
    use super::*;

    fn ids(rb: &Runbook, steps: &[StepIndex]) -> Vec<String> {
        steps.iter().map(|&s| rb.step(s).id.to_string()).collect()
    }

    fn errors(rb: &Runbook) -> Vec<Diagnostic> {
        match Graph::build(rb) {
            Ok(_) => panic!("expected errors"),
            Err(d) => d,
        }
    }

    /// Ends steps in the order given and returns, for each, what became ready.
    fn walk(rb: &Runbook, g: &Graph, order: &[&str]) -> Vec<Vec<String>> {
        let mut r = Readiness::new(g);
        order
            .iter()
            .map(|id| ids(rb, &r.end(g, step(rb, id))))
            .collect()
    }

    #[test]
    fn every_step_of_a_phase_waits_for_the_whole_phase_before() {
        let rb = runbook(&[
            ("alerte", None, &[("a1", &[], None), ("a2", &[], None)]),
            ("bascule", None, &[("b1", &[], None), ("b2", &[], None)]),
        ]);
        let g = Graph::build(&rb).unwrap();
        let r = Readiness::new(&g);
        assert_eq!(ids(&rb, &r.initially_ready()), ["a1", "a2"]);
        assert_eq!(walk(&rb, &g, &["a2", "a1"]), [vec![], vec!["b1", "b2"]]);
        assert_eq!(
            g.prerequisites(step(&rb, "b1")).collect::<Vec<_>>(),
            [Prerequisite::PhaseOrder(0)]
        );
        assert_eq!(ids(&rb, g.topological_order()), ["a1", "a2", "b1", "b2"]);
    }

    #[test]
    fn phase_needs_replace_the_default_order() {
        let rb = runbook(&[
            ("one", None, &[("a", &[], None)]),
            ("two", Some(&[]), &[("b", &[], None)]),
            ("three", Some(&["one"]), &[("c", &[], None)]),
        ]);
        let g = Graph::build(&rb).unwrap();
        assert_eq!(g.phase_needs(1), &[] as &[usize]);
        assert_eq!(g.phase_needs(2), &[0]);
        let r = Readiness::new(&g);
        assert_eq!(ids(&rb, &r.initially_ready()), ["a", "b"]);
        assert_eq!(walk(&rb, &g, &["a"]), [vec!["c"]]);
    }

    #[test]
    fn a_phase_id_in_a_step_needs_means_all_its_steps() {
        let rb = runbook(&[
            ("prep", None, &[("p1", &[], None), ("p2", &[], None)]),
            (
                "side",
                Some(&[]),
                &[("s", &["prep"], None), ("t", &[], None)],
            ),
        ]);
        let g = Graph::build(&rb).unwrap();
        assert_eq!(g.needed_phases(step(&rb, "s")), &[0]);
        assert!(g.needs(step(&rb, "s")).is_empty());
        assert_eq!(
            ids(&rb, &Readiness::new(&g).initially_ready()),
            ["p1", "p2", "t"]
        );
        assert_eq!(walk(&rb, &g, &["p1", "p2"]), [vec![], vec!["s"]]);
    }

    #[test]
    fn explicit_step_needs_order_steps_within_a_phase() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("c", &["b", "a", "b"], None),
                ("a", &[], None),
                ("b", &["a"], None),
            ],
        )]);
        let g = Graph::build(&rb).unwrap();
        assert_eq!(
            ids(&rb, g.needs(step(&rb, "c"))),
            ["b", "a"],
            "no duplicates"
        );
        assert_eq!(ids(&rb, g.dependents(step(&rb, "a"))), ["c", "b"]);
        assert_eq!(ids(&rb, g.topological_order()), ["a", "b", "c"]);
        assert_eq!(walk(&rb, &g, &["a", "b"]), [vec!["b"], vec!["c"]]);
    }

    #[test]
    fn readiness_ignores_repeated_and_early_ends() {
        let rb = runbook(&[("main", None, &[("a", &[], None), ("b", &["a"], None)])]);
        let g = Graph::build(&rb).unwrap();
        let mut r = Readiness::new(&g);
        // `b` assumed done before `a` ends: never reported ready again.
        assert!(r.end(&g, step(&rb, "b")).is_empty());
        assert!(!r.is_ready(step(&rb, "b")));
        assert!(r.end(&g, step(&rb, "a")).is_empty());
        assert!(r.is_ready(step(&rb, "b")));
        assert!(r.end(&g, step(&rb, "a")).is_empty());
        assert!(r.has_ended(step(&rb, "a")));
    }

    #[test]
    fn a_thousand_dependents_become_ready_together() {
        let names: Vec<String> = (0..1000).map(|i| format!("d{i}")).collect();
        let mut steps: Vec<testing::S<'_>> = vec![("root", &[], Some("5m"))];
        steps.extend(
            names
                .iter()
                .map(|n| (n.as_str(), &["root"][..], Some("1m"))),
        );
        let rb = runbook(&[("main", None, &steps)]);
        let g = Graph::build(&rb).unwrap();
        let root = step(&rb, "root");
        assert_eq!(g.dependents(root).len(), 1000);
        let mut r = Readiness::new(&g);
        assert_eq!(r.initially_ready(), [root]);
        let ready = r.end(&g, root);
        assert_eq!(ids(&rb, &ready), names);
    }

    #[test]
    fn big_phases_after_big_phases_stay_linear() {
        let a: Vec<String> = (0..20_000).map(|i| format!("a{i}")).collect();
        let b: Vec<String> = (0..20_000).map(|i| format!("b{i}")).collect();
        let sa: Vec<testing::S<'_>> = a.iter().map(|s| (s.as_str(), &[][..], None)).collect();
        let sb: Vec<testing::S<'_>> = b.iter().map(|s| (s.as_str(), &[][..], None)).collect();
        let rb = runbook(&[("first", None, &sa), ("second", None, &sb)]);
        let g = Graph::build(&rb).unwrap();
        // One edge into each step's phase barrier and one out of its
        // phase's start, plus the phase dependency: 4e8 if written out.
        assert_eq!(g.edges.targets.len(), 2 * 40_000 + 1);
        let mut r = Readiness::new(&g);
        assert_eq!(r.initially_ready().len(), 20_000);
        for i in 0..19_999 {
            assert!(r.end(&g, StepIndex(i)).is_empty());
        }
        assert_eq!(r.end(&g, StepIndex(19_999)).len(), 20_000);
    }

    #[test]
    fn barriers_agree_with_edges_written_out_on_random_runbooks() {
        let mut rng = testing::Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let rb = testing::random(&mut rng);
            let g = Graph::build(&rb).unwrap_or_else(|d| panic!("{d:?}"));
            let pre = testing::direct_prerequisites(&rb);
            let n = rb.steps.len();

            let mut position = vec![0; n];
            for (k, s) in g.topological_order().iter().enumerate() {
                position[s.get()] = k;
            }
            assert_eq!(g.topological_order().len(), n);
            for (s, ps) in pre.iter().enumerate() {
                for &p in ps {
                    assert!(position[p] < position[s], "{p} before {s}");
                }
            }

            // End steps in a random order among the ready ones; after each,
            // what became ready must be exactly what the written-out edges say.
            let mut r = Readiness::new(&g);
            let mut ended = vec![false; n];
            let ready_now = |ended: &[bool], s: usize| pre[s].iter().all(|&p| ended[p]);
            let mut ready: Vec<usize> = (0..n).filter(|&s| ready_now(&ended, s)).collect();
            assert_eq!(
                r.initially_ready(),
                ready
                    .iter()
                    .map(|&s| StepIndex(s as u32))
                    .collect::<Vec<_>>()
            );
            while !ready.is_empty() {
                let s = ready.remove(rng.below(ready.len()));
                let before: Vec<bool> = (0..n).map(|t| ready_now(&ended, t)).collect();
                ended[s] = true;
                let expected: Vec<StepIndex> = (0..n)
                    .filter(|&t| !ended[t] && !before[t] && ready_now(&ended, t))
                    .map(|t| StepIndex(t as u32))
                    .collect();
                let got = r.end(&g, StepIndex(s as u32));
                assert_eq!(got, expected, "after ending {s} in {rb:#?}");
                ready.extend(got.iter().map(|t| t.get()));
                for t in 0..n {
                    assert_eq!(r.is_ready(StepIndex(t as u32)), ready_now(&ended, t));
                }
            }
            assert!(ended.iter().all(|&e| e), "every step was reached");
        }
    }

    #[test]
    fn unknown_ids_are_located_with_a_suggestion() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("stop-app", &[], None),
                ("backup", &["stop-ap", "zzz"], None),
            ],
        )]);
        let d = errors(&rb);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].code, "unknown-need");
        assert_eq!(
            d[0].message,
            "step `backup` needs unknown step or phase `stop-ap`"
        );
        assert_eq!(d[0].span, Some(rb.steps[1].needs[0].span));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `stop-app`?"));
        assert_eq!(d[1].span, Some(rb.steps[1].needs[1].span));
        assert_eq!(
            d[1].hint.as_deref(),
            Some("`needs` lists ids of steps or phases of this runbook")
        );
    }

    #[test]
    fn a_step_cannot_need_itself_or_its_own_phase() {
        let rb = runbook(&[("main", None, &[("a", &["a"], None), ("b", &["main"], None)])]);
        let d = errors(&rb);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "step `a` needs itself");
        assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
        assert_eq!(
            d[1].message,
            "step `b` needs its own phase `main`, which includes it"
        );
        assert_eq!(d[1].span, Some(rb.steps[1].needs[0].span));
    }

    #[test]
    fn phase_needs_name_phases_only() {
        let rb = runbook(&[
            ("prep", None, &[("a", &[], None)]),
            ("run", Some(&["a", "prp", "run"]), &[("b", &[], None)]),
        ]);
        let d = errors(&rb);
        let needs = rb.phases[1].needs.as_ref().unwrap();
        assert_eq!(
            d.iter().map(|d| (d.code, d.span)).collect::<Vec<_>>(),
            [
                ("phase-needs-step", Some(needs[0].span)),
                ("unknown-need", Some(needs[1].span)),
                ("needs-itself", Some(needs[2].span)),
            ]
        );
        assert_eq!(
            d[0].message,
            "phase `run` needs `a`, which is a step: a phase's `needs` lists phase ids"
        );
        assert_eq!(d[1].hint.as_deref(), Some("did you mean `prep`?"));
    }

    #[test]
    fn a_cycle_is_reported_whole_at_one_of_its_entries() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("alpha", &["beta"], None),
                ("beta", &["gamma"], None),
                ("gamma", &["alpha"], None),
                ("free", &[], None),
            ],
        )]);
        let d = errors(&rb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "cycle");
        assert_eq!(
            d[0].message,
            "dependency cycle `alpha → beta → gamma → alpha`"
        );
        assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
        assert_eq!(d[0].label.as_deref(), Some("`alpha` needs `beta` here"));
    }

    #[test]
    fn separate_cycles_are_each_reported_once() {
        let rb = runbook(&[(
            "main",
            None,
            &[
                ("a", &["b"], None),
                ("b", &["a"], None),
                ("c", &["d"], None),
                ("d", &["e"], None),
                ("e", &["c"], None),
            ],
        )]);
        let d = errors(&rb);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "dependency cycle `a → b → a`",
                "dependency cycle `c → d → e → c`"
            ]
        );
    }

    #[test]
    fn a_cycle_through_phase_order_explains_the_implicit_edge() {
        // `x` (first phase) needs `z`, but `z`'s phase follows the first.
        let rb = runbook(&[
            ("first", None, &[("x", &["z"], None), ("y", &[], None)]),
            ("second", None, &[("z", &[], None)]),
        ]);
        let d = errors(&rb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "dependency cycle `x → z → x`");
        assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
        assert_eq!(
            d[0].hint.as_deref(),
            Some(
                "`z` → `x` is implicit: phase `second` follows phase `first`, which holds `x`; \
                 remove one of these `needs` to break the cycle"
            )
        );
    }

    #[test]
    fn a_cycle_through_a_needed_phase_names_the_phase() {
        let rb = runbook(&[
            ("first", None, &[("x", &["later"], None)]),
            ("later", Some(&[]), &[("z", &["x"], None)]),
        ]);
        let d = errors(&rb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "dependency cycle `z → x → z`");
        assert_eq!(d[0].span, Some(rb.steps[1].needs[0].span));
        assert!(
            d[0].hint
                .as_deref()
                .unwrap()
                .starts_with("`x` → `z`: `x` needs phase `later`, which holds `z`"),
            "{d:?}"
        );
    }

    #[test]
    fn a_phase_cycle_is_reported_as_phases_once() {
        let rb = runbook(&[
            ("one", Some(&["two"]), &[("a", &[], None), ("b", &[], None)]),
            ("two", None, &[("c", &[], None)]),
        ]);
        let d = errors(&rb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].message, "phase cycle `one → two → one`");
        assert_eq!(
            d[0].span,
            Some(rb.phases[0].needs.as_ref().unwrap()[0].span)
        );
        assert!(
            d[0].hint
                .as_deref()
                .unwrap()
                .contains("`two` → `one` is implicit")
        );
    }

    #[test]
    fn phases_tangled_in_several_cycles_are_reported_once() {
        // `one` ⇄ `two` (default order) and `one` ⇄ `three`: one component.
        let rb = runbook(&[
            ("one", Some(&["two", "three"]), &[("a", &[], None)]),
            ("two", None, &[("b", &[], None)]),
            ("three", Some(&["one"]), &[("c", &[], None)]),
        ]);
        let d = errors(&rb);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("phase cycle `one → "), "{d:?}");
    }

    #[test]
    fn a_twenty_thousand_step_cycle_is_reported_whole() {
        let rb = chain(20_000, true);
        let d = errors(&rb);
        assert_eq!(d.len(), 1);
        let chain = d[0].message.trim_start_matches("dependency cycle ");
        let names: Vec<&str> = chain.trim_matches('`').split(" → ").collect();
        assert_eq!(names.len(), 20_001);
        assert_eq!(names.first(), names.last());
        // `s0` needs `s19999`, which needs `s19998`…
        assert_eq!(&names[..3], ["s0", "s19999", "s19998"]);
        assert_eq!(d[0].span, Some(rb.steps[0].needs[0].span));
    }

    #[test]
    fn a_long_chain_builds_in_order() {
        let rb = chain(20_000, false);
        let g = Graph::build(&rb).unwrap();
        let order: Vec<u32> = g.topological_order().iter().map(|s| s.0).collect();
        assert_eq!(order, (0..20_000).collect::<Vec<_>>());
    }
}
