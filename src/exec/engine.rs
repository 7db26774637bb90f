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

    fn valid(&self, step: StepIndex) -> bool {
        step.get() < self.states.len()
    }

    // ---- abort and rollback --------------------------------------------

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
                about: n.about,
                attempt: n.attempt,
            },
            Some(error) => Event::NotificationFailed {
                about: n.about,
                attempt: n.attempt,
                error,
                last: n.last,
            },
        });
    }
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
        self.exit_code = exit.ending.exit_code;
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

mod abort;
mod change;
mod exits;
mod gate;
mod grow;
mod input;
mod once;
mod schedule;
mod start;

pub use exits::describe_failure;
pub use start::{planned_services, planned_steps};

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod gate_tests;

#[cfg(test)]
mod grow_tests;

#[cfg(test)]
mod random;
