//! `reprise verify`: checks a journal's hash chain and sequence.

use std::path::PathBuf;

use crate::exit;
use crate::journal;

/// Check that a journal is intact: every line as written, none removed,
/// inserted or reordered.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise verify journals/postgres-failover-20261129T080000Z.jsonl

Prints the number of events, the drill's result and the head (the hash of \
the last line): keep the head in the incident ticket to detect a later \
rewrite of the journal's end. The format and how to check it by hand with \
sha256sum are in docs/journal.md.

Exit codes: 0 intact, 2 altered, damaged or unreadable (the first bad line is \
named).")]
pub struct Args {
    /// The journal to check.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
}

pub fn run(args: Args) -> super::Result {
    let summary = journal::read(&args.journal)
        .and_then(|j| journal::verify(&j))
        .map_err(error)?;
    if let Some(torn) = &summary.torn {
        eprintln!("warning: {}: {torn}; it is ignored", args.journal.display());
    }
    let result = match summary.result {
        Some(r) => format!("result {r}"),
        None => "unfinished: no run_finished".to_string(),
    };
    let resumed = match summary.resumed {
        0 => String::new(),
        1 => ", resumed once".to_string(),
        n => format!(", resumed {n} times"),
    };
    super::print(&format!(
        "journal intact: {} events, run \"{}\" ({}{}), started {}{resumed} ({result})\nhead: {}\n",
        summary.events,
        crate::escape::line(&summary.name),
        summary.mode,
        if summary.dry_run { ", dry run" } else { "" },
        summary.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        summary.head,
    ))?;
    Ok(exit::SUCCESS)
}

/// Maps a journal error to exit 2 with a hint on what to do.
pub(super) fn error(e: journal::Error) -> super::Error {
    let hint = match &e {
        journal::Error::Tampered { .. } => Some(
            "the journal was changed after it was written; keep this file as evidence and compare it with any copy",
        ),
        journal::Error::Damaged { .. } => {
            Some("only the last line can be incomplete after a crash; this damage is elsewhere")
        }
        journal::Error::Empty { .. } => Some(
            "nothing was recorded: remove the file and start the drill again with `reprise run`",
        ),
        journal::Error::Locked { .. } => Some(
            "one drill per journal: wait for that process to end, or follow it with `reprise status --follow`",
        ),
        _ => None,
    };
    let err = super::Error::invalid(e);
    match hint {
        Some(h) => err.hint(h),
        None => err,
    }
}
