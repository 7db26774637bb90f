//! `reprise attach`: another terminal on a running drill.

use std::path::PathBuf;

use crate::attach::client::{self, Error, Left, Options};

/// Attach this terminal to a drill that is running: see what is recorded,
/// answer the items of your team, add notes, under your own account (the
/// drill takes it from the operating system). `detach`, Ctrl-D or Ctrl-C
/// leave the drill running. If the drill's process dies, this terminal
/// waits and attaches again by itself once `reprise resume` runs it.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise attach journals/pra-20261206T081500Z.jsonl --as labo --role lab
  reprise attach journals/pra-20261206T081500Z.jsonl --observer --as auditor
  ssh -t crisis-host reprise attach /srv/pra/journals/pra-20261206T081500Z.jsonl

Exit codes: 0 detached or the drill ended, 2 no drill running on that journal.")]
pub struct Args {
    /// The running drill's journal.
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,
    /// The name your records carry (default: your login).
    #[arg(long = "as", value_name = "NAME")]
    name: Option<String>,
    /// Show this role's open items first (repeatable; default: the roles
    /// your account has in the runbook's `roles:`).
    #[arg(long = "role", value_name = "ROLE")]
    roles: Vec<String>,
    /// Only watch: the live view, nothing you type is recorded.
    #[arg(long)]
    read_only: bool,
    /// Watch and record observations (`note TEXT`) as an observer; the
    /// report lists them apart. Nothing else is recorded.
    #[arg(long)]
    observer: bool,
}

pub fn run(args: Args) -> super::Result {
    super::words::speak_journal(&args.journal);
    let opts = Options {
        journal: args.journal.clone(),
        name: args.name,
        roles: args.roles,
        read_only: args.read_only,
        observer: args.observer,
        lang: super::words::spoken(),
    };
    match client::run(&opts) {
        Ok(Left::Detached | Left::Ended) => Ok(crate::exit::SUCCESS),
        Err(Error::NotRunning(e)) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Err(super::Error::said(crate::i18n::msg!(
                "attach-not-allowed",
                journal = args.journal.display(),
                socket = crate::attach::socket_path(&args.journal).display(),
                why = e
            ))
            .hint_said(crate::i18n::msg!("attach-not-allowed-hint")))
        }
        Err(Error::NotRunning(e)) => Err(super::Error::said(crate::i18n::msg!(
            "attach-not-running",
            journal = args.journal.display(),
            socket = crate::attach::socket_path(&args.journal).display(),
            why = e
        ))
        .hint_said(crate::i18n::msg!(
            "attach-not-running-hint",
            journal = args.journal.display()
        ))),
        Err(Error::Refused(e)) => Err(super::Error::said(crate::i18n::msg!(
            "attach-drill-refused",
            why = e
        ))),
    }
}
