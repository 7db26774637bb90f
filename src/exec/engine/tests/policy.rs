//! Retries and `on_failure`: continue, abort, rollback.

use super::*;

#[test]
fn retries_wait_their_delay_and_every_attempt_is_recorded() {
    let mut a = cmd("a");
    a.retries = 2;
    a.retry_delay = Duration(30);
    let rb = runbook(vec![a]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(s.engine.next_deadline(), None);
    assert_eq!(s.exit("a", 1, 1), ["attempt a#1 exit=1"]);
    let due = s.now + jiff::SignedDuration::from_secs(30);
    assert_eq!(s.engine.next_deadline(), Some(due));
    s.advance(10);
    assert!(s.send(Input::Tick).is_empty());
    s.advance(20);
    assert_eq!(s.send(Input::Tick), ["started a#2", "start a#2"]);
    assert_eq!(s.engine.next_deadline(), None);
    // A stale exit of an earlier attempt is ignored.
    assert!(s.exit("a", 1, 1).is_empty());
    s.exit("a", 2, 1);
    s.advance(30);
    assert_eq!(s.send(Input::Tick), ["started a#3", "start a#3"]);
    assert_eq!(
        s.exit("a", 3, 0),
        [
            "attempt a#3 exit=0",
            "a done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
    let Event::StepFinished {
        attempts,
        output_tail,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(attempts, 3);
    assert!(output_tail.is_empty(), "a success keeps no tail");
}

#[test]
fn a_zero_retry_delay_retries_at_once() {
    let mut a = cmd("a");
    a.retries = 1;
    let rb = runbook(vec![a]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 7),
        ["attempt a#1 exit=7", "started a#2", "start a#2"]
    );
}

#[test]
fn a_resumed_step_has_its_whole_retry_budget_after_the_interrupted_attempts() {
    let mut a = cmd("a");
    a.retries = 1;
    a.idempotent = true;
    let rb = runbook(vec![a]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Interrupted {
                step: StepIndex(0),
                attempts: 3,
                hosts: vec![],
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["started a#4", "start a#4"]);
    // The interrupted attempts did not fail: `retries: 1` still allows one.
    assert_eq!(
        s.exit("a", 4, 7),
        ["attempt a#4 exit=7", "started a#5", "start a#5"]
    );
    assert_eq!(s.exit("a", 5, 7), ["attempt a#5 exit=7", "ask failed a"]);
}

// ---- on_failure ---------------------------------------------------------------

#[test]
fn on_failure_continue_lets_dependents_go_on_and_degrades() {
    let rb = runbook(vec![
        policy(cmd("a"), OnFailure::Continue),
        needs(cmd("b"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 3),
        [
            "attempt a#1 exit=3",
            "a failed",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    let Event::StepFinished {
        exit_code,
        output_tail,
        reason,
        ..
    } = s.finished("a")
    else {
        unreachable!()
    };
    assert_eq!(exit_code, Some(3));
    assert_eq!(output_tail, ["a said 3"]);
    assert_eq!(reason.as_deref(), Some("exit code 3"));
    assert_eq!(
        s.exit("b", 1, 0)[2..],
        ["run_finished degraded", "finished degraded"]
    );
}

#[test]
fn on_failure_abort_stops_everything_and_leaves_unreached_steps_pending() {
    let rb = runbook(vec![
        policy(cmd("a"), OnFailure::Abort),
        cmd("slow"),
        manual("m"),
        needs(cmd("never"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    assert_eq!(
        s.exit("a", 1, 1),
        [
            "attempt a#1 exit=1",
            "a failed",
            "abort_requested by reprise",
            "retract m",
            "m aborted",
            "kill_all"
        ]
    );
    // The killed command is reported, then the drill ends.
    let out = s.send(Input::CommandExited(Exit {
        step: s.ix("slow"),
        attempt: 1,
        ending: crate::event::Ending {
            signal: Some("SIGTERM".into()),
            ..Default::default()
        },
        ..Exit::default()
    }));
    assert_eq!(
        out,
        [
            "attempt slow#1 exit=-1",
            "slow aborted",
            "run_finished aborted",
            "finished aborted"
        ]
    );
    assert!(
        !s.events
            .iter()
            .any(|e| e.step().is_some_and(|id| id.as_str() == "never")),
        "a step never reached gets no event"
    );
}

#[test]
fn a_command_that_finishes_on_its_own_during_an_abort_is_done() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: Some("power cut".into()),
    });
    assert_eq!(s.send(abort), ["abort_requested by alice", "kill_all"]);
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
    assert_eq!(
        s.exit("b", 1, 143)[1..],
        ["b aborted", "run_finished aborted", "finished aborted"]
    );
}

#[test]
fn on_failure_rollback_undoes_completed_steps_newest_first() {
    let mut manual_rb = manual("m");
    manual_rb.rollback = Some(Rollback::Instructions(Located::new(
        "switch it back".into(),
        Span::default(),
    )));
    let rb = runbook(vec![
        rollback_cmd(cmd("first"), "undo-first"),
        needs(manual_rb, &["first"]),
        needs(cmd("no-rollback"), &["m"]),
        needs(rollback_cmd(cmd("third"), "undo-third"), &["no-rollback"]),
        needs(policy(cmd("bad"), OnFailure::Rollback), &["third"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("first", 1, 0);
    s.record("m", Outcome::Done, None);
    s.exit("no-rollback", 1, 0);
    s.exit("third", 1, 0);
    assert_eq!(
        s.exit("bad", 1, 1),
        [
            "attempt bad#1 exit=1",
            "bad failed",
            "abort_requested by reprise",
            "ask rollback third"
        ]
    );
    assert_eq!(
        s.decide("third", Decision::Run, None),
        ["rollback_started third", "start third#0"]
    );
    assert_eq!(
        s.exit("third", 0, 0),
        ["rollback_finished third done", "ask rollback m"]
    );
    // A manual rollback is confirmed done.
    assert_eq!(
        s.decide("m", Decision::MarkDone, None),
        [
            "rollback_started m",
            "rollback_finished m done",
            "ask rollback first"
        ]
    );
    // Declining needs a reason.
    assert_eq!(
        s.decide("first", Decision::Skip, None),
        ["ask rollback first"]
    );
    assert_eq!(
        s.decide("first", Decision::Skip, Some("keep the copy")),
        [
            "rollback_finished first skipped",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn a_failed_rollback_is_recorded_and_the_next_is_offered() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        needs(rollback_cmd(cmd("b"), "undo-b"), &["a"]),
        needs(policy(cmd("c"), OnFailure::Rollback), &["b"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("a", 1, 0);
    s.exit("b", 1, 0);
    s.exit("c", 1, 1);
    s.decide("b", Decision::Run, None);
    assert_eq!(
        s.exit("b", 0, 2),
        ["rollback_finished b failed", "ask rollback a"]
    );
    // Aborting during rollbacks ends the drill without the rest.
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: None,
    });
    assert_eq!(
        s.send(abort),
        [
            "abort_requested by alice",
            "retract a",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}

#[test]
fn aborting_a_running_rollback_kills_it_and_ends() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        rollback_cmd(cmd("z"), "undo-z"),
        needs(policy(cmd("c"), OnFailure::Rollback), &["a", "z"]),
    ]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("z", 1, 0);
    s.exit("a", 1, 0);
    s.exit("c", 1, 1);
    assert_eq!(
        s.decide("a", Decision::Run, None),
        ["rollback_started a", "start a#0"]
    );
    let abort = Input::Operator(OperatorInput::Abort {
        by: "alice".into(),
        reason: None,
    });
    assert_eq!(s.send(abort), ["abort_requested by alice", "kill_all"]);
    assert_eq!(
        s.exit("a", 0, 143),
        [
            "rollback_finished a failed",
            "run_finished aborted",
            "finished aborted"
        ]
    );
}
