//! The one error type of the journal: every variant names the file, and the
//! line when one is at fault.

use std::path::{Path, PathBuf};

use super::Holder;

/// What went wrong with a journal, where, and (in the message) what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be created, opened, read, written or synced.
    #[error("cannot {action} journal {}: {source}", path.display())]
    Io {
        /// The journal.
        path: PathBuf,
        /// What was being done (`create`, `read`, `write to`, `sync`…).
        action: &'static str,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// `Writer::create` refuses to overwrite a journal.
    #[error(
        "journal {} already exists: continue that drill with `reprise resume {}` or choose another `--journal`",
        path.display(),
        path.display()
    )]
    Exists {
        /// The journal.
        path: PathBuf,
    },
    /// Another process holds the journal's lock.
    #[error("journal {} is in use by {}", path.display(), holder_text(holder.as_ref()))]
    Locked {
        /// The journal.
        path: PathBuf,
        /// Who holds it, when its lock file could be read.
        holder: Option<Holder>,
    },
    /// A line cannot be read as a journal event.
    #[error("{}:{line}: {problem}", path.display())]
    Damaged {
        /// The journal.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The hash chain or the sequence is broken: a line was altered,
    /// removed, inserted, swapped or forged.
    #[error("{}:{line}: {problem}", path.display())]
    Tampered {
        /// The journal.
        path: PathBuf,
        /// 1-based number of the first bad line.
        line: usize,
        /// What the chain shows.
        problem: String,
    },
    /// The journal holds no complete event.
    #[error("journal {} holds no event: the drill stopped before it started", path.display())]
    Empty {
        /// The journal.
        path: PathBuf,
    },
    /// An earlier write failed: the writer refuses to go on, since the file
    /// may end with a partial line.
    #[error("journal {} is unusable after an earlier write error", path.display())]
    Poisoned {
        /// The journal.
        path: PathBuf,
    },
}

fn holder_text(holder: Option<&Holder>) -> String {
    match holder {
        Some(h) => h.to_string(),
        None => "another process".to_string(),
    }
}

impl Error {
    /// The journal the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Error::Io { path, .. }
            | Error::Exists { path }
            | Error::Locked { path, .. }
            | Error::Damaged { path, .. }
            | Error::Tampered { path, .. }
            | Error::Empty { path }
            | Error::Poisoned { path } => path,
        }
    }

    /// The 1-based line at fault, if one is.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Damaged { line, .. } | Error::Tampered { line, .. } => Some(*line),
            _ => None,
        }
    }

    pub(crate) fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }
}

impl From<Error> for std::io::Error {
    /// The exec driver's sinks speak `io::Error`; keep the journal's message.
    fn from(e: Error) -> Self {
        let kind = match &e {
            Error::Io { source, .. } => source.kind(),
            _ => std::io::ErrorKind::Other,
        };
        std::io::Error::new(kind, e.to_string())
    }
}
