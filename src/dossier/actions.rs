//! Corrective actions across drills, and the file that records their
//! closing.
//!
//! Actions are recorded in each drill's journal (`action_recorded`); a
//! journal is never rewritten, so closing one is recorded in a separate
//! append-only, hash-chained file beside the journals, `actions.jsonl`,
//! whose lines have the journal's framing (`seq`, `time`, `event`, …,
//! `prev`) and one kind, `action_closed` (docs/journal.md).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::journal::line_hash;

/// The file name of the closings file in a folder of journals.
pub const FILE_NAME: &str = "actions.jsonl";

/// A line of the actions file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closed {
    /// 0, 1, 2… with no gap.
    pub seq: u64,
    /// When it was closed.
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    pub time: Timestamp,
    /// Always `action_closed`.
    pub event: String,
    /// The action's id.
    pub action: String,
    /// Why it is closed (what was done).
    pub reason: String,
    /// Who closed it (the Unix account).
    pub by: String,
    /// Hex SHA-256 of the previous line, zeros on the first.
    pub prev: String,
}

/// Why the actions file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line is not a closing, or the chain is broken.
    #[error("{path}:{line}: {message}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The closings of an actions file, chain checked: action id → closing.
pub fn read(path: &Path) -> Result<BTreeMap<String, Closed>, Error> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => {
            return Err(Error::Io {
                path: path.into(),
                source,
            });
        }
    };
    let (closed, _) = parse(path, &bytes)?;
    Ok(closed.into_iter().map(|c| (c.action.clone(), c)).collect())
}

/// Checks the chain and returns the closings and the head hash.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<(Vec<Closed>, String), Error> {
    let damaged = |line: usize, message: String| Error::Damaged {
        path: path.into(),
        line,
        message,
    };
    let mut prev = "0".repeat(64);
    let mut out = Vec::new();
    for (i, raw) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        if !raw.ends_with(b"\n") {
            return Err(damaged(line, "the last line is incomplete".into()));
        }
        let c: Closed = serde_json::from_slice(raw)
            .map_err(|e| damaged(line, format!("not an `action_closed` record: {e}")))?;
        if c.event != "action_closed" {
            return Err(damaged(line, format!("unknown record `{}`", c.event)));
        }
        if c.seq != i as u64 {
            return Err(damaged(line, format!("seq is {}, expected {i}", c.seq)));
        }
        if c.prev != prev {
            return Err(damaged(
                line,
                format!(
                    "its prev does not match line {}: that line (or this one) was altered",
                    line - 1
                ),
            ));
        }
        prev = line_hash(raw);
        out.push(c);
    }
    Ok((out, prev))
}

/// Appends a closing to the actions file (created 0600 when absent).
pub fn close(path: &Path, action: &str, reason: &str, by: &str) -> Result<Closed, Error> {
    use std::os::unix::fs::OpenOptionsExt;
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)
        .map_err(io)?;
    // One closer at a time: the chain needs the last line.
    file.lock().map_err(io)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(io)?;
    let (closed, prev) = parse(path, &bytes)?;
    let c = Closed {
        seq: closed.len() as u64,
        time: Timestamp::now(),
        event: "action_closed".into(),
        action: action.into(),
        reason: reason.into(),
        by: by.into(),
        prev,
    };
    let mut line = serde_json::to_string(&c).expect("a closing serializes");
    line.push('\n');
    file.write_all(line.as_bytes()).map_err(io)?;
    file.sync_data().map_err(io)?;
    Ok(c)
}
