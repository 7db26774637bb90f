//! `reprise verify`: checks a journal's hash chain and sequence.

use std::path::{Path, PathBuf};

use crate::dossier::{actions, signoff};

use crate::exit;
use crate::i18n::Msg;
use crate::i18n::msg;
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
    super::words::speak_journal(&args.journal);
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
        super::words::warn(
            msg!("torn-ignored", journal = args.journal.display()).sub("torn", torn_said(torn)),
        );
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
        return Err(super::Error::said(msg!(
            "verify-not-signed",
            journal = journal.display(),
            signatures = signoff::path_for(journal).display()
        ))
        .hint_said(msg!("verify-not-signed-hint")));
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
                return Err(super::Error::said(msg!(
                    "verify-wrong-head",
                    n = n,
                    line = sig.events
                ))
                .hint_said(msg!("verify-wrong-head-hint")));
            }
            signoff::Check::UnknownKey => {
                return Err(super::Error::said(msg!(
                    "verify-unknown-key",
                    n = n,
                    allowed = allowed.display(),
                    key = &sig.key
                ))
                .hint_said(msg!("verify-unknown-key-hint")));
            }
            signoff::Check::Bad { message } => {
                return Err(
                    super::Error::said(msg!("verify-bad-signature", n = n, why = message))
                        .hint_said(msg!("verify-bad-signature-hint")),
                );
            }
        }
    }
    Ok(())
}

/// Checks an actions file's chain.
fn verify_actions(path: &Path) -> super::Result {
    let bytes = std::fs::read(path)
        .map_err(|e| super::Error::said(msg!("cannot-read", path = path.display(), why = e)))?;
    let (closed, head) = actions::parse(path, &bytes)
        .map_err(|e| super::Error::invalid(e).hint_said(msg!("actions-file-changed-hint")))?;
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
        journal::Error::Tampered { .. } => Some(msg!("journal-tampered-hint")),
        journal::Error::Damaged { .. } => Some(msg!("journal-damaged-hint")),
        journal::Error::Empty { .. } => Some(msg!("journal-empty-hint")),
        journal::Error::Locked { .. } => Some(msg!("journal-locked-hint")),
        _ => None,
    };
    let err = super::Error::said(journal_said(&e));
    match hint {
        Some(h) => err.hint_said(h),
        None => err,
    }
}

/// A torn last line as reprise's own words.
pub(crate) fn torn_said(torn: &journal::Torn) -> Msg {
    let id = if torn.terminated {
        "torn-unreadable"
    } else {
        "torn-incomplete"
    };
    Msg::new(id).arg("line", torn.line).arg("bytes", torn.bytes)
}

/// A journal error as reprise's own words, said in the command's language;
/// its English is the error's `Display`. What the chain or a line shows
/// (`problem`) and the OS's reason stay as they were written.
pub(crate) fn journal_said(e: &journal::Error) -> Msg {
    use journal::Error as E;
    match e {
        E::Io {
            path,
            action,
            source,
        } => msg!(
            "journal-io",
            action = action,
            // A Fluent variant key: no spaces.
            act = action.replace(' ', "-"),
            journal = path.display(),
            why = source
        ),
        E::Exists { path } => msg!("journal-exists", journal = path.display()),
        E::Locked { path, holder } => {
            let by = match holder {
                Some(h) if h.is_gone() => msg!(
                    "journal-holder-gone",
                    pid = h.pid,
                    host = &h.host,
                    since = h.since.strftime("%Y-%m-%dT%H:%M:%SZ")
                ),
                Some(h) => msg!(
                    "journal-holder",
                    pid = h.pid,
                    host = &h.host,
                    since = h.since.strftime("%Y-%m-%dT%H:%M:%SZ")
                ),
                None => msg!("journal-holder-unknown"),
            };
            msg!("journal-locked", journal = path.display()).sub("holder", by)
        }
        E::Damaged {
            path,
            line,
            problem,
        }
        | E::Tampered {
            path,
            line,
            problem,
        } => msg!(
            "journal-bad-line",
            at = format_args!("{}:{line}", path.display()),
            problem = problem
        ),
        E::Empty { path } => msg!("journal-empty", journal = path.display()),
        E::Poisoned { path } => msg!("journal-poisoned", journal = path.display()),
    }
}
