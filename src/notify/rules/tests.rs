//! The alert rules on made-up drills: waits, overruns, the RTO at risk,
//! roles, a resume, services.

use jiff::Timestamp;

use super::Rules;
use crate::event::{Event, NotificationAbout, PlannedStep, RunResult, Source, Stamped};
use crate::notify::{Kind, Target};
use crate::runbook::{Command, Duration, Mode, PhaseId, StepId, StepKind};

fn at(s: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + s).unwrap()
}

fn ev(s: i64, event: Event) -> Stamped {
    Stamped { time: at(s), event }
}

fn about(kind: &str, target: &str, step: Option<&str>) -> NotificationAbout {
    NotificationAbout {
        kind: kind.into(),
        target: target.into(),
        step: step.map(StepId::new),
        service: None,
    }
}

fn step(id: &str, kind: StepKind, role: &str, estimate: u64) -> PlannedStep {
    let mut p: PlannedStep = serde_json::from_value(serde_json::json!({
        "id": id, "title": id.to_uppercase(), "phase": "main", "kind": "manual"
    }))
    .unwrap();
    p.kind = kind;
    p.role = Some(role.into());
    p.estimate = Some(Duration::from_secs(estimate));
    p
}

fn started(steps: Vec<PlannedStep>) -> Stamped {
    let mut v = serde_json::json!({
        "time": "2027-01-15T08:00:00.000Z", "event": "run_started", "runbook": "r.yaml",
        "runbook_sha256": "0", "name": "Lab", "mode": "drill", "dry_run": false,
        "operator": "alice", "host": "h", "reprise_version": "0", "rto": "1h",
        "phases": [{"id": "main", "title": "Main"}], "steps": []
    });
    v["steps"] = serde_json::to_value(steps).unwrap();
    let mut s: Stamped = serde_json::from_value(v).unwrap();
    s.time = at(0);
    let _ = (Mode::Drill, PhaseId::new("main"));
    s
}

fn target(on: Vec<Kind>) -> Target {
    Target::new("t", on, Command::Shell("true".into()))
}

#[test]
fn a_wait_is_told_only_when_still_unanswered_after_the_delay() {
    let mut t = target(vec![Kind::StepWaiting]);
    t.after = Some(Duration::from_secs(600));
    let mut r = Rules::new(vec![t]);
    r.observe(&started(vec![step("call", StepKind::Manual, "lab", 60)]));
    let now = r.observe(&ev(
        10,
        Event::StepReady {
            step: StepId::new("call"),
        },
    ));
    assert!(now.is_empty(), "told at once: {now:?}");
    assert_eq!(r.next_deadline(), Some(at(610)));
    assert!(r.due(at(609)).is_empty());
    let due = r.due(at(610));
    assert_eq!(due.len(), 1);
    assert!(due[0].text.contains("#1 call"), "{}", due[0].text);
    assert!(
        due[0].text.contains("still unanswered after 10m"),
        "{}",
        due[0].text
    );
    assert!(r.due(at(700)).is_empty(), "told once");
}

#[test]
fn an_answered_step_is_not_told_late_and_roles_filter() {
    let mut lab = target(vec![Kind::StepWaiting, Kind::StepFailed]);
    lab.roles = vec!["lab".into()];
    let mut r = Rules::new(vec![lab]);
    r.observe(&started(vec![
        step("call", StepKind::Manual, "lab", 60),
        step("net", StepKind::Manual, "network", 60),
    ]));
    let told = r.observe(&ev(
        1,
        Event::StepReady {
            step: StepId::new("call"),
        },
    ));
    assert_eq!(told.len(), 1, "no delay: told at once");
    assert!(
        r.observe(&ev(
            2,
            Event::StepReady {
                step: StepId::new("net")
            }
        ))
        .is_empty(),
        "not the lab's"
    );
    let failed = serde_json::from_value::<Event>(serde_json::json!({
        "event": "step_finished", "step": "call", "outcome": "failed", "by": "bob",
        "source": "operator", "reason": "no results"
    }))
    .unwrap();
    let told = r.observe(&ev(3, failed));
    assert_eq!(told[0].kind, Kind::StepFailed);
    assert!(
        told[0].text.ends_with("failed: no results"),
        "{}",
        told[0].text
    );
    let _ = Source::Operator;
}

#[test]
fn overrun_and_rto_at_risk_fall_due_on_the_clock() {
    let mut t = target(vec![Kind::StepOverrun, Kind::RtoAtRisk, Kind::RunFinished]);
    t.rto_share = Some(super::super::Ratio(80));
    let mut r = Rules::new(vec![t]);
    r.observe(&started(vec![step(
        "restore",
        StepKind::Command,
        "storage",
        100,
    )]));
    r.observe(&ev(
        5,
        Event::StepStarted {
            step: StepId::new("restore"),
            attempt: 1,
            pid: None,
        },
    ));
    assert_eq!(
        r.next_deadline(),
        Some(at(155)),
        "1.5 × 100 s after the start"
    );
    let due = r.due(at(155));
    assert_eq!(due[0].kind, Kind::StepOverrun);
    assert_eq!(r.next_deadline(), Some(at(2880)), "80% of the 1h RTO");
    assert_eq!(r.due(at(2880))[0].kind, Kind::RtoAtRisk);
    let end = r.observe(&ev(
        3000,
        Event::RunFinished {
            result: RunResult::Recovered,
        },
    ));
    assert_eq!(end[0].kind, Kind::RunFinished);
    assert_eq!(r.next_deadline(), None);
}

#[test]
fn the_rto_is_at_risk_as_soon_as_the_forecast_passes_it() {
    let mut r = Rules::new(vec![target(vec![Kind::RtoAtRisk])]);
    let mut second = step("check", StepKind::Manual, "lab", 1200);
    second.needs = vec![StepId::new("restore")];
    r.observe(&started(vec![
        step("restore", StepKind::Command, "storage", 2400),
        second,
    ]));
    r.observe(&ev(
        0,
        Event::StepStarted {
            step: StepId::new("restore"),
            attempt: 1,
            pid: None,
        },
    ));
    // 40 + 20 min of a 1 h RTO: on time, nothing said.
    assert!(r.due(at(60)).is_empty());
    // The restore overruns by 5 min: the forecast is 5 min late.
    let told = r.due(at(2700));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, Kind::RtoAtRisk);
    assert!(
        told[0]
            .text
            .contains("forecast to recover 5m after its RTO (1h)"),
        "{}",
        told[0].text
    );
    assert!(r.due(at(2800)).is_empty(), "told once");
}

#[test]
fn a_resume_owes_what_the_journal_does_not_show_delivered() {
    let targets = vec![
        target(vec![Kind::StepFailed]),
        Target::new(
            "pager",
            vec![Kind::StepFailed, Kind::StepWaiting],
            Command::Shell("true".into()),
        ),
    ];
    let failed = |s: i64, id: &str| {
        let mut e: Stamped = serde_json::from_value(serde_json::json!({
            "time": "2027-01-15T08:00:00.000Z", "event": "step_finished", "step": id,
            "outcome": "failed", "by": "alice", "source": "command", "attempts": 1
        }))
        .unwrap();
        e.time = at(s);
        e
    };
    let recorded = vec![
        started(vec![
            step("a", StepKind::Command, "lab", 10),
            step("b", StepKind::Command, "lab", 10),
            step("c", StepKind::Manual, "lab", 10),
        ]),
        failed(5, "a"),
        ev(
            6,
            Event::NotificationSent {
                about: about("step_failed", "t", Some("a")),
                attempt: 1,
            },
        ),
        ev(
            7,
            Event::NotificationFailed {
                about: about("step_failed", "pager", Some("a")),
                attempt: 1,
                error: "exit 1".into(),
                last: false,
            },
        ),
        failed(8, "b"),
        ev(
            9,
            Event::NotificationFailed {
                about: about("step_failed", "t", Some("b")),
                attempt: 4,
                error: "exit 1".into(),
                last: true,
            },
        ),
        ev(
            10,
            Event::StepReady {
                step: StepId::new("c"),
            },
        ),
    ];
    let mut r = Rules::new(targets);
    let owed: Vec<(usize, Kind, String)> = r
        .replay(&recorded)
        .into_iter()
        .map(|a| (a.target, a.kind, a.step.unwrap().to_string()))
        .collect();
    assert_eq!(
        owed,
        [
            (1, Kind::StepFailed, "a".to_string()),
            (1, Kind::StepFailed, "b".to_string()),
            (1, Kind::StepWaiting, "c".to_string()),
        ],
        "sent or finally failed: settled; retried or never tried: owed"
    );
}

#[test]
fn a_service_is_at_risk_when_its_own_forecast_passes_its_rto() {
    let mut r = Rules::new(vec![target(vec![Kind::RtoAtRisk])]);
    let mut lab = step("restore-lab", StepKind::Command, "lab", 1800);
    lab.restores = vec!["lab".into()];
    let mut dpi = step("restore-dpi", StepKind::Command, "apps", 600);
    dpi.restores = vec!["dpi".into()];
    let mut begin = started(vec![lab, dpi]);
    if let Event::RunStarted { services, .. } = &mut begin.event {
        *services = serde_json::from_value(serde_json::json!([
            {"name": "lab", "rto": "40m"},
            {"name": "dpi", "rto": "15m"}
        ]))
        .unwrap();
    }
    r.observe(&begin);
    for id in ["restore-lab", "restore-dpi"] {
        r.observe(&ev(
            0,
            Event::StepStarted {
                step: StepId::new(id),
                attempt: 1,
                pid: None,
            },
        ));
    }
    assert!(r.due(at(60)).is_empty(), "both within their RTO");
    // The DPI restore overruns past its 15 min RTO; the lab is fine.
    let told = r.due(at(16 * 60));
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].service.as_deref(), Some("dpi"));
    assert!(
        told[0]
            .text
            .contains("the service “dpi” is forecast to recover 1m after its RTO (15m)"),
        "{}",
        told[0].text
    );
    assert!(r.due(at(17 * 60)).is_empty(), "told once");
}
