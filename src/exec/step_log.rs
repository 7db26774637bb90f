//! A step's log file: what an attempt printed, secrets masked, beside
//! the journal (`<journal>.logs/<step-id>.log`), capped per attempt.

use std::collections::VecDeque;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// How much of an attempt's output its log keeps from the start, in bytes.
pub const LOG_HEAD: u64 = 8 << 20;

/// How much of the end of an attempt's output its log keeps beyond
/// [`LOG_HEAD`], in bytes (held in memory until the attempt ends).
pub const LOG_TAIL: usize = 1 << 20;

/// A step's log file (`<log_dir>/<step-id>.log`, `0600`, one header line
/// per attempt). It is created at an attempt's first line of output, or
/// when the command cannot start: a command that prints nothing leaves no
/// file of its own (its start and end are in the journal), since creating
/// a file per step was most of what a drill of quick commands spent beyond
/// the commands. A log that cannot be written does not stop the drill (the
/// journal is the record); it is said once in the diagnostics.
///
/// Capped: an attempt's log keeps the first [`LOG_HEAD`] bytes of its
/// output and the last [`LOG_TAIL`], and says between them how much was
/// left out, so that a command printing gigabytes cannot fill the disk
/// under the journal.
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
    Open(Box<OpenLog>),
    /// Could not be written: not tried again.
    Off,
}

/// A step log being written.
#[derive(Debug)]
pub(crate) struct OpenLog {
    file: std::fs::File,
    /// Bytes written by this attempt.
    written: u64,
    /// Past [`LOG_HEAD`]: the last lines, and what was left out before them.
    cut: Option<Cut>,
}

/// The end of an attempt's output beyond [`LOG_HEAD`], written when the
/// attempt ends.
#[derive(Debug, Default)]
struct Cut {
    tail: VecDeque<String>,
    tail_bytes: usize,
    left_out_lines: u64,
    left_out_bytes: u64,
}

impl OpenLog {
    fn new(file: std::fs::File) -> Box<OpenLog> {
        Box::new(OpenLog {
            file,
            written: 0,
            cut: None,
        })
    }

    /// Writes a line, or keeps it for the tail once the head is full.
    fn line(&mut self, line: &str) -> std::io::Result<()> {
        let len = line.len() as u64 + 1;
        if self.cut.is_none() && self.written + len <= LOG_HEAD {
            self.written += len;
            // One write per line: the hosts of a remote step append to one log.
            return self.file.write_all(format!("{line}\n").as_bytes());
        }
        let cut = self.cut.get_or_insert_with(|| {
            tracing::warn!(
                "a step's output passed {} MiB: its log keeps the start and the last {} MiB",
                LOG_HEAD >> 20,
                LOG_TAIL >> 20
            );
            Cut::default()
        });
        cut.tail_bytes += line.len() + 1;
        cut.tail.push_back(line.to_string());
        while cut.tail_bytes > LOG_TAIL {
            let Some(old) = cut.tail.pop_front() else {
                break;
            };
            cut.tail_bytes -= old.len() + 1;
            cut.left_out_lines += 1;
            cut.left_out_bytes += old.len() as u64 + 1;
        }
        Ok(())
    }

    /// Writes what was left out and the tail kept, if the head filled up
    /// (also when the attempt's end is never written: the log is dropped).
    fn flush_tail(&mut self) -> std::io::Result<()> {
        let Some(cut) = self.cut.take() else {
            return Ok(());
        };
        let mut text = format!(
            "=== [log capped: {} lines ({} bytes) of output left out here; this log keeps the first {} MiB and the last {} MiB of each attempt]\n",
            cut.left_out_lines,
            cut.left_out_bytes,
            LOG_HEAD >> 20,
            LOG_TAIL >> 20
        );
        for line in cut.tail {
            text.push_str(&line);
            text.push('\n');
        }
        self.file.write_all(text.as_bytes())
    }
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
                let mut log = StepLog::Open(OpenLog::new(f));
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
                    let mut log = StepLog::Open(OpenLog::new(f));
                    log.line(&header);
                    log
                }
                Err(e) => {
                    tracing::warn!("cannot write the step log {}: {e}", path.display());
                    StepLog::Off
                }
            };
        }
        if let StepLog::Open(f) = self
            && let Err(e) = f.line(line)
        {
            // The drill goes on (the journal is the record), but the log is
            // evidence too: say that it is cut short.
            tracing::warn!("a step log could not be written ({e}): it stops here");
            *self = StepLog::Off;
        }
    }

    /// The attempt's last line (how it ended), in a log that exists, after
    /// the tail kept when the log was capped.
    pub(crate) fn end(&mut self, line: &str) {
        if let StepLog::Open(f) = self {
            let written = f
                .flush_tail()
                .and_then(|()| f.file.write_all(format!("{line}\n").as_bytes()));
            if let Err(e) = written {
                tracing::warn!("a step log could not be written ({e}): it stops here");
                *self = StepLog::Off;
            }
        }
    }
}

impl Drop for OpenLog {
    fn drop(&mut self) {
        let _ = self.flush_tail();
    }
}
