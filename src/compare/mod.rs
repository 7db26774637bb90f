//! `reprise compare`: drills of one plan side by side, oldest first.
//!
//! [`Comparison::build`] turns the drills read by [`crate::history::load`]
//! into one model; the formats render that same model: plain text
//! ([`text`]), Markdown ([`markdown`]), one self-contained HTML page with
//! SVG charts ([`html`]) and JSON (the model itself, described in
//! `docs/history.md`).
//!
//! What it says, drill after drill: when it ran, how it ended, the time to
//! recovery against the RTO and the margin; whether the runbook changed
//! (its SHA-256) and which steps were added, removed or changed in the plan
//! recorded; each step's actual time (see [`crate::history`]) with its
//! trend; where the time went; and the deviations (failed, skipped,
//! aborted, retried steps), with the steps that deviate in several drills.

use std::collections::{HashMap, HashSet};
use std::time::Duration as StdDuration;

use serde::Serialize;

use crate::event::{PlannedStep, RunResult};
use crate::history::{Deviation, Drill};
use crate::report::{Time, Zone};
use crate::runbook::Mode;

pub mod html;
pub mod markdown;
mod svg;
pub mod table;
pub mod text;
mod words;

pub use words::Words;

/// Version of the JSON layout; bumped when a field changes meaning or
/// disappears (adding fields does not bump it).
pub const FORMAT_VERSION: u32 = 1;

/// A measured step's trend is "steady" within this many percent.
pub const STEADY_PERCENT: f64 = 10.0;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned plain text.
    #[default]
    Text,
    /// Markdown tables.
    Markdown,
    /// One self-contained HTML page with SVG charts.
    Html,
    /// The model as JSON.
    Json,
}

/// Renders a comparison.
pub fn render(c: &Comparison, format: Format) -> String {
    match format {
        Format::Text => text::render(c),
        Format::Markdown => markdown::render(c),
        Format::Html => html::render(c),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(c).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

/// Drills of one plan, compared.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// See [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The plan's name.
    pub name: String,
    /// The time zone local times are shown in.
    pub time_zone: String,
    /// The drills, oldest first.
    pub drills: Vec<DrillFacts>,
    /// Each change of the runbook between two consecutive drills.
    pub changes: Vec<RunbookChange>,
    /// Every step of any drill: the newest plan's order, then steps
    /// that only older drills had.
    pub steps: Vec<StepRow>,
    /// Every service of any drill's plan (`objectives.services`): the
    /// newest plan's order, then services only older drills had.
    pub services: Vec<ServiceRow>,
    /// Steps that deviated in two drills or more.
    pub repeated_deviations: Vec<Repeated>,
    /// Journals skipped or partly read, one sentence each.
    pub warnings: Vec<String>,
    /// The language the text, Markdown and HTML forms speak (not in the
    /// JSON, whose keys and values are the same in every language).
    #[serde(skip)]
    pub words: Words,
}

/// One drill's facts.
#[derive(Debug, Clone, Serialize)]
pub struct DrillFacts {
    /// 1-based, in date order: `#1`, `#2`…
    pub number: usize,
    /// The journal, as given.
    pub journal: String,
    /// When it started.
    pub started: Time,
    /// Drill or incident.
    pub mode: Mode,
    /// How it ended; `null` when the journal stops early.
    pub result: Option<RunResult>,
    /// SHA-256 of the runbook it ran.
    pub runbook_sha256: String,
    /// The RTO recorded, in seconds.
    pub rto_secs: Option<u64>,
    /// From the start to the last step outcome, when it recovered or
    /// ended degraded.
    pub time_to_recovery_secs: Option<f64>,
    /// RTO minus time to recovery (negative: missed by that much).
    pub rto_margin_secs: Option<f64>,
    /// Where the time went, summed over the steps.
    pub split: Split,
    /// Its deviations, in plan order.
    pub deviations: Vec<DeviationRow>,
}

/// Where the time went, in seconds, summed over the steps.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Split {
    /// Commands running.
    pub running_secs: f64,
    /// Waiting for the operator.
    pub operator_secs: f64,
    /// Waiting for dependencies.
    pub dependencies_secs: f64,
    /// Anything else: pauses between retries, waiting for a job slot.
    pub other_secs: f64,
    /// Waits while the drill was held (`hold` … `release`), taken out of
    /// the other waits: nobody was expected to act.
    pub held_secs: f64,
}

/// A step that deviated in one drill.
#[derive(Debug, Clone, Serialize)]
pub struct DeviationRow {
    /// The step.
    pub step: String,
    /// `failed`, `skipped`, `aborted` or `retried`.
    pub kind: &'static str,
    /// Attempts made.
    pub attempts: u32,
    /// Why, when recorded.
    pub reason: Option<String>,
}

/// The runbook changed between two consecutive drills.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookChange {
    /// The drill before (`#n`).
    pub before: usize,
    /// The drill after.
    pub after: usize,
    /// SHA-256 before.
    pub sha256_before: String,
    /// SHA-256 after.
    pub sha256_after: String,
    /// Steps the later drill planned and the earlier did not.
    pub added: Vec<String>,
    /// Steps the earlier drill planned and the later did not.
    pub removed: Vec<String>,
    /// Steps in both whose recorded plan differs.
    pub changed: Vec<StepChange>,
}

/// How one step's recorded plan changed.
#[derive(Debug, Clone, Serialize)]
pub struct StepChange {
    /// The step.
    pub step: String,
    /// What changed: `estimate 4m → 20m`, `title`, `needs`…
    pub what: Vec<String>,
}

/// One step across the drills.
#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    /// Step id.
    pub id: String,
    /// Its title in the newest drill that planned it.
    pub title: String,
    /// Its estimate in the newest drill that planned it, in seconds.
    pub estimate_secs: Option<u64>,
    /// Per drill: its actual time in seconds (`null`: not measured).
    pub actual_secs: Vec<Option<f64>>,
    /// Per drill: its outcome (`null`: not planned in that drill, or no
    /// outcome recorded).
    pub outcome: Vec<Option<String>>,
    /// Per drill: whether that drill planned it.
    pub planned: Vec<bool>,
    /// Its trend, with two measurements or more.
    pub trend: Option<Trend>,
}

/// One service across the drills.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    /// Its name.
    pub name: String,
    /// Per drill: whether that drill's plan had it.
    pub planned: Vec<bool>,
    /// Per drill: whether it was restored.
    pub restored: Vec<bool>,
    /// Per drill: its RTO, in seconds.
    pub rto_secs: Vec<Option<u64>>,
    /// Per drill: from the start to its restoration, in seconds.
    pub time_to_recovery_secs: Vec<Option<f64>>,
    /// Per drill: RTO minus time to recovery (negative: missed by that
    /// much).
    pub rto_margin_secs: Vec<Option<f64>>,
    /// Per drill: its RPO, in seconds.
    pub rpo_secs: Vec<Option<u64>>,
    /// Per drill: data lost (from its earliest restore point to the
    /// start), when a restore point was recorded.
    pub data_loss_secs: Vec<Option<f64>>,
    /// The trend of its time to recovery, with two measurements or more.
    pub trend: Option<Trend>,
}

/// Every service of `drills`, newest plan's order first.
fn service_rows(drills: &[Drill]) -> Vec<ServiceRow> {
    let n = drills.len();
    let mut rows: Vec<ServiceRow> = Vec::new();
    for d in drills.iter().rev() {
        for s in &d.services {
            if !rows.iter().any(|r| r.name == s.name) {
                rows.push(ServiceRow {
                    name: s.name.clone(),
                    planned: vec![false; n],
                    restored: vec![false; n],
                    rto_secs: vec![None; n],
                    time_to_recovery_secs: vec![None; n],
                    rto_margin_secs: vec![None; n],
                    rpo_secs: vec![None; n],
                    data_loss_secs: vec![None; n],
                    trend: None,
                });
            }
        }
    }
    for (k, d) in drills.iter().enumerate() {
        for s in &d.services {
            let Some(row) = rows.iter_mut().find(|r| r.name == s.name) else {
                continue;
            };
            let ttr = s.time_to_recovery.map(secs);
            let rto = s.rto.map(|r| r.as_secs());
            row.planned[k] = true;
            row.restored[k] = s.restored;
            row.rto_secs[k] = rto;
            row.time_to_recovery_secs[k] = ttr;
            row.rto_margin_secs[k] = rto.zip(ttr).map(|(r, t)| r as f64 - t);
            row.rpo_secs[k] = s.rpo.map(|r| r.as_secs());
            row.data_loss_secs[k] = s.data_loss.map(secs);
        }
    }
    for row in &mut rows {
        let measured: Vec<f64> = row
            .time_to_recovery_secs
            .iter()
            .flatten()
            .copied()
            .collect();
        row.trend = Trend::of(&measured);
    }
    rows
}

/// The last measurement against the mean of the earlier ones.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trend {
    /// `faster`, `slower` or `steady` (within [`STEADY_PERCENT`]).
    pub direction: &'static str,
    /// Change in percent (negative: faster).
    pub change_percent: f64,
}

impl Trend {
    /// The trend of measurements in date order; `None` with fewer than two.
    pub fn of(measured: &[f64]) -> Option<Trend> {
        let (last, earlier) = measured.split_last()?;
        if earlier.is_empty() {
            return None;
        }
        let mean = earlier.iter().sum::<f64>() / earlier.len() as f64;
        let change = if mean > 0.0 {
            (last - mean) * 100.0 / mean
        } else if *last > 0.0 {
            100.0
        } else {
            0.0
        };
        let change = (change * 10.0).round() / 10.0;
        let direction = if change.abs() <= STEADY_PERCENT {
            "steady"
        } else if change < 0.0 {
            "faster"
        } else {
            "slower"
        };
        Some(Trend {
            direction,
            change_percent: change,
        })
    }
}

/// A step that deviated in several drills.
#[derive(Debug, Clone, Serialize)]
pub struct Repeated {
    /// The step.
    pub step: String,
    /// `(drill number, what happened)`, in date order.
    pub drills: Vec<(usize, String)>,
}

fn secs(d: StdDuration) -> f64 {
    d.as_millis() as f64 / 1000.0
}

fn deviation_row(s: &crate::history::StepRun, d: Deviation) -> DeviationRow {
    DeviationRow {
        step: s.planned.id.to_string(),
        kind: match d {
            Deviation::Failed => "failed",
            Deviation::Skipped => "skipped",
            Deviation::Aborted => "aborted",
            Deviation::Retried(_) => "retried",
        },
        attempts: s.attempts,
        reason: s.reason.clone(),
    }
}

/// What changed in one step's recorded plan.
fn step_change(a: &PlannedStep, b: &PlannedStep) -> Vec<String> {
    let mut what = Vec::new();
    if a.estimate != b.estimate {
        let show = |e: Option<crate::runbook::Duration>| e.map_or("none".into(), |e| e.to_string());
        what.push(format!(
            "estimate {} → {}",
            show(a.estimate),
            show(b.estimate)
        ));
    }
    if a.kind != b.kind {
        what.push(format!("kind {} → {}", a.kind, b.kind));
    }
    if a.title != b.title {
        what.push("title".into());
    }
    if a.needs != b.needs {
        what.push("needs".into());
    }
    if a.role != b.role {
        what.push("role".into());
    }
    if a.critical != b.critical {
        what.push(format!("critical {} → {}", a.critical, b.critical));
    }
    if a.only != b.only {
        what.push("only".into());
    }
    if a.hosts != b.hosts {
        what.push("hosts".into());
    }
    if a.phase != b.phase {
        what.push("phase".into());
    }
    what
}

fn runbook_change(n: usize, a: &Drill, b: &Drill) -> RunbookChange {
    let before: HashMap<&str, &PlannedStep> = a
        .steps
        .iter()
        .map(|s| (s.planned.id.as_str(), &*s.planned))
        .collect();
    let after: HashSet<&str> = b.steps.iter().map(|s| s.planned.id.as_str()).collect();
    let mut change = RunbookChange {
        before: n,
        after: n + 1,
        sha256_before: a.runbook_sha256.clone(),
        sha256_after: b.runbook_sha256.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for s in &b.steps {
        match before.get(s.planned.id.as_str()) {
            None => change.added.push(s.planned.id.to_string()),
            Some(old) => {
                let what = step_change(old, &s.planned);
                if !what.is_empty() {
                    change.changed.push(StepChange {
                        step: s.planned.id.to_string(),
                        what,
                    });
                }
            }
        }
    }
    change.removed = a
        .steps
        .iter()
        .filter(|s| !after.contains(s.planned.id.as_str()))
        .map(|s| s.planned.id.to_string())
        .collect();
    change
}

impl Comparison {
    /// Compares `drills` (oldest first, one plan) with local times in
    /// `zone`; `warnings` are carried into the output.
    pub fn build(drills: &[Drill], zone: &Zone, warnings: Vec<String>) -> Comparison {
        let name = drills.last().map(|d| d.name.clone()).unwrap_or_default();
        let n = drills.len();
        // Rows: the newest plan's order, then older steps as first seen
        // going back in time.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut steps: Vec<StepRow> = Vec::new();
        for d in drills.iter().rev() {
            for s in &d.steps {
                let id = s.planned.id.as_str();
                if !index.contains_key(id) {
                    index.insert(id.to_string(), steps.len());
                    steps.push(StepRow {
                        id: id.to_string(),
                        title: s.planned.title.clone(),
                        estimate_secs: s.planned.estimate.map(|e| e.as_secs()),
                        actual_secs: vec![None; n],
                        outcome: vec![None; n],
                        planned: vec![false; n],
                        trend: None,
                    });
                }
            }
        }
        let mut facts = Vec::with_capacity(n);
        let mut deviating: HashMap<String, Vec<(usize, String)>> = HashMap::new();
        for (k, d) in drills.iter().enumerate() {
            let mut deviations = Vec::new();
            for s in &d.steps {
                let row = &mut steps[index[s.planned.id.as_str()]];
                row.planned[k] = true;
                row.actual_secs[k] = s.actual.map(secs);
                row.outcome[k] = s.outcome.map(|o| o.to_string());
                if let Some(dev) = s.deviation() {
                    deviating
                        .entry(s.planned.id.to_string())
                        .or_default()
                        .push((k + 1, dev.to_string()));
                    deviations.push(deviation_row(s, dev));
                }
            }
            let ttr = d.time_to_recovery.map(secs);
            let rto = d.rto.map(|r| r.as_secs());
            facts.push(DrillFacts {
                number: k + 1,
                journal: d.path.display().to_string(),
                started: zone.time(d.started),
                mode: d.mode,
                result: d.result,
                runbook_sha256: d.runbook_sha256.clone(),
                rto_secs: rto,
                time_to_recovery_secs: ttr,
                rto_margin_secs: rto.zip(ttr).map(|(r, t)| r as f64 - t),
                split: Split {
                    running_secs: secs(d.split.running),
                    operator_secs: secs(d.split.operator),
                    dependencies_secs: secs(d.split.dependencies),
                    other_secs: secs(d.split.other),
                    held_secs: secs(d.split.held),
                },
                deviations,
            });
        }
        for row in &mut steps {
            let measured: Vec<f64> = row.actual_secs.iter().flatten().copied().collect();
            row.trend = Trend::of(&measured);
        }
        let changes = drills
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w[0].runbook_sha256 != w[1].runbook_sha256)
            .map(|(k, w)| runbook_change(k + 1, &w[0], &w[1]))
            .collect();
        let mut repeated: Vec<Repeated> = steps
            .iter()
            .filter_map(|r| {
                let v = deviating.remove(&r.id)?;
                (v.len() >= 2).then(|| Repeated {
                    step: r.id.clone(),
                    drills: v,
                })
            })
            .collect();
        repeated.sort_by_key(|r| std::cmp::Reverse(r.drills.len()));
        Comparison {
            format_version: FORMAT_VERSION,
            name,
            time_zone: zone.name.clone(),
            drills: facts,
            changes,
            steps,
            services: service_rows(drills),
            repeated_deviations: repeated,
            warnings,
            words: Words::default(),
        }
    }
}

/// `1h2m3s` from seconds (rounded), `-` for none.
pub fn dur(secs: Option<f64>) -> String {
    words::Words(crate::i18n::Lang::En).dur(secs)
}

/// A margin: `18m40s` or `-2m37s` (missed by).
pub fn margin(secs: Option<f64>) -> String {
    match secs {
        None => "-".into(),
        Some(s) if s < 0.0 => format!("-{}", dur(Some(-s))),
        Some(s) => dur(Some(s)),
    }
}

/// A trend for people: `slower +12.5%`, `steady`, `-`.
pub fn trend_text(t: Option<Trend>) -> String {
    match t {
        None => "-".into(),
        Some(t) if t.direction == "steady" => "steady".into(),
        Some(t) => format!("{} {:+}%", t.direction, t.change_percent),
    }
}

/// The first 12 hex digits of a digest, enough to tell runbooks apart.
pub fn short_sha(s: &str) -> &str {
    s.get(..12).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trend_is_the_last_against_the_mean_of_the_earlier() {
        assert_eq!(Trend::of(&[10.0]), None);
        let t = Trend::of(&[10.0, 20.0, 30.0]).unwrap();
        assert_eq!((t.direction, t.change_percent), ("slower", 100.0));
        let t = Trend::of(&[100.0, 91.0]).unwrap();
        assert_eq!((t.direction, t.change_percent), ("steady", -9.0));
        let t = Trend::of(&[100.0, 80.0]).unwrap();
        assert_eq!((t.direction, t.change_percent), ("faster", -20.0));
        assert_eq!(trend_text(Some(t)), "faster -20%");
        assert_eq!(margin(Some(-157.0)), "-2m37s");
    }
}
