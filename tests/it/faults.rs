//! Disk and journal faults: a journal that cannot be created, a disk that
//! fills up during the drill, a journal deleted during the drill. reprise
//! either refuses to start or stops with what it recorded intact and says
//! why; it never goes on without a record.
//!
//! The disk-full case mounts a 64 KiB tmpfs; where mounting is not allowed
//! (not root, no CAP_SYS_ADMIN) that case alone is skipped, saying so.

use std::path::Path;

use crate::harness::Test;
use crate::reliability::run_in;

/// A chain of steps that append their id to `ran`; `middle` is the command
/// of the second step.
fn chain(dir: &Path, middle: &str, after: usize) -> String {
    let d = dir.display();
    let mut text = format!(
        "version: 1\nname: Faults\ndefaults: {{timeout: 1m}}\nsteps:\n  \
         - id: first\n    title: First\n    run: 'echo first >> {d}/ran'\n  \
         - id: middle\n    title: Middle\n    needs: [first]\n    run: '{middle}; echo middle >> {d}/ran'\n"
    );
    let mut prev = "middle".to_string();
    for i in 0..after {
        text.push_str(&format!(
            "  - id: after-{i}\n    title: After {i}\n    needs: [{prev}]\n    run: 'echo after-{i} >> {d}/ran'\n"
        ));
        prev = format!("after-{i}");
    }
    text
}

fn ran(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("ran"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

/// A journal whose folder cannot be made (a regular file is in the way) or
/// written (a read-only mount, where possible): refused before anything
/// runs.
#[test]
fn a_journal_that_cannot_be_created_stops_the_drill_before_it_starts() {
    let t = Test::new().file("in-the-way", "a regular file\n");
    let text = chain(t.path(), "true", 1);
    let t = t.file("rb.yaml", text);
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "in-the-way/j.jsonl"],
    );
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: cannot create journal in-the-way/j.jsonl: Not a directory (os error 20)\n"
    );
    assert!(ran(t.path()).is_empty(), "{:?}", ran(t.path()));

    let ro = t.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let Some(_mount) = Mount::tmpfs(&ro, "ro,size=64k") else {
        return;
    };
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "ro/j.jsonl"],
    );
    out.code(2);
    assert_eq!(
        out.stderr,
        "error: cannot create journal ro/j.jsonl: Read-only file system (os error 30)\n"
    );
    assert!(ran(t.path()).is_empty(), "{:?}", ran(t.path()));
}

/// The disk fills up during the drill (a command fills the journal's small
/// tmpfs): reprise stops every command, says why, exits 3, and what it
/// recorded verifies; the steps after the fault never start.
#[test]
fn a_full_disk_stops_the_drill_with_the_record_intact() {
    let t = Test::new();
    let disk = t.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_mount) = Mount::tmpfs(&disk, "size=64k") else {
        return;
    };
    let fill = format!("head -c 1000000 /dev/zero > {}/fill", disk.display());
    // Enough steps after the fault for the journal to need a new block.
    let text = chain(t.path(), &fill, 30);
    let t = t.file("rb.yaml", text);
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "disk/j.jsonl"],
    );
    out.code(3);
    assert!(
        out.stderr.contains(
            "error: cannot record the drill: cannot write to journal disk/j.jsonl: No space left on device"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: every command was stopped; what was recorded is in disk/j.jsonl"),
        "{}",
        out.stderr
    );
    let ran = ran(t.path());
    assert!(
        ran.len() < 32,
        "the drill went on without a record: {ran:?}"
    );
    // What was recorded is intact (at most a torn last line).
    std::fs::remove_file(disk.join("fill")).unwrap();
    let verify = run_in(t.path(), &["verify", "disk/j.jsonl"]);
    verify.code(0);
    // Every step that ran was either recorded or is the one being recorded
    // when the disk filled up.
    let journal = std::fs::read_to_string(disk.join("j.jsonl")).unwrap();
    let recorded = journal
        .lines()
        .filter(|l| l.contains("\"event\":\"step_started\""))
        .count();
    assert!(ran.len() <= recorded, "ran {ran:?}, recorded:\n{journal}");
}

/// The journal is deleted during the drill (by one of its own commands):
/// reprise notices at the next record, writes what it had recorded back
/// under the journal's name, stops with exit 3 and says what happened; the
/// next step never starts.
#[test]
fn a_journal_deleted_during_the_drill_is_written_back_and_the_drill_stops() {
    let t = Test::new();
    let delete = format!("rm {}/j.jsonl", t.path().display());
    let text = chain(t.path(), &delete, 1);
    let t = t.file("rb.yaml", text);
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    out.code(3);
    assert!(
        out.stderr.contains(
            "cannot keep journal j.jsonl: it was deleted during the drill; what was recorded has been written back to it and the drill stops"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(ran(t.path()), ["first", "middle"]);
    let verify = run_in(t.path(), &["verify", "j.jsonl"]);
    verify.code(0);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    for step in ["first", "middle"] {
        assert!(
            journal.contains(&format!(
                "\"event\":\"step_finished\",\"step\":\"{step}\",\"outcome\":\"done\""
            )),
            "{journal}"
        );
    }
    // It stops as a crash would, so that `reprise resume` can carry on
    // (`after-0` is recorded as started: its start was being recorded when
    // the deletion was noticed, and it never ran).
    assert!(!journal.contains("\"event\":\"run_finished\""), "{journal}");
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Mount(std::path::PathBuf);

impl Mount {
    /// Mounts a tmpfs on `dir`, or says why it cannot and returns `None`.
    fn tmpfs(dir: &Path, options: &str) -> Option<Mount> {
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Mount(dir.to_path_buf())),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a tmpfs here ({})",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount ({e})");
                None
            }
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}
