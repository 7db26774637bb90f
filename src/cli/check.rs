//! `reprise check`.

/// Arguments of `reprise check` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise check` is not implemented yet",
    ))
}
