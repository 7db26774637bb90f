//! What both benchmarks share: the binary's allocator and the runbooks of
//! `bench/gen.py`, written in memory.
//!
//! The same four shapes and the same YAML text as the script writes to
//! `runbook.yaml`, so that these numbers and `bench/run`'s `reprise check`
//! measure the same input: change both together.

use std::fmt::Write;

// The `reprise` binary's allocator (src/main.rs): the validator's cost is
// mostly allocation, so another allocator would measure another program.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A dependency graph's shape (`bench/gen.py SHAPE`).
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// No edges.
    Independent,
    /// Each step needs the one before.
    Chain,
    /// Layers of [`LAYER_WIDTH`]; each step needs two steps of the layer
    /// before.
    Layered,
    /// One root; every other step needs it.
    Fan,
}

/// Steps per layer of [`Shape::Layered`] (`width` in `bench/gen.py`).
const LAYER_WIDTH: usize = 50;

impl Shape {
    /// Every shape, in the order the benchmarks report them.
    pub const ALL: [Shape; 4] = [Shape::Independent, Shape::Chain, Shape::Layered, Shape::Fan];

    /// The name `bench/gen.py` takes.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Independent => "independent",
            Shape::Chain => "chain",
            Shape::Layered => "layered",
            Shape::Fan => "fan",
        }
    }

    /// The steps step `i` needs, all before it (so the file order is a
    /// topological order, as in the script).
    fn needs(self, i: usize) -> Vec<usize> {
        match self {
            Shape::Independent => Vec::new(),
            Shape::Chain | Shape::Fan if i == 0 => Vec::new(),
            Shape::Chain => vec![i - 1],
            Shape::Fan => vec![0],
            Shape::Layered => {
                let (layer, pos) = (i / LAYER_WIDTH, i % LAYER_WIDTH);
                if layer == 0 {
                    return Vec::new();
                }
                let base = (layer - 1) * LAYER_WIDTH;
                let mut needs = vec![base + pos, base + (pos + 1) % LAYER_WIDTH];
                needs.sort_unstable();
                needs.dedup();
                needs
            }
        }
    }

    /// The runbook of `steps` steps, as `bench/gen.py` writes it: every
    /// step runs `true` as an argv, with the default timeout of one minute
    /// and `on_failure: abort`.
    pub fn runbook(self, steps: usize) -> String {
        // About 60 bytes a step; one allocation for the whole text.
        let mut out = String::with_capacity(100 + steps * 64);
        let name = self.name();
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "version: 1\nname: bench {name} {steps}\ndefaults:\n  timeout: 1m\n  on_failure: abort\nsteps:\n"
        );
        for i in 0..steps {
            let _ = write!(
                out,
                "  - id: s{i}\n    title: step {i}\n    run: [\"true\"]\n"
            );
            let needs = self.needs(i);
            if !needs.is_empty() {
                let names: Vec<String> = needs.iter().map(|d| format!("s{d}")).collect();
                let _ = writeln!(out, "    needs: [{}]", names.join(", "));
            }
        }
        out
    }
}
