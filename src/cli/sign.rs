//! `reprise sign`: signs a journal's head with an SSH key.

use std::path::PathBuf;

use crate::dossier::{os_account, signoff};
use crate::journal;

/// Sign the drill's record off: sign the journal's head (the hash of its
/// last line, which covers every line before it) with an SSH key, through
/// `ssh-keygen -Y sign` (namespace `reprise`). The signature is appended to
/// `JOURNAL.signatures`; the report shows it and `reprise verify
/// --allowed-signers FILE` checks it.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise sign drill.jsonl --role \"plan owner\"
  reprise sign drill.jsonl --key ~/.ssh/id_ed25519 --role RSSI
  reprise verify drill.jsonl --allowed-signers signers

The allowed-signers file is OpenSSH's (ssh-keygen(1), ALLOWED SIGNERS): one \
line `alice@hopital.example ssh-ed25519 AAAA…` per person. The signed text is \
documented in docs/journal.md, so a signature can be checked by hand.

Exit codes: 0 signed, 2 damaged journal, no key, or ssh-keygen refused.")]
pub struct Args {
    /// The drill's journal.
    #[arg(value_name = "JOURNAL")]
    journal: PathBuf,
    /// The key: a private key file, or a public key whose private half is
    /// in ssh-agent (default: ~/.ssh/id_ed25519, id_ecdsa, then id_rsa).
    #[arg(long, value_name = "PATH")]
    key: Option<PathBuf>,
    /// In what capacity you sign ("plan owner", "RSSI", "directeur").
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
}

pub fn run(args: Args) -> super::Result {
    super::words::speak_journal(&args.journal);
    let journal = journal::read(&args.journal).map_err(super::verify::error)?;
    journal::verify(&journal).map_err(super::verify::error)?;
    if journal.torn.is_some() {
        return Err(super::Error::said(crate::i18n::msg!(
            "sign-torn",
            journal = args.journal.display()
        ))
        .hint_said(crate::i18n::msg!("sign-torn-hint")));
    }
    let key = match args.key {
        Some(k) => k,
        None => default_key().ok_or_else(|| {
            super::Error::said(crate::i18n::msg!("sign-no-key"))
                .hint_said(crate::i18n::msg!("sign-no-key-hint"))
        })?,
    };
    let sig = signoff::sign(&journal, &key, os_account(), args.role)
        .map_err(|e| super::Error::invalid(e).hint_said(crate::i18n::msg!("sign-failed-hint")))?;
    super::print(&format!(
        "signed {} events of {} (head {}) with {}\nsignature appended to {}\n",
        sig.events,
        args.journal.display(),
        sig.head,
        sig.key,
        signoff::path_for(&args.journal).display()
    ))?;
    Ok(crate::exit::SUCCESS)
}

fn default_key() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let dir = PathBuf::from(home).join(".ssh");
    ["id_ed25519", "id_ecdsa", "id_rsa"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}
