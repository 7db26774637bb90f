//! The validator and the planner on generated runbooks (`cargo bench
//! --bench validate`).
//!
//! - `check/SHAPE/N`: YAML text to a checked runbook and its graph
//!   ([`reprise::validate::check_text`]: YAML tree, model, every check,
//!   graph, warnings), what `reprise check` does after reading the file.
//! - `plan/SHAPE/N`: [`Plan::new`] on a checked runbook: earliest starts,
//!   waves, critical path and the order steps can start in, what `reprise
//!   plan` computes before rendering.
//!
//! The runbooks are those of `bench/gen.py` (see `common`), at 1,000 and
//! 10,000 steps; throughput is reported in steps per second.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use reprise::plan::Plan;
use reprise::runbook::Mode;
use reprise::validate::{self, Checked};

mod common;
use common::Shape;

/// Runbook sizes, in steps.
const SIZES: [usize; 2] = [1_000, 10_000];

/// Checks a generated runbook, which must be valid: a benchmark of the
/// rejection path by mistake would measure the wrong thing.
fn checked(shape: Shape, text: &str) -> Checked {
    validate::check_text(Path::new("runbook.yaml"), text).unwrap_or_else(|rejected| {
        panic!(
            "the generated {} runbook is invalid:\n{}",
            shape.name(),
            rejected.render(Path::new("runbook.yaml"), false)
        )
    })
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    // A 10,000-step check takes about a tenth of a second: few samples of
    // one iteration each keep the whole group within a minute.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for steps in SIZES {
        group.throughput(Throughput::Elements(steps as u64));
        for shape in Shape::ALL {
            let text = shape.runbook(steps);
            let ok = checked(shape, &text);
            assert_eq!(ok.runbook.steps.len(), steps);
            group.bench_with_input(BenchmarkId::new(shape.name(), steps), &text, |b, text| {
                b.iter(|| validate::check_text(Path::new("runbook.yaml"), black_box(text)))
            });
        }
    }
    group.finish();
}

fn plan(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan");
    group.sample_size(20);
    for steps in SIZES {
        group.throughput(Throughput::Elements(steps as u64));
        for shape in Shape::ALL {
            let ok = checked(shape, &shape.runbook(steps));
            assert_eq!(
                Plan::new(&ok.runbook, &ok.graph, Mode::Drill).order().len(),
                steps
            );
            group.bench_with_input(BenchmarkId::new(shape.name(), steps), &ok, |b, ok| {
                b.iter(|| Plan::new(black_box(&ok.runbook), black_box(&ok.graph), Mode::Drill))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, check, plan);
criterion_main!(benches);
