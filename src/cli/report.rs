//! `reprise report`.

/// Arguments of `reprise report` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise report` is not implemented yet",
    ))
}
