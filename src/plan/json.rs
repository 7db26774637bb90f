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
    hosts: Vec<HostOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    services: Vec<ServiceOut<'a>>,
}

/// A service of `objectives.services` and its forecast recovery.
#[derive(Serialize)]
struct ServiceOut<'a> {
    name: &'a str,
    rto: Option<Duration>,
    rto_secs: Option<u64>,
    rpo: Option<Duration>,
    rpo_secs: Option<u64>,
    restored_by: Vec<&'a str>,
    forecast: Option<Duration>,
    forecast_secs: Option<u64>,
    path: Vec<&'a str>,
    exceeded: Option<bool>,
    margin: Option<Duration>,
    margin_secs: Option<u64>,
}

/// An entry of the runbook's `hosts:` table: where steps run. Key files are
/// left out: a plan says where, not with what credentials.
#[derive(Serialize)]
struct HostOut<'a> {
    name: &'a str,
    address: &'a str,
    user: Option<&'a str>,
    port: Option<u16>,
    jump: Option<&'a str>,
    max_parallel: Option<u32>,
    steps: Vec<&'a str>,
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
    hosts: Vec<&'a str>,
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
                    hosts: step.hosts.iter().map(|h| h.value.as_str()).collect(),
                }
            })
            .collect();
        // Steps of each host, in the order they can start: one pass, so a
        // plan with many hosts and steps stays linear.
        let mut on_host: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for &s in &self.order {
            let step = rb.step(s);
            for h in &step.hosts {
                let steps = on_host.entry(h.value.as_str()).or_default();
                // A host named twice in one step's `host:` is one host.
                if steps.last() != Some(&step.id.as_str()) {
                    steps.push(step.id.as_str());
                }
            }
        }
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
        let services = self
            .services()
            .into_iter()
            .map(|f| {
                let (exceeded, margin) = match f.margin() {
                    Some(Margin::Within(m)) => (Some(false), Some(m)),
                    Some(Margin::Exceeds(m)) => (Some(true), Some(m)),
                    None => (None, None),
                };
                ServiceOut {
                    name: &f.service.name.value,
                    rto: f.service.rto.map(|r| r.value),
                    rto_secs: f.service.rto.map(|r| r.value.as_secs()),
                    rpo: f.service.rpo.map(|r| r.value),
                    rpo_secs: f.service.rpo.map(|r| r.value.as_secs()),
                    restored_by: f.steps.iter().map(|&s| id(s)).collect(),
                    forecast: f.at,
                    forecast_secs: f.at.map(Duration::as_secs),
                    path: f.path.iter().map(|&s| id(s)).collect(),
                    exceeded,
                    margin,
                    margin_secs: margin.map(Duration::as_secs),
                }
            })
            .collect();
        let doc = Document {
            services,
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
            hosts: rb
                .hosts
                .iter()
                .map(|h| HostOut {
                    name: &h.name.value,
                    address: &h.address,
                    user: h.user.as_deref(),
                    port: h.port,
                    jump: h.jump.as_deref(),
                    max_parallel: h.max_parallel,
                    steps: on_host.remove(h.name.value.as_str()).unwrap_or_default(),
                })
                .collect(),
        };
        let mut text =
            serde_json::to_string_pretty(&doc).expect("a plan is made of strings and numbers");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::Plan;
    use crate::runbook::Mode;

    /// Each step names its hosts (none for a local one); the `hosts` table
    /// says where each host is and which steps run there, without key files.
    #[test]
    fn steps_name_their_hosts_and_hosts_their_steps() {
        let yaml = "\
version: 1
name: Hosts
hosts:
  db1: {address: 10.0.0.1, user: postgres, max_parallel: 1, identity_file: keys/id}
  db2: {address: 10.0.0.2, port: 2222}
  spare: {address: 10.0.0.9}
steps:
  - id: local
    title: Local
    run: true
  - id: stop
    title: Stop
    host: [db2, db1]
    run: pg_ctl stop
    needs: [local]
  - id: start
    title: Start
    host: db1
    run: pg_ctl start
    needs: [stop]
";
        let checked = crate::validate::check_text(std::path::Path::new("h.yaml"), yaml)
            .unwrap_or_else(|_| panic!("valid runbook"));
        let plan = Plan::new(&checked.runbook, &checked.graph, Mode::Drill);
        let json: serde_json::Value = serde_json::from_str(&plan.to_json()).unwrap();
        let steps = json["steps"].as_array().unwrap();
        let hosts_of = |id: &str| steps.iter().find(|s| s["id"] == id).unwrap()["hosts"].clone();
        assert_eq!(hosts_of("local"), serde_json::json!([]));
        assert_eq!(hosts_of("stop"), serde_json::json!(["db2", "db1"]));
        assert_eq!(hosts_of("start"), serde_json::json!(["db1"]));
        assert_eq!(
            json["hosts"],
            serde_json::json!([
                {"name": "db1", "address": "10.0.0.1", "user": "postgres", "port": null,
                 "jump": null, "max_parallel": 1, "steps": ["stop", "start"]},
                {"name": "db2", "address": "10.0.0.2", "user": null, "port": 2222,
                 "jump": null, "max_parallel": null, "steps": ["stop"]},
                {"name": "spare", "address": "10.0.0.9", "user": null, "port": null,
                 "jump": null, "max_parallel": null, "steps": []},
            ])
        );
        assert!(
            !plan.to_json().contains("keys/id"),
            "no key file in the plan"
        );
    }
}
