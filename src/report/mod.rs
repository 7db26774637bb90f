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

pub mod content;
pub mod dossier;
pub mod gantt;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod services;
pub mod who;

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

/// A moment, in UTC and in the report's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Time {
    /// The instant.
    #[serde(skip)]
    pub at: Timestamp,
    /// RFC 3339 UTC with milliseconds, as in the journal.
    pub utc: String,
    /// RFC 9557 in the report's time zone:
    /// `2026-11-29T09:00:00.000+01:00[Europe/Paris]`.
    pub local: String,
}

/// RFC 3339 UTC with milliseconds, as in the journal.
pub fn utc_rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The report's time zone and how to show times in it.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
    /// IANA name; `TZ=<rule>` for a POSIX rule; `local time` when the
    /// system zone has no name.
    pub name: String,
}

impl Zone {
    /// The system time zone (honours `TZ`); an error says why it could not
    /// be determined (e.g. `TZ` names no known zone).
    pub fn try_system() -> Result<Self, String> {
        let tz = TimeZone::try_system().map_err(|e| e.to_string())?;
        let mut zone = Zone::new(tz);
        // A POSIX rule such as `TZ=CET-1` has no IANA name: show the rule.
        if zone.tz.iana_name().is_none()
            && let Some(rule) = std::env::var("TZ").ok().filter(|v| !v.is_empty())
        {
            zone.name = format!("TZ={rule}");
        }
        Ok(zone)
    }

    /// The system time zone, or UTC when it cannot be determined.
    pub fn system() -> Self {
        Zone::try_system().unwrap_or_else(|_| Zone::utc())
    }

    /// UTC.
    pub fn utc() -> Self {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// A named zone (`Europe/Paris`, `UTC`).
    pub fn named(name: &str) -> Option<Self> {
        TimeZone::get(name).ok().map(Zone::new)
    }

    fn new(tz: TimeZone) -> Self {
        let name = tz.iana_name().unwrap_or("local time").to_string();
        Zone { tz, name }
    }

    /// `2026-11-29 09:00:00 CET (UTC+01:00)`.
    pub fn long(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        z.strftime("%Y-%m-%d %H:%M:%S %Z (UTC%:z)").to_string()
    }

    /// `09:00:00`.
    pub fn clock(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M:%S")
            .to_string()
    }

    /// `09:00`, for chart ticks.
    pub fn hhmm(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%H:%M")
            .to_string()
    }

    /// RFC 9557, e.g. `2026-11-29T09:00:00.000+01:00[Europe/Paris]`.
    pub fn rfc9557(&self, t: Timestamp) -> String {
        let z = t.to_zoned_datetime(self.tz.clone());
        match self.tz.iana_name() {
            Some(name) => format!("{}[{name}]", z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")),
            None => z.strftime("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
        }
    }

    /// UTC offset at `t`, e.g. `+01:00`.
    pub fn offset(&self, t: Timestamp) -> String {
        t.to_zoned_datetime(self.tz.clone())
            .strftime("%:z")
            .to_string()
    }
}

impl Zone {
    /// A moment in UTC and in this zone.
    pub fn time(&self, t: Timestamp) -> Time {
        Time {
            at: t,
            utc: utc_rfc3339(t),
            local: self.rfc9557(t),
        }
    }
}

/// A length of time for people, in the runbook's own notation (`45s`,
/// `12m5s`, `1h`), as the terminal, `status` and `plan` show it: one way
/// to write a duration everywhere.
pub fn human(d: StdDuration) -> String {
    crate::runbook::Duration::from_secs(d.as_secs()).to_string()
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

/// What kind of deviation from the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    /// A command attempt failed (exit code, signal, timeout, not started).
    Failure,
    /// The step ended failed.
    Failed,
    /// The step was skipped.
    Skip,
    /// Marked done by hand after a failure.
    DoneByHand,
    /// Marked failed by hand.
    MarkedFailed,
    /// Its failed command was run again by decision.
    Retry,
    /// Left failed, dependents went on.
    Continue,
    /// Declared done before the start (`--assume-done`).
    AssumedDone,
    /// The drill was asked to abort (by an operator or a signal).
    Abort,
    /// Abort and roll back.
    Rollback,
    /// The step was running or open when the drill was aborted.
    Aborted,
    /// A rollback that failed or was declined.
    RollbackNotDone,
    /// A command was running when the drill stopped (crash, killed,
    /// laptop died); the drill was resumed later or not at all.
    Interrupted,
}

/// A deviation from the plan, with its reason.
#[derive(Debug, Clone, Serialize)]
pub struct Deviation {
    /// When.
    pub time: Time,
    /// The step, if any.
    pub step: Option<StepId>,
    /// What.
    pub kind: DeviationKind,
    /// Details (exit code, signal, timeout).
    pub detail: Option<String>,
    /// Why, as recorded.
    pub reason: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// What `detail` says, for the report's other languages.
    #[serde(skip)]
    pub said: Option<Said>,
}

/// What a deviation's details are about, to say them in any language.
#[derive(Debug, Clone)]
pub enum Said {
    /// `attempt 2`.
    Attempt(u32),
    /// `exit code 3`.
    ExitCode(i32),
    /// How a failed attempt ended.
    Ending(Box<crate::timeline::Attempt>),
}

impl Deviation {
    /// The details in `lang`.
    pub fn detail_in(&self, lang: Lang) -> Option<String> {
        match (&self.said, lang) {
            (_, Lang::En) | (None, _) => self.detail.clone(),
            (Some(Said::Attempt(n)), _) => {
                Some(lang.tr_args("attempt-n", &[("n", n.to_string().into())]))
            }
            (Some(Said::ExitCode(c)), _) => Some(exit_text(lang, *c)),
            (Some(Said::Ending(a)), _) => Some(attempt_detail_in(lang, a)),
        }
    }
}

/// Where the time went, in seconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Split {
    /// Commands running.
    pub running_seconds: u64,
    /// Waiting for the operator.
    pub operator_seconds: u64,
    /// Waiting for dependencies.
    pub dependencies_seconds: u64,
    /// Retry pauses and waiting for a job slot.
    pub other_seconds: u64,
    /// Waiting while the drill was held (`run_held` to `run_released`);
    /// left out of the JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub held_seconds: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl From<crate::timeline::TimeSplit> for Split {
    fn from(s: crate::timeline::TimeSplit) -> Self {
        Split {
            running_seconds: s.running.as_secs(),
            operator_seconds: s.operator.as_secs(),
            dependencies_seconds: s.dependencies.as_secs(),
            other_seconds: s.other.as_secs(),
            held_seconds: s.held.as_secs(),
        }
    }
}

/// How a remote command ended on one host of its step.
#[derive(Debug, Clone, Serialize)]
pub struct HostReport {
    /// The host's name in the runbook.
    pub host: String,
    /// `done` (exit code 0) or `failed`.
    pub outcome: Outcome,
    /// When its command ended.
    pub ended: Time,
    /// From the attempt's (or rollback's) start to this host's end; absent
    /// when the start is not known (`ssh` could not start).
    pub duration_seconds: Option<u64>,
    /// Exit code (255: usually `ssh`'s own failure).
    pub exit_code: Option<i32>,
    /// Signal name, when `ssh` was killed by one.
    pub signal: Option<String>,
    /// Hit the step's timeout.
    pub timed_out: bool,
    /// `ssh` could not be started.
    pub error: Option<String>,
    /// Why it failed, classified: `unreachable`, `auth`, `host_key`,
    /// `exit`, `signal`, `timed_out`, `aborted`, `not_started`.
    pub cause: Option<crate::event::HostCause>,
    /// The host's own last lines of output, for a failure.
    pub output_tail: Vec<String>,
}

impl HostReport {
    fn new(h: &crate::timeline::HostRun, duration: Option<StdDuration>, zone: &Zone) -> Self {
        HostReport {
            host: h.host.clone(),
            outcome: if h.succeeded() {
                Outcome::Done
            } else {
                Outcome::Failed
            },
            ended: zone.time(h.ended),
            duration_seconds: duration.map(|d| d.as_secs()),
            exit_code: h.exit_code,
            signal: h.signal.clone(),
            timed_out: h.timed_out,
            error: h.error.clone(),
            cause: h.cause,
            output_tail: h.output_tail.clone(),
        }
    }
}

/// One attempt of a command.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptReport {
    /// 1 for the first.
    pub number: u32,
    /// Start.
    pub started: Time,
    /// End, when recorded.
    pub ended: Option<Time>,
    /// Length; for an interrupted attempt, up to the last event before the
    /// interruption (it ran at least that long).
    pub duration_seconds: Option<u64>,
    /// Exit code.
    pub exit_code: Option<i32>,
    /// Signal name.
    pub signal: Option<String>,
    /// Hit the timeout.
    pub timed_out: bool,
    /// Could not start.
    pub error: Option<String>,
    /// The drill stopped while it ran.
    pub interrupted: bool,
    /// For a remote step: how it ended on each host, in the order they
    /// ended.
    pub hosts: Vec<HostReport>,
    /// Hosts the step ran on (per the journal) with no end recorded in
    /// this attempt: the drill stopped while they ran, or they still run.
    pub hosts_without_end: Vec<String>,
}

/// A decision about a step.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionReport {
    /// When.
    pub time: Time,
    /// What.
    pub decision: Decision,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub by: String,
    /// How.
    pub source: Source,
}

/// A confirmation or refusal of a step that needs `approvals`.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalReport {
    /// When.
    pub time: Time,
    /// Confirmed (true) or refused.
    pub approved: bool,
    /// Who (declared name).
    pub by: String,
    /// The OS account.
    pub account: Option<String>,
    /// Why (refusals).
    pub reason: Option<String>,
    /// Distinct confirmations so far, and needed.
    pub count: u32,
    /// Confirmations needed.
    pub needed: u32,
    /// The role a coordinator approved for, when outside it.
    pub for_role: Option<String>,
}

/// A step's rollback.
#[derive(Debug, Clone, Serialize)]
pub struct RollbackReport {
    /// Start.
    pub started: Option<Time>,
    /// End.
    pub finished: Option<Time>,
    /// `done`, `failed`, `skipped`; absent while running.
    pub outcome: Option<Outcome>,
    /// Exit code.
    pub exit_code: Option<i32>,
    /// Why.
    pub reason: Option<String>,
    /// Who recorded it.
    pub by: Option<String>,
    /// For a remote step: how the rollback ended on each host.
    pub hosts: Vec<HostReport>,
}

/// Where a step stands at the end of the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Never reached.
    Pending,
    /// Ready or open, no outcome.
    Open,
    /// Its command was running.
    Running,
    /// A failed attempt waiting for a retry or a decision.
    AttemptFailed,
    /// Ended (see `outcome`).
    Finished,
}

/// Everything about one step.
#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// Id.
    pub id: StepId,
    /// Title.
    pub title: String,
    /// Manual, command or confirm.
    pub kind: StepKind,
    /// Who does it.
    pub role: Option<String>,
    /// Critical step.
    pub critical: bool,
    /// Mode restriction.
    pub only: Option<Mode>,
    /// Direct dependencies.
    pub needs: Vec<StepId>,
    /// The hosts its command ran on, as recorded (`host_finished`), in
    /// order of first appearance; empty for a local step.
    pub hosts: Vec<String>,
    /// Where it stands.
    pub state: State,
    /// Its outcome, when finished.
    pub outcome: Option<Outcome>,
    /// Who recorded the outcome: the operator who typed it (or whose
    /// answers file or `--yes` gave it), `reprise` when a command's exit
    /// status or the engine decided.
    pub recorded_by: Option<String>,
    /// The OS account that recorded the outcome, when the journal says
    /// (`SO_PEERCRED` for an attached terminal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_account: Option<String>,
    /// Who carried it out: `reprise as ACCOUNT on HOST` for a command, the
    /// role (or, without one, the recorder) for a manual step; absent when
    /// nothing was performed.
    pub performed_by: Option<String>,
    /// For a command: the account (when recorded) and the machine reprise
    /// ran it as and on, to say [`StepReport::performed_by`] in any
    /// language.
    #[serde(skip)]
    pub ran_as: Option<(Option<String>, String)>,
    /// How the outcome was decided.
    pub source: Option<Source>,
    /// Why it ended that way.
    pub reason: Option<String>,
    /// Exit code of its last attempt.
    pub exit_code: Option<i32>,
    /// Last lines of output of a failed command (secrets masked).
    pub output_tail: Vec<String>,
    /// When it became ready.
    pub ready: Option<Time>,
    /// When it began (ready or first attempt).
    pub began: Option<Time>,
    /// When its outcome was recorded.
    pub finished: Option<Time>,
    /// Planned estimate.
    pub estimate_seconds: Option<u64>,
    /// Actual duration: began → outcome (or → the last event while open).
    pub duration_seconds: Option<u64>,
    /// Actual minus estimate, when positive.
    pub overrun_seconds: Option<u64>,
    /// Planned start, from the estimates (offset from the drill's start).
    pub planned_start_seconds: Option<u64>,
    /// Every attempt.
    pub attempts: Vec<AttemptReport>,
    /// Every decision.
    pub decisions: Vec<DecisionReport>,
    /// Its rollback.
    pub rollback: Option<RollbackReport>,
    /// The role its outcome was recorded for, when a coordinator outside
    /// that role recorded it (`roles:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_for_role: Option<String>,
    /// Confirmations and refusals of a step with `approvals`, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<ApprovalReport>,
    /// Where its time went (absent when never reached).
    pub time_split: Option<Split>,
    /// On the planned critical path.
    pub planned_critical: bool,
    /// On the actual critical path.
    pub actual_critical: bool,
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
    /// Builds the report of a timeline. `journal` names the file, `torn_line`
    /// an incomplete last line that was dropped.
    pub fn build(
        timeline: &Timeline,
        journal: &str,
        torn_line: Option<usize>,
        zone: Zone,
    ) -> Result<Report, Error> {
        let h = timeline.header.as_ref().ok_or(Error::NotStarted)?;
        let time = |t| zone.time(t);
        let now = timeline.as_of().unwrap_or(h.started);
        let planned = timeline.planned_critical_path();
        let actual = timeline.actual_critical_path();
        let schedule = timeline.planned_schedule();
        let on_planned: std::collections::HashSet<&StepId> = planned.steps.iter().collect();
        let on_actual: std::collections::HashSet<&StepId> = actual.steps.iter().collect();

        let (service_reports, data_loss) = services::build(timeline, now, &zone);
        let ttr = timeline.time_to_recovery();
        let (verdict, margin, over) = match timeline.rto_verdict(now) {
            RtoVerdict::NoObjective => (Verdict::NoObjective, None, None),
            RtoVerdict::Met { margin } => (Verdict::Met, Some(margin), None),
            RtoVerdict::Missed { by } => (Verdict::Missed, None, Some(by)),
            RtoVerdict::NotRecovered => (Verdict::NotRecovered, None, None),
            RtoVerdict::Open { remaining } => (Verdict::Open, Some(remaining), None),
            RtoVerdict::Overdue { by } => (Verdict::Overdue, None, Some(by)),
        };
        let recovery = Recovery {
            time_to_recovery_seconds: ttr.map(|d| d.as_secs()),
            rto_seconds: h.rto.map(|d| d.as_secs()),
            rpo_seconds: h.rpo.map(|d| d.as_secs()),
            verdict,
            margin_seconds: margin.map(|d| d.as_secs()),
            over_seconds: over.map(|d| d.as_secs()),
            rto_deadline: h
                .rto
                .map(|r| time(h.started.checked_add(r.to_std()).unwrap_or(h.started))),
            data_loss: data_loss.restore_point.is_some().then_some(data_loss),
        };

        let mut phases: Vec<PhaseReport> = h
            .phases
            .iter()
            .map(|p| PhaseReport {
                id: p.id.to_string(),
                title: p.title.clone(),
                steps: Vec::new(),
            })
            .collect();
        let mut phase_index: std::collections::HashMap<String, usize> = phases
            .iter()
            .enumerate()
            .map(|(k, p)| (p.id.clone(), k))
            .collect();
        // Abort requests first: at the same moment, they come before the
        // steps they stopped.
        let mut deviations: Vec<Deviation> = timeline
            .aborts
            .iter()
            .map(|a| Deviation {
                time: time(a.time),
                step: None,
                kind: DeviationKind::Abort,
                detail: None,
                reason: a.reason.clone(),
                by: Some(a.by.clone()),
                said: None,
            })
            .collect();
        for (i, s) in timeline.steps.iter().enumerate() {
            let p = &s.planned;
            let step_hosts = s.hosts();
            let step = StepReport {
                id: p.id.clone(),
                title: p.title.clone(),
                kind: p.kind,
                role: p.role.clone(),
                critical: p.critical,
                only: p.only,
                needs: p.needs.clone(),
                hosts: step_hosts.iter().map(|h| h.to_string()).collect(),
                state: match s.state {
                    StepState::Pending => State::Pending,
                    StepState::Ready => State::Open,
                    StepState::Running { .. } => State::Running,
                    StepState::AttemptFailed { .. } => State::AttemptFailed,
                    StepState::Finished(_) => State::Finished,
                },
                outcome: s.outcome(),
                recorded_by: Timeline::recorded_by(s),
                recorded_account: s.account.clone(),
                performed_by: timeline.performed_by(s),
                ran_as: s.attempts.last().and_then(|a| {
                    let r = timeline
                        .runners
                        .iter()
                        .rev()
                        .find(|r| r.time <= a.started)?;
                    Some((r.account.clone(), r.host.clone()))
                }),
                source: s.source,
                reason: s.reason.clone(),
                exit_code: s.exit_code,
                output_tail: s.output_tail.clone(),
                ready: s.ready.map(time),
                began: s.began().map(time),
                finished: s.finished.map(time),
                estimate_seconds: p.estimate.map(|d| d.as_secs()),
                duration_seconds: s.duration(now).map(|d| d.as_secs()),
                overrun_seconds: s.overrun(now).map(|d| d.as_secs()).filter(|&o| o > 0),
                planned_start_seconds: schedule
                    .get(i)
                    .copied()
                    .flatten()
                    .map(|(st, _)| st.as_secs()),
                attempts: s
                    .attempts
                    .iter()
                    .zip(s.attempt_hosts())
                    .map(|(a, ran)| AttemptReport {
                        number: a.number,
                        started: time(a.started),
                        ended: a.ended.map(time),
                        duration_seconds: a.ended.or(a.cut).map(|e| span(a.started, e).as_secs()),
                        exit_code: a.exit_code,
                        signal: a.signal.clone(),
                        timed_out: a.timed_out,
                        error: a.error.clone(),
                        interrupted: a.interrupted,
                        hosts: a
                            .hosts
                            .iter()
                            .map(|x| HostReport::new(x, a.host_duration(x), &zone))
                            .collect(),
                        hosts_without_end: ran
                            .iter()
                            .filter(|h| !a.hosts.iter().any(|x| x.host == **h))
                            .map(|h| h.to_string())
                            .collect(),
                    })
                    .collect(),
                decisions: s
                    .decisions
                    .iter()
                    .map(|d| DecisionReport {
                        time: time(d.time),
                        decision: d.decision,
                        reason: d.reason.clone(),
                        by: d.by.clone(),
                        source: d.source,
                    })
                    .collect(),
                recorded_for_role: s.for_role.clone(),
                approvals: s
                    .approvals
                    .iter()
                    .map(|a| ApprovalReport {
                        time: time(a.time),
                        approved: a.approved,
                        by: a.by.clone(),
                        account: a.account.clone(),
                        reason: a.reason.clone(),
                        count: a.count,
                        needed: a.needed,
                        for_role: a.for_role.clone(),
                    })
                    .collect(),
                rollback: s.rollback.as_ref().map(|r| RollbackReport {
                    started: r.started.map(time),
                    finished: r.finished.map(time),
                    outcome: r.outcome,
                    exit_code: r.exit_code,
                    reason: r.reason.clone(),
                    by: r.by.clone(),
                    hosts: r
                        .hosts
                        .iter()
                        .map(|x| HostReport::new(x, r.host_duration(x), &zone))
                        .collect(),
                }),
                time_split: timeline.split_of(s, now).map(Split::from),
                planned_critical: on_planned.contains(&p.id),
                actual_critical: on_actual.contains(&p.id),
            };
            deviations.extend(step_deviations(s, &zone));
            match phase_index.get(p.phase.as_str()) {
                Some(&k) => phases[k].steps.push(step),
                None => {
                    // A step whose phase the plan does not list: give it one.
                    phase_index.insert(p.phase.to_string(), phases.len());
                    phases.push(PhaseReport {
                        id: p.phase.to_string(),
                        title: p.phase.to_string(),
                        steps: vec![step],
                    });
                }
            }
        }
        phases.retain(|p| !p.steps.is_empty());
        // Stable: same-time deviations keep their order (aborts, then steps
        // in file order).
        deviations.sort_by_key(|d| d.time.at);

        let ended = timeline.result.map(|(t, _)| time(t));
        let mut report = Report {
            format_version: FORMAT_VERSION,
            time_zone: zone.name.clone(),
            journal: JournalInfo {
                path: journal.to_string(),
                events: timeline.events,
                torn_line,
                warnings: timeline.warnings.clone(),
            },
            run: RunInfo {
                name: h.name.clone(),
                runbook: h.runbook.clone(),
                runbook_sha256: h.runbook_sha256.clone(),
                mode: h.mode,
                dry_run: h.dry_run,
                status: if timeline.is_finished() {
                    Status::Finished
                } else {
                    Status::RunningOrInterrupted
                },
                result: timeline.result.map(|(_, r)| r),
                started: time(h.started),
                ended,
                last_event: time(timeline.last_event.unwrap_or(h.started)),
                elapsed_seconds: timeline.elapsed(now).unwrap_or_default().as_secs(),
                host: h.host.clone(),
                reprise_version: h.reprise_version.clone(),
                started_by: h.operator.clone(),
                operators: timeline.operators(),
                roles: timeline.roles(),
                handovers: timeline
                    .handovers
                    .iter()
                    .map(|x| HandoverReport {
                        time: time(x.time),
                        from: x.from.clone(),
                        to: x.to.clone(),
                        note: x.note.clone(),
                    })
                    .collect(),
                resumes: timeline
                    .resumes
                    .iter()
                    .map(|r| ResumeReport {
                        time: time(r.time),
                        stopped_after: time(r.stopped_after),
                        operator: r.operator.clone(),
                        host: r.host.clone(),
                        reprise_version: r.reprise_version.clone(),
                        runbook_sha256: r.runbook_sha256.clone(),
                    })
                    .collect(),
            },
            recovery,
            services: service_reports,
            phases,
            critical_path: CriticalPaths {
                planned: PathReport {
                    steps: planned.steps,
                    seconds: planned.length.as_secs(),
                },
                actual: PathReport {
                    steps: actual.steps,
                    seconds: actual.length.as_secs(),
                },
            },
            time_split: timeline.total_split(now).into(),
            deviations,
            notes: timeline
                .notes
                .iter()
                .map(|n| NoteReport {
                    time: time(n.time),
                    by: n.by.clone(),
                    step: n.step.clone(),
                    text: n.text.clone(),
                    account: n.account.clone(),
                    observer: n.observer,
                })
                .collect(),
            changes: timeline
                .changes
                .iter()
                .map(|c| ChangeReport {
                    time: time(c.time),
                    step: c.step.clone(),
                    kind: match c.kind {
                        crate::timeline::ChangeKind::Added => "added",
                        crate::timeline::ChangeKind::Cancelled => "cancelled",
                        crate::timeline::ChangeKind::Estimate => "re-estimated",
                        crate::timeline::ChangeKind::Assigned => "reassigned",
                    },
                    detail: c.detail.clone(),
                    reason: c.reason.clone(),
                    by: c.by.clone(),
                })
                .collect(),
            by_person: Vec::new(),
            by_team: Vec::new(),
            review_points: Vec::new(),
            dossier: None,
            standards: Vec::new(),
            lang: crate::i18n::Lang::En,
            zone: Some(zone),
        };
        report.by_person = who::people(&report);
        report.by_team = who::teams(&report);
        report.review_points = review_points(&report);
        Ok(report)
    }

    /// Adds the dossier's facts (and so its sections and the standards
    /// map), in `lang`.
    pub fn with_dossier(
        mut self,
        dossier: crate::dossier::Dossier,
        lang: crate::i18n::Lang,
    ) -> Self {
        self.standards = crate::dossier::standards::map(&self, &dossier);
        self.dossier = Some(dossier);
        self.lang = lang;
        self
    }

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

/// The deviations one step carries.
fn step_deviations(s: &crate::timeline::StepRecord, zone: &Zone) -> Vec<Deviation> {
    let time = |t| zone.time(t);
    let id = Some(s.planned.id.clone());
    let mut v = Vec::new();
    for a in s.attempts.iter().filter(|a| a.interrupted) {
        v.push(Deviation {
            time: time(a.cut.unwrap_or(a.started)),
            step: id.clone(),
            kind: DeviationKind::Interrupted,
            detail: Some(format!("attempt {}", a.number)),
            reason: None,
            by: None,
            said: Some(Said::Attempt(a.number)),
        });
    }
    for a in &s.attempts {
        if a.succeeded() || a.ended.is_none() {
            continue;
        }
        v.push(Deviation {
            time: time(a.ended.unwrap_or(a.started)),
            step: id.clone(),
            kind: DeviationKind::Failure,
            detail: Some(attempt_detail(a)),
            reason: None,
            by: None,
            said: Some(Said::Ending(Box::new(a.clone()))),
        });
    }
    for d in &s.decisions {
        let kind = match d.decision {
            Decision::Run => continue,
            Decision::Retry | Decision::RetryAll => DeviationKind::Retry,
            Decision::MarkDone => DeviationKind::DoneByHand,
            Decision::MarkFailed => DeviationKind::MarkedFailed,
            Decision::Skip => DeviationKind::Skip,
            Decision::Continue => DeviationKind::Continue,
            Decision::Abort => DeviationKind::Abort,
            Decision::Rollback => DeviationKind::Rollback,
        };
        v.push(Deviation {
            time: time(d.time),
            step: id.clone(),
            kind,
            detail: None,
            reason: d.reason.clone(),
            by: Some(d.by.clone()),
            said: None,
        });
    }
    let decided = |k: Decision| s.decisions.iter().any(|d| d.decision == k);
    if let (Some(o), Some(t)) = (s.outcome(), s.finished) {
        let kind = match o {
            Outcome::Done if s.source == Some(Source::CommandLine) => {
                Some(DeviationKind::AssumedDone)
            }
            Outcome::Done
                if !decided(Decision::MarkDone)
                    && s.attempts.last().is_some_and(|a| !a.succeeded()) =>
            {
                Some(DeviationKind::DoneByHand)
            }
            Outcome::Skipped if !decided(Decision::Skip) => Some(DeviationKind::Skip),
            // Recorded failed by hand: the `mark_failed` decision already
            // says so, with its reason (the outcome's reason is the same).
            Outcome::Failed
                if decided(Decision::MarkFailed) && s.source != Some(Source::Command) =>
            {
                None
            }
            Outcome::Failed => Some(DeviationKind::Failed),
            Outcome::Aborted => Some(DeviationKind::Aborted),
            _ => None,
        };
        if let Some(kind) = kind {
            v.push(Deviation {
                time: time(t),
                step: id.clone(),
                kind,
                detail: s.exit_code.map(|c| format!("exit code {c}")),
                reason: s.reason.clone(),
                by: s.by.clone(),
                said: s.exit_code.map(Said::ExitCode),
            });
        }
    }
    if let Some(r) = &s.rollback
        && matches!(r.outcome, Some(Outcome::Failed | Outcome::Skipped))
    {
        v.push(Deviation {
            time: time(r.finished.or(r.started).unwrap_or_default()),
            step: id,
            kind: DeviationKind::RollbackNotDone,
            detail: r.exit_code.map(|c| format!("exit code {c}")),
            reason: r.reason.clone(),
            by: r.by.clone(),
            said: r.exit_code.map(Said::ExitCode),
        });
    }
    v
}

/// `exit code 1`, `killed by SIGKILL`, `timed out`, `could not start: …`.
pub fn attempt_detail(a: &crate::timeline::Attempt) -> String {
    attempt_detail_in(Lang::En, a)
}

/// How an attempt ended, in `lang`.
pub fn attempt_detail_in(lang: Lang, a: &crate::timeline::Attempt) -> String {
    let tr = |id: &str, name: &'static str, x: String| lang.tr_args(id, &[(name, x.into())]);
    let mut parts = Vec::new();
    if a.timed_out {
        parts.push(lang.tr("attempt-timed-out"));
    }
    if let Some(sig) = &a.signal {
        parts.push(tr("attempt-killed", "signal", sig.to_string()));
    }
    if let Some(c) = a.exit_code {
        parts.push(exit_text(lang, c));
    }
    if let Some(e) = &a.error {
        parts.push(tr("attempt-could-not-start", "error", e.to_string()));
    }
    if a.interrupted {
        parts.push(lang.tr("attempt-ended-interrupted"));
    }
    if parts.is_empty() {
        parts.push(lang.tr("attempt-ended-failed"));
    }
    let mut s = parts.join(", ");
    let failed: Vec<String> = a
        .failed_hosts()
        .map(|h| {
            format!(
                "{} ({})",
                h.host,
                host_ending_in(
                    lang,
                    h.exit_code,
                    h.signal.as_deref(),
                    h.timed_out,
                    h.error.as_deref()
                )
            )
        })
        .collect();
    if !failed.is_empty() {
        s.push_str(&tr("attempt-failed-on", "hosts", failed.join(", ")));
    }
    s
}

/// How a command ended on a host, in plain words: `exit code 0`,
/// `timed out, killed by SIGTERM`, `ssh could not start: …`.
pub fn host_ending(
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    host_ending_in(Lang::En, exit_code, signal, timed_out, error)
}

/// [`host_ending`] in `lang`.
pub fn host_ending_in(
    lang: Lang,
    exit_code: Option<i32>,
    signal: Option<&str>,
    timed_out: bool,
    error: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if timed_out {
        parts.push(lang.tr("host-timed-out"));
    }
    if let Some(sig) = signal {
        parts.push(lang.tr_args("host-killed", &[("signal", sig.to_string().into())]));
    }
    if let Some(c) = exit_code {
        parts.push(exit_text(lang, c));
    }
    if let Some(e) = error {
        parts.push(lang.tr_args("host-could-not-start", &[("error", e.to_string().into())]));
    }
    if parts.is_empty() {
        parts.push(lang.tr("host-no-status"));
    }
    parts.join(", ")
}

/// A host's failure cause in a few words of `lang` (what
/// [`crate::event::HostCause::text`] says in English).
pub fn cause_text_in(
    lang: Lang,
    cause: crate::event::HostCause,
    exit_code: Option<i32>,
    signal: Option<&str>,
) -> String {
    use crate::event::HostCause;
    match cause {
        HostCause::Exit => match exit_code {
            Some(c) => lang.tr_args("cause-exit", &[("code", c.to_string().into())]),
            None => lang.tr("cause-exit-unknown"),
        },
        HostCause::Signal => {
            let signal = signal.map_or_else(|| lang.tr("cause-a-signal"), str::to_string);
            lang.tr_args("cause-signal", &[("signal", signal.into())])
        }
        other => {
            let name = serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            lang.tr(&format!("cause-{name}"))
        }
    }
}

/// How a command ended on a host, for the per-host tables.
/// A failure with a recorded cause reads `unreachable: ssh: connect to
/// host … Connection refused` (the cause, then the host's last line).
pub fn host_text(h: &HostReport) -> String {
    host_text_in(Lang::En, h)
}

/// [`host_text`] in `lang`.
pub fn host_text_in(lang: Lang, h: &HostReport) -> String {
    let Some(cause) = h.cause else {
        return host_ending_in(
            lang,
            h.exit_code,
            h.signal.as_deref(),
            h.timed_out,
            h.error.as_deref(),
        );
    };
    let mut text = cause_text_in(lang, cause, h.exit_code, h.signal.as_deref());
    let last = h.error.as_deref().or_else(|| {
        h.output_tail
            .iter()
            .rev()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
    });
    if let Some(last) = last {
        text.push_str(": ");
        text.push_str(last);
    }
    text
}

/// The hosts on which an attempt failed, in the order they ended.
pub fn failed_hosts(a: &AttemptReport) -> Vec<&str> {
    a.hosts
        .iter()
        .filter(|h| h.outcome == Outcome::Failed)
        .map(|h| h.host.as_str())
        .collect()
}

/// One row of a step's per-host table.
pub enum HostRow<'a> {
    /// A host's recorded end.
    Ended(&'a HostReport),
    /// A host with no end recorded in this attempt, and why in plain words.
    NoEnd {
        /// The host's name.
        host: &'a str,
        /// `no end recorded: the drill stopped while it ran`, …
        why: &'static str,
    },
}

/// The per-host rows of a step: every attempt's hosts (ended ones, then
/// those with no recorded end), then the rollback's, each with the attempt
/// it belongs to (`None`: the rollback).
pub fn host_rows(lang: Lang, s: &StepReport) -> Vec<(Option<u32>, HostRow<'_>)> {
    let mut rows: Vec<(Option<u32>, HostRow<'_>)> = Vec::new();
    for a in &s.attempts {
        rows.extend(a.hosts.iter().map(|h| (Some(a.number), HostRow::Ended(h))));
        let why = lang.said(if a.interrupted {
            "host-no-end-interrupted"
        } else if a.ended.is_none() {
            "host-no-end-running"
        } else {
            "host-no-end"
        });
        rows.extend(
            a.hosts_without_end
                .iter()
                .map(|h| (Some(a.number), HostRow::NoEnd { host: h, why })),
        );
    }
    if let Some(r) = &s.rollback {
        rows.extend(r.hosts.iter().map(|h| (None, HostRow::Ended(h))));
    }
    rows
}

/// A duration in seconds for people, `—` when unknown.
pub fn secs(s: Option<u64>) -> String {
    secs_in(Lang::En, s)
}

/// A duration in seconds as `lang` writes it, `—` when unknown.
pub fn secs_in(lang: Lang, s: Option<u64>) -> String {
    s.map_or_else(|| "—".to_string(), |s| duration_in(lang, s))
}

/// A duration as `lang` writes it: the runbook's own notation in English
/// (`12m5s`), « 12 min 05 s » in French.
pub fn duration_in(lang: Lang, s: u64) -> String {
    match lang {
        Lang::En => human(StdDuration::from_secs(s)),
        _ => lang.duration(s),
    }
}

/// A step's state or outcome in plain words.
pub fn state_text(s: &StepReport) -> &'static str {
    state_text_in(Lang::En, s)
}

/// A step's state or outcome in plain words of `lang`.
pub fn state_text_in(lang: Lang, s: &StepReport) -> &'static str {
    lang.said(match (s.outcome, s.state) {
        (Some(Outcome::Done), _) => "state-done",
        (Some(Outcome::Failed), _) => "state-failed",
        (Some(Outcome::Skipped), _) => "state-skipped",
        (Some(Outcome::Aborted), _) => "state-aborted",
        (Some(Outcome::NotApplicable), _) => "state-not-applicable",
        (None, State::Pending) => "state-pending",
        (None, State::Open) => "state-open",
        (None, State::Running) => "state-running",
        (None, State::AttemptFailed) => "state-attempt-failed",
        (None, State::Finished) => "state-finished",
    })
}

/// A deviation kind in plain words.
pub fn deviation_text(k: DeviationKind) -> &'static str {
    deviation_text_in(Lang::En, k)
}

/// A deviation kind in plain words of `lang`.
pub fn deviation_text_in(lang: Lang, k: DeviationKind) -> &'static str {
    lang.said(match k {
        DeviationKind::Failure => "deviation-failure",
        DeviationKind::Failed => "deviation-failed",
        DeviationKind::Skip => "deviation-skip",
        DeviationKind::DoneByHand => "deviation-done-by-hand",
        DeviationKind::MarkedFailed => "deviation-marked-failed",
        DeviationKind::Retry => "deviation-retry",
        DeviationKind::Continue => "deviation-continue",
        DeviationKind::AssumedDone => "deviation-assumed-done",
        DeviationKind::Abort => "deviation-abort",
        DeviationKind::Rollback => "deviation-rollback",
        DeviationKind::Aborted => "deviation-aborted",
        DeviationKind::RollbackNotDone => "deviation-rollback-not-done",
        DeviationKind::Interrupted => "deviation-interrupted",
    })
}

/// Who recorded a step's outcome, and how, in plain words.
pub fn recorded_text(s: &StepReport) -> String {
    recorded_text_in(Lang::En, s)
}

/// Who recorded a step's outcome, and how, in plain words of `lang`.
pub fn recorded_text_in(lang: Lang, s: &StepReport) -> String {
    let by_how = |by: &String, id: &str| lang.tr_args(id, &[("by", by.clone().into())]);
    match (&s.recorded_by, s.source) {
        (Some(_), Some(Source::Command)) => lang.tr("recorded-command"),
        (Some(by), Some(Source::AutoConfirmed)) => format!("{by} (--yes)"),
        (Some(by), Some(Source::CommandLine)) => by_how(by, "recorded-command-line"),
        (Some(by), Some(Source::Paper)) => by_how(by, "recorded-paper"),
        (Some(by), Some(Source::Engine)) if by == "reprise" => by.clone(),
        (Some(by), Some(Source::Engine)) => format!("{by} (reprise)"),
        (Some(by), _) => by.clone(),
        (None, _) => "—".into(),
    }
}

/// Points for the debrief derived from the facts (overruns, deviations,
/// missed objective), besides the operators' own observations.
fn review_points(r: &Report) -> Vec<String> {
    review_points_in(r, Lang::En)
}

/// The review points in `lang`.
pub fn review_points_in(r: &Report, lang: Lang) -> Vec<String> {
    let mut v = Vec::new();
    let tr = |id: &str, args: &[(&'static str, String)]| {
        let args: Vec<_> = args.iter().map(|(k, x)| (*k, x.clone().into())).collect();
        lang.tr_args(id, &args)
    };
    let verdict = r.verdict_text_in(lang);
    if matches!(r.recovery.verdict, Verdict::Missed | Verdict::Overdue) {
        v.push(tr(
            "review-rto",
            &[
                ("verdict", verdict),
                (
                    "path",
                    r.critical_path
                        .actual
                        .steps
                        .iter()
                        .map(StepId::as_str)
                        .collect::<Vec<_>>()
                        .join(" → "),
                ),
            ],
        ));
    }
    let because = |s: &StepReport| {
        s.reason
            .as_deref()
            .map(|x| tr("review-because", &[("reason", x.to_string())]))
            .unwrap_or_default()
    };
    for s in r.steps() {
        let step = || [("step", s.id.to_string()), ("title", s.title.clone())];
        match s.outcome {
            Some(Outcome::Failed) => {
                let hosts = s
                    .attempts
                    .last()
                    .map(failed_hosts)
                    .filter(|f| !f.is_empty())
                    .map(|f| tr("review-on-hosts", &[("hosts", f.join(", "))]))
                    .unwrap_or_default();
                let [a, b] = step();
                v.push(tr(
                    "review-failed",
                    &[a, b, ("hosts", hosts), ("reason", because(s))],
                ));
            }
            Some(Outcome::Skipped) if s.critical => {
                let [a, b] = step();
                v.push(tr(
                    "review-critical-skipped",
                    &[a, b, ("reason", because(s))],
                ));
            }
            _ => {}
        }
        if let (Some(o), Some(e)) = (s.overrun_seconds, s.estimate_seconds) {
            let [a, b] = step();
            v.push(tr(
                "review-overran",
                &[
                    a,
                    b,
                    ("estimate", secs_in(lang, Some(e))),
                    ("over", secs_in(lang, Some(o))),
                ],
            ));
        }
        if s.attempts.len() > 1 {
            let [a, b] = step();
            v.push(tr(
                "review-attempts",
                &[a, b, ("count", s.attempts.len().to_string())],
            ));
        }
    }
    v
}

/// An attempt in plain words: `exit code 1 after 2m00s`.
pub fn attempt_text(a: &AttemptReport) -> String {
    attempt_text_in(Lang::En, a)
}

/// An attempt in plain words of `lang`.
pub fn attempt_text_in(lang: Lang, a: &AttemptReport) -> String {
    let tr = |id: &str, name: &'static str, x: String| lang.tr_args(id, &[(name, x.into())]);
    let mut parts = Vec::new();
    if a.timed_out {
        parts.push(lang.tr("attempt-timed-out"));
    }
    if let Some(sig) = &a.signal {
        parts.push(tr("attempt-killed", "signal", sig.to_string()));
    }
    if let Some(c) = a.exit_code {
        parts.push(tr("exit-code", "code", c.to_string()));
    }
    if let Some(e) = &a.error {
        parts.push(tr("attempt-could-not-start", "error", e.to_string()));
    }
    let mut s = parts.join(", ");
    if a.interrupted {
        s = tr(
            "attempt-interrupted",
            "time",
            secs_in(lang, a.duration_seconds),
        );
    } else if a.ended.is_none() {
        s = lang.tr("attempt-still-running");
    } else if let Some(d) = a.duration_seconds {
        s = lang.tr_args(
            "attempt-after",
            &[("what", s.into()), ("time", secs_in(lang, Some(d)).into())],
        );
    }
    let failed = failed_hosts(a);
    if !failed.is_empty() {
        s.push_str(&tr("attempt-failed-on", "hosts", failed.join(", ")));
    }
    s
}

/// A decision in plain words.
pub fn decision_text(d: Decision) -> &'static str {
    decision_text_in(Lang::En, d)
}

/// A decision in plain words of `lang`.
pub fn decision_text_in(lang: Lang, d: Decision) -> &'static str {
    lang.said(match d {
        Decision::Run => "decision-run",
        Decision::Retry => "decision-retry",
        Decision::RetryAll => "decision-retry-all",
        Decision::MarkDone => "decision-mark-done",
        Decision::MarkFailed => "decision-mark-failed",
        Decision::Skip => "decision-skip",
        Decision::Continue => "decision-continue",
        Decision::Abort => "decision-abort",
        Decision::Rollback => "decision-rollback",
    })
}

/// `Last lines of output (exit code 3):`, over a step's output.
pub fn last_output(lang: Lang, exit_code: Option<i32>) -> String {
    let code = exit_code
        .map(|c| lang.tr_args("last-output-code", &[("code", exit_text(lang, c).into())]))
        .unwrap_or_default();
    lang.tr_args("last-output", &[("code", code.into())])
}

/// `exit code 3`.
pub fn exit_text(lang: Lang, code: i32) -> String {
    lang.tr_args("exit-code", &[("code", code.to_string().into())])
}

impl StepReport {
    /// [`StepReport::performed_by`] in `lang`: `reprise sur HOST` for a
    /// command in French.
    pub fn performed_by_in(&self, lang: Lang) -> Option<String> {
        match (&self.ran_as, lang) {
            (_, Lang::En) | (None, _) => self.performed_by.clone(),
            (Some((None, host)), _) => {
                Some(lang.tr_args("performed-by-reprise", &[("host", host.clone().into())]))
            }
            (Some((Some(account), host)), _) => Some(lang.tr_args(
                "performed-by-reprise-as",
                &[
                    ("account", account.clone().into()),
                    ("host", host.clone().into()),
                ],
            )),
        }
    }
}

/// An outcome in `lang`: `done` in English, `fait` in French.
pub fn outcome_in(lang: Lang, o: Outcome) -> String {
    match lang {
        Lang::En => o.to_string(),
        _ => lang.tr(&format!("outcome-{o}")),
    }
}

/// Number of attempts, `—` when no command ran.
pub fn attempts(s: &StepReport) -> String {
    if s.attempts.is_empty() {
        "—".into()
    } else {
        s.attempts.len().to_string()
    }
}

/// Labels of the two critical paths.
pub fn path_labels(r: &Report) -> [&'static str; 2] {
    [
        r.lang.said("path-planned"),
        r.lang.said(match r.run.status {
            Status::Finished => "path-actual",
            Status::RunningOrInterrupted => "path-actual-so-far",
        }),
    ]
}

#[cfg(test)]
mod tests;
