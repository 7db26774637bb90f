//! A coordinator and three teams, each at its own pseudo-terminal (with a
//! read-only terminal watching: five in all), each team closing its own
//! manual steps out of order. As root, each team is a Unix account of its
//! own, created by the test and let in through the drill's `--group`;
//! otherwise every terminal is this account (said on stderr).

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::cell::Drill;
use crate::screen::{Screen, pump, wait_for};

const CELL: &str = r#"version: 1
name: Crisis cell
steps:
  - id: array-check
    title: Storage checks the array
  - id: lun-map
    title: Storage maps the LUNs
  - id: vm-boot
    title: Systems boot the VMs
  - id: dns-switch
    title: Systems switch DNS
  - id: sample-run
    title: Lab runs a sample
  - id: results-ok
    title: Lab checks the results
  - id: go-live
    title: Coordinator declares the service back
    needs: [array-check, lun-map, vm-boot, dns-switch, sample-run, results-ok]
"#;

/// The teams' Unix accounts and their group, removed when dropped.
struct Cell {
    group: String,
    accounts: Vec<String>,
}

impl Cell {
    fn create() -> Option<Cell> {
        let tools = ["useradd", "groupadd", "su"].iter().all(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if !nix::unistd::geteuid().is_root() || !tools {
            eprintln!(
                "note: not root (or no useradd/groupadd/su): the teams attach under this \
                 account; their own accounts are tested as root"
            );
            return None;
        }
        let n = std::process::id() % 100_000;
        let cell = Cell {
            group: format!("rteams{n}"),
            accounts: ["stor", "syst", "labo"]
                .iter()
                .map(|t| format!("{t}{n}"))
                .collect(),
        };
        for a in &cell.accounts {
            let _ = Command::new("userdel").arg(a).output();
        }
        let _ = Command::new("groupdel").arg(&cell.group).output();
        assert!(
            Command::new("groupadd")
                .arg(&cell.group)
                .status()
                .unwrap()
                .success()
        );
        for a in &cell.accounts {
            let ok = Command::new("useradd")
                .args(["-M", "-s", "/bin/sh", "-G", &cell.group, a])
                .status()
                .unwrap()
                .success();
            assert!(ok, "useradd {a}");
        }
        Some(cell)
    }
}

impl Drop for Cell {
    fn drop(&mut self) {
        for a in &self.accounts {
            let _ = Command::new("userdel").arg(a).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}

/// `reprise attach --as NAME` at a pseudo-terminal, as `account` when
/// given (through `su`).
fn team(drill: &Drill, name: &str, account: Option<&str>) -> Session {
    let mut s = match account {
        Some(a) => {
            let mut c = Command::new("su");
            let script = format!(
                "cd '{}' && TERM=xterm-256color exec '{}' attach j.jsonl --as {name}",
                drill.dir.path().display(),
                crate::harness::BIN
            );
            c.args([a, "-s", "/bin/sh", "-c", &script]);
            let mut s = Session::spawn(c).expect("spawn a team's terminal");
            s.set_expect_timeout(Some(crate::harness::PTY_BOUND));
            s
        }
        None => crate::harness::Test::at(drill.dir.path())
            .args(["attach", "j.jsonl", "--as", name])
            .env_remove("NO_COLOR")
            .pty(),
    };
    s.expect(format!("attached to the drill as {name}").as_str())
        .unwrap_or_else(|e| panic!("{name} did not attach: {e}"));
    s
}

#[test]
fn a_coordinator_and_three_teams_close_their_own_steps_out_of_order() {
    let cell = Cell::create();
    let group: Vec<&str> = match &cell {
        Some(c) => vec!["--group", c.group.as_str()],
        None => Vec::new(),
    };
    let mut drill = Drill::start(CELL, &group);
    std::fs::set_permissions(drill.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let me = nix::unistd::User::from_uid(nix::unistd::getuid())
        .unwrap()
        .unwrap()
        .name;
    let account = |i: usize| cell.as_ref().map(|c| c.accounts[i].clone());
    let names = ["storage", "systems", "lab"];
    let mut teams: Vec<Screen> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Screen::new(team(&drill, n, account(i).as_deref())))
        .collect();
    // What the coordinator's terminal printed.
    let mut coord = String::new();
    let mut watcher = Screen::new(drill.attach("wall", &["--read-only"]));

    // Out of order, interleaved: (team, item, step).
    let order = [
        (2, 6, "results-ok"),
        (0, 2, "lun-map"),
        (1, 4, "dns-switch"),
        (2, 5, "sample-run"),
        (0, 1, "array-check"),
        (1, 3, "vm-boot"),
    ];
    for (t, item, step) in order {
        for other in teams.iter_mut() {
            other.pump();
        }
        pump(&mut drill.coordinator, &mut coord);
        watcher.pump();
        // Typed once the team's terminal shows the item open, as a person
        // does (the drill opens its items one by one).
        teams[t].wait_for(&format!("`done {item}`"), 1);
        teams[t].type_line(&format!("done {item}"));
        let records = drill.finished(step);
        assert_eq!(records.len(), 1, "{step}: {records:?}");
        // Every terminal sees it, the read-only one too.
        watcher.wait_line(&[step, "done", &format!(" by {}", names[t])]);
    }
    // The coordinator's step opens last.
    wait_for(&mut drill.coordinator, &mut coord, "`done 7`", 1);
    drill.coordinator.send_line("done 7").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    for t in &mut teams {
        t.wait_for("the drill ended", 1);
    }

    let events = drill.journal();
    for (t, _, step) in order {
        let e = events
            .iter()
            .find(|e| e["event"] == "step_finished" && e["step"] == step)
            .unwrap();
        let expected = account(t).unwrap_or_else(|| me.clone());
        assert_eq!(e["by"], names[t], "{e}");
        assert_eq!(e["account"], expected.as_str(), "{e}");
    }
    let go = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "go-live")
        .unwrap();
    assert_eq!(
        (go["by"].as_str(), go["account"].as_str()),
        (Some("coord"), Some(me.as_str()))
    );
    let order_seen: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        order_seen,
        [
            "results-ok",
            "lun-map",
            "dns-switch",
            "sample-run",
            "array-check",
            "vm-boot",
            "go-live"
        ]
    );
    assert_eq!(events.last().unwrap()["result"], "recovered");
    drill.verified();
}
