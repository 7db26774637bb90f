//! What a running command produces, below the layers that run it: its
//! lines and its end as reported to the driver ([`Report`]), the limits on
//! what is kept of its output, its log file ([`StepLog`]), and the words
//! for how it ended. [`process`](super::process) starts commands,
//! [`watch`](super::watch) reads them, [`remote`](super::remote) fans them
//! out over hosts: all three use these.

use std::sync::Arc;

use nix::sys::signal::Signal;

use super::Exit;
use crate::runbook::StepIndex;

/// How many lines of output are kept for `output_tail`.
pub const TAIL_LINES: usize = 20;

/// The longest line of output kept, in bytes. The rest of a longer line
/// (binary data printed by mistake) is dropped, and said so: a line is
/// otherwise held whole in memory, several times over, and kept whole in
/// the journal's `output_tail`.
pub const MAX_LINE: usize = 64 * 1024;

/// What the [`Watch`](super::watch::Watch) reports of an attempt to the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A line of output, secrets masked.
    Line {
        /// The step.
        step: StepIndex,
        /// The line, without its newline.
        line: String,
    },
    /// The attempt ended; everything it started is gone and reaped.
    Exited(Exit),
    /// One host of a remote step is done (its `Exited` follows when every
    /// host is); see [`remote`](super::remote).
    HostExited {
        /// The host's name in the runbook.
        host: String,
        /// How the command ended there.
        exit: Exit,
    },
}

/// Where reports go (the driver's channel).
pub type Notify = Arc<dyn Fn(Report) + Send + Sync>;

pub(crate) use super::step_log::StepLog;

/// `SIGTERM` for 15.
pub fn signal_name(signal: i32) -> String {
    Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

/// One line saying how an attempt ended, for logs and the terminal.
pub fn describe(exit: &Exit) -> String {
    let mut s = match (
        &exit.ending.error,
        exit.ending.exit_code,
        &exit.ending.signal,
    ) {
        (Some(e), _, _) => format!("could not run: {e}"),
        (None, Some(code), _) => format!("exit code {code}"),
        (None, None, Some(sig)) => format!("killed by {sig}"),
        (None, None, None) => "ended".into(),
    };
    if exit.ending.timed_out {
        s.push_str(" (timed out)");
    }
    s
}
