//! The hash-chain check of the commands that show a journal (`report`,
//! `status`): a broken chain stops them with exit 2 unless `--force`, and
//! what they show then says that it is unverified.
//!
//! Why refuse rather than warn: a report or a status view is taken as what
//! happened; one made from an edited journal, with exit 0 and a warning
//! lost in a script's log, would carry the edit into the record.

use crate::journal::{self, Journal};

/// The problem of a broken chain that `--force` let through, to be shown
/// with the output (`None`: the chain is intact, or the journal holds no
/// event, which the caller reports in its own words).
pub type Unverified = Option<String>;

/// Checks `journal`'s chain for `command`; `Err` (exit 2) when it is
/// broken and `force` is not given.
pub fn check(journal: &Journal, force: bool, command: &str) -> super::Result<Unverified> {
    judge(journal::verify(journal), &journal.path, force, command)
}

/// [`check`] of a chain already checked (`chain`: what
/// [`journal::verify`] or [`journal::stream_verified`] said of the journal
/// at `path`).
pub fn judge(
    chain: Result<journal::Summary, journal::Error>,
    path: &std::path::Path,
    force: bool,
    command: &str,
) -> super::Result<Unverified> {
    match chain {
        Ok(_) | Err(journal::Error::Empty { .. }) => Ok(None),
        Err(e @ journal::Error::Tampered { .. }) if force => Ok(Some(e.to_string())),
        Err(e @ journal::Error::Tampered { .. }) => Err(super::Error::said(
            crate::i18n::msg!("integrity-broken").sub("error", super::verify::journal_said(&e)),
        )
        .hint_said(crate::i18n::msg!(
            "integrity-broken-hint",
            journal = path.display(),
            command = command
        ))),
        Err(e) => Err(super::verify::error(e)),
    }
}

/// Says on stderr that what follows is unverified, when it is.
pub fn warn(unverified: &Unverified) {
    if let Some(problem) = unverified {
        super::words::warn(crate::i18n::msg!("integrity-unverified", problem = problem));
    }
}
