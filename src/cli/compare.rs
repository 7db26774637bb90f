//! `reprise compare`: drills of one plan side by side.

use std::io::Write;
use std::path::PathBuf;

use crate::compare::{self, Comparison, Format};
use crate::history::{self, Options as LoadOptions};
use crate::i18n::Lang;
use crate::report::Zone;

/// Compare drills of one plan from their journals, oldest first: time to
/// recovery against the RTO and the margin, runbook changes (steps added,
/// removed, changed), each step's actual time per drill with its trend,
/// where the time went, and the deviations, with the steps that deviate in
/// several drills.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise compare journals/
  reprise compare journals/postgres-failover-*.jsonl --format html -o drills.html
  reprise compare journals/ --format json | jq '.drills[].rto_margin_secs'

Journals of another plan than the newest drill's (by the runbook's name) and \
dry runs are left out with a warning. A damaged journal is refused unless \
--force. Times are shown in the local time zone (TZ). The text, Markdown \
and HTML speak the newest drill's language (its runbook's `lang:`, then \
LANG, or --lang): in French, durations read « 4 h 12 min ». docs/history.md \
describes the output.

Exit codes: 0 written, 2 unreadable or damaged journal, no drill, or the \
output file cannot be written.")]
pub struct Args {
    /// Journals of the drills (files, or folders of `*.jsonl` files).
    #[arg(value_name = "JOURNAL|DIR", required = true)]
    journals: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Use a damaged journal up to its damage, and skip a file that is not
    /// a drill's journal, instead of stopping.
    #[arg(long)]
    force: bool,

    /// Language of the text, Markdown and HTML: en or fr (default: the
    /// newest drill's runbook `lang:`, then LANG). JSON is the same in
    /// every language.
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Aligned plain text.
    Text,
    /// Markdown.
    Md,
    /// One self-contained HTML page with SVG charts.
    Html,
    /// JSON.
    Json,
}

pub fn run(args: Args) -> super::Result {
    let chosen = super::lang_arg(args.lang.as_deref())?;
    let mut loaded = history::load(
        &args.journals,
        &LoadOptions {
            name: None,
            force: args.force,
        },
    )
    .map_err(super::forecast::load_error)?;
    // One plan: the newest drill's.
    if let Some(name) = loaded.drills.last().map(|d| d.name.clone()) {
        let (same, other): (Vec<_>, Vec<_>) =
            loaded.drills.into_iter().partition(|d| d.name == name);
        for d in other {
            loaded.warnings.push(format!(
                "{}: skipped: a drill of `{}`, not of `{name}` (the newest drill's plan)",
                d.path.display(),
                d.name
            ));
        }
        loaded.drills = same;
    }
    let mut err = std::io::stderr().lock();
    for w in &loaded.warnings {
        let _ = writeln!(err, "warning: {}", crate::escape::line(w));
    }
    if loaded.drills.is_empty() {
        return Err(
            super::Error::invalid("no drill to compare in the journals given")
                .hint("give journals written by `reprise run` (dry runs measure nothing)"),
        );
    }
    let zone = Zone::try_system().unwrap_or_else(|e| {
        let _ = writeln!(
            err,
            "warning: cannot tell the local time zone ({e}); local times are shown in UTC"
        );
        Zone::utc()
    });
    let mut comparison = Comparison::build(&loaded.drills, &zone, loaded.warnings);
    comparison.words = compare::Words(chosen.unwrap_or_else(|| {
        Lang::for_runbook(loaded.drills.last().and_then(|d| d.lang.as_deref()))
    }));
    let format = match args.format {
        FormatArg::Text => Format::Text,
        FormatArg::Md => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Json => Format::Json,
    };
    let text = compare::render(&comparison, format);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| super::Error::invalid(format!("cannot write {}: {e}", path.display())))?,
        None => super::print(&text)?,
    }
    Ok(crate::exit::SUCCESS)
}
