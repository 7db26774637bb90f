//! `reprise completions`: shell completion scripts generated from the same
//! clap definitions the binary parses, so they cannot fall out of date.

use clap::CommandFactory;

use crate::exit;

/// Arguments of `reprise completions`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Print a shell completion script",
    long_about = "Print a shell completion script on standard output, generated from the \
                  same definitions the binary parses.",
    after_help = "Examples:
  reprise completions bash > ~/.local/share/bash-completion/completions/reprise
  reprise completions zsh > ~/.zfunc/_reprise    # with fpath+=(~/.zfunc) before compinit
  reprise completions fish > ~/.config/fish/completions/reprise.fish"
)]
pub struct Args {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `args.shell` to standard output.
pub fn run(args: Args) -> super::Result {
    let mut command = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "reprise", &mut script);
    super::print(&String::from_utf8_lossy(&script))?;
    Ok(exit::SUCCESS)
}
