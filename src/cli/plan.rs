//! `reprise plan`: show what a drill would do, without running anything.

use std::io::Write;
use std::path::PathBuf;

use crate::diagnostic::{self, Severity};
use crate::exit;
use crate::plan::Plan;
use crate::runbook::Mode;
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

    /// `text` for a person, `json` for tools, `dot` (Graphviz) or `mermaid`
    /// for a drawing with phases as clusters and the critical path in red.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
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
                source.as_ref().map(|s| s.text.as_str()),
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
    let plan = Plan::new(&checked.runbook, &checked.graph, mode);
    super::print(&match args.format {
        // Titles and commands from the runbook: shown, not obeyed.
        Format::Text => crate::escape::text(&plan.to_text()).into_owned(),
        Format::Json => plan.to_json(),
        Format::Dot => plan.to_dot(),
        Format::Mermaid => plan.to_mermaid(),
    })?;
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

/// Diagnostics go to stderr; a closed stderr is nothing to report.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
