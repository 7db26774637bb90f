//! What is recorded before the engine takes over: presets from the
//! command line, and a resumed journal's steps.

use super::*;

#[test]
fn assume_done_and_skip_are_recorded_from_the_command_line() {
    let mut crit = cmd("crit");
    crit.critical = true;
    let rb = runbook(vec![cmd("a"), crit, needs(cmd("b"), &["a", "crit"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            presets: vec![
                Preset::AssumeDone {
                    step: StepIndex(0),
                    reason: "done before the drill".into(),
                },
                Preset::Skip {
                    step: StepIndex(1),
                    reason: "array absent".into(),
                },
            ],
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "run_started",
            "a done",
            "crit skipped",
            "ready b",
            "started b#1",
            "start b#1"
        ]
    );
    for id in ["a", "crit"] {
        let Event::StepFinished { source, by, .. } = s.finished(id) else {
            unreachable!()
        };
        assert_eq!((source, by.as_str()), (Source::CommandLine, "alice"));
    }
    // A critical step skipped: the drill cannot recover.
    assert_eq!(s.exit("b", 1, 0)[2], "run_finished degraded");
}

#[test]
fn assumed_done_steps_are_not_rolled_back() {
    let rb = runbook(vec![
        rollback_cmd(cmd("a"), "undo-a"),
        needs(policy(cmd("b"), OnFailure::Rollback), &["a"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            presets: vec![Preset::AssumeDone {
                step: StepIndex(0),
                reason: "earlier".into(),
            }],
            ..config()
        },
    );
    s.start();
    assert_eq!(
        s.exit("b", 1, 1)[3..],
        ["run_finished aborted", "finished aborted"]
    );
}

#[test]
fn resume_replays_silently_and_handles_interrupted_steps() {
    let mut idem = cmd("idem");
    idem.idempotent = true;
    let rb = runbook(vec![
        cmd("done-before"),
        needs(idem, &["done-before"]),
        needs(cmd("risky"), &["done-before"]),
        needs(manual("open"), &["done-before"]),
        needs(cmd("later"), &["idem", "risky", "open"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![
                Preset::Recorded {
                    step: StepIndex(0),
                    outcome: Outcome::Done,
                    dependents_proceed: true,
                },
                // Attempt numbers go on from those recorded.
                Preset::Interrupted {
                    step: StepIndex(1),
                    attempts: 1,
                    hosts: vec![],
                },
                Preset::Interrupted {
                    step: StepIndex(2),
                    attempts: 2,
                    hosts: vec![],
                },
                Preset::Interrupted {
                    step: StepIndex(3),
                    attempts: 0,
                    hosts: vec![],
                },
            ],
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "ask interrupted risky",
            "ask manual open",
            "started idem#2",
            "start idem#2"
        ]
    );
    assert_eq!(
        s.decide("risky", Decision::Run, None),
        ["decision risky Run", "started risky#3", "start risky#3"]
    );
    s.record("open", Outcome::Done, None);
    s.exit("risky", 3, 0);
    assert_eq!(
        s.exit("idem", 2, 0)[2..],
        ["ready later", "started later#1", "start later#1"]
    );
}

#[test]
fn an_interrupted_step_can_be_marked_failed_by_hand() {
    let rb = runbook(vec![
        policy(cmd("risky"), OnFailure::Continue),
        needs(cmd("next"), &["risky"]),
    ]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Interrupted {
                step: StepIndex(0),
                attempts: 1,
                hosts: vec![],
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["ask interrupted risky"]);
    assert_eq!(
        s.decide("risky", Decision::MarkFailed, None),
        ["ask interrupted risky"]
    );
    assert_eq!(
        s.decide("risky", Decision::MarkFailed, Some("half done, unclear")),
        [
            "decision risky MarkFailed",
            "risky failed",
            "ready next",
            "started next#1",
            "start next#1"
        ]
    );
}

#[test]
fn a_recorded_failure_that_blocks_dependents_ends_degraded() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Failed,
                dependents_proceed: false,
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["run_finished degraded", "finished degraded"]);
}

#[test]
fn a_recorded_failure_with_continue_lets_dependents_run() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            resume: true,
            presets: vec![Preset::Recorded {
                step: StepIndex(0),
                outcome: Outcome::Failed,
                dependents_proceed: true,
            }],
            ..config()
        },
    );
    assert_eq!(s.start(), ["ready b", "started b#1", "start b#1"]);
}
