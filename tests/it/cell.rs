//! The crisis cell at real terminals: several `reprise attach` clients on
//! one running drill, each in its own pseudo-terminal. One answer per
//! question (the second is told who was first), and several teams closing
//! their own steps out of order under their own names and accounts.

use std::time::{Duration, Instant};

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::harness::Test;

/// A drill started at a pseudo-terminal by `coord` in a fresh folder.
pub struct Drill {
    pub dir: tempfile::TempDir,
    pub coordinator: Session,
}

impl Drill {
    /// Runs `runbook` (`run rb.yaml --journal j.jsonl --operator coord`
    /// plus `extra`) and waits for its socket.
    pub fn start(runbook: &str, extra: &[&str]) -> Drill {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rb.yaml"), runbook).unwrap();
        let run = [
            "run",
            "rb.yaml",
            "--journal",
            "j.jsonl",
            "--operator",
            "coord",
        ];
        let coordinator = Test::at(dir.path())
            .args(run)
            .args(extra)
            .env_remove("NO_COLOR")
            .pty_until("reprise>");
        crate::harness::eventually("the socket beside the journal", || {
            dir.path().join("j.jsonl.sock").exists()
        });
        Drill { dir, coordinator }
    }

    /// `reprise attach j.jsonl --as NAME` at a pseudo-terminal of its own,
    /// once it says it is attached.
    pub fn attach(&self, name: &str, extra: &[&str]) -> Session {
        Test::at(self.dir.path())
            .args(["attach", "j.jsonl", "--as", name])
            .args(extra)
            .env_remove("NO_COLOR")
            .pty_until(&format!("attached to the drill as {name}"))
    }

    /// The journal's records so far.
    pub fn journal(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.dir.path().join("j.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// The `step_finished` records of `step`, waiting (bounded) for the
    /// first.
    pub fn finished(&self, step: &str) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found: Vec<_> = self
                .journal()
                .into_iter()
                .filter(|e| e["event"] == "step_finished" && e["step"] == step)
                .collect();
            if !found.is_empty() || Instant::now() > deadline {
                return found;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `reprise verify j.jsonl` passes.
    pub fn verified(&self) {
        Test::at(self.dir.path())
            .args(["verify", "j.jsonl"])
            .run()
            .success();
    }
}

const TWO: &str = r#"version: 1
name: One answer
steps:
  - id: call-vendor
    title: Call the storage vendor
  - id: check-backups
    title: Check the backups
"#;

#[test]
fn the_same_item_answered_from_two_terminals_at_once_is_recorded_once() {
    let mut drill = Drill::start(TWO, &[]);
    let mut storage = drill.attach("stor", &[]);
    let mut lab = drill.attach("labo", &[]);
    // Both type it at once: neither has seen the other's record.
    storage.send_line("done 1").unwrap();
    lab.send_line("done 1").unwrap();
    let records = drill.finished("call-vendor");
    assert_eq!(records.len(), 1, "recorded once: {records:?}");
    let winner = records[0]["by"].as_str().unwrap().to_string();
    let loser = match winner.as_str() {
        "stor" => &mut lab,
        "labo" => &mut storage,
        other => panic!("recorded by {other}, neither terminal"),
    };
    loser
        .expect(format!("#1 call-vendor: already recorded by {winner} at ").as_str())
        .expect("the second is told who was first");
    loser
        .expect("(done); nothing was recorded")
        .expect("and that nothing was recorded");
    // Later, once everyone has seen it, the same answer gets the same words.
    drill.coordinator.send_line("done 1").unwrap();
    drill
        .coordinator
        .expect(format!("#1 call-vendor: already recorded by {winner} at ").as_str())
        .expect("the coordinator too");
    drill.coordinator.send_line("done 2").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    let events = drill.journal();
    let finished = events
        .iter()
        .filter(|e| e["event"] == "step_finished" && e["step"] == "call-vendor")
        .count();
    assert_eq!(finished, 1, "{events:?}");
    assert_eq!(events.last().unwrap()["result"], "recovered");
    drill.verified();
}

#[test]
fn a_read_only_terminal_records_nothing_and_an_observers_notes_are_listed_apart() {
    let mut drill = Drill::start(TWO, &[]);
    let mut watcher = drill.attach("watch", &["--read-only"]);
    let mut auditor = drill.attach("auditor", &["--observer"]);
    watcher
        .expect("read-only: you see the drill")
        .expect("told it only watches");
    watcher.send_line("done 1").unwrap();
    watcher
        .expect("read-only terminal: `done` is not recorded from here")
        .expect("a read-only terminal's answer is refused");
    watcher.send_line("note from the watcher").unwrap();
    watcher
        .expect("`note` is not recorded from here")
        .expect("and its notes too");
    auditor.send_line("skip 2 not needed").unwrap();
    auditor
        .expect("an observer records only `note TEXT`")
        .expect("an observer's answer is refused");
    auditor
        .send_line("note the vendor took 40 minutes to call back")
        .unwrap();
    // Everyone sees it, the read-only terminal too (the live view).
    watcher
        .expect("auditor: the vendor took 40 minutes to call back")
        .expect("the read-only terminal sees what is recorded");
    drill
        .coordinator
        .send_line("note vendor ticket 4711")
        .unwrap();
    drill.coordinator.send_line("done 1").unwrap();
    watcher
        .expect("call-vendor")
        .expect("the read-only terminal sees the step end");
    drill.coordinator.send_line("done 2").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");

    let events = drill.journal();
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    let finished: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| (e["step"].as_str().unwrap(), e["by"].as_str().unwrap()))
        .collect();
    assert_eq!(
        finished,
        [("call-vendor", "coord"), ("check-backups", "coord")],
        "nothing recorded from the read-only or observer terminals"
    );
    let notes: Vec<_> = events.iter().filter(|e| e["event"] == "note").collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    let observed = notes.iter().find(|n| n["by"] == "auditor").unwrap();
    assert_eq!(observed["observer"], true);
    assert_eq!(observed["account"], me.as_str());
    let players = notes.iter().find(|n| n["by"] == "coord").unwrap();
    assert!(players.get("observer").is_none(), "{players}");
    let attached: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "operator_attached")
        .map(|e| {
            (
                e["by"].as_str().unwrap(),
                e["read_only"] == true,
                e["observer"] == true,
            )
        })
        .collect();
    assert_eq!(
        attached,
        [("watch", true, false), ("auditor", true, true)],
        "who was there, and how"
    );
    drill.verified();

    let report = Test::at(drill.dir.path())
        .args(["report", "j.jsonl"])
        .run()
        .success();
    let md = &report.stdout;
    let observations = md.find("## Observations").expect("observations");
    let observers = md
        .find("## Observers' notes")
        .expect("the observers' section");
    assert!(observations < observers);
    let (players_part, observers_part) = md.split_at(observers);
    assert!(
        players_part[observations..].contains("vendor ticket 4711"),
        "{md}"
    );
    assert!(!players_part[observations..].contains("40 minutes"), "{md}");
    assert!(
        observers_part.contains(&format!("auditor ({me})")),
        "the observer with its account: {md}"
    );
    assert!(
        observers_part.contains("the vendor took 40 minutes"),
        "{md}"
    );
}
