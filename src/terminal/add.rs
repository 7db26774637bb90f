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
//!
//! A French crisis cell types its clauses in French, accents optional:
//! `après`, `avant`, `rôle`, `estimer`, `délai`, `motif`, `lancer`,
//! `manuel` (see [`clause_of`]); the English words are always understood.

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
            if clause_of(word).is_none_or(|c| c == "manual") {
                new.title = clause.to_string();
                rest = tail;
                continue;
            }
        }
        match clause_of(word).unwrap_or(word) {
            "run" => {
                // The command is the rest of the line, `;` included.
                let at = rest.find(word).map_or(rest.len(), |i| i + word.len());
                let command = rest[at..].trim();
                if command.is_empty() {
                    return Err(Msg::new("add-run-needs-command").sub("usage", usage()));
                }
                new.run = Some(command.to_string());
                break;
            }
            "after" => new.after.extend(steps(value, word, &step)?),
            "before" => new.before.extend(steps(value, word, &step)?),
            "role" => new.role = Some(one(value, word)?),
            "estimate" => new.estimate = Some(duration(value, word)?),
            "timeout" => new.timeout = Some(duration(value, word)?),
            "reason" => new.reason = Some(one_or_more(value, reason_word(word))?),
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

/// The clause a typed word means (`run`, `after`, `before`, `role`,
/// `estimate`, `timeout`, `reason`, `manual`): the English word as
/// written, or its French word in lower case, with or without accents
/// (`après`, `apres`). A capitalised word is a title's (`Avant …`).
fn clause_of(word: &str) -> Option<&'static str> {
    const CLAUSES: &[(&str, &[&str])] = &[
        ("run", &["lancer", "executer"]),
        ("after", &["apres"]),
        ("before", &["avant"]),
        ("role", &["role"]),
        ("estimate", &["estimer", "estimation"]),
        ("timeout", &["delai"]),
        ("reason", &["because", "motif", "raison"]),
        ("manual", &["manuel", "manuelle"]),
    ];
    let folded = if word.chars().any(char::is_uppercase) {
        String::new()
    } else {
        super::prompt::words::fold(word)
    };
    CLAUSES
        .iter()
        .find(|(english, french)| {
            *english == word || (!folded.is_empty() && french.contains(&folded.as_str()))
        })
        .map(|(english, _)| *english)
}

/// The word said of a reason that is empty: `reason` for `because`, as
/// before; the word typed otherwise.
fn reason_word(word: &str) -> &str {
    if word == "because" { "reason" } else { word }
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
    fn a_french_cell_types_its_clauses_in_french_accents_optional() {
        let english = p(
            "Restaurer vol7; after 1, restore; before #3; role stockage; \
                         estimate 2h; timeout 30s; reason bande reçue",
        )
        .unwrap();
        for line in [
            "Restaurer vol7\u{202f}; après 1, restore\u{202f}; avant #3\u{202f}; rôle stockage\u{202f}; \
             estimer 2h\u{202f}; délai 30s\u{202f}; motif bande reçue",
            "Restaurer vol7; apres 1, restore; avant #3; role stockage; \
             estimation 2h; delai 30s; raison bande reçue",
        ] {
            let s = in_lang(line, Lang::Fr).unwrap();
            assert_eq!(
                (
                    &s.title, &s.after, &s.before, &s.role, s.estimate, s.timeout, &s.reason
                ),
                (
                    &english.title,
                    &english.after,
                    &english.before,
                    &english.role,
                    english.estimate,
                    english.timeout,
                    &english.reason
                ),
                "{line}"
            );
        }
        let s = in_lang(
            "Vider; motif périmé; lancer rndc flush; echo fait",
            Lang::Fr,
        )
        .unwrap();
        assert_eq!(s.run.as_deref(), Some("rndc flush; echo fait"));
        let s = in_lang("Vider; motif x; exécuter rndc flush", Lang::Fr).unwrap();
        assert_eq!(s.run.as_deref(), Some("rndc flush"));
        // A capitalised first word is the title's.
        let s = in_lang("Avant la bascule, prévenir; motif x", Lang::Fr).unwrap();
        assert_eq!(s.title, "Avant la bascule, prévenir");
        // What is wrong names the word typed.
        let said = in_lang("Restaurer; après 9; motif x", Lang::Fr).unwrap_err();
        assert!(said.contains("(dans `après`)"), "{said}");
        let said = in_lang("Restaurer; motif x; lancer", Lang::Fr).unwrap_err();
        assert!(said.contains("`lancer` demande une commande"), "{said}");
        assert!(said.contains("après N, M"), "{said}");
        assert!(!said.contains("after"), "{said}");
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
