//! `reprise run`: walk a runbook as a drill (or the real incident).
//!
//! Everything after argument parsing lives in [`drill`], which `reprise
//! resume` calls too, with the journal it reopened and the presets it
//! replayed.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diagnostic::{self, suggest};
use crate::event::{Event, RunResult, Stamped};
use crate::exec::driver::{self, Preview};
use crate::exec::operator::{Answers, AnswersOperator, FLAGS_HINT, Nobody, Yes};
use crate::exec::process::Spawner;
use crate::exec::{Config, Operator, Preset, RunInfo, Sink};
use crate::exit;
use crate::identity::Identity;
use crate::journal;
use crate::redact::Redactor;
use crate::runbook::{Mode, Runbook, StepIndex, StepKind};
use crate::terminal;
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
            return Err(super::Error::invalid(format!(
                "step `{}` is given twice in --assume-done / --skip",
                rb.step(*step).id.as_str()
            )));
        }
    }
    let operator = Identity::local(args.operator.clone().unwrap_or_else(login_name));
    let access = crate::attach::Access::for_group(args.group.as_deref())
        .map_err(|e| super::Error::invalid(e).hint("see docs/drill-guide.md, \"A crisis host\""))?;
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

/// An incident never auto-approves a step that needs `approvals`: with
/// `--yes` or `--answers`, such a runbook is refused before anything runs.
fn refuse_scripted_approvals(rb: &Runbook, mode: Mode, answerer: &Answerer) -> super::Result<()> {
    let flag = match answerer {
        Answerer::Yes => "--yes",
        Answerer::Answers(..) => "--answers",
        _ => return Ok(()),
    };
    if mode != Mode::Incident {
        return Ok(());
    }
    let Some((i, s)) = rb
        .steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.approvals.is_some() && s.applies_in(mode))
    else {
        return Ok(());
    };
    Err(super::Error::invalid(format!(
        "step {} `{}` needs {} approvals, and {flag} would approve it automatically: a real \
         switch-over is never auto-approved; nothing was run",
        i + 1,
        s.id.value,
        s.approvals.map_or(1, |n| n.value)
    ))
    .hint(format!(
        "run the incident at a terminal without {flag}, each approver confirming from their \
         own account"
    )))
}

/// Loads and validates a runbook, printing its diagnostics like `check`
/// (errors stop here with exit 2; warnings are shown and the drill goes on).
pub(crate) fn load(path: &Path) -> super::Result<Checked> {
    let color = diagnostic::stderr_color();
    match validate::load(path) {
        Ok(checked) => {
            if !checked.diagnostics.is_empty() {
                eprint!(
                    "{}",
                    diagnostic::render(
                        &checked.diagnostics,
                        &path.display().to_string(),
                        Some(checked.source.for_diagnostics()),
                        color
                    )
                );
            }
            Ok(checked)
        }
        Err(Rejected {
            source,
            diagnostics,
        }) => {
            eprint!(
                "{}",
                diagnostic::render(
                    &diagnostics,
                    &path.display().to_string(),
                    source.as_ref().map(validate::Source::for_diagnostics),
                    color
                )
            );
            Err(super::Error::invalid(format!(
                "`{}` is not a valid runbook: nothing was run",
                path.display()
            ))
            .hint(format!(
                "fix it and check with `reprise check {}`",
                path.display()
            )))
        }
    }
}

/// `ID=REASON` for `--assume-done` / `--skip`.
fn step_and_reason(rb: &Runbook, flag: &str, value: &str) -> super::Result<(StepIndex, String)> {
    let (id, reason) = value.split_once('=').unwrap_or((value, ""));
    let step = find_step(rb, id).ok_or_else(|| {
        let ids = rb.steps.iter().map(|s| s.id.as_str());
        let e = super::Error::invalid(format!("{flag} {value}: no step `{id}` in the runbook"));
        match suggest(id, ids) {
            Some(s) => e.hint(format!("did you mean `{s}`?")),
            None => e.hint("`reprise plan RUNBOOK` lists the step ids"),
        }
    })?;
    if reason.trim().is_empty() {
        return Err(
            super::Error::invalid(format!("{flag} {value}: a reason is required"))
                .hint(format!("write it as {flag} {id}='why'")),
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

impl Drill {
    /// The runbook's `notify:` targets and those of `--notify`.
    fn targets(&self, rb: &Runbook) -> super::Result<Vec<crate::notify::Target>> {
        let mut targets = rb.notify.clone();
        for (i, flag) in self.notify.iter().enumerate() {
            targets.push(
                crate::notify::from_flag(flag, rb.notify.len() + i + 1)
                    .map_err(|e| super::Error::invalid(e).hint("see docs/alerts.md"))?,
            );
        }
        Ok(targets)
    }

    /// Everything after argument parsing: variables, operator, checks
    /// before the start, sinks, the drill, the summary, the exit code.
    pub(crate) fn prepare_and_run(self, checked: &Checked, journal: Journal) -> super::Result {
        let prepared = self.prepare(checked)?;
        self.run_prepared(checked, prepared, journal)
    }

    /// Checks and resolves what the drill needs from the command line
    /// (variables, the answers file, who answers) without writing or
    /// stopping anything: `resume` calls it before it stops a leftover
    /// process or appends `run_resumed`, so that a mistyped `--var` or a
    /// bad `--answers` file changes nothing.
    pub(crate) fn prepare(&self, checked: &Checked) -> super::Result<Prepared> {
        let rb = &checked.runbook;
        // A bad --notify is refused before anything is written or stopped.
        self.targets(rb)?;
        let vars = self.resolve_vars(rb)?;
        let values: std::collections::HashMap<&str, &str> =
            vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let secrets: Vec<&str> = rb
            .vars
            .iter()
            .filter(|v| v.secret)
            .filter_map(|v| values.get(v.name.as_str()).copied())
            .collect();
        let redactor = Redactor::new(secrets);

        let answerer = if let Some(path) = &self.answers {
            let shown = path.display().to_string();
            // Read as a runbook is (size cap, directories, UTF-8):
            // `--answers /dev/zero` was read until memory ran out.
            let text = validate::read(path).map_err(|d| {
                super::Error::invalid(format!("cannot use the answers file: {}", d.message))
            })?;
            let answers = Answers::parse(&text, rb).map_err(|errors| {
                let mut msg = String::new();
                for e in &errors {
                    msg.push_str(&e.render(&shown));
                    msg.push('\n');
                }
                eprint!("{msg}");
                super::Error::invalid(format!(
                    "the answers file {shown} is not valid: nothing was run"
                ))
                .hint("its format is described in docs/answers.md")
            })?;
            Answerer::Answers(answers, shown)
        } else if self.yes {
            Answerer::Yes
        } else if self.detached {
            Answerer::Attached
        } else if interactive() {
            Answerer::Terminal
        } else {
            Answerer::Nobody
        };
        if !self.dry_run {
            refuse_unanswerable(rb, self.mode, &self.presets, &answerer, "run")?;
            refuse_scripted_approvals(rb, self.mode, &answerer)?;
        }
        Ok(Prepared {
            vars,
            redactor,
            answerer,
        })
    }

    /// The drill itself, once [`Drill::prepare`] has passed.
    pub(crate) fn run_prepared(
        self,
        checked: &Checked,
        prepared: Prepared,
        journal: Journal,
    ) -> super::Result {
        let rb = &checked.runbook;
        let Prepared {
            vars,
            redactor,
            answerer,
        } = prepared;

        let config = Config {
            mode: self.mode,
            dry_run: self.dry_run,
            jobs: jobs(self.jobs, rb),
            operator: self.operator.clone(),
            presets: self.presets.clone(),
            info: RunInfo {
                runbook: self.runbook_arg.clone(),
                runbook_sha256: hex::encode(Sha256::digest(checked.source.text.as_bytes())),
                host: journal::hostname(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            resume: self.resume,
            access: crate::exec::access::Access::new(
                crate::roles::Membership::resolve(rb, &crate::roles::System),
                self.starter.clone(),
            ),
        };

        // A logs folder there already that cannot be used is refused
        // before the journal is created, when its name is known already.
        if !self.dry_run {
            let known = match &journal {
                Journal::Append(w) => Some(w.path().to_path_buf()),
                Journal::Create(path) => Some(path.clone()),
                Journal::Default(_) => None,
            };
            let dir = known.map(|path| journal::log_dir(&path));
            if let Some(dir) = dir.filter(|d| d.symlink_metadata().is_ok()) {
                prepare_log_dir(&dir)?;
            }
        }
        let mut writer = match journal {
            Journal::Append(mut w) => {
                // Opened before the variables were known: the secrets given
                // now (`--var`, the prompt) must be masked from here on.
                w.set_redactor(redactor.clone());
                w
            }
            Journal::Create(path) => journal::Writer::create(&path, redactor.clone())
                .map_err(|e| super::Error::invalid(e.to_string()))?,
            Journal::Default(runbook) => {
                journal::create_default(&runbook, jiff::Timestamp::now(), redactor.clone())
                    .map_err(|e| super::Error::invalid(e.to_string()))?
            }
        };
        let journal_path = writer.path().to_path_buf();
        let log_dir = journal::log_dir(&journal_path);
        eprintln!("journal: {}", journal_path.display());

        let style = terminal::Style::detect();
        // Asked once the drill is over (`objectives.criteria`).
        let assessing = match &answerer {
            Answerer::Terminal => criteria::Source::Terminal,
            Answerer::Answers(a, _) => criteria::Source::Answers(a.criteria().to_vec()),
            _ => criteria::Source::None,
        };
        let (view, mut operator): (terminal::View, Box<dyn Operator>) = match answerer {
            Answerer::Terminal => {
                let (view, op) = terminal::terminal(rb, style, &self.operator);
                (view, Box::new(op))
            }
            Answerer::Answers(a, file) => (
                terminal::View::new(rb, style),
                Box::new(AnswersOperator::new(a, rb, &self.operator, &file)),
            ),
            Answerer::Yes => (
                terminal::View::new(rb, style),
                Box::new(Yes::new(rb, &self.operator)),
            ),
            Answerer::Nobody => (terminal::View::new(rb, style), Box::new(Nobody::new(rb))),
            Answerer::Attached => (
                terminal::View::new(rb, style),
                Box::new(crate::attach::Unattended),
            ),
        };
        let mut view = view.with_redactor(redactor.clone());
        let recorded = if self.resume {
            // The view (and the summary) must know the drill from its start.
            match journal::read(&journal_path) {
                Ok(recorded) => {
                    view.replay(recorded.events());
                    Some(recorded)
                }
                Err(e) => {
                    tracing::warn!("cannot read back {}: {e}", journal_path.display());
                    None
                }
            }
        } else {
            None
        };
        if !self.dry_run {
            // Other terminals attach through a socket beside the journal.
            match crate::attach::Attached::bind_for(rb, &journal_path, &self.access) {
                Ok(server) => {
                    let server = server
                        .with_redactor(redactor.clone())
                        .replay(recorded.iter().flat_map(|j| j.events()));
                    operator = Box::new(server.around(operator));
                }
                // Started to be attached to: without the socket nobody
                // could answer.
                Err(e) if self.detached => {
                    return Err(super::Error::invalid(format!(
                        "cannot listen for terminals on {}: {e}",
                        crate::attach::socket_path(&journal_path).display()
                    )));
                }
                Err(e) => eprintln!(
                    "warning: other terminals cannot attach to this drill: {}: {e}",
                    crate::attach::socket_path(&journal_path).display()
                ),
            }
        }
        let targets = self.targets(rb)?;
        if !targets.is_empty() && !self.dry_run {
            operator = Box::new(crate::notify::sender::Notifier::new(
                operator,
                targets,
                redactor.clone(),
                recorded.iter().flat_map(|j| j.events()),
            ));
        }
        let mut abort = AbortReason::default();
        let outcome = if self.dry_run {
            let result = {
                // The simulated events are recorded, not shown: the preview
                // is printed instead.
                let mut sinks: [&mut dyn Sink; 2] = [&mut writer, &mut abort];
                driver::dry_run(
                    rb,
                    &checked.graph,
                    config,
                    jiff::Timestamp::now(),
                    &redactor,
                    &mut sinks,
                )
            };
            result.and_then(|(result, preview)| {
                print_preview(rb, &vars, &preview)
                    .map_err(|e| driver::Error::Sink(std::io::Error::other(e.message)))?;
                Ok(result)
            })
        } else {
            if let Err(e) = prepare_log_dir(&log_dir) {
                // Refused before anything was recorded: no empty journal
                // left behind to block the next try.
                if !self.resume && writer.next_seq() == 0 {
                    let _ = writer.discard();
                }
                return Err(e);
            }
            let base_dir = checked
                .source
                .path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            let remote = crate::exec::remote::Session::for_runbook(rb, &base_dir)
                .map_err(super::Error::invalid)?
                .map(|s| s as std::sync::Arc<dyn crate::exec::process::Hosts>);
            let spawner = Spawner {
                base_dir,
                vars: vars.clone(),
                log_dir: log_dir.clone(),
                redactor: redactor.clone(),
                grace: grace(),
                remote,
            };
            // The journal first: an event it cannot record is shown nowhere.
            let mut sinks: [&mut dyn Sink; 3] = [&mut writer, &mut abort, &mut view];
            driver::run(
                rb,
                &checked.graph,
                config,
                &spawner,
                &mut sinks,
                operator.as_mut(),
            )
        };
        view.finish();
        if let Err(driver::Error::Sink(e)) = &outcome
            && !self.resume
            && writer.nothing_synced()
        {
            return Err(unstarted(writer, &log_dir, e));
        }
        let result = outcome.map_err(|e| super::Error {
            hint: Some(match &e {
                driver::Error::Stopped(_) => format!(
                    "every command was stopped; continue the drill with `reprise resume {}`",
                    journal_path.display()
                ),
                _ => format!(
                    "every command was stopped; what was recorded is in {}",
                    journal_path.display()
                ),
            }),
            message: e.to_string(),
            code: exit::ABORTED,
        })?;
        let lang = crate::i18n::Lang::for_runbook(rb.exercise.lang.as_deref());
        let mut err = std::io::stderr().lock();
        if self.dry_run {
            let _ = writeln!(
                err,
                "dry run: {result}\njournal: {}",
                journal_path.display()
            );
        } else {
            let color = style == terminal::Style::Live;
            let _ = write!(
                err,
                "{}",
                terminal::glyphs::chosen().render(&redactor.redact(
                    &terminal::summary::summary_in(lang, &view.timeline(), &journal_path, color)
                ))
            );
        }
        if let (RunResult::Aborted, Some(reason)) = (result, &abort.reason) {
            let _ = writeln!(
                err,
                "drill aborted: {}",
                crate::escape::text(&redactor.redact(reason))
            );
        }
        drop(err);
        if !self.dry_run {
            // Whoever holds the terminal now (handovers included).
            let mut by = self.operator.clone();
            if let Some(h) = view.timeline().handovers.last() {
                by.name = h.to.clone();
            }
            let asked = matches!(assessing, criteria::Source::Terminal);
            let count = criteria::assess(assessing, &rb.exercise.criteria, lang, &by, &mut writer)?;
            if asked && !rb.exercise.criteria.is_empty() {
                eprintln!(
                    "{}",
                    lang.tr_args(
                        "assess-done",
                        &[
                            ("count", count.into()),
                            ("journal", journal_path.display().to_string().into()),
                        ],
                    )
                );
            }
        }
        Ok(match result {
            RunResult::Recovered => exit::SUCCESS,
            RunResult::Degraded => exit::DEGRADED,
            RunResult::Aborted => exit::ABORTED,
        })
    }

    /// Runbook variables with their values: the runbook's, overridden by
    /// `--var`, then required ones asked at a hidden prompt (at a terminal)
    /// or refused.
    fn resolve_vars(&self, rb: &Runbook) -> super::Result<Vec<(String, String)>> {
        // By name, the last given winning: one lookup per variable.
        let given: std::collections::HashMap<String, String> =
            self.vars.given(rb)?.into_iter().collect();
        let mut out = Vec::new();
        for var in &rb.vars {
            let name = var.name.as_str();
            let value = given.get(name).cloned().or_else(|| var.value.clone());
            let value = match value {
                Some(v) => v,
                None if !var.required || self.dry_run => continue,
                None if interactive() => {
                    let prompt = var.prompt.clone().unwrap_or_else(|| name.to_string());
                    let typed = dialoguer::Password::new()
                        .with_prompt(prompt)
                        .allow_empty_password(false)
                        .interact()
                        .map_err(|e| {
                            super::Error::invalid(format!("cannot read {name}: {e}"))
                                .hint(format!("pass it as --var {name}=VALUE"))
                        })?;
                    let _ = console::Term::stderr().show_cursor();
                    typed
                }
                None => {
                    return Err(super::Error::invalid(format!(
                        "variable {name} is required and has no value: nothing was run"
                    ))
                    .hint(format!("pass it as --var {name}=VALUE")));
                }
            };
            out.push((name.to_string(), value));
        }
        Ok(out)
    }
}

/// Refuses to start (or to carry on, for `reprise resume`) when some
/// question is certain to come and nobody can answer it: manual steps and
/// confirmations, and on resume interrupted steps that are not idempotent
/// commands, without a terminal, `--yes`, or an answer. `nothing_was` ends
/// the message: what was not done (`run`, `resumed`). The one check for
/// both commands, so that they refuse the same drills with the same words.
pub(super) fn refuse_unanswerable(
    rb: &Runbook,
    mode: Mode,
    presets: &[Preset],
    answerer: &Answerer,
    nothing_was: &str,
) -> super::Result<()> {
    let mut recorded = std::collections::HashSet::new();
    let mut interrupted = std::collections::HashSet::new();
    for p in presets {
        match p {
            // Finishing an abort: nothing but rollbacks is asked.
            Preset::Aborting { .. } => return Ok(()),
            Preset::AssumeDone { step, .. }
            | Preset::Skip { step, .. }
            | Preset::Recorded { step, .. } => recorded.insert(*step),
            Preset::Interrupted { step, .. } => interrupted.insert(*step),
            Preset::Added { .. } | Preset::Revised { .. } | Preset::Assigned { .. } => false,
        };
    }
    // Interrupted commands that are not idempotent need a decision (run
    // again, mark done, mark failed); manual steps and confirmations still
    // to come (an interrupted manual step included) need a confirmation.
    let mut decide = Vec::new();
    let mut confirm = Vec::new();
    for i in rb.step_indices() {
        let s = rb.step(i);
        if interrupted.contains(&i) && s.kind() != StepKind::Manual {
            if !s.idempotent {
                decide.push(i);
            }
        } else if s.kind() != StepKind::Command && s.applies_in(mode) && !recorded.contains(&i) {
            confirm.push(i);
        }
    }
    let (decide, confirm): (Vec<StepIndex>, Vec<StepIndex>) = match answerer {
        Answerer::Terminal | Answerer::Yes | Answerer::Attached => return Ok(()),
        Answerer::Answers(a, _) => (
            decide.into_iter().filter(|i| !a.covers(*i)).collect(),
            confirm.into_iter().filter(|i| !a.covers(*i)).collect(),
        ),
        Answerer::Nobody => (decide, confirm),
    };
    if decide.is_empty() && confirm.is_empty() {
        return Ok(());
    }
    // Ten names at most: the message must stay readable for a big runbook.
    let list = |steps: &[StepIndex], command: bool| {
        let mut text = steps
            .iter()
            .take(10)
            .map(|&i| {
                let s = rb.step(i);
                match s.run.as_ref().filter(|_| command) {
                    Some(c) => format!("`{}` (`{}`)", s.id.value, c.value),
                    None => format!("`{}`", s.id.value),
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if steps.len() > 10 {
            text.push_str(&format!(" and {} more", steps.len() - 10));
        }
        text
    };
    let one = decide.len() == 1;
    let interrupted_text = format!(
        "step{} {} {} interrupted and {} not idempotent",
        if one { "" } else { "s" },
        list(&decide, true),
        if one { "was" } else { "were" },
        if one { "is" } else { "are" },
    );
    Err(match answerer {
        Answerer::Answers(_, file) => {
            let mut missing = decide.clone();
            missing.extend(&confirm);
            super::Error::invalid(format!(
                "{file} has no answer for {}, which the operator must confirm or decide about: nothing was {nothing_was}",
                list(&missing, false)
            ))
            .hint("add an answer for each (see docs/answers.md), or run at a terminal")
        }
        _ if decide.is_empty() => super::Error::invalid(format!(
            "there is no terminal to confirm {}: nothing was {nothing_was}",
            list(&confirm, false)
        ))
        .hint(FLAGS_HINT),
        _ => {
            let also = if confirm.is_empty() {
                String::new()
            } else {
                format!(", nor to confirm {}", list(&confirm, false))
            };
            super::Error::invalid(format!(
                "{interrupted_text}: someone must decide whether to run {} again, and there is no terminal to ask{also}: nothing was {nothing_was}",
                if one { "it" } else { "them" },
            ))
            .hint(
                "run it at a terminal, add `--yes` (run interrupted steps again, confirm manual steps and confirmations), \
                 or answer each one in --answers FILE (run, mark_done or mark_failed for an interrupted step; see docs/answers.md)",
            )
        }
    })
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

fn print_preview(rb: &Runbook, vars: &[(String, String)], preview: &Preview) -> super::Result<()> {
    let mut out = format!(
        "Dry run of \"{}\": nothing will be executed and nothing asked.\n",
        rb.name
    );
    if !rb.vars.is_empty() {
        out.push_str("Commands receive these variables (in their environment, by name):\n");
        // By name, not a search per variable: 100,000 variables took 28 s.
        let values: std::collections::HashMap<&str, &str> =
            vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        for v in &rb.vars {
            let name = v.name.as_str();
            let shown = match values.get(name) {
                _ if v.secret => "*** (secret)".to_string(),
                Some(value) => value.to_string(),
                None => "(no value yet: asked or given with --var)".to_string(),
            };
            out.push_str(&format!("  ${name} = {shown}\n"));
        }
    }
    out.push('\n');
    out.push_str(&preview.render(rb));
    // Names, titles, commands and values from the runbook: shown, not obeyed.
    super::print(&crate::escape::text(&out))
}

/// Creates the step logs folder (`0700`), or checks the one that exists
/// (see [`journal::check_log_dir`]).
fn prepare_log_dir(log_dir: &Path) -> super::Result<()> {
    if let Err(e) = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(log_dir)
    {
        return Err(super::Error::invalid(format!(
            "cannot create the log folder {}: {e}",
            log_dir.display()
        )));
    }
    journal::check_log_dir(log_dir).map_err(|why| {
        super::Error::invalid(format!(
            "will not write step logs into {}: {why}",
            log_dir.display()
        ))
        .hint("remove it or fix it (chmod 700, owned by you), or give another --journal")
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
            "nothing was run and no journal was left".to_string(),
            "free some space where the journal goes (or choose another `--journal`), then start again",
        ),
        Err(r) => (
            format!("nothing was run; remove {} ({r})", path.display()),
            "free some space where the journal goes, remove the journal, then start again",
        ),
    };
    super::Error {
        message: format!("cannot start the drill: {e}; {left}"),
        hint: Some(hint.to_string()),
        code: exit::INVALID,
    }
}
