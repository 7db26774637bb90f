//! The drill engine: a pure state machine.
//!
//! [`Engine`] never spawns, sleeps, reads the clock or prints. The driver
//! hands it an [`Input`] with the current time and carries out the
//! [`Output`]s it returns, in order: events are recorded (and made durable)
//! before the batch's actions run. Keeping the engine free of I/O is what lets
//! the same code run a real drill, a dry run on a simulated clock, and the
//! unit tests below with a fake clock and scripted inputs.
//!
//! Scheduling rules (see "Execution semantics" in the runbook format):
//!
//! - A step becomes ready when each step it needs has ended `done`,
//!   `skipped`, `not_applicable`, or `failed` with dependents allowed to go
//!   on (`on_failure: continue`, or the operator chose `continue`).
//! - A ready step whose `only` names the other mode ends `not_applicable` at
//!   once (source `engine`) and satisfies its dependents.
//! - Ready commands wait in a queue ordered by **file order** and start while
//!   fewer than `jobs` commands run. File order is what the author wrote and
//!   what an operator reading the runbook expects to see start first; it is
//!   stable from one run to the next. A step whose host is running its
//!   `max_parallel` steps already stays queued, and the next one that fits
//!   starts instead.
//! - Manual steps are announced (`Ask(Question::Manual)`) and stay open until
//!   the operator records an outcome; several can be open at once.
//! - `confirm: true` commands ask before they enter the queue.
//!
//! Aborting stops scheduling, ends every running process group (`KillAll`)
//! and waits for each to be reported ended (those end `aborted`, or `done`
//! when they finished on their own first); open questions are retracted and
//! their steps end `aborted` (a failed step awaiting a decision stays
//! `failed`). Steps never reached stay pending and get no event. A rollback
//! then offers, one at a time and in reverse order of completion, the
//! rollback of every step completed during this drill that has one. Steps
//! given as `--assume-done` were done outside the drill and are not rolled
//! back.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::{
    Action, Config, Exit, Input, Launch, OperatorInput, Output, Preset, Question, RunInfo,
};
use crate::event::{
    Decision, Event, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped,
};
use crate::graph::{Graph, Prerequisite, Readiness};
use crate::runbook::{Mode, Rollback, Runbook, StepIndex, StepKind};

/// Who engine-decided records are attributed to.
const ENGINE: &str = "reprise";

/// Where one step is.
#[derive(Debug, Clone, PartialEq)]
enum State {
    /// Waiting for dependencies (or never reached).
    Pending,
    /// A ready command waiting for a job slot; `attempt` is the next one.
    Queued { attempt: u32 },
    /// `Ask(Confirm)` is open.
    Confirming,
    /// A manual step is open (`Ask(Manual)`).
    Open,
    /// An attempt is running.
    Running { attempt: u32 },
    /// A failed attempt; the next starts at `at`.
    Retrying { attempt: u32, at: Timestamp },
    /// Failed with `on_failure: ask`; `Ask(Failed)` is open.
    Failed {
        attempts: u32,
        exit: Exit,
        reason: Option<String>,
    },
    /// Resumed after an interruption; `Ask(Interrupted)` is open.
    Interrupted,
    /// Running when the drill was aborted; waiting for the process to end.
    Killing { attempt: u32 },
    /// Ended.
    Finished { outcome: Outcome, proceeds: bool },
}

impl State {
    fn is_active(&self) -> bool {
        !matches!(self, State::Pending | State::Finished { .. })
    }

    fn is_running(&self) -> bool {
        matches!(self, State::Running { .. } | State::Killing { .. })
    }
}

/// Where the drill as a whole is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    /// Before `Start`.
    Idle,
    /// Scheduling steps.
    Running,
    /// Aborted: waiting for running commands to end, then roll back or finish.
    Aborting { rollback: bool },
    /// Offering rollbacks, newest completion first.
    RollingBack {
        /// Still to offer, next at the end.
        todo: Vec<StepIndex>,
        /// The one being offered or run.
        current: Option<(StepIndex, bool)>,
    },
    /// `run_finished` emitted.
    Finished,
}

/// The drill state machine. See the module documentation.
#[derive(Debug)]
pub struct Engine<'a> {
    runbook: &'a Runbook,
    graph: &'a Graph,
    config: Config,
    /// Which steps have all their prerequisites (phase barriers included).
    readiness: Readiness,
    /// The operator in charge (changes with handovers).
    operator: String,
    states: Vec<State>,
    /// Attempts made per step.
    attempts: Vec<u32>,
    /// Attempts made before a resume (recorded in the journal): numbering
    /// goes on from them, the `retries` budget starts after them.
    earlier: Vec<u32>,
    /// Steps resumed after an interruption, not yet handled.
    interrupted: Vec<bool>,
    queue: BTreeSet<StepIndex>,
    /// Steps that became ready and must be announced, in order.
    ready: std::collections::VecDeque<StepIndex>,
    /// Steps completed `done` during this drill, in order of completion.
    completed: Vec<StepIndex>,
    /// Steps neither pending nor finished.
    active: usize,
    /// Steps with a process (running or being killed).
    running: usize,
    /// Steps running per host, against each host's `max_parallel`.
    host_load: crate::hosts::HostLoad,
    /// Retry times of steps in `Retrying`.
    retries: BTreeSet<(Timestamp, StepIndex)>,
    stage: Stage,
    aborted: bool,
    now: Timestamp,
    out: Vec<Output>,
}

impl<'a> Engine<'a> {
    /// An engine for `runbook` with its resolved dependency `graph`.
    pub fn new(runbook: &'a Runbook, graph: &'a Graph, config: Config) -> Self {
        let n = runbook.steps.len();
        Engine {
            runbook,
            graph,
            readiness: Readiness::new(graph),
            operator: config.operator.clone(),
            config,
            states: vec![State::Pending; n],
            attempts: vec![0; n],
            earlier: vec![0; n],
            interrupted: vec![false; n],
            queue: BTreeSet::new(),
            ready: Default::default(),
            completed: Vec::new(),
            active: 0,
            running: 0,
            host_load: crate::hosts::HostLoad::new(runbook),
            retries: BTreeSet::new(),
            stage: Stage::Idle,
            aborted: false,
            now: Timestamp::UNIX_EPOCH,
            out: Vec::new(),
        }
    }

    /// Feeds one input at time `now`; returns what to record and do, in
    /// order. Inputs that make no sense in the current state (a stale exit,
    /// an answer to a question no longer open) are ignored; an answer that
    /// lacks a required reason puts the question again.
    pub fn handle(&mut self, now: Timestamp, input: Input) -> Vec<Output> {
        self.now = now;
        match input {
            Input::Start => self.start(),
            Input::CommandExited(exit) => self.exited(exit),
            Input::Operator(op) => self.operator_input(op),
            Input::Tick => {}
            Input::HostExited { host, exit } => self.host_exited(host, exit),
        }
        self.pump();
        std::mem::take(&mut self.out)
    }

    /// When the next [`Input::Tick`] is due (the earliest retry delay), if
    /// any.
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.retries.first().map(|(t, _)| *t)
    }

    /// True once `run_finished` has been emitted.
    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Finished
    }

    /// The operator in charge now (after handovers).
    pub fn operator(&self) -> &str {
        &self.operator
    }

    // ---- inputs -------------------------------------------------------

    fn start(&mut self) {
        if self.stage != Stage::Idle {
            return;
        }
        self.stage = Stage::Running;
        if !self.config.resume {
            let event = self.run_started();
            self.emit(event);
        }
        let presets = std::mem::take(&mut self.config.presets);
        for preset in &presets {
            match preset {
                Preset::AssumeDone { step, reason } | Preset::Skip { step, reason } => {
                    if !self.valid(*step) || self.states[step.get()] != State::Pending {
                        continue;
                    }
                    let outcome = if matches!(preset, Preset::AssumeDone { .. }) {
                        Outcome::Done
                    } else {
                        Outcome::Skipped
                    };
                    let by = self.operator.clone();
                    self.finish(
                        *step,
                        Finish::new(outcome, Source::CommandLine, by).reason(Some(reason.clone())),
                    );
                }
                Preset::Recorded {
                    step,
                    outcome,
                    dependents_proceed,
                } => {
                    if !self.valid(*step) || self.states[step.get()] != State::Pending {
                        continue;
                    }
                    let proceeds = outcome.satisfies_dependents()
                        || (*outcome == Outcome::Failed && *dependents_proceed);
                    self.settle(*step, *outcome, proceeds);
                    if *outcome == Outcome::Done {
                        self.completed.push(*step);
                    }
                }
                Preset::Interrupted { step, attempts } => {
                    if self.valid(*step) {
                        self.interrupted[step.get()] = true;
                        self.attempts[step.get()] = *attempts;
                        self.earlier[step.get()] = *attempts;
                    }
                }
            }
        }
        self.config.presets = presets;
        // Everything ready now, in file order (presets may have released
        // some steps already).
        self.ready = self.readiness.initially_ready().into();
    }

    fn valid(&self, step: StepIndex) -> bool {
        step.get() < self.states.len()
    }

    /// One host of a remote step is done: recorded as it is, the step
    /// itself waits for its combined exit.
    fn host_exited(&mut self, host: String, exit: Exit) {
        if self.valid(exit.step) {
            self.emit(Event::HostFinished {
                step: self.id(exit.step),
                attempt: exit.attempt,
                host,
                exit_code: exit.exit_code,
                signal: exit.signal,
                timed_out: exit.timed_out,
                error: exit.error,
            });
        }
    }

    fn exited(&mut self, exit: Exit) {
        let step = exit.step;
        if !self.valid(step) {
            return;
        }
        if exit.attempt == 0 {
            self.rollback_exited(exit);
            return;
        }
        match self.states[step.get()].clone() {
            State::Running { attempt } if attempt == exit.attempt => {
                self.attempt_finished(&exit);
                if exit.success() {
                    self.command_done(step, &exit);
                } else if attempt - self.earlier[step.get()].min(attempt)
                    <= self.runbook.step(step).retries
                {
                    let delay = self.runbook.step(step).retry_delay.to_std();
                    let at = self.now.checked_add(delay).unwrap_or(Timestamp::MAX);
                    self.set(
                        step,
                        State::Retrying {
                            attempt: attempt + 1,
                            at,
                        },
                    );
                } else {
                    self.failed(step, attempt, exit, None);
                }
            }
            State::Killing { attempt } if attempt == exit.attempt => {
                self.attempt_finished(&exit);
                if exit.success() {
                    self.command_done(step, &exit);
                } else {
                    let by = ENGINE.to_string();
                    self.finish(
                        step,
                        Finish::new(Outcome::Aborted, Source::Engine, by)
                            .reason(Some("the drill was aborted while it ran".into()))
                            .exit(&exit, attempt),
                    );
                }
                if self.running == 0 {
                    self.after_abort();
                }
            }
            _ => {}
        }
    }

    fn attempt_finished(&mut self, exit: &Exit) {
        let event = Event::AttemptFinished {
            step: self.id(exit.step),
            attempt: exit.attempt,
            exit_code: exit.exit_code,
            signal: exit.signal.clone(),
            timed_out: exit.timed_out,
            error: exit.error.clone(),
        };
        self.emit(event);
    }

    fn command_done(&mut self, step: StepIndex, exit: &Exit) {
        let by = self.operator.clone();
        let mut finish = Finish::new(Outcome::Done, Source::Command, by).exit(exit, exit.attempt);
        // A successful command's output is in its log; the journal keeps
        // the tail of failures only.
        finish.output_tail.clear();
        self.finish(step, finish);
        self.completed.push(step);
    }

    /// A step has failed for good (no retry left, or the operator recorded
    /// it failed): apply `on_failure`.
    fn failed(&mut self, step: StepIndex, attempts: u32, exit: Exit, reason: Option<String>) {
        use crate::runbook::OnFailure;
        let policy = self.runbook.step(step).on_failure;
        let by = self.operator.clone();
        let source = if attempts > 0 {
            Source::Command
        } else {
            Source::Operator
        };
        let finish = Finish::new(Outcome::Failed, source, by)
            .reason(reason.clone())
            .exit(&exit, attempts);
        match policy {
            OnFailure::Continue => self.finish(step, finish.proceeds(true)),
            OnFailure::Abort | OnFailure::Rollback => {
                self.finish(step, finish);
                let id = self.id(step);
                self.begin_abort(
                    ENGINE.into(),
                    Some(format!("step `{id}` failed (on_failure: {policy})")),
                    policy == OnFailure::Rollback,
                );
            }
            OnFailure::Ask => {
                self.set(
                    step,
                    State::Failed {
                        attempts,
                        exit: exit.clone(),
                        reason,
                    },
                );
                self.action(Action::Ask(Question::Failed { step, exit }));
            }
        }
    }

    fn operator_input(&mut self, input: OperatorInput) {
        match input {
            OperatorInput::Record {
                step,
                outcome,
                reason,
                by,
                auto,
            } => self.record(step, outcome, reason, by, auto),
            OperatorInput::Decide {
                step,
                decision,
                reason,
                by,
                auto,
            } => self.decide(step, decision, reason, by, auto),
            OperatorInput::Note { text, step, by } => {
                let step = step.filter(|s| self.valid(*s)).map(|s| self.id(s));
                self.emit(Event::Note { text, by, step });
            }
            OperatorInput::Handover { to, note } => {
                let from = std::mem::replace(&mut self.operator, to.clone());
                self.emit(Event::Handover { from, to, note });
            }
            OperatorInput::Abort { by, reason } => self.abort_request(by, reason),
            OperatorInput::Unanswerable { message, .. } => {
                self.abort_request(ENGINE.into(), Some(message))
            }
        }
    }

    fn abort_request(&mut self, by: String, reason: Option<String>) {
        match self.stage.clone() {
            Stage::Running => self.begin_abort(by, reason, false),
            Stage::RollingBack { current, .. } => {
                self.emit(Event::AbortRequested { by, reason });
                match current {
                    Some((step, true)) => {
                        // The rollback command is killed; its exit ends the
                        // rollbacks.
                        self.stage = Stage::RollingBack {
                            todo: Vec::new(),
                            current: Some((step, true)),
                        };
                        self.action(Action::KillAll);
                    }
                    Some((step, false)) => {
                        self.action(Action::Retract { step });
                        self.finish_run();
                    }
                    None => self.finish_run(),
                }
            }
            Stage::Idle | Stage::Aborting { .. } | Stage::Finished => {}
        }
    }

    fn record(
        &mut self,
        step: StepIndex,
        outcome: Outcome,
        reason: Option<String>,
        by: String,
        auto: bool,
    ) {
        if !self.valid(step) || self.states[step.get()] != State::Open {
            return;
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        let source = operator_source(auto);
        match outcome {
            Outcome::Done => {
                self.finish(step, Finish::new(Outcome::Done, source, by).reason(reason));
                self.completed.push(step);
            }
            Outcome::Skipped if reason.is_some() => {
                self.finish(
                    step,
                    Finish::new(Outcome::Skipped, source, by).reason(reason),
                );
            }
            Outcome::Failed if reason.is_some() => {
                let exit = Exit {
                    step,
                    ..Exit::default()
                };
                self.failed_by_operator(step, exit, reason, by, source);
            }
            _ => self.ask_again(step),
        }
    }

    /// A manual step recorded failed: `on_failure` applies, the record is the
    /// operator's.
    fn failed_by_operator(
        &mut self,
        step: StepIndex,
        exit: Exit,
        reason: Option<String>,
        by: String,
        source: Source,
    ) {
        use crate::runbook::OnFailure;
        let policy = self.runbook.step(step).on_failure;
        let finish = Finish::new(Outcome::Failed, source, by).reason(reason.clone());
        match policy {
            OnFailure::Ask => {
                self.set(
                    step,
                    State::Failed {
                        attempts: 0,
                        exit: exit.clone(),
                        reason,
                    },
                );
                self.action(Action::Ask(Question::Failed { step, exit }));
            }
            OnFailure::Continue => self.finish(step, finish.proceeds(true)),
            OnFailure::Abort | OnFailure::Rollback => {
                self.finish(step, finish);
                let id = self.id(step);
                self.begin_abort(
                    ENGINE.into(),
                    Some(format!("step `{id}` failed (on_failure: {policy})")),
                    policy == OnFailure::Rollback,
                );
            }
        }
    }

    fn decide(
        &mut self,
        step: StepIndex,
        decision: Decision,
        reason: Option<String>,
        by: String,
        auto: bool,
    ) {
        if !self.valid(step) {
            return;
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        if let Stage::RollingBack {
            current: Some((current, false)),
            ..
        } = self.stage
            && current == step
        {
            self.rollback_decision(step, decision, reason, by);
            return;
        }
        if self.stage != Stage::Running {
            return;
        }
        let state = self.states[step.get()].clone();
        let asked = matches!(
            state,
            State::Open | State::Confirming | State::Failed { .. } | State::Interrupted
        );
        if !asked {
            return;
        }
        let needs_reason = matches!(
            decision,
            Decision::MarkDone | Decision::MarkFailed | Decision::Skip | Decision::Retry
        ) && !matches!(state, State::Interrupted if decision == Decision::Retry);
        if needs_reason && reason.is_none() {
            self.ask_again(step);
            return;
        }
        let allowed = matches!(
            (&state, decision),
            (
                _,
                Decision::Abort | Decision::Rollback | Decision::Skip | Decision::MarkDone
            ) | (State::Confirming | State::Interrupted, Decision::Run)
                | (State::Failed { .. }, Decision::Retry | Decision::Continue)
                | (State::Interrupted, Decision::MarkFailed | Decision::Retry)
        );
        if !allowed {
            self.ask_again(step);
            return;
        }
        let source = operator_source(auto);
        self.emit(Event::Decision {
            step: self.id(step),
            decision,
            reason: reason.clone(),
            by: by.clone(),
            source,
        });
        let failed_finish = |attempts: u32, exit: &Exit, stored: &Option<String>| {
            Finish::new(Outcome::Failed, source, by.clone())
                .reason(reason.clone().or_else(|| stored.clone()))
                .exit(exit, attempts)
        };
        match decision {
            Decision::Abort | Decision::Rollback => {
                if let State::Failed {
                    attempts,
                    exit,
                    reason: stored,
                } = &state
                {
                    self.finish(step, failed_finish(*attempts, exit, stored));
                }
                self.begin_abort(by, reason, decision == Decision::Rollback);
            }
            Decision::MarkDone => {
                let mut finish = Finish::new(Outcome::Done, source, by).reason(reason);
                if let State::Failed { attempts, exit, .. } = &state {
                    finish = finish.exit(exit, *attempts);
                    finish.output_tail.clear();
                }
                self.finish(step, finish);
                self.completed.push(step);
            }
            Decision::Skip => {
                let mut finish = Finish::new(Outcome::Skipped, source, by).reason(reason);
                if let State::Failed { attempts, exit, .. } = &state {
                    finish = finish.exit(exit, *attempts);
                    finish.output_tail.clear();
                }
                self.finish(step, finish);
            }
            Decision::Continue => {
                if let State::Failed {
                    attempts,
                    exit,
                    reason: stored,
                } = &state
                {
                    self.finish(step, failed_finish(*attempts, exit, stored).proceeds(true));
                }
            }
            Decision::MarkFailed => {
                let exit = Exit {
                    step,
                    ..Exit::default()
                };
                self.failed_by_operator(step, exit, reason, by, source);
            }
            Decision::Run | Decision::Retry => self.run_again(step, &state),
        }
    }

    /// Starts a step (again): a command goes to the queue with its next
    /// attempt number, a manual step is opened again.
    fn run_again(&mut self, step: StepIndex, state: &State) {
        if self.runbook.step(step).run.is_none() {
            self.set(step, State::Open);
            self.action(Action::Ask(Question::Manual { step }));
            return;
        }
        let attempt = match state {
            State::Failed { attempts, .. } => attempts + 1,
            _ => self.attempts[step.get()] + 1,
        };
        self.set(step, State::Queued { attempt });
        self.queue.insert(step);
    }

    fn ask_again(&mut self, step: StepIndex) {
        if let Some(q) = self.question(step) {
            self.action(Action::Ask(q));
        }
    }

    /// The question open about `step`, if any.
    fn question(&self, step: StepIndex) -> Option<Question> {
        if let Stage::RollingBack {
            current: Some((s, false)),
            ..
        } = self.stage
            && s == step
        {
            return Some(Question::Rollback { step });
        }
        match &self.states[step.get()] {
            State::Open => Some(Question::Manual { step }),
            State::Confirming => Some(Question::Confirm { step }),
            State::Failed { exit, .. } => Some(Question::Failed {
                step,
                exit: exit.clone(),
            }),
            State::Interrupted => Some(Question::Interrupted { step }),
            _ => None,
        }
    }

    // ---- abort and rollback --------------------------------------------

    fn begin_abort(&mut self, by: String, reason: Option<String>, rollback: bool) {
        if self.stage != Stage::Running {
            return;
        }
        self.aborted = true;
        self.stage = Stage::Aborting { rollback };
        self.emit(Event::AbortRequested { by, reason });
        self.ready.clear();
        self.queue.clear();
        self.retries.clear();
        let mut kill = false;
        for step in self.runbook.step_indices() {
            let state = self.states[step.get()].clone();
            let aborted = || {
                Finish::new(Outcome::Aborted, Source::Engine, ENGINE.into())
                    .reason(Some("the drill was aborted".into()))
            };
            match state {
                State::Running { attempt } => {
                    self.set(step, State::Killing { attempt });
                    kill = true;
                }
                State::Queued { .. } | State::Retrying { .. } => self.finish(step, aborted()),
                State::Open | State::Confirming | State::Interrupted => {
                    self.action(Action::Retract { step });
                    self.finish(step, aborted());
                }
                State::Failed {
                    attempts,
                    exit,
                    reason,
                } => {
                    self.action(Action::Retract { step });
                    let finish = Finish::new(Outcome::Failed, Source::Engine, ENGINE.into())
                        .reason(reason.or(Some("the drill was aborted before a decision".into())))
                        .exit(&exit, attempts);
                    self.finish(step, finish);
                }
                State::Pending | State::Killing { .. } | State::Finished { .. } => {}
            }
        }
        if kill {
            self.action(Action::KillAll);
        } else {
            self.after_abort();
        }
    }

    /// Every process of the aborted drill has ended.
    fn after_abort(&mut self) {
        let Stage::Aborting { rollback } = self.stage else {
            return;
        };
        if !rollback {
            self.finish_run();
            return;
        }
        let todo: Vec<StepIndex> = self
            .completed
            .iter()
            .copied()
            .filter(|s| self.runbook.step(*s).rollback.is_some())
            .collect();
        self.stage = Stage::RollingBack {
            todo,
            current: None,
        };
        self.next_rollback();
    }

    fn next_rollback(&mut self) {
        let Stage::RollingBack { todo, current } = &mut self.stage else {
            return;
        };
        match todo.pop() {
            Some(step) => {
                *current = Some((step, false));
                self.action(Action::Ask(Question::Rollback { step }));
            }
            None => self.finish_run(),
        }
    }

    fn rollback_decision(
        &mut self,
        step: StepIndex,
        decision: Decision,
        reason: Option<String>,
        by: String,
    ) {
        match decision {
            Decision::Run | Decision::MarkDone => {
                self.emit(Event::RollbackStarted {
                    step: self.id(step),
                });
                let s = self.runbook.step(step);
                match &s.rollback {
                    Some(Rollback::Command(command)) => {
                        if let Stage::RollingBack { current, .. } = &mut self.stage {
                            *current = Some((step, true));
                        }
                        self.running += 1;
                        self.action(Action::StartCommand(Launch {
                            step,
                            attempt: 0,
                            command: command.value.clone(),
                            env: s.env.clone(),
                            workdir: s.workdir.clone(),
                            timeout: s.timeout.map(|t| t.value),
                            hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
                        }));
                    }
                    _ => {
                        self.emit(Event::RollbackFinished {
                            step: self.id(step),
                            outcome: Outcome::Done,
                            exit_code: None,
                            reason,
                            by,
                        });
                        self.next_rollback();
                    }
                }
            }
            Decision::Skip if reason.is_some() => {
                self.emit(Event::RollbackFinished {
                    step: self.id(step),
                    outcome: Outcome::Skipped,
                    exit_code: None,
                    reason,
                    by,
                });
                self.next_rollback();
            }
            Decision::Abort => {
                self.emit(Event::AbortRequested { by, reason });
                self.finish_run();
            }
            _ => self.action(Action::Ask(Question::Rollback { step })),
        }
    }

    fn rollback_exited(&mut self, exit: Exit) {
        let Stage::RollingBack {
            current: Some((step, true)),
            ..
        } = self.stage
        else {
            return;
        };
        if step != exit.step {
            return;
        }
        self.running -= 1;
        let (outcome, reason) = if exit.success() {
            (Outcome::Done, None)
        } else {
            (Outcome::Failed, Some(describe_failure(&exit)))
        };
        let by = self.operator.clone();
        self.emit(Event::RollbackFinished {
            step: self.id(step),
            outcome,
            exit_code: exit.exit_code,
            reason,
            by,
        });
        self.next_rollback();
    }

    fn finish_run(&mut self) {
        if self.stage == Stage::Finished {
            return;
        }
        self.stage = Stage::Finished;
        let result = self.result();
        self.emit(Event::RunFinished { result });
        self.action(Action::Finished(result));
    }

    /// The result rule: aborted if the drill was aborted; recovered if every
    /// step ended done, skipped or not applicable and no critical step was
    /// skipped; degraded otherwise (a failure, a critical skip, or a step
    /// never reached because a failure blocked it).
    fn result(&self) -> RunResult {
        if self.aborted {
            return RunResult::Aborted;
        }
        let degraded = self
            .runbook
            .step_indices()
            .any(|s| match &self.states[s.get()] {
                State::Finished { outcome, .. } => match outcome {
                    Outcome::Done | Outcome::NotApplicable => false,
                    Outcome::Skipped => self.runbook.step(s).critical,
                    Outcome::Failed | Outcome::Aborted => true,
                },
                _ => true,
            });
        if degraded {
            RunResult::Degraded
        } else {
            RunResult::Recovered
        }
    }

    // ---- scheduling -----------------------------------------------------

    /// Announces ready steps, moves due retries to the queue, starts queued
    /// commands while slots are free, and ends the drill when nothing is
    /// left to do.
    fn pump(&mut self) {
        if self.stage != Stage::Running {
            return;
        }
        while let Some((at, step)) = self.retries.first().copied() {
            if at > self.now {
                break;
            }
            self.retries.pop_first();
            if let State::Retrying { attempt, .. } = self.states[step.get()] {
                self.set(step, State::Queued { attempt });
                self.queue.insert(step);
            }
        }
        loop {
            while let Some(step) = self.ready.pop_front() {
                self.announce(step);
            }
            let jobs = self.config.jobs.max(1);
            let mut started = false;
            // The first queued step (file order) whose hosts have room.
            while self.running < jobs
                && self.stage == Stage::Running
                && let Some(step) = self.queue.iter().copied().find(|&s| self.host_load.fits(s))
            {
                self.queue.remove(&step);
                self.launch(step);
                started = true;
            }
            if self.ready.is_empty() && !started {
                break;
            }
        }
        if self.stage == Stage::Running && self.active == 0 {
            self.finish_run();
        }
    }

    /// A step's dependencies are all satisfied.
    fn announce(&mut self, step: StepIndex) {
        if self.states[step.get()] != State::Pending || self.stage != Stage::Running {
            return;
        }
        let s = self.runbook.step(step);
        if !s.applies_in(self.config.mode) {
            let reason = s.only.map(|m| format!("runs only in {m} mode"));
            self.finish(
                step,
                Finish::new(Outcome::NotApplicable, Source::Engine, ENGINE.into()).reason(reason),
            );
            return;
        }
        if std::mem::take(&mut self.interrupted[step.get()]) {
            // Announced already before the interruption.
            match s.kind() {
                StepKind::Manual => {
                    self.set(step, State::Open);
                    self.action(Action::Ask(Question::Manual { step }));
                }
                _ if s.idempotent => {
                    let attempt = self.attempts[step.get()] + 1;
                    self.set(step, State::Queued { attempt });
                    self.queue.insert(step);
                }
                _ => {
                    self.set(step, State::Interrupted);
                    self.action(Action::Ask(Question::Interrupted { step }));
                }
            }
            return;
        }
        self.emit(Event::StepReady {
            step: self.id(step),
        });
        match s.kind() {
            StepKind::Manual => {
                self.set(step, State::Open);
                self.action(Action::Ask(Question::Manual { step }));
            }
            StepKind::Confirm => {
                self.set(step, State::Confirming);
                self.action(Action::Ask(Question::Confirm { step }));
            }
            StepKind::Command => {
                self.set(step, State::Queued { attempt: 1 });
                self.queue.insert(step);
            }
        }
    }

    fn launch(&mut self, step: StepIndex) {
        let State::Queued { attempt } = self.states[step.get()] else {
            return;
        };
        let s = self.runbook.step(step);
        let Some(command) = &s.run else {
            return;
        };
        let launch = Launch {
            step,
            attempt,
            command: command.value.clone(),
            env: s.env.clone(),
            workdir: s.workdir.clone(),
            timeout: s.timeout.map(|t| t.value),
            hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
        };
        self.attempts[step.get()] = attempt;
        self.set(step, State::Running { attempt });
        self.emit(Event::StepStarted {
            step: self.id(step),
            attempt,
            pid: None,
        });
        self.action(Action::StartCommand(launch));
    }

    /// Records a step's outcome and releases its dependents.
    fn finish(&mut self, step: StepIndex, f: Finish) {
        let proceeds = f.proceeds || f.outcome.satisfies_dependents();
        self.emit(Event::StepFinished {
            step: self.id(step),
            outcome: f.outcome,
            exit_code: f.exit_code,
            reason: f.reason,
            by: f.by,
            source: f.source,
            attempts: f.attempts,
            output_tail: f.output_tail,
        });
        self.settle(step, f.outcome, proceeds);
    }

    /// Sets a step's final state without an event (also used for outcomes
    /// replayed from a journal).
    fn settle(&mut self, step: StepIndex, outcome: Outcome, proceeds: bool) {
        self.set(step, State::Finished { outcome, proceeds });
        if !proceeds {
            return;
        }
        for d in self.readiness.end(self.graph, step) {
            if self.states[d.get()] == State::Pending && self.stage == Stage::Running {
                self.ready.push_back(d);
            }
        }
    }

    /// Changes a step's state, keeping the counters and the retry index.
    fn set(&mut self, step: StepIndex, new: State) {
        let old = std::mem::replace(&mut self.states[step.get()], new);
        let new = &self.states[step.get()];
        self.active = self.active + usize::from(new.is_active()) - usize::from(old.is_active());
        self.running = self.running + usize::from(new.is_running()) - usize::from(old.is_running());
        if new.is_running() != old.is_running() {
            self.host_load.set_running(step, new.is_running());
        }
        if let State::Retrying { at, .. } = old {
            self.retries.remove(&(at, step));
        }
        if let State::Retrying { at, .. } = *new {
            self.retries.insert((at, step));
        }
    }

    // ---- output ---------------------------------------------------------

    fn id(&self, step: StepIndex) -> crate::runbook::StepId {
        self.runbook.step(step).id.value.clone()
    }

    fn emit(&mut self, event: Event) {
        self.out.push(Output::Event(Stamped {
            time: self.now,
            event,
        }));
    }

    fn action(&mut self, action: Action) {
        self.out.push(Output::Action(action));
    }

    fn run_started(&self) -> Event {
        let rb = self.runbook;
        let RunInfo {
            runbook,
            runbook_sha256,
            host,
            version,
        } = self.config.info.clone();
        Event::RunStarted {
            runbook,
            runbook_sha256,
            name: rb.name.clone(),
            mode: self.config.mode,
            dry_run: self.config.dry_run,
            operator: self.operator.clone(),
            host,
            reprise_version: version,
            rto: rb.objectives.rto.map(|d| d.value),
            rpo: rb.objectives.rpo.map(|d| d.value),
            phases: rb
                .phases
                .iter()
                .map(|p| PlannedPhase {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            steps: planned_steps(rb, self.graph, self.config.mode),
        }
    }
}

/// The plan as `run_started` records it: every step in file order with its
/// kind, estimate, and `needs`. A step's recorded `needs` are the steps it
/// names plus, for every phase it waits for (named, or by phase order), the
/// one step of that phase planned to finish last in `mode` (by
/// [`plan::earliest_starts`](crate::plan::earliest_starts) and the
/// estimates; last in file order on ties). A reader of the journal then
/// computes the same earliest starts and critical path as with every step
/// of the phase listed, and the record stays linear in size: listing them
/// all is quadratic (ten phases of 10,000 parallel steps would be 900
/// million entries).
pub fn planned_steps(runbook: &Runbook, graph: &Graph, mode: Mode) -> Vec<PlannedStep> {
    let rb = runbook;
    let starts = crate::plan::earliest_starts(rb, graph, mode);
    let finish = |i: usize| {
        let s = &rb.steps[i];
        let est = if s.applies_in(mode) {
            s.estimate.map_or(0, |e| e.value.as_secs())
        } else {
            0
        };
        starts[i].as_secs().saturating_add(est)
    };
    let last_step: Vec<Option<StepIndex>> = rb
        .phases
        .iter()
        .map(|p| {
            p.steps
                .clone()
                .max_by_key(|&i| finish(i))
                .map(|i| StepIndex(i as u32))
        })
        .collect();
    rb.step_indices()
        .map(|i| {
            let s = rb.step(i);
            let mut needs: Vec<StepIndex> = Vec::new();
            for p in graph.prerequisites(i) {
                match p {
                    Prerequisite::Step(n) => needs.push(n),
                    Prerequisite::Phase(ph) | Prerequisite::PhaseOrder(ph) => {
                        needs.extend(last_step[ph]);
                    }
                }
            }
            let mut seen = std::collections::HashSet::new();
            needs.retain(|n| seen.insert(*n));
            PlannedStep {
                id: s.id.value.clone(),
                title: s.title.clone(),
                phase: rb.phase_of(i).id.value.clone(),
                kind: s.kind(),
                role: s.role.clone(),
                estimate: s.estimate.map(|e| e.value),
                critical: s.critical,
                needs: needs
                    .into_iter()
                    .map(|n| rb.step(n).id.value.clone())
                    .collect(),
                only: s.only,
                hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
            }
        })
        .collect()
}

/// The fields of a `step_finished` event, built up.
struct Finish {
    outcome: Outcome,
    source: Source,
    by: String,
    reason: Option<String>,
    exit_code: Option<i32>,
    attempts: u32,
    output_tail: Vec<String>,
    proceeds: bool,
}

impl Finish {
    fn new(outcome: Outcome, source: Source, by: String) -> Self {
        Finish {
            outcome,
            source,
            by,
            reason: None,
            exit_code: None,
            attempts: 0,
            output_tail: Vec::new(),
            proceeds: false,
        }
    }

    fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }

    fn exit(mut self, exit: &Exit, attempts: u32) -> Self {
        self.exit_code = exit.exit_code;
        self.attempts = attempts;
        self.output_tail = exit.output_tail.clone();
        if self.reason.is_none() && attempts > 0 && !exit.success() {
            self.reason = Some(describe_failure(exit));
        }
        self
    }

    fn proceeds(mut self, proceeds: bool) -> Self {
        self.proceeds = proceeds;
        self
    }
}

fn operator_source(auto: bool) -> Source {
    if auto {
        Source::AutoConfirmed
    } else {
        Source::Operator
    }
}

/// A short description of a failed attempt, for `reason`.
pub fn describe_failure(exit: &Exit) -> String {
    if let Some(e) = &exit.error {
        format!("could not start: {e}")
    } else if exit.timed_out {
        "timed out".into()
    } else if let Some(sig) = &exit.signal {
        format!("killed by {sig}")
    } else if let Some(code) = exit.exit_code {
        format!("exit code {code}")
    } else {
        "failed".into()
    }
}

#[cfg(test)]
pub(crate) mod tests {
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
                exit_code: Some(code),
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
                Action::Finished(r) => format!("finished {r}"),
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
            Event::StepStarted { step, attempt, .. } => format!("started {step}#{attempt}"),
            Event::AttemptFinished {
                step,
                attempt,
                exit_code,
                ..
            } => format!("attempt {step}#{attempt} exit={}", exit_code.unwrap_or(-1)),
            Event::Decision { step, decision, .. } => format!("decision {step} {decision:?}"),
            Event::StepFinished { step, outcome, .. } => format!("{step} {outcome}"),
            Event::RollbackStarted { step } => format!("rollback_started {step}"),
            Event::RollbackFinished { step, outcome, .. } => {
                format!("rollback_finished {step} {outcome}")
            }
            Event::Note { text, .. } => format!("note {text}"),
            Event::Handover { from, to, .. } => format!("handover {from}->{to}"),
            Event::AbortRequested { by, .. } => format!("abort_requested by {by}"),
            Event::RunFinished { result } => format!("run_finished {result}"),
            Event::HostFinished { step, host, .. } => format!("host_finished {step} {host}"),
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
        // A second record for a closed step is ignored.
        assert!(s.record("m2", Outcome::Done, None).is_empty());
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
            signal: Some("SIGTERM".into()),
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
                    },
                    Preset::Interrupted {
                        step: StepIndex(2),
                        attempts: 2,
                    },
                    Preset::Interrupted {
                        step: StepIndex(3),
                        attempts: 0,
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
            signal: Some("SIGTERM".into()),
            timed_out: true,
            ..Exit::default()
        }));
        let Event::StepFinished { reason, .. } = s.finished("a") else {
            unreachable!()
        };
        assert_eq!(reason.as_deref(), Some("timed out"));
    }
}

/// Random drills: invariants that must hold whatever the plan and whatever
/// the commands do.
#[cfg(test)]
mod random {
    use super::tests::{cmd, manual, policy, runbook};
    use super::*;
    use crate::runbook::{Located, OnFailure, Span};

    /// A small deterministic generator (no dependency needed).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    #[test]
    fn random_drills_respect_dependencies_jobs_and_record_each_step_once() {
        for seed in 0..300u64 {
            let mut rng = Lcg(seed);
            let n = 1 + rng.next(12) as usize;
            let mut steps = Vec::new();
            for i in 0..n {
                let id = format!("s{i}");
                let mut s = if rng.next(4) == 0 {
                    manual(&id)
                } else {
                    cmd(&id)
                };
                s = policy(
                    s,
                    if rng.next(3) == 0 {
                        OnFailure::Abort
                    } else {
                        OnFailure::Continue
                    },
                );
                s.retries = rng.next(2) as u32;
                for j in 0..i {
                    if rng.next(3) == 0 {
                        s.needs.push(Located::new(format!("s{j}"), Span::default()));
                    }
                }
                steps.push(s);
            }
            let rb = runbook(steps);
            let jobs = 1 + rng.next(3) as usize;
            let mut engine = super::tests::engine(
                &rb,
                Config {
                    jobs,
                    operator: "op".into(),
                    ..Config::default()
                },
            );
            let now = Timestamp::UNIX_EPOCH;
            let mut running: Vec<(StepIndex, u32)> = Vec::new();
            let mut open: Vec<StepIndex> = Vec::new();
            let mut finished: Vec<Option<Outcome>> = vec![None; n];
            let mut result = None;
            let mut pending = engine.handle(now, Input::Start);
            for _round in 0..10_000 {
                for o in std::mem::take(&mut pending) {
                    match o {
                        Output::Event(Stamped { event, .. }) => {
                            if let Event::StepStarted { step, .. } = &event {
                                let i = rb.steps.iter().position(|s| s.id.value == *step).unwrap();
                                for need in &rb.steps[i].needs {
                                    let j: usize = need.value[1..].parse().unwrap();
                                    assert!(
                                        finished[j].is_some(),
                                        "seed {seed}: s{i} started before s{j} ended"
                                    );
                                }
                            }
                            if let Event::StepFinished { step, outcome, .. } = &event {
                                let i = rb.steps.iter().position(|s| s.id.value == *step).unwrap();
                                assert!(finished[i].is_none(), "seed {seed}: s{i} finished twice");
                                finished[i] = Some(*outcome);
                            }
                        }
                        Output::Action(Action::StartCommand(l)) => {
                            running.push((l.step, l.attempt));
                            assert!(running.len() <= jobs, "seed {seed}: over --jobs");
                        }
                        Output::Action(Action::Ask(Question::Manual { step })) => open.push(step),
                        Output::Action(Action::Retract { step }) => open.retain(|s| *s != step),
                        Output::Action(Action::Finished(r)) => result = Some(r),
                        Output::Action(_) => {}
                    }
                }
                if result.is_some() {
                    break;
                }
                // Something happens: a command ends (succeeds or fails), or
                // the operator closes a manual step.
                let input = if !running.is_empty() && (open.is_empty() || rng.next(2) == 0) {
                    let (step, attempt) = running.remove(rng.next(running.len() as u64) as usize);
                    let code = if rng.next(3) == 0 { 1 } else { 0 };
                    Input::CommandExited(Exit {
                        step,
                        attempt,
                        exit_code: Some(code),
                        ..Exit::default()
                    })
                } else if !open.is_empty() {
                    let step = open.remove(rng.next(open.len() as u64) as usize);
                    Input::Operator(OperatorInput::Record {
                        step,
                        outcome: Outcome::Done,
                        reason: None,
                        by: "op".into(),
                        auto: false,
                    })
                } else {
                    panic!("seed {seed}: stuck with nothing running and nothing open");
                };
                pending = engine.handle(now, input);
            }
            let result = result.unwrap_or_else(|| panic!("seed {seed}: never finished"));
            assert!(
                running.is_empty(),
                "seed {seed}: finished with commands running"
            );
            let any_failed = finished.contains(&Some(Outcome::Failed));
            match result {
                RunResult::Recovered => assert!(
                    finished.iter().all(|o| *o == Some(Outcome::Done)),
                    "seed {seed}: recovered with {finished:?}"
                ),
                RunResult::Degraded => assert!(any_failed, "seed {seed}"),
                RunResult::Aborted => assert!(any_failed, "seed {seed}: aborted without failure"),
            }
        }
    }
}
