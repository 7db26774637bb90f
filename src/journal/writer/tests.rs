//! The writer: lines, hash chain, permissions, a replaced or deleted file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::Writer;
use crate::event::{Event, Outcome, Source, Stamped};
use crate::journal::{Error, fixtures, line_hash};
use crate::redact::Redactor;
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
