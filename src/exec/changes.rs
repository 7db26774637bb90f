//! Changes to the plan written in an answers file: the `changes:` list of
//! an answer, made just before the answer is given, as an operator at the
//! prompt would type `add`, `estimate`, `assign` or `cancel` (see
//! `docs/answers.md`).
//!
//! ```yaml
//! declare:
//!   answer: done
//!   changes:
//!     - add: { title: Restore vol7, after: [declare], before: [switch], reason: vol7 is corrupted }
//!     - estimate: { step: order-part, duration: 5h, reason: the vendor is late }
//!     - estimate: { step: 4, until: 2026-12-07T14:00, reason: the part arrives tomorrow }
//!     - assign: { step: switch, to: lab, reason: night shift takes over }
//!     - cancel: { step: archive, reason: not needed, the array came back }
//! ```
//!
//! Steps are named by item number or id; a step added by the file is named
//! `added-N` (N its item number: the runbook's steps, then the file's
//! additions in the order they are made), in later changes and as a key
//! with its own answers.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};

use super::PlanChange;
use super::added::NewStep;
use crate::runbook::{Duration, StepIndex};

/// One change, resolved against the drill's steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An unplanned step (`add`).
    Add(NewStep),
    /// `estimate`, `assign` or `cancel`.
    Plan(PlanChange),
}

/// A change as written: a mapping with one key, the change's word.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Spec {
    /// `add: { title, after, before, role, estimate, timeout, run, reason }`.
    Add(AddSpec),
    /// `estimate: { step, duration | until, reason }`.
    Estimate(EstimateSpec),
    /// `assign: { step, to, reason }`.
    Assign(AssignSpec),
    /// `cancel: { step, reason }`.
    Cancel(CancelSpec),
}

/// `add:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddSpec {
    title: String,
    #[serde(default)]
    after: Refs,
    #[serde(default)]
    before: Refs,
    role: Option<String>,
    estimate: Option<String>,
    timeout: Option<String>,
    run: Option<String>,
    reason: Option<String>,
}

/// `estimate:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateSpec {
    step: Ref,
    duration: Option<String>,
    until: Option<String>,
    reason: Option<String>,
}

/// `assign:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignSpec {
    step: Ref,
    to: String,
    reason: Option<String>,
}

/// `cancel:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelSpec {
    step: Ref,
    reason: Option<String>,
}

impl Spec {
    /// True for `add` (the file's additions are counted before anything
    /// is resolved, so that `added-N` names them).
    pub fn is_add(&self) -> bool {
        matches!(self, Spec::Add(_))
    }

    /// The change, its steps resolved among `ids` (the runbook's, then
    /// the file's additions) and its local times in `tz`; or what is wrong.
    pub fn resolve(self, ids: &[String], tz: &TimeZone) -> Result<Change, String> {
        let step = |r: &Ref, word: &str| {
            StepIndex::resolve(&r.0, ids).ok_or_else(|| {
                format!(
                    "`{}` (in `{word}`) is not a step: give its item number or its id",
                    r.0
                )
            })
        };
        let steps = |rs: &Refs, word: &str| -> Result<Vec<StepIndex>, String> {
            rs.0.iter().map(|r| step(r, word)).collect()
        };
        let reason = |r: Option<String>, word: &str| match r.filter(|r| !r.trim().is_empty()) {
            Some(r) => Ok(Some(r)),
            None => Err(format!(
                "`{word}` needs a reason: every change to the plan says why"
            )),
        };
        match self {
            Spec::Add(a) => {
                if a.title.trim().is_empty() {
                    return Err("`add` needs a title".into());
                }
                if a.run.as_deref().is_some_and(|r| r.trim().is_empty()) {
                    return Err("`run` needs a command".into());
                }
                Ok(Change::Add(NewStep {
                    title: a.title,
                    after: steps(&a.after, "after")?,
                    before: steps(&a.before, "before")?,
                    role: a.role,
                    estimate: a.estimate.map(|d| duration(&d, "estimate")).transpose()?,
                    timeout: a.timeout.map(|d| duration(&d, "timeout")).transpose()?,
                    run: a.run,
                    reason: reason(a.reason, "add")?,
                }))
            }
            Spec::Estimate(e) => {
                let index = step(&e.step, "estimate")?;
                let (estimate, until) = match (e.duration, e.until) {
                    (Some(d), None) => (Some(duration(&d, "duration")?), None),
                    (None, Some(u)) => (
                        None,
                        Some(parse_time(&u, tz).ok_or_else(|| {
                            format!(
                                "`{u}` is not a time: write it like 2026-12-07T14:00 (local) \
                                 or 2026-12-07T13:00Z"
                            )
                        })?),
                    ),
                    _ => {
                        return Err(
                            "`estimate` takes either `duration: 2h` or `until: 2026-12-07T14:00`"
                                .into(),
                        );
                    }
                };
                Ok(Change::Plan(PlanChange::Estimate {
                    step: index,
                    estimate,
                    until,
                    reason: reason(e.reason, "estimate")?,
                }))
            }
            Spec::Assign(a) => {
                if a.to.trim().is_empty() {
                    return Err("`assign` needs `to:` a role or an account".into());
                }
                Ok(Change::Plan(PlanChange::Assign {
                    step: step(&a.step, "assign")?,
                    to: a.to,
                    reason: reason(a.reason, "assign")?,
                }))
            }
            Spec::Cancel(c) => Ok(Change::Plan(PlanChange::Cancel {
                step: step(&c.step, "cancel")?,
                reason: reason(c.reason, "cancel")?,
            })),
        }
    }
}

/// An instant (`…Z`, `…+02:00`) or a local date and time in `tz`: when a
/// re-estimated step is expected to end (`until`).
pub fn parse_time(s: &str, tz: &TimeZone) -> Option<Timestamp> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let civil: jiff::civil::DateTime = s.parse().ok()?;
    tz.to_timestamp(civil).ok()
}

fn duration(value: &str, word: &str) -> Result<Duration, String> {
    value
        .parse()
        .map_err(|e: crate::runbook::DurationError| format!("`{word}: {value}`: {e}"))
}

/// A step as written: an item number or an id.
#[derive(Debug, Clone)]
struct Ref(String);

/// One step or a list of them.
#[derive(Debug, Clone, Default)]
struct Refs(Vec<Ref>);

struct RefVisitor;

impl<'de> Visitor<'de> for RefVisitor {
    type Value = Ref;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step: its item number or its id")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ref, E> {
        Ok(Ref(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ref, E> {
        Ok(Ref(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ref, E> {
        Ok(Ref(v.to_string()))
    }
}

impl<'de> Deserialize<'de> for Ref {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RefVisitor)
    }
}

impl<'de> Deserialize<'de> for Refs {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Refs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step (item number or id) or a list of them")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Refs, E> {
                RefVisitor.visit_u64(v).map(|r| Refs(vec![r]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Refs, E> {
                RefVisitor.visit_i64(v).map(|r| Refs(vec![r]))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Refs, E> {
                RefVisitor.visit_str(v).map(|r| Refs(vec![r]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Refs, A::Error> {
                let mut out = Vec::new();
                while let Some(r) = seq.next_element::<Ref>()? {
                    out.push(r);
                }
                Ok(Refs(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> Vec<String> {
        ["declare", "order-part", "switch", "added-4"]
            .map(String::from)
            .to_vec()
    }

    fn read(text: &str) -> Result<Change, String> {
        let spec: Spec = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        spec.resolve(&ids(), &TimeZone::UTC)
    }

    #[test]
    fn each_change_reads_as_at_the_prompt() {
        assert_eq!(
            read(
                "add: { title: Restore vol7, after: [1, order-part], before: switch, role: storage, estimate: 2h, reason: corrupted }"
            ),
            Ok(Change::Add(NewStep {
                title: "Restore vol7".into(),
                after: vec![StepIndex(0), StepIndex(1)],
                before: vec![StepIndex(2)],
                role: Some("storage".into()),
                estimate: Some(Duration::from_secs(7200)),
                reason: Some("corrupted".into()),
                ..NewStep::default()
            }))
        );
        assert_eq!(
            read("estimate: { step: added-4, duration: 1h30m, reason: slow tape }"),
            Ok(Change::Plan(PlanChange::Estimate {
                step: StepIndex(3),
                estimate: Some(Duration::from_secs(5400)),
                until: None,
                reason: Some("slow tape".into())
            }))
        );
        assert_eq!(
            read("estimate: { step: '#2', until: 2026-12-07T14:00, reason: part tomorrow }"),
            Ok(Change::Plan(PlanChange::Estimate {
                step: StepIndex(1),
                estimate: None,
                until: Some("2026-12-07T14:00:00Z".parse().unwrap()),
                reason: Some("part tomorrow".into())
            }))
        );
        assert_eq!(
            read("assign: { step: 3, to: lab, reason: night shift }"),
            Ok(Change::Plan(PlanChange::Assign {
                step: StepIndex(2),
                to: "lab".into(),
                reason: Some("night shift".into())
            }))
        );
        assert_eq!(
            read("cancel: { step: switch, reason: not needed }"),
            Ok(Change::Plan(PlanChange::Cancel {
                step: StepIndex(2),
                reason: Some("not needed".into())
            }))
        );
    }

    #[test]
    fn what_is_wrong_is_said() {
        let err = |t| read(t).unwrap_err();
        assert!(err("cancel: { step: 9, reason: x }").contains("`9` (in `cancel`) is not a step"));
        assert!(err("cancel: { step: 2 }").contains("needs a reason"));
        assert!(err("add: { title: T, after: nope, reason: x }").contains("`nope` (in `after`)"));
        assert!(err("add: { title: T, estimate: soon, reason: x }").contains("estimate: soon"));
        assert!(err("estimate: { step: 2, reason: x }").contains("either `duration"));
        assert!(err("estimate: { step: 2, until: tomorrow, reason: x }").contains("not a time"));
        assert!(err("postpone: { step: 2 }").contains("postpone"));
        assert!(err("cancel: { step: 2, reason: x, when: now }").contains("when"));
    }
}
