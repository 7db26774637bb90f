//! A whole drill folded: time split, attempts and decisions, states as
//! they come, time to recovery against the RTO, critical paths.

use super::*;

#[test]
fn time_is_split_into_running_operator_dependencies_and_pauses() {
    let t = Timeline::from_events(&drill());
    let now = t.as_of().unwrap();
    let start = at(0, 0);
    let a = t.step("a").unwrap().time_split(start, now).unwrap();
    assert_eq!(
        a,
        TimeSplit {
            operator: mins(12),
            ..TimeSplit::default()
        }
    );
    let b = t.step("b").unwrap().time_split(start, now).unwrap();
    assert_eq!(b.dependencies, mins(12));
    assert_eq!(b.running, mins(2) + StdDuration::from_secs(150));
    assert_eq!(b.operator, mins(6), "failure → decision");
    assert_eq!(b.other, StdDuration::from_secs(30), "decision → restart");
    assert_eq!(b.total(), span(start, at(23, 0)));
    let c = t.step("c").unwrap().time_split(start, now).unwrap();
    assert_eq!(c.dependencies, mins(23));
    assert_eq!(c.operator, mins(7), "ready → confirmed");
    assert_eq!(c.running, mins(10));
    let total = t.total_split(now);
    assert_eq!(total.running, mins(39) + StdDuration::from_secs(30));
}

#[test]
fn attempts_decisions_and_states_are_recorded() {
    let t = Timeline::from_events(&drill());
    let b = t.step("b").unwrap();
    assert_eq!(b.attempts.len(), 2);
    assert_eq!(b.attempts[0].ending.exit_code, Some(1));
    assert!(!b.attempts[0].succeeded());
    assert!(b.attempts[1].succeeded());
    assert_eq!(b.decisions.len(), 1);
    assert_eq!(b.decisions[0].decision, Decision::Retry);
    assert_eq!(b.decisions[0].reason.as_deref(), Some("because"));
    assert_eq!(b.state, StepState::Finished(Outcome::Done));
    // Ready 12:00, done 23:00, less the 30 s between the retry and the
    // restart: the command waited for a job slot.
    assert_eq!(
        b.duration(at(99, 0)),
        Some(mins(11) - StdDuration::from_secs(30))
    );
    assert_eq!(
        b.overrun(at(99, 0)),
        Some(mins(6) - StdDuration::from_secs(30))
    );
    assert_eq!(
        t.step("d").unwrap().overrun(at(99, 0)),
        Some(StdDuration::ZERO)
    );
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
}

#[test]
fn incremental_states_follow_the_events() {
    let events = drill();
    let mut t = Timeline::new();
    for e in &events[..8] {
        t.apply(e);
    }
    assert_eq!(
        t.step("a").unwrap().state,
        StepState::Finished(Outcome::Done)
    );
    assert_eq!(
        t.step("b").unwrap().state,
        StepState::AttemptFailed { attempt: 1 }
    );
    assert_eq!(t.step("c").unwrap().state, StepState::Pending);
    assert_eq!(
        t.step("d").unwrap().state,
        StepState::Running { attempt: 1 }
    );
    assert!(!t.is_finished());
    // While open, time runs to `now`.
    let d = t
        .step("d")
        .unwrap()
        .time_split(at(0, 0), at(15, 0))
        .unwrap();
    assert_eq!(d.running, mins(15));
    assert_eq!(
        t.rto_verdict(at(15, 0)),
        RtoVerdict::Open {
            remaining: mins(45)
        }
    );
    assert_eq!(
        t.rto_verdict(at(70, 0)),
        RtoVerdict::Overdue { by: mins(10) }
    );
}

#[test]
fn time_to_recovery_is_compared_to_the_rto() {
    let t = Timeline::from_events(&drill());
    assert_eq!(t.time_to_recovery(), Some(mins(40)));
    assert_eq!(
        t.rto_verdict(at(99, 0)),
        RtoVerdict::Met { margin: mins(20) }
    );
    assert_eq!(
        t.elapsed(at(99, 0)),
        Some(mins(40) + StdDuration::from_secs(1))
    );

    let mut events = drill();
    if let Event::RunStarted { rto, .. } = &mut events[0].event {
        *rto = Some(Duration::from_secs(30 * 60));
    }
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.rto_verdict(at(99, 0)),
        RtoVerdict::Missed { by: mins(10) }
    );
}

#[test]
fn critical_paths_planned_and_actual() {
    let t = Timeline::from_events(&drill());
    let planned = t.planned_critical_path();
    assert_eq!(planned.steps, vec![StepId::new("d")]);
    assert_eq!(planned.length, mins(30));
    let actual = t.actual_critical_path();
    assert_eq!(
        actual.steps,
        ["a", "b", "c"].map(StepId::new).to_vec(),
        "the chain that ended last"
    );
    assert_eq!(actual.length, mins(40));
    let sched = t.planned_schedule();
    assert_eq!(sched[2], Some((mins(15), mins(20))));
}

#[test]
fn planned_path_follows_needs_not_file_order() {
    let t = Timeline::from_events(&[started(
        vec![
            step("late", StepKind::Command, Some(5), &["early"]),
            step("early", StepKind::Command, Some(20), &[]),
            step("side", StepKind::Command, Some(24), &[]),
        ],
        None,
    )]);
    let p = t.planned_critical_path();
    assert_eq!(p.steps, ["early", "late"].map(StepId::new).to_vec());
    assert_eq!(p.length, mins(25));
    assert_eq!(t.rto_verdict(at(1, 0)), RtoVerdict::NoObjective);
}
