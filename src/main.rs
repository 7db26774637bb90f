use std::process::ExitCode;

// glibc's allocator spent a third of `reprise check` on a 100,000-step
// runbook consolidating and freeing the parse tree's many small blocks;
// mimalloc does the same work in a fraction of that (bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    reprise::cli::main()
}
