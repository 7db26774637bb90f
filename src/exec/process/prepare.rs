//! A command built for one attempt (or one host of it): its program,
//! arguments, environment, folder and process group; its output pipe and
//! log; and what its [`Attempt`] and [`Entry`] are made of once it runs.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::super::output::StepLog;
use super::super::watch::{Cutter, Entry, Lines, Watch};
use super::super::{Exit, Launch};
use super::{Attempt, Notify, OnHost, Reaped, Spawner, TAIL_LINES};
use crate::event::Ending;
use crate::redact::Redactor;
use crate::runbook::{Command, StepIndex};

/// A command built, with what its [`Attempt`] and [`Entry`] need.
pub(super) struct Prepared {
    step: StepIndex,
    attempt: u32,
    /// The mark in its processes' environment ([`super::orphans`]).
    token: String,
    program: String,
    dir: PathBuf,
    is_remote: bool,
    reader: std::io::PipeReader,
    log: StepLog,
    script: Option<String>,
    prefix: Option<String>,
    notify: Notify,
    redactor: Redactor,
    timeout: Option<crate::runbook::Duration>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("step", &self.step)
            .field("attempt", &self.attempt)
            .field("program", &self.program)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// What to say of a command that could not start, in its log too.
    pub(super) fn spawn_error(mut self, e: &std::io::Error) -> Exit {
        let what = match e.kind() {
            std::io::ErrorKind::NotFound if !self.dir.is_dir() => {
                format!("working directory {} does not exist", self.dir.display())
            }
            std::io::ErrorKind::NotFound if self.is_remote => {
                "`ssh` not found: install the OpenSSH client".to_string()
            }
            std::io::ErrorKind::NotFound => format!("`{}` not found", self.program),
            _ => format!("{}: {e}", self.program),
        };
        self.log.line(&format!("=== could not start: {what}"));
        Exit {
            step: self.step,
            attempt: self.attempt,
            ending: Ending::unstarted(what),
            ..Exit::default()
        }
    }

    /// The running command, given to the watch. A remote command's script
    /// goes to `ssh` once `gate` opens.
    pub(super) fn adopt(
        self,
        child: super::super::hold::Process,
        stdin: Option<std::process::ChildStdin>,
        watch: &mut Watch,
        gate: super::super::hold::Gate,
    ) -> Attempt {
        let pid = child.id();
        // The script goes to ssh's standard input once the attempt is
        // recorded (the gate), and that input then stays open until ssh
        // has ended: its end tells the remote side to stop. Shut, or
        // reprise gone before the gate opened: the input closes empty and
        // the remote `sh -s` runs nothing.
        let mut stdin_done = None;
        if let (Some(script), Some(mut stdin)) = (self.script, stdin) {
            let (done, wait) = std::sync::mpsc::channel::<()>();
            stdin_done = Some(done);
            std::thread::spawn(move || {
                if gate.wait() {
                    let _ = stdin.write_all(script.as_bytes());
                    let _ = wait.recv();
                }
            });
        }
        // The watch reads whatever is there and never waits on the pipe.
        if let Err(e) = nix::fcntl::fcntl(
            &self.reader,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::O_NONBLOCK),
        ) {
            tracing::warn!("cannot make a command's output pipe non-blocking: {e}");
        }
        let reaped: Reaped = Arc::new(AtomicBool::new(false));
        let timed_out = Arc::new(AtomicBool::new(false));
        watch.add(Entry {
            attempt: self.attempt,
            token: self.token,
            child,
            pipe: Some(self.reader),
            cut: Cutter::default(),
            lines: Lines {
                step: self.step,
                prefix: self.prefix,
                log: self.log,
                redactor: self.redactor,
                notify: self.notify,
                tail: VecDeque::with_capacity(TAIL_LINES),
                restore_point: None,
            },
            reaped: reaped.clone(),
            timed_out: timed_out.clone(),
            stdin_done,
            ended: None,
        });
        let deadline = self
            .timeout
            .map(|t| Instant::now() + Duration::from_secs(t.as_secs()));
        Attempt {
            step: self.step,
            attempt: self.attempt,
            pid,
            reaped,
            timed_out,
            deadline,
            kill_at: None,
            peers: Vec::new(),
            pump: None,
        }
    }
}

impl Spawner {
    /// Builds the command of one process of an attempt, with its log, and
    /// its output pipe's write ends (for its standard output and error)
    /// apart: a local command is started held, not by `std`.
    pub(super) fn prepare(
        &self,
        launch: &Launch,
        step_id: &str,
        on: Option<OnHost<'_>>,
        prefix: Option<String>,
        notify: Notify,
    ) -> Result<(std::process::Command, Prepared, Outputs), Exit> {
        let host = on.as_ref().map(|o| o.host);
        let (ssh, script) = match on {
            Some(o) => (Some(o.ssh), Some(o.script)),
            None => (None, None),
        };
        let on = host.map(|h| format!(" on {h}")).unwrap_or_default();
        let header = if launch.attempt == 0 {
            format!("=== rollback{on} — {}", jiff::Timestamp::now())
        } else {
            format!(
                "=== attempt {}{on} — {}",
                launch.attempt,
                jiff::Timestamp::now()
            )
        };
        let shown = self
            .redactor
            .redact(&launch.command.to_string())
            .into_owned();
        // A shell script's further lines are marked as reprise's own, so
        // that they cannot be taken for the command's output.
        let shown = shown.trim_end().replace('\n', "\n===   ");
        let mut log = StepLog::new(
            self.log_dir.join(format!("{step_id}.log")),
            format!("{header} — {shown}"),
        );

        let failed = |error: String, log: &mut StepLog| {
            log.line(&format!("=== could not start: {error}"));
            Exit {
                step: launch.step,
                attempt: launch.attempt,
                ending: Ending::unstarted(error),
                ..Exit::default()
            }
        };

        let (reader, writer) = match std::io::pipe() {
            Ok(p) => p,
            Err(e) => return Err(failed(format!("cannot create a pipe: {e}"), &mut log)),
        };
        let writer2 = match writer.try_clone() {
            Ok(w) => w,
            Err(e) => return Err(failed(format!("cannot create a pipe: {e}"), &mut log)),
        };
        let remote = match (host, ssh) {
            (Some(_), Some(Some(c))) => Some(c),
            (Some(h), _) => return Err(failed(format!("host `{h}` is not defined"), &mut log)),
            _ => None,
        };
        let is_remote = remote.is_some();
        let mut cmd = match (remote, &launch.command) {
            (Some(ssh), _) => ssh,
            (None, Command::Shell(s)) => {
                let mut c = std::process::Command::new("sh");
                c.arg("-c").arg(s);
                c
            }
            (None, Command::Argv(argv)) => {
                let Some((program, args)) = argv.split_first() else {
                    return Err(failed("the command is an empty list".into(), &mut log));
                };
                let mut c = std::process::Command::new(program);
                c.args(args);
                c
            }
        };
        let dir = match &launch.workdir {
            Some(w) if !is_remote => self.base_dir.join(w),
            _ => self.base_dir.clone(),
        };
        // A remote command gets its variables in the script on ssh's
        // standard input, never in ssh's environment or arguments.
        let script = script.filter(|_| is_remote);
        let token = super::super::orphans::token(launch.step, launch.attempt);
        if !is_remote {
            cmd.envs(self.vars.iter().map(|(k, v)| (k, v)))
                .envs(launch.env.iter().map(|(k, v)| (k, v)))
                .env(super::super::orphans::ENV, &token);
        }
        cmd.current_dir(&dir).process_group(0);
        let rest = Prepared {
            step: launch.step,
            attempt: launch.attempt,
            token,
            program: program_name(&launch.command).to_string(),
            dir,
            is_remote,
            reader,
            log,
            script,
            prefix,
            notify,
            redactor: self.redactor.clone(),
            timeout: launch.timeout,
        };
        Ok((cmd, rest, (writer, writer2)))
    }
}

/// A command's output pipe, twice: its standard output and error.
pub(super) type Outputs = (std::io::PipeWriter, std::io::PipeWriter);

fn program_name(command: &Command) -> &str {
    match command {
        Command::Shell(_) => "sh",
        Command::Argv(argv) => argv.first().map_or("", String::as_str),
    }
}
