//! Who recorded what: the steps each person recorded (under their
//! declared name and the OS account the drill saw), and each team's steps
//! (a team is a role of the runbook) with who recorded them.
//!
//! Built from the steps' own records, so it is as true as the journal: a
//! command's outcome is recorded by `reprise` (its exit status), never
//! counted to a person; a step recorded by a coordinator for a team it is
//! not in is counted to the team as recorded from outside it.

use serde::Serialize;

use super::content::{Cell, Inline};
use super::{Report, StepReport};
use crate::event::Outcome;
use crate::i18n::Lang;
use crate::runbook::StepId;

/// The steps one person recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonReport {
    /// The name they recorded under (`--operator`, `attach --as`).
    pub name: String,
    /// The OS account the drill saw (absent in journals from before it was
    /// recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The teams (roles) of the steps they recorded as members, in order
    /// of first record.
    pub teams: Vec<String>,
    /// The steps whose outcome they recorded, in the order recorded.
    pub steps: Vec<StepId>,
    /// Of those: done.
    pub done: usize,
    /// Of those: failed.
    pub failed: usize,
    /// Of those: skipped, not applicable or aborted.
    pub other: usize,
    /// Of those: recorded for a role they are not in (a coordinator).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub for_other_teams: Vec<StepId>,
}

/// One team's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamReport {
    /// The role (empty: the steps without a role).
    pub team: String,
    /// Its steps in the plan (added ones included).
    pub steps: usize,
    /// Of those, with an outcome recorded.
    pub recorded: usize,
    /// Of those, done.
    pub done: usize,
    /// Who recorded them (`reprise` for commands' exit statuses), with how
    /// many each, in order of first record.
    pub recorded_by: Vec<Recorder>,
    /// Steps recorded for the team by someone outside it (`roles:`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recorded_from_outside: Vec<StepId>,
}

/// Someone who recorded some of a team's steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorder {
    /// Declared name, or `reprise`.
    pub name: String,
    /// The OS account, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// How many steps.
    pub steps: usize,
}

/// The steps with a recorded outcome, in the order recorded (file order
/// for equal times).
fn recorded(r: &Report) -> Vec<&StepReport> {
    let mut steps: Vec<&StepReport> = r
        .steps()
        .filter(|s| s.outcome.is_some() && s.recorded_by.is_some())
        .collect();
    steps.sort_by_key(|s| s.finished.as_ref().map(|t| t.at));
    steps
}

/// Whether a person recorded it (not the engine, not a command).
fn by_a_person(s: &StepReport) -> bool {
    !matches!(
        s.source,
        None | Some(crate::event::Source::Command | crate::event::Source::Engine)
    )
}

/// One entry per person (name and account) who recorded a step.
pub fn people(r: &Report) -> Vec<PersonReport> {
    let mut out: Vec<PersonReport> = Vec::new();
    for s in recorded(r).into_iter().filter(|s| by_a_person(s)) {
        let name = s.recorded_by.clone().unwrap_or_default();
        let i = match out
            .iter()
            .position(|p| p.name == name && p.account == s.recorded_account)
        {
            Some(i) => i,
            None => {
                out.push(PersonReport {
                    name,
                    account: s.recorded_account.clone(),
                    teams: Vec::new(),
                    steps: Vec::new(),
                    done: 0,
                    failed: 0,
                    other: 0,
                    for_other_teams: Vec::new(),
                });
                out.len() - 1
            }
        };
        let p = &mut out[i];
        p.steps.push(s.id.clone());
        match s.outcome {
            Some(Outcome::Done) => p.done += 1,
            Some(Outcome::Failed) => p.failed += 1,
            _ => p.other += 1,
        }
        if s.recorded_for_role.is_some() {
            p.for_other_teams.push(s.id.clone());
        } else if let Some(role) = &s.role
            && !p.teams.contains(role)
        {
            p.teams.push(role.clone());
        }
    }
    out
}

/// One entry per role of the plan (then one for the steps without a
/// role, when some have one); empty for a plan without roles.
pub fn teams(r: &Report) -> Vec<TeamReport> {
    if r.run.roles.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<String> = r.run.roles.clone();
    for s in r.steps() {
        if let Some(role) = &s.role
            && !names.contains(role)
        {
            names.push(role.clone());
        }
    }
    if r.steps().any(|s| s.role.is_none()) {
        names.push(String::new());
    }
    let order = recorded(r);
    names
        .into_iter()
        .map(|team| {
            let of_team = |s: &&StepReport| s.role.as_deref().unwrap_or_default() == team.as_str();
            let mut t = TeamReport {
                steps: r.steps().filter(of_team).count(),
                recorded: 0,
                done: 0,
                recorded_by: Vec::new(),
                recorded_from_outside: Vec::new(),
                team: team.clone(),
            };
            for s in order.iter().copied().filter(of_team) {
                t.recorded += 1;
                if s.outcome == Some(Outcome::Done) {
                    t.done += 1;
                }
                if s.recorded_for_role.is_some() {
                    t.recorded_from_outside.push(s.id.clone());
                }
                let name = s.recorded_by.clone().unwrap_or_default();
                let account = if by_a_person(s) {
                    s.recorded_account.clone()
                } else {
                    None
                };
                match t
                    .recorded_by
                    .iter_mut()
                    .find(|x| x.name == name && x.account == account)
                {
                    Some(x) => x.steps += 1,
                    None => t.recorded_by.push(Recorder {
                        name,
                        account,
                        steps: 1,
                    }),
                }
            }
            t
        })
        .collect()
}

/// The columns of the per-person table.
pub fn person_columns(lang: Lang) -> [&'static str; 5] {
    ["person", "account", "teams", "recorded", "steps"].map(|c| lang.said(&format!("col-who-{c}")))
}

/// The columns of the per-team table.
pub fn team_columns(lang: Lang) -> [&'static str; 4] {
    ["team", "recorded", "by", "outside"].map(|c| lang.said(&format!("col-who-{c}")))
}

fn dash() -> Cell {
    vec![Inline::Plain("—")]
}

fn ids(steps: &[StepId]) -> Cell {
    let mut cell = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        if i > 0 {
            cell.push(Inline::Plain(", "));
        }
        cell.push(Inline::Code(s.as_str().to_string()));
    }
    if cell.is_empty() { dash() } else { cell }
}

/// The per-person table's rows, in [`person_columns`].
pub fn person_rows(r: &Report) -> Vec<[Cell; 5]> {
    let lang = r.lang;
    r.by_person
        .iter()
        .map(|p| {
            let parts: Vec<String> = [("done", p.done), ("failed", p.failed), ("other", p.other)]
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| lang.tr_args(&format!("who-{k}"), &[("count", n.into())]))
                .collect();
            let mut counts = format!("{} ({})", p.steps.len(), parts.join(", "));
            if !p.for_other_teams.is_empty() {
                counts.push_str(&lang.tr_args(
                    "who-for-others",
                    &[("count", p.for_other_teams.len().into())],
                ));
            }
            [
                vec![Inline::Text(p.name.clone())],
                p.account
                    .as_ref()
                    .map_or_else(dash, |a| vec![Inline::Code(a.clone())]),
                if p.teams.is_empty() {
                    dash()
                } else {
                    vec![Inline::Text(p.teams.join(", "))]
                },
                vec![Inline::Text(counts)],
                ids(&p.steps),
            ]
        })
        .collect()
}

/// The per-team table's rows, in [`team_columns`].
pub fn team_rows(r: &Report) -> Vec<[Cell; 4]> {
    let lang = r.lang;
    r.by_team
        .iter()
        .map(|t| {
            let team = if t.team.is_empty() {
                vec![Inline::Muted(vec![Inline::Plain(lang.said("who-no-role"))])]
            } else {
                vec![Inline::Text(t.team.clone())]
            };
            let by: Vec<String> = t
                .recorded_by
                .iter()
                .map(|x| {
                    let (name, count) =
                        (("name", x.name.clone().into()), ("count", x.steps.into()));
                    match &x.account {
                        Some(a) if *a != x.name => lang.tr_args(
                            "who-recorded-account-count",
                            &[name, ("account", a.clone().into()), count],
                        ),
                        _ => lang.tr_args("who-recorded-count", &[name, count]),
                    }
                })
                .collect();
            [
                team,
                vec![Inline::Text(lang.tr_args(
                    "who-team-counts",
                    &[
                        ("recorded", t.recorded.into()),
                        ("steps", t.steps.into()),
                        ("done", t.done.into()),
                    ],
                ))],
                if by.is_empty() {
                    dash()
                } else {
                    vec![Inline::Text(by.join(", "))]
                },
                ids(&t.recorded_from_outside),
            ]
        })
        .collect()
}
