//! The plan for tools; the fields are documented in the module doc of
//! [`crate::plan`].

use serde::Serialize;

use super::{Margin, Plan};
use crate::runbook::{Duration, Mode, StepKind};

#[derive(Serialize)]
struct Document<'a> {
    name: &'a str,
    mode: Mode,
    objectives: Objectives,
    phases: Vec<PhaseOut<'a>>,
    steps: Vec<StepOut<'a>>,
    waves: Vec<Vec<&'a str>>,
    critical_path: CriticalOut<'a>,
    rto: Option<RtoOut>,
}

#[derive(Serialize)]
struct Objectives {
    rto: Option<Duration>,
    rto_secs: Option<u64>,
    rpo: Option<Duration>,
    rpo_secs: Option<u64>,
}

#[derive(Serialize)]
struct PhaseOut<'a> {
    id: &'a str,
    title: &'a str,
    needs: Vec<&'a str>,
    steps: Vec<&'a str>,
}

#[derive(Serialize)]
struct StepOut<'a> {
    id: &'a str,
    title: &'a str,
    phase: &'a str,
    kind: StepKind,
    role: Option<&'a str>,
    estimate: Option<Duration>,
    estimate_secs: Option<u64>,
    applicable: bool,
    only: Option<Mode>,
    needs: Vec<&'a str>,
    wave: usize,
    start: Duration,
    start_secs: u64,
    end: Duration,
    end_secs: u64,
    critical: bool,
}

#[derive(Serialize)]
struct CriticalOut<'a> {
    steps: Vec<&'a str>,
    total: Duration,
    total_secs: u64,
    missing_estimates: usize,
}

#[derive(Serialize)]
struct RtoOut {
    rto: Duration,
    rto_secs: u64,
    exceeded: bool,
    margin: Duration,
    margin_secs: u64,
}

impl Plan<'_> {
    /// Renders the plan as one pretty-printed JSON object, ending with a
    /// newline.
    pub fn to_json(&self) -> String {
        let rb = self.runbook;
        let id = |s: crate::runbook::StepIndex| rb.step(s).id.as_str();
        let objectives = Objectives {
            rto: self.rto(),
            rto_secs: self.rto().map(Duration::as_secs),
            rpo: rb.objectives.rpo.map(|r| r.value),
            rpo_secs: rb.objectives.rpo.map(|r| r.value.as_secs()),
        };
        let phases = rb
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| PhaseOut {
                id: p.id.as_str(),
                title: &p.title,
                needs: self
                    .graph
                    .phase_needs(i)
                    .iter()
                    .map(|&q| rb.phases[q].id.as_str())
                    .collect(),
                steps: rb.steps[p.steps.clone()]
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect(),
            })
            .collect();
        let steps = self
            .order
            .iter()
            .map(|&s| {
                let step = rb.step(s);
                let p = self.step(s);
                let estimate = step.estimate.map(|e| e.value);
                StepOut {
                    id: step.id.as_str(),
                    title: &step.title,
                    phase: rb.phase_of(s).id.as_str(),
                    kind: step.kind(),
                    role: step.role.as_deref(),
                    estimate,
                    estimate_secs: estimate.map(Duration::as_secs),
                    applicable: p.applicable,
                    only: step.only,
                    needs: step.needs.iter().map(|n| n.value.as_str()).collect(),
                    wave: p.wave + 1,
                    start: p.start,
                    start_secs: p.start.as_secs(),
                    end: p.end,
                    end_secs: p.end.as_secs(),
                    critical: p.critical,
                }
            })
            .collect();
        let path = &self.critical;
        let rto = self.rto().map(|rto| {
            let (exceeded, margin) = match path.margin(rto) {
                Margin::Within(m) => (false, m),
                Margin::Exceeds(m) => (true, m),
            };
            RtoOut {
                rto,
                rto_secs: rto.as_secs(),
                exceeded,
                margin,
                margin_secs: margin.as_secs(),
            }
        });
        let doc = Document {
            name: &rb.name,
            mode: self.mode,
            objectives,
            phases,
            steps,
            waves: self
                .waves
                .iter()
                .map(|w| w.iter().map(|&s| id(s)).collect())
                .collect(),
            critical_path: CriticalOut {
                steps: path.steps.iter().map(|&s| id(s)).collect(),
                total: path.total,
                total_secs: path.total.as_secs(),
                missing_estimates: path.missing_estimates,
            },
            rto,
        };
        let mut text =
            serde_json::to_string_pretty(&doc).expect("a plan is made of strings and numbers");
        text.push('\n');
        text
    }
}
