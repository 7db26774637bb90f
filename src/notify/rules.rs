//! What to tell whom, and when: a pure function of the drill's events and
//! the time, so that the timing ("still unanswered after 10 minutes") is
//! tested on a fake clock.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use super::{Kind, Target};
use crate::event::{Event, Outcome, Stamped};
use crate::runbook::{Duration, StepId, StepKind};

/// One thing to tell one target.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// What happened.
    pub kind: Kind,
    /// Index of the target in the list given to [`Rules::new`].
    pub target: usize,
    /// The step it is about.
    pub step: Option<StepId>,
    /// Its item number (1-based file order).
    pub number: Option<usize>,
    /// The step's role.
    pub role: Option<String>,
    /// One line for people.
    pub text: String,
    /// When it was decided.
    pub time: Timestamp,
}

#[derive(Debug, Clone)]
struct StepState {
    number: usize,
    title: String,
    role: Option<String>,
    kind: StepKind,
    estimate: Option<Duration>,
    /// Open (waiting for a person) since.
    open: Option<Timestamp>,
    /// Running since.
    running: Option<Timestamp>,
    done: bool,
}

/// The rules' state.
#[derive(Debug, Clone)]
pub struct Rules {
    targets: Vec<Target>,
    name: String,
    start: Option<Timestamp>,
    rto: Option<Duration>,
    finished: bool,
    steps: BTreeMap<StepId, StepState>,
    /// (target, kind, step) already told.
    told: HashSet<(usize, Kind, Option<StepId>)>,
}

fn after(t: Timestamp, d: Duration, factor: f64) -> Timestamp {
    let secs = (d.as_secs() as f64 * factor).round() as i64;
    t.saturating_add(SignedDuration::from_secs(secs))
        .unwrap_or(t)
}

impl Rules {
    /// Rules for these targets.
    pub fn new(targets: Vec<Target>) -> Rules {
        Rules {
            targets,
            name: String::new(),
            start: None,
            rto: None,
            finished: false,
            steps: BTreeMap::new(),
            told: HashSet::new(),
        }
    }

    /// The targets.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// Learns the drill from events already recorded (a resume), telling
    /// nothing about them.
    pub fn replay<'a>(&mut self, events: impl IntoIterator<Item = &'a Stamped>) {
        for e in events {
            let _ = self.observe(e);
        }
    }

    fn alert(
        &mut self,
        kind: Kind,
        step: Option<&StepId>,
        text: String,
        time: Timestamp,
    ) -> Vec<Alert> {
        let state = step.and_then(|s| self.steps.get(s));
        let role = state.and_then(|s| s.role.clone());
        let number = state.map(|s| s.number);
        let mut out = Vec::new();
        for (i, t) in self.targets.iter().enumerate() {
            if !t.on.contains(&kind) {
                continue;
            }
            let waits = kind == Kind::StepWaiting && t.after.is_some();
            if waits {
                // Told later by `due`, if still unanswered.
                continue;
            }
            if step.is_some()
                && !t.roles.is_empty()
                && !role.as_ref().is_some_and(|r| t.roles.contains(r))
            {
                continue;
            }
            if !self.told.insert((i, kind, step.cloned())) && kind != Kind::RunHeld {
                continue;
            }
            out.push(Alert {
                kind,
                target: i,
                step: step.cloned(),
                number,
                role: role.clone(),
                text: text.clone(),
                time,
            });
        }
        out
    }

    fn describe(&self, step: &StepId) -> String {
        match self.steps.get(step) {
            Some(s) => format!(
                "#{} {} “{}”{}",
                s.number,
                step,
                s.title,
                s.role.as_ref().map_or(String::new(), |r| format!(" ({r})"))
            ),
            None => step.to_string(),
        }
    }

    /// Takes one event; returns what to tell now.
    pub fn observe(&mut self, e: &Stamped) -> Vec<Alert> {
        let t = e.time;
        match &e.event {
            Event::RunStarted {
                name, rto, steps, ..
            } => {
                self.name = name.clone();
                self.start = Some(t);
                self.rto = *rto;
                self.steps = steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            s.id.clone(),
                            StepState {
                                number: i + 1,
                                title: s.title.clone(),
                                role: s.role.clone(),
                                kind: s.kind,
                                estimate: s.estimate,
                                open: None,
                                running: None,
                                done: false,
                            },
                        )
                    })
                    .collect();
                Vec::new()
            }
            Event::StepReady { step } => {
                let asks = self
                    .steps
                    .get_mut(step)
                    .filter(|s| s.kind != StepKind::Command)
                    .map(|s| s.open = Some(t))
                    .is_some();
                if asks {
                    let text = format!("{} is waiting for someone", self.describe(step));
                    self.alert(Kind::StepWaiting, Some(step), text, t)
                } else {
                    Vec::new()
                }
            }
            Event::StepStarted { step, .. } => {
                if let Some(s) = self.steps.get_mut(step) {
                    s.open = None;
                    s.running.get_or_insert(t);
                }
                Vec::new()
            }
            Event::StepFinished {
                step,
                outcome,
                reason,
                ..
            } => {
                if let Some(s) = self.steps.get_mut(step) {
                    s.open = None;
                    s.running = None;
                    s.done = true;
                }
                if *outcome == Outcome::Failed {
                    let why = reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
                    let text = format!("{} failed{why}", self.describe(step));
                    self.alert(Kind::StepFailed, Some(step), text, t)
                } else {
                    Vec::new()
                }
            }
            Event::RunFinished { result } => {
                self.finished = true;
                let text = format!("the drill “{}” ended: {result}", self.name);
                self.alert(Kind::RunFinished, None, text, t)
            }
            other if other.name() == "run_held" => {
                let text = format!("the drill “{}” is held: no new step starts", self.name);
                self.alert(Kind::RunHeld, None, text, t)
            }
            _ => Vec::new(),
        }
    }

    /// What falls due at `now`: waits past a target's `after`, overruns,
    /// the RTO at risk.
    pub fn due(&mut self, now: Timestamp) -> Vec<Alert> {
        if self.finished {
            return Vec::new();
        }
        let mut pending: Vec<(usize, Kind, StepId, String)> = Vec::new();
        for (i, target) in self.targets.iter().enumerate() {
            for (id, s) in &self.steps {
                if s.done {
                    continue;
                }
                if target.on.contains(&Kind::StepWaiting)
                    && let (Some(open), Some(wait)) = (s.open, target.after)
                    && now >= after(open, wait, 1.0)
                {
                    pending.push((
                        i,
                        Kind::StepWaiting,
                        id.clone(),
                        format!("still unanswered after {wait}"),
                    ));
                }
                if target.on.contains(&Kind::StepOverrun)
                    && let (Some(since), Some(est)) = (s.running.or(s.open), s.estimate)
                    && now >= after(since, est, target.factor.get())
                {
                    pending.push((
                        i,
                        Kind::StepOverrun,
                        id.clone(),
                        format!("past its estimate of {est}"),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        for (i, kind, id, why) in pending {
            let target = &self.targets[i];
            let role = self.steps.get(&id).and_then(|s| s.role.clone());
            if !target.roles.is_empty() && !role.as_ref().is_some_and(|r| target.roles.contains(r))
            {
                continue;
            }
            if !self.told.insert((i, kind, Some(id.clone()))) {
                continue;
            }
            let text = match kind {
                Kind::StepWaiting => {
                    format!("{} is waiting for someone, {why}", self.describe(&id))
                }
                _ => format!("{} is {why}", self.describe(&id)),
            };
            out.push(Alert {
                kind,
                target: i,
                number: self.steps.get(&id).map(|s| s.number),
                step: Some(id),
                role,
                text,
                time: now,
            });
        }
        if let (Some(start), Some(rto)) = (self.start, self.rto) {
            for (i, target) in self.targets.iter().enumerate() {
                if target.on.contains(&Kind::RtoAtRisk)
                    && now >= after(start, rto, target.rto_share.get())
                    && self.told.insert((i, Kind::RtoAtRisk, None))
                {
                    out.push(Alert {
                        kind: Kind::RtoAtRisk,
                        target: i,
                        step: None,
                        number: None,
                        role: None,
                        text: format!(
                            "the drill “{}” has used {:.0}% of its RTO ({rto}) and is not over",
                            self.name,
                            target.rto_share.get() * 100.0
                        ),
                        time: now,
                    });
                }
            }
        }
        out
    }

    /// When [`Rules::due`] may next have something to say.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        if self.finished {
            return None;
        }
        let mut next: Option<Timestamp> = None;
        let mut consider = |t: Timestamp| next = Some(next.map_or(t, |n: Timestamp| n.min(t)));
        for (i, target) in self.targets.iter().enumerate() {
            for (id, s) in &self.steps {
                if s.done {
                    continue;
                }
                if let (Some(open), Some(wait)) = (s.open, target.after)
                    && target.on.contains(&Kind::StepWaiting)
                    && !self
                        .told
                        .contains(&(i, Kind::StepWaiting, Some(id.clone())))
                {
                    consider(after(open, wait, 1.0));
                }
                if let (Some(since), Some(est)) = (s.running.or(s.open), s.estimate)
                    && target.on.contains(&Kind::StepOverrun)
                    && !self
                        .told
                        .contains(&(i, Kind::StepOverrun, Some(id.clone())))
                {
                    consider(after(since, est, target.factor.get()));
                }
            }
            if let (Some(start), Some(rto)) = (self.start, self.rto)
                && target.on.contains(&Kind::RtoAtRisk)
                && !self.told.contains(&(i, Kind::RtoAtRisk, None))
            {
                consider(after(start, rto, target.rto_share.get()));
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{PlannedStep, RunResult, Source};
    use crate::runbook::{Command, Mode, PhaseId};

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    fn ev(s: i64, event: Event) -> Stamped {
        Stamped { time: at(s), event }
    }

    fn step(id: &str, kind: StepKind, role: &str, estimate: u64) -> PlannedStep {
        let mut p: PlannedStep = serde_json::from_value(serde_json::json!({
            "id": id, "title": id.to_uppercase(), "phase": "main", "kind": "manual"
        }))
        .unwrap();
        p.kind = kind;
        p.role = Some(role.into());
        p.estimate = Some(Duration::from_secs(estimate));
        p
    }

    fn started(steps: Vec<PlannedStep>) -> Stamped {
        let mut v = serde_json::json!({
            "time": "2027-01-15T08:00:00.000Z", "event": "run_started", "runbook": "r.yaml",
            "runbook_sha256": "0", "name": "Lab", "mode": "drill", "dry_run": false,
            "operator": "alice", "host": "h", "reprise_version": "0", "rto": "1h",
            "phases": [{"id": "main", "title": "Main"}], "steps": []
        });
        v["steps"] = serde_json::to_value(steps).unwrap();
        let mut s: Stamped = serde_json::from_value(v).unwrap();
        s.time = at(0);
        let _ = (Mode::Drill, PhaseId::new("main"));
        s
    }

    fn target(on: Vec<Kind>) -> Target {
        Target::new("t", on, Command::Shell("true".into()))
    }

    #[test]
    fn a_wait_is_told_only_when_still_unanswered_after_the_delay() {
        let mut t = target(vec![Kind::StepWaiting]);
        t.after = Some(Duration::from_secs(600));
        let mut r = Rules::new(vec![t]);
        r.observe(&started(vec![step("call", StepKind::Manual, "lab", 60)]));
        let now = r.observe(&ev(
            10,
            Event::StepReady {
                step: StepId::new("call"),
            },
        ));
        assert!(now.is_empty(), "told at once: {now:?}");
        assert_eq!(r.next_deadline(), Some(at(610)));
        assert!(r.due(at(609)).is_empty());
        let due = r.due(at(610));
        assert_eq!(due.len(), 1);
        assert!(due[0].text.contains("#1 call"), "{}", due[0].text);
        assert!(
            due[0].text.contains("still unanswered after 10m"),
            "{}",
            due[0].text
        );
        assert!(r.due(at(700)).is_empty(), "told once");
    }

    #[test]
    fn an_answered_step_is_not_told_late_and_roles_filter() {
        let mut lab = target(vec![Kind::StepWaiting, Kind::StepFailed]);
        lab.roles = vec!["lab".into()];
        let mut r = Rules::new(vec![lab]);
        r.observe(&started(vec![
            step("call", StepKind::Manual, "lab", 60),
            step("net", StepKind::Manual, "network", 60),
        ]));
        let told = r.observe(&ev(
            1,
            Event::StepReady {
                step: StepId::new("call"),
            },
        ));
        assert_eq!(told.len(), 1, "no delay: told at once");
        assert!(
            r.observe(&ev(
                2,
                Event::StepReady {
                    step: StepId::new("net")
                }
            ))
            .is_empty(),
            "not the lab's"
        );
        let failed = serde_json::from_value::<Event>(serde_json::json!({
            "event": "step_finished", "step": "call", "outcome": "failed", "by": "bob",
            "source": "operator", "reason": "no results"
        }))
        .unwrap();
        let told = r.observe(&ev(3, failed));
        assert_eq!(told[0].kind, Kind::StepFailed);
        assert!(
            told[0].text.ends_with("failed: no results"),
            "{}",
            told[0].text
        );
        let _ = Source::Operator;
    }

    #[test]
    fn overrun_and_rto_at_risk_fall_due_on_the_clock() {
        let mut r = Rules::new(vec![target(vec![
            Kind::StepOverrun,
            Kind::RtoAtRisk,
            Kind::RunFinished,
        ])]);
        r.observe(&started(vec![step(
            "restore",
            StepKind::Command,
            "storage",
            100,
        )]));
        r.observe(&ev(
            5,
            Event::StepStarted {
                step: StepId::new("restore"),
                attempt: 1,
                pid: None,
            },
        ));
        assert_eq!(
            r.next_deadline(),
            Some(at(155)),
            "1.5 × 100 s after the start"
        );
        let due = r.due(at(155));
        assert_eq!(due[0].kind, Kind::StepOverrun);
        assert_eq!(r.next_deadline(), Some(at(2880)), "80% of the 1h RTO");
        assert_eq!(r.due(at(2880))[0].kind, Kind::RtoAtRisk);
        let end = r.observe(&ev(
            3000,
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ));
        assert_eq!(end[0].kind, Kind::RunFinished);
        assert_eq!(r.next_deadline(), None);
    }
}
