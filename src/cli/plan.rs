//! `reprise plan`: show what a drill would do, without running anything.

use std::path::PathBuf;

use crate::diagnostic::{self, Severity};
use crate::exit;
use crate::i18n::Lang;
use sha2::{Digest, Sha256};

use crate::plan::{Checklist, Plan};
use crate::runbook::{Mode, Runbook};
use crate::validate::{self, Rejected};

/// Show what a drill would do, without running anything: phases, the steps
/// in the order they can start, which run in parallel (waves), each step's
/// kind, role and estimate, and the critical path against the RTO.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise plan runbooks/postgres-failover.yaml
  reprise plan --mode incident runbooks/postgres-failover.yaml
  reprise plan --format json runbooks/postgres-failover.yaml | jq '.critical_path'
  reprise plan --format dot runbooks/postgres-failover.yaml | dot -Tsvg > plan.svg
  reprise plan --format checklist runbooks/postgres-failover.yaml -o checklist.html
  reprise plan --format checklist --role dba --role network runbooks/postgres-failover.yaml -o packets.html
  reprise plan runbooks/postgres-failover.yaml --history journals/
  reprise plan runbooks/postgres-failover.yaml --history journals/ --suggest | git apply

A checklist is an HTML page to print on A4 and fill in by hand when IT is \
down (docs/paper.md); `reprise transcribe` enters the sheets afterwards.

Exit codes: 0 the plan was shown, 2 the runbook has errors or cannot be read \
(the errors are shown as `reprise check` shows them).")]
pub struct Args {
    /// The runbook to plan.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// Plan a drill (an exercise) or an incident (the real event): steps whose
    /// `only` names the other mode are shown as not applicable and take no
    /// time.
    #[arg(long, value_enum, default_value_t = ModeArg::Drill)]
    mode: ModeArg,

    /// Most commands running together, as for `run` (default: the
    /// runbook's `defaults.jobs`, or 32): when the plan's parallel
    /// commands are more, the total they give (`run --dry-run` finds the
    /// same) is shown too.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<std::num::NonZeroUsize>,

    /// `text` for a person, `json` for tools, `dot` (Graphviz) or `mermaid`
    /// for a drawing with phases as clusters and the critical path in red,
    /// `checklist` for a printable paper checklist (HTML, A4).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// With `--format checklist`: one packet per role, holding that role's
    /// steps (repeat for several teams), instead of one section per phase.
    #[arg(long, value_name = "ROLE")]
    role: Vec<String>,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// With `--format checklist`: the language of the sheets, en or fr
    /// (default: the runbook's `lang:`, then LANG).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
    /// Journals of past drills (files, or folders of `*.jsonl` files): show
    /// each step's median and 90th percentile against its estimate, and the
    /// time to recovery by the estimates, at the median and at p90 (text or
    /// json).
    #[arg(long, num_args = 1.., value_name = "JOURNAL|DIR")]
    history: Vec<PathBuf>,

    /// With --history: print a unified diff of the runbook that replaces
    /// each estimate off by more than --threshold with the measured p90
    /// (apply it with `git apply` or `patch -p1`).
    #[arg(long, requires = "history")]
    suggest: bool,

    /// With --suggest: replace estimates off from p90 by more than this
    /// many percent.
    #[arg(long, value_name = "PERCENT", default_value_t = 25)]
    threshold: u32,

    /// With --suggest: only steps measured in at least this many drills.
    #[arg(long, value_name = "N", default_value_t = 3)]
    min_drills: usize,

    /// With --history: use a damaged journal up to its damage, and skip a
    /// file that is not a drill's journal, instead of stopping.
    #[arg(long, requires = "history")]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ModeArg {
    Drill,
    Incident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Dot,
    Mermaid,
    Checklist,
}

pub fn run(args: Args) -> super::Result {
    let shown = args.runbook.display().to_string();
    let checked = match validate::load(&args.runbook) {
        Ok(checked) => checked,
        Err(Rejected {
            source,
            diagnostics,
        }) => {
            let mut text = diagnostic::render(
                &diagnostics,
                &shown,
                source.as_ref().map(validate::Source::for_diagnostics),
                diagnostic::stderr_color(),
            );
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            text.push_str(&format!(
                "{shown}: nothing planned: {errors} error{} (see `reprise check`)\n",
                if errors == 1 { "" } else { "s" }
            ));
            write_stderr(&text);
            return Ok(exit::INVALID);
        }
    };
    let mode = match args.mode {
        ModeArg::Drill => Mode::Drill,
        ModeArg::Incident => Mode::Incident,
    };
    if !args.role.is_empty() {
        if args.format != Format::Checklist {
            return Err(
                super::Error::invalid("`--role` only applies to `--format checklist`")
                    .hint("add `--format checklist`, or leave out `--role`"),
            );
        }
        check_roles(&checked.runbook, &args.role, &shown)?;
    }
    if !args.history.is_empty() {
        if args.output.is_some() {
            return Err(
                super::Error::invalid("`--output` does not apply to `--history`")
                    .hint("redirect standard output instead: `> forecast.txt`"),
            );
        }
        let json = match args.format {
            Format::Text => false,
            Format::Json => true,
            Format::Dot | Format::Mermaid | Format::Checklist => {
                return Err(super::Error::invalid(
                    "--history is shown as text or json, not as a drawing",
                )
                .hint("drop --format, or give --format json"));
            }
        };
        return super::forecast::run(
            &checked,
            &super::forecast::Options {
                shown: &shown,
                mode,
                journals: &args.history,
                json,
                suggest: args.suggest.then_some(crate::history::suggest::Rule {
                    threshold_percent: args.threshold,
                    min_drills: args.min_drills,
                }),
                force: args.force,
            },
        );
    }
    let plan = Plan::new(&checked.runbook, &checked.graph, mode);
    let text = match args.format {
        // Titles and commands from the runbook: shown, not obeyed.
        Format::Text => {
            let mut text = plan.to_text();
            let jobs = super::run::jobs(args.jobs, &checked.runbook);
            if let Some(total) = total_with_jobs(&checked, mode, jobs)
                && total != plan.critical_path().total
            {
                text.push_str(&jobs_line(
                    jobs,
                    total,
                    plan.critical_path().total,
                    plan.rto(),
                ));
            }
            crate::escape::text(&text).into_owned()
        }
        Format::Json => plan.to_json(),
        Format::Dot => plan.to_dot(),
        Format::Mermaid => plan.to_mermaid(),
        Format::Checklist => plan.to_checklist(&Checklist {
            runbook_sha256: hex::encode(Sha256::digest(checked.source.text.as_bytes())),
            roles: args.role.clone(),
            lang: match super::lang_arg(args.lang.as_deref())? {
                Some(lang) => lang,
                None => Lang::for_runbook(checked.runbook.exercise.lang.as_deref()),
            },
        }),
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| super::Error::invalid(format!("cannot write {}: {e}", path.display())))?,
        None if args.format == Format::Text => super::show(&text)?,
        None => super::print(&text)?,
    }
    // Warnings do not stop a plan, but they may explain it (a missing
    // estimate counts as zero): point at `check` rather than repeat them.
    let warnings = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if warnings > 0 {
        write_stderr(&format!(
            "{shown}: {warnings} warning{}: run `reprise check {shown}` to see {}\n",
            if warnings == 1 { "" } else { "s" },
            if warnings == 1 { "it" } else { "them" },
        ));
    }
    Ok(exit::SUCCESS)
}

/// Refuses a `--role` that no step of the runbook has, naming the roles
/// it has (a typo would otherwise print an empty packet).
fn check_roles(runbook: &Runbook, roles: &[String], shown: &str) -> super::Result<()> {
    let mut known: Vec<&str> = runbook
        .steps
        .iter()
        .filter_map(|s| s.role.as_deref())
        .collect();
    known.sort_unstable();
    known.dedup();
    for role in roles {
        if known.contains(&role.as_str()) {
            continue;
        }
        let list = if known.is_empty() {
            "no step has a `role`".to_string()
        } else {
            format!(
                "its roles are: {}",
                known
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let suggestion = crate::diagnostic::suggest(role, known.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        return Err(
            super::Error::invalid(format!("{shown}: no step has the role `{role}`"))
                .hint(format!("{suggestion}{list}")),
        );
    }
    Ok(())
}

/// Diagnostics go to stderr; a closed stderr is nothing to report.
fn write_stderr(text: &str) {
    super::show_err(text);
}

/// The simulated total of a drill with `jobs` job slots: `run --dry-run`'s
/// own walk of the engine, so that the two agree. `None` when the slots
/// cannot bind (no more commands than slots): then the critical path is
/// the total.
fn total_with_jobs(
    checked: &validate::Checked,
    mode: Mode,
    jobs: usize,
) -> Option<crate::runbook::Duration> {
    let commands = checked
        .runbook
        .steps
        .iter()
        .filter(|s| s.run.is_some())
        .count();
    if commands <= jobs {
        return None;
    }
    let config = crate::exec::Config {
        mode,
        dry_run: true,
        jobs,
        ..crate::exec::Config::default()
    };
    let start = jiff::Timestamp::UNIX_EPOCH;
    let redactor = crate::redact::Redactor::new(Vec::<String>::new());
    crate::exec::driver::dry_run(
        &checked.runbook,
        &checked.graph,
        config,
        start,
        &redactor,
        &mut [],
    )
    .ok()
    .map(|(_, preview)| preview.total)
}

/// `with --jobs 2, commands wait for a free job slot: estimated total …`.
fn jobs_line(
    jobs: usize,
    total: crate::runbook::Duration,
    critical: crate::runbook::Duration,
    rto: Option<crate::runbook::Duration>,
) -> String {
    let longer = crate::runbook::Duration(total.0.saturating_sub(critical.0));
    let verdict = match rto {
        Some(rto) if total > rto => format!(", OVER the RTO of {rto}"),
        Some(rto) => format!(", within the RTO of {rto}"),
        None => String::new(),
    };
    format!(
        "with --jobs {jobs}, commands wait for a free job slot: estimated total {total} \
         ({longer} more than the critical path{verdict})\n"
    )
}
