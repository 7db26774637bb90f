//! Writing a drill's journal.
//!
//! Durability contract with the exec driver: every event of a batch goes to
//! [`Writer::event`] (one `write` per line, newline included, so a crash
//! leaves at most one torn line), then [`Sink::flush`] syncs the file once
//! (`sync_data`) before the driver acts on the batch.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::lock::Lock;
use super::{Error, Journal, line_hash};
use crate::event::{Event, Stamped};
use crate::exec::Sink;
use crate::redact::Redactor;

/// Appends events to a journal, holding its lock.
#[derive(Debug)]
pub struct Writer {
    path: PathBuf,
    file: File,
    seq: u64,
    prev: String,
    redactor: Redactor,
    // Something was written since the last sync.
    dirty: bool,
    // A write failed: the file may end with a partial line.
    poisoned: bool,
    // A sync succeeded with events in it: something of this run is on
    // disk (and, by the driver's durability rule, a command may have run).
    synced: bool,
    // Dropped after `file`'s last use; the kernel lock goes with `file`.
    _lock: Lock,
}

/// A line as written: the journal's fields around the event.
#[derive(Serialize)]
struct Line<'a> {
    seq: u64,
    #[serde(flatten)]
    stamped: &'a Stamped,
    prev: &'a str,
}

impl Writer {
    /// Creates a new journal at `path` (readable by the owner only), its
    /// folder if needed, and locks it. Refuses an existing file.
    pub fn create(path: &Path, redactor: Redactor) -> Result<Writer, Error> {
        let dir = parent(path);
        if !dir.as_os_str().is_empty() && !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| Error::io(path, "create the folder of", e))?;
        }
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::Exists {
                    path: path.to_path_buf(),
                },
                _ => Error::io(path, "create", e),
            })?;
        let lock = Lock::acquire(&file, path)?;
        // The new name must survive a crash as much as the lines will.
        sync_dir(&dir).map_err(|e| Error::io(path, "sync the folder of", e))?;
        Ok(Writer {
            path: path.to_path_buf(),
            file,
            seq: 0,
            prev: super::GENESIS.to_string(),
            redactor,
            dirty: false,
            poisoned: false,
            synced: false,
            _lock: lock,
        })
    }

    /// Opens an existing journal to continue it (resume): locks it, reads
    /// and verifies it, truncates a torn last line (reported in the returned
    /// [`Journal::torn`]) and continues its chain and sequence.
    pub fn append(path: &Path, redactor: Redactor) -> Result<(Writer, Journal), Error> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io(path, "open", e))?;
        // Before locking, which writes a sidecar beside it: `/dev/zero`
        // would get `/dev/zero.lock`, then be read until memory runs out.
        let meta = file.metadata().map_err(|e| Error::io(path, "open", e))?;
        if !meta.is_file() {
            let e = std::io::Error::other("it is not a regular file");
            return Err(Error::io(path, "open", e));
        }
        let lock = Lock::acquire(&file, path)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, "read", e))?;
        let journal = super::read_bytes(path, &bytes)?;
        super::verify(&journal)?;
        if journal.torn.is_some() {
            file.set_len(journal.len)
                .and_then(|()| file.sync_data())
                .map_err(|e| Error::io(path, "truncate the torn last line of", e))?;
        }
        let writer = Writer {
            path: path.to_path_buf(),
            file,
            seq: journal.next_seq(),
            prev: journal.head().to_string(),
            redactor,
            dirty: false,
            poisoned: false,
            synced: false,
            _lock: lock,
        };
        Ok((writer, journal))
    }

    /// Masks these secrets from now on (resume learns them from the
    /// runbook after the journal is locked and read).
    pub fn set_redactor(&mut self, redactor: Redactor) {
        self.redactor = redactor;
    }

    /// The journal's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True until a sync made events durable: by the driver's durability
    /// rule, no command of this run has started yet.
    pub fn nothing_synced(&self) -> bool {
        !self.synced
    }

    /// Removes a journal this writer created and that recorded nothing
    /// durable (the disk was full at the start): an empty or torn file left
    /// behind would block `run --journal` with the same path (it exists)
    /// and `resume` (no event). The lock goes with the writer.
    pub fn discard(self) -> std::io::Result<()> {
        std::fs::remove_file(&self.path)
    }

    /// The `seq` the next event gets.
    pub fn next_seq(&self) -> u64 {
        self.seq
    }

    /// Appends one event (not yet synced: see [`Writer::sync`]).
    pub fn write(&mut self, stamped: &Stamped) -> Result<(), Error> {
        if self.poisoned {
            return Err(Error::Poisoned {
                path: self.path.clone(),
            });
        }
        let redacted;
        let stamped = if self.redactor.is_empty() {
            stamped
        } else {
            redacted = Stamped {
                time: stamped.time,
                event: redact_event(&self.redactor, &stamped.event)
                    .map_err(|e| Error::io(&self.path, "write to", e))?,
            };
            &redacted
        };
        let line = Line {
            seq: self.seq,
            stamped,
            prev: &self.prev,
        };
        let mut text = serde_json::to_string(&line)
            .map_err(|e| Error::io(&self.path, "write to", std::io::Error::other(e)))?;
        text.push('\n');
        // One write per line: a crash leaves a prefix of this line at most.
        if let Err(e) = self.file.write_all(text.as_bytes()) {
            self.poisoned = true;
            return Err(Error::io(&self.path, "write to", e));
        }
        self.dirty = true;
        self.seq += 1;
        self.prev = line_hash(text.as_bytes());
        Ok(())
    }

    /// Makes every event written so far durable (`sync_data`); a no-op when
    /// nothing was written since the last sync.
    pub fn sync(&mut self) -> Result<(), Error> {
        if self.poisoned {
            return Err(Error::Poisoned {
                path: self.path.clone(),
            });
        }
        if self.dirty {
            if let Err(e) = self.file.sync_data() {
                self.poisoned = true;
                return Err(Error::io(&self.path, "sync", e));
            }
            self.dirty = false;
            self.synced = true;
            self.check_still_there()?;
        }
        Ok(())
    }

    /// Checks that the journal's name still leads to the open file. Once it
    /// is deleted (or replaced), every event would go to a file nobody can
    /// open: the drill would go on without a record. A deleted journal is
    /// written back from the open file, then the writer refuses to go on.
    fn check_still_there(&mut self) -> Result<(), Error> {
        use std::os::unix::fs::MetadataExt;
        let open = self
            .file
            .metadata()
            .map_err(|e| Error::io(&self.path, "sync", e))?;
        let named = std::fs::symlink_metadata(&self.path);
        if named
            .as_ref()
            .is_ok_and(|m| m.dev() == open.dev() && m.ino() == open.ino())
        {
            return Ok(());
        }
        self.poisoned = true;
        let what = if named.is_ok() {
            "it was replaced by another file during the drill; the drill stops".to_string()
        } else {
            match self.write_back(open.len()) {
                Ok(()) => "it was deleted during the drill; what was recorded has been written back to it and the drill stops".to_string(),
                Err(e) => format!(
                    "it was deleted during the drill and could not be written back ({e}); the drill stops"
                ),
            }
        };
        Err(Error::io(&self.path, "keep", std::io::Error::other(what)))
    }

    /// Writes the open (deleted) journal's `len` bytes back under its name.
    fn write_back(&self, len: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        let mut bytes = vec![0; len as usize];
        self.file.read_exact_at(&mut bytes, 0)?;
        let mut copy = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&self.path)?;
        copy.write_all(&bytes)?;
        copy.sync_all()?;
        sync_dir(&parent(&self.path))
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // The lock belongs to the open file, which a process forked at this
        // moment (by another thread, before its `exec` closes our files)
        // shares: closing our descriptor alone would leave the journal
        // locked, and "in use", until that process execs. Unlocking
        // releases it whoever holds copies.
        let _ = self.file.unlock();
    }
}

impl Sink for Writer {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        Ok(self.write(event)?)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(self.sync()?)
    }
}

/// The folder holding `path` (`.` for a bare file name).
fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The fields of a journal record that hold free text (output, messages,
/// reasons, notes, titles, commands): the only ones masked. Identifiers
/// (step ids, host names), enum values (outcomes, decisions), hashes, paths
/// and operator names are never masked: with a secret `orders`, masking
/// every string journaled step `drop-orders-replica` as `drop-***-replica`
/// (resume then ran it again), and a secret `done` made the drill die on
/// "unknown variant `***`". A new record with a free-text field adds its
/// key here (see `docs/journal.md`, "Secrets").
pub const FREE_TEXT: &[&str] = &[
    "reason",
    "output_tail",
    "error",
    "text",
    "note",
    "title",
    "name",
    "message",
    "command",
    "run",
    "rollback",
    "instructions",
    "answer",
    "comment",
    "detail",
    "description",
];

/// The event with every free-text field ([`FREE_TEXT`]) masked, at any
/// depth. The engine should never emit a secret; this is the second line
/// of defence, so it goes through the generic JSON form and back rather
/// than trusting each variant's fields.
pub(crate) fn redact_event(redactor: &Redactor, event: &Event) -> std::io::Result<Event> {
    let mut value = serde_json::to_value(event).map_err(std::io::Error::other)?;
    redact_value(redactor, &mut value, false);
    serde_json::from_value(value).map_err(std::io::Error::other)
}

/// Masks the strings of `value` that are free text: under a [`FREE_TEXT`]
/// key (`free`), at any depth.
fn redact_value(redactor: &Redactor, value: &mut serde_json::Value, free: bool) {
    match value {
        serde_json::Value::String(s) if free => {
            if let std::borrow::Cow::Owned(masked) = redactor.redact(s) {
                *s = masked;
            }
        }
        serde_json::Value::Array(items) => {
            items
                .iter_mut()
                .for_each(|v| redact_value(redactor, v, free));
        }
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                redact_value(redactor, v, free || FREE_TEXT.contains(&key.as_str()));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
