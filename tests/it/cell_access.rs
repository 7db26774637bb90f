//! Who may attach: a second Unix account, created by the test, cannot
//! attach to a drill it was not let into; once in the drill's `--group`, it
//! can, and its records carry its own account. Creating accounts needs
//! root: without it the test says so and is skipped.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command, Output};

use expectrl::Expect;

use crate::cell::Drill;

/// A Unix account and a group created for the test, removed when dropped.
struct Accounts {
    user: String,
    group: String,
}

impl Accounts {
    fn create() -> Accounts {
        let n = std::process::id() % 100_000;
        let a = Accounts {
            user: format!("rcell{n}"),
            group: format!("rcrisis{n}"),
        };
        let _ = Command::new("userdel").arg(&a.user).output();
        let _ = Command::new("groupdel").arg(&a.group).output();
        run(Command::new("groupadd").arg(&a.group));
        run(Command::new("useradd").args(["-M", "-s", "/bin/sh", &a.user]));
        a
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        let _ = Command::new("userdel").arg(&self.user).output();
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
    let tools = ["useradd", "groupadd", "usermod", "su"].iter().all(|t| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if nix::unistd::geteuid().is_root() && tools {
        return true;
    }
    eprintln!(
        "skipped: creating Unix accounts and groups needs root, useradd, groupadd, usermod and su"
    );
    false
}

/// `reprise attach j.jsonl --as night` as `user`, typing `input`.
fn attach_as(drill: &Drill, user: &str, input: &str) -> Output {
    let script = format!(
        "cd '{}' && printf '{input}' | NO_COLOR=1 '{}' attach j.jsonl --as night",
        drill.dir.path().display(),
        crate::harness::BIN
    );
    Command::new("su")
        .args([user, "-s", "/bin/sh", "-c", &script])
        .output()
        .unwrap()
}

const TWO: &str = r#"version: 1
name: Group
steps:
  - id: restore-db
    title: Restore the database
  - id: check-app
    title: Check the application
"#;

#[test]
fn an_account_attaches_only_through_the_drills_group_and_records_under_its_account() {
    if !root() {
        return;
    }
    let accounts = Accounts::create();
    let mut drill = Drill::start(TWO, &["--group", &accounts.group]);
    std::fs::set_permissions(drill.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let socket = drill.dir.path().join("j.jsonl.sock");
    let meta = std::fs::metadata(&socket).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o660, "group-accessible");
    let gid = nix::unistd::Group::from_name(&accounts.group)
        .unwrap()
        .unwrap()
        .gid;
    assert_eq!(meta.gid(), gid.as_raw(), "the socket's group is --group's");

    // Not in the group yet: refused, told why and how.
    let out = attach_as(&drill, &accounts.user, "done 1\\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("may not attach"), "{stderr}");
    assert!(
        stderr.contains("j.jsonl.sock"),
        "names the socket: {stderr}"
    );
    assert!(stderr.contains("--group"), "names --group: {stderr}");
    assert!(
        drill
            .journal()
            .iter()
            .all(|e| e["event"] != "step_finished"),
        "nothing recorded"
    );

    // In the group: it attaches and records its step under its account.
    run(Command::new("usermod").args(["-aG", &accounts.group, &accounts.user]));
    let out = attach_as(&drill, &accounts.user, "done 1\\ndetach\\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("attached to the drill as night"),
        "{stdout}"
    );
    let records = drill.finished("restore-db");
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["by"], "night");
    assert_eq!(
        records[0]["account"],
        accounts.user.as_str(),
        "the account is the socket peer's, not the coordinator's"
    );

    drill.coordinator.send_line("done 2").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    let events = drill.journal();
    let coordinator = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "check-app")
        .unwrap();
    assert_eq!(coordinator["account"], "root");
    drill.verified();
}

#[test]
fn an_unknown_group_is_refused_before_anything_starts() {
    let t = crate::harness::Test::new().file("rb.yaml", TWO).args([
        "run",
        "rb.yaml",
        "--journal",
        "j.jsonl",
        "--yes",
        "--group",
        "no-such-group-x",
    ]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr.contains("no Unix group `no-such-group-x`"),
        "{}",
        out.stderr
    );
    assert!(!t.path().join("j.jsonl").exists(), "no journal was started");
}
