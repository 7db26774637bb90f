//! The journal: the drill's crash-safe, tamper-evident record.
//!
//! A journal is a JSON Lines file, one [`Stamped`](crate::event::Stamped)
//! event per line, each line extended with `seq` (0, 1, 2 …) and `prev`
//! (hex SHA-256 of the previous line's bytes, newline included; 64 zeros on
//! the first line). The format is a stable interface, documented in
//! `docs/journal.md`.
//!
//! - [`Writer`] appends events for a running drill (the exec driver's
//!   [`Sink`](crate::exec::Sink)): one `write_all` per line, one
//!   `sync_data` per batch, an exclusive lock for the whole drill.
//! - [`read`] parses a journal back, dropping a torn last line (the process
//!   died mid-write) with a warning and rejecting any other damage.
//! - [`verify`] checks the hash chain and the sequence and names the first
//!   line that was altered, removed, inserted, swapped or forged.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::redact::Redactor;

mod error;
mod lock;
mod reader;
pub mod resume;
pub mod tail;
mod verify;
mod writer;

pub use error::Error;
pub use lock::Holder;
pub use reader::{Entry, Journal, Torn, read, read_bytes, stream, stream_entries};
pub use verify::{Chain, Streamed, Summary, stream_verified, verify};
pub use writer::Writer;
pub(crate) use writer::redact_event as writer_redact_event;

/// The `prev` of the first line: there is no previous line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who is running the drill of this journal right now, when its lock
/// sidecar names a live process on this machine (read only: no lock is
/// taken). On another machine the sidecar is trusted.
pub fn live_holder(journal: &Path) -> Option<String> {
    live_holder_of(journal).map(|h| h.to_string())
}

/// [`live_holder`], as the [`Holder`] itself (for a caller that words it).
pub fn live_holder_of(journal: &Path) -> Option<Holder> {
    let holder = Holder::read(journal)?;
    if holder.host != hostname() {
        return Some(holder);
    }
    let pid = i32::try_from(holder.pid).ok()?;
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None)
        .ok()
        .map(|()| holder)
}

/// Folder, relative to the working directory, where journals go when
/// `--journal` is not given.
pub const DEFAULT_DIR: &str = "journals";

/// Hex SHA-256 of one journal line's bytes (newline included): what the next
/// line's `prev` holds. By hand: `sed -n 4p drill.jsonl | sha256sum`.
pub fn line_hash(line: &[u8]) -> String {
    hex::encode(Sha256::digest(line))
}

/// Creates the journal of a drill started at `started` when `--journal` is
/// not given: `journals/<runbook-stem>-<YYYYMMDDTHHMMSSZ>.jsonl`, relative
/// to the working directory, so that a folder listing sorts the drills of a
/// runbook by start time. A drill started in the same second as another
/// gets `-2`, `-3`… before the extension. Each name is taken with
/// `create_new`, never checked first, so two drills starting at the same
/// moment cannot both pick the same free name (and the second fail to
/// start). [`Writer::create`] creates the folder.
pub fn create_default(
    runbook: &Path,
    started: Timestamp,
    redactor: Redactor,
) -> Result<Writer, Error> {
    create_default_in(Path::new(DEFAULT_DIR), runbook, started, redactor)
}

/// How many drills of one runbook started in the same second get a journal
/// of their own.
const SAME_SECOND_MAX: u32 = 1000;

/// [`create_default`] in `dir`.
fn create_default_in(
    dir: &Path,
    runbook: &Path,
    started: Timestamp,
    redactor: Redactor,
) -> Result<Writer, Error> {
    let mut n = 1;
    loop {
        let path = dir.join(default_name(runbook, started, n));
        match Writer::create(&path, redactor.clone()) {
            Err(Error::Exists { .. }) if n < SAME_SECOND_MAX => n += 1,
            created => return created,
        }
    }
}

/// The `n`th default journal name (from 1) for `runbook` started at
/// `started`: see [`create_default`].
pub fn default_name(runbook: &Path, started: Timestamp, n: u32) -> String {
    let stem = runbook
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "drill".to_string());
    let stamp = started.strftime("%Y%m%dT%H%M%SZ");
    match n {
        1 => format!("{stem}-{stamp}.jsonl"),
        n => format!("{stem}-{stamp}-{n}.jsonl"),
    }
}

/// The folder holding the per-step output logs of the drill recorded in
/// `journal`: beside it, named after it (`drill.jsonl` → `drill.logs/`).
pub fn log_dir(journal: &Path) -> PathBuf {
    let stem = journal
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "journal".to_string());
    journal.with_file_name(format!("{stem}.logs"))
}

/// Checks that the step logs folder `dir` (created `0700` when new) is
/// safe to write into: a real folder, not a link; owned by this user (or
/// root); not writable by group or others, who could otherwise put links
/// or files in it in advance. A folder that existed already is reused only
/// then.
pub fn check_log_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(dir).map_err(|e| e.to_string())?;
    if meta.file_type().is_symlink() {
        return Err("it is a symbolic link".into());
    }
    if !meta.is_dir() {
        return Err("it is not a folder".into());
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(format!("it belongs to uid {}, not to you", meta.uid()));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(format!(
            "its mode {:o} lets other users create files in it",
            meta.mode() & 0o777
        ));
    }
    Ok(())
}

/// The name of this machine, as recorded in journals and lock files.
pub fn hostname() -> String {
    // Linux exposes it as a file; reading it avoids another libc binding.
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".to_string())
}

/// Journals for unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::event::{Event, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped};
    use crate::runbook::{Mode, PhaseId, StepId, StepKind};

    fn at(second: u64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_795_939_200 + second as i64).unwrap()
    }

    /// `run_started` for a plan of `n` command steps `s1`…`sn`.
    pub fn started(n: usize) -> Stamped {
        Stamped {
            time: at(0),
            event: Event::RunStarted {
                origin: Default::default(),
                runbook: "fixture.yaml".into(),
                runbook_sha256: "ab".repeat(32),
                name: "fixture".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "test".into(),
                reprise_version: "0.1.0".into(),
                rto: None,
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("main"),
                    title: "Main".into(),
                }],
                steps: (1..=n)
                    .map(|i| {
                        PlannedStep::new(
                            StepId::new(format!("s{i}")),
                            format!("Step {i}"),
                            PhaseId::new("main"),
                            StepKind::Command,
                        )
                    })
                    .collect(),
                exercise: None,
            },
        }
    }

    /// A finished drill: `run_started`, `n` steps done, `run_finished`.
    pub fn drill(n: usize) -> Vec<Stamped> {
        let mut events = vec![started(n)];
        events.extend((1..=n).map(|i| Stamped {
            time: at(i as u64),
            event: Event::StepFinished {
                origin: Default::default(),
                step: StepId::new(format!("s{i}")),
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "reprise".into(),
                source: Source::Command,
                attempts: 1,
                output_tail: vec![],
            },
        }));
        events.push(Stamped {
            time: at(n as u64 + 1),
            event: Event::RunFinished {
                result: RunResult::Recovered,
            },
        });
        events
    }

    /// The bytes of a journal holding `events`, written by the real writer.
    pub fn journal_bytes(events: &[Stamped]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = super::Writer::create(&path, Default::default()).unwrap();
        for e in events {
            w.write(e).unwrap();
        }
        w.sync().unwrap();
        drop(w);
        std::fs::read(&path).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_sort_by_start_time() {
        let rb = Path::new("plans/san-failover.yaml");
        let early = default_name(rb, "2026-11-29T08:00:00Z".parse().unwrap(), 1);
        let late = default_name(rb, "2026-11-29T10:00:00Z".parse().unwrap(), 1);
        assert_eq!(early, "san-failover-20261129T080000Z.jsonl");
        assert!(early < late);
        assert_eq!(
            default_name(rb, "2026-11-29T08:00:00Z".parse().unwrap(), 2),
            "san-failover-20261129T080000Z-2.jsonl"
        );
    }

    #[test]
    fn drills_started_in_the_same_second_get_a_journal_each() {
        let dir = tempfile::tempdir().unwrap();
        let journals = dir.path().join("journals");
        let rb = Path::new("plans/san-failover.yaml");
        let started: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let first = create_default_in(&journals, rb, started, Redactor::default()).unwrap();
        let second = create_default_in(&journals, rb, started, Redactor::default()).unwrap();
        assert_eq!(
            first.path(),
            journals.join("san-failover-20261129T080000Z.jsonl")
        );
        assert_eq!(
            second.path(),
            journals.join("san-failover-20261129T080000Z-2.jsonl")
        );
    }

    /// Regression: the name was checked free, then created; drills
    /// starting together could all see the same name free, and all but one
    /// failed with "already exists".
    #[test]
    fn drills_starting_at_the_same_moment_never_take_the_same_name() {
        const DRILLS: usize = 8;
        let dir = tempfile::tempdir().unwrap();
        let journals = dir.path().join("journals");
        let started: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
        let gate = std::sync::Barrier::new(DRILLS);
        let paths: Vec<PathBuf> = std::thread::scope(|s| {
            let drills: Vec<_> = (0..DRILLS)
                .map(|_| {
                    s.spawn(|| {
                        gate.wait();
                        let rb = Path::new("quick.yaml");
                        create_default_in(&journals, rb, started, Redactor::default())
                            .map(|w| w.path().to_path_buf())
                    })
                })
                .collect();
            drills
                .into_iter()
                .map(|d| d.join().unwrap().unwrap())
                .collect()
        });
        let distinct: std::collections::BTreeSet<_> = paths.iter().collect();
        assert_eq!(distinct.len(), DRILLS, "{paths:?}");
    }

    #[test]
    fn logs_sit_beside_the_journal() {
        assert_eq!(
            log_dir(Path::new("journals/drill-20261129T080000Z.jsonl")),
            PathBuf::from("journals/drill-20261129T080000Z.logs")
        );
    }

    #[test]
    fn line_hash_is_sha256_of_the_bytes() {
        // `printf 'abc\n' | sha256sum`
        assert_eq!(
            line_hash(b"abc\n"),
            "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
        );
    }
}
