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
