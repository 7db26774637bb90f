//! What the standards ask an exercise to produce, and whether this
//! exercise's dossier has it: the plan owner sees what the auditor will
//! ask before the auditor does.

use serde::Serialize;

use super::Dossier;
use crate::report::Report;

/// One item the standards ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable key (`scenario`, `criteria`…), also the message id's stem.
    pub key: &'static str,
    /// Whether this exercise's dossier has it.
    pub present: bool,
    /// The standards that ask for it.
    pub asked_by: &'static [&'static str],
}

const CARE: &str = "CaRE domaine 2";
const ISO: &str = "ISO 22301 §8.5";
const DORA: &str = "DORA art. 11, 25";
const NIS2: &str = "NIS2 art. 21";
const NIST: &str = "NIST SP 800-84";

/// The standards map of a report and its dossier, in the order an
/// exercise is run.
pub fn map(r: &Report, d: &Dossier) -> Vec<Item> {
    let ex = &d.exercise;
    let item = |key, present, asked_by| Item {
        key,
        present,
        asked_by,
    };
    vec![
        item(
            "plan_version",
            !r.run.runbook_sha256.is_empty(),
            &[CARE, ISO, DORA, NIST],
        ),
        item(
            "scenario_scope",
            ex.scenario.is_some() && ex.scope.is_some(),
            &[CARE, ISO, NIST],
        ),
        item(
            "objectives",
            r.recovery.rto_seconds.is_some(),
            &[CARE, ISO, DORA, NIS2],
        ),
        item("criteria", !ex.criteria.is_empty(), &[ISO, NIST]),
        item("participants", !r.run.operators.is_empty(), &[ISO, NIST]),
        item("record", true, &[CARE, ISO, DORA, NIST]),
        item(
            "results",
            r.recovery.rto_seconds.is_some() && r.run.ended.is_some(),
            &[CARE, ISO, DORA, NIS2],
        ),
        item(
            "assessment",
            !d.criteria.is_empty() && d.criteria.iter().all(|c| c.verdict.is_some()),
            &[ISO, NIST],
        ),
        item("findings", r.run.ended.is_some(), &[ISO, DORA, NIST]),
        item(
            "actions",
            !d.actions.is_empty(),
            &[CARE, ISO, DORA, NIS2, NIST],
        ),
        item("signoff", !d.signatures.is_empty(), &[ISO, DORA]),
    ]
}
