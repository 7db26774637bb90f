//! `reprise verify`.

/// Arguments of `reprise verify` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise verify` is not implemented yet",
    ))
}
