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

use super::fleet::{self, HostState, HostStatus};
use super::{
    Action, Config, Exit, Input, Launch, OperatorInput, Output, Preset, Question, RunInfo,
};
use crate::event::{
    Decision, Event, HostCause, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped,
};
use crate::graph::{Graph, Prerequisite, Readiness};
use crate::identity::Identity;
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
    /// `run_stopped` emitted: nothing more is recorded (resume continues).
    Stopped,
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
    operator: Identity,
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
    /// Per remote step: where it stands on each of its hosts (empty for a
    /// local step). A retry or a resume runs only the hosts not done.
    host_states: Vec<Vec<HostState>>,
    /// Retry times of steps in `Retrying`.
    retries: BTreeSet<(Timestamp, StepIndex)>,
    stage: Stage,
    aborted: bool,
    /// Estimates revised during the drill (see `change.rs`).
    estimates: Vec<Option<crate::runbook::Duration>>,
    /// Steps handed to another role or person during the drill.
    assigned: Vec<Option<String>>,
    /// Steps added during the drill and their edges (see `grow.rs`).
    overlay: grow::Overlay,
    /// `run_held` and no `run_released` yet: nothing new starts or opens.
    held: bool,
    /// Confirmations gathered by steps with `approvals` (see `gate.rs`).
    approvals: Vec<super::access::Approvals>,
    /// The step an operator input is being applied to and the role it is
    /// recorded for, when a coordinator acts for another role.
    acting: Option<(StepIndex, String)>,
    /// Restore points given for open steps, recorded when the step is
    /// recorded done.
    points: std::collections::HashMap<StepIndex, (String, Identity)>,
    /// Per step, the last answer an operator gave its question (see
    /// `once.rs`): a second answer is told who was first.
    answers: Vec<Option<once::Answered>>,
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
            host_states: runbook
                .steps
                .iter()
                .map(|s| HostState::fresh(s.hosts.iter().map(|h| h.value.as_str())))
                .collect(),
            retries: BTreeSet::new(),
            stage: Stage::Idle,
            aborted: false,
            held: false,
            approvals: vec![Default::default(); n],
            estimates: vec![None; n],
            assigned: vec![None; n],
            overlay: Default::default(),
            acting: None,
            points: std::collections::HashMap::new(),
            answers: vec![None; n],
            now: Timestamp::UNIX_EPOCH,
            out: Vec::new(),
        }
    }

    /// Feeds one input at time `now`; returns what to record and do, in
    /// order. Inputs that make no sense in the current state (a stale exit,
    /// an answer to a question no longer open) are ignored; an answer that
    /// lacks a required reason puts the question again.
    pub fn handle(&mut self, now: Timestamp, input: Input) -> Vec<Output> {
        if self.stage == Stage::Stopped {
            return Vec::new();
        }
        self.now = now;
        self.acting = None;
        match input {
            Input::Start => self.start(),
            Input::CommandExited(exit) => self.exited(exit),
            Input::Operator(op) => self.operator_input(op),
            Input::Tick => {}
            Input::HostExited { host, exit } => self.host_exited(host, exit),
            Input::Notified(n) => self.notified(n),
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
        &self.operator.name
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
        let mut aborting = None;
        // Added steps first: the other presets may name them.
        for preset in &presets {
            if let Preset::Added { id, step } = preset {
                let phase = super::added::phase_of(self.runbook, &self.overlay.steps, step);
                self.grow(step.to_step(id.clone(), phase), step);
            }
        }
        for preset in &presets {
            match preset {
                Preset::Aborting { .. } => aborting = Some(preset.clone()),
                Preset::Added { .. } => {}
                Preset::Revised { step, estimate } => {
                    if self.valid(*step) {
                        self.estimates[step.get()] = Some(*estimate);
                    }
                }
                Preset::Assigned { step, to } => {
                    if self.valid(*step) {
                        self.assigned[step.get()] = Some(to.clone());
                    }
                }
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
                Preset::Interrupted {
                    step,
                    attempts,
                    hosts,
                } => {
                    if self.valid(*step) {
                        self.interrupted[step.get()] = true;
                        self.attempts[step.get()] = *attempts;
                        self.earlier[step.get()] = *attempts;
                        self.preset_hosts(*step, hosts);
                    }
                }
            }
        }
        self.config.presets = presets;
        // Everything ready now, in file order (presets may have released
        // some steps already).
        self.ready = self.readiness.initially_ready().into();
        self.ready.retain(|&s| !self.overlay.holds(s));
        let base = self.runbook.steps.len();
        for i in base..self.states.len() {
            let s = StepIndex(i as u32);
            if self.states[i] == State::Pending && !self.overlay.holds(s) {
                self.ready.push_back(s);
            }
        }
        if let Some(Preset::Aborting {
            rollback,
            cut,
            to_roll_back,
        }) = aborting
        {
            self.resume_abort(rollback, &cut, to_roll_back);
        }
    }

    /// Finishes an abort that the journal records as decided: what was cut
    /// short is recorded `aborted` (its leftovers were stopped by
    /// `resume`), nothing new starts, a rollback carries on with what is
    /// left of it; `abort_requested` is already recorded.
    fn resume_abort(&mut self, rollback: bool, cut: &[StepIndex], to_roll_back: Vec<StepIndex>) {
        self.aborted = true;
        self.stage = Stage::Aborting { rollback };
        self.ready.clear();
        self.queue.clear();
        for &step in cut {
            if self.valid(step) && self.states[step.get()] == State::Pending {
                let by = Identity::named(ENGINE);
                self.finish(
                    step,
                    Finish::new(Outcome::Aborted, Source::Engine, by).reason(Some(
                        "the drill was aborted; reprise stopped before this step's end was recorded"
                            .into(),
                    )),
                );
            }
        }
        self.ready.clear();
        self.completed = to_roll_back
            .into_iter()
            .filter(|s| self.valid(*s))
            .collect();
        self.after_abort();
    }

    fn valid(&self, step: StepIndex) -> bool {
        step.get() < self.states.len()
    }

    /// One host of a remote step is done: recorded as it is, the step
    /// itself waits for its combined exit.
    fn host_exited(&mut self, host: String, exit: Exit) {
        if !self.valid(exit.step) {
            return;
        }
        let step = exit.step;
        let aborted = exit.attempt > 0 && matches!(self.states[step.get()], State::Killing { .. });
        let cause = fleet::classify(&exit, aborted);
        // An ssh that reprise ended (timeout, abort) exits 255 itself: that
        // is not the command's code, and the cause says what happened.
        let exit_code = match cause {
            Some(HostCause::TimedOut | HostCause::Aborted | HostCause::ConnectionLost) => None,
            _ => exit.exit_code,
        };
        if exit.attempt > 0
            && let Some(state) = self.host_states[step.get()]
                .iter_mut()
                .find(|h| h.host == host)
        {
            state.status = match cause {
                None => HostStatus::Done,
                Some(c) => HostStatus::Failed(c.text(exit_code, exit.signal.as_deref())),
            };
        }
        let output_tail = if cause.is_some() {
            fleet::host_tail(&exit, &host)
        } else {
            Vec::new()
        };
        self.emit(Event::HostFinished {
            step: self.id(step),
            attempt: exit.attempt,
            host,
            exit_code,
            signal: exit.signal,
            timed_out: exit.timed_out,
            error: exit.error,
            cause,
            output_tail,
        });
    }

    /// Host states replayed from the journal on resume.
    fn preset_hosts(&mut self, step: StepIndex, hosts: &[HostState]) {
        for h in hosts {
            if let Some(state) = self.host_states[step.get()]
                .iter_mut()
                .find(|s| s.host == h.host)
            {
                state.status = h.status.clone();
            }
        }
    }

    /// Where `step` stands on each of its hosts.
    fn hosts_of(&self, step: StepIndex) -> Vec<HostState> {
        self.host_states[step.get()].clone()
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
                } else if attempt - self.earlier[step.get()].min(attempt) <= self.step(step).retries
                {
                    let delay = self.step(step).retry_delay.to_std();
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
                    let by = Identity::named(ENGINE);
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
        if let Some(text) = &exit.restore_point {
            self.restore_point(step, text, Identity::named(ENGINE), Source::Command);
        }
        self.finish(step, finish);
        self.completed.push(step);
    }

    /// Records the restore point a step brought back, or, when it is not
    /// a time, a note saying so (the step's outcome stands either way).
    fn restore_point(&mut self, step: StepIndex, text: &str, by: Identity, source: Source) {
        let event = match crate::event::parse_restore_point(text) {
            Ok(point) => Event::RestorePoint {
                step: self.id(step),
                point,
                written: text.trim().to_string(),
                by: by.name,
                origin: by.origin,
                source,
            },
            Err(e) => Event::Note {
                text: format!("no restore point recorded: {e}"),
                by: ENGINE.into(),
                origin: Default::default(),
                step: Some(self.id(step)),
            },
        };
        self.emit(event);
    }

    /// A step has failed for good (no retry left, or the operator recorded
    /// it failed): apply `on_failure`.
    fn failed(&mut self, step: StepIndex, attempts: u32, exit: Exit, reason: Option<String>) {
        use crate::runbook::OnFailure;
        let policy = self.step(step).on_failure;
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
                let hosts = self.hosts_of(step);
                self.action(Action::Ask(Question::Failed { step, exit, hosts }));
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
            OperatorInput::RestorePoint { step, point, by } => {
                if self.valid(step) {
                    self.points.insert(step, (point, by));
                }
            }
            OperatorInput::Note { text, step, by } => {
                let step = step.filter(|s| self.valid(*s)).map(|s| self.id(s));
                self.emit(Event::Note {
                    text,
                    by: by.name,
                    origin: by.origin,
                    step,
                });
            }
            OperatorInput::Action {
                owner,
                due,
                text,
                step,
                by,
            } => {
                let step = step.filter(|s| self.valid(*s)).map(|s| self.id(s));
                self.emit(Event::ActionRecorded {
                    owner,
                    due,
                    text,
                    by: by.name,
                    origin: by.origin,
                    step,
                });
            }
            OperatorInput::Handover { to, note, by } => {
                let incoming = Identity::new(to.clone(), by.origin.clone());
                let from = std::mem::replace(&mut self.operator, incoming).name;
                self.emit(Event::Handover {
                    from,
                    to,
                    note,
                    account: by.origin.account,
                    origin: by.origin.from,
                });
            }
            OperatorInput::Abort { by, reason } => self.abort_request(by, reason),
            OperatorInput::Attached {
                by,
                roles,
                read_only,
            } => self.emit_live(Event::OperatorAttached {
                by: by.name,
                origin: by.origin,
                roles,
                read_only,
            }),
            OperatorInput::Detached { by, reason } => self.emit_live(Event::OperatorDetached {
                by: by.name,
                origin: by.origin,
                reason,
            }),
            OperatorInput::Stop { by, reason } => {
                if matches!(self.stage, Stage::Finished | Stage::Stopped) {
                    return;
                }
                self.emit(Event::RunStopped {
                    by: by.name,
                    origin: by.origin,
                    reason,
                });
                self.stage = Stage::Stopped;
                self.action(Action::Stopped);
            }
            OperatorInput::Hold { by, reason } => {
                if self.stage == Stage::Running && !self.held {
                    self.held = true;
                    self.emit(Event::RunHeld {
                        by: by.name,
                        origin: by.origin,
                        reason,
                    });
                }
            }
            OperatorInput::Release { by } => {
                if self.held && self.stage != Stage::Finished {
                    self.held = false;
                    self.emit(Event::RunReleased {
                        by: by.name,
                        origin: by.origin,
                    });
                }
            }
            OperatorInput::Refuse { step, reason, by } => self.refuse(step, reason, by),
            OperatorInput::ChangePlan { change, by } => self.change_plan(change, by),
            OperatorInput::Add { step, by } => self.add_step(step, by),
            OperatorInput::Unanswerable { message, .. } => {
                self.abort_request(Identity::named(ENGINE), Some(message))
            }
        }
    }

    /// Records `event` unless the drill is over (nothing follows
    /// `run_finished`).
    fn emit_live(&mut self, event: Event) {
        if !matches!(self.stage, Stage::Finished | Stage::Stopped) {
            self.emit(event);
        }
    }

    /// True while held (`run_held`, no `run_released` yet).
    pub fn is_held(&self) -> bool {
        self.held
    }

    fn abort_request(&mut self, by: Identity, reason: Option<String>) {
        match self.stage.clone() {
            Stage::Running => self.begin_abort(by, reason, false),
            Stage::RollingBack { current, .. } => {
                self.emit(Event::AbortRequested {
                    by: by.name,
                    origin: by.origin,
                    reason,
                    rollback: false,
                });
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
            Stage::Idle | Stage::Aborting { .. } | Stage::Finished | Stage::Stopped => {}
        }
    }

    fn record(
        &mut self,
        step: StepIndex,
        outcome: Outcome,
        reason: Option<String>,
        by: Identity,
        auto: bool,
    ) {
        if !self.valid(step) {
            return;
        }
        if self.states[step.get()] != State::Open {
            self.already_answered(step, &by);
            return;
        }
        if !self.gate(step, &by, auto, outcome == Outcome::Done) {
            return;
        }
        let reason = reason.filter(|r| !r.trim().is_empty());
        if outcome == Outcome::Done
            || (matches!(outcome, Outcome::Skipped | Outcome::Failed) && reason.is_some())
        {
            self.answered(step, &by, outcome.to_string());
        }
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
                self.failed_by_operator(step, exit, reason, by, source, false);
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
        by: Identity,
        source: Source,
        recorded: bool,
    ) {
        use crate::runbook::OnFailure;
        let policy = self.step(step).on_failure;
        let finish = Finish::new(Outcome::Failed, source, by.clone()).reason(reason.clone());
        match policy {
            OnFailure::Ask => {
                // The failure and its reason are recorded now, on their own
                // event: the decision that follows (continue, retry…) has a
                // reason of its own, and a crash before it must not lose
                // this one.
                if !recorded {
                    self.emit(Event::Decision {
                        step: self.id(step),
                        decision: Decision::MarkFailed,
                        reason: reason.clone(),
                        by: by.name.clone(),
                        origin: by.origin.clone(),
                        source,
                    });
                }
                self.set(
                    step,
                    State::Failed {
                        attempts: 0,
                        exit: exit.clone(),
                        reason,
                    },
                );
                let hosts = self.hosts_of(step);
                self.action(Action::Ask(Question::Failed { step, exit, hosts }));
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
        by: Identity,
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
            self.already_answered(step, &by);
            return;
        }
        let needs_reason = matches!(
            decision,
            Decision::MarkDone
                | Decision::MarkFailed
                | Decision::Skip
                | Decision::Retry
                | Decision::RetryAll
        ) && !matches!(state, State::Interrupted if matches!(decision, Decision::Retry | Decision::RetryAll));
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
                | (
                    State::Failed { .. },
                    Decision::Retry | Decision::RetryAll | Decision::Continue
                )
                | (
                    State::Interrupted,
                    Decision::MarkFailed | Decision::Retry | Decision::RetryAll
                )
        );
        if !allowed {
            self.ask_again(step);
            return;
        }
        let approves = matches!(
            (&state, decision),
            (State::Confirming, Decision::Run) | (State::Open, Decision::MarkDone)
        );
        if !self.gate(step, &by, auto, approves) {
            return;
        }
        let source = operator_source(auto);
        self.answered(step, &by, once::decision_word(decision));
        self.emit(Event::Decision {
            step: self.id(step),
            decision,
            reason: reason.clone(),
            by: by.name.clone(),
            origin: self.origin_for(step, &by),
            source,
        });
        let failed_finish = |attempts: u32, exit: &Exit, stored: &Option<String>| {
            // The outcome keeps why it failed; the decision's own reason
            // is on the decision.
            Finish::new(Outcome::Failed, source, by.clone())
                .reason(stored.clone().or_else(|| reason.clone()))
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
                self.failed_by_operator(step, exit, reason, by, source, true);
            }
            Decision::Run | Decision::Retry => self.run_again(step, &state),
            Decision::RetryAll => {
                for h in &mut self.host_states[step.get()] {
                    h.status = HostStatus::NotFinished;
                }
                self.run_again(step, &state);
            }
        }
    }

    /// Starts a step (again): a command goes to the queue with its next
    /// attempt number, a manual step is opened again.
    fn run_again(&mut self, step: StepIndex, state: &State) {
        if self.step(step).run.is_none() {
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
                hosts: self.hosts_of(step),
            }),
            State::Interrupted => Some(Question::Interrupted {
                step,
                hosts: self.hosts_of(step),
            }),
            _ => None,
        }
    }

    // ---- abort and rollback --------------------------------------------

    fn begin_abort(&mut self, by: Identity, reason: Option<String>, rollback: bool) {
        if self.stage != Stage::Running {
            return;
        }
        self.aborted = true;
        self.stage = Stage::Aborting { rollback };
        self.emit(Event::AbortRequested {
            by: by.name,
            origin: by.origin,
            reason,
            rollback,
        });
        self.ready.clear();
        self.queue.clear();
        self.retries.clear();
        let mut kill = false;
        for step in self.indices() {
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
            .filter(|s| self.step(*s).rollback.is_some())
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
        by: Identity,
    ) {
        match decision {
            Decision::Run | Decision::MarkDone => {
                // The driver fills in the pid once the command has started.
                self.emit(Event::RollbackStarted {
                    step: self.id(step),
                    pid: None,
                });
                let s = self.step(step);
                match &s.rollback {
                    Some(Rollback::Command(command)) => {
                        let launch = Launch {
                            step,
                            attempt: 0,
                            command: command.value.clone(),
                            env: s.env.clone(),
                            workdir: s.workdir.clone(),
                            timeout: s.timeout.map(|t| t.value),
                            hosts: s.hosts.iter().map(|h| h.value.clone()).collect(),
                            max_parallel: s
                                .max_parallel
                                .unwrap_or(crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS),
                        };
                        if let Stage::RollingBack { current, .. } = &mut self.stage {
                            *current = Some((step, true));
                        }
                        self.running += 1;
                        self.action(Action::StartCommand(launch));
                    }
                    _ => {
                        self.emit(Event::RollbackFinished {
                            step: self.id(step),
                            outcome: Outcome::Done,
                            exit_code: None,
                            reason,
                            by: by.name,
                            origin: by.origin,
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
                    by: by.name,
                    origin: by.origin,
                });
                self.next_rollback();
            }
            Decision::Abort => {
                self.emit(Event::AbortRequested {
                    by: by.name,
                    origin: by.origin,
                    reason,
                    rollback: false,
                });
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
            by: by.name,
            origin: by.origin,
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
        let degraded = self.indices().any(|s| match &self.states[s.get()] {
            State::Finished { outcome, .. } => match outcome {
                Outcome::Done | Outcome::NotApplicable => false,
                Outcome::Skipped => self.step(s).critical,
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
        // Held: running commands finish, open items stay open, nothing
        // new opens or starts (ready steps wait in order).
        while !self.held {
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
        if self.stage == Stage::Running && self.active == 0 && self.ready.is_empty() {
            self.finish_run();
        }
    }

    /// A step's dependencies are all satisfied.
    fn announce(&mut self, step: StepIndex) {
        if self.states[step.get()] != State::Pending
            || self.stage != Stage::Running
            || self.overlay.holds(step)
        {
            return;
        }
        let s = self.step(step);
        let (kind, idempotent) = (s.kind(), s.idempotent);
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
            match kind {
                StepKind::Manual => {
                    self.set(step, State::Open);
                    self.action(Action::Ask(Question::Manual { step }));
                }
                _ if idempotent => {
                    let attempt = self.attempts[step.get()] + 1;
                    self.set(step, State::Queued { attempt });
                    self.queue.insert(step);
                }
                _ => {
                    self.set(step, State::Interrupted);
                    let hosts = self.hosts_of(step);
                    self.action(Action::Ask(Question::Interrupted { step, hosts }));
                }
            }
            return;
        }
        self.emit(Event::StepReady {
            step: self.id(step),
        });
        match kind {
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
        let s = self.step(step);
        let Some(command) = &s.run else {
            return;
        };
        // A remote step runs only where it is not done yet.
        let hosts = fleet::remaining(&self.host_states[step.get()]);
        if !s.hosts.is_empty() && hosts.is_empty() {
            // Done on every host before an interruption (its end was not
            // recorded): nothing is left to run.
            let by = self.operator.clone();
            self.finish(
                step,
                Finish::new(Outcome::Done, Source::Engine, by)
                    .reason(Some("done on every host before the interruption".into())),
            );
            self.completed.push(step);
            return;
        }
        let launch = Launch {
            step,
            attempt,
            command: command.value.clone(),
            env: s.env.clone(),
            workdir: s.workdir.clone(),
            timeout: s.timeout.map(|t| t.value),
            hosts,
            max_parallel: s
                .max_parallel
                .unwrap_or(crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS),
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
        if let Some((point, by)) = self.points.remove(&step)
            && f.outcome == Outcome::Done
        {
            self.restore_point(step, &point, by, Source::Operator);
        }
        let proceeds = f.proceeds || f.outcome.satisfies_dependents();
        let origin = self.origin_for(step, &f.by);
        self.emit(Event::StepFinished {
            step: self.id(step),
            outcome: f.outcome,
            exit_code: f.exit_code,
            reason: f.reason,
            by: f.by.name,
            origin,
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
        if step.get() < self.runbook.steps.len() {
            for d in self.readiness.end(self.graph, step) {
                if self.states[d.get()] == State::Pending
                    && self.stage == Stage::Running
                    && !self.overlay.holds(d)
                {
                    self.ready.push_back(d);
                }
            }
        }
        self.release_added(step);
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
        self.step(step).id.value.clone()
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

    /// An alert's attempt: recorded as it went, even after `run_finished`
    /// (the alert telling that the drill ended goes out after it).
    fn notified(&mut self, n: super::Notified) {
        self.emit(match n.error {
            None => Event::NotificationSent {
                kind: n.kind,
                target: n.target,
                step: n.step,
                service: n.service,
                attempt: n.attempt,
            },
            Some(error) => Event::NotificationFailed {
                kind: n.kind,
                target: n.target,
                step: n.step,
                service: n.service,
                attempt: n.attempt,
                error,
                last: n.last,
            },
        });
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
            operator: self.operator.name.clone(),
            origin: self.operator.origin.clone(),
            host,
            reprise_version: version,
            rto: rb.objectives.rto.map(|d| d.value),
            rpo: rb.objectives.rpo.map(|d| d.value),
            services: planned_services(rb),
            phases: rb
                .phases
                .iter()
                .map(|p| PlannedPhase {
                    id: p.id.value.clone(),
                    title: p.title.clone(),
                })
                .collect(),
            steps: planned_steps(rb, self.graph, self.config.mode),
            exercise: (!rb.exercise.is_empty()).then(|| {
                Box::new(crate::event::ExerciseInfo {
                    scenario: rb.exercise.scenario.clone(),
                    scope: rb.exercise.scope.clone(),
                    criteria: rb.exercise.criteria.clone(),
                    lang: rb.exercise.lang.clone(),
                })
            }),
        }
    }
}

/// The services of `objectives.services` as `run_started` records them.
pub fn planned_services(runbook: &Runbook) -> Vec<crate::event::PlannedService> {
    runbook
        .objectives
        .services
        .iter()
        .map(|s| crate::event::PlannedService {
            name: s.name.value.clone(),
            rto: s.rto.map(|d| d.value),
            rpo: s.rpo.map(|d| d.value),
        })
        .collect()
}

/// The plan as `run_started` records it: every step in file order with its
/// kind, estimate, and full prerequisites: `needs_phases` lists the phases
/// it waits for as a whole (named, or by phase order), `needs` the steps it
/// names plus, for each of those phases, the one step planned to finish
/// last in `mode` (what journals recorded before `needs_phases`, kept for
/// their readers). Phases are named rather than their steps listed so that
/// the record stays linear in size: listing them all is quadratic (ten
/// phases of 10,000 parallel steps would be 900 million entries).
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
            let mut phases: Vec<usize> = Vec::new();
            for p in graph.prerequisites(i) {
                match p {
                    Prerequisite::Step(n) => needs.push(n),
                    Prerequisite::Phase(ph) | Prerequisite::PhaseOrder(ph) => {
                        needs.extend(last_step[ph]);
                        phases.push(ph);
                    }
                }
            }
            let mut seen = std::collections::HashSet::new();
            needs.retain(|n| seen.insert(*n));
            let mut seen = std::collections::HashSet::new();
            phases.retain(|p| seen.insert(*p));
            PlannedStep {
                fingerprints: crate::fingerprint::of(s),
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
                needs_phases: phases
                    .into_iter()
                    .map(|p| rb.phases[p].id.value.clone())
                    .collect(),
                restores: s.restores.iter().map(|r| r.value.clone()).collect(),
                records: s.records.clone(),
            }
        })
        .collect()
}

/// The fields of a `step_finished` event, built up.
struct Finish {
    outcome: Outcome,
    source: Source,
    by: Identity,
    reason: Option<String>,
    exit_code: Option<i32>,
    attempts: u32,
    output_tail: Vec<String>,
    proceeds: bool,
}

impl Finish {
    fn new(outcome: Outcome, source: Source, by: Identity) -> Self {
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

mod change;
mod gate;
mod grow;
mod once;

pub use once::already_recorded;

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod gate_tests;

#[cfg(test)]
mod grow_tests;

#[cfg(test)]
mod random;
