//! The schedule by estimates and its critical path, computed once for
//! everyone: `reprise plan` (from the runbook and its graph) and the
//! timeline behind `report` and `status` (from the plan recorded in
//! `run_started`) describe the same steps as [`Task`]s and get the same
//! answer, ties included.
//!
//! Rules:
//!
//! - A task waits for the tasks it names and for every task of each phase
//!   it waits for as a whole; its earliest start is the latest estimated
//!   end among them.
//! - A task that does not apply (its `only` names the other mode) takes no
//!   time, adds no wave and is never on the path, but what waits for it
//!   still waits for what it waits for.
//! - Wave `n` (0-based here) holds the tasks whose longest chain of
//!   applicable prerequisites has `n` tasks.
//! - The critical path ends at the applicable task that ends last; ties go
//!   to the longer chain in tasks, then to file order. Walking back, each
//!   task's predecessor is the prerequisite whose chain ends last (then the
//!   longer chain, then the one whose chain ends with the task first in
//!   file order), whatever order the prerequisites were listed in, and
//!   whether a task is named or waited for through its phase.
//!
//! Phases are one extra node each ("every task of this phase has ended"),
//! so a phase of many tasks waited for by many tasks costs their sum, not
//! their product: linear in tasks, names and phases.

use std::collections::VecDeque;

/// A step as the schedule sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Task {
    /// Estimated length in seconds (0 without an estimate).
    pub weight: u64,
    /// Whether it applies in the mode planned for.
    pub applicable: bool,
    /// Index of its phase, if it has one.
    pub phase: Option<usize>,
    /// Indices of the tasks it names.
    pub needs: Vec<usize>,
    /// Indices of the phases it waits for as a whole (named, or by phase
    /// order).
    pub phases: Vec<usize>,
}

/// Earliest starts, waves and the critical path of a list of tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Earliest start of each task, in seconds; `None` for a task caught in
    /// a dependency cycle (a validated runbook has none).
    pub start: Vec<Option<u64>>,
    /// Earliest end of each task (`start` + its weight when applicable).
    pub end: Vec<Option<u64>>,
    /// Wave of each task, 0-based.
    pub wave: Vec<u32>,
    /// The critical path, first to last.
    pub path: Vec<usize>,
    /// Its length: the end of its last task.
    pub total: u64,
}

const NONE: u32 = u32::MAX;

/// Lays out `tasks`, whose `phase` and `phases` indices are below
/// `phase_count` (others are ignored, like names out of range).
pub fn schedule(tasks: &[Task], phase_count: usize) -> Schedule {
    let n = tasks.len();
    let nodes = n + phase_count;
    // Every edge once, then successor lists in one buffer (compressed rows).
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        edges.extend(t.needs.iter().map(|&j| (j, i)));
        edges.extend(t.phases.iter().map(|&p| (n + p, i)));
        edges.extend(t.phase.map(|p| (i, n + p)));
    }
    edges.retain(|&(from, to)| from != to && from < nodes && to < nodes);
    let mut offset = vec![0usize; nodes + 1];
    for &(from, _) in &edges {
        offset[from + 1] += 1;
    }
    for v in 0..nodes {
        offset[v + 1] += offset[v];
    }
    let mut fill = offset.clone();
    let mut succ = vec![0u32; edges.len()];
    let mut indegree = vec![0u32; nodes];
    for &(from, to) in &edges {
        succ[fill[from]] = to as u32;
        fill[from] += 1;
        indegree[to] += 1;
    }
    drop(edges);

    let weight = |v: usize| match tasks.get(v) {
        Some(t) if t.applicable => t.weight,
        _ => 0,
    };
    let hop = |v: usize| u32::from(tasks.get(v).is_some_and(|t| t.applicable));
    let mut start = vec![0u64; nodes];
    let mut wave = vec![0u32; nodes];
    // The best chain reaching each node: (end, tasks), and where from.
    let mut best: Vec<(u64, u32)> = vec![(0, 0); nodes];
    let mut from = vec![NONE; nodes];
    // The task that ends each node's best chain: itself for a task, the
    // one that completes a phase for a phase. Ties between prerequisites
    // go to the smaller key, so that naming a task and waiting for its
    // whole phase give the same path as either alone.
    let mut key: Vec<u32> = (0..nodes as u32)
        .map(|v| if (v as usize) < n { v } else { NONE })
        .collect();
    let mut done = vec![false; nodes];
    let mut queue: VecDeque<usize> = (0..nodes).filter(|&v| indegree[v] == 0).collect();
    while let Some(v) = queue.pop_front() {
        done[v] = true;
        if v >= n && from[v] != NONE {
            key[v] = key[from[v] as usize];
        }
        let end = start[v].saturating_add(weight(v));
        let chain = (end, best[v].1 + hop(v));
        for &t in &succ[offset[v]..offset[v + 1]] {
            let t = t as usize;
            start[t] = start[t].max(end);
            wave[t] = wave[t].max(wave[v] + hop(v));
            // The smaller key wins ties: independent of listing order.
            if chain > best[t]
                || chain == best[t] && (from[t] == NONE || key[v] < key[from[t] as usize])
            {
                best[t] = chain;
                from[t] = v as u32;
            }
            indegree[t] -= 1;
            if indegree[t] == 0 {
                queue.push_back(t);
            }
        }
    }

    let end_of = |i: usize| start[i].saturating_add(weight(i));
    let last = (0..n)
        .filter(|&i| done[i] && tasks[i].applicable)
        .max_by_key(|&i| (end_of(i), best[i].1, std::cmp::Reverse(i)));
    let mut path = Vec::new();
    let mut at = last.map_or(NONE, |i| i as u32);
    let mut steps_walked = 0usize;
    while at != NONE && steps_walked <= nodes {
        let v = at as usize;
        if v < n && tasks[v].applicable {
            path.push(v);
        }
        at = from[v];
        steps_walked += 1;
    }
    path.reverse();
    Schedule {
        start: (0..n).map(|i| done[i].then_some(start[i])).collect(),
        end: (0..n).map(|i| done[i].then(|| end_of(i))).collect(),
        wave: wave[..n].to_vec(),
        path,
        total: last.map_or(0, end_of),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(weight: u64, needs: &[usize]) -> Task {
        Task {
            weight,
            applicable: true,
            phase: None,
            needs: needs.to_vec(),
            phases: Vec::new(),
        }
    }

    #[test]
    fn the_path_is_the_longest_chain_and_ties_do_not_depend_on_listing_order() {
        // d needs b and c, both ending at 30: b (the first in file order)
        // is its predecessor whichever is listed first.
        for needs in [[1, 2], [2, 1]] {
            let tasks = [
                task(10, &[]),
                task(20, &[0]),
                task(20, &[0]),
                task(5, &needs),
            ];
            let s = schedule(&tasks, 0);
            assert_eq!(s.path, [0, 1, 3]);
            assert_eq!(s.total, 35);
            assert_eq!(s.start[3], Some(30));
            assert_eq!(s.wave, [0, 1, 1, 2]);
        }
    }

    #[test]
    fn a_phase_waited_for_releases_at_its_slowest_task() {
        // Phase 0 holds a fast and a slow task; task 2 waits for the phase.
        let mut tasks = vec![task(10, &[]), task(30, &[]), task(5, &[])];
        tasks[0].phase = Some(0);
        tasks[1].phase = Some(0);
        tasks[2].phase = Some(1);
        tasks[2].phases = vec![0];
        let s = schedule(&tasks, 2);
        assert_eq!(s.start[2], Some(30));
        assert_eq!(s.path, [1, 2]);
        assert_eq!(s.total, 35);
    }

    #[test]
    fn naming_a_task_of_a_phase_waited_for_changes_nothing() {
        // Phase 0: tasks 0 and 1 end together; task 2 waits for the phase
        // and, in the second case, also names task 1 (what `run_started`
        // lists for journals read by older versions).
        for needs in [vec![], vec![1]] {
            let mut tasks = vec![task(10, &[]), task(10, &[]), task(5, &needs)];
            tasks[0].phase = Some(0);
            tasks[1].phase = Some(0);
            tasks[2].phase = Some(1);
            tasks[2].phases = vec![0];
            assert_eq!(schedule(&tasks, 2).path, [0, 2], "needs {needs:?}");
        }
    }

    #[test]
    fn a_cycle_leaves_its_tasks_unscheduled_without_panicking() {
        let tasks = [task(1, &[1]), task(1, &[0]), task(2, &[7])];
        let s = schedule(&tasks, 0);
        assert_eq!(s.start, [None, None, Some(0)]);
        assert_eq!(s.path, [2]);
    }
}
