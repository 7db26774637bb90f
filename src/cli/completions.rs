//! `reprise completions`.

/// Arguments of `reprise completions` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise completions` is not implemented yet",
    ))
}
