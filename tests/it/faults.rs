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
    // Only once: the step may be run again by `resume`.
    let fill = format!(
        "[ -e {d}/filled ] || {{ touch {d}/filled; head -c 1000000 /dev/zero > {d}/disk/fill; }}",
        d = t.path().display()
    );
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
    // Every step that ran was recorded as started, except at most the one
    // whose start was being recorded when the disk filled up (a command
    // starts a moment before its `step_started`, which carries its pid).
    let journal = std::fs::read_to_string(disk.join("j.jsonl")).unwrap();
    let recorded = journal
        .lines()
        .filter(|l| l.contains("\"event\":\"step_started\""))
        .count();
    assert!(
        ran.len() <= recorded + 1,
        "ran {ran:?}, recorded:\n{journal}"
    );
    let done: Vec<String> = journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["event"] == "step_finished" && e["outcome"] == "done")
        .map(|e| e["step"].as_str().unwrap().to_string())
        .collect();
    assert!(done.contains(&"first".to_string()), "{journal}");

    // With room again (the operator grows the disk: each step log takes a
    // page, more than 64 KiB in all), `reprise resume` carries the drill to
    // its end, and no step recorded done runs again.
    let grown = std::process::Command::new("mount")
        .args(["-o", "remount,size=4m"])
        .arg(&disk)
        .status()
        .unwrap();
    assert!(grown.success());
    let resumed = run_in(t.path(), &["resume", "--yes", "disk/j.jsonl"]);
    resumed.code(0);
    let all = self::ran(t.path());
    for step in &done {
        let runs = all.iter().filter(|s| *s == step).count();
        assert_eq!(runs, 1, "{step} ran {runs} times: {all:?}");
    }
    for i in 0..30 {
        let step = format!("after-{i}");
        assert!(all.contains(&step), "{step} never ran: {all:?}");
    }
    run_in(t.path(), &["verify", "disk/j.jsonl"]).code(0);
}

/// The journal is deleted during the drill (by one of its own commands):
/// reprise notices at the next record, writes what it had recorded back
/// under the journal's name, stops with exit 3 and says what happened; the
/// next step never starts.
#[test]
fn a_journal_deleted_during_the_drill_is_written_back_and_the_drill_stops() {
    let t = Test::new();
    // Only once: the step may be run again by `resume`.
    let delete = format!(
        "[ -e {d}/deleted ] || {{ touch {d}/deleted; rm {d}/j.jsonl; }}",
        d = t.path().display()
    );
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
    // `middle` may be stopped before its last word: the deletion is noticed
    // at the next record, which can come while it still runs.
    let ran_first = ran(t.path());
    assert!(
        ran_first == ["first"] || ran_first == ["first", "middle"],
        "{ran_first:?}"
    );
    let verify = run_in(t.path(), &["verify", "j.jsonl"]);
    verify.code(0);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains("\"event\":\"step_finished\",\"step\":\"first\",\"outcome\":\"done\""),
        "{journal}"
    );
    // It stops as a crash would, and `reprise resume` carries on: `first`
    // never runs again, `after-0` runs once.
    assert!(!journal.contains("\"event\":\"run_finished\""), "{journal}");
    let resumed = run_in(t.path(), &["resume", "--yes", "j.jsonl"]);
    resumed.code(0);
    let all = ran(t.path());
    assert_eq!(all.iter().filter(|s| *s == "first").count(), 1, "{all:?}");
    assert_eq!(all.iter().filter(|s| *s == "after-0").count(), 1, "{all:?}");
    run_in(t.path(), &["verify", "j.jsonl"]).code(0);
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

/// The driver started a command before the outcome of the step it needs was
/// on disk (the batch was recorded after the spawn): when that recording
/// failed, the dependent had run anyway, and a resume would have run its
/// prerequisite, and it, again.
#[test]
fn regression_a_dependent_started_before_its_prerequisite_was_recorded() {
    let t = Test::new();
    let delete = format!("rm {}/j.jsonl", t.path().display());
    let text = chain(t.path(), &delete, 1);
    let t = t.file("rb.yaml", text);
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "j.jsonl"],
    );
    out.code(3);
    let ran = ran(t.path());
    assert!(!ran.contains(&"after-0".to_string()), "{ran:?}");
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        !journal.contains("\"event\":\"step_started\",\"step\":\"after-0\""),
        "{journal}"
    );
}

/// A step log that the disk cannot hold was cut short without a word: the
/// drill goes on (the journal is the record) but now says the log stops.
#[test]
fn regression_a_step_log_cut_short_by_a_full_disk_went_unsaid() {
    let t = Test::new();
    let disk = t.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_mount) = Mount::tmpfs(&disk, "size=64k") else {
        return;
    };
    let t = t.file(
        "rb.yaml",
        "version: 1\nname: Loud\nsteps:\n  - id: loud\n    title: Loud\n    timeout: 1m\n    \
         run: 'head -c 300000 /dev/zero | tr \"\\0\" x | fold -w 100'\n",
    );
    let out = run_in(
        t.path(),
        &["run", "rb.yaml", "--yes", "--journal", "disk/j.jsonl"],
    );
    out.code(0);
    assert!(
        out.stderr.contains(
            "a step log could not be written (No space left on device (os error 28)): it stops here"
        ),
        "{}",
        out.stderr
    );
    run_in(t.path(), &["verify", "disk/j.jsonl"]).code(0);
}

/// A disk already full when the drill starts left an empty journal (and
/// an empty lock sidecar) that blocked both `run --journal` with the same
/// path ("already exists") and `resume` ("holds no event"). Now: a clear
/// error, exit 2, nothing run, nothing left; once space is freed the same
/// command starts the drill.
#[test]
fn regression_a_full_disk_at_the_start_left_a_journal_that_blocked_the_next_try() {
    let t = Test::new();
    let disk = t.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_mount) = Mount::tmpfs(&disk, "size=64k") else {
        return;
    };
    let _ = std::process::Command::new("sh")
        .args(["-c", "head -c 1000000 /dev/zero > disk/fill"])
        .current_dir(t.path())
        .status();
    let text = chain(t.path(), "true", 1);
    let t = t.file("rb.yaml", text);
    let args = ["run", "rb.yaml", "--yes", "--journal", "disk/j.jsonl"];
    let out = run_in(t.path(), &args);
    out.code(2);
    assert!(
        out.stderr.contains(
            "error: cannot start the drill: cannot write to journal disk/j.jsonl: No space left on device (os error 28); nothing was run and no journal was left\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: free some space"),
        "{}",
        out.stderr
    );
    assert!(ran(t.path()).is_empty(), "{:?}", ran(t.path()));
    let left: Vec<String> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "fill")
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");

    std::fs::remove_file(disk.join("fill")).unwrap();
    let out = run_in(t.path(), &args);
    out.code(0);
    assert_eq!(ran(t.path()), ["first", "middle", "after-0"]);
    run_in(t.path(), &["verify", "disk/j.jsonl"]).code(0);
}
