//! What a running command produces, below the layers that run it: its
//! lines and its end as reported to the driver ([`Report`]), the limits on
//! what is kept of its output, its log file ([`StepLog`]), and the words
//! for how it ended. [`process`](super::process) starts commands,
//! [`watch`](super::watch) reads them, [`remote`](super::remote) fans them
//! out over hosts: all three use these.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
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

/// A step's log file (`<log_dir>/<step-id>.log`, `0600`, one header line
/// per attempt). It is created at an attempt's first line of output, or
/// when the command cannot start: a command that prints nothing leaves no
/// file of its own (its start and end are in the journal), since creating
/// a file per step was most of what a drill of quick commands spent beyond
/// the commands. A log that cannot be written does not stop the drill (the
/// journal is the record); it is said once in the diagnostics.
#[derive(Debug)]
pub(crate) enum StepLog {
    /// Not created yet: the header waits for the first line.
    Pending {
        /// The file to create.
        path: PathBuf,
        /// The attempt's header line.
        header: String,
    },
    /// Open for appending.
    Open(std::fs::File),
    /// Could not be written: not tried again.
    Off,
}

/// Opens a step log for appending (`create`: creating it, owner-only),
/// never through a symbolic link (`O_NOFOLLOW`) and never a file with other
/// names (a hard link): a `drill.logs/step.log` made in advance to point at
/// another file would otherwise get the step's output appended to it.
fn open_log(path: &std::path::Path, create: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::MetadataExt;
    let f = std::fs::OpenOptions::new()
        .create(create)
        .append(true)
        .mode(0o600)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() || meta.nlink() > 1 {
        return Err(std::io::Error::other(
            "not a regular file of its own (a link made in advance?): not written to",
        ));
    }
    Ok(f)
}

impl StepLog {
    /// The log of an attempt starting now. A log that earlier attempts
    /// created gets the header at once, so that it lists every attempt.
    pub(crate) fn new(path: PathBuf, header: String) -> StepLog {
        match open_log(&path, false) {
            Ok(f) => {
                let mut log = StepLog::Open(f);
                log.line(&header);
                log
            }
            Err(_) => StepLog::Pending { path, header },
        }
    }

    /// Appends a line, creating the file first if needed.
    pub(crate) fn line(&mut self, line: &str) {
        if let StepLog::Pending { path, header } = self {
            *self = match open_log(path, true) {
                Ok(f) => {
                    let header = std::mem::take(header);
                    let mut log = StepLog::Open(f);
                    log.line(&header);
                    log
                }
                Err(e) => {
                    tracing::warn!("cannot write the step log {}: {e}", path.display());
                    StepLog::Off
                }
            };
        }
        // One write per line: the hosts of a remote step append to one log.
        if let StepLog::Open(f) = self
            && let Err(e) = f.write_all(format!("{line}\n").as_bytes())
        {
            // The drill goes on (the journal is the record), but the log is
            // evidence too: say that it is cut short.
            tracing::warn!("a step log could not be written ({e}): it stops here");
            *self = StepLog::Off;
        }
    }

    /// The attempt's last line (how it ended), in a log that exists.
    pub(crate) fn end(&mut self, line: &str) {
        if matches!(self, StepLog::Open(_)) {
            self.line(line);
        }
    }
}

/// `SIGTERM` for 15.
pub fn signal_name(signal: i32) -> String {
    Signal::try_from(signal)
        .map(|s| s.as_str().to_string())
        .unwrap_or_else(|_| format!("signal {signal}"))
}

/// One line saying how an attempt ended, for logs and the terminal.
pub fn describe(exit: &Exit) -> String {
    let mut s = match (&exit.error, exit.exit_code, &exit.signal) {
        (Some(e), _, _) => format!("could not run: {e}"),
        (None, Some(code), _) => format!("exit code {code}"),
        (None, None, Some(sig)) => format!("killed by {sig}"),
        (None, None, None) => "ended".into(),
    };
    if exit.timed_out {
        s.push_str(" (timed out)");
    }
    s
}
