//! `on_failure: ask`: each answer to the question about a failed step.

use super::*;

fn ask_runbook() -> Runbook {
    runbook(vec![
        rollback_cmd(cmd("before"), "undo"),
        needs(cmd("a"), &["before"]),
        needs(cmd("b"), &["a"]),
    ])
}

fn ask_sim(rb: &Runbook) -> Sim<'_> {
    let mut s = Sim::new(rb, config());
    s.start();
    s.exit("before", 1, 0);
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1", "ask failed a"]);
    s
}

#[test]
fn ask_retry_starts_the_next_attempt() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(s.decide("a", Decision::Retry, None), ["ask failed a"]);
    assert_eq!(
        s.decide("a", Decision::Retry, Some("disk freed")),
        ["decision a Retry", "started a#2", "start a#2"]
    );
    assert_eq!(
        s.exit("a", 2, 0),
        [
            "attempt a#2 exit=0",
            "a done",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
}

#[test]
fn ask_mark_done_needs_a_reason_and_counts_as_done() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(s.decide("a", Decision::MarkDone, None), ["ask failed a"]);
    assert_eq!(
        s.decide("a", Decision::MarkDone, Some("done on the console")),
        [
            "decision a MarkDone",
            "a done",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    let Event::StepFinished {
        source,
        by,
        reason,
        attempts,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(source, Source::Operator);
    assert_eq!(by, "bob");
    assert_eq!(reason.as_deref(), Some("done on the console"));
    assert_eq!(attempts, 1);
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished recovered");
}

#[test]
fn ask_skip_lets_dependents_go_on() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Skip, Some("not needed tonight")),
        [
            "decision a Skip",
            "a skipped",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished recovered");
}

#[test]
fn ask_continue_keeps_the_failure_and_degrades() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Continue, None),
        [
            "decision a Continue",
            "a failed",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished degraded");
}

#[test]
fn ask_abort_ends_the_drill() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Abort, Some("too risky")),
        [
            "decision a Abort",
            "a failed",
            "abort_requested by bob",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn ask_rollback_rolls_back() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    assert_eq!(
        s.decide("a", Decision::Rollback, Some("back out")),
        [
            "decision a Rollback",
            "a failed",
            "abort_requested by bob",
            "ask rollback before"
        ]
    );
}

#[test]
fn a_question_nobody_can_answer_aborts() {
    let rb = ask_runbook();
    let mut s = ask_sim(&rb);
    let step = s.ix("a");
    let out = s.send(Input::Operator(OperatorInput::Unanswerable {
        step,
        message: "use --yes or --answers".into(),
    }));
    assert_eq!(
        out,
        [
            "abort_requested by reprise",
            "retract a",
            "a failed",
            "run_finished aborted",
            "finished aborted"
        ]
    );
    assert!(matches!(
        &s.events[s.events.len() - 3],
        Event::AbortRequested { reason: Some(r), .. } if r.contains("--yes")
    ));
}

#[test]
fn aborting_retracts_every_open_question() {
    let rb = runbook(vec![cmd("a"), cmd("b"), manual("m")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1", "ask failed a"]);
    assert_eq!(
        s.decide("m", Decision::Abort, None),
        [
            "decision m Abort",
            "abort_requested by bob",
            "retract a",
            "a failed",
            "retract m",
            "m aborted",
            "kill_all"
        ]
    );
}
