//! `reprise schema`.

/// Arguments of `reprise schema` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> super::Result {
    Err(super::Error::invalid(
        "`reprise schema` is not implemented yet",
    ))
}
