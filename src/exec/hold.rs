//! Holding a new command before it runs, until its process id is on disk.
//!
//! `reprise resume` stops the leftovers of a crashed run by the process ids
//! recorded in `step_started`. A process id exists only once the process
//! does, so the record necessarily follows the fork; if reprise died between
//! the two, the command ran with no record of it, and resume started it a
//! second time beside the first (5 of 268 random kills in a red-team pass).
//!
//! So a local command is started *held*: the child exists, with its
//! process id, but waits before `exec` on a pipe. The driver records
//! `step_started` with that id, writes it to the journal, and only then
//! [releases](Held::release) it: the command's program starts after its id
//! is recorded, never before. If reprise dies first, the kernel kills the
//! held child (`PR_SET_PDEATHSIG`: the thread that started it ended) and it
//! never runs anything; if the record fails, the driver
//! [cancels](Held::cancel) it.
//!
//! The child is started without copying the drill's memory and without a
//! thread of its own (`clone(CLONE_VM)`, beside the driver's thread:
//! [`start`] says why and how). Its process id is known at once; the
//! release waits until it has exec'd (or failed: a program not found).
//!
//! A remote command is held too, at a [`Gate`]: its local `ssh` starts at
//! once (it connects while the record is written), but the script that
//! holds the command goes to `ssh`'s standard input only once the gate
//! opens, after `step_started`. If reprise dies first, that input closes
//! empty: the remote `sh -s` reads nothing and runs nothing.

use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Condvar, Mutex};

use nix::libc;

mod start;
mod sys;

/// A command's main process, which reprise alone reaps.
#[derive(Debug)]
pub struct Process {
    pid: u32,
    status: Option<ExitStatus>,
}

impl Process {
    fn new(pid: u32) -> Process {
        Process { pid, status: None }
    }

    /// Its process id.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// Waits for it to end and reaps it (once: later calls say the same).
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        use std::os::unix::process::ExitStatusExt;
        if let Some(s) = self.status {
            return Ok(s);
        }
        let mut raw: libc::c_int = 0;
        loop {
            // SAFETY: a plain system call on our own child.
            if unsafe { libc::waitpid(self.pid as libc::pid_t, &mut raw, 0) } >= 0 {
                let s = ExitStatus::from_raw(raw);
                self.status = Some(s);
                return Ok(s);
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    }

    /// `SIGKILL` to it (nothing once reaped: its id may be reused).
    pub fn kill(&mut self) {
        if self.status.is_none() {
            // SAFETY: a plain system call.
            unsafe { libc::kill(self.pid as libc::pid_t, libc::SIGKILL) };
        }
    }
}

impl From<std::process::Child> for Process {
    /// A child `std` started (a remote step's `ssh`), reaped from now on
    /// by its id (dropping `std`'s handle neither kills nor reaps it).
    fn from(child: std::process::Child) -> Process {
        Process::new(child.id())
    }
}

/// A child started and held before `exec`.
pub struct Held {
    pid: u32,
    /// The drill's end of the pipe the child waits on.
    go: Option<io::PipeWriter>,
    /// Its end once the child has exec'd; its `errno` if it failed.
    err: io::PipeReader,
    /// What the child reads and runs on until it has exec'd or exited:
    /// `None` once it has.
    running: Option<(Box<start::Plan>, start::Stack)>,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Held").field("pid", &self.pid).finish()
    }
}

/// What [`hold`] gives back.
#[derive(Debug)]
pub enum Forked {
    /// The child exists and waits for [`Held::release`].
    Held(Held),
    /// The child was not started (folder missing, too many processes…):
    /// the error.
    Failed(io::Error),
}

/// Starts `cmd` held (its program, arguments, added environment and
/// folder; in a process group of its own, its input from `/dev/null`, its
/// output on `stdout` and `stderr`): returns once the child exists, or
/// once its start failed.
pub fn hold(cmd: Command, stdout: OwnedFd, stderr: OwnedFd) -> io::Result<Forked> {
    // The folder is looked at here, so that a missing one is an error
    // before anything is recorded (the child says later what fails in it).
    if let Some(dir) = cmd.get_current_dir() {
        match std::fs::metadata(dir) {
            Err(e) => return Ok(Forked::Failed(e)),
            Ok(m) if !m.is_dir() => {
                return Ok(Forked::Failed(io::Error::from_raw_os_error(libc::ENOTDIR)));
            }
            Ok(_) => {}
        }
    }
    let (go_r, go_w) = io::pipe()?;
    let (err_r, err_w) = io::pipe()?;
    let stdin: OwnedFd = std::fs::File::open("/dev/null")?.into();
    let fds = start::Fds {
        stdout,
        stderr,
        go_r: go_r.into(),
        err_w: err_w.into(),
    };
    let plan = match start::Plan::new(&cmd, &fds, &stdin) {
        Ok(plan) => Box::new(plan),
        Err(e) => return Ok(Forked::Failed(e)),
    };
    // SAFETY: the plan stays in its box, untouched, until the child has
    // exec'd or exited (`Held::finish`).
    let started = unsafe { start::clone(&plan) };
    // Our copies close here: the child has its own (the end of the error
    // pipe then means it has exec'd; the output's, that it has ended).
    drop((fds, stdin));
    match started {
        Ok((pid, stack)) => Ok(Forked::Held(Held {
            pid: pid as u32,
            go: Some(go_w),
            err: err_r,
            running: Some((plan, stack)),
        })),
        Err(e) => Ok(Forked::Failed(e)),
    }
}

impl Held {
    /// The child's process id (and process group).
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Lets the child `exec` its program (idempotent). Every child held
    /// together must be let go before any is [released](Held::release):
    /// a child started after another holds a copy of the other's error
    /// pipe until it execs, and the other's release waits for that pipe's
    /// end.
    pub fn go(&mut self) {
        self.say(b'g');
    }

    /// Tells the child to exit without running its program (idempotent,
    /// and nothing once [`Held::go`] was said).
    pub fn stop(&mut self) {
        self.say(b'n');
    }

    fn say(&mut self, word: u8) {
        if let Some(mut go) = self.go.take() {
            // A child already gone (killed) makes the write fail: the
            // release says what happened.
            let _ = go.write_all(&[word]);
        }
    }

    /// Waits until the child has exec'd (`Ok`) or has failed and exited
    /// (its error; reaped); then its stack and plan are free.
    fn finish(&mut self) -> io::Result<()> {
        let outcome = start::outcome(&mut self.err).unwrap_or_else(|e| {
            // Whether it still runs on them is unknown: it must not.
            // SAFETY: a plain system call on our own child.
            unsafe { libc::kill(self.pid as libc::pid_t, libc::SIGKILL) };
            Err(e)
        });
        if outcome.is_err() {
            let _ = Process::new(self.pid).wait();
        }
        if let Some((plan, stack)) = self.running.take() {
            stack.give_back();
            drop(plan);
        }
        outcome
    }

    /// Lets the child `exec` its program (if [`Held::go`] was not said
    /// yet) and returns once it has: an error such as a program not found
    /// comes from here.
    pub fn release(mut self) -> io::Result<Process> {
        self.go();
        self.finish()?;
        Ok(Process::new(self.pid))
    }

    /// The child exits without running its program (its record could not
    /// be made durable). [`Held::stop`] every child held together first.
    pub fn cancel(mut self) {
        self.stop();
        self.cancelled();
    }

    fn cancelled(&mut self) {
        if self.running.is_some() && self.finish().is_ok() {
            // Let go before the stop: do not leave it running unrecorded.
            let mut child = Process::new(self.pid);
            child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Held {
    /// A child neither released nor cancelled (the driver unwinds) never
    /// runs, and its stack is not freed under it.
    fn drop(&mut self) {
        self.stop();
        self.cancelled();
    }
}

/// What holds the scripts of a remote attempt's first `ssh` processes
/// until its `step_started` is written: each script writer
/// [waits](Gate::wait) until the gate is [opened](Gate::go) (write the
/// script) or [shut](Gate::stop) (write nothing). Clones share one gate.
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<(Mutex<Option<bool>>, Condvar)>);

impl Gate {
    /// A gate not decided yet: its writers wait.
    pub fn new() -> Gate {
        Gate::default()
    }

    /// A gate already open (a host started once the attempt is recorded).
    pub fn open() -> Gate {
        let g = Gate::new();
        g.go();
        g
    }

    /// Lets every writer through, now and later (nothing once shut).
    pub fn go(&self) {
        self.decide(true);
    }

    /// Every writer gives up without writing (nothing once opened).
    pub fn stop(&self) {
        self.decide(false);
    }

    fn decide(&self, go: bool) {
        let (state, cv) = &*self.0;
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        if s.is_none() {
            *s = Some(go);
            cv.notify_all();
        }
    }

    /// Blocks until the gate is decided: true when opened.
    pub fn wait(&self) -> bool {
        let (state, cv) = &*self.0;
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(go) = *s {
                return go;
            }
            s = cv.wait(s).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[cfg(test)]
mod tests;
