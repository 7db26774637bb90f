//! The typed runbook model.
//!
//! A [`Runbook`] is what a YAML file means once it has been parsed and its
//! defaults applied; nothing here knows about YAML. Every value an author can
//! get wrong keeps the [`Span`] it was written at, so that later passes
//! (validation, graph building) can point at it.
//!
//! Steps are stored flat, in file order, and addressed by [`StepIndex`]; each
//! phase owns a contiguous range of them. The flat layout keeps graph work
//! linear and lets every later layer (plan, engine, journal, report) use the
//! same index.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub mod alert;
mod duration;
pub mod host;
pub mod role;

use alert::Target;
pub use duration::{Duration, DurationError, MAX_DURATION};
use host::Host;
use role::Role;

/// A place in a source file: 1-based line and column, plus the byte range
/// of the value, so a caret can be drawn under exactly that value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset of the value's first byte in the source.
    pub offset: usize,
    /// Length of the value in bytes (at least 1 when drawn).
    pub len: usize,
}

/// A value and where it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Located<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id. Callers that accept ids from users check the
            /// pattern with [`is_valid_id`] first.
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            /// The id as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// The id of a step: `[a-z0-9][a-z0-9_-]*`, unique among steps and phases.
    StepId
);
id_type!(
    /// The id of a phase: same pattern and namespace as step ids.
    PhaseId
);

/// True when `s` matches the id pattern `[a-z0-9][a-z0-9_-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// True when `s` matches the variable-name pattern `[A-Z_][A-Z0-9_]*`.
pub fn is_valid_var_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'A'..=b'Z' | b'_'))
        && bytes.all(|b| matches!(b, b'A'..=b'Z' | b'0'..=b'9' | b'_'))
}

/// Position of a step in [`Runbook::steps`] (file order). Used by every later
/// layer instead of hashing ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct StepIndex(pub u32);

impl StepIndex {
    /// The index as a `usize`, for slicing.
    pub fn get(self) -> usize {
        self.0 as usize
    }

    /// The step's item number: its 1-based position in file order. The one
    /// number people write on the whiteboard: the same on every terminal,
    /// in every prompt, checklist and status, across failures, retries and
    /// resumes (steps added during a drill come after the runbook's last).
    pub fn number(self) -> u32 {
        self.0 + 1
    }

    /// The step an item number (as typed, 1-based) names, if any.
    pub fn from_number(number: u32) -> Option<StepIndex> {
        number.checked_sub(1).map(StepIndex)
    }

    /// The step `target` names among the steps whose ids are `ids` (in
    /// item order, added steps last): an item number (`12`, `#12`) or an
    /// id. The one reading shared by the prompt and answers files.
    pub fn resolve<S: AsRef<str>>(target: &str, ids: &[S]) -> Option<StepIndex> {
        let t = target.trim();
        let t = t.strip_prefix('#').unwrap_or(t);
        if let Ok(n) = t.parse::<u32>() {
            return StepIndex::from_number(n).filter(|i| i.get() < ids.len());
        }
        ids.iter()
            .position(|i| i.as_ref() == t)
            .map(|i| StepIndex(i as u32))
    }
}

/// The two kinds of drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// An exercise, usually on an isolated copy.
    #[default]
    Drill,
    /// The real event.
    Incident,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Drill => "drill",
            Mode::Incident => "incident",
        })
    }
}

/// What happens when a step fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// The operator chooses (retry, mark done, skip, continue, abort, rollback).
    #[default]
    Ask,
    /// Start nothing new, stop what runs, end the drill.
    Abort,
    /// Dependents go on as if the step had ended.
    Continue,
    /// Abort, then undo completed steps in reverse order of completion.
    Rollback,
}

impl fmt::Display for OnFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OnFailure::Ask => "ask",
            OnFailure::Abort => "abort",
            OnFailure::Continue => "continue",
            OnFailure::Rollback => "rollback",
        })
    }
}

/// A program to run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// A string, run with `sh -c`.
    Shell(String),
    /// A list, run directly without a shell (`argv[0]` looked up in `PATH`).
    Argv(Vec<String>),
}

impl fmt::Display for Command {
    /// The command as an operator would type it (argv elements quoted when needed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Shell(s) => f.write_str(s),
            Command::Argv(argv) => {
                for (i, a) in argv.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    if !a.is_empty()
                        && a.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b))
                    {
                        f.write_str(a)?;
                    } else {
                        write!(f, "'{}'", a.replace('\'', r"'\''"))?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// How to undo a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollback {
    /// A command run by reprise (after the operator confirms).
    Command(Located<Command>),
    /// Instructions shown to the operator (manual steps).
    Instructions(Located<String>),
}

/// A runbook variable, handed to every command as an environment variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// `[A-Z_][A-Z0-9_]*`.
    pub name: Located<String>,
    /// The value written in the runbook, if any.
    pub value: Option<String>,
    /// Never shown in a journal, log, report or terminal.
    pub secret: bool,
    /// Must have a value before a drill starts (`--var`, or a hidden prompt).
    pub required: bool,
    /// Text of the prompt asking for it.
    pub prompt: Option<String>,
}

/// A step reference in `needs`, as written (a step or a phase id).
pub type NeedRef = Located<String>;

/// One step of a runbook, with `defaults` already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Unique id.
    pub id: Located<StepId>,
    /// Human title.
    pub title: String,
    /// Markdown shown to the operator.
    pub instructions: Option<String>,
    /// Who does it.
    pub role: Option<String>,
    /// Explicit dependencies (steps or phases), as written.
    pub needs: Vec<NeedRef>,
    /// The command; `None` makes a manual step.
    pub run: Option<Located<Command>>,
    /// Ask the operator before running the command.
    pub confirm: bool,
    /// Distinct accounts that must confirm before the step proceeds
    /// (`approvals: N`); `None` is one confirmation, as without roles.
    pub approvals: Option<Located<u32>>,
    /// Expected duration.
    pub estimate: Option<Located<Duration>>,
    /// Kill the command's process group after this long.
    pub timeout: Option<Located<Duration>>,
    /// Extra attempts after a failure.
    pub retries: u32,
    /// Pause between attempts.
    pub retry_delay: Duration,
    /// What happens when the step fails.
    pub on_failure: OnFailure,
    /// How to undo the step.
    pub rollback: Option<Rollback>,
    /// A failure or skip of this step prevents a `recovered` result.
    pub critical: bool,
    /// Extra environment variables for the command, in file order.
    pub env: Vec<(String, String)>,
    /// Working directory, relative to the runbook's folder.
    pub workdir: Option<PathBuf>,
    /// Labels for selecting steps.
    pub tags: Vec<String>,
    /// Runs only in this mode; not applicable in the other.
    pub only: Option<Mode>,
    /// Safe to run twice (resume may re-run it without asking).
    pub idempotent: bool,
    /// Hosts the command runs on (names from [`Runbook::hosts`]), once per
    /// host in parallel; empty runs it locally.
    pub hosts: Vec<Located<String>>,
    /// Most of its hosts running the command at once (`max_parallel`);
    /// `None` is the default, [`DEFAULT_MAX_PARALLEL_HOSTS`].
    pub max_parallel: Option<u32>,
    /// Services this step brings back (`restores:`), names from
    /// [`Objectives::services`].
    pub restores: Vec<Located<String>>,
    /// What the operator records besides the outcome (`records:`).
    pub records: Vec<Record>,
    /// Index of the phase that holds this step, in [`Runbook::phases`].
    pub phase: usize,
    /// The whole step mapping (its `- ` item), for errors about the step.
    pub span: Span,
}

/// How many hosts of a remote step run its command at once when the step
/// says nothing (`max_parallel`): enough to be quick, few enough that a
/// bastion with stock `MaxStartups 10:30:100` is not flooded.
pub const DEFAULT_MAX_PARALLEL_HOSTS: u32 = 16;

impl Step {
    /// A manual step with the format's defaults (no command, no estimate,
    /// `on_failure: ask`, …), in phase `phase`. Parsing fills in the rest;
    /// programs that build runbooks in code (tests, generators) start here
    /// and set the fields they need.
    pub fn new(id: StepId, title: impl Into<String>, phase: usize) -> Self {
        Step {
            id: Located::new(id, Span::default()),
            title: title.into(),
            instructions: None,
            role: None,
            needs: Vec::new(),
            run: None,
            confirm: false,
            approvals: None,
            estimate: None,
            timeout: None,
            retries: 0,
            retry_delay: Duration::ZERO,
            on_failure: OnFailure::Ask,
            rollback: None,
            critical: false,
            env: Vec::new(),
            workdir: None,
            tags: Vec::new(),
            only: None,
            idempotent: false,
            max_parallel: None,
            hosts: Vec::new(),
            restores: Vec::new(),
            records: Vec::new(),
            phase,
            span: Span::default(),
        }
    }

    /// The kind of step, as `plan` and the terminal show it.
    pub fn kind(&self) -> StepKind {
        match (&self.run, self.confirm) {
            (None, _) => StepKind::Manual,
            (Some(_), true) => StepKind::Confirm,
            (Some(_), false) => StepKind::Command,
        }
    }

    /// Whether the step applies in `mode`.
    pub fn applies_in(&self, mode: Mode) -> bool {
        self.only.is_none_or(|m| m == mode)
    }
}

/// Manual, command, or command confirmed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Done by people, confirmed by the operator.
    Manual,
    /// A command run as soon as it is ready.
    Command,
    /// A command run after the operator confirms.
    Confirm,
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Manual => "manual",
            StepKind::Command => "command",
            StepKind::Confirm => "confirm",
        })
    }
}

/// A phase: a titled group of steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// Unique id. For a runbook written with a flat `steps:` list, the one
    /// implicit phase has id `main` and `implicit` is true.
    pub id: Located<PhaseId>,
    /// Human title.
    pub title: String,
    /// Phases this one needs; `None` means "the phase written just before".
    pub needs: Option<Vec<NeedRef>>,
    /// The phase's steps, as a range of [`Runbook::steps`].
    pub steps: Range<usize>,
    /// True for the phase made up for a flat `steps:` list.
    pub implicit: bool,
}

/// Recovery objectives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Objectives {
    /// Recovery time objective: plan and report compare to it.
    pub rto: Option<Located<Duration>>,
    /// Recovery point objective: recorded and shown, not enforced.
    pub rpo: Option<Located<Duration>>,
    /// Per-service objectives (`objectives.services`), in file order.
    pub services: Vec<Service>,
}

/// A service the plan brings back (`objectives.services`), with its own
/// objectives: it is recovered when every step that `restores` it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Its name as written (`DPI`, `lab system`), the key of the mapping.
    pub name: Located<String>,
    /// Its recovery time objective.
    pub rto: Option<Located<Duration>>,
    /// Its recovery point objective: the most data it may lose.
    pub rpo: Option<Located<Duration>>,
}

/// What a step asks the operator to record besides its outcome (`records:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// The restore point the step brought back (`restore_point`): the
    /// moment the restored data dates from.
    RestorePoint,
}

impl Record {
    /// Whether a paper checklist has a restore-point box for a step: it
    /// `records: restore_point`, or it runs a command that restores a
    /// service (a command's `REPRISE_RESTORE_POINT=` line, read off a
    /// screen when run by hand). `reprise transcribe` asks for it then.
    pub fn paper_box(records: &[Record], kind: StepKind, restores_any: bool) -> bool {
        records.contains(&Record::RestorePoint) || (kind != StepKind::Manual && restores_any)
    }
}

/// What the exercise is about, written before it (ISO 22301 §8.5, CaRE):
/// shown at the top of the report and recorded in `run_started`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exercise {
    /// The disaster being rehearsed (`scenario:`).
    pub scenario: Option<String>,
    /// What is in and out of the exercise (`scope:`).
    pub scope: Option<String>,
    /// Success criteria set beforehand (`objectives.criteria`), numbered
    /// from 1 in file order.
    pub criteria: Vec<String>,
    /// The language of the plan's reports (`lang:`), e.g. `fr`.
    pub lang: Option<String>,
}

impl Exercise {
    /// Whether the runbook said nothing of the exercise.
    pub fn is_empty(&self) -> bool {
        *self == Exercise::default()
    }
}

/// A parsed runbook with defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runbook {
    /// Format version (only 1 exists).
    pub version: u32,
    /// Human title of the plan.
    pub name: String,
    /// Free text (Markdown).
    pub description: Option<String>,
    /// Who owns the plan.
    pub owner: Option<String>,
    /// Whom to call, as free text (`contacts:`), printed on the paper
    /// checklist's cover: it must be readable when the network is down.
    pub contacts: Option<String>,
    /// RTO and RPO.
    pub objectives: Objectives,
    /// Variables, in file order.
    pub vars: Vec<Var>,
    /// Phases, in file order.
    pub phases: Vec<Phase>,
    /// All steps, in file order; phases hold ranges of this list.
    pub steps: Vec<Step>,
    /// Remote hosts (`hosts:`), in file order.
    pub hosts: Vec<Host>,
    /// Scenario, scope, success criteria and language of the exercise.
    pub exercise: Exercise,
    /// Where alerts go (`notify:`), in file order.
    pub notify: Vec<Target>,
    /// Who may record what (`roles:`), in file order; empty when the
    /// runbook has no table (roles are then labels only).
    pub roles: Vec<Role>,
    /// Most commands running together (`defaults.jobs`) unless `--jobs`
    /// says otherwise; `None` is [`DEFAULT_JOBS`].
    pub jobs: Option<u32>,
}

/// Most commands running together when neither `--jobs` nor
/// `defaults.jobs` says: recovery commands mostly wait on remote systems
/// (a copy, a restore, an API), so the number of CPUs would serialise a
/// plan's parallel branches for nothing.
pub const DEFAULT_JOBS: u32 = 32;

impl Runbook {
    /// The step at `index`.
    pub fn step(&self, index: StepIndex) -> &Step {
        &self.steps[index.get()]
    }

    /// Indices of all steps, in file order.
    pub fn step_indices(&self) -> impl Iterator<Item = StepIndex> + '_ {
        (0..self.steps.len() as u32).map(StepIndex)
    }

    /// The phase holding a step.
    pub fn phase_of(&self, index: StepIndex) -> &Phase {
        &self.phases[self.step(index).phase]
    }

    /// Values of secret variables that must be masked wherever text is shown
    /// or stored (empty values are ignored: they would mask everything).
    pub fn secret_values(&self) -> Vec<&str> {
        self.vars
            .iter()
            .filter(|v| v.secret)
            .filter_map(|v| v.value.as_deref())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Command, StepIndex, is_valid_id, is_valid_var_name};

    #[test]
    fn id_patterns() {
        assert!(is_valid_id("stop-app_2"));
        assert!(is_valid_id("0day"));
        assert!(!is_valid_id("Stop"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(""));
        assert!(is_valid_var_name("SAN_PRIMARY"));
        assert!(is_valid_var_name("_X1"));
        assert!(!is_valid_var_name("1X"));
        assert!(!is_valid_var_name("lower"));
    }

    #[test]
    fn argv_commands_display_quoted() {
        let c = Command::Argv(vec!["echo".into(), "a b".into(), "it's".into()]);
        assert_eq!(c.to_string(), r"echo 'a b' 'it'\''s'");
    }

    #[test]
    fn an_item_is_named_by_number_or_id() {
        let ids = ["declare", "restore", "added-4"];
        let r = |t| StepIndex::resolve(t, &ids);
        assert_eq!(r("2"), Some(StepIndex(1)));
        assert_eq!(r("#3"), Some(StepIndex(2)));
        assert_eq!(r(" declare "), Some(StepIndex(0)));
        assert_eq!(r("added-4"), Some(StepIndex(2)));
        assert_eq!(r("0"), None);
        assert_eq!(r("4"), None);
        assert_eq!(r("switch"), None);
    }
}
