//! The journal's wire format stays put when its types change: journals
//! written by an earlier reprise read back, and written again line by line
//! by today's writer they come out byte for byte the same, hash chain
//! included.
//!
//! `tests/journals/written/` holds journals written by the reprise binary
//! itself (not by `generate.py`), before `Ending` gathered how an attempt
//! ended into one type: `endings.jsonl` (a command that exits 0, exits 3,
//! times out, is killed by a signal, cannot start) and
//! `endings-remote.jsonl` (`host_finished` on two hosts, a failure with its
//! cause and output, a host that timed out), from the runbooks beside them.

use std::path::{Path, PathBuf};

use reprise::event::{Ending, Event};
use reprise::journal::{self, Writer};
use reprise::redact::Redactor;

use crate::harness::Test;

fn written(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/journals/written")
        .join(name)
}

/// Every journal in `tests/journals/`, old fixtures and written ones.
fn every_journal() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["tests/journals", "tests/journals/written"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "jsonl") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The journal at `path` read, then written again by today's writer.
fn rewritten(path: &Path) -> Vec<u8> {
    let read = journal::read(path).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.jsonl");
    let mut writer = Writer::create(&copy, Redactor::default()).unwrap();
    for e in read.events() {
        writer.write(e).unwrap();
    }
    writer.sync().unwrap();
    drop(writer);
    std::fs::read(&copy).unwrap()
}

#[test]
fn journals_written_before_ending_are_written_again_byte_for_byte() {
    for name in ["endings.jsonl", "endings-remote.jsonl"] {
        let path = written(name);
        let before = std::fs::read(&path).unwrap();
        let after = rewritten(&path);
        let (before, after) = (
            String::from_utf8(before).unwrap(),
            String::from_utf8(after).unwrap(),
        );
        for (i, (b, a)) in before.lines().zip(after.lines()).enumerate() {
            assert_eq!(a, b, "{name}: line {i} changed");
        }
        assert_eq!(after, before, "{name}");
    }
}

#[test]
fn every_way_an_attempt_ends_reads_back_into_its_ending() {
    let read = journal::read(&written("endings.jsonl")).unwrap();
    let endings: Vec<(String, Ending)> = read
        .events()
        .filter_map(|e| match &e.event {
            Event::AttemptFinished { step, ending, .. } => Some((step.to_string(), ending.clone())),
            _ => None,
        })
        .collect();
    let of = |step: &str| &endings.iter().find(|(s, _)| s == step).unwrap().1;
    assert_eq!(of("ok"), &Ending::exited(0));
    assert_eq!(of("exits"), &Ending::exited(3));
    assert!(of("times-out").timed_out);
    assert_eq!(of("times-out").signal.as_deref(), Some("SIGTERM"));
    assert_eq!(of("killed").signal.as_deref(), Some("SIGKILL"));
    assert_eq!(
        of("not-found"),
        &Ending::unstarted("`/nonexistent/reprise-program` not found")
    );
    assert_eq!(endings.len(), 5);

    let read = journal::read(&written("endings-remote.jsonl")).unwrap();
    let hosts: Vec<(String, String, Ending)> = read
        .events()
        .filter_map(|e| match &e.event {
            Event::HostFinished {
                step, host, ending, ..
            } => Some((step.to_string(), host.clone(), ending.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(hosts.len(), 5, "{hosts:?}");
    assert!(hosts.iter().any(|(s, _, e)| s == "fan-ok" && e.success()));
    assert!(
        hosts
            .iter()
            .any(|(s, _, e)| s == "fan-fails" && e == &Ending::exited(4))
    );
    assert!(
        hosts
            .iter()
            .any(|(s, h, e)| s == "fan-slow" && h == "h1" && e.timed_out)
    );
}

/// Every journal in the tests' folders is written again as the same lines
/// (the fixtures of `generate.py` order their fields differently: compared
/// as JSON values there), and `reprise verify` still finds each chain
/// intact.
#[test]
fn every_fixture_journal_reads_back_unchanged_and_verifies() {
    let journals = every_journal();
    assert!(journals.len() >= 9, "{journals:?}");
    for path in journals {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let before = std::fs::read_to_string(&path).unwrap();
        let after = String::from_utf8(rewritten(&path)).unwrap();
        let fields = |text: &str| -> Vec<serde_json::Value> {
            text.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .map(|mut v| {
                    // The rewritten chain starts at this copy's own lines.
                    v.as_object_mut().unwrap().remove("prev");
                    v
                })
                .collect()
        };
        assert_eq!(fields(&after), fields(&before), "{name}");
        let out = Test::new()
            .file("j.jsonl", &before)
            .args(["verify", "j.jsonl"])
            .run();
        // A fixture with a torn last line verifies with a warning.
        out.code(0);
        assert!(
            out.stdout.contains("journal intact"),
            "{name}: {}",
            out.stdout
        );
    }
}
