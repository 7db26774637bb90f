//! The exercise dossier: what a drill's journal says beyond the timeline —
//! the scenario, the success criteria and how they were assessed, the
//! corrective actions decided, who signed the record off — and how that
//! maps to what the standards ask of an exercise.
//!
//! Everything here is read from the journal (and the signatures beside it):
//! the journal stays the single source of truth.

pub mod actions;
pub mod signoff;
pub mod standards;

use jiff::Timestamp;
use serde::Serialize;

use crate::event::{Assessment, Event, ExerciseInfo};
use crate::journal::Journal;
use crate::runbook::StepId;

/// How long an action id is: the first hex digits of its line's hash.
pub const ACTION_ID_LEN: usize = 8;

/// The latest assessment of one success criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionReport {
    /// 1-based number.
    pub number: u32,
    /// The criterion as written before the exercise.
    pub text: String,
    /// The latest assessment; `None` when it was never assessed.
    pub verdict: Option<Assessment>,
    /// Why.
    pub comment: Option<String>,
    /// Who assessed it.
    pub by: Option<String>,
    /// When.
    pub at: Option<Timestamp>,
}

/// A corrective action recorded in the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionReport {
    /// Stable id: the first [`ACTION_ID_LEN`] hex digits of the hash of
    /// the line that recorded it.
    pub id: String,
    /// Who must carry it out.
    pub owner: String,
    /// When it is due.
    pub due: jiff::civil::Date,
    /// What must be done.
    pub text: String,
    /// Who recorded it.
    pub by: String,
    /// When.
    pub recorded: Timestamp,
    /// The step it is about.
    pub step: Option<StepId>,
}

/// The dossier's own facts, read from one journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dossier {
    /// Scenario, scope, criteria, language as recorded in `run_started`.
    pub exercise: ExerciseInfo,
    /// Each criterion with its latest assessment, in order.
    pub criteria: Vec<CriterionReport>,
    /// Corrective actions, in the order recorded.
    pub actions: Vec<ActionReport>,
    /// Signatures found beside the journal (not checked here: `reprise
    /// verify --allowed-signers` checks them).
    pub signatures: Vec<signoff::Signature>,
}

impl Dossier {
    /// Reads the dossier's facts from a journal.
    pub fn from_journal(journal: &Journal) -> Dossier {
        let mut d = Dossier::default();
        for entry in &journal.entries {
            d.apply(entry);
        }
        d.signatures = Self::signatures(&journal.path);
        d
    }

    /// Takes the dossier's facts from one line of a journal read as a
    /// stream (then set `signatures` with [`Dossier::signatures`]).
    pub fn apply(&mut self, entry: &crate::journal::Entry) {
        let d = self;
        {
            let time = entry.stamped.time;
            match &entry.stamped.event {
                Event::RunStarted { exercise, .. } => {
                    d.exercise = exercise.as_deref().cloned().unwrap_or_default();
                    d.criteria = d
                        .exercise
                        .criteria
                        .iter()
                        .zip(1..)
                        .map(|(text, number)| CriterionReport {
                            number,
                            text: text.clone(),
                            verdict: None,
                            comment: None,
                            by: None,
                            at: None,
                        })
                        .collect();
                }
                Event::CriterionAssessed {
                    criterion,
                    verdict,
                    comment,
                    by,
                    ..
                } => {
                    if let Some(c) = d.criteria.iter_mut().find(|c| c.number == *criterion) {
                        c.verdict = Some(*verdict);
                        c.comment.clone_from(comment);
                        c.by = Some(by.clone());
                        c.at = Some(time);
                    }
                }
                Event::ActionRecorded {
                    owner,
                    due,
                    text,
                    by,
                    step,
                    ..
                } => d.actions.push(ActionReport {
                    id: entry.hash[..ACTION_ID_LEN].to_string(),
                    owner: owner.clone(),
                    due: *due,
                    text: text.clone(),
                    by: by.clone(),
                    recorded: time,
                    step: step.clone(),
                }),
                _ => {}
            }
        }
    }

    /// The signatures beside the journal at `path`.
    pub fn signatures(path: &std::path::Path) -> Vec<signoff::Signature> {
        signoff::read(path).unwrap_or_default()
    }
}

/// The Unix account running this process, for records made outside a drill.
pub fn os_account() -> String {
    crate::identity::Origin::this_process()
        .account
        .unwrap_or_default()
}
