//! One drill per journal.
//!
//! The writer holds an exclusive lock (`flock`, through `File::try_lock`) on
//! the journal file itself for as long as the drill runs; the kernel drops it
//! when the process ends, however it ends, so a crash never leaves a stale
//! lock. The writer also unlocks when dropped: the lock belongs to the open
//! file, which a child forked at that moment shares until its `exec`. Since
//! a lock cannot say who holds it, the holder also writes its pid, host and
//! start time to a sidecar file `<journal>.lock`, read only to word the
//! refusal. The sidecar is advisory: a stale one (left by a killed
//! process) is simply overwritten by the next holder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::Error;

/// Who holds a journal: written to `<journal>.lock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// Process id.
    pub pid: u32,
    /// Machine name.
    pub host: String,
    /// When it took the lock.
    pub since: Timestamp,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "reprise (pid {} on host {}) since {}",
            self.pid,
            self.host,
            self.since.strftime("%Y-%m-%dT%H:%M:%SZ")
        )?;
        if self.is_gone() {
            // The lock outlived its holder: a process it started still has
            // the journal open.
            f.write_str(", which has ended; a process it started still holds the journal")?;
        }
        Ok(())
    }
}

impl Holder {
    /// Whether the holder was a process of this machine that has ended.
    pub fn is_gone(&self) -> bool {
        if self.host != super::hostname() {
            return false;
        }
        let Ok(pid) = i32::try_from(self.pid) else {
            return false;
        };
        matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None),
            Err(nix::errno::Errno::ESRCH)
        )
    }

    /// Who holds `journal`, as its lock sidecar says (read only: the lock
    /// itself is not touched, so a stale sidecar may name a dead process).
    pub fn read(journal: &Path) -> Option<Holder> {
        read_holder(&lock_path(journal))
    }
}

/// The sidecar naming the holder of `journal`'s lock.
pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// A held lock; dropping it removes the sidecar (the lock itself goes with
/// the journal's file handle).
#[derive(Debug)]
pub struct Lock {
    sidecar: PathBuf,
    holder: Holder,
}

impl Lock {
    /// Locks `file` (the open journal at `journal`) or says who holds it.
    ///
    /// A reprise killed while starting a command can leave the lock held for
    /// a moment by the half-started child (it shares the journal's open file
    /// until its `exec` closes it): when the recorded holder is a process of
    /// this machine that no longer exists, the lock is tried again for up to
    /// [`DEAD_HOLDER_WAIT`] before giving up.
    pub fn acquire(file: &File, journal: &Path) -> Result<Lock, Error> {
        let mut waited_since = None;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let holder = read_holder(&lock_path(journal));
                    let dead = holder.as_ref().is_some_and(Holder::is_gone);
                    let since = *waited_since.get_or_insert_with(std::time::Instant::now);
                    if !dead || since.elapsed() >= DEAD_HOLDER_WAIT {
                        return Err(Error::Locked {
                            path: journal.to_path_buf(),
                            holder,
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                Err(TryLockError::Error(e)) => return Err(Error::io(journal, "lock", e)),
            }
        }
        let holder = Holder {
            pid: std::process::id(),
            host: super::hostname(),
            since: Timestamp::now(),
        };
        let sidecar = lock_path(journal);
        // Best effort: the lock is what protects the journal; a sidecar that
        // cannot be written only makes a refusal less precise.
        let _ = write_holder(&sidecar, &holder);
        Ok(Lock { sidecar, holder })
    }
}

/// How long a lock left by a process that has ended is waited for.
pub const DEAD_HOLDER_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

impl Drop for Lock {
    fn drop(&mut self) {
        // Only remove it if it is still ours.
        if read_holder(&self.sidecar).as_ref() == Some(&self.holder) {
            let _ = std::fs::remove_file(&self.sidecar);
        }
    }
}

/// Writes the sidecar as a new file: whatever is at its name (a sidecar
/// left by a dead holder, or a link made in advance to another file) is
/// removed, not followed, and the file is created with `O_EXCL` and
/// `O_NOFOLLOW`: a pre-made `drill.jsonl.lock → victim` was truncated by a
/// root run. The caller holds the journal's lock, so the old sidecar is no
/// one else's.
fn write_holder(path: &Path, holder: &Holder) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)?;
    let text = serde_json::to_string(holder).map_err(std::io::Error::other)?;
    let written = f.write_all(format!("{text}\n").as_bytes());
    if written.is_err() {
        // A full disk: an empty sidecar would name nobody, and outlive us.
        let _ = std::fs::remove_file(path);
    }
    written
}

fn read_holder(path: &Path) -> Option<Holder> {
    use std::io::Read;
    let mut text = String::new();
    OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW)
        .open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    serde_json::from_str(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "").unwrap();
        let a = File::open(&path).unwrap();
        let held = Lock::acquire(&a, &path).unwrap();
        let b = File::open(&path).unwrap();
        let err = Lock::acquire(&b, &path).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("is in use by reprise"), "{text}");
        drop(held);
        assert!(!lock_path(&path).exists());
        drop(a);
        Lock::acquire(&b, &path).unwrap();
    }

    /// A pid that no longer runs: a child that has been reaped.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn a_lock_left_by_an_ended_holder_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, "").unwrap();
        // What a killed reprise leaves: its sidecar, and the lock still held
        // (here by us) by the child it was starting.
        let dead = Holder {
            pid: dead_pid(),
            host: crate::journal::hostname(),
            since: Timestamp::now(),
        };
        assert!(dead.is_gone());
        assert!(
            dead.to_string()
                .ends_with("which has ended; a process it started still holds the journal")
        );
        write_holder(&lock_path(&path), &dead).unwrap();
        let child_fd = File::open(&path).unwrap();
        child_fd.try_lock().unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            drop(child_fd);
        });
        let b = File::open(&path).unwrap();
        let lock = Lock::acquire(&b, &path).expect("the lock is taken once released");
        release.join().unwrap();
        assert_eq!(lock.holder.pid, std::process::id());
    }
}
