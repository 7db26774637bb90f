//! What `cancel`, `estimate` and `assign` typed at the prompt mean: a
//! change to the plan during the drill, or why the line is not one.
//!
//! ```text
//! cancel N REASON                 the step is not needed: skipped, dependents go on
//! estimate N DURATION REASON      a new estimate (`2h`, `1h30m`)
//! estimate N until TIME REASON    expected to end at TIME (`2026-12-07T14:00`, local)
//! assign N ROLE|ACCOUNT REASON    hand the step to another role or person
//! ```
//!
//! `N` is the step's item number or its id. Every change needs its reason
//! on the same line.

use jiff::tz::TimeZone;

use crate::exec::PlanChange;
use crate::i18n::{Msg, msg};
use crate::runbook::{Duration, DurationError, StepIndex};

/// The change a line asks for, or what to tell the operator (said in the
/// drill's language by the prompt). `word` is `cancel`, `estimate` or
/// `assign`; `step` resolves an item number or id.
pub fn parse(
    word: &str,
    rest: &str,
    tz: &TimeZone,
    step: impl Fn(&str) -> Option<StepIndex>,
) -> Result<PlanChange, Msg> {
    let usage = || match word {
        "cancel" => Msg::new("change-usage-cancel"),
        "estimate" => Msg::new("change-usage-estimate"),
        _ => Msg::new("change-usage-assign"),
    };
    if !matches!(word, "cancel" | "estimate" | "assign") {
        return Err(msg!("change-unknown-command", word = word));
    }
    let (target, rest) = split(rest);
    if target.is_empty() {
        return Err(Msg::new("change-which-step").sub("usage", usage()));
    }
    let Some(index) = step(target) else {
        return Err(msg!("change-not-a-step", target = target).sub("usage", usage()));
    };
    let need_reason = |reason: &str| {
        if reason.is_empty() {
            Err(Msg::new("change-why").sub("usage", usage()))
        } else {
            Ok(Some(reason.to_string()))
        }
    };
    match word {
        "cancel" => Ok(PlanChange::Cancel {
            step: index,
            reason: need_reason(rest)?,
        }),
        "assign" => {
            let (to, reason) = split(rest);
            if to.is_empty() {
                return Err(Msg::new("change-to-whom").sub("usage", usage()));
            }
            Ok(PlanChange::Assign {
                step: index,
                to: to.to_string(),
                reason: need_reason(reason)?,
            })
        }
        _ => {
            let (what, reason) = split(rest);
            if is_until(what) {
                let (when, reason) = split(reason);
                let until = crate::exec::changes::parse_time(when, tz)
                    .ok_or_else(|| msg!("change-not-a-time", when = when))?;
                return Ok(PlanChange::Estimate {
                    step: index,
                    estimate: None,
                    until: Some(until),
                    reason: need_reason(reason)?,
                });
            }
            let estimate: Duration = what.parse().map_err(|e: DurationError| {
                Msg::new("change-bad-duration").sub("error", duration_error(&e))
            })?;
            Ok(PlanChange::Estimate {
                step: index,
                estimate: Some(estimate),
                until: None,
                reason: need_reason(reason)?,
            })
        }
    }
}

/// `until`, or a French operator's `jusqu'à` (`jusqua`, `jusqu'a`,
/// `jusqu’à`: accents and the apostrophe's shape optional).
fn is_until(word: &str) -> bool {
    word == "until"
        || matches!(
            super::prompt::words::fold(&word.replace('’', "'")).as_str(),
            "jusqu'a" | "jusqua" | "jusqu'au"
        )
}

/// A duration that does not read, in words of any language (the English
/// ones are `DurationError`'s own).
pub(crate) fn duration_error(e: &DurationError) -> Msg {
    match e {
        DurationError::Syntax(v) => msg!("change-duration-syntax", value = v),
        DurationError::TooLong(v) => msg!("change-duration-too-long", value = v),
    }
}

fn split(s: &str) -> (&str, &str) {
    let s = s.trim();
    match s.split_once(char::is_whitespace) {
        Some((w, rest)) => (w, rest.trim()),
        None => (s, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn in_lang(line: &str, lang: Lang) -> Result<PlanChange, String> {
        let (word, rest) = split(line);
        let ids = ["declare", "order-part", "switch"];
        parse(word, rest, &TimeZone::UTC, |t| StepIndex::resolve(t, &ids))
            .map_err(|m| m.said_in(lang))
    }

    fn p(line: &str) -> Result<PlanChange, String> {
        in_lang(line, Lang::En)
    }

    #[test]
    fn until_is_typed_in_french_too() {
        let english = p("estimate #2 until 2026-12-07T14:00 la pièce arrive demain");
        assert!(english.is_ok(), "{english:?}");
        for until in ["jusqu'à", "jusqua", "jusqu'a", "jusqu’à", "Jusqu'à"] {
            assert_eq!(
                in_lang(
                    &format!("estimate #2 {until} 2026-12-07T14:00 la pièce arrive demain"),
                    Lang::Fr
                ),
                english,
                "{until}"
            );
        }
        let said = in_lang("estimate 2 demain x", Lang::Fr).unwrap_err();
        assert!(said.contains("ou `jusqu'à HEURE`"), "{said}");
        assert!(!said.contains("until"), "{said}");
        let said = in_lang("estimate 2", Lang::Fr).unwrap_err();
        assert!(!said.contains("until"), "{said}");
    }

    #[test]
    fn each_change_reads_its_step_value_and_reason() {
        assert_eq!(
            p("cancel 3 not needed: the array came back"),
            Ok(PlanChange::Cancel {
                step: StepIndex(2),
                reason: Some("not needed: the array came back".into())
            })
        );
        assert_eq!(
            p("estimate order-part 2h vendor is late"),
            Ok(PlanChange::Estimate {
                step: StepIndex(1),
                estimate: Some(Duration::from_secs(7200)),
                until: None,
                reason: Some("vendor is late".into())
            })
        );
        assert_eq!(
            p("estimate #2 until 2026-12-07T14:00 the part arrives tomorrow"),
            Ok(PlanChange::Estimate {
                step: StepIndex(1),
                estimate: None,
                until: Some("2026-12-07T14:00:00Z".parse().unwrap()),
                reason: Some("the part arrives tomorrow".into())
            })
        );
        assert_eq!(
            p("assign 1 lab night shift takes over"),
            Ok(PlanChange::Assign {
                step: StepIndex(0),
                to: "lab".into(),
                reason: Some("night shift takes over".into())
            })
        );
    }

    #[test]
    fn what_is_missing_or_wrong_is_said() {
        assert!(p("cancel 3").unwrap_err().contains("needs a reason"));
        assert!(p("cancel").unwrap_err().starts_with("which step?"));
        assert!(p("cancel 9 x").unwrap_err().contains("is not a step"));
        assert!(
            p("estimate 2 soon x")
                .unwrap_err()
                .contains("is not a duration")
        );
        assert!(
            p("estimate 2 until tomorrow x")
                .unwrap_err()
                .contains("is not a time")
        );
        assert!(p("assign 2").unwrap_err().starts_with("to whom?"));
    }

    #[test]
    fn english_errors_keep_their_words() {
        assert_eq!(
            p("cancel").unwrap_err(),
            "which step? type `cancel N REASON`"
        );
        assert_eq!(
            p("estimate 2 x").unwrap_err(),
            "`x` is not a duration: write it like `90s`, `15m`, `1h30m` or `2h`; or `until TIME`"
        );
        assert_eq!(
            p("assign 2 lab").unwrap_err(),
            "why? type `assign N ROLE|ACCOUNT REASON`: every change to the plan needs a reason"
        );
        assert_eq!(
            p("estimate 9 2h x").unwrap_err(),
            "`9` is not a step: give its item number or its id \
             (`estimate N DURATION REASON, or estimate N until 2026-12-07T14:00 REASON`)"
        );
        assert_eq!(
            p("estimate 2 until tomorrow x").unwrap_err(),
            "`tomorrow` is not a time: write it like 2026-12-07T14:00 (local) or 2026-12-07T13:00Z"
        );
        assert_eq!(
            p("estimate 2 999d x").unwrap_err(),
            "`999d` is longer than the longest duration a runbook may hold, 366d; or `until TIME`"
        );
    }

    #[test]
    fn french_drills_are_told_in_french() {
        let fr = |line| in_lang(line, Lang::Fr).unwrap_err();
        let cases = [
            ("cancel", "quelle étape", "which step"),
            (
                "annuler 3",
                "tout changement du plan demande un motif",
                "needs a reason",
            ),
            ("cancel 9 x", "n'est pas une étape", "is not a step"),
            (
                "estimer 2 bientôt x",
                "n'est pas une durée",
                "is not a duration",
            ),
            (
                "estimate 2 until demain x",
                "n'est pas une heure",
                "is not a time",
            ),
            ("assign 2", "à qui", "to whom"),
            ("assign 2", "confier N RÔLE|COMPTE MOTIF", "ROLE|ACCOUNT"),
        ];
        for (line, french, english) in cases {
            let (word, rest) = split(line);
            let word = crate::terminal::prompt::command_of(word).unwrap_or(word);
            let said = in_lang(&format!("{word} {rest}"), Lang::Fr).unwrap_err();
            assert!(said.contains(french), "{line}: {said}");
            assert!(!said.contains(english), "{line}: {said}");
        }
        assert!(fr("cancel").contains("étape\u{202f}?"));
    }
}
