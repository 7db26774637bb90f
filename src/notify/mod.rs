//! Alerts: tell people when they are needed, even when nobody watches a
//! terminal.
//!
//! The runbook's `notify:` targets (and `--notify`) map drill events to
//! commands — `curl` to a chat webhook, `sendmail`, an SMS gateway's CLI,
//! `wall` — that get the alert as environment variables and as JSON on
//! their standard input. [`rules`] decides, as a pure function of the
//! events seen and the time, what to say and when; [`sender`] runs the
//! commands on a thread of its own, outside the drill's job slots, with a
//! timeout and retries, and sends each attempt's outcome back to the
//! engine, which records it (`notification_sent`, `notification_failed`).
//! A target that fails never affects the drill.

pub mod rules;
pub mod sender;

use crate::runbook::Command;
pub use crate::runbook::alert::{Kind, Ratio, Target};

/// Reads `--notify EVENTS=COMMAND` (events comma-separated, the command run
/// with `sh -c`).
pub fn from_flag(flag: &str, n: usize) -> Result<Target, String> {
    let Some((events, command)) = flag.split_once('=') else {
        return Err(format!(
            "`--notify {flag}`: write EVENTS=COMMAND, e.g. `--notify step_waiting,step_failed='wall'`"
        ));
    };
    let mut on = Vec::new();
    for e in events.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        on.push(Kind::parse(e).ok_or_else(|| {
            format!(
                "`{e}` is not an event to notify: {}",
                Kind::NAMED.map(|(n, _)| n).join(", ")
            )
        })?);
    }
    if on.is_empty() || command.trim().is_empty() {
        return Err(format!(
            "`--notify {flag}`: name at least one event and a command"
        ));
    }
    Ok(Target::new(
        format!("notify-{n}"),
        on,
        Command::Shell(command.to_string()),
    ))
}
