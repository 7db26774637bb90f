//! Warnings about what a runbook could hide or spoil: control characters in
//! commands (`control-characters`) and secrets whose value would mask
//! ordinary text (`weak-secret`).

use crate::diagnostic::Diagnostic;
use crate::escape;
use crate::redact;
use crate::runbook::{Command, Rollback, Runbook};

/// The warnings of this module, in file order of the steps, then variables.
pub fn warnings(
    runbook: &Runbook,
    has_error: impl Fn(crate::runbook::Span) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for step in runbook.steps.iter().filter(|s| !has_error(s.span)) {
        let commands = step.run.iter().chain(match &step.rollback {
            Some(Rollback::Command(c)) => Some(c),
            _ => None,
        });
        for command in commands {
            let hidden = match &command.value {
                Command::Shell(s) => escape::has_hidden(s),
                Command::Argv(argv) => argv.iter().any(|a| escape::has_hidden(a)),
            };
            if hidden {
                out.push(
                    Diagnostic::warning(
                        "control-characters",
                        format!(
                            "a command of step `{}` holds control characters: `{}`",
                            step.id.value,
                            escape::line(&command.value.to_string())
                        ),
                        Some(command.span),
                    )
                    .with_label("a terminal would obey these characters, not show them")
                    .with_hint(
                        "a carriage return or an escape sequence can hide part of a command \
                         from whoever reviews it; reprise shows them escaped (`\\r`, `\\e`): \
                         read the command as shown here, and remove them",
                    ),
                );
            }
        }
        let envs = step.env.iter().filter(|(_, v)| escape::has_hidden(v));
        for (name, value) in envs {
            out.push(
                Diagnostic::warning(
                    "control-characters",
                    format!(
                        "`env.{name}` of step `{}` holds control characters: `{}`",
                        step.id.value,
                        escape::line(value)
                    ),
                    Some(step.id.span),
                )
                .with_label("in this step's `env`")
                .with_hint("remove them: they can hide text from whoever reviews the runbook"),
            );
        }
    }
    for var in runbook.vars.iter().filter(|v| v.secret) {
        let Some(value) = var.value.as_deref().filter(|v| !v.is_empty()) else {
            continue;
        };
        let short = value.chars().count() < redact::SHORT;
        let in_ids = runbook
            .steps
            .iter()
            .any(|s| s.id.value.as_str().contains(value))
            || runbook
                .phases
                .iter()
                .any(|p| p.id.value.as_str().contains(value));
        if short || in_ids {
            let why = if short {
                format!("is only {} characters long", value.chars().count())
            } else {
                "occurs in a step or phase id".to_string()
            };
            out.push(
                Diagnostic::warning(
                    "weak-secret",
                    format!(
                        "secret `{}` {why}: masking it would also mask ordinary text",
                        var.name.value
                    ),
                    // No place: the line would show the value.
                    None,
                )
                .with_hint(format!(
                    "output, reasons and notes show `***` wherever these characters occur; \
                     use a value of at least {} characters that is not a word of the runbook",
                    redact::SHORT
                )),
            );
        }
    }
    out
}
