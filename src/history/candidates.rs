//! Steps added during past drills (`step_added`, issue 25) that come back
//! drill after drill: candidates for the runbook, the unplanned work the
//! next version of the plan should absorb.
//!
//! Added steps are matched across drills by title (case, spacing and end
//! punctuation aside: their ids, `added-N`, only number them within one
//! drill). A title added in at least [`MIN_DRILLS`] drills, and that the
//! runbook does not have as a step already, is a candidate; `plan
//! --history` shows each with where it was placed, who did it, what it
//! took, why it was added, and the runbook lines to paste.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration as StdDuration;

use super::Drill;
use super::stats::Summary;
use crate::event::Event;
use crate::runbook::{Runbook, StepId};
use crate::timeline::Timeline;

/// Added in this many drills at least to be a candidate.
pub const MIN_DRILLS: usize = 2;

/// One step added during one drill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// Its title, as typed.
    pub title: String,
    /// Who did it.
    pub role: Option<String>,
    /// Its command, for a command step.
    pub run: Option<String>,
    /// Steps it came after.
    pub after: Vec<StepId>,
    /// Steps that waited for it.
    pub before: Vec<StepId>,
    /// Why it was added.
    pub reason: String,
    /// What it took, when it ended done (as for planned steps).
    pub actual: Option<StdDuration>,
}

impl Added {
    /// The steps added during the drill `t` folded.
    pub fn of(t: &Timeline) -> Vec<Added> {
        t.added
            .iter()
            .filter_map(|e| match e {
                Event::StepAdded {
                    step,
                    added,
                    reason,
                    ..
                } => Some(Added {
                    title: added.title.clone(),
                    role: added.role.clone(),
                    run: added.run.clone(),
                    after: added.after.clone(),
                    before: added.before.clone(),
                    reason: reason.clone(),
                    actual: t.step(step.as_str()).and_then(super::actual_time),
                }),
                _ => None,
            })
            .collect()
    }
}

/// A step added in several drills, proposed for the runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Its title (as last typed).
    pub title: String,
    /// An id for it, free in the runbook.
    pub id: String,
    /// In how many drills it was added.
    pub drills: usize,
    /// Its role, the one given most often.
    pub role: Option<String>,
    /// Its command, the last one typed (a command step).
    pub run: Option<String>,
    /// The runbook's steps it came after, in most of the drills that added it.
    pub after: Vec<StepId>,
    /// The runbook's steps that waited for it, in most of those drills.
    pub before: Vec<StepId>,
    /// What it took.
    pub measured: Option<Summary>,
    /// Why it was added, each reason once, in order.
    pub reasons: Vec<String>,
}

/// The candidates of `drills` for `runbook`, the most frequent first.
pub fn candidates(runbook: &Runbook, drills: &[Drill]) -> Vec<Candidate> {
    let planned: HashSet<String> = runbook.steps.iter().map(|s| key(&s.title)).collect();
    let ids: HashSet<&str> = runbook.steps.iter().map(|s| s.id.as_str()).collect();
    // Title key → (drill positions, the additions), in first-seen order.
    let mut groups: BTreeMap<String, (Vec<usize>, Vec<&Added>)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for (d, drill) in drills.iter().enumerate() {
        for a in &drill.added {
            let k = key(&a.title);
            if k.is_empty() || planned.contains(&k) {
                continue;
            }
            let g = groups.entry(k.clone()).or_insert_with(|| {
                order.push(k.clone());
                (Vec::new(), Vec::new())
            });
            if !g.0.contains(&d) {
                g.0.push(d);
            }
            g.1.push(a);
        }
    }
    let mut taken: HashSet<String> = ids.iter().map(|s| s.to_string()).collect();
    let mut out: Vec<Candidate> = Vec::new();
    for k in order {
        let (in_drills, adds) = &groups[&k];
        if in_drills.len() < MIN_DRILLS {
            continue;
        }
        let last = adds.last().expect("a group has an addition");
        let mut samples: Vec<StdDuration> = adds.iter().filter_map(|a| a.actual).collect();
        let mut reasons: Vec<String> = Vec::new();
        for a in adds {
            if !reasons.contains(&a.reason) {
                reasons.push(a.reason.clone());
            }
        }
        let usual = |pick: &dyn Fn(&Added) -> &[StepId]| -> Vec<StepId> {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for a in adds {
                for s in pick(a).iter().filter(|s| ids.contains(s.as_str())) {
                    *count.entry(s.as_str()).or_default() += 1;
                }
            }
            // In more than half of the additions: where it belongs.
            count
                .into_iter()
                .filter(|(_, n)| n * 2 > adds.len())
                .map(|(s, _)| StepId::new(s))
                .collect()
        };
        let id = free_id(&slug(&last.title), &taken);
        taken.insert(id.clone());
        out.push(Candidate {
            title: last.title.clone(),
            id,
            drills: in_drills.len(),
            role: most_common(adds.iter().filter_map(|a| a.role.as_deref())),
            run: adds.iter().rev().find_map(|a| a.run.clone()),
            after: usual(&|a| &a.after),
            before: usual(&|a| &a.before),
            measured: Summary::of(&mut samples),
            reasons,
        });
    }
    // Stable: equally frequent candidates stay in the order first seen.
    out.sort_by_key(|c| std::cmp::Reverse(c.drills));
    out
}

/// What matches titles across drills: lowercase, single spaces, no end
/// punctuation.
fn key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(['.', '!', ';', ':', ','])
        .to_string()
}

/// `Restore vol7 from tape` → `restore-vol7-from-tape`, a valid step id.
fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
        if s.len() >= 48 {
            break;
        }
    }
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "added-step".into() } else { s }
}

fn free_id(base: &str, taken: &HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while taken.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

fn most_common<'a>(items: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut count: Vec<(&str, usize)> = Vec::new();
    for i in items {
        match count.iter_mut().find(|(s, _)| *s == i) {
            Some((_, n)) => *n += 1,
            None => count.push((i, 1)),
        }
    }
    // The first of the most frequent: ties go to the one seen first.
    let best = count.iter().map(|(_, n)| *n).max()?;
    count
        .into_iter()
        .find(|(_, n)| *n == best)
        .map(|(s, _)| s.to_string())
}

impl Candidate {
    /// The runbook lines for it: a step to paste into `steps:`, and the
    /// `needs` to add to the steps that waited for it.
    pub fn yaml(&self) -> Vec<String> {
        // A JSON string is a YAML double-quoted scalar: any title is safe.
        let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut out = vec![
            format!("- id: {}", self.id),
            format!("  title: {}", quote(&self.title)),
        ];
        if let Some(r) = &self.role {
            out.push(format!("  role: {}", quote(r)));
        }
        if let Some(run) = &self.run {
            out.push(format!("  run: {}", quote(run)));
            out.push("  confirm: true".into());
        }
        if let Some(m) = self.measured {
            out.push(format!("  estimate: {}", super::suggest::round_up(m.p90)));
        }
        if !self.after.is_empty() {
            let ids: Vec<&str> = self.after.iter().map(StepId::as_str).collect();
            out.push(format!("  needs: [{}]", ids.join(", ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_match_across_drills_and_make_ids() {
        assert_eq!(key("  Restore  vol7 from TAPE. "), "restore vol7 from tape");
        assert_eq!(slug("Restore vol7 (from tape)!"), "restore-vol7-from-tape");
        assert_eq!(slug("¿¡"), "added-step");
        let taken: HashSet<String> = ["call".to_string(), "call-2".to_string()].into();
        assert_eq!(free_id("call", &taken), "call-3");
        assert_eq!(
            most_common(["a", "b", "b", "a", "c"].into_iter()),
            Some("a".into())
        );
    }
}
