//! What the standards ask an exercise to produce, and whether this
//! exercise's dossier has it: the plan owner sees what the auditor will
//! ask before the auditor does.

use serde::Serialize;

use super::Dossier;

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

/// What the drill's record shows, besides the dossier, that the standards
/// ask about. The report fills it in, so that this module stays below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    /// The runbook's fingerprint is recorded (the plan's version).
    pub plan_version: bool,
    /// The runbook sets an RTO.
    pub rto_set: bool,
    /// Someone recorded something during the drill.
    pub participants: bool,
    /// The drill ended.
    pub ended: bool,
}

/// The standards map of a drill's record and its dossier, in the order an
/// exercise is run.
pub fn map(r: Record, d: &Dossier) -> Vec<Item> {
    let ex = &d.exercise;
    let item = |key, present, asked_by| Item {
        key,
        present,
        asked_by,
    };
    vec![
        item("plan_version", r.plan_version, &[CARE, ISO, DORA, NIST]),
        item(
            "scenario_scope",
            ex.scenario.is_some() && ex.scope.is_some(),
            &[CARE, ISO, NIST],
        ),
        item("objectives", r.rto_set, &[CARE, ISO, DORA, NIS2]),
        item("criteria", !ex.criteria.is_empty(), &[ISO, NIST]),
        item("participants", r.participants, &[ISO, NIST]),
        item("record", true, &[CARE, ISO, DORA, NIST]),
        item("results", r.rto_set && r.ended, &[CARE, ISO, DORA, NIS2]),
        item(
            "assessment",
            !d.criteria.is_empty() && d.criteria.iter().all(|c| c.verdict.is_some()),
            &[ISO, NIST],
        ),
        item("findings", r.ended, &[ISO, DORA, NIST]),
        item(
            "actions",
            !d.actions.is_empty(),
            &[CARE, ISO, DORA, NIS2, NIST],
        ),
        item("signoff", !d.signatures.is_empty(), &[ISO, DORA]),
    ]
}
