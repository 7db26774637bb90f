//! Operator inputs and what their records say: notes, handover,
//! identity, hold, stop, auto-confirmation, ignored inputs, timeouts.

use super::*;

#[test]
fn handover_changes_who_later_records_are_attributed_to() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.exit("a", 1, 0);
    let out = s.send(Input::Operator(OperatorInput::Handover {
        to: "night-shift".into(),
        note: Some("b still running".into()),
        by: "alice".into(),
    }));
    assert_eq!(out, ["handover alice->night-shift"]);
    assert_eq!(s.engine.operator(), "night-shift");
    let out = s.send(Input::Operator(OperatorInput::Note {
        text: "fans are loud".into(),
        step: Some(StepIndex(1)),
        by: "night-shift".into(),
    }));
    assert_eq!(out, ["note fans are loud"]);
    s.exit("b", 1, 0);
    let by = |id| match s.finished(id) {
        Event::StepFinished { by, .. } => by,
        _ => unreachable!(),
    };
    assert_eq!(by("a"), "alice");
    assert_eq!(by("b"), "night-shift");
}

#[test]
fn records_carry_the_account_and_origin_of_whoever_made_them() {
    use crate::identity::{Identity, Origin};
    let origin = |account: &str, from: Option<&str>| Origin {
        account: Some(account.into()),
        from: from.map(Into::into),
        ..Origin::default()
    };
    let rb = runbook(vec![manual("m"), manual("n"), cmd("c")]);
    let starter = Identity::new("alice", origin("root", None));
    let mut s = Sim::new(
        &rb,
        Config {
            operator: starter,
            ..config()
        },
    );
    s.start();
    let storage = Identity::new("storage-team", origin("bob", Some("10.0.0.7")));
    s.send(Input::Operator(OperatorInput::Record {
        step: s.ix("n"),
        outcome: Outcome::Done,
        reason: None,
        by: storage.clone(),
        auto: false,
    }));
    s.send(Input::Operator(OperatorInput::Note {
        text: "array is back".into(),
        step: None,
        by: storage,
    }));
    s.record("m", Outcome::Done, None);
    s.exit("c", 1, 0);
    let who = |id| match s.finished(id) {
        Event::StepFinished { by, origin, .. } => (by, origin),
        _ => unreachable!(),
    };
    assert_eq!(
        who("n"),
        ("storage-team".into(), origin("bob", Some("10.0.0.7")))
    );
    assert_eq!(who("m"), ("bob".into(), Origin::default()));
    assert_eq!(who("c"), ("alice".into(), origin("root", None)));
    let note = s.events.iter().find_map(|e| match e {
        Event::Note { by, origin, .. } => Some((by.clone(), origin.clone())),
        _ => None,
    });
    assert_eq!(
        note,
        Some(("storage-team".into(), origin("bob", Some("10.0.0.7"))))
    );
}

#[test]
fn a_hold_lets_running_commands_finish_and_starts_nothing_until_released() {
    let rb = runbook(vec![
        cmd("a"),
        needs(cmd("b"), &["a"]),
        needs(manual("m"), &["a"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        ["run_started", "ready a", "started a#1", "start a#1"]
    );
    let hold = |by: &str| {
        Input::Operator(OperatorInput::Hold {
            by: by.into(),
            reason: Some("we stop tonight".into()),
        })
    };
    assert_eq!(s.send(hold("alice")), ["held by alice"]);
    assert!(s.engine.is_held());
    assert!(s.send(hold("bob")).is_empty(), "already held");
    // The running command finishes and is recorded; its dependents wait.
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
    s.advance(3600);
    assert!(s.send(Input::Tick).is_empty());
    assert!(!s.engine.is_finished());
    let out = s.send(Input::Operator(OperatorInput::Release { by: "bob".into() }));
    assert_eq!(
        out,
        [
            "released by bob",
            "ready b",
            "ready m",
            "ask manual m",
            "started b#1",
            "start b#1"
        ]
    );
    assert!(
        s.send(Input::Operator(OperatorInput::Release { by: "bob".into() }))
            .is_empty(),
        "not held"
    );
}

#[test]
fn a_stop_records_run_stopped_and_nothing_after_it() {
    let rb = runbook(vec![cmd("a"), needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(&rb, config());
    s.start();
    let out = s.send(Input::Operator(OperatorInput::Stop {
        by: "signal".into(),
        reason: Some("stopped by SIGTERM".into()),
    }));
    assert_eq!(out, ["run_stopped", "stopped"]);
    // The killed command's end is not recorded: resume decides about it.
    assert!(s.exit("a", 1, 143).is_empty());
    assert!(!s.engine.is_finished());
}

#[test]
fn auto_confirmed_records_say_so() {
    let rb = runbook(vec![manual("m")]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.send(Input::Operator(OperatorInput::Record {
        step: StepIndex(0),
        outcome: Outcome::Done,
        reason: None,
        by: "alice".into(),
        auto: true,
    }));
    let Event::StepFinished { source, .. } = s.finished("m") else {
        unreachable!()
    };
    assert_eq!(source, Source::AutoConfirmed);
}

#[test]
fn inputs_before_start_or_about_unknown_steps_are_ignored() {
    let rb = runbook(vec![manual("m")]);
    let mut s = Sim::new(&rb, config());
    assert!(s.record("m", Outcome::Done, None).is_empty());
    assert!(
        s.send(Input::Operator(OperatorInput::Record {
            step: StepIndex(99),
            outcome: Outcome::Done,
            reason: None,
            by: "x".into(),
            auto: false,
        }))
        .is_empty()
    );
    s.start();
    assert!(s.start().is_empty(), "a second start does nothing");
}

#[test]
fn timed_out_attempts_say_so_in_the_reason() {
    let rb = runbook(vec![policy(cmd("a"), OnFailure::Continue)]);
    let mut s = Sim::new(&rb, config());
    s.start();
    s.send(Input::CommandExited(Exit {
        step: StepIndex(0),
        attempt: 1,
        ending: crate::event::Ending {
            signal: Some("SIGTERM".into()),
            timed_out: true,
            ..Default::default()
        },
        ..Exit::default()
    }));
    let Event::StepFinished { reason, .. } = s.finished("a") else {
        unreachable!()
    };
    assert_eq!(reason.as_deref(), Some("timed out"));
}
