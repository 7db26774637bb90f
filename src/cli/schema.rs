//! `reprise schema`: the JSON Schema of the runbook format, for editors.

use crate::exit;

/// Arguments of `reprise schema`.
#[derive(Debug, clap::Args)]
#[command(
    about = "Print the JSON Schema of the runbook format",
    long_about = "Print the JSON Schema (draft 2020-12) of the runbook format on standard \
                  output, for editors that complete and check YAML as you type. It is \
                  generated from the parser's own key lists; `reprise check` remains the \
                  authority (cycles, unknown ids and durations are only checked there).",
    after_help = "Examples:
  reprise schema > runbook.schema.json
  # then, as the first line of a runbook (yaml-language-server, e.g. VS Code's YAML extension):
  # yaml-language-server: $schema=./runbook.schema.json"
)]
pub struct Args {}

/// Prints the schema.
pub fn run(_args: Args) -> super::Result {
    super::print(&crate::schema::runbook_schema_text())?;
    Ok(exit::SUCCESS)
}
