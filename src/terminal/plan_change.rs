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
use crate::runbook::{Duration, StepIndex};

/// The change a line asks for, or what to tell the operator. `word` is
/// `cancel`, `estimate` or `assign`; `step` resolves an item number or id.
pub fn parse(
    word: &str,
    rest: &str,
    tz: &TimeZone,
    step: impl Fn(&str) -> Option<StepIndex>,
) -> Result<PlanChange, String> {
    let usage = match word {
        "cancel" => "cancel N REASON",
        "estimate" => "estimate N DURATION REASON, or estimate N until 2026-12-07T14:00 REASON",
        "assign" => "assign N ROLE|ACCOUNT REASON",
        _ => return Err(format!("unknown command `{word}`")),
    };
    let (target, rest) = split(rest);
    if target.is_empty() {
        return Err(format!("which step? type `{usage}`"));
    }
    let Some(index) = step(target) else {
        return Err(format!(
            "`{target}` is not a step: give its item number or its id (`{usage}`)"
        ));
    };
    let need_reason = |reason: &str| {
        if reason.is_empty() {
            Err(format!(
                "why? type `{usage}`: every change to the plan needs a reason"
            ))
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
                return Err(format!("to whom? type `{usage}`"));
            }
            Ok(PlanChange::Assign {
                step: index,
                to: to.to_string(),
                reason: need_reason(reason)?,
            })
        }
        _ => {
            let (what, reason) = split(rest);
            if what == "until" {
                let (when, reason) = split(reason);
                let until = crate::exec::changes::parse_time(when, tz).ok_or_else(|| {
                    format!(
                        "`{when}` is not a time: write it like 2026-12-07T14:00 (local) or \
                         2026-12-07T13:00Z"
                    )
                })?;
                return Ok(PlanChange::Estimate {
                    step: index,
                    estimate: None,
                    until: Some(until),
                    reason: need_reason(reason)?,
                });
            }
            let estimate: Duration = what
                .parse()
                .map_err(|e: crate::runbook::DurationError| format!("{e}; or `until TIME`"))?;
            Ok(PlanChange::Estimate {
                step: index,
                estimate: Some(estimate),
                until: None,
                reason: need_reason(reason)?,
            })
        }
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

    fn p(line: &str) -> Result<PlanChange, String> {
        let (word, rest) = split(line);
        let ids = ["declare", "order-part", "switch"];
        parse(word, rest, &TimeZone::UTC, |t| StepIndex::resolve(t, &ids))
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
}
