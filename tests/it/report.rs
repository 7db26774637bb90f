//! `reprise report`: snapshots of every format for fixed journals, escaping
//! of text from the runbook and the operators, damaged journals, and the HTML
//! rendered by a real browser (headless Chromium).
//!
//! The fixture journals live in `tests/journals/` (written by
//! `tests/journals/generate.py`). Reports are made with `TZ=Europe/Paris` so
//! that local times are the same on every machine; nothing else in a report
//! depends on the machine (no generation time, paths as given).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Output, Test};

const FIXTURES: [&str; 6] = [
    "recovered",
    "degraded",
    "aborted",
    "interrupted",
    "dry-run",
    "resumed",
];

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/journals")
        .join(format!("{name}.jsonl"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn report(name: &str, format: &str) -> Output {
    let journal = format!("journals/{name}.jsonl");
    let out = Test::new()
        .file(&journal, fixture(name))
        .env("TZ", "Europe/Paris")
        .args(["report", &journal, "--format", format])
        .run();
    out.code(0);
    out
}

fn snapshot(name: &str, format: &str, ext: &str) {
    let out = report(name, format);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("report-{name}.{ext}"), out.stdout);
    });
}

#[test]
fn markdown_reports_match_snapshots() {
    for name in FIXTURES {
        snapshot(name, "md", "md");
    }
}

#[test]
fn html_reports_match_snapshots() {
    for name in FIXTURES {
        snapshot(name, "html", "html");
    }
}

#[test]
fn json_reports_match_snapshots() {
    for name in FIXTURES {
        snapshot(name, "json", "json");
    }
}

#[test]
fn markdown_is_the_default_format_and_dash_o_writes_a_file() {
    let journal = "journals/recovered.jsonl";
    let t = Test::new()
        .file(journal, fixture("recovered"))
        .env("TZ", "UTC")
        .args(["report", journal, "-o", "out/report.md"])
        .file("out/.keep", "");
    let out = t.run();
    out.code(0);
    assert_eq!(out.stdout, "", "nothing on stdout with -o");
    let md = out.read("out/report.md");
    assert!(md.starts_with("# Exercise report: "), "{md}");
    assert!(md.contains("```mermaid\ngantt\n"), "{md}");
    // UTC as the local zone: both columns agree.
    assert!(
        md.contains("2026-11-28 08:00:00 UTC (UTC+00:00) — 2026-11-28T08:00:00.000Z"),
        "{md}"
    );
}

#[test]
fn the_time_zone_follows_tz() {
    let journal = "journals/recovered.jsonl";
    let out = Test::new()
        .file(journal, fixture("recovered"))
        .env("TZ", "America/New_York")
        .args(["report", journal])
        .run();
    out.code(0);
    assert!(
        out.stdout
            .contains("2026-11-28 03:00:00 EST (UTC-05:00) — 2026-11-28T08:00:00.000Z"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unknown_tz_falls_back_to_utc_with_a_warning() {
    let journal = "journals/recovered.jsonl";
    let out = Test::new()
        .file(journal, fixture("recovered"))
        .env("TZ", "Nowhere/Atlantis")
        .args(["report", journal])
        .run();
    out.code(0);
    assert!(
        out.stderr.contains("local times are shown in UTC"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("| Time zone | UTC |"), "{}", out.stdout);
}

#[test]
fn json_report_states_the_facts() {
    let out = report("degraded", "json");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(v["format_version"], 1);
    assert_eq!(v["run"]["result"], "degraded");
    assert_eq!(v["run"]["status"], "finished");
    assert_eq!(v["recovery"]["verdict"], "missed");
    assert_eq!(v["recovery"]["time_to_recovery_seconds"], 38 * 60);
    assert_eq!(v["recovery"]["over_seconds"], 18 * 60);
    let steps: Vec<&serde_json::Value> = v["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["steps"].as_array().unwrap())
        .collect();
    assert_eq!(steps.len(), 5);
    let promote = steps.iter().find(|s| s["id"] == "promote-replica").unwrap();
    assert_eq!(promote["outcome"], "failed");
    assert_eq!(promote["exit_code"], 3);
    assert_eq!(
        promote["output_tail"][0],
        "pg_ctl: connecting with PGPASSWORD=***"
    );
    assert_eq!(promote["time_split"]["operator_seconds"], 5 * 60);
    let dns = steps.iter().find(|s| s["id"] == "switch-dns").unwrap();
    assert_eq!(dns["outcome"], "skipped");
    assert_eq!(dns["critical"], true);
    assert_eq!(v["time_zone"], "Europe/Paris");
    assert_eq!(
        v["run"]["started"]["local"],
        "2026-11-28T09:00:00.000+01:00[Europe/Paris]"
    );
}

/// A journal whose every free text is hostile markup.
fn hostile_journal() -> String {
    let m = r#"<script>alert('x')</script> & "q" </pre></svg><img src=x onerror=alert(1)>"#;
    let lines = [
        serde_json::json!({"seq":0,"time":"2026-11-28T08:00:00.000Z","prev":"0".repeat(64),
            "event":"run_started","runbook":format!("plan{m}.yaml"),"runbook_sha256":"ab".repeat(32),
            "name":format!("Plan {m}"),"mode":"drill","dry_run":false,"operator":format!("op{m}"),
            "host":format!("host{m}"),"reprise_version":"0.1.0","rto":"1h",
            "phases":[{"id":"p","title":format!("Phase {m}")}],
            "steps":[{"id":"a","title":format!("Step {m}"),"phase":"p","kind":"command","role":format!("role{m}"),"estimate":"5m"},
                     {"id":"b","title":format!("Other {m}"),"phase":"p","kind":"manual","needs":["a"]}]}),
        serde_json::json!({"seq":1,"time":"2026-11-28T08:00:00.000Z","prev":"","event":"step_ready","step":"a"}),
        serde_json::json!({"seq":2,"time":"2026-11-28T08:00:00.000Z","prev":"","event":"step_started","step":"a","attempt":1}),
        serde_json::json!({"seq":3,"time":"2026-11-28T08:00:30.000Z","prev":"","event":"host_finished","step":"a","attempt":1,"host":format!("db{m}"),"exit_code":2,"error":m}),
        serde_json::json!({"seq":4,"time":"2026-11-28T08:01:00.000Z","prev":"","event":"attempt_finished","step":"a","attempt":1,"exit_code":2,"error":m}),
        serde_json::json!({"seq":5,"time":"2026-11-28T08:02:00.000Z","prev":"","event":"decision","step":"a","decision":"mark_done","reason":m,"by":format!("op{m}"),"source":"operator"}),
        serde_json::json!({"seq":6,"time":"2026-11-28T08:02:00.000Z","prev":"","event":"step_finished","step":"a","outcome":"done","reason":m,"by":format!("op{m}"),"source":"operator","output_tail":[m, "```", m]}),
        serde_json::json!({"seq":7,"time":"2026-11-28T08:03:00.000Z","prev":"","event":"note","text":m,"by":format!("op{m}"),"step":"a"}),
        serde_json::json!({"seq":8,"time":"2026-11-28T08:04:00.000Z","prev":"","event":"handover","from":format!("op{m}"),"to":format!("new{m}"),"note":m}),
        serde_json::json!({"seq":9,"time":"2026-11-28T08:05:00.000Z","prev":"","event":"step_ready","step":"b"}),
        serde_json::json!({"seq":10,"time":"2026-11-28T08:06:00.000Z","prev":"","event":"step_finished","step":"b","outcome":"skipped","reason":m,"by":format!("new{m}"),"source":"operator"}),
        serde_json::json!({"seq":11,"time":"2026-11-28T08:06:00.000Z","prev":"","event":"abort_requested","by":format!("new{m}"),"reason":m}),
        serde_json::json!({"seq":12,"time":"2026-11-28T08:06:01.000Z","prev":"","event":"run_finished","result":"aborted"}),
    ];
    // Chain the lines as the journal writer does, so the fixture stays a
    // valid journal for any reader.
    let mut prev = "0".repeat(64);
    let mut text = String::new();
    for mut l in lines {
        l["prev"] = serde_json::Value::String(prev);
        let line = format!("{l}\n");
        prev = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(line.as_bytes()));
        text.push_str(&line);
    }
    text
}

fn hostile(format: &str) -> String {
    let out = Test::new()
        .file("j.jsonl", hostile_journal())
        .env("TZ", "UTC")
        .args(["report", "j.jsonl", "--format", format])
        .run();
    out.code(0);
    out.stdout
}

#[test]
fn markup_in_html_reports_is_escaped() {
    let html = hostile("html");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "raw <script> in the HTML");
    assert!(!lower.contains("<img"), "raw <img> in the HTML");
    assert_eq!(
        html.matches("</svg>").count(),
        1,
        "only the chart closes an <svg>"
    );
    assert_eq!(html.matches("</pre>").count(), 1, "only the output block");
    // The text is there, escaped: titles, notes, reasons, output, names.
    let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;";
    assert!(html.contains(&format!("<h1>Exercise report: Plan {escaped}")));
    assert!(html.matches(escaped).count() >= 10, "{html}");
    // A host name and an ssh error from the journal, in the host table.
    assert!(
        html.contains(&format!("<tr data-host=\"db{escaped}")),
        "{html}"
    );
}

#[test]
fn markup_in_markdown_reports_is_escaped() {
    let md = hostile("md");
    // Outside code blocks and spans, no raw tag survives.
    // The fence that opened the current code block, if any (CommonMark: it
    // closes on a line of at least as many backticks and nothing else).
    let mut fence: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        match fence {
            None if ticks >= 3 => {
                fence = Some(ticks);
                continue;
            }
            Some(open) => {
                if ticks >= open && line.trim_end().len() == ticks {
                    fence = None;
                }
                continue;
            }
            None => {}
        }
        let outside_spans: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        assert!(
            !outside_spans.to_lowercase().contains("<script"),
            "raw markup in: {line}"
        );
        assert!(!outside_spans.contains("<img"), "raw markup in: {line}");
    }
    assert!(md.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\""));
    assert!(md.contains("| Attempt | Host |"), "the host table: {md}");
    // The output tail holds a ``` line: its fence must be longer.
    assert!(md.contains("````text\n"), "{md}");
    // Mermaid task names lose the characters Mermaid or HTML would read.
    let mermaid = md
        .split("```mermaid\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap();
    assert!(
        !mermaid.contains('<') && !mermaid.contains('&'),
        "{mermaid}"
    );
}

#[test]
fn a_torn_last_line_is_left_out_and_said() {
    let out = report("interrupted", "md");
    assert!(
        out.stderr.contains("last line (7) is incomplete"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("Incomplete journal: no end of the drill is recorded")
    );
    assert!(
        out.stdout
            .contains("The journal's last line (7) is incomplete")
    );
    assert!(out.stdout.contains("**Still running or interrupted"));
}

#[test]
fn a_damaged_line_in_the_middle_is_an_error_naming_it() {
    let mut text = String::from_utf8(fixture("recovered")).unwrap();
    let second = text.find('\n').unwrap() + 1;
    text.insert_str(second, "{not json}\n");
    let out = Test::new()
        .file("j.jsonl", text)
        .args(["report", "j.jsonl"])
        .run();
    out.code(2);
    assert!(out.stderr.contains("j.jsonl:2:"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

#[test]
fn a_journal_without_run_started_is_refused() {
    let out = Test::new()
        .file("j.jsonl", "")
        .args(["report", "j.jsonl"])
        .run();
    out.code(2);
    assert!(out.stderr.contains("no `run_started`"), "{}", out.stderr);
    let out = Test::new().args(["report", "missing.jsonl"]).run();
    out.code(2);
    assert!(out.stderr.contains("cannot read journal"), "{}", out.stderr);
}

#[test]
fn dry_runs_say_so() {
    for format in ["md", "html"] {
        let out = report("dry-run", format);
        assert!(
            out.stdout.contains("Dry run: no command was executed"),
            "{format}: {}",
            out.stdout
        );
    }
    let v: serde_json::Value = serde_json::from_str(&report("dry-run", "json").stdout).unwrap();
    assert_eq!(v["run"]["dry_run"], true);
}

// ---------------------------------------------------------------------------
// Headless Chromium

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs Chromium headless with the network and every background service
/// off, a fresh profile, and a time limit.
pub fn chromium(extra: &[String], url: &str) -> std::process::Output {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().expect("chromium output")
}

/// Step ids planned in a journal's `run_started` line, read independently
/// of reprise.
fn planned_steps(journal: &[u8]) -> Vec<String> {
    let first = journal.split(|&b| b == b'\n').next().unwrap();
    let v: serde_json::Value = serde_json::from_slice(first).unwrap();
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// The values of `attr="…"` on every element of the dumped DOM whose
/// opening tag contains `needle`.
pub fn tags_with<'a>(dom: &'a str, needle: &str) -> Vec<&'a str> {
    dom.split('<')
        .filter_map(|t| t.split('>').next())
        .filter(|t| t.contains(needle))
        .collect()
}

pub fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn html_report_renders_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        if std::env::var_os("CI").is_some() {
            panic!("{CHROMIUM} is missing on CI: `.ci/run` installs Debian's `chromium` package");
        }
        eprintln!("skipped: {CHROMIUM} not found (install Debian's `chromium`)");
        return;
    }
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    for (name, screenshot) in [
        ("recovered", true),
        ("interrupted", false),
        ("degraded", false),
    ] {
        let journal = fixture(name);
        // The folder lives as long as `t`.
        let t = Test::new()
            .file("j.jsonl", &journal)
            .env("TZ", "Europe/Paris")
            .args(["report", "j.jsonl", "--format", "html", "-o", "report.html"]);
        let out = t.run();
        out.code(0);
        let page = out.dir.join("report.html");
        let url = format!("file://{}", page.display());

        let dump = chromium(&["--dump-dom".to_string()], &url);
        let dom = String::from_utf8_lossy(&dump.stdout);
        assert!(
            dump.status.success() && dom.contains("</html>"),
            "{name}: chromium failed: {}\n{}",
            dump.status,
            String::from_utf8_lossy(&dump.stderr)
        );
        assert_eq!(
            tags_with(&dom, "svg class=\"gantt\"").len(),
            1,
            "{name}: the chart"
        );
        let planned = planned_steps(&journal);
        let bars: Vec<&str> = tags_with(&dom, "rect class=\"bar ");
        let mut barred: Vec<&str> = bars.iter().filter_map(|t| attr(t, "data-step")).collect();
        barred.sort_unstable();
        let mut expected: Vec<&str> = planned.iter().map(String::as_str).collect();
        expected.sort_unstable();
        assert_eq!(barred, expected, "{name}: exactly one bar per step");
        let rto: Vec<&str> = tags_with(&dom, "line class=\"rto");
        assert!(
            rto.iter().any(|t| attr(t, "x1").is_some()),
            "{name}: the RTO line: {rto:?}"
        );
        assert!(!dom.contains("<script"), "{name}: the page has no script");

        if screenshot {
            let png = target.join("report-screenshot.png");
            let _ = std::fs::remove_file(&png);
            let shot = chromium(
                &[
                    format!("--screenshot={}", png.display()),
                    "--window-size=1200,1600".to_string(),
                ],
                &url,
            );
            assert!(
                shot.status.success(),
                "screenshot: {}",
                String::from_utf8_lossy(&shot.stderr)
            );
            let bytes = std::fs::read(&png).expect("the screenshot was written");
            assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
            assert!(bytes.len() > 20_000, "a screenshot with content");
        }
    }
}

#[test]
fn fixture_journals_are_valid_journals() {
    // The fixtures stand for what `reprise run` writes: their hash chains
    // must hold, or the reports above would be of journals nobody can make.
    for name in FIXTURES {
        let journal = format!("{name}.jsonl");
        let out = Test::new()
            .file(&journal, fixture(name))
            .args(["verify", &journal])
            .run();
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
    }
}

// ---------------------------------------------------------------------------
// Remote steps: each host and how it ended

mod hosts {
    use std::path::Path;

    use reprise::event::{
        Decision, Event, Outcome, PlannedPhase, PlannedStep, RunResult, Source, Stamped,
    };
    use reprise::runbook::{Duration, Mode, PhaseId, StepId, StepKind};

    use crate::harness::{Output, Test};
    use serde_json::json as j;

    fn at(second: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_795_939_200 + second).unwrap()
    }

    fn planned(id: &str, title: &str, kind: StepKind, needs: &[&str]) -> PlannedStep {
        PlannedStep {
            id: StepId::new(id),
            title: title.into(),
            phase: PhaseId::new("db"),
            kind,
            role: Some("dba".into()),
            estimate: Some(Duration::from_secs(300)),
            critical: id == "stop-replicas",
            needs: needs.iter().map(|n| StepId::new(*n)).collect(),
            only: None,
            hosts: vec![],
            needs_phases: Vec::new(),
            restores: Vec::new(),
            records: Vec::new(),
        }
    }

    struct Host {
        name: &'static str,
        exit_code: Option<i32>,
        signal: Option<&'static str>,
        timed_out: bool,
    }

    const fn exited(name: &'static str, code: i32) -> Host {
        Host {
            name,
            exit_code: Some(code),
            signal: None,
            timed_out: false,
        }
    }

    fn host_finished(step: &str, attempt: u32, h: &Host) -> Event {
        Event::HostFinished {
            step: StepId::new(step),
            attempt,
            host: h.name.into(),
            exit_code: h.exit_code,
            signal: h.signal.map(str::to_string),
            timed_out: h.timed_out,
            error: None,
            cause: None,
            output_tail: vec![],
        }
    }

    fn attempt_finished(step: &str, attempt: u32, code: i32, timed_out: bool) -> Event {
        Event::AttemptFinished {
            step: StepId::new(step),
            attempt,
            exit_code: Some(code),
            signal: None,
            timed_out,
            error: None,
        }
    }

    /// A drill on three database servers, as the engine records it:
    /// `stop-replicas` runs on db1, db2 and db3; its first attempt fails on
    /// db2 (exit code 1) and times out on db3, the operator retries, the
    /// second attempt succeeds everywhere. `promote` runs on db3 alone and
    /// fails with ssh's own 255; the operator goes on without it.
    fn three_servers() -> Vec<(i64, Event)> {
        let step = |s: &str| StepId::new(s);
        vec![
            (
                0,
                Event::RunStarted {
                    origin: Default::default(),
                    runbook: "failover.yaml".into(),
                    runbook_sha256: "cd".repeat(32),
                    name: "Database failover".into(),
                    mode: Mode::Drill,
                    dry_run: false,
                    operator: "alice".into(),
                    host: "ops-laptop".into(),
                    reprise_version: "0.1.0".into(),
                    rto: Some(Duration::from_secs(1800)),
                    rpo: None,
                    services: Vec::new(),
                    phases: vec![PlannedPhase {
                        id: PhaseId::new("db"),
                        title: "Databases".into(),
                    }],
                    steps: vec![
                        planned("announce", "Announce the failover", StepKind::Manual, &[]),
                        planned(
                            "stop-replicas",
                            "Stop the replicas",
                            StepKind::Command,
                            &["announce"],
                        ),
                        planned(
                            "promote",
                            "Promote db3",
                            StepKind::Command,
                            &["stop-replicas"],
                        ),
                    ],
                    exercise: None,
                },
            ),
            (
                0,
                Event::StepReady {
                    step: step("announce"),
                },
            ),
            (
                120,
                Event::StepFinished {
                    origin: Default::default(),
                    step: step("announce"),
                    outcome: Outcome::Done,
                    exit_code: None,
                    reason: None,
                    by: "alice".into(),
                    source: Source::Operator,
                    attempts: 0,
                    output_tail: vec![],
                },
            ),
            (
                120,
                Event::StepReady {
                    step: step("stop-replicas"),
                },
            ),
            (
                120,
                Event::StepStarted {
                    step: step("stop-replicas"),
                    attempt: 1,
                    pid: Some(4242),
                },
            ),
            (180, host_finished("stop-replicas", 1, &exited("db1", 0))),
            (240, host_finished("stop-replicas", 1, &exited("db2", 1))),
            (
                420,
                host_finished(
                    "stop-replicas",
                    1,
                    &Host {
                        name: "db3",
                        exit_code: None,
                        signal: Some("SIGTERM"),
                        timed_out: true,
                    },
                ),
            ),
            (420, attempt_finished("stop-replicas", 1, 1, true)),
            (
                480,
                Event::Decision {
                    origin: Default::default(),
                    step: step("stop-replicas"),
                    decision: Decision::Retry,
                    reason: Some("db3 was still flushing".into()),
                    by: "bob".into(),
                    source: Source::Operator,
                },
            ),
            (
                480,
                Event::StepStarted {
                    step: step("stop-replicas"),
                    attempt: 2,
                    pid: Some(4300),
                },
            ),
            (540, host_finished("stop-replicas", 2, &exited("db1", 0))),
            (570, host_finished("stop-replicas", 2, &exited("db2", 0))),
            (600, host_finished("stop-replicas", 2, &exited("db3", 0))),
            (600, attempt_finished("stop-replicas", 2, 0, false)),
            (
                600,
                Event::StepFinished {
                    origin: Default::default(),
                    step: step("stop-replicas"),
                    outcome: Outcome::Done,
                    exit_code: Some(0),
                    reason: None,
                    by: "reprise".into(),
                    source: Source::Command,
                    attempts: 2,
                    output_tail: vec![],
                },
            ),
            (
                600,
                Event::StepReady {
                    step: step("promote"),
                },
            ),
            (
                600,
                Event::StepStarted {
                    step: step("promote"),
                    attempt: 1,
                    pid: Some(4400),
                },
            ),
            (605, host_finished("promote", 1, &exited("db3", 255))),
            (605, attempt_finished("promote", 1, 255, false)),
            (
                660,
                Event::Decision {
                    origin: Default::default(),
                    step: step("promote"),
                    decision: Decision::Continue,
                    reason: Some("db3 unreachable, promote by hand later".into()),
                    by: "bob".into(),
                    source: Source::Operator,
                },
            ),
            (
                660,
                Event::StepFinished {
                    origin: Default::default(),
                    step: step("promote"),
                    outcome: Outcome::Failed,
                    exit_code: Some(255),
                    reason: Some("db3 unreachable, promote by hand later".into()),
                    by: "bob".into(),
                    source: Source::Operator,
                    attempts: 1,
                    output_tail: vec![
                        "ssh: connect to host 10.0.4.13 port 22: Connection refused".into(),
                    ],
                },
            ),
            (
                720,
                Event::RunFinished {
                    result: RunResult::Degraded,
                },
            ),
        ]
    }

    /// Writes the drill with the real journal writer (hash chain and all).
    fn write(path: &Path) {
        let mut w =
            reprise::journal::Writer::create(path, reprise::redact::Redactor::default()).unwrap();
        for (second, event) in three_servers() {
            w.write(&Stamped {
                time: at(second),
                event,
            })
            .unwrap();
        }
        w.sync().unwrap();
    }

    fn report(format: &str) -> Output {
        let t = Test::new()
            .env("TZ", "UTC")
            .args(["report", "drill.jsonl", "--format", format]);
        write(&t.path().join("drill.jsonl"));
        let out = t.run();
        out.code(0);
        out
    }

    #[test]
    fn the_journal_is_one_reprise_accepts() {
        let t = Test::new().args(["verify", "drill.jsonl"]);
        write(&t.path().join("drill.jsonl"));
        t.run().code(0);
    }

    #[test]
    fn markdown_shows_each_host_and_how_it_ended() {
        let md = report("md").stdout;
        for row in [
            "| 1 | `db1` | done | exit code 0 | 08:03:00 | 1m |",
            "| 1 | `db2` | failed | exit code 1 | 08:04:00 | 2m |",
            "| 1 | `db3` | failed | timed out, killed by SIGTERM | 08:07:00 | 5m |",
            "| 2 | `db1` | done | exit code 0 | 08:09:00 | 1m |",
            "| 2 | `db2` | done | exit code 0 | 08:09:30 | 1m30s |",
            "| 2 | `db3` | done | exit code 0 | 08:10:00 | 2m |",
            "| 1 | `db3` | failed | exit code 255 | 08:10:05 | 5s |",
        ] {
            assert!(md.contains(row), "missing {row}\n{md}");
        }
        // The steps table says where each remote step ran; the local step
        // reads as before.
        assert!(
            md.contains("| Stop the replicas `stop-replicas` (critical) on `db1`, `db2`, `db3` |"),
            "{md}"
        );
        assert!(md.contains("| Promote db3 `promote` on `db3` |"), "{md}");
        assert!(md.contains("| Announce the failover `announce` |"), "{md}");
        assert_eq!(md.matches("| Attempt | Host |").count(), 2, "{md}");
        // The failed attempt names its failing hosts, in the step's details
        // and in the deviations.
        assert!(
            md.contains(
                "- Attempt 1 at 08:02:00: timed out, exit code 1 after 5m; failed on db2, db3"
            ),
            "{md}"
        );
        assert!(
            md.contains(
                "timed out, exit code 1; failed on db2 (exit code 1), db3 (timed out, killed by SIGTERM)"
            ),
            "{md}"
        );
        assert!(
            md.contains("Step promote (Promote db3) failed on db3:"),
            "{md}"
        );
    }

    #[test]
    fn html_shows_each_host_and_how_it_ended() {
        let html = report("html").stdout;
        assert_eq!(html.matches("<table class=\"hosts\"").count(), 2, "{html}");
        let rows: Vec<(&str, &str)> = html
            .split("<tr data-host=\"")
            .skip(1)
            .map(|r| {
                let host = r.split('"').next().unwrap();
                let outcome = r
                    .split("data-outcome=\"")
                    .nth(1)
                    .and_then(|x| x.split('"').next())
                    .unwrap();
                (host, outcome)
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("db1", "done"),
                ("db2", "failed"),
                ("db3", "failed"),
                ("db1", "done"),
                ("db2", "done"),
                ("db3", "done"),
                ("db3", "failed"),
            ]
        );
        assert!(
            html.contains("<td>timed out, killed by SIGTERM</td>"),
            "{html}"
        );
        assert!(html.contains("<td>exit code 255</td>"), "{html}");
        assert!(
            html.contains("<span class=\"on-hosts\">on <code>db1</code>, <code>db2</code>, <code>db3</code></span>"),
            "{html}"
        );
        // Still one bar per step in the chart.
        assert_eq!(html.matches("<rect class=\"bar ").count(), 3);
    }

    #[test]
    fn json_carries_each_hosts_result_per_attempt() {
        let v: serde_json::Value = serde_json::from_str(&report("json").stdout).unwrap();
        assert_eq!(v["format_version"], 1, "fields added, none changed");
        let steps = v["phases"][0]["steps"].as_array().unwrap();
        let step = |id: &str| steps.iter().find(|s| s["id"] == id).unwrap();
        assert_eq!(step("announce")["hosts"], serde_json::json!([]));
        let stop = step("stop-replicas");
        assert_eq!(stop["hosts"], serde_json::json!(["db1", "db2", "db3"]));
        let ends: Vec<Vec<(String, String, serde_json::Value, serde_json::Value)>> =
            stop["attempts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    a["hosts"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| {
                            (
                                h["host"].as_str().unwrap().to_string(),
                                h["outcome"].as_str().unwrap().to_string(),
                                h["exit_code"].clone(),
                                h["duration_seconds"].clone(),
                            )
                        })
                        .collect()
                })
                .collect();
        assert_eq!(
            ends,
            [
                vec![
                    ("db1".into(), "done".into(), j!(0), j!(60)),
                    ("db2".into(), "failed".into(), j!(1), j!(120)),
                    ("db3".into(), "failed".into(), j!(null), j!(300)),
                ],
                vec![
                    ("db1".into(), "done".into(), j!(0), j!(60)),
                    ("db2".into(), "done".into(), j!(0), j!(90)),
                    ("db3".into(), "done".into(), j!(0), j!(120)),
                ],
            ]
        );
        let db3 = &stop["attempts"][0]["hosts"][2];
        assert_eq!(db3["timed_out"], true);
        assert_eq!(db3["signal"], "SIGTERM");
        assert_eq!(db3["ended"]["utc"], "2026-11-29T08:07:00.000Z");
        let promote = &step("promote")["attempts"][0]["hosts"][0];
        assert_eq!(promote["host"], "db3");
        assert_eq!(promote["exit_code"], 255);
        assert_eq!(promote["outcome"], "failed");
    }

    /// A real drill through `ssh`, no server needed: two hosts on a closed
    /// loopback port both fail with ssh's 255, and the report names both.
    #[test]
    fn a_real_run_on_unreachable_hosts_reports_each_host() {
        let port = crate::sshd::free_port();
        let runbook = format!(
            "version: 1\nname: Unreachable\ndefaults:\n  timeout: 1m\nhosts:\n  \
             db1: {{address: 127.0.0.1, port: {port}}}\n  db2: {{address: 127.0.0.1, port: {port}}}\n\
             steps:\n  - id: stop\n    title: Stop\n    host: [db1, db2]\n    on_failure: continue\n    run: 'true'\n"
        );
        let t = Test::new()
            .file("drill.yaml", runbook)
            .args(["run", "--yes", "drill.yaml"]);
        let out = t.run();
        out.code(1);
        let journal = std::fs::read_dir(out.dir.join("journals"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .expect("a journal");
        let report = Test::new()
            .file("j.jsonl", std::fs::read(&journal).unwrap())
            .env("TZ", "UTC")
            .args(["report", "j.jsonl", "--format", "json"])
            .run();
        report.code(0);
        let v: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
        let stop = &v["phases"][0]["steps"][0];
        let mut hosts: Vec<(&str, &str, i64)> = stop["attempts"][0]["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["host"].as_str().unwrap(),
                    h["outcome"].as_str().unwrap(),
                    h["exit_code"].as_i64().unwrap(),
                )
            })
            .collect();
        // They end in either order.
        hosts.sort_unstable();
        assert_eq!(hosts, [("db1", "failed", 255), ("db2", "failed", 255)]);
    }

    /// The per-host tables survive a real browser: Chromium, offline, sees
    /// one row per host and attempt, and still one bar per step.
    #[test]
    fn html_host_tables_render_in_headless_chromium() {
        if !Path::new(super::CHROMIUM).exists() {
            if std::env::var_os("CI").is_some() {
                panic!("{} is missing on CI", super::CHROMIUM);
            }
            eprintln!("skipped: {} not found", super::CHROMIUM);
            return;
        }
        let t = Test::new().env("TZ", "UTC").args([
            "report",
            "drill.jsonl",
            "--format",
            "html",
            "-o",
            "report.html",
        ]);
        write(&t.path().join("drill.jsonl"));
        let out = t.run();
        out.code(0);
        let url = format!("file://{}", out.dir.join("report.html").display());
        let dump = super::chromium(&["--dump-dom".to_string()], &url);
        let dom = String::from_utf8_lossy(&dump.stdout);
        assert!(
            dump.status.success() && dom.contains("</html>"),
            "chromium failed"
        );
        let tables: Vec<&str> = super::tags_with(&dom, "table class=\"hosts\"")
            .into_iter()
            .filter_map(|t| super::attr(t, "data-step"))
            .collect();
        assert_eq!(tables, ["stop-replicas", "promote"]);
        let rows: Vec<(&str, &str)> = super::tags_with(&dom, "tr data-host=")
            .into_iter()
            .map(|t| {
                (
                    super::attr(t, "data-host").unwrap(),
                    super::attr(t, "data-outcome").unwrap(),
                )
            })
            .collect();
        assert_eq!(rows.len(), 7, "{rows:?}");
        assert_eq!(rows[2], ("db3", "failed"));
        let bars = super::tags_with(&dom, "rect class=\"bar ");
        assert_eq!(bars.len(), 3, "one bar per step");
    }
}
