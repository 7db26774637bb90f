//! Compact runbooks for unit tests, so graph and plan tests do not depend
//! on the YAML parser.

use crate::runbook::{
    Command, Duration, Located, Objectives, Phase, PhaseId, Runbook, Span, Step, StepId, StepIndex,
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
