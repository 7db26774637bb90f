//! Restore points on paper (issue 15): the checklist has a restore-point
//! box on the steps that record one, `transcribe` reads it back into the
//! journal as the `restore_point` record an answer would give (marked
//! `source: paper`), and the report measures the data lost against each
//! service's RPO — checklist → filled-in sheet → transcribe → report.

use serde_json::Value;

use crate::harness::Test;

/// A manual restore that `records: restore_point` and a command that
/// restores a service: both get the box; `declare` does not.
const RUNBOOK: &str = "\
version: 1
name: Paper restore
objectives:
  rpo: 1h
  services:
    DPI: { rto: 4h, rpo: 15m }
    SIL: { rto: 8h, rpo: 1h }
steps:
  - id: declare
    title: Declare the incident
  - id: restore-dpi
    title: Restore the patient record
    needs: [declare]
    restores: DPI
    records: restore_point
  - id: restore-sil
    title: Restore the lab system
    needs: [declare]
    run: restore-sil.sh
    restores: SIL
";

/// The sheets as filled in, Paris time: the drill starts at 08:00 (07:00
/// UTC); the patient record came back with data from 07:50 (10 minutes
/// lost, RPO 15m), the lab system with data from 23:00 the day before (9
/// hours lost, RPO 1h).
const SHEET: &str = "\
date: 2026-12-06
steps:
  declare: { start: \"08:00\", end: \"08:10\", outcome: done, initials: JD }
  restore-dpi:
    start: \"08:10\"
    end: \"09:00\"
    outcome: done
    initials: AB
    restore_point: 2026-12-06 07:50
  3: { start: \"08:10\", end: \"09:30\", outcome: done, initials: CD, restore_point: \"2026-12-05T23:00:00+01:00\" }
";

/// The step boxes of a checklist, by number, as HTML.
fn step_box(html: &str, n: u32) -> &str {
    let start = html
        .find(&format!("data-step=\"{n}\""))
        .unwrap_or_else(|| panic!("no step {n} in\n{html}"));
    let rest = &html[start..];
    &rest[..rest.find("</div>\n<div").unwrap_or(rest.len())]
}

fn transcribe(sheet: &str) -> crate::harness::Output {
    Test::new()
        .file("rb.yaml", RUNBOOK)
        .file("sheet.yaml", sheet)
        .env("TZ", "Europe/Paris")
        .args([
            "transcribe",
            "rb.yaml",
            "--from",
            "sheet.yaml",
            "--journal",
            "j.jsonl",
        ])
        .run()
}

#[test]
fn a_restore_point_written_on_paper_is_measured_against_the_rpo() {
    let checklist = Test::new()
        .file("rb.yaml", RUNBOOK)
        .args(["plan", "--format", "checklist", "rb.yaml"])
        .run();
    checklist.code(0);
    let html = &checklist.stdout;
    assert!(
        !step_box(html, 1).contains("class=\"restore-point\""),
        "{}",
        step_box(html, 1)
    );
    for n in [2, 3] {
        let b = step_box(html, n);
        assert_eq!(b.matches("class=\"restore-point\"").count(), 1, "{b}");
        assert!(b.contains("Restore point"), "{b}");
    }

    let out = transcribe(SHEET);
    out.code(0);
    let events: Vec<Value> = out
        .read("j.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let at = |kind: &str, step: &str| {
        events
            .iter()
            .position(|e| e["event"] == kind && e["step"] == step)
            .unwrap_or_else(|| panic!("no {kind} of {step} in {events:#?}"))
    };
    let dpi = &events[at("restore_point", "restore-dpi")];
    assert_eq!(dpi["point"], "2026-12-06T06:50:00.000Z", "{dpi}");
    assert_eq!(dpi["written"], "2026-12-06T07:50:00+01:00", "{dpi}");
    assert_eq!(dpi["by"], "AB");
    assert_eq!(dpi["source"], "paper");
    assert!(dpi["transcribed_at"].is_string(), "{dpi}");
    assert!(dpi.get("host").is_none(), "{dpi}");
    assert!(at("restore_point", "restore-dpi") < at("step_finished", "restore-dpi"));
    let sil = &events[at("restore_point", "restore-sil")];
    assert_eq!(sil["point"], "2026-12-05T22:00:00.000Z");
    assert_eq!(sil["written"], "2026-12-05T23:00:00+01:00");
    assert_eq!(sil["by"], "CD");
    assert!(
        events
            .iter()
            .all(|e| e["step"] != "declare" || e["event"] != "restore_point")
    );
    Test::new()
        .file("j.jsonl", out.read("j.jsonl"))
        .args(["verify", "j.jsonl"])
        .run()
        .code(0);

    let report = |format: &str| {
        let r = Test::new()
            .file("j.jsonl", out.read("j.jsonl"))
            .env("TZ", "UTC")
            .args(["report", "j.jsonl", "--format", format])
            .run();
        r.code(0);
        r.stdout
    };
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    let service = |name: &str| -> Value {
        json["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {json:#}"))
            .clone()
    };
    let dpi = service("DPI");
    assert_eq!(dpi["data_loss"]["data_loss_seconds"], 600, "{dpi:#}");
    assert_eq!(dpi["data_loss"]["verdict"], "met");
    assert_eq!(dpi["data_loss"]["restore_point_step"], "restore-dpi");
    let sil = service("SIL");
    assert_eq!(sil["data_loss"]["data_loss_seconds"], 9 * 3600, "{sil:#}");
    assert_eq!(sil["data_loss"]["verdict"], "missed");
    let md = report("md");
    let row = md
        .lines()
        .find(|l| l.starts_with("| SIL |"))
        .unwrap_or_else(|| panic!("no SIL row in\n{md}"));
    assert!(row.contains("2026-12-05 22:00:00 UTC"), "{row}");
    assert!(row.contains("**missed by 8h"), "{row}");
}

#[test]
fn a_restore_point_on_a_step_not_done_or_after_its_end_is_refused() {
    for (entry, expected) in [
        (
            "{ start: \"08:10\", end: \"09:00\", outcome: failed, initials: AB, \
             reason: tape unreadable, restore_point: 2026-12-06 07:50 }",
            "has a restore point but is failed",
        ),
        (
            "{ start: \"08:10\", end: \"09:00\", outcome: done, initials: AB, \
             restore_point: 2026-12-06 09:30 }",
            "has a restore point at 2026-12-06 09:30:00 CET, after it ended at 2026-12-06 09:00:00 CET",
        ),
        (
            "{ start: \"08:10\", end: \"09:00\", outcome: done, initials: AB, \
             restore_point: last night }",
            "`last night` is not a time",
        ),
    ] {
        let sheet = format!(
            "date: 2026-12-06\nsteps:\n  declare: {{ end: \"08:10\", outcome: done }}\n  \
             restore-dpi: {entry}\n"
        );
        let out = transcribe(&sheet);
        out.code(2);
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
        assert!(
            !out.dir.join("j.jsonl").exists(),
            "nothing is written: {}",
            out.read("j.jsonl")
        );
    }
}
