//! Ordering: needs, phases, `--jobs`, the start record.

use super::*;

#[test]
fn dependents_start_when_their_needs_are_done() {
    let rb = runbook(vec![
        cmd("a"),
        needs(cmd("b"), &["a"]),
        needs(cmd("c"), &["a"]),
        needs(cmd("d"), &["b", "c"]),
    ]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        ["run_started", "ready a", "started a#1", "start a#1"]
    );
    assert_eq!(
        s.exit("a", 1, 0),
        [
            "attempt a#1 exit=0",
            "a done",
            "ready b",
            "ready c",
            "started b#1",
            "start b#1",
            "started c#1",
            "start c#1"
        ]
    );
    assert_eq!(s.exit("c", 1, 0), ["attempt c#1 exit=0", "c done"]);
    assert_eq!(
        s.exit("b", 1, 0),
        [
            "attempt b#1 exit=0",
            "b done",
            "ready d",
            "started d#1",
            "start d#1"
        ]
    );
    assert_eq!(
        s.exit("d", 1, 0),
        [
            "attempt d#1 exit=0",
            "d done",
            "run_finished recovered",
            "finished recovered"
        ]
    );
    assert!(s.engine.is_finished());
    // Nothing happens after the end.
    assert!(s.exit("d", 1, 0).is_empty());
}

#[test]
fn jobs_bounds_running_commands_and_the_queue_is_in_file_order() {
    let rb = runbook(vec![cmd("a"), cmd("b"), cmd("c")]);
    let mut s = Sim::new(
        &rb,
        Config {
            jobs: 2,
            ..config()
        },
    );
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready a",
            "ready b",
            "ready c",
            "started a#1",
            "start a#1",
            "started b#1",
            "start b#1"
        ]
    );
    assert_eq!(
        s.exit("b", 1, 0),
        ["attempt b#1 exit=0", "b done", "started c#1", "start c#1"]
    );
    assert_eq!(s.exit("a", 1, 0), ["attempt a#1 exit=0", "a done"]);
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

#[test]
fn jobs_zero_still_runs_one_at_a_time() {
    let rb = runbook(vec![cmd("a"), cmd("b")]);
    let mut s = Sim::new(
        &rb,
        Config {
            jobs: 0,
            ..config()
        },
    );
    let out = s.start();
    assert_eq!(out.iter().filter(|l| l.starts_with("start ")).count(), 1);
}

#[test]
fn an_empty_runbook_recovers_at_once() {
    let rb = runbook(vec![]);
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "run_finished recovered",
            "finished recovered"
        ]
    );
}

#[test]
fn run_started_embeds_the_plan_and_run_info() {
    let mut a = manual("a");
    a.estimate = Some(Located::new(Duration(600), Span::default()));
    a.critical = true;
    let rb = runbook(vec![a, needs(cmd("b"), &["a"])]);
    let mut s = Sim::new(
        &rb,
        Config {
            mode: Mode::Incident,
            info: RunInfo {
                runbook: "rb.yaml".into(),
                runbook_sha256: "ab".repeat(32),
                host: "laptop".into(),
                version: "0.1.0".into(),
            },
            ..config()
        },
    );
    s.start();
    let Event::RunStarted {
        runbook,
        mode,
        operator,
        host,
        steps,
        phases,
        ..
    } = &s.events[0]
    else {
        panic!("{:?}", s.events[0]);
    };
    assert_eq!(runbook, "rb.yaml");
    assert_eq!(*mode, Mode::Incident);
    assert_eq!(operator, "alice");
    assert_eq!(host, "laptop");
    assert_eq!(phases.len(), 1);
    assert_eq!(steps[0].kind, StepKind::Manual);
    assert_eq!(steps[0].estimate, Some(Duration(600)));
    assert!(steps[0].critical);
    assert_eq!(steps[1].needs, vec![StepId::new("a")]);
}

#[test]
fn a_phase_waits_for_every_step_of_the_phase_before_it() {
    let est = |mut s: Step| {
        s.estimate = Some(Located::new(Duration(60), Span::default()));
        s
    };
    let mut rb = runbook(vec![
        est(cmd("a1")),
        est(needs(cmd("a2"), &["a1"])),
        est(cmd("a3")),
        cmd("b1"),
    ]);
    rb.phases = vec![
        Phase {
            id: Located::new(PhaseId::new("first"), Span::default()),
            title: "first".into(),
            needs: None,
            steps: 0..3,
            implicit: false,
        },
        Phase {
            id: Located::new(PhaseId::new("second"), Span::default()),
            title: "second".into(),
            needs: None,
            steps: 3..4,
            implicit: false,
        },
    ];
    rb.steps[3].phase = 1;
    let mut s = Sim::new(&rb, config());
    assert_eq!(
        s.start(),
        [
            "run_started",
            "ready a1",
            "ready a3",
            "started a1#1",
            "start a1#1",
            "started a3#1",
            "start a3#1"
        ]
    );
    // `b1` needs the step of `first` planned to end last: a2 (after a1).
    let Event::RunStarted { steps, .. } = &s.events[0] else {
        unreachable!()
    };
    assert_eq!(steps[3].needs, [StepId::new("a2")]);
    s.exit("a3", 1, 0);
    assert_eq!(
        s.exit("a1", 1, 0)[2..],
        ["ready a2", "started a2#1", "start a2#1"]
    );
    assert_eq!(
        s.exit("a2", 1, 0)[2..],
        ["ready b1", "started b1#1", "start b1#1"]
    );
}
