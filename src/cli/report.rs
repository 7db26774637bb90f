//! `reprise report`: the exercise report of a journal.

use std::path::PathBuf;

use crate::i18n::Lang;
use crate::journal;
use crate::report::{self, Format, Report, Zone};
use crate::timeline::Timeline;

/// Write the exercise report of a drill from its journal: plan against
/// actual, time to recovery against the RTO, deviations and their reasons,
/// where the time went, observations, and a timeline chart.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise report journals/postgres-failover-20261129T080000Z.jsonl > report.md
  reprise report journals/postgres-failover-20261129T080000Z.jsonl --format html -o report.html
  reprise report drill.jsonl --format json | jq '.recovery.time_to_recovery_seconds'

Times are shown in the local time zone (TZ). A journal whose hash chain is \
broken (edited after it was written) is refused; --force writes the report \
anyway, marked unverified at the top (and `journal.unverified` in JSON). \
`reprise verify` also prints the head and checks signatures. The formats are \
described in docs/report.md.

Exit codes: 0 written, 2 unreadable, damaged or edited journal, or the output file cannot be written.")]
pub struct Args {
    /// The drill's journal (works on a journal still being written or
    /// interrupted, and on a dry run).
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,

    /// Output format: Markdown with a Mermaid chart, one self-contained HTML
    /// page with an SVG chart, or JSON (documented in docs/report.md).
    #[arg(long, value_enum, default_value_t = FormatArg::Md)]
    format: FormatArg,

    /// Write the report to this file instead of standard output (needed
    /// for `--format pdf`).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Language of the exercise dossier's sections: en or fr (default: the
    /// runbook's `lang:`, then LANG).
    #[arg(long, value_name = "LANG")]
    lang: Option<String>,

    /// Write the report of a journal whose hash chain is broken (it was
    /// edited), marked unverified, instead of refusing it.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Markdown.
    Md,
    /// HTML.
    Html,
    /// JSON.
    Json,
    /// PDF, printed from the HTML report by a headless Chromium.
    Pdf,
}

pub fn run(args: Args) -> super::Result {
    // No lock: a report can be made while a drill writes the journal
    // (complete lines chain; a torn last one is left out). Read as a
    // stream, its chain checked as it goes: memory follows the number of
    // steps, not the journal's length (the timeline keeps bounded output
    // tails).
    super::words::speak_journal(&args.journal);
    if let Ok(Some(lang)) = super::lang_arg(args.lang.as_deref()) {
        super::words::speak(lang);
    }
    let mut timeline = Timeline::new();
    let mut dossier = crate::dossier::Dossier::default();
    let streamed = journal::stream_verified(&args.journal, |entry| {
        timeline.apply(&entry.stamped);
        dossier.apply(entry);
    })
    .map_err(|e| {
        let hint = if e.line().is_some() {
            crate::i18n::msg!("report-verify-hint")
        } else {
            crate::i18n::msg!("report-journal-hint")
        };
        super::Error::said(super::verify::journal_said(&e)).hint_said(hint)
    })?;
    let unverified = super::integrity::judge(streamed.chain, &args.journal, args.force, "report")?;
    super::integrity::warn(&unverified);
    let torn = streamed.torn.as_ref().map(|t| t.line);
    let zone = Zone::try_system().unwrap_or_else(|e| {
        super::words::warn(crate::i18n::msg!("no-time-zone", why = e));
        Zone::utc()
    });
    let mut report = Report::build(&timeline, &args.journal.display().to_string(), torn, zone)
        .map_err(|e| {
            super::Error::said(crate::i18n::msg!(
                "report-not-a-drill",
                journal = args.journal.display(),
                why = e
            ))
            .hint_said(crate::i18n::msg!("report-journal-hint"))
        })?;
    drop(timeline);
    report.journal.unverified = unverified;
    dossier.signatures = crate::dossier::Dossier::signatures(&args.journal);
    let lang = super::lang_arg(args.lang.as_deref())?
        .unwrap_or_else(|| Lang::for_runbook(dossier.exercise.lang.as_deref()));
    let report = report.with_dossier(dossier, lang);
    let format = match args.format {
        FormatArg::Md => Format::Markdown,
        FormatArg::Html | FormatArg::Pdf => Format::Html,
        FormatArg::Json => Format::Json,
    };
    let text = report::render(&report, format);
    if args.format == FormatArg::Pdf {
        let Some(path) = &args.output else {
            return Err(
                super::Error::said(crate::i18n::msg!("report-pdf-no-output"))
                    .hint_said(crate::i18n::msg!("report-pdf-no-output-hint")),
            );
        };
        report::pdf::print(&text, path).map_err(|e| {
            super::Error::invalid(e).hint_said(crate::i18n::msg!("report-pdf-hint"))
        })?;
        return Ok(crate::exit::SUCCESS);
    }
    if let Some(line) = torn {
        super::words::warn(crate::i18n::msg!(
            "report-torn",
            journal = args.journal.display(),
            line = line
        ));
    }
    match &args.output {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            super::Error::said(crate::i18n::msg!(
                "cannot-write",
                path = path.display(),
                why = e
            ))
        })?,
        // Markdown read at a terminal gets its symbols (`--ascii`…); HTML
        // and JSON are documents and data, written as they are.
        None if format == Format::Markdown => super::show(&text)?,
        None => super::print(&text)?,
    }
    Ok(crate::exit::SUCCESS)
}
