//! The drill engine and what drives it.
//!
//! [`engine`] is a pure state machine: it takes [`Input`]s with the current
//! time and returns [`Output`]s (events to record, actions to carry out).
//! The driver owns the real world: processes, the operator, the clock, the
//! sinks (journal, terminal view). See `docs/architecture.md`.

use std::path::PathBuf;

use crate::event::{Ending, Outcome, RunResult, Stamped};
use crate::identity::Identity;
use crate::runbook::{Command, Duration, Mode, StepIndex};

pub mod access;
pub mod added;
pub mod changes;
pub mod connect;
pub mod driver;
pub mod engine;
pub mod fleet;
pub mod hold;
mod inputs;
pub mod operator;
pub mod orphans;
pub mod output;
pub mod process;
pub mod refusal;
pub mod remote;
pub mod step_log;
pub mod watch;

pub use inputs::{OperatorInput, PlanChange};
pub use refusal::Refusal;

/// How a drill is run.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Drill or incident.
    pub mode: Mode,
    /// Walk the graph executing nothing and asking nothing.
    pub dry_run: bool,
    /// Most commands running together (at least 1).
    pub jobs: usize,
    /// Who is at the terminal (changes with handovers): the name recorded
    /// as `by`, with the OS account and origin.
    pub operator: Identity,
    /// Partial state before the start.
    pub presets: Vec<Preset>,
    /// What `run_started` records about this run.
    pub info: RunInfo,
    /// Carrying on from a journal: `run_started` is not emitted again (the
    /// journal records `run_resumed` itself).
    pub resume: bool,
    /// Who may record which step (`roles:`), resolved before the start;
    /// the default enforces nothing.
    pub access: access::Access,
}

/// Facts about a run recorded in `run_started`, gathered by the caller
/// (the engine reads no files and no clock).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunInfo {
    /// Runbook path as given on the command line.
    pub runbook: String,
    /// Hex SHA-256 of the runbook's bytes.
    pub runbook_sha256: String,
    /// Machine name.
    pub host: String,
    /// reprise version.
    pub version: String,
}

/// A step's state given before the engine starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preset {
    /// `--assume-done ID=REASON`: recorded now as done (`source: command_line`).
    AssumeDone {
        /// The step.
        step: StepIndex,
        /// Why.
        reason: String,
    },
    /// `--skip ID=REASON`: recorded now as skipped (`source: command_line`).
    Skip {
        /// The step.
        step: StepIndex,
        /// Why.
        reason: String,
    },
    /// Replayed from a journal on resume: a step added during the drill
    /// (`step_added`), numbered after the runbook's steps and those added
    /// before it. Emits nothing.
    Added {
        /// Its recorded id.
        id: crate::runbook::StepId,
        /// Its definition.
        step: added::NewStep,
    },
    /// Replayed from a journal on resume: the step's latest revised
    /// estimate (`estimate_revised`). Emits nothing.
    Revised {
        /// The step.
        step: StepIndex,
        /// The estimate in force.
        estimate: Duration,
    },
    /// Replayed from a journal on resume: the step was handed to another
    /// role or person (`step_assigned`). Emits nothing.
    Assigned {
        /// The step.
        step: StepIndex,
        /// The role or account it went to.
        to: String,
    },
    /// Replayed from a journal on resume: already recorded, emits nothing.
    Recorded {
        /// The step.
        step: StepIndex,
        /// Its recorded outcome.
        outcome: Outcome,
        /// Whether a failure let dependents go on (`on_failure: continue`
        /// or the operator chose `continue`).
        dependents_proceed: bool,
    },
    /// Replayed from a journal on resume: it was running or open when the
    /// drill stopped. Idempotent commands are re-run; otherwise the operator
    /// is asked ([`Question::Interrupted`]).
    Interrupted {
        /// The step.
        step: StepIndex,
        /// Attempts of its command already recorded (0 for a manual
        /// step): the next attempt is numbered after them.
        attempts: u32,
        /// For a remote step: where it stood on each host (a host where
        /// it succeeded is not run again). Empty for a local step.
        hosts: Vec<fleet::HostState>,
    },
    /// Replayed from a journal on resume: an abort was decided
    /// (`abort_requested`) and reprise stopped before it ended. The engine
    /// finishes it: nothing new starts, the `cut` steps are recorded
    /// `aborted`, a rollback carries on with `to_roll_back`, and the drill
    /// ends `aborted`.
    Aborting {
        /// Roll back completed steps.
        rollback: bool,
        /// Steps running, open or queued when reprise stopped, with no
        /// outcome recorded.
        cut: Vec<StepIndex>,
        /// Steps completed during the drill whose rollback is not recorded
        /// as finished, oldest completion first (offered newest first).
        to_roll_back: Vec<StepIndex>,
    },
}

/// What the driver tells the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Begin: apply presets, emit `run_started` (unless resuming), open or
    /// start the first ready steps.
    Start,
    /// An attempt of a command (or of a rollback command) ended.
    CommandExited(Exit),
    /// The operator said something.
    Operator(OperatorInput),
    /// Time passed (a retry delay may have elapsed).
    Tick,
    /// An alert was sent, or an attempt failed: recorded, nothing else.
    Notified(Notified),
    /// One host of a remote step is done (the step's `CommandExited`
    /// follows once every host is).
    HostExited {
        /// The host's name.
        host: String,
        /// How the command ended there.
        exit: Exit,
    },
}

/// How one attempt to send an alert went (see [`crate::notify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notified {
    /// What it was about and where it went.
    pub about: crate::event::NotificationAbout,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// Why it failed; `None` when it was delivered.
    pub error: Option<String>,
    /// No attempt follows.
    pub last: bool,
}

/// How a command attempt ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exit {
    /// The step.
    pub step: StepIndex,
    /// Attempt number (1-based); 0 for a rollback command.
    pub attempt: u32,
    /// How it ended: exit code, signal, timeout, or why it could not start.
    pub ending: Ending,
    /// Last lines of output, secrets masked.
    pub output_tail: Vec<String>,
    /// The value of the last `REPRISE_RESTORE_POINT=` line of its output,
    /// as printed (the engine checks it).
    pub restore_point: Option<String>,
}

impl Exit {
    /// True for exit code 0.
    pub fn success(&self) -> bool {
        self.ending.success()
    }
}

/// A question the engine puts to the operator. Several can be open at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// A manual step is open: record done, failed or skipped.
    Manual {
        /// The step.
        step: StepIndex,
    },
    /// A `confirm: true` command is ready: run or skip.
    Confirm {
        /// The step.
        step: StepIndex,
    },
    /// A step failed with `on_failure: ask`: retry, mark done, skip,
    /// continue, abort or rollback.
    Failed {
        /// The step.
        step: StepIndex,
        /// How its last attempt ended.
        exit: Exit,
        /// For a remote step: where it stands on each host.
        hosts: Vec<fleet::HostState>,
    },
    /// A rollback is next: run it (or, for a manual rollback, confirm it was
    /// done) or skip it.
    Rollback {
        /// The step being undone.
        step: StepIndex,
    },
    /// On resume, a non-idempotent step was running or open when the drill
    /// stopped: run it again, mark it done, or mark it failed.
    Interrupted {
        /// The step.
        step: StepIndex,
        /// For a remote step: where it stood on each host.
        hosts: Vec<fleet::HostState>,
    },
}

impl Question {
    /// The step the question is about.
    pub fn step(&self) -> StepIndex {
        match self {
            Question::Manual { step }
            | Question::Confirm { step }
            | Question::Failed { step, .. }
            | Question::Rollback { step }
            | Question::Interrupted { step, .. } => *step,
        }
    }

    /// For a remote step: where it stands on each host (empty otherwise).
    pub fn hosts(&self) -> &[fleet::HostState] {
        match self {
            Question::Failed { hosts, .. } | Question::Interrupted { hosts, .. } => hosts,
            _ => &[],
        }
    }
}

/// Something the driver must carry out.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Start an attempt of a step's command (or of its rollback, attempt 0).
    StartCommand(Launch),
    /// End the process group of a running step (SIGTERM, grace, SIGKILL).
    Kill {
        /// The step.
        step: StepIndex,
    },
    /// End every running process group (abort).
    KillAll,
    /// Put a question to the operator.
    Ask(Question),
    /// A question no longer needs an answer (e.g. the drill was aborted).
    Retract {
        /// The step.
        step: StepIndex,
    },
    /// An operator input was refused (its account may not record the
    /// step, or its approval is already counted): nothing was recorded;
    /// tell whoever sent it.
    Refused {
        /// The step.
        step: StepIndex,
        /// Who sent it.
        by: Identity,
        /// What to tell them: what was refused, why, and who may (said
        /// in the drill's language by whoever tells them).
        refusal: Refusal,
    },
    /// The drill is over; `run_finished` has been emitted.
    Finished(RunResult),
    /// The drill was stopped without an abort (`run_stopped` emitted): end
    /// every command, record nothing more, leave the journal to `resume`.
    Stopped,
}

/// Everything needed to start one command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// The step.
    pub step: StepIndex,
    /// 1-based attempt; 0 for a rollback command.
    pub attempt: u32,
    /// What to run.
    pub command: Command,
    /// Step `env` (runbook `vars` are added by the driver).
    pub env: Vec<(String, String)>,
    /// Working directory relative to the runbook's folder.
    pub workdir: Option<PathBuf>,
    /// Kill the process group after this long.
    pub timeout: Option<Duration>,
    /// Hosts to run it on through ssh (names from the runbook's `hosts`),
    /// once per host in parallel; empty runs it here.
    pub hosts: Vec<String>,
    /// Most hosts running it at once (the step's `max_parallel`, else
    /// [`DEFAULT_MAX_PARALLEL_HOSTS`](crate::runbook::DEFAULT_MAX_PARALLEL_HOSTS)).
    pub max_parallel: u32,
}

/// What the engine returns for each input, in order.
// Events are most of what the engine returns, and `run_started` (the
// largest) only once: boxing every event to shrink the rare actions would
// allocate once per event instead.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Record this event (every sink, then one sync per batch).
    Event(Stamped),
    /// Carry this out after the batch's events are durable.
    Action(Action),
}

/// A consumer of the event stream: the journal, the terminal view, the step
/// logs. The driver gives a batch to each sink in turn, the journal first,
/// then calls `flush`: the journal syncs to disk there, and a sink that
/// shows events to people shows them there, never in `event`, so that
/// nothing is shown as recorded before it is on disk.
pub trait Sink {
    /// Takes one event.
    fn event(&mut self, event: &Stamped) -> std::io::Result<()>;
    /// A line of a running command's output (secrets already masked).
    fn output(&mut self, step: StepIndex, line: &str) -> std::io::Result<()> {
        let _ = (step, line);
        Ok(())
    }
    /// End of a batch: make everything so far durable / visible.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whatever answers the engine's questions: the terminal prompt, an answers
/// file, `--yes`, or nobody. Answers are sent back to the driver as
/// `Input::Operator(..)` on the channel given to [`Operator::start`], from
/// any thread, so that waiting for a person never blocks running steps.
pub trait Operator {
    /// Called once, before the first question, with the driver's channel.
    fn start(&mut self, answers: std::sync::mpsc::Sender<Input>);
    /// A question is open (several can be open at once).
    fn ask(&mut self, question: &Question);
    /// A question no longer needs an answer.
    fn retract(&mut self, step: StepIndex);
    /// Sees every event, after the journal has made it durable (to show
    /// what was recorded, or to follow handovers).
    fn event(&mut self, event: &Stamped) {
        let _ = event;
    }
    /// An input was refused ([`Action::Refused`]): nothing was recorded.
    /// The default ignores it (the question stays open and is put again).
    fn refused(&mut self, step: StepIndex, by: &Identity, refusal: &Refusal) {
        let _ = (step, by, refusal);
    }
    /// The drill is over: release the terminal.
    fn finish(&mut self) {}
    /// Whether inputs may have been sent during [`Operator::finish`] (the
    /// attempts of the last alerts): the driver then records them.
    fn late_inputs(&self) -> bool {
        false
    }
    /// The terminal hung up (SIGHUP): an operator at it sends
    /// [`OperatorInput::Detached`] and stops reading; the drill goes on.
    fn hung_up(&mut self) {}
    /// Ctrl-C (SIGINT) reached reprise. An operator with a person to ask
    /// asks whether to abort and returns [`Interrupt::Asking`]; the answer
    /// comes on the channel as an [`OperatorInput::Abort`] (or nothing, if
    /// they go on). The default, for operators with nobody to ask, is to
    /// abort at once.
    fn interrupted(&mut self) -> Interrupt {
        Interrupt::Abort
    }
}

/// What an operator makes of a Ctrl-C (see [`Operator::interrupted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    /// The operator is being asked whether to abort; wait for the answer.
    Asking,
    /// Abort now: nobody to ask, or the question was already open (a
    /// second Ctrl-C forces the abort).
    Abort,
}
