//! Load a runbook, validate it, and print its diagnostics, as `reprise check`
//! does: rustc-style text on stderr, then the same diagnostics as JSON.
//!
//! ```text
//! cargo run --example check -- runbooks/demo.yaml
//! cargo run --example check -- tests/invalid/many-errors.yaml
//! ```
//!
//! Exits 0 when the runbook has no error (warnings allowed), 2 otherwise,
//! like the binary.

use std::path::PathBuf;
use std::process::ExitCode;

use reprise::diagnostic::{self, Diagnostic};
use reprise::exit;
use reprise::validate;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --example check -- RUNBOOK.yaml");
        return exit::code(exit::INVALID);
    };
    let shown = path.display().to_string();

    // `load` is the one way into a runbook: read, parse YAML, lower into the
    // typed model, build the dependency graph, add warnings. It returns every
    // problem of the file at once, not only the first.
    let (diagnostics, source, valid) = match validate::load(&path) {
        Ok(checked) => {
            println!(
                "{shown}: valid, {} steps in {} phases",
                checked.runbook.steps.len(),
                checked.runbook.phases.len()
            );
            (checked.diagnostics, Some(checked.source.text), true)
        }
        Err(rejected) => (rejected.diagnostics, rejected.source.map(|s| s.text), false),
    };

    // Text for people: path:line:column, the source line, a caret under the
    // exact value, a hint.
    eprint!(
        "{}",
        diagnostic::render(&diagnostics, &shown, source.as_deref(), false)
    );

    // JSON for editors and CI: one object per diagnostic.
    let json = diagnostic::to_json(&diagnostics, &shown, source.as_deref());
    match serde_json::to_string_pretty(&json) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("cannot write JSON: {e}"),
    }

    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    println!("{errors} error(s), {warnings} warning(s)");
    debug_assert_eq!(valid, !diagnostics.iter().any(Diagnostic::is_error));
    exit::code(if valid { exit::SUCCESS } else { exit::INVALID })
}
