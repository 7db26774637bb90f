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
mod tests;
