use super::*;
use crate::event::{Event, PlannedPhase, PlannedStep, Stamped};
use crate::runbook::{Duration, PhaseId};

/// A long chain of steps, each with its own role and phase: every part
/// of the report must stay linear (a quadratic pass would make this
/// test crawl, not fail: it guards by being run, not by timing).
#[test]
fn long_chains_report_in_full() {
    const N: usize = 10_000;
    let t0 = Timestamp::from_second(1_800_000_000).unwrap();
    let at = |s: usize| t0.checked_add(StdDuration::from_secs(s as u64)).unwrap();
    let id = |i: usize| StepId::new(format!("s{i}"));
    let steps: Vec<PlannedStep> = (0..N)
        .map(|i| PlannedStep {
            role: Some(format!("role {i}")),
            estimate: Some(Duration::from_secs(60)),
            needs: if i == 0 { vec![] } else { vec![id(i - 1)] },
            ..PlannedStep::new(
                id(i),
                format!("Step {i}"),
                PhaseId::new(format!("p{}", i / 10)),
                StepKind::Command,
            )
        })
        .collect();
    let mut events = vec![Stamped {
        time: at(0),
        event: Event::RunStarted {
            origin: Default::default(),
            runbook: "big.yaml".into(),
            runbook_sha256: "00".repeat(32),
            name: "Big".into(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "h".into(),
            reprise_version: "0".into(),
            rto: Some(Duration::from_secs(3600)),
            rpo: None,
            services: Vec::new(),
            phases: (0..N / 10)
                .map(|p| PlannedPhase {
                    id: PhaseId::new(format!("p{p}")),
                    title: format!("Phase {p}"),
                })
                .collect(),
            steps,
            exercise: None,
        },
    }];
    for i in 0..N {
        events.push(Stamped {
            time: at(i),
            event: Event::StepReady { step: id(i) },
        });
        events.push(Stamped {
            time: at(i + 1),
            event: Event::StepFinished {
                origin: Default::default(),
                step: id(i),
                outcome: Outcome::Done,
                exit_code: Some(0),
                reason: None,
                by: "alice".into(),
                source: Source::Operator,
                attempts: 0,
                output_tail: vec![],
            },
        });
    }
    events.push(Stamped {
        time: at(N + 1),
        event: Event::RunFinished {
            result: RunResult::Recovered,
        },
    });
    let timeline = Timeline::from_events(&events);
    let zone = Zone::named("UTC").unwrap();
    let r = Report::build(&timeline, "big.jsonl", None, zone).unwrap();
    assert_eq!(r.critical_path.planned.steps.len(), N);
    assert_eq!(r.critical_path.actual.steps.len(), N);
    assert_eq!(r.run.roles.len(), N);
    assert_eq!(r.phases.len(), N / 10);
    assert_eq!(r.recovery.verdict, Verdict::Missed);
    let html = render(&r, Format::Html);
    assert_eq!(html.matches("<rect class=\"bar ").count(), N);
    assert!(render(&r, Format::Markdown).contains("| `s9999` |"));
    assert!(render(&r, Format::Json).contains("\"s9999\""));
}

#[test]
fn durations_read_like_people_write_them() {
    assert_eq!(human(StdDuration::from_secs(0)), "0s");
    assert_eq!(human(StdDuration::from_secs(45)), "45s");
    assert_eq!(human(StdDuration::from_secs(725)), "12m5s");
    assert_eq!(human(StdDuration::from_secs(3600)), "1h");
    assert_eq!(human(StdDuration::from_secs(3723)), "1h2m3s");
    assert_eq!(secs(None), "—");
}

fn ev(min: u64, event: Event) -> Stamped {
    let t0 = Timestamp::from_second(1_800_000_000).unwrap();
    Stamped {
        time: t0.checked_add(StdDuration::from_secs(min * 60)).unwrap(),
        event,
    }
}

fn finished(min: u64, id: &str, outcome: Outcome, by: &str, source: Source) -> Stamped {
    ev(
        min,
        Event::StepFinished {
            origin: Default::default(),
            step: StepId::new(id),
            outcome,
            exit_code: None,
            reason: Some(format!("why {id}")),
            by: by.into(),
            source,
            attempts: 0,
            output_tail: vec![],
        },
    )
}

/// Every deviation kind a drill can carry, from the events alone.
#[test]
fn deviations_name_every_departure_from_the_plan() {
    let step =
        |id: &str| PlannedStep::new(StepId::new(id), id, PhaseId::new("p"), StepKind::Command);
    let events = vec![
        ev(
            0,
            Event::RunStarted {
                origin: Default::default(),
                runbook: "r.yaml".into(),
                runbook_sha256: "00".repeat(32),
                name: "D".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "h".into(),
                reprise_version: "0".into(),
                rto: None,
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("p"),
                    title: "P".into(),
                }],
                steps: ["pre", "byhand", "skipped"].map(step).to_vec(),
                exercise: None,
            },
        ),
        finished(0, "pre", Outcome::Done, "alice", Source::CommandLine),
        ev(
            0,
            Event::StepStarted {
                step: StepId::new("byhand"),
                attempt: 1,
                pid: None,
            },
        ),
        ev(
            1,
            Event::AttemptFinished {
                step: StepId::new("byhand"),
                attempt: 1,
                ending: crate::event::Ending {
                    signal: Some("SIGKILL".into()),
                    timed_out: true,
                    ..Default::default()
                },
            },
        ),
        // Done after a failed attempt, without a `mark_done` decision.
        finished(2, "byhand", Outcome::Done, "bob", Source::Operator),
        finished(3, "skipped", Outcome::Skipped, "bob", Source::Operator),
        ev(
            4,
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    let r = Report::build(&t, "j", None, Zone::utc()).unwrap();
    let kinds: Vec<(Option<&str>, DeviationKind, Option<&str>)> = r
        .deviations
        .iter()
        .map(|d| {
            (
                d.step.as_ref().map(StepId::as_str),
                d.kind,
                d.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (Some("pre"), DeviationKind::AssumedDone, None),
            (
                Some("byhand"),
                DeviationKind::Failure,
                Some("timed out, killed by SIGKILL")
            ),
            (Some("byhand"), DeviationKind::DoneByHand, None),
            (Some("skipped"), DeviationKind::Skip, None),
        ]
    );
    assert_eq!(r.deviations[2].reason.as_deref(), Some("why byhand"));
    assert_eq!(r.recovery.verdict, Verdict::NoObjective);
    assert_eq!(r.verdict_text(), "no RTO in the plan");
}

fn host_end(min: u64, attempt: u32, host: &str, code: Option<i32>, timed_out: bool) -> Stamped {
    ev(
        min,
        Event::HostFinished {
            step: StepId::new("stop"),
            attempt,
            host: host.into(),
            ending: crate::event::Ending {
                exit_code: code,
                signal: timed_out.then(|| "SIGTERM".to_string()),
                timed_out,
                ..Default::default()
            },
            cause: None,
            output_tail: vec![],
        },
    )
}

/// A drill whose step `stop` ran on three hosts: attempt 1 failed on
/// db2 (exit code 1) and timed out on db3; attempt 2 failed on db2
/// again; the operator left it failed. `local` is a local command.
fn hosts_drill() -> Report {
    let step = |id: &str| {
        PlannedStep::new(
            StepId::new(id),
            format!("Title {id}"),
            PhaseId::new("p"),
            StepKind::Command,
        )
    };
    let sid = || StepId::new("stop");
    let events = vec![
        ev(
            0,
            Event::RunStarted {
                origin: Default::default(),
                runbook: "r.yaml".into(),
                runbook_sha256: "00".repeat(32),
                name: "Hosts".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "laptop".into(),
                reprise_version: "0".into(),
                rto: None,
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("p"),
                    title: "P".into(),
                }],
                steps: ["local", "stop"].map(step).to_vec(),
                exercise: None,
            },
        ),
        ev(
            0,
            Event::StepStarted {
                step: StepId::new("local"),
                attempt: 1,
                pid: None,
            },
        ),
        ev(
            1,
            Event::AttemptFinished {
                step: StepId::new("local"),
                attempt: 1,
                ending: crate::event::Ending::exited(0),
            },
        ),
        finished(1, "local", Outcome::Done, "reprise", Source::Command),
        ev(
            1,
            Event::StepStarted {
                step: sid(),
                attempt: 1,
                pid: None,
            },
        ),
        host_end(2, 1, "db1", Some(0), false),
        host_end(3, 1, "db2", Some(1), false),
        host_end(6, 1, "db3", None, true),
        ev(
            6,
            Event::AttemptFinished {
                step: sid(),
                attempt: 1,
                ending: crate::event::Ending {
                    exit_code: Some(1),
                    timed_out: true,
                    ..Default::default()
                },
            },
        ),
        ev(
            7,
            Event::StepStarted {
                step: sid(),
                attempt: 2,
                pid: None,
            },
        ),
        host_end(8, 2, "db1", Some(0), false),
        host_end(8, 2, "db3", Some(0), false),
        host_end(9, 2, "db2", Some(1), false),
        ev(
            9,
            Event::AttemptFinished {
                step: sid(),
                attempt: 2,
                ending: crate::event::Ending::exited(1),
            },
        ),
        finished(10, "stop", Outcome::Failed, "bob", Source::Operator),
        ev(
            11,
            Event::RunFinished {
                result: RunResult::Degraded,
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    Report::build(&t, "j", None, Zone::utc()).unwrap()
}

#[test]
fn the_model_carries_each_hosts_ending_per_attempt() {
    let r = hosts_drill();
    let local = r.steps().find(|s| s.id.as_str() == "local").unwrap();
    assert!(local.hosts.is_empty());
    assert!(local.attempts[0].hosts.is_empty());
    let stop = r.steps().find(|s| s.id.as_str() == "stop").unwrap();
    assert_eq!(stop.hosts, ["db1", "db2", "db3"]);
    let first: Vec<(&str, Outcome, Option<u64>)> = stop.attempts[0]
        .hosts
        .iter()
        .map(|h| (h.host.as_str(), h.outcome, h.duration_seconds))
        .collect();
    assert_eq!(
        first,
        [
            ("db1", Outcome::Done, Some(60)),
            ("db2", Outcome::Failed, Some(120)),
            ("db3", Outcome::Failed, Some(300)),
        ]
    );
    assert_eq!(
        host_text(&stop.attempts[0].hosts[2]),
        "timed out, killed by SIGTERM"
    );
    assert_eq!(failed_hosts(&stop.attempts[1]), ["db2"]);
    let failure = r
        .deviations
        .iter()
        .find(|d| d.kind == DeviationKind::Failure)
        .unwrap();
    assert_eq!(
        failure.detail.as_deref(),
        Some(
            "timed out, exit code 1; failed on db2 (exit code 1), db3 (timed out, killed by SIGTERM)"
        )
    );
    assert!(
        r.review_points
            .iter()
            .any(|p| p == "Step stop (Title stop) failed on db2: why stop."),
        "{:?}",
        r.review_points
    );
    let json: serde_json::Value = serde_json::from_str(&render(&r, Format::Json)).unwrap();
    let hosts = &json["phases"][0]["steps"][1]["attempts"][0]["hosts"];
    assert_eq!(hosts[1]["host"], "db2");
    assert_eq!(hosts[1]["outcome"], "failed");
    assert_eq!(hosts[1]["exit_code"], 1);
    assert_eq!(hosts[2]["timed_out"], true);
    assert_eq!(hosts[2]["signal"], "SIGTERM");
    assert_eq!(hosts[0]["ended"]["utc"], "2027-01-15T08:02:00.000Z");
    assert_eq!(
        json["phases"][0]["steps"][0]["hosts"],
        serde_json::json!([])
    );
}

#[test]
fn markdown_and_html_show_a_host_table_for_remote_steps_only() {
    let r = hosts_drill();
    let md = render(&r, Format::Markdown);
    for row in [
        "| 1 | `db1` | done | exit code 0 | 08:02:00 | 1m |",
        "| 1 | `db2` | failed | exit code 1 | 08:03:00 | 2m |",
        "| 1 | `db3` | failed | timed out, killed by SIGTERM | 08:06:00 | 5m |",
        "| 2 | `db2` | failed | exit code 1 | 08:09:00 | 2m |",
    ] {
        assert!(md.contains(row), "{row}\n{md}");
    }
    assert_eq!(md.matches("| Attempt | Host |").count(), 1, "{md}");
    assert!(
        md.contains("Title stop `stop` on `db1`, `db2`, `db3` |"),
        "{md}"
    );
    assert!(md.contains("| Title local `local` |"), "{md}");
    assert!(
        md.contains("    Title stop on db1, db2, db3 (failed) :crit, "),
        "the Mermaid chart says where: {md}"
    );
    assert!(md.contains("    Title local (done) :done, "), "{md}");

    let html = render(&r, Format::Html);
    assert_eq!(html.matches("<table class=\"hosts\"").count(), 1, "{html}");
    assert_eq!(html.matches("<tr data-host=").count(), 6, "{html}");
    assert!(
        html.contains("<title>Title stop — failed: 9m — on db1, db2, db3; failed on db2</title>"),
        "the chart's tooltip says where: {html}"
    );
    assert!(
        html.contains("<tr data-host=\"db3\" data-outcome=\"failed\"><td class=\"num\">1</td>"),
        "{html}"
    );
    assert!(html.contains("timed out, killed by SIGTERM"), "{html}");
}

/// A crash cut the first attempt after db1 ended; after the resume the
/// second attempt ran on all three. The first attempt says that db2 and
/// db3 have no recorded end, rather than leaving them out.
#[test]
fn hosts_cut_by_an_interruption_are_listed_without_an_end() {
    let step = PlannedStep::new(
        StepId::new("stop"),
        "Stop",
        PhaseId::new("p"),
        StepKind::Command,
    );
    let started = |min, attempt| {
        ev(
            min,
            Event::StepStarted {
                step: StepId::new("stop"),
                attempt,
                pid: None,
            },
        )
    };
    let events = vec![
        ev(
            0,
            Event::RunStarted {
                origin: Default::default(),
                runbook: "r.yaml".into(),
                runbook_sha256: "00".repeat(32),
                name: "Cut".into(),
                mode: Mode::Drill,
                dry_run: false,
                operator: "alice".into(),
                host: "laptop".into(),
                reprise_version: "0".into(),
                rto: None,
                rpo: None,
                services: Vec::new(),
                phases: vec![PlannedPhase {
                    id: PhaseId::new("p"),
                    title: "P".into(),
                }],
                steps: vec![step],
                exercise: None,
            },
        ),
        started(0, 1),
        host_end(1, 1, "db1", Some(0), false),
        ev(
            5,
            Event::RunResumed {
                origin: Default::default(),
                operator: "bob".into(),
                host: "laptop".into(),
                reprise_version: "0".into(),
                runbook_sha256: None,
            },
        ),
        started(5, 2),
        host_end(6, 2, "db1", Some(0), false),
        host_end(6, 2, "db2", Some(0), false),
        host_end(7, 2, "db3", Some(0), false),
        ev(
            7,
            Event::AttemptFinished {
                step: StepId::new("stop"),
                attempt: 2,
                ending: crate::event::Ending::exited(0),
            },
        ),
        finished(7, "stop", Outcome::Done, "reprise", Source::Command),
    ];
    let t = Timeline::from_events(&events);
    let r = Report::build(&t, "j", None, Zone::utc()).unwrap();
    let stop = r.steps().next().unwrap();
    assert!(stop.attempts[0].interrupted);
    assert_eq!(stop.attempts[0].hosts_without_end, ["db2", "db3"]);
    assert!(stop.attempts[1].hosts_without_end.is_empty());
    let md = render(&r, Format::Markdown);
    assert!(
        md.contains("| 1 | `db1` | done | exit code 0 | 08:01:00 | 1m |"),
        "{md}"
    );
    assert!(
        md.contains("| 1 | `db3` | — | no end recorded: the drill stopped while it ran | — | — |"),
        "{md}"
    );
    let html = render(&r, Format::Html);
    assert_eq!(html.matches("data-outcome=\"none\"").count(), 2, "{html}");
}

/// The lines no snapshot drill has: a deviation with no reason given, a
/// rollback that failed with a reason over two lines, a note without a
/// step. Each format keeps its own markup for them.
#[test]
fn rare_detail_lines_keep_each_formats_markup() {
    let mut r = hosts_drill();
    let at = r.run.started.clone();
    r.deviations.push(Deviation {
        time: at.clone(),
        step: Some(StepId::new("local")),
        kind: DeviationKind::Skip,
        detail: None,
        reason: None,
        by: Some("bob".into()),
        said: None,
    });
    r.notes.push(NoteReport {
        time: at,
        by: "carol".into(),
        step: None,
        text: "db3 is <slow>\nask the DBA".into(),
        account: None,
        observer: false,
    });
    r.phases[0].steps[0].rollback = Some(RollbackReport {
        started: None,
        finished: None,
        outcome: Some(Outcome::Failed),
        exit_code: Some(3),
        reason: Some("disk full\nretry later".into()),
        by: None,
        hosts: Vec::new(),
    });

    let md = render(&r, Format::Markdown);
    for line in [
        "| 08:00:00 | `local` | skipped |  | *no reason recorded* | bob |",
        "| 08:00:00 | carol | — | db3 is &lt;slow&gt;<br>ask the DBA |",
        "- [ ] db3 is &lt;slow&gt;<br>ask the DBA — carol",
        "- Rollback: failed, exit code 3 — disk full<br>retry later",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }

    let html = render(&r, Format::Html);
    for line in [
        "<tr><td>08:00:00</td><td><code>local</code></td><td>skipped</td><td></td><td><span class=\"muted\">no reason recorded</span></td><td>bob</td></tr>",
        "<tr><td>08:00:00</td><td>carol</td><td>—</td><td>db3 is &lt;slow&gt;<br>ask the DBA</td></tr>",
        "<li>☐ db3 is &lt;slow&gt;<br>ask the DBA <span class=\"muted\">— carol</span></li>",
        "<li>Rollback: failed, exit code 3 — disk full<br>retry later</li>",
    ] {
        assert!(html.contains(line), "{line}\n{html}");
    }
}
