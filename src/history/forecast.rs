//! `reprise plan --history`: the runbook's estimates against what past
//! drills really took, and the time to recovery forecast three ways.
//!
//! Each step's measurements (see [`super`] for what is measured) give a
//! median and a 90th percentile ([`super::stats`]). The critical path is
//! then computed by the plan's own rules three times: with the written
//! estimates, with every measured step at its median, and at its 90th
//! percentile; a step with no history keeps its estimate in all three.
//! Steps are matched by id: history of a step the runbook no longer has is
//! not used.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use jiff::Timestamp;

use super::stats::{Summary, secs};
use super::{Drill, Loaded};
use crate::graph::Graph;
use crate::plan::{self, CriticalPath, Margin};
use crate::runbook::{Duration, Mode, Runbook, StepIndex};

/// One step's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepHistory {
    /// The step.
    pub index: StepIndex,
    /// Its written estimate.
    pub estimate: Option<Duration>,
    /// Its measurements, when any drill measured it.
    pub measured: Option<Summary>,
    /// Whether it applies in the mode planned.
    pub applicable: bool,
}

impl StepHistory {
    /// How far the estimate is from the 90th percentile, in percent of the
    /// estimate (positive: the step takes longer than written). `None`
    /// without an estimate (or a zero one) or without history.
    pub fn off_by_percent(&self) -> Option<i64> {
        let est = self.estimate?.as_secs();
        let p90 = self.measured?.p90.as_millis() as i64;
        (est > 0).then(|| {
            let est = est as i64 * 1000;
            ((p90 - est) as f64 * 100.0 / est as f64).round() as i64
        })
    }
}

/// A time to recovery computed one way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Way {
    /// "by the estimates", "at the median", "at the 90th percentile".
    pub label: &'static str,
    /// Short key for JSON: `estimates`, `median`, `p90`.
    pub key: &'static str,
    /// The critical path computed that way.
    pub path: CriticalPath,
}

/// One service of `objectives.services`: when it is back, computed the
/// three ways, against its own RTO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceWays<'a> {
    /// The service as the runbook declares it.
    pub service: &'a crate::runbook::Service,
    /// When it is back by the estimates, at the median, at the 90th
    /// percentile (the order of [`Forecast::ways`]); `None` when no
    /// applicable step restores it.
    pub at: [Option<Duration>; 3],
}

impl ServiceWays<'_> {
    /// Its RTO.
    pub fn rto(&self) -> Option<Duration> {
        self.service.rto.map(|r| r.value)
    }

    /// "RTO 4h holds (1h margin at p90)", "RTO 4h at risk (p90 exceeds it
    /// by 20m)", "no RTO set", or "restored by no step in this mode".
    pub fn verdict(&self) -> String {
        let [_, Some(median), Some(p90)] = self.at else {
            return "restored by no step in this mode".into();
        };
        match self.rto() {
            Some(rto) => rto_words(rto, margin(median, rto), margin(p90, rto)),
            None => "no RTO set".into(),
        }
    }
}

/// How `at` compares with `rto`.
fn margin(at: Duration, rto: Duration) -> Margin {
    if at > rto {
        Margin::Exceeds(Duration(at.0 - rto.0))
    } else {
        Margin::Within(Duration(rto.0 - at.0))
    }
}

/// What the median and the p90 say of an RTO: it holds, is at risk, or
/// is out of reach.
fn rto_words(rto: Duration, median: Margin, p90: Margin) -> String {
    match (median, p90) {
        (_, Margin::Within(m)) => format!("RTO {rto} holds ({m} margin at p90)"),
        (Margin::Within(_), Margin::Exceeds(by)) => {
            format!("RTO {rto} at risk (p90 exceeds it by {by})")
        }
        (Margin::Exceeds(by), _) => {
            format!("RTO {rto} out of reach (the median exceeds it by {by})")
        }
    }
}

/// The forecast of a runbook from its history.
#[derive(Debug, Clone)]
pub struct Forecast<'a> {
    /// The runbook.
    pub runbook: &'a Runbook,
    /// The mode planned for.
    pub mode: Mode,
    /// How many drills were used.
    pub drills: usize,
    /// When the first and the last of them started.
    pub period: Option<(Timestamp, Timestamp)>,
    /// How many of them ran another version of the runbook (another
    /// SHA-256; see [`Forecast::with_runbook_sha256`]).
    pub other_versions: usize,
    /// Every step, in file order.
    pub steps: Vec<StepHistory>,
    /// Applicable steps without any history (they keep their estimate).
    pub without_history: usize,
    /// By the estimates, at the median, at the 90th percentile.
    pub ways: [Way; 3],
    /// Steps added in several past drills: candidates for the runbook.
    pub candidates: Vec<super::candidates::Candidate>,
    /// Each service of `objectives.services`, in file order, the same
    /// three ways.
    pub services: Vec<ServiceWays<'a>>,
}

impl<'a> Forecast<'a> {
    /// The forecast of `runbook` in `mode` from `loaded`'s drills.
    pub fn new(runbook: &'a Runbook, graph: &Graph, mode: Mode, loaded: &Loaded) -> Self {
        let n = runbook.steps.len();
        let index: HashMap<&str, usize> = runbook
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.value.as_str(), i))
            .collect();
        let mut samples: Vec<Vec<StdDuration>> = vec![Vec::new(); n];
        for d in &loaded.drills {
            collect(d, &index, &mut samples);
        }
        let steps: Vec<StepHistory> = runbook
            .steps
            .iter()
            .zip(samples.iter_mut())
            .enumerate()
            .map(|(i, (s, v))| StepHistory {
                index: StepIndex(i as u32),
                estimate: s.estimate.map(|e| e.value),
                measured: Summary::of(v),
                applicable: s.applies_in(mode),
            })
            .collect();
        let keep = |s: &StepHistory| s.estimate.map_or(0, Duration::as_secs);
        let median: Vec<u64> = steps
            .iter()
            .map(|s| s.measured.map_or_else(|| keep(s), |m| secs(m.median)))
            .collect();
        let p90: Vec<u64> = steps
            .iter()
            .map(|s| s.measured.map_or_else(|| keep(s), |m| secs(m.p90)))
            .collect();
        let ways = [
            Way {
                label: "by the estimates",
                key: "estimates",
                path: plan::critical_path(runbook, graph, mode),
            },
            Way {
                label: "at the median",
                key: "median",
                path: plan::critical_path_with(runbook, graph, mode, &median),
            },
            Way {
                label: "at the 90th percentile",
                key: "p90",
                path: plan::critical_path_with(runbook, graph, mode, &p90),
            },
        ];
        let ends = [None, Some(median.as_slice()), Some(p90.as_slice())]
            .map(|secs| plan::service_ends(runbook, graph, mode, secs));
        let services = runbook
            .objectives
            .services
            .iter()
            .enumerate()
            .map(|(k, service)| ServiceWays {
                service,
                at: [ends[0][k], ends[1][k], ends[2][k]],
            })
            .collect();
        let period = loaded
            .drills
            .first()
            .zip(loaded.drills.last())
            .map(|(a, b)| (a.started, b.started));
        Forecast {
            runbook,
            mode,
            drills: loaded.drills.len(),
            period,
            other_versions: 0,
            without_history: steps
                .iter()
                .filter(|s| s.applicable && s.measured.is_none())
                .count(),
            steps,
            ways,
            candidates: super::candidates::candidates(runbook, &loaded.drills),
            services,
        }
    }

    /// Counts the drills that ran a runbook whose SHA-256 is not `sha256`
    /// (the runbook forecast): their steps are still matched by id.
    pub fn with_runbook_sha256(mut self, sha256: &str, loaded: &Loaded) -> Self {
        self.other_versions = loaded
            .drills
            .iter()
            .filter(|d| d.runbook_sha256 != sha256)
            .count();
        self
    }

    /// The RTO, if the runbook sets one.
    pub fn rto(&self) -> Option<Duration> {
        self.runbook.objectives.rto.map(|r| r.value)
    }

    /// The one-line verdict: "written plan 4h; past drills say 6h12m at
    /// p90: RTO 6h at risk".
    pub fn verdict(&self) -> String {
        let [est, median, p90] = &self.ways;
        let mut s = format!(
            "written plan {}; past drills say {} at the median, {} at p90",
            est.path.total, median.path.total, p90.path.total
        );
        if let Some(rto) = self.rto() {
            s.push_str(": ");
            s.push_str(&rto_words(
                rto,
                median.path.margin(rto),
                p90.path.margin(rto),
            ));
        } else {
            s.push_str(" (no RTO set)");
        }
        s
    }
}

/// Adds `drill`'s measurements to `samples` (indexed like the runbook).
fn collect(drill: &Drill, index: &HashMap<&str, usize>, samples: &mut [Vec<StdDuration>]) {
    for s in &drill.steps {
        if let (Some(actual), Some(&i)) = (s.actual, index.get(s.planned.id.as_str())) {
            samples[i].push(actual);
        }
    }
}

/// Step ids of a path, shortened when long: `a → b → … (12 more) … → y → z`.
pub fn path_names(runbook: &Runbook, path: &CriticalPath) -> String {
    let names: Vec<&str> = path
        .steps
        .iter()
        .map(|&s| runbook.step(s).id.value.as_str())
        .collect();
    if names.len() <= 8 {
        names.join(" → ")
    } else {
        format!(
            "{} → … ({} more) … → {}",
            names[..3].join(" → "),
            names.len() - 6,
            names[names.len() - 3..].join(" → ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::runbook;

    #[test]
    fn off_by_is_relative_to_the_estimate() {
        let h = StepHistory {
            index: StepIndex(0),
            estimate: Some(Duration::from_secs(600)),
            measured: Some(Summary {
                count: 3,
                median: StdDuration::from_secs(700),
                p90: StdDuration::from_secs(900),
                min: StdDuration::from_secs(600),
                max: StdDuration::from_secs(950),
            }),
            applicable: true,
        };
        assert_eq!(h.off_by_percent(), Some(50));
        let none = StepHistory {
            estimate: None,
            ..h.clone()
        };
        assert_eq!(none.off_by_percent(), None);
        let rb = runbook(&[("main", None, &[("a", &[], Some("1m"))])]);
        assert_eq!(
            path_names(
                &rb,
                &CriticalPath {
                    steps: vec![StepIndex(0)],
                    ..Default::default()
                }
            ),
            "a"
        );
    }
}
