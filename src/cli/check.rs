//! `reprise check`: validate runbooks and say precisely what is wrong.

use std::path::PathBuf;

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::exit;
use crate::validate::{self, Checked, Rejected};

/// Validate runbooks: YAML syntax, keys, types, ids, durations, dependencies
/// and cycles. Every problem is shown with its file, line and column.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise check runbooks/postgres-failover.yaml
  reprise check --strict runbooks/*.yaml
  reprise check --format json runbooks/*.yaml > diagnostics.json
  reprise check --connect db-restore.yaml    # a runbook with hosts: also try each ssh connection

Exit codes: 0 every runbook is valid (warnings allowed unless --strict), \
2 a runbook has errors or cannot be read (or, with --connect, a host is \
unreachable).")]
pub struct Args {
    /// Runbook files to check.
    #[arg(required = true, value_name = "RUNBOOK")]
    runbooks: Vec<PathBuf>,

    /// Fail on warnings too.
    #[arg(long)]
    strict: bool,

    /// How to print the diagnostics: `text` on stderr (rustc style), or `json`
    /// on stdout (one array of all diagnostics of all files).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Also try to reach every host the steps run on (`ssh HOST true`, in
    /// batch mode with a short timeout) and report which are unreachable.
    #[arg(long)]
    connect: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The outcome for one file.
struct Report {
    path: String,
    source: Option<String>,
    diagnostics: Vec<Diagnostic>,
    /// `(steps, phases, implicit phase)` when valid.
    shape: Option<(usize, usize, bool)>,
}

/// Checks every file, prints its diagnostics and a one-line summary, and
/// returns [`exit::INVALID`] when any file has errors (or warnings with
/// `--strict`).
pub fn run(args: Args) -> super::Result {
    let mut failed = false;
    let mut json = Vec::new();
    let color = diagnostic::stderr_color();
    for path in &args.runbooks {
        let mut connect = None;
        let report = match validate::load(path) {
            Ok(Checked {
                source,
                runbook,
                diagnostics,
                ..
            }) => {
                if args.connect {
                    let base = path
                        .parent()
                        .filter(|p| !p.as_os_str().is_empty())
                        .unwrap_or(std::path::Path::new("."));
                    connect = Some(crate::exec::connect::connect_report(&runbook, base));
                }
                Report {
                    path: path.display().to_string(),
                    source: Some(source.masked.unwrap_or(source.text)),
                    diagnostics,
                    shape: Some((
                        runbook.steps.len(),
                        runbook.phases.len(),
                        runbook.phases.iter().all(|p| p.implicit),
                    )),
                }
            }
            Err(Rejected {
                source,
                diagnostics,
            }) => Report {
                path: path.display().to_string(),
                source: source.map(|s| s.masked.unwrap_or(s.text)),
                diagnostics,
                shape: None,
            },
        };
        let errors = count(&report.diagnostics, Severity::Error);
        let warnings = count(&report.diagnostics, Severity::Warning);
        if errors > 0 || (args.strict && warnings > 0) {
            failed = true;
        }
        match args.format {
            Format::Text => {
                let text = diagnostic::render(
                    &report.diagnostics,
                    &report.path,
                    report.source.as_deref(),
                    color,
                );
                write_stderr(&text);
            }
            Format::Json => json.extend(diagnostic::to_json(
                &report.diagnostics,
                &report.path,
                report.source.as_deref(),
            )),
        }
        let summary = summary(&report, errors, warnings, args.strict);
        match args.format {
            Format::Text => super::show(&format!("{summary}\n"))?,
            Format::Json => write_stderr(&format!("{summary}\n")),
        }
        if let Some((text, all_reachable)) = connect {
            failed |= !all_reachable;
            match args.format {
                Format::Text => super::show(&text)?,
                Format::Json => write_stderr(&text),
            }
        }
    }
    if args.format == Format::Json {
        let text = serde_json::to_string_pretty(&json)
            .map_err(|e| super::Error::invalid(format!("cannot write JSON: {e}")))?;
        super::print(&format!("{text}\n"))?;
    }
    Ok(if failed { exit::INVALID } else { exit::SUCCESS })
}

fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `path: ok, 42 steps in 6 phases, 1 warning` or `path: 2 errors, 1 warning`.
fn summary(report: &Report, errors: usize, warnings: usize, strict: bool) -> String {
    let mut parts = Vec::new();
    match report.shape {
        Some((steps, phases, implicit)) if errors == 0 => {
            let ok = if strict && warnings > 0 {
                "fails --strict"
            } else {
                "ok"
            };
            parts.push(if implicit {
                format!("{ok}, {}", plural(steps, "step"))
            } else {
                format!(
                    "{ok}, {} in {}",
                    plural(steps, "step"),
                    plural(phases, "phase")
                )
            });
        }
        _ => parts.push(plural(errors, "error")),
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning"));
    }
    format!("{}: {}", report.path, parts.join(", "))
}

/// Diagnostics go to stderr; a closed stderr is not worth failing over.
fn write_stderr(text: &str) {
    super::show_err(text);
}
