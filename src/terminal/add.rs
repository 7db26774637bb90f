//! What `add` typed at a prompt means: an unplanned step, or why the line
//! is not one.
//!
//! ```text
//! add TITLE; after 12, 14; before 15; role storage; estimate 2h; reason WHY
//! add TITLE; after 3; timeout 10m; reason WHY; run COMMAND
//! ```
//!
//! Clauses are separated by `;`, the title first, in any order after it;
//! `reason` is required. `run` makes a command step and takes the rest of
//! the line (a command may hold `;`): it is shown back and runs only once
//! confirmed (`run N`). Steps are named by item number or id.

use crate::exec::added::NewStep;
use crate::runbook::{Duration, StepIndex};

/// How to write it, for messages.
pub const USAGE: &str = "add TITLE; after N, M; before N; role ROLE; estimate 2h; timeout 10m; reason WHY[; run COMMAND]";

/// The step a line asks for, or what to tell the operator. `step`
/// resolves an item number or id.
pub fn parse(rest: &str, step: impl Fn(&str) -> Option<StepIndex>) -> Result<NewStep, String> {
    let mut new = NewStep::default();
    let mut rest = rest.trim();
    let mut first = true;
    while !rest.is_empty() || first {
        let (clause, tail) = match rest.split_once(';') {
            Some((c, t)) => (c.trim(), t.trim()),
            None => (rest, ""),
        };
        let (word, value) = match clause.split_once(char::is_whitespace) {
            Some((w, v)) => (w, v.trim()),
            None => (clause, ""),
        };
        if first {
            first = false;
            if !is_keyword(word) {
                new.title = clause.to_string();
                rest = tail;
                continue;
            }
        }
        match word {
            "run" => {
                // The command is the rest of the line, `;` included.
                let at = rest.find("run").map_or(rest.len(), |i| i + 3);
                let command = rest[at..].trim();
                if command.is_empty() {
                    return Err(format!("`run` needs a command: type `{USAGE}`"));
                }
                new.run = Some(command.to_string());
                break;
            }
            "after" => new.after.extend(steps(value, "after", &step)?),
            "before" => new.before.extend(steps(value, "before", &step)?),
            "role" => new.role = Some(one(value, "role")?),
            "estimate" => new.estimate = Some(duration(value, "estimate")?),
            "timeout" => new.timeout = Some(duration(value, "timeout")?),
            "reason" | "because" => new.reason = Some(one_or_more(value, "reason")?),
            "manual" => new.run = None,
            "" => {}
            other => {
                return Err(format!(
                    "`{other}` is not a clause of `add`: type `{USAGE}`"
                ));
            }
        }
        rest = tail;
    }
    if new.title.trim().is_empty() {
        return Err(format!("what is the new step? type `{USAGE}`"));
    }
    if new.reason.is_none() {
        return Err(format!(
            "why? type `{USAGE}`: every change to the plan needs a reason"
        ));
    }
    Ok(new)
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "run" | "after" | "before" | "role" | "estimate" | "timeout" | "reason" | "because"
    )
}

fn steps(
    value: &str,
    word: &str,
    step: &impl Fn(&str) -> Option<StepIndex>,
) -> Result<Vec<StepIndex>, String> {
    let names: Vec<&str> = value
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Err(format!(
            "`{word}` needs item numbers or ids (`{word} 12, 14`)"
        ));
    }
    names
        .into_iter()
        .map(|n| {
            step(n).ok_or_else(|| {
                format!("`{n}` (in `{word}`) is not a step: give its item number or its id")
            })
        })
        .collect()
}

fn one(value: &str, word: &str) -> Result<String, String> {
    match value.split_whitespace().collect::<Vec<_>>()[..] {
        [v] => Ok(v.to_string()),
        _ => Err(format!("`{word}` takes one name (`{word} storage`)")),
    }
}

fn one_or_more(value: &str, word: &str) -> Result<String, String> {
    if value.is_empty() {
        Err(format!("`{word}` needs some words"))
    } else {
        Ok(value.to_string())
    }
}

fn duration(value: &str, word: &str) -> Result<Duration, String> {
    value
        .parse()
        .map_err(|e: crate::runbook::DurationError| format!("`{word} {value}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Result<NewStep, String> {
        let ids = ["declare", "restore", "switch"];
        parse(line, |t| StepIndex::resolve(t, &ids))
    }

    #[test]
    fn a_manual_step_reads_every_clause() {
        let s = p(
            "Restore vol7 from tape; after 1, restore; before #3; role storage; \
                   estimate 2h; reason vol7 is corrupted",
        )
        .unwrap();
        assert_eq!(s.title, "Restore vol7 from tape");
        assert_eq!(s.after, [StepIndex(0), StepIndex(1)]);
        assert_eq!(s.before, [StepIndex(2)]);
        assert_eq!(s.role.as_deref(), Some("storage"));
        assert_eq!(s.estimate, Some(Duration::from_secs(7200)));
        assert_eq!(s.reason.as_deref(), Some("vol7 is corrupted"));
        assert_eq!(s.run, None);
    }

    #[test]
    fn run_takes_the_rest_of_the_line() {
        let s = p("Flush; timeout 30s; reason stale; run rndc flush; echo done").unwrap();
        assert_eq!(s.run.as_deref(), Some("rndc flush; echo done"));
        assert_eq!(s.timeout, Some(Duration::from_secs(30)));
    }

    #[test]
    fn what_is_wrong_is_said() {
        assert!(p("Restore; after 9; reason x").unwrap_err().contains("`9`"));
        assert!(p("Restore; after 1").unwrap_err().contains("reason"));
        assert!(p("reason x").unwrap_err().contains("what is the new step"));
        assert!(
            p("Restore; when 3; reason x")
                .unwrap_err()
                .contains("`when`")
        );
        assert!(
            p("Restore; estimate soon; reason x")
                .unwrap_err()
                .contains("estimate soon")
        );
        assert!(
            p("Restore; reason x; run")
                .unwrap_err()
                .contains("needs a command")
        );
    }
}
