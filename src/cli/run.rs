//! `reprise run`: walk a runbook as a drill (or the real incident).
//!
//! Everything after argument parsing lives in [`drill`], which `reprise
//! resume` calls too, with the journal it reopened and the presets it
//! replayed.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use crate::diagnostic::{self, suggest};
use crate::event::{Event, Stamped};
use crate::exec::driver::Preview;
use crate::exec::operator::Answers;
use crate::exec::{Preset, Sink};
use crate::i18n::msg;
use crate::identity::Identity;
use crate::journal;
use crate::redact::Redactor;
use crate::runbook::{Mode, Runbook, StepIndex};
use crate::validate::{self, Checked, Rejected};

/// Walk a runbook as a drill: run its commands (in parallel where the plan
/// allows), ask the operator to confirm manual steps, apply failure
/// policies, and record everything in a journal.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise run runbooks/postgres-failover.yaml
  reprise run runbooks/postgres-failover.yaml --dry-run
  reprise run rb.yaml --operator alice --jobs 4 --var DRP_ADMIN_TOKEN=… \\
      --assume-done declarer='incident declared by phone' --skip archivage='array absent'
  reprise run rb.yaml --answers rehearsal.yaml --journal drills/rehearsal.jsonl
  reprise run rb.yaml --incident          # the real event, not an exercise

Without a terminal, nothing is confirmed silently: pass --yes (manual steps and \
confirmations recorded as auto-confirmed) or --answers FILE (see docs/answers.md).

Exit codes: 0 recovered, 1 degraded, 2 invalid input or usage (nothing was run), 3 aborted.")]
pub struct Args {
    /// The runbook (YAML).
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// The real event rather than an exercise (steps `only: drill` are not
    /// applicable, steps `only: incident` run).
    #[arg(long)]
    incident: bool,

    /// Execute nothing and ask nothing: print what would run or be asked, in
    /// order, and a simulated timeline from the estimates.
    #[arg(long)]
    dry_run: bool,

    /// Who is at the terminal (default: the login name).
    #[arg(long, value_name = "NAME")]
    operator: Option<String>,

    /// Most commands running together (default: the runbook's
    /// `defaults.jobs`, or 32). A command waits for a free slot; the wait
    /// is shown and not counted as its time.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,

    #[command(flatten)]
    vars: super::vars::VarArgs,

    /// Record a step as already done before the start, with a reason
    /// (repeatable).
    #[arg(long = "assume-done", value_name = "ID=REASON")]
    assume_done: Vec<String>,

    /// Leave a step out, with a reason; its dependents proceed (repeatable).
    #[arg(long = "skip", value_name = "ID=REASON")]
    skip: Vec<String>,

    /// Answer every question from this YAML file (rehearsals, tests; see
    /// docs/answers.md).
    #[arg(long, value_name = "FILE", conflicts_with = "yes")]
    answers: Option<PathBuf>,

    /// Record manual steps and confirmations as done (auto-confirmed);
    /// a failure with `on_failure: ask` then aborts.
    #[arg(long)]
    yes: bool,

    /// Journal file (default: journals/<runbook>-<time>.jsonl).
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,

    /// Also send these alerts (repeatable): events, comma-separated, and a
    /// command run with `sh -c`, e.g. `step_waiting,step_failed=wall`. See
    /// docs/alerts.md.
    #[arg(long = "notify", value_name = "EVENTS=COMMAND")]
    notify: Vec<String>,

    /// Start the drill in the background with nobody attached and return:
    /// it runs in its own session, its output goes to JOURNAL.log, and
    /// people attach with `reprise attach JOURNAL` (see docs/attach.md).
    #[arg(long, conflicts_with = "dry_run")]
    detach: bool,

    /// The background drill started by `--detach` (questions wait for an
    /// attached terminal).
    #[arg(long, hide = true)]
    detached_drill: bool,

    /// Let the members of this Unix group attach (`reprise attach`) as
    /// well as you: the drill's socket is made 0660 with that group
    /// (default: 0600, only you). See docs/drill-guide.md.
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
}

mod criteria;
mod detach;
mod drill;
mod refuse;

pub(super) use refuse::refuse_unanswerable;

pub fn run(args: Args, _verbose: &u8, _log_file: Option<&Path>) -> super::Result {
    let checked = load(&args.runbook)?;
    if args.detach {
        return detach::start(&args);
    }
    let rb = &checked.runbook;
    let mut presets = Vec::new();
    for (flag, values) in [("--assume-done", &args.assume_done), ("--skip", &args.skip)] {
        for v in values {
            let (step, reason) = step_and_reason(rb, flag, v)?;
            presets.push(if flag == "--skip" {
                Preset::Skip { step, reason }
            } else {
                Preset::AssumeDone { step, reason }
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for p in &presets {
        if let Preset::AssumeDone { step, .. } | Preset::Skip { step, .. } = p
            && !seen.insert(*step)
        {
            return Err(super::Error::said(msg!(
                "run-step-twice",
                step = rb.step(*step).id.as_str()
            )));
        }
    }
    let operator = Identity::local(args.operator.clone().unwrap_or_else(login_name));
    let access = crate::attach::Access::for_group(args.group.as_deref())
        .map_err(|e| super::Error::invalid(e).hint_said(msg!("run-group-hint")))?;
    let journal = match args.journal.clone() {
        Some(path) => Journal::Create(path),
        None => Journal::Default(args.runbook.clone()),
    };
    let drill = Drill {
        runbook_arg: args.runbook.display().to_string(),
        mode: if args.incident {
            Mode::Incident
        } else {
            Mode::Drill
        },
        dry_run: args.dry_run,
        starter: operator.origin.account.clone(),
        operator,
        jobs: args.jobs,
        vars: args.vars,
        presets,
        answers: args.answers,
        yes: args.yes,
        resume: false,
        notify: args.notify,
        detached: args.detached_drill,
        access,
    };
    drill.prepare_and_run(&checked, journal)
}

/// Where the events go.
pub(crate) enum Journal {
    /// A new journal at this path.
    Create(PathBuf),
    /// A new journal under the default name for this runbook
    /// ([`journal::create_default`]).
    Default(PathBuf),
    /// A journal reopened by `reprise resume` (its `run_resumed` already
    /// written).
    Append(journal::Writer),
}

/// Everything a drill needs besides the runbook, as given on the command
/// line of `run` or `resume`.
pub(crate) struct Drill {
    /// The runbook path as given (recorded in `run_started`).
    pub runbook_arg: String,
    /// Drill or incident.
    pub mode: Mode,
    /// Execute nothing.
    pub dry_run: bool,
    /// Who is at the terminal: the declared name, this process's account
    /// and its `SSH_CONNECTION`.
    pub operator: Identity,
    /// `--jobs`, default the runbook's `defaults.jobs`, or
    /// [`crate::runbook::DEFAULT_JOBS`].
    pub jobs: Option<NonZeroUsize>,
    /// `--var`, `--var-env`, `--var-file`, unparsed.
    pub vars: super::vars::VarArgs,
    /// Partial state before the start.
    pub presets: Vec<Preset>,
    /// `--answers FILE`.
    pub answers: Option<PathBuf>,
    /// `--yes`.
    pub yes: bool,
    /// Carrying on from a journal: no `run_started`.
    pub resume: bool,
    /// The account that started the drill (a coordinator under `roles:`):
    /// this process's, or on resume the one `run_started` records.
    pub starter: Option<String>,
    /// `--notify EVENTS=COMMAND`, unparsed.
    pub notify: Vec<String>,
    /// Started by `run --detach`: nobody at this process's terminal;
    /// questions wait for attached terminals.
    pub detached: bool,
    /// Who may attach to the drill's socket (`--group`).
    pub access: crate::attach::Access,
}

/// Loads and validates a runbook, printing its diagnostics like `check`
/// (errors stop here with exit 2; warnings are shown and the drill goes on).
pub(crate) fn load(path: &Path) -> super::Result<Checked> {
    let color = diagnostic::stderr_color();
    match validate::load(path) {
        Ok(checked) => {
            super::words::speak_runbook(checked.runbook.exercise.lang.as_deref());
            if !checked.diagnostics.is_empty() {
                super::show_err(&diagnostic::render(
                    &checked.diagnostics,
                    &path.display().to_string(),
                    Some(checked.source.for_diagnostics()),
                    color,
                ));
            }
            Ok(checked)
        }
        Err(Rejected {
            source,
            diagnostics,
        }) => {
            super::show_err(&diagnostic::render(
                &diagnostics,
                &path.display().to_string(),
                source.as_ref().map(validate::Source::for_diagnostics),
                color,
            ));
            Err(
                super::Error::said(msg!("run-invalid-runbook", runbook = path.display()))
                    .hint_said(msg!("run-invalid-runbook-hint", runbook = path.display())),
            )
        }
    }
}

/// `ID=REASON` for `--assume-done` / `--skip`.
fn step_and_reason(rb: &Runbook, flag: &str, value: &str) -> super::Result<(StepIndex, String)> {
    let (id, reason) = value.split_once('=').unwrap_or((value, ""));
    let step = find_step(rb, id).ok_or_else(|| {
        let ids = rb.steps.iter().map(|s| s.id.as_str());
        let e = super::Error::said(msg!("run-no-step", flag = flag, value = value, id = id));
        match suggest(id, ids) {
            Some(s) => e.hint_said(msg!("did-you-mean", id = s)),
            None => e.hint_said(msg!("run-no-step-hint")),
        }
    })?;
    if reason.trim().is_empty() {
        return Err(
            super::Error::said(msg!("run-no-reason", flag = flag, value = value)).hint_said(msg!(
                "run-no-reason-hint",
                flag = flag,
                id = id
            )),
        );
    }
    Ok((step, reason.trim().to_string()))
}

fn find_step(rb: &Runbook, id: &str) -> Option<StepIndex> {
    rb.step_indices().find(|i| rb.step(*i).id.as_str() == id)
}

/// The login name: `$USER`, `$LOGNAME`, the user database, or `operator`.
pub(crate) fn login_name() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .or_else(|| {
            nix::unistd::User::from_uid(nix::unistd::getuid())
                .ok()
                .flatten()
                .map(|u| u.name)
        })
        .unwrap_or_else(|| "operator".to_string())
}

/// True when a person can be asked: stdin and stderr are terminals.
pub(super) fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Who answers the questions.
pub(super) enum Answerer {
    /// A person at the terminal.
    Terminal,
    /// An answers file (and its path, as given).
    Answers(Answers, String),
    /// `--yes`.
    Yes,
    /// Nobody: every question stops the drill.
    Nobody,
    /// Nobody here (`run --detach`): questions wait for attached terminals.
    Attached,
}

/// What [`Drill::prepare`] checked and resolved, before anything is
/// written or stopped.
pub(crate) struct Prepared {
    vars: Vec<(String, String)>,
    /// Masks the secret variables' values, given now or in the runbook.
    pub(crate) redactor: Redactor,
    answerer: Answerer,
}

/// The grace between SIGTERM and SIGKILL; `REPRISE_KILL_GRACE_MS` shortens
/// it for tests.
fn grace() -> std::time::Duration {
    std::env::var("REPRISE_KILL_GRACE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(
            std::time::Duration::from_secs(5),
            std::time::Duration::from_millis,
        )
}

/// How many commands may run together: `--jobs`, else the runbook's
/// `defaults.jobs`, else [`crate::runbook::DEFAULT_JOBS`]. The same rule for
/// `run`, its dry run, `resume` and `plan`, so that they agree.
pub(crate) fn jobs(flag: Option<NonZeroUsize>, rb: &Runbook) -> usize {
    flag.map(NonZeroUsize::get)
        .unwrap_or(rb.jobs.unwrap_or(crate::runbook::DEFAULT_JOBS) as usize)
}

fn print_preview(
    rb: &Runbook,
    vars: &[(String, String)],
    preview: &Preview,
    lang: crate::i18n::Lang,
) -> super::Result<()> {
    let mut out = lang.tr_args("dry-run-header", &[("name", rb.name.clone().into())]);
    out.push('\n');
    if !rb.vars.is_empty() {
        out.push_str(&lang.tr("dry-run-vars"));
        out.push('\n');
        // By name, not a search per variable: 100,000 variables took 28 s.
        let values: std::collections::HashMap<&str, &str> =
            vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        for v in &rb.vars {
            let name = v.name.as_str();
            let shown = match values.get(name) {
                _ if v.secret => lang.tr("dry-run-var-secret"),
                Some(value) => value.to_string(),
                None => lang.tr("dry-run-var-unset"),
            };
            out.push_str(&format!("  ${name} = {shown}\n"));
        }
    }
    // The header is broken between words at a terminal's width; the
    // table below keeps its columns.
    let mut out = crate::terminal::wrap::at_stdout(&crate::escape::text(&out));
    out.push('\n');
    // Names, titles, commands and values from the runbook: shown, not obeyed.
    out.push_str(&crate::escape::text(&preview.render(rb, lang)));
    super::show(&out)
}

/// Creates the step logs folder (`0700`), or checks the one that exists
/// (see [`journal::check_log_dir`]).
fn prepare_log_dir(log_dir: &Path) -> super::Result<()> {
    if let Err(e) = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(log_dir)
    {
        return Err(super::Error::said(msg!(
            "run-log-folder",
            folder = log_dir.display(),
            why = e
        )));
    }
    journal::check_log_dir(log_dir).map_err(|why| {
        super::Error::said(msg!(
            "run-log-folder-unsafe",
            folder = log_dir.display(),
            why = why
        ))
        .hint_said(msg!("run-log-folder-unsafe-hint"))
    })
}

/// Keeps the first abort reason, said again after the summary so that the
/// flag to use (or the failure that stopped the drill) is the last thing read.
#[derive(Default)]
struct AbortReason {
    reason: Option<String>,
}

impl Sink for AbortReason {
    fn event(&mut self, e: &Stamped) -> std::io::Result<()> {
        if let Event::AbortRequested { by, reason, .. } = &e.event
            && self.reason.is_none()
        {
            self.reason = Some(match reason {
                Some(r) => r.clone(),
                None => format!("requested by {by}"),
            });
        }
        Ok(())
    }
}

/// The drill could not record its start (a full disk, typically): nothing
/// ran, so the new journal and its empty logs folder are removed rather
/// than left to block `run --journal` and `resume`.
fn unstarted(writer: journal::Writer, log_dir: &Path, e: &std::io::Error) -> super::Error {
    let path = writer.path().to_path_buf();
    let removed = writer.discard();
    // Only if empty: a step log would be evidence.
    let _ = std::fs::remove_dir(log_dir);
    let (left, hint) = match removed {
        Ok(()) => (
            msg!("run-unstarted-clean"),
            msg!("run-unstarted-clean-hint"),
        ),
        Err(r) => (
            msg!("run-unstarted-left", journal = path.display(), why = r),
            msg!("run-unstarted-left-hint"),
        ),
    };
    super::Error::said(msg!("run-unstarted", why = e).sub("left", left)).hint_said(hint)
}
