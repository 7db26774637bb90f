//! Fingerprints of the step settings that `run_started` does not record
//! in full (its command, instructions, timeout, rollback…): a short hash
//! per setting, so that `resume` can name each step and setting changed
//! since the drill started, without the journal holding the runbook's text.
//!
//! Only settings a step has (not their defaults) are listed, and
//! `on_failure` always: a step recorded with no fingerprint at all comes
//! from a journal written before them, which cannot tell.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use crate::runbook::{Rollback, Step};

/// Setting name → the first 8 hex digits of the SHA-256 of its value as
/// written (spans and file positions left out, so that moving a step in
/// the file changes nothing).
pub type Fingerprints = BTreeMap<String, String>;

/// The fingerprints of `step`'s settings.
pub fn of(step: &Step) -> Fingerprints {
    let mut out = Fingerprints::new();
    let mut put = |name: &str, value: String| {
        let digest = Sha256::digest(value.as_bytes());
        out.insert(name.to_string(), hex::encode(&digest[..4]));
    };
    put("on_failure", step.on_failure.to_string());
    if let Some(run) = &step.run {
        put("run", format!("{:?}", run.value));
    }
    if let Some(text) = &step.instructions {
        put("instructions", text.clone());
    }
    if step.confirm {
        put("confirm", "true".into());
    }
    if let Some(n) = &step.approvals {
        put("approvals", n.value.to_string());
    }
    if let Some(t) = &step.timeout {
        put("timeout", t.value.to_string());
    }
    if step.retries > 0 {
        put(
            "retries",
            format!("{} every {}", step.retries, step.retry_delay),
        );
    }
    match &step.rollback {
        Some(Rollback::Command(c)) => put("rollback", format!("{:?}", c.value)),
        Some(Rollback::Instructions(i)) => put("rollback", i.value.clone()),
        None => {}
    }
    if !step.env.is_empty() {
        let env: Vec<String> = step.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        put("env", env.join("\n"));
    }
    if let Some(dir) = &step.workdir {
        put("workdir", dir.display().to_string());
    }
    if !step.tags.is_empty() {
        put("tags", step.tags.join("\n"));
    }
    if step.idempotent {
        put("idempotent", "true".into());
    }
    if let Some(n) = step.max_parallel {
        put("max_parallel", n.to_string());
    }
    out
}

/// The settings whose fingerprints differ between `recorded` and `now`
/// (one set and not the other included), in name order; none when
/// `recorded` is empty (a journal from before fingerprints).
pub fn differing<'a>(recorded: &'a Fingerprints, now: &'a Fingerprints) -> Vec<&'a str> {
    if recorded.is_empty() {
        return Vec::new();
    }
    let names: std::collections::BTreeSet<&str> = recorded
        .keys()
        .chain(now.keys())
        .map(String::as_str)
        .collect();
    names
        .into_iter()
        .filter(|n| recorded.get(*n) != now.get(*n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Command, Located, Span, StepId};

    fn step() -> Step {
        let mut s = Step::new(StepId::new("restore"), "Restore", 0);
        s.run = Some(Located {
            value: Command::Shell("restore --all".into()),
            span: Span::default(),
        });
        s
    }

    #[test]
    fn a_changed_command_and_a_new_timeout_are_named() {
        let before = of(&step());
        let mut after = step();
        after.run = Some(Located {
            value: Command::Shell("restore --all --verify".into()),
            span: Span::default(),
        });
        after.timeout = Some(Located {
            value: crate::runbook::Duration(600),
            span: Span::default(),
        });
        assert_eq!(differing(&before, &of(&after)), ["run", "timeout"]);
    }

    #[test]
    fn moving_a_step_in_the_file_changes_nothing() {
        let mut moved = step();
        moved.span = Span {
            line: 40,
            column: 5,
            offset: 900,
            len: 120,
        };
        if let Some(run) = &mut moved.run {
            run.span = moved.span;
        }
        assert!(differing(&of(&step()), &of(&moved)).is_empty());
    }

    #[test]
    fn a_journal_without_fingerprints_tells_nothing() {
        assert!(differing(&Fingerprints::new(), &of(&step())).is_empty());
        // Every step has one at least: a manual step with no settings too.
        assert!(!of(&Step::new(StepId::new("m"), "M", 0)).is_empty());
    }
}
