//! `reprise resume`: carries on a drill from its journal after an
//! interruption (a crash, a closed terminal, a dead laptop).
//!
//! Order matters: the journal is locked, read and verified first (so a
//! second reprise is refused before anything else, and a damaged journal is
//! never continued); nothing is appended until every check has passed; then
//! `run_resumed` is made durable before the engine does anything.

use std::path::{Path, PathBuf};

use fluent_templates::fluent_bundle::FluentValue;
use sha2::{Digest, Sha256};

use crate::diagnostic;
use crate::event::{Event, Stamped};
use crate::i18n::{Lang, msg};
use crate::identity::Identity;
use crate::journal::{self, Writer, resume::Replay};
use crate::redact::Redactor;
use crate::runbook::StepKind;
use crate::timeline::Timeline;
use crate::validate::{self, Checked};

mod leftovers;

/// Carry on a drill from its journal: steps recorded stay as they are and
/// never run again; steps that were running or open are re-run (idempotent
/// commands) or put to the operator.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise resume journals/postgres-failover-20261129T080000Z.jsonl
  reprise resume journals/postgres-failover-20261129T080000Z.jsonl --operator bob   # the night shift
  reprise resume drill.jsonl --yes --var DB_PASSWORD=…   # no terminal: re-run interrupted steps
  reprise resume drill.jsonl --answers rehearsal.yaml

Secret and required variables are not recorded: give them again with --var \
(or type them at the prompt). Without a terminal, an interrupted step that is not \
idempotent needs --yes (run it again) or an answer in --answers \
(run, mark_done, mark_failed); see docs/drill-guide.md for what to do after a crash.

The runbook is read again from the path recorded in the journal (run resume \
from the folder the drill was started in). If its content changed, resume \
refuses and lists the changed steps, unless --allow-changed.

Exit codes: 0 recovered, 1 degraded, 2 invalid input or usage (damaged or \
finished journal, changed runbook), 3 aborted.")]
pub struct Args {
    /// The journal of the drill to carry on.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,

    /// Also send these alerts (repeatable), as for `reprise run`.
    #[arg(long = "notify", value_name = "EVENTS=COMMAND")]
    pub notify: Vec<String>,

    /// Who is at the terminal now (default: the login name).
    #[arg(long, value_name = "NAME")]
    pub operator: Option<String>,

    /// Most commands running together (default: the runbook's
    /// `defaults.jobs`, or 32).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,

    /// Without a terminal: confirm manual steps and confirmations, and run
    /// interrupted steps again (each marked auto-confirmed).
    #[arg(long)]
    pub yes: bool,

    /// Answer questions from this YAML file (step id → outcome or decision).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Carry on even though the runbook changed since the drill started
    /// (recorded in the journal).
    #[arg(long)]
    pub allow_changed: bool,

    /// Values of runbook variables (secret or required ones are not
    /// recorded and must be given again).
    #[command(flatten)]
    pub vars: super::vars::VarArgs,

    /// Let the members of this Unix group attach, as for `reprise run`
    /// (default: only you).
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
}

/// Logging is set up by the caller (`-v`, `--log-file`), as for `run`.
pub fn run(args: Args, _verbose: &u8, _log_file: Option<&Path>) -> super::Result {
    super::words::speak_journal(&args.journal);
    let access = crate::attach::Access::for_group(args.group.as_deref())
        .map_err(|e| super::Error::invalid(e).hint_said(msg!("run-group-hint")))?;
    let path = &args.journal;
    // Lock, read, verify, and cut a torn last line.
    let (mut writer, journal) =
        Writer::append(path, Redactor::default()).map_err(super::verify::error)?;
    let timeline = Timeline::from_events(journal.events());
    // Said in the drill's language: the one recorded until the runbook is
    // read, then the runbook's (as the resumed drill's terminal).
    let lang = super::words::spoken();
    if let Some(torn) = &journal.torn {
        super::words::warn(
            msg!("resume-torn-removed", journal = path.display())
                .sub("torn", super::verify::torn_said(torn)),
        );
    }
    let Some(header) = timeline.header.clone() else {
        return Err(super::Error::said(msg!(
            "journal-no-start",
            journal = path.display()
        )));
    };
    if let Some((at, result)) = timeline.result {
        return Err(super::Error::said(msg!(
            "resume-finished",
            journal = path.display(),
            result = result,
            at = at.strftime("%Y-%m-%d %H:%M:%SZ")
        ))
        .hint_said(msg!(
            "resume-finished-hint",
            journal = path.display(),
            runbook = header.runbook
        )));
    }

    let runbook_path = locate_runbook(&header.runbook, path, lang);
    let checked = load(&runbook_path)?;
    super::words::speak_runbook(checked.runbook.exercise.lang.as_deref());
    let lang = super::words::spoken();
    let sha = hex::encode(Sha256::digest(checked.source.text.as_bytes()));
    let changed = sha != header.runbook_sha256;
    if changed {
        let recorded = journal
            .started()
            .and_then(|s| match &s.event {
                Event::RunStarted { steps, .. } => Some(steps.as_slice()),
                _ => None,
            })
            .unwrap_or_default();
        // As `run_started` records it: with the steps waited for through
        // phases, so that only real changes show.
        let now = crate::exec::engine::planned_steps(&checked.runbook, &checked.graph, header.mode);
        let changes = journal::resume::plan_changes(recorded, &now);
        let fingerprinted = recorded.iter().any(|s| !s.fingerprints.is_empty());
        let what = |lang: Lang| -> String {
            if changes.is_empty() && fingerprinted {
                format!("  {}\n", lang.tr("resume-changed-outside"))
            } else if changes.is_empty() {
                format!("  {}\n", lang.tr("resume-changed-unseen"))
            } else {
                changes
                    .iter()
                    .map(|c| format!("  {}\n", change_said(c, lang)))
                    .collect()
            }
        };
        if !args.allow_changed {
            return Err(super::Error::said(msg!(
                "resume-changed",
                runbook = header.runbook,
                recorded = short(&header.runbook_sha256),
                now = short(&sha),
                what = what(lang).trim_end()
            ))
            .hint_said(msg!("resume-changed-hint")));
        }
        super::words::warn(msg!(
            "resume-changed-allowed",
            runbook = header.runbook,
            what = what(lang).trim_end()
        ));
    }

    // An abort decided before the stop is finished, not undone.
    let abort = journal::resume::abort_under_way(journal.events());
    let finishing = abort.as_ref().map(|a| a.rollback);
    let replay = journal::resume::replay_with(&checked.runbook, &timeline, abort);
    for id in &replay.unknown {
        super::words::warn(msg!("resume-step-gone", step = id));
    }
    check_questions(&args, &checked, &replay, header.mode, lang)?;
    let operator = Identity::local(args.operator.clone().unwrap_or_else(super::run::login_name));
    let drill = super::run::Drill {
        runbook_arg: header.runbook.clone(),
        mode: header.mode,
        dry_run: header.dry_run,
        // The coordinator is whoever started the drill, not whoever
        // resumes it (journals from before accounts were recorded: the
        // one resuming).
        starter: match journal.events().next().map(|e| &e.event) {
            Some(Event::RunStarted { origin, .. }) if origin.account.is_some() => {
                origin.account.clone()
            }
            _ => operator.origin.account.clone(),
        },
        operator: operator.clone(),
        detached: false,
        jobs: args.jobs,
        vars: args.vars.clone(),
        presets: replay.presets,
        answers: args.answers.clone(),
        yes: args.yes,
        access,
        resume: true,
        notify: args.notify.clone(),
    };
    // Every argument checked (`--var`, `--answers`) before anything is
    // stopped or written: invalid input changes nothing.
    let prepared = drill.prepare(&checked)?;

    leftovers::stop(journal.events(), &journal::log_dir(path), lang);
    writer.set_redactor(prepared.redactor.clone());
    writer
        .write(&Stamped {
            time: jiff::Timestamp::now(),
            event: Event::RunResumed {
                operator: operator.name.clone(),
                origin: operator.origin.clone(),
                host: journal::hostname(),
                reprise_version: env!("CARGO_PKG_VERSION").to_string(),
                runbook_sha256: changed.then(|| sha.clone()),
            },
        })
        .and_then(|()| writer.sync())
        .map_err(super::verify::error)?;
    let recorded = [
        ("path", shown(path)),
        ("count", FluentValue::from(journal.entries.len())),
    ];
    let resuming = match finishing {
        Some(rollback) => lang.tr_args(
            if rollback {
                "resume-rolling-back"
            } else {
                "resume-aborting"
            },
            &recorded,
        ),
        None => lang.tr_args(
            "resume-carrying-on",
            &[
                recorded[0].clone(),
                recorded[1].clone(),
                ("steps", FluentValue::from(replay.interrupted.len())),
                ("name", said(&header.name)),
            ],
        ),
    };
    eprintln!("{resuming}");
    drill.run_prepared(&checked, prepared, super::run::Journal::Append(writer))
}

/// The runbook recorded in `run_started`, as given when the drill started
/// (relative to the folder it started in). From another folder, a relative
/// path is also looked for beside the journal and in the folder above it
/// (where the default `journals/` sits), and the one found is said.
fn locate_runbook(recorded: &str, journal: &Path, lang: Lang) -> PathBuf {
    let given = PathBuf::from(recorded);
    if given.exists() || given.is_absolute() {
        return given;
    }
    let dir = journal.parent().unwrap_or(Path::new(""));
    let candidates = [dir.join(&given), dir.join("..").join(&given)];
    match candidates.into_iter().find(|c| c.is_file()) {
        Some(found) => {
            eprintln!(
                "{}",
                lang.tr_args(
                    "resume-runbook-found",
                    &[("recorded", said(recorded)), ("found", shown(&found))],
                )
            );
            found
        }
        None => given,
    }
}

/// Reads and checks the runbook recorded in the journal.
fn load(path: &Path) -> super::Result<Checked> {
    validate::load(path).map_err(|rejected| {
        let color = diagnostic::stderr_color();
        let text = diagnostic::render(
            &rejected.diagnostics,
            &path.display().to_string(),
            rejected
                .source
                .as_ref()
                .map(validate::Source::for_diagnostics),
            color,
        );
        super::show_err(&text);
        super::Error::said(msg!("resume-runbook-unusable", runbook = path.display()))
            .hint_said(msg!("resume-runbook-unusable-hint"))
    })
}

/// Says which interrupted commands run again without asking, then refuses,
/// before anything is appended, questions certain to come that nobody can
/// answer (the same check as `reprise run`'s): interrupted non-idempotent
/// commands are never re-run silently, and manual steps and confirmations
/// still to come are never confirmed silently. With `--answers`, the file
/// is checked when it is read.
fn check_questions(
    args: &Args,
    checked: &Checked,
    replay: &Replay,
    mode: crate::runbook::Mode,
    lang: Lang,
) -> super::Result<()> {
    let rb = &checked.runbook;
    let yes = args.yes && args.answers.is_none();
    for &i in &replay.interrupted {
        // A step added during the drill is asked about like the others.
        let Some(s) = rb.steps.get(i.get()) else {
            continue;
        };
        if s.kind() == StepKind::Manual {
            continue;
        }
        let (hosts, on) = interrupted_hosts(replay, i, lang);
        let said_of = |id: &str| {
            lang.tr_args(
                id,
                &[
                    ("step", said(s.id.value.as_str())),
                    ("hosts", FluentValue::from(hosts.clone())),
                    ("on", FluentValue::from(on.clone())),
                ],
            )
        };
        if s.idempotent {
            eprintln!("{}", said_of("resume-idempotent"));
        } else if yes {
            eprintln!("{}", said_of("resume-yes"));
        }
    }
    if yes || args.answers.is_some() || super::run::interactive() {
        return Ok(());
    }
    super::run::refuse_unanswerable(
        rb,
        mode,
        &replay.presets,
        &super::run::Answerer::Nobody,
        "resumed",
    )
}

/// For an interrupted remote step: ` (done on db1; not finished on db2)`
/// and ` on db2` (where it runs again), in `lang`; empty strings for a
/// local step.
fn interrupted_hosts(
    replay: &Replay,
    step: crate::runbook::StepIndex,
    lang: Lang,
) -> (String, String) {
    use crate::exec::{Preset, fleet};
    use crate::terminal::lines::{Palette, hosts_summary};
    let hosts = replay.presets.iter().find_map(|p| match p {
        Preset::Interrupted { step: s, hosts, .. } if *s == step && !hosts.is_empty() => {
            Some(hosts)
        }
        _ => None,
    });
    match hosts {
        Some(hosts) => (
            lang.tr_args(
                "resume-hosts",
                &[(
                    "summary",
                    FluentValue::from(hosts_summary(hosts, Palette::new(false, lang))),
                )],
            ),
            lang.tr_args(
                "resume-on",
                &[(
                    "hosts",
                    FluentValue::from(fleet::remaining(hosts).join(", ")),
                )],
            ),
        ),
        None => (String::new(), String::new()),
    }
}

/// Runbook or journal text as an argument: escaped for the terminal.
fn said(text: &str) -> FluentValue<'static> {
    FluentValue::from(crate::escape::line(text).into_owned())
}

/// A path as an argument, escaped.
fn shown(path: &Path) -> FluentValue<'static> {
    said(&path.display().to_string())
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// One difference between the recorded plan and the runbook, in `lang`
/// (`~ id: title "A" → "B"; command differs`): the runbook's keys as
/// written, reprise's words said.
fn change_said(change: &journal::resume::Change, lang: Lang) -> String {
    use journal::resume::Change;
    let arg = |s: &str| FluentValue::from(s.to_string());
    match change {
        Change::Added { id, title } => lang.tr_args(
            "resume-change-added",
            &[("id", arg(id)), ("title", arg(title))],
        ),
        Change::Removed { id, title } => lang.tr_args(
            "resume-change-removed",
            &[("id", arg(id)), ("title", arg(title))],
        ),
        Change::Changed {
            id,
            fields,
            settings,
        } => {
            let value = |v: &str| {
                if v == "(none)" {
                    lang.tr("resume-change-none")
                } else {
                    v.to_string()
                }
            };
            let mut parts: Vec<String> = fields
                .iter()
                .map(|(name, old, new)| {
                    lang.tr_args(
                        "resume-change-field",
                        &[
                            ("name", arg(name)),
                            ("old", arg(&value(old))),
                            ("new", arg(&value(new))),
                        ],
                    )
                })
                .collect();
            if !settings.is_empty() {
                parts.push(lang.tr_args(
                    "resume-change-settings",
                    &[
                        ("names", arg(&settings.join(", "))),
                        ("count", FluentValue::from(settings.len())),
                    ],
                ));
            }
            let what = parts
                .into_iter()
                .reduce(|text, more| {
                    lang.tr_args(
                        "resume-change-more",
                        &[("text", arg(&text)), ("more", arg(&more))],
                    )
                })
                .unwrap_or_default();
            lang.tr_args(
                "resume-change-changed",
                &[("id", arg(id)), ("what", arg(&what))],
            )
        }
    }
}
