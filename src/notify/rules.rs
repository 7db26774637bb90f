//! What to tell whom, and when: a pure function of the drill's events and
//! the time, so that the timing ("still unanswered after 10 minutes") is
//! tested on a fake clock.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use super::{Kind, Target};
use crate::event::{Event, NotificationAbout, Outcome, Stamped};
use crate::runbook::{Duration, StepId, StepKind};
use crate::timeline::{Timeline, span};

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
    /// The service it is about (`rto_at_risk` of one service).
    pub service: Option<String>,
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
    /// (target, kind, what about) already told.
    told: HashSet<(usize, Kind, Subject)>,
    /// The drill as recorded, for the forecast end of the recovery.
    timeline: Timeline,
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
            timeline: Timeline::new(),
        }
    }

    /// The drill's name, once `run_started` was seen.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The targets.
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// Learns the drill from events already recorded (a resume), and
    /// returns the alerts still owed: those its events called for whose
    /// delivery is not settled in the journal (no `notification_sent`, no
    /// last `notification_failed`), because reprise stopped before. Waits
    /// and overruns of steps that have ended since are not owed any more.
    pub fn replay<'a>(&mut self, events: impl IntoIterator<Item = &'a Stamped>) -> Vec<Alert> {
        let mut owed: Vec<Alert> = Vec::new();
        for e in events {
            let settled = match &e.event {
                Event::NotificationSent {
                    about:
                        NotificationAbout {
                            kind,
                            target,
                            step,
                            service,
                        },
                    ..
                }
                | Event::NotificationFailed {
                    about:
                        NotificationAbout {
                            kind,
                            target,
                            step,
                            service,
                        },
                    last: true,
                    ..
                } => Some((kind, target, step, service)),
                _ => None,
            };
            match settled {
                Some((kind, target, step, service)) => {
                    let (Some(kind), Some(i)) = (
                        Kind::parse(kind),
                        self.targets.iter().position(|t| &t.name == target),
                    ) else {
                        continue;
                    };
                    if let Some(k) = owed
                        .iter()
                        .position(|a| a.target == i && a.kind == kind && a.step == *step)
                    {
                        owed.remove(k);
                    }
                    // Told by `due` before the stop: not again.
                    self.told
                        .insert((i, kind, Subject::of(step.as_ref(), service.as_ref())));
                }
                None => owed.extend(self.observe(e)),
            }
        }
        owed.retain(|a| {
            !matches!(a.kind, Kind::StepWaiting | Kind::StepOverrun)
                || a.step
                    .as_ref()
                    .and_then(|s| self.steps.get(s))
                    .is_none_or(|s| !s.done)
        });
        owed
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
            if !self.told.insert((i, kind, Subject::of(step, None))) && kind != Kind::RunHeld {
                continue;
            }
            out.push(Alert {
                kind,
                target: i,
                step: step.cloned(),
                number,
                role: role.clone(),
                service: None,
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
        self.timeline.apply(e);
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
            if !self.told.insert((i, kind, Subject::Step(id.clone()))) {
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
                service: None,
                text,
                time: now,
            });
        }
        if let (Some(start), Some(rto)) = (self.start, self.rto) {
            let deadline = after(start, rto, 1.0);
            let forecast = self.timeline.forecast_end(now).map(|f| f.max(now));
            for (i, target) in self.targets.iter().enumerate() {
                if !target.on.contains(&Kind::RtoAtRisk)
                    || self.told.contains(&(i, Kind::RtoAtRisk, Subject::Drill))
                {
                    continue;
                }
                let text = match (forecast, target.rto_share) {
                    (Some(f), _) if f > deadline => {
                        let late = Duration::from_secs(span(deadline, f).as_secs().max(1));
                        format!(
                            "the drill “{}” is forecast to recover {late} after its RTO ({rto}), from what is left of the plan",
                            self.name
                        )
                    }
                    (_, Some(share)) if now >= after(start, rto, share.get()) => format!(
                        "the drill “{}” has used {:.0}% of its RTO ({rto}) and is not over",
                        self.name,
                        share.get() * 100.0
                    ),
                    _ => continue,
                };
                self.told.insert((i, Kind::RtoAtRisk, Subject::Drill));
                out.push(Alert {
                    kind: Kind::RtoAtRisk,
                    target: i,
                    step: None,
                    number: None,
                    role: None,
                    service: None,
                    text,
                    time: now,
                });
            }
            self.services_at_risk(now, &mut out);
        }
        out
    }

    /// `rto_at_risk` for each service whose forecast recovery passes its
    /// own RTO.
    fn services_at_risk(&mut self, now: Timestamp, out: &mut Vec<Alert>) {
        let Some(start) = self.start else { return };
        for (service, end) in self.timeline.service_forecasts(now) {
            let Some(rto) = service.rto else { continue };
            let deadline = after(start, rto, 1.0);
            let end = end.max(now);
            if end <= deadline {
                continue;
            }
            let late = Duration::from_secs(span(deadline, end).as_secs().max(1));
            for (i, target) in self.targets.iter().enumerate() {
                if !target.on.contains(&Kind::RtoAtRisk)
                    || !self.told.insert((
                        i,
                        Kind::RtoAtRisk,
                        Subject::Service(service.name.clone()),
                    ))
                {
                    continue;
                }
                out.push(Alert {
                    kind: Kind::RtoAtRisk,
                    target: i,
                    step: None,
                    number: None,
                    role: None,
                    service: Some(service.name.clone()),
                    text: format!(
                        "the service “{}” is forecast to recover {late} after its RTO ({rto}), from what is left of the plan",
                        service.name
                    ),
                    time: now,
                });
            }
        }
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
                        .contains(&(i, Kind::StepWaiting, Subject::Step(id.clone())))
                {
                    consider(after(open, wait, 1.0));
                }
                if let (Some(since), Some(est)) = (s.running.or(s.open), s.estimate)
                    && target.on.contains(&Kind::StepOverrun)
                    && !self
                        .told
                        .contains(&(i, Kind::StepOverrun, Subject::Step(id.clone())))
                {
                    consider(after(since, est, target.factor.get()));
                }
            }
            if let (Some(start), Some(rto)) = (self.start, self.rto)
                && target.on.contains(&Kind::RtoAtRisk)
                && !self.told.contains(&(i, Kind::RtoAtRisk, Subject::Drill))
            {
                // The forecast passes the RTO at the latest when the RTO
                // does; earlier when a step overruns, which the worker's
                // once-a-second look catches.
                consider(after(start, rto, 1.0));
                if let Some(share) = target.rto_share {
                    consider(after(start, rto, share.get()));
                }
            }
        }
        next
    }
}

/// What an alert is about, the key of what each target was told: the
/// drill as a whole, one step, or one service of `objectives.services`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Subject {
    Drill,
    Step(StepId),
    Service(String),
}

impl Subject {
    /// A service alert is about the service; otherwise about its step, or
    /// the drill.
    fn of(step: Option<&StepId>, service: Option<&String>) -> Subject {
        match (service, step) {
            (Some(name), _) => Subject::Service(name.clone()),
            (None, Some(id)) => Subject::Step(id.clone()),
            (None, None) => Subject::Drill,
        }
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

    fn about(kind: &str, target: &str, step: Option<&str>) -> NotificationAbout {
        NotificationAbout {
            kind: kind.into(),
            target: target.into(),
            step: step.map(StepId::new),
            service: None,
        }
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
        let mut t = target(vec![Kind::StepOverrun, Kind::RtoAtRisk, Kind::RunFinished]);
        t.rto_share = Some(super::super::Ratio(80));
        let mut r = Rules::new(vec![t]);
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

    #[test]
    fn the_rto_is_at_risk_as_soon_as_the_forecast_passes_it() {
        let mut r = Rules::new(vec![target(vec![Kind::RtoAtRisk])]);
        let mut second = step("check", StepKind::Manual, "lab", 1200);
        second.needs = vec![StepId::new("restore")];
        r.observe(&started(vec![
            step("restore", StepKind::Command, "storage", 2400),
            second,
        ]));
        r.observe(&ev(
            0,
            Event::StepStarted {
                step: StepId::new("restore"),
                attempt: 1,
                pid: None,
            },
        ));
        // 40 + 20 min of a 1 h RTO: on time, nothing said.
        assert!(r.due(at(60)).is_empty());
        // The restore overruns by 5 min: the forecast is 5 min late.
        let told = r.due(at(2700));
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].kind, Kind::RtoAtRisk);
        assert!(
            told[0]
                .text
                .contains("forecast to recover 5m after its RTO (1h)"),
            "{}",
            told[0].text
        );
        assert!(r.due(at(2800)).is_empty(), "told once");
    }

    #[test]
    fn a_resume_owes_what_the_journal_does_not_show_delivered() {
        let targets = vec![
            target(vec![Kind::StepFailed]),
            Target::new(
                "pager",
                vec![Kind::StepFailed, Kind::StepWaiting],
                Command::Shell("true".into()),
            ),
        ];
        let failed = |s: i64, id: &str| {
            let mut e: Stamped = serde_json::from_value(serde_json::json!({
                "time": "2027-01-15T08:00:00.000Z", "event": "step_finished", "step": id,
                "outcome": "failed", "by": "alice", "source": "command", "attempts": 1
            }))
            .unwrap();
            e.time = at(s);
            e
        };
        let recorded = vec![
            started(vec![
                step("a", StepKind::Command, "lab", 10),
                step("b", StepKind::Command, "lab", 10),
                step("c", StepKind::Manual, "lab", 10),
            ]),
            failed(5, "a"),
            ev(
                6,
                Event::NotificationSent {
                    about: about("step_failed", "t", Some("a")),
                    attempt: 1,
                },
            ),
            ev(
                7,
                Event::NotificationFailed {
                    about: about("step_failed", "pager", Some("a")),
                    attempt: 1,
                    error: "exit 1".into(),
                    last: false,
                },
            ),
            failed(8, "b"),
            ev(
                9,
                Event::NotificationFailed {
                    about: about("step_failed", "t", Some("b")),
                    attempt: 4,
                    error: "exit 1".into(),
                    last: true,
                },
            ),
            ev(
                10,
                Event::StepReady {
                    step: StepId::new("c"),
                },
            ),
        ];
        let mut r = Rules::new(targets);
        let owed: Vec<(usize, Kind, String)> = r
            .replay(&recorded)
            .into_iter()
            .map(|a| (a.target, a.kind, a.step.unwrap().to_string()))
            .collect();
        assert_eq!(
            owed,
            [
                (1, Kind::StepFailed, "a".to_string()),
                (1, Kind::StepFailed, "b".to_string()),
                (1, Kind::StepWaiting, "c".to_string()),
            ],
            "sent or finally failed: settled; retried or never tried: owed"
        );
    }

    #[test]
    fn a_service_is_at_risk_when_its_own_forecast_passes_its_rto() {
        let mut r = Rules::new(vec![target(vec![Kind::RtoAtRisk])]);
        let mut lab = step("restore-lab", StepKind::Command, "lab", 1800);
        lab.restores = vec!["lab".into()];
        let mut dpi = step("restore-dpi", StepKind::Command, "apps", 600);
        dpi.restores = vec!["dpi".into()];
        let mut begin = started(vec![lab, dpi]);
        if let Event::RunStarted { services, .. } = &mut begin.event {
            *services = serde_json::from_value(serde_json::json!([
                {"name": "lab", "rto": "40m"},
                {"name": "dpi", "rto": "15m"}
            ]))
            .unwrap();
        }
        r.observe(&begin);
        for id in ["restore-lab", "restore-dpi"] {
            r.observe(&ev(
                0,
                Event::StepStarted {
                    step: StepId::new(id),
                    attempt: 1,
                    pid: None,
                },
            ));
        }
        assert!(r.due(at(60)).is_empty(), "both within their RTO");
        // The DPI restore overruns past its 15 min RTO; the lab is fine.
        let told = r.due(at(16 * 60));
        assert_eq!(told.len(), 1, "{told:?}");
        assert_eq!(told[0].service.as_deref(), Some("dpi"));
        assert!(
            told[0]
                .text
                .contains("the service “dpi” is forecast to recover 1m after its RTO (15m)"),
            "{}",
            told[0].text
        );
        assert!(r.due(at(17 * 60)).is_empty(), "told once");
    }
}
