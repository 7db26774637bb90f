//! `reprise transcribe`: paper sheets into a journal, from a YAML file and
//! at a real pseudo-terminal; a live journal continued on paper; sheets
//! that contradict themselves or the journal refused.

use std::process::Command;
use std::time::Duration;

use expectrl::Expect;
use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use reprise::event::Stamped;
use reprise::runbook::StepId;
use serde_json::Value;

use crate::fixtures;
use crate::harness::Test;

/// declare → stop-apps → switch, and a check in parallel that switch needs.
const RUNBOOK: &str = "\
version: 1
name: Storage failover
objectives:
  rto: 1h30m
phases:
  - id: alert
    title: Alert and assess
    steps:
      - id: declare
        title: Declare the incident
        role: direction
        estimate: 10m
      - id: health
        title: Check the array
        run: storage-cli health
        estimate: 2m
  - id: failover
    title: Fail over
    steps:
      - id: stop-apps
        title: Stop the applications
        needs: [declare]
        run: systemctl stop intranet
        estimate: 20m
      - id: switch
        title: Switch the volumes
        needs: [stop-apps, health]
        critical: true
        estimate: 45m
      - id: tell-regulator
        title: Tell the regulator
        only: incident
";

/// The four sheets of a drill on 2026-12-06 (Paris time), by id and by
/// number, in the forms people write times in.
const SHEET: &str = "\
date: 2026-12-06
operator: Jeanne Dupont
steps:
  declare: { start: 14h05, end: \"14:15\", outcome: done, initials: JD }
  2: { start: \"14:06\", end: \"14:08\", outcome: done, initials: AB }
  stop-apps:
    start: \"14:20\"
    end: \"14:35\"
    outcome: done
    initials: CD
  4: { start: \"14:40\", end: 2026-12-06 15:20, outcome: failed, initials: CD, reason: array refused the switch }
";

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn account() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The records about `step`, as `(event, time)`.
fn about(events: &[Value], step: &str) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|e| e["step"] == step)
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_string(),
                e["time"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sheets_from_a_file_start_a_journal_that_verify_and_report_accept() {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file("sheet.yaml", SHEET)
        .env("TZ", "Europe/Paris")
        .args([
            "transcribe",
            "rb.yaml",
            "--from",
            "sheet.yaml",
            "--journal",
            "j.jsonl",
        ]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stdout.contains(
            "transcribed 4 steps from paper into j.jsonl; every step has an outcome: degraded"
        ),
        "{}",
        out.stdout
    );
    let events = lines(&out.read("j.jsonl"));
    assert_eq!(events[0]["event"], "run_started");
    assert_eq!(events[0]["operator"], "Jeanne Dupont");
    assert_eq!(
        events[0]["time"], "2026-12-06T13:05:00.000Z",
        "the first paper time"
    );
    // Paris is UTC+1 in December: 14h05 on the sheet is 13:05Z.
    assert_eq!(
        about(&events, "declare"),
        [
            (
                "step_began".to_string(),
                "2026-12-06T13:05:00.000Z".to_string()
            ),
            ("step_finished".into(), "2026-12-06T13:15:00.000Z".into()),
        ]
    );
    assert_eq!(
        about(&events, "switch")[1],
        ("step_finished".into(), "2026-12-06T14:20:00.000Z".into())
    );
    let me = account();
    for e in events.iter().filter(|e| {
        e["event"] == "step_began"
            || (e["event"] == "step_finished" && e["step"] != "tell-regulator")
    }) {
        assert_eq!(e["source"], "paper", "{e}");
        assert_eq!(e["account"], me.as_str(), "{e}");
        assert!(e["transcribed_at"].is_string(), "{e}");
    }
    let switch = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "switch")
        .unwrap();
    assert_eq!(switch["by"], "CD");
    assert_eq!(switch["reason"], "array refused the switch");
    let na = events
        .iter()
        .find(|e| e["step"] == "tell-regulator")
        .unwrap();
    assert_eq!(na["outcome"], "not_applicable");
    assert_eq!(events.last().unwrap()["result"], "degraded");

    let verify = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["verify", "j.jsonl"])
        .run();
    verify.code(0);
    assert!(
        verify.stdout.contains("journal intact: 11 events"),
        "{}",
        verify.stdout
    );
    let report = Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .env("TZ", "Europe/Paris")
        .args(["report", "j.jsonl"])
        .run();
    report.code(0);
    assert!(report.stdout.contains(
        "| Transcribed from paper | 4 steps (declare, health, stop-apps, switch): times and outcomes as written by hand on the checklists |"
    ), "{}", report.stdout);
    assert!(report.stdout.contains("| JD (transcribed from paper) |"));
    assert!(
        report.stdout.contains("| 45m | 40m |"),
        "switch took 40m on paper"
    );
}

/// A drill that ran in reprise until the network went down: `s1` done by
/// its command, `s2` open; `s3` needs `s2`, `s2` needs `s1`.
fn live_journal() -> Vec<Stamped> {
    let mut steps = fixtures::command_steps(3);
    steps[1].needs = vec![StepId::new("s1")];
    steps[2].needs = vec![StepId::new("s2")];
    vec![
        fixtures::run_started("drill.yaml", "ab".repeat(32), "Live then paper", steps),
        fixtures::step_started("s1", 10),
        fixtures::step_done("s1", 60),
        fixtures::step_started("s2", 61),
    ]
}

#[test]
fn a_live_journal_continued_on_paper_keeps_its_records_and_the_report_shows_both() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    fixtures::write(&journal, &live_journal());
    let before = std::fs::read(&journal).unwrap();
    // The live part started at 08:00Z on 2026-11-29; s2 started at 08:01:01.
    let sheet = "\
date: 2026-11-29
steps:
  s1: { end: \"08:01\", outcome: done, initials: AL }
  s2: { start: \"08:05\", end: \"08:20\", outcome: done, initials: BM }
  3: { start: \"08:25\", end: \"08:40\", outcome: skipped, initials: BM, reason: not needed after all }
";
    std::fs::write(dir.path().join("sheet.yaml"), sheet).unwrap();
    let out = Test::at(dir.path())
        .env("TZ", "UTC")
        .args(["transcribe", "j.jsonl", "--from", "sheet.yaml"])
        .run()
        .success();
    let stdout = &out.stdout;
    assert!(stdout.contains("transcribed 2 steps from paper into j.jsonl; 1 already in the journal left as recorded; every step has an outcome: recovered"), "{stdout}");
    let after = std::fs::read(&journal).unwrap();
    assert!(
        after.starts_with(&before),
        "the live records stay as written"
    );
    let events = lines(&String::from_utf8(after).unwrap());
    assert_eq!(events.len(), 4 + 4 + 1);
    assert_eq!(
        about(&events, "s1"),
        [
            (
                "step_started".to_string(),
                "2026-11-29T08:00:10.000Z".to_string()
            ),
            ("step_finished".into(), "2026-11-29T08:01:00.000Z".into()),
        ],
        "s1 as reprise recorded it, not as the sheet says"
    );
    let s3 = about(&events, "s3");
    assert_eq!(
        s3[0],
        ("step_began".into(), "2026-11-29T08:25:00.000Z".into())
    );

    Test::at(dir.path())
        .args(["verify", "j.jsonl"])
        .run()
        .success();
    let report = Test::at(dir.path())
        .env("TZ", "UTC")
        .args(["report", "j.jsonl"])
        .run()
        .success();
    let md = &report.stdout;
    assert!(
        md.contains("| Transcribed from paper | 2 steps (s2, s3):"),
        "{md}"
    );
    assert!(
        md.contains("| reprise (command exit status) |"),
        "the live record: {md}"
    );
    assert!(
        md.contains("| BM (transcribed from paper) |"),
        "the paper records: {md}"
    );
}

#[test]
fn contradictions_are_refused_with_located_messages_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    fixtures::write(&journal, &live_journal());
    let before = std::fs::read(&journal).unwrap();
    let sheet = "\
date: 2026-11-29
steps:
  s1: { end: \"08:01\", outcome: failed, initials: AL, reason: slow }
  s2: { start: \"07:55\", end: \"08:20\", outcome: done, initials: BM }
  s3: { start: \"08:30\", end: \"08:25\", outcome: done, initials: BM }
";
    std::fs::write(dir.path().join("sheet.yaml"), sheet).unwrap();
    let out = Test::at(dir.path())
        .env("TZ", "UTC")
        .args(["transcribe", "j.jsonl", "--from", "sheet.yaml"])
        .run()
        .status(2);
    let stderr = &out.stderr;
    for expected in [
        "error: sheet.yaml:3:3: step 1 (s1) is already recorded in the journal as done at 2026-11-29 08:01:00 UTC; the sheet says failed",
        "error: sheet.yaml:4:3: step 2 (s2) starts at 2026-11-29 07:55:00 UTC on the sheet, earlier than the journal's record of it (2026-11-29 08:01:01 UTC)",
        "error: sheet.yaml:5:3: step 3 (s3) ends at 2026-11-29 08:25:00 UTC before it starts at 2026-11-29 08:30:00 UTC",
        "error: sheet.yaml:4:3: step 2 (s2) starts at 2026-11-29 07:55:00 UTC, before step 1 (s1) it comes after ended at 2026-11-29 08:01:00 UTC",
        "nothing written: 4 problems on the sheets",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert_eq!(std::fs::read(&journal).unwrap(), before, "nothing written");

    // A step started before the one it comes after ended, in a new journal:
    // refused, and no journal created.
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file(
            "sheet.yaml",
            "date: 2026-12-06\nsteps:\n  declare: { start: \"14:05\", end: \"14:30\", outcome: done, initials: JD }\n  stop-apps: { start: \"14:20\", end: \"14:40\", outcome: done, initials: CD }\n  switch: { end: \"25:00\", outcome: done }\n",
        )
        .env("TZ", "UTC")
        .args(["transcribe", "rb.yaml", "--from", "sheet.yaml", "--journal", "new.jsonl"]);
    let out = t.run();
    out.code(2);
    assert!(
        out.stderr
            .contains("sheet.yaml:5:18: `25:00` is not a time"),
        "{}",
        out.stderr
    );
    assert!(!out.dir.join("new.jsonl").exists());
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .file(
            "sheet.yaml",
            "date: 2026-12-06\nsteps:\n  declare: { start: \"14:05\", end: \"14:30\", outcome: done, initials: JD }\n  stop-apps: { start: \"14:20\", end: \"14:40\", outcome: done, initials: CD }\n",
        )
        .env("TZ", "UTC")
        .args(["transcribe", "rb.yaml", "--from", "sheet.yaml", "--journal", "new.jsonl"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains(
        "sheet.yaml:4:3: step 3 (stop-apps) starts at 2026-12-06 14:20:00 UTC, before step 1 (declare) it comes after ended at 2026-12-06 14:30:00 UTC"
    ), "{}", out.stderr);
    assert!(!out.dir.join("new.jsonl").exists());
    assert!(!out.dir.join("journals").exists());
}

#[test]
fn a_finished_journal_takes_no_paper_records() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let mut events = live_journal();
    events.truncate(3);
    events.push(Stamped {
        time: fixtures::at(90),
        event: reprise::event::Event::RunFinished {
            result: reprise::event::RunResult::Degraded,
        },
    });
    fixtures::write(&journal, &events);
    let before = std::fs::read(&journal).unwrap();
    std::fs::write(
        dir.path().join("sheet.yaml"),
        "date: 2026-11-29\nsteps:\n  s2: { end: \"09:00\", outcome: done }\n",
    )
    .unwrap();
    let out = Test::at(dir.path())
        .args(["transcribe", "j.jsonl", "--from", "sheet.yaml"])
        .run()
        .status(2);
    let stderr = &out.stderr;
    assert!(
        stderr.contains("the drill ended (degraded): nothing is recorded after `run_finished`"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), before);
}

#[test]
fn without_a_terminal_or_a_file_it_says_to_use_from() {
    let t = Test::new()
        .file("rb.yaml", RUNBOOK)
        .args(["transcribe", "rb.yaml"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("--from FILE"), "{}", out.stderr);
}

// ---- at a terminal -----------------------------------------------------------

fn expect(session: &mut Session, needle: &str) {
    if let Err(e) = session.expect(needle) {
        panic!("expected {needle:?}: {e}");
    }
}

fn answer(session: &mut Session, prompt: &str, line: &str) {
    expect(session, prompt);
    session.send_line(line).unwrap();
}

#[test]
fn at_a_terminal_each_step_is_asked_in_plan_order_and_bad_entries_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rb.yaml"), RUNBOOK).unwrap();
    let mut s = Test::at(dir.path())
        .args(["transcribe", "rb.yaml", "--journal", "j.jsonl"])
        .env("TZ", "Europe/Paris")
        .env_remove("NO_COLOR")
        .pty();

    answer(&mut s, "Date written on the sheets", "6/12/2026");
    expect(&mut s, "is not a date");
    answer(&mut s, "Date written on the sheets", "2026-12-06");
    // Plan order: declare and health start at once (1, 2), then 3, then 4.
    expect(
        &mut s,
        "Step 1 · Declare the incident (declare) · direction",
    );
    answer(&mut s, "outcome: ", "done");
    answer(&mut s, "start time: ", "14h05");
    answer(&mut s, "end time: ", "14:15");
    answer(&mut s, "initials: ", "JD");
    answer(&mut s, "reason: ", "");
    expect(&mut s, "Step 2 · Check the array (health)");
    answer(&mut s, "outcome: ", "ok");
    expect(&mut s, "`ok` is not an outcome");
    answer(&mut s, "outcome: ", "");
    expect(
        &mut s,
        "Step 3 · Stop the applications (stop-apps) · after 1",
    );
    answer(&mut s, "outcome: ", "done");
    answer(&mut s, "start time: ", "25:00");
    expect(&mut s, "`25:00` is not a time");
    // Before step 1 ended: refused, asked again.
    answer(&mut s, "start time: ", "14:10");
    answer(&mut s, "end time: ", "14:30");
    answer(&mut s, "initials: ", "CD");
    answer(&mut s, "reason: ", "");
    expect(
        &mut s,
        "step 3 (stop-apps) starts at 2026-12-06 14:10:00 CET, before step 1 (declare) it comes after ended",
    );
    expect(&mut s, "Enter this step again");
    answer(&mut s, "outcome: ", "done");
    answer(&mut s, "start time: ", "14:20");
    answer(&mut s, "end time: ", "14:35");
    answer(&mut s, "initials: ", "CD");
    answer(&mut s, "reason: ", "");
    expect(&mut s, "Step 4 · Switch the volumes (switch) · after 3, 2");
    answer(&mut s, "outcome: ", "failed");
    answer(&mut s, "start time: ", "14:40");
    answer(&mut s, "end time: ", "15:20");
    answer(&mut s, "initials: ", "CD");
    answer(&mut s, "reason: ", "array refused");
    expect(&mut s, "transcribed 3 steps from paper into j.jsonl");
    let status = crate::harness::wait_exit(&mut s, Duration::from_secs(30));
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");

    let events = lines(&std::fs::read_to_string(dir.path().join("j.jsonl")).unwrap());
    assert_eq!(events[0]["time"], "2026-12-06T13:05:00.000Z");
    assert_eq!(
        about(&events, "stop-apps"),
        [
            (
                "step_began".to_string(),
                "2026-12-06T13:20:00.000Z".to_string()
            ),
            ("step_finished".into(), "2026-12-06T13:35:00.000Z".into()),
        ]
    );
    assert!(
        about(&events, "health").is_empty(),
        "left out: nothing on the sheet"
    );
    let switch = events
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "switch")
        .unwrap();
    assert_eq!(switch["source"], "paper");
    assert_eq!(switch["reason"], "array refused");
    assert!(
        !events.iter().any(|e| e["event"] == "run_finished"),
        "step 2 has no outcome: the drill is not finished"
    );
}
