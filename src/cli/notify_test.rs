//! `reprise notify-test`: one test message through each alert target.

use std::path::PathBuf;

use crate::notify::sender::test_all;

/// Send one test message through each alert target of the runbook (and of
/// `--notify`), and say which worked: run it before the drill, so that a
/// wrong webhook address is found on Monday, not at 03:10 on Sunday.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  reprise notify-test runbooks/hopital-baie-stockage.yaml
  reprise notify-test rb.yaml --notify step_waiting='wall'

Exit codes: 0 every target worked, 1 some failed, 2 invalid input or no target.")]
pub struct Args {
    /// The runbook (YAML).
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,
    /// More targets, as for `reprise run --notify`.
    #[arg(long = "notify", value_name = "EVENTS=COMMAND")]
    notify: Vec<String>,
}

pub fn run(args: Args) -> super::Result {
    let checked = super::run::load(&args.runbook)?;
    let rb = &checked.runbook;
    let mut targets = rb.notify.clone();
    for (i, flag) in args.notify.iter().enumerate() {
        targets.push(
            crate::notify::from_flag(flag, rb.notify.len() + i + 1)
                .map_err(|e| super::Error::invalid(e).hint("see docs/alerts.md"))?,
        );
    }
    if targets.is_empty() {
        return Err(super::Error::invalid(format!(
            "{} has no alert target",
            args.runbook.display()
        ))
        .hint("add a `notify:` list to the runbook, or give --notify EVENTS=COMMAND"));
    }
    let mut failed = 0;
    let mut out = String::new();
    for (name, result) in test_all(&targets, &rb.name) {
        match result {
            Ok(()) => out.push_str(&format!("ok      {name}\n")),
            Err(e) => {
                failed += 1;
                out.push_str(&format!("FAILED  {name}: {e}\n"));
            }
        }
    }
    super::print(&out)?;
    Ok(if failed == 0 {
        crate::exit::SUCCESS
    } else {
        crate::exit::DEGRADED
    })
}
