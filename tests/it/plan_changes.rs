//! Issue 25: changes to the plan scripted in an answers file (`changes:`
//! under an answer): `add`, `estimate`, `assign`, `cancel`, recorded as at
//! the prompt, with their reasons and who made them.

use crate::harness::{Output, Test};

/// A storage-array failure: the part is ordered, the archive is checked,
/// then traffic is switched back.
const RB: &str = r#"version: 1
name: array failure
steps:
  - id: declare
    title: Declare the incident
  - id: order-part
    title: Order the spare part
    estimate: 1h
    needs: [declare]
  - id: archive
    title: Check the archive
    needs: [declare]
  - id: switch
    title: Switch traffic back
    needs: [order-part]
"#;

fn journal(out: &Output) -> Vec<serde_json::Value> {
    out.read("j.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The drill's output, and its folder (kept while the `Test` lives).
fn run(answers: &str) -> (Test, Output) {
    let t = Test::new()
        .file("rb.yaml", RB)
        .file("answers.yaml", answers)
        .args([
            "run",
            "rb.yaml",
            "--answers",
            "answers.yaml",
            "--operator",
            "alice",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    (t, out)
}

fn position(events: &[serde_json::Value], kind: &str, step: &str) -> usize {
    events
        .iter()
        .position(|e| e["event"] == kind && e["step"] == step)
        .unwrap_or_else(|| panic!("no {kind} for {step}"))
}

#[test]
fn an_answers_file_adds_re_estimates_assigns_and_cancels() {
    let (_t, out) = run(r#"
declare:
  answer: done
  changes:
    - add:
        title: Restore vol7 from tape
        after: declare
        before: [switch]
        estimate: 2h
        reason: vol7 is corrupted
    - estimate: { step: order-part, duration: 5h, reason: the vendor is late }
    - assign: { step: 4, to: night-shift, reason: the day team goes home }
    - cancel: { step: archive, reason: "not needed: the array came back" }
order-part: done
added-5: done
switch: done
"#);
    let events = journal(&out);
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(
        kinds.contains(&"run_finished"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );

    let added = &events[position(&events, "step_added", "added-5")];
    assert_eq!(added["number"], 5);
    assert_eq!(added["title"], "Restore vol7 from tape");
    assert_eq!(added["after"][0], "declare");
    assert_eq!(added["before"][0], "switch");
    assert_eq!(added["reason"], "vol7 is corrupted");
    assert_eq!(added["by"], "alice");

    let revised = &events[position(&events, "estimate_revised", "order-part")];
    assert_eq!(revised["estimate"], "5h");
    assert_eq!(revised["previous"], "1h");
    assert_eq!(revised["reason"], "the vendor is late");

    let assigned = &events[position(&events, "step_assigned", "switch")];
    assert_eq!(assigned["to"], "night-shift");
    assert_eq!(assigned["reason"], "the day team goes home");

    let cancelled = position(&events, "step_cancelled", "archive");
    let skipped = &events[position(&events, "step_finished", "archive")];
    assert!(cancelled < position(&events, "step_finished", "archive"));
    assert_eq!(skipped["outcome"], "skipped");
    assert_eq!(skipped["source"], "operator");

    // The changes were made before `declare` was recorded, and `switch`
    // waited for the added step.
    assert!(
        position(&events, "step_added", "added-5") < position(&events, "step_finished", "declare")
    );
    assert!(
        position(&events, "step_finished", "added-5") < position(&events, "step_ready", "switch"),
        "switch waits for the added step"
    );
    assert_eq!(
        events[position(&events, "step_finished", "switch")]["outcome"],
        "done"
    );

    let md = Test::new().clone_run(&[
        "report",
        "--format",
        "md",
        out.dir.join("j.jsonl").to_str().unwrap(),
    ]);
    let changes = crate::evidence::section(&md, "## Changes to the plan during the exercise");
    for said in [
        "Restore vol7 from tape",
        "vol7 is corrupted",
        "the vendor is late",
        "the day team goes home",
        "the array came back",
    ] {
        assert!(changes.contains(said), "{said}\n{md}");
    }
}

#[test]
fn changes_with_mistakes_are_refused_with_their_lines() {
    let (_t, out) = run(r#"declare:
  answer: done
  changes:
    - cancel: { step: 9, reason: x }
    - estimate: { step: order-part, duration: soon, reason: x }
    - assign: { step: switch, to: lab }
order-part: done
added-5: done
"#);
    out.code(2);
    for said in [
        "answers.yaml:4:7: `9` (in `cancel`) is not a step",
        "answers.yaml:5:7: `duration: soon`",
        "answers.yaml:6:7: `assign` needs a reason",
        "answers.yaml:8:1: unknown step `added-5`",
    ] {
        assert!(out.stderr.contains(said), "{said}\n{}", out.stderr);
    }
    assert!(
        !out.dir.join("j.jsonl").exists(),
        "nothing ran: {}",
        out.stderr
    );
}

#[test]
fn a_scripted_cycle_stops_the_drill_with_the_cycle_shown() {
    let (_t, out) = run(r#"declare:
  answer: done
  changes:
    - add: { title: Check the array, after: switch, before: order-part, reason: x }
order-part: done
archive: done
switch: done
"#);
    out.code(3);
    let events = journal(&out);
    assert!(
        !events.iter().any(|e| e["event"] == "step_added"),
        "nothing was added"
    );
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(
        all.contains("new step → #2 order-part → #4 switch → new step"),
        "{all}"
    );
}

#[test]
fn plan_history_proposes_the_steps_added_in_several_drills() {
    let t = Test::new().file("rb.yaml", RB);
    let restore = |reason: &str| {
        format!(
            "    - add: {{ title: Restore vol7 from tape, role: storage, after: declare, before: switch, reason: {reason} }}\n"
        )
    };
    let drills = [
        restore("vol7 is corrupted"),
        // Typed a little differently: the same step.
        restore("vol7 corrupted again")
            .replace("Restore vol7 from tape", "restore  vol7 from tape."),
        "    - add: { title: Call the insurer, after: declare, reason: the CFO asked }\n"
            .to_string(),
    ];
    for (k, change) in drills.iter().enumerate() {
        let answers = format!(
            "declare:\n  answer: done\n  changes:\n{change}order-part: done\narchive: done\nswitch: done\nadded-5: done\n"
        );
        std::fs::write(t.path().join("answers.yaml"), answers).unwrap();
        Test::at(t.path())
            .args(["run", "rb.yaml", "--answers", "answers.yaml", "--journal"])
            .args([format!("journals/drill-{k}.jsonl")])
            .run()
            .success();
    }
    let text = t.clone_run(&["plan", "rb.yaml", "--history", "journals"]);
    let (_, candidates) = text
        .split_once("steps added during past drills, candidates for the runbook")
        .unwrap_or_else(|| panic!("no candidates:\n{text}"));
    assert!(
        candidates.contains("“restore  vol7 from tape.”: added in 2 of 3 drills, role storage, after declare, before switch"),
        "{text}"
    );
    assert!(
        candidates.contains("why: vol7 is corrupted; vol7 corrupted again"),
        "{text}"
    );
    assert!(
        candidates.contains("- id: restore-vol7-from-tape"),
        "{text}"
    );
    assert!(candidates.contains("needs: [declare]"), "{text}");
    assert!(
        candidates.contains("and in step `switch`: add `restore-vol7-from-tape` to its `needs`"),
        "{text}"
    );
    assert!(
        !candidates.contains("insurer"),
        "added once: not a candidate\n{text}"
    );

    let json = t.clone_run(&[
        "plan",
        "rb.yaml",
        "--history",
        "journals",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["candidates"].as_array().map(Vec::len), Some(1), "{json}");
    assert_eq!(v["candidates"][0]["drills"], 2);
    assert_eq!(v["candidates"][0]["before"][0], "switch");
}
