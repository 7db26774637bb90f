//! The answers file as written, deserialised with locations: the top-level
//! mapping in file order, each answer as a word or a mapping.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::exec::changes::Spec;

use super::*;

/// The top-level mapping, in file order, keys located.
pub(super) struct Entries(
    pub(super) Vec<(Spanned<String>, Spanned<Raw>)>,
    /// The `criteria:` list, when given.
    pub(super) Option<Vec<Spanned<CriterionEntry>>>,
);

/// The key of an answers file that holds the success criteria's
/// assessments rather than a step's answers.
pub const CRITERIA_KEY: &str = "criteria";

/// `- { criterion: 1, verdict: met, comment: "…" }` under `criteria:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CriterionEntry {
    pub(super) criterion: u32,
    pub(super) verdict: String,
    #[serde(default)]
    pub(super) comment: Option<String>,
}

/// A success criterion's assessment given in an answers file, recorded
/// once the drill is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionAnswer {
    /// 1-based number in `objectives.criteria`.
    pub criterion: u32,
    /// How far it was met.
    pub verdict: crate::event::Assessment,
    /// Why.
    pub comment: Option<String>,
}

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of step ids to answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                let mut criteria = None;
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    if k.value == CRITERIA_KEY {
                        criteria = Some(map.next_value::<Vec<Spanned<CriterionEntry>>>()?);
                        continue;
                    }
                    let v = map.next_value::<Spanned<Raw>>()?;
                    out.push((k, v));
                }
                Ok(Entries(out, criteria))
            }
        }
        d.deserialize_map(V)
    }
}

/// One step's answer, or several in order.
pub(super) enum Raw {
    One(One),
    List(Vec<Spanned<One>>),
}

impl Raw {
    pub(super) fn ones(&self) -> Vec<&One> {
        match self {
            Raw::One(one) => vec![one],
            Raw::List(list) => list.iter().map(|o| &o.value).collect(),
        }
    }
}

/// `done`, or `{ answer: done, reason: …, note: … }`.
pub(super) struct One {
    pub(super) word: String,
    pub(super) reason: Option<String>,
    pub(super) note: Option<String>,
    pub(super) action: Option<ActionSpec>,
    pub(super) restore_point: Option<String>,
    pub(super) changes: Vec<Spanned<Spec>>,
}

pub(super) const ONE_KEYS: &[&str] = &[
    "answer",
    "outcome",
    "decision",
    "reason",
    "note",
    "action",
    "restore_point",
    "changes",
];

pub(super) struct OneVisitor;

impl<'de> Visitor<'de> for OneVisitor {
    type Value = One;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "an answer (`done`, `skipped`, `retry`…) or a mapping with `answer`, `reason`, `note`",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<One, E> {
        Ok(One {
            word: v.to_string(),
            reason: None,
            note: None,
            action: None,
            restore_point: None,
            changes: Vec::new(),
        })
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<One, E> {
        // `yes`/`no` and friends: say what to write instead.
        Err(E::custom(format!(
            "`{v}` is not an answer: write `done`, `skipped`, `run`…"
        )))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<One, A::Error> {
        let mut one = One {
            word: String::new(),
            reason: None,
            note: None,
            action: None,
            restore_point: None,
            changes: Vec::new(),
        };
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                // `outcome` and `decision` read better for some answers.
                "answer" | "outcome" | "decision" => one.word = map.next_value()?,
                "reason" => one.reason = Some(map.next_value()?),
                "note" => one.note = Some(map.next_value()?),
                "action" => one.action = Some(map.next_value()?),
                "restore_point" => one.restore_point = Some(map.next_value()?),
                "changes" => one.changes = map.next_value()?,
                other => return Err(de::Error::unknown_field(other, ONE_KEYS)),
            }
        }
        if one.word.is_empty() {
            return Err(de::Error::missing_field("answer"));
        }
        Ok(one)
    }
}

impl<'de> Deserialize<'de> for One {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OneVisitor)
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                OneVisitor.expecting(f)?;
                f.write_str(", or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
                OneVisitor.visit_str(v).map(Raw::One)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
                OneVisitor.visit_bool(v).map(Raw::One)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Raw, A::Error> {
                OneVisitor.visit_map(map).map(Raw::One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut out = Vec::new();
                while let Some(one) = seq.next_element::<Spanned<One>>()? {
                    out.push(one);
                }
                Ok(Raw::List(out))
            }
        }
        d.deserialize_any(V)
    }
}
