//! `reprise report`: the exercise report of a journal.

use std::path::{Path, PathBuf};

use crate::event::Stamped;
use crate::report::{self, Format, Report, Zone};
use crate::timeline::Timeline;

/// Writes the report of a drill from its journal: plan against actual, time
/// to recovery against the RTO, deviations and their reasons, where the time
/// went, observations, and a timeline chart.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The drill's journal (works on a journal still being written or
    /// interrupted, and on a dry run).
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,

    /// Output format: Markdown with a Mermaid chart, one self-contained HTML
    /// page with an SVG chart, or JSON (documented in docs/report.md).
    #[arg(long, value_enum, default_value_t = FormatArg::Md)]
    format: FormatArg,

    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Markdown.
    Md,
    /// HTML.
    Html,
    /// JSON.
    Json,
}

pub fn run(args: Args) -> super::Result {
    let (events, torn) = read_journal(&args.journal)?;
    let timeline = Timeline::from_events(&events);
    let report = Report::build(
        &timeline,
        &args.journal.display().to_string(),
        torn,
        Zone::system(),
    )
    .map_err(|e| {
        super::Error::invalid(format!("{}: {e}", args.journal.display()))
            .hint("give the journal written by `reprise run`")
    })?;
    let format = match args.format {
        FormatArg::Md => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Json => Format::Json,
    };
    let text = report::render(&report, format);
    if let Some(line) = torn {
        eprintln!(
            "warning: {}: the last line ({line}) is incomplete and was left out",
            args.journal.display()
        );
    }
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| super::Error::invalid(format!("cannot write {}: {e}", path.display())))?,
        None => super::print(&text)?,
    }
    Ok(crate::exit::SUCCESS)
}

/// Reads a journal's events: one JSON object per line. A last line that is
/// cut short (the process died while writing it) is dropped and its number
/// returned; any other unreadable line is an error naming it.
///
/// Stands in for the journal module's reader until it lands.
fn read_journal(path: &Path) -> super::Result<(Vec<Stamped>, Option<usize>)> {
    let bytes = std::fs::read(path).map_err(|e| {
        super::Error::invalid(format!("cannot read the journal {}: {e}", path.display()))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let mut events = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        let last = number == lines.len();
        let line = raw.trim_end_matches('\n');
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Stamped>(line) {
            Ok(e) => events.push(e),
            Err(_) if last && !raw.ends_with('\n') => return Ok((events, Some(number))),
            Err(e) => {
                return Err(super::Error::invalid(format!(
                    "{}:{number}: not a journal event: {e}",
                    path.display()
                ))
                .hint("check the journal with `reprise verify`"));
            }
        }
    }
    Ok((events, None))
}
