//! `reprise plan --history` (the forecast and `--suggest`) and `reprise
//! compare`, on synthetic journals whose durations are known.
//!
//! Ten drills of one runbook: step `a` (a command) runs 10 s, 20 s … 100 s
//! (median 55 s, p90 91 s), `b` (a command) always 8 minutes, `c` (manual)
//! is recorded 11, 12 … 20 minutes after it opened (median 15m30s, p90
//! 19m06s), `d` is skipped, so it is never measured.

use std::path::{Path, PathBuf};

use reprise::event::{Event, Outcome, PlannedStep, RunResult, Source, Stamped};
use reprise::runbook::{Duration, PhaseId, StepId, StepKind};
use serde_json::Value;

use crate::fixtures::{at, run_started, write};
use crate::harness::Test;

/// By the estimates the path is a → b → d (17m); measured, c is longer
/// than b, so the path is a → c → d.
pub const RUNBOOK: &str = "\
version: 1
name: History drill
objectives:
  rto: 30m
steps:
  - id: a
    title: Stop the application
    run: \"true\"
    timeout: 1h
    estimate: 5m   # measured: about 1m
  - id: b
    title: Copy the data
    needs: [a]
    run: \"true\"
    timeout: 1h
    estimate: 10m
  - id: c
    title: Check the copy by hand
    needs: [a]
    estimate: \"4m\"
  - id: d
    title: Restart
    needs: [b, c]
    run: \"true\"
    timeout: 1h
    estimate: 2m
";

fn planned(id: &str, kind: StepKind, estimate: &str, needs: &[&str]) -> PlannedStep {
    PlannedStep {
        estimate: Some(estimate.parse().unwrap()),
        needs: needs.iter().map(|n| StepId::new(*n)).collect(),
        ..PlannedStep::new(
            StepId::new(id),
            format!("Step {id}"),
            PhaseId::new("main"),
            kind,
        )
    }
}

/// The plan as the journals record it.
pub fn plan_steps() -> Vec<PlannedStep> {
    vec![
        planned("a", StepKind::Command, "5m", &[]),
        planned("b", StepKind::Command, "10m", &["a"]),
        planned("c", StepKind::Manual, "4m", &["a"]),
        planned("d", StepKind::Command, "2m", &["b", "c"]),
    ]
}

fn ev(day: i64, second: i64, event: Event) -> Stamped {
    Stamped {
        time: at(day * 86_400 + second),
        event,
    }
}

fn finished(step: &str, outcome: Outcome, source: Source) -> Event {
    Event::StepFinished {
        origin: Default::default(),
        step: StepId::new(step),
        outcome,
        exit_code: None,
        reason: (outcome == Outcome::Skipped).then(|| "tested apart".to_string()),
        by: "alice".into(),
        source,
        attempts: 0,
        output_tail: vec![],
    }
}

fn ran(day: i64, step: &str, from: i64, to: i64) -> Vec<Stamped> {
    vec![
        ev(
            day,
            from,
            Event::StepReady {
                step: StepId::new(step),
            },
        ),
        ev(
            day,
            from,
            Event::StepStarted {
                step: StepId::new(step),
                attempt: 1,
                pid: None,
            },
        ),
        ev(
            day,
            to,
            Event::AttemptFinished {
                step: StepId::new(step),
                attempt: 1,
                ending: reprise::event::Ending::exited(0),
            },
        ),
        ev(day, to, finished(step, Outcome::Done, Source::Command)),
    ]
}

/// Drill `k` (1…10) of the plan `steps`, on day `k`, named `name`.
pub fn drill(k: i64, name: &str, steps: Vec<PlannedStep>, sha: &str) -> Vec<Stamped> {
    let sha = if sha.len() == 64 {
        sha.to_string()
    } else {
        sha.repeat(64)
    };
    let mut start = run_started("history.yaml", sha, name, steps);
    start.time = at(k * 86_400);
    if let Event::RunStarted { rto, .. } = &mut start.event {
        *rto = Some(Duration::from_secs(1800));
    }
    let t1 = 10 * k;
    let c_end = t1 + 600 + 60 * k;
    let mut events = vec![start];
    events.extend(ran(k, "a", 0, t1));
    events.extend(ran(k, "b", t1, t1 + 480));
    events.push(ev(
        k,
        t1,
        Event::StepReady {
            step: StepId::new("c"),
        },
    ));
    events.push(ev(k, c_end, finished("c", Outcome::Done, Source::Operator)));
    events.push(ev(
        k,
        c_end,
        finished("d", Outcome::Skipped, Source::Operator),
    ));
    events.push(ev(
        k,
        c_end + 1,
        Event::RunFinished {
            result: RunResult::Recovered,
        },
    ));
    events
}

/// A test folder with the runbook and ten journals in `journals/`.
pub fn ten_drills() -> Test {
    let t = Test::new().file("history.yaml", RUNBOOK);
    std::fs::create_dir_all(t.path().join("journals")).unwrap();
    for k in 1..=10 {
        let path = t.path().join(format!("journals/drill-{k:02}.jsonl"));
        write(&path, &drill(k, "History drill", plan_steps(), "a"));
    }
    t
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn step<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

#[test]
fn medians_and_p90s_are_exact() {
    let out = ten_drills()
        .args([
            "plan",
            "history.yaml",
            "--history",
            "journals",
            "--format",
            "json",
        ])
        .run();
    out.code(0);
    let v = json(&out.stdout);
    assert_eq!(v["drills"], 10);
    let a = step(&v, "a");
    assert_eq!(
        (a["median_secs"].as_f64(), a["p90_secs"].as_f64()),
        (Some(55.0), Some(91.0))
    );
    assert_eq!(a["drills"], 10);
    assert_eq!(a["off_by_percent"], -70);
    let c = step(&v, "c");
    assert_eq!(
        (c["median_secs"].as_f64(), c["p90_secs"].as_f64()),
        (Some(930.0), Some(1146.0))
    );
    assert_eq!(step(&v, "b")["median_secs"].as_f64(), Some(480.0));
    // Skipped every time: never measured, keeps its estimate.
    assert_eq!(step(&v, "d")["drills"], 0);
    assert_eq!(v["without_history"], 1);
    // The journals record another runbook digest than the file's.
    assert_eq!(v["other_versions"], 10);
}

#[test]
fn drills_of_another_version_of_the_runbook_are_counted() {
    use sha2::Digest;
    let t = ten_drills();
    let sha = hex::encode(sha2::Sha256::digest(RUNBOOK.as_bytes()));
    for k in [11, 12] {
        write(
            &t.path().join(format!("journals/drill-{k}.jsonl")),
            &drill(k, "History drill", plan_steps(), &sha),
        );
    }
    let t = t.args(["plan", "history.yaml", "--history", "journals"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stdout.contains(
            "10 of the 12 drills ran another version of this runbook (its SHA-256 differs): steps are matched by id."
        ),
        "{}",
        out.stdout
    );
    let v = json(&t.args(["--format", "json"]).run().stdout);
    assert_eq!(
        (v["drills"].as_u64(), v["other_versions"].as_u64()),
        (Some(12), Some(10))
    );
}

#[test]
fn the_forecast_follows_the_measured_critical_path() {
    let out = ten_drills()
        .args([
            "plan",
            "history.yaml",
            "--history",
            "journals",
            "--format",
            "json",
        ])
        .run();
    out.code(0);
    let v = json(&out.stdout);
    let ways: Vec<(String, u64, Vec<String>)> = v["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["way"].as_str().unwrap().to_string(),
                w["total_secs"].as_u64().unwrap(),
                w["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        ways,
        [
            ("estimates".into(), 17 * 60, path(&["a", "b", "d"])),
            ("median".into(), 55 + 930 + 120, path(&["a", "c", "d"])),
            ("p90".into(), 91 + 1146 + 120, path(&["a", "c", "d"])),
        ]
    );

    // Text: the table, the count of steps without history, the verdict.
    let out = ten_drills()
        .args(["plan", "history.yaml", "--history", "journals"])
        .run();
    out.code(0);
    assert!(
        out.stdout.contains("forecast from 10 past drills"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("1 of 4 steps have no history and keep their estimate"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("written plan 17m; past drills say 18m25s at the median, 22m37s at p90: RTO 30m holds (7m23s margin at p90)"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_rto_between_median_and_p90_is_at_risk() {
    let out = ten_drills()
        .file("history.yaml", RUNBOOK.replace("rto: 30m", "rto: 20m"))
        .args(["plan", "history.yaml", "--history", "journals"])
        .run();
    out.code(0);
    assert!(
        out.stdout
            .contains("22m37s at p90: RTO 20m at risk (p90 exceeds it by 2m37s)"),
        "{}",
        out.stdout
    );
}

/// Each service is back when the last step restoring it ends, computed
/// with the estimates, the medians and the p90s: `copy` (restored by `b`,
/// after `a`) holds its RTO; `check` (restored by the manual `c`) is fine
/// by the estimates but at risk at p90 (20m37s against 20m).
#[test]
fn each_service_is_forecast_three_ways_against_its_own_rto() {
    let runbook = RUNBOOK
        .replace(
            "  rto: 30m\n",
            "  rto: 30m\n  services:\n    copy: { rto: 15m }\n    check: { rto: 20m }\n    spare: {}\n",
        )
        .replace("    estimate: 10m\n", "    estimate: 10m\n    restores: copy\n")
        .replace("    estimate: \"4m\"\n", "    estimate: \"4m\"\n    restores: [check]\n");
    assert!(runbook.contains("restores: copy") && runbook.contains("restores: [check]"));
    let out = ten_drills()
        .file("history.yaml", &runbook)
        .args(["plan", "history.yaml", "--history", "journals"])
        .run();
    out.code(0);
    let text = &out.stdout;
    let block = &text[text
        .find("services back at")
        .unwrap_or_else(|| panic!("no services in\n{text}"))..];
    let lines: Vec<&str> = block.lines().take(5).collect();
    assert_eq!(
        lines,
        [
            "services back at (from the start of the drill)",
            "  service  estimates  median     p90",
            "  copy           15m   8m55s   9m31s  RTO 15m holds (5m29s margin at p90)",
            "  check           9m  16m25s  20m37s  RTO 20m at risk (p90 exceeds it by 37s)",
            "  spare            -       -       -  restored by no step in this mode",
        ],
        "{text}"
    );

    let out = ten_drills()
        .file("history.yaml", &runbook)
        .args([
            "plan",
            "history.yaml",
            "--history",
            "journals",
            "--format",
            "json",
        ])
        .run();
    out.code(0);
    let v = json(&out.stdout);
    let check = &v["services"][1];
    assert_eq!(check["name"], "check");
    assert_eq!(check["rto_secs"], 1200);
    let at: Vec<(String, u64, i64, bool)> = check["forecast"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["way"].as_str().unwrap().to_string(),
                w["at_secs"].as_u64().unwrap(),
                w["rto_margin_secs"].as_i64().unwrap(),
                w["exceeds_rto"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            ("estimates".into(), 540, 660, false),
            ("median".into(), 55 + 930, 1200 - 985, false),
            ("p90".into(), 91 + 1146, -37, true),
        ]
    );
    assert_eq!(v["services"][2]["forecast"][2]["at_secs"], Value::Null);
}

#[test]
fn journals_of_another_runbook_are_skipped_and_damaged_ones_refused() {
    let t = ten_drills();
    write(
        &t.path().join("journals/other.jsonl"),
        &drill(11, "Another plan", plan_steps(), "b"),
    );
    let out = t
        .args([
            "plan",
            "history.yaml",
            "--history",
            "journals",
            "--format",
            "json",
        ])
        .run();
    out.code(0);
    assert!(
        out.stderr
            .contains("other.jsonl: skipped: a drill of `Another plan`, not of `History drill`"),
        "{}",
        out.stderr
    );
    assert_eq!(json(&out.stdout)["drills"], 10);

    // A damaged line in the middle: refused, then used up to it with --force.
    let t = ten_drills();
    let bad = t.path().join("journals/drill-03.jsonl");
    let text = std::fs::read_to_string(&bad).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[6] = "{\"seq\":6,\"garbage";
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let t = t.args(["plan", "history.yaml", "--history", "journals"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("drill-03.jsonl:7"), "{}", out.stderr);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    let out = t.args(["--force", "--format", "json"]).run();
    out.code(0);
    assert!(
        out.stderr.contains("used up to line 6 (--force)"),
        "{}",
        out.stderr
    );
    // Drill 3 still measured `a` (before the damage), not `b` or `c`.
    let v = json(&out.stdout);
    assert_eq!(step(&v, "a")["drills"], 10);
    assert_eq!(step(&v, "b")["drills"], 9);
    assert_eq!(step(&v, "c")["drills"], 9);
}

#[test]
fn the_suggestion_applies_and_the_runbook_still_passes_check_strict() {
    let t = ten_drills();
    // The runbook passes --strict before, so that a failure after is the
    // suggestion's.
    let before = Test::new()
        .file("history.yaml", RUNBOOK)
        .args(["check", "--strict", "history.yaml"])
        .run();
    before.code(0);
    let t = t.args(["plan", "history.yaml", "--history", "journals", "--suggest"]);
    let out = t.run();
    out.code(0);
    let diff = &out.stdout;
    // Only the two estimates that are off by more than 25%: a (5m, p90
    // 1m31s) and c (4m, p90 19m06s), rounded up; b (20% off) stays.
    assert!(
        diff.starts_with("--- a/history.yaml\n+++ b/history.yaml\n"),
        "{diff}"
    );
    let minus: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .collect();
    let plus: Vec<&str> = diff
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .collect();
    assert_eq!(
        minus,
        [
            "-    estimate: 5m   # measured: about 1m",
            "-    estimate: \"4m\""
        ]
    );
    assert_eq!(
        plus,
        [
            "+    estimate: 1m40s   # measured: about 1m",
            "+    estimate: \"20m\""
        ]
    );
    assert!(
        out.stderr
            .contains("history.yaml:10: `a` estimate 5m → 1m40s"),
        "{}",
        out.stderr
    );
    std::fs::write(t.path().join("s.diff"), diff).unwrap();
    apply(t.path(), "s.diff");
    let after = std::fs::read_to_string(t.path().join("history.yaml")).unwrap();
    assert_eq!(
        after,
        RUNBOOK
            .replace("estimate: 5m ", "estimate: 1m40s ")
            .replace("estimate: \"4m\"", "estimate: \"20m\"")
    );
    let check = Test::new()
        .file("history.yaml", &after)
        .args(["check", "--strict", "history.yaml"])
        .run();
    check.code(0);

    // Once applied, the history agrees with the runbook: nothing to change.
    let out = t.run();
    out.code(0);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("nothing to change"), "{}", out.stderr);
}

#[test]
fn a_step_without_estimate_is_named_not_written_and_drawings_are_refused() {
    let t = ten_drills()
        .file("history.yaml", RUNBOOK.replace("    estimate: 10m\n", ""))
        .args(["plan", "history.yaml", "--history", "journals", "--suggest"]);
    let out = t.run();
    out.code(0);
    assert!(
        out.stderr.contains(
            "history.yaml:11: `b` has no estimate; past drills say 8m at p90: add `estimate: 8m` by hand"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("+    estimate: 8m"), "{}", out.stdout);
    let out = t.args(["--format", "dot"]).run();
    out.code(2);
    assert!(
        out.stderr.contains("--history is shown as text or json"),
        "{}",
        out.stderr
    );
}

/// Applies a diff with `git apply` (git is on every machine that cloned
/// this repository).
fn apply(dir: &Path, diff: &str) {
    let out = std::process::Command::new("git")
        .args(["apply", "--verbose", diff])
        .current_dir(dir)
        .output()
        .expect("run git apply");
    assert!(
        out.status.success(),
        "git apply: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------
// reprise compare

/// Three drills: #1 and #2 of the plan as written, #3 after the runbook
/// changed (step `e` added, `c`'s estimate raised to 20m). The journals are
/// named so that their names do not sort by date.
fn three_drills() -> Test {
    let t = Test::new();
    std::fs::create_dir_all(t.path().join("journals")).unwrap();
    let mut changed = plan_steps();
    changed[2].estimate = Some("20m".parse().unwrap());
    changed.push(planned("e", StepKind::Manual, "5m", &["d"]));
    for (k, name, steps, sha) in [
        (1, "z.jsonl", plan_steps(), "a"),
        (2, "y.jsonl", plan_steps(), "a"),
        (3, "x.jsonl", changed, "b"),
    ] {
        write(
            &t.path().join("journals").join(name),
            &drill(k, "History drill", steps, sha),
        );
    }
    t
}

#[test]
fn compare_flags_a_changed_runbook_and_an_added_step() {
    let out = three_drills()
        .env("TZ", "UTC")
        .args(["compare", "journals"])
        .run();
    out.code(0);
    let text = &out.stdout;
    assert!(
        text.starts_with("3 drills of History drill compared, 2026-11-30 … 2026-12-02\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "runbook changed between #2 and #3 (aaaaaaaaaaaa → bbbbbbbbbbbb): added e; changed c (estimate 4m → 20m)"
        ),
        "{text}"
    );
    // Date order, not name order.
    let order: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().nth(3))
        .filter(|w| w.ends_with(".jsonl"))
        .collect();
    assert_eq!(
        order,
        ["journals/z.jsonl", "journals/y.jsonl", "journals/x.jsonl"],
        "{text}"
    );

    let out = three_drills()
        .env("TZ", "UTC")
        .args(["compare", "journals", "--format", "json"])
        .run();
    out.code(0);
    let v = json(&out.stdout);
    assert_eq!(v["changes"].as_array().unwrap().len(), 1);
    assert_eq!(v["changes"][0]["added"], serde_json::json!(["e"]));
    assert_eq!(v["changes"][0]["removed"], serde_json::json!([]));
    assert_eq!(v["changes"][0]["changed"][0]["step"], "c");
    let a = step(&v, "a");
    assert_eq!(a["actual_secs"], serde_json::json!([10.0, 20.0, 30.0]));
    assert_eq!(a["trend"]["direction"], "slower");
    assert_eq!(a["trend"]["change_percent"], 100.0);
    let e = step(&v, "e");
    assert_eq!(e["planned"], serde_json::json!([false, false, true]));
    // Time to recovery: c recorded 10k + 600 + 60k s after the start.
    let margins: Vec<f64> = v["drills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rto_margin_secs"].as_f64().unwrap())
        .collect();
    assert_eq!(margins, [1800.0 - 670.0, 1800.0 - 740.0, 1800.0 - 810.0]);
    // `d` is skipped in every drill.
    assert_eq!(v["repeated_deviations"][0]["step"], "d");
    assert_eq!(
        v["repeated_deviations"][0]["drills"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

/// Three drills whose plan names a service `copy` (RTO 15m, RPO 15m)
/// restored by `b`: it comes back 8m10s, 8m20s, 8m30s after the start;
/// the third drill records a restore point 20 minutes before its start.
#[test]
fn compare_shows_each_service_drill_after_drill() {
    use reprise::event::PlannedService;
    let t = Test::new();
    std::fs::create_dir_all(t.path().join("journals")).unwrap();
    for k in 1..=3 {
        let mut steps = plan_steps();
        steps[1].restores = vec!["copy".into()];
        let mut events = drill(k, "History drill", steps, "a");
        if let Event::RunStarted { services, .. } = &mut events[0].event {
            *services = vec![PlannedService {
                name: "copy".into(),
                rto: Some(Duration::from_secs(900)),
                rpo: Some(Duration::from_secs(900)),
            }];
        }
        if k == 3 {
            let started = events[0].time;
            let at = events.len() - 1;
            events.insert(
                at,
                Stamped {
                    time: events[at].time,
                    event: Event::RestorePoint {
                        step: StepId::new("b"),
                        point: started - jiff::SignedDuration::from_secs(1200),
                        written: String::new(),
                        by: "reprise".into(),
                        origin: Default::default(),
                        source: Source::Command,
                        host: None,
                    },
                },
            );
        }
        write(&t.path().join(format!("journals/drill-{k}.jsonl")), &events);
    }
    let t = t.env("TZ", "UTC").args(["compare", "journals"]);
    let out = t.run();
    out.code(0);
    let text = &out.stdout;
    let block = &text[text
        .find("Services: time to recovery per drill")
        .unwrap_or_else(|| panic!("no services in\n{text}"))..];
    let row = block
        .lines()
        .find(|l| l.trim_start().starts_with("copy"))
        .unwrap_or_else(|| panic!("no copy in\n{block}"));
    let cells: Vec<&str> = row
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "copy",
            "15m",
            "8m10s (+6m50s)",
            "8m20s (+6m40s)",
            "8m30s (+6m30s)",
            "steady"
        ],
        "{block}"
    );
    assert!(
        block.contains("Data lost by copy (in brackets, its RPO minus it): #1 not measured, #2 not measured, #3 20m (-5m)."),
        "{block}"
    );

    let journals = t.path().join("journals").display().to_string();
    for (format, cell) in [
        (
            "md",
            "| copy | 15m | 8m10s (+6m50s) | 8m20s (+6m40s) | 8m30s (+6m30s) | steady |",
        ),
        (
            "html",
            "<td>copy</td><td class=\"num\">15m</td><td class=\"num\">8m10s (+6m50s)</td>",
        ),
    ] {
        let out = Test::new()
            .env("TZ", "UTC")
            .args(["compare", "--format", format, journals.as_str()])
            .run();
        out.code(0);
        assert!(out.stdout.contains(cell), "{format}:\n{}", out.stdout);
    }
    let v = json(&t.args(["--format", "json"]).run().stdout);
    let copy = &v["services"][0];
    assert_eq!(copy["name"], "copy");
    assert_eq!(
        copy["time_to_recovery_secs"],
        serde_json::json!([490.0, 500.0, 510.0])
    );
    assert_eq!(
        copy["rto_margin_secs"],
        serde_json::json!([410.0, 400.0, 390.0])
    );
    assert_eq!(
        copy["data_loss_secs"],
        serde_json::json!([null, null, 1200.0])
    );
    assert_eq!(copy["restored"], serde_json::json!([true, true, true]));
}

#[test]
fn compare_keeps_one_plan_and_says_what_it_left_out() {
    let t = three_drills();
    write(
        &t.path().join("journals/other.jsonl"),
        &drill(0, "Another plan", plan_steps(), "c"),
    );
    let out = t.args(["compare", "journals", "--format", "md"]).run();
    out.code(0);
    assert!(
        out.stderr
            .contains("other.jsonl: skipped: a drill of `Another plan`, not of `History drill`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .starts_with("# Drill comparison: History drill\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("| \\#1 | "), "{}", out.stdout);
    assert!(!out.stdout.contains("#4"), "{}", out.stdout);
    let none = Test::new().args(["compare", "nothing.jsonl"]).run();
    none.code(2);
}

#[test]
fn compare_html_renders_in_headless_chromium() {
    use crate::report::{CHROMIUM, attr, chromium, tags_with};
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{CHROMIUM} is missing on CI: `.ci/run` installs Debian's `chromium` package");
        }
        eprintln!("skipped: {CHROMIUM} not found (install Debian's `chromium`)");
        return;
    }
    let t = three_drills().env("TZ", "Europe/Paris").args([
        "compare",
        "journals",
        "--format",
        "html",
        "-o",
        "drills.html",
    ]);
    let out = t.run();
    out.code(0);
    let url = format!("file://{}", out.dir.join("drills.html").display());
    let dump = chromium(&["--dump-dom".to_string()], &url);
    let dom = String::from_utf8_lossy(&dump.stdout);
    assert!(
        dump.status.success() && dom.contains("</html>"),
        "chromium failed: {}\n{}",
        dump.status,
        String::from_utf8_lossy(&dump.stderr)
    );
    assert_eq!(
        tags_with(&dom, "svg class=\"margin\"").len(),
        1,
        "the margin chart"
    );
    let mut drills: Vec<&str> = tags_with(&dom, "circle class=\"drill ")
        .iter()
        .filter_map(|t| attr(t, "data-drill"))
        .collect();
    drills.sort_unstable();
    assert_eq!(drills, ["1", "2", "3"], "one point per drill");
    assert!(
        tags_with(&dom, "line class=\"rto\"").len() == 1,
        "the RTO line"
    );
    // One small chart per measured step (d is always skipped, e never ran).
    let mut sparks: Vec<&str> = tags_with(&dom, "svg class=\"spark\"")
        .iter()
        .filter_map(|t| attr(t, "data-step"))
        .collect();
    sparks.sort_unstable();
    assert_eq!(sparks, ["a", "b", "c"]);
    assert_eq!(
        tags_with(&dom, "circle class=\"point").len(),
        9,
        "a point per measurement"
    );
    assert!(!dom.contains("<script"), "the page has no script");
    // Chromium laid it out: a screenshot with content.
    let png = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/compare-screenshot.png");
    let shot = chromium(
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1600".to_string(),
        ],
        &url,
    );
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).expect("the screenshot was written");
    assert!(
        bytes.starts_with(b"\x89PNG") && bytes.len() > 20_000,
        "a screenshot with content"
    );
}

#[test]
fn compare_refuses_a_damaged_journal_unless_forced() {
    let t = three_drills();
    let bad = t.path().join("journals/y.jsonl");
    let text = std::fs::read_to_string(&bad).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[6] = "not json";
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    let t = t.args(["compare", "journals"]);
    let out = t.run();
    out.code(2);
    assert!(out.stderr.contains("y.jsonl:7"), "{}", out.stderr);
    let out = t.args(["--force", "--format", "json"]).run();
    out.code(0);
    let v = json(&out.stdout);
    assert_eq!(v["drills"].as_array().unwrap().len(), 3);
    // #2 stops at line 6: `a` measured, `b` started but never ended.
    assert_eq!(v["drills"][1]["result"], Value::Null);
    assert_eq!(step(&v, "a")["actual_secs"][1], 20.0);
    assert_eq!(step(&v, "b")["actual_secs"][1], Value::Null);
    assert!(
        v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("used up to line 6 (--force)"),
        "{v}"
    );
}

/// Drill 2 was held from 120 s to 420 s while its manual step `c` was
/// open (ready at 20 s, recorded at 740 s): 300 s held, 420 s waiting for
/// the operator; the other drills were never held.
#[test]
fn compare_counts_held_time_apart_in_each_drill() {
    let t = Test::new();
    std::fs::create_dir_all(t.path().join("journals")).unwrap();
    for (k, name) in [(1, "a.jsonl"), (2, "b.jsonl"), (3, "c.jsonl")] {
        let mut events = drill(k, "History drill", plan_steps(), "a");
        if k == 2 {
            let ready = events
                .iter()
                .position(|e| matches!(&e.event, Event::StepReady { step } if step.as_str() == "c"))
                .unwrap();
            let who = || ("coord".to_string(), Default::default());
            let (by, origin) = who();
            events.insert(
                ready + 1,
                ev(
                    k,
                    120,
                    Event::RunHeld {
                        by,
                        origin,
                        reason: Some("we stop tonight".into()),
                    },
                ),
            );
            let (by, origin) = who();
            events.insert(ready + 2, ev(k, 420, Event::RunReleased { by, origin }));
        }
        write(&t.path().join("journals").join(name), &events);
    }
    let out = Test::at(t.path())
        .args(["compare", "journals", "--format", "json"])
        .run();
    out.code(0);
    let v = json(&out.stdout);
    let held: Vec<f64> = v["drills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["split"]["held_secs"].as_f64().unwrap())
        .collect();
    assert_eq!(held, [0.0, 300.0, 0.0]);
    let operator = v["drills"][1]["split"]["operator_secs"].as_f64().unwrap();
    assert_eq!(operator, 720.0 - 300.0, "held time is not waiting time");
    let out = Test::at(t.path()).args(["compare", "journals"]).run();
    out.code(0);
    let text = out.stdout;
    let header = text
        .lines()
        .find(|l| l.contains("waiting for dependencies"))
        .unwrap();
    assert!(header.contains("held"), "{text}");
    assert!(
        text.contains("Held: steps waiting while the drill was held"),
        "{text}"
    );
}
