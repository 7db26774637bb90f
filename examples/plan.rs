//! Compute a runbook's plan without running anything: the waves of steps
//! that can run together, and the critical path against the RTO.
//!
//! ```text
//! cargo run --example plan -- runbooks/hopital-baie-stockage.yaml
//! cargo run --example plan -- runbooks/postgres-failover.yaml incident
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use reprise::diagnostic;
use reprise::exit;
use reprise::plan::{Margin, Plan};
use reprise::runbook::Mode;
use reprise::validate;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(path) = args.next().map(PathBuf::from) else {
        eprintln!("usage: cargo run --example plan -- RUNBOOK.yaml [drill|incident]");
        return exit::code(exit::INVALID);
    };
    let mode = match args.next().as_deref().and_then(|m| m.to_str()) {
        None | Some("drill") => Mode::Drill,
        Some("incident") => Mode::Incident,
        Some(other) => {
            eprintln!("unknown mode `{other}`: write `drill` or `incident`");
            return exit::code(exit::INVALID);
        }
    };

    let checked = match validate::load(&path) {
        Ok(checked) => checked,
        Err(rejected) => {
            let source = rejected.source.as_ref().map(|s| s.text.as_str());
            let shown = path.display().to_string();
            eprint!(
                "{}",
                diagnostic::render(&rejected.diagnostics, &shown, source, false)
            );
            return exit::code(exit::INVALID);
        }
    };
    let runbook = &checked.runbook;
    let plan = Plan::new(runbook, &checked.graph, mode);

    println!("{} ({mode})", runbook.name);
    for (n, wave) in plan.waves().iter().enumerate() {
        println!("wave {}:", n + 1);
        for &index in wave {
            let step = runbook.step(index);
            let planned = plan.step(index);
            println!(
                "  {:<28} {:<8} {:>7}  starts at +{:<8} {}{}",
                step.id.as_str(),
                step.kind(),
                step.estimate
                    .map(|e| e.value.to_string())
                    .unwrap_or_else(|| "-".into()),
                planned.start.to_string(),
                step.role.as_deref().unwrap_or(""),
                if planned.critical {
                    "  [critical path]"
                } else {
                    ""
                },
            );
        }
    }

    // Steps whose `only` names the other mode are left out of the waves and
    // take no time.
    let not_applicable: Vec<&str> = runbook
        .step_indices()
        .filter(|&i| !plan.step(i).applicable)
        .map(|i| runbook.step(i).id.as_str())
        .collect();
    if !not_applicable.is_empty() {
        println!("not applicable in {mode}: {}", not_applicable.join(", "));
    }

    let path = plan.critical_path();
    let chain: Vec<&str> = path
        .steps
        .iter()
        .map(|&i| runbook.step(i).id.as_str())
        .collect();
    println!("critical path: {}", chain.join(" → "));
    println!("{}", path.summary(plan.rto()));
    if path.missing_estimates > 0 {
        println!(
            "({} applicable steps have no estimate and count as zero)",
            path.missing_estimates
        );
    }
    match plan.rto().map(|rto| path.margin(rto)) {
        Some(Margin::Exceeds(_)) => exit::code(exit::DEGRADED),
        _ => exit::code(exit::SUCCESS),
    }
}
