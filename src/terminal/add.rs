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
use crate::i18n::{Msg, msg};
use crate::runbook::{Duration, DurationError, StepIndex};

/// How to write it, for messages (in the drill's language).
fn usage() -> Msg {
    Msg::new("add-usage")
}

/// The step a line asks for, or what to tell the operator (said in the
/// drill's language by the prompt). `step` resolves an item number or id.
pub fn parse(rest: &str, step: impl Fn(&str) -> Option<StepIndex>) -> Result<NewStep, Msg> {
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
                    return Err(Msg::new("add-run-needs-command").sub("usage", usage()));
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
                return Err(msg!("add-not-a-clause", clause = other).sub("usage", usage()));
            }
        }
        rest = tail;
    }
    if new.title.trim().is_empty() {
        return Err(Msg::new("add-what-step").sub("usage", usage()));
    }
    if new.reason.is_none() {
        return Err(Msg::new("change-why").sub("usage", usage()));
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
) -> Result<Vec<StepIndex>, Msg> {
    let names: Vec<&str> = value
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() {
        return Err(msg!("add-needs-steps", word = word));
    }
    names
        .into_iter()
        .map(|n| step(n).ok_or_else(|| msg!("add-not-a-step", name = n, word = word)))
        .collect()
}

fn one(value: &str, word: &str) -> Result<String, Msg> {
    match value.split_whitespace().collect::<Vec<_>>()[..] {
        [v] => Ok(v.to_string()),
        _ => Err(msg!("add-one-name", word = word)),
    }
}

fn one_or_more(value: &str, word: &str) -> Result<String, Msg> {
    if value.is_empty() {
        Err(msg!("add-needs-words", word = word))
    } else {
        Ok(value.to_string())
    }
}

fn duration(value: &str, word: &str) -> Result<Duration, Msg> {
    value.parse().map_err(|e: DurationError| {
        msg!("add-bad-duration", word = word, value = value)
            .sub("error", super::plan_change::duration_error(&e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn in_lang(line: &str, lang: Lang) -> Result<NewStep, String> {
        let ids = ["declare", "restore", "switch"];
        parse(line, |t| StepIndex::resolve(t, &ids)).map_err(|m| m.said_in(lang))
    }

    fn p(line: &str) -> Result<NewStep, String> {
        in_lang(line, Lang::En)
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

    #[test]
    fn english_errors_keep_their_words() {
        const USAGE: &str = "add TITLE; after N, M; before N; role ROLE; estimate 2h; timeout 10m; \
                             reason WHY[; run COMMAND]";
        assert_eq!(
            p("Restore; after 1").unwrap_err(),
            format!("why? type `{USAGE}`: every change to the plan needs a reason")
        );
        assert_eq!(
            p("Restore; when 3; reason x").unwrap_err(),
            format!("`when` is not a clause of `add`: type `{USAGE}`")
        );
        assert_eq!(
            p("Restore; after 9; reason x").unwrap_err(),
            "`9` (in `after`) is not a step: give its item number or its id"
        );
        assert_eq!(
            p("Restore; after ; reason x").unwrap_err(),
            "`after` needs item numbers or ids (`after 12, 14`)"
        );
        assert_eq!(
            p("Restore; role a b; reason x").unwrap_err(),
            "`role` takes one name (`role storage`)"
        );
        assert_eq!(
            p("Restore; reason").unwrap_err(),
            "`reason` needs some words"
        );
        assert_eq!(
            p("Restore; timeout soon; reason x").unwrap_err(),
            "`timeout soon`: `soon` is not a duration: write it like `90s`, `15m`, `1h30m` or `2h`"
        );
    }

    #[test]
    fn french_drills_are_told_in_french() {
        let cases = [
            (
                "Restaurer; after 1",
                "tout changement du plan demande un motif",
                "needs a reason",
            ),
            (
                "Restaurer; when 3; reason x",
                "n'est pas une clause de `ajouter`",
                "is not a clause",
            ),
            (
                "Restaurer; after 9; reason x",
                "n'est pas une étape",
                "is not a step",
            ),
            (
                "Restaurer; after ; reason x",
                "demande des numéros",
                "needs item numbers",
            ),
            (
                "Restaurer; role a b; reason x",
                "prend un seul nom",
                "takes one name",
            ),
            (
                "Restaurer; reason",
                "demande quelques mots",
                "needs some words",
            ),
            (
                "Restaurer; estimate bientôt; reason x",
                "n'est pas une durée",
                "is not a duration",
            ),
            (
                "reason x",
                "quelle est la nouvelle étape",
                "what is the new step",
            ),
            (
                "Restaurer; reason x; run",
                "demande une commande",
                "needs a command",
            ),
            ("reason x", "ajouter TITRE", "add TITLE"),
        ];
        for (line, french, english) in cases {
            let said = in_lang(line, Lang::Fr).unwrap_err();
            assert!(said.contains(french), "{line}: {said}");
            assert!(!said.contains(english), "{line}: {said}");
        }
    }
}
