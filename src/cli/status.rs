//! `reprise status`.

/// Arguments of `reprise status` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise status` is not implemented yet",
    ))
}
