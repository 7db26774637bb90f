//! The node-level edges in compressed form, the topological sort and the
//! search for cycles (one per strongly connected component).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Edges in compressed form: the targets of node `v` are
/// `targets[start[v]..start[v + 1]]`.
#[derive(Debug, Clone, Default)]
pub(super) struct Adjacency {
    pub(super) start: Vec<u32>,
    pub(super) targets: Vec<u32>,
}

impl Adjacency {
    /// Groups `(from, to)` pairs by `from` (a counting sort, so linear),
    /// keeping each group in the order given.
    pub(super) fn new(nodes: usize, edges: &[(u32, u32)]) -> Self {
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

    pub(super) fn nodes(&self) -> usize {
        self.start.len() - 1
    }

    pub(super) fn targets(&self, v: u32) -> &[u32] {
        &self.targets[self.start[v as usize] as usize..self.start[v as usize + 1] as usize]
    }

    pub(super) fn indegree(&self) -> Vec<u32> {
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
pub(super) fn topological_sort(adj: &Adjacency) -> (Vec<u32>, Vec<bool>) {
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
pub(super) fn find_cycles(
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
