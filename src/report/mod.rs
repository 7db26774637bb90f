//! The exercise report: what happened in a drill, for the debrief, the
//! management and the auditors.
//!
//! [`Report::build`] turns a [`Timeline`] into one model holding every fact
//! the report states; the three formats render that same model, so they can
//! never disagree: [`markdown`] (tables and a Mermaid `gantt` block),
//! [`html`] (one self-contained page with an inline SVG chart) and [`json`]
//! (the model itself, documented in `docs/report.md`).
//!
//! A report says nothing that depends on when or where it was produced
//! (no generation time, no absolute path but the ones in the journal), so the
//! same journal always gives the same report in the same time zone.

use std::time::Duration as StdDuration;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::event::{Decision, Outcome, RunResult, Source};
use crate::i18n::Lang;
use crate::runbook::{Mode, StepId, StepKind};
use crate::timeline::{RtoVerdict, StepState, Timeline, span};

mod build;
pub mod content;
pub mod dossier;
pub mod gantt;
pub mod html;
pub mod inline;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod services;
mod step;
pub mod who;
mod words;
mod zone;

pub use step::{
    ApprovalReport, AttemptReport, DecisionReport, Deviation, DeviationKind, HostReport,
    RollbackReport, Said, Split, State, StepReport,
};
use words::review_points;
pub use words::{
    HostRow, attempt_detail, attempt_detail_in, attempt_text, attempt_text_in, attempts,
    decision_text, decision_text_in, deviation_text, deviation_text_in, duration_in, exit_text,
    failed_hosts, host_ending, host_ending_in, host_rows, host_text, host_text_in, last_output,
    outcome_in, path_labels, recorded_text, recorded_text_in, review_points_in, secs, secs_in,
    state_text, state_text_in,
};
pub use zone::{Time, Zone, human, utc_rfc3339};

/// Version of the JSON report's layout; bumped when a field changes meaning
/// or disappears (adding fields does not bump it).
pub const FORMAT_VERSION: u32 = 1;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Markdown with tables and a Mermaid `gantt` block.
    #[default]
    Markdown,
    /// One self-contained HTML file with an inline SVG chart.
    Html,
    /// The report's facts as JSON.
    Json,
}

/// Renders a report in a format.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
        Format::Json => json::render(report),
    }
}

/// Why a report cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The journal has no `run_started` event.
    #[error("the journal has no `run_started` event, so there is no drill to report on")]
    NotStarted,
}

/// Whether the journal ends the drill, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// `run_finished` was recorded.
    Finished,
    /// No `run_finished`: the drill is still running, or it was interrupted.
    RunningOrInterrupted,
}

/// How the time to recovery compares to the RTO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The plan has no RTO.
    NoObjective,
    /// Recovered within the RTO.
    Met,
    /// Ended after the RTO.
    Missed,
    /// Aborted: nothing to compare.
    NotRecovered,
    /// Not finished, still within the RTO at the last event.
    Open,
    /// Not finished, already past the RTO at the last event.
    Overdue,
}

/// The recovery against the objectives.
#[derive(Debug, Clone, Serialize)]
pub struct Recovery {
    /// From the start to the last step outcome (finished drills that
    /// recovered or ended degraded).
    pub time_to_recovery_seconds: Option<u64>,
    /// The plan's RTO.
    pub rto_seconds: Option<u64>,
    /// The plan's RPO (recorded, not measured).
    pub rpo_seconds: Option<u64>,
    /// The comparison.
    pub verdict: Verdict,
    /// RTO minus time to recovery (`met`), or time left (`open`).
    pub margin_seconds: Option<u64>,
    /// How far past the RTO (`missed`, `overdue`).
    pub over_seconds: Option<u64>,
    /// The RTO deadline: start of the drill plus the RTO.
    pub rto_deadline: Option<Time>,
    /// Data lost, measured from the earliest restore point recorded
    /// (`restore_point`), against the RPO; absent when none was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_loss: Option<services::DataLoss>,
}

/// A handover between operators.
#[derive(Debug, Clone, Serialize)]
pub struct HandoverReport {
    /// When.
    pub time: Time,
    /// Outgoing.
    pub from: String,
    /// Incoming.
    pub to: String,
    /// Handover note.
    pub note: Option<String>,
}

/// A resume after an interruption.
#[derive(Debug, Clone, Serialize)]
pub struct ResumeReport {
    /// When it resumed.
    pub time: Time,
    /// Last event before the interruption.
    pub stopped_after: Time,
    /// Who resumed.
    pub operator: String,
    /// Where.
    pub host: String,
    /// reprise version that resumed.
    pub reprise_version: String,
    /// The changed runbook's SHA-256 (`--allow-changed`).
    pub runbook_sha256: Option<String>,
}

/// An observation.
#[derive(Debug, Clone, Serialize)]
pub struct NoteReport {
    /// When.
    pub time: Time,
    /// Who wrote it.
    pub by: String,
    /// The step it is about.
    pub step: Option<StepId>,
    /// The text.
    pub text: String,
    /// The OS account that wrote it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Written by an observer (`attach --observer`): listed apart.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub observer: bool,
}

/// A change to the plan made during the drill.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeReport {
    /// When.
    pub time: Time,
    /// The step.
    pub step: StepId,
    /// `cancelled`, `re-estimated` or `reassigned`.
    pub kind: &'static str,
    /// What changed (`2h (was 45m)`, `to lab (was storage)`).
    pub detail: Option<String>,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
}

/// A phase and its steps.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseReport {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its steps, in file order.
    pub steps: Vec<StepReport>,
}

/// A critical path.
#[derive(Debug, Clone, Serialize)]
pub struct PathReport {
    /// Step ids, first to last.
    pub steps: Vec<StepId>,
    /// Sum of estimates (planned) or start → last outcome (actual).
    pub seconds: u64,
}

/// Both critical paths.
#[derive(Debug, Clone, Serialize)]
pub struct CriticalPaths {
    /// From the estimates.
    pub planned: PathReport,
    /// The chain that really determined the end.
    pub actual: PathReport,
}

/// The journal read.
#[derive(Debug, Clone, Serialize)]
pub struct JournalInfo {
    /// Path as given.
    pub path: String,
    /// Events read.
    pub events: usize,
    /// An incomplete last line was dropped (the process died mid-write).
    pub torn_line: Option<usize>,
    /// The hash chain is broken and the report was made anyway (`--force`):
    /// the chain check's finding. Absent when the chain is intact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// Events that did not fit the plan, described.
    pub warnings: Vec<String>,
}

/// The drill.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    /// Plan name.
    pub name: String,
    /// Runbook path.
    pub runbook: String,
    /// Runbook SHA-256.
    pub runbook_sha256: String,
    /// Drill (exercise) or incident.
    pub mode: Mode,
    /// Nothing executed.
    pub dry_run: bool,
    /// Finished or not.
    pub status: Status,
    /// How it ended.
    pub result: Option<RunResult>,
    /// Start.
    pub started: Time,
    /// End (`run_finished`).
    pub ended: Option<Time>,
    /// Last event.
    pub last_event: Time,
    /// Start → end, or → last event.
    pub elapsed_seconds: u64,
    /// Machine it started on.
    pub host: String,
    /// reprise version that started it.
    pub reprise_version: String,
    /// Who started it.
    pub started_by: String,
    /// Every operator.
    pub operators: Vec<String>,
    /// Roles of the plan's steps.
    pub roles: Vec<String>,
    /// Handovers.
    pub handovers: Vec<HandoverReport>,
    /// Resumes.
    pub resumes: Vec<ResumeReport>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Name of the time zone `local` times are in.
    pub time_zone: String,
    /// The journal.
    pub journal: JournalInfo,
    /// The drill.
    pub run: RunInfo,
    /// The objectives.
    pub recovery: Recovery,
    /// Each service of `objectives.services`: its recovery against its RTO,
    /// its data lost against its RPO.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<services::ServiceReport>,
    /// Phases and steps.
    pub phases: Vec<PhaseReport>,
    /// Planned and actual critical paths.
    pub critical_path: CriticalPaths,
    /// Where the time went, summed over steps.
    pub time_split: Split,
    /// Deviations, in time order.
    pub deviations: Vec<Deviation>,
    /// Observations, in time order.
    pub notes: Vec<NoteReport>,
    /// Who recorded which steps: one entry per person (declared name and
    /// OS account), in order of their first record.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_person: Vec<who::PersonReport>,
    /// The steps of each team (role): how many were recorded, by whom.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_team: Vec<who::TeamReport>,
    /// Changes to the plan made during the drill (cancellations,
    /// re-estimates, reassignments), in time order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeReport>,
    /// Points for the debrief derived from the facts (RTO missed, failures,
    /// critical skips, overruns, retries), after the observations in
    /// "Lessons and actions".
    pub review_points: Vec<String>,
    /// Scenario, criteria, actions, signatures (`reprise report` reads
    /// them from the journal and the signatures beside it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<crate::dossier::Dossier>,
    /// What the standards ask of an exercise, present or missing here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub standards: Vec<crate::dossier::standards::Item>,
    /// The language of the dossier's sections.
    pub lang: crate::i18n::Lang,
    #[serde(skip)]
    zone: Option<Zone>,
}

impl Report {
    /// The zone local times are shown in.
    pub fn zone(&self) -> Zone {
        self.zone.clone().unwrap_or_else(Zone::system)
    }

    /// Every step, in file order.
    pub fn steps(&self) -> impl Iterator<Item = &StepReport> {
        self.phases.iter().flat_map(|p| p.steps.iter())
    }

    /// The one-line headline: what happened, in plain words.
    pub fn headline(&self) -> String {
        let lang = self.lang;
        let what = lang.tr(match (self.run.status, self.run.result) {
            (Status::Finished, Some(RunResult::Recovered)) => "headline-recovered",
            (Status::Finished, Some(RunResult::Degraded)) => "headline-degraded",
            (Status::Finished, Some(RunResult::Aborted)) => "headline-aborted",
            _ => "headline-open",
        });
        // A recovery after the RTO is not a success: said first, not only
        // in a table row.
        let what = match self.rto_missed() {
            Some(by) => lang.tr_args(
                "headline-rto-missed",
                &[
                    ("what", what.into()),
                    ("by", duration_in(lang, by.as_secs()).into()),
                ],
            ),
            None => what,
        };
        if self.run.dry_run {
            lang.tr_args("headline-dry-run", &[("what", what.into())])
        } else {
            what
        }
    }

    /// How far past the RTO a finished drill recovered (recovered or
    /// degraded); `None` when met, without an RTO, aborted or unfinished.
    pub fn rto_missed(&self) -> Option<StdDuration> {
        (self.recovery.verdict == Verdict::Missed)
            .then(|| StdDuration::from_secs(self.recovery.over_seconds.unwrap_or(0)))
    }

    /// What the report is: "Exercise report" or "Incident report".
    pub fn kind(&self) -> &'static str {
        self.lang.said(match self.run.mode {
            Mode::Drill => "kind-drill",
            Mode::Incident => "kind-incident",
        })
    }

    /// The mode in plain words.
    pub fn mode_text(&self) -> &'static str {
        self.lang.said(match self.run.mode {
            Mode::Drill => "mode-drill",
            Mode::Incident => "mode-incident",
        })
    }

    /// The RTO comparison in plain words.
    pub fn verdict_text(&self) -> String {
        self.verdict_text_in(self.lang)
    }

    /// The RTO comparison in plain words of `lang`.
    pub fn verdict_text_in(&self, lang: Lang) -> String {
        let r = &self.recovery;
        let with = |id: &str, x: Option<u64>| {
            lang.tr_args(id, &[("time", duration_in(lang, x.unwrap_or(0)).into())])
        };
        match r.verdict {
            Verdict::NoObjective => lang.tr("verdict-no-rto"),
            Verdict::Met => with("verdict-rto-met", r.margin_seconds),
            Verdict::Missed => with("verdict-rto-missed", r.over_seconds),
            Verdict::NotRecovered => lang.tr("verdict-not-recovered"),
            Verdict::Open => with("verdict-open", r.margin_seconds),
            Verdict::Overdue => with("verdict-overdue", r.over_seconds),
        }
    }

    /// Warnings to put at the top: dry run, incomplete journal, oddities.
    pub fn banners(&self) -> Vec<String> {
        let mut v = Vec::new();
        let lang = self.lang;
        // First: it puts everything below in doubt.
        if let Some(problem) = &self.journal.unverified {
            v.push(lang.tr_args("banner-unverified", &[("problem", problem.clone().into())]));
        }
        if self.run.mode == Mode::Incident {
            v.push(lang.tr("banner-incident"));
        }
        if self.run.dry_run {
            v.push(lang.tr("banner-dry-run"));
        }
        if self.run.status == Status::RunningOrInterrupted {
            v.push(lang.tr_args(
                "banner-incomplete",
                &[("time", self.zone().long(self.run.last_event.at).into())],
            ));
        }
        if let Some(line) = self.journal.torn_line {
            v.push(lang.tr_args("banner-torn", &[("line", line.to_string().into())]));
        }
        for w in &self.journal.warnings {
            v.push(lang.tr_args("banner-oddity", &[("what", w.clone().into())]));
        }
        v
    }
}

#[cfg(test)]
mod tests;
