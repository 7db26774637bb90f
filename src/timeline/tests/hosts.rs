//! Remote steps: each host's end, per attempt and for the rollback.

use super::*;

fn host_end(min: i64, sec: i64, id: &str, attempt: u32, host: &str, code: Option<i32>) -> Stamped {
    ev(
        min,
        sec,
        Event::HostFinished {
            step: StepId::new(id),
            attempt,
            host: host.into(),
            ending: crate::event::Ending {
                exit_code: code,
                ..Default::default()
            },
            cause: None,
            output_tail: vec![],
        },
    )
}

/// A step on three hosts fails on one, is retried, and succeeds: each
/// attempt keeps each host's end, and knows which hosts failed.
#[test]
fn each_attempt_keeps_how_it_ended_on_each_host() {
    let mut timed_out = host_end(3, 0, "stop", 1, "db3", None);
    if let Event::HostFinished { ending, .. } = &mut timed_out.event {
        ending.signal = Some("SIGTERM".into());
        ending.timed_out = true;
    }
    let events = vec![
        started(vec![step("stop", StepKind::Command, Some(5), &[])], None),
        ready(0, 0, "stop"),
        start(0, 0, "stop", 1),
        host_end(1, 0, "stop", 1, "db1", Some(0)),
        host_end(2, 30, "stop", 1, "db2", Some(1)),
        timed_out,
        attempt_end(3, 0, "stop", 1, 1),
        decision(4, 0, "stop", Decision::Retry),
        start(4, 0, "stop", 2),
        host_end(5, 0, "stop", 2, "db2", Some(0)),
        host_end(5, 10, "stop", 2, "db1", Some(0)),
        host_end(6, 0, "stop", 2, "db3", Some(0)),
        attempt_end(6, 0, "stop", 2, 0),
        finish(6, 0, "stop", Outcome::Done, Source::Command),
    ];
    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    let s = t.step("stop").unwrap();
    assert_eq!(s.hosts(), ["db1", "db2", "db3"]);
    let first = &s.attempts[0];
    let names: Vec<&str> = first.hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(names, ["db1", "db2", "db3"], "in the order they ended");
    let failed: Vec<&str> = first.failed_hosts().map(|h| h.host.as_str()).collect();
    assert_eq!(failed, ["db2", "db3"]);
    assert_eq!(first.hosts[1].ending.exit_code, Some(1));
    assert!(first.hosts[2].ending.timed_out);
    assert_eq!(first.hosts[2].ending.signal.as_deref(), Some("SIGTERM"));
    assert_eq!(first.host_duration(&first.hosts[0]), Some(mins(1)));
    assert_eq!(
        first.host_duration(&first.hosts[1]),
        Some(StdDuration::from_secs(150))
    );
    let second = &s.attempts[1];
    assert_eq!(second.failed_hosts().count(), 0);
    let names: Vec<&str> = second.hosts.iter().map(|h| h.host.as_str()).collect();
    assert_eq!(names, ["db2", "db1", "db3"]);
    assert_eq!(second.host_duration(&second.hosts[2]), Some(mins(2)));
    // Host ends change nothing about the step's own accounting.
    let split = s.time_split(at(0, 0), t.as_of().unwrap()).unwrap();
    assert_eq!(split.running, mins(3) + mins(2));
    assert_eq!(s.outcome(), Some(Outcome::Done));
}

/// `ssh` that could not start: the hosts' ends come before an
/// `attempt_finished` with no `step_started`; they still land on that
/// attempt, whose start (and so each host's duration) is unknown.
#[test]
fn planned_hosts_are_named_even_for_a_step_that_never_ran() {
    let mut remote = step("stop", StepKind::Command, None, &[]);
    remote.hosts = vec!["db1".into(), "db2".into()];
    let events = vec![
        started(vec![remote], None),
        ready(0, 0, "stop"),
        start(0, 1, "stop", 1),
        host_end(1, 0, "stop", 1, "db3", Some(0)),
    ];
    let tl = Timeline::from_events(&events);
    assert_eq!(tl.steps[0].hosts(), ["db1", "db2", "db3"]);
    let tl = Timeline::from_events(&events[..2]);
    assert_eq!(tl.steps[0].hosts(), ["db1", "db2"]);
}

#[test]
fn hosts_of_an_attempt_that_could_not_start_are_kept() {
    let mut broken = host_end(1, 0, "stop", 1, "db1", None);
    if let Event::HostFinished { ending, .. } = &mut broken.event {
        ending.error = Some("ssh: not found".into());
    }
    let events = vec![
        started(vec![step("stop", StepKind::Command, None, &[])], None),
        ready(0, 0, "stop"),
        broken,
        ev(
            1,
            0,
            Event::AttemptFinished {
                step: StepId::new("stop"),
                attempt: 1,
                ending: crate::event::Ending {
                    error: Some("ssh: not found".into()),
                    ..Default::default()
                },
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    let s = t.step("stop").unwrap();
    assert_eq!(s.attempts.len(), 1);
    let a = &s.attempts[0];
    assert!(!a.start_known);
    assert_eq!(a.hosts.len(), 1);
    assert_eq!(a.hosts[0].ending.error.as_deref(), Some("ssh: not found"));
    assert!(!a.hosts[0].succeeded());
    assert_eq!(a.host_duration(&a.hosts[0]), None);
    assert_eq!(s.hosts(), ["db1"]);
}

/// Attempt 0 is the rollback: its hosts go to the rollback record.
#[test]
fn rollback_hosts_go_to_the_rollback() {
    let events = vec![
        started(vec![step("stop", StepKind::Command, None, &[])], None),
        start(0, 0, "stop", 1),
        host_end(1, 0, "stop", 1, "db1", Some(0)),
        attempt_end(1, 0, "stop", 1, 0),
        finish(1, 0, "stop", Outcome::Done, Source::Command),
        ev(
            2,
            0,
            Event::RollbackStarted {
                step: StepId::new("stop"),
                pid: None,
            },
        ),
        host_end(3, 0, "stop", 0, "db1", Some(4)),
        host_end(3, 0, "stop", 0, "db9", Some(0)),
        ev(
            3,
            0,
            Event::RollbackFinished {
                origin: Default::default(),
                step: StepId::new("stop"),
                outcome: Outcome::Failed,
                exit_code: Some(4),
                reason: None,
                by: "reprise".into(),
            },
        ),
    ];
    let t = Timeline::from_events(&events);
    let s = t.step("stop").unwrap();
    assert_eq!(
        s.attempts[0].hosts.len(),
        1,
        "the rollback is not an attempt"
    );
    let r = s.rollback.as_ref().unwrap();
    assert_eq!(r.hosts.len(), 2);
    assert_eq!(r.hosts[0].ending.exit_code, Some(4));
    assert_eq!(r.host_duration(&r.hosts[0]), Some(mins(1)));
    assert_eq!(s.hosts(), ["db1", "db9"]);
}

/// The engine's own `host_finished` events, for a step on three hosts
/// with `on_failure: continue`, fold into one attempt that knows which
/// host failed.
#[test]
fn folds_the_engines_own_host_events() {
    use crate::exec::engine::Engine;
    use crate::exec::{Config, Exit, Input, Output};
    use crate::runbook::StepIndex;

    let yaml = "version: 1\nname: Hosts\nhosts:\n  db1: {address: 10.0.0.1}\n  db2: {address: 10.0.0.2}\n  db3: {address: 10.0.0.3}\nsteps:\n  - id: stop\n    title: Stop the replicas\n    host: [db1, db2, db3]\n    run: pg_ctl stop\n    on_failure: continue\n";
    let checked = crate::validate::check_text(std::path::Path::new("h.yaml"), yaml)
        .unwrap_or_else(|_| panic!("valid runbook"));
    let config = Config {
        jobs: 2,
        operator: "alice".into(),
        ..Config::default()
    };
    let mut engine = Engine::new(&checked.runbook, &checked.graph, config);
    let mut events = Vec::new();
    let mut feed = |min: i64, input: Input| {
        for o in engine.handle(at(min, 0), input) {
            if let Output::Event(e) = o {
                events.push(e);
            }
        }
    };
    let stop = StepIndex(0);
    let exit = |code: i32| Exit {
        step: stop,
        attempt: 1,
        ending: crate::event::Ending::exited(code),
        ..Exit::default()
    };
    feed(0, Input::Start);
    for (min, host, code) in [(1, "db1", 0), (2, "db3", 0), (3, "db2", 7)] {
        feed(
            min,
            Input::HostExited {
                host: host.into(),
                exit: exit(code),
            },
        );
    }
    feed(3, Input::CommandExited(exit(7)));
    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    let s = t.step("stop").unwrap();
    assert_eq!(s.outcome(), Some(Outcome::Failed), "{events:#?}");
    assert_eq!(s.attempts.len(), 1);
    let failed: Vec<(&str, Option<i32>)> = s.attempts[0]
        .failed_hosts()
        .map(|h| (h.host.as_str(), h.ending.exit_code))
        .collect();
    assert_eq!(failed, [("db2", Some(7))]);
    // Runbook order (planned in `run_started`), not the order of ends.
    assert_eq!(s.hosts(), ["db1", "db2", "db3"]);
}
