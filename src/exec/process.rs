//! One attempt of a command: spawning, output, timeout, and cleanup.
//!
//! Every attempt runs in its own process group, so that a timeout or an
//! abort can end everything the command started (`sh -c 'a | b &'` included),
//! and so that the terminal's Ctrl-C reaches reprise alone: the driver
//! decides what happens to the commands.
//!
//! - A string `run` goes through `sh -c`; a list is executed directly.
//! - The environment is reprise's own, plus the runbook's `vars` (values,
//!   secrets included, only ever as environment variables: never spliced into
//!   command text), plus the step's `env`. The working directory is the
//!   runbook's folder joined with `workdir`. Standard input is `/dev/null`.
//! - Standard output and standard error share ONE pipe, so that lines keep
//!   the order the command wrote them in. The driver's [`Watch`] reads it:
//!   it masks secrets, appends each line to the step's log file
//!   (`StepLog`) and forwards it to the driver; it keeps the last [`TAIL_LINES`] lines
//!   for `output_tail`.
//! - The same [`Watch`] sees the main process end, kills the rest of its
//!   group and reaps it (the order, and why, are in [`watch`](super::watch)).
//! - A timeout sends `SIGTERM` to the group, waits a grace period
//!   ([`Spawner::grace`]), then sends `SIGKILL`. The driver calls
//!   [`Attempt::tick`] when [`Attempt::next_deadline`] passes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

pub use super::output::{MAX_LINE, Notify, Report, TAIL_LINES, describe, signal_name};
use super::watch::Watch;
use super::{Exit, Launch};
use crate::redact::Redactor;
use crate::runbook::StepIndex;

/// What every attempt of a drill shares.
#[derive(Debug, Clone)]
pub struct Spawner {
    /// The runbook's folder: `workdir` is relative to it.
    pub base_dir: PathBuf,
    /// Runbook variables with their values, in file order.
    pub vars: Vec<(String, String)>,
    /// Folder of the per-step log files.
    pub log_dir: PathBuf,
    /// Masks secrets in output and logs.
    pub redactor: Redactor,
    /// Between `SIGTERM` and `SIGKILL` on a timeout or an abort.
    pub grace: Duration,
    /// Starts the steps with `host` (the drill's shared `ssh`
    /// connections, [`remote::Session`](super::remote::Session); none in a
    /// runbook without hosts).
    pub remote: Option<Arc<dyn Hosts>>,
}

/// Starts the attempts of steps with `host`: the remote layer, above this
/// one ([`remote::Session`](super::remote::Session)), which runs each
/// host's `ssh` through [`Spawner::spawn_on`].
pub trait Hosts: std::fmt::Debug + Send + Sync {
    /// Starts `launch` on its hosts (at most its `max_parallel` at once,
    /// the rest through the attempt's [`Fanout`]); the command reaches a
    /// host only once `gate` opens. `Err` when no host could start.
    fn start(
        self: Arc<Self>,
        spawner: &Spawner,
        launch: &Launch,
        step_id: &str,
        notify: Notify,
        watch: &mut Watch,
        gate: &super::hold::Gate,
    ) -> Result<Attempt, Exit>;
}

/// The hosts of a remote attempt still to start: the driver has them
/// started as places free up ([`Attempt::pump`]).
pub trait Fanout: std::fmt::Debug + Send {
    /// Starts every host that may start now; their `ssh` join `peers`.
    fn pump(&self, spawner: &Spawner, watch: &mut Watch, peers: &mut Vec<Attempt>);
    /// When a host waiting may start.
    fn next_deadline(&self) -> Option<Instant>;
    /// Starts nothing more (abort): the hosts not started are recorded so.
    fn stop(&self);
}

/// One host's `ssh`, as the remote layer builds it: the host's name, the
/// command (`None` for a host not in the table), and the script for its
/// standard input.
#[derive(Debug)]
pub struct OnHost<'a> {
    /// The host's name in the runbook.
    pub host: &'a str,
    /// `ssh`, ready but for its output and input.
    pub ssh: Option<std::process::Command>,
    /// What runs there, written on `ssh`'s standard input.
    pub script: String,
}

/// Signals may be sent to the group only while this is false: once the
/// main process is reaped its id may be reused.
type Reaped = Arc<AtomicBool>;

/// A running attempt, as the driver holds it.
#[derive(Debug)]
pub struct Attempt {
    /// The step.
    pub step: StepIndex,
    /// Attempt number (0 for a rollback).
    pub attempt: u32,
    /// Process id of the main process (and id of its group).
    pub pid: u32,
    reaped: Reaped,
    timed_out: Arc<AtomicBool>,
    /// When the timeout elapses (not yet terminated).
    deadline: Option<Instant>,
    /// When to send `SIGKILL` after a `SIGTERM`.
    kill_at: Option<Instant>,
    /// The other hosts' `ssh` of a step with several hosts: ended with
    /// this one.
    peers: Vec<Attempt>,
    /// For a remote step: the hosts still to start (at most the step's
    /// `max_parallel` run at once) or to try again.
    pump: Option<Box<dyn Fanout>>,
}

impl Attempt {
    /// The next time [`Attempt::tick`] must be called.
    pub fn next_deadline(&self) -> Option<Instant> {
        let own = match (self.deadline, self.kill_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.peers
            .iter()
            .filter_map(Attempt::next_deadline)
            .chain(own)
            .chain(self.pump.as_ref().and_then(|p| p.next_deadline()))
            .min()
    }

    /// Starts the hosts of a remote step that may start now (a host ended
    /// and freed a place, a dropped connection's pause is over).
    pub fn pump(&mut self, spawner: &Spawner, watch: &mut Watch) {
        if let Some(pump) = &self.pump {
            pump.pump(spawner, watch, &mut self.peers);
        }
    }

    /// Makes this attempt start the rest of its step's hosts as places
    /// free up.
    pub fn set_pump(&mut self, pump: Box<dyn Fanout>) {
        self.pump = Some(pump);
    }

    /// Makes `peers` end with this attempt (the other hosts of a step).
    pub fn add_peers(&mut self, peers: Vec<Attempt>) {
        self.peers.extend(peers);
    }

    /// Applies the timeout and the grace period as of `now`.
    pub fn tick(&mut self, now: Instant, grace: Duration) {
        for p in &mut self.peers {
            p.tick(now, grace);
        }
        if self.deadline.is_some_and(|d| d <= now) {
            self.deadline = None;
            self.timed_out.store(true, Ordering::SeqCst);
            tracing::info!(
                step = self.step.0,
                pid = self.pid,
                "timeout: terminating the group"
            );
            // Only this process: each host of a remote step has its own
            // timeout, counted from its own start.
            self.signal(Signal::SIGTERM);
            let at = now + grace;
            self.kill_at = Some(self.kill_at.map_or(at, |k| k.min(at)));
        }
        if self.kill_at.is_some_and(|d| d <= now) {
            self.kill_at = None;
            self.signal(Signal::SIGKILL);
        }
    }

    /// `SIGTERM` to the group now, `SIGKILL` after `grace` (abort).
    pub fn terminate(&mut self, now: Instant, grace: Duration) {
        if let Some(pump) = &self.pump {
            pump.stop();
        }
        for p in &mut self.peers {
            p.terminate(now, grace);
        }
        self.deadline = None;
        self.signal(Signal::SIGTERM);
        let at = now + grace;
        self.kill_at = Some(self.kill_at.map_or(at, |k| k.min(at)));
    }

    /// `SIGKILL` to the group now (a second Ctrl-C, or a fatal error).
    pub fn kill(&mut self) {
        if let Some(pump) = &self.pump {
            pump.stop();
        }
        for p in &mut self.peers {
            p.kill();
        }
        self.deadline = None;
        self.kill_at = None;
        self.signal(Signal::SIGKILL);
    }

    fn signal(&self, signal: Signal) {
        // The watch reaps in the driver's thread, the one sending signals:
        // the flag cannot change between this look and the signal.
        if !self.reaped.load(Ordering::SeqCst) {
            // ESRCH (the group is already gone) is fine.
            let _ = killpg(Pid::from_raw(self.pid as i32), signal);
        }
    }
}

/// An attempt forked but maybe not running yet: a local command is held
/// before `exec` until the driver has made its `step_started` durable
/// ([`hold`](super::hold)); a remote step's `ssh` processes run at once
/// (they connect meanwhile) but their scripts, which hold the command,
/// wait at a [`Gate`](super::hold::Gate) until then.
#[derive(Debug)]
pub enum Starting {
    /// A local command, held: [`Starting::release`] runs it.
    Held(Box<Pending>),
    /// A remote step's first `ssh` processes, their scripts held at the
    /// gate: [`Starting::go`] sends them.
    Remote(Box<Attempt>, super::hold::Gate),
}

/// A held local command and what its [`Attempt`] is made of once it runs.
#[derive(Debug)]
pub struct Pending {
    held: super::hold::Held,
    rest: Prepared,
}

impl Starting {
    /// The process id to record in `step_started`.
    pub fn pid(&self) -> u32 {
        match self {
            Starting::Held(p) => p.held.pid(),
            Starting::Remote(a, _) => a.pid,
        }
    }

    /// Lets the command run (its `step_started` is on disk) and watches it.
    /// `Err` is an attempt that could not start (a program not found),
    /// already written to the log.
    pub fn release(self, watch: &mut Watch) -> Result<Attempt, Exit> {
        match self {
            Starting::Remote(a, gate) => {
                gate.go();
                Ok(*a)
            }
            Starting::Held(p) => {
                let Pending { held, rest } = *p;
                match held.release() {
                    Ok(child) => Ok(rest.adopt(child, None, watch, super::hold::Gate::open())),
                    Err(e) => Err(rest.spawn_error(&e)),
                }
            }
        }
    }

    /// Lets a held command `exec` (see [`Held::go`](super::hold::Held::go)):
    /// say it to every command started together before releasing any.
    pub fn go(&mut self) {
        match self {
            Starting::Held(p) => p.held.go(),
            Starting::Remote(_, gate) => gate.go(),
        }
    }

    /// Tells a held command to exit unrun: say it to every command started
    /// together before cancelling any.
    pub fn stop(&mut self) {
        match self {
            Starting::Held(p) => p.held.stop(),
            Starting::Remote(_, gate) => gate.stop(),
        }
    }

    /// The command never runs (its start could not be recorded); a remote
    /// step's `ssh` gets no script and is killed.
    pub fn cancel(self) {
        match self {
            Starting::Held(p) => p.held.cancel(),
            Starting::Remote(mut a, gate) => {
                gate.stop();
                a.kill();
            }
        }
    }
}

impl Spawner {
    /// Starts one attempt and lets it run at once (no record waits for it).
    /// `Err` carries the [`Exit`] of an attempt that could not start
    /// (program not found, bad folder…), already written to the log.
    /// The attempt's reports go to `notify` from [`Watch::wait`].
    pub fn spawn(
        &self,
        launch: &Launch,
        step_id: &str,
        notify: Notify,
        watch: &mut Watch,
    ) -> Result<Attempt, Exit> {
        self.start(launch, step_id, notify, watch)?.release(watch)
    }

    /// Starts one attempt, a local command held before `exec` until
    /// [`Starting::release`]: the driver records its process id first.
    pub fn start(
        &self,
        launch: &Launch,
        step_id: &str,
        notify: Notify,
        watch: &mut Watch,
    ) -> Result<Starting, Exit> {
        if !launch.hosts.is_empty() {
            let gate = super::hold::Gate::new();
            let Some(hosts) = self.remote.clone() else {
                let (_, rest, _) = self.prepare(launch, step_id, None, None, notify)?;
                return Err(rest.spawn_error(&std::io::Error::other(
                    "a step with `host` in a drill without remote steps",
                )));
            };
            return hosts
                .start(self, launch, step_id, notify, watch, &gate)
                .map(|a| Starting::Remote(Box::new(a), gate));
        }
        let (cmd, rest, (out, err)) = self.prepare(launch, step_id, None, None, notify)?;
        match super::hold::hold(cmd, out.into(), err.into()) {
            Ok(super::hold::Forked::Held(held)) => {
                Ok(Starting::Held(Box::new(Pending { held, rest })))
            }
            Ok(super::hold::Forked::Failed(e)) => Err(rest.spawn_error(&e)),
            Err(e) => {
                Err(rest.spawn_error(&std::io::Error::other(format!("cannot create a pipe: {e}"))))
            }
        }
    }

    /// Starts one process of an attempt at once: the command itself, or
    /// a host's `ssh` (its lines prefixed with `prefix`; its script sent
    /// once `gate` opens).
    #[allow(clippy::too_many_arguments)]
    pub fn spawn_on(
        &self,
        launch: &Launch,
        step_id: &str,
        on: Option<OnHost<'_>>,
        prefix: Option<String>,
        notify: Notify,
        watch: &mut Watch,
        gate: &super::hold::Gate,
    ) -> Result<Attempt, Exit> {
        let (mut cmd, rest, (out, err)) = self.prepare(launch, step_id, on, prefix, notify)?;
        let spawned = cmd
            .stdin(std::process::Stdio::piped())
            .stdout(out)
            .stderr(err)
            .spawn();
        // The command holds our copies of the pipe's write end: drop them,
        // or the reader would never see the end of the output.
        drop(cmd);
        match spawned {
            Ok(mut child) => {
                let stdin = child.stdin.take();
                Ok(rest.adopt(child.into(), stdin, watch, gate.clone()))
            }
            Err(e) => Err(rest.spawn_error(&e)),
        }
    }
}

mod prepare;
#[cfg(test)]
mod tests;

use prepare::Prepared;
