//! The crisis cell: who made each record (declared name, OS account,
//! origin), terminals attached to a running drill, hang-ups, holds.

use crate::harness::{Output, Test};

/// The events of a journal, as JSON values.
pub fn journal(out: &Output, name: &str) -> Vec<serde_json::Value> {
    out.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The user name this test runs as, from the user database.
pub fn me() -> String {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| nix::unistd::getuid().to_string())
}

const TWO_MANUAL: &str = r#"version: 1
name: Two manual steps
steps:
  - id: declare
    title: Declare the incident
  - id: notify
    title: Notify the teams
    needs: [declare]
  - id: check
    title: Check
    run: "true"
    needs: [notify]
"#;

#[test]
fn records_carry_the_declared_name_the_os_account_and_the_ssh_origin() {
    let t = Test::new()
        .file("rb.yaml", TWO_MANUAL)
        .env("SSH_CONNECTION", "10.0.0.7 52311 10.0.0.1 22")
        .args([
            "run",
            "rb.yaml",
            "--yes",
            "--operator",
            "night-lead",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    let started = &events[0];
    assert_eq!(started["operator"], "night-lead");
    assert_eq!(started["account"], me().as_str());
    assert_eq!(started["from"], "10.0.0.7");
    let finished: Vec<_> = events
        .iter()
        .filter(|e| e["event"] == "step_finished")
        .map(|e| {
            format!(
                "{} by={} account={} from={}",
                e["step"].as_str().unwrap(),
                e["by"].as_str().unwrap(),
                e["account"].as_str().unwrap_or("-"),
                e["from"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    let me = me();
    assert_eq!(
        finished,
        [
            format!("declare by=night-lead account={me} from=10.0.0.7"),
            format!("notify by=night-lead account={me} from=10.0.0.7"),
            format!("check by=night-lead account={me} from=10.0.0.7"),
        ]
    );
    // The journal with its new fields still verifies and reports.
    Test::new()
        .args(["verify", out.dir.join("j.jsonl").to_str().unwrap()])
        .run()
        .code(0);
}

#[test]
fn a_forged_ssh_connection_is_not_recorded_as_an_origin() {
    let t = Test::new()
        .file("rb.yaml", TWO_MANUAL)
        .env("SSH_CONNECTION", "\u{1b}[2Jevil 1 2 3")
        .args(["run", "rb.yaml", "--yes", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    let events = journal(&out, "j.jsonl");
    assert!(events.iter().all(|e| e.get("from").is_none()), "{events:?}");
    assert_eq!(events[0]["account"], me().as_str());
}
