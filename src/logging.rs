//! Diagnostics: `tracing` events on stderr and, with `--log-file`, as JSON
//! lines in a file.
//!
//! These are reprise's own diagnostics (what it decided and why, what
//! failed inside it), not the drill's record: that is the journal. The
//! console shows warnings by default (`-v` debug, `-vv` trace; `RUST_LOG`
//! overrides). While the live view draws its bars, console lines are
//! printed through its `MultiProgress` (see [`route_through`]) so they land
//! above the bars instead of tearing them.
//!
//! The file is written synchronously, one line per event: a diagnostic
//! written just before a crash is the one that matters, so none is dropped
//! or left in a buffer.

use std::fs::OpenOptions;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use indicatif::MultiProgress;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Where console lines go while the live view is drawn.
static BARS: Mutex<Option<MultiProgress>> = Mutex::new(None);

/// The log file could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("cannot open log file `{}`: {source}", path.display())]
pub struct Error {
    /// The file given with `--log-file`.
    pub path: PathBuf,
    /// Why.
    pub source: io::Error,
}

/// Installs the global subscriber: console on stderr at the level given by
/// `verbose` (0: warn, 1: debug, 2+: trace) unless `RUST_LOG` is set, and,
/// with `log_file`, JSON lines appended to that file (at least debug).
/// Calling it again is harmless: the first subscriber stays.
pub fn init(verbose: u8, log_file: Option<&Path>) -> Result<(), Error> {
    let env = std::env::var("RUST_LOG")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let filter = |default: &str| match &env {
        Some(spec) => EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new(default)),
        None => EnvFilter::new(default),
    };
    let console_level = match verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    let console = tracing_subscriber::fmt::layer()
        .with_writer(Console)
        .with_ansi(color_stderr())
        .without_time()
        .with_target(verbose > 0)
        .with_filter(filter(console_level));
    let file = match log_file {
        Some(path) => {
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|source| Error {
                    path: path.to_path_buf(),
                    source,
                })?;
            let file_level = if verbose >= 2 { "trace" } else { "debug" };
            Some(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(Mutex::new(f))
                    .with_ansi(false)
                    .with_filter(filter(file_level)),
            )
        }
        None => None,
    };
    let _ = tracing_subscriber::registry()
        .with(console)
        .with(file)
        .try_init();
    Ok(())
}

/// Prints console lines through `bars` (above the live view) until called
/// again with `None`, when the view is gone.
pub fn route_through(bars: Option<MultiProgress>) {
    *BARS.lock().unwrap_or_else(|e| e.into_inner()) = bars;
}

/// True when stderr is a terminal and `NO_COLOR` is not set (to a
/// non-empty value): escape codes are then welcome.
pub fn color_stderr() -> bool {
    io::stderr().is_terminal() && !no_color()
}

/// `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The console writer: one buffer per event, written whole when dropped.
struct Console;

impl<'a> MakeWriter<'a> for Console {
    type Writer = ConsoleLine;
    fn make_writer(&'a self) -> ConsoleLine {
        ConsoleLine(Vec::new())
    }
}

/// One formatted event on its way to stderr.
struct ConsoleLine(Vec<u8>);

impl Write for ConsoleLine {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for ConsoleLine {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(&self.0);
        let bars = BARS.lock().unwrap_or_else(|e| e.into_inner()).clone();
        match bars {
            Some(bars) if !bars.is_hidden() => {
                let _ = bars.println(text.trim_end_matches('\n'));
            }
            // Behind what the drill's view queued, never blocking it.
            _ if crate::outbox::started() => {
                crate::outbox::print(text.as_bytes());
            }
            _ => {
                let _ = io::stderr().lock().write_all(text.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unwritable_log_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-dir").join("log.json");
        let err = init(0, Some(&path)).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("cannot open log file `"), "{text}");
        assert!(text.contains("no-such-dir"), "{text}");
    }
}
