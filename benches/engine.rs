//! The scheduler alone (`cargo bench --bench engine`): the sans-IO
//! [`Engine`] driven to the end of a generated graph on a fake clock, with
//! no process, journal or terminal.
//!
//! `drive/SHAPE/N` builds an engine (`jobs: 2`, as `bench/run` runs
//! reprise), sends `Start`, and answers every `StartCommand` with a
//! successful `CommandExited`, oldest first, one millisecond of fake time
//! later, until `Finished`. What it measures is everything reprise adds per
//! step apart from the process and the disk: readiness, the job queue, the
//! events (`run_started` with the planned steps, `step_started`,
//! `step_finished`, `run_finished`) and the actions. The runbooks are those
//! of `bench/gen.py` (see `common`); throughput is reported in steps per
//! second.

use std::collections::VecDeque;
use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use reprise::event::RunResult;
use reprise::exec::engine::Engine;
use reprise::exec::{Action, Config, Exit, Input, Output};
use reprise::graph::Graph;
use reprise::runbook::{Runbook, StepIndex};
use reprise::validate;

mod common;
use common::Shape;

/// Graph sizes, in steps.
const SIZES: [usize; 2] = [1_000, 10_000];

/// What one drive did, checked once before timing.
#[derive(Debug, PartialEq)]
struct Drove {
    /// Commands started.
    started: usize,
    /// How the run ended (`None`: it never finished).
    result: Option<RunResult>,
}

/// Runs the whole drill on a fake clock: every command succeeds, in the
/// order it started.
fn drive(runbook: &Runbook, graph: &Graph, config: &Config) -> Drove {
    let mut engine = Engine::new(runbook, graph, config.clone());
    let mut now = Timestamp::UNIX_EPOCH;
    let mut running: VecDeque<(StepIndex, u32)> = VecDeque::new();
    let mut drove = Drove {
        started: 0,
        result: None,
    };
    let mut input = Input::Start;
    loop {
        for output in engine.handle(now, input) {
            match output {
                Output::Event(event) => {
                    black_box(event);
                }
                Output::Action(Action::StartCommand(launch)) => {
                    drove.started += 1;
                    running.push_back((launch.step, launch.attempt));
                }
                Output::Action(Action::Finished(result)) => drove.result = Some(result),
                // Every step is an automated command that succeeds: nothing
                // is asked, killed or retracted.
                Output::Action(other) => panic!("unexpected action {other:?}"),
            }
        }
        let Some((step, attempt)) = running.pop_front() else {
            return drove;
        };
        now += SignedDuration::from_millis(1);
        input = Input::CommandExited(Exit {
            step,
            attempt,
            ending: reprise::event::Ending::exited(0),
            ..Exit::default()
        });
    }
}

fn engine(c: &mut Criterion) {
    let config = Config {
        jobs: 2,
        operator: "bench".into(),
        ..Config::default()
    };
    let mut group = c.benchmark_group("drive");
    group.sample_size(20);
    for steps in SIZES {
        group.throughput(Throughput::Elements(steps as u64));
        for shape in Shape::ALL {
            let text = shape.runbook(steps);
            let ok = validate::check_text(Path::new("runbook.yaml"), &text)
                .unwrap_or_else(|_| panic!("the generated {} runbook is invalid", shape.name()));
            // A drive that stopped early would look fast: check it once.
            assert_eq!(
                drive(&ok.runbook, &ok.graph, &config),
                Drove {
                    started: steps,
                    result: Some(RunResult::Recovered),
                },
                "{} {steps}",
                shape.name()
            );
            group.bench_with_input(BenchmarkId::new(shape.name(), steps), &ok, |b, ok| {
                b.iter(|| drive(&ok.runbook, &ok.graph, &config))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
