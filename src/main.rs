use std::process::ExitCode;

// glibc's allocator spent a third of `reprise check` on a 100,000-step
// runbook consolidating and freeing the parse tree's many small blocks;
// mimalloc does the same work in a fraction of that (bench/RESULTS.md).
// Without transparent huge pages (the `no_thp` feature): mimalloc asked
// for them on its arenas, and the kernel zeroed 2 MiB each time a thread
// grew into a fresh one: `check` of 100,000 steps took 0.53 s or 0.85-1.07
// s, 0.61 s every time without; the live region of attached terminals
// spent most of its samples zeroing pages.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    reprise::cli::main()
}
