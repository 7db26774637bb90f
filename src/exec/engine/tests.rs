//! The engine's unit tests, on a fake clock, and the small runbook
//! builder that the driver's and operator's tests use too.

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

// ---- ordering and --jobs ----------------------------------------------

#[test]
fn dependents_start_when_their_needs_are_done() {
    let rb = runbook(vec![
        cmd("a"),
        needs(cmd("b"), &["a"]),
        needs(cmd("c"), &["a"]),
        needs(cmd("d"), &["b", "c"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        ["run_started", "ready a", "started a#1", "start a#1"]
    );
    assert_eq!(
        s.exit("a", 1, 0),
        [
            "attempt a#1 exit=0",
            "a done",
            "ready b",
            "ready c",
            "started b#1",
            "start b#1",
            "started c#1",
            "start c#1"
        ]
    );
    assert_eq!(s.exit("c", 1, 0), ["attempt c#1 exit=0", "c done"]);
    assert_eq!(
        s.exit("b", 1, 0),
        [
            "attempt b#1 exit=0",
            "b done",
            "ready d",
            "started d#1",
            "start d#1"
        ]
    );
    assert_eq!(
        s.exit("d", 1, 0),
        [
            "attempt d#1 exit=0",
            "d done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
    assert!(s.engine.is_finished());
    // Nothing happens after the end.
    assert!(s.exit("d", 1, 0).is_empty());
}

#[test]
fn jobs_bounds_running_commands_and_the_queue_is_in_file_order() {
    let rb = runbook(vec![cmd("a"), cmd("b"), cmd("c")]);
    let mut s = Sim::new(
        &rb,
        Config {
            jobs: 2,
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready a",
            "ready b",
            "ready c",
            "started a#1",
            "start a#1",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(
        s.exit("b", 1, 0),
        ["attempt b#1 exit=0", "b done", "started c#1", "start c#1"]
    );
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
    assert_eq!(
        s.exit("c", 1, 0),
        [
            "attempt c#1 exit=0",
            "c done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
}

#[test]
fn jobs_zero_still_runs_one_at_a_time() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(
        &rb,
        Config {
            jobs: 0,
            ..config()
        },
    );
    let out = s.start();
    assert_eq!(out.iter().filter(|l| l.starts_with("start ")).count(), 1);
}

#[test]
fn an_empty_runbook_recovers_at_once() {
    let rb = runbook(vec![]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "run_finished recovered",
            "finished recovered"
        ]
    );
}

#[test]
fn run_started_embeds_the_plan_and_run_info() {
    let mut a = manual("a");
    a.estimate = Some(Located::new(Duration(600), Span::default()));
    a.critical = true;
    let rb = runbook(vec![a, needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            mode: Mode::Incident,
            info: RunInfo {
                runbook: "rb.yaml".into(),
                runbook_sha256: "ab".repeat(32),
                host: "laptop".into(),
                version: "0.1.0".into(),
            },
            ..config()
        },
    );
    s.start();
    let Event::RunStarted {
        runbook,
        mode,
        operator,
        host,
        steps,
        phases,
        ..
    } = &s.events[0]
    else {
        panic!("{:?}", s.events[0]);
    };
    assert_eq!(runbook, "rb.yaml");
    assert_eq!(*mode, Mode::Incident);
    assert_eq!(operator, "alice");
    assert_eq!(host, "laptop");
    assert_eq!(phases.len(), 1);
    assert_eq!(steps[0].kind, StepKind::Manual);
    assert_eq!(steps[0].estimate, Some(Duration(600)));
    assert!(steps[0].critical);
    assert_eq!(steps[1].needs, vec![StepId::new("a")]);
}

#[test]
fn a_phase_waits_for_every_step_of_the_phase_before_it() {
    let est = |mut s: Step| {
        s.estimate = Some(Located::new(Duration(60), Span::default()));
        s
    };
    let mut rb = runbook(vec![
        est(cmd("a1")),
        est(needs(cmd("a2"), &["a1"])),
        est(cmd("a3")),
        cmd("b1"),
    ]);
    rb.phases = vec![
        Phase {
            id: Located::new(PhaseId::new("first"), Span::default()),
            title: "first".into(),
            needs: None,
            steps: 0..3,
            implicit: false,
        },
        Phase {
            id: Located::new(PhaseId::new("second"), Span::default()),
            title: "second".into(),
            needs: None,
            steps: 3..4,
            implicit: false,
        },
    ];
    rb.steps[3].phase = 1;
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready a1",
            "ready a3",
            "started a1#1",
            "start a1#1",
            "started a3#1",
            "start a3#1"
        ]
    );
    // `b1` needs the step of `first` planned to end last: a2 (after a1).
    let Event::RunStarted { steps, .. } = &s.events[0] else {
        unreachable!()
    };
    assert_eq!(steps[3].needs, [StepId::new("a2")]);
    s.exit("a3", 1, 0);
    assert_eq!(
        s.exit("a1", 1, 0)[2..],
        ["ready a2", "started a2#1", "start a2#1"]
    );
    assert_eq!(
        s.exit("a2", 1, 0)[2..],
        ["ready b1", "started b1#1", "start b1#1"]
    );
}

// ---- manual steps and confirmations -------------------------------------

#[test]
fn several_manual_steps_are_open_at_once_and_close_in_any_order() {
    let rb = runbook(vec![
        manual("m1"),
        manual("m2"),
        needs(cmd("after"), &["m1", "m2"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready m1",
            "ask manual m1",
            "ready m2",
            "ask manual m2"
        ]
    );
    s.advance(60);
    assert_eq!(s.record("m2", Outcome::Done, None), ["m2 done"]);
    let Event::StepFinished { by, source, .. } = s.finished("m2") else {
        unreachable!()
    };
    assert_eq!((by.as_str(), source), ("bob", Source::Operator));
    // A second record for a closed step records nothing; its sender is
    // told (see `once.rs`).
    assert_eq!(s.record("m2", Outcome::Done, None), ["refused m2"]);
    assert_eq!(
        s.record("m1", Outcome::Done, None),
        ["m1 done", "ready after", "started after#1", "start after#1"]
    );
}

#[test]
fn skipping_or_failing_a_manual_step_needs_a_reason() {
    let rb = runbook(vec![manual("m"), needs(cmd("next"), &["m"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.record("m", Outcome::Skipped, None), ["ask manual m"]);
    assert_eq!(
        s.record("m", Outcome::Skipped, Some("  ")),
        ["ask manual m"]
    );
    assert_eq!(
        s.record("m", Outcome::Skipped, Some("not needed")),
        ["m skipped", "ready next", "started next#1", "start next#1"]
    );
    let Event::StepFinished { reason, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("not needed"));
}

#[test]
fn a_manual_failure_applies_on_failure() {
    let rb = runbook(vec![
        policy(manual("m"), OnFailure::Continue),
        needs(cmd("next"), &["m"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.record("m", Outcome::Failed, Some("the phone line is down")),
        ["m failed", "ready next", "started next#1", "start next#1"]
    );
    assert_eq!(
        s.exit("next", 1, 0)[2..],
        ["run_finished degraded", "finished degraded"]
    );
}

#[test]
fn a_manual_failure_keeps_its_reason_when_the_operator_goes_on() {
    let rb = runbook(vec![manual("m"), needs(cmd("next"), &["m"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    // The failure is recorded at once, with its reason, before the question.
    assert_eq!(
        s.record(
            "m",
            Outcome::Failed,
            Some("result not in the patient record")
        ),
        ["decision m MarkFailed", "ask failed m"]
    );
    assert_eq!(
        s.decide("m", Decision::Continue, Some("accepted, ticket opened"))[..2],
        ["decision m Continue", "m failed"]
    );
    let reasons: Vec<_> = s
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Decision { reason, .. } => reason.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "result not in the patient record",
            "accepted, ticket opened"
        ]
    );
    let Event::StepFinished { reason, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("result not in the patient record"));
}

#[test]
fn a_confirm_step_asks_before_it_starts() {
    let mut c = cmd("c");
    c.confirm = true;
    let rb = runbook(vec![c.clone(), {
        let mut d = c;
        d.id.value = StepId::new("d");
        d
    }]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready c",
            "ask confirm c",
            "ready d",
            "ask confirm d"
        ]
    );
    assert_eq!(
        s.decide("c", Decision::Run, None),
        ["decision c Run", "started c#1", "start c#1"]
    );
    // Skipping needs a reason.
    assert_eq!(s.decide("d", Decision::Skip, None), ["ask confirm d"]);
    // Retry makes no sense for a step that has not run.
    assert_eq!(
        s.decide("d", Decision::Continue, Some("x")),
        ["ask confirm d"]
    );
    assert_eq!(
        s.decide("d", Decision::Skip, Some("done by hand yesterday")),
        ["decision d Skip", "d skipped"]
    );
    assert_eq!(
        s.exit("c", 1, 0),
        [
            "attempt c#1 exit=0",
            "c done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
}

// ---- modes ----------------------------------------------------------------

#[test]
fn steps_of_the_other_mode_are_not_applicable_and_satisfy_dependents() {
    let mut only_incident = cmd("real-failover");
    only_incident.only = Some(Mode::Incident);
    let mut only_drill = cmd("copy-failover");
    only_drill.only = Some(Mode::Drill);
    let rb = runbook(vec![
        cmd("first"),
        needs(only_incident, &["first"]),
        needs(only_drill, &["first"]),
        needs(cmd("last"), &["real-failover"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("first", 1, 0),
        [
            "attempt first#1 exit=0",
            "first done",
            "real-failover not_applicable",
            "ready copy-failover",
            "ready last",
            "started copy-failover#1",
            "start copy-failover#1",
            "started last#1",
            "start last#1"
        ]
    );
    let Event::StepFinished { source, by, .. } = s.finished("real-failover") else {
        unreachable!()
    };
    assert_eq!((source, by.as_str()), (Source::Engine, ENGINE));
    s.exit("copy-failover", 1, 0);
    assert_eq!(s.exit("last", 1, 0)[2], "run_finished recovered");
}

// ---- retries ----------------------------------------------------------------

#[test]
fn retries_wait_their_delay_and_every_attempt_is_recorded() {
    let mut a = cmd("a");
    a.retries = 2;
    a.retry_delay = Duration(30);
    let rb = runbook(vec![a]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.engine.next_deadline(), None);
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1"]);
    let due = s.now + jiff::SignedDuration::from_secs(30);
    assert_eq!(s.engine.next_deadline(), Some(due));
    s.advance(10);
    assert!(s.send(Input::Tick).is_empty());
    s.advance(20);
    assert_eq!(s.send(Input::Tick), ["started a#2", "start a#2"]);
    assert_eq!(s.engine.next_deadline(), None);
    // A stale exit of an earlier attempt is ignored.
    assert!(s.exit("a", 1, 1).is_empty());
    s.exit("a", 2, 1);
    s.advance(30);
    assert_eq!(s.send(Input::Tick), ["started a#3", "start a#3"]);
    assert_eq!(
        s.exit("a", 3, 0),
        [
            "attempt a#3 exit=0",
            "a done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
    let Event::StepFinished {
        attempts,
        output_tail,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(attempts, 3);
    assert!(output_tail.is_empty(), "a success keeps no tail");
}

#[test]
fn a_zero_retry_delay_retries_at_once() {
    let mut a = cmd("a");
    a.retries = 1;
    let rb = runbook(vec![a]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 7),
        ["attempt a#1 exit=7", "started a#2", "start a#2"]
    );
}

#[test]
fn a_resumed_step_has_its_whole_retry_budget_after_the_interrupted_attempts() {
    let mut a = cmd("a");
    a.retries = 1;
    a.idempotent = true;
    let rb = runbook(vec![a]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Interrupted {
                step: StepIndex(0),
                attempts: 3,
                hosts: vec![],
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["started a#4", "start a#4"]);
    // The interrupted attempts did not fail: `retries: 1` still allows one.
    assert_eq!(
        s.exit("a", 4, 7),
        ["attempt a#4 exit=7", "started a#5", "start a#5"]
    );
    assert_eq!(s.exit("a", 5, 7), ["attempt a#5 exit=7", "ask failed a"]);
}

// ---- on_failure ---------------------------------------------------------------

#[test]
fn on_failure_continue_lets_dependents_go_on_and_degrades() {
    let rb = runbook(vec![
        policy(cmd("a"), OnFailure::Continue),
        needs(cmd("b"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 3),
        [
            "attempt a#1 exit=3",
            "a failed",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    let Event::StepFinished {
        exit_code,
        output_tail,
        reason,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(exit_code, Some(3));
    assert_eq!(output_tail, ["a said 3"]);
    assert_eq!(reason.as_deref(), Some("exit code 3"));
    assert_eq!(
        s.exit("b", 1, 0)[2..],
        ["run_finished degraded", "finished degraded"]
    );
}

#[test]
fn on_failure_abort_stops_everything_and_leaves_unreached_steps_pending() {
    let rb = runbook(vec![
        policy(cmd("a"), OnFailure::Abort),
        cmd("slow"),
        manual("m"),
        needs(cmd("never"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 1),
        [
            "attempt a#1 exit=1",
            "a failed",
            "abort_requested by reprise",
            "retract m",
            "m aborted",
            "kill_all"
        ]
    );
    // The killed command is reported, then the drill ends.
    let out = s.send(Input::CommandExited(Exit {
        step: s.ix("slow"),
        attempt: 1,
        ending: crate::event::Ending {
            signal: Some("SIGTERM".into()),
            ..Default::default()
        },
        ..Exit::default()
    }));
    assert_eq!(
        out,
        [
            "attempt slow#1 exit=-1",
            "slow aborted",
            "run_finished aborted",
            "finished aborted"
        ]
    );
    assert!(
        !s.events
            .iter()
            .any(|e| e.step().is_some_and(|id| id.as_str() == "never")),
        "a step never reached gets no event"
    );
}

#[test]
fn a_command_that_finishes_on_its_own_during_an_abort_is_done() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: Some("power cut".into()),
    });
    assert_eq!(s.send(abort), ["abort_requested by alice", "kill_all"]);
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
    assert_eq!(
        s.exit("b", 1, 143)[1..],
        ["b aborted", "run_finished aborted", "finished aborted"]
    );
}

#[test]
fn on_failure_rollback_undoes_completed_steps_newest_first() {
    let mut manual_rb = manual("m");
    manual_rb.rollback = Some(Rollback::Instructions(Located::new(
        "switch it back".into(),
        Span::default(),
    )));
    let rb = runbook(vec![
        rollback_cmd(cmd("first"), "undo-first"),
        needs(manual_rb, &["first"]),
        needs(cmd("no-rollback"), &["m"]),
        needs(rollback_cmd(cmd("third"), "undo-third"), &["no-rollback"]),
        needs(policy(cmd("bad"), OnFailure::Rollback), &["third"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("first", 1, 0);
    s.record("m", Outcome::Done, None);
    s.exit("no-rollback", 1, 0);
    s.exit("third", 1, 0);
    assert_eq!(
        s.exit("bad", 1, 1),
        [
            "attempt bad#1 exit=1",
            "bad failed",
            "abort_requested by reprise",
            "ask rollback third"
        ]
    );
    assert_eq!(
        s.decide("third", Decision::Run, None),
        ["rollback_started third", "start third#0"]
    );
    assert_eq!(
        s.exit("third", 0, 0),
        ["rollback_finished third done", "ask rollback m"]
    );
    // A manual rollback is confirmed done.
    assert_eq!(
        s.decide("m", Decision::MarkDone, None),
        [
            "rollback_started m",
            "rollback_finished m done",
            "ask rollback first"
        ]
    );
    // Declining needs a reason.
    assert_eq!(
        s.decide("first", Decision::Skip, None),
        ["ask rollback first"]
    );
    assert_eq!(
        s.decide("first", Decision::Skip, Some("keep the copy")),
        [
            "rollback_finished first skipped",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn a_failed_rollback_is_recorded_and_the_next_is_offered() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        needs(rollback_cmd(cmd("b"), "undo-b"), &["a"]),
        needs(policy(cmd("c"), OnFailure::Rollback), &["b"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("a", 1, 0);
    s.exit("b", 1, 0);
    s.exit("c", 1, 1);
    s.decide("b", Decision::Run, None);
    assert_eq!(
        s.exit("b", 0, 2),
        ["rollback_finished b failed", "ask rollback a"]
    );
    // Aborting during rollbacks ends the drill without the rest.
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: None,
    });
    assert_eq!(
        s.send(abort),
        [
            "abort_requested by alice",
            "retract a",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn aborting_a_running_rollback_kills_it_and_ends() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        rollback_cmd(cmd("z"), "undo-z"),
        needs(policy(cmd("c"), OnFailure::Rollback), &["a", "z"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("z", 1, 0);
    s.exit("a", 1, 0);
    s.exit("c", 1, 1);
    assert_eq!(
        s.decide("a", Decision::Run, None),
        ["rollback_started a", "start a#0"]
    );
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: None,
    });
    assert_eq!(s.send(abort), ["abort_requested by alice", "kill_all"]);
    assert_eq!(
        s.exit("a", 0, 143),
        [
            "rollback_finished a failed",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

fn ask_runbook() -> Runbook {
    runbook(vec![
        rollback_cmd(cmd("before"), "undo"),
        needs(cmd("a"), &["before"]),
        needs(cmd("b"), &["a"]),
    ])
}

fn ask_sim(rb: &Runbook) -> Sim<'_> {
    let mut s = Sim::new(rb, config());
    s.start();
    s.exit("before", 1, 0);
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1", "ask failed a"]);
    s
}

#[test]
fn ask_retry_starts_the_next_attempt() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(s.decide("a", Decision::Retry, None), ["ask failed a"]);
    assert_eq!(
        s.decide("a", Decision::Retry, Some("disk freed")),
        ["decision a Retry", "started a#2", "start a#2"]
    );
    assert_eq!(
        s.exit("a", 2, 0),
        [
            "attempt a#2 exit=0",
            "a done",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
}

#[test]
fn ask_mark_done_needs_a_reason_and_counts_as_done() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(s.decide("a", Decision::MarkDone, None), ["ask failed a"]);
    assert_eq!(
        s.decide("a", Decision::MarkDone, Some("done on the console")),
        [
            "decision a MarkDone",
            "a done",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    let Event::StepFinished {
        source,
        by,
        reason,
        attempts,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(source, Source::Operator);
    assert_eq!(by, "bob");
    assert_eq!(reason.as_deref(), Some("done on the console"));
    assert_eq!(attempts, 1);
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished recovered");
}

#[test]
fn ask_skip_lets_dependents_go_on() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Skip, Some("not needed tonight")),
        [
            "decision a Skip",
            "a skipped",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished recovered");
}

#[test]
fn ask_continue_keeps_the_failure_and_degrades() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Continue, None),
        [
            "decision a Continue",
            "a failed",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished degraded");
}

#[test]
fn ask_abort_ends_the_drill() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Abort, Some("too risky")),
        [
            "decision a Abort",
            "a failed",
            "abort_requested by bob",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn ask_rollback_rolls_back() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Rollback, Some("back out")),
        [
            "decision a Rollback",
            "a failed",
            "abort_requested by bob",
            "ask rollback before"
        ]
    );
}

#[test]
fn a_question_nobody_can_answer_aborts() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    let step = s.ix("a");
    let out = s.send(Input::Operator(OperatorInput::Unanswerable {
        step,
        message: "use --yes or --answers".into(),
    }));
    assert_eq!(
        out,
        [
            "abort_requested by reprise",
            "retract a",
            "a failed",
            "run_finished aborted",
            "finished aborted"
        ]
    );
    assert!(matches!(
        &s.events[s.events.len() - 3],
        Event::AbortRequested { reason: Some(r), .. } if r.contains("--yes")
    ));
}

#[test]
fn aborting_retracts_every_open_question() {
    let rb = runbook(vec![cmd("a"), cmd("b"), manual("m")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1", "ask failed a"]);
    assert_eq!(
        s.decide("m", Decision::Abort, None),
        [
            "decision m Abort",
            "abort_requested by bob",
            "retract a",
            "a failed",
            "retract m",
            "m aborted",
            "kill_all"
        ]
    );
}

// ---- presets --------------------------------------------------------------

#[test]
fn assume_done_and_skip_are_recorded_from_the_command_line() {
    let mut crit = cmd("crit");
    crit.critical = true;
    let rb = runbook(vec![cmd("a"), crit, needs(cmd("b"), &["a", "crit"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            presets: vec![
                Preset::AssumeDone {
                    step: StepIndex(0),
                    reason: "done before the drill".into(),
                },
                Preset::Skip {
                    step: StepIndex(1),
                    reason: "array absent".into(),
                },
            ],
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "run_started",
            "a done",
            "crit skipped",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    for id in ["a", "crit"] {
        let Event::StepFinished { source, by, .. } = s.finished(id) else {
            unreachable!()
        };
        assert_eq!((source, by.as_str()), (Source::CommandLine, "alice"));
    }
    // A critical step skipped: the drill cannot recover.
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished degraded");
}

#[test]
fn assumed_done_steps_are_not_rolled_back() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        needs(policy(cmd("b"), OnFailure::Rollback), &["a"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            presets: vec![Preset::AssumeDone {
                step: StepIndex(0),
                reason: "earlier".into(),
            }],
            ..config()
        },
    );
    s.start();
    assert_eq!(
        s.exit("b", 1, 1)[3..],
        ["run_finished aborted", "finished aborted"]
    );
}

#[test]
fn resume_replays_silently_and_handles_interrupted_steps() {
    let mut idem = cmd("idem");
    idem.idempotent = true;
    let rb = runbook(vec![
        cmd("done-before"),
        needs(idem, &["done-before"]),
        needs(cmd("risky"), &["done-before"]),
        needs(manual("open"), &["done-before"]),
        needs(cmd("later"), &["idem", "risky", "open"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![
                Preset::Recorded {
                    step: StepIndex(0),
                    outcome: Outcome::Done,
                    dependents_proceed: true,
                },
                // Attempt numbers go on from those recorded.
                Preset::Interrupted {
                    step: StepIndex(1),
                    attempts: 1,
                    hosts: vec![],
                },
                Preset::Interrupted {
                    step: StepIndex(2),
                    attempts: 2,
                    hosts: vec![],
                },
                Preset::Interrupted {
                    step: StepIndex(3),
                    attempts: 0,
                    hosts: vec![],
                },
            ],
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "ask interrupted risky",
            "ask manual open",
            "started idem#2",
            "start idem#2"
        ]
    );
    assert_eq!(
        s.decide("risky", Decision::Run, None),
        ["decision risky Run", "started risky#3", "start risky#3"]
    );
    s.record("open", Outcome::Done, None);
    s.exit("risky", 3, 0);
    assert_eq!(
        s.exit("idem", 2, 0)[2..],
        ["ready later", "started later#1", "start later#1"]
    );
}

#[test]
fn an_interrupted_step_can_be_marked_failed_by_hand() {
    let rb = runbook(vec![
        policy(cmd("risky"), OnFailure::Continue),
        needs(cmd("next"), &["risky"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Interrupted {
                step: StepIndex(0),
                attempts: 1,
                hosts: vec![],
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["ask interrupted risky"]);
    assert_eq!(
        s.decide("risky", Decision::MarkFailed, None),
        ["ask interrupted risky"]
    );
    assert_eq!(
        s.decide("risky", Decision::MarkFailed, Some("half done, unclear")),
        [
            "decision risky MarkFailed",
            "risky failed",
            "ready next",
            "started next#1",
            "start next#1"
        ]
    );
}

#[test]
fn a_recorded_failure_that_blocks_dependents_ends_degraded() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Failed,
                dependents_proceed: false,
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["run_finished degraded", "finished degraded"]);
}

#[test]
fn a_recorded_failure_with_continue_lets_dependents_run() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Failed,
                dependents_proceed: true,
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["ready b", "started b#1", "start b#1"]);
}

// ---- notes, handover ----------------------------------------------------------

#[test]
fn handover_changes_who_later_records_are_attributed_to() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("a", 1, 0);
    let out = s.send(Input::Operator(OperatorInput::Handover {
        to: "night-shift".into(),
        note: Some("b still running".into()),
        by: "alice".into(),
    }));
    assert_eq!(out, ["handover alice->night-shift"]);
    assert_eq!(s.engine.operator(), "night-shift");
    let out = s.send(Input::Operator(OperatorInput::Note {
        text: "fans are loud".into(),
        step: Some(StepIndex(1)),
        by: "night-shift".into(),
    }));
    assert_eq!(out, ["note fans are loud"]);
    s.exit("b", 1, 0);
    let by = |id| match s.finished(id) {
        Event::StepFinished { by, .. } => by,
        _ => unreachable!(),
    };
    assert_eq!(by("a"), "alice");
    assert_eq!(by("b"), "night-shift");
}

#[test]
fn records_carry_the_account_and_origin_of_whoever_made_them() {
    use crate::identity::{Identity, Origin};
    let origin = |account: &str, from: Option<&str>| Origin {
        account: Some(account.into()),
        from: from.map(Into::into),
        ..Origin::default()
    };
    let rb = runbook(vec![manual("m"), manual("n"), cmd("c")]);
    let starter = Identity::new("alice", origin("root", None));
    let mut s = Sim::new(
        &rb,
        Config {
            operator: starter,
            ..config()
        },
    );
    s.start();
    let storage = Identity::new("storage-team", origin("bob", Some("10.0.0.7")));
    s.send(Input::Operator(OperatorInput::Record {
        step: s.ix("n"),
        outcome: Outcome::Done,
        reason: None,
        by: storage.clone(),
        auto: false,
    }));
    s.send(Input::Operator(OperatorInput::Note {
        text: "array is back".into(),
        step: None,
        by: storage,
    }));
    s.record("m", Outcome::Done, None);
    s.exit("c", 1, 0);
    let who = |id| match s.finished(id) {
        Event::StepFinished { by, origin, .. } => (by, origin),
        _ => unreachable!(),
    };
    assert_eq!(
        who("n"),
        ("storage-team".into(), origin("bob", Some("10.0.0.7")))
    );
    assert_eq!(who("m"), ("bob".into(), Origin::default()));
    assert_eq!(who("c"), ("alice".into(), origin("root", None)));
    let note = s.events.iter().find_map(|e| match e {
        Event::Note { by, origin, .. } => Some((by.clone(), origin.clone())),
        _ => None,
    });
    assert_eq!(
        note,
        Some(("storage-team".into(), origin("bob", Some("10.0.0.7"))))
    );
}

#[test]
fn a_hold_lets_running_commands_finish_and_starts_nothing_until_released() {
    let rb = runbook(vec![
        cmd("a"),
        needs(cmd("b"), &["a"]),
        needs(manual("m"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        ["run_started", "ready a", "started a#1", "start a#1"]
    );
    let hold = |by: &str| {
        Input::Operator(OperatorInput::Hold {
            by: by.into(),
            reason: Some("we stop tonight".into()),
        })
    };
    assert_eq!(s.send(hold("alice")), ["held by alice"]);
    assert!(s.engine.is_held());
    assert!(s.send(hold("bob")).is_empty(), "already held");
    // The running command finishes and is recorded; its dependents wait.
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
    s.advance(3600);
    assert!(s.send(Input::Tick).is_empty());
    assert!(!s.engine.is_finished());
    let out = s.send(Input::Operator(OperatorInput::Release { by: "bob".into() }));
    assert_eq!(
        out,
        [
            "released by bob",
            "ready b",
            "ready m",
            "ask manual m",
            "started b#1",
            "start b#1"
        ]
    );
    assert!(
        s.send(Input::Operator(OperatorInput::Release { by: "bob".into() }))
            .is_empty(),
        "not held"
    );
}

#[test]
fn a_stop_records_run_stopped_and_nothing_after_it() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    let out = s.send(Input::Operator(OperatorInput::Stop {
        by: "signal".into(),
        reason: Some("stopped by SIGTERM".into()),
    }));
    assert_eq!(out, ["run_stopped", "stopped"]);
    // The killed command's end is not recorded: resume decides about it.
    assert!(s.exit("a", 1, 143).is_empty());
    assert!(!s.engine.is_finished());
}

#[test]
fn auto_confirmed_records_say_so() {
    let rb = runbook(vec![manual("m")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.send(Input::Operator(OperatorInput::Record {
        step: StepIndex(0),
        outcome: Outcome::Done,
        reason: None,
        by: "alice".into(),
        auto: true,
    }));
    let Event::StepFinished { source, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(source, Source::AutoConfirmed);
}

#[test]
fn inputs_before_start_or_about_unknown_steps_are_ignored() {
    let rb = runbook(vec![manual("m")]);
    let mut s = Sim::new(&rb, config());
    assert!(s.record("m", Outcome::Done, None).is_empty());
    assert!(
        s.send(Input::Operator(OperatorInput::Record {
            step: StepIndex(99),
            outcome: Outcome::Done,
            reason: None,
            by: "x".into(),
            auto: false,
        }))
        .is_empty()
    );
    s.start();
    assert!(s.start().is_empty(), "a second start does nothing");
}

#[test]
fn timed_out_attempts_say_so_in_the_reason() {
    let rb = runbook(vec![policy(cmd("a"), OnFailure::Continue)]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.send(Input::CommandExited(Exit {
        step: StepIndex(0),
        attempt: 1,
        ending: crate::event::Ending {
            signal: Some("SIGTERM".into()),
            timed_out: true,
            ..Default::default()
        },
        ..Exit::default()
    }));
    let Event::StepFinished { reason, .. } = s.finished("a") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("timed out"));
}
