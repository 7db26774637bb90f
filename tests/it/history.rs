//! `reprise plan --history` (the forecast and `--suggest`) and `reprise
//! compare`, on synthetic journals whose durations are known.
//!
//! Ten drills of one runbook: step `a` (a command) runs 10 s, 20 s … 100 s
//! (median 55 s, p90 91 s), `b` (a command) always 8 minutes, `c` (manual)
//! is recorded 11, 12 … 20 minutes after it opened (median 15m30s, p90
//! 19m06s), `d` is skipped, so it is never measured.

use std::path::Path;

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
        id: StepId::new(id),
        title: format!("Step {id}"),
        phase: PhaseId::new("main"),
        kind,
        role: None,
        estimate: Some(estimate.parse().unwrap()),
        critical: false,
        needs: needs.iter().map(|n| StepId::new(*n)).collect(),
        only: None,
        hosts: vec![],
        needs_phases: Vec::new(),
        restores: Vec::new(),
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
                exit_code: Some(0),
                signal: None,
                timed_out: false,
                error: None,
            },
        ),
        ev(day, to, finished(step, Outcome::Done, Source::Command)),
    ]
}

/// Drill `k` (1…10) of the plan `steps`, on day `k`, named `name`.
pub fn drill(k: i64, name: &str, steps: Vec<PlannedStep>, sha: &str) -> Vec<Stamped> {
    let mut start = run_started("history.yaml", sha.repeat(64), name, steps);
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
