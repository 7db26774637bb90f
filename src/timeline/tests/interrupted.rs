//! Drills that do not run straight through: interrupted and resumed,
//! aborted, events that do not fit or come in any order, handovers.

use super::*;

#[test]
fn interrupted_and_resumed_drill() {
    let mut events = vec![
        started(
            vec![
                step("a", StepKind::Command, None, &[]),
                step("b", StepKind::Manual, None, &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        ready(0, 0, "b"),
        start(0, 0, "a", 1),
        ev(
            1,
            0,
            Event::Note {
                origin: Default::default(),
                text: "slow".into(),
                by: "alice".into(),
                step: Some(StepId::new("a")),
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    assert!(!t.is_finished());
    assert_eq!(t.as_of(), Some(at(1, 0)));
    assert_eq!(t.time_to_recovery(), None);
    events.push(ev(
        30,
        0,
        Event::RunResumed {
            origin: Default::default(),
            operator: "bob".into(),
            host: "h2".into(),
            reprise_version: "0.1.0".into(),
            runbook_sha256: None,
        },
    ));
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.step("a").unwrap().state,
        StepState::Ready,
        "to re-run or decide"
    );
    events.push(start(30, 0, "a", 1));
    events.push(attempt_end(32, 0, "a", 1, 0));
    events.push(finish(32, 0, "a", Outcome::Done, Source::Command));
    events.push(finish(35, 0, "b", Outcome::Done, Source::Operator));
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.step("b")
            .unwrap()
            .time_split(at(0, 0), at(40, 0))
            .unwrap()
            .operator,
        mins(6),
        "open 1 minute before the crash and 5 after the resume"
    );
    let a = t.step("a").unwrap();
    assert_eq!(a.attempts.len(), 2);
    assert!(a.attempts[0].interrupted);
    assert_eq!(a.attempts[0].cut, Some(at(1, 0)));
    assert_eq!(
        a.time_split(at(0, 0), at(40, 0)).unwrap().running,
        mins(3),
        "1 minute before the crash, 2 after"
    );
    assert_eq!(t.resumes[0].stopped_after, at(1, 0));
    assert_eq!(t.operators(), vec!["alice".to_string(), "bob".to_string()]);
    assert_eq!(t.notes.len(), 1);
}

#[test]
fn aborted_drill_has_no_recovery_time() {
    let t = Timeline::from_events(&[
        started(vec![step("a", StepKind::Manual, None, &[])], Some(60)),
        ready(0, 0, "a"),
        ev(
            5,
            0,
            Event::AbortRequested {
                origin: Default::default(),
                by: "alice".into(),
                reason: Some("fire".into()),
                rollback: false,
            },
        ),
        finish(5, 0, "a", Outcome::Aborted, Source::Engine),
        ev(
            5,
            1,
            Event::RunFinished {
                result: RunResult::Aborted,
            },
        ),
    ]);
    assert_eq!(t.time_to_recovery(), None);
    assert_eq!(t.rto_verdict(at(9, 0)), RtoVerdict::NotRecovered);
    assert_eq!(t.aborts[0].reason.as_deref(), Some("fire"));
    assert_eq!(
        t.step("a")
            .unwrap()
            .time_split(at(0, 0), at(9, 0))
            .unwrap()
            .operator,
        mins(5)
    );
}

#[test]
fn events_that_do_not_fit_become_warnings() {
    let t = Timeline::from_events(&[
        ready(0, 0, "x"),
        started(vec![step("a", StepKind::Manual, None, &[])], None),
        ready(0, 1, "ghost"),
        finish(0, 2, "a", Outcome::Done, Source::Operator),
        finish(0, 3, "a", Outcome::Failed, Source::Operator),
    ]);
    assert_eq!(t.warnings.len(), 3, "{:?}", t.warnings);
    assert_eq!(t.step("a").unwrap().outcome(), Some(Outcome::Failed));
}

#[test]
fn events_in_any_order_never_panic() {
    let mut events = drill();
    events.reverse();
    let t = Timeline::from_events(&events);
    let now = at(99, 0);
    // Whatever the order, every query answers.
    let _ = (t.rto_verdict(now), t.total_split(now), t.elapsed(now));
    let _ = (t.planned_critical_path(), t.actual_critical_path());
    assert!(
        !t.warnings.is_empty(),
        "events before run_started are reported"
    );
    let mut rotated = drill();
    rotated.rotate_left(7);
    let t = Timeline::from_events(&rotated);
    let _ = (t.actual_critical_path(), t.total_split(now));
    assert!(t.in_progress().count() <= 4);
}

#[test]
fn in_progress_lists_open_and_running_steps() {
    let events = drill();
    let t = Timeline::from_events(&events[..8]);
    let ids: Vec<&str> = t.in_progress().map(|s| s.id().as_str()).collect();
    assert_eq!(ids, ["b", "d"]);
    assert!(t.is_started());
}

#[test]
fn handovers_define_operator_periods() {
    let mut events = drill();
    events.insert(
        5,
        ev(
            13,
            0,
            Event::Handover {
                account: None,
                origin: None,
                from: "alice".into(),
                to: "carol".into(),
                note: None,
            },
        ),
    );
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.operator_periods(),
        vec![(at(0, 0), "alice".into()), (at(13, 0), "carol".into())]
    );
    assert_eq!(
        t.operators(),
        ["alice", "carol", "bob"].map(String::from).to_vec()
    );
}
