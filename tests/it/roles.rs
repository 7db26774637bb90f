//! Roles with real Unix accounts: a drill started by root (a coordinator)
//! is resumed by an account of one role, which may record its role's step
//! and is refused on the other role's step (nothing recorded, the drill
//! stops naming the role and its members). The accounts are created by the
//! test with `useradd` and removed after; without root the test says so
//! and is skipped.
//!
//! The two-person rule with two accounts attached at once is in
//! `two_person.rs`.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::harness::Test;

/// A Unix account created for the test, removed when dropped.
struct Account(String);

impl Account {
    fn create(prefix: &str) -> Account {
        let name = format!("{prefix}{}", std::process::id() % 100_000);
        let _ = Command::new("userdel").arg(&name).output();
        let out = Command::new("useradd")
            .args(["-M", "-s", "/bin/sh", &name])
            .output()
            .expect("useradd");
        assert!(
            out.status.success(),
            "useradd {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Account(name)
    }
}

impl Drop for Account {
    fn drop(&mut self) {
        let _ = Command::new("userdel").arg(&self.0).output();
    }
}

fn root() -> bool {
    if nix::unistd::geteuid().is_root() && Command::new("useradd").arg("--help").output().is_ok() {
        return true;
    }
    eprintln!("skipped: creating Unix accounts needs root and useradd");
    false
}

fn runbook(lab: &str, storage: &str) -> String {
    format!(
        "version: 1
name: Roles drill
roles:
  lab: {{ members: [{lab}] }}
  storage: {{ members: [{storage}] }}
steps:
  - id: wait
    title: Wait for the go file
    run: test -f go || sleep 30
    timeout: 1m
    idempotent: true
  - id: sample
    title: Check a lab sample
    role: lab
    needs: [wait]
  - id: switch
    title: Switch the array
    role: storage
    needs: [wait, sample]
"
    )
}

/// Starts the drill as root, kills it (SIGKILL) while `wait` runs, and
/// ends the leftover command, so that the journal waits for a resume.
fn interrupted_by_root(t: &Test) {
    let dir = t.path();
    let mut child = Test::at(dir)
        .args([
            "run",
            "plan.yaml",
            "--journal",
            "j.jsonl",
            "--answers",
            "root.yaml",
        ])
        .spawn();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let pid = loop {
        let text = std::fs::read_to_string(dir.join("j.jsonl")).unwrap_or_default();
        let started = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|e| e["event"] == "step_started" && e["pid"].is_u64());
        if let Some(e) = started {
            break e["pid"].as_u64().unwrap() as i32;
        }
        assert!(std::time::Instant::now() < deadline, "`wait` never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = nix::sys::signal::killpg(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    );
    std::fs::write(dir.join("go"), "").unwrap();
}

/// `reprise resume` as `account` (the folder handed over to it first).
fn resume_as(t: &Test, account: &str) -> std::process::Output {
    let dir = t.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let chown = Command::new("chown")
        .args(["-R", account])
        .arg(dir)
        .status()
        .unwrap();
    assert!(chown.success());
    let script = format!(
        "cd '{}' && NO_COLOR=1 '{}' resume j.jsonl --answers answers.yaml </dev/null",
        dir.display(),
        crate::harness::BIN
    );
    Command::new("su")
        .args([account, "-s", "/bin/sh", "-c", &script])
        .output()
        .unwrap()
}

fn finished(journal: &Path, step: &str) -> Option<serde_json::Value> {
    std::fs::read_to_string(journal)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|e| e["event"] == "step_finished" && e["step"] == step)
}

#[test]
fn an_account_records_its_roles_step_and_is_refused_on_another() {
    if !root() {
        return;
    }
    let lab = Account::create("rplab");
    let stor = Account::create("rpsto");
    let answers = "sample: done\nswitch: done\n";
    let t = Test::new()
        .file("plan.yaml", runbook(&lab.0, &stor.0))
        .file("root.yaml", answers)
        .file("answers.yaml", answers);
    interrupted_by_root(&t);

    // The lab account resumes: it may record `sample`, not `switch`.
    let out = resume_as(&t, &lab.0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let journal = t.path().join("j.jsonl");
    let sample = finished(&journal, "sample").expect("sample recorded");
    assert_eq!(sample["outcome"], "done");
    assert_eq!(sample["account"], lab.0.as_str(), "{sample}");
    assert!(sample.get("for_role").is_none(), "{sample}");
    let refusal = format!(
        "refused: account `{}` may not record step 3 `switch`: it belongs to role `storage` ({})",
        lab.0, stor.0
    );
    assert!(stderr.contains(&refusal), "{stderr}");
    if let Some(e) = finished(&journal, "switch") {
        assert_eq!(e["outcome"], "aborted", "nothing recorded for lab: {e}");
    }
    Test::new()
        .args(["verify", journal.to_str().unwrap()])
        .run()
        .success();
}

#[test]
fn the_other_role_is_refused_the_first_step_and_the_starter_records_anything() {
    if !root() {
        return;
    }
    let lab = Account::create("rplbb");
    let stor = Account::create("rpstt");
    let answers = "sample: done\nswitch: done\n";
    let t = Test::new()
        .file("plan.yaml", runbook(&lab.0, &stor.0))
        .file("root.yaml", answers)
        .file("answers.yaml", answers);
    interrupted_by_root(&t);

    // The storage account may not record the lab's step.
    let out = resume_as(&t, &stor.0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "refused: account `{}` may not record step 2 `sample`: it belongs to role `lab` ({})",
            stor.0, lab.0
        )),
        "{stderr}"
    );

    // root started the drill: a coordinator, it records both, each for
    // its role (a fresh drill: the first one ended aborted).
    let t = Test::new()
        .file("plan.yaml", runbook(&lab.0, &stor.0))
        .file("go", "")
        .file("answers.yaml", answers)
        .args([
            "run",
            "plan.yaml",
            "--journal",
            "j.jsonl",
            "--answers",
            "answers.yaml",
        ]);
    t.run().code(0);
    let journal = t.path().join("j.jsonl");
    for (step, role) in [("sample", "lab"), ("switch", "storage")] {
        let e = finished(&journal, step).unwrap();
        assert_eq!(e["for_role"], role, "{e}");
    }
    // The report says who recorded each step and for which role.
    let report = Test::new()
        .args(["report", "--format", "md", journal.to_str().unwrap()])
        .run()
        .success();
    let text = &report.stdout;
    for role in ["lab", "storage"] {
        assert!(
            text.contains(&format!("Recorded by root for role {role}")),
            "{text}"
        );
    }
}

#[test]
fn an_incident_never_auto_approves_a_step_needing_approvals() {
    let runbook = "version: 1
name: Switch
roles:
  storage: { members: [root, daemon] }
steps:
  - id: switch
    title: Switch production
    role: storage
    approvals: 2
    only: incident
";
    for flags in [&["--yes"][..], &["--answers", "a.yaml"][..]] {
        let mut args = vec!["run", "plan.yaml", "--incident", "--journal", "j.jsonl"];
        args.extend_from_slice(flags);
        let t = Test::new()
            .file("plan.yaml", runbook)
            .file("a.yaml", "switch: done\n")
            .args(args);
        let out = t.run();
        out.code(2);
        assert!(
            out.stderr.contains("step 1 `switch` needs 2 approvals")
                && out.stderr.contains("never auto-approved; nothing was run"),
            "{}",
            out.stderr
        );
        assert!(t.path().join("plan.yaml").exists());
        assert!(!t.path().join("j.jsonl").exists(), "nothing was run");
    }
    // A drill (not an incident) still rehearses with --yes: auto-confirmed.
    let t = Test::new()
        .file("plan.yaml", runbook.replace("    only: incident\n", ""))
        .args(["run", "plan.yaml", "--journal", "j.jsonl", "--yes"]);
    t.run().code(0);
    let journal = std::fs::read_to_string(t.path().join("j.jsonl")).unwrap();
    assert!(
        journal.contains(r#""source":"auto_confirmed""#),
        "{journal}"
    );
}

#[test]
fn an_account_adds_steps_for_its_role_but_not_in_front_of_another_roles_step() {
    if !root() {
        return;
    }
    let lab = Account::create("rpadl");
    let stor = Account::create("rpads");
    // The lab account adds a step of its own (allowed), then one that
    // would make storage's `switch` wait (refused: a coordinator's call).
    let answers = "\
sample:
  answer: done
  changes:
    - add: { title: Re-run the lab check, role: lab, after: sample, reason: sample was cloudy }
    - add: { title: Wait for the lab, role: lab, before: switch, reason: not sure yet }
switch: done
added-4: done
added-5: done
";
    let t = Test::new()
        .file("plan.yaml", runbook(&lab.0, &stor.0))
        .file("root.yaml", "sample: done\nswitch: done\n")
        .file("answers.yaml", answers);
    interrupted_by_root(&t);

    let out = resume_as(&t, &lab.0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let refusal = "refused: only those who may record step 3 `switch` (`storage`) or a \
                   coordinator (root) may make it wait for a new step; nothing was added";
    assert!(stderr.contains(refusal), "{stderr}");
    let journal = t.path().join("j.jsonl");
    let added: Vec<serde_json::Value> = std::fs::read_to_string(&journal)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["event"] == "step_added")
        .collect();
    assert_eq!(added.len(), 1, "only the lab's own step: {added:?}");
    assert_eq!(added[0]["step"], "added-4");
    assert_eq!(added[0]["role"], "lab");
    assert_eq!(added[0]["account"], lab.0.as_str(), "{}", added[0]);
}
