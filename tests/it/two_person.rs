//! Issue 14 end to end: two Unix accounts, created by the test, attached at
//! the same time to one drill (through its `--group`). Each may close its
//! own role's step and is refused on another role's; a step with
//! `approvals: 2` proceeds only once both have confirmed, and the same
//! account confirming twice counts once. Creating accounts needs root:
//! without it the test says so and is skipped.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

use expectrl::Expect;
use expectrl::session::OsSession as Session;

use crate::cell::Drill;
use crate::screen::Screen;

/// Two accounts in one group, removed when dropped.
struct Accounts {
    users: [String; 2],
    group: String,
}

impl Accounts {
    fn create() -> Accounts {
        let n = std::process::id() % 100_000;
        let a = Accounts {
            users: [format!("rstor{n}a"), format!("rstor{n}b")],
            group: format!("rcell2{n}"),
        };
        for u in &a.users {
            let _ = Command::new("userdel").arg(u).output();
        }
        let _ = Command::new("groupdel").arg(&a.group).output();
        run(Command::new("groupadd").arg(&a.group));
        for u in &a.users {
            run(Command::new("useradd").args(["-M", "-s", "/bin/sh", "-G", &a.group, u]));
        }
        a
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        for u in &self.users {
            let _ = Command::new("userdel").arg(u).output();
        }
        let _ = Command::new("groupdel").arg(&self.group).output();
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run an account command");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn root() -> bool {
    let tools = ["useradd", "groupadd", "su"].iter().all(|t| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if nix::unistd::geteuid().is_root() && tools {
        return true;
    }
    eprintln!("skipped: creating two Unix accounts needs root, useradd, groupadd and su");
    false
}

/// `reprise attach` as Unix account `user` at a pseudo-terminal of its
/// own, once attached.
fn attach_as(drill: &Drill, user: &str) -> Screen {
    let script = format!(
        "cd '{}' && TERM=xterm-256color NO_COLOR=1 '{}' attach j.jsonl --as {user}",
        drill.dir.path().display(),
        crate::harness::BIN
    );
    let mut cmd = Command::new("su");
    cmd.args([user, "-s", "/bin/sh", "-c", &script]);
    let mut s = Session::spawn(cmd).expect("spawn su reprise attach");
    s.set_expect_timeout(Some(Duration::from_secs(60)));
    s.expect(format!("attached to the drill as {user}").as_str())
        .unwrap_or_else(|e| panic!("{user} did not attach: {e}"));
    Screen::new(s)
}

/// The hint a terminal prints with a step's open question.
fn open_item(id: &str) -> String {
    format!("(or `done {id}`)")
}

/// The journal's records of kind `event` about `step`, once there are
/// `at_least` (bounded wait).
fn records(drill: &Drill, event: &str, step: &str, at_least: usize) -> Vec<serde_json::Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found: Vec<_> = drill
            .journal()
            .into_iter()
            .filter(|e| e["event"] == event && e["step"] == step)
            .collect();
        if found.len() >= at_least || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn runbook(a: &str, b: &str) -> String {
    format!(
        "version: 1
name: Two persons
roles:
  storage: {{ members: [{a}, {b}] }}
  lab: {{ members: [{b}] }}
steps:
  - id: lab-check
    title: Check a lab sample
    role: lab
  - id: switch
    title: Switch the array
    role: storage
    approvals: 2
"
    )
}

#[test]
fn two_accounts_each_close_their_roles_step_and_both_are_needed_for_two_approvals() {
    if !root() {
        return;
    }
    let accounts = Accounts::create();
    let [a, b] = &accounts.users;
    let mut drill = Drill::start(&runbook(a, b), &["--group", &accounts.group]);
    std::fs::set_permissions(drill.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut first = attach_as(&drill, a);
    let mut second = attach_as(&drill, b);

    // The first account is not in `lab`: refused, nothing recorded.
    // Each types once its terminal shows the item open, as a person does.
    first.wait_for(&open_item("lab-check"), 1);
    first.type_line("done lab-check");
    first.wait_for("may not record step 1 `lab-check`", 1);
    first.wait_for("role `lab`", 1);

    // Its confirmation counts once, however often it confirms.
    first.wait_for(&open_item("switch"), 1);
    let asked = first.count(&open_item("switch"));
    first.type_line("done switch");
    assert_eq!(records(&drill, "approval", "switch", 1).len(), 1);
    // The question comes back, one approval given.
    first.wait_for(&open_item("switch"), asked + 1);
    first.type_line("done switch");
    first.wait_for("has already approved step 2 `switch` (1 of 2)", 1);
    // The refusal was printed after the engine weighed both
    // confirmations: a finish would already be in the journal.
    assert!(
        !drill
            .journal()
            .iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "switch"),
        "one account is not enough"
    );

    // The second account completes the two-person rule, then closes its
    // own role's step.
    second.wait_for(&open_item("switch"), 1);
    second.type_line("done switch");
    let switched = records(&drill, "step_finished", "switch", 1);
    assert_eq!(switched.len(), 1, "two accounts confirmed");
    assert_eq!(switched[0]["outcome"], "done");
    assert_eq!(switched[0]["account"], b.as_str());
    second.wait_for(&open_item("lab-check"), 1);
    second.type_line("done lab-check");
    drill
        .coordinator
        .expect(expectrl::Eof)
        .expect("the drill ends once both steps are done");

    let approvals = records(&drill, "approval", "switch", 2);
    let who: Vec<(&str, u64)> = approvals
        .iter()
        .map(|e| (e["account"].as_str().unwrap(), e["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(who, [(a.as_str(), 1), (b.as_str(), 2)]);
    let lab = records(&drill, "step_finished", "lab-check", 1);
    assert_eq!(lab.len(), 1);
    assert_eq!(
        lab[0]["account"],
        b.as_str(),
        "only its role's member closed it"
    );
    drill.verified();
    drop(first);
    drop(second);
}
