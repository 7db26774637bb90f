//! The loop that runs a drill: engine, processes, operator, signals, sinks.
//!
//! One `std::sync::mpsc` channel carries everything that can happen: process
//! output and exits (from the [`Watch`], in this thread), operator answers
//! (from whatever thread the [`Operator`] uses), and signals (from a
//! signal-hook thread); the other threads wake the watch after sending. The
//! loop waits in [`Watch::wait`] until the next deadline (a retry delay of
//! the engine, a step timeout or a kill grace of a process), feeds the
//! engine, and carries out each batch of outputs in order:
//!
//! 1. the batch's events, but `step_started`, go to each sink in turn
//!    (the journal first) and each sink is flushed once: the journal
//!    syncs, so the events are on disk before the terminal shows them;
//! 2. the commands of the batch start, so that `step_started` can carry
//!    the process id that `reprise resume` needs to stop the leftovers of
//!    a crashed run (each local command is held before `exec` until its
//!    `step_started` is written: [`hold`](super::hold)); those
//!    `step_started` events are written at once and
//!    synced with the next batch, or after [`START_SYNC_DELAY`] at the
//!    latest. A batch that only records commands ending and steps becoming
//!    ready, and starts first attempts of steps whose readiness is already
//!    on disk (they waited for a job slot), is written but not synced
//!    before they start, and is synced, then shown, with whatever else ends
//!    within that delay (group commit); a step whose `step_ready` is not
//!    on disk yet starts only after a sync;
//! 3. the other actions (kill, ask, retract).
//!
//! So an event is on disk before anything that depends on it happens: a
//! dependent step starts only after the `step_finished` that freed it is
//! synced. Messages already waiting when a batch is taken are folded into
//! it, so that steps ending together share one sync (group commit). A sink
//! error stops the drill: every process group is killed and the error is
//! returned, never a drill that goes on without recording.
//!
//! Signals: commands run in their own process groups and do not see the
//! terminal's Ctrl-C, so the driver ends them itself. The first SIGINT goes
//! to the operator ([`Operator::interrupted`]): a person at a terminal is
//! asked whether to abort (a yes is the operator's abort); with nobody to
//! ask, and on SIGTERM, the drill *stops*: `run_stopped` is recorded, every
//! command is ended, nothing more is recorded, and `reprise resume`
//! continues it (only an operator's abort records `run_finished:
//! aborted`). SIGHUP (the terminal was closed) stops nothing: the operator
//! at that terminal is detached ([`Operator::hung_up`]) and the drill goes
//! on for `reprise attach`. A signal while an abort or a stop is under way,
//! or a Ctrl-C while the abort question is open, forces: `SIGKILL` to every
//! group at once. An operator who answered the question by going on is
//! asked again at the next Ctrl-C. The driver returns only when every
//! process it started has ended and been reaped.
//!
//! [`dry_run`] walks the same engine on a simulated clock instead.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

use super::engine::Engine;
use super::process::{Attempt, Notify, Report, Spawner, Starting};
use super::watch::Watch;
use super::{Action, Config, Input, Interrupt, Operator, OperatorInput, Output, Question, Sink};
use crate::event::{Event, Outcome, RunResult, Source, Stamped};
use crate::graph::Graph;
use crate::redact::Redactor;
use crate::runbook::{Runbook, StepIndex};

/// Why a drill stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A sink (the journal) could not record an event: the drill was stopped.
    #[error("cannot record the drill: {0}")]
    Sink(std::io::Error),
    /// Signal handlers could not be installed.
    #[error("cannot install the Ctrl-C handler: {0}")]
    Signals(std::io::Error),
    /// The processes' watch could not be set up.
    #[error("cannot watch the commands (a pipe or a SIGCHLD handler failed): {0}")]
    Watch(std::io::Error),
    /// Stopped without an abort (`run_stopped` recorded): every command was
    /// ended and the journal is left for `reprise resume`.
    #[error("the drill was stopped ({0}); nothing was aborted")]
    Stopped(String),
}

enum Msg {
    Input(Input),
    Report(Report),
    Signal(i32),
}

/// Runs a drill to its end and returns its result.
///
/// `sinks` receive every event (the journal first, so that a failure to
/// record stops the drill before anything else sees the event);
/// `operator` answers the engine's questions.
pub fn run(
    runbook: &Runbook,
    graph: &Graph,
    config: Config,
    spawner: &Spawner,
    sinks: &mut [&mut dyn Sink],
    operator: &mut dyn Operator,
) -> Result<RunResult, Error> {
    let engine = Engine::new(runbook, graph, config);
    run_engine(runbook, engine, spawner, sinks, operator)
}

/// [`run`] with an engine already built.
pub(crate) fn run_engine(
    runbook: &Runbook,
    engine: Engine<'_>,
    spawner: &Spawner,
    sinks: &mut [&mut dyn Sink],
    operator: &mut dyn Operator,
) -> Result<RunResult, Error> {
    let (tx, rx) = mpsc::channel::<Msg>();
    let watch = Watch::new().map_err(Error::Watch)?;

    // Operator answers arrive as `Input`s on a channel of their own type;
    // a forwarding thread merges them into ours.
    let (answers_tx, answers_rx) = mpsc::channel::<Input>();
    {
        let tx = tx.clone();
        let waker = watch.waker();
        std::thread::spawn(move || {
            for input in answers_rx {
                if tx.send(Msg::Input(input)).is_err() {
                    break;
                }
                waker.wake();
            }
        });
    }

    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        // A closed terminal (a dropped SSH session): by default reprise
        // would die at once, leaving every command running, unrecorded.
        signal_hook::consts::SIGHUP,
    ])
    .map_err(Error::Signals)?;
    let signals_handle = signals.handle();
    {
        let tx = tx.clone();
        let waker = watch.waker();
        std::thread::spawn(move || {
            for sig in signals.forever() {
                if tx.send(Msg::Signal(sig)).is_err() {
                    break;
                }
                waker.wake();
            }
        });
    }

    // Called by the watch, in this thread.
    let notify: Notify = {
        let tx = tx.clone();
        Arc::new(move |report| {
            let _ = tx.send(Msg::Report(report));
        })
    };

    operator.start(answers_tx);
    let mut drive = Drive {
        runbook,
        engine,
        spawner,
        sinks,
        operator,
        notify,
        watch,
        tx: tx.clone(),
        attempts: BTreeMap::new(),
        result: None,
        asking: false,
        aborting: false,
        forced: false,
        stopped: None,
        unsynced: None,
        unsynced_ready: std::collections::HashSet::new(),
    };
    let outcome = drive.run(&rx);
    signals_handle.close();
    drive.operator.finish();
    if outcome.is_ok() && drive.operator.late_inputs() {
        drive.record_late(&rx);
    }
    outcome
}

struct Drive<'a, 's, 'r> {
    runbook: &'r Runbook,
    engine: Engine<'r>,
    spawner: &'a Spawner,
    sinks: &'a mut [&'s mut dyn Sink],
    operator: &'a mut dyn Operator,
    notify: Notify,
    watch: Watch,
    tx: mpsc::Sender<Msg>,
    attempts: BTreeMap<StepIndex, Attempt>,
    result: Option<RunResult>,
    /// The operator was asked whether to abort (they may have gone on
    /// since: only the operator knows whether the question is still open).
    asking: bool,
    /// An abort was requested (by anyone): a Ctrl-C now forces it.
    aborting: bool,
    forced: bool,
    /// `run_stopped` was recorded, with this reason: end every command,
    /// then return.
    stopped: Option<String>,
    /// When events written without a sync (`step_started`, or a batch of
    /// commands ending) must be synced.
    unsynced: Option<Instant>,
    /// Steps whose `step_ready` is written but not synced yet: they start
    /// only after a sync.
    unsynced_ready: std::collections::HashSet<String>,
}

/// How long an event that nothing depends on yet (`step_started`, a
/// command's end that readies no step) may wait for the next sync: long
/// enough for steps ending together to share one sync, short enough that a
/// crash loses at most this much of a record, and only records that resume
/// handles like an interruption.
pub const START_SYNC_DELAY: Duration = Duration::from_millis(20);

impl Drive<'_, '_, '_> {
    /// Records what the operator's helpers reported while they finished
    /// after the drill ended: the attempts of the last alerts.
    fn record_late(&mut self, rx: &mpsc::Receiver<Msg>) {
        // They pass through the forwarding thread: the last may be an
        // instant behind. Bounded, whatever else keeps coming.
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until
            && let Ok(msg) = rx.recv_timeout(Duration::from_millis(100))
        {
            if let Msg::Input(input @ Input::Notified(_)) = msg
                && let Err(e) = self.feed(input)
            {
                tracing::warn!("an alert's attempt could not be recorded: {e}");
                return;
            }
        }
    }

    fn run(&mut self, rx: &mpsc::Receiver<Msg>) -> Result<RunResult, Error> {
        let outcome = self.run_loop(rx);
        if let Err(e) = &outcome {
            tracing::error!("{e}; stopping every command");
            // Whatever way the loop ends, nothing it started is left
            // running: kill every remaining group and wait (boundedly) for
            // the watch to report them reaped (dropping it reaps the rest).
            let until = Instant::now() + Duration::from_secs(10);
            for a in self.attempts.values_mut() {
                a.kill();
            }
            while !self.attempts.is_empty() && Instant::now() < until {
                self.watch
                    .wait(until.saturating_duration_since(Instant::now()));
                for msg in rx.try_iter() {
                    if let Msg::Report(Report::Exited(exit)) = msg {
                        self.attempts.remove(&exit.step);
                    }
                }
            }
        }
        outcome
    }

    fn run_loop(&mut self, rx: &mpsc::Receiver<Msg>) -> Result<RunResult, Error> {
        self.feed(Input::Start)?;
        loop {
            if let Some(result) = self.result
                && self.attempts.is_empty()
            {
                self.sync_starts()?;
                return Ok(result);
            }
            if let Some(reason) = &self.stopped
                && self.attempts.is_empty()
            {
                let reason = reason.clone();
                self.sync_starts()?;
                return Err(Error::Stopped(reason));
            }
            // What is already waiting is taken without blocking; the watch
            // then only looks (folding whatever ended meanwhile into the
            // batch) or, with nothing waiting, waits for the next thing.
            // Everything waiting is taken each time: the watch reads a
            // bounded amount of output per round, so the channel never
            // holds more than a round's lines (a command printing without
            // pause cannot fill memory).
            let mut msgs: Vec<Msg> = rx.try_iter().collect();
            let wait = if msgs.is_empty() {
                self.next_wait()
            } else {
                Duration::ZERO
            };
            self.watch.wait(wait);
            msgs.extend(rx.try_iter());
            if !msgs.is_empty() {
                let mut batch = Vec::new();
                for msg in msgs {
                    self.take(msg, &mut batch)?;
                }
                self.carry_out(batch)?;
            }
            if self.unsynced.is_some_and(|d| d <= Instant::now()) {
                self.sync_starts()?;
            }
            let now = Instant::now();
            for attempt in self.attempts.values_mut() {
                if attempt.next_deadline().is_some_and(|d| d <= now) {
                    attempt.tick(now, self.spawner.grace);
                }
                // A remote step's next hosts, as places free up.
                attempt.pump(self.spawner, &mut self.watch);
            }
            if self
                .engine
                .next_deadline()
                .is_some_and(|d| d <= Timestamp::now())
            {
                self.feed(Input::Tick)?;
            }
        }
    }

    /// How long to wait for the next message: until the earliest deadline.
    fn next_wait(&self) -> Duration {
        let mut wait = Duration::from_secs(3600);
        let now = Instant::now();
        if let Some(d) = self.unsynced {
            wait = wait.min(d.saturating_duration_since(now));
        }
        for a in self.attempts.values() {
            if let Some(d) = a.next_deadline() {
                wait = wait.min(d.saturating_duration_since(now));
            }
        }
        if let Some(d) = self.engine.next_deadline() {
            let left = d.duration_since(Timestamp::now());
            wait = wait.min(Duration::try_from(left).unwrap_or(Duration::ZERO));
        }
        wait
    }

    fn feed(&mut self, input: Input) -> Result<(), Error> {
        let outputs = self.engine.handle(Timestamp::now(), input);
        self.carry_out(outputs)
    }

    /// Folds one message into `batch` (engine outputs not yet carried out).
    /// Output lines go straight to the sinks; a signal first carries out
    /// what was folded so far, to keep the order of events.
    fn take(&mut self, msg: Msg, batch: &mut Vec<Output>) -> Result<(), Error> {
        match msg {
            Msg::Input(input) => batch.extend(self.engine.handle(Timestamp::now(), input)),
            Msg::Report(Report::Line { step, line }) => {
                for sink in self.sinks.iter_mut() {
                    sink.output(step, &line).map_err(Error::Sink)?;
                }
            }
            Msg::Report(Report::Exited(exit)) => {
                if self
                    .attempts
                    .get(&exit.step)
                    .is_some_and(|a| a.attempt == exit.attempt)
                {
                    self.attempts.remove(&exit.step);
                }
                batch.extend(
                    self.engine
                        .handle(Timestamp::now(), Input::CommandExited(exit)),
                );
            }
            Msg::Report(Report::HostExited { host, exit }) => {
                batch.extend(
                    self.engine
                        .handle(Timestamp::now(), Input::HostExited { host, exit }),
                );
            }
            Msg::Signal(sig) => {
                self.carry_out(std::mem::take(batch))?;
                self.signal(sig)?;
            }
        }
        Ok(())
    }

    /// Syncs `step_started` events written since the last sync.
    fn sync_starts(&mut self) -> Result<(), Error> {
        if self.unsynced.is_some() {
            for sink in self.sinks.iter_mut() {
                sink.flush().map_err(Error::Sink)?;
            }
            self.synced();
        }
        Ok(())
    }

    /// Everything written so far is on disk: nothing waits for a sync.
    fn synced(&mut self) {
        self.unsynced = None;
        self.unsynced_ready.clear();
    }

    /// Gives `events` to each sink in turn (the journal first), flushing
    /// each when `sync` is set.
    fn record(&mut self, events: &[Stamped], sync: bool) -> Result<(), Error> {
        if events.is_empty() {
            return Ok(());
        }
        for sink in self.sinks.iter_mut() {
            for e in events {
                sink.event(e).map_err(Error::Sink)?;
            }
            if sync {
                sink.flush().map_err(Error::Sink)?;
            }
        }
        if sync {
            self.synced();
        }
        for e in events {
            match &e.event {
                Event::AbortRequested { .. } => self.aborting = true,
                Event::RunStopped { reason, .. } => {
                    self.stopped = Some(reason.clone().unwrap_or_else(|| "stopped".into()));
                }
                _ => {}
            }
            self.operator.event(e);
        }
        Ok(())
    }

    /// One batch: events to every sink, one flush each, then the actions.
    fn carry_out(&mut self, outputs: Vec<Output>) -> Result<(), Error> {
        if outputs.is_empty() {
            return Ok(());
        }
        let mut events = Vec::new();
        let mut actions = Vec::new();
        for o in outputs {
            match o {
                Output::Event(e) => events.push(e),
                Output::Action(a) => actions.push(a),
            }
        }
        // A batch that only records commands ending and steps becoming
        // ready, and starts first attempts of steps whose readiness is
        // already on disk (they waited for a job slot), holds nothing the
        // new commands depend on: it is written but not synced before they
        // start, and synced with whatever ends in the next START_SYNC_DELAY
        // (group commit); the view shows it after that sync. Otherwise the
        // batch is made durable first. Either way it is written before
        // anything starts, and `step_started` waits until its process
        // exists, to carry the pid.
        //
        // A step readied in this batch, or in one not synced yet, waits
        // for that sync: the ending that freed it must be on disk first.
        for e in &events {
            if let Event::StepReady { step } = &e.event {
                self.unsynced_ready.insert(step.as_str().to_string());
            }
        }
        let start_first = events.iter().all(|e| {
            matches!(
                e.event,
                Event::AttemptFinished { .. }
                    | Event::StepFinished { .. }
                    | Event::StepStarted { .. }
                    | Event::StepReady { .. }
            )
        }) && actions.iter().all(|a| match a {
            Action::StartCommand(l) => {
                l.attempt == 1 && !self.unsynced_ready.contains(self.step_id(l.step).as_str())
            }
            _ => true,
        });
        let (mut started, events): (Vec<Stamped>, Vec<Stamped>) =
            events.into_iter().partition(|e| match &e.event {
                Event::StepStarted { .. } => true,
                // A rollback command's start waits for its pid too; a
                // manual rollback's (no command) is recorded in order.
                Event::RollbackStarted { step, .. } => actions.iter().any(|a| {
                    matches!(a, Action::StartCommand(l)
                        if l.attempt == 0 && self.step_id(l.step).as_str() == step.as_str())
                }),
                _ => false,
            });
        self.record(&events, !start_first)?;
        // Local commands are forked held before `exec` (module `hold`) and
        // run once their `step_started`, with the pid, is written: from
        // then on a crash of reprise cannot lose it (the kernel holds it;
        // the sync follows within START_SYNC_DELAY), so `resume` finds and
        // stops what it started. A crash before that leaves a held child,
        // which exits without running anything.
        // Every held command is told before any is waited for: each holds
        // the others' spawn pipes until it execs (module `hold`).
        let (rest, mut starting) = self.start_commands(actions, &mut started);
        if let Err(e) = self.record(&started, false) {
            starting.iter_mut().for_each(|(_, s)| s.stop());
            for (_, s) in starting {
                s.cancel();
            }
            return Err(e);
        }
        starting.iter_mut().for_each(|(_, s)| s.go());
        for (step, s) in starting {
            match s.release(&mut self.watch) {
                Ok(attempt) => {
                    self.attempts.insert(step, attempt);
                }
                // Reported through the channel like any other exit, so
                // that it is handled in its own batch.
                Err(exit) => {
                    let _ = self.tx.send(Msg::Report(Report::Exited(exit)));
                }
            }
        }
        if !started.is_empty() || (start_first && !events.is_empty()) {
            self.unsynced
                .get_or_insert_with(|| Instant::now() + START_SYNC_DELAY);
        }
        for action in rest {
            // What the operator is told follows its cause: a question (or
            // a refusal) is shown after the lines of the events that led
            // to it, which a group commit has written but not yet shown.
            if matches!(action, Action::Ask(_) | Action::Refused { .. }) {
                self.sync_starts()?;
            }
            self.act(action);
        }
        Ok(())
    }

    /// The id of `step`, the runbook's or one added during the drill.
    fn step_id(&self, step: StepIndex) -> crate::runbook::StepId {
        self.engine
            .step_id(step)
            .cloned()
            .unwrap_or_else(|| self.runbook.step(step).id.value.clone())
    }

    /// Forks the batch's commands (local ones held before `exec`), filling
    /// their pids into the matching `step_started` events; returns the
    /// other actions and the commands to release once those are durable.
    fn start_commands(
        &mut self,
        actions: Vec<Action>,
        events: &mut [Stamped],
    ) -> (Vec<Action>, Vec<(StepIndex, Starting)>) {
        let mut rest = Vec::with_capacity(actions.len());
        let mut starting = Vec::new();
        for action in actions {
            let Action::StartCommand(launch) = action else {
                rest.push(action);
                continue;
            };
            let id = self.step_id(launch.step).as_str().to_string();
            match self
                .spawner
                .start(&launch, &id, self.notify.clone(), &mut self.watch)
            {
                Ok(s) => {
                    let pid = s.pid();
                    tracing::debug!(step = %id, attempt = launch.attempt, pid, "forked");
                    for e in events.iter_mut() {
                        match &mut e.event {
                            Event::StepStarted {
                                step,
                                attempt: n,
                                pid: p,
                            } if step.as_str() == id && *n == launch.attempt => {
                                *p = Some(pid);
                            }
                            // A rollback is attempt 0.
                            Event::RollbackStarted { step, pid: p }
                                if step.as_str() == id && launch.attempt == 0 =>
                            {
                                *p = Some(pid);
                            }
                            _ => {}
                        }
                    }
                    starting.push((launch.step, s));
                }
                // Reported through the channel like any other exit, so
                // that it is handled in its own batch.
                Err(exit) => {
                    let _ = self.tx.send(Msg::Report(Report::Exited(exit)));
                }
            }
        }
        (rest, starting)
    }

    fn act(&mut self, action: Action) {
        match action {
            // Started in `carry_out`, before the batch is recorded.
            Action::StartCommand(_) => {}
            Action::Kill { step } => {
                if let Some(a) = self.attempts.get_mut(&step) {
                    a.terminate(Instant::now(), self.spawner.grace);
                }
            }
            Action::KillAll => self.kill_all(),
            Action::Ask(question) => self.operator.ask(&question),
            Action::Retract { step } => self.operator.retract(step),
            Action::Refused { step, by, message } => self.operator.refused(step, &by, &message),
            Action::Finished(result) => self.result = Some(result),
            Action::Stopped => self.kill_all(),
        }
    }

    fn kill_all(&mut self) {
        let now = Instant::now();
        for a in self.attempts.values_mut() {
            if self.forced {
                a.kill();
            } else {
                a.terminate(now, self.spawner.grace);
            }
        }
    }

    fn signal(&mut self, sig: i32) -> Result<(), Error> {
        let name = super::process::signal_name(sig);
        tracing::info!("received {name}");
        if sig == signal_hook::consts::SIGHUP {
            // The terminal went away: whoever was at it is detached, the
            // drill goes on (commands run, outcomes are recorded, questions
            // wait for `reprise attach`).
            self.operator.hung_up();
            return Ok(());
        }
        // Only a signal during an abort or a stop (or during the question
        // whether to abort) forces; an operator who went on is asked again
        // next time.
        let force = if self.aborting || self.stopped.is_some() || self.result.is_some() {
            true
        } else if sig == signal_hook::consts::SIGINT {
            match self.operator.interrupted() {
                Interrupt::Asking => {
                    self.asking = true;
                    return Ok(());
                }
                // `Abort` while the question was open: a Ctrl-C during it.
                Interrupt::Abort => self.asking,
            }
        } else {
            false
        };
        if force {
            // No more grace.
            self.forced = true;
            for a in self.attempts.values_mut() {
                a.kill();
            }
        }
        if self.stopped.is_some() {
            return Ok(());
        }
        if force {
            // During an abort (or its rollbacks), or a second Ctrl-C while
            // the person at the terminal is asked whether to abort: their
            // abort, forced.
            return self.feed(Input::Operator(OperatorInput::Abort {
                by: "signal".into(),
                reason: Some(format!("interrupted by {name}")),
            }));
        }
        // A signal is not an operator's abort: the drill stops, resumable.
        self.feed(Input::Operator(OperatorInput::Stop {
            by: "signal".into(),
            reason: Some(format!("stopped by {name}")),
        }))
    }
}

// ---- dry run ------------------------------------------------------------------

/// What a dry run would do: the order in which steps would run or be asked,
/// and a simulated timeline from the estimates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    /// In order: what would happen, and when (offset from the start).
    pub items: Vec<PreviewItem>,
    /// Each step's simulated start (offset) and duration, by start.
    pub timeline: Vec<(String, crate::runbook::Duration, crate::runbook::Duration)>,
    /// Simulated end of the drill.
    pub total: crate::runbook::Duration,
}

/// One thing a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewItem {
    /// Offset from the start.
    pub at: crate::runbook::Duration,
    /// `run`, `confirm`, `manual`, `skip`, `done`, `n/a`, `rollback`.
    pub what: &'static str,
    /// Step id.
    pub step: String,
    /// The command as written (secrets masked), or the title.
    pub detail: String,
}

/// Walks the drill on a simulated clock starting at `start`: each command
/// "succeeds" after its estimate (0 without one), each manual step and
/// confirmation is recorded done after its estimate, nothing is executed and
/// nothing asked. Events go to `sinks` as in a real drill (`config.dry_run`
/// should be true, so the journal says so).
pub fn dry_run(
    runbook: &Runbook,
    graph: &Graph,
    config: Config,
    start: Timestamp,
    redactor: &Redactor,
    sinks: &mut [&mut dyn Sink],
) -> Result<(RunResult, Preview), Error> {
    let operator = config.operator.clone();
    let mut engine = Engine::new(runbook, graph, config);
    // Pending inputs by simulated time; `seq` keeps equal times in order.
    let mut agenda: BTreeMap<(Timestamp, u64), Input> = BTreeMap::new();
    let mut seq = 0u64;
    let offset =
        |t: Timestamp| crate::runbook::Duration(t.duration_since(start).as_secs().max(0) as u64);
    let estimate = |step: StepIndex| {
        let secs = runbook
            .step(step)
            .estimate
            .map_or(0, |e| e.value.as_secs())
            .min(i64::MAX as u64 / 4) as i64;
        SignedDuration::from_secs(secs)
    };
    // The simulated clock stops at the calendar's end rather than panic
    // (estimates are bounded, but a long enough chain of them is not).
    // A day short of the last instant, which the journal's rounding to
    // milliseconds could not write.
    let end = Timestamp::MAX
        .checked_sub(SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MAX);
    let after =
        |now: Timestamp, step: StepIndex| now.checked_add(estimate(step)).unwrap_or(end).min(end);
    let id = |step: StepIndex| runbook.step(step).id.as_str().to_string();
    let mut items = Vec::new();
    let mut began: BTreeMap<String, Timestamp> = BTreeMap::new();
    let mut timeline = Vec::new();
    let mut result = None;
    let mut now = start;
    let mut input = Some(Input::Start);
    let mut pending_inputs = Vec::new();
    while let Some(i) = input.take() {
        let outputs = engine.handle(now, i);
        for o in &outputs {
            if let Output::Event(e) = o {
                for sink in sinks.iter_mut() {
                    sink.event(e).map_err(Error::Sink)?;
                }
            }
        }
        // Nothing real depends on a simulated event: one sync at the end
        // (below) instead of one per batch keeps a large dry run fast.
        for o in outputs {
            match o {
                Output::Event(Stamped { time, event }) => match event {
                    Event::StepReady { step } | Event::StepStarted { step, .. } => {
                        began.entry(step.to_string()).or_insert(time);
                    }
                    Event::StepFinished {
                        step,
                        outcome,
                        source,
                        reason,
                        ..
                    } => {
                        let what = match (outcome, source) {
                            (Outcome::NotApplicable, _) => Some("n/a"),
                            (Outcome::Done, Source::CommandLine) => Some("done"),
                            (Outcome::Skipped, Source::CommandLine) => Some("skip"),
                            _ => None,
                        };
                        if let Some(what) = what {
                            items.push(PreviewItem {
                                at: offset(time),
                                what,
                                step: step.to_string(),
                                detail: reason.unwrap_or_default(),
                            });
                        }
                        if let Some(b) = began.remove(step.as_str()) {
                            let (from, to) = (offset(b), offset(time));
                            timeline.push((
                                step.to_string(),
                                from,
                                crate::runbook::Duration(to.0.saturating_sub(from.0)),
                            ));
                        }
                    }
                    _ => {}
                },
                Output::Action(action) => match action {
                    Action::StartCommand(l) => {
                        let command = redactor.redact(&l.command.to_string()).into_owned();
                        let mut detail = command;
                        for (k, v) in &l.env {
                            detail.push_str(&format!("  [{k}={}]", redactor.redact(v)));
                        }
                        if !l.hosts.is_empty() {
                            detail.push_str(&format!("  (on {})", l.hosts.join(", ")));
                        }
                        items.push(PreviewItem {
                            at: offset(now),
                            what: if l.attempt == 0 { "rollback" } else { "run" },
                            step: id(l.step),
                            detail,
                        });
                        let exit = super::Exit {
                            step: l.step,
                            attempt: l.attempt,
                            exit_code: Some(0),
                            ..super::Exit::default()
                        };
                        pending_inputs.push((after(now, l.step), Input::CommandExited(exit)));
                    }
                    Action::Ask(q) => {
                        let step = q.step();
                        let s = runbook.step(step);
                        let (what, answer, at) = match q {
                            Question::Manual { .. } => {
                                let mut detail = s.title.clone();
                                if let Some(role) = &s.role {
                                    detail.push_str(&format!(" (role: {role})"));
                                }
                                items.push(PreviewItem {
                                    at: offset(now),
                                    what: "manual",
                                    step: id(step),
                                    detail,
                                });
                                let record = OperatorInput::Record {
                                    step,
                                    outcome: Outcome::Done,
                                    reason: None,
                                    by: operator.clone(),
                                    auto: true,
                                };
                                (None, record, after(now, step))
                            }
                            other => {
                                let what = match other {
                                    Question::Confirm { .. } => Some("confirm"),
                                    _ => None,
                                };
                                let decision = match other {
                                    Question::Failed { .. } => crate::event::Decision::Continue,
                                    Question::Rollback { .. } => crate::event::Decision::Run,
                                    _ => crate::event::Decision::Run,
                                };
                                let decide = OperatorInput::Decide {
                                    step,
                                    decision,
                                    reason: None,
                                    by: operator.clone(),
                                    auto: true,
                                };
                                (what, decide, now)
                            }
                        };
                        if let Some(what) = what {
                            // A confirmation: who, where and the runbook's
                            // warnings, before its command (the next item).
                            let mut detail = s.title.clone();
                            let mut facts = Vec::new();
                            if let Some(role) = &s.role {
                                facts.push(format!("role: {role}"));
                            }
                            if !s.hosts.is_empty() {
                                let hosts: Vec<&str> =
                                    s.hosts.iter().map(|h| h.value.as_str()).collect();
                                facts.push(format!("on: {}", hosts.join(", ")));
                            }
                            if !facts.is_empty() {
                                detail.push_str(&format!(" ({})", facts.join(", ")));
                            }
                            if let Some(text) = &s.instructions {
                                detail.push('\n');
                                detail.push_str(text.trim_end());
                            }
                            items.push(PreviewItem {
                                at: offset(now),
                                what,
                                step: id(step),
                                detail,
                            });
                        }
                        pending_inputs.push((at, Input::Operator(answer)));
                    }
                    Action::Finished(r) => result = Some(r),
                    Action::Kill { .. }
                    | Action::KillAll
                    | Action::Retract { .. }
                    | Action::Stopped
                    | Action::Refused { .. } => {}
                },
            }
        }
        for (at, i) in pending_inputs.drain(..) {
            agenda.insert((at, seq), i);
            seq += 1;
        }
        if result.is_some() {
            break;
        }
        if let Some(((at, _), i)) = agenda.pop_first() {
            now = at;
            input = Some(i);
        } else if let Some(d) = engine.next_deadline() {
            now = d;
            input = Some(Input::Tick);
        }
    }
    for sink in sinks.iter_mut() {
        sink.flush().map_err(Error::Sink)?;
    }
    timeline.sort_by_key(|t| t.1);
    Ok((
        result.unwrap_or(RunResult::Aborted),
        Preview {
            items,
            timeline,
            total: offset(now),
        },
    ))
}

impl Preview {
    /// The preview as text: what would happen in order, then the timeline.
    /// Steps are shown with their item numbers (`#3 restart-app`).
    pub fn render(&self, runbook: &Runbook) -> String {
        let rto = runbook.objectives.rto.map(|r| r.value);
        let numbers: std::collections::HashMap<&str, u32> = runbook
            .step_indices()
            .map(|i| (runbook.step(i).id.as_str(), i.number()))
            .collect();
        let named = |id: &str| match numbers.get(id) {
            Some(n) => format!("#{n} {id}"),
            None => id.to_string(),
        };
        let mut out = String::new();
        let width = self
            .items
            .iter()
            .map(|i| named(&i.step).len())
            .chain(self.timeline.iter().map(|t| named(&t.0).len()))
            .max()
            .unwrap_or(4);
        out.push_str("In order, nothing executed and nothing asked:\n");
        // A multi-line detail (a shell script, a confirmation's
        // instructions) goes on under its first line, in its column.
        let column = 2 + 9 + 1 + 8 + 1 + width + 2;
        for i in &self.items {
            let mut lines = i.detail.trim_end().lines();
            out.push_str(&format!(
                "  +{:<8} {:<8} {:<width$}  {}\n",
                i.at.to_string(),
                i.what,
                named(&i.step),
                lines.next().unwrap_or_default()
            ));
            for l in lines {
                if l.trim().is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{:column$}{l}\n", ""));
                }
            }
        }
        out.push_str("\nSimulated timeline (from the estimates):\n");
        out.push_str(&format!("  {:<9} {:<width$}  duration\n", "start", "step"));
        for (step, at, d) in &self.timeline {
            out.push_str(&format!(
                "  +{:<8} {:<width$}  {d}\n",
                at.to_string(),
                named(step)
            ));
        }
        out.push_str(&format!("\nEstimated total: {}", self.total));
        if let Some(rto) = rto {
            let verdict = if self.total <= rto { "within" } else { "OVER" };
            out.push_str(&format!(" ({verdict} the RTO of {rto})"));
        }
        out.push('\n');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::engine::tests::{cmd, manual, needs, policy, runbook};
    use crate::exec::operator::{Answers, AnswersOperator, Nobody};
    use crate::runbook::OnFailure;

    #[derive(Default)]
    struct Collect {
        events: Vec<Event>,
        lines: Vec<String>,
        flushes: usize,
        fail_after: Option<usize>,
    }

    impl Sink for Collect {
        fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
            if self.fail_after.is_some_and(|n| self.events.len() >= n) {
                return Err(std::io::Error::other("disk full"));
            }
            self.events.push(event.event.clone());
            Ok(())
        }
        fn output(&mut self, _step: StepIndex, line: &str) -> std::io::Result<()> {
            self.lines.push(line.to_string());
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    fn spawner(dir: &std::path::Path) -> Spawner {
        Spawner {
            base_dir: dir.to_path_buf(),
            vars: Vec::new(),
            log_dir: dir.to_path_buf(),
            redactor: Redactor::default(),
            grace: Duration::from_millis(200),
            remote: None,
        }
    }

    fn with_cmd(mut s: crate::runbook::Step, c: &str) -> crate::runbook::Step {
        s.run = Some(crate::runbook::Located::new(
            crate::runbook::Command::Shell(c.into()),
            Default::default(),
        ));
        s
    }

    fn drive(
        rb: &Runbook,
        operator: &mut dyn Operator,
        sink: &mut Collect,
    ) -> Result<RunResult, Error> {
        let dir = tempfile::tempdir().unwrap();
        let engine = crate::exec::engine::tests::engine(
            rb,
            Config {
                jobs: 4,
                operator: "alice".into(),
                ..Config::default()
            },
        );
        run_engine(rb, engine, &spawner(dir.path()), &mut [sink], operator)
    }

    #[test]
    fn a_drill_runs_commands_and_answers_and_records_everything() {
        let rb = runbook(vec![
            with_cmd(cmd("a"), "echo hello from a"),
            needs(manual("m"), &["a"]),
            needs(
                policy(with_cmd(cmd("bad"), "exit 4"), OnFailure::Continue),
                &["m"],
            ),
        ]);
        let answers = Answers::parse("m: { answer: done, note: all good }\n", &rb).unwrap();
        let mut op = AnswersOperator::new(answers, &rb, &"alice".into(), "answers.yaml");
        let mut sink = Collect::default();
        assert_eq!(drive(&rb, &mut op, &mut sink).unwrap(), RunResult::Degraded);
        assert_eq!(sink.lines, ["hello from a"]);
        let names: Vec<&str> = sink.events.iter().map(Event::name).collect();
        assert_eq!(
            names,
            [
                "run_started",
                "step_ready",
                "step_started",
                "attempt_finished",
                "step_finished",
                "step_ready",
                "note",
                "step_finished",
                "step_ready",
                "step_started",
                "attempt_finished",
                "step_finished",
                "run_finished"
            ]
        );
        // One flush per batch, never one per event.
        assert!(sink.flushes < sink.events.len(), "{} flushes", sink.flushes);
    }

    /// A journal stand-in: events are "on disk" (in `synced.txt`) only
    /// once flushed.
    struct FileJournal {
        path: std::path::PathBuf,
        pending: Vec<String>,
    }

    impl Sink for FileJournal {
        fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
            self.pending.push(serde_json::to_string(event).unwrap());
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            use std::io::Write;
            // A slow disk: a command started before the sync would run
            // while the sync is still under way.
            if !self.pending.is_empty() {
                std::thread::sleep(Duration::from_millis(100));
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            for line in self.pending.drain(..) {
                writeln!(f, "{line}")?;
            }
            Ok(())
        }
    }

    /// A view that checks that what it shows (at `flush`, like the real
    /// view) is on disk.
    struct ShownAfterSync {
        synced: std::path::PathBuf,
        pending: Vec<String>,
        shown: usize,
    }

    impl Sink for ShownAfterSync {
        fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
            self.pending.push(serde_json::to_string(event).unwrap());
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            let on_disk = std::fs::read_to_string(&self.synced).unwrap_or_default();
            for line in self.pending.drain(..) {
                assert!(
                    on_disk.lines().any(|l| l == line),
                    "shown before it was synced: {line}"
                );
                self.shown += 1;
            }
            Ok(())
        }
    }

    #[test]
    fn a_dependent_starts_and_an_outcome_shows_only_after_the_sync() {
        let dir = tempfile::tempdir().unwrap();
        let synced = dir.path().join("synced.txt");
        // `b` copies what is on disk when it starts: `a`'s end must be there.
        let rb = runbook(vec![
            with_cmd(cmd("a"), "true"),
            needs(with_cmd(cmd("b"), "cp synced.txt seen-by-b.txt"), &["a"]),
            with_cmd(cmd("c"), "true"),
        ]);
        let mut journal = FileJournal {
            path: synced.clone(),
            pending: Vec::new(),
        };
        let mut view = ShownAfterSync {
            synced: synced.clone(),
            pending: Vec::new(),
            shown: 0,
        };
        let engine = crate::exec::engine::tests::engine(
            &rb,
            Config {
                jobs: 1,
                operator: "alice".into(),
                ..Config::default()
            },
        );
        let mut op = Nobody::new(&rb);
        let result = run_engine(
            &rb,
            engine,
            &spawner(dir.path()),
            &mut [&mut journal, &mut view],
            &mut op,
        );
        assert_eq!(result.unwrap(), RunResult::Recovered);
        let seen = std::fs::read_to_string(dir.path().join("seen-by-b.txt")).unwrap();
        assert!(
            seen.lines()
                .any(|l| l.contains(r#""event":"step_finished","step":"a""#)),
            "b started before a's end was synced:\n{seen}"
        );
        // Every event, `step_started` included, is on disk at the end.
        let on_disk = std::fs::read_to_string(&synced).unwrap();
        assert_eq!(on_disk.lines().count(), view.shown);
        assert_eq!(
            on_disk.matches(r#""event":"step_started""#).count(),
            3,
            "{on_disk}"
        );
    }

    /// A journal stand-in whose writes take 100 ms, each line in the file
    /// (`written.txt`) once written, as the kernel holds it.
    struct SlowWrites(std::path::PathBuf);

    impl Sink for SlowWrites {
        fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
            use std::io::Write;
            std::thread::sleep(Duration::from_millis(100));
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.0)?;
            writeln!(f, "{}", serde_json::to_string(event).unwrap())
        }
    }

    /// Issue 17, item 12: a command runs only once its `step_started`,
    /// with its own pid, is written (a kill in between made resume run it
    /// again beside the unrecorded first copy). Each command looks, with
    /// shell builtins only (no time to lose), for its pid in the journal.
    #[test]
    fn a_command_runs_only_once_its_pid_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let look = |id: &str| {
            format!(
                r#"found=no; while IFS= read -r l; do case "$l" in *'"step_started"'*'"pid":'$$*) found=yes;; esac; done < written.txt; echo $found > seen-{id}.txt"#
            )
        };
        let rb = runbook(vec![
            with_cmd(cmd("a"), &look("a")),
            with_cmd(cmd("b"), &look("b")),
            needs(with_cmd(cmd("c"), &look("c")), &["a"]),
        ]);
        let mut journal = SlowWrites(dir.path().join("written.txt"));
        let engine = crate::exec::engine::tests::engine(
            &rb,
            Config {
                jobs: 2,
                operator: "alice".into(),
                ..Config::default()
            },
        );
        let mut op = Nobody::new(&rb);
        let result = run_engine(
            &rb,
            engine,
            &spawner(dir.path()),
            &mut [&mut journal],
            &mut op,
        );
        assert_eq!(result.unwrap(), RunResult::Recovered);
        for id in ["a", "b", "c"] {
            let seen = std::fs::read_to_string(dir.path().join(format!("seen-{id}.txt"))).unwrap();
            assert_eq!(seen.trim(), "yes", "{id} ran before its pid was written");
        }
    }

    #[test]
    fn a_question_without_an_operator_stops_the_drill() {
        let rb = runbook(vec![manual("m"), with_cmd(cmd("long"), "sleep 30")]);
        let mut op = Nobody::new(&rb);
        let mut sink = Collect::default();
        assert_eq!(drive(&rb, &mut op, &mut sink).unwrap(), RunResult::Aborted);
        let reason = sink.events.iter().find_map(|e| match e {
            Event::AbortRequested { reason, .. } => reason.clone(),
            _ => None,
        });
        assert!(reason.unwrap().contains("--yes"));
        assert!(sink.events.iter().any(|e| matches!(
            e,
            Event::StepFinished { outcome: Outcome::Aborted, step, .. } if step.as_str() == "long"
        )));
    }

    #[test]
    fn a_dry_run_walks_the_plan_on_a_simulated_clock() {
        let est = |mut s: crate::runbook::Step, secs| {
            s.estimate = Some(crate::runbook::Located::new(
                crate::runbook::Duration(secs),
                Default::default(),
            ));
            s
        };
        let mut confirm = est(needs(cmd("stop"), &["call"]), 300);
        confirm.confirm = true;
        confirm.env = vec![("TOKEN".into(), "s3cr3t".into())];
        let mut real = cmd("real");
        real.only = Some(crate::runbook::Mode::Incident);
        let rb = runbook(vec![
            est(manual("call"), 600),
            confirm,
            real,
            est(needs(cmd("left-out"), &["stop"]), 60),
            est(needs(cmd("last"), &["stop", "real"]), 1800),
        ]);
        let graph = Graph::build(&rb).unwrap();
        let config = Config {
            dry_run: true,
            jobs: 1,
            operator: "alice".into(),
            presets: vec![crate::exec::Preset::Skip {
                step: StepIndex(3),
                reason: "not tonight".into(),
            }],
            ..Config::default()
        };
        let start: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let mut sink = Collect::default();
        let (result, preview) = dry_run(
            &rb,
            &graph,
            config,
            start,
            &Redactor::new(["s3cr3t"]),
            &mut [&mut sink],
        )
        .unwrap();
        assert_eq!(result, RunResult::Recovered);
        let items: Vec<String> = preview
            .items
            .iter()
            .map(|i| format!("+{} {} {} {}", i.at, i.what, i.step, i.detail))
            .collect();
        assert_eq!(
            items,
            [
                "+0s skip left-out not tonight",
                "+0s manual call Step call",
                "+0s n/a real runs only in incident mode",
                "+10m confirm stop Step stop",
                "+10m run stop true  [TOKEN=***]",
                "+15m run last true",
            ]
        );
        assert_eq!(preview.total, crate::runbook::Duration(45 * 60));
        assert!(matches!(
            sink.events[0],
            Event::RunStarted { dry_run: true, .. }
        ));
        // Simulated times, not the wall clock.
        assert!(sink.lines.is_empty());
    }

    #[test]
    fn a_sink_error_stops_the_drill() {
        let rb = runbook(vec![with_cmd(cmd("a"), "sleep 30"), cmd("b")]);
        let mut op = Nobody::new(&rb);
        let mut sink = Collect {
            fail_after: Some(3),
            ..Collect::default()
        };
        let err = drive(&rb, &mut op, &mut sink).unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
    }
}
