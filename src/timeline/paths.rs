//! The planned schedule and the critical paths, planned and actual, through
//! [`schedule`](crate::schedule).

use super::{
    HashMap, Mode, Path, PlannedStep, Reverse, StdDuration, Task, Timeline, Timestamp, schedule,
    span,
};

impl Timeline {
    /// Whether the step counts in this drill's plan: steps restricted to the
    /// other mode take no time.
    pub(super) fn applies(&self, s: &PlannedStep) -> bool {
        let mode = self.header.as_ref().map_or(Mode::Drill, |h| h.mode);
        s.only.is_none_or(|m| m == mode)
    }

    /// The recorded plan as [`Task`]s for [`schedule`], and the number of
    /// phases: a step's prerequisites are its `needs` and every step of
    /// its `needs_phases` (a journal from before `needs_phases` names, in
    /// `needs`, the step of each such phase planned to finish last).
    pub(super) fn tasks(&self) -> (Vec<Task>, usize) {
        let mut phases: HashMap<&str, usize> = HashMap::new();
        if let Some(h) = &self.header {
            for p in &h.phases {
                let k = phases.len();
                phases.entry(p.id.as_str()).or_insert(k);
            }
        }
        let mut tasks = Vec::with_capacity(self.steps.len());
        for s in &self.steps {
            let p = &s.planned;
            let k = phases.len();
            let phase = *phases.entry(p.phase.as_str()).or_insert(k);
            tasks.push(Task {
                weight: if self.applies(p) {
                    p.estimate.map_or(0, |e| e.as_secs())
                } else {
                    0
                },
                applicable: self.applies(p),
                phase: Some(phase),
                needs: p
                    .needs
                    .iter()
                    .filter_map(|n| self.index.get(n).copied())
                    .collect(),
                phases: p
                    .needs_phases
                    .iter()
                    .filter_map(|n| phases.get(n.as_str()).copied())
                    .collect(),
            });
        }
        let count = phases.len();
        (tasks, count)
    }

    /// Planned earliest start and finish of every step (offsets from the
    /// start of the drill, by estimates; a step without estimate takes no
    /// time), in file order. `None` for steps caught in a dependency cycle,
    /// which a validated plan never has.
    pub fn planned_schedule(&self) -> Vec<Option<(StdDuration, StdDuration)>> {
        let (tasks, phases) = self.tasks();
        let s = schedule(&tasks, phases);
        s.start
            .iter()
            .zip(&s.end)
            .map(|(st, en)| {
                Some((
                    StdDuration::from_secs((*st)?),
                    StdDuration::from_secs((*en)?),
                ))
            })
            .collect()
    }

    /// The planned critical path: the longest chain of estimates through
    /// the prerequisites, computed by [`schedule`] like `reprise plan`'s.
    pub fn planned_critical_path(&self) -> Path {
        let (tasks, phases) = self.tasks();
        let s = schedule(&tasks, phases);
        Path {
            steps: s
                .path
                .into_iter()
                .map(|i| self.steps[i].planned.id.clone())
                .collect(),
            length: StdDuration::from_secs(s.total),
        }
    }

    /// The actual critical path: the chain of steps that really determined
    /// when the recovery ended. From the step whose outcome came last, walk
    /// back through the prerequisite that released it: the one whose
    /// outcome came last before it became ready (the first in file order
    /// on ties), among the steps it names and every step of the phases it
    /// waits for.
    pub fn actual_critical_path(&self) -> Path {
        let Some(h) = &self.header else {
            return Path::default();
        };
        let last = self
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.finished.map(|f| (f, i)))
            // Latest outcome; the first in file order on ties.
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let Some((end, mut cur)) = last else {
            return Path::default();
        };
        let (tasks, phase_count) = self.tasks();
        // Each phase's finished steps by outcome time, the first in file
        // order last among equal times: the release of a phase is found by
        // a binary search, not a scan.
        let mut by_phase: Vec<Vec<(Timestamp, Reverse<usize>)>> = vec![Vec::new(); phase_count];
        for (i, t) in tasks.iter().enumerate() {
            if let (Some(p), Some(f)) = (t.phase, self.steps[i].finished) {
                by_phase[p].push((f, Reverse(i)));
            }
        }
        by_phase.iter_mut().for_each(|v| v.sort_unstable());
        let mut chain = vec![cur];
        let mut on_chain = vec![false; self.steps.len()];
        on_chain[cur] = true;
        loop {
            let s = &self.steps[cur];
            let limit = s.began().or(s.finished);
            let fits = |f: Timestamp| limit.is_none_or(|l| f <= l);
            let named = tasks[cur]
                .needs
                .iter()
                .filter_map(|&j| self.steps[j].finished.map(|f| (f, Reverse(j))));
            let phases = tasks[cur].phases.iter().filter_map(|&p| {
                let v = &by_phase[p];
                let k = v.partition_point(|x| fits(x.0));
                k.checked_sub(1).map(|k| v[k])
            });
            let prev = named.chain(phases).filter(|x| fits(x.0)).max();
            match prev {
                Some((_, Reverse(j))) if !on_chain[j] => {
                    on_chain[j] = true;
                    chain.push(j);
                    cur = j;
                }
                _ => break,
            }
        }
        chain.reverse();
        Path {
            steps: chain
                .into_iter()
                .map(|i| self.steps[i].planned.id.clone())
                .collect(),
            length: span(h.started, end),
        }
    }
}
