//! Evidence an auditor can rely on (issue 15): every reason kept, the true
//! critical path, the headline, performed by / recorded by, per-service
//! RTO and measured RPO — through the binary, journal to report.

use serde_json::Value;

use crate::harness::{Output, Test};

/// The journal's events.
fn journal(out: &Output, name: &str) -> Vec<Value> {
    out.read(name)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// `reprise report` of a journal in `format`, exit 0.
fn report(out: &Output, journal: &str, format: &str) -> String {
    let t = Test::new()
        .file("j.jsonl", out.read(journal))
        .env("TZ", "UTC")
        .args(["report", "j.jsonl", "--format", format]);
    let r = t.run();
    r.code(0);
    r.stdout
}

/// The Markdown section under `heading`, up to the next `## `.
pub fn section<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in\n{md}"));
    let rest = &md[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

const FAIL_THEN_CONTINUE: &str = r#"version: 1
name: lab results
steps:
  - id: check-results
    title: Check a lab result reaches the patient record
    role: biologist
  - id: reopen
    title: Reopen the lab
    run: "true"
    timeout: 1m
    needs: [check-results]
"#;

#[test]
fn a_failed_manual_step_keeps_its_reason_with_answers() {
    let t = Test::new()
        .file("rb.yaml", FAIL_THEN_CONTINUE)
        .file(
            "answers.yaml",
            "check-results:\n\
             \x20 - { answer: failed, reason: the result does not reach the patient record }\n\
             \x20 - { answer: continue, reason: \"accepted, ticket opened\" }\n",
        )
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--journal",
            "j.jsonl",
        ])
        .args(["--operator", "alice"]);
    let out = t.run();
    out.code(1);
    let events = journal(&out, "j.jsonl");
    let decisions: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["event"] == "decision" && e["step"] == "check-results")
        .map(|e| {
            (
                e["decision"].as_str().unwrap(),
                e["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        [
            (
                "mark_failed",
                "the result does not reach the patient record"
            ),
            ("continue", "accepted, ticket opened")
        ],
        "{events:#?}"
    );
    let md = report(&out, "j.jsonl", "md");
    let deviations = section(&md, "## Deviations");
    for reason in [
        "the result does not reach the patient record",
        "accepted, ticket opened",
    ] {
        assert!(deviations.contains(reason), "{reason} not in\n{md}");
        let details = section(&md, "## Steps");
        assert!(
            details.contains(reason),
            "{reason} not in the step details\n{md}"
        );
    }
}

/// Estimates say `notice` is the slow one; in reality `diagnose` is.
const DISAGREE: &str = r#"version: 1
name: estimates and reality
phases:
  - id: assess
    title: Assess
    steps:
      - id: notice
        title: Send the exercise notice
        estimate: 10m
        run: "true"
        timeout: 1m
      - id: diagnose
        title: Diagnose the damage
        estimate: 1m
        run: "sleep 0.5"
        timeout: 1m
  - id: restore
    title: Restore
    steps:
      - id: restore-db
        title: Restore the database
        estimate: 5m
        run: "true"
        timeout: 1m
      - id: check
        title: Check the application
        estimate: 1m
        run: "true"
        timeout: 1m
        needs: [restore-db]
"#;

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn the_actual_critical_path_follows_what_really_released_each_step() {
    let t = Test::new()
        .file("rb.yaml", DISAGREE)
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    // The journal records the whole phase as a prerequisite.
    let events = journal(&out, "j.jsonl");
    let restore = events[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "restore-db")
        .unwrap();
    assert_eq!(ids(&restore["needs_phases"]), ["assess"], "{restore}");

    let json: Value = serde_json::from_str(&report(&out, "j.jsonl", "json")).unwrap();
    let paths = &json["critical_path"];
    assert_eq!(
        ids(&paths["actual"]["steps"]),
        ["diagnose", "restore-db", "check"],
        "{paths}"
    );
    // The planned path is `reprise plan`'s, step for step.
    let plan = Test::new()
        .file("rb.yaml", DISAGREE)
        .args(["plan", "rb.yaml", "--format", "json"]);
    let plan = plan.run();
    plan.code(0);
    let plan: Value = serde_json::from_str(&plan.stdout).unwrap();
    assert_eq!(
        ids(&paths["planned"]["steps"]),
        ids(&plan["critical_path"]["steps"]),
    );
    assert_eq!(
        ids(&paths["planned"]["steps"]),
        ["notice", "restore-db", "check"]
    );
    assert_eq!(
        paths["planned"]["seconds"],
        plan["critical_path"]["total_secs"]
    );
}

/// The shipped runbooks: the report of a dry run plans the same path as
/// `reprise plan`, whatever their phases and ties.
#[test]
fn the_reports_planned_path_is_plans_on_every_shipped_runbook() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let t = Test::new().file("rb.yaml", &text).args([
            "run",
            "rb.yaml",
            "--dry-run",
            "--journal",
            "j.jsonl",
        ]);
        let out = t.run();
        assert!(
            out.code == 0 || out.code == 1,
            "{}: {}",
            path.display(),
            out.stderr
        );
        let json: Value = serde_json::from_str(&report(&out, "j.jsonl", "json")).unwrap();
        let p = Test::new()
            .file("rb.yaml", &text)
            .args(["plan", "rb.yaml", "--format", "json"]);
        let p = p.run();
        let plan: Value = serde_json::from_str(&p.stdout).unwrap();
        assert_eq!(
            ids(&json["critical_path"]["planned"]["steps"]),
            ids(&plan["critical_path"]["steps"]),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_recovery_after_the_rto_says_so_first() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: slow\nobjectives:\n  rto: 1s\nsteps:\n  - id: restore\n    title: Restore\n    estimate: 1s\n    run: \"sleep 2.2\"\n    timeout: 1m\n",
        )
        .args(["run", "rb.yaml", "--journal", "j.jsonl"]);
    let out = t.run();
    out.code(0);
    // The end-of-run summary's result line.
    let result = out
        .stderr
        .lines()
        .chain(out.stdout.lines())
        .find(|l| l.starts_with("result:"))
        .unwrap_or_else(|| panic!("no result line\n{}{}", out.stdout, out.stderr));
    assert!(
        result.starts_with("result: drill recovered — RTO missed by "),
        "{result}"
    );
    // The report's first lines, in both human formats.
    let md = report(&out, "j.jsonl", "md");
    let headline = md.lines().find(|l| l.starts_with("**")).unwrap();
    assert!(
        headline.starts_with("**Recovered — RTO missed by 1s"),
        "{headline}\n{md}"
    );
    let html = report(&out, "j.jsonl", "html");
    assert!(
        html.contains("<div class=\"headline degraded\">Recovered — RTO missed by 1s"),
        "{html}"
    );
}

#[test]
fn a_command_is_performed_by_reprise_and_a_manual_step_by_its_team() {
    let t = Test::new()
        .file(
            "rb.yaml",
            "version: 1\nname: who\nsteps:\n  - id: declare\n    title: Declare\n    role: crisis cell\n  - id: restore\n    title: Restore\n    run: \"true\"\n    timeout: 1m\n    needs: [declare]\n",
        )
        .file("answers.yaml", "declare: done\n")
        .args(["run", "rb.yaml", "--answers", "answers.yaml", "--journal", "j.jsonl"])
        .args(["--operator", "alice"]);
    let out = t.run();
    out.code(0);
    let account = out.read("j.jsonl");
    let account: Value = serde_json::from_str(account.lines().next().unwrap()).unwrap();
    let account = account["account"]
        .as_str()
        .expect("run_started records the account");

    let json: Value = serde_json::from_str(&report(&out, "j.jsonl", "json")).unwrap();
    let step = |id: &str| {
        json["phases"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    let restore = step("restore");
    let performer = restore["performed_by"].as_str().unwrap();
    assert!(
        performer.starts_with(&format!("reprise as {account} on ")),
        "{restore}"
    );
    assert_eq!(restore["recorded_by"], "reprise", "{restore}");
    let declare = step("declare");
    assert_eq!(declare["performed_by"], "crisis cell", "{declare}");
    assert_eq!(declare["recorded_by"], "alice", "{declare}");
    let md = report(&out, "j.jsonl", "md");
    assert!(
        !md.lines()
            .any(|l| l.contains("`restore`") && l.contains("alice")),
        "alice did not run the command\n{md}"
    );

    // `status` says the same.
    let s = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["status", "j.jsonl"]);
    let s = s.run();
    s.code(0);
    let line = s.stdout.lines().find(|l| l.contains(" restore ")).unwrap();
    assert!(
        line.contains(&format!("by reprise as {account} on ")),
        "{line}"
    );
    assert!(!line.contains("alice"), "{line}");
    let line = s.stdout.lines().find(|l| l.contains(" declare ")).unwrap();
    assert!(line.contains("by crisis cell, recorded by alice"), "{line}");
}
