use super::*;

fn at(min: i64, sec: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + min * 60 + sec).unwrap()
}

fn ev(min: i64, sec: i64, event: Event) -> Stamped {
    Stamped {
        time: at(min, sec),
        event,
    }
}

fn step(id: &str, kind: StepKind, est: Option<u64>, needs: &[&str]) -> PlannedStep {
    PlannedStep {
        estimate: est.map(|m| Duration::from_secs(m * 60)),
        needs: needs.iter().map(|n| StepId::new(*n)).collect(),
        ..PlannedStep::new(
            StepId::new(id),
            format!("Title of {id}"),
            crate::runbook::PhaseId::new("p"),
            kind,
        )
    }
}

fn started(steps: Vec<PlannedStep>, rto_min: Option<u64>) -> Stamped {
    ev(
        0,
        0,
        Event::RunStarted {
            origin: Default::default(),
            runbook: "plan.yaml".into(),
            runbook_sha256: "ab".repeat(32),
            name: "Plan".into(),
            mode: Mode::Drill,
            dry_run: false,
            operator: "alice".into(),
            host: "h".into(),
            reprise_version: "0.1.0".into(),
            rto: rto_min.map(|m| Duration::from_secs(m * 60)),
            rpo: None,
            services: Vec::new(),
            phases: vec![PlannedPhase {
                id: crate::runbook::PhaseId::new("p"),
                title: "P".into(),
            }],
            steps,
            exercise: None,
        },
    )
}

fn ready(min: i64, sec: i64, id: &str) -> Stamped {
    ev(
        min,
        sec,
        Event::StepReady {
            step: StepId::new(id),
        },
    )
}

fn start(min: i64, sec: i64, id: &str, attempt: u32) -> Stamped {
    ev(
        min,
        sec,
        Event::StepStarted {
            step: StepId::new(id),
            attempt,
            pid: None,
        },
    )
}

fn attempt_end(min: i64, sec: i64, id: &str, attempt: u32, code: i32) -> Stamped {
    ev(
        min,
        sec,
        Event::AttemptFinished {
            step: StepId::new(id),
            attempt,
            ending: crate::event::Ending::exited(code),
        },
    )
}

fn finish(min: i64, sec: i64, id: &str, outcome: Outcome, source: Source) -> Stamped {
    ev(
        min,
        sec,
        Event::StepFinished {
            origin: Default::default(),
            step: StepId::new(id),
            outcome,
            exit_code: None,
            reason: None,
            by: "alice".into(),
            source,
            attempts: 0,
            output_tail: vec![],
        },
    )
}

fn decision(min: i64, sec: i64, id: &str, d: Decision) -> Stamped {
    ev(
        min,
        sec,
        Event::Decision {
            origin: Default::default(),
            step: StepId::new(id),
            decision: d,
            reason: Some("because".into()),
            by: "bob".into(),
            source: Source::Operator,
        },
    )
}

fn mins(m: u64) -> StdDuration {
    StdDuration::from_secs(m * 60)
}

/// a (manual, 10m) → b (command, 5m, fails once, operator retries) → c
/// (confirm, 5m); d (command, 30m, no needs) runs in parallel.
fn drill() -> Vec<Stamped> {
    vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("c", StepKind::Confirm, Some(5), &["b"]),
                step("d", StepKind::Command, Some(30), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        ready(0, 0, "d"),
        start(0, 0, "d", 1),
        finish(12, 0, "a", Outcome::Done, Source::Operator),
        ready(12, 0, "b"),
        start(12, 0, "b", 1),
        attempt_end(14, 0, "b", 1, 1),
        decision(20, 0, "b", Decision::Retry),
        start(20, 30, "b", 2),
        attempt_end(23, 0, "b", 2, 0),
        finish(23, 0, "b", Outcome::Done, Source::Command),
        ready(23, 0, "c"),
        attempt_end(25, 0, "d", 1, 0),
        finish(25, 0, "d", Outcome::Done, Source::Command),
        decision(30, 0, "c", Decision::Run),
        start(30, 0, "c", 1),
        attempt_end(40, 0, "c", 1, 0),
        finish(40, 0, "c", Outcome::Done, Source::Command),
        ev(
            40,
            1,
            Event::RunFinished {
                result: RunResult::Recovered,
            },
        ),
    ]
}

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

/// The real engine's events, on a fake clock: the timeline must read
/// them the way the engine means them.
#[test]
fn folds_the_engines_own_events() {
    use crate::exec::engine::Engine;
    use crate::exec::{Config, Exit, Input, OperatorInput, Output};
    use crate::runbook::StepIndex;

    let yaml = "version: 1\nname: Engine drill\nobjectives: { rto: 1h }\nsteps:\n  - id: open\n    title: Open the crisis room\n    estimate: 10m\n  - id: fix\n    title: Fix it\n    run: fix-it\n    timeout: 5m\n    estimate: 5m\n    on_failure: ask\n    needs: [open]\n";
    let checked = crate::validate::check_text(std::path::Path::new("e.yaml"), yaml)
        .unwrap_or_else(|_| panic!("valid runbook"));
    let config = Config {
        jobs: 2,
        operator: "alice".into(),
        ..Config::default()
    };
    let mut engine = Engine::new(&checked.runbook, &checked.graph, config);
    let mut events = Vec::new();
    fn feed(engine: &mut Engine<'_>, events: &mut Vec<Stamped>, min: i64, input: Input) {
        for o in engine.handle(at(min, 0), input) {
            if let Output::Event(e) = o {
                events.push(e);
            }
        }
    }
    let (open, fix) = (StepIndex(0), StepIndex(1));
    feed(&mut engine, &mut events, 0, Input::Start);
    feed(
        &mut engine,
        &mut events,
        12,
        Input::Operator(OperatorInput::Record {
            step: open,
            outcome: Outcome::Done,
            reason: None,
            by: "alice".into(),
            auto: false,
        }),
    );
    let exit = |code| {
        Input::CommandExited(Exit {
            step: fix,
            attempt: 1,
            ending: crate::event::Ending::exited(code),
            output_tail: vec!["boom".into()],
            ..Exit::default()
        })
    };
    feed(&mut engine, &mut events, 14, exit(1));
    feed(
        &mut engine,
        &mut events,
        20,
        Input::Operator(OperatorInput::Decide {
            step: fix,
            decision: Decision::Retry,
            reason: Some("transient".into()),
            by: "alice".into(),
            auto: false,
        }),
    );
    let attempt = events
        .iter()
        .rev()
        .find_map(|e| match &e.event {
            Event::StepStarted { attempt, .. } => Some(*attempt),
            _ => None,
        })
        .unwrap();
    assert_eq!(attempt, 2, "the engine retried: {events:#?}");
    feed(
        &mut engine,
        &mut events,
        23,
        Input::CommandExited(Exit {
            step: fix,
            attempt: 2,
            ending: crate::event::Ending::exited(0),
            ..Exit::default()
        }),
    );
    assert!(engine.is_finished(), "{events:#?}");

    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.result.map(|(_, r)| r), Some(RunResult::Recovered));
    let now = t.as_of().unwrap();
    let o = t.step("open").unwrap();
    assert_eq!(o.time_split(at(0, 0), now).unwrap().operator, mins(12));
    let f = t.step("fix").unwrap();
    assert_eq!(f.attempts.len(), 2);
    assert_eq!(f.decisions[0].decision, Decision::Retry);
    let split = f.time_split(at(0, 0), now).unwrap();
    assert_eq!(split.dependencies, mins(12));
    assert_eq!(split.operator, mins(6), "failure at 14, decision at 20");
    // No retry delay: the retry starts with the decision, at 20.
    assert_eq!(split.running, mins(2) + mins(3));
    assert_eq!(f.attempts[1].started, at(20, 0));
    assert_eq!(split.total(), mins(23));
    assert_eq!(t.time_to_recovery(), Some(mins(23)));
    assert_eq!(
        t.actual_critical_path().steps,
        ["open", "fix"].map(StepId::new).to_vec()
    );
}

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

/// A command waiting for a free job slot (`--jobs`) is not running late:
/// the wait is not the step's own time, and while it waits the wait is
/// what it shows. A confirmed command waits for a slot after its `run`.
#[test]
fn job_slot_waits_are_not_a_steps_own_time() {
    let events = vec![
        started(
            vec![
                step("a", StepKind::Command, Some(5), &[]),
                step("b", StepKind::Command, Some(5), &[]),
                step("c", StepKind::Confirm, Some(5), &[]),
            ],
            None,
        ),
        ready(0, 0, "a"),
        ready(0, 0, "b"),
        ready(0, 0, "c"),
        start(0, 0, "a", 1),
        decision(1, 0, "c", Decision::Run),
        attempt_end(4, 0, "a", 1, 0),
        finish(4, 0, "a", Outcome::Done, Source::Command),
        start(4, 0, "b", 1),
    ];
    let tl = Timeline::from_events(&events);
    let b = tl.step("b").unwrap();
    assert_eq!(
        b.duration(at(6, 0)),
        Some(mins(2)),
        "b waited 4m for a slot"
    );
    assert_eq!(b.waiting_for_slot(at(6, 0)), None, "b runs");
    let c = tl.step("c").unwrap();
    assert_eq!(
        c.waiting_for_slot(at(6, 0)),
        Some(mins(5)),
        "since its `run`"
    );
    assert_eq!(
        c.duration(at(6, 0)),
        Some(mins(1)),
        "the minute waiting for the operator's go counts, the slot wait does not"
    );
    let mut later = events.clone();
    later.extend([
        attempt_end(7, 0, "b", 1, 0),
        finish(7, 0, "b", Outcome::Done, Source::Command),
        start(7, 0, "c", 1),
        attempt_end(9, 0, "c", 1, 0),
        finish(9, 0, "c", Outcome::Done, Source::Command),
    ]);
    let tl = Timeline::from_events(&later);
    assert_eq!(tl.step("b").unwrap().duration(at(20, 0)), Some(mins(3)));
    assert_eq!(tl.step("c").unwrap().duration(at(20, 0)), Some(mins(3)));
    assert_eq!(tl.step("a").unwrap().duration(at(20, 0)), Some(mins(4)));
}

#[test]
fn the_forecast_counts_what_is_left_from_now() {
    // a (manual 10m) → b (command 5m) → c (confirm 5m); d (command 30m).
    let mut events = vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("c", StepKind::Confirm, Some(5), &["b"]),
                step("d", StepKind::Command, Some(5), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        start(0, 0, "d", 1),
    ];
    let t = Timeline::from_events(&events);
    // At 4 min: 6 min of a left, then b and c: 16 min from now.
    assert_eq!(t.forecast_end(at(4, 0)), Some(at(20, 0)));
    // a overran (at 25 min, still open): it may end now; b, c follow.
    assert_eq!(t.forecast_end(at(25, 0)), Some(at(35, 0)));
    events.push(finish(12, 0, "a", Outcome::Done, Source::Operator));
    events.push(attempt_end(12, 0, "d", 1, 0));
    events.push(finish(12, 0, "d", Outcome::Done, Source::Command));
    events.push(ready(12, 0, "b"));
    events.push(start(12, 0, "b", 1));
    let t = Timeline::from_events(&events);
    assert_eq!(
        t.forecast_end(at(14, 0)),
        Some(at(22, 0)),
        "3 min of b, then c"
    );
    events.push(ev(
        20,
        0,
        Event::RunFinished {
            result: RunResult::Recovered,
        },
    ));
    assert_eq!(Timeline::from_events(&events).forecast_end(at(20, 0)), None);
}

#[test]
fn the_forecast_gives_each_step_its_end() {
    let events = vec![
        started(
            vec![
                step("a", StepKind::Manual, Some(10), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
                step("d", StepKind::Command, Some(5), &[]),
            ],
            Some(60),
        ),
        ready(0, 0, "a"),
        start(0, 0, "d", 1),
        attempt_end(2, 0, "d", 1, 0),
        finish(2, 0, "d", Outcome::Done, Source::Command),
    ];
    let f = Timeline::from_events(&events).forecast(at(4, 0)).unwrap();
    assert_eq!(f.steps, [Some(at(10, 0)), Some(at(15, 0)), Some(at(2, 0))]);
    assert_eq!(f.end, at(15, 0));
}

#[test]
fn held_time_is_counted_apart_from_waiting() {
    // `a` runs 0..10; `m` (manual) is open from 2; the drill is held from
    // 5 to 65 ("we stop tonight"); `b` needs `a` and becomes ready only at
    // the release; `m` is done at 70, `b` runs 65..70.
    let held = |min, event| ev(min, 0, event);
    let events = vec![
        started(
            vec![
                step("a", StepKind::Command, Some(10), &[]),
                step("m", StepKind::Manual, Some(5), &[]),
                step("b", StepKind::Command, Some(5), &["a"]),
            ],
            None,
        ),
        ready(0, 0, "a"),
        start(0, 0, "a", 1),
        ready(2, 0, "m"),
        held(
            5,
            Event::RunHeld {
                by: "alice".into(),
                origin: Default::default(),
                reason: Some("we stop tonight".into()),
            },
        ),
        attempt_end(10, 0, "a", 1, 0),
        finish(10, 0, "a", Outcome::Done, Source::Command),
        held(
            65,
            Event::RunReleased {
                by: "alice".into(),
                origin: Default::default(),
            },
        ),
        ready(65, 0, "b"),
        start(65, 0, "b", 1),
        finish(70, 0, "m", Outcome::Done, Source::Operator),
        attempt_end(70, 0, "b", 1, 0),
        finish(70, 0, "b", Outcome::Done, Source::Command),
    ];
    let t = Timeline::from_events(&events);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.holds.len(), 1);
    assert_eq!(t.holds[0].reason.as_deref(), Some("we stop tonight"));
    let now = at(70, 0);
    assert_eq!(t.held(now), mins(60));
    let a = t.split_of(t.step("a").unwrap(), now).unwrap();
    assert_eq!(a.running, mins(10), "a command runs through a hold");
    assert_eq!(a.held, mins(0));
    let m = t.split_of(t.step("m").unwrap(), now).unwrap();
    assert_eq!(m.operator, mins(8), "open 2..70, less the 60 held");
    assert_eq!(m.held, mins(60));
    assert_eq!(m.total(), mins(70));
    let b = t.split_of(t.step("b").unwrap(), now).unwrap();
    assert_eq!(b.dependencies, mins(5), "ready at 65, less the 60 held");
    assert_eq!(b.held, mins(60));
    assert_eq!(b.running, mins(5));
    // While the hold is still on, an open wait is held time too.
    let on: Vec<Stamped> = events[..6].to_vec();
    let t = Timeline::from_events(&on);
    let m = t.split_of(t.step("m").unwrap(), at(30, 0)).unwrap();
    assert_eq!((m.operator, m.held), (mins(3), mins(25)));
    assert_eq!(t.total_split(at(30, 0)).held, mins(25));
}

fn host_point(min: i64, id: &str, host: &str, point_min: i64) -> Stamped {
    ev(
        min,
        0,
        Event::RestorePoint {
            step: StepId::new(id),
            point: at(point_min, 0),
            written: format!("T{point_min}"),
            by: "reprise".into(),
            origin: Default::default(),
            source: Source::Command,
            host: Some(host.into()),
        },
    )
}

/// Each host of a remote step records its restore point: the step's is
/// the oldest, whatever order the hosts ended in, and every host's is kept.
#[test]
fn a_remote_steps_restore_point_is_its_oldest_hosts() {
    for order in [
        ["db1", "db2", "db3"],
        ["db3", "db2", "db1"],
        ["db2", "db3", "db1"],
    ] {
        let point = |h: &str| match h {
            "db1" => -30,
            "db2" => -90,
            _ => -60,
        };
        let mut events = vec![
            started(vec![step("restore", StepKind::Command, Some(5), &[])], None),
            ready(0, 0, "restore"),
            start(0, 0, "restore", 1),
        ];
        for (i, h) in order.iter().enumerate() {
            events.push(host_point(i as i64 + 1, "restore", h, point(h)));
        }
        events.push(finish(5, 0, "restore", Outcome::Done, Source::Command));
        let t = Timeline::from_events(&events);
        let s = t.step("restore").unwrap();
        let r = s.restore_point.as_ref().unwrap();
        assert_eq!(r.host.as_deref(), Some("db2"), "{order:?}");
        assert_eq!(r.point, at(-90, 0));
        let hosts: Vec<&str> = s
            .host_restore_points
            .iter()
            .map(|r| r.host.as_deref().unwrap())
            .collect();
        assert_eq!(hosts, order);
    }
}

/// Issue 17, item 11: `report` needed about 8× the journal in memory. The
/// output a timeline keeps is bounded per step, whatever the number of
/// output records: here 100,000 host ends of 5 long lines each (a remote
/// step retried 20,000 times on 5 hosts) and a failed end of 20 such lines.
#[test]
fn the_output_kept_is_bounded_by_the_steps_not_the_records() {
    let mut s = step("remote", StepKind::Command, Some(1), &[]);
    s.hosts = (0..5).map(|h| format!("h{h}")).collect();
    let mut t = Timeline::from_events([&started(vec![s], None)]);
    let long = |n: u32| format!("{n} {}", "x".repeat(600));
    for attempt in 1..=20_000u32 {
        t.apply(&ev(
            1,
            0,
            Event::StepStarted {
                step: StepId::new("remote"),
                attempt,
                pid: None,
            },
        ));
        for h in 0..5 {
            t.apply(&ev(
                1,
                1,
                Event::HostFinished {
                    step: StepId::new("remote"),
                    attempt,
                    host: format!("h{h}"),
                    ending: crate::event::Ending::exited(1),
                    cause: None,
                    output_tail: (0..5).map(long).collect(),
                },
            ));
        }
        t.apply(&ev(
            1,
            2,
            Event::AttemptFinished {
                step: StepId::new("remote"),
                attempt,
                ending: crate::event::Ending::exited(1),
            },
        ));
    }
    t.apply(&ev(
        2,
        0,
        Event::StepFinished {
            step: StepId::new("remote"),
            outcome: Outcome::Failed,
            exit_code: Some(1),
            reason: None,
            by: "reprise".into(),
            origin: Default::default(),
            source: Source::Command,
            attempts: 20_000,
            output_tail: (0..40).map(long).collect(),
        },
    ));
    let r = t.step("remote").unwrap();
    assert_eq!(r.attempts.len(), 20_000);
    let host_lines: Vec<&String> = r
        .attempts
        .iter()
        .flat_map(|a| a.hosts.iter().flat_map(|h| h.output_tail.iter()))
        .collect();
    // Five hosts of the last three attempts, five lines each.
    assert_eq!(host_lines.len(), 3 * 5 * 5);
    assert_eq!(r.output_tail.len(), 20);
    let bytes: usize = host_lines
        .into_iter()
        .chain(&r.output_tail)
        .map(String::len)
        .sum();
    assert!(bytes <= (75 + 20) * 600, "{bytes} bytes of output kept");
    // The last lines are the ones kept, cut and saying so.
    assert!(r.output_tail[19].starts_with("39 xxx"));
    assert!(r.output_tail[19].ends_with(" more bytes]"));
    let last = r.attempts.last().unwrap();
    assert_eq!(last.hosts.len(), 5);
    assert!(last.hosts[4].output_tail[4].starts_with("4 xxx"));
}
