//! `reprise resume`.

/// Arguments of `reprise resume` (not implemented yet).
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args, _verbose: &u8, _log_file: Option<&std::path::Path>) -> super::Result {
    Err(super::Error::invalid(
        "`reprise resume` is not implemented yet",
    ))
}
