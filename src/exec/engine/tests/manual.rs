//! Manual steps, confirmations, and steps of the other mode
//! (drill or incident).

use super::*;

#[test]
fn several_manual_steps_are_open_at_once_and_close_in_any_order() {
    let rb = runbook(vec![
        manual("m1"),
        manual("m2"),
        needs(cmd("after"), &["m1", "m2"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready m1",
            "ask manual m1",
            "ready m2",
            "ask manual m2"
        ]
    );
    s.advance(60);
    assert_eq!(s.record("m2", Outcome::Done, None), ["m2 done"]);
    let Event::StepFinished { by, source, .. } = s.finished("m2") else {
        unreachable!()
    };
    assert_eq!((by.as_str(), source), ("bob", Source::Operator));
    // A second record for a closed step records nothing; its sender is
    // told (see `once.rs`).
    assert_eq!(s.record("m2", Outcome::Done, None), ["refused m2"]);
    assert_eq!(
        s.record("m1", Outcome::Done, None),
        ["m1 done", "ready after", "started after#1", "start after#1"]
    );
}

#[test]
fn skipping_or_failing_a_manual_step_needs_a_reason() {
    let rb = runbook(vec![manual("m"), needs(cmd("next"), &["m"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.record("m", Outcome::Skipped, None), ["ask manual m"]);
    assert_eq!(
        s.record("m", Outcome::Skipped, Some("  ")),
        ["ask manual m"]
    );
    assert_eq!(
        s.record("m", Outcome::Skipped, Some("not needed")),
        ["m skipped", "ready next", "started next#1", "start next#1"]
    );
    let Event::StepFinished { reason, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("not needed"));
}

#[test]
fn a_manual_failure_applies_on_failure() {
    let rb = runbook(vec![
        policy(manual("m"), OnFailure::Continue),
        needs(cmd("next"), &["m"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.record("m", Outcome::Failed, Some("the phone line is down")),
        ["m failed", "ready next", "started next#1", "start next#1"]
    );
    assert_eq!(
        s.exit("next", 1, 0)[2..],
        ["run_finished degraded", "finished degraded"]
    );
}

#[test]
fn a_manual_failure_keeps_its_reason_when_the_operator_goes_on() {
    let rb = runbook(vec![manual("m"), needs(cmd("next"), &["m"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    // The failure is recorded at once, with its reason, before the question.
    assert_eq!(
        s.record(
            "m",
            Outcome::Failed,
            Some("result not in the patient record")
        ),
        ["decision m MarkFailed", "ask failed m"]
    );
    assert_eq!(
        s.decide("m", Decision::Continue, Some("accepted, ticket opened"))[..2],
        ["decision m Continue", "m failed"]
    );
    let reasons: Vec<_> = s
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Decision { reason, .. } => reason.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        reasons,
        [
            "result not in the patient record",
            "accepted, ticket opened"
        ]
    );
    let Event::StepFinished { reason, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("result not in the patient record"));
}

#[test]
fn a_confirm_step_asks_before_it_starts() {
    let mut c = cmd("c");
    c.confirm = true;
    let rb = runbook(vec![c.clone(), {
        let mut d = c;
        d.id.value = StepId::new("d");
        d
    }]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready c",
            "ask confirm c",
            "ready d",
            "ask confirm d"
        ]
    );
    assert_eq!(
        s.decide("c", Decision::Run, None),
        ["decision c Run", "started c#1", "start c#1"]
    );
    // Skipping needs a reason.
    assert_eq!(s.decide("d", Decision::Skip, None), ["ask confirm d"]);
    // Retry makes no sense for a step that has not run.
    assert_eq!(
        s.decide("d", Decision::Continue, Some("x")),
        ["ask confirm d"]
    );
    assert_eq!(
        s.decide("d", Decision::Skip, Some("done by hand yesterday")),
        ["decision d Skip", "d skipped"]
    );
    assert_eq!(
        s.exit("c", 1, 0),
        [
            "attempt c#1 exit=0",
            "c done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
}

// ---- modes ----------------------------------------------------------------

#[test]
fn steps_of_the_other_mode_are_not_applicable_and_satisfy_dependents() {
    let mut only_incident = cmd("real-failover");
    only_incident.only = Some(Mode::Incident);
    let mut only_drill = cmd("copy-failover");
    only_drill.only = Some(Mode::Drill);
    let rb = runbook(vec![
        cmd("first"),
        needs(only_incident, &["first"]),
        needs(only_drill, &["first"]),
        needs(cmd("last"), &["real-failover"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("first", 1, 0),
        [
            "attempt first#1 exit=0",
            "first done",
            "real-failover not_applicable",
            "ready copy-failover",
            "ready last",
            "started copy-failover#1",
            "start copy-failover#1",
            "started last#1",
            "start last#1"
        ]
    );
    let Event::StepFinished { source, by, .. } = s.finished("real-failover") else {
        unreachable!()
    };
    assert_eq!((source, by.as_str()), (Source::Engine, ENGINE));
    s.exit("copy-failover", 1, 0);
    assert_eq!(s.exit("last", 1, 0)[2], "run_finished recovered");
}
