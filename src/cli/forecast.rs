//! `reprise plan RUNBOOK --history JOURNAL...`: the plan against what past
//! drills really took, and `--suggest`'s diff of the estimates.

use std::io::Write;
use std::path::PathBuf;

use crate::exit;
use crate::history::{self, Options as LoadOptions, forecast::Forecast, suggest};
use crate::runbook::Mode;
use crate::validate::Checked;

/// What `plan` passes on.
pub struct Options<'a> {
    /// The runbook's path as given.
    pub shown: &'a str,
    /// The mode planned for.
    pub mode: Mode,
    /// Journal files and folders.
    pub journals: &'a [PathBuf],
    /// JSON rather than text.
    pub json: bool,
    /// Print the diff of the estimates instead of the forecast.
    pub suggest: Option<suggest::Rule>,
    /// Get past damaged journals.
    pub force: bool,
}

/// Turns a history error into what the user should do about it.
pub fn load_error(e: history::Error) -> super::Error {
    let hint = match &e {
        history::Error::Journal(j) if j.line().is_some() => {
            "check it with `reprise verify`; --force uses it up to the damage"
        }
        history::Error::NotAJournal(_) => {
            "give journals written by `reprise run`, or --force to skip it"
        }
        history::Error::Empty(_) => "give the folder that holds the drills' `*.jsonl` journals",
        _ => "give journals written by `reprise run`",
    };
    super::Error::invalid(e).hint(hint)
}

/// Runs the history part of `plan`.
pub fn run(checked: &Checked, o: &Options<'_>) -> super::Result {
    let rb = &checked.runbook;
    let loaded = history::load(
        o.journals,
        &LoadOptions {
            name: Some(rb.name.clone()),
            force: o.force,
        },
    )
    .map_err(load_error)?;
    let mut err = std::io::stderr().lock();
    for w in &loaded.warnings {
        let _ = writeln!(err, "warning: {}", crate::escape::line(w));
    }
    if loaded.drills.is_empty() {
        return Err(super::Error::invalid(format!(
            "no drill of `{}` in the journals given",
            crate::escape::line(&rb.name)
        ))
        .hint("give the journals of drills of this runbook (see the warnings above)"));
    }
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        checked.source.text.as_bytes(),
    ));
    let forecast =
        Forecast::new(rb, &checked.graph, o.mode, &loaded).with_runbook_sha256(&sha256, &loaded);
    let Some(rule) = o.suggest else {
        if o.json {
            super::print(&forecast.to_json())?;
        } else {
            super::show(&forecast.to_text())?;
        }
        return Ok(exit::SUCCESS);
    };
    let path = o.shown.trim_start_matches("./");
    // A missing estimate would need a new line: said, not written.
    for h in &forecast.steps {
        let step = rb.step(h.index);
        if let (None, Some(m)) = (step.estimate, h.measured)
            && m.count >= rule.min_drills
        {
            let _ = writeln!(
                err,
                "{}:{}: `{}` has no estimate; past drills say {} at p90: add `estimate: {}` by hand",
                o.shown,
                step.span.line,
                step.id.value,
                crate::runbook::Duration::from_secs(history::stats::secs(m.p90)),
                suggest::round_up(m.p90)
            );
        }
    }
    let changes = suggest::changes(&forecast, rule);
    if changes.is_empty() {
        let _ = writeln!(
            err,
            "{}: no estimate is off from the p90 of at least {} drill{} by more than {}%: nothing to change",
            o.shown,
            rule.min_drills,
            if rule.min_drills == 1 { "" } else { "s" },
            rule.threshold_percent
        );
        return Ok(exit::SUCCESS);
    }
    for c in &changes {
        let _ = writeln!(
            err,
            "{}:{}: `{}` estimate {} → {}",
            o.shown, c.line, c.step, c.from, c.to
        );
    }
    super::print(&suggest::diff(&checked.source.text, path, &forecast, rule))?;
    Ok(exit::SUCCESS)
}
