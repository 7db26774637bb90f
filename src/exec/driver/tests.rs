use super::*;
use crate::exec::engine::tests::{cmd, manual, needs, policy, runbook};
use crate::exec::operator::{Answers, AnswersOperator, Nobody};
use crate::runbook::OnFailure;

#[derive(Default)]
struct Collect {
    events: Vec<Event>,
    lines: Vec<String>,
    flushes: usize,
    fail_after: Option<usize>,
}

impl Sink for Collect {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        if self.fail_after.is_some_and(|n| self.events.len() >= n) {
            return Err(std::io::Error::other("disk full"));
        }
        self.events.push(event.event.clone());
        Ok(())
    }
    fn output(&mut self, _step: StepIndex, line: &str) -> std::io::Result<()> {
        self.lines.push(line.to_string());
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.flushes += 1;
        Ok(())
    }
}

fn spawner(dir: &std::path::Path) -> Spawner {
    Spawner {
        base_dir: dir.to_path_buf(),
        vars: Vec::new(),
        log_dir: dir.to_path_buf(),
        redactor: Redactor::default(),
        grace: Duration::from_millis(200),
        remote: None,
    }
}

fn with_cmd(mut s: crate::runbook::Step, c: &str) -> crate::runbook::Step {
    s.run = Some(crate::runbook::Located::new(
        crate::runbook::Command::Shell(c.into()),
        Default::default(),
    ));
    s
}

fn drive(
    rb: &Runbook,
    operator: &mut dyn Operator,
    sink: &mut Collect,
) -> Result<RunResult, Error> {
    let dir = tempfile::tempdir().unwrap();
    let engine = crate::exec::engine::tests::engine(
        rb,
        Config {
            jobs: 4,
            operator: "alice".into(),
            ..Config::default()
        },
    );
    run_engine(rb, engine, &spawner(dir.path()), &mut [sink], operator)
}

#[test]
fn a_drill_runs_commands_and_answers_and_records_everything() {
    let rb = runbook(vec![
        with_cmd(cmd("a"), "echo hello from a"),
        needs(manual("m"), &["a"]),
        needs(
            policy(with_cmd(cmd("bad"), "exit 4"), OnFailure::Continue),
            &["m"],
        ),
    ]);
    let answers = Answers::parse("m: { answer: done, note: all good }\n", &rb).unwrap();
    let mut op = AnswersOperator::new(answers, &rb, &"alice".into(), "answers.yaml");
    let mut sink = Collect::default();
    assert_eq!(drive(&rb, &mut op, &mut sink).unwrap(), RunResult::Degraded);
    assert_eq!(sink.lines, ["hello from a"]);
    let names: Vec<&str> = sink.events.iter().map(Event::name).collect();
    assert_eq!(
        names,
        [
            "run_started",
            "step_ready",
            "step_started",
            "attempt_finished",
            "step_finished",
            "step_ready",
            "note",
            "step_finished",
            "step_ready",
            "step_started",
            "attempt_finished",
            "step_finished",
            "run_finished"
        ]
    );
    // One flush per batch, never one per event.
    assert!(sink.flushes < sink.events.len(), "{} flushes", sink.flushes);
}

/// A journal stand-in: events are "on disk" (in `synced.txt`) only
/// once flushed.
struct FileJournal {
    path: std::path::PathBuf,
    pending: Vec<String>,
}

impl Sink for FileJournal {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        self.pending.push(serde_json::to_string(event).unwrap());
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        use std::io::Write;
        // A slow disk: a command started before the sync would run
        // while the sync is still under way.
        if !self.pending.is_empty() {
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        for line in self.pending.drain(..) {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// A view that checks that what it shows (at `flush`, like the real
/// view) is on disk.
struct ShownAfterSync {
    synced: std::path::PathBuf,
    pending: Vec<String>,
    shown: usize,
}

impl Sink for ShownAfterSync {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        self.pending.push(serde_json::to_string(event).unwrap());
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        let on_disk = std::fs::read_to_string(&self.synced).unwrap_or_default();
        for line in self.pending.drain(..) {
            assert!(
                on_disk.lines().any(|l| l == line),
                "shown before it was synced: {line}"
            );
            self.shown += 1;
        }
        Ok(())
    }
}

#[test]
fn a_dependent_starts_and_an_outcome_shows_only_after_the_sync() {
    let dir = tempfile::tempdir().unwrap();
    let synced = dir.path().join("synced.txt");
    // `b` copies what is on disk when it starts: `a`'s end must be there.
    let rb = runbook(vec![
        with_cmd(cmd("a"), "true"),
        needs(with_cmd(cmd("b"), "cp synced.txt seen-by-b.txt"), &["a"]),
        with_cmd(cmd("c"), "true"),
    ]);
    let mut journal = FileJournal {
        path: synced.clone(),
        pending: Vec::new(),
    };
    let mut view = ShownAfterSync {
        synced: synced.clone(),
        pending: Vec::new(),
        shown: 0,
    };
    let engine = crate::exec::engine::tests::engine(
        &rb,
        Config {
            jobs: 1,
            operator: "alice".into(),
            ..Config::default()
        },
    );
    let mut op = Nobody::new(&rb);
    let result = run_engine(
        &rb,
        engine,
        &spawner(dir.path()),
        &mut [&mut journal, &mut view],
        &mut op,
    );
    assert_eq!(result.unwrap(), RunResult::Recovered);
    let seen = std::fs::read_to_string(dir.path().join("seen-by-b.txt")).unwrap();
    assert!(
        seen.lines()
            .any(|l| l.contains(r#""event":"step_finished","step":"a""#)),
        "b started before a's end was synced:\n{seen}"
    );
    // Every event, `step_started` included, is on disk at the end.
    let on_disk = std::fs::read_to_string(&synced).unwrap();
    assert_eq!(on_disk.lines().count(), view.shown);
    assert_eq!(
        on_disk.matches(r#""event":"step_started""#).count(),
        3,
        "{on_disk}"
    );
}

/// A journal stand-in whose writes take 100 ms, each line in the file
/// (`written.txt`) once written, as the kernel holds it.
struct SlowWrites(std::path::PathBuf);

impl Sink for SlowWrites {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        use std::io::Write;
        std::thread::sleep(Duration::from_millis(100));
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.0)?;
        writeln!(f, "{}", serde_json::to_string(event).unwrap())
    }
}

/// Issue 17, item 12: a command runs only once its `step_started`,
/// with its own pid, is written (a kill in between made resume run it
/// again beside the unrecorded first copy). Each command looks, with
/// shell builtins only (no time to lose), for its pid in the journal.
#[test]
fn a_command_runs_only_once_its_pid_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let look = |id: &str| {
        format!(
            r#"found=no; while IFS= read -r l; do case "$l" in *'"step_started"'*'"pid":'$$*) found=yes;; esac; done < written.txt; echo $found > seen-{id}.txt"#
        )
    };
    let rb = runbook(vec![
        with_cmd(cmd("a"), &look("a")),
        with_cmd(cmd("b"), &look("b")),
        needs(with_cmd(cmd("c"), &look("c")), &["a"]),
    ]);
    let mut journal = SlowWrites(dir.path().join("written.txt"));
    let engine = crate::exec::engine::tests::engine(
        &rb,
        Config {
            jobs: 2,
            operator: "alice".into(),
            ..Config::default()
        },
    );
    let mut op = Nobody::new(&rb);
    let result = run_engine(
        &rb,
        engine,
        &spawner(dir.path()),
        &mut [&mut journal],
        &mut op,
    );
    assert_eq!(result.unwrap(), RunResult::Recovered);
    for id in ["a", "b", "c"] {
        let seen = std::fs::read_to_string(dir.path().join(format!("seen-{id}.txt"))).unwrap();
        assert_eq!(seen.trim(), "yes", "{id} ran before its pid was written");
    }
}

#[test]
fn a_question_without_an_operator_stops_the_drill() {
    let rb = runbook(vec![manual("m"), with_cmd(cmd("long"), "sleep 30")]);
    let mut op = Nobody::new(&rb);
    let mut sink = Collect::default();
    assert_eq!(drive(&rb, &mut op, &mut sink).unwrap(), RunResult::Aborted);
    let reason = sink.events.iter().find_map(|e| match e {
        Event::AbortRequested { reason, .. } => reason.clone(),
        _ => None,
    });
    assert!(reason.unwrap().contains("--yes"));
    assert!(sink.events.iter().any(|e| matches!(
        e,
        Event::StepFinished { outcome: Outcome::Aborted, step, .. } if step.as_str() == "long"
    )));
}

#[test]
fn a_dry_run_walks_the_plan_on_a_simulated_clock() {
    let est = |mut s: crate::runbook::Step, secs| {
        s.estimate = Some(crate::runbook::Located::new(
            crate::runbook::Duration(secs),
            Default::default(),
        ));
        s
    };
    let mut confirm = est(needs(cmd("stop"), &["call"]), 300);
    confirm.confirm = true;
    confirm.env = vec![("TOKEN".into(), "s3cr3t".into())];
    let mut real = cmd("real");
    real.only = Some(crate::runbook::Mode::Incident);
    let rb = runbook(vec![
        est(manual("call"), 600),
        confirm,
        real,
        est(needs(cmd("left-out"), &["stop"]), 60),
        est(needs(cmd("last"), &["stop", "real"]), 1800),
    ]);
    let graph = Graph::build(&rb).unwrap();
    let config = Config {
        dry_run: true,
        jobs: 1,
        operator: "alice".into(),
        presets: vec![crate::exec::Preset::Skip {
            step: StepIndex(3),
            reason: "not tonight".into(),
        }],
        ..Config::default()
    };
    let start: Timestamp = "2026-11-29T08:00:00Z".parse().unwrap();
    let mut sink = Collect::default();
    let (result, preview) = dry_run(
        &rb,
        &graph,
        config,
        start,
        &Redactor::new(["s3cr3t"]),
        &mut [&mut sink],
    )
    .unwrap();
    assert_eq!(result, RunResult::Recovered);
    let items: Vec<String> = preview
        .items
        .iter()
        .map(|i| format!("+{} {} {} {}", i.at, i.what, i.step, i.detail))
        .collect();
    assert_eq!(
        items,
        [
            "+0s skip left-out not tonight",
            "+0s manual call Step call",
            "+0s n/a real runs only in incident mode",
            "+10m confirm stop Step stop",
            "+10m run stop true  [TOKEN=***]",
            "+15m run last true",
        ]
    );
    assert_eq!(preview.total, crate::runbook::Duration(45 * 60));
    assert!(matches!(
        sink.events[0],
        Event::RunStarted { dry_run: true, .. }
    ));
    // Simulated times, not the wall clock.
    assert!(sink.lines.is_empty());
}

#[test]
fn a_sink_error_stops_the_drill() {
    let rb = runbook(vec![with_cmd(cmd("a"), "sleep 30"), cmd("b")]);
    let mut op = Nobody::new(&rb);
    let mut sink = Collect {
        fail_after: Some(3),
        ..Collect::default()
    };
    let err = drive(&rb, &mut op, &mut sink).unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
}

/// A journal whose sync takes a while (a loaded disk), noting when each
/// sync ended and the times of the `step_started` it is given.
#[derive(Default)]
struct SlowSync {
    last_sync: Option<jiff::Timestamp>,
    /// Each `step_started`: its time, and when the sync before it ended.
    starts: Vec<(jiff::Timestamp, Option<jiff::Timestamp>)>,
}

impl Sink for SlowSync {
    fn event(&mut self, event: &Stamped) -> std::io::Result<()> {
        if let Event::StepStarted { .. } = event.event {
            self.starts.push((event.time, self.last_sync));
        }
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::thread::sleep(Duration::from_millis(100));
        self.last_sync = Some(jiff::Timestamp::now());
        Ok(())
    }
}

/// `step_started` says when the command started, which is after the sync
/// of the batch that decided it (seconds, on a loaded disk): `resume`
/// stops a leftover only if its leader started when the journal says. It
/// once carried the time the engine decided, before the sync, and resume
/// then left such a leftover running beside the step's new attempt.
#[test]
fn step_started_is_stamped_when_the_command_starts_after_a_slow_sync() {
    let rb = runbook(vec![
        with_cmd(cmd("a"), "true"),
        needs(with_cmd(cmd("b"), "true"), &["a"]),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let engine = crate::exec::engine::tests::engine(
        &rb,
        Config {
            jobs: 1,
            operator: "alice".into(),
            ..Config::default()
        },
    );
    let mut journal = SlowSync::default();
    let mut op = Nobody::new(&rb);
    let result = run_engine(
        &rb,
        engine,
        &spawner(dir.path()),
        &mut [&mut journal],
        &mut op,
    );
    assert_eq!(result.unwrap(), RunResult::Recovered);
    assert_eq!(journal.starts.len(), 2, "{:?}", journal.starts);
    for (started, synced) in &journal.starts {
        let synced = synced.expect("a sync before each start");
        assert!(
            *started >= synced,
            "step_started at {started}, before the sync that preceded it ended at {synced}"
        );
    }
}
