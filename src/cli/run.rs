//! `reprise run`.

/// Arguments of `reprise run` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _verbose: &u8, _log_file: Option<&std::path::Path>) -> super::Result {
    Err(super::Error::invalid(
        "`reprise run` is not implemented yet",
    ))
}
