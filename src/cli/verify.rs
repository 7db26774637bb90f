//! `reprise verify`: checks a journal's hash chain and sequence.

use std::path::{Path, PathBuf};

use crate::dossier::{actions, signoff};

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
    /// The journal to check (or an `actions.jsonl` closings file).
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,

    /// Check the journal's signatures (`reprise sign`) against this
    /// OpenSSH allowed-signers file, and say who signed.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
}

pub fn run(args: Args) -> super::Result {
    if args
        .journal
        .file_name()
        .is_some_and(|n| n == actions::FILE_NAME)
    {
        return verify_actions(&args.journal);
    }
    // Read as a stream, the chain checked as it goes: memory bounded by a
    // line whatever the journal's length (signatures, when checked, read
    // it whole).
    let summary = journal::stream_verified(&args.journal, |_| {})
        .map_err(error)?
        .chain
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
    signatures(&args.journal, args.allowed_signers.as_deref())?;
    let beside = args.journal.parent().map_or_else(
        || PathBuf::from(actions::FILE_NAME),
        |d| d.join(actions::FILE_NAME),
    );
    if beside.is_file() {
        verify_actions(&beside)?;
    }
    Ok(exit::SUCCESS)
}

/// Checks and names each signature; without an allowed-signers file, only
/// counts them.
fn signatures(path: &Path, allowed: Option<&Path>) -> super::Result<()> {
    let sigs = signoff::read(path).map_err(super::Error::invalid)?;
    let Some(allowed) = allowed else {
        if !sigs.is_empty() {
            super::print(&format!(
                "{} signature{} not checked: give --allowed-signers FILE\n",
                sigs.len(),
                if sigs.len() == 1 { "" } else { "s" }
            ))?;
        }
        return Ok(());
    };
    if sigs.is_empty() {
        let journal = path;
        return Err(super::Error::invalid(format!(
            "{} is not signed: no {}",
            journal.display(),
            signoff::path_for(journal).display()
        ))
        .hint("sign it with `reprise sign JOURNAL`"));
    }
    let journal = journal::read(path).map_err(error)?;
    for (i, sig) in sigs.iter().enumerate() {
        let n = i + 1;
        let role = sig
            .role
            .as_ref()
            .map_or(String::new(), |r| format!(" as {r}"));
        let check = signoff::verify(&journal, sig, allowed).map_err(super::Error::invalid)?;
        match check {
            signoff::Check::Good { principal } => super::print(&format!(
                "signature {n}: good, by {principal}{role} ({}), {} on events 1–{}{}\n",
                sig.key,
                sig.signed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                sig.events,
                match journal.entries.len() - sig.events {
                    0 => String::new(),
                    k => format!(" ({k} later debrief records not covered)"),
                }
            ))?,
            signoff::Check::WrongHead => {
                return Err(super::Error::invalid(format!(
                    "signature {n} does not match this journal: line {} is not the line that was signed",
                    sig.events
                ))
                .hint("the journal was changed after it was signed, or the signature is of another journal"));
            }
            signoff::Check::UnknownKey => {
                return Err(super::Error::invalid(format!(
                    "signature {n} was made with a key that is not in {} ({})",
                    allowed.display(),
                    sig.key
                ))
                .hint("add the signer's public key to the allowed-signers file if you trust it"));
            }
            signoff::Check::Bad { message } => {
                return Err(super::Error::invalid(format!(
                    "signature {n} is not valid: {message}"
                ))
                .hint("the signature or the journal was altered; keep both as evidence"));
            }
        }
    }
    Ok(())
}

/// Checks an actions file's chain.
fn verify_actions(path: &Path) -> super::Result {
    let bytes = std::fs::read(path)
        .map_err(|e| super::Error::invalid(format!("cannot read {}: {e}", path.display())))?;
    let (closed, head) = actions::parse(path, &bytes).map_err(|e| {
        super::Error::invalid(e).hint("the actions file was changed after it was written")
    })?;
    super::print(&format!(
        "actions file intact: {} closing{} ({})\nhead: {head}\n",
        closed.len(),
        if closed.len() == 1 { "" } else { "s" },
        path.display()
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
