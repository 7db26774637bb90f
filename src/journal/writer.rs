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
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::event::{Outcome, Source};
    use crate::journal::fixtures;
    use crate::runbook::StepId;

    fn note(text: &str) -> Stamped {
        Stamped {
            time: "2026-11-29T08:00:00.250Z".parse().unwrap(),
            event: Event::Note {
                origin: Default::default(),
                text: text.into(),
                by: "alice".into(),
                step: None,
            },
        }
    }

    /// Regression: a journal deleted during a drill went on receiving
    /// events nobody could read, and the drill ended "recovered".
    #[test]
    fn a_journal_deleted_during_a_drill_is_written_back_and_writing_stops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::default()).unwrap();
        w.write(&note("one")).unwrap();
        w.sync().unwrap();
        std::fs::remove_file(&path).unwrap();
        w.write(&note("two")).unwrap();
        let err = w.sync().unwrap_err();
        assert!(
            err.to_string().starts_with(&format!(
                "cannot keep journal {}: it was deleted during the drill; what was recorded has been written back",
                path.display()
            )),
            "{err}"
        );
        assert!(w.write(&note("three")).is_err());
        let back = super::super::read(&path).unwrap();
        assert_eq!(back.entries.len(), 2);
        assert_eq!(back.entries[1].prev, back.entries[0].hash);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    /// A journal replaced by another file is left alone; writing stops.
    #[test]
    fn a_journal_replaced_during_a_drill_stops_the_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::default()).unwrap();
        w.write(&note("one")).unwrap();
        std::fs::rename(&path, dir.path().join("moved")).unwrap();
        std::fs::write(&path, "someone else's\n").unwrap();
        let err = w.sync().unwrap_err();
        assert!(
            err.to_string().contains("replaced by another file"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's\n");
    }

    /// Regression: `reprise resume /dev/zero` wrote `/dev/zero.lock`, then
    /// read the device until memory ran out.
    #[test]
    fn append_refuses_a_device_before_locking_or_reading_it() {
        let err = Writer::append(Path::new("/dev/zero"), Redactor::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot open journal /dev/zero: it is not a regular file"
        );
        assert!(!Path::new("/dev/zero.lock").exists());
    }

    #[test]
    fn lines_carry_seq_time_event_and_prev() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::default()).unwrap();
        w.write(&note("one")).unwrap();
        w.write(&note("two")).unwrap();
        w.sync().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!(
                r#"{{"seq":0,"time":"2026-11-29T08:00:00.250Z","event":"note","text":"one","by":"alice","prev":"{}"}}"#,
                super::super::GENESIS
            )
        );
        let first_hash = line_hash(format!("{}\n", lines[0]).as_bytes());
        assert!(lines[1].starts_with(r#"{"seq":1,"#), "{}", lines[1]);
        assert!(lines[1].ends_with(&format!(r#""prev":"{first_hash}"}}"#)));
    }

    #[test]
    fn the_file_is_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/j.jsonl");
        let w = Writer::create(&path, Redactor::default()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        drop(w);
        let err = Writer::create(&path, Redactor::default()).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }), "{err}");
    }

    #[test]
    fn secrets_are_masked_in_free_text_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::new(["hunter2"])).unwrap();
        w.write(&Stamped {
            time: "2026-11-29T08:00:00Z".parse().unwrap(),
            event: Event::StepFinished {
                origin: Default::default(),
                step: StepId::new("login"),
                outcome: Outcome::Failed,
                exit_code: Some(1),
                reason: Some("token hunter2 refused".into()),
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec!["using hunter2".into(), "denied".into()],
            },
        })
        .unwrap();
        w.sync().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains(r#""reason":"token *** refused""#), "{text}");
        assert!(
            text.contains(r#""output_tail":["using ***","denied"]"#),
            "{text}"
        );
    }

    #[test]
    fn a_secret_inside_an_id_or_an_enum_value_is_not_masked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::new(["orders", "done", "reprise"])).unwrap();
        let finished = Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("drop-orders-replica"),
            outcome: Outcome::Done,
            exit_code: Some(0),
            reason: Some("orders dropped, done".into()),
            by: "reprise".into(),
            source: Source::Command,
            attempts: 1,
            output_tail: vec![],
        };
        let time = "2026-11-29T08:00:00Z".parse().unwrap();
        w.write(&Stamped {
            time,
            event: finished.clone(),
        })
        .unwrap();
        w.sync().unwrap();
        drop(w);
        let journal = crate::journal::reader::read(&path).unwrap();
        let expected = Event::StepFinished {
            origin: Default::default(),
            step: StepId::new("drop-orders-replica"),
            outcome: Outcome::Done,
            exit_code: Some(0),
            reason: Some("*** dropped, ***".into()),
            by: "reprise".into(),
            source: Source::Command,
            attempts: 1,
            output_tail: vec![],
        };
        assert_eq!(journal.entries.last().unwrap().stamped.event, expected);
    }

    #[test]
    fn append_continues_the_chain_after_dropping_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::default()).unwrap();
        w.write(&fixtures::started(1)).unwrap();
        w.write(&note("one")).unwrap();
        w.sync().unwrap();
        drop(w);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"seq":2,"time":"2026-11"#).unwrap();
        drop(f);

        let (mut w, journal) = Writer::append(&path, Redactor::default()).unwrap();
        assert_eq!(journal.torn.as_ref().map(|t| t.line), Some(3));
        assert_eq!(w.next_seq(), 2);
        w.write(&note("two")).unwrap();
        w.sync().unwrap();
        drop(w);

        let journal = super::super::read(&path).unwrap();
        assert!(journal.torn.is_none());
        assert_eq!(journal.entries.len(), 3);
        assert_eq!(journal.entries[2].seq, 2);
        assert_eq!(journal.entries[2].prev, journal.entries[1].hash);
        super::super::verify(&journal).unwrap();
    }

    /// Regression: a test dropped its writer, then ran `reprise resume` on
    /// the journal, which was refused as in use: a process another thread
    /// had just forked held a copy of the journal's descriptor, and with it
    /// the lock, until its `exec`.
    #[test]
    fn a_dropped_writer_unlocks_even_while_a_forked_child_shares_its_file() {
        use std::os::fd::{AsRawFd, BorrowedFd};
        use std::os::unix::process::CommandExt;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let writer = Writer::create(&path, Redactor::default()).unwrap();
        // The child says when it has forked, then waits for `go` to exec.
        let (mut forked_r, forked_w) = std::io::pipe().unwrap();
        let (go_r, mut go_w) = std::io::pipe().unwrap();
        let (forked_fd, go_fd) = (forked_w.as_raw_fd(), go_r.as_raw_fd());
        let mut cmd = std::process::Command::new("true");
        // SAFETY: between fork and exec the closure only makes the
        // async-signal-safe `write` and `read` calls, on descriptors the
        // pipes above keep open until the child has been waited for.
        unsafe {
            cmd.pre_exec(move || {
                let (forked, go) = (
                    BorrowedFd::borrow_raw(forked_fd),
                    BorrowedFd::borrow_raw(go_fd),
                );
                let _ = nix::unistd::write(forked, b"f");
                let _ = nix::unistd::read(go, &mut [0u8; 1]);
                Ok(())
            });
        }
        // `spawn` returns once the child has exec'd: from another thread.
        let child = std::thread::spawn(move || cmd.status());
        forked_r.read_exact(&mut [0u8; 1]).unwrap();

        drop(writer);
        let locked = File::open(&path).unwrap().try_lock();

        go_w.write_all(b"g").unwrap();
        let status = child.join().unwrap().unwrap();
        assert!(status.success(), "{status}");
        drop((forked_w, go_r));
        assert!(
            locked.is_ok(),
            "the journal stayed locked by the forked child: {locked:?}"
        );
    }

    #[test]
    fn a_locked_journal_cannot_be_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = Writer::create(&path, Redactor::default()).unwrap();
        w.write(&fixtures::started(1)).unwrap();
        w.sync().unwrap();
        let err = Writer::append(&path, Redactor::default()).unwrap_err();
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        drop(w);
        Writer::append(&path, Redactor::default()).unwrap();
    }
}
