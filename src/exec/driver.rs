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
use super::process::{Attempt, Notify, Report, Spawner};
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
    // What a step detaches comes back to reprise when its parent dies.
    super::orphans::become_subreaper();

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
}

mod batch;
mod dry_run;
mod signals;

pub use dry_run::{Preview, PreviewItem, dry_run};

#[cfg(test)]
mod tests;
