//! The engine's unit tests, on a fake clock: here the fixtures (a small
//! runbook builder that the driver's and operator's tests use too, and
//! [`Sim`], an engine whose outputs read as short lines); the tests, one
//! module per concern, in `tests/`.

use super::*;
use crate::runbook::{
    Command, Duration, Located, Mode, OnFailure, Phase, PhaseId, Span, Step, StepId,
};

// ---- a tiny runbook builder ---------------------------------------------

pub(crate) fn step(id: &str, run: Option<&str>) -> Step {
    Step {
        run: run.map(|r| Located::new(Command::Shell(r.into()), Span::default())),
        ..Step::new(StepId::new(id), format!("Step {id}"), 0)
    }
}

pub(crate) fn cmd(id: &str) -> Step {
    step(id, Some("true"))
}

pub(crate) fn manual(id: &str) -> Step {
    step(id, None)
}

pub(crate) fn needs(mut s: Step, ids: &[&str]) -> Step {
    s.needs = ids
        .iter()
        .map(|i| Located::new(i.to_string(), Span::default()))
        .collect();
    s
}

pub(crate) fn policy(mut s: Step, p: OnFailure) -> Step {
    s.on_failure = p;
    s
}

fn rollback_cmd(mut s: Step, c: &str) -> Step {
    s.rollback = Some(Rollback::Command(Located::new(
        Command::Shell(c.into()),
        Span::default(),
    )));
    s
}

pub(crate) fn runbook(steps: Vec<Step>) -> Runbook {
    Runbook {
        version: 1,
        name: "test".into(),
        description: None,
        owner: None,
        contacts: None,
        objectives: Default::default(),
        vars: Vec::new(),
        phases: vec![Phase {
            id: Located::new(PhaseId::new("main"), Span::default()),
            title: "main".into(),
            needs: None,
            steps: 0..steps.len(),
            implicit: true,
        }],
        steps,
        hosts: Vec::new(),
        exercise: Default::default(),
        notify: Vec::new(),
        roles: Vec::new(),
        jobs: None,
    }
}

fn config() -> Config {
    Config {
        jobs: 8,
        operator: "alice".into(),
        ..Config::default()
    }
}

/// An engine on a fake clock, with its outputs rendered as short lines.
struct Sim<'a> {
    rb: &'a Runbook,
    engine: Engine<'a>,
    now: Timestamp,
    events: Vec<Event>,
}

/// An engine for a test runbook (its graph leaked: tests are short).
pub(crate) fn engine(rb: &Runbook, config: Config) -> Engine<'_> {
    let graph = Graph::build(rb).unwrap_or_else(|e| panic!("{e:?}"));
    Engine::new(rb, Box::leak(Box::new(graph)), config)
}

impl<'a> Sim<'a> {
    fn new(rb: &'a Runbook, config: Config) -> Self {
        Sim {
            rb,
            engine: engine(rb, config),
            now: "2026-11-29T08:00:00Z".parse().unwrap(),
            events: Vec::new(),
        }
    }

    fn ix(&self, id: &str) -> StepIndex {
        StepIndex(
            self.rb
                .steps
                .iter()
                .position(|s| s.id.as_str() == id)
                .unwrap_or_else(|| panic!("no step {id}")) as u32,
        )
    }

    fn advance(&mut self, secs: i64) {
        self.now += jiff::SignedDuration::from_secs(secs);
    }

    fn send(&mut self, input: Input) -> Vec<String> {
        let out = self.engine.handle(self.now, input);
        out.iter()
            .map(|o| match o {
                Output::Event(e) => {
                    assert_eq!(e.time, self.now);
                    self.events.push(e.event.clone());
                    show_event(&e.event)
                }
                Output::Action(a) => self.show_action(a),
            })
            .collect()
    }

    fn start(&mut self) -> Vec<String> {
        self.send(Input::Start)
    }

    fn exit(&mut self, id: &str, attempt: u32, code: i32) -> Vec<String> {
        let step = self.ix(id);
        self.send(Input::CommandExited(Exit {
            step,
            attempt,
            ending: crate::event::Ending::exited(code),
            output_tail: vec![format!("{id} said {code}")],
            ..Exit::default()
        }))
    }

    fn record(&mut self, id: &str, outcome: Outcome, reason: Option<&str>) -> Vec<String> {
        let step = self.ix(id);
        self.send(Input::Operator(OperatorInput::Record {
            step,
            outcome,
            reason: reason.map(String::from),
            by: "bob".into(),
            auto: false,
        }))
    }

    fn decide(&mut self, id: &str, decision: Decision, reason: Option<&str>) -> Vec<String> {
        let step = self.ix(id);
        self.send(Input::Operator(OperatorInput::Decide {
            step,
            decision,
            reason: reason.map(String::from),
            by: "bob".into(),
            auto: false,
        }))
    }

    fn show_action(&self, a: &Action) -> String {
        let id = |s: &StepIndex| self.rb.step(*s).id.as_str().to_string();
        match a {
            Action::StartCommand(l) => format!("start {}#{}", id(&l.step), l.attempt),
            Action::Kill { step } => format!("kill {}", id(step)),
            Action::KillAll => "kill_all".into(),
            Action::Ask(q) => {
                let kind = match q {
                    Question::Manual { .. } => "manual",
                    Question::Confirm { .. } => "confirm",
                    Question::Failed { .. } => "failed",
                    Question::Rollback { .. } => "rollback",
                    Question::Interrupted { .. } => "interrupted",
                };
                format!("ask {kind} {}", id(&q.step()))
            }
            Action::Retract { step } => format!("retract {}", id(step)),
            Action::Refused { step, .. } => format!("refused {}", id(step)),
            Action::Finished(r) => format!("finished {r}"),
            Action::Stopped => "stopped".into(),
        }
    }

    /// The last `step_finished` of a step.
    fn finished(&self, id: &str) -> Event {
        self.events
            .iter()
            .rev()
            .find(|e| matches!(e, Event::StepFinished { step, .. } if step.as_str() == id))
            .cloned()
            .unwrap_or_else(|| panic!("no step_finished for {id}"))
    }
}

fn show_event(e: &Event) -> String {
    match e {
        Event::RunStarted { .. } => "run_started".into(),
        Event::RunResumed { .. } => "run_resumed".into(),
        Event::StepReady { step } => format!("ready {step}"),
        Event::StepBegan { step, .. } => format!("began {step}"),
        Event::StepStarted { step, attempt, .. } => format!("started {step}#{attempt}"),
        Event::AttemptFinished {
            step,
            attempt,
            ending,
        } => format!(
            "attempt {step}#{attempt} exit={}",
            ending.exit_code.unwrap_or(-1)
        ),
        Event::Decision { step, decision, .. } => format!("decision {step} {decision:?}"),
        Event::StepFinished { step, outcome, .. } => format!("{step} {outcome}"),
        Event::RollbackStarted { step, .. } => format!("rollback_started {step}"),
        Event::RollbackFinished { step, outcome, .. } => {
            format!("rollback_finished {step} {outcome}")
        }
        Event::Note { text, .. } => format!("note {text}"),
        Event::Handover { from, to, .. } => format!("handover {from}->{to}"),
        Event::AbortRequested { by, .. } => format!("abort_requested by {by}"),
        Event::RunFinished { result } => format!("run_finished {result}"),
        Event::HostFinished { step, host, .. } => format!("host_finished {step} {host}"),
        Event::OperatorAttached { by, .. } => format!("attached {by}"),
        Event::OperatorDetached { by, .. } => format!("detached {by}"),
        Event::RunStopped { .. } => "run_stopped".into(),
        Event::RunHeld { by, .. } => format!("held by {by}"),
        Event::RunReleased { by, .. } => format!("released by {by}"),
        Event::Approval { step, count, .. } => format!("approval {step} {count}"),
        other => other.name().to_string(),
    }
}

mod ask;
mod manual;
mod operator;
mod order;
mod policy;
mod recorded;
