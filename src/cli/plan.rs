//! `reprise plan`.

/// Arguments of `reprise plan` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise plan` is not implemented yet",
    ))
}
